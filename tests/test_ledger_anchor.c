/* SPDX-License-Identifier: GPL-3.0-or-later */
#define _GNU_SOURCE
/* Anchored history (issue 11 item 5) and the tamper suite. An anchor (signed checkpoint,
 * Ed25519) is exported to a file an outside party keeps. Each tampering is tried three ways:
 * the default open (from the last checkpoint), a full verification (EPV_LEDGER_FULL_VERIFY),
 * and epv_ledger_anchor_verify against the kept anchor; each has its expected verdict. What
 * only the anchor catches: a rollback to an older copy, a truncation with the derived tables
 * and checkpoints rebuilt to match, and a chain rewritten with its hashes recomputed. */
#include <sqlite3.h>

#include "test_util.h"
#include "test_ledger_common.c"

static epv_ctx *ctx;
static unsigned char priv[32], pub[32];

static void unhex_line(const char *h, unsigned char out[32])
{
    for (int k = 0; k < 32; k++) {
        unsigned v = 0;
        sscanf(h + 2 * k, "%2x", &v);
        out[k] = (unsigned char)v;
    }
}
static char orig[1024], old_copy[1024], anchor[1024];

/* setup, issue, a retirement for `beneficiary`, n transfers */
static epv_ledger *build(const char *path, const char *beneficiary, int n)
{
    epv_ledger *l = NULL;
    EPV_ASSERT_OK(ctx, epv_ledger_open(ctx, path, EPV_LEDGER_CREATE, NULL, &l));
    CU_ASSERT_PTR_NOT_NULL_FATAL(l);
    EPV_ASSERT_OK(ctx, tl_setup(l));
    EPV_ASSERT_OK(ctx, epv_ledger_issue(l, "i1", "R1", 0, NULL));
    epv_ledger_units u = tl_count("P1", 50);
    EPV_ASSERT_OK(ctx, epv_ledger_transfer(l, "t0", "OWNER", "BUYER", &u));
    u = tl_count("P1", 10);
    EPV_ASSERT_OK(ctx, epv_ledger_retire(l, "r1", "BUYER", &u, beneficiary, "offset", tl_d(2024, 5, 1), NULL));
    char req[32];
    for (int k = 0; k < n; k++) {
        snprintf(req, sizeof req, "mv%d", k);
        u = tl_count("P1", 1);
        EPV_ASSERT_OK(ctx, epv_ledger_transfer(l, req, k % 2 ? "BUYER" : "OWNER", k % 2 ? "OWNER" : "BUYER", &u));
    }
    return l;
}

static void copy_file(const char *from, const char *to)
{
    CU_ASSERT_EQUAL_FATAL(tl_copy(from, to), 0);
}

static void setup_files(void)
{
    CU_ASSERT_EQUAL_FATAL(epv_ledger_keygen(ctx, priv, pub), EPV_OK);
    unsigned char pub2[32];
    EPV_ASSERT_OK(ctx, epv_ledger_public_key(ctx, priv, pub2));
    CU_ASSERT_EQUAL(memcmp(pub, pub2, 32), 0);
    snprintf(orig, sizeof orig, "%s", tl_path("orig.db"));
    snprintf(old_copy, sizeof old_copy, "%s", tl_path("old.db"));
    snprintf(anchor, sizeof anchor, "%s", tl_path("registry.anchor"));
    epv_ledger *l = build(orig, "Alpha Ltd.", 10); /* 19 entries */
    epv_ledger_close(l);
    copy_file(orig, old_copy); /* an older copy, kept by someone */
    EPV_ASSERT_OK(ctx, epv_ledger_open(ctx, orig, 0, NULL, &l));
    char req[32];
    for (int k = 10; k < 20; k++) { /* the same kind of moves go on: 29 entries */
        snprintf(req, sizeof req, "mv%d", k);
        epv_ledger_units u = tl_count("P1", 1);
        EPV_ASSERT_OK(ctx, epv_ledger_transfer(l, req, k % 2 ? "BUYER" : "OWNER", k % 2 ? "OWNER" : "BUYER", &u));
    }
    epv_i64 n = 0;
    EPV_ASSERT_OK(ctx, epv_ledger_anchor_export(l, priv, anchor, &n));
    CU_ASSERT_EQUAL(n, 29);
    /* the registry goes on after the anchor: growth is fine */
    for (int k = 20; k < 26; k++) {
        snprintf(req, sizeof req, "mv%d", k);
        epv_ledger_units u = tl_count("P1", 1);
        EPV_ASSERT_OK(ctx, epv_ledger_transfer(l, req, k % 2 ? "BUYER" : "OWNER", k % 2 ? "OWNER" : "BUYER", &u));
    }
    EPV_ASSERT_OK(ctx, epv_ledger_anchor_verify(l, anchor, pub, &n));
    CU_ASSERT_EQUAL(n, 35);
    epv_ledger_close(l);
}

