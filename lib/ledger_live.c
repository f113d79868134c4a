/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Live layout (doc/ledger.md "Live state"): the ledger's state is kept in memory, in the native
 * model of ledger_replay.c, equal to the journal's head. An operation is checked and applied
 * to the model and then writes one row, its journal entry; queries answer from the model.
 *
 * Why: the derived tables cost about five written and three read rows per operation, which
 * bounds a layout-1 file at about a quarter of the rate of plain SQLite inserting the journal's
 * rows (measured, doc/ledger.md). The journal stays the source of truth: the model is rebuilt
 * from it, verified, when a handle opens, and brought forward from it when another handle
 * has written (epv__lg_live_sync, ledger_verify.c).
 *
 * The model must never run ahead of the store. A refused operation leaves it as it was (the
 * rules are checked before the first change; epv__lrp_broken() reports the exceptions); when
 * a write or a commit fails, or a batch is rolled back, the handle marks it stale and the next
 * use rebuilds it from the journal. */
#include "config.h"

#include <openssl/evp.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "ledger_verify_int.h"

int epv__lg_default_layout = 1;

void epv__lg_live_rewind(epv_ledger *l, int64_t seq)
{
    if (!l->live || l->live_stale) return;
    int64_t at;
    unsigned char h[32];
    epv__lrp_head(l->live, &at, h);
    if (at != seq) l->live_stale = 1;
}

/* A request id seen before (entry `seq`): its body is read back for epv__lg_repeat(). */
static int repeat(epv_ledger *l, const struct epv__lop *op, int64_t seq, const unsigned char *body, size_t len)
{
    static const char *const sql = "SELECT body FROM journal WHERE seq = ?";
    epv__lq *st = epv__lg_stmt(l, sql);
    if (!st) return epv_ctx_errcode(l->ctx);
    epv__lq_bind_i64(st, 1, seq);
    int rc = epv__lq_step(st);
    if (rc != EPV__LQ_ROW) {
        epv__lq_reset(st);
        return rc == EPV__LQ_DONE ? epv__error(l->ctx, EPV_ECORRUPT, "journal: entry %lld of request '%s' is missing",
                                               (long long)seq, op->req)
                                  : epv__lg_sqlerr(l, rc, "looking up request id");
    }
    rc = epv__lg_repeat(l, op, epv__lq_col_blob(st, 0), (size_t)epv__lq_col_bytes(st, 0), body, len);
    epv__lq_reset(st);
    return rc;
}

static int live_step(epv_ledger *l, const struct epv__lop *op, const unsigned char *body, size_t len,
                     int64_t res[EPV__L_NRES])
{
    int rc = epv__lg_live_sync(l);
    if (rc) return rc;
    int64_t rseq;
    if (epv__lrp_request(l->live, op->req, &rseq, res)) return repeat(l, op, rseq, body, len);
    int64_t mseq;
    unsigned char mh[32];
    epv__lrp_head(l->live, &mseq, mh);
    if (mseq != l->head_seq || memcmp(mh, l->head_hash, 32)) {
        l->live_stale = 1;
        return epv__error(l->ctx, EPV_ECORRUPT, "ledger: the state in memory is at entry %lld, the journal at %lld",
                          (long long)mseq, (long long)l->head_seq);
    }
    int64_t seq = l->head_seq + 1;
    unsigned char hash[32];
    if ((rc = epv__lg_entry_hash(l, l->head_hash, seq, body, len, hash))) return rc;
    rc = epv__lrp_apply_res(l->live, op, seq, hash, res);
    if (rc) {
        if (epv__lrp_broken(l->live)) l->live_stale = 1;
        return rc;
    }
    rc = epv__lg_journal_append(l, op, seq, body, len, hash);
    if (rc) l->live_stale = 1; /* the model holds an entry the store does not */
    return rc;
}

int epv__lg_live_step(epv_ledger *l, const struct epv__lop *op, int64_t res[EPV__L_NRES])
{
    for (int k = 0; k < EPV__L_NRES; k++) res[k] = 0;
    int rc = epv__lg_check_req(l->ctx, op->req);
    if (rc) return rc;
    unsigned char *body = NULL;
    size_t len = 0;
    if ((rc = epv__lg_encode(l->ctx, op, &body, &len))) return rc;
    rc = live_step(l, op, body, len, res);
    epv__free(l->ctx, body);
    return rc;
}

