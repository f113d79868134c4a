# SPDX-License-Identifier: GPL-3.0-or-later
"""The GEP benchmark computation written plainly with NumPy (run by bench/bench_gep.c).

Reads the quantities libepv was given (float64, leaf x year x region x ecosystem) and the
metadata file, converts prices to constant prices with the deflator, values every cell,
sums final services per county and year, then aggregates to provinces and the nation.
Prints "numpy_seconds <best of 5> nation <sum over years of the national GEP>"."""
import sys
import time

import numpy as np


def main(qpath, meta):
    with open(meta) as f:
        nleaf, ny, nreg, neco, first, price_year = (int(x) for x in f.readline().split())
        leaves = [f.readline().split() for _ in range(nleaf)]
        rest = [line.split() for line in f]
    ndefl = len(rest) - nreg
    index = {int(y): float(v) for y, v in rest[:ndefl]}
    parent = np.array([int(r[0]) for r in rest[ndefl:]])
    price = np.array([float(x[0]) for x in leaves])
    base = np.array([int(x[1]) for x in leaves])
    final = np.array([int(x[2]) for x in leaves], dtype=bool)
    q = np.fromfile(qpath, dtype=np.float64).reshape(nleaf, ny, nreg, neco)
    years = np.arange(first, first + ny)
    best = None
    for _ in range(5):
        t0 = time.perf_counter()
        # price conversion to constant prices of price_year (money indicators: of the data year)
        idx_base = np.array([[index[b] if b else index[y] for y in years] for b in base])
        p_const = price[:, None] * index[price_year] / idx_base          # leaf x year
        county = (q[final].sum(axis=3) * p_const[final][:, :, None]).sum(axis=0)  # year x region
        gep = county.copy()
        # aggregation: children were listed after parents; add each region to its parent
        for level_regions in (np.where(parent > 0)[0], np.where(parent == 0)[0]):
            np.add.at(gep, (slice(None), parent[level_regions]), gep[:, level_regions])
        t = time.perf_counter() - t0
        best = t if best is None else min(best, t)
    print(f"numpy_seconds {best:.6f} nation {gep[:, 0].sum():.17g}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
