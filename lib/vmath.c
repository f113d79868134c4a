/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Batch exp, expm1 and log (see vmath_int.h for why and for the guarantees). */
#if defined(__GNUC__) && !defined(__clang__)
/* Let the batch loops vectorize: selects between computed values become blends only when
 * comparisons may not trap (nothing here reads floating-point exception flags), and the
 * default -O2 cost model refuses loops of unknown length. Copy loops stay loops (not memcpy
 * calls, whose string moves the vector loads right after them wait for). */
#pragma GCC optimize("no-trapping-math", "vect-cost-model=dynamic", "no-tree-loop-distribute-patterns")
#endif
#include "config.h"
#include "vmath_int.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

/* ln 2 split so n·LN2_HI is exact for |n| < 2^11 (Cody and Waite's reduction). */
static const double LN2_HI = 6.93147180369123816490e-01;
static const double LN2_LO = 1.90821492927058770002e-10;
static const double INV_LN2 = 1.44269504088896338700e+00;
/* 1.5 · 2^52: adding it rounds a double of magnitude < 2^51 to an integer. */
static const double ROUNDER = 6755399441055744.0;

static inline double bits_to_double(uint64_t u)
{
    double d;
    memcpy(&d, &u, sizeof d);
    return d;
}

static inline uint64_t double_to_bits(double d)
{
    uint64_t u;
    memcpy(&u, &d, sizeof u);
    return u;
}

/* e^r − 1 for |r| <= ln2/2 as r + r² p(r), p of degree 9 fitted to (e^r − 1 − r)/r² at the
 * Chebyshev nodes of the interval (mpmath's chebyfit, 40 digits, then rounded to doubles; a
 * near-minimax fit; scripts/fit-vmath-poly.py reproduces the coefficients): its error is below 0.07 ulp of e^r, where the Taylor series needs degree 11
 * for the same. p is evaluated as its even and odd terms, two Horner chains in r² that run side
 * by side: half the dependent steps of one chain, for one extra multiplication and addition (a
 * batch of a few vectors waits on this chain's latency more than on throughput). */
static inline double expm1_poly(double r)
{
    double r2 = r * r;
    double e = 0x1.28917c89a43a7p-22, o = 0x1.af389ecfc4b9cp-26;
    e = 0x1.a019b9149a41cp-16 + r2 * e;
    o = 0x1.71de0db2f6b19p-19 + r2 * o;
    e = 0x1.6c16c17889ef1p-10 + r2 * e;
    o = 0x1.a01a01a7c2efep-13 + r2 * o;
    e = 0x1.5555555553d68p-5 + r2 * e;
    o = 0x1.11111111109b5p-7 + r2 * o;
    e = 0x1.0000000000001p-1 + r2 * e;
    o = 0x1.5555555555556p-3 + r2 * o;
    double p = e + r * o; /* about 1/2 + r/6 + r²/24 + ... + r^9/11! */
    return r + r2 * p;
}

/* Small integers move between int64 and double through the ROUNDER bit pattern instead of
 * casts: SSE2 and AVX2 have no packed int64 <-> double conversion, and casts would keep the
 * loops scalar. Valid for |n| < 2^51. */
static inline int64_t round_to_int(double x, double *xd)
{
    double t = x + ROUNDER;
    *xd = t - ROUNDER;
    return (int64_t)(double_to_bits(t) - double_to_bits(ROUNDER));
}

static inline double int_to_double(int64_t n)
{
    return bits_to_double(double_to_bits(ROUNDER) + (uint64_t)n) - ROUNDER;
}

/* Reduce x = n·ln2 + r, |r| <= ln2/2 (x clamped to [−708, 709] so 2^n stays normal);
 * returns 2^n and sets *r. */
static inline double reduce(double x, double *r)
{
    x = x < -708.0 ? -708.0 : x;
    x = x > 709.0 ? 709.0 : x;
    double nd;
    int64_t n = round_to_int(x * INV_LN2, &nd);
    *r = (x - nd * LN2_HI) - nd * LN2_LO;
    return bits_to_double((uint64_t)(n + 1023) << 52);
}

static inline double exp_k(double x)
{
    double r, scale = reduce(x, &r);
    double y = scale + scale * expm1_poly(r);
    return x < -708.0 ? 0.0 : y;
}

static inline double expm1_k(double x)
{
    double r, scale = reduce(x, &r);
    /* e^x − 1 = 2^n (e^r − 1) + (2^n − 1): no cancellation for n = 0. */
    double y = scale * expm1_poly(r) + (scale - 1.0);
    return x < -708.0 ? -1.0 : y;
}

/* ln x = k·ln2 + ln m with m in [√½, √2): ln m = 2 atanh(f), f = (m − 1)/(m + 1), |f| < 0.172,
 * 2 atanh(f) = 2f + 2f·f²·s(f²) with s fitted below. */
