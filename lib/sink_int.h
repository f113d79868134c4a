/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Private layout of projects and results, shared by sink.c (model), sink_io.c (XML
 * input) and sink_out.c (CSV and SVG output). */
#ifndef EPV_SINK_INT_H
#define EPV_SINK_INT_H

#include <pthread.h>

#include "common_int.h"
#include "epv/sink.h"

/* Components kept per year, in this order. */
enum { SINK_STOCK, SINK_PROJECT, SINK_EMISSIONS, SINK_BASELINE, SINK_LEAKAGE, SINK_NCOMP };

struct sink_stratum {
    epv_project_stratum s;
    epv_params_species species;
    double co2_per_m3_ha; /* d(tree CO2 t/ha)/d(volume m³/ha): both methods are affine in V, so
                           * the slope is all stock changes counted from planting need */
    double shrub_tco2_ha; /* pre-existing shrub carbon cleared at planting, t CO2/ha */
    int natural;          /* epv_project_origin: 1 natural forest, 0 plantation */
    int has_start_volume; /* 1: start_volume is the stem volume measured at the start of the start year */
    double start_volume;  /* m³/ha */
};

struct sink_event {
    size_t stratum;
    int year, kind, scenario;
    double fraction;
};

struct sink_disturbance {
    size_t stratum;
    int year;
    double fraction;
};

struct sink_claim {
    char *label, *source;
    double tco2_per_year, area_ha;
    int basis; /* epv_project_basis */
};

struct epv_project {
    epv_ctx *ctx;
    char *name;
    epv_project_kind kind;
    int start_year, crediting_years;
    double leakage_fraction;
    struct sink_stratum *strata;
    size_t nstrata, cap_strata;
    size_t *id_slots; /* open-addressing hash of stratum ids: index + 1, 0 = empty */
    size_t nslots;    /* power of two, kept at least twice nstrata */
    struct sink_disturbance *dist;
    size_t ndist, cap_dist;
    epv_project_period *periods;
    size_t nperiods, cap_periods;
    struct sink_claim *claims;
    size_t nclaims, cap_claims;
    struct sink_event *events;
    size_t nevents, cap_events;
    double hwp_fraction, hwp_half_life; /* harvested wood products; 0: instantaneous oxidation */
};

struct epv_sink_result {
    epv_ctx *ctx;
    int start_year;
    size_t nyears, nstrata;
    double leakage_fraction;
    double *total;       /* [nyears][SINK_NCOMP] */
    double *per_stratum; /* [nstrata][nyears][SINK_NCOMP], or NULL for totals-only results */
    char (*stratum_ids)[64];
    epv_i64 *years;      /* [nyears] calendar years */
    /* columns made on request (epv_sink_result_column), indexed by epv_sink_col */
#define SINK_NCOL (EPV_SINK_COL_CUMULATIVE_NET + 1)
    double *col_total[SINK_NCOL];  /* [nyears] */
    double *col_strata[SINK_NCOL]; /* [nstrata][nyears] */
    pthread_mutex_t lock;
    int lock_made;
};

int epv__sink_claim_add(epv_ctx *ctx, epv_project *p, const char *label, double tco2_per_year,
                        double area_ha, const char *source, int basis);
int epv__sink_period_add(epv_ctx *ctx, epv_project *p, int first_year, int last_year);
/* One stratum's components for years start_year .. start_year+nyears-1 into
 * comp[nyears][SINK_NCOMP] (zeroed by the caller); scratch ages, vol, bvol hold nyears+1
 * values each. sidx is the stratum's index in p (for its disturbances). Used by the yearly
 * estimate and by the uncertainty analysis (sink_unc.c), so both run the same model. */
int epv__sink_stratum_years(epv_ctx *ctx, const epv_project *p, const struct sink_stratum *st, size_t sidx,
                            size_t nyears, double *ages, double *vol, double *bvol, double *comp);
/* Drop the strata added after the first n (and their events and disturbances): the undo of a
 * bulk add that failed half-way. Never allocates, never fails. */
void epv__sink_truncate(epv_project *p, size_t n);
void epv__sink_fill_year(const epv_sink_result *r, const double *comp, size_t i, double cumulative,
                         epv_sink_year *out);

#endif
