/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Forest inventories into projects (epv/compartment.h): sub-compartment records from CSV or
 * arrays grouped into strata by stated rules, traced back from each stratum to its records.
 *
 * The age-class rule tested is the national forest inventory's general one: "一般天然林每20年
 * 为一个龄级; 人工林每10年为一个龄级" (natural stands 20-year, plantations 10-year age classes;
 * as quoted in the encyclopaedia entry 幼龄林, newton.com.tw/wiki/幼齡林, which paraphrases the
 * inventory rules). Expected strata, areas and weighted means are hand arithmetic on the
 * illustrative inventory data/examples/pingchang_compartments.csv, shown next to each check. */
#include "test_util.h"
#include "epv.h"

#include <string.h>

static epv_ctx *ctx;
static epv_params *params;

static epv_compartment_curve curves[5];
static const char *const curve_species[5] = { "柏木", "马尾松", "杉木", "桤木", "栎类" };

static void make_curves(void)
{
    for (int i = 0; i < 5; i++) {
        epv_compartment_curve c = EPV_COMPARTMENT_CURVE_INIT;
        c.species = curve_species[i];
        c.curve.model = EPV_GROWTH_SCHUMACHER;
        c.curve.a = 300;
        c.curve.b = 20;
        c.has_baseline_curve = 1;
        c.baseline_curve.model = EPV_GROWTH_SCHUMACHER;
        c.baseline_curve.a = 250;
        c.baseline_curve.b = 20;
        curves[i] = c;
    }
}

static epv_compartment_set *read_example(void)
{
    epv_compartment_set *set = NULL;
    EPV_ASSERT_OK(ctx, epv_compartment_read_csv(ctx, epv_test_path("data/examples/pingchang_compartments.csv"), NULL,
                                                params, &set));
    return set;
}

static void test_read(void)
{
    epv_compartment_set *set = read_example();
    CU_ASSERT_PTR_NOT_NULL_FATAL(set);
    CU_ASSERT_EQUAL(epv_compartment_count(set), 12);
    epv_compartment r = EPV_COMPARTMENT_INIT;
    EPV_ASSERT_OK(ctx, epv_compartment_at(ctx, set, 9, &r));
    CU_ASSERT_STRING_EQUAL(r.id, "PC-004-01");
    CU_ASSERT_STRING_EQUAL(r.species, "alnus_cremastogyne"); /* 桤木 resolved to its code */
    CU_ASSERT_EQUAL(r.site_class, 0);                        /* empty field: unknown */
    EPV_ASSERT_OK(ctx, epv_compartment_at(ctx, set, 10, &r));
    CU_ASSERT_EQUAL(r.origin, EPV_PROJECT_NATURAL); /* 天然 */
    CU_ASSERT_EQUAL(r.age, 35);
    EPV_ASSERT_CLOSE(r.area_ha, 210.0, 0);
    EPV_ASSERT_STATUS(ctx, epv_compartment_at(ctx, set, 12, &r), EPV_ERANGE);
    epv_compartment_set_free(set);
}

static double total_area(const epv_compartment_set *set)
{
    double a = 0;
    for (size_t i = 0; i < epv_compartment_count(set); i++) {
        epv_compartment r = EPV_COMPARTMENT_INIT;
        EPV_ASSERT_OK(ctx, epv_compartment_at(ctx, set, i, &r));
        a += r.area_ha;
    }
    return a;
}

