/* pdf/cidfont — a subset TrueType font as Type0/CIDFontType2 objects. See cidfont.h. */
#include "pdf/cidfont.h"

#include <errno.h>
#include <hpdf_doc.h>
#include <hpdf_objects.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_CID 65535

typedef struct cid_entry {
    uint32_t gid;
    int32_t advance;
    char *text;            /* the characters the glyph stands for, UTF-8 */
    size_t text_len;
} cid_entry;

struct pf_cidfont {
    HPDF_Doc pdf;
    pf_font *font;
    HPDF_Dict type0;
    cid_entry *cids;       /* cids[k] is CID k+1 */
    size_t n, cap;
    uint32_t *slots;       /* hash: index+1 into cids, 0 empty */
    size_t n_slots;
    char name[160];        /* /BaseFont, set by finish */
};

static uint64_t hash_key(uint32_t gid, int32_t advance, const char *text, size_t len)
{
    uint64_t h = (1469598103934665603ULL ^ gid) * 1099511628211ULL ^ (uint32_t)advance;
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)text[i]) * 1099511628211ULL;
    return h;
}

pf_cidfont *pf_cidfont_new(HPDF_Doc pdf, pf_fontset *fs, uint16_t font_index)
{
    HPDF_Dict type0 = HPDF_Dict_New(pdf->mmgr);
    if (!type0 || HPDF_Xref_Add(pdf->xref, type0) != HPDF_OK)
        return NULL;
    pf_cidfont *cf = pf_xcalloc(1, sizeof *cf);
    cf->pdf = pdf;
    cf->font = pf_fontset_font(fs, font_index);
    cf->type0 = type0;
    cf->n_slots = 1024;
    cf->slots = pf_xcalloc(cf->n_slots, sizeof *cf->slots);
    return cf;
}

HPDF_Dict pf_cidfont_dict(const pf_cidfont *cf) { return cf->type0; }

static void rehash(pf_cidfont *cf)
{
    free(cf->slots);
    cf->n_slots *= 2;
    cf->slots = pf_xcalloc(cf->n_slots, sizeof *cf->slots);
    for (size_t k = 0; k < cf->n; k++) {
        cid_entry *e = &cf->cids[k];
        size_t s = hash_key(e->gid, e->advance, e->text, e->text_len) & (cf->n_slots - 1);
        while (cf->slots[s])
            s = (s + 1) & (cf->n_slots - 1);
        cf->slots[s] = (uint32_t)k + 1;
    }
}

uint16_t pf_cidfont_cid(pf_cidfont *cf, uint32_t gid, int32_t advance, const char *text,
                        size_t len)
{
    size_t s = hash_key(gid, advance, text, len) & (cf->n_slots - 1);
    for (; cf->slots[s]; s = (s + 1) & (cf->n_slots - 1)) {
        cid_entry *e = &cf->cids[cf->slots[s] - 1];
        if (e->gid == gid && e->advance == advance && e->text_len == len &&
            memcmp(e->text, text, len) == 0)
            return (uint16_t)cf->slots[s];
    }
    if (cf->n >= MAX_CID)
        return 0;  /* cannot happen with forms: a font has fewer than 65535 glyphs */
    PF_GROW(cf->cids, cf->n, cf->cap);
    cid_entry *e = &cf->cids[cf->n];
    e->gid = gid;
    e->advance = advance;
    e->text = pf_xstrndup(text, len);
    e->text_len = len;
    cf->slots[s] = (uint32_t)++cf->n;
    if (cf->n * 2 > cf->n_slots)
        rehash(cf);
    return (uint16_t)cf->n;
}

/* A deterministic six-letter subset tag (PDF 32000 9.6.4) from the glyphs used. */
static void subset_tag(const pf_cidfont *cf, char tag[7])
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t k = 0; k < cf->n; k++)
        h = (h ^ cf->cids[k].gid) * 1099511628211ULL;
    for (int i = 0; i < 6; i++, h /= 26)
        tag[i] = (char)('A' + h % 26);
    tag[6] = 0;
}

static void put_utf16_hex(pf_buf *b, const char *text, size_t len)
{
    size_t i = 0;
    while (i < len) {
        int32_t cp = pf_utf8_next(text, len, &i);
        if (cp < 0)
            break;
        if (cp >= 0x10000) {
            uint32_t v = (uint32_t)cp - 0x10000;
            pf_buf_hex4(b, 0xD800 + (v >> 10));
            pf_buf_hex4(b, 0xDC00 + (v & 0x3FF));
        } else {
            pf_buf_hex4(b, (unsigned)cp);
        }
    }
}

