/* SPDX-License-Identifier: GPL-3.0-or-later */
#define _GNU_SOURCE
/* RFC 6962 Merkle trees: tree heads, audit paths and consistency proofs checked against the
 * known-answer vectors of the Certificate Transparency reference implementation,
 * google/certificate-transparency cpp/merkletree/merkle_tree_test.cc (kInputs, kSHA256Roots,
 * kSHA256Paths, kSHA256Proofs; the same vectors appear in Trillian's merkle tests), then
 * proofs over a real ledger journal. CT numbers leaves from 1; our indices start at 0. */
#include "test_util.h"
#include "test_ledger_common.c"

static epv_ctx *ctx;

static void unhex(const char *h, unsigned char *out, size_t *len)
{
    size_t n = strlen(h) / 2;
    for (size_t k = 0; k < n; k++) {
        unsigned v;
        sscanf(h + 2 * k, "%2x", &v);
        out[k] = (unsigned char)v;
    }
    if (len) *len = n;
}

/* kInputs */
static const char *const inputs[8] = { "", "00", "10", "2021", "3031", "40414243", "5051525354555657",
                                       "606162636465666768696a6b6c6d6e6f" };
/* kSHA256EmptyTreeHash and kSHA256Roots (tree sizes 1..8) */
static const char *const empty_root = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
static const char *const roots[8] = {
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
};

static unsigned char leaves[8 * 32];

static void make_leaves(void)
{
    for (int k = 0; k < 8; k++) {
        unsigned char d[16];
        size_t n;
        unhex(inputs[k], d, &n);
        EPV_ASSERT_OK(ctx, epv_merkle_leaf_hash(d, n, leaves + 32 * k));
    }
}

static void test_roots(void)
{
    unsigned char r[32], want[32];
    make_leaves();
    EPV_ASSERT_OK(ctx, epv_merkle_root(ctx, leaves, 0, r));
    unhex(empty_root, want, NULL);
    CU_ASSERT_EQUAL(memcmp(r, want, 32), 0);
    for (int n = 1; n <= 8; n++) {
        EPV_ASSERT_OK(ctx, epv_merkle_root(ctx, leaves, (size_t)n, r));
        unhex(roots[n - 1], want, NULL);
        CU_ASSERT_EQUAL(memcmp(r, want, 32), 0);
    }
}

/* kSHA256Paths (leaf is 1-based there) */
static const struct {
    int leaf, size, len;
    const char *path[3];
} paths[] = {
    { 1, 8, 3,
      { "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4" } },
    { 6, 8, 3,
      { "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7" } },
    { 3, 3, 1, { "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125" } },
    { 2, 5, 3,
      { "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b" } },
    { 1, 1, 0, { NULL } },
};

