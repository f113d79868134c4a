/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Credits as serial blocks: issuance from the project's monotonic sequence, deterministic
 * splits, moves (transfer, retire, cancel), buffer reversals, and merging of adjacent blocks
 * whose attributes are identical.
 *
 * A block is [start, end] of one project with one vintage, issuance, account, status and
 * certificate. Splitting at serial `at` replaces [s, e] by [s, at-1] and [at, e] with the same
 * attributes, so children always partition their parent. Every touched range is written to
 * the events table, which is what a serial's history is read from. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "ledger_int.h"

struct piece {
    char project[EPV__L_MAX_ID + 1];
    int64_t s, e;
    int bounds; /* PIECE_START: s starts a block; PIECE_END: e ends one (no split needed) */
    /* with PIECE_START: the block that starts at s, as read in this operation */
    int64_t be, vintage, iss, cert;
    int status;
};
#define PIECE_START 1
#define PIECE_END 2

struct pieces {
    struct piece *v;
    size_t n, cap;
};

/* A piece taken from the head of block `b` (whose end, vintage, issuance, certificate and
 * status were just read): no split lookup is needed on either side. */
static int pieces_add_head(epv_ctx *ctx, struct pieces *p, const char *project, int64_t s, int64_t e,
                           int64_t be, int64_t vintage, int64_t iss, int64_t cert, int status);

static int pieces_add(epv_ctx *ctx, struct pieces *p, const char *project, int64_t s, int64_t e,
                      int bounds)
{
    if (epv__grow(ctx, (void **)&p->v, &p->cap, p->n + 1, sizeof *p->v)) return EPV_ENOMEM;
    snprintf(p->v[p->n].project, sizeof p->v[p->n].project, "%s", project);
    p->v[p->n].s = s;
    p->v[p->n].e = e;
    p->v[p->n].bounds = bounds;
    p->n++;
    return EPV_OK;
}

static int pieces_add_head(epv_ctx *ctx, struct pieces *p, const char *project, int64_t s, int64_t e,
                           int64_t be, int64_t vintage, int64_t iss, int64_t cert, int status)
{
    if (pieces_add(ctx, p, project, s, e, PIECE_START | (e == be ? PIECE_END : 0))) return EPV_ENOMEM;
    struct piece *x = &p->v[p->n - 1];
    x->be = be;
    x->vintage = vintage;
    x->iss = iss;
    x->cert = cert;
    x->status = status;
    return EPV_OK;
}

static int step_done(epv_ledger *l, epv__lq *st, const char *what)
{
    int rc = epv__lq_step(st);
    epv__lq_reset(st);
    return rc == EPV__LQ_DONE ? EPV_OK : epv__lg_sqlerr(l, rc, what);
}

static int event(epv_ledger *l, int64_t seq, const char *project, int64_t s, int64_t e,
                 const char *kind, const char *from, const char *to, int status)
{
    static const char *const sql =
        "INSERT INTO events(seq, n, project, start, \"end\", kind, from_acct, to_acct, status)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
    epv__lq *st = epv__lg_stmt(l, sql);
    if (!st) return epv_ctx_errcode(l->ctx);
    epv__lq_bind_i64(st, 1, seq);
    epv__lq_bind_i64(st, 2, l->ev_n++);
    epv__lq_bind_text(st, 3, project);
    epv__lq_bind_i64(st, 4, s);
    epv__lq_bind_i64(st, 5, e);
    epv__lq_bind_text(st, 6, kind);
    epv__lq_bind_text(st, 7, from ? from : "");
    epv__lq_bind_text(st, 8, to ? to : "");
    epv__lq_bind_i64(st, 9, status);
    return step_done(l, st, "recording event");
}

static int insert_block(epv_ledger *l, const char *project, int64_t s, int64_t e, int64_t vintage,
                        int64_t issuance, const char *account, int status, int64_t cert)
{
    static const char *const sql =
        "INSERT INTO blocks(project, start, \"end\", vintage, issuance, account, status, cert)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
    epv__lq *st = epv__lg_stmt(l, sql);
    if (!st) return epv_ctx_errcode(l->ctx);
    epv__lq_bind_text(st, 1, project);
    epv__lq_bind_i64(st, 2, s);
    epv__lq_bind_i64(st, 3, e);
    epv__lq_bind_i64(st, 4, vintage);
    epv__lq_bind_i64(st, 5, issuance);
    epv__lq_bind_text_copy(st, 6, account);
    epv__lq_bind_i64(st, 7, status);
    epv__lq_bind_i64(st, 8, cert);
    return step_done(l, st, "writing block");
}

/* Split the block holding serial `at` so that a block starts at `at` (no-op if one does,
 * or if no block holds it). */
