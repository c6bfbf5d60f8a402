/* pdf — pages, rules, fills, glyph runs and metadata through libharu. See pdf.h. */
#include "pdf/pdf.h"

#include <errno.h>
#include <hpdf.h>
#include <hpdf_doc.h>
#include <hpdf_objects.h>
#include <hpdf_pages.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pdf/cidfont.h"
#include "pdf/sigfield.h"

typedef struct writer {
    HPDF_Doc pdf;
    pf_fontset *fs;
    pf_cidfont **fonts;     /* by fontset index, created on first use */
    pf_deflater *z;         /* every stream's compression (pdf/deflate.h) */
    size_t n_fonts;
    int hpdf_failed;
    unsigned long hpdf_code;
    pf_sigfields sig;       /* the consent boxes' signature fields */
} writer;

static void on_hpdf_error(HPDF_STATUS code, HPDF_STATUS detail, void *user)
{
    (void)detail;
    writer *w = user;
    if (!w->hpdf_failed)
        w->hpdf_code = (unsigned long)code;
    w->hpdf_failed = 1;
}

/* libharu calls the handler only from its top-level functions; the inner ones it is built on
 * (HPDF_Dict_Add, HPDF_Binary_New: an allocation that failed) only record the error in the
 * document. Taken from there too, so that no part silently goes missing from the PDF. */
static void hpdf_check(writer *w)
{
    if (w->pdf && !w->hpdf_failed && HPDF_GetError(w->pdf) != HPDF_OK) {
        w->hpdf_code = (unsigned long)HPDF_GetError(w->pdf);
        w->hpdf_failed = 1;
    }
}

/* Content streams hold thousands of numbers a page: written by hand, not through printf. */
static void put_uint(pf_buf *b, unsigned long long v)
{
    char d[24];
    size_t n = sizeof d;
    do
        d[--n] = (char)('0' + v % 10);
    while ((v /= 10) != 0);
    pf_buf_add(b, d + n, sizeof d - n);
}

/* Numbers in content streams: at most 3 decimals, no trailing zeros, never "-0". */
static void put_num(pf_buf *b, double v)
{
    long long m = llround(v * 1000.0);
    if (m < 0) {
        pf_buf_add(b, "-", 1);
        m = -m;
    }
    put_uint(b, (unsigned long long)(m / 1000));
    int frac = (int)(m % 1000);
    if (frac) {
        char d[4] = {'.', (char)('0' + frac / 100), (char)('0' + frac / 10 % 10),
                     (char)('0' + frac % 10)};
        size_t n = 4;
        while (d[n - 1] == '0')
            n--;
        pf_buf_add(b, d, n);
    }
}

static pf_cidfont *font_for(writer *w, uint16_t index)
{
    if (!w->fonts[index])
        w->fonts[index] = pf_cidfont_new(w->pdf, w->fs, index);
    return w->fonts[index];
}

/* The page's /Resources /Font dictionary, created on first use. Fonts are named F<index>. */
static int add_font_resource(HPDF_Page page, HPDF_Dict *fonts, pf_cidfont *cf, uint16_t index)
{
    char name[16];
    snprintf(name, sizeof name, "F%u", (unsigned)index);
    if (!*fonts) {
        HPDF_Dict res = HPDF_Page_GetInheritableItem(page, "Resources", HPDF_OCLASS_DICT);
        *fonts = res ? HPDF_Dict_New(page->mmgr) : NULL;
        if (!*fonts || HPDF_Dict_Add(res, "Font", *fonts) != HPDF_OK)
            return -1;
    }
    if (HPDF_Dict_GetItem(*fonts, name, HPDF_OCLASS_DICT))
        return 0;
    return HPDF_Dict_Add(*fonts, name, pf_cidfont_dict(cf)) == HPDF_OK ? 0 : -1;
}

/* One line: BT, then for each stretch of glyphs in one font a Tf, a Tm and a TJ array whose
 * numbers move each glyph from where its declared width leaves the pen to where the layout put
 * it. */
