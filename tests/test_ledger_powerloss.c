/* SPDX-License-Identifier: GPL-3.0-or-later */
#define _GNU_SOURCE
/* Power loss (issue 11 item 6), after the idea of SQLite's own crash tests: a test VFS over
 * the default one remembers, for the database and its WAL, the old content of every 512-byte
 * sector written since that file's last sync. At a random write or sync the "power fails":
 * that call and every later one fails, the handle is closed, and then each unsynced sector
 * independently keeps its new content or gets its old one back; growth since the last sync is
 * kept, dropped, or kept with random sectors zeroed; the shared-memory index is lost. Over
 * long random sequences of operations (single ones and batches) and many power losses:
 * - nothing acknowledged is lost: the recovered journal holds every entry whose commit
 *   returned, with the same chain head at that entry;
 * - nothing is half-applied: at most the operation (or batch) in flight is added, whole, and
 *   the file passes the full verification (chain, replay equals derived tables, invariants). */
#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include "test_util.h"
#include "test_ledger_common.c"
#include "ledger_int.h" /* epv__ledger_db: read a recovered entry's stored hash */


#define SECTOR 512

static epv_ctx *ctx;

static uint64_t rng = 0x2545F4914F6CDD1Du;
static uint64_t rnd(void)
{
    rng ^= rng >> 12;
    rng ^= rng << 25;
    rng ^= rng >> 27;
    return rng * 2685821657736338717u;
}

/* ---- unsynced-write tracking per file ---------------------------------------------------- */
struct saved {
    int64_t sector;
    unsigned char old[SECTOR];
    int len; /* bytes of old content that existed (durable size may end inside the sector) */
};
struct track {
    char path[1024];
    int64_t durable_size;
    struct saved *s;
    size_t n, cap;
};
#define NTRACK 8
static struct track tracks[NTRACK];
static int crashed;
static long io_count, crash_at; /* crash_at 0: never */

static struct track *track_for(const char *path)
{
    for (int k = 0; k < NTRACK; k++)
        if (tracks[k].path[0] && !strcmp(tracks[k].path, path)) return &tracks[k];
    for (int k = 0; k < NTRACK; k++)
        if (!tracks[k].path[0]) {
            snprintf(tracks[k].path, sizeof tracks[k].path, "%s", path);
            struct stat st;
            tracks[k].durable_size = stat(path, &st) == 0 ? (int64_t)st.st_size : 0;
            tracks[k].n = 0;
            return &tracks[k];
        }
    return NULL;
}

static void track_reset_all(void)
{
    for (int k = 0; k < NTRACK; k++) {
        free(tracks[k].s);
        memset(&tracks[k], 0, sizeof tracks[k]);
    }
}

struct tfile {
    sqlite3_file base;
    struct track *t; /* NULL: not tracked (temporary files) */
    sqlite3_file *real;
};

static sqlite3_vfs *real_vfs;
static sqlite3_io_methods tmethods;

/* one more write or sync; returns 1 if the power fails now (or failed before) */
static int tick(void)
{
    if (crashed) return 1;
    if (crash_at && ++io_count >= crash_at) crashed = 1;
    return crashed;
}

static int t_close(sqlite3_file *f)
{
    struct tfile *p = (struct tfile *)f;
    int rc = p->real->pMethods ? p->real->pMethods->xClose(p->real) : SQLITE_OK;
    sqlite3_free(p->real);
    return rc;
}

static int t_read(sqlite3_file *f, void *buf, int amt, sqlite3_int64 off)
{
    struct tfile *p = (struct tfile *)f;
    if (crashed) return SQLITE_IOERR_READ;
    return p->real->pMethods->xRead(p->real, buf, amt, off);
}

