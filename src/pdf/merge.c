/* pdf/merge — concatenating planform's PDFs into one print file. See merge.h. */
#include "pdf/merge.h"

#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "pdf/deflate.h"
#include "util/files.h"

/* Objects 1–3 are the print file's own: catalog, page tree, outline root. */
enum { OBJ_CATALOG = 1, OBJ_PAGES = 2, OBJ_OUTLINES = 3, FIRST_FREE = 4 };

typedef struct outline_item {
    char *title;
    size_t page;            /* index into pages */
    int child;              /* a mark under the preceding document entry */
} outline_item;

struct pf_merge {
    FILE *f;                /* writes into tmp */
    char *path;             /* for messages */
    pf_tmpfile tmp;
    unsigned mode;
    long *offsets;          /* byte offset of object i; 0: not yet written */
    size_t n_obj, cap_obj;
    size_t *pages;          /* object numbers of the pages, in order */
    size_t n_pages, cap_pages;
    outline_item *items;
    size_t n_items, cap_items;
    double last_w, last_h;  /* size of the last page, for a blank one */
    /* Signature fields: each added document's top-level fields ("plan", "isp-2") become kids of
     * a field of its own named by its number in the print file ("3"), so that every name stays
     * unique ("3.plan.consent") and each person's boxes stay signable. */
    size_t *fields;         /* object numbers of those per-document fields */
    size_t n_fields, cap_fields, n_docs;
    int failed;
    /* Shared fonts: each font of the set is embedded once, at the end, with every glyph any
     * document used, keeping glyph ids; each document's CIDToGIDMap points into it. */
    pf_fontset *fs;         /* NULL: every document keeps its own subsets */
    struct shared_font {
        size_t id;          /* object number of its FontFile2, 0 until first used */
        unsigned char *used;/* bit per glyph id */
    } *shared;
    size_t n_shared;
    pf_deflater *z;         /* the streams written here (CIDToGIDMaps, shared fonts) */
};

#define GLYPH_BITS 65536

static size_t new_obj(pf_merge *m)
{
    while (m->n_obj + 1 >= m->cap_obj) {
        m->cap_obj = m->cap_obj ? m->cap_obj * 2 : 256;
        m->offsets = pf_xrealloc(m->offsets, m->cap_obj * sizeof *m->offsets);
    }
    m->offsets[++m->n_obj] = 0;
    return m->n_obj;
}

static void begin_obj(pf_merge *m, size_t id)
{
    m->offsets[id] = ftell(m->f);
    fprintf(m->f, "%zu 0 obj\n", id);
}

pf_merge *pf_merge_open(const char *path, unsigned mode, int anonymous, pf_fontset *fs,
                        pf_error *err)
{
    pf_merge *m = pf_xcalloc(1, sizeof *m);
    m->fs = fs;
    m->mode = mode;
    m->path = pf_xstrdup(path);
    if (pf_tmp_open(&m->tmp, path, anonymous, err)) {
        free(m->path);
        free(m);
        return NULL;
    }
    int fd = dup(m->tmp.fd);  /* the stream's own; tmp.fd stays for fsync and the caller */
    m->f = fd >= 0 ? fdopen(fd, "wb") : NULL;
    if (!m->f) {
        pf_error_errno(err, PF_EXIT_IO, PF_CODE_IO_WRITE, path, 0, errno,
                       "印刷用ファイルを作れません", "cannot create the print file");
        if (fd >= 0)
            close(fd);
        pf_tmp_discard(&m->tmp);
        free(m->path);
        free(m);
        return NULL;
    }
    m->n_shared = fs ? pf_fontset_count(fs) : 0;
    m->shared = pf_xcalloc(m->n_shared + 1, sizeof *m->shared);
    m->z = pf_deflater_new();
    fputs("%PDF-1.4\n%\xE2\xE3\xCF\xD3\n", m->f);
    for (int i = 0; i < FIRST_FREE - 1; i++)
        new_obj(m);
    return m;
}


/* ---- reading one of our PDFs ------------------------------------------------------------- */

