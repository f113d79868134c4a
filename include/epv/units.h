/* SPDX-License-Identifier: GPL-3.0-or-later */
/**
 * @file epv/units.h
 * @brief Units used in ecological accounting and conversions between them.
 *
 * Chinese statistics mix 亩 (mu), 万吨 (10^4 t) and 亿元 (10^8 yuan) with SI units; every
 * conversion goes through this module so a figure is never silently off by 15 or 10^4.
 * Conversion factors: 1 ha = 15 mu (exact by the 1990 definition, 1 mu = 10000/15 m²);
 * C to CO2 by molar masses 44/12; O2 per CO2 fixed in photosynthesis 32/44.
 * All functions are pure and thread-safe.
 */
#ifndef EPV_UNITS_H
#define EPV_UNITS_H

#include "epv/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Mu (亩) per hectare. */
#define EPV_MU_PER_HA 15.0
/** Mass ratio CO2 : C (44/12). */
#define EPV_CO2_PER_C (44.0 / 12.0)
/** Mass ratio O2 released : CO2 fixed (32/44). */
#define EPV_O2_PER_CO2 (32.0 / 44.0)

/** Physical dimension of a unit. Units convert only within one dimension. */
typedef enum epv_dimension {
    EPV_DIM_NONE = 0,
    EPV_DIM_AREA = 1,
    EPV_DIM_MASS = 2,
    EPV_DIM_VOLUME = 3,
    EPV_DIM_MONEY = 4,
    EPV_DIM_ENERGY = 5,
    EPV_DIM_COUNT = 6,
    EPV_DIM_MASS_C = 7,     /**< mass of carbon (t C): converts to CO2 only explicitly */
    EPV_DIM_MASS_CO2 = 8,   /**< mass of CO2 equivalent */
    EPV_DIM_LENGTH = 9
} epv_dimension;

/** Units known to libepv. Values are fixed and only appended. */
typedef enum epv_unit {
    EPV_UNIT_NONE = 0,
    EPV_UNIT_HA = 1, EPV_UNIT_MU = 2, EPV_UNIT_KM2 = 3, EPV_UNIT_M2 = 4, EPV_UNIT_WAN_MU = 5,
    EPV_UNIT_T = 10, EPV_UNIT_KG = 11, EPV_UNIT_WAN_T = 12,
    EPV_UNIT_M3 = 20, EPV_UNIT_WAN_M3 = 21, EPV_UNIT_YI_M3 = 22,
    EPV_UNIT_YUAN = 30, EPV_UNIT_WAN_YUAN = 31, EPV_UNIT_YI_YUAN = 32,
    EPV_UNIT_KWH = 40, EPV_UNIT_WAN_KWH = 41, EPV_UNIT_YI_KWH = 42,
    EPV_UNIT_COUNT = 50, EPV_UNIT_WAN_COUNT = 51,
    EPV_UNIT_T_C = 60, EPV_UNIT_WAN_T_C = 61,
    EPV_UNIT_T_CO2E = 70, EPV_UNIT_WAN_T_CO2E = 71,
    EPV_UNIT_M = 80, EPV_UNIT_MM = 81,
    EPV_UNIT_YI_T = 13 /**< 亿t (10^8 t), as published GEP accounts report soil and sand retained */
} epv_unit;

/** Convert mu (亩) to hectares. */
EPV_API double epv_mu_to_ha(double mu);
/** Convert hectares to mu (亩). */
EPV_API double epv_ha_to_mu(double ha);
/** Convert tonnes of carbon to tonnes of CO2 (× 44/12). */
EPV_API double epv_c_to_co2(double t_c);
/** Convert tonnes of CO2 to tonnes of carbon (× 12/44). */
EPV_API double epv_co2_to_c(double t_co2);
/** Oxygen released (t O2) with the fixation of the given CO2 (t CO2), × 32/44. */
EPV_API double epv_co2_to_o2(double t_co2);

/** Dimension of a unit (::EPV_DIM_NONE for an unknown unit). */
EPV_API epv_dimension epv_unit_dimension(epv_unit u);
/** Canonical ASCII symbol of a unit, e.g. "ha", "mu", "wan_t", "yi_yuan", "tCO2e"; NULL if unknown. */
EPV_API const char *epv_unit_symbol(epv_unit u);
/** Look up a unit by its canonical symbol. ::EPV_ENOTFOUND if the symbol is unknown. */
EPV_API int epv_unit_from_symbol(epv_ctx *ctx, const char *symbol, epv_unit *out);
/**
 * Convert a value between two units of the same dimension.
 * @return ::EPV_OK, ::EPV_EUNITS if the dimensions differ (e.g. t C to t CO2e: use
 *         epv_c_to_co2() to make that step explicit), ::EPV_EINVAL for unknown units.
 */
EPV_API int epv_unit_convert(epv_ctx *ctx, double value, epv_unit from, epv_unit to, double *out);

#ifdef __cplusplus
}
#endif
#endif /* EPV_UNITS_H */
