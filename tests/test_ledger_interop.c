/* SPDX-License-Identifier: GPL-3.0-or-later */
#define _GNU_SOURCE
/* Interoperable units (issue 11 item 8): other registries' serials parsed and formatted
 * (UNDP carbon registry, Verra), and the export of unit blocks in the field set of the
 * Climate Action Data Trust units model, as CSV and JSON, checked field by field. */
#include <regex.h>

#include "test_util.h"
#include "test_ledger_common.c"

static epv_ctx *ctx;

static void roundtrip(const char *fmt, const char *text, epv_ledger_xserial *x)
{
    char buf[256];
    epv_ledger_xserial init = EPV_LEDGER_XSERIAL_INIT;
    *x = init;
    EPV_ASSERT_OK(ctx, epv_ledger_xserial_parse(ctx, fmt, text, x));
    EPV_ASSERT_OK(ctx, epv_ledger_xserial_format(ctx, fmt, x, buf, sizeof buf));
    CU_ASSERT_STRING_EQUAL(buf, text);
}

static void bad(const char *fmt, const char *text, const char *needle)
{
    epv_ledger_xserial x = EPV_LEDGER_XSERIAL_INIT;
    x.scope = 77; /* written only on success */
    EPV_ASSERT_STATUS(ctx, epv_ledger_xserial_parse(ctx, fmt, text, &x), EPV_EPARSE);
    EPV_ASSERT_ERRMSG_HAS(ctx, needle);
    CU_ASSERT_EQUAL(x.scope, 77);
}

static void test_undp(void)
{
    epv_ledger_xserial x;
    /* undp/carbon-registry, libs/serial-number-gen/README.md, section 2.1 "Serial Number
     * Standard": example "VU-ITMO-11-356-2022-0-27-35" = country VU, unit ITMO, sectoral
     * scope 11, programme 356, year 2022, blank "0", block 27..35; the generator
     * (src/generator.ts) joins exactly these parts with '-'. */
    roundtrip(EPV_LEDGER_SERIAL_UNDP, "VU-ITMO-11-356-2022-0-27-35", &x);
    CU_ASSERT_STRING_EQUAL(x.country, "VU");
    CU_ASSERT_STRING_EQUAL(x.unit, "ITMO");
    CU_ASSERT_EQUAL(x.scope, 11);
    CU_ASSERT_STRING_EQUAL(x.project, "356");
    CU_ASSERT_EQUAL(x.vintage, 2022);
    CU_ASSERT_EQUAL(x.serial_start, 27);
    CU_ASSERT_EQUAL(x.serial_end, 35);
    CU_ASSERT_EQUAL(x.batch, 0);
    /* Same README, section 2.6/2.7 table: programme 3 gets block 37..41 (5 credits); the
     * country codes listed there are CR and FJ, scope 14 is afforestation and reforestation. */
    epv_ledger_xserial y = EPV_LEDGER_XSERIAL_INIT;
    snprintf(y.country, sizeof y.country, "FJ");
    snprintf(y.unit, sizeof y.unit, "ITMO");
    snprintf(y.project, sizeof y.project, "3");
    y.scope = 14;
    y.vintage = 2023;
    y.serial_start = 37;
    y.serial_end = 41;
    char buf[128];
    EPV_ASSERT_OK(ctx, epv_ledger_xserial_format(ctx, EPV_LEDGER_SERIAL_UNDP, &y, buf, sizeof buf));
    CU_ASSERT_STRING_EQUAL(buf, "FJ-ITMO-14-3-2023-0-37-41");
    /* a buffer one byte short is refused */
    EPV_ASSERT_STATUS(ctx, epv_ledger_xserial_format(ctx, EPV_LEDGER_SERIAL_UNDP, &y, buf, strlen("FJ-ITMO-14-3-2023-0-37-41")), EPV_ERANGE);
    /* bad input, each naming its field */
    bad(EPV_LEDGER_SERIAL_UNDP, "VU-ITMO-11-356-2022-0-35-27", "end");
    bad(EPV_LEDGER_SERIAL_UNDP, "vu-ITMO-11-356-2022-0-27-35", "country");
    bad(EPV_LEDGER_SERIAL_UNDP, "VUT-ITMO-11-356-2022-0-27-35", "country");
    bad(EPV_LEDGER_SERIAL_UNDP, "VU-ITMO-011-356-2022-0-27-35", "scope: leading zero");
    bad(EPV_LEDGER_SERIAL_UNDP, "VU-ITMO-100-356-2022-0-27-35", "scope");
    bad(EPV_LEDGER_SERIAL_UNDP, "VU-ITMO-11-356-2022-1-27-35", "expected '-0-'");
    bad(EPV_LEDGER_SERIAL_UNDP, "VU-ITMO-11-356-2022-0-27-35 ", "unexpected text");
    bad(EPV_LEDGER_SERIAL_UNDP, "VU-ITMO-11-356-2022-0-\xef\xbc\x92\xef\xbc\x97-35", "start");
    /* formatting checks the fields too */
    y.country[0] = 'f';
    EPV_ASSERT_STATUS(ctx, epv_ledger_xserial_format(ctx, EPV_LEDGER_SERIAL_UNDP, &y, buf, sizeof buf), EPV_ERANGE);
    EPV_ASSERT_ERRMSG_HAS(ctx, "country");
}

