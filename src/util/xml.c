/* util/xml — libxml2's allocator and system errors. See xml.h. */
#include "util/xml.h"

#include <errno.h>
#include <libxml/parser.h>
#include <libxml/xmlmemory.h>
#include <libxml/xmlschemas.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

void pf_xml_collect(void *user, xmlErrorPtr e)
{
    pf_xml_first *c = user;
    if (!c->sys)
        c->sys = pf_xml_errno(e);
    if (c->set || !e || e->level < XML_ERR_ERROR)
        return;
    c->set = 1;
    c->line = e->line;
    if (e->node && ((xmlNodePtr)e->node)->type == XML_ELEMENT_NODE) {
        xmlNodePtr n = e->node;
        snprintf(c->node, sizeof c->node, "%s", (const char *)n->name);
        if (!c->line)
            c->line = (int)xmlGetLineNo(n);
    }
    snprintf(c->msg, sizeof c->msg, "%s", e->message ? e->message : "error");
    size_t n = strlen(c->msg);
    while (n && (c->msg[n - 1] == '\n' || c->msg[n - 1] == ' '))
        c->msg[--n] = 0;
}

xmlSchemaPtr pf_xml_schema_load(const char *path, int status, pf_code code, const char *what_ja,
                                const char *what_en, pf_error *err)
{
    pf_xml_first c = {0};
    xmlSchemaPtr schema = NULL;
    pf_xml_setup();
    xmlResetLastError();
    errno = 0;
    /* Parsed here rather than by the schema parser, which would print a broken file's XML
     * errors to stderr instead of reporting the first with its line. */
    xmlParserCtxtPtr xc = xmlNewParserCtxt();
    xmlDocPtr doc = xc ? xmlCtxtReadFile(xc, path, NULL,
                                         XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING)
                       : NULL;
    int e_read = errno;
    if (!doc && xc) {
        xmlErrorPtr e = xmlCtxtGetLastError(xc);
        if (e)
            pf_xml_collect(&c, e);
        if (!c.sys)  /* an I/O error is raised outside the context */
            c.sys = pf_xml_errno(xmlGetLastError());
    }
    if (xc)
        xmlFreeParserCtxt(xc);
    xmlSchemaParserCtxtPtr pc = doc ? xmlSchemaNewDocParserCtxt(doc) : NULL;
    if (pc) {
        xmlSchemaSetParserStructuredErrors(pc, pf_xml_collect, &c);
        schema = xmlSchemaParse(pc);
        xmlSchemaFreeParserCtxt(pc);
    }
    if (doc)
        xmlFreeDoc(doc);
    if (schema)
        return schema;
    /* Missing or out of descriptors or memory, the file is not to blame for the last two:
     * exit 4 naming the cause. Only a schema that opens and still fails is broken. */
    int cause = !xc ? ENOMEM : c.sys ? c.sys : doc ? 0 : pf_load_cause(path, e_read);
    char *ja = pf_xasprintf("%sを読めません", what_ja), *en = pf_xasprintf("cannot load %s", what_en);
    if (cause) {
        pf_error_errno(err, status, code, path, 0, cause, ja, en);
    } else {
        char *why = pf_xasprintf("%s: %s", en, c.set ? c.msg : "not a schema");
        pf_error_set(err, status, code, path, c.line, "スキーマ", "schema", ja, why);
        free(why);
    }
    free(ja);
    free(en);
    return NULL;
}
