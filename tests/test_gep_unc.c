/* SPDX-License-Identifier: GPL-3.0-or-later */
#define _POSIX_C_SOURCE 200809L /* mkstemp */
/* GEP uncertainty: Approach 1 (IPCC 2006 Vol. 1 ch. 3, Eq. 3.1 and 3.2) on account totals,
 * Approach 2 (Monte Carlo) against it, correlated prices, threads, bad input. */
#include "test_util.h"
#include "epv.h"
#include "epv/gep.h"

#include <math.h>
#include <string.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static epv_ctx *ctx;
static epv_gep_tree *tree;

/* A one-year (2020) account: city with counties a and b, ecosystems forest and cropland;
 * prices are 2020 prices so no deflator is involved. */
static epv_gep_account *make_account(void)
{
    epv_gep_region r[3] = { { EPV_GEP_REGION_VERSION, "city", "City", "", 0 }, { EPV_GEP_REGION_VERSION, "a", "A", "city", 0 },
                            { EPV_GEP_REGION_VERSION, "b", "B", "city", 0 } };
    const char *eco[2] = { "forest", "cropland" };
    epv_gep_account *acc = NULL;
    EPV_ASSERT_OK(ctx, epv_gep_account_new(ctx, &acc, tree, r, 3, eco, 2, 2020, 1));
    return acc;
}

static void value(epv_gep_account *acc)
{
    epv_gep_prices *pr = NULL;
    epv_gep_price w = { EPV_GEP_PRICE_VERSION, "water_conservation", 2.0, EPV_UNIT_M3, 2020, EPV_GEP_SHADOW_PROJECT, "test" };
    epv_gep_price s = { EPV_GEP_PRICE_VERSION, "air_so2", 1000.0, EPV_UNIT_T, 2020, EPV_GEP_REPLACEMENT_COST, "test" };
    EPV_ASSERT_OK(ctx, epv_gep_prices_new(ctx, tree, &pr));
    EPV_ASSERT_OK(ctx, epv_gep_prices_set(ctx, pr, &w));
    EPV_ASSERT_OK(ctx, epv_gep_prices_set(ctx, pr, &s));
    EPV_ASSERT_OK(ctx, epv_gep_account_value(ctx, acc, pr, NULL, 2020));
    epv_gep_prices_free(pr);
}

static epv_gep_unc_input row(const char *ind, double uq, int qcorr, double up, int pcorr)
{
    epv_gep_unc_input u = EPV_GEP_UNC_INPUT_INIT;
    strcpy(u.indicator, ind);
    u.quantity_pct = uq;
    u.quantity_shape = uq > 0 ? EPV_GEP_UNC_NORMAL : EPV_GEP_UNC_EXACT;
    u.quantity_corr = (epv_gep_unc_corr)qcorr;
    u.price_pct = up;
    u.price_shape = up > 0 ? EPV_GEP_UNC_NORMAL : EPV_GEP_UNC_EXACT;
    u.price_corr = (epv_gep_unc_corr)pcorr;
    strcpy(u.source, "illus");
    return u;
}

static epv_gep_unc *table1(const char *ind, double uq, int qcorr, double up, int pcorr)
{
    epv_gep_unc *u = NULL;
    EPV_ASSERT_OK(ctx, epv_gep_unc_new(ctx, tree, &u));
    epv_gep_unc_input r = row(ind, uq, qcorr, up, pcorr);
    EPV_ASSERT_OK(ctx, epv_gep_unc_set(ctx, u, &r));
    return u;
}

/* Approach 1 and 2 on a region and year into fresh intervals (indexed by epv_gep_unc_total). */
static int run1(const epv_gep_account *acc, const epv_gep_unc *u, const char *region, epv_gep_basis basis,
              epv_unc_interval *r)
{
    epv_gep_unc_options o = EPV_GEP_UNC_OPTIONS_INIT;
    o.region = region;
    o.year = 2020;
    o.basis = basis;
    for (int k = 0; k < EPV_GEP_UNC_NTOTALS; k++) r[k] = (epv_unc_interval)EPV_UNC_INTERVAL_INIT;
    return epv_gep_unc_approach1(ctx, acc, u, &o, r);
}

