/* SPDX-License-Identifier: GPL-3.0-or-later */
#define _POSIX_C_SOURCE 200809L
/* Benchmark: NCOUNTIES counties x 20 years x 50 sources (fuels by sector and entity, grid
 * electricity by year, processes, agriculture, waste). For every county libepv computes the
 * inventory (activity x factor, GWP), the totals of each sector in the last year, the trace of
 * one figure (its record indices) and the CO2 intensity per year; the same computation written
 * plainly with NumPy (bench/bench_inventory.py) runs in the same process run on the same
 * inputs. Building the inventories (reading records) is not timed on either side.
 * Usage: bench_inventory TOP_SRCDIR [NCOUNTIES] */
#include <epv.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <math.h>
#include <unistd.h>

#define YEARS 20
#define SOURCES 50
#define Y0 2006

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static double uniform(unsigned long long *s)
{
    *s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
    return (double)(*s >> 11) / 9007199254740992.0;
}

/* The 50 sources: code, sector, subsector, unit, grid (NULL if none). */
typedef struct { const char *code, *sector, *sub, *unit, *grid; } src;
static src sources[SOURCES];

static void define_sources(void)
{
    static const char *fuels[] = { "coal_bituminous", "anthracite", "coke", "diesel", "gasoline", "kerosene",
                                   "fuel_oil", "lpg", "natural_gas", "coal_raw_cn" };
    static const char *subs[] = { "industry", "transport", "residential", "services" };
    int k = 0;
    for (int i = 0; i < 10; i++)
        for (int j = 0; j < 3; j++, k++)
            sources[k] = (src){ fuels[i], "energy", subs[(i + j) % 4], i == 8 ? "1e4_m3" : "t", NULL };
    for (int j = 0; j < 4; j++, k++) sources[k] = (src){ "electricity_grid", "indirect", subs[j], "MWh", "bench" };
    for (int j = 0; j < 4; j++, k++) sources[k] = (src){ "heat_purchased", "indirect", subs[j], "GJ", NULL };
    sources[k++] = (src){ "cement_clinker", "industrial_processes", "cement", "t", NULL };
    static const char *ag[] = { "enteric_other_cattle", "enteric_goat", "enteric_swine", "manure_swine", "rice_single_sw",
                                "fertiliser_n_direct", "fertiliser_n_indirect" };
    static const char *agu[] = { "head", "head", "head", "head", "ha", "t_N", "t_N" };
    for (int j = 0; j < 7; j++, k++) sources[k] = (src){ ag[j], "agriculture", NULL, agu[j], NULL };
    sources[k++] = (src){ "landfill_msw", "waste", NULL, "t", NULL };
    sources[k++] = (src){ "diesel", "energy", "agriculture_forestry_fishery", "t", NULL };
    sources[k++] = (src){ "coal_raw_cn", "energy", "energy_industries", "t", NULL };
    sources[k++] = (src){ "natural_gas", "energy", "construction", "1e4_m3", NULL };
    if (k != SOURCES) abort();
}

