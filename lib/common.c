/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Core: version query, status strings, the context, dates, shared helpers. */
#define _GNU_SOURCE 1 /* strtod_l, newlocale, uselocale */
#include "config.h"
#include "common_int.h"

#include <locale.h>

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

EPV_API const char *epv_version(void) { return EPV_VERSION_STRING; }
EPV_API int epv_version_number(void) { return EPV_VERSION_NUMBER; }

EPV_API const char *epv_strerror(int status)
{
    switch (status) {
    case EPV_OK: return "success";
    case EPV_EINVAL: return "invalid argument";
    case EPV_ENOMEM: return "out of memory";
    case EPV_EIO: return "input/output error";
    case EPV_EPARSE: return "malformed input";
    case EPV_ESCHEMA: return "input does not match its schema";
    case EPV_ENOTFOUND: return "not found";
    case EPV_ERANGE: return "value out of range";
    case EPV_ENOCONV: return "did not converge";
    case EPV_EDOMAIN: return "model outside its domain";
    case EPV_EEXISTS: return "already exists";
    case EPV_ESTATE: return "not allowed in the current state";
    case EPV_ECORRUPT: return "integrity check failed";
    case EPV_EUNITS: return "units do not match";
    case EPV_ITEROVER: return "iteration over";
    case EPV_ESINGULAR: return "data cannot determine the model";
    case EPV_EBALANCE: return "insufficient balance";
    case EPV_EBUSY: return "store is busy";
    case EPV_EREADONLY: return "store is read-only";
    case EPV_ENOSPACE: return "disk full";
    case EPV_EUNSUPPORTED: return "not supported";
    case EPV_ECANCELLED: return "cancelled by the progress callback";
    case EPV_ECALLBACK: return "a callback reported a failure";
    case EPV_EVERSION: return "struct version not supported";
    default: return "unknown status";
    }
}

static void *sys_malloc(size_t n, void *p) { (void)p; return malloc(n); }
static void *sys_realloc(void *q, size_t n, void *p) { (void)p; return realloc(q, n); }
static void sys_free(void *q, void *p) { (void)p; free(q); }

EPV__DEFINE_INIT(epv_allocator, EPV_ALLOCATOR_VERSION, EPV_ALLOCATOR_INIT)

EPV_API int epv_ctx_new_with_allocator(epv_ctx **out, const epv_allocator *alloc)
{
    if (!out) return EPV_EINVAL;
    *out = NULL;
    if (!alloc || !alloc->malloc_fn || !alloc->realloc_fn || !alloc->free_fn) return EPV_EINVAL;
    if (alloc->version < 1 || alloc->version > EPV_ALLOCATOR_VERSION) return EPV_EVERSION;
    epv_ctx *ctx = alloc->malloc_fn(sizeof *ctx, alloc->payload);
    if (!ctx) return EPV_ENOMEM;
    memset(ctx, 0, sizeof *ctx);
    ctx->alloc = *alloc;
    ctx->nthreads = 1;
    *out = ctx;
    return EPV_OK;
}

EPV_API int epv_ctx_new(epv_ctx **out)
{
    static const epv_allocator sys = { EPV_ALLOCATOR_VERSION, sys_malloc, sys_realloc, sys_free,
                                       NULL };
    return epv_ctx_new_with_allocator(out, &sys);
}

EPV_API void epv_ctx_free(epv_ctx *ctx)
{
    if (!ctx) return;
    epv_allocator a = ctx->alloc;
    a.free_fn(ctx, a.payload);
}

EPV_API const char *epv_ctx_errmsg(const epv_ctx *ctx) { return ctx ? ctx->errmsg : ""; }
EPV_API int epv_ctx_errcode(const epv_ctx *ctx) { return ctx ? ctx->errcode : EPV_EINVAL; }

EPV_API void epv_ctx_clear_error(epv_ctx *ctx)
{
    if (!ctx) return;
    ctx->errmsg[0] = '\0';
    ctx->errcode = 0;
}

EPV_API int epv_ctx_set_seed(epv_ctx *ctx, epv_u64 seed)
{
    if (!ctx) return EPV_EINVAL;
    ctx->seed = seed;
    return EPV_OK;
}

EPV_API epv_u64 epv_ctx_seed(const epv_ctx *ctx) { return ctx ? ctx->seed : 0; }

EPV_API int epv_ctx_set_threads(epv_ctx *ctx, int nthreads)
{
    if (!ctx) return EPV_EINVAL;
    if (nthreads < 0 || nthreads > 256)
        return epv__error(ctx, EPV_ERANGE, "threads: %d is outside 0..256", nthreads);
    if (nthreads == 0) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        nthreads = n < 1 ? 1 : (n > 256 ? 256 : (int)n);
    }
    ctx->nthreads = nthreads;
    return EPV_OK;
}