/* Approach 2 with `n` draws; the draws of the GEP total go to `draws` (may be NULL). */
static int run2(const epv_gep_account *acc, const epv_gep_unc *u, const char *region, size_t n, epv_unc_interval *r,
              double *draws)
{
    epv_gep_unc_options o = EPV_GEP_UNC_OPTIONS_INIT;
    o.region = region;
    o.year = 2020;
    o.iterations = n;
    o.gep_draws = draws;
    for (int k = 0; k < EPV_GEP_UNC_NTOTALS; k++) r[k] = (epv_unc_interval)EPV_UNC_INTERVAL_INIT;
    return epv_gep_unc_approach2(ctx, acc, u, &o, r);
}

/* Sample standard deviation of n draws. */
static double sd_of(const double *x, size_t n)
{
    double m = 0, s = 0;
    for (size_t i = 0; i < n; i++) m += x[i];
    m /= (double)n;
    for (size_t i = 0; i < n; i++) s += (x[i] - m) * (x[i] - m);
    return sqrt(s / (double)(n - 1));
}

static void test_product(void)
{
    /* value = quantity x price with U 5% and 7%: IPCC 2006 Vol. 1 Eq. 3.1,
     * U = sqrt(5^2 + 7^2) = sqrt(74) = 8.602% (the activity data x emission factor pairing of
     * ch. 3; same hand check as tests/test_uncertainty.c). */
    epv_gep_account *acc = make_account();
    EPV_ASSERT_OK(ctx, epv_gep_account_set_quantity(ctx, acc, "a", "forest", "water_conservation", 2020, 1e6, EPV_UNIT_M3));
    value(acc);
    epv_gep_unc *u = table1("water_conservation", 5, EPV_GEP_UNC_INDEPENDENT, 7, EPV_GEP_UNC_FULL);
    epv_unc_interval r[EPV_GEP_UNC_NTOTALS];
    EPV_ASSERT_OK(ctx, run1(acc, u, "a", EPV_GEP_CURRENT, r));
    EPV_ASSERT_CLOSE(r[EPV_GEP_UNC_GEP].estimate, 2e6, 1e-12);
    EPV_ASSERT_CLOSE(r[EPV_GEP_UNC_GEP].u_upper_pct, 8.602325, 1e-6);
    EPV_ASSERT_CLOSE(r[EPV_GEP_UNC_REGULATING].u_upper_pct, 8.602325, 1e-6);
    EPV_ASSERT_NEAR(r[EPV_GEP_UNC_PROVISIONING].u_upper_pct, 0, 0); /* empty subtotal */
    EPV_ASSERT_CLOSE(r[0].lower, 2e6 * (1 - 0.08602325), 1e-6);
    EPV_ASSERT_CLOSE(r[0].upper, 2e6 * (1 + 0.08602325), 1e-6);
    epv_gep_unc_free(u);
    epv_gep_account_free(acc);
}

static void test_sum(void)
{
    /* Two services of 100 (±10%) and 50 (±20%) million yuan: IPCC 2006 Vol. 1 Eq. 3.2,
     * U = sqrt((10·100)^2 + (20·50)^2) / 150 = 9.428% (hand check in shared/references.md). */
    epv_gep_account *acc = make_account();
    EPV_ASSERT_OK(ctx, epv_gep_account_set_quantity(ctx, acc, "a", "forest", "water_conservation", 2020, 50e6, EPV_UNIT_M3));
    EPV_ASSERT_OK(ctx, epv_gep_account_set_quantity(ctx, acc, "a", "forest", "air_so2", 2020, 50000, EPV_UNIT_T));
    value(acc);
    epv_gep_unc *u = table1("water_conservation", 10, EPV_GEP_UNC_INDEPENDENT, 0, EPV_GEP_UNC_FULL);
    epv_gep_unc_input s = row("air_so2", 20, EPV_GEP_UNC_INDEPENDENT, 0, EPV_GEP_UNC_FULL);
    EPV_ASSERT_OK(ctx, epv_gep_unc_set(ctx, u, &s));
    epv_unc_interval r[EPV_GEP_UNC_NTOTALS];
    EPV_ASSERT_OK(ctx, run1(acc, u, "a", EPV_GEP_CURRENT, r));
    EPV_ASSERT_CLOSE(r[EPV_GEP_UNC_REGULATING].estimate, 150e6, 1e-12);
    EPV_ASSERT_CLOSE(r[EPV_GEP_UNC_REGULATING].u_upper_pct, 9.428090, 1e-6);
    EPV_ASSERT_CLOSE(r[EPV_GEP_UNC_GEP].u_upper_pct, 9.428090, 1e-6);

    /* A difference: an inflow of 30 million from outside is subtracted, exact (U 0); Eq. 3.2
     * with a negative term (as the Guidelines do for net emissions):
     * sqrt(1000^2 + 1000^2) / 120 = 11.785%. */
    EPV_ASSERT_OK(ctx, epv_gep_account_add_inflow(ctx, acc, "a", NULL, "water_conservation", 2020, 30e6));
    EPV_ASSERT_OK(ctx, run1(acc, u, "a", EPV_GEP_CURRENT, r));
    EPV_ASSERT_CLOSE(r[EPV_GEP_UNC_GEP].estimate, 120e6, 1e-12);
    EPV_ASSERT_CLOSE(r[EPV_GEP_UNC_GEP].u_upper_pct, sqrt(2e6) / 120 , 1e-9); /* 11.785 */
    epv_gep_unc_free(u);
    epv_gep_account_free(acc);
}

