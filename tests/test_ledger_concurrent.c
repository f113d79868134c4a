/* SPDX-License-Identifier: GPL-3.0-or-later */
#define _GNU_SOURCE
/* Several processes on one ledger file (issue 11 item 1: consistent snapshots).
 *
 * NW writer processes each move one unit back and forth between their own two accounts (so
 * every transfer is valid and the pair always holds PAIR_UNITS units); one of them writes in
 * batches. NR reader processes meanwhile open the file with full verification, verify a
 * long-lived handle, and read head, totals and balances. Expected:
 *  - no false error: every open and every verification succeeds, every write succeeds
 *    (busy waits stay within the documented bound);
 *  - invariants after every step: each reader sees conservation, each pair's PAIR_UNITS
 *    units, and a head that never goes backwards;
 *  - no lost update: at the end the journal has exactly the setup entries plus one per
 *    acknowledged write, and each writer's request ids are all recorded (a repeat returns the
 *    original result without a new entry). */
#include <signal.h>
#include <sys/wait.h>
#include <time.h>

#include "test_util.h"
#include "test_ledger_common.c"


#define NW 3
#define NR 3
#define PAIR_UNITS 10

static epv_ctx *ctx;
static int nops;

static void acct_name(char *buf, size_t n, int w, int side)
{
    snprintf(buf, n, "W%d%c", w, side ? 'b' : 'a');
}

/* Exit status: 0 all acknowledged; 10 + k: operation k failed. */
static void writer(const char *path, int w)
{
    epv_ctx *c = NULL;
    epv_ledger *l = NULL;
    if (epv_ctx_new(&c)) _exit(3);
    if (epv_ledger_open(c, path, EPV_LEDGER_NO_REPLAY, NULL, &l)) {
        fprintf(stderr, "writer %d: open: %s\n", w, epv_ctx_errmsg(c));
        _exit(4);
    }
    char a[16], b[16], req[64];
    acct_name(a, sizeof a, w, 0);
    acct_name(b, sizeof b, w, 1);
    int batched = w == NW - 1;
    for (int k = 0; k < nops; k++) {
        snprintf(req, sizeof req, "w%d_%d", w, k);
        epv_ledger_units u = tl_count("P1", 1);
        int rc = 0;
        if (batched && k % 4 == 0) rc = epv_ledger_batch_begin(l);
        if (!rc) rc = epv_ledger_transfer(l, req, k % 2 ? b : a, k % 2 ? a : b, &u);
        if (!rc && batched && k % 4 == 3) rc = epv_ledger_batch_commit(l);
        if (rc) {
            fprintf(stderr, "writer %d op %d: %s\n", w, k, epv_ctx_errmsg(c));
            _exit(10 + (k > 200 ? 200 : k));
        }
        /* the writer's own view after each step (inside its batch: the batch's state) */
        epv_i64 x = 0, y = 0;
        if (epv_ledger_snapshot_begin(l) || epv_ledger_balance(l, a, "P1", 0, EPV_LEDGER_HELD, &x) ||
            epv_ledger_balance(l, b, "P1", 0, EPV_LEDGER_HELD, &y) || x + y != PAIR_UNITS || epv_ledger_snapshot_end(l)) {
            fprintf(stderr, "writer %d op %d: pair holds %lld\n", w, k, (long long)(x + y));
            _exit(5);
        }
    }
    if (batched && nops % 4 && epv_ledger_batch_commit(l)) _exit(6);
    epv_ledger_close(l);
    epv_ctx_free(c);
    _exit(0);
}

static int totals_ok(epv_ledger *l)
{
    epv_ledger_totals t = EPV_LEDGER_TOTALS_INIT;
    if (epv_ledger_totals_get(l, NULL, 0, &t)) return 0;
    return t.issued == t.held + t.buffer + t.retired + t.cancelled && t.issued == 950;
}

static int pairs_ok(epv_ledger *l)
{
    for (int w = 0; w < NW; w++) {
        char a[16], b[16];
        epv_i64 x, y;
        acct_name(a, sizeof a, w, 0);
        acct_name(b, sizeof b, w, 1);
        if (epv_ledger_balance(l, a, "P1", 0, EPV_LEDGER_HELD, &x) ||
            epv_ledger_balance(l, b, "P1", 0, EPV_LEDGER_HELD, &y) || x + y != PAIR_UNITS)
            return 0;
    }
    return 1;
}

