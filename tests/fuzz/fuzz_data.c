/* fuzz_data — libFuzzer target over planform's data directory (--data): a mutated template,
 * schema, font chain or font file, then the engine's loading of it and a render of a sample.
 * A broken data file must end in a clean error (exit status 3 with a message naming it), or
 * in a PDF; never a crash, a leak or undefined behaviour. Built and run by `make fuzz-data`.
 *
 * Input: byte 0 chooses the file (KINDS below), byte 1 the sample and the form rendered, the
 * rest is the file's new content. The data directory is a temporary copy made once per process
 * (templates/ from the repository, fonts/ with a fonts.conf and chain.conf of its own); each
 * input rewrites one file, loads that file the way pf_engine_open does (pf_template_load,
 * pf_schema_load, pf_fontset_load) into a copy of an engine opened once, renders, and puts the
 * file back. Fonts: two small seed fonts, subsets of the installed IPAexMincho (kana, ASCII,
 * punctuation) and IPAmjMincho (the variant kanji of names, with their variation sequences),
 * written without a name table so that fontconfig calls them by their file names, fuzzmincho
 * and fuzzmj; they come first in every chain, the full fonts after them.
 *
 * Environment: PF_FUZZ_DATA_SEEDS=DIR writes one seed input per kind to DIR and exits (make
 * fuzz-data does this first); PF_FUZZ_DATA_EXPORT=DIR writes the input's data directory overlay
 * to DIR (DIR/templates/..., DIR/fonts/..., DIR/args: the sample and --form), the layout
 * tests/fuzz/regressions-data/ keeps and tests/hostile.sh replays with planform itself;
 * PF_FUZZ_VERBOSE=1 prints what became of each input. */
#include <dirent.h>
#include <hb-subset.h>
#include <hb.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness.h"
#include "util/files.h"

enum { K_TEMPLATE0, K_SCHEMA = 6, K_CHAIN, K_FONT0, N_KINDS = K_FONT0 + 2 };

static const char *const TEMPLATES[6] = {"service-use-plan", "individual-support-plan",
                                         "child-support-plan", "linkage", "monitoring",
                                         "evaluation"};
static const unsigned TEMPLATE_FORM[6] = {PF_FORM_PLAN, PF_FORM_ISP, PF_FORM_ISP, PF_FORM_LINKAGE,
                                          PF_FORM_MONITORING, PF_FORM_EVALUATION};
static const char *const FORM_NAMES[5] = {"plan", "isp", "linkage", "monitoring", "evaluation"};
static const char *const SAMPLES[3] = {"a-san", "child", "overflow"};
static const char *const FONTS[2] = {"fuzzmincho", "fuzzmj"};
static const char CHAIN[] = "mincho fuzzmincho fuzzmj IPAexMincho IPAmjMincho\n"
                            "gothic fuzzmincho fuzzmj IPAexGothic IPAexMincho IPAmjMincho\n";

/* What became of an input, as libFuzzer's extra counters: the code a font or a schema exercises
 * is mostly in libraries that are not instrumented, so to the coverage a font that renders
 * looks like a template that renders, and the corpus would keep neither fonts nor schemas.
 * With a counter per kind and outcome it keeps at least one input of each. */
enum { OUT_NOT_LOADED, OUT_INVALID, OUT_RESOURCE, OUT_PDF, N_OUTCOMES };
__attribute__((section("__libfuzzer_extra_counters"))) static uint8_t outcome[N_KINDS][N_OUTCOMES];

/* The harness's one context: what is set up once per process. */
static struct {
    int ready;
    char dir[64];                /* the temporary data directory */
    pf_engine *base;             /* opened on the repository's data */
    pf_buf sample[3];
    pf_buf original[N_KINDS];    /* each file's content, to put back after an input */
    char *path[N_KINDS];
} ctx;

static void write_file(const char *path, const void *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(data, 1, len, f) != len || fclose(f) != 0)
        fuzz_fail("cannot write the temporary data directory", NULL);
}

static void read_into(const char *path, pf_buf *out)
{
    pf_error err = {0};
    char *data = NULL;
    size_t len = 0;
    if (pf_read_file(path, &data, &len, &err))
        fuzz_fail("cannot read the repository's data", &err);
    pf_buf_add(out, data, len);
    free(data);
}

static void make_dir(const char *path)
{
    if (mkdir(path, 0700) != 0)
        fuzz_fail("cannot make the temporary data directory", NULL);
}

