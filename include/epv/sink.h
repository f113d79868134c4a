/* SPDX-License-Identifier: GPL-3.0-or-later */
/**
 * @file epv/sink.h
 * @brief Project-level forest carbon sink estimation after the CCER forestry methodologies.
 *        Projects are defined in epv/project.h.
 *
 * A project (afforestation after CCER-14-001-V01 / AR-CM-001-V01, or forest management after
 * AR-CM-003-V01) is a set of strata. Each stratum has a species, an area, a planting year
 * and a stem-volume growth curve (m³/ha against age); forest-management strata also carry
 * the baseline curve the stand would follow without the project. For every calendar year
 * of the crediting period libepv computes, per stratum and in total (t CO2e):
 *
 *   project removals   ΔC_P  = stock(end of year) − stock(end of previous year), where the
 *                               tree stock is volume → biomass → carbon → CO2 by the forest
 *                               module (BEF or Fang method), plus optional soil carbon by the
 *                               IPCC Tier 1 20-year linear transition;
 *   project emissions  GHG_E = pre-existing shrubs cleared at planting (CDM AR-Tool14:
 *                               B_shrub = (1 + R_s)·CC·BDR_SF·B_forest, CF_s = 0.47) plus
 *                               carbon lost in recorded disturbances (fire, pests);
 *   baseline removals  ΔC_BSL = growth of the baseline curve (forest management) plus a
 *                               per-hectare baseline rate (e.g. growing shrubs);
 *   leakage            LK    = leakage_fraction · (ΔC_P − GHG_E − ΔC_BSL), zero by default
 *                               as in AR-CM-001;
 *   net removals       ΔC_net = ΔC_P − GHG_E − ΔC_BSL − LK.
 *
 * Timing: a stratum is planted at the start of its planting year, so at the end of calendar
 * year y its age is y − planting_year + 1. Stock is counted from planting: the curve's
 * value at age 0 (non-zero for some models) is subtracted, so an afforestation stratum
 * starts from zero tree carbon.
 *
 * Threads: a project is read-only during estimation, which may use the context's worker
 * threads (epv_ctx_set_threads); results do not depend on the number of threads.
 */
#ifndef EPV_SINK_H
#define EPV_SINK_H

#include "epv/common.h"
#include "epv/params.h"
#include "epv/growth.h"
#include "epv/forest.h"
#include "epv/project.h"
#include "epv/unc.h"
#include "epv/mc.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Shortest crediting period accepted for forestry projects, years. */
#define EPV_SINK_CREDITING_MIN_YEARS 20
/** Longest crediting period accepted for forestry projects, years. */
#define EPV_SINK_CREDITING_MAX_YEARS 40

/** AR-Tool14 default for shrubs: root:shoot ratio R_s. */
#define EPV_SINK_SHRUB_ROOT_SHOOT 0.40
/** AR-Tool14 default for shrubs: BDR_SF, shrub biomass per unit crown cover relative to forest. */
#define EPV_SINK_SHRUB_BDR_SF 0.10
/** AR-Tool14 default for shrubs: carbon fraction CF_s. */
#define EPV_SINK_SHRUB_CARBON_FRACTION 0.47

/** Version of ::epv_sink_year this header describes. */
#define EPV_SINK_YEAR_VERSION 1
/** One year of a result (t CO2e; a stratum's or the whole project's); written by the library. */
typedef struct epv_sink_year {
    unsigned int version;          /**< ::EPV_SINK_YEAR_VERSION */
    int year;                      /**< calendar year */
    double stock_tco2;             /**< project carbon stock at the end of the year */
    double project_removals_tco2;  /**< ΔC_P */
    double project_emissions_tco2; /**< GHG_E */
    double baseline_removals_tco2; /**< ΔC_BSL */
    double leakage_tco2;           /**< LK */
    double net_removals_tco2;      /**< ΔC_net */
    double cumulative_net_tco2;    /**< Σ ΔC_net since the start of the crediting period */
} epv_sink_year;
/** Initialiser of ::epv_sink_year. */
#define EPV_SINK_YEAR_INIT { EPV_SINK_YEAR_VERSION, 0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0 }
/**
 * Function twin of ::EPV_SINK_YEAR_INIT; ::EPV_EVERSION for an unknown version.
 * @param ctx may be NULL; receives the message of an error.
 * @param[out] x the struct to initialise (every field to its documented default);
 *            must not be NULL.
 * @param version the struct version the caller was built with (::EPV_SINK_YEAR_VERSION).
 * @return ::EPV_OK, ::EPV_EINVAL (NULL `x`), ::EPV_EVERSION (version 0 or newer than
 *         this library knows; nothing written).
 */
EPV_API int epv_sink_year_init(epv_ctx *ctx, epv_sink_year *x, unsigned int version);

