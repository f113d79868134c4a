/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of the applied uncertainty of project net removals (lib/sink_unc.c) and of the
 * per-value uncertainties in the parameter table. Iteration counts stay small: the suite
 * also runs under valgrind. */
#define _POSIX_C_SOURCE 200809L
#include "test_util.h"

#include <epv.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static epv_ctx *ctx;
static epv_params *params;

/* A Richards stand of Chinese fir (杉木, BEF method), planted at the start of the project. */
static epv_project_stratum fir(const char *id, double area_ha)
{
    epv_project_stratum s = EPV_PROJECT_STRATUM_INIT;
    snprintf(s.id, sizeof s.id, "%s", id);
    snprintf(s.species, sizeof s.species, "杉木");
    s.area_ha = area_ha;
    s.planting_year = 2021;
    s.curve.model = EPV_GROWTH_RICHARDS;
    s.curve.a = 300;
    s.curve.b = 0.08;
    s.curve.c = 2.5;
    return s;
}

static epv_project *fir_project(int nstrata, const epv_params *table)
{
    epv_project *p = NULL;
    if (epv_project_new(ctx, "fir", EPV_PROJECT_AFFORESTATION, 2021, 30, &p)) return NULL;
    for (int i = 0; i < nstrata; i++) {
        char id[16];
        snprintf(id, sizeof id, "s%d", i + 1);
        epv_project_stratum s = fir(id, 100);
        if (epv_project_add_stratum(ctx, p, table, &s)) {
            epv_project_free(p);
            return NULL;
        }
    }
    return p;
}

static double u_of(const char *species, const char *field)
{
    epv_params_value_uncertainty vu = EPV_PARAMS_VALUE_UNCERTAINTY_INIT;
    if (epv_params_species_uncertainty(ctx, params, species, field, &vu)) return NAN;
    return vu.u_pct;
}

