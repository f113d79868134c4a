/* SPDX-License-Identifier: GPL-3.0-or-later */
/**
 * @file epv/mc.h
 * @brief IPCC Approach 2: Monte Carlo over any model given as a callback.
 *
 * Nothing here knows about forests or GEP: the same code serves the sink and GEP modules
 * and user programs.
 *
 * Threads: an ::epv_mc handle is not thread-safe (one thread at a time), but epv_mc_run()
 * itself uses epv_ctx_threads(ctx) worker threads and calls the model callback
 * concurrently from them. Results never depend on the number of threads: random numbers
 * come from one stream per fixed-size block of iterations. Each block's stream is a
 * xoshiro256** generator whose 256-bit state is filled by SplitMix64 from a 64-bit block
 * seed that is a bijection of (seed, block), so two blocks never start from the same state
 * (doc/uncertainty.md, "Random streams").
 */
#ifndef EPV_MC_H
#define EPV_MC_H

#include "epv/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Input distribution families. Values fixed. */
typedef enum epv_mc_dist_type {
    EPV_MC_DIST_NORMAL = 1,        /**< a = mean, b = sd (> 0) */
    EPV_MC_DIST_LOGNORMAL = 2,     /**< a = mean, b = sd of the variable itself (a > 0, b > 0) */
    EPV_MC_DIST_LOGNORMAL_LOG = 3, /**< a = mu, b = sigma of ln(variable) (b > 0) */
    EPV_MC_DIST_UNIFORM = 4,       /**< a = lower, b = upper (a < b) */
    EPV_MC_DIST_TRIANGULAR = 5,    /**< a = lower, b = mode, c = upper (a <= b <= c, a < c) */
    EPV_MC_DIST_TRUNC_NORMAL = 6,  /**< a = mean, b = sd of the parent normal, c = lower,
                                     d = upper bound (c < d; -HUGE_VAL/HUGE_VAL for none) */
    EPV_MC_DIST_CONSTANT = 7       /**< a = value (no uncertainty) */
} epv_mc_dist_type;

/** Version of ::epv_mc_dist this header describes. */
#define EPV_MC_DIST_VERSION 1
/** An input distribution; the meaning of a..d depends on `type`. */
typedef struct epv_mc_dist {
    unsigned int version;  /**< ::EPV_MC_DIST_VERSION */
    epv_mc_dist_type type; /**< the family */
    double a;              /**< first parameter (see ::epv_mc_dist_type) */
    double b;              /**< second parameter */
    double c;              /**< third parameter */
    double d;              /**< fourth parameter */
} epv_mc_dist;
/** Initialiser of ::epv_mc_dist: a constant 0. */
#define EPV_MC_DIST_INIT { EPV_MC_DIST_VERSION, EPV_MC_DIST_CONSTANT, 0.0, 0.0, 0.0, 0.0 }
/**
 * Function twin of ::EPV_MC_DIST_INIT; ::EPV_EVERSION for an unknown version.
 * @param ctx may be NULL; receives the message of an error.
 * @param[out] x the struct to initialise (every field to its documented default);
 *            must not be NULL.
 * @param version the struct version the caller was built with (::EPV_MC_DIST_VERSION).
 * @return ::EPV_OK, ::EPV_EINVAL (NULL `x`), ::EPV_EVERSION (version 0 or newer than
 *         this library knows; nothing written).
 */
EPV_API int epv_mc_dist_init(epv_ctx *ctx, epv_mc_dist *x, unsigned int version);

/** Flags for epv_mc_add_input(). */
#define EPV_MC_NONNEG 1 /**< the input cannot be negative (an area, a density): a negative
                             draw, or a distribution that allows one, is an error */

/** Opaque Monte Carlo set-up and results. */
typedef struct epv_mc epv_mc;

