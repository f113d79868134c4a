/* SPDX-License-Identifier: GPL-3.0-or-later */
/**
 * @file epv/gep.h
 * @brief GEP (gross ecosystem product, 生态产品总值) accounts: category tree, physical
 *        quantities, dated prices, accounts by region × ecosystem × indicator × year,
 *        aggregation without double counting, integrity checks and output.
 *
 * Methods follow NDRC & NBS 生态产品总值核算规范（试行） (2022) and GB/T 46869-2025 (GEP =
 * value of all final ecosystem products minus the value flowing in from outside the
 * region). The category tree is data (`gep/tree.xml`, schema `schema/gep_tree.xsd`), so a
 * province adds indicators by merging its own file. Money is always in yuan (元) inside the
 * library; quantities are stored in the unit of their indicator (units.h symbols).
 *
 * Threads: a loaded tree, price table or deflator is read-only for every function taking
 * it `const` and may be shared between threads. An account needs exclusive access while it
 * is modified or valued; queries on a valued account only read it.
 */
#ifndef EPV_GEP_H
#define EPV_GEP_H

#include "epv/common.h"
#include "epv/unit.h"
#include "epv/unc.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Longest code kept (indicator, region, ecosystem), including the NUL. */
#define EPV_GEP_CODE_MAX 64
/** Longest name or source text kept, including the NUL (UTF-8 bytes). */
#define EPV_GEP_TEXT_MAX 160

/** Top-level category of an indicator. */
typedef enum epv_gep_category {
    EPV_GEP_PROVISIONING = 1, /**< 物质产品 */
    EPV_GEP_REGULATING = 2,   /**< 调节服务 */
    EPV_GEP_CULTURAL = 3      /**< 文化服务 */
} epv_gep_category;

/** Valuation method of an indicator. */
typedef enum epv_gep_method {
    EPV_GEP_METHOD_NONE = 0,        /**< group node: no own valuation */
    EPV_GEP_MARKET_PRICE = 1,       /**< 市场价值法 */
    EPV_GEP_REPLACEMENT_COST = 2,   /**< 替代成本法 (treatment, dredging, fertiliser, electricity) */
    EPV_GEP_SHADOW_PROJECT = 3,     /**< 影子工程法 (reservoir construction cost) */
    EPV_GEP_TRAVEL_COST = 4,        /**< 旅行费用法 */
    EPV_GEP_HEDONIC = 5             /**< 享乐价格法 */
} epv_gep_method;

/** Version of ::epv_gep_indicator this header describes. */
#define EPV_GEP_INDICATOR_VERSION 1
/** One node of the category tree; written by the library (versioned). */
typedef struct epv_gep_indicator {
    unsigned int version;           /**< ::EPV_GEP_INDICATOR_VERSION */
    char code[EPV_GEP_CODE_MAX];    /**< stable ASCII code, e.g. "water_conservation" */
    char parent[EPV_GEP_CODE_MAX];  /**< parent code; "" for the three categories */
    char name_zh[EPV_GEP_TEXT_MAX]; /**< Chinese name, UTF-8 */
    char name_en[EPV_GEP_TEXT_MAX]; /**< English name */
    epv_gep_category category;      /**< category the node belongs to */
    epv_unit unit;                  /**< physical unit of a leaf (::EPV_UNIT_NONE for groups) */
    epv_gep_method method;          /**< valuation method of a leaf */
    int leaf;                       /**< 1 if quantities are recorded on this node */
    int final_service;              /**< 1 final (counted in GEP), 0 intermediate (reported only) */
    int capped_by_emission;         /**< 1 if the quantity may not exceed the region's emissions */
} epv_gep_indicator;
/** Initialiser of ::epv_gep_indicator. */
#define EPV_GEP_INDICATOR_INIT { EPV_GEP_INDICATOR_VERSION, "", "", "", "", EPV_GEP_PROVISIONING, EPV_UNIT_NONE, EPV_GEP_METHOD_NONE, 0, 0, 0 }
/**
 * Function twin of ::EPV_GEP_INDICATOR_INIT (ctx may be NULL); ::EPV_EVERSION for an unknown version.
 * @param ctx may be NULL; receives the message of an error.
 * @param[out] x the struct to initialise (every field to its documented default);
 *            must not be NULL.
 * @param version the struct version the caller was built with (::EPV_GEP_INDICATOR_VERSION).
 * @return ::EPV_OK, ::EPV_EINVAL (NULL `x`), ::EPV_EVERSION (version 0 or newer than
 *         this library knows; nothing written).
 */
EPV_API int epv_gep_indicator_init(epv_ctx *ctx, epv_gep_indicator *x, unsigned int version);

/** Opaque category tree. */
typedef struct epv_gep_tree epv_gep_tree;

/**
 * Load the national tree shipped with the library (gep/tree.xml).
 * @param ctx the context the new object allocates from; must not be NULL and must outlive it.
 * @param[out] out receives the tree (free with epv_gep_tree_free()); must not be NULL.
 * @return ::EPV_OK, ::EPV_EINVAL (NULL), ::EPV_ENOTFOUND (resource missing), ::EPV_ENOMEM, or an
 *         error of epv_gep_tree_load_memory().
 */
EPV_API int epv_gep_tree_load_default(epv_ctx *ctx, epv_gep_tree **out);
/**
 * Load a tree from a file (schema/gep_tree.xsd). Errors name file, line and field.
 * @param ctx the context the new object allocates from; must not be NULL and must outlive it.
 * @param path file name; must not be NULL.
 * @param[out] out receives the tree (free with epv_gep_tree_free()); must not be NULL.
 * @return ::EPV_OK, ::EPV_EINVAL (NULL), ::EPV_EIO, ::EPV_EPARSE, ::EPV_ESCHEMA, ::EPV_EEXISTS,
 *         ::EPV_ENOTFOUND, ::EPV_ERANGE, ::EPV_ENOMEM; errors name file, line and field.
 */
EPV_API int epv_gep_tree_load_file(epv_ctx *ctx, const char *path, epv_gep_tree **out);
/**
 * Load a tree from a buffer; `name` is used in messages.
 * @param ctx the context the new object allocates from; must not be NULL and must outlive it.
 * @param buf the text; need not be NUL-terminated; must not be NULL; not kept.
 * @param len length of `buf` in bytes.
 * @param name name used in messages in place of a file name; NULL: "(buffer)".
 * @param[out] out receives the tree (free with epv_gep_tree_free()); must not be NULL.
 * @return ::EPV_OK, as epv_gep_tree_load_file() (without ::EPV_EIO).
 */
EPV_API int epv_gep_tree_load_memory(epv_ctx *ctx, const char *buf, size_t len, const char *name,
                                     epv_gep_tree **out);
/**
 * Add a province's indicators from a file (same schema). New codes only: an existing code
 * is ::EPV_EEXISTS, an unknown parent ::EPV_ENOTFOUND. All or nothing.
 * @param ctx the context (allocations, messages); must not be NULL.
 * @param tree the tree to change; must not be NULL.
 * @param path file name; must not be NULL.
 * @return ::EPV_OK, ::EPV_EINVAL (NULL), ::EPV_EIO, ::EPV_EPARSE, ::EPV_ESCHEMA, ::EPV_EEXISTS,
 *         ::EPV_ENOTFOUND, ::EPV_ERANGE, ::EPV_ENOMEM; errors name file, line and field.
 */
EPV_API int epv_gep_tree_merge_file(epv_ctx *ctx, epv_gep_tree *tree, const char *path);
/**
 * Free a tree. NULL is a no-op.
 * @param tree the tree; NULL is a no-op. Free it after every account, price table and
 *             uncertainty table made with it.
 */
EPV_API void epv_gep_tree_free(epv_gep_tree *tree);
/**
 * Number of nodes.
 * @param tree the tree; may be NULL (then 0).
 * @return the number of nodes.
 */
EPV_API size_t epv_gep_tree_count(const epv_gep_tree *tree);
/**
 * Copy node i into `out` (initialised with ::EPV_GEP_INDICATOR_INIT). ::EPV_ERANGE if out of range.
 * @param ctx may be NULL; receives the message of an error.
 * @param tree the category tree; must not be NULL.
 * @param i node index, 0..epv_gep_tree_count() - 1 (parents before children).
 * @param[out] out versioned indicator (initialised by the caller); must not be NULL.
 * @return ::EPV_OK, ::EPV_EINVAL (NULL), ::EPV_EVERSION, ::EPV_ERANGE.
 */
EPV_API int epv_gep_tree_at(epv_ctx *ctx, const epv_gep_tree *tree, size_t i, epv_gep_indicator *out);
/**
 * Find a node by code. ::EPV_ENOTFOUND ("indicator: unknown code 'x'").
 * @param ctx may be NULL; receives the message of an error.
 * @param tree the category tree; must not be NULL.
 * @param code node code; must not be NULL.
 * @param[out] out versioned indicator (initialised by the caller); must not be NULL.
 * @return ::EPV_OK, ::EPV_EINVAL (NULL), ::EPV_EVERSION, ::EPV_ENOTFOUND.
 */
EPV_API int epv_gep_tree_find(epv_ctx *ctx, const epv_gep_tree *tree, const char *code,
                              epv_gep_indicator *out);

/* ---- physical quantities ------------------------------------------------------------
 * The specification's per-cell models (water conservation, soil retention, carbon and
 * oxygen, climate regulation, flood regulation, purification capped at emissions, sand
 * fixation) are in epv/gep_model.h, as functions over arrays of cells; the input reader
 * calls the same functions for each table row. */

/**
 * Oxygen released with a CO2 fixation supplied by the caller (e.g. the forest module), t/yr.
 * @param ctx may be NULL; receives the message of an error.
 * @param co2_t CO2 fixed, t (finite, >= 0).
 * @param[out] o2_t receives t O2; must not be NULL.
 * @return ::EPV_OK, ::EPV_EINVAL (NULL, not finite), ::EPV_ERANGE (negative).
 */
EPV_API int epv_gep_oxygen_from_co2(epv_ctx *ctx, double co2_t, double *o2_t);
/**
 * Pest control: area affected by pests that recovered without treatment (ha).
 * @param ctx may be NULL; receives the message of an error.
 * @param affected_ha area affected by pests, ha (finite, >= 0).
 * @param treated_ha area treated, ha (finite, >= 0, <= affected_ha).
 * @param[out] out_ha receives the area counted, ha; must not be NULL.
 * @return ::EPV_OK, ::EPV_EINVAL (NULL), ::EPV_ERANGE.
 */
EPV_API int epv_gep_pest_control_ha(epv_ctx *ctx, double affected_ha, double treated_ha, double *out_ha);

/* ---- prices and deflators ------------------------------------------------------------ */

