/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Private ledger internals shared by lib/ledger*.c (and the ledger tests).
 *
 * Every change is an operation (struct epv__lop) with a fixed shape: a kind, a request id,
 * six strings and eight integers whose meaning depends on the kind (table in ledger_journal.c).
 * The canonical encoding of that shape is what the journal stores and hashes; applying it to
 * the derived tables is the only way they change, both for live calls and for replay. */
#ifndef EPV_LEDGER_INT_H
#define EPV_LEDGER_INT_H

#include <stdint.h>
#include "ledger_store_int.h"
#include "epv/ledger.h"

enum epv__lkind {
    EPV__L_GENESIS = 1,
    EPV__L_ACCOUNT_OPEN = 2,
    EPV__L_ACCOUNT_STATUS = 3,
    EPV__L_PROJECT_REGISTER = 4,
    EPV__L_PROJECT_STATUS = 5,
    EPV__L_PERIOD_ADD = 6,
    EPV__L_VERIFY = 7,
    EPV__L_ISSUE = 8,
    EPV__L_TRANSFER = 9,
    EPV__L_RETIRE = 10,
    EPV__L_CANCEL = 11,
    EPV__L_REVERSE = 12,       /* a loss; the shortfall is only returned (files before 0.2) */
    EPV__L_PROJECT_RISK = 13,  /* non-permanence risk assessment: sets the project's buffer rate */
    EPV__L_REVERSAL = 14,      /* a loss; the shortfall becomes the project's obligation */
    EPV__L_SETTLE = 15,        /* held units cancelled against a project's reversal obligation */
    EPV__L_KIND_MAX = 15
};

#define EPV__L_NS 6
#define EPV__L_NI 8
#define EPV__L_NRES 4
#define EPV__L_FORMAT_VERSION 1
/* Largest quantity in one operation: keeps every product (quantity * basis points) and
 * every serial sum far from int64 overflow. */
#define EPV__L_MAX_UNITS INT64_C(1000000000000000)
#define EPV__L_MAX_ID 64
#define EPV__L_MAX_TEXT 256
#define EPV__L_MAX_REQ 128
/* 2020-09-22 as days since 1970-01-01 (CCER Art. 17: reductions after this day). */
#define EPV__L_CCER_CUTOFF_DAYS INT64_C(18527)
/* Largest overall risk rating a project may have (points x 100): above it the project fails
 * the tool. Provisional: VCS AFOLU Non-Permanence Risk Tool v4.0 as recalled, not checked. */
#define EPV__L_RISK_FAIL_BP 6000
/* Name of the ledger's buffer pool account's entity (genesis creates the account). */
#define EPV__L_BUFFER_ENTITY "programme buffer pool"

struct epv__lop {
    int kind;
    const char *req;
    const char *s[EPV__L_NS]; /* NULL is encoded as "" */
    int64_t i[EPV__L_NI];
};

/* Field names per kind (used in XML and messages); NULL = unused slot. */
struct epv__lkind_info {
    const char *name;
    const char *s[EPV__L_NS];
    const char *i[EPV__L_NI];
};
extern const struct epv__lkind_info epv__lkinds[EPV__L_KIND_MAX + 1];

#define EPV__L_NCACHE 64 /* direct-mapped row caches (accounts, projects) */

/* Cached rows of accounts and projects. Valid only inside the current write transaction:
 * cleared when a transaction starts (another process may have written before), on every
 * rollback (of a savepoint or a transaction) and whenever an operation changes either table. */
struct epv__lacct_cache {
    int valid, status, kind;
    char id[EPV__L_MAX_ID + 1];
};
struct epv__lproj_cache {
    int valid, status, forestry;
    int64_t cstart, cend;
    char id[EPV__L_MAX_ID + 1];
};

