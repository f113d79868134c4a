#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Generate the SYNTHETIC raster data set of examples/bazhong_spatial (data/examples/bazhong_spatial/).

Nothing here is measured. The grid covers Bazhong (106.35-107.78 E, 31.24-32.75 N) in WGS84
longitude/latitude at 0.01 degree (about 950 m x 1,110 m). Only the county boundaries are real
(bazhong_counties.geojson, see its LICENSE). How each raster was made:

  dem.tif          terrain: a plane rising from about 350 m in the south to 1,900 m in the
                   north (the Micang Shan side of Bazhong), plus two families of sine ridges and
                   smoothed Gaussian noise (NumPy seed 2021), clipped at 250 m; metres.
  landcover.tif    land cover from elevation and the same noise: forest (1) above ~800 m and on
                   steep ground, grassland (3) in a band below, cropland (2) in the low south,
                   a synthetic river of water (4) along a meandering line, settlements (5) as
                   3x3 cells around each county's label point; nodata 0 outside the boundaries.
  precip.tif       annual rain 950 mm + 0.25 mm per metre of elevation + 100 mm towards the north.
  et.tif           actual evapotranspiration 620 mm - 0.08 mm per metre, lower on cropland and
                   settlement; mm.
  erosivity.tif    R = 4.0 x rain (MJ mm ha-1 h-1 yr-1), a stand-in for a regional R map.
  erodibility.tif  K = 0.030 +- 0.006 (t ha h ha-1 MJ-1 mm-1), smoothed noise.
  storm_precip.tif rain of the year's heavy-rain (storm) events: 28 % of the annual rain plus
                   20 mm per 100 m of elevation above 600 m (mm), for flood regulation.