static void test_params_uncertainty(void)
{
    epv_params_value_uncertainty vu = EPV_PARAMS_VALUE_UNCERTAINTY_INIT;
    /* IPCC 2006 Vol. 4 Table 4.3: carbon fraction 0.47, range 0.44-0.49 -> 0.025/0.47 = 5.3%
     * (stored as provisional: not re-checked against the PDF). */
    EPV_ASSERT_OK(ctx, epv_params_species_uncertainty(ctx, params, "杉木", "carbon_fraction", &vu));
    EPV_ASSERT_NEAR(vu.u_pct, 100 * 0.025 / 0.47, 0.05);
    CU_ASSERT_STRING_EQUAL(vu.source, "ipcc2006_v4_ch4_ranges");
    CU_ASSERT_EQUAL(vu.provisional, 1);
    /* IPCC 2006 Vol. 4 Table 4.4, subtropical humid forest < 125 t/ha: 0.20 (0.09-0.25) -> 40%. */
    EPV_ASSERT_NEAR(u_of("pinus_massoniana", "root_shoot"), 100 * 0.08 / 0.20, 1e-9);
    /* No uncertainty recorded for Fang's intercept. */
    EPV_ASSERT_STATUS(ctx, epv_params_species_uncertainty(ctx, params, "杉木", "fang_b", &vu), EPV_ENOTFOUND);
    EPV_ASSERT_ERRMSG_HAS(ctx, "fang_b");
    EPV_ASSERT_STATUS(ctx, epv_params_species_uncertainty(ctx, params, "杉木", "colour", &vu), EPV_EINVAL);
    EPV_ASSERT_ERRMSG_HAS(ctx, "colour");

    epv_params *t = NULL;
    EPV_ASSERT_OK(ctx, epv_params_load_default(ctx, &t));
    /* Zero, negative and non-finite U% are refused, naming the field; nothing changes. */
    EPV_ASSERT_STATUS(ctx, epv_params_species_set_uncertainty(ctx, t, "杉木", "bef", 0, "ipcc2006_v4_ch4_ranges", 1),
                      EPV_ERANGE);
    EPV_ASSERT_ERRMSG_HAS(ctx, "bef u_pct");
    EPV_ASSERT_STATUS(ctx, epv_params_species_set_uncertainty(ctx, t, "杉木", "bef", 12, "nowhere", 1), EPV_ENOTFOUND);
    EPV_ASSERT_ERRMSG_HAS(ctx, "nowhere");
    EPV_ASSERT_OK(ctx, epv_params_species_uncertainty(ctx, t, "杉木", "bef", &vu));
    EPV_ASSERT_NEAR(vu.u_pct, 30, 1e-12);
    /* An override drops the old value's uncertainty. */
    EPV_ASSERT_OK(ctx, epv_params_species_override(ctx, t, "杉木", "bef", 1.5, "ccer_ar_cm_001"));
    EPV_ASSERT_STATUS(ctx, epv_params_species_uncertainty(ctx, t, "杉木", "bef", &vu), EPV_ENOTFOUND);
    epv_params_free(t);

    /* Files: an uncertainty for an undeclared species, and a negative U%, name file and line. */
    static const char unknown[] = "<params version=\"1\"><sources><source id=\"s\">x</source></sources>\n"
                                  "<uncertainty species=\"nope\" field=\"bef\" u_pct=\"5\" source=\"s\"/></params>";
    EPV_ASSERT_STATUS(ctx, epv_params_load_memory(ctx, unknown, sizeof unknown - 1, "u.xml", &t), EPV_ENOTFOUND);
    EPV_ASSERT_ERRMSG_HAS(ctx, "u.xml:2");
    EPV_ASSERT_ERRMSG_HAS(ctx, "nope");
    static const char neg[] =
        "<params version=\"1\"><sources><source id=\"s\">x</source></sources>\n"
        "<species code=\"a\" name_zh=\"a\" name_en=\"a\" conifer=\"true\" wood_density=\"0.4\" bef=\"1.5\" "
        "root_shoot=\"0.2\" carbon_fraction=\"0.5\" source=\"s\"/>\n"
        "<uncertainty species=\"a\" field=\"root_shoot\" u_pct=\"-3\" source=\"s\"/></params>";
    EPV_ASSERT_STATUS(ctx, epv_params_load_memory(ctx, neg, sizeof neg - 1, "n.xml", &t), EPV_ERANGE);
    EPV_ASSERT_ERRMSG_HAS(ctx, "n.xml:3");
    EPV_ASSERT_ERRMSG_HAS(ctx, "root_shoot u_pct");
}

/* Approach 1 on one stratum: the net removals are the product area × ΔV × D × BEF × (1+R) ×
 * CF × 44/12, so U must be IPCC 2006 Vol. 1 Eq. 3.1, U = sqrt(Σ U_i²), on the inputs' U%
 * (with U of (1+R) = U_R·R/(1+R)). The central value must be the yearly estimate's. */
