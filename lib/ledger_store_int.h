/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Ledger storage layer: a SQLite file or a PostgreSQL database, and nothing else. It knows SQL
 * (schema, settings, statements, transactions, read snapshots) but no operation, journal or
 * rule; the layers above (ledger_int.h: operations; ledger_verify_int.h: verification) use it,
 * never the other way round.
 *
 * Both backends run the same SQL texts, written in the common subset of the two dialects
 * (`?`/`?N` parameters, which the PostgreSQL side turns into `$N`; the column `end` always
 * quoted; subqueries named). What differs (schema types, transaction modes, settings) is
 * chosen here. Statements are `epv__lq` handles with SQLite-like calls: bind, step, column. */
#ifndef EPV_LEDGER_STORE_INT_H
#define EPV_LEDGER_STORE_INT_H

#include <stddef.h>
#include <stdint.h>
#include <sqlite3.h>
#include "common_int.h"

#define EPV__LS_NSTMT 128 /* open-addressed by the SQL text's address; more slots than statements */

/* Busy bound: a lock attempt waits at most this long (SQLite's busy timeout, PostgreSQL's
 * lock_timeout), then EPV_EBUSY. */
#define EPV__LS_BUSY_MS 5000
/* PostgreSQL: an operation that fails with a serialization failure or a deadlock is run again
 * from its start at most this many times (with a short growing pause), then EPV_EBUSY. */
#define EPV__LS_PG_RETRIES 8

/* Backends. */
enum { EPV__LS_SQLITE = 0, EPV__LS_PG = 1 };

/* Step results and column types (the values SQLite uses, so a SQLite status passes through). */
#define EPV__LQ_OK 0
#define EPV__LQ_ROW 100
#define EPV__LQ_DONE 101
#define EPV__LQ_PGERR (-1000) /* a PostgreSQL error; its SQLSTATE and text are in the store */
enum { EPV__LQ_INTEGER = 1, EPV__LQ_FLOAT = 2, EPV__LQ_TEXT = 3, EPV__LQ_BLOB = 4, EPV__LQ_NULL = 5 };

typedef struct epv__lq epv__lq;
struct epv__pgconn; /* PGconn, kept out of this header */

struct epv__lstore {
    epv_ctx *ctx;
    int backend;
    sqlite3 *db;             /* EPV__LS_SQLITE */
    struct epv__pgconn *pg;  /* EPV__LS_PG */
    char pg_state[6];        /* SQLSTATE of the last PostgreSQL error */
    char pg_msg[256];        /* its primary message */
    char name[160];          /* how messages name the store (never a password) */
    int64_t pg_writes;       /* PostgreSQL: writing statements run so far (batches, see ledger_handle.c) */
    int64_t rows_read;       /* rows queries brought into this process (SQLite: rows stepped to;
                              * PostgreSQL: rows received, all of a result at once); for tests */
    int readonly;
    char *path; /* as given to epv__ls_open (a copy), for a second connection to the same store */
    /* read snapshots: nesting depth, and whether the outermost one opened the transaction */
    int rdepth, rd_own;
    const char *stmt_sql[EPV__LS_NSTMT];
    epv__lq *stmt[EPV__LS_NSTMT];
};

/* 1 if `path` names a PostgreSQL database: a URI "postgresql://..." or "postgres://...", or
 * "pg:" followed by libpq keyword=value settings ("pg:host=/run/pg dbname=registry"). */
int epv__ls_is_pg(const char *path);

/* Open the store (readonly, or read-write and creating a SQLite file if `create`); nothing is
 * written. PostgreSQL: connects, nothing else. */
int epv__ls_open(epv_ctx *ctx, struct epv__lstore *s, const char *path, int readonly, int create);
void epv__ls_close(struct epv__lstore *s);
/* What epv__ls_open() needs to open the same store again (for a second, read-only connection
 * in another thread), or NULL if it cannot be (an in-memory or temporary SQLite database). */
const char *epv__ls_reopen_name(struct epv__lstore *s);
/* Map a raw status (SQLite's, or EPV__LQ_PGERR) to an EPV_E* code with a message. */
int epv__ls_sqlerr(struct epv__lstore *s, int rc, const char *what);
/* 1 if the last PostgreSQL error was a serialization failure or a deadlock (worth a retry). */
int epv__ls_retryable(const struct epv__lstore *s);
/* Cached statement for a static SQL text (reset, bindings cleared); NULL with an error set. */
epv__lq *epv__ls_stmt(struct epv__lstore *s, const char *sql);
/* Run SQL without results (may hold several statements; no parameters). */
int epv__ls_exec(struct epv__lstore *s, const char *sql);
/* The same, ignoring errors (rollbacks on error paths). */
void epv__ls_exec_quiet(struct epv__lstore *s, const char *sql);
/* Run a cached statement that returns no rows. */
int epv__ls_run(struct epv__lstore *s, const char *sql);
/* Durable settings (SQLite: WAL, synchronous=FULL; only for a file being created or one that
 * has been verified). PostgreSQL: the server's (fsync, synchronous_commit). */