/** Version of ::epv_sink_period this header describes. */
#define EPV_SINK_PERIOD_VERSION 1
/** Totals over a span of years; written by the library. */
typedef struct epv_sink_period {
    unsigned int version;           /**< ::EPV_SINK_PERIOD_VERSION */
    int first_year;                 /**< first calendar year (inclusive) */
    int last_year;                  /**< last calendar year (inclusive) */
    double net_removals_tco2;       /**< Σ ΔC_net */
    double mean_net_tco2_yr;        /**< Σ ΔC_net / number of years */
    double project_removals_tco2;   /**< Σ ΔC_P */
    double project_emissions_tco2;  /**< Σ GHG_E */
    double baseline_removals_tco2;  /**< Σ ΔC_BSL */
    double leakage_tco2;            /**< Σ LK */
} epv_sink_period;
/** Initialiser of ::epv_sink_period. */
#define EPV_SINK_PERIOD_INIT { EPV_SINK_PERIOD_VERSION, 0, 0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0 }
/**
 * Function twin of ::EPV_SINK_PERIOD_INIT; ::EPV_EVERSION for an unknown version.
 * @param ctx may be NULL; receives the message of an error.
 * @param[out] x the struct to initialise (every field to its documented default);
 *            must not be NULL.
 * @param version the struct version the caller was built with (::EPV_SINK_PERIOD_VERSION).
 * @return ::EPV_OK, ::EPV_EINVAL (NULL `x`), ::EPV_EVERSION (version 0 or newer than
 *         this library knows; nothing written).
 */
EPV_API int epv_sink_period_init(epv_ctx *ctx, epv_sink_period *x, unsigned int version);

/** Opaque estimation result. */
typedef struct epv_sink_result epv_sink_result;

/**
 * Estimate a project over its crediting period (epv_sink_estimate_ex() with
 * ::EPV_SINK_OPTIONS_INIT).
 * @param ctx required (the result allocates from it and must not outlive it); ::EPV_EINVAL if
 *            NULL.
 * @param project the project, with at least one stratum; must not be NULL; only read.
 * @param params if not NULL, species parameters are read again from this table (so values
 *        overridden after the project was loaded take effect); NULL uses the parameters
 *        resolved when each stratum was added.
 * @param[out] out receives the result (free with epv_sink_result_free()); must not be NULL.
 * @return as epv_sink_estimate_ex().
 */
EPV_API int epv_sink_estimate(epv_ctx *ctx, const epv_project *project, const epv_params *params,
                              epv_sink_result **out);
/** Version of ::epv_sink_options this header describes. */
#define EPV_SINK_OPTIONS_VERSION 1
/** Options of epv_sink_estimate_ex(). Start from ::EPV_SINK_OPTIONS_INIT. */
typedef struct epv_sink_options {
    unsigned int version; /**< ::EPV_SINK_OPTIONS_VERSION */
    int years;       /**< years to project from the start year; 0: the crediting period (max 200) */
    int keep_strata; /**< 1: keep per-stratum figures (memory grows with strata × years); 0: totals only */
} epv_sink_options;

/** Initialiser of ::epv_sink_options: the crediting period, per-stratum figures kept. */
#define EPV_SINK_OPTIONS_INIT { EPV_SINK_OPTIONS_VERSION, 0, 1 }
/**
 * Function twin of ::EPV_SINK_OPTIONS_INIT; ::EPV_EVERSION for an unknown version.
 * @param ctx may be NULL; receives the message of an error.
 * @param[out] x the struct to initialise (every field to its documented default);
 *            must not be NULL.
 * @param version the struct version the caller was built with (::EPV_SINK_OPTIONS_VERSION).
 * @return ::EPV_OK, ::EPV_EINVAL (NULL `x`), ::EPV_EVERSION (version 0 or newer than
 *         this library knows; nothing written).
 */
EPV_API int epv_sink_options_init(epv_ctx *ctx, epv_sink_options *x, unsigned int version);
/**
 * Estimate with options: e.g. project beyond the crediting period for planning, or keep
 * only totals for very large projects (per-stratum queries then return ::EPV_ESTATE).
 * @param ctx required (the result allocates from it and must not outlive it); ::EPV_EINVAL if
 *            NULL.
 * @param project the project, with at least one stratum; must not be NULL; only read.
 * @param params NULL, or the table species parameters are read from again (as
 *               epv_sink_estimate()).
 * @param options versioned options; must not be NULL.
 * @param[out] out receives the result (free with epv_sink_result_free()); must not be NULL.
 * @return ::EPV_OK; ::EPV_EINVAL (NULL argument); ::EPV_EVERSION; ::EPV_ESTATE (project
 *         without strata); ::EPV_ERANGE (options.years outside 0-200, or a stratum's input);
 *         ::EPV_ENOTFOUND (a species missing from `params`); the errors of the growth and
 *         forest functions for a stratum (e.g. ::EPV_EDOMAIN), prefixed with the stratum;
 *         ::EPV_ENOMEM.
 */
EPV_API int epv_sink_estimate_ex(epv_ctx *ctx, const epv_project *project, const epv_params *params,
                                 const epv_sink_options *options, epv_sink_result **out);
/**
 * Free a result (pointers it handed out become invalid).
 * @param result the result; NULL is a no-op.
 */
EPV_API void epv_sink_result_free(epv_sink_result *result);
/**
 * Number of years estimated (the crediting period unless options said otherwise).
 * @param result the result; may be NULL (then 0).
 * @return the number of years.
 */
EPV_API size_t epv_sink_result_years(const epv_sink_result *result);
/**
 * Project totals for one year.
 * @param ctx may be NULL; receives the message of an error.
 * @param result the result; must not be NULL.
 * @param i year index, 0 = start year, up to epv_sink_result_years() - 1.
 * @param[out] out versioned year (initialised with ::EPV_SINK_YEAR_INIT); written only on
 *            success.
 * @return ::EPV_OK, ::EPV_EINVAL (NULL), ::EPV_EVERSION, ::EPV_ERANGE (`i` out of range).
 */