static void test_cells(void)
{
    /* One indicator in two counties (1e6 and 3e6 m³ -> 2 and 6 million yuan), independent
     * survey errors of 10% per county: Eq. 3.2 gives 10·sqrt(2^2 + 6^2)/8 = 7.906%; the one
     * price (±20%) multiplies the sum: Eq. 3.1 gives sqrt(7.906^2 + 20^2) = 21.506%. */
    epv_gep_account *acc = make_account();
    EPV_ASSERT_OK(ctx, epv_gep_account_set_quantity(ctx, acc, "a", "forest", "water_conservation", 2020, 1e6, EPV_UNIT_M3));
    EPV_ASSERT_OK(ctx, epv_gep_account_set_quantity(ctx, acc, "b", "forest", "water_conservation", 2020, 3e6, EPV_UNIT_M3));
    value(acc);
    epv_gep_unc *u = table1("water_conservation", 10, EPV_GEP_UNC_INDEPENDENT, 20, EPV_GEP_UNC_FULL);
    epv_unc_interval r[EPV_GEP_UNC_NTOTALS];
    EPV_ASSERT_OK(ctx, run1(acc, u, "city", EPV_GEP_CONSTANT, r));
    double uq = 10 * sqrt(4.0 + 36.0) / 8;
    EPV_ASSERT_CLOSE(uq, 7.905694, 1e-6);
    EPV_ASSERT_CLOSE(r[EPV_GEP_UNC_GEP].u_upper_pct, sqrt(uq * uq + 400), 1e-9);
    EPV_ASSERT_CLOSE(r[EPV_GEP_UNC_GEP].u_upper_pct, 21.50581, 1e-6);
    epv_gep_unc_free(u);
    epv_gep_account_free(acc);
}

/* Two equal cells (forest and cropland, 2 million yuan each) whose price is ±20%. */
static epv_gep_account *two_cells(void)
{
    epv_gep_account *acc = make_account();
    EPV_ASSERT_OK(ctx, epv_gep_account_set_quantity(ctx, acc, "a", "forest", "water_conservation", 2020, 1e6, EPV_UNIT_M3));
    EPV_ASSERT_OK(ctx, epv_gep_account_set_quantity(ctx, acc, "a", "cropland", "water_conservation", 2020, 1e6, EPV_UNIT_M3));
    value(acc);
    return acc;
}

