/* SPDX-License-Identifier: GPL-3.0-or-later */
#define _POSIX_C_SOURCE 200809L
/* Benchmark: project 100,000 strata over 60 years (growth curve → biomass → carbon → CO2e →
 * net removals) with libepv on 1 and 2 threads, and the same computation written plainly
 * with NumPy (bench/bench_sink.py) in the same run on the same inputs. Prints stand-years
 * per second for each and the ratios. Usage: bench_sink TOP_SRCDIR [NSTRATA] */
#include <epv.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define YEARS 60
#define START 2021

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* Small deterministic generator so the inputs are the same on every run. */
static double uniform(unsigned long long *s)
{
    *s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
    return (double)(*s >> 11) / 9007199254740992.0;
}

static double run(epv_ctx *ctx, const epv_project *p, int threads, double *total, int reps)
{
    epv_sink_options opt = EPV_SINK_OPTIONS_INIT;
    opt.years = YEARS;
    opt.keep_strata = 0;
    epv_ctx_set_threads(ctx, threads);
    double best = 1e30;
    for (int r = 0; r < reps; r++) {
        epv_sink_result *res = NULL;
        double t0 = now();
        if (epv_sink_estimate_ex(ctx, p, NULL, &opt, &res)) {
            fprintf(stderr, "bench_sink: %s\n", epv_ctx_errmsg(ctx));
            exit(1);
        }
        double t = now() - t0;
        if (t < best) best = t;
        epv_sink_year y = EPV_SINK_YEAR_INIT;
        epv_sink_result_year(ctx, res, YEARS - 1, &y);
        *total = y.cumulative_net_tco2;
        epv_sink_result_free(res);
    }
    return best;
}

int main(int argc, char **argv)
{
    const char *top = argc > 1 ? argv[1] : ".";
    long n = argc > 2 ? atol(argv[2]) : 100000;
    epv_ctx *ctx;
    epv_params *params;
    if (epv_ctx_new(&ctx) || epv_params_load_default(ctx, &params)) return 1;
    epv_project *p;
    if (epv_project_new(ctx, "bench", EPV_PROJECT_AFFORESTATION, START, 40, &p)) return 1;
    char inputs[] = "/tmp/epv-bench-sink-XXXXXX";
    int fd = mkstemp(inputs);
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!f) return 1;
    fprintf(f, "area_ha,planting_year,a,b,c,wood_density,bef,root_shoot,carbon_fraction\n");
    size_t nsp = epv_params_species_count(params);
    unsigned long long seed = 42;
    for (long i = 0; i < n; i++) {
        epv_project_stratum s = EPV_PROJECT_STRATUM_INIT;
        epv_params_species sp = EPV_PARAMS_SPECIES_INIT;
        epv_params_species_at(ctx, params, (size_t)i % nsp, &sp);
        snprintf(s.id, sizeof s.id, "s%ld", i);
        snprintf(s.species, sizeof s.species, "%s", sp.code);
        s.area_ha = 1 + 99 * uniform(&seed);
        s.planting_year = START - 5 + (int)(10 * uniform(&seed));
        s.curve.model = EPV_GROWTH_RICHARDS;
        s.curve.a = 150 + 300 * uniform(&seed);
        s.curve.b = 0.03 + 0.06 * uniform(&seed);
        s.curve.c = 1.5 + 2 * uniform(&seed);
        if (epv_project_add_stratum(ctx, p, params, &s)) {
            fprintf(stderr, "bench_sink: %s\n", epv_ctx_errmsg(ctx));
            return 1;
        }
        fprintf(f, "%.17g,%d,%.17g,%.17g,%.17g,%.17g,%.17g,%.17g,%.17g\n", s.area_ha, s.planting_year, s.curve.a,
                s.curve.b, s.curve.c, sp.wood_density, sp.bef, sp.root_shoot, sp.carbon_fraction);
    }
    fclose(f);
    double stand_years = (double)n * YEARS, total1, total2;
    double t1 = run(ctx, p, 1, &total1, 3);
    double t2 = run(ctx, p, 2, &total2, 3);
    printf("libepv  1 thread : %8.3f s  %12.0f stand-years/s  cumulative net %.6e t CO2e\n", t1, stand_years / t1, total1);
    printf("libepv  2 threads: %8.3f s  %12.0f stand-years/s  cumulative net %.6e t CO2e\n", t2, stand_years / t2, total2);
    char cmd[8192], line[512];
    const char *python = getenv("EPV_PYTHON") ? getenv("EPV_PYTHON") : "python3";
    snprintf(cmd, sizeof cmd, "'%s' '%s/bench/bench_sink.py' '%s' %d %d", python, top, inputs, START, YEARS);
    FILE *py = popen(cmd, "r");
    double tn = 0, totaln = 0;
    while (py && fgets(line, sizeof line, py))
        if (sscanf(line, "numpy %lf %lf", &tn, &totaln) == 2) break;
    if (py) pclose(py);
    remove(inputs);
    if (tn > 0) {
        printf("NumPy   1 thread : %8.3f s  %12.0f stand-years/s  cumulative net %.6e t CO2e\n", tn, stand_years / tn, totaln);
        printf("ratio libepv/NumPy: %.1fx on 1 thread, %.1fx on 2 threads (results agree to %.1e)\n", tn / t1, tn / t2,
               totaln != 0 ? (total1 - totaln) / totaln : 0.0);
    } else {
        printf("NumPy run failed (is python3-numpy installed?)\n");
    }
    epv_project_free(p);
    epv_params_free(params);
    epv_ctx_free(ctx);
    return 0;
}
