/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Queries (balances, totals, blocks, serial history, certificates) and the integrity
 * invariants checked on open and by epv_ledger_verify(). Queries use their own statements
 * (not the cache) so callbacks may call back into the ledger. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "ledger_int.h"

static int prep(epv_ledger *l, const char *sql, sqlite3_stmt **st)
{
    int rc = sqlite3_prepare_v2(l->st.db, sql, -1, st, NULL);
    return rc == SQLITE_OK ? EPV_OK : epv__lg_sqlerr(l, rc, "query");
}

static void bind_opt_text(sqlite3_stmt *st, int i, const char *v)
{
    if (v) sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT);
    else sqlite3_bind_null(st, i);
}

EPV_API int epv_ledger_balance(epv_ledger *l, const char *account, const char *project,
                               int vintage, int status, epv_i64 *units_out)
{
    if (!l || !units_out) return EPV_EINVAL;
    if (status < -1 || status > EPV_LEDGER_CANCELLED)
        return epv__error(l->ctx, EPV_EINVAL, "status: %d is not a unit status or -1", status);
    sqlite3_stmt *st;
    int rc = prep(l,
                  "SELECT COALESCE(SUM(end - start + 1), 0) FROM blocks WHERE (?1 IS NULL OR account = ?1)"
                  " AND (?2 IS NULL OR project = ?2) AND (?3 = 0 OR vintage = ?3) AND (?4 < 0 OR status = ?4)",
                  &st);
    if (rc) return rc;
    bind_opt_text(st, 1, account);
    bind_opt_text(st, 2, project);
    sqlite3_bind_int(st, 3, vintage);
    sqlite3_bind_int(st, 4, status);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *units_out = sqlite3_column_int64(st, 0);
        rc = EPV_OK;
    } else {
        rc = epv__lg_sqlerr(l, rc, "balance");
    }
    sqlite3_finalize(st);
    return rc;
}

static int epv_ledger_totals_get_snap(epv_ledger *l, const char *project, int vintage,
                                  epv_ledger_totals *out)
{
    if (!l || !out) return EPV_EINVAL;
    memset(out, 0, sizeof *out);
    out->version = EPV_LEDGER_TOTALS_VERSION;
    sqlite3_stmt *st;
    int rc = prep(l,
                  "SELECT status, SUM(end - start + 1) FROM blocks WHERE (?1 IS NULL OR project = ?1)"
                  " AND (?2 = 0 OR vintage = ?2) GROUP BY status",
                  &st);
    if (rc) return rc;
    bind_opt_text(st, 1, project);
    sqlite3_bind_int(st, 2, vintage);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t n = sqlite3_column_int64(st, 1);
        switch (sqlite3_column_int(st, 0)) {
        case EPV_LEDGER_HELD: out->held = n; break;
        case EPV_LEDGER_BUFFER: out->buffer = n; break;
        case EPV_LEDGER_RETIRED: out->retired = n; break;
        default: out->cancelled = n; break;
        }
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) return epv__lg_sqlerr(l, rc, "totals");
    /* Issued comes from its own counter, changed only by issuance: conservation is a check. */
    rc = prep(l,
              "SELECT COALESCE(SUM(issued), 0) FROM totals WHERE (?1 IS NULL OR project = ?1)"
              " AND (?2 = 0 OR vintage = ?2)",
              &st);
    if (rc) return rc;
    bind_opt_text(st, 1, project);
    sqlite3_bind_int(st, 2, vintage);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) out->issued = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? EPV_OK : epv__lg_sqlerr(l, rc, "totals");
}

/* In one read snapshot. */
EPV_API int epv_ledger_totals_get(epv_ledger *l, const char *project, int vintage,
                                  epv_ledger_totals *out)
{
    if (!l || !out) return EPV_EINVAL;
    int rc = epv__check_version(l->ctx, "epv_ledger_totals", out, EPV_LEDGER_TOTALS_VERSION);
    if (rc) return rc;
    rc = epv__lg_read_begin(l);
    if (rc) return rc;
    return epv__lg_read_end(l, epv_ledger_totals_get_snap(l, project, vintage, out));
}

static int epv_ledger_blocks_snap(epv_ledger *l, const char *project, const char *account,
                              epv_ledger_block_fn fn, void *payload)
{
    if (!l || !fn) return EPV_EINVAL;
    sqlite3_stmt *st;
    int rc = prep(l,
                  "SELECT project, start, end, vintage, issuance, account, status, cert FROM blocks"
                  " WHERE (?1 IS NULL OR project = ?1) AND (?2 IS NULL OR account = ?2) ORDER BY project, start",
                  &st);
    if (rc) return rc;
    bind_opt_text(st, 1, project);
    bind_opt_text(st, 2, account);
    int ret = EPV_OK;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        epv_ledger_block b;
        b.version = EPV_LEDGER_BLOCK_VERSION;
        b.project = (const char *)sqlite3_column_text(st, 0);
        b.serial_start = sqlite3_column_int64(st, 1);
        b.serial_end = sqlite3_column_int64(st, 2);
        b.count = b.serial_end - b.serial_start + 1;
        b.vintage = sqlite3_column_int(st, 3);
        b.issuance = sqlite3_column_int64(st, 4);
        b.account = (const char *)sqlite3_column_text(st, 5);
        b.status = sqlite3_column_int(st, 6);
        b.certificate = sqlite3_column_int64(st, 7);
        if ((ret = fn(&b, payload)) != 0) {
            ret = epv__callback_failed(l->ctx, "epv_ledger_block_fn", ret, "epv_ledger_blocks");
            break;
        }
    }
    if (!ret && rc != SQLITE_DONE) ret = epv__lg_sqlerr(l, rc, "blocks");
    sqlite3_finalize(st);
    return ret;
}

