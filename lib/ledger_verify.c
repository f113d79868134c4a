/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Verification, beside the operations: the chain walk (numbering, links, hashes, head), the
 * replay of the journal into an in-memory copy through the operations' own code, the state
 * digest of the derived tables and the integrity invariants. Reads only; every public entry
 * point reads one snapshot. */
#include "config.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <string.h>

#include "ledger_verify_int.h"

/* Walk the journal in order, checking numbering, links and hashes; calls fn for each
 * decoded entry if given. */
typedef int (*entry_fn)(epv_ledger *l, int64_t seq, const unsigned char *body, size_t len,
                        const unsigned char hash[32], void *payload);

/* The journal's req column must be the request id inside the hashed body (u8 version, u8
 * kind, u32 length, id), so the column is covered by the hash too. */
static int req_matches(const unsigned char *body, size_t len, const unsigned char *req, size_t rlen)
{
    if (len < 6) return 0;
    size_t n = ((size_t)body[2] << 24) | ((size_t)body[3] << 16) | ((size_t)body[4] << 8) | body[5];
    return n == rlen && n <= len - 6 && (n == 0 || memcmp(body + 6, req, n) == 0);
}

/* Walk from entry from_seq + 1 (from_seq = 0: the whole journal; otherwise from_hash is the
 * verified hash of entry from_seq). */
const char *const epv__lg_sql_journal_page =
    "SELECT seq, kind, body, prev_hash, hash, req FROM journal WHERE seq > ? ORDER BY seq LIMIT 50000";

int epv__lg_journal_row(epv__lq *st, void *md, const void *md_alg, int64_t expect, const unsigned char prev[32],
                        unsigned char hash[32], const unsigned char **body_out, size_t *len_out)
{
    int64_t seq = epv__lq_col_i64(st, 0);
    const unsigned char *body = epv__lq_col_blob(st, 2);
    size_t len = (size_t)epv__lq_col_bytes(st, 2);
    *body_out = body;
    *len_out = len;
    if (seq != expect) return EPV__LROW_MISSING;
    if (epv__lq_col_bytes(st, 3) != 32 || memcmp(epv__lq_col_blob(st, 3), prev, 32)) return EPV__LROW_LINK;
    if (!body || len < 2 || (int)epv__lq_col_i64(st, 1) != body[1]) return EPV__LROW_KIND;
    if (epv__lg_entry_hash_md(md, md_alg, prev, seq, body, len, hash)) return EPV__LROW_SHA;
    if (epv__lq_col_bytes(st, 4) != 32 || memcmp(epv__lq_col_blob(st, 4), hash, 32)) return EPV__LROW_ALTERED;
    if (epv__lq_col_type(st, 5) != EPV__LQ_TEXT ||
        !req_matches(body, len, epv__lq_col_text(st, 5), (size_t)epv__lq_col_bytes(st, 5)))
        return EPV__LROW_REQ;
    return EPV__LROW_OK;
}

