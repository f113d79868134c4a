/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Project-level estimation (sink module).
 *
 * Expected values are computed here, independently of the library, from the methodology
 * equations and published parameters: the species values are read from the shipped table
 * (their sources are checked in test_params), AR-Tool14's shrub defaults (R_s 0.40,
 * BDR_SF 0.10, CF_s 0.47), IPCC 2006's 20-year soil transition, and Pingchang's published
 * figures. Growth curves use the Schumacher form V = a·e^(−b/t), whose values are easy to
 * compute by hand. */
#define _DEFAULT_SOURCE /* mkdtemp */
#include "test_util.h"
#include "epv.h"
#include "xml_int.h"

#include <libxml/tree.h>
#include <stdlib.h>
#include <unistd.h>

static epv_ctx *ctx;
static epv_params *params;

static double schumacher(double a, double b, double t) { return t <= 0 ? 0 : a * exp(-b / t); }

/* t CO2 per m³ of stem volume by the BEF method: D · BEF · (1 + R) · CF · 44/12
 * (IPCC 2006 Vol. 4 eq. 2.8 with BCEF = D · BEF). */
static double co2_per_m3(const epv_params_species *s)
{
    return s->wood_density * s->bef * (1 + s->root_shoot) * s->carbon_fraction * 44.0 / 12.0;
}

static epv_project_stratum fir_stratum(const char *id, double area_ha, int planted)
{
    epv_project_stratum s = EPV_PROJECT_STRATUM_INIT;
    snprintf(s.id, sizeof s.id, "%s", id);
    snprintf(s.species, sizeof s.species, "杉木");
    s.area_ha = area_ha;
    s.planting_year = planted;
    s.curve.model = EPV_GROWTH_SCHUMACHER;
    s.curve.a = 300;
    s.curve.b = 20;
    return s;
}

static void test_single_stratum_removals(void)
{
    epv_params_species fir = EPV_PARAMS_SPECIES_INIT;
    EPV_ASSERT_OK(ctx, epv_params_species_find(ctx, params, "杉木", &fir));
    epv_project *p = NULL;
    EPV_ASSERT_OK(ctx, epv_project_new(ctx, "fir", EPV_PROJECT_AFFORESTATION, 2021, 20, &p));
    epv_project_stratum s = fir_stratum("s1", 100, 2021);
    EPV_ASSERT_OK(ctx, epv_project_add_stratum(ctx, p, params, &s));
    epv_sink_result *r = NULL;
    EPV_ASSERT_OK(ctx, epv_sink_estimate(ctx, p, NULL, &r));
    CU_ASSERT_EQUAL_FATAL(epv_sink_result_years(r), 20);
    double k = co2_per_m3(&fir) * 100, cumulative = 0;
    for (int i = 0; i < 20; i++) {
        epv_sink_year y = EPV_SINK_YEAR_INIT;
        EPV_ASSERT_OK(ctx, epv_sink_result_year(ctx, r, (size_t)i, &y));
        int age = i + 1; /* planted at the start of 2021: age 1 at the end of 2021 */
        double expect = k * (schumacher(300, 20, age) - schumacher(300, 20, age - 1));
        cumulative += expect;
        CU_ASSERT_EQUAL(y.year, 2021 + i);
        EPV_ASSERT_CLOSE(y.project_removals_tco2, expect, 1e-9);
        EPV_ASSERT_CLOSE(y.net_removals_tco2, expect, 1e-9);
        EPV_ASSERT_CLOSE(y.stock_tco2, k * schumacher(300, 20, age), 1e-9);
        EPV_ASSERT_CLOSE(y.cumulative_net_tco2, cumulative, 1e-9);
    }
    epv_sink_period per = EPV_SINK_PERIOD_INIT;
    EPV_ASSERT_OK(ctx, epv_sink_result_period(ctx, r, 2021, 2040, &per));
    EPV_ASSERT_CLOSE(per.net_removals_tco2, k * schumacher(300, 20, 20), 1e-9);
    EPV_ASSERT_CLOSE(per.mean_net_tco2_yr, k * schumacher(300, 20, 20) / 20, 1e-9);
    EPV_ASSERT_STATUS(ctx, epv_sink_result_period(ctx, r, 2030, 2041, &per), EPV_ERANGE);
    EPV_ASSERT_STATUS(ctx, epv_sink_result_period(ctx, r, 2031, 2030, &per), EPV_ERANGE);
    /* Projection beyond the crediting period for planning: the first 20 years are unchanged. */
    epv_sink_options opt = EPV_SINK_OPTIONS_INIT;
    opt.years = 60;
    epv_sink_result *r60 = NULL;
    EPV_ASSERT_OK(ctx, epv_sink_estimate_ex(ctx, p, NULL, &opt, &r60));
    CU_ASSERT_EQUAL(epv_sink_result_years(r60), 60);
    epv_sink_year y20 = EPV_SINK_YEAR_INIT, y60 = EPV_SINK_YEAR_INIT;
    EPV_ASSERT_OK(ctx, epv_sink_result_year(ctx, r60, 19, &y20));
    EPV_ASSERT_CLOSE(y20.cumulative_net_tco2, k * schumacher(300, 20, 20), 1e-9);
    EPV_ASSERT_OK(ctx, epv_sink_result_year(ctx, r60, 59, &y60));
    EPV_ASSERT_CLOSE(y60.cumulative_net_tco2, k * schumacher(300, 20, 60), 1e-9);
    opt.years = 201;
    epv_sink_result *too_long = NULL;
    EPV_ASSERT_STATUS(ctx, epv_sink_estimate_ex(ctx, p, NULL, &opt, &too_long), EPV_ERANGE);
    CU_ASSERT_PTR_NULL(too_long);
    EPV_ASSERT_ERRMSG_HAS(ctx, "options.years");
    epv_sink_result_free(r60);
    epv_sink_result_free(r);
    epv_project_free(p);
}

static void test_emissions_baseline_leakage(void)
{
    epv_params_species fir = EPV_PARAMS_SPECIES_INIT;
    EPV_ASSERT_OK(ctx, epv_params_species_find(ctx, params, "杉木", &fir));
    epv_project *p = NULL;
    EPV_ASSERT_OK(ctx, epv_project_new(ctx, "fir", EPV_PROJECT_AFFORESTATION, 2021, 20, &p));
    epv_project_stratum s = fir_stratum("s1", 50, 2022);
    s.shrub_crown_cover = 0.2;
    s.shrub_forest_biomass_t_ha = 100;
    s.baseline_tco2_ha_yr = 0.5;
    EPV_ASSERT_OK(ctx, epv_project_add_stratum(ctx, p, params, &s));
    EPV_ASSERT_OK(ctx, epv_project_add_disturbance(ctx, p, "s1", 2030, 0.25));
    EPV_ASSERT_OK(ctx, epv_project_set_leakage(ctx, p, 0.1));
    epv_sink_result *r = NULL;
    EPV_ASSERT_OK(ctx, epv_sink_estimate(ctx, p, NULL, &r));
    double k = co2_per_m3(&fir) * 50;
    /* CDM AR-Tool14: B_shrub = (1 + 0.40) · 0.2 · 0.10 · 100 = 2.8 t d.m./ha; × 0.47 × 44/12. */
    double shrub = 2.8 * 0.47 * 44.0 / 12.0 * 50;
    epv_sink_year y = EPV_SINK_YEAR_INIT;
    EPV_ASSERT_OK(ctx, epv_sink_result_year(ctx, r, 0, &y)); /* 2021: not planted yet */
    EPV_ASSERT_NEAR(y.project_removals_tco2, 0, 1e-12);
    EPV_ASSERT_CLOSE(y.baseline_removals_tco2, 25, 1e-12);
    EPV_ASSERT_NEAR(y.leakage_tco2, 0, 1e-12); /* no leakage on a negative effect */
    EPV_ASSERT_CLOSE(y.net_removals_tco2, -25, 1e-12);
    EPV_ASSERT_OK(ctx, epv_sink_result_year(ctx, r, 1, &y)); /* 2022: planting year, age 1 */
    EPV_ASSERT_CLOSE(y.project_emissions_tco2, shrub, 1e-9);
    /* Disturbance in 2030 (age 9): a quarter of the stock is lost that year. */
    double g8 = k * schumacher(300, 20, 8), g9 = k * schumacher(300, 20, 9), g10 = k * schumacher(300, 20, 10);
    EPV_ASSERT_OK(ctx, epv_sink_result_year(ctx, r, 9, &y));
    EPV_ASSERT_CLOSE(y.project_removals_tco2, g9 - g8, 1e-9);
    EPV_ASSERT_CLOSE(y.project_emissions_tco2, 0.25 * g9, 1e-9);
    EPV_ASSERT_CLOSE(y.stock_tco2, 0.75 * g9, 1e-9);
    double effect = (g9 - g8) - 0.25 * g9 - 25;
    EPV_ASSERT_CLOSE(y.leakage_tco2, effect > 0 ? 0.1 * effect : 0, 1e-9);
    EPV_ASSERT_OK(ctx, epv_sink_result_year(ctx, r, 10, &y)); /* 2031: the damaged stand grows on */
    EPV_ASSERT_CLOSE(y.project_removals_tco2, 0.75 * (g10 - g9), 1e-9);
    EPV_ASSERT_CLOSE(y.leakage_tco2, 0.1 * (0.75 * (g10 - g9) - 25), 1e-9);
    EPV_ASSERT_CLOSE(y.net_removals_tco2, 0.9 * (0.75 * (g10 - g9) - 25), 1e-9);
    /* Stock change equals removals minus emissions, year by year. */
    double prev = 0;
    for (size_t i = 0; i < epv_sink_result_years(r); i++) {
        EPV_ASSERT_OK(ctx, epv_sink_result_year(ctx, r, i, &y));
        EPV_ASSERT_NEAR(y.stock_tco2 - prev, y.project_removals_tco2 - y.project_emissions_tco2 +
                                                  (i == 1 ? shrub : 0), 1e-6);
        prev = y.stock_tco2;
    }
    epv_sink_result_free(r);
    epv_project_free(p);
}

static void test_forest_management_baseline(void)
{
    epv_params_species fir = EPV_PARAMS_SPECIES_INIT;
    EPV_ASSERT_OK(ctx, epv_params_species_find(ctx, params, "杉木", &fir));
    epv_project *p = NULL;
    EPV_ASSERT_OK(ctx, epv_project_new(ctx, "fm", EPV_PROJECT_FOREST_MANAGEMENT, 2021, 30, &p));
    epv_project_stratum s = fir_stratum("old", 10, 2001);
    s.curve.a = 360;
    s.has_baseline_curve = 1;
    s.baseline_curve.model = EPV_GROWTH_SCHUMACHER;
    s.baseline_curve.a = 300;
    s.baseline_curve.b = 20;
    EPV_ASSERT_OK(ctx, epv_project_add_stratum(ctx, p, params, &s));
    epv_sink_result *r = NULL;
    EPV_ASSERT_OK(ctx, epv_sink_estimate(ctx, p, params, &r));
    double k = co2_per_m3(&fir) * 10;
    epv_sink_year y = EPV_SINK_YEAR_INIT;
    EPV_ASSERT_OK(ctx, epv_sink_result_year(ctx, r, 0, &y)); /* 2021: age 21 */
    double proj = k * (schumacher(360, 20, 21) - schumacher(360, 20, 20));
    double base = k * (schumacher(300, 20, 21) - schumacher(300, 20, 20));
    EPV_ASSERT_CLOSE(y.project_removals_tco2, proj, 1e-9);
    EPV_ASSERT_CLOSE(y.baseline_removals_tco2, base, 1e-9);
    EPV_ASSERT_CLOSE(y.net_removals_tco2, proj - base, 1e-9);
    /* A 20% higher asymptote with the same shape: net is exactly a sixth of project growth. */
    EPV_ASSERT_CLOSE(y.net_removals_tco2, proj / 6, 1e-9);
    epv_sink_result_free(r);
    epv_project_free(p);
}