/* Open `path` three ways and compare with the expected verdicts (0 or EPV_ECORRUPT). */
static void verdicts(const char *what, const char *path, int fast, int full, int anchored, const char *anchor_msg)
{
    epv_ledger *l = NULL;
    int rc = epv_ledger_open(ctx, path, 0, NULL, &l);
    if (rc != fast) printf("\n  %s: default open gave %d (%s), expected %d", what, rc, epv_ctx_errmsg(ctx), fast);
    CU_ASSERT_EQUAL(rc, fast);
    epv_ledger_close(l);
    l = NULL;
    rc = epv_ledger_open(ctx, path, EPV_LEDGER_FULL_VERIFY, NULL, &l);
    if (rc != full) printf("\n  %s: full open gave %d (%s), expected %d", what, rc, epv_ctx_errmsg(ctx), full);
    CU_ASSERT_EQUAL(rc, full);
    epv_ledger_close(l);
    l = NULL;
    /* an anchor check needs a handle: the chain-only open gives one on any readable ledger */
    rc = epv_ledger_open(ctx, path, EPV_LEDGER_NO_REPLAY | EPV_LEDGER_READONLY, NULL, &l);
    if (rc) {
        /* the file is not even a consistent chain: that is the verdict already */
        CU_ASSERT_EQUAL(anchored, EPV_ECORRUPT);
        return;
    }
    rc = epv_ledger_anchor_verify(l, anchor, pub, NULL);
    if (rc != anchored)
        printf("\n  %s: anchor check gave %d (%s), expected %d", what, rc, epv_ctx_errmsg(ctx), anchored);
    CU_ASSERT_EQUAL(rc, anchored);
    if (anchor_msg && rc) EPV_ASSERT_ERRMSG_HAS(ctx, anchor_msg);
    epv_ledger_close(l);
}

static void sql_on(const char *path, const char *sql)
{
    CU_ASSERT_EQUAL(tl_sql(path, sql), 0);
}

