/* SPDX-License-Identifier: GPL-3.0-or-later */
/* GEP accounts: regions × ecosystems × indicators × years, recording and valuation.
 * Quantities live only on leaf regions; every higher level is computed as a sum, so a
 * service can never be counted at two levels. Aggregation is in gep_aggregate.c. */
#include "config.h"
#include "gep_int.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

long epv__gep_region_index(epv_ctx *ctx, const epv_gep_account *acc, const char *code, int report)
{
    if (code)
        for (size_t i = 0; i < acc->nreg; i++)
            if (strcmp(acc->regions[i].code, code) == 0) return (long)i;
    if (report) epv__error(ctx, EPV_ENOTFOUND, "region: unknown code '%.60s'", code ? code : "(null)");
    return -1;
}

long epv__gep_eco_index(epv_ctx *ctx, const epv_gep_account *acc, const char *code, int report)
{
    if (code)
        for (size_t i = 0; i < acc->neco; i++)
            if (strcmp(acc->eco[i], code) == 0) return (long)i;
    if (report) epv__error(ctx, EPV_ENOTFOUND, "ecosystem: unknown code '%.60s'", code ? code : "(null)");
    return -1;
}

int epv__gep_region_within(const epv_gep_account *acc, size_t r, size_t x)
{
    for (long i = (long)r; i >= 0; i = acc->parent[i])
        if ((size_t)i == x) return 1;
    return 0;
}

EPV_API void epv_gep_account_free(epv_gep_account *acc)
{
    if (!acc) return;
    epv_ctx *ctx = acc->ctx;
    if (acc->q)
        for (size_t i = 0; i < (size_t)acc->nyears * acc->nind; i++) epv__free(ctx, acc->q[i]);
    epv__free(ctx, acc->q);
    if (acc->eco)
        for (size_t i = 0; i < acc->neco; i++) epv__free(ctx, acc->eco[i]);
    epv__free(ctx, acc->eco);
    epv__free(ctx, acc->regions);
    epv__free(ctx, acc->parent);
    epv__free(ctx, acc->is_leaf);
    epv__free(ctx, acc->eco_area);
    epv__free(ctx, acc->gdp);
    epv__free(ctx, acc->inflows);
    epv__free(ctx, acc->rep);
    epv__free(ctx, acc->rprice);
    epv__free(ctx, acc->emis);
    epv__free(ctx, acc->p_cur);
    epv__free(ctx, acc->p_const);
    epv__free(ctx, acc->money_const);
    epv__free(ctx, acc);
}

