/* SPDX-License-Identifier: GPL-3.0-or-later */
#define _POSIX_C_SOURCE 200809L /* mkdtemp */
/* GEP module files: tree extension, input files (good and every bad case of the issue),
 * deflator CSV, and the XML/CSV/SVG writers validated against their schema. */
#include "test_util.h"
#include "epv.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static epv_ctx *ctx;
static epv_gep_tree *tree;

static void setup(void)
{
    if (!ctx) epv_ctx_new(&ctx);
    if (!tree) epv_gep_tree_load_default(ctx, &tree);
}

static void test_tree_merge(void)
{
    setup();
    epv_gep_tree *t;
    EPV_ASSERT_OK(ctx, epv_gep_tree_load_default(ctx, &t));
    size_t n = epv_gep_tree_count(t);
    /* bad parent on the second node: nothing added (all or nothing) */
    EPV_ASSERT_STATUS(ctx, epv_gep_tree_merge_file(ctx, t, epv_test_path("tests/data/gep/province_bad_parent.xml")),
                      EPV_ENOTFOUND);
    EPV_ASSERT_ERRMSG_HAS(ctx, "province_bad_parent.xml:4");
    EPV_ASSERT_ERRMSG_HAS(ctx, "parent");
    CU_ASSERT_EQUAL(epv_gep_tree_count(t), n);
    EPV_ASSERT_STATUS(ctx, epv_gep_tree_find(ctx, t, "new_one", NULL), EPV_ENOTFOUND);
    EPV_ASSERT_OK(ctx, epv_gep_tree_merge_file(ctx, t, epv_test_path("tests/data/gep/province_extra.xml")));
    CU_ASSERT_EQUAL(epv_gep_tree_count(t), n + 2);
    epv_gep_indicator ind = EPV_GEP_INDICATOR_INIT;
    EPV_ASSERT_OK(ctx, epv_gep_tree_find(ctx, t, "giant_panda_habitat", &ind));
    CU_ASSERT_EQUAL(ind.category, EPV_GEP_REGULATING);
    CU_ASSERT_EQUAL(ind.unit, EPV_UNIT_HA);
    /* merging twice: codes exist */
    EPV_ASSERT_STATUS(ctx, epv_gep_tree_merge_file(ctx, t, epv_test_path("tests/data/gep/province_extra.xml")), EPV_EEXISTS);
    EPV_ASSERT_ERRMSG_HAS(ctx, "code");
    CU_ASSERT_EQUAL(epv_gep_tree_count(t), n + 2);
    epv_gep_tree_free(t);
    epv_gep_tree_free(NULL);
    /* malformed and invalid trees */
    static const char notxml[] = "<gepTree version='1'><node";
    EPV_ASSERT_STATUS(ctx, epv_gep_tree_load_memory(ctx, notxml, sizeof notxml - 1, "t.xml", &t), EPV_EPARSE);
    static const char badunit[] = "<gepTree version='1'><node code='x' category='cultural' name_zh='x' name_en='x' "
                                  "unit='furlong' method='hedonic'/></gepTree>";
    EPV_ASSERT_STATUS(ctx, epv_gep_tree_load_memory(ctx, badunit, sizeof badunit - 1, "t.xml", &t), EPV_EUNITS);
    EPV_ASSERT_ERRMSG_HAS(ctx, "t.xml:1");
    EPV_ASSERT_ERRMSG_HAS(ctx, "unit");
    CU_ASSERT_PTR_NULL(t);
}

