/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Queries (balances, totals, blocks, serial history, certificates) and the integrity
 * invariants checked on open and by epv_ledger_verify(). Queries use their own statements
 * (not the cache) so callbacks may call back into the ledger. In the live layout (l->live) the
 * same queries are answered from the in-memory model, brought to the head inside the snapshot. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "ledger_verify_int.h"

static int prep(epv_ledger *l, const char *sql, epv__lq **st)
{
    int rc = epv__lq_prepare(&l->st, sql, st);
    return rc == EPV__LQ_OK ? EPV_OK : epv__lg_sqlerr(l, rc, "query");
}

static void bind_opt_text(epv__lq *st, int i, const char *v)
{
    if (v) epv__lq_bind_text_copy(st, i, v);
    else epv__lq_bind_null(st, i);
}

/* The SQL is one statement (its own snapshot); the model is synced and read in one of its own. */
static int balance_live(epv_ledger *l, const char *account, const char *project, int vintage, int status,
                        epv_i64 *units_out)
{
    int rc = epv__lg_read_begin(l);
    if (rc) return rc;
    int64_t v = 0;
    rc = epv__lg_live_sync(l);
    if (!rc) rc = epv__lrp_balance(l->live, account, project, vintage, status, &v);
    rc = epv__lg_read_end(l, rc);
    if (!rc) *units_out = v;
    return rc;
}

EPV_API int epv_ledger_balance(epv_ledger *l, const char *account, const char *project,
                               int vintage, int status, epv_i64 *units_out)
{
    if (!l || !units_out) return EPV_EINVAL;
    if (status < -1 || status > EPV_LEDGER_CANCELLED)
        return epv__error(l->ctx, EPV_EINVAL, "status: %d is not a unit status or -1", status);
    if (l->live) return balance_live(l, account, project, vintage, status, units_out);
    epv__lq *st;
    int rc = prep(l,
                  "SELECT COALESCE(SUM(\"end\" - start + 1), 0) FROM blocks WHERE (?1 IS NULL OR account = ?1)"
                  " AND (?2 IS NULL OR project = ?2) AND (?3 = 0 OR vintage = ?3) AND (?4 < 0 OR status = ?4)",
                  &st);
    if (rc) return rc;
    bind_opt_text(st, 1, account);
    bind_opt_text(st, 2, project);
    epv__lq_bind_i64(st, 3, vintage);
    epv__lq_bind_i64(st, 4, status);
    rc = epv__lq_step(st);
    if (rc == EPV__LQ_ROW) {
        *units_out = epv__lq_col_i64(st, 0);
        rc = EPV_OK;
    } else {
        rc = epv__lg_sqlerr(l, rc, "balance");
    }
    epv__lq_finalize(st);
    return rc;
}

