/* SPDX-License-Identifier: GPL-3.0-or-later */
/**
 * @file epv/uncertainty.h
 * @brief Uncertainty of any result: IPCC Approach 1 (propagation), Approach 2 (Monte Carlo
 *        over a user model), and sampling design for monitoring plots (CDM AR-Tool03 form).
 *
 * Conventions
 *  - An uncertainty "U%" is the half-width of the 95% confidence interval expressed as a
 *    percentage of the estimate (IPCC 2006 Vol. 1 ch. 3), e.g. 10 for ±10%.
 *  - Nothing here knows about forests or GEP: Approach 2 runs any model given as a callback,
 *    so the same code serves the sink and GEP modules and user programs.
 *
 * Threads: the Approach 1 and sampling functions are reentrant. An ::epv_mc handle is not
 * thread-safe (one thread at a time), but epv_mc_run() itself uses epv_ctx_threads(ctx)
 * worker threads and calls the model callback concurrently from them. Results never depend
 * on the number of threads: random numbers come from one GSL stream per fixed-size block of
 * iterations, seeded from epv_ctx_seed(ctx) and the block number.
 */
#ifndef EPV_UNCERTAINTY_H
#define EPV_UNCERTAINTY_H

#include "epv/common.h"
#include "epv/unc.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------------------------ */
/* Approach 1: error propagation (IPCC 2006 Vol. 1 ch. 3, Eq. 3.1 and 3.2)                      */
/* ------------------------------------------------------------------------------------------ */

/**
 * Combined U% of a product of uncorrelated quantities (IPCC 2006 Vol. 1 Eq. 3.1):
 * U = sqrt(sum U_i^2). Valid for U_i below about 60% (the Guidelines' own caveat); use
 * Approach 2 beyond that. (Threshold recalled from the text, sd/mean < 0.3; not re-checked.)
 * @param u_pct n uncertainties in percent (finite, >= 0).
 * @param[out] out_u_pct combined uncertainty, percent.
 * @return ::EPV_OK, ::EPV_EINVAL (NULL, n == 0), ::EPV_ERANGE naming the index "u_pct[i]".
 */
EPV_API int epv_unc_product(epv_ctx *ctx, const double *u_pct, size_t n, double *out_u_pct);

/**
 * Combined U% of a sum (or difference: give negative values) of uncorrelated quantities
 * (IPCC 2006 Vol. 1 Eq. 3.2): U = sqrt(sum (U_i x_i)^2) / |sum x_i|.
 * @param values n estimates x_i (finite; any sign).
 * @param u_pct n uncertainties in percent of |x_i| (finite, >= 0).
 * @return ::EPV_OK, ::EPV_EINVAL, ::EPV_ERANGE naming the index, ::EPV_EDOMAIN if the sum is 0.
 */
EPV_API int epv_unc_sum(epv_ctx *ctx, const double *values, const double *u_pct, size_t n,
                        double *out_u_pct);

/**
 * Asymmetric ranges: Eq. 3.1 applied separately to the lower and to the upper percentages
 * (lower = how far below the estimate the 2.5 percentile lies, in % of the estimate).
 * This separate-bounds reading is an approximation documented in doc/uncertainty.md; for
 * strongly skewed inputs Approach 2 is the method the Guidelines recommend.
 */
EPV_API int epv_unc_product_asym(epv_ctx *ctx, const double *u_lower_pct,
                                 const double *u_upper_pct, size_t n, double *out_lower_pct,
                                 double *out_upper_pct);
/** Asymmetric ranges for sums: Eq. 3.2 applied separately to the lower and upper bounds. */
EPV_API int epv_unc_sum_asym(epv_ctx *ctx, const double *values, const double *u_lower_pct,
                             const double *u_upper_pct, size_t n, double *out_lower_pct,
                             double *out_upper_pct);

/**
 * U% of a normally distributed estimate: z * sd / |mean| * 100, z the two-sided normal
 * quantile for `confidence` (0 < confidence < 1; 0.95 gives z = 1.959964).
 */
EPV_API int epv_unc_from_sd(epv_ctx *ctx, double mean, double sd, double confidence,
                            double *out_u_pct);

