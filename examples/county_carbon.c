/* SPDX-License-Identifier: GPL-3.0-or-later */
/* County carbon balance: an emissions inventory traced to its source records, intensity
 * against the 14th five-year plan targets (CO2 per GDP -18%, energy per GDP -14%, 2025 against
 * 2020), peak detection, and the net balance against Pingchang's published forest sink.
 *
 * The activity data, GDP and most grid factors shipped with this example are ILLUSTRATIVE
 * (data/examples/county_carbon_*.csv say so row by row); the forest sink is the published
 * county figure, 15.84万 t CO2 a year from 26.41万亩 of new forest (see examples/pingchang).
 *
 * Usage: county_carbon [OPTION]... OUTDIR [DATADIR]
 *        county_carbon [OPTION]... ACTIVITY.csv ECONOMY.csv GRID.csv OUTDIR
 * Uses only the public API (<epv.h>) and the examples' shared plumbing (cli.h, runrecord.h). */
#define _POSIX_C_SOURCE 200809L
#include <epv.h>

#include "cli.h"
#include "runrecord.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Pingchang county's published removal figure for its new forest (afforestation): 15.84万 t
 * CO2 a year (see data/examples/pingchang.xml, the claim and its source). Its uncertainty is
 * not published: U 30% is an ILLUSTRATIVE assumption of this example (examples/pingchang
 * derives intervals from the sink model itself). */
#define SINK_TCO2_PER_YEAR 158400.0
#define SINK_U_PCT 30.0
#define MC_DRAWS 5000

static int fail(epv_ctx *ctx, const char *what, int rc)
{
    fprintf(stderr, "%s: %s: %s (%s)\n", cli_name(), what, epv_ctx_errmsg(ctx), epv_strerror(rc));
    return 1;
}

/* Every failure after the context exists reports and goes to the one cleanup at the end of
 * main(), so no exit path leaks (scripts/sanitize runs the error cases under LeakSanitizer). */
#define FAIL_OUT(...)                                                                       \
    do {                                                                                    \
        status = fail(__VA_ARGS__);                                                         \
        goto out;                                                                           \
    } while (0)

static double wan(double t) { return t / 1e4; }

static const char *const sectors[] = { "energy", "indirect", "industrial_processes", "agriculture", "waste" };

static const cli_info info = {
    "OUTDIR [DATADIR]  |  ACTIVITY.csv ECONOMY.csv GRID.csv OUTDIR",
    "County carbon balance of Pingchang (ILLUSTRATIVE activity data and GDP): emissions by sector\n"
    "traced to their source records, intensity against the 14th five-year plan targets, peak\n"
    "detection, LMDI decomposition and the net balance against the published forest sink with 95%\n"
    "intervals by IPCC Approach 1 and 2. Writes into OUTDIR (created if needed):\n"
    "county_carbon_sectors.csv, county_carbon_trace.csv, county_carbon_balance.csv, four SVG charts\n"
    "and county_carbon_run.json (the run record). With one or two arguments the inputs are\n"
    "county_carbon_activity.csv, county_carbon_economy.csv and county_carbon_grid.csv from DATADIR,\n"
    "or looked up as below; with four, the three CSV files are given.",
    NULL,
    NULL
};


