/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Pingchang forest carbon calculator.
 *
 * Models Pingchang county's 26.41万亩 of new forest (afforestation) and 15万亩 of forest
 * management with libepv, prints yearly and period-average net removals beside the county's
 * published figures (15.84万 t and 6万 t CO2 a year), explains the difference, and writes a CSV
 * and an SVG chart of cumulative removals for each project.
 *
 * Usage: pingchang AFFORESTATION.xml [MANAGEMENT.xml] OUTDIR
 * Uses only the public API (<epv.h>). */
#define _POSIX_C_SOURCE 200809L
#include <epv.h>
#include "cli.h"
#include "runrecord.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* How a vector inventory is read (--layer, --field, --area, --area-check). */
static const char *inv_layer;
static epv_compartment_fields inv_fields = EPV_COMPARTMENT_FIELDS_INIT;
static int inv_options_given;

/* The IPCC default carbon fraction (IPCC 2006 Vol. 4 Table 4.3) for the plausibility check;
 * its rows (Tables 4.9/4.10, subtropical humid Asia) are picked per stratum by forest type. */
#define IPCC_CARBON_FRACTION 0.47

/* Uncertainty inputs beyond the parameter table (whose species values carry their own U% and
 * sources: data/params/species.xml, doc/params.md). Both are ILLUSTRATIVE assumptions of this
 * example, not published figures: replace them with the project's own survey and fit.
 *  - area: stratum boundaries mapped from GIS/GPS surveys, U 5% per stratum;
 *  - growth curves: the illustrative Richards curves of the project files, U 15% on the
 *    asymptote (no plot data to fit, so no covariance from epv_growth_fit_data). */
#define AREA_U_PCT 5.0
#define CURVE_U_PCT 15.0
/* Monte Carlo draws: enough for stable 2.5/97.5 percentiles of one output (a few hundred
 * draws in each tail) while the example stays well under a second. */
#define MC_ITERATIONS 4000
/* Monitoring: CCER forestry rule, ±10% at 90% confidence (AR-Tool03 form). The plot-level
 * coefficient of variation of carbon stock, 30% in every stratum, is ILLUSTRATIVE (a pilot
 * inventory gives the real one); plots of 0.0667 ha (1 mu) for the finite-population form. */
#define PLOT_CV_PCT 30.0
#define PLOT_AREA_HA 0.0667

static runrecord *record;
static char svg_mc_path[4096];

static int fail(epv_ctx *ctx, const char *what, int rc)
{
    const char *msg = epv_ctx_errmsg(ctx);
    /* The library's message already names the file; do not repeat it. */
    if (strstr(msg, what) == msg)
        fprintf(stderr, "%s: %s\n", cli_name(), msg);
    else
        fprintf(stderr, "%s: %s: %s\n", cli_name(), what, msg);
    (void)rc;
    return 1;
}


static double wan(double t) { return t / 1e4; }

static void print_years(epv_ctx *ctx, const epv_sink_result *r)
{
    printf("  year   stock    removals emissions baseline leakage     net   cumulative   (万 t CO2e)\n");
    for (size_t i = 0; i < epv_sink_result_years(r); i++) {
        epv_sink_year y = EPV_SINK_YEAR_INIT;
        if (epv_sink_result_year(ctx, r, i, &y)) return;
        printf("  %d %8.2f %9.3f %9.3f %8.3f %7.3f %8.3f %11.2f\n", y.year, wan(y.stock_tco2),
               wan(y.project_removals_tco2), wan(y.project_emissions_tco2), wan(y.baseline_removals_tco2),
               wan(y.leakage_tco2), wan(y.net_removals_tco2), wan(y.cumulative_net_tco2));
    }
}

