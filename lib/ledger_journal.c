/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The journal: canonical encoding of operations, the SHA-256 hash chain, request ids,
 * chain verification, replay verification and the state digest.
 *
 * Canonical encoding of an operation (the journal's `body`, all integers big-endian):
 *   u8 version (1) | u8 kind | u32 len + request id | 6 x (u32 len + UTF-8 string) | 8 x i64
 * Entry hash:  SHA-256(prev_hash[32] || u64 seq || body), prev_hash of entry 1 = 32 zero bytes.
 * Merkle leaf data of entry seq: u64 seq || body. */
#include "config.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <string.h>

#include "ledger_int.h"

const struct epv__lkind_info epv__lkinds[EPV__L_KIND_MAX + 1] = {
    { "none", { 0 }, { 0 } },
    { "genesis", { "programme", "serial_format" }, { "buffer_bp", "date_rules", "format_version" } },
    { "account_open", { "account", "entity" }, { 0 } },
    { "account_status", { "account" }, { "status" } },
    { "project_register", { "project", "name", "methodology", "owner" },
      { "crediting_start", "crediting_end", "forestry", "buffer_bp" } },
    { "project_status", { "project" }, { "status" } },
    { "period_add", { "project" }, { "start", "end" } },
    { "verify", { "project", "report_id", "verifier" },
      { "period", "verified_tco2e", "deduction_tco2e", "applied" } },
    { "issue", { "report_id" }, { "quantity_tco2e" } },
    { "transfer", { "from", "to", "project" },
      { "vintage", "count", "serial_start", "serial_end" } },
    { "retire", { "account", "beneficiary", "reason", "project" },
      { "vintage", "count", "serial_start", "serial_end", "date" } },
    { "cancel", { "account", "reason", "project" },
      { "vintage", "count", "serial_start", "serial_end" } },
    { "reverse", { "project" }, { "loss_tco2e", "date" } },
    { "project_risk", { "project", "tool" }, { "internal_bp", "external_bp", "natural_bp", "minimum_bp", "date" } },
    { "reversal", { "project" }, { "loss_tco2e", "date" } },
    { "settle", { "account", "project", "units_project" }, { "vintage", "count", "serial_start", "serial_end" } },
};

static void put_u32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)(v >> 24);
    p[1] = (unsigned char)(v >> 16);
    p[2] = (unsigned char)(v >> 8);
    p[3] = (unsigned char)v;
}

static void put_u64(unsigned char *p, uint64_t v)
{
    for (int k = 7; k >= 0; k--) {
        p[k] = (unsigned char)v;
        v >>= 8;
    }
}

static uint64_t get_u64(const unsigned char *p)
{
    uint64_t v = 0;
    for (int k = 0; k < 8; k++) v = (v << 8) | p[k];
    return v;
}

int epv__lg_encode(epv_ctx *ctx, const struct epv__lop *op, unsigned char **out, size_t *len)
{
    const char *strs[1 + EPV__L_NS];
    size_t n = 2 + 8 * EPV__L_NI;
    strs[0] = op->req ? op->req : "";
    for (int k = 0; k < EPV__L_NS; k++) strs[1 + k] = op->s[k] ? op->s[k] : "";
    for (int k = 0; k <= EPV__L_NS; k++) n += 4 + strlen(strs[k]);
    unsigned char *b = epv__malloc(ctx, n);
    if (!b) return EPV_ENOMEM;
    size_t p = 0;
    b[p++] = 1;
    b[p++] = (unsigned char)op->kind;
    for (int k = 0; k <= EPV__L_NS; k++) {
        size_t sl = strlen(strs[k]);
        put_u32(b + p, (uint32_t)sl);
        memcpy(b + p + 4, strs[k], sl);
        p += 4 + sl;
    }
    for (int k = 0; k < EPV__L_NI; k++) {
        put_u64(b + p, (uint64_t)op->i[k]);
        p += 8;
    }
    *out = b;
    *len = n;
    return EPV_OK;
}

/* Strict: a body decodes only if it is exactly what epv__lg_encode() writes for the decoded
 * operation (full verification relies on this instead of encoding every entry again). */
