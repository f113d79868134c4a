/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Ledger benchmark on PostgreSQL (issue 11): in one run, on one throwaway cluster,
 *   - the ledger with N operations (the mix of bench_ledger: every 10, one issuance, six
 *     transfers that split blocks, three retirements: bench_ledger_mix.h) in batches, against plain PostgreSQL
 *     inserting N journal-shaped rows with the same batches and the same durability
 *     (synchronous_commit = on, one commit per batch), as a ratio;
 *   - the same with one durable commit per operation;
 *   - throughput with 1, 4 and 16 concurrent clients (processes, each with its own handle on
 *     the same ledger, one durable commit per operation).
 * Without PGHOST in the environment it runs itself inside tests/pg_cluster.sh.
 *
 * Usage: bench_ledger_pg SRCDIR [N [BATCH [OPS_PER_CLIENT]]]  (defaults 100000 1000 400) */
#define _GNU_SOURCE 1
#include <epv.h>
#include <libpq-fe.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench_ledger_mix.h"

static void quiet(void *a, const char *m)
{
    (void)a;
    (void)m;
}

static int admin(const char *sql)
{
    PGconn *c = PQconnectdb("dbname=postgres");
    int ok = PQstatus(c) == CONNECTION_OK;
    if (ok) {
        PQsetNoticeProcessor(c, quiet, NULL);
        PGresult *r = PQexec(c, sql);
        ok = PQresultStatus(r) == PGRES_COMMAND_OK;
        if (!ok) fprintf(stderr, "bench_ledger_pg: %s: %s", sql, PQerrorMessage(c));
        PQclear(r);
    }
    PQfinish(c);
    return ok ? 0 : -1;
}

static int fresh_db(const char *name)
{
    char sql[256];
    snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s WITH (FORCE)", name);
    if (admin(sql)) return -1;
    snprintf(sql, sizeof sql, "CREATE DATABASE %s", name);
    return admin(sql);
}

/* Plain PostgreSQL: N journal rows (seq, kind, request id, 160-byte body, two 32-byte hashes)
 * through one prepared INSERT, committed every `batch` rows. */
static double bench_plain(long n, long batch)
{
    if (fresh_db("plain")) return -1;
    PGconn *c = PQconnectdb("dbname=plain");
    if (PQstatus(c) != CONNECTION_OK) return -1;
    PGresult *r = PQexec(c, "SET synchronous_commit = on; CREATE TABLE journal(seq bigint PRIMARY KEY,"
                            " kind bigint NOT NULL, req text COLLATE \"C\" NOT NULL, body bytea NOT NULL,"
                            " prev_hash bytea NOT NULL, hash bytea NOT NULL)");
    PQclear(r);
    r = PQprepare(c, "ins", "INSERT INTO journal VALUES ($1, $2, $3, $4, $5, $6)", 0, NULL);
    PQclear(r);
    unsigned char body[160], h[32], prev[32];
    memset(prev, 0, 32);
    char seq[24], req[32];
    double t0 = mix_now();
    for (long k = 0; k < n; k++) {
        if (k % batch == 0) PQclear(PQexec(c, "BEGIN"));
        mix_fill(body, sizeof body);
        mix_fill(h, sizeof h);
        snprintf(seq, sizeof seq, "%ld", k + 1);
        snprintf(req, sizeof req, "r%ld", k);
        const char *pv[6] = { seq, "9", req, (const char *)body, (const char *)prev, (const char *)h };
        int pl[6] = { 0, 0, 0, (int)sizeof body, 32, 32 };
        int pf[6] = { 0, 0, 0, 1, 1, 1 };
        r = PQexecPrepared(c, "ins", 6, pv, pl, pf, 0);
        if (PQresultStatus(r) != PGRES_COMMAND_OK) {
            fprintf(stderr, "plain insert failed: %s", PQerrorMessage(c));
            PQclear(r);
            PQfinish(c);
            return -1;
        }
        PQclear(r);
        memcpy(prev, h, 32);
        if (k % batch == batch - 1 || k == n - 1) PQclear(PQexec(c, "COMMIT"));
    }
    double t = mix_now() - t0;
    PQfinish(c);
    return (double)n / t;
}

