/* font — the fonts that print a form: found through fontconfig, tried in a fallback chain,
 * shaped with HarfBuzz, and cut down to the glyphs used with hb-subset.
 *
 * Owns: fonts/chain.conf (role → families), the loaded faces, choosing for each character the
 * first font of its chain that has it (including ideographic variation sequences through the
 * font's cmap format 14), shaping runs into glyphs, and subsets. It knows nothing of PDF objects
 * or of plans. Advances are in 1/1000 em, the unit PDF widths use, so that what the layout
 * measures is exactly what the PDF says (a viewer places glyphs by the widths the PDF states: a mismatch cuts or overlaps text). */
#ifndef PF_FONT_H
#define PF_FONT_H

#include <stddef.h>
#include <stdint.h>

#include "util/util.h"

typedef struct pf_font pf_font;
typedef struct pf_fontset pf_fontset;

/* A shaped glyph. `cluster` is the byte offset in the shaped text where its characters start. */
typedef struct pf_glyph {
    uint32_t gid;
    int32_t advance;      /* 1/1000 em */
    int32_t x_offset;     /* 1/1000 em */
    uint32_t cluster;
    uint16_t font;        /* index in the fontset (pf_fontset_font) */
} pf_glyph;

typedef struct pf_glyphs {
    pf_glyph *g;
    size_t n, cap;
} pf_glyphs;

/* Font metrics for the PDF font descriptor, in 1/1000 em. */
typedef struct pf_font_metrics {
    int ascent, descent, cap_height;
    int bbox[4];
} pf_font_metrics;

/* Load fonts/chain.conf: find every family through fontconfig and open it. A family that is
 * not installed is an error naming it (PF_EXIT_RESOURCE). Fonts are opened lazily: a fallback
 * font that no character needs is never read. */
pf_fontset *pf_fontset_load(const char *chain_conf, pf_error *err);
void pf_fontset_free(pf_fontset *fs);

/* The index of a chain by role ("mincho", "gothic"), or -1. */
int pf_fontset_chain(const pf_fontset *fs, const char *role);

/* Shape s[0..len) (one line or paragraph, no control characters) with chain `chain`,
 * appending to `out`. A character no font of the chain has stops with PF_EXIT_INVALID and
 * *bad_offset set to its byte offset (the caller knows which field it came from). */
int pf_shape(pf_fontset *fs, int chain, const char *s, size_t len, pf_glyphs *out,
             size_t *bad_offset, pf_error *err);

/* The fonts of the set, by index (as in pf_glyph.font). */
size_t pf_fontset_count(const pf_fontset *fs);
pf_font *pf_fontset_font(const pf_fontset *fs, size_t i);

const char *pf_font_family(const pf_font *f);   /* PostScript-safe family name: IPAexMincho */
const char *pf_font_path(const pf_font *f);
pf_font_metrics pf_font_metrics_of(pf_font *f);

/* Subset `f` to the glyphs gids[0..n) (glyph 0 is always kept), which print the characters
 * cps[0..ncp). On success *ttf (malloc'd) holds a TrueType font and new_gids[i] the glyph id
 * of gids[i] in it. */
int pf_font_subset(pf_font *f, const uint32_t *gids, size_t n, const uint32_t *cps, size_t ncp,
                   uint32_t *new_gids, unsigned char **ttf, size_t *ttf_len, pf_error *err);
/* Subset `f` to the glyphs gids[0..n), each keeping its glyph id (unused ids left empty): one
 * font that many documents' CIDToGIDMaps can point into (the batch print file). */
int pf_font_subset_keeping_ids(pf_font *f, const uint32_t *gids, size_t n, unsigned char **ttf,
                               size_t *ttf_len, pf_error *err);

#endif
