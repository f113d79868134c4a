/* SPDX-License-Identifier: GPL-3.0-or-later */
/**
 * @file epv/compartment.h
 * @brief Forest inventories into projects: sub-compartment records (小班, from a forest
 *        management inventory, 二类调查) grouped into sink strata by stated rules, with the
 *        link from every stratum back to its records.
 *
 * A record is one sub-compartment: id, species or species group (resolved against the
 * parameter table), origin (plantation or natural), age (years, at the end of the inventory
 * year), area (ha), stem volume per hectare (m³/ha) and site class (1..5; 0 unknown). Records
 * come from a CSV file (lib/csv_int.h: UTF-8 or declared GB18030; errors name file, line and
 * column), from a GIS vector layer through GDAL (GeoPackage, Shapefile, GeoJSON, ...; errors
 * name file, layer, feature and field; areas from an attribute or the polygons) or from
 * arrays, all checked by the same rules. epv_compartment_stratify() groups them by species × origin × age
 * class × site class (each factor can be switched off), adds one stratum per group to a
 * project, and returns a map from each stratum to its record indices.
 *
 * Age classes (龄级): by default 10 years for plantations and 20 for natural stands, the
 * general rule of the national forest inventory ("一般天然林每20年为一个龄级; 人工林每10年为一个
 * 龄级"; the species table of the rules, GB/T 26424-2010 and the 国家森林资源连续清查技术规定,
 * sets other widths for some species, e.g. fast-growing ones: give those per species in
 * ::epv_compartment_rules). Class k (1-based) holds ages (k−1)·w+1 .. k·w.
 *
 * Threads: a record set and a map are read-only after they are made.
 */
#ifndef EPV_COMPARTMENT_H
#define EPV_COMPARTMENT_H

#include "epv/common.h"
#include "epv/params.h"
#include "epv/growth.h"
#include "epv/project.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Version of ::epv_compartment this header describes. */
#define EPV_COMPARTMENT_VERSION 1
/** One sub-compartment record (小班). */
typedef struct epv_compartment {
    unsigned int version;      /**< ::EPV_COMPARTMENT_VERSION */
    char id[64];               /**< sub-compartment id (小班号), unique in the set */
    char species[64];          /**< species or species group: code, Chinese or English name */
    epv_project_origin origin; /**< plantation (人工) or natural (天然) */
    int age;                   /**< mean stand age at the end of the inventory year, years (0..500) */
    double area_ha;            /**< area, ha (> 0, ≤ ::EPV_PROJECT_AREA_MAX_HA) */
    double volume_m3_ha;       /**< stem volume per hectare, m³/ha (0..5000) */
    int site_class;            /**< site class 1..5 (立地等级/地位级), 0 unknown */
} epv_compartment;
/** Initialiser of ::epv_compartment. */
#define EPV_COMPARTMENT_INIT { EPV_COMPARTMENT_VERSION, "", "", EPV_PROJECT_PLANTATION, 0, 0.0, 0.0, 0 }
/** Function twin of ::EPV_COMPARTMENT_INIT; ::EPV_EVERSION for an unknown version. */
EPV_API int epv_compartment_init(epv_ctx *ctx, epv_compartment *x, unsigned int version);

/** Opaque set of sub-compartment records. */
typedef struct epv_compartment_set epv_compartment_set;

/**
 * Read records from a CSV file with the header columns `id`, `species`, `origin`
 * (`plantation`/`人工` or `natural`/`天然`), `age`, `area_ha` (or `area_mu`, 15 mu per ha),
 * `volume_m3_ha` and, optionally, `site_class` (empty: 0). Every species is resolved against
 * `params`. Progress through the context (every 4096 rows); cancelling returns
 * ::EPV_ECANCELLED and nothing.
 * @param encoding NULL or "UTF-8", or "GB18030".
 * @return ::EPV_OK; ::EPV_EIO; ::EPV_EPARSE / ::EPV_ERANGE / ::EPV_ENOTFOUND naming file, line
 *         and column (an unknown species lists the known ones; a negative, zero or too large
 *         area is refused); ::EPV_EEXISTS for a repeated id.
 */
