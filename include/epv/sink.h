/* SPDX-License-Identifier: GPL-3.0-or-later */
/**
 * @file epv/sink.h
 * @brief Project-level forest carbon sink estimation after the CCER forestry methodologies.
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

#ifdef __cplusplus
extern "C" {
#endif

/** Shortest and longest crediting period accepted for forestry projects, years. */
#define EPV_SINK_CREDITING_MIN_YEARS 20
#define EPV_SINK_CREDITING_MAX_YEARS 40

/** AR-Tool14 defaults for shrubs: root:shoot R_s, BDR_SF, carbon fraction CF_s. */
#define EPV_SINK_SHRUB_ROOT_SHOOT 0.40
#define EPV_SINK_SHRUB_BDR_SF 0.10
#define EPV_SINK_SHRUB_CARBON_FRACTION 0.47

/** Kind of project, after the methodology family it follows. Values fixed. */
typedef enum epv_project_kind {
    EPV_PROJECT_AFFORESTATION = 1,    /**< CCER-14-001-V01 / AR-CM-001: new forest on non-forest land */
    EPV_PROJECT_FOREST_MANAGEMENT = 2 /**< AR-CM-003: improved management of existing forest */
} epv_project_kind;

/** One stratum. Plain value type; strings are copied when added to a project. */
typedef struct epv_stratum {
    char id[64];                /**< unique within the project */
    char species[64];           /**< species code, Chinese or English name in the parameter table */
    double area_ha;             /**< area, ha (> 0) */
    int planting_year;          /**< calendar year the stand was planted (or established) */
    epv_biomass_method method;  /**< volume to biomass method */
    epv_growth_curve curve;     /**< project volume curve, m³/ha against age */
    int has_baseline_curve;     /**< 1: baseline_curve is the without-project volume curve */
    epv_growth_curve baseline_curve; /**< baseline volume curve (forest management) */
    double baseline_tco2_ha_yr; /**< other baseline removals, t CO2e/ha/yr (e.g. growing shrubs) */
    double shrub_crown_cover;   /**< pre-existing shrub crown cover, 0..1, cleared at planting */
    double shrub_forest_biomass_t_ha; /**< B_forest, default above-ground forest biomass for the region */
    double soc_initial_tc_ha;   /**< soil organic carbon before conversion, t C/ha (0 and 0: not counted) */
    double soc_final_tc_ha;     /**< soil organic carbon reached after the transition, t C/ha */
} epv_stratum;

/** Return a stratum with neutral defaults (BEF method, no baseline, no shrubs, no soil). */
EPV_API epv_stratum epv_stratum_default(void);

/** Opaque project definition. */
typedef struct epv_project epv_project;

/**
 * Create an empty project.
 * @param crediting_years 20..40 (::EPV_ERANGE otherwise).
 */
EPV_API int epv_project_new(epv_ctx *ctx, const char *name, epv_project_kind kind, int start_year,
                            int crediting_years, epv_project **out);
/** Free a project. NULL is a no-op. */
EPV_API void epv_project_free(epv_project *project);
/**
 * Load a project from XML (schema/project.xsd). Species are resolved against `params`;
 * unknown species, negative or NaN areas, ages or volumes, a growth curve that goes
 * negative and a crediting period outside 20–40 years are errors naming file, line and field.
 */
EPV_API int epv_project_load_file(epv_ctx *ctx, const char *path, const epv_params *params,
                                  epv_project **out);
/** Like epv_project_load_file() from a buffer; `name` is used in messages. */
EPV_API int epv_project_load_memory(epv_ctx *ctx, const char *buf, size_t len, const char *name,
                                    const epv_params *params, epv_project **out);
/** Add a stratum after checking it (species resolved against params). All or nothing. */
EPV_API int epv_project_add_stratum(epv_ctx *ctx, epv_project *project, const epv_params *params,
                                    const epv_stratum *stratum);
/** Record a disturbance: in `year`, `fraction` (0..1] of the stratum's tree carbon is lost. */
EPV_API int epv_project_add_disturbance(epv_ctx *ctx, epv_project *project, const char *stratum_id,
                                        int year, double fraction);
/** Set the leakage fraction (0..1; default 0 as in AR-CM-001). */
EPV_API int epv_project_set_leakage(epv_ctx *ctx, epv_project *project, double fraction);

