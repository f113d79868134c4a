/* SPDX-License-Identifier: GPL-3.0-or-later */
/**
 * @file epv/bamboo.h
 * @brief Bamboo biomass and carbon per culm and per plot, with equations as data.
 *
 * Bamboo is not a tree: a culm reaches its full height and diameter in one season and then
 * only gains density for a few years, so stem volume × BEF says little. Bamboo biomass is
 * estimated per culm from its diameter at breast height (DBH) and, for species where it
 * matters, its age class, then summed over a plot (the per-culm approach of the bamboo
 * afforestation and management methodologies, AR-CM-002 and AR-CM-005, now CCER-14-001).
 *
 * The equations live in a table (`data/params/bamboo.xml`, schema `schema/bamboo.xsd`,
 * compiled into the library), one row per species with its model form, coefficients,
 * optional root:shoot ratio and carbon fraction, and a source for each. Model forms:
 * - ::EPV_BAMBOO_MODEL_ZHOU2004: M = a·D^b·(c·A/(d+A))^e + f, M above-ground dry biomass of
 *   one culm (kg), D its DBH (cm), A its age class in 度 (1 度 = culms of 1–2 years,
 *   2 度 = 3–4 years, ...). The form of Zhou & Jiang (2004) for 毛竹.
 * - ::EPV_BAMBOO_MODEL_POWER: M = a·D^b (kg, D in cm), no age term.
 *
 * Units: DBH cm, age class 度, biomass kg per culm, plot results t/ha (dry matter, carbon,
 * CO2). Carbon = biomass × CF; CO2 = carbon × 44/12; below-ground = above-ground × R.
 *
 * Threads: a loaded table is read-only for every function taking it `const` and may then
 * be shared between threads.
 */
#ifndef EPV_BAMBOO_H
#define EPV_BAMBOO_H

#include "epv/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Longest code, name or source id in a bamboo row, including the NUL. */
#define EPV_BAMBOO_NAME_MAX 64

/** Model forms of a bamboo row. Values fixed, only appended. */
typedef enum epv_bamboo_model {
    EPV_BAMBOO_MODEL_ZHOU2004 = 1, /**< M = a·D^b·(c·A/(d+A))^e + f (kg; D cm; A 度) */
    EPV_BAMBOO_MODEL_POWER = 2     /**< M = a·D^b (kg; D cm) */
} epv_bamboo_model;

/** Opaque table of bamboo equations and their sources. */
typedef struct epv_bamboo_table epv_bamboo_table;

/** Version of ::epv_bamboo_species this header describes. */
#define EPV_BAMBOO_SPECIES_VERSION 1

/**
 * One row of the table, copied out by epv_bamboo_species_at() / epv_bamboo_species_find().
 * A value the row does not give is NaN (coefficients the model does not use, age limits of a
 * model without age, an absent root:shoot ratio or carbon fraction); its source is "".
 */
typedef struct epv_bamboo_species {
    unsigned int version;                      /**< ::EPV_BAMBOO_SPECIES_VERSION */
    char code[EPV_BAMBOO_NAME_MAX];            /**< ASCII id, e.g. "phyllostachys_edulis" */
    char name_zh[EPV_BAMBOO_NAME_MAX];         /**< Chinese name, UTF-8, e.g. "毛竹" */
    char name_en[EPV_BAMBOO_NAME_MAX];         /**< Latin or English name */
    int model;                                 /**< ::epv_bamboo_model */
    double a, b, c, d, e, f;                   /**< coefficients as the model names them */
    double dbh_min_cm, dbh_max_cm;             /**< DBH range the equation accepts (cm) */
    double age_min, age_max;                   /**< age-class range (度) for models with age */
    double root_shoot;                         /**< below-/above-ground biomass (NaN: none) */
    double carbon_fraction;                    /**< t C per t dry matter (NaN: none) */
    char source[EPV_BAMBOO_NAME_MAX];          /**< source id of the equation */
    char root_shoot_source[EPV_BAMBOO_NAME_MAX];      /**< source id of R ("" if none) */
    char carbon_fraction_source[EPV_BAMBOO_NAME_MAX]; /**< source id of CF ("" if none) */
    char range_source[EPV_BAMBOO_NAME_MAX];    /**< source id of the DBH/age range ("" if none) */
    int provisional;                           /**< 1 if not yet checked against the primary text */
} epv_bamboo_species;
/** @var epv_bamboo_species::a
 *  coefficient a of the model (::epv_bamboo_model), for kg and D in cm. */
