/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The LS factor of RUSLE from a DEM, and cell areas on the ellipsoid. */
#if defined(__GNUC__) && !defined(__clang__)
/* As in lib/vmath.c: let the window loops vectorise (selects become blends when comparisons
 * may not trap; the default -O2 cost model refuses loops of unknown length). Division and
 * square root are correctly rounded in every instruction set, and -std=c11 keeps
 * -ffp-contract=off, so every clone gives the same bits. The file is built with
 * -fno-math-errno (mk/spatial.am): sqrt sets no errno here (its argument
 * is a sum of squares, or 1 plus a square; nothing in this file reads errno). */
#pragma GCC optimize("no-trapping-math", "vect-cost-model=dynamic", "no-tree-loop-distribute-patterns")
#endif
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "spatial_int.h"
#include "vmath_int.h"

/* RUSLE LS after AH703 (Renard et al. 1997) eqs. 4-1 to 4-5, McCool et al. (1987, 1989). */
double epv__sp_dem_at(const double *win, size_t w, long r0, long r1, long c0, long c1, long r, long c)
{
    if (r < r0) return r1 - r0 > 1 ? 2 * epv__sp_dem_at(win, w, r0, r1, c0, c1, r0, c) -
                                         epv__sp_dem_at(win, w, r0, r1, c0, c1, r0 + 1, c)
                                   : epv__sp_dem_at(win, w, r0, r1, c0, c1, r0, c);
    if (r >= r1) return r1 - r0 > 1 ? 2 * epv__sp_dem_at(win, w, r0, r1, c0, c1, r1 - 1, c) -
                                          epv__sp_dem_at(win, w, r0, r1, c0, c1, r1 - 2, c)
                                    : epv__sp_dem_at(win, w, r0, r1, c0, c1, r1 - 1, c);
    if (c < c0) return c1 - c0 > 1 ? 2 * epv__sp_dem_at(win, w, r0, r1, c0, c1, r, c0) -
                                         epv__sp_dem_at(win, w, r0, r1, c0, c1, r, c0 + 1)
                                   : epv__sp_dem_at(win, w, r0, r1, c0, c1, r, c0);
    if (c >= c1) return c1 - c0 > 1 ? 2 * epv__sp_dem_at(win, w, r0, r1, c0, c1, r, c1 - 1) -
                                          epv__sp_dem_at(win, w, r0, r1, c0, c1, r, c1 - 2)
                                    : epv__sp_dem_at(win, w, r0, r1, c0, c1, r, c1 - 1);
    return win[(size_t)(r - r0) * w + (size_t)(c - c0)];
}

#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__)
#define SP_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define SP_CLONES
#endif

/* Pass 1 of epv__sp_ls_window for one row: Horn's slope, sin(theta) and S, without branches
 * (a NaN centre gives NaN whatever its neighbours, so it is computed and then replaced). */
SP_CLONES static void ls_row(size_t cols, const double *restrict up, const double *restrict mid,
                             const double *restrict dn, double dx, double dy, double *restrict out,
                             double *restrict sn)
{
    for (size_t c = 0; c < cols; c++) {
        double e = mid[c + 1];
        /* Horn (1981): a b c / d e f / g h i, nodata neighbours take e. */
        double a = up[c], b = up[c + 1], cc = up[c + 2];
        double d = mid[c], f = mid[c + 2];
        double g = dn[c], h = dn[c + 1], i = dn[c + 2];
        a = isnan(a) ? e : a;
        b = isnan(b) ? e : b;
        cc = isnan(cc) ? e : cc;
        d = isnan(d) ? e : d;
        f = isnan(f) ? e : f;
        g = isnan(g) ? e : g;
        h = isnan(h) ? e : h;
        i = isnan(i) ? e : i;
        double dzdx = ((cc + 2 * f + i) - (a + 2 * d + g)) / (8 * dx);
        double dzdy = ((g + 2 * h + i) - (a + 2 * b + cc)) / (8 * dy);
        double t = sqrt(dzdx * dzdx + dzdy * dzdy); /* tan theta */
        double st = t / sqrt(1 + t * t);
        double sf = t < 0.09 ? 10.8 * st + 0.03 : 16.8 * st - 0.50; /* S, AH703 eqs. 4-4, 4-5 */
        out[c] = isnan(e) ? NAN : sf;
        sn[c] = isnan(e) ? 1 : st; /* any positive value for NaN: the result stays NaN */
    }
}

