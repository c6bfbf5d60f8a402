/* template/fingerprint — the digest of what a form prints. See fingerprint.h. */
#include "template/fingerprint.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A set of keys: collected from the template, then sorted and made unique. */
typedef struct keys {
    const char **k;
    size_t n, cap;
} keys;

static void keys_add(keys *ks, const char *key)
{
    if (!key)
        return;
    PF_GROW(ks->k, ks->n, ks->cap);
    ks->k[ks->n++] = key;
}

static int by_bytes(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void keys_sort(keys *ks)
{
    if (!ks->n)
        return;
    qsort(ks->k, ks->n, sizeof *ks->k, by_bytes);
    size_t out = 1;
    for (size_t i = 1; i < ks->n; i++)
        if (strcmp(ks->k[i], ks->k[out - 1]) != 0)
            ks->k[out++] = ks->k[i];
    ks->n = out;
}

/* One item: its length as 4 bytes big-endian, then its bytes. */
static int item(EVP_MD_CTX *md, const char *s, size_t n)
{
    unsigned char len[4] = {(unsigned char)(n >> 24), (unsigned char)(n >> 16),
                            (unsigned char)(n >> 8), (unsigned char)n};
    return EVP_DigestUpdate(md, len, 4) == 1 && (n == 0 || EVP_DigestUpdate(md, s, n) == 1) ? 0
                                                                                           : -1;
}

static int item_s(EVP_MD_CTX *md, const char *s)
{
    return item(md, s ? s : "", s ? strlen(s) : 0);
}

static int item_int(EVP_MD_CTX *md, long v)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%ld", v);
    return item_s(md, buf);
}

static int item_value(EVP_MD_CTX *md, const pf_value *v)
{
    return v ? item(md, v->text, v->len) : item(md, "", 0);
}

/* key, value: the row's value, else the top's (as the layout looks values up) */
static int pair(EVP_MD_CTX *md, const pf_bound *bd, const pf_values *row, const char *key)
{
    const pf_value *v = row ? pf_values_get(row, key) : NULL;
    if (!v)
        v = pf_values_get(&bd->top, key);
    return item_s(md, key) || item_value(md, v);
}

/* The keys the template prints for these flags: outside tables into `top`, table columns (and
 * the keys that strike or shade a row) into `cols`. Sets *weekly and *linkage when it has one. */
static void collect(const pf_template *t, const char *flags, keys *top, keys *cols, int *weekly,
                    int *linkage, size_t n_providers)
{
    const pf_continuation *c = pf_template_continuation(t, flags);
    if (c)
        keys_add(top, c->person_bind);
    for (size_t p = 0; p < t->n_pages; p++) {
        for (size_t i = 0; i < t->pages[p].n; i++) {
            const pf_element *e = &t->pages[p].els[i];
            if (!pf_when_holds(e->when, flags))
                continue;
            if (e->kind == PF_EL_WEEKLY)
                *weekly = 1;
            if (e->kind == PF_EL_TABLE || e->kind == PF_EL_LINKAGE) {
                keys_add(cols, e->shade_key);
                for (size_t k = 0; k < e->n_columns; k++) {
                    keys_add(cols, e->columns[k].bind);
                    keys_add(cols, e->columns[k].strike);
                }
                if (e->kind == PF_EL_LINKAGE) {
                    *linkage = 1;
                    keys_add(cols, PF_LINKAGE_PRIORITY_KEY);
                    keys_add(cols, PF_LINKAGE_NEED_KEY);
                    for (size_t k = 0; k < n_providers + 2 && k < PF_LINKAGE_MAX_PROVIDERS + 2; k++)
                        keys_add(cols, pf_cell_keys[k]);
                }
                continue;
            }
            keys_add(top, e->bind);
            for (size_t k = 0; k < e->n_cells; k++) {
                if (!pf_when_holds(e->cells[k].when, flags) || e->cells[k].is_label)
                    continue;
                keys_add(top, e->cells[k].bind);
                keys_add(top, e->cells[k].ruby);
            }
        }
    }
    keys_sort(top);
    keys_sort(cols);
}

static int spans(EVP_MD_CTX *md, const pf_bound *bd)
{
    for (size_t i = 0; i < bd->n_spans; i++) {
        const pf_bound_span *s = &bd->spans[i];
        if (item_s(md, "span") || item_int(md, (long)s->days) || item_int(md, s->start) ||
            item_int(md, s->end) || item_value(md, &s->label))
            return -1;
    }
    for (size_t i = 0; i < bd->n_activities; i++) {
        const pf_bound_span *a = &bd->activities[i];
        if (item_s(md, "activity") || item_int(md, a->start) || item_int(md, a->end) ||
            item_value(md, &a->label))
            return -1;
    }
    return 0;
}

int pf_fingerprint(const pf_template *t, const pf_bound *bd,
                   unsigned char digest[PF_FINGERPRINT_LEN])
{
    keys top = {0}, cols = {0};
    int weekly = 0, linkage = 0;
    collect(t, bd->flags, &top, &cols, &weekly, &linkage, bd->n_columns);
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    int rc = md && EVP_DigestInit_ex(md, EVP_sha256(), NULL) == 1 ? 0 : -1;
    if (rc == 0)
        rc = item_s(md, "planform-fingerprint/1") || item_s(md, t->id) || item_s(md, bd->flags);
    for (size_t i = 0; rc == 0 && i < top.n; i++)
        rc = pair(md, bd, NULL, top.k[i]);
    for (size_t k = 0; rc == 0 && linkage && k < bd->n_columns; k++)
        rc = item_s(md, "column") || item_value(md, &bd->columns[k]);
    for (size_t r = 0; rc == 0 && cols.n && r < bd->n_rows; r++) {
        rc = item_s(md, "row");
        for (size_t i = 0; rc == 0 && i < cols.n; i++)
            rc = pair(md, bd, &bd->rows[r], cols.k[i]);
    }
    if (rc == 0 && weekly)
        rc = spans(md, bd);
    unsigned int len = 0;
    if (rc == 0 && (EVP_DigestFinal_ex(md, digest, &len) != 1 || len != PF_FINGERPRINT_LEN))
        rc = -1;
    EVP_MD_CTX_free(md);
    free(top.k);
    free(cols.k);
    return rc;
}

void pf_fingerprint_hex(const unsigned char digest[PF_FINGERPRINT_LEN], char hex[65])
{
    for (int i = 0; i < PF_FINGERPRINT_LEN; i++)
        snprintf(hex + 2 * i, 3, "%02X", digest[i]);
}

void pf_fingerprint_short(const unsigned char digest[PF_FINGERPRINT_LEN], char out[10])
{
    snprintf(out, 10, "%02X%02X-%02X%02X", digest[0], digest[1], digest[2], digest[3]);
}
