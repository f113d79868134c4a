#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""NumPy twin of bench_uncertainty.c: Monte Carlo of a 1,000-stratum, 40-year project.

Each stratum: area (normal), Richards volume curve V(t) = a (1 - exp(-b t))^c with (a, b, c)
jointly normal (correlation from a fit), basic wood density and BEF (normal); carbon fraction
0.47 and root:shoot 0.25 fixed. Output per draw: project removals (t CO2e) in each of 40 years.
The same distributions as the C run, drawn with NumPy's generator (so means agree only within
sampling error). Prints iterations per second and the mean 40-year total.
Usage: bench_uncertainty.py ITERATIONS [SEED]
"""
import sys
import time

import numpy as np

NSTRATA, YEARS = 1000, 40
CF, R = 0.47, 0.25
CORR = np.array([[1.0, -0.5, 0.3], [-0.5, 1.0, 0.4], [0.3, 0.4, 1.0]])


def strata():
    h = np.arange(NSTRATA)
    area = 50.0 + (h % 17) * 10.0
    a = 250.0 + (h % 13) * 10.0
    b = 0.04 + (h % 7) * 0.005
    c = 2.0 + (h % 5) * 0.2
    dens = 0.30 + (h % 4) * 0.03
    bef = 1.4 + (h % 3) * 0.1
    return area, a, b, c, dens, bef


def run(iters, seed, chunk=250):
    area, a, b, c, dens, bef = strata()
    sd_abc = np.stack([a * 0.08, b * 0.10, c * 0.08], axis=1)  # (S, 3)
    L = np.linalg.cholesky(CORR)
    rng = np.random.default_rng(seed)
    years = np.arange(0, YEARS + 1, dtype=float)
    out = np.empty((iters, YEARS))
    for i0 in range(0, iters, chunk):
        n = min(chunk, iters - i0)
        z = rng.standard_normal((n, NSTRATA, 3)) @ L.T
        abc = np.array([a, b, c]).T + z * sd_abc  # (n, S, 3)
        A = area + area * 0.05 * rng.standard_normal((n, NSTRATA))
        D = dens + dens * 0.10 * rng.standard_normal((n, NSTRATA))
        B = bef + bef * 0.10 * rng.standard_normal((n, NSTRATA))
        k = A * D * B * (1 + R) * CF * 44.0 / 12.0  # (n, S)
        # V for every year: (n, S, 41)
        V = abc[..., 0:1] * (1.0 - np.exp(-abc[..., 1:2] * years)) ** abc[..., 2:3]
        dV = np.diff(V, axis=2)  # (n, S, 40)
        out[i0:i0 + n] = np.einsum("ns,nsy->ny", k, dV)
    return out


def main():
    iters = int(sys.argv[1]) if len(sys.argv) > 1 else 100000
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    t0 = time.perf_counter()
    out = run(iters, seed)
    dt = time.perf_counter() - t0
    total = out.sum(axis=1)
    print(f"numpy iterations={iters} seconds={dt:.4f} iters_per_s={iters / dt:.2f} "
          f"mean_total_tco2e={total.mean():.6g} sd_total_tco2e={total.std(ddof=1):.6g}")


if __name__ == "__main__":
    main()