/** Version of ::epv_gep_price this header describes. */
#define EPV_GEP_PRICE_VERSION 1
/** One dated unit price; filled by the caller or written by the library (versioned). */
typedef struct epv_gep_price {
    unsigned int version;             /**< ::EPV_GEP_PRICE_VERSION */
    char indicator[EPV_GEP_CODE_MAX]; /**< leaf indicator code */
    double yuan_per_unit;             /**< price in yuan per `unit` at base_year prices, >= 0 */
    epv_unit unit;                    /**< quantity unit the price refers to (same dimension as the indicator) */
    int base_year;                    /**< price year (required, 1900..2200) */
    epv_gep_method method;            /**< valuation method */
    char source[EPV_GEP_TEXT_MAX];    /**< where the price comes from */
} epv_gep_price;
/** Initialiser of ::epv_gep_price (no indicator, price 0, no base year: the caller fills them). */
#define EPV_GEP_PRICE_INIT { EPV_GEP_PRICE_VERSION, "", 0.0, EPV_UNIT_NONE, 0, EPV_GEP_METHOD_NONE, "" }
/**
 * Function twin of ::EPV_GEP_PRICE_INIT; ::EPV_EVERSION for an unknown version.
 * @param ctx may be NULL; receives the message of an error.
 * @param[out] x the struct to initialise (every field to its documented default);
 *            must not be NULL.
 * @param version the struct version the caller was built with (::EPV_GEP_PRICE_VERSION).
 * @return ::EPV_OK, ::EPV_EINVAL (NULL `x`), ::EPV_EVERSION (version 0 or newer than
 *         this library knows; nothing written).
 */
EPV_API int epv_gep_price_init(epv_ctx *ctx, epv_gep_price *x, unsigned int version);

/** What a nutrient price in ::epv_gep_soil_value_params stands for. Values fixed. */
typedef enum epv_gep_nutrient_price {
    EPV_GEP_NUTRIENT_FERTILISER = 1, /**< price of the nutrient bought as fertiliser (the land keeps it) */
    EPV_GEP_NUTRIENT_TREATMENT = 2   /**< cost of removing it from water (it would pollute; 面源污染) */
} epv_gep_nutrient_price;

/** Version of ::epv_gep_soil_value_params this header describes. */
#define EPV_GEP_SOIL_VALUE_PARAMS_VERSION 1
/**
 * Parameters of the soil-retention value in three parts (specification 土壤保持价值 =
 * 减少泥沙淤积 + 减少面源污染): sediment kept out of reservoirs and rivers at the dredging cost,
 * and N and P kept on the land, each at a price whose kind is stated. Filled by the caller.
 */
typedef struct epv_gep_soil_value_params {
    unsigned int version;       /**< ::EPV_GEP_SOIL_VALUE_PARAMS_VERSION */
    double silt_fraction;       /**< λ, share of eroded soil deposited as silt (e.g. 0.24) */
    double soil_density_t_m3;   /**< ρ, bulk density (t/m³), > 0 */
    double dredging_yuan_m3;    /**< c, dredging cost (yuan/m³) */
    double n_fraction;          /**< N content of soil (t N per t soil) */
    double p_fraction;          /**< P content of soil (t P per t soil) */
    double n_price_yuan_t;      /**< price of N (yuan/t N), of the kind `n_price_kind` */
    double p_price_yuan_t;      /**< price of P (yuan/t P), of the kind `p_price_kind` */
    epv_gep_nutrient_price n_price_kind; /**< what n_price_yuan_t is (required) */
    epv_gep_nutrient_price p_price_kind; /**< what p_price_yuan_t is (required) */
} epv_gep_soil_value_params;
/** Initialiser of ::epv_gep_soil_value_params (λ 0.24; everything else for the caller; kinds unset). */
#define EPV_GEP_SOIL_VALUE_PARAMS_INIT { EPV_GEP_SOIL_VALUE_PARAMS_VERSION, 0.24, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, (epv_gep_nutrient_price)0, (epv_gep_nutrient_price)0 }
/**
 * Function twin of ::EPV_GEP_SOIL_VALUE_PARAMS_INIT; ::EPV_EVERSION for an unknown version.
 * @param ctx may be NULL; receives the message of an error.
 * @param[out] x the struct to initialise (every field to its documented default);
 *            must not be NULL.
 * @param version the struct version the caller was built with (::EPV_GEP_SOIL_VALUE_PARAMS_VERSION).
 * @return ::EPV_OK, ::EPV_EINVAL (NULL `x`), ::EPV_EVERSION (version 0 or newer than
 *         this library knows; nothing written).
 */
EPV_API int epv_gep_soil_value_params_init(epv_ctx *ctx, epv_gep_soil_value_params *x, unsigned int version);

/** Version of ::epv_gep_soil_value this header describes. */
#define EPV_GEP_SOIL_VALUE_VERSION 1
/** Soil retention value per tonne of soil retained, by part (yuan/t); written by the library. */
typedef struct epv_gep_soil_value {
    unsigned int version;   /**< ::EPV_GEP_SOIL_VALUE_VERSION */
    double sediment_yuan_t; /**< λ·c/ρ: silt not deposited, at the dredging cost */
    double n_yuan_t;        /**< N content × N price */
    double p_yuan_t;        /**< P content × P price */
    double total_yuan_t;    /**< sum of the three */
} epv_gep_soil_value;
/** Initialiser of ::epv_gep_soil_value. */
#define EPV_GEP_SOIL_VALUE_INIT { EPV_GEP_SOIL_VALUE_VERSION, 0.0, 0.0, 0.0, 0.0 }
/**
 * Function twin of ::EPV_GEP_SOIL_VALUE_INIT; ::EPV_EVERSION for an unknown version.
 * @param ctx may be NULL; receives the message of an error.
 * @param[out] x the struct to initialise (every field to its documented default);
 *            must not be NULL.
 * @param version the struct version the caller was built with (::EPV_GEP_SOIL_VALUE_VERSION).
 * @return ::EPV_OK, ::EPV_EINVAL (NULL `x`), ::EPV_EVERSION (version 0 or newer than
 *         this library knows; nothing written).
 */
EPV_API int epv_gep_soil_value_init(epv_ctx *ctx, epv_gep_soil_value *x, unsigned int version);

/**
 * Soil retention value per tonne retained, in its three parts: sediment λ·c/ρ, N content ×
 * N price, P content × P price. ::EPV_ERANGE for a negative or non-finite parameter, ρ ≤ 0
 * or λ above 1; ::EPV_EINVAL for a price kind not set (each price must say whether it is a
 * fertiliser price or a treatment cost).
 * @param ctx may be NULL; receives the message of an error.
 * @param p versioned parameters; must not be NULL.
 * @param[out] out versioned result (initialised by the caller); must not be NULL.
 * @return ::EPV_OK, ::EPV_EINVAL (NULL), ::EPV_EVERSION, ::EPV_ERANGE (naming the field).
 */
EPV_API int epv_gep_soil_unit_value(epv_ctx *ctx, const epv_gep_soil_value_params *p, epv_gep_soil_value *out);

/**
 * Sand fixation unit value (yuan per t of sand fixed) by the cost of removing the sand that
 * would otherwise cover land: V = Q/(ρ·h)·c per tonne, i.e. c / (ρ × h), with ρ the sand
 * density (t/m³, 1.28 in published accounts), h the depth it would cover (m, 0.1) and c the
 * removal cost per m² (yuan/m², 3.75) (references.md section 2). All > 0 and finite.
 * @param ctx may be NULL; receives the message of an error.
 * @param density_t_m3 soil bulk density, t/m³ (> 0).
 * @param depth_m soil depth, m (> 0).
 * @param cost_yuan_m2 cost of restoring the soil, yuan/m² (finite, > 0).
 * @param[out] yuan_per_t receives the value, yuan per t of sand; must not be NULL.
 * @return ::EPV_OK, ::EPV_EINVAL (NULL), ::EPV_ERANGE.
 */
EPV_API int epv_gep_sand_unit_value(epv_ctx *ctx, double density_t_m3, double depth_m, double cost_yuan_m2,
                                    double *yuan_per_t);

/** Opaque price table (prices keyed by indicator code). */
typedef struct epv_gep_prices epv_gep_prices;
/**
 * Empty table checked against a tree (the tree must outlive the table).
 * @param ctx the context the new object allocates from; must not be NULL and must outlive it.
 * @param tree the category tree; must not be NULL.
 * @param[out] out receives the table (free with epv_gep_prices_free()); must not be NULL.
 * @return ::EPV_OK, ::EPV_EINVAL (NULL), ::EPV_ENOMEM.
 */
EPV_API int epv_gep_prices_new(epv_ctx *ctx, const epv_gep_tree *tree, epv_gep_prices **out);
/**
 * Free a price table. NULL is a no-op.
 * @param prices the table; NULL is a no-op.
 */
EPV_API void epv_gep_prices_free(epv_gep_prices *prices);
/**
 * Add or replace the price of an indicator. ::EPV_ENOTFOUND unknown indicator, ::EPV_ERANGE
 * negative price, ::EPV_EINVAL missing base_year, ::EPV_EUNITS unit of another dimension.
 * @param ctx the context (allocations, messages); must not be NULL.
 * @param prices the table; must not be NULL.
 * @param price versioned price of a leaf indicator (copied); must not be NULL.
 * @return ::EPV_OK, ::EPV_EINVAL (NULL, not a leaf), ::EPV_EVERSION, ::EPV_ENOTFOUND (unknown
 *         indicator), ::EPV_EUNITS, ::EPV_ERANGE, ::EPV_ENOMEM.
 */
EPV_API int epv_gep_prices_set(epv_ctx *ctx, epv_gep_prices *prices, const epv_gep_price *price);
/**
 * Set soil retention's price from its parts (epv_gep_soil_unit_value()): the price is their
 * total, dated `base_year`, method replacement cost; the table keeps the parts so that
 * epv_gep_account_soil_value() can split a valued account's soil retention into sediment, N
 * and P. `source` may be NULL.
 * @param ctx the context (allocations, messages); must not be NULL.
 * @param prices the table; must not be NULL.
 * @param params versioned soil parameters; must not be NULL.
 * @param base_year year of the prices, > 0.
 * @param source citation of the parameters; may be NULL.
 * @return ::EPV_OK, ::EPV_EINVAL (NULL), ::EPV_EVERSION, ::EPV_ERANGE, ::EPV_ENOMEM.
 */
EPV_API int epv_gep_prices_set_soil(epv_ctx *ctx, epv_gep_prices *prices, const epv_gep_soil_value_params *params,
                                    int base_year, const char *source);