static int walk_chain_from(epv_ledger *l, int64_t from_seq, const unsigned char *from_hash,
                           int64_t *entries, entry_fn fn, void *payload,
                           const struct epv__lwalk *wp)
{
    /* In pages (all inside the caller's one snapshot): a PostgreSQL result is held in memory
     * whole, and a journal of millions of entries should not be. */
    epv__lq *st = NULL;
    int rc = epv__lq_prepare(&l->st, epv__lg_sql_journal_page, &st);
    if (rc != EPV__LQ_OK) return epv__lg_sqlerr(l, rc, "reading the journal");
    unsigned char prev[32], h[32];
    memset(prev, 0, 32);
    if (from_seq > 0) memcpy(prev, from_hash, 32);
    int64_t expect = from_seq + 1;
    int err = EPV_OK;
    for (;;) {
        int64_t page_start = expect;
        epv__lq_reset(st);
        epv__lq_bind_i64(st, 1, expect - 1);
        while ((rc = epv__lq_step(st)) == EPV__LQ_ROW) {
            const unsigned char *body;
            size_t len;
            int64_t seq = expect;
            int why = epv__lg_journal_row(st, l->md, l->md_alg, expect, prev, h, &body, &len);
            if (why == EPV__LROW_MISSING)
                err = epv__error(l->ctx, EPV_ECORRUPT, "journal: entry %lld is missing", (long long)expect);
            else if (why == EPV__LROW_LINK)
                err = epv__error(l->ctx, EPV_ECORRUPT, "journal entry %lld: prev_hash does not link", (long long)seq);
            else if (why == EPV__LROW_KIND)
                err = epv__error(l->ctx, EPV_ECORRUPT, "journal entry %lld: kind does not match body", (long long)seq);
            else if (why == EPV__LROW_SHA)
                err = epv__error(l->ctx, EPV_ENOMEM, "ledger: SHA-256 failed");
            else if (why == EPV__LROW_ALTERED)
                err = epv__error(l->ctx, EPV_ECORRUPT, "journal entry %lld: hash mismatch (entry altered)",
                                 (long long)seq);
            else if (why == EPV__LROW_REQ)
                err = epv__error(l->ctx, EPV_ECORRUPT,
                                 "journal entry %lld: request id column differs from the hashed body", (long long)seq);
            if (err) break;
            if (wp && ((seq - from_seq) & 4095) == 1 &&
                (err = epv__progress(l->ctx,
                                     wp->lo + (wp->hi - wp->lo) * (double)(seq - from_seq - 1) /
                                                  (double)(wp->total - from_seq > 0 ? wp->total - from_seq : 1),
                                     wp->msg)))
                break;
            if (fn && (err = fn(l, seq, body, len, h, payload))) break;
            memcpy(prev, h, 32);
            expect++;
        }
        if (err || rc != EPV__LQ_DONE || expect - page_start < EPV__L_JOURNAL_PAGE) break;
    }
    if (!err && rc != EPV__LQ_DONE) err = epv__lg_sqlerr(l, rc, "reading the journal");
    epv__lq_finalize(st);
    if (err) return err;
    int64_t n = expect - 1;
    if (n == 0) return epv__error(l->ctx, EPV_ECORRUPT, "journal is empty (no genesis entry)");
    int64_t saved_seq = l->head_seq;
    unsigned char saved[32];
    memcpy(saved, l->head_hash, 32);
    err = epv__lg_load_head(l);
    if (!err && (l->head_seq != n || memcmp(l->head_hash, prev, 32)))
        err = epv__error(l->ctx, EPV_ECORRUPT,
                         "journal truncated or head altered: head says %lld entries, chain has %lld",
                         (long long)l->head_seq, (long long)n);
    if (err && l->in_batch) {
        l->head_seq = saved_seq;
        memcpy(l->head_hash, saved, 32);
    }
    if (entries) *entries = n;
    return err;
}

static int walk_chain(epv_ledger *l, int64_t *entries, entry_fn fn, void *payload,
                      const struct epv__lwalk *wp)
{
    return walk_chain_from(l, 0, NULL, entries, fn, payload, wp);
}

/* Number of entries the head row claims (inside a batch: the in-memory head). */
static int64_t head_count(epv_ledger *l)
{
    int64_t saved = l->head_seq;
    unsigned char h[32];
    memcpy(h, l->head_hash, 32);
    int64_t n = epv__lg_load_head(l) ? 0 : l->head_seq;
    if (l->in_batch) {
        l->head_seq = saved;
        memcpy(l->head_hash, h, 32);
    }
    return n;
}

int epv__lg_verify_chain(epv_ledger *l, int64_t *entries)
{
    struct epv__lwalk wp = { 0.0, 1.0, head_count(l), "checking the hash chain" };
    return walk_chain(l, entries, NULL, NULL, &wp);
}

