/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Uncertainty: Approach 1 propagation, t values, sampling design, deductions.
 * The Monte Carlo tests are in test_uncertainty_mc.c; this file holds main(). */
#include "test_util.h"
#include "test_uncertainty_int.h"
#include "epv.h"
#include "epv/uncertainty.h"

epv_ctx *utest_ctx;
#define ctx utest_ctx

/* ---- Approach 1 --------------------------------------------------------------------------- */

static void test_product(void)
{
    /* IPCC 2006 Vol. 1 ch. 3 Eq. 3.1, U = sqrt(U1^2 + U2^2 + U3^2): 10%, 20%, 30% give
     * sqrt(1400) = 37.42% (hand check listed in shared/references.md, section 1). */
    double u[3] = { 10, 20, 30 }, out;
    EPV_ASSERT_OK(ctx, epv_unc_product(ctx, u, 3, &out));
    EPV_ASSERT_CLOSE(out, 37.41657, 1e-6);
    /* The Guidelines' usual pairing, activity data x emission factor: 5% and 7% -> 8.60%
     * (sqrt(74) = 8.602, same equation). */
    double ae[2] = { 5, 7 };
    EPV_ASSERT_OK(ctx, epv_unc_product(ctx, ae, 2, &out));
    EPV_ASSERT_CLOSE(out, 8.602325, 1e-6);
}

static void test_sum(void)
{
    /* IPCC 2006 Vol. 1 ch. 3 Eq. 3.2: 100 (±10%) + 50 (±20%) ->
     * sqrt(10^2 + 10^2) / 150 = 9.43% (hand check in shared/references.md). */
    double x[2] = { 100, 50 }, u[2] = { 10, 20 }, out;
    EPV_ASSERT_OK(ctx, epv_unc_sum(ctx, x, u, 2, &out));
    EPV_ASSERT_CLOSE(out, 9.428090, 1e-6);
    /* A difference (removals minus emissions) uses the same equation with a negative term:
     * 100 (±10%) - 50 (±20%) -> sqrt(200) / 50 = 28.28%. */
    double d[2] = { 100, -50 };
    EPV_ASSERT_OK(ctx, epv_unc_sum(ctx, d, u, 2, &out));
    EPV_ASSERT_CLOSE(out, 28.28427, 1e-6);
}

static void test_asym(void)
{
    /* Separate bounds: lower (10, 20) and upper (30, 40) percent of a product give
     * sqrt(500) = 22.36 and sqrt(2500) = 50 (Eq. 3.1 on each side). */
    double lo[2] = { 10, 20 }, hi[2] = { 30, 40 }, ol, oh;
    EPV_ASSERT_OK(ctx, epv_unc_product_asym(ctx, lo, hi, 2, &ol, &oh));
    EPV_ASSERT_CLOSE(ol, 22.36068, 1e-6);
    EPV_ASSERT_CLOSE(oh, 50.0, 1e-12);
    double x[2] = { 100, 50 };
    EPV_ASSERT_OK(ctx, epv_unc_sum_asym(ctx, x, lo, hi, 2, &ol, &oh));
    EPV_ASSERT_CLOSE(ol, sqrt(1000.0 * 1000 + 1000.0 * 1000) / 150, 1e-9); /* 9.43 */
    EPV_ASSERT_CLOSE(oh, sqrt(3000.0 * 3000 + 2000.0 * 2000) / 150, 1e-9); /* 24.04 */
    double bad[2] = { 10, -1 };
    EPV_ASSERT_STATUS(ctx, epv_unc_product_asym(ctx, lo, bad, 2, &ol, &oh), EPV_ERANGE);
    EPV_ASSERT_ERRMSG_HAS(ctx, "upper");
    EPV_ASSERT_ERRMSG_HAS(ctx, "u_pct[1]");
}

static void test_from_sd(void)
{
    /* z for a two-sided 95% interval is 1.959964 (NIST/SEMATECH e-Handbook 1.3.6.7.1). */
    double u;
    EPV_ASSERT_OK(ctx, epv_unc_from_sd(ctx, 200, 10, 0.95, &u));
    EPV_ASSERT_CLOSE(u, 1.959964 * 10 / 200 * 100, 1e-6);
    EPV_ASSERT_STATUS(ctx, epv_unc_from_sd(ctx, 200, 0, 0.95, &u), EPV_ERANGE);
    EPV_ASSERT_ERRMSG_HAS(ctx, "sd");
    EPV_ASSERT_STATUS(ctx, epv_unc_from_sd(ctx, 200, -3, 0.95, &u), EPV_ERANGE);
    EPV_ASSERT_ERRMSG_HAS(ctx, "sd");
    EPV_ASSERT_STATUS(ctx, epv_unc_from_sd(ctx, 200, 3, 1.5, &u), EPV_ERANGE);
    EPV_ASSERT_ERRMSG_HAS(ctx, "confidence");
}

