/* SPDX-License-Identifier: GPL-3.0-or-later */
/* IPCC Approach 1 (error propagation) and sampling design for monitoring plots.
 * Sources: IPCC 2006 Guidelines Vol. 1 ch. 3 (Eq. 3.1, 3.2); CDM AR-Tool03 (number of sample
 * plots); CDM AR-Tool14 (uncertainty of a stratified estimate, t at n - M dof); Cochran (1977)
 * Sampling Techniques ch. 5; Freese (1962) Elementary Forest Sampling. */
#include "config.h"

#include <math.h>
#include <stdio.h>

#include <gsl/gsl_cdf.h>

#include "common_int.h"
#include "epv/uncertainty.h"

static int check_u(epv_ctx *ctx, const char *field, size_t i, double u)
{
    if (!isfinite(u) || u < 0)
        return epv__error(ctx, EPV_ERANGE, "%s[%zu]: %g is not a finite non-negative percentage",
                          field, i, u);
    return EPV_OK;
}

int epv_unc_product(epv_ctx *ctx, const double *u_pct, size_t n, double *out_u_pct)
{
    if (!u_pct || !out_u_pct || n == 0)
        return epv__error(ctx, EPV_EINVAL, "epv_unc_product: NULL argument or no terms");
    double s2 = 0;
    for (size_t i = 0; i < n; i++) {
        int rc = check_u(ctx, "u_pct", i, u_pct[i]);
        if (rc) return rc;
        s2 += u_pct[i] * u_pct[i];
    }
    *out_u_pct = sqrt(s2);
    return EPV_OK;
}

int epv_unc_sum(epv_ctx *ctx, const double *values, const double *u_pct, size_t n,
                double *out_u_pct)
{
    if (!values || !u_pct || !out_u_pct || n == 0)
        return epv__error(ctx, EPV_EINVAL, "epv_unc_sum: NULL argument or no terms");
    double num = 0, sum = 0;
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(values[i]))
            return epv__error(ctx, EPV_ERANGE, "values[%zu]: %g is not finite", i, values[i]);
        int rc = check_u(ctx, "u_pct", i, u_pct[i]);
        if (rc) return rc;
        double d = u_pct[i] * values[i];
        num += d * d;
        sum += values[i];
    }
    if (sum == 0)
        return epv__error(ctx, EPV_EDOMAIN,
                          "values: the sum is 0, so its uncertainty in percent is undefined");
    *out_u_pct = sqrt(num) / fabs(sum);
    return EPV_OK;
}

int epv_unc_product_asym(epv_ctx *ctx, const double *u_lower_pct, const double *u_upper_pct,
                         size_t n, double *out_lower_pct, double *out_upper_pct)
{
    if (!u_lower_pct || !u_upper_pct || !out_lower_pct || !out_upper_pct || n == 0)
        return epv__error(ctx, EPV_EINVAL, "epv_unc_product_asym: NULL argument or no terms");
    double lo, hi;
    int rc = epv_unc_product(ctx, u_lower_pct, n, &lo);
    if (rc) {
        epv__error_prefix(ctx, "lower");
        return rc;
    }
    rc = epv_unc_product(ctx, u_upper_pct, n, &hi);
    if (rc) {
        epv__error_prefix(ctx, "upper");
        return rc;
    }
    *out_lower_pct = lo;
    *out_upper_pct = hi;
    return EPV_OK;
}

int epv_unc_sum_asym(epv_ctx *ctx, const double *values, const double *u_lower_pct,
                     const double *u_upper_pct, size_t n, double *out_lower_pct,
                     double *out_upper_pct)
{
    if (!values || !u_lower_pct || !u_upper_pct || !out_lower_pct || !out_upper_pct || n == 0)
        return epv__error(ctx, EPV_EINVAL, "epv_unc_sum_asym: NULL argument or no terms");
    double lo, hi;
    int rc = epv_unc_sum(ctx, values, u_lower_pct, n, &lo);
    if (rc) {
        epv__error_prefix(ctx, "lower");
        return rc;
    }
    rc = epv_unc_sum(ctx, values, u_upper_pct, n, &hi);
    if (rc) {
        epv__error_prefix(ctx, "upper");
        return rc;
    }
    *out_lower_pct = lo;
    *out_upper_pct = hi;
    return EPV_OK;
}

static int check_confidence(epv_ctx *ctx, double confidence)
{
    if (!(confidence > 0 && confidence < 1))
        return epv__error(ctx, EPV_ERANGE, "confidence: %g is outside (0, 1)", confidence);
    return EPV_OK;
}

int epv_unc_from_sd(epv_ctx *ctx, double mean, double sd, double confidence, double *out_u_pct)
{
    if (!out_u_pct) return epv__error(ctx, EPV_EINVAL, "epv_unc_from_sd: NULL output");
    int rc = check_confidence(ctx, confidence);
    if (rc) return rc;
    if (!isfinite(mean) || mean == 0)
        return epv__error(ctx, EPV_ERANGE, "mean: %g must be finite and non-zero", mean);
    if (!isfinite(sd) || sd <= 0)
        return epv__error(ctx, EPV_ERANGE, "sd: %g must be finite and positive", sd);
    double z = gsl_cdf_ugaussian_Pinv(0.5 + confidence / 2);
    *out_u_pct = z * sd / fabs(mean) * 100;
    return EPV_OK;
}