static void test_deflator_csv(void)
{
    setup();
    epv_gep_deflator *d = NULL;
    double v;
    EPV_ASSERT_OK(ctx, epv_gep_deflator_load_csv(ctx, epv_test_path("tests/data/gep/cpi.csv"), &d));
    EPV_ASSERT_OK(ctx, epv_gep_deflator_get(ctx, d, 2020, &v));
    CU_ASSERT_EQUAL(v, 147.98);
    EPV_ASSERT_STATUS(ctx, epv_gep_deflator_get(ctx, d, 2010, &v), EPV_ENOTFOUND);
    EPV_ASSERT_ERRMSG_HAS(ctx, "2010");
    epv_gep_deflator_free(d);
    EPV_ASSERT_STATUS(ctx, epv_gep_deflator_load_csv(ctx, epv_test_path("tests/data/gep/cpi_dup.csv"), &d), EPV_EEXISTS);
    EPV_ASSERT_ERRMSG_HAS(ctx, "cpi_dup.csv:4");
    EPV_ASSERT_ERRMSG_HAS(ctx, "year");
    CU_ASSERT_PTR_NULL(d);
    EPV_ASSERT_STATUS(ctx, epv_gep_deflator_load_csv(ctx, epv_test_path("tests/data/gep/cpi_badnum.csv"), &d), EPV_EPARSE);
    EPV_ASSERT_ERRMSG_HAS(ctx, "cpi_badnum.csv:3");
    EPV_ASSERT_ERRMSG_HAS(ctx, "index");
    EPV_ASSERT_STATUS(ctx, epv_gep_deflator_load_csv(ctx, epv_test_path("tests/data/gep/cpi_badheader.csv"), &d), EPV_EPARSE);
    EPV_ASSERT_ERRMSG_HAS(ctx, "header");
    EPV_ASSERT_STATUS(ctx, epv_gep_deflator_load_csv(ctx, epv_test_path("tests/data/gep/missing.csv"), &d), EPV_EIO);
    EPV_ASSERT_ERRMSG_HAS(ctx, "missing.csv");
}

struct bad_case {
    const char *file;
    int status;
    const char *line;  /* "file:line" the message must name */
    const char *field; /* field it must name */
};

