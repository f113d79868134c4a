/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Anchored history (issue 11 item 5): a verified checkpoint signed with Ed25519 (OpenSSL
 * libcrypto, EVP raw keys) and written as a small text file that an outside party keeps.
 * Verifying a ledger against it replays the whole journal, which must pass through the
 * anchored height with the anchored chain head and state digest; the Merkle root of the
 * first `entries` entries must be the anchored root. A file rolled back to an older copy or
 * truncated has fewer entries; a rewritten chain with recomputed hashes ends in another head.
 *
 * File (ASCII, one field a line, in this order):
 *   epv-ledger-anchor 1
 *   programme <id>
 *   entries <n>
 *   head <64 hex>      chain head after entry n
 *   root <64 hex>      RFC 6962 tree head of entries 1..n
 *   state <64 hex>     state digest after entry n
 *   public_key <64 hex>
 *   signature <128 hex>
 * Signed message: "epv-ledger-anchor-v1" | u64 n | head | root | state | u32 len | programme. */
#include "config.h"

#include <errno.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <string.h>

#include "ledger_verify_int.h"
#include "textout_int.h"
#include "epv/merkle.h"

#define ANCHOR_MAGIC "epv-ledger-anchor-v1"

struct anchor {
    char programme[EPV__L_MAX_ID + 1];
    int64_t entries;
    unsigned char head[32], root[32], state[32], pub[32], sig[64];
};

static void hexs(const unsigned char *b, size_t n, char *out)
{
    static const char d[] = "0123456789abcdef";
    for (size_t k = 0; k < n; k++) {
        out[2 * k] = d[b[k] >> 4];
        out[2 * k + 1] = d[b[k] & 15];
    }
    out[2 * n] = 0;
}

static int unhexs(const char *s, unsigned char *out, size_t n)
{
    if (strlen(s) != 2 * n) return -1;
    for (size_t k = 0; k < 2 * n; k++) {
        char c = s[k];
        int v = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
        if (v < 0) return -1;
        if (k % 2 == 0) out[k / 2] = (unsigned char)(v << 4);
        else out[k / 2] |= (unsigned char)v;
    }
    return 0;
}

/* The signed message; returns its length (buf has room for 256 bytes). */
static size_t message(const struct anchor *a, unsigned char *buf)
{
    size_t p = 0, pl = strlen(a->programme);
    memcpy(buf, ANCHOR_MAGIC, sizeof ANCHOR_MAGIC - 1);
    p += sizeof ANCHOR_MAGIC - 1;
    for (int k = 7; k >= 0; k--) buf[p++] = (unsigned char)((uint64_t)a->entries >> (8 * k));
    memcpy(buf + p, a->head, 32);
    memcpy(buf + p + 32, a->root, 32);
    memcpy(buf + p + 64, a->state, 32);
    p += 96;
    for (int k = 3; k >= 0; k--) buf[p++] = (unsigned char)(pl >> (8 * k));
    memcpy(buf + p, a->programme, pl);
    return p + pl;
}

static int crypto_fail(epv_ctx *ctx, const char *what)
{
    return epv__error(ctx, EPV_EIO, "ledger anchor: %s failed (OpenSSL)", what);
}

EPV_API int epv_ledger_public_key(epv_ctx *ctx, const unsigned char *private_key, unsigned char *public_key)
{
    EPV__NEED(ctx, private_key, "private_key");
    EPV__NEED(ctx, public_key, "public_key");
    EVP_PKEY *k = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, private_key, 32);
    size_t n = 32;
    int ok = k && EVP_PKEY_get_raw_public_key(k, public_key, &n) == 1 && n == 32;
    EVP_PKEY_free(k);
    return ok ? EPV_OK : crypto_fail(ctx, "deriving the Ed25519 public key");
}

EPV_API int epv_ledger_keygen(epv_ctx *ctx, unsigned char *private_key, unsigned char *public_key)
{
    EPV__NEED(ctx, private_key, "private_key");
    EPV__NEED(ctx, public_key, "public_key");
    EVP_PKEY_CTX *pc = EVP_PKEY_CTX_new_id(EVP_PKEY_ED25519, NULL);
    EVP_PKEY *k = NULL;
    size_t n = 32, m = 32;
    int ok = pc && EVP_PKEY_keygen_init(pc) == 1 && EVP_PKEY_keygen(pc, &k) == 1 &&
             EVP_PKEY_get_raw_private_key(k, private_key, &n) == 1 && n == 32 &&
             EVP_PKEY_get_raw_public_key(k, public_key, &m) == 1 && m == 32;
    EVP_PKEY_free(k);
    EVP_PKEY_CTX_free(pc);
    return ok ? EPV_OK : crypto_fail(ctx, "generating an Ed25519 key");
}

