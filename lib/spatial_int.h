/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Private parts of the spatial module shared by lib/spatial*.c. */
#ifndef EPV_SPATIAL_INT_H
#define EPV_SPATIAL_INT_H

#include "common_int.h"
#include "epv/spatial.h"

/* A sparse set of table sums: cell k (region x ecosystem) and its NCOLS values. */
typedef struct epv__sp_group {
    size_t id;     /* group number */
    size_t ncells; /* cells present */
    uint32_t *cell;
    double *val; /* ncells x EPV_SPATIAL_NCOLS */
} epv__sp_group;

struct epv_spatial_result {
    epv_ctx *ctx;
    size_t nreg, neco;
    char **reg_code, **reg_name, **eco_code;
    char **reg_parent, **reg_pname; /* parent code and name per region ("": none) */
    int has[EPV_SPATIAL_NCOLS];
    size_t ngroups_total; /* groups of the whole grid */
    size_t nrows, ncols;  /* grid size, for merge checks */
    double *total;        /* nreg x neco x NCOLS, column-major by col: total[col*ncell + cell] */
    int part, nparts;     /* nparts 0: a whole run */
    char *water_eco;      /* climate: ecosystem of water surfaces (NULL: none) */
    double latent_heat, eer;
    double days;          /* transpiration: days of air conditioning (0: none) */
    char *marsh_eco;      /* flood: ecosystem of the marshes (NULL: none) */
    double marsh[5];      /* its soil depth m, bulk density t/m3, saturated and natural water, surface depth m */
    size_t ngroups;       /* kept groups (parts only) */
    epv__sp_group *groups;
};

/* Slope (Horn 1981) and RUSLE LS for the inner cells of a window with a one-cell halo:
 * win is (rows + 2) x (cols + 2); dx per inner row (metres), dy metres. */
void epv__sp_ls_window(size_t rows, size_t cols, const double *win, const double *dx_row, double dy,
                       double slope_length_m, double *out, double *scratch /* 3 x cols at least */);
/* Elevation at global (r, c) from a window holding rows [r0, r1) and columns [c0, c1) (row
 * length w): inside the window the value; beyond the window's edge (which must be the grid's
 * edge) extrapolated linearly, 2 z(edge) - z(next inside), or the edge value when the grid is
 * one cell wide, so that Horn's slope is exact on a plane up to the border. */
double epv__sp_dem_at(const double *win, size_t w, long r0, long r1, long c0, long c1, long r, long c);
/* Authalic q(phi) of Snyder (1987) eq. 3-12 for eccentricity e (q = 2 sin phi for e = 0). */
double epv__sp_q(double sin_phi, double e);

/* New empty result with the given regions and ecosystems (strings copied). */
/* Copy parent codes and names (n = nreg entries; NULL arrays: none) into r. */
int epv__sp_result_set_parents(epv_ctx *ctx, epv_spatial_result *r, char *const *parents, char *const *pnames);
int epv__sp_result_new(epv_ctx *ctx, size_t nreg, char **codes, char **names, size_t neco,
                       char **eco, epv_spatial_result **out);

#endif
