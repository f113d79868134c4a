/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Uncertainty of a project's net removals: Approach 1 (IPCC 2006 Vol. 1 Eq. 3.1/3.2),
 * Approach 2 (Monte Carlo through epv_mc) and the sample-plot design of a monitoring
 * campaign (CDM AR-Tool03 through epv_sampling_plots_needed). Both approaches run the same
 * stratum model as the yearly estimate (epv__sink_stratum_years), so the central value is
 * the estimate's own figure. See doc/sink.md, "Uncertainty". */
#include "config.h"
#include "sink_int.h"
#include "chart_int.h"
#include "epv/uncertainty.h"
#include "epv/unit.h"

#include <math.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* U% is a 95% half-width: sd = value · U / (100 · z), z = 1.959964 (two-sided 95% normal). */
#define Z95 1.959963984540054
#define U_PCT_MAX 200.0
/* Largest plot-level coefficient of variation accepted, percent: even sparse, patchy stands
 * stay well below it; a larger value is a unit or typing error. */
#define SAMPLING_CV_MAX 500.0

/* Species values that enter the CO2-per-volume slope, by biomass method. */
enum { P_D, P_BEF, P_R, P_CF, P_FANG_A, P_N };
static const char *const pfield[P_N] = { "wood_density", "bef", "root_shoot", "carbon_fraction", "fang_a" };

static int uses(epv_forest_biomass_method m, int f)
{
    if (m == EPV_FOREST_BIOMASS_FANG) return f == P_FANG_A || f == P_CF;
    return f != P_FANG_A;
}

static double pvalue(const epv_params_species *sp, int f)
{
    switch (f) {
    case P_D: return sp->wood_density;
    case P_BEF: return sp->bef;
    case P_R: return sp->root_shoot;
    case P_CF: return sp->carbon_fraction;
    default: return sp->fang_a;
    }
}

static void pset(epv_params_species *sp, int f, double v)
{
    switch (f) {
    case P_D: sp->wood_density = v; break;
    case P_BEF: sp->bef = v; break;
    case P_R: sp->root_shoot = v; break;
    case P_CF: sp->carbon_fraction = v; break;
    default: sp->fang_a = v; break;
    }
}

/* t CO2 per m³ of stem volume: the forest module's conversion (IPCC 2006 Vol. 4 eq. 2.8:
 * V·D·BEF·(1+R)·CF·44/12; Fang: a·V·CF·44/12), written out here because drawn values are
 * not range-checked beyond non-negativity (a draw of BEF just below 1 is a legitimate
 * sample of a normal with a 30% U). */
static double slope_of(const epv_params_species *sp, epv_forest_biomass_method m)
{
    if (m == EPV_FOREST_BIOMASS_FANG) return epv_unit_c_to_co2(sp->fang_a * sp->carbon_fraction);
    return epv_unit_c_to_co2(sp->wood_density * sp->bef * (1 + sp->root_shoot) * sp->carbon_fraction);
}

/* Relative sensitivity of the slope to a value: 1 for the factors of the product, R/(1+R)
 * for the root:shoot ratio (it enters as 1 + R). */
static double elasticity(const epv_params_species *sp, int f)
{
    return f == P_R ? sp->root_shoot / (1 + sp->root_shoot) : 1.0;
}

EPV__DEFINE_INIT(epv_sink_unc_options, EPV_SINK_UNC_OPTIONS_VERSION, EPV_SINK_UNC_OPTIONS_INIT)
EPV__DEFINE_INIT(epv_sink_unc_result, EPV_SINK_UNC_RESULT_VERSION, EPV_SINK_UNC_RESULT_INIT)
EPV__DEFINE_INIT(epv_sink_sampling, EPV_SINK_SAMPLING_VERSION, EPV_SINK_SAMPLING_INIT)

/* ---- shared set-up -------------------------------------------------------------------- */