/** @var epv_bamboo_species::b
 *  coefficient b of the model (exponent of D). */
/** @var epv_bamboo_species::c
 *  coefficient c of ::EPV_BAMBOO_MODEL_ZHOU2004 (NaN for other models). */
/** @var epv_bamboo_species::d
 *  coefficient d of ::EPV_BAMBOO_MODEL_ZHOU2004, in 度 (NaN for other models). */
/** @var epv_bamboo_species::e
 *  coefficient e of ::EPV_BAMBOO_MODEL_ZHOU2004 (NaN for other models). */
/** @var epv_bamboo_species::f
 *  coefficient f of ::EPV_BAMBOO_MODEL_ZHOU2004, kg (NaN for other models). */
/** @var epv_bamboo_species::dbh_min_cm
 *  smallest DBH the equation accepts, cm. */
/** @var epv_bamboo_species::dbh_max_cm
 *  largest DBH the equation accepts, cm. */
/** @var epv_bamboo_species::age_min
 *  smallest age class the equation accepts, 度 (NaN for a model without age). */
/** @var epv_bamboo_species::age_max
 *  largest age class the equation accepts, 度 (NaN for a model without age). */

/** Initialiser of ::epv_bamboo_species (an empty row; the library fills it). */
#define EPV_BAMBOO_SPECIES_INIT                                                              \
    { EPV_BAMBOO_SPECIES_VERSION, "", "", "", 0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0,   \
      0.0, 0.0, 0.0, 0.0, "", "", "", "", 0 }
/**
 * Function twin of ::EPV_BAMBOO_SPECIES_INIT; ::EPV_EVERSION for an unknown version.
 * @param ctx may be NULL; receives the message of an error.
 * @param[out] x the struct to initialise (every field to its documented default);
 *            must not be NULL.
 * @param version the struct version the caller was built with (::EPV_BAMBOO_SPECIES_VERSION).
 * @return ::EPV_OK, ::EPV_EINVAL (NULL `x`), ::EPV_EVERSION (version 0 or newer than
 *         this library knows; nothing written).
 */
EPV_API int epv_bamboo_species_init(epv_ctx *ctx, epv_bamboo_species *x, unsigned int version);

/** Version of ::epv_bamboo_options this header describes. */
#define EPV_BAMBOO_OPTIONS_VERSION 1

/** Options of epv_bamboo_plot_estimate(). */
typedef struct epv_bamboo_options {
    unsigned int version;   /**< ::EPV_BAMBOO_OPTIONS_VERSION */
    double root_shoot;      /**< R to use instead of the row's; negative: the row's (default -1) */
    double carbon_fraction; /**< CF to use instead of the row's; negative: the row's (default -1) */
} epv_bamboo_options;

/** Defaults: take R and CF from the species row. */
#define EPV_BAMBOO_OPTIONS_INIT { EPV_BAMBOO_OPTIONS_VERSION, -1.0, -1.0 }
/**
 * Function twin of ::EPV_BAMBOO_OPTIONS_INIT; ::EPV_EVERSION for an unknown version.
 * @param ctx may be NULL; receives the message of an error.
 * @param[out] x the struct to initialise (every field to its documented default);
 *            must not be NULL.
 * @param version the struct version the caller was built with (::EPV_BAMBOO_OPTIONS_VERSION).
 * @return ::EPV_OK, ::EPV_EINVAL (NULL `x`), ::EPV_EVERSION (version 0 or newer than
 *         this library knows; nothing written).
 */
EPV_API int epv_bamboo_options_init(epv_ctx *ctx, epv_bamboo_options *x, unsigned int version);

/** Version of ::epv_bamboo_plot this header describes. */
#define EPV_BAMBOO_PLOT_VERSION 1

/** Per-hectare result of one plot, written by epv_bamboo_plot_estimate(). */
typedef struct epv_bamboo_plot {
    unsigned int version;  /**< ::EPV_BAMBOO_PLOT_VERSION (set by the caller) */
    double culms_ha;       /**< culms per hectare */
    double agb_t_ha;       /**< above-ground dry biomass, t/ha */
    double bgb_t_ha;       /**< below-ground dry biomass (agb × R), t/ha */
    double biomass_t_ha;   /**< agb + bgb, t/ha */
    double carbon_t_ha;    /**< biomass × CF, t C/ha */
    double co2_t_ha;       /**< carbon × 44/12, t CO2/ha */
    double root_shoot;     /**< the R used */
    double carbon_fraction;/**< the CF used */
} epv_bamboo_plot;