/* Compare the estimate with each claim in the project file and explain the difference. */
static void compare_claims(epv_ctx *ctx, const epv_project *p, const epv_sink_result *r, const epv_params *params)
{
    int first = epv_project_start_year(p), n = epv_project_crediting_years(p);
    epv_sink_period whole = EPV_SINK_PERIOD_INIT, early = EPV_SINK_PERIOD_INIT;
    if (epv_sink_result_period(ctx, r, first, first + n - 1, &whole) ||
        epv_sink_result_period(ctx, r, first, first + 9, &early))
        return;
    int have_ipcc = epv_params_ipcc_growth_count(params) > 0;
    double area = epv_project_area_ha(p);
    for (size_t k = 0; k < epv_project_claim_count(p); k++) {
        epv_project_claim c = EPV_PROJECT_CLAIM_INIT;
        if (epv_project_claim_at(ctx, p, k, &c)) return;
        printf("\n  Published figure: %s\n    %.2f万 t CO2/yr over %.1f ha (%.2f万亩) = %.2f t CO2/ha/yr\n"
               "    [source: %s]\n",
               c.label, wan(c.tco2_per_year), c.area_ha, epv_unit_ha_to_mu(c.area_ha) / 1e4, c.tco2_per_year / c.area_ha,
               c.source);
        printf("    libepv, crediting-period mean %d-%d: %.2f万 t/yr (%.2f t/ha/yr) = %.0f%% of the figure\n", first,
               first + n - 1, wan(whole.mean_net_tco2_yr), whole.mean_net_tco2_yr / area,
               100 * whole.mean_net_tco2_yr / c.tco2_per_year);
        printf("    libepv, first ten years %d-%d:        %.2f万 t/yr = %.0f%% of the figure\n", first, first + 9,
               wan(early.mean_net_tco2_yr), 100 * early.mean_net_tco2_yr / c.tco2_per_year);
        int reach = 0;
        double peak = 0;
        int peak_year = first;
        for (size_t i = 0; i < epv_sink_result_years(r); i++) {
            epv_sink_year y = EPV_SINK_YEAR_INIT;
            if (epv_sink_result_year(ctx, r, i, &y)) return;
            if (!reach && y.net_removals_tco2 >= c.tco2_per_year) reach = y.year;
            if (y.net_removals_tco2 > peak) {
                peak = y.net_removals_tco2;
                peak_year = y.year;
            }
        }
        printf("    annual net removals peak at %.2f万 t in %d; ", wan(peak), peak_year);
        if (reach)
            printf("they first reach the published figure in %d.\n", reach);
        else
            printf("they never reach the published figure within the crediting period.\n");
        printf("    deductions over the period: project emissions %.2f万 t, baseline %.2f万 t, leakage %.2f万 t\n",
               wan(whole.project_emissions_tco2), wan(whole.baseline_removals_tco2), wan(whole.leakage_tco2));
        if (have_ipcc) {
            /* Each stratum against the IPCC row of its own forest type, weighted by area; the
             * claim compared on its stated basis (gross with gross growth, net with net). */
            epv_sink_plausibility_options po = EPV_SINK_PLAUSIBILITY_OPTIONS_INIT;
            epv_sink_expectation e = EPV_SINK_EXPECTATION_INIT;
            epv_project_basis basis = epv_project_claim_basis(p, k);
            if (basis == EPV_PROJECT_BASIS_UNSTATED) basis = EPV_PROJECT_BASIS_GROSS;
            po.carbon_fraction = IPCC_CARBON_FRACTION;
            if (epv_sink_plausibility_project(ctx, p, params, c.tco2_per_year, c.area_ha, basis, &po, &e) == 0)
                printf("    IPCC Tier 1 (%s, %s; rows by forest type: conifer plantation %.0f%%, broadleaf\n"
                       "    plantation %.0f%%, natural <=20 y %.0f%%, >20 y %.0f%% of the area): %s expectation\n"
                       "    %.1f t CO2/ha/yr (range %.1f-%.1f); the published %.1f t CO2/ha/yr (%s) lies %s that range.\n",
                       po.zone, po.region, 100 * e.share_plantation_conifer, 100 * e.share_plantation_broadleaf,
                       100 * e.share_natural_le20y, 100 * e.share_natural_gt20y,
                       basis == EPV_PROJECT_BASIS_NET ? "net" : "gross", e.expected_tco2_ha_yr,
                       e.expected_low_tco2_ha_yr, e.expected_high_tco2_ha_yr, e.claimed_tco2_ha_yr,
                       basis == EPV_PROJECT_BASIS_NET ? "net" : "gross",
                       e.position < 0 ? "below" : e.position > 0 ? "above" : "within");
            else
                printf("    IPCC Tier 1 comparison failed: %s\n", epv_ctx_errmsg(ctx));
        }
        if (epv_project_kind_of(p) == EPV_PROJECT_AFFORESTATION)
            printf("    Why they differ: a new plantation removes little while young (sigmoid growth), so a\n"
                   "    flat per-hectare figure overstates the first decade and understates the middle years;\n"
                   "    shrubs cleared at planting are an emission; species and site assumptions dominate\n"
                   "    the rest (see the sources in the project file).\n");
        else
            printf("    Why they differ: a forest-management project (AR-CM-003) is credited only for what it\n"
                   "    adds to the baseline. Per year over the period: gross growth of the managed stands\n"
                   "    %.2f万 t, minus thinning/harvest emissions %.2f万 t, minus the baseline's own change\n"
                   "    (its growth less its harvests) %.2f万 t = additional removals %.2f万 t. The published\n"
                   "    figure is the order of the gross stand sink, not of the additional removals.\n",
                   wan(whole.project_removals_tco2 / n), wan(whole.project_emissions_tco2 / n),
                   wan(whole.baseline_removals_tco2 / n), wan(whole.net_removals_tco2 / n));
    }
}