/** Project name (owned by the project). */
EPV_API const char *epv_project_name(const epv_project *project);
/** Project kind. */
EPV_API epv_project_kind epv_project_kind_of(const epv_project *project);
/** First calendar year of the crediting period. */
EPV_API int epv_project_start_year(const epv_project *project);
/** Length of the crediting period, years. */
EPV_API int epv_project_crediting_years(const epv_project *project);
/** Number of strata. */
EPV_API size_t epv_project_stratum_count(const epv_project *project);
/** Copy stratum i. */
EPV_API int epv_project_stratum_at(epv_ctx *ctx, const epv_project *project, size_t i, epv_stratum *out);
/** Total area of all strata, ha. */
EPV_API double epv_project_area_ha(const epv_project *project);

/** A monitoring period or claim read from a project file. */
typedef struct epv_project_period {
    int first_year, last_year; /**< inclusive calendar years */
} epv_project_period;
/** Number of monitoring periods declared in the project file. */
EPV_API size_t epv_project_period_count(const epv_project *project);
/** Monitoring period i. */
EPV_API int epv_project_period_at(epv_ctx *ctx, const epv_project *project, size_t i, epv_project_period *out);

/** A published or claimed annual removal figure to compare the estimate with. */
typedef struct epv_project_claim {
    const char *label;     /**< e.g. "county figure" (owned by the project) */
    double tco2_per_year;  /**< claimed removals, t CO2/yr */
    double area_ha;        /**< area the claim is for, ha */
    const char *source;    /**< citation (owned by the project) */
} epv_project_claim;
/** Number of claims declared in the project file. */
EPV_API size_t epv_project_claim_count(const epv_project *project);
/** Claim i. */
EPV_API int epv_project_claim_at(epv_ctx *ctx, const epv_project *project, size_t i, epv_project_claim *out);

/** One year of a result (t CO2e; a stratum's or the whole project's). */
typedef struct epv_sink_year {
    int year;
    double stock_tco2;             /**< project carbon stock at the end of the year */
    double project_removals_tco2;  /**< ΔC_P */
    double project_emissions_tco2; /**< GHG_E */
    double baseline_removals_tco2; /**< ΔC_BSL */
    double leakage_tco2;           /**< LK */
    double net_removals_tco2;      /**< ΔC_net */
    double cumulative_net_tco2;    /**< Σ ΔC_net since the start of the crediting period */
} epv_sink_year;

/** Totals over a span of years. */
typedef struct epv_sink_period {
    int first_year, last_year;
    double net_removals_tco2;       /**< Σ ΔC_net */
    double mean_net_tco2_yr;        /**< Σ ΔC_net / number of years */
    double project_removals_tco2;
    double project_emissions_tco2;
    double baseline_removals_tco2;
    double leakage_tco2;
} epv_sink_period;

/** Opaque estimation result. */
typedef struct epv_sink_result epv_sink_result;

/**
 * Estimate a project over its crediting period.
 * @param params if not NULL, species parameters are read again from this table (so values
 *        overridden after the project was loaded take effect); NULL uses the parameters
 *        resolved when each stratum was added.
 */
EPV_API int epv_sink_estimate(epv_ctx *ctx, const epv_project *project, const epv_params *params,
                              epv_sink_result **out);
/** Options of epv_sink_estimate_ex(). Start from epv_sink_options_default(). */
typedef struct epv_sink_options {
    int years;       /**< years to project from the start year; 0: the crediting period (max 200) */
    int keep_strata; /**< 1: keep per-stratum figures (memory grows with strata × years); 0: totals only */
} epv_sink_options;

/** Default options: the crediting period, per-stratum figures kept. */
EPV_API epv_sink_options epv_sink_options_default(void);
/**
 * Estimate with options: e.g. project beyond the crediting period for planning, or keep
 * only totals for very large projects (per-stratum queries then return ::EPV_ESTATE).
 */
EPV_API int epv_sink_estimate_ex(epv_ctx *ctx, const epv_project *project, const epv_params *params,
                                 const epv_sink_options *options, epv_sink_result **out);
/** Free a result. NULL is a no-op. */
EPV_API void epv_sink_result_free(epv_sink_result *result);
/** Number of years estimated (the crediting period unless options said otherwise). */
EPV_API size_t epv_sink_result_years(const epv_sink_result *result);
/** Project totals for year index i (0 = start year). */
EPV_API int epv_sink_result_year(epv_ctx *ctx, const epv_sink_result *result, size_t i, epv_sink_year *out);
/** One stratum's figures for year index i. */
EPV_API int epv_sink_result_stratum_year(epv_ctx *ctx, const epv_sink_result *result, size_t stratum,
                                         size_t i, epv_sink_year *out);
