/* SPDX-License-Identifier: GPL-3.0-or-later */
#define _GNU_SOURCE
/* Verified checkpoints (issue 11 item 3): an open starts from the last checkpoint and checks
 * only the entries since; full verification (on demand, or EPV_LEDGER_FULL_VERIFY) replays
 * everything and checks every checkpoint against the replay. Each tamper case has its
 * expected verdict for the fast open and for the full verification. */
#include <sqlite3.h>

#include "test_util.h"
#include "test_ledger_common.c"

static epv_ctx *ctx;

static void transfers(epv_ledger *l, const char *prefix, int n)
{
    char req[32];
    for (int k = 0; k < n; k++) {
        snprintf(req, sizeof req, "%s%d", prefix, k);
        epv_ledger_units u = tl_count("P1", 1);
        EPV_ASSERT_OK(ctx, epv_ledger_transfer(l, req, k % 2 ? "BUYER" : "OWNER", k % 2 ? "OWNER" : "BUYER", &u));
    }
}

static char base[1024];

/* A ledger with a checkpoint at entry 26 (genesis, setup, issue, 20 transfers) and 10 more. */
static void make_base(void)
{
    snprintf(base, sizeof base, "%s", tl_path("base.db"));
    epv_ledger *l = NULL;
    EPV_ASSERT_OK(ctx, epv_ledger_open(ctx, base, EPV_LEDGER_CREATE, NULL, &l));
    CU_ASSERT_PTR_NOT_NULL_FATAL(l);
    EPV_ASSERT_OK(ctx, tl_setup(l));
    EPV_ASSERT_OK(ctx, epv_ledger_issue(l, "i1", "R1", 0, NULL));
    transfers(l, "x", 20);
    epv_i64 cp = 0, n = 0, last = 0;
    EPV_ASSERT_OK(ctx, epv_ledger_checkpoint_last(l, &last, NULL, NULL));
    CU_ASSERT_EQUAL(last, 0);
    EPV_ASSERT_OK(ctx, epv_ledger_checkpoint(l, &cp));
    EPV_ASSERT_OK(ctx, epv_ledger_head(l, &n, NULL));
    CU_ASSERT_EQUAL(cp, n);
    CU_ASSERT_EQUAL(cp, 27);
    unsigned char head[32], h2[32], st[32], st2[32];
    EPV_ASSERT_OK(ctx, epv_ledger_head(l, NULL, head));
    EPV_ASSERT_OK(ctx, epv_ledger_state_digest(l, st));
    EPV_ASSERT_OK(ctx, epv_ledger_checkpoint_last(l, &last, h2, st2));
    CU_ASSERT_EQUAL(last, cp);
    CU_ASSERT(!memcmp(head, h2, 32) && !memcmp(st, st2, 32));
    transfers(l, "y", 10);
    epv_ledger_close(l);
}

/* Copy the base, run SQL on the copy, open it (fast, then full), expect the verdicts. */
static void tamper(const char *sql, int fast_rc, const char *fast_msg, int full_rc, const char *full_msg)
{
    char copy[1100];
    snprintf(copy, sizeof copy, "%s.copy", base);
    CU_ASSERT_EQUAL_FATAL(tl_copy(base, copy), 0);
    CU_ASSERT_EQUAL(tl_sql(copy, sql), 0);
    epv_ledger *l = NULL;
    EPV_ASSERT_STATUS(ctx, epv_ledger_open(ctx, copy, 0, NULL, &l), fast_rc);
    if (fast_msg) EPV_ASSERT_ERRMSG_HAS(ctx, fast_msg);
    epv_ledger_close(l);
    l = NULL;
    EPV_ASSERT_STATUS(ctx, epv_ledger_open(ctx, copy, EPV_LEDGER_FULL_VERIFY, NULL, &l), full_rc);
    if (full_msg) EPV_ASSERT_ERRMSG_HAS(ctx, full_msg);
    epv_ledger_close(l);
    tl_remove(copy);
}

