# SPDX-License-Identifier: GPL-3.0-or-later
"""The inventory benchmark's computation written plainly with NumPy, for comparison.

Reads the binary inputs written by bench_inventory (counties x years x sources activity,
GDP, factor, GWP, sector and grid factor per year), computes every record's emissions
(activity x factor x GWP, electricity with the year's grid factor), the totals of each sector
in the last year, the trace of one figure (record indices of sector 'indirect' in the last
year, for every county) and energy-CO2 intensity per county-year. Prints
"numpy SECONDS TOTAL TRACE_RECORDS SUM_INTENSITY" (best of three runs, computation only).
"""
import sys
import time

import numpy as np


def main():
    raw = open(sys.argv[1], "rb").read()
    nc, ny, ns = np.frombuffer(raw, dtype=np.int64, count=3)
    off = 24
    def take(n):
        nonlocal off
        a = np.frombuffer(raw, dtype=np.float64, count=n, offset=off)
        off += 8 * n
        return a
    fac, gwp, sect, isco2, grid = take(ns), take(ns), take(ns), take(ns), take(ny)
    rest = np.frombuffer(raw, dtype=np.float64, offset=off).reshape(nc, ny * ns + ny)
    act = rest[:, : ny * ns].reshape(nc, ny, ns)
    gdp = rest[:, ny * ns:]
    is_grid = fac == 0
    is_grid[sect != 1] = False
    # electricity_grid rows carry factor 0 in the table: their factor is the grid's by year
    elec = np.zeros(ns, dtype=bool)
    elec[30:34] = True
    best = float("inf")
    for _ in range(3):
        t0 = time.perf_counter()
        f = np.broadcast_to(fac, (ny, ns)).copy()
        f[:, elec] = grid[:, None]
        t_gas = act * f[None, :, :]
        co2e = t_gas * gwp
        last = co2e[:, -1, :]
        sector_tot = np.zeros(5)
        for k in range(5):
            sector_tot[k] = last[:, sect == k].sum()
        trace = np.nonzero((act[:, -1, :] != 0) & (sect == 1))
        ntrace = len(trace[0])
        co2 = (t_gas * isco2).sum(axis=2)
        intensity = co2 / gdp
        total = sector_tot.sum()
        best = min(best, time.perf_counter() - t0)
    print("numpy %.6f %.10e %d %.10e" % (best, total, ntrace, intensity.sum()))


if __name__ == "__main__":
    main()