typedef struct src {
    const char *d;
    size_t len;
    long *off;              /* offset of object i, or -1 */
    size_t n;               /* objects 0 … n-1 */
} src;

static const char *rfind(const char *hay, size_t n, const char *needle)
{
    size_t k = strlen(needle);
    for (size_t i = n >= k ? n - k + 1 : 0; i-- > 0;)
        if (memcmp(hay + i, needle, k) == 0)
            return hay + i;
    return NULL;
}

static int read_xref(src *s)
{
    const char *sx = rfind(s->d, s->len, "startxref");
    if (!sx)
        return -1;
    long at = strtol(sx + 9, NULL, 10);
    if (at <= 0 || (size_t)at >= s->len || strncmp(s->d + at, "xref", 4) != 0)
        return -1;
    const char *p = s->d + at + 4;
    char *end;
    long first = strtol(p, &end, 10), count = strtol(end, &end, 10);
    if (first != 0 || count <= 0 || count > 1000000)
        return -1;
    p = end;
    while (*p == '\r' || *p == '\n' || *p == ' ')
        p++;
    if ((size_t)(p - s->d) + (size_t)count * 20 > s->len)
        return -1;
    s->n = (size_t)count;
    s->off = pf_xmalloc(s->n * sizeof *s->off);
    for (size_t i = 0; i < s->n; i++, p += 20) {
        long o = strtol(p, NULL, 10);
        s->off[i] = p[17] == 'n' && o > 0 && (size_t)o < s->len ? o : -1;
    }
    return 0;
}

/* The bytes of object i: [*start, *end) from "i 0 obj" to after "endobj". */
static int object_span(const src *s, size_t i, const char **start, const char **end)
{
    if (i >= s->n || s->off[i] < 0)
        return -1;
    const char *b = s->d + s->off[i];
    size_t left = s->len - (size_t)s->off[i];
    /* a stream may contain anything: skip it by its data's end, "endstream" from the back of
     * the span up to the next object */
    long next = (long)s->len;
    for (size_t k = 0; k < s->n; k++)
        if (s->off[k] > s->off[i] && s->off[k] < next)
            next = s->off[k];
    const char *e = rfind(b, (size_t)(next - s->off[i]), "endobj");
    if (!e || (size_t)(e - b) > left)
        return -1;
    *start = b;
    *end = e + 6;
    return 0;
}

/* How a source's object numbers become the print file's: i + base, except for a few objects
 * (fonts' files) that point to a shared object instead. */
typedef struct renumber {
    size_t base;
    size_t from[16], to[16];
    size_t n;
} renumber;

static size_t renumbered(const renumber *r, size_t n)
{
    for (size_t k = 0; k < r->n; k++)
        if (r->from[k] == n)
            return r->to[k];
    return n + r->base;
}

/* Write `text` with every "N G R" and the "N 0 obj" header renumbered; a page's /Parent
 * points at the print file's page tree. */
static void put_renumbered(pf_merge *m, const char *p, const char *end, const renumber *r)
{
    const char *start = p;
    while (p < end) {
        if (*p >= '0' && *p <= '9' && (p == start || p[-1] == ' ' || p[-1] == '[' ||
                                       p[-1] == '\n' || p[-1] == '\r' || p[-1] == '<')) {
            char *e1, *e2;
            long n = strtol(p, &e1, 10);
            if (e1 < end && *e1 == ' ') {
                long g = strtol(e1 + 1, &e2, 10);
                (void)g;
                if (e2 > e1 + 1 && e2 + 1 < end && e2[0] == ' ' && e2[1] == 'R' &&
                    (e2 + 2 == end || strchr(" \r\n]>/", e2[2]))) {
                    fprintf(m->f, "%zu 0 R", renumbered(r, (size_t)n));
                    p = e2 + 2;
                    continue;
                }
            }
        }
        fputc(*p++, m->f);
    }
}

