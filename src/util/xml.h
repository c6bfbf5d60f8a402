/* util/xml — libxml2 under planform's allocation rule, and its errors that are the system's.
 *
 * libxml2 reports an allocation that failed by returning NULL from calls whose NULL also means
 * "absent" (xmlGetProp, xmlNodeGetContent): under memory pressure an attribute or a field's
 * text would quietly vanish from the PDF, or a template would look broken. So libxml2
 * allocates through pf_xmalloc & co, which end the run with "out of memory" (exit 4), like
 * every other allocation in planform. */
#ifndef PF_UTIL_XML_H
#define PF_UTIL_XML_H

#include <libxml/xmlerror.h>

#include "util/util.h"

/* Route libxml2's allocations through pf_xmalloc & co. Called before planform's first libxml2
 * call (pf_schema_load, pf_template_load, pf_bundle_read call it); any later call does nothing. */
void pf_xml_setup(void);

/* The errno value a libxml2 error stands for when the system, not the document, failed (memory,
 * descriptors: ENOMEM, EMFILE, ENFILE), else 0. NULL gives 0. */
int pf_xml_errno(const xmlError *e);

/* The first error libxml2 reports through a structured-error callback: pass pf_xml_collect
 * with a zeroed pf_xml_first as its user data. */
typedef struct pf_xml_first {
    int set;
    int line;
    char msg[1024];   /* trailing newlines and spaces taken off */
    char node[128];   /* element name of the error, when known */
    int sys;          /* errno of the first error that was the system's (pf_xml_errno), or 0 */
} pf_xml_first;
void pf_xml_collect(void *user, xmlErrorPtr e);

/* Load an XML Schema from a file of the installation (plan.xsd, template.xsd). NULL with `err`
 * filled: a file that is missing, or that opens and is no schema, is `status` and `code` (the
 * caller's: PF_EXIT_RESOURCE, PF_CODE_TEMPLATE_BROKEN), naming it with "<what>" ("入力形式のスキーマ" / "the input schema"); out of
 * memory or descriptors is PF_EXIT_IO naming the cause. Free with xmlSchemaFree. */
struct _xmlSchema;
struct _xmlSchema *pf_xml_schema_load(const char *path, int status, pf_code code,
                                      const char *what_ja, const char *what_en, pf_error *err);

#endif
