/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Growth curves: the five model families, their values, growth rates and parameter
 * derivatives, and the checks that keep a curve inside its domain. Fitting is in
 * growth_fit.c.
 *
 * Formulas (t = stand age in years):
 *   Richards   y = a (1 − e^(−b t))^c
 *   logistic   y = a / (1 + b e^(−c t))
 *   Korf       y = a e^(−b t^(−c))
 *   Schumacher y = a e^(−b / t)
 *   Gompertz   y = a e^(−b e^(−c t))
 * Evaluation does not reject parameters outside the domain a, b, c > 0 by itself: it
 * computes the value and refuses it if it is negative or not finite, naming the age, so a
 * curve that only misbehaves at some ages is reported where it does. epv_growth_curve_check
 * enforces the domain. */
#include "config.h"

#include "growth_int.h"
#include "vmath_int.h"
#include "common_int.h"

#include <math.h>
#include <string.h>

static const char *const model_names[] = { NULL, "richards", "logistic", "korf", "schumacher",
                                           "gompertz" };

int epv__growth_model_known(epv_growth_model m)
{
    return m >= EPV_GROWTH_RICHARDS && m <= EPV_GROWTH_GOMPERTZ;
}

int epv__growth_pinned_at_zero(epv_growth_model m)
{
    return m == EPV_GROWTH_RICHARDS || m == EPV_GROWTH_KORF || m == EPV_GROWTH_SCHUMACHER;
}

EPV_API const char *epv_growth_model_name(epv_growth_model model)
{
    return epv__growth_model_known(model) ? model_names[model] : NULL;
}

EPV_API int epv_growth_model_from_name(epv_ctx *ctx, const char *name, epv_growth_model *out)
{
    if (!name || !out) return epv__error(ctx, EPV_EINVAL, "growth model: NULL argument");
    for (int m = EPV_GROWTH_RICHARDS; m <= EPV_GROWTH_GOMPERTZ; m++) {
        if (strcmp(name, model_names[m]) == 0) {
            *out = (epv_growth_model)m;
            return EPV_OK;
        }
    }
    return epv__error(ctx, EPV_ENOTFOUND,
                      "growth model '%s' is unknown (expected richards, logistic, korf, "
                      "schumacher or gompertz)",
                      name);
}

EPV_API int epv_growth_model_nparams(epv_growth_model model)
{
    if (!epv__growth_model_known(model)) return EPV_EINVAL;
    return model == EPV_GROWTH_SCHUMACHER ? 2 : 3;
}

/* ---- formulas ---------------------------------------------------------------------- */

/* t^(−c) with the limits at t = 0 spelled out (pow(0, negative) would raise a flag). */
static double inv_pow(double t, double c)
{
    if (t == 0) return c > 0 ? INFINITY : (c == 0 ? 1.0 : 0.0);
    return pow(t, -c);
}

double epv__growth_value(epv_growth_model m, double a, double b, double c, double t)
{
    switch (m) {
    case EPV_GROWTH_RICHARDS: {
        /* The batch kernels' scalar forms, so one age and many ages give identical values. */
        double u = -epv__expm1(-b * t); /* 1 − e^(−bt), accurate for small bt */
        if (u == 0) return c > 0 ? 0.0 : (c == 0 ? a : INFINITY);
        if (u < 0) return NAN;
        return a * epv__exp(c * epv__log(u));
    }
    case EPV_GROWTH_LOGISTIC:
        return a / (1 + b * exp(-c * t));
    case EPV_GROWTH_KORF:
        if (b == 0) return a;
        return a * exp(-b * inv_pow(t, c));
    case EPV_GROWTH_SCHUMACHER:
        if (b == 0) return a;
        if (t == 0) return b > 0 ? 0.0 : INFINITY;
        return a * exp(-b / t);
    case EPV_GROWTH_GOMPERTZ:
        return a * exp(-b * exp(-c * t));
    }
    return NAN;
}

