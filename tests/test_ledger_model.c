/* SPDX-License-Identifier: GPL-3.0-or-later */
#define _GNU_SOURCE
/* Model-based random test and crash test.
 *
 * Model: long random sequences of valid and invalid operations run against the ledger and a
 * plain in-memory model that tracks the owner and status of every single serial. After every
 * step the outcome (success or failure) must agree, a failure must leave the state digest
 * unchanged, balances must match the model, and the invariants must hold (references.md
 * section 4, invariants 1-9 and 12). Deterministic seed; fewer steps under valgrind.
 *
 * Crash: a forked writer is SIGKILLed at random points; after each kill the file must open
 * with full verification (chain, replay, invariants) - all of an operation or none of it
 * (invariant 11). */
#include <signal.h>
#include <sys/wait.h>
#include <time.h>

#include "test_util.h"
#include "test_ledger_common.c"
#include "ledger_int.h"
#include "ledger_verify_int.h"


static epv_ctx *ctx;

/* xorshift64*: a fixed sequence for a fixed seed */
static uint64_t rng_state = 0x9E3779B97F4A7C15u;
static uint64_t rnd(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 2685821657736338717u;
}
static int64_t rint_(int64_t lo, int64_t hi) { return lo + (int64_t)(rnd() % (uint64_t)(hi - lo + 1)); }

#define NACCT 4
#define NPROJ 2
#define MAXSER 200000
#define BUF_OWNER NACCT
static const char *const acct_id[NACCT] = { "A0", "A1", "A2", "A3" };
static const char *const proj_id[NPROJ] = { "P1", "P2" }; /* P1 forestry 20%, P2 not */

struct model {
    signed char owner[NPROJ][MAXSER + 1];
    signed char status[NPROJ][MAXSER + 1];
    int64_t next[NPROJ];
    int64_t remaining[NPROJ];
    int acct_status[NACCT];
};
static struct model *M;

static int64_t m_count(int p, int owner, int status)
{
    int64_t n = 0;
    for (int64_t s = 1; s < M->next[p]; s++)
        if ((owner < 0 || M->owner[p][s] == owner) && M->status[p][s] == status) n++;
    return n;
}

static int can_send(int a) { return M->acct_status[a] == EPV_LEDGER_ACCOUNT_OPEN; }
static int can_receive(int a)
{
    return M->acct_status[a] == EPV_LEDGER_ACCOUNT_OPEN || M->acct_status[a] == EPV_LEDGER_ACCOUNT_RESTRICTED;
}

static void setup_model_ledger(epv_ledger *l)
{
    for (int a = 0; a < NACCT; a++) {
        char req[16], ent[32];
        snprintf(req, sizeof req, "acct%d", a);
        snprintf(ent, sizeof ent, "Entity %d", a);
        EPV_ASSERT_OK(ctx, epv_ledger_account_open(l, req, acct_id[a], ent));
    }
    for (int p = 0; p < NPROJ; p++) {
        epv_ledger_project pr = EPV_LEDGER_PROJECT_INIT;
        pr.id = proj_id[p];
        pr.name = "model project";
        pr.methodology = "CCER-14-001-V01";
        pr.owner_account = acct_id[p];
        pr.crediting_start = tl_d(2021, 1, 1);
        pr.crediting_end = tl_d(2050, 12, 31);
        pr.forestry = p == 0;
        pr.buffer_bp = -1;
        char req[16], rep[16];
        snprintf(req, sizeof req, "proj%d", p);
        EPV_ASSERT_OK(ctx, epv_ledger_project_register(l, req, &pr));
        snprintf(req, sizeof req, "per%d", p);
        EPV_ASSERT_OK(ctx, epv_ledger_period_add(l, req, proj_id[p], tl_d(2021, 1, 1), tl_d(2021, 12, 31), NULL));
        snprintf(req, sizeof req, "ver%d", p);
        snprintf(rep, sizeof rep, "REP%d", p);
        epv_ledger_verification v = { EPV_LEDGER_VERIFICATION_VERSION, proj_id[p], 1, rep, "V", 150000, 0, { 2022, 1, 1 } };
        EPV_ASSERT_OK(ctx, epv_ledger_verification_add(l, req, &v));
    }
}

