/* SPDX-License-Identifier: GPL-3.0-or-later */
#define _POSIX_C_SOURCE 200809L
/* Tests of the inventory module against published factors and GWPs, conservation of traces,
 * LMDI, targets, peak, the net balance's uncertainty, and bad input. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <locale.h>

#include <epv.h>
#include "test_util.h"

static epv_ctx *ctx;
static epv_inventory_factors *F;

static epv_inventory *new_inv(void)
{
    epv_inventory *inv = NULL;
    EPV_ASSERT_OK(ctx, epv_inventory_new(ctx, F, "test", &inv));
    return inv;
}

static void add(epv_inventory *inv, const char *id, int year, const char *sector, const char *sub, const char *entity,
                const char *code, double amount, const char *unit, const char *grid)
{
    epv_inventory_record r = EPV_INVENTORY_RECORD_INIT;
    r.id = id;
    r.document = "doc";
    r.year = year;
    r.sector = sector;
    r.subsector = sub;
    r.entity = entity;
    r.code = code;
    r.amount = amount;
    r.unit = unit;
    r.grid = grid;
    EPV_ASSERT_OK(ctx, epv_inventory_add_record(ctx, inv, &r));
}

/* t CO2 per TJ of a fuel row: value / NCV. */
static double ef_per_tj(const char *code)
{
    epv_inventory_factor x = EPV_INVENTORY_FACTOR_INIT;
    EPV_ASSERT_OK(ctx, epv_inventory_factors_find(ctx, F, code, &x));
    return x.value / x.ncv_gj * 1000.0;
}

static void test_fuel_factors(void)
{
    /* IPCC 2006 Vol. 2 ch. 1 Table 1.4 (pp. 1.23-1.24), default CO2 factors in kg CO2/TJ, which
     * the table rounds to three significant figures; our rows derive them from Table 1.2/1.3. */
    EPV_ASSERT_CLOSE(ef_per_tj("coal_bituminous") * 1000, 94600, 1e-3);
    EPV_ASSERT_CLOSE(ef_per_tj("anthracite") * 1000, 98300, 1e-3);
    EPV_ASSERT_CLOSE(ef_per_tj("coke") * 1000, 107000, 1e-3);
    EPV_ASSERT_CLOSE(ef_per_tj("diesel") * 1000, 74100, 1e-3);
    EPV_ASSERT_CLOSE(ef_per_tj("gasoline") * 1000, 69300, 1e-3);
    EPV_ASSERT_CLOSE(ef_per_tj("kerosene") * 1000, 71900, 1e-3);
    EPV_ASSERT_CLOSE(ef_per_tj("fuel_oil") * 1000, 77400, 1e-3);
    EPV_ASSERT_CLOSE(ef_per_tj("lpg") * 1000, 63100, 1e-3);
    /* 1 t of diesel: NCV 43.0 TJ/Gg (Table 1.2) x 74,100 kg/TJ (Table 1.4) = 3.186 t CO2 */
    epv_inventory *inv = new_inv();
    add(inv, "d1", 2022, "energy", "transport", NULL, "diesel", 1000, "t", NULL);
    epv_inventory_result *r = NULL;
    EPV_ASSERT_OK(ctx, epv_inventory_compute(ctx, inv, NULL, &r));
    epv_inventory_total t = EPV_INVENTORY_TOTAL_INIT;
    EPV_ASSERT_OK(ctx, epv_inventory_result_total(ctx, r, NULL, &t));
    EPV_ASSERT_CLOSE(t.t_co2, 1000 * 43.0 * 74.1 / 1000, 2e-3);
    CU_ASSERT_EQUAL(t.gwp, EPV_INVENTORY_GWP_AR5);
    /* energy: 1000 t x 43.0 GJ/t / 29.3076 GJ/tce */
    const double *e;
    size_t n;
    EPV_ASSERT_OK(ctx, epv_inventory_result_column(ctx, r, EPV_INVENTORY_COL_ENERGY_TCE, &e, &n));
    EPV_ASSERT_CLOSE(e[0], 1000 * 43.0 / 29.3076, 1e-6);
    epv_inventory_result_free(r);
    epv_inventory_free(inv);
}

static void test_gwp_sets(void)
{
    double g;
    /* AR4 WG1 Table 2.14, AR5 WG1 Table 8.7, AR6 WG1 Table 7.15 (non-fossil CH4) */
    static const double ch4[3] = { 25, 28, 27.0 }, n2o[3] = { 298, 265, 273 };
    for (int s = 4; s <= 6; s++) {
        EPV_ASSERT_OK(ctx, epv_inventory_factors_gwp(ctx, F, s, EPV_INVENTORY_CH4, &g));
        EPV_ASSERT_CLOSE(g, ch4[s - 4], 0);
        EPV_ASSERT_OK(ctx, epv_inventory_factors_gwp(ctx, F, s, EPV_INVENTORY_N2O, &g));
        EPV_ASSERT_CLOSE(g, n2o[s - 4], 0);
    }
    EPV_ASSERT_STATUS(ctx, epv_inventory_factors_gwp(ctx, F, 3, 2, &g), EPV_EINVAL);
    /* Goats: IPCC 2006 Vol. 4 Table 10.10, 5 kg CH4/head/yr; ClimateView's transition element
     * framework lists it with AR6 GWP as 135,000 g CO2e per head. */
    epv_inventory *inv = new_inv();
    add(inv, "g", 2022, "agriculture", NULL, NULL, "enteric_goat", 1000, "head", NULL);
    double expect[3] = { 125, 140, 135 };
    for (int s = 4; s <= 6; s++) {
        epv_inventory_options o = EPV_INVENTORY_OPTIONS_INIT;
        o.gwp = s;
        epv_inventory_result *r = NULL;
        EPV_ASSERT_OK(ctx, epv_inventory_compute(ctx, inv, &o, &r));
        epv_inventory_total t = EPV_INVENTORY_TOTAL_INIT;
        EPV_ASSERT_OK(ctx, epv_inventory_result_total(ctx, r, NULL, &t));
        EPV_ASSERT_CLOSE(t.t_co2e, expect[s - 4], 1e-12);
        EPV_ASSERT_CLOSE(t.t_ch4, 5, 1e-12);
        CU_ASSERT_EQUAL(t.gwp, s);
        CU_ASSERT_EQUAL(epv_inventory_result_gwp(r), s);
        epv_inventory_result_free(r);
    }
    epv_inventory_free(inv);
}

static void test_process_and_agriculture(void)
{
    epv_inventory *inv = new_inv();
    /* IPCC 2006 Vol. 3 Eq. 2.1 Tier 1: 0.52 t CO2 per t clinker */
    add(inv, "c", 2022, "industrial_processes", "cement", "plant", "cement_clinker", 1000, "t", NULL);
    /* IPCC 2006 Vol. 4 Eq. 11.1 with EF1 = 0.01 (Table 11.1): N2O = N x 0.01 x 44/28 */
    add(inv, "n", 2022, "agriculture", "soils", NULL, "fertiliser_n_direct", 1000, "t_N", NULL);
    epv_inventory_result *r = NULL;
    EPV_ASSERT_OK(ctx, epv_inventory_compute(ctx, inv, NULL, &r));
    epv_inventory_query q = EPV_INVENTORY_QUERY_INIT;
    epv_inventory_total t = EPV_INVENTORY_TOTAL_INIT;
    q.sector = "industrial_processes";
    EPV_ASSERT_OK(ctx, epv_inventory_result_total(ctx, r, &q, &t));
    EPV_ASSERT_CLOSE(t.t_co2, 520, 1e-12);
    q.sector = NULL;
    q.gas = EPV_INVENTORY_N2O;
    EPV_ASSERT_OK(ctx, epv_inventory_result_total(ctx, r, &q, &t));
    EPV_ASSERT_CLOSE(t.t_n2o, 1000 * 0.01 * 44.0 / 28.0, 1e-12);
    EPV_ASSERT_CLOSE(t.t_co2e, 1000 * 0.01 * 44.0 / 28.0 * 265, 1e-12);
    CU_ASSERT_EQUAL(t.records, 1);
    epv_inventory_result_free(r);
    epv_inventory_free(inv);
}

