/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Aggregation of a valued account: any region level, node, year and price basis; GEP
 * tables, GEP/GDP and the volume/price split of a change. GEP counts final services only
 * and subtracts value flowing in from outside the region (GB/T 46869-2025). */
#include "config.h"
#include "gep_int.h"

#include <math.h>
#include <string.h>

/* Which leaves a node query covers: a leaf itself (even intermediate), else the final
 * leaves under the node (or under every category for GEP). */
static int covers(const epv_gep_account *acc, size_t i, long node)
{
    const epv_gep_indicator *ind = &acc->tree->nodes[i];
    if (!ind->leaf) return 0;
    if (node >= 0 && acc->tree->nodes[node].leaf) return (long)i == node;
    if (!ind->final_service) return 0;
    return node < 0 || epv__gep_tree_under(acc->tree, i, (size_t)node);
}

static int resolve_node(epv_ctx *ctx, const epv_gep_account *acc, const char *node, long *out)
{
    *out = -1;
    if (!node || strcmp(node, "gep") == 0) return EPV_OK;
    long i = epv__gep_tree_index(acc->tree, node);
    if (i < 0 || (size_t)i >= acc->nind) return epv__error(ctx, EPV_ENOTFOUND, "indicator: unknown code '%.60s'", node);
    *out = i;
    return EPV_OK;
}

static double price_of(const epv_gep_account *acc, size_t i, int y, epv_gep_basis basis)
{
    return (basis == EPV_GEP_CONSTANT ? acc->p_const : acc->p_cur)[i * (size_t)acc->nyears + (size_t)y];
}

/* Inflow k counts against region x when it enters x from outside x. */
static int inflow_hits(const epv_gep_account *acc, const struct gep_inflow *f, size_t x)
{
    if (!epv__gep_region_within(acc, f->to, x)) return 0;
    return f->from < 0 || !epv__gep_region_within(acc, (size_t)f->from, x);
}

static double inflow_value(const epv_gep_account *acc, const struct gep_inflow *f, epv_gep_basis basis)
{
    return basis == EPV_GEP_CONSTANT ? f->yuan * acc->money_const[f->year - acc->first_year] : f->yuan;
}

static int check_valued(epv_ctx *ctx, const epv_gep_account *acc)
{
    if (!acc->valued) return epv__error(ctx, EPV_ESTATE, "gep account: not valued (call epv_gep_account_value first)");
    return EPV_OK;
}

EPV_API int epv_gep_account_total(epv_ctx *ctx, const epv_gep_account *acc, const char *region, const char *ecosystem,
                                  const char *node, int year, epv_gep_basis basis, double *yuan)
{
    if (!acc || !yuan) return epv__error(ctx, EPV_EINVAL, "gep account: NULL argument");
    int rc = check_valued(ctx, acc);
    if (rc) return rc;
    long x = epv__gep_region_index(ctx, acc, region, 1);
    if (x < 0) return EPV_ENOTFOUND;
    long e = -1, nd;
    if (ecosystem && (e = epv__gep_eco_index(ctx, acc, ecosystem, 1)) < 0) return EPV_ENOTFOUND;
    if ((rc = resolve_node(ctx, acc, node, &nd))) return rc;
    if (year < acc->first_year || year >= acc->first_year + acc->nyears)
        return epv__error(ctx, EPV_ERANGE, "year: %d outside the account", year);
    int y = year - acc->first_year;
    double s = 0;
    for (size_t i = 0; i < acc->nind; i++) {
        const double *b = acc->q[(size_t)y * acc->nind + i];
        if (!b || !covers(acc, i, nd)) continue;
        double p = price_of(acc, i, y, basis), qs = 0;
        for (size_t r = 0; r < acc->nreg; r++) {
            if (!acc->is_leaf[r] || !epv__gep_region_within(acc, r, (size_t)x)) continue;
            for (size_t j = 0; j < acc->neco; j++)
                if (e < 0 || (size_t)e == j) qs += b[r * acc->neco + j];
        }
        s += qs * p;
    }
    if (e < 0)
        for (size_t k = 0; k < acc->ninflow; k++) {
            const struct gep_inflow *f = &acc->inflows[k];
            if (f->year == year && covers(acc, f->ind, nd) && inflow_hits(acc, f, (size_t)x)) s -= inflow_value(acc, f, basis);
        }
    *yuan = s;
    return EPV_OK;
}

struct table_job {
    const epv_gep_account *acc;
    epv_gep_basis basis;
    double *out;
};

