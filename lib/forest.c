/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Stand carbon from stem volume (BEF method and Fang's continuous BEF) and from plot trees
 * (allometric equations). Formulas and sources: include/epv/forest.h and doc/forest.md. */
#include "config.h"
#include "forest_int.h"
#include "epv/unit.h"

#include <math.h>
#include <string.h>

int epv__forest_check_cf(epv_ctx *ctx, double cf, const char *field)
{
    if (isnan(cf)) return epv__error(ctx, EPV_EINVAL, "%s: missing (NaN)", field);
    if (!isfinite(cf) || cf <= 0 || cf > 1)
        return epv__error(ctx, EPV_ERANGE, "%s: %g is outside (0, 1] t C/t d.m.", field, cf);
    return EPV_OK;
}

int epv__forest_check_rs(epv_ctx *ctx, double r, const char *field)
{
    if (isnan(r)) return epv__error(ctx, EPV_EINVAL, "%s: missing (NaN)", field);
    if (!isfinite(r) || r < 0 || r > EPV__FOREST_RS_MAX)
        return epv__error(ctx, EPV_ERANGE, "%s: %g is outside [0, %g]", field, r, EPV__FOREST_RS_MAX);
    return EPV_OK;
}

/* The species row reduced to what the conversion needs: total tree biomass (above + below
 * ground, t d.m./ha) = slope · V + intercept, split by R, carbon by CF. */
typedef struct volume_model {
    double slope;     /* t d.m. per m³ */
    double intercept; /* t d.m./ha (0 for the BEF method) */
    double r;
    double cf;
} volume_model;

/* One species parameter: NaN means "not given" (EINVAL), otherwise it must lie in [lo, hi]
 * (lo excluded when lo_open). */
static int check_param(epv_ctx *ctx, const epv_params_species *sp, const char *field, double v, double lo,
                       int lo_open, double hi, const char *unit)
{
    if (isnan(v))
        return epv__error(ctx, EPV_EINVAL, "species '%.*s': %s: missing (NaN), required by this method",
                          EPV_PARAMS_NAME_MAX, sp->code, field);
    if (!isfinite(v) || (lo_open ? v <= lo : v < lo) || v > hi)
        return epv__error(ctx, EPV_ERANGE, "species '%.*s': %s: %g is outside %s%g, %g] %s",
                          EPV_PARAMS_NAME_MAX, sp->code, field, v, lo_open ? "(" : "[", lo, hi, unit);
    return EPV_OK;
}

static int volume_model_of(epv_ctx *ctx, const epv_params_species *sp, epv_forest_biomass_method method, volume_model *m)
{
    int rc;
    if (!sp) return epv__error(ctx, EPV_EINVAL, "species: NULL argument");
    if ((rc = epv__check_version(ctx, "epv_params_species", sp, EPV_PARAMS_SPECIES_VERSION))) return rc;
    if ((rc = check_param(ctx, sp, "root_shoot", sp->root_shoot, 0, 0, EPV__FOREST_RS_MAX, "")) ||
        (rc = check_param(ctx, sp, "carbon_fraction", sp->carbon_fraction, 0, 1, 1, "t C/t d.m.")))
        return rc;
    m->r = sp->root_shoot;
    m->cf = sp->carbon_fraction;
    switch (method) {
    case EPV_FOREST_BIOMASS_BEF:
        if ((rc = check_param(ctx, sp, "wood_density", sp->wood_density, 0, 1, EPV__FOREST_DENSITY_MAX,
                              "t/m³")) ||
            (rc = check_param(ctx, sp, "bef", sp->bef, EPV__FOREST_BEF_MIN, 0, EPV__FOREST_BEF_MAX, "")))
            return rc;
        /* IPCC 2006 Vol. 4 eq. 2.8: B = V · D · BEF · (1 + R) (BCEF = D · BEF). */
        m->slope = sp->wood_density * sp->bef * (1 + sp->root_shoot);
        m->intercept = 0;
        return EPV_OK;
    case EPV_FOREST_BIOMASS_FANG:
        if ((rc = check_param(ctx, sp, "fang_a", sp->fang_a, 0, 1, EPV__FOREST_FANG_A_MAX, "t/m³")) ||
            (rc = check_param(ctx, sp, "fang_b", sp->fang_b, -EPV__FOREST_FANG_B_MAX, 0, EPV__FOREST_FANG_B_MAX,
                              "t/ha")))
            return rc;
        /* Fang et al.: B = a · V + b is the total (above + below ground) biomass already. */
        m->slope = sp->fang_a;
        m->intercept = sp->fang_b;
        return EPV_OK;
    }
    return epv__error(ctx, EPV_EINVAL, "species '%.*s': method: %d is not a known biomass method",
                      EPV_PARAMS_NAME_MAX, sp->code, (int)method);
}

static int check_volume(epv_ctx *ctx, double v)
{
    if (isnan(v)) return epv__error(ctx, EPV_ERANGE, "volume_m3_ha: value is not a number");
    return epv__check_nonneg(ctx, v, "volume_m3_ha");
}

static void stand_from_model(const volume_model *m, double volume_m3_ha, epv_forest_stand_carbon *out)
{
    double total = m->slope * volume_m3_ha + m->intercept;
    if (total < 0) total = 0; /* Fang's line with b < 0 below V = -b/a: no stand, no biomass */
    out->agb_t_ha = total / (1 + m->r);
    out->bgb_t_ha = total - out->agb_t_ha;
    out->carbon_tc_ha = total * m->cf;
    out->co2_t_ha = epv_unit_c_to_co2(out->carbon_tc_ha);
}

EPV_API int epv_forest_carbon_from_volume(epv_ctx *ctx, const epv_params_species *species,
                                          epv_forest_biomass_method method, double volume_m3_ha,
                                          epv_forest_stand_carbon *out)
{
    volume_model m;
    int rc;
    if (!out) return epv__error(ctx, EPV_EINVAL, "carbon_from_volume: NULL output");
    { int rcv = epv__check_version(ctx, "epv_forest_stand_carbon", out, EPV_FOREST_STAND_CARBON_VERSION); if (rcv) return rcv; }
    if ((rc = check_volume(ctx, volume_m3_ha)) || (rc = volume_model_of(ctx, species, method, &m))) return rc;
    if (method == EPV_FOREST_BIOMASS_BEF) {
        /* Keep the IPCC order of operations: B_AG = V · D · BEF, B_BG = B_AG · R. */
        out->agb_t_ha = volume_m3_ha * species->wood_density * species->bef;
        out->bgb_t_ha = out->agb_t_ha * species->root_shoot;
        out->carbon_tc_ha = (out->agb_t_ha + out->bgb_t_ha) * species->carbon_fraction;
        out->co2_t_ha = epv_unit_c_to_co2(out->carbon_tc_ha);
        return EPV_OK;
    }
    stand_from_model(&m, volume_m3_ha, out);
    return EPV_OK;
}

EPV_API int epv_forest_co2_per_volume(epv_ctx *ctx, const epv_params_species *species,
                                      epv_forest_biomass_method method, double *tco2_per_m3)
{
    volume_model m;
    int rc;
    if (!tco2_per_m3) return epv__error(ctx, EPV_EINVAL, "co2_per_volume: NULL output");
    if ((rc = volume_model_of(ctx, species, method, &m))) return rc;
    *tco2_per_m3 = epv_unit_c_to_co2(m.slope * m.cf);
    return EPV_OK;
}

EPV_API int epv_forest_stratum_carbon(epv_ctx *ctx, const epv_params_species *species,
                                      epv_forest_biomass_method method, double volume_m3_ha,
                                      double area_ha, epv_forest_stratum_stock *out)
{
    epv_forest_stand_carbon c = EPV_FOREST_STAND_CARBON_INIT;
    int rc;
    if (!out) return epv__error(ctx, EPV_EINVAL, "stratum_carbon: NULL output");
    { int rcv = epv__check_version(ctx, "epv_forest_stratum_stock", out, EPV_FOREST_STRATUM_STOCK_VERSION); if (rcv) return rcv; }
    if (isnan(area_ha)) return epv__error(ctx, EPV_ERANGE, "area_ha: value is not a number");
    if ((rc = epv__check_nonneg(ctx, area_ha, "area_ha")) ||
        (rc = epv_forest_carbon_from_volume(ctx, species, method, volume_m3_ha, &c)))
        return rc;
    out->area_ha = area_ha;
    out->agb_t = c.agb_t_ha * area_ha;
    out->bgb_t = c.bgb_t_ha * area_ha;
    out->carbon_tc = c.carbon_tc_ha * area_ha;
    out->co2_t = c.co2_t_ha * area_ha;
    return EPV_OK;
}

EPV_API int epv_forest_allometry_power_fn(double dbh_cm, double height_m, double *agb_kg, void *payload)
{
    const epv_forest_allometry_power *p = payload;
    if (!p || !agb_kg) return EPV_EINVAL;
    if (p->version < 1 || p->version > EPV_FOREST_ALLOMETRY_POWER_VERSION) return EPV_EVERSION;
    if (!isfinite(p->a) || !isfinite(p->b) || !isfinite(p->c) || p->a <= 0) return EPV_EINVAL;
    if (!isfinite(dbh_cm) || dbh_cm < 0) return EPV_ERANGE;
    double v = p->a * pow(dbh_cm, p->b);
    if (p->c != 0) {
        if (!isfinite(height_m) || height_m < 0) return EPV_ERANGE;
        v *= pow(height_m, p->c);
    }
    if (!isfinite(v)) return EPV_ERANGE; /* e.g. DBH 0 with a negative exponent */
    *agb_kg = v;
    return EPV_OK;
}

static int check_tree_dim(epv_ctx *ctx, size_t i, const char *field, double v)
{
    if (isnan(v)) return epv__error(ctx, EPV_ERANGE, "tree %zu: %s: value is not a number", i, field);
    if (!isfinite(v) || v < 0) return epv__error(ctx, EPV_ERANGE, "tree %zu: %s: %g is negative or infinite", i, field, v);
    return EPV_OK;
}

EPV_API int epv_forest_carbon_from_trees(epv_ctx *ctx, epv_forest_allometric_fn fn, void *payload,
                                         const double *dbh_cm, const double *height_m,
                                         size_t ntrees, double plot_area_ha, double root_shoot,
                                         double carbon_fraction, epv_forest_stand_carbon *out)
{
    int rc;
    if (!fn || !out || (ntrees > 0 && !dbh_cm))
        return epv__error(ctx, EPV_EINVAL, "carbon_from_trees: NULL argument (fn, dbh_cm or out)");
    { int rcv = epv__check_version(ctx, "epv_forest_stand_carbon", out, EPV_FOREST_STAND_CARBON_VERSION); if (rcv) return rcv; }
    if (isnan(plot_area_ha)) return epv__error(ctx, EPV_ERANGE, "plot_area_ha: value is not a number");
    if ((rc = epv__check_positive(ctx, plot_area_ha, "plot_area_ha"))) return rc;
    if (isnan(root_shoot)) return epv__error(ctx, EPV_ERANGE, "root_shoot: value is not a number");
    if (isnan(carbon_fraction)) return epv__error(ctx, EPV_ERANGE, "carbon_fraction: value is not a number");
    if ((rc = epv__forest_check_rs(ctx, root_shoot, "root_shoot")) ||
        (rc = epv__forest_check_cf(ctx, carbon_fraction, "carbon_fraction")))
        return rc;
    /* Check every tree before calling fn, so a bad row late in the list fails fast. */
    for (size_t i = 0; i < ntrees; i++) {
        if ((rc = check_tree_dim(ctx, i, "dbh_cm", dbh_cm[i]))) return rc;
        if (height_m && (rc = check_tree_dim(ctx, i, "height_m", height_m[i]))) return rc;
    }
    double sum_kg = 0;
    for (size_t i = 0; i < ntrees; i++) {
        double h = height_m ? height_m[i] : NAN, kg = NAN;
        rc = fn(dbh_cm[i], h, &kg, payload);
        if (rc) {
            char where[160];
            epv__snprintf_c(where, sizeof where, "tree %zu (dbh_cm %g, height_m %g)", i, dbh_cm[i], h);
            return epv__callback_failed(ctx, "allometric function", rc, where);
        }
        if (!isfinite(kg) || kg < 0)
            return epv__error(ctx, EPV_EDOMAIN, "tree %zu (dbh_cm %g, height_m %g): allometric function gave %g kg",
                              i, dbh_cm[i], h, kg);
        sum_kg += kg;
    }
    double agb = sum_kg / 1000.0 / plot_area_ha;
    out->agb_t_ha = agb;
    out->bgb_t_ha = agb * root_shoot;
    out->carbon_tc_ha = (out->agb_t_ha + out->bgb_t_ha) * carbon_fraction;
    out->co2_t_ha = epv_unit_c_to_co2(out->carbon_tc_ha);
    return EPV_OK;
}

EPV__DEFINE_INIT(epv_forest_stand_carbon, EPV_FOREST_STAND_CARBON_VERSION, EPV_FOREST_STAND_CARBON_INIT)
EPV__DEFINE_INIT(epv_forest_stratum_stock, EPV_FOREST_STRATUM_STOCK_VERSION, EPV_FOREST_STRATUM_STOCK_INIT)
EPV__DEFINE_INIT(epv_forest_allometry_power, EPV_FOREST_ALLOMETRY_POWER_VERSION, EPV_FOREST_ALLOMETRY_POWER_INIT)