static epv_inventory_result *example(epv_inventory **inv_out, epv_inventory_factors **f_out)
{
    epv_inventory_factors *f = NULL;
    epv_inventory *inv = NULL;
    epv_inventory_result *r = NULL;
    EPV_ASSERT_OK(ctx, epv_inventory_factors_load_default(ctx, &f));
    EPV_ASSERT_OK(ctx, epv_inventory_factors_load_grid_csv(ctx, f, epv_test_path("data/examples/county_carbon_grid.csv")));
    EPV_ASSERT_OK(ctx, epv_inventory_new(ctx, f, "example", &inv));
    EPV_ASSERT_OK(ctx, epv_inventory_load_csv(ctx, inv, epv_test_path("data/examples/county_carbon_activity.csv")));
    EPV_ASSERT_OK(ctx, epv_inventory_load_economy_csv(ctx, inv, epv_test_path("data/examples/county_carbon_economy.csv")));
    EPV_ASSERT_OK(ctx, epv_inventory_compute(ctx, inv, NULL, &r));
    *inv_out = inv;
    *f_out = f;
    return r;
}

static void test_conservation(void)
{
    epv_inventory *inv;
    epv_inventory_factors *f;
    epv_inventory_result *r = example(&inv, &f);
    if (!r) return;
    CU_ASSERT_EQUAL(epv_inventory_result_records(r), 154);
    size_t *idx = malloc(200 * sizeof *idx);
    static const char *sectors[] = { NULL, "energy", "indirect", "industrial_processes", "agriculture", "waste" };
    static const char *entities[] = { NULL, "county", "cement plant (illustrative)" };
    for (int year = 0; year <= 2025; year = year ? year + 1 : 2019)
        for (size_t s = 0; s < 6; s++)
            for (size_t e = 0; e < 3; e++) {
                epv_inventory_query q = EPV_INVENTORY_QUERY_INIT;
                q.year = year;
                q.sector = sectors[s];
                q.entity = entities[e];
                epv_inventory_total t = EPV_INVENTORY_TOTAL_INIT;
                size_t n = 0;
                EPV_ASSERT_OK(ctx, epv_inventory_result_total(ctx, r, &q, &t));
                EPV_ASSERT_OK(ctx, epv_inventory_result_trace(ctx, r, &q, idx, 200, &n));
                CU_ASSERT_EQUAL(n, t.records);
                double sum = 0;
                for (size_t k = 0; k < n; k++) {
                    epv_inventory_line l = EPV_INVENTORY_LINE_INIT;
                    EPV_ASSERT_OK(ctx, epv_inventory_result_line(ctx, r, idx[k], &l));
                    CU_ASSERT(strlen(l.document) > 0);
                    sum += l.t_co2e;
                }
                CU_ASSERT(sum == t.t_co2e); /* exactly */
                /* each level of the hierarchy sums to the figure */
                for (int level = EPV_INVENTORY_LEVEL_SECTOR; level <= EPV_INVENTORY_LEVEL_RECORD; level++) {
                    const char *names[200];
                    double vals[200], bs = 0;
                    size_t nb;
                    EPV_ASSERT_OK(ctx, epv_inventory_result_breakdown(ctx, r, &q, level, names, vals, 200, &nb));
                    for (size_t k = 0; k < nb; k++) bs += vals[k];
                    EPV_ASSERT_NEAR(bs, t.t_co2e, 1e-9 * fabs(t.t_co2e) + 1e-9);
                }
            }
    /* the per-year column is the sum of its year */
    const epv_i64 *years;
    const double *col;
    size_t ny, nc;
    EPV_ASSERT_OK(ctx, epv_inventory_result_years(ctx, r, &years, &ny));
    EPV_ASSERT_OK(ctx, epv_inventory_result_column(ctx, r, EPV_INVENTORY_COL_TCO2E, &col, &nc));
    CU_ASSERT_EQUAL(ny, 7);
    CU_ASSERT_EQUAL(years[0], 2019);
    epv_inventory_query q = EPV_INVENTORY_QUERY_INIT;
    epv_inventory_total t = EPV_INVENTORY_TOTAL_INIT;
    q.year = 2022;
    EPV_ASSERT_OK(ctx, epv_inventory_result_total(ctx, r, &q, &t));
    CU_ASSERT(col[3] == t.t_co2e);
    /* a buffer too small writes nothing */
    size_t n = 0;
    idx[0] = 12345;
    EPV_ASSERT_STATUS(ctx, epv_inventory_result_trace(ctx, r, NULL, idx, 3, &n), EPV_ERANGE);
    CU_ASSERT_EQUAL(idx[0], 12345);
    CU_ASSERT_EQUAL(n, 154);
    free(idx);
    epv_inventory_result_free(r);
    epv_inventory_free(inv);
    epv_inventory_factors_free(f);
}

/* Additive LMDI-I written out directly from Ang (2005) Table 1 for two factors. */
static double L(double a, double b) { return a == b ? a : (a - b) / (log(a) - log(b)); }