static void save_sectors(struct tfile *p, sqlite3_int64 off, int amt)
{
    struct track *t = p->t;
    sqlite3_int64 size = 0;
    p->real->pMethods->xFileSize(p->real, &size);
    for (int64_t s = off / SECTOR; s * SECTOR < off + amt; s++) {
        if (s * SECTOR >= t->durable_size) continue; /* growth: handled by size */
        int seen = 0;
        for (size_t k = 0; k < t->n && !seen; k++) seen = t->s[k].sector == s;
        if (seen) continue;
        if (t->n == t->cap) {
            t->cap = t->cap ? 2 * t->cap : 64;
            t->s = realloc(t->s, t->cap * sizeof *t->s);
        }
        struct saved *sv = &t->s[t->n++];
        sv->sector = s;
        int64_t have = (size < t->durable_size ? size : t->durable_size) - s * SECTOR;
        sv->len = have > SECTOR ? SECTOR : (int)(have > 0 ? have : 0);
        memset(sv->old, 0, SECTOR);
        if (sv->len > 0) p->real->pMethods->xRead(p->real, sv->old, sv->len, s * SECTOR);
    }
}

static int t_write(sqlite3_file *f, const void *buf, int amt, sqlite3_int64 off)
{
    struct tfile *p = (struct tfile *)f;
    if (tick()) return SQLITE_IOERR_WRITE;
    if (p->t) save_sectors(p, off, amt);
    return p->real->pMethods->xWrite(p->real, buf, amt, off);
}

static int t_truncate(sqlite3_file *f, sqlite3_int64 size)
{
    struct tfile *p = (struct tfile *)f;
    if (tick()) return SQLITE_IOERR_TRUNCATE;
    if (p->t && size < p->t->durable_size) save_sectors(p, size, (int)(p->t->durable_size - size));
    return p->real->pMethods->xTruncate(p->real, size);
}

static int t_sync(sqlite3_file *f, int flags)
{
    struct tfile *p = (struct tfile *)f;
    if (tick()) return SQLITE_IOERR_FSYNC;
    int rc = p->real->pMethods->xSync(p->real, flags);
    if (rc == SQLITE_OK && p->t) {
        sqlite3_int64 size = 0;
        p->real->pMethods->xFileSize(p->real, &size);
        p->t->durable_size = size;
        p->t->n = 0;
    }
    return rc;
}

static int t_filesize(sqlite3_file *f, sqlite3_int64 *size)
{
    struct tfile *p = (struct tfile *)f;
    if (crashed) return SQLITE_IOERR_FSTAT;
    return p->real->pMethods->xFileSize(p->real, size);
}

#define FWD(name, args, call)                                                                  \
    static int t_##name args                                                                   \
    {                                                                                          \
        struct tfile *p = (struct tfile *)f;                                                   \
        return p->real->pMethods->x##call;                                                     \
    }
FWD(lock, (sqlite3_file * f, int l), Lock(p->real, l))
FWD(unlock, (sqlite3_file * f, int l), Unlock(p->real, l))
FWD(check_reserved, (sqlite3_file * f, int *r), CheckReservedLock(p->real, r))
FWD(sector_size, (sqlite3_file * f), SectorSize(p->real))
FWD(shm_map, (sqlite3_file * f, int i, int sz, int ext, void volatile **pp), ShmMap(p->real, i, sz, ext, pp))
FWD(shm_lock, (sqlite3_file * f, int o, int n, int fl), ShmLock(p->real, o, n, fl))
FWD(shm_unmap, (sqlite3_file * f, int del), ShmUnmap(p->real, del))

static int t_file_control(sqlite3_file *f, int op, void *arg)
{
    struct tfile *p = (struct tfile *)f;
    if (op == SQLITE_FCNTL_MMAP_SIZE || op == SQLITE_FCNTL_SIZE_HINT) return SQLITE_NOTFOUND;
    return p->real->pMethods->xFileControl(p->real, op, arg);
}

static int t_device(sqlite3_file *f)
{
    (void)f;
    return 0; /* no atomic or safe-append guarantees: the worst case */
}

static void t_shm_barrier(sqlite3_file *f)
{
    struct tfile *p = (struct tfile *)f;
    p->real->pMethods->xShmBarrier(p->real);
}

