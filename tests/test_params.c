/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Parameter tables: the shipped default table, lookups, overrides, merges and bad input.
 *
 * Expected values below are the numbers printed in the cited sources, typed from the
 * source, never taken from our own output. Every shipped row is marked provisional: the
 * figures were quoted to us second-hand (references.md) and the primary texts could not be
 * opened to confirm the table and page, so the citations say which table to check. */
#include "test_util.h"
#include "epv.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static epv_ctx *ctx;
static epv_params *def;

static int setup(void)
{
    if (epv_ctx_new(&ctx)) return 1;
    return epv_params_load_default(ctx, &def) ? 1 : 0;
}

static void test_default_loads(void)
{
    CU_ASSERT_PTR_NOT_NULL_FATAL(def);
    CU_ASSERT_EQUAL(epv_params_species_count(def), 7);
    CU_ASSERT_EQUAL(epv_params_ipcc_growth_count(def), 3);
    CU_ASSERT_EQUAL(epv_params_source_count(def), 5); /* 3 value sources + 2 uncertainty sources */
    /* Every row cites a declared source, and every shipped row is flagged provisional. */
    for (size_t i = 0; i < epv_params_species_count(def); i++) {
        epv_params_species s = EPV_PARAMS_SPECIES_INIT;
        epv_params_source src = EPV_PARAMS_SOURCE_INIT;
        EPV_ASSERT_OK(ctx, epv_params_species_at(ctx, def, i, &s));
        EPV_ASSERT_OK(ctx, epv_params_source_find(ctx, def, s.source, &src));
        CU_ASSERT(strlen(src.citation) > 20);
        CU_ASSERT_EQUAL(s.provisional, 1);
    }
    for (size_t i = 0; i < epv_params_ipcc_growth_count(def); i++) {
        epv_params_ipcc_growth g = EPV_PARAMS_IPCC_GROWTH_INIT;
        epv_params_source src = EPV_PARAMS_SOURCE_INIT;
        EPV_ASSERT_OK(ctx, epv_params_ipcc_growth_at(ctx, def, i, &g));
        EPV_ASSERT_OK(ctx, epv_params_source_find(ctx, def, g.source, &src));
        CU_ASSERT_EQUAL(g.provisional, 1);
    }
    epv_params_species s = EPV_PARAMS_SPECIES_INIT;
    EPV_ASSERT_STATUS(ctx, epv_params_species_at(ctx, def, 7, &s), EPV_ERANGE);
}

/* One species row against the printed table. */
static void expect_species(const char *code, const char *zh, int conifer, double d, double bef, double r, double cf)
{
    epv_params_species s = EPV_PARAMS_SPECIES_INIT;
    EPV_ASSERT_OK(ctx, epv_params_species_find(ctx, def, code, &s));
    CU_ASSERT_STRING_EQUAL(s.code, code);
    CU_ASSERT_STRING_EQUAL(s.name_zh, zh);
    CU_ASSERT_EQUAL(s.conifer, conifer);
    EPV_ASSERT_CLOSE(s.wood_density, d, 1e-12);
    EPV_ASSERT_CLOSE(s.bef, bef, 1e-12);
    EPV_ASSERT_CLOSE(s.root_shoot, r, 1e-12);
    EPV_ASSERT_CLOSE(s.carbon_fraction, cf, 1e-12);
    CU_ASSERT_STRING_EQUAL(s.source, "ccer_ar_cm_001");
}

static void test_species_values(void)
{
    /* Source: 碳汇造林项目方法学 AR-CM-001-V01 (NDRC 2013), annex table of default basic wood
     * density D (t/m³), BEF, root:shoot R and carbon fraction CF for China's main species
     * (the 省级温室气体清单编制指南, 2011 is the other candidate primary source). Columns D,
     * BEF, R, CF as quoted in references.md; table page not yet checked (provisional). */
    expect_species("cunninghamia_lanceolata", "杉木", 1, 0.307, 1.634, 0.246, 0.520);
    expect_species("pinus_massoniana", "马尾松", 1, 0.380, 1.472, 0.187, 0.460);
    expect_species("cupressus_funebris", "柏木", 1, 0.478, 1.732, 0.220, 0.510);
    expect_species("eucalyptus", "桉树", 0, 0.578, 1.263, 0.221, 0.525);
    expect_species("quercus", "栎类", 0, 0.676, 1.355, 0.292, 0.500);
    expect_species("populus", "杨树", 0, 0.378, 1.446, 0.227, 0.496);
    expect_species("cryptomeria", "柳杉", 1, 0.294, 2.593, 0.267, 0.524);
}

