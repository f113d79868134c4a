/* SPDX-License-Identifier: GPL-3.0-or-later */
/**
 * @file epv/project.h
 * @brief Forestry project definitions (strata, disturbances, monitoring periods, claims),
 *        the input of the sink module (epv/sink.h).
 *
 * A project (afforestation after CCER-14-001-V01 / AR-CM-001-V01, or forest management after
 * AR-CM-003-V01) is a set of strata. Each stratum has a species, an area, a planting year
 * and a stem-volume growth curve (m³/ha against age); forest-management strata also carry
 * the baseline curve the stand would follow without the project.
 *
 * Threads: a project is read-only for every function taking it `const`.
 */
#ifndef EPV_PROJECT_H
#define EPV_PROJECT_H

#include "epv/common.h"
#include "epv/params.h"
#include "epv/growth.h"
#include "epv/forest.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Largest area accepted for a stratum or a claim, ha: 10^7 ha = 100,000 km², the size order of
 * China's largest counties (most are 10^5 ha or less). An area above it is a unit or typing
 * error (m² or mu given as ha, digits doubled) and is refused naming file, line and field.
 */
#define EPV_PROJECT_AREA_MAX_HA 1.0e7
/** Largest per-hectare baseline rate accepted, t CO2e/ha/yr (the fastest plantations in IPCC
 *  Table 4.10 stay below about 100). */
#define EPV_PROJECT_BASELINE_MAX_TCO2_HA_YR 100.0
/** Largest soil organic carbon stock accepted, t C/ha (organic soils reach several hundred). */
#define EPV_PROJECT_SOC_MAX_TC_HA 1500.0
/** Largest above-ground forest biomass B_forest accepted for the shrub rule, t d.m./ha. */
#define EPV_PROJECT_FOREST_BIOMASS_MAX_T_HA 1000.0

/** Kind of project, after the methodology family it follows. Values fixed. */
typedef enum epv_project_kind {
    EPV_PROJECT_AFFORESTATION = 1,    /**< CCER-14-001-V01 / AR-CM-001: new forest on non-forest land */
    EPV_PROJECT_FOREST_MANAGEMENT = 2 /**< AR-CM-003: improved management of existing forest */
} epv_project_kind;

/** Version of ::epv_project_stratum this header describes. */
#define EPV_PROJECT_STRATUM_VERSION 1
/** One stratum; strings are copied when added to a project. */
typedef struct epv_project_stratum {
    unsigned int version;       /**< ::EPV_PROJECT_STRATUM_VERSION */
    char id[64];                /**< unique within the project */
    char species[64];           /**< species code, Chinese or English name in the parameter table */
    double area_ha;             /**< area, ha (> 0) */
    int planting_year;          /**< calendar year the stand was planted (or established) */
    epv_forest_biomass_method method;  /**< volume to biomass method */
    epv_growth_curve curve;     /**< project volume curve, m³/ha against age */
    int has_baseline_curve;     /**< 1: baseline_curve is the without-project volume curve */
    epv_growth_curve baseline_curve; /**< baseline volume curve (forest management) */
    double baseline_tco2_ha_yr; /**< other baseline removals, t CO2e/ha/yr (e.g. growing shrubs) */
    double shrub_crown_cover;   /**< pre-existing shrub crown cover, 0..1, cleared at planting */
    double shrub_forest_biomass_t_ha; /**< B_forest, default above-ground forest biomass for the region */
    double soc_initial_tc_ha;   /**< soil organic carbon before conversion, t C/ha (0 and 0: not counted) */
    double soc_final_tc_ha;     /**< soil organic carbon reached after the transition, t C/ha */
} epv_project_stratum;

/**
 * Initialiser of ::epv_project_stratum: neutral defaults (BEF method, no baseline, no shrubs, no
 * soil); id, species, area, planting year and curve are the caller's to set.
 */
