/* SPDX-License-Identifier: GPL-3.0-or-later */
#define _POSIX_C_SOURCE 200809L
/* GEP benchmark: an account of 3,000 counties in 30 provinces and one nation × 20 ecosystem
 * types × every leaf indicator of the national tree × 10 years; valuation with price
 * conversion to constant prices, then aggregation of GEP to counties, provinces and the
 * nation. The same computation written plainly with NumPy (bench/bench_gep.py) runs in the
 * same invocation on the same numbers; both rates and their ratio are printed.
 * Usage: bench_gep SRCDIR */
#include <epv.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define NPROV 30
#define NCOUNTY 3000
#define NECO 20
#define NYEARS 10
#define FIRST 2011
#define PRICE_YEAR 2020
#define REPS 5

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

static unsigned long long rng = 88172645463325252ULL;
static double urand(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (double)(rng >> 11) / 9007199254740992.0;
}

int main(int argc, char **argv)
{
    const char *src = argc > 1 ? argv[1] : ".";
    epv_ctx *ctx;
    epv_gep_tree *tree;
    if (epv_ctx_new(&ctx) || epv_gep_tree_load_default(ctx, &tree)) return 1;
    size_t nreg = 1 + NPROV + NCOUNTY;
    epv_gep_region *regs = calloc(nreg, sizeof *regs);
    int *parent = malloc(nreg * sizeof *parent);
    for (size_t r = 0; r < nreg; r++) epv_gep_region_init(ctx, &regs[r], EPV_GEP_REGION_VERSION);
    snprintf(regs[0].code, sizeof regs[0].code, "CN");
    parent[0] = -1;
    for (int p = 0; p < NPROV; p++) {
        snprintf(regs[1 + p].code, sizeof regs[0].code, "P%02d", p);
        snprintf(regs[1 + p].parent, sizeof regs[0].parent, "CN");
        parent[1 + p] = 0;
    }
    for (int c = 0; c < NCOUNTY; c++) {
        int p = c % NPROV;
        snprintf(regs[1 + NPROV + c].code, sizeof regs[0].code, "C%04d", c);
        snprintf(regs[1 + NPROV + c].parent, sizeof regs[0].parent, "P%02d", p);
        parent[1 + NPROV + c] = 1 + p;
    }
    for (size_t r = 0; r < nreg; r++) snprintf(regs[r].name, sizeof regs[r].name, "%s", regs[r].code);
    char ecobuf[NECO][16];
    const char *eco[NECO];
    for (int e = 0; e < NECO; e++) {
        snprintf(ecobuf[e], sizeof ecobuf[e], "eco%02d", e);
        eco[e] = ecobuf[e];
    }
    epv_gep_account *acc;
    if (epv_gep_account_new(ctx, &acc, tree, regs, nreg, eco, NECO, FIRST, NYEARS)) return 1;
    epv_gep_prices *pr;
    epv_gep_deflator *d;
    epv_gep_prices_new(ctx, tree, &pr);
    epv_gep_deflator_new(ctx, &d);
    double idx = 100;
    for (int y = 2005; y <= PRICE_YEAR; y++, idx *= 1.02) epv_gep_deflator_set(ctx, d, y, idx);

    /* Leaves, their prices and base years; quantities written for NumPy as well. */
    size_t nt = epv_gep_tree_count(tree), nleaf = 0;
    char path[4096];
    snprintf(path, sizeof path, "/tmp/epv_bench_gep_%d.bin", (int)getpid());
    FILE *f = fopen(path, "wb");
    if (!f) return 1;
    size_t block = nreg * NECO;
    double *vals = malloc(block * sizeof *vals);
    double price[64];
    int base[64], final[64];
    for (size_t i = 0; i < nt; i++) {
        epv_gep_indicator ind = EPV_GEP_INDICATOR_INIT;
        epv_gep_tree_at(ctx, tree, i, &ind);
        if (!ind.leaf) continue;
        epv_gep_price p = EPV_GEP_PRICE_INIT;
        snprintf(p.indicator, sizeof p.indicator, "%s", ind.code);
        p.unit = ind.unit;
        int money = epv_unit_dimension_of(ind.unit) == EPV_UNIT_DIM_MONEY;
        p.yuan_per_unit = money ? 1.0 : 0.5 + 100 * urand();
        p.base_year = 2005 + (int)(nleaf % 3) * 5;
        snprintf(p.source, sizeof p.source, "benchmark");
        epv_gep_prices_set(ctx, pr, &p);
        price[nleaf] = p.yuan_per_unit;
        base[nleaf] = money ? 0 : p.base_year; /* 0: money of the data year */
        final[nleaf] = ind.final_service;
        for (int y = 0; y < NYEARS; y++) {
            for (size_t k = 0; k < block; k++) vals[k] = k / NECO > NPROV ? 1e3 * urand() : 0.0;
            if (epv_gep_account_set_quantities(ctx, acc, ind.code, FIRST + y, vals)) {
                fprintf(stderr, "%s\n", epv_ctx_errmsg(ctx));
                return 1;
            }
            fwrite(vals, sizeof *vals, block, f);
        }
        nleaf++;
    }
    fclose(f);
    /* Metadata for NumPy: leaf prices, base years, final flags, deflator, parents. */
    char meta[4200];
    snprintf(meta, sizeof meta, "%s.meta", path);
    f = fopen(meta, "w");
    fprintf(f, "%zu %d %zu %d %d %d\n", nleaf, NYEARS, nreg, NECO, FIRST, PRICE_YEAR);
    for (size_t l = 0; l < nleaf; l++) fprintf(f, "%.17g %d %d\n", price[l], base[l], final[l]);
    idx = 100;
    for (int y = 2005; y <= PRICE_YEAR; y++, idx *= 1.02) fprintf(f, "%d %.17g\n", y, idx);
    for (size_t r = 0; r < nreg; r++) fprintf(f, "%d\n", parent[r]);
    fclose(f);

    double *table = malloc(nreg * NYEARS * sizeof *table);
    double best = 1e30, best2 = 1e30;
    for (int rep = 0; rep < REPS; rep++) {
        double t0 = now();
        if (epv_gep_account_value(ctx, acc, pr, d, PRICE_YEAR) ||
            epv_gep_account_gep_table(ctx, acc, EPV_GEP_CONSTANT, table)) {
            fprintf(stderr, "%s\n", epv_ctx_errmsg(ctx));
            return 1;
        }
        double t = now() - t0;
        if (t < best) best = t;
    }
    epv_ctx_set_threads(ctx, 2);
    for (int rep = 0; rep < REPS; rep++) {
        double t0 = now();
        epv_gep_account_value(ctx, acc, pr, d, PRICE_YEAR);
        epv_gep_account_gep_table(ctx, acc, EPV_GEP_CONSTANT, table);
        double t = now() - t0;
        if (t < best2) best2 = t;
    }
    double cells = (double)NCOUNTY * NECO * nleaf * NYEARS;
    double nation = 0;
    for (int y = 0; y < NYEARS; y++) nation += table[y];
    printf("GEP account: %d counties, %d provinces, 1 nation x %d ecosystems x %zu indicators x %d years = %.3g cells\n",
           NCOUNTY, NPROV, NECO, nleaf, NYEARS, cells);
    printf("libepv (1 thread):  %.4f s  %.1f M cells/s  (nation GEP summed over years %.10e)\n", best, cells / best / 1e6,
           nation);
    printf("libepv (2 threads): %.4f s  %.1f M cells/s\n", best2, cells / best2 / 1e6);
    fflush(stdout);

    char cmd[16384];
    /* the first python3 on PATH may lack NumPy (a private interpreter): try the system one too */
    snprintf(cmd, sizeof cmd,
             "for p in python3 /usr/bin/python3; do $p -c 'import numpy' 2>/dev/null && "
             "exec $p '%s/bench/bench_gep.py' '%s' '%s'; done",
             src, path, meta);
    FILE *py = popen(cmd, "r");
    double pyt = NAN, pynation = NAN;
    if (py) {
        char line[512];
        while (fgets(line, sizeof line, py)) {
            if (sscanf(line, "numpy_seconds %lf nation %lf", &pyt, &pynation) == 2) continue;
            fputs(line, stdout);
        }
        pclose(py);
    }
    remove(path);
    remove(meta);
    if (isnan(pyt)) {
        printf("NumPy: not run (python3 with numpy needed)\n");
    } else {
        printf("NumPy:              %.4f s  %.1f M cells/s  (nation GEP summed over years %.10e, rel. diff %.1e)\n", pyt,
               cells / pyt / 1e6, pynation, fabs(pynation - nation) / nation);
        printf("ratio libepv/NumPy: %.2fx (1 thread), %.2fx (2 threads)\n", pyt / best, pyt / best2);
    }
    free(table);
    free(vals);
    free(regs);
    free(parent);
    epv_gep_prices_free(pr);
    epv_gep_deflator_free(d);
    epv_gep_account_free(acc);
    epv_gep_tree_free(tree);
    epv_ctx_free(ctx);
    return 0;
}
