/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Growth curves (growth module): evaluation, growth rates, fitting and every error path.
 *
 * Published references used below:
 *  [NIST-Rat42]  NIST StRD nonlinear regression, "Rat42" (Ratkowsky 1983, pasture yield),
 *                https://www.itl.nist.gov/div898/strd/nls/data/ratkowsky2.shtml
 *                model y = b1 / (1 + exp(b2 − b3 x)): our logistic with a = b1, b = e^b2,
 *                c = b3. Certified values, standard deviations and residual sum of squares.
 *  [NIST-BoxBOD] NIST StRD "BoxBOD" (Box, Hunter & Hunter 1978),
 *                https://www.itl.nist.gov/div898/strd/nls/data/boxbod.shtml
 *                model y = b1 (1 − exp(−b2 x)): our Richards curve with c = 1.
 *  [R-SSgompertz] R's stats package, example of ?SSgompertz on DNase run 1, as saved in
 *                R's tests/Examples/stats-Ex.Rout.save: model Asym·exp(−b2·b3^x) with
 *                x = log(conc). With t = x − x0, x0 = log(0.048828125) (the lowest
 *                concentration, 12.5/256) this is our Gompertz curve with a = Asym,
 *                b = b2·b3^x0, c = −ln b3; every age t = j·ln 2 is then >= 0.
 *                Data: R's datasets::DNase (Davidian & Giltinan 1995), run 1.
 * Identities of the models (inflection points, maximum rates) are derived in doc/growth.md. */
#include "test_util.h"
#include "epv.h"
#include "growth_int.h"

#include <float.h>

static epv_ctx *ctx;

/* [NIST-Rat42] data and certified values. */
static const double rat42_x[] = { 9, 14, 21, 28, 42, 57, 63, 70, 79 };
static const double rat42_y[] = { 8.930, 10.800, 18.590, 22.330, 39.350, 56.110, 61.730, 64.620, 67.080 };
#define RAT42_B1 7.2462237576E+01
#define RAT42_B2 2.6180768402E+00
#define RAT42_B3 6.7359200066E-02
#define RAT42_SD1 1.7340283401E+00
#define RAT42_SD2 8.8295217536E-02
#define RAT42_SD3 3.4465663377E-03
#define RAT42_RSS 8.0565229338E+00
#define RAT42_RSD 1.1587725499E+00

/* [NIST-BoxBOD] data and certified values. */
static const double boxbod_x[] = { 1, 2, 3, 5, 7, 10 };
static const double boxbod_y[] = { 109, 149, 149, 191, 213, 224 };
#define BOXBOD_B1 2.1380940889E+02
#define BOXBOD_B2 5.4723748542E-01
#define BOXBOD_RSS 1.1680088766E+03

/* [R-SSgompertz] DNase run 1: density at conc = 0.048828125 · {1,1,4,4,8,8,...,256,256}. */
static const double dnase_y[] = { 0.017, 0.018, 0.121, 0.124, 0.206, 0.215, 0.377, 0.374,
                                  0.614, 0.609, 1.019, 1.001, 1.334, 1.364, 1.730, 1.710 };
static const int dnase_pow2[] = { 0, 2, 3, 4, 5, 6, 7, 8 }; /* conc / 0.048828125 = 2^k */

static double dnase_x0(void) { return log(0.048828125); }
static void dnase_ages(double *t)
{
    for (int i = 0; i < 16; i++) t[i] = dnase_pow2[i / 2] * log(2.0);
}

static double sum_sq(const epv_growth_curve *c, const double *x, const double *y, size_t n)
{
    double s = 0;
    for (size_t i = 0; i < n; i++) {
        double v = NAN;
        CU_ASSERT_EQUAL(epv_growth_eval(ctx, c, x[i], &v), 0);
        s += (y[i] - v) * (y[i] - v);
    }
    return s;
}

static double total_sq(const double *y, size_t n)
{
    double m = 0, s = 0;
    for (size_t i = 0; i < n; i++) m += y[i];
    m /= (double)n;
    for (size_t i = 0; i < n; i++) s += (y[i] - m) * (y[i] - m);
    return s;
}

/* ---- names ------------------------------------------------------------------------- */

