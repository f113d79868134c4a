/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Shared by the ledger test programs (included, not compiled on its own): temporary files,
 * a standard small ledger, state digests for "nothing changed" assertions. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libpq-fe.h>
#include <sqlite3.h>

#include "epv.h"

#define TL_UNUSED __attribute__((unused))

static char tl_dir[512];
static char tl_pathbuf[1024];

/* A fresh temporary directory per program run. */
TL_UNUSED static const char *tl_tmpdir(void)
{
    if (!tl_dir[0]) {
        const char *base = getenv("TMPDIR");
        snprintf(tl_dir, sizeof tl_dir, "%s/epv_ledger_XXXXXX", base && *base ? base : "/tmp");
        if (!mkdtemp(tl_dir)) tl_dir[0] = 0;
    }
    return tl_dir;
}

/* PostgreSQL mode: EPV_TEST_PG is set (tests/ledger_pg.sh, inside the throwaway cluster of
 * tests/pg_cluster.sh, which sets PGHOST, PGPORT, PGUSER). Every ledger the tests name is then
 * a fresh database on that server instead of a file; tests that work on the file itself (copies,
 * truncation, SQLite's own settings) return early (TL_FILE_ONLY) and have PostgreSQL
 * counterparts in tests/test_ledger_pg.c. */
TL_UNUSED static int tl_pg(void)
{
    const char *v = getenv("EPV_TEST_PG");
    return v && *v && strcmp(v, "0");
}
#define TL_FILE_ONLY()                                                                      \
    do {                                                                                    \
        if (tl_pg()) return;                                                                \
    } while (0)

static void tl_pg_quiet(void *a, const char *m)
{
    (void)a;
    (void)m;
}

/* Run SQL on the server's maintenance database (PostgreSQL mode); 0 on success. */
TL_UNUSED static int tl_pg_admin(const char *db, const char *sql)
{
    char ci[256];
    snprintf(ci, sizeof ci, "dbname=%s", db);
    PGconn *c = PQconnectdb(ci);
    int ok = PQstatus(c) == CONNECTION_OK;
    if (ok) {
        PQsetNoticeProcessor(c, tl_pg_quiet, NULL);
        PGresult *r = PQexec(c, sql);
        ok = PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK;
        if (!ok) fprintf(stderr, "tl_pg_admin: %s: %s", sql, PQerrorMessage(c));
        PQclear(r);
    } else {
        fprintf(stderr, "tl_pg_admin: %s", PQerrorMessage(c));
    }
    PQfinish(c);
    return ok ? 0 : -1;
}

/* The database name for a ledger name: t<pid>_<name with [a-z0-9] kept, the rest '_'>. */
TL_UNUSED static void tl_pg_dbname(const char *name, char *out, size_t n)
{
    int k = snprintf(out, n, "t%ld_", (long)getpid());
    for (const char *p = name; *p && (size_t)k + 1 < n && k < 60; p++, k++) {
        char c = *p;
        out[k] = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ? c : (c >= 'A' && c <= 'Z') ? (char)(c + 32) : '_';
    }
    out[k] = 0;
}

/* The database of a "pg:dbname=NAME" path (NULL for a file). */
TL_UNUSED static const char *tl_pg_db(const char *path)
{
    return !strncmp(path, "pg:dbname=", 10) ? path + 10 : NULL;
}

/* Remove a ledger: its file and SQLite's side files, or its database. */
TL_UNUSED static void tl_remove(const char *path)
{
    char b[1100];
    const char *db = tl_pg_db(path);
    if (db) {
        snprintf(b, sizeof b, "DROP DATABASE IF EXISTS \"%s\" WITH (FORCE)", db);
        tl_pg_admin("postgres", b);
        return;
    }
    unlink(path);
    snprintf(b, sizeof b, "%s-wal", path);
    unlink(b);
    snprintf(b, sizeof b, "%s-shm", path);
    unlink(b);
    snprintf(b, sizeof b, "%s-journal", path);
    unlink(b);
}

/* Copy a ledger (a file, or a database as a template); 0 on success. */
TL_UNUSED static int tl_copy(const char *from, const char *to)
{
    char cmd[2300];
    tl_remove(to);
    const char *a = tl_pg_db(from), *b = tl_pg_db(to);
    if (a && b) {
        snprintf(cmd, sizeof cmd, "CREATE DATABASE \"%s\" TEMPLATE \"%s\"", b, a);
        return tl_pg_admin("postgres", cmd);
    }
    snprintf(cmd, sizeof cmd, "cp '%s' '%s'", from, to);
    return system(cmd);
}

/* Tampering behind the library's back: run SQL written for SQLite on a ledger of either
 * backend (0 on success). For PostgreSQL the few SQLite idioms the tamper cases use are
 * rewritten: dropping the append-only triggers (they are disabled instead), zeroblob(32), and
 * the column "end". */
