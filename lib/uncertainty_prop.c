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
    if (!isfinite(s2))
        return epv__error(ctx, EPV_ERANGE,
                          "u_pct: the sum of squared uncertainties overflows (terms up to "
                          "%.3g%%); Approach 1 cannot combine them", u_pct[0]);
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
        if (!isfinite(num))
            return epv__error(ctx, EPV_ERANGE,
                              "values[%zu], u_pct[%zu]: (U x)^2 = (%g x %g)^2 overflows; Approach 1 "
                              "cannot combine these terms (rescale the unit)", i, i, u_pct[i],
                              values[i]);
        if (!isfinite(sum))
            return epv__error(ctx, EPV_ERANGE, "values[%zu]: the sum overflows at this term", i);
    }
    if (sum == 0)
        return epv__error(ctx, EPV_EDOMAIN,
                          "values: the sum is 0, so its uncertainty in percent is undefined");
    double u = sqrt(num) / fabs(sum);
    if (!isfinite(u))
        return epv__error(ctx, EPV_EDOMAIN,
                          "values: the sum %g is too close to 0 for a relative uncertainty (U%% "
                          "overflows)", sum);
    *out_u_pct = u;
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
    double u = z * sd / fabs(mean) * 100;
    if (!isfinite(u))
        return epv__error(ctx, EPV_ERANGE, "sd %g / mean %g: the relative uncertainty overflows", sd, mean);
    *out_u_pct = u;
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
    { int rcv = epv__check_version(ctx, "epv_sampling_size", out, EPV_SAMPLING_SIZE_VERSION); if (rcv) return rcv; }
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
    out->version = EPV_SAMPLING_SIZE_VERSION;
    return EPV_OK;
}

/* Per-stratum statistics of a stratified estimate. */
typedef struct strat_stats {
    double n, mean, s2;
} strat_stats;

/* Combine strata into the stratified mean, its standard error and the precision achieved
 * (Cochran 1977 eq. 5.1, 5.6 with the finite-population correction). */
static int stratified_finish(epv_ctx *ctx, const double *w, const strat_stats *st, size_t nstrata,
                             const double *N_h, double confidence, double t_value,
                             epv_sampling_estimate *out)
{
    double mean = 0, var = 0, n = 0;
    for (size_t h = 0; h < nstrata; h++) {
        double fpc = 1;
        if (N_h) {
            if (!isfinite(N_h[h]) || N_h[h] < st[h].n)
                return epv__error(ctx, EPV_ERANGE,
                                  "N_h[%zu]: %g possible plots is fewer than the %.0f measured", h,
                                  N_h[h], st[h].n);
            fpc = 1 - st[h].n / N_h[h];
        }
        mean += w[h] * st[h].mean;
        var += w[h] * w[h] * st[h].s2 / st[h].n * fpc;
        n += st[h].n;
    }
    if (!isfinite(mean) || !isfinite(var))
        return epv__error(ctx, EPV_ERANGE, "plot values: the stratified mean or its variance overflows");
    double dof = n - (double)nstrata;
    double t;
    if (t_value != 0) {
        if (!isfinite(t_value) || t_value < 0)
            return epv__error(ctx, EPV_ERANGE, "t_value: %g must be finite and positive (0: from confidence)",
                              t_value);
        t = t_value;
    } else {
        int rc = check_confidence(ctx, confidence);
        if (rc) return rc;
        rc = epv_sampling_t_value(ctx, confidence, dof, &t);
        if (rc) return rc;
    }
    double se = sqrt(var);
    double prec = mean != 0 ? t * se / fabs(mean) * 100 : HUGE_VAL;
    if (!isfinite(prec))
        return epv__error(ctx, EPV_EDOMAIN,
                          "plot values: the stratified mean %g is too close to 0 for a precision in "
                          "percent", mean);
    epv_sampling_estimate r = EPV_SAMPLING_ESTIMATE_INIT;
    r.mean = mean;
    r.se = se;
    r.n = (epv_i64)n;
    r.dof = dof;
    r.t = t;
    r.half_width = t * se;
    r.precision_pct = prec;
    *out = r;
    return EPV_OK;
}