EPV_API int epv_sink_result_year(epv_ctx *ctx, const epv_sink_result *result, size_t i, epv_sink_year *out);
/**
 * One stratum's figures for one year.
 * @param ctx may be NULL; receives the message of an error.
 * @param result the result; must not be NULL.
 * @param stratum stratum index, in project order (epv_project_stratum_at()).
 * @param i year index, 0 = start year.
 * @param[out] out versioned year (initialised by the caller); written only on success.
 * @return ::EPV_OK, ::EPV_EINVAL (NULL), ::EPV_EVERSION, ::EPV_ERANGE (an index out of
 *         range), ::EPV_ESTATE (estimated with keep_strata = 0).
 */
EPV_API int epv_sink_result_stratum_year(epv_ctx *ctx, const epv_sink_result *result, size_t stratum,
                                         size_t i, epv_sink_year *out);
/**
 * Totals for the calendar years first..last (inclusive, within the years estimated).
 * @param ctx may be NULL; receives the message of an error.
 * @param result the result; must not be NULL.
 * @param first_year first calendar year of the span.
 * @param last_year last calendar year of the span, >= first_year.
 * @param[out] out versioned totals (initialised by the caller); written only on success.
 * @return ::EPV_OK, ::EPV_EINVAL (NULL), ::EPV_EVERSION, ::EPV_ERANGE (span outside the
 *         years estimated or reversed).
 */
EPV_API int epv_sink_result_period(epv_ctx *ctx, const epv_sink_result *result, int first_year,
                                   int last_year, epv_sink_period *out);
/** Columns of a result (the members of ::epv_sink_year). Values fixed, only appended. */
typedef enum epv_sink_col {
    EPV_SINK_COL_STOCK = 1,             /**< stock_tco2 */
    EPV_SINK_COL_PROJECT_REMOVALS = 2,  /**< project_removals_tco2 */
    EPV_SINK_COL_PROJECT_EMISSIONS = 3, /**< project_emissions_tco2 */
    EPV_SINK_COL_BASELINE_REMOVALS = 4, /**< baseline_removals_tco2 */
    EPV_SINK_COL_LEAKAGE = 5,           /**< leakage_tco2 */
    EPV_SINK_COL_NET_REMOVALS = 6,      /**< net_removals_tco2 */
    EPV_SINK_COL_CUMULATIVE_NET = 7     /**< cumulative_net_tco2 */
} epv_sink_col;

/**
 * One column of the project totals, one value per year (index 0 = start year), in one call.
 * @param ctx may be NULL; receives the message of an error.
 * @param result the result; must not be NULL.
 * @param col the column.
 * @param[out] values receives a pointer owned by the result, valid for the result's life.
 * @param[out] n receives epv_sink_result_years().
 * @return ::EPV_OK, ::EPV_EINVAL (NULL or unknown column), ::EPV_ENOMEM.
 */
EPV_API int epv_sink_result_column(epv_ctx *ctx, const epv_sink_result *result, epv_sink_col col,
                                   const double **values, size_t *n);
/**
 * One column for every stratum and year in one call: a strata × years matrix, row-major
 * (values[s * years + i] is stratum s, year index i; strata in project order).
 * @param ctx may be NULL; receives the message of an error.
 * @param result the result; must not be NULL.
 * @param col the column.
 * @param[out] values receives a pointer owned by the result, valid for the result's life.
 * @param[out] nstrata receives the number of rows (strata); must not be NULL.
 * @param[out] nyears receives the number of columns (years); must not be NULL.
 * @return ::EPV_OK, ::EPV_EINVAL (NULL or unknown column), ::EPV_ESTATE (estimated with
 *         keep_strata = 0), ::EPV_ENOMEM.
 */
EPV_API int epv_sink_result_stratum_column(epv_ctx *ctx, const epv_sink_result *result,
                                           epv_sink_col col, const double **values,
                                           size_t *nstrata, size_t *nyears);
/**
 * The calendar years of the result (years[i] = start year + i).
 * @param ctx may be NULL; receives the message of an error.
 * @param result the result; must not be NULL.
 * @param[out] years receives a pointer owned by the result, valid for the result's life.
 * @param[out] n receives epv_sink_result_years(); must not be NULL.
 * @return ::EPV_OK, ::EPV_EINVAL (NULL), ::EPV_ENOMEM.
 */
EPV_API int epv_sink_result_years_i64(epv_ctx *ctx, const epv_sink_result *result,
                                      const epv_i64 **years, size_t *n);

/**
 * Write the yearly project totals (and per-stratum net removals) as CSV, through a temporary
 * file renamed into place (an existing file is replaced only on success).
 * @param ctx may be NULL; receives the message of an error.
 * @param result the result; must not be NULL.
 * @param path file to write; must not be NULL.
 * @return ::EPV_OK, ::EPV_EINVAL (NULL), ::EPV_EIO (cannot write, naming the path),
 *         ::EPV_ENOMEM.
 */