/**
 * Find the price of an indicator.
 * @param ctx may be NULL; receives the message of an error.
 * @param prices the table; must not be NULL.
 * @param indicator indicator code of the tree; must not be NULL.
 * @param[out] out versioned price (initialised by the caller); must not be NULL.
 * @return ::EPV_OK, ::EPV_EINVAL (NULL), ::EPV_EVERSION, ::EPV_ENOTFOUND.
 */
EPV_API int epv_gep_prices_find(epv_ctx *ctx, const epv_gep_prices *prices, const char *indicator,
                                epv_gep_price *out);
/**
 * Number of prices.
 * @param prices the table; may be NULL (then 0).
 * @return the number of prices set.
 */
EPV_API size_t epv_gep_prices_count(const epv_gep_prices *prices);

/** Opaque deflator series: index by year (any base, e.g. CPI 2015 = 100). */
typedef struct epv_gep_deflator epv_gep_deflator;
/**
 * Empty series.
 * @param ctx the context the new object allocates from; must not be NULL and must outlive it.
 * @param[out] out receives the deflator (free with epv_gep_deflator_free()); must not be NULL.
 * @return ::EPV_OK, ::EPV_EINVAL (NULL), ::EPV_ENOMEM.
 */
EPV_API int epv_gep_deflator_new(epv_ctx *ctx, epv_gep_deflator **out);
/**
 * Free a series. NULL is a no-op.
 * @param d the deflator; NULL is a no-op.
 */
EPV_API void epv_gep_deflator_free(epv_gep_deflator *d);
/**
 * Set the index of a year (> 0).
 * @param ctx the context (allocations, messages); must not be NULL.
 * @param d the deflator; must not be NULL.
 * @param year calendar year.
 * @param index price index of the year (finite, > 0; any base); a year set again is replaced.
 * @return ::EPV_OK, ::EPV_EINVAL (NULL), ::EPV_ERANGE (year or index), ::EPV_ENOMEM.
 */
EPV_API int epv_gep_deflator_set(epv_ctx *ctx, epv_gep_deflator *d, int year, double index);
/**
 * Index of a year; ::EPV_ENOTFOUND ("deflator: no index for year N").
 * @param ctx may be NULL; receives the message of an error.
 * @param d the deflator; must not be NULL.
 * @param year calendar year.
 * @param[out] index receives the index; must not be NULL.
 * @return ::EPV_OK, ::EPV_EINVAL (NULL), ::EPV_ENOTFOUND (year not set).
 */
EPV_API int epv_gep_deflator_get(epv_ctx *ctx, const epv_gep_deflator *d, int year, double *index);
/**
 * Load a series from CSV: header `year,index`, then one row per year. Errors name the file,
 * line and column; a repeated year is ::EPV_EEXISTS. All or nothing.
 * @param ctx the context the new object allocates from; must not be NULL and must outlive it.
 * @param path file name; must not be NULL.
 * @param[out] out receives the deflator; must not be NULL.
 * @return ::EPV_OK, ::EPV_EINVAL (NULL), ::EPV_EIO, ::EPV_EPARSE (naming file, line and column),
 *         ::EPV_ERANGE, ::EPV_EEXISTS, ::EPV_ENOMEM.
 */
EPV_API int epv_gep_deflator_load_csv(epv_ctx *ctx, const char *path, epv_gep_deflator **out);
/**
 * Like epv_gep_deflator_load_csv() for a buffer; `name` is used in messages.
 * @param ctx the context the new object allocates from; must not be NULL and must outlive it.
 * @param buf the text; need not be NUL-terminated; must not be NULL; not kept.
 * @param len length of `buf` in bytes.
 * @param name name used in messages in place of a file name; NULL: "(buffer)".
 * @param[out] out receives the deflator; must not be NULL.
 * @return ::EPV_OK, as epv_gep_deflator_load_csv() (without ::EPV_EIO).
 */
EPV_API int epv_gep_deflator_load_csv_memory(epv_ctx *ctx, const char *buf, size_t len, const char *name,
                                             epv_gep_deflator **out);
/**
 * Convert a money amount from from_year prices to to_year prices: v × I(to) / I(from).
 * @param ctx may be NULL; receives the message of an error.
 * @param d the deflator; may be NULL only if from_year equals to_year.
 * @param yuan the amount at prices of from_year.
 * @param from_year year of the prices of `yuan`.
 * @param to_year year of the prices wanted.
 * @param[out] out_yuan receives the amount at prices of to_year; must not be NULL.
 * @return ::EPV_OK, ::EPV_EINVAL (NULL `out_yuan`), ::EPV_ENOTFOUND (no deflator while the
 *         years differ, or a year missing from it).
 */
EPV_API int epv_gep_deflate(epv_ctx *ctx, const epv_gep_deflator *d, double yuan, int from_year,
                            int to_year, double *out_yuan);

/* ---- carbon value over time (InVEST's carbon model valuation) ------------------------- */

/** Version of ::epv_gep_carbon_valuation this header describes. */
#define EPV_GEP_CARBON_VALUATION_VERSION 1
/**
 * Parameters of carbon valuation over time, as the InVEST Carbon Storage and Sequestration
 * model documents them (Natural Capital Project, InVEST User's Guide, "Carbon", eq.
 * carbon_value): V the price per t of elemental carbon (t C, not CO2), r the yearly market
 * discount rate (%) and c the yearly rate of change of the carbon price (%), which InVEST
 * applies as a second discount factor: c > 0 means carbon sequestered later is worth less.
 */
typedef struct epv_gep_carbon_valuation {
    unsigned int version;     /**< ::EPV_GEP_CARBON_VALUATION_VERSION */
    double price_per_t_c;     /**< V: money per t C (yuan, or any currency), finite */
    double discount_rate_pct; /**< r: % per year (> −100; 0 = no discounting) */
    double price_change_pct;  /**< c: % per year (> −100) */
} epv_gep_carbon_valuation;
/** Initialiser of ::epv_gep_carbon_valuation (price still to be set; no discounting). */
#define EPV_GEP_CARBON_VALUATION_INIT { EPV_GEP_CARBON_VALUATION_VERSION, 0.0, 0.0, 0.0 }
/**
 * Function twin of ::EPV_GEP_CARBON_VALUATION_INIT; ::EPV_EVERSION for an unknown version.
 * @param ctx may be NULL; receives the message of an error.
 * @param[out] x the struct to initialise (every field to its documented default);
 *            must not be NULL.
 * @param version the struct version the caller was built with (::EPV_GEP_CARBON_VALUATION_VERSION).
 * @return ::EPV_OK, ::EPV_EINVAL (NULL `x`), ::EPV_EVERSION (version 0 or newer than
 *         this library knows; nothing written).
 */
EPV_API int epv_gep_carbon_valuation_init(epv_ctx *ctx, epv_gep_carbon_valuation *x, unsigned int version);

/**
 * Value of a carbon stock change between two years, per cell (InVEST): the change s (t C,
 * negative for a loss) is taken as sequestered evenly over the q − p years and each year's
 * share discounted, value = V × s/(q − p) × Σ_{t=0}^{q−p−1} 1 / ((1 + r/100)^t (1 + c/100)^t).
 * year1 > year0. NaN cells give NaN. Writes n values to `out` (may not alias the input).
 * @param ctx may be NULL; receives the message of an error.
 * @param v versioned valuation (price V, rates r and c); must not be NULL.
 * @param n number of values.
 * @param delta_t_c n stock changes, t C; must not be NULL.
 * @param year0 year of the first stock (p).
 * @param year1 year of the second stock (q), > year0.
 * @param[out] out n values, yuan; must not be NULL.
 * @return ::EPV_OK, ::EPV_EINVAL (NULL, aliasing), ::EPV_EVERSION, ::EPV_ERANGE.
 */
EPV_API int epv_gep_carbon_value_change(epv_ctx *ctx, const epv_gep_carbon_valuation *v, size_t n,
                                        const double *delta_t_c, int year0, int year1, double *out);

/**
 * Present value of a stream of carbon sequestered each year: s_t t C in year t (t = 0 the
 * base year, nyears values), value = Σ_t V × s_t / ((1 + r/100)^t (1 + c/100)^t). A stream of
 * s/(q − p) each year is the stock change of epv_gep_carbon_value_change().
 * @param ctx may be NULL; receives the message of an error.
 * @param v versioned valuation; must not be NULL.
 * @param nyears number of years of the stream.
 * @param t_c_per_year nyears values s_t, t C; must not be NULL.
 * @param[out] value receives the present value, yuan; must not be NULL.
 * @return ::EPV_OK, ::EPV_EINVAL (NULL), ::EPV_EVERSION, ::EPV_ERANGE.
 */
EPV_API int epv_gep_carbon_value_stream(epv_ctx *ctx, const epv_gep_carbon_valuation *v, size_t nyears,
                                        const double *t_c_per_year, double *value);

/* ---- equivalent-factor method (Xie Gaodi et al. 2015) ------------------------------- */

/**
 * Number of services of the equivalent table.
 * @return 11.
 */
EPV_API size_t epv_gep_ef_service_count(void);
/**
 * Number of ecosystem types of the equivalent table.
 * @return 14.
 */
EPV_API size_t epv_gep_ef_ecosystem_count(void);
/**
 * Code of a service of the equivalent table.
 * @param i index, 0..epv_gep_ef_service_count() - 1.
 * @return the code (e.g. "food_production"), a static string owned by the library; NULL if
 *         `i` is out of range.
 */
EPV_API const char *epv_gep_ef_service_code(size_t i);
/**
 * Code of an ecosystem type of the equivalent table.
 * @param i index, 0..epv_gep_ef_ecosystem_count() - 1.
 * @return the code (e.g. "forest_broadleaf"), a static string owned by the library; NULL if
 *         `i` is out of range.
 */
EPV_API const char *epv_gep_ef_ecosystem_code(size_t i);
/**
 * Equivalent factor of an ecosystem type and service (dimensionless multiple of the standard equivalent).
 * @param ctx may be NULL; receives the message of an error.
 * @param ecosystem ecosystem type code (epv_gep_ef_ecosystem_code()); must not be NULL.
 * @param service service code (epv_gep_ef_service_code()); must not be NULL.
 * @param[out] factor receives the factor; must not be NULL.
 * @return ::EPV_OK, ::EPV_EINVAL (NULL), ::EPV_ENOTFOUND (unknown code, listing the known ones).
 */
