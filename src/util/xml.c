/* util/xml — libxml2's allocator and system errors. See xml.h. */
#include "util/xml.h"

#include <errno.h>
#include <libxml/xmlmemory.h>
#include <pthread.h>
#include <stdlib.h>

#include "util/util.h"

static void *xml_malloc(size_t n) { return pf_xmalloc(n); }
static void *xml_realloc(void *p, size_t n) { return pf_xrealloc(p, n); }
static char *xml_strdup(const char *s) { return pf_xstrdup(s); }
static void xml_free(void *p) { free(p); }

static void set_allocator(void)
{
    xmlMemSetup(xml_free, xml_malloc, xml_realloc, xml_strdup);
}

void pf_xml_setup(void)
{
    /* xmlMemSetup must come before libxml2 allocates anything, and only once: the batch's
     * workers read bundles at the same time. */
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, set_allocator);
}

int pf_xml_errno(const xmlError *e)
{
    if (!e)
        return 0;
    switch (e->code) {
    case XML_ERR_NO_MEMORY:
    case XML_IO_ENOMEM:
        return ENOMEM;
    case XML_IO_EMFILE:
        return EMFILE;
    case XML_IO_ENFILE:
        return ENFILE;
    default:
        return 0;
    }
}