EPV_API int epv_sink_result_write_csv(epv_ctx *ctx, const epv_sink_result *result, const char *path);
/**
 * Write an SVG line chart of cumulative net removals (t CO2e) against year, with an
 * optional reference line of `reference_tco2_yr` per year (0: none) labelled `reference_label`.
 * The axis is in 10^4 t CO2e. Written through a temporary file renamed into place.
 * @param ctx the context (scratch memory, messages); must not be NULL.
 * @param result the result; must not be NULL.
 * @param path file to write; must not be NULL.
 * @param title chart title (UTF-8, escaped); NULL: "Cumulative net removals".
 * @param reference_tco2_yr slope of the reference line, t CO2e per year (finite, >= 0).
 * @param reference_label legend text of the reference line; may be NULL.
 * @return ::EPV_OK, ::EPV_EINVAL (NULL), ::EPV_ERANGE (reference_tco2_yr), ::EPV_EIO,
 *         ::EPV_ENOMEM.
 */
EPV_API int epv_sink_result_write_svg(epv_ctx *ctx, const epv_sink_result *result, const char *path,
                                      const char *title, double reference_tco2_yr,
                                      const char *reference_label);

/** Version of ::epv_sink_plausibility this header describes. */
#define EPV_SINK_PLAUSIBILITY_VERSION 1
/** Where a claimed annual sink sits against the IPCC default range; written by the library. */
typedef struct epv_sink_plausibility {
    unsigned int version;      /**< ::EPV_SINK_PLAUSIBILITY_VERSION */
    double claimed_tco2_ha_yr; /**< claim per hectare */
    double ipcc_tco2_ha_yr;    /**< IPCC default G_W·(1+R)·CF·44/12 */
    double ipcc_low_tco2_ha_yr;  /**< same at the low end of G_W's range */
    double ipcc_high_tco2_ha_yr; /**< same at the high end */
    int position;              /**< -1 below the range, 0 inside, +1 above */
} epv_sink_plausibility;
/** Initialiser of ::epv_sink_plausibility. */
#define EPV_SINK_PLAUSIBILITY_INIT { EPV_SINK_PLAUSIBILITY_VERSION, 0.0, 0.0, 0.0, 0.0, 0 }
/**
 * Function twin of ::EPV_SINK_PLAUSIBILITY_INIT; ::EPV_EVERSION for an unknown version.
 * @param ctx may be NULL; receives the message of an error.
 * @param[out] x the struct to initialise (every field to its documented default);
 *            must not be NULL.
 * @param version the struct version the caller was built with (::EPV_SINK_PLAUSIBILITY_VERSION).
 * @return ::EPV_OK, ::EPV_EINVAL (NULL `x`), ::EPV_EVERSION (version 0 or newer than
 *         this library knows; nothing written).
 */
EPV_API int epv_sink_plausibility_init(epv_ctx *ctx, epv_sink_plausibility *x, unsigned int version);

/**
 * Turn a claimed annual sink (t CO2/yr over area_ha) into t CO2/ha/yr and place it against
 * the IPCC Tier 1 growth default for the zone: G_W·(1+R)·CF·44/12. This compares with ONE
 * row and with gross growth: for a project, prefer epv_sink_plausibility_project(), which
 * takes the rows of the project's own forest types and keeps gross and net apart.
 * @param ctx may be NULL; receives the message of an error.
 * @param claimed_tco2_yr the claimed sink, t CO2/yr (finite, >= 0).
 * @param area_ha the area it is claimed over, ha (> 0).
 * @param growth the IPCC growth row (epv_params_ipcc_growth_find()); must not be NULL.
 * @param carbon_fraction CF, t C per t dry matter (> 0).
 * @param[out] out versioned result (initialised by the caller); must not be NULL.
 * @return ::EPV_OK, ::EPV_EINVAL (NULL), ::EPV_EVERSION, ::EPV_ERANGE (naming the value),
 *         ::EPV_ENOTFOUND when the row has no root:shoot ratio (never taken as 0).
 */
EPV_API int epv_sink_plausibility_check(epv_ctx *ctx, double claimed_tco2_yr, double area_ha,
                                        const epv_params_ipcc_growth *growth, double carbon_fraction,
                                        epv_sink_plausibility *out);

/** Version of ::epv_sink_plausibility_options this header describes. */
#define EPV_SINK_PLAUSIBILITY_OPTIONS_VERSION 1
/** Options of epv_sink_plausibility_project(). Start from ::EPV_SINK_PLAUSIBILITY_OPTIONS_INIT. */
typedef struct epv_sink_plausibility_options {
    unsigned int version;   /**< ::EPV_SINK_PLAUSIBILITY_OPTIONS_VERSION */
    const char *zone;       /**< IPCC ecological zone of the rows (default "subtropical_humid") */
    const char *region;     /**< IPCC continent of the rows (default "asia") */
    double carbon_fraction; /**< CF, t C per t d.m. (default 0.47, IPCC 2006 Vol. 4 Table 4.3) */
    int year;               /**< calendar year whose stand ages choose the natural-forest rows
                                 (≤ 20 or > 20 years); 0: the project's start year */
} epv_sink_plausibility_options;
/** Initialiser of ::epv_sink_plausibility_options: subtropical humid Asia, CF 0.47, start year. */
#define EPV_SINK_PLAUSIBILITY_OPTIONS_INIT { EPV_SINK_PLAUSIBILITY_OPTIONS_VERSION, "subtropical_humid", "asia", 0.47, 0 }
/** Function twin of ::EPV_SINK_PLAUSIBILITY_OPTIONS_INIT; ::EPV_EVERSION for an unknown version. */
EPV_API int epv_sink_plausibility_options_init(epv_ctx *ctx, epv_sink_plausibility_options *x, unsigned int version);

