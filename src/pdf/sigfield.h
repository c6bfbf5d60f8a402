/* pdf/sigfield — empty signature fields over a page's consent boxes (layout/doc.h's
 * pf_signature_box), for any PDF application or tablet to sign in.
 *
 * libharu has no signature fields, so the objects are made here through its object layer
 * (hpdf_objects.h), as cidfont.c makes the fonts: they are written with the rest of the
 * document, in its one xref table, so that the print file's merge (pdf/merge) and encryption
 * (pdf/encrypt) read them like any other object. For each form named in the boxes a field
 * without a type (/T the form: "plan", "isp-2") whose kids are its boxes, each a terminal
 * /FT /Sig field merged with its widget annotation: /T the box ("consent"), so the fully
 * qualified name is "plan.consent"; /Rect exactly the box; /F 4 (print); /P its page; an empty
 * appearance, so the printed page is unchanged. The catalog's /AcroForm /Fields lists the
 * forms' fields; no /SigFlags, since nothing is signed yet. */
#ifndef PF_SIGFIELD_H
#define PF_SIGFIELD_H

#include <hpdf.h>
#include <stddef.h>

#include "layout/doc.h"

typedef struct pf_sigfields {
    HPDF_Array fields;              /* the catalog's /AcroForm /Fields, made on first use */
    struct pf_sigform {
        char name[PF_SIGNATURE_NAME_MAX];
        HPDF_Dict field;            /* both owned by the document, like every libharu object */
        HPDF_Array kids;
    } *forms;
    size_t n_forms, cap_forms;
} pf_sigfields;

/* Add the signature fields of `p`'s boxes (those with a form name) on `page`. -1 when libharu
 * failed (its error is recorded in the document). */
int pf_sigfields_page(pf_sigfields *sf, HPDF_Doc pdf, HPDF_Page page, const pf_page *p);

/* Frees the bookkeeping (the objects belong to the document). */
void pf_sigfields_free(pf_sigfields *sf);

#endif