static int split_at(epv_ledger *l, int64_t seq, const char *project, int64_t at)
{
    static const char *const q =
        "SELECT start, \"end\", vintage, issuance, account, status, cert FROM blocks"
        " WHERE project = ? AND start < ? ORDER BY start DESC LIMIT 1";
    static const char *const upd = "UPDATE blocks SET \"end\" = ? WHERE project = ? AND start = ?";
    epv__lq *st = epv__lg_stmt(l, q);
    if (!st) return epv_ctx_errcode(l->ctx);
    epv__lq_bind_text(st, 1, project);
    epv__lq_bind_i64(st, 2, at);
    int rc = epv__lq_step(st);
    if (rc != EPV__LQ_ROW) {
        epv__lq_reset(st);
        return rc == EPV__LQ_DONE ? EPV_OK : epv__lg_sqlerr(l, rc, "reading blocks");
    }
    int64_t s = epv__lq_col_i64(st, 0), e = epv__lq_col_i64(st, 1);
    int64_t vintage = epv__lq_col_i64(st, 2), iss = epv__lq_col_i64(st, 3);
    char account[EPV__L_MAX_ID + 1];
    snprintf(account, sizeof account, "%s", (const char *)epv__lq_col_text(st, 4));
    int status = (int)epv__lq_col_i64(st, 5);
    int64_t cert = epv__lq_col_i64(st, 6);
    epv__lq_reset(st);
    if (e < at) return EPV_OK;
    st = epv__lg_stmt(l, upd);
    if (!st) return epv_ctx_errcode(l->ctx);
    epv__lq_bind_i64(st, 1, at - 1);
    epv__lq_bind_text(st, 2, project);
    epv__lq_bind_i64(st, 3, s);
    if ((rc = step_done(l, st, "splitting block"))) return rc;
    if ((rc = insert_block(l, project, at, e, vintage, iss, account, status, cert))) return rc;
    return event(l, seq, project, s, e, "split", account, account, status);
}

/* Merge identical neighbours among the blocks touching [s-1, e+1]. */
static int merge_around(epv_ledger *l, const char *project, int64_t s, int64_t e)
{
    /* the block before s (if any) and every block starting in [s, e+1], in one statement */
    static const char *const q =
        "SELECT start, \"end\", vintage, issuance, account, status, cert FROM blocks"
        " WHERE project = ?1 AND start >= COALESCE((SELECT start FROM blocks WHERE project = ?1"
        " AND start < ?2 ORDER BY start DESC LIMIT 1), ?2) AND start <= ?3 ORDER BY start";
    static const char *const del = "DELETE FROM blocks WHERE project = ? AND start = ?";
    static const char *const upd = "UPDATE blocks SET \"end\" = ? WHERE project = ? AND start = ?";
    struct row {
        int64_t s, e, vintage, iss, cert;
        int status;
        char account[EPV__L_MAX_ID + 1];
    } *rows = NULL;
    size_t n = 0, cap = 0;
    int rc = EPV_OK;
    {
        epv__lq *st = epv__lg_stmt(l, q);
        if (!st) return epv_ctx_errcode(l->ctx);
        epv__lq_bind_text(st, 1, project);
        epv__lq_bind_i64(st, 2, s);
        epv__lq_bind_i64(st, 3, e == INT64_MAX ? e : e + 1);
        int src;
        while ((src = epv__lq_step(st)) == EPV__LQ_ROW) {
            if (epv__grow(l->ctx, (void **)&rows, &cap, n + 1, sizeof *rows)) {
                rc = EPV_ENOMEM;
                break;
            }
            struct row *r = &rows[n++];
            r->s = epv__lq_col_i64(st, 0);
            r->e = epv__lq_col_i64(st, 1);
            r->vintage = epv__lq_col_i64(st, 2);
            r->iss = epv__lq_col_i64(st, 3);
            snprintf(r->account, sizeof r->account, "%s", (const char *)epv__lq_col_text(st, 4));
            r->status = (int)epv__lq_col_i64(st, 5);
            r->cert = epv__lq_col_i64(st, 6);
        }
        epv__lq_reset(st);
        if (!rc && src != EPV__LQ_DONE) rc = epv__lg_sqlerr(l, src, "reading blocks");
    }
    size_t keep = 0;
    for (size_t k = 1; k < n && !rc; k++) {
        struct row *a = &rows[keep], *b = &rows[k];
        if (a->e + 1 == b->s && a->vintage == b->vintage && a->iss == b->iss && a->status == b->status &&
            a->cert == b->cert && !strcmp(a->account, b->account)) {
            epv__lq *st = epv__lg_stmt(l, del);
            if (!st) {
                rc = epv_ctx_errcode(l->ctx);
                break;
            }
            epv__lq_bind_text(st, 1, project);
            epv__lq_bind_i64(st, 2, b->s);
            if ((rc = step_done(l, st, "merging blocks"))) break;
            a->e = b->e;
            st = epv__lg_stmt(l, upd);
            if (!st) {
                rc = epv_ctx_errcode(l->ctx);
                break;
            }
            epv__lq_bind_i64(st, 1, a->e);
            epv__lq_bind_text(st, 2, project);
            epv__lq_bind_i64(st, 3, a->s);
            rc = step_done(l, st, "merging blocks");
        } else {
            rows[++keep] = *b;
        }
    }
    epv__free(l->ctx, rows);
    return rc;
}