int main(int argc, char **argv)
{
    const char *top = argc > 1 ? argv[1] : ".";
    long nc = argc > 2 ? atol(argv[2]) : 3000;
    define_sources();
    epv_ctx *ctx;
    epv_inventory_factors *f;
    if (epv_ctx_new(&ctx) || epv_inventory_factors_load_default(ctx, &f)) return 1;
    /* grid factors for the benchmark region, one per year */
    char gridcsv[] = "/tmp/epv-bench-inv-grid-XXXXXX";
    int fd = mkstemp(gridcsv);
    FILE *g = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!g) return 1;
    fprintf(g, "grid,year,t_co2_per_mwh,u_pct,source,provisional\n");
    double gridf[YEARS];
    for (int y = 0; y < YEARS; y++) {
        gridf[y] = 0.9 - 0.02 * y;
        fprintf(g, "bench,%d,%.17g,10,bench,1\n", Y0 + y, gridf[y]);
    }
    fclose(g);
    if (epv_inventory_factors_load_grid_csv(ctx, f, gridcsv)) return 1;
    remove(gridcsv);
    /* inputs for NumPy: activity [county][year][source], GDP [county][year], factor per source,
     * GWP per source, sector index per source */
    char inputs[] = "/tmp/epv-bench-inv-XXXXXX";
    fd = mkstemp(inputs);
    FILE *out = fd >= 0 ? fdopen(fd, "wb") : NULL;
    if (!out) return 1;
    double fac[SOURCES], gwp[SOURCES], sect[SOURCES], isco2[SOURCES];
    static const char *sectors[] = { "energy", "indirect", "industrial_processes", "agriculture", "waste" };
    for (int s = 0; s < SOURCES; s++) {
        epv_inventory_factor x = EPV_INVENTORY_FACTOR_INIT;
        epv_inventory_factors_find(ctx, f, sources[s].code, &x);
        fac[s] = x.value;
        epv_inventory_factors_gwp(ctx, f, EPV_INVENTORY_GWP_AR5, x.gas, &gwp[s]);
        for (int k = 0; k < 5; k++)
            if (!strcmp(sectors[k], sources[s].sector)) sect[s] = k;
        isco2[s] = x.gas == EPV_INVENTORY_CO2 && sect[s] < 2;
    }
    long hdr[3] = { nc, YEARS, SOURCES };
    fwrite(hdr, sizeof hdr, 1, out);
    fwrite(fac, sizeof fac, 1, out);
    fwrite(gwp, sizeof gwp, 1, out);
    fwrite(sect, sizeof sect, 1, out);
    fwrite(isco2, sizeof isco2, 1, out);
    fwrite(gridf, sizeof gridf, 1, out);
    unsigned long long seed = 7;
    double t_epv = 0, check_total = 0, check_int = 0;
    size_t check_trace = 0;
    double *allact = malloc(sizeof(double) * (size_t)nc * YEARS * SOURCES);
    double *allgdp = malloc(sizeof(double) * (size_t)nc * YEARS);
    if (!allact || !allgdp) return 1;
    double *act, *gdp;
    epv_inventory_options opt = EPV_INVENTORY_OPTIONS_INIT;
    for (long c = 0; c < nc; c++) {
        epv_inventory *inv;
        if (epv_inventory_new(ctx, f, "bench", &inv)) return 1;
        char id[64];
        act = allact + (size_t)c * YEARS * SOURCES;
        gdp = allgdp + (size_t)c * YEARS;
        for (int y = 0; y < YEARS; y++) {
            gdp[y] = 1e6 * (1 + uniform(&seed));
            epv_inventory_economy e = EPV_INVENTORY_ECONOMY_INIT;
            e.year = Y0 + y;
            e.gdp = gdp[y];
            e.document = "yearbook";
            epv_inventory_add_economy(ctx, inv, &e);
            for (int s = 0; s < SOURCES; s++) {
                double a = 1000 * uniform(&seed);
                act[y * SOURCES + s] = a;
                epv_inventory_record r = EPV_INVENTORY_RECORD_INIT;
                snprintf(id, sizeof id, "%ld/%d/%d", c, s, y);
                r.id = id;
                r.document = "yearbook";
                r.year = Y0 + y;
                r.sector = sources[s].sector;
                r.subsector = sources[s].sub;
                r.code = sources[s].code;
                r.unit = sources[s].unit;
                r.grid = sources[s].grid;
                r.amount = a;
                if (epv_inventory_add_record(ctx, inv, &r)) {
                    fprintf(stderr, "bench_inventory: %s\n", epv_ctx_errmsg(ctx));
                    return 1;
                }
            }
        }
        fwrite(act, sizeof(double), YEARS * SOURCES, out);
        fwrite(gdp, sizeof(double), YEARS, out);
        /* timed: compute, sector totals of the last year, one trace, intensity */
        double t0 = now();
        epv_inventory_result *res;
        if (epv_inventory_compute(ctx, inv, &opt, &res)) return 1;
        for (int k = 0; k < 5; k++) {
            epv_inventory_query q = EPV_INVENTORY_QUERY_INIT;
            epv_inventory_total t = EPV_INVENTORY_TOTAL_INIT;
            q.year = Y0 + YEARS - 1;
            q.sector = sectors[k];
            epv_inventory_result_total(ctx, res, &q, &t);
            check_total += t.t_co2e;
        }
        size_t idx[64], n;
        epv_inventory_query q = EPV_INVENTORY_QUERY_INIT;
        q.year = Y0 + YEARS - 1;
        q.sector = "indirect";
        epv_inventory_result_trace(ctx, res, &q, idx, 64, &n);
        check_trace += n;
        const double *ci;
        size_t ny;
        epv_inventory_result_column(ctx, res, EPV_INVENTORY_COL_CO2_INTENSITY, &ci, &ny);
        for (size_t y = 0; y < ny; y++) check_int += ci[y];
        t_epv += now() - t0;
        epv_inventory_result_free(res);
        epv_inventory_free(inv);
    }
    fclose(out);
    double items = (double)nc * YEARS * SOURCES;
    printf("libepv objects   : %8.3f s  %12.0f records/s  last-year total %.6e t CO2e, trace %zu records, "
           "sum of intensities %.6e  (epv_inventory_compute per county)\n", t_epv, items / t_epv, check_total,
           check_trace, check_int);
    /* The batch path: every county in one call, then one trace per county. */
    epv_i64 years[YEARS];
    const char *codes[SOURCES], *sects[SOURCES], *grids[SOURCES];
    for (int y = 0; y < YEARS; y++) years[y] = Y0 + y;
    for (int s = 0; s < SOURCES; s++) {
        codes[s] = sources[s].code;
        sects[s] = sources[s].sector;
        grids[s] = sources[s].grid;
    }
    epv_inventory_batch b = EPV_INVENTORY_BATCH_INIT;
    b.nunits = (size_t)nc;
    b.nyears = YEARS;
    b.nsources = SOURCES;
    b.years = years;
    b.codes = codes;
    b.sectors = sects;
    b.grids = grids;
    double *tot = malloc(sizeof(double) * (size_t)nc * YEARS), *sec = malloc(sizeof(double) * (size_t)nc * YEARS * 5);
    double *inten = malloc(sizeof(double) * (size_t)nc * YEARS);
    double t_batch = 1e30, t_compute = 1e30, btot = 0, bint = 0;
    size_t btrace = 0;
    long long *trall = malloc(sizeof(long long) * (size_t)nc * SOURCES);
    if (!tot || !sec || !inten || !trall) return 1;
    for (int rep = 0; rep < 3; rep++) {
        double t0 = now();
        if (epv_inventory_batch_compute(ctx, f, &b, allact, allgdp, tot, sec, inten)) {
            fprintf(stderr, "bench_inventory: %s\n", epv_ctx_errmsg(ctx));
            return 1;
        }
        double tc = now() - t0;
        if (tc < t_compute) t_compute = tc;
        size_t idx[SOURCES], n, tr = 0;
        for (long c = 0; c < nc; c++) {
            epv_inventory_batch_trace(ctx, &b, allact, (size_t)c, YEARS - 1, "indirect", idx, SOURCES, &n);
            for (size_t i = 0; i < n; i++) trall[tr + i] = (long long)c * SOURCES + (long long)idx[i];
            tr += n;
        }
        double t = now() - t0;
        if (t < t_batch) t_batch = t;
        btot = 0;
        bint = 0;
        for (long c = 0; c < nc; c++) {
            for (int k = 0; k < 5; k++) btot += sec[((size_t)c * YEARS + YEARS - 1) * 5 + (size_t)k];
            for (int y = 0; y < YEARS; y++) bint += inten[(size_t)c * YEARS + (size_t)y];
        }
        btrace = tr;
    }
    printf("libepv batch     : %8.3f s  %12.0f records/s  last-year total %.6e t CO2e, trace %zu records, "
           "sum of intensities %.6e  (epv_inventory_batch_compute, best of 3; compute alone %.3f s)\n", t_batch,
           items / t_batch, btot, btrace, bint, t_compute);
    free(allact);
    free(allgdp);
    char cmd[8192], line[512];
    char outputs[] = "/tmp/epv-bench-inv-out-XXXXXX";
    fd = mkstemp(outputs);
    if (fd < 0) return 1;
    close(fd);
    const char *python = getenv("EPV_PYTHON") ? getenv("EPV_PYTHON") : "python3";
    snprintf(cmd, sizeof cmd, "'%s' '%s/bench/bench_inventory.py' '%s' '%s'", python, top, inputs, outputs);
    FILE *py = popen(cmd, "r");
    double tn = 0, totn = 0, intn = 0;
    long trn = 0;
    while (py && fgets(line, sizeof line, py))
        if (sscanf(line, "numpy %lf %lf %ld %lf", &tn, &totn, &trn, &intn) == 4) break;
    if (py) pclose(py);
    remove(inputs);
    /* Both sides must give the same numbers: every total, sector total and intensity to
     * 1e-12 relative (the summation orders differ), the trace exactly. */
    int same = tn > 0;
    FILE *o = same ? fopen(outputs, "rb") : NULL;
    size_t ncy = (size_t)nc * YEARS;
    double *ref = malloc(sizeof(double) * ncy * 7);
    long long *rtr = malloc(sizeof(long long) * (btrace + 1));
    if (!o || !ref || !rtr || fread(ref, sizeof(double), ncy * 7, o) != ncy * 7 ||
        fread(rtr, sizeof(long long), btrace + 1, o) != btrace)
        same = 0;
    double worst = 0;
    for (size_t i = 0; same && i < ncy * 7; i++) {
        double mine = i < ncy ? tot[i] : i < ncy * 6 ? sec[i - ncy] : inten[i - ncy * 6];
        double d = fabs(mine - ref[i]), m = fmax(fabs(mine), fabs(ref[i]));
        if (d > 1e-12 * m) {
            fprintf(stderr, "bench_inventory: output %zu differs: libepv %.17g, NumPy %.17g\n", i, mine, ref[i]);
            same = 0;
        }
        if (m > 0 && d / m > worst) worst = d / m;
    }
    for (size_t i = 0; same && i < btrace; i++)
        if (rtr[i] != trall[i]) {
            fprintf(stderr, "bench_inventory: trace entry %zu differs\n", i);
            same = 0;
        }
    if (o) fclose(o);
    remove(outputs);
    free(ref);
    free(rtr);
    free(trall);
    free(tot);
    free(sec);
    free(inten);
    if (tn > 0 && !same) {
        fprintf(stderr, "bench_inventory: libepv and NumPy disagree\n");
        return 1;
    }
    if (tn > 0) {
        printf("outputs: %zu totals, %zu sector totals, %zu intensities agree to %.1e relative (bound 1e-12); "
               "%zu trace records identical\n", ncy, ncy * 5, ncy, worst, btrace);
        printf("NumPy            : %8.3f s  %12.0f records/s  last-year total %.6e t CO2e, trace %ld records, "
               "sum of intensities %.6e  (best of 3)\n", tn, items / tn, totn, trn, intn);
        printf("speed vs NumPy on 1 thread: batch %.2fx, per-county objects %.2fx\n", tn / t_batch, tn / t_epv);
    } else {
        printf("NumPy run failed (is python3-numpy installed?)\n");
    }
    epv_inventory_factors_free(f);
    epv_ctx_free(ctx);
    return 0;
}