/* Interval on the crediting-period mean net removals by Approach 1 and 2, and the plots a
 * monitoring campaign would need. */
static int report_uncertainty(epv_ctx *ctx, const epv_params *params, const epv_project *p, const char *outdir,
                              const char *stem)
{
    int first = epv_project_start_year(p), n = epv_project_crediting_years(p), last = first + n - 1;
    epv_sink_unc_options o = EPV_SINK_UNC_OPTIONS_INIT;
    epv_sink_unc_result a1 = EPV_SINK_UNC_RESULT_INIT;
    epv_sink_unc_result a2 = EPV_SINK_UNC_RESULT_INIT;
    char svg[4096];
    o.area_u_pct = AREA_U_PCT;
    o.curve_u_pct = CURVE_U_PCT;
    o.iterations = MC_ITERATIONS;
    snprintf(svg, sizeof svg, "%s/%s_mc.svg", outdir, stem);
    snprintf(svg_mc_path, sizeof svg_mc_path, "%s", svg);
    int rc = epv_sink_unc_approach1(ctx, p, params, first, last, &o, &a1);
    if (rc) return fail(ctx, "uncertainty (Approach 1)", rc);
    epv_mc *draws = NULL;
    if ((rc = epv_sink_unc_approach2(ctx, p, params, first, last, &o, &a2, &draws)))
        return fail(ctx, "uncertainty (Approach 2)", rc);
    /* The model returns the draws; the program writes the chart. */
    char title[300];
    snprintf(title, sizeof title, "%s: net removals %d-%d (%lld draws)", epv_project_name(p), first, last,
             (long long)a2.net.draws);
    /* Same basis as the crediting-period mean printed below: 万 t CO2e a year. */
    rc = epv_mc_write_histogram_svg(draws, 0, 40, title, "mean net removals, 10^4 t CO2e/yr (万 t CO2e/年)",
                                    1e-4 / (double)n, svg);
    epv_mc_free(draws);
    if (rc) return fail(ctx, "histogram", rc);
    printf("\n  Uncertainty of the crediting-period mean net removals %d-%d (95%% interval, 万 t CO2e/yr):\n"
           "    inputs: species values with the U%% of the parameter table (provisional, doc/params.md);\n"
           "    areas U %.0f%%, growth curves U %.0f%% (illustrative)\n",
           first, last, AREA_U_PCT, CURVE_U_PCT);
    printf("    Approach 1 (IPCC Eq. 3.1/3.2): %6.2f  ±%.1f%%  [%6.2f, %6.2f]   (areas %.1f%%, curves %.1f%%,"
           " species values %.1f%%)\n",
           wan(a1.mean_tco2_yr), a1.net.u_upper_pct, wan(a1.net.lower / n), wan(a1.net.upper / n), a1.u_area_pct,
           a1.u_curve_pct, a1.u_params_pct);
    printf("    Approach 2 (Monte Carlo, %lld draws, seed %llu): mean %6.2f, sd %.2f, 2.5-97.5%% [%6.2f, %6.2f]"
           " (-%.1f%%/+%.1f%%)\n",
           (long long)a2.net.draws, (unsigned long long)epv_ctx_seed(ctx), wan(a2.net.estimate / n), wan(a2.sd_tco2 / n),
           wan(a2.net.lower / n), wan(a2.net.upper / n), a2.net.u_lower_pct, a2.net.u_upper_pct);
    printf("    histogram of the Monte Carlo draws: %s\n", svg);

    size_t ns = epv_project_stratum_count(p);
    double *cv = malloc(ns * sizeof *cv);
    epv_i64 *nh = malloc(ns * sizeof *nh);
    if (!cv || !nh) {
        free(cv);
        free(nh);
        fprintf(stderr, "pingchang: out of memory\n");
        return 1;
    }
    for (size_t i = 0; i < ns; i++) cv[i] = PLOT_CV_PCT;
    int year = first + 4;
    epv_project_period mp = EPV_PROJECT_PERIOD_INIT;
    if (epv_project_period_count(p) > 0 && epv_project_period_at(ctx, p, 0, &mp) == 0) year = mp.last_year;
    epv_sink_sampling sd = EPV_SINK_SAMPLING_INIT;
    rc = epv_sink_sampling_design(ctx, p, params, year, cv, 0.90, 10.0, PLOT_AREA_HA, &sd, nh);
    if (rc) {
        free(cv);
        free(nh);
        return fail(ctx, "sampling design", rc);
    }
    printf("\n  Monitoring campaign at the end of %d: %lld sample plots for ±10%% at 90%% confidence\n"
           "    (CDM AR-Tool03, t = %.4f, Neyman allocation; plot CV %.0f%% in every stratum is illustrative;\n"
           "    plots of %.4f ha; expected mean stock %.1f t CO2e/ha)\n   ",
           year, (long long)sd.n, sd.t, PLOT_CV_PCT, PLOT_AREA_HA, sd.mean_tco2_ha);
    for (size_t i = 0; i < ns; i++) {
        epv_project_stratum st = EPV_PROJECT_STRATUM_INIT;
        if (epv_project_stratum_at(ctx, p, i, &st) == 0) printf(" %s %lld;", st.id, (long long)nh[i]);
    }
    printf("\n");
    free(cv);
    free(nh);
    return 0;
}

