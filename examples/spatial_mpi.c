/* SPDX-License-Identifier: GPL-3.0-or-later */
/* MPI driver of the spatial module: rank r of n computes part r of n (whole groups of tiles,
 * epv_spatial_run_part), rank 0 gathers the serialised parts, merges them
 * (epv_spatial_result_merge) and writes the account input (XML) and the table (CSV). The
 * merge sums the tile groups in the same fixed order as a single-process run, so the files
 * are identical, bit for bit, to those of `spatial_mpi --serial` (epv_spatial_run) with any
 * number of ranks and threads.
 *
 * Usage: mpirun -n N spatial_mpi OUTPREFIX DATADIR [TILE] [key=value ...]
 *        spatial_mpi --serial OUTPREFIX DATADIR [TILE] [key=value ...]   (one process, no MPI)
 * DATADIR holds bazhong_spatial/ (the example's data set); key=value pairs replace its inputs:
 * landcover, dem, precip, et, erosivity, erodibility, nep, biophysical, zones, code_field,
 * name_field, water_ecosystem, storm_precip, marsh_ecosystem, parent_field, parent_name_field
 * (paths or names; "-" removes an input) and transpiration_days (a number), so the same driver runs
 * any data set, e.g. a national one. */
#include <mpi.h>

#include <epv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int fail(epv_ctx *ctx, const char *what, int rank)
{
    fprintf(stderr, "spatial_mpi (rank %d): %s: %s\n", rank, what, epv_ctx_errmsg(ctx));
    return 1;
}

static int write_outputs(epv_ctx *ctx, const epv_spatial_result *r, const char *prefix)
{
    char xml[1100], csv[1100];
    snprintf(xml, sizeof xml, "%s.xml", prefix);
    snprintf(csv, sizeof csv, "%s.csv", prefix);
    if (epv_spatial_result_write_gep_input(ctx, r, 2021, NULL, xml)) return fail(ctx, "xml", 0);
    if (epv_spatial_result_write_csv(ctx, r, csv)) return fail(ctx, "csv", 0);
    return 0;
}