static void test_prop_errors(void)
{
    double u[2] = { 10, NAN }, x[2] = { 1, -1 }, out = -7;
    EPV_ASSERT_STATUS(ctx, epv_unc_product(ctx, u, 2, &out), EPV_ERANGE);
    EPV_ASSERT_ERRMSG_HAS(ctx, "u_pct[1]");
    double neg[1] = { -5 };
    EPV_ASSERT_STATUS(ctx, epv_unc_product(ctx, neg, 1, &out), EPV_ERANGE);
    EPV_ASSERT_ERRMSG_HAS(ctx, "u_pct[0]");
    EPV_ASSERT_STATUS(ctx, epv_unc_product(ctx, u, 0, &out), EPV_EINVAL);
    double ok[2] = { 10, 10 };
    EPV_ASSERT_STATUS(ctx, epv_unc_sum(ctx, x, ok, 2, &out), EPV_EDOMAIN);
    EPV_ASSERT_ERRMSG_HAS(ctx, "sum is 0");
    double inf[2] = { 1, INFINITY };
    EPV_ASSERT_STATUS(ctx, epv_unc_sum(ctx, inf, ok, 2, &out), EPV_ERANGE);
    EPV_ASSERT_ERRMSG_HAS(ctx, "values[1]");
    CU_ASSERT_EQUAL(out, -7); /* nothing written on error */
}

/* ---- t values and sampling ----------------------------------------------------------------- */

static void test_t_values(void)
{
    double t;
    /* Critical values of Student's t (NIST/SEMATECH e-Handbook of Statistical Methods,
     * section 1.3.6.7.2, upper-tail 0.05 and 0.025 columns): */
    EPV_ASSERT_OK(ctx, epv_sampling_t_value(ctx, 0.90, 10, &t));
    EPV_ASSERT_NEAR(t, 1.812, 5e-4);  /* nu = 10, 0.05 */
    EPV_ASSERT_OK(ctx, epv_sampling_t_value(ctx, 0.95, 30, &t));
    EPV_ASSERT_NEAR(t, 2.042, 5e-4);  /* nu = 30, 0.025 */
    EPV_ASSERT_OK(ctx, epv_sampling_t_value(ctx, 0.95, 19, &t));
    EPV_ASSERT_NEAR(t, 2.093, 5e-4);  /* nu = 19, 0.025 (Freese 1962's example uses it) */
    /* infinite dof: the normal values 1.645 (90%) and 1.960 (95%) (same table, row "inf") */
    EPV_ASSERT_OK(ctx, epv_sampling_t_value(ctx, 0.90, 0, &t));
    EPV_ASSERT_NEAR(t, 1.645, 5e-4);
    EPV_ASSERT_OK(ctx, epv_sampling_t_value(ctx, 0.95, 0, &t));
    EPV_ASSERT_NEAR(t, 1.960, 5e-4);
    EPV_ASSERT_STATUS(ctx, epv_sampling_t_value(ctx, 0, 10, &t), EPV_ERANGE);
    EPV_ASSERT_ERRMSG_HAS(ctx, "confidence");
}

/* Freese (1962) Elementary Forest Sampling, USDA Agriculture Handbook 232, simple random
 * sampling example: N = 100 units, n = 20 drawn without replacement; mean 10.7,
 * s^2 = 13.4842, standard error of the mean with the finite-population correction 0.734,
 * standard error of the total 73.4. A single stratum of weight 1 is that case. */
static const double freese[20] = { 10, 9, 10, 9, 11, 16, 11, 7, 12, 12,
                                   11, 3, 5, 11, 14, 8, 13, 12, 20, 10 };

