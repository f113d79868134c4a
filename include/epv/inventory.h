/* SPDX-License-Identifier: GPL-3.0-or-later */
/**
 * @file epv/inventory.h
 * @brief County greenhouse-gas inventory traced to its source records, intensity targets,
 *        peak detection and the net carbon balance against forest sinks.
 *
 * Emissions are activity data x emission factors after the IPCC 2006 Guidelines Vols 2-5 and
 * China's provincial inventory guideline (see doc/inventory.md for every formula and the
 * factor tables in data/inventory/, each row with its source and a provisional flag).
 *
 * Objects:
 *  - ::epv_inventory_factors: factor tables (fuels and processes, regional grid factors by
 *    year, GWP sets). Read-only once loaded; may be shared between threads.
 *  - ::epv_inventory: activity records (each with its document id) and the county's economy
 *    (GDP, energy) by year, read from CSV or XML or added one by one.
 *  - ::epv_inventory_result: the computed inventory. Every total decomposes along
 *    sector -> subsector -> code (fuel or process) -> entity -> record; the trace of any
 *    total sums to it exactly.
 *
 * Units: emissions in tonnes (t CO2, t CH4, t N2O, t CO2e); GDP in 10^4 CNY (万元) at the
 * caller's constant prices; energy in t of standard coal equivalent (tce).
 */
#ifndef EPV_INVENTORY_H
#define EPV_INVENTORY_H

#include "epv/common.h"
#include "epv/unc.h"

