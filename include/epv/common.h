/* SPDX-License-Identifier: GPL-3.0-or-later */
/**
 * @file epv/common.h
 * @brief Version query, status codes, the library context and shared value types.
 *
 * Every libepv function that can fail returns an `int`: 0 (::EPV_OK) on success or one of
 * the negative `EPV_E*` codes below. Codes have fixed values and are only ever appended.
 * The human-readable detail (which file, line or field) is kept on the ::epv_ctx passed
 * to the call and read with epv_ctx_errmsg().
 *
 * Threads: an ::epv_ctx is not thread-safe; use one per thread. Objects created with a
 * context keep a pointer to it, so the context must outlive them. Reference tables that a
 * function documents as read-only may be shared between threads.
 *
 * This header is C89-clean so that any binding generator can read it.
 */
#ifndef EPV_COMMON_H
#define EPV_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include "epv/version.h"

/** Signed 64-bit integer used for counts, serial numbers and dates. */
typedef int64_t epv_i64;
/** Unsigned 64-bit integer used for seeds. */
typedef uint64_t epv_u64;

/** Marks a function exported from the shared library. */
#if defined(EPV_BUILDING) && defined(__GNUC__)
#define EPV_API __attribute__((visibility("default")))
#else
#define EPV_API
#endif

#ifdef __cplusplus
extern "C" {
#endif

/** Status codes. Fixed values; new codes are only ever appended. */
enum epv_status {
    EPV_OK = 0,            /**< success */
    EPV_EINVAL = -1,       /**< invalid argument (NULL pointer, NaN, bad enum value) */
    EPV_ENOMEM = -2,       /**< out of memory */
    EPV_EIO = -3,          /**< file could not be read or written */
    EPV_EPARSE = -4,       /**< malformed input (not well-formed XML, bad number, bad CSV) */
    EPV_ESCHEMA = -5,      /**< input does not validate against its schema */
    EPV_ENOTFOUND = -6,    /**< unknown key (species, indicator, account, serial...) */
    EPV_ERANGE = -7,       /**< value outside its allowed range (negative area, age...) */
    EPV_ENOCONV = -8,      /**< an iterative method did not converge */
    EPV_EDOMAIN = -9,      /**< a model left its domain (e.g. a growth curve went negative) */
    EPV_EEXISTS = -10,     /**< key already exists */
    EPV_ESTATE = -11,      /**< operation not allowed in the object's current state */
    EPV_ECORRUPT = -12,    /**< stored data failed an integrity check (hash chain, totals) */
    EPV_EUNITS = -13,      /**< units do not match */
    EPV_ITEROVER = -14,    /**< an iterator has no more items (not an error) */
    EPV_ESINGULAR = -15,   /**< data cannot determine the model (singular, too few points) */
    EPV_EBALANCE = -16,    /**< not enough units held for the operation */
    EPV_EBUSY = -17,       /**< the store is locked by another writer */
    EPV_EREADONLY = -18,   /**< the store is read-only */
    EPV_ENOSPACE = -19,    /**< disk full */
    EPV_EUNSUPPORTED = -20, /**< feature or file version not supported */
    EPV_ECANCELLED = -21,  /**< the progress callback asked to stop; nothing was changed */
    EPV_ECALLBACK = -22,   /**< a caller-supplied callback reported a failure */
    EPV_EVERSION = -23     /**< a versioned struct carries a version this library does not know */
};

/** Largest error-message length kept by a context, including the terminating NUL. */
#define EPV_ERRMSG_MAX 512

/** Opaque library context: last error, allocator, random seed, thread count. */
typedef struct epv_ctx epv_ctx;

/**
 * Progress and cancellation, one type for every long operation (ledger open and verification,
 * imports, Monte Carlo runs, spatial runs). Set it on the context with epv_ctx_set_progress().
 * @param fraction how much is done, 0..1, never decreasing within one operation.
 * @param message short UTF-8 text naming the current step (never NULL, may be "").
 * @param payload the pointer given to epv_ctx_set_progress().
 * @return 0 to go on; any other value cancels: the operation undoes what it had begun and
 *         returns ::EPV_ECANCELLED, leaving nothing half-done.
 * Called only from the thread that called the library function, never from a worker.
 */
typedef int (*epv_progress_fn)(double fraction, const char *message, void *payload);

/** Version of ::epv_allocator this header describes. */
#define EPV_ALLOCATOR_VERSION 1
/** Allocator hooks. All three must be set; `payload` is passed back last. */
typedef struct epv_allocator {
    unsigned int version; /**< ::EPV_ALLOCATOR_VERSION */
    /** Allocate `size` bytes like malloc(); NULL on failure. Required. */
    void *(*malloc_fn)(size_t size, void *payload);
    /** Resize `ptr` to `size` bytes like realloc(); NULL on failure (`ptr` kept). Required. */
    void *(*realloc_fn)(void *ptr, size_t size, void *payload);
    /** Release memory from malloc_fn/realloc_fn like free(). Required. */
    void (*free_fn)(void *ptr, void *payload);
    /** Caller's pointer passed back as the hooks' last argument; may be NULL; not owned. */
    void *payload;
} epv_allocator;
/** Initialiser of ::epv_allocator: the version set, every hook NULL. */
#define EPV_ALLOCATOR_INIT { EPV_ALLOCATOR_VERSION, NULL, NULL, NULL, NULL }

/**
 * Library version as "major.minor.patch" (of the library actually linked).
 * @return a static string owned by the library; never NULL.
 */
EPV_API const char *epv_version(void);
/**
 * Library version as a number (of the library actually linked).
 * @return major*10000 + minor*100 + patch.
 */
EPV_API int epv_version_number(void);

/**
 * Short English description of a status code.
 * @param status an ::epv_status value (or any int: unknown codes get a generic text).
 * @return a static string owned by the library; never NULL.
 */
EPV_API const char *epv_strerror(int status);

/**
 * Create a context with the system allocator, seed 0 and one thread.
 * @param[out] out receives the new context; set to NULL on failure.
 * @return ::EPV_OK or ::EPV_ENOMEM / ::EPV_EINVAL.
 */
EPV_API int epv_ctx_new(epv_ctx **out);
/**
 * Initialise an ::epv_allocator for `version` (function twin of ::EPV_ALLOCATOR_INIT).
 * @param ctx may be NULL; receives the message of an error.
 * @param[out] alloc struct to initialise; must not be NULL.
 * @param version the struct version the caller was built with (::EPV_ALLOCATOR_VERSION).
 * @return ::EPV_OK, ::EPV_EINVAL (NULL), ::EPV_EVERSION naming the struct and both versions.
 */
EPV_API int epv_allocator_init(epv_ctx *ctx, epv_allocator *alloc, unsigned int version);
/**
 * Create a context using the given allocator, seed 0 and one thread.
 * @param[out] out receives the new context (free with epv_ctx_free()); set to NULL on failure.
 *            Must not be NULL.
 * @param alloc hooks to use for every allocation of the context; copied, so it need not
 *              outlive the call. Must not be NULL and all three hooks must be set.
 * @return ::EPV_OK; ::EPV_EINVAL (NULL `out`, `alloc` or hook), ::EPV_EVERSION (version of
 *         `alloc` unknown), ::EPV_ENOMEM. No message is available (there is no context).
 */
EPV_API int epv_ctx_new_with_allocator(epv_ctx **out, const epv_allocator *alloc);
/**
 * Free a context with the allocator it was created with.
 * @param ctx the context; NULL is a no-op. Objects created with it must be freed first.
 */
EPV_API void epv_ctx_free(epv_ctx *ctx);
/**
 * Message of the last error set on this context.
 * @param ctx the context; may be NULL (then "").
 * @return the message, "" if none; owned by the context, valid until the next call with it.
 */
EPV_API const char *epv_ctx_errmsg(const epv_ctx *ctx);
/**
 * Status code of the last error set on this context.
 * @param ctx the context; may be NULL.
 * @return the code (0 if none); ::EPV_EINVAL for a NULL `ctx`.
 */
EPV_API int epv_ctx_errcode(const epv_ctx *ctx);
/**
 * Forget the last error (message "" and code 0).
 * @param ctx the context; NULL is a no-op.
 */
EPV_API void epv_ctx_clear_error(epv_ctx *ctx);
/**
 * Seed for every random stream derived from this context (Monte Carlo).
 * @param ctx the context; must not be NULL.
 * @param seed any 64-bit value; the same seed gives the same draws.
 * @return ::EPV_OK, ::EPV_EINVAL (NULL `ctx`).
 */
EPV_API int epv_ctx_set_seed(epv_ctx *ctx, epv_u64 seed);
/**
 * The context's seed.
 * @param ctx the context; may be NULL (then 0).
 * @return the seed set by epv_ctx_set_seed() (0 by default).
 */
EPV_API epv_u64 epv_ctx_seed(const epv_ctx *ctx);
/**
 * Number of worker threads computations may use (1..256; 0 means "number of online CPUs").
 * Results never depend on this number. With more than one, the context's allocator
 * (epv_ctx_new_with_allocator()) is also called from the worker threads, so it must be
 * thread-safe.
 * @param ctx the context; must not be NULL.
 * @param nthreads 1..256, or 0 for the number of online CPUs (capped at 256).
 * @return ::EPV_OK, ::EPV_EINVAL (NULL `ctx`), ::EPV_ERANGE (outside 0..256; nothing changed).
 */
EPV_API int epv_ctx_set_threads(epv_ctx *ctx, int nthreads);
/**
 * Number of worker threads in use.
 * @param ctx the context; may be NULL (then 1).
 * @return the resolved number, >= 1.
 */
EPV_API int epv_ctx_threads(const epv_ctx *ctx);
/**
 * Report progress of long operations run with this context to `fn` (NULL: no reports).
 * @param ctx the context; must not be NULL.
 * @param fn the callback; NULL turns reports off.
 * @param payload passed back as the callback's last argument; may be NULL; not owned.
 * @return ::EPV_OK, ::EPV_EINVAL (NULL `ctx`).
 */
EPV_API int epv_ctx_set_progress(epv_ctx *ctx, epv_progress_fn fn, void *payload);

/** A calendar date (proleptic Gregorian). Plain value type. */
typedef struct epv_date {
    int year;  /**< 1..9999 */
    int month; /**< 1..12 */
    int day;   /**< 1..31, valid for the month */
} epv_date;

/**
 * Whether a date exists in the proleptic Gregorian calendar (years 1..9999).
 * @param d the date.
 * @return 1 if it exists, 0 otherwise.
 */
EPV_API int epv_date_valid(epv_date d);
/**
 * Days since 1970-01-01.
 * @param d a valid date (check with epv_date_valid() first: undefined otherwise).
 * @return the number of days, negative before 1970-01-01.
 */
EPV_API epv_i64 epv_date_to_days(epv_date d);
/**
 * Parse "YYYY-MM-DD" strictly (exactly 10 characters, ASCII digits only, no spaces).
 * @param ctx may be NULL; receives the message of an error.
 * @param text NUL-terminated text; must not be NULL.
 * @param[out] out receives the date; must not be NULL; written only on success.
 * @return ::EPV_OK, ::EPV_EINVAL (NULL), ::EPV_EPARSE (not YYYY-MM-DD), ::EPV_ERANGE (a date
 *         that does not exist, e.g. 2023-02-29).
 */
EPV_API int epv_date_parse(epv_ctx *ctx, const char *text, epv_date *out);
/**
 * Format a date as "YYYY-MM-DD".
 * @param d a valid date.
 * @param[out] buf receives the NUL-terminated text; must not be NULL.
 * @param bufsize size of `buf` in bytes, at least 11.
 * @return ::EPV_OK, ::EPV_EINVAL (NULL `buf`, `bufsize` < 11 or an invalid date; nothing
 *         written).
 */
EPV_API int epv_date_format(epv_date d, char *buf, size_t bufsize);

#ifdef __cplusplus
}
#endif
#endif /* EPV_COMMON_H */
