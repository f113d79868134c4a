/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Carbon value over time after the valuation of InVEST's Carbon Storage and Sequestration
 * model (InVEST User's Guide, "Carbon", equation carbon_value): a price per t C, a yearly
 * discount rate r and a yearly rate of change c of the price, both applied as discount
 * factors (1 + r/100)^t (1 + c/100)^t. Used for GEP's carbon indicator over the years of an
 * account (epv_gep_account_carbon_value). */
#include "config.h"
#include "gep_int.h"

#include <math.h>
#include <stdint.h>

EPV__DEFINE_INIT(epv_gep_carbon_valuation, EPV_GEP_CARBON_VALUATION_VERSION, EPV_GEP_CARBON_VALUATION_INIT)

static int check_valuation(epv_ctx *ctx, const epv_gep_carbon_valuation *v)
{
    EPV__NEED(ctx, v, "v");
    int rc = epv__check_version(ctx, "epv_gep_carbon_valuation", v, EPV_GEP_CARBON_VALUATION_VERSION);
    if (rc) return rc;
    if (!isfinite(v->price_per_t_c)) return epv__error(ctx, EPV_ERANGE, "price_per_t_c: not finite");
    if (!isfinite(v->discount_rate_pct) || v->discount_rate_pct <= -100)
        return epv__error(ctx, EPV_ERANGE, "discount_rate_pct: %g must be finite and above -100", v->discount_rate_pct);
    if (!isfinite(v->price_change_pct) || v->price_change_pct <= -100)
        return epv__error(ctx, EPV_ERANGE, "price_change_pct: %g must be finite and above -100", v->price_change_pct);
    return EPV_OK;
}

/* Discount factor of year t: 1 / ((1 + r/100)^t (1 + c/100)^t), as a running product. */
static double step(const epv_gep_carbon_valuation *v)
{
    return 1.0 / ((1.0 + v->discount_rate_pct / 100.0) * (1.0 + v->price_change_pct / 100.0));
}

EPV_API int epv_gep_carbon_value_change(epv_ctx *ctx, const epv_gep_carbon_valuation *v, size_t n,
                                        const double *delta_t_c, int year0, int year1, double *out)
{
    int rc = check_valuation(ctx, v);
    if (rc) return rc;
    if (n) {
        EPV__NEED(ctx, delta_t_c, "delta_t_c");
        EPV__NEED(ctx, out, "out");
    }
    if (year1 <= year0) return epv__error(ctx, EPV_ERANGE, "year1: %d is not after year0 %d", year1, year0);
    if (year1 - year0 > 10000) return epv__error(ctx, EPV_ERANGE, "year1: %d years after year0 is too long", year1 - year0);
    if (n && (uintptr_t)out < (uintptr_t)(delta_t_c + n) && (uintptr_t)delta_t_c < (uintptr_t)(out + n))
        return epv__error(ctx, EPV_EINVAL, "epv_gep_carbon_value_change: out overlaps delta_t_c");
    for (size_t i = 0; i < n; i++)
        if (isinf(delta_t_c[i])) return epv__error(ctx, EPV_ERANGE, "delta_t_c[%zu]: not finite", i);
    /* the constant V/(q − p) Σ_t d^t is the same for every cell */
    int years = year1 - year0;
    double d = step(v), f = 1.0, sum = 0;
    for (int t = 0; t < years; t++, f *= d) sum += f;
    double k = v->price_per_t_c / years * sum;
    if (!isfinite(k)) return epv__error(ctx, EPV_ERANGE, "discount_rate_pct, price_change_pct: the discount sum overflows");
    for (size_t i = 0; i < n; i++) out[i] = delta_t_c[i] * k;
    return EPV_OK;
}

EPV_API int epv_gep_carbon_value_stream(epv_ctx *ctx, const epv_gep_carbon_valuation *v, size_t nyears,
                                        const double *t_c_per_year, double *value)
{
    int rc = check_valuation(ctx, v);
    if (rc) return rc;
    EPV__NEED(ctx, value, "value");
    if (nyears) EPV__NEED(ctx, t_c_per_year, "t_c_per_year");
    double d = step(v), f = 1.0, sum = 0;
    for (size_t t = 0; t < nyears; t++, f *= d) {
        if (!isfinite(t_c_per_year[t])) return epv__error(ctx, EPV_ERANGE, "t_c_per_year[%zu]: not finite", t);
        sum += t_c_per_year[t] * f;
    }
    double r = v->price_per_t_c * sum;
    if (!isfinite(r)) return epv__error(ctx, EPV_ERANGE, "discount_rate_pct, price_change_pct: the value overflows");
    *value = r;
    return EPV_OK;
}

EPV_API int epv_gep_account_carbon_value(epv_ctx *ctx, const epv_gep_account *acc, const char *region,
                                         const epv_gep_carbon_valuation *v, double *value)
{
    EPV__NEED(ctx, acc, "acc");
    EPV__NEED(ctx, region, "region");
    EPV__NEED(ctx, value, "value");
    int rc = check_valuation(ctx, v);
    if (rc) return rc;
    double *s = epv__calloc(ctx, (size_t)acc->nyears, sizeof *s);
    if (!s) return EPV_ENOMEM;
    for (int y = 0; y < acc->nyears && !rc; y++) {
        double co2 = 0;
        rc = epv_gep_account_quantity(ctx, acc, region, NULL, "carbon_fixation", acc->first_year + y, &co2);
        s[y] = co2 * 12.0 / 44.0; /* t CO2 → t C */
    }
    if (!rc) rc = epv_gep_carbon_value_stream(ctx, v, (size_t)acc->nyears, s, value);
    epv__free(ctx, s);
    return rc;
}