/** Totals for the calendar years first..last (inclusive, within the crediting period). */
EPV_API int epv_sink_result_period(epv_ctx *ctx, const epv_sink_result *result, int first_year,
                                   int last_year, epv_sink_period *out);
/** Write the yearly project totals (and per-stratum net removals) as CSV. */
EPV_API int epv_sink_result_write_csv(epv_ctx *ctx, const epv_sink_result *result, const char *path);
/**
 * Write an SVG line chart of cumulative net removals (t CO2e) against year, with an
 * optional reference line of `reference_tco2_yr` per year (0: none) labelled `reference_label`.
 */
EPV_API int epv_sink_result_write_svg(epv_ctx *ctx, const epv_sink_result *result, const char *path,
                                      const char *title, double reference_tco2_yr,
                                      const char *reference_label);

/** Where a claimed annual sink sits against the IPCC default range. */
typedef struct epv_sink_plausibility {
    double claimed_tco2_ha_yr; /**< claim per hectare */
    double ipcc_tco2_ha_yr;    /**< IPCC default G_W·(1+R)·CF·44/12 */
    double ipcc_low_tco2_ha_yr;  /**< same at the low end of G_W's range */
    double ipcc_high_tco2_ha_yr; /**< same at the high end */
    int position;              /**< -1 below the range, 0 inside, +1 above */
} epv_sink_plausibility;

/**
 * Turn a claimed annual sink (t CO2/yr over area_ha) into t CO2/ha/yr and place it against
 * the IPCC Tier 1 growth default for the zone: G_W·(1+R)·CF·44/12.
 */
EPV_API int epv_sink_plausibility_check(epv_ctx *ctx, double claimed_tco2_yr, double area_ha,
                                        const epv_ipcc_growth *growth, double carbon_fraction,
                                        epv_sink_plausibility *out);

/* ------------------------------------------------------------------------------------------ */
/* Uncertainty of a project's net removals (lib/sink_unc.c; doc/sink.md "Uncertainty")         */
/* ------------------------------------------------------------------------------------------ */

/**
 * Inputs of the uncertainty of a project estimate. Start from epv_sink_unc_options_default().
 * Every U% is the half-width of the 95% interval in percent of the value (IPCC 2006 Vol. 1
 * ch. 3). Species-parameter uncertainties come from the parameter table
 * (epv_params_species_uncertainty()); a value without one takes `param_u_pct_default`, or is
 * an error naming species and field when that is NaN.
 */
typedef struct epv_sink_unc_options {
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
    double param_u_pct_default; /**< U% for species values with none recorded; NaN (default): error */
    size_t iterations;          /**< Approach 2 draws (default 2000; >= 1) */
    const char *histogram_svg;  /**< Approach 2: if not NULL, write the histogram of the period's net
                                     removals here (SVG) */
    size_t histogram_bins;      /**< bins of that histogram (default 40) */
} epv_sink_unc_options;

/** Defaults: no area or curve uncertainty, species uncertainties from the table, 2000 draws. */
EPV_API epv_sink_unc_options epv_sink_unc_options_default(void);

/** Approach 1 result for the net removals over a span of years. */
typedef struct epv_sink_unc_result {
    int first_year, last_year;
    double net_tco2;        /**< central estimate: Σ ΔC_net over the span, t CO2e */
    double mean_tco2_yr;    /**< the same per year */
    double u_pct;           /**< combined U% (95% half-width in percent of net_tco2) */
    double lower_tco2;      /**< net_tco2 · (1 − u_pct/100) */
    double upper_tco2;      /**< net_tco2 · (1 + u_pct/100) */
    double u_area_pct;      /**< share of the areas alone (U% if only they were uncertain) */
    double u_curve_pct;     /**< share of the growth curves alone */
    double u_params_pct;    /**< share of the species parameters alone */
} epv_sink_unc_result;