static void test_verra(void)
{
    epv_ledger_xserial x;
    /* stellarcarbon/sc-audit, tests/test_mint.py, test_vcs_serial_number_13: the VCU serial
     * "9660-115597313-115618057-VCS-VCU-261-VER-US-14-1060-01012019-31122019-0" is project
     * 1060, without additional certification (last field 0); it round-trips there too. */
    roundtrip(EPV_LEDGER_SERIAL_VERRA, "9660-115597313-115618057-VCS-VCU-261-VER-US-14-1060-01012019-31122019-0", &x);
    CU_ASSERT_EQUAL(x.batch, 9660);
    CU_ASSERT_EQUAL(x.serial_start, 115597313);
    CU_ASSERT_EQUAL(x.serial_end, 115618057);
    CU_ASSERT_EQUAL(x.serial_end - x.serial_start + 1, 20745);
    CU_ASSERT_STRING_EQUAL(x.unit, "VCU");
    CU_ASSERT_STRING_EQUAL(x.code, "261");
    CU_ASSERT_STRING_EQUAL(x.country, "US");
    CU_ASSERT_EQUAL(x.scope, 14);
    CU_ASSERT_STRING_EQUAL(x.project, "1060");
    CU_ASSERT(x.vintage_start.year == 2019 && x.vintage_start.month == 1 && x.vintage_start.day == 1);
    CU_ASSERT(x.vintage_end.year == 2019 && x.vintage_end.month == 12 && x.vintage_end.day == 31);
    CU_ASSERT_EQUAL(x.flag, 0);
    /* Same file, first_block_data: "8040-449402275-449402275-VCU-042-MER-PE-14-1360-01072013-
     * 30062014-1" is project 1360 with additional certification (1): a one-unit block, a
     * vintage across two years, a code with a leading zero; the "VCS-" part is absent and
     * "MER" stands where "VER" is, so it takes its own template. */
    const char *mer = "{batch}-{start}-{end}-{unit}-{code}-MER-{country}-{scope}-{project}-{vintage_start}-{vintage_end}-{flag}";
    roundtrip(mer, "8040-449402275-449402275-VCU-042-MER-PE-14-1360-01072013-30062014-1", &x);
    CU_ASSERT_STRING_EQUAL(x.project, "1360");
    CU_ASSERT_EQUAL(x.flag, 1);
    CU_ASSERT_EQUAL(x.serial_start, x.serial_end);
    CU_ASSERT_STRING_EQUAL(x.code, "042");
    CU_ASSERT(x.vintage_start.year == 2013 && x.vintage_start.month == 7 && x.vintage_start.day == 1);
    CU_ASSERT(x.vintage_end.year == 2014 && x.vintage_end.month == 6 && x.vintage_end.day == 30);
    /* bad input */
    bad(EPV_LEDGER_SERIAL_VERRA, "9660-115597313-115618057-VCS-VCU-261-VER-US-14-1060-31022019-31122019-0", "vintage_start");
    bad(EPV_LEDGER_SERIAL_VERRA, "9660-115597313-115618057-VCS-VCU-261-VER-US-14-1060-1012019-31122019-0", "vintage_start: not eight digits");
    bad(EPV_LEDGER_SERIAL_VERRA, "9660-115597313-115618057-VCS-VCU-261-VER-US-14-1060-01012020-31122019-0", "vintage_end: before");
    bad(EPV_LEDGER_SERIAL_VERRA, "9660-115597313-115618057-VCS-VCU-261-VER-US-14-1060-01012019-31122019-12", "flag");
    bad(EPV_LEDGER_SERIAL_VERRA, "9660-115618057-115597313-VCS-VCU-261-VER-US-14-1060-01012019-31122019-0", "end");
    bad(EPV_LEDGER_SERIAL_VERRA, "9660-115597313-115618057-VCS-VCU-261-VER-US-14-1060-01012019-31122019-O", "flag");
    bad(EPV_LEDGER_SERIAL_VERRA, "9660-115597313-115618057-VCS-VCU-261-VER-US-14-1060-01012019-31122019", "expected '-'");
    /* templates */
    epv_ledger_xserial y = EPV_LEDGER_XSERIAL_INIT;
    EPV_ASSERT_STATUS(ctx, epv_ledger_xserial_parse(ctx, "{country}{unit}-{start}-{end}-{project}", "VUITMO-1-2-P", &y), EPV_EINVAL);
    EPV_ASSERT_STATUS(ctx, epv_ledger_xserial_parse(ctx, "{country}A-{start}-{end}-{project}", "VUA-1-2-P", &y), EPV_EINVAL);
    EPV_ASSERT_ERRMSG_HAS(ctx, "cannot hold");
    EPV_ASSERT_STATUS(ctx, epv_ledger_xserial_parse(ctx, NULL, "x", &y), EPV_EINVAL);
    EPV_ASSERT_ERRMSG_HAS(ctx, "format");
    /* the ledger's own serial API keeps to its fields */
    epv_ledger_serial s = EPV_LEDGER_SERIAL_INIT;
    EPV_ASSERT_STATUS(ctx, epv_ledger_serial_parse(ctx, EPV_LEDGER_SERIAL_UNDP, "VU-ITMO-11-356-2022-0-27-35", &s), EPV_EINVAL);
    EPV_ASSERT_ERRMSG_HAS(ctx, "epv_ledger_xserial");
    /* an extended template is not a ledger's serial template */
    epv_ledger_config cfg = EPV_LEDGER_CONFIG_INIT;
    cfg.serial_format = EPV_LEDGER_SERIAL_UNDP;
    epv_ledger *l = NULL;
    const char *p = tl_path("undp.db");
    EPV_ASSERT_STATUS(ctx, epv_ledger_open(ctx, p, EPV_LEDGER_CREATE, &cfg, &l), EPV_EINVAL);
    CU_ASSERT_PTR_NULL(l);
}