struct unc_setup {
    epv_ctx *ctx;
    const epv_project *p;
    struct sink_stratum *strata; /* copies with species re-read from params */
    size_t ns;
    size_t nyears, first_idx;     /* model years from the start year; span starts at first_idx */
    double *area_u, *curve_u;     /* per stratum U% */
    size_t nspec;                 /* distinct species */
    epv_params_species *spec;            /* their central values */
    size_t *spec_of;              /* stratum -> species index */
    double (*spec_u)[P_N];        /* U% per species and value (0: none used) */
    double *scratch;              /* 3 (nyears+1) + nyears·SINK_NCOMP doubles */
};

static void setup_free(struct unc_setup *u)
{
    epv_ctx *ctx = u->ctx;
    epv__free(ctx, u->strata);
    epv__free(ctx, u->area_u);
    epv__free(ctx, u->curve_u);
    epv__free(ctx, u->spec);
    epv__free(ctx, u->spec_of);
    epv__free(ctx, u->spec_u);
    epv__free(ctx, u->scratch);
}

static int check_u(epv_ctx *ctx, double u, const char *what, const char *id)
{
    if (!isfinite(u) || u < 0 || u > U_PCT_MAX) {
        if (id)
            return epv__error(ctx, EPV_ERANGE, "stratum '%s': %s: %g is outside 0-%g percent", id, what, u, U_PCT_MAX);
        return epv__error(ctx, EPV_ERANGE, "%s: %g is outside 0-%g percent", what, u, U_PCT_MAX);
    }
    return EPV_OK;
}

static size_t scratch_len(size_t ny) { return 3 * (ny + 1) + ny * SINK_NCOMP; }

static int setup(epv_ctx *ctx, const epv_project *p, const epv_params *params, int first_year, int last_year,
                 const epv_sink_unc_options *o, struct unc_setup *u)
{
    memset(u, 0, sizeof *u);
    u->ctx = ctx;
    if (!ctx || !p || !params || !o) return epv__error(ctx, EPV_EINVAL, "uncertainty: NULL argument");
    { int rcv = epv__check_version(ctx, "epv_sink_unc_options", o, EPV_SINK_UNC_OPTIONS_VERSION); if (rcv) return rcv; }
    if (p->nstrata == 0) return epv__error(ctx, EPV_ESTATE, "project '%s': has no strata", p->name);
    int end = p->start_year + p->crediting_years - 1;
    if (first_year > last_year || first_year < p->start_year || last_year > end)
        return epv__error(ctx, EPV_ERANGE, "period %d-%d: not within the crediting period %d-%d", first_year,
                          last_year, p->start_year, end);
    int rc;
    if ((rc = check_u(ctx, o->area_u_pct, "area_u_pct", NULL)) || (rc = check_u(ctx, o->curve_u_pct, "curve_u_pct", NULL)))
        return rc;
    if (isnan(o->param_u_pct_default))
        return epv__error(ctx, EPV_ERANGE, "param_u_pct_default: NaN (give a U%% >= 0, or -1: a missing one is an error)");
    if (o->param_u_pct_default >= 0 && (rc = check_u(ctx, o->param_u_pct_default, "param_u_pct_default", NULL)))
        return rc;
    size_t ns = p->nstrata;
    u->p = p;
    u->ns = ns;
    u->nyears = (size_t)(last_year - p->start_year + 1);
    u->first_idx = (size_t)(first_year - p->start_year);
    u->strata = epv__malloc(ctx, ns * sizeof *u->strata);
    u->area_u = epv__malloc(ctx, ns * sizeof *u->area_u);
    u->curve_u = epv__malloc(ctx, ns * sizeof *u->curve_u);
    u->spec = epv__malloc(ctx, ns * sizeof *u->spec);
    u->spec_of = epv__malloc(ctx, ns * sizeof *u->spec_of);
    u->spec_u = epv__calloc(ctx, ns, sizeof *u->spec_u);
    u->scratch = epv__malloc(ctx, scratch_len(u->nyears) * sizeof(double));
    if (!u->strata || !u->area_u || !u->curve_u || !u->spec || !u->spec_of || !u->spec_u || !u->scratch) {
        setup_free(u);
        return EPV_ENOMEM;
    }
    for (size_t i = 0; i < ns; i++) {
        struct sink_stratum *st = &u->strata[i];
        *st = p->strata[i];
        const char *id = st->s.id;
        if ((rc = epv_params_species_find(ctx, params, st->s.species, &st->species))) {
            epv__error_prefix(ctx, "stratum '%s'", id);
            goto fail;
        }
        st->co2_per_m3_ha = slope_of(&st->species, st->s.method);
        u->area_u[i] = o->stratum_area_u_pct ? o->stratum_area_u_pct[i] : o->area_u_pct;
        u->curve_u[i] = o->stratum_curve_u_pct ? o->stratum_curve_u_pct[i] : o->curve_u_pct;
        if ((rc = check_u(ctx, u->area_u[i], "area u_pct", id)) || (rc = check_u(ctx, u->curve_u[i], "curve u_pct", id)))
            goto fail;
        /* Species are shared by code: one uncertain value per species, whatever its strata. */
        size_t k = 0;
        while (k < u->nspec && strcmp(u->spec[k].code, st->species.code) != 0) k++;
        if (k == u->nspec) u->spec[u->nspec++] = st->species;
        u->spec_of[i] = k;
        for (int f = 0; f < P_N; f++) {
            if (!uses(st->s.method, f) || u->spec_u[k][f] > 0) continue;
            epv_params_value_uncertainty vu = EPV_PARAMS_VALUE_UNCERTAINTY_INIT;
            if (epv_params_species_uncertainty(ctx, params, st->species.code, pfield[f], &vu) == 0) {
                u->spec_u[k][f] = vu.u_pct;
            } else if (o->param_u_pct_default >= 0) {
                u->spec_u[k][f] = o->param_u_pct_default;
            } else {
                rc = epv__error(ctx, EPV_ENOTFOUND,
                                "stratum '%s': species '%s': %s: no uncertainty recorded in the parameter table "
                                "(add an <uncertainty> row or set param_u_pct_default)",
                                id, st->species.code, pfield[f]);
                goto fail;
            }
        }
    }
    return EPV_OK;
fail:
    setup_free(u);
    return rc;
}