int epv__lrv_one(epv_ledger *l, int64_t seq, const unsigned char *body, size_t len, const unsigned char hash[32],
                 void *payload)
{
    struct epv__lreplay *rp = payload;
    struct epv__lop op;
    char *arena;
    int rc = epv__lg_decode(l->ctx, body, len, &op, &arena);
    if (rc) {
        epv__error_prefix(l->ctx, "journal entry %lld", (long long)seq);
        return rc;
    }
    /* The hash covers the body and the rules see the decoded operation: the two must be the
     * same thing, i.e. the body must be the canonical encoding of what it decodes to. The
     * decoder guarantees it (epv__lg_decode: version byte 1, every length exact, no NUL in a
     * string, nothing left over), so encoding again would only repeat its checks. */
    rc = epv__lrp_apply(rp->m, &op, seq, hash);
    if (rc) {
        epv__error_prefix(l->ctx, "journal entry %lld (%s) does not replay", (long long)seq,
                          op.kind >= 1 && op.kind <= EPV__L_KIND_MAX ? epv__lkinds[op.kind].name : "?");
        rc = EPV_ECORRUPT;
    }
    epv__free(l->ctx, arena);
    /* a checkpoint at this height must be what the replay has here: same head, same state */
    while (!rc && rp->next < rp->ncp && rp->cp[rp->next].seq <= seq) {
        const struct epv__lcheckpoint *c = &rp->cp[rp->next++];
        unsigned char d[32];
        if (c->seq != seq) continue; /* beyond the journal: reported after the walk */
        int want_state = seq == rp->state_seq ||
                         (rp->extra && seq == rp->extra->seq && !memcmp(c->state, rp->extra->state, 32));
        if (!want_state) {
            if (memcmp(c->head, hash, 32))
                rc = epv__error(l->ctx, EPV_ECORRUPT, "checkpoint at entry %lld differs from a replay of the journal (head)",
                                (long long)seq);
            continue;
        }
        if (seq == rp->last && !memcmp(c->head, hash, 32)) {
            rp->at_last = c;
            continue;
        }
        rc = epv__lrp_digest(rp->m, d);
        if (!rc && (memcmp(c->head, hash, 32) || memcmp(c->state, d, 32)))
            rc = epv__error(l->ctx, EPV_ECORRUPT,
                            "checkpoint at entry %lld differs from a replay of the journal (%s)",
                            (long long)seq, memcmp(c->head, hash, 32) ? "head" : "state");
    }
    return rc;
}

/* Set up a replay: the stored checkpoints, and an outside one (an anchor) in its place. */
int epv__lrv_init(epv_ledger *l, const struct epv__lcheckpoint *extra, struct epv__lreplay *rp)
{
    memset(rp, 0, sizeof *rp);
    rp->last = head_count(l);
    rp->state_seq = -1;
    rp->extra = extra;
    int rc = epv__lg_checkpoints(l, &rp->cp, &rp->ncp);
    if (rc) return rc;
    if (rp->ncp) rp->state_seq = rp->cp[rp->ncp - 1].seq;
    if (extra) {
        size_t cap = rp->ncp;
        if (epv__grow(l->ctx, (void **)&rp->cp, &cap, rp->ncp + 1, sizeof *rp->cp)) return EPV_ENOMEM;
        size_t k = rp->ncp;
        while (k > 0 && rp->cp[k - 1].seq > extra->seq) {
            rp->cp[k] = rp->cp[k - 1];
            k--;
        }
        rp->cp[k] = *extra;
        rp->ncp++;
    }
    return epv__lrp_new(l, &rp->m);
}

void epv__lrv_free(epv_ledger *l, struct epv__lreplay *rp)
{
    epv__free(l->ctx, rp->cp);
    epv__lrp_free(rp->m);
    memset(rp, 0, sizeof *rp);
}

/* After the walk: the checks that compare the replay with the stored tables' digest `a`
 * (computed by the caller) and with the checkpoints, then the invariants. */
int epv__lrv_conclude(epv_ledger *l, struct epv__lreplay *rp, const struct epv__lwalk *wp,
                           const unsigned char a[32], const unsigned char *model_digest, int invariants)
{
    int rc = EPV_OK;
    unsigned char b[32];
    if (rp->next < rp->ncp)
        return epv__error(l->ctx, EPV_ECORRUPT, "checkpoint at entry %lld is beyond the journal (truncated)",
                          (long long)rp->cp[rp->next].seq);
    if (wp && (rc = epv__progress(l->ctx, 0.9, "digesting the replayed state"))) return rc;
    if (model_digest) memcpy(b, model_digest, 32); /* (already computed beside the other thread) */
    else if ((a || rp->at_last) && (rc = epv__lrp_digest(rp->m, b))) return rc;
    if (rp->at_last && memcmp(rp->at_last->state, b, 32))
        return epv__error(l->ctx, EPV_ECORRUPT, "checkpoint at entry %lld differs from a replay of the journal (state)",
                          (long long)rp->at_last->seq);
    if (a && memcmp(a, b, 32)) return epv__error(l->ctx, EPV_ECORRUPT, "derived state differs from a replay of the journal");
    if (invariants && !(rc = epv__progress(l->ctx, 0.95, "checking invariants"))) rc = epv__lrp_check_invariants(rp->m);
    return rc;
}

