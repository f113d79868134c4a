/* SPDX-License-Identifier: GPL-3.0-or-later */
#define _GNU_SOURCE
/* Nothing left behind (issue 11 item 7) and progress with cancellation (issue 8 item 5):
 *  - an open that rejects a file leaves it byte for byte as it was (no switch to WAL, no
 *    growth of an empty file, no side files);
 *  - open, verification and XML import report progress; a callback that stops them gets
 *    EPV_ECANCELLED and nothing changed;
 *  - an import that fails, is cancelled or is killed leaves no file at the ledger path, and a
 *    killed import's temporary file is removed by the next import. */
#include <dirent.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>

#include "test_util.h"
#include "test_ledger_common.c"

static epv_ctx *ctx;

static unsigned char *slurp(const char *path, long *len)
{
    FILE *f = fopen(path, "rb");
    *len = -1;
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *b = malloc((size_t)n + 1);
    if (b && fread(b, 1, (size_t)n, f) != (size_t)n) {
        free(b);
        b = NULL;
    }
    fclose(f);
    *len = n;
    return b;
}

static int side_file(const char *path, const char *suffix)
{
    char b[1200];
    snprintf(b, sizeof b, "%s%s", path, suffix);
    return access(b, F_OK) == 0;
}

/* Open must fail with `want` and leave the file's bytes and the directory as they were. */
static void assert_rejected_untouched(const char *path, int want, const char *msg)
{
    long n0, n1;
    unsigned char *before = slurp(path, &n0);
    int wal0 = side_file(path, "-wal"), jn0 = side_file(path, "-journal");
    epv_ledger *l = NULL;
    EPV_ASSERT_STATUS(ctx, epv_ledger_open(ctx, path, 0, NULL, &l), want);
    if (msg) EPV_ASSERT_ERRMSG_HAS(ctx, msg);
    CU_ASSERT_PTR_NULL(l);
    unsigned char *after = slurp(path, &n1);
    CU_ASSERT_EQUAL(n0, n1);
    CU_ASSERT(before && after && n0 == n1 && (n0 == 0 || !memcmp(before, after, (size_t)n0)));
    CU_ASSERT_EQUAL(side_file(path, "-wal"), wal0);
    CU_ASSERT_EQUAL(side_file(path, "-journal"), jn0);
    free(before);
    free(after);
}

static int header_is_wal(const char *path)
{
    long n;
    unsigned char *b = slurp(path, &n);
    int wal = b && n >= 20 && b[18] == 2 && b[19] == 2; /* file format: WAL */
    free(b);
    return wal;
}