EPV_API int epv_gep_account_new(epv_ctx *ctx, epv_gep_account **out, const epv_gep_tree *tree,
                                const epv_gep_region *regions, size_t nregions, const char *const *ecosystems,
                                size_t necosystems, int first_year, int nyears)
{
    EPV__NEED(ctx, out, "out");
    EPV__NEED(ctx, tree, "tree");
    EPV__NEED(ctx, regions, "regions");
    EPV__NEED(ctx, ecosystems, "ecosystems");
    *out = NULL;
    if (nregions == 0) return epv__error(ctx, EPV_EINVAL, "regions: at least one region is needed");
    if (necosystems == 0) return epv__error(ctx, EPV_EINVAL, "ecosystems: at least one ecosystem type is needed");
    if (nyears < 1 || nyears > 200) return epv__error(ctx, EPV_ERANGE, "nyears: %d out of range 1..200", nyears);
    if (first_year < 1900 || first_year + nyears - 1 > 2200)
        return epv__error(ctx, EPV_ERANGE, "first_year: %d out of range", first_year);
    if (nregions > ((size_t)1 << 24) || necosystems > 4096)
        return epv__error(ctx, EPV_ERANGE, "account: too many regions or ecosystems");
    for (size_t i = 0; i < nregions; i++)
        if (epv__check_version(ctx, "epv_gep_region", &regions[i], EPV_GEP_REGION_VERSION)) {
            char msg[EPV_ERRMSG_MAX];
            snprintf(msg, sizeof msg, "%s", epv_ctx_errmsg(ctx));
            return epv__error(ctx, EPV_EVERSION, "regions[%zu]: %s", i, msg);
        }
    epv_gep_account *a = epv__calloc(ctx, 1, sizeof *a);
    if (!a) return EPV_ENOMEM;
    a->ctx = ctx;
    a->tree = tree;
    a->nind = tree->n;
    a->nreg = nregions;
    a->neco = necosystems;
    a->first_year = first_year;
    a->nyears = nyears;
    size_t cells = (size_t)nyears * nregions * necosystems;
    a->regions = epv__calloc(ctx, nregions, sizeof *a->regions);
    a->parent = epv__calloc(ctx, nregions, sizeof *a->parent);
    a->is_leaf = epv__calloc(ctx, nregions, 1);
    a->eco = epv__calloc(ctx, necosystems, sizeof *a->eco);
    a->q = epv__calloc(ctx, (size_t)nyears * a->nind + 1, sizeof *a->q);
    a->eco_area = epv__malloc(ctx, cells * sizeof *a->eco_area);
    a->gdp = epv__malloc(ctx, (size_t)nyears * nregions * sizeof *a->gdp);
    int rc = EPV_OK;
    if (!a->regions || !a->parent || !a->is_leaf || !a->eco || !a->q || !a->eco_area || !a->gdp) rc = EPV_ENOMEM;
    for (size_t i = 0; !rc && i < cells; i++) a->eco_area[i] = NAN;
    for (size_t i = 0; !rc && i < (size_t)nyears * nregions; i++) a->gdp[i] = NAN;
    for (size_t i = 0; !rc && i < nregions; i++) {
        const epv_gep_region *r = &regions[i];
        if (!memchr(r->code, '\0', sizeof r->code) || !memchr(r->parent, '\0', sizeof r->parent) ||
            !memchr(r->name, '\0', sizeof r->name) || !r->code[0]) {
            rc = epv__error(ctx, EPV_EINVAL, "regions[%zu]: code, name or parent empty or not terminated", i);
            break;
        }
        if (!isfinite(r->area_ha) || r->area_ha < 0) {
            rc = epv__error(ctx, EPV_ERANGE, "region '%s': area_ha %g is negative or not finite", r->code, r->area_ha);
            break;
        }
        a->regions[i] = *r;
        a->nreg = i; /* search only the regions before this one */
        if (epv__gep_region_index(NULL, a, r->code, 0) >= 0) {
            rc = epv__error(ctx, EPV_EEXISTS, "region '%s': code appears twice", r->code);
            break;
        }
        a->parent[i] = -1;
        if (r->parent[0]) {
            a->parent[i] = epv__gep_region_index(NULL, a, r->parent, 0);
            if (a->parent[i] < 0) {
                rc = epv__error(ctx, EPV_ENOTFOUND, "region '%s': parent '%s' unknown or listed after its child",
                                r->code, r->parent);
                break;
            }
        }
        a->nreg = nregions;
    }
    a->nreg = nregions;
    for (size_t i = 0; !rc && i < nregions; i++) a->is_leaf[i] = 1;
    for (size_t i = 0; !rc && i < nregions; i++)
        if (a->parent[i] >= 0) a->is_leaf[a->parent[i]] = 0;
    for (size_t e = 0; !rc && e < necosystems; e++) {
        if (!ecosystems[e] || !ecosystems[e][0] || strlen(ecosystems[e]) >= EPV_GEP_CODE_MAX) {
            rc = epv__error(ctx, EPV_EINVAL, "ecosystems[%zu]: empty or longer than %d bytes", e, EPV_GEP_CODE_MAX - 1);
            break;
        }
        a->neco = e;
        if (epv__gep_eco_index(NULL, a, ecosystems[e], 0) >= 0) {
            rc = epv__error(ctx, EPV_EEXISTS, "ecosystem '%s': code appears twice", ecosystems[e]);
            a->neco = necosystems;
            break;
        }
        a->neco = necosystems;
        a->eco[e] = epv__strdup(ctx, ecosystems[e]);
        if (!a->eco[e]) rc = EPV_ENOMEM;
    }
    if (rc) {
        epv_gep_account_free(a);
        return rc;
    }
    *out = a;
    return EPV_OK;
}