static void test_soil_transition(void)
{
    epv_project *p = NULL;
    EPV_ASSERT_OK(ctx, epv_project_new(ctx, "soil", EPV_PROJECT_AFFORESTATION, 2021, 30, &p));
    epv_project_stratum s = fir_stratum("s", 1, 2021);
    s.curve.a = 1e-9; /* no trees to speak of: isolate the soil */
    s.soc_initial_tc_ha = 40;
    s.soc_final_tc_ha = 60;
    EPV_ASSERT_OK(ctx, epv_project_add_stratum(ctx, p, params, &s));
    epv_sink_result *r = NULL;
    EPV_ASSERT_OK(ctx, epv_sink_estimate(ctx, p, NULL, &r));
    epv_sink_year y = EPV_SINK_YEAR_INIT;
    /* IPCC 2006 Vol. 4 eq. 2.25 with D = 20 years: (60 − 40)/20 = 1 t C/ha/yr = 44/12 t CO2. */
    EPV_ASSERT_OK(ctx, epv_sink_result_year(ctx, r, 5, &y));
    EPV_ASSERT_CLOSE(y.project_removals_tco2, 44.0 / 12.0, 1e-6);
    EPV_ASSERT_OK(ctx, epv_sink_result_year(ctx, r, 19, &y)); /* year 20: last year of transition */
    EPV_ASSERT_CLOSE(y.project_removals_tco2, 44.0 / 12.0, 1e-6);
    EPV_ASSERT_OK(ctx, epv_sink_result_year(ctx, r, 20, &y)); /* after 20 years: no further change */
    EPV_ASSERT_NEAR(y.project_removals_tco2, 0, 1e-6);
    epv_sink_result_free(r);
    epv_project_free(p);
}

static void test_threads_do_not_change_results(void)
{
    epv_project *p = NULL;
    EPV_ASSERT_OK(ctx, epv_project_new(ctx, "many", EPV_PROJECT_AFFORESTATION, 2021, 40, &p));
    for (int i = 0; i < 300; i++) {
        char id[16];
        snprintf(id, sizeof id, "s%d", i);
        epv_project_stratum s = fir_stratum(id, 1 + i % 7, 2021 + i % 5);
        s.curve.a = 200 + i;
        EPV_ASSERT_OK(ctx, epv_project_add_stratum(ctx, p, params, &s));
    }
    epv_sink_result *r1 = NULL, *r2 = NULL;
    EPV_ASSERT_OK(ctx, epv_ctx_set_threads(ctx, 1));
    EPV_ASSERT_OK(ctx, epv_sink_estimate(ctx, p, NULL, &r1));
    EPV_ASSERT_OK(ctx, epv_ctx_set_threads(ctx, 2));
    epv_sink_options opt = EPV_SINK_OPTIONS_INIT;
    opt.keep_strata = 0;
    EPV_ASSERT_OK(ctx, epv_sink_estimate_ex(ctx, p, NULL, &opt, &r2));
    EPV_ASSERT_OK(ctx, epv_ctx_set_threads(ctx, 1));
    for (size_t i = 0; i < 40; i++) {
        epv_sink_year a = EPV_SINK_YEAR_INIT, b = EPV_SINK_YEAR_INIT;
        EPV_ASSERT_OK(ctx, epv_sink_result_year(ctx, r1, i, &a));
        EPV_ASSERT_OK(ctx, epv_sink_result_year(ctx, r2, i, &b));
        /* Bit-identical, field by field (the struct has padding). */
        CU_ASSERT_EQUAL(a.year, b.year);
        CU_ASSERT_EQUAL(memcmp(&a.stock_tco2, &b.stock_tco2, sizeof(double)), 0);
        CU_ASSERT_EQUAL(memcmp(&a.net_removals_tco2, &b.net_removals_tco2, sizeof(double)), 0);
        CU_ASSERT_EQUAL(memcmp(&a.cumulative_net_tco2, &b.cumulative_net_tco2, sizeof(double)), 0);
        CU_ASSERT_EQUAL(memcmp(&a.project_removals_tco2, &b.project_removals_tco2, sizeof(double)), 0);
    }
    /* Per-stratum figures add up to the totals. */
    epv_sink_year tot = EPV_SINK_YEAR_INIT, one = EPV_SINK_YEAR_INIT;
    EPV_ASSERT_OK(ctx, epv_sink_result_year(ctx, r1, 10, &tot));
    double sum = 0;
    for (size_t s = 0; s < 300; s++) {
        EPV_ASSERT_OK(ctx, epv_sink_result_stratum_year(ctx, r1, s, 10, &one));
        sum += one.net_removals_tco2;
    }
    EPV_ASSERT_CLOSE(sum, tot.net_removals_tco2, 1e-12);
    EPV_ASSERT_STATUS(ctx, epv_sink_result_stratum_year(ctx, r2, 0, 0, &one), EPV_ESTATE);
    epv_sink_result_free(r1);
    epv_sink_result_free(r2);
    epv_project_free(p);
}

/* IPCC 2006 Vol. 4 Table 4.9 (natural forest, subtropical humid, Asia: ≤20 y 2.5, >20 y 1.0
 * t d.m./ha/yr) and Table 4.10 (plantations, "other" species: 8.0, range 4.2–15.2), with the
 * root:shoot ratios of Table 4.4 (subtropical humid: 0.20 below, 0.24 above 125 t/ha) and
 * CF 0.47 (Table 4.3), as shipped in data/params/species.xml (rows marked provisional: the
 * table values could not be checked against the PDF from here; doc/params.md). */
#define T49_LE20 2.5
#define T49_GT20 1.0
#define T410_OTHER 8.0
#define T410_LOW 4.2
#define T410_HIGH 15.2
#define T44_YOUNG 0.20
#define T44_OLD 0.24
#define CF_T43 0.47

static void test_plausibility_by_forest_type(void)
{
    epv_project *p = NULL;
    EPV_ASSERT_OK(ctx, epv_project_new(ctx, "mixed", EPV_PROJECT_FOREST_MANAGEMENT, 2021, 20, &p));
    epv_project_stratum a = fir_stratum("fir-plantation", 100, 2011);           /* 杉木: conifer plantation */
    epv_project_stratum b = fir_stratum("oak-young-natural", 50, 2011);         /* natural, age 11 in 2021 */
    epv_project_stratum c = fir_stratum("oak-old-natural", 50, 1981);           /* natural, age 41 in 2021 */
    snprintf(b.species, sizeof b.species, "栎类");
    snprintf(c.species, sizeof c.species, "栎类");
    c.baseline_tco2_ha_yr = 4.0; /* per-hectare baseline removals: 200 t/yr on 50 ha */
    EPV_ASSERT_OK(ctx, epv_project_add_stratum(ctx, p, params, &a));
    EPV_ASSERT_OK(ctx, epv_project_add_stratum(ctx, p, params, &b));
    EPV_ASSERT_OK(ctx, epv_project_add_stratum(ctx, p, params, &c));
    EPV_ASSERT_OK(ctx, epv_project_set_stratum_origin(ctx, p, "oak-young-natural", EPV_PROJECT_NATURAL));
    EPV_ASSERT_OK(ctx, epv_project_set_stratum_origin(ctx, p, "oak-old-natural", EPV_PROJECT_NATURAL));
    CU_ASSERT_EQUAL(epv_project_stratum_origin(p, 0), EPV_PROJECT_PLANTATION);
    CU_ASSERT_EQUAL(epv_project_stratum_origin(p, 2), EPV_PROJECT_NATURAL);
    epv_sink_plausibility_options o = EPV_SINK_PLAUSIBILITY_OPTIONS_INIT;
    epv_sink_expectation e = EPV_SINK_EXPECTATION_INIT;
    /* Hand arithmetic, area-weighted over 200 ha, each stratum on its own row:
     * (100·8.0·1.20 + 50·2.5·1.20 + 50·1.0·1.24)/200 · 0.47 · 44/12. */
    double k = CF_T43 * 44.0 / 12.0;
    double gross = (100 * T410_OTHER * (1 + T44_YOUNG) + 50 * T49_LE20 * (1 + T44_YOUNG) + 50 * T49_GT20 * (1 + T44_OLD)) /
                   200 * k;
    double low = (100 * T410_LOW * (1 + T44_YOUNG) + 50 * T49_LE20 * (1 + T44_YOUNG) + 50 * T49_GT20 * (1 + T44_OLD)) / 200 * k;
    double high = (100 * T410_HIGH * (1 + T44_YOUNG) + 50 * T49_LE20 * (1 + T44_YOUNG) + 50 * T49_GT20 * (1 + T44_OLD)) / 200 * k;
    EPV_ASSERT_OK(ctx, epv_sink_plausibility_project(ctx, p, params, 2000, 200, EPV_PROJECT_BASIS_GROSS, &o, &e));
    EPV_ASSERT_CLOSE(e.gross_tco2_ha_yr, gross, 1e-12);
    EPV_ASSERT_CLOSE(gross, 10.0987, 1e-4); /* the same sum written out: (960 + 150 + 62)/200 · 1.723333 */
    EPV_ASSERT_CLOSE(e.gross_low_tco2_ha_yr, low, 1e-12);
    EPV_ASSERT_CLOSE(e.gross_high_tco2_ha_yr, high, 1e-12);
    EPV_ASSERT_CLOSE(e.expected_tco2_ha_yr, gross, 1e-12);
    CU_ASSERT_EQUAL(e.deduction_tco2_ha_yr, 0.0);
    EPV_ASSERT_CLOSE(e.share_plantation_conifer, 0.5, 1e-15);
    EPV_ASSERT_CLOSE(e.share_natural_le20y, 0.25, 1e-15);
    EPV_ASSERT_CLOSE(e.share_natural_gt20y, 0.25, 1e-15);
    CU_ASSERT_EQUAL(e.share_plantation_broadleaf, 0.0);
    CU_ASSERT_EQUAL(e.position, 0); /* 10 t CO2/ha/yr */
    /* In 2031 the young natural stand is 21: it moves to the >20 y row. */
    o.year = 2031;
    EPV_ASSERT_OK(ctx, epv_sink_plausibility_project(ctx, p, params, 2000, 200, EPV_PROJECT_BASIS_GROSS, &o, &e));
    EPV_ASSERT_CLOSE(e.share_natural_gt20y, 0.5, 1e-15);
    EPV_ASSERT_CLOSE(e.gross_tco2_ha_yr,
                     (100 * T410_OTHER * (1 + T44_YOUNG) + 100 * T49_GT20 * (1 + T44_OLD)) / 200 * k, 1e-12);
    o.year = 0;
    /* Net: the gross expectation less the project's own baseline (200 t/yr over 200 ha = 1.0
     * t/ha/yr; no emissions, no leakage). */
    EPV_ASSERT_OK(ctx, epv_sink_plausibility_project(ctx, p, params, 1900, 200, EPV_PROJECT_BASIS_NET, &o, &e));
    EPV_ASSERT_CLOSE(e.deduction_tco2_ha_yr, 1.0, 1e-12);
    EPV_ASSERT_CLOSE(e.expected_tco2_ha_yr, gross - 1.0, 1e-12);
    EPV_ASSERT_CLOSE(e.expected_low_tco2_ha_yr, low - 1.0, 1e-12);
    CU_ASSERT_EQUAL(e.basis, EPV_PROJECT_BASIS_NET);
    /* A claim just under the gross low end (6.17 t/ha/yr) is below it as a gross claim and
     * inside the net range (low end 5.17) as a net claim: the basis decides the comparison. */
    double claim = (low - 0.5) * 200;
    EPV_ASSERT_OK(ctx, epv_sink_plausibility_project(ctx, p, params, claim, 200, EPV_PROJECT_BASIS_GROSS, &o, &e));
    CU_ASSERT_EQUAL(e.position, -1);
    EPV_ASSERT_OK(ctx, epv_sink_plausibility_project(ctx, p, params, claim, 200, EPV_PROJECT_BASIS_NET, &o, &e));
    CU_ASSERT_EQUAL(e.position, 0);
    /* The basis must be said. */
    EPV_ASSERT_STATUS(ctx, epv_sink_plausibility_project(ctx, p, params, 1, 1, EPV_PROJECT_BASIS_UNSTATED, &o, &e),
                      EPV_EINVAL);
    EPV_ASSERT_ERRMSG_HAS(ctx, "basis");
    /* A zone without rows: an error naming the stratum and the row. */
    o.zone = "tropical_rain";
    EPV_ASSERT_STATUS(ctx, epv_sink_plausibility_project(ctx, p, params, 1, 1, EPV_PROJECT_BASIS_GROSS, &o, &e),
                      EPV_ENOTFOUND);
    EPV_ASSERT_ERRMSG_HAS(ctx, "fir-plantation");
    EPV_ASSERT_ERRMSG_HAS(ctx, "plantation_conifer");
    o.zone = "subtropical_humid";
    /* A missing root:shoot ratio is an error, never 0. */
    epv_params *own = NULL;
    EPV_ASSERT_OK(ctx, epv_params_load_default(ctx, &own));
    epv_params_ipcc_growth g = EPV_PARAMS_IPCC_GROWTH_INIT;
    EPV_ASSERT_OK(ctx, epv_params_ipcc_growth_find(ctx, own, "subtropical_humid", "asia", "natural_gt20y", &g));
    g.root_shoot = NAN;
    EPV_ASSERT_OK(ctx, epv_params_ipcc_growth_set(ctx, own, &g));
    EPV_ASSERT_STATUS(ctx, epv_sink_plausibility_project(ctx, p, own, 1, 1, EPV_PROJECT_BASIS_GROSS, &o, &e),
                      EPV_ENOTFOUND);
    EPV_ASSERT_ERRMSG_HAS(ctx, "root_shoot");
    EPV_ASSERT_ERRMSG_HAS(ctx, "oak-old-natural");
    epv_sink_plausibility pl = EPV_SINK_PLAUSIBILITY_INIT;
    EPV_ASSERT_STATUS(ctx, epv_sink_plausibility_check(ctx, 1, 1, &g, 0.47, &pl), EPV_ENOTFOUND);
    EPV_ASSERT_ERRMSG_HAS(ctx, "root_shoot");
    g.root_shoot = 2.0; /* outside 0–1.5: refused when set */
    EPV_ASSERT_STATUS(ctx, epv_params_ipcc_growth_set(ctx, own, &g), EPV_ERANGE);
    epv_params_free(own);
    epv_project_free(p);
}

