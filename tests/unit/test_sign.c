/* Unit tests of the provider signature (pdf/sign.h) on a PDF that already has a form: a
 * consent signature field in the catalog's /AcroForm (with its /DA) and on page 1's /Annots,
 * as the consent boxes' fields are. Signing keeps that field and adds its own; signing the
 * signed file again keeps both and names the new field apart; pdfsig finds every signature
 * valid, the last over the whole file. The key and certificate are made with openssl. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <qpdf/qpdf-c.h>

#include "pdf/sign.h"
#include "util/files.h"
#include "unit.h"

/* A one-page PDF with an empty signature field (classic xref, offsets computed). */
static char *form_pdf(size_t *len)
{
    static const char *const objs[] = {
        "<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [4 0 R] /DA (/Helv 0 Tf 0 g) >> >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 5 0 R /Resources << >>"
        " /Annots [4 0 R] >>",
        "<< /Type /Annot /Subtype /Widget /FT /Sig /T (consent-plan-1) /Rect [100 100 300 140]"
        " /F 4 /P 3 0 R >>",
        "<< /Length 0 >>\nstream\n\nendstream",
    };
    pf_buf b = {0};
    size_t off[5];
    pf_buf_adds(&b, "%PDF-1.4\n");
    for (int i = 0; i < 5; i++) {
        off[i] = b.len;
        pf_buf_printf(&b, "%d 0 obj\n%s\nendobj\n", i + 1, objs[i]);
    }
    size_t xref = b.len;
    pf_buf_adds(&b, "xref\n0 6\n0000000000 65535 f \n");
    for (int i = 0; i < 5; i++)
        pf_buf_printf(&b, "%010zu 00000 n \n", off[i]);
    pf_buf_printf(&b, "trailer\n<< /Size 6 /Root 1 0 R >>\nstartxref\n%zu\n%%%%EOF\n", xref);
    *len = b.len;
    return b.data;
}

/* The partial names of the catalog's /AcroForm /Fields, space-separated, and the number of
 * page 1's /Annots and whether /DA is still there, read with qpdf. */
static void read_form(const char *path, char *names, size_t size, int *annots, int *da)
{
    qpdf_data q = qpdf_init();
    qpdf_silence_errors(q);
    names[0] = 0;
    *annots = -1, *da = 0;
    if (qpdf_read(q, path, NULL) & QPDF_ERRORS) {
        qpdf_cleanup(&q);
        return;
    }
    qpdf_oh root = qpdf_get_root(q);
    qpdf_oh acro = qpdf_oh_get_key(q, root, "/AcroForm");
    qpdf_oh fields = qpdf_oh_get_key(q, acro, "/Fields");
    for (int i = 0; i < qpdf_oh_get_array_n_items(q, fields); i++) {
        qpdf_oh t = qpdf_oh_get_key(q, qpdf_oh_get_array_item(q, fields, i), "/T");
        snprintf(names + strlen(names), size - strlen(names), "%s%s", i ? " " : "",
                 qpdf_oh_get_utf8_value(q, t));
    }
    *da = qpdf_oh_has_key(q, acro, "/DA");
    qpdf_oh flags = qpdf_oh_get_key(q, acro, "/SigFlags");
    if (qpdf_oh_get_int_value_as_int(q, flags) != 3)
        *da = -1;
    *annots = qpdf_oh_get_array_n_items(q, qpdf_oh_get_key(q, qpdf_get_page_n(q, 0), "/Annots"));
    qpdf_cleanup(&q);
}

/* pdfsig's lines about validity and coverage, counted */
static void pdfsig_counts(const char *path, int *valid, int *total)
{
    char cmd[600], line[512];
    snprintf(cmd, sizeof cmd, "pdfsig '%s' 2>&1", path);
    *valid = *total = 0;
    FILE *p = popen(cmd, "r");
    while (p && fgets(line, sizeof line, p)) {
        *valid += strstr(line, "Signature Validation: Signature is Valid.") != NULL;
        *total += strstr(line, "Total document signed") != NULL;
    }
    if (p)
        pclose(p);
}

void run_tests(void)
{
    char dir[] = "/tmp/pf-test-sign-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char cmd[1024];
    snprintf(cmd, sizeof cmd,
             "openssl req -x509 -nodes -days 2 -newkey ec -pkeyopt ec_paramgen_curve:P-256 "
             "-subj /CN=unit -keyout %s/k.pem -out %s/c.pem 2>/dev/null && chmod 600 %s/k.pem",
             dir, dir, dir);
    CHECK(system(cmd) == 0);
    char key[256], cert[256], one[256], two[256];
    snprintf(key, sizeof key, "%s/k.pem", dir);
    snprintf(cert, sizeof cert, "%s/c.pem", dir);
    snprintf(one, sizeof one, "%s/one.pdf", dir);
    snprintf(two, sizeof two, "%s/two.pdf", dir);

    pf_signer *s = NULL;
    pf_error err = {0};
    CHECK(pf_signer_load(key, cert, NULL, &s, &err) == 0);
    if (!s) {
        fprintf(stderr, "  %s\n", err.msg_en);
        return;
    }
    size_t len, len1, len2;
    char *pdf = form_pdf(&len);
    unsigned char *signed1 = NULL, *signed2 = NULL;
    CHECK(pf_pdf_sign(s, (unsigned char *)pdf, len, "form", &signed1, &len1, &err) == 0);
    CHECK(signed1 && len1 > len && memcmp(signed1, pdf, len) == 0);  /* appended only */
    CHECK(signed1 && pf_write_file_atomic(one, signed1, len1, 0600, &err) == 0);
    char names[256];
    int annots, da, valid, total;
    read_form(one, names, sizeof names, &annots, &da);
    CHECK_STR(names, "consent-plan-1 planform-signature");
    CHECK(annots == 2);
    CHECK(da == 1);  /* the form's own entries kept; /SigFlags 3 */
    pdfsig_counts(one, &valid, &total);
    CHECK(valid == 1 && total == 1);  /* the empty consent field is no signature */

    /* signed again: the first signature stays valid over what it signed */
    CHECK(signed1 && pf_pdf_sign(s, signed1, len1, "one", &signed2, &len2, &err) == 0);
    CHECK(signed2 && pf_write_file_atomic(two, signed2, len2, 0600, &err) == 0);
    read_form(two, names, sizeof names, &annots, &da);
    CHECK_STR(names, "consent-plan-1 planform-signature planform-signature-2");
    CHECK(annots == 3);
    pdfsig_counts(two, &valid, &total);
    CHECK(valid == 2 && total == 1);

    /* not a PDF: an error with its code, nothing made */
    unsigned char *none = NULL;
    size_t none_len = 0;
    pf_error bad = {0};
    CHECK(pf_pdf_sign(s, (const unsigned char *)"hello", 5, "x", &none, &none_len, &bad) ==
          PF_EXIT_IO);
    CHECK_STR(bad.code, "sign-failed");
    CHECK(none == NULL);

    free(pdf);
    free(signed1);
    free(signed2);
    pf_signer_free(s);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    CHECK(system(cmd) == 0);
}
