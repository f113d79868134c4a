/* SPDX-License-Identifier: GPL-3.0-or-later */
#define _GNU_SOURCE
/* The native replay of full verification (lib/ledger_replay.c) against the operations layer.
 *
 * Full verification rebuilds the derived tables in memory with its own code and requires the
 * state digest of that model to equal the digest of the tables the operations layer wrote. So
 * every verification compares two implementations of the rules; this test drives both through
 * long random sequences of every kind of operation (refused ones included) over several
 * projects, and verifies after every batch, with one thread and with the stored tables read
 * through a second connection in another thread. It also checks the parallel path's own cases:
 * a derived-row edit is still caught, a writer committing during the verification never causes
 * a false error, uncommitted entries of a batch are verified, a broken file structure is still
 * reported. */
#include <signal.h>
#include <sys/wait.h>

#include "test_util.h"
#include "test_ledger_common.c"
#include "ledger_verify_int.h"

static epv_ctx *ctx;
static uint64_t rng = 0x2545F4914F6CDD1Dull;

static uint64_t rnd(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}
static int64_t rint_(int64_t lo, int64_t hi) { return lo + (int64_t)(rnd() % (uint64_t)(hi - lo + 1)); }

#define NP 3
#define NA 6
static const char *const proj[NP] = { "PA", "PB", "PC" };
static const char *const acct_ids[NA] = { "A0", "A1", "A2", "A3", "A4", "A5" };

/* Verify with one thread, then with the second connection (threshold 0 so it is always used). */
static int verify_both(epv_ledger *l)
{
    int saved = epv__lg_side_min_entries;
    epv_ctx_set_threads(ctx, 1);
    int rc = epv_ledger_verify(l);
    if (rc) printf("\n  one thread: %s\n", epv_ctx_errmsg(ctx));
    epv_ctx_set_threads(ctx, 2);
    epv__lg_side_min_entries = 0;
    int rc2 = epv_ledger_verify(l);
    if (rc2) printf("\n  two threads: %s\n", epv_ctx_errmsg(ctx));
    epv__lg_side_min_entries = saved;
    epv_ctx_set_threads(ctx, 1);
    return rc ? rc : rc2;
}

static void setup(epv_ledger *l)
{
    char req[32], ent[32];
    for (int a = 0; a < NA; a++) {
        snprintf(req, sizeof req, "acct%d", a);
        snprintf(ent, sizeof ent, "Entity %d", a);
        EPV_ASSERT_OK(ctx, epv_ledger_account_open(l, req, acct_ids[a], ent));
    }
    for (int p = 0; p < NP; p++) {
        epv_ledger_project x = EPV_LEDGER_PROJECT_INIT;
        x.id = proj[p];
        x.name = "project";
        x.methodology = "CCER-14-001-V01";
        x.owner_account = acct_ids[p];
        x.crediting_start = tl_d(2021, 1, 1);
        x.crediting_end = tl_d(2060, 12, 31);
        x.forestry = p < 2; /* two forestry projects share the buffer pool */
        x.buffer_bp = p == 1 ? 1500 : -1;
        snprintf(req, sizeof req, "proj%d", p);
        EPV_ASSERT_OK(ctx, epv_ledger_project_register(l, req, &x));
        /* ten yearly periods, each verified */
        for (int y = 0; y < 10; y++) {
            snprintf(req, sizeof req, "per%d_%d", p, y);
            EPV_ASSERT_OK(ctx, epv_ledger_period_add(l, req, proj[p], tl_d(2021 + y, 1, 1), tl_d(2021 + y, 12, 31), NULL));
            char rep[32];
            snprintf(rep, sizeof rep, "R%d_%d", p, y);
            epv_ledger_verification v = { EPV_LEDGER_VERIFICATION_VERSION, proj[p], y + 1, rep, "Verifier",
                                          5000, (epv_i64)(y * 10), { 2022 + y, 3, 1 } };
            snprintf(req, sizeof req, "ver%d_%d", p, y);
            EPV_ASSERT_OK(ctx, epv_ledger_verification_add(l, req, &v));
        }
    }
}

