# SPDX-License-Identifier: GPL-3.0-or-later
"""The inventory benchmark's computation written plainly with NumPy, for comparison.

Reads the binary inputs written by bench_inventory (counties x years x sources activity,
GDP, factor, GWP, sector and grid factor per year) and computes what
epv_inventory_batch_compute and epv_inventory_batch_trace produce: every county-year's total
and totals by sector (t CO2e: activity x factor x GWP, electricity with the year's grid
factor), the energy-CO2 intensity per county-year, and the trace of one figure (the sources
of sector 'indirect' with non-zero activity in the last year, for every county). Factor x GWP
is folded once per (year, source), as the C side does. Prints
"numpy SECONDS TOTAL TRACE_RECORDS SUM_INTENSITY" (best of three runs, computation only) and,
if a second path is given, writes there the outputs for the C side to compare: totals
(nc*ny), sector totals (nc*ny*5), intensities (nc*ny) as float64, then the trace as int64
flat indices county*ns+source.
"""
import sys
import time

import numpy as np


def main():
    raw = open(sys.argv[1], "rb").read()
    nc, ny, ns = (int(v) for v in np.frombuffer(raw, dtype=np.int64, count=3))
    off = 24
    def take(n):
        nonlocal off
        a = np.frombuffer(raw, dtype=np.float64, count=n, offset=off)
        off += 8 * n
        return a
    fac, gwp, sect, isco2, grid = take(ns), take(ns), take(ns), take(ns), take(ny)
    rest = np.frombuffer(raw, dtype=np.float64, offset=off).reshape(nc, ny * ns + ny)
    # one contiguous activity array, as the C side gets (copy not timed)
    act = np.ascontiguousarray(rest[:, : ny * ns].reshape(nc, ny, ns))
    gdp = np.ascontiguousarray(rest[:, ny * ns:])
    # electricity_grid rows carry factor 0 in the table: their factor is the grid's by year
    elec = np.zeros(ns, dtype=bool)
    elec[30:34] = True
    onehot = (sect[:, None] == np.arange(5)[None, :]).astype(np.float64)
    indirect = sect == 1
    best = float("inf")
    for _ in range(3):
        t0 = time.perf_counter()
        f = np.broadcast_to(fac, (ny, ns)).copy()
        f[:, elec] = grid[:, None]
        fg = f * gwp                      # t CO2e per unit, per (year, source)
        fc = f * isco2                    # energy t CO2 per unit, per (year, source)
        co2e = act * fg                   # (nc, ny, ns)
        sector_tot = (co2e.reshape(nc * ny, ns) @ onehot).reshape(nc, ny, 5)
        total = sector_tot.sum(axis=2)
        co2 = np.einsum("cys,ys->cy", act, fc)
        intensity = co2 / gdp
        trace = np.flatnonzero((act[:, -1, :] != 0) & indirect)
        best = min(best, time.perf_counter() - t0)
    print("numpy %.6f %.10e %d %.10e" % (best, sector_tot[:, -1, :].sum(), len(trace), intensity.sum()))
    if len(sys.argv) > 2:
        with open(sys.argv[2], "wb") as out:
            out.write(total.astype(np.float64).tobytes())
            out.write(sector_tot.astype(np.float64).tobytes())
            out.write(intensity.astype(np.float64).tobytes())
            out.write(trace.astype(np.int64).tobytes())


if __name__ == "__main__":
    main()