static void tounicode_cmap(const pf_cidfont *cf, pf_buf *b)
{
    pf_buf_adds(b, "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
                   "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
                   "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
                   "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n");
    size_t with_text = 0;
    for (size_t k = 0; k < cf->n; k++)
        with_text += cf->cids[k].text_len > 0;
    size_t written = 0;
    for (size_t k = 0; k < cf->n; k++) {
        if (!cf->cids[k].text_len)
            continue;
        if (written % 100 == 0) {
            size_t left = with_text - written;
            pf_buf_printf(b, "%zu beginbfchar\n", left < 100 ? left : 100);
        }
        pf_buf_add(b, "<", 1);
        pf_buf_hex4(b, (unsigned)(k + 1));
        pf_buf_add(b, "> <", 3);
        put_utf16_hex(b, cf->cids[k].text, cf->cids[k].text_len);
        pf_buf_adds(b, ">\n");
        if (++written % 100 == 0 || written == with_text)
            pf_buf_adds(b, "endbfchar\n");
    }
    pf_buf_adds(b, "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
}

static HPDF_Dict new_stream(HPDF_Doc pdf, pf_deflater *z, const void *data, size_t len)
{
    HPDF_Dict s = HPDF_DictStream_New(pdf->mmgr, pdf->xref);
    if (!s || pf_deflate_into(z, s, data, len))
        return NULL;
    return s;
}

static HPDF_Dict new_indirect_dict(HPDF_Doc pdf)
{
    HPDF_Dict d = HPDF_Dict_New(pdf->mmgr);
    if (d && HPDF_Xref_Add(pdf->xref, d) != HPDF_OK)
        return NULL;
    return d;
}

static int cidsysteminfo(HPDF_Doc pdf, HPDF_Dict cidfont)
{
    HPDF_Dict info = HPDF_Dict_New(pdf->mmgr);
    if (!info || HPDF_Dict_Add(cidfont, "CIDSystemInfo", info) != HPDF_OK)
        return -1;
    HPDF_String reg = HPDF_String_New(pdf->mmgr, "Adobe", NULL);
    HPDF_String ord = HPDF_String_New(pdf->mmgr, "Identity", NULL);
    if (!reg || !ord || HPDF_Dict_Add(info, "Registry", reg) != HPDF_OK ||
        HPDF_Dict_Add(info, "Ordering", ord) != HPDF_OK ||
        HPDF_Dict_AddNumber(info, "Supplement", 0) != HPDF_OK)
        return -1;
    return 0;
}

/* /W as "first [widths...]" pieces of at most W_PIECE widths each: libharu takes no array of
 * more than HPDF_LIMIT_MAX_ARRAY (32,767) elements, and a bundle can use more glyphs of one
 * font than that (IPAmj明朝 has some 60,000), which validate cannot foresee. */
#define W_PIECE 8192

static int widths(HPDF_Doc pdf, const pf_cidfont *cf, HPDF_Dict cidfont)
{
    HPDF_Array w = HPDF_Array_New(pdf->mmgr);
    if (!w || HPDF_Dict_Add(cidfont, "W", w) != HPDF_OK)
        return -1;
    for (size_t start = 0; start < cf->n; start += W_PIECE) {
        HPDF_Array list = HPDF_Array_New(pdf->mmgr);
        if (!list || HPDF_Array_AddNumber(w, (HPDF_INT32)(start + 1)) != HPDF_OK ||
            HPDF_Array_Add(w, list) != HPDF_OK)
            return -1;
        for (size_t k = start; k < cf->n && k < start + W_PIECE; k++)
            if (HPDF_Array_AddNumber(list, cf->cids[k].advance) != HPDF_OK)
                return -1;
    }
    return 0;
}

static int descriptor(HPDF_Doc pdf, pf_deflater *z, pf_cidfont *cf, HPDF_Dict cidfont,
                      const char *name, const unsigned char *ttf, size_t ttf_len)
{
    pf_font_metrics m = pf_font_metrics_of(cf->font);
    HPDF_Dict fd = new_indirect_dict(pdf);
    HPDF_Dict file = new_stream(pdf, z, ttf, ttf_len);
    HPDF_Array bbox = HPDF_Array_New(pdf->mmgr);
    if (!fd || !file || !bbox || HPDF_Dict_Add(cidfont, "FontDescriptor", fd) != HPDF_OK)
        return -1;
    for (int i = 0; i < 4; i++)
        if (HPDF_Array_AddNumber(bbox, m.bbox[i]) != HPDF_OK)
            return -1;
    if (HPDF_Dict_AddName(fd, "Type", "FontDescriptor") != HPDF_OK ||
        HPDF_Dict_AddName(fd, "FontName", name) != HPDF_OK ||
        HPDF_Dict_AddNumber(fd, "Flags", 4) != HPDF_OK ||  /* symbolic: glyphs by CID */
        HPDF_Dict_Add(fd, "FontBBox", bbox) != HPDF_OK ||
        HPDF_Dict_AddNumber(fd, "ItalicAngle", 0) != HPDF_OK ||
        HPDF_Dict_AddNumber(fd, "Ascent", m.ascent) != HPDF_OK ||
        HPDF_Dict_AddNumber(fd, "Descent", m.descent) != HPDF_OK ||
        HPDF_Dict_AddNumber(fd, "CapHeight", m.cap_height) != HPDF_OK ||
        HPDF_Dict_AddNumber(fd, "StemV", 80) != HPDF_OK ||
        HPDF_Dict_AddNumber(file, "Length1", (HPDF_INT32)ttf_len) != HPDF_OK ||
        HPDF_Dict_Add(fd, "FontFile2", file) != HPDF_OK)
        return -1;
    return 0;
}

int pf_cidfont_finish(pf_cidfont *cf, pf_deflater *z, pf_error *err)
{
    HPDF_Doc pdf = cf->pdf;
    uint32_t *gids = pf_xmalloc((cf->n + 1) * sizeof *gids);
    uint32_t *new_gids = pf_xmalloc((cf->n + 1) * sizeof *new_gids);
    for (size_t k = 0; k < cf->n; k++)
        gids[k] = cf->cids[k].gid;
    /* the characters printed, for hb-subset's fast path */
    uint32_t *cps = NULL;
    size_t ncp = 0, cap = 0;
    for (size_t k = 0; k < cf->n; k++) {
        for (size_t i = 0; i < cf->cids[k].text_len;) {
            int32_t cp = pf_utf8_next(cf->cids[k].text, cf->cids[k].text_len, &i);
            if (cp < 0)
                break;
            PF_GROW(cps, ncp, cap);
            cps[ncp++] = (uint32_t)cp;
        }
    }
    unsigned char *ttf = NULL;
    size_t ttf_len = 0;
    int rc = pf_font_subset(cf->font, gids, cf->n, cps, ncp, new_gids, &ttf, &ttf_len, err);
    free(cps);
    if (rc) {
        free(gids);
        free(new_gids);
        return rc;
    }
    /* CIDToGIDMap: two bytes, big-endian, per CID from 0. */
    unsigned char *map = pf_xcalloc(cf->n + 1, 2);
    for (size_t k = 0; k < cf->n; k++) {
        map[2 * (k + 1)] = (unsigned char)(new_gids[k] >> 8);
        map[2 * (k + 1) + 1] = (unsigned char)(new_gids[k] & 0xFF);
    }
    char tag[7], *name = cf->name;
    subset_tag(cf, tag);
    snprintf(name, sizeof cf->name, "%s+%s", tag, pf_font_family(cf->font));
    pf_buf cmap = {0};
    tounicode_cmap(cf, &cmap);

    HPDF_Dict cidfont = new_indirect_dict(pdf);
    HPDF_Array descendants = HPDF_Array_New(pdf->mmgr);
    HPDF_Dict gidmap = new_stream(pdf, z, map, 2 * (cf->n + 1));
    HPDF_Dict tounicode = new_stream(pdf, z, cmap.data, cmap.len);
    int bad = !cidfont || !descendants || !gidmap || !tounicode ||
              HPDF_Dict_AddName(cidfont, "Type", "Font") != HPDF_OK ||
              HPDF_Dict_AddName(cidfont, "Subtype", "CIDFontType2") != HPDF_OK ||
              HPDF_Dict_AddName(cidfont, "BaseFont", name) != HPDF_OK ||
              cidsysteminfo(pdf, cidfont) || descriptor(pdf, z, cf, cidfont, name, ttf, ttf_len) ||
              HPDF_Dict_AddNumber(cidfont, "DW", 1000) != HPDF_OK || widths(pdf, cf, cidfont) ||
              HPDF_Dict_Add(cidfont, "CIDToGIDMap", gidmap) != HPDF_OK ||
              HPDF_Dict_AddName(cf->type0, "Type", "Font") != HPDF_OK ||
              HPDF_Dict_AddName(cf->type0, "Subtype", "Type0") != HPDF_OK ||
              HPDF_Dict_AddName(cf->type0, "BaseFont", name) != HPDF_OK ||
              HPDF_Dict_AddName(cf->type0, "Encoding", "Identity-H") != HPDF_OK ||
              HPDF_Array_Add(descendants, cidfont) != HPDF_OK ||
              HPDF_Dict_Add(cf->type0, "DescendantFonts", descendants) != HPDF_OK ||
              HPDF_Dict_Add(cf->type0, "ToUnicode", tounicode) != HPDF_OK;
    pf_buf_free(&cmap);
    free(map);
    free(ttf);
    free(gids);
    free(new_gids);
    if (bad && HPDF_GetError(pdf) == HPDF_FAILD_TO_ALLOC_MEM)
        return pf_error_errno(err, PF_EXIT_IO, PF_CODE_PDF_ERROR, NULL, 0, ENOMEM,
                              "PDFのフォントを書けません", "cannot write the PDF font objects");
    if (bad)
        return pf_error_set(err, PF_EXIT_IO, PF_CODE_PDF_ERROR, NULL, 0, NULL, NULL,
                            "PDFのフォントを書けません", "cannot write the PDF font objects");
    return 0;
}

void pf_cidfont_free(pf_cidfont *cf)
{
    if (!cf)
        return;
    for (size_t k = 0; k < cf->n; k++)
        free(cf->cids[k].text);
    free(cf->cids);
    free(cf->slots);
    free(cf);
}

void pf_cidfont_glyphs(const pf_cidfont *cf, char *name, uint32_t **gid, size_t *n)
{
    memcpy(name, cf->name, sizeof cf->name);
    *n = cf->n + 1;
    *gid = pf_xcalloc(*n, sizeof **gid);
    for (size_t k = 0; k < cf->n; k++)
        (*gid)[k + 1] = cf->cids[k].gid;
}