#ifdef __cplusplus
extern "C" {
#endif

/** GWP100 sets. Values fixed, only appended. */
typedef enum epv_inventory_gwp {
    EPV_INVENTORY_GWP_AR4 = 4, /**< IPCC AR4 WG1 ch. 2 Table 2.14: CH4 25, N2O 298 */
    EPV_INVENTORY_GWP_AR5 = 5, /**< IPCC AR5 WG1 ch. 8 Table 8.7: CH4 28, N2O 265 */
    EPV_INVENTORY_GWP_AR6 = 6  /**< IPCC AR6 WG1 ch. 7 Table 7.15: CH4 (non-fossil) 27.0, N2O 273 */
} epv_inventory_gwp;

/** Gases. Values fixed, only appended. */
typedef enum epv_inventory_gas {
    EPV_INVENTORY_CO2 = 1, /**< carbon dioxide */
    EPV_INVENTORY_CH4 = 2, /**< methane */
    EPV_INVENTORY_N2O = 3  /**< nitrous oxide */
} epv_inventory_gas;

/** Opaque factor tables. */
typedef struct epv_inventory_factors epv_inventory_factors;
/** Opaque activity data set. */
typedef struct epv_inventory epv_inventory;
/** Opaque computed inventory. */
typedef struct epv_inventory_result epv_inventory_result;

/* ---- factor tables ------------------------------------------------------------------- */

/**
 * Load the shipped factor tables (data/inventory/factors.csv, grid.csv, gwp.csv, compiled
 * into the library).
 * @param[out] out receives the tables; free with epv_inventory_factors_free().
 * @return ::EPV_OK, ::EPV_EINVAL (NULL), ::EPV_ENOMEM, ::EPV_EPARSE.
 * @param ctx the context the tables allocate from; must not be NULL and must outlive them.
 */
EPV_API int epv_inventory_factors_load_default(epv_ctx *ctx, epv_inventory_factors **out);
/**
 * Add the rows of a factor CSV (columns as data/inventory/factors.csv) to `f`. All rows or
 * none: an error names file, line and column and leaves `f` unchanged. A code already
 * present is ::EPV_EEXISTS.
 * @param ctx the context (allocations, messages); must not be NULL.
 * @param f the factor tables; must not be NULL.
 * @param path file name; must not be NULL.
 * @return ::EPV_OK, ::EPV_EINVAL (NULL), ::EPV_EIO, ::EPV_EPARSE (naming file, line and
 *         column), ::EPV_EEXISTS, ::EPV_ENOMEM.
 */
EPV_API int epv_inventory_factors_load_csv(epv_ctx *ctx, epv_inventory_factors *f,
                                           const char *path);
/**
 * Add grid electricity factors (columns grid, year, t_co2_per_mwh, u_pct, source,
 * provisional, as data/inventory/grid.csv). All rows or none; a (grid, year) already
 * present is ::EPV_EEXISTS naming the row.
 * @param ctx the context (allocations, messages); must not be NULL.
 * @param f the factor tables; must not be NULL.
 * @param path file name; must not be NULL.
 * @return ::EPV_OK, ::EPV_EINVAL (NULL), ::EPV_EIO, ::EPV_EPARSE (naming file, line and
 *         column), ::EPV_EEXISTS, ::EPV_ENOMEM.
 */
EPV_API int epv_inventory_factors_load_grid_csv(epv_ctx *ctx, epv_inventory_factors *f,
                                                const char *path);
/**
 * Free factor tables. NULL is a no-op. Free only after every inventory made with them.
 * @param f the tables; NULL is a no-op.
 */
EPV_API void epv_inventory_factors_free(epv_inventory_factors *f);
/**
 * Number of fuel and process factor rows (0 for NULL).
 * @param f the tables; may be NULL.
 * @return the number of rows.
 */
EPV_API size_t epv_inventory_factors_count(const epv_inventory_factors *f);

/** Version of ::epv_inventory_factor this header describes. */
#define EPV_INVENTORY_FACTOR_VERSION 1
/** One factor row, as read back (strings valid for the tables' life). */
typedef struct epv_inventory_factor {
    unsigned int version;  /**< ::EPV_INVENTORY_FACTOR_VERSION */
    const char *code;      /**< e.g. "diesel", "cement_clinker", "electricity_grid" */
    const char *sector;    /**< energy, indirect, industrial_processes, agriculture, waste */
    const char *subsector; /**< default subsector ("" for fuels: the record names it) */
    const char *unit;      /**< activity unit the factor applies to, e.g. "t", "MWh" */
    int gas;               /**< ::epv_inventory_gas */
    double value;          /**< t gas per unit of activity (grid rows: 0, see grid table) */
    double u_pct;          /**< 95% half-width, percent of value */
    double ncv_gj;         /**< GJ per unit (fuels; 0 otherwise) */
    double tce;            /**< t of standard coal equivalent per unit (0 if not energy) */
    int is_grid;           /**< 1: value taken from the grid table by region and year */
    int provisional;       /**< 1: not checked against its source */
    const char *source;    /**< citation: document, table, page */
} epv_inventory_factor;
/** Initialiser of ::epv_inventory_factor. */
#define EPV_INVENTORY_FACTOR_INIT { EPV_INVENTORY_FACTOR_VERSION, "", "", "", "", 0, 0.0, 0.0, 0.0, 0.0, 0, 0, "" }
/**
 * Function twin of ::EPV_INVENTORY_FACTOR_INIT.
 * @param ctx may be NULL; receives the message of an error.
 * @param[out] x the struct to initialise (every field to its documented default);
 *            must not be NULL.
 * @param version the struct version the caller was built with (::EPV_INVENTORY_FACTOR_VERSION).
 * @return ::EPV_OK, ::EPV_EINVAL (NULL `x`), ::EPV_EVERSION (version 0 or newer than
 *         this library knows; nothing written).
 */
EPV_API int epv_inventory_factor_init(epv_ctx *ctx, epv_inventory_factor *x, unsigned int version);
/**
 * The factor row `code` (::EPV_ENOTFOUND listing the known codes).
 * @param ctx may be NULL; receives the message of an error.
 * @param f the factor tables; must not be NULL.
 * @param code factor code; must not be NULL.
 * @param[out] out versioned row (initialised by the caller); strings owned by the tables.
 * @return ::EPV_OK, ::EPV_EINVAL (NULL), ::EPV_EVERSION, ::EPV_ENOTFOUND.
 */
EPV_API int epv_inventory_factors_find(epv_ctx *ctx, const epv_inventory_factors *f,
                                       const char *code, epv_inventory_factor *out);
/**
 * Row i (0..count-1) of the factor table (::EPV_ERANGE beyond).
 * @param ctx may be NULL; receives the message of an error.
 * @param f the factor tables; must not be NULL.
 * @param i row index, 0..epv_inventory_factors_count() - 1.
 * @param[out] out versioned row (initialised by the caller); strings owned by the tables.
 * @return ::EPV_OK, ::EPV_EINVAL (NULL), ::EPV_EVERSION, ::EPV_ERANGE.
 */
EPV_API int epv_inventory_factors_at(epv_ctx *ctx, const epv_inventory_factors *f, size_t i,
                                     epv_inventory_factor *out);
/**
 * Grid electricity factor of `grid` in `year`, t CO2/MWh, and its U% (may be NULL).
 * ::EPV_ENOTFOUND naming the grid and year and listing the years held.
 * @param ctx may be NULL; receives the message of an error.
 * @param f the factor tables; must not be NULL.
 * @param grid grid region code; must not be NULL.
 * @param year calendar year.
 * @param[out] t_co2_per_mwh receives the factor, t CO2/MWh; must not be NULL.
 * @param[out] u_pct receives its U% (95% half-width, percent); may be NULL.
 * @return ::EPV_OK, ::EPV_EINVAL (NULL), ::EPV_ENOTFOUND.
 */
EPV_API int epv_inventory_factors_grid(epv_ctx *ctx, const epv_inventory_factors *f,
                                       const char *grid, int year, double *t_co2_per_mwh,
                                       double *u_pct);
/**
 * GWP100 of `gas` in `set` (CO2 is 1). ::EPV_EINVAL for an unknown set or gas.
 * @param ctx may be NULL; receives the message of an error.
 * @param f the factor tables; must not be NULL.
 * @param set ::epv_inventory_gwp (AR4, AR5 or AR6).
 * @param gas ::epv_inventory_gas.
 * @param[out] out receives the GWP100 (dimensionless); must not be NULL.
 * @return ::EPV_OK, ::EPV_EINVAL (NULL, unknown set or gas).
 */
EPV_API int epv_inventory_factors_gwp(epv_ctx *ctx, const epv_inventory_factors *f, int set,
                                      int gas, double *out);

/* ---- activity data -------------------------------------------------------------------- */

/**
 * New empty activity data set using factor tables `f` (kept by pointer: `f` must outlive it).
 * @param county name for messages and outputs (UTF-8, copied; may be "").
 * @param ctx the context the data set allocates from; must not be NULL and must outlive it.
 * @param f the factor tables; must not be NULL.
 * @param[out] out receives the data set (free with epv_inventory_free()); must not be NULL.
 * @return ::EPV_OK, ::EPV_EINVAL (NULL), ::EPV_ENOMEM.
 */
EPV_API int epv_inventory_new(epv_ctx *ctx, const epv_inventory_factors *f, const char *county,
                              epv_inventory **out);
/**
 * Free an inventory. NULL is a no-op.
 * @param inv the data set; NULL is a no-op.
 */
EPV_API void epv_inventory_free(epv_inventory *inv);
/**
 * Number of activity records held (0 for NULL).
 * @param inv the data set; may be NULL.
 * @return the number of records.
 */
EPV_API size_t epv_inventory_record_count(const epv_inventory *inv);

/** Version of ::epv_inventory_record this header describes. */
#define EPV_INVENTORY_RECORD_VERSION 1
/** One activity record, as given by the caller (strings copied by the library). */
typedef struct epv_inventory_record {
    unsigned int version; /**< ::EPV_INVENTORY_RECORD_VERSION */
    const char *id;       /**< unique record id (required) */
    const char *document; /**< id of the document it came from (required) */
    int year;             /**< 1900..2200 */
    const char *sector;   /**< energy, indirect, industrial_processes, agriculture, waste */
    const char *subsector; /**< NULL or "": the factor's default (fuels need one) */
    const char *entity;   /**< facility, enterprise or park; NULL or "": "county" */
    const char *code;     /**< factor code (fuel or process) */
    double amount;        /**< activity in `unit`, >= 0 */
    const char *unit;     /**< must equal the factor's unit */
    double u_pct;         /**< activity data U%, >= 0 */
    const char *grid;     /**< grid region for electricity (NULL: none) */
} epv_inventory_record;
/** Initialiser of ::epv_inventory_record (u_pct 5%). */
#define EPV_INVENTORY_RECORD_INIT { EPV_INVENTORY_RECORD_VERSION, NULL, NULL, 0, NULL, NULL, NULL, NULL, 0.0, NULL, 5.0, NULL }
/**
 * Function twin of ::EPV_INVENTORY_RECORD_INIT.
 * @param ctx may be NULL; receives the message of an error.
 * @param[out] x the struct to initialise (every field to its documented default);
 *            must not be NULL.
 * @param version the struct version the caller was built with (::EPV_INVENTORY_RECORD_VERSION).
 * @return ::EPV_OK, ::EPV_EINVAL (NULL `x`), ::EPV_EVERSION (version 0 or newer than
 *         this library knows; nothing written).
 */
EPV_API int epv_inventory_record_init(epv_ctx *ctx, epv_inventory_record *x, unsigned int version);
/**
 * Add one record after checking it (known sector, subsector and code, listing the known
 * ones; unit equal to the factor's; amount finite and >= 0; unique id). Nothing is added
 * on error.
 * @param ctx the context (allocations, messages); must not be NULL.
 * @param inv the activity data set; must not be NULL.
 * @param rec versioned record (strings copied); must not be NULL.
 * @return ::EPV_OK, ::EPV_EINVAL (NULL, a missing id or document), ::EPV_EVERSION,
 *         ::EPV_ENOTFOUND (unknown sector, subsector or code), ::EPV_EUNITS (unit differs from
 *         the factor's), ::EPV_ERANGE (amount, year or U%), ::EPV_EEXISTS (id used twice),
 *         ::EPV_ENOMEM; the message names the field.
 */
EPV_API int epv_inventory_add_record(epv_ctx *ctx, epv_inventory *inv,
                                     const epv_inventory_record *rec);

/** Version of ::epv_inventory_economy this header describes. */
#define EPV_INVENTORY_ECONOMY_VERSION 1
/** The county's economy in one year. */
typedef struct epv_inventory_economy {
    unsigned int version; /**< ::EPV_INVENTORY_ECONOMY_VERSION */
    int year;             /**< calendar year the figures are for */
    double gdp;           /**< GDP, 10^4 CNY at constant prices, > 0 */
    double energy_tce;    /**< total energy use, tce; < 0: computed from the records */
    const char *document; /**< source document id (required) */
} epv_inventory_economy;
/** Initialiser of ::epv_inventory_economy (energy computed from records). */
#define EPV_INVENTORY_ECONOMY_INIT { EPV_INVENTORY_ECONOMY_VERSION, 0, 0.0, -1.0, NULL }
/**
 * Function twin of ::EPV_INVENTORY_ECONOMY_INIT.
 * @param ctx may be NULL; receives the message of an error.
 * @param[out] x the struct to initialise (every field to its documented default);
 *            must not be NULL.
 * @param version the struct version the caller was built with (::EPV_INVENTORY_ECONOMY_VERSION).
 * @return ::EPV_OK, ::EPV_EINVAL (NULL `x`), ::EPV_EVERSION (version 0 or newer than
 *         this library knows; nothing written).
 */
EPV_API int epv_inventory_economy_init(epv_ctx *ctx, epv_inventory_economy *x, unsigned int version);
/**
 * Set the economy of one year (a year given twice is ::EPV_EEXISTS).
 * @param ctx the context (allocations, messages); must not be NULL.
 * @param inv the activity data set; must not be NULL.
 * @param e versioned economy row (copied); must not be NULL.
 * @return ::EPV_OK, ::EPV_EINVAL (NULL, a missing document), ::EPV_EVERSION, ::EPV_ERANGE
 *         (year or GDP out of range, naming the field), ::EPV_EEXISTS, ::EPV_ENOMEM.
 */
EPV_API int epv_inventory_add_economy(epv_ctx *ctx, epv_inventory *inv,
                                      const epv_inventory_economy *e);

/**
 * Read activity records from a CSV file (UTF-8 with or without BOM). Two shapes:
 *  - long: columns id, document, year, sector, subsector, entity, code, amount, unit
 *    [, u_pct, grid];
 *  - yearbook (wide): columns id, document, sector, subsector, entity, code, unit
 *    [, u_pct, grid] and one column per year ("2020", "2021", ...); an empty cell is no
 *    record; the record id becomes "<id>/<year>".
 * All rows or none: an error names file, line and column (an unknown code lists the known
 * ones) and leaves `inv` unchanged. Reports progress ("inventory: reading").
 * @param ctx the context (allocations, messages); must not be NULL.
 * @param inv the activity data set; must not be NULL.
 * @param path file name; must not be NULL.
 * @return ::EPV_OK, ::EPV_EINVAL (NULL), ::EPV_EIO, ::EPV_EPARSE (naming file, line and
 *         column), ::EPV_EEXISTS (a record id twice), ::EPV_ENOTFOUND (unknown code),
 *         ::EPV_ERANGE, ::EPV_ECANCELLED, ::EPV_ENOMEM.
 */
EPV_API int epv_inventory_load_csv(epv_ctx *ctx, epv_inventory *inv, const char *path);
/**
 * Read the economy table (columns year, gdp, document [, energy_tce]); all rows or none.
 * @param ctx the context (allocations, messages); must not be NULL.
 * @param inv the activity data set; must not be NULL.
 * @param path file name; must not be NULL.
 * @return ::EPV_OK, ::EPV_EINVAL (NULL), ::EPV_EIO, ::EPV_EPARSE (naming file, line and
 *         column), ::EPV_EEXISTS (a year twice), ::EPV_ERANGE, ::EPV_ENOMEM.
 */
EPV_API int epv_inventory_load_economy_csv(epv_ctx *ctx, epv_inventory *inv, const char *path);
/**
 * Read records and economy from an XML file validated against schema/inventory.xsd
 * (shipped). All or nothing; errors name file, line and attribute.
 * @param ctx the context (allocations, messages); must not be NULL.
 * @param inv the activity data set; must not be NULL.
 * @param path file name; must not be NULL.
 * @return ::EPV_OK, ::EPV_EINVAL (NULL), ::EPV_EIO, ::EPV_EPARSE, ::EPV_ESCHEMA, and the errors
 *         of epv_inventory_add_record() and epv_inventory_add_economy() naming the line.
 */
EPV_API int epv_inventory_load_xml(epv_ctx *ctx, epv_inventory *inv, const char *path);

/* ---- computing ------------------------------------------------------------------------ */

/** Version of ::epv_inventory_options this header describes. */
#define EPV_INVENTORY_OPTIONS_VERSION 1
/** Options of epv_inventory_compute(). */
typedef struct epv_inventory_options {
    unsigned int version; /**< ::EPV_INVENTORY_OPTIONS_VERSION */
    int gwp;              /**< ::epv_inventory_gwp, recorded with every total */
} epv_inventory_options;
/** Initialiser of ::epv_inventory_options: AR5 (the set China's inventories report with). */
#define EPV_INVENTORY_OPTIONS_INIT { EPV_INVENTORY_OPTIONS_VERSION, EPV_INVENTORY_GWP_AR5 }
/**
 * Function twin of ::EPV_INVENTORY_OPTIONS_INIT.
 * @param ctx may be NULL; receives the message of an error.
 * @param[out] x the struct to initialise (every field to its documented default);
 *            must not be NULL.
 * @param version the struct version the caller was built with (::EPV_INVENTORY_OPTIONS_VERSION).
 * @return ::EPV_OK, ::EPV_EINVAL (NULL `x`), ::EPV_EVERSION (version 0 or newer than
 *         this library knows; nothing written).
 */
EPV_API int epv_inventory_options_init(epv_ctx *ctx, epv_inventory_options *x, unsigned int version);

/**
 * Compute the inventory. Integrity checks run first and stop the run with no result:
 * electricity needing a grid factor for a year the grid table lacks (::EPV_ENOTFOUND naming
 * the record's file, row and field 'grid'/'year'), an entity-year reporting own generated
 * electricity and the same electricity as purchased (equal amount or the same document:
 * ::EPV_ECORRUPT naming both rows). Reports progress; cancellation returns ::EPV_ECANCELLED.
 * @param opts NULL for ::EPV_INVENTORY_OPTIONS_INIT.
 * @param[out] out the result; free with epv_inventory_result_free(). Valid while `inv` lives.
 * @param ctx the context (allocations, progress, messages); must not be NULL; must outlive the
 *            result.
 * @param inv the activity data set; must not be NULL; must outlive the result.
 * @return ::EPV_OK, ::EPV_EINVAL (NULL), ::EPV_EVERSION (opts), ::EPV_ENOTFOUND (a grid
 *         year missing), ::EPV_ECORRUPT (electricity counted twice), ::EPV_ECANCELLED,
 *         ::EPV_ENOMEM.
 */
EPV_API int epv_inventory_compute(epv_ctx *ctx, const epv_inventory *inv,
                                  const epv_inventory_options *opts, epv_inventory_result **out);
/**
 * Free a result. NULL is a no-op.
 * @param r the result; NULL is a no-op.
 */
EPV_API void epv_inventory_result_free(epv_inventory_result *r);
/**
 * GWP set the result was computed with (0 for NULL).
 * @param r the result; may be NULL.
 * @return the ::epv_inventory_gwp set.
 */
EPV_API int epv_inventory_result_gwp(const epv_inventory_result *r);

/** Version of ::epv_inventory_query this header describes. */
#define EPV_INVENTORY_QUERY_VERSION 1
/** Which records a figure covers. NULL or "" members match everything; year 0 all years. */
typedef struct epv_inventory_query {
    unsigned int version; /**< ::EPV_INVENTORY_QUERY_VERSION */
    int year;             /**< records of this year only; 0: every year */
    const char *sector;   /**< records of this sector only (exact match); NULL or "": any */
    const char *subsector; /**< records of this subsector only (exact match); NULL or "": any */
    const char *code;     /**< records of this factor code only (exact match); NULL or "": any */
    const char *entity;   /**< records of this entity only (exact match); NULL or "": any */
    int gas;              /**< 0: all gases in CO2e; else one ::epv_inventory_gas */
} epv_inventory_query;
/** Initialiser of ::epv_inventory_query (everything). */
#define EPV_INVENTORY_QUERY_INIT { EPV_INVENTORY_QUERY_VERSION, 0, NULL, NULL, NULL, NULL, 0 }
/**
 * Function twin of ::EPV_INVENTORY_QUERY_INIT.
 * @param ctx may be NULL; receives the message of an error.
 * @param[out] x the struct to initialise (every field to its documented default);
 *            must not be NULL.
 * @param version the struct version the caller was built with (::EPV_INVENTORY_QUERY_VERSION).
 * @return ::EPV_OK, ::EPV_EINVAL (NULL `x`), ::EPV_EVERSION (version 0 or newer than
 *         this library knows; nothing written).
 */
EPV_API int epv_inventory_query_init(epv_ctx *ctx, epv_inventory_query *x, unsigned int version);

/** Version of ::epv_inventory_total this header describes. */
#define EPV_INVENTORY_TOTAL_VERSION 1
/** A total, with the GWP set it was computed with. */
typedef struct epv_inventory_total {
    unsigned int version; /**< ::EPV_INVENTORY_TOTAL_VERSION */
    double t_co2e;        /**< t CO2e (gas == 0) or t of the queried gas x its GWP */
    double t_co2, t_ch4, t_n2o; /**< t of each gas (not weighted) */
    size_t records;       /**< number of records contributing */
    int gwp;              /**< ::epv_inventory_gwp used */
} epv_inventory_total;
/** @var epv_inventory_total::t_co2
 *  t CO2 of the matching records (not weighted). */
/** @var epv_inventory_total::t_ch4
 *  t CH4 of the matching records (not weighted). */
/** @var epv_inventory_total::t_n2o
 *  t N2O of the matching records (not weighted). */
/** Initialiser of ::epv_inventory_total. */
#define EPV_INVENTORY_TOTAL_INIT { EPV_INVENTORY_TOTAL_VERSION, 0.0, 0.0, 0.0, 0.0, 0, 0 }
/**
 * Function twin of ::EPV_INVENTORY_TOTAL_INIT.
 * @param ctx may be NULL; receives the message of an error.
 * @param[out] x the struct to initialise (every field to its documented default);
 *            must not be NULL.
 * @param version the struct version the caller was built with (::EPV_INVENTORY_TOTAL_VERSION).
 * @return ::EPV_OK, ::EPV_EINVAL (NULL `x`), ::EPV_EVERSION (version 0 or newer than
 *         this library knows; nothing written).
 */
EPV_API int epv_inventory_total_init(epv_ctx *ctx, epv_inventory_total *x, unsigned int version);
/**
 * Total of the records matching `q` (NULL: everything). Sums run in record order, so the
 * sum of the trace's record emissions in that order equals the total exactly.
 * @param ctx may be NULL; receives the message of an error.
 * @param r the result; must not be NULL.
 * @param q the figure (::epv_inventory_query); NULL: every record.
 * @param[out] out versioned total (initialised by the caller); must not be NULL.
 * @return ::EPV_OK, ::EPV_EINVAL (NULL, a bad gas in `q`), ::EPV_EVERSION.
 */
EPV_API int epv_inventory_result_total(epv_ctx *ctx, const epv_inventory_result *r,
                                       const epv_inventory_query *q, epv_inventory_total *out);

/**
 * Which records make up a figure: the indices (into the result's record list, ascending)
 * of the records matching `q`. `*n` receives the count; a `cap` below it is ::EPV_ERANGE
 * and writes nothing (call with cap 0 to size the buffer).
 * @param ctx may be NULL; receives the message of an error.
 * @param r the result; must not be NULL.
 * @param q the figure (::epv_inventory_query); NULL: every record.
 * @param[out] idx cap indices; may be NULL when cap is 0.
 * @param cap capacity of `idx`.
 * @param[out] n receives the number of matching records; must not be NULL.
 * @return ::EPV_OK, ::EPV_EINVAL, ::EPV_EVERSION, ::EPV_ERANGE (cap too small, unless cap is 0
 *         and idx NULL: a size query).
 */
EPV_API int epv_inventory_result_trace(epv_ctx *ctx, const epv_inventory_result *r,
                                       const epv_inventory_query *q, size_t *idx, size_t cap,
                                       size_t *n);

/** Version of ::epv_inventory_line this header describes. */
#define EPV_INVENTORY_LINE_VERSION 1
/** One record of a result with its emissions (strings valid for the result's life). */
typedef struct epv_inventory_line {
    unsigned int version;   /**< ::EPV_INVENTORY_LINE_VERSION */
    const char *id, *document, *sector, *subsector, *code, *entity, *unit, *grid;
    const char *origin;     /**< "file:line" the record came from, or "api" */
    int year;               /**< year of the record */
    double amount;          /**< activity, in unit */
    double factor;          /**< t gas per unit applied */
    int gas;                /**< ::epv_inventory_gas of the factor */
    double t_gas;           /**< amount x factor */
    double t_co2e;          /**< t_gas x GWP */
    double tce;             /**< energy of the record, tce (0 if not energy) */
    const char *factor_source; /**< citation of the factor (grid: the grid row's) */
    int provisional;        /**< 1 if the factor is provisional */
} epv_inventory_line;
/** @var epv_inventory_line::id
 *  record id, as given in the record. */
/** @var epv_inventory_line::document
 *  id of the document the record came from. */
/** @var epv_inventory_line::sector
 *  sector of the record (energy, indirect, industrial_processes, agriculture, waste). */
/** @var epv_inventory_line::subsector
 *  subsector the record was computed with (the factor's default when the record gave none). */
/** @var epv_inventory_line::code
 *  factor code (fuel or process) of the record. */
/** @var epv_inventory_line::entity
 *  facility, enterprise or park; "county" when the record named none. */
/** @var epv_inventory_line::unit
 *  unit of `amount` (the factor's unit). */
/** @var epv_inventory_line::grid
 *  grid region of electricity records; NULL for other records. */
/** Initialiser of ::epv_inventory_line. */
#define EPV_INVENTORY_LINE_INIT { EPV_INVENTORY_LINE_VERSION, "", "", "", "", "", "", "", "", "", 0, 0.0, 0.0, 0, 0.0, 0.0, 0.0, "", 0 }
/**
 * Function twin of ::EPV_INVENTORY_LINE_INIT.
 * @param ctx may be NULL; receives the message of an error.
 * @param[out] x the struct to initialise (every field to its documented default);
 *            must not be NULL.
 * @param version the struct version the caller was built with (::EPV_INVENTORY_LINE_VERSION).
 * @return ::EPV_OK, ::EPV_EINVAL (NULL `x`), ::EPV_EVERSION (version 0 or newer than
 *         this library knows; nothing written).
 */
EPV_API int epv_inventory_line_init(epv_ctx *ctx, epv_inventory_line *x, unsigned int version);
/**
 * Number of records in a result.
 * @param r the result; may be NULL.
 * @return the number of records (lines).
 */
EPV_API size_t epv_inventory_result_records(const epv_inventory_result *r);
/**
 * Record i of a result (::EPV_ERANGE beyond).
 * @param ctx may be NULL; receives the message of an error.
 * @param r the result; must not be NULL.
 * @param i record index, 0..epv_inventory_result_records() - 1.
 * @param[out] out versioned line (initialised by the caller); strings valid for the result's
 *            life.
 * @return ::EPV_OK, ::EPV_EINVAL, ::EPV_EVERSION, ::EPV_ERANGE.
 */
EPV_API int epv_inventory_result_line(epv_ctx *ctx, const epv_inventory_result *r, size_t i,
                                      epv_inventory_line *out);

/** Levels of the trace hierarchy. Values fixed, only appended. */
typedef enum epv_inventory_level {
    EPV_INVENTORY_LEVEL_SECTOR = 1,    /**< by the records' sector */
    EPV_INVENTORY_LEVEL_SUBSECTOR = 2, /**< by the records' subsector */
    EPV_INVENTORY_LEVEL_CODE = 3,      /**< by the records' factor code */
    EPV_INVENTORY_LEVEL_ENTITY = 4,    /**< by the records' entity */
    EPV_INVENTORY_LEVEL_RECORD = 5     /**< record by record (names are record ids) */
} epv_inventory_level;

/**
 * Break the figure `q` down one level: the distinct names at `level` among its records (in
 * order of first appearance) and their totals (same gas rule as the query). Names are valid
 * for the result's life. `*n` receives the count; a `cap` below it is ::EPV_ERANGE and
 * writes nothing. The values sum to epv_inventory_result_total() of `q`.
 * @param ctx the context (allocations, messages); must not be NULL.
 * @param r the result; must not be NULL.
 * @param q the figure (::epv_inventory_query); NULL: every record.
 * @param level ::epv_inventory_level.
 * @param[out] names cap names; may be NULL when cap is 0.
 * @param[out] values cap totals, t CO2e (or t of the queried gas × GWP); may be NULL when cap is 0.
 * @param cap capacity of `names` and `values`.
 * @param[out] n receives the number of names; must not be NULL.
 * @return ::EPV_OK, ::EPV_EINVAL (NULL, unknown level), ::EPV_EVERSION, ::EPV_ERANGE,
 *         ::EPV_ENOMEM.
 */
EPV_API int epv_inventory_result_breakdown(epv_ctx *ctx, const epv_inventory_result *r,
                                           const epv_inventory_query *q, int level,
                                           const char **names, double *values, size_t cap,
                                           size_t *n);

/** Per-year columns of a result. Values fixed, only appended. */
typedef enum epv_inventory_col {
    EPV_INVENTORY_COL_TCO2E = 1,      /**< all emissions, t CO2e */
    EPV_INVENTORY_COL_TCO2 = 2,       /**< energy-related CO2 (sectors energy and indirect), t */
    EPV_INVENTORY_COL_ENERGY_TCE = 3, /**< energy use, tce (economy table or records) */
    EPV_INVENTORY_COL_GDP = 4,        /**< 10^4 CNY (NaN where not given) */
    EPV_INVENTORY_COL_CO2_INTENSITY = 5,    /**< energy-related t CO2 per 10^4 CNY */
    EPV_INVENTORY_COL_ENERGY_INTENSITY = 6  /**< tce per 10^4 CNY */
} epv_inventory_col;
/**
 * The years of a result, ascending (pointer valid for the result's life).
 * @param ctx may be NULL; receives the message of an error.
 * @param r the result; must not be NULL.
 * @param[out] years receives a pointer owned by the result; must not be NULL.
 * @param[out] n receives the number of years; must not be NULL.
 * @return ::EPV_OK, ::EPV_EINVAL (NULL).
 */
EPV_API int epv_inventory_result_years(epv_ctx *ctx, const epv_inventory_result *r,
                                       const epv_i64 **years, size_t *n);
/**
 * A per-year column (aligned with epv_inventory_result_years; valid for the result's life).
 * @param ctx may be NULL; receives the message of an error.
 * @param r the result; must not be NULL.
 * @param col ::epv_inventory_col.
 * @param[out] values receives a pointer owned by the result (n values); must not be NULL.
 * @param[out] n receives the number of years; must not be NULL.
 * @return ::EPV_OK, ::EPV_EINVAL (NULL, unknown column).
 */
EPV_API int epv_inventory_result_column(epv_ctx *ctx, const epv_inventory_result *r, int col,
                                        const double **values, size_t *n);

/* ---- index decomposition (LMDI) ------------------------------------------------------ */

/**
 * Additive LMDI-I (Ang 2005, Energy Policy 33:867-871, Table 1 / Eq. 5): with
 * V = sum_i prod_k x[i][k], the change V^T - V^0 = sum_k effect[k] where
 * effect[k] = sum_i L(V_i^T, V_i^0) ln(x_ik^T / x_ik^0), L(a,b) = (a - b)/(ln a - ln b).
 * Zero values take the analytic limits (Ang and Liu 2007): a category present in only one
 * period contributes through the factors that change to or from zero.
 * @param x0,xT ncat x nfactors values (row-major), >= 0.
 * @param[out] effects nfactors effects.
 * @param ctx may be NULL; receives the message of an error.
 * @param ncat number of categories.
 * @param nfactors number of factors per category (>= 1).
 * @return ::EPV_OK, ::EPV_EINVAL (NULL, nfactors outside 1..64), ::EPV_ERANGE (a negative or
 *         non-finite value, naming period, category and factor).
 */
EPV_API int epv_inventory_lmdi(epv_ctx *ctx, size_t ncat, size_t nfactors, const double *x0,
                               const double *xT, double *effects);

/** Version of ::epv_inventory_decomposition this header describes. */
#define EPV_INVENTORY_DECOMPOSITION_VERSION 1
/** The change of total CO2e between two years split into activity and factor effects. */
typedef struct epv_inventory_decomposition {
    unsigned int version; /**< ::EPV_INVENTORY_DECOMPOSITION_VERSION */
    int year0, year1;
    double total0, total1; /**< t CO2e */
    double activity_effect; /**< t CO2e from changed activity */
    double factor_effect;   /**< t CO2e from changed emission factors (grid, fuel quality) */
    int gwp;                /**< ::epv_inventory_gwp of the result decomposed */
} epv_inventory_decomposition;
/** @var epv_inventory_decomposition::year0
 *  the earlier year of the comparison (as passed to epv_inventory_result_decompose()). */
/** @var epv_inventory_decomposition::year1
 *  the later year of the comparison (as passed to epv_inventory_result_decompose()). */
/** @var epv_inventory_decomposition::total0
 *  total emissions of year0, t CO2e. */
/** @var epv_inventory_decomposition::total1
 *  total emissions of year1, t CO2e; total1 - total0 = activity_effect + factor_effect. */
/** Initialiser of ::epv_inventory_decomposition. */
#define EPV_INVENTORY_DECOMPOSITION_INIT { EPV_INVENTORY_DECOMPOSITION_VERSION, 0, 0, 0.0, 0.0, 0.0, 0.0, 0 }
/**
 * Function twin of ::EPV_INVENTORY_DECOMPOSITION_INIT.
 * @param ctx may be NULL; receives the message of an error.
 * @param[out] x the struct to initialise (every field to its documented default);
 *            must not be NULL.
 * @param version the struct version the caller was built with (::EPV_INVENTORY_DECOMPOSITION_VERSION).
 * @return ::EPV_OK, ::EPV_EINVAL (NULL `x`), ::EPV_EVERSION (version 0 or newer than
 *         this library knows; nothing written).
 */
EPV_API int epv_inventory_decomposition_init(epv_ctx *ctx, epv_inventory_decomposition *x, unsigned int version);
/**
 * LMDI-I split of total(year1) - total(year0): categories are (sector, subsector, code,
 * entity); within each, emissions = activity x implied factor. activity_effect +
 * factor_effect = total1 - total0 exactly up to rounding.
 * @param ctx the context (allocations, messages); must not be NULL.
 * @param r the result; must not be NULL.
 * @param year0 the earlier year; must have data.
 * @param year1 the later year; must have data.
 * @param[out] out versioned result (initialised by the caller); must not be NULL.
 * @return ::EPV_OK, ::EPV_EINVAL (NULL), ::EPV_EVERSION, ::EPV_ENOTFOUND (a year without
 *         data), ::EPV_ENOMEM, and the errors of epv_inventory_lmdi().
 */
EPV_API int epv_inventory_result_decompose(epv_ctx *ctx, const epv_inventory_result *r,
                                           int year0, int year1,
                                           epv_inventory_decomposition *out);

/* ---- targets and peak ----------------------------------------------------------------- */

/** Version of ::epv_inventory_target this header describes. */
#define EPV_INVENTORY_TARGET_VERSION 1
/** An intensity target: intensity in target_year at least reduction_pct below base_year. */
typedef struct epv_inventory_target {
    unsigned int version; /**< ::EPV_INVENTORY_TARGET_VERSION */
    int col;              /**< EPV_INVENTORY_COL_CO2_INTENSITY or _ENERGY_INTENSITY */
    int base_year, target_year;
    double reduction_pct; /**< e.g. 18 (CO2 per GDP) or 14 (energy per GDP) */
} epv_inventory_target;
/** @var epv_inventory_target::base_year
 *  year whose intensity the reduction is measured from; must have an intensity. */
/** @var epv_inventory_target::target_year
 *  year by which the reduction is due; after base_year. */
/** Initialiser: CO2 per GDP down 18% from 2020 to 2025. */
#define EPV_INVENTORY_TARGET_INIT { EPV_INVENTORY_TARGET_VERSION, EPV_INVENTORY_COL_CO2_INTENSITY, 2020, 2025, 18.0 }
/**
 * Function twin of ::EPV_INVENTORY_TARGET_INIT.
 * @param ctx may be NULL; receives the message of an error.
 * @param[out] x the struct to initialise (every field to its documented default);
 *            must not be NULL.
 * @param version the struct version the caller was built with (::EPV_INVENTORY_TARGET_VERSION).
 * @return ::EPV_OK, ::EPV_EINVAL (NULL `x`), ::EPV_EVERSION (version 0 or newer than
 *         this library knows; nothing written).
 */
EPV_API int epv_inventory_target_init(epv_ctx *ctx, epv_inventory_target *x, unsigned int version);

/** Version of ::epv_inventory_progress this header describes. */
#define EPV_INVENTORY_PROGRESS_VERSION 1
/** Progress toward an intensity target at the latest year with data. */
typedef struct epv_inventory_progress {
    unsigned int version;   /**< ::EPV_INVENTORY_PROGRESS_VERSION */
    double base_intensity, target_intensity;
    int latest_year;        /**< latest year <= target_year with an intensity */
    double latest_intensity; /**< intensity in latest_year (unit of the target's column) */
    double change_pct;      /**< (latest / base - 1) x 100 */
    double achieved_rate_pct;  /**< mean annual change so far, % per year (geometric) */
    double required_rate_pct;  /**< annual change needed from latest to target, % per year */
    int met;                /**< 1 if latest_intensity <= target_intensity */
} epv_inventory_progress;
/** @var epv_inventory_progress::base_intensity
 *  intensity in the target's base_year (t CO2 or tce per 10^4 CNY, after the target's col). */
/** @var epv_inventory_progress::target_intensity
 *  intensity the target allows in target_year: base_intensity x (1 - reduction_pct / 100). */
/** Initialiser of ::epv_inventory_progress. */
#define EPV_INVENTORY_PROGRESS_INIT { EPV_INVENTORY_PROGRESS_VERSION, 0.0, 0.0, 0, 0.0, 0.0, 0.0, 0.0, 0 }
/**
 * Function twin of ::EPV_INVENTORY_PROGRESS_INIT.
 * @param ctx may be NULL; receives the message of an error.
 * @param[out] x the struct to initialise (every field to its documented default);
 *            must not be NULL.
 * @param version the struct version the caller was built with (::EPV_INVENTORY_PROGRESS_VERSION).
 * @return ::EPV_OK, ::EPV_EINVAL (NULL `x`), ::EPV_EVERSION (version 0 or newer than
 *         this library knows; nothing written).
 */
EPV_API int epv_inventory_progress_init(epv_ctx *ctx, epv_inventory_progress *x, unsigned int version);
/**
 * Progress of `r` toward target `t` (::EPV_ENOTFOUND if the base year has no intensity).
 * @param ctx may be NULL; receives the message of an error.
 * @param r the result; must not be NULL.
 * @param t versioned target; must not be NULL.
 * @param[out] out versioned result (initialised by the caller); must not be NULL.
 * @return ::EPV_OK, ::EPV_EINVAL (NULL, not an intensity column, target_year not after
 *         base_year, reduction_pct outside (-100, 100)), ::EPV_EVERSION, ::EPV_ENOTFOUND.
 */
EPV_API int epv_inventory_result_progress(epv_ctx *ctx, const epv_inventory_result *r,
                                          const epv_inventory_target *t,
                                          epv_inventory_progress *out);

/** Version of ::epv_inventory_peak this header describes. */
#define EPV_INVENTORY_PEAK_VERSION 1
/** Peak of an emission path. */
typedef struct epv_inventory_peak {
    unsigned int version; /**< ::EPV_INVENTORY_PEAK_VERSION */
    epv_i64 year;         /**< year of the maximum */
    double value;         /**< the maximum value (at `year`), in the unit of the values given */
    int peaked;           /**< 1 if the maximum lies before the last year and the last
                               value is below it by more than `tolerance_pct` percent */
} epv_inventory_peak;
/** Initialiser of ::epv_inventory_peak. */
#define EPV_INVENTORY_PEAK_INIT { EPV_INVENTORY_PEAK_VERSION, 0, 0.0, 0 }
/**
 * Function twin of ::EPV_INVENTORY_PEAK_INIT.
 * @param ctx may be NULL; receives the message of an error.
 * @param[out] x the struct to initialise (every field to its documented default);
 *            must not be NULL.
 * @param version the struct version the caller was built with (::EPV_INVENTORY_PEAK_VERSION).
 * @return ::EPV_OK, ::EPV_EINVAL (NULL `x`), ::EPV_EVERSION (version 0 or newer than
 *         this library knows; nothing written).
 */
EPV_API int epv_inventory_peak_init(epv_ctx *ctx, epv_inventory_peak *x, unsigned int version);
/**
 * Peak detection on an observed or projected path (years ascending, n >= 2).
 * @param tolerance_pct how far below the maximum later values must stay (a plateau within
 *        it is not a peak), >= 0.
 * @param ctx may be NULL; receives the message of an error.
 * @param years n years, ascending; must not be NULL.
 * @param values n values (any unit, finite); must not be NULL.
 * @param n number of points, >= 2.
 * @param[out] out versioned result (initialised by the caller); must not be NULL.
 * @return ::EPV_OK, ::EPV_EINVAL (NULL, n < 2, years not ascending, tolerance negative or
 *         not finite), ::EPV_EVERSION, ::EPV_ERANGE (a value not finite).
 */
EPV_API int epv_inventory_find_peak(epv_ctx *ctx, const epv_i64 *years, const double *values,
                                    size_t n, double tolerance_pct, epv_inventory_peak *out);

/* ---- net balance and uncertainty ------------------------------------------------------- */

/** Version of ::epv_inventory_removal this header describes. */
#define EPV_INVENTORY_REMOVAL_VERSION 1
/**
 * A removal series (a forest sink's bulk results, other removals): t CO2e removed per year
 * (positive numbers), arrays owned by the caller.
 */
typedef struct epv_inventory_removal {
    unsigned int version; /**< ::EPV_INVENTORY_REMOVAL_VERSION */
    const char *name;     /**< e.g. "forest sink (Pingchang)" */
    const epv_i64 *years; /**< n years, ascending; owned by the caller */
    const double *tco2e;  /**< removals, >= 0 */
    size_t n;             /**< number of entries of `years` and `tco2e` */
    double u_pct;         /**< U% of every value (95% half-width) */
} epv_inventory_removal;
/** Initialiser of ::epv_inventory_removal. */
#define EPV_INVENTORY_REMOVAL_INIT { EPV_INVENTORY_REMOVAL_VERSION, "", NULL, NULL, 0, 0.0 }
/**
 * Function twin of ::EPV_INVENTORY_REMOVAL_INIT.
 * @param ctx may be NULL; receives the message of an error.
 * @param[out] x the struct to initialise (every field to its documented default);
 *            must not be NULL.
 * @param version the struct version the caller was built with (::EPV_INVENTORY_REMOVAL_VERSION).
 * @return ::EPV_OK, ::EPV_EINVAL (NULL `x`), ::EPV_EVERSION (version 0 or newer than
 *         this library knows; nothing written).
 */
EPV_API int epv_inventory_removal_init(epv_ctx *ctx, epv_inventory_removal *x, unsigned int version);

/** Version of ::epv_inventory_unc_options this header describes. */
#define EPV_INVENTORY_UNC_OPTIONS_VERSION 1
/**
 * What the uncertainty functions estimate: net balance of `year` = emissions - sum of the
 * removals in that year (no removals: emissions alone).
 */
typedef struct epv_inventory_unc_options {
    unsigned int version; /**< ::EPV_INVENTORY_UNC_OPTIONS_VERSION */
    int year;             /**< year whose net balance is estimated; must have data */
    const epv_inventory_removal *removals; /**< array of nremovals (may be NULL if 0) */
    size_t nremovals;     /**< number of removal series (0: emissions alone) */
    size_t draws;         /**< Approach 2: Monte Carlo draws (>= 100) */
} epv_inventory_unc_options;
/** Initialiser of ::epv_inventory_unc_options (10,000 draws). */
#define EPV_INVENTORY_UNC_OPTIONS_INIT { EPV_INVENTORY_UNC_OPTIONS_VERSION, 0, NULL, 0, 10000 }
/**
 * Function twin of ::EPV_INVENTORY_UNC_OPTIONS_INIT.
 * @param ctx may be NULL; receives the message of an error.
 * @param[out] x the struct to initialise (every field to its documented default);
 *            must not be NULL.
 * @param version the struct version the caller was built with (::EPV_INVENTORY_UNC_OPTIONS_VERSION).
 * @return ::EPV_OK, ::EPV_EINVAL (NULL `x`), ::EPV_EVERSION (version 0 or newer than
 *         this library knows; nothing written).
 */
EPV_API int epv_inventory_unc_options_init(epv_ctx *ctx, epv_inventory_unc_options *x, unsigned int version);

/**
 * Net balance with IPCC Approach 1 (Vol. 1 Eq. 3.1 per record, Eq. 3.2 over records and
 * removals; records sharing a factor are fully correlated in it). The interval is symmetric.
 * A removal series without the year is ::EPV_ENOTFOUND naming it.
 * @param ctx the context (allocations, messages); must not be NULL.
 * @param r the result; must not be NULL.
 * @param opts versioned options (year, removals); must not be NULL.
 * @param[out] out versioned interval, t CO2e (initialised by the caller); must not be NULL.
 * @return ::EPV_OK, ::EPV_EINVAL (NULL, a removal series with NULL arrays or a bad U%),
 *         ::EPV_EVERSION, ::EPV_ENOTFOUND (year without data, removal series without the
 *         year), ::EPV_ERANGE (a removal value), ::EPV_ENOMEM.
 */
EPV_API int epv_inventory_unc_approach1(epv_ctx *ctx, const epv_inventory_result *r,
                                        const epv_inventory_unc_options *opts,
                                        epv_unc_interval *out);
/**
 * Net balance with IPCC Approach 2: Monte Carlo with normal activity (per record), factor
 * (per factor, shared by its records) and removal (per series) errors, truncated at zero;
 * seed from the context, so a run is reproducible. Reports progress; cancellable.
 * @param ctx the context (allocations, seed, progress, messages); must not be NULL.
 * @param r the result; must not be NULL.
 * @param opts versioned options (year, removals, draws in 100..10^8); must not be NULL.
 * @param[out] out versioned interval, t CO2e (initialised by the caller); must not be NULL.
 * @return as epv_inventory_unc_approach1(), plus ::EPV_EINVAL for draws outside 100..10^8
 *         and ::EPV_ECANCELLED.
 */
EPV_API int epv_inventory_unc_approach2(epv_ctx *ctx, const epv_inventory_result *r,
                                        const epv_inventory_unc_options *opts,
                                        epv_unc_interval *out);

/* ---- many units at once (provincial scale) -------------------------------------------- */

/** Version of ::epv_inventory_batch this header describes. */
#define EPV_INVENTORY_BATCH_VERSION 1
/**
 * The layout of a batch: nunits units (counties) x nyears years x nsources sources, each
 * source a factor code in a sector (its activity is in the factor's unit).
 */
typedef struct epv_inventory_batch {
    unsigned int version;        /**< ::EPV_INVENTORY_BATCH_VERSION */
    size_t nunits, nyears, nsources;
    const epv_i64 *years;        /**< nyears years */
    const char *const *codes;    /**< nsources factor codes */
    const char *const *sectors;  /**< nsources sectors (must match each code's) */
    const char *const *grids;    /**< nsources grid regions (NULL entries for non-grid codes);
                                      NULL if no source is grid electricity */
    int gwp;                     /**< ::epv_inventory_gwp */
} epv_inventory_batch;
/** @var epv_inventory_batch::nunits
 *  number of units (counties), the slowest index of the arrays. */
/** @var epv_inventory_batch::nyears
 *  number of years (entries of `years`), >= 1. */
/** @var epv_inventory_batch::nsources
 *  number of sources (entries of `codes`, `sectors`, `grids`), >= 1, the fastest index. */
/** Initialiser of ::epv_inventory_batch (AR5). */
#define EPV_INVENTORY_BATCH_INIT { EPV_INVENTORY_BATCH_VERSION, 0, 0, 0, NULL, NULL, NULL, NULL, EPV_INVENTORY_GWP_AR5 }
/**
 * Function twin of ::EPV_INVENTORY_BATCH_INIT.
 * @param ctx may be NULL; receives the message of an error.
 * @param[out] x the struct to initialise (every field to its documented default);
 *            must not be NULL.
 * @param version the struct version the caller was built with (::EPV_INVENTORY_BATCH_VERSION).
 * @return ::EPV_OK, ::EPV_EINVAL (NULL `x`), ::EPV_EVERSION (version 0 or newer than
 *         this library knows; nothing written).
 */
EPV_API int epv_inventory_batch_init(epv_ctx *ctx, epv_inventory_batch *x, unsigned int version);

/**
 * Inventories of many units in one pass over arrays (the same factors, GWP and rules as
 * epv_inventory_compute(), without per-record documents).
 * @param activity nunits x nyears x nsources (row-major), each finite and >= 0.
 * @param gdp nunits x nyears GDP (10^4 CNY), or NULL (then co2_intensity must be NULL).
 * @param[out] total_tco2e nunits x nyears totals, t CO2e.
 * @param[out] sector_tco2e NULL or nunits x nyears x 5 totals by sector (energy, indirect,
 *             industrial_processes, agriculture, waste).
 * @param[out] co2_intensity NULL or nunits x nyears energy-related t CO2 per 10^4 CNY.
 * @return ::EPV_OK; unknown code or sector (listing the known ones), a grid year missing, a
 *         negative or non-finite activity (naming unit, year and source): an error, and every
 *         output zeroed (no partial totals). Reports progress; cancellable.
 * @param ctx the context (allocations, messages); must not be NULL.
 * @param f the factor tables; must not be NULL.
 * @param b versioned batch layout; must not be NULL.
 */
EPV_API int epv_inventory_batch_compute(epv_ctx *ctx, const epv_inventory_factors *f,
                                        const epv_inventory_batch *b, const double *activity,
                                        const double *gdp, double *total_tco2e,
                                        double *sector_tco2e, double *co2_intensity);
/**
 * Trace of a batch figure: the sources of `sector` (NULL: all) with non-zero activity for
 * unit u in year index y. `*n` receives the count; a `cap` below it is ::EPV_ERANGE (then
 * `idx` holds the first `cap` of them).
 * @param ctx may be NULL; receives the message of an error.
 * @param b versioned batch layout; must not be NULL.
 * @param activity the batch's activity array (as for epv_inventory_batch_compute()); must not be NULL.
 * @param u unit index, < nunits.
 * @param y year index, < nyears.
 * @param sector sector to keep; NULL: every source.
 * @param[out] idx cap source indices; may be NULL if none match.
 * @param cap capacity of `idx`.
 * @param[out] n receives the number of sources; must not be NULL.
 * @return ::EPV_OK, ::EPV_EINVAL (NULL), ::EPV_EVERSION, ::EPV_ERANGE (index or cap).
 */
EPV_API int epv_inventory_batch_trace(epv_ctx *ctx, const epv_inventory_batch *b,
                                      const double *activity, size_t u, size_t y,
                                      const char *sector, size_t *idx, size_t cap, size_t *n);

/* ---- writers ----------------------------------------------------------------------------- */

/**
 * CSV of emissions by year and sector (t CO2e) with totals, GDP, energy, intensities and GWP.
 * Written through a temporary file renamed into place.
 * @param ctx the context (allocations, messages); must not be NULL.
 * @param r the result; must not be NULL.
 * @param path file name; must not be NULL.
 * @return ::EPV_OK, ::EPV_EINVAL (NULL), ::EPV_EIO (naming the path), ::EPV_ENOMEM.
 */
EPV_API int epv_inventory_result_write_csv(epv_ctx *ctx, const epv_inventory_result *r,
                                           const char *path);
/**
 * CSV of the records behind figure `q`: one row per record with its document and emissions.
 * Written through a temporary file renamed into place.
 * @param ctx may be NULL; receives the message of an error.
 * @param r the result; must not be NULL.
 * @param q the figure (::epv_inventory_query); NULL: every record.
 * @param path file name; must not be NULL.
 * @return ::EPV_OK, ::EPV_EINVAL (NULL), ::EPV_EIO (naming the path), ::EPV_ENOMEM.
 */
EPV_API int epv_inventory_result_write_trace_csv(epv_ctx *ctx, const epv_inventory_result *r,
                                                 const epv_inventory_query *q, const char *path);
/**
 * SVG: emissions by sector stacked over the years. `title` UTF-8 (may hold Chinese).
 * Written through a temporary file renamed into place.
 * @param ctx the context (allocations, messages); must not be NULL.
 * @param r the result; must not be NULL.
 * @param title chart title (UTF-8); may be NULL.
 * @param path file name; must not be NULL.
 * @return ::EPV_OK, ::EPV_EINVAL (NULL, no years), ::EPV_EIO (naming the path), ::EPV_ENOMEM.
 */
EPV_API int epv_inventory_result_write_sectors_svg(epv_ctx *ctx, const epv_inventory_result *r,
                                                   const char *title, const char *path);
/**
 * SVG: intensity (the target's column) by year against the straight target line.
 * Written through a temporary file renamed into place.
 * @param ctx may be NULL; receives the message of an error.
 * @param r the result; must not be NULL.
 * @param t versioned target; must not be NULL.
 * @param title chart title (UTF-8); may be NULL.
 * @param path file name; must not be NULL.
 * @return ::EPV_OK, ::EPV_EINVAL (NULL), ::EPV_ENOTFOUND (no intensity in the base year), ::EPV_EIO (naming the path), ::EPV_ENOMEM.
 */
EPV_API int epv_inventory_result_write_target_svg(epv_ctx *ctx, const epv_inventory_result *r,
                                                  const epv_inventory_target *t,
                                                  const char *title, const char *path);
/**
 * SVG: emissions, removals and net balance by year, the net with its interval.
 * @param net n intervals aligned with `years` (from epv_inventory_unc_approach1 or 2).
 * @param removals t CO2e removed per year (aligned with years).
 * Written through a temporary file renamed into place.
 * @param ctx may be NULL; receives the message of an error.
 * @param years n years, ascending; must not be NULL.
 * @param emissions n emissions, t CO2e; must not be NULL.
 * @param n number of years, >= 1.
 * @param title chart title (UTF-8); may be NULL.
 * @param path file name; must not be NULL.
 * @return ::EPV_OK, ::EPV_EINVAL (NULL), ::EPV_EIO (naming the path), ::EPV_ENOMEM.
 */
EPV_API int epv_inventory_write_balance_svg(epv_ctx *ctx, const epv_i64 *years,
                                            const double *emissions, const double *removals,
                                            const epv_unc_interval *net, size_t n,
                                            const char *title, const char *path);

/** CSV of the net balance by year: emissions, removals, net and its interval (same inputs as
 * Written through a temporary file renamed into place.
 * @param ctx may be NULL; receives the message of an error.
 * @param years n years; must not be NULL.
 * @param emissions n emissions, t CO2e; must not be NULL.
 * @param removals n removals, t CO2e; must not be NULL.
 * @param net n intervals of the net balance; must not be NULL.
 * @param n number of years, >= 1.
 * @param path file name; must not be NULL.
 * @return ::EPV_OK, ::EPV_EINVAL (NULL), ::EPV_EIO (naming the path), ::EPV_ENOMEM.
 *  epv_inventory_write_balance_svg()). */
EPV_API int epv_inventory_write_balance_csv(epv_ctx *ctx, const epv_i64 *years,
                                            const double *emissions, const double *removals,
                                            const epv_unc_interval *net, size_t n, const char *path);

#ifdef __cplusplus
}
#endif
#endif /* EPV_INVENTORY_H */