static void test_plausibility_pingchang_file(void)
{
    /* The afforestation file: every stratum a plantation, conifers and broadleaves; the county's
     * 15.84万 t over 26.41万亩 (9.0 t CO2/ha/yr, references.md "The seeds' figures") is a gross
     * stand sink (basis="gross" in the file). Both shipped plantation rows are Table 4.10's
     * "other" 8.0 (4.2–15.2), R 0.20: expected 8.0 · 1.20 · 0.47 · 44/12 = 16.544. */
    epv_project *p = NULL;
    EPV_ASSERT_OK(ctx, epv_project_load_file(ctx, epv_test_path("data/examples/pingchang.xml"), params, &p));
    CU_ASSERT_EQUAL_FATAL(epv_project_claim_count(p), 1);
    CU_ASSERT_EQUAL(epv_project_claim_basis(p, 0), EPV_PROJECT_BASIS_GROSS);
    epv_project_claim c = EPV_PROJECT_CLAIM_INIT;
    EPV_ASSERT_OK(ctx, epv_project_claim_at(ctx, p, 0, &c));
    epv_sink_plausibility_options o = EPV_SINK_PLAUSIBILITY_OPTIONS_INIT;
    epv_sink_expectation e = EPV_SINK_EXPECTATION_INIT;
    EPV_ASSERT_OK(ctx, epv_sink_plausibility_project(ctx, p, params, c.tco2_per_year, c.area_ha,
                                                     epv_project_claim_basis(p, 0), &o, &e));
    EPV_ASSERT_CLOSE(e.claimed_tco2_ha_yr, 9.0, 0.001);
    EPV_ASSERT_CLOSE(e.gross_tco2_ha_yr, 16.544, 1e-4);
    EPV_ASSERT_CLOSE(e.share_plantation_conifer + e.share_plantation_broadleaf, 1.0, 1e-12);
    CU_ASSERT(e.share_plantation_conifer > 0 && e.share_plantation_broadleaf > 0);
    CU_ASSERT_EQUAL(e.position, 0);
    epv_project_free(p);
}

/* Forest management after AR-CM-003 (issue 10 item 3): both scenarios start from the state
 * measured at the start; thinning and harvest are events of either scenario; harvested wood
 * products decay by IPCC 2006 Vol. 4 eq. 12.1. No worked number of the methodology was found
 * to test against, so the expectations below are hand arithmetic on the Schumacher curve
 * V = a·e^(−b/t), whose equivalent age has the closed form t = −b / ln(V/a). */
static double schumacher_age(double a, double b, double v) { return -b / log(v / a); }

