/* text/ctx — opening and closing the ICU objects a pf_text_ctx owns. They are opened once
 * per run and reused for every paragraph and date: opening them loads ICU data and compiles
 * rules, which costs far more than using them. */
#include "text/text.h"
#include "text/text_ctx.h"

#include <stdlib.h>
#include <string.h>

static int icu_fail(pf_error *err, const char *what, UErrorCode st)
{
    return pf_error_setf(err, PF_EXIT_RESOURCE, NULL, 0, NULL, NULL,
                         "ICU の%sを開けません（%s）", "cannot open ICU %s (%s)", what,
                         u_errorName(st));
}

static int open_line_breaker(pf_text_ctx *ctx, pf_error *err)
{
    UErrorCode st = U_ZERO_ERROR;
    /* "strict" is JLReq's body-text setting: it keeps small kana, ー, 々 and 〜 off the start
     * of a line, which "normal" (the default for ja) allows. */
    ctx->line = ubrk_open(UBRK_LINE, "ja@lb=strict", NULL, 0, &st);
    if (U_FAILURE(st))
        return icu_fail(err, "行分割（ja@lb=strict）", st);
    return 0;
}

static int open_era_format(pf_text_ctx *ctx, pf_error *err)
{
    /* The zone only has to be fixed: dates are set and read as calendar fields, never as
     * instants, so no conversion ever happens. */
    static const UChar utc[] = {'U', 'T', 'C', 0};
    static const UChar era_only[] = {'G', 0};
    UErrorCode st = U_ZERO_ERROR;
    ctx->era = udat_open(UDAT_PATTERN, UDAT_PATTERN, "ja_JP@calendar=japanese", utc, -1,
                         era_only, -1, &st);
    if (U_FAILURE(st))
        return icu_fail(err, "和暦の書式", st);
    ctx->cal = ucal_clone(udat_getCalendar(ctx->era), &st);
    if (U_FAILURE(st))
        return icu_fail(err, "和暦", st);
    /* ICU without the calendar's data would quietly hand back a Gregorian calendar and we
     * would print 西暦; refuse instead. */
    const char *type = ucal_getType(ctx->cal, &st);
    if (U_FAILURE(st) || !type || strcmp(type, "japanese") != 0)
        return icu_fail(err, "和暦", U_FAILURE(st) ? st : U_UNSUPPORTED_ERROR);
    /* Non-lenient, so that 2023-02-29 is an error rather than 3月1日. */
    ucal_setAttribute(ctx->cal, UCAL_LENIENT, 0);
    return 0;
}

pf_text_ctx *pf_text_ctx_new(pf_error *err)
{
    pf_text_ctx *ctx = pf_xcalloc(1, sizeof *ctx);
    if (open_line_breaker(ctx, err) || open_era_format(ctx, err)) {
        pf_text_ctx_free(ctx);
        return NULL;
    }
    return ctx;
}

void pf_text_ctx_free(pf_text_ctx *ctx)
{
    if (!ctx)
        return;
    if (ctx->line)
        ubrk_close(ctx->line);
    if (ctx->cal)
        ucal_close(ctx->cal);
    if (ctx->era)
        udat_close(ctx->era);
    free(ctx);
}