/* A seed font: `family` of the base engine cut down to the characters of `text`, without its
 * name table. */
static void seed_font(const char *family, const char *text, pf_buf *out)
{
    const pf_fontset *fs = ctx.base->fonts;
    const char *path = NULL;
    for (size_t i = 0; i < pf_fontset_count(fs); i++)
        if (strcmp(pf_font_family(pf_fontset_font(fs, i)), family) == 0)
            path = pf_font_path(pf_fontset_font(fs, i));
    if (!path)
        fuzz_fail("a font of fonts/chain.conf is not in the fontset", NULL);
    hb_blob_t *blob = hb_blob_create_from_file_or_fail(path);
    hb_face_t *face = hb_face_create(blob, 0);
    hb_subset_input_t *in = hb_subset_input_create_or_fail();
    if (!blob || !in)
        fuzz_fail("cannot open a font to make a seed", NULL);
    hb_set_t *cps = hb_subset_input_unicode_set(in);
    size_t i = 0, len = strlen(text);
    int32_t cp;
    while (i < len && (cp = pf_utf8_next(text, len, &i)) >= 0)
        hb_set_add(cps, (hb_codepoint_t)cp);
    hb_set_add(hb_subset_input_set(in, HB_SUBSET_SETS_DROP_TABLE_TAG), HB_TAG('n', 'a', 'm', 'e'));
    hb_face_t *sub = hb_subset_or_fail(face, in);
    if (!sub)
        fuzz_fail("hb-subset failed on a seed font", NULL);
    hb_blob_t *res = hb_face_reference_blob(sub);
    unsigned n = 0;
    const char *data = hb_blob_get_data(res, &n);
    pf_buf_add(out, data, n);
    hb_blob_destroy(res);
    hb_face_destroy(sub);
    hb_subset_input_destroy(in);
    hb_face_destroy(face);
    hb_blob_destroy(blob);
}

static void remove_tree(const char *path)
{
    DIR *d = opendir(path);
    if (d) {
        for (struct dirent *de; (de = readdir(d)) != NULL;)
            if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..")) {
                char *sub = pf_xasprintf("%s/%s", path, de->d_name);
                remove_tree(sub);
                free(sub);
            }
        closedir(d);
        rmdir(path);
    } else {
        unlink(path);
    }
}

static void cleanup(void)
{
    if (ctx.dir[0])
        remove_tree(ctx.dir);
}

/* Fontconfig keeps what it found in a directory in a cache; a font rewritten in place (this
 * input's, or the last one's put back) must be scanned again, as a fresh `planform --data`
 * would. */
static void forget_font_cache(void)
{
    char *cache = pf_xasprintf("%s/cache", ctx.dir);
    remove_tree(cache);
    make_dir(cache);
    free(cache);
}

