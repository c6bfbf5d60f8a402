/* main — the command line: subcommands, options, exit codes; nothing else.
 *
 *   planform render FILE [-o OUT] [--form F]     XML plan bundle → PDF
 *   planform validate FILE...                    read and validate only
 *   planform check FILE [--json] [--strict]      consistency findings
 *   planform schedule FILE [--json]              monitoring months due, done, next
 *   planform draft-isp FILE --provider ID [-o OUT]  a starting individual support plan
 *   planform batch DIR|MANIFEST -o OUTDIR         many bundles, in parallel
 *
 * Exit status: 0 ok, 1 invalid input, 2 usage, 3 missing/broken font or template, 4 I/O or
 * out of memory or descriptors. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "batch/batch.h"
#include "check/check.h"
#include "check/schedule.h"
#include "pdf/encrypt.h"
#include "render.h"
#include "util/files.h"
#include "util/json.h"

#define VERSION "0.1.0"

static void usage(FILE *to)
{
    fputs("Usage: planform render FILE [-o OUT.pdf] [--form FORMS] [--mode MODE] [--data DIR]\n"
          "                      [--password-file FILE] [--json]\n"
          "       planform validate FILE... [--json]\n"
          "       planform check FILE [--json] [--strict] [--today DATE]\n"
          "       planform schedule FILE [--json] [--today DATE]\n"
          "       planform draft-isp FILE --provider ID [--plan ID] [-o OUT.xml]\n"
          "       planform batch DIR|MANIFEST|- -o OUTDIR [--jobs N] [--form FORMS]\n"
          "                      [--print FILE.pdf [--duplex] [--copies N]] [--quiet] [--fail-fast]\n"
          "                      [--json] [--report FILE]\n"
          "       planform --help | --version\n"
          "\n"
          "Turns a plan-bundle XML file (サービス等利用計画, 週間計画表, 個別支援計画) into a\n"
          "Japanese-typeset PDF. FILE or OUT may be - for standard input / output.\n"
          "\n"
          "  -o, --output FILE  where to write the PDF or XML (default: FILE with .pdf;\n"
          "                     draft-isp: standard output)\n"
          "  -f, --form FORMS   render: plan, isp, linkage, monitoring, evaluation or all\n"
          "                     (default), comma-separated\n"
          "      --json         check: findings as a JSON array; validate, render, batch:\n"
          "                     errors as JSON lines on stderr (README, Diagnostic codes)\n"
          "      --strict       check: warnings make the exit status 1 too\n"
          "      --today DATE   check, schedule: see the monitoring schedule from this day\n"
          "                     (YYYY-MM-DD; default: today)\n"
          "      --jobs N       batch: workers (default: the number of cores)\n"
          "      --quiet        batch: no progress, only the summary of failures\n"
          "      --print FILE   batch: also one print-ready PDF of everyone, with bookmarks\n"
          "      --duplex       batch --print: each person starts on the front of a sheet\n"
          "      --copies N     batch --print: each person's forms N times\n"
          "      --fail-fast    batch: stop at the first bundle that fails\n"
          "      --report FILE  batch: one JSON line per bundle (input, outputs, pages,\n"
          "                     status, error), written at the end\n"
          "      --provider ID  draft-isp: the provider (its id in <provider id=...>)\n"
          "      --plan ID      draft-isp: the plan to start from (default: the first that\n"
          "                     lists the provider)\n"
          "      --mode MODE    permission bits of the new PDF, octal (default 0600:\n"
          "                     plans hold personal data)\n"
          "      --password-file FILE  render, batch: encrypt every PDF (AES-256) with the\n"
          "                     password on FILE's first line (never on the command line)\n"
          "      --max-size N   refuse input files over N bytes (K, M suffixes; default 16M)\n"
          "      --verbose      messages may quote the input's values (off: personal data\n"
          "                     stays out of logs)\n"
          "      --data DIR     where templates/ and fonts/ are (default: $PLANFORM_DATA,\n"
          "                     else the directory planform was built in)\n"
          "  -h, --help         show this help and exit\n"
          "      --version      show the version and exit\n"
          "\n"
          "Exit status: 0 ok, 1 invalid input (check: errors found), 2 usage, 3 font or\n"
          "template missing or broken, 4 reading or writing failed, or out of memory or\n"
          "open files.\n",
          to);
}

static int usage_error(const char *ja, const char *en)
{
    fprintf(stderr, "planform: %s\nplanform: %s\n", ja, en);
    fputs("Try 'planform --help' for more information.\n", stderr);
    return PF_EXIT_USAGE;
}

/* The same, naming the option that is wrong (as typed, escaped for the terminal). */
static int option_error(const char *ja, const char *en, const char *arg, int short_opt)
{
    char *shown = short_opt > 0 ? pf_xasprintf("-%c", short_opt)
                                : pf_path_for_message(arg ? arg : "");
    char *j = pf_xasprintf("%s: %s", ja, shown), *e = pf_xasprintf("%s: %s", en, shown);
    int rc = usage_error(j, e);
    free(j);
    free(e);
    free(shown);
    return rc;
}