static void test_lmdi(void)
{
    /* Two sectors, V = activity x intensity. */
    double x0[4] = { 100, 2.0, 50, 4.0 }, xT[4] = { 130, 1.8, 45, 4.4 };
    double eff[2];
    EPV_ASSERT_OK(ctx, epv_inventory_lmdi(ctx, 2, 2, x0, xT, eff));
    double v0[2] = { 200, 200 }, vT[2] = { 234, 198 };
    double act = L(vT[0], v0[0]) * log(130.0 / 100) + L(vT[1], v0[1]) * log(45.0 / 50);
    double ints = L(vT[0], v0[0]) * log(1.8 / 2.0) + L(vT[1], v0[1]) * log(4.4 / 4.0);
    EPV_ASSERT_CLOSE(eff[0], act, 1e-12);
    EPV_ASSERT_CLOSE(eff[1], ints, 1e-12);
    /* perfect decomposition (Ang 2005, the property LMDI is chosen for): no residual */
    EPV_ASSERT_NEAR(eff[0] + eff[1], (234 + 198) - (200 + 200), 1e-9);
    /* a new category: its whole value is the effect of the factor that was zero */
    double a0[4] = { 100, 2.0, 0, 3.0 }, aT[4] = { 100, 2.0, 10, 3.0 };
    EPV_ASSERT_OK(ctx, epv_inventory_lmdi(ctx, 2, 2, a0, aT, eff));
    EPV_ASSERT_NEAR(eff[0], 30, 1e-12);
    EPV_ASSERT_NEAR(eff[1], 0, 1e-12);
    /* A published worked decomposition: the LMDIR package (M. Heun, an R implementation of
     * Ang 2005), tests/testthat/test_lmdi.R, two subcategories x three factors over 1971-1974,
     * additive effects 1971->1972 (69.79006598, -9.455125793, 39.66505981), 1972->1973
     * (42.96021467, -34.31902656, 50.3588119), 1973->1974 (54.01064234, -9.021284671,
     * 54.01064234); and its zero-value cases (after Ang, Zhang and Choi 1998 Table 2 and Wood
     * and Lenzen 2006): x0[0][0] = 0 gives subcategory 1 the row (60, 0, 0); xT[1][2] = 0 gives
     * subcategory 2 the row (0, 0, -60). */
    static const double X[4][6] = { { 1, 10, 2, 4, 5, 3 }, { 4, 5, 3, 5, 6, 4 }, { 8, 2, 4, 5, 7, 5 },
                                     { 10, 1, 5, 6, 8, 6 } };
    static const double published[3][3] = { { 69.79006598, -9.455125793, 39.66505981 },
                                            { 42.96021467, -34.31902656, 50.3588119 },
                                            { 54.01064234, -9.021284671, 54.01064234 } };
    for (int t = 0; t < 3; t++) {
        double e3[3];
        EPV_ASSERT_OK(ctx, epv_inventory_lmdi(ctx, 2, 3, X[t], X[t + 1], e3));
        for (int k = 0; k < 3; k++) EPV_ASSERT_CLOSE(e3[k], published[t][k], 1e-8);
    }
    double z0[6] = { 0, 10, 2, 4, 5, 3 }, zT[6] = { 4, 5, 3, 5, 6, 0 }, e3[3];
    /* one category at a time, so each row of the published Z matrices is checked */
    EPV_ASSERT_OK(ctx, epv_inventory_lmdi(ctx, 1, 3, z0, X[1], e3));
    EPV_ASSERT_NEAR(e3[0], 60, 1e-12);
    EPV_ASSERT_NEAR(e3[1], 0, 1e-12);
    EPV_ASSERT_NEAR(e3[2], 0, 1e-12);
    EPV_ASSERT_OK(ctx, epv_inventory_lmdi(ctx, 1, 3, X[0] + 3, zT + 3, e3));
    EPV_ASSERT_NEAR(e3[0], 0, 1e-12);
    EPV_ASSERT_NEAR(e3[1], 0, 1e-12);
    EPV_ASSERT_NEAR(e3[2], -60, 1e-12);
    double bad[4] = { -1, 1, 1, 1 };
    EPV_ASSERT_STATUS(ctx, epv_inventory_lmdi(ctx, 2, 2, bad, aT, eff), EPV_ERANGE);

    epv_inventory *inv;
    epv_inventory_factors *f;
    epv_inventory_result *r = example(&inv, &f);
    if (!r) return;
    epv_inventory_decomposition d = EPV_INVENTORY_DECOMPOSITION_INIT;
    EPV_ASSERT_OK(ctx, epv_inventory_result_decompose(ctx, r, 2021, 2025, &d));
    EPV_ASSERT_NEAR(d.activity_effect + d.factor_effect, d.total1 - d.total0, 1e-6);
    /* the only factors that change are Sichuan's grid factors (0.1404 -> 0.110 t CO2/MWh): the
     * factor effect is negative and no larger than the whole grid electricity emissions of 2021 */
    CU_ASSERT(d.factor_effect < 0);
    epv_inventory_query q = EPV_INVENTORY_QUERY_INIT;
    epv_inventory_total t = EPV_INVENTORY_TOTAL_INIT;
    q.year = 2021;
    q.code = "electricity_grid";
    EPV_ASSERT_OK(ctx, epv_inventory_result_total(ctx, r, &q, &t));
    CU_ASSERT(-d.factor_effect < t.t_co2e);
    EPV_ASSERT_STATUS(ctx, epv_inventory_result_decompose(ctx, r, 2010, 2025, &d), EPV_ENOTFOUND);
    epv_inventory_result_free(r);
    epv_inventory_free(inv);
    epv_inventory_factors_free(f);
}

static void test_targets_and_peak(void)
{
    epv_inventory *inv = new_inv();
    /* CO2 intensity falling 4% a year from 2020, GDP constant: 2023 is -11.5% */
    double amount = 1000;
    for (int y = 2020; y <= 2023; y++) {
        char id[16];
        snprintf(id, sizeof id, "d%d", y);
        add(inv, id, y, "energy", "transport", NULL, "diesel", amount, "t", NULL);
        amount *= 0.96;
        epv_inventory_economy e = EPV_INVENTORY_ECONOMY_INIT;
        e.year = y;
        e.gdp = 10000;
        e.document = "gdp";
        EPV_ASSERT_OK(ctx, epv_inventory_add_economy(ctx, inv, &e));
    }
    epv_inventory_result *r = NULL;
    EPV_ASSERT_OK(ctx, epv_inventory_compute(ctx, inv, NULL, &r));
    epv_inventory_target t = EPV_INVENTORY_TARGET_INIT; /* CO2 per GDP -18% 2020 -> 2025 */
    epv_inventory_progress p = EPV_INVENTORY_PROGRESS_INIT;
    EPV_ASSERT_OK(ctx, epv_inventory_result_progress(ctx, r, &t, &p));
    CU_ASSERT_EQUAL(p.latest_year, 2023);
    EPV_ASSERT_CLOSE(p.latest_intensity / p.base_intensity, 0.96 * 0.96 * 0.96, 1e-12);
    EPV_ASSERT_CLOSE(p.achieved_rate_pct, -4, 1e-9);
    /* remaining: (0.82 / 0.96^3)^(1/2) - 1 per year */
    EPV_ASSERT_CLOSE(p.required_rate_pct, (sqrt(0.82 / (0.96 * 0.96 * 0.96)) - 1) * 100, 1e-9);
    CU_ASSERT_EQUAL(p.met, 0);
    /* A -18% target over five years needs 1 - 0.82^(1/5) = 3.89% a year from the base year. */
    t.base_year = 2020;
    t.target_year = 2025;
    epv_inventory_free(inv);
    epv_inventory_result_free(r);
    inv = new_inv();
    add(inv, "a", 2020, "energy", "transport", NULL, "diesel", 1000, "t", NULL);
    epv_inventory_economy e = EPV_INVENTORY_ECONOMY_INIT;
    e.year = 2020;
    e.gdp = 1;
    e.document = "gdp";
    EPV_ASSERT_OK(ctx, epv_inventory_add_economy(ctx, inv, &e));
    EPV_ASSERT_OK(ctx, epv_inventory_compute(ctx, inv, NULL, &r));
    EPV_ASSERT_OK(ctx, epv_inventory_result_progress(ctx, r, &t, &p));
    EPV_ASSERT_CLOSE(p.required_rate_pct, -3.8913, 1e-4);
    t.col = EPV_INVENTORY_COL_TCO2E;
    EPV_ASSERT_STATUS(ctx, epv_inventory_result_progress(ctx, r, &t, &p), EPV_EINVAL);
    epv_inventory_result_free(r);
    epv_inventory_free(inv);

    epv_i64 years[6] = { 2020, 2021, 2022, 2023, 2024, 2025 };
    double rising[6] = { 1, 2, 3, 4, 5, 6 }, peaked[6] = { 1, 3, 5, 4.5, 4.2, 4.0 }, plateau[6] = { 1, 3, 5, 4.99, 5.0, 4.98 };
    epv_inventory_peak pk = EPV_INVENTORY_PEAK_INIT;
    EPV_ASSERT_OK(ctx, epv_inventory_find_peak(ctx, years, rising, 6, 1, &pk));
    CU_ASSERT_EQUAL(pk.peaked, 0);
    CU_ASSERT_EQUAL(pk.year, 2025);
    EPV_ASSERT_OK(ctx, epv_inventory_find_peak(ctx, years, peaked, 6, 1, &pk));
    CU_ASSERT_EQUAL(pk.peaked, 1);
    CU_ASSERT_EQUAL(pk.year, 2022);
    EPV_ASSERT_OK(ctx, epv_inventory_find_peak(ctx, years, plateau, 6, 1, &pk));
    CU_ASSERT_EQUAL(pk.peaked, 0);
    CU_ASSERT_EQUAL(pk.year, 2022); /* the first of two equal maxima */
    /* a year just below the maximum after it does not hide a later decline */
    double shoulder[6] = { 1, 3, 5, 4.98, 4.5, 4.0 };
    EPV_ASSERT_OK(ctx, epv_inventory_find_peak(ctx, years, shoulder, 6, 1, &pk));
    CU_ASSERT_EQUAL(pk.peaked, 1);
    EPV_ASSERT_STATUS(ctx, epv_inventory_find_peak(ctx, years, rising, 1, 1, &pk), EPV_EINVAL);
}

