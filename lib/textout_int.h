/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Private helpers for the library's file writers (CSV, XML, SVG). A file is written under a
 * temporary name beside its destination and renamed only when everything was written, so a
 * failed or interrupted write never leaves a half file under the requested name. */
#ifndef EPV_TEXTOUT_INT_H
#define EPV_TEXTOUT_INT_H

#include <stdio.h>
#include "common_int.h"

typedef struct epv__out {
    FILE *f;
    char tmp[4096];
    const char *path;
    void *saved_locale; /* the thread's locale before open; numbers are written in "C" */
} epv__out;

/* Open `path` for writing (really path.tmp). Errors name the path. Until close, the calling
 * thread runs in the C locale, so every fprintf writes '.' decimals whatever LC_NUMERIC is. */
int epv__out_open(epv_ctx *ctx, const char *path, epv__out *out);
/* Finish: with rc == 0 and no write error, rename into place; otherwise remove the temporary
 * file. Returns rc, or EPV_EIO naming the path when writing or renaming failed. */
int epv__out_close(epv_ctx *ctx, epv__out *out, int rc);
/* Text with &, <, > and " escaped for XML character data and attribute values. */
void epv__out_xml_text(FILE *f, const char *s);
/* Start a CSV file: the UTF-8 byte order mark when the context asks for it (csvout.h). */
void epv__out_csv_start(const epv_ctx *ctx, epv__out *out);
/* Non-zero when the context asks for name columns beside codes. */
int epv__out_csv_names(const epv_ctx *ctx);
/* One CSV field, quoted when it holds a comma, quote or line break (RFC 4180). */
void epv__out_csv_field(FILE *f, const char *s);

#endif
