/* text/ctx — opening and closing the ICU objects a pf_text_ctx owns. They are opened once
 * per run and reused for every paragraph and date: opening them loads ICU data and compiles
 * rules, which costs far more than using them. */
#include "text/text.h"
#include "text/text_ctx.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int pf_icu_fail(pf_error *err, UErrorCode st, const char *what_ja, const char *what_en)
{
    if (st == U_MEMORY_ALLOCATION_ERROR)
        return pf_error_errno(err, PF_EXIT_RESOURCE, PF_CODE_ICU_BROKEN, NULL, 0, ENOMEM, what_ja,
                              what_en);
    char ja[512], en[512];
    snprintf(ja, sizeof ja, "%s（%s）", what_ja, u_errorName(st));
    snprintf(en, sizeof en, "%s (%s)", what_en, u_errorName(st));
    return pf_error_set(err, PF_EXIT_RESOURCE, PF_CODE_ICU_BROKEN, NULL, 0, NULL, NULL, ja, en);
}

/* ICU loads the phrase model the first time it meets Japanese text, and keeps it only if the
 * load succeeded: when memory is short, every later character tries again, which took a
 * render under `ulimit -v` from milliseconds to minutes. So it is loaded here, once, on a
 * sentence whose phrases are known; a model that did not load is the system's failure (out of
 * memory, exit 4), said at once. */
#define PHRASE_LOAD_ROOM (16u << 20)

static int warm_up_phrases(pf_text_ctx *ctx, pf_error *err)
{
    static const UChar probe[] = {0x4ECA, 0x65E5, 0x306F, 0x6674, 0x308C, 0x3002, 0};  /* 今日は晴れ。 */
    /* ICU does not return when the load itself runs out of memory (it retries without end:
     * ICU 72's dictionary cache), so room is made sure of first: what a load takes, with a
     * margin, is allocated and given back, and only then does ICU allocate. */
    void *room = malloc(PHRASE_LOAD_ROOM);
    if (!room)
        return pf_error_errno(err, PF_EXIT_RESOURCE, PF_CODE_ICU_BROKEN, NULL, 0, ENOMEM,
                              "ICU の文節区切りのデータを読み込めません",
                              "cannot load ICU's phrase breaking data");
    free(room);
    UErrorCode st = U_ZERO_ERROR;
    ubrk_setText(ctx->phrase, probe, 6, &st);
    int32_t first = U_SUCCESS(st) ? ubrk_next(ctx->phrase) : UBRK_DONE;
    if (U_FAILURE(st))
        return pf_icu_fail(err, st, "ICU の文節区切りを準備できません",
                           "cannot prepare ICU phrase breaking");
    if (first != 3)   /* 今日は|晴れ。: without its model ICU breaks elsewhere */
        return pf_error_errno(err, PF_EXIT_RESOURCE, PF_CODE_ICU_BROKEN, NULL, 0, ENOMEM,
                              "ICU の文節区切りのデータを読み込めません",
                              "cannot load ICU's phrase breaking data");
    return 0;
}

static int open_line_breaker(pf_text_ctx *ctx, pf_error *err)
{
    UErrorCode st = U_ZERO_ERROR;
    /* "strict" is JLReq's body-text setting: it keeps small kana, ー, 々 and 〜 off the start
     * of a line, which "normal" (the default for ja) allows. */
    ctx->line = ubrk_open(UBRK_LINE, "ja@lb=strict", NULL, 0, &st);
    if (U_FAILURE(st))
        return pf_icu_fail(err, st, "ICU の行分割（ja@lb=strict）を開けません",
                           "cannot open ICU line breaking (ja@lb=strict)");
    /* Phrase boundaries (文節) for Japanese: a line preferably breaks only there, so that words
     * and names are not cut (グループホームひだま／り). */
    ctx->phrase = ubrk_open(UBRK_LINE, "ja@lw=phrase", NULL, 0, &st);
    if (U_FAILURE(st))
        return pf_icu_fail(err, st, "ICU の文節区切り（ja@lw=phrase）を開けません",
                           "cannot open ICU phrase breaking (ja@lw=phrase)");
    return warm_up_phrases(ctx, err);
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
        return pf_icu_fail(err, st, "ICU の和暦の書式を開けません",
                           "cannot open the ICU Japanese era format");
    ctx->cal = ucal_clone(udat_getCalendar(ctx->era), &st);
    if (U_FAILURE(st))
        return pf_icu_fail(err, st, "ICU の和暦を開けません",
                           "cannot open the ICU Japanese calendar");
    /* ICU without the calendar's data would quietly hand back a Gregorian calendar and we
     * would print 西暦; refuse instead. */
    const char *type = ucal_getType(ctx->cal, &st);
    if (U_FAILURE(st) || !type || strcmp(type, "japanese") != 0)
        return pf_icu_fail(err, U_FAILURE(st) ? st : U_UNSUPPORTED_ERROR,
                           "ICU の和暦を開けません", "cannot open the ICU Japanese calendar");
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
    if (ctx->phrase)
        ubrk_close(ctx->phrase);
    if (ctx->cal)
        ucal_close(ctx->cal);
    if (ctx->era)
        udat_close(ctx->era);
    free(ctx);
}