EPV_API size_t epv_gep_account_region_count(const epv_gep_account *acc) { return acc ? acc->nreg : 0; }
EPV_API size_t epv_gep_account_ecosystem_count(const epv_gep_account *acc) { return acc ? acc->neco : 0; }
EPV_API const char *epv_gep_account_ecosystem_at(const epv_gep_account *acc, size_t i)
{
    return acc && i < acc->neco ? acc->eco[i] : NULL;
}
EPV_API int epv_gep_account_first_year(const epv_gep_account *acc) { return acc ? acc->first_year : 0; }
EPV_API int epv_gep_account_year_count(const epv_gep_account *acc) { return acc ? acc->nyears : 0; }
EPV_API int epv_gep_account_price_year(const epv_gep_account *acc) { return acc && acc->valued ? acc->price_year : 0; }

EPV__DEFINE_INIT(epv_gep_region, EPV_GEP_REGION_VERSION, EPV_GEP_REGION_INIT)

EPV_API int epv_gep_account_region_at(epv_ctx *ctx, const epv_gep_account *acc, size_t i, epv_gep_region *out)
{
    EPV__NEED(ctx, acc, "acc");
    EPV__NEED(ctx, out, "out");
    int rc = epv__check_version(ctx, "epv_gep_region", out, EPV_GEP_REGION_VERSION);
    if (rc) return rc;
    if (i >= acc->nreg) return epv__error(ctx, EPV_ERANGE, "region index %zu out of range", i);
    *out = acc->regions[i];
    return EPV_OK;
}

static int year_index(epv_ctx *ctx, const epv_gep_account *acc, int year)
{
    if (year < acc->first_year || year >= acc->first_year + acc->nyears) {
        epv__error(ctx, EPV_ERANGE, "year: %d outside the account's years %d..%d", year, acc->first_year,
                   acc->first_year + acc->nyears - 1);
        return -1;
    }
    return year - acc->first_year;
}

static long leaf_indicator(epv_ctx *ctx, const epv_gep_account *acc, const char *code)
{
    long i = epv__gep_tree_index(acc->tree, code);
    if (i < 0 || (size_t)i >= acc->nind) {
        epv__error(ctx, EPV_ENOTFOUND, "indicator: unknown code '%.60s'", code ? code : "(null)");
        return -1;
    }
    if (!acc->tree->nodes[i].leaf) {
        epv__error(ctx, EPV_EINVAL, "indicator: '%s' is a group; quantities belong to its leaves", code);
        return -2;
    }
    return i;
}

static double *block(epv_ctx *ctx, epv_gep_account *acc, int y, size_t ind)
{
    double **b = &acc->q[(size_t)y * acc->nind + ind];
    if (!*b) *b = epv__calloc(ctx, acc->nreg * acc->neco, sizeof **b);
    return *b;
}

