/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Scalar quantities that are not per-cell models (oxygen from a given CO2, pest control,
 * the soil unit value) and the equivalent-factor method. The specification's per-cell models
 * are in lib/gep_model.c (epv/gep_model.h). */
#include "config.h"
#include "gep_int.h"

#include <math.h>
#include <string.h>

static int finite_all(epv_ctx *ctx, const double *v, const char *const *names, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (epv__check_finite(ctx, v[i], names[i])) return EPV_EINVAL;
    return EPV_OK;
}

static int nonneg_all(epv_ctx *ctx, const double *v, const char *const *names, size_t n)
{
    int rc = finite_all(ctx, v, names, n);
    if (rc) return rc;
    for (size_t i = 0; i < n; i++)
        if (epv__check_nonneg(ctx, v[i], names[i])) return EPV_ERANGE;
    return EPV_OK;
}

EPV_API int epv_gep_oxygen_from_co2(epv_ctx *ctx, double co2_t, double *o2_t)
{
    EPV__NEED(ctx, o2_t, "o2_t");
    if (epv__check_finite(ctx, co2_t, "co2_t")) return EPV_EINVAL;
    if (epv__check_nonneg(ctx, co2_t, "co2_t")) return EPV_ERANGE;
    *o2_t = epv_unit_co2_to_o2(co2_t);
    return EPV_OK;
}

EPV_API int epv_gep_pest_control_ha(epv_ctx *ctx, double affected_ha, double treated_ha, double *out_ha)
{
    const double v[] = { affected_ha, treated_ha };
    static const char *const nm[] = { "affected_ha", "treated_ha" };
    EPV__NEED(ctx, out_ha, "out_ha");
    int rc = nonneg_all(ctx, v, nm, 2);
    if (rc) return rc;
    if (treated_ha > affected_ha)
        return epv__error(ctx, EPV_ERANGE, "treated_ha: %g exceeds affected_ha %g", treated_ha, affected_ha);
    *out_ha = affected_ha - treated_ha;
    return EPV_OK;
}

EPV__DEFINE_INIT(epv_gep_soil_value_params, EPV_GEP_SOIL_VALUE_PARAMS_VERSION, EPV_GEP_SOIL_VALUE_PARAMS_INIT)
EPV__DEFINE_INIT(epv_gep_soil_value, EPV_GEP_SOIL_VALUE_VERSION, EPV_GEP_SOIL_VALUE_INIT)

EPV_API int epv_gep_soil_unit_value(epv_ctx *ctx, const epv_gep_soil_value_params *p, epv_gep_soil_value *out)
{
    EPV__NEED(ctx, p, "p");
    EPV__NEED(ctx, out, "out");
    int vrc;
    if ((vrc = epv__check_version(ctx, "epv_gep_soil_value_params", p, EPV_GEP_SOIL_VALUE_PARAMS_VERSION)) ||
        (vrc = epv__check_version(ctx, "epv_gep_soil_value", out, EPV_GEP_SOIL_VALUE_VERSION)))
        return vrc;
    const epv_gep_nutrient_price kinds[2] = { p->n_price_kind, p->p_price_kind };
    static const char *const knames[2] = { "n_price_kind", "p_price_kind" };
    for (int k = 0; k < 2; k++)
        if (kinds[k] != EPV_GEP_NUTRIENT_FERTILISER && kinds[k] != EPV_GEP_NUTRIENT_TREATMENT)
            return epv__error(ctx, EPV_EINVAL,
                              "soil value: %s: say whether the price is a fertiliser price or a treatment cost", knames[k]);
    const double v[] = { p->silt_fraction, p->soil_density_t_m3, p->dredging_yuan_m3, p->n_fraction,
                         p->p_fraction, p->n_price_yuan_t, p->p_price_yuan_t };
    static const char *const nm[] = { "silt_fraction", "soil_density_t_m3", "dredging_yuan_m3", "n_fraction",
                                      "p_fraction", "n_price_yuan_t", "p_price_yuan_t" };
    int rc = nonneg_all(ctx, v, nm, 7);
    if (rc) return rc;
    if (epv__check_positive(ctx, p->soil_density_t_m3, "soil_density_t_m3")) return EPV_ERANGE;
    if (p->silt_fraction > 1) return epv__error(ctx, EPV_ERANGE, "silt_fraction: %g is above 1", p->silt_fraction);
    /* sediment: share deposited, as volume (t / (t/m³)), at the dredging cost; nutrients: N
     * and P carried by each tonne, at the price whose kind the caller stated. */
    out->sediment_yuan_t = p->silt_fraction / p->soil_density_t_m3 * p->dredging_yuan_m3;
    out->n_yuan_t = p->n_fraction * p->n_price_yuan_t;
    out->p_yuan_t = p->p_fraction * p->p_price_yuan_t;
    out->total_yuan_t = out->sediment_yuan_t + out->n_yuan_t + out->p_yuan_t;
    return EPV_OK;
}