EPV_API int epv_gep_ef_factor(epv_ctx *ctx, const char *ecosystem, const char *service, double *factor);
/**
 * Value of one standard equivalent (yuan/ha/yr) as Xie Gaodi et al. 2015 (自然资源学报
 * 30(8):1243-1254) define it: the net profit of grain per hectare of cropland, weighted by
 * the sown areas of the grain crops (rice, wheat, maize): D = Σ (S_i / ΣS) × F_i, with S_i
 * the sown area (any one area unit) and F_i the net profit (yuan/ha; may be negative) of
 * crop i. n ≥ 1; areas ≥ 0 with a positive sum.
 * @param ctx may be NULL; receives the message of an error.
 * @param n number of crops.
 * @param sown_area n sown areas; must not be NULL.
 * @param net_profit_yuan_ha n net profits, yuan/ha; must not be NULL.
 * @param[out] yuan_per_ha receives D, yuan/ha/yr; must not be NULL.
 * @return ::EPV_OK, ::EPV_EINVAL (NULL, n == 0), ::EPV_ERANGE (a negative area, areas summing to 0,
 *         a value not finite).
 */
EPV_API int epv_gep_ef_standard_equivalent(epv_ctx *ctx, size_t n, const double *sown_area,
                                           const double *net_profit_yuan_ha, double *yuan_per_ha);
/**
 * The older rule, under its own name: one standard equivalent as 1/7 of the value of the
 * national average grain yield per hectare, yield (kg/ha) × price (yuan/kg) / 7 (Xie Gaodi,
 * Lu Chunxia, Leng Yunfa et al. 2003, 自然资源学报 18(2):189-196, and the 2008 revision,
 * 自然资源学报 23(5):911-919). Not the definition of the 2015 table.
 * @param ctx may be NULL; receives the message of an error.
 * @param grain_yield_kg_ha national average grain yield, kg/ha (finite, >= 0).
 * @param grain_price_yuan_kg grain price, yuan/kg (finite, >= 0).
 * @param[out] yuan_per_ha receives the value, yuan/ha/yr; must not be NULL.
 * @return ::EPV_OK, ::EPV_EINVAL (NULL), ::EPV_ERANGE.
 */
EPV_API int epv_gep_ef_standard_equivalent_grain_1_7(epv_ctx *ctx, double grain_yield_kg_ha,
                                                     double grain_price_yuan_kg, double *yuan_per_ha);
/**
 * Value (yuan/yr) of all services of an area: area × Σ factors × standard equivalent.
 * @param ctx may be NULL; receives the message of an error.
 * @param ecosystem ecosystem type code; must not be NULL.
 * @param area_ha area, ha (finite, >= 0).
 * @param se_yuan_per_ha value of one standard equivalent, yuan/ha/yr (finite).
 * @param[out] yuan receives the value, yuan/yr; must not be NULL.
 * @return ::EPV_OK, ::EPV_EINVAL (NULL), ::EPV_ENOTFOUND, ::EPV_ERANGE.
 */
EPV_API int epv_gep_ef_value(epv_ctx *ctx, const char *ecosystem, double area_ha, double se_yuan_per_ha,
                             double *yuan);

/* ---- accounts ------------------------------------------------------------------------ */

/** Version of ::epv_gep_region this header describes. */
#define EPV_GEP_REGION_VERSION 1
/** A region of an account. Regions form a tree through `parent` (a county's city...). Versioned. */
typedef struct epv_gep_region {
    unsigned int version;         /**< ::EPV_GEP_REGION_VERSION */
    char code[EPV_GEP_CODE_MAX];  /**< unique code, e.g. an administrative division code */
    char name[EPV_GEP_TEXT_MAX];  /**< display name, UTF-8 */
    char parent[EPV_GEP_CODE_MAX];/**< parent code, "" for a root; parents come before children */
    double area_ha;               /**< land area (ha), >= 0; 0 means unknown */
} epv_gep_region;
/** Initialiser of ::epv_gep_region. */
#define EPV_GEP_REGION_INIT { EPV_GEP_REGION_VERSION, "", "", "", 0.0 }
/**
 * Function twin of ::EPV_GEP_REGION_INIT; ::EPV_EVERSION for an unknown version.
 * @param ctx may be NULL; receives the message of an error.
 * @param[out] x the struct to initialise (every field to its documented default);
 *            must not be NULL.
 * @param version the struct version the caller was built with (::EPV_GEP_REGION_VERSION).
 * @return ::EPV_OK, ::EPV_EINVAL (NULL `x`), ::EPV_EVERSION (version 0 or newer than
 *         this library knows; nothing written).
 */
EPV_API int epv_gep_region_init(epv_ctx *ctx, epv_gep_region *x, unsigned int version);

/** Opaque account. */
typedef struct epv_gep_account epv_gep_account;

/**
 * Create an account. Quantities are recorded on leaf regions only (regions without
 * children): higher levels are always sums, so nothing is counted twice.
 * @param ctx context for errors and allocations; must not be NULL and must outlive the
 *            account (it frees it).
 * @param[out] out receives the new account (free with epv_gep_account_free()); NULL on
 *            failure. Must not be NULL.
 * @param tree category tree (must outlive the account); must not be NULL.
 * @param regions region list, each parent before its children; copied. Must not be NULL.
 * @param nregions number of regions, >= 1; codes unique and non-empty, areas finite, >= 0.
 * @param ecosystems ecosystem type codes; copied. Must not be NULL.
 * @param necosystems number of ecosystem codes, 1..4096; codes unique, non-empty, shorter
 *            than ::EPV_GEP_CODE_MAX bytes.
 * @param first_year first year, >= 1900.
 * @param nyears number of years (1..200); the last year must be <= 2200.
 * @return ::EPV_OK; ::EPV_EINVAL (NULL argument, no region or ecosystem, empty or
 *         unterminated code), ::EPV_ERANGE (years, negative area, too many regions),
 *         ::EPV_EVERSION (a region's version), ::EPV_EEXISTS (a code twice),
 *         ::EPV_ENOTFOUND (a parent unknown or after its child), ::EPV_ENOMEM.
 */
EPV_API int epv_gep_account_new(epv_ctx *ctx, epv_gep_account **out, const epv_gep_tree *tree,
                                const epv_gep_region *regions, size_t nregions,
                                const char *const *ecosystems, size_t necosystems, int first_year,
                                int nyears);
/**
 * Free an account.
 * @param acc the account; NULL is a no-op.
 */
EPV_API void epv_gep_account_free(epv_gep_account *acc);
/**
 * Number of regions of an account.
 * @param acc the account; may be NULL (then 0).
 * @return the number of regions given to epv_gep_account_new().
 */
EPV_API size_t epv_gep_account_region_count(const epv_gep_account *acc);
/**
 * Copy region i of an account (in the order given to epv_gep_account_new()).
 * @param ctx may be NULL; receives the message of an error.
 * @param acc the account; must not be NULL.
 * @param i index, 0..epv_gep_account_region_count() - 1.
 * @param[out] out versioned region (initialised by the caller); written only on success.
 * @return ::EPV_OK, ::EPV_EINVAL (NULL), ::EPV_EVERSION (version of `out`), ::EPV_ERANGE
 *         (`i` out of range).
 */
EPV_API int epv_gep_account_region_at(epv_ctx *ctx, const epv_gep_account *acc, size_t i, epv_gep_region *out);
/**
 * Number of ecosystem types of an account.
 * @param acc the account; may be NULL (then 0).
 * @return the number of ecosystem codes given to epv_gep_account_new().
 */
EPV_API size_t epv_gep_account_ecosystem_count(const epv_gep_account *acc);
/**
 * Code of ecosystem type i of an account (in the order given to epv_gep_account_new()).
 * @param acc the account; may be NULL (then NULL).
 * @param i index, 0..epv_gep_account_ecosystem_count() - 1.
 * @return the code, owned by the account (valid while it lives); NULL if `i` is out of range.
 */
EPV_API const char *epv_gep_account_ecosystem_at(const epv_gep_account *acc, size_t i);
/**
 * First year of an account.
 * @param acc the account; may be NULL (then 0).
 * @return the first year given to epv_gep_account_new().
 */
EPV_API int epv_gep_account_first_year(const epv_gep_account *acc);
/**
 * Number of years of an account.
 * @param acc the account; may be NULL (then 0).
 * @return the number of years given to epv_gep_account_new() (1..200).
 */
EPV_API int epv_gep_account_year_count(const epv_gep_account *acc);

/**
 * Record a physical quantity. `unit` must have the indicator's dimension (converted to the
 * indicator's unit), else ::EPV_EUNITS. Negative values ::EPV_ERANGE; unknown codes
 * ::EPV_ENOTFOUND; a group indicator or a non-leaf region ::EPV_EINVAL.
 * Recording invalidates a previous valuation.
 * @param ctx the context (allocations, messages); must not be NULL.
 * @param acc the account; must not be NULL.
 * @param region code of a leaf region; must not be NULL.
 * @param ecosystem ecosystem type code of the account; must not be NULL.
 * @param indicator code of a leaf indicator of the tree; must not be NULL.
 * @param year calendar year within the account's years.
 * @param value the quantity, in `unit` (finite, >= 0).
 * @param unit unit of `value`; must have the indicator's dimension.
 * @return ::EPV_OK, ::EPV_EINVAL, ::EPV_EUNITS, ::EPV_ERANGE, ::EPV_ENOTFOUND, ::EPV_ENOMEM.
 */
EPV_API int epv_gep_account_set_quantity(epv_ctx *ctx, epv_gep_account *acc, const char *region,
                                         const char *ecosystem, const char *indicator, int year,
                                         double value, epv_unit unit);
/**
 * Record every region × ecosystem quantity of one indicator and year at once: `values` has
 * nregions × necosystems numbers (region-major, account order) in the indicator's unit; rows
 * of non-leaf regions must be 0. All or nothing.
 * @param ctx the context (allocations, messages); must not be NULL.
 * @param acc the account; must not be NULL.
 * @param indicator code of a leaf indicator of the tree; must not be NULL.
 * @param year calendar year within the account's years.
 * @param values nregions × necosystems quantities; must not be NULL.
 * @return ::EPV_OK, ::EPV_EINVAL (NULL, group indicator, non-zero row of a non-leaf region),
 *         ::EPV_ENOTFOUND, ::EPV_ERANGE, ::EPV_ENOMEM.
 */
EPV_API int epv_gep_account_set_quantities(epv_ctx *ctx, epv_gep_account *acc, const char *indicator,
                                           int year, const double *values);
/**
 * Quantity (indicator unit) summed over leaf regions under `region`; ecosystem NULL = all.
 * @param ctx may be NULL; receives the message of an error.
 * @param acc the account; must not be NULL.
 * @param region region code (any level unless said otherwise); must not be NULL.
 * @param ecosystem ecosystem type code, or NULL for all ecosystems.
 * @param indicator indicator code of the tree; must not be NULL.
 * @param year calendar year within the account's years.
 * @param[out] out receives the quantity in the indicator's unit; must not be NULL.
 * @return ::EPV_OK, ::EPV_EINVAL (NULL), ::EPV_ENOTFOUND, ::EPV_ERANGE (year outside the
 *         account).
 */
