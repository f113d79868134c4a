/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A project's credit value over time (epv_sink_value_stream, epv_sink_result_value).
 *
 * The valuation is InVEST's (User's Guide, "Carbon", eq. carbon_value), checked against the
 * values of InVEST's own tests (natcap/invest, tests/test_carbon.py), restated in t CO2e at a
 * price per t CO2e (× 44/12 and × 12/44), and against a case computed by hand. */
#include "test_util.h"
#include "epv.h"

static epv_ctx *ctx;
static epv_params *params;

static const double C_TO_CO2 = 44.0 / 12.0;

static void test_invest_values(void)
{
    epv_sink_value_options o = EPV_SINK_VALUE_OPTIONS_INIT;
    double pv = 0, credited = 0;
    /* test_carbon.py, test_calculate_valuation_constant: 1 t C sequestered 2010 -> 2012, V 50
     * per t C, r 50%, c 5%: 50/2 × (1 + 1/(1.5 × 1.05)) = 40.87302. As a stream: 0.5 t C
     * (1.8333 t CO2e) in each of two years at 50 × 12/44 per t CO2e. */
    o.price_per_tco2e = 50 / C_TO_CO2;
    o.discount_rate_pct = 50;
    o.price_change_pct = 5;
    const double two[] = { 0.5 * C_TO_CO2, 0.5 * C_TO_CO2 };
    EPV_ASSERT_OK(ctx, epv_sink_value_stream(ctx, &o, 2, two, &pv, &credited));
    EPV_ASSERT_NEAR(pv, 40.87302, 5e-6);
    EPV_ASSERT_CLOSE(credited, C_TO_CO2, 1e-15);
    /* test_carbon.py, test_carbon_full: a 1 m² pixel losing 58 t C/ha (5.8e-3 t C) between
     * 2016 and 2030, V 43, r −7.1%, c 2.8%: npv_fut −0.3422078 per pixel; the loss is taken
     * as spread evenly over the 14 years (InVEST's rule). */
    double loss[14];
    for (int t = 0; t < 14; t++) loss[t] = -58e-4 / 14 * C_TO_CO2;
    o.price_per_tco2e = 43 / C_TO_CO2;
    o.discount_rate_pct = -7.1;
    o.price_change_pct = 2.8;
    EPV_ASSERT_OK(ctx, epv_sink_value_stream(ctx, &o, 14, loss, &pv, NULL));
    EPV_ASSERT_NEAR(pv, -0.3422078, 1e-6);
    /* the 78 t C/ha pixel of the same test: npv_fut −0.4602106 */
    for (int t = 0; t < 14; t++) loss[t] = -78e-4 / 14 * C_TO_CO2;
    EPV_ASSERT_OK(ctx, epv_sink_value_stream(ctx, &o, 14, loss, &pv, NULL));
    EPV_ASSERT_NEAR(pv, -0.4602106, 1e-6);
    /* test_carbon_zero_rates: no discounting, −58 × 10⁻⁴ × 43 = −0.2494 */
    o.discount_rate_pct = o.price_change_pct = 0;
    for (int t = 0; t < 14; t++) loss[t] = -58e-4 / 14 * C_TO_CO2;
    EPV_ASSERT_OK(ctx, epv_sink_value_stream(ctx, &o, 14, loss, &pv, NULL));
    EPV_ASSERT_NEAR(pv, -0.2494, 1e-6);
}

