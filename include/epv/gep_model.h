/* SPDX-License-Identifier: GPL-3.0-or-later */
/**
 * @file epv/gep_model.h
 * @brief Physical models of the GEP specification as functions over arrays of cells.
 *
 * One implementation serves tables and rasters: the GEP module computes an indicator's
 * physical quantity from a table row by calling these functions with n = 1, the spatial
 * module calls them block by block over raster cells, and a binding may call them on its own
 * NumPy buffers. Each function reads n cells from its input arrays and writes n values;
 * a cell whose inputs include NaN yields NaN (the caller's nodata), any other invalid input
 * (negative rainfall or area, a factor outside its range) is ::EPV_ERANGE naming the
 * argument and the cell index, and nothing is written. Outputs may not alias inputs.
 *
 * Sources: 生态产品总值核算规范（试行）(NDRC & NBS 2022, 发改基础〔2022〕481号) and
 * GB/T 46869-2025; RUSLE after Renard et al. (1997, USDA Agriculture Handbook 703).
 * Threads: reentrant; arrays may be split between threads by the caller.
 */
#ifndef EPV_GEP_MODEL_H
#define EPV_GEP_MODEL_H

#include "epv/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Water conservation (水源涵养量) by the water balance of the specification:
 * Q = (P − R − ET) × A × 10⁻³, in m³ per year per cell (P, R, ET in mm/yr, A in m²).
 * A negative balance is kept (the cell loses water); the caller decides whether to floor it.
 * @param ctx may be NULL; receives the message of an error.
 * @param n number of cells (0: nothing to do).
 * @param precip_mm n values, precipitation P, mm/yr (>= 0); NULL only if n is 0.
 * @param storm_runoff_mm n values, storm runoff R, mm/yr (>= 0); NULL only if n is 0.
 * @param evapotranspiration_mm n values, evapotranspiration ET, mm/yr (>= 0); NULL only if n is 0.
 * @param area_m2 n values, cell area A, m² (>= 0); NULL only if n is 0.
 * @param[out] out_m3 n values, water conserved Q, m³/yr; must not be NULL unless n is 0.
 * @return ::EPV_OK, ::EPV_EINVAL (NULL array, an output overlapping an input),
 *         ::EPV_ERANGE naming the argument and cell (infinite or out of range); nothing is
 *         written on error.
 * A cell with a NaN input gives NaN.
 */
EPV_API int epv_gep_model_water_conservation(epv_ctx *ctx, size_t n, const double *precip_mm,
                                             const double *storm_runoff_mm,
                                             const double *evapotranspiration_mm,
                                             const double *area_m2, double *out_m3);

/**
 * Soil retention (土壤保持量) by RUSLE: potential erosion A_p = R·K·LS, actual
 * A_a = R·K·LS·C·P (t/ha/yr), retention = (A_p − A_a) × area_ha, in t/yr per cell.
 * R in MJ·mm/(ha·h·yr), K in t·ha·h/(ha·MJ·mm), LS, C, P dimensionless (C, P in 0..1).
 * out_potential_t and out_actual_t may be NULL.
 * @param ctx may be NULL; receives the message of an error.
 * @param n number of cells (0: nothing to do).
 * @param r n values, rainfall erosivity R, MJ·mm/(ha·h·yr) (>= 0); NULL only if n is 0.
 * @param k n values, soil erodibility K, t·ha·h/(ha·MJ·mm) (>= 0); NULL only if n is 0.
 * @param ls n values, slope length-steepness factor LS (>= 0); NULL only if n is 0.
 * @param c n values, cover-management factor C (0..1); NULL only if n is 0.
 * @param p n values, support practice factor P (0..1); NULL only if n is 0.
 * @param area_ha n values, cell area, ha (>= 0); NULL only if n is 0.
 * @param[out] out_potential_t n values, potential erosion A_p × area, t/yr; may be NULL.
 * @param[out] out_actual_t n values, actual erosion A_a × area, t/yr; may be NULL.
 * @param[out] out_retained_t n values, soil retained, t/yr; must not be NULL unless n is 0.
 * @return ::EPV_OK, ::EPV_EINVAL (NULL array, an output overlapping an input),
 *         ::EPV_ERANGE naming the argument and cell (infinite or out of range); nothing is
 *         written on error.
 * A cell with a NaN input gives NaN.
 */