EPV_API int epv_gep_account_set_quantity(epv_ctx *ctx, epv_gep_account *acc, const char *region,
                                         const char *ecosystem, const char *indicator, int year, double value,
                                         epv_unit unit)
{
    EPV__NEED(ctx, acc, "acc");
    long r = epv__gep_region_index(ctx, acc, region, 1);
    if (r < 0) return EPV_ENOTFOUND;
    long e = epv__gep_eco_index(ctx, acc, ecosystem, 1);
    if (e < 0) return EPV_ENOTFOUND;
    long i = leaf_indicator(ctx, acc, indicator);
    if (i < 0) return i == -1 ? EPV_ENOTFOUND : EPV_EINVAL;
    int y = year_index(ctx, acc, year);
    if (y < 0) return EPV_ERANGE;
    if (!acc->is_leaf[r])
        return epv__error(ctx, EPV_EINVAL, "region '%s': has sub-regions; record quantities on its leaves", region);
    const epv_gep_indicator *ind = &acc->tree->nodes[i];
    if (!isfinite(value)) return epv__error(ctx, EPV_EINVAL, "%s: quantity is not finite", indicator);
    if (value < 0) return epv__error(ctx, EPV_ERANGE, "%s: quantity %g is negative", indicator, value);
    double v;
    if (epv_unit_dimension_of(unit) != epv_unit_dimension_of(ind->unit) || epv_unit_convert(ctx, value, unit, ind->unit, &v))
        return epv__error(ctx, EPV_EUNITS, "%s: unit '%s' does not match the indicator's unit '%s'", indicator,
                          epv_unit_symbol(unit) ? epv_unit_symbol(unit) : "?", epv_unit_symbol(ind->unit));
    double *b = block(ctx, acc, y, (size_t)i);
    if (!b) return EPV_ENOMEM;
    b[(size_t)r * acc->neco + (size_t)e] = v;
    acc->valued = 0;
    return EPV_OK;
}

EPV_API int epv_gep_account_set_quantities(epv_ctx *ctx, epv_gep_account *acc, const char *indicator, int year,
                                           const double *values)
{
    EPV__NEED(ctx, acc, "acc");
    EPV__NEED(ctx, values, "values");
    long i = leaf_indicator(ctx, acc, indicator);
    if (i < 0) return i == -1 ? EPV_ENOTFOUND : EPV_EINVAL;
    int y = year_index(ctx, acc, year);
    if (y < 0) return EPV_ERANGE;
    size_t n = acc->nreg * acc->neco;
    for (size_t k = 0; k < n; k++) {
        double v = values[k];
        size_t r = k / acc->neco;
        if (!isfinite(v) || v < 0)
            return epv__error(ctx, isfinite(v) ? EPV_ERANGE : EPV_EINVAL, "%s: values[%zu] (region '%s'): %g is %s",
                              indicator, k, acc->regions[r].code, v, isfinite(v) ? "negative" : "not finite");
        if (v != 0 && !acc->is_leaf[r])
            return epv__error(ctx, EPV_EINVAL, "%s: values[%zu]: region '%s' has sub-regions", indicator, k,
                              acc->regions[r].code);
    }
    double *b = block(ctx, acc, y, (size_t)i);
    if (!b) return EPV_ENOMEM;
    memcpy(b, values, n * sizeof *b);
    acc->valued = 0;
    return EPV_OK;
}

EPV_API int epv_gep_account_quantity(epv_ctx *ctx, const epv_gep_account *acc, const char *region,
                                     const char *ecosystem, const char *indicator, int year, double *out)
{
    EPV__NEED(ctx, acc, "acc");
    EPV__NEED(ctx, out, "out");
    long r = epv__gep_region_index(ctx, acc, region, 1);
    if (r < 0) return EPV_ENOTFOUND;
    long e = -1;
    if (ecosystem && (e = epv__gep_eco_index(ctx, acc, ecosystem, 1)) < 0) return EPV_ENOTFOUND;
    long i = leaf_indicator(ctx, acc, indicator);
    if (i < 0) return i == -1 ? EPV_ENOTFOUND : EPV_EINVAL;
    int y = year_index(ctx, acc, year);
    if (y < 0) return EPV_ERANGE;
    const double *b = acc->q[(size_t)y * acc->nind + (size_t)i];
    double s = 0;
    for (size_t k = 0; b && k < acc->nreg; k++) {
        if (!acc->is_leaf[k] || !epv__gep_region_within(acc, k, (size_t)r)) continue;
        for (size_t j = 0; j < acc->neco; j++)
            if (e < 0 || (size_t)e == j) s += b[k * acc->neco + j];
    }
    *out = s;
    return EPV_OK;
}