static void test_correlated_price(void)
{
    /* Theory: with correlation rho between the two cells, var(sum) = 2 sd^2 (1 + rho), so a
     * fully correlated price keeps U = 20% on the sum while independent prices give
     * 20/sqrt(2) = 14.142% (Eq. 3.2, which assumes independence): the interval widens by
     * sqrt(2). Monte Carlo must show the same ratio of standard deviations. */
    epv_gep_account *acc = two_cells();
    epv_gep_unc *full = table1("water_conservation", 0, EPV_GEP_UNC_INDEPENDENT, 20, EPV_GEP_UNC_FULL);
    epv_gep_unc *ind = table1("water_conservation", 0, EPV_GEP_UNC_INDEPENDENT, 20, EPV_GEP_UNC_INDEPENDENT);
    epv_unc_interval rf[EPV_GEP_UNC_NTOTALS], ri[EPV_GEP_UNC_NTOTALS];
    EPV_ASSERT_OK(ctx, run1(acc, full, "a", EPV_GEP_CURRENT, rf));
    EPV_ASSERT_OK(ctx, run1(acc, ind, "a", EPV_GEP_CURRENT, ri));
    EPV_ASSERT_CLOSE(rf[0].u_upper_pct, 20.0, 1e-12);
    EPV_ASSERT_CLOSE(ri[0].u_upper_pct, 20.0 / sqrt(2.0), 1e-12);

    enum { N = 4000 };
    static double df[N], di[N];
    epv_unc_interval mf[EPV_GEP_UNC_NTOTALS], mi[EPV_GEP_UNC_NTOTALS];
    EPV_ASSERT_OK(ctx, run2(acc, full, "a", N, mf, df));
    EPV_ASSERT_OK(ctx, run2(acc, ind, "a", N, mi, di));
    /* sd of a sample sd is about sd/sqrt(2n) = 1.1% at n = 4000; the ratio within 5%. */
    EPV_ASSERT_CLOSE(sd_of(df, N) / sd_of(di, N), sqrt(2.0), 0.05);
    EPV_ASSERT_CLOSE(sd_of(df, N) * 1.959964 / mf[0].estimate * 100, 20.0, 0.05);
    CU_ASSERT_EQUAL(mf[0].draws, N);
    CU_ASSERT_EQUAL(mf[0].method, EPV_UNC_APPROACH2);
    epv_gep_unc_free(full);
    epv_gep_unc_free(ind);
    epv_gep_account_free(acc);
}

static void test_mc_converges(void)
{
    /* Linear case (quantities only, normal, independent): the total is exactly normal, so
     * Monte Carlo's mean, sd and 2.5/97.5 percentiles converge to Approach 1's value and
     * U% (9.428%, Eq. 3.2 as in test_sum). Sampling errors at n = 4000: mean about
     * sd/sqrt(n) = 0.08% of the value; sd 1.1%; each percentile about 0.04 sd. */
    epv_gep_account *acc = make_account();
    EPV_ASSERT_OK(ctx, epv_gep_account_set_quantity(ctx, acc, "a", "forest", "water_conservation", 2020, 50e6, EPV_UNIT_M3));
    EPV_ASSERT_OK(ctx, epv_gep_account_set_quantity(ctx, acc, "b", "cropland", "air_so2", 2020, 50000, EPV_UNIT_T));
    value(acc);
    epv_gep_unc *u = table1("water_conservation", 10, EPV_GEP_UNC_INDEPENDENT, 0, EPV_GEP_UNC_FULL);
    epv_gep_unc_input s = row("air_so2", 20, EPV_GEP_UNC_INDEPENDENT, 0, EPV_GEP_UNC_FULL);
    EPV_ASSERT_OK(ctx, epv_gep_unc_set(ctx, u, &s));
    epv_unc_interval a1[EPV_GEP_UNC_NTOTALS];
    epv_unc_interval a2[EPV_GEP_UNC_NTOTALS];
    enum { N = 4000 };
    static double d[N];
    EPV_ASSERT_OK(ctx, run1(acc, u, "city", EPV_GEP_CURRENT, a1));
    EPV_ASSERT_OK(ctx, run2(acc, u, "city", N, a2, d));
    double v = a1[0].estimate, sd1 = v * a1[0].u_upper_pct / 100 / 1.959964;
    EPV_ASSERT_CLOSE(a1[0].u_upper_pct, 9.428090, 1e-6);
    CU_ASSERT_EQUAL(a2[0].draws, 4000);
    EPV_ASSERT_NEAR(a2[0].estimate, v, 4 * sd1 / sqrt(4000.0));
    EPV_ASSERT_CLOSE(sd_of(d, N), sd1, 0.05);
    EPV_ASSERT_NEAR(a2[0].lower, v - 1.959964 * sd1, 0.2 * sd1);
    EPV_ASSERT_NEAR(a2[0].upper, v + 1.959964 * sd1, 0.2 * sd1);
    /* The subtotals too (regulating holds both services, provisioning nothing). */
    CU_ASSERT(a2[EPV_GEP_UNC_REGULATING].lower == a2[0].lower && a2[EPV_GEP_UNC_REGULATING].upper == a2[0].upper);
    CU_ASSERT(a2[EPV_GEP_UNC_PROVISIONING].lower == 0 && a2[EPV_GEP_UNC_PROVISIONING].upper == 0);
    epv_gep_unc_free(u);
    epv_gep_account_free(acc);
}