EPV_API int epv_gep_model_soil_retention(epv_ctx *ctx, size_t n, const double *r, const double *k,
                                         const double *ls, const double *c, const double *p,
                                         const double *area_ha, double *out_potential_t,
                                         double *out_actual_t, double *out_retained_t);

/**
 * Carbon fixation and oxygen release (固碳量, 释氧量) from net ecosystem production:
 * CO2 = 44/12 × NEP × area, O2 = 32/12 × NEP × area (t/yr per cell), NEP in t C/ha/yr
 * (may be negative: a source). Either output may be NULL.
 * @param ctx may be NULL; receives the message of an error.
 * @param n number of cells (0: nothing to do).
 * @param nep_tc_per_ha n values, net ecosystem production, t C/ha/yr (any sign, finite); NULL only if n is 0.
 * @param area_ha n values, cell area, ha (>= 0); NULL only if n is 0.
 * @param[out] out_co2_t n values, CO2 fixed, t/yr; may be NULL.
 * @param[out] out_o2_t n values, O2 released, t/yr (not both NULL); may be NULL.
 * @return ::EPV_OK, ::EPV_EINVAL (NULL array, an output overlapping an input),
 *         ::EPV_ERANGE naming the argument and cell (infinite or out of range) and both outputs NULL; nothing is
 *         written on error.
 * A cell with a NaN input gives NaN.
 */
EPV_API int epv_gep_model_carbon_oxygen(epv_ctx *ctx, size_t n, const double *nep_tc_per_ha,
                                        const double *area_ha, double *out_co2_t,
                                        double *out_o2_t);

/**
 * Climate regulation, plant transpiration (植被蒸腾消耗的能量) as the specification writes it:
 * E_pt = EPP × S × D / (3600 × r), in kWh per year per cell, with EPP the heat consumed by
 * transpiration per unit area and day (kJ/(m²·d)), S the vegetated area (m²; the
 * specification writes km² × 10⁶), D the days a year on which air conditioning would run
 * (days above 26 °C) and r the energy efficiency ratio of an air conditioner (3.0 in the
 * specification). EPP ≥ 0, area ≥ 0, days in 0..366; eer > 0 (scalar).
 * @param ctx may be NULL; receives the message of an error.
 * @param n number of cells (0: nothing to do).
 * @param epp_kj_m2_day n values, EPP, heat consumed by transpiration, kJ/(m²·d) (>= 0); NULL only if n is 0.
 * @param area_m2 n values, vegetated area S, m² (>= 0); NULL only if n is 0.
 * @param days n values, days D with air conditioning (>= 0); NULL only if n is 0.
 * @param eer energy efficiency ratio r of an air conditioner (> 0).
 * @param[out] out_kwh n values, energy E_pt, kWh/yr; must not be NULL unless n is 0.
 * @return ::EPV_OK, ::EPV_EINVAL (NULL array, an output overlapping an input),
 *         ::EPV_ERANGE naming the argument and cell (infinite or out of range); nothing is
 *         written on error.
 * A cell with a NaN input gives NaN.
 */
EPV_API int epv_gep_model_climate_transpiration(epv_ctx *ctx, size_t n, const double *epp_kj_m2_day,
                                                const double *area_m2, const double *days, double eer,
                                                double *out_kwh);

