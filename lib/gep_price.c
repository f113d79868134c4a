/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Dated unit prices and deflator series (CSV reader). */
#include "config.h"
#include "gep_int.h"
#include "csv_int.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define YEAR_MIN 1900
#define YEAR_MAX 2200

EPV_API int epv_gep_prices_new(epv_ctx *ctx, const epv_gep_tree *tree, epv_gep_prices **out)
{
    EPV__NEED(ctx, out, "out");
    EPV__NEED(ctx, tree, "tree");
    *out = epv__calloc(ctx, 1, sizeof **out);
    if (!*out) return EPV_ENOMEM;
    (*out)->ctx = ctx;
    (*out)->tree = tree;
    return EPV_OK;
}

EPV_API void epv_gep_prices_free(epv_gep_prices *prices)
{
    if (!prices) return;
    epv__free(prices->ctx, prices->rows);
    epv__free(prices->ctx, prices);
}

EPV__DEFINE_INIT(epv_gep_price, EPV_GEP_PRICE_VERSION, EPV_GEP_PRICE_INIT)

EPV_API int epv_gep_prices_set(epv_ctx *ctx, epv_gep_prices *prices, const epv_gep_price *price)
{
    EPV__NEED(ctx, prices, "prices");
    EPV__NEED(ctx, price, "price");
    int vrc = epv__check_version(ctx, "epv_gep_price", price, EPV_GEP_PRICE_VERSION);
    if (vrc) return vrc;
    if (!memchr(price->indicator, '\0', sizeof price->indicator))
        return epv__error(ctx, EPV_EINVAL, "price: indicator code is not terminated");
    long i = epv__gep_tree_index(prices->tree, price->indicator);
    if (i < 0) return epv__error(ctx, EPV_ENOTFOUND, "price: indicator: unknown code '%.60s'", price->indicator);
    const epv_gep_indicator *ind = &prices->tree->nodes[i];
    if (!ind->leaf)
        return epv__error(ctx, EPV_EINVAL, "price: indicator: '%s' is a group; prices belong to leaves", ind->code);
    if (!isfinite(price->yuan_per_unit))
        return epv__error(ctx, EPV_EINVAL, "price '%s': yuan_per_unit is not finite", ind->code);
    if (price->yuan_per_unit < 0)
        return epv__error(ctx, EPV_ERANGE, "price '%s': yuan_per_unit %g is negative", ind->code, price->yuan_per_unit);
    if (price->base_year == 0)
        return epv__error(ctx, EPV_EINVAL, "price '%s': base_year is missing (every price must be dated)", ind->code);
    if (price->base_year < YEAR_MIN || price->base_year > YEAR_MAX)
        return epv__error(ctx, EPV_ERANGE, "price '%s': base_year %d out of range", ind->code, price->base_year);
    epv_unit_dimension want = epv_unit_dimension_of(ind->unit), got = epv_unit_dimension_of(price->unit);
    if (want != got)
        return epv__error(ctx, EPV_EUNITS, "price '%s': unit '%s' does not match the indicator's unit '%s'", ind->code,
                          epv_unit_symbol(price->unit) ? epv_unit_symbol(price->unit) : "?", epv_unit_symbol(ind->unit));
    /* Store per indicator unit: yuan per `unit` × (units per indicator unit). */
    double per;
    if (epv_unit_convert(ctx, 1.0, ind->unit, price->unit, &per)) return EPV_EUNITS;
    epv_gep_price row = *price;
    row.yuan_per_unit = price->yuan_per_unit * per;
    row.unit = ind->unit;
    row.version = EPV_GEP_PRICE_VERSION;
    row.source[sizeof row.source - 1] = '\0';
    for (size_t k = 0; k < prices->n; k++)
        if (strcmp(prices->rows[k].indicator, row.indicator) == 0) {
            prices->rows[k] = row;
            return EPV_OK;
        }
    if (epv__grow(ctx, (void **)&prices->rows, &prices->cap, prices->n + 1, sizeof *prices->rows)) return EPV_ENOMEM;
    prices->rows[prices->n++] = row;
    return EPV_OK;
}