static void test_uncertainty(void)
{
    /* Records with different factors: Approach 1 is Eq. 3.1 per record then Eq. 3.2, i.e. the
     * shared epv_unc_product / epv_unc_sum. */
    epv_inventory *inv = new_inv();
    add(inv, "a", 2022, "energy", "transport", NULL, "diesel", 1000, "t", NULL);      /* U 5 act, 2 factor */
    add(inv, "b", 2022, "agriculture", NULL, NULL, "enteric_goat", 20000, "head", NULL); /* U 5, 40 */
    epv_inventory_result *r = NULL;
    EPV_ASSERT_OK(ctx, epv_inventory_compute(ctx, inv, NULL, &r));
    epv_inventory_line la = EPV_INVENTORY_LINE_INIT, lb = EPV_INVENTORY_LINE_INIT;
    epv_inventory_result_line(ctx, r, 0, &la);
    epv_inventory_result_line(ctx, r, 1, &lb);
    double ua, ub, u, pa[2] = { 5, 2 }, pb[2] = { 5, 40 };
    EPV_ASSERT_OK(ctx, epv_unc_product(ctx, pa, 2, &ua));
    EPV_ASSERT_OK(ctx, epv_unc_product(ctx, pb, 2, &ub));
    /* with a sink of 1000 t CO2e, U 30%: net = E - S */
    epv_i64 sy[1] = { 2022 };
    double sv[1] = { 1000 };
    epv_inventory_removal s = EPV_INVENTORY_REMOVAL_INIT;
    s.name = "sink";
    s.years = sy;
    s.tco2e = sv;
    s.n = 1;
    s.u_pct = 30;
    double vals[3] = { la.t_co2e, lb.t_co2e, -1000 }, us[3] = { ua, ub, 30 };
    EPV_ASSERT_OK(ctx, epv_unc_sum(ctx, vals, us, 3, &u));
    epv_inventory_unc_options o = EPV_INVENTORY_UNC_OPTIONS_INIT;
    o.year = 2022;
    o.removals = &s;
    o.nremovals = 1;
    epv_unc_interval i1 = EPV_UNC_INTERVAL_INIT, i2 = EPV_UNC_INTERVAL_INIT;
    EPV_ASSERT_OK(ctx, epv_inventory_unc_approach1(ctx, r, &o, &i1));
    EPV_ASSERT_CLOSE(i1.estimate, la.t_co2e + lb.t_co2e - 1000, 1e-12);
    EPV_ASSERT_CLOSE(i1.u_upper_pct, u, 1e-9);
    CU_ASSERT_EQUAL(i1.method, EPV_UNC_APPROACH1);
    /* Approach 2 agrees with Approach 1 in this near-linear case */
    o.draws = 20000;
    EPV_ASSERT_OK(ctx, epv_inventory_unc_approach2(ctx, r, &o, &i2));
    EPV_ASSERT_CLOSE(i2.estimate, i1.estimate, 0.01);
    EPV_ASSERT_CLOSE(i2.upper - i2.lower, i1.upper - i1.lower, 0.05);
    CU_ASSERT_EQUAL(i2.draws, 20000);
    CU_ASSERT_EQUAL(i2.method, EPV_UNC_APPROACH2);
    /* records sharing a factor are fully correlated in it: two diesel records of 500 t have
     * the same factor half-width as one of 1000 t */
    epv_inventory *inv2 = new_inv();
    add(inv2, "a1", 2022, "energy", "transport", NULL, "diesel", 500, "t", NULL);
    add(inv2, "a2", 2022, "energy", "industry", NULL, "diesel", 500, "t", NULL);
    epv_inventory_result *r2 = NULL;
    EPV_ASSERT_OK(ctx, epv_inventory_compute(ctx, inv2, NULL, &r2));
    epv_inventory_unc_options o2 = EPV_INVENTORY_UNC_OPTIONS_INIT;
    o2.year = 2022;
    EPV_ASSERT_OK(ctx, epv_inventory_unc_approach1(ctx, r2, &o2, &i1));
    double E = 2 * la.t_co2e / 2, h = sqrt(pow(0.02 * E, 2) + 2 * pow(0.05 * E / 2, 2));
    EPV_ASSERT_CLOSE(i1.upper - i1.estimate, h, 1e-9);
    /* forest sink and other removals together: net subtracts both, half-widths add in quadrature */
    epv_i64 oy[2] = { 2021, 2022 };
    double ov[2] = { 10, 400 };
    epv_inventory_removal two[2] = { EPV_INVENTORY_REMOVAL_INIT, EPV_INVENTORY_REMOVAL_INIT };
    two[0] = s;
    two[1].name = "other removals";
    two[1].years = oy;
    two[1].tco2e = ov;
    two[1].n = 2;
    two[1].u_pct = 50;
    o.removals = two;
    o.nremovals = 2;
    epv_unc_interval i3 = EPV_UNC_INTERVAL_INIT;
    EPV_ASSERT_OK(ctx, epv_inventory_unc_approach1(ctx, r, &o, &i3));
    EPV_ASSERT_CLOSE(i3.estimate, la.t_co2e + lb.t_co2e - 1000 - 400, 1e-12);
    double vals4[4] = { la.t_co2e, lb.t_co2e, -1000, -400 }, us4[4] = { ua, ub, 30, 50 }, u4;
    EPV_ASSERT_OK(ctx, epv_unc_sum(ctx, vals4, us4, 4, &u4));
    EPV_ASSERT_CLOSE(i3.u_upper_pct, u4, 1e-9);
    o.removals = &s;
    o.nremovals = 1;
    /* a removal without the year */
    sy[0] = 2021;
    EPV_ASSERT_STATUS(ctx, epv_inventory_unc_approach1(ctx, r, &o, &i1), EPV_ENOTFOUND);
    EPV_ASSERT_ERRMSG_HAS(ctx, "sink");
    epv_inventory_result_free(r2);
    epv_inventory_free(inv2);
    epv_inventory_result_free(r);
    epv_inventory_free(inv);
}

static size_t count_lines_before;

static void load_bad(const char *file, int code, const char *const *needles)
{
    epv_inventory *inv = new_inv();
    add(inv, "keep", 2022, "energy", "transport", NULL, "diesel", 1, "t", NULL);
    char rel[256];
    snprintf(rel, sizeof rel, "tests/data/inventory/%s", file);
    EPV_ASSERT_STATUS(ctx, epv_inventory_load_csv(ctx, inv, epv_test_path(rel)), code);
    for (; *needles; needles++) EPV_ASSERT_ERRMSG_HAS(ctx, *needles);
    CU_ASSERT_EQUAL(epv_inventory_record_count(inv), 1); /* nothing added */
    epv_inventory_free(inv);
}