#define EPV_PROJECT_STRATUM_INIT { EPV_PROJECT_STRATUM_VERSION, "", "", 0.0, 0, EPV_FOREST_BIOMASS_BEF, \
    EPV_GROWTH_CURVE_INIT, 0, EPV_GROWTH_CURVE_INIT, 0.0, 0.0, 0.0, 0.0, 0.0 }
/**
 * Function twin of ::EPV_PROJECT_STRATUM_INIT; ::EPV_EVERSION for an unknown version.
 * @param ctx may be NULL; receives the message of an error.
 * @param[out] x the struct to initialise (every field to its documented default);
 *            must not be NULL.
 * @param version the struct version the caller was built with (::EPV_PROJECT_STRATUM_VERSION).
 * @return ::EPV_OK, ::EPV_EINVAL (NULL `x`), ::EPV_EVERSION (version 0 or newer than
 *         this library knows; nothing written).
 */
EPV_API int epv_project_stratum_init(epv_ctx *ctx, epv_project_stratum *x, unsigned int version);

/** Opaque project definition. */
typedef struct epv_project epv_project;

/**
 * Create an empty project.
 * @param ctx the context the project allocates from; must not be NULL and must outlive it.
 * @param name project name (UTF-8, copied); must not be NULL.
 * @param kind the methodology family.
 * @param start_year first calendar year of the crediting period, 1900..2200.
 * @param crediting_years 20..40 (::EPV_ERANGE otherwise).
 * @param[out] out receives the project (free with epv_project_free()); must not be NULL.
 * @return ::EPV_OK, ::EPV_EINVAL (NULL, unknown kind), ::EPV_ERANGE (years), ::EPV_ENOMEM.
 */
EPV_API int epv_project_new(epv_ctx *ctx, const char *name, epv_project_kind kind, int start_year,
                            int crediting_years, epv_project **out);
/**
 * Free a project (strings it handed out become invalid).
 * @param project the project; NULL is a no-op.
 */
EPV_API void epv_project_free(epv_project *project);
/**
 * Load a project from XML (schema/project.xsd). Species are resolved against `params`;
 * unknown species, negative or NaN areas, ages or volumes, areas above
 * ::EPV_PROJECT_AREA_MAX_HA, fractions above 1, per-hectare rates and stocks above their
 * EPV_PROJECT_*_MAX bounds, a growth curve that goes negative and a crediting period outside
 * 20–40 years are errors naming file, line and field.
 * @param ctx the context the project allocates from; must not be NULL and must outlive it.
 * @param path file name; must not be NULL.
 * @param params the parameter table species are resolved against; must not be NULL; not kept
 *               (the values are copied).
 * @param[out] out receives the project (free with epv_project_free()); must not be NULL.
 * @return ::EPV_OK, ::EPV_EINVAL (NULL), ::EPV_EIO, ::EPV_EPARSE, ::EPV_ESCHEMA,
 *         ::EPV_ENOTFOUND (unknown species), ::EPV_ERANGE, ::EPV_EDOMAIN (a curve going
 *         negative), ::EPV_EEXISTS (a stratum id twice), ::EPV_ENOMEM.
 */
EPV_API int epv_project_load_file(epv_ctx *ctx, const char *path, const epv_params *params,
                                  epv_project **out);
/**
 * Like epv_project_load_file() from a buffer.
 * @param ctx the context the project allocates from; must not be NULL and must outlive it.
 * @param buf the XML text; need not be NUL-terminated; must not be NULL; not kept.
 * @param len length of `buf` in bytes.
 * @param name name used in messages in place of a file name; NULL: "(buffer)".
 * @param params the parameter table species are resolved against; must not be NULL.
 * @param[out] out receives the project (free with epv_project_free()); must not be NULL.
 * @return as epv_project_load_file() (without ::EPV_EIO).
 */
EPV_API int epv_project_load_memory(epv_ctx *ctx, const char *buf, size_t len, const char *name,
                                    const epv_params *params, epv_project **out);