static int check_against_model(epv_ledger *l)
{
    int ok = 1;
    for (int p = 0; p < NPROJ; p++) {
        epv_i64 n;
        for (int a = 0; a < NACCT; a++) {
            epv_ledger_balance(l, acct_id[a], proj_id[p], 0, EPV_LEDGER_HELD, &n);
            ok &= n == m_count(p, a, EPV_LEDGER_HELD);
        }
        epv_ledger_totals t = EPV_LEDGER_TOTALS_INIT;
        epv_ledger_totals_get(l, proj_id[p], 0, &t);
        ok &= t.buffer == m_count(p, -1, EPV_LEDGER_BUFFER);
        ok &= t.retired == m_count(p, -1, EPV_LEDGER_RETIRED);
        ok &= t.cancelled == m_count(p, -1, EPV_LEDGER_CANCELLED);
        ok &= t.issued == M->next[p] - 1;
        ok &= t.issued == t.held + t.buffer + t.retired + t.cancelled;
    }
    ok &= epv__lg_check_invariants(l) == EPV_OK;
    return ok;
}

/* One random step; returns 1 if the ledger agreed with the model. */
static char last_rep[8];
static int n_ok, n_refused;
static int64_t last_q, last_start;

static int random_step(epv_ledger *l, int step, char *last_req, int *last_kind)
{
    char req[32];
    snprintf(req, sizeof req, "s%d", step);
    int kind = (int)rint_(0, 9);
    int p = (int)rint_(0, NPROJ - 1);
    int a = (int)rint_(0, NACCT - 1), b = (int)rint_(0, NACCT - 1);
    int rc, valid = 0;
    unsigned char before[32];
    epv_ledger_state_digest(l, before);
    if (kind == 9 && last_req[0]) {
        /* repeat the last successful issuance: same result, nothing changes (inv. 9);
         * the same id with other arguments is refused, nothing changes */
        epv_ledger_issuance is = EPV_LEDGER_ISSUANCE_INIT;
        rc = epv_ledger_issue(l, last_req, last_rep, last_q, &is);
        if (rc != EPV_OK || is.serial_start != last_start || !tl_digest_eq(l, before)) return 0;
        rc = epv_ledger_issue(l, last_req, last_rep, last_q + 1, &is);
        return rc == EPV_EEXISTS && tl_digest_eq(l, before);
    }
    if (kind == 0) { /* issue */
        int64_t q = rint_(0, 5) == 0 ? rint_(-2, 0) : rint_(1, 400);
        if (rint_(0, 20) == 0) q = M->remaining[p] + 1;
        const char *rep = p == 0 ? "REP0" : "REP1";
        valid = q >= 1 && q <= M->remaining[p] && can_receive(p) && M->next[p] + q - 1 <= MAXSER;
        if (!valid && q >= 1 && q <= M->remaining[p] && M->next[p] + q - 1 > MAXSER) return 1; /* out of model room */
        epv_ledger_issuance is = EPV_LEDGER_ISSUANCE_INIT;
        rc = epv_ledger_issue(l, req, rep, q <= 0 ? (q == 0 ? -1 : q) : q, &is);
        if (valid && rc == EPV_OK) {
            int64_t buf = p == 0 ? (q * 2000 + 9999) / 10000 : 0;
            for (int64_t s = M->next[p]; s < M->next[p] + q; s++) {
                int tail = s >= M->next[p] + q - buf;
                M->owner[p][s] = (signed char)(tail ? BUF_OWNER : p);
                M->status[p][s] = (signed char)(tail ? EPV_LEDGER_BUFFER : EPV_LEDGER_HELD);
            }
            if (is.serial_start != M->next[p] || is.buffer_units != buf) return 0;
            snprintf(last_req, 32, "%s", req);
            snprintf(last_rep, sizeof last_rep, "%s", rep);
            last_q = q;
            last_start = is.serial_start;
            M->next[p] += q;
            M->remaining[p] -= q;
        }
    } else if (kind <= 5) { /* transfer / retire / cancel, by count or range */
        int op = kind <= 2 ? 0 : kind <= 4 ? 1 : 2; /* transfer, retire, cancel */
        int by_range = (int)rint_(0, 1);
        epv_ledger_units u = EPV_LEDGER_UNITS_INIT;
        u.project = proj_id[p];
        int64_t s0 = 0, s1 = 0;
        if (by_range) {
            s0 = rint_(0, M->next[p] + 5);
            s1 = s0 + rint_(-2, 60);
            u.serial_start = s0;
            u.serial_end = s1;
            if (s0 == 0 && s1 == 0) u.serial_end = 1;
            s1 = u.serial_end;
        } else {
            u.count = rint_(0, 10) == 0 ? rint_(-1, 0) : rint_(1, 150);
        }
        int sender_ok = can_send(a) && (op != 0 || (a != b && can_receive(b)));
        /* which serials would move */
        static int64_t picked[MAXSER];
        int64_t np = 0;
        int units_ok = 1;
        if (by_range) {
            if (s0 < 1 || s1 < s0) units_ok = 0;
            for (int64_t s = s0; units_ok && s <= s1; s++) {
                if (s >= M->next[p] || M->owner[p][s] != a || M->status[p][s] != EPV_LEDGER_HELD) units_ok = 0;
                else picked[np++] = s;
            }
        } else {
            if (u.count < 1) units_ok = 0;
            for (int64_t s = 1; units_ok && s < M->next[p] && np < u.count; s++)
                if (M->owner[p][s] == a && M->status[p][s] == EPV_LEDGER_HELD) picked[np++] = s;
            if (units_ok && np < u.count) units_ok = 0;
        }
        valid = sender_ok && units_ok;
        if (op == 0) rc = epv_ledger_transfer(l, req, acct_id[a], acct_id[b], &u);
        else if (op == 1) rc = epv_ledger_retire(l, req, acct_id[a], &u, "beneficiary", "offset", tl_d(2024, 1, 1), NULL);
        else rc = epv_ledger_cancel(l, req, acct_id[a], &u, "voluntary");
        if (valid && rc == EPV_OK)
            for (int64_t k = 0; k < np; k++) {
                int64_t s = picked[k];
                if (op == 0) M->owner[p][s] = (signed char)b;
                else M->status[p][s] = (signed char)(op == 1 ? EPV_LEDGER_RETIRED : EPV_LEDGER_CANCELLED);
            }
    } else if (kind == 6) { /* reversal */
        int64_t loss = rint_(0, 8) == 0 ? rint_(-1, 0) : rint_(1, 120);
        epv_i64 c = -1, sf = -1;
        valid = p == 0 && loss >= 1;
        rc = epv_ledger_reverse(l, req, proj_id[p], loss, tl_d(2024, 1, 1), &c, &sf);
        if (valid && rc == EPV_OK) {
            int64_t need = loss;
            for (int64_t s = 1; s < M->next[0] && need > 0; s++)
                if (M->status[0][s] == EPV_LEDGER_BUFFER) {
                    M->status[0][s] = EPV_LEDGER_CANCELLED;
                    need--;
                }
            if (c != loss - need || sf != need) return 0;
        }
    } else { /* account status: open, restrict, freeze; rarely close */
        int st = (int)rint_(0, 2);
        if (rint_(0, 30) == 0) st = EPV_LEDGER_ACCOUNT_CLOSED;
        int64_t held = 0;
        for (int pp = 0; pp < NPROJ; pp++) held += m_count(pp, a, EPV_LEDGER_HELD);
        valid = M->acct_status[a] != EPV_LEDGER_ACCOUNT_CLOSED && (st != EPV_LEDGER_ACCOUNT_CLOSED || held == 0);
        rc = epv_ledger_account_set_status(l, req, acct_id[a], st);
        if (valid && rc == EPV_OK) M->acct_status[a] = st;
    }
    if ((rc == EPV_OK) != valid) {
        fprintf(stderr, "step %d kind %d: ledger rc %d (%s), model says %s\n", step, kind, rc,
                epv_ctx_errmsg(ctx), valid ? "valid" : "invalid");
        return 0;
    }
    if (rc != EPV_OK && !tl_digest_eq(l, before)) return 0;
    n_ok += rc == EPV_OK;
    n_refused += rc != EPV_OK;
    *last_kind = kind;
    return 1;
}

