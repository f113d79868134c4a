/* SPDX-License-Identifier: GPL-3.0-or-later */
/**
 * @file epv/forest.h
 * @brief Stand and stratum carbon: volume → biomass → carbon → CO2e, pools, IPCC methods.
 *
 * Methods (IPCC 2006 Guidelines, Vol. 4, ch. 2 and 4):
 *  - BEF method: above-ground biomass B_AG = V · D · BEF; below-ground B_BG = B_AG · R;
 *    carbon C = (B_AG + B_BG) · CF; CO2 = C · 44/12.
 *  - Fang's continuous BEF (Fang et al. 1996, 1998, 2001): B = a · V + b, where B is the
 *    TOTAL tree biomass of the stand (stems, branches, leaves AND roots; Fang et al. 2001
 *    convert "timber volume to total forest biomass"). libepv splits it with the species'
 *    root:shoot ratio R: B_AG = B/(1 + R), B_BG = B · R/(1 + R); C = B · CF. The regression
 *    is not valid at very small volumes: with b < 0 it predicts negative biomass below
 *    V = −b/a, which libepv takes as 0; with b > 0 it predicts b t/ha at V = 0, so stock
 *    changes should be counted from the stand's own starting value (as the sink module does).
 *  - Allometric: per-tree biomass from a user function of DBH and height, summed over a
 *    plot and scaled to a hectare.
 *  - Tier 1 growth: ΔC_G = A · G_W · (1 + R) · CF.
 *  - Gain-loss (ΔC = ΔC_G − ΔC_L) and stock difference (ΔC = (C_t2 − C_t1)/(t2 − t1)).
 *  - Dead wood, litter and soil, Tier 1: linear transition from the initial to the final
 *    stock over a default 20 years for land converted to forest; no change for forest
 *    remaining forest.
 * Units are in the names: t_ha (tonnes per hectare), tc (tonnes carbon), tco2 (tonnes CO2).
 *
 * Errors name the offending field (and the species code or tree index); on any error the
 * output is left untouched.
 *
 * Threads: all functions are reentrant.
 */
#ifndef EPV_FOREST_H
#define EPV_FOREST_H

#include "epv/common.h"
#include "epv/params.h"

