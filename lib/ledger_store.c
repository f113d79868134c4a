/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Ledger storage: the SQLite file, its schema, pragmas, prepared statements, transactions.
 *
 * Durability: WAL with synchronous=FULL (a commit is on disk when it returns). One writer at a
 * time: every operation runs inside BEGIN IMMEDIATE (or a savepoint of a batch), and the
 * journal row, the chain head and every derived table change in that same transaction. */
#include "config.h"

#include <errno.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "ledger_int.h"

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
    " PRIMARY KEY(project, start, seq, n)) STRICT, WITHOUT ROWID;";

int epv__lg_sqlerr(epv_ledger *l, int rc, const char *what)
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
    return epv__error(l->ctx, code, "ledger: %s: %s", what,
                      l->db ? sqlite3_errmsg(l->db) : sqlite3_errstr(rc));
}

sqlite3 *epv__ledger_db(epv_ledger *l) { return l ? l->db : NULL; }

sqlite3_stmt *epv__lg_stmt(epv_ledger *l, const char *sql)
{
    /* open addressing on the address of the (static) SQL text */
    size_t i = (size_t)(((uintptr_t)sql >> 3) % EPV__L_NSTMT), probes = 0;
    while (l->stmt_sql[i]) {
        if (l->stmt_sql[i] == sql) {
            sqlite3_reset(l->stmt[i]);
            sqlite3_clear_bindings(l->stmt[i]);
            return l->stmt[i];
        }
        if (++probes == EPV__L_NSTMT) {
            /* every statement is a static string; more than the cache holds is a bug */
            epv__error(l->ctx, EPV_ENOMEM, "ledger: statement cache full");
            return NULL;
        }
        i = (i + 1) % EPV__L_NSTMT;
    }
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v3(l->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL);
    if (rc != SQLITE_OK) {
        epv__lg_sqlerr(l, rc, "prepare");
        return NULL;
    }
    l->stmt_sql[i] = sql;
    l->stmt[i] = st;
    return st;
}

int epv__lg_exec(epv_ledger *l, const char *sql)
{
    int rc = sqlite3_exec(l->db, sql, NULL, NULL, NULL);
    return rc == SQLITE_OK ? EPV_OK : epv__lg_sqlerr(l, rc, sql);
}

int epv__lg_read_begin(epv_ledger *l)
{
    if (l->rdepth++ > 0) return EPV_OK;
    l->rd_own = 0;
    if (!sqlite3_get_autocommit(l->db)) return EPV_OK; /* inside a write transaction */
    /* A deferred transaction: the snapshot is taken by the first read and kept to the end. */
    int rc = sqlite3_exec(l->db, "BEGIN DEFERRED", NULL, NULL, NULL);
    if (rc != SQLITE_OK) {
        l->rdepth--;
        return epv__lg_sqlerr(l, rc, "starting a read snapshot");
    }
    l->rd_own = 1;
    return EPV_OK;
}

int epv__lg_read_end(epv_ledger *l, int rc)
{
    if (l->rdepth <= 0 || --l->rdepth > 0 || !l->rd_own) return rc;
    l->rd_own = 0;
    /* nothing was written: ending the snapshot cannot lose anything */
    int src = sqlite3_exec(l->db, "COMMIT", NULL, NULL, NULL);
    if (src != SQLITE_OK) {
        if (!sqlite3_get_autocommit(l->db)) sqlite3_exec(l->db, "ROLLBACK", NULL, NULL, NULL);
        if (!rc) rc = epv__lg_sqlerr(l, src, "ending a read snapshot");
    }
    return rc;
}

EPV_API void epv_ledger_config_default(epv_ledger_config *cfg)
{
    if (!cfg) return;
    cfg->programme = "CCER";
    cfg->serial_format = NULL;
    cfg->forestry_buffer_bp = 2000;
    cfg->ccer_date_rules = 1;
}