static void test_bad_inputs(void)
{
    setup();
    static const struct bad_case cases[] = {
        { "bad_negative_area.xml", EPV_ERANGE, "bad_negative_area.xml:5", "areaHa" },
        { "bad_negative_price.xml", EPV_ERANGE, "bad_negative_price.xml:5", "yuan_per_unit" },
        { "bad_unknown_indicator.xml", EPV_ENOTFOUND, "bad_unknown_indicator.xml:6", "indicator" },
        { "bad_no_base_year.xml", EPV_EINVAL, "bad_no_base_year.xml:5", "baseYear" },
        { "bad_units.xml", EPV_EUNITS, "bad_units.xml:5", "unit" },
        { "bad_no_emission.xml", EPV_ENOTFOUND, "bad_no_emission.xml:5", "emission" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char rel[256];
        snprintf(rel, sizeof rel, "tests/data/gep/%s", cases[i].file);
        epv_gep_input *in = (epv_gep_input *)&in; /* must come back NULL */
        EPV_ASSERT_STATUS(ctx, epv_gep_input_load_file(ctx, tree, epv_test_path(rel), &in), cases[i].status);
        EPV_ASSERT_ERRMSG_HAS(ctx, cases[i].line);
        EPV_ASSERT_ERRMSG_HAS(ctx, cases[i].field);
        CU_ASSERT_PTR_NULL(in);
    }
    /* schema violations and unsafe XML are refused before any value is read */
    epv_gep_input *in;
    static const char unknown_el[] = "<gepInput version='1' firstYear='2020' years='1' priceYear='2020'>"
                                     "<region code='a' name='A'/><ecosystem code='f'/><magic/></gepInput>";
    EPV_ASSERT_STATUS(ctx, epv_gep_input_load_memory(ctx, tree, unknown_el, sizeof unknown_el - 1, "m.xml", &in),
                      EPV_ESCHEMA);
    static const char doctype[] = "<!DOCTYPE x [<!ENTITY e 'x'>]><gepInput/>";
    EPV_ASSERT_STATUS(ctx, epv_gep_input_load_memory(ctx, tree, doctype, sizeof doctype - 1, "d.xml", &in), EPV_EPARSE);
    EPV_ASSERT_ERRMSG_HAS(ctx, "DOCTYPE");
}

/* Prices built from their parts in an input file: sand (ρ, h, c) and soil (sediment, N, P with
 * the kind of each nutrient price). */
static void test_built_prices(void)
{
    setup();
    const char *doc = "<gepInput version='1' firstYear='2020' years='1' priceYear='2020'>"
                      "<region code='a' name='A'/><ecosystem code='desert'/>"
                      "<sandPrice baseYear='2020' densityTM3='1.28' depthM='0.1' costYuanM2='3.75' source='refs'/>"
                      "<soilPrice baseYear='2020' siltFraction='0.24' densityTM3='1.2' dredgingYuanM3='15' nFraction='0.001'"
                      " pFraction='0.0005' nPriceYuanT='875' pPriceYuanT='2800' nPriceKind='treatment' pPriceKind='fertiliser'"
                      " source='t'/></gepInput>";
    epv_gep_input *in = NULL;
    EPV_ASSERT_OK(ctx, epv_gep_input_load_memory(ctx, tree, doc, strlen(doc), "built.xml", &in));
    epv_gep_price p = EPV_GEP_PRICE_INIT;
    /* 3.75 / (1.28 × 0.1) = 29.296875 yuan/t (published ρ, h, c: references.md section 2) */
    EPV_ASSERT_OK(ctx, epv_gep_prices_find(ctx, epv_gep_input_prices(in), "wind_erosion_control", &p));
    EPV_ASSERT_CLOSE(p.yuan_per_unit, 29.296875, 1e-12);
    /* 0.24/1.2 × 15 + 0.001 × 875 + 0.0005 × 2800 = 3 + 0.875 + 1.4 */
    EPV_ASSERT_OK(ctx, epv_gep_prices_find(ctx, epv_gep_input_prices(in), "soil_retention", &p));
    EPV_ASSERT_CLOSE(p.yuan_per_unit, 5.275, 1e-12);
    /* a valued account splits its soil retention value in the same shares: 1000 t retained
     * → 5275 yuan = sediment 3000 + N 875 + P 1400 */
    epv_gep_account *acc = epv_gep_input_account(in);
    EPV_ASSERT_OK(ctx, epv_gep_account_set_quantity(ctx, acc, "a", "desert", "soil_retention", 2020, 1000, EPV_UNIT_T));
    EPV_ASSERT_OK(ctx, epv_gep_account_value(ctx, acc, epv_gep_input_prices(in), NULL, 2020));
    epv_gep_soil_split sp = EPV_GEP_SOIL_SPLIT_INIT;
    EPV_ASSERT_OK(ctx, epv_gep_account_soil_value(ctx, acc, epv_gep_input_prices(in), "a", 2020, EPV_GEP_CURRENT, &sp));
    EPV_ASSERT_CLOSE(sp.total_yuan, 5275, 1e-12);
    EPV_ASSERT_CLOSE(sp.sediment_yuan, 3000, 1e-12);
    EPV_ASSERT_CLOSE(sp.n_yuan, 875, 1e-12);
    EPV_ASSERT_CLOSE(sp.p_yuan, 1400, 1e-12);
    epv_gep_input_free(in);
    const char *bad = "<gepInput version='1' firstYear='2020' years='1' priceYear='2020'>"
                      "<region code='a' name='A'/><ecosystem code='desert'/>\n"
                      "<sandPrice baseYear='2020' densityTM3='1.28' depthM='0' costYuanM2='3.75' source='refs'/></gepInput>";
    in = NULL;
    EPV_ASSERT_STATUS(ctx, epv_gep_input_load_memory(ctx, tree, bad, strlen(bad), "bad.xml", &in), EPV_ERANGE);
    EPV_ASSERT_ERRMSG_HAS(ctx, "bad.xml:2");
    EPV_ASSERT_ERRMSG_HAS(ctx, "depth_m");
    CU_ASSERT_PTR_NULL(in);
}

/* The specification's model elements go through the same per-cell functions as
 * tests/test_gep_model.c (same inputs, same hand-checked results), and components of one
 * indicator in one cell add up. */
static void test_model_elements(void)
{
    setup();
    const char *doc =
        "<gepInput version='1' firstYear='2020' years='1' priceYear='2020'>"
        "<region code='a' name='A'/><ecosystem code='forest'/><ecosystem code='water'/><ecosystem code='desert'/>"
        "<climateTranspiration region='a' ecosystem='forest' year='2020' areaHa='100' eppKjM2Day='1000' days='100' eer='3'/>"
        "<climateEvaporation region='a' ecosystem='water' year='2020' waterAreaHa='1' evapMm='1000' latentHeatKjKg='2450' eer='3'/>"
        "<climateEvaporation region='a' ecosystem='water' year='2020' waterAreaHa='1' evapMm='1000' latentHeatKjKg='2450'"
        " eer='3' humidifierKwhM3='0.5'/>"
        "<floodVegetation region='a' ecosystem='forest' year='2020' areaHa='100' stormPrecipMm='200' stormRunoffMm='50'/>"
        "<floodReservoir region='a' ecosystem='water' year='2020' capacityM3='2e6'/>"
        "<floodMarsh region='a' ecosystem='water' year='2020' areaHa='1' soilDepthM='0.5' bulkDensityTM3='1.2'"
        " saturatedWater='0.6' naturalWater='0.4' surfaceDepthM='0.3'/>"
        "<sandFixation region='a' ecosystem='desert' year='2020' areaHa='1' wf='10' ef='0.5' scf='0.8' kRough='0.5' c='0.1' zM='50'/>"
        "</gepInput>";
    epv_gep_input *in = NULL;
    EPV_ASSERT_OK(ctx, epv_gep_input_load_memory(ctx, tree, doc, strlen(doc), "models.xml", &in));
    epv_gep_account *acc = epv_gep_input_account(in);
    double q;
    /* 1000 kJ/(m²·d) × 10⁶ m² × 100 d / 10800 = 9.259259×10⁶ kWh */
    EPV_ASSERT_OK(ctx, epv_gep_account_quantity(ctx, acc, "a", "forest", "climate_regulation", 2020, &q));
    EPV_ASSERT_CLOSE(q, 1e11 / 10800.0, 1e-12);
    /* two evaporation elements on one cell add: 2 × 2.268519×10⁶ + 5000 kWh */
    EPV_ASSERT_OK(ctx, epv_gep_account_quantity(ctx, acc, "a", "water", "climate_regulation", 2020, &q));
    EPV_ASSERT_CLOSE(q, 2 * 2.45e10 / 10800.0 + 5000, 1e-12);
    /* flood: vegetation 1.5×10⁵ m³ on forest; reservoir 0.35 × 2×10⁶ + marsh 4200 m³ on water */
    EPV_ASSERT_OK(ctx, epv_gep_account_quantity(ctx, acc, "a", "forest", "flood_regulation", 2020, &q));
    EPV_ASSERT_CLOSE(q, 1.5e5, 1e-12);
    EPV_ASSERT_OK(ctx, epv_gep_account_quantity(ctx, acc, "a", "water", "flood_regulation", 2020, &q));
    EPV_ASSERT_CLOSE(q, 7e5 + 4200, 1e-12);
    /* RWEQ on 1 ha: 13.45285 − 0.283202 = 13.16964 t (arithmetic in tests/test_gep_model.c) */
    EPV_ASSERT_OK(ctx, epv_gep_account_quantity(ctx, acc, "a", "desert", "wind_erosion_control", 2020, &q));
    EPV_ASSERT_CLOSE(q, 13.16964, 1e-6);
    epv_gep_input_free(in);
    /* a bad model input names file, line, element and argument; nothing is left */
    const char *bad = "<gepInput version='1' firstYear='2020' years='1' priceYear='2020'>"
                      "<region code='a' name='A'/><ecosystem code='forest'/>\n"
                      "<floodVegetation region='a' ecosystem='forest' year='2020' areaHa='100' stormPrecipMm='50'"
                      " stormRunoffMm='200'/></gepInput>";
    in = NULL;
    EPV_ASSERT_STATUS(ctx, epv_gep_input_load_memory(ctx, tree, bad, strlen(bad), "bad.xml", &in), EPV_ERANGE);
    EPV_ASSERT_ERRMSG_HAS(ctx, "bad.xml:2");
    EPV_ASSERT_ERRMSG_HAS(ctx, "floodVegetation");
    EPV_ASSERT_ERRMSG_HAS(ctx, "storm_runoff_mm");
    CU_ASSERT_PTR_NULL(in);
}

/* CSV tables: tests/data/gep/csv_small holds the account of small.xml (plus one water
 * balance), read through the strict CSV reader and the same checks as XML. */
static void test_csv_tables(void)
{
    setup();
    epv_gep_input *in = NULL;
    EPV_ASSERT_OK(ctx, epv_gep_input_load_csv_dir(ctx, tree, epv_test_path("tests/data/gep/csv_small"), NULL, &in));
    epv_gep_account *acc = epv_gep_input_account(in);
    double q;
    /* the emission cap as in small.xml: 150 + 50 t capacity against 100 t emitted → 75 + 25 */
    EPV_ASSERT_OK(ctx, epv_gep_account_quantity(ctx, acc, "a", "forest", "air_so2", 2020, &q));
    EPV_ASSERT_CLOSE(q, 75, 1e-12);
    /* water balance: (1200 − 300 − 600) mm over 100 ha = 3×10⁵ m³ */
    EPV_ASSERT_OK(ctx, epv_gep_account_quantity(ctx, acc, "b", "forest", "water_conservation", 2020, &q));
    EPV_ASSERT_CLOSE(q, 3e5, 1e-12);
    epv_gep_region r = EPV_GEP_REGION_INIT;
    EPV_ASSERT_OK(ctx, epv_gep_account_region_at(ctx, acc, 1, &r));
    CU_ASSERT_STRING_EQUAL(r.code, "a"); /* the BOM of region.csv is not part of the header */
    EPV_ASSERT_CLOSE(r.area_ha, 100, 1e-12);
    epv_gep_price p = EPV_GEP_PRICE_INIT;
    EPV_ASSERT_OK(ctx, epv_gep_prices_find(ctx, epv_gep_input_prices(in), "air_so2", &p));
    CU_ASSERT_STRING_EQUAL(p.source, "refs, section 2"); /* a quoted field with a comma */
    epv_gep_input_free(in);
    /* a negative rainfall on line 4 of waterBalance.csv (a blank line before it) */
    in = (epv_gep_input *)1;
    CU_ASSERT(epv_gep_input_load_csv_dir(ctx, tree, epv_test_path("tests/data/gep/csv_bad"), NULL, &in) < 0);
    EPV_ASSERT_ERRMSG_HAS(ctx, "waterBalance.csv:4:");
    EPV_ASSERT_ERRMSG_HAS(ctx, "column 'precipMm'");
    CU_ASSERT_PTR_NULL(in);
    /* a column that is no attribute of the element: refused by the schema, named, with the line */
    EPV_ASSERT_STATUS(ctx, epv_gep_input_load_csv_dir(ctx, tree, epv_test_path("tests/data/gep/csv_badcol"), NULL, &in),
                      EPV_ESCHEMA);
    EPV_ASSERT_ERRMSG_HAS(ctx, "waterBalance.csv:2:");
    EPV_ASSERT_ERRMSG_HAS(ctx, "rainMm");
    /* GB18030 when declared: the county's Chinese name arrives as UTF-8 */
    EPV_ASSERT_OK(ctx, epv_gep_input_load_csv_dir(ctx, tree, epv_test_path("tests/data/gep/csv_gb18030"), "GB18030", &in));
    r = (epv_gep_region)EPV_GEP_REGION_INIT;
    EPV_ASSERT_OK(ctx, epv_gep_account_region_at(ctx, epv_gep_input_account(in), 0, &r));
    CU_ASSERT_STRING_EQUAL(r.name, "平昌县");
    epv_gep_input_free(in);
    in = NULL;
    /* a missing required table */
    EPV_ASSERT_STATUS(ctx, epv_gep_input_load_csv_dir(ctx, tree, epv_test_path("tests/data/gep"), NULL, &in), EPV_EIO);
    EPV_ASSERT_ERRMSG_HAS(ctx, "gepInput.csv");
}

static void test_small_input(void)
{
    setup();
    epv_gep_input *in;
    EPV_ASSERT_OK(ctx, epv_gep_input_load_file(ctx, tree, epv_test_path("tests/data/gep/small.xml"), &in));
    epv_gep_account *acc = epv_gep_input_account(in);
    double q;
    /* capacities 150 + 50 t against 100 t emitted: capped at 100 t, shared 3:1 */
    EPV_ASSERT_OK(ctx, epv_gep_account_quantity(ctx, acc, "p", NULL, "air_so2", 2020, &q));
    EPV_ASSERT_CLOSE(q, 100, 1e-12);
    EPV_ASSERT_OK(ctx, epv_gep_account_quantity(ctx, acc, "a", "forest", "air_so2", 2020, &q));
    EPV_ASSERT_CLOSE(q, 75, 1e-12);
    EPV_ASSERT_OK(ctx, epv_gep_account_value(ctx, acc, epv_gep_input_prices(in), epv_gep_input_deflator(in),
                                             epv_gep_input_price_year(in)));
    double v;
    EPV_ASSERT_OK(ctx, epv_gep_account_total(ctx, acc, "p", NULL, "air_purification", 2020, EPV_GEP_CURRENT, &v));
    EPV_ASSERT_CLOSE(v, 100 * 1200.0, 1e-12); /* SO2 1200 yuan/t (references.md, section 2) */
    epv_gep_findings *f;
    EPV_ASSERT_OK(ctx, epv_gep_check(ctx, acc, &f));
    CU_ASSERT_EQUAL(epv_gep_findings_count(f), 0);
    epv_gep_findings_free(f);

    /* writers: files exist, XML validates against the account schema */
    char dir[] = "/tmp/epv_gep_io_XXXXXX", path[512];
    CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/a.xml", dir);
    EPV_ASSERT_OK(ctx, epv_gep_account_write_xml(ctx, acc, path));
    EPV_ASSERT_OK(ctx, epv_xml_validate_file(ctx, path, "schema/gep_account.xsd"));
    remove(path);
    snprintf(path, sizeof path, "%s/a.csv", dir);
    EPV_ASSERT_OK(ctx, epv_gep_account_write_csv(ctx, acc, path));
    FILE *fp = fopen(path, "r");
    CU_ASSERT_PTR_NOT_NULL_FATAL(fp);
    char line[256];
    CU_ASSERT_PTR_NOT_NULL(fgets(line, sizeof line, fp));
    CU_ASSERT_STRING_EQUAL(line, "region,ecosystem,indicator,year,quantity,unit,value_current_yuan,value_constant_yuan\n");
    CU_ASSERT_PTR_NOT_NULL(fgets(line, sizeof line, fp));
    CU_ASSERT(strncmp(line, "a,forest,air_so2,2020,75,t,90000,90000", 38) == 0);
    fclose(fp);
    remove(path);
    snprintf(path, sizeof path, "%s/a.svg", dir);
    EPV_ASSERT_OK(ctx, epv_gep_account_write_svg(ctx, acc, "p", 2020, path));
    CU_ASSERT_EQUAL(access(path, R_OK), 0);
    remove(path);
    /* unwritable path: EIO naming the path */
    EPV_ASSERT_STATUS(ctx, epv_gep_account_write_csv(ctx, acc, "/nonexistent/dir/a.csv"), EPV_EIO);
    EPV_ASSERT_ERRMSG_HAS(ctx, "/nonexistent/dir/a.csv");
    rmdir(dir);
    epv_gep_input_free(in);
    epv_gep_input_free(NULL);
}

static void test_example_input(void)
{
    setup();
    epv_gep_input *in;
    EPV_ASSERT_OK(ctx, epv_gep_input_load_file(ctx, tree, epv_test_path("data/examples/bazhong_gep.xml"), &in));
    epv_gep_deflator *cpi;
    EPV_ASSERT_OK(ctx, epv_gep_deflator_load_csv(ctx, epv_test_path("data/examples/bazhong_gep_cpi.csv"), &cpi));
    epv_gep_account *acc = epv_gep_input_account(in);
    EPV_ASSERT_OK(ctx, epv_gep_account_value(ctx, acc, epv_gep_input_prices(in), cpi, 2020));
    /* the city is the sum of its counties less inflows from outside it */
    double city, c1, c2;
    EPV_ASSERT_OK(ctx, epv_gep_account_total(ctx, acc, "bazhong", NULL, NULL, 2020, EPV_GEP_CURRENT, &city));
    EPV_ASSERT_OK(ctx, epv_gep_account_total(ctx, acc, "pingchang", NULL, NULL, 2020, EPV_GEP_CURRENT, &c1));
    EPV_ASSERT_OK(ctx, epv_gep_account_total(ctx, acc, "tongjiang", NULL, NULL, 2020, EPV_GEP_CURRENT, &c2));
    EPV_ASSERT_CLOSE(city, c1 + c2 + 3.0e7, 1e-12); /* the 3e7 from Pingchang stays inside Bazhong */
    /* Pingchang's CO2 from the seeds' figures: 15.84万 + 6万 t (references.md, section 1) */
    double q;
    EPV_ASSERT_OK(ctx, epv_gep_account_quantity(ctx, acc, "pingchang", "forest", "carbon_fixation", 2020, &q));
    EPV_ASSERT_CLOSE(q, 21.84e4, 1e-12);
    epv_gep_deflator_free(cpi);
    epv_gep_input_free(in);
}

static void test_zz_teardown(void)
{
    epv_gep_tree_free(tree);
    epv_ctx_free(ctx);
    tree = NULL;
    ctx = NULL;
}

int main(void)
{
    CU_TestInfo tests[] = {
        { "tree merge", test_tree_merge },
        { "deflator CSV", test_deflator_csv },
        { "bad input files", test_bad_inputs },
        { "small input and writers", test_small_input },
        { "prices built from parts", test_built_prices },
        { "model elements use the per-cell models", test_model_elements },
        { "CSV tables", test_csv_tables },
        { "example input", test_example_input },
        { "teardown", test_zz_teardown },
        CU_TEST_INFO_NULL,
    };
    return epv_test_main("gep_io", tests);
}
