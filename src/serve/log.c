/* serve/log — JSON lines on stderr. See log.h. */
#include "serve/log.h"

#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "util/json.h"

void pf_log_line(const char *event, const char *rest)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    struct tm tm;
    gmtime_r(&ts.tv_sec, &tm);
    char when[40];
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%S", &tm);
    pf_buf line = {0};
    pf_buf_printf(&line, "{\"time\": \"%s.%03ldZ\", ", when, ts.tv_nsec / 1000000);
    pf_json_key(&line, "event", 1);
    pf_json_string(&line, event);
    pf_buf_printf(&line, "%s}\n", rest ? rest : "");
    /* one write: stderr is unbuffered, and fputs may split a line into several writes */
    for (size_t off = 0; off < line.len;) {
        ssize_t n = write(STDERR_FILENO, line.data + off, line.len - off);
        if (n <= 0)
            break;  /* nowhere to log to: the service goes on */
        off += (size_t)n;
    }
    pf_buf_free(&line);
}

void pf_log_error(const char *event, const pf_error *err)
{
    pf_buf rest = {0};
    pf_buf_adds(&rest, ", ");
    pf_json_key(&rest, "error", 1);
    pf_json_error(&rest, err);
    pf_log_line(event, rest.data);
    pf_buf_free(&rest);
}