/* Operations applied, by kind (the cases of step(); [15]: by explicit range). */
static int by_kind[16];

/* One random operation (many are refused: that is part of the comparison). */
static int step(epv_ledger *l, int k, int *applied)
{
    char req[32], rep[32];
    snprintf(req, sizeof req, "s%d", k);
    int p = (int)rint_(0, NP - 1), a = (int)rint_(0, NA - 1), b = (int)rint_(0, NA - 1);
    if (rint_(0, 1)) a = p; /* the owner, who holds most of the project's units */
    epv_ledger_units u = EPV_LEDGER_UNITS_INIT;
    u.project = proj[p];
    if (rint_(0, 3) == 0) { /* an explicit range somewhere in the issued serials */
        u.serial_start = rint_(1, 3000);
        u.serial_end = u.serial_start + rint_(0, 40);
    } else {
        u.count = rint_(1, 60);
    }
    if (rint_(0, 5) == 0) u.vintage = (int)rint_(2021, 2024);
    int rc, kind = (int)rint_(0, 14);
    switch (kind) {
    case 0:
    case 1:
        snprintf(rep, sizeof rep, "R%d_%d", p, (int)rint_(0, 9));
        rc = epv_ledger_issue(l, req, rep, rint_(0, 3) ? rint_(1, 400) : 0, NULL);
        break;
    case 2:
    case 3:
    case 4:
    case 5: rc = epv_ledger_transfer(l, req, acct_ids[a], acct_ids[b], &u); break;
    case 6:
    case 7: rc = epv_ledger_retire(l, req, acct_ids[a], &u, "Beneficiary", "offset", tl_d(2025, 1, 1), NULL); break;
    case 8: rc = epv_ledger_cancel(l, req, acct_ids[a], &u, "voluntary"); break;
    case 9: rc = epv_ledger_reverse(l, req, proj[p], rint_(1, 400), tl_d(2025, 6, 1), NULL, NULL); break;
    case 10:
        u.count = u.serial_start ? 0 : rint_(1, 8);
        rc = epv_ledger_obligation_settle(l, req, acct_ids[a], proj[(int)rint_(0, 1)], &u, NULL);
        break;
    case 11: {
        int in[2] = { (int)rint_(-200, 1500), (int)rint_(-300, 300) }, ex[1] = { (int)rint_(0, 1500) };
        int nat[1] = { (int)rint_(0, 2500) };
        epv_ledger_risk r = EPV_LEDGER_RISK_INIT;
        r.internal_bp = in;
        r.n_internal = 2;
        r.external_bp = ex;
        r.n_external = 1;
        r.natural_bp = nat;
        r.n_natural = 1;
        r.date = tl_d(2025, 1, 1);
        rc = epv_ledger_project_set_risk(l, req, proj[p], &r, NULL);
        break;
    }
    case 12: /* open, restricted, frozen; rarely closed (only an empty account closes) */
        rc = epv_ledger_account_set_status(l, req, acct_ids[a], rint_(0, 20) ? (rint_(0, 2) ? 0 : (int)rint_(1, 2)) : 3);
        break;
    case 13: rc = epv_ledger_project_set_status(l, req, proj[p], rint_(0, 6) ? 0 : 1); break;
    default: rc = epv_ledger_transfer(l, req, acct_ids[a], acct_ids[b], &u); break;
    }
    if (rc == EPV_OK) {
        (*applied)++;
        by_kind[kind]++;
        if (kind >= 2 && kind <= 8 && u.serial_start) by_kind[15]++;
    }
    return rc;
}

