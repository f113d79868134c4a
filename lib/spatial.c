/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Spatial runs: rasters read tile by tile through GDAL, services from epv/gep_model.h,
 * sums by region x ecosystem in a fixed order (see epv/spatial.h, "Determinism"). */
#define _GNU_SOURCE 1
#if defined(__GNUC__) && !defined(__clang__)
/* As in lib/vmath.c: let the per-pixel loops vectorise (selects become blends when
 * comparisons may not trap; the default -O2 cost model refuses loops of unknown length).
 * Nothing here reads floating-point exception flags, and -std=c11 keeps -ffp-contract=off,
 * so vector and scalar code give the same bits. */
#pragma GCC optimize("no-trapping-math", "vect-cost-model=dynamic", "no-tree-loop-distribute-patterns")
#endif
#include <float.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cpl_conv.h>
#include <cpl_error.h>
#include <gdal.h>
#include <gdal_alg.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

#include "csv_int.h"
#include "epv/gep_model.h"
#include "gep_model_int.h"
#include "spatial_int.h"

#define SP_PI 3.14159265358979323846

EPV__DEFINE_INIT(epv_spatial_options, EPV_SPATIAL_OPTIONS_VERSION, EPV_SPATIAL_OPTIONS_INIT)

enum { IN_LC, IN_DEM, IN_P, IN_ET, IN_R, IN_K, IN_NEP, IN_STORM, NIN };
static const char *const in_field[NIN] = { "landcover", "dem", "precip", "et", "erosivity",
                                           "erodibility", "nep", "storm_precip" };
/* Lower bound of each raster's valid values (-HUGE_VAL: any finite value). */
static const double in_min[NIN] = { -HUGE_VAL, -HUGE_VAL, 0, 0, 0, 0, -HUGE_VAL, 0 };
#define NV 11 /* per-class values of the biophysical table */
#define NM 5  /* of which marsh parameters, the last five */

static pthread_once_t gdal_once = PTHREAD_ONCE_INIT;
static void gdal_init(void) { GDALAllRegister(); }
void epv__sp_gdal_init(void);
void epv__sp_gdal_init(void) { pthread_once(&gdal_once, gdal_init); }

#define UNK_MAX 32
#define SP_WAVE_TILES 8 /* tiles per worker in a wave of a run that writes no raster */
#define SP_DEM_SLOTS 12 /* 9 for a tile's window and 3 so that the next tile's are kept */

#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__)
#define SP_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define SP_CLONES
#endif

typedef struct sp_worker {
    epv_ctx wctx;
    GDALDatasetH ds[NIN];
    GDALDatasetH mem; /* in-memory raster of a full tile, for rasterising the regions */
    OGRGeometryH *geoms;
    size_t cap; /* cells per tile buffer */
    double *scratch; /* 3 x cap */
    double *lc, *dem, *in[NIN], *runoff, *col[EPV_SPATIAL_NCOLS];
    double *row[EPV_SPATIAL_NCOLS]; /* one row of each service, when no raster is written */
    double *zeros;                  /* one row of zeros (padding of the sums' column groups) */
    /* services that depend only on the class and the cell area, per class for the area
     * kv_am2 (rows of a projected grid share it): CO2, O2, transpiration, marsh flood */
    double *kv_co2, *kv_o2, *kv_tr, *kv_marsh, kv_am2;
    int32_t *cls, *zone;
    /* tile partial sums */
    double *part;
    uint32_t *touched;
    size_t ntouched;
    unsigned char *mark;
    /* unknown land-cover codes seen */
    int64_t unk[UNK_MAX];
    size_t nunk;
    size_t unk_row, unk_col;
    int unk_any;
    size_t tile, h, w, r0, c0;
    /* DEM blocks (when they are the tiles): the tile's block and its eight neighbours give
     * its window with the one-cell halo; reading them once per worker instead of once per
     * window read (nine blocks for every tile through GDAL) */
    char *dblk;   /* SP_DEM_SLOTS blocks of tile_rows x tile_cols in the DEM's type */
    /* inputs of the tile: native[i] 1 when in[i] holds the block in the file's type (converted
     * a row at a time into rin[i] where used), 0 when it holds checked doubles */
    int native[NIN];
    double *rin[NIN];
    struct { long bx, by; unsigned long stamp; } dslot[SP_DEM_SLOTS];
    unsigned long dclock;
} sp_worker;

/* The sums of one tile of a wave, taken out of its worker's table so that the worker can go
 * on with another tile: the table cells it touched and their EPV_SPATIAL_NCOLS values. */
typedef struct sp_slot {
    size_t n, cap;
    uint32_t *cell;
    double *val;
    int worker, rc;
} sp_slot;

typedef struct sp_run {
    epv_ctx *ctx;
    const epv_spatial_options *o;
    const char *path[NIN];
    int used[NIN];
    size_t nx, ny;
    double gt[6];
    char *srs_wkt;
    double *row_area, *row_dx, dy;
    double nodata[NIN];
    int has_nodata[NIN];
    int blk_x[NIN], blk_y[NIN], nbands[NIN]; /* block size and band count of each raster */
    GDALDataType dtype[NIN];
    int direct[NIN];  /* its blocks are the tiles: a tile is one GDALReadBlock in the file's type */
    int dem_blocks; /* the DEM's blocks are the tiles: read them through the workers' caches */
    /* biophysical classes */
    size_t ncls;
    int64_t *code; /* sorted */
    double *runoff_coef, *usle_c, *usle_p, *nep, *epp, *storm_coef;
    double *mdepth, *mbulk, *msat, *mnat, *msurf;
    int marsh_j;             /* ecosystem of the marshes, -1: none */
    double marsh[NM];        /* its depth, bulk density, saturated and natural water, surface depth */
    int32_t *cls_eco;
    int64_t lut_min;
    size_t lut_n;
    int32_t *lut; /* code - lut_min -> class, -1 unknown */
    int has[EPV_SPATIAL_NCOLS];
    int sumcol[EPV_SPATIAL_NCOLS], nsum; /* the computed columns that are summed */
    const char *storm_precip; /* options of version 2 (NULL / 0 for a version-1 struct) */
    double tr_days;
    /* regions and ecosystems */
    size_t nreg, neco;
    char **reg_code, **reg_name, **eco;
    char **reg_parent, **reg_pname; /* with parent_field, else NULL */
    OGRGeometryH *geoms;
    OGREnvelope *env;
    double *burn;
    size_t ngeoms;
    /* tiles */
    size_t tr, tc, ntx, nty, ntiles, ngroups;
    double slope_len;
    int nworkers;
    sp_worker *wk;
    sp_slot *slot; /* one per tile of a wave */
    size_t nslot;
    size_t ncell;
    double *ls_grid; /* whole-grid LS (Desmet & Govers), or NULL */
    /* raster output */
    size_t nout;
    const epv_spatial_col *ocols;
    GDALDatasetH *ods;
} sp_run;

static int gdal_error(epv_ctx *ctx, int code, const char *what, const char *path)
{
    const char *m = CPLGetLastErrorMsg();
    return epv__error(ctx, code, "%s: %s%s%s", path, what, m && *m ? ": " : "", m ? m : "");
}

/* ---------------------------------------------------------------- grid and inputs */

static int same_gt(const double *a, const double *b)
{
    double tol = 1e-9 * (fabs(a[1]) + fabs(a[5]));
    for (int i = 0; i < 6; i++)
        if (fabs(a[i] - b[i]) > tol * (i == 0 || i == 3 ? 1e3 : 1)) return 0;
    return 1;
}

static int open_grid(sp_run *s)
{
    epv_ctx *ctx = s->ctx;
    OGRSpatialReferenceH ref = NULL;
    for (int i = 0; i < NIN; i++) {
        if (!s->used[i]) continue;
        CPLErrorReset();
        GDALDatasetH ds = GDALOpenEx(s->path[i], GDAL_OF_RASTER | GDAL_OF_READONLY, NULL, NULL, NULL);
        if (!ds) {
            if (ref) OSRDestroySpatialReference(ref);
            return gdal_error(ctx, EPV_EIO, "cannot open raster", s->path[i]);
        }
        int rc = EPV_OK;
        double gt[6];
        size_t nx = (size_t)GDALGetRasterXSize(ds), ny = (size_t)GDALGetRasterYSize(ds);
        OGRSpatialReferenceH srs = GDALGetSpatialRef(ds);
        if (GDALGetRasterCount(ds) < 1)
            rc = epv__error(ctx, EPV_EINVAL, "%s (%s): the raster has no band", s->path[i], in_field[i]);
        else if (GDALGetGeoTransform(ds, gt) != CE_None)
            rc = epv__error(ctx, EPV_EINVAL, "%s (%s): the raster has no geotransform", s->path[i], in_field[i]);
        else if (!srs || !GDALGetProjectionRef(ds) || !*GDALGetProjectionRef(ds))
            rc = epv__error(ctx, EPV_EINVAL, "%s (%s): the raster has no CRS", s->path[i], in_field[i]);
        else if (gt[2] != 0 || gt[4] != 0)
            rc = epv__error(ctx, EPV_EUNSUPPORTED, "%s (%s): rotated grids are not supported", s->path[i],
                            in_field[i]);
        else if (i == IN_LC) {
            s->nx = nx;
            s->ny = ny;
            memcpy(s->gt, gt, sizeof gt);
            ref = OSRClone(srs);
            if (!(gt[5] < 0) || !(gt[1] > 0))
                rc = epv__error(ctx, EPV_EUNSUPPORTED, "%s (landcover): the grid is not north up", s->path[i]);
        } else if (nx != s->nx || ny != s->ny)
            rc = epv__error(ctx, EPV_EINVAL, "grid of %s (%s, %zu x %zu) does not match %s (landcover, %zu x %zu)",
                            s->path[i], in_field[i], nx, ny, s->path[IN_LC], s->nx, s->ny);
        else if (!same_gt(gt, s->gt))
            rc = epv__error(ctx, EPV_EINVAL,
                            "grid of %s (%s, origin %.10g %.10g, pixel %.10g x %.10g) does not match %s "
                            "(landcover, origin %.10g %.10g, pixel %.10g x %.10g)",
                            s->path[i], in_field[i], gt[0], gt[3], gt[1], gt[5], s->path[IN_LC], s->gt[0],
                            s->gt[3], s->gt[1], s->gt[5]);
        else if (!OSRIsSame(srs, ref))
            rc = epv__error(ctx, EPV_EINVAL, "CRS of %s (%s) does not match the CRS of %s (landcover)", s->path[i],
                            in_field[i], s->path[IN_LC]);
        if (rc == EPV_OK) {
            int ok = 0;
            double nd = GDALGetRasterNoDataValue(GDALGetRasterBand(ds, 1), &ok);
            s->has_nodata[i] = ok;
            GDALRasterBandH b = GDALGetRasterBand(ds, 1);
            GDALGetBlockSize(b, &s->blk_x[i], &s->blk_y[i]);
            s->dtype[i] = GDALGetRasterDataType(b);
            s->nbands[i] = GDALGetRasterCount(ds);
            s->nodata[i] = nd;
        }
        GDALClose(ds);
        if (rc) {
            if (ref) OSRDestroySpatialReference(ref);
            return rc;
        }
    }
    if (s->nx == 0 || s->ny == 0) {
        OSRDestroySpatialReference(ref);
        return epv__error(ctx, EPV_EINVAL, "%s: the raster is empty", s->path[IN_LC]);
    }
    /* cell areas and sizes, per row */
    s->row_area = epv__malloc(ctx, s->ny * sizeof *s->row_area);
    s->row_dx = epv__malloc(ctx, s->ny * sizeof *s->row_dx);
    char *wkt = NULL;
    OSRExportToWkt(ref, &wkt);
    s->srs_wkt = epv__strdup(ctx, wkt ? wkt : "");
    CPLFree(wkt);
    if (!s->row_area || !s->row_dx || !s->srs_wkt) {
        OSRDestroySpatialReference(ref);
        return EPV_ENOMEM;
    }
    int rc = EPV_OK;
    if (OSRIsGeographic(ref)) {
        OGRErr e1, e2;
        double a = OSRGetSemiMajor(ref, &e1), invf = OSRGetInvFlattening(ref, &e2);
        if (e1 != OGRERR_NONE || !(a > 0)) a = 6378137.0, invf = 298.257223563;
        if (e2 != OGRERR_NONE) invf = 298.257223563;
        double f = invf > 0 ? 1 / invf : 0, e = sqrt(f * (2 - f));
        double rq = a * sqrt(epv__sp_q(1.0, e) / 2); /* authalic radius, Snyder eq. 3-13 */
        s->dy = rq * fabs(s->gt[5]) * SP_PI / 180;
        for (size_t r = 0; r < s->ny && rc == EPV_OK; r++) {
            double lat1 = s->gt[3] + (double)r * s->gt[5], lat2 = lat1 + s->gt[5];
            if (fabs(lat1) > 90 || fabs(lat2) > 90) {
                rc = epv__error(ctx, EPV_ERANGE, "%s: row %zu lies beyond the poles (latitude %g)", s->path[IN_LC], r,
                                lat2);
                break;
            }
            rc = epv_spatial_cell_area_geographic(ctx, lat1, lat2, s->gt[1], a, invf > 0 ? invf : 0, &s->row_area[r]);
            s->row_dx[r] = rq * s->gt[1] * SP_PI / 180 * cos((lat1 + lat2) / 2 * SP_PI / 180);
        }
    } else {
        double lin = OSRGetLinearUnits(ref, NULL);
        if (!(lin > 0)) lin = 1;
        s->dy = fabs(s->gt[5]) * lin;
        for (size_t r = 0; r < s->ny; r++) {
            s->row_area[r] = s->gt[1] * lin * fabs(s->gt[5]) * lin;
            s->row_dx[r] = s->gt[1] * lin;
        }
    }
    s->slope_len = s->o->slope_length_m > 0 ? s->o->slope_length_m : (s->row_dx[s->ny / 2] + s->dy) / 2;
    OSRDestroySpatialReference(ref);
    return rc;
}

