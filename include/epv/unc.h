/* SPDX-License-Identifier: GPL-3.0-or-later */
/**
 * @file epv/unc.h
 * @brief The uncertainty vocabulary shared by every module (sink, GEP, inventory), and IPCC
 *        Approach 1 (error propagation).
 *
 * Every module reports the uncertainty of a total in the same value type, ::epv_unc_interval,
 * from functions named `epv_<module>_unc_approach1` (IPCC 2006 Vol. 1 ch. 3, Approach 1,
 * propagation) and `epv_<module>_unc_approach2` (Approach 2, Monte Carlo, see epv/mc.h).
 * A "U%" is the half-width of the 95% confidence interval in percent of the estimate.
 */
#ifndef EPV_UNC_H
#define EPV_UNC_H

#include "epv/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** How an interval was obtained. Values fixed, only appended. */
typedef enum epv_unc_method {
    EPV_UNC_APPROACH1 = 1, /**< IPCC Approach 1: propagation (Vol. 1 Eq. 3.1 and 3.2) */
    EPV_UNC_APPROACH2 = 2  /**< IPCC Approach 2: Monte Carlo, 2.5 and 97.5 percentiles */
} epv_unc_method;

/** Version of ::epv_unc_interval this header describes. */
#define EPV_UNC_INTERVAL_VERSION 1

/** A 95% interval around an estimate; written by the library. */
typedef struct epv_unc_interval {
    unsigned int version;  /**< ::EPV_UNC_INTERVAL_VERSION */
    int method;            /**< ::epv_unc_method */
    double estimate;       /**< the central estimate (Approach 2: the mean of the draws) */
    double lower;          /**< lower bound of the 95% interval, unit of the estimate */
    double upper;          /**< upper bound of the 95% interval, unit of the estimate */
    double u_lower_pct;    /**< (estimate - lower) / |estimate| * 100 */
    double u_upper_pct;    /**< (upper - estimate) / |estimate| * 100 */
    epv_i64 draws;         /**< Monte Carlo draws (0 for Approach 1) */
} epv_unc_interval;

/** Initialiser of ::epv_unc_interval. */
#define EPV_UNC_INTERVAL_INIT { EPV_UNC_INTERVAL_VERSION, 0, 0.0, 0.0, 0.0, 0.0, 0.0, 0 }
/**
 * Function twin of ::EPV_UNC_INTERVAL_INIT; ::EPV_EVERSION for an unknown version.
 * @param ctx may be NULL; receives the message of an error.
 * @param[out] x the struct to initialise (every field to its documented default);
 *            must not be NULL.
 * @param version the struct version the caller was built with (::EPV_UNC_INTERVAL_VERSION).
 * @return ::EPV_OK, ::EPV_EINVAL (NULL `x`), ::EPV_EVERSION (version 0 or newer than
 *         this library knows; nothing written).
 */
EPV_API int epv_unc_interval_init(epv_ctx *ctx, epv_unc_interval *x, unsigned int version);

/* ------------------------------------------------------------------------------------------ */
/* Approach 1: error propagation (IPCC 2006 Vol. 1 ch. 3, Eq. 3.1 and 3.2)                      */
/* ------------------------------------------------------------------------------------------ */

/**
 * Combined U% of a product of uncorrelated quantities (IPCC 2006 Vol. 1 Eq. 3.1):
 * U = sqrt(sum U_i^2). Valid for U_i below about 60% (the Guidelines' own caveat); use
 * Approach 2 beyond that. (Threshold recalled from the text, sd/mean < 0.3; not re-checked.)
 * @param ctx may be NULL; receives the message of an error.
 * @param u_pct n uncertainties in percent (finite, >= 0); must not be NULL.
 * @param n number of factors, >= 1.
 * @param[out] out_u_pct combined uncertainty, percent; must not be NULL; written only on
 *            success.
 * @return ::EPV_OK, ::EPV_EINVAL (NULL, n == 0), ::EPV_ERANGE naming the index "u_pct[i]",
 *         or when the combination overflows (a clear error instead of an infinite U%).
 */
EPV_API int epv_unc_product(epv_ctx *ctx, const double *u_pct, size_t n, double *out_u_pct);

