/* pdf/sign — the provider's signature on a finished PDF (PAdES baseline B-B), so that anyone
 * can check that a plan is the one the office issued, byte for byte.
 *
 * The signature is an incremental update appended to the finished PDF: the original bytes are
 * kept as they are (what was rendered is what is signed), and after them come a signature
 * dictionary (/SubFilter /ETSI.CAdES.detached, /M the signing time, /Contents a CMS
 * SignedData of fixed reserved length), an invisible signature field and widget
 * (/Rect [0 0 0 0]) on page 1, page 1 again with the widget in its /Annots, the catalog again
 * with an /AcroForm (/SigFlags 3) whose /Fields are the fields the PDF already had plus the
 * new one, and a cross-reference section with /Prev. /ByteRange covers the whole file but the
 * /Contents hex string.
 *
 * The PDF is read with qpdf (objects, page 1, the catalog's /AcroForm); the update is written
 * here, because qpdf rewrites a whole file and a signature must leave the signed bytes alone.
 * The CMS and the key are pdf/signer's.
 * An encrypted PDF is not signed (the update's strings would have to be encrypted too): the
 * command line refuses --sign-key with --password-file. */
#ifndef PF_SIGN_H
#define PF_SIGN_H

#include <stddef.h>

#include "pdf/signer.h"
#include "util/util.h"

/* Sign `len` bytes of an unencrypted PDF: *out (malloc'd) is the PDF with the signature
 * appended. `name` is for messages. Returns 0, or PF_EXIT_IO (code sign-failed) with `err`
 * filled. */
int pf_pdf_sign(const pf_signer *s, const unsigned char *pdf, size_t len, const char *name,
                unsigned char **out, size_t *out_len, pf_error *err);

#endif
