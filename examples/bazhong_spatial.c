/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Bazhong spatial GEP: regulating services computed per pixel from rasters over townships
 * of the five real county boundaries of Bazhong, summed by township x ecosystem into the GEP
 * account input (region hierarchy county -> township), valued by the GEP module, and mapped.
 *
 * THE RASTERS AND THE TOWNSHIPS ARE SYNTHETIC (scripts/make-bazhong-spatial.py says how
 * terrain, land cover and rain were made, and how each county was cut into made-up
 * "townships"); the biophysical table and prices are illustrative. Only the county boundaries
 * are real (data/examples/bazhong_spatial/bazhong_counties.geojson, MIT licence).
 *
 * Writes to OUTDIR: bazhong_spatial.xml (GEP account input, validated against
 * gep_input.xsd), bazhong_spatial.csv (township x ecosystem table), one GeoTIFF per service,
 * bazhong_spatial_gep.svg (regulating GEP per township, choropleth with legend) and
 * bazhong_spatial_gep_county.svg (the same per county).
 *
 * Usage: bazhong_spatial [OPTION]... OUTDIR [DATADIR]   (DATADIR holds bazhong_spatial/ and
 * bazhong_gep_cpi.csv; without it they are looked up as cli_find_data says) */
#include <epv.h>

#include "cli.h"
#include "runrecord.h"

#include <stdio.h>
#include <string.h>

#define YEAR 2021

static int fail(epv_ctx *ctx, const char *what)
{
    fprintf(stderr, "%s: %s: %s\n", cli_name(), what, epv_ctx_errmsg(ctx));
    return 1;
}

static void join(char *buf, size_t n, const char *dir, const char *name)
{
    snprintf(buf, n, "%s/%s", dir, name);
}

static const cli_info info = {
    "OUTDIR [DATADIR]",
    "Regulating ecosystem services of Bazhong per pixel (SYNTHETIC rasters and townships over the\n"
    "real county boundaries): water conservation, soil retention, carbon fixation, oxygen release,\n"
    "transpiration cooling and flood regulation, summed by township and ecosystem into a GEP account\n"
    "input, valued by the GEP module and mapped. Writes into OUTDIR (created if needed):\n"
    "bazhong_spatial.xml, bazhong_spatial.csv, seven GeoTIFFs, bazhong_spatial_gep.svg,\n"
    "bazhong_spatial_gep_county.svg and bazhong_spatial_run.json (the run record). DATADIR holds\n"
    "bazhong_spatial/ and bazhong_gep_cpi.csv; without it they are looked up as below.",
    NULL,
    NULL
};