int epv__lg_decode(epv_ctx *ctx, const unsigned char *buf, size_t len, struct epv__lop *op,
                   char **arena)
{
    *arena = NULL;
    memset(op, 0, sizeof *op);
    if (len < 2 + 8 * EPV__L_NI || buf[0] != 1 || buf[1] < 1 || buf[1] > EPV__L_KIND_MAX)
        return epv__error(ctx, EPV_ECORRUPT, "journal body: bad header");
    char *a = epv__malloc(ctx, len + 1 + EPV__L_NS + 1);
    if (!a) return EPV_ENOMEM;
    size_t p = 2, ap = 0;
    const char **slots[1 + EPV__L_NS];
    slots[0] = &op->req;
    for (int k = 0; k < EPV__L_NS; k++) slots[1 + k] = &op->s[k];
    for (int k = 0; k <= EPV__L_NS; k++) {
        if (len - p < 4) goto bad;
        uint32_t sl = ((uint32_t)buf[p] << 24) | ((uint32_t)buf[p + 1] << 16) |
                      ((uint32_t)buf[p + 2] << 8) | buf[p + 3];
        p += 4;
        if (sl > len - p) goto bad;
        if (memchr(buf + p, 0, sl)) goto bad;
        memcpy(a + ap, buf + p, sl);
        a[ap + sl] = 0;
        *slots[k] = a + ap;
        ap += sl + 1;
        p += sl;
    }
    if (len - p != 8 * EPV__L_NI) goto bad;
    for (int k = 0; k < EPV__L_NI; k++) op->i[k] = (int64_t)get_u64(buf + p + 8 * (size_t)k);
    op->kind = buf[1];
    *arena = a;
    return EPV_OK;
bad:
    epv__free(ctx, a);
    return epv__error(ctx, EPV_ECORRUPT, "journal body: bad field lengths");
}

int epv__lg_entry_hash_md(void *md, const void *md_alg, const unsigned char prev[32], int64_t seq,
                          const unsigned char *body, size_t len, unsigned char out[32])
{
    unsigned char s[8];
    unsigned int olen = 0;
    put_u64(s, (uint64_t)seq);
    return EVP_DigestInit_ex(md, md_alg, NULL) == 1 && EVP_DigestUpdate(md, prev, 32) == 1 &&
                   EVP_DigestUpdate(md, s, 8) == 1 && (!len || EVP_DigestUpdate(md, body, len) == 1) &&
                   EVP_DigestFinal_ex(md, out, &olen) == 1 && olen == 32
               ? 0
               : -1;
}

int epv__lg_entry_hash(epv_ledger *l, const unsigned char prev[32], int64_t seq,
                       const unsigned char *body, size_t len, unsigned char out[32])
{
    if (epv__lg_entry_hash_md(l->md, l->md_alg, prev, seq, body, len, out))
        return epv__error(l->ctx, EPV_ENOMEM, "ledger: SHA-256 failed");
    return EPV_OK;
}

static const char *const sql_head_upsert =
    "INSERT INTO head(id, seq, hash) VALUES (1, ?, ?)"
    " ON CONFLICT(id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash";

int epv__lg_flush_head(epv_ledger *l)
{
    if (!l->head_dirty) return EPV_OK;
    epv__lq *st = epv__lg_stmt(l, sql_head_upsert);
    if (!st) return epv_ctx_errcode(l->ctx);
    epv__lq_bind_i64(st, 1, l->head_seq);
    epv__lq_bind_blob(st, 2, l->head_hash, 32);
    int rc = epv__lq_step(st);
    epv__lq_reset(st);
    if (rc != EPV__LQ_DONE) return epv__lg_sqlerr(l, rc, "moving the chain head");
    l->head_dirty = 0;
    return EPV_OK;
}

int epv__lg_load_head(epv_ledger *l)
{
    static const char *const sql = "SELECT seq, hash FROM head WHERE id = 1";
    /* inside a batch the in-memory head is the truth: bring the row up to date first */
    int rc = epv__lg_flush_head(l);
    if (rc) return rc;
    epv__lq *st = epv__lg_stmt(l, sql);
    if (!st) return epv_ctx_errcode(l->ctx);
    rc = epv__lq_step(st);
    l->head_seq = 0;
    memset(l->head_hash, 0, 32);
    if (rc == EPV__LQ_ROW) {
        l->head_seq = epv__lq_col_i64(st, 0);
        if (epv__lq_col_bytes(st, 1) != 32) {
            epv__lq_reset(st);
            return epv__error(l->ctx, EPV_ECORRUPT, "ledger: chain head is malformed");
        }
        memcpy(l->head_hash, epv__lq_col_blob(st, 1), 32);
        rc = EPV__LQ_DONE;
    }
    epv__lq_reset(st);
    return rc == EPV__LQ_DONE ? EPV_OK : epv__lg_sqlerr(l, rc, "reading chain head");
}

static int bind_res_step(epv_ledger *l, epv__lq *st, const char *what)
{
    int rc = epv__lq_step(st);
    epv__lq_reset(st);
    return rc == EPV__LQ_DONE ? EPV_OK : epv__lg_sqlerr(l, rc, what);
}