static void test_bad_input(void)
{
    (void)count_lines_before;
    const char *a[] = { "unknown_code.csv:4", "column 'code'", "unknown code 'dieselx'", "diesel, gasoline", NULL };
    load_bad("unknown_code.csv", EPV_ENOTFOUND, a);
    const char *b[] = { "unknown_sector.csv:3", "column 'sector'", "known: energy, indirect", NULL };
    load_bad("unknown_sector.csv", EPV_ENOTFOUND, b);
    const char *c[] = { "bad_unit.csv:4", "column 'unit'", "'m3'", "'1e4_m3'", NULL };
    load_bad("bad_unit.csv", EPV_EUNITS, c);
    const char *d[] = { "negative.csv:3", "column '2021'", ">= 0", NULL };
    load_bad("negative.csv", EPV_ERANGE, d);

    /* a year with no grid factor: found at compute, no result */
    epv_inventory *inv = new_inv();
    EPV_ASSERT_OK(ctx, epv_inventory_load_csv(ctx, inv, epv_test_path("tests/data/inventory/no_grid_year.csv")));
    epv_inventory_result *r = (epv_inventory_result *)1;
    EPV_ASSERT_STATUS(ctx, epv_inventory_compute(ctx, inv, NULL, &r), EPV_ENOTFOUND);
    CU_ASSERT_PTR_NULL(r);
    EPV_ASSERT_ERRMSG_HAS(ctx, "no_grid_year.csv:4");
    EPV_ASSERT_ERRMSG_HAS(ctx, "record 'r2'");
    EPV_ASSERT_ERRMSG_HAS(ctx, "2030");
    EPV_ASSERT_ERRMSG_HAS(ctx, "years held: 2021, 2022");
    epv_inventory_free(inv);
    /* double-counted electricity names both rows */
    inv = new_inv();
    EPV_ASSERT_OK(ctx, epv_inventory_load_csv(ctx, inv, epv_test_path("tests/data/inventory/double_count.csv")));
    EPV_ASSERT_STATUS(ctx, epv_inventory_compute(ctx, inv, NULL, &r), EPV_ECORRUPT);
    EPV_ASSERT_ERRMSG_HAS(ctx, "double_count.csv:3");
    EPV_ASSERT_ERRMSG_HAS(ctx, "double_count.csv:5");
    EPV_ASSERT_ERRMSG_HAS(ctx, "double counting");
    epv_inventory_free(inv);

    /* API records: duplicate id, unit, negative */
    inv = new_inv();
    add(inv, "x", 2022, "energy", "transport", NULL, "diesel", 1, "t", NULL);
    epv_inventory_record rec = EPV_INVENTORY_RECORD_INIT;
    rec.id = "x";
    rec.document = "d";
    rec.year = 2022;
    rec.sector = "energy";
    rec.subsector = "transport";
    rec.code = "diesel";
    rec.unit = "t";
    rec.amount = 1;
    EPV_ASSERT_STATUS(ctx, epv_inventory_add_record(ctx, inv, &rec), EPV_EEXISTS);
    rec.id = "y";
    rec.amount = -1;
    EPV_ASSERT_STATUS(ctx, epv_inventory_add_record(ctx, inv, &rec), EPV_ERANGE);
    EPV_ASSERT_ERRMSG_HAS(ctx, "field 'amount'");
    rec.amount = NAN;
    EPV_ASSERT_STATUS(ctx, epv_inventory_add_record(ctx, inv, &rec), EPV_ERANGE);
    rec.amount = 1;
    rec.subsector = "farming";
    EPV_ASSERT_STATUS(ctx, epv_inventory_add_record(ctx, inv, &rec), EPV_ENOTFOUND);
    EPV_ASSERT_ERRMSG_HAS(ctx, "known: energy_industries, industry");
    rec.subsector = "transport";
    rec.sector = "agriculture";
    EPV_ASSERT_STATUS(ctx, epv_inventory_add_record(ctx, inv, &rec), EPV_EINVAL);
    EPV_ASSERT_ERRMSG_HAS(ctx, "belongs to sector 'energy'");
    rec.sector = "indirect";
    rec.code = "electricity_grid";
    rec.unit = "MWh";
    EPV_ASSERT_STATUS(ctx, epv_inventory_add_record(ctx, inv, &rec), EPV_EINVAL);
    EPV_ASSERT_ERRMSG_HAS(ctx, "needs a grid region");
    CU_ASSERT_EQUAL(epv_inventory_record_count(inv), 1);
    epv_inventory_free(inv);
}

static void test_bom_and_xml(void)
{
    char path[] = "/tmp/epv-inv-bom-XXXXXX";
    int fd = mkstemp(path);
    CU_ASSERT_FATAL(fd >= 0);
    FILE *f = fdopen(fd, "w");
    fputs("\xEF\xBB\xBFid,document,sector,subsector,entity,code,unit,2021,2022\n"
          "E1,统计年鉴 表8-3,energy,transport,county,diesel,t,100,\n",
          f);
    fclose(f);
    epv_inventory *inv = new_inv();
    EPV_ASSERT_OK(ctx, epv_inventory_load_csv(ctx, inv, path));
    CU_ASSERT_EQUAL(epv_inventory_record_count(inv), 1); /* empty 2022 cell: no record */
    remove(path);
    EPV_ASSERT_OK(ctx, epv_inventory_load_xml(ctx, inv, epv_test_path("tests/data/inventory/ok.xml")));
    CU_ASSERT_EQUAL(epv_inventory_record_count(inv), 4);
    epv_inventory_result *r = NULL;
    EPV_ASSERT_OK(ctx, epv_inventory_compute(ctx, inv, NULL, &r));
    epv_inventory_query q = EPV_INVENTORY_QUERY_INIT;
    q.entity = "plant A";
    epv_inventory_total t = EPV_INVENTORY_TOTAL_INIT;
    EPV_ASSERT_OK(ctx, epv_inventory_result_total(ctx, r, &q, &t));
    EPV_ASSERT_CLOSE(t.t_co2, 2000 * 0.5703, 1e-12); /* national grid 2022 row */
    epv_inventory_line l = EPV_INVENTORY_LINE_INIT;
    EPV_ASSERT_OK(ctx, epv_inventory_result_line(ctx, r, 2, &l));
    CU_ASSERT_STRING_EQUAL(l.document, "grid-bill-2022");
    CU_ASSERT(strstr(l.origin, "ok.xml:5") != NULL);
    const double *g;
    size_t n;
    EPV_ASSERT_OK(ctx, epv_inventory_result_column(ctx, r, EPV_INVENTORY_COL_GDP, &g, &n));
    CU_ASSERT(isnan(g[0]) && g[1] == 50000);
    epv_inventory_result_free(r);
    EPV_ASSERT_STATUS(ctx, epv_inventory_load_xml(ctx, inv, epv_test_path("tests/data/inventory/bad_code.xml")),
                      EPV_ENOTFOUND);
    EPV_ASSERT_ERRMSG_HAS(ctx, "bad_code.xml:5");
    EPV_ASSERT_ERRMSG_HAS(ctx, "attribute 'code'");
    EPV_ASSERT_STATUS(ctx, epv_inventory_load_xml(ctx, inv, epv_test_path("tests/data/inventory/bad_schema.xml")),
                      EPV_ESCHEMA);
    EPV_ASSERT_ERRMSG_HAS(ctx, "bad_schema.xml:4");
    CU_ASSERT_EQUAL(epv_inventory_record_count(inv), 4);
    epv_inventory_free(inv);
}