static int table_years(size_t begin, size_t end, int worker, void *payload)
{
    (void)worker;
    struct table_job *job = payload;
    const epv_gep_account *acc = job->acc;
    size_t nreg = acc->nreg, neco = acc->neco, ny = (size_t)acc->nyears;
    for (size_t y = begin; y < end; y++) {
        for (size_t r = 0; r < nreg; r++) job->out[r * ny + y] = 0;
        for (size_t i = 0; i < acc->nind; i++) {
            const double *b = acc->q[y * acc->nind + i];
            if (!b || !covers(acc, i, -1)) continue;
            double p = price_of(acc, i, (int)y, job->basis);
            for (size_t r = 0; r < nreg; r++) {
                const double *row = b + r * neco;
                double s = 0;
                for (size_t j = 0; j < neco; j++) s += row[j];
                job->out[r * ny + y] += s * p;
            }
        }
        /* Leaves hold all quantities: sum children into parents (parents come first). */
        for (size_t r = nreg; r-- > 0;)
            if (acc->parent[r] >= 0) job->out[(size_t)acc->parent[r] * ny + y] += job->out[r * ny + y];
        for (size_t k = 0; k < acc->ninflow; k++) {
            const struct gep_inflow *f = &acc->inflows[k];
            if ((size_t)(f->year - acc->first_year) != y || !covers(acc, f->ind, -1)) continue;
            double v = inflow_value(acc, f, job->basis);
            for (long a = (long)f->to; a >= 0; a = acc->parent[a])
                if (inflow_hits(acc, f, (size_t)a)) job->out[(size_t)a * ny + y] -= v;
        }
    }
    return EPV_OK;
}

EPV_API int epv_gep_account_gep_table(epv_ctx *ctx, const epv_gep_account *acc, epv_gep_basis basis, double *out)
{
    if (!acc || !out) return epv__error(ctx, EPV_EINVAL, "gep account: NULL argument");
    int rc = check_valued(ctx, acc);
    if (rc) return rc;
    if ((rc = epv__progress(ctx, 0.0, "gep table"))) return rc;
    struct table_job job = { acc, basis, out };
    if ((rc = epv__parallel_for(ctx, (size_t)acc->nyears, epv_ctx_threads(ctx), table_years, &job))) return rc;
    return epv__progress(ctx, 1.0, "gep table done");
}

EPV__DEFINE_INIT(epv_gep_soil_split, EPV_GEP_SOIL_SPLIT_VERSION, EPV_GEP_SOIL_SPLIT_INIT)

EPV_API int epv_gep_account_soil_value(epv_ctx *ctx, const epv_gep_account *acc, const epv_gep_prices *prices,
                                       const char *region, int year, epv_gep_basis basis, epv_gep_soil_split *out)
{
    EPV__NEED(ctx, acc, "acc");
    EPV__NEED(ctx, prices, "prices");
    EPV__NEED(ctx, out, "out");
    int rc = epv__check_version(ctx, "epv_gep_soil_split", out, EPV_GEP_SOIL_SPLIT_VERSION);
    if (rc || (rc = check_valued(ctx, acc))) return rc;
    if (!prices->has_soil || !(prices->soil.total_yuan_t > 0))
        return epv__error(ctx, EPV_ENOTFOUND,
                          "prices: soil retention's price was not built from its parts (epv_gep_prices_set_soil)");
    double total;
    if ((rc = epv_gep_account_total(ctx, acc, region, NULL, "soil_retention", year, basis, &total))) return rc;
    const epv_gep_soil_value *s = &prices->soil;
    epv_gep_soil_split r = EPV_GEP_SOIL_SPLIT_INIT;
    r.sediment_yuan = total * (s->sediment_yuan_t / s->total_yuan_t);
    r.n_yuan = total * (s->n_yuan_t / s->total_yuan_t);
    r.p_yuan = total * (s->p_yuan_t / s->total_yuan_t);
    r.total_yuan = total;
    *out = r;
    return EPV_OK;
}

EPV_API size_t epv_gep_account_indicator_count(const epv_gep_account *acc) { return acc ? acc->nind : 0; }

