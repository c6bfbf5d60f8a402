/* util/files — how planform touches the file system. It owns one promise: whatever ends a run
 * (an error, a full disk, Ctrl-C, kill -9, two runs at once), every finished file is whole
 * under its name, and nothing half-written is left behind under a name anyone would open.
 *
 * - Inputs are regular files (or "-", standard input). A FIFO or a device is refused without
 *   ever blocking on it.
 * - An output file is written as a temporary file beside its target, named
 *   ".planform-<pid>-XXXXXX" (mkstemp: unique per process and per file, mode 0600 from the
 *   start), then fsync'd, given its mode, renamed over the target, and the folder fsync'd.
 *   A temporary file whose process no longer exists is the leftover of a run that was killed;
 *   pf_clean_leftovers removes those.
 * - Special targets: a character device, FIFO or socket (/dev/null, /dev/stdout on a pipe) is
 *   written straight through, never replaced; a symbolic link is followed and the file it points
 *   to (even one that does not exist yet) is replaced, the link stays; a directory is an error.
 *
 * Errors carry the system's errno in pf_error.sys_errno, so callers can tell a full disk or an
 * exhausted process limit (which stops a batch) from one bad target. */
#ifndef PF_FILES_H
#define PF_FILES_H

#include <stddef.h>

#include "util/util.h"

/* Read a whole regular file (or standard input for "-") into *data / *len (NUL-terminated).
 * Returns 0, or PF_EXIT_IO with `err` filled. */
int pf_read_file(const char *path, char **data, size_t *len, pf_error *err);
/* The same, but stop after `max` + 1 bytes: enough for the caller to see that the file is over
 * its limit without holding a hostile multi-gigabyte file in memory. */
int pf_read_file_max(const char *path, size_t max, char **data, size_t *len, pf_error *err);

/* Write `len` bytes to `path` as described above ("-": standard output). `mode` is the new
 * file's permission bits. While the temporary file exists, SIGINT, SIGTERM, SIGHUP and SIGPIPE
 * wait, so a signal never leaves one behind. */
int pf_write_file_atomic(const char *path, const void *data, size_t len, unsigned mode,
                         pf_error *err);

/* Write `path` in a folder the caller owns (batch's output folder): whatever stands at the name
 * (a link, a FIFO) is replaced, never followed or opened; a folder there is an error. Without
 * `sync_folder`, the caller calls pf_sync_dir once after many files (each file is durable
 * before its rename, so it is never half-written; only the renames wait for that fsync). */
int pf_write_file_here(const char *path, const void *data, size_t len, unsigned mode,
                       int sync_folder, pf_error *err);
void pf_sync_dir(const char *dir);

/* Where a write to `path` goes: the file to replace (following symbolic links: a link stays a
 * link), a special file to write straight through (character device, FIFO, socket, or a
 * descriptor of this process named through /proc/self/fd or /dev/fd), or a folder (an error
 * for the caller to report). *real is malloc'd. */
typedef enum { PF_OUTPUT_FILE, PF_OUTPUT_THROUGH, PF_OUTPUT_DIR } pf_output_kind;
/* Whether a and b are one regular file that exists, under any name or link: an output that
 * would replace an input. */
int pf_same_file(const char *a, const char *b);
int pf_output_resolve(const char *path, char **real, pf_output_kind *kind, pf_error *err);
/* Copy all of file `from` to a special target resolved as PF_OUTPUT_THROUGH; a descriptor of
 * this process is written as it is (an O_APPEND of >> holds). */
int pf_copy_through(int from, const char *path, pf_error *err);

/* A temporary file being written, for callers that write in pieces (the print file). */
typedef struct pf_tmpfile {
    int fd;                 /* -1 when closed */
    char *path;             /* the temporary name (NULL when anonymous) */
    char *target;           /* where pf_tmp_publish puts it */
} pf_tmpfile;

/* Create the temporary file for `target` (a regular file's path, or one that does not exist
 * yet) in the target's folder. With `anonymous`, the file has no name at all from the start
 * (unlinked at once), so no end of the process can leave it behind: for unencrypted data that
 * must never be seen on disk. */
int pf_tmp_open(pf_tmpfile *t, const char *target, int anonymous, pf_error *err);
/* Make the file durable (fsync), give it `mode`, rename it to its target and fsync the folder.
 * Closes and frees *t whether or not it succeeds; a failure removes the temporary file. */
int pf_tmp_publish(pf_tmpfile *t, unsigned mode, pf_error *err);
/* Give up: close and remove the temporary file. Safe on a closed pf_tmpfile. */
void pf_tmp_discard(pf_tmpfile *t);

/* Remove planform's temporary files in `dir` that no running process owns: those of a run that
 * was killed (kill -9, power loss, a crash). With `also_unowned`, also the older, pid-less
 * names of earlier versions of planform that are more than ten minutes old (only for a folder
 * the caller holds with pf_dir_lock). Errors are ignored: this is housekeeping. */
void pf_clean_leftovers(const char *dir, int also_unowned);

/* Take the advisory lock of folder `dir` (flock on the folder itself: no lock file is left
 * behind). Returns the descriptor that holds it (close it to release), or -1 with `err` filled:
 * PF_EXIT_IO, and a message saying another planform is writing there when it is held. */
int pf_dir_lock(const char *dir, pf_error *err);

#endif