EPV_API int epv_gep_prices_set_soil(epv_ctx *ctx, epv_gep_prices *prices, const epv_gep_soil_value_params *params,
                                    int base_year, const char *source)
{
    EPV__NEED(ctx, prices, "prices");
    epv_gep_soil_value v = EPV_GEP_SOIL_VALUE_INIT;
    int rc = epv_gep_soil_unit_value(ctx, params, &v);
    if (rc) return rc;
    epv_gep_price p = EPV_GEP_PRICE_INIT;
    strcpy(p.indicator, "soil_retention");
    p.yuan_per_unit = v.total_yuan_t;
    p.unit = EPV_UNIT_T;
    p.base_year = base_year;
    p.method = EPV_GEP_REPLACEMENT_COST;
    if (source) snprintf(p.source, sizeof p.source, "%s", source);
    if ((rc = epv_gep_prices_set(ctx, prices, &p))) return rc;
    prices->soil = v;
    prices->has_soil = 1;
    return EPV_OK;
}

EPV_API int epv_gep_prices_find(epv_ctx *ctx, const epv_gep_prices *prices, const char *indicator, epv_gep_price *out)
{
    EPV__NEED(ctx, prices, "prices");
    EPV__NEED(ctx, indicator, "indicator");
    if (out) {
        int rc = epv__check_version(ctx, "epv_gep_price", out, EPV_GEP_PRICE_VERSION);
        if (rc) return rc;
    }
    for (size_t k = 0; k < prices->n; k++)
        if (strcmp(prices->rows[k].indicator, indicator) == 0) {
            if (out) *out = prices->rows[k];
            return EPV_OK;
        }
    return epv__error(ctx, EPV_ENOTFOUND, "price: no price for indicator '%.60s'", indicator);
}

EPV_API size_t epv_gep_prices_count(const epv_gep_prices *prices) { return prices ? prices->n : 0; }

/* ---- deflator ------------------------------------------------------------------------- */

EPV_API int epv_gep_deflator_new(epv_ctx *ctx, epv_gep_deflator **out)
{
    EPV__NEED(ctx, out, "out");
    *out = epv__calloc(ctx, 1, sizeof **out);
    if (!*out) return EPV_ENOMEM;
    (*out)->ctx = ctx;
    return EPV_OK;
}

EPV_API void epv_gep_deflator_free(epv_gep_deflator *d)
{
    if (!d) return;
    epv__free(d->ctx, d->years);
    epv__free(d->ctx, d->index);
    epv__free(d->ctx, d);
}

static long defl_find(const epv_gep_deflator *d, int year)
{
    for (size_t i = 0; i < d->n; i++)
        if (d->years[i] == year) return (long)i;
    return -1;
}

EPV_API int epv_gep_deflator_set(epv_ctx *ctx, epv_gep_deflator *d, int year, double index)
{
    EPV__NEED(ctx, d, "d");
    if (year < YEAR_MIN || year > YEAR_MAX) return epv__error(ctx, EPV_ERANGE, "deflator: year %d out of range", year);
    if (!isfinite(index) || index <= 0)
        return epv__error(ctx, EPV_ERANGE, "deflator: index %g for year %d must be positive", index, year);
    long i = defl_find(d, year);
    if (i >= 0) {
        d->index[i] = index;
        return EPV_OK;
    }
    size_t cap = d->cap;
    if (epv__grow(ctx, (void **)&d->years, &cap, d->n + 1, sizeof *d->years)) return EPV_ENOMEM;
    cap = d->cap;
    if (epv__grow(ctx, (void **)&d->index, &cap, d->n + 1, sizeof *d->index)) return EPV_ENOMEM;
    d->cap = cap;
    d->years[d->n] = year;
    d->index[d->n++] = index;
    return EPV_OK;
}

EPV_API int epv_gep_deflator_get(epv_ctx *ctx, const epv_gep_deflator *d, int year, double *index)
{
    EPV__NEED(ctx, d, "d");
    EPV__NEED(ctx, index, "index");
    long i = defl_find(d, year);
    if (i < 0) return epv__error(ctx, EPV_ENOTFOUND, "deflator: no index for year %d", year);
    *index = d->index[i];
    return EPV_OK;
}

