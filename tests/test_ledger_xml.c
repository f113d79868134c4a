/* SPDX-License-Identifier: GPL-3.0-or-later */
#define _GNU_SOURCE
/* XML export and import of a whole ledger: round trip to an identical state and head; edited,
 * truncated, malformed or non-integer input refused with the file, line and attribute named,
 * and no ledger file left behind. tests/data/ledger/small.xml is a committed export: importing
 * it must keep working (the canonical encoding and hash chain are a stable format). */
#include "test_util.h"
#include "test_ledger_common.c"

static epv_ctx *ctx;

static void build(epv_ledger *l)
{
    EPV_ASSERT_OK(ctx, tl_setup(l));
    EPV_ASSERT_OK(ctx, epv_ledger_issue(l, "i1", "R1", 0, NULL));
    epv_ledger_units u = tl_count("P1", 100);
    EPV_ASSERT_OK(ctx, epv_ledger_transfer(l, "t1", "OWNER", "BUYER", &u));
    u = tl_range("P1", 11, 40);
    EPV_ASSERT_OK(ctx, epv_ledger_retire(l, "r1", "BUYER", &u, "Bazhong \"Green\" Hotel & Spa", "2024 <offset>",
                                         tl_d(2024, 6, 30), NULL));
    u = tl_count("P1", 5);
    EPV_ASSERT_OK(ctx, epv_ledger_cancel(l, "c1", "BUYER", &u, "voluntary"));
    EPV_ASSERT_OK(ctx, epv_ledger_reverse(l, "x1", "P1", 25, tl_d(2024, 8, 1), NULL, NULL));
    EPV_ASSERT_OK(ctx, epv_ledger_account_set_status(l, "f1", "BUYER", EPV_LEDGER_ACCOUNT_FROZEN));
    EPV_ASSERT_OK(ctx, epv_ledger_project_set_status(l, "s1", "P1", EPV_LEDGER_PROJECT_SUSPENDED));
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *b = malloc((size_t)n + 1);
    if (b && fread(b, 1, (size_t)n, f) != (size_t)n) {
        free(b);
        b = NULL;
    }
    fclose(f);
    if (b) b[n] = 0;
    *len = (size_t)n;
    return b;
}

/* Replace the first occurrence of `from` by `to` in a copy of s. */
static char *subst(const char *s, const char *from, const char *to)
{
    const char *p = strstr(s, from);
    if (!p) return NULL;
    size_t n = strlen(s) - strlen(from) + strlen(to);
    char *r = malloc(n + 1);
    memcpy(r, s, (size_t)(p - s));
    strcpy(r + (p - s), to);
    strcat(r, p + strlen(from));
    return r;
}

static void test_roundtrip(void)
{
    char src[1024], xml[1024], dst[1024];
    snprintf(src, sizeof src, "%s", tl_path("src.db"));
    snprintf(xml, sizeof xml, "%s", tl_path("export.xml"));
    snprintf(dst, sizeof dst, "%s", tl_path("dst.db"));
    epv_ledger *a = NULL, *b = NULL;
    EPV_ASSERT_OK(ctx, epv_ledger_open(ctx, src, EPV_LEDGER_CREATE, NULL, &a));
    CU_ASSERT_PTR_NOT_NULL_FATAL(a);
    build(a);
    EPV_ASSERT_OK(ctx, epv_ledger_export_xml(a, xml));
    EPV_ASSERT_OK(ctx, epv_xml_validate_file(ctx, xml, "schema/ledger.xsd"));
    EPV_ASSERT_OK(ctx, epv_ledger_import_xml(ctx, xml, dst, &b));
    CU_ASSERT_PTR_NOT_NULL_FATAL(b);
    unsigned char da[32], db[32], ha[32], hb[32];
    epv_i64 na, nb;
    EPV_ASSERT_OK(ctx, epv_ledger_state_digest(a, da));
    EPV_ASSERT_OK(ctx, epv_ledger_state_digest(b, db));
    CU_ASSERT_EQUAL(memcmp(da, db, 32), 0);
    EPV_ASSERT_OK(ctx, epv_ledger_head(a, &na, ha));
    EPV_ASSERT_OK(ctx, epv_ledger_head(b, &nb, hb));
    CU_ASSERT_EQUAL(na, nb);
    CU_ASSERT_EQUAL(memcmp(ha, hb, 32), 0);
    EPV_ASSERT_OK(ctx, epv_ledger_verify(b));
    epv_ledger_close(b);
    /* the imported file reopens with full verification */
    EPV_ASSERT_OK(ctx, epv_ledger_open(ctx, dst, 0, NULL, &b));
    epv_ledger_close(b);
    /* never over an existing file */
    EPV_ASSERT_STATUS(ctx, epv_ledger_import_xml(ctx, xml, dst, &b), EPV_EEXISTS);
    EPV_ASSERT_ERRMSG_HAS(ctx, "exists");
    epv_ledger_close(a);
}

