/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Bazhong GEP account: load the shipped input (data/examples/bazhong_gep.xml, illustrative
 * figures with their sources marked), value it at 2020 prices with a CPI series, print the
 * account, run the integrity checks, give 95% intervals on the account's totals (IPCC
 * Approach 1 and Approach 2 side by side, inputs' uncertainties from bazhong_gep_unc.xml)
 * with a histogram SVG, write XML, CSV and SVG, then run the same checks on Shenzhen's
 * published 2020 account.
 *
 * Usage: bazhong_gep OUTDIR [DATADIR]   (DATADIR defaults to data/examples) */
#include <epv.h>
#include "cli.h"
#include "runrecord.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int fail(epv_ctx *ctx, const char *what)
{
    fprintf(stderr, "%s: %s: %s\n", cli_name(), what, epv_ctx_errmsg(ctx));
    return 1;
}

/* 亿元 with grouped digits, e.g. "1,234.56". */
static const char *yi(double yuan, char *buf) { return cli_group(yuan / 1e8, 2, buf, 48); }

static const cli_info info = {
    "OUTDIR [DATADIR]",
    "A two-county GEP account for Bazhong (illustrative inputs): values by region, ecosystem and\n"
    "indicator at current and constant 2020 prices, the volume/price decomposition, an\n"
    "equivalent-factor cross-check, integrity checks on it and on Shenzhen's published 2020\n"
    "account, 95% intervals by IPCC Approach 1 and 2. Writes into OUTDIR (created if needed):\n"
    "bazhong_gep.xml, bazhong_gep.csv, bazhong_gep_pingchang_2020.svg, bazhong_gep_mc_2021.svg and\n"
    "bazhong_gep_run.json (the run record). DATADIR holds bazhong_gep.xml, bazhong_gep_cpi.csv,\n"
    "bazhong_gep_unc.xml and shenzhen_2020_published.xml; without it they are looked up as below.",
    NULL,
    NULL
};

static void print_findings(epv_ctx *ctx, const epv_gep_account *acc)
{
    static const char *sev[] = { "note", "WARNING", "ERROR" };
    epv_gep_findings *f = NULL;
    if (epv_gep_check(ctx, acc, &f)) {
        fprintf(stderr, "check failed: %s\n", epv_ctx_errmsg(ctx));
        return;
    }
    size_t n = epv_gep_findings_count(f);
    printf("  %zu finding(s)\n", n);
    for (size_t i = 0; i < n; i++) {
        epv_gep_finding x = EPV_GEP_FINDING_INIT;
        epv_gep_findings_at(ctx, f, i, &x);
        printf("  %-7s %-12s %-32s %s\n", sev[x.severity], x.check, x.where, x.message);
    }
    epv_gep_findings_free(f);
}

/* 95% intervals on the totals of a region and year: Approach 1 (propagation) beside
 * Approach 2 (Monte Carlo, seeded by the context, so the output is reproducible). */
static int print_intervals(epv_ctx *ctx, const epv_gep_account *acc, const epv_gep_unc *unc, const char *region,
                           int year, const char *svg)
{
    static const char *names[EPV_GEP_UNC_NTOTALS] = { "GEP", "provisioning", "regulating", "cultural" };
    epv_unc_interval a1[EPV_GEP_UNC_NTOTALS], a2[EPV_GEP_UNC_NTOTALS];
    epv_gep_unc_options o = EPV_GEP_UNC_OPTIONS_INIT;
    for (int k = 0; k < EPV_GEP_UNC_NTOTALS; k++) epv_unc_interval_init(ctx, &a1[k], EPV_UNC_INTERVAL_VERSION), a2[k] = a1[k];
    o.region = region;
    o.year = year;
    o.basis = EPV_GEP_CONSTANT;
    o.iterations = 20000;
    double *draws = svg ? malloc(o.iterations * sizeof *draws) : NULL;
    o.gep_draws = draws;
    if (epv_gep_unc_approach1(ctx, acc, unc, &o, a1)) return free(draws), fail(ctx, "approach 1");
    if (epv_gep_unc_approach2(ctx, acc, unc, &o, a2)) return free(draws), fail(ctx, "approach 2");
    printf("\n95%% intervals, %s %d (2020 prices, 亿元): Approach 1 (IPCC Eq. 3.1/3.2) | Approach 2 (Monte Carlo, %lld draws)\n",
           region, year, (long long)a2[0].draws);
    printf("  %-13s %9s %8s %19s | %9s %19s\n", "total", "value", "U%", "interval", "mean", "2.5-97.5 pct");
    for (int k = 0; k < EPV_GEP_UNC_NTOTALS; k++) {
        char b[7][48];
        printf("  %-13s %9s %7.1f%% [%8s, %8s] | %9s [%8s, %8s]\n", names[k], yi(a1[k].estimate, b[0]),
               a1[k].u_upper_pct, yi(a1[k].lower, b[1]), yi(a1[k].upper, b[2]), yi(a2[k].estimate, b[3]),
               yi(a2[k].lower, b[4]), yi(a2[k].upper, b[5]));
    }
    /* the model returned the draws; the caller writes the histogram, on the table's basis (亿元) */
    if (svg) {
        char title[256];
        const char *region_title = region; /* the region's name where the account has one */
        epv_gep_region rg = EPV_GEP_REGION_INIT;
        for (size_t i = 0; i < epv_gep_account_region_count(acc); i++)
            if (epv_gep_account_region_at(ctx, acc, i, &rg) == 0 && strcmp(rg.code, region) == 0 && rg.name[0])
                region_title = rg.name;
        snprintf(title, sizeof title, "GEP of %s in %d, Monte Carlo (%zu draws)", region_title, year, o.iterations);
        int rc = epv_gep_unc_write_histogram_svg(ctx, draws, o.iterations, 40, title,
                                                 "GEP, 10^8 yuan (亿元), 2020 prices", 1e-8, svg);
        free(draws);
        if (rc) return fail(ctx, "histogram");
    }
    return 0;
}