SP_CLONES void epv__sp_ls_window(size_t rows, size_t cols, const double *win, const double *dx_row, double dy,
                                 double slope_length_m, double *out, double *scratch)
{
    /* row by row, so that the three scratch rows stay in the cache (every step is per cell:
     * the order of rows changes nothing) */
    size_t w = cols + 2;
    double *sn = scratch, *a1 = scratch + cols, *a2 = scratch + 2 * cols;
    double lnl = log(slope_length_m / 22.13);
    for (size_t r = 0; r < rows; r++) {
        const double *up = win + r * w;
        double *o = out + r * cols;
        /* pass 1: Horn's slope, sin(theta) and S per cell */
        ls_row(cols, up, up + w, up + 2 * w, dx_row[r], dy, o, sn);
        /* pass 2 (batch exp and log): L = (lambda / 22.13)^m, m = beta / (1 + beta),
         * beta = (sin / 0.0896) / (3 sin^0.8 + 0.56) (AH703 eqs. 4-1 to 4-3) */
        for (size_t k = 0; k < cols; k++) a1[k] = sn[k] > 0 ? sn[k] : 1;
        epv__log_batch(a1, a2, cols);
        for (size_t k = 0; k < cols; k++) a2[k] *= 0.8;
        epv__exp_batch(a2, a1, cols); /* sin^0.8 */
        for (size_t k = 0; k < cols; k++) {
            double beta = (sn[k] / 0.0896) / (3.0 * a1[k] + 0.56);
            a2[k] = beta / (1.0 + beta) * lnl;
        }
        epv__exp_batch(a2, a1, cols);
        for (size_t k = 0; k < cols; k++)
            if (sn[k] > 0) o[k] *= a1[k]; /* flat: beta = 0, m = 0, L = 1 */
    }
}

EPV_API int epv_spatial_ls_rusle(epv_ctx *ctx, size_t nrows, size_t ncols, const double *dem,
                                 double dx_m, double dy_m, double slope_length_m, double *out_ls)
{
    EPV__NEED(ctx, dem, "dem");
    EPV__NEED(ctx, out_ls, "out_ls");
    if (!(dx_m > 0) || !(dy_m > 0) || !isfinite(dx_m) || !isfinite(dy_m))
        return epv__error(ctx, EPV_ERANGE, "epv_spatial_ls_rusle: cell size %g x %g m is not positive",
                          dx_m, dy_m);
    if (!(slope_length_m > 0) || !isfinite(slope_length_m))
        return epv__error(ctx, EPV_ERANGE, "epv_spatial_ls_rusle: slope_length_m %g is not positive",
                          slope_length_m);
    if (nrows == 0 || ncols == 0) return EPV_OK;
    if (nrows > SIZE_MAX / 32 / (ncols + 2) / 2)
        return epv__error(ctx, EPV_ERANGE, "epv_spatial_ls_rusle: %zu x %zu cells is too large", nrows, ncols);
    size_t w = ncols + 2;
    double *win = epv__malloc(ctx, (nrows + 2) * w * sizeof *win);
    double *dx = epv__malloc(ctx, nrows * sizeof *dx);
    double *scratch = epv__malloc(ctx, 3 * nrows * ncols * sizeof *scratch);
    if (!win || !dx || !scratch) {
        epv__free(ctx, scratch);
        epv__free(ctx, win);
        epv__free(ctx, dx);
        return EPV_ENOMEM;
    }
    for (size_t r = 0; r < nrows + 2; r++)
        for (size_t c = 0; c < w; c++)
            win[r * w + c] = epv__sp_dem_at(dem, ncols, 0, (long)nrows, 0, (long)ncols, (long)r - 1, (long)c - 1);
    for (size_t r = 0; r < nrows; r++) dx[r] = dx_m;
    epv__sp_ls_window(nrows, ncols, win, dx, dy_m, slope_length_m, out_ls, scratch);
    epv__free(ctx, scratch);
    epv__free(ctx, win);
    epv__free(ctx, dx);
    return EPV_OK;
}