/** Version of ::epv_sink_expectation this header describes. */
#define EPV_SINK_EXPECTATION_VERSION 1
/** A claim placed against the IPCC rows of a project's own forest types; written by the library.
 *  All rates in t CO2/ha/yr. */
typedef struct epv_sink_expectation {
    unsigned int version;        /**< ::EPV_SINK_EXPECTATION_VERSION */
    epv_project_basis basis;     /**< the basis compared (gross or net) */
    double claimed_tco2_ha_yr;   /**< claim per hectare */
    double gross_tco2_ha_yr;     /**< area-weighted IPCC gross growth Σ A_h·G_W,h·(1+R_h)·CF·44/12 / Σ A_h */
    double gross_low_tco2_ha_yr; /**< same at the low ends of the rows' ranges */
    double gross_high_tco2_ha_yr;/**< same at the high ends */
    double deduction_tco2_ha_yr; /**< net basis: the project's own mean baseline removals + emissions +
                                      leakage per ha and year over the crediting period; 0 for gross */
    double expected_tco2_ha_yr;  /**< gross − deduction */
    double expected_low_tco2_ha_yr;  /**< gross_low − deduction */
    double expected_high_tco2_ha_yr; /**< gross_high − deduction */
    double share_plantation_conifer;  /**< area share of strata on the "plantation_conifer" row */
    double share_plantation_broadleaf;/**< area share on "plantation_broadleaf" */
    double share_natural_le20y;       /**< area share on "natural_le20y" */
    double share_natural_gt20y;       /**< area share on "natural_gt20y" */
    int position;                /**< -1 below the expected range, 0 inside, +1 above */
} epv_sink_expectation;
/** Initialiser of ::epv_sink_expectation. */
#define EPV_SINK_EXPECTATION_INIT { EPV_SINK_EXPECTATION_VERSION, EPV_PROJECT_BASIS_UNSTATED, 0.0, 0.0, 0.0, \
    0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0 }
/** Function twin of ::EPV_SINK_EXPECTATION_INIT; ::EPV_EVERSION for an unknown version. */
EPV_API int epv_sink_expectation_init(epv_ctx *ctx, epv_sink_expectation *x, unsigned int version);

/**
 * Place a claimed annual sink against the IPCC Tier-1 rows of the project's OWN forest types,
 * weighted by area, on the claim's basis (IPCC 2006 Vol. 4 eq. 2.9/2.10: G_TOTAL = G_W·(1+R)).
 *
 * Each stratum takes the row of its type: a plantation stratum "plantation_conifer" or
 * "plantation_broadleaf" after its species' `conifer` flag; a natural stratum
 * (epv_project_set_stratum_origin) "natural_le20y" or "natural_gt20y" after its age at the end
 * of `options->year`. The gross expectation is the area-weighted G_W·(1+R_row)·CF·44/12.
 * A gross claim is compared with it. A net claim is compared with the gross expectation minus
 * the project's own deductions (mean baseline removals, project emissions and leakage per
 * hectare and year over the crediting period, from epv_sink_estimate()): a net claim is never
 * set against gross growth.
 * @param basis ::EPV_PROJECT_BASIS_GROSS or ::EPV_PROJECT_BASIS_NET (UNSTATED is ::EPV_EINVAL:
 *        say which).
 * @return ::EPV_OK; ::EPV_ENOTFOUND naming the stratum and the missing row, or the row and the
 *         field when its root:shoot ratio is missing (never taken as 0); ::EPV_ERANGE for a
 *         negative claim, a non-positive area or carbon fraction; ::EPV_EVERSION.
 */
EPV_API int epv_sink_plausibility_project(epv_ctx *ctx, const epv_project *project, const epv_params *params,
                                          double claimed_tco2_yr, double area_ha, epv_project_basis basis,
                                          const epv_sink_plausibility_options *options,
                                          epv_sink_expectation *out);

/* ------------------------------------------------------------------------------------------ */
/* Uncertainty of a project's net removals (lib/sink_unc.c; doc/sink.md "Uncertainty")         */
/* ------------------------------------------------------------------------------------------ */

/**
 * Inputs of the uncertainty of a project estimate. Start from ::EPV_SINK_UNC_OPTIONS_INIT.
 * Every U% is the half-width of the 95% interval in percent of the value (IPCC 2006 Vol. 1
 * ch. 3). Species-parameter uncertainties come from the parameter table
 * (epv_params_species_uncertainty()); a value without one takes `param_u_pct_default`, or is
 * an error naming species and field when that is NaN.
 */