static int run_project(epv_ctx *ctx, const epv_params *params, const char *path, const char *outdir,
                       const char *stem)
{
    epv_project *p = NULL;
    epv_sink_result *r = NULL;
    int rc = epv_project_load_file(ctx, path, params, &p);
    if (rc) {
        fail(ctx, path, rc);
        cli_list_species(ctx, params);
        return 1;
    }
    double area = epv_project_area_ha(p);
    printf("\n== %s\n   %zu strata, %.1f ha (%.2f万亩), crediting period %d-%d\n", epv_project_name(p),
           epv_project_stratum_count(p), area, epv_unit_ha_to_mu(area) / 1e4, epv_project_start_year(p),
           epv_project_start_year(p) + epv_project_crediting_years(p) - 1);
    if ((rc = epv_sink_estimate(ctx, p, params, &r))) {
        epv_project_free(p);
        return fail(ctx, "estimate", rc);
    }
    print_years(ctx, r);
    printf("\n  Monitoring periods:\n");
    for (size_t i = 0; i < epv_project_period_count(p); i++) {
        epv_project_period mp = EPV_PROJECT_PERIOD_INIT;
        epv_sink_period sp = EPV_SINK_PERIOD_INIT;
        if (epv_project_period_at(ctx, p, i, &mp) ||
            epv_sink_result_period(ctx, r, mp.first_year, mp.last_year, &sp))
            break;
        printf("    %d-%d: net %8.2f万 t, mean %6.2f万 t/yr\n", sp.first_year, sp.last_year,
               wan(sp.net_removals_tco2), wan(sp.mean_net_tco2_yr));
    }
    compare_claims(ctx, p, r, params);
    {
        /* Credit value of the crediting period's net removals (InVEST's carbon valuation through
         * the GEP module): an illustrative 60 yuan/t CO2e, not a market quote, constant in real
         * terms; discounted at 8% a year, the social discount rate of 建设项目经济评价方法与参数
         * (3rd ed., NDRC and MOHURD 2006). */
        epv_sink_value_options vo = EPV_SINK_VALUE_OPTIONS_INIT;
        double npv = 0, undiscounted = 0, credited = 0;
        vo.price_per_tco2e = 60;
        if ((rc = epv_sink_result_value(ctx, r, &vo, &undiscounted, &credited)) == 0) {
            vo.discount_rate_pct = 8;
            rc = epv_sink_result_value(ctx, r, &vo, &npv, NULL);
        }
        if (rc) {
            epv_sink_result_free(r);
            epv_project_free(p);
            return fail(ctx, "credit value", rc);
        }
        printf("\n  Credit value of %.2f万 t net removals at an illustrative 60 yuan/t CO2e: %.0f万 yuan,"
               "\n    %.0f万 yuan discounted to %d at 8%%/yr (InVEST carbon valuation, epv_sink_result_value)\n",
               wan(credited), undiscounted / 1e4, npv / 1e4, epv_project_start_year(p));
    }
    if (report_uncertainty(ctx, params, p, outdir, stem)) {
        epv_sink_result_free(r);
        epv_project_free(p);
        return 1;
    }
    char csv[4096], svg[4096];
    snprintf(csv, sizeof csv, "%s/%s.csv", outdir, stem);
    snprintf(svg, sizeof svg, "%s/%s.svg", outdir, stem);
    double reference = 0;
    const char *label = NULL;
    epv_project_claim c = EPV_PROJECT_CLAIM_INIT;
    if (epv_project_claim_count(p) > 0 && epv_project_claim_at(ctx, p, 0, &c) == 0) {
        reference = c.tco2_per_year;
        label = "published figure, flat rate";
    }
    if ((rc = epv_sink_result_write_csv(ctx, r, csv)) ||
        (rc = epv_sink_result_write_svg(ctx, r, svg, epv_project_name(p), reference, label))) {
        epv_sink_result_free(r);
        epv_project_free(p);
        return fail(ctx, "write", rc);
    }
    printf("\n  wrote %s and %s\n", csv, svg);
    rr_output(record, csv);
    rr_output(record, svg);
    rr_output(record, svg_mc_path);
    epv_sink_result_free(r);
    epv_project_free(p);
    return 0;
}

