/* roundtrip — does every text of a plan bundle come back out of its PDF?
 *
 *   roundtrip BUNDLE.xml PDFTEXT.txt MARK
 *
 * Reads every text value of the bundle (element content, except the ISO dates and numbers,
 * which the forms print as era dates and yen) and the output of `pdftotext -raw` for the PDF.
 * Line breaks are the layout's, not the user's, so newlines are removed from both sides. A value
 * is found when it stands whole in the PDF text, or when it was split by the continuation mark
 * MARK (（別紙に続く）): its beginning ends in MARK and the rest stands on the continuation
 * sheet. Spaces are compared away too: pdftotext drops the one a line happens to end with.
 * Prints each value not found; exits 1 if any. */
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const printed_otherwise[] = {"created", "target", "evaluation", "start",
                                                "copay-limit", "date", "next-date", NULL};

static char *squeeze(const char *s)
{
    char *o = malloc(strlen(s) + 1);
    if (!o)
        exit(2);
    size_t n = 0;
    for (; *s; s++)
        if (*s != '\n' && *s != '\r' && *s != '\f' && *s != ' ')
            o[n++] = *s;
    o[n] = 0;
    return o;
}

static int found(const char *pdf, const char *v, const char *mark)
{
    if (strstr(pdf, v))
        return 1;
    size_t len = strlen(v), ml = strlen(mark);
    char *probe = malloc(len + ml + 1);
    if (!probe)
        exit(2);
    int ok = 0;
    for (size_t cut = len; cut > 0 && !ok; cut--) {
        if ((v[cut] & 0xC0) == 0x80)
            continue;  /* not a character boundary */
        memcpy(probe, v, cut);
        memcpy(probe + cut, mark, ml + 1);
        if (strstr(pdf, probe))
            ok = found(pdf, v + cut, mark);
    }
    free(probe);
    return ok;
}

static int walk(xmlNode *n, const char *pdf, const char *mark)
{
    int missing = 0;
    for (; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        int skip = 0;
        for (int i = 0; printed_otherwise[i]; i++)
            skip |= strcmp((const char *)n->name, printed_otherwise[i]) == 0;
        int leaf = 1;
        for (xmlNode *c = n->children; c; c = c->next)
            leaf &= c->type != XML_ELEMENT_NODE;
        if (leaf && !skip) {
            xmlChar *t = xmlNodeGetContent(n);
            char *v = squeeze((const char *)t);
            if (*v && !found(pdf, v, mark)) {
                printf("missing (line %ld, <%s>): %s\n", xmlGetLineNo(n), n->name, v);
                missing++;
            }
            free(v);
            xmlFree(t);
        }
        missing += walk(n->children, pdf, mark);
    }
    return missing;
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: roundtrip BUNDLE.xml PDFTEXT.txt MARK\n");
        return 2;
    }
    xmlDoc *doc = xmlReadFile(argv[1], NULL, XML_PARSE_NONET);
    FILE *f = fopen(argv[2], "rb");
    if (!doc || !f)
        return 2;
    size_t cap = 1 << 20, n = 0, got;
    char *buf = malloc(cap);
    while (buf && (got = fread(buf + n, 1, cap - n - 1, f)) > 0)
        if ((n += got) + 1 >= cap && !(buf = realloc(buf, cap *= 2)))
            return 2;
    fclose(f);
    if (!buf)
        return 2;
    buf[n] = 0;
    char *pdf = squeeze(buf);
    int missing = walk(xmlDocGetRootElement(doc), pdf, argv[3]);
    free(pdf);
    free(buf);
    xmlFreeDoc(doc);
    return missing ? 1 : 0;
}