static const char *last_msg;
static int record(double f, const char *m, void *p)
{
    (void)f;
    (void)p;
    last_msg = m;
    return 0;
}

static void test_fast_open(void)
{
    make_base();
    epv_ledger *l = NULL;
    /* the fast open checks from the checkpoint; a full one replays everything */
    last_msg = NULL;
    epv_ctx_set_progress(ctx, record, NULL);
    EPV_ASSERT_OK(ctx, epv_ledger_open(ctx, base, 0, NULL, &l));
    CU_ASSERT(last_msg && strstr(last_msg, "since the last checkpoint"));
    epv_ledger_close(l);
    EPV_ASSERT_OK(ctx, epv_ledger_open(ctx, base, EPV_LEDGER_FULL_VERIFY, NULL, &l));
    CU_ASSERT(last_msg && !strcmp(last_msg, "verified"));
    epv_ctx_set_progress(ctx, NULL, NULL);
    /* state as before: checkpoint, then more entries, reopen, verify */
    EPV_ASSERT_OK(ctx, epv_ledger_verify(l));
    /* no checkpoint in a batch; read-only refuses it */
    EPV_ASSERT_OK(ctx, epv_ledger_batch_begin(l));
    EPV_ASSERT_STATUS(ctx, epv_ledger_checkpoint(l, NULL), EPV_ESTATE);
    EPV_ASSERT_OK(ctx, epv_ledger_batch_rollback(l));
    epv_ledger_close(l);
    EPV_ASSERT_OK(ctx, epv_ledger_open(ctx, base, EPV_LEDGER_READONLY, NULL, &l));
    EPV_ASSERT_STATUS(ctx, epv_ledger_checkpoint(l, NULL), EPV_EREADONLY);
    epv_ledger_close(l);
}

/* A live-layout file opens from its last checkpoint's snapshot of the state; a damaged
 * snapshot is refused by every open; without one the open replays the journal. */
static void test_live_snapshot(void)
{
    TL_FILE_ONLY(); /* (the damage is done with SQLite's SQL) */
    char path[1100], copy[1200];
    snprintf(path, sizeof path, "%s", tl_path("snap.db"));
    snprintf(copy, sizeof copy, "%s.copy", path);
    epv_ledger *l = NULL;
    EPV_ASSERT_OK(ctx, epv_ledger_open(ctx, path, EPV_LEDGER_CREATE | EPV_LEDGER_LIVE, NULL, &l));
    CU_ASSERT_PTR_NOT_NULL_FATAL(l);
    EPV_ASSERT_OK(ctx, tl_setup(l));
    EPV_ASSERT_OK(ctx, epv_ledger_issue(l, "i1", "R1", 0, NULL));
    transfers(l, "x", 20);
    EPV_ASSERT_OK(ctx, epv_ledger_checkpoint(l, NULL));
    transfers(l, "y", 10);
    unsigned char d[32], d2[32];
    EPV_ASSERT_OK(ctx, epv_ledger_state_digest(l, d));
    epv_ledger_close(l);
    l = NULL;
    last_msg = NULL;
    epv_ctx_set_progress(ctx, record, NULL);
    EPV_ASSERT_OK(ctx, epv_ledger_open(ctx, path, 0, NULL, &l));
    CU_ASSERT(last_msg && strstr(last_msg, "since the last checkpoint"));
    epv_ctx_set_progress(ctx, NULL, NULL);
    EPV_ASSERT_OK(ctx, epv_ledger_state_digest(l, d2));
    CU_ASSERT(!memcmp(d, d2, 32));
    EPV_ASSERT_OK(ctx, epv_ledger_verify(l)); /* the replay agrees with the loaded state */
    transfers(l, "z", 5);                     /* and it goes on from there */
    EPV_ASSERT_OK(ctx, epv_ledger_verify(l));
    epv_ledger_close(l);
    l = NULL;

    CU_ASSERT_EQUAL_FATAL(tl_copy(path, copy), 0);
    CU_ASSERT_EQUAL(tl_sql(copy, "UPDATE snapshot SET data = zeroblob(length(data)) WHERE part = 1"), 0);
    EPV_ASSERT_STATUS(ctx, epv_ledger_open(ctx, copy, 0, NULL, &l), EPV_ECORRUPT);
    EPV_ASSERT_ERRMSG_HAS(ctx, "snapshot of the state at entry 27 is damaged");
    EPV_ASSERT_STATUS(ctx, epv_ledger_open(ctx, copy, EPV_LEDGER_FULL_VERIFY, NULL, &l), EPV_ECORRUPT);
    EPV_ASSERT_ERRMSG_HAS(ctx, "damaged");
    CU_ASSERT_PTR_NULL(l);
    tl_remove(copy);

    CU_ASSERT_EQUAL_FATAL(tl_copy(path, copy), 0);
    CU_ASSERT_EQUAL(tl_sql(copy, "DELETE FROM snapshot"), 0);
    last_msg = NULL;
    epv_ctx_set_progress(ctx, record, NULL);
    EPV_ASSERT_OK(ctx, epv_ledger_open(ctx, copy, 0, NULL, &l));
    CU_ASSERT(last_msg && !strcmp(last_msg, "verified")); /* a whole replay */
    epv_ctx_set_progress(ctx, NULL, NULL);
    EPV_ASSERT_OK(ctx, epv_ledger_state_digest(l, d2));
    epv_ledger_close(l);
    tl_remove(copy);
}

