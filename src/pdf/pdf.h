/* pdf — writes a laid-out document (layout/doc.h) as PDF through libharu.
 *
 * Owns: the PDF document, pages, rules, fills, metadata (libharu), and the fonts as PDF sees
 * them: each font used becomes a Type0 font over a CIDFontType2 whose FontFile2 is an hb-subset
 * of the glyphs used, with /W for those glyphs only and a standard ToUnicode CMap (cidfont.c).
 * libharu's own TrueType loader is never used: it embeds whole fonts, is slow, and cannot print
 * characters outside the BMP. Knows nothing of plans. */
#ifndef PF_PDF_H
#define PF_PDF_H

#include <stddef.h>
#include <stdint.h>

#include "font/font.h"
#include "layout/doc.h"
#include "util/util.h"

/* For each font of a written PDF: its /BaseFont, and for each CID the glyph id in the whole
 * font. A print file of many PDFs uses it to point every document's CIDs into one font shared
 * by all, instead of embedding each document's own subset again (pdf/merge). */
typedef struct pf_font_glyphs {
    uint16_t font;          /* index in the fontset */
    char name[160];         /* /BaseFont, "ABCDEF+IPAexMincho" */
    uint32_t *gid;          /* gid[cid], cid 0 … n-1 (CID 0 is .notdef, glyph 0) */
    size_t n;
} pf_font_glyphs;

void pf_font_glyphs_free(pf_font_glyphs *g, size_t n);

/* Render `doc` to PDF bytes in memory (*out, malloc'd). Output is deterministic: the same
 * document gives the same bytes. With `glyphs` (may be NULL), also what pf_font_glyphs says
 * for each font used (*glyphs malloc'd, *n_glyphs entries). */
int pf_pdf_write(const pf_doc *doc, pf_fontset *fs, unsigned char **out, size_t *len,
                 pf_font_glyphs **glyphs, size_t *n_glyphs, pf_error *err);

#endif
