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

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int fail(epv_ctx *ctx, const char *what)
{
    fprintf(stderr, "bazhong_gep: %s: %s\n", what, epv_ctx_errmsg(ctx));
    return 1;
}

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
    for (int k = 0; k < EPV_GEP_UNC_NTOTALS; k++)
        printf("  %-13s %9.2f %7.1f%% [%8.2f, %8.2f] | %9.2f [%8.2f, %8.2f]\n", names[k], a1[k].estimate / 1e8,
               a1[k].u_upper_pct, a1[k].lower / 1e8, a1[k].upper / 1e8, a2[k].estimate / 1e8, a2[k].lower / 1e8,
               a2[k].upper / 1e8);
    /* the model returned the draws; the caller writes the histogram */
    if (svg) {
        char title[256];
        snprintf(title, sizeof title, "GEP of %s in %d, Monte Carlo (%zu draws)", region, year, o.iterations);
        int rc = epv_gep_unc_write_histogram_svg(ctx, draws, o.iterations, 40, title, "yuan (2020 prices)", svg);
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
    if (argc < 2) {
        fprintf(stderr, "usage: %s OUTDIR [DATADIR]\n", argv[0]);
        return 2;
    }
    const char *outdir = argv[1], *datadir = argc > 2 ? argv[2] : "data/examples";
    char path[4096];
    epv_ctx *ctx = NULL;
    epv_gep_tree *tree = NULL;
    epv_gep_input *in = NULL, *sz = NULL;
    epv_gep_deflator *cpi = NULL;
    epv_gep_unc *unc = NULL;
    int status = 1;
    if (epv_ctx_new(&ctx)) return 1;
    if (epv_gep_tree_load_default(ctx, &tree)) { fail(ctx, "tree"); goto done; }
    path_join(path, sizeof path, datadir, "bazhong_gep.xml");
    if (epv_gep_input_load_file(ctx, tree, path, &in)) { fail(ctx, "input"); goto done; }
    path_join(path, sizeof path, datadir, "bazhong_gep_cpi.csv");
    if (epv_gep_deflator_load_csv(ctx, path, &cpi)) { fail(ctx, "deflator"); goto done; }
    epv_gep_account *acc = epv_gep_input_account(in);
    int py = epv_gep_input_price_year(in);
    if (epv_gep_account_value(ctx, acc, epv_gep_input_prices(in), cpi, py)) { fail(ctx, "valuation"); goto done; }

    printf("GEP account, Bazhong (two counties), illustrative inputs; money in 亿元 (10^8 yuan)\n");
    printf("%-10s %4s %10s %10s %10s %10s %12s %8s\n", "region", "year", "provision", "regulating", "cultural",
           "GEP", "GEP@2020", "GEP/GDP");
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
            printf("%-10s %4d %10.2f %10.2f %10.2f %10.2f %12.2f %8.2f\n", g.code, y, p / 1e8, rg / 1e8, cu / 1e8,
                   gep / 1e8, gk / 1e8, ratio);
        }
    }
    printf("\nPingchang 2020 by indicator (quantity in the indicator's unit, value at current prices)\n");
    for (size_t i = 0; i < epv_gep_tree_count(tree); i++) {
        epv_gep_indicator ind = EPV_GEP_INDICATOR_INIT;
        double q, v;
        epv_gep_tree_at(ctx, tree, i, &ind);
        if (!ind.leaf || epv_gep_account_quantity(ctx, acc, "pingchang", NULL, ind.code, 2020, &q) || q == 0) continue;
        epv_gep_account_total(ctx, acc, "pingchang", NULL, ind.code, 2020, EPV_GEP_CURRENT, &v);
        printf("  %-22s %-20s %14.6g %-6s %10.4f 亿元%s\n", ind.code, ind.name_zh, q, epv_unit_symbol(ind.unit), v / 1e8,
               ind.final_service ? "" : "  (intermediate: not in GEP)");
    }
    epv_gep_soil_split soil = EPV_GEP_SOIL_SPLIT_INIT;
    if (epv_gep_account_soil_value(ctx, acc, epv_gep_input_prices(in), "pingchang", 2020, EPV_GEP_CURRENT, &soil)) {
        fail(ctx, "soil split");
        goto done;
    }
    printf("  soil retention %.4f 亿元 = sediment %.4f + N %.4f + P %.4f (N and P at treatment costs)\n",
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
    printf("\nEquivalent-factor route, Pingchang: standard equivalent %.2f yuan/ha (net profit of grain, Xie 2015; "
           "the 2003/2008 1/7 rule would give %.2f); forest %.2f 亿元, cropland %.2f 亿元\n",
           se, se17, ef_forest / 1e8, ef_crop / 1e8);

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

    path_join(path, sizeof path, datadir, "bazhong_gep_unc.xml");
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

    path_join(path, sizeof path, datadir, "shenzhen_2020_published.xml");
    if (epv_gep_input_load_file(ctx, tree, path, &sz)) { fail(ctx, "shenzhen"); goto done; }
    double q;
    epv_gep_account_quantity(ctx, epv_gep_input_account(sz), "shenzhen", NULL, "water_conservation", 2020, &q);
    printf("\nShenzhen 2020 (published): water conservation %.2f 亿 m³ × 6.11 yuan/m³ = %.2f 亿元 (published 117.19)\n",
           q / 1e8, q * 6.11 / 1e8);
    printf("Integrity checks, Shenzhen 2020 published account:\n");
    print_findings(ctx, epv_gep_input_account(sz));
    status = 0;
done:
    epv_gep_unc_free(unc);
    epv_gep_input_free(sz);
    epv_gep_input_free(in);
    epv_gep_deflator_free(cpi);
    epv_gep_tree_free(tree);
    epv_ctx_free(ctx);
    return status;
}