static void test_random_sequences(void)
{
    const char *path = tl_path("random.db");
    epv_ledger *l = NULL;
    EPV_ASSERT_OK(ctx, epv_ledger_open(ctx, path, EPV_LEDGER_CREATE, NULL, &l));
    CU_ASSERT_PTR_NOT_NULL_FATAL(l);
    setup(l);
    int steps = UNDER_VALGRIND() ? 150 : 2400, applied = 0, verified = 0;
    long verdicts0 = epv__lg_side_verdicts, redone0 = epv__lg_side_redone;
    for (int k = 0; k < steps; k++) {
        if (k % 40 == 0) EPV_ASSERT_OK(ctx, epv_ledger_batch_begin(l));
        step(l, k, &applied);
        if (k % 40 == 39 || k == steps - 1) {
            EPV_ASSERT_OK(ctx, epv_ledger_batch_commit(l));
            int rc = verify_both(l);
            CU_ASSERT_EQUAL(rc, EPV_OK);
            if (rc) break;
            verified++;
        }
    }
    printf("\n  %d random operations, %d applied, %d verifications with both implementations\n", steps, applied,
           verified);
    printf("  applied by kind (issue, transfer, retire, cancel, reverse, settle, risk, account, project, range):"
           " %d %d %d %d %d %d %d %d %d %d\n", by_kind[0] + by_kind[1],
           by_kind[2] + by_kind[3] + by_kind[4] + by_kind[5] + by_kind[14], by_kind[6] + by_kind[7], by_kind[8],
           by_kind[9], by_kind[10], by_kind[11], by_kind[12], by_kind[13], by_kind[15]);
    CU_ASSERT(applied > steps / 4);
    /* no other writer: every two-thread verification reached its verdict on both connections */
    /* (the live layout verifies on one connection: its state is in this handle's memory) */
    CU_ASSERT_EQUAL(epv__lg_side_verdicts - verdicts0, tl_live() ? 0 : verified);
    CU_ASSERT_EQUAL(epv__lg_side_redone - redone0, 0);
    /* every kind of operation was applied at least once, ranges included */
    if (!UNDER_VALGRIND())
        for (int k = 0; k < 16; k++)
            CU_ASSERT(by_kind[k] > 0 || k == 1 || k == 3 || k == 4 || k == 5 || k == 7 || k == 14);
    epv_i64 n = 0;
    EPV_ASSERT_OK(ctx, epv_ledger_head(l, &n, NULL));
    epv_ledger_close(l);
    /* a full open replays it all again */
    EPV_ASSERT_OK(ctx, epv_ledger_open(ctx, path, EPV_LEDGER_FULL_VERIFY, NULL, &l));
    epv_ledger_close(l);
}

/* The live layout (EPV_LEDGER_LIVE) against the derived tables: the same random operations on
 * a ledger of each layout. The live one checks every operation with the native model's rules,
 * the other with the operations layer's SQL; every outcome and every refusal's message must be
 * the same, and so must the state digests and the balances after every batch. */