/* ------------------------------------------------------------------------------------------ */
/* Approach 2: Monte Carlo                                                                      */
/* ------------------------------------------------------------------------------------------ */

/** Input distribution families. Values fixed. */
typedef enum epv_mc_dist_type {
    EPV_DIST_NORMAL = 1,        /**< a = mean, b = sd (> 0) */
    EPV_DIST_LOGNORMAL = 2,     /**< a = mean, b = sd of the variable itself (a > 0, b > 0) */
    EPV_DIST_LOGNORMAL_LOG = 3, /**< a = mu, b = sigma of ln(variable) (b > 0) */
    EPV_DIST_UNIFORM = 4,       /**< a = lower, b = upper (a < b) */
    EPV_DIST_TRIANGULAR = 5,    /**< a = lower, b = mode, c = upper (a <= b <= c, a < c) */
    EPV_DIST_TRUNC_NORMAL = 6,  /**< a = mean, b = sd of the parent normal, c = lower,
                                     d = upper bound (c < d; -HUGE_VAL/HUGE_VAL for none) */
    EPV_DIST_CONSTANT = 7       /**< a = value (no uncertainty) */
} epv_mc_dist_type;

/** An input distribution. Plain value type; the meaning of a..d depends on `type`. */
typedef struct epv_mc_dist {
    epv_mc_dist_type type;
    double a, b, c, d;
} epv_mc_dist;

/** Flags for epv_mc_add_input(). */
#define EPV_MC_NONNEG 1 /**< the input cannot be negative (an area, a density): a negative
                             draw, or a distribution that allows one, is an error */

/** Opaque Monte Carlo set-up and results. */
typedef struct epv_mc epv_mc;

/**
 * The model: compute n_outputs outputs from one draw of n_inputs inputs (in the order they
 * were added). Return 0, or a negative ::epv_status to stop the run (that status is
 * returned by epv_mc_run()). Called concurrently from several threads with the same
 * payload: it must be reentrant.
 */
typedef int (*epv_mc_model_fn)(const double *inputs, size_t n_inputs, double *outputs,
                               size_t n_outputs, void *payload);

/** Create an empty set-up. The context must outlive the handle. */
EPV_API int epv_mc_new(epv_ctx *ctx, epv_mc **out);
/** Free. NULL is a no-op. */
EPV_API void epv_mc_free(epv_mc *mc);

/** Value constructors (function twins of struct literals, for bindings). */
EPV_API epv_mc_dist epv_mc_dist_normal(double mean, double sd);
EPV_API epv_mc_dist epv_mc_dist_lognormal(double mean, double sd);
EPV_API epv_mc_dist epv_mc_dist_lognormal_log(double mu, double sigma);
EPV_API epv_mc_dist epv_mc_dist_uniform(double lower, double upper);
EPV_API epv_mc_dist epv_mc_dist_triangular(double lower, double mode, double upper);
EPV_API epv_mc_dist epv_mc_dist_trunc_normal(double mean, double sd, double lower, double upper);
EPV_API epv_mc_dist epv_mc_dist_constant(double value);

/**
 * Add an input. `name` (UTF-8, copied) appears in error messages. flags: 0 or
 * ::EPV_MC_NONNEG. With ::EPV_MC_NONNEG a uniform, triangular, truncated normal or constant
 * whose support reaches below zero is refused at once (::EPV_ERANGE); a normal is accepted,
 * and a negative draw then fails the run (::EPV_EDOMAIN) naming the input and iteration.
 * @param[out] index receives the input's index (may be NULL).
 * @return ::EPV_OK, ::EPV_EINVAL, ::EPV_ERANGE (bad parameter, named). Adding an input
 * discards the results of an earlier run.
 */
EPV_API int epv_mc_add_input(epv_mc *mc, const char *name, const epv_mc_dist *dist, int flags,
                             size_t *index);

/**
 * Add k jointly normal inputs with a mean vector and a k×k covariance matrix (row-major),
 * e.g. a growth curve's fitted (a, b, c) with the covariance from the fit. Names are
 * "<prefix>[0]", "<prefix>[1]"...
 * @return ::EPV_EDOMAIN if the covariance is not symmetric positive definite.
 */