static void test_stratified_freese(void)
{
    double w[1] = { 1 }, N[1] = { 100 };
    size_t counts[1] = { 20 };
    epv_sampling_estimate e = EPV_SAMPLING_ESTIMATE_INIT;
    EPV_ASSERT_OK(ctx, epv_sampling_stratified(ctx, w, freese, counts, 1, N, 0.95, 0, &e));
    EPV_ASSERT_CLOSE(e.mean, 10.7, 1e-12);
    EPV_ASSERT_NEAR(e.se, 0.734, 5e-4);
    EPV_ASSERT_NEAR(100 * e.se, 73.4, 0.05);
    CU_ASSERT_EQUAL(e.n, 20);
    CU_ASSERT_EQUAL(e.dof, 19);
    EPV_ASSERT_NEAR(e.t, 2.093, 5e-4);
    EPV_ASSERT_CLOSE(e.precision_pct, e.t * e.se / 10.7 * 100, 1e-12);
    /* Without the correction the standard error is s / sqrt(n) = sqrt(13.4842 / 20). */
    EPV_ASSERT_OK(ctx, epv_sampling_stratified(ctx, w, freese, counts, 1, NULL, 0.95, 0, &e));
    EPV_ASSERT_CLOSE(e.se, sqrt(13.4842 / 20), 1e-5);
}

static void test_stratified_two(void)
{
    /* Two strata = the Freese sample split in halves; the stratified mean is sum w_h ybar_h
     * and the variance sum w_h^2 s_h^2 / n_h (Cochran 1977, eq. 5.1 and 5.6 without fpc). */
    double w[2] = { 0.3, 0.7 };
    size_t counts[2] = { 10, 10 };
    epv_sampling_estimate e = EPV_SAMPLING_ESTIMATE_INIT;
    EPV_ASSERT_OK(ctx, epv_sampling_stratified(ctx, w, freese, counts, 2, NULL, 0.90, 0, &e));
    double m1 = 0, m2 = 0, v1 = 0, v2 = 0;
    for (int i = 0; i < 10; i++) m1 += freese[i] / 10, m2 += freese[10 + i] / 10;
    for (int i = 0; i < 10; i++) {
        v1 += (freese[i] - m1) * (freese[i] - m1) / 9;
        v2 += (freese[10 + i] - m2) * (freese[10 + i] - m2) / 9;
    }
    EPV_ASSERT_CLOSE(e.mean, 0.3 * m1 + 0.7 * m2, 1e-12);
    EPV_ASSERT_CLOSE(e.se, sqrt(0.09 * v1 / 10 + 0.49 * v2 / 10), 1e-12);
    CU_ASSERT_EQUAL(e.dof, 18); /* n - M, AR-Tool14 */
}

static void test_plots_needed(void)
{
    epv_sampling_size sz = EPV_SAMPLING_SIZE_INIT;
    double t;
    EPV_ASSERT_OK(ctx, epv_sampling_t_value(ctx, 0.90, 0, &t));
    /* One stratum, large N: n = (t s / E)^2 (AR-Tool03; Freese 1962 "n = t^2 s^2 / E^2"). With
     * Freese's s^2 = 13.4842 and E = 10% of 10.7: */
    double w1[1] = { 1 }, s1[1] = { sqrt(13.4842) };
    double n0 = t * t * 13.4842 / (1.07 * 1.07);
    EPV_ASSERT_OK(ctx, epv_sampling_plots_needed(ctx, w1, s1, 1, 0, t, 1.07, &sz, NULL));
    EPV_ASSERT_CLOSE(sz.n_exact, n0, 1e-12);
    CU_ASSERT_EQUAL(sz.n, (epv_i64)ceil(n0));
    /* Finite N: the AR-Tool03 equation reduces, for one stratum, to Cochran's (1977, eq. 4.2)
     * n = n0 / (1 + n0 / N). */
    EPV_ASSERT_OK(ctx, epv_sampling_plots_needed(ctx, w1, s1, 1, 100, t, 1.07, &sz, NULL));
    EPV_ASSERT_CLOSE(sz.n_exact, n0 / (1 + n0 / 100), 1e-12);

    /* Three strata, Neyman allocation: n_h proportional to w_h s_h (Cochran 1977, eq. 5.26);
     * with those n_h the standard error sum w_h s_h / sqrt(n) makes t * se equal E exactly. */
    double w[3] = { 0.5, 0.3, 0.2 }, s[3] = { 20, 40, 10 }, E = 5;
    epv_i64 nh[3];
    EPV_ASSERT_OK(ctx, epv_sampling_plots_needed(ctx, w, s, 3, 0, t, E, &sz, nh));
    double sws = 0.5 * 20 + 0.3 * 40 + 0.2 * 10;
    EPV_ASSERT_CLOSE(sz.n_exact, (t * sws / E) * (t * sws / E), 1e-12);
    double alloc[3], var = 0;
    EPV_ASSERT_OK(ctx, epv_sampling_neyman(ctx, w, s, 3, sz.n_exact, alloc));
    for (int h = 0; h < 3; h++) {
        var += w[h] * w[h] * s[h] * s[h] / alloc[h];
        CU_ASSERT_EQUAL(nh[h], (epv_i64)ceil(alloc[h]));
    }
    EPV_ASSERT_CLOSE(t * sqrt(var), E, 1e-9);
    /* finite population needs fewer plots */
    epv_sampling_size fin = EPV_SAMPLING_SIZE_INIT;
    EPV_ASSERT_OK(ctx, epv_sampling_plots_needed(ctx, w, s, 3, 500, t, E, &fin, NULL));
    CU_ASSERT(fin.n_exact < sz.n_exact);
}

