/* SPDX-License-Identifier: GPL-3.0-or-later */
/* MPI driver of the spatial module: rank r of n computes part r of n (whole groups of tiles,
 * epv_spatial_run_part), rank 0 gathers the serialised parts, merges them
 * (epv_spatial_result_merge) and writes the account input (XML) and the table (CSV). The
 * merge sums the tile groups in the same fixed order as a single-process run, so the files
 * are identical, bit for bit, to those of `spatial_mpi --serial` (epv_spatial_run) with any
 * number of ranks and threads.
 *
 * Usage: mpirun -n N spatial_mpi [OPTION]... OUTPREFIX [DATADIR] [TILE] [key=value ...]
 *        spatial_mpi --serial [OPTION]... OUTPREFIX [DATADIR] [TILE] [key=value ...]   (one process, no MPI)
 * DATADIR holds bazhong_spatial/ (the example's data set; without it, looked up as
 * cli_find_data says); key=value pairs replace its inputs:
 * landcover, dem, precip, et, erosivity, erodibility, nep, biophysical, zones, code_field,
 * name_field, water_ecosystem, storm_precip, marsh_ecosystem, parent_field, parent_name_field
 * (paths or names; "-" removes an input) and transpiration_days (a number), so the same driver runs
 * any data set, e.g. a national one. */
#include <mpi.h>

#include <epv.h>

#include "cli.h"
#include "runrecord.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int fail(epv_ctx *ctx, const char *what, int rank)
{
    fprintf(stderr, "%s (rank %d): %s: %s\n", cli_name(), rank, what, epv_ctx_errmsg(ctx));
    return 1;
}

/* Writes OUTPREFIX.xml and .csv, then the run record (rank 0 or --serial only). */
static int write_outputs(epv_ctx *ctx, const epv_spatial_result *r, const char *prefix, runrecord *rec,
                         const epv_spatial_options *o)
{
    char xml[4200], csv[4200], path[4200];
    snprintf(xml, sizeof xml, "%s.xml", prefix);
    snprintf(csv, sizeof csv, "%s.csv", prefix);
    if (epv_spatial_result_write_gep_input(ctx, r, 2021, NULL, xml)) return fail(ctx, "xml", 0);
    if (epv_spatial_result_write_csv(ctx, r, csv)) return fail(ctx, "csv", 0);
    const char *ins[] = { o->landcover, o->dem,         o->precip, o->et,    o->erosivity,
                          o->erodibility, o->nep, o->biophysical, o->zones, o->storm_precip };
    for (size_t i = 0; i < sizeof ins / sizeof ins[0]; i++)
        if (ins[i]) rr_input(rec, ins[i]);
    rr_output(rec, xml);
    rr_output(rec, csv);
    if (cli_record) snprintf(path, sizeof path, "%s", cli_record);
    else snprintf(path, sizeof path, "%s_run.json", prefix);
    return rr_write(rec, ctx, path);
}

static const cli_info info = {
    "OUTPREFIX [DATADIR] [TILE] [key=value]...",
    "MPI driver of the spatial module: run under mpirun, rank r of n computes part r of n of the\n"
    "tiles, rank 0 merges the parts and writes OUTPREFIX.xml (GEP account input), OUTPREFIX.csv and\n"
    "OUTPREFIX_run.json (the run record); the first two are identical byte for byte to those of a\n"
    "one-process run (--serial) with any number of ranks and threads. The directory of OUTPREFIX is\n"
    "created if needed.\n"
    "DATADIR holds bazhong_spatial/ (the example's SYNTHETIC data set); without it, it is looked up\n"
    "as below. TILE is the tile size in pixels (default 16). key=value pairs replace inputs:\n"
    "landcover, dem, precip, et, erosivity, erodibility, nep, biophysical, zones, code_field,\n"
    "name_field, water_ecosystem, storm_precip, marsh_ecosystem, parent_field, parent_name_field\n"
    "(paths or names; \"-\" removes an input) and transpiration_days (a number).",
    "  --serial       run in this one process, without MPI\n",
    NULL
};

static int all_digits(const char *s)
{
    if (!*s) return 0;
    for (; *s; s++)
        if (*s < '0' || *s > '9') return 0;
    return 1;
}

