/* util/json — the one JSON writer of planform (check --json, schedule --json, error lines of
 * --json, batch --report), and the error printer that chooses between text and JSON.
 *
 * Whatever a string holds, what is written is valid JSON and valid UTF-8: quotes, backslashes
 * and control characters are escaped; DEL, C1 controls and the characters that reorder or hide
 * text in a terminal (bidi overrides, zero-width, tags: pf_cp_hidden) are written as \uXXXX
 * escapes, so a parser gets them back exactly and a terminal showing the raw line is not fooled;
 * a byte that is not UTF-8 (only a file name can hold one) becomes U+FFFD. */
#ifndef PF_JSON_H
#define PF_JSON_H

#include <stdio.h>

#include "util/util.h"

/* Append `s` as a JSON string, quotes included; NULL appends null. */
void pf_json_string(pf_buf *b, const char *s);
/* Append `"key": ` (after ", " unless `first`). */
void pf_json_key(pf_buf *b, const char *key, int first);

/* Append the error as one JSON object (no newline), the README's "Diagnostic codes":
 * {"code", "severity", "status", "file", "line", "field", "field_ja", "message_ja",
 *  "message_en"}; a part the error does not have (file, line, field) is null. */
void pf_json_error(pf_buf *b, const pf_error *e);

/* Print an error to stderr: as two lines, Japanese then English (pf_error_print), or with
 * `json` as one JSON line (pf_json_error). */
void pf_error_report(const pf_error *e, int json);

#endif