static void test_stratify_and_trace(void)
{
    epv_compartment_set *set = read_example();
    CU_ASSERT_PTR_NOT_NULL_FATAL(set);
    epv_project *p = NULL;
    EPV_ASSERT_OK(ctx, epv_project_new(ctx, "inventory", EPV_PROJECT_FOREST_MANAGEMENT, 2021, 30, &p));
    epv_compartment_rules rules = EPV_COMPARTMENT_RULES_INIT;
    rules.inventory_year = 2020;
    rules.curves = curves;
    rules.ncurves = 5;
    epv_compartment_map *m = NULL;
    EPV_ASSERT_OK(ctx, epv_compartment_stratify(ctx, set, params, &rules, p, &m));
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    /* species × origin × age class × site class: 柏木 a2/s2 (ages 18, 19), a3/s2 (22), a2/s3
     * (17); 马尾松 a2/s2 (20, 16), a3/s3 (24); 杉木 a1/s2 (8), a2/s2 (12); 桤木 a1/s0 (9);
     * natural 栎类 a2/s3 (35: 21–40), a3/s3 (42: 41–60) = 10 strata. */
    CU_ASSERT_EQUAL(epv_compartment_map_strata(m), 10);
    CU_ASSERT_EQUAL(epv_project_stratum_count(p), 10);
    EPV_ASSERT_CLOSE(epv_project_area_ha(p), total_area(set), 1e-12);
    /* One stratum traced to its records: 柏木 plantation, age class 2, site class 2 =
     * PC-001-01 (120.5 ha, 18 y, 78.0 m³/ha) + PC-001-02 (86.0 ha, 19 y, 84.5 m³/ha):
     * area 206.5 ha; mean age (120.5·18 + 86·19)/206.5 = 18.42 → 18, planted 2020 − 18 + 1 =
     * 2003; start volume (120.5·78 + 86·84.5)/206.5 = 80.707 m³/ha. */
    const char *id = "cupressus_funebris/plantation/a2/s2";
    const size_t *idx = NULL;
    size_t n = 0;
    EPV_ASSERT_OK(ctx, epv_compartment_map_records(ctx, m, id, &idx, &n));
    CU_ASSERT_EQUAL_FATAL(n, 2);
    epv_compartment r0 = EPV_COMPARTMENT_INIT, r1 = EPV_COMPARTMENT_INIT;
    EPV_ASSERT_OK(ctx, epv_compartment_at(ctx, set, idx[0], &r0));
    EPV_ASSERT_OK(ctx, epv_compartment_at(ctx, set, idx[1], &r1));
    CU_ASSERT_STRING_EQUAL(r0.id, "PC-001-01");
    CU_ASSERT_STRING_EQUAL(r1.id, "PC-001-02");
    int found = 0;
    for (size_t i = 0; i < epv_project_stratum_count(p); i++) {
        epv_project_stratum s = EPV_PROJECT_STRATUM_INIT;
        EPV_ASSERT_OK(ctx, epv_project_stratum_at(ctx, p, i, &s));
        if (strcmp(s.id, id) != 0) continue;
        found = 1;
        EPV_ASSERT_CLOSE(s.area_ha, r0.area_ha + r1.area_ha, 1e-15);
        EPV_ASSERT_CLOSE(s.area_ha, 206.5, 1e-12);
        CU_ASSERT_EQUAL(s.planting_year, 2003);
        CU_ASSERT_EQUAL(epv_project_stratum_origin(p, i), EPV_PROJECT_PLANTATION);
        EPV_ASSERT_CLOSE(epv_project_stratum_start_volume(p, i), (120.5 * 78.0 + 86.0 * 84.5) / 206.5, 1e-12);
        EPV_ASSERT_CLOSE(epv_project_stratum_start_volume(p, i), 80.707, 1e-4);
    }
    CU_ASSERT(found);
    /* The natural oak stands keep their origin. */
    for (size_t i = 0; i < epv_compartment_map_strata(m); i++) {
        const char *sid = epv_compartment_map_stratum_id(m, i);
        if (strstr(sid, "/natural/")) CU_ASSERT(strncmp(sid, "quercus/", 8) == 0);
    }
    CU_ASSERT_PTR_NULL(epv_compartment_map_stratum_id(m, 10));
    EPV_ASSERT_STATUS(ctx, epv_compartment_map_records(ctx, m, "nope", &idx, &n), EPV_ENOTFOUND);
    /* A project figure traces back: the first year's removals of that stratum come from the
     * measured 80.707 m³/ha on the project curve (Schumacher 300, 20) from its equivalent age. */
    epv_sink_result *res = NULL;
    EPV_ASSERT_OK(ctx, epv_sink_estimate(ctx, p, params, &res));
    epv_params_species cf = EPV_PARAMS_SPECIES_INIT;
    EPV_ASSERT_OK(ctx, epv_params_species_find(ctx, params, "柏木", &cf));
    double v0 = (120.5 * 78.0 + 86.0 * 84.5) / 206.5, t0 = -20 / log(v0 / 300);
    double slope = cf.wood_density * cf.bef * (1 + cf.root_shoot) * cf.carbon_fraction * 44.0 / 12.0;
    for (size_t i = 0; i < epv_project_stratum_count(p); i++) {
        epv_project_stratum s = EPV_PROJECT_STRATUM_INIT;
        EPV_ASSERT_OK(ctx, epv_project_stratum_at(ctx, p, i, &s));
        if (strcmp(s.id, id) != 0) continue;
        epv_sink_year y = EPV_SINK_YEAR_INIT;
        EPV_ASSERT_OK(ctx, epv_sink_result_stratum_year(ctx, res, i, 0, &y));
        EPV_ASSERT_CLOSE(y.project_removals_tco2, slope * 206.5 * (300 * exp(-20 / (t0 + 1)) - v0), 1e-9);
    }
    epv_sink_result_free(res);
    epv_compartment_map_free(m);
    epv_project_free(p);

    /* Other rules: species × origin only (5 strata); 杉木 with 5-year classes (8 → a2, 12 → a3). */
    EPV_ASSERT_OK(ctx, epv_project_new(ctx, "coarse", EPV_PROJECT_FOREST_MANAGEMENT, 2021, 30, &p));
    rules.by_age_class = 0;
    rules.by_site_class = 0;
    EPV_ASSERT_OK(ctx, epv_compartment_stratify(ctx, set, params, &rules, p, &m));
    CU_ASSERT_EQUAL(epv_compartment_map_strata(m), 5);
    EPV_ASSERT_OK(ctx, epv_compartment_map_records(ctx, m, "cupressus_funebris/plantation", &idx, &n));
    CU_ASSERT_EQUAL(n, 4);
    epv_compartment_map_free(m);
    epv_project_free(p);
    EPV_ASSERT_OK(ctx, epv_project_new(ctx, "fir5", EPV_PROJECT_FOREST_MANAGEMENT, 2021, 30, &p));
    static const char *const wsp[1] = { "杉木" };
    static const int wy[1] = { 5 };
    rules.by_age_class = 1;
    rules.by_site_class = 1;
    rules.width_species = wsp;
    rules.width_years = wy;
    rules.n_width_species = 1;
    EPV_ASSERT_OK(ctx, epv_compartment_stratify(ctx, set, params, &rules, p, &m));
    EPV_ASSERT_OK(ctx, epv_compartment_map_records(ctx, m, "cunninghamia_lanceolata/plantation/a2/s2", &idx, &n));
    CU_ASSERT_EQUAL(n, 1);
    EPV_ASSERT_OK(ctx, epv_compartment_map_records(ctx, m, "cunninghamia_lanceolata/plantation/a3/s2", &idx, &n));
    CU_ASSERT_EQUAL(n, 1);
    epv_compartment_map_free(m);
    epv_project_free(p);
    epv_compartment_set_free(set);
}