/* 1 when path ends in ext (ASCII case-insensitive). */
static int ends_with(const char *path, const char *ext)
{
    size_t n = strlen(path), m = strlen(ext);
    if (n < m) return 0;
    for (size_t i = 0; i < m; i++) {
        char a = path[n - m + i], b = ext[i];
        if (a >= 'A' && a <= 'Z') a = (char)(a - 'A' + 'a');
        if (a != b) return 0;
    }
    return 1;
}

/* Sub-compartment records (小班) of an inventory grouped into strata (epv/compartment.h), each
 * stratum traced back to its records. The inventory and the curves are ILLUSTRATIVE. A .csv
 * file goes through the CSV reader; anything else (GeoPackage, GeoJSON, Shapefile) through
 * GDAL, its only layer with the CSV's field names and the areas of its attribute. */
static int show_inventory(epv_ctx *ctx, const epv_params *params, const char *csv)
{
    static const char *const species[5] = { "柏木", "马尾松", "杉木", "桤木", "栎类" };
    /* Illustrative business-as-usual Richards curves (asymptote, rate, shape), as in the
     * project files where the species appear there; the others are placeholders. */
    static const double abc[5][3] = { { 212.1, 0.06, 2.5 }, { 282.8, 0.06, 2.5 }, { 300, 0.08, 2.5 },
                                      { 200, 0.10, 2.0 }, { 250, 0.04, 2.0 } };
    epv_compartment_curve curves[5];
    for (int i = 0; i < 5; i++) {
        epv_compartment_curve c = EPV_COMPARTMENT_CURVE_INIT;
        c.species = species[i];
        c.curve.model = EPV_GROWTH_RICHARDS;
        c.curve.a = abc[i][0];
        c.curve.b = abc[i][1];
        c.curve.c = abc[i][2];
        curves[i] = c;
    }
    epv_compartment_set *set = NULL;
    epv_project *p = NULL;
    epv_compartment_map *m = NULL;
    int rc = ends_with(csv, ".csv") ? epv_compartment_read_csv(ctx, csv, NULL, params, &set)
                                    : epv_compartment_read_vector(ctx, csv, inv_layer, &inv_fields, params, &set);
    if (!rc) rc = epv_project_new(ctx, "Pingchang inventory (illustrative)", EPV_PROJECT_FOREST_MANAGEMENT, 2021, 30, &p);
    epv_compartment_rules rules = EPV_COMPARTMENT_RULES_INIT;
    rules.inventory_year = 2020;
    rules.curves = curves;
    rules.ncurves = 5;
    if (!rc) rc = epv_compartment_stratify(ctx, set, params, &rules, p, &m);
    if (rc) {
        fail(ctx, csv, rc);
    } else {
        printf("\n== Sub-compartment inventory %s (ILLUSTRATIVE records)\n", csv);
        printf("   %zu records -> %zu strata (species x origin x age class x site class; age classes 10 y for\n"
               "   plantations, 20 y for natural stands), %.1f ha\n",
               epv_compartment_count(set), epv_compartment_map_strata(m), epv_project_area_ha(p));
        for (size_t i = 0; i < epv_project_stratum_count(p); i++) {
            epv_project_stratum st = EPV_PROJECT_STRATUM_INIT;
            const size_t *idx = NULL;
            size_t n = 0;
            if (epv_project_stratum_at(ctx, p, i, &st) || epv_compartment_map_records(ctx, m, st.id, &idx, &n)) break;
            printf("   %-40s %7.1f ha, planted %d, %6.1f m3/ha:", st.id, st.area_ha, st.planting_year,
                   epv_project_stratum_start_volume(p, i));
            for (size_t k = 0; k < n; k++) {
                epv_compartment r = EPV_COMPARTMENT_INIT;
                if (epv_compartment_at(ctx, set, idx[k], &r) == 0) printf(" %s (%.1f ha)", r.id, r.area_ha);
            }
            printf("\n");
        }
    }
    epv_compartment_map_free(m);
    epv_project_free(p);
    epv_compartment_set_free(set);
    return rc ? 1 : 0;
}