/* Snyder (1987) eq. 3-12: q = (1 - e^2) [sin phi / (1 - e^2 sin^2 phi)
 *                               - 1/(2e) ln((1 - e sin phi) / (1 + e sin phi))]. */
double epv__sp_q(double s, double e)
{
    if (e == 0) return 2 * s;
    double e2 = e * e;
    return (1 - e2) * (s / (1 - e2 * s * s) - 1 / (2 * e) * log((1 - e * s) / (1 + e * s)));
}

EPV_API int epv_spatial_cell_area_geographic(epv_ctx *ctx, double lat1, double lat2, double dlon,
                                             double a, double invf, double *out_m2)
{
    EPV__NEED(ctx, out_m2, "out_m2");
    if (!isfinite(lat1) || !isfinite(lat2) || fabs(lat1) > 90 || fabs(lat2) > 90)
        return epv__error(ctx, EPV_ERANGE, "epv_spatial_cell_area_geographic: latitude %g or %g outside -90..90",
                          lat1, lat2);
    if (!isfinite(dlon) || dlon < 0 || dlon > 360)
        return epv__error(ctx, EPV_ERANGE, "epv_spatial_cell_area_geographic: dlon %g outside 0..360", dlon);
    if (!(a > 0) || !isfinite(a) || !(invf == 0 || invf > 1) || !isfinite(invf))
        return epv__error(ctx, EPV_ERANGE, "epv_spatial_cell_area_geographic: ellipsoid a=%g invf=%g", a, invf);
    double f = invf == 0 ? 0 : 1 / invf;
    double e = sqrt(f * (2 - f));
    const double d2r = 3.14159265358979323846 / 180;
    double q1 = epv__sp_q(sin(lat1 * d2r), e), q2 = epv__sp_q(sin(lat2 * d2r), e);
    *out_m2 = a * a / 2 * dlon * d2r * fabs(q2 - q1);
    return EPV_OK;
}

/* ---- Desmet & Govers (1996) -------------------------------------------------------- */

typedef struct { double z; size_t i; } zi;
static int cmp_zi_desc(const void *a, const void *b)
{
    const zi *x = a, *y = b;
    if (x->z != y->z) return x->z < y->z ? 1 : -1;
    return (x->i > y->i) - (x->i < y->i); /* ties in index order: deterministic */
}

