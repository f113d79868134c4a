/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The ledger benchmarks' shared workload (bench_ledger.c on SQLite, bench_ledger_pg.c on
 * PostgreSQL), so both measure exactly the same operations: the accounts and the project, and
 * the mix of every 10 operations: one issuance of 100 t (80 to the owner, 20 to the buffer),
 * six transfers of 1..5 units (owner -> buyer, splitting the owner's lowest block, or buyer ->
 * buyer), three retirements of 1..3 units. Balances are tracked here so every operation is
 * valid. Included by one program each (static functions). */
#ifndef BENCH_LEDGER_MIX_H
#define BENCH_LEDGER_MIX_H

#include <epv.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define MIX_NB 16 /* buyer accounts */

static double mix_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static uint64_t mix_rs = 88172645463325252ull;
static uint64_t mix_rnd(void)
{
    mix_rs ^= mix_rs << 13;
    mix_rs ^= mix_rs >> 7;
    mix_rs ^= mix_rs << 17;
    return mix_rs;
}

/* Fill n bytes (a multiple of 8) with pseudo-random bytes: the plain-insert references'
 * journal bodies and hashes. */
static void mix_fill(unsigned char *p, size_t n)
{
    for (size_t j = 0; j + 8 <= n; j += 8) {
        uint64_t v = mix_rnd();
        memcpy(p + j, &v, 8);
    }
}

static int mix_die(epv_ctx *ctx, const char *what)
{
    fprintf(stderr, "bench: %s: %s\n", what, epv_ctx_errmsg(ctx));
    return 1;
}

/* Accounts OWNER and B0..B(n-1), forestry project P1 with one verified period (R1). */
static int mix_setup(epv_ctx *ctx, epv_ledger *l, int buyers)
{
    char req[64], acct[32], ent[64];
    if (epv_ledger_account_open(l, "owner", "OWNER", "Owner")) return mix_die(ctx, "account");
    for (int b = 0; b < buyers; b++) {
        snprintf(req, sizeof req, "buyer%d", b);
        snprintf(acct, sizeof acct, "B%d", b);
        snprintf(ent, sizeof ent, "Buyer %d", b);
        if (epv_ledger_account_open(l, req, acct, ent)) return mix_die(ctx, "account");
    }
    epv_ledger_project p = { EPV_LEDGER_PROJECT_VERSION, "P1", "bench", "CCER-14-001-V01", "OWNER",
                             { 2021, 1, 1 }, { 2050, 12, 31 }, 1, -1 };
    epv_ledger_verification v = { EPV_LEDGER_VERIFICATION_VERSION, "P1", 1, "R1", "V", 900000000000LL, 0,
                                  { 2022, 1, 1 } };
    if (epv_ledger_project_register(l, "p", &p) ||
        epv_ledger_period_add(l, "m", "P1", (epv_date){ 2021, 1, 1 }, (epv_date){ 2021, 12, 31 }, NULL) ||
        epv_ledger_verification_add(l, "v", &v))
        return mix_die(ctx, "setup");
    return 0;
}

struct mix_counts {
    long issues, transfers, retires;
};

/* Where a run of the mix is: the units each account holds (so that transfers and retirements
 * ask only for what is there) and the next operation's number. */
struct mix_state {
    epv_i64 owner, buyer[MIX_NB];
    long k;
};

/* The next `count` operations of the mix (request ids tag<k>), adding the seconds they took to
 * *secs; batch > 1: committed in batches of that size (each operation still atomic; a batch
 * never spans two calls), else one durable commit per operation. */
static int mix_part(epv_ctx *ctx, epv_ledger *l, struct mix_state *ms, long count, long batch, const char *tag,
                    struct mix_counts *c, double *secs)
{
    char req[64], acct[32];
    long end = ms->k + count;
    double t0 = mix_now();
    for (long k = ms->k; k < end; k++) {
        if (batch > 1 && (k - ms->k) % batch == 0 && epv_ledger_batch_begin(l)) return mix_die(ctx, "batch");
        snprintf(req, sizeof req, "%s%ld", tag, k);
        int slot = (int)(k % 10), rc;
        epv_ledger_units u = { EPV_LEDGER_UNITS_VERSION, "P1", 0, 0, 0, 0 };
        if (slot == 0 || ms->owner < 5) {
            rc = epv_ledger_issue(l, req, "R1", 100, NULL);
            ms->owner += 80;
            c->issues++;
        } else if (slot <= 6) {
            int to = (int)(mix_rnd() % MIX_NB);
            u.count = 1 + (epv_i64)(mix_rnd() % 5);
            int from = (int)(mix_rnd() % (MIX_NB + 1)) - 1; /* -1: owner */
            if (from >= 0 && (ms->buyer[from] < u.count || from == to)) from = -1;
            char fa[32], ta[32];
            snprintf(ta, sizeof ta, "B%d", to);
            if (from < 0) snprintf(fa, sizeof fa, "OWNER");
            else snprintf(fa, sizeof fa, "B%d", from);
            rc = epv_ledger_transfer(l, req, fa, ta, &u);
            if (from < 0) ms->owner -= u.count;
            else ms->buyer[from] -= u.count;
            ms->buyer[to] += u.count;
            c->transfers++;
        } else {
            int b = (int)(mix_rnd() % MIX_NB);
            u.count = 1 + (epv_i64)(mix_rnd() % 3);
            if (ms->buyer[b] < u.count) {
                rc = epv_ledger_issue(l, req, "R1", 100, NULL);
                ms->owner += 80;
                c->issues++;
            } else {
                snprintf(acct, sizeof acct, "B%d", b);
                rc = epv_ledger_retire(l, req, acct, &u, "beneficiary", "offset", (epv_date){ 2024, 1, 1 }, NULL);
                ms->buyer[b] -= u.count;
                c->retires++;
            }
        }
        if (rc) return mix_die(ctx, "operation");
        if (batch > 1 && ((k - ms->k) % batch == batch - 1 || k == end - 1) && epv_ledger_batch_commit(l))
            return mix_die(ctx, "commit");
    }
    *secs += mix_now() - t0;
    ms->k = end;
    return 0;
}

/* n operations of the mix from the start, as mix_part; *rate in operations per second. */
static int mix_run(epv_ctx *ctx, epv_ledger *l, long n, long batch, const char *tag, struct mix_counts *c,
                   double *rate)
{
    struct mix_state ms;
    memset(&ms, 0, sizeof ms);
    double secs = 0;
    if (mix_part(ctx, l, &ms, n, batch, tag, c, &secs)) return 1;
    *rate = (double)n / secs;
    return 0;
}

#endif