EPV_API int epv_ctx_threads(const epv_ctx *ctx) { return ctx ? ctx->nthreads : 1; }

EPV_API int epv_ctx_set_progress(epv_ctx *ctx, epv_progress_fn fn, void *payload)
{
    if (!ctx) return EPV_EINVAL;
    ctx->progress = fn;
    ctx->progress_payload = payload;
    return EPV_OK;
}

/* ---- versioned structs, progress, callbacks ------------------------------------------ */

int epv__struct_init(epv_ctx *ctx, const char *type, void *dst, const void *init, size_t size,
                     unsigned int version, unsigned int current)
{
    if (!dst) return epv__error(ctx, EPV_EINVAL, "%s_init: the struct pointer is NULL", type);
    if (version < 1 || version > current)
        return epv__error(ctx, EPV_EVERSION,
                          "%s_init: version %u is not known to this library (it has versions "
                          "1 to %u); the program was built against another libepv",
                          type, version, current);
    /* Only version 1 exists of every struct so far, so the current initialiser is the
     * requested one. A struct that gains a version 2 keeps a table of sizes per version
     * and copies only the requested version's prefix. */
    memcpy(dst, init, size);
    return EPV_OK;
}

int epv__check_version(epv_ctx *ctx, const char *type, const void *s, unsigned int current)
{
    if (!s) return epv__error(ctx, EPV_EINVAL, "%s: NULL", type);
    unsigned int v;
    memcpy(&v, s, sizeof v); /* the version is always the first member */
    if (v == 0)
        return epv__error(ctx, EPV_EVERSION,
                          "%s: version 0: initialise it with its _INIT macro or %s_init()",
                          type, type);
    if (v > current)
        return epv__error(ctx, EPV_EVERSION,
                          "%s: version %u is not known to this library (it has versions 1 to "
                          "%u)", type, v, current);
    return EPV_OK;
}

int epv__progress(epv_ctx *ctx, double fraction, const char *message)
{
    if (!ctx || !ctx->progress) return EPV_OK;
    if (!(fraction >= 0)) fraction = 0; /* also NaN */
    if (fraction > 1) fraction = 1;
    if (!message) message = "";
    int stop = ctx->progress(fraction, message, ctx->progress_payload);
    if (stop == 0) return EPV_OK;
    return epv__error(ctx, EPV_ECANCELLED, "cancelled by the progress callback at %.0f%% (%s)",
                      fraction * 100.0, message);
}

int epv__callback_failed(epv_ctx *ctx, const char *what, int rc, const char *where)
{
    return epv__error(ctx, EPV_ECALLBACK, "%s returned %d%s%s", what, rc, where ? ": " : "",
                      where ? where : "");
}

/* ---- locale independence -------------------------------------------------------------- */

static locale_t c_locale;
static pthread_once_t c_locale_once = PTHREAD_ONCE_INIT;
static void c_locale_make(void) { c_locale = newlocale(LC_ALL_MASK, "C", (locale_t)0); }

static locale_t get_c_locale(void)
{
    pthread_once(&c_locale_once, c_locale_make);
    return c_locale;
}

void *epv__locale_push(void)
{
    locale_t c = get_c_locale();
    if (c == (locale_t)0) return NULL;
    return (void *)uselocale(c);
}

void epv__locale_pop(void *saved)
{
    if (saved) uselocale((locale_t)saved);
}

int epv__snprintf_c(char *buf, size_t size, const char *fmt, ...)
{
    void *saved = epv__locale_push();
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    epv__locale_pop(saved);
    return n;
}

/* ---- errors ------------------------------------------------------------------------ */

int epv__verror(epv_ctx *ctx, int code, const char *fmt, va_list ap)
{
    if (ctx) {
        ctx->errcode = code;
        void *saved = epv__locale_push(); /* numbers in messages with '.' decimals */
        vsnprintf(ctx->errmsg, sizeof ctx->errmsg, fmt, ap);
        epv__locale_pop(saved);
    }
    return code;
}

int epv__error(epv_ctx *ctx, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    epv__verror(ctx, code, fmt, ap);
    va_end(ap);
    return code;
}

