/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Export of unit blocks in the field set of the Climate Action Data Trust (CADT) units model
 * (Chia-Network/cadt, src/models/units/units.modeltypes.cjs; picklist values of unitStatus,
 * unitType and the corresponding adjustment from CADT's governance picklist), as CSV through
 * the library's text writer and as JSON. One read snapshot; progress every 1,024 blocks. The rows
 * come from the derived tables, or in the live layout from the in-memory model. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "ledger_verify_int.h"
#include "textout_int.h"

EPV__DEFINE_INIT(epv_ledger_cadt_options, EPV_LEDGER_CADT_OPTIONS_VERSION, EPV_LEDGER_CADT_OPTIONS_INIT)

enum { C_PROJECT, C_ISSUANCE, C_OWNER, C_COUNTRY, C_SERIAL, C_PATTERN, C_START, C_END, C_COUNT,
       C_VINTAGE, C_TYPE, C_STATUS, C_REASON, C_BENEFICIARY, C_LINK, C_CA_DECL, C_CA_STATUS, C_N };
static const char *const cadt_names[C_N] = {
    "projectId", "issuanceId", "unitOwner", "countryJurisdictionOfOwner", "serialNumberBlock",
    "serialNumberPattern", "unitBlockStart", "unitBlockEnd", "unitCount", "vintageYear", "unitType",
    "unitStatus", "unitStatusReason", "retirementBeneficiary", "unitRegistryLink",
    "correspondingAdjustmentDeclaration", "correspondingAdjustmentStatus"
};
/* Columns written as numbers in JSON. */
static int cadt_numeric(int c)
{
    return c == C_ISSUANCE || c == C_START || c == C_END || c == C_COUNT || c == C_VINTAGE;
}
static const char *const cadt_status[4] = { "Held", "Buffer", "Retired", "Cancelled" };

static void json_string(FILE *f, const char *s)
{
    fputc('"', f);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\') fprintf(f, "\\%c", *p);
        else if (*p < 0x20) fprintf(f, "\\u%04x", *p);
        else fputc(*p, f);
    }
    fputc('"', f);
}

/* The reason of a cancellation entry (cancel: its reason; reverse: "reversal"). */
static int cancel_reason(epv_ledger *l, epv__lq *st, int64_t seq, char *buf, size_t cap)
{
    buf[0] = 0;
    epv__lq_reset(st);
    epv__lq_bind_i64(st, 1, seq);
    int rc = epv__lq_step(st);
    if (rc == EPV__LQ_DONE) return EPV_OK;
    if (rc != EPV__LQ_ROW) return epv__lg_sqlerr(l, rc, "cadt export: journal");
    struct epv__lop op;
    char *arena = NULL;
    rc = epv__lg_decode(l->ctx, epv__lq_col_blob(st, 0), (size_t)epv__lq_col_bytes(st, 0), &op, &arena);
    if (rc) return rc;
    if (op.kind == EPV__L_CANCEL) snprintf(buf, cap, "%s", op.s[1] ? op.s[1] : "");
    else if (op.kind == EPV__L_REVERSE || op.kind == EPV__L_REVERSAL) snprintf(buf, cap, "reversal");
    else if (op.kind == EPV__L_SETTLE) snprintf(buf, cap, "reversal compensation");
    epv__free(l->ctx, arena);
    return EPV_OK;
}

/* One export in progress. */
struct cadt_w {
    epv_ledger *l;
    const epv_ledger_cadt_options *o;
    FILE *f;
    int json;
    const char *pattern; /* the serials' regular expression */
    epv__lq *jr;         /* a journal entry's body: a cancellation's reason */
    int64_t k, total;    /* rows written, rows to write (progress) */
};

static int cadt_begin(struct cadt_w *w)
{
    int rc = epv__progress(w->l->ctx, 0.0, "cadt export");
    if (rc) return rc;
    if (w->json) {
        fputs("[", w->f);
    } else {
        for (int c = 0; c < C_N; c++) {
            if (c) fputc(',', w->f);
            epv__out_csv_field(w->f, cadt_names[c]);
        }
        fputs("\n", w->f);
    }
    return EPV_OK;
}

static void cadt_put(struct cadt_w *w, const char *const v[C_N])
{
    FILE *f = w->f;
    if (w->json) {
        fputs(w->k ? ",\n {" : "\n {", f);
        for (int c = 0; c < C_N; c++) {
            if (c) fputs(", ", f);
            json_string(f, cadt_names[c]);
            fputs(": ", f);
            if (cadt_numeric(c)) fputs(v[c], f);
            else json_string(f, v[c]);
        }
        fputc('}', f);
    } else {
        for (int c = 0; c < C_N; c++) {
            if (c) fputc(',', f);
            epv__out_csv_field(f, v[c]);
        }
        fputs("\n", f);
    }
}