/* ---------------------------------------------------------------------------------------- */

int epv_sampling_t_value(epv_ctx *ctx, double confidence, double dof, double *out)
{
    if (!out) return epv__error(ctx, EPV_EINVAL, "epv_sampling_t_value: NULL output");
    int rc = check_confidence(ctx, confidence);
    if (rc) return rc;
    if (!isfinite(dof)) return epv__error(ctx, EPV_ERANGE, "dof: %g is not finite", dof);
    double p = 0.5 + confidence / 2;
    *out = dof <= 0 ? gsl_cdf_ugaussian_Pinv(p) : gsl_cdf_tdist_Pinv(p, dof);
    return EPV_OK;
}

/* Weights are area shares: non-negative and summing to one (a missing stratum is an error
 * the user must see, not a silent rescaling). */
static int check_weights(epv_ctx *ctx, const double *w, size_t nstrata)
{
    double sum = 0;
    for (size_t h = 0; h < nstrata; h++) {
        if (!isfinite(w[h]) || w[h] < 0)
            return epv__error(ctx, EPV_ERANGE, "w[%zu]: %g is not a finite non-negative weight",
                              h, w[h]);
        sum += w[h];
    }
    if (fabs(sum - 1) > 1e-6)
        return epv__error(ctx, EPV_ERANGE, "w: stratum weights sum to %.9g, not 1", sum);
    return EPV_OK;
}

int epv_sampling_neyman(epv_ctx *ctx, const double *w, const double *s, size_t nstrata,
                        double n, double *n_h)
{
    if (!w || !s || !n_h || nstrata == 0)
        return epv__error(ctx, EPV_EINVAL, "epv_sampling_neyman: NULL argument or no strata");
    int rc = check_weights(ctx, w, nstrata);
    if (rc) return rc;
    if (!isfinite(n) || n <= 0)
        return epv__error(ctx, EPV_ERANGE, "n: %g plots must be finite and positive", n);
    double sws = 0;
    for (size_t h = 0; h < nstrata; h++) {
        if (!isfinite(s[h]) || s[h] <= 0)
            return epv__error(ctx, EPV_ERANGE, "s[%zu]: standard deviation %g must be positive",
                              h, s[h]);
        sws += w[h] * s[h];
    }
    for (size_t h = 0; h < nstrata; h++) n_h[h] = n * w[h] * s[h] / sws;
    return EPV_OK;
}

int epv_sampling_plots_needed(epv_ctx *ctx, const double *w, const double *s, size_t nstrata,
                              double N, double t, double E, epv_sampling_size *out,
                              epv_i64 *n_h)
{
    if (!w || !s || !out || nstrata == 0)
        return epv__error(ctx, EPV_EINVAL, "epv_sampling_plots_needed: NULL argument or no strata");
    int rc = check_weights(ctx, w, nstrata);
    if (rc) return rc;
    double sws = 0, sws2 = 0;
    for (size_t h = 0; h < nstrata; h++) {
        if (!isfinite(s[h]) || s[h] <= 0)
            return epv__error(ctx, EPV_ERANGE, "s[%zu]: standard deviation %g must be positive",
                              h, s[h]);
        sws += w[h] * s[h];
        sws2 += w[h] * s[h] * s[h];
    }
    if (!isfinite(N) || N < 0)
        return epv__error(ctx, EPV_ERANGE, "N: %g possible plots must be finite and >= 0", N);
    if (!isfinite(t) || t <= 0)
        return epv__error(ctx, EPV_ERANGE, "t: %g must be finite and positive", t);
    if (!isfinite(E) || E <= 0)
        return epv__error(ctx, EPV_ERANGE, "E: allowable error %g must be finite and positive", E);
    double n;
    if (N == 0) {
        double r = t * sws / E;
        n = r * r;
    } else {
        double Nt = N * t, NE = N * E;
        n = Nt * Nt * sws * sws / (NE * NE + N * t * t * sws2);
    }
    if (!isfinite(n) || n > 9.0e15)
        return epv__error(ctx, EPV_ERANGE, "n: %g plots cannot be represented", n);
    epv_i64 total = (epv_i64)ceil(n);
    if (total < 1) total = 1;
    if (n_h) {
        for (size_t h = 0; h < nstrata; h++) n_h[h] = (epv_i64)ceil(n * w[h] * s[h] / sws);
    }
    out->n_exact = n;
    out->n = total;
    return EPV_OK;
}