static void test_management_measured_start_and_events(void)
{
    epv_params_species fir = EPV_PARAMS_SPECIES_INIT;
    EPV_ASSERT_OK(ctx, epv_params_species_find(ctx, params, "杉木", &fir));
    const double k = co2_per_m3(&fir) * 100; /* 100 ha */
    epv_project *p = NULL;
    EPV_ASSERT_OK(ctx, epv_project_new(ctx, "fm", EPV_PROJECT_FOREST_MANAGEMENT, 2021, 20, &p));
    epv_project_stratum s = fir_stratum("fm", 100, 2001);
    s.curve.a = 360; /* managed: asymptote 20% above the baseline */
    s.baseline_curve.model = EPV_GROWTH_SCHUMACHER;
    s.baseline_curve.a = 300;
    s.baseline_curve.b = 20;
    s.has_baseline_curve = 1;
    EPV_ASSERT_OK(ctx, epv_project_add_stratum(ctx, p, params, &s));
    /* Measured at the start of 2021: the baseline stand at age 20, 300·e^(−1) = 110.364 m³/ha. */
    const double v0 = 300 * exp(-1.0);
    CU_ASSERT(isnan(epv_project_stratum_start_volume(p, 0)));
    EPV_ASSERT_OK(ctx, epv_project_set_start_volume(ctx, p, "fm", v0));
    CU_ASSERT_EQUAL(epv_project_stratum_start_volume(p, 0), v0);
    CU_ASSERT(isnan(epv_project_stratum_start_volume(p, 1)));
    epv_sink_result *r = NULL;
    EPV_ASSERT_OK(ctx, epv_sink_estimate(ctx, p, params, &r));
    /* The project stand continues on its own curve from its equivalent age
     * t_p = −20/ln(110.364/360) = 16.916 years, not from age 20 (which would hold 132.4 m³/ha
     * at once: the retroactive asymptote). The baseline continues from age 20. */
    double tp = schumacher_age(360, 20, v0), tb = 20;
    EPV_ASSERT_CLOSE(tp, 16.9159, 1e-4);
    epv_sink_year y = EPV_SINK_YEAR_INIT;
    EPV_ASSERT_OK(ctx, epv_sink_result_year(ctx, r, 0, &y));
    EPV_ASSERT_CLOSE(y.project_removals_tco2, k * (schumacher(360, 20, tp + 1) - v0), 1e-9);
    EPV_ASSERT_CLOSE(y.baseline_removals_tco2, k * (schumacher(300, 20, tb + 1) - v0), 1e-9);
    EPV_ASSERT_CLOSE(y.stock_tco2, k * schumacher(360, 20, tp + 1), 1e-9);
    CU_ASSERT_EQUAL(y.project_emissions_tco2, 0.0);
    epv_sink_result_free(r);

    /* A 30% thinning in 2025 in both scenarios, a baseline clear-fell in 2030, products kept
     * for half the removed stem carbon with the sawnwood half-life of 35 years (IPCC 2013 KP
     * Supplement Table 2.8.2). */
    epv_project_event e = EPV_PROJECT_EVENT_INIT;
    snprintf(e.stratum, sizeof e.stratum, "fm");
    e.year = 2025;
    e.fraction = 0.3;
    EPV_ASSERT_OK(ctx, epv_project_add_event(ctx, p, &e));
    e.year = 2030;
    e.kind = EPV_PROJECT_HARVEST;
    e.scenario = EPV_PROJECT_SCENARIO_BASELINE;
    e.fraction = 1;
    EPV_ASSERT_OK(ctx, epv_project_add_event(ctx, p, &e));
    CU_ASSERT_EQUAL(epv_project_event_count(p), 2);
    epv_project_event back = EPV_PROJECT_EVENT_INIT;
    EPV_ASSERT_OK(ctx, epv_project_event_at(ctx, p, 1, &back));
    CU_ASSERT_EQUAL(back.kind, EPV_PROJECT_HARVEST);
    CU_ASSERT_STRING_EQUAL(back.stratum, "fm");
    EPV_ASSERT_OK(ctx, epv_project_set_hwp(ctx, p, 0.5, 35));
    EPV_ASSERT_OK(ctx, epv_sink_estimate(ctx, p, params, &r));
    /* Hand arithmetic, year by year (end of year: grow, then remove). */
    const double kp = 100 * fir.wood_density * fir.carbon_fraction * 44.0 / 12.0 * 0.5; /* products, t CO2 per m³/ha */
    const double dk = log(2.0) / 35, ek = exp(-dk), fin = (1 - ek) / dk;
    double ap = tp, ab = tb, vp = v0, vb = v0, pool_p = 0, pool_b = 0;
    for (int i = 0; i < 20; i++) {
        int year = 2021 + i;
        double np = schumacher(360, 20, ap + 1), nb = schumacher(300, 20, ab + 1);
        double gp = np - vp, gb = nb - vb, rp = 0, rb = 0;
        ap += 1;
        ab += 1;
        if (year == 2025) {
            rp = 0.3 * np;
            rb = 0.3 * nb;
            ap = schumacher_age(360, 20, np - rp);
            ab = schumacher_age(300, 20, nb - rb);
        }
        if (year == 2030) {
            rb = nb;
            ab = 0;
        }
        double new_p = ek * pool_p + fin * kp * rp, new_b = ek * pool_b + fin * kp * rb;
        double dpool_p = new_p - pool_p, dpool_b = new_b - pool_b;
        pool_p = new_p;
        pool_b = new_b;
        vp = np - rp;
        vb = nb - rb;
        EPV_ASSERT_OK(ctx, epv_sink_result_year(ctx, r, (size_t)i, &y));
        EPV_ASSERT_CLOSE(y.project_removals_tco2, k * gp + dpool_p, 1e-9);
        EPV_ASSERT_NEAR(y.project_emissions_tco2, k * rp, 1e-6);
        EPV_ASSERT_CLOSE(y.baseline_removals_tco2, k * (gb - rb) + dpool_b, 1e-9);
        EPV_ASSERT_CLOSE(y.stock_tco2, k * vp, 1e-9);
    }
    /* The first year of the product pool by eq. 12.1 alone: (1 − e^(−k))/k · inflow, with
     * k = ln 2/35 = 0.0198042, 1 − e^(−k) = 0.0196094: 0.990163 of the inflow. */
    EPV_ASSERT_CLOSE(fin, 0.990163, 1e-6);
    epv_sink_result_free(r);

    /* Bad events: refused, nothing recorded. */
    e.kind = EPV_PROJECT_THINNING;
    e.scenario = EPV_PROJECT_SCENARIO_BOTH;
    e.year = 2026;
    e.fraction = 1;
    EPV_ASSERT_STATUS(ctx, epv_project_add_event(ctx, p, &e), EPV_ERANGE);
    EPV_ASSERT_ERRMSG_HAS(ctx, "harvest");
    e.kind = EPV_PROJECT_HARVEST;
    e.fraction = 0.5;
    EPV_ASSERT_STATUS(ctx, epv_project_add_event(ctx, p, &e), EPV_ERANGE);
    EPV_ASSERT_ERRMSG_HAS(ctx, "thinning");
    e.kind = EPV_PROJECT_THINNING;
    e.fraction = 0.2;
    e.year = 2025;
    EPV_ASSERT_STATUS(ctx, epv_project_add_event(ctx, p, &e), EPV_EEXISTS);
    e.year = 2041;
    EPV_ASSERT_STATUS(ctx, epv_project_add_event(ctx, p, &e), EPV_ERANGE);
    snprintf(e.stratum, sizeof e.stratum, "nope");
    EPV_ASSERT_STATUS(ctx, epv_project_add_event(ctx, p, &e), EPV_ENOTFOUND);
    CU_ASSERT_EQUAL(epv_project_event_count(p), 2);
    EPV_ASSERT_STATUS(ctx, epv_project_set_hwp(ctx, p, 1.5, 35), EPV_ERANGE);
    EPV_ASSERT_STATUS(ctx, epv_project_set_hwp(ctx, p, 0.5, 0), EPV_ERANGE);
    EPV_ASSERT_STATUS(ctx, epv_project_set_start_volume(ctx, p, "fm", -1), EPV_ERANGE);
    /* A measured volume the project curve never reaches: an error naming the stratum. */
    EPV_ASSERT_OK(ctx, epv_project_set_start_volume(ctx, p, "fm", 350));
    EPV_ASSERT_STATUS(ctx, epv_sink_estimate(ctx, p, params, &r), EPV_EDOMAIN);
    EPV_ASSERT_ERRMSG_HAS(ctx, "'fm'");
    EPV_ASSERT_ERRMSG_HAS(ctx, "baseline curve");
    epv_project_free(p);
    /* A baseline event on a stratum without a baseline curve. */
    EPV_ASSERT_OK(ctx, epv_project_new(ctx, "aff", EPV_PROJECT_AFFORESTATION, 2021, 20, &p));
    epv_project_stratum a = fir_stratum("a", 10, 2021);
    EPV_ASSERT_OK(ctx, epv_project_add_stratum(ctx, p, params, &a));
    snprintf(e.stratum, sizeof e.stratum, "a");
    e.year = 2030;
    e.scenario = EPV_PROJECT_SCENARIO_BASELINE;
    EPV_ASSERT_STATUS(ctx, epv_project_add_event(ctx, p, &e), EPV_EINVAL);
    EPV_ASSERT_ERRMSG_HAS(ctx, "baseline curve");
    epv_project_free(p);
}

static void test_management_file(void)
{
    /* The rebuilt Pingchang forest-management file: both scenarios start from the measured
     * stand; the net removals are gross growth − thinning emissions − the baseline's change;
     * the published 6万 t/yr (6.0 t CO2/ha/yr over 15万亩) is read as a gross figure. */
    epv_project *p = NULL;
    EPV_ASSERT_OK(ctx, epv_project_load_file(ctx, epv_test_path("data/examples/pingchang_management.xml"), params, &p));
    if (!p) return;
    CU_ASSERT_EQUAL(epv_project_event_count(p), 5);
    CU_ASSERT_EQUAL(epv_project_claim_basis(p, 0), EPV_PROJECT_BASIS_GROSS);
    epv_sink_result *r = NULL;
    EPV_ASSERT_OK(ctx, epv_sink_estimate(ctx, p, params, &r));
    /* The first year's baseline change of the 柏木 stratum: 6000 ha (90000 mu) on the baseline
     * Richards curve 212.1·(1 − e^(−0.06 t))^2.5 from its equivalent age of the measured
     * 86.6 m³/ha, one year on, times the BEF slope of 柏木. */
    epv_params_species cf = EPV_PARAMS_SPECIES_INIT;
    EPV_ASSERT_OK(ctx, epv_params_species_find(ctx, params, "柏木", &cf));
    double t0 = -log(1 - pow(86.6 / 212.1, 1 / 2.5)) / 0.06; /* inverse of the Richards curve */
    double v1 = 212.1 * pow(1 - exp(-0.06 * (t0 + 1)), 2.5);
    epv_sink_year y = EPV_SINK_YEAR_INIT;
    EPV_ASSERT_OK(ctx, epv_sink_result_stratum_year(ctx, r, 0, 0, &y));
    EPV_ASSERT_CLOSE(y.baseline_removals_tco2, co2_per_m3(&cf) * 6000 * (v1 - 86.6), 1e-6);
    epv_sink_period w = EPV_SINK_PERIOD_INIT;
    EPV_ASSERT_OK(ctx, epv_sink_result_period(ctx, r, 2021, 2050, &w));
    EPV_ASSERT_CLOSE(w.net_removals_tco2,
                     w.project_removals_tco2 - w.project_emissions_tco2 - w.baseline_removals_tco2 - w.leakage_tco2, 1e-12);
    CU_ASSERT(w.project_emissions_tco2 > 0);              /* the project's thinnings */
    CU_ASSERT(w.project_removals_tco2 / 30 > 60000);      /* gross growth above the published figure */
    CU_ASSERT(w.net_removals_tco2 / 30 < 60000);          /* additional removals below it */
    epv_sink_result_free(r);
    epv_project_free(p);
}

static void test_plausibility_pingchang(void)
{
    /* Pingchang: 26.41万亩 (17,606.7 ha) → 15.84万 t CO2/yr, i.e. 9.0 t CO2/ha/yr
     * (shared/references.md, "The seeds' figures"). IPCC 2006 Vol. 4 Table 4.9: plantation,
     * Asia, subtropical humid, other broadleaf: G_W 8.0 (4.2–15.2) t d.m./ha/yr; with
     * R = 0.23 and CF = 0.47 that is 8.0 · 1.23 · 0.47 · 44/12 = 16.96 t CO2/ha/yr. */
    epv_params_ipcc_growth g = EPV_PARAMS_IPCC_GROWTH_INIT;
    g.growth_t_dm_ha_yr = 8.0;
    g.growth_min = 4.2;
    g.growth_max = 15.2;
    g.root_shoot = 0.23;
    epv_sink_plausibility pl = EPV_SINK_PLAUSIBILITY_INIT;
    EPV_ASSERT_OK(ctx, epv_sink_plausibility_check(ctx, 158400, epv_unit_mu_to_ha(264100), &g, 0.47, &pl));
    EPV_ASSERT_CLOSE(pl.claimed_tco2_ha_yr, 9.0, 0.001);
    EPV_ASSERT_CLOSE(pl.ipcc_tco2_ha_yr, 16.96, 0.001);
    EPV_ASSERT_CLOSE(pl.ipcc_low_tco2_ha_yr, 4.2 * 1.23 * 0.47 * 44 / 12, 1e-12);
    CU_ASSERT_EQUAL(pl.position, 0);
    EPV_ASSERT_OK(ctx, epv_sink_plausibility_check(ctx, 60000, 100, &g, 0.47, &pl));
    CU_ASSERT_EQUAL(pl.position, 1); /* 600 t/ha/yr is far above any forest */
    EPV_ASSERT_OK(ctx, epv_sink_plausibility_check(ctx, 10, 100, &g, 0.47, &pl));
    CU_ASSERT_EQUAL(pl.position, -1);
    EPV_ASSERT_STATUS(ctx, epv_sink_plausibility_check(ctx, 1, 0, &g, 0.47, &pl), EPV_ERANGE);
    EPV_ASSERT_ERRMSG_HAS(ctx, "area_ha");
}