int main(int argc, char **argv)
{
    int nargs = cli_start(argc, argv, &info); /* argv[1..nargs-1]: the arguments left */
    char **full = argv;
    argc = nargs - 1;
    argv++;
    if (argc != 1 && argc != 2 && argc != 4)
        return cli_usage_error("expected OUTDIR [DATADIR], or ACTIVITY.csv ECONOMY.csv GRID.csv OUTDIR; got %d "
                               "argument(s)", argc);
    const char *outdir = argc == 4 ? argv[3] : argv[0];
    static const char *const csvname[3] = { "county_carbon_activity.csv", "county_carbon_economy.csv",
                                            "county_carbon_grid.csv" };
    char in[3][4200];
    for (int k = 0; k < 3; k++) {
        if (argc == 4) {
            snprintf(in[k], sizeof in[k], "%s", argv[k]);
            FILE *t = fopen(in[k], "rb");
            if (!t) return cli_error("%s: %s", in[k], strerror(errno));
            fclose(t);
        } else if (cli_find_data(argc == 2 ? argv[1] : NULL, csvname[k], in[k], sizeof in[k])) {
            return 1;
        }
    }
    epv_ctx *ctx;
    epv_inventory_factors *f = NULL;
    epv_inventory *inv = NULL;
    epv_inventory_result *r = NULL;
    runrecord *record = NULL;
    int rc, status = 1;
    if (epv_ctx_new(&ctx)) return 1;
    epv_ctx_set_seed(ctx, 20251231);
    if (cli_apply(ctx, 1) || cli_mkdirs(outdir)) goto out;
    record = rr_new(cli_name(), nargs, full);
    rr_method(record, "IPCC 2006 Guidelines for National GHG Inventories (Vol. 2, 4, 5)", "2006");
    rr_method(record, "provincial GHG inventory guideline (NDRC)", "2011");
    rr_method(record, "GWP100 IPCC AR5", "AR5");
    rr_method(record, "LMDI decomposition (Ang)", "2005");
    rr_method(record, "IPCC 2006 Vol. 1 ch. 3 uncertainty, Approach 1 and 2", "2006");
    for (int k = 0; k < 3; k++) rr_input(record, in[k]);
    if ((rc = epv_inventory_factors_load_default(ctx, &f))) FAIL_OUT(ctx, "factor tables", rc);
    if ((rc = epv_inventory_factors_load_grid_csv(ctx, f, in[2]))) FAIL_OUT(ctx, "grid factors", rc);
    if ((rc = epv_inventory_new(ctx, f, "平昌县 Pingchang (illustrative data)", &inv))) FAIL_OUT(ctx, "inventory", rc);
    if ((rc = epv_inventory_load_csv(ctx, inv, in[0]))) FAIL_OUT(ctx, "activity data", rc);
    if ((rc = epv_inventory_load_economy_csv(ctx, inv, in[1]))) FAIL_OUT(ctx, "economy", rc);
    epv_inventory_options opt = EPV_INVENTORY_OPTIONS_INIT;
    opt.gwp = EPV_INVENTORY_GWP_AR5;
    if ((rc = epv_inventory_compute(ctx, inv, &opt, &r))) FAIL_OUT(ctx, "compute", rc);

    printf("County carbon balance, 平昌县 Pingchang: ILLUSTRATIVE activity data and GDP (not the county's\n"
           "statistics); factors from libepv's tables (IPCC 2006, provincial guideline), GWP100 IPCC AR5.\n"
           "%zu activity records.\n\n", epv_inventory_record_count(inv));

    const epv_i64 *years;
    size_t ny;
    epv_inventory_result_years(ctx, r, &years, &ny);
    printf("Emissions by sector (万 t CO2e, 10^4 t CO2e)\n  year   energy indirect processes agriculture  waste    total\n");
    for (size_t y = 0; y < ny; y++) {
        printf("  %lld", (long long)years[y]);
        double sum = 0;
        for (size_t s = 0; s < 5; s++) {
            epv_inventory_query q = EPV_INVENTORY_QUERY_INIT;
            epv_inventory_total t = EPV_INVENTORY_TOTAL_INIT;
            q.year = (int)years[y];
            q.sector = sectors[s];
            epv_inventory_result_total(ctx, r, &q, &t);
            printf(" %8.2f", wan(t.t_co2e));
            sum += t.t_co2e;
        }
        epv_inventory_query q = EPV_INVENTORY_QUERY_INIT;
        epv_inventory_total t = EPV_INVENTORY_TOTAL_INIT;
        q.year = (int)years[y];
        epv_inventory_result_total(ctx, r, &q, &t);
        printf(" %8.2f  (GWP %s)\n", wan(t.t_co2e), t.gwp == 5 ? "AR5" : "other");
    }
    /* The same year under AR4 and AR6: the GWP set is recorded with every total. */
    for (int g = EPV_INVENTORY_GWP_AR4; g <= EPV_INVENTORY_GWP_AR6; g++) {
        epv_inventory_options o2 = EPV_INVENTORY_OPTIONS_INIT;
        epv_inventory_result *r2;
        o2.gwp = g;
        if (epv_inventory_compute(ctx, inv, &o2, &r2)) FAIL_OUT(ctx, "compute", 1);
        epv_inventory_query q = EPV_INVENTORY_QUERY_INIT;
        epv_inventory_total t = EPV_INVENTORY_TOTAL_INIT;
        q.year = 2025;
        epv_inventory_result_total(ctx, r2, &q, &t);
        printf("  2025 total with GWP AR%d: %s万 t CO2e (CH4 %s t, N2O %s t)\n", t.gwp, cli_num(wan(t.t_co2e), 2), cli_num(t.t_ch4, 0),
               cli_num(t.t_n2o, 0));
        epv_inventory_result_free(r2);
    }

    /* Trace one figure down to its records: agriculture in 2023. */
    printf("\nTrace: agriculture 2023\n");
    epv_inventory_query q = EPV_INVENTORY_QUERY_INIT;
    q.year = 2023;
    q.sector = "agriculture";
    epv_inventory_total tot = EPV_INVENTORY_TOTAL_INIT;
    epv_inventory_result_total(ctx, r, &q, &tot);
    const char *names[16];
    double vals[16];
    size_t nb;
    if ((rc = epv_inventory_result_breakdown(ctx, r, &q, EPV_INVENTORY_LEVEL_SUBSECTOR, names, vals, 16, &nb)))
        FAIL_OUT(ctx, "breakdown", rc);
    printf("  total %s t CO2e = ", cli_num(tot.t_co2e, 1));
    for (size_t k = 0; k < nb; k++) printf("%s%s %s", k ? " + " : "", names[k], cli_num(vals[k], 1));
    printf("\n");
    size_t idx[64], nidx;
    if ((rc = epv_inventory_result_trace(ctx, r, &q, idx, 64, &nidx))) FAIL_OUT(ctx, "trace", rc);
    double sum = 0;
    for (size_t k = 0; k < nidx; k++) {
        epv_inventory_line l = EPV_INVENTORY_LINE_INIT;
        epv_inventory_result_line(ctx, r, idx[k], &l);
        sum += l.t_co2e;
        printf("  record %-8s %-22s %10s %-5s x %.6f t %s/unit = %9s t CO2e  [document: %s; %s%s]\n", l.id, l.code,
               cli_num(l.amount, 0), l.unit, l.factor, l.gas == 2 ? "CH4" : l.gas == 3 ? "N2O" : "CO2", cli_num(l.t_co2e, 1), l.document,
               l.origin, l.provisional ? "; factor provisional" : "");
    }
    printf("  %zu records sum to %.6f t CO2e; the total is %.6f (%s)\n", nidx, sum, tot.t_co2e,
           sum == tot.t_co2e ? "exactly equal" : "DIFFERENT");

    /* Intensity against the targets. */
    printf("\nIntensity against the 2025 targets (base 2020)\n");
    epv_inventory_target tg[2] = { EPV_INVENTORY_TARGET_INIT, EPV_INVENTORY_TARGET_INIT };
    tg[1].col = EPV_INVENTORY_COL_ENERGY_INTENSITY;
    tg[1].reduction_pct = 14;
    const char *tname[2] = { "CO2 per GDP (t CO2/万元)", "energy per GDP (tce/万元)" };
    for (int k = 0; k < 2; k++) {
        epv_inventory_progress p = EPV_INVENTORY_PROGRESS_INIT;
        if ((rc = epv_inventory_result_progress(ctx, r, &tg[k], &p))) FAIL_OUT(ctx, "progress", rc);
        printf("  %s: 2020 %.4f -> %d %.4f (%+.1f%%), target %.4f (-%.0f%%): %s; achieved %.2f%%/yr",
               tname[k], p.base_intensity, p.latest_year, p.latest_intensity, p.change_pct, p.target_intensity,
               tg[k].reduction_pct, p.met ? "MET" : "not met", p.achieved_rate_pct);
        if (p.latest_year < tg[k].target_year)
            printf(", required %.2f%%/yr to %d\n", p.required_rate_pct, tg[k].target_year);
        else
            printf(" (-%.0f%% over five years needs %.2f%%/yr)\n", tg[k].reduction_pct,
                   (pow(1 - tg[k].reduction_pct / 100, 1.0 / (tg[k].target_year - tg[k].base_year)) - 1) * 100);

    }
    const double *col;
    size_t nc;
    epv_inventory_peak pk = EPV_INVENTORY_PEAK_INIT;
    epv_inventory_result_column(ctx, r, EPV_INVENTORY_COL_TCO2, &col, &nc);
    if ((rc = epv_inventory_find_peak(ctx, years, col, nc, 1.0, &pk))) FAIL_OUT(ctx, "peak", rc);
    printf("  energy CO2 peak: %lld at %.2f万 t (%s)\n", (long long)pk.year, wan(pk.value),
           pk.peaked ? "peaked: the last year is more than 1% below it" : "not peaked");
    epv_inventory_result_column(ctx, r, EPV_INVENTORY_COL_TCO2E, &col, &nc);
    epv_inventory_find_peak(ctx, years, col, nc, 1.0, &pk);
    printf("  all-gas peak: %lld at %.2f万 t CO2e (%s)\n", (long long)pk.year, wan(pk.value),
           pk.peaked ? "peaked" : "not peaked");

    epv_inventory_decomposition dc = EPV_INVENTORY_DECOMPOSITION_INIT;
    if ((rc = epv_inventory_result_decompose(ctx, r, 2020, 2025, &dc))) FAIL_OUT(ctx, "LMDI", rc);
    printf("\nLMDI (Ang 2005) 2020 -> 2025: %+.2f万 t CO2e = activity %+.2f + factors %+.2f\n",
           wan(dc.total1 - dc.total0), wan(dc.activity_effect), wan(dc.factor_effect));

    /* Net balance against Pingchang's sink, each year, Approach 1 and 2. */
    epv_i64 sy[16];
    double sv[16], em[16], rem[16];
    epv_unc_interval a1[16], a2[16];
    for (size_t y = 0; y < ny && y < 16; y++) {
        sy[y] = years[y];
        sv[y] = SINK_TCO2_PER_YEAR;
    }
    epv_inventory_removal sink = EPV_INVENTORY_REMOVAL_INIT;
    sink.name = "forest sink, Pingchang 26.41万亩 new forest (published 15.84万 t CO2/yr)";
    sink.years = sy;
    sink.tco2e = sv;
    sink.n = ny;
    sink.u_pct = SINK_U_PCT;
    printf("\nNet balance = emissions - forest sink (15.84万 t CO2/yr, published; U %.0f%% illustrative)\n"
           "  year  emissions    sink      net   Approach 1 (IPCC Eq. 3.1/3.2)   Approach 2 (Monte Carlo, %d draws)\n",
           SINK_U_PCT, MC_DRAWS);
    for (size_t y = 0; y < ny && y < 16; y++) {
        epv_inventory_unc_options uo = EPV_INVENTORY_UNC_OPTIONS_INIT;
        uo.year = (int)years[y];
        uo.removals = &sink;
        uo.nremovals = 1;
        uo.draws = MC_DRAWS;
        epv_unc_interval i1 = EPV_UNC_INTERVAL_INIT, i2 = EPV_UNC_INTERVAL_INIT;
        if ((rc = epv_inventory_unc_approach1(ctx, r, &uo, &i1)) || (rc = epv_inventory_unc_approach2(ctx, r, &uo, &i2)))
            FAIL_OUT(ctx, "uncertainty", rc);
        epv_inventory_query qy = EPV_INVENTORY_QUERY_INIT;
        epv_inventory_total ty = EPV_INVENTORY_TOTAL_INIT;
        qy.year = (int)years[y];
        epv_inventory_result_total(ctx, r, &qy, &ty);
        em[y] = ty.t_co2e;
        rem[y] = SINK_TCO2_PER_YEAR;
        a1[y] = i1;
        a2[y] = i2;
        printf("  %lld %9.2f %8.2f %8.2f   [%.2f, %.2f] ±%.1f%%   mean %.2f [%.2f, %.2f]  (万 t CO2e)\n",
               (long long)years[y], wan(em[y]), wan(rem[y]), wan(i1.estimate), wan(i1.lower), wan(i1.upper),
               i1.u_upper_pct, wan(i2.estimate), wan(i2.lower), wan(i2.upper));
    }
    printf("  The sink offsets %.1f%% of 2025 emissions.\n", 100 * SINK_TCO2_PER_YEAR / em[ny - 1]);

    char path[4096];
#define OUT(name) (snprintf(path, sizeof path, "%s/%s", outdir, name), path)
    epv_inventory_query q23 = EPV_INVENTORY_QUERY_INIT;
    q23.year = 2023;
    q23.sector = "agriculture";
    epv_inventory_target co2t = EPV_INVENTORY_TARGET_INIT;
    if ((rc = epv_inventory_result_write_csv(ctx, r, OUT("county_carbon_sectors.csv"))) ||
        (rc = epv_inventory_result_write_trace_csv(ctx, r, &q23, OUT("county_carbon_trace.csv"))) ||
        (rc = epv_inventory_write_balance_csv(ctx, years, em, rem, a2, ny, OUT("county_carbon_balance.csv"))) ||
        (rc = epv_inventory_result_write_sectors_svg(ctx, r, "平昌县 排放构成 emissions by sector (illustrative data)",
                                                     OUT("county_carbon_sectors.svg"))) ||
        (rc = epv_inventory_result_write_target_svg(ctx, r, &co2t, "碳排放强度 CO2 per GDP vs -18% target (illustrative)",
                                                    OUT("county_carbon_co2_target.svg"))) ||
        (rc = epv_inventory_result_write_target_svg(ctx, r, &tg[1], "能耗强度 energy per GDP vs -14% target (illustrative)",
                                                    OUT("county_carbon_energy_target.svg"))) ||
        (rc = epv_inventory_write_balance_svg(ctx, years, em, rem, a2, ny,
                                              "净排放 net balance with Pingchang forest sink (illustrative emissions)",
                                              OUT("county_carbon_balance.svg"))))
        FAIL_OUT(ctx, "writing outputs", rc);
    printf("\nWrote county_carbon_sectors.csv, county_carbon_trace.csv, county_carbon_balance.csv and four SVG charts "
           "to %s\n", outdir);
    static const char *const outs[] = { "county_carbon_sectors.csv", "county_carbon_trace.csv",
                                        "county_carbon_balance.csv", "county_carbon_sectors.svg",
                                        "county_carbon_co2_target.svg", "county_carbon_energy_target.svg",
                                        "county_carbon_balance.svg" };
    for (size_t k = 0; k < sizeof outs / sizeof outs[0]; k++) rr_output(record, OUT(outs[k]));
    if (cli_record) snprintf(path, sizeof path, "%s", cli_record);
    else OUT("county_carbon_run.json");
    status = rr_write(record, ctx, path);
    if (!status) printf("run record: %s\n", path);
out:
    rr_free(record);
    (void)a1;
    epv_inventory_result_free(r);
    epv_inventory_free(inv);
    epv_inventory_factors_free(f);
    epv_ctx_free(ctx);
    return status;
}
