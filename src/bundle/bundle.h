/* bundle — reads a plan-bundle XML file into the plan model (model.h).
 *
 * Owns: safe parsing with libxml2 (no network, no external entities, no DTD loading, no
 * XInclude), validation against templates/plan.xsd, conversion to pf_bundle, and every error
 * about the input: file, line, the field in Japanese and English, and what is wrong. */
#ifndef PF_BUNDLE_H
#define PF_BUNDLE_H

#include "bundle/fields.h"  /* the field table; labels by element path (pf_field_ja) */
#include "bundle/model.h"
#include "util/util.h"

typedef struct pf_schema pf_schema;

/* Load and compile the XSD once (it is reused for every bundle). NULL + err (PF_EXIT_RESOURCE). */
pf_schema *pf_schema_load(const char *xsd_path, pf_error *err);
void pf_schema_free(pf_schema *schema);

/* How the reader treats input beyond the schema: the largest file it reads (default
 * PF_MAX_INPUT), and whether messages may quote the input's values (`verbose`; by default they
 * name only file, line and field: plans hold personal data, and messages end up in logs). */
#define PF_MAX_INPUT (16u * 1024 * 1024)
/* The most characters (code points, not bytes) one field may hold, element text or attribute:
 * a very long real field is 10,000–20,000; this one fills about 40 continuation sheets. Longer
 * is refused by the reader (PF_EXIT_INVALID, naming file, line and field) before any layout. */
#define PF_MAX_FIELD_CHARS 100000
typedef struct pf_read_options {
    size_t max_bytes;
    int verbose;
} pf_read_options;
void pf_schema_set_options(pf_schema *schema, const pf_read_options *o);

/* Parse and validate `len` bytes of XML named `name` (for messages). Returns the bundle, or
 * NULL with `err` filled (PF_EXIT_INVALID for bad input). */
pf_bundle *pf_bundle_read(pf_schema *schema, const char *name, const char *data, size_t len,
                          pf_error *err);

/* The error of input over `max` bytes (too-large), word for word as pf_bundle_read gives it: for
 * a caller that refuses the input before holding it whole (the service's 413). Returns
 * PF_EXIT_INVALID. */
int pf_error_too_large(pf_error *err, const char *name, size_t max);

/* A starting 個別支援計画 for `provider` from the plan (`plan_id`, or the first plan that
 * lists the provider): the bundle's XML (`xml`, as read into `b`) with the new plan appended,
 * in *out (malloc'd). */
int pf_draft_isp(const pf_bundle *b, const char *xml, size_t len, const char *provider,
                 const char *plan_id, char **out, size_t *out_len, pf_error *err);

#endif
