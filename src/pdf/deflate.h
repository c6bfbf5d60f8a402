/* pdf/deflate — FlateDecode streams compressed with libdeflate, not by libharu.
 *
 * libharu compresses with zlib at level 6, which was 45% of a batch's CPU time; libdeflate
 * gives the same format (RFC 1950) in about a third of the time and a little smaller. libharu's
 * own compression is therefore off (HPDF_COMP_NONE), and every stream planform writes through
 * libharu (page contents, FontFile2, CIDToGIDMap, ToUnicode) is deflated here and put into the
 * stream as it is; /Filter /FlateDecode is written by the dictionary's write hook, because
 * libharu removes a /Filter key from any stream whose own filter is "none". The print-file
 * merge (pdf/merge.c) writes its streams itself and deflates them here too.
 *
 * Deterministic: the same bytes in give the same bytes out (one fixed level, one library). */
#ifndef PF_DEFLATE_H
#define PF_DEFLATE_H

#include <hpdf.h>
#include <stddef.h>

typedef struct pf_deflater pf_deflater;

/* A compressor, reused for every stream of a document (it holds a few hundred KB of tables).
 * Out of memory is pf_out_of_memory, as for pf_xmalloc. */
pf_deflater *pf_deflater_new(void);
void pf_deflater_free(pf_deflater *d);

/* `len` bytes as a zlib stream, into *out (malloc'd, *out_len bytes). 0; -1 only if
 * libdeflate broke its own bound (nothing in *out then). */
int pf_deflate(pf_deflater *d, const void *data, size_t len, unsigned char **out,
                size_t *out_len);

/* Deflate `len` bytes into the (empty) libharu stream dictionary `s` and mark it
 * /Filter /FlateDecode. 0, or -1 when libharu fails (its error is in the document). */
int pf_deflate_into(pf_deflater *d, HPDF_Dict s, const void *data, size_t len);

#endif
