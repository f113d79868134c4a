#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Reproduce the polynomial coefficients of lib/vmath.c (needs mpmath; not run by the build).

expm1_poly: p(r) ~ (e^r - 1 - r)/r^2 on |r| <= ln2/2, degree 9.
log_k:      s(x) ~ (atanh(f)/f - 1)/x, x = f^2, f in [0, (sqrt2 - 1)/(sqrt2 + 1)], degree 6.
Both are interpolated at the Chebyshev nodes (mpmath.chebyfit, 40 digits: near-minimax), then
rounded to doubles. Prints the coefficients from the highest degree down as C hexadecimal
literals, and each fit's worst error over 2,001 points (relative to e^r, and to ln m through
the term 2f x s it enters), in ulps.
"""
import mpmath as mp

mp.mp.dps = 40


def fit(name, fn, lo, hi, degree, weight):
    poly = mp.chebyfit(fn, [lo, hi], degree + 1)
    coeffs = [float(c) for c in poly]
    worst = 0
    for i in range(2001):
        x = lo + (hi - lo) * i / 2000
        err = abs(mp.polyval([mp.mpf(c) for c in coeffs], x) - fn(x)) * weight(x)
        worst = max(worst, err)
    print("%s (degree %d): worst error %.3f ulp" % (name, degree, float(worst / mp.mpf(2) ** -52)))
    print("  " + ", ".join(c.hex() for c in coeffs))


def expm1_rest(r):
    return mp.mpf(1) / 2 if r == 0 else (mp.expm1(r) - r) / r**2


def atanh_rest(x):
    if x == 0:
        return mp.mpf(1) / 3
    f = mp.sqrt(x)
    return (mp.atanh(f) / f - 1) / x


h = mp.log(2) / 2
fit("expm1_poly", expm1_rest, -h, h, 9, lambda r: r**2 / mp.exp(r))
fmax = (mp.sqrt(2) - 1) / (mp.sqrt(2) + 1)
fit("log_k s", atanh_rest, 0, fmax**2, 6, lambda x: x)