int epv__lg_open_db(epv_ctx *ctx, const char *path, unsigned flags, epv_ledger **out)
{
    *out = NULL;
    epv_ledger *l = epv__calloc(ctx, 1, sizeof *l);
    if (!l) return EPV_ENOMEM;
    l->ctx = ctx;
    l->readonly = (flags & EPV_LEDGER_READONLY) != 0;
    int oflags = l->readonly ? SQLITE_OPEN_READONLY
                             : SQLITE_OPEN_READWRITE | ((flags & EPV_LEDGER_CREATE) ? SQLITE_OPEN_CREATE : 0);
    oflags |= SQLITE_OPEN_NOMUTEX;
    int rc = sqlite3_open_v2(path, &l->db, oflags, NULL);
    if (rc != SQLITE_OK) {
        rc = epv__error(ctx, (rc & 0xff) == SQLITE_CANTOPEN ? EPV_EIO : EPV_EIO,
                        "%s: cannot open ledger: %s", path,
                        l->db ? sqlite3_errmsg(l->db) : sqlite3_errstr(rc));
        epv__lg_free(l);
        return rc;
    }
    sqlite3_extended_result_codes(l->db, 0);
    sqlite3_busy_timeout(l->db, 5000);
    /* Every operation in a batch runs in a savepoint whose undo records (the statement
     * journal) otherwise spill to a temporary file after 64 KiB and stay there: one pwrite per
     * touched page per operation. They only serve rollbacks inside the open transaction, so
     * memory is the right place; durability (WAL, synchronous=FULL) is unaffected. */
    sqlite3_exec(l->db, "PRAGMA temp_store=MEMORY", NULL, NULL, NULL);
    sqlite3_exec(l->db, "PRAGMA cache_size=-32768", NULL, NULL, NULL);
    l->md = EVP_MD_CTX_new();
    l->md_alg = EVP_MD_fetch(NULL, "SHA256", NULL);
    if (!l->md || !l->md_alg) {
        epv__lg_free(l);
        return epv__error(ctx, EPV_ENOMEM, "ledger: cannot set up SHA-256");
    }
    /* Defensive settings: no trusted schema tricks, no extension loading. */
    sqlite3_db_config(l->db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);
    sqlite3_db_config(l->db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
    *out = l;
    return EPV_OK;
}

void epv__lg_free(epv_ledger *l)
{
    if (!l) return;
    for (size_t i = 0; i < EPV__L_NSTMT; i++)
        if (l->stmt_sql[i]) sqlite3_finalize(l->stmt[i]);
    if (l->db) sqlite3_close_v2(l->db);
    if (l->md) EVP_MD_CTX_free(l->md);
    if (l->md_alg) EVP_MD_free(l->md_alg);
    epv__free(l->ctx, l->serial_format);
    epv__lg_reqset_free(l);
    epv__free(l->ctx, l);
}

int epv__lg_create_schema(epv_ledger *l)
{
    return epv__lg_exec(l, schema_sql);
}

int epv__lg_load_config(epv_ledger *l)
{
    static const char *const sql = "SELECT key, ival, tval FROM meta";
    sqlite3_stmt *st = epv__lg_stmt(l, sql);
    if (!st) return epv_ctx_errcode(l->ctx);
    int rc, seen = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *k = (const char *)sqlite3_column_text(st, 0);
        int64_t iv = sqlite3_column_int64(st, 1);
        const char *tv = (const char *)sqlite3_column_text(st, 2);
        if (!k || !tv) continue;
        if (!strcmp(k, "programme")) {
            snprintf(l->programme, sizeof l->programme, "%s", tv);
            seen |= 1;
        } else if (!strcmp(k, "serial_format")) {
            epv__free(l->ctx, l->serial_format);
            l->serial_format = epv__strdup(l->ctx, tv);
            if (!l->serial_format) return EPV_ENOMEM;
            seen |= 2;
        } else if (!strcmp(k, "buffer_bp")) {
            l->buffer_bp = (int)iv;
            seen |= 4;
        } else if (!strcmp(k, "date_rules")) {
            l->date_rules = (int)iv;
            seen |= 8;
        } else if (!strcmp(k, "format_version")) {
            if (iv != EPV__L_FORMAT_VERSION) {
                sqlite3_reset(st);
                return epv__error(l->ctx, EPV_EUNSUPPORTED,
                                  "ledger: file format version %lld is not supported",
                                  (long long)iv);
            }
            seen |= 16;
        }
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) return epv__lg_sqlerr(l, rc, "reading settings");
    if (seen != 31) return epv__error(l->ctx, EPV_ECORRUPT, "ledger: settings are incomplete");
    return EPV_OK;
}

