/* SPDX-License-Identifier: GPL-3.0-or-later */
/**
 * @file epv/sampling.h
 * @brief Sampling design for monitoring plots (CDM A/R methodological tools, AR-Tool03 form)
 *        and the precision achieved by a stratified inventory.
 *
 * Threads: all functions are reentrant.
 */
#ifndef EPV_SAMPLING_H
#define EPV_SAMPLING_H

#include "epv/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Two-sided Student's t value for `confidence` (0 < confidence < 1) and `dof` degrees of
 * freedom (gsl_cdf_tdist_Pinv); dof <= 0 means infinite degrees of freedom (the normal
 * value: 1.6449 at 90%), which is what AR-Tool03 prescribes for the sample size.
 * @param ctx may be NULL; receives the message of an error.
 * @param confidence two-sided confidence level, in (0, 1), e.g. 0.90.
 * @param dof degrees of freedom (finite); <= 0 for the normal value.
 * @param[out] out receives t; must not be NULL; written only on success.
 * @return ::EPV_OK, ::EPV_EINVAL (NULL `out`), ::EPV_ERANGE (confidence outside (0, 1),
 *         dof not finite).
 */
EPV_API int epv_sampling_t_value(epv_ctx *ctx, double confidence, double dof, double *out);

/** Version of ::epv_sampling_size this header describes. */
#define EPV_SAMPLING_SIZE_VERSION 1
/** Result of a sample-size calculation; written by the library. */
typedef struct epv_sampling_size {
    unsigned int version; /**< ::EPV_SAMPLING_SIZE_VERSION */
    double n_exact; /**< n from the equation, before rounding */
    epv_i64 n;      /**< ceil(n_exact), at least 1 */
} epv_sampling_size;
/** Initialiser of ::epv_sampling_size. */
#define EPV_SAMPLING_SIZE_INIT { EPV_SAMPLING_SIZE_VERSION, 0.0, 0 }
/**
 * Function twin of ::EPV_SAMPLING_SIZE_INIT; ::EPV_EVERSION for an unknown version.
 * @param ctx may be NULL; receives the message of an error.
 * @param[out] x the struct to initialise (every field to its documented default);
 *            must not be NULL.
 * @param version the struct version the caller was built with (::EPV_SAMPLING_SIZE_VERSION).
 * @return ::EPV_OK, ::EPV_EINVAL (NULL `x`), ::EPV_EVERSION (version 0 or newer than
 *         this library knows; nothing written).
 */
EPV_API int epv_sampling_size_init(epv_ctx *ctx, epv_sampling_size *x, unsigned int version);

/**
 * Number of sample plots for a target precision (CDM AR-Tool03 form):
 *   finite:  n = (N t)^2 (sum w_h s_h)^2 / [(N E)^2 + N t^2 sum w_h s_h^2]
 *   large N: n = (t sum w_h s_h / E)^2
 * @param ctx may be NULL; receives the message of an error.
 * @param w nstrata stratum weights w_h = A_h / A (>= 0, summing to 1 within 1e-6); must not
 *          be NULL.
 * @param s nstrata stratum standard deviations of the plot variable (> 0), same unit as E;
 *          must not be NULL.
 * @param nstrata number of strata, >= 1.
 * @param N number of possible plots in the whole area (A / plot area); 0 = infinite.
 * @param t t value (epv_sampling_t_value(ctx, 0.90, 0, &t) for the CCER rule).
 * @param E allowable error, absolute, unit of s (e.g. 10% of the expected mean).
 * @param[out] out versioned result (initialised by the caller); must not be NULL.
 * @param[out] n_h if non-NULL, nstrata values receive the Neyman allocation
 *            n_h = ceil(n_exact w_h s_h / sum w_h s_h).
 * @return ::EPV_OK, ::EPV_EINVAL (NULL, no strata), ::EPV_EVERSION, ::EPV_ERANGE naming the
 *         weight, standard deviation or argument out of range.
 */
