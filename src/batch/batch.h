/* batch — many bundles at once: a worker pool (one engine per worker: fonts, templates, ICU
 * loaded once per thread), per-person PDFs with stable file names, progress, a summary of
 * failures, and no half-written file whatever happens (Ctrl-C included).
 *
 * Output is the same whatever the number of workers: each finished document is first a
 * temporary file named by its position in the job list, and the final names (from the person
 * and the plan, collisions numbered) are given in job order at the end. */
#ifndef PF_BATCH_H
#define PF_BATCH_H

#include "bundle/bundle.h"
#include "util/util.h"

typedef struct pf_batch_options {
    const char *input;      /* a directory of *.xml, a manifest file, or "-" (manifest on stdin) */
    const char *outdir;
    const char *datadir;
    unsigned forms;         /* default PF_FORM_* set; a manifest line may name its own */
    int jobs;               /* workers; 0: the number of cores */
    int quiet;
    int fail_fast;
    unsigned mode;          /* permission bits of the PDFs */
    const char *print;      /* also one merged print file here (NULL: none) */
    int duplex;             /* print file: each person starts on the front of a sheet */
    int copies;             /* print file: each person's set this many times (本人用・控え) */
    pf_read_options reading;/* input size limit; may messages quote values */
    const char *password;   /* encrypt every PDF with it (AES-256; NULL: no) */
} pf_batch_options;

/* Run the batch; returns the exit status (0 all written, 1 some failed, 2/3/4 as elsewhere,
 * 130 interrupted). Progress and the summary go to stderr. */
int pf_batch_run(const pf_batch_options *o);

#endif