static void test_tamper_verdicts(void)
{
    /* after the checkpoint: the fast open sees journal edits and truncation ... */
    tamper("DROP TRIGGER journal_no_update; UPDATE journal SET body = substr(body, 1, length(body) - 1) WHERE seq = 30",
           EPV_ECORRUPT, "hash mismatch", EPV_ECORRUPT, "hash mismatch");
    tamper("DROP TRIGGER journal_no_delete; DELETE FROM journal WHERE seq = 37", EPV_ECORRUPT, "truncated",
           EPV_ECORRUPT, "truncated");
    tamper("DROP TRIGGER journal_no_delete; DELETE FROM journal WHERE seq = 31", EPV_ECORRUPT, "missing",
           EPV_ECORRUPT, "missing");
    /* ... the checkpoint's own entry, and a truncation below it */
    tamper("DROP TRIGGER journal_no_update; UPDATE journal SET hash = zeroblob(32) WHERE seq = 27", EPV_ECORRUPT,
           "checkpoint", EPV_ECORRUPT, "hash mismatch");
    tamper("DROP TRIGGER journal_no_delete; DELETE FROM journal WHERE seq >= 20; UPDATE head SET seq = 19,"
           " hash = (SELECT hash FROM journal WHERE seq = 19)",
           EPV_ECORRUPT, "no such entry", EPV_ECORRUPT, "beyond the journal");
    /* derived rows and entries before the checkpoint: the fast open trusts the checkpoint;
     * the full verification finds them */
    if (tl_live()) /* the live layout's tables are not its state: an edit changes nothing */
        tamper("UPDATE totals SET issued = issued + 1", EPV_OK, NULL, EPV_OK, NULL);
    else
        tamper("UPDATE totals SET issued = issued + 1", EPV_OK, NULL, EPV_ECORRUPT, "replay");
    tamper("DROP TRIGGER journal_no_update; UPDATE journal SET body = substr(body, 1, length(body) - 1) WHERE seq = 5",
           EPV_OK, NULL, EPV_ECORRUPT, "hash mismatch");
    /* a forged checkpoint (state digest changed) */
    tamper("UPDATE checkpoints SET state = zeroblob(32)", EPV_OK, NULL, EPV_ECORRUPT, "checkpoint at entry 27");
    /* a checkpoint moved to another entry */
    tamper("UPDATE checkpoints SET seq = 28", EPV_ECORRUPT, "differs from its verified checkpoint", EPV_ECORRUPT,
           "checkpoint at entry 28");
}