static void test_names(void)
{
    static const char *names[] = { "richards", "logistic", "korf", "schumacher", "gompertz" };
    for (int m = 1; m <= 5; m++) {
        epv_growth_model got = 0;
        CU_ASSERT_STRING_EQUAL(epv_growth_model_name((epv_growth_model)m), names[m - 1]);
        EPV_ASSERT_OK(ctx, epv_growth_model_from_name(ctx, names[m - 1], &got));
        CU_ASSERT_EQUAL(got, m);
        CU_ASSERT_EQUAL(epv_growth_model_nparams((epv_growth_model)m), m == 4 ? 2 : 3);
    }
    CU_ASSERT_PTR_NULL(epv_growth_model_name((epv_growth_model)9));
    CU_ASSERT_EQUAL(epv_growth_model_nparams((epv_growth_model)0), EPV_EINVAL);
    epv_growth_model got = EPV_GROWTH_KORF;
    EPV_ASSERT_STATUS(ctx, epv_growth_model_from_name(ctx, "weibull", &got), EPV_ENOTFOUND);
    EPV_ASSERT_ERRMSG_HAS(ctx, "weibull");
    CU_ASSERT_EQUAL(got, EPV_GROWTH_KORF);
    EPV_ASSERT_STATUS(ctx, epv_growth_model_from_name(ctx, NULL, &got), EPV_EINVAL);
}

/* ---- evaluation against published values ------------------------------------------- */

static void test_eval_gompertz_r(void)
{
    /* [R-SSgompertz]: SSgompertz(log(DNase.1$conc), Asym = 4.5, b2 = 2.3, b3 = 0.7) prints
     * 0.00525729 0.07323255 0.18049064 0.36508763 0.63288772 0.97257180 1.36033340
     * 1.76786902 (each twice), and the gradient columns Asym and b2. */
    static const double r_y[] = { 0.00525729, 0.07323255, 0.18049064, 0.36508763,
                                  0.63288772, 0.97257180, 1.36033340, 1.76786902 };
    static const double r_dasym[] = { 0.001168287, 0.016273900, 0.040109031, 0.081130585,
                                      0.140641716, 0.216127067, 0.302296311, 0.392859783 };
    static const double r_db2[] = { -0.01543407, -0.13112424, -0.25238507, -0.39869082,
                                    -0.53975407, -0.64777036, -0.70757894, -0.71814108 };
    static const double r_db3[] = { 0.1531221, 0.7036230, 0.7795153, 0.3233828,
                                    -0.7914802, -2.4251586, -4.2605728, -5.9597255 };
    const double x0 = dnase_x0(), b2 = 2.3, b3 = 0.7;
    epv_growth_curve g = { EPV_GROWTH_CURVE_VERSION, EPV_GROWTH_GOMPERTZ, 4.5, b2 * pow(b3, x0), -log(b3) };
    double t[16], y[16];
    dnase_ages(t);
    EPV_ASSERT_OK(ctx, epv_growth_eval_many(ctx, &g, t, 16, y));
    for (int k = 0; k < 8; k++) {
        EPV_ASSERT_CLOSE(y[2 * k], r_y[k], 2e-6);
        EPV_ASSERT_CLOSE(y[2 * k + 1], r_y[k], 2e-6);
        /* The analytic Jacobian used by the fit, mapped back to R's parameters:
         * ∂y/∂Asym = ∂y/∂a; ∂y/∂b2 = ∂y/∂b · b3^x0;
         * ∂y/∂b3 = ∂y/∂b · b2 x0 b3^(x0−1) + ∂y/∂c · (−1/b3). */
        double gr[3];
        epv__growth_gradient(g.model, g.a, g.b, g.c, t[2 * k], gr);
        EPV_ASSERT_CLOSE(gr[0], r_dasym[k], 2e-6);
        EPV_ASSERT_CLOSE(gr[1] * pow(b3, x0), r_db2[k], 2e-6);
        EPV_ASSERT_CLOSE(gr[1] * b2 * x0 * pow(b3, x0 - 1) - gr[2] / b3, r_db3[k], 5e-6);
    }
}

static void test_eval_logistic_nist(void)
{
    /* [NIST-Rat42]: the certified parameters give the certified residual sum of squares. */
    epv_growth_curve c = { EPV_GROWTH_CURVE_VERSION, EPV_GROWTH_LOGISTIC, RAT42_B1, exp(RAT42_B2), RAT42_B3 };
    EPV_ASSERT_CLOSE(sum_sq(&c, rat42_x, rat42_y, 9), RAT42_RSS, 1e-9);
}

