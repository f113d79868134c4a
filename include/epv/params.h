/* SPDX-License-Identifier: GPL-3.0-or-later */
/**
 * @file epv/params.h
 * @brief Reference parameter tables as data: species parameters and IPCC Tier-1 defaults.
 *
 * Every number libepv uses in a carbon estimate comes from a row of a table loaded here,
 * and every row names its source (a key into the table's list of sources). The default
 * table ships in `data/params/species.xml` (also compiled into the library); users may load
 * their own file (same XSD, `schema/params.xsd`), merge one over the defaults, or override
 * single values in code. Values not yet checked against a primary source carry
 * `provisional = 1`.
 *
 * Range checks applied to every value loaded or set (sanity bounds wide enough for every
 * published value we know of; doc/params.md gives their basis):
 * wood density 0.1–1.5 t/m³, BEF 1–4, root:shoot 0–1.5, carbon fraction 0.3–0.6,
 * Fang slope a 0–5 t/m³ (exclusive of 0), Fang intercept b −200–200 t/ha,
 * IPCC growth 0–50 t d.m./ha/yr with growth_min ≤ growth ≤ growth_max.
 *
 * Fang's continuous BEF (Fang et al. 1998, 2001): B = a·V + b, with V the stand's stem
 * volume (m³/ha) and B the TOTAL stand biomass (t d.m./ha): above-ground AND below-ground
 * (roots included; Fang & Wang 2001 define the continuous BEF as "the ratio of all stand
 * biomass to stem volume"). Do not multiply B by (1 + R) again.
 *
 * Threads: a loaded ::epv_params is read-only for every function taking it `const`, and may
 * then be shared between threads; functions that modify it need exclusive access.
 */
#ifndef EPV_PARAMS_H
#define EPV_PARAMS_H

#include "epv/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Longest code, name or source id kept in a row, including the NUL. */
#define EPV_PARAMS_NAME_MAX 64

/** Version of ::epv_params_species this header describes. */
#define EPV_PARAMS_SPECIES_VERSION 1
/** Parameters of one tree species (or species group); filled by the caller or the library. */
typedef struct epv_params_species {
    unsigned int version;              /**< ::EPV_PARAMS_SPECIES_VERSION */
    char code[EPV_PARAMS_NAME_MAX];    /**< stable ASCII id, e.g. "cunninghamia_lanceolata" */
    char name_zh[EPV_PARAMS_NAME_MAX]; /**< Chinese name, UTF-8, e.g. "杉木" */
    char name_en[EPV_PARAMS_NAME_MAX]; /**< English or Latin name */
    int conifer;                       /**< 1 conifer, 0 broadleaf */
    double wood_density;               /**< basic wood density D, t dry matter per m³ fresh volume */
    double bef;                        /**< biomass expansion factor: above-ground / stem biomass */
    double root_shoot;                 /**< root:shoot ratio R, below- / above-ground biomass */
    double carbon_fraction;            /**< carbon fraction CF, t C per t dry matter */
    double fang_a;                     /**< Fang's continuous BEF B = a·V + b (B total stand biomass,
                                            roots included, t/ha; V stem volume, m³/ha): slope (t/m³); NaN if none */
    double fang_b;                     /**< Fang's continuous BEF intercept (t/ha); NaN if none */
    char source[EPV_PARAMS_NAME_MAX];      /**< source id of D, BEF, R, CF (the row's; a value
                                                with its own source: epv_params_species_value_source()) */
    char fang_source[EPV_PARAMS_NAME_MAX]; /**< source id of the Fang coefficients ("" if none) */
    int provisional;                   /**< 1 if not yet verified against the primary source */
} epv_params_species;
/** Initialiser of ::epv_params_species: empty strings, zero values, no Fang coefficients
 *  (the Fang fields must be set to NaN by the caller when a row has none). */
#define EPV_PARAMS_SPECIES_INIT { EPV_PARAMS_SPECIES_VERSION, "", "", "", 0, 0.0, 0.0, 0.0, 0.0, \
    0.0, 0.0, "", "", 0 }
/**
 * Function twin of ::EPV_PARAMS_SPECIES_INIT (which also sets fang_a and fang_b to NaN).
 * @param ctx may be NULL; receives the message of an error.
 * @param[out] x the struct to initialise (every field to its documented default);
 *            must not be NULL.
 * @param version the struct version the caller was built with (::EPV_PARAMS_SPECIES_VERSION).
 * @return ::EPV_OK, ::EPV_EINVAL (NULL `x`), ::EPV_EVERSION (version 0 or newer than
 *         this library knows; nothing written).
 */
