/* font — fontconfig lookup, fallback chains, HarfBuzz shaping, hb-subset. See font.h. */
#include "font/font.h"

#include <errno.h>
#include <fcntl.h>
#include <fontconfig/fontconfig.h>
#include <hb-ot.h>
#include <hb-subset.h>
#include <hb.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "util/xml.h"

#define MAX_CHAIN 8
#define BUF_KEEP 8192      /* glyphs: a shaping buffer larger than this is not kept */

struct pf_font {
    char *family;
    char *path;
    int index;             /* face index in the file */
    hb_blob_t *blob;       /* NULL until first use */
    hb_face_t *face;
    hb_font_t *hb;
    unsigned upem;
    int failed;            /* opening it failed once, not retried: -1 not a usable font file,
                              else the errno value that stopped it (ENOMEM, EMFILE, ENOENT...) */
    int abandoned;         /* HarfBuzz ran out of memory while subsetting this face: its lazily
                              loaded tables may be half made, and destroying the face then
                              crashes (HarfBuzz 6); it is left to the process's end */
};

typedef struct chain {
    char *role;
    int fonts[MAX_CHAIN];  /* indexes in fontset->fonts */
    int n;
} chain;

struct pf_fontset {
    pf_font *fonts;
    size_t n_fonts, cap_fonts;
    chain *chains;
    size_t n_chains, cap_chains;
    hb_buffer_t *buf;      /* reused for every shaping call */
    char conf_path[512];
    int fc_errno;          /* errno as fontconfig left it after loading its configuration */
};

/* Ask fontconfig for the file of an installed family; exact family match only, so that a missing
 * IPAex font is reported instead of silently replaced by whatever fontconfig prefers. 1 found,
 * 0 not installed, -1 fontconfig could not allocate (its only way of failing here). */
static int find_family(FcConfig *cfg, const char *family, char **path, int *index)
{
    FcPattern *pat = FcPatternCreate();
    FcObjectSet *os = FcObjectSetBuild(FC_FILE, FC_INDEX, FC_STYLE, (char *)0);
    int found = -1;
    if (pat && os && FcPatternAddString(pat, FC_FAMILY, (const FcChar8 *)family)) {
        FcFontSet *set = FcFontList(cfg, pat, os);
        if (set)
            found = 0;
        for (int i = 0; set && i < set->nfont && !found; i++) {
            FcChar8 *file = NULL;
            int idx = 0;
            if (FcPatternGetString(set->fonts[i], FC_FILE, 0, &file) != FcResultMatch)
                continue;
            FcPatternGetInteger(set->fonts[i], FC_INDEX, 0, &idx);
            *path = pf_xstrdup((const char *)file);
            *index = idx;
            found = 1;
        }
        if (set)
            FcFontSetDestroy(set);
    }
    if (os)
        FcObjectSetDestroy(os);
    if (pat)
        FcPatternDestroy(pat);
    return found;
}

/* How many descriptors fontconfig may hold at once: reading a font folder without a cache it
 * holds the folder and the font file FreeType opens (fontconfig 2.14 scans and writes its
 * caches with two free), and one more for a cache file written meanwhile. */
#define FC_MAX_FDS 3

/* 0 when n more descriptors can be open at once now, else the errno (EMFILE, ENFILE). */
static int fd_headroom(int n)
{
    int fds[FC_MAX_FDS], k = 0, e = 0;
    while (k < n && k < FC_MAX_FDS) {
        int fd = open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0) {
            e = errno;
            break;
        }
        fds[k++] = fd;
    }
    while (k > 0)
        close(fds[--k]);
    return e;
}

static int font_index(pf_fontset *fs, FcConfig *cfg, const char *family, pf_error *err)
{
    for (size_t i = 0; i < fs->n_fonts; i++)
        if (strcmp(fs->fonts[i].family, family) == 0)
            return (int)i;
    char *path = NULL;
    int index = 0;
    int found = find_family(cfg, family, &path, &index);
    /* Not found may only mean that fontconfig could not read its caches and folders: with no
     * descriptor or memory left it finds nothing, and that is not "not installed". */
    int cause = found < 0 ? ENOMEM : found ? 0 : pf_load_cause(fs->conf_path, fs->fc_errno);
    if (pf_errno_is_resource(cause)) {
        char ja[300], en[300];
        snprintf(ja, sizeof ja, "フォント「%s」を探せません", family);
        snprintf(en, sizeof en, "cannot look up font family \"%s\"", family);
        pf_error_errno(err, PF_EXIT_RESOURCE, PF_CODE_FONT_MISSING, fs->conf_path, 0, cause, ja,
                       en);
        return -1;
    }
    if (!found) {
        pf_error_setf(err, PF_EXIT_RESOURCE, PF_CODE_FONT_MISSING, fs->conf_path, 0, "フォント",
                      "font",
                      "フォント「%s」が見つかりません（Debian: apt-get install fonts-ipaexfont "
                      "fonts-ipamj-mincho）",
                      "font family \"%s\" is not installed (Debian: apt-get install "
                      "fonts-ipaexfont fonts-ipamj-mincho)",
                      family);
        return -1;
    }
    PF_GROW(fs->fonts, fs->n_fonts, fs->cap_fonts);
    pf_font *f = &fs->fonts[fs->n_fonts];
    memset(f, 0, sizeof *f);
    f->family = pf_xstrdup(family);
    f->path = path;
    f->index = index;
    return (int)fs->n_fonts++;
}