static int vector_option(const char *a)
{
    static const char *const keys[] = { "id", "species", "origin", "age", "area_ha", "area_mu", "volume_m3_ha",
                                        "site_class" };
    if (!strncmp(a, "--layer=", 8) && a[8]) {
        inv_layer = a + 8;
    } else if (!strncmp(a, "--field=", 8)) {
        const char *eq = strchr(a + 8, '=');
        size_t klen = eq ? (size_t)(eq - (a + 8)) : 0;
        const char **slot[] = { &inv_fields.id, &inv_fields.species, &inv_fields.origin, &inv_fields.age,
                                &inv_fields.area_ha, &inv_fields.area_mu, &inv_fields.volume_m3_ha,
                                &inv_fields.site_class };
        size_t k = 0;
        while (k < 8 && !(klen == strlen(keys[k]) && !strncmp(a + 8, keys[k], klen))) k++;
        if (!eq || k == 8)
            exit(cli_usage_error("--field: '%s' is not KEY=FIELD with KEY one of id, species, origin, age, area_ha,"
                                 " area_mu, volume_m3_ha, site_class", a + 8));
        if (!eq[1] && k != 4 && k != 5 && k != 7)
            exit(cli_usage_error("--field=%s: only area_ha, area_mu and site_class may be empty (no such field)",
                                 a + 8));
        *slot[k] = eq + 1;
    } else if (!strncmp(a, "--area=", 7)) {
        const char *v = a + 7;
        if (!strcmp(v, "attribute")) inv_fields.area_from = EPV_COMPARTMENT_AREA_ATTRIBUTE;
        else if (!strcmp(v, "ellipsoidal")) inv_fields.area_from = EPV_COMPARTMENT_AREA_ELLIPSOIDAL;
        else if (!strcmp(v, "planar")) inv_fields.area_from = EPV_COMPARTMENT_AREA_PLANAR;
        else exit(cli_usage_error("--area: '%s' is not attribute, ellipsoidal or planar", v));
    } else if (!strncmp(a, "--area-check=", 13)) {
        char *end;
        double x = strtod(a + 13, &end);
        if (!a[13] || *end || !(x > 0 && x < 1))
            exit(cli_usage_error("--area-check: '%s' is not a fraction between 0 and 1 (0.01: 1 %%)", a + 13));
        inv_fields.area_check = x;
    } else {
        return 0;
    }
    inv_options_given = 1;
    return 1;
}

