/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The library's one strict CSV reader (RFC 4180), shared by every module that reads tables
 * (GEP tables, biophysical tables, forest inventories, activity data). Input is UTF-8 with
 * or without a BOM, or GB18030 when the caller declares it (converted with iconv). Strict:
 * a header row of unique, non-empty names; every row as many fields as the header; no NUL
 * bytes, no invalid UTF-8, no bare quote inside an unquoted field, no text after a closing
 * quote; fields up to EPV__CSV_FIELD_MAX bytes, files up to EPV__CSV_FILE_MAX bytes. Blank
 * lines are skipped; lines starting with '#' before the header are comments. Every error
 * names the file, the physical line and the column. Numbers never depend on the locale. */
#ifndef EPV_CSV_INT_H
#define EPV_CSV_INT_H

#include "common_int.h"

#define EPV__CSV_FIELD_MAX (64u * 1024u)
#define EPV__CSV_FILE_MAX ((size_t)1 << 30)
#define EPV__CSV_COLS_MAX 1024u

typedef struct epv__csv epv__csv;

/* Parse a whole buffer (copied). encoding: NULL or "UTF-8", or "GB18030". name appears in
 * messages (a path, or "<memory>"). On success *out holds the header; rows via next(). */
int epv__csv_open_memory(epv_ctx *ctx, const char *buf, size_t len, const char *name,
                         const char *encoding, epv__csv **out);
/* Read a file and parse it as above. A missing file is EPV_EIO naming the path once. */
int epv__csv_open_file(epv_ctx *ctx, const char *path, const char *encoding, epv__csv **out);
void epv__csv_free(epv__csv *c);

size_t epv__csv_ncols(const epv__csv *c);
const char *epv__csv_header(const epv__csv *c, size_t col);
const char *epv__csv_name(const epv__csv *c);
/* Find a column by header name. required and absent: EPV_ENOTFOUND naming the file, the
 * wanted column and the columns present. Not required and absent: *col = SIZE_MAX, EPV_OK. */
int epv__csv_col(epv_ctx *ctx, const epv__csv *c, const char *name, int required, size_t *col);
/* Advance to the next data row: EPV_OK, EPV_ITEROVER at the end, or an error naming the line. */
int epv__csv_next(epv_ctx *ctx, epv__csv *c);
/* Number of data rows in the file (known after open). */
size_t epv__csv_nrows(const epv__csv *c);
/* Physical line (1-based) where the current row starts. */
size_t epv__csv_line(const epv__csv *c);
/* Field of the current row ("" for col == SIZE_MAX). Valid until the next call to next(). */
const char *epv__csv_field(const epv__csv *c, size_t col);
/* Typed fields with bounds [min, max]; errors are "file:line: column 'name': ..." */
int epv__csv_double(epv_ctx *ctx, const epv__csv *c, size_t col, double min, double max,
                    double *out);
int epv__csv_i64(epv_ctx *ctx, const epv__csv *c, size_t col, int64_t min, int64_t max,
                 int64_t *out);
/* A non-empty text field. */
int epv__csv_text(epv_ctx *ctx, const epv__csv *c, size_t col, const char **out);
/* Record an error about the current row: "file:line: column 'name': <message>". */
int epv__csv_error(epv_ctx *ctx, const epv__csv *c, size_t col, int code, const char *fmt, ...)
    EPV__PRINTF(5, 6);

#endif
