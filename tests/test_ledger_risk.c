/* SPDX-License-Identifier: GPL-3.0-or-later */
#define _GNU_SOURCE
/* Risk-scored buffer and reversal obligations (issue 11 item 9): natural risk scores of the
 * VCS AFOLU Non-Permanence Risk Tool, a project's buffer set by a risk assessment, a reversal
 * beyond the buffer recorded as an obligation and settled; full verification after each
 * operation, replay on reopen and through XML. */
#include <sqlite3.h>

#include "test_util.h"
#include "test_ledger_common.c"

static epv_ctx *ctx;

static int nat(int sig, int lik, int mit)
{
    int v = -1;
    EPV_ASSERT_OK(ctx, epv_ledger_npr_natural_factor(ctx, sig, lik, mit, &v));
    return v;
}

static void test_natural_table(void)
{
    /* VCS AFOLU Non-Permanence Risk Tool v4.2 (Verra, 12 October 2023), Table 10 "Historic
     * natural risk scores", as reproduced in the Greentryst VM0042 course, lesson "Natural
     * Risks, Climate Change & Final Buffer" (NPRT v4.2 sections 2.4-2.5): rows catastrophic,
     * devastating, major, minor, insignificant, not applicable; columns > once/10 yr,
     * 10-<25 yr, 25-<50 yr, 50-<100 yr, once per 100 yr or less. Scores x 100. */
    CU_ASSERT_EQUAL(nat(EPV_LEDGER_NPR_CATASTROPHIC, EPV_LEDGER_NPR_EVERY_10_25Y, 0), 3000);
    CU_ASSERT_EQUAL(nat(EPV_LEDGER_NPR_CATASTROPHIC, EPV_LEDGER_NPR_EVERY_25_50Y, 0), 2000);
    CU_ASSERT_EQUAL(nat(EPV_LEDGER_NPR_CATASTROPHIC, EPV_LEDGER_NPR_EVERY_100Y_OR_LESS, 0), 400);
    CU_ASSERT_EQUAL(nat(EPV_LEDGER_NPR_DEVASTATING, EPV_LEDGER_NPR_MORE_THAN_EVERY_10Y, 0), 3000);
    CU_ASSERT_EQUAL(nat(EPV_LEDGER_NPR_DEVASTATING, EPV_LEDGER_NPR_EVERY_50_100Y, 0), 400);
    CU_ASSERT_EQUAL(nat(EPV_LEDGER_NPR_MAJOR, EPV_LEDGER_NPR_MORE_THAN_EVERY_10Y, 0), 2000);
    CU_ASSERT_EQUAL(nat(EPV_LEDGER_NPR_MAJOR, EPV_LEDGER_NPR_EVERY_10_25Y, 0), 500);
    CU_ASSERT_EQUAL(nat(EPV_LEDGER_NPR_MAJOR, EPV_LEDGER_NPR_EVERY_100Y_OR_LESS, 0), 200);
    CU_ASSERT_EQUAL(nat(EPV_LEDGER_NPR_MINOR, EPV_LEDGER_NPR_MORE_THAN_EVERY_10Y, 0), 500);
    CU_ASSERT_EQUAL(nat(EPV_LEDGER_NPR_MINOR, EPV_LEDGER_NPR_EVERY_25_50Y, 0), 300);
    CU_ASSERT_EQUAL(nat(EPV_LEDGER_NPR_INSIGNIFICANT, EPV_LEDGER_NPR_MORE_THAN_EVERY_10Y, 0), 400);
    CU_ASSERT_EQUAL(nat(EPV_LEDGER_NPR_INSIGNIFICANT, EPV_LEDGER_NPR_EVERY_50_100Y, 0), 100);
    CU_ASSERT_EQUAL(nat(EPV_LEDGER_NPR_INSIGNIFICANT, EPV_LEDGER_NPR_EVERY_100Y_OR_LESS, 0), 100);
    for (int c = 0; c <= EPV_LEDGER_NPR_EVERY_100Y_OR_LESS; c++)
        CU_ASSERT_EQUAL(nat(EPV_LEDGER_NPR_NOT_APPLICABLE, c, 0), 0);
    /* Same lesson: sub-total = LS x M, M = 1 (no mitigation), 0.5 (one measure), 0.25 (both). */
    CU_ASSERT_EQUAL(nat(EPV_LEDGER_NPR_MAJOR, EPV_LEDGER_NPR_EVERY_10_25Y, EPV_LEDGER_NPR_MITIGATION_ONE), 250);
    CU_ASSERT_EQUAL(nat(EPV_LEDGER_NPR_MAJOR, EPV_LEDGER_NPR_EVERY_10_25Y, EPV_LEDGER_NPR_MITIGATION_BOTH), 125);
    CU_ASSERT_EQUAL(nat(EPV_LEDGER_NPR_DEVASTATING, EPV_LEDGER_NPR_EVERY_10_25Y, EPV_LEDGER_NPR_MITIGATION_BOTH), 500);
    /* "FAIL": a catastrophic loss more than once every 10 years */
    int v = 7;
    EPV_ASSERT_STATUS(ctx, epv_ledger_npr_natural_factor(ctx, EPV_LEDGER_NPR_CATASTROPHIC, EPV_LEDGER_NPR_MORE_THAN_EVERY_10Y, 0, &v), EPV_ERANGE);
    EPV_ASSERT_ERRMSG_HAS(ctx, "fails");
    CU_ASSERT_EQUAL(v, 7);
    EPV_ASSERT_STATUS(ctx, epv_ledger_npr_natural_factor(ctx, 6, 0, 0, &v), EPV_EINVAL);
    EPV_ASSERT_STATUS(ctx, epv_ledger_npr_natural_factor(ctx, 0, 5, 0, &v), EPV_EINVAL);
    EPV_ASSERT_STATUS(ctx, epv_ledger_npr_natural_factor(ctx, 0, 1, 3, &v), EPV_EINVAL);
    EPV_ASSERT_STATUS(ctx, epv_ledger_npr_natural_factor(ctx, 0, 1, 0, NULL), EPV_EINVAL);
}