/**
 * Climate regulation, water-surface evaporation (水面蒸发消耗的能量) as the specification writes
 * it: E_we = E_w × q × 10³ / (3600 × r) + E_w × y, in kWh per year per cell, with the
 * evaporated water E_w = evap_mm × 10⁻³ × water_area_m2 (m³), q the latent heat of
 * vaporisation (kJ/kg; 2450 near 20 °C), r the energy efficiency ratio (scalar, > 0) and y
 * the electricity a humidifier needs to turn 1 m³ of water into vapour (kWh/m³; the
 * specification counts it only on days with relative humidity below 45%: pass 0 otherwise).
 * latent_heat_kj_kg, eer and humidifier_kwh_m3 are scalars.
 * @param ctx may be NULL; receives the message of an error.
 * @param n number of cells (0: nothing to do).
 * @param evap_mm n values, water-surface evaporation, mm/yr (>= 0); NULL only if n is 0.
 * @param water_area_m2 n values, water area, m² (>= 0); NULL only if n is 0.
 * @param latent_heat_kj_kg latent heat of vaporisation q, kJ/kg (finite, >= 0).
 * @param eer energy efficiency ratio r (> 0).
 * @param humidifier_kwh_m3 humidifier electricity y, kWh/m³ (finite, >= 0; 0 to leave it out).
 * @param[out] out_kwh n values, energy E_we, kWh/yr; must not be NULL unless n is 0.
 * @return ::EPV_OK, ::EPV_EINVAL (NULL array, an output overlapping an input),
 *         ::EPV_ERANGE naming the argument and cell (infinite or out of range); nothing is
 *         written on error.
 * A cell with a NaN input gives NaN.
 */
EPV_API int epv_gep_model_climate_evaporation(epv_ctx *ctx, size_t n, const double *evap_mm,
                                              const double *water_area_m2, double latent_heat_kj_kg,
                                              double eer, double humidifier_kwh_m3, double *out_kwh);

/**
 * The simplified climate-regulation formula of version 0.1, under its own name (it is NOT
 * the specification's: it prices a volume of transpired or evaporated water at its latent
 * heat, with no days, no per-ecosystem EPP and no humidifier term):
 * E = W × 10³ kg/m³ × q / 3600 / r (kWh per cell), W in m³, q in kJ/kg, r > 0 (scalars).
 * @param ctx may be NULL; receives the message of an error.
 * @param n number of cells (0: nothing to do).
 * @param water_m3 n values, water transpired or evaporated W, m³ (>= 0); NULL only if n is 0.
 * @param latent_heat_kj_kg latent heat q, kJ/kg (finite, >= 0).
 * @param eer energy efficiency ratio r (> 0).
 * @param[out] out_kwh n values, energy, kWh; must not be NULL unless n is 0.
 * @return ::EPV_OK, ::EPV_EINVAL (NULL array, an output overlapping an input),
 *         ::EPV_ERANGE naming the argument and cell (infinite or out of range); nothing is
 *         written on error.
 * A cell with a NaN input gives NaN.
 */
EPV_API int epv_gep_model_climate_simplified(epv_ctx *ctx, size_t n, const double *water_m3,
                                             double latent_heat_kj_kg, double eer, double *out_kwh);

/**
 * Flood regulation by vegetation (植被洪水调蓄): C_v = (P_h − R_f) × A × 10⁻³ (m³ per cell),
 * P_h the heavy-rain (暴雨) precipitation and R_f the storm runoff of those events (mm/yr),
 * A the area (m²). R_f > P_h is ::EPV_ERANGE.
 * @param ctx may be NULL; receives the message of an error.
 * @param n number of cells (0: nothing to do).
 * @param storm_precip_mm n values, heavy-rain precipitation P_h, mm/yr (>= 0); NULL only if n is 0.
 * @param storm_runoff_mm n values, storm runoff R_f, mm/yr (>= 0, <= P_h); NULL only if n is 0.
 * @param area_m2 n values, cell area A, m² (>= 0); NULL only if n is 0.
 * @param[out] out_m3 n values, flood water regulated C_v, m³; must not be NULL unless n is 0.
 * @return ::EPV_OK, ::EPV_EINVAL (NULL array, an output overlapping an input),
 *         ::EPV_ERANGE naming the argument and cell (infinite or out of range) or R_f > P_h; nothing is
 *         written on error.
 * A cell with a NaN input gives NaN.
 */
EPV_API int epv_gep_model_flood_vegetation(epv_ctx *ctx, size_t n, const double *storm_precip_mm,
                                           const double *storm_runoff_mm, const double *area_m2,
                                           double *out_m3);

