/* pdf/qpdflib — libqpdf, loaded with dlopen when first needed: by encryption (--password-file)
 * and by the provider's signature (which reads the finished PDF's trailer and catalog).
 *
 * libqpdf brings eleven more shared objects (gnutls, nettle, gmp, p11-kit …): linking it cost
 * every process about 4 ms and 4 MiB at start, for a library few commands use. It is loaded on
 * first use instead: PF_QPDF_SONAME (the soname of the libqpdf planform was built against, from
 * the Makefile), or $PLANFORM_LIBQPDF when set. The process has one, loaded once
 * (pthread_once) and never changed after; the handle is never closed, as a linked library's
 * is not. Callers call through QP(f): QP(qpdf_init)(). */
#ifndef PF_QPDFLIB_H
#define PF_QPDFLIB_H

#include <qpdf/qpdf-c.h>  /* the declarations only */

#include "util/util.h"

#define PF_QPDF_FUNCTIONS(X) \
    X(qpdf_cleanup) \
    X(qpdf_get_buffer) \
    X(qpdf_get_buffer_length) \
    X(qpdf_get_error) \
    X(qpdf_get_error_message_detail) \
    X(qpdf_get_num_pages) \
    X(qpdf_get_object_by_id) \
    X(qpdf_get_page_n) \
    X(qpdf_get_root) \
    X(qpdf_get_trailer) \
    X(qpdf_has_error) \
    X(qpdf_init) \
    X(qpdf_init_write) \
    X(qpdf_init_write_memory) \
    X(qpdf_is_encrypted) \
    X(qpdf_oh_append_item) \
    X(qpdf_oh_begin_dict_key_iter) \
    X(qpdf_oh_dict_more_keys) \
    X(qpdf_oh_dict_next_key) \
    X(qpdf_oh_get_array_item) \
    X(qpdf_oh_get_array_n_items) \
    X(qpdf_oh_get_generation) \
    X(qpdf_oh_get_int_value_as_int) \
    X(qpdf_oh_get_key) \
    X(qpdf_oh_get_name) \
    X(qpdf_oh_get_object_id) \
    X(qpdf_oh_get_utf8_value) \
    X(qpdf_oh_has_key) \
    X(qpdf_oh_is_array) \
    X(qpdf_oh_is_dictionary) \
    X(qpdf_oh_is_integer) \
    X(qpdf_oh_is_name) \
    X(qpdf_oh_is_string) \
    X(qpdf_oh_new_array) \
    X(qpdf_oh_new_binary_string) \
    X(qpdf_oh_new_name) \
    X(qpdf_oh_release) \
    X(qpdf_oh_release_all) \
    X(qpdf_oh_replace_key) \
    X(qpdf_oh_unparse) \
    X(qpdf_read) \
    X(qpdf_read_memory) \
    X(qpdf_set_object_stream_mode) \
    X(qpdf_set_r6_encryption_parameters2) \
    X(qpdf_set_static_ID) \
    X(qpdf_set_suppress_warnings) \
    X(qpdf_silence_errors) \
    X(qpdf_write)

typedef struct pf_qpdf {
#define PF_QPDF_MEMBER(f) __typeof__(f) *f;
    PF_QPDF_FUNCTIONS(PF_QPDF_MEMBER)
#undef PF_QPDF_MEMBER
} pf_qpdf;

/* Load libqpdf (once per process). 0, or PF_EXIT_RESOURCE with code library-missing, dlopen's
 * reason and what it was needed `for_ja`/`for_en` ("パスワード付きの PDF", "password-protected
 * PDFs") in `err`. */
int pf_qpdf_load(const char *for_ja, const char *for_en, pf_error *err);

/* The loaded library's functions; only after pf_qpdf_load returned 0. */
const pf_qpdf *pf_qpdf_lib(void);
#define QP(f) (pf_qpdf_lib()->f)

#endif