/**
 * The model: compute n_outputs outputs from one draw of n_inputs inputs (in the order they
 * were added). Return 0 for success; any other value stops the run, which keeps no results
 * and returns ::EPV_ECALLBACK with a message naming the return value and the iteration
 * (a binding's exception is never counted as a draw). Called concurrently from several
 * threads with the same payload: it must be reentrant.
 */
typedef int (*epv_mc_model_fn)(const double *inputs, size_t n_inputs, double *outputs,
                               size_t n_outputs, void *payload);

/**
 * Create an empty set-up.
 * @param ctx the context (seed, threads, progress, allocator, messages); must not be NULL and
 *            must outlive the handle.
 * @param[out] out receives the handle (free with epv_mc_free()); must not be NULL.
 * @return ::EPV_OK, ::EPV_EINVAL (NULL), ::EPV_ENOMEM.
 */
EPV_API int epv_mc_new(epv_ctx *ctx, epv_mc **out);
/**
 * Free a handle with its inputs and results (pointers from epv_mc_column() become invalid).
 * @param mc the handle; NULL is a no-op.
 */
EPV_API void epv_mc_free(epv_mc *mc);

/**
 * A normal distribution (value constructor, the twin of a struct literal; version set).
 * @param mean the mean, unit of the input.
 * @param sd the standard deviation, same unit (> 0).
 * @return the distribution, version set; parameters are checked by epv_mc_add_input().
 */
EPV_API epv_mc_dist epv_mc_dist_normal(double mean, double sd);
/**
 * A lognormal distribution given the mean and sd of the variable itself.
 * @param mean mean of the variable (> 0).
 * @param sd standard deviation of the variable (> 0), same unit.
 * @return the distribution, version set; parameters are checked by epv_mc_add_input().
 */
EPV_API epv_mc_dist epv_mc_dist_lognormal(double mean, double sd);
/**
 * A lognormal distribution given mu and sigma of ln(variable).
 * @param mu mean of ln(variable).
 * @param sigma standard deviation of ln(variable) (> 0).
 * @return the distribution, version set; parameters are checked by epv_mc_add_input().
 */
EPV_API epv_mc_dist epv_mc_dist_lognormal_log(double mu, double sigma);
/**
 * A uniform distribution on [lower, upper].
 * @param lower lower bound.
 * @param upper upper bound (> lower).
 * @return the distribution, version set; parameters are checked by epv_mc_add_input().
 */
EPV_API epv_mc_dist epv_mc_dist_uniform(double lower, double upper);
/**
 * A triangular distribution.
 * @param lower lower bound.
 * @param mode most likely value (lower <= mode <= upper).
 * @param upper upper bound (> lower).
 * @return the distribution, version set; parameters are checked by epv_mc_add_input().
 */
EPV_API epv_mc_dist epv_mc_dist_triangular(double lower, double mode, double upper);
/**
 * A normal truncated to [lower, upper].
 * @param mean mean of the parent normal.
 * @param sd standard deviation of the parent normal (> 0).
 * @param lower lower bound, or -HUGE_VAL for none.
 * @param upper upper bound (> lower), or HUGE_VAL for none.
 * @return the distribution, version set; parameters are checked by epv_mc_add_input().
 */
EPV_API epv_mc_dist epv_mc_dist_trunc_normal(double mean, double sd, double lower, double upper);
/**
 * A constant (no uncertainty).
 * @param value the value every draw takes.
 * @return the distribution, version set; parameters are checked by epv_mc_add_input().
 */
EPV_API epv_mc_dist epv_mc_dist_constant(double value);

/**
 * Add an input. `name` (UTF-8, copied) appears in error messages. flags: 0 or
 * ::EPV_MC_NONNEG. With ::EPV_MC_NONNEG a uniform, triangular, truncated normal or constant
 * whose support reaches below zero is refused at once (::EPV_ERANGE); a normal is accepted,
 * and a negative draw then fails the run (::EPV_EDOMAIN) naming the input and iteration.
 * @param mc the handle; must not be NULL (::EPV_EINVAL, no message). Errors are reported on
 *           the handle's context.
 * @param name input name (UTF-8, copied); must not be NULL.
 * @param dist versioned distribution (copied); must not be NULL.
 * @param flags 0 or ::EPV_MC_NONNEG (other bits: ::EPV_EINVAL).
 * @param[out] index receives the input's index (may be NULL).
 * @return ::EPV_OK, ::EPV_EINVAL, ::EPV_EVERSION, ::EPV_ERANGE (bad parameter, named),
 * ::EPV_ENOMEM. Adding an input discards the results of an earlier run.
 */