/* The short option getopt complains of, or 0 when the argument was a long one (named whole). */
static int short_option(const char *arg, int opt)
{
    return arg && strncmp(arg, "--", 2) == 0 ? 0 : opt > 0 && opt < 128 ? opt : 0;
}

/* YYYY-MM-DD naming a day that exists (2024-02-29 yes, 2023-02-29 and 2024-13-45 no). */
static int real_date(const char *s)
{
    int y, m, d;
    char tail;
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-' ||
        sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 || y < 1 || m < 1 || m > 12 || d < 1)
        return 0;
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return d <= days[m - 1] + (m == 2 && leap);
}

static char *default_output(const char *in)
{
    size_t n = strlen(in);
    if (n > 4 && strcmp(in + n - 4, ".xml") == 0)
        n -= 4;
    char *out = pf_xmalloc(n + 5);
    memcpy(out, in, n);
    memcpy(out + n, ".pdf", 5);
    return out;
}

/* Everything the command line says, parsed. */
typedef struct cli {
    const char *out, *datadir, *provider, *plan, *today, *print, *password_file, *report;
    unsigned mode, forms;
    int json, strict, jobs, quiet, fail_fast, duplex, copies;
    pf_read_options reading;
    char *password;         /* read from password_file; never from the command line */
} cli;

static int fail(pf_engine *e, pf_error *err, const cli *o)
{
    pf_error_report(err, o->json);
    pf_engine_close(e);
    return err->status;
}

static int cmd_render(const char *in, const cli *o)
{
    pf_error err = {0};
    pf_engine e;
    if (pf_engine_open(&e, o->datadir, 1, &o->reading, &err))
        return fail(&e, &err, o);
    char *xml;
    size_t len;
    if (pf_read_file_max(in, o->reading.max_bytes, &xml, &len, &err))
        return fail(&e, &err, o);
    unsigned char *pdf = NULL;
    size_t pdf_len = 0;
    char *target = o->out ? pf_xstrdup(o->out) : strcmp(in, "-") == 0 ? pf_xstrdup("-")
                                                                      : default_output(in);
    int rc = pf_render(&e, strcmp(in, "-") == 0 ? "<stdin>" : in, xml, len, o->forms, &pdf,
                       &pdf_len, &err);
    if (rc == 0 && o->password) {
        unsigned char *enc;
        size_t enc_len;
        rc = pf_pdf_encrypt(pdf, pdf_len, o->password, &enc, &enc_len, &err);
        if (rc == 0) {
            free(pdf);
            pdf = enc, pdf_len = enc_len;
        }
    }
    if (rc == 0 && strcmp(target, "-") != 0) {
        /* what a killed planform left beside the target goes (only files of dead processes) */
        char *dir = pf_xstrdup(target), *slash = strrchr(dir, '/');
        pf_clean_leftovers(slash ? (slash == dir ? "/" : (*slash = 0, dir)) : ".", 0);
        free(dir);
    }
    if (rc == 0)
        rc = pf_write_file_atomic(target, pdf, pdf_len, o->mode, &err);
    if (rc)
        pf_error_report(&err, o->json);
    free(pdf);
    free(xml);
    free(target);
    pf_engine_close(&e);
    return rc;
}

