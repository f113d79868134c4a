/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Verification layer (ledger_verify.c): beside the operations, above storage. Used by the
 * handle (open), XML import and the public verification calls. */
#ifndef EPV_LEDGER_VERIFY_INT_H
#define EPV_LEDGER_VERIFY_INT_H

#include <string.h>

#include "ledger_int.h"

/* A verified checkpoint: height, chain head there, state digest there. */
struct epv__lcheckpoint {
    int64_t seq;
    unsigned char head[32];
    unsigned char state[32];
};

/* All checkpoints in ascending order (allocated; *n = 0 and NULL when there are none). */
int epv__lg_checkpoints(epv_ledger *l, struct epv__lcheckpoint **out, size_t *n);
/* Fast check from the last checkpoint: that entry's hash equals the checkpoint's head, the
 * chain from there to the head row verifies. *used = 0 (and nothing checked) without a
 * checkpoint. */
int epv__lg_verify_since_checkpoint(epv_ledger *l, int *used);
/* Walk the whole chain (numbering, links, hashes) and compare its end with the head row. */
int epv__lg_verify_chain(epv_ledger *l, int64_t *entries);
/* Everything: chain, head, replay, state digest, invariants, in one walk of the journal, with
 * progress on the context (EPV_ECANCELLED if the callback stops it; nothing is changed). */
int epv__lg_verify_full(epv_ledger *l);
/* Journals shorter than this are verified on one connection even when the context allows two
 * threads (a second connection costs more than it saves); tests lower it. With two threads, the
 * second connection reads and hashes the journal and reads the stored tables' digest while this
 * one replays (ledger_verify.c). */
extern int epv__lg_side_min_entries;
/* Two-thread verifications that reached their verdict, and that were done again on one
 * connection (the snapshots differed, or the other side found a fault); for the tests. */
extern long epv__lg_side_verdicts, epv__lg_side_redone;
/* The same, and the store's structural check (SQLite's quick_check) as well, on open. */
int epv__lg_verify_store(epv_ledger *l);
/* Live layout: the model written as the snapshot of the checkpoint just recorded (inside its
 * transaction), and read back on open: *used = 1 when the last checkpoint had one and l->live
 * now holds it (at that checkpoint's entry; the entries since are the caller's to apply). */
int epv__lg_live_snapshot_write(epv_ledger *l);
int epv__lg_live_snapshot_load(epv_ledger *l, int *used);
/* Full verification's part: the last checkpoint's snapshot, if there is one, must hold the
 * state the replay found there (the checkpoint's state digest). */
int epv__lg_live_snapshot_check(epv_ledger *l);
/* The same, and the live model's digest (live: may be NULL), on a second thread while this one
 * replays (only with two threads on the context: *out NULL otherwise, do them here). The join
 * returns the digest's status (its message on the context), and the snapshot's in *snap_rc
 * (its message on the context if the digest's status is 0). */
struct epv__lside;
int epv__lg_live_side_start(epv_ledger *l, struct epv__lrp *live, int snapshot, struct epv__lside **out);
int epv__lg_live_side_join(epv_ledger *l, struct epv__lside *sd, unsigned char live_d[32], int *snap_rc);
struct epv__lwalk;
/* Live layout: the whole journal replayed into a new model and verified (chain, head,
 * checkpoints and `extra`, invariants; with quick, the store's structural check; with
 * snapshot, the last checkpoint's snapshot). keep: the new model becomes l->live (an open, a
 * rebuild); otherwise its digest must equal l->live's (a verification). With two threads on
 * the context the live model's digest and the snapshot are checked beside the replay. */
int epv__lg_live_verify(epv_ledger *l, const struct epv__lwalk *wp, const struct epv__lcheckpoint *extra, int quick,
                        int keep, int snapshot);
/* The same, passing one more checkpoint (an outside anchor) that the replay must match. */
int epv__lg_verify_full_with(epv_ledger *l, const struct epv__lcheckpoint *extra);
/* SHA-256 of every derived table in key order. */
int epv__lg_digest(epv_ledger *l, unsigned char out[32]);

/* ---- inside the verification layer (ledger_verify.c, ledger_verify_two.c) ---- */