/** Initialiser of ::epv_bamboo_plot. */
#define EPV_BAMBOO_PLOT_INIT { EPV_BAMBOO_PLOT_VERSION, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0 }
/**
 * Function twin of ::EPV_BAMBOO_PLOT_INIT; ::EPV_EVERSION for an unknown version.
 * @param ctx may be NULL; receives the message of an error.
 * @param[out] x the struct to initialise (every field to its documented default);
 *            must not be NULL.
 * @param version the struct version the caller was built with (::EPV_BAMBOO_PLOT_VERSION).
 * @return ::EPV_OK, ::EPV_EINVAL (NULL `x`), ::EPV_EVERSION (version 0 or newer than
 *         this library knows; nothing written).
 */
EPV_API int epv_bamboo_plot_init(epv_ctx *ctx, epv_bamboo_plot *x, unsigned int version);

/**
 * Load the table shipped with the library (data/params/bamboo.xml).
 * @param ctx the context the table allocates from; must not be NULL and must outlive the
 *            table.
 * @param[out] out receives the table (free with epv_bamboo_free()); NULL on failure. Must
 *            not be NULL.
 * @return ::EPV_OK, ::EPV_EINVAL (NULL `out`), ::EPV_ENOTFOUND (resource missing from the
 *         library), ::EPV_ENOMEM, or an error of epv_bamboo_load_memory().
 */
EPV_API int epv_bamboo_load_default(epv_ctx *ctx, epv_bamboo_table **out);
/**
 * Load a table from a file validated against schema/bamboo.xsd. Errors name the file, the
 * line, the row and the attribute (`file:line: species 'x': a: ...`); *out is NULL then.
 * @param ctx the context the table allocates from; must not be NULL and must outlive the
 *            table.
 * @param path file name (NUL-terminated); must not be NULL.
 * @param[out] out receives the table (free with epv_bamboo_free()); must not be NULL.
 * @return ::EPV_OK, ::EPV_EINVAL (NULL), ::EPV_EIO (unreadable), ::EPV_EPARSE (not
 *         well-formed, bad number), ::EPV_ESCHEMA (invalid against the schema or a value
 *         out of range), ::EPV_EEXISTS (a species code or source id twice), ::EPV_ENOMEM.
 */
EPV_API int epv_bamboo_load_file(epv_ctx *ctx, const char *path, epv_bamboo_table **out);
/**
 * Load a table from a buffer holding the XML of a file (schema/bamboo.xsd).
 * @param ctx the context the table allocates from; must not be NULL and must outlive the
 *            table.
 * @param buf the XML text; need not be NUL-terminated; must not be NULL; not kept.
 * @param len length of `buf` in bytes.
 * @param name name used in error messages in place of a file name; NULL: "(buffer)".
 * @param[out] out receives the table (free with epv_bamboo_free()); NULL on failure. Must not
 *            be NULL.
 * @return as epv_bamboo_load_file() (without ::EPV_EIO).
 */
EPV_API int epv_bamboo_load_memory(epv_ctx *ctx, const char *buf, size_t len, const char *name,
                                   epv_bamboo_table **out);
/**
 * Free a table (strings it returned become invalid).
 * @param table the table; NULL is a no-op.
 */
EPV_API void epv_bamboo_free(epv_bamboo_table *table);

/**
 * Number of species rows.
 * @param table the table; may be NULL (then 0).
 * @return the number of rows.
 */
EPV_API size_t epv_bamboo_species_count(const epv_bamboo_table *table);
/**
 * Copy row i (in file order) into *out.
 * @param ctx may be NULL; receives the message of an error.
 * @param table the table; must not be NULL.
 * @param i row index, 0..epv_bamboo_species_count() - 1.
 * @param[out] out versioned row, initialised by the caller; its string members are copies.
 * @return ::EPV_OK, ::EPV_EINVAL (NULL), ::EPV_ERANGE (`i` out of range), ::EPV_EVERSION.
 */
EPV_API int epv_bamboo_species_at(epv_ctx *ctx, const epv_bamboo_table *table, size_t i,
                                  epv_bamboo_species *out);
/**
 * Find a row by code, Chinese name or English name (code and Chinese name exactly, the
 * English name ignoring ASCII case).
 * @param ctx may be NULL; receives the message of an error.
 * @param table the table; must not be NULL.
 * @param key code, Chinese name (UTF-8) or English name; must not be NULL.
 * @param[out] out versioned row, initialised by the caller; written only on success.
 * @return ::EPV_OK, ::EPV_EINVAL (NULL), ::EPV_ENOTFOUND (naming the key), ::EPV_EVERSION.
 */