static int cmd_validate(char **files, int n, const cli *o)
{
    pf_error err = {0};
    pf_engine e;
    if (pf_engine_open(&e, o->datadir, 0, &o->reading, &err))
        return fail(&e, &err, o);
    int worst = 0;
    for (int i = 0; i < n; i++) {
        pf_error one = {0};
        char *xml;
        size_t len;
        const char *name = strcmp(files[i], "-") == 0 ? "<stdin>" : files[i];
        if (pf_read_file_max(files[i], o->reading.max_bytes, &xml, &len, &one) == 0) {
            pf_validate(&e, name, xml, len, &one);
            free(xml);
        }
        if (one.status) {
            pf_error_report(&one, o->json);
            if (one.status > worst)
                worst = one.status;
        } else if (o->json) {  /* {"file": "a.xml", "status": "ok"} */
            pf_buf line = {0};
            pf_buf_adds(&line, "{");
            pf_json_key(&line, "file", 1);
            pf_json_string(&line, name);
            pf_json_key(&line, "status", 0);
            pf_buf_adds(&line, "\"ok\"}\n");
            fputs(line.data, stdout);
            pf_buf_free(&line);
        } else {
            printf("%s: ok\n", name);
        }
    }
    pf_engine_close(&e);
    return worst;
}

/* Read and validate one bundle for check and draft-isp; *xml is kept for draft-isp. */
static pf_bundle *load(pf_engine *e, const cli *o, const char *in, char **xml, size_t *len,
                       pf_error *err)
{
    if (pf_engine_open(e, o->datadir, 0, &o->reading, err) ||
        pf_read_file_max(in, o->reading.max_bytes, xml, len, err))
        return NULL;
    pf_bundle *b = pf_bundle_read(e->schema, strcmp(in, "-") == 0 ? "<stdin>" : in, *xml, *len, err);
    if (!b) {
        free(*xml);
        *xml = NULL;
    }
    return b;
}

/* Today as YYYYMMDD, or the --today date. */
static long today_number(const char *given)
{
    int y, m, d;
    if (given && sscanf(given, "%4d-%2d-%2d", &y, &m, &d) == 3)
        return y * 10000L + m * 100 + d;
    time_t t = time(NULL);
    struct tm tm;
    localtime_r(&t, &tm);
    return (tm.tm_year + 1900) * 10000L + (tm.tm_mon + 1) * 100 + tm.tm_mday;
}

static int cmd_schedule(const char *in, const cli *o)
{
    pf_error err = {0};
    pf_engine e;
    char *xml = NULL;
    size_t len;
    pf_bundle *b = load(&e, o, in, &xml, &len, &err);
    if (!b)
        return fail(&e, &err, o);
    pf_schedule_print(b, today_number(o->today), o->json, stdout);
    pf_bundle_free(b);
    free(xml);
    pf_engine_close(&e);
    return 0;
}

static int cmd_check(const char *in, const cli *o)
{
    pf_error err = {0};
    pf_engine e;
    char *xml = NULL;
    size_t len;
    pf_bundle *b = load(&e, o, in, &xml, &len, &err);
    if (!b)
        return fail(&e, &err, o);
    pf_findings fs = {.quote = o->reading.verbose};
    pf_check(b, today_number(o->today), &fs);
    pf_findings_print(&fs, b->file, o->json, stdout);
    int rc = pf_findings_count(&fs, PF_ERROR) || (o->strict && pf_findings_count(&fs, PF_WARNING))
                 ? PF_EXIT_INVALID
                 : 0;
    pf_findings_free(&fs);
    pf_bundle_free(b);
    free(xml);
    pf_engine_close(&e);
    return rc;
}