static void test_eval_richards_nist(void)
{
    /* [NIST-BoxBOD]: Richards with c = 1 is b1 (1 − e^(−b2 x)); certified RSS. */
    epv_growth_curve c = { EPV_GROWTH_CURVE_VERSION, EPV_GROWTH_RICHARDS, BOXBOD_B1, BOXBOD_B2, 1.0 };
    EPV_ASSERT_CLOSE(sum_sq(&c, boxbod_x, boxbod_y, 6), BOXBOD_RSS, 1e-9);
    double v = -1;
    EPV_ASSERT_OK(ctx, epv_growth_eval(ctx, &c, 0.0, &v));
    CU_ASSERT_EQUAL(v, 0.0);
}

static void test_eval_korf_schumacher(void)
{
    /* No published Korf or Schumacher fit could be verified (see doc/growth.md); these are
     * the models' defining identities: Korf with c = 1 is Schumacher, Schumacher at t = b
     * is a/e, and both start at 0. */
    epv_growth_curve k = { EPV_GROWTH_CURVE_VERSION, EPV_GROWTH_KORF, 250, 12, 1 }, s = { EPV_GROWTH_CURVE_VERSION, EPV_GROWTH_SCHUMACHER, 250, 12, 0 };
    for (double t = 0; t <= 60; t += 7.5) {
        double vk, vs;
        EPV_ASSERT_OK(ctx, epv_growth_eval(ctx, &k, t, &vk));
        EPV_ASSERT_OK(ctx, epv_growth_eval(ctx, &s, t, &vs));
        EPV_ASSERT_CLOSE(vk, vs, 1e-14);
    }
    double v;
    EPV_ASSERT_OK(ctx, epv_growth_eval(ctx, &s, 12, &v));
    EPV_ASSERT_CLOSE(v, 250 / exp(1.0), 1e-14);
    EPV_ASSERT_OK(ctx, epv_growth_eval(ctx, &s, 0, &v));
    CU_ASSERT_EQUAL(v, 0.0);
    EPV_ASSERT_OK(ctx, epv_growth_eval(ctx, &k, 0, &v));
    CU_ASSERT_EQUAL(v, 0.0);
    /* Schumacher ignores c, whatever it holds. */
    s.c = NAN;
    EPV_ASSERT_OK(ctx, epv_growth_curve_check(ctx, &s));
    EPV_ASSERT_OK(ctx, epv_growth_eval(ctx, &s, 12, &v));
}

/* ---- growth rates ------------------------------------------------------------------ */

static double rate_at(const epv_growth_curve *c, double t)
{
    double r = NAN;
    EPV_ASSERT_OK(ctx, epv_growth_rate(ctx, c, t, &r));
    return r;
}

static double central_diff(const epv_growth_curve *c, double t)
{
    double h = 1e-5 * (t > 1 ? t : 1), y1, y2;
    epv_growth_eval(ctx, c, t + h, &y2);
    epv_growth_eval(ctx, c, t - h, &y1);
    return (y2 - y1) / (2 * h);
}

static void test_rates(void)
{
    /* Maximum rates at the inflection points (doc/growth.md derives each):
     * logistic t* = ln b / c, rate a c / 4; Gompertz t* = ln b / c, rate a c / e;
     * Richards t* = ln c / b, rate a b (1 − 1/c)^(c−1); Schumacher t* = b / 2, rate 4a/(b e²);
     * Korf t* = (b c / (c + 1))^(1/c), rate from y b c t^(−c−1). */
    epv_growth_curve lg = { EPV_GROWTH_CURVE_VERSION, EPV_GROWTH_LOGISTIC, RAT42_B1, exp(RAT42_B2), RAT42_B3 };
    EPV_ASSERT_CLOSE(rate_at(&lg, RAT42_B2 / RAT42_B3), RAT42_B1 * RAT42_B3 / 4, 1e-12);
    epv_growth_curve gz = { EPV_GROWTH_CURVE_VERSION, EPV_GROWTH_GOMPERTZ, 4.5, 3.2, 0.35 };
    EPV_ASSERT_CLOSE(rate_at(&gz, log(3.2) / 0.35), 4.5 * 0.35 / exp(1.0), 1e-12);
    epv_growth_curve rc = { EPV_GROWTH_CURVE_VERSION, EPV_GROWTH_RICHARDS, 300, 0.08, 3.5 };
    EPV_ASSERT_CLOSE(rate_at(&rc, log(3.5) / 0.08), 300 * 0.08 * pow(1 - 1 / 3.5, 2.5), 1e-12);
    epv_growth_curve sc = { EPV_GROWTH_CURVE_VERSION, EPV_GROWTH_SCHUMACHER, 300, 20, 0 };
    EPV_ASSERT_CLOSE(rate_at(&sc, 10), 4 * 300 / (20 * exp(2.0)), 1e-12);
    CU_ASSERT_EQUAL(rate_at(&sc, 0), 0.0);
    epv_growth_curve kf = { EPV_GROWTH_CURVE_VERSION, EPV_GROWTH_KORF, 500, 15, 0.8 };
    CU_ASSERT_EQUAL(rate_at(&kf, 0), 0.0);
    double tk = pow(15 * 0.8 / 1.8, 1 / 0.8), rk = rate_at(&kf, tk);
    CU_ASSERT(rk > rate_at(&kf, tk * 0.99) && rk > rate_at(&kf, tk * 1.01));
    /* Everywhere else the rate is the derivative of the value. */
    const epv_growth_curve *all[] = { &lg, &gz, &rc, &sc, &kf };
    for (int m = 0; m < 5; m++)
        for (double t = 0.5; t < 80; t *= 1.7) {
            double d = central_diff(all[m], t);
            EPV_ASSERT_NEAR(rate_at(all[m], t), d, 1e-6 * fabs(d) + 1e-10);
        }
}