static void test_tamper_suite(void)
{
    setup_files();
    char t[1100];
    snprintf(t, sizeof t, "%s.t", orig);

    verdicts("untouched", orig, EPV_OK, EPV_OK, EPV_OK, NULL);

    /* payload edit before the checkpoint: the checkpoint is trusted by the fast open */
    copy_file(orig, t);
    sql_on(t, "DROP TRIGGER journal_no_update; UPDATE journal SET body = CAST(replace(CAST(body AS TEXT),"
              " 'Alpha', 'Omega') AS BLOB) WHERE seq = 9");
    verdicts("payload edit", t, EPV_OK, EPV_ECORRUPT, EPV_ECORRUPT, "hash mismatch");

    /* payload edit after the checkpoint */
    copy_file(orig, t);
    sql_on(t, "DROP TRIGGER journal_no_update; UPDATE journal SET body = substr(body, 1, length(body) - 1)"
              " WHERE seq = 33");
    verdicts("payload edit after the checkpoint", t, EPV_ECORRUPT, EPV_ECORRUPT, EPV_ECORRUPT, NULL);

    /* derived-row edit */
    copy_file(orig, t);
    sql_on(t, "UPDATE retirements SET beneficiary = 'Omega'");
    if (tl_live()) /* the live layout's tables are not its state: the edit changes nothing */
        verdicts("derived-row edit", t, EPV_OK, EPV_OK, EPV_OK, NULL);
    else
        verdicts("derived-row edit", t, EPV_OK, EPV_ECORRUPT, EPV_ECORRUPT, "replay");

    /* row swap: two entries exchange places (bodies and hashes) */
    copy_file(orig, t);
    sql_on(t, "DROP TRIGGER journal_no_update;"
              " UPDATE journal SET seq = -1 WHERE seq = 12; UPDATE journal SET seq = 12 WHERE seq = 13;"
              " UPDATE journal SET seq = 13 WHERE seq = -1");
    verdicts("row swap", t, EPV_OK, EPV_ECORRUPT, EPV_ECORRUPT, NULL);

    /* truncation: the last entries removed, head set back, checkpoints dropped */
    copy_file(orig, t);
    sql_on(t, "DROP TRIGGER journal_no_delete; DELETE FROM journal WHERE seq > 20; DELETE FROM checkpoints;"
              " UPDATE head SET seq = 20, hash = (SELECT hash FROM journal WHERE seq = 20)");
    if (tl_live()) /* no derived rows left behind to betray it: a consistent shorter ledger,
                    * which only the anchor tells from the history it signed (as an older copy) */
        verdicts("truncation", t, EPV_OK, EPV_OK, EPV_ECORRUPT, "rolled back");
    else
        verdicts("truncation", t, EPV_ECORRUPT, EPV_ECORRUPT, EPV_ECORRUPT, "truncated");

    /* truncation done well: the older copy is a complete, valid ledger of 19 entries */
    verdicts("rollback to an older copy", old_copy, EPV_OK, EPV_OK, EPV_ECORRUPT, "rolled back");

    /* a recomputed chain: the same operations with another beneficiary, every hash recomputed;
     * a valid ledger with as many entries, but not the anchored history */
    char forged[1100];
    snprintf(forged, sizeof forged, "%s", tl_path("forged.db"));
    epv_ledger *l = build(forged, "Mallory Ltd.", 26);
    epv_ledger_close(l);
    verdicts("recomputed chain", forged, EPV_OK, EPV_OK, EPV_ECORRUPT, "history differs from the anchor");
    tl_remove(t);
}

static void unhex(const char *h, unsigned char *out)
{
    for (size_t k = 0; k < strlen(h) / 2; k++) {
        unsigned v;
        sscanf(h + 2 * k, "%2x", &v);
        out[k] = (unsigned char)v;
    }
}

/* RFC 8032 section 7.1, TEST 1: the Ed25519 public key of a known secret key. */
static void test_rfc8032_key(void)
{
    unsigned char sk[32], pk[32], want[32];
    unhex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60", sk);
    unhex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", want);
    EPV_ASSERT_OK(ctx, epv_ledger_public_key(ctx, sk, pk));
    CU_ASSERT_EQUAL(memcmp(pk, want, 32), 0);
}

/* The anchored tree head lets the outside party check growth without a replay: an RFC 6962
 * consistency proof from the anchored size to the current one verifies for the real ledger and
 * fails for the recomputed chain. */
static void anchored_root(unsigned char root[32], long *entries)
{
    FILE *f = fopen(anchor, "r");
    char line[256];
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    while (fgets(line, sizeof line, f)) {
        if (!strncmp(line, "root ", 5)) unhex_line(line + 5, root);
        if (!strncmp(line, "entries ", 8)) *entries = atol(line + 8);
    }
    fclose(f);
}

