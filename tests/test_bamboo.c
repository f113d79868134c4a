/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Bamboo per-culm biomass (epv/bamboo.h): the shipped equation table, the equations, plot
 * estimates, the age-class rule, versioned structs and bad input.
 *
 * What is and is not checked against published numbers: the shipped 毛竹 row's coefficients
 * are compared with the equation as printed in the source citation (Zhou & Jiang 2004, as
 * quoted in the bamboo methodologies), and the library's results are compared with the
 * printed formula evaluated here, independently, from those printed coefficients. No worked
 * example of the paper (a culm's DBH, age and biomass) could be obtained from here, so no
 * assertion compares with a printed biomass value; the row is provisional (doc/bamboo.md). */
#include "test_util.h"
#include "epv.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static epv_ctx *ctx;
static epv_bamboo_table *def;

static int setup(void)
{
    if (epv_ctx_new(&ctx)) return 1;
    return epv_bamboo_load_default(ctx, &def) ? 1 : 0;
}

/* The printed equation of Zhou & Jiang (2004), 林业科学 40(6):20-24, for 毛竹:
 * M = 747.787 D^2.771 (0.148 A / (0.028 + A))^5.555 + 3.772, M kg, D cm, A 度. */
static double zhou2004_printed(double d, double a)
{
    return 747.787 * pow(d, 2.771) * pow(0.148 * a / (0.028 + a), 5.555) + 3.772;
}

static void test_default_table(void)
{
    CU_ASSERT_PTR_NOT_NULL_FATAL(def);
    CU_ASSERT_EQUAL(epv_bamboo_species_count(def), 1);
    epv_bamboo_species s = EPV_BAMBOO_SPECIES_INIT;
    EPV_ASSERT_OK(ctx, epv_bamboo_species_find(ctx, def, "毛竹", &s));
    CU_ASSERT_STRING_EQUAL(s.code, "phyllostachys_edulis");
    CU_ASSERT_EQUAL(s.model, EPV_BAMBOO_MODEL_ZHOU2004);
    /* Coefficients as printed (Zhou & Jiang 2004, single-culm model). */
    CU_ASSERT_EQUAL(s.a, 747.787);
    CU_ASSERT_EQUAL(s.b, 2.771);
    CU_ASSERT_EQUAL(s.c, 0.148);
    CU_ASSERT_EQUAL(s.d, 0.028);
    CU_ASSERT_EQUAL(s.e, 5.555);
    CU_ASSERT_EQUAL(s.f, 3.772);
    CU_ASSERT_STRING_EQUAL(s.source, "zhou_jiang_2004");
    CU_ASSERT_EQUAL(s.provisional, 1);
    /* Lower DBH bound: AR-CM-002-V01's definition of 竹林 (culms of at least 2 cm DBH). */
    CU_ASSERT_EQUAL(s.dbh_min_cm, 2.0);
    CU_ASSERT_STRING_EQUAL(s.range_source, "ar_cm_002_def");
    /* CF: IPCC 2006 Vol. 4 Table 4.3, tropical and subtropical, 0.47. R: Ouyang et al. (2022)
     * Forest Ecol. Manage. 119885, abstract: average root-to-shoot ratio of moso bamboo
     * stands 0.37 (+/- 0.07). */
    CU_ASSERT_EQUAL(s.carbon_fraction, 0.47);
    CU_ASSERT_STRING_EQUAL(s.carbon_fraction_source, "ipcc2006_v4_t43");
    CU_ASSERT_EQUAL(s.root_shoot, 0.37);
    CU_ASSERT_STRING_EQUAL(s.root_shoot_source, "ouyang_2022");
    const char *cit = NULL;
    EPV_ASSERT_OK(ctx, epv_bamboo_source_citation(ctx, def, "zhou_jiang_2004", &cit));
    CU_ASSERT(cit && strstr(cit, "747.787") && strstr(cit, "林业科学"));
    /* Lookups by code and English name (case-insensitive); unknown keys named. */
    EPV_ASSERT_OK(ctx, epv_bamboo_species_find(ctx, def, "PHYLLOSTACHYS EDULIS", &s));
    EPV_ASSERT_OK(ctx, epv_bamboo_species_at(ctx, def, 0, &s));
    EPV_ASSERT_STATUS(ctx, epv_bamboo_species_at(ctx, def, 1, &s), EPV_ERANGE);
    EPV_ASSERT_STATUS(ctx, epv_bamboo_species_find(ctx, def, "慈竹", &s), EPV_ENOTFOUND);
    EPV_ASSERT_ERRMSG_HAS(ctx, "unknown '慈竹'");
    EPV_ASSERT_STATUS(ctx, epv_bamboo_source_citation(ctx, def, "nope", &cit), EPV_ENOTFOUND);
}

static void test_zhou2004_culms(void)
{
    /* Against the printed equation (above), over the range of DBH and age classes. */
    double dbh[] = { 2, 6, 9.5, 10, 12.3, 18 };
    double age[] = { 1, 2, 3, 2, 4, 1 };
    double m[6];
    EPV_ASSERT_OK(ctx, epv_bamboo_culm_biomass(ctx, def, "phyllostachys_edulis", dbh, age, 6, m));
    for (int i = 0; i < 6; i++) EPV_ASSERT_CLOSE(m[i], zhou2004_printed(dbh[i], age[i]), 1e-13);
    /* The equation's shape: heavier with DBH at a fixed age, heavier with age at a fixed DBH
     * (c·A/(d+A) grows with A), and never below the intercept f = 3.772 kg. */
    CU_ASSERT(m[2] < m[3] && m[3] < m[4]);
    double d2[] = { 10, 10, 10 }, a2[] = { 1, 2, 5 }, m2[3];
    EPV_ASSERT_OK(ctx, epv_bamboo_culm_biomass(ctx, def, "毛竹", d2, a2, 3, m2));
    CU_ASSERT(m2[0] < m2[1] && m2[1] < m2[2]);
    CU_ASSERT(m[0] > 3.772);
    /* Plausibility against measured culms: Ouyang et al. (2022), abstract, mean above-ground
     * biomass of 147 harvested moso culms 12.8 +/- 6.9 kg (Jiangxi). A culm of the common
     * size (DBH 8-11 cm, 1-2 度) must fall within that mean +/- one SD (5.9-19.7 kg); this
     * tests the equation's scale (kg, not g or t; D in cm), not its fit. */
    double dt[] = { 8, 10, 11, 10 }, at[] = { 2, 2, 2, 1 }, mt[4];
    EPV_ASSERT_OK(ctx, epv_bamboo_culm_biomass(ctx, def, "毛竹", dt, at, 4, mt));
    for (int i = 0; i < 4; i++) CU_ASSERT(mt[i] >= 12.8 - 6.9 && mt[i] <= 12.8 + 6.9);
}

static void test_age_class(void)
{
    /* 毛竹 age classes: 1 度 = culms of 1-2 years, 2 度 = 3-4 years, 3 度 = 5-6 years
     * (the way 毛竹 stands are counted, one 度 per two-year shoot cycle). */
    int years[] = { 1, 2, 3, 4, 5, 6, 9 };
    int du[7];
    EPV_ASSERT_OK(ctx, epv_bamboo_age_class(ctx, years, 7, du));
    int want[] = { 1, 1, 2, 2, 3, 3, 5 };
    for (int i = 0; i < 7; i++) CU_ASSERT_EQUAL(du[i], want[i]);
    int bad[] = { 3, 0 };
    int out[2] = { -7, -7 };
    EPV_ASSERT_STATUS(ctx, epv_bamboo_age_class(ctx, bad, 2, out), EPV_ERANGE);
    EPV_ASSERT_ERRMSG_HAS(ctx, "culm 1: age_years: 0");
    CU_ASSERT(out[0] == -7 && out[1] == -7); /* nothing written */
}

static void test_plot(void)
{
    /* A 100 m² plot (one of the sizes the methodologies allow for bamboo) of 4 culms. */
    double dbh[] = { 9, 10, 11, 10.5 };
    double age[] = { 1, 2, 3, 2 };
    double sum = 0;
    for (int i = 0; i < 4; i++) sum += zhou2004_printed(dbh[i], age[i]);
    epv_bamboo_options o = EPV_BAMBOO_OPTIONS_INIT;
    epv_bamboo_plot p = EPV_BAMBOO_PLOT_INIT;
    /* Defaults: R 0.37 and CF 0.47 from the row. */
    EPV_ASSERT_OK(ctx, epv_bamboo_plot_estimate(ctx, def, "毛竹", dbh, age, 4, 100, NULL, &p));
    EPV_ASSERT_CLOSE(p.carbon_t_ha, sum / 1000 * 100 * 1.37 * 0.47, 1e-13);
    CU_ASSERT_EQUAL(p.root_shoot, 0.37);
    o.root_shoot = 0.25; /* caller's value */
    EPV_ASSERT_OK(ctx, epv_bamboo_plot_estimate(ctx, def, "毛竹", dbh, age, 4, 100, &o, &p));
    /* Per hectare: × 10000/100; kg → t; bgb = agb·R; C = (agb+bgb)·CF; CO2 = C·44/12. */
    EPV_ASSERT_CLOSE(p.culms_ha, 400, 1e-15);
    EPV_ASSERT_CLOSE(p.agb_t_ha, sum / 1000 * 100, 1e-13);
    EPV_ASSERT_CLOSE(p.bgb_t_ha, sum / 1000 * 100 * 0.25, 1e-13);
    EPV_ASSERT_CLOSE(p.biomass_t_ha, sum / 1000 * 100 * 1.25, 1e-13);
    EPV_ASSERT_CLOSE(p.carbon_t_ha, sum / 1000 * 100 * 1.25 * 0.47, 1e-13);
    EPV_ASSERT_CLOSE(p.co2_t_ha, sum / 1000 * 100 * 1.25 * 0.47 * 44 / 12, 1e-13);
    CU_ASSERT_EQUAL(p.root_shoot, 0.25);
    CU_ASSERT_EQUAL(p.carbon_fraction, 0.47);
    /* An empty plot holds nothing. */
    EPV_ASSERT_OK(ctx, epv_bamboo_plot_estimate(ctx, def, "毛竹", dbh, age, 0, 100, &o, &p));
    CU_ASSERT_EQUAL(p.agb_t_ha, 0.0);
    CU_ASSERT_EQUAL(p.culms_ha, 0.0);
    /* Bad plot area and bad override, each named. */
    EPV_ASSERT_STATUS(ctx, epv_bamboo_plot_estimate(ctx, def, "毛竹", dbh, age, 4, 0, &o, &p), EPV_ERANGE);
    EPV_ASSERT_ERRMSG_HAS(ctx, "plot_area_m2");
    o.carbon_fraction = 47;
    EPV_ASSERT_STATUS(ctx, epv_bamboo_plot_estimate(ctx, def, "毛竹", dbh, age, 4, 100, &o, &p), EPV_ERANGE);
    EPV_ASSERT_ERRMSG_HAS(ctx, "carbon_fraction: 47");
}

static void test_bad_culms(void)
{
    double m[3] = { -1, -1, -1 };
    double dbh[] = { 10, 1.5, 10 };
    double age[] = { 2, 2, 2 };
    /* DBH below the 2 cm of the bamboo-forest definition: index, field and range named,
     * nothing written. */
    EPV_ASSERT_STATUS(ctx, epv_bamboo_culm_biomass(ctx, def, "毛竹", dbh, age, 3, m), EPV_ERANGE);
    EPV_ASSERT_ERRMSG_HAS(ctx, "culm 1: dbh_cm: 1.5 is outside the equation's range [2, 25] cm");
    CU_ASSERT(m[0] == -1 && m[1] == -1 && m[2] == -1);
    dbh[1] = NAN;
    EPV_ASSERT_STATUS(ctx, epv_bamboo_culm_biomass(ctx, def, "毛竹", dbh, age, 3, m), EPV_ERANGE);
    dbh[1] = 10;
    age[2] = 0;
    EPV_ASSERT_STATUS(ctx, epv_bamboo_culm_biomass(ctx, def, "毛竹", dbh, age, 3, m), EPV_ERANGE);
    EPV_ASSERT_ERRMSG_HAS(ctx, "culm 2: age_du: 0");
    /* The age term is required by this model. */
    EPV_ASSERT_STATUS(ctx, epv_bamboo_culm_biomass(ctx, def, "毛竹", dbh, NULL, 3, m), EPV_EINVAL);
    EPV_ASSERT_ERRMSG_HAS(ctx, "age_du");
    CU_ASSERT(m[0] == -1);
    EPV_ASSERT_STATUS(ctx, epv_bamboo_culm_biomass(ctx, def, "慈竹", dbh, age, 3, m), EPV_ENOTFOUND);
}

static void test_user_table(void)
{
    epv_bamboo_table *t = NULL;
    EPV_ASSERT_OK(ctx, epv_bamboo_load_file(ctx, epv_test_path("tests/data/bamboo/power_user.xml"), &t));
    CU_ASSERT_PTR_NOT_NULL_FATAL(t);
    epv_bamboo_species s = EPV_BAMBOO_SPECIES_INIT;
    EPV_ASSERT_OK(ctx, epv_bamboo_species_find(ctx, t, "test_cizhu", &s));
    CU_ASSERT_EQUAL(s.model, EPV_BAMBOO_MODEL_POWER);
    CU_ASSERT(isnan(s.c) && isnan(s.age_min));
    CU_ASSERT_EQUAL(s.provisional, 0);
    /* M = 0.2·D²: a power model needs no age (NULL accepted). */
    double dbh[] = { 5, 10 }, m[2];
    EPV_ASSERT_OK(ctx, epv_bamboo_culm_biomass(ctx, t, "test_cizhu", dbh, NULL, 2, m));
    EPV_ASSERT_CLOSE(m[0], 0.2 * 25, 1e-15);
    EPV_ASSERT_CLOSE(m[1], 0.2 * 100, 1e-15);
    epv_bamboo_plot p = EPV_BAMBOO_PLOT_INIT;
    EPV_ASSERT_OK(ctx, epv_bamboo_plot_estimate(ctx, t, "test_cizhu", dbh, NULL, 2, 50, NULL, &p));
    /* (5 + 20) kg on 50 m² = 5 t/ha above ground; R 0.5, CF 0.5 from the row. */
    EPV_ASSERT_CLOSE(p.agb_t_ha, 5.0, 1e-15);
    EPV_ASSERT_CLOSE(p.carbon_t_ha, 3.75, 1e-15);
    epv_bamboo_free(t);
    /* A row without R: the plot estimate refuses (a missing value is an error, never 0)
     * until the caller gives one. */
    const char *nor = "<bamboo version=\"1\"><sources><source id=\"s\">S.</source></sources>"
                      "<species code=\"x\" name_zh=\"x\" name_en=\"x\" model=\"power\" a=\"0.2\" b=\"2\""
                      " dbh_min=\"1\" dbh_max=\"20\" source=\"s\" carbon_fraction=\"0.5\""
                      " carbon_fraction_source=\"s\"/></bamboo>";
    EPV_ASSERT_OK(ctx, epv_bamboo_load_memory(ctx, nor, strlen(nor), "nor", &t));
    p.agb_t_ha = -1;
    EPV_ASSERT_STATUS(ctx, epv_bamboo_plot_estimate(ctx, t, "x", dbh, NULL, 2, 50, NULL, &p), EPV_EINVAL);
    EPV_ASSERT_ERRMSG_HAS(ctx, "species 'x': root_shoot: the table gives none");
    CU_ASSERT_EQUAL(p.agb_t_ha, -1.0); /* untouched */
    epv_bamboo_options o = EPV_BAMBOO_OPTIONS_INIT;
    o.root_shoot = 0.4;
    EPV_ASSERT_OK(ctx, epv_bamboo_plot_estimate(ctx, t, "x", dbh, NULL, 2, 50, &o, &p));
    EPV_ASSERT_CLOSE(p.bgb_t_ha, 2.0, 1e-15);
    epv_bamboo_free(t);
}

static void test_bad_files(void)
{
    epv_bamboo_table *t = (epv_bamboo_table *)1;
    EPV_ASSERT_STATUS(ctx, epv_bamboo_load_file(ctx, epv_test_path("tests/data/bamboo/bad_range.xml"), &t),
                      EPV_ERANGE);
    EPV_ASSERT_ERRMSG_HAS(ctx, "bad_range.xml:8: species 'test_bad': carbon_fraction: 47 is outside [0.3, 0.6]");
    CU_ASSERT_PTR_NULL(t);
    EPV_ASSERT_STATUS(ctx, epv_bamboo_load_file(ctx, epv_test_path("tests/data/bamboo/missing_source.xml"), &t),
                      EPV_ENOTFOUND);
    EPV_ASSERT_ERRMSG_HAS(ctx, "species 'test_nosrc': root_shoot_source: 'elsewhere' is not declared");
    EPV_ASSERT_STATUS(ctx, epv_bamboo_load_file(ctx, epv_test_path("tests/data/bamboo/power_with_age.xml"), &t),
                      EPV_EINVAL);
    EPV_ASSERT_ERRMSG_HAS(ctx, "species 'test_age': e: model power has no coefficient e");
    EPV_ASSERT_STATUS(ctx, epv_bamboo_load_file(ctx, epv_test_path("tests/data/bamboo/none.xml"), &t), EPV_EIO);
    /* Schema: an unknown model is refused before any value is read. */
    const char *doc = "<bamboo version=\"1\"><species code=\"x\" name_zh=\"x\" name_en=\"x\" model=\"linear\""
                      " a=\"1\" b=\"1\" dbh_min=\"1\" dbh_max=\"2\" source=\"s\"/></bamboo>";
    EPV_ASSERT_STATUS(ctx, epv_bamboo_load_memory(ctx, doc, strlen(doc), "mem", &t), EPV_ESCHEMA);
    /* A value without its source. */
    const char *nosrc = "<bamboo version=\"1\"><sources><source id=\"s\">S.</source></sources>"
                        "<species code=\"x\" name_zh=\"x\" name_en=\"x\" model=\"power\" a=\"1\" b=\"1\""
                        " dbh_min=\"1\" dbh_max=\"2\" source=\"s\" carbon_fraction=\"0.5\"/></bamboo>";
    EPV_ASSERT_STATUS(ctx, epv_bamboo_load_memory(ctx, nosrc, strlen(nosrc), "mem", &t), EPV_EINVAL);
    EPV_ASSERT_ERRMSG_HAS(ctx, "carbon_fraction_source: missing");
}

static void test_versions_and_nulls(void)
{
    epv_bamboo_species s;
    EPV_ASSERT_OK(ctx, epv_bamboo_species_init(ctx, &s, EPV_BAMBOO_SPECIES_VERSION));
    CU_ASSERT_EQUAL(s.version, EPV_BAMBOO_SPECIES_VERSION);
    EPV_ASSERT_STATUS(ctx, epv_bamboo_species_init(ctx, &s, 99), EPV_EVERSION);
    epv_bamboo_options o;
    EPV_ASSERT_OK(ctx, epv_bamboo_options_init(NULL, &o, EPV_BAMBOO_OPTIONS_VERSION));
    CU_ASSERT(o.root_shoot < 0 && o.carbon_fraction < 0);
    epv_bamboo_plot p;
    EPV_ASSERT_OK(ctx, epv_bamboo_plot_init(ctx, &p, EPV_BAMBOO_PLOT_VERSION));
    /* Never-initialised structs are refused. */
    memset(&s, 0, sizeof s);
    EPV_ASSERT_STATUS(ctx, epv_bamboo_species_at(ctx, def, 0, &s), EPV_EVERSION);
    double d[] = { 10 }, a[] = { 2 };
    memset(&p, 0, sizeof p);
    EPV_ASSERT_STATUS(ctx, epv_bamboo_plot_estimate(ctx, def, "毛竹", d, a, 1, 100, NULL, &p), EPV_EVERSION);
    /* NULLs name the function and argument. */
    double m[1];
    EPV_ASSERT_STATUS(ctx, epv_bamboo_culm_biomass(ctx, NULL, "毛竹", d, a, 1, m), EPV_EINVAL);
    EPV_ASSERT_ERRMSG_HAS(ctx, "epv_bamboo_culm_biomass: table is NULL");
    EPV_ASSERT_STATUS(ctx, epv_bamboo_culm_biomass(ctx, def, "毛竹", NULL, a, 1, m), EPV_EINVAL);
    EPV_ASSERT_STATUS(ctx, epv_bamboo_culm_biomass(ctx, def, "毛竹", d, a, 1, NULL), EPV_EINVAL);
    EPV_ASSERT_STATUS(ctx, epv_bamboo_load_default(ctx, NULL), EPV_EINVAL);
    EPV_ASSERT_STATUS(ctx, epv_bamboo_species_find(ctx, def, NULL, &s), EPV_EINVAL);
    CU_ASSERT_EQUAL(epv_bamboo_species_count(NULL), 0);
    epv_bamboo_free(NULL);
}

static void teardown_all(void)
{
    epv_bamboo_free(def);
    epv_ctx_free(ctx);
}

int main(void)
{
    if (setup()) {
        fprintf(stderr, "setup failed: %s\n", ctx ? epv_ctx_errmsg(ctx) : "no context");
        return 1;
    }
    CU_TestInfo tests[] = {
        { "shipped table: the printed equation and its sources", test_default_table },
        { "毛竹 culms against the printed equation", test_zhou2004_culms },
        { "age classes (度)", test_age_class },
        { "plot estimate per hectare", test_plot },
        { "bad culms change nothing", test_bad_culms },
        { "a user's power-form table", test_user_table },
        { "bad files name file, line, row and field", test_bad_files },
        { "versioned structs and NULLs", test_versions_and_nulls },
        CU_TEST_INFO_NULL,
    };
    int rc = epv_test_main("bamboo", tests);
    teardown_all();
    return rc;
}