int main(int argc, char **argv)
{
    int nargs = cli_start(argc, argv, &info); /* argv[1..nargs-1]: the arguments left */
    char **full = argv;
    argc = nargs - 1;
    argv++;
    if (argc < 1 || argc > 2)
        return cli_usage_error("expected an output directory and optionally a data directory, got %d argument(s)",
                               argc);
    const char *out = argv[0], *data = argc > 1 ? argv[1] : NULL;
    char lc[4200], dem[4200], p[4200], et[4200], r[4200], k[4200], bio[4200], zones[4200], prices[4200],
        cpi[4200], xml[4200], csv[4200], svg[4200], storm[4200], counties[4200], svgc[4200];
    struct { const char *file; char *buf; } inputs[] = {
        { "bazhong_spatial/landcover.tif", lc },   { "bazhong_spatial/dem.tif", dem },
        { "bazhong_spatial/precip.tif", p },       { "bazhong_spatial/et.tif", et },
        { "bazhong_spatial/erosivity.tif", r },    { "bazhong_spatial/erodibility.tif", k },
        { "bazhong_spatial/biophysical.csv", bio }, { "bazhong_spatial/storm_precip.tif", storm },
        { "bazhong_spatial/bazhong_townships.geojson", zones },
        { "bazhong_spatial/bazhong_counties.geojson", counties },
        { "bazhong_spatial/prices.xml", prices },  { "bazhong_gep_cpi.csv", cpi },
    };
    enum { NIN = sizeof inputs / sizeof inputs[0] };
    for (size_t i = 0; i < NIN; i++)
        if (cli_find_data(data, inputs[i].file, inputs[i].buf, 4200)) return 1;
    if (cli_mkdirs(out)) return 1;
    join(xml, sizeof xml, out, "bazhong_spatial.xml");
    join(csv, sizeof csv, out, "bazhong_spatial.csv");
    join(svg, sizeof svg, out, "bazhong_spatial_gep.svg");
    join(svgc, sizeof svgc, out, "bazhong_spatial_gep_county.svg");

    epv_ctx *ctx = NULL;
    if (epv_ctx_new(&ctx)) return 1;
    /* all cores by default; the result does not depend on it */
    if (cli_apply(ctx, 0)) {
        epv_ctx_free(ctx);
        return 1;
    }
    runrecord *record = rr_new(cli_name(), nargs, full);
    rr_method(record, "GEP accounting specification (NDRC and NBS)", "2022");
    rr_method(record, "water conservation by water balance (P - R - ET)", "2022");
    rr_method(record, "RUSLE soil retention (Renard et al.)", "1997");
    rr_method(record, "LS factor (Desmet and Govers, McCool et al.)", "1996");
    rr_method(record, "SCS-CN flood regulation (USDA NRCS TR-55)", "1986");
    for (size_t i = 0; i < NIN; i++) rr_input(record, inputs[i].buf);
    int rc = 1;
    epv_spatial_result *res = NULL;
    epv_gep_tree *tree = NULL;
    epv_gep_input *in = NULL;
    epv_gep_deflator *defl = NULL;

    epv_spatial_options o;
    epv_spatial_options_init(ctx, &o, EPV_SPATIAL_OPTIONS_VERSION);
    o.landcover = lc;
    o.dem = dem;
    o.precip = p;
    o.et = et;
    o.erosivity = r;
    o.erodibility = k;
    o.biophysical = bio;
    o.zones = zones;
    o.code_field = "code"; /* synthetic township code: county code + 3 digits */
    o.name_field = "name";
    o.parent_field = "county"; /* the county's administrative code: the region hierarchy */
    o.parent_name_field = "county_name";
    o.storm_precip = storm;          /* flood regulation by vegetation */
    o.transpiration_days = 60;       /* ILLUSTRATIVE days above 26 C in a Bazhong year */
    o.water_ecosystem = "wetland"; /* its ET is water-surface evaporation (climate regulation) */
    o.slope_length_m = 50; /* illustrative hillslope length */
    o.tile_rows = o.tile_cols = 64;

    if (epv_spatial_run(ctx, &o, &res)) { fail(ctx, "spatial run"); goto done; }
    size_t nreg = epv_spatial_result_region_count(res), neco = epv_spatial_result_ecosystem_count(res);
    const double *area, *wc, *sr, *co2, *tr, *fl;
    size_t n;
    epv_spatial_result_column(ctx, res, EPV_SPATIAL_AREA_HA, &area, &n);
    epv_spatial_result_column(ctx, res, EPV_SPATIAL_WATER_CONSERVATION, &wc, &n);
    epv_spatial_result_column(ctx, res, EPV_SPATIAL_SOIL_RETENTION, &sr, &n);
    epv_spatial_result_column(ctx, res, EPV_SPATIAL_CARBON_FIXATION, &co2, &n);
    epv_spatial_result_column(ctx, res, EPV_SPATIAL_CLIMATE_TRANSPIRATION, &tr, &n);
    epv_spatial_result_column(ctx, res, EPV_SPATIAL_FLOOD_VEGETATION, &fl, &n);
    printf("Bazhong, SYNTHETIC rasters and SYNTHETIC townships over the real county boundaries, %d\n", YEAR);
    printf("Per county (sum of its townships, all ecosystems):\n");
    printf("  %-8s ", "code");
    cli_pad(stdout, "county", 10, 0);
    printf(" %5s %10s %16s %14s %12s %18s %14s\n", "towns", "area km2", "water cons. m3", "soil ret. t", "CO2 t",
           "transpir. kWh", "flood m3");
    for (size_t i = 0; i < nreg; i++) {
        const char *pc = epv_spatial_result_region_parent(res, i);
        size_t i0;
        for (i0 = 0; i0 < i; i0++)
            if (!strcmp(epv_spatial_result_region_parent(res, i0), pc)) break;
        if (i0 < i) continue; /* county printed already */
        double a = 0, w = 0, s = 0, c = 0, t = 0, fv = 0;
        int towns = 0;
        const char *cname;
        for (size_t m = i; m < nreg; m++) {
            if (strcmp(epv_spatial_result_region_parent(res, m), pc)) continue;
            towns++;
            for (size_t j = 0; j < neco; j++) {
                a += area[m * neco + j];
                w += wc[m * neco + j];
                s += sr[m * neco + j];
                c += co2[m * neco + j];
                t += tr[m * neco + j];
                fv += fl[m * neco + j];
            }
        }
        cname = epv_spatial_result_region_parent_name(res, i);
        printf("  %-8s ", pc);
        cli_pad(stdout, cname, 10, 0);
        printf(" %5d %10s %16s %14s %12s %18s %14s\n", towns, cli_num(a / 100, 1), cli_num(w, 0), cli_num(s, 0), cli_num(c, 0), cli_num(t, 0),
               cli_num(fv, 0));
    }

    if (epv_spatial_result_write_gep_input(ctx, res, YEAR, prices, xml)) { fail(ctx, "account input"); goto done; }
    if (epv_spatial_result_write_csv(ctx, res, csv)) { fail(ctx, "csv"); goto done; }
    static const struct { epv_spatial_col col; const char *file; } rasters[] = {
        { EPV_SPATIAL_WATER_CONSERVATION, "water_conservation_m3.tif" },
        { EPV_SPATIAL_SOIL_RETENTION, "soil_retention_t.tif" },
        { EPV_SPATIAL_CARBON_FIXATION, "carbon_fixation_tco2.tif" },
        { EPV_SPATIAL_OXYGEN_RELEASE, "oxygen_release_t.tif" },
        { EPV_SPATIAL_LS, "ls.tif" },
        { EPV_SPATIAL_CLIMATE_TRANSPIRATION, "climate_transpiration_kwh.tif" },
        { EPV_SPATIAL_FLOOD_VEGETATION, "flood_vegetation_m3.tif" },
    };
    enum { NR = sizeof rasters / sizeof rasters[0] };
    epv_spatial_col cols[NR];
    char rp[NR][1100];
    const char *paths[NR];
    for (size_t i = 0; i < NR; i++) {
        cols[i] = rasters[i].col;
        join(rp[i], sizeof rp[i], out, rasters[i].file);
        paths[i] = rp[i];
    }
    if (epv_spatial_write_rasters(ctx, &o, cols, paths, NR)) { fail(ctx, "rasters"); goto done; }

    /* Value the account input with the GEP module, unchanged. */
    if (epv_gep_tree_load_default(ctx, &tree)) { fail(ctx, "tree"); goto done; }
    if (epv_gep_input_load_file(ctx, tree, xml, &in)) { fail(ctx, "load account input"); goto done; }
    if (epv_gep_deflator_load_csv(ctx, cpi, &defl)) { fail(ctx, "deflator"); goto done; }
    epv_gep_account *acc = epv_gep_input_account(in);
    if (epv_gep_account_value(ctx, acc, epv_gep_input_prices(in), defl, YEAR)) { fail(ctx, "valuation"); goto done; }
    enum { MAXR = 256 };
    const char *codes[MAXR], *ccodes[16];
    double gep[MAXR], cgep[16];
    size_t ncty = 0;
    if (nreg > MAXR) { fprintf(stderr, "%s: more than %d townships\n", cli_name(), MAXR); goto done; }
    /* counties: the GEP module aggregates their townships (region hierarchy of the input) */
    printf("\nRegulating services valued by the GEP module (%d prices, 亿元 = 1e8 yuan)\nPer county:\n", YEAR);
    for (size_t i = 0; i < nreg; i++) {
        const char *pc = epv_spatial_result_region_parent(res, i);
        size_t c;
        for (c = 0; c < ncty; c++)
            if (!strcmp(ccodes[c], pc)) break;
        if (c < ncty || ncty == 16) continue;
        ccodes[ncty] = pc;
        if (epv_gep_account_total(ctx, acc, pc, NULL, "regulating", YEAR, EPV_GEP_CONSTANT, &cgep[ncty])) {
            fail(ctx, "county total");
            goto done;
        }
        printf("  %-8s ", pc);
        cli_pad(stdout, epv_spatial_result_region_parent_name(res, i), 10, 0);
        printf(" %10s\n", cli_num(cgep[ncty] / 1e8, 3));
        cgep[ncty++] /= 1e8;
    }
    printf("Per township (SYNTHETIC):\n");
    for (size_t i = 0; i < nreg; i++) {
        codes[i] = epv_spatial_result_region_code(res, i);
        if (epv_gep_account_total(ctx, acc, codes[i], NULL, "regulating", YEAR, EPV_GEP_CONSTANT, &gep[i])) {
            fail(ctx, "total");
            goto done;
        }
        printf("  %-10s ", codes[i]);
        cli_pad(stdout, epv_spatial_result_region_name(res, i), 36, 0);
        printf(" %10s\n", cli_num(gep[i] / 1e8, 4));
        gep[i] /= 1e8;
    }
    if (epv_spatial_write_choropleth_svg(ctx, zones, NULL, "code", codes, gep, nreg,
                                         "Bazhong: regulating GEP per township (SYNTHETIC townships and rasters, "
                                         "illustrative prices)",
                                         "亿元 (1e8 yuan)", svg) ||
        epv_spatial_write_choropleth_svg(ctx, counties, NULL, "id", ccodes, cgep, ncty,
                                         "Bazhong: regulating GEP per county (SYNTHETIC rasters, illustrative prices)",
                                         "亿元 (1e8 yuan)", svgc)) {
        fail(ctx, "svg");
        goto done;
    }
    printf("\nWrote %s, %s, %s, %s and 7 GeoTIFFs in %s\n", xml, csv, svg, svgc, out);
    rr_output(record, xml);
    rr_output(record, csv);
    for (size_t i = 0; i < NR; i++) rr_output(record, rp[i]);
    rr_output(record, svg);
    rr_output(record, svgc);
    {
        char rec[4200];
        if (cli_record) snprintf(rec, sizeof rec, "%s", cli_record);
        else join(rec, sizeof rec, out, "bazhong_spatial_run.json");
        if (rr_write(record, ctx, rec)) goto done;
        printf("run record: %s\n", rec);
    }
    rc = 0;
done:
    rr_free(record);
    epv_gep_deflator_free(defl);
    epv_gep_input_free(in);
    epv_gep_tree_free(tree);
    epv_spatial_result_free(res);
    epv_ctx_free(ctx);
    return rc;
}