static int cancel_at_end(double fraction, const char *msg, void *payload)
{
    (void)msg;
    (*(int *)payload)++;
    return fraction >= 1.0;
}

static void test_versions_nulls_progress(void)
{
    epv_inventory_options o = EPV_INVENTORY_OPTIONS_INIT;
    EPV_ASSERT_STATUS(ctx, epv_inventory_options_init(ctx, &o, 2), EPV_EVERSION);
    EPV_ASSERT_ERRMSG_HAS(ctx, "epv_inventory_options");
    EPV_ASSERT_OK(ctx, epv_inventory_options_init(ctx, &o, 1));
    CU_ASSERT_EQUAL(o.gwp, EPV_INVENTORY_GWP_AR5);
    epv_inventory *inv = new_inv();
    add(inv, "a", 2022, "energy", "transport", NULL, "diesel", 1, "t", NULL);
    epv_inventory_result *r = NULL;
    o.version = 0;
    EPV_ASSERT_STATUS(ctx, epv_inventory_compute(ctx, inv, &o, &r), EPV_EVERSION);
    o.version = 7;
    EPV_ASSERT_STATUS(ctx, epv_inventory_compute(ctx, inv, &o, &r), EPV_EVERSION);
    o.version = 1;
    o.gwp = 3;
    EPV_ASSERT_STATUS(ctx, epv_inventory_compute(ctx, inv, &o, &r), EPV_EINVAL);
    epv_inventory_record rec = EPV_INVENTORY_RECORD_INIT;
    rec.version = 0;
    EPV_ASSERT_STATUS(ctx, epv_inventory_add_record(ctx, inv, &rec), EPV_EVERSION);
    epv_inventory_query q = EPV_INVENTORY_QUERY_INIT;
    epv_inventory_total t = EPV_INVENTORY_TOTAL_INIT;
    EPV_ASSERT_OK(ctx, epv_inventory_compute(ctx, inv, NULL, &r));
    q.version = 99;
    EPV_ASSERT_STATUS(ctx, epv_inventory_result_total(ctx, r, &q, &t), EPV_EVERSION);
    t.version = 0;
    EPV_ASSERT_STATUS(ctx, epv_inventory_result_total(ctx, r, NULL, &t), EPV_EVERSION);
    epv_unc_interval iv = EPV_UNC_INTERVAL_INIT;
    epv_inventory_unc_options uo = EPV_INVENTORY_UNC_OPTIONS_INIT;
    uo.version = 2;
    EPV_ASSERT_STATUS(ctx, epv_inventory_unc_approach1(ctx, r, &uo, &iv), EPV_EVERSION);
    /* NULLs name the function and argument */
    epv_inventory_result *r_null = NULL;
    EPV_ASSERT_STATUS(ctx, epv_inventory_compute(ctx, NULL, NULL, &r_null), EPV_EINVAL);
    EPV_ASSERT_ERRMSG_HAS(ctx, "epv_inventory_compute: inv is NULL");
    EPV_ASSERT_STATUS(ctx, epv_inventory_add_record(ctx, inv, NULL), EPV_EINVAL);
    EPV_ASSERT_STATUS(ctx, epv_inventory_load_csv(ctx, inv, NULL), EPV_EINVAL);
    EPV_ASSERT_STATUS(ctx, epv_inventory_load_xml(ctx, NULL, "x"), EPV_EINVAL);
    EPV_ASSERT_STATUS(ctx, epv_inventory_result_total(ctx, NULL, NULL, &t), EPV_EINVAL);
    EPV_ASSERT_STATUS(ctx, epv_inventory_result_trace(ctx, NULL, NULL, NULL, 0, NULL), EPV_EINVAL);
    EPV_ASSERT_STATUS(ctx, epv_inventory_unc_approach2(ctx, r, NULL, &iv), EPV_EINVAL);
    EPV_ASSERT_STATUS(ctx, epv_inventory_factors_load_default(ctx, NULL), EPV_EINVAL);
    EPV_ASSERT_STATUS(ctx, epv_inventory_result_write_csv(ctx, r, NULL), EPV_EINVAL);
    EPV_ASSERT_STATUS(ctx, epv_inventory_find_peak(ctx, NULL, NULL, 3, 0, NULL), EPV_EINVAL);
    epv_inventory_free(NULL);
    epv_inventory_result_free(NULL);
    epv_inventory_factors_free(NULL);
    CU_ASSERT_EQUAL(epv_inventory_record_count(NULL), 0);
    CU_ASSERT_EQUAL(epv_inventory_result_gwp(NULL), 0);
    epv_inventory_result_free(r);
    /* cancellation: nothing computed, nothing loaded */
    int calls = 0;
    epv_ctx_set_progress(ctx, cancel_at_end, &calls);
    r = (epv_inventory_result *)1;
    EPV_ASSERT_STATUS(ctx, epv_inventory_compute(ctx, inv, NULL, &r), EPV_ECANCELLED);
    CU_ASSERT_PTR_NULL(r);
    EPV_ASSERT_STATUS(ctx, epv_inventory_load_csv(ctx, inv, epv_test_path("data/examples/county_carbon_activity.csv")),
                      EPV_ECANCELLED);
    CU_ASSERT_EQUAL(epv_inventory_record_count(inv), 1);
    CU_ASSERT(calls >= 2);
    epv_ctx_set_progress(ctx, NULL, NULL);
    epv_inventory_free(inv);
}

static void test_writers(void)
{
    epv_inventory *inv;
    epv_inventory_factors *f;
    epv_inventory_result *r = example(&inv, &f);
    if (!r) return;
    char dir[] = "/tmp/epv-inv-out-XXXXXX";
    CU_ASSERT_FATAL(mkdtemp(dir) != NULL);
    char p[4096];
    snprintf(p, sizeof p, "%s/s.csv", dir);
    EPV_ASSERT_OK(ctx, epv_inventory_result_write_csv(ctx, r, p));
    FILE *fp = fopen(p, "r");
    char line[1024];
    int nl = 0;
    int dots = 0;
    while (fp && fgets(line, sizeof line, fp)) {
        nl++;
        if (nl == 2) dots = strstr(line, ".") != NULL && strstr(line, ",,") == NULL;
    }
    if (fp) fclose(fp);
    CU_ASSERT_EQUAL(nl, 8);
    CU_ASSERT(dots); /* numbers written with '.' decimals whatever LC_NUMERIC says */
    remove(p);
    snprintf(p, sizeof p, "%s/s.svg", dir);
    EPV_ASSERT_OK(ctx, epv_inventory_result_write_sectors_svg(ctx, r, "排放 & <test>", p));
    fp = fopen(p, "r");
    char buf[4096] = "";
    size_t got = fp ? fread(buf, 1, sizeof buf - 1, fp) : 0;
    buf[got] = 0;
    if (fp) fclose(fp);
    CU_ASSERT(strstr(buf, "sans-serif") != NULL);
    CU_ASSERT(strstr(buf, "&amp; &lt;test&gt;") != NULL);
    CU_ASSERT(strstr(buf, "10^4 t CO2e") != NULL);
    remove(p);
    /* an unwritable path is an error naming it, and leaves nothing */
    EPV_ASSERT_STATUS(ctx, epv_inventory_result_write_csv(ctx, r, "/nonexistent-dir/x.csv"), EPV_EIO);
    EPV_ASSERT_ERRMSG_HAS(ctx, "/nonexistent-dir/x.csv");
    rmdir(dir);
    epv_inventory_result_free(r);
    epv_inventory_free(inv);
    epv_inventory_factors_free(f);
}