/* ---- snapshots: the model at the last checkpoint, so that an open need not replay ---------
 * Table `snapshot`: part 0 is a header (magic, the entry the model is at and its hash, the byte
 * count, the SHA-256 of the bytes, a fast checksum of them); parts 1.. hold the bytes of
 * epv__lrp_save() in pieces of at most SNAP_PART bytes, so that no single value grows with the
 * ledger (a PostgreSQL bytea holds at most 1 GB). Only the last checkpoint's snapshot is kept.
 * Like the derived tables of the other layout, a snapshot is trusted by the fast open (which
 * checks only its checksum and structure) and checked by every full verification (its SHA-256,
 * and its state against the replay's). */
#define SNAP_PART ((size_t)8 << 20)
#define SNAP_HEADER 96
static const char snap_magic[8] = { 'E', 'P', 'V', 'S', 'N', 'A', 'P', '1' };

static void put_u64(unsigned char *p, uint64_t v)
{
    for (int k = 0; k < 8; k++) p[k] = (unsigned char)(v >> (8 * k));
}

/* A 64-bit checksum of the bytes at memory speed (four independent lanes of multiply-xor over
 * 8-byte words), checked by every load: accidental damage is caught for 1/25 of the SHA-256's
 * cost, which full verification checks (a snapshot of a million entries is about 200 MB). */
static uint64_t fast_sum(const unsigned char *p, size_t n)
{
    uint64_t a[4] = { 0x9E3779B97F4A7C15u, 0xC2B2AE3D27D4EB4Fu, 0x165667B19E3779F9u, 0x27D4EB2F165667C5u };
    size_t k = 0;
    for (; k + 32 <= n; k += 32)
        for (int j = 0; j < 4; j++) {
            uint64_t w = epv__le64(p + k + 8 * (size_t)j);
            a[j] = (a[j] ^ w) * 0x100000001B3u;
            a[j] ^= a[j] >> 29;
        }
    uint64_t h = a[0] ^ (a[1] << 1) ^ (a[2] << 2) ^ (a[3] << 3) ^ (uint64_t)n;
    for (; k < n; k++) h = (h ^ p[k]) * 0x100000001B3u;
    return h;
}

static int snap_part(epv_ledger *l, int64_t part, const unsigned char *p, size_t n)
{
    epv__lq *st = epv__lg_stmt(l, "INSERT INTO snapshot(part, data) VALUES (?, ?)");
    if (!st) return epv_ctx_errcode(l->ctx);
    epv__lq_bind_i64(st, 1, part);
    epv__lq_bind_blob(st, 2, p, n);
    int rc = epv__lq_step(st);
    epv__lq_reset(st);
    return rc == EPV__LQ_DONE ? EPV_OK : epv__lg_sqlerr(l, rc, "writing the snapshot");
}

int epv__lg_live_snapshot_write(epv_ledger *l)
{
    int rc = epv__lg_exec(l, l->st.backend == EPV__LS_PG
                                 ? "CREATE TABLE IF NOT EXISTS snapshot(part bigint PRIMARY KEY CHECK (part >= 0),"
                                   " data bytea NOT NULL); DELETE FROM snapshot"
                                 : "CREATE TABLE IF NOT EXISTS snapshot(part INTEGER PRIMARY KEY CHECK (part >= 0),"
                                   " data BLOB NOT NULL) STRICT; DELETE FROM snapshot");
    if (rc) return rc;
    unsigned char *buf;
    size_t len;
    if ((rc = epv__lrp_save(l->live, &buf, &len))) return rc;
    unsigned char h[SNAP_HEADER];
    int64_t seq;
    memcpy(h, snap_magic, 8);
    epv__lrp_head(l->live, &seq, h + 16);
    put_u64(h + 8, (uint64_t)seq);
    put_u64(h + 48, (uint64_t)len);
    if (!EVP_Digest(buf, len, h + 56, NULL, l->md_alg, NULL)) rc = epv__error(l->ctx, EPV_ENOMEM, "ledger: SHA-256 failed");
    put_u64(h + 88, fast_sum(buf, len));
    if (!rc) rc = snap_part(l, 0, h, sizeof h);
    for (size_t at = 0, part = 1; !rc && at < len; at += SNAP_PART, part++)
        rc = snap_part(l, (int64_t)part, buf + at, len - at < SNAP_PART ? len - at : SNAP_PART);
    epv__free(l->ctx, buf);
    return rc;
}

/* A snapshot as read from the store, not yet checked. */
struct snap {
    unsigned char *buf; /* NULL: no snapshot at the last checkpoint */
    size_t len;
    unsigned char sha[32];
    uint64_t sum;
    struct epv__lcheckpoint cp; /* the last checkpoint */
};

static void snap_free(epv_ctx *c, struct snap *s)
{
    epv__free(c, s->buf);
    s->buf = NULL;
}