static int stratified_begin(epv_ctx *ctx, const double *w, size_t nstrata, epv_sampling_estimate *out)
{
    int rc = epv__check_version(ctx, "epv_sampling_estimate", out, EPV_SAMPLING_ESTIMATE_VERSION);
    if (rc) return rc;
    return check_weights(ctx, w, nstrata);
}

int epv_sampling_stratified(epv_ctx *ctx, const double *w, const double *values,
                            const size_t *counts, size_t nstrata, const double *N_h,
                            double confidence, double t_value, epv_sampling_estimate *out)
{
    if (!w || !values || !counts || !out || nstrata == 0)
        return epv__error(ctx, EPV_EINVAL, "epv_sampling_stratified: NULL argument or no strata");
    int rc = stratified_begin(ctx, w, nstrata, out);
    if (rc) return rc;
    strat_stats *st = epv__calloc(ctx, nstrata, sizeof *st);
    if (!st) return EPV_ENOMEM;
    size_t off = 0;
    for (size_t h = 0; h < nstrata && !rc; h++) {
        size_t nh = counts[h];
        if (nh < 2) {
            rc = epv__error(ctx, EPV_ERANGE,
                            "counts[%zu]: stratum has %zu plots; a variance needs at least 2", h, nh);
            break;
        }
        double m = 0;
        for (size_t i = 0; i < nh; i++) {
            double v = values[off + i];
            if (!isfinite(v)) {
                rc = epv__error(ctx, EPV_ERANGE, "values[%zu] (stratum %zu, plot %zu): %g is "
                                "not finite", off + i, h, i, v);
                break;
            }
            m += v;
        }
        if (rc) break;
        m /= (double)nh;
        double ss = 0;
        for (size_t i = 0; i < nh; i++) {
            double d = values[off + i] - m;
            ss += d * d;
        }
        st[h].n = (double)nh;
        st[h].mean = m;
        st[h].s2 = ss / (double)(nh - 1);
        off += nh;
    }
    if (!rc) rc = stratified_finish(ctx, w, st, nstrata, N_h, confidence, t_value, out);
    epv__free(ctx, st);
    return rc;
}

int epv_sampling_stratified_sums(epv_ctx *ctx, const double *w, const epv_i64 *n,
                                 const double *sum_x, const double *sum_x2, size_t nstrata,
                                 const double *N_h, double confidence, double t_value,
                                 epv_sampling_estimate *out)
{
    if (!w || !n || !sum_x || !sum_x2 || !out || nstrata == 0)
        return epv__error(ctx, EPV_EINVAL, "epv_sampling_stratified_sums: NULL argument or no strata");
    int rc = stratified_begin(ctx, w, nstrata, out);
    if (rc) return rc;
    strat_stats *st = epv__calloc(ctx, nstrata, sizeof *st);
    if (!st) return EPV_ENOMEM;
    for (size_t h = 0; h < nstrata; h++) {
        if (n[h] < 2) {
            rc = epv__error(ctx, EPV_ERANGE,
                            "n[%zu]: stratum has %lld plots; a variance needs at least 2", h,
                            (long long)n[h]);
            break;
        }
        if (!isfinite(sum_x[h]) || !isfinite(sum_x2[h]) || sum_x2[h] < 0) {
            rc = epv__error(ctx, EPV_ERANGE, "stratum %zu: sum_x %g and sum_x2 %g must be finite "
                            "(sum_x2 >= 0)", h, sum_x[h], sum_x2[h]);
            break;
        }
        double nh = (double)n[h], m = sum_x[h] / nh;
        /* s^2 = (sum x^2 - (sum x)^2 / n) / (n - 1). The difference cancels when the spread is
         * small beside the mean: rounding may leave it a few ulps below 0 (then 0), anything
         * more negative means the sums do not belong together. */
        double ss = sum_x2[h] - sum_x[h] * m;
        if (!isfinite(ss)) {
            rc = epv__error(ctx, EPV_ERANGE, "stratum %zu: sum_x^2 / n overflows", h);
            break;
        }
        if (ss < 0) {
            if (-ss > 1e-12 * sum_x2[h] * nh) {
                rc = epv__error(ctx, EPV_ERANGE,
                                "stratum %zu: sum_x2 %.17g is smaller than sum_x^2 / n = %.17g: "
                                "these sums cannot come from %lld real values",
                                h, sum_x2[h], sum_x[h] * m, (long long)n[h]);
                break;
            }
            ss = 0;
        }
        st[h].n = nh;
        st[h].mean = m;
        st[h].s2 = ss / (nh - 1);
    }
    if (!rc) rc = stratified_finish(ctx, w, st, nstrata, N_h, confidence, t_value, out);
    epv__free(ctx, st);
    return rc;
}