struct epv_ledger {
    epv_ctx *ctx;
    struct epv__lstore st; /* the storage layer: SQLite connection, statements, snapshots */
    int in_batch;
    int replaying; /* applying journal entries during verification or import */
    int64_t ev_n;  /* events written by the current entry */
    /* head of the chain, valid inside a write transaction */
    int64_t head_seq;
    unsigned char head_hash[32];
    /* Inside a batch or a replay the head row is written once, before the commit (or before
     * anything reads it), not after every entry: head_dirty says the row is behind. */
    int head_dirty;
    /* programme settings (from the genesis entry) */
    char programme[EPV__L_MAX_ID + 1];
    char *serial_format;
    int buffer_bp;
    int date_rules;
    void *md; /* EVP_MD_CTX, reused */
    void *md_alg;
    /* Live layout (doc/ledger.md "Live state"): the state in memory, kept equal to the journal's
     * head; operations write only the journal, and queries answer from this model. NULL for a
     * store whose derived tables are kept current (layout 1). */
    struct epv__lrp *live;
    int live_stale; /* the model may differ from the store (a rollback, a failed write): rebuild */
    struct epv__lacct_cache acache[EPV__L_NCACHE];
    struct epv__lproj_cache pcache[EPV__L_NCACHE];
};

/* ---- storage, through the handle's store ---- */
static inline int epv__lg_sqlerr(epv_ledger *l, int rc, const char *what)
{
    return epv__ls_sqlerr(&l->st, rc, what);
}
static inline epv__lq *epv__lg_stmt(epv_ledger *l, const char *sql) { return epv__ls_stmt(&l->st, sql); }
static inline int epv__lg_exec(epv_ledger *l, const char *sql) { return epv__ls_exec(&l->st, sql); }
static inline int epv__lg_read_begin(epv_ledger *l) { return epv__ls_read_begin(&l->st); }
static inline int epv__lg_read_end(epv_ledger *l, int rc) { return epv__ls_read_end(&l->st, rc); }

/* ---- handle (ledger_handle.c) ---- */
int epv__lg_open_db(epv_ctx *ctx, const char *path, unsigned flags, epv_ledger **out);
void epv__lg_free(epv_ledger *l);
int epv__lg_load_config(epv_ledger *l);
/* Run one operation in its own transaction (or savepoint inside a batch). */
int epv__lg_run(epv_ledger *l, const struct epv__lop *op, int64_t res[EPV__L_NRES]);
sqlite3 *epv__ledger_db(epv_ledger *l);

/* Live layout: bring l->live up to the store's head (entries other handles committed since),
 * inside the current read snapshot or write transaction. EPV_OK at once for layout 1. */
int epv__lg_live_sync(epv_ledger *l);
/* The layout of new files: 1 (derived tables written by every operation) or 2 (live). Tests
 * set it to run the whole suite on either. */
extern int epv__lg_default_layout;
/* Live layout: the store now holds entries up to `seq` only (a rollback): the model is rebuilt
 * before its next use if it went further. */
void epv__lg_live_rewind(epv_ledger *l, int64_t seq);
/* Live layout, inside a write transaction: epv__lg_step()'s twin; the operation checked and
 * applied to the model, then only its journal row written (ledger_live.c). */
int epv__lg_live_step(epv_ledger *l, const struct epv__lop *op, int64_t res[EPV__L_NRES]);

/* ---- journal (ledger_journal.c) ---- */
int epv__lg_encode(epv_ctx *ctx, const struct epv__lop *op, unsigned char **out, size_t *len);
/* Decode into op; strings point into a copy owned by *arena (free with epv__free). */
int epv__lg_decode(epv_ctx *ctx, const unsigned char *buf, size_t len, struct epv__lop *op,
                   char **arena);
/* The chain's entry hash, SHA-256(prev || u64 seq || body): with a given EVP_MD_CTX and
 * algorithm (0, or -1 if OpenSSL failed), or with the handle's (an error on the context). */
int epv__lg_entry_hash_md(void *md, const void *md_alg, const unsigned char prev[32], int64_t seq,
                          const unsigned char *body, size_t len, unsigned char out[32]);
int epv__lg_entry_hash(epv_ledger *l, const unsigned char prev[32], int64_t seq,
                       const unsigned char *body, size_t len, unsigned char out[32]);
/* Append entry `seq` (linked to the in-memory head, which then moves to it) and, outside a
 * batch or replay, the head row. */
