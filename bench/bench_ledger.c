/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Ledger benchmark: N operations (issue, transfer with splits, retire) on a durable file
 * ledger (WAL, synchronous=FULL), committed in batches (epv_ledger_batch_begin/commit: one
 * fsync per batch, each operation still atomic); beside it, in the same run, plain SQLite
 * inserting N journal-shaped rows (seq, kind, req, body, prev_hash, hash) with the same
 * durability settings and the same batch size. Then the time to verify the whole hash chain.
 *
 * Usage: bench_ledger SRCDIR [N [BATCH]]   (defaults N = 1000000, BATCH = 1000)
 * Files go to $TMPDIR (or /tmp) and are removed afterwards (the ledger file is kept when
 * BENCH_KEEP is set, e.g. to open it with another build of the library). */
#define _GNU_SOURCE
#include <epv.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/resource.h>
#include <unistd.h>

#include "bench_ledger_mix.h"

static void rm_db(const char *p)
{
    char b[1100];
    unlink(p);
    snprintf(b, sizeof b, "%s-wal", p);
    unlink(b);
    snprintf(b, sizeof b, "%s-shm", p);
    unlink(b);
}

/* Plain SQLite inserting journal-shaped rows, opened once and run in pieces (so that its
 * pieces can alternate with the ledger's: both then see the same state of the machine). */
struct plain {
    sqlite3 *db;
    sqlite3_stmt *st;
    unsigned char prev[32];
};

static int plain_open(struct plain *p, const char *path)
{
    rm_db(path);
    memset(p, 0, sizeof *p);
    if (sqlite3_open(path, &p->db) != SQLITE_OK) return -1;
    sqlite3_exec(p->db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
                        "CREATE TABLE journal(seq INTEGER PRIMARY KEY, kind INTEGER NOT NULL, req TEXT NOT NULL,"
                        " body BLOB NOT NULL, prev_hash BLOB NOT NULL, hash BLOB NOT NULL) STRICT;",
                 NULL, NULL, NULL);
    return sqlite3_prepare_v2(p->db, "INSERT INTO journal VALUES (?, ?, ?, ?, ?, ?)", -1, &p->st, NULL) == SQLITE_OK
               ? 0
               : -1;
}