#ifdef __cplusplus
extern "C" {
#endif

/** IPCC Tier 1 default transition time for land converted to forest, years. */
#define EPV_FOREST_TRANSITION_YEARS 20.0

/** How stem volume becomes biomass. Values fixed. */
typedef enum epv_forest_biomass_method {
    EPV_FOREST_BIOMASS_BEF = 1, /**< V · D · BEF, roots by R */
    EPV_FOREST_BIOMASS_FANG = 2 /**< Fang's continuous BEF a · V + b */
} epv_forest_biomass_method;

/** Version of ::epv_forest_stand_carbon this header describes. */
#define EPV_FOREST_STAND_CARBON_VERSION 1
/** Tree biomass and carbon of a stand, per hectare. */
typedef struct epv_forest_stand_carbon {
    unsigned int version; /**< ::EPV_FOREST_STAND_CARBON_VERSION */
    double agb_t_ha;     /**< above-ground biomass, t dry matter/ha */
    double bgb_t_ha;     /**< below-ground biomass, t dry matter/ha */
    double carbon_tc_ha; /**< tree carbon (above + below ground), t C/ha */
    double co2_t_ha;     /**< the same as CO2, t CO2/ha */
} epv_forest_stand_carbon;
/** Initialiser of ::epv_forest_stand_carbon. */
#define EPV_FOREST_STAND_CARBON_INIT { EPV_FOREST_STAND_CARBON_VERSION, 0.0, 0.0, 0.0, 0.0 }
/**
 * Function twin of ::EPV_FOREST_STAND_CARBON_INIT; ::EPV_EVERSION for an unknown version.
 * @param ctx may be NULL; receives the message of an error.
 * @param[out] x the struct to initialise (every field to its documented default);
 *            must not be NULL.
 * @param version the struct version the caller was built with (::EPV_FOREST_STAND_CARBON_VERSION).
 * @return ::EPV_OK, ::EPV_EINVAL (NULL `x`), ::EPV_EVERSION (version 0 or newer than
 *         this library knows; nothing written).
 */
EPV_API int epv_forest_stand_carbon_init(epv_ctx *ctx, epv_forest_stand_carbon *x, unsigned int version);

/**
 * Tree carbon per hectare from stem volume (m³/ha) for a species.
 * BEF method uses wood_density, bef, root_shoot and carbon_fraction; Fang's method uses
 * fang_a, fang_b, root_shoot (for the above/below-ground split) and carbon_fraction.
 * Accepted parameter ranges: 0 < wood_density <= 1.5 t/m³, 1 <= bef <= 10,
 * 0 <= root_shoot <= 5, 0 < carbon_fraction <= 1, 0 < fang_a <= 10 t/m³,
 * |fang_b| <= 1000 t/ha.
 * @param ctx may be NULL; receives the message of an error.
 * @param species the species row (from epv_params_species_find() or filled by the caller);
 *                must not be NULL; only read.
 * @param method ::EPV_FOREST_BIOMASS_BEF or ::EPV_FOREST_BIOMASS_FANG.
 * @param volume_m3_ha stem volume over bark, m³/ha (finite, >= 0).
 * @param[out] out versioned result (initialised by the caller); must not be NULL; written
 *            only on success.
 * @return ::EPV_OK, ::EPV_ERANGE for negative or NaN volume or a parameter outside its
 *         range, ::EPV_EINVAL when the species lacks the method's parameters (NaN, e.g. no
 *         Fang coefficients), a NULL argument or an unknown method.
 */
EPV_API int epv_forest_carbon_from_volume(epv_ctx *ctx, const epv_params_species *species,
                                          epv_forest_biomass_method method, double volume_m3_ha,
                                          epv_forest_stand_carbon *out);

/**
 * CO2 per m³ of stem-volume CHANGE, t CO2/m³: D · BEF · (1 + R) · CF · 44/12 (BEF method) or
 * a · CF · 44/12 (Fang). This is the exact slope of epv_forest_carbon_from_volume() wherever
 * the biomass is positive; use it for stock changes between two volumes.
 * Errors as epv_forest_carbon_from_volume().
 * @param ctx may be NULL; receives the message of an error.
 * @param species the species row (from epv_params_species_find() or filled by the caller);
 *                must not be NULL; only read.
 * @param method ::EPV_FOREST_BIOMASS_BEF or ::EPV_FOREST_BIOMASS_FANG.
 * @param[out] tco2_per_m3 receives t CO2 per m³ of volume change; must not be NULL.
 * @return as epv_forest_carbon_from_volume().
 */
EPV_API int epv_forest_co2_per_volume(epv_ctx *ctx, const epv_params_species *species,
                                      epv_forest_biomass_method method, double *tco2_per_m3);

/** Version of ::epv_forest_stratum_stock this header describes. */
#define EPV_FOREST_STRATUM_STOCK_VERSION 1
/** Tree biomass and carbon of a whole stratum (per-hectare values times its area). */
typedef struct epv_forest_stratum_stock {
    unsigned int version; /**< ::EPV_FOREST_STRATUM_STOCK_VERSION */
    double area_ha;  /**< the stratum's area, ha */
    double agb_t;    /**< above-ground biomass, t dry matter */
    double bgb_t;    /**< below-ground biomass, t dry matter */
    double carbon_tc;/**< tree carbon, t C */
    double co2_t;    /**< the same as CO2, t CO2 */
} epv_forest_stratum_stock;
/** Initialiser of ::epv_forest_stratum_stock. */
#define EPV_FOREST_STRATUM_STOCK_INIT { EPV_FOREST_STRATUM_STOCK_VERSION, 0.0, 0.0, 0.0, 0.0, 0.0 }
/**
 * Function twin of ::EPV_FOREST_STRATUM_STOCK_INIT; ::EPV_EVERSION for an unknown version.
 * @param ctx may be NULL; receives the message of an error.
 * @param[out] x the struct to initialise (every field to its documented default);
 *            must not be NULL.
 * @param version the struct version the caller was built with (::EPV_FOREST_STRATUM_STOCK_VERSION).
 * @return ::EPV_OK, ::EPV_EINVAL (NULL `x`), ::EPV_EVERSION (version 0 or newer than
 *         this library knows; nothing written).
 */
EPV_API int epv_forest_stratum_stock_init(epv_ctx *ctx, epv_forest_stratum_stock *x, unsigned int version);

/**
 * Tree carbon of a stratum of area_ha (>= 0) from its mean stem volume per hectare: the
 * per-hectare result of epv_forest_carbon_from_volume() multiplied by the area.
 * @param ctx may be NULL; receives the message of an error.
 * @param species the species row (from epv_params_species_find() or filled by the caller);
 *                must not be NULL; only read.
 * @param method ::EPV_FOREST_BIOMASS_BEF or ::EPV_FOREST_BIOMASS_FANG.
 * @param volume_m3_ha mean stem volume of the stratum, m³/ha (finite, >= 0).
 * @param area_ha area of the stratum, ha (finite, >= 0).
 * @param[out] out versioned result (initialised by the caller); must not be NULL; written
 *            only on success.
 * @return as epv_forest_carbon_from_volume(), and ::EPV_ERANGE for a negative or NaN area.
 */
EPV_API int epv_forest_stratum_carbon(epv_ctx *ctx, const epv_params_species *species,
                                      epv_forest_biomass_method method, double volume_m3_ha,
                                      double area_ha, epv_forest_stratum_stock *out);

/**
 * Per-tree biomass function for the allometric method: writes the tree's above-ground
 * biomass in kg dry matter for a DBH (cm) and height (m), returns 0 or a negative EPV code
 * (a positive return is treated as ::EPV_EINVAL). height_m is NaN when the caller gave no
 * heights. Called from the caller's thread, once per tree, in order.
 */
typedef int (*epv_forest_allometric_fn)(double dbh_cm, double height_m, double *agb_kg, void *payload);

/** Version of ::epv_forest_allometry_power this header describes. */
#define EPV_FOREST_ALLOMETRY_POWER_VERSION 1
/** Power-law allometry agb_kg = a · DBH^b · H^c, a ready-made ::epv_forest_allometric_fn payload. */
typedef struct epv_forest_allometry_power {
    unsigned int version; /**< ::EPV_FOREST_ALLOMETRY_POWER_VERSION */
    double a; /**< coefficient a of agb_kg = a · DBH^b · H^c (> 0) */
    double b; /**< exponent b of DBH */
    double c; /**< exponent c of H (0: no height) */
} epv_forest_allometry_power;
/** Initialiser of ::epv_forest_allometry_power. */
#define EPV_FOREST_ALLOMETRY_POWER_INIT { EPV_FOREST_ALLOMETRY_POWER_VERSION, 0.0, 0.0, 0.0 }
/**
 * Function twin of ::EPV_FOREST_ALLOMETRY_POWER_INIT; ::EPV_EVERSION for an unknown version.
 * @param ctx may be NULL; receives the message of an error.
 * @param[out] x the struct to initialise (every field to its documented default);
 *            must not be NULL.
 * @param version the struct version the caller was built with (::EPV_FOREST_ALLOMETRY_POWER_VERSION).
 * @return ::EPV_OK, ::EPV_EINVAL (NULL `x`), ::EPV_EVERSION (version 0 or newer than
 *         this library knows; nothing written).
 */
EPV_API int epv_forest_allometry_power_init(epv_ctx *ctx, epv_forest_allometry_power *x, unsigned int version);

/**
 * ::epv_forest_allometric_fn for an ::epv_forest_allometry_power payload (a > 0, all finite). H^c is left
 * out when c == 0, so DBH-only equations need no height.
 * @param dbh_cm diameter at breast height, cm (finite, >= 0).
 * @param height_m tree height, m (finite, >= 0); NaN when no height was given (allowed
 *                 only with c == 0).
 * @param[out] agb_kg receives the above-ground biomass, kg dry matter; must not be NULL.
 * @param payload a `const` ::epv_forest_allometry_power (a version 1 struct); must not be NULL.
 * @return ::EPV_OK, ::EPV_EINVAL for a NULL or invalid payload or pointer, ::EPV_EVERSION
 *         for a payload version this library does not know, ::EPV_ERANGE for a negative or
 *         NaN DBH or height (or a missing height with c != 0) or a non-finite result. No
 *         message is set (there is no context).
 */
EPV_API int epv_forest_allometry_power_fn(double dbh_cm, double height_m, double *agb_kg, void *payload);

/**
 * Tree carbon per hectare from a plot's trees with an allometric equation:
 * B_AG = Σ fn(DBH_i, H_i) / 1000 / plot_area_ha (t/ha), B_BG = B_AG · R,
 * C = (B_AG + B_BG) · CF, CO2 = C · 44/12.
 * @param ctx may be NULL; receives the message of an error.
 * @param fn per-tree biomass function (e.g. epv_forest_allometry_power_fn()); must not be
 *           NULL. Called once per tree, in order, from the calling thread.
 * @param payload passed to `fn` unchanged; may be NULL if `fn` allows it; not owned.
 * @param dbh_cm array of ntrees diameters at breast height (cm, >= 0); may be NULL only
 *               when ntrees is 0.
 * @param height_m array of ntrees heights (m, >= 0), or NULL (fn then receives NaN).
 * @param plot_area_ha area of the plot the trees were measured on (> 0).
 * @param ntrees number of trees measured on the plot (0: an empty plot, results 0).
 * @param root_shoot R (0..5).
 * @param carbon_fraction CF (0 < CF <= 1), t C per t dry matter.
 * @param[out] out versioned per-hectare result (initialised by the caller); must not be
 *            NULL; written only on success.
 * @return ::EPV_OK; ::EPV_ERANGE naming plot_area_ha, root_shoot, carbon_fraction or
 *         "tree i" with its dbh_cm/height_m; the callback's own code, with a message naming
 *         the tree; ::EPV_EDOMAIN if the callback returns a negative or non-finite biomass.
 */
EPV_API int epv_forest_carbon_from_trees(epv_ctx *ctx, epv_forest_allometric_fn fn, void *payload,
                                         const double *dbh_cm, const double *height_m,
                                         size_t ntrees, double plot_area_ha, double root_shoot,
                                         double carbon_fraction, epv_forest_stand_carbon *out);

/**
 * IPCC Tier 1 annual carbon gain ΔC_G = A · G_W · (1 + R) · CF, t C/yr (Vol. 4 eq. 2.9 and
 * 2.10), with G_W and R from the growth row (R must not be NaN).
 * @param ctx may be NULL; receives the message of an error.
 * @param growth the IPCC growth row (epv_params_ipcc_growth_find()); must not be NULL.
 * @param area_ha area A, ha (finite, >= 0).
 * @param carbon_fraction CF, t C per t dry matter (0 < CF <= 1).
 * @param[out] gain_tc_yr receives ΔC_G, t C/yr; must not be NULL; written only on success.
 * @return ::EPV_OK, ::EPV_EINVAL (NULL argument, R missing from the row), ::EPV_EVERSION
 *         (version of `growth`), ::EPV_ERANGE (negative or NaN area or growth, R or CF out
 *         of range).
 */
EPV_API int epv_forest_tier1_gain(epv_ctx *ctx, const epv_params_ipcc_growth *growth, double area_ha,
                                  double carbon_fraction, double *gain_tc_yr);

/** Version of ::epv_forest_gain_loss_input this header describes. */
#define EPV_FOREST_GAIN_LOSS_INPUT_VERSION 1
/** Inputs of the IPCC gain-loss method for one stratum and year (unused terms 0). */
typedef struct epv_forest_gain_loss_input {
    unsigned int version; /**< ::EPV_FOREST_GAIN_LOSS_INPUT_VERSION */
    double area_ha;                 /**< A */
    double growth_t_dm_ha_yr;       /**< G_W above-ground growth (Tier 1); or 0 with the next two */
    double increment_m3_ha_yr;      /**< I_V net annual volume increment (Tier 2) */
    double bcef_i;                  /**< BCEF_I for the increment, t d.m./m³ */
    double root_shoot;              /**< R */
    double carbon_fraction;         /**< CF */
    double wood_removals_m3_yr;     /**< H, roundwood removals */
    double bcef_r;                  /**< BCEF_R for removals, t d.m./m³ */
    double fuelwood_trees_m3_yr;    /**< FG_trees, whole trees removed as fuelwood */
    double fuelwood_part_t_dm_yr;   /**< FG_part · D: IPCC gives FG_part as m³/yr of tree parts; pass it times the basic wood density D (t d.m./m³) */
    double disturbance_area_ha;     /**< A_disturbance */
    double disturbance_biomass_t_ha;/**< B_W, above-ground biomass of the disturbed area */
    double disturbance_fraction;    /**< f_d, fraction of biomass lost */
} epv_forest_gain_loss_input;
/** Initialiser of ::epv_forest_gain_loss_input. */
#define EPV_FOREST_GAIN_LOSS_INPUT_INIT { EPV_FOREST_GAIN_LOSS_INPUT_VERSION, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0 }
/**
 * Function twin of ::EPV_FOREST_GAIN_LOSS_INPUT_INIT; ::EPV_EVERSION for an unknown version.
 * @param ctx may be NULL; receives the message of an error.
 * @param[out] x the struct to initialise (every field to its documented default);
 *            must not be NULL.
 * @param version the struct version the caller was built with (::EPV_FOREST_GAIN_LOSS_INPUT_VERSION).
 * @return ::EPV_OK, ::EPV_EINVAL (NULL `x`), ::EPV_EVERSION (version 0 or newer than
 *         this library knows; nothing written).
 */
EPV_API int epv_forest_gain_loss_input_init(epv_ctx *ctx, epv_forest_gain_loss_input *x, unsigned int version);

/** Version of ::epv_forest_gain_loss_result this header describes. */
#define EPV_FOREST_GAIN_LOSS_RESULT_VERSION 1
/** Results of the gain-loss method, t C/yr. */
typedef struct epv_forest_gain_loss_result {
    unsigned int version; /**< ::EPV_FOREST_GAIN_LOSS_RESULT_VERSION */
    double gain_tc_yr;             /**< ΔC_G, eq. 2.9 */
    double loss_wood_tc_yr;        /**< L_wood-removals, eq. 2.12 */
    double loss_fuelwood_tc_yr;    /**< L_fuelwood, eq. 2.13 */
    double loss_disturbance_tc_yr; /**< L_disturbance, eq. 2.14 */
    double net_tc_yr; /**< gain − losses */
} epv_forest_gain_loss_result;
/** Initialiser of ::epv_forest_gain_loss_result. */
#define EPV_FOREST_GAIN_LOSS_RESULT_INIT { EPV_FOREST_GAIN_LOSS_RESULT_VERSION, 0.0, 0.0, 0.0, 0.0, 0.0 }
/**
 * Function twin of ::EPV_FOREST_GAIN_LOSS_RESULT_INIT; ::EPV_EVERSION for an unknown version.
 * @param ctx may be NULL; receives the message of an error.
 * @param[out] x the struct to initialise (every field to its documented default);
 *            must not be NULL.
 * @param version the struct version the caller was built with (::EPV_FOREST_GAIN_LOSS_RESULT_VERSION).
 * @return ::EPV_OK, ::EPV_EINVAL (NULL `x`), ::EPV_EVERSION (version 0 or newer than
 *         this library knows; nothing written).
 */
EPV_API int epv_forest_gain_loss_result_init(epv_ctx *ctx, epv_forest_gain_loss_result *x, unsigned int version);

/**
 * IPCC gain-loss method (Vol. 4 eq. 2.7, 2.9–2.14):
 *   gain            ΔC_G = A · G_TOTAL · CF, G_TOTAL = G_W · (1 + R) or I_V · BCEF_I · (1 + R)
 *   wood removals   L_wood = H · BCEF_R · (1 + R) · CF
 *   fuelwood        L_fuel = [FG_trees · BCEF_R · (1 + R) + FG_part · D] · CF
 *   disturbance     L_dist = A_dist · B_W · (1 + R) · CF · f_d
 *   net             ΔC_B = ΔC_G − (L_wood + L_fuel + L_dist)
 * Every input must be finite and >= 0; 0 < CF <= 1; f_d <= 1; G_W and I_V are alternatives
 * (both > 0 is ::EPV_EINVAL); a BCEF must be > 0 when its volume is.
 * @param ctx may be NULL; receives the message of an error.
 * @param in versioned inputs of one stratum and year; must not be NULL.
 * @param[out] out versioned results, t C/yr (initialised by the caller); must not be NULL;
 *            written only on success.
 * @return ::EPV_OK, ::EPV_EINVAL (NULL, both G_W and I_V, a missing BCEF), ::EPV_EVERSION,
 *         ::EPV_ERANGE (a negative or NaN input naming the field, R or CF out of range,
 *         f_d > 1, a result that overflows).
 */
EPV_API int epv_forest_gain_loss(epv_ctx *ctx, const epv_forest_gain_loss_input *in, epv_forest_gain_loss_result *out);

/**
 * IPCC stock-difference method (Vol. 4 eq. 2.8): (C_t2 − C_t1) / (t2 − t1), t C/yr.
 * Stocks finite and >= 0, times finite and t2 > t1.
 * @param ctx may be NULL; receives the message of an error.
 * @param carbon_t1_tc carbon stock at t1, t C.
 * @param carbon_t2_tc carbon stock at t2, t C.
 * @param t1 time of the first inventory, years (e.g. 2015.0).
 * @param t2 time of the second inventory, years; > t1.
 * @param[out] delta_tc_yr receives the annual stock change, t C/yr (negative for a loss);
 *            must not be NULL; written only on success.
 * @return ::EPV_OK, ::EPV_EINVAL (NULL output), ::EPV_ERANGE (naming the field).
 */
EPV_API int epv_forest_stock_difference(epv_ctx *ctx, double carbon_t1_tc, double carbon_t2_tc,
                                        double t1, double t2, double *delta_tc_yr);

/**
 * Tier 1 linear transition of a dead-organic-matter or soil stock for land converted to
 * forest: stock(t) = initial + (final − initial) · min(t, T) / T, and the annual change
 * (final − initial)/T while t < T, 0 after. T is usually 20 years
 * (::EPV_FOREST_TRANSITION_YEARS; IPCC 2006 Vol. 4 eq. 2.23 for dead organic matter and
 * eq. 2.25, ΔC = (SOC_0 − SOC_(0−T))/D, for soil). Stocks >= 0, t >= 0, T > 0; either
 * output pointer may be NULL.
 * @param ctx may be NULL; receives the message of an error.
 * @param initial_tc_ha stock before conversion, t C/ha (finite, >= 0).
 * @param final_tc_ha stock of the forest at equilibrium, t C/ha (finite, >= 0).
 * @param years_since_conversion t, years (>= 0).
 * @param transition_years T, years (> 0); usually ::EPV_FOREST_TRANSITION_YEARS.
 * @param[out] stock_tc_ha receives the stock at t, t C/ha; may be NULL.
 * @param[out] annual_change_tc_ha receives the annual change at t, t C/ha/yr; may be NULL
 *            (but not both).
 * @return ::EPV_OK, ::EPV_EINVAL (both outputs NULL), ::EPV_ERANGE (naming the field).
 */
EPV_API int epv_forest_transition(epv_ctx *ctx, double initial_tc_ha, double final_tc_ha,
                                  double years_since_conversion, double transition_years,
                                  double *stock_tc_ha, double *annual_change_tc_ha);

#ifdef __cplusplus
}
#endif
#endif /* EPV_FOREST_H */
