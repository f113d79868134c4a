/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Computing an inventory: integrity checks, activity x factor per record, totals and traces
 * along sector -> subsector -> code -> entity -> record, per-year columns, LMDI, targets,
 * peak, and the net balance's uncertainty (IPCC Approach 1 and 2). */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "inventory_int.h"

EPV__DEFINE_INIT(epv_inventory_options, EPV_INVENTORY_OPTIONS_VERSION, EPV_INVENTORY_OPTIONS_INIT)
EPV__DEFINE_INIT(epv_inventory_query, EPV_INVENTORY_QUERY_VERSION, EPV_INVENTORY_QUERY_INIT)
EPV__DEFINE_INIT(epv_inventory_total, EPV_INVENTORY_TOTAL_VERSION, EPV_INVENTORY_TOTAL_INIT)
EPV__DEFINE_INIT(epv_inventory_line, EPV_INVENTORY_LINE_VERSION, EPV_INVENTORY_LINE_INIT)
EPV__DEFINE_INIT(epv_inventory_decomposition, EPV_INVENTORY_DECOMPOSITION_VERSION, EPV_INVENTORY_DECOMPOSITION_INIT)
EPV__DEFINE_INIT(epv_inventory_target, EPV_INVENTORY_TARGET_VERSION, EPV_INVENTORY_TARGET_INIT)
EPV__DEFINE_INIT(epv_inventory_progress, EPV_INVENTORY_PROGRESS_VERSION, EPV_INVENTORY_PROGRESS_INIT)
EPV__DEFINE_INIT(epv_inventory_peak, EPV_INVENTORY_PEAK_VERSION, EPV_INVENTORY_PEAK_INIT)
EPV__DEFINE_INIT(epv_inventory_removal, EPV_INVENTORY_REMOVAL_VERSION, EPV_INVENTORY_REMOVAL_INIT)
EPV__DEFINE_INIT(epv_inventory_unc_options, EPV_INVENTORY_UNC_OPTIONS_VERSION, EPV_INVENTORY_UNC_OPTIONS_INIT)

EPV_API void epv_inventory_result_free(epv_inventory_result *r)
{
    if (!r) return;
    epv_ctx *ctx = r->ctx;
    epv__free(ctx, r->factor);
    epv__free(ctx, r->fac_u);
    epv__free(ctx, r->t_gas);
    epv__free(ctx, r->t_co2e);
    epv__free(ctx, r->tce);
    epv__free(ctx, r->fsource);
    epv__free(ctx, r->fprov);
    epv__free(ctx, r->fgroup);
    epv__free(ctx, r->years);
    for (int k = 0; k < 6; k++) epv__free(ctx, r->col[k]);
    epv__free(ctx, r);
}

EPV_API int epv_inventory_result_gwp(const epv_inventory_result *r) { return r ? r->gwp : 0; }
EPV_API size_t epv_inventory_result_records(const epv_inventory_result *r) { return r ? r->n : 0; }

static int cmp_i64(const void *a, const void *b)
{
    epv_i64 x = *(const epv_i64 *)a, y = *(const epv_i64 *)b;
    return x < y ? -1 : x > y;
}

static size_t year_index(const epv_inventory_result *r, epv_i64 y)
{
    size_t lo = 0, hi = r->ny;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (r->years[mid] < y)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < r->ny && r->years[lo] == y ? lo : SIZE_MAX;
}

/* Double-counted electricity: an entity-year with own generation consumed and purchased
 * electricity of the same amount or from the same document. */
static int check_double_counting(epv_ctx *ctx, const epv_inventory *inv)
{
    size_t fself = epv__inv_factor_index(inv->f, "electricity_self");
    size_t fgrid = epv__inv_factor_index(inv->f, "electricity_grid");
    if (fself == SIZE_MAX || fgrid == SIZE_MAX) return EPV_OK;
    for (size_t i = 0; i < inv->nr; i++) {
        const epv__inv_rec *a = &inv->r[i];
        if (a->factor != fself) continue;
        for (size_t j = 0; j < inv->nr; j++) {
            const epv__inv_rec *b = &inv->r[j];
            if (b->factor != fgrid || b->year != a->year || strcmp(a->entity, b->entity)) continue;
            double tol = 1e-9 * fmax(fabs(a->amount), fabs(b->amount));
            if (fabs(a->amount - b->amount) <= tol || !strcmp(a->document, b->document))
                return epv__error(ctx, EPV_ECORRUPT,
                                  "%s: record '%s': field 'code': own generated electricity (%g MWh, document %s) "
                                  "and %s: record '%s' purchased electricity (%g MWh, document %s) report the same "
                                  "electricity for entity '%s' in %d (double counting)",
                                  a->origin, a->id, a->amount, a->document, b->origin, b->id, b->amount, b->document,
                                  a->entity, a->year);
        }
    }
    return EPV_OK;
}