/**
 * Combined U% of a sum (or difference: give negative values) of uncorrelated quantities
 * (IPCC 2006 Vol. 1 Eq. 3.2): U = sqrt(sum (U_i x_i)^2) / |sum x_i|.
 * @param ctx may be NULL; receives the message of an error.
 * @param values n estimates x_i (finite; any sign); must not be NULL.
 * @param u_pct n uncertainties in percent of |x_i| (finite, >= 0); must not be NULL.
 * @param n number of terms, >= 1.
 * @param[out] out_u_pct combined uncertainty, percent of |sum x_i|; must not be NULL;
 *            written only on success.
 * @return ::EPV_OK, ::EPV_EINVAL, ::EPV_ERANGE naming the index or when a product U_i x_i or
 *         the sum overflows; ::EPV_EDOMAIN if the sum is 0 (or so small that U% overflows).
 */
EPV_API int epv_unc_sum(epv_ctx *ctx, const double *values, const double *u_pct, size_t n,
                        double *out_u_pct);

/**
 * Asymmetric ranges: Eq. 3.1 applied separately to the lower and to the upper percentages
 * (lower = how far below the estimate the 2.5 percentile lies, in % of the estimate).
 * This separate-bounds reading is an approximation documented in doc/uncertainty.md; for
 * strongly skewed inputs Approach 2 is the method the Guidelines recommend.
 * @param ctx may be NULL; receives the message of an error.
 * @param u_lower_pct n lower percentages (finite, >= 0); must not be NULL.
 * @param u_upper_pct n upper percentages (finite, >= 0); must not be NULL.
 * @param n number of factors, >= 1.
 * @param[out] out_lower_pct combined lower percentage; must not be NULL.
 * @param[out] out_upper_pct combined upper percentage; must not be NULL. Both are written
 *            only when both combinations succeed.
 * @return as epv_unc_product(); the message says whether the "lower" or "upper" side failed.
 */
EPV_API int epv_unc_product_asym(epv_ctx *ctx, const double *u_lower_pct,
                                 const double *u_upper_pct, size_t n, double *out_lower_pct,
                                 double *out_upper_pct);
/**
 * Asymmetric ranges for sums: Eq. 3.2 applied separately to the lower and upper bounds.
 * @param ctx may be NULL; receives the message of an error.
 * @param values n estimates x_i (finite; any sign); must not be NULL.
 * @param u_lower_pct n lower percentages of |x_i| (finite, >= 0); must not be NULL.
 * @param u_upper_pct n upper percentages of |x_i| (finite, >= 0); must not be NULL.
 * @param n number of terms, >= 1.
 * @param[out] out_lower_pct combined lower percentage of |sum x_i|; must not be NULL.
 * @param[out] out_upper_pct combined upper percentage of |sum x_i|; must not be NULL. Both
 *            are written only when both combinations succeed.
 * @return as epv_unc_sum(); the message says whether the "lower" or "upper" side failed.
 */
EPV_API int epv_unc_sum_asym(epv_ctx *ctx, const double *values, const double *u_lower_pct,
                             const double *u_upper_pct, size_t n, double *out_lower_pct,
                             double *out_upper_pct);

/**
 * U% of a normally distributed estimate: z * sd / |mean| * 100, z the two-sided normal
 * quantile for `confidence` (0 < confidence < 1; 0.95 gives z = 1.959964).
 * @param ctx may be NULL; receives the message of an error.
 * @param mean the estimate (finite, non-zero; any sign).
 * @param sd its standard deviation, same unit (finite, > 0).
 * @param confidence two-sided confidence level, in (0, 1).
 * @param[out] out_u_pct U% (half-width in percent of |mean|); must not be NULL; written only
 *            on success.
 * @return ::EPV_OK, ::EPV_EINVAL (NULL `out_u_pct`), ::EPV_ERANGE (confidence, mean, sd, or a
 *         U% that overflows).
 */
EPV_API int epv_unc_from_sd(epv_ctx *ctx, double mean, double sd, double confidence,
                            double *out_u_pct);

#ifdef __cplusplus
}
#endif
#endif /* EPV_UNC_H */
