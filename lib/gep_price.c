/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Dated unit prices and deflator series (CSV reader). */
#include "config.h"
#include "gep_int.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define YEAR_MIN 1900
#define YEAR_MAX 2200

EPV_API int epv_gep_prices_new(epv_ctx *ctx, const epv_gep_tree *tree, epv_gep_prices **out)
{
    if (!out || !tree) return epv__error(ctx, EPV_EINVAL, "gep prices: NULL argument");
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
    epv_dimension want = epv_unit_dimension(ind->unit), got = epv_unit_dimension(price->unit);
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
    if (!out) return epv__error(ctx, EPV_EINVAL, "deflator: NULL argument");
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
    if (!d) return epv__error(ctx, EPV_EINVAL, "deflator: NULL argument");
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
    if (!d || !index) return epv__error(ctx, EPV_EINVAL, "deflator: NULL argument");
    long i = defl_find(d, year);
    if (i < 0) return epv__error(ctx, EPV_ENOTFOUND, "deflator: no index for year %d", year);
    *index = d->index[i];
    return EPV_OK;
}

EPV_API int epv_gep_deflate(epv_ctx *ctx, const epv_gep_deflator *d, double yuan, int from_year, int to_year,
                            double *out_yuan)
{
    if (!out_yuan) return epv__error(ctx, EPV_EINVAL, "deflate: NULL output");
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

/* CSV: "year,index" header, rows of integer year and positive number; blank lines and lines
 * starting with '#' are skipped. Strict: every field whole, no stray columns. */
EPV_API int epv_gep_deflator_load_csv_memory(epv_ctx *ctx, const char *buf, size_t len, const char *name,
                                             epv_gep_deflator **out)
{
    if (!out || (!buf && len)) return epv__error(ctx, EPV_EINVAL, "deflator: NULL argument");
    *out = NULL;
    if (!name) name = "(buffer)";
    if (memchr(buf, '\0', len)) return epv__error(ctx, EPV_EPARSE, "%s: contains NUL bytes", name);
    epv_gep_deflator *d;
    int rc = epv_gep_deflator_new(ctx, &d);
    if (rc) return rc;
    size_t pos = 0, line = 0;
    int header = 0;
    char tmp[128];
    while (pos < len && rc == 0) {
        size_t end = pos;
        while (end < len && buf[end] != '\n') end++;
        line++;
        size_t l = end - pos;
        if (l && buf[pos + l - 1] == '\r') l--;
        const char *s = buf + pos;
        pos = end + 1;
        if (l == 0 || s[0] == '#') continue;
        if (l >= sizeof tmp) {
            rc = epv__error(ctx, EPV_EPARSE, "%s:%zu: line too long", name, line);
            break;
        }
        memcpy(tmp, s, l);
        tmp[l] = '\0';
        if (!header) {
            if (strcmp(tmp, "year,index") != 0)
                rc = epv__error(ctx, EPV_EPARSE, "%s:%zu: header must be 'year,index'", name, line);
            header = 1;
            continue;
        }
        char *comma = strchr(tmp, ',');
        if (!comma || strchr(comma + 1, ',')) {
            rc = epv__error(ctx, EPV_EPARSE, "%s:%zu: expected 2 columns 'year,index'", name, line);
            break;
        }
        *comma = '\0';
        int64_t y;
        double v;
        if (epv__parse_i64(tmp, &y) || y < YEAR_MIN || y > YEAR_MAX) {
            rc = epv__error(ctx, EPV_EPARSE, "%s:%zu: column 'year': '%.20s' is not a year", name, line, tmp);
            break;
        }
        if (epv__parse_double(comma + 1, &v) || v <= 0) {
            rc = epv__error(ctx, EPV_EPARSE, "%s:%zu: column 'index': '%.20s' is not a positive number", name, line,
                            comma + 1);
            break;
        }
        if (defl_find(d, (int)y) >= 0) {
            rc = epv__error(ctx, EPV_EEXISTS, "%s:%zu: column 'year': %d appears twice", name, line, (int)y);
            break;
        }
        rc = epv_gep_deflator_set(ctx, d, (int)y, v);
    }
    if (!rc && !header) rc = epv__error(ctx, EPV_EPARSE, "%s: empty file (header 'year,index' expected)", name);
    if (rc) {
        epv_gep_deflator_free(d);
        return rc;
    }
    *out = d;
    return EPV_OK;
}

EPV_API int epv_gep_deflator_load_csv(epv_ctx *ctx, const char *path, epv_gep_deflator **out)
{
    if (!out || !path) return epv__error(ctx, EPV_EINVAL, "deflator: NULL argument");
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (!f) return epv__error(ctx, EPV_EIO, "%s: cannot open: %s", path, strerror(errno));
    size_t cap = 4096, n = 0;
    char *buf = epv__malloc(ctx, cap);
    int rc = buf ? 0 : EPV_ENOMEM;
    while (!rc) {
        if (n == cap) {
            if (cap >= (1u << 24)) {
                rc = epv__error(ctx, EPV_EPARSE, "%s: file too large", path);
                break;
            }
            char *nb = epv__realloc(ctx, buf, cap * 2);
            if (!nb) {
                rc = EPV_ENOMEM;
                break;
            }
            buf = nb;
            cap *= 2;
        }
        size_t got = fread(buf + n, 1, cap - n, f);
        if (got == 0) break;
        n += got;
    }
    if (!rc && ferror(f)) rc = epv__error(ctx, EPV_EIO, "%s: read error", path);
    fclose(f);
    if (!rc) rc = epv_gep_deflator_load_csv_memory(ctx, buf, n, path, out);
    epv__free(ctx, buf);
    return rc;
}