/* Read the last checkpoint's snapshot (s->buf NULL when there is none for that entry: the
 * caller replays instead). SQL: on the handle's thread only. */
static int snap_fetch(epv_ledger *l, struct snap *s)
{
    memset(s, 0, sizeof *s);
    struct epv__lcheckpoint *cps;
    size_t ncp;
    int rc = epv__lg_checkpoints(l, &cps, &ncp);
    if (rc || !ncp) return rc;
    s->cp = cps[ncp - 1];
    epv__free(l->ctx, cps);
    if (!epv__ls_has_table(&l->st, "snapshot")) return EPV_OK;
    epv__lq *st = NULL;
    rc = epv__lq_prepare(&l->st, "SELECT part, data FROM snapshot ORDER BY part", &st);
    if (rc != EPV__LQ_OK) return epv__lg_sqlerr(l, rc, "reading the snapshot");
    unsigned char *buf = NULL;
    size_t n = 0, total = 0;
    int err = EPV_OK, used = 0;
    int64_t expect = 0;
    while (!err && (rc = epv__lq_step(st)) == EPV__LQ_ROW) {
        const unsigned char *p = epv__lq_col_blob(st, 1);
        size_t pn = (size_t)epv__lq_col_bytes(st, 1);
        if (epv__lq_col_i64(st, 0) != expect++) {
            err = epv__error(l->ctx, EPV_ECORRUPT, "ledger: the snapshot's parts are not numbered 0, 1, ...");
        } else if (expect == 1) { /* the header: is it the checkpoint's? */
            if (pn != SNAP_HEADER || memcmp(p, snap_magic, 8))
                err = epv__error(l->ctx, EPV_ECORRUPT, "ledger: the snapshot's header is malformed");
            else if ((int64_t)epv__le64(p + 8) != s->cp.seq || memcmp(p + 16, s->cp.head, 32))
                break; /* a snapshot of another entry: not ours to use */
            else if ((total = (size_t)epv__le64(p + 48)) > ((size_t)1 << 40))
                err = epv__error(l->ctx, EPV_ECORRUPT, "ledger: the snapshot's header is malformed");
            else if (!(buf = epv__malloc(l->ctx, total ? total : 1)))
                err = EPV_ENOMEM;
            else {
                memcpy(s->sha, p + 56, 32);
                s->sum = epv__le64(p + 88);
                used = 1;
            }
        } else if (pn > total - n) {
            err = epv__error(l->ctx, EPV_ECORRUPT, "ledger: the snapshot is longer than its header says");
        } else {
            memcpy(buf + n, p, pn);
            n += pn;
        }
    }
    if (!err && rc != EPV__LQ_ROW && rc != EPV__LQ_DONE) err = epv__lg_sqlerr(l, rc, "reading the snapshot");
    epv__lq_finalize(st);
    if (!err && used && n != total)
        err = epv__error(l->ctx, EPV_ECORRUPT, "ledger: the snapshot is shorter than its header says");
    if (err || !used) {
        epv__free(l->ctx, buf);
        return err;
    }
    s->buf = buf;
    s->len = n;
    return EPV_OK;
}

/* The model in a fetched snapshot, its bytes checked first (the checksum; with `full` the
 * SHA-256 too). No SQL: any thread, with errors on its context `c`. */
static int snap_model(epv_ledger *l, epv_ctx *c, const struct snap *s, int full, struct epv__lrp **m)
{
    *m = NULL;
    unsigned char got[32];
    if (fast_sum(s->buf, s->len) != s->sum ||
        (full && (!EVP_Digest(s->buf, s->len, got, NULL, l->md_alg, NULL) || memcmp(got, s->sha, 32))))
        return epv__error(c, EPV_ECORRUPT, "ledger: the snapshot of the state at entry %lld is damaged (hash mismatch)",
                          (long long)s->cp.seq);
    return epv__lrp_load(l, c, s->buf, s->len, m);
}

/* The snapshot's verdict in full verification: its model must be the state the checkpoint
 * records (whose state the replay has checked). Any thread. */
static int snap_check(epv_ledger *l, epv_ctx *c, const struct snap *s)
{
    struct epv__lrp *m;
    unsigned char d[32];
    int rc = snap_model(l, c, s, 1, &m);
    if (!rc) rc = epv__lrp_digest(m, d);
    epv__lrp_free(m);
    if (!rc && memcmp(d, s->cp.state, 32))
        rc = epv__error(c, EPV_ECORRUPT, "ledger: the snapshot at entry %lld differs from a replay of the journal",
                        (long long)s->cp.seq);
    return rc;
}