/* Does the object's dictionary say /Type /<type>? */
static int kind_is(const char *b, const char *e, const char *type)
{
    const char *st = pf_memfind(b, (size_t)(e - b), "stream");
    if (st)
        e = st;  /* the dictionary only, not a font's 100 KB of stream data */
    const char *t = pf_memfind(b, (size_t)(e - b), "/Type /");
    size_t k = strlen(type);
    return t && (size_t)(e - t) > 7 + k && memcmp(t + 7, type, k) == 0 &&
           strchr(" \r\n/>", t[7 + k]);
}

/* The object numbers of the references "N G R" in [p, close) that name objects of the source,
 * into *out (which starts NULL; malloc'd); returns their count. */
static size_t refs_in(const src *s, const char *p, const char *close, size_t **out)
{
    size_t n = 0, cap = 0;
    while (p && p < close) {
        char *q;
        long id = strtol(p, &q, 10);
        if (q == p) {
            p++;
            continue;
        }
        strtol(q, &q, 10);
        while (*q == ' ')
            q++;
        if (*q == 'R' && id > 0 && (size_t)id < s->n) {
            PF_GROW(*out, n, cap);
            (*out)[n++] = (size_t)id;
        }
        p = q + 1;
    }
    return n;
}

/* The object numbers of the source's top-level signature fields: the catalog's /AcroForm
 * /Fields, as pf_pdf_write writes it (a direct dictionary). */
static size_t source_fields(const src *s, size_t **out)
{
    *out = NULL;
    for (size_t i = 1; i < s->n; i++) {
        const char *b, *e;
        if (object_span(s, i, &b, &e) || !kind_is(b, e, "Catalog"))
            continue;
        const char *a = pf_memfind(b, (size_t)(e - b), "/AcroForm");
        const char *f = a ? pf_memfind(a, (size_t)(e - a), "/Fields [") : NULL;
        const char *close = f ? memchr(f, ']', (size_t)(e - f)) : NULL;
        return f ? refs_in(s, f + 9, close, out) : 0;
    }
    return 0;
}

static void copy_object(pf_merge *m, size_t i, const renumber *r, const char *b, const char *e,
                        size_t parent)
{
    size_t id = i + r->base;
    m->offsets[id] = ftell(m->f);
    const char *st = pf_memfind(b, (size_t)(e - b), "stream");
    const char *dict_end = st ? st : e;
    /* header and dictionary, renumbered; the page's /Parent replaced */
    const char *hdr = strstr(b, "obj");
    fprintf(m->f, "%zu 0 ", id);
    if (kind_is(b, dict_end, "Page")) {
        const char *par = pf_memfind(b, (size_t)(dict_end - b), "/Parent ");
        if (par) {
            put_renumbered(m, hdr, par, r);
            fprintf(m->f, "/Parent %d 0 R", OBJ_PAGES);
            const char *rr = pf_memfind(par, (size_t)(dict_end - par), " R");
            put_renumbered(m, rr ? rr + 2 : dict_end, dict_end, r);
        } else {
            put_renumbered(m, hdr, dict_end, r);
        }
    } else if (parent && pf_memfind(hdr, (size_t)(dict_end - hdr), "<<")) {
        /* a top-level signature field of the document: under the document's own field now */
        const char *open = pf_memfind(hdr, (size_t)(dict_end - hdr), "<<") + 2;
        put_renumbered(m, hdr, open, r);
        fprintf(m->f, " /Parent %zu 0 R", parent);
        put_renumbered(m, open, dict_end, r);
    } else {
        put_renumbered(m, hdr, dict_end, r);
    }
    if (st)
        fwrite(st, 1, (size_t)(e - st), m->f);  /* stream data as it is */
    fputc('\n', m->f);
}

/* A stream object of `len` bytes, deflated; `extra` goes into its dictionary. */
static int put_stream(pf_merge *m, size_t id, const unsigned char *data, size_t len,
                      const char *extra)
{
    unsigned char *z;
    size_t zlen;
    if (pf_deflate(m->z, data, len, &z, &zlen))
        return -1;
    begin_obj(m, id);
    fprintf(m->f, "<< /Length %zu /Filter /FlateDecode%s >>\nstream\n", zlen,
            extra ? extra : "");
    fwrite(z, 1, zlen, m->f);
    fputs("\nendstream\nendobj\n", m->f);
    free(z);
    return 0;
}