int epv__ls_durable(struct epv__lstore *s);
int epv__ls_create_schema(struct epv__lstore *s);
/* The checkpoints table (created by older files' first checkpoint). */
int epv__ls_ensure_checkpoints(struct epv__lstore *s);
int epv__ls_quick_check(struct epv__lstore *s);
/* Transactions. A write transaction takes the writers' lock first (SQLite: BEGIN IMMEDIATE;
 * PostgreSQL: SERIALIZABLE with the head table locked against other writers before the first
 * read, so concurrent writers queue instead of failing). `create`: for a new store, before the
 * schema exists. */
int epv__ls_begin_write(struct epv__lstore *s, int create);
int epv__ls_commit(struct epv__lstore *s);
/* Roll back an open transaction, quietly. */
void epv__ls_rollback(struct epv__lstore *s);
int epv__ls_in_txn(struct epv__lstore *s);
/* Inside a write transaction: 1 if it cannot go on (PostgreSQL: failed, only a rollback is
 * possible; SQLite: already rolled back by the error). */
int epv__ls_txn_failed(struct epv__lstore *s);
/* A count that moves whenever a statement changes a row (PostgreSQL: writing statements run;
 * SQLite: rows changed): an operation that failed without moving it wrote nothing. */
int64_t epv__ls_writes(struct epv__lstore *s);
/* One read snapshot: every statement between epv__ls_read_begin() and epv__ls_read_end() sees
 * the same committed state (SQLite: a deferred transaction, in WAL mode writers do not block
 * it; PostgreSQL: REPEATABLE READ, READ ONLY). Nested calls share the outermost snapshot;
 * inside a write transaction (a batch) they do nothing. epv__ls_read_end() returns rc, or the
 * error of ending the snapshot if rc is 0. */
int epv__ls_read_begin(struct epv__lstore *s);
int epv__ls_read_end(struct epv__lstore *s, int rc);
/* 1 if the store has a table of that name (0 on any error). */
int epv__ls_has_table(struct epv__lstore *s, const char *name);

/* ---- statements ---- */
/* An uncached statement (free with epv__lq_finalize); returns EPV__LQ_OK or a raw status. */
int epv__lq_prepare(struct epv__lstore *s, const char *sql, epv__lq **out);
void epv__lq_finalize(epv__lq *q);
void epv__lq_reset(epv__lq *q);
/* Bindings, numbered from 1. bind_text keeps the pointer (it must live until the step);
 * bind_text_copy copies. */
void epv__lq_bind_i64(epv__lq *q, int i, int64_t v);
void epv__lq_bind_text(epv__lq *q, int i, const char *v);
void epv__lq_bind_text_copy(epv__lq *q, int i, const char *v);
void epv__lq_bind_blob(epv__lq *q, int i, const void *p, size_t n);
void epv__lq_bind_null(epv__lq *q, int i);
/* EPV__LQ_ROW, EPV__LQ_DONE or a raw error status (for epv__ls_sqlerr). */
int epv__lq_step(epv__lq *q);
/* Rows changed by the last statement run through q. */
int64_t epv__lq_changes(epv__lq *q);
int epv__lq_col_count(epv__lq *q);
int epv__lq_col_type(epv__lq *q, int c);
int64_t epv__lq_col_i64(epv__lq *q, int c);
/* Valid until the next step or reset; NULL for SQL NULL. */
const unsigned char *epv__lq_col_text(epv__lq *q, int c);
const void *epv__lq_col_blob(epv__lq *q, int c);
/* Bytes of a text or blob column (after epv__lq_col_text/blob, or alone). */
int epv__lq_col_bytes(epv__lq *q, int c);
/* A column in one call, for readers of every column of many rows (the state digest): returns
 * its type; an integer's value in *iv; a text's or blob's bytes in *p and *n (valid until the
 * next step or reset). */
int epv__lq_col_any(epv__lq *q, int c, int64_t *iv, const void **p, size_t *n);

#endif