static void path_join(char *buf, size_t n, const char *dir, const char *file)
{
    snprintf(buf, n, "%s/%s", dir, file);
}

int main(int argc, char **argv)
{
    argc = cli_start(argc, argv, &info);
    if (argc < 2 || argc > 3)
        return cli_usage_error("expected an output directory and optionally a data directory, got %d argument(s)",
                               argc - 1);
    const char *outdir = argv[1], *datadir = argc > 2 ? argv[2] : NULL;
    char path[4096];
    runrecord *record = NULL;
    /* Every input is found (and checked for its kind) before anything is computed. */
    static const char *const inputs[] = { "bazhong_gep.xml", "bazhong_gep_cpi.csv", "bazhong_gep_unc.xml",
                                          "shenzhen_2020_published.xml" };
    static const char *const roots[] = { "gepInput", NULL, "gepUncertainty", "gepInput" };
    char found[4][4096];
    for (int k = 0; k < 4; k++) {
        if (cli_find_data(datadir, inputs[k], found[k], sizeof found[k])) return 1;
        if (roots[k] && cli_check_xml(found[k], roots[k], NULL, 0)) return 1;
    }
    if (cli_mkdirs(outdir)) return 1;
    epv_ctx *ctx = NULL;
    epv_gep_tree *tree = NULL;
    epv_gep_input *in = NULL, *sz = NULL;
    epv_gep_deflator *cpi = NULL;
    epv_gep_unc *unc = NULL;
    int status = 1;
    if (epv_ctx_new(&ctx)) return 1;
    if (cli_apply(ctx, 1)) {
        epv_ctx_free(ctx);
        return 1;
    }
    record = rr_new(cli_name(), argc, argv);
    rr_method(record, "GEP accounting specification (NDRC and NBS)", "2022");
    rr_method(record, "GB/T 46869 GEP accounting", "2025");
    rr_method(record, "equivalent factors (Xie et al.)", "2015");
    rr_method(record, "IPCC 2006 Vol. 1 ch. 3 uncertainty, Approach 1 and 2", "2006");
    for (int k = 0; k < 4; k++) rr_input(record, found[k]);
    if (epv_gep_tree_load_default(ctx, &tree)) { fail(ctx, "tree"); goto done; }
    snprintf(path, sizeof path, "%s", found[0]);
    if (epv_gep_input_load_file(ctx, tree, path, &in)) { fail(ctx, "input"); goto done; }
    snprintf(path, sizeof path, "%s", found[1]);
    if (epv_gep_deflator_load_csv(ctx, path, &cpi)) { fail(ctx, "deflator"); goto done; }
    epv_gep_account *acc = epv_gep_input_account(in);
    int py = epv_gep_input_price_year(in);
    if (epv_gep_account_value(ctx, acc, epv_gep_input_prices(in), cpi, py)) { fail(ctx, "valuation"); goto done; }

    printf("GEP account, Bazhong (two counties), illustrative inputs; money in 亿元 (10^8 yuan)\n");
    cli_pad(stdout, "region", 34, 0);
    printf(" %4s %10s %10s %10s %10s %12s %8s\n", "year", "provision", "regulating", "cultural", "GEP", "GEP@2020",
           "GEP/GDP");
    for (size_t r = 0; r < epv_gep_account_region_count(acc); r++) {
        epv_gep_region g = EPV_GEP_REGION_INIT;
        epv_gep_account_region_at(ctx, acc, r, &g);
        for (int y = 2020; y <= 2021; y++) {
            double p, rg, cu, gep, gk, ratio = 0;
            epv_gep_account_total(ctx, acc, g.code, NULL, "provisioning", y, EPV_GEP_CURRENT, &p);
            epv_gep_account_total(ctx, acc, g.code, NULL, "regulating", y, EPV_GEP_CURRENT, &rg);
            epv_gep_account_total(ctx, acc, g.code, NULL, "cultural", y, EPV_GEP_CURRENT, &cu);
            epv_gep_account_total(ctx, acc, g.code, NULL, NULL, y, EPV_GEP_CURRENT, &gep);
            epv_gep_account_total(ctx, acc, g.code, NULL, NULL, y, EPV_GEP_CONSTANT, &gk);
            epv_gep_account_gep_gdp(ctx, acc, g.code, y, &ratio);
            char label[256], b[5][48];
            snprintf(label, sizeof label, "%s %s", g.name, g.code);
            cli_pad(stdout, label, 34, 0);
            printf(" %4d %10s %10s %10s %10s %12s %8.2f\n", y, yi(p, b[0]), yi(rg, b[1]), yi(cu, b[2]), yi(gep, b[3]),
                   yi(gk, b[4]), ratio);
        }
    }
    printf("\nPingchang 2020 by indicator (quantity in the indicator's unit, value at current prices)\n");
    for (size_t i = 0; i < epv_gep_tree_count(tree); i++) {
        epv_gep_indicator ind = EPV_GEP_INDICATOR_INIT;
        double q, v;
        epv_gep_tree_at(ctx, tree, i, &ind);
        if (!ind.leaf || epv_gep_account_quantity(ctx, acc, "pingchang", NULL, ind.code, 2020, &q) || q == 0) continue;
        epv_gep_account_total(ctx, acc, "pingchang", NULL, ind.code, 2020, EPV_GEP_CURRENT, &v);
        char bq[48];
        printf("  ");
        cli_pad(stdout, ind.name_zh, 16, 0);
        printf(" ");
        cli_pad(stdout, ind.code, 22, 0);
        printf(" %18s %-6s %10.4f 亿元%s\n", cli_group(q, q < 100 ? 2 : 0, bq, sizeof bq), epv_unit_symbol(ind.unit),
               v / 1e8, ind.final_service ? "" : "  (intermediate: not in GEP)");
    }
    epv_gep_soil_split soil = EPV_GEP_SOIL_SPLIT_INIT;
    if (epv_gep_account_soil_value(ctx, acc, epv_gep_input_prices(in), "pingchang", 2020, EPV_GEP_CURRENT, &soil)) {
        fail(ctx, "soil split");
        goto done;
    }
    printf("  -> soil retention %.4f 亿元 = sediment %.4f + N %.4f + P %.4f (N and P at treatment costs)\n",
           soil.total_yuan / 1e8, soil.sediment_yuan / 1e8, soil.n_yuan / 1e8, soil.p_yuan / 1e8);
    epv_gep_change ch = EPV_GEP_CHANGE_INIT;
    if (epv_gep_account_change(ctx, acc, "bazhong", 2020, 2021, &ch)) { fail(ctx, "change"); goto done; }
    printf("\nBazhong GEP 2020 -> 2021: %.2f -> %.2f 亿元 = volume %+.2f + price %+.2f - inflow change %+.2f\n",
           ch.value0_yuan / 1e8, ch.value1_yuan / 1e8, ch.volume_yuan / 1e8, ch.price_yuan / 1e8, ch.inflow_yuan / 1e8);

    /* Equivalent-factor route for comparison (Xie et al. 2015; factors provisional). The
     * standard equivalent as the 2015 paper defines it, from the net profit of grain per ha
     * weighted by sown area (rice, wheat, maize; ILLUSTRATIVE figures, not Sichuan's
     * statistics); the older 1/7-of-grain-value rule shown beside it under its own name. */
    double se, se17, ef_forest, ef_crop;
    const double sown[3] = { 40, 25, 35 }, profit[3] = { 2800, 900, 1600 };
    epv_gep_ef_standard_equivalent(ctx, 3, sown, profit, &se);
    epv_gep_ef_standard_equivalent_grain_1_7(ctx, 5500, 2.6, &se17);
    epv_gep_ef_value(ctx, "forest_mixed", 120280, se, &ef_forest);
    epv_gep_ef_value(ctx, "cropland_dry", 70000, se, &ef_crop);
    {
        char b[4][48];
        printf("\nEquivalent-factor route, Pingchang: standard equivalent %s yuan/ha (net profit of grain, Xie 2015; "
               "the 2003/2008 1/7 rule would give %s); forest %s 亿元, cropland %s 亿元\n",
               cli_group(se, 2, b[0], sizeof b[0]), cli_group(se17, 2, b[1], sizeof b[1]), yi(ef_forest, b[2]),
               yi(ef_crop, b[3]));
    }

    /* Carbon over time, valued as InVEST's carbon model does (price per t C, discount rate,
     * rate of change of the price): present value at 2020 of the carbon fixed in 2020-2021.
     * ILLUSTRATIVE price (about 60 yuan/t CO2 = 220 yuan/t C) and a 4% discount rate. */
    epv_gep_carbon_valuation cv = EPV_GEP_CARBON_VALUATION_INIT;
    double cpv;
    cv.price_per_t_c = 220;
    cv.discount_rate_pct = 4;
    if (epv_gep_account_carbon_value(ctx, acc, "pingchang", &cv, &cpv)) { fail(ctx, "carbon value"); goto done; }
    printf("\nPingchang carbon fixation 2020-2021 valued over time (InVEST method, 220 yuan/t C, r 4%%, c 0): "
           "%.4f 亿元 at 2020\n", cpv / 1e8);

    printf("\nIntegrity checks, Bazhong account:\n");
    print_findings(ctx, acc);

    snprintf(path, sizeof path, "%s", found[2]);
    if (epv_gep_unc_load_file(ctx, tree, path, &unc)) { fail(ctx, "uncertainty table"); goto done; }
    path_join(path, sizeof path, outdir, "bazhong_gep_mc_2021.svg");
    printf("\nUncertainty: inputs' U%% from bazhong_gep_unc.xml (ILLUSTRATIVE unless marked); a unit price is shared\n"
           "by every county and ecosystem (fully correlated), quantities are independent per county and ecosystem.");
    if (print_intervals(ctx, acc, unc, "bazhong", 2021, path) || print_intervals(ctx, acc, unc, "pingchang", 2021, NULL))
        goto done;
    printf("wrote %s\n", path);

    path_join(path, sizeof path, outdir, "bazhong_gep.xml");
    if (epv_gep_account_write_xml(ctx, acc, path)) { fail(ctx, "write xml"); goto done; }
    path_join(path, sizeof path, outdir, "bazhong_gep.csv");
    if (epv_gep_account_write_csv(ctx, acc, path)) { fail(ctx, "write csv"); goto done; }
    path_join(path, sizeof path, outdir, "bazhong_gep_pingchang_2020.svg");
    if (epv_gep_account_write_svg(ctx, acc, "pingchang", 2020, path)) { fail(ctx, "write svg"); goto done; }
    printf("\nwrote %s/bazhong_gep.xml, bazhong_gep.csv, bazhong_gep_pingchang_2020.svg\n", outdir);
    {
        static const char *const outs[] = { "bazhong_gep_mc_2021.svg", "bazhong_gep.xml", "bazhong_gep.csv",
                                            "bazhong_gep_pingchang_2020.svg" };
        for (int k = 0; k < 4; k++) {
            char o[4200];
            snprintf(o, sizeof o, "%s/%s", outdir, outs[k]);
            rr_output(record, o);
        }
    }

    snprintf(path, sizeof path, "%s", found[3]);
    if (epv_gep_input_load_file(ctx, tree, path, &sz)) { fail(ctx, "shenzhen"); goto done; }
    double q;
    epv_gep_account_quantity(ctx, epv_gep_input_account(sz), "shenzhen", NULL, "water_conservation", 2020, &q);
    printf("\nShenzhen 2020 (published): water conservation %.2f 亿 m³ × 6.11 yuan/m³ = %.2f 亿元 (published 117.19)\n",
           q / 1e8, q * 6.11 / 1e8);
    printf("Integrity checks, Shenzhen 2020 published account:\n");
    print_findings(ctx, epv_gep_input_account(sz));
    if (cli_record) snprintf(path, sizeof path, "%s", cli_record);
    else path_join(path, sizeof path, outdir, "bazhong_gep_run.json");
    status = rr_write(record, ctx, path);
    if (!status) printf("\nrun record: %s\n", path);
done:
    rr_free(record);
    epv_gep_unc_free(unc);
    epv_gep_input_free(sz);
    epv_gep_input_free(in);
    epv_gep_deflator_free(cpi);
    epv_gep_tree_free(tree);
    epv_ctx_free(ctx);
    return status;
}
