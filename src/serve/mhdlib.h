/* serve/mhdlib — GNU libmicrohttpd, loaded with dlopen when `planform serve` starts.
 *
 * Debian's libmicrohttpd brings GnuTLS and Nettle with it: linking it would make every
 * planform process — one render, one validate — load them at start, for a library only the
 * service uses. It is loaded by the service instead: PF_MHD_SONAME (the soname of the
 * libmicrohttpd planform was built against, from the Makefile), or $PLANFORM_LIBMICROHTTPD
 * when set. Once per process (pthread_once), never changed after, never closed. The service
 * calls through MHD(f): MHD(MHD_start_daemon)(…). */
#ifndef PF_MHDLIB_H
#define PF_MHDLIB_H

#include <microhttpd.h>  /* the declarations only */

#include "util/util.h"

#define PF_MHD_FUNCTIONS(X) \
    X(MHD_add_response_header) \
    X(MHD_create_response_from_buffer) \
    X(MHD_destroy_response) \
    X(MHD_get_connection_values) \
    X(MHD_lookup_connection_value) \
    X(MHD_queue_response) \
    X(MHD_quiesce_daemon) \
    X(MHD_resume_connection) \
    X(MHD_start_daemon) \
    X(MHD_stop_daemon) \
    X(MHD_suspend_connection)

typedef struct pf_mhd {
#define PF_MHD_MEMBER(f) __typeof__(f) *f;
    PF_MHD_FUNCTIONS(PF_MHD_MEMBER)
#undef PF_MHD_MEMBER
} pf_mhd;

/* Load libmicrohttpd (once per process). 0, or PF_EXIT_RESOURCE with code library-missing and
 * dlopen's reason in `err`. */
int pf_mhd_load(pf_error *err);

/* The loaded library's functions; only after pf_mhd_load returned 0. */
const pf_mhd *pf_mhd_lib(void);
#define MHD(f) (pf_mhd_lib()->f)

#endif
