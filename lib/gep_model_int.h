/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Per-cell arithmetic of the GEP models (include/epv/gep_model.h), one copy shared by the
 * public array functions (lib/gep_model.c, which check their arguments first) and the
 * spatial module's fused tile loop (lib/spatial.c, whose inputs are checked when read).
 * Each kernel is the formula for one cell with valid (or NaN) arguments: a NaN argument
 * gives NaN, exactly as the array functions always did, so both callers agree to the bit.
 * Written as plain expressions without branches so that the compiler can vectorise them. */
#ifndef EPV_GEP_MODEL_INT_H
#define EPV_GEP_MODEL_INT_H

#include <math.h>

#define EPV__GM_RHO_WATER_T_M3 1.0

/* Specification (2022) 水源涵养: (P − R − ET) × A × 10⁻³, m³. */
static inline double epv__gm_water_conservation(double precip_mm, double runoff_mm, double et_mm, double area_m2)
{
    int nan = isnan(precip_mm) | isnan(runoff_mm) | isnan(et_mm) | isnan(area_m2);
    return nan ? NAN : (precip_mm - runoff_mm - et_mm) * area_m2 * 1e-3;
}

/* RUSLE: potential R K LS × area and actual potential × C × P (t); either is NaN when any
 * argument is. The retained soil is potential − actual. */
static inline void epv__gm_soil_retention(double r, double k, double ls, double c, double p, double area_ha,
                                          double *potential_t, double *actual_t)
{
    int nan = isnan(r) | isnan(k) | isnan(ls) | isnan(c) | isnan(p) | isnan(area_ha);
    double pot = r * k * ls * area_ha;
    double act = pot * c * p;
    *potential_t = nan ? NAN : pot;
    *actual_t = nan ? NAN : act;
}

/* 固碳释氧: carbon NEP × area (t C); CO2 = 44/12 of it, O2 = 32/12. */
static inline double epv__gm_carbon(double nep_tc_per_ha, double area_ha)
{
    return isnan(nep_tc_per_ha) | isnan(area_ha) ? NAN : nep_tc_per_ha * area_ha;
}
static inline double epv__gm_co2(double carbon_t) { return carbon_t * 44.0 / 12.0; }
static inline double epv__gm_o2(double carbon_t) { return carbon_t * 32.0 / 12.0; }

/* 气候调节, plant transpiration: EPP × S × D / (3600 r), kWh. */
static inline double epv__gm_climate_transpiration(double epp_kj_m2_day, double area_m2, double days, double eer)
{
    int nan = isnan(epp_kj_m2_day) | isnan(area_m2) | isnan(days);
    return nan ? NAN : epp_kj_m2_day * area_m2 * days / (3600.0 * eer);
}

/* Flood regulation by vegetation: (P_h − R_f) × A × 10⁻³, m³. */
static inline double epv__gm_flood_vegetation(double storm_precip_mm, double storm_runoff_mm, double area_m2)
{
    int nan = isnan(storm_precip_mm) | isnan(storm_runoff_mm) | isnan(area_m2);
    return nan ? NAN : (storm_precip_mm - storm_runoff_mm) * area_m2 * 1e-3;
}

/* Flood regulation by marshes: S h ρ_s (F − E) / ρ_w + S H, m³. */
static inline double epv__gm_flood_marsh(double area_m2, double soil_depth_m, double bulk_density_t_m3,
                                         double saturated_water, double natural_water, double surface_depth_m)
{
    int nan = isnan(area_m2) | isnan(soil_depth_m) | isnan(bulk_density_t_m3) | isnan(saturated_water) |
              isnan(natural_water) | isnan(surface_depth_m);
    return nan ? NAN
               : area_m2 * soil_depth_m * bulk_density_t_m3 * (saturated_water - natural_water) / EPV__GM_RHO_WATER_T_M3 +
                     area_m2 * surface_depth_m;
}

#endif
