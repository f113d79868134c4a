/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Inventories of many units (counties) in one pass over arrays: factors x GWP resolved once
 * per (year, source), then one fused loop writing totals, sector totals and intensity. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "inventory_int.h"

EPV__DEFINE_INIT(epv_inventory_batch, EPV_INVENTORY_BATCH_VERSION, EPV_INVENTORY_BATCH_INIT)

static int sector_index(const char *s)
{
    for (size_t k = 0; k < epv__inv_nsectors; k++)
        if (s && !strcmp(s, epv__inv_sectors[k])) return (int)k;
    return -1;
}

static int check_batch(epv_ctx *ctx, const epv_inventory_batch *b)
{
    int rc = epv__check_version(ctx, "epv_inventory_batch", b, EPV_INVENTORY_BATCH_VERSION);
    if (rc) return rc;
    if (!b->nsources || !b->nyears || !b->years || !b->codes || !b->sectors)
        return epv__error(ctx, EPV_EINVAL, "epv_inventory_batch: nyears, nsources, years, codes and sectors are required");
    if (b->gwp < EPV_INVENTORY_GWP_AR4 || b->gwp > EPV_INVENTORY_GWP_AR6)
        return epv__error(ctx, EPV_EINVAL, "epv_inventory_batch: unknown GWP set %d (4, 5, 6)", b->gwp);
    return EPV_OK;
}

/* One unit-year of the batch (sources in sector order `ord`, sector runs `beg`, per-year
 * factors `gp`: t CO2e per unit, then energy CO2 per unit). */
static int batch_row(epv_ctx *ctx, const epv_inventory_batch *b, const double *activity, const double *gdp,
                     const double *gp, const size_t *ord, const size_t *beg, size_t u, size_t y,
                     double *total_tco2e, double *sector_tco2e, double *co2_intensity)
{
    size_t ny = b->nyears, ns = b->nsources;
    const double *a = activity + (u * ny + y) * ns;
    const double *g = gp + y * ns, *c = gp + (ny + y) * ns;
    double tot = 0, co2 = 0, st[5];
    int bad = 0;
    for (int k = 0; k < 5; k++) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0, c0 = 0, c1 = 0;
        size_t j = beg[k], end = beg[k + 1];
        for (; j + 3 < end; j += 4) {
            double a0 = a[ord[j]], a1 = a[ord[j + 1]], a2 = a[ord[j + 2]], a3 = a[ord[j + 3]];
            bad |= !(a0 >= 0) | !(a1 >= 0) | !(a2 >= 0) | !(a3 >= 0);
            s0 += a0 * g[j];
            s1 += a1 * g[j + 1];
            s2 += a2 * g[j + 2];
            s3 += a3 * g[j + 3];
            c0 += a0 * c[j] + a1 * c[j + 1];
            c1 += a2 * c[j + 2] + a3 * c[j + 3];
        }
        for (; j < end; j++) {
            double a0 = a[ord[j]];
            bad |= !(a0 >= 0);
            s0 += a0 * g[j];
            c0 += a0 * c[j];
        }
        st[k] = (s0 + s1) + (s2 + s3);
        tot += st[k];
        co2 += c0 + c1;
    }
    if (bad || !isfinite(tot) || !isfinite(co2)) {
        size_t s = 0;
        while (s < ns && a[s] >= 0 && isfinite(a[s])) s++;
        return epv__error(ctx, EPV_ERANGE,
                          "epv_inventory_batch: activity[unit %zu][year %lld][source %zu '%s'] must be finite and "
                          ">= 0 (got %g)", u, (long long)b->years[y], s, s < ns ? b->codes[s] : "?",
                          s < ns ? a[s] : NAN);
    }
    size_t o = u * ny + y;
    total_tco2e[o] = tot;
    if (sector_tco2e) memcpy(sector_tco2e + o * 5, st, sizeof st);
    if (co2_intensity) co2_intensity[o] = co2 / gdp[o];
    return EPV_OK;
}

#if defined(__GNUC__)
#define EPV__INV_VEC 1
#if defined(__x86_64__) || defined(__i386__)
#define EPV__INV_AVX __attribute__((target("avx")))
static int epv__inv_have_avx(void)
{
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx") != 0;
}
#else
#define EPV__INV_AVX
static int epv__inv_have_avx(void) { return 0; }
#endif
typedef double epv__v2d __attribute__((vector_size(16)));
typedef long long epv__v2l __attribute__((vector_size(16)));
typedef double epv__v4d __attribute__((vector_size(32)));
typedef long long epv__v4l __attribute__((vector_size(32)));