EPV_API int epv_inventory_compute(epv_ctx *ctx, const epv_inventory *inv, const epv_inventory_options *opts,
                                  epv_inventory_result **out)
{
    EPV__NEED(ctx, out, "out");
    *out = NULL;
    EPV__NEED(ctx, inv, "inv");
    epv_inventory_options dflt = EPV_INVENTORY_OPTIONS_INIT;
    if (!opts) opts = &dflt;
    int rc = epv__check_version(ctx, "epv_inventory_options", opts, EPV_INVENTORY_OPTIONS_VERSION);
    if (rc) return rc;
    if (opts->gwp < EPV_INVENTORY_GWP_AR4 || opts->gwp > EPV_INVENTORY_GWP_AR6)
        return epv__error(ctx, EPV_EINVAL, "epv_inventory_compute: unknown GWP set %d (known: 4 = AR4, 5 = AR5, 6 = AR6)",
                          opts->gwp);
    const epv_inventory_factors *f = inv->f;
    /* Integrity first: nothing is computed from a data set that fails them. */
    for (size_t i = 0; i < inv->nr; i++) {
        const epv__inv_rec *x = &inv->r[i];
        if (f->f[x->factor].is_grid && !epv__inv_grid_find(f, x->grid, x->year)) {
            epv_inventory_factors_grid(ctx, f, x->grid, x->year, &(double){ 0 }, NULL);
            epv__error_prefix(ctx, "%s: record '%s': field 'year'", x->origin, x->id);
            return EPV_ENOTFOUND;
        }
    }
    if ((rc = check_double_counting(ctx, inv))) return rc;
    if ((rc = epv__progress(ctx, 0.0, "inventory: computing"))) return rc;

    epv_inventory_result *r = epv__calloc(ctx, 1, sizeof *r);
    if (!r) return EPV_ENOMEM;
    r->ctx = ctx;
    r->inv = inv;
    r->gwp = opts->gwp;
    r->nf0 = f->nf;
    r->ng0 = f->ng;
    size_t n = r->n = inv->nr;
    size_t m = n ? n : 1;
    r->factor = epv__malloc(ctx, m * sizeof(double));
    r->fac_u = epv__malloc(ctx, m * sizeof(double));
    r->t_gas = epv__malloc(ctx, m * sizeof(double));
    r->t_co2e = epv__malloc(ctx, m * sizeof(double));
    r->tce = epv__malloc(ctx, m * sizeof(double));
    r->fsource = epv__malloc(ctx, m * sizeof(char *));
    r->fprov = epv__malloc(ctx, m * sizeof(int));
    r->fgroup = epv__malloc(ctx, m * sizeof(size_t));
    r->years = epv__malloc(ctx, (n + inv->ne + 1) * sizeof(epv_i64));
    if (!r->factor || !r->fac_u || !r->t_gas || !r->t_co2e || !r->tce || !r->fsource || !r->fprov || !r->fgroup ||
        !r->years) {
        epv_inventory_result_free(r);
        return EPV_ENOMEM;
    }
    const double *gwp = f->gwp[opts->gwp - EPV_INVENTORY_GWP_AR4];
    for (size_t i = 0; i < n; i++) {
        const epv__inv_rec *x = &inv->r[i];
        const epv__inv_factor *fa = &f->f[x->factor];
        double v = fa->value, u = fa->u_pct;
        const char *src = fa->source;
        int prov = fa->provisional;
        size_t group = x->factor;
        if (fa->is_grid) {
            const epv__inv_grid *g = epv__inv_grid_find(f, x->grid, x->year);
            v = g->value;
            u = g->u_pct;
            src = g->source;
            prov = g->provisional;
            group = f->nf + (size_t)(g - f->g); /* grid rows after the factor rows */
        }
        r->factor[i] = v;
        r->fac_u[i] = u;
        r->t_gas[i] = x->amount * v;
        r->t_co2e[i] = r->t_gas[i] * gwp[fa->gas];
        r->tce[i] = x->amount * fa->tce;
        r->fsource[i] = src;
        r->fprov[i] = prov;
        r->fgroup[i] = group;
        if ((i & 0xffff) == 0xffff && (rc = epv__progress(ctx, 0.8 * (double)i / (double)n, "inventory: computing"))) {
            epv_inventory_result_free(r);
            return rc;
        }
    }
    /* Years: distinct years of records and economy. */
    size_t ny = 0;
    for (size_t i = 0; i < n; i++) r->years[ny++] = inv->r[i].year;
    for (size_t i = 0; i < inv->ne; i++) r->years[ny++] = inv->e[i].year;
    qsort(r->years, ny, sizeof *r->years, cmp_i64);
    size_t k = 0;
    for (size_t i = 0; i < ny; i++)
        if (!k || r->years[i] != r->years[k - 1]) r->years[k++] = r->years[i];
    r->ny = k;
    for (int c = 0; c < 6; c++) {
        r->col[c] = epv__calloc(ctx, k ? k : 1, sizeof(double));
        if (!r->col[c]) {
            epv_inventory_result_free(r);
            return EPV_ENOMEM;
        }
    }
    double *co2e = r->col[0], *co2 = r->col[1], *tce = r->col[2], *gdp = r->col[3];
    for (size_t i = 0; i < n; i++) {
        const epv__inv_rec *x = &inv->r[i];
        size_t y = year_index(r, x->year);
        co2e[y] += r->t_co2e[i];
        if (f->f[x->factor].gas == EPV_INVENTORY_CO2 && (!strcmp(x->sector, "energy") || !strcmp(x->sector, "indirect")))
            co2[y] += r->t_gas[i];
        tce[y] += r->tce[i];
    }
    for (size_t y = 0; y < k; y++) gdp[y] = NAN;
    for (size_t i = 0; i < inv->ne; i++) {
        size_t y = year_index(r, inv->e[i].year);
        gdp[y] = inv->e[i].gdp;
        if (inv->e[i].energy_tce >= 0) tce[y] = inv->e[i].energy_tce;
    }
    for (size_t y = 0; y < k; y++) {
        r->col[4][y] = co2[y] / gdp[y];
        r->col[5][y] = tce[y] / gdp[y];
    }
    if ((rc = epv__progress(ctx, 1.0, "inventory: computed"))) {
        epv_inventory_result_free(r);
        return rc;
    }
    *out = r;
    return EPV_OK;
}