static void setup(void)
{
    ctx.base = fuzz_engine();
    const char *repo = pf_default_datadir();
    snprintf(ctx.dir, sizeof ctx.dir, "/tmp/pf-fuzz-data-XXXXXX");
    if (!mkdtemp(ctx.dir))
        fuzz_fail("cannot make the temporary data directory", NULL);
    atexit(cleanup);
    char *sub[] = {pf_xasprintf("%s/templates", ctx.dir), pf_xasprintf("%s/fonts", ctx.dir),
                   pf_xasprintf("%s/fonts/files", ctx.dir), pf_xasprintf("%s/cache", ctx.dir)};
    for (int k = 0; k < 4; k++) {
        make_dir(sub[k]);
        free(sub[k]);
    }
    for (int k = 0; k < 6; k++) {
        ctx.path[K_TEMPLATE0 + k] = pf_xasprintf("%s/templates/%s.xml", ctx.dir, TEMPLATES[k]);
        char *from = pf_xasprintf("%s/templates/%s.xml", repo, TEMPLATES[k]);
        read_into(from, &ctx.original[K_TEMPLATE0 + k]);
        free(from);
    }
    ctx.path[K_SCHEMA] = pf_xasprintf("%s/templates/plan.xsd", ctx.dir);
    char *xsd = pf_xasprintf("%s/templates/plan.xsd", repo);
    read_into(xsd, &ctx.original[K_SCHEMA]);
    free(xsd);
    /* the template language: not mutated, but every template is checked against it */
    pf_buf language = {0};
    char *lang_from = pf_xasprintf("%s/templates/template.xsd", repo);
    char *lang_to = pf_xasprintf("%s/templates/template.xsd", ctx.dir);
    read_into(lang_from, &language);
    write_file(lang_to, language.data, language.len);
    free(lang_from);
    free(lang_to);
    pf_buf_free(&language);
    ctx.path[K_CHAIN] = pf_xasprintf("%s/fonts/chain.conf", ctx.dir);
    pf_buf_adds(&ctx.original[K_CHAIN], CHAIN);
    for (int k = 0; k < 2; k++)
        ctx.path[K_FONT0 + k] = pf_xasprintf("%s/fonts/files/%s.ttf", ctx.dir, FONTS[k]);
    seed_font("IPAexMincho",
              " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~"
              "あいうえおかきくけこさしすせそたちつてとなにぬねのはひふへほまみむめもやゆよらりるれろわをん"
              "がぎぐげござじずぜぞだぢづでどばびぶべぼぱぴぷぺぽぁぃぅぇぉっゃゅょ"
              "、。・ー「」（）〜…月日年",
              &ctx.original[K_FONT0]);
    seed_font("IPAmjMincho", "髙﨑𠮷葛\U000E0100\U000E0101橋郎山太", &ctx.original[K_FONT0 + 1]);
    for (int k = 0; k < N_KINDS; k++)
        write_file(ctx.path[k], ctx.original[k].data, ctx.original[k].len);
    char *conf = pf_xasprintf("%s/fonts/fonts.conf", ctx.dir);
    char *text = pf_xasprintf("<?xml version=\"1.0\"?>\n<fontconfig>\n  <dir>%s/fonts/files</dir>\n"
                              "  <dir>/usr/share/fonts</dir>\n  <dir>/usr/local/share/fonts</dir>\n"
                              "  <cachedir>%s/cache</cachedir>\n"
                              "  <cachedir>/var/cache/fontconfig</cachedir>\n</fontconfig>\n",
                              ctx.dir, ctx.dir);
    write_file(conf, text, strlen(text));
    free(conf);
    free(text);
    for (int k = 0; k < 3; k++) {
        char *path = pf_xasprintf("%s/samples/%s.xml", repo, SAMPLES[k]);
        read_into(path, &ctx.sample[k]);
        free(path);
    }
    ctx.ready = 1;
}

/* PF_FUZZ_DATA_SEEDS: one input per kind, the file as it is. */
static void write_seeds(const char *dir)
{
    for (int k = 0; k < N_KINDS; k++) {
        char *path = pf_xasprintf("%s/seed-%d", dir, k);
        pf_buf in = {0};
        unsigned char head[2] = {(unsigned char)k, (unsigned char)(k == K_TEMPLATE0 + 2)};
        pf_buf_add(&in, head, 2);
        pf_buf_add(&in, ctx.original[k].data, ctx.original[k].len);
        write_file(path, in.data, in.len);
        pf_buf_free(&in);
        free(path);
    }
}

/* PF_FUZZ_DATA_EXPORT: the files this input's data directory differs in (fonts: both fuzz
 * fonts and the chain naming them, since the repository has neither), and the arguments. */
static void export_overlay(const char *dir, int kind, const uint8_t *data, size_t size,
                           int sample, unsigned forms)
{
    char *path[] = {pf_xasprintf("%s/templates", dir), pf_xasprintf("%s/fonts", dir),
                    pf_xasprintf("%s/fonts/files", dir)};
    for (int k = 0; k < 3; k++) {
        mkdir(path[k], 0755);
        free(path[k]);
    }
    if (kind <= K_SCHEMA) {
        char *out = pf_xasprintf("%s%s", dir, ctx.path[kind] + strlen(ctx.dir));
        write_file(out, data, size);
        free(out);
    } else {
        for (int k = K_CHAIN; k < N_KINDS; k++) {
            char *out = pf_xasprintf("%s%s", dir, ctx.path[k] + strlen(ctx.dir));
            write_file(out, k == kind ? (const void *)data : ctx.original[k].data,
                       k == kind ? size : ctx.original[k].len);
            free(out);
        }
    }
    pf_buf args = {0};
    pf_buf_printf(&args, "samples/%s.xml --form ", SAMPLES[sample]);
    for (int k = 0, first = 1; k < 5; k++)
        if (forms & 1u << k) {
            pf_buf_printf(&args, "%s%s", first ? "" : ",", FORM_NAMES[k]);
            first = 0;
        }
    pf_buf_adds(&args, "\n");
    char *out = pf_xasprintf("%s/args", dir);
    write_file(out, args.data, args.len);
    free(out);
    pf_buf_free(&args);
}

