/* SPDX-License-Identifier: GPL-3.0-or-later */
#define _GNU_SOURCE
/* The live layout's queries (ledger_replay.c, "live model queries") against the derived tables.
 *
 * Random ledgers are built through the public API in the table layout (the derived tables
 * current); a native model is then built from the journal alone, and every public query is
 * asked, with many arguments, once from the tables (l->live = NULL) and once from the model
 * (l->live = model): return codes, rows and their order, and error messages must agree, and
 * the CADT exports must be the same bytes. The tables are written by an independent
 * implementation (ledger_apply.c, ledger_blocks.c, SQL), so a difference is a bug in one of
 * the two. Deterministic seeds; smaller ledgers under valgrind. */
#include <stdarg.h>

#include "test_util.h"
#include "test_ledger_common.c"
#include "ledger_int.h"
#include "ledger_verify_int.h"

static epv_ctx *ctx;

/* xorshift64*: a fixed sequence for a fixed seed */
static uint64_t rng_state;
static uint64_t rnd(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 2685821657736338717u;
}
static int64_t rint_(int64_t lo, int64_t hi) { return lo + (int64_t)(rnd() % (uint64_t)(hi - lo + 1)); }

#define NACCT 4
#define NPROJ 5
static const char *const acct_id[NACCT] = { "A0", "A1", "A2", "A3" };
/* Registered in this order; "P1" < "P10" < "P2" < "Zeta" < "p1" in byte order, so a model that
 * listed projects in registration order would be caught. */
static const char *const proj_id[NPROJ] = { "P2", "P10", "Zeta", "P1", "p1" };
static const int proj_forestry[NPROJ] = { 1, 0, 1, 1, 0 };
static const int proj_buffer_bp[NPROJ] = { -1, -1, 3500, 1500, -1 };

/* ---- a growable text: everything a query returns, written down to compare -------------- */

struct sb {
    char *p;
    size_t n, cap;
};

static void sb_printf(struct sb *s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (k < 0) return;
    if (s->n + (size_t)k + 1 > s->cap) {
        size_t cap = (s->n + (size_t)k + 1) * 2;
        char *p = realloc(s->p, cap);
        if (!p) return;
        s->p = p;
        s->cap = cap;
    }
    va_start(ap, fmt);
    vsnprintf(s->p + s->n, (size_t)k + 1, fmt, ap);
    va_end(ap);
    s->n += (size_t)k;
}

static const char *sb_str(const struct sb *s) { return s->p ? s->p : ""; }

/* ---- building a ledger ------------------------------------------------------------------ */

static void setup(epv_ledger *l)
{
    for (int a = 0; a < NACCT; a++) {
        char req[16], ent[32];
        snprintf(req, sizeof req, "acct%d", a);
        snprintf(ent, sizeof ent, "Entity \"%d\", Ltd.", a); /* quotes and a comma for the CSV */
        EPV_ASSERT_OK(ctx, epv_ledger_account_open(l, req, acct_id[a], ent));
    }
    for (int p = 0; p < NPROJ; p++) {
        epv_ledger_project pr = EPV_LEDGER_PROJECT_INIT;
        pr.id = proj_id[p];
        pr.name = "live query project";
        pr.methodology = "CCER-14-001-V01";
        pr.owner_account = acct_id[p % 3];
        pr.crediting_start = tl_d(2021, 1, 1);
        pr.crediting_end = tl_d(2050, 12, 31);
        pr.forestry = proj_forestry[p];
        pr.buffer_bp = proj_buffer_bp[p];
        char req[32], rep[32];
        snprintf(req, sizeof req, "proj%d", p);
        EPV_ASSERT_OK(ctx, epv_ledger_project_register(l, req, &pr));
        for (int y = 0; y < 2; y++) { /* two periods: vintages 2021 and 2022 */
            snprintf(req, sizeof req, "per%d_%d", p, y);
            EPV_ASSERT_OK(ctx, epv_ledger_period_add(l, req, proj_id[p], tl_d(2021 + y, 1, 1), tl_d(2021 + y, 12, 31),
                                                     NULL));
            snprintf(req, sizeof req, "ver%d_%d", p, y);
            snprintf(rep, sizeof rep, "R%d_%d", p, y);
            epv_ledger_verification v = { EPV_LEDGER_VERIFICATION_VERSION, proj_id[p], y + 1, rep, "V", 20000, 100,
                                          { 2022 + y, 3, 1 } };
            EPV_ASSERT_OK(ctx, epv_ledger_verification_add(l, req, &v));
        }
    }
}

