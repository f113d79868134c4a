/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Monte Carlo (IPCC Approach 2) tests. Iteration counts stay modest: the suite also runs
 * under valgrind. Tolerances are stated in standard errors of the estimate checked. */
#define _POSIX_C_SOURCE 200809L
#include "test_util.h"
#include "test_uncertainty_int.h"
#include "epv/uncertainty.h"
#include "uncertainty_int.h"

#include <gsl/gsl_cdf.h>
#include <pthread.h>

#include <stdlib.h>
#include <unistd.h>

#define ctx utest_ctx
#define N_MOM 20000
#define PI_ 3.14159265358979323846

/* Model: outputs = inputs. */
static int identity(const double *in, size_t nin, double *out, size_t nout, void *payload)
{
    (void)payload;
    for (size_t i = 0; i < nout && i < nin; i++) out[i] = in[i];
    return 0;
}

/* Model: one output, the sum of the inputs. */
static int sum_model(const double *in, size_t nin, double *out, size_t nout, void *payload)
{
    (void)payload;
    (void)nout;
    double s = 0;
    for (size_t i = 0; i < nin; i++) s += in[i];
    out[0] = s;
    return 0;
}

static void check_moments(epv_mc *mc, size_t j, double mu, double sigma)
{
    epv_mc_summary s = EPV_MC_SUMMARY_INIT;
    EPV_ASSERT_OK(ctx, epv_mc_summarize(mc, j, &s));
    /* mean within 5 standard errors; sd within 4% (about 5 SE for these shapes at n = 20000) */
    EPV_ASSERT_NEAR(s.mean, mu, 5 * sigma / sqrt((double)N_MOM));
    EPV_ASSERT_CLOSE(s.sd, sigma, 0.04);
}

void mc_test_moments(void)
{
    /* Means and standard deviations of each family (Forbes, Evans, Hastings & Peacock,
     * Statistical Distributions, 4th ed., 2011): uniform (a+b)/2 and (b-a)/sqrt(12);
     * triangular (a+m+c)/3 and sqrt((a²+m²+c²-am-ac-mc)/18); lognormal exp(mu+s²/2) and
     * mean*sqrt(exp(s²)-1); half-normal (normal truncated at its mean) sigma*sqrt(2/pi) above
     * the mean and sigma*sqrt(1-2/pi). */
    epv_mc *mc = NULL;
    EPV_ASSERT_OK(ctx, epv_ctx_set_seed(ctx, 20240601));
    EPV_ASSERT_OK(ctx, epv_mc_new(ctx, &mc));
    epv_mc_dist d[7] = {
        epv_mc_dist_normal(100, 15),
        epv_mc_dist_lognormal(10, 2),
        epv_mc_dist_lognormal_log(0, 0.5),
        epv_mc_dist_uniform(2, 5),
        epv_mc_dist_triangular(0, 1, 3),
        epv_mc_dist_trunc_normal(0, 1, 0, HUGE_VAL),
        epv_mc_dist_constant(4.2),
    };
    const char *names[7] = { "n", "ln", "lnlog", "u", "tri", "tn", "c" };
    for (int i = 0; i < 7; i++) EPV_ASSERT_OK(ctx, epv_mc_add_input(mc, names[i], &d[i], 0, NULL));
    CU_ASSERT_EQUAL(epv_mc_n_inputs(mc), 7);
    EPV_ASSERT_OK(ctx, epv_mc_run(mc, N_MOM, 7, identity, NULL));
    check_moments(mc, 0, 100, 15);
    check_moments(mc, 1, 10, 2);
    double m = exp(0.125);
    check_moments(mc, 2, m, m * sqrt(exp(0.25) - 1));
    check_moments(mc, 3, 3.5, 3 / sqrt(12.0));
    check_moments(mc, 4, 4.0 / 3, sqrt(7.0 / 18));
    check_moments(mc, 5, sqrt(2 / PI_), sqrt(1 - 2 / PI_));
    epv_mc_summary s = EPV_MC_SUMMARY_INIT;
    EPV_ASSERT_OK(ctx, epv_mc_summarize(mc, 5, &s));
    CU_ASSERT(s.min >= 0);
    EPV_ASSERT_OK(ctx, epv_mc_summarize(mc, 6, &s));
    CU_ASSERT_EQUAL(s.min, 4.2);
    CU_ASSERT_EQUAL(s.max, 4.2);
    EPV_ASSERT_OK(ctx, epv_mc_summarize(mc, 4, &s));
    CU_ASSERT(s.min >= 0 && s.max <= 3);
    epv_mc_free(mc);
}

void mc_test_approach2_vs_1(void)
{
    /* A sum of normal terms is linear, so Approach 1 (Eq. 3.2) is exact and Approach 2 must
     * agree within its sampling error. Terms 100 (±10%), 50 (±20%), 30 (±30%) as 95%
     * half-widths: sd_i = U_i x_i / 100 / 1.959964. */
    double x[3] = { 100, 50, 30 }, u[3] = { 10, 20, 30 }, u1;
    EPV_ASSERT_OK(ctx, epv_unc_sum(ctx, x, u, 3, &u1));
    epv_mc *mc = NULL;
    EPV_ASSERT_OK(ctx, epv_ctx_set_seed(ctx, 7));
    EPV_ASSERT_OK(ctx, epv_mc_new(ctx, &mc));
    for (int i = 0; i < 3; i++) {
        epv_mc_dist d = epv_mc_dist_normal(x[i], u[i] * x[i] / 100 / 1.959964);
        EPV_ASSERT_OK(ctx, epv_mc_add_input(mc, "term", &d, 0, NULL));
    }
    EPV_ASSERT_OK(ctx, epv_mc_run(mc, N_MOM, 1, sum_model, NULL));
    epv_mc_summary s = EPV_MC_SUMMARY_INIT;
    EPV_ASSERT_OK(ctx, epv_mc_summarize(mc, 0, &s));
    EPV_ASSERT_NEAR(s.mean, 180, 5 * s.sd / sqrt((double)N_MOM));
    /* The 2.5/97.5 percentiles of n = 20000 normal draws have a standard error of about
     * 0.019 sd each; 4% of U is more than 5 of those. */
    EPV_ASSERT_CLOSE(s.u_lower_pct, u1, 0.04);
    EPV_ASSERT_CLOSE(s.u_upper_pct, u1, 0.04);
    EPV_ASSERT_CLOSE(1.959964 * s.sd / s.mean * 100, u1, 0.03);
    epv_mc_free(mc);
}

