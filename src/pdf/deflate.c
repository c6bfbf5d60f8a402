/* pdf/deflate — FlateDecode streams through libdeflate. See deflate.h. */
#include "pdf/deflate.h"

#include <hpdf_objects.h>
#include <libdeflate.h>
#include <stdlib.h>

#include "util/util.h"

/* libdeflate's level 6 is already smaller than zlib's 6 for our streams (font programs are
 * most of a file); the levels above it cost time for a percent or two. */
#define LEVEL 6

struct pf_deflater {
    struct libdeflate_compressor *c;
};

pf_deflater *pf_deflater_new(void)
{
    pf_deflater *d = pf_xmalloc(sizeof *d);
    d->c = libdeflate_alloc_compressor(LEVEL);
    if (!d->c)
        pf_out_of_memory(0);
    return d;
}

void pf_deflater_free(pf_deflater *d)
{
    if (!d)
        return;
    libdeflate_free_compressor(d->c);
    free(d);
}

int pf_deflate(pf_deflater *d, const void *data, size_t len, unsigned char **out,
               size_t *out_len)
{
    size_t bound = libdeflate_zlib_compress_bound(d->c, len);
    *out = pf_xmalloc(bound);
    /* 0 only when the output does not fit, and the bound always fits */
    *out_len = libdeflate_zlib_compress(d->c, data, len, *out, bound);
    if (*out_len == 0) {
        free(*out);
        *out = NULL;
        return -1;
    }
    return 0;
}

/* The write hook: inside the stream's dictionary, after its keys (/Length …). */
static HPDF_STATUS write_filter(HPDF_Dict dict, HPDF_Stream stream)
{
    (void)dict;
    return HPDF_Stream_WriteStr(stream, "/Filter /FlateDecode\012");
}

int pf_deflate_into(pf_deflater *d, HPDF_Dict s, const void *data, size_t len)
{
    unsigned char *z;
    size_t zlen;
    if (pf_deflate(d, data, len, &z, &zlen))
        return -1;
    s->filter = HPDF_STREAM_FILTER_NONE;  /* libharu copies the bytes as they are */
    s->write_fn = write_filter;
    int rc = HPDF_Stream_Write(s->stream, z, (HPDF_UINT)zlen) == HPDF_OK ? 0 : -1;
    free(z);
    return rc;
}
