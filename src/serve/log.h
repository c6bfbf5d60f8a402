/* serve/log — the service's log: JSON lines on stderr (systemd's journal keeps them), one
 * write(2) a line so that lines from several threads never interleave. Every line starts with
 * "time" (UTC, milliseconds) and "event". */
#ifndef PF_SERVE_LOG_H
#define PF_SERVE_LOG_H

#include "util/util.h"

/* Write {"time": ..., "event": EVENT<rest>} and a newline; `rest` is "" or ", \"key\": value..."
 * already JSON (built with util/json.h), NULL for nothing. */
void pf_log_line(const char *event, const char *rest);

/* The same with an error's JSON (util/json.h pf_json_error) as "error": for start-up failures
 * and reloads; never used for a request's error (its message may name the person's data). */
void pf_log_error(const char *event, const pf_error *err);

#endif