static void test_bad_input(void)
{
    epv_project *p = NULL;
    EPV_ASSERT_STATUS(ctx, epv_project_new(ctx, "x", EPV_PROJECT_AFFORESTATION, 2021, 19, &p), EPV_ERANGE);
    EPV_ASSERT_ERRMSG_HAS(ctx, "crediting_years");
    EPV_ASSERT_STATUS(ctx, epv_project_new(ctx, "x", EPV_PROJECT_AFFORESTATION, 2021, 41, &p), EPV_ERANGE);
    CU_ASSERT_PTR_NULL(p);
    EPV_ASSERT_OK(ctx, epv_project_new(ctx, "x", EPV_PROJECT_AFFORESTATION, 2021, 20, &p));
    epv_project_stratum s = fir_stratum("a", -5, 2021);
    EPV_ASSERT_STATUS(ctx, epv_project_add_stratum(ctx, p, params, &s), EPV_ERANGE);
    EPV_ASSERT_ERRMSG_HAS(ctx, "area_ha");
    s.area_ha = NAN;
    EPV_ASSERT_STATUS(ctx, epv_project_add_stratum(ctx, p, params, &s), EPV_ERANGE);
    EPV_ASSERT_ERRMSG_HAS(ctx, "stratum 'a'");
    s = fir_stratum("a", 5, 2021);
    snprintf(s.species, sizeof s.species, "unobtainium");
    EPV_ASSERT_STATUS(ctx, epv_project_add_stratum(ctx, p, params, &s), EPV_ENOTFOUND);
    EPV_ASSERT_ERRMSG_HAS(ctx, "unobtainium");
    s = fir_stratum("a", 5, 2021);
    s.curve.a = -100; /* a growth curve that goes negative */
    CU_ASSERT(epv_project_add_stratum(ctx, p, params, &s) == EPV_EDOMAIN);
    s = fir_stratum("a", 5, 2045);
    EPV_ASSERT_STATUS(ctx, epv_project_add_stratum(ctx, p, params, &s), EPV_ERANGE);
    EPV_ASSERT_ERRMSG_HAS(ctx, "planting_year");
    CU_ASSERT_EQUAL(epv_project_stratum_count(p), 0); /* nothing was half-added */
    s = fir_stratum("a", 5, 2021);
    EPV_ASSERT_OK(ctx, epv_project_add_stratum(ctx, p, params, &s));
    EPV_ASSERT_STATUS(ctx, epv_project_add_stratum(ctx, p, params, &s), EPV_EEXISTS);
    EPV_ASSERT_STATUS(ctx, epv_project_add_disturbance(ctx, p, "a", 2025, 1.5), EPV_ERANGE);
    EPV_ASSERT_STATUS(ctx, epv_project_add_disturbance(ctx, p, "zz", 2025, 0.5), EPV_ENOTFOUND);
    EPV_ASSERT_STATUS(ctx, epv_project_add_disturbance(ctx, p, "a", 2060, 0.5), EPV_ERANGE);
    EPV_ASSERT_STATUS(ctx, epv_project_set_leakage(ctx, p, -0.1), EPV_ERANGE);
    CU_ASSERT_EQUAL(epv_project_stratum_count(p), 1);
    epv_project_free(p);
    epv_project *empty = NULL;
    epv_sink_result *r = NULL;
    EPV_ASSERT_OK(ctx, epv_project_new(ctx, "empty", EPV_PROJECT_AFFORESTATION, 2021, 20, &empty));
    EPV_ASSERT_STATUS(ctx, epv_sink_estimate(ctx, empty, NULL, &r), EPV_ESTATE);
    CU_ASSERT_PTR_NULL(r);
    epv_project_free(empty);
}