static void expect_fang(const char *code, double a, double b)
{
    epv_params_species s = EPV_PARAMS_SPECIES_INIT;
    EPV_ASSERT_OK(ctx, epv_params_species_find(ctx, def, code, &s));
    EPV_ASSERT_CLOSE(s.fang_a, a, 1e-12);
    EPV_ASSERT_CLOSE(s.fang_b, b, 1e-12);
    CU_ASSERT_STRING_EQUAL(s.fang_source, "fang2001");
}

static void test_fang_values(void)
{
    /* Source: Fang et al. (2001) Science 292:2320, supplementary table of B = aV + b by
     * forest type (from Fang et al. 1998, Ecol. Appl. 8:1084): a (t/m³), b (t/ha).
     * Pairs as quoted in references.md; table row not yet checked. */
    expect_fang("cunninghamia_lanceolata", 0.3999, 22.541);
    expect_fang("pinus_massoniana", 0.5101, 1.0451);
    expect_fang("cupressus_funebris", 0.6129, 46.145);
    expect_fang("quercus", 1.3288, -3.8999);
    /* No Fang pair is shipped where none was quoted: NaN and no source. */
    epv_params_species s = EPV_PARAMS_SPECIES_INIT;
    EPV_ASSERT_OK(ctx, epv_params_species_find(ctx, def, "populus", &s));
    CU_ASSERT(isnan(s.fang_a) && isnan(s.fang_b));
    CU_ASSERT_STRING_EQUAL(s.fang_source, "");
}

static void test_ipcc_growth_values(void)
{
    epv_params_ipcc_growth g = EPV_PARAMS_IPCC_GROWTH_INIT;
    /* IPCC 2006 Vol. 4 ch. 4 Table 4.10, subtropical humid forest, Asia, plantation
     * (broadleaf/other): 8.0 t d.m./ha/yr, range 4.2-15.2 (quoted second-hand). R from
     * Table 4.4, subtropical humid forest, above-ground biomass < 125 t/ha: 0.20. */
    EPV_ASSERT_OK(ctx, epv_params_ipcc_growth_find(ctx, def, "subtropical_humid", "asia", "plantation_broadleaf", &g));
    EPV_ASSERT_CLOSE(g.growth_t_dm_ha_yr, 8.0, 1e-12);
    EPV_ASSERT_CLOSE(g.growth_min, 4.2, 1e-12);
    EPV_ASSERT_CLOSE(g.growth_max, 15.2, 1e-12);
    EPV_ASSERT_CLOSE(g.root_shoot, 0.20, 1e-12);
    CU_ASSERT_STRING_EQUAL(g.source, "ipcc2006_v4_ch4");
    /* Table 4.9, subtropical humid forest, Asia, natural forest <= 20 years: 2.5
     * (quoted second-hand); R: Table 4.4, AGB < 125 t/ha, 0.20. No range is shipped. */
    EPV_ASSERT_OK(ctx, epv_params_ipcc_growth_find(ctx, def, "subtropical_humid", "asia", "natural_le20y", &g));
    EPV_ASSERT_CLOSE(g.growth_t_dm_ha_yr, 2.5, 1e-12);
    EPV_ASSERT_CLOSE(g.root_shoot, 0.20, 1e-12);
    CU_ASSERT(isnan(g.growth_min) && isnan(g.growth_max));
    /* Table 4.9, natural forest > 20 years: 1.0; R: Table 4.4, AGB > 125 t/ha, 0.24. */
    EPV_ASSERT_OK(ctx, epv_params_ipcc_growth_find(ctx, def, "subtropical_humid", "asia", "natural_gt20y", &g));
    EPV_ASSERT_CLOSE(g.growth_t_dm_ha_yr, 1.0, 1e-12);
    EPV_ASSERT_CLOSE(g.root_shoot, 0.24, 1e-12);
    EPV_ASSERT_STATUS(ctx, epv_params_ipcc_growth_find(ctx, def, "boreal", "asia", "natural_gt20y", &g),
                      EPV_ENOTFOUND);
    EPV_ASSERT_ERRMSG_HAS(ctx, "zone 'boreal'");
}

