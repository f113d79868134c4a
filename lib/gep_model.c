/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Physical models of the GEP specification over arrays of cells (include/epv/gep_model.h).
 * One implementation for tables (n = 1 per row, lib/gep_input.c) and rasters (the spatial
 * module, block by block). Every function checks all cells before it writes anything. */
#include "config.h"
#include "common_int.h"
#include "epv/gep_model.h"
#include "gep_model_int.h"

#include <math.h>
#include <stdint.h>

enum chk { ANY, NONNEG, UNIT, POS };

struct arg {
    const char *name;
    const double *v;
    enum chk k;
};

static int overlaps(const double *a, const double *b, size_t n)
{
    if (!a || !b || n == 0) return 0;
    uintptr_t pa = (uintptr_t)a, pb = (uintptr_t)b, len = (uintptr_t)(n * sizeof(double));
    return pa < pb + len && pb < pa + len;
}

/* Pointers present, outputs not aliasing inputs, then every non-NaN cell in range. */
static int check(epv_ctx *ctx, const char *fn, size_t n, const struct arg *a, size_t na, double *const *out,
                 const char *const *outname, size_t nout)
{
    for (size_t j = 0; j < na; j++)
        if (!a[j].v && n) return epv__error(ctx, EPV_EINVAL, "%s: %s is NULL", fn, a[j].name);
    for (size_t o = 0; o < nout; o++)
        for (size_t j = 0; j < na; j++)
            if (overlaps(out[o], a[j].v, n))
                return epv__error(ctx, EPV_EINVAL, "%s: output %s overlaps input %s", fn, outname[o], a[j].name);
    for (size_t i = 0; i < n; i++) {
        int nan = 0;
        for (size_t j = 0; j < na; j++) nan |= isnan(a[j].v[i]);
        if (nan) continue;
        for (size_t j = 0; j < na; j++) {
            double v = a[j].v[i];
            const char *why = NULL;
            if (isinf(v)) why = "is not finite";
            else if (a[j].k == NONNEG && v < 0) why = "is negative";
            else if (a[j].k == POS && v <= 0) why = "is not positive";
            else if (a[j].k == UNIT && (v < 0 || v > 1)) why = "is outside 0..1";
            if (why) return epv__error(ctx, EPV_ERANGE, "%s: %s[%zu] = %g %s", fn, a[j].name, i, v, why);
        }
    }
    return EPV_OK;
}

static int cell_nan(const struct arg *a, size_t na, size_t i)
{
    for (size_t j = 0; j < na; j++)
        if (isnan(a[j].v[i])) return 1;
    return 0;
}

static int scalar(epv_ctx *ctx, const char *fn, const char *name, double v, enum chk k)
{
    int bad = !isfinite(v) || (k == NONNEG && v < 0) || (k == POS && v <= 0) || (k == UNIT && (v < 0 || v > 1));
    if (bad)
        return epv__error(ctx, EPV_ERANGE, "%s: %s = %g %s", fn, name, v,
                          k == POS ? "must be finite and positive" : k == UNIT ? "must be in 0..1" : "must be finite and >= 0");
    return EPV_OK;
}

#define NARG(a) (sizeof(a) / sizeof((a)[0]))

/* Specification (2022) 水源涵养: Q = Σ (P − R − ET) × A; mm × m² × 10⁻³ = m³. */
EPV_API int epv_gep_model_water_conservation(epv_ctx *ctx, size_t n, const double *precip_mm,
                                             const double *storm_runoff_mm,
                                             const double *evapotranspiration_mm,
                                             const double *area_m2, double *out_m3)
{
    static const char *fn = "epv_gep_model_water_conservation";
    const struct arg a[] = { { "precip_mm", precip_mm, NONNEG },
                             { "storm_runoff_mm", storm_runoff_mm, NONNEG },
                             { "evapotranspiration_mm", evapotranspiration_mm, NONNEG },
                             { "area_m2", area_m2, NONNEG } };
    static const char *const on[] = { "out_m3" };
    EPV__NEED(ctx, out_m3 || !n, "out_m3");
    int rc = check(ctx, fn, n, a, NARG(a), &out_m3, on, 1);
    if (rc) return rc;
    for (size_t i = 0; i < n; i++)
        out_m3[i] = epv__gm_water_conservation(precip_mm[i], storm_runoff_mm[i], evapotranspiration_mm[i], area_m2[i]);
    return EPV_OK;
}

