/* SPDX-License-Identifier: GPL-3.0-or-later */
/* IPCC Approach 2: Monte Carlo over a user model (IPCC 2006 Vol. 1 ch. 3, section 3.2.3.2).
 *
 * Reproducibility: iterations are cut into blocks of EPV__MC_BLOCK; block b draws from its own
 * xoshiro256** stream seeded from (ctx seed, b) through SplitMix64 (uncertainty_run.c). Workers
 * take whole blocks, in increasing order, as they become free, so the draws of iteration i never
 * depend on how many threads ran or how fast they were. Summaries are computed afterwards from
 * the stored draws in iteration order. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_eigen.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

#include "uncertainty_int.h"

/* ---- distributions ---------------------------------------------------------------------- */

epv_mc_dist epv_mc_dist_normal(double mean, double sd)
{
    epv_mc_dist d = { EPV_MC_DIST_VERSION, EPV_MC_DIST_NORMAL, mean, sd, 0, 0 };
    return d;
}
epv_mc_dist epv_mc_dist_lognormal(double mean, double sd)
{
    epv_mc_dist d = { EPV_MC_DIST_VERSION, EPV_MC_DIST_LOGNORMAL, mean, sd, 0, 0 };
    return d;
}
epv_mc_dist epv_mc_dist_lognormal_log(double mu, double sigma)
{
    epv_mc_dist d = { EPV_MC_DIST_VERSION, EPV_MC_DIST_LOGNORMAL_LOG, mu, sigma, 0, 0 };
    return d;
}
epv_mc_dist epv_mc_dist_uniform(double lower, double upper)
{
    epv_mc_dist d = { EPV_MC_DIST_VERSION, EPV_MC_DIST_UNIFORM, lower, upper, 0, 0 };
    return d;
}
epv_mc_dist epv_mc_dist_triangular(double lower, double mode, double upper)
{
    epv_mc_dist d = { EPV_MC_DIST_VERSION, EPV_MC_DIST_TRIANGULAR, lower, mode, upper, 0 };
    return d;
}
epv_mc_dist epv_mc_dist_trunc_normal(double mean, double sd, double lower, double upper)
{
    epv_mc_dist d = { EPV_MC_DIST_VERSION, EPV_MC_DIST_TRUNC_NORMAL, mean, sd, lower, upper };
    return d;
}
epv_mc_dist epv_mc_dist_constant(double value)
{
    epv_mc_dist d = { EPV_MC_DIST_VERSION, EPV_MC_DIST_CONSTANT, value, 0, 0, 0 };
    return d;
}

