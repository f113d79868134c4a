/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Private parts of the inventory readers (include/epv/compartment.h) shared by
 * lib/compartment.c (CSV, arrays, stratification) and lib/compartment_vector.c (GDAL vector
 * layers). Every reader turns its input into an epv__comp_in and hands it to
 * epv__comp_check(), so the rules a record must meet are written once; each reader only says
 * where the record came from (file and line, layer and feature, array index). */
#ifndef EPV_COMPARTMENT_INT_H
#define EPV_COMPARTMENT_INT_H

#include "common_int.h"
#include "epv/compartment.h"

#define EPV__COMP_PROGRESS_EVERY 4096
/* Room for a check's message: the list of known species can be long. */
#define EPV__COMP_MSG_MAX 2048

struct epv_compartment_set {
    epv_ctx *ctx;
    epv_compartment *rec;
    size_t n, cap;
};

/* The fields of a record, in the order the check looks at them. */
typedef enum epv__comp_field {
    EPV__COMP_ID,
    EPV__COMP_SPECIES,
    EPV__COMP_ORIGIN,
    EPV__COMP_AGE,
    EPV__COMP_AREA,
    EPV__COMP_VOLUME,
    EPV__COMP_SITE,
    EPV__COMP_NFIELDS
} epv__comp_field;

/* Default column (CSV) and attribute (vector) names, by epv__comp_field; the area's is
 * "area_ha" ("area_mu" is its alternative, EPV__COMP_AREA_MU_NAME). */
extern const char *const epv__comp_field_name[EPV__COMP_NFIELDS];
#define EPV__COMP_AREA_MU_NAME "area_mu"

/* A record as a reader found it, before the shared rules: numbers wide enough for any input
 * so that out-of-range values reach the check instead of being cut by a cast. */
typedef struct epv__comp_in {
    const char *id;          /* text as read */
    const char *species;     /* text as read: code, Chinese or English name */
    const char *origin_text; /* text as read, or NULL when origin is already an enum (arrays) */
    int origin;              /* epv_project_origin when origin_text is NULL */
    int64_t age;             /* years */
    double area_ha;          /* ha (a reader of mu converts first) */
    double volume_m3_ha;     /* m³/ha */
    int64_t site_class;      /* 0 unknown, 1..5 */
} epv__comp_in;

/* Check one record against the rules every reader shares and fill *out (species resolved to
 * its code). On failure: the status (EPV_ENOTFOUND unknown species, EPV_EPARSE unknown origin
 * text, EPV_EINVAL empty id or origin enum, EPV_ERANGE a value outside its range, NaN
 * included), *bad the field and msg the reason without any location; the reader prefixes the
 * location and records the error. Nothing is recorded in a context here. */
int epv__comp_check(const epv_params *params, const epv__comp_in *in, epv_compartment *out,
                    epv__comp_field *bad, char *msg, size_t len);

/* A new empty set. */
int epv__comp_set_new(epv_ctx *ctx, epv_compartment_set **out);
/* Append a checked record. */
int epv__comp_set_push(epv_compartment_set *s, const epv_compartment *r);

/* Ids must be unique: *later receives the index of the first record whose id an earlier
 * record (*earlier) already has, or SIZE_MAX in both when the ids are unique. */
int epv__comp_find_repeat(epv_ctx *ctx, const epv_compartment_set *s, size_t *later, size_t *earlier);

#endif