static void test_lookups(void)
{
    epv_params_species s = EPV_PARAMS_SPECIES_INIT;
    EPV_ASSERT_OK(ctx, epv_params_species_find(ctx, def, "马尾松", &s));
    CU_ASSERT_STRING_EQUAL(s.code, "pinus_massoniana");
    EPV_ASSERT_OK(ctx, epv_params_species_find(ctx, def, "Cunninghamia lanceolata", &s));
    CU_ASSERT_STRING_EQUAL(s.code, "cunninghamia_lanceolata");
    EPV_ASSERT_OK(ctx, epv_params_species_find(ctx, def, "cunninghamia LANCEOLATA", &s));
    CU_ASSERT_STRING_EQUAL(s.name_zh, "杉木");
    /* Unknown species: its own status and the key in the message. */
    EPV_ASSERT_STATUS(ctx, epv_params_species_find(ctx, def, "银杏", &s), EPV_ENOTFOUND);
    EPV_ASSERT_ERRMSG_HAS(ctx, "species: unknown '银杏'");
    epv_params_source src = EPV_PARAMS_SOURCE_INIT;
    EPV_ASSERT_OK(ctx, epv_params_source_find(ctx, def, "ipcc2006_v4_ch4", &src));
    CU_ASSERT_PTR_NOT_NULL(strstr(src.citation, "Table 4.4"));
    EPV_ASSERT_STATUS(ctx, epv_params_source_find(ctx, def, "nope", &src), EPV_ENOTFOUND);
    EPV_ASSERT_STATUS(ctx, epv_params_source_at(ctx, def, 99, &src), EPV_ERANGE);
}

static epv_params *fresh(void)
{
    epv_params *p = NULL;
    EPV_ASSERT_OK(ctx, epv_params_load_default(ctx, &p));
    return p;
}

static void test_override(void)
{
    epv_params *p = fresh();
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    epv_params_species s = EPV_PARAMS_SPECIES_INIT;
    const char *src;
    EPV_ASSERT_OK(ctx, epv_params_species_override(ctx, p, "杉木", "wood_density", 0.33, "ipcc2006_v4_ch4"));
    EPV_ASSERT_OK(ctx, epv_params_species_find(ctx, p, "cunninghamia_lanceolata", &s));
    CU_ASSERT_EQUAL(s.wood_density, 0.33);
    CU_ASSERT_EQUAL(s.bef, 1.634); /* untouched */
    EPV_ASSERT_OK(ctx, epv_params_species_value_source(ctx, p, "杉木", "wood_density", &src));
    CU_ASSERT_STRING_EQUAL(src, "ipcc2006_v4_ch4");
    EPV_ASSERT_OK(ctx, epv_params_species_value_source(ctx, p, "杉木", "bef", &src));
    CU_ASSERT_STRING_EQUAL(src, "ccer_ar_cm_001");
    EPV_ASSERT_OK(ctx, epv_params_species_value_source(ctx, p, "杉木", "fang_a", &src));
    CU_ASSERT_STRING_EQUAL(src, "fang2001");

    /* Each refused override names the field and leaves the value as it was. */
    EPV_ASSERT_STATUS(ctx, epv_params_species_override(ctx, p, "杉木", "bef", 0.5, "fang2001"), EPV_ERANGE);
    EPV_ASSERT_ERRMSG_HAS(ctx, "species 'cunninghamia_lanceolata': bef");
    EPV_ASSERT_STATUS(ctx, epv_params_species_override(ctx, p, "杉木", "wood_density", NAN, "fang2001"), EPV_ERANGE);
    EPV_ASSERT_ERRMSG_HAS(ctx, "wood_density: value is not a finite number");
    EPV_ASSERT_STATUS(ctx, epv_params_species_override(ctx, p, "杉木", "root_shoot", 0.3, "my_paper"), EPV_ENOTFOUND);
    EPV_ASSERT_ERRMSG_HAS(ctx, "source 'my_paper' is not declared");
    EPV_ASSERT_STATUS(ctx, epv_params_species_override(ctx, p, "杉木", "height", 1.0, "fang2001"), EPV_EINVAL);
    EPV_ASSERT_ERRMSG_HAS(ctx, "field 'height'");
    EPV_ASSERT_STATUS(ctx, epv_params_species_override(ctx, p, "ginkgo", "bef", 1.5, "fang2001"), EPV_ENOTFOUND);
    EPV_ASSERT_ERRMSG_HAS(ctx, "unknown 'ginkgo'");
    /* Only one of Fang's pair cannot be added to a row that has none. */
    EPV_ASSERT_STATUS(ctx, epv_params_species_override(ctx, p, "populus", "fang_a", 0.5, "fang2001"), EPV_EINVAL);
    EPV_ASSERT_ERRMSG_HAS(ctx, "fang_b");
    EPV_ASSERT_OK(ctx, epv_params_species_find(ctx, p, "cunninghamia_lanceolata", &s));
    CU_ASSERT_EQUAL(s.wood_density, 0.33);
    CU_ASSERT_EQUAL(s.bef, 1.634);
    CU_ASSERT_EQUAL(s.root_shoot, 0.246);
    epv_params_free(p);
}