/* Give [s, e] (the exact union of whole blocks after splitting) new attributes. `bounds`
 * says which ends are already known to be block boundaries (read in this same operation from
 * blocks that no earlier piece of it can have changed), so their split lookups are skipped. */
static int move_range(epv_ledger *l, int64_t seq, const struct piece *pc, const char *account,
                      int status, int64_t cert, const char *kind, const char *from)
{
    static const char *const upd =
        "UPDATE blocks SET account = ?, status = ?, cert = ? WHERE project = ? AND start >= ? AND start <= ?";
    static const char *const upd_one = "UPDATE blocks SET account = ?, status = ?, cert = ? WHERE project = ? AND start = ?";
    /* the head of a known block: cut and move it in one statement, then put the tail back
     * (the same rows and events, in the same order, as split_at followed by the update) */
    static const char *const upd_head =
        "UPDATE blocks SET \"end\" = ?, account = ?, status = ?, cert = ? WHERE project = ? AND start = ?";
    const char *project = pc->project;
    int64_t s = pc->s, e = pc->e;
    int bounds = pc->bounds, rc;
    if ((bounds & PIECE_START) && !(bounds & PIECE_END)) {
        epv__lq *st = epv__lg_stmt(l, upd_head);
        if (!st) return epv_ctx_errcode(l->ctx);
        epv__lq_bind_i64(st, 1, e);
        epv__lq_bind_text(st, 2, account);
        epv__lq_bind_i64(st, 3, status);
        epv__lq_bind_i64(st, 4, cert);
        epv__lq_bind_text(st, 5, project);
        epv__lq_bind_i64(st, 6, s);
        if ((rc = step_done(l, st, "moving units"))) return rc;
        if (epv__lq_changes(st) != 1)
            return epv__error(l->ctx, EPV_ECORRUPT, "ledger: block %lld of '%s' vanished", (long long)s, project);
        if ((rc = insert_block(l, project, e + 1, pc->be, pc->vintage, pc->iss, from, pc->status, pc->cert)) ||
            (rc = event(l, seq, project, s, pc->be, "split", from, from, pc->status)) ||
            (rc = event(l, seq, project, s, e, kind, from, account, status)))
            return rc;
        return merge_around(l, project, s, e);
    }
    rc = (bounds & PIECE_START) ? EPV_OK : split_at(l, seq, project, s);
    if (!rc && e < INT64_MAX && !(bounds & PIECE_END)) rc = split_at(l, seq, project, e + 1);
    if (rc) return rc;
    /* a whole block just read: update it by its key, not as a key range (measured in the
     * benchmark's mix: 7.2 instead of 10.2 µs per statement; the same row is changed) */
    int whole = bounds == (PIECE_START | PIECE_END);
    epv__lq *st = epv__lg_stmt(l, whole ? upd_one : upd);
    if (!st) return epv_ctx_errcode(l->ctx);
    epv__lq_bind_text(st, 1, account);
    epv__lq_bind_i64(st, 2, status);
    epv__lq_bind_i64(st, 3, cert);
    epv__lq_bind_text(st, 4, project);
    epv__lq_bind_i64(st, 5, s);
    if (!whole) epv__lq_bind_i64(st, 6, e);
    if ((rc = step_done(l, st, "moving units"))) return rc;
    if (whole && epv__lq_changes(st) != 1)
        return epv__error(l->ctx, EPV_ECORRUPT, "ledger: block %lld of '%s' vanished", (long long)s, project);
    if ((rc = event(l, seq, project, s, e, kind, from, account, status))) return rc;
    return merge_around(l, project, s, e);
}

/* Account checks for the sending side of transfer/retire/cancel. */
static int check_sender(epv_ledger *l, const char *acct, const char *field)
{
    int status, kind;
    int rc = epv__lg_check_id(l->ctx, acct, field);
    if (rc) return rc;
    rc = epv__lg_account_status(l, acct, &status, &kind);
    if (rc == EPV_ENOTFOUND) return epv__error(l->ctx, rc, "%s: account '%s' does not exist", field, acct);
    if (rc) return rc;
    if (kind == 1)
        return epv__error(l->ctx, EPV_ESTATE, "%s: buffer units cannot be moved by any holder", field);
    static const char *const names[] = { "open", "restricted", "frozen", "closed" };
    if (status != EPV_LEDGER_ACCOUNT_OPEN)
        return epv__error(l->ctx, EPV_ESTATE, "%s: account '%s' is %s", field, acct, names[status & 3]);
    return EPV_OK;
}