/**
 * Flood regulation by reservoirs (水库洪水调蓄): C_r = f × V (m³ per reservoir), V the total
 * capacity (m³), f the share used for flood control (the specification's national figure
 * is 0.35; scalar in 0..1).
 * @param ctx may be NULL; receives the message of an error.
 * @param n number of cells (0: nothing to do).
 * @param capacity_m3 n values, total capacity V of each reservoir, m³ (>= 0); NULL only if n is 0.
 * @param flood_share share f of the capacity used for flood control (0..1).
 * @param[out] out_m3 n values, flood regulation C_r, m³; must not be NULL unless n is 0.
 * @return ::EPV_OK, ::EPV_EINVAL (NULL array, an output overlapping an input),
 *         ::EPV_ERANGE naming the argument and cell (infinite or out of range); nothing is
 *         written on error.
 * A cell with a NaN input gives NaN.
 */
EPV_API int epv_gep_model_flood_reservoir(epv_ctx *ctx, size_t n, const double *capacity_m3,
                                          double flood_share, double *out_m3);

/**
 * Flood regulation by marshes (沼泽洪水调蓄): soil storage plus surface retention,
 * C_m = S × h × ρ_s × (F − E) / ρ_w + S × H (m³ per cell), S the marsh area (m²), h the
 * soil depth (m), ρ_s the soil bulk density (t/m³), F and E the saturated and the natural
 * soil water content (mass fractions, 0..1, E ≤ F), ρ_w = 1 t/m³, H the depth of surface
 * water the marsh can hold (m).
 * @param ctx may be NULL; receives the message of an error.
 * @param n number of cells (0: nothing to do).
 * @param area_m2 n values, marsh area S, m² (>= 0); NULL only if n is 0.
 * @param soil_depth_m n values, soil depth h, m (>= 0); NULL only if n is 0.
 * @param bulk_density_t_m3 n values, soil bulk density ρ_s, t/m³ (>= 0); NULL only if n is 0.
 * @param saturated_water n values, saturated soil water content F (0..1); NULL only if n is 0.
 * @param natural_water n values, natural soil water content E (0..1, <= F); NULL only if n is 0.
 * @param surface_depth_m n values, depth H of surface water held, m (>= 0); NULL only if n is 0.
 * @param[out] out_m3 n values, flood regulation C_m, m³; must not be NULL unless n is 0.
 * @return ::EPV_OK, ::EPV_EINVAL (NULL array, an output overlapping an input),
 *         ::EPV_ERANGE naming the argument and cell (infinite or out of range) or E > F; nothing is
 *         written on error.
 * A cell with a NaN input gives NaN.
 */
EPV_API int epv_gep_model_flood_marsh(epv_ctx *ctx, size_t n, const double *area_m2,
                                      const double *soil_depth_m, const double *bulk_density_t_m3,
                                      const double *saturated_water, const double *natural_water,
                                      const double *surface_depth_m, double *out_m3);

/**
 * Purification capacity of a cell (air: SO2, NOx, dust; water: COD, NH3-N, TP):
 * Q = rate × area (t/yr), rate in t/(ha·yr), area in ha.
 * @param ctx may be NULL; receives the message of an error.
 * @param n number of cells (0: nothing to do).
 * @param rate_t_per_ha n values, purification rate, t/(ha·yr) (>= 0); NULL only if n is 0.
 * @param area_ha n values, cell area, ha (>= 0); NULL only if n is 0.
 * @param[out] out_t n values, capacity Q, t/yr; must not be NULL unless n is 0.
 * @return ::EPV_OK, ::EPV_EINVAL (NULL array, an output overlapping an input),
 *         ::EPV_ERANGE naming the argument and cell (infinite or out of range); nothing is
 *         written on error.
 * A cell with a NaN input gives NaN.
 */
EPV_API int epv_gep_model_purification_capacity(epv_ctx *ctx, size_t n, const double *rate_t_per_ha,
                                                const double *area_ha, double *out_t);

/**
 * Cap purification at emissions (净化量不超过排放量): the n cells (one region, one pollutant,
 * one year) together may not clean more than was emitted. If Σ capacity > emission each cell
 * is scaled by emission / Σ capacity, so that together they clean exactly the emission;
 * otherwise each keeps its capacity. emission_t is a scalar ≥ 0. A NaN cell is NaN on output
 * and left out of the sum.
 * @param ctx may be NULL; receives the message of an error.
 * @param n number of cells (0: nothing to do).
 * @param capacity_t n values, purification capacity of each cell, t/yr (>= 0); NULL only if n is 0.
 * @param emission_t emission of the region, pollutant and year, t (finite, >= 0).
 * @param[out] out_t n values, capped purification, t/yr; must not be NULL unless n is 0.
 * @return ::EPV_OK, ::EPV_EINVAL (NULL array, an output overlapping an input),
 *         ::EPV_ERANGE naming the argument and cell (infinite or out of range); nothing is
 *         written on error.
 * A cell with a NaN input gives NaN.
 */