/* ---- queries ------------------------------------------------------------------------ */

static int str_match(const char *want, const char *have) { return !want || !*want || !strcmp(want, have); }

int epv__inv_match(const epv_inventory_result *r, size_t i, const epv_inventory_query *q)
{
    if (!q) return 1;
    const epv__inv_rec *x = &r->inv->r[i];
    if (q->year && q->year != x->year) return 0;
    if (q->gas && q->gas != r->inv->f->f[x->factor].gas) return 0;
    return str_match(q->sector, x->sector) && str_match(q->subsector, x->subsector) && str_match(q->code, x->code) &&
           str_match(q->entity, x->entity);
}

double epv__inv_value(const epv_inventory_result *r, size_t i, const epv_inventory_query *q)
{
    (void)q;
    return r->t_co2e[i];
}

static int check_query(epv_ctx *ctx, const epv_inventory_query *q)
{
    if (!q) return EPV_OK;
    int rc = epv__check_version(ctx, "epv_inventory_query", q, EPV_INVENTORY_QUERY_VERSION);
    if (rc) return rc;
    if (q->gas < 0 || q->gas > EPV_INVENTORY_N2O)
        return epv__error(ctx, EPV_EINVAL, "epv_inventory_query: unknown gas %d (0 = all in CO2e, 1 CO2, 2 CH4, 3 N2O)",
                          q->gas);
    return EPV_OK;
}

EPV_API int epv_inventory_result_total(epv_ctx *ctx, const epv_inventory_result *r, const epv_inventory_query *q,
                                       epv_inventory_total *out)
{
    EPV__NEED(ctx, r, "r");
    EPV__NEED(ctx, out, "out");
    int rc = epv__check_version(ctx, "epv_inventory_total", out, EPV_INVENTORY_TOTAL_VERSION);
    if (rc || (rc = check_query(ctx, q))) return rc;
    double t = 0, g[4] = { 0, 0, 0, 0 };
    size_t cnt = 0;
    for (size_t i = 0; i < r->n; i++) {
        if (!epv__inv_match(r, i, q)) continue;
        t += r->t_co2e[i];
        g[r->inv->f->f[r->inv->r[i].factor].gas] += r->t_gas[i];
        cnt++;
    }
    out->t_co2e = t;
    out->t_co2 = g[EPV_INVENTORY_CO2];
    out->t_ch4 = g[EPV_INVENTORY_CH4];
    out->t_n2o = g[EPV_INVENTORY_N2O];
    out->records = cnt;
    out->gwp = r->gwp;
    return EPV_OK;
}

EPV_API int epv_inventory_result_trace(epv_ctx *ctx, const epv_inventory_result *r, const epv_inventory_query *q,
                                       size_t *idx, size_t cap, size_t *n)
{
    EPV__NEED(ctx, r, "r");
    EPV__NEED(ctx, n, "n");
    int rc = check_query(ctx, q);
    if (rc) return rc;
    size_t cnt = 0;
    for (size_t i = 0; i < r->n; i++) cnt += (size_t)epv__inv_match(r, i, q);
    *n = cnt;
    if (cap < cnt) {
        if (cap == 0 && !idx) return EPV_OK;
        return epv__error(ctx, EPV_ERANGE, "epv_inventory_result_trace: buffer holds %zu, %zu needed", cap, cnt);
    }
    if (!cnt) return EPV_OK;
    EPV__NEED(ctx, idx, "idx");
    size_t k = 0;
    for (size_t i = 0; i < r->n; i++)
        if (epv__inv_match(r, i, q)) idx[k++] = i;
    return EPV_OK;
}

