/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Fitting growth curves to (age, y) data by nonlinear least squares with GSL's
 * gsl_multifit_nlinear (trust region, Levenberg-Marquardt steps, QR linear solver,
 * analytic Jacobians from epv__growth_gradient).
 *
 * GSL's error handler. We never change it (it belongs to the host program), so every GSL
 * call here must be unable to reach it. What GSL reports through its handler in the calls
 * we make, and how each case is kept out of reach:
 *  - gsl_multifit_nlinear_alloc: n < p. We require n >= p + 1 before allocating.
 *  - gsl_multifit_nlinear_init: size mismatches. The fdf, start vector and workspace are
 *    built from the same n and p.
 *  - gsl_multifit_nlinear_test: a negative xtol. Our tolerances are positive constants.
 *  - gsl_multifit_nlinear_covar: a Jacobian with fewer rows than columns, or a covariance
 *    matrix of the wrong size. Both are built from n >= p + 1 and p.
 *  - the Gauss-Newton branch of the QR solver (only taken when the LM parameter mu is
 *    exactly 0): mu starts positive because we refuse a starting Jacobian with a zero or
 *    non-finite column, and cannot underflow to 0 within MAX_ITER iterations.
 *  - allocation failures inside GSL (workspace, covariance scratch). These are the one case
 *    we cannot prevent: GSL reports them to its handler before returning NULL. A host that
 *    must survive them should install its own handler; we then return EPV_ENOMEM.
 * We call gsl_multifit_nlinear_iterate ourselves instead of gsl_multifit_nlinear_driver
 * because the driver drops the status of our callbacks (a non-finite Jacobian would be
 * silently iterated on). Residuals at parameters outside the domain (a, b, c <= 0) or that
 * are not finite are replaced by a huge constant, so the trust region rejects such steps
 * and the solution always stays inside the domain. */
#include "config.h"

#include "growth_int.h"
#include "common_int.h"

#include <gsl/gsl_blas.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_multifit_nlinear.h>
#include <gsl/gsl_vector.h>
#include <math.h>
#include <string.h>

enum { MAX_ITER = 200 };
static const double XTOL = 1e-12;
static const double GTOL = 1e-12;
static const double FTOL = 0.0;     /* unused by GSL 2.x's test */
static const double RANK_TOL = 1e-12; /* relative pivot tolerance for the covariance */
static const double PENALTY = 1e100;  /* residual for parameters outside the domain */

typedef struct fit_data {
    epv_growth_model model;
    int p;
    size_t n;
    const double *t;
    const double *y;
} fit_data;

static void unpack(const fit_data *d, const double *x, double *a, double *b, double *c)
{
    *a = x[0];
    *b = x[1];
    *c = d->p == 3 ? x[2] : 0.0;
}

static int inside(const fit_data *d, double a, double b, double c)
{
    if (!(isfinite(a) && isfinite(b) && isfinite(c))) return 0;
    return a > 0 && b > 0 && (d->p == 2 || c > 0);
}

/* Residuals model − y into f (length n); returns the sum of squares (PENALTY-based when
 * outside the domain). */
static double residuals(const fit_data *d, const double *x, double *f)
{
    double a, b, c, ssr = 0;
    unpack(d, x, &a, &b, &c);
    int ok = inside(d, a, b, c);
    for (size_t i = 0; i < d->n; i++) {
        double r = ok ? epv__growth_value(d->model, a, b, c, d->t[i]) - d->y[i] : PENALTY;
        if (!isfinite(r)) r = PENALTY;
        if (f) f[i] = r;
        ssr += r * r;
    }
    return ssr;
}

static int gsl_f(const gsl_vector *x, void *payload, gsl_vector *f)
{
    const fit_data *d = payload;
    double xv[3] = { 0, 0, 0 };
    for (int j = 0; j < d->p; j++) xv[j] = gsl_vector_get(x, (size_t)j);
    double a, b, c;
    unpack(d, xv, &a, &b, &c);
    int ok = inside(d, a, b, c);
    for (size_t i = 0; i < d->n; i++) {
        double r = ok ? epv__growth_value(d->model, a, b, c, d->t[i]) - d->y[i] : PENALTY;
        gsl_vector_set(f, i, isfinite(r) ? r : PENALTY);
    }
    return GSL_SUCCESS;
}

