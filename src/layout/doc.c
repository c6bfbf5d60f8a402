/* layout/doc — building and freeing a laid-out document. See doc.h. */
#include "layout/doc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/util.h"

pf_page *pf_doc_add_page(pf_doc *d, double width, double height)
{
    pf_page *p = pf_xcalloc(1, sizeof *p);
    PF_GROW(d->pages, d->n_pages, d->cap_pages);
    d->pages[d->n_pages++] = p;
    p->width = width;
    p->height = height;
    return p;
}

void pf_page_rule(pf_page *p, double x1, double y1, double x2, double y2, double width)
{
    PF_GROW(p->shapes, p->n_shapes, p->cap_shapes);
    p->shapes[p->n_shapes++] = (pf_graphic){PF_GRAPHIC_RULE, x1, y1, x2, y2, width, 0};
}

void pf_page_fill(pf_page *p, double x, double y, double w, double h, double gray)
{
    PF_GROW(p->shapes, p->n_shapes, p->cap_shapes);
    p->shapes[p->n_shapes++] = (pf_graphic){PF_GRAPHIC_FILL, x, y, x + w, y + h, 0, gray};
}

void pf_page_ellipse(pf_page *p, double x, double y, double w, double h, double width)
{
    PF_GROW(p->shapes, p->n_shapes, p->cap_shapes);
    p->shapes[p->n_shapes++] = (pf_graphic){PF_GRAPHIC_ELLIPSE, x, y, x + w, y + h, width, 0};
}

void pf_page_signature(pf_page *p, const char *box, double x, double y, double w, double h)
{
    PF_GROW(p->signatures, p->n_signatures, p->cap_signatures);
    pf_signature_box *s = &p->signatures[p->n_signatures++];
    memset(s, 0, sizeof *s);
    snprintf(s->box, sizeof s->box, "%s", box);
    s->x = x, s->y = y, s->w = w, s->h = h;
}

void pf_page_add_run(pf_page *p, pf_run *run)
{
    PF_GROW(p->runs, p->n_runs, p->cap_runs);
    p->runs[p->n_runs++] = *run;
}

void pf_doc_free(pf_doc *d)
{
    for (size_t i = 0; i < d->n_pages; i++) {
        pf_page *p = d->pages[i];
        for (size_t k = 0; k < p->n_runs; k++) {
            free(p->runs[k].g);
            free(p->runs[k].text);
        }
        free(p->runs);
        free(p->shapes);
        free(p->signatures);
        free(p->bookmark);
        free(p);
    }
    free(d->pages);
    for (size_t i = 0; i < d->n_versions; i++) {
        free(d->versions[i].form);
        free(d->versions[i].item);
    }
    free(d->versions);
    free(d->title);
    free(d->subject);
    memset(d, 0, sizeof *d);
}