/* Full verification and the conservation and obligation checks after every step. */
static void check(epv_ledger *l)
{
    EPV_ASSERT_OK(ctx, epv_ledger_verify(l));
    epv_ledger_totals t = EPV_LEDGER_TOTALS_INIT;
    EPV_ASSERT_OK(ctx, epv_ledger_totals_get(l, NULL, 0, &t));
    CU_ASSERT_EQUAL(t.issued, t.held + t.buffer + t.retired + t.cancelled);
}

static void test_risk_buffer(void)
{
    epv_ledger *l = NULL;
    char path[1100];
    snprintf(path, sizeof path, "%s", tl_path("risk.db"));
    EPV_ASSERT_OK(ctx, epv_ledger_open(ctx, path, EPV_LEDGER_CREATE, NULL, &l));
    CU_ASSERT_PTR_NOT_NULL_FATAL(l);
    EPV_ASSERT_OK(ctx, tl_setup(l));
    check(l);
    /* internal: 4 + 2 - 2 (a mitigation) = 4 points; external 2; natural: fire, a major loss
     * every 10-25 years with one mitigation measure (2.5), pests, a minor loss every 25-50
     * years (3) = 5.5; overall 11.5 points -> an 11.5 % buffer */
    int internal[3] = { 400, 200, -200 }, external[2] = { 200, 0 }, natural[2];
    natural[0] = nat(EPV_LEDGER_NPR_MAJOR, EPV_LEDGER_NPR_EVERY_10_25Y, EPV_LEDGER_NPR_MITIGATION_ONE);
    natural[1] = nat(EPV_LEDGER_NPR_MINOR, EPV_LEDGER_NPR_EVERY_25_50Y, EPV_LEDGER_NPR_MITIGATION_NONE);
    epv_ledger_risk r = EPV_LEDGER_RISK_INIT;
    r.internal_bp = internal;
    r.n_internal = 3;
    r.external_bp = external;
    r.n_external = 2;
    r.natural_bp = natural;
    r.n_natural = 2;
    r.date = tl_d(2022, 2, 1);
    int bp = 0;
    EPV_ASSERT_OK(ctx, epv_ledger_project_set_risk(l, "risk1", "P1", &r, &bp));
    CU_ASSERT_EQUAL(bp, 1150);
    check(l);
    /* a repeated request is a no-op returning the same result */
    bp = 0;
    EPV_ASSERT_OK(ctx, epv_ledger_project_set_risk(l, "risk1", "P1", &r, &bp));
    CU_ASSERT_EQUAL(bp, 1150);
    epv_ledger_issuance is = EPV_LEDGER_ISSUANCE_INIT;
    EPV_ASSERT_OK(ctx, epv_ledger_issue(l, "i1", "R1", 200, &is));
    /* ceil(200 x 1150 / 10000) = ceil(23.0) = 23 withheld, the tail 178..200 */
    CU_ASSERT_EQUAL(is.buffer_units, 23);
    CU_ASSERT_EQUAL(is.holder_units, 177);
    check(l);
    /* a low rating takes the minimum: internal -3 floored at 0, natural 1 -> 1 point < 10 */
    int low_internal[1] = { -300 }, low_natural[1] = { 100 };
    epv_ledger_risk r2 = EPV_LEDGER_RISK_INIT;
    r2.internal_bp = low_internal;
    r2.n_internal = 1;
    r2.natural_bp = low_natural;
    r2.n_natural = 1;
    r2.date = tl_d(2023, 2, 1);
    EPV_ASSERT_OK(ctx, epv_ledger_project_set_risk(l, "risk2", "P1", &r2, &bp));
    CU_ASSERT_EQUAL(bp, 1000);
    EPV_ASSERT_OK(ctx, epv_ledger_issue(l, "i2", "R1", 100, &is));
    CU_ASSERT_EQUAL(is.buffer_units, 10);
    check(l);
    /* refused, nothing changed */
    unsigned char before[32];
    EPV_ASSERT_OK(ctx, epv_ledger_state_digest(l, before));
    int fail_nat[2] = { 3000, 3000 }, fail_int[1] = { 500 };
    epv_ledger_risk r3 = r2;
    r3.natural_bp = fail_nat;
    r3.n_natural = 2;
    r3.internal_bp = fail_int;
    EPV_ASSERT_STATUS(ctx, epv_ledger_project_set_risk(l, "risk3", "P1", &r3, &bp), EPV_ERANGE);
    EPV_ASSERT_ERRMSG_HAS(ctx, "fails the risk tool");
    int neg_nat[1] = { -100 };
    r3.natural_bp = neg_nat;
    r3.n_natural = 1;
    EPV_ASSERT_STATUS(ctx, epv_ledger_project_set_risk(l, "risk3", "P1", &r3, &bp), EPV_ERANGE);
    EPV_ASSERT_ERRMSG_HAS(ctx, "natural_bp[0]");
    r3 = r2;
    r3.minimum_bp = 10001;
    EPV_ASSERT_STATUS(ctx, epv_ledger_project_set_risk(l, "risk3", "P1", &r3, &bp), EPV_ERANGE);
    EPV_ASSERT_ERRMSG_HAS(ctx, "minimum_bp");
    r3 = r2;
    r3.date = tl_d(2023, 2, 30);
    EPV_ASSERT_STATUS(ctx, epv_ledger_project_set_risk(l, "risk3", "P1", &r3, &bp), EPV_ERANGE);
    EPV_ASSERT_STATUS(ctx, epv_ledger_project_set_risk(l, "risk3", "NOPE", &r2, &bp), EPV_ENOTFOUND);
    epv_ledger_project p = EPV_LEDGER_PROJECT_INIT;
    p.id = "E1";
    p.name = "Energy efficiency";
    p.methodology = "CCER-03-001";
    p.owner_account = "OWNER";
    p.crediting_start = tl_d(2021, 1, 1);
    p.crediting_end = tl_d(2030, 12, 31);
    EPV_ASSERT_OK(ctx, epv_ledger_project_register(l, "pE1", &p));
    EPV_ASSERT_OK(ctx, epv_ledger_state_digest(l, before));
    EPV_ASSERT_STATUS(ctx, epv_ledger_project_set_risk(l, "risk3", "E1", &r2, &bp), EPV_ESTATE);
    EPV_ASSERT_ERRMSG_HAS(ctx, "not a forestry project");
    r3 = r2;
    r3.version = 0;
    EPV_ASSERT_STATUS(ctx, epv_ledger_project_set_risk(l, "risk3", "P1", &r3, &bp), EPV_EVERSION);
    EPV_ASSERT_STATUS(ctx, epv_ledger_project_set_risk(l, "risk3", "P1", NULL, &bp), EPV_EINVAL);
    CU_ASSERT(tl_digest_eq(l, before));
    check(l);

    /* ---- a loss larger than the buffer: 23 + 10 = 33 buffer units of P1, no other project */
    epv_i64 cancelled = 0, shortfall = 0, owed = -1, left = -1;
    EPV_ASSERT_OK(ctx, epv_ledger_obligation(l, "P1", &owed));
    CU_ASSERT_EQUAL(owed, 0);
    EPV_ASSERT_OK(ctx, epv_ledger_reverse(l, "x1", "P1", 50, tl_d(2024, 7, 1), &cancelled, &shortfall));
    CU_ASSERT_EQUAL(cancelled, 33);
    CU_ASSERT_EQUAL(shortfall, 17);
    EPV_ASSERT_OK(ctx, epv_ledger_obligation(l, "P1", &owed));
    CU_ASSERT_EQUAL(owed, 17);
    check(l);
    /* settle 10 with the owner's held units, then try to over-settle */
    epv_ledger_units u = tl_count("P1", 10);
    EPV_ASSERT_OK(ctx, epv_ledger_obligation_settle(l, "s1", "OWNER", "P1", &u, &left));
    CU_ASSERT_EQUAL(left, 7);
    check(l);
    EPV_ASSERT_OK(ctx, epv_ledger_state_digest(l, before));
    u = tl_count("P1", 8);
    EPV_ASSERT_STATUS(ctx, epv_ledger_obligation_settle(l, "s2", "OWNER", "P1", &u, &left), EPV_ERANGE);
    EPV_ASSERT_ERRMSG_HAS(ctx, "exceed the reversal obligation");
    CU_ASSERT(tl_digest_eq(l, before));
    u = tl_count("P1", 7);
    EPV_ASSERT_STATUS(ctx, epv_ledger_obligation_settle(l, "s2", "BUYER", "P1", &u, &left), EPV_EBALANCE);
    CU_ASSERT(tl_digest_eq(l, before));
    EPV_ASSERT_OK(ctx, epv_ledger_obligation_settle(l, "s2", "OWNER", "P1", &u, &left));
    CU_ASSERT_EQUAL(left, 0);
    EPV_ASSERT_OK(ctx, epv_ledger_obligation(l, "P1", &owed));
    CU_ASSERT_EQUAL(owed, 0);
    check(l);
    u = tl_count("P1", 1);
    EPV_ASSERT_STATUS(ctx, epv_ledger_obligation_settle(l, "s3", "OWNER", "P1", &u, &left), EPV_ESTATE);
    EPV_ASSERT_ERRMSG_HAS(ctx, "no reversal obligation");
    /* the settled units: cancelled, with the reason recorded in the journal */
    epv_ledger_totals t = EPV_LEDGER_TOTALS_INIT;
    EPV_ASSERT_OK(ctx, epv_ledger_totals_get(l, "P1", 0, &t));
    CU_ASSERT_EQUAL(t.issued, 300);
    CU_ASSERT_EQUAL(t.buffer, 0);
    CU_ASSERT_EQUAL(t.cancelled, 33 + 17);
    CU_ASSERT_EQUAL(t.held, 300 - 33 - 17);
    /* a second loss with an empty buffer: all of it owed */
    EPV_ASSERT_OK(ctx, epv_ledger_reverse(l, "x2", "P1", 5, tl_d(2024, 8, 1), &cancelled, &shortfall));
    CU_ASSERT_EQUAL(cancelled, 0);
    CU_ASSERT_EQUAL(shortfall, 5);
    EPV_ASSERT_OK(ctx, epv_ledger_obligation(l, "P1", &owed));
    CU_ASSERT_EQUAL(owed, 5);
    check(l);
    unsigned char digest[32];
    EPV_ASSERT_OK(ctx, epv_ledger_state_digest(l, digest));

    /* replay: a full reopen rebuilds the same state; XML export and import too */
    char xml[1100], copy[1100];
    snprintf(xml, sizeof xml, "%s", tl_path("risk.xml"));
    snprintf(copy, sizeof copy, "%s", tl_path("risk_copy.db"));
    EPV_ASSERT_OK(ctx, epv_ledger_export_xml(l, xml));
    epv_ledger_close(l);
    l = NULL;
    EPV_ASSERT_OK(ctx, epv_ledger_open(ctx, path, EPV_LEDGER_FULL_VERIFY, NULL, &l));
    CU_ASSERT_PTR_NOT_NULL_FATAL(l);
    CU_ASSERT(tl_digest_eq(l, digest));
    epv_ledger_close(l);
    epv_ledger *m = NULL;
    EPV_ASSERT_OK(ctx, epv_ledger_import_xml(ctx, xml, copy, &m));
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    CU_ASSERT(tl_digest_eq(m, digest));
    EPV_ASSERT_OK(ctx, epv_ledger_obligation(m, "P1", &owed));
    CU_ASSERT_EQUAL(owed, 5);
    epv_ledger_close(m);

    /* tampering with the obligation (derived) is caught by the replay; a negative one by the
     * invariant as well */
    TL_TABLES_ONLY(); /* (the live layout's tables are not its state) */
    CU_ASSERT_EQUAL(tl_sql(path, "UPDATE meta SET ival = 0 WHERE key = 'obligation:P1'"), 0);
    l = NULL;
    EPV_ASSERT_STATUS(ctx, epv_ledger_open(ctx, path, EPV_LEDGER_FULL_VERIFY, NULL, &l), EPV_ECORRUPT);
    CU_ASSERT_PTR_NULL(l);
}

int main(void)
{
    if (epv_ctx_new(&ctx)) return 2;
    CU_TestInfo tests[] = {
        { "natural risk scores (NPRT v4.2 Table 10)", test_natural_table },
        { "risk-scored buffer, reversal obligations", test_risk_buffer },
        CU_TEST_INFO_NULL,
    };
    int rc = epv_test_main("ledger_risk", tests);
    epv_ctx_free(ctx);
    tl_cleanup_dir();
    return rc;
}