static int check_receiver(epv_ledger *l, const char *acct, const char *field)
{
    int status, kind;
    int rc = epv__lg_check_id(l->ctx, acct, field);
    if (rc) return rc;
    rc = epv__lg_account_status(l, acct, &status, &kind);
    if (rc == EPV_ENOTFOUND) return epv__error(l->ctx, rc, "%s: account '%s' does not exist", field, acct);
    if (rc) return rc;
    if (kind == 1)
        return epv__error(l->ctx, EPV_ESTATE, "%s: the buffer account receives only withholdings", field);
    if (status == EPV_LEDGER_ACCOUNT_FROZEN || status == EPV_LEDGER_ACCOUNT_CLOSED)
        return epv__error(l->ctx, EPV_ESTATE, "%s: account '%s' is %s", field, acct,
                          status == EPV_LEDGER_ACCOUNT_FROZEN ? "frozen" : "closed");
    return EPV_OK;
}

static int project_row(epv_ledger *l, const char *project, const char *field, int *status,
                       int *forestry)
{
    int rc = epv__lg_check_id(l->ctx, project, field);
    if (rc) return rc;
    rc = epv__lg_project_get(l, project, status, forestry, NULL, NULL);
    if (rc == EPV_ENOTFOUND) return epv__error(l->ctx, EPV_ENOTFOUND, "%s: no project '%s'", field, project);
    return rc;
}

/* Choose the units an operation takes (see epv_ledger_units). */
static int select_units(epv_ledger *l, const char *acct, const char *project, int64_t vintage,
                        int64_t count, int64_t s, int64_t e, struct pieces *out, int64_t *total)
{
    /* At most `count` blocks can be needed (each holds at least one unit): the LIMIT matters on
     * PostgreSQL, which sends a query's whole result at once, and an owner may hold thousands
     * of blocks (without it, a transfer from an account cost time in proportion to its
     * history: 1,261 ops/s at the start of a batched run, 609 after 40,000 operations) */
    static const char *const qcount =
        "SELECT start, \"end\", vintage, issuance, cert FROM blocks INDEXED BY blocks_account"
        " WHERE account = ?1 AND project = ?2 AND status = 0 AND (?3 = 0 OR vintage = ?3)"
        " ORDER BY start LIMIT ?4";
    static const char *const qprev =
        "SELECT start, \"end\", vintage, account, status FROM blocks WHERE project = ? AND start < ?"
        " ORDER BY start DESC LIMIT 1";
    static const char *const qin =
        "SELECT start, \"end\", vintage, account, status FROM blocks WHERE project = ? AND start >= ?"
        " AND start <= ? ORDER BY start";
    int rc;
    *total = 0;
    if (vintage != 0 && (vintage < 1900 || vintage > 2200))
        return epv__error(l->ctx, EPV_ERANGE, "vintage: %lld is not a year in 1900..2200", (long long)vintage);
    if (s == 0 && e == 0) {
        if (count <= 0 || count > EPV__L_MAX_UNITS)
            return epv__error(l->ctx, EPV_ERANGE, "count: %lld must be in 1..1e15", (long long)count);
        epv__lq *st = epv__lg_stmt(l, qcount);
        if (!st) return epv_ctx_errcode(l->ctx);
        epv__lq_bind_text(st, 1, acct);
        epv__lq_bind_text(st, 2, project);
        epv__lq_bind_i64(st, 3, vintage);
        epv__lq_bind_i64(st, 4, count);
        int64_t need = count;
        while (need > 0 && (rc = epv__lq_step(st)) == EPV__LQ_ROW) {
            int64_t bs = epv__lq_col_i64(st, 0), be = epv__lq_col_i64(st, 1);
            int64_t take = be - bs + 1 < need ? be - bs + 1 : need;
            /* a whole block, or the head of one: the pieces that come before it move to
             * another account or status, so they never merge into it */
            if (pieces_add_head(l->ctx, out, project, bs, bs + take - 1, be, epv__lq_col_i64(st, 2),
                                epv__lq_col_i64(st, 3), epv__lq_col_i64(st, 4), EPV_LEDGER_HELD)) {
                epv__lq_reset(st);
                return EPV_ENOMEM;
            }
            need -= take;
        }
        epv__lq_reset(st);
        if (need > 0)
            return epv__error(l->ctx, EPV_EBALANCE, "count: account '%s' holds only %lld of the %lld units asked",
                              acct, (long long)(count - need), (long long)count);
        *total = count;
        return EPV_OK;
    }
    if (s < 1 || e < s)
        return epv__error(l->ctx, EPV_ERANGE, "serial_start/serial_end: %lld..%lld is not a range (start > end or < 1)",
                          (long long)s, (long long)e);
    if (e - s + 1 > EPV__L_MAX_UNITS)
        return epv__error(l->ctx, EPV_ERANGE, "serial_end: range longer than 1e15");
    if (count != 0 && count != e - s + 1)
        return epv__error(l->ctx, EPV_ERANGE, "count: %lld differs from the range's %lld units",
                          (long long)count, (long long)(e - s + 1));
    int64_t next = s; /* first serial not yet seen covered */
    for (int pass = 0; pass < 2; pass++) {
        epv__lq *st = epv__lg_stmt(l, pass ? qin : qprev);
        if (!st) return epv_ctx_errcode(l->ctx);
        epv__lq_bind_text(st, 1, project);
        epv__lq_bind_i64(st, 2, s);
        if (pass) epv__lq_bind_i64(st, 3, e);
        while ((rc = epv__lq_step(st)) == EPV__LQ_ROW) {
            int64_t bs = epv__lq_col_i64(st, 0), be = epv__lq_col_i64(st, 1);
            if (be < next) continue; /* predecessor not reaching into the range */
            const char *ba = (const char *)epv__lq_col_text(st, 3);
            int bst = (int)epv__lq_col_i64(st, 4);
            const char *why = NULL;
            if (bs > next) why = "not issued";
            else if (bst == EPV_LEDGER_RETIRED) why = "already retired";
            else if (bst == EPV_LEDGER_CANCELLED) why = "cancelled";
            else if (bst == EPV_LEDGER_BUFFER) why = "buffer units";
            else if (strcmp(ba, acct)) why = "held by another account";
            else if (vintage && epv__lq_col_i64(st, 2) != vintage) why = "of another vintage";
            if (why) {
                int code = (bst == EPV_LEDGER_RETIRED || bst == EPV_LEDGER_CANCELLED || bst == EPV_LEDGER_BUFFER) &&
                                   bs <= next
                               ? EPV_ESTATE
                               : EPV_EBALANCE;
                if (bs > next) code = EPV_ENOTFOUND;
                epv__lq_reset(st);
                return epv__error(l->ctx, code, "serial_start: serial %lld of '%s' is %s", (long long)next,
                                  project, why);
            }
            next = be >= e ? e + 1 : be + 1;
            if (next > e) break;
        }
        epv__lq_reset(st);
        if (next > e) break;
    }
    if (next <= e)
        return epv__error(l->ctx, EPV_ENOTFOUND, "serial_end: serial %lld of '%s' was never issued",
                          (long long)next, project);
    if (pieces_add(l->ctx, out, project, s, e, 0)) return EPV_ENOMEM;
    *total = e - s + 1;
    return EPV_OK;
}

