/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Benchmark: Monte Carlo (IPCC Approach 2) of a 1,000-stratum, 40-year project through
 * epv_mc_run, on 1 and 2 threads, beside the same computation written with NumPy
 * (bench/bench_uncertainty.py) run as a subprocess in the same run.
 *
 * Per stratum: area (normal, 5%), Richards volume curve a (1 - e^(-b t))^c with (a, b, c)
 * jointly normal (8%, 10%, 8%; correlations -0.5, 0.3, 0.4 as from a fit), wood density and
 * BEF (normal, 10%); CF 0.47 and R 0.25 fixed. Outputs: project removals in each year 1..40.
 *
 * Usage: bench_uncertainty SRCDIR [ITERATIONS]   (default 100,000 iterations)
 */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "epv.h"
#include "epv/uncertainty.h"

#define NSTRATA 1000
#define YEARS 40
#define PER 6 /* inputs per stratum: area, a, b, c, density, bef */

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* The project through the library: each stratum's Richards curve over ages 0..40 with
 * epv_growth_eval_many (evaluated as one vectorised batch), volume changes times the
 * BEF-method factor D·BEF·(1+R)·CF·44/12 and the area. */
static int project_model(const double *in, size_t nin, double *out, size_t nout, void *payload)
{
    (void)nin;
    (void)payload;
    /* No context: the model runs on worker threads and has no error to report that the
     * returned status does not carry. */
    epv_ctx *ctx = NULL;
    double ages[YEARS + 1], v[YEARS + 1];
    for (size_t t = 0; t <= YEARS; t++) ages[t] = (double)t;
    memset(out, 0, nout * sizeof *out);
    for (size_t s = 0; s < NSTRATA; s++) {
        const double *p = in + s * PER;
        epv_growth_curve curve = { EPV_GROWTH_CURVE_VERSION, EPV_GROWTH_RICHARDS, p[1], p[2], p[3] };
        int rc = epv_growth_eval_many(ctx, &curve, ages, nout + 1, v);
        if (rc) return rc;
        double k = p[0] * p[4] * p[5] * 1.25 * 0.47 * 44.0 / 12.0;
        for (size_t y = 0; y < nout; y++) out[y] += k * (v[y + 1] - v[y]);
    }
    return 0;
}

static int build(epv_ctx *ctx, epv_mc **out)
{
    static const double corr[9] = { 1.0, -0.5, 0.3, -0.5, 1.0, 0.4, 0.3, 0.4, 1.0 };
    epv_mc *mc;
    int rc = epv_mc_new(ctx, &mc);
    if (rc) return rc;
    for (int h = 0; h < NSTRATA && rc == 0; h++) {
        double area = 50.0 + (h % 17) * 10.0, a = 250.0 + (h % 13) * 10.0;
        double b = 0.04 + (h % 7) * 0.005, c = 2.0 + (h % 5) * 0.2;
        double dens = 0.30 + (h % 4) * 0.03, bef = 1.4 + (h % 3) * 0.1;
        double mean[3] = { a, b, c }, sd[3] = { a * 0.08, b * 0.10, c * 0.08 }, cov[9];
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++) cov[i * 3 + j] = corr[i * 3 + j] * sd[i] * sd[j];
        epv_mc_dist d = epv_mc_dist_normal(area, area * 0.05);
        rc = epv_mc_add_input(mc, "area_ha", &d, EPV_MC_NONNEG, NULL);
        if (!rc) rc = epv_mc_add_mvnormal(mc, "richards", 3, mean, cov, 0, NULL);
        d = epv_mc_dist_normal(dens, dens * 0.10);
        if (!rc) rc = epv_mc_add_input(mc, "density", &d, EPV_MC_NONNEG, NULL);
        d = epv_mc_dist_normal(bef, bef * 0.10);
        if (!rc) rc = epv_mc_add_input(mc, "bef", &d, EPV_MC_NONNEG, NULL);
    }
    if (rc) {
        epv_mc_free(mc);
        return rc;
    }
    *out = mc;
    return 0;
}

static double total_mean(epv_mc *mc, size_t iters, double *sd_out)
{
    double *buf = malloc(iters * sizeof *buf), *tot = calloc(iters, sizeof *tot);
    for (size_t y = 0; y < YEARS; y++) {
        epv_mc_samples(mc, y, buf, iters);
        for (size_t i = 0; i < iters; i++) tot[i] += buf[i];
    }
    double m = 0, v = 0;
    for (size_t i = 0; i < iters; i++) m += tot[i] / (double)iters;
    for (size_t i = 0; i < iters; i++) v += (tot[i] - m) * (tot[i] - m) / (double)(iters - 1);
    free(buf);
    free(tot);
    *sd_out = sqrt(v);
    return m;
}

int main(int argc, char **argv)
{
    const char *src = argc > 1 ? argv[1] : ".";
    size_t iters = argc > 2 ? (size_t)strtoul(argv[2], NULL, 10) : 100000;
    epv_ctx *ctx;
    if (epv_ctx_new(&ctx)) return 1;
    epv_ctx_set_seed(ctx, 1);
    double rate[3] = { 0, 0, 0 }, sd = 0, mean = 0;
    for (int threads = 1; threads <= 2; threads++) {
        epv_mc *mc;
        if (build(ctx, &mc)) {
            fprintf(stderr, "build: %s\n", epv_ctx_errmsg(ctx));
            return 1;
        }
        epv_ctx_set_threads(ctx, threads);
        double t0 = now();
        if (epv_mc_run(mc, iters, YEARS, project_model, NULL)) {
            fprintf(stderr, "run: %s\n", epv_ctx_errmsg(ctx));
            return 1;
        }
        double dt = now() - t0;
        rate[threads] = (double)iters / dt;
        mean = total_mean(mc, iters, &sd);
        printf("libepv threads=%d iterations=%zu seconds=%.4f iters_per_s=%.2f "
               "mean_total_tco2e=%.6g sd_total_tco2e=%.6g\n",
               threads, iters, dt, rate[threads], mean, sd);
        epv_mc_free(mc);
    }
    /* NumPy twin: the system python3 first (where Debian's python3-numpy lives). */
    const char *pys[] = { getenv("PYTHON3"), "/usr/bin/python3", "python3" };
    double np_rate = 0;
    for (size_t p = 0; p < sizeof pys / sizeof pys[0] && np_rate == 0; p++) {
        if (!pys[p]) continue;
        char cmd[4096], line[1024];
        snprintf(cmd, sizeof cmd, "%s '%s/bench/bench_uncertainty.py' %zu 1 2>/dev/null", pys[p],
                 src, iters);
        FILE *f = popen(cmd, "r");
        if (!f) continue;
        while (fgets(line, sizeof line, f)) {
            const char *r = strstr(line, "iters_per_s=");
            if (r) {
                np_rate = atof(r + 12);
                fputs(line, stdout);
            }
        }
        pclose(f);
    }
    if (np_rate > 0)
        printf("ratio libepv(2 threads)/numpy = %.2f, libepv(1 thread)/numpy = %.2f\n",
               rate[2] / np_rate, rate[1] / np_rate);
    else
        printf("numpy run failed (is python3-numpy installed?)\n");
    epv_ctx_free(ctx);
    return 0;
}
