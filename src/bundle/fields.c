/* bundle/fields — the field table and look-ups in it. See fields.h and fields.def. */
#include "bundle/fields.h"

#include <string.h>

/* A row's C member must be of its TYPE's C type: checked when this file compiles. */
#define PF_CT_TEXT pf_text
#define PF_CT_DATE pf_date
#define PF_CT_INT pf_int
#define PF_CT_YEN pf_int
#define F(ID, REC, MEMBER, TYPE, PATH, KEY, JA)                                                \
    _Static_assert(_Generic(((PF_RT_##REC *)0)->MEMBER, PF_CT_##TYPE: 1, default: 0),          \
                   PATH ": the member is not of the row's type");
#define N(ID, REC, PATH, JA)
#include "bundle/fields.def"
#undef F
#undef N

const pf_field pf_fields[PF_N_FIELDS] = {
#define F(ID, REC, MEMBER, TYPE, PATH, KEY, JA)                                                \
    {PF_F_##ID, PF_REC_##REC, PF_FT_##TYPE, offsetof(PF_RT_##REC, MEMBER), PATH, KEY, JA},
#define N(ID, REC, PATH, JA) {PF_F_##ID, PF_REC_##REC, PF_FT_NONE, 0, PATH, NULL, JA},
#include "bundle/fields.def"
#undef F
#undef N
};

const char *pf_field_name(const pf_field *f)
{
    const char *slash = strrchr(f->path, '/');
    const char *s = slash ? slash + 1 : f->path;
    return *s == '@' ? s + 1 : s;
}

const pf_field *pf_record_field(pf_record rec)
{
    for (size_t i = 0; i < PF_N_FIELDS; i++)
        if (pf_fields[i].record == rec)
            return &pf_fields[i];  /* a record's own row comes first */
    return &pf_fields[0];
}

/* Does `path` end with `tail` on a step boundary? */
static int ends_with_step(const char *path, size_t len, const char *tail)
{
    size_t n = strlen(tail);
    return n <= len && memcmp(path + len - n, tail, n) == 0 &&
           (n == len || path[len - n - 1] == '/');
}

const pf_field *pf_field_at(const char *path)
{
    if (!path)
        return NULL;
    size_t len = strlen(path);
    const pf_field *best = NULL;
    for (size_t i = 0; i < PF_N_FIELDS; i++)
        if (ends_with_step(path, len, pf_fields[i].path) &&
            (!best || strlen(pf_fields[i].path) > strlen(best->path)))
            best = &pf_fields[i];
    return best;
}

const char *pf_field_ja(const char *path)
{
    const pf_field *f = pf_field_at(path);
    if (f)
        return f->ja;
    if (!path)
        return "";
    if (path[0] == '{')
        return path;  /* an element of another namespace, "{uri}name": no path of ours */
    const char *slash = strrchr(path, '/');
    const char *s = slash ? slash + 1 : path;
    return *s == '@' ? s + 1 : s;
}

const pf_field *pf_field_by_key(const char *key)
{
    for (size_t i = 0; key && i < PF_N_FIELDS; i++)
        if (pf_fields[i].key && strcmp(pf_fields[i].key, key) == 0)
            return &pf_fields[i];
    return NULL;
}