/* One connection: walk and replay, then the stored tables' digest. */
static int verify_replay_here(epv_ledger *l, const struct epv__lwalk *wp,
                              const struct epv__lcheckpoint *extra, int invariants, int quick)
{
    struct epv__lreplay rp;
    int rc = epv__lrv_init(l, extra, &rp);
    if (!rc && quick) rc = epv__ls_quick_check(&l->st);
    if (!rc) rc = walk_chain(l, NULL, epv__lrv_one, &rp, wp);
    unsigned char a[32];
    if (!rc && wp) rc = epv__progress(l->ctx, 0.8, "digesting the stored tables");
    if (!rc) rc = epv__lg_digest(l, a);
    if (!rc) rc = epv__lrv_conclude(l, &rp, wp, a, NULL, invariants);
    epv__lrv_free(l, &rp);
    return rc;
}

/* Replay into the in-memory model (ledger_replay.c); the walk checks the chain and head at the
 * same time; then the stored tables' digest must equal the model's. With two threads the work
 * is shared with a second connection (ledger_verify_two.c). */
static int verify_replay(epv_ledger *l, const struct epv__lwalk *wp,
                         const struct epv__lcheckpoint *extra, int invariants, int quick)
{
    int rc;
    if (!l->live && l->ctx->nthreads >= 2 && head_count(l) >= epv__lg_side_min_entries &&
        epv__lg_verify_two(l, wp, extra, invariants, quick, &rc))
        return rc;
    return verify_replay_here(l, wp, extra, invariants, quick);
}

int epv__lg_checkpoints(epv_ledger *l, struct epv__lcheckpoint **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    if (!epv__ls_has_table(&l->st, "checkpoints")) return EPV_OK;
    epv__lq *st = NULL;
    int rc = epv__lq_prepare(&l->st, "SELECT seq, head, state FROM checkpoints ORDER BY seq", &st);
    if (rc != EPV__LQ_OK) return epv__lg_sqlerr(l, rc, "reading checkpoints");
    size_t cap = 0;
    int err = EPV_OK;
    while ((rc = epv__lq_step(st)) == EPV__LQ_ROW) {
        if (epv__grow(l->ctx, (void **)out, &cap, *n + 1, sizeof **out)) {
            err = EPV_ENOMEM;
            break;
        }
        struct epv__lcheckpoint *c = &(*out)[*n];
        c->seq = epv__lq_col_i64(st, 0);
        if (epv__lq_col_bytes(st, 1) != 32 || epv__lq_col_bytes(st, 2) != 32) {
            err = epv__error(l->ctx, EPV_ECORRUPT, "checkpoint %lld is malformed", (long long)c->seq);
            break;
        }
        memcpy(c->head, epv__lq_col_blob(st, 1), 32);
        memcpy(c->state, epv__lq_col_blob(st, 2), 32);
        (*n)++;
    }
    if (!err && rc != EPV__LQ_DONE) err = epv__lg_sqlerr(l, rc, "reading checkpoints");
    epv__lq_finalize(st);
    if (err) {
        epv__free(l->ctx, *out);
        *out = NULL;
        *n = 0;
    }
    return err;
}