static void test_custom_factors(void)
{
    epv_inventory_factors *f = NULL;
    EPV_ASSERT_OK(ctx, epv_inventory_factors_load_default(ctx, &f));
    size_t n0 = epv_inventory_factors_count(f);
    EPV_ASSERT_OK(ctx, epv_inventory_factors_load_csv(ctx, f, epv_test_path("tests/data/inventory/extra_factors.csv")));
    CU_ASSERT_EQUAL(epv_inventory_factors_count(f), n0 + 2);
    epv_inventory_factor x = EPV_INVENTORY_FACTOR_INIT;
    EPV_ASSERT_OK(ctx, epv_inventory_factors_find(ctx, f, "coal_test", &x));
    EPV_ASSERT_CLOSE(x.value, 20 * 25 / 1000.0 * 0.9 * 44 / 12, 1e-14); /* Vol. 2 Eq. 1.1 */
    EPV_ASSERT_OK(ctx, epv_inventory_factors_find(ctx, f, "biogas_flare", &x));
    EPV_ASSERT_CLOSE(x.value, 0.005, 0);
    CU_ASSERT_EQUAL(x.gas, EPV_INVENTORY_CH4);
    CU_ASSERT_EQUAL(x.provisional, 1);
    /* a duplicate code: error on its line, nothing added */
    EPV_ASSERT_STATUS(ctx, epv_inventory_factors_load_csv(ctx, f, epv_test_path("tests/data/inventory/dup_factor.csv")),
                      EPV_EEXISTS);
    EPV_ASSERT_ERRMSG_HAS(ctx, "dup_factor.csv:4");
    CU_ASSERT_EQUAL(epv_inventory_factors_count(f), n0 + 2);
    EPV_ASSERT_STATUS(ctx, epv_inventory_factors_find(ctx, f, "new_code", &x), EPV_ENOTFOUND);
    /* grid rows: a year given twice */
    EPV_ASSERT_STATUS(ctx, epv_inventory_factors_load_grid_csv(ctx, f, epv_test_path("data/inventory/grid.csv")),
                      EPV_EEXISTS);
    double v, u;
    EPV_ASSERT_OK(ctx, epv_inventory_factors_grid(ctx, f, "national", 2022, &v, &u));
    EPV_ASSERT_CLOSE(v, 0.5703, 0);
    EPV_ASSERT_STATUS(ctx, epv_inventory_factors_grid(ctx, f, "national", 2019, &v, &u), EPV_ENOTFOUND);
    EPV_ASSERT_ERRMSG_HAS(ctx, "years held: 2021, 2022");
    /* economy: GDP must be > 0, named by file, line and column; nothing added */
    epv_inventory *inv = NULL;
    EPV_ASSERT_OK(ctx, epv_inventory_new(ctx, f, "t", &inv));
    EPV_ASSERT_STATUS(ctx, epv_inventory_load_economy_csv(ctx, inv, epv_test_path("tests/data/inventory/bad_economy.csv")),
                      EPV_ERANGE);
    EPV_ASSERT_ERRMSG_HAS(ctx, "bad_economy.csv:4");
    EPV_ASSERT_ERRMSG_HAS(ctx, "column 'gdp'");
    add(inv, "a", 2020, "energy", "transport", NULL, "diesel", 1, "t", NULL);
    epv_inventory_result *r = NULL;
    EPV_ASSERT_OK(ctx, epv_inventory_compute(ctx, inv, NULL, &r));
    const double *g;
    size_t n;
    EPV_ASSERT_OK(ctx, epv_inventory_result_column(ctx, r, EPV_INVENTORY_COL_GDP, &g, &n));
    CU_ASSERT(n == 1 && isnan(g[0])); /* the 2020 row of the bad file was not kept */
    epv_inventory_result_free(r);
    epv_inventory_free(inv);
    epv_inventory_factors_free(f);
}

static void test_batch(void)
{
    /* The batch path gives the object path's totals: two units, three years, four sources. */
    const char *codes[4] = { "diesel", "electricity_grid", "enteric_goat", "cement_clinker" };
    static const char *sects[4] = { "energy", "indirect", "agriculture", "industrial_processes" };
    static const char *grids[4] = { NULL, "national", NULL, NULL };
    static const char *subs[4] = { "transport", "industry", NULL, NULL };
    static const char *units[4] = { "t", "MWh", "head", "t" };
    epv_i64 years[2] = { 2021, 2022 };
    double act[2 * 2 * 4], gdp[4] = { 1000, 1100, 2000, 2100 };
    for (int i = 0; i < 16; i++) act[i] = 10 + 7 * i;
    act[5] = 0;
    epv_inventory_batch b = EPV_INVENTORY_BATCH_INIT;
    b.nunits = 2;
    b.nyears = 2;
    b.nsources = 4;
    b.years = years;
    b.codes = codes;
    b.sectors = sects;
    b.grids = grids;
    double tot[4], sec[20], inten[4];
    EPV_ASSERT_OK(ctx, epv_inventory_batch_compute(ctx, F, &b, act, gdp, tot, sec, inten));
    for (int u = 0; u < 2; u++) {
        epv_inventory *inv = new_inv();
        for (int y = 0; y < 2; y++) {
            for (int s = 0; s < 4; s++) {
                char id[32];
                snprintf(id, sizeof id, "%d/%d", y, s);
                add(inv, id, (int)years[y], sects[s], subs[s], NULL, codes[s], act[(u * 2 + y) * 4 + s], units[s], grids[s]);
            }
            epv_inventory_economy e = EPV_INVENTORY_ECONOMY_INIT;
            e.year = (int)years[y];
            e.gdp = gdp[u * 2 + y];
            e.document = "gdp";
            EPV_ASSERT_OK(ctx, epv_inventory_add_economy(ctx, inv, &e));
        }
        epv_inventory_result *r = NULL;
        EPV_ASSERT_OK(ctx, epv_inventory_compute(ctx, inv, NULL, &r));
        const double *c, *ci;
        size_t n;
        EPV_ASSERT_OK(ctx, epv_inventory_result_column(ctx, r, EPV_INVENTORY_COL_TCO2E, &c, &n));
        EPV_ASSERT_OK(ctx, epv_inventory_result_column(ctx, r, EPV_INVENTORY_COL_CO2_INTENSITY, &ci, &n));
        for (int y = 0; y < 2; y++) {
            EPV_ASSERT_CLOSE(tot[u * 2 + y], c[y], 1e-14);
            EPV_ASSERT_CLOSE(inten[u * 2 + y], ci[y], 1e-14);
            epv_inventory_query q = EPV_INVENTORY_QUERY_INIT;
            epv_inventory_total t = EPV_INVENTORY_TOTAL_INIT;
            q.year = (int)years[y];
            q.sector = "agriculture";
            EPV_ASSERT_OK(ctx, epv_inventory_result_total(ctx, r, &q, &t));
            EPV_ASSERT_CLOSE(sec[(u * 2 + y) * 5 + 3], t.t_co2e, 1e-14);
        }
        epv_inventory_result_free(r);
        epv_inventory_free(inv);
    }
    size_t idx[4], n;
    EPV_ASSERT_OK(ctx, epv_inventory_batch_trace(ctx, &b, act, 0, 1, NULL, idx, 4, &n));
    CU_ASSERT_EQUAL(n, 3); /* source 1 of unit 0, year 2022 has no activity */
    CU_ASSERT(idx[0] == 0 && idx[1] == 2 && idx[2] == 3);
    EPV_ASSERT_OK(ctx, epv_inventory_batch_trace(ctx, &b, act, 1, 0, "indirect", idx, 4, &n));
    CU_ASSERT(n == 1 && idx[0] == 1);
    /* bad input: named, every output zeroed */
    act[13] = -1;
    EPV_ASSERT_STATUS(ctx, epv_inventory_batch_compute(ctx, F, &b, act, gdp, tot, sec, inten), EPV_ERANGE);
    EPV_ASSERT_ERRMSG_HAS(ctx, "activity[unit 1][year 2022][source 1 'electricity_grid']");
    CU_ASSERT(tot[0] == 0 && sec[3] == 0 && inten[0] == 0);
    act[13] = 1;
    years[1] = 2030;
    EPV_ASSERT_STATUS(ctx, epv_inventory_batch_compute(ctx, F, &b, act, gdp, tot, sec, inten), EPV_ENOTFOUND);
    EPV_ASSERT_ERRMSG_HAS(ctx, "2030");
    years[1] = 2022;
    codes[2] = "goat";
    EPV_ASSERT_STATUS(ctx, epv_inventory_batch_compute(ctx, F, &b, act, gdp, tot, sec, inten), EPV_ENOTFOUND);
    EPV_ASSERT_ERRMSG_HAS(ctx, "known: coal_bituminous");
    codes[2] = "enteric_goat";
    b.version = 0;
    EPV_ASSERT_STATUS(ctx, epv_inventory_batch_compute(ctx, F, &b, act, gdp, tot, sec, inten), EPV_EVERSION);
    EPV_ASSERT_STATUS(ctx, epv_inventory_batch_compute(ctx, F, NULL, act, gdp, tot, sec, inten), EPV_EINVAL);
    EPV_ASSERT_STATUS(ctx, epv_inventory_batch_init(ctx, &b, 9), EPV_EVERSION);
}