EPV_API int epv_gep_account_quantity(epv_ctx *ctx, const epv_gep_account *acc, const char *region,
                                     const char *ecosystem, const char *indicator, int year, double *out);
/**
 * Area (ha) of an ecosystem type in a leaf region and year (for the area check).
 * @param ctx may be NULL; receives the message of an error.
 * @param acc the account; must not be NULL.
 * @param region code of a leaf region; must not be NULL.
 * @param ecosystem ecosystem type code of the account; must not be NULL.
 * @param year calendar year within the account's years.
 * @param area_ha area, ha (finite, >= 0).
 * @return ::EPV_OK, ::EPV_EINVAL (NULL, non-leaf region), ::EPV_ENOTFOUND, ::EPV_ERANGE.
 */
EPV_API int epv_gep_account_set_ecosystem_area(epv_ctx *ctx, epv_gep_account *acc, const char *region,
                                               const char *ecosystem, int year, double area_ha);
/**
 * GDP of a region and year (yuan, current prices).
 * @param ctx may be NULL; receives the message of an error.
 * @param acc the account; must not be NULL.
 * @param region region code (any level unless said otherwise); must not be NULL.
 * @param year calendar year within the account's years.
 * @param gdp_yuan GDP, yuan at current prices (finite, > 0).
 * @return ::EPV_OK, ::EPV_EINVAL (NULL), ::EPV_ENOTFOUND, ::EPV_ERANGE.
 */
EPV_API int epv_gep_account_set_gdp(epv_ctx *ctx, epv_gep_account *acc, const char *region, int year,
                                    double gdp_yuan);
/**
 * Emissions of the pollutant of a capped indicator (t/yr) in a leaf region, for the checks.
 * @param ctx the context (allocations, messages); must not be NULL.
 * @param acc the account; must not be NULL.
 * @param region code of a leaf region; must not be NULL.
 * @param indicator code of a capped indicator of the tree; must not be NULL.
 * @param year calendar year within the account's years.
 * @param emission_t emission, t/yr (finite, >= 0).
 * @return ::EPV_OK, ::EPV_EINVAL, ::EPV_ENOTFOUND, ::EPV_ERANGE, ::EPV_ENOMEM.
 */
EPV_API int epv_gep_account_set_emission(epv_ctx *ctx, epv_gep_account *acc, const char *region,
                                         const char *indicator, int year, double emission_t);
/**
 * Value flowing into `region` from `from_region` (NULL or "" = from outside every region of
 * the account), yuan at current prices of `year`. GEP subtracts it at every level that
 * contains `region` but not `from_region` (GB/T 46869-2025).
 * @param ctx the context (allocations, messages); must not be NULL.
 * @param acc the account; must not be NULL.
 * @param region code of the receiving region (any level unless said otherwise); must not be NULL.
 * @param from_region code of the region the value comes from; NULL or "": from outside.
 * @param indicator indicator code of the tree; must not be NULL.
 * @param year calendar year within the account's years.
 * @param value_yuan the value, yuan at current prices (finite, >= 0).
 * @return ::EPV_OK, ::EPV_EINVAL, ::EPV_ENOTFOUND, ::EPV_ERANGE, ::EPV_ENOMEM.
 */
EPV_API int epv_gep_account_add_inflow(epv_ctx *ctx, epv_gep_account *acc, const char *region,
                                       const char *from_region, const char *indicator, int year,
                                       double value_yuan);
/**
 * Value reported by a published account for a node (leaf, group or category; "gep" for the total), yuan.
 * @param ctx the context (allocations, messages); must not be NULL.
 * @param acc the account; must not be NULL.
 * @param region region code (any level unless said otherwise); must not be NULL.
 * @param node code of a tree node, or "gep" for the total; must not be NULL.
 * @param year calendar year within the account's years.
 * @param value_yuan the published value, yuan (finite, >= 0); a value set again is replaced.
 * @return ::EPV_OK, ::EPV_EINVAL (NULL), ::EPV_ENOTFOUND, ::EPV_ERANGE, ::EPV_ENOMEM.
 */
EPV_API int epv_gep_account_set_reported(epv_ctx *ctx, epv_gep_account *acc, const char *region,
                                         const char *node, int year, double value_yuan);
/**
 * Unit price a published account used (yuan per indicator unit); price_year 0 = not stated.
 * @param ctx the context (allocations, messages); must not be NULL.
 * @param acc the account; must not be NULL.
 * @param indicator indicator code of the tree; must not be NULL.
 * @param year calendar year within the account's years.
 * @param yuan_per_unit the published unit price, yuan per indicator unit (finite, >= 0).
 * @param price_year year of that price; 0 if not stated.
 * @return ::EPV_OK, ::EPV_EINVAL, ::EPV_ENOTFOUND, ::EPV_ERANGE, ::EPV_ENOMEM.
 */
EPV_API int epv_gep_account_set_reported_price(epv_ctx *ctx, epv_gep_account *acc, const char *indicator,
                                               int year, double yuan_per_unit, int price_year);

/**
 * Value the account: every recorded indicator needs a price. Prices are converted with the
 * deflator to current prices of each year and to constant prices of `price_year`; the
 * deflator may be NULL only if no conversion is needed. Missing price ::EPV_ENOTFOUND,
 * missing deflator year ::EPV_ENOTFOUND naming the year. All or nothing.
 * @param ctx the context (allocations, messages); must not be NULL.
 * @param acc the account; must not be NULL.
 * @param prices the price table (same tree as the account); must not be NULL.
 * @param deflator the deflator; NULL only if no conversion is needed.
 * @param price_year year of the constant prices.
 * @return ::EPV_OK, ::EPV_EINVAL (NULL, prices built on another tree), ::EPV_ENOTFOUND (a
 *         price or deflator year missing), ::EPV_ENOMEM.
 */
EPV_API int epv_gep_account_value(epv_ctx *ctx, epv_gep_account *acc, const epv_gep_prices *prices,
                                  const epv_gep_deflator *deflator, int price_year);
/**
 * Constant price year of the last valuation (0 if not valued).
 * @param acc the account; may be NULL.
 * @return the constant-price year of the valuation; 0 if NULL or not valued.
 */
EPV_API int epv_gep_account_price_year(const epv_gep_account *acc);

/** Price basis of a query. */
typedef enum epv_gep_basis {
    EPV_GEP_CURRENT = 0, /**< current prices of each year */
    EPV_GEP_CONSTANT = 1 /**< constant prices of the valuation's price_year */
} epv_gep_basis;

/** Version of ::epv_gep_soil_split this header describes. */
#define EPV_GEP_SOIL_SPLIT_VERSION 1
/** Soil retention value of a region and year in its parts (yuan); written by the library. */
typedef struct epv_gep_soil_split {
    unsigned int version; /**< ::EPV_GEP_SOIL_SPLIT_VERSION */
    double sediment_yuan; /**< 减少泥沙淤积: silt not deposited, at the dredging cost */
    double n_yuan;        /**< N kept on the land */
    double p_yuan;        /**< P kept on the land */
    double total_yuan;    /**< the account's soil_retention value (= the sum of the three) */
} epv_gep_soil_split;
/** Initialiser of ::epv_gep_soil_split. */
#define EPV_GEP_SOIL_SPLIT_INIT { EPV_GEP_SOIL_SPLIT_VERSION, 0.0, 0.0, 0.0, 0.0 }
/**
 * Function twin of ::EPV_GEP_SOIL_SPLIT_INIT; ::EPV_EVERSION for an unknown version.
 * @param ctx may be NULL; receives the message of an error.
 * @param[out] x the struct to initialise (every field to its documented default);
 *            must not be NULL.
 * @param version the struct version the caller was built with (::EPV_GEP_SOIL_SPLIT_VERSION).
 * @return ::EPV_OK, ::EPV_EINVAL (NULL `x`), ::EPV_EVERSION (version 0 or newer than
 *         this library knows; nothing written).
 */
EPV_API int epv_gep_soil_split_init(epv_ctx *ctx, epv_gep_soil_split *x, unsigned int version);
/**
 * Split the soil retention value of `region` (any level, all ecosystems) in `year` into
 * sediment, N and P, in the shares of the parts set with epv_gep_prices_set_soil() on
 * `prices` (the table the account was valued with). ::EPV_ESTATE if the account is not
 * valued, ::EPV_ENOTFOUND if soil retention's price was not built from its parts.
 * @param ctx the context (allocations, messages); must not be NULL.
 * @param acc the account; must not be NULL.
 * @param prices the table the account was valued with; must not be NULL.
 * @param region region code (any level unless said otherwise); must not be NULL.
 * @param year calendar year within the account's years.
 * @param basis ::epv_gep_basis (current or constant prices).
 * @param[out] out versioned split (initialised by the caller); must not be NULL.
 * @return ::EPV_OK, ::EPV_EINVAL (NULL), ::EPV_EVERSION, ::EPV_ESTATE, ::EPV_ENOTFOUND.
 */
EPV_API int epv_gep_account_soil_value(epv_ctx *ctx, const epv_gep_account *acc, const epv_gep_prices *prices,
                                       const char *region, int year, epv_gep_basis basis, epv_gep_soil_split *out);

/**
 * Value (yuan) of `node` (leaf, group, category, or NULL/"gep" for GEP) in `region` (any
 * level) and year. Groups and GEP sum final services only; inflows from outside the region
 * are subtracted when `ecosystem` is NULL. ::EPV_ESTATE if not valued.
 * @param ctx may be NULL; receives the message of an error.
 * @param acc the account; must not be NULL.
 * @param region region code (any level unless said otherwise); must not be NULL.
 * @param ecosystem ecosystem type code, or NULL for all ecosystems.
 * @param node node code, or NULL or "gep" for GEP.
 * @param year calendar year within the account's years.
 * @param basis ::epv_gep_basis (current or constant prices).
 * @param[out] yuan receives the value, yuan; must not be NULL.
 * @return ::EPV_OK, ::EPV_EINVAL (NULL), ::EPV_ESTATE, ::EPV_ENOTFOUND, ::EPV_ERANGE (year
 *         outside the account).
 */
EPV_API int epv_gep_account_total(epv_ctx *ctx, const epv_gep_account *acc, const char *region,
                                  const char *ecosystem, const char *node, int year, epv_gep_basis basis,
                                  double *yuan);
/**
 * GEP of every region (all levels) and year at once: `out` receives nregions × nyears values
 * (region-major, yuan). Uses the context's thread count.
 * @param ctx the context (allocations, messages); must not be NULL.
 * @param acc the account; must not be NULL.
 * @param basis ::epv_gep_basis (current or constant prices).
 * @param[out] out nregions × nyears values, yuan; must not be NULL.
 * @return ::EPV_OK, ::EPV_EINVAL (NULL), ::EPV_ESTATE, ::EPV_ENOMEM.
 */