/* ---- fits against certified results ------------------------------------------------ */

static void check_rat42(const epv_growth_fit *f)
{
    /* [NIST-Rat42] certified values; se(b)/b = sd(b2) because b = e^b2 (the linearised
     * covariance transforms exactly under a reparametrisation). */
    EPV_ASSERT_CLOSE(f->curve.a, RAT42_B1, 1e-6);
    EPV_ASSERT_CLOSE(log(f->curve.b), RAT42_B2, 1e-6);
    EPV_ASSERT_CLOSE(f->curve.c, RAT42_B3, 1e-6);
    EPV_ASSERT_CLOSE(f->se[0], RAT42_SD1, 1e-5);
    EPV_ASSERT_CLOSE(f->se[1] / f->curve.b, RAT42_SD2, 1e-5);
    EPV_ASSERT_CLOSE(f->se[2], RAT42_SD3, 1e-5);
    for (int j = 0; j < 3; j++) EPV_ASSERT_CLOSE(sqrt(f->cov[j][j]), f->se[j], 1e-12);
    CU_ASSERT_EQUAL(f->n, 9);
    /* RMSE = sqrt(SSR/n); the residual standard deviation is sqrt(SSR/(n − p)). */
    EPV_ASSERT_CLOSE(f->rmse * f->rmse * 9, RAT42_RSS, 1e-8);
    EPV_ASSERT_CLOSE(f->rmse * sqrt(9.0 / 6.0), RAT42_RSD, 1e-8);
    /* R² = 1 − SSR/SST with the certified SSR. */
    EPV_ASSERT_CLOSE(f->r2, 1 - RAT42_RSS / total_sq(rat42_y, 9), 1e-9);
    CU_ASSERT(f->iterations > 0 && f->iterations <= 200);
}

static void test_fit_rat42(void)
{
    epv_growth_fit f = EPV_GROWTH_FIT_INIT;
    /* NIST's two starting points, then our automatic start. */
    epv_growth_curve s1 = { EPV_GROWTH_CURVE_VERSION, EPV_GROWTH_LOGISTIC, 100, exp(1.0), 0.1 };
    epv_growth_curve s2 = { EPV_GROWTH_CURVE_VERSION, EPV_GROWTH_LOGISTIC, 75, exp(2.5), 0.07 };
    EPV_ASSERT_OK(ctx, epv_growth_fit_data(ctx, EPV_GROWTH_LOGISTIC, rat42_x, rat42_y, 9, &s1, &f));
    check_rat42(&f);
    EPV_ASSERT_OK(ctx, epv_growth_fit_data(ctx, EPV_GROWTH_LOGISTIC, rat42_x, rat42_y, 9, &s2, &f));
    check_rat42(&f);
    EPV_ASSERT_OK(ctx, epv_growth_fit_data(ctx, EPV_GROWTH_LOGISTIC, rat42_x, rat42_y, 9, NULL, &f));
    check_rat42(&f);
    CU_ASSERT_EQUAL(f.curve.model, EPV_GROWTH_LOGISTIC);
}