int main(int argc, char **argv)
{
    int serial = argc > 1 && !strcmp(argv[1], "--serial");
    int a = serial ? 2 : 1;
    if (argc < a + 2) {
        fprintf(stderr, "usage: %s [--serial] OUTPREFIX DATADIR [TILE]\n", argv[0]);
        return 2;
    }
    const char *prefix = argv[a], *data = argv[a + 1];
    int tile = argc > a + 2 && !strchr(argv[a + 2], '=') ? atoi(argv[a + 2]) : 16;
    char f[8][1100];
    const char *names[8] = { "landcover.tif", "dem.tif", "precip.tif", "et.tif", "erosivity.tif", "erodibility.tif",
                             "biophysical.csv", "bazhong_counties.geojson" };
    for (int i = 0; i < 8; i++) snprintf(f[i], sizeof f[i], "%s/bazhong_spatial/%s", data, names[i]);
    epv_ctx *ctx = NULL;
    if (epv_ctx_new(&ctx)) return 1;
    epv_ctx_set_threads(ctx, 0);
    epv_spatial_options o;
    epv_spatial_options_init(ctx, &o, EPV_SPATIAL_OPTIONS_VERSION);
    o.landcover = f[0];
    o.dem = f[1];
    o.precip = f[2];
    o.et = f[3];
    o.erosivity = f[4];
    o.erodibility = f[5];
    o.biophysical = f[6];
    o.zones = f[7];
    o.code_field = "id";
    o.water_ecosystem = "wetland"; /* its ET is water-surface evaporation (climate regulation) */
    o.slope_length_m = 50;
    o.tile_rows = o.tile_cols = tile;
    for (int i = a + 2; i < argc; i++) {
        char *eq = strchr(argv[i], '=');
        if (!eq) continue;
        *eq = 0;
        const char *v = strcmp(eq + 1, "-") ? eq + 1 : NULL, *k = argv[i];
        if (!strcmp(k, "transpiration_days")) { /* the one number */
            o.transpiration_days = v ? atof(v) : 0;
            continue;
        }
        const char **slot = !strcmp(k, "landcover") ? &o.landcover : !strcmp(k, "dem") ? &o.dem
                          : !strcmp(k, "precip") ? &o.precip : !strcmp(k, "et") ? &o.et
                          : !strcmp(k, "erosivity") ? &o.erosivity : !strcmp(k, "erodibility") ? &o.erodibility
                          : !strcmp(k, "nep") ? &o.nep : !strcmp(k, "biophysical") ? &o.biophysical
                          : !strcmp(k, "zones") ? &o.zones : !strcmp(k, "code_field") ? &o.code_field
                          : !strcmp(k, "name_field") ? &o.name_field
                          : !strcmp(k, "water_ecosystem") ? &o.water_ecosystem
                          : !strcmp(k, "storm_precip") ? &o.storm_precip
                          : !strcmp(k, "marsh_ecosystem") ? &o.marsh_ecosystem
                          : !strcmp(k, "parent_field") ? &o.parent_field
                          : !strcmp(k, "parent_name_field") ? &o.parent_name_field : NULL;
        if (!slot) {
            fprintf(stderr, "spatial_mpi: unknown key '%s'\n", k);
            epv_ctx_free(ctx);
            return 2;
        }
        *slot = v;
    }
    int rc = 0;
    if (serial) {
        epv_spatial_result *r = NULL;
        if (epv_spatial_run(ctx, &o, &r)) rc = fail(ctx, "run", 0);
        else rc = write_outputs(ctx, r, prefix);
        epv_spatial_result_free(r);
        epv_ctx_free(ctx);
        return rc;
    }

    MPI_Init(&argc, &argv);
    int rank, size;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    epv_spatial_result *part = NULL;
    void *buf = NULL;
    size_t len = 0;
    int ok = epv_spatial_run_part(ctx, &o, rank, size, &part) == 0 &&
             epv_spatial_result_serialize(ctx, part, &buf, &len) == 0 && len < (size_t)2147483647;
    if (!ok) fail(ctx, "part", rank);
    int all_ok = 0;
    MPI_Allreduce(&ok, &all_ok, 1, MPI_INT, MPI_LAND, MPI_COMM_WORLD);
    if (!all_ok) {
        free(buf);
        epv_spatial_result_free(part);
        epv_ctx_free(ctx);
        MPI_Finalize();
        return 1;
    }
    int mylen = (int)len, *lens = NULL, *displs = NULL;
    char *all = NULL;
    if (rank == 0) {
        lens = calloc((size_t)size, sizeof *lens);
        displs = calloc((size_t)size, sizeof *displs);
    }
    MPI_Gather(&mylen, 1, MPI_INT, lens, 1, MPI_INT, 0, MPI_COMM_WORLD);
    if (rank == 0) {
        long total = 0;
        for (int i = 0; i < size; i++) displs[i] = (int)total, total += lens[i];
        all = malloc((size_t)total + 1);
    }
    MPI_Gatherv(buf, mylen, MPI_BYTE, all, lens, displs, MPI_BYTE, 0, MPI_COMM_WORLD);
    if (rank == 0) {
        epv_spatial_result **parts = calloc((size_t)size, sizeof *parts), *m = NULL;
        for (int i = 0; i < size && rc == 0; i++)
            if (epv_spatial_result_deserialize(ctx, all + displs[i], (size_t)lens[i], &parts[i])) rc = fail(ctx, "read part", 0);
        if (rc == 0 && epv_spatial_result_merge(ctx, parts, (size_t)size, &m)) rc = fail(ctx, "merge", 0);
        if (rc == 0) rc = write_outputs(ctx, m, prefix);
        if (rc == 0) printf("spatial_mpi: %d ranks merged into %s.xml and %s.csv\n", size, prefix, prefix);
        epv_spatial_result_free(m);
        for (int i = 0; i < size; i++) epv_spatial_result_free(parts[i]);
        free(parts);
        free(all);
        free(lens);
        free(displs);
    }
    MPI_Bcast(&rc, 1, MPI_INT, 0, MPI_COMM_WORLD);
    free(buf);
    epv_spatial_result_free(part);
    epv_ctx_free(ctx);
    MPI_Finalize();
    return rc;
}