static int write_run(writer *w, HPDF_Page page, HPDF_Dict *fonts, const pf_run *r, double ph,
                     pf_buf *b)
{
    if (r->n == 0)
        return 0;
    pf_buf_adds(b, "BT\n");
    size_t i = 0;
    while (i < r->n) {
        uint16_t f = r->g[i].font;
        pf_cidfont *cf = font_for(w, f);
        if (!cf || add_font_resource(page, fonts, cf, f))
            return -1;
        pf_buf_printf(b, "/F%u ", (unsigned)f);
        put_num(b, r->size);
        pf_buf_adds(b, " Tf 1 0 0 1 ");
        put_num(b, r->g[i].x);
        pf_buf_adds(b, " ");
        put_num(b, ph - r->y);
        pf_buf_adds(b, " Tm [<");
        double pen = r->g[i].x;
        for (; i < r->n && r->g[i].font == f; i++) {
            const pf_placed_glyph *g = &r->g[i];
            double gap = g->x - pen;
            if (fabs(gap) > 0.0005) {
                long adj = lround(-gap * 1000.0 / r->size);
                if (adj != 0) {
                    pf_buf_printf(b, ">%ld<", adj);
                    pen -= (double)adj * r->size / 1000.0;
                }
            }
            uint16_t cid = pf_cidfont_cid(cf, g->gid, g->advance, r->text + g->text_start,
                                          g->text_len);
            pf_buf_hex4(b, cid);
            pen += g->advance * r->size / 1000.0;
        }
        pf_buf_adds(b, ">] TJ\n");
    }
    pf_buf_adds(b, "ET\n");
    return 0;
}

/* put_num for each of `n` numbers, each followed by a space, then `op` and a newline. */
static void put_op(pf_buf *b, const double *v, size_t n, const char *op)
{
    for (size_t i = 0; i < n; i++) {
        put_num(b, v[i]);
        pf_buf_add(b, " ", 1);
    }
    pf_buf_adds(b, op);
    pf_buf_add(b, "\n", 1);
}

/* Shapes in order, as content-stream operators (written here: libharu's path operators cost a
 * 512-byte memset each). A run of rules of one width is stroked as one path: fewer operators,
 * smaller files. */
static void draw_graphics(pf_buf *b, const pf_page *p)
{
    double ph = p->height, width = -1, gray = -1;
    size_t i = 0;
    while (i < p->n_shapes) {
        const pf_graphic *s = &p->shapes[i];
        if (s->kind == PF_GRAPHIC_FILL) {
            if (s->gray != gray) {
                gray = s->gray;
                put_op(b, &gray, 1, "g");
            }
            double r[4] = {s->x1, ph - s->y2, s->x2 - s->x1, s->y2 - s->y1};
            put_op(b, r, 4, "re f");
            i++;
            continue;
        }
        if (s->kind == PF_GRAPHIC_ELLIPSE) {
            if (s->width != width) {
                width = s->width;
                put_op(b, &width, 1, "w");
            }
            /* four Bézier quarters; k places the control points of a circle's quarter */
            const double k = 0.5522847498;
            double cx = (s->x1 + s->x2) / 2, cy = ph - (s->y1 + s->y2) / 2;
            double rx = (s->x2 - s->x1) / 2, ry = (s->y2 - s->y1) / 2;
            double m[2] = {cx + rx, cy};
            double q[4][6] = {
                {cx + rx, cy + k * ry, cx + k * rx, cy + ry, cx, cy + ry},
                {cx - k * rx, cy + ry, cx - rx, cy + k * ry, cx - rx, cy},
                {cx - rx, cy - k * ry, cx - k * rx, cy - ry, cx, cy - ry},
                {cx + k * rx, cy - ry, cx + rx, cy - k * ry, cx + rx, cy},
            };
            put_op(b, m, 2, "m");
            for (int j = 0; j < 4; j++)
                put_op(b, q[j], 6, "c");
            pf_buf_adds(b, "S\n");
            i++;
            continue;
        }
        if (s->width != width) {
            width = s->width;
            put_op(b, &width, 1, "w");
        }
        for (; i < p->n_shapes && p->shapes[i].kind == PF_GRAPHIC_RULE &&
               p->shapes[i].width == width;
             i++) {
            const pf_graphic *r = &p->shapes[i];
            double from[2] = {r->x1, ph - r->y1}, to[2] = {r->x2, ph - r->y2};
            put_op(b, from, 2, "m");
            put_op(b, to, 2, "l");
        }
        pf_buf_adds(b, "S\n");
    }
    if (gray != 0 && gray != -1)
        pf_buf_adds(b, "0 g\n");  /* text is black */
}

