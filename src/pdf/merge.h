/* pdf/merge — one print-ready PDF from many of planform's own PDFs, written as it goes.
 *
 * Each added PDF's objects are copied with new numbers (its catalog, page tree and information
 * dictionary left out), its pages joined to one page tree, and the outline gets an entry per
 * document and per mark (form) inside it. Only the numbers and page ids are kept in memory (and
 * for shared fonts a bit per glyph), so a print file of thousands of people needs little. Reads
 * only what pf_pdf_write writes (one classic xref table, no object streams); anything else is
 * an error, not a guess. */
#ifndef PF_MERGE_H
#define PF_MERGE_H

#include <stddef.h>

#include "font/font.h"
#include "pdf/pdf.h"
#include "util/util.h"

typedef struct pf_merge pf_merge;

typedef struct pf_mark {
    size_t page;            /* 0-based page in the added PDF */
    const char *title;      /* UTF-8 */
} pf_mark;

/* Start writing `path` (through a temporary file in its folder, renamed at the end). With
 * `anonymous`, the file never has a name (for an unencrypted print file that is encrypted
 * into place afterwards: no end of the process can leave it on disk). With `fs` (the fontset
 * the PDFs were made with; NULL: none), fonts are shared: see pf_merge_add. */
pf_merge *pf_merge_open(const char *path, unsigned mode, int anonymous, pf_fontset *fs,
                        pf_error *err);

/* Append a PDF under outline entry `title`, with sub-entries `marks`. With `duplex`, a blank
 * page first if the document would otherwise start on the back of a sheet. With `glyphs` (what
 * pf_pdf_write said of its fonts) and a fontset, the PDF's own font subsets are left out: its
 * CIDs are pointed into one subset per font, written at the end with every glyph any document
 * used (glyph ids kept), so a thousand people's plans carry their fonts once, not a thousand
 * times. Each document keeps its own widths and ToUnicode, so text copies out as it was. */
int pf_merge_add(pf_merge *m, const unsigned char *pdf, size_t len, const char *title,
                 const pf_mark *marks, size_t n_marks, const pf_font_glyphs *glyphs,
                 size_t n_glyphs, int duplex, pf_error *err);

/* Write page tree, outline, xref and trailer. A named print file is made durable and renamed
 * into place (`fd` NULL). An anonymous one is handed over: *fd is its descriptor, to read as
 * /proc/self/fd/N and close. Frees m. */
int pf_merge_close(pf_merge *m, int *fd, pf_error *err);
/* Give up: remove the temporary file. Frees m. */
void pf_merge_abort(pf_merge *m);


#endif