EPV_API int epv_gep_account_gep_table(epv_ctx *ctx, const epv_gep_account *acc, epv_gep_basis basis,
                                      double *out);
/**
 * Number of indicators on an account's indicator axis: the tree's nodes when the account was made.
 * @param acc the account; may be NULL (then 0).
 * @return the number of indicators.
 */
EPV_API size_t epv_gep_account_indicator_count(const epv_gep_account *acc);

/** What epv_gep_account_copy_values() copies. Values fixed, only appended. */
typedef enum epv_gep_values {
    EPV_GEP_VALUES_QUANTITY = 0, /**< physical quantities in each indicator's unit */
    EPV_GEP_VALUES_CURRENT = 1,  /**< values in yuan at current prices of each year */
    EPV_GEP_VALUES_CONSTANT = 2  /**< values in yuan at constant prices of the valuation's price_year */
} epv_gep_values;

/**
 * The whole account table in one call: nyears × nindicators × nregions × necosystems values
 * into a caller buffer, index ((y × nind + i) × nreg + r) × neco + e, years from the first
 * year, indicators in epv_gep_tree_at() order (epv_gep_account_indicator_count()), regions
 * and ecosystems in account order. A region with sub-regions holds the sum of its leaf
 * regions; an indicator never recorded in a year (and every group node) is NaN; a cell not
 * recorded for a recorded indicator-year is 0. `*n` receives the count needed; a `buf`
 * too small (or NULL) is ::EPV_ERANGE and writes nothing. Money needs a valued account
 * (::EPV_ESTATE).
 * @param ctx the context (allocations, messages); must not be NULL.
 * @param acc the account; must not be NULL.
 * @param what which values (::epv_gep_values).
 * @param[out] buf cap values; may be NULL (then only `*n` is set and ::EPV_ERANGE returned).
 * @param cap capacity of `buf`, in values.
 * @param[out] n receives the number of values needed; must not be NULL.
 * @return ::EPV_OK, ::EPV_EINVAL (NULL, unknown `what`), ::EPV_ESTATE, ::EPV_ERANGE, ::EPV_ENOMEM.
 */
EPV_API int epv_gep_account_copy_values(epv_ctx *ctx, const epv_gep_account *acc, epv_gep_values what,
                                        double *buf, size_t cap, size_t *n);

/**
 * GEP / GDP of a region and year (current prices). ::EPV_ENOTFOUND if GDP is not set.
 * @param ctx may be NULL; receives the message of an error.
 * @param acc the account; must not be NULL.
 * @param region region code (any level unless said otherwise); must not be NULL.
 * @param year calendar year within the account's years.
 * @param[out] ratio receives GEP / GDP (dimensionless); must not be NULL.
 * @return ::EPV_OK, ::EPV_EINVAL (NULL), ::EPV_ESTATE, ::EPV_ENOTFOUND (GDP not set), ::EPV_ERANGE
 *         (year outside the account).
 */
EPV_API int epv_gep_account_gep_gdp(epv_ctx *ctx, const epv_gep_account *acc, const char *region, int year,
                                    double *ratio);

/** Version of ::epv_gep_change this header describes. */
#define EPV_GEP_CHANGE_VERSION 1
/** Change of GEP between two years split into volume and price parts (current prices). Written by the library. */
typedef struct epv_gep_change {
    unsigned int version; /**< ::EPV_GEP_CHANGE_VERSION */
    double value0_yuan;  /**< GEP in year0 */
    double value1_yuan;  /**< GEP in year1 */
    double volume_yuan;  /**< Σ p0·(q1 − q0): quantities changed at year0 prices */
    double price_yuan;   /**< Σ q1·(p1 − p0): prices changed on year1 quantities */
    double inflow_yuan;  /**< change of the subtracted inflows (value1 − value0 = volume + price − inflow) */
} epv_gep_change;
/** Initialiser of ::epv_gep_change. */
#define EPV_GEP_CHANGE_INIT { EPV_GEP_CHANGE_VERSION, 0.0, 0.0, 0.0, 0.0, 0.0 }
/**
 * Function twin of ::EPV_GEP_CHANGE_INIT; ::EPV_EVERSION for an unknown version.
 * @param ctx may be NULL; receives the message of an error.
 * @param[out] x the struct to initialise (every field to its documented default);
 *            must not be NULL.
 * @param version the struct version the caller was built with (::EPV_GEP_CHANGE_VERSION).
 * @return ::EPV_OK, ::EPV_EINVAL (NULL `x`), ::EPV_EVERSION (version 0 or newer than
 *         this library knows; nothing written).
 */
EPV_API int epv_gep_change_init(epv_ctx *ctx, epv_gep_change *x, unsigned int version);
/**
 * Decompose the change of GEP in a region between year0 and year1.
 * @param ctx the context (allocations, messages); must not be NULL.
 * @param acc the account; must not be NULL.
 * @param region region code (any level unless said otherwise); must not be NULL.
 * @param year0 the earlier year.
 * @param year1 the later year.
 * @param[out] out versioned result (initialised by the caller); must not be NULL.
 * @return ::EPV_OK, ::EPV_EINVAL (NULL), ::EPV_EVERSION, and the errors of epv_gep_account_total()
 *         (::EPV_ESTATE, ::EPV_ENOTFOUND, ::EPV_ERANGE).
 */
EPV_API int epv_gep_account_change(epv_ctx *ctx, const epv_gep_account *acc, const char *region, int year0,
                                   int year1, epv_gep_change *out);

/**
 * GEP's carbon indicator over time: the present value, at the account's first year, of the
 * carbon fixation (indicator "carbon_fixation", t CO2e, converted to t C by 12/44) recorded
 * in `region` (any level, all ecosystems) in every year of the account, by
 * epv_gep_carbon_value_stream(). Years without a record count 0.
 * @param ctx the context (allocations, messages); must not be NULL.
 * @param acc the account; must not be NULL.
 * @param region region code (any level unless said otherwise); must not be NULL.
 * @param v versioned valuation; must not be NULL.
 * @param[out] value receives the present value, yuan; must not be NULL.
 * @return ::EPV_OK, ::EPV_EINVAL (NULL), ::EPV_EVERSION, ::EPV_ENOTFOUND, ::EPV_ERANGE, ::EPV_ENOMEM.
 */
EPV_API int epv_gep_account_carbon_value(epv_ctx *ctx, const epv_gep_account *acc, const char *region,
                                         const epv_gep_carbon_valuation *v, double *value);

/* ---- integrity checks ---------------------------------------------------------------- */

/** Severity of a finding. */
typedef enum epv_gep_severity {
    EPV_GEP_NOTE = 0,    /**< for information; nothing to correct */
    EPV_GEP_WARNING = 1, /**< plausible but worth a look (e.g. an area or value out of the usual) */
    EPV_GEP_ERROR = 2    /**< the account contradicts itself (sums, O2/CO2, dated prices) */
} epv_gep_severity;

/** Version of ::epv_gep_finding this header describes. */
#define EPV_GEP_FINDING_VERSION 1
/** One finding of the integrity checks; written by the library (versioned). */
typedef struct epv_gep_finding {
    unsigned int version;      /**< ::EPV_GEP_FINDING_VERSION */
    epv_gep_severity severity; /**< how serious the finding is */
    char check[32];            /**< "sum", "value", "o2_co2", "purification", "price_dated", "area" */
    char where[EPV_GEP_TEXT_MAX]; /**< region / node / year the finding is about */
    char message[256];         /**< human-readable explanation */
    double expected;           /**< what the rule expects */
    double actual;             /**< what the account holds */
} epv_gep_finding;
/** Initialiser of ::epv_gep_finding. */
#define EPV_GEP_FINDING_INIT { EPV_GEP_FINDING_VERSION, EPV_GEP_NOTE, "", "", "", 0.0, 0.0 }
/**
 * Function twin of ::EPV_GEP_FINDING_INIT; ::EPV_EVERSION for an unknown version.
 * @param ctx may be NULL; receives the message of an error.
 * @param[out] x the struct to initialise (every field to its documented default);
 *            must not be NULL.
 * @param version the struct version the caller was built with (::EPV_GEP_FINDING_VERSION).
 * @return ::EPV_OK, ::EPV_EINVAL (NULL `x`), ::EPV_EVERSION (version 0 or newer than
 *         this library knows; nothing written).
 */
EPV_API int epv_gep_finding_init(epv_ctx *ctx, epv_gep_finding *x, unsigned int version);

/** Opaque list of findings. */
typedef struct epv_gep_findings epv_gep_findings;
/**
 * Run every check on an account (valued or only reported): parts sum to totals, reported
 * value = quantity × price, O2 = 32/44·CO2, purification ≤ emissions, prices dated and of the
 * account year, ecosystem areas add up to the region's area. An empty list means all passed.
 * @param ctx the context (allocations, messages); must not be NULL.
 * @param acc the account; must not be NULL.
 * @param[out] out receives the findings (free with epv_gep_findings_free()); must not be NULL.
 * @return ::EPV_OK, ::EPV_EINVAL (NULL), ::EPV_ENOMEM. Findings are not errors.
 */
EPV_API int epv_gep_check(epv_ctx *ctx, const epv_gep_account *acc, epv_gep_findings **out);
/**
 * Number of findings of a list.
 * @param f the list from epv_gep_check(); may be NULL (then 0).
 * @return the number of findings; 0 when every check passed.
 */
EPV_API size_t epv_gep_findings_count(const epv_gep_findings *f);
/**
 * Copy finding i of a list (in the order the checks found them).
 * @param ctx may be NULL; receives the message of an error.
 * @param f the list; must not be NULL.
 * @param i index, 0..epv_gep_findings_count() - 1.
 * @param[out] out versioned finding (initialised by the caller); written only on success.
 * @return ::EPV_OK, ::EPV_EINVAL (NULL), ::EPV_EVERSION (version of `out`), ::EPV_ERANGE
 *         (`i` out of range).
 */
EPV_API int epv_gep_findings_at(epv_ctx *ctx, const epv_gep_findings *f, size_t i, epv_gep_finding *out);
/**
 * Free a list of findings.
 * @param f the list; NULL is a no-op.
 */
EPV_API void epv_gep_findings_free(epv_gep_findings *f);

/* ---- input files --------------------------------------------------------------------- */

/**
 * Opaque bundle read from an input file (schema/gep_input.xsd): regions, ecosystems,
 * ecosystem areas, GDP, quantities (or model inputs from which quantities are computed),
 * inflows, emissions, prices and a deflator series.
 */