static int write_page(writer *w, const pf_page *p)
{
    HPDF_Page page = HPDF_AddPage(w->pdf);
    if (!page)
        return -1;
    HPDF_Page_SetWidth(page, (HPDF_REAL)p->width);
    HPDF_Page_SetHeight(page, (HPDF_REAL)p->height);
    HPDF_Dict fonts = NULL;
    pf_buf text = {0};
    draw_graphics(&text, p);
    int rc = 0;
    for (size_t i = 0; i < p->n_runs && rc == 0; i++)
        rc = write_run(w, page, &fonts, &p->runs[i], p->height, &text);
    HPDF_Dict content = ((HPDF_PageAttr)page->attr)->contents;
    if (rc == 0 && pf_deflate_into(w->z, content, text.data ? text.data : "", text.len))
        rc = -1;
    pf_buf_free(&text);
    if (rc == 0 && pf_sigfields_page(&w->sig, w->pdf, page, p))
        rc = -1;
    return rc;
}

/* Document information strings in UTF-16BE with a byte order mark, so Japanese titles show.
 * libharu refuses a string over HPDF_LIMIT_MAX_STRING_LEN bytes and the whole document with it
 * (a 33,000-character name that the form itself prints): the metadata keeps what fits, whole
 * characters only. */
static void set_info_text(writer *w, const char *key, const char *utf8)
{
    if (!utf8 || !w->pdf->info)
        return;
    pf_buf b = {0};
    pf_buf_add(&b, "\xFE\xFF", 2);
    size_t i = 0, len = strlen(utf8);
    while (i < len) {
        int32_t cp = pf_utf8_next(utf8, len, &i);
        if (cp < 0)
            break;
        unsigned units[2], n = 1;
        if (cp >= 0x10000) {
            uint32_t v = (uint32_t)cp - 0x10000;
            units[0] = 0xD800 + (v >> 10), units[1] = 0xDC00 + (v & 0x3FF), n = 2;
        } else {
            units[0] = (unsigned)cp;
        }
        if (b.len + 2 * n > HPDF_LIMIT_MAX_STRING_LEN)
            break;
        for (unsigned k = 0; k < n; k++) {
            unsigned char be[2] = {(unsigned char)(units[k] >> 8), (unsigned char)units[k]};
            pf_buf_add(&b, be, 2);
        }
    }
    HPDF_Binary v = HPDF_Binary_New(w->pdf->mmgr, (HPDF_BYTE *)b.data, (HPDF_UINT)b.len);
    if (v)
        HPDF_Dict_Add(w->pdf->info, key, v);
    pf_buf_free(&b);
}

/* A document information string of printable ASCII as it is (PDFDocEncoding), else as
 * set_info_text: the fingerprints are read by tools as plain text, and a UTF-16 string's
 * zero bytes would be the first in the information qpdf hashes into a file's /ID. */
static void set_info_plain(writer *w, const char *key, const char *text)
{
    for (const char *p = text; *p; p++)
        if (*p < 0x20 || *p > 0x7E) {
            set_info_text(w, key, text);
            return;
        }
    if (!w->pdf->info)
        return;
    size_t n = strlen(text);
    if (n > HPDF_LIMIT_MAX_STRING_LEN)
        n = HPDF_LIMIT_MAX_STRING_LEN;
    HPDF_Binary v = HPDF_Binary_New(w->pdf->mmgr, (HPDF_BYTE *)text, (HPDF_UINT)n);
    if (v)
        HPDF_Dict_Add(w->pdf->info, key, v);
}

static int finish(writer *w, unsigned char **out, size_t *len)
{
    if (HPDF_SaveToStream(w->pdf) != HPDF_OK)
        return -1;
    HPDF_UINT32 size = HPDF_GetStreamSize(w->pdf);
    *out = pf_xmalloc(size ? size : 1);
    HPDF_UINT32 got = size;
    if (HPDF_ReadFromStream(w->pdf, *out, &got) != HPDF_OK && got != size) {
        free(*out);
        *out = NULL;
        return -1;
    }
    *len = got;
    return 0;
}

