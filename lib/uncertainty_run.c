/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Monte Carlo runner and result summaries. See uncertainty_mc.c for the stream layout. */
#include "config.h"

#include <math.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

#include "uncertainty_int.h"

/* ---- random streams -----------------------------------------------------------------------
 * One stream per block of EPV__MC_BLOCK iterations, so results do not depend on the thread
 * count. Each stream is xoshiro256** (Blackman & Vigna 2018, "Scrambled linear pseudorandom
 * number generators"; period 2^256 - 1) whose 256-bit state is filled by SplitMix64 (Steele,
 * Lea & Flood 2014) from a 64-bit block seed. The block seed is
 *     splitmix64(seed ^ splitmix64(block)),
 * a bijection of the block number for a given seed (every step of SplitMix64 is invertible),
 * so two blocks never get the same seed, and the first state word, splitmix64 of that seed,
 * differs too: two blocks never start from the same state. (The 0.1 runner seeded MT19937
 * with 32 bits per block, so at 10^7 draws two blocks shared a stream with a few percent
 * probability.) Normals come from the ziggurat sampler below, uniforms from the top 53 bits;
 * the generator is also wrapped as a GSL generator type (its state lives in a gsl_rng). */
static uint64_t splitmix64(uint64_t x)
{
    x += UINT64_C(0x9E3779B97F4A7C15);
    x = (x ^ (x >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    x = (x ^ (x >> 27)) * UINT64_C(0x94D049BB133111EB);
    return x ^ (x >> 31);
}

typedef struct xoshiro_state {
    uint64_t s[4];
} xoshiro_state;

static inline uint64_t rotl64(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

static inline uint64_t xoshiro_next(xoshiro_state *st)
{
    uint64_t *s = st->s;
    uint64_t result = rotl64(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl64(s[3], 45);
    return result;
}

/* Fill the state from a 64-bit seed by SplitMix64's sequence seed + k*gamma, k = 1..4. */
static void xoshiro_seed(xoshiro_state *st, uint64_t seed)
{
    for (int k = 0; k < 4; k++) {
        st->s[k] = splitmix64(seed);
        seed += UINT64_C(0x9E3779B97F4A7C15);
    }
}

uint64_t epv__mc_block_seed(uint64_t seed, uint64_t block)
{
    return splitmix64(seed ^ splitmix64(block));
}

static void xo_set(void *state, unsigned long seed) { xoshiro_seed(state, (uint64_t)seed); }
/* GSL integer outputs are 32 bits wide (the upper half, the best bits of xoshiro256**). */
static unsigned long xo_get(void *state) { return (unsigned long)(xoshiro_next(state) >> 32); }
static double xo_get_double(void *state) { return (double)(xoshiro_next(state) >> 11) * 0x1.0p-53; }

static const gsl_rng_type xoshiro_type = {
    "epv_xoshiro256starstar", 0xffffffffUL, 0, sizeof(xoshiro_state), xo_set, xo_get, xo_get_double
};

/* ---- standard normals: the ziggurat method ------------------------------------------------
 * Marsaglia & Tsang (2000), "The Ziggurat Method for Generating Random Variables", J. Stat.
 * Softw. 5(8), with 256 layers of equal area v under f(x) = e^(−x²/2), in the form of Doornik
 * (2005), "An Improved Ziggurat Method to Generate Normal Random Samples": one 64-bit output of
 * the block's xoshiro256** stream gives both the layer (its low 8 bits) and a uniform u in
 * [−1, 1) (its top 53 bits; the two sets of bits do not overlap). If |u| < x[i+1]/x[i] the
 * point lies inside the layer's rectangle and u·x[i] is the draw (about 99% of draws, a few
 * integer and floating operations, no call); otherwise the wedge is tested against f, or for
 * layer 0 a draw from the tail beyond r is made by Marsaglia's (1964) method. The table is
 * computed from r and v at the start of each run (deterministic: sqrt, log and exp of the same
 * numbers). Moments and tail probabilities are checked in tests/test_uncertainty_mc.c. This
 * replaced GSL's gsl_ran_gaussian_ziggurat, called through GSL's generator interface, in 0.2. */
#define ZIG_R 3.6541528853610088 /* start of the tail (Marsaglia & Tsang 2000, 256 layers) */
#define ZIG_V 4.92867323399e-3   /* area of each layer and of the base with its tail */

typedef struct zig_table {
    double x[257]; /* x[0] = v/f(r) (base layer's width), x[1] = r, ..., x[256] = 0 */
    double ratio[256]; /* x[i+1]/x[i] */
} zig_table;

static void zig_init(zig_table *z)
{
    double f = exp(-0.5 * ZIG_R * ZIG_R);
    z->x[0] = ZIG_V / f;
    z->x[1] = ZIG_R;
    for (int i = 2; i < 256; i++) {
        double xi = z->x[i - 1];
        z->x[i] = sqrt(-2.0 * log(ZIG_V / xi + exp(-0.5 * xi * xi)));
    }
    z->x[256] = 0.0;
    for (int i = 0; i < 256; i++) z->ratio[i] = z->x[i + 1] / z->x[i];
}

static inline double unit_open(xoshiro_state *st) /* (0, 1) */
{
    double u;
    do u = (double)(xoshiro_next(st) >> 11) * 0x1.0p-53; while (u == 0);
    return u;
}

static inline double zig_normal(const zig_table *z, xoshiro_state *st)
{
    for (;;) {
        uint64_t bits = xoshiro_next(st);
        int i = (int)(bits & 0xff);
        double u = (double)((int64_t)(bits >> 11) - INT64_C(0x10000000000000)) * 0x1.0p-52; /* [−1, 1) */
        if (fabs(u) < z->ratio[i]) return u * z->x[i];
        if (i == 0) { /* the tail beyond r */
            double x, y;
            do {
                x = -log(unit_open(st)) / ZIG_R;
                y = -log(unit_open(st));
            } while (y + y < x * x);
            return u < 0 ? -(ZIG_R + x) : ZIG_R + x;
        }
        double x = u * z->x[i];
        double f0 = exp(-0.5 * (z->x[i] * z->x[i] - x * x));
        double f1 = exp(-0.5 * (z->x[i + 1] * z->x[i + 1] - x * x));
        if (f1 + unit_open(st) * (f0 - f1) < 1.0) return x;
    }
}

/* How each input's standard variate is drawn, decided once per run. */
enum { KIND_CONST = 0, KIND_NORMAL = 1, KIND_UNIFORM = 2 };

typedef struct worker_state {
    gsl_rng *rng;
    double *z;   /* one standard variate per input */
    double *x;   /* inputs handed to the model */
    double *tmp; /* group product buffer */
    double *out; /* outputs of one iteration */
    /* first error met by this worker (errors are not written to the shared ctx from threads) */
    int code;
    size_t fail_it;  /* iteration of that error */
    int callback_rc; /* the model's own return value when code is EPV_ECALLBACK */
    char msg[EPV_ERRMSG_MAX];
} worker_state;

typedef struct run_args {
    epv_mc *mc;
    size_t iters, n_out;
    epv_mc_model_fn model;
    void *payload;
    worker_state *ws;
    double *res;
    uint64_t seed;
    size_t block0; /* first block of the current round */
    size_t block1; /* end of the current round */
    unsigned char *kind; /* KIND_* of each input */
    /* Normal inputs are mean + sd · z: their values come from one vectorisable pass over
     * these arrays (0 and 0 for the others, which `other` lists and transform() maps one by
     * one), with the same operations as transform(), so the draws do not change. */
    double *lin_a, *lin_b;
    size_t *other, n_other;
    unsigned char *nonneg; /* 1 for inputs declared EPV_MC_NONNEG */
    zig_table zig;
    /* Blocks are handed out in increasing order from `next` to whichever worker is free
     * (a worker slowed down by other processes does not hold the others up). A failing
     * worker lowers `stop` to its block: no block after it is started, and every block
     * before it was handed out earlier and is finished, so the earliest failing iteration
     * is found whatever the threads and their timing. */
    atomic_size_t next;
    atomic_size_t stop;
} run_args;

static double triangular_inv(double a, double m, double c, double u)
{
    double fm = (m - a) / (c - a);
    if (u < fm) return a + sqrt(u * (c - a) * (m - a));
    return c - sqrt((1 - u) * (c - a) * (c - m));
}

static double trunc_normal_inv(const epv__mc_input *in, double u)
{
    double mean = in->dist.a, sd = in->dist.b, z;
    if (in->upper_tail)
        z = gsl_cdf_ugaussian_Qinv(in->qa - u * (in->qa - in->qb));
    else
        z = gsl_cdf_ugaussian_Pinv(in->qa + u * (in->qb - in->qa));
    double x = mean + sd * z;
    /* Rounding in the inverse can step a hair outside the bounds. */
    if (x < in->dist.c) x = in->dist.c;
    if (x > in->dist.d) x = in->dist.d;
    return x;
}

/* Map the standard variate of input i to its value. `z` is N(0,1) when `is_normal`, else a
 * uniform on (0,1). */
static double transform(const epv__mc_input *in, double v, int is_normal)
{
    const epv_mc_dist *d = &in->dist;
    switch (d->type) {
    case EPV_MC_DIST_NORMAL: return d->a + d->b * v;
    case EPV_MC_DIST_LOGNORMAL:
    case EPV_MC_DIST_LOGNORMAL_LOG: return exp(in->mu + in->sigma * v);
    case EPV_MC_DIST_CONSTANT: return d->a;
    default: break;
    }
    double u = is_normal ? gsl_cdf_ugaussian_P(v) : v;
    /* keep u inside (0, 1) so the inverses stay finite */
    if (u <= 0) u = 0x1p-60;
    if (u >= 1) u = 1 - 0x1p-53;
    switch (d->type) {
    case EPV_MC_DIST_UNIFORM: return d->a + (d->b - d->a) * u;
    case EPV_MC_DIST_TRIANGULAR: return triangular_inv(d->a, d->b, d->c, u);
    case EPV_MC_DIST_TRUNC_NORMAL: return trunc_normal_inv(in, u);
    default: return NAN;
    }
}

static int needs_normal(const epv__mc_input *in)
{
    return in->group >= 0 || in->dist.type == EPV_MC_DIST_NORMAL ||
           in->dist.type == EPV_MC_DIST_LOGNORMAL || in->dist.type == EPV_MC_DIST_LOGNORMAL_LOG;
}

static int run_one(run_args *a, worker_state *w, size_t it)
{
    epv_mc *mc = a->mc;
    size_t n = mc->n_in;
    /* 1. one variate per input, in input order (the uniform is gsl_rng_uniform_pos's rule
     * on the same generator, without the calls through GSL) */
    const unsigned char *kind = a->kind;
    xoshiro_state *st = w->rng->state;
    for (size_t i = 0; i < n; i++) {
        if (kind[i] == KIND_NORMAL) {
            w->z[i] = zig_normal(&a->zig, st);
        } else if (kind[i] == KIND_UNIFORM) {
            double u;
            do u = xo_get_double(st); while (u == 0);
            w->z[i] = u;
        } else {
            w->z[i] = 0;
        }
    }
    /* 2. correlate each group: z_g <- L z_g */
    for (size_t g = 0; g < mc->n_groups; g++) {
        const epv__mc_group *gr = &mc->groups[g];
        for (size_t r = 0; r < gr->k; r++) {
            double s = 0;
            for (size_t c = 0; c <= r; c++) s += gr->L[r * gr->k + c] * w->z[gr->idx[c]];
            w->tmp[r] = s;
        }
        for (size_t r = 0; r < gr->k; r++) w->z[gr->idx[r]] = w->tmp[r];
    }
    /* 3. marginals: normal inputs in one pass, the others one by one */
    const double *la = a->lin_a, *lb = a->lin_b, *z = w->z;
    double *x = w->x;
    for (size_t i = 0; i < n; i++) x[i] = la[i] + lb[i] * z[i];
    for (size_t k = 0; k < a->n_other; k++) {
        size_t i = a->other[k];
        x[i] = transform(&mc->in[i], z[i], kind[i] == KIND_NORMAL);
    }
    /* Non-negative inputs drawn negative are counted in one pass; only then is the first one
     * looked for, in input order as before. */
    const unsigned char *nn = a->nonneg;
    size_t neg = 0;
    for (size_t i = 0; i < n; i++) neg += nn[i] & (x[i] < 0);
    if (neg) {
        for (size_t i = 0; i < n; i++) {
            if (!nn[i] || !(x[i] < 0)) continue;
            w->code = EPV_EDOMAIN;
            w->fail_it = it;
            epv__snprintf_c(w->msg, sizeof w->msg,
                     "input '%s': draw %g in iteration %zu is negative but the input is declared "
                     "non-negative (use a lognormal or truncated normal)",
                     mc->in[i].name, x[i], it);
            return w->code;
        }
    }
    /* 4. model */
    int rc = a->model(w->x, n, w->out, a->n_out, a->payload);
    if (rc != 0) {
        /* A caller's callback failed (a binding's exception): never a draw. */
        w->code = EPV_ECALLBACK;
        w->fail_it = it;
        w->callback_rc = rc;
        epv__snprintf_c(w->msg, sizeof w->msg, "iteration %zu of %zu (%zu outputs)", it, a->iters,
                        a->n_out);
        return w->code;
    }
    for (size_t j = 0; j < a->n_out; j++) {
        if (!isfinite(w->out[j])) {
            w->code = EPV_EDOMAIN;
            w->fail_it = it;
            epv__snprintf_c(w->msg, sizeof w->msg, "output %zu: model returned %g in iteration %zu", j,
                     w->out[j], it);
            return w->code;
        }
        a->res[j * a->iters + it] = w->out[j];
    }
    return EPV_OK;
}

static int run_blocks(size_t begin, size_t end, int worker, void *payload)
{
    (void)begin;
    (void)end;
    run_args *a = payload;
    worker_state *w = &a->ws[worker];
    for (;;) {
        size_t b = atomic_fetch_add(&a->next, 1);
        if (b >= a->block1 || b >= atomic_load(&a->stop)) break;
        /* Block b's stream depends only on the seed and b (all 64 bits of both). */
        xoshiro_seed(w->rng->state, epv__mc_block_seed(a->seed, (uint64_t)b));
        size_t i0 = b * EPV__MC_BLOCK, i1 = i0 + EPV__MC_BLOCK;
        if (i1 > a->iters) i1 = a->iters;
        for (size_t it = i0; it < i1; it++) {
            int rc = run_one(a, w, it);
            if (rc) {
                size_t cur = atomic_load(&a->stop);
                while (b < cur && !atomic_compare_exchange_weak(&a->stop, &cur, b)) {
                }
                return rc;
            }
        }
    }
    return EPV_OK;
}

int epv_mc_run(epv_mc *mc, size_t iterations, size_t n_outputs, epv_mc_model_fn model,
               void *payload)
{
    if (!mc) return EPV_EINVAL;
    epv_ctx *ctx = mc->ctx;
    if (!model) return epv__error(ctx, EPV_EINVAL, "epv_mc_run: NULL model");
    if (iterations < 2)
        return epv__error(ctx, EPV_ERANGE,
                          "iterations: %zu draw%s cannot show any spread; at least 2 are needed",
                          iterations, iterations == 1 ? "" : "s");
    if (n_outputs == 0) return epv__error(ctx, EPV_ERANGE, "n_outputs: the model must have at least 1 output");
    if (mc->n_in == 0) return epv__error(ctx, EPV_ESTATE, "Monte Carlo: no inputs added");
    if (iterations > ((size_t)-1) / sizeof(double) / n_outputs / 2)
        return epv__error(ctx, EPV_ERANGE, "iterations: %zu x %zu outputs is too large", iterations, n_outputs);

    size_t nblocks = (iterations + EPV__MC_BLOCK - 1) / EPV__MC_BLOCK;
    int nworkers = epv_ctx_threads(ctx);
    if (nworkers < 1) nworkers = 1;
    if ((size_t)nworkers > nblocks) nworkers = (int)nblocks;

    size_t maxk = 1;
    for (size_t g = 0; g < mc->n_groups; g++)
        if (mc->groups[g].k > maxk) maxk = mc->groups[g].k;

    /* All or nothing: whatever happens, an earlier run's results are gone. */
    epv__mc_drop_results(mc);
    run_args a;
    memset(&a, 0, sizeof a);
    a.mc = mc;
    a.iters = iterations;
    a.n_out = n_outputs;
    a.model = model;
    a.payload = payload;
    a.seed = epv_ctx_seed(ctx);
    zig_init(&a.zig);
    atomic_init(&a.next, 0);
    atomic_init(&a.stop, (size_t)-1);
    int rc = EPV_OK;
    a.res = epv__malloc(ctx, iterations * n_outputs * sizeof(double));
    a.ws = epv__calloc(ctx, (size_t)nworkers, sizeof *a.ws);
    a.kind = epv__malloc(ctx, mc->n_in);
    a.lin_a = epv__malloc(ctx, mc->n_in * sizeof *a.lin_a);
    a.lin_b = epv__malloc(ctx, mc->n_in * sizeof *a.lin_b);
    a.other = epv__malloc(ctx, mc->n_in * sizeof *a.other);
    a.nonneg = epv__malloc(ctx, mc->n_in);
    if (!a.res || !a.ws || !a.kind || !a.lin_a || !a.lin_b || !a.other || !a.nonneg) {
        rc = EPV_ENOMEM;
        goto out;
    }
    for (size_t i = 0; i < mc->n_in; i++) {
        const epv__mc_input *in = &mc->in[i];
        a.kind[i] = (in->dist.type == EPV_MC_DIST_CONSTANT && in->group < 0) ? KIND_CONST
                    : needs_normal(in)                                      ? KIND_NORMAL
                                                                            : KIND_UNIFORM;
        int lin = in->dist.type == EPV_MC_DIST_NORMAL;
        a.lin_a[i] = lin ? in->dist.a : 0.0;
        a.lin_b[i] = lin ? in->dist.b : 0.0;
        if (!lin) a.other[a.n_other++] = i;
        a.nonneg[i] = (in->flags & EPV_MC_NONNEG) != 0;
    }
    for (int k = 0; k < nworkers; k++) {
        worker_state *w = &a.ws[k];
        w->rng = gsl_rng_alloc(&xoshiro_type);
        w->z = epv__malloc(ctx, mc->n_in * sizeof(double));
        w->x = epv__malloc(ctx, mc->n_in * sizeof(double));
        w->tmp = epv__malloc(ctx, maxk * sizeof(double));
        w->out = epv__malloc(ctx, n_outputs * sizeof(double));
        if (!w->rng || !w->z || !w->x || !w->tmp || !w->out) {
            rc = epv__error(ctx, EPV_ENOMEM, "Monte Carlo: out of memory for worker %d", k);
            goto out;
        }
    }
    /* Rounds of blocks: progress is reported from this (the calling) thread between rounds,
     * after the workers have joined; workers never call it. Without a progress callback the
     * whole run is one round. Rounds do not change the streams, so results are the same. */
    size_t round = ctx->progress ? (size_t)nworkers * 16 : nblocks;
    if ((rc = epv__progress(ctx, 0.0, "Monte Carlo"))) goto out;
    for (size_t b0 = 0; b0 < nblocks; b0 += round) {
        size_t nb = nblocks - b0 < round ? nblocks - b0 : round;
        a.block0 = b0;
        a.block1 = b0 + nb;
        atomic_store(&a.next, b0);
        atomic_store(&a.stop, (size_t)-1);
        /* one range per worker: each then takes blocks from a.next until none is left */
        rc = epv__parallel_for(ctx, (size_t)nworkers, nworkers, run_blocks, &a);
        if (rc) {
            /* The earliest failing iteration over all workers (see run_args.stop). */
            worker_state *first = NULL;
            for (int k = 0; k < nworkers; k++)
                if (a.ws[k].code && (!first || a.ws[k].fail_it < first->fail_it)) first = &a.ws[k];
            if (first && first->code == EPV_ECALLBACK)
                rc = epv__callback_failed(ctx, "Monte Carlo model callback", first->callback_rc, first->msg);
            else if (first)
                rc = epv__error(ctx, first->code, "%s", first->msg);
            goto out;
        }
        double done = (double)(b0 + nb) / (double)nblocks;
        if ((rc = epv__progress(ctx, done * 0.99, "Monte Carlo draws"))) goto out;
    }
    double *sorted = epv__malloc(ctx, iterations * n_outputs * sizeof(double));
    if (!sorted) {
        rc = EPV_ENOMEM;
        goto out;
    }
    memcpy(sorted, a.res, iterations * n_outputs * sizeof(double));
    for (size_t j = 0; j < n_outputs; j++) gsl_sort(sorted + j * iterations, 1, iterations);
    if ((rc = epv__progress(ctx, 1.0, "Monte Carlo done"))) {
        epv__free(ctx, sorted);
        goto out;
    }
    mc->res = a.res;
    mc->sorted = sorted;
    a.res = NULL;
    mc->iters = iterations;
    mc->n_out = n_outputs;
out:
    if (a.ws) {
        for (int k = 0; k < nworkers; k++) {
            if (a.ws[k].rng) gsl_rng_free(a.ws[k].rng);
            epv__free(ctx, a.ws[k].z);
            epv__free(ctx, a.ws[k].x);
            epv__free(ctx, a.ws[k].tmp);
            epv__free(ctx, a.ws[k].out);
        }
    }
    epv__free(ctx, a.ws);
    epv__free(ctx, a.kind);
    epv__free(ctx, a.lin_a);
    epv__free(ctx, a.lin_b);
    epv__free(ctx, a.other);
    epv__free(ctx, a.nonneg);
    epv__free(ctx, a.res);
    return rc;
}

/* ---- results ----------------------------------------------------------------------------- */

void epv__mc_summary(const epv_mc *mc, size_t output, epv_mc_summary *out)
{
    const double *col = mc->res + output * mc->iters;
    const double *srt = mc->sorted + output * mc->iters;
    size_t n = mc->iters;
    double mean = gsl_stats_mean(col, 1, n);
    epv_mc_summary s = EPV_MC_SUMMARY_INIT;
    s.n = n;
    s.mean = mean;
    s.sd = n > 1 ? gsl_stats_sd_m(col, 1, n, mean) : 0;
    s.min = srt[0];
    s.max = srt[n - 1];
    s.p2_5 = gsl_stats_quantile_from_sorted_data(srt, 1, n, 0.025);
    s.p97_5 = gsl_stats_quantile_from_sorted_data(srt, 1, n, 0.975);
    s.u_lower_pct = mean != 0 ? (mean - s.p2_5) / fabs(mean) * 100 : HUGE_VAL;
    s.u_upper_pct = mean != 0 ? (s.p97_5 - mean) / fabs(mean) * 100 : HUGE_VAL;
    *out = s;
}

int epv_mc_summarize(epv_mc *mc, size_t output, epv_mc_summary *out)
{
    if (!mc) return EPV_EINVAL;
    if (!out) return epv__error(mc->ctx, EPV_EINVAL, "epv_mc_summarize: NULL output");
    int rc = epv__check_version(mc->ctx, "epv_mc_summary", out, EPV_MC_SUMMARY_VERSION);
    if (rc) return rc;
    rc = epv__mc_check_output(mc, output);
    if (rc) return rc;
    epv_mc_summary s;
    epv__mc_summary(mc, output, &s);
    if (!isfinite(s.mean) || !isfinite(s.sd))
        return epv__error(mc->ctx, EPV_ERANGE,
                          "output %zu: the mean or standard deviation of the draws overflows", output);
    /* A mean of 0 leaves the relative bounds undefined (HUGE_VAL, documented); a caller that
     * reports U% must refuse it, as epv_sink_unc_approach2() does. */
    *out = s;
    return EPV_OK;
}

int epv_mc_percentiles(epv_mc *mc, size_t output, const double *pct, size_t n, double *out)
{
    if (!mc) return EPV_EINVAL;
    if (!pct || !out || n == 0)
        return epv__error(mc->ctx, EPV_EINVAL, "epv_mc_percentiles: NULL argument or n == 0");
    for (size_t i = 0; i < n; i++)
        if (!(pct[i] > 0 && pct[i] < 100))
            return epv__error(mc->ctx, EPV_ERANGE, "pct[%zu]: percentile %g is outside (0, 100)", i, pct[i]);
    int rc = epv__mc_check_output(mc, output);
    if (rc) return rc;
    const double *srt = mc->sorted + output * mc->iters;
    for (size_t i = 0; i < n; i++)
        out[i] = gsl_stats_quantile_from_sorted_data(srt, 1, mc->iters, pct[i] / 100);
    return EPV_OK;
}

int epv_mc_histogram(epv_mc *mc, size_t output, size_t nbins, double lower, double upper,
                     epv_i64 *counts)
{
    if (!mc) return EPV_EINVAL;
    if (!counts || nbins == 0)
        return epv__error(mc->ctx, EPV_EINVAL, "epv_mc_histogram: NULL counts or nbins == 0");
    int rc = epv__mc_check_output(mc, output);
    if (rc) return rc;
    const double *srt = mc->sorted + output * mc->iters;
    if (lower == 0 && upper == 0) {
        lower = srt[0];
        upper = srt[mc->iters - 1];
        if (lower == upper) upper = lower + 1; /* a constant output still gets a bin */
    }
    if (!isfinite(lower) || !isfinite(upper) || !(lower < upper))
        return epv__error(mc->ctx, EPV_ERANGE, "histogram range [%g, %g] needs lower < upper", lower, upper);
    for (size_t b = 0; b < nbins; b++) counts[b] = 0;
    double width = (upper - lower) / (double)nbins;
    for (size_t i = 0; i < mc->iters; i++) {
        double v = srt[i];
        if (v < lower || v > upper) continue;
        size_t b = (size_t)((v - lower) / width);
        if (b >= nbins) b = nbins - 1;
        counts[b]++;
    }
    return EPV_OK;
}

int epv_mc_samples(epv_mc *mc, size_t output, double *buf, size_t bufsize)
{
    if (!mc) return EPV_EINVAL;
    if (!buf) return epv__error(mc->ctx, EPV_EINVAL, "epv_mc_samples: NULL buffer");
    int rc = epv__mc_check_output(mc, output);
    if (rc) return rc;
    if (bufsize < mc->iters)
        return epv__error(mc->ctx, EPV_ERANGE, "bufsize: %zu is smaller than the %zu iterations", bufsize, mc->iters);
    memcpy(buf, mc->res + output * mc->iters, mc->iters * sizeof *buf);
    return EPV_OK;
}

int epv_mc_column(epv_mc *mc, size_t output, const double **values, size_t *n)
{
    if (!mc) return EPV_EINVAL;
    EPV__NEED(mc->ctx, values, "values");
    EPV__NEED(mc->ctx, n, "n");
    int rc = epv__mc_check_output(mc, output);
    if (rc) return rc;
    *values = mc->res + output * mc->iters;
    *n = mc->iters;
    return EPV_OK;
}

/* ---- the generators, for their known-answer tests ------------------------------------------ */

uint64_t epv__splitmix64(uint64_t x) { return splitmix64(x); }

uint64_t epv__xoshiro256ss_next(uint64_t state[4])
{
    xoshiro_state st;
    memcpy(st.s, state, sizeof st.s);
    uint64_t r = xoshiro_next(&st);
    memcpy(state, st.s, sizeof st.s);
    return r;
}

void epv__xoshiro256ss_seed(uint64_t state[4], uint64_t seed)
{
    xoshiro_state st;
    xoshiro_seed(&st, seed);
    memcpy(state, st.s, sizeof st.s);
}
