/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Applying operations to the derived tables: programme settings, accounts, projects,
 * monitoring periods and verifications (units are in ledger_blocks.c).
 *
 * Every function here runs inside the operation's transaction: it may write before it finds
 * an error, because the caller rolls the whole transaction back. Messages name the field. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "ledger_int.h"

int epv__lg_check_id(epv_ctx *ctx, const char *v, const char *field)
{
    if (!v || !*v) return epv__error(ctx, EPV_EINVAL, "%s: missing", field);
    size_t n = 0;
    for (const char *p = v; *p; p++, n++) {
        char c = *p;
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '.'))
            return epv__error(ctx, EPV_EINVAL,
                              "%s: '%.64s' may only hold A-Z a-z 0-9 _ . (byte %zu)", field, v, n);
    }
    if (n > EPV__L_MAX_ID)
        return epv__error(ctx, EPV_EINVAL, "%s: longer than %d characters", field, EPV__L_MAX_ID);
    return EPV_OK;
}

int epv__lg_check_text(epv_ctx *ctx, const char *v, const char *field)
{
    if (!v || !*v) return epv__error(ctx, EPV_EINVAL, "%s: missing", field);
    size_t n = strlen(v);
    if (n > EPV__L_MAX_TEXT)
        return epv__error(ctx, EPV_EINVAL, "%s: longer than %d bytes", field, EPV__L_MAX_TEXT);
    for (size_t k = 0; k < n; k++) {
        unsigned char c = (unsigned char)v[k];
        if (c < 0x20 || c == 0x7f)
            return epv__error(ctx, EPV_EINVAL, "%s: control character at byte %zu", field, k);
    }
    return EPV_OK;
}

int epv__lg_check_req(epv_ctx *ctx, const char *v)
{
    if (!v || !*v) return epv__error(ctx, EPV_EINVAL, "request_id: missing");
    size_t n = 0;
    for (const char *p = v; *p; p++, n++) {
        unsigned char c = (unsigned char)*p;
        if (c <= 0x20 || c >= 0x7f)
            return epv__error(ctx, EPV_EINVAL, "request_id: only printable ASCII without spaces");
    }
    if (n > EPV__L_MAX_REQ)
        return epv__error(ctx, EPV_EINVAL, "request_id: longer than %d characters", EPV__L_MAX_REQ);
    return EPV_OK;
}

int epv__lg_check_date(epv_ctx *ctx, epv_date d, const char *field, int64_t *days)
{
    if (!epv_date_valid(d) || d.year < 1900 || d.year > 2200)
        return epv__error(ctx, EPV_ERANGE, "%s: %04d-%02d-%02d is not a date in 1900..2200", field,
                          d.year, d.month, d.day);
    *days = epv_date_to_days(d);
    return EPV_OK;
}

/* Days since 1970-01-01 back to a date (civil-from-days, proleptic Gregorian). */
void epv__lg_days_to_date(int64_t z, epv_date *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t y = yoe + era * 400;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    d->day = (int)(doy - (153 * mp + 2) / 5 + 1);
    d->month = (int)(mp < 10 ? mp + 3 : mp - 9);
    d->year = (int)(y + (d->month <= 2));
}

/* Check a day count stored in an operation (replayed entries are checked the same way). */
int epv__lg_check_days(epv_ctx *ctx, int64_t days, const char *field)
{
    epv_date lo = { 1900, 1, 1 }, hi = { 2200, 12, 31 };
    if (days < epv_date_to_days(lo) || days > epv_date_to_days(hi))
        return epv__error(ctx, EPV_ERANGE, "%s: day %lld is outside 1900..2200", field, (long long)days);
    return EPV_OK;
}

static int step_done(epv_ledger *l, epv__lq *st, const char *what)
{
    int rc = epv__lq_step(st);
    epv__lq_reset(st);
    return rc == EPV__LQ_DONE ? EPV_OK : epv__lg_sqlerr(l, rc, what);
}

static unsigned cache_slot(const char *id, size_t *len)
{
    uint32_t h = 2166136261u; /* FNV-1a */
    size_t n = 0;
    for (; id[n]; n++) h = (h ^ (unsigned char)id[n]) * 16777619u;
    *len = n;
    return h & (EPV__L_NCACHE - 1);
}