/* Net removals of one stratum over the span, with the given (possibly modified) stratum. */
static int stratum_net(epv_ctx *ctx, const struct unc_setup *u, const struct sink_stratum *st, size_t sidx,
                       double *scratch, double *net)
{
    size_t ny = u->nyears, na = ny + 1;
    double *ages = scratch, *vol = ages + na, *bvol = vol + na, *comp = bvol + na;
    memset(comp, 0, ny * SINK_NCOMP * sizeof(double));
    int rc = epv__sink_stratum_years(ctx, u->p, st, sidx, ny, ages, vol, bvol, comp);
    if (rc) return rc;
    double s = 0;
    for (size_t y = u->first_idx; y < ny; y++) {
        const double *c = comp + y * SINK_NCOMP;
        s += c[SINK_PROJECT] - c[SINK_EMISSIONS] - c[SINK_BASELINE] - c[SINK_LEAKAGE];
    }
    *net = s;
    return EPV_OK;
}

static int curve_nparams(const epv_growth_curve *c) { return c->model == EPV_GROWTH_SCHUMACHER ? 2 : 3; }

static double *curve_param(epv_growth_curve *c, int j) { return j == 0 ? &c->a : j == 1 ? &c->b : &c->c; }

/* ---- Approach 1 --------------------------------------------------------------------------- */

