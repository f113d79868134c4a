# SPDX-License-Identifier: GPL-3.0-or-later
"""The inventory-reading benchmark's reference (run by bench/bench_compartment.c): the same
GeoPackage read plainly with GDAL's Python bindings, every attribute of every feature and its
polygon's planar area, best of three. Prints "python_seconds T area A" (A in ha)."""
import sys
import time

from osgeo import ogr

ogr.UseExceptions()


def read(path):
    ds = ogr.Open(path)
    lyr = ds.GetLayer(0)
    total = 0.0
    recs = []
    for f in lyr:
        recs.append((f.GetField("id"), f.GetField("species"), f.GetField("origin"), f.GetField("age"),
                     f.GetField("area_ha"), f.GetField("volume_m3_ha"), f.GetField("site_class")))
        total += f.GetGeometryRef().GetArea() * 1e-4
    return total


def main():
    best, area = float("inf"), 0.0
    for _ in range(3):
        t0 = time.perf_counter()
        area = read(sys.argv[1])
        best = min(best, time.perf_counter() - t0)
    print("python_seconds %.6f area %.6f" % (best, area))


if __name__ == "__main__":
    main()