/* Validate a distribution and fill the derived parameters. Messages name the input. */
static int prepare_input(epv_ctx *ctx, const char *name, const epv_mc_dist *d, int flags,
                         epv__mc_input *in)
{
    int nonneg = (flags & EPV_MC_NONNEG) != 0;
    double a = d->a, b = d->b, c = d->c, e = d->d;
    memset(in, 0, sizeof *in);
    in->dist = *d;
    in->flags = flags;
    in->group = -1;
    switch (d->type) {
    case EPV_MC_DIST_NORMAL:
        if (!isfinite(a)) return epv__error(ctx, EPV_ERANGE, "input '%s': mean %g is not finite", name, a);
        if (!isfinite(b) || b <= 0)
            return epv__error(ctx, EPV_ERANGE, "input '%s': standard deviation %g must be positive", name, b);
        if (nonneg && a < 0)
            return epv__error(ctx, EPV_ERANGE, "input '%s': declared non-negative but its mean is %g", name, a);
        break;
    case EPV_MC_DIST_LOGNORMAL:
        if (!isfinite(a) || a <= 0)
            return epv__error(ctx, EPV_ERANGE, "input '%s': lognormal mean %g must be positive", name, a);
        if (!isfinite(b) || b <= 0)
            return epv__error(ctx, EPV_ERANGE, "input '%s': standard deviation %g must be positive", name, b);
        /* Moments of the variable -> parameters of its log: sigma^2 = ln(1 + (sd/mean)^2),
         * mu = ln(mean) - sigma^2 / 2. */
        in->sigma = sqrt(log1p((b / a) * (b / a)));
        in->mu = log(a) - in->sigma * in->sigma / 2;
        break;
    case EPV_MC_DIST_LOGNORMAL_LOG:
        if (!isfinite(a)) return epv__error(ctx, EPV_ERANGE, "input '%s': mu %g is not finite", name, a);
        if (!isfinite(b) || b <= 0)
            return epv__error(ctx, EPV_ERANGE, "input '%s': sigma %g must be positive", name, b);
        in->mu = a;
        in->sigma = b;
        break;
    case EPV_MC_DIST_UNIFORM:
        if (!isfinite(a) || !isfinite(b) || !(a < b))
            return epv__error(ctx, EPV_ERANGE, "input '%s': uniform bounds [%g, %g] need lower < upper", name, a, b);
        if (nonneg && a < 0)
            return epv__error(ctx, EPV_ERANGE, "input '%s': declared non-negative but the uniform lower bound is %g", name, a);
        break;
    case EPV_MC_DIST_TRIANGULAR:
        if (!isfinite(a) || !isfinite(b) || !isfinite(c) || !(a <= b && b <= c && a < c))
            return epv__error(ctx, EPV_ERANGE, "input '%s': triangular (%g, %g, %g) needs lower <= mode <= upper, lower < upper", name, a, b, c);
        if (nonneg && a < 0)
            return epv__error(ctx, EPV_ERANGE, "input '%s': declared non-negative but the triangular lower bound is %g", name, a);
        break;
    case EPV_MC_DIST_TRUNC_NORMAL: {
        if (!isfinite(a)) return epv__error(ctx, EPV_ERANGE, "input '%s': mean %g is not finite", name, a);
        if (!isfinite(b) || b <= 0)
            return epv__error(ctx, EPV_ERANGE, "input '%s': standard deviation %g must be positive", name, b);
        if (isnan(c) || isnan(e) || !(c < e))
            return epv__error(ctx, EPV_ERANGE, "input '%s': truncation bounds [%g, %g] need lower < upper", name, c, e);
        if (nonneg && c < 0)
            return epv__error(ctx, EPV_ERANGE, "input '%s': declared non-negative but the truncation lower bound is %g", name, c);
        double al = (c - a) / b, be = (e - a) / b;
        /* Invert in the tail that keeps precision: through Q when the interval lies above the
         * mean, through P otherwise. */
        in->upper_tail = al > 0;
        if (in->upper_tail) {
            in->qa = gsl_cdf_ugaussian_Q(al);
            in->qb = gsl_cdf_ugaussian_Q(be);
        } else {
            in->qa = gsl_cdf_ugaussian_P(al);
            in->qb = gsl_cdf_ugaussian_P(be);
        }
        if (!(fabs(in->qa - in->qb) > 0))
            return epv__error(ctx, EPV_ERANGE, "input '%s': truncation interval [%g, %g] has no probability mass", name, c, e);
        break;
    }
    case EPV_MC_DIST_CONSTANT:
        if (!isfinite(a)) return epv__error(ctx, EPV_ERANGE, "input '%s': value %g is not finite", name, a);
        if (nonneg && a < 0)
            return epv__error(ctx, EPV_ERANGE, "input '%s': declared non-negative but is %g", name, a);
        break;
    default:
        return epv__error(ctx, EPV_EINVAL, "input '%s': unknown distribution type %d", name, (int)d->type);
    }
    return EPV_OK;
}

/* ---- handle ----------------------------------------------------------------------------- */

int epv_mc_new(epv_ctx *ctx, epv_mc **out)
{
    if (!out) return epv__error(ctx, EPV_EINVAL, "epv_mc_new: NULL output");
    *out = NULL;
    if (!ctx) return EPV_EINVAL;
    epv_mc *mc = epv__calloc(ctx, 1, sizeof *mc);
    if (!mc) return EPV_ENOMEM;
    mc->ctx = ctx;
    *out = mc;
    return EPV_OK;
}

