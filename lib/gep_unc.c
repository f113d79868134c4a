/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Uncertainty of GEP totals of a region and year: Approach 1 (IPCC 2006 Vol. 1 ch. 3,
 * Eq. 3.1 for quantity x price, Eq. 3.2 for sums) and Approach 2 (Monte Carlo through
 * epv_mc). Both work on the same "plan": every non-zero cell value V = q x p of a final
 * indicator, and relative factors (mean 1) for its quantity and price. A factor whose
 * correlation is FULL is one Monte Carlo input shared by every cell of the indicator, which
 * is exact full correlation without a singular correlation matrix; INDEPENDENT factors are
 * one input per cell. */
#include "config.h"
#include "gep_int.h"
#include "epv/uncertainty.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define Z95 1.959963984540054 /* two-sided 95% normal quantile */
#define NO_FACTOR ((size_t)-1)

struct term { double v; size_t qf, pf; int total; };
struct factor { double pct; epv_gep_unc_shape shape; char name[EPV_GEP_CODE_MAX + 48]; };
/* Approach 1 summary of one indicator: its value and U%. */
struct indsum { double v, u; int total; };

struct plan {
    epv_ctx *ctx;
    struct term *t; size_t nt, capt;
    struct factor *f; size_t nf, capf;
    struct indsum *ind; size_t nind, capind;
    double value[EPV_GEP_UNC_NTOTALS];  /* the account's totals */
    double inflow[EPV_GEP_UNC_NTOTALS]; /* subtracted from each total (exact) */
};

static void plan_free(struct plan *p)
{
    epv__free(p->ctx, p->t);
    epv__free(p->ctx, p->f);
    epv__free(p->ctx, p->ind);
}

static int add_factor(struct plan *p, double pct, epv_gep_unc_shape shape, const char *ind, const char *what,
                      const char *cell, size_t *idx)
{
    int rc = epv__grow(p->ctx, (void **)&p->f, &p->capf, p->nf + 1, sizeof *p->f);
    if (rc) return rc;
    struct factor *f = &p->f[p->nf];
    f->pct = pct;
    f->shape = shape;
    snprintf(f->name, sizeof f->name, "%s.%s%s%s%s", ind, what, cell ? "[" : "", cell ? cell : "", cell ? "]" : "");
    *idx = p->nf++;
    return EPV_OK;
}

/* Effective U% of one factor over an indicator's cells (first order): a shared factor
 * moves every cell together, so its U% applies to the sum; independent factors combine by
 * Eq. 3.2, U = U_cell sqrt(sum V_c^2) / sum V_c. */
static double effective_pct(double pct, epv_gep_unc_corr corr, double sum, double sum2)
{
    if (pct == 0) return 0;
    return corr == EPV_GEP_UNC_FULL ? pct : pct * sqrt(sum2) / fabs(sum);
}