/* RUSLE (Renard et al. 1997, AH 703, eq. 1): A = R·K·LS·C·P; potential: C = P = 1. */
EPV_API int epv_gep_model_soil_retention(epv_ctx *ctx, size_t n, const double *r, const double *k,
                                         const double *ls, const double *c, const double *p,
                                         const double *area_ha, double *out_potential_t,
                                         double *out_actual_t, double *out_retained_t)
{
    static const char *fn = "epv_gep_model_soil_retention";
    const struct arg a[] = { { "r", r, NONNEG }, { "k", k, NONNEG }, { "ls", ls, NONNEG },
                             { "c", c, UNIT }, { "p", p, UNIT }, { "area_ha", area_ha, NONNEG } };
    double *const out[] = { out_potential_t, out_actual_t, out_retained_t };
    static const char *const on[] = { "out_potential_t", "out_actual_t", "out_retained_t" };
    EPV__NEED(ctx, out_retained_t || !n, "out_retained_t");
    if (overlaps(out_potential_t, out_retained_t, n) || overlaps(out_actual_t, out_retained_t, n) ||
        overlaps(out_potential_t, out_actual_t, n))
        return epv__error(ctx, EPV_EINVAL, "%s: outputs overlap", fn);
    int rc = check(ctx, fn, n, a, NARG(a), out, on, 3);
    if (rc) return rc;
    for (size_t i = 0; i < n; i++) {
        double pot, act;
        epv__gm_soil_retention(r[i], k[i], ls[i], c[i], p[i], area_ha[i], &pot, &act);
        if (out_potential_t) out_potential_t[i] = pot;
        if (out_actual_t) out_actual_t[i] = act;
        out_retained_t[i] = pot - act;
    }
    return EPV_OK;
}

/* Specification 固碳释氧: CO2 = M_CO2/M_C × NEP = 44/12 NEP; O2 = M_O2/M_CO2 × CO2 = 32/12 NEP. */
EPV_API int epv_gep_model_carbon_oxygen(epv_ctx *ctx, size_t n, const double *nep_tc_per_ha,
                                        const double *area_ha, double *out_co2_t, double *out_o2_t)
{
    static const char *fn = "epv_gep_model_carbon_oxygen";
    const struct arg a[] = { { "nep_tc_per_ha", nep_tc_per_ha, ANY }, { "area_ha", area_ha, NONNEG } };
    double *const out[] = { out_co2_t, out_o2_t };
    static const char *const on[] = { "out_co2_t", "out_o2_t" };
    if (n && !out_co2_t && !out_o2_t) return epv__error(ctx, EPV_EINVAL, "%s: both outputs are NULL", fn);
    if (overlaps(out_co2_t, out_o2_t, n)) return epv__error(ctx, EPV_EINVAL, "%s: outputs overlap", fn);
    int rc = check(ctx, fn, n, a, NARG(a), out, on, 2);
    if (rc) return rc;
    for (size_t i = 0; i < n; i++) {
        double c = epv__gm_carbon(nep_tc_per_ha[i], area_ha[i]);
        if (out_co2_t) out_co2_t[i] = epv__gm_co2(c);
        if (out_o2_t) out_o2_t[i] = epv__gm_o2(c);
    }
    return EPV_OK;
}

/* Specification 气候调节, plant transpiration: E_pt = Σ EPP_i × S_i × D × 10⁶ / (3600 r),
 * S in km² there; with S in m² the 10⁶ drops out. kJ / 3600 = kWh. */