static const cli_info info = {
    "AFFORESTATION.xml [MANAGEMENT.xml [INVENTORY]] OUTDIR",
    "Pingchang forest carbon calculator: models an afforestation project (kind=\"afforestation\") and\n"
    "optionally a forest-management project (kind=\"forest-management\") with libepv, prints yearly\n"
    "and period net removals beside the published figures in the project files, 95% intervals by\n"
    "IPCC Approach 1 and 2 and a monitoring sample size, and writes into OUTDIR (created if needed):\n"
    "  pingchang_afforestation.csv/.svg/_mc.svg, pingchang_management.csv/.svg/_mc.svg (named by\n"
    "  the kind read from each file) and pingchang_run.json (the run record).\n"
    "With INVENTORY (sub-compartment records: a .csv file such as\n"
    "data/examples/pingchang_compartments.csv, or a vector layer GDAL opens, e.g. .gpkg, .geojson\n"
    "or .shp, holding one layer with the CSV's column names as attribute fields) it also groups the\n"
    "records into strata and lists the records behind each stratum.\n"
    "The shipped inputs are data/examples/pingchang.xml and pingchang_management.xml (installed\n"
    "under $(pkgdatadir)/examples).",
    "  --layer=NAME        the inventory layer (a vector data set with several layers)\n"
    "  --field=KEY=FIELD   the attribute field holding KEY (id, species, origin, age, area_ha,\n"
    "                      area_mu, volume_m3_ha, site_class) when it is not named KEY; an empty\n"
    "                      FIELD says the layer has no such field (area_ha, area_mu, site_class)\n"
    "  --area=FROM         where areas come from: attribute (default), ellipsoidal (the polygon on\n"
    "                      the ellipsoid of the layer's CRS) or planar (projected CRS only)\n"
    "  --area-check=F      also compare the area attribute with the polygon's area and refuse a\n"
    "                      relative difference above F (0.01: 1 %)\n",
    vector_option
};