int epv__lg_apply_units(epv_ledger *l, const struct epv__lop *op, int64_t seq, int64_t res[EPV__L_NRES])
{
    static const char *const ins_ret =
        "INSERT INTO retirements(cert, account, beneficiary, reason, date, project, units)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)";
    const char *acct = op->s[0], *project, *to = NULL;
    int rc, pstatus, forestry;
    int64_t date = 0;
    if (op->kind == EPV__L_TRANSFER) {
        project = op->s[2];
        to = op->s[1];
        if ((rc = check_sender(l, acct, "from"))) return rc;
        if ((rc = epv__lg_check_id(l->ctx, to, "to"))) return rc;
        if (!strcmp(acct, to)) return epv__error(l->ctx, EPV_EINVAL, "to: transfer to self ('%s')", to);
        if ((rc = check_receiver(l, to, "to"))) return rc;
    } else if (op->kind == EPV__L_RETIRE) {
        project = op->s[3];
        if ((rc = check_sender(l, acct, "account"))) return rc;
        if ((rc = epv__lg_check_text(l->ctx, op->s[1], "beneficiary")) ||
            (rc = epv__lg_check_text(l->ctx, op->s[2], "reason")))
            return rc;
        epv_date lo = { 1900, 1, 1 }, hi = { 2200, 12, 31 };
        date = op->i[4];
        if (date < epv_date_to_days(lo) || date > epv_date_to_days(hi))
            return epv__error(l->ctx, EPV_ERANGE, "date: outside 1900..2200");
    } else {
        project = op->s[2];
        if ((rc = check_sender(l, acct, "account"))) return rc;
        if ((rc = epv__lg_check_text(l->ctx, op->s[1], "reason"))) return rc;
    }
    if ((rc = project_row(l, project, "project", &pstatus, &forestry))) return rc;
    struct pieces p = { NULL, 0, 0 };
    int64_t total = 0;
    rc = select_units(l, acct, project, op->i[0], op->i[1], op->i[2], op->i[3], &p, &total);
    for (size_t k = 0; k < p.n && !rc; k++) {
        if (op->kind == EPV__L_TRANSFER)
            rc = move_range(l, seq, &p.v[k], to, EPV_LEDGER_HELD, 0,
                            "transfer", acct);
        else if (op->kind == EPV__L_RETIRE)
            rc = move_range(l, seq, &p.v[k], acct, EPV_LEDGER_RETIRED,
                            seq, "retire", acct);
        else
            rc = move_range(l, seq, &p.v[k], acct,
                            EPV_LEDGER_CANCELLED, seq, "cancel", acct);
    }
    epv__free(l->ctx, p.v);
    if (rc) return rc;
    if (op->kind == EPV__L_RETIRE) {
        epv__lq *st = epv__lg_stmt(l, ins_ret);
        if (!st) return epv_ctx_errcode(l->ctx);
        epv__lq_bind_i64(st, 1, seq);
        epv__lq_bind_text(st, 2, acct);
        epv__lq_bind_text(st, 3, op->s[1]);
        epv__lq_bind_text(st, 4, op->s[2]);
        epv__lq_bind_i64(st, 5, date);
        epv__lq_bind_text(st, 6, project);
        epv__lq_bind_i64(st, 7, total);
        if ((rc = step_done(l, st, "writing certificate"))) return rc;
        res[0] = seq;
    }
    res[1] = total;
    return EPV_OK;
}