/* Units u and u+1, every year, lane i = unit u+i, the operations of batch_row() in its
 * order (so the same numbers to the bit). Returns non-zero (outputs not to be trusted) if
 * any activity has its sign bit set (negative, or -0.0) or a total is not finite (a NaN or
 * infinite activity makes its total non-finite, the factors being finite): the caller then
 * redoes these units one by one with batch_row(), which accepts -0.0 and names the first
 * bad value. */
static int batch_block2(const epv_inventory_batch *b, const double *activity, const double *gdp,
                        const double *gp, const size_t *ord, const size_t *beg, size_t u,
                        double *total_tco2e, double *sector_tco2e, double *co2_intensity)
{
    size_t ny = b->nyears, ns = b->nsources, stride = ny * ns;
    epv__v2l sign = { 0, 0 };
    for (size_t y = 0; y < ny; y++) {
        const double *r0 = activity + (u * ny + y) * ns, *r1 = r0 + stride;
        const double *g = gp + y * ns, *c = gp + (ny + y) * ns;
        epv__v2d tot = { 0, 0 }, co2 = { 0, 0 }, st[5];
        for (int k = 0; k < 5; k++) {
            epv__v2d s0 = { 0, 0 }, s1 = s0, s2 = s0, s3 = s0, c0 = s0, c1 = s0;
            size_t j = beg[k], end = beg[k + 1];
            for (; j + 3 < end; j += 4) {
                size_t o0 = ord[j], o1 = ord[j + 1], o2 = ord[j + 2], o3 = ord[j + 3];
                epv__v2d a0 = { r0[o0], r1[o0] }, a1 = { r0[o1], r1[o1] };
                epv__v2d a2 = { r0[o2], r1[o2] }, a3 = { r0[o3], r1[o3] };
                sign |= (epv__v2l)a0 | (epv__v2l)a1 | (epv__v2l)a2 | (epv__v2l)a3;
                s0 += a0 * g[j];
                s1 += a1 * g[j + 1];
                s2 += a2 * g[j + 2];
                s3 += a3 * g[j + 3];
                c0 += a0 * c[j] + a1 * c[j + 1];
                c1 += a2 * c[j + 2] + a3 * c[j + 3];
            }
            for (; j < end; j++) {
                size_t o0 = ord[j];
                epv__v2d a0 = { r0[o0], r1[o0] };
                sign |= (epv__v2l)a0;
                s0 += a0 * g[j];
                c0 += a0 * c[j];
            }
            st[k] = (s0 + s1) + (s2 + s3);
            tot += st[k];
            co2 += c0 + c1;
        }
        if (!isfinite(tot[0]) || !isfinite(tot[1]) || !isfinite(co2[0]) || !isfinite(co2[1])) return 1;
        size_t o = u * ny + y, o1 = o + ny;
        total_tco2e[o] = tot[0];
        total_tco2e[o1] = tot[1];
        if (sector_tco2e)
            for (int k = 0; k < 5; k++) {
                sector_tco2e[o * 5 + (size_t)k] = st[k][0];
                sector_tco2e[o1 * 5 + (size_t)k] = st[k][1];
            }
        if (co2_intensity) {
            epv__v2d gd = { gdp[o], gdp[o1] }, q = co2 / gd;
            co2_intensity[o] = q[0];
            co2_intensity[o1] = q[1];
        }
    }
    return (sign[0] | sign[1]) < 0;
}
/* The same for units u..u+3 with 256-bit vectors, where the processor has AVX (no FMA:
 * products and sums stay separate, so the bits are those of batch_row()). */