static void test_approach1_single_product(void)
{
    epv_project *p = fir_project(1, params);
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    epv_params_species sp = EPV_PARAMS_SPECIES_INIT;
    EPV_ASSERT_OK(ctx, epv_params_species_find(ctx, params, "杉木", &sp));
    epv_sink_unc_options o = EPV_SINK_UNC_OPTIONS_INIT;
    o.area_u_pct = 5;
    o.curve_u_pct = 10;
    epv_sink_unc_result r = EPV_SINK_UNC_RESULT_INIT;
    EPV_ASSERT_OK(ctx, epv_sink_unc_approach1(ctx, p, params, 2021, 2050, &o, &r));
    double ur = u_of("杉木", "root_shoot") * sp.root_shoot / (1 + sp.root_shoot);
    double u[6] = { 5, 10, u_of("杉木", "wood_density"), u_of("杉木", "bef"), ur, u_of("杉木", "carbon_fraction") };
    double expect = 0;
    for (int i = 0; i < 6; i++) expect += u[i] * u[i];
    EPV_ASSERT_CLOSE(r.net.u_upper_pct, sqrt(expect), 1e-6);
    /* The same through the uncertainty module's Eq. 3.1. */
    double eq31;
    EPV_ASSERT_OK(ctx, epv_unc_product(ctx, u, 6, &eq31));
    EPV_ASSERT_CLOSE(r.net.u_upper_pct, eq31, 1e-6);
    EPV_ASSERT_CLOSE(r.u_area_pct, 5, 1e-9);
    EPV_ASSERT_CLOSE(r.u_curve_pct, 10, 1e-6);
    epv_sink_result *est = NULL;
    epv_sink_period per = EPV_SINK_PERIOD_INIT;
    EPV_ASSERT_OK(ctx, epv_sink_estimate(ctx, p, params, &est));
    EPV_ASSERT_OK(ctx, epv_sink_result_period(ctx, est, 2021, 2050, &per));
    EPV_ASSERT_CLOSE(r.net.estimate, per.net_removals_tco2, 1e-12);
    EPV_ASSERT_CLOSE(r.net.upper - r.net.estimate, r.net.estimate * r.net.u_upper_pct / 100, 1e-12);

    /* A curve covariance with only var(a) = (a·U/196)² is the same 10% on the curve. */
    double sd_a = 300 * 10 / (100 * 1.959963984540054);
    double cov[9] = { sd_a * sd_a, 0, 0, 0, 0, 0, 0, 0, 0 };
    const double *covs[1] = { cov };
    o.stratum_curve_cov = covs;
    epv_sink_unc_result rc2 = EPV_SINK_UNC_RESULT_INIT;
    EPV_ASSERT_OK(ctx, epv_sink_unc_approach1(ctx, p, params, 2021, 2050, &o, &rc2));
    EPV_ASSERT_CLOSE(rc2.u_curve_pct, 10, 1e-4);
    epv_sink_result_free(est);
    epv_project_free(p);
}

/* Two equal strata of one species: the areas are independent (Eq. 3.2: U/√2), the species
 * values are one shared quantity (fully correlated: U unchanged). */
static void test_approach1_shared_species(void)
{
    epv_project *p1 = fir_project(1, params), *p2 = fir_project(2, params);
    CU_ASSERT_PTR_NOT_NULL_FATAL(p1);
    CU_ASSERT_PTR_NOT_NULL_FATAL(p2);
    epv_sink_unc_options o = EPV_SINK_UNC_OPTIONS_INIT;
    o.area_u_pct = 8;
    epv_sink_unc_result a = EPV_SINK_UNC_RESULT_INIT, b = EPV_SINK_UNC_RESULT_INIT;
    EPV_ASSERT_OK(ctx, epv_sink_unc_approach1(ctx, p1, params, 2021, 2035, &o, &a));
    EPV_ASSERT_OK(ctx, epv_sink_unc_approach1(ctx, p2, params, 2021, 2035, &o, &b));
    EPV_ASSERT_CLOSE(b.net.estimate, 2 * a.net.estimate, 1e-12);
    EPV_ASSERT_CLOSE(b.u_area_pct, 8 / sqrt(2.0), 1e-9);
    EPV_ASSERT_CLOSE(b.u_params_pct, a.u_params_pct, 1e-9);
    epv_project_free(p1);
    epv_project_free(p2);
}

/* Near-linear case (every U% 2%): the Monte Carlo sd must match Approach 1's U/196 within
 * the sampling error of a standard deviation (relative 1/sqrt(2(n-1)), here 2.2%; we allow
 * 3 of those) and its mean the central value within 3 standard errors. */
