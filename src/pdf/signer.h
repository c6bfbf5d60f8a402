/* pdf/signer — the provider's signing key and certificates, loaded and checked once, and the
 * CMS signatures made with them (OpenSSL's libcrypto): detached SignedData, SHA-256, RSA or
 * ECDSA, with the ESS signing-certificate-v2 attribute of CAdES and without the signing-time
 * attribute (PAdES puts the time in the signature dictionary's /M). pdf/sign puts them in PDFs.
 *
 * A pf_signer is only read once loaded, so batch workers share one. */
#ifndef PF_SIGNER_H
#define PF_SIGNER_H

#include <stddef.h>

#include "util/util.h"

typedef struct pf_signer pf_signer;

/* Load the private key (PEM; refused when the file's mode lets group or others at it, as ssh
 * refuses one), the signer's certificate (PEM; more certificates after it join the chain) and
 * optionally more certificates for the chain (PEM, one or more; NULL: none). Refused: a key
 * that is not a PEM private key (or is encrypted: no passphrase is ever asked for) or not RSA
 * or ECDSA, a certificate file without a certificate, a certificate that has expired or is not
 * yet valid, a key that is not the certificate's. Returns 0 with *out set, or the exit status
 * (PF_EXIT_USAGE for the files' content and mode, PF_EXIT_IO when one cannot be read) with
 * `err` filled. */
int pf_signer_load(const char *key_path, const char *cert_path, const char *chain_path,
                   pf_signer **out, pf_error *err);
void pf_signer_free(pf_signer *s);

/* The most bytes of DER a signature by `s` takes (measured with a trial signature when it was
 * loaded, with room to spare): what a PDF reserves for it. */
size_t pf_signer_reserve(const pf_signer *s);

/* A detached CMS SignedData over `len` bytes at `data`, DER in *der (malloc'd). Returns 0, or
 * -1 when OpenSSL fails. */
int pf_signer_cms(const pf_signer *s, const unsigned char *data, size_t len, unsigned char **der,
                  size_t *der_len);

#endif