static void test_fit_gompertz_r(void)
{
    /* [R-SSgompertz] summary(fm1): Asym 4.60333 (SE 0.65321), b2 2.27134 (SE 0.14373),
     * b3 0.71647 (SE 0.02206), residual standard error 0.02684 on 13 degrees of freedom. */
    double t[16];
    dnase_ages(t);
    epv_growth_fit f = EPV_GROWTH_FIT_INIT;
    EPV_ASSERT_OK(ctx, epv_growth_fit_data(ctx, EPV_GROWTH_GOMPERTZ, t, dnase_y, 16, NULL, &f));
    const double x0 = dnase_x0();
    double b3 = exp(-f.curve.c), b2 = f.curve.b * exp(f.curve.c * x0);
    EPV_ASSERT_CLOSE(f.curve.a, 4.60333, 2e-6);
    EPV_ASSERT_CLOSE(b2, 2.27134, 3e-6);
    EPV_ASSERT_CLOSE(b3, 0.71647, 1e-5);
    EPV_ASSERT_CLOSE(f.se[0], 0.65321, 1e-5);
    EPV_ASSERT_CLOSE(f.se[2] * b3, 0.02206, 3e-4); /* d b3 = −b3 dc */
    /* b2 = b·e^(c x0): its variance from our (b, c) covariance block. */
    double gb = exp(f.curve.c * x0), gc = f.curve.b * x0 * exp(f.curve.c * x0);
    double var_b2 = gb * gb * f.cov[1][1] + 2 * gb * gc * f.cov[1][2] + gc * gc * f.cov[2][2];
    EPV_ASSERT_CLOSE(sqrt(var_b2), 0.14373, 4e-5);
    EPV_ASSERT_CLOSE(f.rmse * sqrt(16.0 / 13.0), 0.02684, 2e-4);
    CU_ASSERT(fabs(f.cov[0][1] - f.cov[1][0]) <= 1e-15 * fabs(f.cov[0][1]));
}

static void test_fit_recovers_boxbod_curve(void)
{
    /* Exact values of the certified [NIST-BoxBOD] curve (a Richards curve with c = 1) at
     * ages 1..12: a 3-parameter Richards fit must find the curve again, with R² = 1. */
    double t[12], y[12];
    epv_growth_curve c = { EPV_GROWTH_CURVE_VERSION, EPV_GROWTH_RICHARDS, BOXBOD_B1, BOXBOD_B2, 1.0 };
    for (int i = 0; i < 12; i++) t[i] = i + 1;
    EPV_ASSERT_OK(ctx, epv_growth_eval_many(ctx, &c, t, 12, y));
    epv_growth_fit f = EPV_GROWTH_FIT_INIT;
    EPV_ASSERT_OK(ctx, epv_growth_fit_data(ctx, EPV_GROWTH_RICHARDS, t, y, 12, NULL, &f));
    EPV_ASSERT_CLOSE(f.curve.a, BOXBOD_B1, 1e-7);
    EPV_ASSERT_CLOSE(f.curve.b, BOXBOD_B2, 1e-7);
    EPV_ASSERT_CLOSE(f.curve.c, 1.0, 1e-7);
    EPV_ASSERT_NEAR(f.r2, 1.0, 1e-12);
    EPV_ASSERT_NEAR(f.rmse, 0.0, 1e-6);
}

static void test_fit_statistics_definitions(void)
{
    /* For every model fitted to the Rat42 data: R² and RMSE recomputed from the returned
     * curve, the covariance symmetric with se² on its diagonal, and the solution a
     * stationary point of the sum of squares (one-sided steps do not lower it). */
    for (int m = 1; m <= 5; m++) {
        epv_growth_fit f = EPV_GROWTH_FIT_INIT;
        int rc = epv_growth_fit_data(ctx, (epv_growth_model)m, rat42_x, rat42_y, 9, NULL, &f);
        EPV_ASSERT_STATUS(ctx, rc, 0);
        if (rc) continue;
        double ssr = sum_sq(&f.curve, rat42_x, rat42_y, 9);
        EPV_ASSERT_CLOSE(f.r2, 1 - ssr / total_sq(rat42_y, 9), 1e-10);
        EPV_ASSERT_CLOSE(f.rmse, sqrt(ssr / 9), 1e-10);
        int p = epv_growth_model_nparams((epv_growth_model)m);
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) EPV_ASSERT_NEAR(f.cov[i][j], f.cov[j][i], 1e-12 * fabs(f.cov[i][i] + 1));
            if (i < p) {
                CU_ASSERT(f.se[i] > 0);
                EPV_ASSERT_CLOSE(f.se[i] * f.se[i], f.cov[i][i], 1e-12);
            } else {
                CU_ASSERT_EQUAL(f.se[i], 0.0);
                CU_ASSERT_EQUAL(f.cov[i][i], 0.0);
            }
        }
        double *par[3] = { &f.curve.a, &f.curve.b, &f.curve.c };
        for (int j = 0; j < p; j++) {
            for (int sgn = -1; sgn <= 1; sgn += 2) {
                epv_growth_curve moved = f.curve;
                double *q = j == 0 ? &moved.a : (j == 1 ? &moved.b : &moved.c);
                *q = *par[j] * (1 + sgn * 1e-4);
                CU_ASSERT(sum_sq(&moved, rat42_x, rat42_y, 9) >= ssr * (1 - 1e-12));
            }
        }
    }
}