EPV_API int epv_mc_add_input(epv_mc *mc, const char *name, const epv_mc_dist *dist, int flags,
                             size_t *index);

/**
 * Add k jointly normal inputs with a mean vector and a k×k covariance matrix (row-major),
 * e.g. a growth curve's fitted (a, b, c) with the covariance from the fit. Names are
 * "<prefix>[0]", "<prefix>[1]"...
 * @param mc the handle; must not be NULL (::EPV_EINVAL, no message). Errors are reported on
 *           the handle's context.
 * @param prefix name prefix (UTF-8); must not be NULL.
 * @param k number of inputs, >= 1.
 * @param mean k means; must not be NULL.
 * @param cov k×k covariance matrix, row-major (variances > 0); must not be NULL.
 * @param flags 0 or ::EPV_MC_NONNEG, applied to each of the k inputs.
 * @param[out] first_index receives the index of the first of the k inputs (they are
 *             consecutive); may be NULL.
 * @return ::EPV_OK, ::EPV_EINVAL (NULL, k == 0), ::EPV_ERANGE (a variance not positive),
 *         ::EPV_EDOMAIN if the covariance is not symmetric positive definite, ::EPV_ENOMEM.
 */
EPV_API int epv_mc_add_mvnormal(epv_mc *mc, const char *prefix, size_t k, const double *mean,
                                const double *cov, int flags, size_t *first_index);

/**
 * Correlate k existing inputs (indices `idx`) with a k×k correlation matrix (row-major,
 * unit diagonal, symmetric, positive definite). Draws are correlated through a Gaussian
 * copula: correlated standard normals are mapped to each input's own distribution, so the
 * matrix is exact for normal inputs and for the logs of lognormal ones, and approximate
 * (rank-preserving) for the others. An input belongs to at most one correlated group.
 * @param mc the handle; must not be NULL (::EPV_EINVAL, no message). Errors are reported on
 *           the handle's context.
 * @param idx k input indices (distinct, each < epv_mc_n_inputs()); must not be NULL.
 * @param k number of inputs, >= 2.
 * @param corr k×k correlation matrix, row-major; must not be NULL.
 * @return ::EPV_OK, ::EPV_EINVAL (NULL, k < 2, an index twice), ::EPV_EDOMAIN (not positive
 *         definite), ::EPV_ERANGE (unknown index, entry outside [-1, 1], diagonal not 1, not
 *         symmetric), ::EPV_EEXISTS (input already in a group), ::EPV_ENOMEM.
 */
EPV_API int epv_mc_set_correlation(epv_mc *mc, const size_t *idx, size_t k, const double *corr);

/**
 * Number of inputs added so far.
 * @param mc the handle; may be NULL (then 0).
 * @return the number of inputs (a multivariate normal counts k).
 */
EPV_API size_t epv_mc_n_inputs(const epv_mc *mc);