EPV_API int epv_params_species_init(epv_ctx *ctx, epv_params_species *x, unsigned int version);

/** Version of ::epv_params_ipcc_growth this header describes. */
#define EPV_PARAMS_IPCC_GROWTH_VERSION 1
/** IPCC Tier-1 above-ground biomass growth default for a zone and forest type. */
typedef struct epv_params_ipcc_growth {
    unsigned int version;                  /**< ::EPV_PARAMS_IPCC_GROWTH_VERSION */
    char zone[EPV_PARAMS_NAME_MAX];        /**< climate domain/ecological zone, e.g. "subtropical_humid" */
    char region[EPV_PARAMS_NAME_MAX];      /**< continent, e.g. "asia" */
    char forest_type[EPV_PARAMS_NAME_MAX]; /**< e.g. "plantation_broadleaf", "natural_le20y", "natural_gt20y" */
    double growth_t_dm_ha_yr;              /**< above-ground net growth G_W, t d.m./ha/yr */
    double growth_min;                     /**< lower end of the published range (NaN if none) */
    double growth_max;                     /**< upper end of the published range (NaN if none) */
    double root_shoot;                     /**< default R for this type (NaN if none) */
    char source[EPV_PARAMS_NAME_MAX];      /**< source id */
    int provisional;                       /**< 1 if not yet verified against the primary source */
} epv_params_ipcc_growth;
/** Initialiser of ::epv_params_ipcc_growth. */
#define EPV_PARAMS_IPCC_GROWTH_INIT { EPV_PARAMS_IPCC_GROWTH_VERSION, "", "", "", 0.0, 0.0, 0.0, 0.0, "", 0 }
/**
 * Function twin of ::EPV_PARAMS_IPCC_GROWTH_INIT; ::EPV_EVERSION for an unknown version.
 * @param ctx may be NULL; receives the message of an error.
 * @param[out] x the struct to initialise (every field to its documented default);
 *            must not be NULL.
 * @param version the struct version the caller was built with (::EPV_PARAMS_IPCC_GROWTH_VERSION).
 * @return ::EPV_OK, ::EPV_EINVAL (NULL `x`), ::EPV_EVERSION (version 0 or newer than
 *         this library knows; nothing written).
 */
EPV_API int epv_params_ipcc_growth_init(epv_ctx *ctx, epv_params_ipcc_growth *x, unsigned int version);

/** Version of ::epv_params_source this header describes. */
#define EPV_PARAMS_SOURCE_VERSION 1
/** A bibliographic source referenced by rows; written by the library. Strings owned by the table. */
typedef struct epv_params_source {
    unsigned int version; /**< ::EPV_PARAMS_SOURCE_VERSION */
    const char *id;       /**< key used by rows */
    const char *citation; /**< full citation, UTF-8 */
} epv_params_source;
/** Initialiser of ::epv_params_source. */
#define EPV_PARAMS_SOURCE_INIT { EPV_PARAMS_SOURCE_VERSION, NULL, NULL }
/**
 * Function twin of ::EPV_PARAMS_SOURCE_INIT; ::EPV_EVERSION for an unknown version.
 * @param ctx may be NULL; receives the message of an error.
 * @param[out] x the struct to initialise (every field to its documented default);
 *            must not be NULL.
 * @param version the struct version the caller was built with (::EPV_PARAMS_SOURCE_VERSION).
 * @return ::EPV_OK, ::EPV_EINVAL (NULL `x`), ::EPV_EVERSION (version 0 or newer than
 *         this library knows; nothing written).
 */
EPV_API int epv_params_source_init(epv_ctx *ctx, epv_params_source *x, unsigned int version);

/** Opaque parameter table: species rows, IPCC growth rows and their sources. */
typedef struct epv_params epv_params;

/**
 * Load the default table shipped with the library (data/params/species.xml).
 * @param ctx the context the table allocates from; must not be NULL and must outlive the
 *            table.
 * @param[out] out receives the table (free with epv_params_free()); must not be NULL.
 * @return ::EPV_OK, ::EPV_EINVAL (NULL `out`), ::EPV_ENOTFOUND (resource missing from the
 *         library), ::EPV_ENOMEM, or an error of epv_params_load_memory().
 */