static int build_plan(epv_ctx *ctx, const epv_gep_account *acc, const epv_gep_unc *unc, const char *region, int year,
                      epv_gep_basis basis, struct plan *p)
{
    static const char *nodes[EPV_GEP_UNC_NTOTALS] = { NULL, "provisioning", "regulating", "cultural" };
    memset(p, 0, sizeof *p);
    p->ctx = ctx;
    if (!acc || !unc) return epv__error(ctx, EPV_EINVAL, "gep uncertainty: NULL argument");
    if (acc->tree != unc->tree) return epv__error(ctx, EPV_EINVAL, "gep uncertainty: table and account use different trees");
    if (basis != EPV_GEP_CURRENT && basis != EPV_GEP_CONSTANT) return epv__error(ctx, EPV_EINVAL, "basis: unknown value %d", (int)basis);
    int rc;
    /* The account's own totals (also validates region, year and the valuation). */
    for (int k = 0; k < EPV_GEP_UNC_NTOTALS; k++)
        if ((rc = epv_gep_account_total(ctx, acc, region, NULL, nodes[k], year, basis, &p->value[k]))) return rc;
    size_t x = (size_t)epv__gep_region_index(ctx, acc, region, 1);
    size_t y = (size_t)(year - acc->first_year);
    double cellsum[EPV_GEP_UNC_NTOTALS] = { 0 };
    for (size_t i = 0; i < acc->nind; i++) {
        const epv_gep_indicator *node = &acc->tree->nodes[i];
        const double *b = acc->q[y * acc->nind + i];
        if (!b || !node->leaf || !node->final_service) continue;
        double price = (basis == EPV_GEP_CONSTANT ? acc->p_const : acc->p_cur)[i * (size_t)acc->nyears + y];
        double sum = 0, sum2 = 0;
        for (size_t r = 0; r < acc->nreg; r++) {
            if (!acc->is_leaf[r] || !epv__gep_region_within(acc, r, x)) continue;
            for (size_t j = 0; j < acc->neco; j++) {
                double v = b[r * acc->neco + j] * price;
                sum += v;
                sum2 += v * v;
            }
        }
        if (sum == 0) continue; /* nothing recorded here: no uncertainty needed */
        long k = -1;
        for (size_t m = 0; m < unc->n; m++)
            if (strcmp(unc->rows[m].indicator, node->code) == 0) k = (long)m;
        if (k < 0)
            return epv__error(ctx, EPV_ENOTFOUND,
                              "uncertainty: no entry for indicator '%s' (valued in region '%s' in %d)", node->code,
                              region, year);
        const epv_gep_unc_input *u = &unc->rows[k];
        int tot = (int)node->category;
        cellsum[tot] += sum;
        /* Approach 1 for the indicator: Eq. 3.1 on quantity x price with effective U%. */
        double uu[2] = { effective_pct(u->quantity_pct, u->quantity_corr, sum, sum2),
                         effective_pct(u->price_pct, u->price_corr, sum, sum2) }, ui;
        if ((rc = epv_unc_product(ctx, uu, 2, &ui))) return rc;
        if ((rc = epv__grow(ctx, (void **)&p->ind, &p->capind, p->nind + 1, sizeof *p->ind))) return rc;
        p->ind[p->nind++] = (struct indsum){ sum, ui, tot };
        /* Approach 2: shared factors once per indicator, independent ones per cell. */
        size_t qf = NO_FACTOR, pf = NO_FACTOR;
        if (u->quantity_shape != EPV_GEP_UNC_EXACT && u->quantity_corr == EPV_GEP_UNC_FULL &&
            (rc = add_factor(p, u->quantity_pct, u->quantity_shape, node->code, "quantity", NULL, &qf)))
            return rc;
        if (u->price_shape != EPV_GEP_UNC_EXACT && u->price_corr == EPV_GEP_UNC_FULL &&
            (rc = add_factor(p, u->price_pct, u->price_shape, node->code, "price", NULL, &pf)))
            return rc;
        for (size_t r = 0; r < acc->nreg; r++) {
            if (!acc->is_leaf[r] || !epv__gep_region_within(acc, r, x)) continue;
            for (size_t j = 0; j < acc->neco; j++) {
                double v = b[r * acc->neco + j] * price;
                if (v == 0) continue;
                char cell[2 * EPV_GEP_CODE_MAX + 2];
                snprintf(cell, sizeof cell, "%s/%s", acc->regions[r].code, acc->eco[j]);
                size_t cq = qf, cp = pf;
                if (u->quantity_shape != EPV_GEP_UNC_EXACT && u->quantity_corr == EPV_GEP_UNC_INDEPENDENT &&
                    (rc = add_factor(p, u->quantity_pct, u->quantity_shape, node->code, "quantity", cell, &cq)))
                    return rc;
                if (u->price_shape != EPV_GEP_UNC_EXACT && u->price_corr == EPV_GEP_UNC_INDEPENDENT &&
                    (rc = add_factor(p, u->price_pct, u->price_shape, node->code, "price", cell, &cp)))
                    return rc;
                if ((rc = epv__grow(ctx, (void **)&p->t, &p->capt, p->nt + 1, sizeof *p->t))) return rc;
                p->t[p->nt++] = (struct term){ v, cq, cp, tot };
            }
        }
    }
    /* Whatever separates the cells from the account's totals is the inflow deduction. */
    for (int k = 1; k < EPV_GEP_UNC_NTOTALS; k++) {
        p->inflow[k] = cellsum[k] - p->value[k];
        cellsum[0] += cellsum[k];
    }
    p->inflow[0] = cellsum[0] - p->value[0];
    return EPV_OK;
}