EPV_API int epv_bamboo_species_find(epv_ctx *ctx, const epv_bamboo_table *table, const char *key,
                                    epv_bamboo_species *out);
/**
 * Citation of a source id of the table.
 * @param ctx may be NULL; receives the message of an error.
 * @param table the table; must not be NULL.
 * @param id source id, as a row's `source` fields name it; must not be NULL.
 * @param[out] citation receives a string owned by the table (valid while it lives); must not
 *            be NULL.
 * @return ::EPV_OK, ::EPV_EINVAL (NULL), ::EPV_ENOTFOUND (unknown id, named).
 */
EPV_API int epv_bamboo_source_citation(epv_ctx *ctx, const epv_bamboo_table *table, const char *id,
                                       const char **citation);

/**
 * Age class in 度 from culm age in years, the way 毛竹 stands are counted: a culm of 1 or 2
 * years is 1 度, 3 or 4 years 2 度, i.e. 度 = (years + 1) / 2 rounded down.
 * @param ctx may be NULL; receives the message of an error.
 * @param age_years n ages, each 1..100 years; must not be NULL.
 * @param n number of culms (0: nothing to do).
 * @param[out] du n age classes; must not be NULL. On error (::EPV_ERANGE naming the index)
 *            nothing is written.
 * @return ::EPV_OK, ::EPV_EINVAL (NULL), ::EPV_ERANGE.
 */
EPV_API int epv_bamboo_age_class(epv_ctx *ctx, const int *age_years, size_t n, int *du);

/**
 * Above-ground dry biomass of n culms of one species, in kg each.
 * @param ctx may be NULL; receives the message of an error.
 * @param table the table; must not be NULL.
 * @param species code, Chinese name or English name of the row (as epv_bamboo_species_find()).
 * @param n number of culms.
 * @param dbh_cm n diameters at breast height (cm), within the row's DBH range
 * @param age_du n age classes (度) for a model with age; NULL for a model without
 * @param[out] agb_kg n results. All or nothing: every input is checked before anything is
 *             written; ::EPV_ERANGE names the culm's index, the field and the allowed range.
 * @return ::EPV_OK, ::EPV_EINVAL (NULL argument, age missing for a model that needs it),
 *         ::EPV_ENOTFOUND (unknown species), ::EPV_ERANGE, ::EPV_EDOMAIN (a result that is
 *         not a positive finite number).
 */
EPV_API int epv_bamboo_culm_biomass(epv_ctx *ctx, const epv_bamboo_table *table, const char *species,
                                    const double *dbh_cm, const double *age_du, size_t n, double *agb_kg);

/**
 * Biomass, carbon and CO2 per hectare of one plot from its culms (every living culm of the
 * plot, measured): above-ground from epv_bamboo_culm_biomass(), below-ground = agb × R,
 * carbon = (agb + bgb) × CF, CO2 = carbon × 44/12.
 * @param ctx may be NULL; receives the message of an error.
 * @param table the table; must not be NULL.
 * @param species code, Chinese name or English name of the row (as epv_bamboo_species_find()).
 * @param dbh_cm n diameters at breast height (cm), within the row's DBH range; must not be NULL.
 * @param age_du n age classes (度) for a model with age; NULL for a model without.
 * @param n number of culms measured on the plot (0: an empty plot, all results 0).
 * @param plot_area_m2 plot area, (0, 1e6] m²
 * @param opts NULL for the defaults (R and CF from the row)
 * @param[out] out versioned result (set its version first); written only on success.
 * @return as epv_bamboo_culm_biomass(); ::EPV_EINVAL also when R or CF is missing from both
 *         the row and the options (a missing value is an error, never 0); ::EPV_ERANGE also
 *         for the plot area, R outside [0, 1.5] or CF outside [0.3, 0.6]; ::EPV_EVERSION for
 *         `opts` or `out`.
 */
EPV_API int epv_bamboo_plot_estimate(epv_ctx *ctx, const epv_bamboo_table *table, const char *species,
                                     const double *dbh_cm, const double *age_du, size_t n,
                                     double plot_area_m2, const epv_bamboo_options *opts,
                                     epv_bamboo_plot *out);

#ifdef __cplusplus
}
#endif
#endif /* EPV_BAMBOO_H */