/* Jacobian of the residuals; a non-finite entry stops the solver (reported as
 * non-convergence) rather than letting it iterate on garbage. */
static int jacobian(const fit_data *d, double a, double b, double c, gsl_matrix *J)
{
    for (size_t i = 0; i < d->n; i++) {
        double g[3];
        epv__growth_gradient(d->model, a, b, c, d->t[i], g);
        for (int j = 0; j < d->p; j++) {
            if (!isfinite(g[j])) return GSL_EDOM;
            gsl_matrix_set(J, i, (size_t)j, g[j]);
        }
    }
    return GSL_SUCCESS;
}

static int gsl_df(const gsl_vector *x, void *payload, gsl_matrix *J)
{
    const fit_data *d = payload;
    double xv[3] = { 0, 0, 0 };
    for (int j = 0; j < d->p; j++) xv[j] = gsl_vector_get(x, (size_t)j);
    double a, b, c;
    unpack(d, xv, &a, &b, &c);
    if (!inside(d, a, b, c)) return GSL_EDOM;
    return jacobian(d, a, b, c, J);
}

/* ---- input checks ------------------------------------------------------------------ */

static int check_data(epv_ctx *ctx, const fit_data *d)
{
    const char *name = epv_growth_model_name(d->model);
    for (size_t i = 0; i < d->n; i++) {
        if (!isfinite(d->t[i]))
            return epv__error(ctx, EPV_ERANGE, "age[%zu]: value is not a finite number", i);
        if (d->t[i] < 0) return epv__error(ctx, EPV_ERANGE, "age[%zu]: %g is negative", i, d->t[i]);
        if (!isfinite(d->y[i]))
            return epv__error(ctx, EPV_ERANGE, "y[%zu]: value is not a finite number", i);
        if (d->y[i] < 0) return epv__error(ctx, EPV_ERANGE, "y[%zu]: %g is negative", i, d->y[i]);
    }
    if (d->n < (size_t)d->p + 1)
        return epv__error(ctx, EPV_ESINGULAR,
                          "n: %zu points cannot determine the %s model's %d parameters "
                          "(at least %d needed)",
                          d->n, name, d->p, d->p + 1);
    /* Distinct informative ages: the models pinned to 0 at age 0 learn nothing there. */
    int pinned = epv__growth_pinned_at_zero(d->model);
    size_t distinct = 0;
    for (size_t i = 0; i < d->n && distinct < (size_t)d->p; i++) {
        if (pinned && d->t[i] == 0) continue;
        size_t k = 0;
        while (k < i && !(d->t[k] == d->t[i])) k++;
        if (k == i) distinct++;
    }
    int all_equal = 1;
    for (size_t i = 1; i < d->n; i++)
        if (d->t[i] != d->t[0]) all_equal = 0;
    if (all_equal)
        return epv__error(ctx, EPV_ESINGULAR, "age: all %zu ages are equal (%g); a growth curve "
                          "needs several ages", d->n, d->t[0]);
    if (distinct < (size_t)d->p)
        return epv__error(ctx, EPV_ESINGULAR,
                          "age: only %zu distinct ages%s; the %s model needs at least %d", distinct,
                          pinned ? " above 0" : "", name, d->p);
    double ymax = 0;
    int all_same_y = 1;
    for (size_t i = 0; i < d->n; i++) {
        if (d->y[i] > ymax) ymax = d->y[i];
        if (d->y[i] != d->y[0]) all_same_y = 0;
    }
    if (ymax == 0) return epv__error(ctx, EPV_ESINGULAR, "y: all values are zero");
    if (all_same_y)
        return epv__error(ctx, EPV_ESINGULAR, "y: all values are equal (%g); a growth curve "
                          "needs change", d->y[0]);
    return EPV_OK;
}

