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
#include "epv/units.h"

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

/** One node of the category tree. Plain value type. */
typedef struct epv_gep_indicator {
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

/** Opaque category tree. */
typedef struct epv_gep_tree epv_gep_tree;

/** Load the national tree shipped with the library (gep/tree.xml). */
EPV_API int epv_gep_tree_load_default(epv_ctx *ctx, epv_gep_tree **out);
/** Load a tree from a file (schema/gep_tree.xsd). Errors name file, line and field. */
EPV_API int epv_gep_tree_load_file(epv_ctx *ctx, const char *path, epv_gep_tree **out);
/** Load a tree from a buffer; `name` is used in messages. */
EPV_API int epv_gep_tree_load_memory(epv_ctx *ctx, const char *buf, size_t len, const char *name,
                                     epv_gep_tree **out);
/**
 * Add a province's indicators from a file (same schema). New codes only: an existing code
 * is ::EPV_EEXISTS, an unknown parent ::EPV_ENOTFOUND. All or nothing.
 */
EPV_API int epv_gep_tree_merge_file(epv_ctx *ctx, epv_gep_tree *tree, const char *path);
/** Free a tree. NULL is a no-op. */
EPV_API void epv_gep_tree_free(epv_gep_tree *tree);
/** Number of nodes. */
EPV_API size_t epv_gep_tree_count(const epv_gep_tree *tree);
/** Copy node i. ::EPV_ERANGE if out of range. */
EPV_API int epv_gep_tree_at(epv_ctx *ctx, const epv_gep_tree *tree, size_t i, epv_gep_indicator *out);
/** Find a node by code. ::EPV_ENOTFOUND ("indicator: unknown code 'x'"). */
EPV_API int epv_gep_tree_find(epv_ctx *ctx, const epv_gep_tree *tree, const char *code,
                              epv_gep_indicator *out);

/* ---- physical quantities ------------------------------------------------------------
 * The specification's per-cell models (water conservation, soil retention, carbon and
 * oxygen, climate regulation, flood regulation, purification capped at emissions, sand
 * fixation) are in epv/gep_model.h, as functions over arrays of cells; the input reader
 * calls the same functions for each table row. */

/** Oxygen released with a CO2 fixation supplied by the caller (e.g. the forest module), t/yr. */
EPV_API int epv_gep_oxygen_from_co2(epv_ctx *ctx, double co2_t, double *o2_t);
/** Pest control: area affected by pests that recovered without treatment (ha). */
EPV_API int epv_gep_pest_control_ha(epv_ctx *ctx, double affected_ha, double treated_ha, double *out_ha);

/* ---- prices and deflators ------------------------------------------------------------ */

/** One dated unit price. Plain value type. */
typedef struct epv_gep_price {
    char indicator[EPV_GEP_CODE_MAX]; /**< leaf indicator code */
    double yuan_per_unit;             /**< price in yuan per `unit` at base_year prices, >= 0 */
    epv_unit unit;                    /**< quantity unit the price refers to (same dimension as the indicator) */
    int base_year;                    /**< price year (required, 1900..2200) */
    epv_gep_method method;            /**< valuation method */
    char source[EPV_GEP_TEXT_MAX];    /**< where the price comes from */
} epv_gep_price;

/** Parameters of the soil-retention two-part value (silt dredging plus N and P). */
typedef struct epv_gep_soil_value_params {
    double silt_fraction;       /**< λ, share of eroded soil deposited as silt (e.g. 0.24) */
    double soil_density_t_m3;   /**< ρ, bulk density (t/m³) */
    double dredging_yuan_m3;    /**< c, dredging cost (yuan/m³) */
    double n_fraction;          /**< N content of soil (t N per t soil) */
    double p_fraction;          /**< P content of soil (t P per t soil) */
    double n_price_yuan_t;      /**< price of N as fertiliser (yuan/t N) */
    double p_price_yuan_t;      /**< price of P as fertiliser (yuan/t P) */
} epv_gep_soil_value_params;

/** Soil retention unit value (yuan per t retained): λ·c/ρ + N·pN + P·pP. */
EPV_API int epv_gep_soil_unit_value(epv_ctx *ctx, const epv_gep_soil_value_params *p, double *yuan_per_t);

/** Opaque price table (prices keyed by indicator code). */
typedef struct epv_gep_prices epv_gep_prices;
/** Empty table checked against a tree (the tree must outlive the table). */
EPV_API int epv_gep_prices_new(epv_ctx *ctx, const epv_gep_tree *tree, epv_gep_prices **out);
/** Free a price table. NULL is a no-op. */
EPV_API void epv_gep_prices_free(epv_gep_prices *prices);
/**
 * Add or replace the price of an indicator. ::EPV_ENOTFOUND unknown indicator, ::EPV_ERANGE
 * negative price, ::EPV_EINVAL missing base_year, ::EPV_EUNITS unit of another dimension.
 */
EPV_API int epv_gep_prices_set(epv_ctx *ctx, epv_gep_prices *prices, const epv_gep_price *price);
/** Find the price of an indicator. */
EPV_API int epv_gep_prices_find(epv_ctx *ctx, const epv_gep_prices *prices, const char *indicator,
                                epv_gep_price *out);
/** Number of prices. */
EPV_API size_t epv_gep_prices_count(const epv_gep_prices *prices);

/** Opaque deflator series: index by year (any base, e.g. CPI 2015 = 100). */
typedef struct epv_gep_deflator epv_gep_deflator;
/** Empty series. */
EPV_API int epv_gep_deflator_new(epv_ctx *ctx, epv_gep_deflator **out);
/** Free a series. NULL is a no-op. */
EPV_API void epv_gep_deflator_free(epv_gep_deflator *d);
/** Set the index of a year (> 0). */
EPV_API int epv_gep_deflator_set(epv_ctx *ctx, epv_gep_deflator *d, int year, double index);
/** Index of a year; ::EPV_ENOTFOUND ("deflator: no index for year N"). */
EPV_API int epv_gep_deflator_get(epv_ctx *ctx, const epv_gep_deflator *d, int year, double *index);
/**
 * Load a series from CSV: header `year,index`, then one row per year. Errors name the file,
 * line and column; a repeated year is ::EPV_EEXISTS. All or nothing.
 */
EPV_API int epv_gep_deflator_load_csv(epv_ctx *ctx, const char *path, epv_gep_deflator **out);
/** Like epv_gep_deflator_load_csv() for a buffer; `name` is used in messages. */
EPV_API int epv_gep_deflator_load_csv_memory(epv_ctx *ctx, const char *buf, size_t len, const char *name,
                                             epv_gep_deflator **out);
/** Convert a money amount from from_year prices to to_year prices: v × I(to) / I(from). */
EPV_API int epv_gep_deflate(epv_ctx *ctx, const epv_gep_deflator *d, double yuan, int from_year,
                            int to_year, double *out_yuan);

/* ---- equivalent-factor method (Xie Gaodi et al. 2015) ------------------------------- */

/** Number of services (11) and ecosystem types (14) of the equivalent table. */
EPV_API size_t epv_gep_ef_service_count(void);
EPV_API size_t epv_gep_ef_ecosystem_count(void);
/** Code of service i (e.g. "food_production") or NULL. */
EPV_API const char *epv_gep_ef_service_code(size_t i);
/** Code of ecosystem type i (e.g. "forest_broadleaf") or NULL. */
EPV_API const char *epv_gep_ef_ecosystem_code(size_t i);
/** Equivalent factor of an ecosystem type and service (dimensionless multiple of the standard equivalent). */
EPV_API int epv_gep_ef_factor(epv_ctx *ctx, const char *ecosystem, const char *service, double *factor);
/** Standard equivalent (yuan/ha/yr) as 1/7 of the grain yield value: yield (kg/ha) × price (yuan/kg) / 7. */
EPV_API int epv_gep_ef_standard_equivalent(epv_ctx *ctx, double grain_yield_kg_ha, double grain_price_yuan_kg,
                                           double *yuan_per_ha);
/** Value (yuan/yr) of all services of an area: area × Σ factors × standard equivalent. */
EPV_API int epv_gep_ef_value(epv_ctx *ctx, const char *ecosystem, double area_ha, double se_yuan_per_ha,
                             double *yuan);

/* ---- accounts ------------------------------------------------------------------------ */

/** A region of an account. Regions form a tree through `parent` (a county's city...). */
typedef struct epv_gep_region {
    char code[EPV_GEP_CODE_MAX];  /**< unique code, e.g. an administrative division code */
    char name[EPV_GEP_TEXT_MAX];  /**< display name, UTF-8 */
    char parent[EPV_GEP_CODE_MAX];/**< parent code, "" for a root; parents come before children */
    double area_ha;               /**< land area (ha), >= 0; 0 means unknown */
} epv_gep_region;

/** Opaque account. */
typedef struct epv_gep_account epv_gep_account;

/**
 * Create an account. Quantities are recorded on leaf regions only (regions without
 * children): higher levels are always sums, so nothing is counted twice.
 * @param tree category tree (must outlive the account).
 * @param regions region list, each parent before its children; copied.
 * @param ecosystems ecosystem type codes; copied.
 * @param first_year first year; @param nyears number of years (1..200).
 */
EPV_API int epv_gep_account_new(epv_ctx *ctx, epv_gep_account **out, const epv_gep_tree *tree,
                                const epv_gep_region *regions, size_t nregions,
                                const char *const *ecosystems, size_t necosystems, int first_year,
                                int nyears);
/** Free an account. NULL is a no-op. */
EPV_API void epv_gep_account_free(epv_gep_account *acc);
/** Number of regions / ecosystems / first year / number of years. */
EPV_API size_t epv_gep_account_region_count(const epv_gep_account *acc);
EPV_API int epv_gep_account_region_at(epv_ctx *ctx, const epv_gep_account *acc, size_t i, epv_gep_region *out);
EPV_API size_t epv_gep_account_ecosystem_count(const epv_gep_account *acc);
EPV_API const char *epv_gep_account_ecosystem_at(const epv_gep_account *acc, size_t i);
EPV_API int epv_gep_account_first_year(const epv_gep_account *acc);
EPV_API int epv_gep_account_year_count(const epv_gep_account *acc);

/**
 * Record a physical quantity. `unit` must have the indicator's dimension (converted to the
 * indicator's unit), else ::EPV_EUNITS. Negative values ::EPV_ERANGE; unknown codes
 * ::EPV_ENOTFOUND; a group indicator or a non-leaf region ::EPV_EINVAL.
 * Recording invalidates a previous valuation.
 */
EPV_API int epv_gep_account_set_quantity(epv_ctx *ctx, epv_gep_account *acc, const char *region,
                                         const char *ecosystem, const char *indicator, int year,
                                         double value, epv_unit unit);
/**
 * Record every region × ecosystem quantity of one indicator and year at once: `values` has
 * nregions × necosystems numbers (region-major, account order) in the indicator's unit; rows
 * of non-leaf regions must be 0. All or nothing.
 */
EPV_API int epv_gep_account_set_quantities(epv_ctx *ctx, epv_gep_account *acc, const char *indicator,
                                           int year, const double *values);
/** Quantity (indicator unit) summed over leaf regions under `region`; ecosystem NULL = all. */
EPV_API int epv_gep_account_quantity(epv_ctx *ctx, const epv_gep_account *acc, const char *region,
                                     const char *ecosystem, const char *indicator, int year, double *out);
/** Area (ha) of an ecosystem type in a leaf region and year (for the area check). */
EPV_API int epv_gep_account_set_ecosystem_area(epv_ctx *ctx, epv_gep_account *acc, const char *region,
                                               const char *ecosystem, int year, double area_ha);
/** GDP of a region and year (yuan, current prices). */
EPV_API int epv_gep_account_set_gdp(epv_ctx *ctx, epv_gep_account *acc, const char *region, int year,
                                    double gdp_yuan);
/** Emissions of the pollutant of a capped indicator (t/yr) in a leaf region, for the checks. */
EPV_API int epv_gep_account_set_emission(epv_ctx *ctx, epv_gep_account *acc, const char *region,
                                         const char *indicator, int year, double emission_t);
/**
 * Value flowing into `region` from `from_region` (NULL or "" = from outside every region of
 * the account), yuan at current prices of `year`. GEP subtracts it at every level that
 * contains `region` but not `from_region` (GB/T 46869-2025).
 */
EPV_API int epv_gep_account_add_inflow(epv_ctx *ctx, epv_gep_account *acc, const char *region,
                                       const char *from_region, const char *indicator, int year,
                                       double value_yuan);
/** Value reported by a published account for a node (leaf, group or category; "gep" for the total), yuan. */
EPV_API int epv_gep_account_set_reported(epv_ctx *ctx, epv_gep_account *acc, const char *region,
                                         const char *node, int year, double value_yuan);
/** Unit price a published account used (yuan per indicator unit); price_year 0 = not stated. */
EPV_API int epv_gep_account_set_reported_price(epv_ctx *ctx, epv_gep_account *acc, const char *indicator,
                                               int year, double yuan_per_unit, int price_year);

/**
 * Value the account: every recorded indicator needs a price. Prices are converted with the
 * deflator to current prices of each year and to constant prices of `price_year`; the
 * deflator may be NULL only if no conversion is needed. Missing price ::EPV_ENOTFOUND,
 * missing deflator year ::EPV_ENOTFOUND naming the year. All or nothing.
 */
EPV_API int epv_gep_account_value(epv_ctx *ctx, epv_gep_account *acc, const epv_gep_prices *prices,
                                  const epv_gep_deflator *deflator, int price_year);
/** Constant price year of the last valuation (0 if not valued). */
EPV_API int epv_gep_account_price_year(const epv_gep_account *acc);

/** Price basis of a query. */
typedef enum epv_gep_basis {
    EPV_GEP_CURRENT = 0, /**< current prices of each year */
    EPV_GEP_CONSTANT = 1 /**< constant prices of the valuation's price_year */
} epv_gep_basis;

/**
 * Value (yuan) of `node` (leaf, group, category, or NULL/"gep" for GEP) in `region` (any
 * level) and year. Groups and GEP sum final services only; inflows from outside the region
 * are subtracted when `ecosystem` is NULL. ::EPV_ESTATE if not valued.
 */
EPV_API int epv_gep_account_total(epv_ctx *ctx, const epv_gep_account *acc, const char *region,
                                  const char *ecosystem, const char *node, int year, epv_gep_basis basis,
                                  double *yuan);
/**
 * GEP of every region (all levels) and year at once: `out` receives nregions × nyears values
 * (region-major, yuan). Uses the context's thread count.
 */
EPV_API int epv_gep_account_gep_table(epv_ctx *ctx, const epv_gep_account *acc, epv_gep_basis basis,
                                      double *out);
/** GEP / GDP of a region and year (current prices). ::EPV_ENOTFOUND if GDP is not set. */
EPV_API int epv_gep_account_gep_gdp(epv_ctx *ctx, const epv_gep_account *acc, const char *region, int year,
                                    double *ratio);

/** Change of GEP between two years split into volume and price parts (current prices). */
typedef struct epv_gep_change {
    double value0_yuan;  /**< GEP in year0 */
    double value1_yuan;  /**< GEP in year1 */
    double volume_yuan;  /**< Σ p0·(q1 − q0): quantities changed at year0 prices */
    double price_yuan;   /**< Σ q1·(p1 − p0): prices changed on year1 quantities */
    double inflow_yuan;  /**< change of the subtracted inflows (value1 − value0 = volume + price − inflow) */
} epv_gep_change;
/** Decompose the change of GEP in a region between year0 and year1. */
EPV_API int epv_gep_account_change(epv_ctx *ctx, const epv_gep_account *acc, const char *region, int year0,
                                   int year1, epv_gep_change *out);

/* ---- integrity checks ---------------------------------------------------------------- */

/** Severity of a finding. */
typedef enum epv_gep_severity { EPV_GEP_NOTE = 0, EPV_GEP_WARNING = 1, EPV_GEP_ERROR = 2 } epv_gep_severity;

/** One finding of the integrity checks. Plain value type. */
typedef struct epv_gep_finding {
    epv_gep_severity severity;
    char check[32];            /**< "sum", "value", "o2_co2", "purification", "price_dated", "area" */
    char where[EPV_GEP_TEXT_MAX]; /**< region / node / year the finding is about */
    char message[256];         /**< human-readable explanation */
    double expected;           /**< what the rule expects */
    double actual;             /**< what the account holds */
} epv_gep_finding;

/** Opaque list of findings. */
typedef struct epv_gep_findings epv_gep_findings;
/**
 * Run every check on an account (valued or only reported): parts sum to totals, reported
 * value = quantity × price, O2 = 32/44·CO2, purification ≤ emissions, prices dated and of the
 * account year, ecosystem areas add up to the region's area. An empty list means all passed.
 */
EPV_API int epv_gep_check(epv_ctx *ctx, const epv_gep_account *acc, epv_gep_findings **out);
EPV_API size_t epv_gep_findings_count(const epv_gep_findings *f);
EPV_API int epv_gep_findings_at(epv_ctx *ctx, const epv_gep_findings *f, size_t i, epv_gep_finding *out);
EPV_API void epv_gep_findings_free(epv_gep_findings *f);

/* ---- input files --------------------------------------------------------------------- */

/**
 * Opaque bundle read from an input file (schema/gep_input.xsd): regions, ecosystems,
 * ecosystem areas, GDP, quantities (or model inputs from which quantities are computed),
 * inflows, emissions, prices and a deflator series.
 */
typedef struct epv_gep_input epv_gep_input;
/** Load an input file against a tree. Errors name file, line and field. All or nothing. */
EPV_API int epv_gep_input_load_file(epv_ctx *ctx, const epv_gep_tree *tree, const char *path,
                                    epv_gep_input **out);
/** Like epv_gep_input_load_file() for a buffer. */
EPV_API int epv_gep_input_load_memory(epv_ctx *ctx, const epv_gep_tree *tree, const char *buf, size_t len,
                                      const char *name, epv_gep_input **out);
/** Free the bundle and everything in it. NULL is a no-op. */
EPV_API void epv_gep_input_free(epv_gep_input *in);
/** The account (owned by the bundle). */
EPV_API epv_gep_account *epv_gep_input_account(epv_gep_input *in);
/** The price table (owned by the bundle). */
EPV_API const epv_gep_prices *epv_gep_input_prices(const epv_gep_input *in);
/** The deflator (owned by the bundle; NULL if the file has none). */
EPV_API const epv_gep_deflator *epv_gep_input_deflator(const epv_gep_input *in);
/** The constant price year the file asks for. */
EPV_API int epv_gep_input_price_year(const epv_gep_input *in);

/* ---- output -------------------------------------------------------------------------- */

/** Write a valued account as XML (schema/gep_account.xsd; SEEA EA supply and use tables). */
EPV_API int epv_gep_account_write_xml(epv_ctx *ctx, const epv_gep_account *acc, const char *path);
/** Write a valued account as CSV: region,ecosystem,indicator,year,quantity,unit,value_current_yuan,value_constant_yuan. */
EPV_API int epv_gep_account_write_csv(epv_ctx *ctx, const epv_gep_account *acc, const char *path);
/** Write an SVG bar chart of the composition of GEP of a region and year (current prices). */
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

/**
 * Uncertainty of one leaf indicator: relative uncertainty of its quantity and of its unit
 * price, each as U% (half-width of the 95% interval in percent of the value, IPCC 2006
 * Vol. 1 ch. 3). Plain value type. Quantities recorded in money (price 1) give price_pct 0.
 */
typedef struct epv_gep_unc_input {
    char indicator[EPV_GEP_CODE_MAX]; /**< leaf indicator code */
    double quantity_pct;              /**< U% of each quantity (0 with shape EXACT, else > 0) */
    epv_gep_unc_shape quantity_shape; /**< distribution of the quantity factor */
    epv_gep_unc_corr quantity_corr;   /**< usually ::EPV_GEP_UNC_INDEPENDENT */
    double price_pct;                 /**< U% of the unit price (0 with shape EXACT, else > 0) */
    epv_gep_unc_shape price_shape;    /**< distribution of the price factor */
    epv_gep_unc_corr price_corr;      /**< usually ::EPV_GEP_UNC_FULL: the same price everywhere */
    char source[EPV_GEP_TEXT_MAX];    /**< source id or text; "illus" for an illustrative value (required) */
} epv_gep_unc_input;

/** Opaque table of indicator uncertainties (keyed by indicator code). */
typedef struct epv_gep_unc epv_gep_unc;
/** Empty table checked against a tree (the tree must outlive the table). */
EPV_API int epv_gep_unc_new(epv_ctx *ctx, const epv_gep_tree *tree, epv_gep_unc **out);
/** Free a table. NULL is a no-op. */
EPV_API void epv_gep_unc_free(epv_gep_unc *unc);
/**
 * Add or replace an indicator's uncertainty. ::EPV_ENOTFOUND unknown indicator,
 * ::EPV_EINVAL group indicator, bad shape/correlation or empty source, ::EPV_ERANGE U%
 * not finite, negative, zero for a distribution or non-zero for EXACT (message names
 * "quantity_pct" or "price_pct" and the indicator). Nothing changes on error.
 */
EPV_API int epv_gep_unc_set(epv_ctx *ctx, epv_gep_unc *unc, const epv_gep_unc_input *in);
/** Find an indicator's uncertainty (::EPV_ENOTFOUND naming the indicator). */
EPV_API int epv_gep_unc_find(epv_ctx *ctx, const epv_gep_unc *unc, const char *indicator,
                             epv_gep_unc_input *out);
/** Number of entries. */
EPV_API size_t epv_gep_unc_count(const epv_gep_unc *unc);
/**
 * Load a table from a file (schema/gep_unc.xsd, root gepUncertainty, one `uncertainty`
 * element per indicator). Errors name file, line and attribute. All or nothing.
 */
EPV_API int epv_gep_unc_load_file(epv_ctx *ctx, const epv_gep_tree *tree, const char *path,
                                  epv_gep_unc **out);
/** Like epv_gep_unc_load_file() for a buffer; `name` is used in messages. */
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

/** Approach 1 result for a region and year. Plain value type. */
typedef struct epv_gep_unc_a1 {
    double value_yuan[EPV_GEP_UNC_NTOTALS]; /**< the account's totals (as epv_gep_account_total) */
    double u_pct[EPV_GEP_UNC_NTOTALS];      /**< U% (95% half-width); 0 for an empty subtotal, NaN if the total is 0 */
    double lower_yuan[EPV_GEP_UNC_NTOTALS]; /**< value × (1 − U/100) */
    double upper_yuan[EPV_GEP_UNC_NTOTALS]; /**< value × (1 + U/100) */
} epv_gep_unc_a1;

/**
 * Approach 1 (IPCC 2006 Vol. 1 Eq. 3.1 and 3.2) on a valued account: for each final
 * indicator, cells sharing a fully correlated factor are summed before that factor is
 * applied (Eq. 3.2 over independent cells, then Eq. 3.1 for quantity × price); indicators
 * are then summed by Eq. 3.2. Inflows and deflators are taken as exact.
 * Every final indicator with a non-zero value in `region` and `year` needs an entry in
 * `unc` (::EPV_ENOTFOUND naming it). ::EPV_ESTATE if the account is not valued.
 */
EPV_API int epv_gep_unc_approach1(epv_ctx *ctx, const epv_gep_account *acc, const epv_gep_unc *unc,
                                  const char *region, int year, epv_gep_basis basis, epv_gep_unc_a1 *out);

/** Options of Approach 2. Set with epv_gep_unc_mc_options_default() first. */
typedef struct epv_gep_unc_mc_options {
    size_t iterations;   /**< number of draws (>= 1; default 10000) */
    double lower_pct;    /**< lower percentile reported (0 < p < 100; default 2.5) */
    double upper_pct;    /**< upper percentile reported (lower < p < 100; default 97.5) */
    const char *svg_path;/**< if non-NULL, write a histogram SVG of the GEP total there */
    size_t svg_bins;     /**< histogram bins (default 40) */
} epv_gep_unc_mc_options;
/** Fill `opt` with the defaults. */
EPV_API void epv_gep_unc_mc_options_default(epv_gep_unc_mc_options *opt);

/** Approach 2 result for a region and year. Plain value type. */
typedef struct epv_gep_unc_a2 {
    size_t iterations;
    double value_yuan[EPV_GEP_UNC_NTOTALS]; /**< the account's totals (inputs at their means) */
    double mean_yuan[EPV_GEP_UNC_NTOTALS];
    double sd_yuan[EPV_GEP_UNC_NTOTALS];    /**< sample standard deviation */
    double lower_yuan[EPV_GEP_UNC_NTOTALS]; /**< lower_pct percentile (linear interpolation) */
    double upper_yuan[EPV_GEP_UNC_NTOTALS]; /**< upper_pct percentile */
} epv_gep_unc_a2;

/**
 * Approach 2: Monte Carlo (epv_mc) over the same inputs: one relative factor per indicator
 * quantity and price, shared by all cells when its correlation is FULL, one per cell when
 * INDEPENDENT. Reproducible from epv_ctx_seed(); identical whatever epv_ctx_threads().
 * Errors: ::EPV_EINVAL zero iterations, ::EPV_ERANGE percentile outside (0, 100), and those
 * of epv_gep_unc_approach1(); a negative normal draw ::EPV_EDOMAIN naming the input.
 */
EPV_API int epv_gep_unc_approach2(epv_ctx *ctx, const epv_gep_account *acc, const epv_gep_unc *unc,
                                  const char *region, int year, epv_gep_basis basis,
                                  const epv_gep_unc_mc_options *opt, epv_gep_unc_a2 *out);

#ifdef __cplusplus
}
#endif
#endif /* EPV_GEP_H */