static int64_t issued(epv_ledger *l, int p)
{
    epv_ledger_totals t = EPV_LEDGER_TOTALS_INIT;
    return epv_ledger_totals_get(l, proj_id[p], 0, &t) ? 0 : t.issued;
}

/* Units by count (sometimes of one vintage) or by a range near the issued serials. */
static epv_ledger_units some_units(epv_ledger *l, int p, int64_t max_count)
{
    epv_ledger_units u = EPV_LEDGER_UNITS_INIT;
    u.project = proj_id[p];
    if (rint_(0, 2) == 0) {
        u.serial_start = rint_(1, issued(l, p) + 3);
        u.serial_end = u.serial_start + rint_(0, 90);
    } else {
        u.count = rint_(1, max_count);
    }
    if (rint_(0, 4) == 0) u.vintage = (int)rint_(2021, 2022);
    return u;
}

/* One random operation; refusals are expected (and write nothing). */
static int random_op(epv_ledger *l, int step)
{
    char req[32], text[48];
    snprintf(req, sizeof req, "op%d", step);
    int kind = (int)rint_(0, 11);
    int p = (int)rint_(0, NPROJ - 1);
    int a = (int)rint_(0, NACCT - 1), b = (int)rint_(0, NACCT - 1);
    epv_ledger_units u = some_units(l, p, 150);
    epv_i64 x, y;
    if (kind <= 1) { /* issue part of a verification, now and then the rest */
        char rep[32];
        snprintf(rep, sizeof rep, "R%d_%d", p, (int)rint_(0, 1));
        return epv_ledger_issue(l, req, rep, rint_(0, 12) == 0 ? 0 : rint_(1, 400), NULL);
    }
    if (kind <= 4) { /* transfers, mostly from the project's owner */
        if (rint_(0, 1)) a = p % 3;
        return epv_ledger_transfer(l, req, acct_id[a], acct_id[b], &u);
    }
    if (kind == 5) {
        snprintf(text, sizeof text, "offset, \"scope %d\"", (int)rint_(1, 3));
        return epv_ledger_retire(l, req, acct_id[a], &u, rint_(0, 1) ? "Beneficiary Co." : "Town of X", text,
                                 tl_d(2024, (int)rint_(1, 12), 1), NULL);
    }
    if (kind == 6) {
        snprintf(text, sizeof text, "voluntary %d", (int)rint_(1, 3));
        return epv_ledger_cancel(l, req, acct_id[a], &u, text);
    }
    if (kind <= 8) /* losses: the project's buffer, then the pool, then an obligation */
        return epv_ledger_reverse(l, req, proj_id[p], rint_(1, 180), tl_d(2024, 6, 1), &x, &y);
    if (kind == 9) { /* settlements, with units of any project */
        epv_ledger_units s = some_units(l, (int)rint_(0, NPROJ - 1), 40);
        return epv_ledger_obligation_settle(l, req, acct_id[a], proj_id[p], &s, &x);
    }
    if (kind == 10) /* account status: mostly back to open */
        return epv_ledger_account_set_status(l, req, acct_id[a], rint_(0, 3) ? EPV_LEDGER_ACCOUNT_OPEN
                                                                              : (int)rint_(1, 2));
    return epv_ledger_transfer(l, req, acct_id[p % 3], acct_id[b], &u);
}

/* Batches of 50 operations share a commit. A settlement beyond the obligation is refused
 * after its units were cancelled, which rolls back its whole batch (ledger_handle.c
 * batch_abort): a new batch then begins. */
static int build(epv_ledger *l, int ops)
{
    setup(l);
    int applied = 0;
    for (int step = 0; step < ops; step++) {
        if (!l->in_batch) EPV_ASSERT_OK(ctx, epv_ledger_batch_begin(l));
        applied += random_op(l, step) == EPV_OK;
        if (l->in_batch && (step % 50 == 49 || step == ops - 1)) EPV_ASSERT_OK(ctx, epv_ledger_batch_commit(l));
    }
    return applied;
}

/* Whatever the random operations left: a loss beyond every buffer (an outstanding obligation
 * of P2), a forestry issuance of vintage 2023 (buffer units again) and a partial settlement of P2's obligation
 * with its owner's units. */
