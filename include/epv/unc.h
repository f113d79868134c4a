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
    double lower, upper;   /**< bounds of the 95% interval, unit of the estimate */
    double u_lower_pct;    /**< (estimate - lower) / |estimate| * 100 */
    double u_upper_pct;    /**< (upper - estimate) / |estimate| * 100 */
    epv_i64 draws;         /**< Monte Carlo draws (0 for Approach 1) */
} epv_unc_interval;

/** Initialiser of ::epv_unc_interval. */
#define EPV_UNC_INTERVAL_INIT { EPV_UNC_INTERVAL_VERSION, 0, 0.0, 0.0, 0.0, 0.0, 0.0, 0 }
/** Function twin of ::EPV_UNC_INTERVAL_INIT; ::EPV_EVERSION for an unknown version. */
EPV_API int epv_unc_interval_init(epv_ctx *ctx, epv_unc_interval *x, unsigned int version);

#ifdef __cplusplus
}
#endif
#endif /* EPV_UNC_H */