static void test_hand_computed(void)
{
    /* 100, 200 and −50 t CO2e (a reversal in the third year), 60 per t CO2e, r 8%, c 0,
     * 10% withheld: 0.9 × 60 × (100 + 200/1.08 − 50/1.08²)
     *   = 54 × (100 + 185.185185 − 42.866941) = 54 × 242.318244 = 13085.185 (by hand). */
    epv_sink_value_options o = EPV_SINK_VALUE_OPTIONS_INIT;
    o.price_per_tco2e = 60;
    o.discount_rate_pct = 8;
    o.deduction_pct = 10;
    const double x[] = { 100, 200, -50 };
    double pv = 0, credited = 0;
    EPV_ASSERT_OK(ctx, epv_sink_value_stream(ctx, &o, 3, x, &pv, &credited));
    EPV_ASSERT_NEAR(pv, 13085.185, 1e-3);
    EPV_ASSERT_CLOSE(credited, 225.0, 1e-14); /* 0.9 × 250 */
    /* a price growing 2% a year is c = −100 × 2/102: 60 × (100 + 200 × 1.02/1.08 + ...) */
    o.deduction_pct = 0;
    o.price_change_pct = -100.0 * 2 / 102;
    EPV_ASSERT_OK(ctx, epv_sink_value_stream(ctx, &o, 3, x, &pv, NULL));
    EPV_ASSERT_CLOSE(pv, 60 * (100 + 200 * 1.02 / 1.08 - 50 * (1.02 * 1.02) / (1.08 * 1.08)), 1e-12);
    /* an empty stream is worth 0 */
    EPV_ASSERT_OK(ctx, epv_sink_value_stream(ctx, &o, 0, NULL, &pv, &credited));
    CU_ASSERT_EQUAL(pv, 0.0);
    CU_ASSERT_EQUAL(credited, 0.0);
}

static void test_bad_input(void)
{
    epv_sink_value_options o = EPV_SINK_VALUE_OPTIONS_INIT;
    const double x[] = { 1, NAN };
    double pv = 123;
    o.price_per_tco2e = 60;
    EPV_ASSERT_STATUS(ctx, epv_sink_value_stream(ctx, &o, 2, x, &pv, NULL), EPV_ERANGE);
    EPV_ASSERT_ERRMSG_HAS(ctx, "x[1]");
    o.deduction_pct = 101;
    EPV_ASSERT_STATUS(ctx, epv_sink_value_stream(ctx, &o, 1, x, &pv, NULL), EPV_ERANGE);
    EPV_ASSERT_ERRMSG_HAS(ctx, "deduction_pct");
    o.deduction_pct = 0;
    o.discount_rate_pct = -100;
    EPV_ASSERT_STATUS(ctx, epv_sink_value_stream(ctx, &o, 1, x, &pv, NULL), EPV_ERANGE);
    EPV_ASSERT_ERRMSG_HAS(ctx, "discount_rate_pct");
    o.discount_rate_pct = 0;
    o.price_per_tco2e = HUGE_VAL;
    EPV_ASSERT_STATUS(ctx, epv_sink_value_stream(ctx, &o, 1, x, &pv, NULL), EPV_ERANGE);
    EPV_ASSERT_ERRMSG_HAS(ctx, "price_per_tco2e");
    o.price_per_tco2e = 60;
    o.version = 0;
    EPV_ASSERT_STATUS(ctx, epv_sink_value_stream(ctx, &o, 1, x, &pv, NULL), EPV_EVERSION);
    CU_ASSERT_EQUAL(pv, 123); /* nothing written on error */
    EPV_ASSERT_STATUS(ctx, epv_sink_value_stream(ctx, NULL, 1, x, &pv, NULL), EPV_EINVAL);
    epv_sink_value_options d;
    EPV_ASSERT_OK(ctx, epv_sink_value_options_init(ctx, &d, EPV_SINK_VALUE_OPTIONS_VERSION));
    CU_ASSERT_EQUAL(d.col, EPV_SINK_COL_NET_REMOVALS);
    EPV_ASSERT_STATUS(ctx, epv_sink_value_options_init(ctx, &d, 99), EPV_EVERSION);
}