EPV_API int epv_sampling_plots_needed(epv_ctx *ctx, const double *w, const double *s,
                                      size_t nstrata, double N, double t, double E,
                                      epv_sampling_size *out, epv_i64 *n_h);

/**
 * Neyman allocation of n plots: n_h = n w_h s_h / sum w_h s_h, as reals (callers round).
 * @param ctx may be NULL; receives the message of an error.
 * @param w nstrata stratum weights (>= 0, summing to 1 within 1e-6); must not be NULL.
 * @param s nstrata stratum standard deviations (> 0); must not be NULL.
 * @param nstrata number of strata, >= 1.
 * @param n total number of plots (finite, > 0).
 * @param[out] n_h nstrata plots per stratum; must not be NULL.
 * @return ::EPV_OK, ::EPV_EINVAL (NULL, no strata), ::EPV_ERANGE naming the value out of range.
 */
EPV_API int epv_sampling_neyman(epv_ctx *ctx, const double *w, const double *s, size_t nstrata,
                                double n, double *n_h);

/** Version of ::epv_sampling_estimate this header describes. */
#define EPV_SAMPLING_ESTIMATE_VERSION 1
/** Result of a stratified estimate; written by the library. */
typedef struct epv_sampling_estimate {
    unsigned int version; /**< ::EPV_SAMPLING_ESTIMATE_VERSION */
    double mean;          /**< stratified mean sum w_h ybar_h (unit of the plot values) */
    double se;            /**< its standard error sqrt(sum w_h^2 s_h^2 / n_h (1 - n_h/N_h)) */
    epv_i64 n;            /**< total plots */
    double dof;           /**< n - number of strata */
    double t;             /**< two-sided t at `confidence` and dof, or the caller's t */
    double half_width;    /**< t * se */
    double precision_pct; /**< half_width / |mean| * 100: the uncertainty achieved */
} epv_sampling_estimate;
/** Initialiser of ::epv_sampling_estimate. */
#define EPV_SAMPLING_ESTIMATE_INIT { EPV_SAMPLING_ESTIMATE_VERSION, 0.0, 0.0, 0, 0.0, 0.0, 0.0, 0.0 }
/**
 * Function twin of ::EPV_SAMPLING_ESTIMATE_INIT; ::EPV_EVERSION for an unknown version.
 * @param ctx may be NULL; receives the message of an error.
 * @param[out] x the struct to initialise (every field to its documented default);
 *            must not be NULL.
 * @param version the struct version the caller was built with (::EPV_SAMPLING_ESTIMATE_VERSION).
 * @return ::EPV_OK, ::EPV_EINVAL (NULL `x`), ::EPV_EVERSION (version 0 or newer than
 *         this library knows; nothing written).
 */
EPV_API int epv_sampling_estimate_init(epv_ctx *ctx, epv_sampling_estimate *x, unsigned int version);

/**
 * Stratified mean and its standard error from plot data (Cochran 1977 ch. 5; Freese 1962).
 * @param ctx the context (scratch memory, messages); must not be NULL.
 * @param w nstrata stratum weights (area shares, summing to 1); must not be NULL.
 * @param values all plot values, stratum by stratum (counts[0] values of stratum 0 first),
 *        finite; must not be NULL.
 * @param counts nstrata plots per stratum (each >= 2); must not be NULL.
 * @param nstrata number of strata L, >= 1.
 * @param N_h possible plots per stratum for the finite-population correction, or NULL (none).
 * @param confidence e.g. 0.90; t uses n - L degrees of freedom (as AR-Tool14 prescribes).
 * @param t_value the caller's t (> 0, e.g. a methodology's fixed 1.645), or 0 to compute it
 *        from `confidence` and n - L degrees of freedom.
 * @param[out] out versioned result (initialised by the caller); must not be NULL; written
 *            only on success.
 * @return ::EPV_OK; ::EPV_EINVAL (NULL, no strata); ::EPV_EVERSION; ::EPV_ENOMEM;
 *         ::EPV_ERANGE naming the stratum or argument; ::EPV_EDOMAIN if the mean
 *         is 0 or so small that the precision overflows.
 */