void epv__mc_drop_results(epv_mc *mc)
{
    epv__free(mc->ctx, mc->res);
    epv__free(mc->ctx, mc->sorted);
    mc->res = mc->sorted = NULL;
    mc->iters = mc->n_out = 0;
}

void epv_mc_free(epv_mc *mc)
{
    if (!mc) return;
    epv_ctx *ctx = mc->ctx;
    for (size_t i = 0; i < mc->n_in; i++) epv__free(ctx, mc->in[i].name);
    for (size_t g = 0; g < mc->n_groups; g++) {
        epv__free(ctx, mc->groups[g].idx);
        epv__free(ctx, mc->groups[g].L);
    }
    epv__free(ctx, mc->in);
    epv__free(ctx, mc->groups);
    epv__mc_drop_results(mc);
    epv__free(ctx, mc);
}

size_t epv_mc_n_inputs(const epv_mc *mc) { return mc ? mc->n_in : 0; }

int epv_mc_add_input(epv_mc *mc, const char *name, const epv_mc_dist *dist, int flags,
                     size_t *index)
{
    if (!mc) return EPV_EINVAL;
    epv_ctx *ctx = mc->ctx;
    if (!name || !dist) return epv__error(ctx, EPV_EINVAL, "epv_mc_add_input: NULL name or distribution");
    {
        int rcv = epv__check_version(ctx, "epv_mc_dist", dist, EPV_MC_DIST_VERSION);
        if (rcv) {
            epv__error_prefix(ctx, "input '%s'", name);
            return rcv;
        }
    }
    if (flags & ~EPV_MC_NONNEG)
        return epv__error(ctx, EPV_EINVAL, "input '%s': unknown flags 0x%x", name, (unsigned)flags);
    epv__mc_input in;
    int rc = prepare_input(ctx, name, dist, flags, &in);
    if (rc) return rc;
    in.name = epv__strdup(ctx, name);
    if (!in.name) return EPV_ENOMEM;
    rc = epv__grow(ctx, (void **)&mc->in, &mc->cap_in, mc->n_in + 1, sizeof *mc->in);
    if (rc) {
        epv__free(ctx, in.name);
        return rc;
    }
    epv__mc_drop_results(mc);
    if (index) *index = mc->n_in;
    mc->in[mc->n_in++] = in;
    return EPV_OK;
}

/* Check a k x k matrix is a correlation matrix (unit diagonal, symmetric, entries in [-1, 1])
 * and positive definite; on success *L_out holds its Cholesky factor. Positive definiteness is
 * decided from the eigenvalues first (gsl_eigen_symm never raises a GSL error), so
 * gsl_linalg_cholesky_decomp1 is only called on matrices it can factor and the host's GSL
 * error handler is never triggered. */