static void test_batch_lanes(void)
{
    /* Units computed two at a time (one per vector lane) give, to the bit, what each unit
     * gives alone (the one-unit path); -0.0 is a valid activity; a bad value inside a pair is
     * named with its unit, year and source. 5 units x 2 years x 9 sources. */
    static const char *codes[9] = { "diesel", "coal_bituminous", "electricity_grid", "gasoline", "natural_gas",
                                    "enteric_goat", "lpg", "cement_clinker", "kerosene" };
    static const char *sects[9] = { "energy", "energy", "indirect", "energy", "energy",
                                    "agriculture", "energy", "industrial_processes", "energy" };
    static const char *grids[9] = { NULL, NULL, "national", NULL, NULL, NULL, NULL, NULL, NULL };
    epv_i64 years[2] = { 2021, 2022 };
    enum { NU = 5, NY = 2, NS = 9 };
    double act[NU * NY * NS], gdp[NU * NY];
    for (int i = 0; i < NU * NY * NS; i++) act[i] = 1.0 + (double)((i * 37) % 101) * 3.3;
    for (int i = 0; i < NU * NY; i++) gdp[i] = 500.0 + 13.0 * i;
    act[7] = -0.0;
    act[NY * NS + 2] = 0;
    epv_inventory_batch b = EPV_INVENTORY_BATCH_INIT;
    b.nunits = NU;
    b.nyears = NY;
    b.nsources = NS;
    b.years = years;
    b.codes = codes;
    b.sectors = sects;
    b.grids = grids;
    double tot[NU * NY], sec[NU * NY * 5], inten[NU * NY];
    EPV_ASSERT_OK(ctx, epv_inventory_batch_compute(ctx, F, &b, act, gdp, tot, sec, inten));
    epv_inventory_batch one = b;
    one.nunits = 1;
    for (int u = 0; u < NU; u++) {
        double t1[NY], s1[NY * 5], i1[NY];
        EPV_ASSERT_OK(ctx, epv_inventory_batch_compute(ctx, F, &one, act + u * NY * NS, gdp + u * NY, t1, s1, i1));
        CU_ASSERT(memcmp(t1, tot + u * NY, sizeof t1) == 0);
        CU_ASSERT(memcmp(s1, sec + u * NY * 5, sizeof s1) == 0);
        CU_ASSERT(memcmp(i1, inten + u * NY, sizeof i1) == 0);
        CU_ASSERT(tot[u * NY] > 0);
    }
    act[(1 * NY + 1) * NS + 4] = -2;
    act[(3 * NY + 0) * NS + 1] = -1;
    EPV_ASSERT_STATUS(ctx, epv_inventory_batch_compute(ctx, F, &b, act, gdp, tot, sec, inten), EPV_ERANGE);
    EPV_ASSERT_ERRMSG_HAS(ctx, "activity[unit 1][year 2022][source 4 'natural_gas']");
    CU_ASSERT(tot[0] == 0 && sec[0] == 0 && inten[0] == 0);
    act[(1 * NY + 1) * NS + 4] = 2;
    act[(3 * NY + 0) * NS + 1] = NAN;
    EPV_ASSERT_STATUS(ctx, epv_inventory_batch_compute(ctx, F, &b, act, gdp, tot, sec, inten), EPV_ERANGE);
    EPV_ASSERT_ERRMSG_HAS(ctx, "activity[unit 3][year 2021][source 1 'coal_bituminous']");
}

int main(void)
{
    /* tests/inventory_locale.sh runs this program under a comma-decimal locale */
    const char *loc = getenv("EPV_TEST_LOCALE");
    if (loc && !setlocale(LC_ALL, loc)) {
        fprintf(stderr, "cannot set locale %s\n", loc);
        return 2;
    }
    if (loc) {
        char probe[16];
        snprintf(probe, sizeof probe, "%.1f", 1.5);
        if (strcmp(probe, "1,5")) {
            fprintf(stderr, "locale %s does not use a decimal comma\n", loc);
            return 2;
        }
    }
    if (epv_ctx_new(&ctx)) return 2;
    if (epv_inventory_factors_load_default(ctx, &F)) {
        fprintf(stderr, "cannot load factor tables: %s\n", epv_ctx_errmsg(ctx));
        return 2;
    }
    CU_TestInfo tests[] = {
        { "fuel factors = IPCC 2006 Vol. 2 Table 1.4", test_fuel_factors },
        { "GWP sets AR4/AR5/AR6", test_gwp_sets },
        { "clinker and fertiliser N2O", test_process_and_agriculture },
        { "trace conservation", test_conservation },
        { "LMDI", test_lmdi },
        { "targets and peak", test_targets_and_peak },
        { "net balance uncertainty", test_uncertainty },
        { "bad input", test_bad_input },
        { "BOM and XML", test_bom_and_xml },
        { "versions, NULLs, progress", test_versions_nulls_progress },
        { "writers", test_writers },
        { "batch of many counties", test_batch },
        { "batch: units two at a time, same bits as one by one", test_batch_lanes },
        { "custom factor tables and economy errors", test_custom_factors },
        CU_TEST_INFO_NULL,
    };
    int rc = epv_test_main("inventory", tests);
    epv_inventory_factors_free(F);
    epv_ctx_free(ctx);
    return rc;
}