static void test_threads(void)
{
    /* Same seed, 1 and 2 threads: bit-identical results, also for lognormal, uniform and
     * triangular factors, correlated and independent. */
    epv_gep_account *acc = make_account();
    EPV_ASSERT_OK(ctx, epv_gep_account_set_quantity(ctx, acc, "a", "forest", "water_conservation", 2020, 5e6, EPV_UNIT_M3));
    EPV_ASSERT_OK(ctx, epv_gep_account_set_quantity(ctx, acc, "b", "forest", "water_conservation", 2020, 3e6, EPV_UNIT_M3));
    EPV_ASSERT_OK(ctx, epv_gep_account_set_quantity(ctx, acc, "b", "cropland", "air_so2", 2020, 900, EPV_UNIT_T));
    value(acc);
    epv_gep_unc *u = table1("water_conservation", 15, EPV_GEP_UNC_INDEPENDENT, 30, EPV_GEP_UNC_FULL);
    epv_gep_unc_input s = row("air_so2", 25, EPV_GEP_UNC_FULL, 40, EPV_GEP_UNC_INDEPENDENT);
    s.quantity_shape = EPV_GEP_UNC_TRIANGULAR;
    s.price_shape = EPV_GEP_UNC_UNIFORM;
    EPV_ASSERT_OK(ctx, epv_gep_unc_set(ctx, u, &s));
    s = row("water_conservation", 15, EPV_GEP_UNC_INDEPENDENT, 30, EPV_GEP_UNC_FULL);
    s.price_shape = EPV_GEP_UNC_LOGNORMAL;
    EPV_ASSERT_OK(ctx, epv_gep_unc_set(ctx, u, &s));
    CU_ASSERT_EQUAL(epv_gep_unc_count(u), 2);
    epv_unc_interval r1[EPV_GEP_UNC_NTOTALS], r2[EPV_GEP_UNC_NTOTALS];
    EPV_ASSERT_OK(ctx, epv_ctx_set_seed(ctx, 12345));
    EPV_ASSERT_OK(ctx, epv_ctx_set_threads(ctx, 1));
    EPV_ASSERT_OK(ctx, run2(acc, u, "city", 3000, r1, NULL));
    EPV_ASSERT_OK(ctx, epv_ctx_set_threads(ctx, 2));
    EPV_ASSERT_OK(ctx, run2(acc, u, "city", 3000, r2, NULL));
    CU_ASSERT(memcmp(r1, r2, sizeof r1) == 0);
    CU_ASSERT(r1[0].upper > r1[0].lower);
    EPV_ASSERT_OK(ctx, epv_ctx_set_threads(ctx, 1));
    epv_gep_unc_free(u);
    epv_gep_account_free(acc);
}

static void test_file(void)
{
    /* The example's table loads; every entry has a source. */
    epv_gep_unc *u = NULL;
    EPV_ASSERT_OK(ctx, epv_gep_unc_load_file(ctx, tree, epv_test_path("data/examples/bazhong_gep_unc.xml"), &u));
    CU_ASSERT(epv_gep_unc_count(u) >= 10);
    epv_gep_unc_input r = EPV_GEP_UNC_INPUT_INIT;
    EPV_ASSERT_OK(ctx, epv_gep_unc_find(ctx, u, "water_conservation", &r));
    CU_ASSERT_EQUAL(r.price_corr, EPV_GEP_UNC_FULL);
    CU_ASSERT(r.source[0] != '\0');
    epv_gep_unc_free(u);

    const char *good = "<gepUncertainty><uncertainty indicator='air_so2' quantityPct='12.5' "
                       "pricePct='30' priceShape='lognormal' quantityCorrelation='full' source='illus'/></gepUncertainty>";
    EPV_ASSERT_OK(ctx, epv_gep_unc_load_memory(ctx, tree, good, strlen(good), "good.xml", &u));
    EPV_ASSERT_OK(ctx, epv_gep_unc_find(ctx, u, "air_so2", &r));
    EPV_ASSERT_CLOSE(r.quantity_pct, 12.5, 0);
    CU_ASSERT_EQUAL(r.quantity_shape, EPV_GEP_UNC_NORMAL);
    CU_ASSERT_EQUAL(r.quantity_corr, EPV_GEP_UNC_FULL);
    CU_ASSERT_EQUAL(r.price_shape, EPV_GEP_UNC_LOGNORMAL);
    CU_ASSERT_EQUAL(r.price_corr, EPV_GEP_UNC_FULL);
    epv_gep_unc_free(u);
}

