/* SPDX-License-Identifier: GPL-3.0-or-later */
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
    epv_progress_fn progress;
    void *progress_payload;
    unsigned int csv_flags; /* EPV_CSVOUT_* (csvout.h), read by the CSV writers */
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

/* ---- ABI: versioned structs (doc/architecture.md, "Versioned structs") ----------------
 * Copy `init` (the EPV_<X>_INIT of the current version, `size` bytes) into `dst` when
 * `version` is one this library knows (1..current); otherwise EPV_EVERSION naming `type`. */
int epv__struct_init(epv_ctx *ctx, const char *type, void *dst, const void *init, size_t size,
                     unsigned int version, unsigned int current);
/* Check the version field of a struct passed in by a caller (0 means "never initialised"). */
int epv__check_version(epv_ctx *ctx, const char *type, const void *s, unsigned int current);
/* Define the public epv_<x>_init(ctx, x, version) of a versioned struct in one line:
 * EPV__DEFINE_INIT(epv_sink_options, EPV_SINK_OPTIONS_VERSION, EPV_SINK_OPTIONS_INIT) */
#define EPV__DEFINE_INIT(type, current, initializer)                                        \
    EPV_API int type##_init(epv_ctx *ctx, type *x, unsigned int version)                     \
    {                                                                                        \
        static const type init_value = initializer;                                          \
        return epv__struct_init(ctx, #type, x, &init_value, sizeof init_value, version,      \
                                current);                                                    \
    }
/* Require a non-NULL object argument: `EPV__NEED(ctx, p, "project");` returns EPV_EINVAL
 * with a message naming the function and the argument. */
#define EPV__NEED(ctx, p, name)                                                              \
    do {                                                                                     \
        if (!(p)) return epv__error((ctx), EPV_EINVAL, "%s: %s is NULL", __func__, (name));  \
    } while (0)

/* ---- progress and callbacks ---------------------------------------------------------
 * Report progress on ctx's callback; returns EPV_OK, or EPV_ECANCELLED (message set) when
 * the callback asked to stop. Call only from the calling thread, only at points where the
 * operation can still undo everything. fraction is clamped to 0..1. */
int epv__progress(epv_ctx *ctx, double fraction, const char *message);
/* A caller's callback returned rc != 0: EPV_ECALLBACK with "<what> returned <rc>: <where>". */
int epv__callback_failed(epv_ctx *ctx, const char *what, int rc, const char *where);

/* ---- locale independence ------------------------------------------------------------
 * The "C" numeric locale, created once (thread-safe), for strtod_l and uselocale. Every
 * number the library reads or writes goes through it, whatever LC_NUMERIC the host set. */
/* Switch the calling thread to the C locale (uselocale) and return what to restore; pair
 * every push with a pop on the same thread. The file writers (textout) do this around a
 * file, so their fprintf calls write '.' decimals under any LC_NUMERIC. */
void *epv__locale_push(void);
void epv__locale_pop(void *saved);
/* snprintf in the C locale (for numbers in files and messages). */
int epv__snprintf_c(char *buf, size_t size, const char *fmt, ...) EPV__PRINTF(3, 4);

/* FNV-1a hash of a NUL-terminated string, for the modules' open-addressing lookup tables. */
uint64_t epv__hash_str(const char *s);

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
