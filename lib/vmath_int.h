/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Batch exponential and logarithm for growth curves evaluated at many ages.
 *
 * Why not libm: projecting 10^5 strata over 60 years spends nearly all its time in exp, log
 * and pow, and libm's are called one value at a time. These kernels are plain arithmetic
 * (range reduction plus polynomial), so the compiler turns the batch loops into SIMD code;
 * the scalar and batch forms perform the same IEEE operations in the same order, so results
 * are identical whichever runs, on every x86-64 (no FMA contraction: the library is built
 * with -std=c11, which sets -ffp-contract=off). Accuracy is checked against libm in
 * tests/test_vmath.c (within a few ulp over the ranges growth curves use).
 *
 * Domains: exp and expm1 for x <= 709 (below −708 the result is flushed to 0 / −1);
 * log for finite x > 0 (other inputs give NaN). */
#ifndef EPV_VMATH_INT_H
#define EPV_VMATH_INT_H

#include <stddef.h>

double epv__exp(double x);
double epv__expm1(double x);
double epv__log(double x);
void epv__exp_batch(const double *x, double *y, size_t n);
void epv__log_batch(const double *x, double *y, size_t n);

/* y[i] = a · (1 − e^(−b·t[i]))^c for t[i] >= 0: the Richards curve over many ages. Returns
 * how many y[i] are not finite and >= 0 (as epv__count_not_finite_nonneg(y, n)). */
size_t epv__richards_batch(double a, double b, double c, const double *t, double *y, size_t n);

/* How many of x[0..n) are not finite and >= 0 (NaN, infinities, negatives; -0 counts as 0):
 * the vectorised check behind batch evaluations. */
size_t epv__count_not_finite_nonneg(const double *x, size_t n);

#endif