EPV_API int epv_compartment_read_csv(epv_ctx *ctx, const char *path, const char *encoding,
                                     const epv_params *params, epv_compartment_set **out);
/** Make a set from `n` records (checked as the CSV reader checks them; "record i" in messages). */
EPV_API int epv_compartment_set_from_array(epv_ctx *ctx, const epv_compartment *records, size_t n,
                                           const epv_params *params, epv_compartment_set **out);

/** Where epv_compartment_read_vector() takes a record's area from. */
typedef enum epv_compartment_area_from {
    /** The area attribute (`area_ha`, or `area_mu` at 15 mu per ha), as the CSV reader does. */
    EPV_COMPARTMENT_AREA_ATTRIBUTE = 0,
    /** The polygon's area on the ellipsoid of the layer's CRS (a geographic or projected CRS;
     *  the official area of China's land surveys is the ellipsoidal one). */
    EPV_COMPARTMENT_AREA_ELLIPSOIDAL = 1,
    /** The polygon's area in the plane of the layer's projected CRS (what a desktop GIS's
     *  "shape area" gives; refused for a geographic CRS). */
    EPV_COMPARTMENT_AREA_PLANAR = 2
} epv_compartment_area_from;

/** Version of ::epv_compartment_fields this header describes. */
#define EPV_COMPARTMENT_FIELDS_VERSION 1
/**
 * Names of the attribute fields epv_compartment_read_vector() reads, and where areas come
 * from. A NULL name means the CSV reader's column name (`id`, `species`, `origin`, `age`,
 * `area_ha`, `area_mu`, `volume_m3_ha`, `site_class`), so a layer converted from the CSV
 * reads with ::EPV_COMPARTMENT_FIELDS_INIT. Start from ::EPV_COMPARTMENT_FIELDS_INIT.
 */
typedef struct epv_compartment_fields {
    unsigned int version;     /**< ::EPV_COMPARTMENT_FIELDS_VERSION */
    const char *id;           /**< sub-compartment id (text or integer field) */
    const char *species;      /**< species: code, Chinese or English name */
    const char *origin;       /**< `plantation`/`人工` or `natural`/`天然` */
    const char *age;          /**< age, years (integer, a real with a whole value, or text) */
    const char *area_ha;      /**< area, ha; "" no such field. When either area name is set, only
                                   the set one(s) are looked for; with both NULL, the layer must
                                   hold exactly one of `area_ha` and `area_mu` (optional when the
                                   area comes from the geometry) */
    const char *area_mu;      /**< area, mu (亩, 15 per ha); "" no such field */
    const char *volume_m3_ha; /**< stem volume per hectare, m³/ha */
    const char *site_class;   /**< site class 1..5; optional (absent, NULL value or empty text: 0);
                                   "" not read */
    epv_compartment_area_from area_from; /**< where areas come from (default the attribute) */
    double area_check; /**< > 0: also compare each feature's area attribute with its polygon's
                            area (ellipsoidal, or planar with ::EPV_COMPARTMENT_AREA_PLANAR) and
                            refuse a relative difference |attribute − polygon| / polygon above
                            this (0.01: 1 %); both must then be present. 0: no comparison */
} epv_compartment_fields;
/** Initialiser of ::epv_compartment_fields: the CSV reader's names, area from the attribute, no comparison. */
#define EPV_COMPARTMENT_FIELDS_INIT { EPV_COMPARTMENT_FIELDS_VERSION, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, EPV_COMPARTMENT_AREA_ATTRIBUTE, 0.0 }
/** Function twin of ::EPV_COMPARTMENT_FIELDS_INIT; ::EPV_EVERSION for an unknown version. */
EPV_API int epv_compartment_fields_init(epv_ctx *ctx, epv_compartment_fields *x, unsigned int version);

