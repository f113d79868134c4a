/* SPDX-License-Identifier: GPL-3.0-or-later */
#define _POSIX_C_SOURCE 200809L
/* Benchmark: reading a county's sub-compartment inventory. N records (default 100,000, about
 * a large county's 小班 count) are written, untimed, as a CSV file and as a GeoPackage layer of
 * square polygons in UTM 48N with the same attributes; then timed: epv_compartment_read_csv,
 * epv_compartment_read_vector with the area from the attribute, from the planar polygon and
 * from the ellipsoidal polygon. The reference is the same reading written plainly with GDAL's
 * Python bindings (bench/bench_compartment.py: every field and the polygon's planar area of
 * every feature) on the same GeoPackage in the same run.
 * Usage: bench_compartment TOP_SRCDIR [N] */
#include <epv.h>

#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static const char *const species[5] = { "柏木", "马尾松", "杉木", "桤木", "栎类" };

/* Record k: deterministic attributes; its square of area_ha on a 1 km grid of the UTM zone. */
static void record(size_t k, int *sp, int *natural, int *age, double *area, double *vol, int *site)
{
    *sp = (int)(k % 5);
    *natural = *sp == 4;
    *age = 5 + (int)(k * 7 % 60);
    *area = 1 + (double)(k * 13 % 400) / 10; /* 1 .. 40.9 ha */
    *vol = 20 + (double)(k * 11 % 1800) / 10;
    *site = (int)(k % 6);
}

static int make_inputs(const char *csv, const char *gpkg, size_t n)
{
    FILE *f = fopen(csv, "w");
    if (!f) return 1;
    fprintf(f, "id,species,origin,age,area_ha,volume_m3_ha,site_class\n");
    GDALAllRegister();
    GDALDriverH drv = GDALGetDriverByName("GPKG");
    GDALDatasetH ds = drv ? GDALCreate(drv, gpkg, 0, 0, 0, GDT_Unknown, NULL) : NULL;
    if (!ds) {
        fclose(f);
        return 1;
    }
    OGRSpatialReferenceH srs = OSRNewSpatialReference(NULL);
    OSRImportFromEPSG(srs, 32648);
    OGRLayerH lyr = GDALDatasetCreateLayer(ds, "xiaoban", srs, wkbPolygon, NULL);
    static const char *const names[7] = { "id", "species", "origin", "age", "area_ha", "volume_m3_ha", "site_class" };
    static const OGRFieldType types[7] = { OFTString, OFTString, OFTString, OFTInteger, OFTReal, OFTReal, OFTInteger };
    for (int i = 0; i < 7; i++) {
        OGRFieldDefnH fd = OGR_Fld_Create(names[i], types[i]);
        OGR_L_CreateField(lyr, fd, 1);
        OGR_Fld_Destroy(fd);
    }
    int bad = OGR_L_StartTransaction(lyr) != OGRERR_NONE;
    for (size_t k = 0; k < n && !bad; k++) {
        int sp, nat, age, site;
        double area, vol;
        char id[32];
        record(k, &sp, &nat, &age, &area, &vol, &site);
        snprintf(id, sizeof id, "B-%07zu", k);
        fprintf(f, "%s,%s,%s,%d,%.1f,%.1f,%d\n", id, species[sp], nat ? "天然" : "人工", age, area, vol, site);
        OGRFeatureH ft = OGR_F_Create(OGR_L_GetLayerDefn(lyr));
        OGR_F_SetFieldString(ft, 0, id);
        OGR_F_SetFieldString(ft, 1, species[sp]);
        OGR_F_SetFieldString(ft, 2, nat ? "天然" : "人工");
        OGR_F_SetFieldInteger(ft, 3, age);
        OGR_F_SetFieldDouble(ft, 4, area);
        OGR_F_SetFieldDouble(ft, 5, vol);
        OGR_F_SetFieldInteger(ft, 6, site);
        double side = sqrt(area * 1e4), x0 = 300000 + 1000.0 * (double)(k % 400), y0 = 3300000 + 1000.0 * (double)(k / 400);
        OGRGeometryH ring = OGR_G_CreateGeometry(wkbLinearRing), poly = OGR_G_CreateGeometry(wkbPolygon);
        OGR_G_AddPoint_2D(ring, x0, y0);
        OGR_G_AddPoint_2D(ring, x0 + side, y0);
        OGR_G_AddPoint_2D(ring, x0 + side, y0 + side);
        OGR_G_AddPoint_2D(ring, x0, y0 + side);
        OGR_G_AddPoint_2D(ring, x0, y0);
        OGR_G_AddGeometryDirectly(poly, ring);
        OGR_F_SetGeometryDirectly(ft, poly);
        bad = OGR_L_CreateFeature(lyr, ft) != OGRERR_NONE;
        OGR_F_Destroy(ft);
    }
    if (!bad) bad = OGR_L_CommitTransaction(lyr) != OGRERR_NONE;
    OSRDestroySpatialReference(srs);
    GDALClose(ds);
    fclose(f);
    return bad;
}