/* One client of the concurrency test: its own handle; transfers of 1 unit from the owner's
 * pre-issued stock to its own account, every fourth operation a retirement of 1 unit from it. */
static const char *conc_db = "pg:dbname=conc"; /* the ledger the clients share */

static int client(int id, long ops)
{
    epv_ctx *ctx;
    epv_ledger *l;
    if (epv_ctx_new(&ctx)) return 1;
    if (epv_ledger_open(ctx, conc_db, EPV_LEDGER_NO_REPLAY, NULL, &l)) return mix_die(ctx, "client open");
    char req[64], acct[32];
    snprintf(acct, sizeof acct, "B%d", id);
    for (long k = 0; k < ops; k++) {
        snprintf(req, sizeof req, "c%d_%ld", id, k);
        epv_ledger_units u = { EPV_LEDGER_UNITS_VERSION, "P1", 0, 1, 0, 0 };
        int rc = k % 4 == 3 ? epv_ledger_retire(l, req, acct, &u, "beneficiary", "offset", (epv_date){ 2024, 1, 1 }, NULL)
                            : epv_ledger_transfer(l, req, "OWNER", acct, &u);
        if (rc) return mix_die(ctx, "client operation");
    }
    epv_ledger_close(l);
    epv_ctx_free(ctx);
    return 0;
}