static int cancel_cb(double fraction, const char *message, void *payload)
{
    (void)fraction;
    (void)message;
    return ++*(int *)payload >= 2;
}

static void test_all_or_nothing(void)
{
    epv_compartment_set *set = read_example();
    CU_ASSERT_PTR_NOT_NULL_FATAL(set);
    epv_project *p = NULL;
    EPV_ASSERT_OK(ctx, epv_project_new(ctx, "x", EPV_PROJECT_FOREST_MANAGEMENT, 2021, 30, &p));
    epv_compartment_rules rules = EPV_COMPARTMENT_RULES_INIT;
    rules.inventory_year = 2020;
    rules.curves = curves;
    rules.ncurves = 4; /* no curve for 栎类 */
    epv_compartment_map *m = (epv_compartment_map *)&m;
    EPV_ASSERT_STATUS(ctx, epv_compartment_stratify(ctx, set, params, &rules, p, &m), EPV_ENOTFOUND);
    EPV_ASSERT_ERRMSG_HAS(ctx, "quercus");
    CU_ASSERT_PTR_NULL(m);
    CU_ASSERT_EQUAL(epv_project_stratum_count(p), 0);
    /* Cancelled half-way through adding strata: the project is as it was. */
    rules.ncurves = 5;
    int calls = 0;
    EPV_ASSERT_OK(ctx, epv_ctx_set_progress(ctx, cancel_cb, &calls));
    EPV_ASSERT_STATUS(ctx, epv_compartment_stratify(ctx, set, params, &rules, p, &m), EPV_ECANCELLED);
    EPV_ASSERT_OK(ctx, epv_ctx_set_progress(ctx, NULL, NULL));
    CU_ASSERT_EQUAL(epv_project_stratum_count(p), 0);
    /* A stratum the project refuses (it exists already): nothing of this call stays. */
    epv_project_stratum s = EPV_PROJECT_STRATUM_INIT;
    snprintf(s.id, sizeof s.id, "quercus/natural/a3/s3");
    snprintf(s.species, sizeof s.species, "栎类");
    s.area_ha = 1;
    s.planting_year = 2000;
    s.curve = curves[0].curve;
    EPV_ASSERT_OK(ctx, epv_project_add_stratum(ctx, p, params, &s));
    EPV_ASSERT_STATUS(ctx, epv_compartment_stratify(ctx, set, params, &rules, p, &m), EPV_EEXISTS);
    CU_ASSERT_EQUAL(epv_project_stratum_count(p), 1);
    snprintf(s.id, sizeof s.id, "after");
    EPV_ASSERT_OK(ctx, epv_project_add_stratum(ctx, p, params, &s));
    EPV_ASSERT_STATUS(ctx, epv_project_add_stratum(ctx, p, params, &s), EPV_EEXISTS);
    CU_ASSERT_EQUAL(epv_project_stratum_count(p), 2); /* the id table still works after the undo */
    rules.inventory_year = 0;
    EPV_ASSERT_STATUS(ctx, epv_compartment_stratify(ctx, set, params, &rules, p, &m), EPV_ERANGE);
    EPV_ASSERT_ERRMSG_HAS(ctx, "inventory_year");
    epv_project_free(p);
    epv_compartment_set_free(set);
}