static void test_set(void)
{
    epv_params *p = fresh();
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    epv_params_species s = EPV_PARAMS_SPECIES_INIT;
    strcpy(s.code, "test_pine");
    strcpy(s.name_zh, "试松");
    strcpy(s.name_en, "Test pine");
    s.conifer = 1;
    s.wood_density = 0.4;
    s.bef = 1.5;
    s.root_shoot = 0.2;
    s.carbon_fraction = 0.5;
    s.fang_a = NAN;
    s.fang_b = NAN;
    strcpy(s.source, "ipcc2006_v4_ch4");
    EPV_ASSERT_OK(ctx, epv_params_species_set(ctx, p, &s));
    CU_ASSERT_EQUAL(epv_params_species_count(p), 8);
    s.carbon_fraction = 47; /* percent instead of a fraction */
    EPV_ASSERT_STATUS(ctx, epv_params_species_set(ctx, p, &s), EPV_ERANGE);
    EPV_ASSERT_ERRMSG_HAS(ctx, "species 'test_pine': carbon_fraction: 47 is outside [0.3, 0.6]");
    s.carbon_fraction = 0.5;
    s.fang_a = 0.5;
    s.fang_b = 10;
    EPV_ASSERT_STATUS(ctx, epv_params_species_set(ctx, p, &s), EPV_EINVAL);
    EPV_ASSERT_ERRMSG_HAS(ctx, "fang_source");
    strcpy(s.fang_source, "fang2001");
    s.wood_density = 0.45;
    EPV_ASSERT_OK(ctx, epv_params_species_set(ctx, p, &s)); /* replaces */
    CU_ASSERT_EQUAL(epv_params_species_count(p), 8);
    epv_params_species got = EPV_PARAMS_SPECIES_INIT;
    EPV_ASSERT_OK(ctx, epv_params_species_find(ctx, p, "Test Pine", &got));
    CU_ASSERT_EQUAL(got.wood_density, 0.45);
    CU_ASSERT_EQUAL(got.fang_b, 10);
    memset(s.code, 'x', sizeof s.code); /* no NUL inside the field */
    EPV_ASSERT_STATUS(ctx, epv_params_species_set(ctx, p, &s), EPV_EINVAL);
    EPV_ASSERT_ERRMSG_HAS(ctx, "code: longer than 63 bytes");
    epv_params_free(p);
}

