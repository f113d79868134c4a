/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Merkle proofs over the ledger's journal (leaf data of entry seq: u64 seq || body), built on
 * the pure RFC 6962 functions of lib/merkle.c. */
#include "config.h"

#include <string.h>

#include "ledger_verify_int.h"
#include "epv/merkle.h"

#define H 32

/* Leaf hashes of the first `size` journal entries (allocated with the ctx allocator). */
static int ledger_leaves_snap(epv_ledger *l, int64_t size, unsigned char **out)
{
    *out = NULL;
    int64_t n;
    int rc = epv_ledger_head(l, &n, NULL);
    if (rc) return rc;
    if (size < 1 || size > n)
        return epv__error(l->ctx, EPV_ERANGE, "size: %lld is not in 1..%lld entries", (long long)size, (long long)n);
    unsigned char *leaves = epv__malloc(l->ctx, (size_t)size * H);
    if (!leaves) return EPV_ENOMEM;
    epv__lq *st = NULL;
    rc = epv__lq_prepare(&l->st, "SELECT seq, body FROM journal WHERE seq <= ? ORDER BY seq", &st);
    if (rc != EPV__LQ_OK) {
        epv__free(l->ctx, leaves);
        return epv__lg_sqlerr(l, rc, "reading the journal");
    }
    epv__lq_bind_i64(st, 1, size);
    int64_t k = 0;
    int err = EPV_OK;
    while (!err && (rc = epv__lq_step(st)) == EPV__LQ_ROW) {
        int64_t seq = epv__lq_col_i64(st, 0);
        size_t len = (size_t)epv__lq_col_bytes(st, 1);
        const unsigned char *body = epv__lq_col_blob(st, 1);
        unsigned char *d = epv__malloc(l->ctx, len + 8);
        if (!d) {
            err = EPV_ENOMEM;
            break;
        }
        for (int b = 0; b < 8; b++) d[b] = (unsigned char)((uint64_t)seq >> (56 - 8 * b));
        if (len) memcpy(d + 8, body, len);
        if (k >= size || seq != k + 1) err = epv__error(l->ctx, EPV_ECORRUPT, "journal: entry %lld missing", (long long)(k + 1));
        else err = epv_merkle_leaf_hash(d, len + 8, leaves + (size_t)k * H);
        epv__free(l->ctx, d);
        k++;
    }
    if (!err && rc != EPV__LQ_DONE) err = epv__lg_sqlerr(l, rc, "reading the journal");
    if (!err && k != size) err = epv__error(l->ctx, EPV_ECORRUPT, "journal: fewer entries than the head says");
    epv__lq_finalize(st);
    if (err) {
        epv__free(l->ctx, leaves);
        return err;
    }
    *out = leaves;
    return EPV_OK;
}

/* Head and journal read in one snapshot. */
static int ledger_leaves(epv_ledger *l, int64_t size, unsigned char **out)
{
    int rc = epv__lg_read_begin(l);
    if (rc) return rc;
    return epv__lg_read_end(l, ledger_leaves_snap(l, size, out));
}

EPV_API int epv_ledger_leaf_hash(epv_ledger *l, epv_i64 entry, unsigned char *out)
{
    if (!l || !out) return EPV_EINVAL;
    unsigned char *leaves;
    int rc = ledger_leaves(l, entry, &leaves);
    if (rc) return rc;
    memcpy(out, leaves + (size_t)(entry - 1) * H, H);
    epv__free(l->ctx, leaves);
    return EPV_OK;
}

EPV_API int epv_ledger_merkle_root(epv_ledger *l, epv_i64 size, unsigned char *out)
{
    if (!l || !out) return EPV_EINVAL;
    unsigned char *leaves;
    int rc = ledger_leaves(l, size, &leaves);
    if (rc) return rc;
    rc = epv_merkle_root(l->ctx, leaves, (size_t)size, out);
    epv__free(l->ctx, leaves);
    return rc;
}

EPV_API int epv_ledger_inclusion_proof(epv_ledger *l, epv_i64 entry, epv_i64 size,
                                       unsigned char *proof, size_t cap, size_t *len_out)
{
    if (!l || !len_out) return EPV_EINVAL;
    if (entry < 1 || entry > size)
        return epv__error(l->ctx, EPV_ERANGE, "entry: %lld is not in 1..%lld", (long long)entry, (long long)size);
    unsigned char *leaves;
    int rc = ledger_leaves(l, size, &leaves);
    if (rc) return rc;
    rc = epv_merkle_inclusion_proof(l->ctx, leaves, (size_t)size, (size_t)(entry - 1), proof, cap, len_out);
    epv__free(l->ctx, leaves);
    return rc;
}

EPV_API int epv_ledger_consistency_proof(epv_ledger *l, epv_i64 old_size, epv_i64 new_size,
                                         unsigned char *proof, size_t cap, size_t *len_out)
{
    if (!l || !len_out) return EPV_EINVAL;
    if (old_size < 1 || old_size > new_size)
        return epv__error(l->ctx, EPV_ERANGE, "old_size: %lld is not in 1..%lld", (long long)old_size,
                          (long long)new_size);
    unsigned char *leaves;
    int rc = ledger_leaves(l, new_size, &leaves);
    if (rc) return rc;
    rc = epv_merkle_consistency_proof(l->ctx, leaves, (size_t)old_size, (size_t)new_size, proof, cap, len_out);
    epv__free(l->ctx, leaves);
    return rc;
}