static double total_area(epv_ctx *ctx, epv_compartment_set *s)
{
    double a = 0;
    for (size_t i = 0; i < epv_compartment_count(s); i++) {
        epv_compartment r = EPV_COMPARTMENT_INIT;
        epv_compartment_at(ctx, s, i, &r);
        a += r.area_ha;
    }
    return a;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s TOP_SRCDIR [N]\n", argv[0]);
        return 2;
    }
    size_t n = argc > 2 ? (size_t)atol(argv[2]) : 100000;
    char dir[256], csv[300], gpkg[300], cmd[1200];
    snprintf(dir, sizeof dir, "%s/epv_bench_comp_XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    if (!mkdtemp(dir)) return 1;
    snprintf(csv, sizeof csv, "%s/inv.csv", dir);
    snprintf(gpkg, sizeof gpkg, "%s/inv.gpkg", dir);
    if (make_inputs(csv, gpkg, n)) {
        fprintf(stderr, "cannot write the inputs in %s\n", dir);
        return 1;
    }
    epv_ctx *ctx = NULL;
    epv_params *params = NULL;
    if (epv_ctx_new(&ctx) || epv_params_load_default(ctx, &params)) return 1;
    printf("%zu sub-compartments (CSV %s, GeoPackage of squares in UTM 48N)\n", n, csv);
    static const char *const what[4] = { "CSV (epv_compartment_read_csv)", "GeoPackage, area attribute",
                                         "GeoPackage, planar polygon area", "GeoPackage, ellipsoidal polygon area" };
    int status = 0;
    for (int m = 0; m < 4 && !status; m++) {
        double best = HUGE_VAL, area = 0;
        for (int rep = 0; rep < 3; rep++) {
            epv_compartment_set *s = NULL;
            epv_compartment_fields fl = EPV_COMPARTMENT_FIELDS_INIT;
            fl.area_from = m == 2 ? EPV_COMPARTMENT_AREA_PLANAR : m == 3 ? EPV_COMPARTMENT_AREA_ELLIPSOIDAL
                                                                         : EPV_COMPARTMENT_AREA_ATTRIBUTE;
            double t0 = now();
            int rc = m == 0 ? epv_compartment_read_csv(ctx, csv, NULL, params, &s)
                            : epv_compartment_read_vector(ctx, gpkg, NULL, &fl, params, &s);
            double t = now() - t0;
            if (rc) {
                fprintf(stderr, "%s\n", epv_ctx_errmsg(ctx));
                status = 1;
                break;
            }
            if (t < best) best = t;
            area = total_area(ctx, s);
            epv_compartment_set_free(s);
        }
        if (!status)
            printf("  %-40s %8.3f s  %10.0f records/s  (total %.1f ha, best of 3)\n", what[m], best, (double)n / best, area);
    }
    snprintf(cmd, sizeof cmd, "\"${EPV_PYTHON:-/usr/bin/python3}\" '%s/bench/bench_compartment.py' '%s'", argv[1], gpkg);
    FILE *py = status ? NULL : popen(cmd, "r");
    if (py) {
        double t = 0, a = 0;
        if (fscanf(py, "python_seconds %lf area %lf", &t, &a) == 2)
            printf("  %-40s %8.3f s  %10.0f records/s  (total %.1f ha, planar)\n", "GDAL Python bindings, fields + area", t,
                   (double)n / t, a);
        else
            printf("  (the Python reference did not run: is python3-gdal installed?)\n");
        pclose(py);
    }
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd)) fprintf(stderr, "cannot remove %s\n", dir);
    epv_params_free(params);
    epv_ctx_free(ctx);
    return status;
}