/* With two checkpoints, the full verification recomputes the state at the last one and
 * checks the earlier one's place in the chain (its head). */
static void test_two_checkpoints(void)
{
    char two[1024];
    snprintf(two, sizeof two, "%.1000s.two", base);
    CU_ASSERT_EQUAL_FATAL(tl_copy(base, two), 0);
    epv_ledger *l = NULL;
    EPV_ASSERT_OK(ctx, epv_ledger_open(ctx, two, 0, NULL, &l));
    epv_i64 cp = 0;
    EPV_ASSERT_OK(ctx, epv_ledger_checkpoint(l, &cp));
    CU_ASSERT_EQUAL(cp, 37);
    epv_ledger_close(l);
    snprintf(base, sizeof base, "%s", two); /* tamper() works on a copy of `base` */
    /* the earlier checkpoint moved to a different head: caught by the full verification only
     * (the fast open starts from the last checkpoint) */
    tamper("UPDATE checkpoints SET head = (SELECT hash FROM journal WHERE seq = 26) WHERE seq = 27", EPV_OK, NULL,
           EPV_ECORRUPT, "checkpoint at entry 27 differs from a replay of the journal (head)");
    /* the last checkpoint's state is recomputed */
    tamper("UPDATE checkpoints SET state = zeroblob(32) WHERE seq = 37", EPV_OK, NULL, EPV_ECORRUPT,
           "checkpoint at entry 37");
    snprintf(base, sizeof base, "%s", tl_path("base.db"));
    tl_remove(two);
}

static int stop_half(double f, const char *m, void *p)
{
    (void)m;
    (void)p;
    return f >= 0.5;
}

static void test_checkpoint_cancel(void)
{
    char path[1024];
    snprintf(path, sizeof path, "%s", tl_path("cancel.db"));
    epv_ledger *l = NULL;
    EPV_ASSERT_OK(ctx, epv_ledger_open(ctx, path, EPV_LEDGER_CREATE, NULL, &l));
    EPV_ASSERT_OK(ctx, tl_setup(l));
    EPV_ASSERT_OK(ctx, epv_ledger_issue(l, "i1", "R1", 0, NULL));
    EPV_ASSERT_OK(ctx, epv_ledger_batch_begin(l));
    transfers(l, "c", 9000);
    EPV_ASSERT_OK(ctx, epv_ledger_batch_commit(l));
    epv_ctx_set_progress(ctx, stop_half, NULL);
    EPV_ASSERT_STATUS(ctx, epv_ledger_checkpoint(l, NULL), EPV_ECANCELLED);
    epv_ctx_set_progress(ctx, NULL, NULL);
    epv_i64 last = -1;
    EPV_ASSERT_OK(ctx, epv_ledger_checkpoint_last(l, &last, NULL, NULL));
    CU_ASSERT_EQUAL(last, 0);
    /* the handle goes on working */
    epv_ledger_units u = tl_count("P1", 1);
    EPV_ASSERT_OK(ctx, epv_ledger_transfer(l, "after", "OWNER", "BUYER", &u));
    EPV_ASSERT_OK(ctx, epv_ledger_checkpoint(l, &last));
    CU_ASSERT_EQUAL(last, 9008);
    epv_ledger_close(l);
}

int main(void)
{
    if (epv_ctx_new(&ctx)) return 2;
    CU_TestInfo tests[] = {
        { "open from the last checkpoint", test_fast_open },
        { "tamper verdicts, fast and full", test_tamper_verdicts },
        { "two checkpoints: the last one's state, every one's head", test_two_checkpoints },
        { "a cancelled checkpoint records nothing", test_checkpoint_cancel },
        { "live layout: open from the checkpoint's snapshot", test_live_snapshot },
        CU_TEST_INFO_NULL,
    };
    int rc = epv_test_main("ledger_checkpoint", tests);
    epv_ctx_free(ctx);
    tl_cleanup_dir();
    return rc;
}