EPV_API int epv_sink_unc_approach1(epv_ctx *ctx, const epv_project *p, const epv_params *params, int first_year,
                                 int last_year, const epv_sink_unc_options *o, epv_sink_unc_result *out)
{
    if (!out) return epv__error(ctx, EPV_EINVAL, "uncertainty: NULL output");
    { int rcv = epv__check_version(ctx, "epv_sink_unc_result", out, EPV_SINK_UNC_RESULT_VERSION); if (rcv) return rcv; }
    struct unc_setup u;
    int rc = setup(ctx, p, params, first_year, last_year, o, &u);
    if (rc) return rc;
    /* Per species and value: Σ over its strata of elasticity × tree part (summed before
     * squaring: one uncertain value shared by those strata). */
    double (*shared)[P_N] = epv__calloc(ctx, u.nspec ? u.nspec : 1, sizeof *shared);
    if (!shared) {
        setup_free(&u);
        return EPV_ENOMEM;
    }
    double net = 0, var_area = 0, var_curve = 0, var_params = 0;
    for (size_t i = 0; i < u.ns && !rc; i++) {
        struct sink_stratum st = u.strata[i];
        const char *id = st.s.id;
        double n_s, o_s;
        if ((rc = stratum_net(ctx, &u, &st, i, u.scratch, &n_s))) break;
        /* The part that does not scale with the tree parameters: the same stratum with a
         * zero volume-to-CO2 slope (shrubs cleared, soil, per-hectare baseline). */
        st.co2_per_m3_ha = 0;
        if ((rc = stratum_net(ctx, &u, &st, i, u.scratch, &o_s))) break;
        st.co2_per_m3_ha = u.strata[i].co2_per_m3_ha;
        double t_s = n_s - o_s;
        net += n_s;
        /* Eq. 3.2 terms (U%·x): area scales the whole stratum. */
        var_area += (u.area_u[i] * n_s) * (u.area_u[i] * n_s);
        const double *cov = o->stratum_curve_cov ? o->stratum_curve_cov[i] : NULL;
        if (cov) {
            /* First-order propagation of the fit's covariance: var(T) = gᵀ Σ g, g by central
             * differences of the model in (a, b, c). */
            int k = curve_nparams(&st.s.curve);
            double g[3] = { 0, 0, 0 };
            for (int j = 0; j < k && !rc; j++) {
                double th = *curve_param(&st.s.curve, j), h = 1e-6 * (fabs(th) > 1e-3 ? fabs(th) : 1e-3), tp, tm;
                struct sink_stratum sp = st, sm = st;
                *curve_param(&sp.s.curve, j) = th + h;
                *curve_param(&sm.s.curve, j) = th - h;
                if ((rc = stratum_net(ctx, &u, &sp, i, u.scratch, &tp)) ||
                    (rc = stratum_net(ctx, &u, &sm, i, u.scratch, &tm))) {
                    epv__error_prefix(ctx, "stratum '%s': curve covariance", id);
                    break;
                }
                g[j] = (tp - tm) / (2 * h);
            }
            if (rc) break;
            double v = 0;
            for (int r = 0; r < k; r++)
                for (int c = 0; c < k; c++) {
                    double x = cov[r * 3 + c];
                    if (!isfinite(x) || (r == c && x < 0)) {
                        rc = epv__error(ctx, EPV_ERANGE, "stratum '%s': curve covariance [%d][%d]: %g is not a "
                                        "finite %s", id, r, c, x, r == c ? "non-negative variance" : "number");
                        break;
                    }
                    v += g[r] * x * g[c];
                }
            if (rc) break;
            if (v < 0) v = 0;
            double term = 100 * Z95 * sqrt(v);
            var_curve += term * term;
        } else if (u.curve_u[i] > 0) {
            /* The curve's U% is on its asymptote a, and y = a·g(t) for every model, so the term
             * is U · a·∂N/∂a: the project curve's part of the net removals (not the baseline
             * curve's, which stays fixed). a·∂N/∂a by a central difference (exact here: the
             * net removals are linear in a unless leakage switches sign). */
            struct sink_stratum sp = st, sm = st;
            double h = 1e-4, np, nm;
            sp.s.curve.a *= 1 + h;
            sm.s.curve.a *= 1 - h;
            if ((rc = stratum_net(ctx, &u, &sp, i, u.scratch, &np)) ||
                (rc = stratum_net(ctx, &u, &sm, i, u.scratch, &nm)))
                break;
            double part = (np - nm) / (2 * h);
            var_curve += (u.curve_u[i] * part) * (u.curve_u[i] * part);
        }
        size_t k = u.spec_of[i];
        for (int f = 0; f < P_N; f++)
            if (uses(st.s.method, f)) shared[k][f] += elasticity(&st.species, f) * t_s;
    }
    if (!rc) {
        for (size_t k = 0; k < u.nspec; k++)
            for (int f = 0; f < P_N; f++) {
                double term = u.spec_u[k][f] * shared[k][f];
                var_params += term * term;
            }
        if (net == 0) {
            rc = epv__error(ctx, EPV_EDOMAIN, "period %d-%d: net removals are 0, so a relative uncertainty is undefined",
                            first_year, last_year);
        } else {
            double var = var_area + var_curve + var_params;
            double u_pct = sqrt(var) / fabs(net);
            if (!isfinite(net) || !isfinite(var) || !isfinite(u_pct)) {
                rc = epv__error(ctx, EPV_ERANGE,
                                "period %d-%d: the propagated uncertainty overflows (net %g t CO2e, "
                                "variance %g); Approach 1 cannot combine these inputs",
                                first_year, last_year, net, var);
            } else {
                epv_sink_unc_result r = EPV_SINK_UNC_RESULT_INIT;
                r.first_year = first_year;
                r.last_year = last_year;
                r.net.method = EPV_UNC_APPROACH1;
                r.net.estimate = net;
                r.net.lower = net - fabs(net) * u_pct / 100;
                r.net.upper = net + fabs(net) * u_pct / 100;
                r.net.u_lower_pct = u_pct;
                r.net.u_upper_pct = u_pct;
                r.net.draws = 0;
                r.mean_tco2_yr = net / (last_year - first_year + 1);
                r.central_tco2 = net;
                r.sd_tco2 = fabs(net) * u_pct / (100 * Z95);
                r.u_area_pct = sqrt(var_area) / fabs(net);
                r.u_curve_pct = sqrt(var_curve) / fabs(net);
                r.u_params_pct = sqrt(var_params) / fabs(net);
                *out = r;
            }
        }
    }
    epv__free(ctx, shared);
    setup_free(&u);
    return rc;
}