int epv__lg_journal_append(epv_ledger *l, const struct epv__lop *op, int64_t seq, const unsigned char *body,
                           size_t len, const unsigned char hash[32])
{
    static const char *const i_journal =
        "INSERT INTO journal(seq, kind, req, body, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?)";
    epv__lq *st = epv__lg_stmt(l, i_journal);
    if (!st) return epv_ctx_errcode(l->ctx);
    epv__lq_bind_i64(st, 1, seq);
    epv__lq_bind_i64(st, 2, op->kind);
    epv__lq_bind_text(st, 3, op->req);
    epv__lq_bind_blob(st, 4, body, (int)len);
    epv__lq_bind_blob(st, 5, l->head_hash, 32);
    epv__lq_bind_blob(st, 6, hash, 32);
    int rc = bind_res_step(l, st, "appending to the journal");
    if (rc) return rc;
    l->head_seq = seq;
    memcpy(l->head_hash, hash, 32);
    /* The head row moves in the same transaction: now, or (batch, replay) at the latest just
     * before the commit. */
    l->head_dirty = 1;
    if (!l->in_batch && !l->replaying) rc = epv__lg_flush_head(l);
    return rc;
}

int epv__lg_repeat(epv_ledger *l, const struct epv__lop *op, const void *was, size_t was_len,
                   const unsigned char *body, size_t len)
{
    if (l->replaying)
        return epv__error(l->ctx, EPV_ECORRUPT, "request_id '%s' appears twice in the journal", op->req);
    if (was_len != len || memcmp(was, body, len))
        return epv__error(l->ctx, EPV_EEXISTS, "request_id '%s' was already used for a different operation",
                          op->req);
    return EPV_OK;
}

int epv__lg_step(epv_ledger *l, const struct epv__lop *op, int64_t res[EPV__L_NRES])
{
    static const char *const q_req =
        "SELECT j.body, r.r0, r.r1, r.r2, r.r3 FROM requests r JOIN journal j ON j.seq = r.seq WHERE r.req = ?";
    static const char *const i_req =
        "INSERT INTO requests(req, seq, r0, r1, r2, r3) VALUES (?, ?, ?, ?, ?, ?)";
    int rc = epv__lg_check_req(l->ctx, op->req);
    if (rc) return rc;
    for (int k = 0; k < EPV__L_NRES; k++) res[k] = 0;
    unsigned char *body = NULL;
    size_t len = 0;
    rc = epv__lg_encode(l->ctx, op, &body, &len);
    if (rc) return rc;
    unsigned char hash[32];
    epv__lq *st;
    st = epv__lg_stmt(l, q_req);
    if (!st) {
        rc = epv_ctx_errcode(l->ctx);
        goto out;
    }
    epv__lq_bind_text(st, 1, op->req);
    int src = epv__lq_step(st);
    if (src == EPV__LQ_ROW) {
        for (int k = 0; k < EPV__L_NRES; k++) res[k] = epv__lq_col_i64(st, 1 + k);
        rc = epv__lg_repeat(l, op, epv__lq_col_blob(st, 0), (size_t)epv__lq_col_bytes(st, 0), body, len);
        epv__lq_reset(st);
        goto out; /* a repeat: nothing changes, the original result is returned */
    }
    epv__lq_reset(st);
    if (src != EPV__LQ_DONE) {
        rc = epv__lg_sqlerr(l, src, "looking up request id");
        goto out;
    }

    int64_t seq = l->head_seq + 1;
    l->ev_n = 0;
    rc = epv__lg_apply(l, op, seq, res);
    if (rc) goto out;
    rc = epv__lg_entry_hash(l, l->head_hash, seq, body, len, hash);
    if (rc) goto out;

    st = epv__lg_stmt(l, i_req);
    if (!st) goto sqlfail;
    epv__lq_bind_text(st, 1, op->req);
    epv__lq_bind_i64(st, 2, seq);
    for (int k = 0; k < EPV__L_NRES; k++) epv__lq_bind_i64(st, 3 + k, res[k]);
    if ((rc = bind_res_step(l, st, "recording the request id"))) goto out;
    rc = epv__lg_journal_append(l, op, seq, body, len, hash);
out:
    epv__free(l->ctx, body);
    return rc;
sqlfail:
    rc = epv_ctx_errcode(l->ctx);
    goto out;
}

EPV_API int epv_ledger_head(epv_ledger *l, epv_i64 *entries_out, unsigned char *hash_out)
{
    if (!l) return EPV_EINVAL;
    int rc = epv__lg_read_begin(l);
    if (rc) return rc;
    rc = epv__lg_read_end(l, epv__lg_load_head(l));
    if (rc) return rc;
    if (entries_out) *entries_out = l->head_seq;
    if (hash_out) memcpy(hash_out, l->head_hash, 32);
    return EPV_OK;
}