EPV_API int epv_inventory_result_line(epv_ctx *ctx, const epv_inventory_result *r, size_t i, epv_inventory_line *out)
{
    EPV__NEED(ctx, r, "r");
    EPV__NEED(ctx, out, "out");
    int rc = epv__check_version(ctx, "epv_inventory_line", out, EPV_INVENTORY_LINE_VERSION);
    if (rc) return rc;
    if (i >= r->n) return epv__error(ctx, EPV_ERANGE, "epv_inventory_result_line: index %zu of %zu", i, r->n);
    const epv__inv_rec *x = &r->inv->r[i];
    out->id = x->id;
    out->document = x->document;
    out->sector = x->sector;
    out->subsector = x->subsector;
    out->code = x->code;
    out->entity = x->entity;
    out->unit = x->unit;
    out->grid = x->grid;
    out->origin = x->origin;
    out->year = x->year;
    out->amount = x->amount;
    out->factor = r->factor[i];
    out->gas = r->inv->f->f[x->factor].gas;
    out->t_gas = r->t_gas[i];
    out->t_co2e = r->t_co2e[i];
    out->tce = r->tce[i];
    out->factor_source = r->fsource[i];
    out->provisional = r->fprov[i];
    return EPV_OK;
}

static const char *level_name(const epv_inventory_result *r, size_t i, int level)
{
    const epv__inv_rec *x = &r->inv->r[i];
    switch (level) {
    case EPV_INVENTORY_LEVEL_SECTOR: return x->sector;
    case EPV_INVENTORY_LEVEL_SUBSECTOR: return x->subsector;
    case EPV_INVENTORY_LEVEL_CODE: return x->code;
    case EPV_INVENTORY_LEVEL_ENTITY: return x->entity;
    default: return x->id;
    }
}

EPV_API int epv_inventory_result_breakdown(epv_ctx *ctx, const epv_inventory_result *r, const epv_inventory_query *q,
                                           int level, const char **names, double *values, size_t cap, size_t *n)
{
    EPV__NEED(ctx, r, "r");
    EPV__NEED(ctx, n, "n");
    int rc = check_query(ctx, q);
    if (rc) return rc;
    if (level < EPV_INVENTORY_LEVEL_SECTOR || level > EPV_INVENTORY_LEVEL_RECORD)
        return epv__error(ctx, EPV_EINVAL, "epv_inventory_result_breakdown: unknown level %d (1..5)", level);
    /* First pass: the distinct names, counted into a scratch list. */
    const char **tmp_names = epv__malloc(ctx, (r->n ? r->n : 1) * sizeof *tmp_names);
    double *tmp_vals = epv__malloc(ctx, (r->n ? r->n : 1) * sizeof *tmp_vals);
    if (!tmp_names || !tmp_vals) {
        epv__free(ctx, tmp_names);
        epv__free(ctx, tmp_vals);
        return EPV_ENOMEM;
    }
    size_t k = 0;
    for (size_t i = 0; i < r->n; i++) {
        if (!epv__inv_match(r, i, q)) continue;
        const char *nm = level_name(r, i, level);
        size_t j;
        for (j = 0; j < k; j++)
            if (!strcmp(tmp_names[j], nm)) break;
        if (j == k) {
            tmp_names[k] = nm;
            tmp_vals[k++] = 0;
        }
        tmp_vals[j] += epv__inv_value(r, i, q);
    }
    *n = k;
    if (cap < k) {
        epv__free(ctx, tmp_names);
        epv__free(ctx, tmp_vals);
        if (cap == 0 && !names && !values) return EPV_OK;
        return epv__error(ctx, EPV_ERANGE, "epv_inventory_result_breakdown: buffer holds %zu, %zu needed", cap, k);
    }
    if (k && (!names || !values)) {
        epv__free(ctx, tmp_names);
        epv__free(ctx, tmp_vals);
        return epv__error(ctx, EPV_EINVAL, "epv_inventory_result_breakdown: names or values is NULL");
    }
    for (size_t j = 0; j < k; j++) {
        names[j] = tmp_names[j];
        values[j] = tmp_vals[j];
    }
    epv__free(ctx, tmp_names);
    epv__free(ctx, tmp_vals);
    return EPV_OK;
}

EPV_API int epv_inventory_result_years(epv_ctx *ctx, const epv_inventory_result *r, const epv_i64 **years, size_t *n)
{
    EPV__NEED(ctx, r, "r");
    EPV__NEED(ctx, years, "years");
    EPV__NEED(ctx, n, "n");
    *years = r->years;
    *n = r->ny;
    return EPV_OK;
}

