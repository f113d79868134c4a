/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Public operations: each builds the operation's canonical shape and runs it atomically
 * (epv__lg_run). Argument checks that need no stored state happen here as well as in the
 * apply step, so a replayed journal is held to the same rules as a live call. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "ledger_int.h"

#define NEED(l)                                                                                    \
    do {                                                                                           \
        if (!(l)) return EPV_EINVAL;                                                               \
    } while (0)

static struct epv__lop mk(int kind, const char *req)
{
    struct epv__lop op;
    memset(&op, 0, sizeof op);
    op.kind = kind;
    op.req = req;
    return op;
}

static int run(epv_ledger *l, struct epv__lop *op, int64_t res[EPV__L_NRES])
{
    int64_t tmp[EPV__L_NRES];
    epv_ctx_clear_error(l->ctx);
    return epv__lg_run(l, op, res ? res : tmp);
}

EPV_API int epv_ledger_account_open(epv_ledger *l, const char *request_id, const char *account,
                                    const char *entity)
{
    NEED(l);
    struct epv__lop op = mk(EPV__L_ACCOUNT_OPEN, request_id);
    op.s[0] = account;
    op.s[1] = entity;
    if (!account) return epv__error(l->ctx, EPV_EINVAL, "account: missing");
    if (!entity) return epv__error(l->ctx, EPV_EINVAL, "entity: missing");
    return run(l, &op, NULL);
}

EPV_API int epv_ledger_account_set_status(epv_ledger *l, const char *request_id,
                                          const char *account, int status)
{
    NEED(l);
    if (!account) return epv__error(l->ctx, EPV_EINVAL, "account: missing");
    struct epv__lop op = mk(EPV__L_ACCOUNT_STATUS, request_id);
    op.s[0] = account;
    op.i[0] = status;
    return run(l, &op, NULL);
}

EPV_API int epv_ledger_project_register(epv_ledger *l, const char *request_id,
                                        const epv_ledger_project *p)
{
    NEED(l);
    if (p) {
        int vrc = epv__check_version(l->ctx, "epv_ledger_project", p, EPV_LEDGER_PROJECT_VERSION);
        if (vrc) return vrc;
    }
    if (!p) return epv__error(l->ctx, EPV_EINVAL, "project: NULL");
    struct epv__lop op = mk(EPV__L_PROJECT_REGISTER, request_id);
    int rc;
    if (!p->id) return epv__error(l->ctx, EPV_EINVAL, "project: id missing");
    if (!p->name) return epv__error(l->ctx, EPV_EINVAL, "name: missing");
    if (!p->methodology) return epv__error(l->ctx, EPV_EINVAL, "methodology: missing");
    if (!p->owner_account) return epv__error(l->ctx, EPV_EINVAL, "owner_account: missing");
    op.s[0] = p->id;
    op.s[1] = p->name;
    op.s[2] = p->methodology;
    op.s[3] = p->owner_account;
    if ((rc = epv__lg_check_date(l->ctx, p->crediting_start, "crediting_start", &op.i[0])) ||
        (rc = epv__lg_check_date(l->ctx, p->crediting_end, "crediting_end", &op.i[1])))
        return rc;
    op.i[2] = p->forestry;
    op.i[3] = p->buffer_bp;
    return run(l, &op, NULL);
}

EPV_API int epv_ledger_project_set_status(epv_ledger *l, const char *request_id,
                                          const char *project, int status)
{
    NEED(l);
    if (!project) return epv__error(l->ctx, EPV_EINVAL, "project: missing");
    struct epv__lop op = mk(EPV__L_PROJECT_STATUS, request_id);
    op.s[0] = project;
    op.i[0] = status;
    return run(l, &op, NULL);
}

EPV_API int epv_ledger_period_add(epv_ledger *l, const char *request_id, const char *project,
                                  epv_date start, epv_date end, int *number_out)
{
    NEED(l);
    if (!project) return epv__error(l->ctx, EPV_EINVAL, "project: missing");
    struct epv__lop op = mk(EPV__L_PERIOD_ADD, request_id);
    int64_t res[EPV__L_NRES];
    int rc;
    op.s[0] = project;
    if ((rc = epv__lg_check_date(l->ctx, start, "start", &op.i[0])) ||
        (rc = epv__lg_check_date(l->ctx, end, "end", &op.i[1])))
        return rc;
    rc = run(l, &op, res);
    if (!rc && number_out) *number_out = (int)res[0];
    return rc;
}

