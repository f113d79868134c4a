/* SPDX-License-Identifier: GPL-3.0-or-later */
/**
 * @file epv/growth.h
 * @brief Stand growth curves: evaluation and fitting to plot data.
 *
 * A growth curve gives a stand quantity y (stem volume m³/ha, or biomass t/ha) against
 * stand age t (years). Models (a, b, c > 0 unless stated):
 *  - Richards (Chapman-Richards): y = a (1 − e^(−b t))^c
 *  - logistic:                    y = a / (1 + b e^(−c t))
 *  - Korf:                        y = a e^(−b t^(−c))
 *  - Schumacher:                  y = a e^(−b / t)            (c unused)
 *  - Gompertz:                    y = a e^(−b e^(−c t))
 * Fitting uses GSL's nonlinear least squares (trust region, Levenberg-Marquardt) and
 * reports parameter standard errors and covariance (for Monte Carlo), R² and RMSE.
 *
 * Threads: all functions are reentrant; curves are plain values. The fit never changes
 * GSL's global error handler and validates everything GSL would otherwise report to it;
 * only an allocation failure inside GSL can still reach the host's handler (see
 * doc/growth.md).
 */
#ifndef EPV_GROWTH_H
#define EPV_GROWTH_H

#include "epv/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Growth model families. Values fixed. */
typedef enum epv_growth_model {
    EPV_GROWTH_RICHARDS = 1,   /**< y = a (1 - e^(-b t))^c */
    EPV_GROWTH_LOGISTIC = 2,   /**< y = a / (1 + b e^(-c t)) */
    EPV_GROWTH_KORF = 3,       /**< y = a e^(-b t^(-c)) */
    EPV_GROWTH_SCHUMACHER = 4, /**< y = a e^(-b / t) (two parameters; c ignored) */
    EPV_GROWTH_GOMPERTZ = 5    /**< y = a e^(-b e^(-c t)) */
} epv_growth_model;

/** Version of ::epv_growth_curve this header describes. */
#define EPV_GROWTH_CURVE_VERSION 1
/** A growth curve: model and parameters. */
typedef struct epv_growth_curve {
    unsigned int version;   /**< ::EPV_GROWTH_CURVE_VERSION */
    epv_growth_model model; /**< the model family */
    double a; /**< asymptote, in the unit of y */
    double b; /**< rate (Schumacher: shape) parameter */
    double c; /**< ignored by Schumacher */
} epv_growth_curve;
/** Initialiser of ::epv_growth_curve (a Richards curve with zero parameters: set them). */
#define EPV_GROWTH_CURVE_INIT { EPV_GROWTH_CURVE_VERSION, EPV_GROWTH_RICHARDS, 0.0, 0.0, 0.0 }
/**
 * Function twin of ::EPV_GROWTH_CURVE_INIT; ::EPV_EVERSION for an unknown version.
 * @param ctx may be NULL; receives the message of an error.
 * @param[out] x the struct to initialise (every field to its documented default);
 *            must not be NULL.
 * @param version the struct version the caller was built with (::EPV_GROWTH_CURVE_VERSION).
 * @return ::EPV_OK, ::EPV_EINVAL (NULL `x`), ::EPV_EVERSION (version 0 or newer than
 *         this library knows; nothing written).
 */
EPV_API int epv_growth_curve_init(epv_ctx *ctx, epv_growth_curve *x, unsigned int version);

/** Version of ::epv_growth_fit this header describes. */
#define EPV_GROWTH_FIT_VERSION 1
/** Result of a fit; written by the library. */
typedef struct epv_growth_fit {
    unsigned int version;   /**< ::EPV_GROWTH_FIT_VERSION */
    epv_growth_curve curve; /**< fitted parameters */
    double se[3];           /**< standard errors of a, b, c (c: 0 for Schumacher) */
    double cov[3][3];       /**< covariance of (a, b, c), scaled by the residual variance */
    double r2;              /**< coefficient of determination */
    double rmse;            /**< root mean square error, unit of y */
    size_t n;               /**< number of points used */
    int iterations;         /**< solver iterations */
} epv_growth_fit;
/** Initialiser of ::epv_growth_fit. */
#define EPV_GROWTH_FIT_INIT { EPV_GROWTH_FIT_VERSION, EPV_GROWTH_CURVE_INIT, { 0.0, 0.0, 0.0 }, \
    { { 0.0 } }, 0.0, 0.0, 0, 0 }
/**
 * Function twin of ::EPV_GROWTH_FIT_INIT; ::EPV_EVERSION for an unknown version.
 * @param ctx may be NULL; receives the message of an error.
 * @param[out] x the struct to initialise (every field to its documented default);
 *            must not be NULL.
 * @param version the struct version the caller was built with (::EPV_GROWTH_FIT_VERSION).
 * @return ::EPV_OK, ::EPV_EINVAL (NULL `x`), ::EPV_EVERSION (version 0 or newer than
 *         this library knows; nothing written).
 */
EPV_API int epv_growth_fit_init(epv_ctx *ctx, epv_growth_fit *x, unsigned int version);

/**
 * Name of a model.
 * @param model a model family.
 * @return "richards", "logistic", "korf", "schumacher" or "gompertz" (static storage); NULL
 *         for a value that is not an ::epv_growth_model.
 */