typedef struct epv_sink_unc_options {
    unsigned int version;       /**< ::EPV_SINK_UNC_OPTIONS_VERSION */
    double area_u_pct;          /**< U% of every stratum's area (default 0) */
    double curve_u_pct;         /**< U% of every stratum's growth curve, applied to its asymptote a
                                     (all models are y = a·g(t), so it is the U% of volume; default 0) */
    const double *stratum_area_u_pct;  /**< NULL, or one U% per stratum (project order) overriding area_u_pct */
    const double *stratum_curve_u_pct; /**< NULL, or one U% per stratum overriding curve_u_pct */
    const double *const *stratum_curve_cov; /**< NULL, or one pointer per stratum: NULL, or the 3×3
                                     row-major covariance of the curve's (a, b, c) from epv_growth_fit
                                     (&fit.cov[0][0]; for Schumacher only the 2×2 (a, b) block is used).
                                     Replaces the curve U% of that stratum: Approach 1 propagates it to
                                     first order, Approach 2 draws (a, b, c) jointly normal. */
    double param_u_pct_default; /**< U% for species values with none recorded (>= 0); negative
                                     (default -1): a missing one is an error */
    size_t iterations;          /**< Approach 2 draws (default 2000; >= 2) */
} epv_sink_unc_options;
/** Version of ::epv_sink_unc_options this header describes. */
#define EPV_SINK_UNC_OPTIONS_VERSION 1
/**
 * Initialiser of ::epv_sink_unc_options: no area or curve uncertainty, species uncertainties
 * from the table (a missing one is an error), 2000 draws.
 */
#define EPV_SINK_UNC_OPTIONS_INIT { EPV_SINK_UNC_OPTIONS_VERSION, 0.0, 0.0, NULL, NULL, NULL, \
    -1.0, 2000 }
/**
 * Function twin of ::EPV_SINK_UNC_OPTIONS_INIT; ::EPV_EVERSION for an unknown version.
 * @param ctx may be NULL; receives the message of an error.
 * @param[out] x the struct to initialise (every field to its documented default);
 *            must not be NULL.
 * @param version the struct version the caller was built with (::EPV_SINK_UNC_OPTIONS_VERSION).
 * @return ::EPV_OK, ::EPV_EINVAL (NULL `x`), ::EPV_EVERSION (version 0 or newer than
 *         this library knows; nothing written).
 */
EPV_API int epv_sink_unc_options_init(epv_ctx *ctx, epv_sink_unc_options *x, unsigned int version);

/** Version of ::epv_sink_unc_result this header describes. */
#define EPV_SINK_UNC_RESULT_VERSION 1
/** Uncertainty of the net removals over a span of years (Approach 1 or 2); written by the library. */
typedef struct epv_sink_unc_result {
    unsigned int version;   /**< ::EPV_SINK_UNC_RESULT_VERSION */
    int first_year;         /**< first year of the span (inclusive) */
    int last_year;          /**< last year of the span (inclusive) */
    epv_unc_interval net;   /**< Σ ΔC_net over the span, t CO2e, with its 95% interval
                                 (Approach 1: estimate ± U%; Approach 2: mean of the draws and
                                 their 2.5 and 97.5 percentiles) */
    double mean_tco2_yr;    /**< net.estimate per year */
    double central_tco2;    /**< the model at the central inputs (Approach 1: = net.estimate) */
    double sd_tco2;         /**< Approach 2: sample standard deviation of the draws; Approach 1: U%·|estimate|/196 */
    double u_area_pct;      /**< Approach 1: share of the areas alone (U% if only they were uncertain); Approach 2: -1 */
    double u_curve_pct;     /**< Approach 1: share of the growth curves alone; Approach 2: -1 */
    double u_params_pct;    /**< Approach 1: share of the species parameters alone; Approach 2: -1 */
} epv_sink_unc_result;
/** Initialiser of ::epv_sink_unc_result. */
#define EPV_SINK_UNC_RESULT_INIT { EPV_SINK_UNC_RESULT_VERSION, 0, 0, EPV_UNC_INTERVAL_INIT, \
    0.0, 0.0, 0.0, 0.0, 0.0, 0.0 }
/**
 * Function twin of ::EPV_SINK_UNC_RESULT_INIT; ::EPV_EVERSION for an unknown version.
 * @param ctx may be NULL; receives the message of an error.
 * @param[out] x the struct to initialise (every field to its documented default);
 *            must not be NULL.
 * @param version the struct version the caller was built with (::EPV_SINK_UNC_RESULT_VERSION).
 * @return ::EPV_OK, ::EPV_EINVAL (NULL `x`), ::EPV_EVERSION (version 0 or newer than
 *         this library knows; nothing written).
 */
EPV_API int epv_sink_unc_result_init(epv_ctx *ctx, epv_sink_unc_result *x, unsigned int version);

/**
 * Approach 1 (IPCC 2006 Vol. 1 Eq. 3.1 and 3.2): within a stratum, the tree part of its net
 * removals is the product area × volume increment × D × BEF × (1 + R) × CF × 44/12 (BEF
 * method; Fang: a × CF × 44/12), so its U% combines the inputs' U% by Eq. 3.1 (the U% of
 * (1 + R) is U_R·R/(1 + R)); the strata are summed by Eq. 3.2. A species value shared by
 * several strata is one uncertain quantity: its contribution is summed over those strata
 * before squaring (perfect correlation), as the Guidelines advise for correlated inputs.
 * Parts of the net removals that do not scale with the tree parameters (shrubs cleared,
 * soil, per-hectare baseline) carry the area's uncertainty only.
 * @param ctx required; ::EPV_EINVAL if NULL.
 * @param project the project, with at least one stratum; must not be NULL.
 * @param params the table the species parameters and their uncertainties come from; must
 *        not be NULL.
 * @param first_year first year of the span (within the crediting period).
 * @param last_year last year of the span, >= first_year.
 * @param options ::EPV_SINK_UNC_OPTIONS_INIT or filled from it (version checked); must not
 *        be NULL.
 * @param[out] out initialised with ::EPV_SINK_UNC_RESULT_INIT; must not be NULL.
 * @return ::EPV_OK; ::EPV_EINVAL for a NULL argument; ::EPV_ESTATE for a project without
 *         strata; ::EPV_ENOMEM; ::EPV_ERANGE naming the option or the stratum for a negative or
 *         non-finite U%, or when the combination overflows; ::EPV_ENOTFOUND naming species
 *         and field for a missing parameter uncertainty; ::EPV_EDOMAIN if the span's net
 *         removals are 0; ::EPV_EVERSION for an uninitialised struct.
 */