/* PROVISIONAL: quoted second-hand in shared/references.md ("a table of deductions by
 * uncertainty band": <= 10% -> 0, 10-20% -> 6%, 20-30% -> 11%); the primary text was not
 * found. Callers with the applicable methodology's table should pass it instead. */
static const double default_upper[] = { 10.0, 20.0, 30.0 };
static const double default_deduction[] = { 0.0, 6.0, 11.0 };
static const char default_source[] =
    "PROVISIONAL: deduction bands quoted second-hand (libepv shared/references.md, precision "
    "rule of the CCER forestry methodologies); the primary clause has not been verified";

void epv_sampling_default_deductions(const double **upper_pct, const double **deduction_pct,
                                     size_t *n, const char **source, int *provisional)
{
    if (upper_pct) *upper_pct = default_upper;
    if (deduction_pct) *deduction_pct = default_deduction;
    if (n) *n = EPV__ARRAY_LEN(default_upper);
    if (source) *source = default_source;
    if (provisional) *provisional = 1;
}

int epv_sampling_deduction(epv_ctx *ctx, const double *upper_pct, const double *deduction_pct,
                           size_t nbands, double u_pct, double *out_deduction_pct)
{
    if (!out_deduction_pct)
        return epv__error(ctx, EPV_EINVAL, "epv_sampling_deduction: NULL output");
    if (!upper_pct && !deduction_pct) {
        upper_pct = default_upper;
        deduction_pct = default_deduction;
        nbands = EPV__ARRAY_LEN(default_upper);
    }
    if (!upper_pct || !deduction_pct)
        return epv__error(ctx, EPV_EINVAL, "epv_sampling_deduction: give both upper_pct and deduction_pct, or neither");
    if (nbands == 0) return epv__error(ctx, EPV_EINVAL, "bands: the table is empty");
    for (size_t i = 0; i < nbands; i++) {
        if (!isfinite(upper_pct[i]) || upper_pct[i] < 0 ||
            (i > 0 && upper_pct[i] <= upper_pct[i - 1]))
            return epv__error(ctx, EPV_ERANGE,
                              "upper_pct[%zu]: %g is not above the previous band's bound",
                              i, upper_pct[i]);
        if (!isfinite(deduction_pct[i]) || deduction_pct[i] < 0 || deduction_pct[i] > 100)
            return epv__error(ctx, EPV_ERANGE, "deduction_pct[%zu]: %g is outside [0, 100]",
                              i, deduction_pct[i]);
    }
    if (!isfinite(u_pct) || u_pct < 0)
        return epv__error(ctx, EPV_ERANGE, "u_pct: %g is not a finite non-negative percentage",
                          u_pct);
    for (size_t i = 0; i < nbands; i++) {
        if (u_pct <= upper_pct[i]) {
            *out_deduction_pct = deduction_pct[i];
            return EPV_OK;
        }
    }
    return epv__error(ctx, EPV_ERANGE,
                      "u_pct: uncertainty %.4g%% is beyond the deduction table's last band "
                      "(%.4g%%); more sample plots are needed",
                      u_pct, upper_pct[nbands - 1]);
}

EPV__DEFINE_INIT(epv_sampling_size, EPV_SAMPLING_SIZE_VERSION, EPV_SAMPLING_SIZE_INIT)
EPV__DEFINE_INIT(epv_sampling_estimate, EPV_SAMPLING_ESTIMATE_VERSION, EPV_SAMPLING_ESTIMATE_INIT)
EPV__DEFINE_INIT(epv_unc_interval, EPV_UNC_INTERVAL_VERSION, EPV_UNC_INTERVAL_INIT)