static int cmd_draft(const char *in, const cli *o)
{
    pf_error err = {0};
    pf_engine e;
    char *xml = NULL, *draft = NULL;
    size_t len, draft_len;
    pf_bundle *b = load(&e, o, in, &xml, &len, &err);
    if (!b)
        return fail(&e, &err, o);
    int rc = pf_draft_isp(b, xml, len, o->provider, o->plan, &draft, &draft_len, &err);
    if (rc == 0)
        rc = pf_write_file_atomic(o->out ? o->out : "-", draft, draft_len, o->mode, &err);
    if (rc)
        pf_error_print(&err);
    free(draft);
    free(xml);
    pf_bundle_free(b);
    pf_engine_close(&e);
    return rc;
}

static int password_refused(void)
{
    return usage_error("パスワードはコマンドラインでは受け付けません（ps で見えます）。"
                       "--password-file FILE を使ってください",
                       "a password is not taken on the command line (ps shows it); use "
                       "--password-file FILE");
}

static int run(const char *cmd, char **files, int n, const cli *o)
{
    if (strcmp(cmd, "render") == 0) {
        if (n != 1)
            return usage_error("render には入力ファイルを一つ指定してください",
                               "render takes exactly one input file");
        return cmd_render(files[0], o);
    }
    if (strcmp(cmd, "batch") == 0) {
        if (n != 1 || !o->out)
            return usage_error("batch には入力（フォルダ・一覧ファイル・-）と -o 出力フォルダが必要です",
                               "batch takes one input (folder, manifest or -) and -o OUTDIR");
        pf_batch_options bo = {.input = files[0], .outdir = o->out, .datadir = o->datadir,
                               .forms = o->forms, .jobs = o->jobs, .quiet = o->quiet,
                               .fail_fast = o->fail_fast, .mode = o->mode, .print = o->print,
                               .duplex = o->duplex, .copies = o->copies,
                               .reading = o->reading, .password = o->password,
                               .json = o->json, .report = o->report};
        return pf_batch_run(&bo);
    }
    if (strcmp(cmd, "check") == 0) {
        if (n != 1)
            return usage_error("check には入力ファイルを一つ指定してください",
                               "check takes exactly one input file");
        return cmd_check(files[0], o);
    }
    if (strcmp(cmd, "schedule") == 0) {
        if (n != 1)
            return usage_error("schedule には入力ファイルを一つ指定してください",
                               "schedule takes exactly one input file");
        return cmd_schedule(files[0], o);
    }
    if (strcmp(cmd, "draft-isp") == 0) {
        if (n != 1 || !o->provider)
            return usage_error("draft-isp には入力ファイルと --provider が必要です",
                               "draft-isp takes one input file and --provider ID");
        return cmd_draft(files[0], o);
    }
    if (strcmp(cmd, "validate") == 0) {
        if (n < 1)
            return usage_error("validate には入力ファイルを指定してください",
                               "validate needs at least one input file");
        return cmd_validate(files, n, o);
    }
    return usage_error("知らないサブコマンドです（render, validate, check, schedule, draft-isp, batch）",
                       "unknown subcommand (render, validate, check, schedule, draft-isp, batch)");
}

/* Descriptors 0, 1 and 2 are open (on /dev/null if they were closed, as under some cron
 * set-ups): otherwise the first file planform opens would get one of them, and progress or
 * messages would be written into a PDF. */
static void standard_descriptors(void)
{
    for (int fd = 0; fd < 3; fd++)
        if (fcntl(fd, F_GETFD) < 0 && errno == EBADF) {
            int n = open("/dev/null", fd ? O_WRONLY : O_RDONLY);
            if (n < 0)
                _exit(PF_EXIT_IO);
            if (n != fd) {  /* a lower one was open after all */
                dup2(n, fd);
                close(n);
            }
        }
}

