/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Run records of the example programs: a JSON file saying exactly what produced the outputs
 * (program and libepv versions, the methods and their versions, a SHA-256 digest of the
 * parameter tables and schemas compiled into the library, SHA-256 of every input file, the
 * seed and thread count, the arguments) and the SHA-256 of every output, so that a rerun
 * with the same arguments, seed and threads can be checked byte for byte
 * (tests/runrecord.sh). Uses only the public API and OpenSSL's libcrypto. */
#ifndef EPV_EXAMPLES_RUNRECORD_H
#define EPV_EXAMPLES_RUNRECORD_H

#include <epv.h>

typedef struct runrecord runrecord;

/* A record for this program run; args are the non-option arguments (after cli_start). */
runrecord *rr_new(const char *program, int argc, char **argv);
/* A method the run applies, with its version or edition (e.g. "CCER-14-001", "V01"). */
void rr_method(runrecord *r, const char *name, const char *version);
/* An input file: its path and SHA-256 (read now). */
void rr_input(runrecord *r, const char *path);
/* An output file: its path and SHA-256 (read now: call after it is written). */
void rr_output(runrecord *r, const char *path);
/* Write the record (seed and threads read from ctx) to path. Returns 0, or 1 after a message. */
int rr_write(runrecord *r, const epv_ctx *ctx, const char *path);
void rr_free(runrecord *r);

#endif
