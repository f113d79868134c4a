/* SPDX-License-Identifier: GPL-3.0-or-later */
#define _GNU_SOURCE
/* The ledger on PostgreSQL (issue 11 item 2): what only a server can do. Run by
 * tests/ledger_pg.sh inside a throwaway cluster (EPV_TEST_PG=1, PGHOST etc. set); skipped
 * (77) otherwise. The rest of the ledger suite runs on this backend too (same script).
 *   - a connection string that fails: a clear error that never shows the password;
 *   - an empty database is not a ledger unless it is created;
 *   - the same operations give the same chain and state digest on both backends, and XML
 *     moves a ledger between them;
 *   - the busy bound: a writer blocked by another client's lock gives up after lock_timeout;
 *   - serialization failures raised by the server are retried, at most EPV__LS_PG_RETRIES
 *     times, and past the bound nothing is applied; inside a batch the batch is undone;
 *   - the server going away mid-batch: an error naming the database, nothing applied. */
#include <time.h>

#include "test_util.h"
#include "test_ledger_common.c"

static epv_ctx *ctx;

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* One integer from a query on a database (-1 on error). */
static long long pg_int(const char *db, const char *sql)
{
    char ci[256];
    snprintf(ci, sizeof ci, "dbname=%s", db);
    PGconn *c = PQconnectdb(ci);
    long long v = -1;
    if (PQstatus(c) == CONNECTION_OK) {
        PGresult *r = PQexec(c, sql);
        if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1) v = atoll(PQgetvalue(r, 0, 0));
        PQclear(r);
    }
    PQfinish(c);
    return v;
}

static void test_connection_errors(void)
{
    epv_ledger *l = NULL;
    /* a server that is not there; the password must not appear in the message */
    EPV_ASSERT_STATUS(ctx,
                      epv_ledger_open(ctx, "pg:host=/nonexistent/socket dbname=registry password=s3cr3t-pw",
                                      EPV_LEDGER_CREATE, NULL, &l),
                      EPV_EIO);
    CU_ASSERT_PTR_NULL(l);
    EPV_ASSERT_ERRMSG_HAS(ctx, "cannot connect");
    EPV_ASSERT_ERRMSG_HAS(ctx, "registry");
    CU_ASSERT_PTR_NULL(strstr(epv_ctx_errmsg(ctx), "s3cr3t"));
    /* the URI form reaches the same server as the keyword form */
    const char *p = tl_path("uri.db");
    char uri[512];
    snprintf(uri, sizeof uri, "postgresql:///%s?host=%s", tl_pg_db(p), getenv("PGHOST"));
    /* an empty database is not a ledger: opening it without CREATE finds none ... */
    EPV_ASSERT_STATUS(ctx, epv_ledger_open(ctx, uri, 0, NULL, &l), EPV_ENOTFOUND);
    EPV_ASSERT_ERRMSG_HAS(ctx, "no such ledger");
    EPV_ASSERT_STATUS(ctx, epv_ledger_open(ctx, p, EPV_LEDGER_CREATE | EPV_LEDGER_READONLY, NULL, &l),
                      EPV_ENOTFOUND);
    /* ... and such a refusal created nothing there */
    CU_ASSERT_EQUAL(pg_int(tl_pg_db(p), "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"), 0);
    EPV_ASSERT_OK(ctx, epv_ledger_open(ctx, uri, EPV_LEDGER_CREATE, NULL, &l));
    epv_ledger_close(l);
    EPV_ASSERT_OK(ctx, epv_ledger_open(ctx, p, 0, NULL, &l));
    epv_ledger_close(l);
    /* an import never replaces a ledger that is there */
    char xml[1100];
    snprintf(xml, sizeof xml, "%s/uri.xml", tl_tmpdir());
    EPV_ASSERT_OK(ctx, epv_ledger_open(ctx, p, 0, NULL, &l));
    EPV_ASSERT_OK(ctx, epv_ledger_export_xml(l, xml));
    epv_ledger_close(l);
    l = NULL;
    EPV_ASSERT_STATUS(ctx, epv_ledger_import_xml(ctx, xml, p, &l), EPV_EEXISTS);
    CU_ASSERT_PTR_NULL(l);
}