/* Which subcommands take an option (by its getopt value); every subcommand takes --data,
 * --max-size, --verbose and --help. An option a subcommand does not take is exit 2 naming it,
 * never silently ignored. */
static int options_apply(const char *cmd, const char seen[128])
{
    static const struct {
        int opt;
        const char *name, *cmds;
    } rules[] = {
        {'o', "--output", " render draft-isp batch "}, {'f', "--form", " render batch "},
        {'m', "--mode", " render draft-isp batch "},   {'W', "--password-file", " render batch "},
        {'j', "--json", " validate render check schedule batch "},
        {'s', "--strict", " check "},                  {'r', "--report", " batch "},
        {'T', "--today", " check schedule "},          {'J', "--jobs", " batch "},
        {'q', "--quiet", " batch "},                   {'F', "--fail-fast", " batch "},
        {'R', "--print", " batch "},                   {'D', "--duplex", " batch "},
        {'C', "--copies", " batch "},                  {'p', "--provider", " draft-isp "},
        {'P', "--plan", " draft-isp "},
    };
    char word[40];
    snprintf(word, sizeof word, " %s ", cmd);
    for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++)
        if (seen[rules[i].opt] && !strstr(rules[i].cmds, word) &&
            strstr(" render validate check schedule draft-isp batch ", word)) {
            pf_buf list = {0};  /* " render batch " → "render, batch" */
            for (const char *c = rules[i].cmds + 1; c[1]; c++)
                pf_buf_adds(&list, *c == ' ' ? ", " : (char[2]){*c, 0});
            char *ja = pf_xasprintf("%s は %s では使えません（%s で使えます）", rules[i].name, cmd,
                                    list.data);
            char *en = pf_xasprintf("%s does not apply to %s (only to %s)", rules[i].name, cmd,
                                    list.data);
            pf_buf_free(&list);
            int rc = usage_error(ja, en);
            free(ja);
            free(en);
            return rc;
        }
    return 0;
}

