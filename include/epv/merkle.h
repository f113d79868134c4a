/* SPDX-License-Identifier: GPL-3.0-or-later */
/**
 * @file epv/merkle.h
 * @brief RFC 6962 (Certificate Transparency) Merkle trees over SHA-256: leaf and tree hashes,
 * inclusion and consistency proofs and their verification (RFC 9162 sections 2.1.3.2 and
 * 2.1.4.2). Pure functions, thread-safe. Hashes are 32 bytes; arrays of hashes are packed
 * (hash k at offset 32 k). The ledger's journal proofs (epv/ledger.h) are built on these.
 */
#ifndef EPV_MERKLE_H
#define EPV_MERKLE_H

#include <stddef.h>
#include "epv/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Length of a Merkle hash (SHA-256) in bytes. */
#define EPV_MERKLE_HASH_LEN 32

/** RFC 6962 leaf hash SHA-256(0x00 || data). */
EPV_API int epv_merkle_leaf_hash(const void *data, size_t len, unsigned char *out);
/** RFC 6962 tree head of n leaf hashes (n = 0: SHA-256 of the empty string). */
EPV_API int epv_merkle_root(epv_ctx *ctx, const unsigned char *leaf_hashes, size_t n,
                            unsigned char *out);
/** Audit path of leaf `index` (0-based) in a tree of n leaves; proof has room for `cap`
 * hashes; *len_out gets the count. */
EPV_API int epv_merkle_inclusion_proof(epv_ctx *ctx, const unsigned char *leaf_hashes,
                                       size_t n, size_t index, unsigned char *proof,
                                       size_t cap, size_t *len_out);
/** 1 if the proof shows leaf_hash at index in the tree of size n with the given root. */
EPV_API int epv_merkle_verify_inclusion(const unsigned char *leaf_hash, size_t index, size_t n,
                                        const unsigned char *proof, size_t len,
                                        const unsigned char *root);
/** Consistency proof between tree sizes m <= n (RFC 6962 section 2.1.2). */
EPV_API int epv_merkle_consistency_proof(epv_ctx *ctx, const unsigned char *leaf_hashes,
                                         size_t m, size_t n, unsigned char *proof, size_t cap,
                                         size_t *len_out);
/** 1 if the proof shows the tree of size m (root1) is a prefix of the tree of size n (root2). */
EPV_API int epv_merkle_verify_consistency(size_t m, size_t n, const unsigned char *root1,
                                          const unsigned char *root2,
                                          const unsigned char *proof, size_t len);

#ifdef __cplusplus
}
#endif
#endif /* EPV_MERKLE_H */
