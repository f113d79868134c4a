/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Bulk results: blocks and a serial's history as column arrays (doc/architecture.md "Bulk
 * access"), gathered through the visiting queries, so they read one snapshot. */
#include "config.h"

#include <string.h>

#include "ledger_int.h"

#define TBL_MAXI 7
#define TBL_MAXS 3

struct epv_ledger_table {
    epv_ctx *ctx;
    int kind; /* 1 blocks, 2 history */
    int nomem; /* a row could not be added */
    int ni, ns;
    size_t n, cap;
    epv_i64 *icol[TBL_MAXI];
    char **scol[TBL_MAXS];
};

static struct epv_ledger_table *tbl_new(epv_ctx *ctx, int kind, int ni, int ns)
{
    struct epv_ledger_table *t = epv__calloc(ctx, 1, sizeof *t);
    if (!t) return NULL;
    t->ctx = ctx;
    t->kind = kind;
    t->ni = ni;
    t->ns = ns;
    return t;
}

EPV_API void epv_ledger_table_free(epv_ledger_table *t)
{
    if (!t) return;
    for (int c = 0; c < t->ni; c++) epv__free(t->ctx, t->icol[c]);
    for (int c = 0; c < t->ns; c++) {
        for (size_t r = 0; t->scol[c] && r < t->n; r++) epv__free(t->ctx, t->scol[c][r]);
        epv__free(t->ctx, t->scol[c]);
    }
    epv__free(t->ctx, t);
}

/* Append a row; strings are copied. */
static int tbl_add(struct epv_ledger_table *t, const epv_i64 *iv, const char *const *sv)
{
    if (t->n == t->cap) {
        size_t ncap = t->cap ? 2 * t->cap : 64;
        for (int c = 0; c < t->ni; c++) {
            size_t cap = t->cap;
            if (epv__grow(t->ctx, (void **)&t->icol[c], &cap, ncap, sizeof(epv_i64))) return EPV_ENOMEM;
        }
        for (int c = 0; c < t->ns; c++) {
            size_t cap = t->cap;
            if (epv__grow(t->ctx, (void **)&t->scol[c], &cap, ncap, sizeof(char *))) return EPV_ENOMEM;
        }
        t->cap = ncap;
    }
    for (int c = 0; c < t->ns; c++) t->scol[c][t->n] = NULL;
    for (int c = 0; c < t->ns; c++) {
        t->scol[c][t->n] = epv__strdup(t->ctx, sv[c] ? sv[c] : "");
        if (!t->scol[c][t->n]) {
            for (int k = 0; k < c; k++) epv__free(t->ctx, t->scol[k][t->n]);
            return EPV_ENOMEM;
        }
    }
    for (int c = 0; c < t->ni; c++) t->icol[c][t->n] = iv[c];
    t->n++;
    return EPV_OK;
}

static int add_block(const epv_ledger_block *b, void *payload)
{
    epv_i64 iv[7] = { b->serial_start, b->serial_end, b->count, b->vintage, b->issuance, b->status,
                      b->certificate };
    const char *sv[2] = { b->project, b->account };
    struct epv_ledger_table *t = payload;
    t->nomem = tbl_add(t, iv, sv) != EPV_OK;
    return t->nomem;
}

static int add_event(const epv_ledger_event *e, void *payload)
{
    epv_i64 iv[4] = { e->entry, e->serial_start, e->serial_end, e->status };
    const char *sv[3] = { e->kind, e->from_account, e->to_account };
    struct epv_ledger_table *t = payload;
    t->nomem = tbl_add(t, iv, sv) != EPV_OK;
    return t->nomem;
}

EPV_API int epv_ledger_blocks_table(epv_ledger *l, const char *project, const char *account,
                                    epv_ledger_table **out)
{
    if (!l) return EPV_EINVAL;
    EPV__NEED(l->ctx, out, "out");
    *out = NULL;
    struct epv_ledger_table *t = tbl_new(l->ctx, 1, 7, 2);
    if (!t) return EPV_ENOMEM;
    int rc = epv_ledger_blocks(l, project, account, add_block, t);
    if (rc) {
        if (t->nomem) rc = epv__error(l->ctx, EPV_ENOMEM, "blocks_table: out of memory");
        epv_ledger_table_free(t);
        return rc;
    }
    *out = t;
    return EPV_OK;
}

EPV_API int epv_ledger_history_table(epv_ledger *l, const char *project, epv_i64 serial,
                                     epv_ledger_table **out)
{
    if (!l) return EPV_EINVAL;
    EPV__NEED(l->ctx, out, "out");
    *out = NULL;
    struct epv_ledger_table *t = tbl_new(l->ctx, 2, 4, 3);
    if (!t) return EPV_ENOMEM;
    int rc = epv_ledger_serial_history(l, project, serial, add_event, t);
    if (rc) {
        if (t->nomem) rc = epv__error(l->ctx, EPV_ENOMEM, "history_table: out of memory");
        epv_ledger_table_free(t);
        return rc;
    }
    *out = t;
    return EPV_OK;
}

EPV_API size_t epv_ledger_table_rows(const epv_ledger_table *t) { return t ? t->n : 0; }

EPV_API int epv_ledger_table_column(epv_ctx *ctx, const epv_ledger_table *t, int col,
                                    const epv_i64 **values, size_t *n)
{
    EPV__NEED(ctx, t, "table");
    EPV__NEED(ctx, values, "values");
    EPV__NEED(ctx, n, "n");
    if (col < 0 || col >= t->ni)
        return epv__error(ctx, EPV_EINVAL, "table_column: column %d is not in 0..%d of this %s table",
                          col, t->ni - 1, t->kind == 1 ? "block" : "history");
    *values = t->icol[col];
    *n = t->n;
    return EPV_OK;
}

EPV_API int epv_ledger_table_texts(epv_ctx *ctx, const epv_ledger_table *t, int col,
                                   const char *const **values, size_t *n)
{
    EPV__NEED(ctx, t, "table");
    EPV__NEED(ctx, values, "values");
    EPV__NEED(ctx, n, "n");
    if (col < 0 || col >= t->ns)
        return epv__error(ctx, EPV_EINVAL, "table_texts: column %d is not in 0..%d of this %s table",
                          col, t->ns - 1, t->kind == 1 ? "block" : "history");
    *values = (const char *const *)t->scol[col];
    *n = t->n;
    return EPV_OK;
}
