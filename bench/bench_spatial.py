# SPDX-License-Identifier: GPL-3.0-or-later
"""The spatial benchmark written plainly with GDAL and NumPy (run by bench/bench_spatial.c).

  make DIR NX NY NZX NZY   write the synthetic inputs: land cover (5 classes in blobs), DEM,
                           rain, ET, R, K on a 30 m UTM grid, the biophysical table and
                           NZX x NZY rectangular regions (GeoJSON)
  run DIR                  the same computation as epv_spatial_run: per pixel water
                           conservation (floored at 0), RUSLE soil retention with LS from Horn's
                           slope (AH703 L and S), CO2 and O2 from NEP, ET volume; sums by region x
                           ecosystem with np.bincount. Reads in strips of 512 rows (bounded
                           memory), one thread. Prints "numpy_seconds T water W soil S co2 C"."""
import csv
import json
import os
import sys
import time

import numpy as np
from osgeo import gdal, ogr

gdal.UseExceptions()
X0, Y0, PX = 500000.0, 3600000.0, 30.0
NAMES = ["landcover", "dem", "precip", "et", "erosivity", "erodibility"]


def make(d, nx, ny, nzx, nzy):
    os.makedirs(d, exist_ok=True)
    rng = np.random.RandomState(7)
    drv = gdal.GetDriverByName("GTiff")
    sr = "EPSG:32648"
    ds = {}
    for n in NAMES:
        t = gdal.GDT_Byte if n == "landcover" else gdal.GDT_Float32
        o = drv.Create(os.path.join(d, n + ".tif"), nx, ny, 1, t, options=["TILED=YES", "BLOCKXSIZE=256", "BLOCKYSIZE=256"])
        o.SetGeoTransform((X0, PX, 0, Y0, 0, -PX))
        o.SetProjection(_wkt(sr))
        if n == "landcover":
            o.GetRasterBand(1).SetNoDataValue(0)
        ds[n] = o
    step = 1024
    for r0 in range(0, ny, step):
        h = min(step, ny - r0)
        yy, xx = np.mgrid[r0:r0 + h, 0:nx].astype(np.float32)
        dem = 400 + 300 * np.sin(xx * 0.004) * np.cos(yy * 0.003) + 150 * np.sin(xx * 0.021 + yy * 0.017) \
            + rng.uniform(0, 8, (h, nx)).astype(np.float32)
        lc = (1 + ((np.sin(xx * 0.01) + np.cos(yy * 0.013) + 2) * 1.25).astype(np.uint8) % 5).astype(np.uint8)
        rain = 900 + 0.3 * dem
        et = 600 - 0.1 * dem
        ds["dem"].GetRasterBand(1).WriteArray(dem.astype(np.float32), 0, r0)
        ds["landcover"].GetRasterBand(1).WriteArray(lc, 0, r0)
        ds["precip"].GetRasterBand(1).WriteArray(rain.astype(np.float32), 0, r0)
        ds["et"].GetRasterBand(1).WriteArray(et.astype(np.float32), 0, r0)
        ds["erosivity"].GetRasterBand(1).WriteArray((4 * rain).astype(np.float32), 0, r0)
        ds["erodibility"].GetRasterBand(1).WriteArray(np.full((h, nx), 0.03, np.float32), 0, r0)
    for o in ds.values():
        o.FlushCache()
    ds = None
    with open(os.path.join(d, "bio.csv"), "w") as f:
        f.write("lucode,ecosystem,runoff_coef,usle_c,usle_p,nep_tc_ha\n1,forest,0.04,0.006,1,2.4\n"
                "2,cropland,0.3,0.23,0.45,0.6\n3,grassland,0.1,0.04,1,0.9\n4,wetland,0,0,1,0.3\n"
                "5,settlement,0.6,0.01,1,0\n")
    feats = []
    w, hgt = nx * PX / nzx, ny * PX / nzy
    for j in range(nzy):
        for i in range(nzx):
            x0, y0 = X0 + i * w, Y0 - j * hgt
            ring = [[x0, y0], [x0 + w, y0], [x0 + w, y0 - hgt], [x0, y0 - hgt], [x0, y0]]
            feats.append({"type": "Feature", "properties": {"code": "r%d" % (j * nzx + i), "name": "R%d" % (j * nzx + i),
                                                            "zid": j * nzx + i + 1},
                          "geometry": {"type": "Polygon", "coordinates": [ring]}})
    with open(os.path.join(d, "zones.geojson"), "w") as f:
        json.dump({"type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::32648"}},
                   "features": feats}, f)


def _wkt(s):
    from osgeo import osr
    r = osr.SpatialReference()
    r.SetFromUserInput(s)
    return r.ExportToWkt()