void epv__lg_cache_clear(epv_ledger *l)
{
    for (int k = 0; k < EPV__L_NCACHE; k++) {
        l->acache[k].valid = 0;
        l->pcache[k].valid = 0;
    }
}

int epv__lg_account_status(epv_ledger *l, const char *acct, int *status, int *kind)
{
    static const char *const sql = "SELECT status, kind FROM accounts WHERE id = ?";
    size_t len;
    unsigned slot = cache_slot(acct, &len);
    struct epv__lacct_cache *c = &l->acache[slot];
    if (c->valid && !strcmp(c->id, acct)) {
        *status = c->status;
        if (kind) *kind = c->kind;
        return EPV_OK;
    }
    epv__lq *st = epv__lg_stmt(l, sql);
    if (!st) return epv_ctx_errcode(l->ctx);
    epv__lq_bind_text(st, 1, acct);
    int rc = epv__lq_step(st);
    if (rc == EPV__LQ_ROW) {
        *status = (int)epv__lq_col_i64(st, 0);
        int k = (int)epv__lq_col_i64(st, 1);
        if (kind) *kind = k;
        epv__lq_reset(st);
        if (len <= EPV__L_MAX_ID) {
            memcpy(c->id, acct, len + 1);
            c->status = *status;
            c->kind = k;
            c->valid = 1;
        }
        return EPV_OK;
    }
    epv__lq_reset(st);
    if (rc == EPV__LQ_DONE) return EPV_ENOTFOUND;
    return epv__lg_sqlerr(l, rc, "reading account");
}

int epv__lg_project_get(epv_ledger *l, const char *project, int *status, int *forestry,
                        int64_t *cstart, int64_t *cend)
{
    static const char *const sql = "SELECT status, forestry, cstart, cend FROM projects WHERE id = ?";
    size_t len;
    unsigned slot = cache_slot(project, &len);
    struct epv__lproj_cache *c = &l->pcache[slot];
    if (!(c->valid && !strcmp(c->id, project))) {
        epv__lq *st = epv__lg_stmt(l, sql);
        if (!st) return epv_ctx_errcode(l->ctx);
        epv__lq_bind_text(st, 1, project);
        int rc = epv__lq_step(st);
        if (rc != EPV__LQ_ROW) {
            epv__lq_reset(st);
            if (rc == EPV__LQ_DONE) return EPV_ENOTFOUND;
            return epv__lg_sqlerr(l, rc, "reading project");
        }
        struct epv__lproj_cache row;
        row.status = (int)epv__lq_col_i64(st, 0);
        row.forestry = (int)epv__lq_col_i64(st, 1);
        row.cstart = epv__lq_col_i64(st, 2);
        row.cend = epv__lq_col_i64(st, 3);
        epv__lq_reset(st);
        if (len > EPV__L_MAX_ID) { /* never cached (ids are checked first anyway) */
            if (status) *status = row.status;
            if (forestry) *forestry = row.forestry;
            if (cstart) *cstart = row.cstart;
            if (cend) *cend = row.cend;
            return EPV_OK;
        }
        memcpy(row.id, project, len + 1);
        row.valid = 1;
        *c = row;
    }
    if (status) *status = c->status;
    if (forestry) *forestry = c->forestry;
    if (cstart) *cstart = c->cstart;
    if (cend) *cend = c->cend;
    return EPV_OK;
}

