/* main — the command line: subcommands, options, exit codes; nothing else.
 *
 *   planform render FILE [-o OUT] [--form F]     XML plan bundle → PDF
 *   planform validate FILE...                    render's preflight, no PDF
 *   planform check FILE [--json] [--strict]      consistency findings
 *   planform schedule FILE [--json]              monitoring months due, done, next
 *   planform draft-isp FILE --provider ID [-o OUT]  a starting individual support plan
 *   planform batch DIR|MANIFEST -o OUTDIR         many bundles, in parallel
 *   planform diff OLD NEW [--json] [-o OUT]       what changed between two versions
 *   planform serve [--listen HOST:PORT | --socket PATH]  the same over HTTP (serve/serve.h)
 *
 * Exit status: 0 ok, 1 invalid input, 2 usage, 3 missing/broken font or template, 4 I/O or
 * out of memory or descriptors. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "planform.h"   /* PLANFORM_VERSION: the library's and the command's are one */

#include "batch/batch.h"
#include "bundle/dates.h"
#include "bundle/diff.h"
#include "check/check.h"
#include "check/schedule.h"
#include "pdf/encrypt.h"
#include "pdf/sign.h"
#include "render.h"
#include "serve/serve.h"
#include "util/files.h"
#include "util/json.h"


/* The subcommands, in the order help lists them. */
static const struct command {
    const char *name, *args, *summary;
    const char *about;      /* a paragraph for `planform CMD --help` */
} commands[] = {
    {"render", "FILE", "XML plan bundle → PDF forms",
     "Renders the forms of one plan bundle (サービス等利用計画 and 週間計画表,\n"
     "個別支援計画, 連携シート, モニタリング報告書, 評価) into one PDF. FILE may\n"
     "be - for standard input; the PDF goes to FILE with .pdf (or standard output\n"
     "for -), replaced whole only when it is complete."},
    {"validate", "FILE...", "read and validate only",
     "Reads and validates each bundle against the input format and its rules; writes\n"
     "\"FILE: ok\" for each valid one."},
    {"check", "FILE", "consistency findings",
     "Checks one bundle for consistency between the plans: needs nobody covers,\n"
     "goals that trace to no need, monitoring due or overdue. Exit 1 when errors\n"
     "are found."},
    {"schedule", "FILE", "monitoring months due, done, next",
     "Lists the monitoring months of each plan: due, done and the next one."},
    {"draft-isp", "FILE --provider ID", "a starting individual support plan",
     "Writes a starting 個別支援計画 (XML) for one provider, with a goal for each\n"
     "need of the サービス等利用計画 that the provider's service serves."},
    {"batch", "DIR|MANIFEST|- -o OUTDIR", "many bundles, in parallel",
     "Renders every bundle of a folder, a manifest (one file a line, optionally\n"
     "with its forms) or standard input, one PDF per person in OUTDIR, with\n"
     "workers in parallel; optionally one print-ready PDF of everyone."},
    {"diff", "OLD NEW", "what changed between two versions of the plans",
     "Compares two versions of a person's bundle record by record, by their ids:\n"
     "needs added, removed, reordered or reworded, goals, services (kind, amount,\n"
     "provider), weekly spans, dates and consent, two lines a change (Japanese,\n"
     "English), with each version's form fingerprints (版) in --json. Exit 0 when\n"
     "they are the same, 1 when they differ, 2 on a usage error or an input that\n"
     "is not a valid bundle, as diff(1)."},
    {"serve", "[--listen HOST:PORT | --socket PATH]", "the same over HTTP, engines kept warm",
     "Serves render, validate, check, schedule and draft-isp over HTTP (POST the\n"
     "bundle to /v1/render?forms=plan,isp, /v1/validate, /v1/check, /v1/schedule,\n"
     "/v1/draft-isp?provider=ID; GET /healthz, /metrics), with a pool of warm\n"
     "engines. Runs in the foreground and logs JSON lines to standard error;\n"
     "SIGTERM or SIGINT stops it after the requests in flight, SIGHUP reloads\n"
     "templates and fonts. Listens on 127.0.0.1:8080 by default; another address\n"
     "than loopback needs --token-file (put TLS in a reverse proxy in front)."},
};