EPV_API int epv_sampling_stratified(epv_ctx *ctx, const double *w, const double *values,
                                    const size_t *counts, size_t nstrata, const double *N_h,
                                    double confidence, double t_value, epv_sampling_estimate *out);

/**
 * The same estimate from each stratum's sufficient statistics instead of the plot values:
 * n_h plots, their sum Σx and sum of squares Σx² (s_h² = (Σx² − (Σx)²/n_h)/(n_h − 1)), e.g.
 * from a database query over millions of plots.
 * @param ctx the context (scratch memory, messages); must not be NULL.
 * @param w nstrata stratum weights (area shares, summing to 1); must not be NULL.
 * @param n nstrata plots per stratum (each >= 2); must not be NULL.
 * @param sum_x nstrata sums Σx, one per stratum (finite); must not be NULL.
 * @param sum_x2 nstrata sums of squares Σx², one per stratum (finite, >= 0; a variance below
 *        zero beyond rounding is an error naming the stratum); must not be NULL.
 * @param nstrata number of strata L, >= 1.
 * @param N_h possible plots per stratum for the finite-population correction, or NULL (none).
 * @param confidence e.g. 0.90; t uses n - L degrees of freedom.
 * @param t_value the caller's t (> 0), or 0 to compute it from `confidence`.
 * @param[out] out versioned result (initialised by the caller); must not be NULL; written
 *            only on success.
 * @return as epv_sampling_stratified().
 */
EPV_API int epv_sampling_stratified_sums(epv_ctx *ctx, const double *w, const epv_i64 *n,
                                         const double *sum_x, const double *sum_x2, size_t nstrata,
                                         const double *N_h, double confidence, double t_value,
                                         epv_sampling_estimate *out);

/**
 * The built-in deduction table, as two parallel arrays: uncertainties up to upper_pct[i]
 * (inclusive) lose deduction_pct[i] percent of the estimate (<= 10% -> 0, <= 20% -> 6%,
 * <= 30% -> 11%). PROVISIONAL: quoted second-hand (shared/references.md), no primary clause
 * verified; `*provisional` is set to 1 and `*source` says so. Pass the applicable
 * methodology's table to epv_sampling_deduction() for a claim.
 * Every argument may be NULL (that output is skipped).
 * @param[out] upper_pct receives a pointer to the static read-only array of upper bounds, %.
 * @param[out] deduction_pct receives a pointer to the static read-only array of deductions, %.
 * @param[out] n receives the length of both arrays (3).
 * @param[out] source receives a static citation of the table.
 * @param[out] provisional receives 1 (the table is unverified).
 */
EPV_API void epv_sampling_default_deductions(const double **upper_pct, const double **deduction_pct,
                                             size_t *n, const char **source, int *provisional);

/**
 * Deduction for an achieved uncertainty: the first band whose upper bound is >= u_pct.
 * Bands must have increasing upper bounds. Beyond the last band: ::EPV_ERANGE (more plots
 * are needed). upper_pct == NULL and deduction_pct == NULL use the built-in (provisional)
 * table.
 * @param ctx may be NULL; receives the message of an error.
 * @param upper_pct nbands upper bounds of the bands, % (finite, >= 0, increasing), or NULL
 *        together with `deduction_pct`.
 * @param deduction_pct nbands deductions, % of the estimate (0..100), or NULL together with
 *        `upper_pct`.
 * @param nbands number of bands, >= 1 (ignored for the built-in table).
 * @param u_pct the achieved uncertainty, % (finite, >= 0).
 * @param[out] out_deduction_pct receives the deduction, %; must not be NULL.
 * @return ::EPV_OK, ::EPV_EINVAL (NULL output, only one array given, no bands), ::EPV_ERANGE
 *         (a band or u_pct out of range, or u_pct beyond the last band).
 */
EPV_API int epv_sampling_deduction(epv_ctx *ctx, const double *upper_pct, const double *deduction_pct,
                                   size_t nbands, double u_pct, double *out_deduction_pct);

#ifdef __cplusplus
}
#endif
#endif /* EPV_SAMPLING_H */