/* In one read snapshot. */
EPV_API int epv_ledger_blocks(epv_ledger *l, const char *project, const char *account,
                              epv_ledger_block_fn fn, void *payload)
{
    if (!l || !fn) return EPV_EINVAL;
    int rc = epv__lg_read_begin(l);
    if (rc) return rc;
    return epv__lg_read_end(l, epv_ledger_blocks_snap(l, project, account, fn, payload));
}

static int epv_ledger_serial_history_snap(epv_ledger *l, const char *project, epv_i64 serial,
                                      epv_ledger_event_fn fn, void *payload)
{
    if (!l || !fn) return EPV_EINVAL;
    int rc = epv__lg_check_id(l->ctx, project, "project");
    if (rc) return rc;
    sqlite3_stmt *st;
    rc = prep(l,
              "SELECT seq, kind, start, end, from_acct, to_acct, status FROM events WHERE project = ?1"
              " AND start <= ?2 AND end >= ?2 ORDER BY seq, n",
              &st);
    if (rc) return rc;
    sqlite3_bind_text(st, 1, project, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, serial);
    int ret = EPV_OK, n = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        epv_ledger_event e;
        e.version = EPV_LEDGER_EVENT_VERSION;
        e.entry = sqlite3_column_int64(st, 0);
        e.kind = (const char *)sqlite3_column_text(st, 1);
        e.serial_start = sqlite3_column_int64(st, 2);
        e.serial_end = sqlite3_column_int64(st, 3);
        e.from_account = (const char *)sqlite3_column_text(st, 4);
        e.to_account = (const char *)sqlite3_column_text(st, 5);
        e.status = sqlite3_column_int(st, 6);
        n++;
        if ((ret = fn(&e, payload)) != 0) {
            ret = epv__callback_failed(l->ctx, "epv_ledger_event_fn", ret, "epv_ledger_serial_history");
            break;
        }
    }
    if (!ret && rc != SQLITE_DONE) ret = epv__lg_sqlerr(l, rc, "history");
    sqlite3_finalize(st);
    if (!ret && n == 0)
        ret = epv__error(l->ctx, EPV_ENOTFOUND, "serial: %lld of '%s' was never issued", (long long)serial,
                         project);
    return ret;
}

/* In one read snapshot. */
EPV_API int epv_ledger_serial_history(epv_ledger *l, const char *project, epv_i64 serial,
                                      epv_ledger_event_fn fn, void *payload)
{
    if (!l || !fn) return EPV_EINVAL;
    int rc = epv__lg_read_begin(l);
    if (rc) return rc;
    return epv__lg_read_end(l, epv_ledger_serial_history_snap(l, project, serial, fn, payload));
}

static int epv_ledger_certificate_get_snap(epv_ledger *l, epv_i64 number,
                                       epv_ledger_certificate_fn fn, void *payload)
{
    if (!l || !fn) return EPV_EINVAL;
    sqlite3_stmt *st;
    int rc = prep(l, "SELECT account, beneficiary, reason, date, project, units FROM retirements WHERE cert = ?",
                  &st);
    if (rc) return rc;
    sqlite3_bind_int64(st, 1, number);
    rc = sqlite3_step(st);
    int ret;
    if (rc == SQLITE_ROW) {
        epv_ledger_certificate c;
        c.version = EPV_LEDGER_CERTIFICATE_VERSION;
        c.number = number;
        c.account = (const char *)sqlite3_column_text(st, 0);
        c.beneficiary = (const char *)sqlite3_column_text(st, 1);
        c.reason = (const char *)sqlite3_column_text(st, 2);
        epv__lg_days_to_date(sqlite3_column_int64(st, 3), &c.date);
        c.project = (const char *)sqlite3_column_text(st, 4);
        c.units = sqlite3_column_int64(st, 5);
        ret = fn(&c, payload);
        if (ret) ret = epv__callback_failed(l->ctx, "epv_ledger_certificate_fn", ret, "epv_ledger_certificate_get");
    } else if (rc == SQLITE_DONE) {
        ret = epv__error(l->ctx, EPV_ENOTFOUND, "certificate: no certificate %lld", (long long)number);
    } else {
        ret = epv__lg_sqlerr(l, rc, "certificate");
    }
    sqlite3_finalize(st);
    return ret;
}

/* In one read snapshot. */
EPV_API int epv_ledger_certificate_get(epv_ledger *l, epv_i64 number,
                                       epv_ledger_certificate_fn fn, void *payload)
{
    if (!l || !fn) return EPV_EINVAL;
    int rc = epv__lg_read_begin(l);
    if (rc) return rc;
    return epv__lg_read_end(l, epv_ledger_certificate_get_snap(l, number, fn, payload));
}

EPV_API int epv_ledger_block_serial(epv_ledger *l, const epv_ledger_block *b, char *buf,
                                    size_t bufsize)
{
    if (!l || !b || !b->project) return EPV_EINVAL;
    int rc = epv__check_version(l->ctx, "epv_ledger_block", b, EPV_LEDGER_BLOCK_VERSION);
    if (rc) return rc;
    epv_ledger_serial s;
    memset(&s, 0, sizeof s);
    s.version = EPV_LEDGER_SERIAL_VERSION;
    snprintf(s.programme, sizeof s.programme, "%s", l->programme);
    snprintf(s.project, sizeof s.project, "%s", b->project);
    s.vintage = b->vintage;
    s.batch = b->issuance;
    s.serial_start = b->serial_start;
    s.serial_end = b->serial_end;
    return epv_ledger_serial_format(l->ctx, l->serial_format, &s, buf, bufsize);
}