/* ---------------------------------------------------------------- biophysical table */

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}
static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int class_of(const sp_run *s, int64_t code)
{
    if (s->lut) {
        if (code < s->lut_min || (uint64_t)(code - s->lut_min) >= s->lut_n) return -1;
        return s->lut[code - s->lut_min];
    }
    size_t lo = 0, hi = s->ncls;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (s->code[mid] < code) lo = mid + 1;
        else hi = mid;
    }
    return lo < s->ncls && s->code[lo] == code ? (int)lo : -1;
}

typedef struct { int64_t code; double v[NV]; char *eco; } sp_row;
static int cmp_row(const void *a, const void *b) { return cmp_i64(&((const sp_row *)a)->code, &((const sp_row *)b)->code); }

static int load_table(sp_run *s)
{
    epv_ctx *ctx = s->ctx;
    const epv_spatial_options *o = s->o;
    epv__csv *c = NULL, *ec = NULL;
    sp_row *rows = NULL;
    size_t n = 0;
    char **ecos = NULL;
    int rc = epv__csv_open_file(ctx, o->biophysical, NULL, &c);
    if (rc) return rc;
    size_t cl, cv[NV], ce = SIZE_MAX;
    static const char *const vn[NV] = { "runoff_coef", "usle_c", "usle_p", "nep_tc_ha", "epp_kj_m2_day",
                                        "storm_runoff_coef", "marsh_soil_depth_m", "marsh_bulk_density_t_m3",
                                        "marsh_saturated_water", "marsh_natural_water", "marsh_surface_depth_m" };
    int need[NV] = { s->has[EPV_SPATIAL_WATER_CONSERVATION], s->has[EPV_SPATIAL_SOIL_RETENTION],
                     s->has[EPV_SPATIAL_SOIL_RETENTION], s->has[EPV_SPATIAL_CARBON_FIXATION] && !o->nep,
                     s->has[EPV_SPATIAL_CLIMATE_TRANSPIRATION], s->has[EPV_SPATIAL_FLOOD_VEGETATION],
                     s->has[EPV_SPATIAL_FLOOD_MARSH], s->has[EPV_SPATIAL_FLOOD_MARSH], s->has[EPV_SPATIAL_FLOOD_MARSH],
                     s->has[EPV_SPATIAL_FLOOD_MARSH], s->has[EPV_SPATIAL_FLOOD_MARSH] };
    /* EPP up to 1e5 kJ/(m2 d): 40 times the solar constant's daily energy, a typo guard */
    static const double vmin[NV] = { 0, 0, 0, -1000, 0, 0, 0, 0, 0, 0, 0 },
                        vmax[NV] = { 1, 1, 1, 1000, 1e5, 1, 100, 5, 1, 1, 100 };
    if ((rc = epv__csv_col(ctx, c, "lucode", 1, &cl))) goto done;
    for (int k = 0; k < NV; k++)
        if ((rc = epv__csv_col(ctx, c, vn[k], need[k], &cv[k]))) goto done;
    if (!o->ecosystem_table && (rc = epv__csv_col(ctx, c, "ecosystem", 1, &ce))) goto done;
    rows = epv__calloc(ctx, epv__csv_nrows(c) + 1, sizeof *rows);
    if (!rows) { rc = EPV_ENOMEM; goto done; }
    while ((rc = epv__csv_next(ctx, c)) == EPV_OK) {
        sp_row *r = &rows[n];
        if ((rc = epv__csv_i64(ctx, c, cl, INT32_MIN, INT32_MAX, &r->code))) goto done;
        for (size_t k = 0; k < n; k++)
            if (rows[k].code == r->code) {
                rc = epv__csv_error(ctx, c, cl, EPV_EEXISTS, "lucode %lld appears twice", (long long)r->code);
                goto done;
            }
        for (int k = 0; k < NV; k++) {
            r->v[k] = NAN;
            if (need[k] && (rc = epv__csv_double(ctx, c, cv[k], vmin[k], vmax[k], &r->v[k]))) goto done;
        }
        if (ce != SIZE_MAX) {
            const char *t;
            if ((rc = epv__csv_text(ctx, c, ce, &t))) goto done;
            if (!(r->eco = epv__strdup(ctx, t))) { rc = EPV_ENOMEM; goto done; }
        }
        n++;
    }
    if (rc != EPV_ITEROVER) goto done;
    rc = EPV_OK;
    if (n == 0) { rc = epv__error(ctx, EPV_EINVAL, "%s: the table has no rows", o->biophysical); goto done; }
    if (o->ecosystem_table) {
        size_t el, ee;
        if ((rc = epv__csv_open_file(ctx, o->ecosystem_table, NULL, &ec))) goto done;
        if ((rc = epv__csv_col(ctx, ec, "lucode", 1, &el)) || (rc = epv__csv_col(ctx, ec, "ecosystem", 1, &ee)))
            goto done;
        while ((rc = epv__csv_next(ctx, ec)) == EPV_OK) {
            int64_t code;
            const char *t;
            if ((rc = epv__csv_i64(ctx, ec, el, INT32_MIN, INT32_MAX, &code)) || (rc = epv__csv_text(ctx, ec, ee, &t)))
                goto done;
            for (size_t k = 0; k < n; k++)
                if (rows[k].code == code) {
                    if (rows[k].eco) {
                        rc = epv__csv_error(ctx, ec, el, EPV_EEXISTS, "lucode %lld appears twice", (long long)code);
                        goto done;
                    }
                    if (!(rows[k].eco = epv__strdup(ctx, t))) { rc = EPV_ENOMEM; goto done; }
                }
        }
        if (rc != EPV_ITEROVER) goto done;
        rc = EPV_OK;
        for (size_t k = 0; k < n; k++)
            if (!rows[k].eco) {
                rc = epv__error(ctx, EPV_ENOTFOUND, "%s: column 'lucode': code %lld of %s has no ecosystem",
                                o->ecosystem_table, (long long)rows[k].code, o->biophysical);
                goto done;
            }
    }
    qsort(rows, n, sizeof *rows, cmp_row);
    /* ecosystems: distinct, sorted */
    ecos = epv__calloc(ctx, n, sizeof *ecos);
    if (!ecos) { rc = EPV_ENOMEM; goto done; }
    for (size_t k = 0; k < n; k++) ecos[k] = rows[k].eco;
    qsort(ecos, n, sizeof *ecos, cmp_str);
    size_t ne = 0;
    for (size_t k = 0; k < n; k++)
        if (ne == 0 || strcmp(ecos[ne - 1], ecos[k])) ecos[ne++] = ecos[k];
    s->eco = epv__calloc(ctx, ne, sizeof *s->eco);
    s->code = epv__calloc(ctx, n, sizeof *s->code);
    s->runoff_coef = epv__calloc(ctx, n, sizeof(double));
    s->usle_c = epv__calloc(ctx, n, sizeof(double));
    s->usle_p = epv__calloc(ctx, n, sizeof(double));
    s->nep = epv__calloc(ctx, n, sizeof(double));
    s->epp = epv__calloc(ctx, n, sizeof(double));
    s->storm_coef = epv__calloc(ctx, n, sizeof(double));
    s->mdepth = epv__calloc(ctx, n, sizeof(double));
    s->mbulk = epv__calloc(ctx, n, sizeof(double));
    s->msat = epv__calloc(ctx, n, sizeof(double));
    s->mnat = epv__calloc(ctx, n, sizeof(double));
    s->msurf = epv__calloc(ctx, n, sizeof(double));
    s->cls_eco = epv__calloc(ctx, n, sizeof(int32_t));
    if (!s->eco || !s->code || !s->runoff_coef || !s->usle_c || !s->usle_p || !s->nep || !s->epp || !s->storm_coef || !s->mdepth || !s->mbulk ||
        !s->msat || !s->mnat || !s->msurf || !s->cls_eco) {
        rc = EPV_ENOMEM;
        goto done;
    }
    s->neco = ne;
    for (size_t k = 0; k < ne; k++)
        if (!(s->eco[k] = epv__strdup(ctx, ecos[k]))) { rc = EPV_ENOMEM; goto done; }
    s->ncls = n;
    for (size_t k = 0; k < n; k++) {
        s->code[k] = rows[k].code;
        s->runoff_coef[k] = rows[k].v[0];
        s->usle_c[k] = rows[k].v[1];
        s->usle_p[k] = rows[k].v[2];
        s->nep[k] = rows[k].v[3];
        s->epp[k] = rows[k].v[4];
        s->storm_coef[k] = rows[k].v[5];
        s->mdepth[k] = rows[k].v[6];
        s->mbulk[k] = rows[k].v[7];
        s->msat[k] = rows[k].v[8];
        s->mnat[k] = rows[k].v[9];
        s->msurf[k] = rows[k].v[10];
        for (size_t j = 0; j < ne; j++)
            if (!strcmp(s->eco[j], rows[k].eco)) s->cls_eco[k] = (int32_t)j;
    }
    int64_t span = s->code[n - 1] - s->code[0];
    if (span < 65536) {
        s->lut_min = s->code[0];
        s->lut_n = (size_t)span + 1;
        if (!(s->lut = epv__malloc(ctx, s->lut_n * sizeof *s->lut))) { rc = EPV_ENOMEM; goto done; }
        for (size_t k = 0; k < s->lut_n; k++) s->lut[k] = -1;
        for (size_t k = 0; k < n; k++) s->lut[s->code[k] - s->lut_min] = (int32_t)k;
    }
done:
    if (rows)
        for (size_t k = 0; k <= epv__csv_nrows(c); k++) epv__free(ctx, rows[k].eco);
    epv__free(ctx, rows);
    epv__free(ctx, ecos);
    epv__csv_free(c);
    epv__csv_free(ec);
    return rc;
}

/* The marsh ecosystem and its parameters: every class of it must carry the same five values
 * (the account's floodMarsh element holds one set per region and ecosystem). Rows of the
 * table are re-read for the error's line numbers only when two classes differ. */
static int marsh_params(sp_run *s)
{
    epv_ctx *ctx = s->ctx;
    const char *me = s->o->marsh_ecosystem;
    size_t j, first = SIZE_MAX;
    for (j = 0; j < s->neco; j++)
        if (!strcmp(s->eco[j], me)) break;
    if (j == s->neco)
        return epv__error(ctx, EPV_ENOTFOUND, "epv_spatial_options: marsh_ecosystem '%s' is not an ecosystem of %s", me,
                          s->o->ecosystem_table ? s->o->ecosystem_table : s->o->biophysical);
    s->marsh_j = (int)j;
    for (size_t k = 0; k < s->ncls; k++) {
        if ((size_t)s->cls_eco[k] != j) continue;
        const double v[NM] = { s->mdepth[k], s->mbulk[k], s->msat[k], s->mnat[k], s->msurf[k] };
        if (first == SIZE_MAX) {
            first = k;
            memcpy(s->marsh, v, sizeof v);
            if (v[3] > v[2])
                return epv__error(ctx, EPV_ERANGE, "%s: lucode %lld: marsh_natural_water %g exceeds marsh_saturated_water %g",
                                  s->o->biophysical, (long long)s->code[k], v[3], v[2]);
        } else if (memcmp(v, s->marsh, sizeof v) != 0)
            return epv__error(ctx, EPV_EINVAL,
                              "%s: lucode %lld and lucode %lld both map to marsh ecosystem '%s' with different marsh_* "
                              "values: the account's floodMarsh element holds one set per ecosystem",
                              s->o->biophysical, (long long)s->code[first], (long long)s->code[k], me);
    }
    return EPV_OK;
}

