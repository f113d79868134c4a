/* SPDX-License-Identifier: GPL-3.0-or-later */
/* RFC 6962 Merkle trees (epv/merkle.h): tree heads, inclusion (audit) paths and
 * consistency proofs, with the verification algorithms of RFC 9162 section 2.1.3.2 and
 * 2.1.4.2. Leaf hash = SHA-256(0x00 || d), node hash = SHA-256(0x01 || left || right),
 * empty tree = SHA-256(""). Hashing is OpenSSL's SHA-256 (EVP one-shot). */
#include "config.h"

#include <openssl/evp.h>
#include <string.h>

#include "common_int.h"
#include "epv/merkle.h"

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

