/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Private parts of the parameter tables: the table layout shared by lib/params.c (table
 * operations, lookups, range checks) and lib/params_xml.c (loading and merging files). */
#ifndef EPV_PARAMS_INT_H
#define EPV_PARAMS_INT_H

#include "common_int.h"
#include "epv/params.h"

/* Values of a species row that carry their own source id, in this order. */
enum {
    EPV__F_WOOD_DENSITY,
    EPV__F_BEF,
    EPV__F_ROOT_SHOOT,
    EPV__F_CARBON_FRACTION,
    EPV__F_FANG_A,
    EPV__F_FANG_B,
    EPV__F_COUNT
};
extern const char *const epv__params_field_names[EPV__F_COUNT];

/* A species row plus the source of each value (an override changes one value and its
 * source without touching the others, so provenance stays per value). */
struct epv__species_row {
    epv_params_species pub;
    char value_source[EPV__F_COUNT][EPV_PARAMS_NAME_MAX];
    /* Optional uncertainty of each value (U%, 95% half-width in percent of the value) with
     * its own source; has_u 0 means none recorded (a zeroed row has none). */
    unsigned char has_u[EPV__F_COUNT];
    unsigned char u_provisional[EPV__F_COUNT];
    double u_pct[EPV__F_COUNT];
    char u_source[EPV__F_COUNT][EPV_PARAMS_NAME_MAX];
};

struct epv_params {
    epv_ctx *ctx; /* allocator for the table's own memory */
    struct epv__species_row *species;
    size_t nspecies, capspecies;
    epv_params_ipcc_growth *growth;
    size_t ngrowth, capgrowth;
    epv_params_source *sources; /* id and citation strings owned by the table */
    size_t nsources, capsources;
};

/* Where a value came from, for messages: "file:line: " or "" for values set in code. */
struct epv__where {
    const char *file; /* NULL: set through the API */
    long line;
};

int epv__params_new(epv_ctx *ctx, epv_params **out);
/* Deep copy (used to make merges all or nothing). */
int epv__params_clone(epv_ctx *ctx, const epv_params *src, epv_params **out);
/* Replace dst's contents by src's and free src's shell. */
void epv__params_swap_free(epv_params *dst, epv_params *src);

const epv_params_source *epv__params_source(const epv_params *p, const char *id);
int epv__params_add_source(epv_ctx *ctx, epv_params *p, const char *id, const char *citation);
struct epv__species_row *epv__params_species_row(const epv_params *p, const char *code);
epv_params_ipcc_growth *epv__params_growth_row(const epv_params *p, const char *zone, const char *region,
                                        const char *type);

/* Check every value and source reference of a row; messages start with where. */
int epv__params_check_species(epv_ctx *ctx, const epv_params *p, const struct epv__species_row *r,
                              struct epv__where where);
int epv__params_check_growth(epv_ctx *ctx, const epv_params *p, const epv_params_ipcc_growth *g,
                             struct epv__where where);
/* Index of a field name in epv__params_field_names, or -1. */
int epv__params_field_index(const char *field);
/* Record an uncertainty on a row after checking it (u_pct in (0, 200], source declared);
 * messages start with where and name the species and field. */
int epv__params_set_u(epv_ctx *ctx, const epv_params *p, struct epv__species_row *r, int f, double u_pct,
                      const char *source, int provisional, struct epv__where where);
/* Add, or replace the row with the same key. Rows must have been checked. */
int epv__params_put_species(epv_ctx *ctx, epv_params *p, const struct epv__species_row *r);
int epv__params_put_growth(epv_ctx *ctx, epv_params *p, const epv_params_ipcc_growth *g);

#endif