EPV_API int epv_ledger_snapshot_begin(epv_ledger *l)
{
    if (!l) return EPV_EINVAL;
    return epv__lg_read_begin(l);
}

EPV_API int epv_ledger_snapshot_end(epv_ledger *l)
{
    if (!l) return EPV_EINVAL;
    if (l->rdepth <= 0) return epv__error(l->ctx, EPV_ESTATE, "ledger: no snapshot is open");
    return epv__lg_read_end(l, EPV_OK);
}

/* Roll back without letting the rollback's own status replace the operation's error. */
static const char *const sql_savepoint = "SAVEPOINT op";
static const char *const sql_release = "RELEASE op";
static const char *const sql_rollback_to = "ROLLBACK TO op";
static const char *const sql_begin = "BEGIN IMMEDIATE";
static const char *const sql_commit = "COMMIT";

/* Savepoint statements are run often in batches: keep them prepared. */
static int run_cached(epv_ledger *l, const char *sql)
{
    sqlite3_stmt *st = epv__lg_stmt(l, sql);
    if (!st) return epv_ctx_errcode(l->ctx);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? EPV_OK : epv__lg_sqlerr(l, rc, sql);
}

static void rollback_quiet(epv_ledger *l)
{
    epv__lg_cache_clear(l);
    /* In a batch the caller restores the in-memory head and the row is rewritten before the
     * commit; a whole rollback leaves the committed row, which the next operation re-reads. */
    l->head_dirty = l->in_batch;
    if (l->in_batch) {
        sqlite3_stmt *st = epv__lg_stmt(l, sql_rollback_to);
        if (st) {
            sqlite3_step(st);
            sqlite3_reset(st);
        }
        st = epv__lg_stmt(l, sql_release);
        if (st) {
            sqlite3_step(st);
            sqlite3_reset(st);
        }
    } else if (!sqlite3_get_autocommit(l->db)) {
        sqlite3_exec(l->db, "ROLLBACK", NULL, NULL, NULL);
    }
}

int epv__lg_run(epv_ledger *l, const struct epv__lop *op, int64_t res[EPV__L_NRES])
{
    if (l->readonly)
        return epv__error(l->ctx, EPV_EREADONLY, "ledger: opened read-only; '%s' refused",
                          epv__lkinds[op->kind].name);
    if (l->rdepth)
        return epv__error(l->ctx, EPV_ESTATE, "ledger: '%s' refused inside a query callback",
                          epv__lkinds[op->kind].name);
    int rc = run_cached(l, l->in_batch ? sql_savepoint : sql_begin);
    if (rc) return rc;
    int64_t saved_seq = l->head_seq;
    unsigned char saved_hash[32];
    memcpy(saved_hash, l->head_hash, 32);
    /* Another process may have written since our last transaction: re-read the head and
     * forget cached rows. */
    if (!l->in_batch) {
        epv__lg_cache_clear(l);
        rc = epv__lg_load_head(l);
    }
    if (!rc) rc = epv__lg_step(l, op, res);
    if (!rc) {
        if (l->in_batch) {
            rc = run_cached(l, sql_release);
        } else {
            sqlite3_stmt *st = epv__lg_stmt(l, sql_commit);
            if (!st) {
                rc = epv_ctx_errcode(l->ctx);
            } else {
                int src = sqlite3_step(st);
                sqlite3_reset(st);
                if (src != SQLITE_DONE) rc = epv__lg_sqlerr(l, src, "commit");
            }
        }
    }
    if (rc) {
        rollback_quiet(l);
        l->head_seq = saved_seq;
        memcpy(l->head_hash, saved_hash, 32);
    }
    return rc;
}