EPV_API int epv_gep_account_set_ecosystem_area(epv_ctx *ctx, epv_gep_account *acc, const char *region,
                                               const char *ecosystem, int year, double area_ha)
{
    EPV__NEED(ctx, acc, "acc");
    long r = epv__gep_region_index(ctx, acc, region, 1);
    if (r < 0) return EPV_ENOTFOUND;
    long e = epv__gep_eco_index(ctx, acc, ecosystem, 1);
    if (e < 0) return EPV_ENOTFOUND;
    int y = year_index(ctx, acc, year);
    if (y < 0) return EPV_ERANGE;
    if (!isfinite(area_ha) || area_ha < 0)
        return epv__error(ctx, EPV_ERANGE, "area_ha: %g is negative (region '%s', ecosystem '%s')", area_ha, region,
                          ecosystem);
    if (!acc->is_leaf[r]) return epv__error(ctx, EPV_EINVAL, "region '%s': has sub-regions", region);
    acc->eco_area[((size_t)y * acc->nreg + (size_t)r) * acc->neco + (size_t)e] = area_ha;
    return EPV_OK;
}

EPV_API int epv_gep_account_set_gdp(epv_ctx *ctx, epv_gep_account *acc, const char *region, int year, double gdp_yuan)
{
    EPV__NEED(ctx, acc, "acc");
    long r = epv__gep_region_index(ctx, acc, region, 1);
    if (r < 0) return EPV_ENOTFOUND;
    int y = year_index(ctx, acc, year);
    if (y < 0) return EPV_ERANGE;
    if (!isfinite(gdp_yuan) || gdp_yuan <= 0) return epv__error(ctx, EPV_ERANGE, "gdp_yuan: %g must be positive", gdp_yuan);
    acc->gdp[(size_t)y * acc->nreg + (size_t)r] = gdp_yuan;
    return EPV_OK;
}

EPV_API int epv_gep_account_set_emission(epv_ctx *ctx, epv_gep_account *acc, const char *region,
                                         const char *indicator, int year, double emission_t)
{
    EPV__NEED(ctx, acc, "acc");
    long r = epv__gep_region_index(ctx, acc, region, 1);
    if (r < 0) return EPV_ENOTFOUND;
    long i = leaf_indicator(ctx, acc, indicator);
    if (i < 0) return i == -1 ? EPV_ENOTFOUND : EPV_EINVAL;
    if (!acc->tree->nodes[i].capped_by_emission)
        return epv__error(ctx, EPV_EINVAL, "indicator: '%s' is not capped by emissions", indicator);
    if (year_index(ctx, acc, year) < 0) return EPV_ERANGE;
    if (!isfinite(emission_t) || emission_t < 0) return epv__error(ctx, EPV_ERANGE, "emission_t: %g is negative", emission_t);
    for (size_t k = 0; k < acc->nemis; k++)
        if (acc->emis[k].region == (size_t)r && acc->emis[k].ind == (size_t)i && acc->emis[k].year == year) {
            acc->emis[k].t = emission_t;
            return EPV_OK;
        }
    if (epv__grow(ctx, (void **)&acc->emis, &acc->capemis, acc->nemis + 1, sizeof *acc->emis)) return EPV_ENOMEM;
    acc->emis[acc->nemis++] = (struct gep_emission){ (size_t)r, (size_t)i, year, emission_t };
    return EPV_OK;
}