static void test_sampling_errors(void)
{
    double w[2] = { 0.5, 0.4 }, s[2] = { 1, 2 }, t = 1.645;
    epv_sampling_size sz = EPV_SAMPLING_SIZE_INIT;
    EPV_ASSERT_STATUS(ctx, epv_sampling_plots_needed(ctx, w, s, 2, 0, t, 1, &sz, NULL), EPV_ERANGE);
    EPV_ASSERT_ERRMSG_HAS(ctx, "sum to");
    double w2[2] = { 0.5, 0.5 }, s0[2] = { 1, 0 };
    EPV_ASSERT_STATUS(ctx, epv_sampling_plots_needed(ctx, w2, s0, 2, 0, t, 1, &sz, NULL), EPV_ERANGE);
    EPV_ASSERT_ERRMSG_HAS(ctx, "s[1]");
    double sneg[2] = { -1, 1 };
    EPV_ASSERT_STATUS(ctx, epv_sampling_plots_needed(ctx, w2, sneg, 2, 0, t, 1, &sz, NULL), EPV_ERANGE);
    EPV_ASSERT_ERRMSG_HAS(ctx, "s[0]");
    EPV_ASSERT_STATUS(ctx, epv_sampling_plots_needed(ctx, w2, s, 2, 0, t, 0, &sz, NULL), EPV_ERANGE);
    EPV_ASSERT_ERRMSG_HAS(ctx, "E:");
    EPV_ASSERT_STATUS(ctx, epv_sampling_plots_needed(ctx, w2, s, 2, -3, t, 1, &sz, NULL), EPV_ERANGE);
    EPV_ASSERT_ERRMSG_HAS(ctx, "N:");
    size_t counts[2] = { 10, 1 };
    epv_sampling_estimate e = EPV_SAMPLING_ESTIMATE_INIT;
    EPV_ASSERT_STATUS(ctx, epv_sampling_stratified(ctx, w2, freese, counts, 2, NULL, 0.9, 0, &e), EPV_ERANGE);
    EPV_ASSERT_ERRMSG_HAS(ctx, "counts[1]");
    size_t c2[2] = { 10, 10 };
    double Nh[2] = { 100, 5 };
    EPV_ASSERT_STATUS(ctx, epv_sampling_stratified(ctx, w2, freese, c2, 2, Nh, 0.9, 0, &e), EPV_ERANGE);
    EPV_ASSERT_ERRMSG_HAS(ctx, "N_h[1]");
    EPV_ASSERT_STATUS(ctx, epv_sampling_stratified(ctx, w2, freese, c2, 2, NULL, 90, 0, &e), EPV_ERANGE);
    EPV_ASSERT_ERRMSG_HAS(ctx, "confidence");
    double nh[2];
    EPV_ASSERT_STATUS(ctx, epv_sampling_neyman(ctx, w2, s, 2, 0, nh), EPV_ERANGE);
    EPV_ASSERT_ERRMSG_HAS(ctx, "n:");
}