/* ---------------------------------------------------------------- regions */


static int load_zones(sp_run *s)
{
    size_t *htab = NULL, hcap = 0;
    epv_ctx *ctx = s->ctx;
    const epv_spatial_options *o = s->o;
    const char *cf = o->code_field ? o->code_field : "code", *nf = o->name_field ? o->name_field : "name";
    CPLErrorReset();
    GDALDatasetH ds = GDALOpenEx(o->zones, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, NULL, NULL);
    if (!ds) return gdal_error(ctx, EPV_EIO, "cannot open vector data set", o->zones);
    int rc = EPV_OK;
    OGRLayerH lyr = o->zones_layer ? GDALDatasetGetLayerByName(ds, o->zones_layer) : GDALDatasetGetLayer(ds, 0);
    OGRSpatialReferenceH dst = NULL;
    OGRCoordinateTransformationH ct = NULL;
    size_t cap = 0;
    if (!lyr) {
        rc = epv__error(ctx, EPV_ENOTFOUND, "%s: no layer %s", o->zones, o->zones_layer ? o->zones_layer : "");
        goto done;
    }
    OGRFeatureDefnH defn = OGR_L_GetLayerDefn(lyr);
    int icode = OGR_FD_GetFieldIndex(defn, cf), iname = OGR_FD_GetFieldIndex(defn, nf);
    const char *pf = o->version >= 2 ? o->parent_field : NULL, *pnf = o->version >= 2 ? o->parent_name_field : NULL;
    int ipar = pf ? OGR_FD_GetFieldIndex(defn, pf) : -1, ipname = pnf ? OGR_FD_GetFieldIndex(defn, pnf) : -1;
    if (icode < 0 || iname < 0 || (pf && ipar < 0) || (pnf && ipname < 0)) {
        char have[256] = "";
        size_t len = 0;
        for (int k = 0; k < OGR_FD_GetFieldCount(defn) && len < sizeof have - 40; k++)
            len += (size_t)snprintf(have + len, sizeof have - len, "%s%s", k ? ", " : "",
                                    OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, k)));
        rc = epv__error(ctx, EPV_ENOTFOUND, "%s: layer %s has no field '%s' (fields: %s)", o->zones,
                        OGR_L_GetName(lyr), icode < 0 ? cf : iname < 0 ? nf : ipar < 0 && pf ? pf : pnf, have);
        goto done;
    }
    OGRSpatialReferenceH lsrs = OGR_L_GetSpatialRef(lyr);
    if (!lsrs) {
        rc = epv__error(ctx, EPV_EINVAL, "%s: layer %s has no CRS", o->zones, OGR_L_GetName(lyr));
        goto done;
    }
    dst = OSRNewSpatialReference(s->srs_wkt);
    OSRSetAxisMappingStrategy(dst, OAMS_TRADITIONAL_GIS_ORDER);
    if (!OSRIsSame(lsrs, dst)) {
        OGRSpatialReferenceH src = OSRClone(lsrs);
        OSRSetAxisMappingStrategy(src, OAMS_TRADITIONAL_GIS_ORDER);
        ct = OCTNewCoordinateTransformation(src, dst);
        OSRDestroySpatialReference(src);
        if (!ct) {
            rc = gdal_error(ctx, EPV_EINVAL, "cannot transform the layer to the rasters' CRS", o->zones);
            goto done;
        }
    }
    OGR_L_ResetReading(lyr);
    OGRFeatureH f;
    size_t row = 0;
    while ((f = OGR_L_GetNextFeature(lyr)) != NULL) {
        row++;
        const char *code = OGR_F_IsFieldSetAndNotNull(f, icode) ? OGR_F_GetFieldAsString(f, icode) : "";
        const char *name = OGR_F_IsFieldSetAndNotNull(f, iname) ? OGR_F_GetFieldAsString(f, iname) : "";
        OGRGeometryH g = OGR_F_GetGeometryRef(f);
        if (!*code) {
            rc = epv__error(ctx, EPV_EINVAL, "%s: feature %zu (FID %lld): field '%s' is empty", o->zones, row,
                            (long long)OGR_F_GetFID(f), cf);
            OGR_F_Destroy(f);
            goto done;
        }
        const char *par = ipar >= 0 && OGR_F_IsFieldSetAndNotNull(f, ipar) ? OGR_F_GetFieldAsString(f, ipar) : "";
        if (pf && !*par) {
            rc = epv__error(ctx, EPV_EINVAL, "%s: feature %zu (FID %lld): field '%s' is empty", o->zones, row,
                            (long long)OGR_F_GetFID(f), pf);
            OGR_F_Destroy(f);
            goto done;
        }
        /* region of this code: hash table of the codes seen (open addressing, load <= 1/2) */
        if (2 * (s->nreg + 1) > hcap) {
            size_t ncap = hcap ? 2 * hcap : 1024;
            size_t *nh = epv__malloc(ctx, ncap * sizeof *nh);
            if (!nh) { OGR_F_Destroy(f); rc = EPV_ENOMEM; goto done; }
            for (size_t m = 0; m < ncap; m++) nh[m] = SIZE_MAX;
            for (size_t m = 0; m < s->nreg; m++) {
                size_t h = (size_t)epv__hash_str(s->reg_code[m]) & (ncap - 1);
                while (nh[h] != SIZE_MAX) h = (h + 1) & (ncap - 1);
                nh[h] = m;
            }
            epv__free(ctx, htab);
            htab = nh, hcap = ncap;
        }
        size_t slot = (size_t)epv__hash_str(code) & (hcap - 1), k = s->nreg;
        for (; htab[slot] != SIZE_MAX; slot = (slot + 1) & (hcap - 1))
            if (!strcmp(s->reg_code[htab[slot]], code)) {
                k = htab[slot];
                break;
            }
        if (k == s->nreg) htab[slot] = k; /* the new region's index, added below */
        if (pf && k < s->nreg && strcmp(s->reg_parent[k], par)) {
            rc = epv__error(ctx, EPV_EINVAL, "%s: feature %zu (FID %lld): region '%s' has parent '%s' here and '%s' before",
                            o->zones, row, (long long)OGR_F_GetFID(f), code, par, s->reg_parent[k]);
            OGR_F_Destroy(f);
            goto done;
        }
        if (k == s->nreg) {
            if (s->nreg >= UINT32_MAX / 2 ||
                (rc = epv__grow(ctx, (void **)&s->reg_code, &cap, s->nreg + 1, sizeof(char *))) ||
                !(s->reg_name = epv__realloc(ctx, s->reg_name, cap * sizeof(char *)))) {
                OGR_F_Destroy(f);
                rc = rc ? rc : EPV_ENOMEM;
                goto done;
            }
            s->reg_code[k] = epv__strdup(ctx, code);
            s->reg_name[k] = epv__strdup(ctx, name);
            s->nreg++;
            if (!s->reg_code[k] || !s->reg_name[k]) { OGR_F_Destroy(f); rc = EPV_ENOMEM; goto done; }
            if (pf) { /* parent arrays have nreg entries (NULL until filled) whenever they exist */
                const char *pn = ipname >= 0 && OGR_F_IsFieldSetAndNotNull(f, ipname) ? OGR_F_GetFieldAsString(f, ipname) : "";
                char **np = epv__realloc(ctx, s->reg_parent, cap * sizeof(char *));
                if (np) s->reg_parent = np, np[k] = NULL;
                char **nn = np ? epv__realloc(ctx, s->reg_pname, cap * sizeof(char *)) : NULL;
                if (nn) s->reg_pname = nn, nn[k] = NULL;
                if (!nn) s->nreg--; /* keep the parent arrays' length: region k is freed below */
                if (!nn) epv__free(ctx, s->reg_code[k]), epv__free(ctx, s->reg_name[k]);
                if (!nn || !(s->reg_parent[k] = epv__strdup(ctx, par)) || !(s->reg_pname[k] = epv__strdup(ctx, pn))) {
                    OGR_F_Destroy(f);
                    rc = EPV_ENOMEM;
                    goto done;
                }
            }
        }
        if (g && !OGR_G_IsEmpty(g)) {
            OGRGeometryH gc = OGR_G_Clone(g);
            if (ct && OGR_G_Transform(gc, ct) != OGRERR_NONE) {
                OGR_G_DestroyGeometry(gc);
                rc = epv__error(ctx, EPV_EINVAL, "%s: feature %zu (FID %lld): geometry cannot be transformed to the rasters' CRS",
                                o->zones, row, (long long)OGR_F_GetFID(f));
                OGR_F_Destroy(f);
                goto done;
            }
            size_t gcap = s->ngeoms;
            OGRGeometryH *ng = epv__realloc(ctx, s->geoms, (gcap + 1) * sizeof *ng);
            if (ng) s->geoms = ng;
            OGREnvelope *ne = ng ? epv__realloc(ctx, s->env, (gcap + 1) * sizeof *ne) : NULL;
            if (ne) s->env = ne;
            double *nb = ne ? epv__realloc(ctx, s->burn, (gcap + 1) * sizeof *nb) : NULL;
            if (!nb) { OGR_G_DestroyGeometry(gc); OGR_F_Destroy(f); rc = EPV_ENOMEM; goto done; }
            s->burn = nb;
            s->geoms[gcap] = gc;
            OGR_G_GetEnvelope(gc, &s->env[gcap]);
            s->burn[gcap] = (double)(k + 1);
            s->ngeoms++;
        }
        OGR_F_Destroy(f);
    }
    if (s->nreg == 0) rc = epv__error(ctx, EPV_EINVAL, "%s: layer %s has no features", o->zones, OGR_L_GetName(lyr));
    /* a parent code may not also be a region code (the account's regions form a tree) */
    for (size_t k = 0; rc == EPV_OK && pf && k < s->nreg; k++)
        for (size_t m = 0; m < s->nreg; m++)
            if (!strcmp(s->reg_parent[k], s->reg_code[m])) {
                rc = epv__error(ctx, EPV_EINVAL, "%s: field '%s': parent '%s' of region '%s' is itself a region of the layer",
                                o->zones, pf, s->reg_parent[k], s->reg_code[k]);
                break;
            }
done:
    epv__free(ctx, htab);
    if (ct) OCTDestroyCoordinateTransformation(ct);
    if (dst) OSRDestroySpatialReference(dst);
    GDALClose(ds);
    return rc;
}

/* ---------------------------------------------------------------- tiles */

/* n cells of type t to double: exact for these types, as GDAL's conversion is, in loops the
 * compiler vectorises (GDAL's own converts Float32 one value at a time). */
SP_CLONES static void to_double(const void *src, GDALDataType t, size_t n, double *dst)
{
    switch (t) {
    case GDT_Byte: for (size_t i = 0; i < n; i++) dst[i] = ((const uint8_t *)src)[i]; break;
    case GDT_UInt16: for (size_t i = 0; i < n; i++) dst[i] = ((const uint16_t *)src)[i]; break;
    case GDT_Int16: for (size_t i = 0; i < n; i++) dst[i] = ((const int16_t *)src)[i]; break;
    case GDT_UInt32: for (size_t i = 0; i < n; i++) dst[i] = ((const uint32_t *)src)[i]; break;
    case GDT_Int32: for (size_t i = 0; i < n; i++) dst[i] = ((const int32_t *)src)[i]; break;
    case GDT_Float32: for (size_t i = 0; i < n; i++) dst[i] = ((const float *)src)[i]; break;
    case GDT_Float64: memcpy(dst, src, n * sizeof *dst); break;
    default:
        GDALCopyWords64(src, t, GDALGetDataTypeSizeBytes(t), dst, GDT_Float64, (int)sizeof(double), (GPtrDiff_t)n);
    }
}