EPV_API int epv_gep_model_climate_transpiration(epv_ctx *ctx, size_t n, const double *epp_kj_m2_day,
                                                const double *area_m2, const double *days, double eer,
                                                double *out_kwh)
{
    static const char *fn = "epv_gep_model_climate_transpiration";
    const struct arg a[] = { { "epp_kj_m2_day", epp_kj_m2_day, NONNEG }, { "area_m2", area_m2, NONNEG },
                             { "days", days, NONNEG } };
    static const char *const on[] = { "out_kwh" };
    EPV__NEED(ctx, out_kwh || !n, "out_kwh");
    int rc = scalar(ctx, fn, "eer", eer, POS);
    if (rc || (rc = check(ctx, fn, n, a, NARG(a), &out_kwh, on, 1))) return rc;
    for (size_t i = 0; i < n; i++)
        if (!cell_nan(a, NARG(a), i) && days[i] > 366)
            return epv__error(ctx, EPV_ERANGE, "%s: days[%zu] = %g is more than a year", fn, i, days[i]);
    for (size_t i = 0; i < n; i++)
        out_kwh[i] = epv__gm_climate_transpiration(epp_kj_m2_day[i], area_m2[i], days[i], eer);
    return EPV_OK;
}

/* Specification 气候调节, water-surface evaporation: E_we = E_w q ρ_w / (3600 r) + E_w y,
 * E_w in m³, q in kJ/kg, ρ_w = 10³ kg/m³. */
EPV_API int epv_gep_model_climate_evaporation(epv_ctx *ctx, size_t n, const double *evap_mm,
                                              const double *water_area_m2, double latent_heat_kj_kg,
                                              double eer, double humidifier_kwh_m3, double *out_kwh)
{
    static const char *fn = "epv_gep_model_climate_evaporation";
    const struct arg a[] = { { "evap_mm", evap_mm, NONNEG }, { "water_area_m2", water_area_m2, NONNEG } };
    static const char *const on[] = { "out_kwh" };
    EPV__NEED(ctx, out_kwh || !n, "out_kwh");
    int rc;
    if ((rc = scalar(ctx, fn, "latent_heat_kj_kg", latent_heat_kj_kg, NONNEG)) || (rc = scalar(ctx, fn, "eer", eer, POS)) ||
        (rc = scalar(ctx, fn, "humidifier_kwh_m3", humidifier_kwh_m3, NONNEG)) ||
        (rc = check(ctx, fn, n, a, NARG(a), &out_kwh, on, 1)))
        return rc;
    for (size_t i = 0; i < n; i++) {
        double w = evap_mm[i] * 1e-3 * water_area_m2[i];
        out_kwh[i] = cell_nan(a, NARG(a), i) ? NAN : w * latent_heat_kj_kg * 1e3 / (3600.0 * eer) + w * humidifier_kwh_m3;
    }
    return EPV_OK;
}

EPV_API int epv_gep_model_climate_simplified(epv_ctx *ctx, size_t n, const double *water_m3,
                                             double latent_heat_kj_kg, double eer, double *out_kwh)
{
    static const char *fn = "epv_gep_model_climate_simplified";
    const struct arg a[] = { { "water_m3", water_m3, NONNEG } };
    static const char *const on[] = { "out_kwh" };
    EPV__NEED(ctx, out_kwh || !n, "out_kwh");
    int rc;
    if ((rc = scalar(ctx, fn, "latent_heat_kj_kg", latent_heat_kj_kg, NONNEG)) || (rc = scalar(ctx, fn, "eer", eer, POS)) ||
        (rc = check(ctx, fn, n, a, NARG(a), &out_kwh, on, 1)))
        return rc;
    for (size_t i = 0; i < n; i++)
        out_kwh[i] = isnan(water_m3[i]) ? NAN : water_m3[i] * 1e3 * latent_heat_kj_kg / 3600.0 / eer;
    return EPV_OK;
}

EPV_API int epv_gep_model_flood_vegetation(epv_ctx *ctx, size_t n, const double *storm_precip_mm,
                                           const double *storm_runoff_mm, const double *area_m2,
                                           double *out_m3)
{
    static const char *fn = "epv_gep_model_flood_vegetation";
    const struct arg a[] = { { "storm_precip_mm", storm_precip_mm, NONNEG },
                             { "storm_runoff_mm", storm_runoff_mm, NONNEG },
                             { "area_m2", area_m2, NONNEG } };
    static const char *const on[] = { "out_m3" };
    EPV__NEED(ctx, out_m3 || !n, "out_m3");
    int rc = check(ctx, fn, n, a, NARG(a), &out_m3, on, 1);
    if (rc) return rc;
    for (size_t i = 0; i < n; i++)
        if (!cell_nan(a, NARG(a), i) && storm_runoff_mm[i] > storm_precip_mm[i])
            return epv__error(ctx, EPV_ERANGE, "%s: storm_runoff_mm[%zu] = %g exceeds storm_precip_mm %g", fn, i,
                              storm_runoff_mm[i], storm_precip_mm[i]);
    for (size_t i = 0; i < n; i++)
        out_m3[i] = epv__gm_flood_vegetation(storm_precip_mm[i], storm_runoff_mm[i], area_m2[i]);
    return EPV_OK;
}