/**
 * Add a stratum after checking it (species resolved against params; version checked). All or
 * nothing: on error the project is unchanged.
 * @param ctx the context the project allocates from; must not be NULL.
 * @param project the project; must not be NULL.
 * @param params the table the stratum's species is resolved against (values copied); must
 *               not be NULL.
 * @param stratum versioned stratum (copied; curves must carry a known version); must not be
 *                NULL.
 * @return ::EPV_OK, ::EPV_EINVAL (NULL, empty or too long id, unknown method), ::EPV_EVERSION,
 *         ::EPV_EEXISTS (id used twice), ::EPV_ERANGE (a value out of range, named),
 *         ::EPV_ENOTFOUND (unknown species), ::EPV_EDOMAIN (a curve leaving its domain),
 *         ::EPV_ENOMEM.
 */
EPV_API int epv_project_add_stratum(epv_ctx *ctx, epv_project *project, const epv_params *params,
                                    const epv_project_stratum *stratum);
/**
 * Record a disturbance: in `year`, `fraction` (0..1] of the stratum's tree carbon is lost.
 * @param ctx the context the project allocates from; must not be NULL.
 * @param project the project; must not be NULL.
 * @param stratum_id id of a stratum already added; must not be NULL.
 * @param year calendar year, within the crediting period.
 * @param fraction share of the tree carbon lost, (0, 1].
 * @return ::EPV_OK, ::EPV_EINVAL (NULL), ::EPV_ENOTFOUND (unknown stratum), ::EPV_ERANGE
 *         (year or fraction), ::EPV_ENOMEM.
 */
EPV_API int epv_project_add_disturbance(epv_ctx *ctx, epv_project *project, const char *stratum_id,
                                        int year, double fraction);
/**
 * Set the leakage fraction (default 0 as in AR-CM-001).
 * @param ctx may be NULL; receives the message of an error.
 * @param project the project; must not be NULL.
 * @param fraction share of the project removals lost to leakage, 0..1.
 * @return ::EPV_OK, ::EPV_EINVAL (NULL), ::EPV_ERANGE (fraction).
 */
EPV_API int epv_project_set_leakage(epv_ctx *ctx, epv_project *project, double fraction);

/**
 * Project name.
 * @param project the project; may be NULL (then NULL).
 * @return the name, owned by the project (valid while it lives).
 */
EPV_API const char *epv_project_name(const epv_project *project);
/**
 * Project kind.
 * @param project the project; may be NULL (then ::EPV_PROJECT_AFFORESTATION).
 * @return the kind.
 */
EPV_API epv_project_kind epv_project_kind_of(const epv_project *project);
/**
 * First calendar year of the crediting period.
 * @param project the project; may be NULL (then 0).
 * @return the start year.
 */
EPV_API int epv_project_start_year(const epv_project *project);
/**
 * Length of the crediting period.
 * @param project the project; may be NULL (then 0).
 * @return the number of years, 20..40.
 */
EPV_API int epv_project_crediting_years(const epv_project *project);
/**
 * Number of strata.
 * @param project the project; may be NULL (then 0).
 * @return the number of strata added.
 */
EPV_API size_t epv_project_stratum_count(const epv_project *project);
/**
 * Copy stratum i (in the order added) into *out.
 * @param ctx may be NULL; receives the message of an error.
 * @param project the project; must not be NULL.
 * @param i stratum index, 0..epv_project_stratum_count() - 1.
 * @param[out] out versioned stratum (initialised with ::EPV_PROJECT_STRATUM_INIT); written only on
 *            success.
 * @return ::EPV_OK, ::EPV_EINVAL (NULL), ::EPV_EVERSION, ::EPV_ERANGE (`i` out of range).
 */
EPV_API int epv_project_stratum_at(epv_ctx *ctx, const epv_project *project, size_t i, epv_project_stratum *out);
/**
 * Total area of all strata.
 * @param project the project; may be NULL (then 0).
 * @return the area, ha.
 */