bazhong_townships.geojson: a SYNTHETIC township subdivision of the real county polygons. The
shipped boundaries have no townships, so each county is cut into about one "township" per
300 km2 (at least 3): seed points drawn inside the county (NumPy seed 2021, at least 0.07
degree apart), the Voronoi cell of each seed (intersection of the half-planes nearer to it than
to the county's other seeds) clipped to the county. Fields: code (county code + 3 digits),
name ("<county> synthetic township NN", Chinese county name), county, county_name,
synthetic = 1. These are NOT real townships: their shapes, names and codes are made up.

Run: python3 scripts/make-bazhong-spatial.py [outdir]   (needs python3-gdal and python3-numpy)
"""
import os
import sys

import numpy as np
from osgeo import gdal, ogr, osr

gdal.UseExceptions()

OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "data", "examples",
                                                         "bazhong_spatial")
X0, Y1, PX = 106.35, 32.75, 0.01
NX, NY = 143, 151


def smooth(a, k):
    """Box blur k x k (edges wrap: the noise is synthetic)."""
    out = np.zeros_like(a)
    for dy in range(-k, k + 1):
        for dx in range(-k, k + 1):
            out += np.roll(np.roll(a, dy, 0), dx, 1)
    return out / (2 * k + 1) ** 2


def write(name, arr, dtype, nodata=None):
    drv = gdal.GetDriverByName("GTiff")
    ds = drv.Create(os.path.join(OUT, name), NX, NY, 1, dtype, options=["COMPRESS=DEFLATE", "PREDICTOR=2" if dtype != gdal.GDT_Byte else "PREDICTOR=1"])
    ds.SetGeoTransform((X0, PX, 0, Y1, 0, -PX))
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(4326)
    ds.SetProjection(srs.ExportToWkt())
    b = ds.GetRasterBand(1)
    if nodata is not None:
        b.SetNoDataValue(nodata)
    b.WriteArray(arr)
    ds = None


def main():
    os.makedirs(OUT, exist_ok=True)
    rng = np.random.RandomState(2021)
    lon = X0 + PX * (np.arange(NX) + 0.5)
    lat = Y1 - PX * (np.arange(NY) + 0.5)
    LON, LAT = np.meshgrid(lon, lat)
    north = (LAT - lat.min()) / (lat.max() - lat.min())
    noise = smooth(rng.normal(size=(NY, NX)), 3)
    noise /= noise.std()
    dem = (350 + 1550 * north ** 1.6 + 180 * np.sin(LON * 23.0) * np.cos(LAT * 17.0)
           + 120 * np.sin(LON * 61.0 + LAT * 37.0) + 90 * noise)
    dem = np.maximum(dem, 250.0).astype(np.float32)

    gy, gx = np.gradient(dem.astype(float), 1110.0, 950.0)
    steep = np.hypot(gx, gy) > 0.12
    lc = np.full((NY, NX), 2, np.uint8)
    lc[(dem > 650 + 60 * noise)] = 3
    lc[(dem > 800 + 60 * noise) | steep] = 1
    river = np.abs(LAT - (31.55 + 0.08 * np.sin(LON * 9.0) + 0.35 * (LON - 106.35) / 1.43)) < 0.006
    lc[river] = 4
    # settlements at the county label points
    src = ogr.Open(os.path.join(OUT, "bazhong_counties.geojson"))
    lyr = src.GetLayer(0)
    for f in lyr:
        cx, cy = f.GetField("cp")
        i, j = int((Y1 - cy) / PX), int((cx - X0) / PX)
        lc[max(i - 1, 0):i + 2, max(j - 1, 0):j + 2] = 5
    # nodata outside the boundaries (rasterised by cell centre)
    mem = gdal.GetDriverByName("MEM").Create("", NX, NY, 1, gdal.GDT_Byte)
    mem.SetGeoTransform((X0, PX, 0, Y1, 0, -PX))
    mem.SetProjection(lyr.GetSpatialRef().ExportToWkt())
    gdal.RasterizeLayer(mem, [1], lyr, burn_values=[1])
    inside = mem.GetRasterBand(1).ReadAsArray() == 1
    lc[~inside] = 0

    rain = (950 + 0.25 * dem + 100 * north).astype(np.float32)
    et = 620 - 0.08 * dem
    et = np.where((lc == 2) | (lc == 5), et - 60, et).astype(np.float32)
    k = (0.030 + 0.006 * np.clip(smooth(rng.normal(size=(NY, NX)), 2) * 3, -1, 1)).astype(np.float32)

    write("dem.tif", dem, gdal.GDT_Float32)
    write("landcover.tif", lc, gdal.GDT_Byte, nodata=0)
    write("precip.tif", rain, gdal.GDT_Float32)
    write("et.tif", et, gdal.GDT_Float32)
    write("erosivity.tif", (4.0 * rain).astype(np.float32), gdal.GDT_Float32)
    write("erodibility.tif", k, gdal.GDT_Float32)
    storm = (0.28 * rain + 0.2 * np.maximum(dem - 600, 0)).astype(np.float32)
    write("storm_precip.tif", storm, gdal.GDT_Float32)
    townships(rng)


def halfplane(p, q, big):
    """Polygon of the points nearer to p than to q, within a square of half-size big around p."""
    mx, my = (p[0] + q[0]) / 2, (p[1] + q[1]) / 2
    dx, dy = q[0] - p[0], q[1] - p[1]
    n = np.hypot(dx, dy)
    ux, uy = dx / n, dy / n          # towards q
    vx, vy = -uy, ux                 # along the bisector
    pts = [(mx + vx * big, my + vy * big), (mx - vx * big, my - vy * big),
           (mx - vx * big - ux * 2 * big, my - vy * big - uy * 2 * big),
           (mx + vx * big - ux * 2 * big, my + vy * big - uy * 2 * big)]
    ring = ogr.Geometry(ogr.wkbLinearRing)
    for x, y in pts + [pts[0]]:
        ring.AddPoint_2D(x, y)
    poly = ogr.Geometry(ogr.wkbPolygon)
    poly.AddGeometry(ring)
    return poly


def townships(rng):
    src = ogr.Open(os.path.join(OUT, "bazhong_counties.geojson"))
    lyr = src.GetLayer(0)
    srs = lyr.GetSpatialRef()
    path = os.path.join(OUT, "bazhong_townships.geojson")
    if os.path.exists(path):
        os.remove(path)
    drv = ogr.GetDriverByName("GeoJSON")
    ds = drv.CreateDataSource(path)
    out = ds.CreateLayer("bazhong_townships", srs, ogr.wkbMultiPolygon, options=["COORDINATE_PRECISION=6"])
    for name, t in (("code", ogr.OFTString), ("name", ogr.OFTString), ("county", ogr.OFTString),
                    ("county_name", ogr.OFTString), ("synthetic", ogr.OFTInteger)):
        out.CreateField(ogr.FieldDefn(name, t))
    feats = sorted(lyr, key=lambda f: f.GetField("id") if f.GetFieldIndex("id") >= 0 else str(f.GetFID()))
    for f in feats:
        code = str(f.GetFID()) if f.GetFieldIndex("id") < 0 else f.GetField("id")
        geom = f.GetGeometryRef().Clone()
        geom = geom.Buffer(0)  # repair the source's repeated vertices
        x0, x1, y0, y1 = geom.GetEnvelope()
        # area in km2 on the sphere (approximate: only to choose the number of seeds)
        km2 = geom.GetArea() * 111.2 * 111.2 * np.cos(np.radians((y0 + y1) / 2))
        n = max(3, int(round(km2 / 300.0)))
        seeds = []
        tries = 0
        while len(seeds) < n and tries < 20000:
            tries += 1
            x, y = x0 + (x1 - x0) * rng.random_sample(), y0 + (y1 - y0) * rng.random_sample()
            pt = ogr.Geometry(ogr.wkbPoint)
            pt.AddPoint_2D(x, y)
            if not geom.Contains(pt):
                continue
            if any(np.hypot(x - a, y - b) < 0.07 for a, b in seeds):
                continue
            seeds.append((x, y))
        seeds.sort(key=lambda p: (-round(p[1], 2), p[0]))  # numbered north to south, west to east
        big = 4 * max(x1 - x0, y1 - y0)
        for k, p in enumerate(seeds):
            cell = geom.Clone()
            for q in seeds:
                if q is not p:
                    cell = cell.Intersection(halfplane(p, q, big))
            if cell is None or cell.IsEmpty():
                continue
            cell = ogr.ForceToMultiPolygon(cell)
            g = ogr.Feature(out.GetLayerDefn())
            g.SetField("code", "%s%03d" % (code, k + 1))
            g.SetField("name", "%s synthetic township %02d" % (f.GetField("name"), k + 1))
            g.SetField("county", code)
            g.SetField("county_name", f.GetField("name"))
            g.SetField("synthetic", 1)
            g.SetGeometry(cell)
            out.CreateFeature(g)
    ds = None


if __name__ == "__main__":
    main()