int main(int argc, char **argv)
{
    standard_descriptors();
    static const struct option opts[] = {
        {"output", required_argument, 0, 'o'}, {"mode", required_argument, 0, 'm'},
        {"data", required_argument, 0, 'd'},   {"help", no_argument, 0, 'h'},
        {"version", no_argument, 0, 'V'},      {"form", required_argument, 0, 'f'},
        {"json", no_argument, 0, 'j'},         {"strict", no_argument, 0, 's'},
        {"provider", required_argument, 0, 'p'}, {"plan", required_argument, 0, 'P'},
        {"today", required_argument, 0, 'T'},  {"jobs", required_argument, 0, 'J'},
        {"quiet", no_argument, 0, 'q'},        {"fail-fast", no_argument, 0, 'F'},
        {"print", required_argument, 0, 'R'},  {"duplex", no_argument, 0, 'D'},
        {"copies", required_argument, 0, 'C'}, {"max-size", required_argument, 0, 'M'},
        {"verbose", no_argument, 0, 'v'},      {"password-file", required_argument, 0, 'W'},
        /* an exact "--password" (which getopt would otherwise take as an abbreviation of
         * --password-file) is refused: a password on the command line is in the process list */
        {"password", optional_argument, 0, 'X'},
        {"report", required_argument, 0, 'r'},
        {0, 0, 0, 0}};
    cli o = {.mode = 0600, .forms = PF_FORM_ALL, .copies = 1, .reading = {PF_MAX_INPUT, 0}};
    int c;
    opterr = 0;
    /* GNU getopt moves the subcommand and file names to the end, so options may stand
     * anywhere: `planform render a.xml -o a.pdf` and `planform -o a.pdf render a.xml`. */
    char seen[128] = {0};  /* which options were given, by their getopt value */
    while ((c = getopt_long(argc, argv, ":o:f:h", opts, NULL)) != -1) {
        if (c > 0 && c < 128)
            seen[c] = 1;
        switch (c) {
        case 'o': o.out = optarg; break;
        case 'f':
            o.forms = pf_forms_parse(optarg);
            if (!o.forms)
                return usage_error("--form は plan, isp, linkage, monitoring, evaluation, all です",
                                   "--form takes plan, isp, linkage, monitoring, evaluation or all");
            break;
        case 'j': o.json = 1; break;
        case 'q': o.quiet = 1; break;
        case 'R': o.print = optarg; break;
        case 'r': o.report = optarg; break;
        case 'D': o.duplex = 1; break;
        case 'C': {
            char *end;
            long v = strtol(optarg, &end, 10);
            if (*end || v < 1 || v > 20)
                return usage_error("--copies は 1 から 20 の数です", "--copies takes a number from 1 to 20");
            o.copies = (int)v;
            break;
        }
        case 'F': o.fail_fast = 1; break;
        case 'v': o.reading.verbose = 1; break;
        case 'W': o.password_file = optarg; break;
        case 'X': return password_refused();
        case 'M': {
            /* bytes, or with a K or M suffix (binary units) */
            char *end;
            unsigned long long v = strtoull(optarg, &end, 10);
            unsigned long long unit = *end == 'K' || *end == 'k' ? 1024ull
                                      : *end == 'M' || *end == 'm' ? 1024ull * 1024 : 1;
            if (unit > 1)
                end++;
            if (optarg[0] < '0' || optarg[0] > '9' || *end || v < 1 || v > (1ull << 31) / unit)
                return usage_error("--max-size はバイト数です（例 16M、上限 2048M）",
                                   "--max-size takes a number of bytes, e.g. 16M (at most 2048M)");
            o.reading.max_bytes = (size_t)(v * unit);
            break;
        }
        case 'J': {
            char *end;
            long v = strtol(optarg, &end, 10);
            if (*end || v < 1 || v > 256)
                return usage_error("--jobs は 1 から 256 の数です", "--jobs takes a number from 1 to 256");
            o.jobs = (int)v;
            break;
        }
        case 's': o.strict = 1; break;
        case 'p': o.provider = optarg; break;
        case 'P': o.plan = optarg; break;
        case 'T':
            if (!real_date(optarg))
                return option_error("--today は実在する日付を 2024-07-01 の形で指定してください",
                                    "--today takes a date that exists, such as 2024-07-01",
                                    optarg, 0);
            o.today = optarg;
            break;
        case 'd': o.datadir = optarg; break;
        case 'm': {
            char *end;
            unsigned long m = strtoul(optarg, &end, 8);
            if (!*optarg || *end || m > 0777)
                return usage_error("--mode は 8 進数（例 0600）で指定してください",
                                   "--mode takes octal permission bits, e.g. 0600");
            o.mode = (unsigned)m;
            break;
        }
        case 'h': usage(stdout); return 0;
        case 'V': printf("planform %s\n", VERSION); return 0;
        case ':':
            return option_error("オプションに値がありません", "an option is missing its value",
                                argv[optind - 1], short_option(argv[optind - 1], optopt));
        default:
            /* "--pass" is ambiguous to getopt: still most likely a password */
            if (optind > 1 && strncmp(argv[optind - 1], "--pass", 6) == 0)
                return password_refused();
            return option_error("知らないオプションです", "unknown option", argv[optind - 1],
                                short_option(argv[optind - 1], optopt));
        }
    }
    if (optind >= argc)
        return usage_error("サブコマンドがありません（render, validate, check, schedule, draft-isp, "
                           "batch）",
                           "missing subcommand (render, validate, check, schedule, draft-isp, "
                           "batch)");
    const char *cmd = argv[optind++];
    int bad_option = options_apply(cmd, seen);
    if (bad_option)
        return bad_option;
    if (o.password_file) {
        pf_error err = {0};
        if (pf_password_read(o.password_file, &o.password, &err)) {
            pf_error_report(&err, o.json);
            return err.status;
        }
    }
    int rc = run(cmd, argv + optind, argc - optind, &o);
    free(o.password);
    return rc;
}