static int read_window(sp_worker *wk, sp_run *s, int i, size_t r0, size_t c0, size_t h, size_t w, double *buf)
{
    GDALRasterBandH b = GDALGetRasterBand(wk->ds[i], 1);
    CPLErrorReset();
    if (GDALRasterIO(b, GF_Read, (int)c0, (int)r0, (int)w, (int)h, buf, (int)w, (int)h, GDT_Float64, 0, 0) != CE_None)
        return gdal_error(&wk->wctx, EPV_EIO, "cannot read", s->path[i]);
    return EPV_OK;
}

/* How many of the n values are neither nodata nor finite and >= lo (branch-free, so that
 * it vectorises; clean() runs its cell loop for the message only when this is not 0). */
SP_CLONES static size_t clean_count(const double *v, size_t n, int hn, double nd, double lo)
{
    /* finite and >= lo: lo2 <= x <= DBL_MAX, with lo2 = lo or -DBL_MAX for lo = -inf */
    const double lo2 = lo > -DBL_MAX ? lo : -DBL_MAX, hi = DBL_MAX;
    size_t bad = 0;
    if (!hn)
        for (size_t i = 0; i < n; i++) bad += v[i] >= lo2 && v[i] <= hi ? 0 : 1;
    else if (isnan(nd))
        for (size_t i = 0; i < n; i++) bad += isnan(v[i]) || (v[i] >= lo2 && v[i] <= hi) ? 0 : 1;
    else
        for (size_t i = 0; i < n; i++) bad += v[i] == nd || (v[i] >= lo2 && v[i] <= hi) ? 0 : 1;
    return bad;
}

SP_CLONES static void clean_nodata(double *v, size_t n, double nd)
{
    int ndnan = isnan(nd);
    for (size_t i = 0; i < n; i++) {
        double x = v[i];
        v[i] = (x == nd) | (ndnan & isnan(x)) ? NAN : x;
    }
}

/* Is the tile at (r0, c0) of h x w one block of raster i, read with GDALReadBlock? */
static int tile_direct(const sp_run *s, int i, size_t r0, size_t c0, size_t h, size_t w)
{
    return s->direct[i] && r0 % s->tr == 0 && c0 % s->tc == 0 && (h == s->tr || r0 + h == s->ny) &&
           (w == s->tc || c0 + w == s->nx);
}

static int clean(sp_worker *wk, sp_run *s, int i, double *v, size_t h, size_t w, size_t r0, size_t c0);

/* Input i of a direct tile: the block in the file's type into in[i] (which holds a tile of
 * doubles, so any type of 8 bytes or less), then checked row by row as clean() checks. The
 * rows are converted again where they are used: a row of doubles stays in the cache, a tile
 * of them would not. */
static int read_native(sp_worker *wk, sp_run *s, int i, size_t r0, size_t c0, size_t h, size_t w)
{
    GDALRasterBandH b = GDALGetRasterBand(wk->ds[i], 1);
    CPLErrorReset();
    if (GDALReadBlock(b, (int)(c0 / s->tc), (int)(r0 / s->tr), wk->in[i]) != CE_None)
        return gdal_error(&wk->wctx, EPV_EIO, "cannot read", s->path[i]);
    size_t sz = (size_t)GDALGetDataTypeSizeBytes(s->dtype[i]), bad = 0;
    for (size_t r = 0; r < h; r++) {
        to_double((const char *)wk->in[i] + r * s->tc * sz, s->dtype[i], w, wk->rin[i]);
        bad += clean_count(wk->rin[i], w, s->has_nodata[i], s->nodata[i], in_min[i]);
    }
    if (bad) { /* the message, from the whole tile as doubles */
        for (size_t r = 0; r < h; r++)
            to_double((const char *)wk->in[i] + r * s->tc * sz, s->dtype[i], w, wk->scratch + r * w);
        int rc = clean(wk, s, i, wk->scratch, h, w, r0, c0);
        if (rc) return rc;
    }
    wk->native[i] = 1;
    return EPV_OK;
}

/* Row r (of w cells) of input i of the tile, as checked doubles with nodata NaN. */
static const double *input_row(sp_worker *wk, const sp_run *s, int i, size_t r, size_t w)
{
    if (!wk->native[i]) return wk->in[i] + r * w;
    size_t sz = (size_t)GDALGetDataTypeSizeBytes(s->dtype[i]);
    to_double((const char *)wk->in[i] + r * s->tc * sz, s->dtype[i], w, wk->rin[i]);
    if (s->has_nodata[i]) clean_nodata(wk->rin[i], w, s->nodata[i]);
    return wk->rin[i];
}

/* Map nodata to NaN; refuse NaN that is not nodata and values below the input's minimum. */
static int clean(sp_worker *wk, sp_run *s, int i, double *v, size_t h, size_t w, size_t r0, size_t c0)
{
    int hn = s->has_nodata[i];
    double nd = s->nodata[i], lo = in_min[i];
    if (clean_count(v, h * w, hn, nd, lo) == 0) {
        if (hn) clean_nodata(v, h * w, nd);
        return EPV_OK;
    }
    for (size_t r = 0; r < h; r++)
        for (size_t c = 0; c < w; c++) {
            double x = v[r * w + c];
            if (hn && (x == nd || (isnan(nd) && isnan(x)))) {
                v[r * w + c] = NAN;
                continue;
            }
            if (!isfinite(x) || x < lo)
                return epv__error(&wk->wctx, EPV_ERANGE, "%s (%s): pixel row %zu, column %zu: value %g is %s", s->path[i],
                                  in_field[i], r0 + r, c0 + c, x, isfinite(x) ? "negative" : "not a number (and not nodata)");
        }
    return EPV_OK;
}

static int rasterize(sp_worker *wk, sp_run *s, size_t r0, size_t c0, size_t h, size_t w)
{
    int32_t *z = wk->zone;
    memset(z, 0, h * w * sizeof *z);
    double x0 = s->gt[0] + (double)c0 * s->gt[1], x1 = x0 + (double)w * s->gt[1];
    double y0 = s->gt[3] + (double)r0 * s->gt[5], y1 = y0 + (double)h * s->gt[5];
    size_t ng = 0;
    OGRGeometryH *sel = wk->geoms + s->ngeoms; /* second half of the array: the tile's selection */
    double *burn = (double *)(sel + s->ngeoms);
    for (size_t k = 0; k < s->ngeoms; k++) {
        const OGREnvelope *e = &s->env[k];
        if (e->MaxX < x0 || e->MinX > x1 || e->MaxY < y1 || e->MinY > y0) continue;
        sel[ng] = wk->geoms[k];
        burn[ng++] = s->burn[k];
    }
    if (ng == 0) return EPV_OK;
    /* one in-memory raster per worker for full tiles, a temporary one for the grid's edges */
    int full = h == s->tr && w == s->tc;
    GDALDatasetH md = full ? wk->mem : NULL;
    if (!md) md = GDALCreate(GDALGetDriverByName("MEM"), "", (int)w, (int)h, 1, GDT_Int32, NULL);
    if (!md) return gdal_error(&wk->wctx, EPV_EIO, "cannot create an in-memory raster", "zones");
    if (full) {
        /* clear it by writing the zeroed zone buffer: the MEM driver copies that directly,
         * where GDALFillRaster would go through the block cache */
        wk->mem = md;
        if (GDALRasterIO(GDALGetRasterBand(md, 1), GF_Write, 0, 0, (int)w, (int)h, z, (int)w, (int)h, GDT_Int32, 0, 0) !=
            CE_None)
            return gdal_error(&wk->wctx, EPV_EIO, "cannot clear an in-memory raster", "zones");
    }
    double tgt[6] = { x0, s->gt[1], 0, y0, 0, s->gt[5] };
    GDALSetGeoTransform(md, tgt);
    int band = 1;
    CPLErrorReset();
    CPLErr e = GDALRasterizeGeometries(md, 1, &band, (int)ng, sel, NULL, NULL, burn, NULL, NULL, NULL);
    if (e == CE_None)
        e = GDALRasterIO(GDALGetRasterBand(md, 1), GF_Read, 0, 0, (int)w, (int)h, z, (int)w, (int)h, GDT_Int32, 0, 0);
    if (!full) GDALClose(md);
    if (e != CE_None) return gdal_error(&wk->wctx, EPV_EIO, "cannot rasterise the regions", s->o->zones);
    return EPV_OK;
}

/* Block (bx, by) of the DEM from the worker's cache, read on a miss into the least
 * recently used slot, in the file's type (row length tile_cols). Values are raw: clean()
 * runs on the window, as for a direct read. */
static int dem_block(sp_worker *wk, sp_run *s, long bx, long by, const void **v)
{
    int u = 0;
    for (int k = 0; k < SP_DEM_SLOTS; k++) {
        if (wk->dslot[k].bx == bx && wk->dslot[k].by == by) {
            wk->dslot[k].stamp = ++wk->dclock;
            *v = wk->dblk + (size_t)k * s->tr * s->tc * (size_t)GDALGetDataTypeSizeBytes(s->dtype[IN_DEM]);
            return EPV_OK;
        }
        if (wk->dslot[k].stamp < wk->dslot[u].stamp) u = k;
    }
    char *buf = wk->dblk + (size_t)u * s->tr * s->tc * (size_t)GDALGetDataTypeSizeBytes(s->dtype[IN_DEM]);
    wk->dslot[u].bx = -1; /* until read */
    CPLErrorReset();
    if (GDALReadBlock(GDALGetRasterBand(wk->ds[IN_DEM], 1), (int)bx, (int)by, buf) != CE_None)
        return gdal_error(&wk->wctx, EPV_EIO, "cannot read", s->path[IN_DEM]);
    wk->dslot[u].bx = bx, wk->dslot[u].by = by;
    wk->dslot[u].stamp = ++wk->dclock;
    *v = buf;
    return EPV_OK;
}

/* The DEM window rows [r0, r0 + h) x columns [c0, c0 + w) into out (row length w): from
 * the cached blocks when they are the tiles, else one read through GDAL. */
static int dem_window(sp_worker *wk, sp_run *s, size_t r0, size_t c0, size_t h, size_t w, double *out)
{
    if (!s->dem_blocks) return read_window(wk, s, IN_DEM, r0, c0, h, w, out);
    for (size_t by = r0 / s->tr; by * s->tr < r0 + h; by++)
        for (size_t bx = c0 / s->tc; bx * s->tc < c0 + w; bx++) {
            const void *v = NULL;
            size_t sz = (size_t)GDALGetDataTypeSizeBytes(s->dtype[IN_DEM]);
            int rc = dem_block(wk, s, (long)bx, (long)by, &v);
            if (rc) return rc;
            size_t y0 = by * s->tr > r0 ? by * s->tr : r0, y1 = (by + 1) * s->tr < r0 + h ? (by + 1) * s->tr : r0 + h;
            size_t x0 = bx * s->tc > c0 ? bx * s->tc : c0, x1 = (bx + 1) * s->tc < c0 + w ? (bx + 1) * s->tc : c0 + w;
            for (size_t y = y0; y < y1; y++)
                to_double((const char *)v + ((y - by * s->tr) * s->tc + (x0 - bx * s->tc)) * sz, s->dtype[IN_DEM], x1 - x0,
                          out + (y - r0) * w + (x0 - c0));
        }
    return EPV_OK;
}

/* The inputs of the models need no per-cell check here, unlike in the public array
 * functions: clean() has refused negative and non-finite raster values, the table's factors
 * were read within their ranges (runoff coefficients and C, P in 0..1, so R = P x coef <= P),
 * the marsh's natural water is at most its saturated water, the areas are computed. Only the
 * LS factor is new: an absurd DEM (slopes beyond 1e154) could make it negative. services_row()
 * counts such cells; for a tile that has any, this gives the message
 * epv_gep_model_soil_retention() gives: first cell without NaN arguments. */
static int check_ls(const sp_run *s, sp_worker *wk, size_t r0, size_t c0, size_t h, size_t w)
{
    const double *ls = wk->col[EPV_SPATIAL_LS];
    for (size_t r = 0; r < h; r++) {
        const double *rr = input_row(wk, s, IN_R, r, w);
        for (size_t c = 0; c < w; c++) {
            size_t i = r * w + c;
            if (wk->cls[i] < 0 || isnan(rr[c]) || isnan(ls[i]) || !(ls[i] < 0 || isinf(ls[i]))) continue;
            const double *kk = input_row(wk, s, IN_K, r, w);
            if (isnan(kk[c])) continue;
            epv__error(&wk->wctx, EPV_ERANGE, "epv_gep_model_soil_retention: ls[%zu] = %g %s", i, ls[i],
                       isinf(ls[i]) ? "is not finite" : "is negative");
            epv__error_prefix(&wk->wctx, "tile at pixel row %zu, column %zu (%zu x %zu)", r0, c0, h, w);
            return EPV_ERANGE;
        }
    }
    return EPV_OK;
}