EPV_API int epv_inventory_result_column(epv_ctx *ctx, const epv_inventory_result *r, int col, const double **values,
                                        size_t *n)
{
    EPV__NEED(ctx, r, "r");
    EPV__NEED(ctx, values, "values");
    EPV__NEED(ctx, n, "n");
    if (col < EPV_INVENTORY_COL_TCO2E || col > EPV_INVENTORY_COL_ENERGY_INTENSITY)
        return epv__error(ctx, EPV_EINVAL, "epv_inventory_result_column: unknown column %d (1..6)", col);
    *values = r->col[col - 1];
    *n = r->ny;
    return EPV_OK;
}

/* ---- LMDI --------------------------------------------------------------------------- */

/* Logarithmic mean L(a, b) = (a - b) / (ln a - ln b), L(a, a) = a. */
static double logmean(double a, double b)
{
    if (a == b) return a;
    double d = log(a) - log(b);
    return (a - b) / d;
}

EPV_API int epv_inventory_lmdi(epv_ctx *ctx, size_t ncat, size_t nfactors, const double *x0, const double *xT,
                               double *effects)
{
    EPV__NEED(ctx, x0, "x0");
    EPV__NEED(ctx, xT, "xT");
    EPV__NEED(ctx, effects, "effects");
    if (nfactors == 0 || nfactors > 64)
        return epv__error(ctx, EPV_EINVAL, "epv_inventory_lmdi: nfactors %zu not in 1..64", nfactors);
    for (size_t i = 0; i < ncat * nfactors; i++)
        if (!isfinite(x0[i]) || !isfinite(xT[i]) || x0[i] < 0 || xT[i] < 0)
            return epv__error(ctx, EPV_ERANGE, "epv_inventory_lmdi: x%s[%zu][%zu] is negative or not finite",
                              !isfinite(x0[i]) || x0[i] < 0 ? "0" : "T", i / nfactors, i % nfactors);
    for (size_t k = 0; k < nfactors; k++) effects[k] = 0;
    for (size_t i = 0; i < ncat; i++) {
        const double *a = x0 + i * nfactors, *b = xT + i * nfactors;
        double v0 = 1, vT = 1;
        size_t z0 = 0, zT = 0;
        for (size_t k = 0; k < nfactors; k++) {
            v0 *= a[k];
            vT *= b[k];
            z0 += a[k] == 0;
            zT += b[k] == 0;
        }
        if (v0 == 0 && vT == 0) continue;
        if (v0 == 0 || vT == 0) {
            /* Analytic limit (Ang and Liu 2007): the change goes to the factors that are zero. */
            double dv = vT - v0;
            size_t nz = v0 == 0 ? z0 : zT;
            for (size_t k = 0; k < nfactors; k++)
                if ((v0 == 0 ? a[k] : b[k]) == 0) effects[k] += dv / (double)nz;
            continue;
        }
        double w = logmean(vT, v0);
        for (size_t k = 0; k < nfactors; k++) effects[k] += w * log(b[k] / a[k]);
    }
    return EPV_OK;
}

