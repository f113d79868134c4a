/* SPDX-License-Identifier: GPL-3.0-or-later */
/* IPCC 2006 Guidelines Vol. 4 ch. 2 methods for a stratum: Tier 1 gain, gain-loss,
 * stock difference, and the Tier 1 linear transition of dead organic matter and soil. */
#include "config.h"
#include "forest_int.h"

#include <math.h>

/* A non-negative finite input; NaN is reported as such (ERANGE, naming the field). */
static int nonneg(epv_ctx *ctx, double v, const char *field)
{
    if (isnan(v)) return epv__error(ctx, EPV_ERANGE, "%s: value is not a number", field);
    return epv__check_nonneg(ctx, v, field);
}

EPV_API int epv_forest_tier1_gain(epv_ctx *ctx, const epv_params_ipcc_growth *growth, double area_ha,
                                  double carbon_fraction, double *gain_tc_yr)
{
    int rc;
    if (!growth || !gain_tc_yr) return epv__error(ctx, EPV_EINVAL, "tier1_gain: NULL argument");
    { int rcv = epv__check_version(ctx, "epv_params_ipcc_growth", growth, EPV_PARAMS_IPCC_GROWTH_VERSION); if (rcv) return rcv; }
    if ((rc = nonneg(ctx, area_ha, "area_ha")) ||
        (rc = nonneg(ctx, growth->growth_t_dm_ha_yr, "growth_t_dm_ha_yr")))
        return rc;
    if (isnan(growth->root_shoot))
        return epv__error(ctx, EPV_EINVAL, "ipcc growth '%.*s/%.*s/%.*s': root_shoot: missing (NaN)",
                          EPV_PARAMS_NAME_MAX, growth->zone, EPV_PARAMS_NAME_MAX, growth->region,
                          EPV_PARAMS_NAME_MAX, growth->forest_type);
    if (isnan(carbon_fraction)) return epv__error(ctx, EPV_ERANGE, "carbon_fraction: value is not a number");
    if ((rc = epv__forest_check_rs(ctx, growth->root_shoot, "root_shoot")) ||
        (rc = epv__forest_check_cf(ctx, carbon_fraction, "carbon_fraction")))
        return rc;
    /* Eq. 2.10: G_TOTAL = G_W · (1 + R); eq. 2.9: ΔC_G = A · G_TOTAL · CF. */
    *gain_tc_yr = area_ha * growth->growth_t_dm_ha_yr * (1 + growth->root_shoot) * carbon_fraction;
    return EPV_OK;
}

EPV_API int epv_forest_gain_loss(epv_ctx *ctx, const epv_forest_gain_loss_input *in, epv_forest_gain_loss_result *out)
{
    int rc;
    if (!in || !out) return epv__error(ctx, EPV_EINVAL, "gain_loss: NULL argument");
    { int rcv = epv__check_version(ctx, "epv_forest_gain_loss_input", in, EPV_FOREST_GAIN_LOSS_INPUT_VERSION); if (rcv) return rcv; }
    { int rcv = epv__check_version(ctx, "epv_forest_gain_loss_result", out, EPV_FOREST_GAIN_LOSS_RESULT_VERSION); if (rcv) return rcv; }
    if ((rc = nonneg(ctx, in->area_ha, "area_ha")) ||
        (rc = nonneg(ctx, in->growth_t_dm_ha_yr, "growth_t_dm_ha_yr")) ||
        (rc = nonneg(ctx, in->increment_m3_ha_yr, "increment_m3_ha_yr")) ||
        (rc = nonneg(ctx, in->bcef_i, "bcef_i")) ||
        (rc = nonneg(ctx, in->wood_removals_m3_yr, "wood_removals_m3_yr")) ||
        (rc = nonneg(ctx, in->bcef_r, "bcef_r")) ||
        (rc = nonneg(ctx, in->fuelwood_trees_m3_yr, "fuelwood_trees_m3_yr")) ||
        (rc = nonneg(ctx, in->fuelwood_part_t_dm_yr, "fuelwood_part_t_dm_yr")) ||
        (rc = nonneg(ctx, in->disturbance_area_ha, "disturbance_area_ha")) ||
        (rc = nonneg(ctx, in->disturbance_biomass_t_ha, "disturbance_biomass_t_ha")) ||
        (rc = nonneg(ctx, in->disturbance_fraction, "disturbance_fraction")))
        return rc;
    if (isnan(in->root_shoot)) return epv__error(ctx, EPV_ERANGE, "root_shoot: value is not a number");
    if (isnan(in->carbon_fraction)) return epv__error(ctx, EPV_ERANGE, "carbon_fraction: value is not a number");
    if ((rc = epv__forest_check_rs(ctx, in->root_shoot, "root_shoot")) ||
        (rc = epv__forest_check_cf(ctx, in->carbon_fraction, "carbon_fraction")))
        return rc;
    if (in->disturbance_fraction > 1)
        return epv__error(ctx, EPV_ERANGE, "disturbance_fraction: %g is more than 1", in->disturbance_fraction);
    /* Eq. 2.10 offers G_W (Tier 1) or I_V · BCEF_I (Tier 2), not their sum. */
    if (in->growth_t_dm_ha_yr > 0 && in->increment_m3_ha_yr > 0)
        return epv__error(ctx, EPV_EINVAL,
                          "growth_t_dm_ha_yr and increment_m3_ha_yr: give one of them (eq. 2.10 alternatives), not both");
    if (in->increment_m3_ha_yr > 0 && in->bcef_i <= 0)
        return epv__error(ctx, EPV_EINVAL, "bcef_i: must be > 0 when increment_m3_ha_yr is given");
    if ((in->wood_removals_m3_yr > 0 || in->fuelwood_trees_m3_yr > 0) && in->bcef_r <= 0)
        return epv__error(ctx, EPV_EINVAL,
                          "bcef_r: must be > 0 when wood_removals_m3_yr or fuelwood_trees_m3_yr is given");

    double r1 = 1 + in->root_shoot, cf = in->carbon_fraction;
    double g_total = in->growth_t_dm_ha_yr > 0 ? in->growth_t_dm_ha_yr * r1
                                               : in->increment_m3_ha_yr * in->bcef_i * r1; /* eq. 2.10 */
    epv_forest_gain_loss_result r = EPV_FOREST_GAIN_LOSS_RESULT_INIT;
    r.gain_tc_yr = in->area_ha * g_total * cf;                                               /* eq. 2.9 */
    r.loss_wood_tc_yr = in->wood_removals_m3_yr * in->bcef_r * r1 * cf;                      /* eq. 2.12 */
    r.loss_fuelwood_tc_yr = (in->fuelwood_trees_m3_yr * in->bcef_r * r1 + in->fuelwood_part_t_dm_yr) * cf; /* eq. 2.13 */
    r.loss_disturbance_tc_yr =
        in->disturbance_area_ha * in->disturbance_biomass_t_ha * r1 * cf * in->disturbance_fraction; /* eq. 2.14 */
    /* Eq. 2.11 (losses) and 2.7 (net). */
    r.net_tc_yr = r.gain_tc_yr - (r.loss_wood_tc_yr + r.loss_fuelwood_tc_yr + r.loss_disturbance_tc_yr);
    if (!isfinite(r.net_tc_yr))
        return epv__error(ctx, EPV_ERANGE, "gain_loss: inputs too large, the result overflows");
    *out = r;
    return EPV_OK;
}