static void test_approach2_converges(void)
{
    epv_params *t = NULL;
    EPV_ASSERT_OK(ctx, epv_params_load_default(ctx, &t));
    static const char *const fields[] = { "wood_density", "bef", "root_shoot", "carbon_fraction" };
    for (int f = 0; f < 4; f++)
        EPV_ASSERT_OK(ctx, epv_params_species_set_uncertainty(ctx, t, "杉木", fields[f], 2, "ipcc2006_v4_ch4_ranges", 1));
    epv_project *p = fir_project(3, t);
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    epv_sink_unc_options o = EPV_SINK_UNC_OPTIONS_INIT;
    o.area_u_pct = 2;
    o.curve_u_pct = 2;
    o.iterations = 1000;
    epv_sink_unc_result a1 = EPV_SINK_UNC_RESULT_INIT;
    epv_sink_unc_result a2 = EPV_SINK_UNC_RESULT_INIT;
    EPV_ASSERT_OK(ctx, epv_ctx_set_seed(ctx, 20240501));
    EPV_ASSERT_OK(ctx, epv_sink_unc_approach1(ctx, p, t, 2021, 2050, &o, &a1));
    EPV_ASSERT_OK(ctx, epv_sink_unc_approach2(ctx, p, t, 2021, 2050, &o, &a2, NULL));
    CU_ASSERT_EQUAL(a2.net.draws, 1000);
    CU_ASSERT_EQUAL(a2.net.method, EPV_UNC_APPROACH2);
    CU_ASSERT_EQUAL(a1.net.method, EPV_UNC_APPROACH1);
    EPV_ASSERT_CLOSE(a2.central_tco2, a1.net.estimate, 1e-12);
    double sd1 = a1.net.estimate * a1.net.u_upper_pct / (100 * 1.959963984540054);
    double rel = 1 / sqrt(2.0 * 999);
    EPV_ASSERT_CLOSE(a2.sd_tco2, sd1, 3 * rel);
    EPV_ASSERT_NEAR(a2.net.estimate, a1.net.estimate, 3 * sd1 / sqrt(1000.0));
    CU_ASSERT(a2.net.lower < a2.net.estimate && a2.net.estimate < a2.net.upper);
    epv_project_free(p);
    epv_params_free(t);
}

/* Same seed: bit-identical on 1 and 2 threads (several blocks of draws), with a jointly
 * normal curve from a covariance too. The histogram SVG is written. */
static void test_threads_identical(void)
{
    epv_project *p = fir_project(2, params);
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    double cov[9] = { 100, 0.001, 0, 0.001, 1e-6, 0, 0, 0, 0.0025 };
    const double *covs[2] = { cov, NULL };
    epv_sink_unc_options o = EPV_SINK_UNC_OPTIONS_INIT;
    o.area_u_pct = 5;
    o.curve_u_pct = 10;
    o.stratum_curve_cov = covs;
    o.iterations = 1100;
    char svg[] = "/tmp/epv_sink_unc_XXXXXX";
    int fd = mkstemp(svg);
    CU_ASSERT_FATAL(fd >= 0);
    close(fd);
    epv_sink_unc_result r1 = EPV_SINK_UNC_RESULT_INIT, r2 = EPV_SINK_UNC_RESULT_INIT;
    epv_mc *d1 = NULL, *d2 = NULL;
    EPV_ASSERT_OK(ctx, epv_ctx_set_seed(ctx, 7));
    EPV_ASSERT_OK(ctx, epv_ctx_set_threads(ctx, 1));
    EPV_ASSERT_OK(ctx, epv_sink_unc_approach2(ctx, p, params, 2021, 2050, &o, &r1, &d1));
    EPV_ASSERT_OK(ctx, epv_ctx_set_threads(ctx, 2));
    EPV_ASSERT_OK(ctx, epv_sink_unc_approach2(ctx, p, params, 2021, 2050, &o, &r2, &d2));
    CU_ASSERT(memcmp(&r1, &r2, sizeof r1) == 0);
    /* The draws come back with the result; the caller writes the chart. */
    const double *v1 = NULL, *v2 = NULL;
    size_t n1 = 0, n2 = 0;
    EPV_ASSERT_OK(ctx, epv_mc_column(d1, 0, &v1, &n1));
    EPV_ASSERT_OK(ctx, epv_mc_column(d2, 0, &v2, &n2));
    CU_ASSERT_EQUAL(n1, 1100);
    CU_ASSERT_EQUAL_FATAL(n1, n2);
    CU_ASSERT(memcmp(v1, v2, n1 * sizeof *v1) == 0);
    EPV_ASSERT_OK(ctx, epv_mc_write_histogram_svg(d1, 0, 40, "net removals", "t CO2e", 1.0, svg));
    epv_mc_free(d1);
    epv_mc_free(d2);
    FILE *f = fopen(svg, "r");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    char head[64] = "";
    CU_ASSERT(fread(head, 1, sizeof head - 1, f) > 0);
    fclose(f);
    CU_ASSERT_PTR_NOT_NULL(strstr(head, "<svg") ? head : strstr(head, "<?xml"));
    unlink(svg);
    EPV_ASSERT_OK(ctx, epv_ctx_set_threads(ctx, 1));
    epv_project_free(p);
}