/* Every option: its getopt value, how it is written, which subcommands take it (NULL: all of
 * them) and what it does. Help text and the check that an option applies both come from here,
 * so an option is declared once. */
static const struct option_doc {
    int opt;
    const char *spelling, *cmds, *help;
} option_docs[] = {
    {'o', "-o, --output FILE", " render ",
     "where to write the PDF (default: FILE with .pdf;\n- for standard output)"},
    {'o', "-o, --output FILE", " draft-isp ", "where to write the XML (default: standard output)"},
    {'o', "-o, --output DIR", " batch ", "the folder for the PDFs (made if missing)"},
    {'o', "-o, --output FILE", " diff ",
     "write the changes as a 変更箇所一覧 PDF (before and\nafter, both fingerprints) instead of "
     "text"},
    {'f', "-f, --form FORMS", " render validate batch ",
     "the forms to print, comma-separated (default:\nall, what the bundle has):"},
    {'j', "    --json", " validate render batch ",
     "errors as JSON lines on standard error, each\nwith a stable code (README, Diagnostic codes)"},
    {'j', "    --json", " check ", "findings as a JSON array"},
    {'j', "    --json", " schedule ", "the schedule as JSON"},
    {'j', "    --json", " diff ", "the changes and fingerprints as one JSON object"},
    {'s', "    --strict", " check ", "warnings make the exit status 1 too"},
    {'T', "    --today DATE", " check schedule ",
     "see the monitoring schedule from this day\n(YYYY-MM-DD; default: today)"},
    {'J', "    --jobs N", " batch serve ", "workers (default: the number of cores)"},
    {'L', "    --listen HOST:PORT", " serve ",
     "where to listen (default 127.0.0.1:8080; port 0:\nany free one, named in the log)"},
    {'U', "    --socket PATH", " serve ", "listen on a Unix socket instead"},
    {'k', "    --token-file FILE", " serve ",
     "require \"Authorization: Bearer TOKEN\", the token\non FILE's first line (needed off "
     "loopback)"},
    {'Q', "    --queue N", " serve ",
     "requests that may wait for a busy worker before\nthe answer is 503 (default 8 per worker)"},
    {'t', "    --timeout SECONDS", " serve ",
     "close a connection idle this long, or a request\nwhose body takes 4 times as long "
     "(default 30)"},
    {'q', "    --quiet", " batch ", "no progress, only the summary of failures"},
    {'R', "    --print FILE", " batch ", "also one print-ready PDF of everyone, with\nbookmarks"},
    {'D', "    --duplex", " batch ", "with --print: each person starts on the front\nof a sheet"},
    {'C', "    --copies N", " batch ", "with --print: each person's forms N times (1-20)"},
    {'F', "    --fail-fast", " batch ", "stop at the first bundle that fails"},
    {'r', "    --report FILE", " batch ",
     "one JSON line per bundle (input, outputs, pages,\nstatus, error) into FILE at the end (- for\n"
     "standard output)"},
    {'N', "    --name-by WHAT", " batch ",
     "person (default): PERSON_PLAN~INPUT.pdf; plan:\nPLAN~INPUT.pdf, no name in the file name (for\n"
     "shares and zip files)"},
    {'p', "    --provider ID", " draft-isp ", "the provider (its id in <provider id=...>)"},
    {'P', "    --plan ID", " draft-isp ",
     "the plan to start from (default: the first that\nlists the provider)"},
    {'m', "    --mode MODE", " render draft-isp batch diff ",
     "permission bits of new files, octal (default\n0600: plans hold personal data)"},
    {'W', "    --password-file FILE", " render batch ",
     "encrypt every PDF (AES-256) with the password on\nFILE's first line (never on the "
     "command line)"},
    {'G', "    --no-signature-fields", " render batch ",
     "consent boxes are drawn only, not also empty\nPDF signature fields (plan.consent ...)"},
    {'K', "    --sign-key KEY.pem", " render batch ",
     "sign every PDF (PAdES B-B) with this private key\n(PEM, mode 0600; needs --sign-cert; not "
     "with\n--password-file)"},
    {'S', "    --sign-cert CERT.pem", " render batch ",
     "the signer's certificate (PEM; more certificates\nafter it join the chain)"},
    {'H', "    --sign-chain CHAIN.pem", " render batch ",
     "certificates of the chain to embed with the\nsignature (PEM)"},
    {'M', "    --max-size N", NULL, "refuse input files over N bytes (K, M suffixes;\ndefault 16M)"},
    {'v', "    --verbose", NULL,
     "messages may quote the input's values (off:\npersonal data stays out of logs)"},
    {'d', "    --data DIR", NULL,
     "where templates/ and fonts/ are (default:\n$PLANFORM_DATA, else the installed data\n"
     "folder, or the source tree for a build run in\nplace)"},
    {'h', "-h, --help", NULL, "show this help and exit"},
    {'V', "    --version", NULL, "show the version and exit"},
};