static void test_deductions(void)
{
    /* Default table: PROVISIONAL (shared/references.md quotes it second-hand). The test checks
     * the table lookup rule, not the values' authority. */
    const double *upper = NULL, *ded = NULL;
    const char *source = NULL;
    int provisional = 0;
    size_t n;
    epv_sampling_default_deductions(&upper, &ded, &n, &source, &provisional);
    CU_ASSERT_EQUAL(n, 3);
    /* The table is marked provisional, and says so in its source. */
    CU_ASSERT_EQUAL(provisional, 1);
    CU_ASSERT_PTR_NOT_NULL_FATAL(source);
    CU_ASSERT_PTR_NOT_NULL(strstr(source, "PROVISIONAL"));
    EPV_ASSERT_NEAR(upper[2], 30, 0);
    EPV_ASSERT_NEAR(ded[1], 6, 0);
    double d;
    EPV_ASSERT_OK(ctx, epv_sampling_deduction(ctx, NULL, NULL, 0, 8.5, &d));
    EPV_ASSERT_NEAR(d, 0, 0);
    EPV_ASSERT_OK(ctx, epv_sampling_deduction(ctx, NULL, NULL, 0, 10.0, &d));
    EPV_ASSERT_NEAR(d, 0, 0);
    EPV_ASSERT_OK(ctx, epv_sampling_deduction(ctx, NULL, NULL, 0, 15, &d));
    EPV_ASSERT_NEAR(d, 6, 0);
    EPV_ASSERT_OK(ctx, epv_sampling_deduction(ctx, NULL, NULL, 0, 29.9, &d));
    EPV_ASSERT_NEAR(d, 11, 0);
    EPV_ASSERT_STATUS(ctx, epv_sampling_deduction(ctx, NULL, NULL, 0, 31, &d), EPV_ERANGE);
    EPV_ASSERT_ERRMSG_HAS(ctx, "more sample plots");
    double mu[2] = { 15, 40 }, md[2] = { 0, 25 };
    EPV_ASSERT_OK(ctx, epv_sampling_deduction(ctx, mu, md, 2, 15, &d));
    EPV_ASSERT_NEAR(d, 0, 0);
    EPV_ASSERT_OK(ctx, epv_sampling_deduction(ctx, mu, md, 2, 39, &d));
    EPV_ASSERT_NEAR(d, 25, 0);
    double bu[2] = { 15, 10 }, bd[2] = { 0, 25 };
    EPV_ASSERT_STATUS(ctx, epv_sampling_deduction(ctx, bu, bd, 2, 5, &d), EPV_ERANGE);
    EPV_ASSERT_ERRMSG_HAS(ctx, "upper_pct[1]");
    double b2u[1] = { 15 }, b2d[1] = { 120 };
    EPV_ASSERT_STATUS(ctx, epv_sampling_deduction(ctx, b2u, b2d, 1, 5, &d), EPV_ERANGE);
    EPV_ASSERT_ERRMSG_HAS(ctx, "deduction_pct");
    EPV_ASSERT_STATUS(ctx, epv_sampling_deduction(ctx, mu, NULL, 2, 5, &d), EPV_EINVAL);
    EPV_ASSERT_STATUS(ctx, epv_sampling_deduction(ctx, NULL, NULL, 0, -1, &d), EPV_ERANGE);
    EPV_ASSERT_ERRMSG_HAS(ctx, "u_pct");
}

/* The Freese (1962) sample again, from its sufficient statistics: n = 20, Σx = 214,
 * Σx² = 2546 (so s² = (2546 − 214²/20)/19 = 13.4842, Freese's figure). The estimate must equal
 * the one from the plot values, and reproduce Freese's standard error 0.734. */