static void test_result_value(void)
{
    /* a 100 ha Chinese fir stratum planted in 2021, 20-year crediting period */
    epv_project *p = NULL;
    EPV_ASSERT_OK(ctx, epv_project_new(ctx, "fir", EPV_PROJECT_AFFORESTATION, 2021, 20, &p));
    epv_project_stratum s = EPV_PROJECT_STRATUM_INIT;
    snprintf(s.id, sizeof s.id, "s1");
    snprintf(s.species, sizeof s.species, "杉木");
    s.area_ha = 100;
    s.planting_year = 2021;
    s.curve.model = EPV_GROWTH_SCHUMACHER;
    s.curve.a = 300;
    s.curve.b = 20;
    EPV_ASSERT_OK(ctx, epv_project_add_stratum(ctx, p, params, &s));
    epv_sink_result *r = NULL;
    EPV_ASSERT_OK(ctx, epv_sink_estimate(ctx, p, NULL, &r));
    epv_sink_value_options o = EPV_SINK_VALUE_OPTIONS_INIT;
    o.price_per_tco2e = 60;
    double pv = 0, credited = 0;
    /* no discounting: price × the period's net removals (epv_sink_result_period) */
    epv_sink_period per = EPV_SINK_PERIOD_INIT;
    EPV_ASSERT_OK(ctx, epv_sink_result_period(ctx, r, 2021, 2040, &per));
    EPV_ASSERT_OK(ctx, epv_sink_result_value(ctx, r, &o, &pv, &credited));
    EPV_ASSERT_CLOSE(pv, 60 * per.net_removals_tco2, 1e-12);
    EPV_ASSERT_CLOSE(credited, per.net_removals_tco2, 1e-12);
    /* 2026-2030 at 8%, 6% withheld: Σ 0.94 × 60 × x_t / 1.08^(year − 2026) over the years */
    o.first_year = 2026;
    o.last_year = 2030;
    o.discount_rate_pct = 8;
    o.deduction_pct = 6;
    double expect = 0, f = 1;
    for (int y = 2026; y <= 2030; y++, f /= 1.08) {
        epv_sink_year sy = EPV_SINK_YEAR_INIT;
        EPV_ASSERT_OK(ctx, epv_sink_result_year(ctx, r, (size_t)(y - 2021), &sy));
        expect += 0.94 * 60 * sy.net_removals_tco2 * f;
    }
    EPV_ASSERT_OK(ctx, epv_sink_result_value(ctx, r, &o, &pv, &credited));
    EPV_ASSERT_CLOSE(pv, expect, 1e-12);
    EPV_ASSERT_OK(ctx, epv_sink_result_period(ctx, r, 2026, 2030, &per));
    EPV_ASSERT_CLOSE(credited, 0.94 * per.net_removals_tco2, 1e-12);
    /* project removals alone (before baseline and leakage) through col */
    o.col = EPV_SINK_COL_PROJECT_REMOVALS;
    o.discount_rate_pct = o.deduction_pct = 0;
    EPV_ASSERT_OK(ctx, epv_sink_result_value(ctx, r, &o, &pv, NULL));
    EPV_ASSERT_CLOSE(pv, 60 * per.project_removals_tco2, 1e-12);
    /* bad input */
    o.col = EPV_SINK_COL_STOCK;
    EPV_ASSERT_STATUS(ctx, epv_sink_result_value(ctx, r, &o, &pv, NULL), EPV_EINVAL);
    EPV_ASSERT_ERRMSG_HAS(ctx, "col");
    o.col = EPV_SINK_COL_NET_REMOVALS;
    o.first_year = 2020;
    EPV_ASSERT_STATUS(ctx, epv_sink_result_value(ctx, r, &o, &pv, NULL), EPV_ERANGE);
    EPV_ASSERT_ERRMSG_HAS(ctx, "first_year");
    o.first_year = 2030;
    o.last_year = 2041;
    EPV_ASSERT_STATUS(ctx, epv_sink_result_value(ctx, r, &o, &pv, NULL), EPV_ERANGE);
    EPV_ASSERT_ERRMSG_HAS(ctx, "last_year");
    o.last_year = 2029;
    EPV_ASSERT_STATUS(ctx, epv_sink_result_value(ctx, r, &o, &pv, NULL), EPV_ERANGE);
    EPV_ASSERT_ERRMSG_HAS(ctx, "before first_year");
    EPV_ASSERT_STATUS(ctx, epv_sink_result_value(ctx, NULL, &o, &pv, NULL), EPV_EINVAL);
    epv_sink_result_free(r);
    epv_project_free(p);
}

int main(void)
{
    if (epv_ctx_new(&ctx)) return 2;
    if (epv_params_load_default(ctx, &params)) {
        fprintf(stderr, "cannot load default parameters: %s\n", epv_ctx_errmsg(ctx));
        return 2;
    }
    CU_TestInfo tests[] = {
        { "InVEST's test values", test_invest_values },
        { "a stream valued by hand", test_hand_computed },
        { "bad input", test_bad_input },
        { "a sink result's credit value", test_result_value },
        CU_TEST_INFO_NULL,
    };
    int rc = epv_test_main("sink_value", tests);
    epv_params_free(params);
    epv_ctx_free(ctx);
    return rc;
}