int epv_sampling_stratified(epv_ctx *ctx, const double *w, const double *values,
                            const size_t *counts, size_t nstrata, const double *N_h,
                            double confidence, epv_sampling_estimate *out)
{
    if (!w || !values || !counts || !out || nstrata == 0)
        return epv__error(ctx, EPV_EINVAL, "epv_sampling_stratified: NULL argument or no strata");
    int rc = check_weights(ctx, w, nstrata);
    if (rc) return rc;
    rc = check_confidence(ctx, confidence);
    if (rc) return rc;
    double mean = 0, var = 0;
    size_t off = 0, n = 0;
    for (size_t h = 0; h < nstrata; h++) {
        size_t nh = counts[h];
        if (nh < 2)
            return epv__error(ctx, EPV_ERANGE,
                              "counts[%zu]: stratum has %zu plots; a variance needs at least 2", h,
                              nh);
        double m = 0;
        for (size_t i = 0; i < nh; i++) {
            double v = values[off + i];
            if (!isfinite(v))
                return epv__error(ctx, EPV_ERANGE, "values[%zu] (stratum %zu, plot %zu): %g is "
                                  "not finite", off + i, h, i, v);
            m += v;
        }
        m /= (double)nh;
        double ss = 0;
        for (size_t i = 0; i < nh; i++) {
            double d = values[off + i] - m;
            ss += d * d;
        }
        double s2 = ss / (double)(nh - 1);
        double fpc = 1;
        if (N_h) {
            if (!isfinite(N_h[h]) || N_h[h] < (double)nh)
                return epv__error(ctx, EPV_ERANGE,
                                  "N_h[%zu]: %g possible plots is fewer than the %zu measured", h,
                                  N_h[h], nh);
            fpc = 1 - (double)nh / N_h[h];
        }
        mean += w[h] * m;
        var += w[h] * w[h] * s2 / (double)nh * fpc;
        off += nh;
        n += nh;
    }
    double dof = (double)(n - nstrata);
    double t;
    rc = epv_sampling_t_value(ctx, confidence, dof, &t);
    if (rc) return rc;
    double se = sqrt(var);
    out->mean = mean;
    out->se = se;
    out->n = (epv_i64)n;
    out->dof = dof;
    out->t = t;
    out->half_width = t * se;
    out->precision_pct = mean != 0 ? t * se / fabs(mean) * 100 : HUGE_VAL;
    return EPV_OK;
}

/* PROVISIONAL: quoted second-hand in shared/references.md ("a table of deductions by
 * uncertainty band": <= 10% -> 0, 10-20% -> 6%, 20-30% -> 11%); the primary text was not
 * found. Callers with the applicable methodology's table should pass it instead. */
static const epv_deduction_band default_bands[] = {
    { 10.0, 0.0 },
    { 20.0, 6.0 },
    { 30.0, 11.0 },
};

void epv_sampling_default_deductions(const epv_deduction_band **bands, size_t *n)
{
    if (bands) *bands = default_bands;
    if (n) *n = EPV__ARRAY_LEN(default_bands);
}

int epv_sampling_deduction(epv_ctx *ctx, const epv_deduction_band *bands, size_t nbands,
                           double u_pct, double *out_deduction_pct)
{
    if (!out_deduction_pct)
        return epv__error(ctx, EPV_EINVAL, "epv_sampling_deduction: NULL output");
    if (!bands) {
        bands = default_bands;
        nbands = EPV__ARRAY_LEN(default_bands);
    }
    if (nbands == 0) return epv__error(ctx, EPV_EINVAL, "bands: the table is empty");
    for (size_t i = 0; i < nbands; i++) {
        if (!isfinite(bands[i].upper_pct) || bands[i].upper_pct < 0 ||
            (i > 0 && bands[i].upper_pct <= bands[i - 1].upper_pct))
            return epv__error(ctx, EPV_ERANGE,
                              "bands[%zu].upper_pct: %g is not above the previous band's bound",
                              i, bands[i].upper_pct);
        if (!isfinite(bands[i].deduction_pct) || bands[i].deduction_pct < 0 ||
            bands[i].deduction_pct > 100)
            return epv__error(ctx, EPV_ERANGE, "bands[%zu].deduction_pct: %g is outside [0, 100]",
                              i, bands[i].deduction_pct);
    }
    if (!isfinite(u_pct) || u_pct < 0)
        return epv__error(ctx, EPV_ERANGE, "u_pct: %g is not a finite non-negative percentage",
                          u_pct);
    for (size_t i = 0; i < nbands; i++) {
        if (u_pct <= bands[i].upper_pct) {
            *out_deduction_pct = bands[i].deduction_pct;
            return EPV_OK;
        }
    }
    return epv__error(ctx, EPV_ERANGE,
                      "u_pct: uncertainty %.4g%% is beyond the deduction table's last band "
                      "(%.4g%%); more sample plots are needed",
                      u_pct, bands[nbands - 1].upper_pct);
}

EPV__DEFINE_INIT(epv_unc_interval, EPV_UNC_INTERVAL_VERSION, EPV_UNC_INTERVAL_INIT)