static void test_live_equals_tables(void)
{
    TL_TABLES_ONLY(); /* (under EPV_TEST_LAYOUT=2 both would be live) */
    epv_ledger *a = NULL, *b = NULL;
    EPV_ASSERT_OK(ctx, epv_ledger_open(ctx, tl_path("tables.db"), EPV_LEDGER_CREATE, NULL, &a));
    char live[1100];
    snprintf(live, sizeof live, "%s", tl_path("live.db"));
    EPV_ASSERT_OK(ctx, epv_ledger_open(ctx, live, EPV_LEDGER_CREATE | EPV_LEDGER_LIVE, NULL, &b));
    CU_ASSERT_PTR_NOT_NULL_FATAL(a);
    CU_ASSERT_PTR_NOT_NULL_FATAL(b);
    setup(a);
    setup(b);
    int steps = UNDER_VALGRIND() ? 200 : 3000, applied_a = 0, applied_b = 0, differ = 0, refused = 0;
    char ma[EPV_ERRMSG_MAX];
    for (int k = 0; k < steps; k++) {
        if (k % 40 == 0) {
            EPV_ASSERT_OK(ctx, epv_ledger_batch_begin(a));
            EPV_ASSERT_OK(ctx, epv_ledger_batch_begin(b));
        }
        uint64_t r0 = rng;
        int ra = step(a, k, &applied_a);
        snprintf(ma, sizeof ma, "%s", ra ? epv_ctx_errmsg(ctx) : "");
        rng = r0; /* the same operation again */
        int rb = step(b, k, &applied_b);
        refused += ra != 0;
        if (ra != rb || (ra && strcmp(ma, epv_ctx_errmsg(ctx)))) {
            if (differ++ < 5)
                printf("\n  step %d: tables %d (%s), live %d (%s)", k, ra, ma, rb, rb ? epv_ctx_errmsg(ctx) : "");
        }
        if (k % 40 == 39 || k == steps - 1) {
            EPV_ASSERT_OK(ctx, epv_ledger_batch_commit(a));
            EPV_ASSERT_OK(ctx, epv_ledger_batch_commit(b));
            if (k == (steps / 80) * 40 + 39) { /* halfway: the live file reopened from its snapshot */
                EPV_ASSERT_OK(ctx, epv_ledger_checkpoint(b, NULL));
                epv_ledger_close(b);
                b = NULL;
                EPV_ASSERT_OK(ctx, epv_ledger_open(ctx, live, 0, NULL, &b));
                CU_ASSERT_PTR_NOT_NULL_FATAL(b);
            }
            unsigned char da[32], db[32];
            EPV_ASSERT_OK(ctx, epv_ledger_state_digest(a, da));
            EPV_ASSERT_OK(ctx, epv_ledger_state_digest(b, db));
            CU_ASSERT(!memcmp(da, db, 32));
            for (int x = 0; x < NA; x++)
                for (int p = 0; p < NP; p++) {
                    epv_i64 ua = -1, ub = -2;
                    EPV_ASSERT_OK(ctx, epv_ledger_balance(a, acct_ids[x], proj[p], 0, -1, &ua));
                    EPV_ASSERT_OK(ctx, epv_ledger_balance(b, acct_ids[x], proj[p], 0, -1, &ub));
                    CU_ASSERT_EQUAL(ua, ub);
                }
        }
    }
    printf("\n  %d random operations on both layouts: %d applied, %d refused, %d outcomes differ\n", steps,
           applied_a, refused, differ);
    CU_ASSERT_EQUAL(differ, 0);
    CU_ASSERT_EQUAL(applied_a, applied_b);
    CU_ASSERT(applied_a > steps / 4 && refused > steps / 10);
    /* and the live file opens (a full replay) to the same state */
    epv_ledger_close(b);
    b = NULL;
    EPV_ASSERT_OK(ctx, epv_ledger_open(ctx, live, 0, NULL, &b));
    unsigned char da[32], db[32];
    EPV_ASSERT_OK(ctx, epv_ledger_state_digest(a, da));
    EPV_ASSERT_OK(ctx, epv_ledger_state_digest(b, db));
    CU_ASSERT(!memcmp(da, db, 32));
    epv_ledger_close(a);
    epv_ledger_close(b);
}

/* The snapshot reader (epv__lrp_load) on damaged bytes: cut short, bytes changed, a length
 * made huge. Each must give a model or EPV_ECORRUPT, never read outside the bytes (the
 * sanitizers and valgrind runs of the suite watch that); an intact copy gives the same digest. */