static int sign(epv_ctx *ctx, const unsigned char *priv, struct anchor *a)
{
    unsigned char msg[256];
    size_t len = message(a, msg), sl = 64;
    EVP_PKEY *k = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, priv, 32);
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    int ok = k && md && EVP_DigestSignInit(md, NULL, NULL, NULL, k) == 1 &&
             EVP_DigestSign(md, a->sig, &sl, msg, len) == 1 && sl == 64;
    EVP_MD_CTX_free(md);
    EVP_PKEY_free(k);
    return ok ? EPV_OK : crypto_fail(ctx, "signing");
}

/* 1 good signature, 0 bad, -1 OpenSSL failure */
static int signature_ok(const struct anchor *a, const unsigned char *pub)
{
    unsigned char msg[256];
    size_t len = message(a, msg);
    EVP_PKEY *k = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, pub, 32);
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    int r = -1;
    if (k && md && EVP_DigestVerifyInit(md, NULL, NULL, NULL, k) == 1)
        r = EVP_DigestVerify(md, a->sig, 64, msg, len) == 1;
    EVP_MD_CTX_free(md);
    EVP_PKEY_free(k);
    return r;
}

EPV_API int epv_ledger_anchor_export(epv_ledger *l, const unsigned char *private_key,
                                     const char *anchor_path, epv_i64 *entries_out)
{
    if (!l) return EPV_EINVAL;
    EPV__NEED(l->ctx, private_key, "private_key");
    EPV__NEED(l->ctx, anchor_path, "anchor_path");
    struct anchor a;
    memset(&a, 0, sizeof a);
    epv_i64 n = 0;
    /* a verified checkpoint first (full verification under the write lock) */
    int rc = epv_ledger_checkpoint(l, &n);
    if (rc) return rc;
    struct epv__lcheckpoint *cp = NULL;
    size_t ncp = 0;
    rc = epv__lg_read_begin(l);
    if (rc) return rc;
    rc = epv__lg_checkpoints(l, &cp, &ncp);
    rc = epv__lg_read_end(l, rc);
    if (rc) return rc;
    int found = 0;
    for (size_t k = 0; k < ncp; k++) {
        if (cp[k].seq != n) continue;
        memcpy(a.head, cp[k].head, 32);
        memcpy(a.state, cp[k].state, 32);
        found = 1;
    }
    epv__free(l->ctx, cp);
    if (!found) return epv__error(l->ctx, EPV_ESTATE, "ledger anchor: checkpoint %lld vanished", (long long)n);
    a.entries = n;
    snprintf(a.programme, sizeof a.programme, "%s", l->programme);
    /* the first n entries never change: their tree head is the same whatever was added since */
    rc = epv_ledger_merkle_root(l, n, a.root);
    if (!rc) rc = epv_ledger_public_key(l->ctx, private_key, a.pub);
    if (!rc) rc = sign(l->ctx, private_key, &a);
    if (rc) return rc;
    epv__out o;
    rc = epv__out_open(l->ctx, anchor_path, &o);
    if (rc) return rc;
    char h[4][65], sg[129];
    hexs(a.head, 32, h[0]);
    hexs(a.root, 32, h[1]);
    hexs(a.state, 32, h[2]);
    hexs(a.pub, 32, h[3]);
    hexs(a.sig, 64, sg);
    fprintf(o.f, "epv-ledger-anchor 1\nprogramme %s\nentries %lld\nhead %s\nroot %s\nstate %s\npublic_key %s\nsignature %s\n",
            a.programme, (long long)a.entries, h[0], h[1], h[2], h[3], sg);
    rc = epv__out_close(l->ctx, &o, EPV_OK);
    if (!rc && entries_out) *entries_out = n;
    return rc;
}