/* Every computed service of the w pixels of grid row `grow` (offset `off` in the tile's
 * buffers; in[i]: the row of input i) into out[col][0 .. w), with the per-cell kernels the public model functions use
 * (gep_model_int.h): the same arithmetic, so a run gives the values those functions give.
 * Returns how many LS values are negative or infinite (see check_ls()). */
SP_CLONES static size_t services_row(const sp_run *s, sp_worker *wk, size_t grow, size_t off, size_t w,
                                     const double *const *in, double *const *out)
{
    const int32_t *cls = wk->cls + off;
    const double am2 = s->row_area[grow], aha = am2 * 1e-4;
    size_t badls = 0;
    if (!(am2 == wk->kv_am2)) {
        /* the same kernels as below, once per class instead of once per pixel */
        for (size_t k = 0; k < s->ncls; k++) {
            double cb = epv__gm_carbon(s->nep[k], aha);
            wk->kv_co2[k] = epv__gm_co2(cb);
            wk->kv_o2[k] = epv__gm_o2(cb);
            wk->kv_tr[k] = s->tr_days > 0 ? epv__gm_climate_transpiration(s->epp[k], am2, s->tr_days, s->o->eer) : NAN;
            wk->kv_marsh[k] = s->marsh_j >= 0 ? epv__gm_flood_marsh(s->cls_eco[k] == s->marsh_j ? am2 : NAN, s->marsh[0],
                                                                    s->marsh[1], s->marsh[2], s->marsh[3], s->marsh[4])
                                              : NAN;
        }
        wk->kv_am2 = am2;
    }
    double *pix = out[EPV_SPATIAL_PIXELS], *ha = out[EPV_SPATIAL_AREA_HA];
    for (size_t c = 0; c < w; c++) {
        int ok = cls[c] >= 0;
        pix[c] = ok ? 1.0 : NAN;
        ha[c] = ok ? aha : NAN;
    }
#define SP_CLASS(c) (cls[c] >= 0 ? (size_t)cls[c] : 0) /* a valid index; the value is unused when < 0 */
#define SP_AM2(c) (cls[c] >= 0 ? am2 : NAN)
#define SP_AHA(c) (cls[c] >= 0 ? aha : NAN)
    if (s->has[EPV_SPATIAL_WATER_CONSERVATION]) {
        const double *p = in[IN_P], *et = in[IN_ET], *coef = s->runoff_coef;
        double *o = out[EPV_SPATIAL_WATER_CONSERVATION];
        int floor0 = !s->o->keep_negative_water;
        for (size_t c = 0; c < w; c++) {
            double runoff = cls[c] >= 0 ? p[c] * coef[SP_CLASS(c)] : NAN;
            double v = epv__gm_water_conservation(p[c], runoff, et[c], SP_AM2(c));
            o[c] = floor0 && v < 0 ? 0 : v;
        }
    }
    if (s->has[EPV_SPATIAL_EVAPOTRANSPIRATION]) {
        const double *et = in[IN_ET];
        double *o = out[EPV_SPATIAL_EVAPOTRANSPIRATION];
        for (size_t c = 0; c < w; c++) o[c] = et[c] * 1e-3 * SP_AM2(c);
    }
    if (s->has[EPV_SPATIAL_SOIL_RETENTION]) {
        const double *rr = in[IN_R], *kk = in[IN_K], *ls = out[EPV_SPATIAL_LS];
        double *pot = out[EPV_SPATIAL_SOIL_POTENTIAL], *ret = out[EPV_SPATIAL_SOIL_RETENTION];
        for (size_t c = 0; c < w; c++) badls += ls[c] >= 0 && ls[c] <= DBL_MAX ? 0 : !isnan(ls[c]);
        for (size_t c = 0; c < w; c++) {
            int ok = cls[c] >= 0;
            double cf = ok ? s->usle_c[SP_CLASS(c)] : NAN, pf = ok ? s->usle_p[SP_CLASS(c)] : NAN, p0, a0;
            epv__gm_soil_retention(rr[c], kk[c], ls[c], cf, pf, SP_AHA(c), &p0, &a0);
            pot[c] = p0;
            ret[c] = p0 - a0;
        }
    }
    if (s->has[EPV_SPATIAL_CLIMATE_TRANSPIRATION]) {
        double *o = out[EPV_SPATIAL_CLIMATE_TRANSPIRATION];
        for (size_t c = 0; c < w; c++) o[c] = cls[c] >= 0 ? wk->kv_tr[SP_CLASS(c)] : NAN;
    }
    if (s->has[EPV_SPATIAL_FLOOD_VEGETATION]) {
        /* C_v = (P_h - R_f) x A x 1e-3 with R_f = P_h x storm_runoff_coef of the class */
        const double *ph = in[IN_STORM];
        double *o = out[EPV_SPATIAL_FLOOD_VEGETATION], *sp = out[EPV_SPATIAL_STORM_PRECIP];
        for (size_t c = 0; c < w; c++) {
            double rf = cls[c] >= 0 ? ph[c] * s->storm_coef[SP_CLASS(c)] : NAN;
            sp[c] = ph[c] * 1e-3 * SP_AM2(c);
            o[c] = epv__gm_flood_vegetation(ph[c], rf, SP_AM2(c));
        }
    }
    if (s->has[EPV_SPATIAL_FLOOD_MARSH]) {
        /* on the marsh ecosystem's pixels (others NaN) */
        double *o = out[EPV_SPATIAL_FLOOD_MARSH];
        for (size_t c = 0; c < w; c++) o[c] = cls[c] >= 0 ? wk->kv_marsh[SP_CLASS(c)] : NAN;
    }
    if (s->has[EPV_SPATIAL_CARBON_FIXATION]) {
        double *co2 = out[EPV_SPATIAL_CARBON_FIXATION], *o2 = out[EPV_SPATIAL_OXYGEN_RELEASE];
        if (s->used[IN_NEP]) {
            const double *nep = in[IN_NEP];
            for (size_t c = 0; c < w; c++) {
                double cb = epv__gm_carbon(nep[c], SP_AHA(c));
                co2[c] = epv__gm_co2(cb);
                o2[c] = epv__gm_o2(cb);
            }
        } else
            for (size_t c = 0; c < w; c++) {
                co2[c] = cls[c] >= 0 ? wk->kv_co2[SP_CLASS(c)] : NAN;
                o2[c] = cls[c] >= 0 ? wk->kv_o2[SP_CLASS(c)] : NAN;
            }
    }
#undef SP_CLASS
#undef SP_AM2
#undef SP_AHA
    return badls;
}

/* Add the row's pixels to the tile sums, in pixel order. Pixels of one table cell come in
 * runs (a region's width of a row): a run's sums are carried in registers, eight columns at
 * a time (independent additions that overlap), instead of through memory pixel by pixel. Adding 0 in place of a NaN pixel leaves
 * a sum as it was to the bit: a sum starting at +0 is never -0 (round to nearest). */
static void sums_row(const sp_run *s, sp_worker *wk, const int32_t *cell, size_t w, double *const *v)
{
    for (size_t c = 0; c < w;) {
        int32_t z = cell[c];
        size_t e = c + 1;
        while (e < w && cell[e] == z) e++;
        if (z >= 0) {
            double *part = wk->part + (size_t)z * EPV_SPATIAL_NCOLS;
            if (!wk->mark[z]) {
                wk->mark[z] = 1;
                wk->touched[wk->ntouched++] = (uint32_t)z;
            }
            for (int b = 0; b < s->nsum; b += 8) {
                double dummy[8], *dst[8], acc[8];
                const double *x[8];
                for (int j = 0; j < 8; j++) {
                    int ok = b + j < s->nsum;
                    dst[j] = ok ? part + s->sumcol[b + j] : &dummy[j];
                    x[j] = ok ? v[s->sumcol[b + j]] : wk->zeros;
                    acc[j] = ok ? *dst[j] : 0.0;
                }
                /* eight named sums, so that they stay in registers */
                double a0 = acc[0], a1 = acc[1], a2 = acc[2], a3 = acc[3], a4 = acc[4], a5 = acc[5], a6 = acc[6],
                       a7 = acc[7];
                const double *x0 = x[0], *x1 = x[1], *x2 = x[2], *x3 = x[3], *x4 = x[4], *x5 = x[5], *x6 = x[6],
                             *x7 = x[7];
#define SP_ADD(a, xs) a += isnan(xs[k]) ? 0.0 : xs[k]
                for (size_t k = c; k < e; k++) {
                    SP_ADD(a0, x0);
                    SP_ADD(a1, x1);
                    SP_ADD(a2, x2);
                    SP_ADD(a3, x3);
                    SP_ADD(a4, x4);
                    SP_ADD(a5, x5);
                    SP_ADD(a6, x6);
                    SP_ADD(a7, x7);
                }
#undef SP_ADD
                *dst[0] = a0, *dst[1] = a1, *dst[2] = a2, *dst[3] = a3;
                *dst[4] = a4, *dst[5] = a5, *dst[6] = a6, *dst[7] = a7;
            }
        }
        c = e;
    }
}