EPV_API int epv_gep_deflate(epv_ctx *ctx, const epv_gep_deflator *d, double yuan, int from_year, int to_year,
                            double *out_yuan)
{
    EPV__NEED(ctx, out_yuan, "out_yuan");
    if (from_year == to_year) {
        *out_yuan = yuan;
        return EPV_OK;
    }
    if (!d) return epv__error(ctx, EPV_ENOTFOUND, "deflator: none given, but prices of %d must become prices of %d",
                              from_year, to_year);
    double a, b;
    int rc = epv_gep_deflator_get(ctx, d, from_year, &a);
    if (!rc) rc = epv_gep_deflator_get(ctx, d, to_year, &b);
    if (rc) return rc;
    *out_yuan = yuan * b / a;
    return EPV_OK;
}

/* CSV through the library's strict reader (lib/csv_int.h): header "year,index" (exactly these
 * two columns), integer years, positive indices; blank lines skipped, '#' comments before the
 * header. Errors name the file, line and column. */
static int deflator_from_csv(epv_ctx *ctx, epv__csv *c, epv_gep_deflator **out)
{
    size_t cy, ci;
    int rc;
    if ((rc = epv__csv_col(ctx, c, "year", 1, &cy)) || (rc = epv__csv_col(ctx, c, "index", 1, &ci))) {
        char msg[EPV_ERRMSG_MAX];
        snprintf(msg, sizeof msg, "%s", epv_ctx_errmsg(ctx));
        return epv__error(ctx, EPV_EPARSE, "%s (header 'year,index' expected)", msg);
    }
    if (epv__csv_ncols(c) != 2)
        return epv__error(ctx, EPV_EPARSE, "%s:1: header must be 'year,index' (%zu columns)", epv__csv_name(c),
                          epv__csv_ncols(c));
    epv_gep_deflator *d;
    if ((rc = epv_gep_deflator_new(ctx, &d))) return rc;
    while ((rc = epv__csv_next(ctx, c)) == EPV_OK) {
        int64_t y;
        double v;
        if ((rc = epv__csv_i64(ctx, c, cy, YEAR_MIN, YEAR_MAX, &y)) || (rc = epv__csv_double(ctx, c, ci, 0, 1e300, &v))) break;
        if (v <= 0) {
            rc = epv__csv_error(ctx, c, ci, EPV_EPARSE, "%g is not a positive number", v);
            break;
        }
        if (defl_find(d, (int)y) >= 0) {
            rc = epv__csv_error(ctx, c, cy, EPV_EEXISTS, "%d appears twice", (int)y);
            break;
        }
        if ((rc = epv_gep_deflator_set(ctx, d, (int)y, v))) break;
    }
    if (rc == EPV_ITEROVER) rc = EPV_OK;
    if (rc) {
        epv_gep_deflator_free(d);
        return rc;
    }
    *out = d;
    return EPV_OK;
}

EPV_API int epv_gep_deflator_load_csv_memory(epv_ctx *ctx, const char *buf, size_t len, const char *name,
                                             epv_gep_deflator **out)
{
    EPV__NEED(ctx, out, "out");
    *out = NULL;
    if (!buf && len) return epv__error(ctx, EPV_EINVAL, "%s: buf is NULL", __func__);
    epv__csv *c = NULL;
    int rc = epv__csv_open_memory(ctx, buf ? buf : "", len, name ? name : "(buffer)", NULL, &c);
    if (!rc) rc = deflator_from_csv(ctx, c, out);
    epv__csv_free(c);
    return rc;
}

EPV_API int epv_gep_deflator_load_csv(epv_ctx *ctx, const char *path, epv_gep_deflator **out)
{
    EPV__NEED(ctx, out, "out");
    EPV__NEED(ctx, path, "path");
    *out = NULL;
    epv__csv *c = NULL;
    int rc = epv__csv_open_file(ctx, path, NULL, &c);
    if (!rc) rc = deflator_from_csv(ctx, c, out);
    epv__csv_free(c);
    return rc;
}