/* Progress of a walk over `total` entries, mapped to [lo, hi]; reported every 4096 entries
 * (and at the start), so the callback costs nothing measurable. */
struct epv__lwalk {
    double lo, hi;
    int64_t total;
    const char *msg;
};
/* A replay into the native model, and the checkpoints it must pass through (ascending). */
struct epv__lreplay {
    struct epv__lrp *m;
    struct epv__lcheckpoint *cp;
    size_t ncp, next;
    /* A checkpoint at the head (the usual case right after epv_ledger_checkpoint): its state is
     * compared with the final digest instead of digesting the same state twice. */
    int64_t last;
    const struct epv__lcheckpoint *at_last;
    /* Whose state is recomputed: the last stored checkpoint (the one an open starts from) and
     * an outside anchor. Earlier checkpoints are checked against the chain (their head) only:
     * each was a full verification when written, no later check trusts their state, and a
     * digest of the model at every one of them would make full verification grow with the
     * number of checkpoints times the journal. */
    int64_t state_seq;
    const struct epv__lcheckpoint *extra;
};

/* Set up (the stored checkpoints, and `extra`, an outside one such as an anchor, in its place)
 * and free a replay. */
int epv__lrv_init(epv_ledger *l, const struct epv__lcheckpoint *extra, struct epv__lreplay *rp);
void epv__lrv_free(epv_ledger *l, struct epv__lreplay *rp);
/* Apply one verified entry (hash: its verified hash) and check the checkpoints at its height. */
int epv__lrv_one(epv_ledger *l, int64_t seq, const unsigned char *body, size_t len, const unsigned char hash[32],
                 void *payload);
/* After the walk: checkpoints beyond the journal, the model's digest (model_digest if already
 * computed, else here) against the checkpoint at the head and against the stored tables'
 * digest `stored`, then the invariants. */
int epv__lrv_conclude(epv_ledger *l, struct epv__lreplay *rp, const struct epv__lwalk *wp,
                      const unsigned char stored[32], const unsigned char *model_digest, int invariants);
/* One journal row of the chain walk, read by epv__lg_sql_journal_page (bound to the entry
 * before `expect`, in pages of EPV__L_JOURNAL_PAGE rows): is it entry `expect`, linked to
 * `prev`, its kind column the body's, its hash column the SHA-256 of prev || seq || body
 * (computed into `hash` with md, an EVP_MD_CTX), its req column the body's request id? The
 * one definition of a valid row for both threads of a verification. */
enum { EPV__L_JOURNAL_PAGE = 50000 };
extern const char *const epv__lg_sql_journal_page;
enum { EPV__LROW_OK, EPV__LROW_MISSING, EPV__LROW_LINK, EPV__LROW_KIND, EPV__LROW_SHA, EPV__LROW_ALTERED, EPV__LROW_REQ };
int epv__lg_journal_row(epv__lq *st, void *md, const void *md_alg, int64_t expect, const unsigned char prev[32],
                        unsigned char hash[32], const unsigned char **body, size_t *len);
/* The state digest of the derived tables on a store connection. */
int epv__lg_digest_store(struct epv__lstore *st, const void *md_alg, unsigned char out[32]);
/* Full verification on two threads (ledger_verify_two.c). Returns 1 with the verdict in *rc,
 * or 0 when it must be done again on the handle's connection alone. */
int epv__lg_verify_two(epv_ledger *l, const struct epv__lwalk *wp, const struct epv__lcheckpoint *extra,
                       int invariants, int quick, int *rc);

/* ---- the state digest's byte stream, one definition for both of its producers ----
 * For each derived table, in the order of epv__ld_tables: the table's query text and a NUL,
 * then every row in key order, every column as a type tag (SQLite's type numbers) followed by
 * a big-endian u64 (integers: the value; texts and blobs: the length, then the bytes).
 * epv__lg_digest() writes it from the stored tables, the native replay from memory. */