/* ---- Approach 2 --------------------------------------------------------------------------- */

#define NONE SIZE_MAX

struct mc_job {
    const struct unc_setup *u;
    epv_ctx base;                 /* copied per call for the allocator and error messages */
    size_t (*spec_in)[P_N];       /* input index per species and value, or NONE (constant) */
    size_t *area_in, *curve_in;   /* per stratum first input, or NONE */
    int *curve_k;                 /* 0: no curve input; 1: factor on a; 2 or 3: jointly normal parameters */
    atomic_size_t failed;         /* a stratum whose drawn curve the model refused, or NONE */
};

static int mc_model(const double *x, size_t nin, double *y, size_t nout, void *payload)
{
    (void)nin;
    (void)nout;
    struct mc_job *job = payload;
    const struct unc_setup *u = job->u;
    epv_ctx ctx = job->base;
    double *scratch = epv__malloc(&ctx, scratch_len(u->nyears) * sizeof(double));
    epv_params_species *sp = epv__malloc(&ctx, u->nspec * sizeof *sp);
    if (!scratch || !sp) {
        epv__free(&ctx, scratch);
        epv__free(&ctx, sp);
        return EPV_ENOMEM;
    }
    for (size_t k = 0; k < u->nspec; k++) {
        sp[k] = u->spec[k];
        for (int f = 0; f < P_N; f++)
            if (job->spec_in[k][f] != NONE) pset(&sp[k], f, x[job->spec_in[k][f]]);
    }
    double total = 0;
    int rc = EPV_OK;
    for (size_t i = 0; i < u->ns && !rc; i++) {
        struct sink_stratum st = u->strata[i];
        st.species = sp[u->spec_of[i]];
        if (job->area_in[i] != NONE) st.s.area_ha = x[job->area_in[i]];
        if (job->curve_k[i] == 1) {
            st.s.curve.a = x[job->curve_in[i]];
        } else if (job->curve_k[i] > 1) {
            for (int j = 0; j < job->curve_k[i]; j++) *curve_param(&st.s.curve, j) = x[job->curve_in[i] + (size_t)j];
        }
        st.co2_per_m3_ha = slope_of(&st.species, st.s.method);
        double n_s;
        if (job->curve_k[i] > 1 && epv_growth_curve_check(&ctx, &st.s.curve) != EPV_OK)
            rc = EPV_EDOMAIN;
        else
            rc = stratum_net(&ctx, u, &st, i, scratch, &n_s);
        if (rc) {
            size_t none = NONE;
            atomic_compare_exchange_strong(&job->failed, &none, i);
            break;
        }
        total += n_s;
    }
    y[0] = total;
    epv__free(&ctx, scratch);
    epv__free(&ctx, sp);
    return rc;
}