static void test_inclusion(void)
{
    make_leaves();
    for (size_t k = 0; k < sizeof paths / sizeof paths[0]; k++) {
        unsigned char proof[8 * 32], want[3 * 32], root[32];
        size_t len = 99;
        size_t idx = (size_t)paths[k].leaf - 1, n = (size_t)paths[k].size;
        EPV_ASSERT_OK(ctx, epv_merkle_inclusion_proof(ctx, leaves, n, idx, proof, 8, &len));
        CU_ASSERT_EQUAL(len, (size_t)paths[k].len);
        for (int j = 0; j < paths[k].len; j++) unhex(paths[k].path[j], want + 32 * j, NULL);
        CU_ASSERT_EQUAL(memcmp(proof, want, 32 * (size_t)paths[k].len), 0);
        unhex(roots[n - 1], root, NULL);
        CU_ASSERT_EQUAL(epv_merkle_verify_inclusion(leaves + 32 * idx, idx, n, proof, len, root), 1);
        /* wrong index, size, leaf, root or path all fail (CT MerkleVerifierTest cases) */
        if (idx > 0) CU_ASSERT_EQUAL(epv_merkle_verify_inclusion(leaves + 32 * idx, idx - 1, n, proof, len, root), 0);
        CU_ASSERT_EQUAL(epv_merkle_verify_inclusion(leaves + 32 * idx, idx + 1, n, proof, len, root), 0);
        CU_ASSERT_EQUAL(epv_merkle_verify_inclusion(leaves + 32 * idx, idx, n * 2, proof, len, root), 0);
        CU_ASSERT_EQUAL(epv_merkle_verify_inclusion(leaves + 32 * ((idx + 1) % 8), idx, n, proof, len, root), 0);
        for (int j = 0; j < paths[k].len; j++) {
            unsigned char bad[8 * 32];
            memcpy(bad, proof, sizeof bad);
            bad[32 * j] ^= 1;
            CU_ASSERT_EQUAL(epv_merkle_verify_inclusion(leaves + 32 * idx, idx, n, bad, len, root), 0);
        }
        if (len) CU_ASSERT_EQUAL(epv_merkle_verify_inclusion(leaves + 32 * idx, idx, n, proof, len - 1, root), 0);
        CU_ASSERT_EQUAL(epv_merkle_verify_inclusion(leaves + 32 * idx, idx, n, proof, len + 1, root), 0);
    }
    size_t len;
    unsigned char proof[32];
    EPV_ASSERT_STATUS(ctx, epv_merkle_inclusion_proof(ctx, leaves, 8, 8, proof, 1, &len), EPV_ERANGE);
    EPV_ASSERT_ERRMSG_HAS(ctx, "index");
    EPV_ASSERT_STATUS(ctx, epv_merkle_inclusion_proof(ctx, leaves, 8, 0, proof, 1, &len), EPV_ERANGE);
    EPV_ASSERT_ERRMSG_HAS(ctx, "proof");
}

/* kSHA256Proofs */
static const struct {
    int m, n, len;
    const char *proof[3];
} cons[] = {
    { 1, 1, 0, { NULL } },
    { 1, 8, 3,
      { "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4" } },
    { 6, 8, 3,
      { "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
        "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7" } },
    { 2, 5, 2,
      { "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b" } },
};

static void test_consistency(void)
{
    make_leaves();
    for (size_t k = 0; k < sizeof cons / sizeof cons[0]; k++) {
        unsigned char proof[8 * 32], want[3 * 32], r1[32], r2[32];
        size_t len = 99, m = (size_t)cons[k].m, n = (size_t)cons[k].n;
        EPV_ASSERT_OK(ctx, epv_merkle_consistency_proof(ctx, leaves, m, n, proof, 8, &len));
        CU_ASSERT_EQUAL(len, (size_t)cons[k].len);
        for (int j = 0; j < cons[k].len; j++) unhex(cons[k].proof[j], want + 32 * j, NULL);
        CU_ASSERT_EQUAL(memcmp(proof, want, 32 * (size_t)cons[k].len), 0);
        unhex(roots[m - 1], r1, NULL);
        unhex(roots[n - 1], r2, NULL);
        CU_ASSERT_EQUAL(epv_merkle_verify_consistency(m, n, r1, r2, proof, len), 1);
        if (len) {
            CU_ASSERT_EQUAL(epv_merkle_verify_consistency(m, n, r2, r1, proof, len), 0);
            CU_ASSERT_EQUAL(epv_merkle_verify_consistency(m - 1 ? m - 1 : 2, n, r1, r2, proof, len), 0);
            CU_ASSERT_EQUAL(epv_merkle_verify_consistency(m, n, r1, r2, proof, len - 1), 0);
            CU_ASSERT_EQUAL(epv_merkle_verify_consistency(m, n, r1, r2, proof, 0), 0);
            for (int j = 0; j < cons[k].len; j++) {
                unsigned char bad[8 * 32];
                memcpy(bad, proof, sizeof bad);
                bad[32 * j] ^= 0x80;
                CU_ASSERT_EQUAL(epv_merkle_verify_consistency(m, n, r1, r2, bad, len), 0);
            }
        }
    }
    /* every pair of sizes up to 8 round-trips */
    for (size_t n = 1; n <= 8; n++)
        for (size_t m = 1; m <= n; m++) {
            unsigned char proof[8 * 32], r1[32], r2[32];
            size_t len;
            EPV_ASSERT_OK(ctx, epv_merkle_consistency_proof(ctx, leaves, m, n, proof, 8, &len));
            epv_merkle_root(ctx, leaves, m, r1);
            epv_merkle_root(ctx, leaves, n, r2);
            CU_ASSERT_EQUAL(epv_merkle_verify_consistency(m, n, r1, r2, proof, len), 1);
        }
    CU_ASSERT_EQUAL(epv_merkle_verify_consistency(2, 1, NULL, NULL, NULL, 0), 0);
}