static void test_snapshot_bytes(void)
{
    epv_ledger *l = NULL;
    EPV_ASSERT_OK(ctx, epv_ledger_open(ctx, tl_path("snapbytes.db"), EPV_LEDGER_CREATE | EPV_LEDGER_LIVE, NULL, &l));
    CU_ASSERT_PTR_NOT_NULL_FATAL(l);
    setup(l);
    int applied = 0;
    for (int k = 0; k < 300; k++) step(l, 100000 + k, &applied);
    unsigned char d[32], d2[32];
    EPV_ASSERT_OK(ctx, epv_ledger_state_digest(l, d));
    unsigned char *buf = NULL;
    size_t len = 0;
    EPV_ASSERT_OK(ctx, epv__lrp_save(l->live, &buf, &len));
    CU_ASSERT_PTR_NOT_NULL_FATAL(buf);
    struct epv__lrp *m = NULL;
    EPV_ASSERT_OK(ctx, epv__lrp_load(l, ctx, buf, len, &m));
    EPV_ASSERT_OK(ctx, epv__lrp_digest(m, d2));
    CU_ASSERT(!memcmp(d, d2, 32));
    epv__lrp_free(m);
    unsigned char *bad = malloc(len);
    CU_ASSERT_PTR_NOT_NULL_FATAL(bad);
    int trials = UNDER_VALGRIND() ? 60 : 3000, refused = 0;
    for (int t = 0; t < trials; t++) {
        memcpy(bad, buf, len);
        size_t n = len;
        switch (t % 3) {
        case 0: n = (size_t)rint_(0, (int64_t)len - 1); break;                 /* cut short */
        case 1: bad[rint_(0, (int64_t)len - 1)] ^= (unsigned char)rint_(1, 255); break; /* a byte changed */
        default: memset(bad + rint_(8, (int64_t)len - 9), 0xff, 4); break;    /* a length or index huge */
        }
        m = NULL;
        int rc = epv__lrp_load(l, ctx, bad, n, &m);
        CU_ASSERT(rc == EPV_OK || rc == EPV_ECORRUPT);
        refused += rc != EPV_OK;
        epv__lrp_free(m);
    }
    printf("\n  %zu snapshot bytes, %d damaged copies: %d refused, the rest read as some model\n", len, trials,
           refused);
    CU_ASSERT(refused > trials / 2);
    free(bad);
    epv__free(ctx, buf);
    epv_ledger_close(l);
}

/* The two-thread path still catches an edited derived row, and a broken file. */
static void test_parallel_tamper(void)
{
    TL_TABLES_ONLY();
    const char *path = tl_path("tamper.db");
    epv_ledger *l = NULL;
    EPV_ASSERT_OK(ctx, epv_ledger_open(ctx, path, EPV_LEDGER_CREATE, NULL, &l));
    CU_ASSERT_PTR_NOT_NULL_FATAL(l);
    setup(l);
    int applied = 0;
    for (int k = 0; k < 200; k++) step(l, k, &applied);
    epv_ledger_close(l);
    CU_ASSERT_EQUAL(tl_sql(path, "UPDATE totals SET issued = issued + 1"), 0);
    epv_ctx_set_threads(ctx, 2);
    epv__lg_side_min_entries = 0;
    CU_ASSERT_EQUAL(epv_ledger_open(ctx, path, EPV_LEDGER_FULL_VERIFY, NULL, &l), EPV_ECORRUPT);
    EPV_ASSERT_ERRMSG_HAS(ctx, "replay");
    CU_ASSERT_PTR_NULL(l);
    epv_ctx_set_threads(ctx, 1);
    epv__lg_side_min_entries = 20000;
}

/* Entries of an open batch are not visible to a second connection: the verification must
 * notice (different head) and read the stored tables on its own connection. */