EPV_API int epv_sink_unc_approach1(epv_ctx *ctx, const epv_project *project, const epv_params *params,
                                   int first_year, int last_year, const epv_sink_unc_options *options,
                                   epv_sink_unc_result *out);

/**
 * Approach 2: Monte Carlo over the same inputs (epv/mc.h). Per species, each value with an
 * uncertainty is drawn normal with sd = value·U/196 (one draw per species per iteration,
 * shared by its strata); per stratum, the area is drawn normal (sd = area·U/196) and the
 * curve either by a normal factor on its asymptote or, given a covariance, (a, b, c) jointly
 * normal. Negative draws of areas and parameters are errors naming the input and iteration
 * (never silently clipped); a drawn curve outside its model's domain is an error naming the
 * stratum. Reproducible from epv_ctx_seed() and bit-identical whatever epv_ctx_threads().
 * Progress and cancellation through the context (epv_ctx_set_progress).
 * @param ctx required (seed, threads, progress); ::EPV_EINVAL if NULL.
 * @param project the project, with at least one stratum; must not be NULL.
 * @param params the table of species parameters and uncertainties; must not be NULL.
 * @param first_year first year of the span (within the crediting period).
 * @param last_year last year of the span, >= first_year.
 * @param options versioned options (iterations >= 2); must not be NULL.
 * @param[out] out initialised with ::EPV_SINK_UNC_RESULT_INIT; must not be NULL.
 * @param[out] draws if not NULL, receives the Monte Carlo handle (output 0: the span's net
 *             removals, t CO2e), for epv_mc_column() or epv_mc_write_histogram_svg(); the
 *             caller frees it with epv_mc_free(). Set to NULL on error.
 * @return as epv_sink_unc_approach1(), plus ::EPV_ERANGE for fewer than 2 iterations,
 *         ::EPV_ECANCELLED (nothing is returned) and the errors of epv_mc_run().
 */
EPV_API int epv_sink_unc_approach2(epv_ctx *ctx, const epv_project *project, const epv_params *params,
                                   int first_year, int last_year, const epv_sink_unc_options *options,
                                   epv_sink_unc_result *out, epv_mc **draws);

/** Version of ::epv_sink_sampling this header describes. */
#define EPV_SINK_SAMPLING_VERSION 1
/** Sample-plot design for one monitoring campaign; written by the library. */
typedef struct epv_sink_sampling {
    unsigned int version;   /**< ::EPV_SINK_SAMPLING_VERSION */
    int year;               /**< the campaign's year (stocks at the end of it) */
    double t;               /**< t value used (normal, infinite dof, as AR-Tool03) */
    double mean_tco2_ha;    /**< expected project mean stock, area-weighted, t CO2e/ha */
    double n_exact;         /**< plots from the equation, before rounding */
    epv_i64 n;              /**< plots needed in total */
} epv_sink_sampling;
/** Initialiser of ::epv_sink_sampling. */
#define EPV_SINK_SAMPLING_INIT { EPV_SINK_SAMPLING_VERSION, 0, 0.0, 0.0, 0.0, 0 }
/**
 * Function twin of ::EPV_SINK_SAMPLING_INIT; ::EPV_EVERSION for an unknown version.
 * @param ctx may be NULL; receives the message of an error.
 * @param[out] x the struct to initialise (every field to its documented default);
 *            must not be NULL.
 * @param version the struct version the caller was built with (::EPV_SINK_SAMPLING_VERSION).
 * @return ::EPV_OK, ::EPV_EINVAL (NULL `x`), ::EPV_EVERSION (version 0 or newer than
 *         this library knows; nothing written).
 */
EPV_API int epv_sink_sampling_init(epv_ctx *ctx, epv_sink_sampling *x, unsigned int version);