/* ---- starting values --------------------------------------------------------------- */

/* Least-squares line z = k0 + k1 x over the points with ok[i]; 0 if determined. */
static int line_fit(const double *x, const double *z, const unsigned char *ok, size_t n, double *k0,
                    double *k1)
{
    double sx = 0, sz = 0;
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (ok[i]) {
            sx += x[i];
            sz += z[i];
            m++;
        }
    if (m < 2) return -1;
    double mx = sx / (double)m, mz = sz / (double)m, sxx = 0, sxz = 0;
    for (size_t i = 0; i < n; i++)
        if (ok[i]) {
            sxx += (x[i] - mx) * (x[i] - mx);
            sxz += (x[i] - mx) * (z[i] - mz);
        }
    if (!(sxx > 0)) return -1;
    *k1 = sxz / sxx;
    *k0 = mz - *k1 * mx;
    return isfinite(*k0) && isfinite(*k1) ? 0 : -1;
}

/* Keep cand if it is inside the domain and has a smaller sum of squares than best. */
static void consider(const fit_data *d, const double *cand, double *best, double *best_ssr)
{
    double a, b, c;
    unpack(d, cand, &a, &b, &c);
    if (!inside(d, a, b, c)) return;
    double ssr = residuals(d, cand, NULL);
    if (isfinite(ssr) && ssr < *best_ssr) {
        *best_ssr = ssr;
        for (int j = 0; j < 3; j++) best[j] = cand[j];
    }
}

/* Starting values from linearisations of each model with the asymptote a fixed at a few
 * multiples of the largest y; the candidate with the smallest sum of squares wins. The
 * scratch arrays x, z, ok have length n. */
static void auto_start(const fit_data *d, double *x, double *z, unsigned char *ok, double *best)
{
    static const double mult[] = { 1.02, 1.1, 1.25, 1.5, 2.0, 3.0 };
    double ymax = 0, tmax = 0, best_ssr = INFINITY;
    for (size_t i = 0; i < d->n; i++) {
        if (d->y[i] > ymax) ymax = d->y[i];
        if (d->t[i] > tmax) tmax = d->t[i];
    }
    /* Fallback: a plausible sigmoid over the observed ages, used if nothing better fits. */
    best[0] = 1.5 * ymax;
    best[1] = d->model == EPV_GROWTH_RICHARDS ? 3.0 / tmax : 2.0;
    best[2] = d->model == EPV_GROWTH_RICHARDS ? 2.0 : 3.0 / tmax;
    if (d->model == EPV_GROWTH_KORF) best[1] = 2.0, best[2] = 1.0;
    if (d->model == EPV_GROWTH_SCHUMACHER) best[1] = tmax / 4, best[2] = 0;
    if (d->model == EPV_GROWTH_LOGISTIC) best[1] = exp(best[2] * tmax / 2);

    if (d->model == EPV_GROWTH_SCHUMACHER) {
        /* ln y = ln a − b (1/t): one straight line gives both parameters. */
        for (size_t i = 0; i < d->n; i++) {
            ok[i] = d->t[i] > 0 && d->y[i] > 0;
            x[i] = ok[i] ? 1 / d->t[i] : 0;
            z[i] = ok[i] ? log(d->y[i]) : 0;
        }
        double k0, k1;
        if (line_fit(x, z, ok, d->n, &k0, &k1) == 0) {
            double cand[3] = { exp(k0), -k1, 0 };
            consider(d, cand, best, &best_ssr);
        }
        if (!(best_ssr < INFINITY)) consider(d, best, best, &best_ssr);
        return;
    }
    for (size_t m = 0; m < EPV__ARRAY_LEN(mult); m++) {
        double a = mult[m] * ymax;
        if (d->model == EPV_GROWTH_RICHARDS) {
            /* ln(y/a) = c ln(1 − e^(−bt)): for each b on a grid, c by least squares through
             * the origin. */
            for (int k = 0; k < 40; k++) {
                double b = 0.02 * pow(10.0, k * 3.0 / 39) / tmax; /* 0.02/tmax .. 20/tmax */
                double sww = 0, swz = 0;
                for (size_t i = 0; i < d->n; i++) {
                    if (!(d->t[i] > 0 && d->y[i] > 0)) continue;
                    double w = log(-expm1(-b * d->t[i])), zz = log(d->y[i] / a);
                    sww += w * w;
                    swz += w * zz;
                }
                if (!(sww > 0)) continue;
                double cand[3] = { a, b, swz / sww };
                consider(d, cand, best, &best_ssr);
            }
            continue;
        }
        /* logistic: ln(a/y − 1) = ln b − c t; Gompertz: ln(−ln(y/a)) = ln b − c t;
         * Korf: ln(−ln(y/a)) = ln b − c ln t. */
        for (size_t i = 0; i < d->n; i++) {
            double yi = d->y[i], ti = d->t[i];
            ok[i] = yi > 0 && yi < a && (d->model != EPV_GROWTH_KORF || ti > 0);
            if (!ok[i]) continue;
            x[i] = d->model == EPV_GROWTH_KORF ? log(ti) : ti;
            z[i] = d->model == EPV_GROWTH_LOGISTIC ? log(a / yi - 1) : log(-log(yi / a));
            if (!isfinite(z[i])) ok[i] = 0;
        }
        double k0, k1;
        if (line_fit(x, z, ok, d->n, &k0, &k1) != 0) continue;
        double cand[3] = { a, exp(k0), -k1 };
        consider(d, cand, best, &best_ssr);
    }
}