/* Eq. 3.2 over the indicators of one total plus its inflow (exact, U 0). */
static int total_u(epv_ctx *ctx, const struct plan *p, int k, double *out)
{
    size_t n = 0;
    for (size_t i = 0; i < p->nind; i++)
        if (k == 0 || p->ind[i].total == k) n++;
    if (n == 0) {
        *out = 0;
        return EPV_OK;
    }
    if (p->value[k] == 0) {
        *out = NAN;
        return EPV_OK;
    }
    double *x = epv__malloc(ctx, (n + 1) * sizeof *x), *u = epv__malloc(ctx, (n + 1) * sizeof *u);
    int rc = EPV_OK;
    if (!x || !u) rc = EPV_ENOMEM;
    else {
        size_t m = 0;
        for (size_t i = 0; i < p->nind; i++)
            if (k == 0 || p->ind[i].total == k) {
                x[m] = p->ind[i].v;
                u[m++] = p->ind[i].u;
            }
        x[m] = -p->inflow[k];
        u[m++] = 0;
        rc = epv_unc_sum(ctx, x, u, m, out);
    }
    epv__free(ctx, x);
    epv__free(ctx, u);
    return rc;
}

EPV__DEFINE_INIT(epv_gep_unc_options, EPV_GEP_UNC_OPTIONS_VERSION, EPV_GEP_UNC_OPTIONS_INIT)

/* Arguments common to both approaches: objects, options, and every output interval. */
static int check_args(epv_ctx *ctx, const epv_gep_account *acc, const epv_gep_unc *unc, const epv_gep_unc_options *o,
                      epv_unc_interval *out)
{
    EPV__NEED(ctx, acc, "acc");
    EPV__NEED(ctx, unc, "unc");
    EPV__NEED(ctx, o, "opts");
    EPV__NEED(ctx, out, "out");
    int rc = epv__check_version(ctx, "epv_gep_unc_options", o, EPV_GEP_UNC_OPTIONS_VERSION);
    if (rc) return rc;
    if (!o->region) return epv__error(ctx, EPV_EINVAL, "epv_gep_unc_options: region is NULL");
    for (int k = 0; k < EPV_GEP_UNC_NTOTALS; k++)
        if ((rc = epv__check_version(ctx, "epv_unc_interval", &out[k], EPV_UNC_INTERVAL_VERSION))) return rc;
    return EPV_OK;
}

static void set_interval(epv_unc_interval *iv, int method, double est, double lo, double hi, epv_i64 draws)
{
    iv->method = method;
    iv->estimate = est;
    iv->lower = lo;
    iv->upper = hi;
    iv->u_lower_pct = est != 0 ? (est - lo) / fabs(est) * 100 : NAN;
    iv->u_upper_pct = est != 0 ? (hi - est) / fabs(est) * 100 : NAN;
    iv->draws = draws;
}

EPV_API int epv_gep_unc_approach1(epv_ctx *ctx, const epv_gep_account *acc, const epv_gep_unc *unc,
                                  const epv_gep_unc_options *opts, epv_unc_interval *out)
{
    int rc = check_args(ctx, acc, unc, opts, out);
    if (rc) return rc;
    struct plan p;
    double u[EPV_GEP_UNC_NTOTALS];
    rc = build_plan(ctx, acc, unc, opts->region, opts->year, opts->basis, &p);
    for (int k = 0; k < EPV_GEP_UNC_NTOTALS && !rc; k++) rc = total_u(ctx, &p, k, &u[k]);
    for (int k = 0; k < EPV_GEP_UNC_NTOTALS && !rc; k++) {
        double v = p.value[k], h = fabs(v) * u[k] / 100;
        set_interval(&out[k], EPV_UNC_APPROACH1, v, v - h, v + h, 0);
        /* an empty subtotal is exact (U 0), a zero total has no relative U (NaN) */
        out[k].u_lower_pct = out[k].u_upper_pct = u[k];
    }
    plan_free(&p);
    return rc;
}

/* ---- Approach 2 ------------------------------------------------------------------------ */

/* Relative factor with mean 1 whose central 95% is +-U (see gep.h for each shape). */
static epv_mc_dist factor_dist(const struct factor *f)
{
    double u = f->pct / 100;
    switch (f->shape) {
    case EPV_GEP_UNC_LOGNORMAL: return epv_mc_dist_lognormal(1, u / Z95);
    case EPV_GEP_UNC_UNIFORM: return epv_mc_dist_uniform(1 - u / 0.95, 1 + u / 0.95);
    case EPV_GEP_UNC_TRIANGULAR: {
        double a = u / (1 - sqrt(0.05));
        return epv_mc_dist_triangular(1 - a, 1, 1 + a);
    }
    default: return epv_mc_dist_normal(1, u / Z95);
    }
}