int epv__lg_check_genesis(epv_ctx *ctx, const struct epv__lop *op, int64_t seq)
{
    if (seq != 1) return epv__error(ctx, EPV_ECORRUPT, "genesis: only the first entry may be genesis");
    int rc = epv__lg_check_id(ctx, op->s[0], "programme");
    if (rc) return rc;
    if (strlen(op->s[0]) > 32) return epv__error(ctx, EPV_EINVAL, "programme: longer than 32 characters");
    epv_ledger_serial probe;
    memset(&probe, 0, sizeof probe);
    probe.version = EPV_LEDGER_SERIAL_VERSION;
    char buf[512];
    snprintf(probe.programme, sizeof probe.programme, "%s", op->s[0]);
    snprintf(probe.project, sizeof probe.project, "P");
    probe.vintage = 2021;
    probe.batch = 1;
    probe.serial_start = 1;
    probe.serial_end = 2;
    /* The template must format and parse back; this also checks its fields. */
    if ((rc = epv_ledger_serial_format(ctx, op->s[1], &probe, buf, sizeof buf)) ||
        (rc = epv_ledger_serial_parse(ctx, op->s[1], buf, &probe))) {
        epv__error_prefix(ctx, "serial_format");
        return rc;
    }
    if (op->i[0] < 0 || op->i[0] > 10000)
        return epv__error(ctx, EPV_ERANGE, "forestry_buffer_bp: %lld is outside 0..10000",
                          (long long)op->i[0]);
    if (op->i[1] != 0 && op->i[1] != 1)
        return epv__error(ctx, EPV_EINVAL, "ccer_date_rules: must be 0 or 1");
    if (op->i[2] != EPV__L_FORMAT_VERSION)
        return epv__error(ctx, EPV_EUNSUPPORTED, "format_version: %lld", (long long)op->i[2]);
    return EPV_OK;
}

static int apply_genesis(epv_ledger *l, const struct epv__lop *op, int64_t seq)
{
    static const char *const sql = "INSERT INTO meta(key, ival, tval) VALUES (?, ?, ?)";
    static const char *const acct =
        "INSERT INTO accounts(id, entity, kind, status) VALUES ('" EPV_LEDGER_BUFFER_ACCOUNT
        "', '" EPV__L_BUFFER_ENTITY "', 1, 0)";
    int rc = epv__lg_check_genesis(l->ctx, op, seq);
    if (rc) return rc;
    struct {
        const char *k;
        int64_t i;
        const char *t;
    } rows[] = { { "programme", 0, op->s[0] },     { "serial_format", 0, op->s[1] },
                 { "buffer_bp", op->i[0], "" },    { "date_rules", op->i[1], "" },
                 { "format_version", op->i[2], "" } };
    for (size_t k = 0; k < EPV__ARRAY_LEN(rows); k++) {
        epv__lq *st = epv__lg_stmt(l, sql);
        if (!st) return epv_ctx_errcode(l->ctx);
        epv__lq_bind_text(st, 1, rows[k].k);
        epv__lq_bind_i64(st, 2, rows[k].i);
        epv__lq_bind_text(st, 3, rows[k].t);
        if ((rc = step_done(l, st, "writing settings"))) return rc;
    }
    if ((rc = epv__lg_exec(l, acct))) return rc;
    snprintf(l->programme, sizeof l->programme, "%s", op->s[0]);
    epv__free(l->ctx, l->serial_format);
    l->serial_format = epv__strdup(l->ctx, op->s[1]);
    if (!l->serial_format) return EPV_ENOMEM;
    l->buffer_bp = (int)op->i[0];
    l->date_rules = (int)op->i[1];
    return EPV_OK;
}

static int apply_account_open(epv_ledger *l, const struct epv__lop *op)
{
    static const char *const q = "SELECT id FROM accounts WHERE id = ? OR entity = ?";
    static const char *const ins = "INSERT INTO accounts(id, entity, kind, status) VALUES (?, ?, 0, 0)";
    int rc = epv__lg_check_id(l->ctx, op->s[0], "account");
    if (!rc) rc = epv__lg_check_text(l->ctx, op->s[1], "entity");
    if (rc) return rc;
    epv__lq *st = epv__lg_stmt(l, q);
    if (!st) return epv_ctx_errcode(l->ctx);
    epv__lq_bind_text(st, 1, op->s[0]);
    epv__lq_bind_text(st, 2, op->s[1]);
    rc = epv__lq_step(st);
    if (rc == EPV__LQ_ROW) {
        int same_id = !strcmp((const char *)epv__lq_col_text(st, 0), op->s[0]);
        epv__lq_reset(st);
        return same_id ? epv__error(l->ctx, EPV_EEXISTS, "account: '%s' already exists", op->s[0])
                       : epv__error(l->ctx, EPV_EEXISTS,
                                    "entity: '%s' already has an account (one per entity)", op->s[1]);
    }
    epv__lq_reset(st);
    if (rc != EPV__LQ_DONE) return epv__lg_sqlerr(l, rc, "reading accounts");
    st = epv__lg_stmt(l, ins);
    if (!st) return epv_ctx_errcode(l->ctx);
    epv__lq_bind_text(st, 1, op->s[0]);
    epv__lq_bind_text(st, 2, op->s[1]);
    epv__lg_cache_clear(l); /* the cached rows may change */
    return step_done(l, st, "opening account");
}