/* A small non-linear model with correlated and non-normal inputs, to compare runs. */
static epv_mc *make_mixed(void)
{
    epv_mc *mc = NULL;
    if (epv_mc_new(ctx, &mc)) return NULL;
    double mean[3] = { 300, 0.05, 2.5 };
    double cov[9] = { 400, -0.05, 1.0, -0.05, 1e-5, 0.0002, 1.0, 0.0002, 0.04 };
    size_t first;
    epv_mc_dist a = epv_mc_dist_trunc_normal(1000, 100, 0, HUGE_VAL);
    epv_mc_dist b = epv_mc_dist_triangular(1.2, 1.4, 1.8);
    epv_mc_dist c = epv_mc_dist_uniform(0.45, 0.5);
    epv_mc_add_input(mc, "area_ha", &a, EPV_MC_NONNEG, NULL);
    epv_mc_add_mvnormal(mc, "richards", 3, mean, cov, 0, &first);
    epv_mc_add_input(mc, "bef", &b, EPV_MC_NONNEG, NULL);
    epv_mc_add_input(mc, "cf", &c, EPV_MC_NONNEG, NULL);
    size_t idx[2] = { 4, 5 };
    double corr[4] = { 1, 0.3, 0.3, 1 };
    epv_mc_set_correlation(mc, idx, 2, corr);
    return mc;
}

static int richards_model(const double *in, size_t nin, double *out, size_t nout, void *payload)
{
    (void)nin;
    (void)payload;
    for (size_t j = 0; j < nout; j++) {
        double t = 5.0 * (double)(j + 1);
        double v = in[1] * pow(1 - exp(-in[2] * t), in[3]);
        out[j] = in[0] * v * in[4] * in[5];
    }
    return 0;
}

void mc_test_threads_bitwise(void)
{
    /* 1700 iterations = 3 full blocks and a partial one: exercises the block edges. */
    const size_t n = 1700, nout = 4;
    double *a = malloc(n * sizeof *a), *b = malloc(n * sizeof *b);
    EPV_ASSERT_OK(ctx, epv_ctx_set_seed(ctx, 99));
    for (size_t j = 0; j < nout; j++) {
        for (int threads = 1; threads <= 2; threads++) {
            EPV_ASSERT_OK(ctx, epv_ctx_set_threads(ctx, threads));
            epv_mc *mc = make_mixed();
            CU_ASSERT_PTR_NOT_NULL_FATAL(mc);
            CU_ASSERT_EQUAL(epv_mc_n_inputs(mc), 6);
            EPV_ASSERT_OK(ctx, epv_mc_run(mc, n, nout, richards_model, NULL));
            EPV_ASSERT_OK(ctx, epv_mc_samples(mc, j, threads == 1 ? a : b, n));
            epv_mc_free(mc);
        }
        CU_ASSERT_EQUAL(memcmp(a, b, n * sizeof *a), 0);
    }
    EPV_ASSERT_OK(ctx, epv_ctx_set_threads(ctx, 1));
    free(a);
    free(b);
}

void mc_test_reproducible(void)
{
    const size_t n = 600;
    double *a = malloc(n * sizeof *a), *b = malloc(n * sizeof *b);
    EPV_ASSERT_OK(ctx, epv_ctx_set_seed(ctx, 12345));
    epv_mc *mc = make_mixed();
    CU_ASSERT_PTR_NOT_NULL_FATAL(mc);
    EPV_ASSERT_OK(ctx, epv_mc_run(mc, n, 2, richards_model, NULL));
    EPV_ASSERT_OK(ctx, epv_mc_samples(mc, 1, a, n));
    EPV_ASSERT_OK(ctx, epv_mc_run(mc, n, 2, richards_model, NULL)); /* same handle again */
    EPV_ASSERT_OK(ctx, epv_mc_samples(mc, 1, b, n));
    CU_ASSERT_EQUAL(memcmp(a, b, n * sizeof *a), 0);
    epv_mc_free(mc);
    EPV_ASSERT_OK(ctx, epv_ctx_set_seed(ctx, 12346)); /* another seed, other draws */
    mc = make_mixed();
    EPV_ASSERT_OK(ctx, epv_mc_run(mc, n, 2, richards_model, NULL));
    EPV_ASSERT_OK(ctx, epv_mc_samples(mc, 1, b, n));
    CU_ASSERT_NOT_EQUAL(memcmp(a, b, n * sizeof *a), 0);
    epv_mc_free(mc);
    free(a);
    free(b);
}

static double sample_corr(const double *x, const double *y, size_t n)
{
    double mx = 0, my = 0, sxy = 0, sxx = 0, syy = 0;
    for (size_t i = 0; i < n; i++) mx += x[i] / (double)n, my += y[i] / (double)n;
    for (size_t i = 0; i < n; i++) {
        sxy += (x[i] - mx) * (y[i] - my);
        sxx += (x[i] - mx) * (x[i] - mx);
        syy += (y[i] - my) * (y[i] - my);
    }
    return sxy / sqrt(sxx * syy);
}