static void test_bad_input(void)
{
    epv_gep_unc *u = NULL;
    EPV_ASSERT_OK(ctx, epv_gep_unc_new(ctx, tree, &u));
    /* non-positive standard deviation (U% 0 or negative with a distribution) */
    epv_gep_unc_input r = row("water_conservation", 10, 0, 20, 1);
    r.quantity_pct = 0;
    EPV_ASSERT_STATUS(ctx, epv_gep_unc_set(ctx, u, &r), EPV_ERANGE);
    EPV_ASSERT_ERRMSG_HAS(ctx, "quantity_pct");
    EPV_ASSERT_ERRMSG_HAS(ctx, "water_conservation");
    r = row("water_conservation", 10, 0, 20, 1);
    r.price_pct = -3;
    EPV_ASSERT_STATUS(ctx, epv_gep_unc_set(ctx, u, &r), EPV_ERANGE);
    EPV_ASSERT_ERRMSG_HAS(ctx, "price_pct");
    r.price_pct = NAN;
    EPV_ASSERT_STATUS(ctx, epv_gep_unc_set(ctx, u, &r), EPV_ERANGE);
    EPV_ASSERT_ERRMSG_HAS(ctx, "price_pct");
    /* unknown indicator, group indicator, missing source */
    r = row("no_such_service", 10, 0, 20, 1);
    EPV_ASSERT_STATUS(ctx, epv_gep_unc_set(ctx, u, &r), EPV_ENOTFOUND);
    EPV_ASSERT_ERRMSG_HAS(ctx, "no_such_service");
    r = row("regulating", 10, 0, 20, 1);
    EPV_ASSERT_STATUS(ctx, epv_gep_unc_set(ctx, u, &r), EPV_EINVAL);
    EPV_ASSERT_ERRMSG_HAS(ctx, "regulating");
    r = row("water_conservation", 10, 0, 20, 1);
    r.source[0] = '\0';
    EPV_ASSERT_STATUS(ctx, epv_gep_unc_set(ctx, u, &r), EPV_EINVAL);
    EPV_ASSERT_ERRMSG_HAS(ctx, "source");
    CU_ASSERT_EQUAL(epv_gep_unc_count(u), 0); /* nothing changed */

    /* A valued indicator without an entry is named. */
    epv_gep_account *acc = two_cells();
    epv_unc_interval a1[EPV_GEP_UNC_NTOTALS];
    epv_unc_interval a2[EPV_GEP_UNC_NTOTALS];
    EPV_ASSERT_STATUS(ctx, run1(acc, u, "a", EPV_GEP_CURRENT, a1), EPV_ENOTFOUND);
    EPV_ASSERT_ERRMSG_HAS(ctx, "water_conservation");
    EPV_ASSERT_STATUS(ctx, run1(acc, u, "nowhere", EPV_GEP_CURRENT, a1), EPV_ENOTFOUND);
    EPV_ASSERT_ERRMSG_HAS(ctx, "nowhere");
    r = row("water_conservation", 10, 0, 20, 1);
    EPV_ASSERT_OK(ctx, epv_gep_unc_set(ctx, u, &r));

    /* fewer than two iterations, percentiles outside (0, 100), version 0, NULLs */
    epv_gep_unc_options o = EPV_GEP_UNC_OPTIONS_INIT;
    o.region = "a";
    o.year = 2020;
    o.iterations = 1;
    for (int k = 0; k < EPV_GEP_UNC_NTOTALS; k++) a2[k] = (epv_unc_interval)EPV_UNC_INTERVAL_INIT;
    EPV_ASSERT_STATUS(ctx, epv_gep_unc_approach2(ctx, acc, u, &o, a2), EPV_EINVAL);
    EPV_ASSERT_ERRMSG_HAS(ctx, "iterations");
    o.iterations = 100;
    o.lower_pct = 0;
    EPV_ASSERT_STATUS(ctx, epv_gep_unc_approach2(ctx, acc, u, &o, a2), EPV_ERANGE);
    EPV_ASSERT_ERRMSG_HAS(ctx, "lower_pct");
    o.lower_pct = 2.5;
    o.upper_pct = 100;
    EPV_ASSERT_STATUS(ctx, epv_gep_unc_approach2(ctx, acc, u, &o, a2), EPV_ERANGE);
    EPV_ASSERT_ERRMSG_HAS(ctx, "upper_pct");
    epv_gep_unc_options zero;
    memset(&zero, 0, sizeof zero);
    EPV_ASSERT_STATUS(ctx, epv_gep_unc_approach1(ctx, acc, u, &zero, a2), EPV_EVERSION);
    EPV_ASSERT_ERRMSG_HAS(ctx, "epv_gep_unc_options");
    EPV_ASSERT_STATUS(ctx, epv_gep_unc_approach1(ctx, acc, u, &o, NULL), EPV_EINVAL);
    EPV_ASSERT_ERRMSG_HAS(ctx, "out");
    EPV_ASSERT_STATUS(ctx, epv_gep_unc_approach1(ctx, NULL, u, &o, a2), EPV_EINVAL);
    EPV_ASSERT_ERRMSG_HAS(ctx, "acc");
    /* a uniform price factor reaching below zero (U 96% -> half-width 101%) names the input */
    r.price_shape = EPV_GEP_UNC_UNIFORM;
    r.price_pct = 96;
    EPV_ASSERT_OK(ctx, epv_gep_unc_set(ctx, u, &r));
    o.upper_pct = 97.5;
    EPV_ASSERT_STATUS(ctx, epv_gep_unc_approach2(ctx, acc, u, &o, a2), EPV_ERANGE);
    EPV_ASSERT_ERRMSG_HAS(ctx, "water_conservation.price");
    epv_gep_unc_free(u);

    /* Not valued. */
    epv_gep_account *raw = make_account();
    u = table1("water_conservation", 10, 0, 20, 1);
    EPV_ASSERT_STATUS(ctx, run1(raw, u, "a", EPV_GEP_CURRENT, a1), EPV_ESTATE);
    epv_gep_unc_free(u);
    epv_gep_account_free(raw);
    epv_gep_account_free(acc);

    /* Files: errors name file, line and attribute; nothing is left behind. */
    const char *neg = "<gepUncertainty>\n<uncertainty indicator='air_so2' quantityPct='-5' source='illus'/>\n</gepUncertainty>";
    u = (epv_gep_unc *)1;
    EPV_ASSERT_STATUS(ctx, epv_gep_unc_load_memory(ctx, tree, neg, strlen(neg), "neg.xml", &u), EPV_ERANGE);
    EPV_ASSERT_ERRMSG_HAS(ctx, "neg.xml:2");
    EPV_ASSERT_ERRMSG_HAS(ctx, "quantity_pct");
    CU_ASSERT_PTR_NULL(u);
    const char *unk = "<gepUncertainty>\n<uncertainty indicator='air_so2' pricePct='5' source='illus'/>\n"
                      "<uncertainty indicator='unicorns' pricePct='5' source='illus'/></gepUncertainty>";
    EPV_ASSERT_STATUS(ctx, epv_gep_unc_load_memory(ctx, tree, unk, strlen(unk), "unk.xml", &u), EPV_ENOTFOUND);
    EPV_ASSERT_ERRMSG_HAS(ctx, "unk.xml:3");
    EPV_ASSERT_ERRMSG_HAS(ctx, "unicorns");
    const char *num = "<gepUncertainty><uncertainty indicator='air_so2' pricePct='5x' source='illus'/></gepUncertainty>";
    EPV_ASSERT_STATUS(ctx, epv_gep_unc_load_memory(ctx, tree, num, strlen(num), "num.xml", &u), EPV_EPARSE);
    EPV_ASSERT_ERRMSG_HAS(ctx, "pricePct");
    const char *nosrc = "<gepUncertainty><uncertainty indicator='air_so2' pricePct='5'/></gepUncertainty>";
    CU_ASSERT(epv_gep_unc_load_memory(ctx, tree, nosrc, strlen(nosrc), "nosrc.xml", &u) < 0);
    EPV_ASSERT_ERRMSG_HAS(ctx, "source");
    CU_ASSERT_PTR_NULL(u);
}

