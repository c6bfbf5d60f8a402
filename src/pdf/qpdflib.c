/* pdf/qpdflib — libqpdf loaded with dlopen. See qpdflib.h. */
#include "pdf/qpdflib.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef PF_QPDF_SONAME
#define PF_QPDF_SONAME "libqpdf.so.29"
#endif

/* The process's one libqpdf, or the reason it could not be loaded. */
static struct {
    pf_qpdf f;
    int loaded;
    char why[512];          /* dlerror()'s text when not loaded */
} qpdf_library;
static pthread_once_t qpdf_library_once = PTHREAD_ONCE_INIT;

_Static_assert(sizeof(void *) == sizeof(void (*)(void)), "dlsym returns functions as void *");

static void qpdf_library_load(void)
{
    const char *path = getenv("PLANFORM_LIBQPDF");
    void *h = dlopen(path && *path ? path : PF_QPDF_SONAME, RTLD_NOW | RTLD_LOCAL);
    const char *why = h ? NULL : dlerror();
    void *sym = NULL;
#define QPDF_LOAD(fn)                                                                         \
    if (!why && !(sym = dlsym(h, #fn)) && !(why = dlerror()))                                 \
        why = #fn " is missing";                                                              \
    if (!why)                                                                                 \
        memcpy(&qpdf_library.f.fn, &sym, sizeof sym);
    PF_QPDF_FUNCTIONS(QPDF_LOAD)
#undef QPDF_LOAD
    if (why) {
        snprintf(qpdf_library.why, sizeof qpdf_library.why, "%s", why);
        if (h)
            dlclose(h);
        return;
    }
    qpdf_library.loaded = 1;
}

int pf_qpdf_load(const char *for_ja, const char *for_en, pf_error *err)
{
    pthread_once(&qpdf_library_once, qpdf_library_load);
    if (qpdf_library.loaded)
        return 0;
    return pf_error_setf(err, PF_EXIT_RESOURCE, PF_CODE_LIBRARY_MISSING, NULL, 0, NULL, NULL,
                         "%sに要る libqpdf を読み込めません（Debian では libqpdf29 パッケージ）：%s",
                         "cannot load libqpdf, which %s need (Debian package libqpdf29): %s",
                         for_ja, qpdf_library.why, for_en, qpdf_library.why);
}

const pf_qpdf *pf_qpdf_lib(void)
{
    return &qpdf_library.f;
}
