/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Risk-scored buffer and reversal obligations (issue 11 item 9).
 *
 * A non-permanence risk assessment in the manner of Verra's VCS AFOLU Non-Permanence Risk
 * Tool: internal, external and natural risk factors, each with a score, summed per category
 * and then to the overall risk rating, which is the project's buffer percentage (never below
 * a minimum). Scores are carried as hundredths of a point (basis points of the buffer), so
 * a natural factor of 2.5 is 250 and everything stays an integer in the journal.
 *
 * Natural risk factors: the score LS of Table 10 (significance of the loss x how often it
 * happens) times the mitigation factor M (1, 0.5 or 0.25). A reversal that the buffer cannot
 * cover becomes the project's obligation, settled by cancelling held units. */
#include "config.h"

#include <string.h>

#include "ledger_verify_int.h"

EPV__DEFINE_INIT(epv_ledger_risk, EPV_LEDGER_RISK_VERSION, EPV_LEDGER_RISK_INIT)

/* VCS AFOLU Non-Permanence Risk Tool v4.2, Table 10 "Historic natural risk scores" (rows:
 * catastrophic >= 70 %, devastating 50-<70 %, major 25-<50 %, minor 5-<25 %, insignificant
 * < 5 % or transient, not applicable; columns: more than once every 10 years, every 10-<25,
 * 25-<50, 50-<100 years, once in 100 years or less). -1 = the project fails. */
static const int table10[6][5] = {
    { -1, 30, 20, 5, 4 }, { 30, 20, 5, 4, 3 }, { 20, 5, 4, 3, 2 },
    { 5, 4, 3, 2, 1 },    { 4, 3, 2, 1, 1 },   { 0, 0, 0, 0, 0 },
};

EPV_API int epv_ledger_npr_natural_factor(epv_ctx *ctx, int significance, int likelihood, int mitigation,
                                          int *score_bp)
{
    EPV__NEED(ctx, score_bp, "score_bp");
    if (significance < EPV_LEDGER_NPR_CATASTROPHIC || significance > EPV_LEDGER_NPR_NOT_APPLICABLE)
        return epv__error(ctx, EPV_EINVAL, "significance: %d is not an epv_ledger_npr_significance", significance);
    if (likelihood < EPV_LEDGER_NPR_MORE_THAN_EVERY_10Y || likelihood > EPV_LEDGER_NPR_EVERY_100Y_OR_LESS)
        return epv__error(ctx, EPV_EINVAL, "likelihood: %d is not an epv_ledger_npr_likelihood", likelihood);
    if (mitigation < EPV_LEDGER_NPR_MITIGATION_NONE || mitigation > EPV_LEDGER_NPR_MITIGATION_BOTH)
        return epv__error(ctx, EPV_EINVAL, "mitigation: %d is not an epv_ledger_npr_mitigation", mitigation);
    int ls = table10[significance][likelihood];
    if (ls < 0)
        return epv__error(ctx, EPV_ERANGE,
                          "natural risk: a catastrophic loss more often than once in 10 years fails the tool");
    static const int m_quarters[3] = { 4, 2, 1 }; /* M = 1, 0.5, 0.25 */
    *score_bp = ls * 25 * m_quarters[mitigation];
    return EPV_OK;
}

/* Sum a category's factors: each in -10000..10000 (natural: 0..10000); the total is floored at
 * 0 and must not exceed 10000. */
static int category(epv_ctx *ctx, const char *name, const int *v, size_t n, int natural, int64_t *out)
{
    if (n && !v) return epv__error(ctx, EPV_EINVAL, "%s: %zu factors but a NULL array", name, n);
    if (n > 1000) return epv__error(ctx, EPV_ERANGE, "%s: %zu factors (at most 1000)", name, n);
    int64_t s = 0;
    for (size_t k = 0; k < n; k++) {
        if (v[k] < (natural ? 0 : -10000) || v[k] > 10000)
            return epv__error(ctx, EPV_ERANGE, "%s[%zu]: %d is outside %s..10000", name, k, v[k],
                              natural ? "0" : "-10000");
        s += v[k];
    }
    if (s < 0) s = 0;
    if (s > 10000) return epv__error(ctx, EPV_ERANGE, "%s: the factors sum to %lld (above 10000)", name, (long long)s);
    *out = s;
    return EPV_OK;
}