/* A fixed sequence of operations on any ledger. */
static void operations(epv_ledger *l)
{
    EPV_ASSERT_OK(ctx, tl_setup(l));
    EPV_ASSERT_OK(ctx, epv_ledger_issue(l, "i1", "R1", 0, NULL));
    char req[32];
    for (int k = 0; k < 30; k++) {
        snprintf(req, sizeof req, "t%d", k);
        epv_ledger_units u = tl_count("P1", 3 + k % 5);
        int back = k % 3 == 2; /* two moves to the buyer, one back */
        EPV_ASSERT_OK(ctx, epv_ledger_transfer(l, req, back ? "BUYER" : "OWNER", back ? "OWNER" : "BUYER", &u));
    }
    epv_ledger_units u = tl_count("P1", 40);
    EPV_ASSERT_OK(ctx, epv_ledger_retire(l, "r1", "BUYER", &u, "Mianyang Steel", "2025 offset", tl_d(2025, 6, 30), NULL));
    EPV_ASSERT_OK(ctx, epv_ledger_reverse(l, "rev1", "P1", 25, tl_d(2025, 8, 20), NULL, NULL));
}

static void test_same_on_both_backends(void)
{
    char file[1100];
    snprintf(file, sizeof file, "%s/both.sqlite", tl_tmpdir());
    tl_remove(file);
    const char *pg = tl_path("both.db");
    char pgpath[256];
    snprintf(pgpath, sizeof pgpath, "%s", pg);
    epv_ledger *a = NULL, *b = NULL;
    EPV_ASSERT_OK(ctx, epv_ledger_open(ctx, file, EPV_LEDGER_CREATE, NULL, &a));
    EPV_ASSERT_OK(ctx, epv_ledger_open(ctx, pgpath, EPV_LEDGER_CREATE, NULL, &b));
    CU_ASSERT_PTR_NOT_NULL_FATAL(a);
    CU_ASSERT_PTR_NOT_NULL_FATAL(b);
    operations(a);
    operations(b);
    unsigned char ha[32], hb[32], da[32], db[32];
    epv_i64 na = 0, nb = 0;
    EPV_ASSERT_OK(ctx, epv_ledger_head(a, &na, ha));
    EPV_ASSERT_OK(ctx, epv_ledger_head(b, &nb, hb));
    EPV_ASSERT_OK(ctx, epv_ledger_state_digest(a, da));
    EPV_ASSERT_OK(ctx, epv_ledger_state_digest(b, db));
    /* the journal is the source of truth and the derived tables follow from it: the same
     * entries hash to the same chain, and the derived state has the same digest */
    CU_ASSERT_EQUAL(na, nb);
    CU_ASSERT(na > 30);
    CU_ASSERT_EQUAL(memcmp(ha, hb, 32), 0);
    CU_ASSERT_EQUAL(memcmp(da, db, 32), 0);
    EPV_ASSERT_OK(ctx, epv_ledger_verify(b));
    /* PostgreSQL -> XML -> SQLite, and back into a fresh database */
    char xml[1100], file2[1100];
    snprintf(xml, sizeof xml, "%s/both.xml", tl_tmpdir());
    snprintf(file2, sizeof file2, "%s/from_pg.sqlite", tl_tmpdir());
    tl_remove(file2);
    EPV_ASSERT_OK(ctx, epv_ledger_export_xml(b, xml));
    epv_ledger *c = NULL, *d = NULL;
    EPV_ASSERT_OK(ctx, epv_ledger_import_xml(ctx, xml, file2, &c));
    CU_ASSERT_PTR_NOT_NULL_FATAL(c);
    CU_ASSERT(tl_digest_eq(c, da));
    const char *pg2 = tl_path("both_again.db");
    EPV_ASSERT_OK(ctx, epv_ledger_import_xml(ctx, xml, pg2, &d));
    CU_ASSERT_PTR_NOT_NULL_FATAL(d);
    CU_ASSERT(tl_digest_eq(d, da));
    epv_ledger_close(a);
    epv_ledger_close(b);
    epv_ledger_close(c);
    epv_ledger_close(d);
}

/* A fresh ledger on a fresh database with the standard small set-up; its connection string
 * and database name in path and db (256 bytes each). */
