/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Private structures of the inventory module (epv/inventory.h). */
#ifndef EPV_INVENTORY_INT_H
#define EPV_INVENTORY_INT_H

#include "common_int.h"
#include "epv/inventory.h"

typedef struct epv__inv_factor {
    char *code, *name, *sector, *subsector, *unit, *source;
    int gas, is_grid, provisional;
    double value, u_pct, ncv, tce;
} epv__inv_factor;

typedef struct epv__inv_grid {
    char *grid, *source;
    int year, provisional;
    double value, u_pct;
} epv__inv_grid;

struct epv_inventory_factors {
    epv_ctx *ctx;
    epv__inv_factor *f;
    size_t nf, capf;
    epv__inv_grid *g;
    size_t ng, capg;
    double gwp[3][4]; /* [AR4,AR5,AR6][gas] */
};

typedef struct epv__inv_rec {
    char *id, *document, *sector, *subsector, *entity, *code, *unit, *grid, *origin;
    int year;
    size_t factor; /* index into factors */
    double amount, u_pct;
} epv__inv_rec;

typedef struct epv__inv_econ {
    int year;
    double gdp, energy_tce;
    char *document;
} epv__inv_econ;

struct epv_inventory {
    epv_ctx *ctx;
    const epv_inventory_factors *f;
    char *county;
    epv__inv_rec *r;
    size_t nr, capr;
    epv__inv_econ *e;
    size_t ne, cape;
    size_t *hash; /* open addressing on record ids: index + 1, 0 empty */
    size_t hcap;
};

struct epv_inventory_result {
    epv_ctx *ctx;
    const epv_inventory *inv;
    int gwp;
    size_t n;
    double *factor;  /* t gas per unit applied, per record */
    double *fac_u;   /* factor U% applied */
    double *t_gas;   /* per record */
    double *t_co2e;  /* per record */
    double *tce;     /* per record */
    const char **fsource;
    size_t *fgroup;  /* factor group (fully correlated factor error): factor or grid row */
    size_t nf0, ng0; /* factor and grid rows when computed (tables may grow later) */
    int *fprov;
    /* per-year columns */
    epv_i64 *years;
    size_t ny;
    double *col[6];
    /* sector names present, in order, for the stacked chart */
};

extern const char *const epv__inv_sectors[];
extern const size_t epv__inv_nsectors;
extern const char *const epv__inv_consumers[];
extern const size_t epv__inv_nconsumers;

const char *epv__inv_gas_name(int gas);
/* Index of a factor code, or SIZE_MAX. */
size_t epv__inv_factor_index(const epv_inventory_factors *f, const char *code);
/* Grid row or NULL. */
const epv__inv_grid *epv__inv_grid_find(const epv_inventory_factors *f, const char *grid, int year);
/* 1 if record i matches q. */
int epv__inv_match(const epv_inventory_result *r, size_t i, const epv_inventory_query *q);
/* Value of record i under the query's gas rule. */
double epv__inv_value(const epv_inventory_result *r, size_t i, const epv_inventory_query *q);

/* Message "unknown code 'x' (known: a, b, ...)" into msg; returns EPV_ENOTFOUND. */
int epv__inv_unknown_code(epv_ctx *ctx, const epv_inventory_factors *f, const char *code, char *msg,
                          size_t size);

#endif