/* The number N of "<key> N 0 R" in [b, e), or 0. */
static size_t ref_of(const char *b, const char *e, const char *key)
{
    const char *k = pf_memfind(b, (size_t)(e - b), key);
    if (!k)
        return 0;
    char *q;
    long n = strtol(k + strlen(key), &q, 10);
    return n > 0 && strncmp(q, " 0 R", 4) == 0 ? (size_t)n : 0;
}

/* Point each of the source's CIDFonts that `glyphs` describes at the shared font: its
 * CIDToGIDMap is written anew (CID → glyph id in the whole font), its FontFile2 is not copied
 * and references to it go to the shared one. `skip[i]` marks source objects not to copy. */
static void share_fonts(pf_merge *m, const src *s, const pf_font_glyphs *glyphs, size_t n_glyphs,
                        renumber *r, unsigned char *skip)
{
    for (size_t i = 1; i < s->n; i++) {
        const char *b, *e;
        if (object_span(s, i, &b, &e) || !kind_is(b, e, "Font") ||
            !pf_memfind(b, (size_t)(e - b), "/Subtype /CIDFontType2"))
            continue;
        const char *bf = pf_memfind(b, (size_t)(e - b), "/BaseFont /");
        const pf_font_glyphs *g = NULL;
        for (size_t k = 0; bf && k < n_glyphs && !g; k++) {
            size_t nl = strlen(glyphs[k].name);
            if ((size_t)(e - bf) > 11 + nl && memcmp(bf + 11, glyphs[k].name, nl) == 0 &&
                strchr(" \r\n/>", bf[11 + nl]))
                g = &glyphs[k];
        }
        size_t map = ref_of(b, e, "/CIDToGIDMap "), desc = ref_of(b, e, "/FontDescriptor ");
        const char *db, *de;
        size_t file = desc && object_span(s, desc, &db, &de) == 0 ? ref_of(db, de, "/FontFile2 ")
                                                                   : 0;
        if (!g || g->font >= m->n_shared || !map || !file || map >= s->n || file >= s->n ||
            r->n == sizeof r->from / sizeof r->from[0])
            continue;  /* not one we know: copied as it is */
        struct shared_font *sf = &m->shared[g->font];
        if (!sf->id) {
            sf->id = new_obj(m);
            sf->used = pf_xcalloc(GLYPH_BITS / 8, 1);
        }
        unsigned char *bytes = pf_xmalloc(2 * g->n + 1);
        for (size_t c = 0; c < g->n; c++) {
            uint32_t gid = g->gid[c] < GLYPH_BITS ? g->gid[c] : 0;
            sf->used[gid / 8] |= (unsigned char)(1u << (gid % 8));
            bytes[2 * c] = (unsigned char)(gid >> 8);
            bytes[2 * c + 1] = (unsigned char)(gid & 0xFF);
        }
        if (put_stream(m, map + r->base, bytes, 2 * g->n, NULL) == 0) {
            skip[map] = 1;
            skip[file] = 1;
            r->from[r->n] = file;
            r->to[r->n++] = sf->id;
        }
        free(bytes);
    }
}

/* Write each shared font, subset to every glyph the documents used. */
static int write_shared_fonts(pf_merge *m, pf_error *err)
{
    for (size_t i = 0; i < m->n_shared; i++) {
        struct shared_font *sf = &m->shared[i];
        if (!sf->id)
            continue;
        uint32_t *gids = pf_xmalloc(GLYPH_BITS * sizeof *gids);
        size_t n = 0;
        for (uint32_t g = 0; g < GLYPH_BITS; g++)
            if (sf->used[g / 8] & (1u << (g % 8)))
                gids[n++] = g;
        unsigned char *ttf = NULL;
        size_t len = 0;
        int rc = pf_font_subset_keeping_ids(pf_fontset_font(m->fs, i), gids, n, &ttf, &len, err);
        free(gids);
        if (rc == 0) {
            char extra[64];
            snprintf(extra, sizeof extra, " /Length1 %zu", len);
            if (put_stream(m, sf->id, ttf, len, extra))
                rc = pf_error_errno(err, PF_EXIT_IO, PF_CODE_OUT_OF_MEMORY, m->path, 0, ENOMEM,
                                    /* the compressor's only failure */
                                    "印刷用ファイルのフォントを圧縮できません",
                                    "cannot compress the print file's font");
        }
        free(ttf);
        if (rc)
            return rc;
    }
    return 0;
}

