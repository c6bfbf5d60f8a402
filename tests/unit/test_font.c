/* Unit tests of font/: the fallback chain picks the first font that has a character (a
 * variation sequence included), shaping keeps byte clusters, a character no font has is
 * reported at its offset, and subsets keep exactly the glyphs asked for. */
#include <stdlib.h>

#include "font/font.h"
#include "unit.h"

static const char *family_of(pf_fontset *fs, const pf_glyph *g)
{
    return pf_font_family(pf_fontset_font(fs, g->font));
}

void run_tests(void)
{
    pf_error err = {0};
    pf_fontset *fs = pf_fontset_load("fonts/chain.conf", &err);
    CHECK(fs != NULL);
    if (!fs) {
        pf_error_print(&err);
        return;
    }
    int mincho = pf_fontset_chain(fs, "mincho");
    CHECK(mincho >= 0 && pf_fontset_chain(fs, "gothic") >= 0 && pf_fontset_chain(fs, "x") < 0);

    /* 髙 is in IPAex; 𠮷 (U+20BB7, outside the BMP) only in IPAmj */
    const char *s = "髙\xf0\xa0\xae\xb7";
    pf_glyphs gl = {0};
    size_t bad = 0;
    CHECK(pf_shape(fs, mincho, s, strlen(s), &gl, &bad, &err) == 0);
    CHECK(gl.n == 2);
    if (gl.n == 2) {
        CHECK_STR(family_of(fs, &gl.g[0]), "IPAexMincho");
        CHECK_STR(family_of(fs, &gl.g[1]), "IPAmjMincho");
        CHECK(gl.g[0].cluster == 0 && gl.g[1].cluster == 3);
        CHECK(gl.g[0].advance == 1000 && gl.g[1].advance == 1000);
        CHECK(gl.g[0].gid != 0 && gl.g[1].gid != 0);
    }

    /* 葛 + U+E0100: one glyph (the registered variant), cluster covering both code points */
    gl.n = 0;
    const char *ivs = "葛\xf3\xa0\x84\x80";
    CHECK(pf_shape(fs, mincho, ivs, strlen(ivs), &gl, &bad, &err) == 0);
    CHECK(gl.n == 1 && gl.g[0].cluster == 0);
    pf_glyphs plain = {0};
    CHECK(pf_shape(fs, mincho, "葛", 3, &plain, &bad, &err) == 0);
    CHECK(plain.n == 1 && gl.n == 1 && plain.g[0].gid != gl.g[0].gid);  /* a different glyph */

    /* no font has U+1F600: an error at its byte offset, never a blank */
    gl.n = 0;
    pf_error e2 = {0};
    CHECK(pf_shape(fs, mincho, "あい\xf0\x9f\x98\x80", 10, &gl, &bad, &e2) == PF_EXIT_INVALID);
    CHECK(bad == 6);

    /* subset: the glyphs asked for, mapped to new ids, a real TrueType file */
    gl.n = 0;
    CHECK(pf_shape(fs, mincho, "計画", 6, &gl, &bad, &err) == 0);
    uint32_t gids[2] = {gl.g[0].gid, gl.g[1].gid}, cps[2] = {0x8A08, 0x753B}, new_gids[2];
    unsigned char *ttf = NULL;
    size_t len = 0;
    CHECK(pf_font_subset(pf_fontset_font(fs, gl.g[0].font), gids, 2, cps, 2, new_gids, &ttf,
                         &len, &err) == 0);
    CHECK(ttf && len > 100 && len < 20000);
    CHECK(ttf && memcmp(ttf, "\0\1\0\0", 4) == 0);
    CHECK(new_gids[0] != new_gids[1] && new_gids[0] > 0 && new_gids[0] <= 3 && new_gids[1] <= 3);
    free(ttf);

    free(gl.g);
    free(plain.g);
    pf_fontset_free(fs);
}
