/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Spatial benchmark: all services and zonal sums to NZX x NZY rectangular regions over a
 * synthetic 30 m grid written by bench/bench_spatial.py, against
 *   - GDAL alone reading the same six rasters block by block (the I/O floor),
 *   - the same computation with GDAL and NumPy (bench_spatial.py run), in the same run.
 * Then peak memory (ru_maxrss of a child process running epv_spatial_run) on the grid and on
 * one four times larger.
 *
 * Usage: bench_spatial SRCDIR [NX NY]   (default 4000 x 2500 = 1e7 pixels, 60 x 50 regions) */
#define _GNU_SOURCE 1
#include <epv.h>
#include <gdal.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static const char *names[6] = { "landcover", "dem", "precip", "et", "erosivity", "erodibility" };
static char paths[8][1024];

static void set_opts(epv_spatial_options *o, const char *dir)
{
    for (int i = 0; i < 6; i++) snprintf(paths[i], sizeof paths[i], "%s/%s.tif", dir, names[i]);
    snprintf(paths[6], sizeof paths[6], "%s/bio.csv", dir);
    snprintf(paths[7], sizeof paths[7], "%s/zones.geojson", dir);
    epv_spatial_options_init(NULL, o, EPV_SPATIAL_OPTIONS_VERSION);
    o->landcover = paths[0];
    o->dem = paths[1];
    o->precip = paths[2];
    o->et = paths[3];
    o->erosivity = paths[4];
    o->erodibility = paths[5];
    o->biophysical = paths[6];
    o->zones = paths[7];
    o->slope_length_m = 50;
}

static int make_inputs(const char *src, const char *dir, int nx, int ny)
{
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "\"${EPV_PYTHON:-/usr/bin/python3}\" '%s/bench/bench_spatial.py' make '%s' %d %d 60 50", src,
             dir, nx, ny);
    return system(cmd);
}

/* GDAL alone: read all six rasters block by block into Float64 buffers (one thread). */
static double gdal_read_seconds(void)
{
    double t0 = now();
    double *buf = malloc(sizeof(double) * 256 * 256);
    for (int i = 0; i < 6; i++) {
        GDALDatasetH ds = GDALOpen(paths[i], GA_ReadOnly);
        GDALRasterBandH b = GDALGetRasterBand(ds, 1);
        int nx = GDALGetRasterXSize(ds), ny = GDALGetRasterYSize(ds);
        for (int r = 0; r < ny; r += 256)
            for (int c = 0; c < nx; c += 256) {
                int w = nx - c < 256 ? nx - c : 256, h = ny - r < 256 ? ny - r : 256;
                if (GDALRasterIO(b, GF_Read, c, r, w, h, buf, w, h, GDT_Float64, 0, 0) != CE_None) abort();
            }
        GDALClose(ds);
    }
    free(buf);
    return now() - t0;
}

static double total(epv_ctx *ctx, const epv_spatial_result *r, epv_spatial_col col)
{
    const double *v;
    size_t n;
    double s = 0;
    epv_spatial_result_column(ctx, r, col, &v, &n);
    for (size_t i = 0; i < n; i++) s += v[i];
    return s;
}

/* Peak resident memory (MB) of a child process running one epv_spatial_run with all threads. */
static double child_peak_mb(const epv_spatial_options *o)
{
    pid_t pid = fork();
    if (pid == 0) {
        epv_ctx *ctx;
        epv_spatial_result *r = NULL;
        epv_ctx_new(&ctx);
        epv_ctx_set_threads(ctx, 0);
        int rc = epv_spatial_run(ctx, o, &r);
        epv_spatial_result_free(r);
        epv_ctx_free(ctx);
        _exit(rc ? 1 : 0);
    }
    int st;
    struct rusage ru;
    if (wait4(pid, &st, 0, &ru) < 0 || !WIFEXITED(st) || WEXITSTATUS(st)) return NAN;
    return (double)ru.ru_maxrss / 1024.0;
}