EPV_API int epv_gep_sand_unit_value(epv_ctx *ctx, double density_t_m3, double depth_m, double cost_yuan_m2,
                                    double *yuan_per_t)
{
    EPV__NEED(ctx, yuan_per_t, "yuan_per_t");
    const double v[] = { density_t_m3, depth_m, cost_yuan_m2 };
    static const char *const nm[] = { "density_t_m3", "depth_m", "cost_yuan_m2" };
    for (int i = 0; i < 3; i++)
        if (!isfinite(v[i]) || v[i] <= 0) return epv__error(ctx, EPV_ERANGE, "%s: %g must be finite and positive", nm[i], v[i]);
    /* a tonne of sand covers 1/(ρ h) m² to depth h; removing it costs c per m² */
    *yuan_per_t = cost_yuan_m2 / (density_t_m3 * depth_m);
    return EPV_OK;
}

/* ---- equivalent-factor method ------------------------------------------------------- */

static const char *const ef_services[11] = {
    "food_production", "raw_materials", "water_supply", "gas_regulation", "climate_regulation",
    "environmental_purification", "hydrological_regulation", "soil_conservation", "nutrient_cycling",
    "biodiversity", "aesthetic_landscape"
};

/* Xie Gaodi, Zhang Caixia, Zhang Leiming et al. 2015, 自然资源学报 30(8):1243-1254, table of
 * equivalent factors per unit area (14 ecosystem types × 11 services). PROVISIONAL: transcribed
 * from secondary reproductions of the table; not yet checked line by line against the paper
 * (see doc/gep.md). */
static const struct {
    const char *code;
    double f[11];
} ef_table[14] = {
    { "cropland_dry", { 0.85, 0.40, 0.02, 0.67, 0.36, 0.10, 0.27, 1.03, 0.12, 0.13, 0.06 } },
    { "cropland_paddy", { 1.36, 0.09, -2.63, 1.11, 0.57, 0.17, 2.72, 0.01, 0.19, 0.21, 0.09 } },
    { "forest_conifer", { 0.22, 0.52, 0.27, 1.70, 5.07, 1.49, 3.34, 2.06, 0.16, 1.88, 0.82 } },
    { "forest_mixed", { 0.31, 0.71, 0.37, 2.35, 7.03, 1.99, 3.51, 2.86, 0.22, 2.60, 1.14 } },
    { "forest_broadleaf", { 0.29, 0.66, 0.34, 2.17, 6.50, 1.93, 4.74, 2.65, 0.20, 2.41, 1.06 } },
    { "shrubland", { 0.19, 0.43, 0.22, 1.41, 4.23, 1.28, 3.35, 1.72, 0.13, 1.57, 0.69 } },
    { "grassland_steppe", { 0.10, 0.14, 0.08, 0.51, 1.34, 0.44, 0.98, 0.62, 0.05, 0.56, 0.25 } },
    { "grassland_shrub", { 0.38, 0.56, 0.31, 1.97, 5.21, 1.72, 3.82, 2.40, 0.18, 2.18, 0.96 } },
    { "grassland_meadow", { 0.22, 0.33, 0.18, 1.14, 3.02, 1.00, 2.21, 1.39, 0.11, 1.27, 0.56 } },
    { "wetland", { 0.51, 0.50, 2.59, 1.90, 3.60, 3.60, 24.23, 2.31, 0.18, 7.87, 4.73 } },
    { "desert", { 0.01, 0.03, 0.02, 0.11, 0.10, 0.31, 0.21, 0.13, 0.01, 0.12, 0.05 } },
    { "bare_land", { 0.00, 0.00, 0.00, 0.02, 0.00, 0.10, 0.03, 0.02, 0.00, 0.02, 0.01 } },
    { "water_body", { 0.80, 0.23, 8.29, 0.77, 2.29, 5.55, 102.24, 0.93, 0.07, 2.55, 1.89 } },
    { "glacier_snow", { 0.00, 0.00, 2.16, 0.18, 0.54, 0.16, 7.13, 0.00, 0.00, 0.01, 0.09 } },
};