EPV_API int epv_ledger_batch_begin(epv_ledger *l)
{
    if (!l) return EPV_EINVAL;
    if (l->readonly) return epv__error(l->ctx, EPV_EREADONLY, "ledger: opened read-only");
    if (l->in_batch) return epv__error(l->ctx, EPV_ESTATE, "ledger: a batch is already open");
    if (l->rdepth)
        return epv__error(l->ctx, EPV_ESTATE, "ledger: no batch can begin inside a query callback");
    epv__lg_cache_clear(l);
    int rc = epv__lg_exec(l, "BEGIN IMMEDIATE");
    if (!rc) rc = epv__lg_load_head(l);
    if (rc) {
        if (!sqlite3_get_autocommit(l->db)) sqlite3_exec(l->db, "ROLLBACK", NULL, NULL, NULL);
        return rc;
    }
    l->in_batch = 1;
    return EPV_OK;
}

EPV_API int epv_ledger_batch_commit(epv_ledger *l)
{
    if (!l) return EPV_EINVAL;
    if (!l->in_batch) return epv__error(l->ctx, EPV_ESTATE, "ledger: no batch is open");
    int rc = epv__lg_flush_head(l);
    if (rc) {
        /* the batch cannot be committed without its head: undo all of it */
        l->in_batch = 0;
        sqlite3_exec(l->db, "ROLLBACK", NULL, NULL, NULL);
        l->head_dirty = 0;
        epv__lg_cache_clear(l);
        epv__lg_load_head(l);
        return rc;
    }
    l->in_batch = 0;
    rc = sqlite3_exec(l->db, "COMMIT", NULL, NULL, NULL);
    if (rc != SQLITE_OK) {
        int e = epv__lg_sqlerr(l, rc, "batch commit");
        l->head_dirty = 0;
        epv__lg_cache_clear(l);
        if (!sqlite3_get_autocommit(l->db)) sqlite3_exec(l->db, "ROLLBACK", NULL, NULL, NULL);
        epv__lg_load_head(l);
        return e;
    }
    return EPV_OK;
}

EPV_API int epv_ledger_batch_rollback(epv_ledger *l)
{
    if (!l) return EPV_EINVAL;
    if (!l->in_batch) return epv__error(l->ctx, EPV_ESTATE, "ledger: no batch is open");
    l->in_batch = 0;
    sqlite3_exec(l->db, "ROLLBACK", NULL, NULL, NULL);
    l->head_dirty = 0;
    epv__lg_cache_clear(l);
    return epv__lg_load_head(l);
}

static void remove_files(const char *path)
{
    char buf[4096];
    unlink(path);
    snprintf(buf, sizeof buf, "%s-wal", path);
    unlink(buf);
    snprintf(buf, sizeof buf, "%s-shm", path);
    unlink(buf);
}

static int quick_check(epv_ledger *l)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(l->db, "PRAGMA quick_check", -1, &st, NULL);
    if (rc != SQLITE_OK) return epv__lg_sqlerr(l, rc, "SQLite integrity check");
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        const char *r = (const char *)sqlite3_column_text(st, 0);
        rc = (!r || strcmp(r, "ok"))
                 ? epv__error(l->ctx, EPV_ECORRUPT, "SQLite integrity check: %s", r ? r : "?")
                 : EPV_OK;
    } else {
        rc = epv__lg_sqlerr(l, rc, "SQLite integrity check");
    }
    sqlite3_finalize(st);
    return rc;
}