int epv__lg_journal_append(epv_ledger *l, const struct epv__lop *op, int64_t seq, const unsigned char *body,
                           size_t len, const unsigned char hash[32]);
/* A request id already in the journal with the body `was`: the same operation again is
 * answered with its recorded results (EPV_OK), another one refused (EPV_EEXISTS); while
 * replaying, the journal holds the id twice (EPV_ECORRUPT). */
int epv__lg_repeat(epv_ledger *l, const struct epv__lop *op, const void *was, size_t was_len,
                   const unsigned char *body, size_t len);
/* Request check, apply, journal append; inside a transaction. */
int epv__lg_step(epv_ledger *l, const struct epv__lop *op, int64_t res[EPV__L_NRES]);
int epv__lg_load_head(epv_ledger *l);
/* Write the in-memory head to the head row if it is behind (inside the open transaction). */
int epv__lg_flush_head(epv_ledger *l);

/* ---- apply (ledger_apply.c, ledger_blocks.c) ---- */
int epv__lg_apply(epv_ledger *l, const struct epv__lop *op, int64_t seq,
                  int64_t res[EPV__L_NRES]);
int epv__lg_apply_units(epv_ledger *l, const struct epv__lop *op, int64_t seq,
                        int64_t res[EPV__L_NRES]);
int epv__lg_apply_issue(epv_ledger *l, const struct epv__lop *op, int64_t seq,
                        int64_t res[EPV__L_NRES]);
int epv__lg_apply_reverse(epv_ledger *l, const struct epv__lop *op, int64_t seq,
                          int64_t res[EPV__L_NRES]);
int epv__lg_apply_settle(epv_ledger *l, const struct epv__lop *op, int64_t seq,
                         int64_t res[EPV__L_NRES]);
/* A project's outstanding reversal obligation (0 without one). */
int epv__lg_obligation_get(epv_ledger *l, const char *project, int64_t *units);
/* Add delta (may be negative) to a project's obligation; never below 0. */
int epv__lg_obligation_add(epv_ledger *l, const char *project, int64_t delta);
int epv__lg_check_id(epv_ctx *ctx, const char *v, const char *field);
int epv__lg_check_text(epv_ctx *ctx, const char *v, const char *field);
int epv__lg_check_req(epv_ctx *ctx, const char *v);
int epv__lg_check_date(epv_ctx *ctx, epv_date d, const char *field, int64_t *days);
/* A day count stored in an operation must lie in 1900..2200. */
int epv__lg_check_days(epv_ctx *ctx, int64_t days, const char *field);
/* The same calendar day `years` later (29 February becomes 28 February). */
int64_t epv__lg_add_years(int64_t days, int years);
/* Everything a genesis entry must satisfy that does not depend on stored state. */
int epv__lg_check_genesis(epv_ctx *ctx, const struct epv__lop *op, int64_t seq);
/* A project registration's fields (ids, texts, crediting dates, forestry flag, buffer rate),
 * before any stored state is consulted. */
int epv__lg_check_project_fields(epv_ctx *ctx, const struct epv__lop *op);
/* A settlement may cancel no more than the project's obligation `owed`. The units it asks for
 * (a count, or a range's length) are known before any is chosen, so an excess is refused
 * before anything changes, by both implementations of the rules. */
int epv__lg_check_settle(epv_ctx *ctx, const struct epv__lop *op, int64_t owed);
int epv__lg_account_status(epv_ledger *l, const char *acct, int *status, int *kind);
/* A project's status, forestry flag and crediting period (cached); EPV_ENOTFOUND without a
 * message when there is no such project. */
int epv__lg_project_get(epv_ledger *l, const char *project, int *status, int *forestry,
                        int64_t *cstart, int64_t *cend);
void epv__lg_cache_clear(epv_ledger *l);
void epv__lg_days_to_date(int64_t days, epv_date *d);
/* A POSIX ERE matching a template's serials, group 1 = {start}, group 2 = {end} (ledger_serial.c). */
int epv__lg_serial_regex(epv_ctx *ctx, const char *format, char *buf, size_t bufsize);

#endif
