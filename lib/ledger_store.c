/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Ledger storage: the SQLite file, its schema, pragmas, prepared statements, transactions and
 * read snapshots. Nothing here knows an operation or the journal's meaning (see
 * ledger_store_int.h for the layering).
 *
 * Durability: WAL with synchronous=FULL (a commit is on disk when it returns). One writer at a
 * time: every operation runs inside BEGIN IMMEDIATE (or a savepoint of a batch). */
#include "config.h"

#include <stdio.h>
#include <stdint.h>
#include <string.h>

#include "ledger_store_int.h"

static const char *const schema_sql =
    "CREATE TABLE journal(seq INTEGER PRIMARY KEY, kind INTEGER NOT NULL, req TEXT NOT NULL,"
    " body BLOB NOT NULL, prev_hash BLOB NOT NULL, hash BLOB NOT NULL) STRICT;"
    "CREATE TRIGGER journal_no_update BEFORE UPDATE ON journal"
    " BEGIN SELECT RAISE(ABORT, 'journal is append-only'); END;"
    "CREATE TRIGGER journal_no_delete BEFORE DELETE ON journal"
    " BEGIN SELECT RAISE(ABORT, 'journal is append-only'); END;"
    "CREATE TABLE head(id INTEGER PRIMARY KEY CHECK (id = 1), seq INTEGER NOT NULL,"
    " hash BLOB NOT NULL) STRICT;"
    "CREATE TABLE meta(key TEXT PRIMARY KEY, ival INTEGER NOT NULL, tval TEXT NOT NULL) STRICT;"
    "CREATE TABLE requests(req TEXT PRIMARY KEY, seq INTEGER NOT NULL,"
    " r0 INTEGER NOT NULL, r1 INTEGER NOT NULL, r2 INTEGER NOT NULL, r3 INTEGER NOT NULL) STRICT;"
    "CREATE TABLE accounts(id TEXT PRIMARY KEY, entity TEXT NOT NULL UNIQUE, kind INTEGER NOT NULL,"
    " status INTEGER NOT NULL CHECK (status BETWEEN 0 AND 3)) STRICT;"
    "CREATE TABLE projects(id TEXT PRIMARY KEY, name TEXT NOT NULL, methodology TEXT NOT NULL,"
    " owner TEXT NOT NULL, cstart INTEGER NOT NULL, cend INTEGER NOT NULL CHECK (cend >= cstart),"
    " forestry INTEGER NOT NULL, buffer_bp INTEGER NOT NULL, status INTEGER NOT NULL,"
    " next_serial INTEGER NOT NULL CHECK (next_serial >= 1)) STRICT;"
    "CREATE TABLE periods(project TEXT NOT NULL, num INTEGER NOT NULL, start INTEGER NOT NULL,"
    " end INTEGER NOT NULL CHECK (end >= start), PRIMARY KEY(project, num)) STRICT;"
    "CREATE TABLE verifications(report TEXT PRIMARY KEY, project TEXT NOT NULL,"
    " num INTEGER NOT NULL, verifier TEXT NOT NULL, verified INTEGER NOT NULL CHECK (verified > 0),"
    " deduction INTEGER NOT NULL CHECK (deduction >= 0 AND deduction <= verified),"
    " issued INTEGER NOT NULL CHECK (issued >= 0 AND issued <= verified - deduction),"
    " applied INTEGER NOT NULL, vintage INTEGER NOT NULL, UNIQUE(project, num)) STRICT;"
    "CREATE TABLE issuances(seq INTEGER PRIMARY KEY, report TEXT NOT NULL, project TEXT NOT NULL,"
    " vintage INTEGER NOT NULL, start INTEGER NOT NULL, end INTEGER NOT NULL CHECK (end >= start),"
    " buffer INTEGER NOT NULL CHECK (buffer >= 0)) STRICT;"
    "CREATE TABLE blocks(project TEXT NOT NULL, start INTEGER NOT NULL CHECK (start >= 1),"
    " end INTEGER NOT NULL CHECK (end >= start), vintage INTEGER NOT NULL,"
    " issuance INTEGER NOT NULL, account TEXT NOT NULL,"
    " status INTEGER NOT NULL CHECK (status BETWEEN 0 AND 3), cert INTEGER NOT NULL,"
    " PRIMARY KEY(project, start)) STRICT, WITHOUT ROWID;"
    "CREATE INDEX blocks_account ON blocks(account, project, status, start);"
    "CREATE TABLE totals(project TEXT NOT NULL, vintage INTEGER NOT NULL,"
    " issued INTEGER NOT NULL CHECK (issued >= 0), PRIMARY KEY(project, vintage)) STRICT;"
    "CREATE TABLE retirements(cert INTEGER PRIMARY KEY, account TEXT NOT NULL,"
    " beneficiary TEXT NOT NULL, reason TEXT NOT NULL, date INTEGER NOT NULL,"
    " project TEXT NOT NULL, units INTEGER NOT NULL CHECK (units > 0)) STRICT;"
    "CREATE TABLE events(seq INTEGER NOT NULL, n INTEGER NOT NULL, project TEXT NOT NULL,"
    " start INTEGER NOT NULL, end INTEGER NOT NULL CHECK (end >= start), kind TEXT NOT NULL,"
    " from_acct TEXT NOT NULL, to_acct TEXT NOT NULL, status INTEGER NOT NULL,"
    " PRIMARY KEY(project, start, seq, n)) STRICT, WITHOUT ROWID;"
    EPV__LS_CHECKPOINTS_SQL;