static int read_anchor(epv_ctx *ctx, const char *path, struct anchor *a)
{
    static const char *const keys[] = { "epv-ledger-anchor", "programme", "entries", "head",
                                         "root", "state", "public_key", "signature" };
    memset(a, 0, sizeof *a);
    FILE *f = fopen(path, "r");
    if (!f) return epv__error(ctx, EPV_EIO, "%s: cannot read: %s", path, strerror(errno));
    char line[512];
    int rc = EPV_OK, k;
    for (k = 0; k < 8 && !rc; k++) {
        if (!fgets(line, sizeof line, f)) {
            rc = epv__error(ctx, EPV_EPARSE, "%s:%d: missing line '%s'", path, k + 1, keys[k]);
            break;
        }
        size_t len = strlen(line);
        if (len == 0 || line[len - 1] != '\n') {
            rc = epv__error(ctx, EPV_EPARSE, "%s:%d: line too long or unterminated", path, k + 1);
            break;
        }
        line[len - 1] = 0;
        size_t kl = strlen(keys[k]);
        if (strncmp(line, keys[k], kl) || line[kl] != ' ') {
            rc = epv__error(ctx, EPV_EPARSE, "%s:%d: expected '%s <value>'", path, k + 1, keys[k]);
            break;
        }
        const char *v = line + kl + 1;
        int bad = 0;
        switch (k) {
        case 0: bad = strcmp(v, "1") != 0; break;
        case 1:
            bad = epv__lg_check_id(NULL, v, "programme") != EPV_OK;
            if (!bad) snprintf(a->programme, sizeof a->programme, "%s", v);
            break;
        case 2: {
            char *end;
            errno = 0;
            long long n = strtoll(v, &end, 10);
            bad = *v < '1' || *v > '9' || *end || errno || n < 1;
            a->entries = n;
            break;
        }
        case 3: bad = unhexs(v, a->head, 32); break;
        case 4: bad = unhexs(v, a->root, 32); break;
        case 5: bad = unhexs(v, a->state, 32); break;
        case 6: bad = unhexs(v, a->pub, 32); break;
        default: bad = unhexs(v, a->sig, 64); break;
        }
        if (bad)
            rc = epv__error(ctx, EPV_EPARSE, "%s:%d: field '%s': bad value '%.80s'", path, k + 1, keys[k], v);
    }
    if (!rc && fgets(line, sizeof line, f))
        rc = epv__error(ctx, EPV_EPARSE, "%s:9: unexpected text after the signature", path);
    fclose(f);
    return rc;
}

EPV_API int epv_ledger_anchor_verify(epv_ledger *l, const char *anchor_path, const unsigned char *public_key,
                                     epv_i64 *entries_out)
{
    if (!l) return EPV_EINVAL;
    EPV__NEED(l->ctx, anchor_path, "anchor_path");
    EPV__NEED(l->ctx, public_key, "public_key");
    struct anchor a;
    int rc = read_anchor(l->ctx, anchor_path, &a);
    if (rc) return rc;
    /* the anchor itself: signed by the key the outside party trusts */
    if (memcmp(a.pub, public_key, 32))
        return epv__error(l->ctx, EPV_ECORRUPT, "%s: anchor is signed by another key", anchor_path);
    int s = signature_ok(&a, public_key);
    if (s < 0) return crypto_fail(l->ctx, "checking the signature");
    if (!s) return epv__error(l->ctx, EPV_ECORRUPT, "%s: bad signature (anchor altered)", anchor_path);
    if (strcmp(a.programme, l->programme))
        return epv__error(l->ctx, EPV_ECORRUPT, "%s: anchor is for programme '%s', the ledger is '%s'", anchor_path,
                          a.programme, l->programme);
    /* the ledger against it, in one snapshot */
    rc = epv__lg_read_begin(l);
    if (rc) return rc;
    epv_i64 n = 0;
    rc = epv__lg_load_head(l);
    if (!rc) n = l->head_seq;
    if (!rc && n < a.entries)
        rc = epv__error(l->ctx, EPV_ECORRUPT,
                        "%s: the ledger has %lld entries, the anchor %lld: truncated or rolled back to an older copy",
                        anchor_path, (long long)n, (long long)a.entries);
    if (!rc) {
        struct epv__lcheckpoint c;
        c.seq = a.entries;
        memcpy(c.head, a.head, 32);
        memcpy(c.state, a.state, 32);
        rc = epv__lg_verify_full_with(l, &c);
        if (rc == EPV_ECORRUPT && strstr(epv_ctx_errmsg(l->ctx), "checkpoint at entry"))
            epv__error(l->ctx, rc, "%s: history differs from the anchor at entry %lld (chain rewritten, "
                                   "entries replaced or state altered)", anchor_path, (long long)a.entries);
        else if (rc == EPV_ECORRUPT)
            epv__error_prefix(l->ctx, "%s: checking against the anchor", anchor_path);
    }
    unsigned char root[32];
    if (!rc) rc = epv_ledger_merkle_root(l, a.entries, root);
    if (!rc && memcmp(root, a.root, 32))
        rc = epv__error(l->ctx, EPV_ECORRUPT, "%s: Merkle root of the first %lld entries differs from the anchor",
                        anchor_path, (long long)a.entries);
    rc = epv__lg_read_end(l, rc);
    if (!rc && entries_out) *entries_out = n;
    return rc;
}