EPV_API int epv_mc_add_mvnormal(epv_mc *mc, const char *prefix, size_t k, const double *mean,
                                const double *cov, int flags, size_t *first_index);

/**
 * Correlate k existing inputs (indices `idx`) with a k×k correlation matrix (row-major,
 * unit diagonal, symmetric, positive definite). Draws are correlated through a Gaussian
 * copula: correlated standard normals are mapped to each input's own distribution, so the
 * matrix is exact for normal inputs and for the logs of lognormal ones, and approximate
 * (rank-preserving) for the others. An input belongs to at most one correlated group.
 * @return ::EPV_EDOMAIN (not positive definite), ::EPV_ERANGE (entry outside [-1, 1],
 *         diagonal not 1, not symmetric), ::EPV_EEXISTS (input already in a group).
 */
EPV_API int epv_mc_set_correlation(epv_mc *mc, const size_t *idx, size_t k, const double *corr);

/** Number of inputs added so far. */
EPV_API size_t epv_mc_n_inputs(const epv_mc *mc);

/**
 * Run `iterations` draws through the model (iterations >= 1). Results replace any earlier
 * run's. Bit-identical for the same seed, inputs and iterations whatever the thread count.
 * All or nothing: on error no results are kept and the message names the input or output,
 * and the iteration.
 */
EPV_API int epv_mc_run(epv_mc *mc, size_t iterations, size_t n_outputs, epv_mc_model_fn model,
                       void *payload);

/** Summary of one output. */
typedef struct epv_mc_summary {
    size_t n;              /**< iterations */
    double mean;
    double sd;             /**< sample standard deviation (n - 1) */
    double min, max;
    double p2_5, p97_5;    /**< 2.5 and 97.5 percentiles (linear interpolation) */
    double u_lower_pct;    /**< (mean - p2_5) / |mean| * 100 (IPCC-style, lower side) */
    double u_upper_pct;    /**< (p97_5 - mean) / |mean| * 100 */
} epv_mc_summary;

/** Summary of output j after a run. ::EPV_ESTATE before a run, ::EPV_ERANGE for bad j. */
EPV_API int epv_mc_summarize(epv_mc *mc, size_t output, epv_mc_summary *out);
/**
 * Percentiles of output j (each 0 < p < 100; linear interpolation between order statistics,
 * the same rule as NumPy's default and R's type 7).
 */
EPV_API int epv_mc_percentiles(epv_mc *mc, size_t output, const double *pct, size_t n,
                               double *out);
/**
 * Histogram of output j in nbins equal bins over [lower, upper]; lower == upper == 0 means
 * [min, max] of the draws. Values outside are not counted; the last bin includes `upper`.
 */
EPV_API int epv_mc_histogram(epv_mc *mc, size_t output, size_t nbins, double lower, double upper,
                             epv_i64 *counts);
/** Copy the draws of output j (in iteration order) into buf (at least `iterations` long). */
EPV_API int epv_mc_samples(epv_mc *mc, size_t output, double *buf, size_t bufsize);

/**
 * Write a histogram of output j as an SVG bar chart (UTF-8 text) at `path`.
 * @param title chart title (may be NULL); @param unit axis label (may be NULL).
 */
EPV_API int epv_mc_histogram_svg(epv_mc *mc, size_t output, size_t nbins, const char *title,
                                 const char *unit, const char *path);

/* ------------------------------------------------------------------------------------------ */
/* Sampling design for monitoring (CDM A/R methodological tools)                               */
/* ------------------------------------------------------------------------------------------ */

/**
 * Two-sided Student's t value for `confidence` (0 < confidence < 1) and `dof` degrees of
 * freedom (gsl_cdf_tdist_Pinv); dof <= 0 means infinite degrees of freedom (the normal
 * value: 1.6449 at 90%), which is what AR-Tool03 prescribes for the sample size.
 */
EPV_API int epv_sampling_t_value(epv_ctx *ctx, double confidence, double dof, double *out);