void epv__error_prefix(epv_ctx *ctx, const char *fmt, ...)
{
    if (!ctx) return;
    char prefix[EPV_ERRMSG_MAX], old[EPV_ERRMSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(prefix, sizeof prefix, fmt, ap);
    va_end(ap);
    memcpy(old, ctx->errmsg, sizeof old);
    /* Truncation is acceptable: the message is for people, and stays NUL-terminated. */
    size_t n = strlen(prefix);
    if (n > sizeof ctx->errmsg - 3) n = sizeof ctx->errmsg - 3;
    memcpy(ctx->errmsg, prefix, n);
    memcpy(ctx->errmsg + n, ": ", 2);
    size_t room = sizeof ctx->errmsg - n - 3;
    size_t m = strlen(old);
    if (m > room) m = room;
    memcpy(ctx->errmsg + n + 2, old, m);
    ctx->errmsg[n + 2 + m] = '\0';
}

/* ---- allocation -------------------------------------------------------------------- */

void *epv__malloc(epv_ctx *ctx, size_t size)
{
    void *p = ctx->alloc.malloc_fn(size ? size : 1, ctx->alloc.payload);
    if (!p) epv__error(ctx, EPV_ENOMEM, "out of memory allocating %zu bytes", size);
    return p;
}

void *epv__calloc(epv_ctx *ctx, size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size) {
        epv__error(ctx, EPV_ENOMEM, "allocation of %zu x %zu bytes overflows", n, size);
        return NULL;
    }
    size_t bytes = n * size;
    void *p = epv__malloc(ctx, bytes);
    if (p) memset(p, 0, bytes ? bytes : 1);
    return p;
}

void *epv__realloc(epv_ctx *ctx, void *ptr, size_t size)
{
    void *p = ctx->alloc.realloc_fn(ptr, size ? size : 1, ctx->alloc.payload);
    if (!p) epv__error(ctx, EPV_ENOMEM, "out of memory reallocating %zu bytes", size);
    return p;
}

void epv__free(epv_ctx *ctx, void *ptr)
{
    if (ptr) ctx->alloc.free_fn(ptr, ctx->alloc.payload);
}

char *epv__strdup(epv_ctx *ctx, const char *s)
{
    if (!s) return NULL;
    size_t n = strlen(s) + 1;
    char *d = epv__malloc(ctx, n);
    if (d) memcpy(d, s, n);
    return d;
}

int epv__grow(epv_ctx *ctx, void **arr, size_t *cap, size_t need, size_t elsize)
{
    if (need <= *cap) return EPV_OK;
    size_t ncap = *cap ? *cap : 8;
    while (ncap < need) {
        if (ncap > SIZE_MAX / 2 / elsize)
            return epv__error(ctx, EPV_ENOMEM, "array of %zu elements too large", need);
        ncap *= 2;
    }
    void *p = epv__realloc(ctx, *arr, ncap * elsize);
    if (!p) return EPV_ENOMEM;
    *arr = p;
    *cap = ncap;
    return EPV_OK;
}

/* ---- checks ------------------------------------------------------------------------ */

int epv__check_finite(epv_ctx *ctx, double v, const char *field)
{
    if (!isfinite(v)) return epv__error(ctx, EPV_ERANGE, "%s: value is not a finite number", field);
    return EPV_OK;
}

int epv__check_nonneg(epv_ctx *ctx, double v, const char *field)
{
    if (!isfinite(v)) return epv__error(ctx, EPV_ERANGE, "%s: value is not a finite number", field);
    if (v < 0) return epv__error(ctx, EPV_ERANGE, "%s: %g is negative", field, v);
    return EPV_OK;
}

int epv__check_positive(epv_ctx *ctx, double v, const char *field)
{
    if (!isfinite(v)) return epv__error(ctx, EPV_ERANGE, "%s: value is not a finite number", field);
    if (v <= 0) return epv__error(ctx, EPV_ERANGE, "%s: %g must be greater than zero", field, v);
    return EPV_OK;
}