int epv__ls_sqlerr(struct epv__lstore *s, int rc, const char *what)
{
    int code;
    switch (rc & 0xff) {
    case SQLITE_FULL: code = EPV_ENOSPACE; break;
    case SQLITE_READONLY: code = EPV_EREADONLY; break;
    case SQLITE_BUSY:
    case SQLITE_LOCKED: code = EPV_EBUSY; break;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
    case SQLITE_CONSTRAINT: code = EPV_ECORRUPT; break;
    case SQLITE_NOMEM: code = EPV_ENOMEM; break;
    default: code = EPV_EIO; break;
    }
    return epv__error(s->ctx, code, "ledger: %s: %s", what,
                      s->db ? sqlite3_errmsg(s->db) : sqlite3_errstr(rc));
}

sqlite3_stmt *epv__ls_stmt(struct epv__lstore *s, const char *sql)
{
    /* open addressing on the address of the (static) SQL text */
    size_t i = (size_t)(((uintptr_t)sql >> 3) % EPV__LS_NSTMT), probes = 0;
    while (s->stmt_sql[i]) {
        if (s->stmt_sql[i] == sql) {
            sqlite3_reset(s->stmt[i]);
            sqlite3_clear_bindings(s->stmt[i]);
            return s->stmt[i];
        }
        if (++probes == EPV__LS_NSTMT) {
            /* every statement is a static string; more than the cache holds is a bug */
            epv__error(s->ctx, EPV_ENOMEM, "ledger: statement cache full");
            return NULL;
        }
        i = (i + 1) % EPV__LS_NSTMT;
    }
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL);
    if (rc != SQLITE_OK) {
        epv__ls_sqlerr(s, rc, "prepare");
        return NULL;
    }
    s->stmt_sql[i] = sql;
    s->stmt[i] = st;
    return st;
}

int epv__ls_exec(struct epv__lstore *s, const char *sql)
{
    int rc = sqlite3_exec(s->db, sql, NULL, NULL, NULL);
    return rc == SQLITE_OK ? EPV_OK : epv__ls_sqlerr(s, rc, sql);
}

int epv__ls_run(struct epv__lstore *s, const char *sql)
{
    sqlite3_stmt *st = epv__ls_stmt(s, sql);
    if (!st) return epv_ctx_errcode(s->ctx);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? EPV_OK : epv__ls_sqlerr(s, rc, sql);
}

int epv__ls_in_txn(struct epv__lstore *s) { return s->db && !sqlite3_get_autocommit(s->db); }

void epv__ls_rollback(struct epv__lstore *s)
{
    if (epv__ls_in_txn(s)) sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
}

int epv__ls_read_begin(struct epv__lstore *s)
{
    if (s->rdepth++ > 0) return EPV_OK;
    s->rd_own = 0;
    if (epv__ls_in_txn(s)) return EPV_OK; /* inside a write transaction */
    /* A deferred transaction: the snapshot is taken by the first read and kept to the end. */
    int rc = sqlite3_exec(s->db, "BEGIN DEFERRED", NULL, NULL, NULL);
    if (rc != SQLITE_OK) {
        s->rdepth--;
        return epv__ls_sqlerr(s, rc, "starting a read snapshot");
    }
    s->rd_own = 1;
    return EPV_OK;
}