static int v_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *f, int flags, int *out)
{
    (void)vfs;
    struct tfile *p = (struct tfile *)f;
    memset(p, 0, sizeof *p);
    p->real = sqlite3_malloc(real_vfs->szOsFile);
    if (!p->real) return SQLITE_NOMEM;
    memset(p->real, 0, (size_t)real_vfs->szOsFile);
    int rc = real_vfs->xOpen(real_vfs, name, p->real, flags, out);
    if (rc != SQLITE_OK) {
        sqlite3_free(p->real);
        p->real = NULL;
        f->pMethods = NULL;
        return rc;
    }
    if (name && (flags & (SQLITE_OPEN_MAIN_DB | SQLITE_OPEN_WAL))) p->t = track_for(name);
    f->pMethods = &tmethods;
    return SQLITE_OK;
}

static int v_delete(sqlite3_vfs *vfs, const char *name, int dirsync)
{
    (void)vfs;
    if (crashed) return SQLITE_IOERR_DELETE; /* the process is gone: nothing happens */
    for (int k = 0; k < NTRACK; k++)
        if (tracks[k].path[0] && !strcmp(tracks[k].path, name)) {
            free(tracks[k].s);
            memset(&tracks[k], 0, sizeof tracks[k]);
        }
    return real_vfs->xDelete(real_vfs, name, dirsync);
}

static int v_access(sqlite3_vfs *vfs, const char *name, int flags, int *res)
{
    (void)vfs;
    return real_vfs->xAccess(real_vfs, name, flags, res);
}

static int v_fullpath(sqlite3_vfs *vfs, const char *name, int n, char *out)
{
    (void)vfs;
    return real_vfs->xFullPathname(real_vfs, name, n, out);
}

static int v_random(sqlite3_vfs *vfs, int n, char *out)
{
    (void)vfs;
    return real_vfs->xRandomness(real_vfs, n, out);
}

static int v_sleep(sqlite3_vfs *vfs, int us)
{
    (void)vfs;
    return real_vfs->xSleep(real_vfs, us);
}

static int v_time(sqlite3_vfs *vfs, double *t)
{
    (void)vfs;
    return real_vfs->xCurrentTime(real_vfs, t);
}

static int v_lasterr(sqlite3_vfs *vfs, int n, char *buf)
{
    (void)vfs;
    (void)n;
    (void)buf;
    return 0;
}

static sqlite3_vfs crash_vfs;

static void install_vfs(void)
{
    real_vfs = sqlite3_vfs_find(NULL);
    memset(&tmethods, 0, sizeof tmethods);
    tmethods.iVersion = 2;
    tmethods.xClose = t_close;
    tmethods.xRead = t_read;
    tmethods.xWrite = t_write;
    tmethods.xTruncate = t_truncate;
    tmethods.xSync = t_sync;
    tmethods.xFileSize = t_filesize;
    tmethods.xLock = t_lock;
    tmethods.xUnlock = t_unlock;
    tmethods.xCheckReservedLock = t_check_reserved;
    tmethods.xFileControl = t_file_control;
    tmethods.xSectorSize = t_sector_size;
    tmethods.xDeviceCharacteristics = t_device;
    tmethods.xShmMap = t_shm_map;
    tmethods.xShmLock = t_shm_lock;
    tmethods.xShmBarrier = t_shm_barrier;
    tmethods.xShmUnmap = t_shm_unmap;
    memset(&crash_vfs, 0, sizeof crash_vfs);
    crash_vfs.iVersion = 1;
    crash_vfs.szOsFile = (int)sizeof(struct tfile);
    crash_vfs.mxPathname = real_vfs->mxPathname;
    crash_vfs.zName = "epv_powerloss";
    crash_vfs.xOpen = v_open;
    crash_vfs.xDelete = v_delete;
    crash_vfs.xAccess = v_access;
    crash_vfs.xFullPathname = v_fullpath;
    crash_vfs.xRandomness = v_random;
    crash_vfs.xSleep = v_sleep;
    crash_vfs.xCurrentTime = v_time;
    crash_vfs.xGetLastError = v_lasterr;
    sqlite3_vfs_register(&crash_vfs, 1); /* the default: the library opens through it */
}

/* The power fails: every unsynced sector keeps its new content or gets the old one back;
 * growth since the last sync is kept, dropped or partly zeroed; the shm index is lost. */