static int compute_tile(sp_run *s, sp_worker *wk, size_t t)
{
    epv_ctx *ctx = &wk->wctx;
    size_t ty = t / s->ntx, tx = t % s->ntx;
    size_t r0 = ty * s->tr, c0 = tx * s->tc;
    size_t h = r0 + s->tr > s->ny ? s->ny - r0 : s->tr, w = c0 + s->tc > s->nx ? s->nx - c0 : s->tc, n = h * w;
    wk->tile = t, wk->h = h, wk->w = w, wk->r0 = r0, wk->c0 = c0;
    int rc;
    wk->native[IN_LC] = tile_direct(s, IN_LC, r0, c0, h, w);
    if (wk->native[IN_LC]) {
        CPLErrorReset();
        if (GDALReadBlock(GDALGetRasterBand(wk->ds[IN_LC], 1), (int)(c0 / s->tc), (int)(r0 / s->tr), wk->lc) != CE_None)
            return gdal_error(ctx, EPV_EIO, "cannot read", s->path[IN_LC]);
    } else if ((rc = read_window(wk, s, IN_LC, r0, c0, h, w, wk->lc)))
        return rc;
    for (int i = IN_P; i < NIN; i++) {
        wk->native[i] = 0;
        if (!s->used[i]) continue;
        if (tile_direct(s, i, r0, c0, h, w)) rc = read_native(wk, s, i, r0, c0, h, w);
        else if (!(rc = read_window(wk, s, i, r0, c0, h, w, wk->in[i])))
            rc = clean(wk, s, i, wk->in[i], h, w, r0, c0);
        if (rc) return rc;
    }
    if ((rc = rasterize(wk, s, r0, c0, h, w))) return rc;
    /* classes and areas */
    int hn = s->has_nodata[IN_LC];
    double nd = s->nodata[IN_LC];
    double last_x = NAN; /* land cover comes in runs: reuse the class of the previous known code */
    int last_k = -1;
    for (size_t r = 0; r < h; r++) {
        const double *lcr = wk->lc + r * w;
        if (wk->native[IN_LC]) {
            size_t sz = (size_t)GDALGetDataTypeSizeBytes(s->dtype[IN_LC]);
            to_double((const char *)wk->lc + r * s->tc * sz, s->dtype[IN_LC], w, wk->rin[IN_LC]);
            lcr = wk->rin[IN_LC];
        }
        for (size_t c = 0; c < w; c++) {
            size_t i = r * w + c;
            double x = lcr[c];
            int k = -1;
            if (x == last_x) {
                k = last_k;
            } else if (!(hn && (x == nd || (isnan(nd) && isnan(x))))) {
                if (!isfinite(x) || x != floor(x) || fabs(x) > 2147483647.0)
                    return epv__error(ctx, EPV_ERANGE, "%s (landcover): pixel row %zu, column %zu: %g is not an integer code",
                                      s->path[IN_LC], r0 + r, c0 + c, x);
                k = class_of(s, (int64_t)x);
                if (k < 0) {
                    size_t u;
                    for (u = 0; u < wk->nunk; u++)
                        if (wk->unk[u] == (int64_t)x) break;
                    if (u == wk->nunk && wk->nunk < UNK_MAX) wk->unk[wk->nunk++] = (int64_t)x;
                    if (!wk->unk_any) wk->unk_any = 1, wk->unk_row = r0 + r, wk->unk_col = c0 + c;
                } else {
                    last_x = x;
                    last_k = k;
                }
            }
            wk->cls[i] = k;
        }
    }
    if (wk->unk_any) return EPV_OK; /* reported after the whole grid was seen */
    double *const *col = wk->col;
    if (s->has[EPV_SPATIAL_SOIL_RETENTION] && s->ls_grid) {
        for (size_t r = 0; r < h; r++)
            memcpy(col[EPV_SPATIAL_LS] + r * w, s->ls_grid + (r0 + r) * s->nx + c0, w * sizeof(double));
    } else if (s->has[EPV_SPATIAL_SOIL_RETENTION]) {
        /* DEM window with a one-cell halo, edges replicated */
        size_t hr0 = r0 ? r0 - 1 : 0, hr1 = r0 + h < s->ny ? r0 + h + 1 : s->ny;
        size_t hc0 = c0 ? c0 - 1 : 0, hc1 = c0 + w < s->nx ? c0 + w + 1 : s->nx;
        size_t hh = hr1 - hr0, hw = hc1 - hc0, W = w + 2;
        double *tmp = wk->runoff; /* reused: (h + 2) x (w + 2) cells fit in cap */
        if ((rc = dem_window(wk, s, hr0, hc0, hh, hw, tmp)) ||
            (rc = clean(wk, s, IN_DEM, tmp, hh, hw, hr0, hc0)))
            return rc;
        for (size_t r = 0; r < h + 2; r++) {
            long gr = (long)r0 + (long)r - 1;
            if (gr >= (long)hr0 && gr < (long)hr1) {
                /* a row of the window: copy the cells it holds, extrapolate only beyond the grid */
                size_t cin0 = c0 ? 0 : 1, cin1 = c0 + w < s->nx ? W : W - 1;
                memcpy(wk->dem + r * W + cin0, tmp + (size_t)(gr - (long)hr0) * hw, (cin1 - cin0) * sizeof(double));
                if (cin0)
                    wk->dem[r * W] = epv__sp_dem_at(tmp, hw, (long)hr0, (long)hr1, (long)hc0, (long)hc1, gr, (long)c0 - 1);
                if (cin1 < W)
                    wk->dem[r * W + W - 1] = epv__sp_dem_at(tmp, hw, (long)hr0, (long)hr1, (long)hc0, (long)hc1, gr,
                                                            (long)(c0 + w));
                continue;
            }
            for (size_t c = 0; c < W; c++)
                wk->dem[r * W + c] = epv__sp_dem_at(tmp, hw, (long)hr0, (long)hr1, (long)hc0, (long)hc1, gr,
                                                    (long)c0 + (long)c - 1);
        }
        epv__sp_ls_window(h, w, wk->dem, s->row_dx + r0, s->dy, s->slope_len, col[EPV_SPATIAL_LS], wk->scratch);
    }
    /* each pixel's table cell in place of its zone (-1: not summed) */
    int32_t *cellv = wk->zone;
    for (size_t i = 0; i < n; i++) {
        int k = wk->cls[i];
        int32_t z = cellv[i];
        cellv[i] = k < 0 || z <= 0 ? -1 : (int32_t)((size_t)(z - 1) * s->neco + (size_t)s->cls_eco[k]);
    }
    /* row by row: the services of the row's pixels (into small row buffers, or into the
     * tile's columns when rasters are written), then their sums */
    size_t badls = 0;
    for (size_t r = 0; r < h; r++) {
        double *out[EPV_SPATIAL_NCOLS];
        for (int cc = 0; cc < EPV_SPATIAL_NCOLS; cc++)
            out[cc] = s->nout || cc == EPV_SPATIAL_LS ? wk->col[cc] + r * w : wk->row[cc];
        const double *inr[NIN] = { NULL };
        for (int i = IN_P; i < NIN; i++)
            if (s->used[i]) inr[i] = input_row(wk, s, i, r, w);
        badls += services_row(s, wk, r0 + r, r * w, w, inr, out);
        sums_row(s, wk, cellv + r * w, w, out);
    }
    return badls ? check_ls(s, wk, r0, c0, h, w) : EPV_OK;
}

/* A wave of tiles: with `dynamic` the workers take the next tile as they finish one (a
 * worker slowed down by the machine holds up no other), each tile's sums going to its slot;
 * without (a run that writes rasters, whose tile buffers are written after the wave), worker
 * w computes tile w of the wave. */
typedef struct {
    sp_run *s;
    size_t first, count;
    const size_t *tiles;
    int dynamic;
    atomic_size_t next;
    atomic_int failed;
} sp_wave;

/* Move the worker's tile sums into its slot and clear its table for the next tile. */
static int take_sums(sp_worker *wk, sp_slot *sl)
{
    if (wk->ntouched > sl->cap) {
        size_t cap = wk->ntouched + 64;
        uint32_t *c = epv__realloc(&wk->wctx, sl->cell, cap * sizeof *c);
        if (c) sl->cell = c;
        double *v = c ? epv__realloc(&wk->wctx, sl->val, cap * EPV_SPATIAL_NCOLS * sizeof *v) : NULL;
        if (!v) return EPV_ENOMEM;
        sl->val = v, sl->cap = cap;
    }
    sl->n = wk->ntouched;
    for (size_t k = 0; k < wk->ntouched; k++) {
        uint32_t cell = wk->touched[k];
        double *src = wk->part + (size_t)cell * EPV_SPATIAL_NCOLS;
        sl->cell[k] = cell;
        memcpy(sl->val + k * EPV_SPATIAL_NCOLS, src, EPV_SPATIAL_NCOLS * sizeof *src);
        memset(src, 0, EPV_SPATIAL_NCOLS * sizeof *src);
        wk->mark[cell] = 0;
    }
    wk->ntouched = 0;
    return EPV_OK;
}

static int wave_fn(size_t begin, size_t end, int worker, void *payload)
{
    sp_wave *wv = payload;
    sp_run *s = wv->s;
    sp_worker *wk = &s->wk[worker];
    for (size_t j = begin; j < end || wv->dynamic; j++) {
        size_t i = j;
        if (wv->dynamic) {
            if (atomic_load(&wv->failed)) break;
            i = atomic_fetch_add(&wv->next, 1);
            if (i >= wv->count) break;
        }
        sp_slot *sl = &s->slot[i];
        sl->worker = worker;
        int rc = compute_tile(s, wk, wv->tiles[wv->first + i]);
        /* drop the tile's blocks from GDAL's cache: each block is read once (the DEM's halo
         * rows twice), so caching them would only make memory grow with the raster */
        for (int k = 0; k < NIN; k++)
            if (wk->ds[k]) GDALFlushRasterCache(GDALGetRasterBand(wk->ds[k], 1));
        if (rc == EPV_OK) rc = take_sums(wk, sl);
        sl->rc = rc;
        if (rc) {
            atomic_store(&wv->failed, 1);
            return rc;
        }
    }
    return EPV_OK;
}

/* ---------------------------------------------------------------- run */

static void worker_free(sp_run *s, sp_worker *wk)
{
    for (int i = 0; i < NIN; i++)
        if (wk->ds[i]) GDALClose(wk->ds[i]);
    if (wk->mem) GDALClose(wk->mem);
    if (wk->geoms)
        for (size_t k = 0; k < s->ngeoms; k++)
            if (wk->geoms[k]) OGR_G_DestroyGeometry(wk->geoms[k]);
    epv__free(s->ctx, wk->geoms);
    epv__free(s->ctx, wk->lc);
    epv__free(s->ctx, wk->dblk);
}

static int worker_init(sp_run *s, sp_worker *wk)
{
    epv_ctx *ctx = s->ctx;
    wk->wctx = *ctx;
    wk->wctx.progress = NULL;
    wk->wctx.errmsg[0] = 0;
    wk->wctx.errcode = 0;
    for (int i = 0; i < NIN; i++) {
        if (!s->used[i]) continue;
        wk->ds[i] = GDALOpenEx(s->path[i], GDAL_OF_RASTER | GDAL_OF_READONLY, NULL, NULL, NULL);
        if (!wk->ds[i]) return gdal_error(ctx, EPV_EIO, "cannot open raster", s->path[i]);
    }
    /* region geometries (own copies) + room for a tile's selection and burn values */
    wk->geoms = epv__calloc(ctx, 3 * s->ngeoms + 1, sizeof(OGRGeometryH) > sizeof(double) ? sizeof(OGRGeometryH) : sizeof(double));
    if (!wk->geoms) return EPV_ENOMEM;
    for (size_t k = 0; k < s->ngeoms; k++)
        if (!(wk->geoms[k] = OGR_G_Clone(s->geoms[k]))) return EPV_ENOMEM;
    size_t cap = (s->tr + 2) * (s->tc + 2);
    wk->cap = cap;
    /* one slab: 25 double arrays of a tile, the row buffers, then the tile sums */
    size_t nd = 12 + EPV_SPATIAL_NCOLS, nrow = (EPV_SPATIAL_NCOLS + 1 + NIN) * s->tc + 4 * s->ncls;
    size_t ncell = s->ncell;
    size_t bytes = (nd * cap + nrow) * sizeof(double) + 2 * cap * sizeof(int32_t) +
                   ncell * EPV_SPATIAL_NCOLS * sizeof(double) + ncell * sizeof(uint32_t) + ncell;
    char *p = epv__calloc(ctx, 1, bytes);
    if (!p) return EPV_ENOMEM;
    double *d = (double *)p;
    wk->lc = d, d += cap;
    wk->dem = d, d += cap;
    wk->in[IN_P] = d, d += cap;
    wk->in[IN_ET] = d, d += cap;
    wk->in[IN_R] = d, d += cap;
    wk->in[IN_K] = d, d += cap;
    wk->in[IN_NEP] = d, d += cap;
    wk->in[IN_STORM] = d, d += cap;
    wk->runoff = d, d += cap;
    for (int c = 0; c < EPV_SPATIAL_NCOLS; c++) wk->col[c] = d, d += cap;
    wk->scratch = d, d += 3 * cap;
    for (int c = 0; c < EPV_SPATIAL_NCOLS; c++) wk->row[c] = d, d += s->tc;
    for (int i = 0; i < NIN; i++) wk->rin[i] = d, d += s->tc;
    wk->zeros = d, d += s->tc;
    wk->dblk = NULL;
    for (int k = 0; k < SP_DEM_SLOTS; k++) wk->dslot[k].bx = wk->dslot[k].by = -1;
    if (s->dem_blocks &&
        !(wk->dblk = epv__malloc(ctx, SP_DEM_SLOTS * s->tr * s->tc * (size_t)GDALGetDataTypeSizeBytes(s->dtype[IN_DEM]))))
        return EPV_ENOMEM;
    wk->kv_co2 = d, d += s->ncls;
    wk->kv_o2 = d, d += s->ncls;
    wk->kv_tr = d, d += s->ncls;
    wk->kv_marsh = d, d += s->ncls;
    wk->kv_am2 = NAN;
    wk->part = d, d += ncell * EPV_SPATIAL_NCOLS;
    wk->cls = (int32_t *)d;
    wk->zone = wk->cls + cap;
    wk->touched = (uint32_t *)(wk->zone + cap);
    wk->mark = (unsigned char *)(wk->touched + ncell);
    return EPV_OK;
}