int epv__ls_read_end(struct epv__lstore *s, int rc)
{
    if (s->rdepth <= 0 || --s->rdepth > 0 || !s->rd_own) return rc;
    s->rd_own = 0;
    /* nothing was written: ending the snapshot cannot lose anything */
    int src = sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL);
    if (src != SQLITE_OK) {
        epv__ls_rollback(s);
        if (!rc) rc = epv__ls_sqlerr(s, src, "ending a read snapshot");
    }
    return rc;
}

int epv__ls_open(epv_ctx *ctx, struct epv__lstore *s, const char *path, int readonly, int create)
{
    memset(s, 0, sizeof *s);
    s->ctx = ctx;
    s->readonly = readonly;
    int oflags = readonly ? SQLITE_OPEN_READONLY
                          : SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0);
    oflags |= SQLITE_OPEN_NOMUTEX;
    int rc = sqlite3_open_v2(path, &s->db, oflags, NULL);
    if (rc != SQLITE_OK) {
        rc = epv__error(ctx, EPV_EIO, "%s: cannot open ledger: %s", path,
                        s->db ? sqlite3_errmsg(s->db) : sqlite3_errstr(rc));
        epv__ls_close(s);
        return rc;
    }
    sqlite3_extended_result_codes(s->db, 0);
    sqlite3_busy_timeout(s->db, EPV__LS_BUSY_MS);
    /* Every operation in a batch runs in a savepoint whose undo records (the statement
     * journal) otherwise spill to a temporary file after 64 KiB and stay there: one pwrite per
     * touched page per operation. They only serve rollbacks inside the open transaction, so
     * memory is the right place; durability (WAL, synchronous=FULL) is unaffected. */
    sqlite3_exec(s->db, "PRAGMA temp_store=MEMORY", NULL, NULL, NULL);
    sqlite3_exec(s->db, "PRAGMA cache_size=-32768", NULL, NULL, NULL);
    /* Defensive settings: no trusted schema tricks, no extension loading. */
    sqlite3_db_config(s->db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);
    sqlite3_db_config(s->db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
    return EPV_OK;
}

void epv__ls_close(struct epv__lstore *s)
{
    for (size_t i = 0; i < EPV__LS_NSTMT; i++)
        if (s->stmt_sql[i]) sqlite3_finalize(s->stmt[i]);
    if (s->db) sqlite3_close_v2(s->db);
    memset(s->stmt_sql, 0, sizeof s->stmt_sql);
    s->db = NULL;
}

int epv__ls_durable(struct epv__lstore *s)
{
    int rc = s->readonly ? EPV_OK : epv__ls_exec(s, "PRAGMA journal_mode=WAL");
    if (!rc) rc = epv__ls_exec(s, "PRAGMA synchronous=FULL");
    return rc;
}

int epv__ls_create_schema(struct epv__lstore *s) { return epv__ls_exec(s, schema_sql); }

int epv__ls_quick_check(struct epv__lstore *s)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(s->db, "PRAGMA quick_check", -1, &st, NULL);
    if (rc != SQLITE_OK) return epv__ls_sqlerr(s, rc, "SQLite integrity check");
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        const char *r = (const char *)sqlite3_column_text(st, 0);
        rc = (!r || strcmp(r, "ok"))
                 ? epv__error(s->ctx, EPV_ECORRUPT, "SQLite integrity check: %s", r ? r : "?")
                 : EPV_OK;
    } else {
        rc = epv__ls_sqlerr(s, rc, "SQLite integrity check");
    }
    sqlite3_finalize(st);
    return rc;
}

int epv__ls_has_table(struct epv__lstore *s, const char *name)
{
    sqlite3_stmt *st = NULL;
    int has = 0;
    if (sqlite3_prepare_v2(s->db, "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?", -1,
                           &st, NULL) == SQLITE_OK) {
        sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
        has = sqlite3_step(st) == SQLITE_ROW;
    }
    sqlite3_finalize(st);
    return has;
}