static int parse_chain_line(pf_fontset *fs, FcConfig *cfg, char *line, int lineno, pf_error *err)
{
    char *save = NULL;
    char *role = strtok_r(line, " \t\r\n", &save);
    if (!role || role[0] == '#')
        return 0;
    PF_GROW(fs->chains, fs->n_chains, fs->cap_chains);
    chain *c = &fs->chains[fs->n_chains++];
    memset(c, 0, sizeof *c);
    c->role = pf_xstrdup(role);
    for (char *fam; (fam = strtok_r(NULL, " \t\r\n", &save)) != NULL;) {
        if (c->n == MAX_CHAIN)
            return pf_error_setf(err, PF_EXIT_RESOURCE, PF_CODE_FONT_BROKEN, fs->conf_path, lineno,
                                 NULL, NULL, "フォントは一つの役割に%d個までです",
                                 "at most %d fonts per role", MAX_CHAIN);
        int k = font_index(fs, cfg, fam, err);
        if (k < 0)
            return err->status;
        c->fonts[c->n++] = k;
    }
    if (c->n == 0)
        return pf_error_setf(err, PF_EXIT_RESOURCE, PF_CODE_FONT_BROKEN, fs->conf_path, lineno,
                             NULL, NULL,
                             "役割「%s」にフォントがありません", "role \"%s\" names no font", role);
    return 0;
}

/* A data folder's fonts.conf says where fonts are, nothing more: its <dir> elements are kept
 * and everything fontconfig would do besides is planform's choice. fontconfig writes caches
 * where <cachedir> says, so a data folder from elsewhere must not make planform write anywhere:
 * a <cachedir> must be inside the data folder, and without one the caches are the system's.
 * Any other element is an error naming its line. Returns the configuration to load (malloc'd), or NULL with `err` set. */