EPV_API int epv_params_load_default(epv_ctx *ctx, epv_params **out);
/**
 * Load a table from a file validated against schema/params.xsd. Errors name file and line.
 * @param ctx the context the table allocates from; must not be NULL and must outlive the
 *            table.
 * @param path file name; must not be NULL.
 * @param[out] out receives the table (free with epv_params_free()); NULL on failure. Must not
 *            be NULL.
 * @return ::EPV_OK, ::EPV_EINVAL (NULL), ::EPV_EIO (unreadable), ::EPV_EPARSE (not
 *         well-formed, bad number), ::EPV_ESCHEMA (invalid against the schema), ::EPV_ERANGE
 *         (a value out of its range), ::EPV_EEXISTS (a code or id twice), ::EPV_ENOTFOUND (a
 *         row naming an undeclared source), ::EPV_ENOMEM.
 */
EPV_API int epv_params_load_file(epv_ctx *ctx, const char *path, epv_params **out);
/**
 * Load a table from a buffer holding the XML of a file.
 * @param ctx the context the table allocates from; must not be NULL and must outlive the
 *            table.
 * @param buf the XML text; need not be NUL-terminated; must not be NULL; not kept.
 * @param len length of `buf` in bytes.
 * @param name name used in error messages in place of a file name; NULL: "(buffer)".
 * @param[out] out receives the table (free with epv_params_free()); NULL on failure. Must not
 *            be NULL.
 * @return as epv_params_load_file() (without ::EPV_EIO).
 */
EPV_API int epv_params_load_memory(epv_ctx *ctx, const char *buf, size_t len, const char *name,
                                   epv_params **out);
/**
 * Merge a file over a table: rows with an existing code replace the old row, new rows are
 * added. All or nothing: on any error the table is unchanged.
 * @param ctx the context the table allocates from; must not be NULL.
 * @param params the table; must not be NULL.
 * @param path file to merge (same schema as epv_params_load_file()); must not be NULL.
 * @return as epv_params_load_file().
 */
EPV_API int epv_params_merge_file(epv_ctx *ctx, epv_params *params, const char *path);
/**
 * Free a table (strings it handed out become invalid).
 * @param params the table; NULL is a no-op.
 */
EPV_API void epv_params_free(epv_params *params);

/**
 * Number of species rows.
 * @param params the table; may be NULL (then 0).
 * @return the number of rows.
 */
EPV_API size_t epv_params_species_count(const epv_params *params);
/**
 * Copy species row i into *out.
 * @param ctx may be NULL; receives the message of an error.
 * @param params the table; must not be NULL.
 * @param i row index, 0..epv_params_species_count() - 1.
 * @param[out] out versioned row (initialised by the caller); written only on success.
 * @return ::EPV_OK, ::EPV_EINVAL (NULL), ::EPV_EVERSION, ::EPV_ERANGE (`i` out of range).
 */
EPV_API int epv_params_species_at(epv_ctx *ctx, const epv_params *params, size_t i, epv_params_species *out);
/**
 * Find a species by code, Chinese name or English name (tried in that order; code and
 * Chinese name match exactly, the English name ignoring ASCII case).
 * @param ctx may be NULL; receives the message of an error.
 * @param params the table; must not be NULL.
 * @param key code, Chinese name (UTF-8) or English name; must not be NULL.
 * @param[out] out versioned row (initialised by the caller); written only on success.
 * @return ::EPV_OK, ::EPV_EINVAL (NULL), ::EPV_EVERSION, or ::EPV_ENOTFOUND ("species:
 *         unknown 'x'").
 */
EPV_API int epv_params_species_find(epv_ctx *ctx, const epv_params *params, const char *key,
                                    epv_params_species *out);
/**
 * Add a row or replace the row with the same code, after range checks on every value. On
 * error the table is unchanged.
 * @param ctx the context the table allocates from; must not be NULL.
 * @param params the table; must not be NULL.
 * @param row versioned row to copy in; must not be NULL.
 * @return ::EPV_OK, ::EPV_EINVAL (NULL, an inconsistent row such as Fang's a without b),
 *         ::EPV_EVERSION, ::EPV_ERANGE (a value out of range, named), ::EPV_ENOTFOUND (an
 *         undeclared source id), ::EPV_ENOMEM.
 */
EPV_API int epv_params_species_set(epv_ctx *ctx, epv_params *params, const epv_params_species *row);
/**
 * Override one value of one species: field is "wood_density", "bef", "root_shoot",
 * "carbon_fraction", "fang_a" or "fang_b"; `source` names where the new value comes from.
 * Checks the value's range; on error nothing changes.
 * @param ctx may be NULL; receives the message of an error.
 * @param params the table; must not be NULL.
 * @param species code, Chinese name or English name of the species row; must not be NULL.
 * @param field "wood_density", "bef", "root_shoot", "carbon_fraction", "fang_a" or "fang_b";
 *              must not be NULL.
 * @param value the new value, in the field's unit (range-checked).
 * @param source source id of the new value (shorter than ::EPV_PARAMS_NAME_MAX); must not be
 *               NULL.
 * @return ::EPV_OK, ::EPV_EINVAL (NULL, unknown field, source too long), ::EPV_ENOTFOUND
 *         (unknown species), ::EPV_ERANGE (value out of range).
 */