/* ---- the fit ----------------------------------------------------------------------- */

typedef struct scratch {
    double *f, *x, *z;
    unsigned char *ok;
} scratch;

static int solve(epv_ctx *ctx, const fit_data *d, const double *x0, scratch *s, epv_growth_fit *out);

EPV_API int epv_growth_fit_data(epv_ctx *ctx, epv_growth_model model, const double *age,
                                const double *y, size_t n, const epv_growth_curve *start,
                                epv_growth_fit *out)
{
    /* The context is required: scratch memory comes from its allocator. */
    if (!ctx) return EPV_EINVAL;
    if (!out || (n > 0 && (!age || !y)))
        return epv__error(ctx, EPV_EINVAL, "growth fit: NULL argument");
    { int rcv = epv__check_version(ctx, "epv_growth_fit", out, EPV_GROWTH_FIT_VERSION); if (rcv) return rcv; }
    if (start) { int rcv = epv__check_version(ctx, "epv_growth_curve", start, EPV_GROWTH_CURVE_VERSION); if (rcv) { epv__error_prefix(ctx, "start"); return rcv; } }
    if (!epv__growth_model_known(model))
        return epv__error(ctx, EPV_EINVAL, "model: %d is not a growth model", (int)model);
    fit_data d = { model, epv_growth_model_nparams(model), n, age, y };
    int rc = check_data(ctx, &d);
    if (rc) return rc;
    double x0[3];
    if (start) {
        epv_growth_curve sc = *start;
        sc.model = model;
        if ((rc = epv_growth_curve_check(ctx, &sc))) {
            epv__error_prefix(ctx, "start");
            return rc;
        }
        x0[0] = sc.a;
        x0[1] = sc.b;
        x0[2] = d.p == 3 ? sc.c : 0;
    }
    scratch s = { 0 };
    s.f = epv__calloc(ctx, n, sizeof *s.f);
    s.x = epv__calloc(ctx, n, sizeof *s.x);
    s.z = epv__calloc(ctx, n, sizeof *s.z);
    s.ok = epv__calloc(ctx, n, 1);
    if (!s.f || !s.x || !s.z || !s.ok) {
        rc = EPV_ENOMEM;
    } else {
        if (!start) auto_start(&d, s.x, s.z, s.ok, x0);
        rc = solve(ctx, &d, x0, &s, out);
    }
    epv__free(ctx, s.f);
    epv__free(ctx, s.x);
    epv__free(ctx, s.z);
    epv__free(ctx, s.ok);
    return rc;
}