/* Plots for ±10% at 90%: one stratum, infinite population, AR-Tool03 large-N form
 * n = (t·CV/E%)² with t = 1.6449 (normal, 90%): (1.6449·30/10)² = 24.35 -> 25. */
static void test_sampling_design(void)
{
    epv_project *p = fir_project(1, params);
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    double cv = 30;
    epv_sink_sampling sd = EPV_SINK_SAMPLING_INIT;
    epv_i64 nh[1];
    EPV_ASSERT_OK(ctx, epv_sink_sampling_design(ctx, p, params, 2030, &cv, 0.90, 10, 0, &sd, nh));
    EPV_ASSERT_CLOSE(sd.t, 1.6448536269514722, 1e-9);
    EPV_ASSERT_CLOSE(sd.n_exact, pow(1.6448536269514722 * 30 / 10, 2), 1e-9);
    CU_ASSERT_EQUAL(sd.n, 25);
    CU_ASSERT_EQUAL(nh[0], 25);
    CU_ASSERT(sd.mean_tco2_ha > 0);
    /* Two strata with the same CV and area: Neyman splits them evenly. */
    epv_project *p2 = fir_project(2, params);
    double cv2[2] = { 30, 30 };
    epv_i64 nh2[2];
    EPV_ASSERT_OK(ctx, epv_sink_sampling_design(ctx, p2, params, 2030, cv2, 0.90, 10, 0, &sd, nh2));
    CU_ASSERT_EQUAL(nh2[0], nh2[1]);
    epv_project_free(p2);
    epv_project_free(p);
}

