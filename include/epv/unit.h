/* SPDX-License-Identifier: GPL-3.0-or-later */
/**
 * @file epv/unit.h
 * @brief Units used in ecological accounting and conversions between them.
 *
 * Chinese statistics mix 亩 (mu), 万吨 (10^4 t) and 亿元 (10^8 yuan) with SI units; every
 * conversion goes through this module so a figure is never silently off by 15 or 10^4.
 * Conversion factors: 1 ha = 15 mu (exact by the 1990 definition, 1 mu = 10000/15 m²);
 * C to CO2 by molar masses 44/12; O2 per CO2 fixed in photosynthesis 32/44.
 * All functions are pure and thread-safe.
 */
#ifndef EPV_UNIT_H
#define EPV_UNIT_H

#include "epv/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Mu (亩) per hectare. */
#define EPV_UNIT_MU_PER_HA 15.0
/** Mass ratio CO2 : C (44/12). */
#define EPV_UNIT_CO2_PER_C (44.0 / 12.0)
/** Mass ratio O2 released : CO2 fixed (32/44). */
#define EPV_UNIT_O2_PER_CO2 (32.0 / 44.0)

/** Physical dimension of a unit. Units convert only within one dimension. */
typedef enum epv_unit_dimension {
    EPV_UNIT_DIM_NONE = 0,       /**< no dimension: an unknown unit or ::EPV_UNIT_NONE */
    EPV_UNIT_DIM_AREA = 1,       /**< area (base unit ha) */
    EPV_UNIT_DIM_MASS = 2,       /**< mass of a substance other than C or CO2e (base unit t) */
    EPV_UNIT_DIM_VOLUME = 3,     /**< volume (base unit m3) */
    EPV_UNIT_DIM_MONEY = 4,      /**< money (base unit yuan) */
    EPV_UNIT_DIM_ENERGY = 5,     /**< electric energy (base unit kWh) */
    EPV_UNIT_DIM_COUNT = 6,      /**< a count of items (persons, visits...) */
    EPV_UNIT_DIM_MASS_C = 7,     /**< mass of carbon (t C): converts to CO2 only explicitly */
    EPV_UNIT_DIM_MASS_CO2 = 8,   /**< mass of CO2 equivalent */
    EPV_UNIT_DIM_LENGTH = 9      /**< length or depth (base unit m) */
} epv_unit_dimension;

/** Units known to libepv. Values are fixed and only appended. */
typedef enum epv_unit {
    EPV_UNIT_NONE = 0,          /**< no unit (group indicators); not convertible */
    EPV_UNIT_HA = 1,            /**< hectare, "ha" */
    EPV_UNIT_MU = 2,            /**< 亩, 1/15 ha, "mu" */
    EPV_UNIT_KM2 = 3,           /**< square kilometre, 100 ha, "km2" */
    EPV_UNIT_M2 = 4,            /**< square metre, 10^-4 ha, "m2" */
    EPV_UNIT_WAN_MU = 5,        /**< 万亩, 10^4 mu, "wan_mu" */
    EPV_UNIT_T = 10,            /**< tonne, "t" */
    EPV_UNIT_KG = 11,           /**< kilogram, 10^-3 t, "kg" */
    EPV_UNIT_WAN_T = 12,        /**< 万吨, 10^4 t, "wan_t" */
    EPV_UNIT_M3 = 20,           /**< cubic metre, "m3" */
    EPV_UNIT_WAN_M3 = 21,       /**< 万立方米, 10^4 m3, "wan_m3" */
    EPV_UNIT_YI_M3 = 22,        /**< 亿立方米, 10^8 m3, "yi_m3" */
    EPV_UNIT_YUAN = 30,         /**< yuan (元), "yuan" */
    EPV_UNIT_WAN_YUAN = 31,     /**< 万元, 10^4 yuan, "wan_yuan" */
    EPV_UNIT_YI_YUAN = 32,      /**< 亿元, 10^8 yuan, "yi_yuan" */
    EPV_UNIT_KWH = 40,          /**< kilowatt-hour, "kWh" */
    EPV_UNIT_WAN_KWH = 41,      /**< 万千瓦时, 10^4 kWh, "wan_kWh" */
    EPV_UNIT_YI_KWH = 42,       /**< 亿千瓦时, 10^8 kWh, "yi_kWh" */
    EPV_UNIT_COUNT = 50,        /**< a count (persons, visits...), "count" */
    EPV_UNIT_WAN_COUNT = 51,    /**< 10^4 of a count, "wan_count" */
    EPV_UNIT_T_C = 60,          /**< tonne of carbon, "tC" */
    EPV_UNIT_WAN_T_C = 61,      /**< 10^4 t C, "wan_tC" */
    EPV_UNIT_T_CO2E = 70,       /**< tonne of CO2 equivalent, "tCO2e" */
    EPV_UNIT_WAN_T_CO2E = 71,   /**< 10^4 t CO2e, "wan_tCO2e" */
    EPV_UNIT_M = 80,            /**< metre, "m" */
    EPV_UNIT_MM = 81,           /**< millimetre, 10^-3 m, "mm" */
    EPV_UNIT_YI_T = 13 /**< 亿t (10^8 t), as published GEP accounts report soil and sand retained */
} epv_unit;