int main(int argc, char **argv)
{
    argc = cli_start(argc, argv, &info);
    if (argc < 3 || argc > 5)
        return cli_usage_error("expected 2 to 4 arguments (project files, an optional inventory, then the "
                               "output directory), got %d", argc - 1);
    const char *outdir = argv[argc - 1];
    if (inv_options_given && (argc != 5 || ends_with(argv[3], ".csv")))
        return cli_usage_error("--layer, --field, --area and --area-check apply to a vector inventory (a data set"
                               " GDAL opens), not to %s", argc == 5 ? argv[3] : "a run without an inventory");
    /* Each file's kind decides its output names; the order of the usage line is checked so a
     * swapped pair is refused rather than reported under the wrong heading. */
    static const char *const want[2] = { "afforestation", "forest-management" };
    const char *stems[2] = { NULL, NULL };
    for (int k = 0; k < 2 && k + 2 < argc; k++) { /* the project files; an inventory may follow */
        char kind[64];
        if (cli_check_xml(argv[1 + k], "project", kind, sizeof kind)) return 1;
        if (strcmp(kind, want[k]) != 0)
            return cli_usage_error("%s is a %s project (kind=\"%s\"); the %s argument must be the %s project "
                                   "(valid kinds: afforestation, forest-management)",
                                   argv[1 + k], kind[0] ? kind : "(no kind)", kind, k ? "second" : "first", want[k]);
        stems[k] = k ? "pingchang_management" : "pingchang_afforestation";
    }
    if (cli_mkdirs(outdir)) return 1;
    epv_ctx *ctx = NULL;
    epv_params *params = NULL;
    if (epv_ctx_new(&ctx)) return 1;
    if (cli_apply(ctx, 0)) {
        epv_ctx_free(ctx);
        return 1;
    }
    record = rr_new(cli_name(), argc, argv);
    rr_method(record, "IPCC 2006 Guidelines Vol. 4 AFOLU (gain-loss, Approach 1 and 2 uncertainty)", "2006");
    rr_method(record, "CCER-14-001 afforestation", "V01");
    rr_method(record, "AR-CM-003 forest management", "V01");
    rr_method(record, "CDM AR-Tool14 shrubs (form in doc/sink.md)", "version not pinned");
    rr_method(record, "CDM AR-Tool03 sample plots (form in doc/uncertainty.md)", "version not pinned");
    for (int k = 1; k + 1 < argc; k++) rr_input(record, argv[k]);
    int rc = epv_params_load_default(ctx, &params);
    if (rc) {
        fail(ctx, "parameters", rc);
        epv_ctx_free(ctx);
        rr_free(record);
        return 1;
    }
    printf("libepv %s: Pingchang forest carbon sink (IPCC 2006 AFOLU, CCER forestry methodologies)\n",
           epv_version());
    printf("species parameters: libepv default table (%zu species; sources in doc/params.md)\n",
           epv_params_species_count(params));
    int status = run_project(ctx, params, argv[1], outdir, stems[0]);
    if (!status && argc >= 4) status = run_project(ctx, params, argv[2], outdir, stems[1]);
    if (!status && argc == 5) status = show_inventory(ctx, params, argv[3]);
    if (!status) {
        char path[4200];
        if (cli_record) snprintf(path, sizeof path, "%s", cli_record);
        else snprintf(path, sizeof path, "%s/pingchang_run.json", outdir);
        status = rr_write(record, ctx, path);
        if (!status) printf("\nrun record: %s\n", path);
    }
    rr_free(record);
    epv_params_free(params);
    epv_ctx_free(ctx);
    return status;
}
