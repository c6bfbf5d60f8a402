/* pdf/cidfont — one embedded font as PDF objects: Type0 → CIDFontType2 → FontDescriptor →
 * FontFile2 (hb-subset), with /W, a CIDToGIDMap and a ToUnicode CMap.
 *
 * CIDs are handed out densely (1, 2, 3 …) per distinct (glyph, width, characters) as the pages
 * are written: one glyph standing for two different texts (a variation-selector glyph shared
 * with its base, say) still copies out as exactly what was printed, and a glyph followed by
 * layout space (和欧間) has a CID whose width includes that space. At the end the font
 * is subset and the CIDToGIDMap maps each CID to its glyph in the subset. */
#ifndef PF_CIDFONT_H
#define PF_CIDFONT_H

#include <hpdf.h>
#include <stddef.h>
#include <stdint.h>

#include "font/font.h"
#include "pdf/deflate.h"
#include "util/util.h"

typedef struct pf_cidfont pf_cidfont;

/* Create the (still empty) Type0 font object in `pdf` for fontset font `font_index`. */
pf_cidfont *pf_cidfont_new(HPDF_Doc pdf, pf_fontset *fs, uint16_t font_index);
/* The font dictionary to put in a page's /Resources /Font. */
HPDF_Dict pf_cidfont_dict(const pf_cidfont *cf);
/* The CID that prints glyph `gid` with width `advance` (1/1000 em) for text[0..len). */
uint16_t pf_cidfont_cid(pf_cidfont *cf, uint32_t gid, int32_t advance, const char *text,
                        size_t len);
/* Subset the font and fill in every object, its streams deflated with `z`. */
int pf_cidfont_finish(pf_cidfont *cf, pf_deflater *z, pf_error *err);
/* After finish: the /BaseFont (name, 160 bytes) and, in gid[cid] for cid 0 … n-1, the glyph
 * id in the whole font (gid malloc'd). */
void pf_cidfont_glyphs(const pf_cidfont *cf, char *name, uint32_t **gid, size_t *n);
void pf_cidfont_free(pf_cidfont *cf);

#endif