void epv__growth_gradient(epv_growth_model m, double a, double b, double c, double t, double g[3])
{
    g[0] = g[1] = g[2] = 0;
    if (t == 0 && epv__growth_pinned_at_zero(m)) return;
    switch (m) {
    case EPV_GROWTH_RICHARDS: {
        double e = exp(-b * t), u = -expm1(-b * t);
        double uc = pow(u, c);
        g[0] = uc;
        g[1] = a * c * pow(u, c - 1) * t * e;
        g[2] = a * uc * log(u);
        break;
    }
    case EPV_GROWTH_LOGISTIC: {
        double e = exp(-c * t), d = 1 + b * e;
        g[0] = 1 / d;
        g[1] = -a * e / (d * d);
        g[2] = a * b * t * e / (d * d);
        break;
    }
    case EPV_GROWTH_KORF: {
        double s = pow(t, -c), f = exp(-b * s);
        g[0] = f;
        g[1] = -a * f * s;
        g[2] = a * f * b * s * log(t);
        break;
    }
    case EPV_GROWTH_SCHUMACHER: {
        double f = exp(-b / t);
        g[0] = f;
        g[1] = -a * f / t;
        break;
    }
    case EPV_GROWTH_GOMPERTZ: {
        double e = exp(-c * t), f = exp(-b * e);
        g[0] = f;
        g[1] = -a * f * e;
        g[2] = a * f * b * t * e;
        break;
    }
    }
}

double epv__growth_slope(epv_growth_model m, double a, double b, double c, double t)
{
    switch (m) {
    case EPV_GROWTH_RICHARDS: {
        double u = -expm1(-b * t);
        /* a c b e^(−bt) u^(c−1): infinite at t = 0 when c < 1, which is reported. */
        return a * c * b * exp(-b * t) * pow(u, c - 1);
    }
    case EPV_GROWTH_LOGISTIC: {
        double e = exp(-c * t), d = 1 + b * e;
        return a * b * c * e / (d * d);
    }
    case EPV_GROWTH_KORF:
        /* y b c t^(−c−1); at t = 0 the exponential factor wins and the limit is 0. */
        if (t == 0) return (b > 0 && c > 0) ? 0.0 : NAN;
        return epv__growth_value(m, a, b, c, t) * b * c * pow(t, -c - 1);
    case EPV_GROWTH_SCHUMACHER:
        if (t == 0) return b > 0 ? 0.0 : NAN;
        return epv__growth_value(m, a, b, c, t) * b / (t * t);
    case EPV_GROWTH_GOMPERTZ: {
        double e = exp(-c * t);
        return epv__growth_value(m, a, b, c, t) * b * c * e;
    }
    }
    return NAN;
}

/* ---- checked public functions ------------------------------------------------------ */

static int check_param(epv_ctx *ctx, const char *model, const char *name, double v)
{
    if (!isfinite(v))
        return epv__error(ctx, EPV_EDOMAIN, "%s: value is not a finite number (%s curve)", name,
                          model);
    if (v <= 0)
        return epv__error(ctx, EPV_EDOMAIN, "%s: %g must be greater than zero (%s curve)", name, v,
                          model);
    return EPV_OK;
}

EPV_API int epv_growth_curve_check(epv_ctx *ctx, const epv_growth_curve *curve)
{
    if (!curve) return epv__error(ctx, EPV_EINVAL, "growth curve: NULL pointer");
    { int rcv = epv__check_version(ctx, "epv_growth_curve", curve, EPV_GROWTH_CURVE_VERSION); if (rcv) return rcv; }
    if (!epv__growth_model_known(curve->model))
        return epv__error(ctx, EPV_EINVAL, "model: %d is not a growth model", (int)curve->model);
    const char *name = model_names[curve->model];
    int rc;
    /* a > 0 keeps y positive; b, c > 0 make every family start low and increase towards a. */
    if ((rc = check_param(ctx, name, "a", curve->a))) return rc;
    if ((rc = check_param(ctx, name, "b", curve->b))) return rc;
    if (curve->model != EPV_GROWTH_SCHUMACHER && (rc = check_param(ctx, name, "c", curve->c)))
        return rc;
    return EPV_OK;
}

static int check_call(epv_ctx *ctx, const epv_growth_curve *curve, double age, const void *out)
{
    if (!curve || !out) return epv__error(ctx, EPV_EINVAL, "growth curve: NULL argument");
    { int rcv = epv__check_version(ctx, "epv_growth_curve", curve, EPV_GROWTH_CURVE_VERSION); if (rcv) return rcv; }
    if (!epv__growth_model_known(curve->model))
        return epv__error(ctx, EPV_EINVAL, "model: %d is not a growth model", (int)curve->model);
    return epv__check_nonneg(ctx, age, "age");
}