/**
 * Read records from a vector layer through GDAL/OGR (GeoPackage, Shapefile, GeoJSON, or any
 * format OGR opens): one feature is one record, its attributes named by `fields` (NULL: the
 * CSV reader's names). Text, integer and real fields are accepted; numbers in text fields are
 * parsed as strictly as in the CSV reader, and every record is checked by the same rules as
 * epv_compartment_read_csv() (one check shared by both). With an area from the geometry,
 * features must be polygons or multipolygons; the ellipsoidal area is computed on the
 * ellipsoid of the layer's CRS in the cylindrical equal-area projection (Snyder 1987, the q of
 * epv_spatial_cell_area_geographic()), edges densified to 100 m (or 0.001°) first.
 * Progress through the context (every 4096 features); cancelling returns ::EPV_ECANCELLED and
 * nothing.
 * @param path data set (file or directory) OGR opens.
 * @param layer layer name, or NULL for the data set's only layer (several layers and NULL is
 *        ::EPV_EINVAL listing them).
 * @param fields NULL or a struct from ::EPV_COMPARTMENT_FIELDS_INIT.
 * @return ::EPV_OK; ::EPV_EIO when OGR cannot open `path`; ::EPV_ENOTFOUND for a missing layer
 *         (listing the layers) or field (listing the fields); per feature, errors name the file,
 *         the layer, the feature (its number in reading order and its FID), the record id
 *         when known and the field: ::EPV_EPARSE for a NULL value or unreadable text,
 *         ::EPV_ENOTFOUND for an unknown species (listing the known ones), ::EPV_ERANGE for a
 *         zero, negative, NaN or too large area or another value out of range or an area
 *         comparison above `area_check`, ::EPV_EINVAL for a geometry that is missing or not a
 *         polygon or a CRS that does not allow the area asked for; ::EPV_EEXISTS for a repeated
 *         id; ::EPV_EVERSION.
 */
EPV_API int epv_compartment_read_vector(epv_ctx *ctx, const char *path, const char *layer,
                                        const epv_compartment_fields *fields, const epv_params *params,
                                        epv_compartment_set **out);
/** Free a set. NULL is a no-op. */
EPV_API void epv_compartment_set_free(epv_compartment_set *set);
/** Number of records. */
EPV_API size_t epv_compartment_count(const epv_compartment_set *set);
/** Record i. */
EPV_API int epv_compartment_at(epv_ctx *ctx, const epv_compartment_set *set, size_t i, epv_compartment *out);

/** Version of ::epv_compartment_curve this header describes. */
#define EPV_COMPARTMENT_CURVE_VERSION 1
/** A growth curve for the strata of one species (and site class), given by the caller. */
typedef struct epv_compartment_curve {
    unsigned int version; /**< ::EPV_COMPARTMENT_CURVE_VERSION */
    const char *species;  /**< species key as in the records (resolved to its code) */
    int site_class;       /**< 1..5, or 0: any site class without a curve of its own */
    epv_growth_curve curve;          /**< project volume curve, m³/ha against age */
    int has_baseline_curve;          /**< 1: baseline_curve is set (forest management) */
    epv_growth_curve baseline_curve; /**< baseline volume curve */
} epv_compartment_curve;
/** Initialiser of ::epv_compartment_curve. */
#define EPV_COMPARTMENT_CURVE_INIT { EPV_COMPARTMENT_CURVE_VERSION, NULL, 0, EPV_GROWTH_CURVE_INIT, 0, EPV_GROWTH_CURVE_INIT }
/** Function twin of ::EPV_COMPARTMENT_CURVE_INIT; ::EPV_EVERSION for an unknown version. */
EPV_API int epv_compartment_curve_init(epv_ctx *ctx, epv_compartment_curve *x, unsigned int version);