/* Exit status: 0 no false error; 20 open; 21 verify; 22 invariants; 23 head went back. */
static void reader(const char *path, int r, volatile int *stop_flag_unused)
{
    (void)stop_flag_unused;
    epv_ctx *c = NULL;
    epv_ledger *h = NULL;
    if (epv_ctx_new(&c)) _exit(3);
    unsigned flags = r % 2 ? EPV_LEDGER_READONLY : 0;
    if (epv_ledger_open(c, path, flags, NULL, &h)) {
        fprintf(stderr, "reader %d: first open: %s\n", r, epv_ctx_errmsg(c));
        _exit(20);
    }
    epv_i64 last = 0;
    int rounds = 0;
    /* until the parent says the writers are done (SIGTERM handled by the default: exit) */
    for (;;) {
        epv_ledger *l = NULL;
        if (epv_ledger_open(c, path, flags, NULL, &l)) {
            fprintf(stderr, "reader %d round %d: open: %s\n", r, rounds, epv_ctx_errmsg(c));
            _exit(20);
        }
        epv_i64 n = 0;
        /* several queries, one state */
        if (epv_ledger_snapshot_begin(l)) _exit(25);
        if (epv_ledger_head(l, &n, NULL) || n < last) _exit(23);
        last = n;
        if (!totals_ok(l) || !pairs_ok(l)) {
            fprintf(stderr, "reader %d round %d: invariants\n", r, rounds);
            _exit(22);
        }
        epv_i64 n2 = 0;
        if (epv_ledger_head(l, &n2, NULL) || n2 != n) _exit(26);
        if (epv_ledger_snapshot_end(l)) _exit(25);
        epv_ledger_close(l);
        if (epv_ledger_verify(h)) {
            fprintf(stderr, "reader %d round %d: verify: %s\n", r, rounds, epv_ctx_errmsg(c));
            _exit(21);
        }
        epv_i64 chain = 0;
        if (epv_ledger_verify_chain(h, &chain) || chain < last) {
            fprintf(stderr, "reader %d round %d: verify_chain: %s\n", r, rounds, epv_ctx_errmsg(c));
            _exit(21);
        }
        rounds++;
        if (getppid() == 1) break;
        if (access(path, F_OK) != 0) break;
        {
            char stop[1100];
            snprintf(stop, sizeof stop, "%s.stop", path);
            if (access(stop, F_OK) == 0) break;
        }
    }
    epv_ledger_close(h);
    epv_ctx_free(c);
    fprintf(stderr, "reader %d: %d rounds\n", r, rounds);
    _exit(rounds > 0 ? 0 : 24);
}

static void test_concurrent(void)
{
    char path[1024], stop[1100];
    snprintf(path, sizeof path, "%s", tl_path("concurrent.db"));
    snprintf(stop, sizeof stop, "%s.stop", path);
    unlink(stop);
    nops = UNDER_VALGRIND() ? 8 : 120;
    int history = UNDER_VALGRIND() ? 100 : 2000;
    epv_ledger *l = NULL;
    EPV_ASSERT_OK(ctx, epv_ledger_open(ctx, path, EPV_LEDGER_CREATE, NULL, &l));
    CU_ASSERT_PTR_NOT_NULL_FATAL(l);
    EPV_ASSERT_OK(ctx, tl_setup(l));
    EPV_ASSERT_OK(ctx, epv_ledger_issue(l, "i1", "R1", 0, NULL)); /* 760 to OWNER, 190 buffer */
    for (int w = 0; w < NW; w++) {
        char a[16], b[16], req[32];
        acct_name(a, sizeof a, w, 0);
        acct_name(b, sizeof b, w, 1);
        snprintf(req, sizeof req, "oa%d", w);
        EPV_ASSERT_OK(ctx, epv_ledger_account_open(l, req, a, a));
        snprintf(req, sizeof req, "ob%d", w);
        EPV_ASSERT_OK(ctx, epv_ledger_account_open(l, req, b, b));
        epv_ledger_units u = tl_count("P1", PAIR_UNITS);
        snprintf(req, sizeof req, "t%d", w);
        EPV_ASSERT_OK(ctx, epv_ledger_transfer(l, req, "OWNER", a, &u));
    }
    /* some history first, so that every verification walks and replays a few thousand
     * entries while the writers commit (without one snapshot this tears: the issue's
     * "head says 143 entries, chain has 138") */
    EPV_ASSERT_OK(ctx, epv_ledger_batch_begin(l));
    for (int k = 0; k < history; k++) {
        char req[32];
        snprintf(req, sizeof req, "h%d", k);
        epv_ledger_units u = tl_count("P1", 1);
        EPV_ASSERT_OK(ctx, epv_ledger_transfer(l, req, k % 2 ? "BUYER" : "OWNER", k % 2 ? "OWNER" : "BUYER", &u));
    }
    EPV_ASSERT_OK(ctx, epv_ledger_batch_commit(l));
    epv_i64 base = 0;
    EPV_ASSERT_OK(ctx, epv_ledger_head(l, &base, NULL));
    epv_ledger_close(l);

    fflush(NULL);
    pid_t rp[NR], wp[NW];
    for (int r = 0; r < NR; r++) {
        rp[r] = fork();
        CU_ASSERT_FATAL(rp[r] >= 0);
        if (rp[r] == 0) reader(path, r, NULL);
    }
    for (int w = 0; w < NW; w++) {
        wp[w] = fork();
        CU_ASSERT_FATAL(wp[w] >= 0);
        if (wp[w] == 0) writer(path, w);
    }
    int writers_ok = 0;
    for (int w = 0; w < NW; w++) {
        int st = 0;
        waitpid(wp[w], &st, 0);
        if (WIFEXITED(st) && WEXITSTATUS(st) == 0) writers_ok++;
        else printf("\n  writer %d: status %d\n", w, WIFEXITED(st) ? WEXITSTATUS(st) : -WTERMSIG(st));
    }
    CU_ASSERT_EQUAL(writers_ok, NW);
    FILE *f = fopen(stop, "w");
    if (f) fclose(f);
    int readers_ok = 0;
    for (int r = 0; r < NR; r++) {
        int st = 0;
        waitpid(rp[r], &st, 0);
        if (WIFEXITED(st) && WEXITSTATUS(st) == 0) readers_ok++;
        else printf("\n  reader %d: status %d\n", r, WIFEXITED(st) ? WEXITSTATUS(st) : -WTERMSIG(st));
    }
    CU_ASSERT_EQUAL(readers_ok, NR);
    unlink(stop);

    /* no lost update: one entry per acknowledged write, and every request id is recorded */
    l = NULL;
    EPV_ASSERT_OK(ctx, epv_ledger_open(ctx, path, 0, NULL, &l));
    CU_ASSERT_PTR_NOT_NULL_FATAL(l);
    epv_i64 n = 0;
    EPV_ASSERT_OK(ctx, epv_ledger_head(l, &n, NULL));
    CU_ASSERT_EQUAL(n, base + (epv_i64)NW * nops);
    CU_ASSERT(totals_ok(l));
    CU_ASSERT(pairs_ok(l));
    for (int w = 0; w < NW; w++) {
        char a[16], b[16], req[64];
        acct_name(a, sizeof a, w, 0);
        acct_name(b, sizeof b, w, 1);
        for (int k = 0; k < nops; k++) {
            snprintf(req, sizeof req, "w%d_%d", w, k);
            epv_ledger_units u = tl_count("P1", 1);
            /* the same id with the same arguments: the original result, nothing new */
            EPV_ASSERT_OK(ctx, epv_ledger_transfer(l, req, k % 2 ? b : a, k % 2 ? a : b, &u));
        }
        /* an even number of moves leaves each pair as it began */
        epv_i64 x = 0;
        EPV_ASSERT_OK(ctx, epv_ledger_balance(l, a, "P1", 0, EPV_LEDGER_HELD, &x));
        CU_ASSERT_EQUAL(x, nops % 2 ? 0 : PAIR_UNITS);
    }
    epv_i64 n2 = 0;
    EPV_ASSERT_OK(ctx, epv_ledger_head(l, &n2, NULL));
    CU_ASSERT_EQUAL(n2, n);
    EPV_ASSERT_OK(ctx, epv_ledger_verify(l));
    epv_ledger_close(l);
    printf("\n  concurrent: %d writers x %d operations, %d verifying readers, %lld entries\n", NW,
           nops, NR, (long long)n);
}