EPV__INV_AVX static int batch_block4(const epv_inventory_batch *b, const double *activity, const double *gdp,
                        const double *gp, const size_t *ord, const size_t *beg, size_t u,
                        double *total_tco2e, double *sector_tco2e, double *co2_intensity)
{
    size_t ny = b->nyears, ns = b->nsources, stride = ny * ns;
    epv__v4l sign = { 0, 0, 0, 0 };
    for (size_t y = 0; y < ny; y++) {
        const double *r0 = activity + (u * ny + y) * ns, *r1 = r0 + stride, *r2 = r1 + stride, *r3 = r2 + stride;
        const double *g = gp + y * ns, *c = gp + (ny + y) * ns;
        epv__v4d tot = { 0, 0, 0, 0 }, co2 = { 0, 0, 0, 0 }, st[5];
        for (int k = 0; k < 5; k++) {
            epv__v4d s0 = { 0, 0, 0, 0 }, s1 = s0, s2 = s0, s3 = s0, c0 = s0, c1 = s0;
            size_t j = beg[k], end = beg[k + 1];
            for (; j + 3 < end; j += 4) {
                size_t o0 = ord[j], o1 = ord[j + 1], o2 = ord[j + 2], o3 = ord[j + 3];
                epv__v4d a0 = { r0[o0], r1[o0], r2[o0], r3[o0] }, a1 = { r0[o1], r1[o1], r2[o1], r3[o1] };
                epv__v4d a2 = { r0[o2], r1[o2], r2[o2], r3[o2] }, a3 = { r0[o3], r1[o3], r2[o3], r3[o3] };
                sign |= (epv__v4l)a0 | (epv__v4l)a1 | (epv__v4l)a2 | (epv__v4l)a3;
                s0 += a0 * g[j];
                s1 += a1 * g[j + 1];
                s2 += a2 * g[j + 2];
                s3 += a3 * g[j + 3];
                c0 += a0 * c[j] + a1 * c[j + 1];
                c1 += a2 * c[j + 2] + a3 * c[j + 3];
            }
            for (; j < end; j++) {
                size_t o0 = ord[j];
                epv__v4d a0 = { r0[o0], r1[o0], r2[o0], r3[o0] };
                sign |= (epv__v4l)a0;
                s0 += a0 * g[j];
                c0 += a0 * c[j];
            }
            st[k] = (s0 + s1) + (s2 + s3);
            tot += st[k];
            co2 += c0 + c1;
        }
        for (int i = 0; i < 4; i++) {
            if (!isfinite(tot[i]) || !isfinite(co2[i])) return 1;
            size_t o = (u + (size_t)i) * ny + y;
            total_tco2e[o] = tot[i];
            if (sector_tco2e)
                for (int k = 0; k < 5; k++) sector_tco2e[o * 5 + (size_t)k] = st[k][i];
            if (co2_intensity) co2_intensity[o] = co2[i] / gdp[o];
        }
    }
    return (sign[0] | sign[1] | sign[2] | sign[3]) < 0;
}
#endif

