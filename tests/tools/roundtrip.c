/* roundtrip — does every text of a plan bundle come back out of its PDF?
 *
 *   roundtrip BUNDLE.xml PDFTEXT.txt MARK
 *
 * Reads every text value of the bundle (element content, except the ISO dates and numbers,
 * which the forms print as era dates and yen) and the output of `pdftotext -raw` for the PDF.
 * Line breaks are the layout's, not the user's, so newlines are removed from both sides. A value
 * is found when it stands whole in the PDF text, or when it was split by the continuation mark
 * MARK (（別紙に続く）): its beginning ends in MARK and the rest stands on the continuation
 * sheet, where it may run over several pages: the rest is looked for in the text without the
 * page furniture that a page break puts between its pieces (page numbers "2/21", the form's
 * fingerprint "版 3816-2279", the 別紙's header "別紙（…） 利用者氏名 …" and a heading "…（続き）").
 * Spaces are compared away too: pdftotext drops the one a line happens to end with.
 * Prints each value not found; exits 1 if any.
 *
 * Linear in the text for each value (a 50,000-character field once took minutes: every cut of
 * the value was tried with a strstr over the whole text): where MARK stands, the cuts whose
 * beginning ends there are the borders of the KMP automaton's state at that point. */
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

/* Is this line page furniture (see the header comment)? */
static int furniture(const char *l, size_t n)
{
    while (n && (*l == '\f' || *l == ' ')) {
        l++;
        n--;
    }
    while (n && (l[n - 1] == ' ' || l[n - 1] == '\r'))
        n--;
    size_t i = 0, d1 = 0, d2 = 0;
    while (i < n && l[i] >= '0' && l[i] <= '9')
        i++, d1++;
    if (d1 && i < n && l[i] == '/') {
        i++;
        while (i < n && l[i] >= '0' && l[i] <= '9')
            i++, d2++;
        if (d2 && i == n)
            return 1;  /* 2/21 */
    }
    static const char ban[] = "版 ", bessi[] = "別紙（", cont[] = "（続き）";
    if (n == strlen(ban) + 9 && memcmp(l, ban, strlen(ban)) == 0 && l[strlen(ban) + 4] == '-')
        return 1;
    if (n > strlen(bessi) && memcmp(l, bessi, strlen(bessi)) == 0 && strstr(l, "利用") &&
        (size_t)(strstr(l, "利用") - l) < n)
        return 1;  /* 別紙（サービス等利用計画） 利用者氏名 … */
    if (n >= strlen(cont) && memcmp(l + n - strlen(cont), cont, strlen(cont)) == 0)
        return 1;
    return 0;
}

/* The text without its page furniture (lines kept otherwise as they are). */
static char *unfurnished(const char *s)
{
    char *o = malloc(strlen(s) + 1);
    if (!o)
        exit(2);
    size_t n = 0;
    while (*s) {
        const char *e = strchr(s, '\n');
        size_t len = e ? (size_t)(e - s) : strlen(s);
        if (!furniture(s, len)) {
            memcpy(o + n, s, len);
            n += len;
            o[n++] = '\n';
        }
        s += len + (e != NULL);
    }
    o[n] = 0;
    return o;
}

typedef struct {
    const char *pdf;   /* the squeezed text */
    const char *rest;  /* the squeezed text without page furniture */
    const char *mark;
} text;

static int found_in(const text *t, const char *v, int depth);

/* v split by the mark: some beginning of v, then MARK, in the text; the rest found too. */
static int found_split(const text *t, const char *v, int depth)
{
    size_t len = strlen(v), ml = strlen(t->mark);
    if (len < 2 || depth > 64)
        return 0;
    size_t *pi = malloc(len * sizeof *pi);  /* KMP: longest proper border of v[0..i] */
    if (!pi)
        exit(2);
    pi[0] = 0;
    for (size_t i = 1, k = 0; i < len; i++) {
        while (k && v[i] != v[k])
            k = pi[k - 1];
        if (v[i] == v[k])
            k++;
        pi[i] = k;
    }
    int ok = 0;
    for (const char *m = strstr(t->pdf, t->mark); m && !ok; m = strstr(m + ml, t->mark)) {
        size_t p = (size_t)(m - t->pdf), k = 0;
        /* the longest beginning of v that ends at p (shorter than v: v whole was not found) */
        for (size_t i = p > len ? p - len : 0; i < p; i++) {
            while (k && (k == len || t->pdf[i] != v[k]))
                k = pi[k - 1];
            if (t->pdf[i] == v[k])
                k++;
        }
        for (size_t cut = k; cut > 0 && !ok; cut = pi[cut - 1])
            if (cut < len && (v[cut] & 0xC0) != 0x80)  /* a character boundary */
                ok = found_in(t, v + cut, depth + 1);
    }
    free(pi);
    return ok;
}

static int found_in(const text *t, const char *v, int depth)
{
    if (strstr(t->pdf, v) || (depth > 0 && strstr(t->rest, v)))
        return 1;
    return found_split(t, v, depth);
}

static int walk(xmlNode *n, const text *t)
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
            xmlChar *content = xmlNodeGetContent(n);
            char *v = squeeze((const char *)content);
            if (*v && !found_in(t, v, 0)) {
                printf("missing (line %ld, <%s>): %s\n", xmlGetLineNo(n), n->name, v);
                missing++;
            }
            free(v);
            xmlFree(content);
        }
        missing += walk(n->children, t);
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
    char *plain = unfurnished(buf);
    text t = {squeeze(buf), squeeze(plain), argv[3]};
    free(plain);
    int missing = walk(xmlDocGetRootElement(doc), &t);
    free((char *)t.pdf);
    free((char *)t.rest);
    free(buf);
    xmlFreeDoc(doc);
    return missing ? 1 : 0;
}