typedef struct epv_gep_input epv_gep_input;
/**
 * Load an input file against a tree. Errors name file, line and field. All or nothing.
 * @param ctx the context the new object allocates from; must not be NULL and must outlive it.
 * @param tree the category tree; must not be NULL.
 * @param path file name; must not be NULL.
 * @param[out] out receives the bundle (free with epv_gep_input_free()); must not be NULL.
 * @return ::EPV_OK, ::EPV_EINVAL (NULL), ::EPV_EIO, ::EPV_EPARSE, ::EPV_ESCHEMA, ::EPV_EEXISTS,
 *         ::EPV_ENOTFOUND, ::EPV_ERANGE, ::EPV_ENOMEM; errors name file, line and field.
 */
EPV_API int epv_gep_input_load_file(epv_ctx *ctx, const epv_gep_tree *tree, const char *path,
                                    epv_gep_input **out);
/**
 * Like epv_gep_input_load_file() for a buffer.
 * @param ctx the context the new object allocates from; must not be NULL and must outlive it.
 * @param tree the category tree; must not be NULL.
 * @param buf the text; need not be NUL-terminated; must not be NULL; not kept.
 * @param len length of `buf` in bytes.
 * @param name name used in messages in place of a file name; NULL: "(buffer)".
 * @param[out] out receives the bundle (free with epv_gep_input_free()); must not be NULL.
 * @return ::EPV_OK, as epv_gep_input_load_file() (without ::EPV_EIO).
 */
EPV_API int epv_gep_input_load_memory(epv_ctx *ctx, const epv_gep_tree *tree, const char *buf, size_t len,
                                      const char *name, epv_gep_input **out);
/**
 * Load an input from CSV tables in a directory: one table per element of
 * schema/gep_input.xsd, named `<element>.csv` (`region.csv`, `ecosystem.csv`, `price.csv`,
 * `quantity.csv`, `waterBalance.csv`, ...), whose header names the element's attributes
 * (e.g. `region,ecosystem,year,areaHa,precipMm,runoffMm,etMm`); an empty field leaves the
 * attribute out. `gepInput.csv` holds one row with `firstYear,years,priceYear`;
 * `gepInput.csv`, `region.csv` and `ecosystem.csv` are required, the other tables optional.
 * Tables are UTF-8 with or without a BOM, or GB18030 when `encoding` says so (NULL: UTF-8),
 * and are read with the strict CSV reader; every row is then checked exactly as the XML
 * element would be (schema and values). Errors name the table file, its line and the
 * column. All or nothing. Reports progress through the context's callback.
 * @param ctx the context the new object allocates from; must not be NULL and must outlive it.
 * @param tree the category tree; must not be NULL.
 * @param dir directory holding the CSV files; must not be NULL.
 * @param encoding encoding of the files (NULL: UTF-8).
 * @param[out] out receives the bundle (free with epv_gep_input_free()); must not be NULL.
 * @return ::EPV_OK, ::EPV_EINVAL (NULL), ::EPV_EIO, ::EPV_EPARSE (naming file, line and column),
 *         ::EPV_ENOTFOUND, ::EPV_ERANGE, ::EPV_EUNITS, ::EPV_ECANCELLED, ::EPV_ENOMEM, and
 *         the errors of epv_gep_input_load_memory().
 */
EPV_API int epv_gep_input_load_csv_dir(epv_ctx *ctx, const epv_gep_tree *tree, const char *dir,
                                       const char *encoding, epv_gep_input **out);
/**
 * Free the bundle and everything in it. NULL is a no-op.
 * @param in the bundle; NULL is a no-op (frees its account, prices and deflator too).
 */
EPV_API void epv_gep_input_free(epv_gep_input *in);
/**
 * The account (owned by the bundle).
 * @param in the bundle; may be NULL (then NULL).
 * @return the account, owned by the bundle.
 */
EPV_API epv_gep_account *epv_gep_input_account(epv_gep_input *in);
/**
 * The price table (owned by the bundle).
 * @param in the bundle; may be NULL (then NULL).
 * @return the prices, owned by the bundle.
 */
EPV_API const epv_gep_prices *epv_gep_input_prices(const epv_gep_input *in);
/**
 * The deflator (owned by the bundle; NULL if the file has none).
 * @param in the bundle; may be NULL (then NULL).
 * @return the deflator, owned by the bundle (NULL if the file gave none).
 */
EPV_API const epv_gep_deflator *epv_gep_input_deflator(const epv_gep_input *in);
/**
 * The constant price year the file asks for.
 * @param in the bundle; may be NULL (then 0).
 * @return the constant-price year the file gives.
 */
EPV_API int epv_gep_input_price_year(const epv_gep_input *in);

/* ---- output -------------------------------------------------------------------------- */

/**
 * Write a valued account as XML (schema/gep_account.xsd; SEEA EA supply and use tables).
 * Written through a temporary file renamed into place.
 * @param ctx the context (allocations, messages); must not be NULL.
 * @param acc the account; must not be NULL.
 * @param path file name; must not be NULL.
 * @return ::EPV_OK, ::EPV_EINVAL (NULL), ::EPV_ESTATE (account not valued), ::EPV_EIO, ::EPV_ENOMEM.
 */
EPV_API int epv_gep_account_write_xml(epv_ctx *ctx, const epv_gep_account *acc, const char *path);
/**
 * Write a valued account as CSV: region,ecosystem,indicator,year,quantity,unit,value_current_yuan,value_constant_yuan.
 * Written through a temporary file renamed into place.
 * @param ctx the context (allocations, messages); must not be NULL.
 * @param acc the account; must not be NULL.
 * @param path file name; must not be NULL.
 * @return ::EPV_OK, ::EPV_EINVAL (NULL), ::EPV_ESTATE (account not valued), ::EPV_EIO, ::EPV_ENOMEM.
 */
EPV_API int epv_gep_account_write_csv(epv_ctx *ctx, const epv_gep_account *acc, const char *path);
/**
 * Write an SVG bar chart of the composition of GEP of a region and year (current prices).
 * Written through a temporary file renamed into place.
 * @param ctx the context (allocations, messages); must not be NULL.
 * @param acc the account; must not be NULL.
 * @param region region code (any level unless said otherwise); must not be NULL.
 * @param year calendar year within the account's years.
 * @param path file name; must not be NULL.
 * @return ::EPV_OK, ::EPV_EINVAL (NULL), ::EPV_ESTATE (account not valued), ::EPV_ENOTFOUND, ::EPV_EIO, ::EPV_ENOMEM.
 */
EPV_API int epv_gep_account_write_svg(epv_ctx *ctx, const epv_gep_account *acc, const char *region,
                                      int year, const char *path);

/* ---- uncertainty (IPCC 2006 Vol. 1 ch. 3, Approach 1 and 2) ------------------------- */

/** Distribution of a relative input factor (mean 1) in Approach 2. Values fixed. */
typedef enum epv_gep_unc_shape {
    EPV_GEP_UNC_EXACT = 0,      /**< no uncertainty (U% must be 0) */
    EPV_GEP_UNC_NORMAL = 1,     /**< normal, sd = U/1.959964 (a negative draw fails the run) */
    EPV_GEP_UNC_LOGNORMAL = 2,  /**< lognormal with mean 1 and the same sd as the normal */
    EPV_GEP_UNC_UNIFORM = 3,    /**< uniform whose central 95% is ±U: half-width U/0.95 */
    EPV_GEP_UNC_TRIANGULAR = 4  /**< symmetric triangular whose central 95% is ±U: half-width U/(1 − √0.05) */
} epv_gep_unc_shape;

/** How the factors of one indicator are shared by the region × ecosystem cells. */
typedef enum epv_gep_unc_corr {
    EPV_GEP_UNC_INDEPENDENT = 0, /**< one independent factor per cell (e.g. survey errors per county) */
    EPV_GEP_UNC_FULL = 1         /**< one factor shared by every cell (e.g. one unit price): fully correlated */
} epv_gep_unc_corr;

/** Version of ::epv_gep_unc_input this header describes. */
#define EPV_GEP_UNC_INPUT_VERSION 1
/**
 * Uncertainty of one leaf indicator: relative uncertainty of its quantity and of its unit
 * price, each as U% (half-width of the 95% interval in percent of the value, IPCC 2006
 * Vol. 1 ch. 3). Filled by the caller (versioned). Quantities recorded in money (price 1)
 * give price_pct 0.
 */
typedef struct epv_gep_unc_input {
    unsigned int version;             /**< ::EPV_GEP_UNC_INPUT_VERSION */
    char indicator[EPV_GEP_CODE_MAX]; /**< leaf indicator code */
    double quantity_pct;              /**< U% of each quantity (0 with shape EXACT, else > 0) */
    epv_gep_unc_shape quantity_shape; /**< distribution of the quantity factor */
    epv_gep_unc_corr quantity_corr;   /**< usually ::EPV_GEP_UNC_INDEPENDENT */
    double price_pct;                 /**< U% of the unit price (0 with shape EXACT, else > 0) */
    epv_gep_unc_shape price_shape;    /**< distribution of the price factor */
    epv_gep_unc_corr price_corr;      /**< usually ::EPV_GEP_UNC_FULL: the same price everywhere */
    char source[EPV_GEP_TEXT_MAX];    /**< source id or text; "illus" for an illustrative value (required) */
} epv_gep_unc_input;
/** Initialiser of ::epv_gep_unc_input: exact quantity (independent) and exact price (full). */
#define EPV_GEP_UNC_INPUT_INIT { EPV_GEP_UNC_INPUT_VERSION, "", 0.0, EPV_GEP_UNC_EXACT, EPV_GEP_UNC_INDEPENDENT, 0.0, EPV_GEP_UNC_EXACT, EPV_GEP_UNC_FULL, "" }
/**
 * Function twin of ::EPV_GEP_UNC_INPUT_INIT; ::EPV_EVERSION for an unknown version.
 * @param ctx may be NULL; receives the message of an error.
 * @param[out] x the struct to initialise (every field to its documented default);
 *            must not be NULL.
 * @param version the struct version the caller was built with (::EPV_GEP_UNC_INPUT_VERSION).
 * @return ::EPV_OK, ::EPV_EINVAL (NULL `x`), ::EPV_EVERSION (version 0 or newer than
 *         this library knows; nothing written).
 */
EPV_API int epv_gep_unc_input_init(epv_ctx *ctx, epv_gep_unc_input *x, unsigned int version);

/** Opaque table of indicator uncertainties (keyed by indicator code). */
typedef struct epv_gep_unc epv_gep_unc;
/**
 * Empty table checked against a tree (the tree must outlive the table).
 * @param ctx the context the new object allocates from; must not be NULL and must outlive it.
 * @param tree the category tree; must not be NULL.
 * @param[out] out receives the table (free with epv_gep_unc_free()); must not be NULL.
 * @return ::EPV_OK, ::EPV_EINVAL (NULL), ::EPV_ENOMEM.
 */