TL_UNUSED static int tl_sql(const char *path, const char *sql)
{
    const char *db = tl_pg_db(path);
    if (!db) {
        sqlite3 *raw = NULL;
        int rc = sqlite3_open(path, &raw);
        if (rc == SQLITE_OK) rc = sqlite3_exec(raw, sql, NULL, NULL, NULL);
        if (rc != SQLITE_OK) fprintf(stderr, "tl_sql: %s: %s\n", sql, sqlite3_errmsg(raw));
        sqlite3_close(raw);
        return rc == SQLITE_OK ? 0 : -1;
    }
    static const char *const rw[][2] = {
        { "DROP TRIGGER journal_no_update;", "ALTER TABLE journal DISABLE TRIGGER USER;" },
        { "DROP TRIGGER journal_no_delete;", "ALTER TABLE journal DISABLE TRIGGER USER;" },
        { "zeroblob(32)", "decode(repeat('00', 32), 'hex')" },
        { "CAST(replace(CAST(body AS TEXT), 'Alpha', 'Omega') AS BLOB)",
          "overlay(body placing 'Omega'::bytea from position('Alpha'::bytea in body) for 5)" },
    };
    char out[4096];
    size_t o = 0;
    for (const char *p = sql; *p && o + 64 < sizeof out;) {
        size_t k;
        for (k = 0; k < sizeof rw / sizeof rw[0]; k++) {
            size_t n = strlen(rw[k][0]);
            if (!strncmp(p, rw[k][0], n)) {
                o += (size_t)snprintf(out + o, sizeof out - o, "%s", rw[k][1]);
                p += n;
                break;
            }
        }
        if (k == sizeof rw / sizeof rw[0]) out[o++] = *p++;
    }
    out[o] = 0;
    return tl_pg_admin(db, out);
}

/* Path of a named file in the temporary directory, removed first; in PostgreSQL mode a ledger
 * name ("*.db") gives the connection string of a fresh, empty database instead. */
TL_UNUSED static const char *tl_path(const char *name)
{
    size_t nl = strlen(name);
    if (tl_pg() && nl > 3 && !strcmp(name + nl - 3, ".db")) { /* ledgers only, not exports */
        char db[80], sql[300];
        tl_pg_dbname(name, db, sizeof db);
        snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s WITH (FORCE)", db);
        if (tl_pg_admin("postgres", sql)) return "pg:dbname=unreachable";
        snprintf(sql, sizeof sql, "CREATE DATABASE %s", db);
        if (tl_pg_admin("postgres", sql)) return "pg:dbname=unreachable";
        snprintf(tl_pathbuf, sizeof tl_pathbuf, "pg:dbname=%s", db);
        return tl_pathbuf;
    }
    snprintf(tl_pathbuf, sizeof tl_pathbuf, "%s/%s", tl_tmpdir(), name);
    tl_remove(tl_pathbuf);
    return tl_pathbuf;
}

TL_UNUSED static void tl_cleanup_dir(void)
{
    char cmd[700];
    if (!tl_dir[0] || !strstr(tl_dir, "epv_ledger_")) return;
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tl_dir);
    if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", tl_dir);
}

TL_UNUSED static epv_date tl_d(int y, int m, int d)
{
    epv_date r;
    r.year = y;
    r.month = m;
    r.day = d;
    return r;
}

TL_UNUSED static epv_ledger_units tl_count(const char *project, epv_i64 n)
{
    epv_ledger_units u = EPV_LEDGER_UNITS_INIT;
    u.project = project;
    u.count = n;
    return u;
}

TL_UNUSED static epv_ledger_units tl_range(const char *project, epv_i64 s, epv_i64 e)
{
    epv_ledger_units u = EPV_LEDGER_UNITS_INIT;
    u.project = project;
    u.serial_start = s;
    u.serial_end = e;
    return u;
}

/* Accounts OWNER and BUYER, forestry project P1 owned by OWNER (buffer from the programme
 * default, 20%), one period in 2021, verification R1: 1000 t verified, 50 t deducted.
 * Returns 0 on success. */
TL_UNUSED static int tl_setup(epv_ledger *l)
{
    int rc = 0;
    epv_ledger_project p = EPV_LEDGER_PROJECT_INIT;
    p.id = "P1";
    p.name = "Pingchang afforestation";
    p.methodology = "CCER-14-001-V01";
    p.owner_account = "OWNER";
    p.crediting_start = tl_d(2021, 1, 1);
    p.crediting_end = tl_d(2050, 12, 31);
    p.forestry = 1;
    p.buffer_bp = -1;
    epv_ledger_verification v = { EPV_LEDGER_VERIFICATION_VERSION, "P1", 1, "R1", "Verifier A", 1000, 50, { 2022, 3, 1 } };
    rc |= epv_ledger_account_open(l, "a1", "OWNER", "Pingchang Forestry Co.");
    rc |= epv_ledger_account_open(l, "a2", "BUYER", "Buyer Ltd.");
    rc |= epv_ledger_project_register(l, "p1", &p);
    rc |= epv_ledger_period_add(l, "m1", "P1", tl_d(2021, 1, 1), tl_d(2021, 12, 31), NULL);
    rc |= epv_ledger_verification_add(l, "v1", &v);
    return rc;
}

TL_UNUSED static int tl_digest_eq(epv_ledger *l, const unsigned char *before)
{
    unsigned char now[32];
    if (epv_ledger_state_digest(l, now)) return 0;
    return !memcmp(now, before, 32);
}

/* Layout of the ledgers the tests create: EPV_TEST_LAYOUT=2 runs a program on the live layout
 * (tests/ledger_live.sh), as EPV_TEST_PG runs it on PostgreSQL. */
extern int epv__lg_default_layout;
TL_UNUSED static int tl_live(void)
{
    const char *v = getenv("EPV_TEST_LAYOUT");
    return v && !strcmp(v, "2");
}
__attribute__((constructor)) static void tl_layout(void)
{
    if (tl_live()) epv__lg_default_layout = 2;
}
/* Tests of what only the layout with derived tables does (a fast open from a checkpoint, a
 * second connection reading the stored tables, edits of derived rows) return early in the
 * live layout, whose state lives in memory and is rebuilt from the journal on every open. */
#define TL_TABLES_ONLY()                                                                    \
    do {                                                                                    \
        if (tl_live()) return;                                                              \
    } while (0)