EPV_API int epv_ledger_verification_add(epv_ledger *l, const char *request_id,
                                        const epv_ledger_verification *v)
{
    NEED(l);
    if (v) {
        int vrc = epv__check_version(l->ctx, "epv_ledger_verification", v, EPV_LEDGER_VERIFICATION_VERSION);
        if (vrc) return vrc;
    }
    if (!v) return epv__error(l->ctx, EPV_EINVAL, "verification: NULL");
    if (!v->project) return epv__error(l->ctx, EPV_EINVAL, "project: missing");
    if (!v->report_id) return epv__error(l->ctx, EPV_EINVAL, "report_id: missing");
    if (!v->verifier) return epv__error(l->ctx, EPV_EINVAL, "verifier: missing");
    struct epv__lop op = mk(EPV__L_VERIFY, request_id);
    op.s[0] = v->project;
    op.s[1] = v->report_id;
    op.s[2] = v->verifier;
    op.i[0] = v->period;
    op.i[1] = v->verified_tco2e;
    op.i[2] = v->deduction_tco2e;
    int rc = epv__lg_check_date(l->ctx, v->applied, "applied", &op.i[3]);
    if (rc) return rc;
    return run(l, &op, NULL);
}

EPV_API int epv_ledger_issue(epv_ledger *l, const char *request_id, const char *report_id,
                             epv_i64 quantity_tco2e, epv_ledger_issuance *out)
{
    NEED(l);
    if (out) {
        int vrc = epv__check_version(l->ctx, "epv_ledger_issuance", out, EPV_LEDGER_ISSUANCE_VERSION);
        if (vrc) return vrc;
    }
    if (!report_id) return epv__error(l->ctx, EPV_EINVAL, "report_id: missing");
    struct epv__lop op = mk(EPV__L_ISSUE, request_id);
    int64_t res[EPV__L_NRES];
    op.s[0] = report_id;
    op.i[0] = quantity_tco2e;
    int rc = run(l, &op, res);
    if (!rc && out) {
        out->serial_start = res[0];
        out->serial_end = res[1];
        out->buffer_units = res[2];
        out->holder_units = res[1] - res[0] + 1 - res[2];
        out->vintage = (int)res[3];
    }
    return rc;
}

EPV_API int epv_ledger_tonnes_floor(epv_ctx *ctx, double tco2e, epv_i64 *out)
{
    if (!out) return epv__error(ctx, EPV_EINVAL, "out: NULL");
    if (!isfinite(tco2e)) return epv__error(ctx, EPV_ERANGE, "tco2e: not a finite number");
    if (tco2e < 0) return epv__error(ctx, EPV_ERANGE, "tco2e: %g is negative", tco2e);
    if (tco2e > 9007199254740992.0) return epv__error(ctx, EPV_ERANGE, "tco2e: %g exceeds 2^53", tco2e);
    *out = (epv_i64)floor(tco2e);
    return EPV_OK;
}