static int epv_ledger_totals_get_snap(epv_ledger *l, const char *project, int vintage,
                                  epv_ledger_totals *out)
{
    if (!l || !out) return EPV_EINVAL;
    memset(out, 0, sizeof *out);
    out->version = EPV_LEDGER_TOTALS_VERSION;
    if (l->live) {
        int rc = epv__lg_live_sync(l);
        return rc ? rc : epv__lrp_totals(l->live, project, vintage, out);
    }
    epv__lq *st;
    int rc = prep(l,
                  "SELECT status, SUM(\"end\" - start + 1) FROM blocks WHERE (?1 IS NULL OR project = ?1)"
                  " AND (?2 = 0 OR vintage = ?2) GROUP BY status",
                  &st);
    if (rc) return rc;
    bind_opt_text(st, 1, project);
    epv__lq_bind_i64(st, 2, vintage);
    while ((rc = epv__lq_step(st)) == EPV__LQ_ROW) {
        int64_t n = epv__lq_col_i64(st, 1);
        switch ((int)epv__lq_col_i64(st, 0)) {
        case EPV_LEDGER_HELD: out->held = n; break;
        case EPV_LEDGER_BUFFER: out->buffer = n; break;
        case EPV_LEDGER_RETIRED: out->retired = n; break;
        default: out->cancelled = n; break;
        }
    }
    epv__lq_finalize(st);
    if (rc != EPV__LQ_DONE) return epv__lg_sqlerr(l, rc, "totals");
    /* Issued comes from its own counter, changed only by issuance: conservation is a check. */
    rc = prep(l,
              "SELECT COALESCE(SUM(issued), 0) FROM totals WHERE (?1 IS NULL OR project = ?1)"
              " AND (?2 = 0 OR vintage = ?2)",
              &st);
    if (rc) return rc;
    bind_opt_text(st, 1, project);
    epv__lq_bind_i64(st, 2, vintage);
    rc = epv__lq_step(st);
    if (rc == EPV__LQ_ROW) out->issued = epv__lq_col_i64(st, 0);
    epv__lq_finalize(st);
    return rc == EPV__LQ_ROW ? EPV_OK : epv__lg_sqlerr(l, rc, "totals");
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
    if (l->live) {
        int rc = epv__lg_live_sync(l);
        return rc ? rc : epv__lrp_blocks(l->live, project, account, fn, payload);
    }
    epv__lq *st;
    int rc = prep(l,
                  "SELECT project, start, \"end\", vintage, issuance, account, status, cert FROM blocks"
                  " WHERE (?1 IS NULL OR project = ?1) AND (?2 IS NULL OR account = ?2) ORDER BY project, start",
                  &st);
    if (rc) return rc;
    bind_opt_text(st, 1, project);
    bind_opt_text(st, 2, account);
    int ret = EPV_OK;
    while ((rc = epv__lq_step(st)) == EPV__LQ_ROW) {
        epv_ledger_block b;
        b.version = EPV_LEDGER_BLOCK_VERSION;
        b.project = (const char *)epv__lq_col_text(st, 0);
        b.serial_start = epv__lq_col_i64(st, 1);
        b.serial_end = epv__lq_col_i64(st, 2);
        b.count = b.serial_end - b.serial_start + 1;
        b.vintage = (int)epv__lq_col_i64(st, 3);
        b.issuance = epv__lq_col_i64(st, 4);
        b.account = (const char *)epv__lq_col_text(st, 5);
        b.status = (int)epv__lq_col_i64(st, 6);
        b.certificate = epv__lq_col_i64(st, 7);
        if ((ret = fn(&b, payload)) != 0) {
            ret = epv__callback_failed(l->ctx, "epv_ledger_block_fn", ret, "epv_ledger_blocks");
            break;
        }
    }
    if (!ret && rc != EPV__LQ_DONE) ret = epv__lg_sqlerr(l, rc, "blocks");
    epv__lq_finalize(st);
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
    if (l->live) {
        rc = epv__lg_live_sync(l);
        return rc ? rc : epv__lrp_serial_history(l->live, project, serial, fn, payload);
    }
    epv__lq *st;
    rc = prep(l,
              "SELECT seq, kind, start, \"end\", from_acct, to_acct, status FROM events WHERE project = ?1"
              " AND start <= ?2 AND \"end\" >= ?2 ORDER BY seq, n",
              &st);
    if (rc) return rc;
    epv__lq_bind_text_copy(st, 1, project);
    epv__lq_bind_i64(st, 2, serial);
    int ret = EPV_OK, n = 0;
    while ((rc = epv__lq_step(st)) == EPV__LQ_ROW) {
        epv_ledger_event e;
        e.version = EPV_LEDGER_EVENT_VERSION;
        e.entry = epv__lq_col_i64(st, 0);
        e.kind = (const char *)epv__lq_col_text(st, 1);
        e.serial_start = epv__lq_col_i64(st, 2);
        e.serial_end = epv__lq_col_i64(st, 3);
        e.from_account = (const char *)epv__lq_col_text(st, 4);
        e.to_account = (const char *)epv__lq_col_text(st, 5);
        e.status = (int)epv__lq_col_i64(st, 6);
        n++;
        if ((ret = fn(&e, payload)) != 0) {
            ret = epv__callback_failed(l->ctx, "epv_ledger_event_fn", ret, "epv_ledger_serial_history");
            break;
        }
    }
    if (!ret && rc != EPV__LQ_DONE) ret = epv__lg_sqlerr(l, rc, "history");
    epv__lq_finalize(st);
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
    if (l->live) {
        int rc = epv__lg_live_sync(l);
        return rc ? rc : epv__lrp_certificate(l->live, number, fn, payload);
    }
    epv__lq *st;
    int rc = prep(l, "SELECT account, beneficiary, reason, date, project, units FROM retirements WHERE cert = ?",
                  &st);
    if (rc) return rc;
    epv__lq_bind_i64(st, 1, number);
    rc = epv__lq_step(st);
    int ret;
    if (rc == EPV__LQ_ROW) {
        epv_ledger_certificate c;
        c.version = EPV_LEDGER_CERTIFICATE_VERSION;
        c.number = number;
        c.account = (const char *)epv__lq_col_text(st, 0);
        c.beneficiary = (const char *)epv__lq_col_text(st, 1);
        c.reason = (const char *)epv__lq_col_text(st, 2);
        epv__lg_days_to_date(epv__lq_col_i64(st, 3), &c.date);
        c.project = (const char *)epv__lq_col_text(st, 4);
        c.units = epv__lq_col_i64(st, 5);
        ret = fn(&c, payload);
        if (ret) ret = epv__callback_failed(l->ctx, "epv_ledger_certificate_fn", ret, "epv_ledger_certificate_get");
    } else if (rc == EPV__LQ_DONE) {
        ret = epv__error(l->ctx, EPV_ENOTFOUND, "certificate: no certificate %lld", (long long)number);
    } else {
        ret = epv__lg_sqlerr(l, rc, "certificate");
    }
    epv__lq_finalize(st);
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

