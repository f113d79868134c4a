/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Shared by the ledger test programs (included, not compiled on its own): temporary files,
 * a standard small ledger, state digests for "nothing changed" assertions. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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

TL_UNUSED static void tl_remove(const char *path)
{
    char b[1100];
    unlink(path);
    snprintf(b, sizeof b, "%s-wal", path);
    unlink(b);
    snprintf(b, sizeof b, "%s-shm", path);
    unlink(b);
    snprintf(b, sizeof b, "%s-journal", path);
    unlink(b);
}

/* Path of a named file in the temporary directory, removed first. */
TL_UNUSED static const char *tl_path(const char *name)
{
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