/* The model: read-only on the plan, so it is reentrant as epv_mc_run requires. */
static int model(const double *in, size_t nin, double *out, size_t nout, void *payload)
{
    (void)nin;
    (void)nout;
    const struct plan *p = payload;
    double s[EPV_GEP_UNC_NTOTALS] = { 0 };
    for (size_t i = 0; i < p->nt; i++) {
        const struct term *t = &p->t[i];
        double v = t->v;
        if (t->qf != NO_FACTOR) v *= in[t->qf];
        if (t->pf != NO_FACTOR) v *= in[t->pf];
        s[t->total] += v;
    }
    out[0] = s[1] + s[2] + s[3] - p->inflow[0];
    for (int k = 1; k < EPV_GEP_UNC_NTOTALS; k++) out[k] = s[k] - p->inflow[k];
    return 0;
}

static int check_options(epv_ctx *ctx, const epv_gep_unc_options *o)
{
    if (o->iterations < 2)
        return epv__error(ctx, EPV_EINVAL, "iterations: must be at least 2 (got %zu): one draw has no spread", o->iterations);
    if (!(o->lower_pct > 0 && o->lower_pct < 100))
        return epv__error(ctx, EPV_ERANGE, "lower_pct: percentile %g outside (0, 100)", o->lower_pct);
    if (!(o->upper_pct > 0 && o->upper_pct < 100))
        return epv__error(ctx, EPV_ERANGE, "upper_pct: percentile %g outside (0, 100)", o->upper_pct);
    if (!(o->lower_pct < o->upper_pct))
        return epv__error(ctx, EPV_ERANGE, "lower_pct: %g not below upper_pct %g", o->lower_pct, o->upper_pct);
    return EPV_OK;
}

EPV_API int epv_gep_unc_approach2(epv_ctx *ctx, const epv_gep_account *acc, const epv_gep_unc *unc,
                                  const epv_gep_unc_options *opts, epv_unc_interval *out)
{
    int rc = check_args(ctx, acc, unc, opts, out);
    if (rc) return rc;
    const epv_gep_unc_options o = *opts;
    if ((rc = check_options(ctx, &o))) return rc;
    struct plan p;
    epv_mc *mc = NULL;
    epv_unc_interval r[EPV_GEP_UNC_NTOTALS];
    rc = build_plan(ctx, acc, unc, o.region, o.year, o.basis, &p);
    if (!rc) rc = epv__progress(ctx, 0.0, "gep uncertainty: Monte Carlo");
    if (!rc) rc = epv_mc_new(ctx, &mc);
    for (size_t i = 0; i < p.nf && !rc; i++) {
        epv_mc_dist d = factor_dist(&p.f[i]);
        rc = epv_mc_add_input(mc, p.f[i].name, &d, EPV_MC_NONNEG, NULL);
    }
    if (!rc && p.nf == 0) { /* every input exact: a constant keeps epv_mc well defined */
        epv_mc_dist d = epv_mc_dist_constant(1);
        rc = epv_mc_add_input(mc, "exact", &d, 0, NULL);
    }
    if (!rc) rc = epv_mc_run(mc, o.iterations, EPV_GEP_UNC_NTOTALS, model, &p);
    for (int k = 0; k < EPV_GEP_UNC_NTOTALS && !rc; k++) {
        epv_mc_summary s;
        double pct[2] = { o.lower_pct, o.upper_pct }, q[2];
        if ((rc = epv_mc_summarize(mc, (size_t)k, &s)) || (rc = epv_mc_percentiles(mc, (size_t)k, pct, 2, q))) break;
        r[k] = out[k];
        set_interval(&r[k], EPV_UNC_APPROACH2, s.mean, q[0], q[1], (epv_i64)o.iterations);
    }
    if (!rc) rc = epv__progress(ctx, 1.0, "gep uncertainty: Monte Carlo done");
    if (!rc && o.gep_draws) rc = epv_mc_samples(mc, 0, o.gep_draws, o.iterations);
    epv_mc_free(mc);
    plan_free(&p);
    if (!rc)
        for (int k = 0; k < EPV_GEP_UNC_NTOTALS; k++) out[k] = r[k];
    return rc;
}
