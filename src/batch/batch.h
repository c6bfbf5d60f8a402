/* batch — many bundles at once: a worker pool (one engine per worker: fonts, templates, ICU
 * loaded once per thread), per-person PDFs, progress, a summary of failures, and one optional
 * print file of everyone.
 *
 * The file lifecycle, designed so that any end leaves every finished file whole under its
 * final name and nothing else:
 * - The output folder is locked (flock on the folder) for the whole run: a second batch into
 *   the same folder is refused with a message, not interleaved. Leftovers of a run that was
 *   killed are removed at the start.
 * - Each person's PDF is published as soon as it is finished (temporary file, fsync, rename:
 *   util/files.h). Its name is a function of that bundle alone: <person>_<plan>~<input>.pdf
 *   (<plan>~<input>.pdf with name_by_plan), where <input> is the input file's name without
 *   .xml. Two bundles therefore never compete
 *   for a name, however the run is ordered, rerun or extended, and a file is only ever
 *   replaced by a newer rendering of the same input. (Two inputs whose names are the same
 *   after cleaning, from different folders of a manifest, get a suffix derived from their
 *   paths.)
 * - With a password, nothing unencrypted is ever on disk under a name: the print file is
 *   merged into an anonymous temporary file and encrypted into place.
 * - The print file is published only when complete; an interruption or a fatal error leaves
 *   none. Its merge runs behind the workers, who wait when they get too far ahead, so memory
 *   stays bounded however many bundles there are.
 * - A failure that is the system's, not the bundle's (full disk, too many open files, out of
 *   memory, a broken font) stops the batch with exit 4 (3 for fonts and templates); the files
 *   already written stay. */
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
    const struct pf_signer *signer; /* sign every person's PDF with it (pdf/sign.h; NULL: no;
                               never with a password); the print file is not signed */
    int name_by_plan;       /* file names without the person's name: <plan>~<input>.pdf */
    int json;               /* errors as JSON lines on stderr, and no progress */
    int no_signature_fields;/* consent boxes are not also PDF signature fields */
    const char *report;     /* one JSON line per bundle into this file at the end ("-":
                               standard output; NULL: none) */
} pf_batch_options;

/* Run the batch; returns the exit status: 0 all written; 1 some bundles invalid; 4 a PDF could
 * not be written, or the batch stopped on a system failure; 2/3 as elsewhere; 128 + the signal
 * when interrupted (SIGINT 130, SIGTERM 143, SIGHUP 129, SIGPIPE 141). Progress and the
 * summary go to stderr. */
int pf_batch_run(const pf_batch_options *o);

#endif
