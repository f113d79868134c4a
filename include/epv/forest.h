/**
 * @file epv/forest.h
 * @brief Stand and stratum carbon: volume → biomass → carbon → CO2e, pools, IPCC methods.
 *
 * Methods (IPCC 2006 Guidelines, Vol. 4, ch. 2 and 4):
 *  - BEF method: above-ground biomass B_AG = V · D · BEF; below-ground B_BG = B_AG · R;
 *    carbon C = (B_AG + B_BG) · CF; CO2 = C · 44/12.
 *  - Fang's continuous BEF (Fang et al. 1996, 2001): stand biomass B = a · V + b.
 *  - Allometric: per-tree biomass from a user function of DBH and height, summed over a
 *    plot and scaled to a hectare.
 *  - Tier 1 growth: ΔC_G = A · G_W · (1 + R) · CF.
 *  - Gain-loss (ΔC = ΔC_G − ΔC_L) and stock difference (ΔC = (C_t2 − C_t1)/(t2 − t1)).
 *  - Dead wood, litter and soil, Tier 1: linear transition from the initial to the final
 *    stock over a default 20 years for land converted to forest; no change for forest
 *    remaining forest.
 * Units are in the names: t_ha (tonnes per hectare), tc (tonnes carbon), tco2 (tonnes CO2).
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

/** How stem volume becomes biomass. Values fixed. */
typedef enum epv_biomass_method {
    EPV_BIOMASS_BEF = 1, /**< V · D · BEF, roots by R */
    EPV_BIOMASS_FANG = 2 /**< Fang's continuous BEF a · V + b */
} epv_biomass_method;

/** Tree biomass and carbon of a stand, per hectare. */
typedef struct epv_stand_carbon {
    double agb_t_ha;     /**< above-ground biomass, t dry matter/ha */
    double bgb_t_ha;     /**< below-ground biomass, t dry matter/ha */
    double carbon_tc_ha; /**< tree carbon (above + below ground), t C/ha */
    double co2_t_ha;     /**< the same as CO2, t CO2/ha */
} epv_stand_carbon;

/**
 * Tree carbon per hectare from stem volume (m³/ha) for a species.
 * @return ::EPV_OK, ::EPV_ERANGE for negative or NaN volume, ::EPV_EINVAL when the species
 *         lacks the method's parameters (e.g. no Fang coefficients).
 */
EPV_API int epv_forest_carbon_from_volume(epv_ctx *ctx, const epv_species *species,
                                          epv_biomass_method method, double volume_m3_ha,
                                          epv_stand_carbon *out);

/**
 * Per-tree biomass function for the allometric method: writes the tree's above-ground
 * biomass in kg dry matter for a DBH (cm) and height (m), returns 0 or an EPV code.
 */
typedef int (*epv_allometric_fn)(double dbh_cm, double height_m, double *agb_kg, void *payload);

/** Power-law allometry agb_kg = a · DBH^b · H^c, a ready-made ::epv_allometric_fn payload. */
typedef struct epv_allometry_power {
    double a, b, c;
} epv_allometry_power;

/** ::epv_allometric_fn for an ::epv_allometry_power payload. */
EPV_API int epv_allometry_power_fn(double dbh_cm, double height_m, double *agb_kg, void *payload);

/**
 * Tree carbon per hectare from a plot's trees with an allometric equation.
 * @param plot_area_ha area of the plot the trees were measured on (> 0).
 */
EPV_API int epv_forest_carbon_from_trees(epv_ctx *ctx, epv_allometric_fn fn, void *payload,
                                         const double *dbh_cm, const double *height_m,
                                         size_t ntrees, double plot_area_ha, double root_shoot,
                                         double carbon_fraction, epv_stand_carbon *out);

/** IPCC Tier 1 annual carbon gain ΔC_G = A · G_W · (1 + R) · CF, t C/yr. */
EPV_API int epv_forest_tier1_gain(epv_ctx *ctx, const epv_ipcc_growth *growth, double area_ha,
                                  double carbon_fraction, double *gain_tc_yr);

/** Inputs of the IPCC gain-loss method for one stratum and year (unused terms 0). */
typedef struct epv_gain_loss_input {
    double area_ha;                 /**< A */
    double growth_t_dm_ha_yr;       /**< G_W above-ground growth (Tier 1); or 0 with the next two */
    double increment_m3_ha_yr;      /**< I_V net annual volume increment (Tier 2) */
    double bcef_i;                  /**< BCEF_I for the increment, t d.m./m³ */
    double root_shoot;              /**< R */
    double carbon_fraction;         /**< CF */
    double wood_removals_m3_yr;     /**< H, roundwood removals */
    double bcef_r;                  /**< BCEF_R for removals, t d.m./m³ */
    double fuelwood_trees_m3_yr;    /**< FG_trees, whole trees removed as fuelwood */
    double fuelwood_part_t_dm_yr;   /**< FG_part, parts of trees (t d.m.) */
    double disturbance_area_ha;     /**< A_disturbance */
    double disturbance_biomass_t_ha;/**< B_W, above-ground biomass of the disturbed area */
    double disturbance_fraction;    /**< f_d, fraction of biomass lost */
} epv_gain_loss_input;

/** Results of the gain-loss method, t C/yr. */
typedef struct epv_gain_loss_result {
    double gain_tc_yr;
    double loss_wood_tc_yr;
    double loss_fuelwood_tc_yr;
    double loss_disturbance_tc_yr;
    double net_tc_yr; /**< gain − losses */
} epv_gain_loss_result;

/** IPCC gain-loss method (Vol. 4 eq. 2.7, 2.9–2.14). */
EPV_API int epv_forest_gain_loss(epv_ctx *ctx, const epv_gain_loss_input *in, epv_gain_loss_result *out);

/** IPCC stock-difference method: (C_t2 − C_t1) / (t2 − t1), t C/yr; t2 > t1. */
EPV_API int epv_forest_stock_difference(epv_ctx *ctx, double carbon_t1_tc, double carbon_t2_tc,
                                        double t1, double t2, double *delta_tc_yr);

/**
 * Tier 1 linear transition of a dead-organic-matter or soil stock for land converted to
 * forest: stock(t) = initial + (final − initial) · min(t, T) / T, and the annual change
 * (final − initial)/T while t < T, 0 after. T is usually 20 years.
 */
EPV_API int epv_forest_transition(epv_ctx *ctx, double initial_tc_ha, double final_tc_ha,
                                  double years_since_conversion, double transition_years,
                                  double *stock_tc_ha, double *annual_change_tc_ha);

#ifdef __cplusplus
}
#endif
#endif /* EPV_FOREST_H */