static void test_stratified_sums(void)
{
    double w[1] = { 1 }, N[1] = { 100 };
    size_t counts[1] = { 20 };
    double sx = 0, sx2 = 0;
    for (int i = 0; i < 20; i++) sx += freese[i], sx2 += freese[i] * freese[i];
    EPV_ASSERT_NEAR(sx, 214, 0);
    EPV_ASSERT_NEAR(sx2, 2546, 0);
    epv_i64 n[1] = { 20 };
    epv_sampling_estimate a = EPV_SAMPLING_ESTIMATE_INIT, b = EPV_SAMPLING_ESTIMATE_INIT;
    EPV_ASSERT_OK(ctx, epv_sampling_stratified(ctx, w, freese, counts, 1, N, 0.95, 0, &a));
    EPV_ASSERT_OK(ctx, epv_sampling_stratified_sums(ctx, w, n, &sx, &sx2, 1, N, 0.95, 0, &b));
    EPV_ASSERT_CLOSE(b.mean, 10.7, 1e-12);
    EPV_ASSERT_NEAR(b.se, 0.734, 5e-4);
    EPV_ASSERT_CLOSE(b.se, a.se, 1e-12);
    EPV_ASSERT_CLOSE(b.t, a.t, 1e-15);
    CU_ASSERT_EQUAL(b.n, 20);
    /* Two strata from sums = two strata from values (Cochran eq. 5.1, 5.6). */
    double w2[2] = { 0.3, 0.7 }, s2x[2] = { 0, 0 }, s2x2[2] = { 0, 0 };
    size_t c2[2] = { 10, 10 };
    epv_i64 n2[2] = { 10, 10 };
    for (int i = 0; i < 20; i++) s2x[i / 10] += freese[i], s2x2[i / 10] += freese[i] * freese[i];
    EPV_ASSERT_OK(ctx, epv_sampling_stratified(ctx, w2, freese, c2, 2, NULL, 0.90, 0, &a));
    EPV_ASSERT_OK(ctx, epv_sampling_stratified_sums(ctx, w2, n2, s2x, s2x2, 2, NULL, 0.90, 0, &b));
    EPV_ASSERT_CLOSE(b.mean, a.mean, 1e-12);
    EPV_ASSERT_CLOSE(b.se, a.se, 1e-12);
    EPV_ASSERT_CLOSE(b.precision_pct, a.precision_pct, 1e-12);
    /* A t value given by the caller (e.g. a methodology's fixed 1.645) replaces the computed
     * one: the half-width is t·se. */
    EPV_ASSERT_OK(ctx, epv_sampling_stratified_sums(ctx, w2, n2, s2x, s2x2, 2, NULL, 0.90, 1.645, &b));
    EPV_ASSERT_NEAR(b.t, 1.645, 0);
    EPV_ASSERT_CLOSE(b.half_width, 1.645 * a.se, 1e-12);
    EPV_ASSERT_OK(ctx, epv_sampling_stratified(ctx, w2, freese, c2, 2, NULL, 0.90, 2.0, &a));
    EPV_ASSERT_CLOSE(a.half_width, 2.0 * a.se, 1e-15);
    EPV_ASSERT_STATUS(ctx, epv_sampling_stratified(ctx, w2, freese, c2, 2, NULL, 0.90, -1, &a), EPV_ERANGE);
    EPV_ASSERT_ERRMSG_HAS(ctx, "t_value");
    /* Bad sums: fewer than two plots, Σx² too small for Σx, non-finite. */
    epv_i64 one[1] = { 1 };
    EPV_ASSERT_STATUS(ctx, epv_sampling_stratified_sums(ctx, w, one, &sx, &sx2, 1, NULL, 0.9, 0, &b), EPV_ERANGE);
    EPV_ASSERT_ERRMSG_HAS(ctx, "n[0]");
    double small = 2000;
    EPV_ASSERT_STATUS(ctx, epv_sampling_stratified_sums(ctx, w, n, &sx, &small, 1, NULL, 0.9, 0, &b), EPV_ERANGE);
    EPV_ASSERT_ERRMSG_HAS(ctx, "stratum 0");
    double inf = HUGE_VAL;
    EPV_ASSERT_STATUS(ctx, epv_sampling_stratified_sums(ctx, w, n, &inf, &sx2, 1, NULL, 0.9, 0, &b), EPV_ERANGE);
    /* Identical values: Σx² = (Σx)²/n exactly up to rounding, s² = 0, not an error. */
    double cx = 20 * 0.1, cx2 = 20 * 0.1 * 0.1;
    EPV_ASSERT_OK(ctx, epv_sampling_stratified_sums(ctx, w, n, &cx, &cx2, 1, NULL, 0.9, 0, &b));
    EPV_ASSERT_NEAR(b.se, 0, 1e-9);
    /* An uninitialised output struct is refused. */
    epv_sampling_estimate raw;
    memset(&raw, 0, sizeof raw);
    EPV_ASSERT_STATUS(ctx, epv_sampling_stratified_sums(ctx, w, n, &sx, &sx2, 1, NULL, 0.9, 0, &raw), EPV_EVERSION);
    EPV_ASSERT_ERRMSG_HAS(ctx, "epv_sampling_estimate");
}