static const struct command *find_command(const char *name)
{
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(commands[i].name, name) == 0)
            return &commands[i];
    return NULL;
}

static int option_applies(const struct option_doc *d, const char *cmd)
{
    char word[40];
    snprintf(word, sizeof word, " %s ", cmd);
    return !d->cmds || strstr(d->cmds, word);
}

/* Whether any row of option `opt` applies to cmd (-o has one row per subcommand). */
static int option_taken(int opt, const char *cmd)
{
    for (size_t i = 0; i < sizeof option_docs / sizeof option_docs[0]; i++)
        if (option_docs[i].opt == opt && option_applies(&option_docs[i], cmd))
            return 1;
    return 0;
}

/* One option as help shows it: the spelling in a column, the text beside it, indented. */
static void print_option(FILE *to, const struct option_doc *d)
{
    fprintf(to, "  %-26s", d->spelling);
    if (strlen(d->spelling) > 25)
        fprintf(to, "\n  %-26s", "");
    for (const char *p = d->help; *p; p++) {
        fputc(*p, to);
        if (*p == '\n')
            fprintf(to, "  %-26s", "");
    }
    fputc('\n', to);
    if (d->opt == 'f')  /* the forms, from the registry */
        for (size_t k = 0; k < PF_N_FORMS; k++)
            if (pf_form_kinds[k].bind)  /* the changes form is diff's */
                fprintf(to, "  %-28s%-12s%s\n", "", pf_form_kinds[k].name, pf_form_kinds[k].ja);
}

static const char exit_status_text[] =
    "Exit status: 0 ok, 1 invalid input (check: errors found), 2 usage, 3 font or\n"
    "template missing or broken, 4 reading or writing failed, or out of memory or\n"
    "open files.\n";

/* `planform --help`: every subcommand, the options all of them take. */
static void usage(FILE *to)
{
    fputs("Usage: planform COMMAND [OPTIONS] FILE...\n"
          "\n"
          "Turns plan-bundle XML files (サービス等利用計画, 週間計画表, 個別支援計画,\n"
          "モニタリング) into Japanese-typeset PDF forms.\n"
          "\n"
          "Commands:\n",
          to);
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
        char head[80];
        snprintf(head, sizeof head, "%s %s", commands[i].name, commands[i].args);
        fprintf(to, "  %-34s%s\n", head, commands[i].summary);
    }
    fputs("\nOptions every command takes:\n", to);
    for (size_t i = 0; i < sizeof option_docs / sizeof option_docs[0]; i++)
        if (!option_docs[i].cmds)
            print_option(to, &option_docs[i]);
    fputs("\n"
          "'planform COMMAND --help' (or 'planform help COMMAND') shows the options of\n"
          "a command. FILE may be - for standard input.\n\n",
          to);
    fputs(exit_status_text, to);
}

/* `planform CMD --help`: what the command does and the options it takes. */
static void command_usage(FILE *to, const struct command *c)
{
    fprintf(to, "Usage: planform %s %s [OPTIONS]\n\n%s\n\nOptions:\n", c->name, c->args, c->about);
    for (size_t i = 0; i < sizeof option_docs / sizeof option_docs[0]; i++)
        if (option_docs[i].cmds && option_applies(&option_docs[i], c->name))
            print_option(to, &option_docs[i]);
    for (size_t i = 0; i < sizeof option_docs / sizeof option_docs[0]; i++)
        if (!option_docs[i].cmds)
            print_option(to, &option_docs[i]);
    fputc('\n', to);
    fputs(exit_status_text, to);
}

