/* pdf/encrypt — password protection of a finished PDF: AES-256 (PDF 2.0 security handler,
 * revision 6) through qpdf's C API, for offices that must send plans by e-mail.
 *
 * The reader needs the password to open the file; with it, printing and copying text are
 * allowed, editing, annotating and rearranging pages are not. The owner password (which would
 * lift those limits) is random and thrown away: nobody, planform included, can lift them.
 * libharu 2.3 offers only RC4, which PDF 2.0 deprecates, so it is not used for this.
 *
 * What the encryption leaves in the clear is not computed from the person's data, but for the
 * objects' lengths: the trailer /ID is random (not qpdf's MD5 of the time and the Info strings),
 * the fonts' subset tags are random (not a hash of the glyphs used), and every dictionary is
 * inside an encrypted object stream. The Info dictionary (/Subject: the person's name) is kept,
 * encrypted, with nothing derived from it. Encrypted output therefore differs from run to run;
 * unencrypted output is not touched here. */
#ifndef PF_ENCRYPT_H
#define PF_ENCRYPT_H

#include <stddef.h>

#include "util/util.h"

/* The longest password, in bytes of UTF-8, that the revision 6 handler uses. */
#define PF_PASSWORD_MAX 127

/* Whether libqpdf is there to encrypt with: it is loaded (once, with dlopen) when a password is
 * first asked for, so that a process without one never loads it. 0, or PF_EXIT_RESOURCE with
 * code library-missing and dlopen's reason in `err`. The encrypting functions below call it
 * themselves; a command calls it as soon as it has a password, before any work. */
int pf_encrypt_available(pf_error *err);

/* Read the password from the first line of `path` (a UTF-8 byte order mark before it and a
 * trailing CR LF or LF are not part of it).
 * A password is never taken on the command line, where the process list shows it. Returns 0,
 * with *password malloc'd; or PF_EXIT_USAGE / PF_EXIT_IO with `err` filled. */
int pf_password_read(const char *path, char **password, pf_error *err);

/* Encrypt `len` bytes of PDF in memory into *out (malloc'd). */
int pf_pdf_encrypt(const unsigned char *pdf, size_t len, const char *password,
                   unsigned char **out, size_t *out_len, pf_error *err);

/* Encrypt the PDF file `in` into `path` with permission bits `mode`, file to file (a print file
 * too large to hold in memory): through a temporary file beside `path`, renamed at the end, so
 * that `path` is never half written. */
int pf_pdf_encrypt_file(const char *in, const char *path, unsigned mode, const char *password,
                        pf_error *err);
/* Encrypt the PDF file `in` into the file `out` as it is (no temporary file: for a target the
 * caller has made safe, such as an anonymous temporary file named through /proc/self/fd). */
int pf_pdf_encrypt_file_to(const char *in, const char *out, const char *password, pf_error *err);

#endif