int epv__lg_verify_since_checkpoint(epv_ledger *l, int *used)
{
    *used = 0;
    struct epv__lcheckpoint *cp;
    size_t n;
    int rc = epv__lg_checkpoints(l, &cp, &n);
    if (rc || n == 0) return rc;
    struct epv__lcheckpoint c = cp[n - 1];
    epv__free(l->ctx, cp);
    *used = 1;
    /* the checkpoint must sit on the journal: entry c.seq has exactly that hash */
    epv__lq *st = NULL;
    rc = epv__lq_prepare(&l->st, "SELECT hash FROM journal WHERE seq = ?", &st);
    if (rc != EPV__LQ_OK) return epv__lg_sqlerr(l, rc, "reading the journal");
    epv__lq_bind_i64(st, 1, c.seq);
    rc = epv__lq_step(st);
    int err = EPV_OK;
    if (rc == EPV__LQ_DONE)
        err = epv__error(l->ctx, EPV_ECORRUPT, "journal truncated: checkpoint at entry %lld, no such entry",
                         (long long)c.seq);
    else if (rc != EPV__LQ_ROW)
        err = epv__lg_sqlerr(l, rc, "reading the journal");
    else if (epv__lq_col_bytes(st, 0) != 32 || memcmp(epv__lq_col_blob(st, 0), c.head, 32))
        err = epv__error(l->ctx, EPV_ECORRUPT,
                         "journal entry %lld differs from its verified checkpoint (entry or checkpoint altered)",
                         (long long)c.seq);
    epv__lq_finalize(st);
    if (err) return err;
    struct epv__lwalk wp = { 0.0, 1.0, head_count(l), "checking entries since the last checkpoint" };
    rc = walk_chain_from(l, c.seq, c.head, NULL, NULL, NULL, &wp);
    if (!rc) rc = epv__progress(l->ctx, 1.0, "verified since the last checkpoint");
    return rc;
}

int epv__lg_verify_full(epv_ledger *l) { return epv__lg_verify_full_with(l, NULL); }

static int verify_full(epv_ledger *l, const struct epv__lcheckpoint *extra, int quick)
{
    struct epv__lwalk wp = { 0.0, 0.8, head_count(l), "replaying the journal" };
    /* live layout: a stale model (none yet, on open) is replaced by the replay's, a current one
     * must equal it */
    int rc = l->live ? epv__lg_live_verify(l, &wp, extra, quick, l->live_stale, 1)
                     : verify_replay(l, &wp, extra, 1, quick);
    if (!rc) rc = epv__progress(l->ctx, 1.0, "verified");
    return rc;
}

int epv__lg_verify_full_with(epv_ledger *l, const struct epv__lcheckpoint *extra)
{
    return verify_full(l, extra, 0);
}

int epv__lg_verify_store(epv_ledger *l) { return verify_full(l, NULL, 1); }

/* ---- the live layout's model ----------------------------------------------------------- */

int epv__lg_live_verify(epv_ledger *l, const struct epv__lwalk *wp, const struct epv__lcheckpoint *extra, int quick,
                        int keep, int snapshot)
{
    /* inside a batch the head row may lag behind the entries: the walk ends at the row */
    int rc = epv__lg_flush_head(l);
    if (!rc && !keep) rc = epv__lg_live_sync(l); /* the state the replay must reach */
    if (rc) return rc;
    struct epv__lside *side = NULL;
    if ((snapshot || !keep) && (rc = epv__lg_live_side_start(l, keep ? NULL : l->live, snapshot, &side))) return rc;
    struct epv__lreplay rp;
    rc = epv__lrv_init(l, extra, &rp);
    if (!rc && quick) rc = epv__ls_quick_check(&l->st);
    if (!rc) rc = walk_chain(l, NULL, epv__lrv_one, &rp, wp);
    unsigned char live_d[32];
    int snap_rc = EPV_OK, side_rc = EPV_OK;
    if (side) { /* joined whatever happened, before the context is used again */
        char msg[EPV_ERRMSG_MAX];
        snprintf(msg, sizeof msg, "%s", epv_ctx_errmsg(l->ctx));
        side_rc = epv__lg_live_side_join(l, side, live_d, &snap_rc);
        if (rc) epv__error(l->ctx, rc, "%s", msg); /* the replay's error comes first */
    } else if (!rc && !keep) {
        rc = epv__lrp_digest(l->live, live_d);
    }
    if (!rc) rc = side_rc;
    if (!rc && wp) rc = epv__progress(l->ctx, 0.8, "digesting the replayed state");
    if (!rc) rc = epv__lrv_conclude(l, &rp, wp, keep ? NULL : live_d, NULL, 1);
    if (!rc && snapshot) {
        if (side) {
            rc = snap_rc; /* (its message was put on the context by the join) */
        } else {
            rc = epv__lg_live_snapshot_check(l);
        }
    }
    if (!rc && keep) {
        epv__lrp_free(l->live);
        l->live = rp.m;
        rp.m = NULL;
        l->live_stale = 0;
    }
    epv__lrv_free(l, &rp);
    return rc;
}