enum {
    EPV__LD_HEAD, EPV__LD_META, EPV__LD_REQUESTS, EPV__LD_ACCOUNTS, EPV__LD_PROJECTS, EPV__LD_PERIODS,
    EPV__LD_VERIFICATIONS, EPV__LD_ISSUANCES, EPV__LD_BLOCKS, EPV__LD_TOTALS, EPV__LD_RETIREMENTS,
    EPV__LD_EVENTS, EPV__LD_NTABLES
};
extern const char *const epv__ld_tables[EPV__LD_NTABLES];
struct epv__ldig {
    void *md; /* EVP_MD_CTX */
    size_t n;
    unsigned char b[8192]; /* one digest update per 8 KiB, not one per column */
};
int epv__ldig_begin(epv_ctx *ctx, const void *md_alg, struct epv__ldig *d);
void epv__ldig_table(struct epv__ldig *d, int table);
/* Bytes that do not fit the buffer (flushes it). */
void epv__ldig_put_slow(struct epv__ldig *d, const void *p, size_t n);
/* The columns are written inline: a digest of a large ledger writes tens of millions. */
static inline void epv__ldig_put(struct epv__ldig *d, const void *p, size_t n)
{
    if (n <= sizeof d->b - d->n) {
        memcpy(d->b + d->n, p, n);
        d->n += n;
    } else
        epv__ldig_put_slow(d, p, n);
}
static inline void epv__ldig_tag(struct epv__ldig *d, int type, uint64_t v)
{
    unsigned char tag[9];
    tag[0] = (unsigned char)type;
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    v = __builtin_bswap64(v); /* one instruction; a digest writes tens of millions of these */
    memcpy(tag + 1, &v, 8);
#else
    for (int k = 8; k >= 1; k--) {
        tag[k] = (unsigned char)v;
        v >>= 8;
    }
#endif
    epv__ldig_put(d, tag, 9);
}
static inline void epv__ldig_int(struct epv__ldig *d, int64_t v) { epv__ldig_tag(d, EPV__LQ_INTEGER, (uint64_t)v); }
static inline void epv__ldig_text(struct epv__ldig *d, const char *s, size_t n)
{
    epv__ldig_tag(d, EPV__LQ_TEXT, (uint64_t)n);
    if (n) epv__ldig_put(d, s, n);
}
static inline void epv__ldig_blob(struct epv__ldig *d, const void *p, size_t n)
{
    epv__ldig_tag(d, EPV__LQ_BLOB, (uint64_t)n);
    if (n) epv__ldig_put(d, p, n);
}
/* Any other column type (NULL; a float, which no ledger table has): its tag alone. */
void epv__ldig_other(struct epv__ldig *d, int type);
/* Finish (out may be NULL to abandon); frees the digest context. */
int epv__ldig_end(epv_ctx *ctx, struct epv__ldig *d, unsigned char out[32]);

/* A little-endian u64: one load where the machine is little-endian (a snapshot of a large
 * ledger holds tens of millions of them). */
static inline uint64_t epv__le64(const unsigned char *p)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    uint64_t v;
    memcpy(&v, p, 8);
    return v;
#else
    uint64_t v = 0;
    for (int k = 7; k >= 0; k--) v = v << 8 | p[k];
    return v;
#endif
}

/* ---- native replay (ledger_replay.c) ----
 * The journal's entries applied, in order, to an in-memory model of the derived tables: the
 * same rules as the operations layer (whose pure checks it calls), without SQL, so a full
 * verification replays at memory speed. Its digest must equal epv__lg_digest() of the stored
 * tables; every full verification in the test suite compares the two, so the model and the
 * operations layer cannot drift apart unnoticed. */
struct epv__lrp;
int epv__lrp_new(epv_ledger *l, struct epv__lrp **out);
void epv__lrp_free(struct epv__lrp *r);
/* Apply entry `seq` (whose verified hash is `hash`); an entry that the rules refuse is an
 * error with the reason (the caller calls it corruption). */
int epv__lrp_apply(struct epv__lrp *r, const struct epv__lop *op, int64_t seq, const unsigned char hash[32]);
/* The same, with the operation's results (the live layout's write path). A refused operation
 * leaves the model as it was unless epv__lrp_broken() says otherwise afterwards. */