void mc_test_correlation(void)
{
    /* Jointly normal (a, b) with correlation -0.8 from a covariance; the sample correlation
     * has standard error about (1 - r²)/sqrt(n) = 0.0025 at n = 20000. The sum's sd follows
     * var(a+b) = var a + var b + 2 cov(a, b) (exact for any joint distribution). */
    const size_t n = N_MOM;
    double mean[2] = { 10, 20 }, cov[4] = { 4, -0.8 * 2 * 3, -0.8 * 2 * 3, 9 };
    epv_mc *mc = NULL;
    EPV_ASSERT_OK(ctx, epv_ctx_set_seed(ctx, 5));
    EPV_ASSERT_OK(ctx, epv_mc_new(ctx, &mc));
    size_t first = 99;
    EPV_ASSERT_OK(ctx, epv_mc_add_mvnormal(mc, "fit", 2, mean, cov, 0, &first));
    CU_ASSERT_EQUAL(first, 0);
    /* uniform pair through the copula: rank correlation is kept, sign and size roughly */
    epv_mc_dist u = epv_mc_dist_uniform(0, 1);
    EPV_ASSERT_OK(ctx, epv_mc_add_input(mc, "u1", &u, 0, NULL));
    EPV_ASSERT_OK(ctx, epv_mc_add_input(mc, "u2", &u, 0, NULL));
    size_t idx[2] = { 2, 3 };
    double corr[4] = { 1, 0.6, 0.6, 1 };
    EPV_ASSERT_OK(ctx, epv_mc_set_correlation(mc, idx, 2, corr));
    EPV_ASSERT_OK(ctx, epv_mc_run(mc, n, 4, identity, NULL));
    double *a = malloc(n * sizeof *a), *b = malloc(n * sizeof *b);
    EPV_ASSERT_OK(ctx, epv_mc_samples(mc, 0, a, n));
    EPV_ASSERT_OK(ctx, epv_mc_samples(mc, 1, b, n));
    EPV_ASSERT_NEAR(sample_corr(a, b, n), -0.8, 5 * 0.36 / sqrt((double)n));
    check_moments(mc, 0, 10, 2);
    check_moments(mc, 1, 20, 3);
    /* Pearson correlation of uniforms from a Gaussian copula with r = 0.6 is
     * (6/pi) asin(r/2) = 0.5823 (Kruskal 1958). */
    EPV_ASSERT_OK(ctx, epv_mc_samples(mc, 2, a, n));
    EPV_ASSERT_OK(ctx, epv_mc_samples(mc, 3, b, n));
    EPV_ASSERT_NEAR(sample_corr(a, b, n), 6 / PI_ * asin(0.3), 0.03);
    epv_mc_free(mc);
    free(a);
    free(b);
}

void mc_test_results(void)
{
    epv_mc *mc = NULL;
    EPV_ASSERT_OK(ctx, epv_ctx_set_seed(ctx, 3));
    EPV_ASSERT_OK(ctx, epv_mc_new(ctx, &mc));
    epv_mc_dist d = epv_mc_dist_normal(0, 1);
    EPV_ASSERT_OK(ctx, epv_mc_add_input(mc, "z", &d, 0, NULL));
    EPV_ASSERT_OK(ctx, epv_mc_run(mc, N_MOM, 1, identity, NULL));
    /* Standard normal quantiles 1.959964, 1.644854, 0 (NIST e-Handbook 1.3.6.7.1); the
     * sampling SE of the 97.5 percentile at n = 20000 is about 0.019. */
    double pct[4] = { 2.5, 50, 95, 97.5 }, q[4];
    EPV_ASSERT_OK(ctx, epv_mc_percentiles(mc, 0, pct, 4, q));
    EPV_ASSERT_NEAR(q[0], -1.959964, 0.1);
    EPV_ASSERT_NEAR(q[1], 0, 0.05);
    EPV_ASSERT_NEAR(q[2], 1.644854, 0.08);
    EPV_ASSERT_NEAR(q[3], 1.959964, 0.1);
    epv_mc_summary s = EPV_MC_SUMMARY_INIT;
    EPV_ASSERT_OK(ctx, epv_mc_summarize(mc, 0, &s));
    CU_ASSERT_EQUAL(s.p2_5, q[0]);
    CU_ASSERT_EQUAL(s.p97_5, q[3]);
    /* histogram over [min, max] counts every draw; over [-1, 1] about 68.27% of them */
    epv_i64 counts[20], total = 0;
    EPV_ASSERT_OK(ctx, epv_mc_histogram(mc, 0, 20, 0, 0, counts));
    for (int b = 0; b < 20; b++) total += counts[b];
    CU_ASSERT_EQUAL(total, N_MOM);
    epv_i64 c2[2];
    EPV_ASSERT_OK(ctx, epv_mc_histogram(mc, 0, 2, -1, 1, c2));
    EPV_ASSERT_NEAR((double)(c2[0] + c2[1]) / N_MOM, 0.682689, 0.02);
    epv_mc_free(mc);
}

void mc_test_svg(void)
{
    epv_mc *mc = NULL;
    EPV_ASSERT_OK(ctx, epv_mc_new(ctx, &mc));
    epv_mc_dist d = epv_mc_dist_lognormal(100, 30);
    EPV_ASSERT_OK(ctx, epv_mc_add_input(mc, "removals", &d, 0, NULL));
    EPV_ASSERT_OK(ctx, epv_mc_run(mc, 2000, 1, identity, NULL));
    char path[] = "/tmp/epv_unc_svgXXXXXX";
    int fd = mkstemp(path);
    CU_ASSERT_FATAL(fd >= 0);
    close(fd);
    EPV_ASSERT_OK(ctx, epv_mc_write_histogram_svg(mc, 0, 30, "Removals <t CO2e>", "t CO2e", 1.0, path));
    FILE *f = fopen(path, "r");
    char buf[8192] = { 0 };
    size_t got = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
    if (f) fclose(f);
    CU_ASSERT(got > 100);
    CU_ASSERT_PTR_NOT_NULL(strstr(buf, "<svg"));
    CU_ASSERT_PTR_NOT_NULL(strstr(buf, "&lt;t CO2e&gt;")); /* title escaped */
    CU_ASSERT_PTR_NOT_NULL(strstr(buf, "</svg>"));
    remove(path);
    EPV_ASSERT_STATUS(ctx, epv_mc_write_histogram_svg(mc, 0, 30, NULL, NULL, 1.0, "/nonexistent-dir/x.svg"),
                      EPV_EIO);
    EPV_ASSERT_ERRMSG_HAS(ctx, "/nonexistent-dir/x.svg");
    epv_mc_free(mc);
}

static int failing_model(const double *in, size_t nin, double *out, size_t nout, void *payload)
{
    (void)nin;
    (void)nout;
    (void)payload;
    if (in[0] > 1.5) return EPV_EDOMAIN;
    out[0] = in[0];
    return 0;
}

static int nan_model(const double *in, size_t nin, double *out, size_t nout, void *payload)
{
    (void)in;
    (void)nin;
    (void)payload;
    for (size_t j = 0; j < nout; j++) out[j] = j == 1 ? NAN : 1.0;
    return 0;
}