/* ---- error paths ------------------------------------------------------------------- */

static void test_curve_check_errors(void)
{
    epv_growth_curve c = { EPV_GROWTH_CURVE_VERSION, EPV_GROWTH_RICHARDS, 300, 0.05, 2 };
    EPV_ASSERT_OK(ctx, epv_growth_curve_check(ctx, &c));
    c.a = -1;
    EPV_ASSERT_STATUS(ctx, epv_growth_curve_check(ctx, &c), EPV_EDOMAIN);
    EPV_ASSERT_ERRMSG_HAS(ctx, "a: -1 must be greater than zero");
    c.a = 300;
    c.b = NAN;
    EPV_ASSERT_STATUS(ctx, epv_growth_curve_check(ctx, &c), EPV_EDOMAIN);
    EPV_ASSERT_ERRMSG_HAS(ctx, "b: value is not a finite number");
    c.b = 0.05;
    c.c = 0;
    EPV_ASSERT_STATUS(ctx, epv_growth_curve_check(ctx, &c), EPV_EDOMAIN);
    EPV_ASSERT_ERRMSG_HAS(ctx, "c: 0 must be greater than zero (richards curve)");
    c.model = (epv_growth_model)7;
    EPV_ASSERT_STATUS(ctx, epv_growth_curve_check(ctx, &c), EPV_EINVAL);
    EPV_ASSERT_ERRMSG_HAS(ctx, "model: 7");
    EPV_ASSERT_STATUS(ctx, epv_growth_curve_check(ctx, NULL), EPV_EINVAL);
}

static void test_eval_errors(void)
{
    epv_growth_curve c = { EPV_GROWTH_CURVE_VERSION, EPV_GROWTH_LOGISTIC, 10, 2, 0.1 };
    double v = 42;
    EPV_ASSERT_STATUS(ctx, epv_growth_eval(ctx, &c, -1, &v), EPV_ERANGE);
    EPV_ASSERT_ERRMSG_HAS(ctx, "age: -1 is negative");
    EPV_ASSERT_STATUS(ctx, epv_growth_eval(ctx, &c, NAN, &v), EPV_ERANGE);
    EPV_ASSERT_ERRMSG_HAS(ctx, "age: value is not a finite number");
    EPV_ASSERT_STATUS(ctx, epv_growth_eval(ctx, &c, INFINITY, &v), EPV_ERANGE);
    CU_ASSERT_EQUAL(v, 42);
    /* A logistic curve with b = −2 is negative until 1 − 2e^(−0.1 t) > 0 (t > 6.93). */
    c.b = -2;
    EPV_ASSERT_STATUS(ctx, epv_growth_eval(ctx, &c, 0, &v), EPV_EDOMAIN);
    EPV_ASSERT_ERRMSG_HAS(ctx, "age 0:");
    EPV_ASSERT_ERRMSG_HAS(ctx, "goes negative");
    CU_ASSERT_EQUAL(v, 42);
    EPV_ASSERT_OK(ctx, epv_growth_eval(ctx, &c, 10, &v));
    double ages[] = { 20, 10, 3, 30 }, out[4];
    EPV_ASSERT_STATUS(ctx, epv_growth_eval_many(ctx, &c, ages, 4, out), EPV_EDOMAIN);
    EPV_ASSERT_ERRMSG_HAS(ctx, "ages[2]: age 3:");
    ages[2] = -3;
    EPV_ASSERT_STATUS(ctx, epv_growth_eval_many(ctx, &c, ages, 4, out), EPV_ERANGE);
    EPV_ASSERT_ERRMSG_HAS(ctx, "ages[2]: age: -3 is negative");
    EPV_ASSERT_OK(ctx, epv_growth_eval_many(ctx, &c, NULL, 0, NULL));
    /* Non-finite values: a Richards curve with b < 0 has a negative base. */
    epv_growth_curve r = { EPV_GROWTH_CURVE_VERSION, EPV_GROWTH_RICHARDS, 100, -0.1, 1.5 };
    EPV_ASSERT_STATUS(ctx, epv_growth_eval(ctx, &r, 5, &v), EPV_EDOMAIN);
    EPV_ASSERT_ERRMSG_HAS(ctx, "age 5: the richards curve");
    EPV_ASSERT_ERRMSG_HAS(ctx, "not finite");
    /* Richards with c < 1 rises infinitely fast at age 0. */
    r.b = 0.1;
    r.c = 0.5;
    EPV_ASSERT_STATUS(ctx, epv_growth_rate(ctx, &r, 0, &v), EPV_EDOMAIN);
    EPV_ASSERT_ERRMSG_HAS(ctx, "age 0: the growth rate");
    EPV_ASSERT_STATUS(ctx, epv_growth_rate(ctx, &r, -2, &v), EPV_ERANGE);
    EPV_ASSERT_ERRMSG_HAS(ctx, "age: -2 is negative");
    c.model = (epv_growth_model)0;
    EPV_ASSERT_STATUS(ctx, epv_growth_eval(ctx, &c, 1, &v), EPV_EINVAL);
    EPV_ASSERT_ERRMSG_HAS(ctx, "model: 0");
    EPV_ASSERT_STATUS(ctx, epv_growth_eval(ctx, NULL, 1, &v), EPV_EINVAL);
}