/* Rows k0..k1-1 in batches (a batch never spans two calls); the seconds they took. */
static double plain_rows(struct plain *p, long k0, long k1, long batch)
{
    unsigned char body[160], h[32];
    char req[32];
    double t0 = mix_now();
    for (long k = k0; k < k1; k++) {
        if ((k - k0) % batch == 0) sqlite3_exec(p->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
        mix_fill(body, sizeof body);
        mix_fill(h, sizeof h);
        snprintf(req, sizeof req, "r%ld", k);
        sqlite3_bind_int64(p->st, 1, k + 1);
        sqlite3_bind_int(p->st, 2, 9);
        sqlite3_bind_text(p->st, 3, req, -1, SQLITE_STATIC);
        sqlite3_bind_blob(p->st, 4, body, sizeof body, SQLITE_STATIC);
        sqlite3_bind_blob(p->st, 5, p->prev, 32, SQLITE_STATIC);
        sqlite3_bind_blob(p->st, 6, h, 32, SQLITE_STATIC);
        if (sqlite3_step(p->st) != SQLITE_DONE) {
            fprintf(stderr, "plain insert failed: %s\n", sqlite3_errmsg(p->db));
            break;
        }
        sqlite3_reset(p->st);
        memcpy(p->prev, h, 32);
        if ((k - k0) % batch == batch - 1 || k == k1 - 1) sqlite3_exec(p->db, "COMMIT", NULL, NULL, NULL);
    }
    return mix_now() - t0;
}

static void plain_close(struct plain *p, const char *path)
{
    sqlite3_finalize(p->st);
    sqlite3_close(p->db);
    rm_db(path);
}

static double bench_plain(const char *path, long n, long batch)
{
    struct plain p;
    if (plain_open(&p, path)) return -1;
    double t = plain_rows(&p, 0, n, batch);
    plain_close(&p, path);
    return (double)n / t;
}

/* A floor under any write path that keeps this file format: plain SQLite inserting only the
 * rows that the format makes every operation add, whatever the code does: the ledger run's
 * own journal, request and event rows, read from its file into memory first and inserted in
 * entry order into the same tables, with the same pragmas and batches; no reads, no block,
 * retirement or issuance rows, no savepoints. If this is far below plain journal inserts, the
 * aim of 0.5 needs a different format, not faster code. */
struct frow {
    int64_t seq;
    int kind; /* 0: journal, 1: request, 2: event */
    size_t off, len[4]; /* the row's text and blob columns, stored one after another from off */
    int64_t iv[5];      /* its integer columns */
};

static int cmp_frow(const void *a, const void *b)
{
    const struct frow *x = *(const struct frow *const *)a, *y = *(const struct frow *const *)b;
    if (x->seq != y->seq) return x->seq < y->seq ? -1 : 1;
    if (x->kind != y->kind) return x->kind - y->kind;
    return x->iv[0] < y->iv[0] ? -1 : x->iv[0] > y->iv[0]; /* events: n */
}

static double bench_floor(const char *ledger, const char *path, long batch, double *rows_per_entry)
{
    static const char *const reads[3] = {
        "SELECT seq, kind, req, body, prev_hash, hash FROM journal",
        "SELECT seq, req, r0, r1, r2, r3 FROM requests",
        "SELECT seq, n, project, start, \"end\", kind, from_acct, to_acct, status FROM events",
    };
    sqlite3 *src, *db;
    if (sqlite3_open_v2(ledger, &src, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) return -1;
    struct frow *rows = NULL;
    size_t nrows = 0, caprows = 0, nb = 0, capb = 0;
    unsigned char *bytes = NULL;
    for (int t = 0; t < 3; t++) {
        sqlite3_stmt *st;
        if (sqlite3_prepare_v2(src, reads[t], -1, &st, NULL) != SQLITE_OK) return -1;
        while (sqlite3_step(st) == SQLITE_ROW) {
            if (nrows == caprows) {
                caprows = caprows ? 2 * caprows : 65536;
                rows = realloc(rows, caprows * sizeof *rows);
                if (!rows) return -1;
            }
            struct frow *r = &rows[nrows++];
            memset(r, 0, sizeof *r);
            r->seq = sqlite3_column_int64(st, 0);
            r->kind = t;
            r->off = nb;
            /* text and blob columns: journal req, body, prev_hash, hash;
             * request req; event project, kind, from, to */
            static const int texts[3][4] = { { 2, 3, 4, 5 }, { 1, -1, -1, -1 }, { 2, 5, 6, 7 } };
            for (int j = 0, m = 0; j < 4; j++) {
                int c = texts[t][j];
                if (c < 0) continue;
                size_t len = (size_t)sqlite3_column_bytes(st, c);
                const void *p = sqlite3_column_blob(st, c);
                if (nb + len + 1 > capb) {
                    capb = 2 * (nb + len + 1) + (1 << 20);
                    bytes = realloc(bytes, capb);
                    if (!bytes) return -1;
                }
                if (len) memcpy(bytes + nb, p, len);
                nb += len;
                r->len[m++] = len;
            }
            static const int ints[3][5] = { { 1, -1, -1, -1, -1 }, { 2, 3, 4, 5, -1 }, { 1, 3, 4, 8, -1 } };
            for (int j = 0; j < 5 && ints[t][j] >= 0; j++) r->iv[j] = sqlite3_column_int64(st, ints[t][j]);
        }
        sqlite3_finalize(st);
    }
    sqlite3_close(src);
    /* in entry order: the journal row, its request, then its events (n ascending) */
    size_t nj = 0;
    for (size_t k = 0; k < nrows; k++) nj += rows[k].kind == 0;
    *rows_per_entry = nj ? (double)nrows / (double)nj : 0;
    struct frow **ord = malloc((nrows ? nrows : 1) * sizeof *ord);
    for (size_t k = 0; k < nrows; k++) ord[k] = &rows[k];
    qsort(ord, nrows, sizeof *ord, cmp_frow);

    rm_db(path);
    if (sqlite3_open(path, &db) != SQLITE_OK) return -1;
    sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
                     "CREATE TABLE journal(seq INTEGER PRIMARY KEY, kind INTEGER NOT NULL, req TEXT NOT NULL,"
                     " body BLOB NOT NULL, prev_hash BLOB NOT NULL, hash BLOB NOT NULL) STRICT;"
                     "CREATE TABLE requests(req TEXT PRIMARY KEY, seq INTEGER NOT NULL, r0 INTEGER NOT NULL,"
                     " r1 INTEGER NOT NULL, r2 INTEGER NOT NULL, r3 INTEGER NOT NULL) STRICT, WITHOUT ROWID;"
                     "CREATE TABLE events(seq INTEGER NOT NULL, n INTEGER NOT NULL, project TEXT NOT NULL,"
                     " start INTEGER NOT NULL, end INTEGER NOT NULL, kind TEXT NOT NULL, from_acct TEXT NOT NULL,"
                     " to_acct TEXT NOT NULL, status INTEGER NOT NULL, PRIMARY KEY(project, start, seq, n))"
                     " STRICT, WITHOUT ROWID;",
                 NULL, NULL, NULL);
    sqlite3_stmt *ins[3];
    sqlite3_prepare_v2(db, "INSERT INTO journal VALUES (?1, ?2, ?3, ?4, ?5, ?6)", -1, &ins[0], NULL);
    sqlite3_prepare_v2(db, "INSERT INTO requests VALUES (?3, ?1, ?2, ?7, ?8, ?9)", -1, &ins[1], NULL);
    sqlite3_prepare_v2(db, "INSERT INTO events VALUES (?1, ?2, ?3, ?7, ?8, ?4, ?5, ?6, ?9)", -1, &ins[2], NULL);
    double t0 = mix_now();
    long entry = 0;
    for (size_t k = 0; k < nrows; k++) {
        const struct frow *r = ord[k];
        if (r->kind == 0) {
            if (entry % batch == 0) sqlite3_exec(db, k ? "COMMIT; BEGIN IMMEDIATE" : "BEGIN IMMEDIATE", NULL, NULL, NULL);
            entry++;
        }
        sqlite3_stmt *st = ins[r->kind];
        const unsigned char *b = bytes + r->off;
        sqlite3_bind_int64(st, 1, r->seq);
        if (r->kind == 0) {
            sqlite3_bind_int64(st, 2, r->iv[0]);
            sqlite3_bind_text(st, 3, (const char *)b, (int)r->len[0], SQLITE_STATIC);
            sqlite3_bind_blob(st, 4, b + r->len[0], (int)r->len[1], SQLITE_STATIC);
            sqlite3_bind_blob(st, 5, b + r->len[0] + r->len[1], (int)r->len[2], SQLITE_STATIC);
            sqlite3_bind_blob(st, 6, b + r->len[0] + r->len[1] + r->len[2], (int)r->len[3], SQLITE_STATIC);
        } else if (r->kind == 1) {
            sqlite3_bind_int64(st, 2, r->iv[0]);
            sqlite3_bind_text(st, 3, (const char *)b, (int)r->len[0], SQLITE_STATIC);
            sqlite3_bind_int64(st, 7, r->iv[1]);
            sqlite3_bind_int64(st, 8, r->iv[2]);
            sqlite3_bind_int64(st, 9, r->iv[3]);
        } else {
            size_t o = 0;
            sqlite3_bind_int64(st, 2, r->iv[0]);
            sqlite3_bind_text(st, 3, (const char *)b, (int)r->len[0], SQLITE_STATIC);
            o += r->len[0];
            sqlite3_bind_text(st, 4, (const char *)b + o, (int)r->len[1], SQLITE_STATIC);
            o += r->len[1];
            sqlite3_bind_text(st, 5, (const char *)b + o, (int)r->len[2], SQLITE_STATIC);
            o += r->len[2];
            sqlite3_bind_text(st, 6, (const char *)b + o, (int)r->len[3], SQLITE_STATIC);
            sqlite3_bind_int64(st, 7, r->iv[1]);
            sqlite3_bind_int64(st, 8, r->iv[2]);
            sqlite3_bind_int64(st, 9, r->iv[3]);
        }
        if (sqlite3_step(st) != SQLITE_DONE) {
            fprintf(stderr, "floor insert failed: %s\n", sqlite3_errmsg(db));
            break;
        }
        sqlite3_reset(st);
    }
    sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
    double t = mix_now() - t0;
    for (int j = 0; j < 3; j++) sqlite3_finalize(ins[j]);
    sqlite3_close(db);
    rm_db(path);
    free(ord);
    free(rows);
    free(bytes);
    return (double)entry / t;
}

/* 1,000 issuances in one batch: the entries an open from a checkpoint has to verify. */
static int after_checkpoint(epv_ctx *ctx, epv_ledger *l)
{
    char req[64];
    if (epv_ledger_batch_begin(l)) return mix_die(ctx, "batch");
    for (long k = 0; k < 1000; k++) {
        snprintf(req, sizeof req, "after%ld", k);
        if (epv_ledger_issue(l, req, "R1", 10, NULL)) return mix_die(ctx, "after");
    }
    return epv_ledger_batch_commit(l) ? mix_die(ctx, "commit") : 0;
}

int main(int argc, char **argv)
{
    long n = argc > 2 ? atol(argv[2]) : 1000000L;
    long batch = argc > 3 ? atol(argv[3]) : 1000L;
    if (n < 100 || batch < 1) {
        fprintf(stderr, "usage: bench_ledger SRCDIR [N>=100 [BATCH>=1]]\n");
        return 2;
    }
    const char *tmp = getenv("TMPDIR");
    char path[1024], plain[1024];
    snprintf(path, sizeof path, "%s/bench_ledger_%d.db", tmp && *tmp ? tmp : "/tmp", (int)getpid());
    snprintf(plain, sizeof plain, "%s/bench_plain_%d.db", tmp && *tmp ? tmp : "/tmp", (int)getpid());
    rm_db(path);
    epv_ctx *ctx;
    epv_ledger *l;
    if (epv_ctx_new(&ctx)) return 1;
    if (epv_ledger_open(ctx, path, EPV_LEDGER_CREATE, NULL, &l)) return mix_die(ctx, "create");
    char req[64];
    if (mix_setup(ctx, l, MIX_NB)) return 1;
    struct mix_counts mc = { 0, 0, 0 };
    double ledger_rate = 0;
    double t0 = mix_now();
    if (mix_run(ctx, l, n, batch, "q", &mc, &ledger_rate)) return 1;
    double tl = mix_now() - t0;
    long done = n, issues = mc.issues, transfers = mc.transfers, retires = mc.retires;

    /* Unbatched: each operation its own durable transaction (a small sample). */
    long nsingle = n / 100 < 2000 ? n / 100 : 2000;
    t0 = mix_now();
    for (long k = 0; k < nsingle; k++) {
        snprintf(req, sizeof req, "single%ld", k);
        if (epv_ledger_issue(l, req, "R1", 10, NULL)) return mix_die(ctx, "single");
    }
    double single_rate = (double)nsingle / (mix_now() - t0);

    epv_i64 entries = 0;
    t0 = mix_now();
    if (epv_ledger_verify_chain(l, &entries)) return mix_die(ctx, "verify chain");
    double tv = mix_now() - t0;
    epv_ledger_close(l);

    /* Reopening without replay walks the whole chain; a full open (EPV_LEDGER_FULL_VERIFY)
     * replays the whole journal into memory, compares state digests, checks invariants. Then
     * a verified checkpoint (a full verification under the write lock), 1000 more operations,
     * and the open that starts from the checkpoint. */
    t0 = mix_now();
    if (epv_ledger_open(ctx, path, EPV_LEDGER_NO_REPLAY, NULL, &l)) return mix_die(ctx, "reopen");
    double topen = mix_now() - t0;
    epv_ledger_close(l);
    /* Full open with one thread, then with two (the stored tables read through a second
     * connection while the journal replays); the peak resident memory says what the
     * in-memory replay costs. */
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    long rss0 = ru.ru_maxrss;
    t0 = mix_now();
    if (epv_ledger_open(ctx, path, EPV_LEDGER_FULL_VERIFY, NULL, &l)) return mix_die(ctx, "full verification");
    double tfull = mix_now() - t0;
    getrusage(RUSAGE_SELF, &ru);
    long rss1 = ru.ru_maxrss;
    epv_ledger_close(l);
    epv_ctx_set_threads(ctx, 2);
    t0 = mix_now();
    if (epv_ledger_open(ctx, path, EPV_LEDGER_FULL_VERIFY, NULL, &l)) return mix_die(ctx, "full verification");
    double tfull2 = mix_now() - t0;
    /* the on-demand full verification of an open handle (no storage check) */
    t0 = mix_now();
    if (epv_ledger_verify(l)) return mix_die(ctx, "verify");
    double tver2 = mix_now() - t0;
    epv_ctx_set_threads(ctx, 1);
    t0 = mix_now();
    epv_i64 cpseq = 0;
    if (epv_ledger_checkpoint(l, &cpseq)) return mix_die(ctx, "checkpoint");
    double tcp = mix_now() - t0;
    if (after_checkpoint(ctx, l)) return 1;
    epv_ledger_close(l);
    t0 = mix_now();
    if (epv_ledger_open(ctx, path, 0, NULL, &l)) return mix_die(ctx, "open from checkpoint");
    double tfast = mix_now() - t0;
    epv_ledger_close(l);
    /* The live layout (EPV_LEDGER_LIVE): the same operations from the same random sequence,
     * each writing only its journal entry; then its open, which replays the whole journal. */
    char lpath[1100];
    snprintf(lpath, sizeof lpath, "%s.live", path);
    rm_db(lpath);
    /* Its comparison with plain SQLite alternates ten pieces of each (a run of either alone
     * saw plain SQLite vary by a factor of two between runs on this machine). */
    uint64_t rs_saved = mix_rs;
    mix_rs = 88172645463325252ull;
    struct mix_counts lc = { 0, 0, 0 };
    struct mix_state ms;
    memset(&ms, 0, sizeof ms);
    struct plain pl;
    double tlive = 0, tplain = 0;
    long piece = (n / 10 + batch - 1) / batch * batch;
    if (epv_ledger_open(ctx, lpath, EPV_LEDGER_CREATE | EPV_LEDGER_LIVE, NULL, &l)) return mix_die(ctx, "create live");
    if (mix_setup(ctx, l, MIX_NB) || plain_open(&pl, plain)) return 1;
    for (long k = 0; k < n; k += piece) {
        long m = n - k < piece ? n - k : piece;
        if (mix_part(ctx, l, &ms, m, batch, "q", &lc, &tlive)) return 1;
        uint64_t rs = mix_rs; /* (plain rows draw random bytes too: keep the ledger's sequence) */
        tplain += plain_rows(&pl, k, k + m, batch);
        mix_rs = rs;
    }
    plain_close(&pl, plain);
    double live_rate = (double)n / tlive, live_plain = (double)n / tplain;
    epv_ledger_close(l);
    mix_rs = rs_saved;
    t0 = mix_now();
    if (epv_ledger_open(ctx, lpath, 0, NULL, &l)) return mix_die(ctx, "open live");
    double tlive_open = mix_now() - t0;
    /* a checkpoint (full verification, then the state's snapshot), 1,000 more operations, and
     * the open from the snapshot */
    t0 = mix_now();
    if (epv_ledger_checkpoint(l, NULL)) return mix_die(ctx, "live checkpoint");
    double tlive_cp = mix_now() - t0;
    if (after_checkpoint(ctx, l)) return 1;
    epv_ledger_close(l);
    t0 = mix_now();
    if (epv_ledger_open(ctx, lpath, 0, NULL, &l)) return mix_die(ctx, "open live from its snapshot");
    double tlive_fast = mix_now() - t0;
    epv_ledger_close(l);
    rm_db(lpath);
    double plain_rate = bench_plain(plain, n, batch);
    double rows_per_entry = 0;
    double floor_rate = bench_floor(path, plain, batch, &rows_per_entry);
    if (getenv("BENCH_KEEP")) fprintf(stderr, "ledger file kept: %s\n", path); /* for checks */
    else rm_db(path);

    printf("ledger: %ld operations (%ld issue, %ld transfer, %ld retire) in %.2f s, batches of %ld: %.0f ops/s\n",
           done, issues, transfers, retires, tl, batch, ledger_rate);
    printf("ledger, one durable commit per operation (%ld issues): %.0f ops/s\n", nsingle, single_rate);
    printf("plain SQLite: %ld journal rows, same pragmas and batches: %.0f rows/s\n", n, plain_rate);
    printf("ratio ledger / plain SQLite: %.3f\n", ledger_rate / plain_rate);
    printf("live layout: %ld operations in batches of %ld: %.0f ops/s; plain SQLite in alternating pieces"
           " (10 of each) %.0f rows/s: ratio %.3f\n", n, batch, live_rate, live_plain, live_rate / live_plain);
    printf("live layout: open (replaying the whole journal, 1 thread) %.2f s; checkpoint (full verification and"
           " the state's snapshot) %.2f s; open from the snapshot with 1000 entries since %.3f s\n", tlive_open,
           tlive_cp, tlive_fast);
    printf("floor of this file format (the run's own journal, request and event rows, %.2f per entry, inserted"
           " without reads): %.0f entries/s, ratio to plain SQLite %.3f\n", rows_per_entry, floor_rate,
           floor_rate / plain_rate);
    printf("chain verification: %lld entries in %.3f s: %.0f entries/s (reopen without replay %.3f s)\n",
           (long long)entries, tv, (double)entries / tv, topen);
    printf("full open (quick_check + chain + replay + digests + invariants): %.2f s: %.0f entries/s (1 thread),"
           " %.2f s: %.0f entries/s (2 threads); peak memory %ld -> %ld MB\n",
           tfull, (double)entries / tfull, tfull2, (double)entries / tfull2, rss0 / 1024, rss1 / 1024);
    printf("full verification of the open handle (epv_ledger_verify: chain + replay + digests + invariants),"
           " 2 threads: %.2f s: %.0f entries/s\n", tver2, (double)entries / tver2);
    printf("checkpoint (full verification under the write lock + record): %.1f s at entry %lld\n", tcp,
           (long long)cpseq);
    printf("open from the checkpoint with 1000 entries since: %.4f s\n", tfast);
    epv_ctx_free(ctx);
    return 0;
}