static void tail_ops(epv_ledger *l)
{
    epv_ledger_totals t = EPV_LEDGER_TOTALS_INIT;
    epv_i64 c, sf, left;
    EPV_ASSERT_OK(ctx, epv_ledger_totals_get(l, NULL, 0, &t));
    EPV_ASSERT_OK(ctx, epv_ledger_reverse(l, "tail1", "P2", t.buffer + 50, tl_d(2025, 1, 1), &c, &sf));
    CU_ASSERT(sf >= 50);
    epv_ledger_verification v = { EPV_LEDGER_VERIFICATION_VERSION, "Zeta", 3, "R2_2", "V", 100, 0, { 2024, 3, 1 } };
    EPV_ASSERT_OK(ctx, epv_ledger_period_add(l, "tail2", "Zeta", tl_d(2023, 1, 1), tl_d(2023, 12, 31), NULL));
    EPV_ASSERT_OK(ctx, epv_ledger_verification_add(l, "tail3", &v));
    EPV_ASSERT_OK(ctx, epv_ledger_issue(l, "tail4", "R2_2", 0, NULL));
    epv_ledger_account_set_status(l, "tail5", "A0", EPV_LEDGER_ACCOUNT_OPEN);
    epv_ledger_units u = tl_count("P2", 5);
    EPV_ASSERT_OK(ctx, epv_ledger_obligation_settle(l, "tail6", "A0", "P2", &u, &left));
}

/* The model of the journal alone, entry by entry, as a verification builds it. */
static struct epv__lrp *model_of(epv_ledger *l)
{
    struct epv__lrp *m = NULL;
    epv__lq *st = NULL;
    if (epv__lrp_new(l, &m) || epv__lq_prepare(&l->st, "SELECT seq, body, hash FROM journal ORDER BY seq", &st)) {
        epv__lrp_free(m);
        return NULL;
    }
    int ok = 1, step;
    while (ok && (step = epv__lq_step(st)) == EPV__LQ_ROW) {
        struct epv__lop op;
        char *arena = NULL;
        unsigned char hash[32];
        ok = epv__lq_col_bytes(st, 2) == 32;
        if (ok) memcpy(hash, epv__lq_col_blob(st, 2), 32);
        ok = ok && !epv__lg_decode(ctx, epv__lq_col_blob(st, 1), (size_t)epv__lq_col_bytes(st, 1), &op, &arena) &&
             !epv__lrp_apply(m, &op, epv__lq_col_i64(st, 0), hash);
        epv__free(ctx, arena);
    }
    epv__lq_finalize(st);
    if (!ok || step != EPV__LQ_DONE) {
        fprintf(stderr, "model_of: %s\n", epv_ctx_errmsg(ctx));
        epv__lrp_free(m);
        return NULL;
    }
    return m;
}

/* ---- the queries, written down --------------------------------------------------------- */

struct q {
    epv_ledger *l;
    struct sb *s;
    int stop_at;  /* a callback's row number that returns 7 (a callback failure), or 0 */
    int nested;   /* callbacks ask nested queries */
    int rows;
};

static void outcome(struct q *q, int rc)
{
    sb_printf(q->s, "rc %d", rc);
    if (rc) sb_printf(q->s, " (%s)", epv_ctx_errmsg(ctx));
    sb_printf(q->s, "\n");
}

static int event_row(const epv_ledger_event *e, void *payload)
{
    struct q *q = payload;
    sb_printf(q->s, "  ev v%u %lld %s %lld..%lld %s>%s %d\n", e->version, (long long)e->entry, e->kind,
              (long long)e->serial_start, (long long)e->serial_end, e->from_account, e->to_account, e->status);
    return ++q->rows == q->stop_at ? 7 : 0;
}

static int cert_row(const epv_ledger_certificate *c, void *payload)
{
    struct q *q = payload;
    sb_printf(q->s, "  cert v%u %lld %s [%s] [%s] %04d-%02d-%02d %s %lld\n", c->version, (long long)c->number, c->account,
              c->beneficiary, c->reason, c->date.year, c->date.month, c->date.day, c->project, (long long)c->units);
    return ++q->rows == q->stop_at ? 7 : 0;
}

/* A block; nested: the balance of its holder in its project and its first serial's history,
 * asked from inside the callback (reads may call back into the ledger). */