int epv__lg_apply_issue(epv_ledger *l, const struct epv__lop *op, int64_t seq, int64_t res[EPV__L_NRES])
{
    static const char *const qv =
        "SELECT v.project, v.verified, v.deduction, v.issued, v.vintage, p.status, p.owner,"
        " p.forestry, p.buffer_bp, p.next_serial FROM verifications v JOIN projects p ON p.id = v.project"
        " WHERE v.report = ?";
    static const char *const upd_v = "UPDATE verifications SET issued = issued + ? WHERE report = ?";
    static const char *const upd_p = "UPDATE projects SET next_serial = ? WHERE id = ?";
    static const char *const upd_t =
        "INSERT INTO totals(project, vintage, issued) VALUES (?, ?, ?)"
        " ON CONFLICT(project, vintage) DO UPDATE SET issued = totals.issued + excluded.issued";
    static const char *const ins_i =
        "INSERT INTO issuances(seq, report, project, vintage, start, \"end\", buffer) VALUES (?, ?, ?, ?, ?, ?, ?)";
    int rc = epv__lg_check_text(l->ctx, op->s[0], "report_id");
    if (rc) return rc;
    if (op->i[0] < 0 || op->i[0] > EPV__L_MAX_UNITS)
        return epv__error(l->ctx, EPV_ERANGE, "quantity_tco2e: %lld must be in 0..1e15 (0: all)",
                          (long long)op->i[0]);
    epv__lq *st = epv__lg_stmt(l, qv);
    if (!st) return epv_ctx_errcode(l->ctx);
    epv__lq_bind_text(st, 1, op->s[0]);
    rc = epv__lq_step(st);
    if (rc != EPV__LQ_ROW) {
        epv__lq_reset(st);
        if (rc == EPV__LQ_DONE) return epv__error(l->ctx, EPV_ENOTFOUND, "report_id: no verification '%s'", op->s[0]);
        return epv__lg_sqlerr(l, rc, "reading verification");
    }
    char project[EPV__L_MAX_ID + 1], owner[EPV__L_MAX_ID + 1];
    snprintf(project, sizeof project, "%s", (const char *)epv__lq_col_text(st, 0));
    int64_t verified = epv__lq_col_i64(st, 1), deduction = epv__lq_col_i64(st, 2);
    int64_t issued = epv__lq_col_i64(st, 3), vintage = epv__lq_col_i64(st, 4);
    int pstatus = (int)epv__lq_col_i64(st, 5);
    snprintf(owner, sizeof owner, "%s", (const char *)epv__lq_col_text(st, 6));
    int forestry = (int)epv__lq_col_i64(st, 7);
    int64_t bp = epv__lq_col_i64(st, 8), next = epv__lq_col_i64(st, 9);
    epv__lq_reset(st);
    if (pstatus != EPV_LEDGER_PROJECT_ACTIVE)
        return epv__error(l->ctx, EPV_ESTATE, "project: '%s' is not active; no issuance", project);
    if ((rc = check_receiver(l, owner, "owner_account"))) return rc;
    int64_t remaining = verified - deduction - issued;
    int64_t q = op->i[0] ? op->i[0] : remaining;
    if (q <= 0)
        return epv__error(l->ctx, EPV_ERANGE, "quantity_tco2e: nothing left to issue on '%s'", op->s[0]);
    if (q > remaining)
        return epv__error(l->ctx, EPV_ERANGE,
                          "quantity_tco2e: %lld exceeds verified - deductions - issued = %lld",
                          (long long)q, (long long)remaining);
    if (next > INT64_MAX - q) return epv__error(l->ctx, EPV_ERANGE, "quantity_tco2e: serials exhausted");
    if (bp < 0) bp = l->buffer_bp;
    /* Rounded up: the pool must never be short of what the rate asks. */
    int64_t b = forestry ? (q * bp + 9999) / 10000 : 0;
    int64_t s = next, e = next + q - 1;
    if (q - b > 0) {
        if ((rc = insert_block(l, project, s, e - b, vintage, seq, owner, EPV_LEDGER_HELD, 0)) ||
            (rc = event(l, seq, project, s, e - b, "issue", "", owner, EPV_LEDGER_HELD)))
            return rc;
    }
    if (b > 0) {
        if ((rc = insert_block(l, project, e - b + 1, e, vintage, seq, EPV_LEDGER_BUFFER_ACCOUNT,
                               EPV_LEDGER_BUFFER, 0)) ||
            (rc = event(l, seq, project, e - b + 1, e, "issue", "", EPV_LEDGER_BUFFER_ACCOUNT,
                        EPV_LEDGER_BUFFER)))
            return rc;
    }
    st = epv__lg_stmt(l, upd_v);
    if (!st) return epv_ctx_errcode(l->ctx);
    epv__lq_bind_i64(st, 1, q);
    epv__lq_bind_text(st, 2, op->s[0]);
    if ((rc = step_done(l, st, "updating verification"))) return rc;
    st = epv__lg_stmt(l, upd_p);
    if (!st) return epv_ctx_errcode(l->ctx);
    epv__lq_bind_i64(st, 1, e + 1);
    epv__lq_bind_text(st, 2, project);
    if ((rc = step_done(l, st, "advancing the serial sequence"))) return rc;
    st = epv__lg_stmt(l, upd_t);
    if (!st) return epv_ctx_errcode(l->ctx);
    epv__lq_bind_text(st, 1, project);
    epv__lq_bind_i64(st, 2, vintage);
    epv__lq_bind_i64(st, 3, q);
    if ((rc = step_done(l, st, "updating totals"))) return rc;
    st = epv__lg_stmt(l, ins_i);
    if (!st) return epv_ctx_errcode(l->ctx);
    epv__lq_bind_i64(st, 1, seq);
    epv__lq_bind_text(st, 2, op->s[0]);
    epv__lq_bind_text(st, 3, project);
    epv__lq_bind_i64(st, 4, vintage);
    epv__lq_bind_i64(st, 5, s);
    epv__lq_bind_i64(st, 6, e);
    epv__lq_bind_i64(st, 7, b);
    if ((rc = step_done(l, st, "recording issuance"))) return rc;
    res[0] = s;
    res[1] = e;
    res[2] = b;
    res[3] = vintage;
    return EPV_OK;
}