/* Create a new file: schema and genesis entry in one transaction. */
static int create_file(epv_ledger *l, const epv_ledger_config *cfg)
{
    epv_ledger_config def;
    if (!cfg) {
        epv_ledger_config_default(&def);
        cfg = &def;
    }
    int rc = epv__lg_exec(l, "PRAGMA journal_mode=WAL");
    if (!rc) rc = epv__lg_exec(l, "PRAGMA synchronous=FULL");
    if (!rc) rc = epv__lg_exec(l, "BEGIN IMMEDIATE");
    if (rc) return rc;
    rc = epv__lg_create_schema(l);
    if (!rc) {
        struct epv__lop op = { EPV__L_GENESIS, "genesis", { 0 }, { 0 } };
        op.s[0] = cfg->programme;
        op.s[1] = cfg->serial_format ? cfg->serial_format : EPV_LEDGER_SERIAL_DEFAULT;
        op.i[0] = cfg->forestry_buffer_bp;
        op.i[1] = cfg->ccer_date_rules;
        op.i[2] = EPV__L_FORMAT_VERSION;
        int64_t res[EPV__L_NRES];
        rc = epv__lg_step(l, &op, res);
    }
    if (!rc) {
        int src = sqlite3_exec(l->db, "COMMIT", NULL, NULL, NULL);
        if (src != SQLITE_OK) rc = epv__lg_sqlerr(l, src, "commit");
    }
    if (rc && !sqlite3_get_autocommit(l->db)) sqlite3_exec(l->db, "ROLLBACK", NULL, NULL, NULL);
    return rc;
}

EPV_API int epv_ledger_open(epv_ctx *ctx, const char *path, unsigned flags,
                            const epv_ledger_config *cfg, epv_ledger **out)
{
    if (!out) return epv__error(ctx, EPV_EINVAL, "ledger_open: out is NULL");
    *out = NULL;
    if (!path || !*path) return epv__error(ctx, EPV_EINVAL, "ledger_open: path is empty");
    if (flags & ~(unsigned)(EPV_LEDGER_CREATE | EPV_LEDGER_READONLY | EPV_LEDGER_NO_REPLAY))
        return epv__error(ctx, EPV_EINVAL, "ledger_open: flags: unknown bits 0x%x", flags);
    int exists = access(path, F_OK) == 0;
    if (!exists && (!(flags & EPV_LEDGER_CREATE) || (flags & EPV_LEDGER_READONLY)))
        return epv__error(ctx, EPV_ENOTFOUND, "%s: no such ledger file", path);
    epv_ledger *l;
    int rc = epv__lg_open_db(ctx, path, exists ? flags & ~(unsigned)EPV_LEDGER_CREATE : flags, &l);
    if (rc) return rc;
    if (!exists) {
        rc = create_file(l, cfg);
        if (rc) {
            epv__error_prefix(ctx, "%s", path);
            epv__lg_free(l);
            remove_files(path);
            return rc;
        }
    } else {
        /* Everything is checked in one read snapshot, before anything is written: a file that
         * is rejected is left byte for byte as it was (no switch to WAL, no growth). */
        rc = epv__lg_read_begin(l);
        if (!rc) {
            if (!(flags & EPV_LEDGER_NO_REPLAY)) rc = quick_check(l);
            if (!rc) rc = epv__lg_load_config(l);
            if (!rc) rc = epv__lg_verify_chain(l, NULL);
            if (!rc && !(flags & EPV_LEDGER_NO_REPLAY)) rc = epv__lg_verify_replay(l);
            if (!rc && !(flags & EPV_LEDGER_NO_REPLAY)) rc = epv__lg_check_invariants(l);
            rc = epv__lg_read_end(l, rc);
        }
        if (!rc && !l->readonly) rc = epv__lg_exec(l, "PRAGMA journal_mode=WAL");
        if (!rc) rc = epv__lg_exec(l, "PRAGMA synchronous=FULL");
        if (rc) {
            /* A ledger that fails is never used: report it as corrupt with the reason. */
            if (rc == EPV_EIO || rc == EPV_EPARSE || rc == EPV_ESCHEMA) rc = EPV_ECORRUPT;
            epv__error_prefix(ctx, "%s", path);
            if (epv_ctx_errcode(ctx) != rc) {
                char msg[EPV_ERRMSG_MAX];
                snprintf(msg, sizeof msg, "%s", epv_ctx_errmsg(ctx));
                epv__error(ctx, rc, "%s", msg);
            }
            epv__lg_free(l);
            return rc;
        }
    }
    *out = l;
    return EPV_OK;
}

EPV_API void epv_ledger_close(epv_ledger *l)
{
    if (!l) return;
    if (l->in_batch) sqlite3_exec(l->db, "ROLLBACK", NULL, NULL, NULL);
    epv__lg_free(l);
}