static int block_row(const epv_ledger_block *b, void *payload)
{
    struct q *q = payload;
    sb_printf(q->s, "  blk v%u %s %lld..%lld %lld %d %lld %s %d %lld\n", b->version, b->project,
              (long long)b->serial_start, (long long)b->serial_end, (long long)b->count, b->vintage,
              (long long)b->issuance, b->account, b->status, (long long)b->certificate);
    if (q->nested) {
        struct q in = { q->l, q->s, 0, 0, 0 };
        epv_i64 n = -1;
        int rc = epv_ledger_balance(q->l, b->account, b->project, 0, -1, &n);
        sb_printf(q->s, "   nested balance %lld ", (long long)n);
        outcome(&in, rc);
        outcome(&in, epv_ledger_serial_history(q->l, b->project, b->serial_start, event_row, &in));
        if (b->status == EPV_LEDGER_RETIRED) outcome(&in, epv_ledger_certificate_get(q->l, b->certificate, cert_row, &in));
    }
    return ++q->rows == q->stop_at ? 7 : 0;
}

/* The query `kind` with the arguments of `a`, written to q->s. */
struct args {
    const char *account, *project;
    int vintage, status;
    epv_i64 serial;
};

static void ask(struct q *q, int kind, const struct args *a)
{
    epv_ledger *l = q->l;
    q->rows = 0;
    epv_ctx_clear_error(ctx);
    if (kind == 0) {
        epv_i64 n = -1;
        int rc = epv_ledger_balance(l, a->account, a->project, a->vintage, a->status, &n);
        sb_printf(q->s, "balance %lld ", (long long)n);
        outcome(q, rc);
    } else if (kind == 1) {
        epv_ledger_totals t = EPV_LEDGER_TOTALS_INIT;
        int rc = epv_ledger_totals_get(l, a->project, a->vintage, &t);
        sb_printf(q->s, "totals v%u %lld %lld %lld %lld %lld ", t.version, (long long)t.issued, (long long)t.held,
                  (long long)t.buffer, (long long)t.retired, (long long)t.cancelled);
        outcome(q, rc);
    } else if (kind == 2) {
        outcome(q, epv_ledger_blocks(l, a->project, a->account, block_row, q));
    } else if (kind == 3) {
        outcome(q, epv_ledger_serial_history(l, a->project, a->serial, event_row, q));
    } else if (kind == 4) {
        outcome(q, epv_ledger_certificate_get(l, a->serial, cert_row, q));
    } else {
        epv_i64 n = -1;
        int rc = epv_ledger_obligation(l, a->project, &n);
        sb_printf(q->s, "obligation %lld ", (long long)n);
        outcome(q, rc);
    }
}

static struct epv__lrp *the_model;
static int compared, differed;

/* Ask once from the tables and once from the model; report the first few differences. */
static void compare(epv_ledger *l, int kind, const struct args *a, int stop_at, int nested)
{
    struct sb sql = { NULL, 0, 0 }, live = { NULL, 0, 0 };
    struct q q = { l, &sql, stop_at, nested, 0 };
    l->live = NULL;
    ask(&q, kind, a);
    q.s = &live;
    l->live = the_model;
    ask(&q, kind, a);
    l->live = NULL;
    compared++;
    if (strcmp(sb_str(&sql), sb_str(&live))) {
        if (differed++ < 5)
            fprintf(stderr, "\nquery %d (account %s, project %s, vintage %d, status %d, serial %lld, stop %d):\n"
                            "--- tables\n%s--- model\n%s",
                    kind, a->account ? a->account : "NULL", a->project ? a->project : "NULL", a->vintage, a->status,
                    (long long)a->serial, stop_at, sb_str(&sql), sb_str(&live));
    }
    free(sql.p);
    free(live.p);
}

/* Filter values: NULL, every real one, an unknown one, and "". */
static const char *const q_accts[] = { NULL, "A0", "A1", "A2", "A3", EPV_LEDGER_BUFFER_ACCOUNT, "nope", "" };
static const char *const q_projs[] = { NULL, "P2", "P10", "Zeta", "P1", "p1", "nope", "" };
#define NQA (sizeof q_accts / sizeof q_accts[0])
#define NQP (sizeof q_projs / sizeof q_projs[0])
static const int q_vintages[] = { 0, 2021, 2022, 2023 };

/* Every combination of the filters for balances, totals, blocks and obligations. */
static void compare_filters(epv_ledger *l)
{
    struct args a = { NULL, NULL, 0, -1, 0 };
    for (size_t p = 0; p < NQP; p++) {
        a.project = q_projs[p];
        for (size_t v = 0; v < 4; v++) {
            a.vintage = q_vintages[v];
            for (size_t k = 0; k < NQA; k++) {
                a.account = q_accts[k];
                for (a.status = -2; a.status <= 4; a.status++) compare(l, 0, &a, 0, 0);
            }
            compare(l, 1, &a, 0, 0);
        }
        for (size_t k = 0; k < NQA; k++) {
            a.account = q_accts[k];
            compare(l, 2, &a, 0, 0);
        }
        if (a.project) compare(l, 5, &a, 0, 0);
    }
}