EPV_API int epv_forest_stock_difference(epv_ctx *ctx, double carbon_t1_tc, double carbon_t2_tc,
                                        double t1, double t2, double *delta_tc_yr)
{
    int rc;
    if (!delta_tc_yr) return epv__error(ctx, EPV_EINVAL, "stock_difference: NULL output");
    if ((rc = nonneg(ctx, carbon_t1_tc, "carbon_t1_tc")) || (rc = nonneg(ctx, carbon_t2_tc, "carbon_t2_tc")))
        return rc;
    if (!isfinite(t1)) return epv__error(ctx, EPV_ERANGE, "t1: value is not a finite number");
    if (!isfinite(t2)) return epv__error(ctx, EPV_ERANGE, "t2: value is not a finite number");
    if (!(t2 > t1)) return epv__error(ctx, EPV_ERANGE, "t2: %g must be later than t1 %g", t2, t1);
    *delta_tc_yr = (carbon_t2_tc - carbon_t1_tc) / (t2 - t1); /* eq. 2.8 */
    return EPV_OK;
}

EPV_API int epv_forest_transition(epv_ctx *ctx, double initial_tc_ha, double final_tc_ha,
                                  double years_since_conversion, double transition_years,
                                  double *stock_tc_ha, double *annual_change_tc_ha)
{
    int rc;
    if (!stock_tc_ha && !annual_change_tc_ha)
        return epv__error(ctx, EPV_EINVAL, "transition: both outputs are NULL");
    if ((rc = nonneg(ctx, initial_tc_ha, "initial_tc_ha")) || (rc = nonneg(ctx, final_tc_ha, "final_tc_ha")) ||
        (rc = nonneg(ctx, years_since_conversion, "years_since_conversion")))
        return rc;
    if (isnan(transition_years)) return epv__error(ctx, EPV_ERANGE, "transition_years: value is not a number");
    if ((rc = epv__check_positive(ctx, transition_years, "transition_years"))) return rc;
    /* Eq. 2.23 / 2.25: a constant annual change (final − initial)/T for T years. */
    double rate = (final_tc_ha - initial_tc_ha) / transition_years;
    double done = years_since_conversion < transition_years ? years_since_conversion : transition_years;
    if (stock_tc_ha) *stock_tc_ha = years_since_conversion < transition_years ? initial_tc_ha + rate * done : final_tc_ha;
    if (annual_change_tc_ha) *annual_change_tc_ha = years_since_conversion < transition_years ? rate : 0.0;
    return EPV_OK;
}

EPV__DEFINE_INIT(epv_forest_gain_loss_input, EPV_FOREST_GAIN_LOSS_INPUT_VERSION, EPV_FOREST_GAIN_LOSS_INPUT_INIT)
EPV__DEFINE_INIT(epv_forest_gain_loss_result, EPV_FOREST_GAIN_LOSS_RESULT_VERSION, EPV_FOREST_GAIN_LOSS_RESULT_INIT)