EPV_API int epv_ledger_issue_from_removals(epv_ledger *l, const char *request_id,
                                           const char *project, int period,
                                           const char *report_id, const char *verifier,
                                           double net_removals_tco2e, double deduction_tco2e,
                                           epv_date applied, epv_ledger_issuance *out)
{
    NEED(l);
    if (out) {
        int vrc = epv__check_version(l->ctx, "epv_ledger_issuance", out, EPV_LEDGER_ISSUANCE_VERSION);
        if (vrc) return vrc;
    }
    epv_i64 verified, deduction;
    int rc = epv__lg_check_req(l->ctx, request_id);
    if (rc) return rc;
    if (strlen(request_id) > EPV__L_MAX_REQ - 7)
        return epv__error(l->ctx, EPV_EINVAL, "request_id: too long to derive sub-requests");
    if ((rc = epv_ledger_tonnes_floor(l->ctx, net_removals_tco2e, &verified))) {
        epv__error_prefix(l->ctx, "net_removals_tco2e");
        return rc;
    }
    if ((rc = epv_ledger_tonnes_floor(l->ctx, deduction_tco2e, &deduction))) {
        epv__error_prefix(l->ctx, "deduction_tco2e");
        return rc;
    }
    if (verified < 1)
        return epv__error(l->ctx, EPV_ERANGE, "net_removals_tco2e: %g is less than one whole tonne",
                          net_removals_tco2e);
    /* Deductions are taken in whole tonnes rounded up, so the credited amount never
     * exceeds removals minus deductions. */
    if ((double)deduction < deduction_tco2e) deduction++;
    if (deduction > verified)
        return epv__error(l->ctx, EPV_ERANGE, "deduction_tco2e: exceeds the removals");
    char r1[EPV__L_MAX_REQ + 1], r2[EPV__L_MAX_REQ + 1];
    snprintf(r1, sizeof r1, "%s/verify", request_id);
    snprintf(r2, sizeof r2, "%s/issue", request_id);
    epv_ledger_verification v = { EPV_LEDGER_VERIFICATION_VERSION, project, period, report_id, verifier, verified, deduction, applied };
    /* Both operations or neither: a batch of their own, or a savepoint inside the caller's. */
    int own_batch = !l->in_batch && !l->st.readonly;
    int nested = l->in_batch;
    if (own_batch && (rc = epv_ledger_batch_begin(l))) return rc;
    if (nested && (rc = epv__lg_exec(l, "SAVEPOINT pair"))) return rc;
    int64_t saved_seq = l->head_seq;
    unsigned char saved_hash[32];
    memcpy(saved_hash, l->head_hash, 32);
    rc = epv_ledger_verification_add(l, r1, &v);
    if (!rc) rc = epv_ledger_issue(l, r2, report_id, 0, out);
    if (rc) {
        char msg[EPV_ERRMSG_MAX];
        snprintf(msg, sizeof msg, "%s", epv_ctx_errmsg(l->ctx));
        if (own_batch) epv_ledger_batch_rollback(l);
        /* (an operation that failed after writing has rolled the whole batch back already) */
        if (nested && l->in_batch) {
            epv__ls_exec_quiet(&l->st, "ROLLBACK TO pair; RELEASE pair");
            epv__lg_cache_clear(l);
            /* the head row may lag inside a batch: restore the head from memory instead */
            l->head_seq = saved_seq;
            memcpy(l->head_hash, saved_hash, 32);
            l->head_dirty = 1;
            epv__lg_live_rewind(l, saved_seq);
        }
        epv__error(l->ctx, rc, "%s", msg);
    } else if (own_batch) {
        rc = epv_ledger_batch_commit(l);
    } else if (nested) {
        rc = epv__lg_exec(l, "RELEASE pair");
    }
    return rc;
}

static int units_op(epv_ledger *l, struct epv__lop *op, const epv_ledger_units *u, int sidx,
                    int iidx)
{
    if (!u) return epv__error(l->ctx, EPV_EINVAL, "units: NULL");
    int rc = epv__check_version(l->ctx, "epv_ledger_units", u, EPV_LEDGER_UNITS_VERSION);
    if (rc) return rc;
    if (!u->project) return epv__error(l->ctx, EPV_EINVAL, "project: missing");
    op->s[sidx] = u->project;
    op->i[iidx] = u->vintage;
    op->i[iidx + 1] = u->count;
    op->i[iidx + 2] = u->serial_start;
    op->i[iidx + 3] = u->serial_end;
    return EPV_OK;
}

EPV_API int epv_ledger_transfer(epv_ledger *l, const char *request_id, const char *from,
                                const char *to, const epv_ledger_units *u)
{
    NEED(l);
    if (!from) return epv__error(l->ctx, EPV_EINVAL, "from: missing");
    if (!to) return epv__error(l->ctx, EPV_EINVAL, "to: missing");
    struct epv__lop op = mk(EPV__L_TRANSFER, request_id);
    op.s[0] = from;
    op.s[1] = to;
    int rc = units_op(l, &op, u, 2, 0);
    return rc ? rc : run(l, &op, NULL);
}