static void test_bad_csv(void)
{
    static const struct {
        const char *file;
        int status;
        const char *needle;
    } cases[] = {
        { "tests/data/compartment/unknown_species.csv", EPV_ENOTFOUND, "unknown_species.csv:3: column 'species'" },
        { "tests/data/compartment/unknown_species.csv", EPV_ENOTFOUND, "cupressus_funebris (柏木)" },
        { "tests/data/compartment/negative_area.csv", EPV_ERANGE, "negative_area.csv:3: column 'area_ha'" },
        { "tests/data/compartment/duplicate_id.csv", EPV_EEXISTS, "duplicate_id.csv:3: column 'id': 'X-1' repeats the id of line 2" },
        { "tests/data/compartment/bad_origin.csv", EPV_EPARSE, "bad_origin.csv:2: column 'origin'" },
        { "tests/data/compartment/area_too_large.csv", EPV_ERANGE, "area_too_large.csv:2: column 'area_ha'" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        epv_compartment_set *set = (epv_compartment_set *)&set;
        char path[4096];
        snprintf(path, sizeof path, "%s", epv_test_path(cases[i].file));
        EPV_ASSERT_STATUS(ctx, epv_compartment_read_csv(ctx, path, NULL, params, &set), cases[i].status);
        EPV_ASSERT_ERRMSG_HAS(ctx, cases[i].needle);
        CU_ASSERT_PTR_NULL(set);
    }
    /* Arrays: the same checks, naming the record. */
    epv_compartment r[2] = { EPV_COMPARTMENT_INIT, EPV_COMPARTMENT_INIT };
    snprintf(r[0].id, sizeof r[0].id, "A");
    snprintf(r[0].species, sizeof r[0].species, "马尾松");
    r[0].age = 10;
    r[0].area_ha = 5;
    r[1] = r[0];
    snprintf(r[1].id, sizeof r[1].id, "B");
    r[1].area_ha = -1;
    epv_compartment_set *set = NULL;
    EPV_ASSERT_STATUS(ctx, epv_compartment_set_from_array(ctx, r, 2, params, &set), EPV_ERANGE);
    EPV_ASSERT_ERRMSG_HAS(ctx, "record 1 ('B'): area_ha");
    r[1].area_ha = 5;
    snprintf(r[1].species, sizeof r[1].species, "银杏");
    EPV_ASSERT_STATUS(ctx, epv_compartment_set_from_array(ctx, r, 2, params, &set), EPV_ENOTFOUND);
    EPV_ASSERT_ERRMSG_HAS(ctx, "pinus_massoniana (马尾松)");
    snprintf(r[1].species, sizeof r[1].species, "pinus_massoniana");
    EPV_ASSERT_OK(ctx, epv_compartment_set_from_array(ctx, r, 2, params, &set));
    CU_ASSERT_EQUAL(epv_compartment_count(set), 2);
    epv_compartment_set_free(set);
    EPV_ASSERT_STATUS(ctx, epv_compartment_set_from_array(ctx, NULL, 2, params, &set), EPV_EINVAL);
}

int main(void)
{
    if (epv_ctx_new(&ctx)) return 2;
    if (epv_params_load_default(ctx, &params)) return 2;
    make_curves();
    CU_TestInfo tests[] = {
        { "read the illustrative inventory", test_read },
        { "stratify and trace back", test_stratify_and_trace },
        { "all or nothing", test_all_or_nothing },
        { "bad CSV and arrays", test_bad_csv },
        CU_TEST_INFO_NULL,
    };
    int rc = epv_test_main("compartment", tests);
    epv_params_free(params);
    epv_ctx_free(ctx);
    return rc;
}