int epv__lg_live_sync(epv_ledger *l)
{
    if (!l->live) return EPV_OK;
    if (l->live_stale) return epv__lg_live_verify(l, NULL, NULL, 0, 1, 0);
    if (l->in_batch) return EPV_OK; /* the model is the batch's own state */
    int64_t seq;
    unsigned char h[32];
    epv__lrp_head(l->live, &seq, h);
    int rc = epv__lg_load_head(l);
    if (rc) return rc;
    if (l->head_seq == seq && !memcmp(l->head_hash, h, 32)) return EPV_OK;
    if (l->head_seq < seq) return epv__lg_live_verify(l, NULL, NULL, 0, 1, 0); /* (a rollback we did not see) */
    /* entries other handles committed since: verified from our last one and applied */
    struct epv__lreplay rp;
    memset(&rp, 0, sizeof rp);
    rp.m = l->live;
    rp.last = -1;
    rc = walk_chain_from(l, seq, h, NULL, epv__lrv_one, &rp, NULL);
    if (rc) l->live_stale = 1;
    return rc;
}

const char *const epv__ld_tables[EPV__LD_NTABLES] = {
    "SELECT * FROM head ORDER BY id",
    "SELECT * FROM meta ORDER BY key",
    "SELECT * FROM requests ORDER BY req",
    "SELECT * FROM accounts ORDER BY id",
    "SELECT * FROM projects ORDER BY id",
    "SELECT * FROM periods ORDER BY project, num",
    "SELECT * FROM verifications ORDER BY report",
    "SELECT * FROM issuances ORDER BY seq",
    "SELECT * FROM blocks ORDER BY project, start",
    "SELECT * FROM totals ORDER BY project, vintage",
    "SELECT * FROM retirements ORDER BY cert",
    "SELECT * FROM events ORDER BY project, start, seq, n",
};

static void dig_flush(struct epv__ldig *d)
{
    if (d->n) EVP_DigestUpdate(d->md, d->b, d->n);
    d->n = 0;
}

void epv__ldig_put_slow(struct epv__ldig *d, const void *p, size_t n)
{
    dig_flush(d);
    if (n > sizeof d->b) EVP_DigestUpdate(d->md, p, n);
    else {
        memcpy(d->b, p, n);
        d->n = n;
    }
}

int epv__ldig_begin(epv_ctx *ctx, const void *md_alg, struct epv__ldig *d)
{
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    d->n = 0;
    d->md = md;
    if (!md || EVP_DigestInit_ex(md, md_alg, NULL) != 1) {
        EVP_MD_CTX_free(md);
        d->md = NULL;
        return epv__error(ctx, EPV_ENOMEM, "ledger: SHA-256 failed");
    }
    return EPV_OK;
}

void epv__ldig_table(struct epv__ldig *d, int table)
{
    epv__ldig_put(d, epv__ld_tables[table], strlen(epv__ld_tables[table]) + 1);
}

void epv__ldig_other(struct epv__ldig *d, int type)
{
    unsigned char t = (unsigned char)type;
    epv__ldig_put(d, &t, 1);
}

int epv__ldig_end(epv_ctx *ctx, struct epv__ldig *d, unsigned char out[32])
{
    int err = EPV_OK;
    unsigned int olen;
    if (out) {
        dig_flush(d);
        if (EVP_DigestFinal_ex(d->md, out, &olen) != 1) err = epv__error(ctx, EPV_ENOMEM, "ledger: SHA-256 failed");
    }
    EVP_MD_CTX_free(d->md);
    d->md = NULL;
    return err;
}