static inline double log_k(double x)
{
    uint64_t u = double_to_bits(x);
    /* Subtracting the bits of √½ makes the exponent field count from √½, so k is the
     * power of two that brings x into [√½, √2). */
    int64_t k = (int64_t)(u - 0x3fe6a09e667f3bcdULL) >> 52;
    double m = bits_to_double(u - ((uint64_t)k << 52));
    double f = (m - 1.0) / (m + 1.0), f2 = f * f;
    /* s ≈ 1/3 + f²/5 + f⁴/7 + ...: degree 6 in f², fitted at the Chebyshev nodes of
     * [0, 0.1716²] (as expm1_poly; error below 0.03 ulp of ln m, where the series needs 11
     * terms), as two chains in f⁴ side by side */
    double f4 = f2 * f2;
    double se = 0x1.2b584aae78a57p-4, so = 0x1.39fe606542ddep-4;
    se = 0x1.7462b4ab2ef6bp-4 + f4 * se;
    so = 0x1.c71c62e5800a1p-4 + f4 * so;
    se = 0x1.2492492df148dp-3 + f4 * se;
    so = 0x1.99999999952e2p-3 + f4 * so;
    se = 0x1.5555555555558p-2 + f4 * se;
    double s = se + f2 * so;
    double kd = int_to_double(k);
    double y = kd * LN2_HI + (2.0 * f + (2.0 * f * (f2 * s) + kd * LN2_LO));
    /* Zero, negative, subnormal, infinite and NaN inputs are outside the domain. */
    int in_domain = (x >= 2.2250738585072014e-308) & (x <= 1.7976931348623157e308);
    return in_domain ? y : NAN;
}

double epv__exp(double x) { return exp_k(x); }
double epv__expm1(double x) { return expm1_k(x); }
double epv__log(double x) { return log_k(x); }

#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__)
#define EPV__CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define EPV__CLONES
#endif

EPV__CLONES void epv__exp_batch(const double *x, double *y, size_t n)
{
    for (size_t i = 0; i < n; i++) y[i] = exp_k(x[i]);
}

EPV__CLONES void epv__log_batch(const double *x, double *y, size_t n)
{
    for (size_t i = 0; i < n; i++) y[i] = log_k(x[i]);
}

static inline size_t not_finite_nonneg(double x)
{
    uint64_t u = double_to_bits(x);
    /* A double is finite and non-negative exactly when its bits, read as an unsigned integer,
     * are at most those of DBL_MAX, or are those of -0; integer compares vectorise. */
    return (u > UINT64_C(0x7FEFFFFFFFFFFFFF)) & (u != UINT64_C(0x8000000000000000));
}

/* Three simple passes over a chunk vectorize where one fused loop does not. Each chunk is
 * padded to a multiple of 8 ages (with age 1) so every element goes through the vector body:
 * a growth curve is often evaluated at a few dozen ages (41 in the Monte Carlo benchmark),
 * where the scalar remainder loops took about 15% of the time. The padded lanes are
 * computed and dropped; scalar and vector code perform the same operations, so the values
 * do not change. The outputs are checked while still in registers (reading them back after
 * the copy cost as much as the check). */
EPV__CLONES size_t epv__richards_batch(double a, double b, double c, const double *t, double *y, size_t n)
{
    double tb[256], u[256], w[256];
    size_t bad = 0;
    for (size_t start = 0; start < n; start += 256) {
        size_t m = n - start < 256 ? n - start : 256;
        size_t m8 = (m + 7) & ~(size_t)7;
        for (size_t i = 0; i < m; i++) tb[i] = t[start + i];
        for (size_t i = m; i < m8; i++) tb[i] = 1.0;
        for (size_t i = 0; i < m8; i++) u[i] = -expm1_k(-b * tb[i]); /* 1 − e^(−bt), accurate for small bt */
        for (size_t i = 0; i < m8; i++) w[i] = c * log_k(u[i]);
        size_t nb = 0;
        for (size_t i = 0; i < m8; i++) {
            double v = a * exp_k(w[i]);
            v = u[i] > 0 ? v : 0.0; /* t = 0: the curve starts at 0 for c > 0 */
            w[i] = v;
            nb += not_finite_nonneg(v);
        }
        /* the padded lanes (age 1) are checked too; count them only for the real ages */
        for (size_t i = m; i < m8; i++) nb -= not_finite_nonneg(w[i]);
        bad += nb;
        for (size_t i = 0; i < m; i++) y[start + i] = w[i];
    }
    return bad;
}

EPV__CLONES size_t epv__count_not_finite_nonneg(const double *x, size_t n)
{
    size_t bad = 0;
    for (size_t i = 0; i < n; i++) bad += not_finite_nonneg(x[i]);
    return bad;
}