int main(int argc, char **argv)
{
    /* --serial is this program's own option: take it out before the common ones are read. */
    int serial = 0, w = 1;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--")) {
            while (i < argc) argv[w++] = argv[i++];
            break;
        }
        if (!strcmp(argv[i], "--serial")) serial = 1;
        else argv[w++] = argv[i];
    }
    argc = w;
    argv[argc] = NULL;
    argc = cli_start(argc, argv, &info);
    if (argc < 2) return cli_usage_error("expected an output prefix, got no argument");
    const char *prefix = argv[1], *datadir = NULL;
    int a = 2;
    if (a < argc && !strchr(argv[a], '=') && !all_digits(argv[a])) datadir = argv[a++];
    int tile = 16;
    if (a < argc && !strchr(argv[a], '=')) {
        if (!all_digits(argv[a]) || atoi(argv[a]) < 1 || atoi(argv[a]) > 65536)
            return cli_usage_error("TILE: '%s' is not a tile size from 1 to 65536 pixels", argv[a]);
        tile = atoi(argv[a++]);
    }
    for (int i = a; i < argc; i++)
        if (!strchr(argv[i], '=')) return cli_usage_error("unexpected argument '%s' (expected key=value)", argv[i]);
    char f[8][4200];
    const char *names[8] = { "bazhong_spatial/landcover.tif", "bazhong_spatial/dem.tif", "bazhong_spatial/precip.tif",
                             "bazhong_spatial/et.tif", "bazhong_spatial/erosivity.tif",
                             "bazhong_spatial/erodibility.tif", "bazhong_spatial/biophysical.csv",
                             "bazhong_spatial/bazhong_counties.geojson" };
    for (int i = 0; i < 8; i++)
        if (cli_find_data(datadir, names[i], f[i], sizeof f[i])) return 1;
    {
        char dir[4200];
        snprintf(dir, sizeof dir, "%s", prefix);
        char *slash = strrchr(dir, '/');
        if (slash && slash != dir) {
            *slash = 0;
            if (cli_mkdirs(dir)) return 1;
        }
    }
    /* The record's arguments: --serial (so that a rerun from the record runs the same way),
     * then the arguments as given (before the key=value loop below splits them). */
    char *rargv[argc + 2];
    int rargc = 0;
    rargv[rargc++] = argv[0];
    if (serial) rargv[rargc++] = "--serial";
    for (int i = 1; i < argc; i++) rargv[rargc++] = argv[i];
    rargv[rargc] = NULL;
    runrecord *rec = rr_new(cli_name(), rargc, rargv);
    rr_method(rec, "GEP accounting specification (NDRC and NBS)", "2022");
    rr_method(rec, "RUSLE soil retention (Renard et al.)", "1997");
    rr_method(rec, "SCS-CN flood regulation (USDA NRCS TR-55)", "1986");
    epv_ctx *ctx = NULL;
    if (epv_ctx_new(&ctx)) {
        rr_free(rec);
        return 1;
    }
    if (cli_apply(ctx, 0)) {
        epv_ctx_free(ctx);
        rr_free(rec);
        return 1;
    }
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
    for (int i = a; i < argc; i++) {
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
            epv_ctx_free(ctx);
            rr_free(rec);
            return cli_usage_error("unknown key '%s' (valid: landcover, dem, precip, et, erosivity, erodibility, nep, "
                                   "biophysical, zones, code_field, name_field, water_ecosystem, storm_precip, "
                                   "marsh_ecosystem, parent_field, parent_name_field, transpiration_days)", k);
        }
        *slot = v;
    }
    int rc = 0;
    if (serial) {
        epv_spatial_result *r = NULL;
        if (epv_spatial_run(ctx, &o, &r)) rc = fail(ctx, "run", 0);
        else rc = write_outputs(ctx, r, prefix, rec, &o);
        epv_spatial_result_free(r);
        epv_ctx_free(ctx);
        rr_free(rec);
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
        rr_free(rec);
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
        if (rc == 0) rc = write_outputs(ctx, m, prefix, rec, &o);
        if (rc == 0) printf("%s: %s ranks merged into %s.xml and %s.csv\n", cli_name(), cli_group(size, 0, (char[32]){ 0 }, 32), prefix,
                          prefix);
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
    rr_free(rec);
    MPI_Finalize();
    return rc;
}