static epv_growth_fit sentinel(void)
{
    epv_growth_fit f = EPV_GROWTH_FIT_INIT;
    f.r2 = 12345;
    f.n = 777;
    return f;
}

/* Fit must fail with status and message, and leave the output untouched. */
static void expect_fit_error(epv_growth_model m, const double *t, const double *y, size_t n,
                             const epv_growth_curve *start, int status, const char *needle)
{
    epv_growth_fit f = sentinel();
    EPV_ASSERT_STATUS(ctx, epv_growth_fit_data(ctx, m, t, y, n, start, &f), status);
    EPV_ASSERT_ERRMSG_HAS(ctx, needle);
    CU_ASSERT_EQUAL(f.r2, 12345);
    CU_ASSERT_EQUAL(f.n, 777);
}

static void test_fit_errors(void)
{
    double t[9], y[9];
    memcpy(t, rat42_x, sizeof t);
    memcpy(y, rat42_y, sizeof y);
    /* Too few points: 3 parameters need at least 4 points; Schumacher needs 3. */
    expect_fit_error(EPV_GROWTH_LOGISTIC, t, y, 3, NULL, EPV_ESINGULAR, "n: 3 points");
    expect_fit_error(EPV_GROWTH_SCHUMACHER, t, y, 2, NULL, EPV_ESINGULAR, "at least 3 needed");
    /* All ages equal, or too few distinct ages. */
    double same[5] = { 20, 20, 20, 20, 20 };
    expect_fit_error(EPV_GROWTH_GOMPERTZ, same, y, 5, NULL, EPV_ESINGULAR, "age: all 5 ages are equal");
    double two[5] = { 0, 10, 10, 20, 20 };
    expect_fit_error(EPV_GROWTH_RICHARDS, two, y, 5, NULL, EPV_ESINGULAR,
                     "only 2 distinct ages above 0");
    /* Bad values, each naming its index. */
    t[2] = NAN;
    expect_fit_error(EPV_GROWTH_LOGISTIC, t, y, 9, NULL, EPV_ERANGE, "age[2]: value is not a finite number");
    t[2] = 21;
    t[1] = -14;
    expect_fit_error(EPV_GROWTH_LOGISTIC, t, y, 9, NULL, EPV_ERANGE, "age[1]: -14 is negative");
    t[1] = 14;
    y[3] = NAN;
    expect_fit_error(EPV_GROWTH_LOGISTIC, t, y, 9, NULL, EPV_ERANGE, "y[3]: value is not a finite number");
    y[3] = -1;
    expect_fit_error(EPV_GROWTH_LOGISTIC, t, y, 9, NULL, EPV_ERANGE, "y[3]: -1 is negative");
    y[3] = 22.33;
    double zeros[9] = { 0 }, flat[9] = { 5, 5, 5, 5, 5, 5, 5, 5, 5 };
    expect_fit_error(EPV_GROWTH_LOGISTIC, t, zeros, 9, NULL, EPV_ESINGULAR, "y: all values are zero");
    expect_fit_error(EPV_GROWTH_LOGISTIC, t, flat, 9, NULL, EPV_ESINGULAR, "y: all values are equal");
    /* An invalid start. */
    epv_growth_curve bad = { EPV_GROWTH_CURVE_VERSION, EPV_GROWTH_LOGISTIC, 70, -1, 0.05 };
    expect_fit_error(EPV_GROWTH_LOGISTIC, t, y, 9, &bad, EPV_EDOMAIN, "start: b: -1");
    /* A start where y does not depend on b at the data's ages (e^(−c t) underflows). */
    epv_growth_curve flatstart = { EPV_GROWTH_CURVE_VERSION, EPV_GROWTH_LOGISTIC, 70, 1, 1e3 };
    expect_fit_error(EPV_GROWTH_LOGISTIC, t, y, 9, &flatstart, EPV_ESINGULAR,
                     "does not depend on b");
    /* Non-convergence: the Korf curve's asymptote runs off to infinity on the DNase data. */
    double dt[16];
    dnase_ages(dt);
    expect_fit_error(EPV_GROWTH_KORF, dt, dnase_y, 16, NULL, EPV_ENOCONV, "did not converge");
    /* Non-convergence from bad starts: a Richards start whose asymptote runs off (200
     * iterations used up), and a logistic start so far off that no step helps. */
    epv_growth_curve far = { EPV_GROWTH_CURVE_VERSION, EPV_GROWTH_RICHARDS, 1e4, 0.5, 1e-3 };
    expect_fit_error(EPV_GROWTH_RICHARDS, t, y, 9, &far, EPV_ENOCONV, "did not converge in 200 iterations");
    epv_growth_curve lost = { EPV_GROWTH_CURVE_VERSION, EPV_GROWTH_LOGISTIC, 1e6, 1e-6, 10 };
    expect_fit_error(EPV_GROWTH_LOGISTIC, t, y, 9, &lost, EPV_ENOCONV, "made no progress");
    /* A start from which the solver slides to a degenerate point (c -> 0, a flat curve)
     * where the Jacobian loses rank. */
    epv_growth_curve ones = { EPV_GROWTH_CURVE_VERSION, EPV_GROWTH_GOMPERTZ, 1, 1, 1 };
    expect_fit_error(EPV_GROWTH_GOMPERTZ, t, y, 9, &ones, EPV_ESINGULAR, "rank-deficient at the solution");
    /* Unknown model and NULL arguments. */
    expect_fit_error((epv_growth_model)6, t, y, 9, NULL, EPV_EINVAL, "model: 6");
    expect_fit_error(EPV_GROWTH_LOGISTIC, NULL, y, 9, NULL, EPV_EINVAL, "NULL");
    EPV_ASSERT_STATUS(ctx, epv_growth_fit_data(ctx, EPV_GROWTH_LOGISTIC, t, y, 9, NULL, NULL), EPV_EINVAL);
}

static int setup(void) { return epv_ctx_new(&ctx); }

int main(void)
{
    if (setup()) return 2;
    CU_TestInfo tests[] = {
        { "model names", test_names },
        { "Gompertz values and gradient vs R SSgompertz", test_eval_gompertz_r },
        { "logistic vs NIST Rat42 certified RSS", test_eval_logistic_nist },
        { "Richards (c = 1) vs NIST BoxBOD certified RSS", test_eval_richards_nist },
        { "Korf and Schumacher identities", test_eval_korf_schumacher },
        { "growth rates", test_rates },
        { "fit NIST Rat42 (logistic)", test_fit_rat42 },
        { "fit R DNase run 1 (Gompertz)", test_fit_gompertz_r },
        { "fit recovers the BoxBOD curve (Richards)", test_fit_recovers_boxbod_curve },
        { "fit statistics match their definitions", test_fit_statistics_definitions },
        { "curve check errors", test_curve_check_errors },
        { "evaluation errors", test_eval_errors },
        { "fit errors", test_fit_errors },
        CU_TEST_INFO_NULL,
    };
    int rc = epv_test_main("growth", tests);
    epv_ctx_free(ctx);
    return rc;
}