/* Digest of every derived table of a store in key order, column types included. */
int epv__lg_digest_store(struct epv__lstore *st, const void *md_alg, unsigned char out[32])
{
    struct epv__ldig db;
    int err = epv__ldig_begin(st->ctx, md_alg, &db);
    if (err) return err;
    for (int t = 0; t < EPV__LD_NTABLES && !err; t++) {
        epv__lq *q = NULL;
        int rc = epv__lq_prepare(st, epv__ld_tables[t], &q);
        if (rc != EPV__LQ_OK) {
            err = epv__ls_sqlerr(st, rc, "state digest");
            break;
        }
        epv__ldig_table(&db, t);
        while ((rc = epv__lq_step(q)) == EPV__LQ_ROW) {
            int nc = epv__lq_col_count(q);
            for (int c = 0; c < nc; c++) {
                int64_t iv = 0;
                const void *p = NULL;
                size_t n = 0;
                int ty = epv__lq_col_any(q, c, &iv, &p, &n);
                if (ty == EPV__LQ_INTEGER) epv__ldig_int(&db, iv);
                else if (ty == EPV__LQ_TEXT) epv__ldig_text(&db, p, n);
                else if (ty == EPV__LQ_BLOB) epv__ldig_blob(&db, p, n);
                else epv__ldig_other(&db, ty);
            }
        }
        if (rc != EPV__LQ_DONE) err = epv__ls_sqlerr(st, rc, "state digest");
        epv__lq_finalize(q);
    }
    int e2 = epv__ldig_end(st->ctx, &db, err ? NULL : out);
    return err ? err : e2;
}

int epv__lg_digest(epv_ledger *l, unsigned char out[32])
{
    if (l->live) { /* the live layout's state is its model */
        int rc = epv__lg_live_sync(l);
        return rc ? rc : epv__lrp_digest(l->live, out);
    }
    int err = epv__lg_flush_head(l); /* the head row must be current (inside a batch) */
    return err ? err : epv__lg_digest_store(&l->st, l->md_alg, out);
}

EPV_API int epv_ledger_verify_chain(epv_ledger *l, epv_i64 *entries_out)
{
    if (!l) return EPV_EINVAL;
    int64_t n = 0;
    int rc = epv__lg_read_begin(l);
    if (rc) return rc;
    rc = epv__lg_read_end(l, epv__lg_verify_chain(l, &n));
    if (entries_out) *entries_out = n;
    return rc;
}

EPV_API int epv_ledger_verify(epv_ledger *l)
{
    if (!l) return EPV_EINVAL;
    /* chain walk, head, replay and invariants all read the same snapshot */
    int rc = epv__lg_read_begin(l);
    if (rc) return rc;
    return epv__lg_read_end(l, epv__lg_verify_full(l));
}

EPV_API int epv_ledger_state_digest(epv_ledger *l, unsigned char *digest_out)
{
    if (!l || !digest_out) return EPV_EINVAL;
    int rc = epv__lg_read_begin(l);
    if (rc) return rc;
    return epv__lg_read_end(l, epv__lg_digest(l, digest_out));
}

static int prep(epv_ledger *l, const char *sql, epv__lq **st)
{
    int rc = epv__lq_prepare(&l->st, sql, st);
    return rc == EPV__LQ_OK ? EPV_OK : epv__lg_sqlerr(l, rc, "query");
}

