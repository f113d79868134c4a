/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A project's credit value over time: yearly amounts of a sink result (net removals, or
 * credited amounts after a deduction) valued as a stream at a price with a yearly price
 * change and a discount rate. The valuation itself is the GEP module's implementation of
 * InVEST's carbon valuation (epv_gep_carbon_value_stream, InVEST User's Guide, "Carbon",
 * eq. carbon_value), which works in t C at a price per t C: amounts are converted by 12/44
 * and the price by 44/12, so the value is P × Σ x_t (1 − d/100) / ((1 + r/100)^t (1 + c/100)^t)
 * with x_t in t CO2e and P per t CO2e. Uses only public functions of the sink and GEP modules. */
#include "config.h"
#include "common_int.h"
#include "epv/gep.h"
#include "epv/sink.h"

#include <math.h>

EPV__DEFINE_INIT(epv_sink_value_options, EPV_SINK_VALUE_OPTIONS_VERSION, EPV_SINK_VALUE_OPTIONS_INIT)

static int check_options(epv_ctx *ctx, const epv_sink_value_options *o)
{
    EPV__NEED(ctx, o, "options");
    int rc = epv__check_version(ctx, "epv_sink_value_options", o, EPV_SINK_VALUE_OPTIONS_VERSION);
    if (rc) return rc;
    if (!isfinite(o->price_per_tco2e)) return epv__error(ctx, EPV_ERANGE, "price_per_tco2e: %g is not finite", o->price_per_tco2e);
    if (!(o->deduction_pct >= 0 && o->deduction_pct <= 100))
        return epv__error(ctx, EPV_ERANGE, "deduction_pct: %g is outside 0..100", o->deduction_pct);
    /* r and c are checked by the GEP valuation, with the same names */
    return EPV_OK;
}

int epv_sink_value_stream(epv_ctx *ctx, const epv_sink_value_options *options, size_t n,
                          const double *x, double *value, double *credited_tco2e)
{
    int rc = check_options(ctx, options);
    if (rc) return rc;
    EPV__NEED(ctx, value, "value");
    if (n) EPV__NEED(ctx, x, "x");
    double keep = 1.0 - options->deduction_pct / 100.0, total = 0;
    double *tc = n ? epv__malloc(ctx, n * sizeof *tc) : NULL;
    if (n && !tc) return EPV_ENOMEM;
    for (size_t t = 0; t < n; t++) {
        if (!isfinite(x[t])) {
            epv__free(ctx, tc);
            return epv__error(ctx, EPV_ERANGE, "x[%zu]: %g t CO2e is not finite", t, x[t]);
        }
        total += x[t] * keep;
        tc[t] = x[t] * keep * (12.0 / 44.0); /* t CO2e -> t C */
    }
    epv_gep_carbon_valuation v = EPV_GEP_CARBON_VALUATION_INIT;
    v.price_per_t_c = options->price_per_tco2e * (44.0 / 12.0); /* per t CO2e -> per t C */
    v.discount_rate_pct = options->discount_rate_pct;
    v.price_change_pct = options->price_change_pct;
    double pv = 0;
    rc = epv_gep_carbon_value_stream(ctx, &v, n, tc, &pv);
    epv__free(ctx, tc);
    if (rc) return rc;
    *value = pv;
    if (credited_tco2e) *credited_tco2e = total;
    return EPV_OK;
}

int epv_sink_result_value(epv_ctx *ctx, const epv_sink_result *result, const epv_sink_value_options *options,
                          double *value, double *credited_tco2e)
{
    EPV__NEED(ctx, result, "result");
    EPV__NEED(ctx, value, "value");
    int rc = check_options(ctx, options);
    if (rc) return rc;
    if (options->col == EPV_SINK_COL_STOCK || options->col == EPV_SINK_COL_CUMULATIVE_NET)
        return epv__error(ctx, EPV_EINVAL, "col: column %d is not a yearly flow (a stock or a cumulative sum)",
                          (int)options->col);
    const double *col = NULL;
    const epv_i64 *years = NULL;
    size_t n = 0, ny = 0;
    if ((rc = epv_sink_result_column(ctx, result, options->col, &col, &n))) return rc;
    if ((rc = epv_sink_result_years_i64(ctx, result, &years, &ny))) return rc;
    if (n == 0 || ny != n) return epv__error(ctx, EPV_ESTATE, "result: no years to value");
    int y0 = (int)years[0], y1 = (int)years[n - 1];
    int first = options->first_year ? options->first_year : y0;
    int last = options->last_year ? options->last_year : y1;
    if (first < y0 || first > y1)
        return epv__error(ctx, EPV_ERANGE, "first_year: %d is outside the result's years %d-%d", first, y0, y1);
    if (last < y0 || last > y1)
        return epv__error(ctx, EPV_ERANGE, "last_year: %d is outside the result's years %d-%d", last, y0, y1);
    if (last < first) return epv__error(ctx, EPV_ERANGE, "last_year: %d is before first_year %d", last, first);
    return epv_sink_value_stream(ctx, options, (size_t)(last - first + 1), col + (first - y0), value,
                                 credited_tco2e);
}
