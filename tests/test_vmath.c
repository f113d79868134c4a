/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Batch math kernels against the C library's exp, expm1 and log (glibc's, which are within
 * one ulp of the exact values), over the ranges growth curves use; and the batch forms
 * against the scalar forms, which must agree bit for bit. */
#include "test_util.h"
#include "vmath_int.h"

#include <float.h>
#include <stdint.h>

static double ulps(double got, double want)
{
    if (got == want) return 0;
    double spacing = nextafter(fabs(want), INFINITY) - fabs(want);
    return fabs(got - want) / spacing;
}

static void test_exp_expm1_log_accuracy(void)
{
    double worst_exp = 0, worst_expm1 = 0, worst_log = 0;
    const int n = 200000;
    for (int i = 0; i <= n; i++) {
        double x = -708.0 + 1417.0 * i / n; /* the documented domain of exp: [−708, 709] */
        double e = ulps(epv__exp(x), exp(x));
        if (e > worst_exp) worst_exp = e;
        double xm = -40.0 + 80.0 * i / n;
        double m = ulps(epv__expm1(xm), expm1(xm));
        if (m > worst_expm1) worst_expm1 = m;
        double xs = ldexp(1.0 + (double)i / n, -1000 + (i % 2000)); /* 2^−1000 .. 2^1000 */
        double l = ulps(epv__log(xs), log(xs));
        if (l > worst_log) worst_log = l;
    }
    /* Small arguments, where expm1 must not cancel. */
    for (int k = 1; k < 60; k++) {
        double x = ldexp(1.0, -k);
        double m = ulps(epv__expm1(-x), expm1(-x));
        if (m > worst_expm1) worst_expm1 = m;
    }
    EPV_ASSERT_NEAR(worst_exp, 0, 3);
    EPV_ASSERT_NEAR(worst_expm1, 0, 3);
    EPV_ASSERT_NEAR(worst_log, 0, 3);
}

static void test_domain_edges(void)
{
    CU_ASSERT_EQUAL(epv__log(1.0), 0.0);
    CU_ASSERT(isnan(epv__log(0.0)));
    CU_ASSERT(isnan(epv__log(-1.0)));
    CU_ASSERT(isnan(epv__log(INFINITY)));
    CU_ASSERT(isnan(epv__log(NAN)));
    CU_ASSERT_EQUAL(epv__exp(0.0), 1.0);
    CU_ASSERT_EQUAL(epv__exp(-800.0), 0.0);
    CU_ASSERT_EQUAL(epv__expm1(0.0), 0.0);
    CU_ASSERT_EQUAL(epv__expm1(-800.0), -1.0);
}

static void test_batch_equals_scalar(void)
{
    double x[301], y[301], t[301], r[301];
    for (int i = 0; i < 301; i++) {
        x[i] = -700.0 + 4.6 * i;
        t[i] = 0.5 * i;
    }
    epv__exp_batch(x, y, 301);
    for (int i = 0; i < 301; i++) CU_ASSERT_EQUAL(y[i], epv__exp(x[i]));
    for (int i = 0; i < 301; i++) x[i] = ldexp(1.0 + i / 301.0, i - 150);
    epv__log_batch(x, y, 301);
    for (int i = 0; i < 301; i++) CU_ASSERT_EQUAL(y[i], epv__log(x[i]));
    /* Richards over 301 ages (more than one internal chunk) against the scalar kernels and,
     * within 1e-13, against the textbook form a (1 − e^(−bt))^c with libm's pow. */
    epv__richards_batch(250.0, 0.05, 2.5, t, r, 301);
    CU_ASSERT_EQUAL(r[0], 0.0);
    for (int i = 1; i < 301; i++) {
        double u = -epv__expm1(-0.05 * t[i]);
        CU_ASSERT_EQUAL(r[i], 250.0 * epv__exp(2.5 * epv__log(u)));
        EPV_ASSERT_CLOSE(r[i], 250.0 * pow(-expm1(-0.05 * t[i]), 2.5), 1e-13);
    }
}

static void test_short_batches_and_checks(void)
{
    /* Lengths that are not multiples of the vector width (the chunks are padded): every
     * element still equals the scalar form, and nothing past n is written. */
    double t[50], r[51];
    for (int i = 0; i < 50; i++) t[i] = (double)i;
    for (size_t n = 1; n <= 41; n += 8) {
        for (int i = 0; i < 51; i++) r[i] = -7.0;
        CU_ASSERT_EQUAL(epv__richards_batch(300.0, 0.06, 2.2, t, r, n), 0);
        for (size_t i = 1; i < n; i++)
            CU_ASSERT_EQUAL(r[i], 300.0 * epv__exp(2.2 * epv__log(-epv__expm1(-0.06 * t[i]))));
        CU_ASSERT_EQUAL(r[0], 0.0);
        CU_ASSERT_EQUAL(r[n], -7.0);
    }
    /* the finite, non-negative check on bit patterns: -0, subnormals and DBL_MAX pass */
    double x[9] = { 0.0, -0.0, 4.9e-324, DBL_MAX, 1.0, -4.9e-324, -1.0, HUGE_VAL, NAN };
    CU_ASSERT_EQUAL(epv__count_not_finite_nonneg(x, 5), 0);
    CU_ASSERT_EQUAL(epv__count_not_finite_nonneg(x, 9), 4);
    /* the batch counts its bad outputs: a = NaN makes every value but the one at age 0 NaN,
     * a < 0 makes them negative */
    CU_ASSERT_EQUAL(epv__richards_batch(NAN, 0.06, 2.2, t, r, 41), 40);
    CU_ASSERT_EQUAL(epv__richards_batch(-1.0, 0.06, 2.2, t, r, 13), 12);
    CU_ASSERT_EQUAL(epv__richards_batch(-1.0, 0.06, 2.2, t + 1, r, 3), 3);
    x[1] = -HUGE_VAL;
    CU_ASSERT_EQUAL(epv__count_not_finite_nonneg(x, 2), 1);
}

int main(void)
{
    CU_TestInfo tests[] = {
        { "exp, expm1, log within 3 ulp of libm", test_exp_expm1_log_accuracy },
        { "domain edges", test_domain_edges },
        { "batch equals scalar", test_batch_equals_scalar },
        { "short batches, finite checks", test_short_batches_and_checks },
        CU_TEST_INFO_NULL,
    };
    return epv_test_main("vmath", tests);
}