static void test_merge(void)
{
    epv_params *p = fresh();
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    EPV_ASSERT_OK(ctx, epv_params_merge_file(ctx, p, epv_test_path("tests/data/params/merge_ok.xml")));
    CU_ASSERT_EQUAL(epv_params_species_count(p), 8);
    CU_ASSERT_EQUAL(epv_params_source_count(p), 6);
    epv_params_species s = EPV_PARAMS_SPECIES_INIT;
    const char *src;
    EPV_ASSERT_OK(ctx, epv_params_species_find(ctx, p, "杉木", &s));
    CU_ASSERT_EQUAL(s.wood_density, 0.35);
    CU_ASSERT_EQUAL(s.provisional, 0);
    CU_ASSERT(isnan(s.fang_a)); /* the whole row is replaced */
    EPV_ASSERT_OK(ctx, epv_params_species_value_source(ctx, p, "杉木", "bef", &src));
    CU_ASSERT_STRING_EQUAL(src, "ccer_ar_cm_001");
    EPV_ASSERT_OK(ctx, epv_params_species_value_source(ctx, p, "杉木", "wood_density", &src));
    CU_ASSERT_STRING_EQUAL(src, "local_survey");
    EPV_ASSERT_OK(ctx, epv_params_species_find(ctx, p, "test_pine", &s));
    CU_ASSERT_EQUAL(s.provisional, 1);
    epv_params_free(p);
}

static void test_merge_all_or_nothing(void)
{
    epv_params *p = fresh();
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    /* The first row of merge_bad.xml is valid and would replace 杉木; the second is not. */
    EPV_ASSERT_STATUS(ctx, epv_params_merge_file(ctx, p, epv_test_path("tests/data/params/merge_bad.xml")),
                      EPV_ERANGE);
    EPV_ASSERT_ERRMSG_HAS(ctx, "merge_bad.xml:9: species 'test_pine': carbon_fraction");
    CU_ASSERT_EQUAL(epv_params_species_count(p), 7);
    CU_ASSERT_EQUAL(epv_params_source_count(p), 5);
    epv_params_species s = EPV_PARAMS_SPECIES_INIT;
    EPV_ASSERT_OK(ctx, epv_params_species_find(ctx, p, "杉木", &s));
    CU_ASSERT_EQUAL(s.wood_density, 0.307);
    CU_ASSERT_EQUAL(s.fang_a, 0.3999);
    /* A source id may be repeated but not given another citation. */
    EPV_ASSERT_STATUS(ctx, epv_params_merge_file(ctx, p, epv_test_path("tests/data/params/merge_citation_clash.xml")),
                      EPV_EEXISTS);
    EPV_ASSERT_ERRMSG_HAS(ctx, "merge_citation_clash.xml:4: source 'fang2001'");
    epv_params_source src = EPV_PARAMS_SOURCE_INIT;
    EPV_ASSERT_OK(ctx, epv_params_source_find(ctx, p, "fang2001", &src));
    CU_ASSERT_PTR_NOT_NULL(strstr(src.citation, "Science"));
    /* Missing file. */
    EPV_ASSERT_STATUS(ctx, epv_params_merge_file(ctx, p, epv_test_path("tests/data/params/none.xml")), EPV_EIO);
    EPV_ASSERT_ERRMSG_HAS(ctx, "none.xml");
    CU_ASSERT_EQUAL(epv_params_species_count(p), 7);
    epv_params_free(p);
}

/* Load a bad file: status, and the message names file:line and the field. libxml2 numbers
 * an element by the line where its start tag ends, so a row written over two lines is
 * reported at its second line. */
static void expect_bad(const char *file, int status, const char *where, const char *field)
{
    char rel[256];
    snprintf(rel, sizeof rel, "tests/data/params/%s", file);
    epv_params *p = (epv_params *)1;
    EPV_ASSERT_STATUS(ctx, epv_params_load_file(ctx, epv_test_path(rel), &p), status);
    CU_ASSERT_PTR_NULL(p);
    EPV_ASSERT_ERRMSG_HAS(ctx, where);
    if (field) EPV_ASSERT_ERRMSG_HAS(ctx, field);
}

