/* Private helpers shared by every module: error reporting, allocation, threading.
 * Nothing here is exported (names start with epv__). */
#ifndef EPV_COMMON_INT_H
#define EPV_COMMON_INT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include "epv/common.h"

struct epv_ctx {
    char errmsg[EPV_ERRMSG_MAX];
    int errcode;
    epv_allocator alloc;
    epv_u64 seed;
    int nthreads;
};

#if defined(__GNUC__)
#define EPV__PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define EPV__PRINTF(a, b)
#endif

/* Record an error on ctx (if non-NULL) and return code, so callers can write
 * `return epv__error(ctx, EPV_ERANGE, "area_ha: %g is negative", a);` */
int epv__error(epv_ctx *ctx, int code, const char *fmt, ...) EPV__PRINTF(3, 4);
int epv__verror(epv_ctx *ctx, int code, const char *fmt, va_list ap);
/* Prefix the context's current message with "prefix: " (adds file or record context). */
void epv__error_prefix(epv_ctx *ctx, const char *fmt, ...) EPV__PRINTF(2, 3);

/* Allocation through the context's allocator. All report EPV_ENOMEM on ctx on failure. */
void *epv__malloc(epv_ctx *ctx, size_t size);
void *epv__calloc(epv_ctx *ctx, size_t n, size_t size);
void *epv__realloc(epv_ctx *ctx, void *ptr, size_t size);
void epv__free(epv_ctx *ctx, void *ptr);
char *epv__strdup(epv_ctx *ctx, const char *s);
/* Grow *arr (element size elsize) so it holds at least need elements; *cap is updated. */
int epv__grow(epv_ctx *ctx, void **arr, size_t *cap, size_t need, size_t elsize);

/* Argument checks that record a message naming the field. */
int epv__check_finite(epv_ctx *ctx, double v, const char *field);
int epv__check_nonneg(epv_ctx *ctx, double v, const char *field);
int epv__check_positive(epv_ctx *ctx, double v, const char *field);

/* Strict number parsing for input files: whole string, ASCII, finite. */
int epv__parse_double(const char *text, double *out);
int epv__parse_i64(const char *text, int64_t *out);

/* Run fn over [0, n) split into contiguous chunks, one per worker (at most nworkers).
 * Chunk boundaries depend only on n and the worker count. fn returns 0 or an EPV code;
 * the first non-zero code (by worker index) is returned. */
typedef int (*epv__range_fn)(size_t begin, size_t end, int worker, void *payload);
int epv__parallel_for(epv_ctx *ctx, size_t n, int nworkers, epv__range_fn fn, void *payload);

#define EPV__ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

#endif