/* The page object numbers of the source, in order: the /Kids of its page tree. */
static size_t source_pages(const src *s, size_t **kids)
{
    *kids = NULL;
    for (size_t i = 1; i < s->n; i++) {
        const char *b, *e;
        if (object_span(s, i, &b, &e) || !kind_is(b, e, "Pages"))
            continue;
        const char *k = pf_memfind(b, (size_t)(e - b), "/Kids");
        const char *close = k ? memchr(k, ']', (size_t)(e - k)) : NULL;
        return k ? refs_in(s, k + 5, close, kids) : 0;
    }
    return 0;
}

static void blank_page(pf_merge *m)
{
    size_t id = new_obj(m);
    begin_obj(m, id);
    fprintf(m->f, "<< /Type /Page /Parent %d 0 R /MediaBox [ 0 0 %.5f %.5f ] /Resources << >> >>\nendobj\n",
            OBJ_PAGES, m->last_w, m->last_h);
    PF_GROW(m->pages, m->n_pages, m->cap_pages);
    m->pages[m->n_pages++] = id;
}

static void add_item(pf_merge *m, const char *title, size_t page, int child)
{
    PF_GROW(m->items, m->n_items, m->cap_items);
    m->items[m->n_items++] = (outline_item){pf_xstrdup(title ? title : ""), page, child};
}

int pf_merge_add(pf_merge *m, const unsigned char *pdf, size_t len, const char *title,
                 const pf_mark *marks, size_t n_marks, const pf_font_glyphs *glyphs,
                 size_t n_glyphs, int duplex, pf_error *err)
{
    src s = {(const char *)pdf, len, NULL, 0};
    size_t *kids = NULL;
    size_t n_kids = 0;
    if (read_xref(&s) == 0)
        n_kids = source_pages(&s, &kids);
    if (n_kids == 0) {
        free(s.off);
        free(kids);
        return pf_error_set(err, PF_EXIT_IO, PF_CODE_PDF_ERROR, m->path, 0, NULL, NULL,
                            "印刷用ファイルに加えられない PDF です",
                            "a PDF that cannot be added to the print file");
    }
    if (duplex && m->n_pages % 2 == 1)
        blank_page(m);  /* a person's forms start on the front of a sheet */
    /* the source's information dictionary is left out with its catalog and page tree */
    long info = -1;
    const char *tr = rfind(s.d, s.len, "trailer");
    const char *in = tr ? pf_memfind(tr, s.len - (size_t)(tr - s.d), "/Info ") : NULL;
    if (in)
        info = strtol(in + 6, NULL, 10);
    renumber r = {.base = m->n_obj};  /* source object i becomes i + base */
    for (size_t i = 1; i < s.n; i++)
        new_obj(m);
    unsigned char *skip = pf_xcalloc(s.n, 1);
    if (m->fs && glyphs)
        share_fonts(m, &s, glyphs, n_glyphs, &r, skip);
    /* the document's signature fields, under a field named by its number in the print file */
    size_t *tops, n_tops = source_fields(&s, &tops), doc_field = 0;
    m->n_docs++;
    if (n_tops) {
        doc_field = new_obj(m);
        begin_obj(m, doc_field);
        fprintf(m->f, "<< /T (%zu) /Kids [", m->n_docs);
        for (size_t k = 0; k < n_tops; k++)
            fprintf(m->f, " %zu 0 R", renumbered(&r, tops[k]));
        fputs(" ] >>\nendobj\n", m->f);
        PF_GROW(m->fields, m->n_fields, m->cap_fields);
        m->fields[m->n_fields++] = doc_field;
    }
    for (size_t i = 1; i < s.n; i++) {
        const char *b, *e;
        if (skip[i] || object_span(&s, i, &b, &e))
            continue;
        if (kind_is(b, e, "Catalog") || kind_is(b, e, "Pages") || (long)i == info)
            continue;  /* replaced by the print file's own */
        int top = 0;
        for (size_t k = 0; k < n_tops && !top; k++)
            top = tops[k] == i;
        copy_object(m, i, &r, b, e, top ? doc_field : 0);
        if (kind_is(b, e, "Page")) {
            const char *mb = pf_memfind(b, (size_t)(e - b), "/MediaBox [");
            if (mb)
                sscanf(mb + 11, " %*f %*f %lf %lf", &m->last_w, &m->last_h);
        }
    }
    size_t first = m->n_pages;
    for (size_t k = 0; k < n_kids; k++) {
        PF_GROW(m->pages, m->n_pages, m->cap_pages);
        m->pages[m->n_pages++] = kids[k] + r.base;
    }
    add_item(m, title, first, 0);
    for (size_t k = 0; k < n_marks; k++)
        if (marks[k].page < n_kids)
            add_item(m, marks[k].title, first + marks[k].page, 1);
    free(tops);
    free(skip);
    free(s.off);
    free(kids);
    /* a failed write: its errno is most likely still there (ENOSPC, EIO) */
    return ferror(m->f) ? pf_error_errno(err, PF_EXIT_IO, PF_CODE_IO_WRITE, m->path, 0,
                                         errno ? errno : EIO,
                                         "印刷用ファイルを書けません", "cannot write the print file")
                        : 0;
}