EPV_API size_t epv_gep_ef_service_count(void) { return EPV__ARRAY_LEN(ef_services); }
EPV_API size_t epv_gep_ef_ecosystem_count(void) { return EPV__ARRAY_LEN(ef_table); }
EPV_API const char *epv_gep_ef_service_code(size_t i) { return i < EPV__ARRAY_LEN(ef_services) ? ef_services[i] : NULL; }
EPV_API const char *epv_gep_ef_ecosystem_code(size_t i) { return i < EPV__ARRAY_LEN(ef_table) ? ef_table[i].code : NULL; }

static long ef_eco(epv_ctx *ctx, const char *eco)
{
    if (eco)
        for (size_t i = 0; i < EPV__ARRAY_LEN(ef_table); i++)
            if (strcmp(ef_table[i].code, eco) == 0) return (long)i;
    epv__error(ctx, EPV_ENOTFOUND, "ecosystem: unknown equivalent-factor type '%.60s'", eco ? eco : "(null)");
    return -1;
}

EPV_API int epv_gep_ef_factor(epv_ctx *ctx, const char *ecosystem, const char *service, double *factor)
{
    EPV__NEED(ctx, factor, "factor");
    long e = ef_eco(ctx, ecosystem);
    if (e < 0) return EPV_ENOTFOUND;
    for (size_t s = 0; service && s < EPV__ARRAY_LEN(ef_services); s++)
        if (strcmp(ef_services[s], service) == 0) {
            *factor = ef_table[e].f[s];
            return EPV_OK;
        }
    return epv__error(ctx, EPV_ENOTFOUND, "service: unknown equivalent-factor service '%.60s'", service ? service : "(null)");
}

EPV_API int epv_gep_ef_standard_equivalent(epv_ctx *ctx, size_t n, const double *sown_area,
                                           const double *net_profit_yuan_ha, double *yuan_per_ha)
{
    EPV__NEED(ctx, sown_area, "sown_area");
    EPV__NEED(ctx, net_profit_yuan_ha, "net_profit_yuan_ha");
    EPV__NEED(ctx, yuan_per_ha, "yuan_per_ha");
    if (n < 1) return epv__error(ctx, EPV_EINVAL, "standard equivalent: n: at least one crop is needed");
    double area = 0, sum = 0;
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(sown_area[i]) || sown_area[i] < 0)
            return epv__error(ctx, EPV_ERANGE, "sown_area[%zu]: %g is negative or not finite", i, sown_area[i]);
        if (!isfinite(net_profit_yuan_ha[i]))
            return epv__error(ctx, EPV_ERANGE, "net_profit_yuan_ha[%zu]: not finite", i);
        area += sown_area[i];
        sum += sown_area[i] * net_profit_yuan_ha[i];
    }
    if (!(area > 0)) return epv__error(ctx, EPV_ERANGE, "sown_area: the areas add up to 0");
    /* Xie et al. 2015: D = S_r F_r + S_w F_w + S_c F_c with S the shares of the sown area. */
    *yuan_per_ha = sum / area;
    return EPV_OK;
}

EPV_API int epv_gep_ef_standard_equivalent_grain_1_7(epv_ctx *ctx, double grain_yield_kg_ha, double grain_price_yuan_kg,
                                                     double *yuan_per_ha)
{
    const double v[] = { grain_yield_kg_ha, grain_price_yuan_kg };
    static const char *const nm[] = { "grain_yield_kg_ha", "grain_price_yuan_kg" };
    EPV__NEED(ctx, yuan_per_ha, "yuan_per_ha");
    int rc = nonneg_all(ctx, v, nm, 2);
    if (rc) return rc;
    /* Xie et al. 2003/2008: the natural food production of 1 ha of cropland without human
     * input is taken as 1/7 of the value of its actual grain yield. */
    *yuan_per_ha = grain_yield_kg_ha * grain_price_yuan_kg / 7.0;
    return EPV_OK;
}

EPV_API int epv_gep_ef_value(epv_ctx *ctx, const char *ecosystem, double area_ha, double se_yuan_per_ha, double *yuan)
{
    const double v[] = { area_ha, se_yuan_per_ha };
    static const char *const nm[] = { "area_ha", "se_yuan_per_ha" };
    EPV__NEED(ctx, yuan, "yuan");
    int rc = nonneg_all(ctx, v, nm, 2);
    if (rc) return rc;
    long e = ef_eco(ctx, ecosystem);
    if (e < 0) return EPV_ENOTFOUND;
    double sum = 0;
    for (size_t s = 0; s < EPV__ARRAY_LEN(ef_services); s++) sum += ef_table[e].f[s];
    *yuan = area_ha * sum * se_yuan_per_ha;
    return EPV_OK;
}