EPV_API int epv_gep_model_flood_reservoir(epv_ctx *ctx, size_t n, const double *capacity_m3, double flood_share,
                                          double *out_m3)
{
    static const char *fn = "epv_gep_model_flood_reservoir";
    const struct arg a[] = { { "capacity_m3", capacity_m3, NONNEG } };
    static const char *const on[] = { "out_m3" };
    EPV__NEED(ctx, out_m3 || !n, "out_m3");
    int rc = scalar(ctx, fn, "flood_share", flood_share, UNIT);
    if (rc || (rc = check(ctx, fn, n, a, NARG(a), &out_m3, on, 1))) return rc;
    for (size_t i = 0; i < n; i++) out_m3[i] = flood_share * capacity_m3[i];
    return EPV_OK;
}

EPV_API int epv_gep_model_flood_marsh(epv_ctx *ctx, size_t n, const double *area_m2, const double *soil_depth_m,
                                      const double *bulk_density_t_m3, const double *saturated_water,
                                      const double *natural_water, const double *surface_depth_m, double *out_m3)
{
    static const char *fn = "epv_gep_model_flood_marsh";
    const struct arg a[] = { { "area_m2", area_m2, NONNEG },
                             { "soil_depth_m", soil_depth_m, NONNEG },
                             { "bulk_density_t_m3", bulk_density_t_m3, NONNEG },
                             { "saturated_water", saturated_water, UNIT },
                             { "natural_water", natural_water, UNIT },
                             { "surface_depth_m", surface_depth_m, NONNEG } };
    static const char *const on[] = { "out_m3" };
    EPV__NEED(ctx, out_m3 || !n, "out_m3");
    int rc = check(ctx, fn, n, a, NARG(a), &out_m3, on, 1);
    if (rc) return rc;
    for (size_t i = 0; i < n; i++)
        if (!cell_nan(a, NARG(a), i) && natural_water[i] > saturated_water[i])
            return epv__error(ctx, EPV_ERANGE, "%s: natural_water[%zu] = %g exceeds saturated_water %g", fn, i,
                              natural_water[i], saturated_water[i]);
    for (size_t i = 0; i < n; i++)
        out_m3[i] = epv__gm_flood_marsh(area_m2[i], soil_depth_m[i], bulk_density_t_m3[i], saturated_water[i],
                                        natural_water[i], surface_depth_m[i]);
    return EPV_OK;
}

EPV_API int epv_gep_model_purification_capacity(epv_ctx *ctx, size_t n, const double *rate_t_per_ha,
                                                const double *area_ha, double *out_t)
{
    static const char *fn = "epv_gep_model_purification_capacity";
    const struct arg a[] = { { "rate_t_per_ha", rate_t_per_ha, NONNEG }, { "area_ha", area_ha, NONNEG } };
    static const char *const on[] = { "out_t" };
    EPV__NEED(ctx, out_t || !n, "out_t");
    int rc = check(ctx, fn, n, a, NARG(a), &out_t, on, 1);
    if (rc) return rc;
    for (size_t i = 0; i < n; i++) out_t[i] = cell_nan(a, NARG(a), i) ? NAN : rate_t_per_ha[i] * area_ha[i];
    return EPV_OK;
}

EPV_API int epv_gep_model_emission_cap(epv_ctx *ctx, size_t n, const double *capacity_t, double emission_t,
                                       double *out_t)
{
    static const char *fn = "epv_gep_model_emission_cap";
    const struct arg a[] = { { "capacity_t", capacity_t, NONNEG } };
    static const char *const on[] = { "out_t" };
    EPV__NEED(ctx, out_t || !n, "out_t");
    int rc = scalar(ctx, fn, "emission_t", emission_t, NONNEG);
    if (rc || (rc = check(ctx, fn, n, a, NARG(a), &out_t, on, 1))) return rc;
    double total = 0;
    for (size_t i = 0; i < n; i++)
        if (!isnan(capacity_t[i])) total += capacity_t[i];
    double f = total > emission_t ? emission_t / total : 1.0;
    for (size_t i = 0; i < n; i++) out_t[i] = capacity_t[i] * f;
    return EPV_OK;
}