EPV_API double epv_project_area_ha(const epv_project *project);

/** Version of ::epv_project_period this header describes. */
#define EPV_PROJECT_PERIOD_VERSION 1
/** A monitoring period read from a project file; written by the library. */
typedef struct epv_project_period {
    unsigned int version;      /**< ::EPV_PROJECT_PERIOD_VERSION */
    int first_year;            /**< first calendar year (inclusive) */
    int last_year;             /**< last calendar year (inclusive) */
} epv_project_period;
/** Initialiser of ::epv_project_period. */
#define EPV_PROJECT_PERIOD_INIT { EPV_PROJECT_PERIOD_VERSION, 0, 0 }
/**
 * Function twin of ::EPV_PROJECT_PERIOD_INIT; ::EPV_EVERSION for an unknown version.
 * @param ctx may be NULL; receives the message of an error.
 * @param[out] x the struct to initialise (every field to its documented default);
 *            must not be NULL.
 * @param version the struct version the caller was built with (::EPV_PROJECT_PERIOD_VERSION).
 * @return ::EPV_OK, ::EPV_EINVAL (NULL `x`), ::EPV_EVERSION (version 0 or newer than
 *         this library knows; nothing written).
 */
EPV_API int epv_project_period_init(epv_ctx *ctx, epv_project_period *x, unsigned int version);
/**
 * Number of monitoring periods declared in the project file.
 * @param project the project; may be NULL (then 0).
 * @return the number of periods.
 */
EPV_API size_t epv_project_period_count(const epv_project *project);
/**
 * Monitoring period i (in file order).
 * @param ctx may be NULL; receives the message of an error.
 * @param project the project; must not be NULL.
 * @param i period index, 0..epv_project_period_count() - 1.
 * @param[out] out versioned period (initialised by the caller); written only on success.
 * @return ::EPV_OK, ::EPV_EINVAL (NULL), ::EPV_EVERSION, ::EPV_ERANGE (`i` out of range).
 */
EPV_API int epv_project_period_at(epv_ctx *ctx, const epv_project *project, size_t i, epv_project_period *out);

/** Version of ::epv_project_claim this header describes. */
#define EPV_PROJECT_CLAIM_VERSION 1
/** A published or claimed annual removal figure to compare the estimate with; written by the library. */
typedef struct epv_project_claim {
    unsigned int version;  /**< ::EPV_PROJECT_CLAIM_VERSION */
    const char *label;     /**< e.g. "county figure" (owned by the project) */
    double tco2_per_year;  /**< claimed removals, t CO2/yr */
    double area_ha;        /**< area the claim is for, ha */
    const char *source;    /**< citation (owned by the project) */
} epv_project_claim;
/** Initialiser of ::epv_project_claim. */
#define EPV_PROJECT_CLAIM_INIT { EPV_PROJECT_CLAIM_VERSION, NULL, 0.0, 0.0, NULL }
/**
 * Function twin of ::EPV_PROJECT_CLAIM_INIT; ::EPV_EVERSION for an unknown version.
 * @param ctx may be NULL; receives the message of an error.
 * @param[out] x the struct to initialise (every field to its documented default);
 *            must not be NULL.
 * @param version the struct version the caller was built with (::EPV_PROJECT_CLAIM_VERSION).
 * @return ::EPV_OK, ::EPV_EINVAL (NULL `x`), ::EPV_EVERSION (version 0 or newer than
 *         this library knows; nothing written).
 */
EPV_API int epv_project_claim_init(epv_ctx *ctx, epv_project_claim *x, unsigned int version);
/**
 * Number of claims declared in the project file.
 * @param project the project; may be NULL (then 0).
 * @return the number of claims.
 */