/**
 * Convert mu (亩) to hectares.
 * @param mu area in mu (any value; NaN gives NaN).
 * @return the area in ha, mu / 15.
 */
EPV_API double epv_unit_mu_to_ha(double mu);
/**
 * Convert hectares to mu (亩).
 * @param ha area in ha (any value; NaN gives NaN).
 * @return the area in mu, ha × 15.
 */
EPV_API double epv_unit_ha_to_mu(double ha);
/**
 * Convert tonnes of carbon to tonnes of CO2.
 * @param t_c mass of carbon, t C (any value; NaN gives NaN).
 * @return t CO2, t_c × 44/12.
 */
EPV_API double epv_unit_c_to_co2(double t_c);
/**
 * Convert tonnes of CO2 to tonnes of carbon.
 * @param t_co2 mass of CO2, t (any value; NaN gives NaN).
 * @return t C, t_co2 × 12/44.
 */
EPV_API double epv_unit_co2_to_c(double t_co2);
/**
 * Oxygen released with the fixation of the given CO2.
 * @param t_co2 CO2 fixed, t (any value; NaN gives NaN).
 * @return t O2, t_co2 × 32/44.
 */
EPV_API double epv_unit_co2_to_o2(double t_co2);

/**
 * Dimension of a unit.
 * @param u the unit.
 * @return its dimension; ::EPV_UNIT_DIM_NONE for ::EPV_UNIT_NONE or an unknown value.
 */
EPV_API epv_unit_dimension epv_unit_dimension_of(epv_unit u);
/**
 * Canonical ASCII symbol of a unit.
 * @param u the unit.
 * @return e.g. "ha", "mu", "wan_t", "yi_yuan", "tCO2e": a static string owned by the
 *         library; NULL for ::EPV_UNIT_NONE or an unknown value.
 */
EPV_API const char *epv_unit_symbol(epv_unit u);
/**
 * Look up a unit by its canonical symbol (exact, case-sensitive: "kWh").
 * @param ctx may be NULL; receives the message of an error.
 * @param symbol NUL-terminated symbol as epv_unit_symbol() gives it; must not be NULL.
 * @param[out] out receives the unit; must not be NULL; written only on success.
 * @return ::EPV_OK, ::EPV_EINVAL (NULL), ::EPV_ENOTFOUND (unknown symbol, named).
 */
EPV_API int epv_unit_from_symbol(epv_ctx *ctx, const char *symbol, epv_unit *out);
/**
 * Convert a value between two units of the same dimension.
 * @param ctx may be NULL; receives the message of an error.
 * @param value the value in unit `from` (not checked: NaN gives NaN).
 * @param from the unit of `value`.
 * @param to the unit wanted.
 * @param[out] out receives value × (size of `from` / size of `to`); must not be NULL; written
 *            only on success.
 * @return ::EPV_OK, ::EPV_EUNITS if the dimensions differ (e.g. t C to t CO2e: use
 *         epv_unit_c_to_co2() to make that step explicit), ::EPV_EINVAL for unknown units.
 */
EPV_API int epv_unit_convert(epv_ctx *ctx, double value, epv_unit from, epv_unit to, double *out);

#ifdef __cplusplus
}
#endif
#endif /* EPV_UNIT_H */