EPV_API int epv_params_species_override(epv_ctx *ctx, epv_params *params, const char *species,
                                        const char *field, double value, const char *source);

/**
 * Source id of one value of one species: field as in epv_params_species_override().
 * Values loaded from a file take the row's `source` (or the file's per-value
 * `<field>_source` attribute); an override records its own source here.
 * @param ctx may be NULL; receives the message of an error.
 * @param params the table; must not be NULL.
 * @param species code, Chinese name or English name of the species row; must not be NULL.
 * @param field "wood_density", "bef", "root_shoot", "carbon_fraction", "fang_a" or "fang_b";
 *              must not be NULL.
 * @param[out] source_out receives a string owned by the table (valid until it is modified);
 *            must not be NULL.
 * @return ::EPV_OK, ::EPV_ENOTFOUND (unknown species) or ::EPV_EINVAL (NULL, unknown field).
 */
EPV_API int epv_params_species_value_source(epv_ctx *ctx, const epv_params *params, const char *species,
                                            const char *field, const char **source_out);

/**
 * Uncertainty of one parameter value, kept beside the value with its own source
 * (file: `<uncertainty species="..." field="..." u_pct="..." source="..."/>` after the
 * species rows); written by the library; `source` is owned by the table.
 */
typedef struct epv_params_value_uncertainty {
    unsigned int version; /**< ::EPV_PARAMS_VALUE_UNCERTAINTY_VERSION */
    double u_pct;       /**< U%: half-width of the 95% interval in percent of the value (IPCC
                             2006 Vol. 1 ch. 3), e.g. 5.3 for ±5.3% */
    const char *source; /**< source id of the uncertainty (valid until the table is modified) */
    int provisional;    /**< 1 if not yet verified against the primary source */
} epv_params_value_uncertainty;
/** Version of ::epv_params_value_uncertainty this header describes. */
#define EPV_PARAMS_VALUE_UNCERTAINTY_VERSION 1
/** Initialiser of ::epv_params_value_uncertainty. */
#define EPV_PARAMS_VALUE_UNCERTAINTY_INIT { EPV_PARAMS_VALUE_UNCERTAINTY_VERSION, 0.0, NULL, 0 }
/**
 * Function twin of ::EPV_PARAMS_VALUE_UNCERTAINTY_INIT; ::EPV_EVERSION for an unknown version.
 * @param ctx may be NULL; receives the message of an error.
 * @param[out] x the struct to initialise; must not be NULL.
 * @param version the struct version the caller was built with
 *                (::EPV_PARAMS_VALUE_UNCERTAINTY_VERSION).
 * @return ::EPV_OK, ::EPV_EINVAL (NULL `x`), ::EPV_EVERSION (version 0 or newer than this
 *         library knows; nothing written).
 */
EPV_API int epv_params_value_uncertainty_init(epv_ctx *ctx, epv_params_value_uncertainty *x,
                                              unsigned int version);

/**
 * Uncertainty recorded for one value of one species (field as in
 * epv_params_species_override()). Overriding a value drops its recorded uncertainty
 * (it belonged to the old value).
 * @param ctx may be NULL; receives the message of an error.
 * @param params the table; must not be NULL.
 * @param species code, Chinese name or English name of the species row; must not be NULL.
 * @param field "wood_density", "bef", "root_shoot", "carbon_fraction", "fang_a" or "fang_b";
 *              must not be NULL.
 * @param[out] out versioned result (initialised by the caller); written only on success.
 * @return ::EPV_OK; ::EPV_ENOTFOUND for an unknown species or when no uncertainty is
 *         recorded for the field ("species 'x': bef: no uncertainty recorded");
 *         ::EPV_EINVAL for NULL or an unknown field; ::EPV_EVERSION.
 */
EPV_API int epv_params_species_uncertainty(epv_ctx *ctx, const epv_params *params, const char *species,
                                           const char *field, epv_params_value_uncertainty *out);