static void put_utf16(FILE *f, const char *s)
{
    fputs("<FEFF", f);
    size_t i = 0, len = strlen(s);
    while (i < len) {
        int32_t cp = pf_utf8_next(s, len, &i);
        if (cp < 0)
            break;
        if (cp >= 0x10000) {
            uint32_t v = (uint32_t)cp - 0x10000;
            fprintf(f, "%04X%04X", 0xD800 + (v >> 10), 0xDC00 + (v & 0x3FF));
        } else {
            fprintf(f, "%04X", (unsigned)cp);
        }
    }
    fputc('>', f);
}

/* Top-level entries (documents) with their marks as children. */
static void write_outline(pf_merge *m)
{
    size_t *ids = pf_xcalloc(m->n_items + 1, sizeof *ids);
    for (size_t i = 0; i < m->n_items; i++)
        ids[i] = new_obj(m);
    size_t first_top = 0, last_top = 0, n_top = 0;
    for (size_t i = 0; i < m->n_items; i++) {
        outline_item *it = &m->items[i];
        size_t parent = OBJ_OUTLINES, prev = 0, next = 0, first = 0, last = 0, count = 0;
        if (it->child) {
            size_t k = i;
            while (k > 0 && m->items[k].child)
                k--;
            parent = ids[k];
            if (i > 0 && m->items[i - 1].child)
                prev = ids[i - 1];
            if (i + 1 < m->n_items && m->items[i + 1].child)
                next = ids[i + 1];
        } else {
            if (!n_top++)
                first_top = ids[i];
            last_top = ids[i];
            for (size_t k = i; k-- > 0;)
                if (!m->items[k].child) {
                    prev = ids[k];
                    break;
                }
            for (size_t k = i + 1; k < m->n_items; k++)
                if (!m->items[k].child) {
                    next = ids[k];
                    break;
                }
            for (size_t k = i + 1; k < m->n_items && m->items[k].child; k++) {
                if (!first)
                    first = ids[k];
                last = ids[k];
                count++;
            }
        }
        begin_obj(m, ids[i]);
        fputs("<< /Title ", m->f);
        put_utf16(m->f, it->title);
        fprintf(m->f, " /Parent %zu 0 R /Dest [ %zu 0 R /Fit ]", parent, m->pages[it->page]);
        if (prev)
            fprintf(m->f, " /Prev %zu 0 R", prev);
        if (next)
            fprintf(m->f, " /Next %zu 0 R", next);
        if (first)
            fprintf(m->f, " /First %zu 0 R /Last %zu 0 R /Count -%zu", first, last, count);
        fputs(" >>\nendobj\n", m->f);
    }
    begin_obj(m, OBJ_OUTLINES);
    if (n_top)
        fprintf(m->f, "<< /Type /Outlines /First %zu 0 R /Last %zu 0 R /Count %zu >>\nendobj\n",
                first_top, last_top, n_top);
    else
        fputs("<< /Type /Outlines /Count 0 >>\nendobj\n", m->f);
    free(ids);
}