static void test_model(void)
{
    M = calloc(1, sizeof *M);
    CU_ASSERT_PTR_NOT_NULL_FATAL(M);
    for (int p = 0; p < NPROJ; p++) {
        M->next[p] = 1;
        M->remaining[p] = 150000;
    }
    epv_ledger *l = NULL;
    EPV_ASSERT_OK(ctx, epv_ledger_open(ctx, tl_path("model.db"), EPV_LEDGER_CREATE, NULL, &l));
    CU_ASSERT_PTR_NOT_NULL_FATAL(l);
    setup_model_ledger(l);
    int steps = UNDER_VALGRIND() ? 80 : 1500;
    char last_req[32] = "";
    int last_kind = -1, agreed = 0;
    /* batches of 50 steps share a commit (each step still atomic on its own) */
    for (int step = 0; step < steps; step++) {
        if (step % 50 == 0) EPV_ASSERT_OK(ctx, epv_ledger_batch_begin(l));
        int ok = random_step(l, step, last_req, &last_kind) && check_against_model(l);
        if (!ok) {
            CU_FAIL("ledger and model disagree");
            break;
        }
        agreed++;
        if (step % 50 == 49 || step == steps - 1) EPV_ASSERT_OK(ctx, epv_ledger_batch_commit(l));
    }
    CU_ASSERT_EQUAL(agreed, steps);
    printf("\n  model: %d steps, %d applied, %d refused\n", steps, n_ok, n_refused);
    CU_ASSERT(n_ok > steps / 5 && n_refused > steps / 5); /* both kinds were exercised */
    EPV_ASSERT_OK(ctx, epv_ledger_verify(l));
    epv_ledger_close(l);
    free(M);
}

