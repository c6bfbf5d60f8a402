/* pdf/sigfield — empty signature fields over consent boxes. See sigfield.h. */
#include "pdf/sigfield.h"

#include <hpdf_doc.h>
#include <hpdf_objects.h>
#include <stdio.h>
#include <string.h>

#include "util/util.h"

static HPDF_Dict new_indirect_dict(HPDF_Doc pdf)
{
    HPDF_Dict d = HPDF_Dict_New(pdf->mmgr);
    if (d && HPDF_Xref_Add(pdf->xref, d) != HPDF_OK)
        return NULL;  /* the xref frees it */
    return d;
}

static int add_string(HPDF_Doc pdf, HPDF_Dict d, const char *key, const char *value)
{
    HPDF_String s = HPDF_String_New(pdf->mmgr, value, NULL);
    return s && HPDF_Dict_Add(d, key, s) == HPDF_OK ? 0 : -1;
}

/* The catalog's /AcroForm /Fields, made on first use. */
static HPDF_Array fields(pf_sigfields *sf, HPDF_Doc pdf)
{
    if (sf->fields)
        return sf->fields;
    HPDF_Dict acro = HPDF_Dict_New(pdf->mmgr);
    HPDF_Array a = acro ? HPDF_Array_New(pdf->mmgr) : NULL;
    if (!a || HPDF_Dict_Add(acro, "Fields", a) != HPDF_OK ||
        HPDF_Dict_Add(pdf->catalog, "AcroForm", acro) != HPDF_OK)
        return NULL;
    return sf->fields = a;
}

/* Form `name`'s field (its index in sf->forms), made and listed in /Fields on first use; -1
 * when libharu failed. */
static long form_field(pf_sigfields *sf, HPDF_Doc pdf, const char *name)
{
    for (size_t i = 0; i < sf->n_forms; i++)
        if (strcmp(sf->forms[i].name, name) == 0)
            return (long)i;
    HPDF_Array top = fields(sf, pdf);
    HPDF_Dict f = top ? new_indirect_dict(pdf) : NULL;
    HPDF_Array kids = f ? HPDF_Array_New(pdf->mmgr) : NULL;
    if (!kids || add_string(pdf, f, "T", name) || HPDF_Dict_Add(f, "Kids", kids) != HPDF_OK ||
        HPDF_Array_Add(top, f) != HPDF_OK)
        return -1;
    PF_GROW(sf->forms, sf->n_forms, sf->cap_forms);
    struct pf_sigform *form = &sf->forms[sf->n_forms];
    snprintf(form->name, sizeof form->name, "%s", name);
    form->field = f;
    form->kids = kids;
    return (long)sf->n_forms++;
}

/* An empty appearance the size of the box: the widget draws nothing over the printed page. */
static HPDF_Dict empty_appearance(HPDF_Doc pdf, double w, double h)
{
    HPDF_Dict ap = HPDF_Dict_New(pdf->mmgr);
    HPDF_Dict n = ap ? HPDF_DictStream_New(pdf->mmgr, pdf->xref) : NULL;
    HPDF_Array bbox = n ? HPDF_Array_New(pdf->mmgr) : NULL;
    if (!bbox || HPDF_Dict_Add(ap, "N", n) != HPDF_OK ||
        HPDF_Dict_AddName(n, "Type", "XObject") != HPDF_OK ||
        HPDF_Dict_AddName(n, "Subtype", "Form") != HPDF_OK ||
        HPDF_Dict_Add(n, "BBox", bbox) != HPDF_OK || HPDF_Array_AddReal(bbox, 0) != HPDF_OK ||
        HPDF_Array_AddReal(bbox, 0) != HPDF_OK || HPDF_Array_AddReal(bbox, (HPDF_REAL)w) != HPDF_OK ||
        HPDF_Array_AddReal(bbox, (HPDF_REAL)h) != HPDF_OK)
        return NULL;
    return ap;
}

static int one_field(pf_sigfields *sf, HPDF_Doc pdf, HPDF_Page page, double page_h,
                     const pf_signature_box *s)
{
    long k = form_field(sf, pdf, s->form);
    if (k < 0)
        return -1;
    HPDF_Dict pf = sf->forms[k].field;
    HPDF_Array kids = sf->forms[k].kids;
    HPDF_Dict w = pf ? new_indirect_dict(pdf) : NULL;
    HPDF_Array rect = w ? HPDF_Array_New(pdf->mmgr) : NULL;
    HPDF_Dict ap = rect ? empty_appearance(pdf, s->w, s->h) : NULL;
    HPDF_Array annots = ap ? HPDF_Dict_GetItem(page, "Annots", HPDF_OCLASS_ARRAY) : NULL;
    if (ap && !annots) {
        annots = HPDF_Array_New(pdf->mmgr);
        if (annots && HPDF_Dict_Add(page, "Annots", annots) != HPDF_OK)
            annots = NULL;
    }
    /* PDF user space: y upwards from the bottom of the page */
    double r[4] = {s->x, page_h - (s->y + s->h), s->x + s->w, page_h - s->y};
    if (!annots || HPDF_Dict_AddName(w, "Type", "Annot") != HPDF_OK ||
        HPDF_Dict_AddName(w, "Subtype", "Widget") != HPDF_OK ||
        HPDF_Dict_AddName(w, "FT", "Sig") != HPDF_OK || add_string(pdf, w, "T", s->box) ||
        HPDF_Dict_Add(w, "Parent", pf) != HPDF_OK || HPDF_Dict_Add(w, "Rect", rect) != HPDF_OK ||
        HPDF_Dict_AddNumber(w, "F", 4) != HPDF_OK || HPDF_Dict_Add(w, "P", page) != HPDF_OK ||
        HPDF_Dict_Add(w, "AP", ap) != HPDF_OK || HPDF_Array_Add(kids, w) != HPDF_OK ||
        HPDF_Array_Add(annots, w) != HPDF_OK)
        return -1;
    for (int i = 0; i < 4; i++)
        if (HPDF_Array_AddReal(rect, (HPDF_REAL)r[i]) != HPDF_OK)
            return -1;
    return 0;
}

int pf_sigfields_page(pf_sigfields *sf, HPDF_Doc pdf, HPDF_Page page, const pf_page *p)
{
    for (size_t i = 0; i < p->n_signatures; i++)
        if (p->signatures[i].form[0] && one_field(sf, pdf, page, p->height, &p->signatures[i]))
            return -1;
    return 0;
}

void pf_sigfields_free(pf_sigfields *sf)
{
    free(sf->forms);
    memset(sf, 0, sizeof *sf);
}