EPV_API int epv_inventory_result_decompose(epv_ctx *ctx, const epv_inventory_result *r, int year0, int year1,
                                           epv_inventory_decomposition *out)
{
    EPV__NEED(ctx, r, "r");
    EPV__NEED(ctx, out, "out");
    int rc = epv__check_version(ctx, "epv_inventory_decomposition", out, EPV_INVENTORY_DECOMPOSITION_VERSION);
    if (rc) return rc;
    if (year_index(r, year0) == SIZE_MAX || year_index(r, year1) == SIZE_MAX)
        return epv__error(ctx, EPV_ENOTFOUND, "epv_inventory_result_decompose: year %d or %d has no data", year0, year1);
    /* Categories: (sector, subsector, code, entity) pairs; activity and emissions per year. */
    size_t cap = r->n ? r->n : 1, nc = 0;
    size_t *rep = epv__malloc(ctx, cap * sizeof *rep);
    double *acc = epv__calloc(ctx, cap * 4, sizeof *acc); /* A0, E0, A1, E1 */
    if (!rep || !acc) {
        epv__free(ctx, rep);
        epv__free(ctx, acc);
        return EPV_ENOMEM;
    }
    const epv__inv_rec *R = r->inv->r;
    for (size_t i = 0; i < r->n; i++) {
        int slot = R[i].year == year0 ? 0 : R[i].year == year1 ? 2 : -1;
        if (slot < 0) continue;
        size_t c;
        for (c = 0; c < nc; c++) {
            const epv__inv_rec *p = &R[rep[c]];
            if (!strcmp(p->code, R[i].code) && !strcmp(p->entity, R[i].entity) && !strcmp(p->sector, R[i].sector) &&
                !strcmp(p->subsector, R[i].subsector))
                break;
        }
        if (c == nc) rep[nc++] = i;
        acc[4 * c + slot] += R[i].amount;
        acc[4 * c + slot + 1] += r->t_co2e[i];
    }
    double *x0 = epv__malloc(ctx, 2 * (nc ? nc : 1) * sizeof *x0), *x1 = epv__malloc(ctx, 2 * (nc ? nc : 1) * sizeof *x1);
    if (!x0 || !x1) {
        rc = EPV_ENOMEM;
    } else {
        double t0 = 0, t1 = 0;
        for (size_t c = 0; c < nc; c++) {
            double A0 = acc[4 * c], E0 = acc[4 * c + 1], A1 = acc[4 * c + 2], E1 = acc[4 * c + 3];
            t0 += E0;
            t1 += E1;
            /* Implied factor; a category absent in one year keeps the other year's factor,
             * so its whole change is activity. */
            double F0 = A0 > 0 ? E0 / A0 : 0, F1 = A1 > 0 ? E1 / A1 : 0;
            if (A0 == 0) F0 = F1;
            if (A1 == 0) F1 = F0;
            x0[2 * c] = A0;
            x0[2 * c + 1] = F0;
            x1[2 * c] = A1;
            x1[2 * c + 1] = F1;
        }
        double eff[2];
        rc = epv_inventory_lmdi(ctx, nc, 2, x0, x1, eff);
        if (!rc) {
            out->year0 = year0;
            out->year1 = year1;
            out->total0 = t0;
            out->total1 = t1;
            out->activity_effect = eff[0];
            out->factor_effect = eff[1];
            out->gwp = r->gwp;
        }
    }
    epv__free(ctx, x0);
    epv__free(ctx, x1);
    epv__free(ctx, rep);
    epv__free(ctx, acc);
    return rc;
}

/* ---- targets and peak ----------------------------------------------------------------- */

EPV_API int epv_inventory_result_progress(epv_ctx *ctx, const epv_inventory_result *r, const epv_inventory_target *t,
                                          epv_inventory_progress *out)
{
    EPV__NEED(ctx, r, "r");
    EPV__NEED(ctx, t, "t");
    EPV__NEED(ctx, out, "out");
    int rc = epv__check_version(ctx, "epv_inventory_target", t, EPV_INVENTORY_TARGET_VERSION);
    if (rc || (rc = epv__check_version(ctx, "epv_inventory_progress", out, EPV_INVENTORY_PROGRESS_VERSION))) return rc;
    if (t->col != EPV_INVENTORY_COL_CO2_INTENSITY && t->col != EPV_INVENTORY_COL_ENERGY_INTENSITY)
        return epv__error(ctx, EPV_EINVAL, "epv_inventory_target: col %d is not an intensity column (5 or 6)", t->col);
    if (t->target_year <= t->base_year || !isfinite(t->reduction_pct) || t->reduction_pct <= -100 ||
        t->reduction_pct >= 100)
        return epv__error(ctx, EPV_EINVAL,
                          "epv_inventory_target: target_year must follow base_year and reduction_pct lie in (-100, 100)");
    const double *v = r->col[t->col - 1];
    size_t b = year_index(r, t->base_year);
    if (b == SIZE_MAX || !isfinite(v[b]) || v[b] <= 0)
        return epv__error(ctx, EPV_ENOTFOUND, "epv_inventory_result_progress: no intensity in base year %d (GDP given?)",
                          t->base_year);
    size_t latest = b;
    for (size_t y = b + 1; y < r->ny && r->years[y] <= t->target_year; y++)
        if (isfinite(v[y]) && v[y] > 0) latest = y;
    double base = v[b], target = base * (1 - t->reduction_pct / 100), cur = v[latest];
    int ly = (int)r->years[latest];
    out->base_intensity = base;
    out->target_intensity = target;
    out->latest_year = ly;
    out->latest_intensity = cur;
    out->change_pct = (cur / base - 1) * 100;
    out->achieved_rate_pct = ly > t->base_year ? (pow(cur / base, 1.0 / (ly - t->base_year)) - 1) * 100 : 0;
    out->required_rate_pct = t->target_year > ly ? (pow(target / cur, 1.0 / (t->target_year - ly)) - 1) * 100 : 0;
    out->met = cur <= target;
    return EPV_OK;
}