EPV_API int epv_gep_model_emission_cap(epv_ctx *ctx, size_t n, const double *capacity_t,
                                       double emission_t, double *out_t);

/**
 * Sand fixation (防风固沙) by the Revised Wind Erosion Equation (Fryrear et al. 1998, RWEQ,
 * USDA-ARS; as used by the specification): potential minus actual soil loss.
 * Q_max = 109.8 × (WF × EF × SCF × K′ × C) (kg/m), s = 150.71 × (WF × EF × SCF × K′ × C)^−0.3711 (m),
 * loss SL = 2z/s² × Q_max × exp(−(z/s)²) (kg/m²) at the downwind distance z (m); the
 * potential loss uses C = 1 (bare soil). Fixed = (SL_potential − SL_actual) × area (t/yr,
 * area in m², 10⁻³ t/kg). WF weather factor (kg/m), EF erodible fraction, SCF soil crust
 * factor, K′ roughness factor, C vegetation factor (EF, SCF, K′, C in 0..1), z > 0 (scalar).
 * out_potential_t and out_actual_t may be NULL.
 * @param ctx may be NULL; receives the message of an error.
 * @param n number of cells (0: nothing to do).
 * @param wf_kg_m n values, weather factor WF, kg/m (>= 0); NULL only if n is 0.
 * @param ef n values, erodible fraction EF (0..1); NULL only if n is 0.
 * @param scf n values, soil crust factor SCF (0..1); NULL only if n is 0.
 * @param k_rough n values, roughness factor K′ (0..1); NULL only if n is 0.
 * @param c n values, vegetation factor C (0..1); NULL only if n is 0.
 * @param z_m downwind distance z, m (> 0).
 * @param area_m2 n values, cell area, m² (>= 0); NULL only if n is 0.
 * @param[out] out_potential_t n values, potential loss × area, t/yr; may be NULL.
 * @param[out] out_actual_t n values, actual loss × area, t/yr; may be NULL.
 * @param[out] out_fixed_t n values, sand fixed, t/yr; must not be NULL unless n is 0.
 * @return ::EPV_OK, ::EPV_EINVAL (NULL array, an output overlapping an input),
 *         ::EPV_ERANGE naming the argument and cell (infinite or out of range); nothing is
 *         written on error.
 * A cell with a NaN input gives NaN.
 */
EPV_API int epv_gep_model_sand_fixation(epv_ctx *ctx, size_t n, const double *wf_kg_m,
                                        const double *ef, const double *scf, const double *k_rough,
                                        const double *c, double z_m, const double *area_m2,
                                        double *out_potential_t, double *out_actual_t,
                                        double *out_fixed_t);

/**
 * Sand fixation from losses already computed by an RWEQ run: potential − actual (t/yr per
 * cell). actual > potential is ::EPV_ERANGE (the potential is bare soil).
 * @param ctx may be NULL; receives the message of an error.
 * @param n number of cells (0: nothing to do).
 * @param potential_t n values, potential soil loss, t/yr (>= 0); NULL only if n is 0.
 * @param actual_t n values, actual soil loss, t/yr (>= 0, <= potential); NULL only if n is 0.
 * @param[out] out_fixed_t n values, sand fixed, t/yr; must not be NULL unless n is 0.
 * @return ::EPV_OK, ::EPV_EINVAL (NULL array, an output overlapping an input),
 *         ::EPV_ERANGE naming the argument and cell (infinite or out of range) or actual > potential; nothing is
 *         written on error.
 * A cell with a NaN input gives NaN.
 */
EPV_API int epv_gep_model_sand_fixation_losses(epv_ctx *ctx, size_t n, const double *potential_t,
                                               const double *actual_t, double *out_fixed_t);

#ifdef __cplusplus
}
#endif
#endif /* EPV_GEP_MODEL_H */
