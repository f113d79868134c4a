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