int epv__lg_live_snapshot_load(epv_ledger *l, int *used)
{
    *used = 0;
    struct snap s;
    struct epv__lrp *m = NULL;
    int rc = snap_fetch(l, &s);
    if (!rc && s.buf) rc = snap_model(l, l->ctx, &s, 0, &m);
    snap_free(l->ctx, &s);
    if (rc || !m) return rc;
    int64_t seq;
    unsigned char h[32];
    epv__lrp_head(m, &seq, h);
    if (seq != s.cp.seq || memcmp(h, s.cp.head, 32)) {
        epv__lrp_free(m);
        return epv__error(l->ctx, EPV_ECORRUPT, "ledger: the snapshot is not at its checkpoint's entry %lld",
                          (long long)s.cp.seq);
    }
    epv__lrp_free(l->live);
    l->live = m;
    l->live_stale = 0;
    *used = 1;
    return EPV_OK;
}

/* ---- full verification's second thread ----------------------------------------------------
 * While the handle's thread replays the journal, a second thread digests the live model (the
 * state the replay must reach) and checks the snapshot, whose bytes the handle's thread reads
 * first (the store's connection is used by one thread only). It has its own context; its
 * messages are handed over at the join. Meanwhile nothing else may read the live model: a
 * progress callback must not query the ledger during such a verification (a query would sync
 * and read the model, whose search hints and key index the digest updates). */
struct epv__lside {
    epv_ledger *l;
    epv_ctx *c;
    pthread_t th;
    struct epv__lrp *live; /* NULL: no live model to digest (an open builds it) */
    unsigned char live_d[32];
    int live_rc, snap_rc;
    char live_msg[EPV_ERRMSG_MAX], snap_msg[EPV_ERRMSG_MAX];
    struct snap s;
};

static void *side_main(void *arg)
{
    struct epv__lside *sd = arg;
    if (sd->live) {
        epv_ctx *own = epv__lrp_swap_ctx(sd->live, sd->c); /* (the handle's thread does not touch it) */
        sd->live_rc = epv__lrp_digest(sd->live, sd->live_d);
        if (sd->live_rc) snprintf(sd->live_msg, sizeof sd->live_msg, "%s", epv_ctx_errmsg(sd->c));
        epv__lrp_swap_ctx(sd->live, own);
    }
    if (sd->s.buf) {
        sd->snap_rc = snap_check(sd->l, sd->c, &sd->s);
        if (sd->snap_rc) snprintf(sd->snap_msg, sizeof sd->snap_msg, "%s", epv_ctx_errmsg(sd->c));
    }
    return NULL;
}

int epv__lg_live_side_start(epv_ledger *l, struct epv__lrp *live, int snapshot, struct epv__lside **out)
{
    *out = NULL;
    if (l->ctx->nthreads < 2) return EPV_OK;
    struct epv__lside *sd = epv__calloc(l->ctx, 1, sizeof *sd);
    if (!sd) return EPV_ENOMEM;
    sd->l = l;
    sd->live = live;
    int rc = snapshot ? snap_fetch(l, &sd->s) : EPV_OK;
    if (!rc && epv_ctx_new_with_allocator(&sd->c, &l->ctx->alloc)) rc = EPV_ENOMEM;
    if (!rc && pthread_create(&sd->th, NULL, side_main, sd)) rc = epv__error(l->ctx, EPV_ENOMEM, "ledger: no thread");
    if (rc) {
        snap_free(l->ctx, &sd->s);
        if (sd->c) epv_ctx_free(sd->c);
        epv__free(l->ctx, sd);
        return rc;
    }
    *out = sd;
    return EPV_OK;
}

int epv__lg_live_side_join(epv_ledger *l, struct epv__lside *sd, unsigned char live_d[32], int *snap_rc)
{
    pthread_join(sd->th, NULL);
    int rc = sd->live_rc;
    if (rc) epv__error(l->ctx, rc, "%s", sd->live_msg);
    else if (live_d) memcpy(live_d, sd->live_d, 32);
    *snap_rc = sd->snap_rc;
    if (!rc && sd->snap_rc) epv__error(l->ctx, sd->snap_rc, "%s", sd->snap_msg);
    snap_free(l->ctx, &sd->s);
    epv_ctx_free(sd->c);
    epv__free(l->ctx, sd);
    return rc;
}

int epv__lg_live_snapshot_check(epv_ledger *l)
{
    struct snap s;
    int rc = snap_fetch(l, &s);
    if (!rc && s.buf) rc = snap_check(l, l->ctx, &s);
    snap_free(l->ctx, &s);
    return rc;
}