/**
 * Record (or replace) the uncertainty of one value: u_pct in (0, 200] percent, `source` a
 * declared source id. On error nothing changes.
 * @param ctx may be NULL; receives the message of an error.
 * @param params the table; must not be NULL.
 * @param species code, Chinese name or English name of the species row; must not be NULL.
 * @param field "wood_density", "bef", "root_shoot", "carbon_fraction", "fang_a" or "fang_b";
 *              must not be NULL.
 * @param u_pct U%, half-width of the 95% interval in percent of the value, in (0, 200].
 * @param source source id (declared in the table, shorter than ::EPV_PARAMS_NAME_MAX); must
 *               not be NULL.
 * @param provisional 1 if not yet verified against the primary source, else 0.
 * @return ::EPV_OK, ::EPV_EINVAL (NULL, unknown field, source too long, a Fang field of a
 *         species without Fang coefficients), ::EPV_ENOTFOUND (unknown species or source),
 *         ::EPV_ERANGE (u_pct).
 */
EPV_API int epv_params_species_set_uncertainty(epv_ctx *ctx, epv_params *params, const char *species,
                                               const char *field, double u_pct, const char *source,
                                               int provisional);

/**
 * Number of IPCC growth rows.
 * @param params the table; may be NULL (then 0).
 * @return the number of rows.
 */
EPV_API size_t epv_params_ipcc_growth_count(const epv_params *params);
/**
 * Copy IPCC growth row i into *out.
 * @param ctx may be NULL; receives the message of an error.
 * @param params the table; must not be NULL.
 * @param i row index, 0..epv_params_ipcc_growth_count() - 1.
 * @param[out] out versioned row (initialised by the caller); written only on success.
 * @return ::EPV_OK, ::EPV_EINVAL (NULL), ::EPV_EVERSION, ::EPV_ERANGE (`i` out of range).
 */
EPV_API int epv_params_ipcc_growth_at(epv_ctx *ctx, const epv_params *params, size_t i,
                                      epv_params_ipcc_growth *out);
/**
 * Add an IPCC growth row, or replace the row of the same zone, region and forest type. Checked
 * as a loaded row is (ranges, a declared source); root_shoot may be NaN (then functions that
 * need it refuse the row rather than take 0).
 * @param ctx the context; must not be NULL (the table may grow).
 * @param params the table; must not be NULL.
 * @param row versioned row with a declared source; must not be NULL.
 * @return ::EPV_OK, ::EPV_EINVAL (NULL), ::EPV_EVERSION, ::EPV_ERANGE (naming the value),
 *         ::EPV_ENOTFOUND (unknown source), ::EPV_ENOMEM.
 */
EPV_API int epv_params_ipcc_growth_set(epv_ctx *ctx, epv_params *params, const epv_params_ipcc_growth *row);
/**
 * Find the IPCC growth row for zone, region and forest type (exact codes).
 * @param ctx may be NULL; receives the message of an error.
 * @param params the table; must not be NULL.
 * @param zone climate zone code of the row; must not be NULL.
 * @param region continent/region code of the row; must not be NULL.
 * @param forest_type forest type code of the row; must not be NULL.
 * @param[out] out versioned row (initialised by the caller); written only on success.
 * @return ::EPV_OK, ::EPV_EINVAL (NULL), ::EPV_EVERSION, ::EPV_ENOTFOUND (no such row; the
 *         message names the three codes).
 */
EPV_API int epv_params_ipcc_growth_find(epv_ctx *ctx, const epv_params *params, const char *zone,
                                        const char *region, const char *forest_type,
                                        epv_params_ipcc_growth *out);

/**
 * Number of sources.
 * @param params the table; may be NULL (then 0).
 * @return the number of sources.
 */
EPV_API size_t epv_params_source_count(const epv_params *params);
/**
 * Source i (strings valid while the table lives and is not modified).
 * @param ctx may be NULL; receives the message of an error.
 * @param params the table; must not be NULL.
 * @param i source index, 0..epv_params_source_count() - 1.
 * @param[out] out versioned source (initialised by the caller); written only on success.
 * @return ::EPV_OK, ::EPV_EINVAL (NULL), ::EPV_EVERSION, ::EPV_ERANGE (`i` out of range).
 */
EPV_API int epv_params_source_at(epv_ctx *ctx, const epv_params *params, size_t i, epv_params_source *out);
/**
 * Find a source by id (strings valid while the table lives and is not modified).
 * @param ctx may be NULL; receives the message of an error.
 * @param params the table; must not be NULL.
 * @param id source id; must not be NULL.
 * @param[out] out versioned source (initialised by the caller); written only on success.
 * @return ::EPV_OK, ::EPV_EINVAL (NULL), ::EPV_EVERSION, ::EPV_ENOTFOUND (unknown id).
 */
EPV_API int epv_params_source_find(epv_ctx *ctx, const epv_params *params, const char *id,
                                   epv_params_source *out);

#ifdef __cplusplus
}
#endif
#endif /* EPV_PARAMS_H */