static void test_rejected_untouched(void)
{
    TL_FILE_ONLY(); /* bytes of files; on PostgreSQL a rejected open writes nothing (test_ledger_pg.c) */
    /* an empty file stays empty (it used to grow to 4 KiB) */
    const char *p = tl_path("empty.db");
    FILE *f = fopen(p, "w");
    fclose(f);
    assert_rejected_untouched(p, EPV_ECORRUPT, NULL);

    /* a foreign SQLite file in rollback-journal mode is not switched to WAL */
    char foreign[1024];
    snprintf(foreign, sizeof foreign, "%s", tl_path("foreign.db"));
    sqlite3 *raw = NULL;
    CU_ASSERT_EQUAL_FATAL(sqlite3_open(foreign, &raw), SQLITE_OK);
    CU_ASSERT_EQUAL(sqlite3_exec(raw, "CREATE TABLE t(x); INSERT INTO t VALUES (1)", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(raw);
    CU_ASSERT(!header_is_wal(foreign));
    assert_rejected_untouched(foreign, EPV_ECORRUPT, NULL);
    CU_ASSERT(!header_is_wal(foreign));

    /* a ledger with an edited derived row, and a text file */
    char path[1024];
    snprintf(path, sizeof path, "%s", tl_path("edited.db"));
    epv_ledger *l = NULL;
    EPV_ASSERT_OK(ctx, epv_ledger_open(ctx, path, EPV_LEDGER_CREATE, NULL, &l));
    EPV_ASSERT_OK(ctx, tl_setup(l));
    EPV_ASSERT_OK(ctx, epv_ledger_issue(l, "i1", "R1", 0, NULL));
    epv_ledger_close(l);
    CU_ASSERT_EQUAL_FATAL(sqlite3_open(path, &raw), SQLITE_OK);
    /* a broken journal entry (in the live layout the derived tables are not the state) */
    CU_ASSERT_EQUAL(sqlite3_exec(raw, tl_live() ? "DROP TRIGGER journal_no_update; UPDATE journal SET hash = zeroblob(32) WHERE seq = 2"
                                                : "UPDATE totals SET issued = issued + 1",
                                 NULL, NULL, NULL),
                    SQLITE_OK);
    sqlite3_close(raw);
    assert_rejected_untouched(path, EPV_ECORRUPT, tl_live() ? "hash mismatch" : "replay");
    p = tl_path("text.db");
    f = fopen(p, "w");
    fputs("this is not a ledger\n", f);
    fclose(f);
    assert_rejected_untouched(p, EPV_ECORRUPT, NULL);
}

/* progress recorder: stops when the fraction reaches stop_at (never if > 1) */
static struct {
    int calls, monotone;
    double last, stop_at;
    int kill_self;
} pr;

static int on_progress(double fraction, const char *message, void *payload)
{
    (void)payload;
    CU_ASSERT_PTR_NOT_NULL(message);
    if (fraction < pr.last) pr.monotone = 0;
    pr.last = fraction;
    pr.calls++;
    if (fraction >= pr.stop_at) {
        if (pr.kill_self) kill(getpid(), SIGKILL);
        return 1;
    }
    return 0;
}

static void pr_reset(double stop_at)
{
    pr.calls = 0;
    pr.monotone = 1;
    pr.last = 0;
    pr.stop_at = stop_at;
    pr.kill_self = 0;
}

/* A ledger of about 3,000 entries (several progress reports) and its XML export. */
static void make_big(const char *path, const char *xml)
{
    epv_ledger *l = NULL;
    EPV_ASSERT_OK(ctx, epv_ledger_open(ctx, path, EPV_LEDGER_CREATE, NULL, &l));
    CU_ASSERT_PTR_NOT_NULL_FATAL(l);
    EPV_ASSERT_OK(ctx, tl_setup(l));
    EPV_ASSERT_OK(ctx, epv_ledger_issue(l, "i1", "R1", 0, NULL));
    EPV_ASSERT_OK(ctx, epv_ledger_batch_begin(l));
    char req[32];
    for (int k = 0; k < 3000; k++) {
        snprintf(req, sizeof req, "t%d", k);
        epv_ledger_units u = tl_count("P1", 1);
        EPV_ASSERT_OK(ctx, epv_ledger_transfer(l, req, k % 2 ? "BUYER" : "OWNER", k % 2 ? "OWNER" : "BUYER", &u));
    }
    EPV_ASSERT_OK(ctx, epv_ledger_batch_commit(l));
    EPV_ASSERT_OK(ctx, epv_ledger_export_xml(l, xml));
    epv_ledger_close(l);
}

static void test_progress_cancel(void)
{
    char path[1024], xml[1024], imp[1024];
    snprintf(path, sizeof path, "%s", tl_path("big.db"));
    snprintf(xml, sizeof xml, "%s", tl_path("big.xml"));
    make_big(path, xml);
    long n0, n1;
    unsigned char *before = slurp(path, &n0);

    /* a full open reports progress up to 1, in order */
    epv_ledger *l = NULL;
    pr_reset(2);
    EPV_ASSERT_OK(ctx, epv_ctx_set_progress(ctx, on_progress, NULL));
    EPV_ASSERT_OK(ctx, epv_ledger_open(ctx, path, 0, NULL, &l));
    CU_ASSERT(pr.calls >= 3);
    CU_ASSERT(pr.monotone);
    CU_ASSERT_DOUBLE_EQUAL(pr.last, 1.0, 1e-12);
    /* verification too; cancelled half-way it says so */
    pr_reset(2);
    EPV_ASSERT_OK(ctx, epv_ledger_verify(l));
    CU_ASSERT(pr.calls >= 3);
    pr_reset(0.3);
    EPV_ASSERT_STATUS(ctx, epv_ledger_verify(l), EPV_ECANCELLED);
    EPV_ASSERT_ERRMSG_HAS(ctx, "cancelled");
    /* the handle still works afterwards (the snapshot was ended) */
    epv_ledger_units u = tl_count("P1", 1);
    pr_reset(2);
    EPV_ASSERT_OK(ctx, epv_ledger_transfer(l, "after", "OWNER", "BUYER", &u));
    epv_ledger_close(l);
    free(before);
    before = slurp(path, &n0);

    /* a cancelled open: no handle, the file unchanged */
    pr_reset(0.3);
    l = NULL;
    EPV_ASSERT_STATUS(ctx, epv_ledger_open(ctx, path, 0, NULL, &l), EPV_ECANCELLED);
    CU_ASSERT_PTR_NULL(l);
    unsigned char *after = slurp(path, &n1);
    if (!tl_pg()) CU_ASSERT(n0 == n1 && before && after && !memcmp(before, after, (size_t)n0));
    free(after);
    free(before);

    /* a cancelled import leaves no file */
    snprintf(imp, sizeof imp, "%s", tl_path("imported.db"));
    pr_reset(0.3);
    EPV_ASSERT_STATUS(ctx, epv_ledger_import_xml(ctx, xml, imp, &l), EPV_ECANCELLED);
    CU_ASSERT_PTR_NULL(l);
    CU_ASSERT_NOT_EQUAL(access(imp, F_OK), 0);

    /* a killed import leaves no file at the ledger path ... */
    fflush(NULL);
    pid_t pid = fork();
    CU_ASSERT_FATAL(pid >= 0);
    if (pid == 0) {
        epv_ledger *c = NULL;
        pr_reset(0.5);
        pr.kill_self = 1;
        epv_ledger_import_xml(ctx, xml, imp, &c);
        _exit(0); /* not reached when the kill works */
    }
    int st = 0;
    waitpid(pid, &st, 0);
    CU_ASSERT(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
    CU_ASSERT_NOT_EQUAL(access(imp, F_OK), 0);
    if (tl_pg()) { /* the server rolled the import's transaction back: no ledger there */
        epv_ledger *none = NULL;
        EPV_ASSERT_STATUS(ctx, epv_ledger_open(ctx, imp, 0, NULL, &none), EPV_ENOTFOUND);
        CU_ASSERT_PTR_NULL(none);
    }
    char stale[1200];
    snprintf(stale, sizeof stale, "%s.import-%ld", imp, (long)pid);
    if (!tl_pg()) CU_ASSERT_EQUAL(access(stale, F_OK), 0); /* its private temporary, under another name */
    /* ... and the next import succeeds and removes the stale temporary */
    pr_reset(2);
    EPV_ASSERT_OK(ctx, epv_ledger_import_xml(ctx, xml, imp, &l));
    CU_ASSERT_DOUBLE_EQUAL(pr.last, 1.0, 0.05);
    CU_ASSERT_NOT_EQUAL(access(stale, F_OK), 0);
    if (!tl_pg()) CU_ASSERT(header_is_wal(imp));
    epv_ledger_close(l);
    epv_ctx_set_progress(ctx, NULL, NULL);
    EPV_ASSERT_OK(ctx, epv_ledger_open(ctx, imp, 0, NULL, &l));
    epv_ledger_close(l);
    /* no temporary of any import remains */
    DIR *d = opendir(tl_tmpdir());
    struct dirent *e;
    int temps = 0;
    while (d && (e = readdir(d)))
        if (strstr(e->d_name, ".import-")) temps++;
    if (d) closedir(d);
    CU_ASSERT_EQUAL(temps, 0);
}

int main(void)
{
    if (epv_ctx_new(&ctx)) return 2;
    CU_TestInfo tests[] = {
        { "a rejected file is left byte for byte", test_rejected_untouched },
        { "progress, cancellation, killed import", test_progress_cancel },
        CU_TEST_INFO_NULL,
    };
    int rc = epv_test_main("ledger_left", tests);
    epv_ctx_free(ctx);
    tl_cleanup_dir();
    return rc;
}