/**
 * Run `iterations` draws through the model (iterations >= 2: one draw has no spread).
 * Results replace any earlier run's. Bit-identical for the same seed, inputs and iterations
 * whatever the thread count. Progress is reported on the handle's context (epv_ctx_set_progress)
 * from the calling thread between rounds of blocks; a non-zero return cancels.
 * All or nothing: on error or cancellation no results are kept (an earlier run's results are
 * dropped too) and the message names the input or output, and the iteration.
 * @param mc the handle; must not be NULL (::EPV_EINVAL, no message). Errors are reported on
 *           the handle's context.
 * @param iterations number of draws, >= 2.
 * @param n_outputs number of outputs the model writes per draw, >= 1.
 * @param model the model; must not be NULL; called concurrently from worker threads.
 * @param payload passed to every call of `model`; may be NULL; not owned.
 * @return ::EPV_OK; ::EPV_EINVAL (NULL model); ::EPV_ESTATE (no inputs); ::EPV_ERANGE (fewer
 *         than 2 iterations, no output, too many values); ::EPV_ECALLBACK (the model
 *         returned non-zero); ::EPV_ENOMEM; ::EPV_EDOMAIN (a non-finite output, a negative draw of a
 *         non-negative input); ::EPV_ECANCELLED (the progress callback asked to stop).
 */
EPV_API int epv_mc_run(epv_mc *mc, size_t iterations, size_t n_outputs, epv_mc_model_fn model,
                       void *payload);

/** Version of ::epv_mc_summary this header describes. */
#define EPV_MC_SUMMARY_VERSION 1
/** Summary of one output; written by the library. */
typedef struct epv_mc_summary {
    unsigned int version;  /**< ::EPV_MC_SUMMARY_VERSION */
    size_t n;              /**< iterations */
    double mean;           /**< mean of the draws */
    double sd;             /**< sample standard deviation (n - 1) */
    double min;            /**< smallest draw */
    double max;            /**< largest draw */
    double p2_5;           /**< 2.5 percentile (linear interpolation) */
    double p97_5;          /**< 97.5 percentile (linear interpolation) */
    double u_lower_pct;    /**< (mean - p2_5) / |mean| * 100 (IPCC-style, lower side) */
    double u_upper_pct;    /**< (p97_5 - mean) / |mean| * 100 */
} epv_mc_summary;
/** Initialiser of ::epv_mc_summary. */
#define EPV_MC_SUMMARY_INIT { EPV_MC_SUMMARY_VERSION, 0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0 }
/**
 * Function twin of ::EPV_MC_SUMMARY_INIT; ::EPV_EVERSION for an unknown version.
 * @param ctx may be NULL; receives the message of an error.
 * @param[out] x the struct to initialise (every field to its documented default);
 *            must not be NULL.
 * @param version the struct version the caller was built with (::EPV_MC_SUMMARY_VERSION).
 * @return ::EPV_OK, ::EPV_EINVAL (NULL `x`), ::EPV_EVERSION (version 0 or newer than
 *         this library knows; nothing written).
 */
EPV_API int epv_mc_summary_init(epv_ctx *ctx, epv_mc_summary *x, unsigned int version);

/**
 * Summary of output j after a run. ::EPV_ESTATE before a run, ::EPV_ERANGE for bad j or when
 * the mean or standard deviation of the draws overflows. When the mean is 0 (or so small that
 * the relative bounds overflow) u_lower_pct and u_upper_pct are HUGE_VAL: a caller reporting
 * U% must refuse that case (epv_sink_unc_approach2() returns ::EPV_EDOMAIN).
 * @param mc the handle; must not be NULL (::EPV_EINVAL, no message). Errors are reported on
 *           the handle's context.
 * @param output output index j, 0..n_outputs - 1 of the last run.
 * @param[out] out versioned summary (initialised by the caller); must not be NULL.
 * @return ::EPV_OK, ::EPV_EINVAL, ::EPV_EVERSION, ::EPV_ESTATE, ::EPV_ERANGE.
 */
EPV_API int epv_mc_summarize(epv_mc *mc, size_t output, epv_mc_summary *out);
/**
 * Percentiles of output j (each 0 < p < 100; linear interpolation between order statistics,
 * the same rule as NumPy's default and R's type 7).
 * @param mc the handle; must not be NULL (::EPV_EINVAL, no message). Errors are reported on
 *           the handle's context.
 * @param output output index j, 0..n_outputs - 1 of the last run.
 * @param pct n percentiles, each in (0, 100); must not be NULL.
 * @param n number of percentiles, >= 1.
 * @param[out] out n values, unit of the output; must not be NULL.
 * @return ::EPV_OK, ::EPV_EINVAL (NULL, n == 0), ::EPV_ERANGE (a percentile or j out of
 *         range), ::EPV_ESTATE (no run).
 */
