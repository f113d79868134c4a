/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Private structures of the GEP module, shared by lib/gep_*.c. */
#ifndef EPV_GEP_INT_H
#define EPV_GEP_INT_H

#include "common_int.h"
#include "epv/gep.h"
#include "epv/gep_model.h"

struct epv_gep_tree {
    epv_ctx *ctx;
    epv_gep_indicator *nodes;
    size_t n, cap;
};

struct epv_gep_prices {
    epv_ctx *ctx;
    const epv_gep_tree *tree;
    epv_gep_price *rows;
    size_t n, cap;
    int has_soil;                /* soil_retention's price was built from its parts */
    epv_gep_soil_value soil;     /* those parts (yuan per t at the price's base year) */
};

struct epv_gep_deflator {
    epv_ctx *ctx;
    int *years;
    double *index;
    size_t n, cap;
};

struct gep_inflow { size_t to; long from; size_t ind; int year; double yuan; };
struct gep_reported { size_t region; size_t node; int year; double yuan; };
struct gep_rprice { size_t ind; int year; double price; int price_year; };
struct gep_emission { size_t region; size_t ind; int year; double t; };

struct epv_gep_account {
    epv_ctx *ctx;
    const epv_gep_tree *tree;
    size_t nind;                 /* tree size at creation: index = tree node index */
    epv_gep_region *regions;
    size_t nreg;
    long *parent;                /* parent region index or -1 */
    unsigned char *is_leaf;
    char **eco;
    size_t neco;
    int first_year, nyears;
    double **q;                  /* [year*nind + ind] -> nreg*neco quantities or NULL */
    double *eco_area;            /* nyears*nreg*neco, NaN = not set */
    double *gdp;                 /* nyears*nreg, NaN = not set */
    struct gep_inflow *inflows; size_t ninflow, capinflow;
    struct gep_reported *rep; size_t nrep, caprep;
    struct gep_rprice *rprice; size_t nrprice, caprprice;
    struct gep_emission *emis; size_t nemis, capemis;
    /* valuation */
    int valued, price_year;
    double *p_cur, *p_const;     /* nind*nyears yuan per indicator unit; NaN = no price */
    double *money_const;         /* nyears: factor turning money of year y into price_year money */
};

struct epv_gep_findings {
    epv_ctx *ctx;
    epv_gep_finding *items;
    size_t n, cap;
};

struct epv_gep_input {
    epv_ctx *ctx;
    epv_gep_account *acc;
    epv_gep_prices *prices;
    epv_gep_deflator *deflator;
    int price_year;
};

struct epv_gep_unc {
    epv_ctx *ctx;
    const epv_gep_tree *tree;
    epv_gep_unc_input *rows;
    size_t n, cap;
};

/* Tree lookups by code: index or -1. */
long epv__gep_tree_index(const epv_gep_tree *tree, const char *code);
/* 1 if node `i` lies under (or is) node `anc`. */
int epv__gep_tree_under(const epv_gep_tree *tree, size_t i, size_t anc);
/* Parse "market_price" ... into a method (0 unknown). */
epv_gep_method epv__gep_method_parse(const char *s);
const char *epv__gep_method_name(epv_gep_method m);
/* Account lookups (index or -1), with an error naming the field on ctx when missing. */
long epv__gep_region_index(epv_ctx *ctx, const epv_gep_account *acc, const char *code, int report);
long epv__gep_eco_index(epv_ctx *ctx, const epv_gep_account *acc, const char *code, int report);
/* 1 if region r is (or lies under) region x. */
int epv__gep_region_within(const epv_gep_account *acc, size_t r, size_t x);
/* Copy with truncation check: EPV_ERANGE naming field when too long. */
int epv__gep_copy(epv_ctx *ctx, char *dst, size_t cap, const char *src, const char *field);

#endif