EPV_API size_t epv_project_claim_count(const epv_project *project);
/**
 * Claim i (in file order); its strings are owned by the project.
 * @param ctx may be NULL; receives the message of an error.
 * @param project the project; must not be NULL.
 * @param i claim index, 0..epv_project_claim_count() - 1.
 * @param[out] out versioned claim (initialised by the caller); written only on success.
 * @return ::EPV_OK, ::EPV_EINVAL (NULL), ::EPV_EVERSION, ::EPV_ERANGE (`i` out of range).
 */
EPV_API int epv_project_claim_at(epv_ctx *ctx, const epv_project *project, size_t i, epv_project_claim *out);

/** Origin of a stratum's stand, which picks its IPCC Tier-1 row (plantation rows by conifer or
 *  broadleaf species, natural rows by age). Values fixed. */
typedef enum epv_project_origin {
    EPV_PROJECT_PLANTATION = 0, /**< planted (default) */
    EPV_PROJECT_NATURAL = 1     /**< natural or naturally regenerated forest */
} epv_project_origin;
/**
 * Set the origin of stratum `stratum_id` (project file: attribute `origin` of `<stratum>`).
 * @return ::EPV_OK, ::EPV_ENOTFOUND for an unknown stratum, ::EPV_EINVAL for an unknown origin.
 */
EPV_API int epv_project_set_stratum_origin(epv_ctx *ctx, epv_project *project, const char *stratum_id,
                                           epv_project_origin origin);
/** Origin of stratum i (::EPV_PROJECT_PLANTATION for NULL or an index out of range). */
EPV_API epv_project_origin epv_project_stratum_origin(const epv_project *project, size_t i);

/** What a claimed figure counts. Values fixed. */
typedef enum epv_project_basis {
    EPV_PROJECT_BASIS_UNSTATED = 0, /**< the claim does not say (project file without `basis`) */
    EPV_PROJECT_BASIS_GROSS = 1,    /**< gross growth of the stands (stock gain, nothing deducted) */
    EPV_PROJECT_BASIS_NET = 2       /**< net removals: gross minus baseline, emissions and leakage */
} epv_project_basis;
/** Basis of claim i (project file: attribute `basis` of `<claim>`, "gross" or "net"). */
EPV_API epv_project_basis epv_project_claim_basis(const epv_project *project, size_t i);

/* ---- forest management after AR-CM-003: measured start, thinning and harvest, HWP ---------- */

/**
 * Set the stem volume measured on stratum `stratum_id` at the start of the project's start year,
 * m³/ha (project file: attribute `start-volume-m3-ha` of `<stratum>`). Both scenarios then start
 * from this measured state: each continues on its own curve from the age at which that curve
 * has this volume (its "equivalent age"), so a higher project asymptote never lifts the stock the
 * stand already holds (AR-CM-003: the project starts from the state measured at its start).
 * @return ::EPV_OK; ::EPV_ENOTFOUND (stratum); ::EPV_ERANGE for a negative or non-finite volume.
 *         A volume a curve never reaches is refused when the project is estimated.
 */
EPV_API int epv_project_set_start_volume(epv_ctx *ctx, epv_project *project, const char *stratum_id,
                                         double volume_m3_ha);

/** Measured start volume of stratum i, m³/ha; NaN when none was set (or for NULL or an index
 *  out of range). */
EPV_API double epv_project_stratum_start_volume(const epv_project *project, size_t i);

/** Kind of a management event. Values fixed. */
typedef enum epv_project_event_kind {
    EPV_PROJECT_THINNING = 1, /**< a share of the standing stem volume removed; the stand grows on */
    EPV_PROJECT_HARVEST = 2   /**< clear-fell of the whole stand (fraction 1), replanted the next year */
} epv_project_event_kind;
/** Scenario an event belongs to. Values fixed. */
typedef enum epv_project_scenario {
    EPV_PROJECT_SCENARIO_PROJECT = 1,  /**< the project scenario only */
    EPV_PROJECT_SCENARIO_BASELINE = 2, /**< the baseline (pre-project management) only */
    EPV_PROJECT_SCENARIO_BOTH = 3      /**< both */
} epv_project_scenario;