EPV_API int epv_ledger_project_set_risk(epv_ledger *l, const char *request_id, const char *project,
                                        const epv_ledger_risk *r, int *buffer_bp_out)
{
    if (!l) return EPV_EINVAL;
    EPV__NEED(l->ctx, project, "project");
    EPV__NEED(l->ctx, r, "r");
    int rc = epv__check_version(l->ctx, "epv_ledger_risk", r, EPV_LEDGER_RISK_VERSION);
    if (rc) return rc;
    struct epv__lop op;
    memset(&op, 0, sizeof op);
    op.kind = EPV__L_PROJECT_RISK;
    op.req = request_id;
    op.s[0] = project;
    op.s[1] = r->tool;
    if (!r->tool) return epv__error(l->ctx, EPV_EINVAL, "tool: missing");
    if ((rc = category(l->ctx, "internal_bp", r->internal_bp, r->n_internal, 0, &op.i[0])) ||
        (rc = category(l->ctx, "external_bp", r->external_bp, r->n_external, 0, &op.i[1])) ||
        (rc = category(l->ctx, "natural_bp", r->natural_bp, r->n_natural, 1, &op.i[2])))
        return rc;
    op.i[3] = r->minimum_bp;
    if ((rc = epv__lg_check_date(l->ctx, r->date, "date", &op.i[4]))) return rc;
    int64_t res[EPV__L_NRES];
    epv_ctx_clear_error(l->ctx);
    if ((rc = epv__lg_run(l, &op, res))) return rc;
    if (buffer_bp_out) *buffer_bp_out = (int)res[0];
    return EPV_OK;
}

/* From the derived table meta, or in the live layout from the model brought to the head. */
static int obligation_snap(epv_ledger *l, const char *project, int64_t *units)
{
    if (!l->live) return epv__lg_obligation_get(l, project, units);
    int rc = epv__lg_live_sync(l);
    return rc ? rc : epv__lrp_obligation(l->live, project, units);
}

EPV_API int epv_ledger_obligation(epv_ledger *l, const char *project, epv_i64 *units_out)
{
    if (!l) return EPV_EINVAL;
    EPV__NEED(l->ctx, project, "project");
    EPV__NEED(l->ctx, units_out, "units_out");
    int rc = epv__lg_check_id(l->ctx, project, "project");
    if (rc) return rc;
    if ((rc = epv__lg_read_begin(l))) return rc;
    int64_t v = 0;
    rc = epv__lg_read_end(l, obligation_snap(l, project, &v));
    if (!rc) *units_out = v;
    return rc;
}

EPV_API int epv_ledger_obligation_settle(epv_ledger *l, const char *request_id, const char *account,
                                         const char *project, const epv_ledger_units *u,
                                         epv_i64 *remaining_out)
{
    if (!l) return EPV_EINVAL;
    EPV__NEED(l->ctx, account, "account");
    EPV__NEED(l->ctx, project, "project");
    EPV__NEED(l->ctx, u, "u");
    int rc = epv__check_version(l->ctx, "epv_ledger_units", u, EPV_LEDGER_UNITS_VERSION);
    if (rc) return rc;
    EPV__NEED(l->ctx, u->project, "u->project");
    struct epv__lop op;
    memset(&op, 0, sizeof op);
    op.kind = EPV__L_SETTLE;
    op.req = request_id;
    op.s[0] = account;
    op.s[1] = project;
    op.s[2] = u->project;
    op.i[0] = u->vintage;
    op.i[1] = u->count;
    op.i[2] = u->serial_start;
    op.i[3] = u->serial_end;
    int64_t res[EPV__L_NRES];
    epv_ctx_clear_error(l->ctx);
    if ((rc = epv__lg_run(l, &op, res))) return rc;
    if (remaining_out) *remaining_out = res[0];
    return EPV_OK;
}
