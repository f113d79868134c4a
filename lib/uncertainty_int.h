/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Private: the Monte Carlo handle, shared by the runner and the writers. */
#ifndef EPV_UNCERTAINTY_INT_H
#define EPV_UNCERTAINTY_INT_H

#include "common_int.h"
#include "epv/uncertainty.h"

/* Iterations per random stream. Fixed, so results do not depend on the thread count;
 * changing it changes every Monte Carlo result (documented in doc/uncertainty.md). */
#define EPV__MC_BLOCK 512

typedef struct epv__mc_input {
    char *name;
    epv_mc_dist dist;
    int flags;
    long group;      /* index of its correlated group, -1 if none */
    double mu, sigma; /* lognormal: parameters of ln x */
    double qa, qb;   /* truncated normal: tail probabilities of the bounds (see runner) */
    int upper_tail;  /* truncated normal: invert through Q rather than P */
} epv__mc_input;

typedef struct epv__mc_group {
    size_t k;
    size_t *idx; /* inputs in the group */
    double *L;   /* k x k lower-triangular Cholesky factor of the correlation, row-major */
} epv__mc_group;

struct epv_mc {
    epv_ctx *ctx;
    epv__mc_input *in;
    size_t n_in, cap_in;
    epv__mc_group *groups;
    size_t n_groups, cap_groups;
    /* results of the last successful run (NULL before) */
    double *res;    /* n_out columns of iters values: res[j * iters + i] */
    double *sorted; /* the same, each column sorted ascending */
    size_t iters, n_out;
};

/* Forget the results of the last run. */
void epv__mc_drop_results(epv_mc *mc);
/* Check output index after a run; records the error. */
int epv__mc_check_output(epv_mc *mc, size_t output);

#endif