/* The writer: valid operations in a loop until killed. */
static void writer(const char *path, int round)
{
    epv_ctx *c = NULL;
    epv_ledger *l = NULL;
    if (epv_ctx_new(&c) || epv_ledger_open(c, path, EPV_LEDGER_NO_REPLAY, NULL, &l)) _exit(3);
    char req[64];
    for (int k = 0; k < 100000; k++) {
        snprintf(req, sizeof req, "w%d_%d", round, k);
        epv_ledger_units u = tl_count("P1", 1 + k % 7);
        int batch = k % 5 == 0;
        if (batch) epv_ledger_batch_begin(l);
        switch (k % 4) {
        case 0: epv_ledger_issue(l, req, "R1", 0, NULL); break; /* fails once R1 is used up */
        case 1: epv_ledger_transfer(l, req, "OWNER", "BUYER", &u); break;
        case 2: epv_ledger_transfer(l, req, "BUYER", "OWNER", &u); break;
        default: epv_ledger_retire(l, req, "BUYER", &u, "B", "offset", tl_d(2024, 1, 1), NULL); break;
        }
        if (batch) epv_ledger_batch_commit(l);
    }
    epv_ledger_close(l);
    epv_ctx_free(c);
    _exit(0);
}

static void test_crash(void)
{
    char path[1024];
    snprintf(path, sizeof path, "%s", tl_path("crash.db"));
    epv_ledger *l = NULL;
    EPV_ASSERT_OK(ctx, epv_ledger_open(ctx, path, EPV_LEDGER_CREATE, NULL, &l));
    EPV_ASSERT_OK(ctx, tl_setup(l));
    /* a large verification so issuance keeps going */
    EPV_ASSERT_OK(ctx, epv_ledger_period_add(l, "m2", "P1", tl_d(2022, 1, 1), tl_d(2022, 12, 31), NULL));
    epv_ledger_close(l);
    int rounds = UNDER_VALGRIND() ? 3 : 15;
    epv_i64 prev = 0;
    for (int r = 0; r < rounds; r++) {
        fflush(NULL);
        pid_t pid = fork();
        CU_ASSERT_FATAL(pid >= 0);
        if (pid == 0) writer(path, r);
        /* kill somewhere between 2 and 60 ms into the writing (longer under valgrind) */
        struct timespec ts = { 0, (long)rint_(2, 60) * 1000000L };
        if (UNDER_VALGRIND()) ts.tv_sec = 1 + r;
        nanosleep(&ts, NULL);
        kill(pid, SIGKILL);
        int status;
        waitpid(pid, &status, 0);
        l = NULL;
        EPV_ASSERT_OK(ctx, epv_ledger_open(ctx, path, 0, NULL, &l)); /* chain + replay + invariants */
        if (!l) break;
        epv_i64 n = 0;
        EPV_ASSERT_OK(ctx, epv_ledger_head(l, &n, NULL));
        CU_ASSERT(n >= prev);
        prev = n;
        epv_ledger_totals t = EPV_LEDGER_TOTALS_INIT;
        EPV_ASSERT_OK(ctx, epv_ledger_totals_get(l, NULL, 0, &t));
        CU_ASSERT_EQUAL(t.issued, t.held + t.buffer + t.retired + t.cancelled);
        epv_ledger_close(l);
    }
    CU_ASSERT(prev > 8); /* the writers did write */
    printf("\n  crash: %d kills, %lld journal entries survived\n", rounds, (long long)prev);
}

int main(void)
{
    if (epv_ctx_new(&ctx)) return 2;
    CU_TestInfo tests[] = {
        { "random operations against a model", test_model },
        { "SIGKILL during writes (inv. 11)", test_crash },
        CU_TEST_INFO_NULL,
    };
    int rc = epv_test_main("ledger_model", tests);
    epv_ctx_free(ctx);
    tl_cleanup_dir();
    return rc;
}