static void test_bad_input(void)
{
    epv_project *p = fir_project(1, params);
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    epv_sink_unc_options o = EPV_SINK_UNC_OPTIONS_INIT;
    epv_sink_unc_result a1 = EPV_SINK_UNC_RESULT_INIT;
    epv_sink_unc_result a2 = EPV_SINK_UNC_RESULT_INIT;
    o.iterations = 50;
    /* Non-positive standard deviations: a negative U% names the option or the stratum. */
    o.area_u_pct = -1;
    EPV_ASSERT_STATUS(ctx, epv_sink_unc_approach1(ctx, p, params, 2021, 2050, &o, &a1), EPV_ERANGE);
    EPV_ASSERT_ERRMSG_HAS(ctx, "area_u_pct");
    o.area_u_pct = 0;
    double cu[1] = { NAN };
    o.stratum_curve_u_pct = cu;
    EPV_ASSERT_STATUS(ctx, epv_sink_unc_approach2(ctx, p, params, 2021, 2050, &o, &a2, NULL), EPV_ERANGE);
    EPV_ASSERT_ERRMSG_HAS(ctx, "stratum 's1': curve u_pct");
    o.stratum_curve_u_pct = NULL;
    /* Zero iterations, and one: a single draw has no spread. */
    o.iterations = 0;
    EPV_ASSERT_STATUS(ctx, epv_sink_unc_approach2(ctx, p, params, 2021, 2050, &o, &a2, NULL), EPV_ERANGE);
    EPV_ASSERT_ERRMSG_HAS(ctx, "iterations");
    o.iterations = 1;
    EPV_ASSERT_STATUS(ctx, epv_sink_unc_approach2(ctx, p, params, 2021, 2050, &o, &a2, NULL), EPV_ERANGE);
    EPV_ASSERT_ERRMSG_HAS(ctx, "at least 2");
    o.iterations = 200;
    /* A distribution that yields negative areas: U 150% -> sd 0.77 × area. */
    o.area_u_pct = 150;
    EPV_ASSERT_STATUS(ctx, epv_sink_unc_approach2(ctx, p, params, 2021, 2050, &o, &a2, NULL), EPV_EDOMAIN);
    EPV_ASSERT_ERRMSG_HAS(ctx, "stratum 's1' area_ha");
    EPV_ASSERT_ERRMSG_HAS(ctx, "negative");
    o.area_u_pct = 5;
    /* A curve covariance that is not positive definite. */
    double cov[9] = { 1, 2, 0, 2, 1, 0, 0, 0, 1 };
    const double *covs[1] = { cov };
    o.stratum_curve_cov = covs;
    EPV_ASSERT_STATUS(ctx, epv_sink_unc_approach2(ctx, p, params, 2021, 2050, &o, &a2, NULL), EPV_EDOMAIN);
    EPV_ASSERT_ERRMSG_HAS(ctx, "stratum 's1'");
    o.stratum_curve_cov = NULL;
    /* Span outside the crediting period. */
    EPV_ASSERT_STATUS(ctx, epv_sink_unc_approach1(ctx, p, params, 2020, 2050, &o, &a1), EPV_ERANGE);
    EPV_ASSERT_ERRMSG_HAS(ctx, "2020");
    /* A species value without a recorded uncertainty, and no default. */
    epv_params *t = NULL;
    EPV_ASSERT_OK(ctx, epv_params_load_default(ctx, &t));
    EPV_ASSERT_OK(ctx, epv_params_species_override(ctx, t, "杉木", "bef", 1.6, "ccer_ar_cm_001"));
    EPV_ASSERT_STATUS(ctx, epv_sink_unc_approach1(ctx, p, t, 2021, 2050, &o, &a1), EPV_ENOTFOUND);
    EPV_ASSERT_ERRMSG_HAS(ctx, "cunninghamia_lanceolata");
    EPV_ASSERT_ERRMSG_HAS(ctx, "bef");
    o.param_u_pct_default = 25;
    EPV_ASSERT_OK(ctx, epv_sink_unc_approach1(ctx, p, t, 2021, 2050, &o, &a1));
    epv_params_free(t);
    /* Sampling: percentages outside (0, 100) and non-positive CVs. */
    double cv = 30, zero = 0;
    epv_sink_sampling sd = EPV_SINK_SAMPLING_INIT;
    EPV_ASSERT_STATUS(ctx, epv_sink_sampling_design(ctx, p, params, 2030, &cv, 0.90, 100, 0, &sd, NULL), EPV_ERANGE);
    EPV_ASSERT_ERRMSG_HAS(ctx, "precision_pct");
    EPV_ASSERT_STATUS(ctx, epv_sink_sampling_design(ctx, p, params, 2030, &cv, 0.90, 0, 0, &sd, NULL), EPV_ERANGE);
    EPV_ASSERT_ERRMSG_HAS(ctx, "precision_pct");
    EPV_ASSERT_STATUS(ctx, epv_sink_sampling_design(ctx, p, params, 2030, &zero, 0.90, 10, 0, &sd, NULL), EPV_ERANGE);
    EPV_ASSERT_ERRMSG_HAS(ctx, "cv_pct[0]");
    double huge_cv = 3000; /* an upper bound too: a CV of 3000% is a typing error */
    EPV_ASSERT_STATUS(ctx, epv_sink_sampling_design(ctx, p, params, 2030, &huge_cv, 0.90, 10, 0, &sd, NULL), EPV_ERANGE);
    EPV_ASSERT_ERRMSG_HAS(ctx, "500");
    EPV_ASSERT_STATUS(ctx, epv_sink_sampling_design(ctx, p, params, 2030, &cv, 1.5, 10, 0, &sd, NULL), EPV_ERANGE);
    EPV_ASSERT_ERRMSG_HAS(ctx, "confidence");
    epv_project_free(p);
}

struct cancel_at {
    int calls, stop_at;
};

static int cancel_cb(double fraction, const char *message, void *payload)
{
    (void)fraction;
    (void)message;
    struct cancel_at *c = payload;
    c->calls++;
    return c->stop_at > 0 && c->calls >= c->stop_at;
}

/* Approach 2 reports progress through the context and a cancellation leaves nothing: the
 * output struct is untouched and no draws are handed back. Overflowing inputs are refused. */