static int apply_account_status(epv_ledger *l, const struct epv__lop *op)
{
    static const char *const held =
        "SELECT COALESCE(SUM(\"end\" - start + 1), 0) FROM blocks WHERE account = ? AND status IN (0, 1)";
    static const char *const upd = "UPDATE accounts SET status = ? WHERE id = ?";
    int rc = epv__lg_check_id(l->ctx, op->s[0], "account");
    if (rc) return rc;
    if (op->i[0] < EPV_LEDGER_ACCOUNT_OPEN || op->i[0] > EPV_LEDGER_ACCOUNT_CLOSED)
        return epv__error(l->ctx, EPV_EINVAL, "status: %lld is not an account status", (long long)op->i[0]);
    int cur, kind;
    rc = epv__lg_account_status(l, op->s[0], &cur, &kind);
    if (rc == EPV_ENOTFOUND) return epv__error(l->ctx, rc, "account: '%s' does not exist", op->s[0]);
    if (rc) return rc;
    if (kind == 1)
        return epv__error(l->ctx, EPV_ESTATE, "account: the buffer account's status cannot change");
    if (cur == EPV_LEDGER_ACCOUNT_CLOSED)
        return epv__error(l->ctx, EPV_ESTATE, "account: '%s' is closed (final)", op->s[0]);
    if (op->i[0] == EPV_LEDGER_ACCOUNT_CLOSED) {
        epv__lq *st = epv__lg_stmt(l, held);
        if (!st) return epv_ctx_errcode(l->ctx);
        epv__lq_bind_text(st, 1, op->s[0]);
        rc = epv__lq_step(st);
        int64_t n = rc == EPV__LQ_ROW ? epv__lq_col_i64(st, 0) : -1;
        epv__lq_reset(st);
        if (n < 0) return epv__lg_sqlerr(l, rc, "reading balance");
        if (n > 0)
            return epv__error(l->ctx, EPV_ESTATE, "account: '%s' still holds %lld units; cannot close",
                              op->s[0], (long long)n);
    }
    epv__lq *st = epv__lg_stmt(l, upd);
    if (!st) return epv_ctx_errcode(l->ctx);
    epv__lq_bind_i64(st, 1, op->i[0]);
    epv__lq_bind_text(st, 2, op->s[0]);
    epv__lg_cache_clear(l); /* the cached rows may change */
    return step_done(l, st, "changing account status");
}

int epv__lg_check_project_fields(epv_ctx *ctx, const struct epv__lop *op)
{
    int rc = epv__lg_check_id(ctx, op->s[0], "project");
    if (!rc) rc = epv__lg_check_text(ctx, op->s[1], "name");
    if (!rc) rc = epv__lg_check_text(ctx, op->s[2], "methodology");
    if (!rc) rc = epv__lg_check_id(ctx, op->s[3], "owner_account");
    if (!rc) rc = epv__lg_check_days(ctx, op->i[0], "crediting_start");
    if (!rc) rc = epv__lg_check_days(ctx, op->i[1], "crediting_end");
    if (rc) return rc;
    if (op->i[1] < op->i[0]) return epv__error(ctx, EPV_ERANGE, "crediting_end: before crediting_start");
    if (op->i[2] != 0 && op->i[2] != 1) return epv__error(ctx, EPV_EINVAL, "forestry: must be 0 or 1");
    if (op->i[3] < -1 || op->i[3] > 10000)
        return epv__error(ctx, EPV_ERANGE, "buffer_bp: %lld is outside -1..10000", (long long)op->i[3]);
    return EPV_OK;
}

