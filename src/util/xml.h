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

/* Route libxml2's allocations through pf_xmalloc & co. Called before planform's first libxml2
 * call (pf_schema_load, pf_template_load, pf_bundle_read call it); any later call does nothing. */
void pf_xml_setup(void);

/* The errno value a libxml2 error stands for when the system, not the document, failed (memory,
 * descriptors: ENOMEM, EMFILE, ENFILE), else 0. NULL gives 0. */
int pf_xml_errno(const xmlError *e);

#endif
