# SPDX-License-Identifier: GPL-3.0-or-later
"""The sink benchmark's computation written plainly with NumPy, for comparison.

Reads the strata written by bench_sink (CSV), projects each over YEARS years with a
Richards volume curve, converts volume to CO2 by the BEF method (V·D·BEF·(1+R)·CF·44/12
per hectare × area) and sums the yearly stock changes over all strata. Prints
"numpy SECONDS CUMULATIVE" (best of three runs, computation only).
"""
import sys
import time

import numpy as np


def project(d, start, years):
    year_end = start + np.arange(years)
    age = year_end[None, :] - d["planting_year"][:, None] + 1.0        # age at the end of each year
    age_prev = age - 1.0
    a, b, c = d["a"][:, None], d["b"][:, None], d["c"][:, None]
    def volume(t):
        v = a * (1.0 - np.exp(-b * np.maximum(t, 0.0))) ** c
        return np.where(t > 0, v, 0.0)
    k = d["wood_density"] * d["bef"] * (1 + d["root_shoot"]) * d["carbon_fraction"] * 44.0 / 12.0 * d["area_ha"]
    removals = k[:, None] * (volume(age) - volume(age_prev))
    return removals.sum(axis=0).cumsum()[-1]


def main():
    path, start, years = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    raw = np.genfromtxt(path, delimiter=",", names=True)
    d = {name: raw[name].astype(float) for name in raw.dtype.names}
    best = float("inf")
    for _ in range(3):
        t0 = time.perf_counter()
        total = project(d, start, years)
        best = min(best, time.perf_counter() - t0)
    print("numpy %.6f %.10e" % (best, total))


if __name__ == "__main__":
    main()