static int apply_project_register(epv_ledger *l, const struct epv__lop *op)
{
    static const char *const q = "SELECT 1 FROM projects WHERE id = ?";
    static const char *const ins =
        "INSERT INTO projects(id, name, methodology, owner, cstart, cend, forestry, buffer_bp,"
        " status, next_serial) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, 1)";
    int rc = epv__lg_check_project_fields(l->ctx, op);
    if (rc) return rc;
    int st_acct, kind;
    rc = epv__lg_account_status(l, op->s[3], &st_acct, &kind);
    if (rc == EPV_ENOTFOUND)
        return epv__error(l->ctx, rc, "owner_account: '%s' does not exist", op->s[3]);
    if (rc) return rc;
    if (kind == 1) return epv__error(l->ctx, EPV_ESTATE, "owner_account: the buffer account cannot own a project");
    if (st_acct == EPV_LEDGER_ACCOUNT_CLOSED)
        return epv__error(l->ctx, EPV_ESTATE, "owner_account: '%s' is closed", op->s[3]);
    epv__lq *st = epv__lg_stmt(l, q);
    if (!st) return epv_ctx_errcode(l->ctx);
    epv__lq_bind_text(st, 1, op->s[0]);
    rc = epv__lq_step(st);
    epv__lq_reset(st);
    if (rc == EPV__LQ_ROW)
        return epv__error(l->ctx, EPV_EEXISTS, "project: '%s' is already registered (ids are never reused)",
                          op->s[0]);
    if (rc != EPV__LQ_DONE) return epv__lg_sqlerr(l, rc, "reading projects");
    st = epv__lg_stmt(l, ins);
    if (!st) return epv_ctx_errcode(l->ctx);
    for (int k = 0; k < 4; k++) epv__lq_bind_text(st, 1 + k, op->s[k]);
    for (int k = 0; k < 4; k++) epv__lq_bind_i64(st, 5 + k, op->i[k]);
    epv__lg_cache_clear(l); /* the cached rows may change */
    return step_done(l, st, "registering project");
}

/* Read a project's status (and forestry flag); ENOTFOUND names the field. */
static int project_status(epv_ledger *l, const char *project, const char *field, int *status,
                          int64_t *cstart, int64_t *cend)
{
    int rc = epv__lg_check_id(l->ctx, project, field);
    if (rc) return rc;
    rc = epv__lg_project_get(l, project, status, NULL, cstart, cend);
    if (rc == EPV_ENOTFOUND) return epv__error(l->ctx, EPV_ENOTFOUND, "%s: no project '%s'", field, project);
    return rc;
}

static int apply_project_status(epv_ledger *l, const struct epv__lop *op)
{
    static const char *const upd = "UPDATE projects SET status = ? WHERE id = ?";
    int cur, rc = project_status(l, op->s[0], "project", &cur, NULL, NULL);
    if (rc) return rc;
    if (op->i[0] < EPV_LEDGER_PROJECT_ACTIVE || op->i[0] > EPV_LEDGER_PROJECT_REVOKED)
        return epv__error(l->ctx, EPV_EINVAL, "status: %lld is not a project status", (long long)op->i[0]);
    if (cur == EPV_LEDGER_PROJECT_CANCELLED || cur == EPV_LEDGER_PROJECT_REVOKED)
        return epv__error(l->ctx, EPV_ESTATE, "project: '%s' is %s (final)", op->s[0],
                          cur == EPV_LEDGER_PROJECT_CANCELLED ? "cancelled" : "revoked");
    epv__lq *st = epv__lg_stmt(l, upd);
    if (!st) return epv_ctx_errcode(l->ctx);
    epv__lq_bind_i64(st, 1, op->i[0]);
    epv__lq_bind_text(st, 2, op->s[0]);
    epv__lg_cache_clear(l); /* the cached rows may change */
    return step_done(l, st, "changing project status");
}

