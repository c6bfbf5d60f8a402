/* text/values — the two value formats every form shares: era dates and yen. */
#include "text/text.h"
#include "text/text_ctx.h"

#include <stdio.h>
#include <string.h>

#include <unicode/ustring.h>

static int bad_date(pf_error *err, int year, int month, int day)
{
    return pf_error_setf(err, PF_EXIT_INVALID, PF_CODE_INVALID_DATE, NULL, 0, NULL, NULL,
                         "存在しない日付です: %04d-%02d-%02d", "no such date: %04d-%02d-%02d",
                         year, month, day);
}

/* Era name of the date already set in ctx->cal, as UTF-8. The name comes from ICU's data,
 * so a future era needs an ICU update, not a code change. */
static int era_name(pf_text_ctx *ctx, char *out, size_t cap, UErrorCode *st)
{
    UChar u[32];
    int32_t n = udat_formatCalendar(ctx->era, ctx->cal, u, 32, NULL, st);
    if (U_FAILURE(*st) || n >= 32)
        return -1;
    int32_t n8 = 0;
    u_strToUTF8(out, (int32_t)cap, &n8, u, n, st);
    return U_FAILURE(*st) || (size_t)n8 >= cap ? -1 : 0;
}

int pf_text_era_date(pf_text_ctx *ctx, int year, int month, int day, char *out, size_t cap,
                     pf_error *err)
{
    if (cap > 0)
        out[0] = 0;
    if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 0 || day > 31)
        return bad_date(err, year, month, day);
    /* Set as fields in the Japanese calendar itself: the extended year is the Gregorian
     * year, and ICU derives ERA and YEAR from it with its own era table. */
    ucal_clear(ctx->cal);
    ucal_set(ctx->cal, UCAL_EXTENDED_YEAR, year);
    ucal_set(ctx->cal, UCAL_MONTH, month - 1);
    ucal_set(ctx->cal, UCAL_DATE, day ? day : 1); /* year-month: the era on the 1st */
    UErrorCode st = U_ZERO_ERROR;
    int32_t era_year = ucal_get(ctx->cal, UCAL_YEAR, &st);
    if (st == U_MEMORY_ALLOCATION_ERROR)  /* the system's failure, not a date that does not exist */
        return pf_icu_fail(err, st, "ICU で日付を計算できません", "ICU cannot compute the date");
    if (U_FAILURE(st))
        return bad_date(err, year, month, day);
    char era[PF_TEXT_DATE_MAX];
    if (era_name(ctx, era, sizeof era, &st))
        return pf_icu_fail(err, st, "ICU で元号を得られません", "ICU gave no era name");
    /* 元年, not 1年: the first year of an era is always written so on official forms. */
    char y[16];
    if (era_year == 1)
        snprintf(y, sizeof y, "元");
    else
        snprintf(y, sizeof y, "%d", (int)era_year);
    int w = day ? snprintf(out, cap, "%s%s年%d月%d日", era, y, month, day)
                : snprintf(out, cap, "%s%s年%d月", era, y, month);
    if (w < 0 || (size_t)w >= cap) {
        if (cap > 0)
            out[0] = 0;
        return pf_error_set(err, PF_EXIT_INVALID, PF_CODE_INVALID_VALUE, NULL, 0, NULL, NULL,
                            "日付の出力領域が小さすぎます", "date buffer too small");
    }
    return 0;
}

void pf_text_yen(long yen, char *out, size_t cap)
{
    /* By hand rather than through ICU: the format is fixed by the forms, not by a locale. */
    char digits[24], grouped[40];
    unsigned long mag = yen < 0 ? 0UL - (unsigned long)yen : (unsigned long)yen;
    int nd = snprintf(digits, sizeof digits, "%lu", mag);
    size_t g = 0;
    if (yen < 0)
        grouped[g++] = '-';
    for (int i = 0; i < nd; i++) {
        if (i > 0 && (nd - i) % 3 == 0)
            grouped[g++] = ',';
        grouped[g++] = digits[i];
    }
    grouped[g] = 0;
    if (cap == 0)
        return;
    if (g + strlen("円") + 1 > cap) {
        out[0] = 0;
        return;
    }
    snprintf(out, cap, "%s円", grouped);
}