static const char *param_name(int j) { return j == 0 ? "a" : (j == 1 ? "b" : "c"); }

static int solve(epv_ctx *ctx, const fit_data *d, const double *x0, scratch *s, epv_growth_fit *out)
{
    const char *name = epv_growth_model_name(d->model);
    const size_t p = (size_t)d->p;
    double a, b, c;
    unpack(d, x0, &a, &b, &c);

    /* The starting Jacobian must have no zero or non-finite column: such a parameter has
     * no influence on y at the data's ages and cannot be estimated (and GSL's LM parameter
     * would start at 0). */
    for (size_t j = 0; j < p; j++) {
        double norm = 0;
        for (size_t i = 0; i < d->n; i++) {
            double g[3];
            epv__growth_gradient(d->model, a, b, c, d->t[i], g);
            if (!isfinite(g[j])) {
                norm = NAN;
                break;
            }
            norm += g[j] * g[j];
        }
        if (!(norm > 0) || !isfinite(norm))
            return epv__error(ctx, EPV_ESINGULAR,
                              "the %s fit's Jacobian is singular at the starting values "
                              "(a = %g, b = %g, c = %g): y does not depend on %s at these ages",
                              name, a, b, c, param_name((int)j));
    }

    gsl_multifit_nlinear_fdf fdf;
    fdf.f = gsl_f;
    fdf.df = gsl_df;
    fdf.fvv = NULL;
    fdf.n = d->n;
    fdf.p = p;
    fdf.params = (void *)d;
    gsl_multifit_nlinear_parameters params = gsl_multifit_nlinear_default_parameters();
    params.trs = gsl_multifit_nlinear_trs_lm;
    params.solver = gsl_multifit_nlinear_solver_qr;

    gsl_multifit_nlinear_workspace *w =
        gsl_multifit_nlinear_alloc(gsl_multifit_nlinear_trust, &params, d->n, p);
    if (!w) return epv__error(ctx, EPV_ENOMEM, "the %s fit: out of memory in GSL", name);
    gsl_matrix *cov = gsl_matrix_alloc(p, p);
    if (!cov) {
        gsl_multifit_nlinear_free(w);
        return epv__error(ctx, EPV_ENOMEM, "the %s fit: out of memory in GSL", name);
    }
    double xstart[3] = { x0[0], x0[1], x0[2] };
    gsl_vector_view xv = gsl_vector_view_array(xstart, p);
    int rc = EPV_OK;
    int gs = gsl_multifit_nlinear_init(&xv.vector, &fdf, w);
    if (gs != GSL_SUCCESS) {
        rc = epv__error(ctx, EPV_ENOCONV, "the %s fit could not start from a = %g, b = %g, c = %g "
                        "(%s)", name, a, b, c, gsl_strerror(gs));
        goto done;
    }
    size_t iter = 0;
    for (;;) {
        gs = gsl_multifit_nlinear_iterate(w);
        if (gs == GSL_ENOPROG && iter == 0) {
            rc = epv__error(ctx, EPV_ENOCONV,
                            "the %s fit made no progress from a = %g, b = %g, c = %g: no step "
                            "reduced the sum of squares",
                            name, a, b, c);
            goto done;
        }
        if (gs != GSL_SUCCESS && gs != GSL_ENOPROG) {
            const gsl_vector *xp = gsl_multifit_nlinear_position(w);
            rc = epv__error(ctx, EPV_ENOCONV,
                            "the %s fit ran off at iteration %zu (a = %g, b = %g%s%g): the "
                            "Jacobian is no longer finite",
                            name, iter + 1, gsl_vector_get(xp, 0), gsl_vector_get(xp, 1),
                            p == 3 ? ", c = " : "", p == 3 ? gsl_vector_get(xp, 2) : 0.0);
            goto done;
        }
        iter++;
        int info = 0;
        gs = gsl_multifit_nlinear_test(XTOL, GTOL, FTOL, &info, w);
        if (gs == GSL_SUCCESS) break;
        if (iter >= MAX_ITER) {
            const gsl_vector *xp = gsl_multifit_nlinear_position(w);
            rc = epv__error(ctx, EPV_ENOCONV,
                            "the %s fit did not converge in %d iterations from a = %g, b = %g, "
                            "c = %g (last a = %g, b = %g%s%g)",
                            name, (int)MAX_ITER, a, b, c, gsl_vector_get(xp, 0),
                            gsl_vector_get(xp, 1), p == 3 ? ", c = " : "",
                            p == 3 ? gsl_vector_get(xp, 2) : 0.0);
            goto done;
        }
    }

    /* Solution, residuals and statistics. */
    double xs[3] = { 0, 0, 0 };
    const gsl_vector *xp = gsl_multifit_nlinear_position(w);
    for (size_t j = 0; j < p; j++) xs[j] = gsl_vector_get(xp, j);
    double fa, fb, fc;
    unpack(d, xs, &fa, &fb, &fc);
    if (!inside(d, fa, fb, fc)) {
        rc = epv__error(ctx, EPV_ENOCONV, "the %s fit left the model's domain (a = %g, b = %g, "
                        "c = %g)", name, fa, fb, fc);
        goto done;
    }
    double ssr = residuals(d, xs, s->f);
    if (!isfinite(ssr) || ssr >= PENALTY) {
        rc = epv__error(ctx, EPV_ENOCONV, "the %s fit ended on a non-finite sum of squares", name);
        goto done;
    }
    /* Covariance from the Jacobian at the solution (recomputed so it is exactly ours). */
    gsl_matrix *J = gsl_multifit_nlinear_jac(w);
    if (jacobian(d, fa, fb, fc, J) != GSL_SUCCESS) {
        rc = epv__error(ctx, EPV_ENOCONV, "the %s fit's Jacobian is not finite at the solution "
                        "(a = %g, b = %g, c = %g)", name, fa, fb, fc);
        goto done;
    }
    gs = gsl_multifit_nlinear_covar(J, RANK_TOL, cov);
    if (gs != GSL_SUCCESS) {
        rc = epv__error(ctx, EPV_ESINGULAR, "the %s fit's covariance failed (%s)", name,
                        gsl_strerror(gs));
        goto done;
    }
    for (size_t j = 0; j < p; j++) {
        double v = gsl_matrix_get(cov, j, j);
        if (!(v > 0) || !isfinite(v)) {
            rc = epv__error(ctx, EPV_ESINGULAR,
                            "the %s fit's Jacobian is rank-deficient at the solution (a = %g, "
                            "b = %g, c = %g): %s cannot be separated from the other parameters",
                            name, fa, fb, fc, param_name((int)j));
            goto done;
        }
    }
    double ymean = 0, sst = 0;
    for (size_t i = 0; i < d->n; i++) ymean += d->y[i];
    ymean /= (double)d->n;
    for (size_t i = 0; i < d->n; i++) sst += (d->y[i] - ymean) * (d->y[i] - ymean);
    double s2 = ssr / (double)(d->n - p);

    epv_growth_fit r;
    memset(&r, 0, sizeof r);
    r.version = EPV_GROWTH_FIT_VERSION;
    r.curve.version = EPV_GROWTH_CURVE_VERSION;
    r.curve.model = d->model;
    r.curve.a = fa;
    r.curve.b = fb;
    r.curve.c = fc;
    for (size_t i = 0; i < p; i++)
        for (size_t j = 0; j < p; j++) r.cov[i][j] = s2 * gsl_matrix_get(cov, i, j);
    for (size_t j = 0; j < p; j++) r.se[j] = sqrt(r.cov[j][j]);
    r.r2 = 1 - ssr / sst;
    r.rmse = sqrt(ssr / (double)d->n);
    r.n = d->n;
    r.iterations = (int)gsl_multifit_nlinear_niter(w);
    *out = r;

done:
    gsl_matrix_free(cov);
    gsl_multifit_nlinear_free(w);
    return rc;
}