void mc_test_errors(void)
{
    epv_mc *mc = NULL;
    EPV_ASSERT_OK(ctx, epv_mc_new(ctx, &mc));
    size_t idx;
    /* non-positive standard deviations */
    epv_mc_dist d = epv_mc_dist_normal(10, 0);
    EPV_ASSERT_STATUS(ctx, epv_mc_add_input(mc, "density", &d, 0, &idx), EPV_ERANGE);
    EPV_ASSERT_ERRMSG_HAS(ctx, "'density'");
    EPV_ASSERT_ERRMSG_HAS(ctx, "standard deviation");
    d = epv_mc_dist_lognormal(10, -1);
    EPV_ASSERT_STATUS(ctx, epv_mc_add_input(mc, "bef", &d, 0, &idx), EPV_ERANGE);
    EPV_ASSERT_ERRMSG_HAS(ctx, "'bef'");
    d = epv_mc_dist_lognormal_log(1, 0);
    EPV_ASSERT_STATUS(ctx, epv_mc_add_input(mc, "k", &d, 0, &idx), EPV_ERANGE);
    EPV_ASSERT_ERRMSG_HAS(ctx, "'k'");
    d = epv_mc_dist_trunc_normal(1, -2, 0, 5);
    EPV_ASSERT_STATUS(ctx, epv_mc_add_input(mc, "tn", &d, 0, &idx), EPV_ERANGE);
    EPV_ASSERT_ERRMSG_HAS(ctx, "'tn'");
    /* bad shapes */
    d = epv_mc_dist_uniform(5, 5);
    EPV_ASSERT_STATUS(ctx, epv_mc_add_input(mc, "u", &d, 0, &idx), EPV_ERANGE);
    EPV_ASSERT_ERRMSG_HAS(ctx, "'u'");
    d = epv_mc_dist_triangular(0, 4, 3);
    EPV_ASSERT_STATUS(ctx, epv_mc_add_input(mc, "tri", &d, 0, &idx), EPV_ERANGE);
    EPV_ASSERT_ERRMSG_HAS(ctx, "'tri'");
    d = epv_mc_dist_trunc_normal(0, 1, 50, 60); /* no mass in double precision */
    EPV_ASSERT_STATUS(ctx, epv_mc_add_input(mc, "far", &d, 0, &idx), EPV_ERANGE);
    EPV_ASSERT_ERRMSG_HAS(ctx, "'far'");
    d.type = (epv_mc_dist_type)42;
    EPV_ASSERT_STATUS(ctx, epv_mc_add_input(mc, "odd", &d, 0, &idx), EPV_EINVAL);
    EPV_ASSERT_ERRMSG_HAS(ctx, "'odd'");
    /* a distribution that can only be negative somewhere, declared non-negative (an area) */
    d = epv_mc_dist_uniform(-10, 100);
    EPV_ASSERT_STATUS(ctx, epv_mc_add_input(mc, "area_ha", &d, EPV_MC_NONNEG, &idx), EPV_ERANGE);
    EPV_ASSERT_ERRMSG_HAS(ctx, "'area_ha'");
    EPV_ASSERT_ERRMSG_HAS(ctx, "non-negative");
    d = epv_mc_dist_trunc_normal(10, 5, -1, 100);
    EPV_ASSERT_STATUS(ctx, epv_mc_add_input(mc, "area2_ha", &d, EPV_MC_NONNEG, &idx), EPV_ERANGE);
    EPV_ASSERT_ERRMSG_HAS(ctx, "'area2_ha'");
    CU_ASSERT_EQUAL(epv_mc_n_inputs(mc), 0); /* nothing was added by the failures */

    /* results before any run */
    epv_mc_summary s = EPV_MC_SUMMARY_INIT;
    EPV_ASSERT_STATUS(ctx, epv_mc_summarize(mc, 0, &s), EPV_ESTATE);
    EPV_ASSERT_ERRMSG_HAS(ctx, "epv_mc_run");
    /* no inputs */
    EPV_ASSERT_STATUS(ctx, epv_mc_run(mc, 10, 1, identity, NULL), EPV_ESTATE);
    EPV_ASSERT_ERRMSG_HAS(ctx, "no inputs");

    /* a normal area whose draws go negative: fails the run naming the input */
    d = epv_mc_dist_normal(1, 1);
    EPV_ASSERT_OK(ctx, epv_mc_add_input(mc, "stratum_area_ha", &d, EPV_MC_NONNEG, &idx));
    EPV_ASSERT_OK(ctx, epv_ctx_set_threads(ctx, 2));
    EPV_ASSERT_STATUS(ctx, epv_mc_run(mc, 1000, 1, identity, NULL), EPV_EDOMAIN);
    EPV_ASSERT_ERRMSG_HAS(ctx, "'stratum_area_ha'");
    EPV_ASSERT_ERRMSG_HAS(ctx, "negative");
    EPV_ASSERT_STATUS(ctx, epv_mc_summarize(mc, 0, &s), EPV_ESTATE); /* all or nothing */
    EPV_ASSERT_OK(ctx, epv_ctx_set_threads(ctx, 1));
    epv_mc_free(mc);

    /* Among several inputs, a negative draw of an input not declared non-negative is allowed,
     * and the one reported is a declared one, the same whatever the threads (the runner counts
     * negatives in one pass and then looks for the first). */
    {
        char first[EPV_ERRMSG_MAX] = "";
        for (int threads = 1; threads <= 3; threads += 2) {
            EPV_ASSERT_OK(ctx, epv_mc_new(ctx, &mc));
            d = epv_mc_dist_normal(-5, 1);
            EPV_ASSERT_OK(ctx, epv_mc_add_input(mc, "free", &d, 0, &idx));
            d = epv_mc_dist_lognormal(2, 1);
            EPV_ASSERT_OK(ctx, epv_mc_add_input(mc, "positive", &d, EPV_MC_NONNEG, &idx));
            d = epv_mc_dist_normal(4, 1);
            EPV_ASSERT_OK(ctx, epv_mc_add_input(mc, "area_a", &d, EPV_MC_NONNEG, &idx));
            d = epv_mc_dist_normal(0.5, 1);
            EPV_ASSERT_OK(ctx, epv_mc_add_input(mc, "area_b", &d, EPV_MC_NONNEG, &idx));
            EPV_ASSERT_OK(ctx, epv_ctx_set_threads(ctx, threads));
            EPV_ASSERT_STATUS(ctx, epv_mc_run(mc, 5000, 1, identity, NULL), EPV_EDOMAIN);
            CU_ASSERT_PTR_NULL(strstr(epv_ctx_errmsg(ctx), "'free'"));
            CU_ASSERT_PTR_NULL(strstr(epv_ctx_errmsg(ctx), "'positive'"));
            EPV_ASSERT_ERRMSG_HAS(ctx, "'area_");
            if (threads == 1)
                snprintf(first, sizeof first, "%s", epv_ctx_errmsg(ctx));
            else
                CU_ASSERT_STRING_EQUAL(epv_ctx_errmsg(ctx), first);
            epv_mc_free(mc);
        }
        EPV_ASSERT_OK(ctx, epv_ctx_set_threads(ctx, 1));
    }

    EPV_ASSERT_OK(ctx, epv_mc_new(ctx, &mc));
    d = epv_mc_dist_normal(1, 1);
    EPV_ASSERT_OK(ctx, epv_mc_add_input(mc, "x", &d, 0, &idx));
    /* zero iterations, zero outputs, NULL model */
    EPV_ASSERT_STATUS(ctx, epv_mc_run(mc, 0, 1, identity, NULL), EPV_ERANGE);
    EPV_ASSERT_ERRMSG_HAS(ctx, "iterations");
    EPV_ASSERT_STATUS(ctx, epv_mc_run(mc, 10, 0, identity, NULL), EPV_ERANGE);
    EPV_ASSERT_ERRMSG_HAS(ctx, "n_outputs");
    EPV_ASSERT_STATUS(ctx, epv_mc_run(mc, 10, 1, NULL, NULL), EPV_EINVAL);
    /* a failing model is EPV_ECALLBACK with its return value and the iteration */
    EPV_ASSERT_STATUS(ctx, epv_mc_run(mc, 1000, 1, failing_model, NULL), EPV_ECALLBACK);
    EPV_ASSERT_ERRMSG_HAS(ctx, "model callback returned");
    EPV_ASSERT_ERRMSG_HAS(ctx, "iteration");
    /* non-finite output named */
    EPV_ASSERT_STATUS(ctx, epv_mc_run(mc, 10, 2, nan_model, NULL), EPV_EDOMAIN);
    EPV_ASSERT_ERRMSG_HAS(ctx, "output 1");
    /* percentiles outside (0, 100), bad output index, small buffer */
    EPV_ASSERT_OK(ctx, epv_mc_run(mc, 100, 1, identity, NULL));
    double p[2] = { 50, 100 }, q[2];
    EPV_ASSERT_STATUS(ctx, epv_mc_percentiles(mc, 0, p, 2, q), EPV_ERANGE);
    EPV_ASSERT_ERRMSG_HAS(ctx, "pct[1]");
    p[1] = 0;
    EPV_ASSERT_STATUS(ctx, epv_mc_percentiles(mc, 0, p, 2, q), EPV_ERANGE);
    EPV_ASSERT_ERRMSG_HAS(ctx, "pct[1]");
    p[0] = -2.5;
    EPV_ASSERT_STATUS(ctx, epv_mc_percentiles(mc, 0, p, 2, q), EPV_ERANGE);
    EPV_ASSERT_ERRMSG_HAS(ctx, "pct[0]");
    EPV_ASSERT_STATUS(ctx, epv_mc_summarize(mc, 3, &s), EPV_ERANGE);
    EPV_ASSERT_ERRMSG_HAS(ctx, "output");
    double small[10];
    EPV_ASSERT_STATUS(ctx, epv_mc_samples(mc, 0, small, 10), EPV_ERANGE);
    EPV_ASSERT_ERRMSG_HAS(ctx, "bufsize");
    epv_i64 counts[4];
    EPV_ASSERT_STATUS(ctx, epv_mc_histogram(mc, 0, 4, 2, 1, counts), EPV_ERANGE);
    EPV_ASSERT_ERRMSG_HAS(ctx, "histogram range");

    /* correlation matrices that cannot exist */
    epv_mc_dist u = epv_mc_dist_uniform(0, 1);
    EPV_ASSERT_OK(ctx, epv_mc_add_input(mc, "y", &u, 0, NULL));
    EPV_ASSERT_OK(ctx, epv_mc_add_input(mc, "z", &u, 0, NULL));
    size_t three[3] = { 0, 1, 2 };
    /* pairwise 0.9, 0.9 and -0.9: each entry legal, together impossible (eigenvalue < 0) */
    double npd[9] = { 1, 0.9, 0.9, 0.9, 1, -0.9, 0.9, -0.9, 1 };
    EPV_ASSERT_STATUS(ctx, epv_mc_set_correlation(mc, three, 3, npd), EPV_EDOMAIN);
    EPV_ASSERT_ERRMSG_HAS(ctx, "corr");
    EPV_ASSERT_ERRMSG_HAS(ctx, "positive definite");
    double big[4] = { 1, 1.2, 1.2, 1 };
    EPV_ASSERT_STATUS(ctx, epv_mc_set_correlation(mc, three, 2, big), EPV_ERANGE);
    EPV_ASSERT_ERRMSG_HAS(ctx, "corr[0][1]");
    double asym[4] = { 1, 0.2, 0.3, 1 };
    EPV_ASSERT_STATUS(ctx, epv_mc_set_correlation(mc, three, 2, asym), EPV_ERANGE);
    EPV_ASSERT_ERRMSG_HAS(ctx, "symmetric");
    double diag[4] = { 0.5, 0.2, 0.2, 1 };
    EPV_ASSERT_STATUS(ctx, epv_mc_set_correlation(mc, three, 2, diag), EPV_ERANGE);
    EPV_ASSERT_ERRMSG_HAS(ctx, "diagonal");
    double one[4] = { 1, 1, 1, 1 }; /* perfectly correlated: singular */
    EPV_ASSERT_STATUS(ctx, epv_mc_set_correlation(mc, three, 2, one), EPV_EDOMAIN);
    size_t badidx[2] = { 0, 7 };
    double ok[4] = { 1, 0.5, 0.5, 1 };
    EPV_ASSERT_STATUS(ctx, epv_mc_set_correlation(mc, badidx, 2, ok), EPV_ERANGE);
    EPV_ASSERT_ERRMSG_HAS(ctx, "idx[1]");
    EPV_ASSERT_OK(ctx, epv_mc_set_correlation(mc, three, 2, ok));
    size_t again[2] = { 1, 2 };
    EPV_ASSERT_STATUS(ctx, epv_mc_set_correlation(mc, again, 2, ok), EPV_EEXISTS);
    EPV_ASSERT_ERRMSG_HAS(ctx, "'y'");
    /* covariance from a fit that is not positive definite */
    double mean[2] = { 300, 0.05 };
    double cov[4] = { 4, 3, 3, 1 }; /* implied correlation 1.5 */
    EPV_ASSERT_STATUS(ctx, epv_mc_add_mvnormal(mc, "richards", 2, mean, cov, 0, NULL), EPV_EDOMAIN);
    EPV_ASSERT_ERRMSG_HAS(ctx, "richards");
    double cov3[9] = { 1, 0.9, 0.9, 0.9, 1, -0.9, 0.9, -0.9, 1 };
    double mean3[3] = { 1, 2, 3 };
    EPV_ASSERT_STATUS(ctx, epv_mc_add_mvnormal(mc, "abc", 3, mean3, cov3, 0, NULL), EPV_EDOMAIN);
    EPV_ASSERT_ERRMSG_HAS(ctx, "abc: cov");
    double cov0[4] = { 0, 0, 0, 1 };
    EPV_ASSERT_STATUS(ctx, epv_mc_add_mvnormal(mc, "abc", 2, mean, cov0, 0, NULL), EPV_ERANGE);
    EPV_ASSERT_ERRMSG_HAS(ctx, "cov[0][0]");
    CU_ASSERT_EQUAL(epv_mc_n_inputs(mc), 3); /* failed calls added nothing */
    epv_mc_free(mc);
    epv_mc_free(NULL);
}