static void test_bad_inputs(void)
{
    expect_bad("neg_density.xml", EPV_ERANGE, "neg_density.xml:7: species 'test_fir'",
               "wood_density: -0.3 is outside [0.1, 1.5]");
    expect_bad("nan_density.xml", EPV_ERANGE, "nan_density.xml:7: species 'test_fir'",
               "wood_density: 'NaN' is not a finite number");
    expect_bad("missing_source.xml", EPV_ENOTFOUND, "missing_source.xml:9: species 'test_pine'",
               "source: source 'nowhere' is not declared");
    expect_bad("duplicate_code.xml", EPV_EEXISTS, "duplicate_code.xml:9: species 'test_fir'",
               "code: duplicate (first at line 7)");
    expect_bad("doctype.xml", EPV_EPARSE, "doctype.xml:2:", "DOCTYPE");
    expect_bad("not_well_formed.xml", EPV_EPARSE, "not_well_formed.xml:7:", "Start Tag species");
    expect_bad("schema_violation.xml", EPV_ESCHEMA, "schema_violation.xml:9: <species>", "root_shoot");
    expect_bad("growth_min_range.xml", EPV_ERANGE, "growth_min_range.xml:6: ipcc_growth 'test_zone/asia/plantation_broadleaf'",
               "growth_min: 9 is outside [0, 8]");
}

static void test_memory(void)
{
    static const char ok[] = "<params version=\"1\"><sources><source id=\"s\">A source.</source></sources>"
                             "<ipcc_growth zone=\"temperate\" region=\"europe\" forest_type=\"x\" growth=\" 3.5 \""
                             " source=\"s\"/></params>";
    epv_params *p = NULL;
    EPV_ASSERT_OK(ctx, epv_params_load_memory(ctx, ok, strlen(ok), "inline", &p));
    CU_ASSERT_EQUAL(epv_params_ipcc_growth_count(p), 1);
    CU_ASSERT_EQUAL(epv_params_species_count(p), 0);
    epv_params_ipcc_growth g = EPV_PARAMS_IPCC_GROWTH_INIT;
    EPV_ASSERT_OK(ctx, epv_params_ipcc_growth_at(ctx, p, 0, &g));
    CU_ASSERT_EQUAL(g.growth_t_dm_ha_yr, 3.5);
    CU_ASSERT(isnan(g.root_shoot));
    epv_params_free(p);
    epv_params_free(NULL);
    EPV_ASSERT_STATUS(ctx, epv_params_load_memory(ctx, "", 0, "empty", &p), EPV_EPARSE);
    EPV_ASSERT_ERRMSG_HAS(ctx, "empty");
    static const char dup[] = "<params version=\"1\"><sources><source id=\"s\">A.</source><source id=\"s\">B.</source>"
                              "</sources></params>";
    EPV_ASSERT_STATUS(ctx, epv_params_load_memory(ctx, dup, strlen(dup), "dup", &p), EPV_EEXISTS);
    EPV_ASSERT_ERRMSG_HAS(ctx, "source 's': id: declared twice");
}

static void teardown_all(void)
{
    epv_params_free(def);
    epv_ctx_free(ctx);
}

int main(void)
{
    if (setup()) {
        fprintf(stderr, "setup failed: %s\n", ctx ? epv_ctx_errmsg(ctx) : "no context");
        return 1;
    }
    CU_TestInfo tests[] = {
        { "default table loads", test_default_loads },
        { "species values equal the cited table", test_species_values },
        { "Fang coefficients equal the cited table", test_fang_values },
        { "IPCC growth rows equal the cited tables", test_ipcc_growth_values },
        { "lookups by code, Chinese and English name", test_lookups },
        { "override one value with its source", test_override },
        { "set a whole row", test_set },
        { "merge a file", test_merge },
        { "failing merge leaves the table unchanged", test_merge_all_or_nothing },
        { "bad input files", test_bad_inputs },
        { "load from memory", test_memory },
        CU_TEST_INFO_NULL,
    };
    int rc = epv_test_main("params", tests);
    teardown_all();
    return rc;
}