static void test_bad_imports(void)
{
    char xml[1024];
    snprintf(xml, sizeof xml, "%s", tl_path("good.xml"));
    epv_ledger *a = NULL, *b = NULL;
    EPV_ASSERT_OK(ctx, epv_ledger_open(ctx, tl_path("good.db"), EPV_LEDGER_CREATE, NULL, &a));
    CU_ASSERT_PTR_NOT_NULL_FATAL(a);
    build(a);
    EPV_ASSERT_OK(ctx, epv_ledger_export_xml(a, xml));
    epv_ledger_close(a);
    size_t len = 0;
    char *good = slurp(xml, &len);
    CU_ASSERT_PTR_NOT_NULL_FATAL(good);
    static const struct {
        const char *from, *to;
        int code;
        const char *msg;
    } cases[] = {
        { "quantity_tco2e=\"0\"", "quantity_tco2e=\"1\"", EPV_ECORRUPT, "hash" },          /* edited amount */
        { "quantity_tco2e=\"0\"", "quantity_tco2e=\"1.5\"", EPV_ESCHEMA, "quantity_tco2e" }, /* non-integer */
        { "quantity_tco2e=\"0\"", "quantity_tco2e=\"NaN\"", EPV_ESCHEMA, "quantity_tco2e" },
        { "loss_tco2e=\"25\"", "loss_tco2e=\"-25\"", EPV_ERANGE, "loss_tco2e" },            /* replay refuses */
        { "count=\"100\"", "count=\"100\" reason=\"x\"", EPV_EPARSE, "not used" },
        { "kind=\"issue\"", "kind=\"mint\"", EPV_ESCHEMA, "kind" },
        { "seq=\"3\"", "seq=\"4\"", EPV_ECORRUPT, "seq" },
        { "<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
          "<?xml version=\"1.0\"?><!DOCTYPE ledger [<!ENTITY x \"y\">]>", EPV_EPARSE, "" },
        { "</ledger>", "", EPV_EPARSE, "" },                                                 /* not well-formed */
        { "start=\"2021-01-01\"", "start=\"2021-02-30\"", EPV_EPARSE, "start" },
        { "account=\"OWNER\"", "account=\"OWN ER\"", EPV_ESCHEMA, "account" },
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        char *bad = subst(good, cases[k].from, cases[k].to);
        CU_ASSERT_PTR_NOT_NULL_FATAL(bad);
        const char *dst = tl_path("bad.db");
        EPV_ASSERT_STATUS(ctx, epv_ledger_import_xml_memory(ctx, bad, strlen(bad), "bad.xml", dst, &b),
                          cases[k].code);
        EPV_ASSERT_ERRMSG_HAS(ctx, cases[k].msg);
        EPV_ASSERT_ERRMSG_HAS(ctx, "bad.xml");
        CU_ASSERT_PTR_NULL(b);
        CU_ASSERT_NOT_EQUAL(access(dst, F_OK), 0); /* nothing left behind */
        free(bad);
    }
    /* truncated: the last entry removed */
    char *last = strstr(good, "  <entry seq=\"13\"");
    CU_ASSERT_PTR_NOT_NULL_FATAL(last);
    char *trunc = malloc(len + 20);
    memcpy(trunc, good, (size_t)(last - good));
    strcpy(trunc + (last - good), "</ledger>\n");
    EPV_ASSERT_STATUS(ctx, epv_ledger_import_xml_memory(ctx, trunc, strlen(trunc), "bad.xml", tl_path("t.db"), &b),
                      EPV_ECORRUPT);
    EPV_ASSERT_ERRMSG_HAS(ctx, "truncated");
    free(trunc);
    free(good);
}

static void test_committed_export(void)
{
    epv_ledger *b = NULL;
    EPV_ASSERT_OK(ctx, epv_ledger_import_xml(ctx, epv_test_path("tests/data/ledger/small.xml"), tl_path("c.db"), &b));
    if (!b) return;
    epv_ledger_totals t = EPV_LEDGER_TOTALS_INIT;
    EPV_ASSERT_OK(ctx, epv_ledger_totals_get(b, "P1", 2021, &t));
    /* the export's story: 950 issued, 190 to the buffer, 30 retired, 5 cancelled, 25 lost */
    CU_ASSERT_EQUAL(t.issued, 950);
    CU_ASSERT_EQUAL(t.retired, 30);
    CU_ASSERT_EQUAL(t.cancelled, 30);
    CU_ASSERT_EQUAL(t.buffer, 165);
    CU_ASSERT_EQUAL(t.held, 725);
    epv_ledger_close(b);
}

int main(void)
{
    if (epv_ctx_new(&ctx)) return 2;
    CU_TestInfo tests[] = {
        { "export and import round trip", test_roundtrip },
        { "bad imports are refused", test_bad_imports },
        { "committed export still imports", test_committed_export },
        CU_TEST_INFO_NULL,
    };
    int rc = epv_test_main("ledger_xml", tests);
    epv_ctx_free(ctx);
    tl_cleanup_dir();
    return rc;
}
