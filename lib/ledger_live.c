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

/* A request id seen before: the same operation returns its recorded results; another one is
 * refused. The recorded entry's body is read back to compare the arguments byte for byte. */
static int repeat(epv_ledger *l, const struct epv__lop *op, int64_t seq, const unsigned char *body, size_t len)
{
    static const char *const sql = "SELECT body FROM journal WHERE seq = ?";
    if (l->replaying)
        return epv__error(l->ctx, EPV_ECORRUPT, "request_id '%s' appears twice in the journal", op->req);
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
    int same = (size_t)epv__lq_col_bytes(st, 0) == len && !memcmp(epv__lq_col_blob(st, 0), body, len);
    epv__lq_reset(st);
    if (!same)
        return epv__error(l->ctx, EPV_EEXISTS, "request_id '%s' was already used for a different operation",
                          op->req);
    return EPV_OK;
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
 * count, the SHA-256 of the bytes, a fast checksum of them); parts 1.. hold the bytes of epv__lrp_save() in pieces of at
 * most SNAP_PART bytes, so that no single value grows with the ledger (a PostgreSQL bytea holds
 * at most 1 GB). Only the last checkpoint's snapshot is kept. Like the derived tables of the
 * other layout, a snapshot is trusted by the fast open and checked by every full verification
 * (the replay's digest against the live model's). */
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

static int sha256(epv_ledger *l, const unsigned char *p, size_t n, unsigned char out[32])
{
    if (!EVP_Digest(p, n, out, NULL, l->md_alg, NULL)) return epv__error(l->ctx, EPV_ENOMEM, "ledger: SHA-256 failed");
    return EPV_OK;
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
    rc = sha256(l, buf, len, h + 56);
    put_u64(h + 88, fast_sum(buf, len));
    if (!rc) rc = snap_part(l, 0, h, sizeof h);
    for (size_t at = 0, part = 1; !rc && at < len; at += SNAP_PART, part++)
        rc = snap_part(l, (int64_t)part, buf + at, len - at < SNAP_PART ? len - at : SNAP_PART);
    epv__free(l->ctx, buf);
    return rc;
}

/* The snapshot's bytes, checked against its header's checksum, and with `full` its SHA-256
 * (NULL when there is none at entry `seq` with hash `head`: the caller replays instead). */
static int snap_read(epv_ledger *l, int64_t seq, const unsigned char head[32], int full, unsigned char **out,
                     size_t *len)
{
    *out = NULL;
    *len = 0;
    if (!epv__ls_has_table(&l->st, "snapshot")) return EPV_OK;
    epv__lq *st = NULL;
    int rc = epv__lq_prepare(&l->st, "SELECT part, data FROM snapshot ORDER BY part", &st);
    if (rc != EPV__LQ_OK) return epv__lg_sqlerr(l, rc, "reading the snapshot");
    unsigned char want[32], *buf = NULL;
    uint64_t want_sum = 0;
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
            else if ((int64_t)epv__le64(p + 8) != seq || memcmp(p + 16, head, 32))
                break; /* a snapshot of another entry: not ours to use */
            else if ((total = (size_t)epv__le64(p + 48)) > ((size_t)1 << 40))
                err = epv__error(l->ctx, EPV_ECORRUPT, "ledger: the snapshot's header is malformed");
            else if (!(buf = epv__malloc(l->ctx, total ? total : 1)))
                err = EPV_ENOMEM;
            else {
                memcpy(want, p + 56, 32);
                want_sum = epv__le64(p + 88);
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
    if (!err && used) {
        unsigned char got[32];
        if (n != total)
            err = epv__error(l->ctx, EPV_ECORRUPT, "ledger: the snapshot is shorter than its header says");
        else if (fast_sum(buf, n) != want_sum || (full && !(err = sha256(l, buf, n, got)) && memcmp(got, want, 32)))
            err = epv__error(l->ctx, EPV_ECORRUPT, "ledger: the snapshot of the state at entry %lld is damaged"
                                                   " (hash mismatch)", (long long)seq);
    }
    if (err || !used) {
        epv__free(l->ctx, buf);
        return err;
    }
    *out = buf;
    *len = n;
    return EPV_OK;
}

/* The model in the last checkpoint's snapshot (*m NULL when there is none at that entry), and
 * that checkpoint. full: check the bytes' SHA-256 too. */
static int snap_model(epv_ledger *l, int full, struct epv__lcheckpoint *c, struct epv__lrp **m)
{
    *m = NULL;
    struct epv__lcheckpoint *cp;
    size_t ncp;
    int rc = epv__lg_checkpoints(l, &cp, &ncp);
    if (rc || !ncp) return rc;
    *c = cp[ncp - 1];
    epv__free(l->ctx, cp);
    unsigned char *buf;
    size_t len;
    if ((rc = snap_read(l, c->seq, c->head, full, &buf, &len)) || !buf) return rc;
    rc = epv__lrp_load(l, buf, len, m);
    epv__free(l->ctx, buf);
    return rc;
}

int epv__lg_live_snapshot_load(epv_ledger *l, int *used)
{
    *used = 0;
    struct epv__lcheckpoint c;
    struct epv__lrp *m;
    int rc = snap_model(l, 0, &c, &m);
    if (rc || !m) return rc;
    int64_t seq;
    unsigned char h[32];
    epv__lrp_head(m, &seq, h);
    if (seq != c.seq || memcmp(h, c.head, 32)) {
        epv__lrp_free(m);
        return epv__error(l->ctx, EPV_ECORRUPT, "ledger: the snapshot is not at its checkpoint's entry %lld",
                          (long long)c.seq);
    }
    epv__lrp_free(l->live);
    l->live = m;
    l->live_stale = 0;
    *used = 1;
    return EPV_OK;
}

int epv__lg_live_snapshot_check(epv_ledger *l)
{
    struct epv__lcheckpoint c;
    struct epv__lrp *m;
    unsigned char d[32];
    int rc = snap_model(l, 1, &c, &m);
    if (rc || !m) return rc;
    rc = epv__lrp_digest(m, d);
    epv__lrp_free(m);
    if (!rc && memcmp(d, c.state, 32))
        rc = epv__error(l->ctx, EPV_ECORRUPT, "ledger: the snapshot at entry %lld differs from a replay of the journal",
                        (long long)c.seq);
    return rc;
}