EPV_API int epv_gep_account_add_inflow(epv_ctx *ctx, epv_gep_account *acc, const char *region,
                                       const char *from_region, const char *indicator, int year, double value_yuan)
{
    EPV__NEED(ctx, acc, "acc");
    long r = epv__gep_region_index(ctx, acc, region, 1);
    if (r < 0) return EPV_ENOTFOUND;
    long from = -1;
    if (from_region && from_region[0] && (from = epv__gep_region_index(ctx, acc, from_region, 1)) < 0) return EPV_ENOTFOUND;
    long i = leaf_indicator(ctx, acc, indicator);
    if (i < 0) return i == -1 ? EPV_ENOTFOUND : EPV_EINVAL;
    if (year_index(ctx, acc, year) < 0) return EPV_ERANGE;
    if (!isfinite(value_yuan) || value_yuan < 0) return epv__error(ctx, EPV_ERANGE, "inflow value_yuan: %g is negative", value_yuan);
    if (from >= 0 && epv__gep_region_within(acc, (size_t)r, (size_t)from))
        return epv__error(ctx, EPV_EINVAL, "inflow: from_region '%s' contains region '%s'", from_region, region);
    if (epv__grow(ctx, (void **)&acc->inflows, &acc->capinflow, acc->ninflow + 1, sizeof *acc->inflows)) return EPV_ENOMEM;
    acc->inflows[acc->ninflow++] = (struct gep_inflow){ (size_t)r, from, (size_t)i, year, value_yuan };
    return EPV_OK;
}

EPV_API int epv_gep_account_set_reported(epv_ctx *ctx, epv_gep_account *acc, const char *region, const char *node,
                                         int year, double value_yuan)
{
    EPV__NEED(ctx, acc, "acc");
    EPV__NEED(ctx, node, "node");
    long r = epv__gep_region_index(ctx, acc, region, 1);
    if (r < 0) return EPV_ENOTFOUND;
    long i;
    if (strcmp(node, "gep") == 0) i = (long)acc->nind; /* the total */
    else if ((i = epv__gep_tree_index(acc->tree, node)) < 0 || (size_t)i >= acc->nind)
        return epv__error(ctx, EPV_ENOTFOUND, "indicator: unknown code '%.60s'", node);
    if (year_index(ctx, acc, year) < 0) return EPV_ERANGE;
    if (!isfinite(value_yuan) || value_yuan < 0) return epv__error(ctx, EPV_ERANGE, "reported value of '%s': %g is negative", node, value_yuan);
    for (size_t k = 0; k < acc->nrep; k++)
        if (acc->rep[k].region == (size_t)r && acc->rep[k].node == (size_t)i && acc->rep[k].year == year) {
            acc->rep[k].yuan = value_yuan;
            return EPV_OK;
        }
    if (epv__grow(ctx, (void **)&acc->rep, &acc->caprep, acc->nrep + 1, sizeof *acc->rep)) return EPV_ENOMEM;
    acc->rep[acc->nrep++] = (struct gep_reported){ (size_t)r, (size_t)i, year, value_yuan };
    return EPV_OK;
}

EPV_API int epv_gep_account_set_reported_price(epv_ctx *ctx, epv_gep_account *acc, const char *indicator, int year,
                                               double yuan_per_unit, int price_year)
{
    EPV__NEED(ctx, acc, "acc");
    long i = leaf_indicator(ctx, acc, indicator);
    if (i < 0) return i == -1 ? EPV_ENOTFOUND : EPV_EINVAL;
    if (year_index(ctx, acc, year) < 0) return EPV_ERANGE;
    if (!isfinite(yuan_per_unit) || yuan_per_unit < 0)
        return epv__error(ctx, EPV_ERANGE, "price of '%s': %g is negative", indicator, yuan_per_unit);
    if (price_year != 0 && (price_year < 1900 || price_year > 2200))
        return epv__error(ctx, EPV_ERANGE, "price_year: %d out of range", price_year);
    if (epv__grow(ctx, (void **)&acc->rprice, &acc->caprprice, acc->nrprice + 1, sizeof *acc->rprice)) return EPV_ENOMEM;
    acc->rprice[acc->nrprice++] = (struct gep_rprice){ (size_t)i, year, yuan_per_unit, price_year };
    return EPV_OK;
}