static char *data_fontconfig(const char *path, pf_error *err)
{
    pf_xml_setup();
    xmlDoc *doc = xmlReadFile(path, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    if (!doc) {
        const xmlError *x = xmlGetLastError();
        int e = pf_load_cause(path, x ? pf_xml_errno(x) : 0);
        if (e)
            pf_error_errno(err, PF_EXIT_RESOURCE, PF_CODE_FONT_BROKEN, path, 0, e,
                           "fonts.conf を読めません", "cannot read fonts.conf");
        else
            pf_error_set(err, PF_EXIT_RESOURCE, PF_CODE_FONT_BROKEN, path, x ? x->line : 0, NULL,
                         NULL,
                         "fonts.conf が XML として正しくありません", "fonts.conf is not well-formed XML");
        return NULL;
    }
    xmlNode *root = xmlDocGetRootElement(doc);
    char *copy = pf_xstrdup(path), *slash = strrchr(copy, '/');
    const char *folder = slash ? (*slash = 0, copy) : ".";
    pf_buf out = {0};
    pf_buf_adds(&out, "<?xml version=\"1.0\"?>\n<fontconfig>\n");
    int bad_line = 0;
    const char *bad = NULL;
    if (!root || xmlStrcmp(root->name, (const xmlChar *)"fontconfig") != 0) {
        bad_line = root ? root->line : 1;
        bad = root ? (const char *)root->name : "";
    }
    /* the data folder holds fonts/fonts.conf: a cache folder may only be inside it */
    char *data = pf_xstrdup(folder), *up = strrchr(data, '/');
    if (up && up != data)
        *up = 0;
    char *data_real = realpath(data, NULL);
    int caches = 0;
    for (xmlNode *n = root && !bad ? root->children : NULL; n && !bad; n = n->next) {
        if (n->type == XML_COMMENT_NODE || (n->type == XML_TEXT_NODE && xmlIsBlankNode(n)))
            continue;
        int is_dir = n->type == XML_ELEMENT_NODE && xmlStrcmp(n->name, (const xmlChar *)"dir") == 0;
        int is_cache = n->type == XML_ELEMENT_NODE &&
                       xmlStrcmp(n->name, (const xmlChar *)"cachedir") == 0;
        if (!is_dir && !is_cache) {
            bad_line = n->line;
            bad = n->type == XML_ELEMENT_NODE ? (const char *)n->name : "text";
            break;
        }
        /* a relative folder is the data folder's own (fontconfig would take it from the
         * current directory once the text is loaded from memory) */
        xmlChar *text = xmlNodeGetContent(n), *prefix = xmlGetProp(n, (const xmlChar *)"prefix");
        int xdg = prefix && xmlStrcmp(prefix, (const xmlChar *)"xdg") == 0;
        const char *d = text ? (const char *)text : "";
        char *abs = d[0] == '/' || xdg ? pf_xstrdup(d) : pf_xasprintf("%s/%s", folder, d);
        if (is_cache) {
            size_t k = data_real ? strlen(data_real) : 0;
            int inside = !xdg && data_real && strncmp(abs, data_real, k) == 0 && abs[k] == '/' &&
                         !strstr(abs, "/../") && !(strlen(abs) >= 3 && strcmp(abs + strlen(abs) - 3, "/..") == 0);
            if (!inside) {
                bad_line = n->line;
                bad = "cachedir";
            }
            caches++;
        }
        if (!bad) {
            pf_buf_adds(&out, is_cache ? "<cachedir>" : xdg ? "<dir prefix=\"xdg\">" : "<dir>");
            for (const char *c = abs; *c; c++)
                pf_buf_adds(&out, *c == '&' ? "&amp;" : *c == '<' ? "&lt;" : *c == '>' ? "&gt;"
                                                                          : (char[2]){*c, 0});
            pf_buf_adds(&out, is_cache ? "</cachedir>\n" : "</dir>\n");
        }
        free(abs);
        xmlFree(text);
        xmlFree(prefix);
    }
    free(data);
    free(data_real);
    if (bad) {
        pf_error_setf(err, PF_EXIT_RESOURCE, PF_CODE_FONT_BROKEN, path, bad_line, NULL, NULL,
                      "fonts.conf には <dir> と、データフォルダの中の <cachedir> だけを書けます"
                      "（<%s> は使えません）",
                      "fonts.conf may hold only <dir>, and <cachedir> inside the data folder "
                      "(not this <%s>)",
                      bad);
        pf_buf_free(&out);
        xmlFreeDoc(doc);
        free(copy);
        return NULL;
    }
    free(copy);
    if (!caches)
        pf_buf_adds(&out, "<cachedir>/var/cache/fontconfig</cachedir>\n"
                          "<cachedir prefix=\"xdg\">fontconfig</cachedir>\n");
    pf_buf_adds(&out, "</fontconfig>\n");
    xmlFreeDoc(doc);
    return out.data;
}

/* fonts.conf beside chain.conf, else the system's configuration. NULL with `err` set when
 * fontconfig fails for want of memory or descriptors; fs->fc_errno keeps errno as fontconfig
 * left it, for telling later whether a family it did not find is really not installed. */
static FcConfig *load_fontconfig(pf_fontset *fs, pf_error *err)
{
    char *dir = pf_xstrdup(fs->conf_path);
    char *slash = strrchr(dir, '/');
    char *rel = pf_xasprintf("%s/fonts.conf", slash ? (*slash = 0, dir) : ".");
    /* fontconfig reads a relative name from /etc/fonts, not from here */
    char *path = realpath(rel, NULL);
    free(rel);
    free(dir);
    FcConfig *cfg = NULL;
    int cause = 0;
    errno = 0;
    char *conf = path ? data_fontconfig(path, err) : NULL;
    if (path && !conf) {
        free(path);
        return NULL;
    }
    if (conf) {
        cfg = FcConfigCreate();
        if (!cfg) {
            cause = ENOMEM;
        } else if (!FcConfigParseAndLoadFromMemory(cfg, (const FcChar8 *)conf, FcTrue)) {
            /* Unreadable for want of descriptors or memory: the system's. Otherwise the file
             * is broken, and the system's configuration is tried as before. */
            int e = pf_load_cause(path, errno);
            cause = pf_errno_is_resource(e) ? e : 0;
            FcConfigDestroy(cfg);
            cfg = NULL;
        } else if (!FcConfigBuildFonts(cfg)) {  /* it fails only when it cannot allocate */
            cause = ENOMEM;
            FcConfigDestroy(cfg);
            cfg = NULL;
        }
    }
    if (!cfg && !cause && !(cfg = FcInitLoadConfigAndFonts()))
        cause = pf_errno_is_resource(errno) ? errno : ENOMEM;
    fs->fc_errno = errno;
    if (cause)
        pf_error_errno(err, PF_EXIT_RESOURCE, PF_CODE_FONT_BROKEN, path ? path : fs->conf_path, 0,
                       cause, "フォントの設定（fontconfig）を読めません",
                       "cannot load the font configuration (fontconfig)");
    free(conf);
    free(path);
    return cfg;
}

pf_fontset *pf_fontset_load(const char *chain_conf, pf_error *err)
{
    pf_fontset *fs = pf_xcalloc(1, sizeof *fs);
    snprintf(fs->conf_path, sizeof fs->conf_path, "%s", chain_conf);
    /* Read whole and closed before fontconfig runs, which needs descriptors of its own. */
    FILE *f = fopen(chain_conf, "r");
    pf_buf text = {0};
    char line[1024];
    while (f && fgets(line, sizeof line, f))
        pf_buf_adds(&text, line);
    int e = f && !ferror(f) ? 0 : errno ? errno : EIO;
    if (f)
        fclose(f);
    if (e) {
        pf_error_errno(err, PF_EXIT_RESOURCE, PF_CODE_FONT_BROKEN, chain_conf, 0, e,
                       "フォント設定ファイルを開けません", "cannot open the font chain file");
        pf_buf_free(&text);
        pf_fontset_free(fs);
        return NULL;
    }
    /* fontconfig skips every folder and font file it cannot open and writes what it found
     * then -- nothing -- into its cache, where every later run would find the fonts "not
     * installed". So it is not started without the descriptors it may need. */
    if ((e = fd_headroom(FC_MAX_FDS)) != 0) {
        pf_error_errno(err, PF_EXIT_RESOURCE, PF_CODE_FONT_BROKEN, chain_conf, 0, e,
                       "フォントの設定（fontconfig）を読めません",
                       "cannot load the font configuration (fontconfig)");
        pf_buf_free(&text);
        pf_fontset_free(fs);
        return NULL;
    }
    FcConfig *cfg = load_fontconfig(fs, err);
    int lineno = 0, rc = err->status;
    for (char *p = text.data, *next; rc == 0 && p && *p; p = next) {
        next = p + strcspn(p, "\n");
        if (*next)
            *next++ = 0;
        lineno++;
        rc = parse_chain_line(fs, cfg, p, lineno, err);
    }
    pf_buf_free(&text);
    if (cfg)
        FcConfigDestroy(cfg);
    if (rc == 0 && fs->n_chains == 0)
        rc = pf_error_set(err, PF_EXIT_RESOURCE, PF_CODE_FONT_BROKEN, chain_conf, 0, NULL, NULL,
                          "フォントの役割が一つもありません", "no font role is defined");
    if (rc) {
        pf_fontset_free(fs);
        return NULL;
    }
    fs->buf = hb_buffer_create();
    if (!hb_buffer_allocation_successful(fs->buf)) {
        pf_fontset_free(fs);
        pf_error_errno(err, PF_EXIT_IO, PF_CODE_OUT_OF_MEMORY, NULL, 0, ENOMEM,
                       "文字の組版を準備できません", "cannot set up text shaping");
        return NULL;
    }
    return fs;
}

static void font_close(pf_font *f)
{
    if (f->abandoned) {
        f->hb = NULL, f->face = NULL, f->blob = NULL;
        return;
    }
    if (f->hb)
        hb_font_destroy(f->hb);
    if (f->face)
        hb_face_destroy(f->face);
    if (f->blob)
        hb_blob_destroy(f->blob);
    f->hb = NULL, f->face = NULL, f->blob = NULL;
}

void pf_fontset_free(pf_fontset *fs)
{
    if (!fs)
        return;
    for (size_t i = 0; i < fs->n_fonts; i++) {
        font_close(&fs->fonts[i]);
        free(fs->fonts[i].family);
        free(fs->fonts[i].path);
    }
    for (size_t i = 0; i < fs->n_chains; i++)
        free(fs->chains[i].role);
    free(fs->fonts);
    free(fs->chains);
    if (fs->buf)
        hb_buffer_destroy(fs->buf);
    free(fs);
}

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Whether every table the font's directory lists lies inside the file. HarfBuzz quietly treats
 * a table cut off by a truncated download or copy as missing, and the text would then fail
 * (or print) far from the real cause; a truncated file is named here instead. */
static int font_complete(hb_blob_t *blob, int index)
{
    unsigned len;
    const unsigned char *d = (const unsigned char *)hb_blob_get_data(blob, &len);
    size_t dir = 0;
    if (len >= 12 && memcmp(d, "ttcf", 4) == 0) {   /* a collection: find face `index` */
        if ((size_t)index >= be32(d + 8) || 16 + 4 * (size_t)index > len)
            return 0;
        dir = be32(d + 12 + 4 * (size_t)index);
    }
    if (dir + 12 > len)
        return 0;
    size_t n = (size_t)d[dir + 4] << 8 | d[dir + 5];
    if (n == 0 || dir + 12 + 16 * n > len)
        return 0;
    for (size_t i = 0; i < n; i++) {
        const unsigned char *rec = d + dir + 12 + 16 * i;
        uint64_t end = (uint64_t)be32(rec + 8) + be32(rec + 12);
        if (end > len)
            return 0;
    }
    return 1;
}

/* Make the blob, face and font of f: 0, -1 when the file is not a usable font, or the errno
 * value that stopped it. HarfBuzz answers an allocation that failed with an empty object or a
 * table it treats as missing, which looks just like a damaged file; malloc and mmap set errno
 * to ENOMEM, so errno is cleared first and read after each step. The tables every shaping
 * needs are loaded here, where a failure can be told apart: HarfBuzz loads them on first use
 * and, if that fails, treats them as absent for the rest of the run. */
static int font_load(pf_font *f)
{
    errno = 0;
    f->blob = hb_blob_create_from_file_or_fail(f->path);
    if (!f->blob) {
        /* the file opens and reads, yet HarfBuzz could neither map it nor read it in */
        int cause = pf_load_cause(f->path, errno);
        return cause ? cause : ENOMEM;
    }
    errno = 0;  /* a failed mmap that reading the file made up for is no failure */
    if (hb_face_count(f->blob) <= (unsigned)f->index || !font_complete(f->blob, f->index))
        return errno == ENOMEM ? ENOMEM : -1;
    f->face = hb_face_create(f->blob, (unsigned)f->index);
    if (f->face == hb_face_get_empty()) {  /* from a sound blob, only for want of memory */
        f->face = NULL;
        return ENOMEM;
    }
    f->upem = hb_face_get_upem(f->face);
    if (f->upem < 16 || hb_face_get_glyph_count(f->face) <= 1)
        return errno == ENOMEM ? ENOMEM : -1;
    f->hb = hb_font_create(f->face);
    if (f->hb == hb_font_get_empty()) {
        f->hb = NULL;
        return ENOMEM;
    }
    hb_font_set_scale(f->hb, (int)f->upem, (int)f->upem);
    hb_codepoint_t g;
    hb_font_get_nominal_glyph(f->hb, 0x3042, &g);   /* cmap */
    hb_font_get_glyph_h_advance(f->hb, 0);            /* hmtx */
    hb_ot_layout_has_substitution(f->face);           /* GSUB */
    hb_ot_layout_has_positioning(f->face);            /* GPOS */
    return errno == ENOMEM ? ENOMEM : 0;
}

/* Open the font file on first use. A file that is missing or not a usable font is an error
 * naming it (exit 3); memory or descriptors running out on the way is exit 4 naming that. The
 * outcome is kept: a font that failed is not tried again in this run, and says the same. */
static int font_open(pf_font *f, pf_error *err)
{
    if (f->hb)
        return 0;
    if (!f->failed) {
        f->failed = font_load(f);
        if (!f->failed)
            return 0;
        font_close(f);
    }
    if (f->failed > 0) {
        char ja[600], en[600];
        snprintf(ja, sizeof ja, "フォントファイル「%s」を読めません", f->family);
        snprintf(en, sizeof en, "cannot read font file \"%s\"", f->family);
        return pf_error_errno(err, PF_EXIT_RESOURCE, PF_CODE_FONT_MISSING, f->path, 0, f->failed,
                              ja, en);
    }
    return pf_error_setf(err, PF_EXIT_RESOURCE, PF_CODE_FONT_BROKEN, f->path, 0, "フォント", "font",
                         "フォントファイル「%s」を読めません（壊れているか、フォントではありません）",
                         "cannot read font file \"%s\" (damaged or not a font)", f->family);
}

int pf_fontset_chain(const pf_fontset *fs, const char *role)
{
    for (size_t i = 0; i < fs->n_chains; i++)
        if (strcmp(fs->chains[i].role, role) == 0)
            return (int)i;
    return -1;
}

size_t pf_fontset_count(const pf_fontset *fs) { return fs->n_fonts; }
pf_font *pf_fontset_font(const pf_fontset *fs, size_t i) { return &fs->fonts[i]; }
const char *pf_font_family(const pf_font *f) { return f->family; }
const char *pf_font_path(const pf_font *f) { return f->path; }

static int is_vs(uint32_t cp)
{
    return (cp >= 0xFE00 && cp <= 0xFE0F) || (cp >= 0xE0100 && cp <= 0xE01EF);
}

/* Does font f print `cp` (followed by variation selector `vs`, or 0)? */
static int font_has(pf_font *f, uint32_t cp, uint32_t vs)
{
    hb_codepoint_t g;
    if (vs)
        return hb_font_get_variation_glyph(f->hb, cp, vs, &g) && g != 0;
    return hb_font_get_nominal_glyph(f->hb, cp, &g) && g != 0;
}

/* The first font of chain c that has the character at s[pos]: returns the fontset index,
 * -1 when none has it, or -2 on a font error. *next is set past the character and its
 * variation selector. */
static int pick_font(pf_fontset *fs, const chain *c, const char *s, size_t len, size_t pos,
                     size_t *next, pf_error *err)
{
    size_t i = pos;
    int32_t cp = pf_utf8_next(s, len, &i);
    if (cp < 0)
        return -1;
    uint32_t vs = 0;
    size_t j = i;
    int32_t cp2 = i < len ? pf_utf8_next(s, len, &j) : -1;
    if (cp2 >= 0 && is_vs((uint32_t)cp2)) {
        vs = (uint32_t)cp2;
        i = j;
    }
    *next = i;
    if (is_vs((uint32_t)cp))  /* a stray selector with no base character */
        return -1;
    for (int k = 0; k < c->n; k++) {
        pf_font *f = &fs->fonts[c->fonts[k]];
        if (font_open(f, err))
            return -2;
        if (font_has(f, (uint32_t)cp, vs))
            return c->fonts[k];
    }
    return -1;
}

static int shape_run(pf_fontset *fs, int font, const char *s, size_t len, size_t start,
                     size_t end, pf_glyphs *out, size_t *bad_offset, pf_error *err)
{
    pf_font *f = &fs->fonts[font];
    hb_buffer_t *buf = fs->buf;
    hb_buffer_clear_contents(buf);
    hb_buffer_set_flags(buf, HB_BUFFER_FLAG_REMOVE_DEFAULT_IGNORABLES);
    hb_buffer_add_utf8(buf, s, (int)len, (unsigned)start, (int)(end - start));
    hb_buffer_set_direction(buf, HB_DIRECTION_LTR);
    hb_buffer_set_language(buf, hb_language_from_string("ja", 2));
    hb_buffer_guess_segment_properties(buf);
    /* A buffer or shape plan that could not be allocated leaves the text unshaped or cut:
     * stop rather than print less than was given. */
    if (!hb_shape_full(f->hb, buf, NULL, 0, NULL) || !hb_buffer_allocation_successful(buf))
        return pf_error_errno(err, PF_EXIT_IO, PF_CODE_OUT_OF_MEMORY, NULL, 0, ENOMEM,
                              "文字を組めません", "cannot shape the text");
    unsigned n;
    hb_glyph_info_t *info = hb_buffer_get_glyph_infos(buf, &n);
    hb_glyph_position_t *pos = hb_buffer_get_glyph_positions(buf, &n);
    for (unsigned k = 0; k < n; k++) {
        if (info[k].codepoint == 0) {
            *bad_offset = info[k].cluster;
            return pf_error_set(err, PF_EXIT_INVALID, PF_CODE_CHAR_NOT_PRINTABLE, NULL, 0, NULL,
                                NULL,
                                "印字できない文字があります", "a character cannot be printed");
        }
        PF_GROW(out->g, out->n, out->cap);
        pf_glyph *g = &out->g[out->n++];
        g->gid = info[k].codepoint;
        /* Round once here: the PDF /W entry and every later measurement use this value. */
        g->advance = (int32_t)((pos[k].x_advance * 1000L + (long)f->upem / 2) / (long)f->upem);
        g->x_offset = (int32_t)(pos[k].x_offset * 1000L / (long)f->upem);
        g->cluster = info[k].cluster;
        g->font = (uint16_t)font;
    }
    if (n > BUF_KEEP) {
        /* A buffer keeps its largest allocation, and the engine keeps its buffer for every
         * document after this one: after a very long run, start again with a small one. */
        hb_buffer_t *fresh = hb_buffer_create();
        if (hb_buffer_allocation_successful(fresh)) {
            hb_buffer_destroy(fs->buf);
            fs->buf = fresh;
        } else {
            hb_buffer_destroy(fresh);
        }
    }
    return 0;
}

int pf_shape(pf_fontset *fs, int chain_index, const char *s, size_t len, pf_glyphs *out,
             size_t *bad_offset, pf_error *err)
{
    if (chain_index < 0 || (size_t)chain_index >= fs->n_chains)
        chain_index = 0;
    const chain *c = &fs->chains[chain_index];
    size_t pos = 0, run_start = 0;
    int run_font = -1;
    while (pos < len) {
        size_t next;
        int f = pick_font(fs, c, s, len, pos, &next, err);
        if (f == -2)
            return err->status;
        if (f < 0) {
            *bad_offset = pos;
            return pf_error_set(err, PF_EXIT_INVALID, PF_CODE_CHAR_NOT_PRINTABLE, NULL, 0, NULL,
                                NULL, "どのフォントにもない文字です", "no font has this character");
        }
        if (f != run_font) {
            if (run_font >= 0 &&
                shape_run(fs, run_font, s, len, run_start, pos, out, bad_offset, err))
                return err->status;
            run_font = f;
            run_start = pos;
        }
        pos = next;
    }
    if (run_font >= 0 && shape_run(fs, run_font, s, len, run_start, len, out, bad_offset, err))
        return err->status;
    return 0;
}

static int to_em1000(int v, unsigned upem)
{
    return (int)((long)v * 1000 / (long)upem);
}

pf_font_metrics pf_font_metrics_of(pf_font *f)
{
    pf_font_metrics m = {880, -120, 700, {0, -120, 1000, 880}};
    pf_error ignore = {0};
    if (font_open(f, &ignore))
        return m;
    hb_position_t v;
    if (hb_ot_metrics_get_position(f->hb, HB_OT_METRICS_TAG_HORIZONTAL_ASCENDER, &v))
        m.ascent = to_em1000(v, f->upem);
    if (hb_ot_metrics_get_position(f->hb, HB_OT_METRICS_TAG_HORIZONTAL_DESCENDER, &v))
        m.descent = to_em1000(v, f->upem);
    if (hb_ot_metrics_get_position(f->hb, HB_OT_METRICS_TAG_CAP_HEIGHT, &v) && v > 0)
        m.cap_height = to_em1000(v, f->upem);
    hb_blob_t *head = hb_face_reference_table(f->face, HB_TAG('h', 'e', 'a', 'd'));
    unsigned hl;
    const unsigned char *h = (const unsigned char *)hb_blob_get_data(head, &hl);
    if (h && hl >= 44) {
        for (int k = 0; k < 4; k++) {
            int16_t raw = (int16_t)((h[36 + 2 * k] << 8) | h[37 + 2 * k]);
            m.bbox[k] = to_em1000(raw, f->upem);
        }
    }
    hb_blob_destroy(head);
    return m;
}

/* One hb-subset run. By code points alone when possible: hb-subset then looks up only those in
 * the cmap, where a glyph list makes it walk the font's whole cmap first (≈20 ms for IPAmj's
 * 60,000 characters). Variation-sequence glyphs come along through the cmap format 14 closure.
 * NULL when the plan cannot be allocated, its only way of failing. */
static hb_subset_plan_t *subset_plan(pf_font *f, const uint32_t *gids, size_t n,
                                     const uint32_t *cps, size_t ncp, unsigned extra_flags)
{
    hb_subset_input_t *in = hb_subset_input_create_or_fail();
    if (!in)
        return NULL;
    hb_set_t *unicodes = hb_subset_input_unicode_set(in);
    hb_set_t *glyphs = hb_subset_input_glyph_set(in);
    hb_set_clear(unicodes);
    for (size_t i = 0; i < ncp; i++)
        hb_set_add(unicodes, cps[i]);
    for (size_t i = 0; cps == NULL && i < n; i++)
        hb_set_add(glyphs, gids[i]);
    /* A CIDFontType2 with a CIDToGIDMap needs only the outlines and horizontal metrics: drop
     * layout, vertical, naming, mapping and hinting tables (hinting matters little at print
     * resolution and is much of the size). */
    static const hb_tag_t drop[] = {
        HB_TAG('G', 'S', 'U', 'B'), HB_TAG('G', 'P', 'O', 'S'), HB_TAG('G', 'D', 'E', 'F'),
        HB_TAG('B', 'A', 'S', 'E'), HB_TAG('J', 'S', 'T', 'F'), HB_TAG('v', 'h', 'e', 'a'),
        HB_TAG('v', 'm', 't', 'x'), HB_TAG('V', 'O', 'R', 'G'), HB_TAG('D', 'S', 'I', 'G'),
        HB_TAG('k', 'e', 'r', 'n'), HB_TAG('h', 'd', 'm', 'x'), HB_TAG('V', 'D', 'M', 'X'),
        HB_TAG('L', 'T', 'S', 'H'), HB_TAG('g', 'a', 's', 'p'), HB_TAG('n', 'a', 'm', 'e'),
        HB_TAG('m', 'o', 'r', 't'), HB_TAG('m', 'o', 'r', 'x'), HB_TAG('P', 'C', 'L', 'T'),
        HB_TAG('c', 'm', 'a', 'p'), HB_TAG('p', 'o', 's', 't'),
    };
    hb_set_t *dropset = hb_subset_input_set(in, HB_SUBSET_SETS_DROP_TABLE_TAG);
    for (size_t i = 0; i < sizeof drop / sizeof drop[0]; i++)
        hb_set_add(dropset, drop[i]);
    hb_subset_input_set_flags(in, HB_SUBSET_FLAGS_NO_HINTING | extra_flags);
    hb_subset_plan_t *plan = hb_subset_plan_create_or_fail(f->face, in);
    hb_subset_input_destroy(in);
    return plan;
}

/* Does the plan keep every glyph we print? (A glyph reached only through shaping would not be
 * in the code-point closure.) */
static int plan_has_all(hb_subset_plan_t *plan, const uint32_t *gids, size_t n, uint32_t *new_gids)
{
    const hb_map_t *map = hb_subset_plan_old_to_new_glyph_mapping(plan);
    for (size_t i = 0; i < n; i++) {
        new_gids[i] = hb_map_get(map, gids[i]);
        if (new_gids[i] == HB_MAP_VALUE_INVALID)
            return 0;
    }
    return 1;
}

/* A subset that could not be made: for want of memory (e == ENOMEM: exit 4), else the font's
 * doing (exit 3). */
static int subset_failed(pf_font *f, int e, pf_error *err)
{
    char ja[600], en[600];
    snprintf(ja, sizeof ja, "フォント「%s」のサブセットを作れません", f->family);
    snprintf(en, sizeof en, "cannot subset font \"%s\"", f->family);
    f->abandoned = 1;
    if (e == ENOMEM)
        return pf_error_errno(err, PF_EXIT_RESOURCE, PF_CODE_FONT_BROKEN, f->path, 0, e, ja, en);
    return pf_error_set(err, PF_EXIT_RESOURCE, PF_CODE_FONT_BROKEN, f->path, 0, "フォント", "font",
                        ja, en);
}

/* Run a subset plan (NULL: it could not be allocated) into TrueType bytes; frees the plan. */
static int execute(pf_font *f, hb_subset_plan_t *plan, unsigned char **ttf, size_t *ttf_len,
                   pf_error *err)
{
    if (!plan)
        return subset_failed(f, ENOMEM, err);
    errno = 0;
    hb_face_t *sub = hb_subset_plan_execute_or_fail(plan);
    if (!sub) {
        int e = errno;
        hb_subset_plan_destroy(plan);
        return subset_failed(f, e, err);
    }
    hb_blob_t *blob = hb_face_reference_blob(sub);  /* empty only when it cannot be allocated */
    unsigned bl;
    const char *data = hb_blob_get_data(blob, &bl);
    if (bl) {
        *ttf = pf_xmalloc(bl);
        memcpy(*ttf, data, bl);
        *ttf_len = bl;
    }
    hb_blob_destroy(blob);
    hb_face_destroy(sub);
    hb_subset_plan_destroy(plan);
    return bl ? 0 : subset_failed(f, ENOMEM, err);
}

int pf_font_subset(pf_font *f, const uint32_t *gids, size_t n, const uint32_t *cps, size_t ncp,
                   uint32_t *new_gids, unsigned char **ttf, size_t *ttf_len, pf_error *err)
{
    if (font_open(f, err))
        return err->status;
    errno = 0;
    hb_subset_plan_t *plan = subset_plan(f, gids, n, cps, ncp, 0);
    if (plan && !plan_has_all(plan, gids, n, new_gids)) {
        hb_subset_plan_destroy(plan);
        plan = subset_plan(f, gids, n, NULL, 0, 0);
        if (plan && !plan_has_all(plan, gids, n, new_gids)) {
            /* A glyph we print is not kept even when asked for by id: the font's doing, or a
             * set HarfBuzz could not grow (it then quietly holds less). */
            hb_subset_plan_destroy(plan);
            return subset_failed(f, errno, err);
        }
    }
    return execute(f, plan, ttf, ttf_len, err);
}

int pf_font_subset_keeping_ids(pf_font *f, const uint32_t *gids, size_t n, unsigned char **ttf,
                               size_t *ttf_len, pf_error *err)
{
    if (font_open(f, err))
        return err->status;
    errno = 0;
    hb_subset_plan_t *plan = subset_plan(f, gids, n, NULL, 0, HB_SUBSET_FLAGS_RETAIN_GIDS);
    uint32_t *kept = pf_xmalloc((n + 1) * sizeof *kept);
    int all = plan && plan_has_all(plan, gids, n, kept);
    free(kept);
    if (plan && !all) {  /* a glyph someone's page prints would be blank in the print file */
        hb_subset_plan_destroy(plan);
        return subset_failed(f, errno, err);
    }
    return execute(f, plan, ttf, ttf_len, err);
}