/* Each bad project file: its status and the text its error must contain (file and line). */
static void test_bad_files(void)
{
    static const struct {
        const char *file;
        int status;
        const char *needle;
    } cases[] = {
        { "tests/data/sink/negative_area.xml", EPV_ERANGE, "negative_area.xml:5" },
        { "tests/data/sink/nan_area.xml", EPV_EPARSE, "nan_area.xml:5" },
        { "tests/data/sink/unknown_species.xml", EPV_ENOTFOUND, "unknown_species.xml:5" },
        { "tests/data/sink/crediting_too_long.xml", EPV_ERANGE, "crediting_years" },
        { "tests/data/sink/negative_curve.xml", EPV_EDOMAIN, "negative_curve.xml:6" },
        { "tests/data/sink/overlapping_periods.xml", EPV_ERANGE, "overlaps" },
        { "tests/data/sink/undeclared_source.xml", EPV_ESCHEMA, "undeclared_source.xml" },
        { "tests/data/sink/doctype.xml", EPV_EPARSE, "DOCTYPE" },
        { "tests/data/sink/both_areas.xml", EPV_ESCHEMA, "exactly one" },
        /* upper bounds (issue 10 item 6): file, line and field named */
        { "tests/data/sink/area_too_large.xml", EPV_ERANGE, "area_too_large.xml:5: <stratum>: attribute 'area-mu'" },
        { "tests/data/sink/claim_area_too_large.xml", EPV_ERANGE, "claim_area_too_large.xml:8: <claim>: attribute 'area-ha'" },
        { "tests/data/sink/leakage_above_one.xml", EPV_ERANGE, "leakage_fraction" },
        { "tests/data/sink/soc_too_large.xml", EPV_ERANGE, "soc_initial_tc_ha: 5000 is above 1500" },
        { "tests/data/sink/baseline_too_large.xml", EPV_ERANGE, "baseline_too_large.xml:5" },
        { "tests/data/sink/event_bad_fraction.xml", EPV_ERANGE, "event_bad_fraction.xml:7" },
        { "tests/data/sink/event_baseline_without_curve.xml", EPV_EINVAL, "event_baseline_without_curve.xml:7" },
        { "tests/data/sink/hwp_without_half_life.xml", EPV_ESCHEMA, "hwp-half-life-years" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        epv_project *p = (epv_project *)&p; /* must be reset to NULL on failure */
        char path[4096];
        snprintf(path, sizeof path, "%s", epv_test_path(cases[i].file));
        EPV_ASSERT_STATUS(ctx, epv_project_load_file(ctx, path, params, &p), cases[i].status);
        EPV_ASSERT_ERRMSG_HAS(ctx, cases[i].needle);
        CU_ASSERT_PTR_NULL(p);
    }
}

static void test_pingchang_file_and_outputs(void)
{
    epv_project *p = NULL;
    EPV_ASSERT_OK(ctx, epv_project_load_file(ctx, epv_test_path("data/examples/pingchang.xml"), params, &p));
    if (!p) return;
    /* 26.41万亩 in the file's strata = 17,606.7 ha at 15 mu per ha. */
    EPV_ASSERT_CLOSE(epv_project_area_ha(p), 264100.0 / 15.0, 1e-9);
    CU_ASSERT_EQUAL(epv_project_crediting_years(p), 30);
    CU_ASSERT_EQUAL(epv_project_period_count(p), 5);
    epv_project_claim c = EPV_PROJECT_CLAIM_INIT;
    EPV_ASSERT_OK(ctx, epv_project_claim_at(ctx, p, 0, &c));
    EPV_ASSERT_CLOSE(c.tco2_per_year, 158400, 0);
    epv_sink_result *r = NULL;
    EPV_ASSERT_OK(ctx, epv_sink_estimate(ctx, p, params, &r));
    char dir[] = "/tmp/epv-sink-XXXXXX", csv[128], svg[128];
    CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
    snprintf(csv, sizeof csv, "%s/p.csv", dir);
    snprintf(svg, sizeof svg, "%s/p.svg", dir);
    EPV_ASSERT_OK(ctx, epv_sink_result_write_csv(ctx, r, csv));
    EPV_ASSERT_OK(ctx, epv_sink_result_write_svg(ctx, r, svg, "Pingchang <test> & co", 158400, "county"));
    FILE *f = fopen(csv, "r");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    char line[8192];
    int rows = 0;
    CU_ASSERT_PTR_NOT_NULL(fgets(line, sizeof line, f));
    CU_ASSERT(strncmp(line, "year,stock_tco2,", 16) == 0);
    while (fgets(line, sizeof line, f)) rows++;
    fclose(f);
    CU_ASSERT_EQUAL(rows, 30);
    xmlDocPtr doc = NULL;
    EPV_ASSERT_OK(ctx, epv__xml_load_file(ctx, svg, NULL, &doc)); /* well-formed, title escaped */
    if (doc) {
        CU_ASSERT_STRING_EQUAL((const char *)xmlDocGetRootElement(doc)->name, "svg");
        xmlFreeDoc(doc);
    }
    EPV_ASSERT_STATUS(ctx, epv_sink_result_write_csv(ctx, r, "/nonexistent-dir/x.csv"), EPV_EIO);
    EPV_ASSERT_ERRMSG_HAS(ctx, "/nonexistent-dir/x.csv");
    unlink(csv);
    unlink(svg);
    rmdir(dir);
    epv_sink_result_free(r);
    epv_project_free(p);
}

/* Bulk access: every column, totals and per stratum, equals the per-value getters; years
 * are the calendar years; pointers stay valid for the result's life. */
static void test_columns(void)
{
    epv_project *p = NULL;
    EPV_ASSERT_OK(ctx, epv_project_new(ctx, "cols", EPV_PROJECT_AFFORESTATION, 2021, 30, &p));
    epv_project_stratum a = fir_stratum("a", 120, 2021), b = fir_stratum("b", 80, 2023);
    b.shrub_crown_cover = 0.3;
    b.shrub_forest_biomass_t_ha = 60;
    EPV_ASSERT_OK(ctx, epv_project_add_stratum(ctx, p, params, &a));
    EPV_ASSERT_OK(ctx, epv_project_add_stratum(ctx, p, params, &b));
    EPV_ASSERT_OK(ctx, epv_project_set_leakage(ctx, p, 0.05));
    epv_sink_result *r = NULL;
    EPV_ASSERT_OK(ctx, epv_sink_estimate(ctx, p, params, &r));
    size_t ny = epv_sink_result_years(r);
    const epv_i64 *years = NULL;
    size_t n = 0;
    EPV_ASSERT_OK(ctx, epv_sink_result_years_i64(ctx, r, &years, &n));
    CU_ASSERT_EQUAL_FATAL(n, ny);
    CU_ASSERT_EQUAL(years[0], 2021);
    CU_ASSERT_EQUAL(years[ny - 1], 2050);
    for (int c = EPV_SINK_COL_STOCK; c <= EPV_SINK_COL_CUMULATIVE_NET; c++) {
        const double *v = NULL, *v2 = NULL, *m = NULL;
        size_t ns = 0, nyy = 0;
        EPV_ASSERT_OK(ctx, epv_sink_result_column(ctx, r, (epv_sink_col)c, &v, &n));
        CU_ASSERT_EQUAL_FATAL(n, ny);
        EPV_ASSERT_OK(ctx, epv_sink_result_column(ctx, r, (epv_sink_col)c, &v2, &n));
        CU_ASSERT(v == v2); /* made once, kept with the result */
        EPV_ASSERT_OK(ctx, epv_sink_result_stratum_column(ctx, r, (epv_sink_col)c, &m, &ns, &nyy));
        CU_ASSERT_EQUAL_FATAL(ns, 2);
        CU_ASSERT_EQUAL_FATAL(nyy, ny);
        for (size_t i = 0; i < ny; i++) {
            epv_sink_year y = EPV_SINK_YEAR_INIT;
            EPV_ASSERT_OK(ctx, epv_sink_result_year(ctx, r, i, &y));
            CU_ASSERT_EQUAL(years[i], y.year);
            double want[8] = { 0, y.stock_tco2, y.project_removals_tco2, y.project_emissions_tco2,
                               y.baseline_removals_tco2, y.leakage_tco2, y.net_removals_tco2,
                               y.cumulative_net_tco2 };
            CU_ASSERT_EQUAL(v[i], want[c]); /* bitwise: the same sums in the same order */
            for (size_t s = 0; s < 2; s++) {
                epv_sink_year sy = EPV_SINK_YEAR_INIT;
                EPV_ASSERT_OK(ctx, epv_sink_result_stratum_year(ctx, r, s, i, &sy));
                double sw[8] = { 0, sy.stock_tco2, sy.project_removals_tco2, sy.project_emissions_tco2,
                                 sy.baseline_removals_tco2, sy.leakage_tco2, sy.net_removals_tco2,
                                 sy.cumulative_net_tco2 };
                CU_ASSERT_EQUAL(m[s * ny + i], sw[c]);
            }
        }
    }
    /* Bad arguments: unknown column, NULLs, a totals-only result. */
    const double *v = NULL;
    size_t ns, nyy;
    EPV_ASSERT_STATUS(ctx, epv_sink_result_column(ctx, r, (epv_sink_col)0, &v, &n), EPV_EINVAL);
    EPV_ASSERT_ERRMSG_HAS(ctx, "col");
    EPV_ASSERT_STATUS(ctx, epv_sink_result_column(ctx, r, (epv_sink_col)8, &v, &n), EPV_EINVAL);
    EPV_ASSERT_STATUS(ctx, epv_sink_result_column(ctx, NULL, EPV_SINK_COL_STOCK, &v, &n), EPV_EINVAL);
    EPV_ASSERT_ERRMSG_HAS(ctx, "result");
    EPV_ASSERT_STATUS(ctx, epv_sink_result_column(ctx, r, EPV_SINK_COL_STOCK, NULL, &n), EPV_EINVAL);
    EPV_ASSERT_STATUS(ctx, epv_sink_result_stratum_column(ctx, r, EPV_SINK_COL_STOCK, &v, NULL, &nyy), EPV_EINVAL);
    EPV_ASSERT_STATUS(ctx, epv_sink_result_years_i64(ctx, r, NULL, &n), EPV_EINVAL);
    epv_sink_result_free(r);
    epv_sink_options o = EPV_SINK_OPTIONS_INIT;
    o.keep_strata = 0;
    EPV_ASSERT_OK(ctx, epv_sink_estimate_ex(ctx, p, params, &o, &r));
    EPV_ASSERT_OK(ctx, epv_sink_result_column(ctx, r, EPV_SINK_COL_NET_REMOVALS, &v, &n));
    EPV_ASSERT_STATUS(ctx, epv_sink_result_stratum_column(ctx, r, EPV_SINK_COL_STOCK, &v, &ns, &nyy), EPV_ESTATE);
    epv_sink_result_free(r);
    epv_project_free(p);
}

/* Every versioned struct of params, growth, forest, project and sink: the _init function
 * writes the _INIT macro's value for version 1, and refuses versions 0 and 2 naming the
 * struct and both versions, and a NULL pointer. */
#define INIT_CASE(type, M)                                                                         \
    do {                                                                                           \
        static const type want = M##_INIT;                                                         \
        type got;                                                                                  \
        memset(&got, 0x5a, sizeof got);                                                            \
        EPV_ASSERT_OK(ctx, type##_init(ctx, &got, M##_VERSION));                                   \
        CU_ASSERT_EQUAL(got.version, M##_VERSION);                                                 \
        if (strcmp(#type, "epv_params_species") != 0)                                              \
            CU_ASSERT(memcmp(&got, &want, sizeof got) == 0);                                       \
        EPV_ASSERT_STATUS(ctx, type##_init(ctx, &got, 0), EPV_EVERSION);                           \
        EPV_ASSERT_ERRMSG_HAS(ctx, #type);                                                         \
        EPV_ASSERT_STATUS(ctx, type##_init(ctx, &got, M##_VERSION + 1), EPV_EVERSION);             \
        EPV_ASSERT_ERRMSG_HAS(ctx, "version 2");                                                   \
        EPV_ASSERT_ERRMSG_HAS(ctx, "1 to 1");                                                      \
        EPV_ASSERT_STATUS(ctx, type##_init(ctx, NULL, M##_VERSION), EPV_EINVAL);                   \
        CU_ASSERT_EQUAL(type##_init(NULL, &got, 7), EPV_EVERSION);                                 \
    } while (0)

static void test_versioned_inits(void)
{
    INIT_CASE(epv_params_species, EPV_PARAMS_SPECIES);
    INIT_CASE(epv_params_ipcc_growth, EPV_PARAMS_IPCC_GROWTH);
    INIT_CASE(epv_params_source, EPV_PARAMS_SOURCE);
    INIT_CASE(epv_params_value_uncertainty, EPV_PARAMS_VALUE_UNCERTAINTY);
    INIT_CASE(epv_growth_curve, EPV_GROWTH_CURVE);
    INIT_CASE(epv_growth_fit, EPV_GROWTH_FIT);
    INIT_CASE(epv_forest_stand_carbon, EPV_FOREST_STAND_CARBON);
    INIT_CASE(epv_forest_stratum_stock, EPV_FOREST_STRATUM_STOCK);
    INIT_CASE(epv_forest_allometry_power, EPV_FOREST_ALLOMETRY_POWER);
    INIT_CASE(epv_forest_gain_loss_input, EPV_FOREST_GAIN_LOSS_INPUT);
    INIT_CASE(epv_forest_gain_loss_result, EPV_FOREST_GAIN_LOSS_RESULT);
    INIT_CASE(epv_project_stratum, EPV_PROJECT_STRATUM);
    INIT_CASE(epv_project_period, EPV_PROJECT_PERIOD);
    INIT_CASE(epv_project_claim, EPV_PROJECT_CLAIM);
    INIT_CASE(epv_sink_year, EPV_SINK_YEAR);
    INIT_CASE(epv_sink_period, EPV_SINK_PERIOD);
    INIT_CASE(epv_sink_options, EPV_SINK_OPTIONS);
    INIT_CASE(epv_sink_plausibility, EPV_SINK_PLAUSIBILITY);
    INIT_CASE(epv_sink_unc_options, EPV_SINK_UNC_OPTIONS);
    INIT_CASE(epv_sink_unc_result, EPV_SINK_UNC_RESULT);
    INIT_CASE(epv_sink_sampling, EPV_SINK_SAMPLING);
    INIT_CASE(epv_mc_dist, EPV_MC_DIST);
    INIT_CASE(epv_mc_summary, EPV_MC_SUMMARY);
    INIT_CASE(epv_sampling_size, EPV_SAMPLING_SIZE);
    INIT_CASE(epv_sampling_estimate, EPV_SAMPLING_ESTIMATE);
    /* The species twin also marks the Fang coefficients absent, which C89 cannot. */
    epv_params_species sp;
    EPV_ASSERT_OK(ctx, epv_params_species_init(ctx, &sp, 1));
    CU_ASSERT(isnan(sp.fang_a) && isnan(sp.fang_b));
    CU_ASSERT_EQUAL(sp.code[0], '\0');
}

/* Functions check the version of the structs they take, in and out, before anything else. */
static void test_versions_checked(void)
{
    epv_project *p = NULL;
    EPV_ASSERT_OK(ctx, epv_project_new(ctx, "v", EPV_PROJECT_AFFORESTATION, 2021, 30, &p));
    epv_project_stratum raw;
    memset(&raw, 0, sizeof raw);
    EPV_ASSERT_STATUS(ctx, epv_project_add_stratum(ctx, p, params, &raw), EPV_EVERSION);
    EPV_ASSERT_ERRMSG_HAS(ctx, "epv_project_stratum: version 0");
    epv_project_stratum s = fir_stratum("a", 10, 2021);
    s.curve.version = 0; /* a curve filled by hand without its _INIT */
    EPV_ASSERT_STATUS(ctx, epv_project_add_stratum(ctx, p, params, &s), EPV_EVERSION);
    EPV_ASSERT_ERRMSG_HAS(ctx, "curve");
    CU_ASSERT_EQUAL(epv_project_stratum_count(p), 0);
    s = fir_stratum("a", 10, 2021);
    EPV_ASSERT_OK(ctx, epv_project_add_stratum(ctx, p, params, &s));
    epv_project_stratum got;
    memset(&got, 0, sizeof got);
    EPV_ASSERT_STATUS(ctx, epv_project_stratum_at(ctx, p, 0, &got), EPV_EVERSION);
    got.version = 99;
    EPV_ASSERT_STATUS(ctx, epv_project_stratum_at(ctx, p, 0, &got), EPV_EVERSION);
    EPV_ASSERT_ERRMSG_HAS(ctx, "version 99");
    epv_sink_options o;
    memset(&o, 0, sizeof o);
    epv_sink_result *r = NULL;
    EPV_ASSERT_STATUS(ctx, epv_sink_estimate_ex(ctx, p, params, &o, &r), EPV_EVERSION);
    CU_ASSERT_PTR_NULL(r);
    EPV_ASSERT_OK(ctx, epv_sink_estimate(ctx, p, params, &r));
    epv_sink_year y;
    memset(&y, 0, sizeof y);
    EPV_ASSERT_STATUS(ctx, epv_sink_result_year(ctx, r, 0, &y), EPV_EVERSION);
    EPV_ASSERT_STATUS(ctx, epv_sink_result_stratum_year(ctx, r, 0, 0, &y), EPV_EVERSION);
    epv_sink_period per;
    memset(&per, 0, sizeof per);
    EPV_ASSERT_STATUS(ctx, epv_sink_result_period(ctx, r, 2021, 2025, &per), EPV_EVERSION);
    epv_sink_unc_options uo;
    memset(&uo, 0, sizeof uo);
    epv_sink_unc_result ur = EPV_SINK_UNC_RESULT_INIT;
    EPV_ASSERT_STATUS(ctx, epv_sink_unc_approach1(ctx, p, params, 2021, 2050, &uo, &ur), EPV_EVERSION);
    EPV_ASSERT_ERRMSG_HAS(ctx, "epv_sink_unc_options");
    epv_params_species sp;
    memset(&sp, 0, sizeof sp);
    EPV_ASSERT_STATUS(ctx, epv_params_species_find(ctx, params, "杉木", &sp), EPV_EVERSION);
    epv_params_species raw_sp = EPV_PARAMS_SPECIES_INIT;
    EPV_ASSERT_OK(ctx, epv_params_species_find(ctx, params, "杉木", &raw_sp));
    raw_sp.version = 0;
    epv_forest_stand_carbon stc = EPV_FOREST_STAND_CARBON_INIT;
    EPV_ASSERT_STATUS(ctx, epv_forest_carbon_from_volume(ctx, &raw_sp, EPV_FOREST_BIOMASS_BEF, 100, &stc), EPV_EVERSION);
    EPV_ASSERT_ERRMSG_HAS(ctx, "epv_params_species");
    epv_forest_gain_loss_input gi = EPV_FOREST_GAIN_LOSS_INPUT_INIT;
    epv_forest_gain_loss_result gr;
    memset(&gr, 0, sizeof gr);
    EPV_ASSERT_STATUS(ctx, epv_forest_gain_loss(ctx, &gi, &gr), EPV_EVERSION);
    epv_growth_curve c;
    memset(&c, 0, sizeof c);
    c.model = EPV_GROWTH_RICHARDS;
    c.a = 300, c.b = 0.05, c.c = 2;
    double v;
    EPV_ASSERT_STATUS(ctx, epv_growth_eval(ctx, &c, 10, &v), EPV_EVERSION);
    epv_sink_result_free(r);
    epv_project_free(p);
}

/* NULL where an object or a pointer is required: EPV_EINVAL (with a message when there is a
 * context), never a crash; getters return 0, NULL or the first enum value; _free(NULL) is a
 * no-op. Walks the public functions of params, growth, forest, project, sink, unc, mc and
 * sampling. */
#define NULLCASE(call) EPV_ASSERT_STATUS(ctx, call, EPV_EINVAL)
static void test_null_walk(void)
{
    epv_params_species sp = EPV_PARAMS_SPECIES_INIT;
    epv_params_ipcc_growth ig = EPV_PARAMS_IPCC_GROWTH_INIT;
    epv_params_source so = EPV_PARAMS_SOURCE_INIT;
    epv_params_value_uncertainty vu = EPV_PARAMS_VALUE_UNCERTAINTY_INIT;
    epv_params *tp = NULL;
    const char *src = NULL;
    NULLCASE(epv_params_load_default(ctx, NULL));
    NULLCASE(epv_params_load_file(ctx, NULL, &tp));
    NULLCASE(epv_params_load_file(ctx, "x.xml", NULL));
    NULLCASE(epv_params_load_memory(ctx, NULL, 3, "m", &tp));
    NULLCASE(epv_params_merge_file(ctx, NULL, "x.xml"));
    NULLCASE(epv_params_merge_file(ctx, params, NULL));
    epv_params_free(NULL);
    CU_ASSERT_EQUAL(epv_params_species_count(NULL), 0);
    NULLCASE(epv_params_species_at(ctx, NULL, 0, &sp));
    NULLCASE(epv_params_species_at(ctx, params, 0, NULL));
    NULLCASE(epv_params_species_find(ctx, NULL, "杉木", &sp));
    NULLCASE(epv_params_species_find(ctx, params, NULL, &sp));
    NULLCASE(epv_params_species_find(ctx, params, "杉木", NULL));
    NULLCASE(epv_params_species_set(ctx, NULL, &sp));
    NULLCASE(epv_params_species_set(ctx, params, NULL));
    NULLCASE(epv_params_species_override(ctx, NULL, "杉木", "bef", 1.5, "x"));
    NULLCASE(epv_params_species_override(ctx, params, NULL, "bef", 1.5, "x"));
    NULLCASE(epv_params_species_override(ctx, params, "杉木", NULL, 1.5, "x"));
    NULLCASE(epv_params_species_value_source(ctx, NULL, "杉木", "bef", &src));
    NULLCASE(epv_params_species_value_source(ctx, params, "杉木", "bef", NULL));
    NULLCASE(epv_params_species_uncertainty(ctx, NULL, "杉木", "bef", &vu));
    NULLCASE(epv_params_species_uncertainty(ctx, params, "杉木", "bef", NULL));
    NULLCASE(epv_params_species_set_uncertainty(ctx, NULL, "杉木", "bef", 5, "x", 1));
    NULLCASE(epv_params_species_set_uncertainty(ctx, params, NULL, "bef", 5, "x", 1));
    CU_ASSERT_EQUAL(epv_params_ipcc_growth_count(NULL), 0);
    NULLCASE(epv_params_ipcc_growth_at(ctx, NULL, 0, &ig));
    NULLCASE(epv_params_ipcc_growth_at(ctx, params, 0, NULL));
    NULLCASE(epv_params_ipcc_growth_find(ctx, NULL, "a", "b", "c", &ig));
    NULLCASE(epv_params_ipcc_growth_find(ctx, params, NULL, "b", "c", &ig));
    NULLCASE(epv_params_ipcc_growth_find(ctx, params, "a", "b", "c", NULL));
    CU_ASSERT_EQUAL(epv_params_source_count(NULL), 0);
    NULLCASE(epv_params_source_at(ctx, NULL, 0, &so));
    NULLCASE(epv_params_source_at(ctx, params, 0, NULL));
    NULLCASE(epv_params_source_find(ctx, NULL, "x", &so));
    NULLCASE(epv_params_source_find(ctx, params, NULL, &so));
    NULLCASE(epv_params_source_find(ctx, params, "x", NULL));

    epv_growth_curve gc = EPV_GROWTH_CURVE_INIT;
    epv_growth_fit gf = EPV_GROWTH_FIT_INIT;
    epv_growth_model gm;
    double d, ages[2] = { 1, 2 }, ys[2];
    gc.a = 300, gc.b = 0.05, gc.c = 2;
    CU_ASSERT_PTR_NULL(epv_growth_model_name((epv_growth_model)0));
    NULLCASE(epv_growth_model_from_name(ctx, NULL, &gm));
    NULLCASE(epv_growth_model_from_name(ctx, "richards", NULL));
    NULLCASE(epv_growth_curve_check(ctx, NULL));
    NULLCASE(epv_growth_eval(ctx, NULL, 1, &d));
    NULLCASE(epv_growth_eval(ctx, &gc, 1, NULL));
    NULLCASE(epv_growth_eval_many(ctx, NULL, ages, 2, ys));
    NULLCASE(epv_growth_eval_many(ctx, &gc, NULL, 2, ys));
    NULLCASE(epv_growth_eval_many(ctx, &gc, ages, 2, NULL));
    NULLCASE(epv_growth_rate(ctx, NULL, 1, &d));
    NULLCASE(epv_growth_rate(ctx, &gc, 1, NULL));
    NULLCASE(epv_growth_fit_data(ctx, EPV_GROWTH_RICHARDS, NULL, ys, 2, NULL, &gf));
    NULLCASE(epv_growth_fit_data(ctx, EPV_GROWTH_RICHARDS, ages, NULL, 2, NULL, &gf));
    NULLCASE(epv_growth_fit_data(ctx, EPV_GROWTH_RICHARDS, ages, ys, 2, NULL, NULL));
    CU_ASSERT_EQUAL(epv_growth_fit_data(NULL, EPV_GROWTH_RICHARDS, ages, ys, 2, NULL, &gf), EPV_EINVAL);

    EPV_ASSERT_OK(ctx, epv_params_species_find(ctx, params, "杉木", &sp));
    epv_forest_stand_carbon sc = EPV_FOREST_STAND_CARBON_INIT;
    epv_forest_stratum_stock ss = EPV_FOREST_STRATUM_STOCK_INIT;
    epv_forest_gain_loss_input gi = EPV_FOREST_GAIN_LOSS_INPUT_INIT;
    epv_forest_gain_loss_result gr = EPV_FOREST_GAIN_LOSS_RESULT_INIT;
    epv_forest_allometry_power pw = EPV_FOREST_ALLOMETRY_POWER_INIT;
    NULLCASE(epv_forest_carbon_from_volume(ctx, NULL, EPV_FOREST_BIOMASS_BEF, 10, &sc));
    NULLCASE(epv_forest_carbon_from_volume(ctx, &sp, EPV_FOREST_BIOMASS_BEF, 10, NULL));
    NULLCASE(epv_forest_co2_per_volume(ctx, NULL, EPV_FOREST_BIOMASS_BEF, &d));
    NULLCASE(epv_forest_co2_per_volume(ctx, &sp, EPV_FOREST_BIOMASS_BEF, NULL));
    NULLCASE(epv_forest_stratum_carbon(ctx, NULL, EPV_FOREST_BIOMASS_BEF, 10, 1, &ss));
    NULLCASE(epv_forest_stratum_carbon(ctx, &sp, EPV_FOREST_BIOMASS_BEF, 10, 1, NULL));
    CU_ASSERT_EQUAL(epv_forest_allometry_power_fn(10, 5, &d, NULL), EPV_EINVAL);
    CU_ASSERT_EQUAL(epv_forest_allometry_power_fn(10, 5, NULL, &pw), EPV_EINVAL);
    NULLCASE(epv_forest_carbon_from_trees(ctx, NULL, NULL, ages, NULL, 2, 0.04, 0.2, 0.5, &sc));
    NULLCASE(epv_forest_carbon_from_trees(ctx, epv_forest_allometry_power_fn, &pw, NULL, NULL, 2, 0.04, 0.2, 0.5, &sc));
    NULLCASE(epv_forest_carbon_from_trees(ctx, epv_forest_allometry_power_fn, &pw, ages, NULL, 2, 0.04, 0.2, 0.5, NULL));
    NULLCASE(epv_forest_tier1_gain(ctx, NULL, 1, 0.5, &d));
    NULLCASE(epv_forest_tier1_gain(ctx, &ig, 1, 0.5, NULL));
    NULLCASE(epv_forest_gain_loss(ctx, NULL, &gr));
    NULLCASE(epv_forest_gain_loss(ctx, &gi, NULL));
    NULLCASE(epv_forest_stock_difference(ctx, 1, 2, 0, 1, NULL));

    epv_project *p = NULL;
    epv_project_stratum st = fir_stratum("n", 10, 2021);
    epv_project_period pp = EPV_PROJECT_PERIOD_INIT;
    epv_project_claim pc = EPV_PROJECT_CLAIM_INIT;
    NULLCASE(epv_project_new(ctx, NULL, EPV_PROJECT_AFFORESTATION, 2021, 30, &p));
    NULLCASE(epv_project_new(ctx, "n", EPV_PROJECT_AFFORESTATION, 2021, 30, NULL));
    epv_project_free(NULL);
    NULLCASE(epv_project_load_file(ctx, NULL, params, &p));
    NULLCASE(epv_project_load_file(ctx, "x.xml", params, NULL));
    NULLCASE(epv_project_load_memory(ctx, NULL, 3, "m", params, &p));
    NULLCASE(epv_project_add_stratum(ctx, NULL, params, &st));
    EPV_ASSERT_OK(ctx, epv_project_new(ctx, "n", EPV_PROJECT_AFFORESTATION, 2021, 30, &p));
    NULLCASE(epv_project_add_stratum(ctx, p, params, NULL));
    NULLCASE(epv_project_add_stratum(ctx, p, NULL, &st));
    NULLCASE(epv_project_add_disturbance(ctx, NULL, "n", 2025, 0.5));
    NULLCASE(epv_project_add_disturbance(ctx, p, NULL, 2025, 0.5));
    NULLCASE(epv_project_set_leakage(ctx, NULL, 0.1));
    CU_ASSERT_PTR_NULL(epv_project_name(NULL));
    CU_ASSERT_EQUAL(epv_project_start_year(NULL), 0);
    CU_ASSERT_EQUAL(epv_project_crediting_years(NULL), 0);
    CU_ASSERT_EQUAL(epv_project_stratum_count(NULL), 0);
    CU_ASSERT_EQUAL(epv_project_period_count(NULL), 0);
    CU_ASSERT_EQUAL(epv_project_claim_count(NULL), 0);
    EPV_ASSERT_NEAR(epv_project_area_ha(NULL), 0, 0);
    (void)epv_project_kind_of(NULL);
    NULLCASE(epv_project_stratum_at(ctx, NULL, 0, &st));
    NULLCASE(epv_project_stratum_at(ctx, p, 0, NULL));
    NULLCASE(epv_project_period_at(ctx, NULL, 0, &pp));
    NULLCASE(epv_project_period_at(ctx, p, 0, NULL));
    NULLCASE(epv_project_claim_at(ctx, NULL, 0, &pc));
    NULLCASE(epv_project_claim_at(ctx, p, 0, NULL));
    EPV_ASSERT_OK(ctx, epv_project_add_stratum(ctx, p, params, &st));

    epv_sink_result *r = NULL;
    epv_sink_options so2 = EPV_SINK_OPTIONS_INIT;
    epv_sink_year y = EPV_SINK_YEAR_INIT;
    epv_sink_period per = EPV_SINK_PERIOD_INIT;
    epv_sink_plausibility pl = EPV_SINK_PLAUSIBILITY_INIT;
    epv_sink_unc_options uo = EPV_SINK_UNC_OPTIONS_INIT;
    epv_sink_unc_result ur = EPV_SINK_UNC_RESULT_INIT;
    epv_sink_sampling sg = EPV_SINK_SAMPLING_INIT;
    double cv = 30;
    NULLCASE(epv_sink_estimate(ctx, NULL, params, &r));
    NULLCASE(epv_sink_estimate(ctx, p, params, NULL));
    NULLCASE(epv_sink_estimate_ex(ctx, p, params, NULL, &r));
    CU_ASSERT_EQUAL(epv_sink_estimate(NULL, p, params, &r), EPV_EINVAL);
    EPV_ASSERT_OK(ctx, epv_sink_estimate_ex(ctx, p, params, &so2, &r));
    epv_sink_result_free(NULL);
    CU_ASSERT_EQUAL(epv_sink_result_years(NULL), 0);
    NULLCASE(epv_sink_result_year(ctx, NULL, 0, &y));
    NULLCASE(epv_sink_result_year(ctx, r, 0, NULL));
    NULLCASE(epv_sink_result_stratum_year(ctx, NULL, 0, 0, &y));
    NULLCASE(epv_sink_result_stratum_year(ctx, r, 0, 0, NULL));
    NULLCASE(epv_sink_result_period(ctx, NULL, 2021, 2022, &per));
    NULLCASE(epv_sink_result_period(ctx, r, 2021, 2022, NULL));
    NULLCASE(epv_sink_result_write_csv(ctx, NULL, "x.csv"));
    NULLCASE(epv_sink_result_write_csv(ctx, r, NULL));
    NULLCASE(epv_sink_result_write_svg(ctx, NULL, "x.svg", "t", 0, NULL));
    NULLCASE(epv_sink_result_write_svg(ctx, r, NULL, "t", 0, NULL));
    NULLCASE(epv_sink_plausibility_check(ctx, 1, 1, NULL, 0.47, &pl));
    NULLCASE(epv_sink_plausibility_check(ctx, 1, 1, &ig, 0.47, NULL));
    NULLCASE(epv_sink_unc_approach1(ctx, NULL, params, 2021, 2030, &uo, &ur));
    NULLCASE(epv_sink_unc_approach1(ctx, p, NULL, 2021, 2030, &uo, &ur));
    NULLCASE(epv_sink_unc_approach1(ctx, p, params, 2021, 2030, NULL, &ur));
    NULLCASE(epv_sink_unc_approach1(ctx, p, params, 2021, 2030, &uo, NULL));
    NULLCASE(epv_sink_unc_approach2(ctx, NULL, params, 2021, 2030, &uo, &ur, NULL));
    NULLCASE(epv_sink_unc_approach2(ctx, p, params, 2021, 2030, NULL, &ur, NULL));
    NULLCASE(epv_sink_sampling_design(ctx, NULL, params, 2025, &cv, 0.9, 10, 0, &sg, NULL));
    NULLCASE(epv_sink_sampling_design(ctx, p, params, 2025, NULL, 0.9, 10, 0, &sg, NULL));
    NULLCASE(epv_sink_sampling_design(ctx, p, params, 2025, &cv, 0.9, 10, 0, NULL, NULL));
    epv_sink_result_free(r);
    epv_project_free(p);

    double u[2] = { 1, 2 }, lo, hi;
    NULLCASE(epv_unc_product(ctx, NULL, 2, &d));
    NULLCASE(epv_unc_product(ctx, u, 2, NULL));
    NULLCASE(epv_unc_sum(ctx, NULL, u, 2, &d));
    NULLCASE(epv_unc_sum(ctx, u, NULL, 2, &d));
    NULLCASE(epv_unc_product_asym(ctx, NULL, u, 2, &lo, &hi));
    NULLCASE(epv_unc_sum_asym(ctx, u, u, NULL, 2, &lo, &hi));
    NULLCASE(epv_unc_from_sd(ctx, 1, 1, 0.95, NULL));

    epv_mc *mc = NULL;
    epv_mc_dist md = epv_mc_dist_normal(1, 0.1);
    epv_mc_summary ms = EPV_MC_SUMMARY_INIT;
    epv_i64 counts[2];
    size_t idx[2] = { 0, 1 };
    NULLCASE(epv_mc_new(ctx, NULL));
    CU_ASSERT_EQUAL(epv_mc_new(NULL, &mc), EPV_EINVAL);
    epv_mc_free(NULL);
    CU_ASSERT_EQUAL(epv_mc_add_input(NULL, "x", &md, 0, NULL), EPV_EINVAL);
    CU_ASSERT_EQUAL(epv_mc_add_mvnormal(NULL, "x", 2, u, u, 0, NULL), EPV_EINVAL);
    CU_ASSERT_EQUAL(epv_mc_set_correlation(NULL, idx, 2, u), EPV_EINVAL);
    CU_ASSERT_EQUAL(epv_mc_n_inputs(NULL), 0);
    CU_ASSERT_EQUAL(epv_mc_run(NULL, 10, 1, NULL, NULL), EPV_EINVAL);
    CU_ASSERT_EQUAL(epv_mc_summarize(NULL, 0, &ms), EPV_EINVAL);
    CU_ASSERT_EQUAL(epv_mc_percentiles(NULL, 0, u, 2, ys), EPV_EINVAL);
    CU_ASSERT_EQUAL(epv_mc_histogram(NULL, 0, 2, 0, 0, counts), EPV_EINVAL);
    CU_ASSERT_EQUAL(epv_mc_samples(NULL, 0, ys, 2), EPV_EINVAL);
    CU_ASSERT_EQUAL(epv_mc_write_histogram_svg(NULL, 0, 2, NULL, NULL, 1.0, "x.svg"), EPV_EINVAL);
    EPV_ASSERT_OK(ctx, epv_mc_new(ctx, &mc));
    NULLCASE(epv_mc_add_input(mc, NULL, &md, 0, NULL));
    NULLCASE(epv_mc_add_input(mc, "x", NULL, 0, NULL));
    NULLCASE(epv_mc_add_mvnormal(mc, NULL, 2, u, u, 0, NULL));
    NULLCASE(epv_mc_add_mvnormal(mc, "x", 2, NULL, u, 0, NULL));
    NULLCASE(epv_mc_set_correlation(mc, NULL, 2, u));
    NULLCASE(epv_mc_set_correlation(mc, idx, 2, NULL));
    EPV_ASSERT_OK(ctx, epv_mc_add_input(mc, "x", &md, 0, NULL));
    NULLCASE(epv_mc_run(mc, 10, 1, NULL, NULL));
    NULLCASE(epv_mc_summarize(mc, 0, NULL));
    NULLCASE(epv_mc_percentiles(mc, 0, NULL, 2, ys));
    NULLCASE(epv_mc_percentiles(mc, 0, u, 2, NULL));
    NULLCASE(epv_mc_histogram(mc, 0, 2, 0, 0, NULL));
    NULLCASE(epv_mc_samples(mc, 0, NULL, 2));
    NULLCASE(epv_mc_write_histogram_svg(mc, 0, 2, NULL, NULL, 1.0, NULL));
    epv_mc_free(mc);

    double w[1] = { 1 }, s1[1] = { 2 }, sx = 10, sx2 = 60;
    size_t cnt[1] = { 2 };
    epv_i64 n1[1] = { 2 };
    epv_sampling_size sz = EPV_SAMPLING_SIZE_INIT;
    epv_sampling_estimate se = EPV_SAMPLING_ESTIMATE_INIT;
    NULLCASE(epv_sampling_t_value(ctx, 0.9, 10, NULL));
    NULLCASE(epv_sampling_plots_needed(ctx, NULL, s1, 1, 0, 1.645, 1, &sz, NULL));
    NULLCASE(epv_sampling_plots_needed(ctx, w, NULL, 1, 0, 1.645, 1, &sz, NULL));
    NULLCASE(epv_sampling_plots_needed(ctx, w, s1, 1, 0, 1.645, 1, NULL, NULL));
    NULLCASE(epv_sampling_neyman(ctx, NULL, s1, 1, 10, ys));
    NULLCASE(epv_sampling_neyman(ctx, w, s1, 1, 10, NULL));
    NULLCASE(epv_sampling_stratified(ctx, NULL, ages, cnt, 1, NULL, 0.9, 0, &se));
    NULLCASE(epv_sampling_stratified(ctx, w, NULL, cnt, 1, NULL, 0.9, 0, &se));
    NULLCASE(epv_sampling_stratified(ctx, w, ages, NULL, 1, NULL, 0.9, 0, &se));
    NULLCASE(epv_sampling_stratified(ctx, w, ages, cnt, 1, NULL, 0.9, 0, NULL));
    NULLCASE(epv_sampling_stratified_sums(ctx, w, NULL, &sx, &sx2, 1, NULL, 0.9, 0, &se));
    NULLCASE(epv_sampling_stratified_sums(ctx, w, n1, NULL, &sx2, 1, NULL, 0.9, 0, &se));
    NULLCASE(epv_sampling_stratified_sums(ctx, w, n1, &sx, NULL, 1, NULL, 0.9, 0, &se));
    NULLCASE(epv_sampling_deduction(ctx, NULL, NULL, 0, 5, NULL));
    epv_sampling_default_deductions(NULL, NULL, NULL, NULL, NULL);
}

int main(void)
{
    if (epv_ctx_new(&ctx)) return 2;
    if (epv_params_load_default(ctx, &params)) {
        fprintf(stderr, "cannot load default parameters: %s\n", epv_ctx_errmsg(ctx));
        return 2;
    }
    CU_TestInfo tests[] = {
        { "single stratum removals", test_single_stratum_removals },
        { "emissions, baseline, leakage, disturbance", test_emissions_baseline_leakage },
        { "forest management baseline", test_forest_management_baseline },
        { "soil transition", test_soil_transition },
        { "threads do not change results", test_threads_do_not_change_results },
        { "plausibility (Pingchang vs IPCC)", test_plausibility_pingchang },
        { "plausibility by forest type, gross and net", test_plausibility_by_forest_type },
        { "plausibility of the Pingchang file", test_plausibility_pingchang_file },
        { "forest management: measured start, thinning, harvest, products", test_management_measured_start_and_events },
        { "Pingchang forest-management file", test_management_file },
        { "bad input", test_bad_input },
        { "bad files", test_bad_files },
        { "Pingchang file and outputs", test_pingchang_file_and_outputs },
        { "bulk columns equal the getters", test_columns },
        { "versioned struct initialisers", test_versioned_inits },
        { "versions checked on entry", test_versions_checked },
        { "NULL arguments", test_null_walk },
        CU_TEST_INFO_NULL,
    };
    int rc = epv_test_main("sink", tests);
    epv_params_free(params);
    epv_ctx_free(ctx);
    return rc;
}
