/* SPDX-License-Identifier: GPL-3.0-or-later */
/* RFC 6962 Merkle tree over journal entries: tree heads, inclusion (audit) paths and
 * consistency proofs, with the verification algorithms of RFC 9162 section 2.1.3.2 and
 * 2.1.4.2. Leaf hash = SHA-256(0x00 || d), node hash = SHA-256(0x01 || left || right),
 * empty tree = SHA-256(""). Hashing is OpenSSL's SHA-256 (EVP one-shot). */
#include "config.h"

#include <openssl/evp.h>
#include <string.h>

#include "ledger_int.h"

#define H 32

static int sha(const unsigned char *a, size_t alen, const unsigned char *b, size_t blen,
               const unsigned char *c, size_t clen, unsigned char *out)
{
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    unsigned int olen = 0;
    int ok = md && EVP_DigestInit_ex(md, EVP_sha256(), NULL) == 1 &&
             (!alen || EVP_DigestUpdate(md, a, alen) == 1) && (!blen || EVP_DigestUpdate(md, b, blen) == 1) &&
             (!clen || EVP_DigestUpdate(md, c, clen) == 1) && EVP_DigestFinal_ex(md, out, &olen) == 1;
    EVP_MD_CTX_free(md);
    return ok && olen == H ? EPV_OK : EPV_ENOMEM;
}

static int node(const unsigned char *l, const unsigned char *r, unsigned char *out)
{
    static const unsigned char one = 1;
    return sha(&one, 1, l, H, r, H, out);
}

EPV_API int epv_merkle_leaf_hash(const void *data, size_t len, unsigned char *out)
{
    static const unsigned char zero = 0;
    if (!out || (!data && len)) return EPV_EINVAL;
    return sha(&zero, 1, data, len, NULL, 0, out);
}

/* Largest power of two strictly below n (n >= 2). */
static size_t split(size_t n)
{
    size_t k = 1;
    while (k << 1 < n) k <<= 1;
    return k;
}

static int mth(const unsigned char *leaves, size_t n, unsigned char *out)
{
    if (n == 0) return sha(NULL, 0, NULL, 0, NULL, 0, out);
    if (n == 1) {
        memcpy(out, leaves, H);
        return EPV_OK;
    }
    size_t k = split(n);
    unsigned char a[H], b[H];
    int rc = mth(leaves, k, a);
    if (!rc) rc = mth(leaves + k * H, n - k, b);
    return rc ? rc : node(a, b, out);
}

EPV_API int epv_merkle_root(epv_ctx *ctx, const unsigned char *leaf_hashes, size_t n,
                            unsigned char *out)
{
    if (!out || (n && !leaf_hashes)) return epv__error(ctx, EPV_EINVAL, "merkle_root: NULL argument");
    int rc = mth(leaf_hashes, n, out);
    return rc ? epv__error(ctx, rc, "merkle_root: SHA-256 failed") : EPV_OK;
}

struct proof {
    unsigned char *buf;
    size_t cap, len;
};

static int push(struct proof *p, const unsigned char *h)
{
    if (p->len < p->cap) memcpy(p->buf + p->len * H, h, H);
    p->len++;
    return EPV_OK;
}

static int path(const unsigned char *leaves, size_t n, size_t m, struct proof *p)
{
    if (n <= 1) return EPV_OK;
    size_t k = split(n);
    unsigned char h[H];
    int rc;
    if (m < k) {
        if ((rc = path(leaves, k, m, p)) || (rc = mth(leaves + k * H, n - k, h))) return rc;
    } else {
        if ((rc = path(leaves + k * H, n - k, m - k, p)) || (rc = mth(leaves, k, h))) return rc;
    }
    return push(p, h);
}

EPV_API int epv_merkle_inclusion_proof(epv_ctx *ctx, const unsigned char *leaf_hashes, size_t n,
                                       size_t index, unsigned char *proof, size_t cap,
                                       size_t *len_out)
{
    if (!leaf_hashes || !len_out || (cap && !proof))
        return epv__error(ctx, EPV_EINVAL, "inclusion_proof: NULL argument");
    if (index >= n) return epv__error(ctx, EPV_ERANGE, "index: %zu is not below the tree size %zu", index, n);
    struct proof p = { proof, cap, 0 };
    int rc = path(leaf_hashes, n, index, &p);
    if (rc) return epv__error(ctx, rc, "inclusion_proof: SHA-256 failed");
    *len_out = p.len;
    if (p.len > cap) return epv__error(ctx, EPV_ERANGE, "proof: needs %zu hashes, room for %zu", p.len, cap);
    return EPV_OK;
}