int epv__lg_apply_reverse(epv_ledger *l, const struct epv__lop *op, int64_t seq, int64_t res[EPV__L_NRES])
{
    /* (at most `need` blocks: see select_units) */
    static const char *const qown =
        "SELECT project, start, \"end\", vintage, issuance, cert FROM blocks INDEXED BY blocks_account WHERE account = '"
        EPV_LEDGER_BUFFER_ACCOUNT "' AND project = ? AND status = 1 ORDER BY start LIMIT ?";
    static const char *const qpool =
        "SELECT project, start, \"end\", vintage, issuance, cert FROM blocks WHERE account = '" EPV_LEDGER_BUFFER_ACCOUNT
        "' AND project <> ? AND status = 1 ORDER BY project, start LIMIT ?";
    int pstatus, forestry;
    int rc = project_row(l, op->s[0], "project", &pstatus, &forestry);
    if (rc) return rc;
    if (!forestry)
        return epv__error(l->ctx, EPV_ESTATE, "project: '%s' is not a forestry project (no buffer)", op->s[0]);
    if (op->i[0] <= 0 || op->i[0] > EPV__L_MAX_UNITS)
        return epv__error(l->ctx, EPV_ERANGE, "loss_tco2e: %lld must be in 1..1e15", (long long)op->i[0]);
    epv_date lo = { 1900, 1, 1 }, hi = { 2200, 12, 31 };
    if (op->i[1] < epv_date_to_days(lo) || op->i[1] > epv_date_to_days(hi))
        return epv__error(l->ctx, EPV_ERANGE, "date: outside 1900..2200");
    struct pieces p = { NULL, 0, 0 };
    int64_t need = op->i[0];
    for (int pass = 0; pass < 2 && need > 0; pass++) {
        epv__lq *st = epv__lg_stmt(l, pass ? qpool : qown);
        if (!st) {
            rc = epv_ctx_errcode(l->ctx);
            break;
        }
        epv__lq_bind_text(st, 1, op->s[0]);
        epv__lq_bind_i64(st, 2, need);
        while (need > 0 && (rc = epv__lq_step(st)) == EPV__LQ_ROW) {
            int64_t bs = epv__lq_col_i64(st, 1), be = epv__lq_col_i64(st, 2);
            int64_t take = be - bs + 1 < need ? be - bs + 1 : need;
            if (pieces_add_head(l->ctx, &p, (const char *)epv__lq_col_text(st, 0), bs, bs + take - 1, be,
                                epv__lq_col_i64(st, 3), epv__lq_col_i64(st, 4),
                                epv__lq_col_i64(st, 5), EPV_LEDGER_BUFFER)) {
                rc = EPV_ENOMEM;
                break;
            }
            need -= take;
        }
        epv__lq_reset(st);
        if (rc == EPV__LQ_ROW || rc == EPV__LQ_DONE) rc = EPV_OK;
        else if (rc > 0) rc = epv__lg_sqlerr(l, rc, "reading the buffer");
        if (rc) break;
    }
    for (size_t k = 0; k < p.n && !rc; k++)
        rc = move_range(l, seq, &p.v[k], EPV_LEDGER_BUFFER_ACCOUNT, EPV_LEDGER_CANCELLED, seq, "reverse",
                        EPV_LEDGER_BUFFER_ACCOUNT);
    epv__free(l->ctx, p.v);
    if (rc) return rc;
    res[0] = op->i[0] - need;
    res[1] = need;
    return EPV_OK;
}