EPV_API int epv_mc_percentiles(epv_mc *mc, size_t output, const double *pct, size_t n,
                               double *out);
/**
 * Histogram of output j in nbins equal bins over [lower, upper]; lower == upper == 0 means
 * [min, max] of the draws. Values outside are not counted; the last bin includes `upper`.
 * @param mc the handle; must not be NULL (::EPV_EINVAL, no message). Errors are reported on
 *           the handle's context.
 * @param output output index j, 0..n_outputs - 1 of the last run.
 * @param nbins number of bins, >= 1.
 * @param lower lower edge of the first bin, unit of the output (finite).
 * @param upper upper edge of the last bin (finite, > lower).
 * @param[out] counts nbins counts; must not be NULL.
 * @return ::EPV_OK, ::EPV_EINVAL (NULL, nbins == 0), ::EPV_ERANGE (range or j), ::EPV_ESTATE.
 */
EPV_API int epv_mc_histogram(epv_mc *mc, size_t output, size_t nbins, double lower, double upper,
                             epv_i64 *counts);
/**
 * Copy the draws of output j (in iteration order) into buf.
 * @param mc the handle; must not be NULL (::EPV_EINVAL, no message). Errors are reported on
 *           the handle's context.
 * @param output output index j, 0..n_outputs - 1 of the last run.
 * @param[out] buf receives the draws; must not be NULL.
 * @param bufsize number of doubles `buf` holds, at least the run's iterations.
 * @return ::EPV_OK, ::EPV_EINVAL (NULL), ::EPV_ESTATE (no run), ::EPV_ERANGE (j or bufsize).
 */
EPV_API int epv_mc_samples(epv_mc *mc, size_t output, double *buf, size_t bufsize);
/**
 * The draws of output j in iteration order, without a copy.
 * @param mc the handle; must not be NULL (::EPV_EINVAL, no message). Errors are reported on
 *           the handle's context.
 * @param output output index j, 0..n_outputs - 1 of the last run.
 * @param[out] values receives a pointer owned by the handle, valid until the next
 *             epv_mc_run(), epv_mc_add_input() (or another change of inputs) or epv_mc_free().
 * @param[out] n receives the number of draws.
 * @return ::EPV_OK, ::EPV_EINVAL (NULL), ::EPV_ESTATE (no run), ::EPV_ERANGE (bad j).
 */
EPV_API int epv_mc_column(epv_mc *mc, size_t output, const double **values, size_t *n);

/**
 * Write a histogram of output j as an SVG bar chart (UTF-8 text) at `path`.
 * @param mc the handle; must not be NULL (::EPV_EINVAL, no message). Errors are reported on
 *           the handle's context.
 * @param output output index j, 0..n_outputs - 1 of the last run.
 * @param nbins number of bars, 1..10000.
 * @param title chart title (may be NULL).
 * @param unit axis label (may be NULL).
 * @param scale every value is shown as value * scale (e.g. 1e-4 / years to show a total in t
 *        as 万 t a year, the basis a program prints beside it); 1 shows the draws as they are.
 *        Must be positive and finite.
 * @param path file to write (through a temporary file renamed into place); must not be NULL.
 * @return ::EPV_OK, ::EPV_EINVAL (NULL, bad scale), ::EPV_ESTATE (no run), ::EPV_ERANGE
 *         (j or nbins), ::EPV_EIO, ::EPV_ENOMEM.
 */
EPV_API int epv_mc_write_histogram_svg(epv_mc *mc, size_t output, size_t nbins, const char *title,
                                       const char *unit, double scale, const char *path);

#ifdef __cplusplus
}
#endif
#endif /* EPV_MC_H */