static void power_loss(const char *db)
{
    for (int k = 0; k < NTRACK; k++) {
        struct track *t = &tracks[k];
        if (!t->path[0]) continue;
        int fd = open(t->path, O_RDWR);
        if (fd < 0) continue;
        for (size_t j = 0; j < t->n; j++)
            if (rnd() % 2 && t->s[j].len > 0)
                CU_ASSERT_EQUAL(pwrite(fd, t->s[j].old, (size_t)t->s[j].len, t->s[j].sector * SECTOR),
                                t->s[j].len);
        struct stat st;
        if (fstat(fd, &st) == 0 && st.st_size > t->durable_size) {
            int how = (int)(rnd() % 3);
            if (how == 0) {
                CU_ASSERT_EQUAL(ftruncate(fd, t->durable_size), 0);
            } else if (how == 1) {
                unsigned char zero[SECTOR];
                memset(zero, 0, sizeof zero);
                for (int64_t s = (t->durable_size + SECTOR - 1) / SECTOR; s * SECTOR < st.st_size; s++)
                    if (rnd() % 2) CU_ASSERT(pwrite(fd, zero, SECTOR, s * SECTOR) >= 0);
            }
        }
        close(fd);
    }
    char shm[1100];
    snprintf(shm, sizeof shm, "%s-shm", db);
    unlink(shm);
    track_reset_all();
    crashed = 0;
    io_count = 0;
    crash_at = 0;
}

/* ---- the test ---------------------------------------------------------------------------- */
static long req_no;

/* One random operation or batch; returns 0 when acknowledged (committed). */
static int random_step(epv_ledger *l)
{
    char req[32];
    int batch = rnd() % 4 == 0;
    int nops = batch ? 2 + (int)(rnd() % 4) : 1;
    int rc = batch ? epv_ledger_batch_begin(l) : 0;
    for (int k = 0; k < nops && !rc; k++) {
        snprintf(req, sizeof req, "q%ld", req_no++);
        epv_ledger_units u = tl_count("P1", 1 + (epv_i64)(rnd() % 3));
        switch (rnd() % 6) {
        case 0: rc = epv_ledger_issue(l, req, "R2", 3, NULL); break;
        case 1:
        case 2: rc = epv_ledger_transfer(l, req, "OWNER", "BUYER", &u); break;
        case 3: rc = epv_ledger_transfer(l, req, "BUYER", "OWNER", &u); break;
        case 4: rc = epv_ledger_retire(l, req, "BUYER", &u, "B", "offset", tl_d(2024, 1, 1), NULL); break;
        default: rc = epv_ledger_cancel(l, req, "OWNER", &u, "voluntary"); break;
        }
        /* a refused operation (not enough units) is fine: it records nothing */
        if (rc == EPV_EBALANCE || rc == EPV_ERANGE) rc = 0;
    }
    if (batch) {
        if (!rc) rc = epv_ledger_batch_commit(l);
        else epv_ledger_batch_rollback(l);
    }
    return rc;
}