static epv_ledger *fresh_ledger(const char *name, char *path, char *db)
{
    snprintf(path, 256, "%s", tl_path(name));
    snprintf(db, 256, "%s", tl_pg_db(path) ? tl_pg_db(path) : "");
    epv_ledger *l = NULL;
    EPV_ASSERT_OK(ctx, epv_ledger_open(ctx, path, EPV_LEDGER_CREATE, NULL, &l));
    CU_ASSERT_PTR_NOT_NULL_FATAL(l);
    EPV_ASSERT_OK(ctx, tl_setup(l));
    return l;
}

static void test_busy_bound(void)
{
    char path[256], db[256];
    epv_ledger *l = fresh_ledger("busy.db", path, db);
    unsigned char d[32];
    EPV_ASSERT_OK(ctx, epv_ledger_state_digest(l, d));
    /* another client holds the head table against writers (and everyone) */
    char ci[256];
    snprintf(ci, sizeof ci, "dbname=%s", db);
    PGconn *other = PQconnectdb(ci);
    CU_ASSERT_EQUAL_FATAL(PQstatus(other), CONNECTION_OK);
    PGresult *r = PQexec(other, "BEGIN; LOCK TABLE head IN ACCESS EXCLUSIVE MODE");
    CU_ASSERT_EQUAL(PQresultStatus(r), PGRES_COMMAND_OK);
    PQclear(r);
    double t0 = now_s();
    EPV_ASSERT_STATUS(ctx, epv_ledger_issue(l, "i1", "R1", 0, NULL), EPV_EBUSY);
    double waited = now_s() - t0;
    EPV_ASSERT_ERRMSG_HAS(ctx, "lock");
    /* the bound is lock_timeout = EPV__LS_BUSY_MS (5 s): it waited, and not for ever */
    CU_ASSERT(waited > 4.0 && waited < 30.0);
    r = PQexec(other, "ROLLBACK");
    PQclear(r);
    PQfinish(other);
    /* nothing of the refused operation is there, and the handle works */
    CU_ASSERT(tl_digest_eq(l, d));
    EPV_ASSERT_OK(ctx, epv_ledger_issue(l, "i1", "R1", 0, NULL));
    epv_ledger_close(l);
}

/* A trigger that makes the server raise a serialization failure (SQLSTATE 40001) when a
 * journal row is written (every operation writes one, in both layouts), after the first `skip`
 * writes, `n` times; a sequence counts the attempts (sequences are not rolled back, so it counts the failed ones too). It is set up
 * outside any ledger transaction (its DDL needs the table to itself). */
static void inject_failures(const char *db, int skip, int n)
{
    char sql[1024];
    snprintf(sql, sizeof sql,
             "DROP TRIGGER IF EXISTS inject ON journal; DROP SEQUENCE IF EXISTS attempts;"
             " CREATE SEQUENCE attempts;"
             " CREATE OR REPLACE FUNCTION inject_40001() RETURNS trigger LANGUAGE plpgsql AS $$"
             " DECLARE k bigint := nextval('attempts'); BEGIN IF k > %d AND k <= %d THEN"
             " RAISE EXCEPTION 'injected conflict' USING ERRCODE = '40001'; END IF; RETURN NEW; END $$;"
             " CREATE TRIGGER inject BEFORE INSERT ON journal FOR EACH ROW EXECUTE FUNCTION inject_40001()",
             skip, skip + n);
    CU_ASSERT_EQUAL(tl_pg_admin(db, sql), 0);
}