/** Result of a sample-size calculation. */
typedef struct epv_sampling_size {
    double n_exact; /**< n from the equation, before rounding */
    epv_i64 n;      /**< ceil(n_exact), at least 1 */
} epv_sampling_size;

/**
 * Number of sample plots for a target precision (CDM AR-Tool03 form):
 *   finite:  n = (N t)^2 (sum w_h s_h)^2 / [(N E)^2 + N t^2 sum w_h s_h^2]
 *   large N: n = (t sum w_h s_h / E)^2
 * @param w stratum weights w_h = A_h / A (>= 0, summing to 1 within 1e-6).
 * @param s stratum standard deviations of the plot variable (> 0), same unit as E.
 * @param N number of possible plots in the whole area (A / plot area); 0 = infinite.
 * @param t t value (epv_sampling_t_value(ctx, 0.90, 0, &t) for the CCER rule).
 * @param E allowable error, absolute, unit of s (e.g. 10% of the expected mean).
 * @param n_h if non-NULL, receives the Neyman allocation n_h = ceil(n_exact w_h s_h / sum w_h s_h).
 */
EPV_API int epv_sampling_plots_needed(epv_ctx *ctx, const double *w, const double *s,
                                      size_t nstrata, double N, double t, double E,
                                      epv_sampling_size *out, epv_i64 *n_h);

/**
 * Neyman allocation of n plots: n_h = n w_h s_h / sum w_h s_h, as reals (callers round).
 */
EPV_API int epv_sampling_neyman(epv_ctx *ctx, const double *w, const double *s, size_t nstrata,
                                double n, double *n_h);

/** Result of a stratified estimate. */
typedef struct epv_sampling_estimate {
    double mean;          /**< stratified mean sum w_h ybar_h (unit of the plot values) */
    double se;            /**< its standard error sqrt(sum w_h^2 s_h^2 / n_h (1 - n_h/N_h)) */
    epv_i64 n;            /**< total plots */
    double dof;           /**< n - number of strata */
    double t;             /**< two-sided t at `confidence` and dof */
    double half_width;    /**< t * se */
    double precision_pct; /**< half_width / |mean| * 100: the uncertainty achieved */
} epv_sampling_estimate;

/**
 * Stratified mean and its standard error from plot data (Cochran 1977 ch. 5; Freese 1962).
 * @param w stratum weights (area shares, summing to 1).
 * @param values all plot values, stratum by stratum (counts[0] values of stratum 0 first).
 * @param counts plots per stratum (each >= 2).
 * @param N_h possible plots per stratum for the finite-population correction, or NULL (none).
 * @param confidence e.g. 0.90; t uses n - L degrees of freedom (as AR-Tool14 prescribes).
 */
EPV_API int epv_sampling_stratified(epv_ctx *ctx, const double *w, const double *values,
                                    const size_t *counts, size_t nstrata, const double *N_h,
                                    double confidence, epv_sampling_estimate *out);

/** One band of a deduction table: uncertainties up to `upper_pct` lose `deduction_pct`. */
typedef struct epv_deduction_band {
    double upper_pct;     /**< upper bound of the band, percent (inclusive) */
    double deduction_pct; /**< share of the estimate deducted, percent */
} epv_deduction_band;

/**
 * The built-in deduction table (PROVISIONAL, see doc/uncertainty.md: <= 10% -> 0,
 * <= 20% -> 6%, <= 30% -> 11%, quoted second-hand; primary source not verified).
 * @param[out] bands receives a pointer to a static read-only table; n its length.
 */
EPV_API void epv_sampling_default_deductions(const epv_deduction_band **bands, size_t *n);

/**
 * Deduction for an achieved uncertainty: the first band whose upper bound is >= u_pct.
 * Bands must have increasing upper bounds. Beyond the last band: ::EPV_ERANGE (more plots
 * are needed). bands == NULL uses the built-in table.
 */
EPV_API int epv_sampling_deduction(epv_ctx *ctx, const epv_deduction_band *bands, size_t nbands,
                                   double u_pct, double *out_deduction_pct);

#ifdef __cplusplus
}
#endif
#endif /* EPV_UNCERTAINTY_H */