EPV_API int epv_gep_account_value(epv_ctx *ctx, epv_gep_account *acc, const epv_gep_prices *prices,
                                  const epv_gep_deflator *deflator, int price_year)
{
    EPV__NEED(ctx, acc, "acc");
    EPV__NEED(ctx, prices, "prices");
    {
        int prc = epv__progress(ctx, 0.0, "gep valuation");
        if (prc) return prc;
    }
    if (prices->tree != acc->tree) return epv__error(ctx, EPV_EINVAL, "prices: built on another category tree");
    if (price_year < 1900 || price_year > 2200) return epv__error(ctx, EPV_ERANGE, "price_year: %d out of range", price_year);
    size_t n = acc->nind * (size_t)acc->nyears;
    double *cur = epv__malloc(ctx, n * sizeof *cur), *con = epv__malloc(ctx, n * sizeof *con);
    int rc = (!cur || !con) ? EPV_ENOMEM : EPV_OK;
    for (size_t i = 0; !rc && i < acc->nind; i++) {
        const epv_gep_indicator *ind = &acc->tree->nodes[i];
        int used = 0;
        for (int y = 0; y < acc->nyears; y++) {
            cur[i * acc->nyears + y] = con[i * acc->nyears + y] = NAN;
            if (acc->q[(size_t)y * acc->nind + i]) used = 1;
        }
        if (!used || !ind->leaf) continue;
        epv_gep_price p = EPV_GEP_PRICE_INIT;
        int money = epv_unit_dimension_of(ind->unit) == EPV_UNIT_DIM_MONEY;
        if (money) {
            /* Quantities already in money are at current prices of their own year. */
            p.yuan_per_unit = 1.0;
        } else if (epv_gep_prices_find(ctx, prices, ind->code, &p)) {
            rc = epv__error(ctx, EPV_ENOTFOUND, "price: no price for indicator '%s', which has quantities", ind->code);
            break;
        }
        for (int y = 0; !rc && y < acc->nyears; y++) {
            int year = acc->first_year + y, base = money ? year : p.base_year;
            rc = epv_gep_deflate(ctx, deflator, p.yuan_per_unit, base, year, &cur[i * acc->nyears + y]);
            if (!rc) rc = epv_gep_deflate(ctx, deflator, p.yuan_per_unit, base, price_year, &con[i * acc->nyears + y]);
            if (rc) epv__error_prefix(ctx, "valuing '%s' in %d", ind->code, year);
        }
    }
    /* Inflows are money of their own year; valuing at constant prices needs those years too.
     * Years without inflows may lack a deflator index: their factor stays NaN, unused. */
    double *mc = rc ? NULL : epv__malloc(ctx, (size_t)acc->nyears * sizeof *mc);
    if (!rc && !mc) rc = EPV_ENOMEM;
    for (int y = 0; !rc && y < acc->nyears; y++) {
        mc[y] = NAN;
        if (epv_gep_deflate(NULL, deflator, 1.0, acc->first_year + y, price_year, &mc[y])) mc[y] = NAN;
    }
    for (size_t k = 0; !rc && k < acc->ninflow; k++) {
        double tmp;
        rc = epv_gep_deflate(ctx, deflator, 1.0, acc->inflows[k].year, price_year, &tmp);
        if (rc) epv__error_prefix(ctx, "inflow into '%s'", acc->regions[acc->inflows[k].to].code);
    }
    if (rc) {
        epv__free(ctx, cur);
        epv__free(ctx, con);
        epv__free(ctx, mc);
        return rc;
    }
    epv__free(ctx, acc->money_const);
    acc->money_const = mc;
    epv__free(ctx, acc->p_cur);
    epv__free(ctx, acc->p_const);
    acc->p_cur = cur;
    acc->p_const = con;
    acc->price_year = price_year;
    acc->valued = 1;
    return EPV_OK;
}