int epv__lrp_apply_res(struct epv__lrp *r, const struct epv__lop *op, int64_t seq, const unsigned char hash[32],
                       int64_t res[EPV__L_NRES]);
int epv__lrp_broken(const struct epv__lrp *r);
/* The model as bytes (a snapshot, ledger_live.c), and a model made from such bytes: anything
 * that does not describe a model is EPV_ECORRUPT, never read past the end. */
int epv__lrp_save(struct epv__lrp *r, unsigned char **out, size_t *len);
int epv__lrp_load(epv_ledger *l, epv_ctx *ctx, const unsigned char *buf, size_t len, struct epv__lrp **out);
/* The context a model allocates on and reports to (a second thread lends it its own); returns
 * the one it had. */
epv_ctx *epv__lrp_swap_ctx(struct epv__lrp *r, epv_ctx *ctx);
/* The last entry applied (0 and zeros for an empty model). */
void epv__lrp_head(const struct epv__lrp *r, int64_t *seq, unsigned char hash[32]);
/* 1 with the entry and results of a recorded request id, 0 if there is none. */
int epv__lrp_request(const struct epv__lrp *r, const char *req, int64_t *seq, int64_t res[EPV__L_NRES]);
/* The state digest of the model (the same bytes as epv__lg_digest() on equal tables). */
int epv__lrp_digest(struct epv__lrp *r, unsigned char out[32]);
/* The integrity invariants (epv__lg_check_invariants()'s, same texts) on the model: once its
 * digest equals the stored tables', this checks the stored state without reading it again. */
int epv__lrp_check_invariants(struct epv__lrp *r);
/* The SQL integrity invariants (doc/ledger.md table). */
int epv__lg_check_invariants(epv_ledger *l);

/* ---- live model queries (ledger_replay.c) ----
 * The derived-table queries answered from the model (the live layout), with the same results,
 * row order (projects in strcmp order, as SQLite's BINARY and PostgreSQL's "C" collation) and
 * errors as the SQL of ledger_query.c, ledger_cadt.c and ledger_risk.c; the caller has checked
 * the arguments as the public function does, and holds the read snapshot in which the model
 * was synced. Callbacks get copies of the rows and may call the ledger's read functions. */
/* epv_ledger_balance: units with the optional filters (NULL, vintage 0, status -1: any). */
int epv__lrp_balance(struct epv__lrp *r, const char *account, const char *project, int vintage, int status,
                     int64_t *units);
/* epv_ledger_totals_get (out->version set). */
int epv__lrp_totals(struct epv__lrp *r, const char *project, int vintage, epv_ledger_totals *out);
/* epv_ledger_blocks: by project, then first serial. */
int epv__lrp_blocks(struct epv__lrp *r, const char *project, const char *account, epv_ledger_block_fn fn,
                    void *payload);
/* epv_ledger_serial_history: the events whose range holds serial, by entry; EPV_ENOTFOUND
 * without any. project: a checked id. */
int epv__lrp_serial_history(struct epv__lrp *r, const char *project, int64_t serial, epv_ledger_event_fn fn,
                            void *payload);
/* epv_ledger_certificate_get. */
int epv__lrp_certificate(struct epv__lrp *r, int64_t number, epv_ledger_certificate_fn fn, void *payload);
/* epv_ledger_obligation: the project's outstanding obligation, 0 without one. */
int epv__lrp_obligation(struct epv__lrp *r, const char *project, int64_t *units);
/* The CADT export's rows (ledger_cadt.c): a block with its holder's entity ("" if unknown), its
 * project's forestry flag and, for retired units, the certificate's beneficiary and reason. */
struct epv__lrp_cadt_row {
    epv_ledger_block b;
    const char *entity, *beneficiary, *reason;
    int forestry;
};
/* A nonzero return ends the rows and is returned as it is. */
typedef int (*epv__lrp_cadt_fn)(const struct epv__lrp_cadt_row *row, void *payload);
int epv__lrp_cadt_count(struct epv__lrp *r, const char *project, int64_t *n);
int epv__lrp_cadt_rows(struct epv__lrp *r, const char *project, epv__lrp_cadt_fn fn, void *payload);

#endif