/* Approach 1 refuses inputs whose combination overflows, instead of returning inf or 0%. */
static void test_approach1_overflow(void)
{
    double u;
    double big[2] = { 1e200, 1e200 };
    EPV_ASSERT_STATUS(ctx, epv_unc_product(ctx, big, 2, &u), EPV_ERANGE);
    EPV_ASSERT_ERRMSG_HAS(ctx, "overflows");
    double x[2] = { 1e300, 1e300 }, up[2] = { 50, 50 };
    EPV_ASSERT_STATUS(ctx, epv_unc_sum(ctx, x, up, 2, &u), EPV_ERANGE);
    EPV_ASSERT_ERRMSG_HAS(ctx, "overflows");
    double y[2] = { 1.7e308, 1.7e308 }, small_u[2] = { 1e-300, 1e-300 };
    EPV_ASSERT_STATUS(ctx, epv_unc_sum(ctx, y, small_u, 2, &u), EPV_ERANGE);
    EPV_ASSERT_ERRMSG_HAS(ctx, "sum overflows");
    /* A sum that is tiny but not 0: U% would be infinite. */
    double z[2] = { 1e300, -1e300 * (1 - 0x1p-52) }, uz[2] = { 100, 100 };
    EPV_ASSERT_STATUS(ctx, epv_unc_sum(ctx, z, uz, 2, &u), EPV_ERANGE);
    /* cancellation: the sum is 2^-52 of the terms, and U·x / sum exceeds the largest double */
    double tiny[2] = { 1e-140, -1e-140 * (1 - 0x1p-52) }, ut[2] = { 1e293, 1e293 };
    EPV_ASSERT_STATUS(ctx, epv_unc_sum(ctx, tiny, ut, 2, &u), EPV_EDOMAIN);
    EPV_ASSERT_ERRMSG_HAS(ctx, "too close to 0");
    EPV_ASSERT_STATUS(ctx, epv_unc_from_sd(ctx, 1e-320, 1e300, 0.95, &u), EPV_ERANGE);
    EPV_ASSERT_ERRMSG_HAS(ctx, "overflows");
    /* versioned outputs of the sampling functions */
    double wv[1] = { 1 }, sv[1] = { 5 };
    epv_sampling_size raw;
    memset(&raw, 0, sizeof raw);
    EPV_ASSERT_STATUS(ctx, epv_sampling_plots_needed(ctx, wv, sv, 1, 0, 1.645, 1, &raw, NULL), EPV_EVERSION);
    EPV_ASSERT_OK(ctx, epv_sampling_size_init(ctx, &raw, EPV_SAMPLING_SIZE_VERSION));
    EPV_ASSERT_OK(ctx, epv_sampling_plots_needed(ctx, wv, sv, 1, 0, 1.645, 1, &raw, NULL));
    EPV_ASSERT_STATUS(ctx, epv_sampling_size_init(ctx, &raw, 9), EPV_EVERSION);
    EPV_ASSERT_ERRMSG_HAS(ctx, "epv_sampling_size");
    epv_sampling_estimate e;
    EPV_ASSERT_STATUS(ctx, epv_sampling_estimate_init(ctx, &e, 0), EPV_EVERSION);
    EPV_ASSERT_STATUS(ctx, epv_sampling_estimate_init(ctx, NULL, 1), EPV_EINVAL);
}

static CU_TestInfo tests[] = {
    { "stratified estimate from sums, caller's t", test_stratified_sums },
    { "Approach 1 refuses overflow", test_approach1_overflow },
    { "Approach 1 products (Eq. 3.1)", test_product },
    { "Approach 1 sums (Eq. 3.2)", test_sum },
    { "Approach 1 asymmetric bounds", test_asym },
    { "U% from a standard deviation", test_from_sd },
    { "Approach 1 bad input", test_prop_errors },
    { "t values (NIST table)", test_t_values },
    { "stratified estimate = Freese 1962 example", test_stratified_freese },
    { "stratified estimate, two strata", test_stratified_two },
    { "plots needed (AR-Tool03) and Neyman", test_plots_needed },
    { "sampling bad input", test_sampling_errors },
    { "deduction table", test_deductions },
    MC_TESTS,
    CU_TEST_INFO_NULL,
};

int main(void)
{
    if (epv_ctx_new(&ctx) != 0) return 2;
    int rc = epv_test_main("uncertainty", tests);
    epv_ctx_free(ctx);
    return rc;
}