static int add_normal(epv_mc *mc, const char *name, double mean, double u_pct, size_t *index)
{
    epv_mc_dist d = u_pct > 0 && mean != 0 ? epv_mc_dist_normal(mean, fabs(mean) * u_pct / (100 * Z95)) : epv_mc_dist_constant(mean);
    return epv_mc_add_input(mc, name, &d, EPV_MC_NONNEG, index);
}

EPV_API int epv_sink_unc_approach2(epv_ctx *ctx, const epv_project *p, const epv_params *params, int first_year,
                                   int last_year, const epv_sink_unc_options *o, epv_sink_unc_result *out,
                                   epv_mc **draws)
{
    if (draws) *draws = NULL;
    if (!out) return epv__error(ctx, EPV_EINVAL, "unc_approach2: NULL output");
    { int rcv = epv__check_version(ctx, "epv_sink_unc_result", out, EPV_SINK_UNC_RESULT_VERSION); if (rcv) return rcv; }
    if (o && o->version && o->iterations < 2)
        return epv__error(ctx, EPV_ERANGE, "iterations: %zu draw%s cannot show any spread; at least 2 are needed",
                          o->iterations, o->iterations == 1 ? "" : "s");
    struct unc_setup u;
    int rc = setup(ctx, p, params, first_year, last_year, o, &u);
    if (rc) return rc;
    struct mc_job job;
    memset(&job, 0, sizeof job);
    job.u = &u;
    job.base = *ctx;
    atomic_init(&job.failed, NONE);
    epv_mc *mc = NULL;
    job.spec_in = epv__malloc(ctx, (u.nspec ? u.nspec : 1) * sizeof *job.spec_in);
    job.area_in = epv__malloc(ctx, u.ns * sizeof *job.area_in);
    job.curve_in = epv__malloc(ctx, u.ns * sizeof *job.curve_in);
    job.curve_k = epv__calloc(ctx, u.ns, sizeof *job.curve_k);
    if (!job.spec_in || !job.area_in || !job.curve_in || !job.curve_k) {
        rc = EPV_ENOMEM;
        goto done;
    }
    if ((rc = epv_mc_new(ctx, &mc))) goto done;
    char name[200];
    /* Inputs in a fixed order (species, then strata), so draws depend only on the seed. */
    for (size_t k = 0; k < u.nspec && !rc; k++)
        for (int f = 0; f < P_N && !rc; f++) {
            job.spec_in[k][f] = NONE;
            if (u.spec_u[k][f] <= 0) continue;
            snprintf(name, sizeof name, "species '%s' %s", u.spec[k].code, pfield[f]);
            rc = add_normal(mc, name, pvalue(&u.spec[k], f), u.spec_u[k][f], &job.spec_in[k][f]);
        }
    for (size_t i = 0; i < u.ns && !rc; i++) {
        const struct sink_stratum *st = &u.strata[i];
        job.area_in[i] = job.curve_in[i] = NONE;
        if (u.area_u[i] > 0) {
            snprintf(name, sizeof name, "stratum '%s' area_ha", st->s.id);
            if ((rc = add_normal(mc, name, st->s.area_ha, u.area_u[i], &job.area_in[i]))) break;
        }
        const double *cov = o->stratum_curve_cov ? o->stratum_curve_cov[i] : NULL;
        if (cov) {
            int k = curve_nparams(&st->s.curve);
            double mean[3] = { st->s.curve.a, st->s.curve.b, st->s.curve.c }, c[9];
            for (int r = 0; r < k; r++)
                for (int q = 0; q < k; q++) c[r * k + q] = cov[r * 3 + q];
            snprintf(name, sizeof name, "stratum '%s' curve", st->s.id);
            rc = epv_mc_add_mvnormal(mc, name, (size_t)k, mean, c, 0, &job.curve_in[i]);
            job.curve_k[i] = k;
        } else if (u.curve_u[i] > 0) {
            snprintf(name, sizeof name, "stratum '%s' curve a", st->s.id);
            rc = add_normal(mc, name, st->s.curve.a, u.curve_u[i], &job.curve_in[i]);
            job.curve_k[i] = 1;
        }
        if (rc) epv__error_prefix(ctx, "stratum '%s'", st->s.id);
    }
    if (rc) goto done;
    /* Central value: the model at the central inputs (the estimate's own figure). */
    double central = 0;
    for (size_t i = 0; i < u.ns && !rc; i++) {
        double n_s;
        if ((rc = stratum_net(ctx, &u, &u.strata[i], i, u.scratch, &n_s))) break;
        central += n_s;
    }
    if (rc) goto done;
    if (epv_mc_n_inputs(mc) == 0) {
        rc = epv__error(ctx, EPV_ESTATE, "uncertainty_mc: every input has zero uncertainty: nothing to draw");
        goto done;
    }
    rc = epv_mc_run(mc, o->iterations, 1, mc_model, &job);
    if (rc) {
        size_t f = atomic_load(&job.failed);
        if (f != NONE && rc == EPV_ECALLBACK) {
            /* our own model refused a draw: a domain error, not a caller's callback */
            char msg[EPV_ERRMSG_MAX];
            snprintf(msg, sizeof msg, "%s", epv_ctx_errmsg(ctx));
            rc = epv__error(ctx, EPV_EDOMAIN, "stratum '%s': a drawn area or growth curve was refused by the model (%s)",
                            u.strata[f].s.id, msg);
        }
        goto done;
    }
    epv_mc_summary sm = EPV_MC_SUMMARY_INIT;
    if ((rc = epv_mc_summarize(mc, 0, &sm))) goto done;
    if (!isfinite(sm.u_lower_pct) || !isfinite(sm.u_upper_pct)) {
        rc = epv__error(ctx, EPV_EDOMAIN,
                        "period %d-%d: the mean of the drawn net removals (%g t CO2e) is too close to 0 "
                        "for a relative uncertainty (U%% overflows)", first_year, last_year, sm.mean);
        goto done;
    }
    {
        epv_sink_unc_result r = EPV_SINK_UNC_RESULT_INIT;
        r.first_year = first_year;
        r.last_year = last_year;
        r.net.method = EPV_UNC_APPROACH2;
        r.net.estimate = sm.mean;
        r.net.lower = sm.p2_5;
        r.net.upper = sm.p97_5;
        r.net.u_lower_pct = sm.u_lower_pct;
        r.net.u_upper_pct = sm.u_upper_pct;
        r.net.draws = (epv_i64)sm.n;
        r.mean_tco2_yr = sm.mean / (last_year - first_year + 1);
        r.central_tco2 = central;
        r.sd_tco2 = sm.sd;
        r.u_area_pct = -1;
        r.u_curve_pct = -1;
        r.u_params_pct = -1;
        *out = r;
    }
    if (draws) {
        *draws = mc;
        mc = NULL;
    }
done:
    epv_mc_free(mc);
    epv__free(ctx, job.spec_in);
    epv__free(ctx, job.area_in);
    epv__free(ctx, job.curve_in);
    epv__free(ctx, job.curve_k);
    setup_free(&u);
    return rc;
}

