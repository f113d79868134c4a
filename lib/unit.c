/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Units and conversions. Factors are exact definitions, not measurements. */
#include "config.h"
#include "common_int.h"
#include "epv/unit.h"

#include <string.h>

EPV_API double epv_unit_mu_to_ha(double mu) { return mu / EPV_UNIT_MU_PER_HA; }
EPV_API double epv_unit_ha_to_mu(double ha) { return ha * EPV_UNIT_MU_PER_HA; }
EPV_API double epv_unit_c_to_co2(double t_c) { return t_c * EPV_UNIT_CO2_PER_C; }
EPV_API double epv_unit_co2_to_c(double t_co2) { return t_co2 / EPV_UNIT_CO2_PER_C; }
EPV_API double epv_unit_co2_to_o2(double t_co2) { return t_co2 * EPV_UNIT_O2_PER_CO2; }

struct unit_row {
    epv_unit unit;
    epv_unit_dimension dim;
    const char *symbol;
    double to_base; /* multiply by this to reach the dimension's base unit */
};

/* Base units: ha, t, m3, yuan, kWh, count, t C, t CO2e, m. */
static const struct unit_row units[] = {
    { EPV_UNIT_HA, EPV_UNIT_DIM_AREA, "ha", 1.0 },
    { EPV_UNIT_MU, EPV_UNIT_DIM_AREA, "mu", 1.0 / 15.0 },
    { EPV_UNIT_WAN_MU, EPV_UNIT_DIM_AREA, "wan_mu", 1e4 / 15.0 },
    { EPV_UNIT_KM2, EPV_UNIT_DIM_AREA, "km2", 100.0 },
    { EPV_UNIT_M2, EPV_UNIT_DIM_AREA, "m2", 1e-4 },
    { EPV_UNIT_T, EPV_UNIT_DIM_MASS, "t", 1.0 },
    { EPV_UNIT_KG, EPV_UNIT_DIM_MASS, "kg", 1e-3 },
    { EPV_UNIT_WAN_T, EPV_UNIT_DIM_MASS, "wan_t", 1e4 },
    { EPV_UNIT_M3, EPV_UNIT_DIM_VOLUME, "m3", 1.0 },
    { EPV_UNIT_WAN_M3, EPV_UNIT_DIM_VOLUME, "wan_m3", 1e4 },
    { EPV_UNIT_YI_M3, EPV_UNIT_DIM_VOLUME, "yi_m3", 1e8 },
    { EPV_UNIT_YUAN, EPV_UNIT_DIM_MONEY, "yuan", 1.0 },
    { EPV_UNIT_WAN_YUAN, EPV_UNIT_DIM_MONEY, "wan_yuan", 1e4 },
    { EPV_UNIT_YI_YUAN, EPV_UNIT_DIM_MONEY, "yi_yuan", 1e8 },
    { EPV_UNIT_KWH, EPV_UNIT_DIM_ENERGY, "kWh", 1.0 },
    { EPV_UNIT_WAN_KWH, EPV_UNIT_DIM_ENERGY, "wan_kWh", 1e4 },
    { EPV_UNIT_YI_KWH, EPV_UNIT_DIM_ENERGY, "yi_kWh", 1e8 },
    { EPV_UNIT_COUNT, EPV_UNIT_DIM_COUNT, "count", 1.0 },
    { EPV_UNIT_WAN_COUNT, EPV_UNIT_DIM_COUNT, "wan_count", 1e4 },
    { EPV_UNIT_T_C, EPV_UNIT_DIM_MASS_C, "tC", 1.0 },
    { EPV_UNIT_WAN_T_C, EPV_UNIT_DIM_MASS_C, "wan_tC", 1e4 },
    { EPV_UNIT_T_CO2E, EPV_UNIT_DIM_MASS_CO2, "tCO2e", 1.0 },
    { EPV_UNIT_WAN_T_CO2E, EPV_UNIT_DIM_MASS_CO2, "wan_tCO2e", 1e4 },
    { EPV_UNIT_M, EPV_UNIT_DIM_LENGTH, "m", 1.0 },
    { EPV_UNIT_MM, EPV_UNIT_DIM_LENGTH, "mm", 1e-3 },
    { EPV_UNIT_YI_T, EPV_UNIT_DIM_MASS, "yi_t", 1e8 },
};

static const struct unit_row *find_unit(epv_unit u)
{
    for (size_t i = 0; i < EPV__ARRAY_LEN(units); i++)
        if (units[i].unit == u) return &units[i];
    return NULL;
}

EPV_API epv_unit_dimension epv_unit_dimension_of(epv_unit u)
{
    const struct unit_row *r = find_unit(u);
    return r ? r->dim : EPV_UNIT_DIM_NONE;
}

EPV_API const char *epv_unit_symbol(epv_unit u)
{
    const struct unit_row *r = find_unit(u);
    return r ? r->symbol : NULL;
}

EPV_API int epv_unit_from_symbol(epv_ctx *ctx, const char *symbol, epv_unit *out)
{
    if (!symbol || !out) return epv__error(ctx, EPV_EINVAL, "unit: NULL argument");
    for (size_t i = 0; i < EPV__ARRAY_LEN(units); i++)
        if (strcmp(units[i].symbol, symbol) == 0) {
            *out = units[i].unit;
            return EPV_OK;
        }
    return epv__error(ctx, EPV_ENOTFOUND, "unit: unknown unit '%.40s'", symbol);
}

EPV_API int epv_unit_convert(epv_ctx *ctx, double value, epv_unit from, epv_unit to, double *out)
{
    const struct unit_row *f = find_unit(from), *t = find_unit(to);
    if (!out) return epv__error(ctx, EPV_EINVAL, "unit_convert: NULL output");
    if (!f || !t) return epv__error(ctx, EPV_EINVAL, "unit_convert: unknown unit code %d", f ? (int)to : (int)from);
    if (f->dim != t->dim)
        return epv__error(ctx, EPV_EUNITS, "unit_convert: cannot convert %s to %s", f->symbol, t->symbol);
    *out = value * (f->to_base / t->to_base);
    return EPV_OK;
}