int main(int argc, char **argv)
{
    const char *src = argc > 1 ? argv[1] : ".";
    int nx = argc > 3 ? atoi(argv[2]) : 4000, ny = argc > 3 ? atoi(argv[3]) : 2500;
    char dir[] = "/tmp/epv_bench_spatial_XXXXXX";
    if (!mkdtemp(dir)) return 1;
    GDALAllRegister();
    if (make_inputs(src, dir, nx, ny)) {
        printf("bench_spatial: could not make inputs (python3 with GDAL and NumPy needed)\n");
        return 1;
    }
    epv_spatial_options o;
    set_opts(&o, dir);
    double px = (double)nx * ny;
    double tread = gdal_read_seconds();
    epv_ctx *ctx;
    epv_ctx_new(&ctx);
    epv_spatial_result *r1 = NULL, *r2 = NULL;
    double t0 = now();
    if (epv_spatial_run(ctx, &o, &r1)) {
        printf("bench_spatial: %s\n", epv_ctx_errmsg(ctx));
        return 1;
    }
    double t1 = now() - t0;
    epv_ctx_set_threads(ctx, 0);
    int nth = epv_ctx_threads(ctx);
    t0 = now();
    if (epv_spatial_run(ctx, &o, &r2)) return 1;
    double t2 = now() - t0;
    double water = total(ctx, r1, EPV_SPATIAL_WATER_CONSERVATION), soil = total(ctx, r1, EPV_SPATIAL_SOIL_RETENTION);
    printf("spatial: %d x %d = %.3g pixels, %zu regions x %zu ecosystems, all services (water, soil with LS, CO2/O2, ET)\n",
           nx, ny, px, epv_spatial_result_region_count(r1), epv_spatial_result_ecosystem_count(r1));
    printf("GDAL alone, reading the 6 rasters: %.3f s  %.1f M pixels/s\n", tread, px / tread / 1e6);
    printf("libepv (1 thread):   %.3f s  %.1f M pixels/s  %.0f ns/pixel  (%.2fx the GDAL read)\n", t1, px / t1 / 1e6,
           t1 / px * 1e9, t1 / tread);
    printf("libepv (%d threads): %.3f s  %.1f M pixels/s  (%.2fx the GDAL read)\n", nth, t2, px / t2 / 1e6, t2 / tread);
    fflush(stdout);
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "\"${EPV_PYTHON:-/usr/bin/python3}\" '%s/bench/bench_spatial.py' run '%s'", src, dir);
    FILE *py = popen(cmd, "r");
    double pyt = NAN, pw = NAN, ps = NAN, pc = NAN;
    if (py) {
        char line[512];
        while (fgets(line, sizeof line, py))
            if (sscanf(line, "numpy_seconds %lf water %lf soil %lf co2 %lf", &pyt, &pw, &ps, &pc) != 4) fputs(line, stdout);
        pclose(py);
    }
    if (isnan(pyt))
        printf("NumPy: not run\n");
    else {
        printf("GDAL + NumPy (1 thread): %.3f s  %.1f M pixels/s  (totals: water rel. diff %.1e, soil %.1e)\n", pyt,
               px / pyt / 1e6, fabs(pw - water) / water, fabs(ps - soil) / soil);
        printf("ratio libepv/NumPy: %.2fx (1 thread), %.2fx (%d threads)\n", pyt / t1, pyt / t2, nth);
    }
    fflush(stdout);
    double m1 = child_peak_mb(&o);
    char dir4[] = "/tmp/epv_bench_spatial4_XXXXXX";
    double m4 = NAN;
    if (mkdtemp(dir4) && make_inputs(src, dir4, 2 * nx, 2 * ny) == 0) {
        epv_spatial_options o4;
        set_opts(&o4, dir4);
        m4 = child_peak_mb(&o4);
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir4);
        if (system(cmd)) fprintf(stderr, "cannot remove %s\n", dir4);
    }
    printf("peak memory (%d threads): %.1f MB at %.3g pixels, %.1f MB at %.3g pixels (4x)\n", nth, m1, px, m4, 4 * px);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd)) fprintf(stderr, "cannot remove %s\n", dir);
    epv_spatial_result_free(r1);
    epv_spatial_result_free(r2);
    epv_ctx_free(ctx);
    return 0;
}