/* ---- CADT export ---- */

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    static char buf[65536];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = 0;
    return buf;
}

/* A small ledger: 100 t issued on forestry project P1 (20% buffer: serials 81..100), 30
 * sold, 10 retired, 5 cancelled, a 3 t loss reversed. */
static epv_ledger *small_ledger(const char *name)
{
    epv_ledger *l = NULL;
    EPV_ASSERT_OK(ctx, epv_ledger_open(ctx, tl_path(name), EPV_LEDGER_CREATE, NULL, &l));
    CU_ASSERT_PTR_NOT_NULL_FATAL(l);
    EPV_ASSERT_OK(ctx, tl_setup(l));
    epv_ledger_issuance is = EPV_LEDGER_ISSUANCE_INIT;
    EPV_ASSERT_OK(ctx, epv_ledger_issue(l, "i1", "R1", 100, &is));
    CU_ASSERT_EQUAL(is.buffer_units, 20);
    epv_ledger_units u = tl_count("P1", 30);
    EPV_ASSERT_OK(ctx, epv_ledger_transfer(l, "t1", "OWNER", "BUYER", &u));
    u = tl_count("P1", 10);
    EPV_ASSERT_OK(ctx, epv_ledger_retire(l, "r1", "BUYER", &u, "Bazhong \"Green\" Co., Ltd.", "2024 offset", tl_d(2024, 5, 1), NULL));
    u = tl_count("P1", 5);
    EPV_ASSERT_OK(ctx, epv_ledger_cancel(l, "c1", "OWNER", &u, "voluntary"));
    epv_i64 cancelled = 0, shortfall = 0;
    EPV_ASSERT_OK(ctx, epv_ledger_reverse(l, "x1", "P1", 3, tl_d(2024, 6, 1), &cancelled, &shortfall));
    CU_ASSERT_EQUAL(cancelled, 3);
    CU_ASSERT_EQUAL(shortfall, 0);
    return l;
}