static int factor_correlation(epv_ctx *ctx, const char *field, size_t k, const double *corr,
                              double **L_out)
{
    for (size_t i = 0; i < k; i++) {
        for (size_t j = 0; j < k; j++) {
            double r = corr[i * k + j];
            if (!isfinite(r) || r < -1 || r > 1)
                return epv__error(ctx, EPV_ERANGE, "%s[%zu][%zu]: %g is outside [-1, 1]", field, i, j, r);
            if (i == j && r != 1)
                return epv__error(ctx, EPV_ERANGE, "%s[%zu][%zu]: diagonal must be 1, not %g", field, i, j, r);
            if (fabs(r - corr[j * k + i]) > 1e-12)
                return epv__error(ctx, EPV_ERANGE, "%s[%zu][%zu]: matrix is not symmetric (%g vs %g)",
                                  field, i, j, r, corr[j * k + i]);
        }
    }
    double *L = epv__malloc(ctx, k * k * sizeof *L);
    double *tmp = epv__malloc(ctx, k * k * sizeof *tmp);
    gsl_vector *eval = gsl_vector_alloc(k);
    gsl_eigen_symm_workspace *ws = gsl_eigen_symm_alloc(k);
    int rc = EPV_OK;
    if (!L || !tmp || !eval || !ws) {
        rc = L && tmp ? epv__error(ctx, EPV_ENOMEM, "%s: out of memory", field) : EPV_ENOMEM;
        goto done;
    }
    memcpy(tmp, corr, k * k * sizeof *tmp);
    gsl_matrix_view tv = gsl_matrix_view_array(tmp, k, k);
    if (gsl_eigen_symm(&tv.matrix, eval, ws) != 0) {
        rc = epv__error(ctx, EPV_ENOCONV, "%s: eigenvalues did not converge", field);
        goto done;
    }
    double emin = gsl_vector_min(eval);
    if (!(emin > 1e-10)) {
        rc = epv__error(ctx, EPV_EDOMAIN,
                        "%s: matrix is not positive definite (smallest eigenvalue %.3g); "
                        "correlations this strong cannot occur together",
                        field, emin);
        goto done;
    }
    memcpy(L, corr, k * k * sizeof *L);
    gsl_matrix_view lv = gsl_matrix_view_array(L, k, k);
    if (gsl_linalg_cholesky_decomp1(&lv.matrix) != 0) {
        rc = epv__error(ctx, EPV_EDOMAIN, "%s: Cholesky factorisation failed", field);
        goto done;
    }
    for (size_t i = 0; i < k; i++)
        for (size_t j = i + 1; j < k; j++) L[i * k + j] = 0; /* keep the lower factor only */
done:
    if (ws) gsl_eigen_symm_free(ws);
    if (eval) gsl_vector_free(eval);
    epv__free(ctx, tmp);
    if (rc) {
        epv__free(ctx, L);
        L = NULL;
    }
    *L_out = L;
    return rc;
}

static int add_group(epv_mc *mc, const size_t *idx, size_t k, double *L)
{
    epv_ctx *ctx = mc->ctx;
    size_t *copy = epv__malloc(ctx, k * sizeof *copy);
    if (!copy || epv__grow(ctx, (void **)&mc->groups, &mc->cap_groups, mc->n_groups + 1,
                           sizeof *mc->groups)) {
        epv__free(ctx, copy);
        epv__free(ctx, L);
        return EPV_ENOMEM;
    }
    memcpy(copy, idx, k * sizeof *copy);
    for (size_t i = 0; i < k; i++) mc->in[idx[i]].group = (long)mc->n_groups;
    mc->groups[mc->n_groups].k = k;
    mc->groups[mc->n_groups].idx = copy;
    mc->groups[mc->n_groups].L = L;
    mc->n_groups++;
    epv__mc_drop_results(mc);
    return EPV_OK;
}

int epv_mc_set_correlation(epv_mc *mc, const size_t *idx, size_t k, const double *corr)
{
    if (!mc) return EPV_EINVAL;
    epv_ctx *ctx = mc->ctx;
    if (!idx || !corr || k < 2)
        return epv__error(ctx, EPV_EINVAL, "epv_mc_set_correlation: NULL argument or fewer than 2 inputs");
    for (size_t i = 0; i < k; i++) {
        if (idx[i] >= mc->n_in)
            return epv__error(ctx, EPV_ERANGE, "idx[%zu]: no input %zu (%zu added)", i, idx[i], mc->n_in);
        if (mc->in[idx[i]].group >= 0)
            return epv__error(ctx, EPV_EEXISTS, "input '%s': already in a correlated group", mc->in[idx[i]].name);
        for (size_t j = 0; j < i; j++)
            if (idx[j] == idx[i])
                return epv__error(ctx, EPV_EINVAL, "idx[%zu]: input '%s' listed twice", i, mc->in[idx[i]].name);
    }
    double *L;
    int rc = factor_correlation(ctx, "corr", k, corr, &L);
    if (rc) return rc;
    return add_group(mc, idx, k, L);
}