/**
 * Approach 1 (IPCC 2006 Vol. 1 Eq. 3.1 and 3.2): within a stratum, the tree part of its net
 * removals is the product area × volume increment × D × BEF × (1 + R) × CF × 44/12 (BEF
 * method; Fang: a × CF × 44/12), so its U% combines the inputs' U% by Eq. 3.1 (the U% of
 * (1 + R) is U_R·R/(1 + R)); the strata are summed by Eq. 3.2. A species value shared by
 * several strata is one uncertain quantity: its contribution is summed over those strata
 * before squaring (perfect correlation), as the Guidelines advise for correlated inputs.
 * Parts of the net removals that do not scale with the tree parameters (shrubs cleared,
 * soil, per-hectare baseline) carry the area's uncertainty only.
 * @param first_year, last_year the span (within the crediting period).
 * @return ::EPV_OK; ::EPV_ERANGE naming the option or the stratum for a negative or
 *         non-finite U%; ::EPV_ENOTFOUND naming species and field for a missing parameter
 *         uncertainty; ::EPV_EDOMAIN if the span's net removals are 0.
 */
EPV_API int epv_sink_uncertainty(epv_ctx *ctx, const epv_project *project, const epv_params *params,
                                 int first_year, int last_year, const epv_sink_unc_options *options,
                                 epv_sink_unc_result *out);

/** Approach 2 result for the net removals over a span of years. */
typedef struct epv_sink_mc_result {
    int first_year, last_year;
    size_t iterations;
    double central_tco2;    /**< the model at the central inputs, t CO2e (as epv_sink_uncertainty) */
    double mean_tco2;       /**< mean of the draws */
    double sd_tco2;         /**< sample standard deviation */
    double p2_5_tco2;       /**< 2.5 percentile */
    double p97_5_tco2;      /**< 97.5 percentile */
    double u_lower_pct;     /**< (mean − p2.5)/|mean| · 100 */
    double u_upper_pct;     /**< (p97.5 − mean)/|mean| · 100 */
} epv_sink_mc_result;

/**
 * Approach 2: Monte Carlo over the same inputs (epv_mc). Per species, each value with an
 * uncertainty is drawn normal with sd = value·U/196 (one draw per species per iteration,
 * shared by its strata); per stratum, the area is drawn normal (sd = area·U/196) and the
 * curve either by a normal factor on its asymptote or, given a covariance, (a, b, c) jointly
 * normal. Negative draws of areas and parameters are errors naming the input and iteration
 * (never silently clipped); a drawn curve outside its model's domain is an error naming the
 * stratum. Reproducible from epv_ctx_seed() and bit-identical whatever epv_ctx_threads().
 * @return as epv_sink_uncertainty(), plus ::EPV_ERANGE for zero iterations.
 */
EPV_API int epv_sink_uncertainty_mc(epv_ctx *ctx, const epv_project *project, const epv_params *params,
                                    int first_year, int last_year, const epv_sink_unc_options *options,
                                    epv_sink_mc_result *out);

/** Sample-plot design for one monitoring campaign. */
typedef struct epv_sink_sampling {
    int year;               /**< the campaign's year (stocks at the end of it) */
    double t;               /**< t value used (normal, infinite dof, as AR-Tool03) */
    double mean_tco2_ha;    /**< expected project mean stock, area-weighted, t CO2e/ha */
    double n_exact;         /**< plots from the equation, before rounding */
    epv_i64 n;              /**< plots needed in total */
} epv_sink_sampling;

/**
 * Plots needed per stratum so the project's mean carbon stock is estimated within
 * ±precision_pct at `confidence` (CCER: 10% at 0.90), by the CDM AR-Tool03 equation
 * (epv_sampling_plots_needed) with Neyman allocation. Stratum h has weight A_h/A, expected
 * stock per hectare μ_h from the estimate at the end of `year`, and standard deviation
 * s_h = CV_h·μ_h; the allowable error is precision_pct·Σ w_h μ_h /100.
 * @param cv_pct per-stratum coefficients of variation of plot stocks, percent (> 0), in
 *        project order (their source is the caller's: a pilot inventory or literature).
 * @param plot_area_ha plot size for the finite-population form (N = A/plot_area); 0: infinite.
 * @param n_h if not NULL, receives the plots per stratum (project order).
 * @return ::EPV_OK; ::EPV_ERANGE naming "cv_pct[i]", "precision_pct", "confidence" or the
 *         year; ::EPV_EDOMAIN if a stratum has no stock yet in that year.
 */
EPV_API int epv_sink_sampling_design(epv_ctx *ctx, const epv_project *project, const epv_params *params,
                                     int year, const double *cv_pct, double confidence,
                                     double precision_pct, double plot_area_ha, epv_sink_sampling *out,
                                     epv_i64 *n_h);

#ifdef __cplusplus
}
#endif
#endif /* EPV_SINK_H */