/** Version of ::epv_compartment_rules this header describes. */
#define EPV_COMPARTMENT_RULES_VERSION 1
/** How records become strata. Start from ::EPV_COMPARTMENT_RULES_INIT. */
typedef struct epv_compartment_rules {
    unsigned int version;        /**< ::EPV_COMPARTMENT_RULES_VERSION */
    int by_origin;               /**< 1: plantation and natural records in separate strata (default 1) */
    int by_age_class;            /**< 1: age class enters the key (default 1) */
    int by_site_class;           /**< 1: site class enters the key (default 1) */
    int width_plantation;        /**< age-class width of plantations, years (default 10) */
    int width_natural;           /**< age-class width of natural stands, years (default 20) */
    const char *const *width_species; /**< NULL, or species keys with widths of their own */
    const int *width_years;      /**< the widths of width_species, years (> 0) */
    size_t n_width_species;      /**< entries of width_species / width_years */
    int inventory_year;          /**< calendar year whose end the ages describe (required) */
    int set_start_volume;        /**< 1: each stratum's area-weighted volume becomes its measured
                                      start volume (epv_project_set_start_volume; default 1) */
    const epv_compartment_curve *curves; /**< growth curves by species (and site class) */
    size_t ncurves;              /**< entries of curves */
} epv_compartment_rules;
/** Initialiser of ::epv_compartment_rules: every factor on, widths 10 and 20 years. */
#define EPV_COMPARTMENT_RULES_INIT { EPV_COMPARTMENT_RULES_VERSION, 1, 1, 1, 10, 20, NULL, NULL, 0, 0, 1, NULL, 0 }
/** Function twin of ::EPV_COMPARTMENT_RULES_INIT; ::EPV_EVERSION for an unknown version. */
EPV_API int epv_compartment_rules_init(epv_ctx *ctx, epv_compartment_rules *x, unsigned int version);

/** Opaque map from the strata made by epv_compartment_stratify() to their records. */
typedef struct epv_compartment_map epv_compartment_map;

/**
 * Group the records into strata and add them to `project` (all or nothing). A stratum's id is
 * its key, e.g. "cunninghamia_lanceolata/plantation/a2/s3" (species code, origin, age class,
 * site class; a factor switched off is left out); its area is the sum of its records' areas,
 * its age the area-weighted mean age (planting year = inventory_year − age + 1), its start
 * volume the area-weighted mean volume, its curve the caller's curve for its species and site
 * class (or site class 0). Progress through the context; cancelling returns ::EPV_ECANCELLED
 * and leaves the project as it was.
 * @return ::EPV_OK; ::EPV_ENOTFOUND naming the stratum's species and site class when no curve
 *         is given for it; ::EPV_ERANGE for widths ≤ 0 or a missing inventory year; the errors
 *         of epv_project_add_stratum(); ::EPV_EVERSION.
 */
EPV_API int epv_compartment_stratify(epv_ctx *ctx, const epv_compartment_set *set, const epv_params *params,
                                     const epv_compartment_rules *rules, epv_project *project,
                                     epv_compartment_map **out);
/** Free a map. NULL is a no-op. */
EPV_API void epv_compartment_map_free(epv_compartment_map *map);
/** Number of strata the map holds. */
EPV_API size_t epv_compartment_map_strata(const epv_compartment_map *map);
/** Id of the map's stratum i (owned by the map); NULL out of range. */
EPV_API const char *epv_compartment_map_stratum_id(const epv_compartment_map *map, size_t i);
/**
 * The records of stratum `stratum_id`: `*records` receives their indices into the set (for
 * epv_compartment_at(): id and area), valid for the map's life; `*n` their number.
 * @return ::EPV_OK, ::EPV_ENOTFOUND for a stratum the map did not make.
 */
EPV_API int epv_compartment_map_records(epv_ctx *ctx, const epv_compartment_map *map, const char *stratum_id,
                                        const size_t **records, size_t *n);

#ifdef __cplusplus
}
#endif
#endif /* EPV_COMPARTMENT_H */