EPV_API const char *epv_growth_model_name(epv_growth_model model);
/**
 * Model from its name (exactly as epv_growth_model_name() spells it).
 * @param ctx may be NULL; receives the message of an error.
 * @param name NUL-terminated name; must not be NULL.
 * @param[out] out receives the model; must not be NULL; written only on success.
 * @return ::EPV_OK, ::EPV_EINVAL (NULL), ::EPV_ENOTFOUND (unknown name, named with the list
 *         of known ones).
 */
EPV_API int epv_growth_model_from_name(epv_ctx *ctx, const char *name, epv_growth_model *out);
/**
 * Number of parameters the model uses.
 * @param model a model family.
 * @return 2 (Schumacher) or 3; ::EPV_EINVAL for an unknown model.
 */
EPV_API int epv_growth_model_nparams(epv_growth_model model);

/**
 * Check a curve's parameters (finite, in the model's domain so y is non-negative and
 * increasing).
 * @param ctx may be NULL; receives the message of an error.
 * @param curve versioned curve; must not be NULL; only read.
 * @return ::EPV_OK, ::EPV_EINVAL (NULL, unknown model), ::EPV_EVERSION, ::EPV_EDOMAIN
 *         naming the offending parameter.
 */
EPV_API int epv_growth_curve_check(epv_ctx *ctx, const epv_growth_curve *curve);
/**
 * Evaluate y at age t (years, t >= 0; y(0) is the model's limit). The parameters are not
 * checked beyond the result (see epv_growth_curve_check()).
 * @param ctx may be NULL; receives the message of an error.
 * @param curve versioned curve; must not be NULL; only read.
 * @param age stand age t, years (finite, >= 0).
 * @param[out] out receives y, in the unit of the curve's `a`; must not be NULL; written only
 *            on success.
 * @return ::EPV_OK, ::EPV_EINVAL (NULL, unknown model), ::EPV_EVERSION, ::EPV_ERANGE for
 *         negative or non-finite t, ::EPV_EDOMAIN if the curve yields a negative or
 *         non-finite value.
 */
EPV_API int epv_growth_eval(epv_ctx *ctx, const epv_growth_curve *curve, double age, double *out);
/**
 * Evaluate at n ages. On error `out` is left unspecified and the message names the index
 * ("ages[i]").
 * @param ctx may be NULL; receives the message of an error.
 * @param curve versioned curve; must not be NULL; only read.
 * @param ages n stand ages, years (finite, >= 0); must not be NULL unless n is 0.
 * @param n number of ages (0: nothing to do, ::EPV_OK).
 * @param[out] out n values of y; must not be NULL unless n is 0.
 * @return as epv_growth_eval().
 */
EPV_API int epv_growth_eval_many(epv_ctx *ctx, const epv_growth_curve *curve, const double *ages,
                                 size_t n, double *out);
/**
 * Derivative dy/dt at age t (current annual increment).
 * @param ctx may be NULL; receives the message of an error.
 * @param curve versioned curve; must not be NULL; only read.
 * @param age stand age t, years (finite, >= 0).
 * @param[out] out receives dy/dt, unit of y per year; must not be NULL; written only on
 *            success.
 * @return as epv_growth_eval(); ::EPV_EDOMAIN also when the slope is not finite (e.g. at
 *         t = 0 for some models).
 */
EPV_API int epv_growth_rate(epv_ctx *ctx, const epv_growth_curve *curve, double age, double *out);

/**
 * Fit a model to (age, y) data by nonlinear least squares.
 *
 * The residual variance is s² = SSR/(n − p) and `cov` = s² (JᵀJ)⁻¹ at the solution;
 * `rmse` = √(SSR/n) (so s = rmse·√(n/(n − p))); `r2` = 1 − SSR/SST. The solution always
 * satisfies epv_growth_curve_check. `out` is written only on success.
 * @param ctx required (scratch memory comes from its allocator); ::EPV_EINVAL if NULL.
 * @param model the model family to fit.
 * @param age stand ages in years (>= 0), n of them; not kept.
 * @param y observed values (>= 0, not all equal), n of them; not kept.
 * @param start starting parameters (its model field is ignored), or NULL to derive them
 *        from the data by linearising the model.
 * @param n number of (age, y) points; at least the model's number of parameters plus one.
 * @param[out] out versioned result (initialised by the caller); must not be NULL.
 * @return ::EPV_OK; ::EPV_EINVAL (NULL argument, unknown model); ::EPV_EVERSION (of `out` or
 *         `start`); ::EPV_ESINGULAR when the data cannot determine the curve (fewer points
 *         than parameters plus one, all ages equal or too few distinct ages, all y equal,
 *         singular Jacobian at the start or rank-deficient at the solution); ::EPV_ENOCONV
 *         when the solver does not converge in 200 iterations, makes no progress, or its
 *         parameters stop being finite; ::EPV_ERANGE for negative/NaN ages or values
 *         (naming the index); ::EPV_EDOMAIN for a start outside the model's domain;
 *         ::EPV_ENOMEM.
 */
EPV_API int epv_growth_fit_data(epv_ctx *ctx, epv_growth_model model, const double *age,
                                const double *y, size_t n, const epv_growth_curve *start,
                                epv_growth_fit *out);

#ifdef __cplusplus
}
#endif
#endif /* EPV_GROWTH_H */