EPV_API int epv_gep_unc_new(epv_ctx *ctx, const epv_gep_tree *tree, epv_gep_unc **out);
/**
 * Free a table. NULL is a no-op.
 * @param unc the table; NULL is a no-op.
 */
EPV_API void epv_gep_unc_free(epv_gep_unc *unc);
/**
 * Add or replace an indicator's uncertainty. ::EPV_ENOTFOUND unknown indicator,
 * ::EPV_EINVAL group indicator, bad shape/correlation or empty source, ::EPV_ERANGE U%
 * not finite, negative, zero for a distribution or non-zero for EXACT (message names
 * "quantity_pct" or "price_pct" and the indicator). Nothing changes on error.
 * @param ctx the context (allocations, messages); must not be NULL.
 * @param unc the table; must not be NULL.
 * @param in versioned row (copied); must not be NULL.
 * @return ::EPV_OK, ::EPV_EINVAL (NULL), ::EPV_EVERSION, ::EPV_ENOTFOUND (unknown indicator),
 *         ::EPV_ERANGE, ::EPV_ENOMEM.
 */
EPV_API int epv_gep_unc_set(epv_ctx *ctx, epv_gep_unc *unc, const epv_gep_unc_input *in);
/**
 * Find an indicator's uncertainty (::EPV_ENOTFOUND naming the indicator).
 * @param ctx may be NULL; receives the message of an error.
 * @param unc the table; must not be NULL.
 * @param indicator indicator code of the tree; must not be NULL.
 * @param[out] out versioned row (initialised by the caller); must not be NULL.
 * @return ::EPV_OK, ::EPV_EINVAL (NULL), ::EPV_EVERSION, ::EPV_ENOTFOUND.
 */
EPV_API int epv_gep_unc_find(epv_ctx *ctx, const epv_gep_unc *unc, const char *indicator,
                             epv_gep_unc_input *out);
/**
 * Number of entries.
 * @param unc the table; may be NULL (then 0).
 * @return the number of rows.
 */
EPV_API size_t epv_gep_unc_count(const epv_gep_unc *unc);
/**
 * Load a table from a file (schema/gep_unc.xsd, root gepUncertainty, one `uncertainty`
 * element per indicator). Errors name file, line and attribute. All or nothing.
 * @param ctx the context the new object allocates from; must not be NULL and must outlive it.
 * @param tree the category tree; must not be NULL.
 * @param path file name; must not be NULL.
 * @param[out] out receives the table (free with epv_gep_unc_free()); must not be NULL.
 * @return ::EPV_OK, ::EPV_EINVAL (NULL), ::EPV_EIO, ::EPV_EPARSE, ::EPV_ESCHEMA, ::EPV_EEXISTS,
 *         ::EPV_ENOTFOUND, ::EPV_ERANGE, ::EPV_ENOMEM; errors name file, line and field.
 */
EPV_API int epv_gep_unc_load_file(epv_ctx *ctx, const epv_gep_tree *tree, const char *path,
                                  epv_gep_unc **out);
/**
 * Like epv_gep_unc_load_file() for a buffer; `name` is used in messages.
 * @param ctx the context the new object allocates from; must not be NULL and must outlive it.
 * @param tree the category tree; must not be NULL.
 * @param buf the text; need not be NUL-terminated; must not be NULL; not kept.
 * @param len length of `buf` in bytes.
 * @param name name used in messages in place of a file name; NULL: "(buffer)".
 * @param[out] out receives the table (free with epv_gep_unc_free()); must not be NULL.
 * @return ::EPV_OK, as epv_gep_unc_load_file() (without ::EPV_EIO).
 */
EPV_API int epv_gep_unc_load_memory(epv_ctx *ctx, const epv_gep_tree *tree, const char *buf, size_t len,
                                    const char *name, epv_gep_unc **out);

/** Number of totals reported by the uncertainty functions, indexed by ::epv_gep_unc_total. */
#define EPV_GEP_UNC_NTOTALS 4
/** Index of a total in the result arrays. */
typedef enum epv_gep_unc_total {
    EPV_GEP_UNC_GEP = 0,          /**< GEP (final services minus inflows) */
    EPV_GEP_UNC_PROVISIONING = 1, /**< provisioning subtotal */
    EPV_GEP_UNC_REGULATING = 2,   /**< regulating subtotal */
    EPV_GEP_UNC_CULTURAL = 3      /**< cultural subtotal */
} epv_gep_unc_total;

/** Version of ::epv_gep_unc_options this header describes. */
#define EPV_GEP_UNC_OPTIONS_VERSION 1
/** What to compute the uncertainty of, and how (Approach 2 members are ignored by Approach 1). */
typedef struct epv_gep_unc_options {
    unsigned int version;  /**< ::EPV_GEP_UNC_OPTIONS_VERSION */
    const char *region;    /**< region code (any level; required) */
    int year;              /**< account year (required) */
    epv_gep_basis basis;   /**< current or constant prices (default current) */
    size_t iterations;     /**< Approach 2: number of draws (>= 2; default 10000) */
    double lower_pct;      /**< Approach 2: lower percentile reported (0 < p < 100; default 2.5) */
    double upper_pct;      /**< Approach 2: upper percentile reported (lower < p < 100; default 97.5) */
    double *gep_draws;     /**< Approach 2: if non-NULL, a caller buffer of `iterations` values
                                that receives the draws of the GEP total (for
                                epv_gep_unc_write_histogram_svg()) */
} epv_gep_unc_options;
/** Initialiser of ::epv_gep_unc_options (region and year still to be set). */
#define EPV_GEP_UNC_OPTIONS_INIT { EPV_GEP_UNC_OPTIONS_VERSION, NULL, 0, EPV_GEP_CURRENT, 10000, 2.5, 97.5, NULL }
/**
 * Function twin of ::EPV_GEP_UNC_OPTIONS_INIT; ::EPV_EVERSION for an unknown version.
 * @param ctx may be NULL; receives the message of an error.
 * @param[out] x the struct to initialise (every field to its documented default);
 *            must not be NULL.
 * @param version the struct version the caller was built with (::EPV_GEP_UNC_OPTIONS_VERSION).
 * @return ::EPV_OK, ::EPV_EINVAL (NULL `x`), ::EPV_EVERSION (version 0 or newer than
 *         this library knows; nothing written).
 */
EPV_API int epv_gep_unc_options_init(epv_ctx *ctx, epv_gep_unc_options *x, unsigned int version);

/**
 * Approach 1 (IPCC 2006 Vol. 1 Eq. 3.1 and 3.2) on a valued account: for each final
 * indicator, cells sharing a fully correlated factor are summed before that factor is
 * applied (Eq. 3.2 over independent cells, then Eq. 3.1 for quantity × price); indicators
 * are then summed by Eq. 3.2. Inflows and deflators are taken as exact.
 * `out` is an array of ::EPV_GEP_UNC_NTOTALS intervals (each initialised with
 * ::EPV_UNC_INTERVAL_INIT), indexed by ::epv_gep_unc_total: estimate = the account's total
 * (yuan), u_lower_pct = u_upper_pct = U% (0 for an empty subtotal, NaN if the total is 0).
 * Every final indicator with a non-zero value in the region and year needs an entry in
 * `unc` (::EPV_ENOTFOUND naming it). ::EPV_ESTATE if the account is not valued.
 * @param ctx the context (allocations, messages); must not be NULL.
 * @param acc the valued account; must not be NULL.
 * @param unc the uncertainty table; must not be NULL.
 * @param opts versioned options; must not be NULL.
 * @param[out] out versioned interval, yuan (initialised by the caller); must not be NULL.
 * @return ::EPV_OK, ::EPV_EINVAL (NULL), ::EPV_EVERSION, ::EPV_ESTATE, ::EPV_ENOTFOUND, ::EPV_ERANGE,
 *         ::EPV_EDOMAIN, ::EPV_ENOMEM.
 */
EPV_API int epv_gep_unc_approach1(epv_ctx *ctx, const epv_gep_account *acc, const epv_gep_unc *unc,
                                  const epv_gep_unc_options *opts, epv_unc_interval *out);

/**
 * Approach 2: Monte Carlo (epv_mc) over the same inputs: one relative factor per indicator
 * quantity and price, shared by all cells when its correlation is FULL, one per cell when
 * INDEPENDENT. Reproducible from epv_ctx_seed(); identical whatever epv_ctx_threads().
 * `out` as for epv_gep_unc_approach1(), with estimate = mean of the draws, lower/upper the
 * lower_pct/upper_pct percentiles, draws = iterations. Errors: ::EPV_EINVAL fewer than two
 * iterations, ::EPV_ERANGE percentile outside (0, 100), and those of
 * epv_gep_unc_approach1(); a negative normal draw ::EPV_EDOMAIN naming the input.
 * @param ctx the context (allocations, seed, threads, progress, messages); must not be NULL.
 * @param acc the valued account; must not be NULL.
 * @param unc the uncertainty table; must not be NULL.
 * @param opts versioned options; must not be NULL.
 * @param[out] out versioned interval, yuan (initialised by the caller); must not be NULL.
 * @return ::EPV_OK, as epv_gep_unc_approach1(), plus ::EPV_ECANCELLED and the errors of epv_mc_run().
 */
EPV_API int epv_gep_unc_approach2(epv_ctx *ctx, const epv_gep_account *acc, const epv_gep_unc *unc,
                                  const epv_gep_unc_options *opts, epv_unc_interval *out);

/**
 * Write a histogram of Monte Carlo draws (e.g. epv_gep_unc_options.gep_draws) as an SVG bar
 * chart: `bins` bars (>= 1) between the smallest and largest draw, a title and the unit
 * label of the x axis (UTF-8), every value shown as value * `scale` (1e-8 shows yuan as 亿元).
 * The file is written to a temporary name and renamed.
 * Written through a temporary file renamed into place.
 * @param ctx the context (allocations, messages); must not be NULL.
 * @param draws n values; must not be NULL.
 * @param n number of values, >= 2.
 * @param bins number of bars, 1..10000.
 * @param title chart title (UTF-8); may be NULL.
 * @param unit axis label; may be NULL.
 * @param scale display factor (positive, finite).
 * @param path file name; must not be NULL.
 * @return ::EPV_OK, ::EPV_EINVAL (NULL, n < 2, bad scale), ::EPV_ERANGE (bins), ::EPV_EIO,
 *         ::EPV_ENOMEM.
 */
EPV_API int epv_gep_unc_write_histogram_svg(epv_ctx *ctx, const double *draws, size_t n, size_t bins,
                                            const char *title, const char *unit, double scale,
                                            const char *path);

#ifdef __cplusplus
}
#endif
#endif /* EPV_GEP_H */