/* A write from inside a query callback would break the query's snapshot: refused. */
static int write_in_callback(const epv_ledger_block *b, void *payload)
{
    (void)b;
    epv_ledger *l = payload;
    epv_ledger_units u = tl_count("P1", 1);
    return epv_ledger_transfer(l, "cb1", "OWNER", "BUYER", &u);
}

static void test_callback_write(void)
{
    epv_ledger *l = NULL;
    EPV_ASSERT_OK(ctx, epv_ledger_open(ctx, tl_path("cb.db"), EPV_LEDGER_CREATE, NULL, &l));
    CU_ASSERT_PTR_NOT_NULL_FATAL(l);
    EPV_ASSERT_OK(ctx, tl_setup(l));
    EPV_ASSERT_OK(ctx, epv_ledger_issue(l, "i1", "R1", 0, NULL));
    unsigned char before[32];
    EPV_ASSERT_OK(ctx, epv_ledger_state_digest(l, before));
    /* the write is refused (EPV_ESTATE), so the callback fails, which stops the query */
    CU_ASSERT_EQUAL(epv_ledger_blocks(l, "P1", "OWNER", write_in_callback, l), EPV_ECALLBACK);
    CU_ASSERT(strstr(epv_ctx_errmsg(ctx), "returned -11") != NULL);
    CU_ASSERT(tl_digest_eq(l, before));
    /* the snapshot was ended: writes work again */
    epv_ledger_units u = tl_count("P1", 1);
    EPV_ASSERT_OK(ctx, epv_ledger_transfer(l, "cb1", "OWNER", "BUYER", &u));
    epv_ledger_close(l);
}

int main(void)
{
    if (epv_ctx_new(&ctx)) return 2;
    CU_TestInfo tests[] = {
        { "writers, openers and verifiers at once", test_concurrent },
        { "no write inside a query callback", test_callback_write },
        CU_TEST_INFO_NULL,
    };
    int rc = epv_test_main("ledger_concurrent", tests);
    epv_ctx_free(ctx);
    tl_cleanup_dir();
    return rc;
}