static int collect_cert(const epv_ledger_block *b, void *payload)
{
    struct sb *s = payload;
    if (b->certificate) sb_printf(s, "%lld ", (long long)b->certificate);
    return 0;
}

/* Serial histories at random serials and at every block's ends, certificates that exist (and
 * cancellations' entry numbers, which are not certificates) and that do not, callbacks that
 * fail, and callbacks that query. */
static void compare_rows(epv_ledger *l, int n)
{
    struct args a = { NULL, NULL, 0, -1, 0 };
    for (int k = 0; k < n; k++) {
        int p = (int)rint_(0, NQP - 1);
        a.project = q_projs[p] ? q_projs[p] : "P1";
        int64_t top = p >= 1 && p <= NPROJ ? issued(l, p - 1) : 10;
        switch (rint_(0, 5)) {
        case 0: a.serial = rint_(-2, 1); break;
        case 1: a.serial = top + rint_(0, 2); break;
        case 2: a.serial = rint_(0, 1) ? INT64_MAX : INT64_MIN; break;
        default: a.serial = rint_(1, top > 1 ? top : 1); break;
        }
        compare(l, 3, &a, rint_(0, 5) == 0 ? (int)rint_(1, 3) : 0, 0);
        a.serial = rint_(-1, 2000);
        compare(l, 4, &a, 0, 0);
    }
    a.project = "bad id with spaces"; /* refused before either path */
    compare(l, 3, &a, 0, 0);
    struct sb certs = { NULL, 0, 0 };
    EPV_ASSERT_OK(ctx, epv_ledger_blocks(l, NULL, NULL, collect_cert, &certs));
    for (const char *c = sb_str(&certs); *c;) {
        char *end;
        a.serial = strtoll(c, &end, 10);
        c = *end ? end + 1 : end;
        compare(l, 4, &a, rint_(0, 3) == 0, 0);
    }
    free(certs.p);
    for (int stop = 1; stop <= 3; stop++) compare(l, 2, &(struct args){ NULL, NULL, 0, -1, 0 }, stop, 0);
    compare(l, 2, &(struct args){ NULL, NULL, 0, -1, 0 }, 0, 1);
    compare(l, 2, &(struct args){ "A1", "P2", 0, -1, 0 }, 0, 1);
}

/* A CADT export's bytes. */
static char *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    struct sb s = { NULL, 0, 0 };
    char buf[4096];
    size_t k;
    while ((k = fread(buf, 1, sizeof buf, f)) > 0) sb_printf(&s, "%.*s", (int)k, buf);
    fclose(f);
    *n = s.n;
    return s.p ? s.p : calloc(1, 1);
}

static void compare_cadt_one(epv_ledger *l, const epv_ledger_cadt_options *o, int json)
{
    char path[2][1100];
    int rc[2];
    for (int k = 0; k < 2; k++) {
        snprintf(path[k], sizeof path[k], "%s", tl_path(k ? "live.out" : "sql.out"));
        l->live = k ? the_model : NULL;
        rc[k] = json ? epv_ledger_export_cadt_json(l, o, path[k]) : epv_ledger_export_cadt_csv(l, o, path[k]);
    }
    l->live = NULL;
    compared++;
    CU_ASSERT_EQUAL(rc[0], rc[1]);
    size_t n0 = 0, n1 = 0;
    char *a = slurp(path[0], &n0), *b = slurp(path[1], &n1);
    int same = rc[0] == rc[1] && (!a) == (!b) && n0 == n1 && (!a || !memcmp(a, b, n0));
    if (!same && differed++ < 5)
        fprintf(stderr, "\ncadt %s of %s differs (rc %d/%d, %zu/%zu bytes)\n", json ? "json" : "csv",
                o->project ? o->project : "all", rc[0], rc[1], n0, n1);
    CU_ASSERT(rc[0] != EPV_OK || n0 > 0);
    free(a);
    free(b);
}

static void compare_cadt(epv_ledger *l)
{
    epv_ledger_cadt_options o = EPV_LEDGER_CADT_OPTIONS_INIT;
    o.registry_link = "https://registry.example/units/";
    for (size_t p = 0; p < NQP; p++) {
        o.project = q_projs[p];
        compare_cadt_one(l, &o, 0);
        compare_cadt_one(l, &o, 1);
    }
    o.project = NULL;
    o.registry_link = "";
    compare_cadt_one(l, &o, 0);
}