/* A data file that did not load: exit status 3, with a message. */
static void expect_resource_error(const char *what, const pf_error *err)
{
    if (err->status != PF_EXIT_RESOURCE || !err->msg_ja[0] || !err->msg_en[0])
        fuzz_fail(what, err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!ctx.ready) {
        setup();
        const char *seeds = getenv("PF_FUZZ_DATA_SEEDS");
        if (seeds) {
            write_seeds(seeds);
            cleanup();
            _exit(0);  /* libFuzzer takes exit() from a fuzz target for a crash */
        }
    }
    if (size < 2)
        return 0;
    int kind = data[0] % N_KINDS;
    unsigned opt = data[1];
    data += 2, size -= 2;
    /* a sample that prints the form: only child.xml has a child's ISP, only a-san.xml an
     * adult's ISP, a monitoring report and an evaluation */
    int sample = (int)(opt % 3);
    if (kind == K_TEMPLATE0 + 2)
        sample = 1;
    else if (kind == K_TEMPLATE0 + 1 || kind == K_TEMPLATE0 + 4 || kind == K_TEMPLATE0 + 5)
        sample = 0;
    unsigned forms = kind < K_SCHEMA ? TEMPLATE_FORM[kind - K_TEMPLATE0] : 1u << (opt / 4 % 5);
    const char *export = getenv("PF_FUZZ_DATA_EXPORT");
    if (export)
        export_overlay(export, kind, data, size, sample, forms);

    write_file(ctx.path[kind], data, size);
    pf_engine e = *ctx.base;   /* the base engine's parts, one of them replaced */
    pf_error err = {0};
    pf_template *t = NULL;
    pf_schema *schema = NULL;
    pf_fontset *fonts = NULL;
    int loaded = 0;
    if (kind < K_SCHEMA) {
        t = pf_template_load(ctx.path[kind], ctx.base->template_schema, &err);
        pf_template **slots[] = {&e.forms[0][0], &e.forms[1][0], &e.forms[1][1], &e.forms[2][0],
                                 &e.forms[3][0], &e.forms[4][0]};
        *slots[kind - K_TEMPLATE0] = t;
        loaded = t != NULL;
    } else if (kind == K_SCHEMA) {
        e.schema = schema = pf_schema_load(ctx.path[kind], &err);
        loaded = schema != NULL;
    } else {
        forget_font_cache();  /* the last input's font may have been scanned */
        e.fonts = fonts = pf_fontset_load(ctx.path[K_CHAIN], &err);
        loaded = fonts != NULL;
    }
    if (!loaded) {
        expect_resource_error("a data file failed to load without a resource error", &err);
        outcome[kind][OUT_NOT_LOADED]++;
    } else {
        e.labels = pf_shape_memo_new();
        unsigned char *pdf = NULL;
        size_t len = 0;
        const pf_buf *s = &ctx.sample[sample];
        if (pf_render(&e, "sample.xml", s->data, s->len, forms, &pdf, &len, &err)) {
            if ((err.status != PF_EXIT_INVALID && err.status != PF_EXIT_RESOURCE) ||
                !err.msg_ja[0] || !err.msg_en[0])
                fuzz_fail("render: a broken data file ended in an unexpected error", &err);
            outcome[kind][err.status == PF_EXIT_INVALID ? OUT_INVALID : OUT_RESOURCE]++;
        } else if (len < 16 || memcmp(pdf, "%PDF-", 5) != 0) {
            fuzz_fail("render: succeeded without a PDF", NULL);
        } else {
            outcome[kind][OUT_PDF]++;
        }
        free(pdf);
        pf_shape_memo_free(e.labels);
    }
    if (getenv("PF_FUZZ_VERBOSE")) {  /* what became of the input */
        fprintf(stderr, "fuzz_data: kind %d, sample %s, forms %u: status %d\n", kind,
                SAMPLES[sample], forms, err.status);
        if (err.status)
            pf_error_print(&err);
    }
    pf_template_free(t);
    pf_schema_free(schema);
    pf_fontset_free(fonts);
    write_file(ctx.path[kind], ctx.original[kind].data, ctx.original[kind].len);
    return 0;
}