EPV_API int epv_merkle_verify_inclusion(const unsigned char *leaf_hash, size_t index, size_t n,
                                        const unsigned char *proof, size_t len,
                                        const unsigned char *root)
{
    if (!leaf_hash || !root || (len && !proof) || index >= n) return 0;
    size_t fn = index, sn = n - 1;
    unsigned char r[H];
    memcpy(r, leaf_hash, H);
    for (size_t k = 0; k < len; k++) {
        const unsigned char *p = proof + k * H;
        if (sn == 0) return 0;
        if ((fn & 1) || fn == sn) {
            if (node(p, r, r)) return 0;
            if (!(fn & 1))
                while (!(fn & 1) && fn != 0) {
                    fn >>= 1;
                    sn >>= 1;
                }
        } else {
            if (node(r, p, r)) return 0;
        }
        fn >>= 1;
        sn >>= 1;
    }
    return sn == 0 && !memcmp(r, root, H);
}

static int subproof(const unsigned char *leaves, size_t m, size_t n, int b, struct proof *p)
{
    unsigned char h[H];
    int rc;
    if (m == n) {
        if (b) return EPV_OK;
        if ((rc = mth(leaves, n, h))) return rc;
        return push(p, h);
    }
    size_t k = split(n);
    if (m <= k) {
        if ((rc = subproof(leaves, m, k, b, p)) || (rc = mth(leaves + k * H, n - k, h))) return rc;
    } else {
        if ((rc = subproof(leaves + k * H, m - k, n - k, 0, p)) || (rc = mth(leaves, k, h))) return rc;
    }
    return push(p, h);
}

EPV_API int epv_merkle_consistency_proof(epv_ctx *ctx, const unsigned char *leaf_hashes, size_t m,
                                         size_t n, unsigned char *proof, size_t cap,
                                         size_t *len_out)
{
    if (!len_out || (n && !leaf_hashes) || (cap && !proof))
        return epv__error(ctx, EPV_EINVAL, "consistency_proof: NULL argument");
    if (m > n) return epv__error(ctx, EPV_ERANGE, "m: %zu exceeds n %zu", m, n);
    struct proof p = { proof, cap, 0 };
    if (m > 0 && m < n) {
        int rc = subproof(leaf_hashes, m, n, 1, &p);
        if (rc) return epv__error(ctx, rc, "consistency_proof: SHA-256 failed");
    }
    *len_out = p.len;
    if (p.len > cap) return epv__error(ctx, EPV_ERANGE, "proof: needs %zu hashes, room for %zu", p.len, cap);
    return EPV_OK;
}

EPV_API int epv_merkle_verify_consistency(size_t m, size_t n, const unsigned char *root1,
                                          const unsigned char *root2, const unsigned char *proof,
                                          size_t len)
{
    if (m > n) return 0;
    if (m == n) return len == 0 && root1 && root2 && !memcmp(root1, root2, H);
    if (m == 0) return len == 0;
    if (len == 0 || !proof || !root1 || !root2) return 0;
    unsigned char fr[H], sr[H];
    size_t k = 0;
    if ((m & (m - 1)) == 0) {
        memcpy(fr, root1, H); /* m is a power of two: the old root is the first node */
    } else {
        memcpy(fr, proof, H);
        k = 1;
    }
    memcpy(sr, fr, H);
    size_t fn = m - 1, sn = n - 1;
    while (fn & 1) {
        fn >>= 1;
        sn >>= 1;
    }
    for (; k < len; k++) {
        const unsigned char *c = proof + k * H;
        if (sn == 0) return 0;
        if ((fn & 1) || fn == sn) {
            if (node(c, fr, fr) || node(c, sr, sr)) return 0;
            if (!(fn & 1))
                while (!(fn & 1) && fn != 0) {
                    fn >>= 1;
                    sn >>= 1;
                }
        } else {
            if (node(sr, c, sr)) return 0;
        }
        fn >>= 1;
        sn >>= 1;
    }
    return sn == 0 && !memcmp(fr, root1, H) && !memcmp(sr, root2, H);
}

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
    sqlite3_stmt *st = NULL;
    rc = sqlite3_prepare_v2(l->db, "SELECT seq, body FROM journal WHERE seq <= ? ORDER BY seq", -1, &st, NULL);
    if (rc != SQLITE_OK) {
        epv__free(l->ctx, leaves);
        return epv__lg_sqlerr(l, rc, "reading the journal");
    }
    sqlite3_bind_int64(st, 1, size);
    int64_t k = 0;
    int err = EPV_OK;
    while (!err && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t seq = sqlite3_column_int64(st, 0);
        size_t len = (size_t)sqlite3_column_bytes(st, 1);
        const unsigned char *body = sqlite3_column_blob(st, 1);
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
    if (!err && rc != SQLITE_DONE) err = epv__lg_sqlerr(l, rc, "reading the journal");
    if (!err && k != size) err = epv__error(l->ctx, EPV_ECORRUPT, "journal: fewer entries than the head says");
    sqlite3_finalize(st);
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