#define PAT "^[0-9]+[-]([0-9]+)[-]([0-9]+)[-][A-Za-z0-9_.]+[-][A-Za-z0-9_.]+[-][0-9]+$"

/* Expected rows, derived by hand: entries 1 genesis, 2-3 accounts, 4 project, 5 period,
 * 6 verification, 7 issuance (serials 1..100, vintage 2021 = the period's end year; buffer
 * ceil(100 x 2000 / 10000) = 20 units, the tail 81..100), 8 transfer of 1..30 to BUYER,
 * 9 retirement of BUYER's lowest 10 (1..10), 10 cancellation of OWNER's lowest 5 (31..35),
 * 11 reversal of 3 t: P1's own buffer units, lowest first (81..83). Serial: the default
 * template {batch}-{start}-{end}-{programme}-{project}-{vintage}. */
static const char *const csv_expected =
    "projectId,issuanceId,unitOwner,countryJurisdictionOfOwner,serialNumberBlock,serialNumberPattern,"
    "unitBlockStart,unitBlockEnd,unitCount,vintageYear,unitType,unitStatus,unitStatusReason,"
    "retirementBeneficiary,unitRegistryLink,correspondingAdjustmentDeclaration,correspondingAdjustmentStatus\n"
    "P1,7,Buyer Ltd.,China,7-1-10-CCER-P1-2021," PAT ",1,10,10,2021,Removal - nature,Retired,2024 offset,"
    "\"Bazhong \"\"Green\"\" Co., Ltd.\",https://registry.example/u/7-1-10-CCER-P1-2021,Committed,Pending\n"
    "P1,7,Buyer Ltd.,China,7-11-30-CCER-P1-2021," PAT ",11,30,20,2021,Removal - nature,Held,,,"
    "https://registry.example/u/7-11-30-CCER-P1-2021,Committed,Pending\n"
    "P1,7,Pingchang Forestry Co.,China,7-31-35-CCER-P1-2021," PAT ",31,35,5,2021,Removal - nature,Cancelled,voluntary,,"
    "https://registry.example/u/7-31-35-CCER-P1-2021,Committed,Pending\n"
    "P1,7,Pingchang Forestry Co.,China,7-36-80-CCER-P1-2021," PAT ",36,80,45,2021,Removal - nature,Held,,,"
    "https://registry.example/u/7-36-80-CCER-P1-2021,Committed,Pending\n"
    "P1,7,programme buffer pool,China,7-81-83-CCER-P1-2021," PAT ",81,83,3,2021,Removal - nature,Cancelled,reversal,,"
    "https://registry.example/u/7-81-83-CCER-P1-2021,Committed,Pending\n"
    "P1,7,programme buffer pool,China,7-84-100-CCER-P1-2021," PAT ",84,100,17,2021,Removal - nature,Buffer,,,"
    "https://registry.example/u/7-84-100-CCER-P1-2021,Committed,Pending\n";

static int stop_at_end(double f, const char *m, void *p)
{
    (void)m;
    (void)p;
    return f >= 1.0;
}