/* ---- the tests ------------------------------------------------------------------------- */

/* Every kind of entry the queries read was written: split blocks, retired, cancelled (by
 * cancellation, reversal and settlement) units, an outstanding obligation. */
static int kinds_seen(epv_ledger *l)
{
    epv_ledger_totals t = EPV_LEDGER_TOTALS_INIT;
    epv_i64 owed = 0, o;
    for (int p = 0; p < NPROJ; p++)
        if (!epv_ledger_obligation(l, proj_id[p], &o)) owed += o;
    int ok = !epv_ledger_totals_get(l, NULL, 0, &t) && t.retired > 0 && t.cancelled > 0 && t.buffer > 0 && owed > 0;
    if (!ok)
        fprintf(stderr, "\n  retired %lld, cancelled %lld, buffer %lld, owed %lld\n", (long long)t.retired,
                (long long)t.cancelled, (long long)t.buffer, (long long)owed);
    return ok;
}

static void one_ledger(const char *name, uint64_t seed, int ops)
{
    rng_state = seed;
    epv_ledger *l = NULL;
    EPV_ASSERT_OK(ctx, epv_ledger_open(ctx, tl_path(name), EPV_LEDGER_CREATE, NULL, &l));
    CU_ASSERT_PTR_NOT_NULL_FATAL(l);
    int applied = build(l, ops);
    tail_ops(l);
    CU_ASSERT(kinds_seen(l)); /* the comparison is only as good as the variety of the state */
    the_model = model_of(l);
    CU_ASSERT_PTR_NOT_NULL_FATAL(the_model);
    /* the model is the tables' state (the replay's own check), else the comparison means little */
    unsigned char d_sql[32], d_model[32];
    EPV_ASSERT_OK(ctx, epv_ledger_state_digest(l, d_sql));
    EPV_ASSERT_OK(ctx, epv__lrp_digest(the_model, d_model));
    CU_ASSERT(!memcmp(d_sql, d_model, 32));
    compared = differed = 0;
    compare_filters(l);
    compare_rows(l, UNDER_VALGRIND() ? 60 : 400);
    compare_cadt(l);
    printf("\n  %s: %d of %d operations applied, %d queries compared, %d differed", name, applied, ops, compared,
           differed);
    CU_ASSERT_EQUAL(differed, 0);
    l->live = NULL;
    epv__lrp_free(the_model);
    the_model = NULL;
    epv_ledger_close(l);
}

static void test_random_ledgers(void)
{
    TL_TABLES_ONLY(); /* it compares the model with the derived tables */
    int ops = UNDER_VALGRIND() ? 150 : 600;
    one_ledger("live1.db", 0x9E3779B97F4A7C15u, ops);
    if (!UNDER_VALGRIND()) {
        one_ledger("live2.db", 0x2545F4914F6CDD1Du, ops);
        one_ledger("live3.db", 0xD1B54A32D192ED03u, ops * 2);
    }
}

/* An empty ledger (genesis only): no rows, zero sums, the same "never issued" messages. */
static void test_empty(void)
{
    TL_TABLES_ONLY(); /* it compares the model with the derived tables */
    epv_ledger *l = NULL;
    EPV_ASSERT_OK(ctx, epv_ledger_open(ctx, tl_path("empty.db"), EPV_LEDGER_CREATE, NULL, &l));
    CU_ASSERT_PTR_NOT_NULL_FATAL(l);
    the_model = model_of(l);
    CU_ASSERT_PTR_NOT_NULL_FATAL(the_model);
    compared = differed = 0;
    compare_filters(l);
    compare(l, 3, &(struct args){ NULL, "P1", 0, -1, 1 }, 0, 0);
    compare(l, 4, &(struct args){ NULL, NULL, 0, -1, 1 }, 0, 0);
    compare_cadt(l);
    CU_ASSERT_EQUAL(differed, 0);
    l->live = NULL;
    epv__lrp_free(the_model);
    the_model = NULL;
    epv_ledger_close(l);
}

int main(void)
{
    if (epv_ctx_new(&ctx)) return 2;
    CU_TestInfo tests[] = {
        { "queries from the model equal the tables' (random ledgers)", test_random_ledgers },
        { "queries on an empty ledger", test_empty },
        CU_TEST_INFO_NULL,
    };
    int rc = epv_test_main("ledger_livequery", tests);
    epv_ctx_free(ctx);
    tl_cleanup_dir();
    return rc;
}