EPV_API int epv_growth_eval(epv_ctx *ctx, const epv_growth_curve *curve, double age, double *out)
{
    int rc = check_call(ctx, curve, age, out);
    if (rc) return rc;
    double y = epv__growth_value(curve->model, curve->a, curve->b, curve->c, age);
    if (!isfinite(y))
        return epv__error(ctx, EPV_EDOMAIN,
                          "age %g: the %s curve (a = %g, b = %g, c = %g) is not finite there", age,
                          model_names[curve->model], curve->a, curve->b, curve->c);
    if (y < 0)
        return epv__error(ctx, EPV_EDOMAIN,
                          "age %g: the %s curve (a = %g, b = %g, c = %g) goes negative (%g)", age,
                          model_names[curve->model], curve->a, curve->b, curve->c, y);
    *out = y;
    return EPV_OK;
}

/* Richards curves with parameters in the domain are evaluated in one batch (vectorised);
 * the ages are checked first and the values after, so errors still name the index. */
static int eval_many_richards(epv_ctx *ctx, const epv_growth_curve *curve, const double *ages, size_t n,
                              double *out)
{
    /* The checks count failures on the bit patterns (integer compares vectorise; this runs
     * once per stratum and Monte Carlo draw); only a failing batch is scanned again for the
     * first bad entry. */
    size_t bad = epv__count_not_finite_nonneg(ages, n);
    if (bad)
        for (size_t i = 0; i < n; i++)
            if (!isfinite(ages[i]) || ages[i] < 0)
                return epv__error(ctx, EPV_ERANGE, "ages[%zu]: age: %g is %s", i, ages[i],
                                  isfinite(ages[i]) ? "negative" : "not a finite number");
    bad += epv__richards_batch(curve->a, curve->b, curve->c, ages, out, n);
    if (bad)
        for (size_t i = 0; i < n; i++)
            if (!isfinite(out[i]) || out[i] < 0)
                return epv__error(ctx, EPV_EDOMAIN, "ages[%zu]: age %g: the richards curve (a = %g, b = %g, c = %g) "
                                  "is not finite or negative there", i, ages[i], curve->a, curve->b, curve->c);
    return EPV_OK;
}

EPV_API int epv_growth_eval_many(epv_ctx *ctx, const epv_growth_curve *curve, const double *ages,
                                 size_t n, double *out)
{
    if (n == 0) return EPV_OK;
    if (!curve || !ages || !out) return epv__error(ctx, EPV_EINVAL, "growth curve: NULL argument");
    if (curve->model == EPV_GROWTH_RICHARDS && isfinite(curve->a) && curve->a >= 0 && isfinite(curve->b) &&
        curve->b > 0 && isfinite(curve->c) && curve->c > 0)
        return eval_many_richards(ctx, curve, ages, n, out);
    for (size_t i = 0; i < n; i++) {
        int rc = epv_growth_eval(ctx, curve, ages[i], &out[i]);
        if (rc) {
            epv__error_prefix(ctx, "ages[%zu]", i);
            return rc;
        }
    }
    return EPV_OK;
}

EPV_API int epv_growth_rate(epv_ctx *ctx, const epv_growth_curve *curve, double age, double *out)
{
    double y;
    int rc = epv_growth_eval(ctx, curve, age, &y);
    if (rc) return rc;
    if (!out) return epv__error(ctx, EPV_EINVAL, "growth rate: NULL argument");
    double r = epv__growth_slope(curve->model, curve->a, curve->b, curve->c, age);
    if (!isfinite(r))
        return epv__error(ctx, EPV_EDOMAIN,
                          "age %g: the growth rate of the %s curve (a = %g, b = %g, c = %g) is not "
                          "finite there",
                          age, model_names[curve->model], curve->a, curve->b, curve->c);
    *out = r;
    return EPV_OK;
}

EPV__DEFINE_INIT(epv_growth_curve, EPV_GROWTH_CURVE_VERSION, EPV_GROWTH_CURVE_INIT)
EPV__DEFINE_INIT(epv_growth_fit, EPV_GROWTH_FIT_VERSION, EPV_GROWTH_FIT_INIT)