EPV_API int epv_inventory_batch_compute(epv_ctx *ctx, const epv_inventory_factors *f, const epv_inventory_batch *b,
                                        const double *activity, const double *gdp, double *total_tco2e,
                                        double *sector_tco2e, double *co2_intensity)
{
    EPV__NEED(ctx, f, "f");
    EPV__NEED(ctx, b, "b");
    EPV__NEED(ctx, activity, "activity");
    EPV__NEED(ctx, total_tco2e, "total_tco2e");
    int rc = check_batch(ctx, b);
    if (rc) return rc;
    if (co2_intensity && !gdp) return epv__error(ctx, EPV_EINVAL, "epv_inventory_batch_compute: intensity needs gdp");
    size_t ny = b->nyears, ns = b->nsources, nu = b->nunits;
    /* per (year, source): t CO2e per unit and energy-CO2 per unit */
    double *fg = epv__malloc(ctx, 2 * ny * ns * sizeof *fg);
    int *sec = epv__malloc(ctx, ns * sizeof *sec);
    if (!fg || !sec) {
        epv__free(ctx, fg);
        epv__free(ctx, sec);
        return EPV_ENOMEM;
    }
    double *fc = fg + ny * ns;
    const double *gwp = f->gwp[b->gwp - EPV_INVENTORY_GWP_AR4];
    for (size_t s = 0; s < ns && !rc; s++) {
        size_t fi = b->codes[s] ? epv__inv_factor_index(f, b->codes[s]) : SIZE_MAX;
        char msg[480];
        if (fi == SIZE_MAX) {
            epv__inv_unknown_code(ctx, f, b->codes[s] ? b->codes[s] : "(null)", msg, sizeof msg);
            rc = epv__error(ctx, EPV_ENOTFOUND, "epv_inventory_batch: source %zu: %s", s, msg);
            break;
        }
        const epv__inv_factor *x = &f->f[fi];
        sec[s] = sector_index(b->sectors[s]);
        if (sec[s] < 0 || strcmp(x->sector, b->sectors[s])) {
            rc = epv__error(ctx, EPV_EINVAL, "epv_inventory_batch: source %zu: sector '%s' is not code '%s''s sector '%s'",
                            s, b->sectors[s] ? b->sectors[s] : "(null)", x->code, x->sector);
            break;
        }
        int co2 = x->gas == EPV_INVENTORY_CO2 && sec[s] < 2;
        for (size_t y = 0; y < ny; y++) {
            double v = x->value;
            if (x->is_grid) {
                const char *grid = b->grids ? b->grids[s] : NULL;
                const epv__inv_grid *g = grid ? epv__inv_grid_find(f, grid, (int)b->years[y]) : NULL;
                if (!g) {
                    double dummy;
                    if (!grid)
                        rc = epv__error(ctx, EPV_EINVAL, "epv_inventory_batch: source %zu ('%s') needs a grid region", s,
                                        x->code);
                    else
                        rc = epv_inventory_factors_grid(ctx, f, grid, (int)b->years[y], &dummy, NULL);
                    break;
                }
                v = g->value;
            }
            fg[y * ns + s] = v * gwp[x->gas];
            fc[y * ns + s] = co2 ? v : 0;
        }
    }
    /* Sources in sector order, so each sector is a contiguous run summed with two
     * independent accumulators (no scatter into sector totals in the inner loop). */
    size_t *ord = rc ? NULL : epv__malloc(ctx, ns * sizeof *ord);
    double *gp = rc ? NULL : epv__malloc(ctx, 2 * ny * ns * sizeof *gp);
    size_t beg[6] = { 0 };
    if (!rc && (!ord || !gp)) rc = EPV_ENOMEM;
    if (!rc) {
        size_t j = 0;
        for (int k = 0; k < 5; k++) {
            beg[k] = j;
            for (size_t s = 0; s < ns; s++)
                if (sec[s] == k) ord[j++] = s;
        }
        beg[5] = j;
        for (size_t y = 0; y < ny; y++)
            for (size_t i = 0; i < ns; i++) {
                gp[y * ns + i] = fg[y * ns + ord[i]];
                gp[(ny + y) * ns + i] = fc[y * ns + ord[i]];
            }
    }
    size_t next = 256;
#ifdef EPV__INV_VEC
    int avx = epv__inv_have_avx();
#endif
    for (size_t u = 0; u < nu && !rc;) {
#ifdef EPV__INV_VEC
        /* two units at once, one per vector lane: each lane does exactly the scalar
         * operations of its unit in the same order (same numbers to the bit) */
        if (avx && u + 4 <= nu && !batch_block4(b, activity, gdp, gp, ord, beg, u, total_tco2e, sector_tco2e,
                                                co2_intensity)) {
            u += 4;
        } else if (u + 2 <= nu && !batch_block2(b, activity, gdp, gp, ord, beg, u, total_tco2e, sector_tco2e,
                                         co2_intensity)) {
            u += 2;
        } else
#endif
        {
            /* one unit (the remainder, or a block with bad input, for the error in order) */
            for (size_t y = 0; y < ny && !rc; y++) rc = batch_row(ctx, b, activity, gdp, gp, ord, beg, u, y,
                                                                 total_tco2e, sector_tco2e, co2_intensity);
            u++;
        }
        if (!rc && u >= next) {
            rc = epv__progress(ctx, (double)u / (double)nu, "inventory batch");
            next = u + 256;
        }
    }
    epv__free(ctx, ord);
    epv__free(ctx, gp);
    epv__free(ctx, fg);
    epv__free(ctx, sec);
    if (rc) {
        memset(total_tco2e, 0, nu * ny * sizeof *total_tco2e);
        if (sector_tco2e) memset(sector_tco2e, 0, nu * ny * 5 * sizeof *sector_tco2e);
        if (co2_intensity) memset(co2_intensity, 0, nu * ny * sizeof *co2_intensity);
        return rc;
    }
    return epv__progress(ctx, 1.0, "inventory batch done");
}

EPV_API int epv_inventory_batch_trace(epv_ctx *ctx, const epv_inventory_batch *b, const double *activity, size_t u,
                                      size_t y, const char *sector, size_t *idx, size_t cap, size_t *n)
{
    EPV__NEED(ctx, b, "b");
    EPV__NEED(ctx, activity, "activity");
    EPV__NEED(ctx, n, "n");
    int rc = check_batch(ctx, b);
    if (rc) return rc;
    if (u >= b->nunits || y >= b->nyears)
        return epv__error(ctx, EPV_ERANGE, "epv_inventory_batch_trace: unit %zu or year index %zu out of range", u, y);
    /* One pass: fill while there is room, keep counting past it. The sector of a source is
     * compared by pointer first (callers pass the same strings), by content otherwise. */
    const double *a = activity + (u * b->nyears + y) * b->nsources;
    const char *const *ss = b->sectors;
    size_t k = 0;
    for (size_t s = 0; s < b->nsources; s++) {
        if (a[s] == 0) continue;
        if (sector && ss[s] != sector && (!ss[s] || ss[s][0] != sector[0] || strcmp(ss[s], sector))) continue;
        if (k < cap && idx) idx[k] = s;
        k++;
    }
    *n = k;
    if (cap < k) return epv__error(ctx, EPV_ERANGE, "epv_inventory_batch_trace: buffer holds %zu, %zu needed", cap, k);
    if (k) EPV__NEED(ctx, idx, "idx");
    return EPV_OK;
}