void pf_font_glyphs_free(pf_font_glyphs *g, size_t n)
{
    for (size_t i = 0; g && i < n; i++)
        free(g[i].gid);
    free(g);
}

int pf_pdf_write(const pf_doc *doc, pf_fontset *fs, unsigned char **out, size_t *len,
                 pf_font_glyphs **glyphs, size_t *n_glyphs, pf_error *err)
{
    writer w = {0};
    w.fs = fs;
    w.n_fonts = pf_fontset_count(fs);
    w.fonts = pf_xcalloc(w.n_fonts, sizeof *w.fonts);
    w.pdf = HPDF_New(on_hpdf_error, &w);
    int rc = w.pdf ? 0 : -1;
    if (rc == 0) {
        /* libharu's zlib stays off: every stream is deflated by pdf/deflate */
        HPDF_SetCompressionMode(w.pdf, HPDF_COMP_NONE);
        w.z = pf_deflater_new();
        HPDF_SetInfoAttr(w.pdf, HPDF_INFO_CREATOR, "planform");
        set_info_text(&w, "Title", doc->title);
        set_info_text(&w, "Subject", doc->subject);
        /* each form's version fingerprint, whole: "<SHA-256 hex> <form> <item id> p.<page>"
         * under PlanformFingerprint1, 2, … (pdfinfo -custom lists them) */
        for (size_t i = 0; i < doc->n_versions; i++) {
            const pf_doc_version *v = &doc->versions[i];
            char key[48];
            snprintf(key, sizeof key, "PlanformFingerprint%zu", i + 1);
            char *text = pf_xasprintf("%s %s %s p.%zu", v->hex, v->form,
                                      v->item[0] ? v->item : "-", v->page + 1);
            set_info_plain(&w, key, text);
            free(text);
        }
    }
    for (size_t i = 0; rc == 0 && i < doc->n_pages; i++)
        rc = write_page(&w, doc->pages[i]);
    for (size_t i = 0; rc == 0 && i < w.n_fonts; i++)
        if (w.fonts[i] && pf_cidfont_finish(w.fonts[i], w.z, err))
            rc = err->status;
    hpdf_check(&w);
    if (rc == 0 && !w.hpdf_failed && finish(&w, out, len) != 0)
        rc = -1;
    hpdf_check(&w);
    if (rc == 0 && !w.hpdf_failed && glyphs) {
        size_t n = 0;
        *glyphs = pf_xcalloc(w.n_fonts + 1, sizeof **glyphs);
        for (size_t i = 0; i < w.n_fonts; i++) {
            if (!w.fonts[i])
                continue;
            pf_font_glyphs *g = &(*glyphs)[n++];
            g->font = (uint16_t)i;
            pf_cidfont_glyphs(w.fonts[i], g->name, &g->gid, &g->n);
        }
        *n_glyphs = n;
    }
    if ((rc || w.hpdf_failed) && !err->status) {
        if (!w.pdf || w.hpdf_code == HPDF_FAILD_TO_ALLOC_MEM)
            pf_error_errno(err, PF_EXIT_IO, PF_CODE_PDF_ERROR, NULL, 0, ENOMEM, "PDFを作れません",
                           "cannot build the PDF");
        else
            pf_error_setf(err, PF_EXIT_IO, PF_CODE_PDF_ERROR, NULL, 0, NULL, NULL,
                          "PDFを作れません（libharu 0x%04lX）",
                          "cannot build the PDF (libharu error 0x%04lX)", w.hpdf_code);
    }
    for (size_t i = 0; i < w.n_fonts; i++)
        pf_cidfont_free(w.fonts[i]);
    free(w.fonts);
    pf_deflater_free(w.z);
    pf_sigfields_free(&w.sig);
    if (w.pdf)
        HPDF_Free(w.pdf);
    if (err->status && *out) {
        free(*out);
        *out = NULL;
    }
    return err->status;
}