int epv_mc_add_mvnormal(epv_mc *mc, const char *prefix, size_t k, const double *mean,
                        const double *cov, int flags, size_t *first_index)
{
    if (!mc) return EPV_EINVAL;
    epv_ctx *ctx = mc->ctx;
    if (!prefix || !mean || !cov || k == 0)
        return epv__error(ctx, EPV_EINVAL, "epv_mc_add_mvnormal: NULL argument or k == 0");
    int rc = EPV_OK;
    double *corr = epv__malloc(ctx, k * k * sizeof *corr);
    size_t *idx = epv__malloc(ctx, k * sizeof *idx);
    double *L = NULL;
    if (!corr || !idx) {
        rc = EPV_ENOMEM;
        goto out;
    }
    for (size_t i = 0; i < k; i++) {
        double v = cov[i * k + i];
        if (!isfinite(v) || v <= 0) {
            rc = epv__error(ctx, EPV_ERANGE, "%s: cov[%zu][%zu]: variance %g must be positive",
                            prefix, i, i, v);
            goto out;
        }
    }
    for (size_t i = 0; i < k; i++) {
        for (size_t j = 0; j < k; j++) {
            double c = cov[i * k + j];
            if (!isfinite(c) || fabs(c - cov[j * k + i]) > 1e-12 * (fabs(c) + fabs(cov[j * k + i]))) {
                rc = epv__error(ctx, EPV_ERANGE, "%s: cov[%zu][%zu]: %g is not finite or not symmetric",
                                prefix, i, j, c);
                goto out;
            }
            double r = c / sqrt(cov[i * k + i] * cov[j * k + j]);
            if (i == j) r = 1;
            if (r > 1 || r < -1) {
                rc = epv__error(ctx, EPV_EDOMAIN, "%s: cov[%zu][%zu]: implies correlation %g outside "
                                "[-1, 1]; the covariance is not positive definite", prefix, i, j, r);
                goto out;
            }
            corr[i * k + j] = r;
        }
    }
    if (k > 1) {
        char field[128];
        snprintf(field, sizeof field, "%s: cov", prefix);
        rc = factor_correlation(ctx, field, k, corr, &L);
        if (rc) goto out;
    }
    /* All checks passed: validate every marginal before adding anything (all or nothing). */
    {
        char name[256];
        epv__mc_input tmp;
        for (size_t i = 0; i < k; i++) {
            snprintf(name, sizeof name, "%s[%zu]", prefix, i);
            epv_mc_dist d = epv_mc_dist_normal(mean[i], sqrt(cov[i * k + i]));
            rc = prepare_input(ctx, name, &d, flags, &tmp);
            if (rc) goto out;
        }
        if (epv__grow(ctx, (void **)&mc->in, &mc->cap_in, mc->n_in + k, sizeof *mc->in)) {
            rc = EPV_ENOMEM;
            goto out;
        }
        size_t first = mc->n_in;
        for (size_t i = 0; i < k; i++) {
            snprintf(name, sizeof name, "%s[%zu]", prefix, i);
            epv_mc_dist d = epv_mc_dist_normal(mean[i], sqrt(cov[i * k + i]));
            rc = epv_mc_add_input(mc, name, &d, flags, &idx[i]);
            if (rc) { /* only ENOMEM can happen here: undo what was added */
                while (mc->n_in > first) epv__free(ctx, mc->in[--mc->n_in].name);
                goto out;
            }
        }
        if (k > 1) {
            rc = add_group(mc, idx, k, L);
            L = NULL; /* owned by the group (or freed by add_group on failure) */
            if (rc) {
                while (mc->n_in > first) epv__free(ctx, mc->in[--mc->n_in].name);
                goto out;
            }
        }
        if (first_index) *first_index = first;
    }
out:
    epv__free(ctx, L);
    epv__free(ctx, corr);
    epv__free(ctx, idx);
    return rc;
}

int epv__mc_check_output(epv_mc *mc, size_t output)
{
    if (!mc->res)
        return epv__error(mc->ctx, EPV_ESTATE, "Monte Carlo: no results yet (call epv_mc_run first)");
    if (output >= mc->n_out)
        return epv__error(mc->ctx, EPV_ERANGE, "output: %zu is not below the %zu outputs", output, mc->n_out);
    return EPV_OK;
}

EPV__DEFINE_INIT(epv_mc_dist, EPV_MC_DIST_VERSION, EPV_MC_DIST_INIT)
EPV__DEFINE_INIT(epv_mc_summary, EPV_MC_SUMMARY_VERSION, EPV_MC_SUMMARY_INIT)