EPV_API int epv_ledger_retire(epv_ledger *l, const char *request_id, const char *account,
                              const epv_ledger_units *u, const char *beneficiary,
                              const char *reason, epv_date date, epv_i64 *certificate_out)
{
    NEED(l);
    if (!account) return epv__error(l->ctx, EPV_EINVAL, "account: missing");
    if (!beneficiary) return epv__error(l->ctx, EPV_EINVAL, "beneficiary: missing");
    if (!reason) return epv__error(l->ctx, EPV_EINVAL, "reason: missing");
    struct epv__lop op = mk(EPV__L_RETIRE, request_id);
    int64_t res[EPV__L_NRES];
    op.s[0] = account;
    op.s[1] = beneficiary;
    op.s[2] = reason;
    int rc = units_op(l, &op, u, 3, 0);
    if (!rc) rc = epv__lg_check_date(l->ctx, date, "date", &op.i[4]);
    if (!rc) rc = run(l, &op, res);
    if (!rc && certificate_out) *certificate_out = res[0];
    return rc;
}

EPV_API int epv_ledger_cancel(epv_ledger *l, const char *request_id, const char *account,
                              const epv_ledger_units *u, const char *reason)
{
    NEED(l);
    if (!account) return epv__error(l->ctx, EPV_EINVAL, "account: missing");
    if (!reason) return epv__error(l->ctx, EPV_EINVAL, "reason: missing");
    struct epv__lop op = mk(EPV__L_CANCEL, request_id);
    op.s[0] = account;
    op.s[1] = reason;
    int rc = units_op(l, &op, u, 2, 0);
    return rc ? rc : run(l, &op, NULL);
}

EPV_API int epv_ledger_reverse(epv_ledger *l, const char *request_id, const char *project,
                               epv_i64 loss_tco2e, epv_date date, epv_i64 *cancelled_out,
                               epv_i64 *shortfall_out)
{
    NEED(l);
    if (!project) return epv__error(l->ctx, EPV_EINVAL, "project: missing");
    struct epv__lop op = mk(EPV__L_REVERSAL, request_id);
    int64_t res[EPV__L_NRES];
    op.s[0] = project;
    op.i[0] = loss_tco2e;
    int rc = epv__lg_check_date(l->ctx, date, "date", &op.i[1]);
    if (!rc) rc = run(l, &op, res);
    if (!rc) {
        if (cancelled_out) *cancelled_out = res[0];
        if (shortfall_out) *shortfall_out = res[1];
    }
    return rc;
}

EPV__DEFINE_INIT(epv_ledger_project, EPV_LEDGER_PROJECT_VERSION, EPV_LEDGER_PROJECT_INIT)
EPV__DEFINE_INIT(epv_ledger_verification, EPV_LEDGER_VERIFICATION_VERSION, EPV_LEDGER_VERIFICATION_INIT)
EPV__DEFINE_INIT(epv_ledger_issuance, EPV_LEDGER_ISSUANCE_VERSION, EPV_LEDGER_ISSUANCE_INIT)
EPV__DEFINE_INIT(epv_ledger_units, EPV_LEDGER_UNITS_VERSION, EPV_LEDGER_UNITS_INIT)
EPV__DEFINE_INIT(epv_ledger_totals, EPV_LEDGER_TOTALS_VERSION, EPV_LEDGER_TOTALS_INIT)
EPV__DEFINE_INIT(epv_ledger_block, EPV_LEDGER_BLOCK_VERSION, EPV_LEDGER_BLOCK_INIT)
EPV__DEFINE_INIT(epv_ledger_event, EPV_LEDGER_EVENT_VERSION, EPV_LEDGER_EVENT_INIT)
EPV__DEFINE_INIT(epv_ledger_certificate, EPV_LEDGER_CERTIFICATE_VERSION, EPV_LEDGER_CERTIFICATE_INIT)
EPV__DEFINE_INIT(epv_ledger_serial, EPV_LEDGER_SERIAL_VERSION, EPV_LEDGER_SERIAL_INIT)