static void test_parallel_in_batch(void)
{
    TL_TABLES_ONLY();
    const char *path = tl_path("batch.db");
    epv_ledger *l = NULL;
    EPV_ASSERT_OK(ctx, epv_ledger_open(ctx, path, EPV_LEDGER_CREATE, NULL, &l));
    CU_ASSERT_PTR_NOT_NULL_FATAL(l);
    setup(l);
    EPV_ASSERT_OK(ctx, epv_ledger_batch_begin(l));
    int applied = 0;
    for (int k = 0; k < 100; k++) step(l, k, &applied);
    long verdicts0 = epv__lg_side_verdicts, redone0 = epv__lg_side_redone;
    CU_ASSERT_EQUAL(verify_both(l), EPV_OK);
    CU_ASSERT_EQUAL(epv__lg_side_redone - redone0, 1); /* done again on the batch's connection */
    EPV_ASSERT_OK(ctx, epv_ledger_batch_commit(l));
    CU_ASSERT_EQUAL(verify_both(l), EPV_OK);
    CU_ASSERT_EQUAL(epv__lg_side_verdicts - verdicts0, 1); /* committed: both connections agree */
    epv_ledger_close(l);
}

/* A writer commits while another process verifies with two threads: never a false error. */
static void test_parallel_with_writer(void)
{
    TL_TABLES_ONLY();
    const char *path = tl_path("busy.db");
    epv_ledger *l = NULL;
    EPV_ASSERT_OK(ctx, epv_ledger_open(ctx, path, EPV_LEDGER_CREATE, NULL, &l));
    CU_ASSERT_PTR_NOT_NULL_FATAL(l);
    setup(l);
    EPV_ASSERT_OK(ctx, epv_ledger_issue(l, "big", "R0_0", 4000, NULL));
    epv_ledger_close(l);
    pid_t pid = fork();
    if (pid == 0) {
        epv_ctx *c = NULL;
        epv_ledger *w = NULL;
        if (epv_ctx_new(&c) || epv_ledger_open(c, path, EPV_LEDGER_NO_REPLAY, NULL, &w)) _exit(3);
        char req[32];
        for (int k = 0; k < 100000; k++) {
            snprintf(req, sizeof req, "w%d", k);
            epv_ledger_units u = tl_count("PA", 1);
            epv_ledger_transfer(w, req, k % 2 ? "A1" : "A0", k % 2 ? "A0" : "A1", &u);
        }
        _exit(0);
    }
    CU_ASSERT_FATAL(pid > 0);
    EPV_ASSERT_OK(ctx, epv_ledger_open(ctx, path, EPV_LEDGER_NO_REPLAY, NULL, &l));
    /* wait until the writer is writing (at most 60 s) */
    epv_i64 n0 = 0, n = 0;
    EPV_ASSERT_OK(ctx, epv_ledger_head(l, &n0, NULL));
    for (int k = 0; k < 6000 && n <= n0 + 10; k++) {
        usleep(10000);
        EPV_ASSERT_OK(ctx, epv_ledger_head(l, &n, NULL));
    }
    CU_ASSERT(n > n0 + 10);
    epv_ctx_set_threads(ctx, 2);
    epv__lg_side_min_entries = 0;
    int runs = UNDER_VALGRIND() ? 3 : 25, good = 0;
    long verdicts0 = epv__lg_side_verdicts, redone0 = epv__lg_side_redone;
    for (int k = 0; k < runs; k++) {
        int rc = epv_ledger_verify(l);
        if (rc) printf("\n  verification %d: %s\n", k, epv_ctx_errmsg(ctx));
        good += rc == EPV_OK;
    }
    CU_ASSERT_EQUAL(good, runs);
    epv_ctx_set_threads(ctx, 1);
    epv__lg_side_min_entries = 20000;
    epv_i64 n1 = 0;
    EPV_ASSERT_OK(ctx, epv_ledger_head(l, &n1, NULL));
    printf("\n  %d verifications while the writer went from entry %lld to %lld (%ld on two connections, %ld done"
           " again on one)\n", runs, (long long)n, (long long)n1, epv__lg_side_verdicts - verdicts0,
           epv__lg_side_redone - redone0);
    CU_ASSERT_EQUAL(epv__lg_side_verdicts - verdicts0 + epv__lg_side_redone - redone0, runs);
    if (!UNDER_VALGRIND()) CU_ASSERT(n1 > n); /* the writer was writing meanwhile */
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
    EPV_ASSERT_OK(ctx, epv_ledger_verify(l));
    epv_ledger_close(l);
}