static void test_power_loss(void)
{
    TL_FILE_ONLY(); /* a SQLite VFS; the server's own durability is PostgreSQL's */
    char path[1024];
    snprintf(path, sizeof path, "%s", tl_path("power.db"));
    install_vfs();
    epv_ledger *l = NULL;
    EPV_ASSERT_OK(ctx, epv_ledger_open(ctx, path, EPV_LEDGER_CREATE, NULL, &l));
    CU_ASSERT_PTR_NOT_NULL_FATAL(l);
    EPV_ASSERT_OK(ctx, tl_setup(l));
    EPV_ASSERT_OK(ctx, epv_ledger_issue(l, "i0", "R1", 400, NULL));
    /* a large second verification, so issuance never runs dry */
    EPV_ASSERT_OK(ctx, epv_ledger_period_add(l, "pm2", "P1", tl_d(2022, 1, 1), tl_d(2022, 12, 31), NULL));
    epv_ledger_verification v2 = EPV_LEDGER_VERIFICATION_INIT;
    v2.project = "P1";
    v2.period = 2;
    v2.report_id = "R2";
    v2.verifier = "V";
    v2.verified_tco2e = 1000000000;
    v2.applied = tl_d(2023, 3, 1);
    EPV_ASSERT_OK(ctx, epv_ledger_verification_add(l, "pv2", &v2));
    epv_i64 acked = 0;
    unsigned char acked_hash[32];
    EPV_ASSERT_OK(ctx, epv_ledger_head(l, &acked, acked_hash));
    epv_ledger_close(l);

    int rounds = UNDER_VALGRIND() ? 4 : 30, steps_total = 0, lost = 0, half = 0, grew = 0;
    for (int r = 0; r < rounds; r++) {
        track_reset_all();
        crash_at = 1 + (long)(rnd() % 1500);
        l = NULL;
        int rc = epv_ledger_open(ctx, path, 0, NULL, &l);
        while (!rc && l) {
            rc = random_step(l);
            steps_total++;
            if (!rc) {
                /* acknowledged: durable from here on */
                epv_i64 n = 0;
                unsigned char h[32];
                rc = epv_ledger_head(l, &n, h);
                if (!rc) {
                    acked = n;
                    memcpy(acked_hash, h, 32);
                }
            }
            if (steps_total > 100000) break;
        }
        CU_ASSERT(crashed); /* the loop ends only by the power failing */
        epv_ledger_close(l);
        power_loss(path);

        /* recovery: a full verification, every acknowledged entry, at most the one in flight */
        l = NULL;
        rc = epv_ledger_open(ctx, path, EPV_LEDGER_FULL_VERIFY, NULL, &l);
        if (rc) {
            half++;
            printf("\n  round %d: recovered file fails: %s", r, epv_ctx_errmsg(ctx));
            break;
        }
        epv_i64 n = 0;
        EPV_ASSERT_OK(ctx, epv_ledger_head(l, &n, NULL));
        if (n < acked) {
            lost++;
            printf("\n  round %d: %lld entries recovered, %lld acknowledged", r, (long long)n, (long long)acked);
        } else {
            /* the recovered chain passes through the acknowledged head (the chain itself was
             * verified by the open, so this pins every earlier entry too) */
            sqlite3_stmt *st = NULL;
            CU_ASSERT_EQUAL(sqlite3_prepare_v2(epv__ledger_db(l), "SELECT hash FROM journal WHERE seq = ?", -1,
                                               &st, NULL), SQLITE_OK);
            sqlite3_bind_int64(st, 1, acked);
            CU_ASSERT_EQUAL(sqlite3_step(st), SQLITE_ROW);
            CU_ASSERT(sqlite3_column_bytes(st, 0) == 32 && !memcmp(sqlite3_column_blob(st, 0), acked_hash, 32));
            sqlite3_finalize(st);
            if (n > acked) grew++;
            CU_ASSERT(n <= acked + 5); /* at most the batch in flight (up to 5 operations) */
        }
        epv_ledger_totals t = EPV_LEDGER_TOTALS_INIT;
        EPV_ASSERT_OK(ctx, epv_ledger_totals_get(l, NULL, 0, &t));
        CU_ASSERT_EQUAL(t.issued, t.held + t.buffer + t.retired + t.cancelled);
        /* continue from what survived */
        EPV_ASSERT_OK(ctx, epv_ledger_head(l, &acked, acked_hash));
        epv_ledger_close(l);
    }
    CU_ASSERT_EQUAL(lost, 0);
    CU_ASSERT_EQUAL(half, 0);
    printf("\n  power loss: %d rounds, %d steps, %lld entries at the end, %d in-flight commits survived",
           rounds, steps_total, (long long)acked, grew);
    sqlite3_vfs_unregister(&crash_vfs);
}

int main(void)
{
    if (epv_ctx_new(&ctx)) return 2;
    CU_TestInfo tests[] = {
        { "power loss drops unsynced writes", test_power_loss },
        CU_TEST_INFO_NULL,
    };
    int rc = epv_test_main("ledger_powerloss", tests);
    epv_ctx_free(ctx);
    tl_cleanup_dir();
    track_reset_all();
    return rc;
}