static void test_approach2_progress_cancel(void)
{
    epv_project *p = fir_project(2, params);
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    epv_sink_unc_options o = EPV_SINK_UNC_OPTIONS_INIT;
    o.area_u_pct = 5;
    o.curve_u_pct = 10;
    o.iterations = 40 * 512;
    struct cancel_at c = { 0, 0 };
    EPV_ASSERT_OK(ctx, epv_ctx_set_progress(ctx, cancel_cb, &c));
    epv_sink_unc_result r = EPV_SINK_UNC_RESULT_INIT;
    EPV_ASSERT_OK(ctx, epv_sink_unc_approach2(ctx, p, params, 2021, 2050, &o, &r, NULL));
    CU_ASSERT(c.calls >= 3);
    CU_ASSERT_EQUAL(r.net.draws, 40 * 512);
    c.calls = 0;
    c.stop_at = 2;
    epv_sink_unc_result r2 = EPV_SINK_UNC_RESULT_INIT;
    epv_mc *draws = (epv_mc *)&c; /* must be reset to NULL */
    EPV_ASSERT_STATUS(ctx, epv_sink_unc_approach2(ctx, p, params, 2021, 2050, &o, &r2, &draws), EPV_ECANCELLED);
    CU_ASSERT_PTR_NULL(draws);
    epv_sink_unc_result fresh = EPV_SINK_UNC_RESULT_INIT;
    CU_ASSERT(memcmp(&r2, &fresh, sizeof r2) == 0);
    EPV_ASSERT_OK(ctx, epv_ctx_set_progress(ctx, NULL, NULL));
    /* Approach 1: a curve so large that the propagated variance overflows (U% is bounded by
     * 200 and areas by EPV_PROJECT_AREA_MAX_HA, so only the curve can overflow): a clear error,
     * never inf or 0%. */
    epv_project *huge = NULL;
    EPV_ASSERT_OK(ctx, epv_project_new(ctx, "huge", EPV_PROJECT_AFFORESTATION, 2021, 30, &huge));
    epv_project_stratum hs = fir("h", 1e6);
    hs.curve.a = 1e300;
    EPV_ASSERT_OK(ctx, epv_project_add_stratum(ctx, huge, params, &hs));
    EPV_ASSERT_STATUS(ctx, epv_sink_unc_approach1(ctx, huge, params, 2021, 2050, &o, &r2), EPV_ERANGE);
    EPV_ASSERT_ERRMSG_HAS(ctx, "overflows");
    CU_ASSERT(memcmp(&r2, &fresh, sizeof r2) == 0);
    epv_project_free(huge);
    /* NULLs and uninitialised outputs. */
    o.area_u_pct = 5;
    EPV_ASSERT_STATUS(ctx, epv_sink_unc_approach2(ctx, p, params, 2021, 2050, &o, NULL, NULL), EPV_EINVAL);
    EPV_ASSERT_STATUS(ctx, epv_sink_unc_approach1(ctx, NULL, params, 2021, 2050, &o, &r2), EPV_EINVAL);
    epv_sink_unc_result raw;
    memset(&raw, 0, sizeof raw);
    EPV_ASSERT_STATUS(ctx, epv_sink_unc_approach1(ctx, p, params, 2021, 2050, &o, &raw), EPV_EVERSION);
    EPV_ASSERT_ERRMSG_HAS(ctx, "epv_sink_unc_result");
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
        { "parameter uncertainties", test_params_uncertainty },
        { "Approach 1: single stratum is IPCC Eq. 3.1", test_approach1_single_product },
        { "Approach 1: shared species values", test_approach1_shared_species },
        { "Approach 2 converges to Approach 1", test_approach2_converges },
        { "Approach 2 identical on 1 and 2 threads", test_threads_identical },
        { "sampling design (AR-Tool03)", test_sampling_design },
        { "bad input", test_bad_input },
        { "Approach 2 progress and cancellation, overflow", test_approach2_progress_cancel },
        CU_TEST_INFO_NULL,
    };
    int rc = epv_test_main("sink_unc", tests);
    epv_params_free(params);
    epv_ctx_free(ctx);
    return rc;
}