EPV_API int epv_spatial_ls_desmet_govers(epv_ctx *ctx, size_t nrows, size_t ncols, const double *dem,
                                         double dx_m, double dy_m, double *out_ls)
{
    EPV__NEED(ctx, dem, "dem");
    EPV__NEED(ctx, out_ls, "out_ls");
    if (!(dx_m > 0) || !(dy_m > 0) || !isfinite(dx_m) || !isfinite(dy_m))
        return epv__error(ctx, EPV_ERANGE, "epv_spatial_ls_desmet_govers: cell size %g x %g m is not positive",
                          dx_m, dy_m);
    if (nrows == 0 || ncols == 0) return EPV_OK;
    size_t n = nrows * ncols, w = ncols + 2;
    if (nrows > SIZE_MAX / 64 / (ncols + 2) / 2)
        return epv__error(ctx, EPV_ERANGE, "epv_spatial_ls_desmet_govers: %zu x %zu cells is too large", nrows, ncols);
    double *win = epv__malloc(ctx, (nrows + 2) * w * sizeof *win);
    double *acc = epv__calloc(ctx, n, sizeof *acc);
    zi *order = epv__malloc(ctx, n * sizeof *order);
    if (!win || !acc || !order) {
        epv__free(ctx, win);
        epv__free(ctx, acc);
        epv__free(ctx, order);
        return EPV_ENOMEM;
    }
    for (size_t r = 0; r < nrows + 2; r++)
        for (size_t c = 0; c < w; c++)
            win[r * w + c] = epv__sp_dem_at(dem, ncols, 0, (long)nrows, 0, (long)ncols, (long)r - 1, (long)c - 1);
    /* D8 accumulation of upslope cells (in cells), highest cell first */
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (!isnan(dem[i])) order[m].z = dem[i], order[m++].i = i;
    qsort(order, m, sizeof *order, cmp_zi_desc);
    const double diag = sqrt(dx_m * dx_m + dy_m * dy_m);
    for (size_t k = 0; k < m; k++) {
        size_t i = order[k].i, r = i / ncols, c = i % ncols;
        double best = 0;
        size_t to = SIZE_MAX;
        for (int dr = -1; dr <= 1; dr++)
            for (int dc = -1; dc <= 1; dc++) {
                if (!dr && !dc) continue;
                long rr = (long)r + dr, cc = (long)c + dc;
                if (rr < 0 || cc < 0 || rr >= (long)nrows || cc >= (long)ncols) continue;
                double zn = dem[(size_t)rr * ncols + (size_t)cc];
                if (isnan(zn)) continue;
                double dist = dr && dc ? diag : (dr ? dy_m : dx_m);
                double drop = (dem[i] - zn) / dist;
                if (drop > best) best = drop, to = (size_t)rr * ncols + (size_t)cc;
            }
        if (to != SIZE_MAX) acc[to] += acc[i] + 1;
    }
    epv__free(ctx, order);
    /* S and m from Horn's slope; L from the inlet area */
    const double d = sqrt(dx_m * dy_m), cell = dx_m * dy_m;
    for (size_t r = 0; r < nrows; r++) {
        const double *up = win + r * w, *mid = up + w, *dn = mid + w;
        for (size_t c = 0; c < ncols; c++) {
            size_t k = r * ncols + c;
            double e = mid[c + 1];
            if (isnan(e)) {
                out_ls[k] = NAN;
                continue;
            }
            double a = up[c], b = up[c + 1], cc = up[c + 2], dd = mid[c], f = mid[c + 2];
            double g = dn[c], h = dn[c + 1], ii = dn[c + 2];
            if (isnan(a)) a = e;
            if (isnan(b)) b = e;
            if (isnan(cc)) cc = e;
            if (isnan(dd)) dd = e;
            if (isnan(f)) f = e;
            if (isnan(g)) g = e;
            if (isnan(h)) h = e;
            if (isnan(ii)) ii = e;
            double dzdx = ((cc + 2 * f + ii) - (a + 2 * dd + g)) / (8 * dx_m);
            double dzdy = ((g + 2 * h + ii) - (a + 2 * b + cc)) / (8 * dy_m);
            double t = sqrt(dzdx * dzdx + dzdy * dzdy);
            double st = t / sqrt(1 + t * t);
            double S = t < 0.09 ? 10.8 * st + 0.03 : 16.8 * st - 0.50; /* AH703 eqs. 4-4, 4-5 */
            if (!(st > 0)) {
                out_ls[k] = S; /* flat: m = 0, L = 1 */
                continue;
            }
            double beta = (st / 0.0896) / (3.0 * pow(st, 0.8) + 0.56); /* AH703 eq. 4-3 */
            double mm = beta / (1.0 + beta);
            double x = (fabs(dzdx) + fabs(dzdy)) / t; /* |sin a| + |cos a| */
            double ain = acc[k] * cell;
            double L = (pow(ain + d * d, mm + 1) - pow(ain, mm + 1)) / (pow(d, mm + 2) * pow(x, mm) * pow(22.13, mm));
            out_ls[k] = L * S;
        }
    }
    epv__free(ctx, win);
    epv__free(ctx, acc);
    return EPV_OK;
}