/* How the command line's own errors are written: as a JSON line when --json is anywhere on it
 * (found before the options are read, so even an error in front of it is JSON; a program that
 * asked for JSON lines gets nothing else on stderr). Set once in main, read by usage_error. */
static struct usage_output {
    int json;
} usage_output;

static int usage_error(const char *ja, const char *en)
{
    if (usage_output.json) {
        pf_error err = {0};
        pf_error_set(&err, PF_EXIT_USAGE, PF_CODE_USAGE, NULL, 0, NULL, NULL, ja, en);
        pf_error_report(&err, 1);
        return PF_EXIT_USAGE;
    }
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
    const char *sign_key, *sign_cert, *sign_chain;
    const char *listen, *socket, *token_file;
    unsigned mode, forms;
    int json, strict, jobs, quiet, fail_fast, duplex, copies, name_by_plan, no_signature_fields;
    int queue, timeout;
    pf_read_options reading;
    char *password;         /* read from password_file; never from the command line */
    pf_signer *signer;      /* loaded from sign_key, sign_cert and sign_chain */
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
    if (pf_engine_open_forms(&e, o->datadir, o->forms, &o->reading, &err))
        return fail(&e, &err, o);
    e.no_signature_fields = o->no_signature_fields;
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
    if (rc == 0 && (o->password || o->signer)) {  /* never both: refused in main */
        unsigned char *enc;
        size_t enc_len;
        rc = o->signer ? pf_pdf_sign(o->signer, pdf, pdf_len, in, &enc, &enc_len, &err)
                       : pf_pdf_encrypt(pdf, pdf_len, o->password, &enc, &enc_len, &err);
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
    if (pf_engine_open_forms(&e, o->datadir, o->forms, &o->reading, &err))
        return fail(&e, &err, o);
    int worst = 0;
    for (int i = 0; i < n; i++) {
        pf_error one = {0};
        char *xml;
        size_t len;
        const char *name = strcmp(files[i], "-") == 0 ? "<stdin>" : files[i];
        if (pf_read_file_max(files[i], o->reading.max_bytes, &xml, &len, &one) == 0) {
            pf_validate(&e, name, xml, len, o->forms, &one);
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

/* Today as YYYYMMDD, or the --today date (checked when the options were read). */
static long today_number(const char *given)
{
    return given ? pf_day_number(given) : pf_today_number();
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

/* One version for diff: the bundle read, and its forms laid out as render would, for their
 * fingerprints (none when it cannot be rendered: the plans still compare). */
typedef struct diff_side {
    char *xml;
    pf_bundle *b;
    pf_doc doc;
    struct pf_diff_form *forms;
    pf_diff_version v;
} diff_side;

static int diff_load(pf_engine *e, const cli *o, const char *in, diff_side *d, pf_error *err)
{
    size_t len;
    d->v.file = strcmp(in, "-") == 0 ? "<stdin>" : in;
    if (pf_read_file_max(in, o->reading.max_bytes, &d->xml, &len, err))
        return err->status;
    d->b = pf_bundle_read(e->schema, d->v.file, d->xml, len, err);
    if (!d->b)
        return err->status;
    pf_error quiet = {0};
    size_t n = pf_preflight(e, d->b, PF_FORM_ALL, &d->doc, &quiet) ? 0 : d->doc.n_versions;
    d->forms = pf_xcalloc(n + 1, sizeof *d->forms);
    for (size_t i = 0; i < n; i++)
        d->forms[i] = (struct pf_diff_form){d->doc.versions[i].form, d->doc.versions[i].item,
                                            d->doc.versions[i].hex};
    d->v.forms = d->forms;
    d->v.n_forms = n;
    return 0;
}

static void diff_side_free(diff_side *d)
{
    free(d->forms);
    pf_doc_free(&d->doc);
    pf_bundle_free(d->b);
    free(d->xml);
}

/* diff: exit 0 same, 1 different, 2 usage or an input that cannot be read (diff(1)'s
 * "trouble"; render's 1 for invalid input would read as "different"), 3 and 4 as elsewhere. */
static int cmd_diff(const char *old_in, const char *new_in, const cli *o)
{
    pf_error err = {0};
    pf_engine e;
    diff_side a = {0}, b = {0};
    /* the forms of both versions, for their fingerprints, and the 変更箇所一覧 */
    int rc = pf_engine_open_forms(&e, o->datadir, PF_FORM_ALL | PF_FORM_CHANGES, &o->reading, &err);
    if (rc == 0)
        rc = diff_load(&e, o, old_in, &a, &err);
    if (rc == 0)
        rc = diff_load(&e, o, new_in, &b, &err);
    pf_changes cs = {0};
    if (rc == 0)
        pf_diff(a.b, b.b, &cs);
    if (rc == 0 && o->out) {
        unsigned char *pdf = NULL;
        size_t pdf_len = 0;
        rc = pf_render_changes(&e, b.b, &cs, &a.v, &b.v, &pdf, &pdf_len, &err);
        if (rc == 0)
            rc = pf_write_file_atomic(o->out, pdf, pdf_len, o->mode, &err);
        free(pdf);
    } else if (rc == 0) {
        pf_changes_print(&cs, &a.v, &b.v, o->json, stdout);
    }
    if (rc) {
        if (err.status == PF_EXIT_INVALID)
            err.status = PF_EXIT_USAGE;
        pf_error_report(&err, o->json);
        rc = err.status;
    } else {
        rc = cs.n ? 1 : 0;
    }
    pf_changes_free(&cs);
    diff_side_free(&a);
    diff_side_free(&b);
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
        if (o->out && pf_same_file(files[0], o->out))
            return usage_error("-o に入力ファイルは使えません（計画データが PDF で置き換わります）",
                               "-o cannot name the input file (the PDF would replace the bundle)");
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
                               .signer = o->signer,
                               .name_by_plan = o->name_by_plan, .json = o->json,
                               .report = o->report,
                               .no_signature_fields = o->no_signature_fields};
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
    if (strcmp(cmd, "serve") == 0) {
        if (n != 0)
            return usage_error("serve は入力ファイルを取りません（本文で受け取ります）",
                               "serve takes no input file (bundles come in request bodies)");
        if (o->listen && o->socket)
            return usage_error("--listen と --socket はどちらか一つです",
                               "--listen and --socket exclude each other");
        pf_serve_options so = {.listen = o->listen, .socket = o->socket,
                               .token_file = o->token_file, .datadir = o->datadir,
                               .jobs = o->jobs, .queue = o->queue, .timeout = o->timeout,
                               .reading = o->reading};
        return pf_serve_run(&so);
    }
    if (strcmp(cmd, "validate") == 0) {
        if (n < 1)
            return usage_error("validate には入力ファイルを指定してください",
                               "validate needs at least one input file");
        return cmd_validate(files, n, o);
    }
    if (strcmp(cmd, "diff") == 0) {
        if (n != 2)
            return usage_error("diff には入力ファイルを二つ（変更前、変更後）指定してください",
                               "diff takes two input files (old, new)");
        if (o->out && (pf_same_file(files[0], o->out) || pf_same_file(files[1], o->out)))
            return usage_error("-o に入力ファイルは使えません", "-o cannot name an input file");
        /* standard input reads once: the second "-" met an empty input and was called
         * "not well-formed XML" */
        if (strcmp(files[0], "-") == 0 && strcmp(files[1], "-") == 0)
            return usage_error("標準入力（-）は二つの入力の一方にしか使えません",
                               "standard input (-) can be only one of the two inputs");
        return cmd_diff(files[0], files[1], o);
    }
    return usage_error("知らないサブコマンドです（render, validate, check, schedule, draft-isp, batch, "
                       "diff, serve）",
                       "unknown subcommand (render, validate, check, schedule, draft-isp, batch, "
                       "diff, serve)");
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

/* The signing options go together: a key and its certificate, a chain only with them. A
 * signature and a password are refused together: the signature would have to be appended to
 * the encrypted file with its strings encrypted too, and qpdf (which encrypts) rewrites the
 * whole file, which would break a signature made before. */
static int signing_options(const cli *o)
{
    if ((o->sign_cert || o->sign_chain) && !o->sign_key)
        return usage_error("--sign-cert と --sign-chain には --sign-key が必要です",
                           "--sign-cert and --sign-chain need --sign-key");
    if (o->sign_key && !o->sign_cert)
        return usage_error("--sign-key には証明書 --sign-cert CERT.pem が必要です",
                           "--sign-key needs the certificate, --sign-cert CERT.pem");
    if (o->sign_key && o->password_file)
        return usage_error("署名（--sign-key）と暗号化（--password-file）は一緒に使えません。"
                           "署名した PDF は暗号化せずに渡すか、別々に作ってください",
                           "signing (--sign-key) and encryption (--password-file) cannot be "
                           "used together: hand over the signed PDF unencrypted, or make the "
                           "two separately");
    return 0;
}

/* An option the subcommand does not take is exit 2 naming it and where it applies, never
 * silently ignored (option_docs says which take which). */
static int options_apply(const char *cmd, const char seen[128])
{
    if (!find_command(cmd))
        return 0;   /* run() names the unknown subcommand */
    for (size_t i = 0; i < sizeof option_docs / sizeof option_docs[0]; i++) {
        const struct option_doc *d = &option_docs[i];
        if (!seen[d->opt] || option_taken(d->opt, cmd))
            continue;
        pf_buf list = {0};  /* the subcommands that take it, in help's order: "render, batch" */
        for (size_t k = 0; k < sizeof commands / sizeof commands[0]; k++)
            if (option_taken(d->opt, commands[k].name))
                pf_buf_printf(&list, "%s%s", list.len ? ", " : "", commands[k].name);
        const char *name = strstr(d->spelling, "--");
        size_t name_len = strcspn(name, " ");
        char *ja = pf_xasprintf("%.*s は %s では使えません（%s で使えます）", (int)name_len, name,
                                cmd, list.data);
        char *en = pf_xasprintf("%.*s does not apply to %s (only to %s)", (int)name_len, name, cmd,
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
        {"verbose", no_argument, 0, 'v'},      {"name-by", required_argument, 0, 'N'},      {"password-file", required_argument, 0, 'W'},
        /* an exact "--password" (which getopt would otherwise take as an abbreviation of
         * --password-file) is refused: a password on the command line is in the process list */
        {"password", optional_argument, 0, 'X'},
        {"report", required_argument, 0, 'r'},
        {"no-signature-fields", no_argument, 0, 'G'},
        {"sign-key", required_argument, 0, 'K'}, {"sign-cert", required_argument, 0, 'S'},
        {"sign-chain", required_argument, 0, 'H'},
        {"listen", required_argument, 0, 'L'}, {"socket", required_argument, 0, 'U'},
        {"token-file", required_argument, 0, 'k'}, {"queue", required_argument, 0, 'Q'},
        {"timeout", required_argument, 0, 't'},
        {0, 0, 0, 0}};
    cli o = {.mode = 0600, .forms = PF_FORM_ALL, .copies = 1, .reading = {PF_MAX_INPUT, 0},
             .queue = -1};
    int c;
    opterr = 0;
    /* GNU getopt moves the subcommand and file names to the end, so options may stand
     * anywhere: `planform render a.xml -o a.pdf` and `planform -o a.pdf render a.xml`. */
    char seen[128] = {0};  /* which options were given, by their getopt value */
    /* --json, for usage_error: read from a copy, as GNU getopt reorders what it reads (an
     * option left without its value would take the subcommand as one the second time) */
    char **copy = pf_xcalloc((size_t)argc + 1, sizeof *copy);
    memcpy(copy, argv, (size_t)argc * sizeof *copy);
    while ((c = getopt_long(argc, copy, ":o:f:h", opts, NULL)) != -1)
        usage_output.json |= c == 'j';
    free(copy);
    optind = 0;  /* GNU getopt: start again from the first argument */
    while ((c = getopt_long(argc, argv, ":o:f:h", opts, NULL)) != -1) {
        if (c > 0 && c < 128)
            seen[c] = 1;
        switch (c) {
        case 'o': o.out = optarg; break;
        case 'f':
            o.forms = pf_forms_parse(optarg);
            if (!o.forms) {
                pf_buf ja_names = {0}, en_names = {0};
                pf_forms_list(&ja_names, 1);
                pf_forms_list(&en_names, 0);
                char *ja = pf_xasprintf("--form は %sです", ja_names.data);
                char *en = pf_xasprintf("--form takes %s", en_names.data);
                pf_buf_free(&ja_names);
                pf_buf_free(&en_names);
                int rc = option_error(ja, en, optarg, 0);
                free(ja);
                free(en);
                return rc;
            }
            break;
        case 'j': o.json = 1; break;
        case 'q': o.quiet = 1; break;
        case 'R': o.print = optarg; break;
        case 'r': o.report = optarg; break;
        case 'D': o.duplex = 1; break;
        case 'G': o.no_signature_fields = 1; break;
        case 'C': {
            char *end;
            long v = strtol(optarg, &end, 10);
            if (*end || v < 1 || v > 20)
                return usage_error("--copies は 1 から 20 の数です", "--copies takes a number from 1 to 20");
            o.copies = (int)v;
            break;
        }
        case 'F': o.fail_fast = 1; break;
        case 'N':
            if (strcmp(optarg, "plan") != 0 && strcmp(optarg, "person") != 0)
                return option_error("--name-by は plan か person です", "--name-by takes plan or person",
                                    optarg, 0);
            o.name_by_plan = strcmp(optarg, "plan") == 0;
            break;
        case 'v': o.reading.verbose = 1; break;
        case 'W': o.password_file = optarg; break;
        case 'K': o.sign_key = optarg; break;
        case 'S': o.sign_cert = optarg; break;
        case 'H': o.sign_chain = optarg; break;
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
        case 'L': o.listen = optarg; break;
        case 'U': o.socket = optarg; break;
        case 'k': o.token_file = optarg; break;
        case 'Q': {
            char *end;
            long v = strtol(optarg, &end, 10);
            if (!*optarg || *end || v < 0 || v > 100000)
                return usage_error("--queue は 0 から 100000 の数です",
                                   "--queue takes a number from 0 to 100000");
            o.queue = (int)v;
            break;
        }
        case 't': {
            char *end;
            long v = strtol(optarg, &end, 10);
            if (!*optarg || *end || v < 1 || v > 3600)
                return usage_error("--timeout は 1 から 3600 の秒数です",
                                   "--timeout takes seconds, from 1 to 3600");
            o.timeout = (int)v;
            break;
        }
        case 'p': o.provider = optarg; break;
        case 'P': o.plan = optarg; break;
        case 'T':
            if (!pf_day_number(optarg))
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
        case 'h': break;    /* after the subcommand is known: its own help */
        case 'V': printf("planform %s\n", PLANFORM_VERSION); return 0;
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
    /* `planform render --help`, `planform help render`: the command's own help */
    const char *help_for = seen['h'] && optind < argc ? argv[optind] : NULL;
    if (!seen['h'] && optind < argc && strcmp(argv[optind], "help") == 0) {
        if (optind + 2 < argc)
            return usage_error("help にはサブコマンドを一つ指定してください",
                               "help takes at most one subcommand");
        help_for = optind + 1 < argc ? argv[optind + 1] : NULL;
        seen['h'] = 1;
    }
    if (seen['h']) {
        if (help_for && !find_command(help_for))
            return option_error("知らないサブコマンドです", "unknown subcommand", help_for, 0);
        if (help_for)
            command_usage(stdout, find_command(help_for));
        else
            usage(stdout);
        return 0;
    }
    if (optind >= argc)
        return usage_error("サブコマンドがありません（render, validate, check, schedule, draft-isp, "
                           "batch, diff, serve）",
                           "missing subcommand (render, validate, check, schedule, draft-isp, "
                           "batch, diff, serve)");
    const char *cmd = argv[optind++];
    int bad_option = options_apply(cmd, seen);
    if (bad_option)
        return bad_option;
    int rc = signing_options(&o);
    if (rc)
        return rc;
    if (o.password_file) {
        pf_error err = {0};
        if (pf_password_read(o.password_file, &o.password, &err) ||
            pf_encrypt_available(&err)) {
            pf_error_report(&err, o.json);
            free(o.password);
            return err.status;
        }
    }
    if (o.sign_key) {
        pf_error err = {0};
        if (pf_signer_load(o.sign_key, o.sign_cert, o.sign_chain, &o.signer, &err)) {
            pf_error_report(&err, o.json);
            free(o.password);
            return err.status;
        }
    }
    rc = run(cmd, argv + optind, argc - optind, &o);
    free(o.password);
    pf_signer_free(o.signer);
    return rc;
}