/* One block with its joined columns: the holder's entity, the project's forestry flag, and for
 * retired units the certificate's beneficiary and reason ("" otherwise). */
static int cadt_row(struct cadt_w *w, const epv_ledger_block *b, const char *owner, int forestry,
                    const char *beneficiary, const char *ret_reason)
{
    epv_ctx *ctx = w->l->ctx;
    const epv_ledger_cadt_options *o = w->o;
    char serial[512], link[1200], num[5][32], reason[EPV__L_MAX_TEXT + 16];
    int rc;
    if (b->status < 0 || b->status > 3)
        return epv__error(ctx, EPV_ECORRUPT, "cadt export: block %s/%lld has status %d", b->project,
                          (long long)b->serial_start, b->status);
    if ((rc = epv_ledger_block_serial(w->l, b, serial, sizeof serial))) return rc;
    snprintf(reason, sizeof reason, "%s", ret_reason);
    if (b->status == EPV_LEDGER_CANCELLED && b->certificate > 0 &&
        (rc = cancel_reason(w->l, w->jr, b->certificate, reason, sizeof reason)))
        return rc;
    snprintf(link, sizeof link, "%s%s", o->registry_link, o->registry_link[0] ? serial : "");
    snprintf(num[0], sizeof num[0], "%lld", (long long)b->issuance);
    snprintf(num[1], sizeof num[1], "%lld", (long long)b->serial_start);
    snprintf(num[2], sizeof num[2], "%lld", (long long)b->serial_end);
    snprintf(num[3], sizeof num[3], "%lld", (long long)b->count);
    snprintf(num[4], sizeof num[4], "%d", b->vintage);
    const char *v[C_N];
    v[C_PROJECT] = b->project;
    v[C_ISSUANCE] = num[0];
    v[C_OWNER] = owner;
    v[C_COUNTRY] = o->country_jurisdiction;
    v[C_SERIAL] = serial;
    v[C_PATTERN] = w->pattern;
    v[C_START] = num[1];
    v[C_END] = num[2];
    v[C_COUNT] = num[3];
    v[C_VINTAGE] = num[4];
    v[C_TYPE] = forestry ? "Removal - nature" : "Not Determined";
    v[C_STATUS] = cadt_status[b->status];
    v[C_REASON] = reason;
    v[C_BENEFICIARY] = beneficiary;
    v[C_LINK] = link;
    v[C_CA_DECL] = o->ca_declaration;
    v[C_CA_STATUS] = o->ca_status;
    cadt_put(w, v);
    w->k++;
    if (w->k % 1024 == 0)
        return epv__progress(ctx, w->total ? (double)w->k / (double)w->total : 1.0, "cadt export");
    return EPV_OK;
}

static int cadt_end(struct cadt_w *w)
{
    if (w->json) fputs(w->k ? "\n]\n" : "]\n", w->f);
    return epv__progress(w->l->ctx, 1.0, "cadt export");
}

/* The rows from the derived tables. */
static int cadt_rows_sql(struct cadt_w *w)
{
    epv_ledger *l = w->l;
    epv__lq *cnt = NULL, *st = NULL;
    int rc = epv__lq_prepare(&l->st, "SELECT COUNT(*) FROM blocks WHERE ?1 IS NULL OR project = ?1", &cnt);
    if (rc == EPV__LQ_OK)
        rc = epv__lq_prepare(&l->st, "SELECT b.project, b.start, b.\"end\", b.vintage, b.issuance, b.account, b.status, b.cert,"
                                " COALESCE(a.entity, ''), COALESCE(p.forestry, 0), COALESCE(r.beneficiary, ''),"
                                " COALESCE(r.reason, '') FROM blocks b LEFT JOIN projects p ON p.id = b.project"
                                " LEFT JOIN accounts a ON a.id = b.account"
                                " LEFT JOIN retirements r ON r.cert = b.cert AND b.status = 2"
                                " WHERE ?1 IS NULL OR b.project = ?1 ORDER BY b.project, b.start", &st);
    if (rc != EPV__LQ_OK) {
        rc = epv__lg_sqlerr(l, rc, "cadt export");
        goto done;
    }
    if (w->o->project) {
        epv__lq_bind_text_copy(cnt, 1, w->o->project);
        epv__lq_bind_text_copy(st, 1, w->o->project);
    }
    if ((rc = epv__lq_step(cnt)) != EPV__LQ_ROW) {
        rc = epv__lg_sqlerr(l, rc, "cadt export: count");
        goto done;
    }
    w->total = epv__lq_col_i64(cnt, 0);
    if ((rc = cadt_begin(w))) goto done;
    while ((rc = epv__lq_step(st)) == EPV__LQ_ROW) {
        epv_ledger_block b = EPV_LEDGER_BLOCK_INIT;
        b.project = (const char *)epv__lq_col_text(st, 0);
        b.serial_start = epv__lq_col_i64(st, 1);
        b.serial_end = epv__lq_col_i64(st, 2);
        b.count = b.serial_end - b.serial_start + 1;
        b.vintage = (int)epv__lq_col_i64(st, 3);
        b.issuance = epv__lq_col_i64(st, 4);
        b.account = (const char *)epv__lq_col_text(st, 5);
        b.status = (int)epv__lq_col_i64(st, 6);
        b.certificate = epv__lq_col_i64(st, 7);
        if ((rc = cadt_row(w, &b, (const char *)epv__lq_col_text(st, 8), (int)epv__lq_col_i64(st, 9),
                           (const char *)epv__lq_col_text(st, 10), (const char *)epv__lq_col_text(st, 11))))
            goto done;
    }
    rc = rc == EPV__LQ_DONE ? cadt_end(w) : epv__lg_sqlerr(l, rc, "cadt export");
done:
    epv__lq_finalize(cnt);
    epv__lq_finalize(st);
    return rc;
}