static int apply_period_add(epv_ledger *l, const struct epv__lop *op, int64_t res[EPV__L_NRES])
{
    static const char *const overlap =
        "SELECT num FROM periods WHERE project = ? AND start <= ? AND \"end\" >= ? LIMIT 1";
    static const char *const count = "SELECT COUNT(*) FROM periods WHERE project = ?";
    static const char *const ins = "INSERT INTO periods(project, num, start, \"end\") VALUES (?, ?, ?, ?)";
    int status;
    int64_t cs, ce;
    int rc = project_status(l, op->s[0], "project", &status, &cs, &ce);
    if (rc) return rc;
    if (status != EPV_LEDGER_PROJECT_ACTIVE)
        return epv__error(l->ctx, EPV_ESTATE, "project: '%s' is not active", op->s[0]);
    if ((rc = epv__lg_check_days(l->ctx, op->i[0], "start")) || (rc = epv__lg_check_days(l->ctx, op->i[1], "end")))
        return rc;
    if (op->i[1] < op->i[0]) return epv__error(l->ctx, EPV_ERANGE, "end: before start (reversed period)");
    if (op->i[0] < cs || op->i[1] > ce)
        return epv__error(l->ctx, EPV_ERANGE, "start/end: period lies outside the crediting period");
    if (l->date_rules && op->i[0] <= EPV__L_CCER_CUTOFF_DAYS)
        return epv__error(l->ctx, EPV_ERANGE,
                          "start: CCER rules admit only reductions after 2020-09-22 (Art. 17)");
    epv__lq *st = epv__lg_stmt(l, overlap);
    if (!st) return epv_ctx_errcode(l->ctx);
    epv__lq_bind_text(st, 1, op->s[0]);
    epv__lq_bind_i64(st, 2, op->i[1]);
    epv__lq_bind_i64(st, 3, op->i[0]);
    rc = epv__lq_step(st);
    if (rc == EPV__LQ_ROW) {
        int num = (int)epv__lq_col_i64(st, 0);
        epv__lq_reset(st);
        return epv__error(l->ctx, EPV_ERANGE, "start/end: overlaps monitoring period %d", num);
    }
    epv__lq_reset(st);
    if (rc != EPV__LQ_DONE) return epv__lg_sqlerr(l, rc, "reading periods");
    st = epv__lg_stmt(l, count);
    if (!st) return epv_ctx_errcode(l->ctx);
    epv__lq_bind_text(st, 1, op->s[0]);
    rc = epv__lq_step(st);
    int64_t n = rc == EPV__LQ_ROW ? epv__lq_col_i64(st, 0) : -1;
    epv__lq_reset(st);
    if (n < 0) return epv__lg_sqlerr(l, rc, "counting periods");
    st = epv__lg_stmt(l, ins);
    if (!st) return epv_ctx_errcode(l->ctx);
    epv__lq_bind_text(st, 1, op->s[0]);
    epv__lq_bind_i64(st, 2, n + 1);
    epv__lq_bind_i64(st, 3, op->i[0]);
    epv__lq_bind_i64(st, 4, op->i[1]);
    res[0] = n + 1;
    return step_done(l, st, "adding period");
}

/* The same calendar day `years` later (29 February becomes 28 February). */
int64_t epv__lg_add_years(int64_t days, int years)
{
    epv_date d;
    epv__lg_days_to_date(days, &d);
    d.year += years;
    if (d.month == 2 && d.day == 29 && !epv_date_valid(d)) d.day = 28;
    return epv_date_to_days(d);
}