/**
 * Plots needed per stratum so the project's mean carbon stock is estimated within
 * ±precision_pct at `confidence` (CCER: 10% at 0.90), by the CDM AR-Tool03 equation
 * (epv_sampling_plots_needed) with Neyman allocation. Stratum h has weight A_h/A, expected
 * stock per hectare μ_h from the estimate at the end of `year`, and standard deviation
 * s_h = CV_h·μ_h; the allowable error is precision_pct·Σ w_h μ_h /100.
 * @param ctx required; ::EPV_EINVAL if NULL.
 * @param project the project, with at least one stratum; must not be NULL.
 * @param params NULL, or the table species parameters are read from again (as
 *        epv_sink_estimate()).
 * @param year the campaign's year, within the crediting period.
 * @param confidence two-sided confidence level, in (0, 1) (CCER: 0.90).
 * @param precision_pct target half-width in percent of the mean, in (0, 100) (CCER: 10).
 * @param[out] out versioned result (initialised by the caller); must not be NULL.
 * @param cv_pct per-stratum coefficients of variation of plot stocks, percent (0–500], in
 *        project order (their source is the caller's: a pilot inventory or literature).
 * @param plot_area_ha plot size for the finite-population form (N = A/plot_area); 0: infinite.
 * @param n_h if not NULL, receives the plots per stratum (project order).
 * @return ::EPV_OK; ::EPV_ERANGE naming "cv_pct[i]", "precision_pct", "confidence" or the
 *         year; ::EPV_EDOMAIN if a stratum has no stock yet in that year; ::EPV_EINVAL (NULL
 *         argument); ::EPV_EVERSION; ::EPV_ESTATE (no strata); the errors of
 *         epv_sink_estimate().
 */
EPV_API int epv_sink_sampling_design(epv_ctx *ctx, const epv_project *project, const epv_params *params,
                                     int year, const double *cv_pct, double confidence,
                                     double precision_pct, double plot_area_ha, epv_sink_sampling *out,
                                     epv_i64 *n_h);


/* ---- a project's credit value over time (lib/sink_value.c) ------------------------------ */

/** Version of ::epv_sink_value_options this header describes. */
#define EPV_SINK_VALUE_OPTIONS_VERSION 1
/**
 * How to value a project's yearly amounts (net removals, or credited amounts after a
 * deduction) as a stream, by the carbon valuation of InVEST's Carbon Storage and
 * Sequestration model (epv_gep_carbon_value_stream(), one implementation for both modules):
 * the amount of valued year t (t = 0 the first valued year, undiscounted) counts
 * P × x_t × (1 − deduction_pct/100) / ((1 + r/100)^t (1 + c/100)^t).
 * Start from ::EPV_SINK_VALUE_OPTIONS_INIT and set the price.
 */
typedef struct epv_sink_value_options {
    unsigned int version;     /**< ::EPV_SINK_VALUE_OPTIONS_VERSION */
    epv_sink_col col;         /**< yearly amounts valued: ::EPV_SINK_COL_NET_REMOVALS (default) or
                                   another flow column; not ::EPV_SINK_COL_STOCK or
                                   ::EPV_SINK_COL_CUMULATIVE_NET (those are not yearly flows) */
    int first_year;           /**< first calendar year valued (t = 0); 0: the result's first year */
    int last_year;            /**< last calendar year valued (inclusive); 0: the result's last year */
    double price_per_tco2e;   /**< P: money per t CO2e (a credit's price) in the first valued year, finite */
    double discount_rate_pct; /**< r: % per year (> −100; 0 = no discounting) */
    double price_change_pct;  /**< c: InVEST's yearly rate of change of the carbon price (> −100), applied
                                   as InVEST applies it, as a second discount factor (1 + c/100)^t; a
                                   market price that grows by g% a year is c = −100·g / (100 + g) */
    double deduction_pct;     /**< share of each year's amount not credited, 0..100 (e.g. the uncertainty
                                   deduction from epv_sampling_deduction()); 0 values net removals */
} epv_sink_value_options;
/** Initialiser of ::epv_sink_value_options: net removals over the whole result, price 0, no discounting, no deduction. */
#define EPV_SINK_VALUE_OPTIONS_INIT { EPV_SINK_VALUE_OPTIONS_VERSION, EPV_SINK_COL_NET_REMOVALS, 0, 0, 0.0, 0.0, 0.0, 0.0 }
/** Function twin of ::EPV_SINK_VALUE_OPTIONS_INIT; ::EPV_EVERSION for an unknown version. */
EPV_API int epv_sink_value_options_init(epv_ctx *ctx, epv_sink_value_options *x, unsigned int version);

/**
 * Present value, at the first valued year, of a stream of yearly amounts in t CO2e
 * (x[0] the first valued year); `options->col`, first_year and last_year are not used.
 * Writes no file.
 * @param[out] value receives the present value (money, the unit of the price).
 * @param[out] credited_tco2e if not NULL, receives Σ x_t (1 − deduction_pct/100), undiscounted.
 * @return ::EPV_OK; ::EPV_EINVAL (NULL); ::EPV_EVERSION; ::EPV_ERANGE naming the option
 *         (price_per_tco2e, discount_rate_pct, price_change_pct, deduction_pct) or "x[i]"
 *         (not finite), or when the value overflows.
 */
EPV_API int epv_sink_value_stream(epv_ctx *ctx, const epv_sink_value_options *options, size_t n,
                                  const double *x, double *value, double *credited_tco2e);

/**
 * A project's credit value: the yearly amounts of column options->col of a result, from
 * first_year to last_year, valued by epv_sink_value_stream(). Writes no file.
 * @return as epv_sink_value_stream(); ::EPV_ERANGE naming first_year or last_year outside the
 *         result's years (or first after last); ::EPV_EINVAL naming col for a column that is not a
 *         yearly flow.
 */
EPV_API int epv_sink_result_value(epv_ctx *ctx, const epv_sink_result *result,
                                  const epv_sink_value_options *options, double *value,
                                  double *credited_tco2e);

#ifdef __cplusplus
}
#endif
#endif /* EPV_SINK_H */