static int cadt_live_row(const struct epv__lrp_cadt_row *row, void *payload)
{
    return cadt_row(payload, &row->b, row->entity, row->forestry, row->beneficiary, row->reason);
}

/* The rows from the live layout's model, brought to the head inside the export's snapshot. */
static int cadt_rows_live(struct cadt_w *w)
{
    int rc = epv__lg_live_sync(w->l);
    if (!rc) rc = epv__lrp_cadt_count(w->l->live, w->o->project, &w->total);
    if (!rc) rc = cadt_begin(w);
    if (!rc) rc = epv__lrp_cadt_rows(w->l->live, w->o->project, cadt_live_row, w);
    return rc ? rc : cadt_end(w);
}

static int cadt_write(epv_ledger *l, const epv_ledger_cadt_options *o, FILE *f, int json)
{
    char pattern[1024];
    int rc = epv__lg_serial_regex(l->ctx, l->serial_format, pattern, sizeof pattern);
    if (rc) return rc;
    struct cadt_w w = { l, o, f, json, pattern, NULL, 0, 0 };
    rc = epv__lq_prepare(&l->st, "SELECT body FROM journal WHERE seq = ?1", &w.jr);
    if (rc != EPV__LQ_OK) return epv__lg_sqlerr(l, rc, "cadt export");
    rc = l->live ? cadt_rows_live(&w) : cadt_rows_sql(&w);
    epv__lq_finalize(w.jr);
    return rc;
}

static int cadt_export(epv_ledger *l, const epv_ledger_cadt_options *opts, const char *path, int json)
{
    epv_ledger_cadt_options o = EPV_LEDGER_CADT_OPTIONS_INIT;
    int rc;
    if (opts) {
        if ((rc = epv__check_version(l->ctx, "epv_ledger_cadt_options", opts, EPV_LEDGER_CADT_OPTIONS_VERSION)))
            return rc;
        o = *opts;
    }
    const char *const *texts[4] = { &o.country_jurisdiction, &o.registry_link, &o.ca_declaration, &o.ca_status };
    static const char *const tnames[4] = { "country_jurisdiction", "registry_link", "ca_declaration", "ca_status" };
    for (int k = 0; k < 4; k++) {
        if (!*texts[k]) return epv__error(l->ctx, EPV_EINVAL, "cadt options: %s is NULL", tnames[k]);
        for (const unsigned char *p = (const unsigned char *)*texts[k]; *p; p++)
            if (*p < 0x20 || *p == 0x7f)
                return epv__error(l->ctx, EPV_EINVAL, "cadt options: %s holds a control character", tnames[k]);
    }
    if (o.project && (rc = epv__lg_check_id(l->ctx, o.project, "project"))) return rc;
    epv__out out;
    if ((rc = epv__out_open(l->ctx, path, &out))) return rc;
    if (!json) epv__out_csv_start(l->ctx, &out);
    rc = epv__lg_read_begin(l);
    if (!rc) rc = epv__lg_read_end(l, cadt_write(l, &o, out.f, json));
    return epv__out_close(l->ctx, &out, rc);
}

EPV_API int epv_ledger_export_cadt_csv(epv_ledger *l, const epv_ledger_cadt_options *opts,
                                       const char *csv_path)
{
    if (!l) return EPV_EINVAL;
    EPV__NEED(l->ctx, csv_path, "csv_path");
    return cadt_export(l, opts, csv_path, 0);
}

EPV_API int epv_ledger_export_cadt_json(epv_ledger *l, const epv_ledger_cadt_options *opts,
                                        const char *json_path)
{
    if (!l) return EPV_EINVAL;
    EPV__NEED(l->ctx, json_path, "json_path");
    return cadt_export(l, opts, json_path, 1);
}