static int apply_verify(epv_ledger *l, const struct epv__lop *op)
{
    static const char *const qp = "SELECT start, \"end\" FROM periods WHERE project = ? AND num = ?";
    static const char *const qr = "SELECT project FROM verifications WHERE report = ?";
    static const char *const qn = "SELECT report FROM verifications WHERE project = ? AND num = ?";
    static const char *const ins =
        "INSERT INTO verifications(report, project, num, verifier, verified, deduction, issued,"
        " applied, vintage) VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?)";
    int status;
    int rc = project_status(l, op->s[0], "project", &status, NULL, NULL);
    if (rc) return rc;
    if (status != EPV_LEDGER_PROJECT_ACTIVE)
        return epv__error(l->ctx, EPV_ESTATE, "project: '%s' is not active", op->s[0]);
    if ((rc = epv__lg_check_text(l->ctx, op->s[1], "report_id")) ||
        (rc = epv__lg_check_text(l->ctx, op->s[2], "verifier")))
        return rc;
    if (op->i[1] <= 0 || op->i[1] > EPV__L_MAX_UNITS)
        return epv__error(l->ctx, EPV_ERANGE, "verified_tco2e: %lld must be in 1..1e15", (long long)op->i[1]);
    if (op->i[2] < 0 || op->i[2] > op->i[1])
        return epv__error(l->ctx, EPV_ERANGE, "deduction_tco2e: %lld must be in 0..verified",
                          (long long)op->i[2]);
    if ((rc = epv__lg_check_days(l->ctx, op->i[3], "applied"))) return rc;
    epv__lq *st = epv__lg_stmt(l, qp);
    if (!st) return epv_ctx_errcode(l->ctx);
    epv__lq_bind_text(st, 1, op->s[0]);
    epv__lq_bind_i64(st, 2, op->i[0]);
    rc = epv__lq_step(st);
    if (rc != EPV__LQ_ROW) {
        epv__lq_reset(st);
        if (rc == EPV__LQ_DONE)
            return epv__error(l->ctx, EPV_ENOTFOUND, "period: project '%s' has no period %lld", op->s[0],
                              (long long)op->i[0]);
        return epv__lg_sqlerr(l, rc, "reading period");
    }
    int64_t ps = epv__lq_col_i64(st, 0), pe = epv__lq_col_i64(st, 1);
    epv__lq_reset(st);
    if (op->i[3] < pe) return epv__error(l->ctx, EPV_ERANGE, "applied: before the end of the period");
    if (l->date_rules && op->i[3] > epv__lg_add_years(ps, 5))
        return epv__error(l->ctx, EPV_ERANGE,
                          "applied: more than 5 years after the period start (CCER Art. 17)");
    st = epv__lg_stmt(l, qr);
    if (!st) return epv_ctx_errcode(l->ctx);
    epv__lq_bind_text(st, 1, op->s[1]);
    rc = epv__lq_step(st);
    epv__lq_reset(st);
    if (rc == EPV__LQ_ROW)
        return epv__error(l->ctx, EPV_EEXISTS, "report_id: '%s' was already used", op->s[1]);
    if (rc != EPV__LQ_DONE) return epv__lg_sqlerr(l, rc, "reading verifications");
    st = epv__lg_stmt(l, qn);
    if (!st) return epv_ctx_errcode(l->ctx);
    epv__lq_bind_text(st, 1, op->s[0]);
    epv__lq_bind_i64(st, 2, op->i[0]);
    rc = epv__lq_step(st);
    epv__lq_reset(st);
    if (rc == EPV__LQ_ROW)
        return epv__error(l->ctx, EPV_EEXISTS, "period: %lld is already verified", (long long)op->i[0]);
    if (rc != EPV__LQ_DONE) return epv__lg_sqlerr(l, rc, "reading verifications");
    epv_date end;
    epv__lg_days_to_date(pe, &end);
    st = epv__lg_stmt(l, ins);
    if (!st) return epv_ctx_errcode(l->ctx);
    epv__lq_bind_text(st, 1, op->s[1]);
    epv__lq_bind_text(st, 2, op->s[0]);
    epv__lq_bind_i64(st, 3, op->i[0]);
    epv__lq_bind_text(st, 4, op->s[2]);
    epv__lq_bind_i64(st, 5, op->i[1]);
    epv__lq_bind_i64(st, 6, op->i[2]);
    epv__lq_bind_i64(st, 7, op->i[3]);
    epv__lq_bind_i64(st, 8, end.year);
    return step_done(l, st, "recording verification");
}

/* A non-permanence risk assessment: category totals (internal, external, natural, each a
 * score x 100 in 0..10000) summed to the overall rating; the buffer rate is that rating, or
 * the minimum if higher; it becomes the project's buffer_bp for later issuances. */