static int is_ascii_number_char(char c)
{
    return (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E';
}

int epv__parse_double(const char *text, double *out)
{
    if (!text || !*text) return EPV_EPARSE;
    /* strtod accepts "nan", "inf", hex and leading spaces; input files may not. */
    for (const char *p = text; *p; p++)
        if (!is_ascii_number_char(*p)) return EPV_EPARSE;
    errno = 0;
    char *end = NULL;
    double v = strtod_l(text, &end, get_c_locale()); /* '.' decimals under any LC_NUMERIC */
    if (end == text || *end != '\0' || errno == ERANGE || !isfinite(v)) return EPV_EPARSE;
    *out = v;
    return EPV_OK;
}

uint64_t epv__hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a, 64-bit offset basis and prime */
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

int epv__parse_i64(const char *text, int64_t *out)
{
    if (!text || !*text) return EPV_EPARSE;
    const char *p = text;
    if (*p == '-' || *p == '+') p++;
    if (!*p) return EPV_EPARSE;
    for (const char *q = p; *q; q++)
        if (*q < '0' || *q > '9') return EPV_EPARSE;
    errno = 0;
    char *end = NULL;
    long long v = strtoll(text, &end, 10);
    if (*end != '\0' || errno == ERANGE) return EPV_EPARSE;
    *out = (int64_t)v;
    return EPV_OK;
}

/* ---- dates ------------------------------------------------------------------------- */

static int is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

EPV_API int epv_date_valid(epv_date d)
{
    static const int mdays[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    if (d.year < 1 || d.year > 9999 || d.month < 1 || d.month > 12 || d.day < 1) return 0;
    int m = mdays[d.month - 1] + (d.month == 2 && is_leap(d.year));
    return d.day <= m;
}

/* Days from civil date, after the well-known era/day-of-era decomposition
 * (400-year eras of 146097 days; March-based years so the leap day falls last). */
EPV_API epv_i64 epv_date_to_days(epv_date d)
{
    epv_i64 y = d.year - (d.month <= 2);
    epv_i64 era = (y >= 0 ? y : y - 399) / 400;
    epv_i64 yoe = y - era * 400;
    epv_i64 mp = (d.month + 9) % 12;
    epv_i64 doy = (153 * mp + 2) / 5 + d.day - 1;
    epv_i64 doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

EPV_API int epv_date_parse(epv_ctx *ctx, const char *text, epv_date *out)
{
    if (!text || !out) return epv__error(ctx, EPV_EINVAL, "date: NULL argument");
    if (strlen(text) != 10 || text[4] != '-' || text[7] != '-')
        return epv__error(ctx, EPV_EPARSE, "date: '%.40s' is not YYYY-MM-DD", text);
    int v[3] = { 0, 0, 0 }, idx[3][2] = { { 0, 4 }, { 5, 2 }, { 8, 2 } };
    for (int f = 0; f < 3; f++)
        for (int i = 0; i < idx[f][1]; i++) {
            char c = text[idx[f][0] + i];
            if (c < '0' || c > '9')
                return epv__error(ctx, EPV_EPARSE, "date: '%.40s' is not YYYY-MM-DD", text);
            v[f] = v[f] * 10 + (c - '0');
        }
    epv_date d = { v[0], v[1], v[2] };
    if (!epv_date_valid(d)) return epv__error(ctx, EPV_ERANGE, "date: '%s' does not exist", text);
    *out = d;
    return EPV_OK;
}

EPV_API int epv_date_format(epv_date d, char *buf, size_t bufsize)
{
    if (!buf || bufsize < 11 || !epv_date_valid(d)) return EPV_EINVAL;
    snprintf(buf, bufsize, "%04d-%02d-%02d", d.year, d.month, d.day);
    return EPV_OK;
}

/* ---- threads ----------------------------------------------------------------------- */

struct worker_arg {
    size_t begin, end;
    int worker, status;
    epv__range_fn fn;
    void *payload;
};

static void *worker_main(void *p)
{
    struct worker_arg *a = p;
    a->status = a->fn(a->begin, a->end, a->worker, a->payload);
    return NULL;
}

int epv__parallel_for(epv_ctx *ctx, size_t n, int nworkers, epv__range_fn fn, void *payload)
{
    if (nworkers < 1) nworkers = 1;
    if ((size_t)nworkers > n) nworkers = n ? (int)n : 1;
    if (nworkers == 1) return fn(0, n, 0, payload);
    struct worker_arg *args = epv__calloc(ctx, (size_t)nworkers, sizeof *args);
    pthread_t *tids = epv__calloc(ctx, (size_t)nworkers, sizeof *tids);
    unsigned char *created = epv__calloc(ctx, (size_t)nworkers, 1);
    if (!args || !tids || !created) {
        epv__free(ctx, args);
        epv__free(ctx, tids);
        epv__free(ctx, created);
        return EPV_ENOMEM;
    }
    for (int w = 0; w < nworkers; w++) {
        args[w].begin = n * (size_t)w / (size_t)nworkers;
        args[w].end = n * (size_t)(w + 1) / (size_t)nworkers;
        args[w].worker = w;
        args[w].fn = fn;
        args[w].payload = payload;
    }
    /* Worker 0 runs on the calling thread; a worker whose thread cannot be started runs
     * here too, so the result never depends on how many threads the system grants. */
    for (int w = 1; w < nworkers; w++)
        created[w] = pthread_create(&tids[w], NULL, worker_main, &args[w]) == 0;
    args[0].status = fn(args[0].begin, args[0].end, 0, payload);
    for (int w = 1; w < nworkers; w++) {
        if (created[w]) pthread_join(tids[w], NULL);
        else args[w].status = fn(args[w].begin, args[w].end, w, payload);
    }
    int status = EPV_OK;
    for (int w = 0; w < nworkers && status == EPV_OK; w++) status = args[w].status;
    epv__free(ctx, args);
    epv__free(ctx, tids);
    epv__free(ctx, created);
    return status;
}