static void run_free(sp_run *s)
{
    epv_ctx *ctx = s->ctx;
    if (s->wk)
        for (int w = 0; w < s->nworkers; w++) worker_free(s, &s->wk[w]);
    epv__free(ctx, s->wk);
    for (size_t k = 0; s->slot && k < s->nslot; k++) {
        epv__free(ctx, s->slot[k].cell);
        epv__free(ctx, s->slot[k].val);
    }
    epv__free(ctx, s->slot);
    for (size_t k = 0; k < s->ngeoms; k++) OGR_G_DestroyGeometry(s->geoms[k]);
    epv__free(ctx, s->geoms);
    epv__free(ctx, s->env);
    epv__free(ctx, s->burn);
    for (size_t k = 0; k < s->nreg; k++) {
        epv__free(ctx, s->reg_code[k]);
        epv__free(ctx, s->reg_name[k]);
    }
    epv__free(ctx, s->reg_code);
    epv__free(ctx, s->reg_name);
    for (size_t k = 0; s->reg_parent && s->reg_pname && k < s->nreg; k++) {
        epv__free(ctx, s->reg_parent[k]);
        epv__free(ctx, s->reg_pname[k]);
    }
    epv__free(ctx, s->reg_parent);
    epv__free(ctx, s->reg_pname);
    for (size_t k = 0; k < s->neco; k++) epv__free(ctx, s->eco[k]);
    epv__free(ctx, s->eco);
    epv__free(ctx, s->code);
    epv__free(ctx, s->runoff_coef);
    epv__free(ctx, s->usle_c);
    epv__free(ctx, s->usle_p);
    epv__free(ctx, s->nep);
    epv__free(ctx, s->epp);
    epv__free(ctx, s->storm_coef);
    epv__free(ctx, s->mdepth);
    epv__free(ctx, s->mbulk);
    epv__free(ctx, s->msat);
    epv__free(ctx, s->mnat);
    epv__free(ctx, s->msurf);
    epv__free(ctx, s->cls_eco);
    epv__free(ctx, s->lut);
    epv__free(ctx, s->row_area);
    epv__free(ctx, s->row_dx);
    epv__free(ctx, s->ls_grid);
    epv__free(ctx, s->srs_wkt);
}

/* Desmet & Govers LS over the whole DEM (held in memory), before the tiles. */
static int flow_ls(sp_run *s)
{
    epv_ctx *ctx = s->ctx;
    if (s->nx > SIZE_MAX / sizeof(double) / s->ny)
        return epv__error(ctx, EPV_ERANGE, "%s: grid too large", s->path[IN_DEM]);
    size_t n = s->nx * s->ny;
    double *dem = epv__malloc(ctx, n * sizeof *dem);
    if (!dem) return EPV_ENOMEM;
    GDALDatasetH ds = GDALOpenEx(s->path[IN_DEM], GDAL_OF_RASTER | GDAL_OF_READONLY, NULL, NULL, NULL);
    int rc = EPV_OK;
    CPLErrorReset();
    if (!ds || GDALRasterIO(GDALGetRasterBand(ds, 1), GF_Read, 0, 0, (int)s->nx, (int)s->ny, dem, (int)s->nx,
                            (int)s->ny, GDT_Float64, 0, 0) != CE_None)
        rc = gdal_error(ctx, EPV_EIO, "cannot read", s->path[IN_DEM]);
    if (ds) GDALClose(ds);
    for (size_t i = 0; rc == EPV_OK && i < n; i++) {
        double x = dem[i];
        if (s->has_nodata[IN_DEM] && (x == s->nodata[IN_DEM] || (isnan(x) && isnan(s->nodata[IN_DEM])))) dem[i] = NAN;
        else if (!isfinite(x))
            rc = epv__error(ctx, EPV_ERANGE, "%s (dem): pixel row %zu, column %zu: value %g is not a number (and not nodata)",
                            s->path[IN_DEM], i / s->nx, i % s->nx, x);
    }
    if (rc == EPV_OK && !(s->ls_grid = epv__malloc(ctx, n * sizeof(double)))) rc = EPV_ENOMEM;
    if (rc == EPV_OK)
        rc = epv_spatial_ls_desmet_govers(ctx, s->ny, s->nx, dem, s->row_dx[s->ny / 2], s->dy, s->ls_grid);
    epv__free(ctx, dem);
    if (rc == EPV_OK) rc = epv__progress(ctx, 0, "spatial: flow accumulation");
    return rc;
}

static int run_setup(epv_ctx *ctx, const epv_spatial_options *o, sp_run *s)
{
    int rc;
    if ((rc = epv__check_version(ctx, "epv_spatial_options", o, EPV_SPATIAL_OPTIONS_VERSION))) return rc;
    EPV__NEED(ctx, o->landcover, "opts->landcover");
    EPV__NEED(ctx, o->biophysical, "opts->biophysical");
    EPV__NEED(ctx, o->zones, "opts->zones");
    if (o->tile_rows < 3 || o->tile_cols < 3 || o->tile_rows > 16384 || o->tile_cols > 16384)
        return epv__error(ctx, EPV_ERANGE, "epv_spatial_options: tile %d x %d outside 3..16384", o->tile_rows,
                          o->tile_cols);
    s->storm_precip = o->version >= 2 ? o->storm_precip : NULL;
    s->tr_days = o->version >= 2 ? o->transpiration_days : 0;
    const char *marsh_eco = o->version >= 2 ? o->marsh_ecosystem : NULL;
    if (!(s->tr_days >= 0 && s->tr_days <= 366))
        return epv__error(ctx, EPV_ERANGE, "epv_spatial_options: transpiration_days %g outside 0..366", s->tr_days);
    if ((o->water_ecosystem || s->tr_days > 0) &&
        (!(o->latent_heat_kj_kg > 0) || !isfinite(o->latent_heat_kj_kg) || !(o->eer > 0) || !isfinite(o->eer)))
        return epv__error(ctx, EPV_ERANGE, "epv_spatial_options: latent_heat_kj_kg %g and eer %g must be positive",
                          o->latent_heat_kj_kg, o->eer);
    if (!(o->slope_length_m >= 0) || !isfinite(o->slope_length_m))
        return epv__error(ctx, EPV_ERANGE, "epv_spatial_options: slope_length_m %g is negative", o->slope_length_m);
    epv__sp_gdal_init();
    s->ctx = ctx;
    s->o = o;
    const char *p[NIN] = { o->landcover, o->dem, o->precip, o->et, o->erosivity, o->erodibility, o->nep,
                           s->storm_precip };
    for (int i = 0; i < NIN; i++) s->path[i] = p[i], s->used[i] = p[i] != NULL;
    s->has[EPV_SPATIAL_AREA_HA] = s->has[EPV_SPATIAL_PIXELS] = 1;
    s->has[EPV_SPATIAL_WATER_CONSERVATION] = o->precip && o->et;
    s->has[EPV_SPATIAL_EVAPOTRANSPIRATION] = o->et != NULL;
    s->has[EPV_SPATIAL_CLIMATE_TRANSPIRATION] = s->tr_days > 0;
    s->has[EPV_SPATIAL_FLOOD_VEGETATION] = s->has[EPV_SPATIAL_STORM_PRECIP] = s->storm_precip != NULL;
    s->has[EPV_SPATIAL_FLOOD_MARSH] = marsh_eco != NULL;
    s->has[EPV_SPATIAL_SOIL_RETENTION] = s->has[EPV_SPATIAL_SOIL_POTENTIAL] = s->has[EPV_SPATIAL_LS] =
        o->dem && o->erosivity && o->erodibility;
    if (!s->has[EPV_SPATIAL_SOIL_RETENTION]) s->used[IN_DEM] = s->used[IN_R] = s->used[IN_K] = 0;
    if (!s->has[EPV_SPATIAL_WATER_CONSERVATION]) s->used[IN_P] = 0;
    s->has[EPV_SPATIAL_CARBON_FIXATION] = s->has[EPV_SPATIAL_OXYGEN_RELEASE] = 1; /* raster or table column */
    if (!o->nep) {
        /* carbon from the table only when the column exists */
        epv__csv *c = NULL;
        size_t col;
        if ((rc = epv__csv_open_file(ctx, o->biophysical, NULL, &c))) return rc;
        rc = epv__csv_col(ctx, c, "nep_tc_ha", 0, &col);
        epv__csv_free(c);
        if (rc) return rc;
        s->has[EPV_SPATIAL_CARBON_FIXATION] = s->has[EPV_SPATIAL_OXYGEN_RELEASE] = col != SIZE_MAX;
    }
    if ((rc = open_grid(s)) || (rc = load_table(s)) || (rc = load_zones(s))) return rc;
    if (o->water_ecosystem) {
        size_t j;
        for (j = 0; j < s->neco; j++)
            if (!strcmp(s->eco[j], o->water_ecosystem)) break;
        if (j == s->neco)
            return epv__error(ctx, EPV_ENOTFOUND, "epv_spatial_options: water_ecosystem '%s' is not an ecosystem of %s",
                              o->water_ecosystem, o->ecosystem_table ? o->ecosystem_table : o->biophysical);
    }
    s->marsh_j = -1;
    if (s->has[EPV_SPATIAL_FLOOD_MARSH] && (rc = marsh_params(s))) return rc;
    if (o->ls_flow_accumulation && s->has[EPV_SPATIAL_SOIL_RETENTION] && (rc = flow_ls(s))) return rc;
    s->tr = (size_t)o->tile_rows;
    s->tc = (size_t)o->tile_cols;
    s->ntx = (s->nx + s->tc - 1) / s->tc;
    s->nty = (s->ny + s->tr - 1) / s->tr;
    s->ntiles = s->ntx * s->nty;
    /* A raster whose blocks are the tiles is read a block at a time into the worker's buffer
     * (no block cache, whose blocks would be allocated and dropped for every tile); only
     * single-band rasters, where reading a block decodes no other band. */
    for (int i = 0; i < NIN; i++)
        s->direct[i] = s->used[i] && (size_t)s->blk_x[i] == s->tc && (size_t)s->blk_y[i] == s->tr && s->nbands[i] == 1 &&
                       !GDALDataTypeIsComplex(s->dtype[i]) && GDALGetDataTypeSizeBytes(s->dtype[i]) <= 8;
    s->dem_blocks = s->has[EPV_SPATIAL_SOIL_RETENTION] && !s->ls_grid && s->direct[IN_DEM];
    s->ngroups = (s->ntiles + EPV_SPATIAL_GROUP_TILES - 1) / EPV_SPATIAL_GROUP_TILES;
    if (s->nreg > INT32_MAX / (s->neco + 1)) return epv__error(ctx, EPV_ERANGE, "too many regions x ecosystems");
    s->ncell = s->nreg * s->neco;
    for (int c = 0; c < EPV_SPATIAL_NCOLS; c++)
        if (s->has[c] && c != EPV_SPATIAL_LS) s->sumcol[s->nsum++] = c;
    return EPV_OK;
}

static int make_result(sp_run *s, epv_spatial_result **out)
{
    int rc = epv__sp_result_new(s->ctx, s->nreg, s->reg_code, s->reg_name, s->neco, s->eco, out);
    if (rc) return rc;
    memcpy((*out)->has, s->has, sizeof s->has);
    if (s->reg_parent && (rc = epv__sp_result_set_parents(s->ctx, *out, s->reg_parent, s->reg_pname))) return rc;
    (*out)->ngroups_total = s->ngroups;
    if (s->o->water_ecosystem && s->has[EPV_SPATIAL_EVAPOTRANSPIRATION]) {
        if (!((*out)->water_eco = epv__strdup(s->ctx, s->o->water_ecosystem))) return EPV_ENOMEM;
        (*out)->latent_heat = s->o->latent_heat_kj_kg;
        (*out)->eer = s->o->eer;
    }
    if (s->has[EPV_SPATIAL_FLOOD_MARSH]) {
        if (!((*out)->marsh_eco = epv__strdup(s->ctx, s->eco[s->marsh_j]))) return EPV_ENOMEM;
        memcpy((*out)->marsh, s->marsh, sizeof s->marsh);
    }
    if (s->has[EPV_SPATIAL_CLIMATE_TRANSPIRATION]) {
        (*out)->days = s->tr_days;
        (*out)->eer = s->o->eer;
    }
    (*out)->nrows = s->ny;
    (*out)->ncols = s->nx;
    return EPV_OK;
}

static int unknown_codes(sp_run *s)
{
    int64_t all[UNK_MAX];
    size_t n = 0, row = SIZE_MAX, colm = 0;
    for (int w = 0; w < s->nworkers; w++) {
        sp_worker *wk = &s->wk[w];
        if (!wk->unk_any) continue;
        if (wk->unk_row < row || (wk->unk_row == row && wk->unk_col < colm)) row = wk->unk_row, colm = wk->unk_col;
        for (size_t u = 0; u < wk->nunk; u++) {
            size_t v;
            for (v = 0; v < n; v++)
                if (all[v] == wk->unk[u]) break;
            if (v == n && n < UNK_MAX) all[n++] = wk->unk[u];
        }
    }
    if (n == 0) return EPV_OK;
    qsort(all, n, sizeof *all, cmp_i64);
    char list[400] = "";
    size_t len = 0;
    for (size_t v = 0; v < n && len < sizeof list - 24; v++)
        len += (size_t)snprintf(list + len, sizeof list - len, "%s%lld", v ? ", " : "", (long long)all[v]);
    return epv__error(s->ctx, EPV_ENOTFOUND,
                      "%s (landcover): land-cover codes absent from %s (column 'lucode'): %s%s (first at pixel row %zu, column %zu)",
                      s->path[IN_LC], s->o->biophysical, list, n == UNK_MAX ? ", ..." : "", row, colm);
}