static int stop_now(double fraction, const char *message, void *payload)
{
    (void)fraction;
    (void)message;
    ++*(int *)payload;
    return 1;
}

static void test_progress_and_histogram(void)
{
    /* A progress callback that asks to stop: ECANCELLED, the caller's intervals untouched. */
    epv_gep_account *acc = two_cells();
    epv_gep_unc *u = table1("water_conservation", 10, EPV_GEP_UNC_INDEPENDENT, 20, EPV_GEP_UNC_FULL);
    int calls = 0;
    epv_unc_interval r[EPV_GEP_UNC_NTOTALS];
    static double d[500];
    EPV_ASSERT_OK(ctx, epv_ctx_set_progress(ctx, stop_now, &calls));
    CU_ASSERT_EQUAL(run2(acc, u, "a", 500, r, d), EPV_ECANCELLED);
    CU_ASSERT(calls >= 1);
    CU_ASSERT_EQUAL(r[0].estimate, 0.0);
    EPV_ASSERT_OK(ctx, epv_ctx_set_progress(ctx, NULL, NULL));
    /* the draws come back and the separate writer turns them into an SVG */
    EPV_ASSERT_OK(ctx, run2(acc, u, "a", 500, r, d));
    double m = 0;
    for (int i = 0; i < 500; i++) m += d[i] / 500;
    EPV_ASSERT_CLOSE(m, r[0].estimate, 1e-9); /* the estimate is the mean of the draws */
    char path[] = "/tmp/epv_gep_hist_XXXXXX";
    int fd = mkstemp(path);
    CU_ASSERT(fd >= 0);
    if (fd >= 0) close(fd);
    EPV_ASSERT_OK(ctx, epv_gep_unc_write_histogram_svg(ctx, d, 500, 20, "GEP <a> & b", "yuan", 1.0, path));
    FILE *f = fopen(path, "r");
    char buf[4096] = { 0 };
    if (f) {
        CU_ASSERT(fread(buf, 1, sizeof buf - 1, f) > 0);
        fclose(f);
    }
    CU_ASSERT(strstr(buf, "<svg") != NULL);
    CU_ASSERT(strstr(buf, "GEP &lt;a&gt; &amp; b") != NULL);
    remove(path);
    EPV_ASSERT_STATUS(ctx, epv_gep_unc_write_histogram_svg(ctx, d, 1, 20, NULL, NULL, 1.0, path), EPV_EINVAL);
    EPV_ASSERT_ERRMSG_HAS(ctx, "at least 2");
    epv_gep_unc_free(u);
    epv_gep_account_free(acc);
}

static void test_zz_teardown(void)
{
    epv_gep_tree_free(tree);
    epv_ctx_free(ctx);
}

int main(void)
{
    if (epv_ctx_new(&ctx) || epv_gep_tree_load_default(ctx, &tree)) return 2;
    epv_ctx_set_threads(ctx, 1);
    CU_TestInfo tests[] = {
        { "Approach 1: product (Eq. 3.1)", test_product },
        { "Approach 1: sum and difference (Eq. 3.2)", test_sum },
        { "Approach 1: cells and a shared price", test_cells },
        { "fully correlated price widens the interval", test_correlated_price },
        { "Approach 2 converges to Approach 1", test_mc_converges },
        { "1 and 2 threads", test_threads },
        { "uncertainty tables from files", test_file },
        { "bad input", test_bad_input },
        { "progress, cancelling, histogram writer", test_progress_and_histogram },
        { "teardown", test_zz_teardown },
        CU_TEST_INFO_NULL,
    };
    return epv_test_main("gep_unc", tests);
}