static void test_serialization_retries(void)
{
    char path[256], db[256];
    epv_ledger *l = fresh_ledger("retry.db", path, db);
    /* three failures: the fourth attempt succeeds inside the library */
    inject_failures(db, 0, 3);
    epv_ledger_issuance got = EPV_LEDGER_ISSUANCE_INIT;
    EPV_ASSERT_OK(ctx, epv_ledger_issue(l, "i1", "R1", 100, &got));
    CU_ASSERT_EQUAL(pg_int(db, "SELECT last_value FROM attempts"), 4);
    CU_ASSERT_EQUAL(got.serial_start, 1);
    /* more failures than the bound (8 retries = 9 attempts): EPV_EBUSY, nothing applied */
    unsigned char d[32];
    EPV_ASSERT_OK(ctx, epv_ledger_state_digest(l, d));
    inject_failures(db, 0, 1000);
    EPV_ASSERT_STATUS(ctx, epv_ledger_issue(l, "i2", "R1", 100, NULL), EPV_EBUSY);
    EPV_ASSERT_ERRMSG_HAS(ctx, "after 8 retries");
    CU_ASSERT_EQUAL(pg_int(db, "SELECT last_value FROM attempts"), 9);
    CU_ASSERT(tl_digest_eq(l, d));
    /* inside a batch nothing can be retried alone: the whole batch is undone */
    inject_failures(db, 1, 1000); /* the first operation of the batch passes, the second fails */
    EPV_ASSERT_OK(ctx, epv_ledger_batch_begin(l));
    EPV_ASSERT_OK(ctx, epv_ledger_issue(l, "i3", "R1", 10, NULL));
    EPV_ASSERT_STATUS(ctx, epv_ledger_issue(l, "i4", "R1", 10, NULL), EPV_EBUSY);
    EPV_ASSERT_ERRMSG_HAS(ctx, "whole batch was rolled back");
    EPV_ASSERT_STATUS(ctx, epv_ledger_batch_commit(l), EPV_ESTATE); /* no batch is open any more */
    CU_ASSERT(tl_digest_eq(l, d));
    inject_failures(db, 0, 0);
    EPV_ASSERT_OK(ctx, epv_ledger_issue(l, "i3", "R1", 10, NULL));
    EPV_ASSERT_OK(ctx, epv_ledger_verify(l));
    epv_ledger_close(l);
}

static void test_server_goes_away(void)
{
    char path[256], db[256];
    epv_ledger *l = fresh_ledger("away.db", path, db);
    EPV_ASSERT_OK(ctx, epv_ledger_issue(l, "i1", "R1", 0, NULL));
    unsigned char d[32];
    EPV_ASSERT_OK(ctx, epv_ledger_state_digest(l, d));
    EPV_ASSERT_OK(ctx, epv_ledger_batch_begin(l));
    char req[32];
    for (int k = 0; k < 20; k++) {
        snprintf(req, sizeof req, "mv%d", k);
        epv_ledger_units u = tl_count("P1", 1);
        EPV_ASSERT_OK(ctx, epv_ledger_transfer(l, req, "OWNER", "BUYER", &u));
    }
    /* the administrator ends the session mid-batch */
    char sql[512];
    snprintf(sql, sizeof sql,
             "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '%s' AND pid <> pg_backend_pid()",
             db);
    CU_ASSERT_EQUAL(tl_pg_admin("postgres", sql), 0);
    epv_ledger_units u = tl_count("P1", 1);
    int rc = epv_ledger_transfer(l, "mv20", "OWNER", "BUYER", &u);
    CU_ASSERT_EQUAL(rc, EPV_EIO);
    EPV_ASSERT_ERRMSG_HAS(ctx, db);
    epv_ledger_close(l);
    /* nothing of the batch reached the ledger */
    l = NULL;
    EPV_ASSERT_OK(ctx, epv_ledger_open(ctx, path, EPV_LEDGER_FULL_VERIFY, NULL, &l));
    CU_ASSERT_PTR_NOT_NULL_FATAL(l);
    CU_ASSERT(tl_digest_eq(l, d));
    epv_ledger_close(l);
}

int main(void)
{
    if (!tl_pg()) {
        printf("test_ledger_pg: runs inside tests/ledger_pg.sh (a throwaway PostgreSQL cluster)\n");
        return 77;
    }
    if (epv_ctx_new(&ctx)) return 2;
    CU_TestInfo tests[] = {
        { "connection errors, no ledger, no password in messages", test_connection_errors },
        { "same chain and digest on SQLite and PostgreSQL", test_same_on_both_backends },
        { "busy bound: another client's lock", test_busy_bound },
        { "serialization failures: bounded retries", test_serialization_retries },
        { "server gone mid-batch: nothing applied", test_server_goes_away },
        CU_TEST_INFO_NULL,
    };
    int rc = epv_test_main("ledger_pg", tests);
    epv_ctx_free(ctx);
    tl_cleanup_dir();
    return rc;
}