/* Process the tiles of groups [g0, g1): sums into res (whole total, and kept groups when
 * keep), per-pixel outputs into s->ods. */
static int run_tiles(sp_run *s, size_t g0, size_t g1, epv_spatial_result *res, int keep)
{
    epv_ctx *ctx = s->ctx;
    size_t t0 = g0 * EPV_SPATIAL_GROUP_TILES, t1 = g1 * EPV_SPATIAL_GROUP_TILES;
    if (t1 > s->ntiles) t1 = s->ntiles;
    if (t0 > t1) t0 = t1;
    size_t ntl = t1 - t0, ncell = s->ncell;
    int rc = EPV_OK;
    size_t *tiles = epv__malloc(ctx, (ntl + 1) * sizeof *tiles);
    double *gacc = epv__calloc(ctx, ncell * EPV_SPATIAL_NCOLS + 1, sizeof *gacc);
    uint32_t *gtouch = epv__malloc(ctx, (ncell + 1) * sizeof *gtouch);
    unsigned char *gmark = epv__calloc(ctx, ncell + 1, 1);
    if (!tiles || !gacc || !gtouch || !gmark) { rc = EPV_ENOMEM; goto done; }
    for (size_t i = 0; i < ntl; i++) tiles[i] = t0 + i;
    size_t ngt = 0;
    int nw = s->nworkers;
    size_t wave = s->nslot;
    for (size_t first = 0; first < ntl && rc == EPV_OK; first += wave) {
        size_t cnt = ntl - first < wave ? ntl - first : wave;
        sp_wave wv = { s, first, cnt, tiles, nw > 1 && s->nout == 0, 0, 0 };
        for (size_t i = 0; i < cnt; i++) s->slot[i].rc = 1; /* not computed (codes are <= 0) */
        rc = epv__parallel_for(ctx, wv.dynamic ? (size_t)nw : cnt, nw, wave_fn, &wv);
        if (rc) {
            /* the first failed tile of the wave (every tile before it was computed) */
            for (size_t i = 0; i < cnt; i++)
                if (s->slot[i].rc < 0) {
                    epv_ctx *wc = &s->wk[s->slot[i].worker].wctx;
                    epv__error(ctx, wc->errcode ? wc->errcode : s->slot[i].rc, "%s", wc->errmsg);
                    break;
                }
            break;
        }
        /* commit in tile order */
        for (size_t w = 0; w < cnt; w++) {
            const sp_slot *sl = &s->slot[w];
            sp_worker *wk = &s->wk[sl->worker];
            size_t t = tiles[first + w];
            for (size_t k = 0; k < sl->n; k++) {
                uint32_t cell = sl->cell[k];
                const double *src = sl->val + k * EPV_SPATIAL_NCOLS;
                double *dst = gacc + (size_t)cell * EPV_SPATIAL_NCOLS;
                for (int c = 0; c < EPV_SPATIAL_NCOLS; c++) dst[c] += src[c];
                if (!gmark[cell]) gmark[cell] = 1, gtouch[ngt++] = cell;
            }
            for (size_t k = 0; k < s->nout; k++) {
                GDALRasterBandH ob = GDALGetRasterBand(s->ods[k], 1);
                if (GDALRasterIO(ob, GF_Write, (int)wk->c0, (int)wk->r0, (int)wk->w, (int)wk->h, wk->col[s->ocols[k]],
                                 (int)wk->w, (int)wk->h, GDT_Float64, 0, 0) != CE_None) {
                    rc = gdal_error(ctx, EPV_EIO, "cannot write", "output raster");
                    goto done;
                }
                GDALFlushRasterCache(ob);
            }
            /* a group ends: add it to the total (and keep it) */
            if ((t + 1) % EPV_SPATIAL_GROUP_TILES == 0 || t + 1 == s->ntiles) {
                if (res) {
                    if (keep) {
                        epv__sp_group *g = &res->groups[res->ngroups];
                        g->id = t / EPV_SPATIAL_GROUP_TILES;
                        g->ncells = ngt;
                        g->cell = epv__malloc(ctx, (ngt + 1) * sizeof *g->cell);
                        g->val = epv__malloc(ctx, (ngt + 1) * EPV_SPATIAL_NCOLS * sizeof *g->val);
                        if (!g->cell || !g->val) {
                            epv__free(ctx, g->cell);
                            epv__free(ctx, g->val);
                            rc = EPV_ENOMEM;
                            goto done;
                        }
                        res->ngroups++;
                    }
                    for (size_t k = 0; k < ngt; k++) {
                        uint32_t cell = gtouch[k];
                        double *v = gacc + (size_t)cell * EPV_SPATIAL_NCOLS;
                        for (int c = 0; c < EPV_SPATIAL_NCOLS; c++) res->total[(size_t)c * ncell + cell] += v[c];
                        if (keep) {
                            epv__sp_group *g = &res->groups[res->ngroups - 1];
                            g->cell[k] = cell;
                            memcpy(g->val + k * EPV_SPATIAL_NCOLS, v, EPV_SPATIAL_NCOLS * sizeof *v);
                        }
                    }
                }
                for (size_t k = 0; k < ngt; k++) {
                    memset(gacc + (size_t)gtouch[k] * EPV_SPATIAL_NCOLS, 0, EPV_SPATIAL_NCOLS * sizeof *gacc);
                    gmark[gtouch[k]] = 0;
                }
                ngt = 0;
            }
        }
        if ((rc = epv__progress(ctx, (double)(first + cnt) / (double)ntl, "spatial: tiles"))) break;
    }
    if (rc == EPV_OK) rc = unknown_codes(s);
done:
    epv__free(ctx, tiles);
    epv__free(ctx, gacc);
    epv__free(ctx, gtouch);
    epv__free(ctx, gmark);
    return rc;
}

static int run_common(epv_ctx *ctx, const epv_spatial_options *o, int part, int nparts, epv_spatial_result **out,
                      size_t nout, const epv_spatial_col *ocols, const char *const *opaths)
{
    sp_run s;
    memset(&s, 0, sizeof s);
    epv_spatial_result *res = NULL;
    GDALDatasetH *ods = NULL;
    char **tmp = NULL;
    int rc = run_setup(ctx, o, &s);
    if (rc) goto done;
    if (nout) {
        for (size_t k = 0; k < nout; k++)
            if ((unsigned)ocols[k] >= EPV_SPATIAL_NCOLS || ocols[k] == EPV_SPATIAL_PIXELS || !s.has[ocols[k]]) {
                rc = epv__error(ctx, EPV_EINVAL, "epv_spatial_write_rasters: service %d is not computed from these inputs",
                                (int)ocols[k]);
                goto done;
            }
        ods = epv__calloc(ctx, nout, sizeof *ods);
        tmp = epv__calloc(ctx, nout, sizeof *tmp);
        if (!ods || !tmp) { rc = EPV_ENOMEM; goto done; }
        GDALDriverH drv = GDALGetDriverByName("GTiff");
        char *copt[] = { "TILED=YES", "COMPRESS=DEFLATE", "BIGTIFF=IF_SAFER", NULL };
        for (size_t k = 0; k < nout; k++) {
            size_t len = strlen(opaths[k]) + 16;
            if (!(tmp[k] = epv__malloc(ctx, len))) { rc = EPV_ENOMEM; goto done; }
            snprintf(tmp[k], len, "%s.tmp.tif", opaths[k]);
            CPLErrorReset();
            ods[k] = GDALCreate(drv, tmp[k], (int)s.nx, (int)s.ny, 1, GDT_Float64, copt);
            if (!ods[k]) { rc = gdal_error(ctx, EPV_EIO, "cannot create", opaths[k]); goto done; }
            GDALSetGeoTransform(ods[k], s.gt);
            GDALSetProjection(ods[k], s.srs_wkt);
            GDALSetRasterNoDataValue(GDALGetRasterBand(ods[k], 1), NAN);
        }
        s.nout = nout;
        s.ocols = ocols;
        s.ods = ods;
    }
    int nw = epv_ctx_threads(ctx);
    if ((size_t)nw > s.ntiles) nw = (int)s.ntiles;
    if (nw < 1) nw = 1;
    s.nworkers = nw;
    if (!(s.wk = epv__calloc(ctx, (size_t)nw, sizeof *s.wk))) { rc = EPV_ENOMEM; goto done; }
    for (int w = 0; w < nw; w++)
        if ((rc = worker_init(&s, &s.wk[w]))) goto done;
    s.nslot = nout || nw == 1 ? (size_t)nw : (size_t)nw * SP_WAVE_TILES;
    if (!(s.slot = epv__calloc(ctx, s.nslot, sizeof *s.slot))) { rc = EPV_ENOMEM; goto done; }
    size_t g0 = 0, g1 = s.ngroups;
    if (nparts > 0) {
        g0 = s.ngroups * (size_t)part / (size_t)nparts;
        g1 = s.ngroups * (size_t)(part + 1) / (size_t)nparts;
    }
    if (out) {
        if ((rc = make_result(&s, &res))) goto done;
        if (nparts > 0) {
            res->part = part;
            res->nparts = nparts;
            if (!(res->groups = epv__calloc(ctx, g1 - g0 + 1, sizeof *res->groups))) { rc = EPV_ENOMEM; goto done; }
        }
    }
    if ((rc = epv__progress(ctx, 0, "spatial: start"))) goto done;
    rc = run_tiles(&s, g0, g1, res, nparts > 0);
    if (rc == EPV_OK && nout) {
        for (size_t k = 0; k < nout; k++) {
            CPLErrorReset();
            GDALFlushCache(ods[k]);
            GDALClose(ods[k]);
            ods[k] = NULL;
            if (CPLGetLastErrorType() >= CE_Failure) rc = rc ? rc : gdal_error(ctx, EPV_EIO, "cannot write", opaths[k]);
        }
        for (size_t k = 0; k < nout && rc == EPV_OK; k++)
            if (rename(tmp[k], opaths[k]) != 0) rc = epv__error(ctx, EPV_EIO, "%s: cannot rename the finished raster", opaths[k]);
    }
done:
    if (ods)
        for (size_t k = 0; k < nout; k++) {
            if (ods[k]) GDALClose(ods[k]);
            if (rc && tmp && tmp[k]) remove(tmp[k]);
        }
    if (tmp)
        for (size_t k = 0; k < nout; k++) epv__free(ctx, tmp[k]);
    epv__free(ctx, tmp);
    epv__free(ctx, ods);
    run_free(&s);
    if (rc) {
        epv_spatial_result_free(res);
        res = NULL;
    }
    if (out) *out = res;
    return rc;
}

EPV_API int epv_spatial_run(epv_ctx *ctx, const epv_spatial_options *opts, epv_spatial_result **out)
{
    EPV__NEED(ctx, out, "out");
    *out = NULL;
    EPV__NEED(ctx, opts, "opts");
    return run_common(ctx, opts, 0, 0, out, 0, NULL, NULL);
}

EPV_API int epv_spatial_run_part(epv_ctx *ctx, const epv_spatial_options *opts, int part, int nparts,
                                 epv_spatial_result **out)
{
    EPV__NEED(ctx, out, "out");
    *out = NULL;
    EPV__NEED(ctx, opts, "opts");
    if (nparts < 1 || part < 0 || part >= nparts)
        return epv__error(ctx, EPV_ERANGE, "epv_spatial_run_part: part %d of %d", part, nparts);
    return run_common(ctx, opts, part, nparts, out, 0, NULL, NULL);
}

EPV_API int epv_spatial_write_rasters(epv_ctx *ctx, const epv_spatial_options *opts, const epv_spatial_col *cols,
                                      const char *const *paths, size_t n)
{
    EPV__NEED(ctx, opts, "opts");
    EPV__NEED(ctx, cols, "cols");
    EPV__NEED(ctx, paths, "paths");
    for (size_t k = 0; k < n; k++) EPV__NEED(ctx, paths[k], "paths[k]");
    if (n == 0) return EPV_OK;
    return run_common(ctx, opts, 0, 0, NULL, n, cols, paths);
}
