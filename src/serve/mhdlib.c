/* serve/mhdlib — libmicrohttpd loaded with dlopen. See mhdlib.h. */
#include "serve/mhdlib.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef PF_MHD_SONAME
#define PF_MHD_SONAME "libmicrohttpd.so.12"
#endif

/* The process's one libmicrohttpd, or the reason it could not be loaded. */
static struct {
    pf_mhd f;
    int loaded;
    char why[512];
} mhd_library;
static pthread_once_t mhd_library_once = PTHREAD_ONCE_INIT;

_Static_assert(sizeof(void *) == sizeof(void (*)(void)), "dlsym returns functions as void *");

static void mhd_library_load(void)
{
    const char *path = getenv("PLANFORM_LIBMICROHTTPD");
    void *h = dlopen(path && *path ? path : PF_MHD_SONAME, RTLD_NOW | RTLD_LOCAL);
    const char *why = h ? NULL : dlerror();
    void *sym = NULL;
#define MHD_LOAD(fn)                                                                          \
    if (!why && !(sym = dlsym(h, #fn)) && !(why = dlerror()))                                 \
        why = #fn " is missing";                                                              \
    if (!why)                                                                                 \
        memcpy(&mhd_library.f.fn, &sym, sizeof sym);
    PF_MHD_FUNCTIONS(MHD_LOAD)
#undef MHD_LOAD
    if (why) {
        snprintf(mhd_library.why, sizeof mhd_library.why, "%s", why);
        if (h)
            dlclose(h);
        return;
    }
    mhd_library.loaded = 1;
}

int pf_mhd_load(pf_error *err)
{
    pthread_once(&mhd_library_once, mhd_library_load);
    if (mhd_library.loaded)
        return 0;
    return pf_error_setf(err, PF_EXIT_RESOURCE, PF_CODE_LIBRARY_MISSING, NULL, 0, NULL, NULL,
                         "planform serve に要る libmicrohttpd を読み込めません（Debian では "
                         "libmicrohttpd12 パッケージ）：%s",
                         "cannot load libmicrohttpd, which planform serve needs (Debian package "
                         "libmicrohttpd12): %s",
                         mhd_library.why, mhd_library.why);
}

const pf_mhd *pf_mhd_lib(void)
{
    return &mhd_library.f;
}