static int apply_project_risk(epv_ledger *l, const struct epv__lop *op, int64_t res[EPV__L_NRES])
{
    static const char *const upd = "UPDATE projects SET buffer_bp = ? WHERE id = ?";
    static const char *const names[4] = { "internal_bp", "external_bp", "natural_bp", "minimum_bp" };
    int cur, forestry, rc = epv__lg_check_id(l->ctx, op->s[0], "project");
    if (rc) return rc;
    rc = epv__lg_project_get(l, op->s[0], &cur, &forestry, NULL, NULL);
    if (rc == EPV_ENOTFOUND) return epv__error(l->ctx, EPV_ENOTFOUND, "project: no project '%s'", op->s[0]);
    if (rc) return rc;
    if (!forestry)
        return epv__error(l->ctx, EPV_ESTATE, "project: '%s' is not a forestry project (no buffer)", op->s[0]);
    if (cur == EPV_LEDGER_PROJECT_CANCELLED || cur == EPV_LEDGER_PROJECT_REVOKED)
        return epv__error(l->ctx, EPV_ESTATE, "project: '%s' is %s (final)", op->s[0],
                          cur == EPV_LEDGER_PROJECT_CANCELLED ? "cancelled" : "revoked");
    if ((rc = epv__lg_check_text(l->ctx, op->s[1], "tool"))) return rc;
    for (int k = 0; k < 4; k++)
        if (op->i[k] < 0 || op->i[k] > 10000)
            return epv__error(l->ctx, EPV_ERANGE, "%s: %lld is outside 0..10000", names[k], (long long)op->i[k]);
    if ((rc = epv__lg_check_days(l->ctx, op->i[4], "date"))) return rc;
    int64_t overall = op->i[0] + op->i[1] + op->i[2];
    if (overall > EPV__L_RISK_FAIL_BP)
        return epv__error(l->ctx, EPV_ERANGE,
                          "overall risk rating: %lld.%02lld is above %d: the project fails the risk tool",
                          (long long)(overall / 100), (long long)(overall % 100), EPV__L_RISK_FAIL_BP / 100);
    int64_t buffer = overall > op->i[3] ? overall : op->i[3];
    epv__lq *st = epv__lg_stmt(l, upd);
    if (!st) return epv_ctx_errcode(l->ctx);
    epv__lq_bind_i64(st, 1, buffer);
    epv__lq_bind_text(st, 2, op->s[0]);
    epv__lg_cache_clear(l);
    if ((rc = step_done(l, st, "setting the buffer rate"))) return rc;
    res[0] = buffer;
    res[1] = overall;
    return EPV_OK;
}

int epv__lg_apply(epv_ledger *l, const struct epv__lop *op, int64_t seq, int64_t res[EPV__L_NRES])
{
    if (op->kind != EPV__L_GENESIS && seq == 1)
        return epv__error(l->ctx, EPV_ECORRUPT, "journal: the first entry must be genesis");
    switch (op->kind) {
    case EPV__L_GENESIS: return apply_genesis(l, op, seq);
    case EPV__L_ACCOUNT_OPEN: return apply_account_open(l, op);
    case EPV__L_ACCOUNT_STATUS: return apply_account_status(l, op);
    case EPV__L_PROJECT_REGISTER: return apply_project_register(l, op);
    case EPV__L_PROJECT_STATUS: return apply_project_status(l, op);
    case EPV__L_PERIOD_ADD: return apply_period_add(l, op, res);
    case EPV__L_VERIFY: return apply_verify(l, op);
    case EPV__L_ISSUE: return epv__lg_apply_issue(l, op, seq, res);
    case EPV__L_TRANSFER:
    case EPV__L_RETIRE:
    case EPV__L_CANCEL: return epv__lg_apply_units(l, op, seq, res);
    case EPV__L_REVERSE: return epv__lg_apply_reverse(l, op, seq, res);
    case EPV__L_PROJECT_RISK: return apply_project_risk(l, op, res);
    case EPV__L_REVERSAL: {
        int rc = epv__lg_apply_reverse(l, op, seq, res);
        /* what the buffer could not cover is the proponent's obligation */
        if (!rc && res[1] > 0) rc = epv__lg_obligation_add(l, op->s[0], res[1]);
        return rc;
    }
    case EPV__L_SETTLE: return epv__lg_apply_settle(l, op, seq, res);
    default: return epv__error(l->ctx, EPV_EINVAL, "operation kind %d is unknown", op->kind);
    }
}

int epv__lg_check_settle(epv_ctx *ctx, const struct epv__lop *op, int64_t owed)
{
    int64_t asked = op->i[2] == 0 && op->i[3] == 0 ? op->i[1] : op->i[3] - op->i[2] + 1;
    if (asked >= 1 && asked > owed)
        return epv__error(ctx, EPV_ERANGE, "count: %lld units exceed the reversal obligation of project '%s' (%lld)",
                          (long long)asked, op->s[1], (long long)owed);
    return EPV_OK;
}