EPV_API int epv_gep_account_copy_values(epv_ctx *ctx, const epv_gep_account *acc, epv_gep_values what, double *buf,
                                        size_t cap, size_t *n)
{
    EPV__NEED(ctx, acc, "acc");
    EPV__NEED(ctx, n, "n");
    if (what != EPV_GEP_VALUES_QUANTITY && what != EPV_GEP_VALUES_CURRENT && what != EPV_GEP_VALUES_CONSTANT)
        return epv__error(ctx, EPV_EINVAL, "what: unknown value %d", (int)what);
    int rc;
    if (what != EPV_GEP_VALUES_QUANTITY && (rc = check_valued(ctx, acc))) return rc;
    size_t block = acc->nreg * acc->neco, need = (size_t)acc->nyears * acc->nind * block;
    *n = need;
    if (!buf || cap < need)
        return epv__error(ctx, EPV_ERANGE, "buf: room for %zu values, the account table has %zu", buf ? cap : 0, need);
    epv_gep_basis basis = what == EPV_GEP_VALUES_CONSTANT ? EPV_GEP_CONSTANT : EPV_GEP_CURRENT;
    for (size_t y = 0; y < (size_t)acc->nyears; y++)
        for (size_t i = 0; i < acc->nind; i++) {
            double *dst = buf + (y * acc->nind + i) * block;
            const double *b = acc->q[y * acc->nind + i];
            if (!b || !acc->tree->nodes[i].leaf) {
                for (size_t k = 0; k < block; k++) dst[k] = NAN;
                continue;
            }
            double p = what == EPV_GEP_VALUES_QUANTITY ? 1.0 : price_of(acc, i, (int)y, basis);
            for (size_t k = 0; k < block; k++) dst[k] = 0;
            for (size_t r = 0; r < acc->nreg; r++) {
                if (!acc->is_leaf[r]) continue;
                for (size_t e = 0; e < acc->neco; e++) {
                    double v = b[r * acc->neco + e] * p;
                    /* the leaf and every region above it (parents come before children) */
                    for (long a = (long)r; a >= 0; a = acc->parent[a]) dst[(size_t)a * acc->neco + e] += v;
                }
            }
        }
    return EPV_OK;
}

EPV_API int epv_gep_account_gep_gdp(epv_ctx *ctx, const epv_gep_account *acc, const char *region, int year,
                                    double *ratio)
{
    if (!acc || !ratio) return epv__error(ctx, EPV_EINVAL, "gep account: NULL argument");
    double gep;
    int rc = epv_gep_account_total(ctx, acc, region, NULL, NULL, year, EPV_GEP_CURRENT, &gep);
    if (rc) return rc;
    long r = epv__gep_region_index(ctx, acc, region, 1);
    double gdp = acc->gdp[(size_t)(year - acc->first_year) * acc->nreg + (size_t)r];
    if (isnan(gdp)) return epv__error(ctx, EPV_ENOTFOUND, "gdp: not set for region '%s' in %d", region, year);
    *ratio = gep / gdp;
    return EPV_OK;
}

EPV__DEFINE_INIT(epv_gep_change, EPV_GEP_CHANGE_VERSION, EPV_GEP_CHANGE_INIT)

EPV_API int epv_gep_account_change(epv_ctx *ctx, const epv_gep_account *acc, const char *region, int year0, int year1,
                                   epv_gep_change *out)
{
    EPV__NEED(ctx, acc, "acc");
    EPV__NEED(ctx, out, "out");
    int rc = epv__check_version(ctx, "epv_gep_change", out, EPV_GEP_CHANGE_VERSION);
    if (rc) return rc;
    epv_gep_change c = EPV_GEP_CHANGE_INIT;
    rc = epv_gep_account_total(ctx, acc, region, NULL, NULL, year0, EPV_GEP_CURRENT, &c.value0_yuan);
    if (!rc) rc = epv_gep_account_total(ctx, acc, region, NULL, NULL, year1, EPV_GEP_CURRENT, &c.value1_yuan);
    if (rc) return rc;
    long x = epv__gep_region_index(ctx, acc, region, 1);
    int y0 = year0 - acc->first_year, y1 = year1 - acc->first_year;
    for (size_t i = 0; i < acc->nind; i++) {
        if (!covers(acc, i, -1)) continue;
        const double *b0 = acc->q[(size_t)y0 * acc->nind + i], *b1 = acc->q[(size_t)y1 * acc->nind + i];
        double q0 = 0, q1 = 0;
        for (size_t r = 0; r < acc->nreg; r++) {
            if (!acc->is_leaf[r] || !epv__gep_region_within(acc, r, (size_t)x)) continue;
            for (size_t j = 0; j < acc->neco; j++) {
                if (b0) q0 += b0[r * acc->neco + j];
                if (b1) q1 += b1[r * acc->neco + j];
            }
        }
        if (q0 == 0 && q1 == 0) continue;
        double p0 = price_of(acc, i, y0, EPV_GEP_CURRENT), p1 = price_of(acc, i, y1, EPV_GEP_CURRENT);
        c.volume_yuan += p0 * (q1 - q0);
        c.price_yuan += q1 * (p1 - p0);
    }
    for (size_t k = 0; k < acc->ninflow; k++) {
        const struct gep_inflow *f = &acc->inflows[k];
        if (!covers(acc, f->ind, -1) || !inflow_hits(acc, f, (size_t)x)) continue;
        if (f->year == year1) c.inflow_yuan += f->yuan;
        if (f->year == year0) c.inflow_yuan -= f->yuan;
    }
    *out = c;
    return EPV_OK;
}