def ls_factor(win, dx, dy, lam):
    a, b, c = win[:-2, :-2], win[:-2, 1:-1], win[:-2, 2:]
    d, f = win[1:-1, :-2], win[1:-1, 2:]
    g, h, i = win[2:, :-2], win[2:, 1:-1], win[2:, 2:]
    dzdx = ((c + 2 * f + i) - (a + 2 * d + g)) / (8 * dx)
    dzdy = ((g + 2 * h + i) - (a + 2 * b + c)) / (8 * dy)
    t = np.sqrt(dzdx * dzdx + dzdy * dzdy)
    s = t / np.sqrt(1 + t * t)
    S = np.where(t < 0.09, 10.8 * s + 0.03, 16.8 * s - 0.5)
    with np.errstate(divide="ignore", invalid="ignore"):
        beta = (s / 0.0896) / (3 * s ** 0.8 + 0.56)
    m = beta / (1 + beta)
    return np.where(s > 0, (lam / 22.13) ** m * S, S)


def run(d):
    t0 = time.perf_counter()
    bio = list(csv.DictReader(open(os.path.join(d, "bio.csv"))))
    ecos = sorted(set(r["ecosystem"] for r in bio))
    lut = np.full(256, -1, np.int64)
    alpha, cf, pf, nep, eco = (np.zeros(256) for _ in range(5))
    for r in bio:
        k = int(r["lucode"])
        lut[k] = k
        alpha[k], cf[k], pf[k], nep[k] = float(r["runoff_coef"]), float(r["usle_c"]), float(r["usle_p"]), float(r["nep_tc_ha"])
        eco[k] = ecos.index(r["ecosystem"])
    src = {n: gdal.Open(os.path.join(d, n + ".tif")) for n in NAMES}
    nx, ny = src["landcover"].RasterXSize, src["landcover"].RasterYSize
    gt = src["landcover"].GetGeoTransform()
    vec = ogr.Open(os.path.join(d, "zones.geojson"))
    lyr = vec.GetLayer(0)
    nreg = lyr.GetFeatureCount()
    mem = gdal.GetDriverByName("MEM").Create("", nx, ny, 1, gdal.GDT_Int32)
    mem.SetGeoTransform(gt)
    mem.SetProjection(src["landcover"].GetProjection())
    # region index + 1 (field zid, in feature order as libepv numbers regions), by cell centre
    gdal.RasterizeLayer(mem, [1], lyr, options=["ATTRIBUTE=zid"])
    zone = mem.GetRasterBand(1).ReadAsArray()
    area = abs(gt[1] * gt[5])
    ncell = nreg * len(ecos)
    sums = np.zeros((4, ncell))
    step = 512
    dem_b = src["dem"].GetRasterBand(1)
    for r0 in range(0, ny, step):
        h = min(step, ny - r0)
        lc = src["landcover"].GetRasterBand(1).ReadAsArray(0, r0, nx, h).astype(np.int64)
        p = src["precip"].GetRasterBand(1).ReadAsArray(0, r0, nx, h).astype(np.float64)
        et = src["et"].GetRasterBand(1).ReadAsArray(0, r0, nx, h).astype(np.float64)
        R = src["erosivity"].GetRasterBand(1).ReadAsArray(0, r0, nx, h).astype(np.float64)
        K = src["erodibility"].GetRasterBand(1).ReadAsArray(0, r0, nx, h).astype(np.float64)
        a0, a1 = max(r0 - 1, 0), min(r0 + h + 1, ny)
        dem = dem_b.ReadAsArray(0, a0, nx, a1 - a0).astype(np.float64)
        dem = np.pad(dem, ((1 if r0 == 0 else 0, 1 if r0 + h == ny else 0), (1, 1)), mode="reflect", reflect_type="odd")
        ok = (lc > 0) & (lut[np.clip(lc, 0, 255)] >= 0)
        k = np.where(ok, lc, 0)
        wc = np.maximum((p - p * alpha[k] - et) * area * 1e-3, 0)
        ls = ls_factor(dem, abs(gt[1]), abs(gt[5]), 50.0)
        pot = R * K * ls * area * 1e-4
        soil = pot - pot * cf[k] * pf[k]
        co2 = 44.0 / 12 * nep[k] * area * 1e-4
        z = zone[r0:r0 + h]
        sel = ok & (z > 0)
        idx = ((z - 1) * len(ecos) + eco[k].astype(np.int64))[sel]
        for j, v in enumerate((wc, soil, co2, et * area * 1e-3)):
            sums[j] += np.bincount(idx, weights=v[sel], minlength=ncell)
    t = time.perf_counter() - t0
    print("numpy_seconds %.6f water %.12e soil %.12e co2 %.12e" % (t, sums[0].sum(), sums[1].sum(), sums[2].sum()))


if __name__ == "__main__":
    if sys.argv[1] == "make":
        make(sys.argv[2], *(int(x) for x in sys.argv[3:7]))
    else:
        run(sys.argv[2])
