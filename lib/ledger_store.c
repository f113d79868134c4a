/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Ledger storage: a SQLite file or a PostgreSQL database; schema, settings, statements,
 * transactions and read snapshots. Nothing here knows an operation or the journal's meaning
 * (see ledger_store_int.h for the layering).
 *
 * Durability. SQLite: WAL with synchronous=FULL (a commit is on disk when it returns).
 * PostgreSQL: synchronous_commit=on for the session (a commit is in the server's WAL, flushed,
 * when it returns; the server's fsync must be on). One writer at a time: every operation runs
 * inside a write transaction (or a savepoint of a batch) that holds the writers' lock. */
#include "config.h"

#include <ctype.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ledger_store_int.h"

#define CHECKPOINTS_SQLITE                                                                   \
    "CREATE TABLE IF NOT EXISTS checkpoints(seq INTEGER PRIMARY KEY CHECK (seq >= 1),"         \
    " head BLOB NOT NULL CHECK (length(head) = 32), state BLOB NOT NULL CHECK (length(state) = 32)) STRICT;"
#define CHECKPOINTS_PG                                                                       \
    "CREATE TABLE IF NOT EXISTS checkpoints(seq bigint PRIMARY KEY CHECK (seq >= 1),"          \
    " head bytea NOT NULL CHECK (length(head) = 32), state bytea NOT NULL CHECK (length(state) = 32));"

static const char *const schema_sqlite =
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
    " r0 INTEGER NOT NULL, r1 INTEGER NOT NULL, r2 INTEGER NOT NULL, r3 INTEGER NOT NULL) STRICT, WITHOUT ROWID;"
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
    CHECKPOINTS_SQLITE;
/* The same tables for PostgreSQL, column for column in the same order (the state digest reads
 * `SELECT *`): 64-bit integers, byte strings, and text compared byte by byte (COLLATE "C"),
 * as SQLite compares it, so every ORDER BY and key order is the same on both backends. The
 * journal is append-only through a trigger here too (also against TRUNCATE). */
#define T " text COLLATE \"C\" NOT NULL"
static const char *const schema_pg =
    "CREATE TABLE journal(seq bigint PRIMARY KEY, kind bigint NOT NULL, req" T ","
    " body bytea NOT NULL, prev_hash bytea NOT NULL, hash bytea NOT NULL);"
    "CREATE FUNCTION epv_journal_append_only() RETURNS trigger LANGUAGE plpgsql AS"
    " 'BEGIN RAISE EXCEPTION ''journal is append-only''; END';"
    "CREATE TRIGGER journal_no_update BEFORE UPDATE OR DELETE ON journal"
    " FOR EACH ROW EXECUTE FUNCTION epv_journal_append_only();"
    "CREATE TRIGGER journal_no_truncate BEFORE TRUNCATE ON journal"
    " FOR EACH STATEMENT EXECUTE FUNCTION epv_journal_append_only();"
    "CREATE TABLE head(id bigint PRIMARY KEY CHECK (id = 1), seq bigint NOT NULL, hash bytea NOT NULL);"
    "CREATE TABLE meta(key" T " PRIMARY KEY, ival bigint NOT NULL, tval" T ");"
    "CREATE TABLE requests(req" T " PRIMARY KEY, seq bigint NOT NULL,"
    " r0 bigint NOT NULL, r1 bigint NOT NULL, r2 bigint NOT NULL, r3 bigint NOT NULL);"
    "CREATE TABLE accounts(id" T " PRIMARY KEY, entity" T " UNIQUE, kind bigint NOT NULL,"
    " status bigint NOT NULL CHECK (status BETWEEN 0 AND 3));"
    "CREATE TABLE projects(id" T " PRIMARY KEY, name" T ", methodology" T ","
    " owner" T ", cstart bigint NOT NULL, cend bigint NOT NULL CHECK (cend >= cstart),"
    " forestry bigint NOT NULL, buffer_bp bigint NOT NULL, status bigint NOT NULL,"
    " next_serial bigint NOT NULL CHECK (next_serial >= 1));"
    "CREATE TABLE periods(project" T ", num bigint NOT NULL, start bigint NOT NULL,"
    " \"end\" bigint NOT NULL CHECK (\"end\" >= start), PRIMARY KEY(project, num));"
    "CREATE TABLE verifications(report" T " PRIMARY KEY, project" T ","
    " num bigint NOT NULL, verifier" T ", verified bigint NOT NULL CHECK (verified > 0),"
    " deduction bigint NOT NULL CHECK (deduction >= 0 AND deduction <= verified),"
    " issued bigint NOT NULL CHECK (issued >= 0 AND issued <= verified - deduction),"
    " applied bigint NOT NULL, vintage bigint NOT NULL, UNIQUE(project, num));"
    "CREATE TABLE issuances(seq bigint PRIMARY KEY, report" T ", project" T ","
    " vintage bigint NOT NULL, start bigint NOT NULL, \"end\" bigint NOT NULL CHECK (\"end\" >= start),"
    " buffer bigint NOT NULL CHECK (buffer >= 0));"
    "CREATE TABLE blocks(project" T ", start bigint NOT NULL CHECK (start >= 1),"
    " \"end\" bigint NOT NULL CHECK (\"end\" >= start), vintage bigint NOT NULL,"
    " issuance bigint NOT NULL, account" T ","
    " status bigint NOT NULL CHECK (status BETWEEN 0 AND 3), cert bigint NOT NULL,"
    " PRIMARY KEY(project, start));"
    "CREATE INDEX blocks_account ON blocks(account, project, status, start);"
    "CREATE TABLE totals(project" T ", vintage bigint NOT NULL,"
    " issued bigint NOT NULL CHECK (issued >= 0), PRIMARY KEY(project, vintage));"
    "CREATE TABLE retirements(cert bigint PRIMARY KEY, account" T ","
    " beneficiary" T ", reason" T ", date bigint NOT NULL,"
    " project" T ", units bigint NOT NULL CHECK (units > 0));"
    "CREATE TABLE events(seq bigint NOT NULL, n bigint NOT NULL, project" T ","
    " start bigint NOT NULL, \"end\" bigint NOT NULL CHECK (\"end\" >= start), kind" T ","
    " from_acct" T ", to_acct" T ", status bigint NOT NULL,"
    " PRIMARY KEY(project, start, seq, n));"
    CHECKPOINTS_PG;
#undef T

/* ------------------------------------------------------------------------------------------ */
/* Statements                                                                                 */

#define LQ_MAXP 16 /* parameters of one statement (the most any ledger statement has is 9) */

struct epv__lq {
    struct epv__lstore *s;
    sqlite3_stmt *st; /* SQLite */
    /* PostgreSQL: the text with $N parameters; cached statements are prepared on the server
     * (named by their cache slot) at their first run, with the parameter types bound then. */
    char *pgsql;
    int cached, slot, prepared, utility, np, writes;
    const char *pv[LQ_MAXP];
    int pl[LQ_MAXP], pf[LQ_MAXP];
    Oid pt[LQ_MAXP];
    char ibuf[LQ_MAXP][24];
    char *own[LQ_MAXP];
    PGresult *res;
    int executed, row, nrows, ncols;
    int64_t changes;
    unsigned char **blob; /* decoded byte strings of the current row, per column */
    int *bloblen;
};

#define OID_BYTEA 17
#define OID_INT8 20
#define OID_INT2 21
#define OID_INT4 23
#define OID_TEXT 25
#define OID_OID 26
#define OID_FLOAT4 700
#define OID_FLOAT8 701
#define OID_NUMERIC 1700

static PGconn *conn(const struct epv__lstore *s) { return (PGconn *)s->pg; }

/* Keep the SQLSTATE and the primary message of a failed PostgreSQL call. */
static int pg_fail(struct epv__lstore *s, PGresult *r)
{
    const char *st = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
    const char *m = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    snprintf(s->pg_state, sizeof s->pg_state, "%s", st ? st : "08000");
    if (!m || !*m) m = PQerrorMessage(conn(s));
    snprintf(s->pg_msg, sizeof s->pg_msg, "%s", m && *m ? m : "connection lost");
    char *nl = strchr(s->pg_msg, '\n');
    if (nl) *nl = 0;
    if (r) PQclear(r);
    return EPV__LQ_PGERR;
}

static int pg_ok(PGresult *r)
{
    ExecStatusType t = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
    return t == PGRES_COMMAND_OK || t == PGRES_TUPLES_OK || t == PGRES_EMPTY_QUERY;
}

/* The PostgreSQL form of a SQL text: `?N` -> `$N`, `?` -> the next number; quoted text and
 * identifiers untouched. SQLite-only statements become their PostgreSQL counterparts. */
static char *pg_translate(epv_ctx *ctx, const char *sql, int *np, int *utility)
{
    *np = 0;
    *utility = 0;
    static const char *const util[] = { "BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE", "PRAGMA",
                                        "CREATE", "DROP", "LOCK", "SET" };
    for (size_t i = 0; i < EPV__ARRAY_LEN(util); i++)
        if (!strncmp(sql, util[i], strlen(util[i]))) *utility = 1;
    if (!strncmp(sql, "PRAGMA", 6)) sql = ""; /* file settings: nothing to do on a server */
    size_t n = strlen(sql);
    char *out = epv__malloc(ctx, 2 * n + 1);
    if (!out) return NULL;
    size_t o = 0;
    int next = 0;
    char quote = 0;
    for (size_t i = 0; i < n; i++) {
        char c = sql[i];
        if (quote) {
            if (c == quote) quote = 0;
            out[o++] = c;
        } else if (c == '\'' || c == '"') {
            quote = c;
            out[o++] = c;
        } else if (!strncmp(sql + i, "INDEXED BY ", 11)) {
            /* SQLite's index hint: PostgreSQL's planner chooses by itself */
            i += 11;
            while (sql[i + 1] && (isalnum((unsigned char)sql[i + 1]) || sql[i + 1] == '_')) i++;
        } else if (c == '?') {
            int k;
            if (isdigit((unsigned char)sql[i + 1])) {
                k = 0;
                while (isdigit((unsigned char)sql[i + 1])) k = 10 * k + (sql[++i] - '0');
            } else {
                k = ++next;
            }
            if (k > *np) *np = k;
            o += (size_t)sprintf(out + o, "$%d", k);
        } else {
            out[o++] = c;
        }
    }
    out[o] = 0;
    if (*np > LQ_MAXP) {
        epv__free(ctx, out);
        epv__error(ctx, EPV_EINVAL, "ledger: statement has too many parameters");
        return NULL;
    }
    return out;
}

static epv__lq *lq_new(struct epv__lstore *s, const char *sql, int cached, int slot)
{
    epv__lq *q = epv__calloc(s->ctx, 1, sizeof *q);
    if (!q) return NULL;
    q->s = s;
    q->cached = cached;
    q->slot = slot;
    if (s->backend == EPV__LS_SQLITE) {
        int rc = sqlite3_prepare_v3(s->db, sql, -1, cached ? SQLITE_PREPARE_PERSISTENT : 0, &q->st, NULL);
        if (rc != SQLITE_OK) {
            epv__ls_sqlerr(s, rc, "prepare");
            epv__free(s->ctx, q);
            return NULL;
        }
        return q;
    }
    for (int k = 0; k < LQ_MAXP; k++) q->pt[k] = OID_TEXT; /* unbound: NULL, typed as text */
    q->writes = !strncmp(sql, "INSERT", 6) || !strncmp(sql, "UPDATE", 6) || !strncmp(sql, "DELETE", 6);
    q->pgsql = pg_translate(s->ctx, sql, &q->np, &q->utility);
    if (!q->pgsql) {
        epv__free(s->ctx, q);
        return NULL;
    }
    return q;
}

static void lq_clear_row(epv__lq *q)
{
    if (!q->blob) return;
    for (int c = 0; c < q->ncols; c++) {
        epv__free(q->s->ctx, q->blob[c]);
        q->blob[c] = NULL;
        q->bloblen[c] = -1;
    }
}

static void lq_clear_result(epv__lq *q)
{
    lq_clear_row(q);
    epv__free(q->s->ctx, q->blob);
    epv__free(q->s->ctx, q->bloblen);
    q->blob = NULL;
    q->bloblen = NULL;
    if (q->res) PQclear(q->res);
    q->res = NULL;
    q->executed = 0;
    q->row = q->nrows = q->ncols = 0;
}

static void lq_clear_binds(epv__lq *q)
{
    for (int i = 0; i < LQ_MAXP; i++) {
        epv__free(q->s->ctx, q->own[i]);
        q->own[i] = NULL;
        q->pv[i] = NULL;
        q->pl[i] = q->pf[i] = 0;
        q->pt[i] = OID_TEXT; /* an unbound parameter is NULL, typed as text (see bind_null) */
    }
}

void epv__lq_reset(epv__lq *q)
{
    if (!q) return;
    if (q->st) {
        sqlite3_reset(q->st);
        return;
    }
    lq_clear_result(q);
}

void epv__lq_finalize(epv__lq *q)
{
    if (!q) return;
    if (q->st) {
        sqlite3_finalize(q->st);
    } else {
        lq_clear_result(q);
        lq_clear_binds(q);
        epv__free(q->s->ctx, q->pgsql);
    }
    epv__free(q->s->ctx, q);
}

int epv__lq_prepare(struct epv__lstore *s, const char *sql, epv__lq **out)
{
    *out = lq_new(s, sql, 0, -1);
    if (*out) return EPV__LQ_OK;
    /* the error is set; hand back a raw status that maps to it */
    if (s->backend == EPV__LS_SQLITE) return s->db ? sqlite3_errcode(s->db) : SQLITE_ERROR;
    snprintf(s->pg_state, sizeof s->pg_state, "XX000");
    snprintf(s->pg_msg, sizeof s->pg_msg, "%s", epv_ctx_errmsg(s->ctx));
    return EPV__LQ_PGERR;
}

static int pslot(epv__lq *q, int i)
{
    if (i < 1 || i > LQ_MAXP) return -1;
    lq_clear_result(q); /* binding after a run starts a new run, as in SQLite after reset */
    epv__free(q->s->ctx, q->own[i - 1]);
    q->own[i - 1] = NULL;
    return i - 1;
}

void epv__lq_bind_i64(epv__lq *q, int i, int64_t v)
{
    if (q->st) {
        sqlite3_bind_int64(q->st, i, v);
        return;
    }
    int k = pslot(q, i);
    if (k < 0) return;
    snprintf(q->ibuf[k], sizeof q->ibuf[k], "%lld", (long long)v);
    q->pv[k] = q->ibuf[k];
    q->pl[k] = 0;
    q->pf[k] = 0;
    q->pt[k] = OID_INT8;
}

void epv__lq_bind_text(epv__lq *q, int i, const char *v)
{
    if (q->st) {
        sqlite3_bind_text(q->st, i, v, -1, SQLITE_STATIC);
        return;
    }
    int k = pslot(q, i);
    if (k < 0) return;
    q->pv[k] = v;
    q->pl[k] = 0;
    q->pf[k] = 0;
    q->pt[k] = OID_TEXT;
}

void epv__lq_bind_text_copy(epv__lq *q, int i, const char *v)
{
    if (q->st) {
        sqlite3_bind_text(q->st, i, v, -1, SQLITE_TRANSIENT);
        return;
    }
    int k = pslot(q, i);
    if (k < 0) return;
    q->own[k] = v ? epv__strdup(q->s->ctx, v) : NULL;
    q->pv[k] = q->own[k];
    q->pl[k] = 0;
    q->pf[k] = 0;
    q->pt[k] = OID_TEXT;
}

void epv__lq_bind_blob(epv__lq *q, int i, const void *p, size_t n)
{
    if (q->st) {
        sqlite3_bind_blob(q->st, i, p, (int)n, SQLITE_STATIC);
        return;
    }
    int k = pslot(q, i);
    if (k < 0) return;
    q->pv[k] = p ? (const char *)p : "";
    q->pl[k] = (int)n;
    q->pf[k] = 1; /* sent as bytes, not as text */
    q->pt[k] = OID_BYTEA;
}

void epv__lq_bind_null(epv__lq *q, int i)
{
    if (q->st) {
        sqlite3_bind_null(q->st, i);
        return;
    }
    int k = pslot(q, i);
    if (k < 0) return;
    q->pv[k] = NULL;
    /* typed as text: "?1 IS NULL OR col = ?1" must be typed even when ?1 is NULL (the ledger
     * binds NULL only for optional text filters) */
    q->pt[k] = OID_TEXT;
}

int epv__lq_step(epv__lq *q)
{
    if (q->st) {
        int rc = sqlite3_step(q->st);
        if (rc == SQLITE_ROW) {
            q->s->rows_read++;
            return EPV__LQ_ROW;
        }
        return rc == SQLITE_DONE ? EPV__LQ_DONE : rc;
    }
    struct epv__lstore *s = q->s;
    if (!q->executed) {
        PGresult *r;
        if (q->utility) {
            r = PQexec(conn(s), q->pgsql);
        } else if (q->cached) {
            char name[24];
            snprintf(name, sizeof name, "epv_s%d", q->slot);
            if (!q->prepared) {
                PGresult *p = PQprepare(conn(s), name, q->pgsql, q->np, q->pt);
                if (!pg_ok(p)) return pg_fail(s, p);
                PQclear(p);
                q->prepared = 1;
            }
            r = PQexecPrepared(conn(s), name, q->np, q->pv, q->pl, q->pf, 0);
        } else {
            r = PQexecParams(conn(s), q->pgsql, q->np, q->pt, q->pv, q->pl, q->pf, 0);
        }
        s->pg_writes += q->writes;
        if (!pg_ok(r)) return pg_fail(s, r);
        q->res = r;
        q->executed = 1;
        q->row = -1;
        q->nrows = PQresultStatus(r) == PGRES_TUPLES_OK ? PQntuples(r) : 0;
        s->rows_read += q->nrows;
        q->ncols = PQresultStatus(r) == PGRES_TUPLES_OK ? PQnfields(r) : 0;
        const char *ct = PQcmdTuples(r);
        q->changes = ct && *ct ? strtoll(ct, NULL, 10) : 0;
        if (q->ncols) {
            q->blob = epv__calloc(s->ctx, (size_t)q->ncols, sizeof *q->blob);
            q->bloblen = epv__calloc(s->ctx, (size_t)q->ncols, sizeof *q->bloblen);
            if (!q->blob || !q->bloblen) {
                snprintf(s->pg_state, sizeof s->pg_state, "53200");
                snprintf(s->pg_msg, sizeof s->pg_msg, "out of memory");
                return EPV__LQ_PGERR;
            }
            for (int c = 0; c < q->ncols; c++) q->bloblen[c] = -1;
        }
    }
    lq_clear_row(q);
    return ++q->row < q->nrows ? EPV__LQ_ROW : EPV__LQ_DONE;
}

int64_t epv__lq_changes(epv__lq *q) { return q->st ? sqlite3_changes(sqlite3_db_handle(q->st)) : q->changes; }

int epv__lq_col_count(epv__lq *q) { return q->st ? sqlite3_column_count(q->st) : q->ncols; }

static int pg_has(epv__lq *q, int c)
{
    return q->res && q->row >= 0 && q->row < q->nrows && c >= 0 && c < q->ncols && !PQgetisnull(q->res, q->row, c);
}

int epv__lq_col_type(epv__lq *q, int c)
{
    if (q->st) return sqlite3_column_type(q->st, c);
    if (!pg_has(q, c)) return EPV__LQ_NULL;
    switch (PQftype(q->res, c)) {
    case OID_INT8:
    case OID_INT4:
    case OID_INT2:
    case OID_OID:
    case OID_NUMERIC: return EPV__LQ_INTEGER;
    case OID_FLOAT4:
    case OID_FLOAT8: return EPV__LQ_FLOAT;
    case OID_BYTEA: return EPV__LQ_BLOB;
    default: return EPV__LQ_TEXT;
    }
}

int64_t epv__lq_col_i64(epv__lq *q, int c)
{
    if (q->st) return sqlite3_column_int64(q->st, c);
    if (!pg_has(q, c)) return 0;
    return strtoll(PQgetvalue(q->res, q->row, c), NULL, 10);
}

const unsigned char *epv__lq_col_text(epv__lq *q, int c)
{
    if (q->st) return sqlite3_column_text(q->st, c);
    if (!pg_has(q, c)) return NULL;
    return (const unsigned char *)PQgetvalue(q->res, q->row, c);
}

static int hexval(int ch)
{
    if (ch >= '0' && ch <= '9') return ch - '0';
    if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F') return ch - 'A' + 10;
    return -1;
}

/* bytea arrives as text in hex form ("\x0a1b..."; bytea_output = hex for the session). */
static int pg_blob(epv__lq *q, int c)
{
    if (q->bloblen[c] >= 0) return 0;
    const char *v = PQgetvalue(q->res, q->row, c);
    size_t n = (size_t)PQgetlength(q->res, q->row, c);
    if (n < 2 || v[0] != '\\' || v[1] != 'x' || n % 2) return -1;
    size_t m = (n - 2) / 2;
    unsigned char *b = epv__malloc(q->s->ctx, m ? m : 1);
    if (!b) return -1;
    for (size_t i = 0; i < m; i++) {
        int hi = hexval(v[2 + 2 * i]), lo = hexval(v[3 + 2 * i]);
        if (hi < 0 || lo < 0) {
            epv__free(q->s->ctx, b);
            return -1;
        }
        b[i] = (unsigned char)(hi << 4 | lo);
    }
    q->blob[c] = b;
    q->bloblen[c] = (int)m;
    return 0;
}

const void *epv__lq_col_blob(epv__lq *q, int c)
{
    if (q->st) return sqlite3_column_blob(q->st, c);
    if (!pg_has(q, c)) return NULL;
    if (PQftype(q->res, c) != OID_BYTEA) return PQgetvalue(q->res, q->row, c);
    return pg_blob(q, c) ? NULL : q->blob[c];
}

int epv__lq_col_bytes(epv__lq *q, int c)
{
    if (q->st) return sqlite3_column_bytes(q->st, c);
    if (!pg_has(q, c)) return 0;
    if (PQftype(q->res, c) != OID_BYTEA) return PQgetlength(q->res, q->row, c);
    return pg_blob(q, c) ? 0 : q->bloblen[c];
}

int epv__lq_col_any(epv__lq *q, int c, int64_t *iv, const void **p, size_t *n)
{
    if (q->st) {
        /* One API call instead of two or three: the sqlite3_column_* accessors each convert
         * and check for a failed allocation; the value's accessors do not, and this
         * connection is never used by two threads at once. */
        sqlite3_value *v = sqlite3_column_value(q->st, c);
        int t = sqlite3_value_type(v);
        if (t == SQLITE_INTEGER) *iv = sqlite3_value_int64(v);
        else if (t == SQLITE_TEXT) {
            *p = sqlite3_value_text(v);
            *n = (size_t)sqlite3_value_bytes(v);
        } else if (t == SQLITE_BLOB) {
            *p = sqlite3_value_blob(v);
            *n = (size_t)sqlite3_value_bytes(v);
        }
        return t;
    }
    int t = epv__lq_col_type(q, c);
    if (t == EPV__LQ_INTEGER) *iv = epv__lq_col_i64(q, c);
    else if (t == EPV__LQ_TEXT) {
        *p = epv__lq_col_text(q, c);
        *n = (size_t)epv__lq_col_bytes(q, c);
    } else if (t == EPV__LQ_BLOB) {
        *p = epv__lq_col_blob(q, c);
        *n = (size_t)epv__lq_col_bytes(q, c);
    }
    return t;
}

/* ------------------------------------------------------------------------------------------ */
/* The store                                                                                  */

int epv__ls_is_pg(const char *path)
{
    return path && (!strncmp(path, "postgresql://", 13) || !strncmp(path, "postgres://", 11) ||
                    !strncmp(path, "pg:", 3));
}

int epv__ls_retryable(const struct epv__lstore *s)
{
    return s->backend == EPV__LS_PG && (!strcmp(s->pg_state, "40001") || !strcmp(s->pg_state, "40P01"));
}

int epv__ls_sqlerr(struct epv__lstore *s, int rc, const char *what)
{
    int code;
    if (rc == EPV__LQ_PGERR) {
        const char *st = s->pg_state;
        if (!strcmp(st, "40001") || !strcmp(st, "40P01") || !strcmp(st, "55P03") || !strcmp(st, "57014"))
            code = EPV_EBUSY; /* serialization failure, deadlock, lock or statement timeout */
        else if (!strcmp(st, "25006"))
            code = EPV_EREADONLY;
        else if (!strncmp(st, "53", 2))
            code = !strcmp(st, "53200") ? EPV_ENOMEM : EPV_ENOSPACE;
        else if (!strncmp(st, "23", 2) || !strcmp(st, "P0001"))
            code = EPV_ECORRUPT; /* a constraint or the append-only trigger */
        else
            code = EPV_EIO;
        return epv__error(s->ctx, code, "ledger: %s: %s: %s (SQLSTATE %s)", what, s->name, s->pg_msg, st);
    }
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

epv__lq *epv__ls_stmt(struct epv__lstore *s, const char *sql)
{
    /* open addressing on the address of the (static) SQL text */
    size_t i = (size_t)(((uintptr_t)sql >> 3) % EPV__LS_NSTMT), probes = 0;
    while (s->stmt_sql[i]) {
        if (s->stmt_sql[i] == sql) {
            epv__lq *q = s->stmt[i];
            if (q->st) {
                sqlite3_reset(q->st);
                sqlite3_clear_bindings(q->st);
            } else {
                lq_clear_result(q);
                lq_clear_binds(q);
            }
            return q;
        }
        if (++probes == EPV__LS_NSTMT) {
            /* every statement is a static string; more than the cache holds is a bug */
            epv__error(s->ctx, EPV_ENOMEM, "ledger: statement cache full");
            return NULL;
        }
        i = (i + 1) % EPV__LS_NSTMT;
    }
    epv__lq *q = lq_new(s, sql, 1, (int)i);
    if (!q) return NULL;
    s->stmt_sql[i] = sql;
    s->stmt[i] = q;
    return q;
}

int epv__ls_exec(struct epv__lstore *s, const char *sql)
{
    if (s->backend == EPV__LS_SQLITE) {
        int rc = sqlite3_exec(s->db, sql, NULL, NULL, NULL);
        return rc == SQLITE_OK ? EPV_OK : epv__ls_sqlerr(s, rc, sql);
    }
    int np, util;
    char *t = pg_translate(s->ctx, sql, &np, &util);
    if (!t) return epv_ctx_errcode(s->ctx);
    PGresult *r = PQexec(conn(s), t);
    epv__free(s->ctx, t);
    if (!pg_ok(r)) return epv__ls_sqlerr(s, pg_fail(s, r), sql);
    PQclear(r);
    return EPV_OK;
}

void epv__ls_exec_quiet(struct epv__lstore *s, const char *sql)
{
    if (s->backend == EPV__LS_SQLITE) {
        sqlite3_exec(s->db, sql, NULL, NULL, NULL);
    } else {
        PGresult *r = PQexec(conn(s), sql);
        if (r) PQclear(r);
    }
}

int epv__ls_run(struct epv__lstore *s, const char *sql)
{
    epv__lq *q = epv__ls_stmt(s, sql);
    if (!q) return epv_ctx_errcode(s->ctx);
    int rc = epv__lq_step(q);
    epv__lq_reset(q);
    return rc == EPV__LQ_DONE ? EPV_OK : epv__ls_sqlerr(s, rc, sql);
}

int epv__ls_txn_failed(struct epv__lstore *s)
{
    /* SQLite ends the transaction itself after some errors (a full disk, I/O, out of memory) */
    if (s->backend == EPV__LS_SQLITE) return s->db && sqlite3_get_autocommit(s->db);
    return s->pg && PQtransactionStatus(conn(s)) == PQTRANS_INERROR;
}

int64_t epv__ls_writes(struct epv__lstore *s)
{
    if (s->backend == EPV__LS_SQLITE) return s->db ? (int64_t)sqlite3_total_changes64(s->db) : 0;
    return s->pg_writes;
}

int epv__ls_in_txn(struct epv__lstore *s)
{
    if (s->backend == EPV__LS_PG) return s->pg && PQtransactionStatus(conn(s)) != PQTRANS_IDLE;
    return s->db && !sqlite3_get_autocommit(s->db);
}

void epv__ls_rollback(struct epv__lstore *s)
{
    if (epv__ls_in_txn(s)) epv__ls_exec_quiet(s, "ROLLBACK");
}

static const char *const sql_begin_immediate = "BEGIN IMMEDIATE";
static const char *const sql_commit = "COMMIT";

int epv__ls_begin_write(struct epv__lstore *s, int create)
{
    if (s->backend == EPV__LS_SQLITE) return epv__ls_run(s, sql_begin_immediate);
    /* LOCK TABLE takes no snapshot: the transaction's snapshot is taken by its first read,
     * after the lock is held, so a writer always sees every earlier writer's commit. */
    int rc = epv__ls_exec(s, create ? "BEGIN ISOLATION LEVEL SERIALIZABLE"
                                      : "BEGIN ISOLATION LEVEL SERIALIZABLE;"
                                        " LOCK TABLE head IN EXCLUSIVE MODE");
    if (rc) epv__ls_rollback(s); /* e.g. the lock not had within lock_timeout */
    return rc;
}

int epv__ls_commit(struct epv__lstore *s)
{
    if (s->backend == EPV__LS_SQLITE) return epv__ls_run(s, sql_commit);
    PGresult *r = PQexec(conn(s), "COMMIT");
    /* A COMMIT of a failed transaction "succeeds" as a ROLLBACK: that is an error here. */
    if (!pg_ok(r)) return epv__ls_sqlerr(s, pg_fail(s, r), "commit");
    int rolled_back = !strcmp(PQcmdStatus(r), "ROLLBACK");
    PQclear(r);
    if (rolled_back) {
        snprintf(s->pg_state, sizeof s->pg_state, "25P02");
        snprintf(s->pg_msg, sizeof s->pg_msg, "the transaction had failed and was rolled back");
        return epv__ls_sqlerr(s, EPV__LQ_PGERR, "commit");
    }
    return EPV_OK;
}

int epv__ls_read_begin(struct epv__lstore *s)
{
    if (s->rdepth++ > 0) return EPV_OK;
    s->rd_own = 0;
    if (epv__ls_in_txn(s)) return EPV_OK; /* inside a write transaction */
    /* SQLite: a deferred transaction, the snapshot is taken by the first read and kept to the
     * end. PostgreSQL: the same with REPEATABLE READ (a read-only one never fails to serialize). */
    int rc = epv__ls_exec(s, s->backend == EPV__LS_SQLITE ? "BEGIN DEFERRED"
                                                          : "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY");
    if (rc) {
        s->rdepth--;
        return rc;
    }
    s->rd_own = 1;
    return EPV_OK;
}

int epv__ls_read_end(struct epv__lstore *s, int rc)
{
    if (s->rdepth <= 0 || --s->rdepth > 0 || !s->rd_own) return rc;
    s->rd_own = 0;
    /* nothing was written: ending the snapshot cannot lose anything */
    if (s->backend == EPV__LS_PG) {
        epv__ls_exec_quiet(s, "ROLLBACK");
        return rc;
    }
    int src = sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL);
    if (src != SQLITE_OK) {
        epv__ls_rollback(s);
        if (!rc) rc = epv__ls_sqlerr(s, src, "ending a read snapshot");
    }
    return rc;
}

static void pg_quiet_notice(void *arg, const char *msg)
{
    (void)arg;
    (void)msg;
}

/* A name for messages: database, host and user from the settings, never the password. */
static void pg_name(char *out, size_t n, const char *conninfo)
{
    const char *db = NULL, *host = NULL;
    char *err = NULL;
    PQconninfoOption *o = PQconninfoParse(conninfo, &err);
    if (err) PQfreemem(err);
    for (PQconninfoOption *p = o; p && p->keyword; p++) {
        if (!strcmp(p->keyword, "dbname") && p->val) db = p->val;
        if (!strcmp(p->keyword, "host") && p->val) host = p->val;
    }
    snprintf(out, n, "PostgreSQL database '%s'%s%s", db ? db : "(default)", host ? " on " : "", host ? host : "");
    if (o) PQconninfoFree(o);
}

static int pg_open(epv_ctx *ctx, struct epv__lstore *s, const char *path)
{
    const char *ci = !strncmp(path, "pg:", 3) ? path + 3 : path;
    pg_name(s->name, sizeof s->name, ci);
    PGconn *c = PQconnectdb(ci);
    s->pg = (struct epv__pgconn *)c;
    if (!c || PQstatus(c) != CONNECTION_OK) {
        char m[256];
        snprintf(m, sizeof m, "%s", c ? PQerrorMessage(c) : "out of memory");
        char *nl = strchr(m, '\n');
        if (nl) *nl = 0;
        return epv__error(ctx, EPV_EIO, "%s: cannot connect: %s", s->name, m);
    }
    PQsetNoticeProcessor(c, pg_quiet_notice, NULL);
    char set[512];
    /* Session settings the ledger relies on: durable commits, the busy bound, UTF-8, bytea as
     * hex, no surprises from the server's defaults. */
    snprintf(set, sizeof set,
             "SET synchronous_commit = on; SET lock_timeout = %d; SET client_encoding = 'UTF8';"
             " SET bytea_output = hex; SET standard_conforming_strings = on;"
             " SET client_min_messages = warning; SET default_transaction_read_only = %s",
             EPV__LS_BUSY_MS, s->readonly ? "on" : "off");
    return epv__ls_exec(s, set);
}

int epv__ls_open(epv_ctx *ctx, struct epv__lstore *s, const char *path, int readonly, int create)
{
    memset(s, 0, sizeof *s);
    s->ctx = ctx;
    s->readonly = readonly;
    if (!(s->path = epv__strdup(ctx, path))) return EPV_ENOMEM;
    if (epv__ls_is_pg(path)) {
        s->backend = EPV__LS_PG;
        int rc = pg_open(ctx, s, path);
        if (rc) epv__ls_close(s);
        return rc;
    }
    s->backend = EPV__LS_SQLITE;
    snprintf(s->name, sizeof s->name, "%s", path);
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
    /* Undo records of statements and savepoints inside a transaction (the statement journal)
     * otherwise spill to a temporary file after 64 KiB and stay there: one pwrite per touched
     * page. They only serve rollbacks inside the open transaction, so memory is the right
     * place; durability (WAL, synchronous=FULL) is unaffected. */
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
        if (s->stmt_sql[i]) epv__lq_finalize(s->stmt[i]);
    memset(s->stmt_sql, 0, sizeof s->stmt_sql);
    if (s->db) sqlite3_close_v2(s->db);
    s->db = NULL;
    if (s->pg) PQfinish(conn(s));
    s->pg = NULL;
    epv__free(s->ctx, s->path);
    s->path = NULL;
}

const char *epv__ls_reopen_name(struct epv__lstore *s)
{
    if (s->backend == EPV__LS_PG) return s->path;
    const char *f = s->db ? sqlite3_db_filename(s->db, "main") : NULL;
    return f && *f ? f : NULL; /* the absolute file name: a later chdir() does not matter */
}

int epv__ls_durable(struct epv__lstore *s)
{
    if (s->backend == EPV__LS_PG) return EPV_OK; /* synchronous_commit is set per session */
    int rc = s->readonly ? EPV_OK : epv__ls_exec(s, "PRAGMA journal_mode=WAL");
    if (!rc) rc = epv__ls_exec(s, "PRAGMA synchronous=FULL");
    return rc;
}

int epv__ls_create_schema(struct epv__lstore *s)
{
    return epv__ls_exec(s, s->backend == EPV__LS_PG ? schema_pg : schema_sqlite);
}

int epv__ls_ensure_checkpoints(struct epv__lstore *s)
{
    if (epv__ls_has_table(s, "checkpoints")) return EPV_OK;
    return epv__ls_exec(s, s->backend == EPV__LS_PG ? CHECKPOINTS_PG : CHECKPOINTS_SQLITE);
}

int epv__ls_quick_check(struct epv__lstore *s)
{
    if (s->backend == EPV__LS_PG) return EPV_OK; /* the server keeps its own pages */
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
    epv__lq *q = NULL;
    int has = 0;
    const char *sql = s->backend == EPV__LS_PG
                          ? "SELECT 1 FROM pg_catalog.pg_tables WHERE schemaname = current_schema() AND tablename = ?"
                          : "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?";
    if (epv__lq_prepare(s, sql, &q) == EPV__LQ_OK) {
        epv__lq_bind_text(q, 1, name);
        has = epv__lq_step(q) == EPV__LQ_ROW;
    }
    epv__lq_finalize(q);
    return has;
}