static void test_ledger_proofs(void)
{
    epv_ledger *l = NULL;
    EPV_ASSERT_OK(ctx, epv_ledger_open(ctx, tl_path("merkle.db"), EPV_LEDGER_CREATE, NULL, &l));
    CU_ASSERT_PTR_NOT_NULL_FATAL(l);
    EPV_ASSERT_OK(ctx, tl_setup(l));
    EPV_ASSERT_OK(ctx, epv_ledger_issue(l, "i", "R1", 0, NULL));
    epv_i64 n = 0;
    EPV_ASSERT_OK(ctx, epv_ledger_head(l, &n, NULL));
    CU_ASSERT_EQUAL(n, 7);
    unsigned char root[32], leaf[32], proof[16 * 32];
    EPV_ASSERT_OK(ctx, epv_ledger_merkle_root(l, n, root));
    for (epv_i64 e = 1; e <= n; e++) {
        size_t len;
        EPV_ASSERT_OK(ctx, epv_ledger_leaf_hash(l, e, leaf));
        EPV_ASSERT_OK(ctx, epv_ledger_inclusion_proof(l, e, n, proof, 16, &len));
        CU_ASSERT_EQUAL(epv_merkle_verify_inclusion(leaf, (size_t)(e - 1), (size_t)n, proof, len, root), 1);
        leaf[0] ^= 1;
        CU_ASSERT_EQUAL(epv_merkle_verify_inclusion(leaf, (size_t)(e - 1), (size_t)n, proof, len, root), 0);
    }
    size_t len;
    /* the journal grows append-only: every earlier tree head is consistent with the current one */
    for (epv_i64 m = 1; m <= n; m++) {
        unsigned char old[32];
        EPV_ASSERT_OK(ctx, epv_ledger_merkle_root(l, m, old));
        EPV_ASSERT_OK(ctx, epv_ledger_consistency_proof(l, m, n, proof, 16, &len));
        CU_ASSERT_EQUAL(epv_merkle_verify_consistency((size_t)m, (size_t)n, old, root, proof, len), 1);
    }
    EPV_ASSERT_STATUS(ctx, epv_ledger_consistency_proof(l, 0, n, proof, 16, &len), EPV_ERANGE);
    EPV_ASSERT_STATUS(ctx, epv_ledger_inclusion_proof(l, 8, n, proof, 16, &len), EPV_ERANGE);
    EPV_ASSERT_ERRMSG_HAS(ctx, "entry");
    EPV_ASSERT_STATUS(ctx, epv_ledger_merkle_root(l, n + 1, root), EPV_ERANGE);
    EPV_ASSERT_ERRMSG_HAS(ctx, "size");
    epv_ledger_close(l);
}

int main(void)
{
    if (epv_ctx_new(&ctx)) return 2;
    CU_TestInfo tests[] = {
        { "tree heads (CT vectors)", test_roots },
        { "inclusion proofs (CT vectors)", test_inclusion },
        { "consistency proofs (CT vectors)", test_consistency },
        { "proofs over a ledger journal", test_ledger_proofs },
        CU_TEST_INFO_NULL,
    };
    int rc = epv_test_main("ledger_merkle", tests);
    epv_ctx_free(ctx);
    tl_cleanup_dir();
    return rc;
}