static void test_cadt(void)
{
    epv_ledger *l = small_ledger("cadt.db");
    unsigned char before[32];
    EPV_ASSERT_OK(ctx, epv_ledger_state_digest(l, before));
    epv_ledger_cadt_options o = EPV_LEDGER_CADT_OPTIONS_INIT;
    o.country_jurisdiction = "China";
    o.registry_link = "https://registry.example/u/";
    o.ca_declaration = "Committed";
    o.ca_status = "Pending";
    char csv[1100], json[1100];
    snprintf(csv, sizeof csv, "%s", tl_path("units.csv"));
    snprintf(json, sizeof json, "%s", tl_path("units.json"));
    EPV_ASSERT_OK(ctx, epv_ledger_export_cadt_csv(l, &o, csv));
    char *got = slurp(csv);
    CU_ASSERT_PTR_NOT_NULL_FATAL(got);
    /* the BUFFER account's entity is "programme buffer pool" (created by the genesis entry) */
    const char *want = csv_expected;
    CU_ASSERT_STRING_EQUAL(got, want);
    if (strcmp(got, want)) fprintf(stderr, "\n--- got\n%s--- want\n%s", got, want);

    /* serialNumberPattern works as CADT uses it: group 1 = start, group 2 = end */
    regex_t re;
    CU_ASSERT_EQUAL_FATAL(regcomp(&re, PAT, REG_EXTENDED), 0);
    static const long long se[6][2] = { { 1, 10 }, { 11, 30 }, { 31, 35 }, { 36, 80 }, { 81, 83 }, { 84, 100 } };
    for (int k = 0; k < 6; k++) {
        char serial[64], a[32], b[32];
        regmatch_t m[3];
        snprintf(serial, sizeof serial, "7-%lld-%lld-CCER-P1-2021", se[k][0], se[k][1]);
        CU_ASSERT_EQUAL_FATAL(regexec(&re, serial, 3, m, 0), 0);
        snprintf(a, sizeof a, "%.*s", (int)(m[1].rm_eo - m[1].rm_so), serial + m[1].rm_so);
        snprintf(b, sizeof b, "%.*s", (int)(m[2].rm_eo - m[2].rm_so), serial + m[2].rm_so);
        CU_ASSERT_EQUAL(atoll(a), se[k][0]);
        CU_ASSERT_EQUAL(atoll(b), se[k][1]);
    }
    CU_ASSERT_NOT_EQUAL(regexec(&re, "7-1-10-CCER-P1-2021-x", 0, NULL, 0), 0);
    regfree(&re);

    /* JSON: the same fields, numbers as integers */
    EPV_ASSERT_OK(ctx, epv_ledger_export_cadt_json(l, &o, json));
    got = slurp(json);
    CU_ASSERT_PTR_NOT_NULL_FATAL(got);
    char first[2048];
    snprintf(first, sizeof first,
             "[\n {\"projectId\": \"P1\", \"issuanceId\": 7, \"unitOwner\": \"Buyer Ltd.\", "
             "\"countryJurisdictionOfOwner\": \"China\", \"serialNumberBlock\": \"7-1-10-CCER-P1-2021\", "
             "\"serialNumberPattern\": \"%s\", \"unitBlockStart\": 1, \"unitBlockEnd\": 10, \"unitCount\": 10, "
             "\"vintageYear\": 2021, \"unitType\": \"Removal - nature\", \"unitStatus\": \"Retired\", "
             "\"unitStatusReason\": \"2024 offset\", \"retirementBeneficiary\": \"Bazhong \\\"Green\\\" Co., Ltd.\", "
             "\"unitRegistryLink\": \"https://registry.example/u/7-1-10-CCER-P1-2021\", "
             "\"correspondingAdjustmentDeclaration\": \"Committed\", \"correspondingAdjustmentStatus\": \"Pending\"},\n",
             PAT);
    CU_ASSERT(!strncmp(got, first, strlen(first)));
    if (strncmp(got, first, strlen(first))) fprintf(stderr, "\n--- got\n%s--- want prefix\n%s", got, first);
    CU_ASSERT(strstr(got, "\"unitBlockStart\": 84, \"unitBlockEnd\": 100, \"unitCount\": 17, \"vintageYear\": 2021, "
                          "\"unitType\": \"Removal - nature\", \"unitStatus\": \"Buffer\", \"unitStatusReason\": \"\"") != NULL);
    CU_ASSERT(strstr(got, "\"unitStatus\": \"Cancelled\", \"unitStatusReason\": \"reversal\"") != NULL);
    size_t n = strlen(got);
    CU_ASSERT(n > 4 && !strcmp(got + n - 4, "}\n]\n"));
    int objects = 0;
    for (const char *p = got; (p = strstr(p, "\n {")); p++) objects++;
    CU_ASSERT_EQUAL(objects, 6);

    /* defaults, a project filter with no blocks */
    EPV_ASSERT_OK(ctx, epv_ledger_export_cadt_json(l, NULL, json));
    got = slurp(json);
    CU_ASSERT(strstr(got, "\"countryJurisdictionOfOwner\": \"Not Specified\"") != NULL);
    CU_ASSERT(strstr(got, "\"unitRegistryLink\": \"\", \"correspondingAdjustmentDeclaration\": \"Unknown\", "
                          "\"correspondingAdjustmentStatus\": \"Not Started\"") != NULL);
    o.project = "P2";
    EPV_ASSERT_OK(ctx, epv_ledger_export_cadt_json(l, &o, json));
    CU_ASSERT_STRING_EQUAL(slurp(json), "[]\n");
    EPV_ASSERT_OK(ctx, epv_ledger_export_cadt_csv(l, &o, csv));
    CU_ASSERT(strchr(slurp(csv), '\n') == strrchr(slurp(csv), '\n')); /* the header only */

    /* bad options and a cancelled export leave no file and change nothing */
    const char *nofile = tl_path("none.csv");
    o.project = NULL;
    o.ca_status = "Pending\n";
    EPV_ASSERT_STATUS(ctx, epv_ledger_export_cadt_csv(l, &o, nofile), EPV_EINVAL);
    EPV_ASSERT_ERRMSG_HAS(ctx, "ca_status");
    CU_ASSERT_EQUAL(access(nofile, F_OK), -1);
    o.ca_status = NULL;
    EPV_ASSERT_STATUS(ctx, epv_ledger_export_cadt_json(l, &o, nofile), EPV_EINVAL);
    o.ca_status = "Pending";
    o.version = 0;
    EPV_ASSERT_STATUS(ctx, epv_ledger_export_cadt_json(l, &o, nofile), EPV_EVERSION);
    o.version = EPV_LEDGER_CADT_OPTIONS_VERSION;
    EPV_ASSERT_STATUS(ctx, epv_ledger_export_cadt_csv(l, &o, NULL), EPV_EINVAL);
    EPV_ASSERT_STATUS(ctx, epv_ledger_export_cadt_csv(NULL, &o, nofile), EPV_EINVAL);
    epv_ctx_set_progress(ctx, stop_at_end, NULL);
    EPV_ASSERT_STATUS(ctx, epv_ledger_export_cadt_csv(l, &o, nofile), EPV_ECANCELLED);
    epv_ctx_set_progress(ctx, NULL, NULL);
    CU_ASSERT_EQUAL(access(nofile, F_OK), -1);
    CU_ASSERT(tl_digest_eq(l, before));
    EPV_ASSERT_OK(ctx, epv_ledger_verify(l));
    epv_ledger_close(l);
}

int main(void)
{
    if (epv_ctx_new(&ctx)) return 2;
    CU_TestInfo tests[] = {
        { "UNDP carbon registry serials", test_undp },
        { "Verra serials with block ranges", test_verra },
        { "CADT export, CSV and JSON, every field", test_cadt },
        CU_TEST_INFO_NULL,
    };
    int rc = epv_test_main("ledger_interop", tests);
    epv_ctx_free(ctx);
    tl_cleanup_dir();
    return rc;
}