EPV_API int epv_inventory_find_peak(epv_ctx *ctx, const epv_i64 *years, const double *values, size_t n,
                                    double tolerance_pct, epv_inventory_peak *out)
{
    EPV__NEED(ctx, years, "years");
    EPV__NEED(ctx, values, "values");
    EPV__NEED(ctx, out, "out");
    int rc = epv__check_version(ctx, "epv_inventory_peak", out, EPV_INVENTORY_PEAK_VERSION);
    if (rc) return rc;
    if (n < 2) return epv__error(ctx, EPV_EINVAL, "epv_inventory_find_peak: need at least 2 values, got %zu", n);
    if (!isfinite(tolerance_pct) || tolerance_pct < 0)
        return epv__error(ctx, EPV_EINVAL, "epv_inventory_find_peak: tolerance_pct must be finite and >= 0");
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(values[i]))
            return epv__error(ctx, EPV_ERANGE, "epv_inventory_find_peak: values[%zu] is not finite", i);
        if (i && years[i] <= years[i - 1])
            return epv__error(ctx, EPV_EINVAL, "epv_inventory_find_peak: years[%zu] not after years[%zu]", i, i - 1);
        if (values[i] > values[m]) m = i;
    }
    /* Peaked: the maximum lies before the last year and the path has come down from it by
     * more than the tolerance by its last year (a plateau within the tolerance is not a peak;
     * a later value equal to the maximum keeps the first one, and the last value decides). */
    double limit = values[m] - fabs(values[m]) * tolerance_pct / 100;
    int peaked = m + 1 < n && values[n - 1] < limit;
    out->year = years[m];
    out->value = values[m];
    out->peaked = peaked;
    return EPV_OK;
}

/* ---- uncertainty of the net balance ----------------------------------------------------- */

static int unc_prepare(epv_ctx *ctx, const epv_inventory_result *r, const epv_inventory_unc_options *o,
                       double *removed, double *var_removed)
{
    int rc = epv__check_version(ctx, "epv_inventory_unc_options", o, EPV_INVENTORY_UNC_OPTIONS_VERSION);
    if (rc) return rc;
    if (year_index(r, o->year) == SIZE_MAX)
        return epv__error(ctx, EPV_ENOTFOUND, "inventory uncertainty: year %d has no data", o->year);
    if (o->nremovals && !o->removals) return epv__error(ctx, EPV_EINVAL, "inventory uncertainty: removals is NULL");
    *removed = 0;
    *var_removed = 0;
    for (size_t j = 0; j < o->nremovals; j++) {
        const epv_inventory_removal *s = &o->removals[j];
        if ((rc = epv__check_version(ctx, "epv_inventory_removal", s, EPV_INVENTORY_REMOVAL_VERSION))) return rc;
        if (!s->years || !s->tco2e || !isfinite(s->u_pct) || s->u_pct < 0)
            return epv__error(ctx, EPV_EINVAL, "removal '%s': NULL arrays or bad u_pct", s->name ? s->name : "");
        size_t k;
        for (k = 0; k < s->n; k++)
            if (s->years[k] == o->year) break;
        if (k == s->n)
            return epv__error(ctx, EPV_ENOTFOUND, "removal '%s' has no value for %d", s->name ? s->name : "", o->year);
        if (!isfinite(s->tco2e[k]) || s->tco2e[k] < 0)
            return epv__error(ctx, EPV_ERANGE, "removal '%s': value for %d must be finite and >= 0",
                              s->name ? s->name : "", o->year);
        *removed += s->tco2e[k];
        double h = s->u_pct / 100 * s->tco2e[k];
        *var_removed += h * h;
    }
    return EPV_OK;
}

static void fill_interval(epv_unc_interval *out, int method, double est, double lo, double hi, epv_i64 draws)
{
    out->method = method;
    out->estimate = est;
    out->lower = lo;
    out->upper = hi;
    out->u_lower_pct = est != 0 ? (est - lo) / fabs(est) * 100 : HUGE_VAL;
    out->u_upper_pct = est != 0 ? (hi - est) / fabs(est) * 100 : HUGE_VAL;
    out->draws = draws;
}

EPV_API int epv_inventory_unc_approach1(epv_ctx *ctx, const epv_inventory_result *r,
                                        const epv_inventory_unc_options *opts, epv_unc_interval *out)
{
    EPV__NEED(ctx, r, "r");
    EPV__NEED(ctx, opts, "opts");
    EPV__NEED(ctx, out, "out");
    int rc = epv__check_version(ctx, "epv_unc_interval", out, EPV_UNC_INTERVAL_VERSION);
    double removed, var;
    if (rc || (rc = unc_prepare(ctx, r, opts, &removed, &var))) return rc;
    size_t ngroups = r->nf0 + r->ng0;
    double *ef = epv__calloc(ctx, ngroups ? ngroups : 1, sizeof *ef);
    if (!ef) return EPV_ENOMEM;
    double e = 0;
    for (size_t i = 0; i < r->n; i++) {
        if (r->inv->r[i].year != opts->year) continue;
        double v = r->t_co2e[i];
        e += v;
        ef[r->fgroup[i]] += v;
        double ha = r->inv->r[i].u_pct / 100 * v;
        var += ha * ha; /* activity errors: independent per record (Eq. 3.2) */
    }
    for (size_t g = 0; g < ngroups; g++) {
        /* factor errors: one per factor, shared by its records */
        double u = g < r->nf0 ? r->inv->f->f[g].u_pct : r->inv->f->g[g - r->nf0].u_pct;
        double h = u / 100 * ef[g];
        var += h * h;
    }
    epv__free(ctx, ef);
    double net = e - removed, half = sqrt(var);
    fill_interval(out, EPV_UNC_APPROACH1, net, net - half, net + half, 0);
    return EPV_OK;
}