/* ---- 0.2: streams, callbacks, progress and cancellation, bulk access ----------------------- */

void mc_test_generators(void)
{
    /* SplitMix64 (Steele, Lea & Flood 2014) seeded with 1234567: the first five outputs as
     * published on Rosetta Code, "Pseudo-random numbers/Splitmix64". Output k is the mix of
     * seed + k·gamma, which epv__splitmix64 computes from seed + (k-1)·gamma. */
    static const uint64_t sm[5] = { UINT64_C(6457827717110365317), UINT64_C(3203168211198807973),
                                    UINT64_C(9817491932198370423), UINT64_C(4593380528125082431),
                                    UINT64_C(16408922859458223821) };
    uint64_t x = 1234567;
    for (int k = 0; k < 5; k++) {
        CU_ASSERT_EQUAL(epv__splitmix64(x), sm[k]);
        x += UINT64_C(0x9E3779B97F4A7C15);
    }
    /* The state of a stream is those SplitMix64 outputs in order. */
    uint64_t st[4];
    epv__xoshiro256ss_seed(st, 1234567);
    for (int k = 0; k < 4; k++) CU_ASSERT_EQUAL(st[k], sm[k]);
    /* xoshiro256** (Blackman & Vigna 2018) from the state {1, 2, 3, 4}: the reference
     * implementation's first ten outputs, as the rand_xoshiro crate's test lists them. */
    static const uint64_t xs[10] = { UINT64_C(11520), UINT64_C(0), UINT64_C(1509978240),
                                     UINT64_C(1215971899390074240), UINT64_C(1216172134540287360),
                                     UINT64_C(607988272756665600), UINT64_C(16172922978634559625),
                                     UINT64_C(8476171486693032832), UINT64_C(10595114339597558777),
                                     UINT64_C(2904607092377533576) };
    uint64_t s[4] = { 1, 2, 3, 4 };
    for (int k = 0; k < 10; k++) CU_ASSERT_EQUAL(epv__xoshiro256ss_next(s), xs[k]);
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

void mc_test_block_seeds(void)
{
    /* Block seeds are a bijection of the block number: 10^5 blocks (5·10^7 draws) under one
     * seed never share a seed (the 0.1 runner's 32-bit seeds collided with probability ~69%
     * at this count: 1 - exp(-n²/2^33)). Seeds 0 and 1 give different streams too. */
    const size_t n = 100000;
    uint64_t *v = malloc(n * sizeof *v);
    CU_ASSERT_PTR_NOT_NULL_FATAL(v);
    for (uint64_t seed = 0; seed < 2; seed++) {
        for (size_t b = 0; b < n; b++) v[b] = epv__mc_block_seed(seed, b);
        qsort(v, n, sizeof *v, cmp_u64);
        size_t dup = 0;
        for (size_t b = 1; b < n; b++) dup += v[b] == v[b - 1];
        CU_ASSERT_EQUAL(dup, 0);
    }
    CU_ASSERT_NOT_EQUAL(epv__mc_block_seed(0, 5), epv__mc_block_seed(1, 5));
    free(v);
}

static int count_progress(double fraction, const char *message, void *payload)
{
    (void)fraction;
    (void)message;
    ++*(int *)payload;
    return 0;
}

void mc_test_threads_any(void)
{
    int reports = 0;
    /* Bit-identical for 1, 2, 3 and 4 threads (uneven splits of 7 blocks and a partial one),
     * with and without a progress callback (which runs the blocks in rounds). */
    const size_t n = 3700;
    double *ref = malloc(n * 4 * sizeof *ref), *got = malloc(n * 4 * sizeof *got);
    CU_ASSERT_PTR_NOT_NULL_FATAL(ref);
    CU_ASSERT_PTR_NOT_NULL_FATAL(got);
    EPV_ASSERT_OK(ctx, epv_ctx_set_seed(ctx, UINT64_C(0xFEEDFACECAFEBEEF)));
    for (int pass = 0; pass < 2; pass++) {
        for (int threads = 1; threads <= 4; threads++) {
            EPV_ASSERT_OK(ctx, epv_ctx_set_threads(ctx, threads));
            epv_mc *mc = make_mixed();
            CU_ASSERT_PTR_NOT_NULL_FATAL(mc);
            EPV_ASSERT_OK(ctx, epv_mc_run(mc, n, 4, richards_model, NULL));
            for (size_t j = 0; j < 4; j++)
                EPV_ASSERT_OK(ctx, epv_mc_samples(mc, j, (threads == 1 && pass == 0 ? ref : got) + j * n, n));
            if (threads > 1 || pass > 0) CU_ASSERT_EQUAL(memcmp(ref, got, n * 4 * sizeof *ref), 0);
            epv_mc_free(mc);
        }
        EPV_ASSERT_OK(ctx, epv_ctx_set_progress(ctx, count_progress, &reports));
    }
    CU_ASSERT(reports > 0);
    EPV_ASSERT_OK(ctx, epv_ctx_set_progress(ctx, NULL, NULL));
    EPV_ASSERT_OK(ctx, epv_ctx_set_threads(ctx, 1));
    free(ref);
    free(got);
}

/* A model that fails from a given iteration on, as a binding's exception would. */
static int raising_model(const double *in, size_t nin, double *out, size_t nout, void *payload)
{
    (void)nin;
    (void)nout;
    (void)payload;
    out[0] = in[0];
    return in[0] > 2.5 ? 1 : 0; /* positive: not even an epv status */
}

void mc_test_callback_failure(void)
{
    epv_mc *mc = NULL;
    EPV_ASSERT_OK(ctx, epv_mc_new(ctx, &mc));
    epv_mc_dist d = epv_mc_dist_normal(0, 1);
    EPV_ASSERT_OK(ctx, epv_mc_add_input(mc, "z", &d, 0, NULL));
    EPV_ASSERT_OK(ctx, epv_mc_run(mc, 100, 1, identity, NULL));
    /* A failing callback is never a draw: EPV_ECALLBACK naming the return value and the
     * iteration, and no results (the earlier run's are gone too). */
    for (int threads = 1; threads <= 2; threads++) {
        EPV_ASSERT_OK(ctx, epv_ctx_set_threads(ctx, threads));
        EPV_ASSERT_STATUS(ctx, epv_mc_run(mc, 5000, 1, raising_model, NULL), EPV_ECALLBACK);
        EPV_ASSERT_ERRMSG_HAS(ctx, "returned 1");
        EPV_ASSERT_ERRMSG_HAS(ctx, "iteration");
        epv_mc_summary s = EPV_MC_SUMMARY_INIT;
        EPV_ASSERT_STATUS(ctx, epv_mc_summarize(mc, 0, &s), EPV_ESTATE);
        const double *v = NULL;
        size_t nv = 7;
        EPV_ASSERT_STATUS(ctx, epv_mc_column(mc, 0, &v, &nv), EPV_ESTATE);
        CU_ASSERT_PTR_NULL(v);
    }
    /* Many iterations fail (z > 2.5 in about 0.6% of the draws, in many blocks): whichever
     * worker meets a failure first, the run reports the earliest failing iteration, so the
     * message is the same for any thread count. */
    char first[512];
    for (int threads = 1; threads <= 4; threads++) {
        EPV_ASSERT_OK(ctx, epv_ctx_set_threads(ctx, threads));
        EPV_ASSERT_STATUS(ctx, epv_mc_run(mc, 20000, 1, raising_model, NULL), EPV_ECALLBACK);
        if (threads == 1)
            snprintf(first, sizeof first, "%s", epv_ctx_errmsg(ctx));
        else
            CU_ASSERT_STRING_EQUAL(epv_ctx_errmsg(ctx), first);
    }
    EPV_ASSERT_OK(ctx, epv_ctx_set_threads(ctx, 1));
    epv_mc_free(mc);
}

struct progress_log {
    pthread_t caller;
    int calls, wrong_thread, decreasing, stop_at;
    double last;
};

static int progress_cb(double fraction, const char *message, void *payload)
{
    struct progress_log *pl = payload;
    if (!pthread_equal(pthread_self(), pl->caller)) pl->wrong_thread++;
    if (fraction < pl->last) pl->decreasing++;
    if (!message) pl->wrong_thread++;
    pl->last = fraction;
    pl->calls++;
    return pl->stop_at > 0 && pl->calls >= pl->stop_at;
}

void mc_test_progress_cancel(void)
{
    struct progress_log pl = { pthread_self(), 0, 0, 0, 0, 0.0 };
    EPV_ASSERT_OK(ctx, epv_ctx_set_threads(ctx, 2));
    EPV_ASSERT_OK(ctx, epv_ctx_set_progress(ctx, progress_cb, &pl));
    epv_mc *mc = make_mixed();
    CU_ASSERT_PTR_NOT_NULL_FATAL(mc);
    /* 200 blocks: several rounds, so several reports, all from this thread, never decreasing,
     * ending at 1. */
    EPV_ASSERT_OK(ctx, epv_mc_run(mc, 200 * 512, 1, richards_model, NULL));
    CU_ASSERT(pl.calls >= 4);
    CU_ASSERT_EQUAL(pl.wrong_thread, 0);
    CU_ASSERT_EQUAL(pl.decreasing, 0);
    EPV_ASSERT_NEAR(pl.last, 1.0, 0);
    /* Cancelling at the second report: EPV_ECANCELLED and no results at all. */
    pl.calls = 0;
    pl.last = 0;
    pl.stop_at = 2;
    EPV_ASSERT_STATUS(ctx, epv_mc_run(mc, 200 * 512, 1, richards_model, NULL), EPV_ECANCELLED);
    EPV_ASSERT_ERRMSG_HAS(ctx, "cancelled");
    CU_ASSERT_EQUAL(pl.calls, 2);
    epv_mc_summary s = EPV_MC_SUMMARY_INIT;
    EPV_ASSERT_STATUS(ctx, epv_mc_summarize(mc, 0, &s), EPV_ESTATE);
    /* Cancelling at the very last report (after all draws) still keeps nothing. */
    pl.calls = 0;
    pl.last = 0;
    pl.stop_at = 0;
    EPV_ASSERT_OK(ctx, epv_mc_run(mc, 3 * 512, 1, richards_model, NULL));
    int total = pl.calls;
    pl.calls = 0;
    pl.last = 0;
    pl.stop_at = total;
    EPV_ASSERT_STATUS(ctx, epv_mc_run(mc, 3 * 512, 1, richards_model, NULL), EPV_ECANCELLED);
    EPV_ASSERT_STATUS(ctx, epv_mc_summarize(mc, 0, &s), EPV_ESTATE);
    epv_mc_free(mc);
    EPV_ASSERT_OK(ctx, epv_ctx_set_progress(ctx, NULL, NULL));
    EPV_ASSERT_OK(ctx, epv_ctx_set_threads(ctx, 1));
}

void mc_test_column_and_versions(void)
{
    epv_mc *mc = make_mixed();
    CU_ASSERT_PTR_NOT_NULL_FATAL(mc);
    /* fewer than two draws is an error */
    EPV_ASSERT_STATUS(ctx, epv_mc_run(mc, 1, 1, richards_model, NULL), EPV_ERANGE);
    EPV_ASSERT_ERRMSG_HAS(ctx, "at least 2");
    EPV_ASSERT_OK(ctx, epv_mc_run(mc, 777, 2, richards_model, NULL));
    /* the column is the copy, without copying */
    const double *v = NULL;
    size_t n = 0;
    EPV_ASSERT_OK(ctx, epv_mc_column(mc, 1, &v, &n));
    CU_ASSERT_EQUAL_FATAL(n, 777);
    double *copy = malloc(n * sizeof *copy);
    EPV_ASSERT_OK(ctx, epv_mc_samples(mc, 1, copy, n));
    CU_ASSERT_EQUAL(memcmp(v, copy, n * sizeof *v), 0);
    free(copy);
    EPV_ASSERT_STATUS(ctx, epv_mc_column(mc, 2, &v, &n), EPV_ERANGE);
    EPV_ASSERT_STATUS(ctx, epv_mc_column(mc, 0, NULL, &n), EPV_EINVAL);
    EPV_ASSERT_ERRMSG_HAS(ctx, "values");
    EPV_ASSERT_STATUS(ctx, epv_mc_column(mc, 0, &v, NULL), EPV_EINVAL);
    CU_ASSERT_EQUAL(epv_mc_column(NULL, 0, &v, &n), EPV_EINVAL);
    /* versioned structs: an uninitialised summary or distribution is refused */
    epv_mc_summary s;
    memset(&s, 0, sizeof s);
    EPV_ASSERT_STATUS(ctx, epv_mc_summarize(mc, 0, &s), EPV_EVERSION);
    EPV_ASSERT_ERRMSG_HAS(ctx, "epv_mc_summary");
    epv_mc_dist d;
    memset(&d, 0, sizeof d);
    d.type = EPV_MC_DIST_NORMAL;
    d.b = 1;
    EPV_ASSERT_STATUS(ctx, epv_mc_add_input(mc, "raw", &d, 0, NULL), EPV_EVERSION);
    EPV_ASSERT_ERRMSG_HAS(ctx, "raw");
    EPV_ASSERT_OK(ctx, epv_mc_dist_init(ctx, &d, EPV_MC_DIST_VERSION));
    CU_ASSERT_EQUAL(d.type, EPV_MC_DIST_CONSTANT);
    EPV_ASSERT_STATUS(ctx, epv_mc_dist_init(ctx, &d, 2), EPV_EVERSION);
    EPV_ASSERT_STATUS(ctx, epv_mc_summary_init(ctx, &s, 0), EPV_EVERSION);
    EPV_ASSERT_OK(ctx, epv_mc_summary_init(ctx, &s, 1));
    CU_ASSERT_EQUAL(s.version, EPV_MC_SUMMARY_VERSION);
    epv_mc_free(mc);
}

/* The runner's own ziggurat sampler (Marsaglia & Tsang 2000, Doornik 2005): 2 × 10⁶ standard
 * normals against the moments of N(0, 1) (mean 0, variance 1, skewness 0, kurtosis 3) and
 * its tail probabilities (Φ from gsl_cdf_ugaussian_P): each within 5 standard errors. The
 * probability beyond r = 3.6541528853610088 checks the tail branch, the one below 0.3 the
 * layers near the top, where every point goes through the wedge test. */
void mc_test_normal_sampler(void)
{
    epv_mc *mc = NULL;
    EPV_ASSERT_OK(ctx, epv_mc_new(ctx, &mc));
    epv_mc_dist d = epv_mc_dist_normal(0, 1);
    EPV_ASSERT_OK(ctx, epv_mc_add_input(mc, "z", &d, 0, NULL));
    const size_t n = 2000000;
    EPV_ASSERT_OK(ctx, epv_mc_run(mc, n, 1, identity, NULL));
    const double *z = NULL;
    size_t nz = 0;
    EPV_ASSERT_OK(ctx, epv_mc_column(mc, 0, &z, &nz));
    CU_ASSERT_EQUAL_FATAL(nz, n);
    double m1 = 0, m2 = 0, m3 = 0, m4 = 0, below = 0, tail = 0, mid = 0;
    for (size_t i = 0; i < n; i++) {
        double x = z[i], x2 = x * x;
        m1 += x;
        m2 += x2;
        m3 += x2 * x;
        m4 += x2 * x2;
        below += x < -1.959963984540054;
        tail += fabs(x) > 3.6541528853610088;
        mid += fabs(x) < 0.3;
    }
    double N = (double)n;
    m1 /= N;
    m2 /= N;
    m3 /= N;
    m4 /= N;
    CU_ASSERT(fabs(m1) < 5 * sqrt(1 / N));
    CU_ASSERT(fabs(m2 - 1) < 5 * sqrt(2 / N));
    CU_ASSERT(fabs(m3) < 5 * sqrt(15 / N));
    CU_ASSERT(fabs(m4 - 3) < 5 * sqrt(96 / N));
    double p_below = 0.025, p_tail = 2 * gsl_cdf_ugaussian_Q(3.6541528853610088),
           p_mid = 2 * gsl_cdf_ugaussian_P(0.3) - 1;
    CU_ASSERT(fabs(below / N - p_below) < 5 * sqrt(p_below * (1 - p_below) / N));
    CU_ASSERT(fabs(tail / N - p_tail) < 5 * sqrt(p_tail * (1 - p_tail) / N));
    CU_ASSERT(fabs(mid / N - p_mid) < 5 * sqrt(p_mid * (1 - p_mid) / N));
    epv_mc_free(mc);
}