int pf_merge_close(pf_merge *m, int *fd, pf_error *err)
{
    if (m->n_pages == 0)
        blank_page(m);  /* a PDF needs a page; an empty batch gives one blank sheet */
    if (write_shared_fonts(m, err)) {
        pf_merge_abort(m);
        return err->status;
    }
    write_outline(m);
    begin_obj(m, OBJ_PAGES);
    fputs("<< /Type /Pages /Kids [", m->f);
    for (size_t i = 0; i < m->n_pages; i++)
        fprintf(m->f, " %zu 0 R", m->pages[i]);
    fprintf(m->f, " ] /Count %zu >>\nendobj\n", m->n_pages);
    begin_obj(m, OBJ_CATALOG);
    fprintf(m->f, "<< /Type /Catalog /Pages %d 0 R /Outlines %d 0 R /PageMode /UseOutlines",
            OBJ_PAGES, OBJ_OUTLINES);
    if (m->n_fields) {
        fputs(" /AcroForm << /Fields [", m->f);
        for (size_t i = 0; i < m->n_fields; i++)
            fprintf(m->f, " %zu 0 R", m->fields[i]);
        fputs(" ] >>", m->f);
    }
    fputs(" >>\nendobj\n", m->f);
    long xref = ftell(m->f);
    fprintf(m->f, "xref\n0 %zu\n0000000000 65535 f \n", m->n_obj + 1);
    for (size_t i = 1; i <= m->n_obj; i++) {
        if (m->offsets[i])
            fprintf(m->f, "%010ld 00000 n \n", m->offsets[i]);
        else
            fputs("0000000000 65535 f \n", m->f);  /* a source object left out */
    }
    fprintf(m->f, "trailer\n<< /Size %zu /Root %d 0 R >>\nstartxref\n%ld\n%%%%EOF\n", m->n_obj + 1,
            OBJ_CATALOG, xref);
    /* a write that failed earlier: its errno is most likely still there (ENOSPC, EIO) */
    int e = ferror(m->f) ? (errno ? errno : EIO) : 0;
    if (fflush(m->f) != 0 && !e)
        e = errno;
    if (fclose(m->f) != 0 && !e)
        e = errno;
    m->f = NULL;
    if (e) {
        pf_error_errno(err, PF_EXIT_IO, PF_CODE_IO_WRITE, m->path, 0, e,
                       "印刷用ファイルを書けません", "cannot write the print file");
    } else if (fd) {
        *fd = m->tmp.fd;  /* the caller's now */
        m->tmp.fd = -1;
    } else {
        pf_tmp_publish(&m->tmp, m->mode, err);
    }
    pf_merge_abort(m);
    return err->status;
}

void pf_merge_abort(pf_merge *m)
{
    if (!m)
        return;
    if (m->f)
        fclose(m->f);
    pf_tmp_discard(&m->tmp);
    for (size_t i = 0; i < m->n_items; i++)
        free(m->items[i].title);
    free(m->items);
    free(m->offsets);
    free(m->pages);
    free(m->fields);
    for (size_t i = 0; i < m->n_shared; i++)
        free(m->shared[i].used);
    free(m->shared);
    pf_deflater_free(m->z);
    free(m->path);
    free(m);
}
