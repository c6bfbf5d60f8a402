/* template/fingerprint — the version fingerprint of one form: a SHA-256 (OpenSSL libcrypto)
 * over what the form prints of the data, so that a printed page, its signature and the data
 * behind it can be tied together (issue 15): 「版 3F7A-19C2」 in the footer is the digest's
 * first 8 hex digits, the full digest goes to the PDF's metadata.
 *
 * What is hashed: the values the template binds, exactly the strings the binder made for
 * printing (never normalized), and nothing else. So the input's layout (indentation, attribute
 * order, comments) and other forms' data cannot change a form's fingerprint, and one changed
 * character of a printed value always does. The serialization, version 1, is a sequence of
 * items, each a 4-byte big-endian length and that many bytes:
 *   "planform-fingerprint/1", the form's template id, the binder's flags ("adult final"),
 *   then for each key the template names outside its table, in byte order of the keys (each
 *   once): key, value;
 *   then for each row of the table, in order: "row", and for each key of the table's columns
 *   in byte order: key, value (a linkage sheet's provider headings are items "column", text);
 *   then, when the template draws a weekly grid, each span: "span", days (decimal bit set),
 *   start, end (minutes, decimal), label; and each activity: "activity", start, end, label.
 * Keys under a `when` that does not hold for the flags are not printed and not hashed.
 *
 * Owns nothing: pure functions of a template and bound values. */
#ifndef PF_FINGERPRINT_H
#define PF_FINGERPRINT_H

#include "template/bind.h"
#include "template/template.h"

#define PF_FINGERPRINT_LEN 32   /* SHA-256 */

/* The digest of what `t` prints of `bd`. 0, or -1 when libcrypto fails (out of memory). */
int pf_fingerprint(const pf_template *t, const pf_bound *bd,
                   unsigned char digest[PF_FINGERPRINT_LEN]);

/* The full digest as 64 upper-case hex digits (hex: 65 bytes). */
void pf_fingerprint_hex(const unsigned char digest[PF_FINGERPRINT_LEN], char hex[65]);

/* What the footer prints: the first 8 hex digits as "3F7A-19C2" (out: 10 bytes). */
void pf_fingerprint_short(const unsigned char digest[PF_FINGERPRINT_LEN], char out[10]);

#endif
