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

#include "font/font.h"
#include "layout/doc.h"
#include "util/util.h"

/* Render `doc` to PDF bytes in memory (*out, malloc'd). Output is deterministic: the same
 * document gives the same bytes. */
int pf_pdf_write(const pf_doc *doc, pf_fontset *fs, unsigned char **out, size_t *len,
                 pf_error *err);

#endif