/* RWEQ (Fryrear et al. 1998): Q_max = 109.8 (WF EF SCF K' C), s = 150.71 (WF EF SCF K' C)^-0.3711,
 * SL = 2z/s² Q_max exp(−(z/s)²) in kg/m². Returns 0 for a zero product (nothing erodes). */
static double rweq_loss(double prod, double z)
{
    if (prod <= 0) return 0.0;
    double qmax = 109.8 * prod, s = 150.71 * pow(prod, -0.3711), zs = z / s;
    return 2.0 * z / (s * s) * qmax * exp(-zs * zs);
}

EPV_API int epv_gep_model_sand_fixation(epv_ctx *ctx, size_t n, const double *wf_kg_m, const double *ef,
                                        const double *scf, const double *k_rough, const double *c, double z_m,
                                        const double *area_m2, double *out_potential_t, double *out_actual_t,
                                        double *out_fixed_t)
{
    static const char *fn = "epv_gep_model_sand_fixation";
    const struct arg a[] = { { "wf_kg_m", wf_kg_m, NONNEG }, { "ef", ef, UNIT }, { "scf", scf, UNIT },
                             { "k_rough", k_rough, UNIT }, { "c", c, UNIT }, { "area_m2", area_m2, NONNEG } };
    double *const out[] = { out_potential_t, out_actual_t, out_fixed_t };
    static const char *const on[] = { "out_potential_t", "out_actual_t", "out_fixed_t" };
    EPV__NEED(ctx, out_fixed_t || !n, "out_fixed_t");
    if (overlaps(out_potential_t, out_fixed_t, n) || overlaps(out_actual_t, out_fixed_t, n) ||
        overlaps(out_potential_t, out_actual_t, n))
        return epv__error(ctx, EPV_EINVAL, "%s: outputs overlap", fn);
    int rc = scalar(ctx, fn, "z_m", z_m, POS);
    if (rc || (rc = check(ctx, fn, n, a, NARG(a), out, on, 3))) return rc;
    for (size_t i = 0; i < n; i++) {
        double pot = NAN, act = NAN;
        if (!cell_nan(a, NARG(a), i)) {
            double base = wf_kg_m[i] * ef[i] * scf[i] * k_rough[i];
            pot = rweq_loss(base, z_m) * area_m2[i] * 1e-3;
            act = rweq_loss(base * c[i], z_m) * area_m2[i] * 1e-3;
        }
        if (out_potential_t) out_potential_t[i] = pot;
        if (out_actual_t) out_actual_t[i] = act;
        out_fixed_t[i] = pot - act;
    }
    return EPV_OK;
}

EPV_API int epv_gep_model_sand_fixation_losses(epv_ctx *ctx, size_t n, const double *potential_t,
                                               const double *actual_t, double *out_fixed_t)
{
    static const char *fn = "epv_gep_model_sand_fixation_losses";
    const struct arg a[] = { { "potential_t", potential_t, NONNEG }, { "actual_t", actual_t, NONNEG } };
    static const char *const on[] = { "out_fixed_t" };
    EPV__NEED(ctx, out_fixed_t || !n, "out_fixed_t");
    int rc = check(ctx, fn, n, a, NARG(a), &out_fixed_t, on, 1);
    if (rc) return rc;
    for (size_t i = 0; i < n; i++)
        if (!cell_nan(a, NARG(a), i) && actual_t[i] > potential_t[i])
            return epv__error(ctx, EPV_ERANGE, "%s: actual_t[%zu] = %g exceeds potential_t %g (RWEQ potential is bare soil)",
                              fn, i, actual_t[i], potential_t[i]);
    for (size_t i = 0; i < n; i++) out_fixed_t[i] = cell_nan(a, NARG(a), i) ? NAN : potential_t[i] - actual_t[i];
    return EPV_OK;
}