/* splitmix64 and a normal deviate (Marsaglia polar method). */
static uint64_t sm64(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}
static double unif(uint64_t *s) { return ((double)(sm64(s) >> 11) + 0.5) / 9007199254740992.0; }
static double gauss(uint64_t *s)
{
    for (;;) {
        double u = 2 * unif(s) - 1, v = 2 * unif(s) - 1, q = u * u + v * v;
        if (q > 0 && q < 1) return u * sqrt(-2 * log(q) / q);
    }
}
/* Multiplier ~ Normal(1, U/196), truncated at zero by redrawing. */
static double mult(uint64_t *s, double u_pct)
{
    if (u_pct == 0) return 1;
    double sd = u_pct / 100 / 1.959964;
    for (int k = 0; k < 100; k++) {
        double m = 1 + sd * gauss(s);
        if (m >= 0) return m;
    }
    return 0;
}
static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}
static double quantile(const double *v, size_t n, double p)
{
    double h = (double)(n - 1) * p;
    size_t lo = (size_t)h;
    if (lo + 1 >= n) return v[n - 1];
    return v[lo] + (h - (double)lo) * (v[lo + 1] - v[lo]);
}

EPV_API int epv_inventory_unc_approach2(epv_ctx *ctx, const epv_inventory_result *r,
                                        const epv_inventory_unc_options *opts, epv_unc_interval *out)
{
    EPV__NEED(ctx, r, "r");
    EPV__NEED(ctx, opts, "opts");
    EPV__NEED(ctx, out, "out");
    int rc = epv__check_version(ctx, "epv_unc_interval", out, EPV_UNC_INTERVAL_VERSION);
    double removed, var;
    if (rc || (rc = unc_prepare(ctx, r, opts, &removed, &var))) return rc;
    if (opts->draws < 100 || opts->draws > 100000000)
        return epv__error(ctx, EPV_EINVAL, "epv_inventory_unc_approach2: draws %zu not in 100..1e8", opts->draws);
    size_t ngroups = r->nf0 + r->ng0, nsel = 0;
    size_t *sel = epv__malloc(ctx, (r->n ? r->n : 1) * sizeof *sel);
    double *gm = epv__malloc(ctx, (ngroups ? ngroups : 1) * sizeof *gm);
    double *draw = epv__malloc(ctx, opts->draws * sizeof *draw);
    if (!sel || !gm || !draw) {
        rc = EPV_ENOMEM;
        goto done;
    }
    for (size_t i = 0; i < r->n; i++)
        if (r->inv->r[i].year == opts->year) sel[nsel++] = i;
    uint64_t s = epv_ctx_seed(ctx) ^ (0x5bd1e995ULL * (uint64_t)opts->year);
    double sum = 0;
    for (size_t d = 0; d < opts->draws; d++) {
        for (size_t g = 0; g < ngroups; g++)
            gm[g] = mult(&s, g < r->nf0 ? r->inv->f->f[g].u_pct : r->inv->f->g[g - r->nf0].u_pct);
        double e = 0;
        for (size_t k = 0; k < nsel; k++) {
            size_t i = sel[k];
            e += r->t_co2e[i] * gm[r->fgroup[i]] * mult(&s, r->inv->r[i].u_pct);
        }
        double rem = 0;
        for (size_t j = 0; j < opts->nremovals; j++) {
            const epv_inventory_removal *x = &opts->removals[j];
            for (size_t k = 0; k < x->n; k++)
                if (x->years[k] == opts->year) {
                    rem += x->tco2e[k] * mult(&s, x->u_pct);
                    break;
                }
        }
        draw[d] = e - rem;
        sum += draw[d];
        if ((d & 1023) == 1023 && (rc = epv__progress(ctx, (double)d / (double)opts->draws, "inventory: Monte Carlo")))
            goto done;
    }
    qsort(draw, opts->draws, sizeof *draw, cmp_d);
    fill_interval(out, EPV_UNC_APPROACH2, sum / (double)opts->draws, quantile(draw, opts->draws, 0.025),
                  quantile(draw, opts->draws, 0.975), (epv_i64)opts->draws);
    rc = epv__progress(ctx, 1.0, "inventory: Monte Carlo done");
done:
    epv__free(ctx, sel);
    epv__free(ctx, gm);
    epv__free(ctx, draw);
    return rc;
}