static double concurrent(int clients, long ops)
{
    fflush(NULL);
    double t0 = mix_now();
    for (int c = 0; c < clients; c++) {
        pid_t pid = fork();
        if (pid < 0) return -1;
        if (pid == 0) _exit(client(c, ops));
    }
    int bad = 0, st;
    for (int c = 0; c < clients; c++)
        if (wait(&st) < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0) bad = 1;
    return bad ? -1 : (double)clients * (double)ops / (mix_now() - t0);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: bench_ledger_pg SRCDIR [N [BATCH [OPS_PER_CLIENT]]]\n");
        return 2;
    }
    if (!getenv("PGHOST")) { /* start a throwaway cluster around this very run */
        char harness[4096];
        snprintf(harness, sizeof harness, "%s/tests/pg_cluster.sh", argv[1]);
        char **args = calloc((size_t)argc + 3, sizeof *args);
        if (!args) return 1;
        args[0] = "sh";
        args[1] = harness;
        for (int i = 0; i < argc; i++) args[2 + i] = argv[i];
        execvp("sh", args);
        perror("bench_ledger_pg: sh");
        return 1;
    }
    long n = argc > 2 ? atol(argv[2]) : 100000L;
    long batch = argc > 3 ? atol(argv[3]) : 1000L;
    long per = argc > 4 ? atol(argv[4]) : 400L;
    if (n < 100 || batch < 1 || per < 4) return 2;
    epv_ctx *ctx;
    epv_ledger *l;
    if (epv_ctx_new(&ctx)) return 1;

    /* batched */
    if (fresh_db("led")) return 1;
    if (epv_ledger_open(ctx, "pg:dbname=led", EPV_LEDGER_CREATE, NULL, &l)) return mix_die(ctx, "create");
    if (mix_setup(ctx, l, MIX_NB)) return 1;
    double batched = 0, single = 0;
    struct mix_counts mc = { 0, 0, 0 };
    if (mix_run(ctx, l, n, batch, "q", &mc, &batched)) return 1;
    long nsingle = n / 20 < 2000 ? n / 20 : 2000;
    if (mix_run(ctx, l, nsingle, 1, "s", &mc, &single)) return 1;
    epv_i64 entries = 0;
    double t0 = mix_now();
    if (epv_ledger_verify(l)) return mix_die(ctx, "verify");
    double tverify = mix_now() - t0;
    /* the same with two threads: the stored tables read through a second connection */
    epv_ctx_set_threads(ctx, 2);
    t0 = mix_now();
    if (epv_ledger_verify(l)) return mix_die(ctx, "verify");
    double tverify2 = mix_now() - t0;
    epv_ctx_set_threads(ctx, 1);
    epv_ledger_head(l, &entries, NULL);
    epv_ledger_close(l);
    double plain = bench_plain(n, batch);
    double plain_single = bench_plain(nsingle, 1);

    /* the live layout (EPV_LEDGER_LIVE): the same operations, each writing only its journal
     * entry; plain PostgreSQL again right after it, for a ratio taken at the same time */
    uint64_t rs_saved = mix_rs;
    mix_rs = 88172645463325252ull;
    if (fresh_db("live")) return 1;
    if (epv_ledger_open(ctx, "pg:dbname=live", EPV_LEDGER_CREATE | EPV_LEDGER_LIVE, NULL, &l))
        return mix_die(ctx, "create live");
    if (mix_setup(ctx, l, MIX_NB)) return 1;
    double live_batched = 0;
    struct mix_counts lc = { 0, 0, 0 };
    if (mix_run(ctx, l, n, batch, "q", &lc, &live_batched)) return 1;
    epv_ledger_close(l);
    mix_rs = rs_saved;
    double plain_again = bench_plain(n, batch);

    /* concurrent clients: one ledger, stock issued first; then the same on a live-layout
     * ledger (each client keeps the state in memory and applies the others' entries) */
    static const int nc[3] = { 1, 4, 16 };
    double conc[2][3];
    for (int layout = 0; layout < 2; layout++) {
        conc_db = layout ? "pg:dbname=conclive" : "pg:dbname=conc";
        if (fresh_db(layout ? "conclive" : "conc")) return 1;
        if (epv_ledger_open(ctx, conc_db, EPV_LEDGER_CREATE | (layout ? EPV_LEDGER_LIVE : 0), NULL, &l))
            return mix_die(ctx, "create");
        if (mix_setup(ctx, l, MIX_NB)) return 1;
        if (epv_ledger_issue(l, "stock", "R1", 10000000, NULL)) return mix_die(ctx, "stock");
        epv_ledger_close(l);
        for (int i = 0; i < 3; i++) {
            conc[layout][i] = concurrent(nc[i], per * 4 / nc[i] > 50 ? per * 4 / nc[i] : 50);
            if (conc[layout][i] < 0) {
                fprintf(stderr, "bench_ledger_pg: concurrent run with %d clients failed\n", nc[i]);
                return 1;
            }
        }
        if (epv_ledger_open(ctx, conc_db, EPV_LEDGER_FULL_VERIFY, NULL, &l)) return mix_die(ctx, "verify after clients");
        epv_ledger_close(l);
    }

    printf("PostgreSQL %s (throwaway cluster, Unix socket, fsync on, synchronous_commit on)\n",
           PQlibVersion() >= 150000 ? "15 or later client" : "client");
    printf("ledger on PostgreSQL: %ld operations in batches of %ld: %.0f ops/s\n", n, batch, batched);
    printf("plain PostgreSQL: %ld journal rows, same batches: %.0f rows/s\n", n, plain);
    printf("ratio ledger / plain PostgreSQL (batched): %.3f\n", batched / plain);
    printf("live layout on PostgreSQL: %ld operations in batches of %ld: %.0f ops/s; plain PostgreSQL right after:"
           " %.0f rows/s; ratio %.3f\n", n, batch, live_batched, plain_again, live_batched / plain_again);
    printf("ledger on PostgreSQL, one durable commit per operation (%ld): %.0f ops/s\n", nsingle, single);
    printf("plain PostgreSQL, one commit per row (%ld): %.0f rows/s; ratio %.3f\n", nsingle, plain_single,
           single / plain_single);
    printf("full verification on PostgreSQL: %lld entries in %.2f s: %.0f entries/s (1 thread); %.2f s: %.0f entries/s"
           " (2 threads)\n", (long long)entries, tverify, (double)entries / tverify, tverify2,
           (double)entries / tverify2);
    for (int i = 0; i < 3; i++)
        printf("concurrent clients: %2d: %.0f ops/s; live layout %.0f ops/s (each operation its own durable"
               " transaction)\n", nc[i], conc[0][i], conc[1][i]);
    epv_ctx_free(ctx);
    return 0;
}
