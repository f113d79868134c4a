/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Ledger storage layer: the SQLite file and nothing else. It knows SQL (schema, pragmas,
 * prepared statements, transactions, read snapshots) but no operation, journal or rule; the
 * layers above (ledger_int.h: operations; ledger_verify_int.h: verification) use it, never
 * the other way round. */
#ifndef EPV_LEDGER_STORE_INT_H
#define EPV_LEDGER_STORE_INT_H

#include <sqlite3.h>
#include "common_int.h"

#define EPV__LS_NSTMT 128 /* open-addressed by the SQL text's address; more slots than statements */

/* Busy bound: a lock attempt waits at most this long (SQLite's busy timeout), then EPV_EBUSY. */
#define EPV__LS_BUSY_MS 5000

/* Verified checkpoints: height, chain head and state digest after a full verification. Not a
 * derived table (not in the state digest). Older files get it with their first checkpoint. */
#define EPV__LS_CHECKPOINTS_SQL                                                              \
    "CREATE TABLE IF NOT EXISTS checkpoints(seq INTEGER PRIMARY KEY CHECK (seq >= 1),"         \
    " head BLOB NOT NULL CHECK (length(head) = 32), state BLOB NOT NULL CHECK (length(state) = 32)) STRICT;"

/* 1 if the file has a table of that name (0 on any error). */
struct epv__lstore;
int epv__ls_has_table(struct epv__lstore *s, const char *name);

struct epv__lstore {
    epv_ctx *ctx;
    sqlite3 *db;
    int readonly;
    /* read snapshots: nesting depth, and whether the outermost one opened the transaction */
    int rdepth, rd_own;
    const char *stmt_sql[EPV__LS_NSTMT];
    sqlite3_stmt *stmt[EPV__LS_NSTMT];
};

/* Open the SQLite file (readonly, or read-write and creating it if `create`); nothing is
 * written. */
int epv__ls_open(epv_ctx *ctx, struct epv__lstore *s, const char *path, int readonly, int create);
void epv__ls_close(struct epv__lstore *s);
/* Map a SQLite status to an EPV_E* code with a message. */
int epv__ls_sqlerr(struct epv__lstore *s, int rc, const char *what);
/* Cached prepared statement for a static SQL text (reset, bindings cleared). */
sqlite3_stmt *epv__ls_stmt(struct epv__lstore *s, const char *sql);
int epv__ls_exec(struct epv__lstore *s, const char *sql);
/* Run a cached statement that returns no rows. */
int epv__ls_run(struct epv__lstore *s, const char *sql);
/* Durable settings of a ledger file (WAL, synchronous=FULL): only for a file being created or
 * one that has been verified. */
int epv__ls_durable(struct epv__lstore *s);
int epv__ls_create_schema(struct epv__lstore *s);
int epv__ls_quick_check(struct epv__lstore *s);
/* Roll back an open transaction, quietly. */
void epv__ls_rollback(struct epv__lstore *s);
int epv__ls_in_txn(struct epv__lstore *s);
/* One read snapshot: every statement between epv__ls_read_begin() and epv__ls_read_end() sees
 * the same committed state (a deferred SQLite transaction; in WAL mode writers do not block
 * it). Nested calls share the outermost snapshot; inside a write transaction (a batch) they do
 * nothing. epv__ls_read_end() returns rc, or the error of ending the snapshot if rc is 0. */
int epv__ls_read_begin(struct epv__lstore *s);
int epv__ls_read_end(struct epv__lstore *s, int rc);

#endif