/* Each query returns a row only when an invariant is broken; the text says which. */
static const struct {
    const char *what;
    const char *sql;
} checks[] = {
    { "13 reversal obligations are non-negative and belong to a project",
      "SELECT m.key, m.ival FROM meta m LEFT JOIN projects p ON m.key = 'obligation:' || p.id"
      " WHERE m.key LIKE 'obligation:%' AND (m.ival < 0 OR p.id IS NULL) LIMIT 1" },
    /* Aggregates are joined rather than correlated, so each check is one pass over blocks. */
    { "1 conservation: issued differs from held + buffer + retired + cancelled",
      "SELECT t.project, t.vintage FROM totals t LEFT JOIN (SELECT project, vintage, SUM(\"end\" - start + 1) AS n"
      " FROM blocks GROUP BY project, vintage) b ON b.project = t.project AND b.vintage = t.vintage"
      " WHERE COALESCE(b.n, 0) <> t.issued LIMIT 1" },
    { "1 conservation: units without an issuance total",
      "SELECT b.project, b.start FROM blocks b WHERE NOT EXISTS (SELECT 1 FROM totals t WHERE"
      " t.project = b.project AND t.vintage = b.vintage) LIMIT 1" },
    { "2 block count below 1", "SELECT project, start FROM blocks WHERE \"end\" < start OR start < 1 LIMIT 1" },
    { "3 overlapping serial ranges",
      "SELECT project, start FROM (SELECT project, start, LAG(\"end\") OVER (PARTITION BY project ORDER BY start)"
      " AS pe FROM blocks) AS w WHERE pe >= start LIMIT 1" },
    /* with ranges disjoint, equal length and equal bounds mean an exact cover */
    { "3 an issuance's blocks do not cover its range exactly",
      "SELECT i.seq, 0 FROM issuances i LEFT JOIN (SELECT project, issuance, SUM(\"end\" - start + 1) AS n,"
      " MIN(start) AS lo, MAX(\"end\") AS hi FROM blocks GROUP BY project, issuance) b"
      " ON b.project = i.project AND b.issuance = i.seq"
      " WHERE b.n IS NULL OR b.n <> i.\"end\" - i.start + 1 OR b.lo <> i.start OR b.hi <> i.\"end\" LIMIT 1" },
    { "3 units of no recorded issuance",
      "SELECT b.project, b.start FROM blocks b WHERE NOT EXISTS (SELECT 1 FROM issuances i"
      " WHERE i.seq = b.issuance AND i.project = b.project AND i.vintage = b.vintage) LIMIT 1" },
    { "3 serials at or beyond the project's next serial",
      "SELECT b.project, b.\"end\" FROM blocks b JOIN projects p ON p.id = b.project WHERE b.\"end\" >= p.next_serial LIMIT 1" },
    { "7 overlapping monitoring periods",
      "SELECT a.project, a.num FROM periods a JOIN periods b ON a.project = b.project AND a.num < b.num"
      " AND a.start <= b.\"end\" AND b.start <= a.\"end\" LIMIT 1" },
    { "7 issued above verified - deductions",
      "SELECT v.report, v.issued FROM verifications v LEFT JOIN (SELECT report, SUM(\"end\" - start + 1) AS n"
      " FROM issuances GROUP BY report) i ON i.report = v.report"
      " WHERE v.issued > v.verified - v.deduction OR v.issued <> COALESCE(i.n, 0) LIMIT 1" },
    { "8 buffer units outside the buffer account, or holder units inside it",
      "SELECT project, start FROM blocks WHERE (status = 1 AND account <> '" EPV_LEDGER_BUFFER_ACCOUNT "')"
      " OR (account = '" EPV_LEDGER_BUFFER_ACCOUNT "' AND status IN (0, 2)) LIMIT 1" },
    { "12 units held by an unknown account",
      "SELECT b.project, b.start FROM blocks b WHERE NOT EXISTS (SELECT 1 FROM accounts a WHERE a.id = b.account) LIMIT 1" },
    { "12 units held by a closed account",
      "SELECT b.project, b.start FROM blocks b JOIN accounts a ON a.id = b.account WHERE a.status = 3"
      " AND b.status IN (0, 1) LIMIT 1" },
};

int epv__lg_check_invariants(epv_ledger *l)
{
    for (size_t k = 0; k < EPV__ARRAY_LEN(checks); k++) {
        epv__lq *st;
        int rc = prep(l, checks[k].sql, &st);
        if (rc) return rc;
        rc = epv__lq_step(st);
        if (rc == EPV__LQ_ROW) {
            char a[80];
            snprintf(a, sizeof a, "%s", epv__lq_col_text(st, 0) ? (const char *)epv__lq_col_text(st, 0) : "");
            long long b = epv__lq_col_i64(st, 1);
            epv__lq_finalize(st);
            return epv__error(l->ctx, EPV_ECORRUPT, "invariant %s (at %s, %lld)", checks[k].what, a, b);
        }
        epv__lq_finalize(st);
        if (rc != EPV__LQ_DONE) return epv__lg_sqlerr(l, rc, "invariant check");
    }
    return EPV_OK;
}