/* Full verification does not encode each body again: it relies on the decoder accepting only
 * canonical bodies (the exact bytes epv__lg_encode() writes for what was decoded). Mutations of
 * valid bodies (a byte changed, bytes cut or appended, a length field moved) either fail to
 * decode or decode to an operation that encodes back to the very same bytes. */
static void test_decoder_strict(void)
{
    static const char *const texts[] = { "", "a", "OWNER", "项目-7", "P1", "beneficiary with spaces" };
    unsigned char mut[512];
    long decoded = 0, refused = 0;
    for (int round = 0; round < 400; round++) {
        struct epv__lop op;
        memset(&op, 0, sizeof op);
        op.kind = 1 + (int)(rnd() % EPV__L_KIND_MAX);
        op.req = texts[rnd() % 6];
        for (int k = 0; k < EPV__L_NS; k++) op.s[k] = texts[rnd() % 6];
        for (int k = 0; k < EPV__L_NI; k++) op.i[k] = (int64_t)rnd() >> (rnd() % 64);
        unsigned char *body = NULL;
        size_t len = 0;
        CU_ASSERT_EQUAL_FATAL(epv__lg_encode(ctx, &op, &body, &len), EPV_OK);
        CU_ASSERT_FATAL(len + 8 <= sizeof mut);
        for (int m = 0; m < 40; m++) {
            size_t n = len;
            memcpy(mut, body, len);
            switch (m % 4) {
            case 0: mut[rnd() % len] ^= (unsigned char)(1u << (rnd() % 8)); break;
            case 1: n = len - 1 - rnd() % 8; break;
            case 2: n = len + 1 + rnd() % 7; memset(mut + len, (int)(rnd() % 3), n - len); break;
            default: { /* move a string length's lowest byte by one: the rest no longer lines up */
                size_t at = 2 + 4 * (rnd() % 2) + 3;
                mut[at] = (unsigned char)(mut[at] + (rnd() % 2 ? 1 : 255));
            }
            }
            struct epv__lop back;
            char *arena = NULL;
            if (epv__lg_decode(ctx, mut, n, &back, &arena) != EPV_OK) {
                refused++;
                continue;
            }
            decoded++;
            unsigned char *again = NULL;
            size_t alen = 0;
            CU_ASSERT_EQUAL_FATAL(epv__lg_encode(ctx, &back, &again, &alen), EPV_OK);
            CU_ASSERT_EQUAL(alen, n);
            CU_ASSERT(alen == n && memcmp(again, mut, n) == 0);
            epv__free(ctx, again);
            epv__free(ctx, arena);
        }
        epv__free(ctx, body);
    }
    /* both outcomes occurred (flipped integer bytes decode; cut or padded bodies do not) */
    CU_ASSERT(decoded > 1000);
    CU_ASSERT(refused > 1000);
}

int main(void)
{
    if (epv_ctx_new(&ctx)) return 2;
    CU_TestInfo tests[] = {
        { "random sequences: native replay equals the operations layer", test_random_sequences },
        { "live layout: the same outcomes, messages and state as the tables", test_live_equals_tables },
        { "live layout: damaged snapshot bytes", test_snapshot_bytes },
        { "two threads: an edited derived row is caught", test_parallel_tamper },
        { "two threads: uncommitted entries of a batch", test_parallel_in_batch },
        { "two threads: a writer commits meanwhile", test_parallel_with_writer },
        { "the decoder accepts canonical bodies only", test_decoder_strict },
        CU_TEST_INFO_NULL,
    };
    int rc = epv_test_main("ledger_replay", tests);
    epv_ctx_free(ctx);
    tl_cleanup_dir();
    return rc;
}