/** Version of ::epv_project_event this header describes. */
#define EPV_PROJECT_EVENT_VERSION 1
/** A thinning or harvest at the end of a calendar year (project file: `<event>`). */
typedef struct epv_project_event {
    unsigned int version;          /**< ::EPV_PROJECT_EVENT_VERSION */
    char stratum[64];              /**< id of the stratum */
    int year;                      /**< calendar year (within the crediting period) */
    epv_project_event_kind kind;   /**< thinning or harvest */
    epv_project_scenario scenario; /**< project, baseline or both */
    double fraction;               /**< share of the standing stem volume removed: thinning (0, 1),
                                        harvest 1 */
} epv_project_event;
/** Initialiser of ::epv_project_event: a thinning in both scenarios; the rest is the caller's. */
#define EPV_PROJECT_EVENT_INIT { EPV_PROJECT_EVENT_VERSION, "", 0, EPV_PROJECT_THINNING, EPV_PROJECT_SCENARIO_BOTH, 0.0 }
/** Function twin of ::EPV_PROJECT_EVENT_INIT; ::EPV_EVERSION for an unknown version. */
EPV_API int epv_project_event_init(epv_ctx *ctx, epv_project_event *x, unsigned int version);
/**
 * Record a thinning or harvest. The removed stem volume V_r (m³/ha) leaves the stand at the end
 * of the year: its tree carbon (V_r times the stratum's volume-to-CO2 slope, roots and branches
 * included) is an emission of the scenario, at once (IPCC 2006 Vol. 4 Tier 1: harvested carbon
 * oxidised in the year of removal) unless harvested wood products are enabled
 * (epv_project_set_hwp()). The stand then grows on its curve from the equivalent age of the
 * volume left (a harvest: from age 0 the next year). Baseline events need a baseline curve.
 * @return ::EPV_OK; ::EPV_ENOTFOUND (stratum); ::EPV_ERANGE (year outside the crediting period,
 *         fraction outside (0, 1) for a thinning or not 1 for a harvest); ::EPV_EINVAL (kind,
 *         scenario, a baseline event on a stratum without a baseline curve); ::EPV_EVERSION.
 */
EPV_API int epv_project_add_event(epv_ctx *ctx, epv_project *project, const epv_project_event *event);
/** Number of management events. */
EPV_API size_t epv_project_event_count(const epv_project *project);
/** Event i. */
EPV_API int epv_project_event_at(epv_ctx *ctx, const epv_project *project, size_t i, epv_project_event *out);

/**
 * Count harvested wood products (project file: attributes `hwp-fraction` and
 * `hwp-half-life-years` of `<project>`): a share `product_fraction` of the removed stem carbon
 * (stem volume × basic wood density × CF × 44/12, bark and branches excluded) enters a product
 * pool that decays by first order, IPCC 2006 Vol. 4 eq. 12.1:
 * C(i+1) = e^(−k)·C(i) + [(1 − e^(−k))/k]·Inflow(i), k = ln 2 / half-life; the pool's yearly
 * change counts with its scenario (project removals, or baseline removals). Default 0: all
 * removed carbon is emitted at once (instantaneous oxidation).
 * @param product_fraction 0..1 (0 disables the pool).
 * @param half_life_years > 0 when product_fraction > 0 (IPCC 2013 KP Supplement Table 2.8.2
 *        defaults: sawnwood 35, wood panels 25, paper 2 years).
 * @return ::EPV_OK, ::EPV_ERANGE.
 */
EPV_API int epv_project_set_hwp(epv_ctx *ctx, epv_project *project, double product_fraction,
                                double half_life_years);

#ifdef __cplusplus
}
#endif
#endif /* EPV_PROJECT_H */