static int consistent_with_anchor(const char *path)
{
    unsigned char root[32], now_root[32], proof[64 * 32];
    long m = 0;
    anchored_root(root, &m);
    epv_ledger *l = NULL;
    if (epv_ledger_open(ctx, path, EPV_LEDGER_READONLY, NULL, &l)) return -1;
    epv_i64 n = 0;
    size_t len = 0;
    int ok = epv_ledger_head(l, &n, NULL) == EPV_OK && n >= m &&
             epv_ledger_merkle_root(l, n, now_root) == EPV_OK &&
             epv_ledger_consistency_proof(l, m, n, proof, 64, &len) == EPV_OK &&
             epv_merkle_verify_consistency((size_t)m, (size_t)n, root, now_root, proof, len);
    epv_ledger_close(l);
    return ok;
}

static void test_consistency_from_anchor(void)
{
    CU_ASSERT_EQUAL(consistent_with_anchor(orig), 1);
    char forged[1100];
    snprintf(forged, sizeof forged, "%s", tl_path("forged2.db"));
    epv_ledger *l = build(forged, "Mallory Ltd.", 26);
    epv_ledger_close(l);
    CU_ASSERT_EQUAL(consistent_with_anchor(forged), 0);
}

static void test_anchor_file(void)
{
    epv_ledger *l = NULL;
    EPV_ASSERT_OK(ctx, epv_ledger_open(ctx, orig, 0, NULL, &l));
    CU_ASSERT_PTR_NOT_NULL_FATAL(l);
    long len;
    FILE *f = fopen(anchor, "rb");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    char text[2048];
    len = (long)fread(text, 1, sizeof text - 1, f);
    fclose(f);
    text[len] = 0;
    CU_ASSERT(len < 600); /* small */
    CU_ASSERT(strstr(text, "entries 29\n") != NULL);
    char bad[1100];
    snprintf(bad, sizeof bad, "%s.bad", anchor);
    /* a changed count: the signature no longer matches */
    char *p = strstr(text, "entries 29");
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    p[8] = '1'; /* entries 19 */
    f = fopen(bad, "wb");
    fputs(text, f);
    fclose(f);
    EPV_ASSERT_STATUS(ctx, epv_ledger_anchor_verify(l, bad, pub, NULL), EPV_ECORRUPT);
    EPV_ASSERT_ERRMSG_HAS(ctx, "bad signature");
    p[8] = '2';
    /* another key than the trusted one */
    unsigned char p2[32], k2[32];
    EPV_ASSERT_OK(ctx, epv_ledger_keygen(ctx, k2, p2));
    EPV_ASSERT_STATUS(ctx, epv_ledger_anchor_verify(l, anchor, p2, NULL), EPV_ECORRUPT);
    EPV_ASSERT_ERRMSG_HAS(ctx, "another key");
    /* a malformed line is named */
    p = strstr(text, "root ");
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    p[5] = 'X';
    f = fopen(bad, "wb");
    fputs(text, f);
    fclose(f);
    EPV_ASSERT_STATUS(ctx, epv_ledger_anchor_verify(l, bad, pub, NULL), EPV_EPARSE);
    EPV_ASSERT_ERRMSG_HAS(ctx, ":5: field 'root'");
    unlink(bad);
    EPV_ASSERT_STATUS(ctx, epv_ledger_anchor_verify(l, bad, pub, NULL), EPV_EIO);
    epv_ledger_close(l);
}

int main(void)
{
    if (epv_ctx_new(&ctx)) return 2;
    CU_TestInfo tests[] = {
        { "tamper suite: default open, full verification, anchor", test_tamper_suite },
        { "the anchor file: signature, key, format", test_anchor_file },
        { "consistency proof from the anchored tree head", test_consistency_from_anchor },
        { "Ed25519 key of RFC 8032 TEST 1", test_rfc8032_key },
        CU_TEST_INFO_NULL,
    };
    int rc = epv_test_main("ledger_anchor", tests);
    epv_ctx_free(ctx);
    tl_cleanup_dir();
    return rc;
}