/* ---- sample plots for monitoring ------------------------------------------------------------ */

EPV_API int epv_sink_sampling_design(epv_ctx *ctx, const epv_project *p, const epv_params *params, int year,
                                     const double *cv_pct, double confidence, double precision_pct,
                                     double plot_area_ha, epv_sink_sampling *out, epv_i64 *n_h)
{
    if (!ctx || !p || !cv_pct || !out) return epv__error(ctx, EPV_EINVAL, "sampling_design: NULL argument");
    { int rcv = epv__check_version(ctx, "epv_sink_sampling", out, EPV_SINK_SAMPLING_VERSION); if (rcv) return rcv; }
    if (p->nstrata == 0) return epv__error(ctx, EPV_ESTATE, "project '%s': has no strata", p->name);
    int end = p->start_year + p->crediting_years - 1;
    if (year < p->start_year || year > end)
        return epv__error(ctx, EPV_ERANGE, "year: %d is outside the crediting period %d-%d", year, p->start_year, end);
    if (!isfinite(precision_pct) || precision_pct <= 0 || precision_pct >= 100)
        return epv__error(ctx, EPV_ERANGE, "precision_pct: %g is outside (0, 100)", precision_pct);
    if (!isfinite(plot_area_ha) || plot_area_ha < 0)
        return epv__error(ctx, EPV_ERANGE, "plot_area_ha: %g must be 0 (infinite population) or positive", plot_area_ha);
    size_t ns = p->nstrata, ny = (size_t)(year - p->start_year + 1);
    for (size_t i = 0; i < ns; i++)
        if (!isfinite(cv_pct[i]) || cv_pct[i] <= 0 || cv_pct[i] > SAMPLING_CV_MAX)
            return epv__error(ctx, EPV_ERANGE, "cv_pct[%zu] (stratum '%s'): %g is outside (0, 500] percent", i, p->strata[i].s.id,
                              cv_pct[i]);
    double t;
    int rc = epv_sampling_t_value(ctx, confidence, 0, &t);
    if (rc) return rc;
    double *w = epv__malloc(ctx, ns * sizeof *w), *s = epv__malloc(ctx, ns * sizeof *s),
           *mu = epv__malloc(ctx, ns * sizeof *mu), *scratch = epv__malloc(ctx, scratch_len(ny) * sizeof(double));
    if (!w || !s || !mu || !scratch) {
        rc = EPV_ENOMEM;
        goto done;
    }
    double area = 0, mean = 0;
    for (size_t i = 0; i < ns; i++) area += p->strata[i].s.area_ha;
    for (size_t i = 0; i < ns && !rc; i++) {
        struct sink_stratum st = p->strata[i];
        if (params && (rc = epv_params_species_find(ctx, params, st.s.species, &st.species))) {
            epv__error_prefix(ctx, "stratum '%s'", st.s.id);
            break;
        }
        st.co2_per_m3_ha = slope_of(&st.species, st.s.method);
        double *ages = scratch, *vol = ages + ny + 1, *bvol = vol + ny + 1, *comp = bvol + ny + 1;
        memset(comp, 0, ny * SINK_NCOMP * sizeof(double));
        if ((rc = epv__sink_stratum_years(ctx, p, &st, i, ny, ages, vol, bvol, comp))) break;
        mu[i] = comp[(ny - 1) * SINK_NCOMP + SINK_STOCK] / st.s.area_ha;
        if (!(mu[i] > 0)) {
            rc = epv__error(ctx, EPV_EDOMAIN, "stratum '%s': no carbon stock at the end of %d to sample", st.s.id, year);
            break;
        }
        w[i] = st.s.area_ha / area;
        s[i] = cv_pct[i] / 100 * mu[i];
        mean += w[i] * mu[i];
    }
    if (rc) goto done;
    epv_sampling_size sz = EPV_SAMPLING_SIZE_INIT;
    double N = plot_area_ha > 0 ? area / plot_area_ha : 0;
    if ((rc = epv_sampling_plots_needed(ctx, w, s, ns, N, t, precision_pct / 100 * mean, &sz, n_h))) goto done;
    out->year = year;
    out->t = t;
    out->mean_tco2_ha = mean;
    out->n_exact = sz.n_exact;
    out->n = sz.n;
done:
    epv__free(ctx, w);
    epv__free(ctx, s);
    epv__free(ctx, mu);
    epv__free(ctx, scratch);
    return rc;
}