/* ---- reversal obligations (issue 11 item 9) ------------------------------------------- */
/* A project's outstanding obligation lives in the derived table meta under the key
 * "obligation:<project>" (ival = units), created by the first reversal the buffer could not
 * cover; ledgers that never had one have no such row, so their state digest is unchanged. */

int epv__lg_obligation_get(epv_ledger *l, const char *project, int64_t *units)
{
    static const char *const q = "SELECT ival FROM meta WHERE key = 'obligation:' || ?";
    epv__lq *st = epv__lg_stmt(l, q);
    if (!st) return epv_ctx_errcode(l->ctx);
    epv__lq_bind_text(st, 1, project);
    int rc = epv__lq_step(st);
    *units = rc == EPV__LQ_ROW ? epv__lq_col_i64(st, 0) : 0;
    epv__lq_reset(st);
    return rc == EPV__LQ_ROW || rc == EPV__LQ_DONE ? EPV_OK : epv__lg_sqlerr(l, rc, "reading an obligation");
}

int epv__lg_obligation_add(epv_ledger *l, const char *project, int64_t delta)
{
    static const char *const up =
        "INSERT INTO meta(key, ival, tval) VALUES ('obligation:' || ?1, ?2, '')"
        " ON CONFLICT(key) DO UPDATE SET ival = meta.ival + excluded.ival";
    int64_t cur;
    int rc = epv__lg_obligation_get(l, project, &cur);
    if (rc) return rc;
    if (cur + delta < 0)
        return epv__error(l->ctx, EPV_ERANGE, "count: %lld units exceed the reversal obligation of project '%s' (%lld)",
                          (long long)-delta, project, (long long)cur);
    if (cur + delta > EPV__L_MAX_UNITS)
        return epv__error(l->ctx, EPV_ERANGE, "obligation of project '%s' would exceed 1e15 units", project);
    epv__lq *st = epv__lg_stmt(l, up);
    if (!st) return epv_ctx_errcode(l->ctx);
    epv__lq_bind_text(st, 1, project);
    epv__lq_bind_i64(st, 2, delta);
    return step_done(l, st, "recording an obligation");
}

/* Settle: the account's held units (selected as for a cancellation) are cancelled and the
 * obligated project's obligation goes down by their number; more than it owes is refused. */
int epv__lg_apply_settle(epv_ledger *l, const struct epv__lop *op, int64_t seq, int64_t res[EPV__L_NRES])
{
    int pstatus, forestry;
    int rc = project_row(l, op->s[1], "project", &pstatus, &forestry);
    if (rc) return rc;
    int64_t owed;
    if ((rc = epv__lg_obligation_get(l, op->s[1], &owed))) return rc;
    if (owed == 0)
        return epv__error(l->ctx, EPV_ESTATE, "project: '%s' has no reversal obligation", op->s[1]);
    if ((rc = epv__lg_check_settle(l->ctx, op, owed))) return rc;
    struct epv__lop c = *op;
    c.kind = EPV__L_CANCEL;
    c.s[0] = op->s[0];
    c.s[1] = "reversal compensation";
    c.s[2] = op->s[2];
    if ((rc = epv__lg_apply_units(l, &c, seq, res))) return rc;
    if ((rc = epv__lg_obligation_add(l, op->s[1], -res[1]))) return rc;
    res[0] = owed - res[1];
    return EPV_OK;
}
