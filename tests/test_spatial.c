/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of the spatial module: rasters made here with GDAL's C API in a temporary directory,
 * every per-pixel service worked by hand on 3x3 grids, LS against published numbers, cell
 * areas on the ellipsoid, zonal sums against pixel sums, determinism across threads and
 * parts, and the bad inputs of the issue (each error names the file, field and pixel). */
#define _GNU_SOURCE 1
#include <gdal.h>
#include <gdal_utils.h>
#include <ogr_srs_api.h>
#include <stdlib.h>
#include <unistd.h>

#include "epv.h"
#include "test_util.h"

static char dir[256];

/* Path of a file in the temporary directory; the same name always gives the same buffer. */
static const char *tp(const char *name)
{
    static char buf[128][512];
    static int n;
    char want[512];
    snprintf(want, sizeof want, "%s/%s", dir, name);
    for (int k = 0; k < n; k++)
        if (!strcmp(buf[k], want)) return buf[k];
    if (n == 128) abort();
    strcpy(buf[n], want);
    return buf[n++];
}

/* A Float64 GeoTIFF of nx x ny cells (row-major values), origin x0, y0, pixel size px; epsg 0: no CRS. */
static void raster(const char *name, int nx, int ny, const double *v, double x0, double y0, double px, int epsg,
                   int has_nd, double nd)
{
    GDALDriverH drv = GDALGetDriverByName("GTiff");
    GDALDatasetH ds = GDALCreate(drv, tp(name), nx, ny, 1, GDT_Float64, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(ds);
    double gt[6] = { x0, px, 0, y0, 0, -px };
    GDALSetGeoTransform(ds, gt);
    if (epsg) {
        OGRSpatialReferenceH s = OSRNewSpatialReference(NULL);
        OSRImportFromEPSG(s, epsg);
        GDALSetSpatialRef(ds, s);
        OSRDestroySpatialReference(s);
    }
    GDALRasterBandH b = GDALGetRasterBand(ds, 1);
    if (has_nd) GDALSetRasterNoDataValue(b, nd);
    CU_ASSERT_EQUAL(GDALRasterIO(b, GF_Write, 0, 0, nx, ny, (void *)v, nx, ny, GDT_Float64, 0, 0), CE_None);
    GDALClose(ds);
}

static void text(const char *name, const char *s)
{
    FILE *f = fopen(tp(name), "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fputs(s, f);
    fclose(f);
}

static double *read_raster(const char *path, int nx, int ny)
{
    GDALDatasetH ds = GDALOpen(path, GA_ReadOnly);
    if (!ds) return NULL;
    double *v = malloc(sizeof(double) * (size_t)nx * (size_t)ny);
    if (GDALRasterIO(GDALGetRasterBand(ds, 1), GF_Read, 0, 0, nx, ny, v, nx, ny, GDT_Float64, 0, 0) != CE_None) {
        free(v);
        v = NULL;
    }
    GDALClose(ds);
    return v;
}

/* UTM 48N (EPSG:32648), 100 m cells: one cell is exactly 1 ha = 10,000 m2. */
#define X0 600000.0
#define Y0 3500000.0
#define PX 100.0

/* The 3x3 case worked by hand.
 * land cover     precip (mm)        et (mm)         dem (m): 9 % slope rising east
 *  1 1 2         1000 1100 1200     500 500 600     z = 0.09 x (x from the grid origin, m)
 *  1 2 2         1000 -9999  900    400 500 500
 *  2 2 255       800  800   800     300 300 300
 * 255 is the land-cover nodata; -9999 the precipitation nodata.
 * Table: lucode 1 forest runoff_coef 0.1, usle_c 0.01, usle_p 1, nep 2.0 t C/ha;
 *        lucode 2 cropland runoff_coef 0.3, usle_c 0.3, usle_p 0.5, nep 0.5.
 * R = 4000 everywhere, K = 0.03 everywhere.
 * Zones: "A" covers columns 0-1, "B" column 2. */
static const double LC3[9] = { 1, 1, 2, 1, 2, 2, 2, 2, 255 };
static const double P3[9] = { 1000, 1100, 1200, 1000, -9999, 900, 800, 800, 800 };
static const double ET3[9] = { 500, 500, 600, 400, 500, 500, 300, 300, 300 };

static void make_case3(void)
{
    double dem[9], r[9], k[9];
    for (int i = 0; i < 9; i++) {
        dem[i] = 0.09 * (PX * (i % 3) + PX / 2);
        r[i] = 4000;
        k[i] = 0.03;
    }
    raster("lc.tif", 3, 3, LC3, X0, Y0, PX, 32648, 1, 255);
    raster("p.tif", 3, 3, P3, X0, Y0, PX, 32648, 1, -9999);
    raster("et.tif", 3, 3, ET3, X0, Y0, PX, 32648, 0, 0);
    raster("dem.tif", 3, 3, dem, X0, Y0, PX, 32648, 0, 0);
    raster("r.tif", 3, 3, r, X0, Y0, PX, 32648, 0, 0);
    raster("k.tif", 3, 3, k, X0, Y0, PX, 32648, 0, 0);
    text("bio.csv", "lucode,ecosystem,runoff_coef,usle_c,usle_p,nep_tc_ha\n"
                    "1,forest,0.1,0.01,1,2.0\n"
                    "2,cropland,0.3,0.3,0.5,0.5\n");
    char gj[2048];
    snprintf(gj, sizeof gj,
             "{\"type\":\"FeatureCollection\",\"crs\":{\"type\":\"name\",\"properties\":{\"name\":\"urn:ogc:def:crs:EPSG::32648\"}},"
             "\"features\":["
             "{\"type\":\"Feature\",\"properties\":{\"code\":\"A\",\"name\":\"Zone A\"},\"geometry\":{\"type\":\"Polygon\","
             "\"coordinates\":[[[%.1f,%.1f],[%.1f,%.1f],[%.1f,%.1f],[%.1f,%.1f],[%.1f,%.1f]]]}},"
             "{\"type\":\"Feature\",\"properties\":{\"code\":\"B\",\"name\":\"Zone B\"},\"geometry\":{\"type\":\"Polygon\","
             "\"coordinates\":[[[%.1f,%.1f],[%.1f,%.1f],[%.1f,%.1f],[%.1f,%.1f],[%.1f,%.1f]]]}}]}\n",
             X0 - 10, Y0 + 10, X0 + 200, Y0 + 10, X0 + 200, Y0 - 310, X0 - 10, Y0 - 310, X0 - 10, Y0 + 10, X0 + 200,
             Y0 + 10, X0 + 310, Y0 + 10, X0 + 310, Y0 - 310, X0 + 200, Y0 - 310, X0 + 200, Y0 + 10);
    text("zones.geojson", gj);
}

static void opts3(epv_spatial_options *o)
{
    epv_spatial_options_init(NULL, o, EPV_SPATIAL_OPTIONS_VERSION);
    o->landcover = tp("lc.tif");
    o->precip = tp("p.tif");
    o->et = tp("et.tif");
    o->dem = tp("dem.tif");
    o->erosivity = tp("r.tif");
    o->erodibility = tp("k.tif");
    o->biophysical = tp("bio.csv");
    o->zones = tp("zones.geojson");
    o->slope_length_m = 22.13;
}

/* RUSLE S at exactly 9 %: AH703 eq. 4-5, S = 16.8 sin(theta) - 0.50, sin(atan 0.09) = 0.0896377;
 * with lambda = 22.13 m, L = 1 (eq. 4-1): LS = 1.005913 (the unit plot has LS close to 1). */
static double ls9(void) { return 16.8 * (0.09 / sqrt(1 + 0.09 * 0.09)) - 0.50; }

static double value(epv_ctx *ctx, const epv_spatial_result *r, epv_spatial_col col, size_t reg, size_t eco)
{
    const double *v;
    size_t n;
    if (epv_spatial_result_column(ctx, r, col, &v, &n)) return NAN;
    return v[reg * epv_spatial_result_ecosystem_count(r) + eco];
}

static void test_ls_published(void)
{
    epv_ctx *ctx;
    epv_ctx_new(&ctx);
    /* Plane rising 9 % east, 10 m cells: Horn's slope is exact on a plane. */
    double dem[9], ls[9];
    for (int i = 0; i < 9; i++) dem[i] = 0.09 * 10.0 * (i % 3);
    EPV_ASSERT_OK(ctx, epv_spatial_ls_rusle(ctx, 3, 3, dem, 10, 10, 22.13, ls));
    EPV_ASSERT_CLOSE(ls[4], 1.005913, 1e-6); /* AH703 eqs. 4-1, 4-5 on the unit plot, see ls9() */
    EPV_ASSERT_CLOSE(ls9(), 1.005913, 1e-6);
    /* 5 % slope (below 9 %): S = 10.8 sin + 0.03 (AH703 eq. 4-4) = 10.8 x 0.0499376 + 0.03 = 0.569326;
     * lambda = 44.26 m: beta = (0.0499376/0.0896)/(3 x 0.0499376^0.8 + 0.56) = 0.557339/(3 x 0.090937 + 0.56)
     * = 0.557339/0.832811 = 0.669225, m = beta/(1+beta) = 0.400920, L = 2^m = 1.320353, LS = 0.751714. */
    for (int i = 0; i < 9; i++) dem[i] = 0.05 * 10.0 * (i % 3);
    EPV_ASSERT_OK(ctx, epv_spatial_ls_rusle(ctx, 3, 3, dem, 10, 10, 44.26, ls));
    EPV_ASSERT_CLOSE(ls[4], 0.569326 * 1.320353, 1e-5);
    EPV_ASSERT_CLOSE(ls[0], ls[4], 1e-12); /* the border extrapolates the plane */
    /* ESRI's worked example of Horn's slope ("How Slope works", ArcGIS Pro documentation):
     * 50 45 50 / 30 30 30 / 8 10 10, cell 5 m: dz/dx = 0.05, dz/dy = -3.8, slope 75.25 degrees.
     * sin(75.25 deg) = 0.96705: S = 16.8 x 0.96705 - 0.50 = 15.746 (lambda 22.13 m: L = 1). */
    double esri[9] = { 50, 45, 50, 30, 30, 30, 8, 10, 10 };
    EPV_ASSERT_OK(ctx, epv_spatial_ls_rusle(ctx, 3, 3, esri, 5, 5, 22.13, ls));
    EPV_ASSERT_CLOSE(ls[4], 16.8 * sin(75.25 * M_PI / 180) - 0.50, 1e-4);
    /* flat: S = 0.03, L = 1; NaN stays NaN */
    double flat[4] = { 5, 5, 5, NAN };
    EPV_ASSERT_OK(ctx, epv_spatial_ls_rusle(ctx, 2, 2, flat, 10, 10, 100, ls));
    EPV_ASSERT_CLOSE(ls[0], 0.03, 1e-12);
    CU_ASSERT(isnan(ls[3]));
    EPV_ASSERT_STATUS(ctx, epv_spatial_ls_rusle(ctx, 2, 2, flat, 10, 10, -1, ls), EPV_ERANGE);
    epv_ctx_free(ctx);
}

/* McCool's m at a slope of gradient g (AH703 eqs. 4-2, 4-3): beta = (sin/0.0896)/(3 sin^0.8 + 0.56),
 * m = beta/(1 + beta). At 9 %: sin = 0.0896377, sin^0.8 = 0.145208, beta = 1.000421/0.995624
 * = 1.004818, m = 0.501201. */
static double m_of(double g)
{
    double st = g / sqrt(1 + g * g), beta = (st / 0.0896) / (3 * pow(st, 0.8) + 0.56);
    return beta / (1 + beta);
}
static double m9(void) { return m_of(0.09); }

static void test_ls_desmet_govers(void)
{
    epv_ctx *ctx;
    epv_ctx_new(&ctx);
    EPV_ASSERT_CLOSE(m9(), 0.501201, 1e-5);
    /* A uniform 10 % slope (clear of the 9 % switch of S), 10 cells of 10 m rising east, 5 rows.
     * D8 sends each cell to its west neighbour, so the cell k cells below the ridge drains k
     * cells: A_in = k x 100 m2, aspect along x (|sin a| + |cos a| = 1). Desmet & Govers' eq. 10
     * per cell, D = 10 m:  L_k = ((k + 1)^(m+1) - k^(m+1)) x D^m / 22.13^m,
     * which telescopes: the mean over the 10 cells is (100 / 22.13)^m, the RUSLE L of the whole
     * 100 m slope (AH703 eq. 4-1; the segment form, eq. 4-6, divides a slope the same way).
     * S(10 %) = 16.8 x sin(atan 0.1) - 0.50 = 16.8 x 0.0995037 - 0.50 = 1.171663 (AH703 eq. 4-5). */
    enum { R = 5, C = 10 };
    double dem[R * C], ls[R * C];
    for (int i = 0; i < R * C; i++) dem[i] = 0.1 * 10.0 * (i % C);
    EPV_ASSERT_OK(ctx, epv_spatial_ls_desmet_govers(ctx, R, C, dem, 10, 10, ls));
    double m = m_of(0.1), s10 = 16.8 * (0.1 / sqrt(1.01)) - 0.50;
    EPV_ASSERT_CLOSE(s10, 1.171663, 1e-6);
    for (int r = 0; r < R; r++) {
        double mean = 0;
        for (int c = 0; c < C; c++) mean += ls[r * C + c] / C;
        EPV_ASSERT_CLOSE(mean, pow(100 / 22.13, m) * s10, 1e-12);
    }
    /* the ridge cell drains nothing: L = (D / 22.13)^m; the outlet cell drains 9 cells */
    EPV_ASSERT_CLOSE(ls[C - 1], pow(10 / 22.13, m) * s10, 1e-12);
    EPV_ASSERT_CLOSE(ls[0], (pow(10, m + 1) - pow(9, m + 1)) * pow(10 / 22.13, m) * s10, 1e-12);
    /* NaN passes no flow and stays NaN */
    dem[5] = NAN;
    EPV_ASSERT_OK(ctx, epv_spatial_ls_desmet_govers(ctx, R, C, dem, 10, 10, ls));
    CU_ASSERT(isnan(ls[5]));
    CU_ASSERT(isfinite(ls[4]) && isfinite(ls[6]));
    epv_ctx_free(ctx);
}

static void test_cell_area(void)
{
    epv_ctx *ctx;
    epv_ctx_new(&ctx);
    /* WGS84: radius of the sphere of equal area R2 = 6,371,007.1809 m (NIMA TR8350.2, 3rd ed.
     * 2000, derived geometric constants), so the ellipsoid's surface is 4 pi R2^2 =
     * 5.10065621718e14 m2. The 180 x 360 cells of 1 x 1 degree must add up to it. */
    double tot = 0, a;
    for (int lat = -90; lat < 90; lat++) {
        EPV_ASSERT_OK(ctx, epv_spatial_cell_area_geographic(ctx, lat, lat + 1, 1, 6378137.0, 298.257223563, &a));
        tot += 360 * a;
    }
    double r2 = 6371007.1809;
    EPV_ASSERT_CLOSE(tot, 4 * M_PI * r2 * r2, 1e-9);
    /* A sphere of radius R (invf 0): R^2 dLon (sin phi2 - sin phi1). 1 x 1 degree at 30-31 N,
     * R = 6,371,000 m: 6371000^2 x 0.01745329 x (0.51503807 - 0.5) = 7.084229e11 x 0.01503807 = 1.065332e10 m2. */
    EPV_ASSERT_OK(ctx, epv_spatial_cell_area_geographic(ctx, 30, 31, 1, 6371000, 0, &a));
    EPV_ASSERT_CLOSE(a, 6371000.0 * 6371000.0 * (M_PI / 180) * (sin(31 * M_PI / 180) - 0.5), 1e-12);
    EPV_ASSERT_CLOSE(a, 1.065332e10, 1e-6);
    /* On the ellipsoid the same cell is smaller than on the authalic sphere at 30 N (the
     * ellipsoid is flattened): within 0.4 %, and a 1x1 cell at the equator is 1.2309e10 m2
     * (Snyder 1987 eq. 3-12 evaluated: (a^2/2) (pi/180) q(1 deg)). */
    double sph;
    EPV_ASSERT_OK(ctx, epv_spatial_cell_area_geographic(ctx, 30, 31, 1, 6378137.0, 298.257223563, &a));
    EPV_ASSERT_OK(ctx, epv_spatial_cell_area_geographic(ctx, 30, 31, 1, r2, 0, &sph));
    CU_ASSERT(fabs(a / sph - 1) < 0.004);
    /* Published lengths of a degree on WGS84 (Wikipedia, "Geographic coordinate system", section
     * "Length of a degree"): at the equator a degree of latitude is 110.6 km and a degree of
     * longitude 111.3 km, so the 1 x 1 degree cell 0-1 N is 110.6 x 111.3 = 12,310 km2 (the
     * cosine of 0.5 degrees changes it by 4e-5), within the rounding of the published lengths. */
    EPV_ASSERT_OK(ctx, epv_spatial_cell_area_geographic(ctx, 0, 1, 1, 6378137.0, 298.257223563, &a));
    EPV_ASSERT_CLOSE(a, 110.6e3 * 111.3e3, 1e-3);
    EPV_ASSERT_STATUS(ctx, epv_spatial_cell_area_geographic(ctx, 30, 91, 1, r2, 0, &a), EPV_ERANGE);
    epv_ctx_free(ctx);
}

static void test_services_by_hand(void)
{
    epv_ctx *ctx;
    epv_ctx_new(&ctx);
    make_case3();
    epv_spatial_options o;
    opts3(&o);
    epv_spatial_result *r = NULL;
    EPV_ASSERT_OK(ctx, epv_spatial_run(ctx, &o, &r));
    CU_ASSERT_FATAL(r != NULL);
    CU_ASSERT_EQUAL(epv_spatial_result_region_count(r), 2);
    CU_ASSERT_STRING_EQUAL(epv_spatial_result_region_code(r, 0), "A");
    CU_ASSERT_STRING_EQUAL(epv_spatial_result_region_name(r, 1), "Zone B");
    CU_ASSERT_EQUAL(epv_spatial_result_ecosystem_count(r), 2);
    CU_ASSERT_STRING_EQUAL(epv_spatial_result_ecosystem_code(r, 0), "cropland"); /* sorted */
    CU_ASSERT_STRING_EQUAL(epv_spatial_result_ecosystem_code(r, 1), "forest");
    const size_t A = 0, B = 1, CROP = 0, FOREST = 1;
    /* Areas: A holds forest (0,0), (0,1), (1,0) and cropland (1,1), (2,0), (2,1); B cropland (0,2), (1,2);
     * (2,2) is nodata. Each cell 1 ha. */
    EPV_ASSERT_CLOSE(value(ctx, r, EPV_SPATIAL_AREA_HA, A, FOREST), 3.0, 1e-12);
    EPV_ASSERT_CLOSE(value(ctx, r, EPV_SPATIAL_AREA_HA, A, CROP), 3.0, 1e-12);
    EPV_ASSERT_CLOSE(value(ctx, r, EPV_SPATIAL_AREA_HA, B, CROP), 2.0, 1e-12);
    EPV_ASSERT_NEAR(value(ctx, r, EPV_SPATIAL_AREA_HA, B, FOREST), 0.0, 0);
    EPV_ASSERT_NEAR(value(ctx, r, EPV_SPATIAL_PIXELS, B, CROP), 2.0, 0);
    /* Water conservation Q = (P - P alpha - ET) x A x 1e-3, A = 10,000 m2 (so x 10 m3/mm):
     * A forest: (1000 - 100 - 500) + (1100 - 110 - 500) + (1000 - 100 - 400) = 400 + 490 + 500 = 1390 mm -> 13,900 m3
     * A cropland: (1,1) P nodata -> left out; (2,0) 800 - 240 - 300 = 260; (2,1) 260 -> 520 mm -> 5,200 m3
     * B cropland: (0,2) 1200 - 360 - 600 = 240; (1,2) 900 - 270 - 500 = 130 -> 370 mm -> 3,700 m3 */
    EPV_ASSERT_CLOSE(value(ctx, r, EPV_SPATIAL_WATER_CONSERVATION, A, FOREST), 13900, 1e-12);
    EPV_ASSERT_CLOSE(value(ctx, r, EPV_SPATIAL_WATER_CONSERVATION, A, CROP), 5200, 1e-12);
    EPV_ASSERT_CLOSE(value(ctx, r, EPV_SPATIAL_WATER_CONSERVATION, B, CROP), 3700, 1e-12);
    /* Evapotranspiration volume ET x A x 1e-3: A forest (500 + 500 + 400) x 10 = 14,000 m3 */
    EPV_ASSERT_CLOSE(value(ctx, r, EPV_SPATIAL_EVAPOTRANSPIRATION, A, FOREST), 14000, 1e-12);
    /* Soil: every cell on the 9 % plane (the border extrapolates the plane, so Horn's slope is 9 %
     * everywhere), LS = 1.005913; potential per ha = R K LS = 4000 x 0.03 x 1.005913 = 120.7096 t.
     * Retained = potential x (1 - C P): forest 1 - 0.01 = 0.99, cropland 1 - 0.15 = 0.85.
     * A forest: 3 x 120.7096 x 0.99 = 358.5075 t; B cropland 2 x 120.7096 x 0.85 = 205.2063 t. */
    double pot = 4000 * 0.03 * ls9();
    EPV_ASSERT_CLOSE(value(ctx, r, EPV_SPATIAL_SOIL_POTENTIAL, A, FOREST), 3 * pot, 1e-9);
    EPV_ASSERT_CLOSE(value(ctx, r, EPV_SPATIAL_SOIL_RETENTION, A, FOREST), 3 * pot * 0.99, 1e-9);
    EPV_ASSERT_CLOSE(value(ctx, r, EPV_SPATIAL_SOIL_RETENTION, B, CROP), 2 * pot * 0.85, 1e-9);
    EPV_ASSERT_CLOSE(value(ctx, r, EPV_SPATIAL_SOIL_RETENTION, A, FOREST), 358.5075, 1e-6);
    /* Carbon: CO2 = 44/12 NEP A, O2 = 32/12 NEP A. A forest: 3 ha x 2.0 = 6 t C -> 22 t CO2, 16 t O2;
     * A cropland 3 x 0.5 = 1.5 t C -> 5.5 t CO2, 4 t O2. */
    EPV_ASSERT_CLOSE(value(ctx, r, EPV_SPATIAL_CARBON_FIXATION, A, FOREST), 22.0, 1e-12);
    EPV_ASSERT_CLOSE(value(ctx, r, EPV_SPATIAL_OXYGEN_RELEASE, A, FOREST), 16.0, 1e-12);
    EPV_ASSERT_CLOSE(value(ctx, r, EPV_SPATIAL_CARBON_FIXATION, A, CROP), 5.5, 1e-12);
    EPV_ASSERT_CLOSE(value(ctx, r, EPV_SPATIAL_OXYGEN_RELEASE, B, CROP), 2 * 0.5 * 32.0 / 12, 1e-12);

    /* The account input validates against the schema and loads in the GEP module. */
    EPV_ASSERT_OK(ctx, epv_spatial_result_write_gep_input(ctx, r, 2021, NULL, tp("acc.xml")));
    EPV_ASSERT_OK(ctx, epv_xml_validate_file(ctx, tp("acc.xml"), "schema/gep_input.xsd"));
    epv_gep_tree *tree = NULL;
    epv_gep_input *in = NULL;
    EPV_ASSERT_OK(ctx, epv_gep_tree_load_default(ctx, &tree));
    EPV_ASSERT_OK(ctx, epv_gep_input_load_file(ctx, tree, tp("acc.xml"), &in));
    if (in) {
        double q = 0;
        EPV_ASSERT_OK(ctx, epv_gep_account_quantity(ctx, epv_gep_input_account(in), "A", "forest",
                                                    "water_conservation", 2021, &q));
        EPV_ASSERT_CLOSE(q, 13900, 1e-12);
    }
    epv_gep_input_free(in);
    in = NULL;
    /* Climate regulation by water-surface evaporation, with cropland standing in for water:
     * B cropland evaporates (600 + 500) mm x 1 ha x 10 m3/(mm ha) = 11,000 m3 over 2 ha (550 mm);
     * E = 11,000 m3 x 2450 kJ/kg x 1e3 kg/m3 / (3600 x 3.0) = 2,495,370.37 kWh (specification's
     * E_we without the humidifier term; the GEP module computes it from the written element). */
    epv_spatial_result *rw = NULL;
    o.water_ecosystem = "cropland";
    EPV_ASSERT_OK(ctx, epv_spatial_run(ctx, &o, &rw));
    EPV_ASSERT_OK(ctx, epv_spatial_result_write_gep_input(ctx, rw, 2021, NULL, tp("accw.xml")));
    EPV_ASSERT_OK(ctx, epv_gep_input_load_file(ctx, tree, tp("accw.xml"), &in));
    if (in) {
        double q = 0;
        EPV_ASSERT_OK(ctx, epv_gep_account_quantity(ctx, epv_gep_input_account(in), "B", "cropland",
                                                    "climate_regulation", 2021, &q));
        EPV_ASSERT_CLOSE(q, 11000.0 * 2450 * 1e3 / (3600 * 3.0), 1e-12);
        EPV_ASSERT_CLOSE(q, 2495370.37, 1e-9);
    }
    epv_gep_input_free(in);
    epv_spatial_result_free(rw);
    o.water_ecosystem = "lake";
    EPV_ASSERT_STATUS(ctx, epv_spatial_run(ctx, &o, &rw), EPV_ENOTFOUND);
    EPV_ASSERT_ERRMSG_HAS(ctx, "water_ecosystem 'lake'");
    o.water_ecosystem = NULL;
    epv_gep_tree_free(tree);
    EPV_ASSERT_OK(ctx, epv_spatial_result_write_csv(ctx, r, tp("acc.csv")));
    FILE *f = fopen(tp("acc.csv"), "r");
    char line[512] = "";
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    CU_ASSERT_PTR_NOT_NULL(fgets(line, sizeof line, f));
    fclose(f);
    CU_ASSERT_STRING_EQUAL(line, "region,name,ecosystem,area_ha,pixels,water_conservation_m3,soil_retention_t,"
                                 "soil_potential_t,carbon_fixation_tco2,oxygen_release_t,evapotranspiration_m3\n");

    /* Per-pixel rasters: nodata where inputs are nodata, values as above. */
    epv_spatial_col cols[3] = { EPV_SPATIAL_WATER_CONSERVATION, EPV_SPATIAL_LS, EPV_SPATIAL_CARBON_FIXATION };
    const char *paths[3] = { tp("wc.tif"), tp("ls.tif"), tp("co2.tif") };
    EPV_ASSERT_OK(ctx, epv_spatial_write_rasters(ctx, &o, cols, paths, 3));
    double *wc = read_raster(paths[0], 3, 3), *ls = read_raster(paths[1], 3, 3);
    CU_ASSERT_FATAL(wc && ls);
    EPV_ASSERT_CLOSE(wc[0], 4000, 1e-12);
    EPV_ASSERT_CLOSE(wc[2], 2400, 1e-12);
    CU_ASSERT(isnan(wc[4])); /* precipitation nodata */
    CU_ASSERT(isnan(wc[8])); /* land-cover nodata */
    EPV_ASSERT_CLOSE(ls[0], ls9(), 1e-9);
    EPV_ASSERT_CLOSE(ls[7], ls9(), 1e-9);
    free(wc);
    free(ls);
    /* Desmet & Govers in a run: each row of the 3 x 100 m slope has mean L = (300 / 22.13)^m. */
    o.ls_flow_accumulation = 1;
    const char *lsdg = tp("ls_dg.tif");
    epv_spatial_col lscol = EPV_SPATIAL_LS;
    EPV_ASSERT_OK(ctx, epv_spatial_write_rasters(ctx, &o, &lscol, &lsdg, 1));
    ls = read_raster(lsdg, 3, 3);
    CU_ASSERT_FATAL(ls != NULL);
    EPV_ASSERT_CLOSE((ls[3] + ls[4] + ls[5]) / 3, pow(300 / 22.13, m9()) * ls9(), 1e-12);
    free(ls);
    o.ls_flow_accumulation = 0;
    epv_spatial_result_free(r);

    /* NEP from a raster instead of the table, and an erosivity nodata pixel: CO2 of A forest =
     * 44/12 x (1 + 2 + 3) t C = 22 t; soil retention of A forest loses (0,1): 2 x 120.7096 x 0.99. */
    {
        double nep[9] = { 1, 2, 4, 3, 5, 6, 7, 8, 9 }, rr[9];
        for (int i = 0; i < 9; i++) rr[i] = 4000;
        rr[1] = -1;
        raster("nep.tif", 3, 3, nep, X0, Y0, PX, 32648, 0, 0);
        raster("r_nd.tif", 3, 3, rr, X0, Y0, PX, 32648, 1, -1);
        epv_spatial_options o2 = o;
        o2.nep = tp("nep.tif");
        o2.erosivity = tp("r_nd.tif");
        EPV_ASSERT_OK(ctx, epv_spatial_run(ctx, &o2, &r));
        EPV_ASSERT_CLOSE(value(ctx, r, EPV_SPATIAL_CARBON_FIXATION, A, FOREST), 44.0 / 12 * 6, 1e-12);
        EPV_ASSERT_CLOSE(value(ctx, r, EPV_SPATIAL_OXYGEN_RELEASE, A, CROP), 32.0 / 12 * (5 + 7 + 8), 1e-12);
        EPV_ASSERT_CLOSE(value(ctx, r, EPV_SPATIAL_SOIL_RETENTION, A, FOREST), 2 * pot * 0.99, 1e-9);
        EPV_ASSERT_CLOSE(value(ctx, r, EPV_SPATIAL_AREA_HA, A, FOREST), 3.0, 1e-12); /* area unaffected */
        epv_spatial_result_free(r);
    }

    /* A negative water balance: ET 1500 mm at (0,0) gives 1000 - 100 - 1500 = -600 mm.
     * Default: the pixel conserves 0, A forest = (0 + 490 + 500) x 10 = 9,900 m3;
     * keep_negative_water: (-600 + 490 + 500) x 10 = 3,900 m3. */
    double et_hi[9];
    memcpy(et_hi, ET3, sizeof et_hi);
    et_hi[0] = 1500;
    raster("et_hi.tif", 3, 3, et_hi, X0, Y0, PX, 32648, 0, 0);
    o.et = tp("et_hi.tif");
    EPV_ASSERT_OK(ctx, epv_spatial_run(ctx, &o, &r));
    EPV_ASSERT_CLOSE(value(ctx, r, EPV_SPATIAL_WATER_CONSERVATION, A, FOREST), 9900, 1e-12);
    epv_spatial_result_free(r);
    o.keep_negative_water = 1;
    EPV_ASSERT_OK(ctx, epv_spatial_run(ctx, &o, &r));
    EPV_ASSERT_CLOSE(value(ctx, r, EPV_SPATIAL_WATER_CONSERVATION, A, FOREST), 3900, 1e-12);
    epv_spatial_result_free(r);
    epv_ctx_free(ctx);
}

/* Climate regulation by plant transpiration and flood regulation by vegetation on the 3x3
 * case, worked by hand with the specification's formulas (生态产品总值核算规范 2022, as
 * epv/gep_model.h writes them): E_pt = EPP x S x D / (3600 r), C_v = (P_h - R_f) x A x 1e-3.
 * Table: forest EPP 150 kJ/(m2 d), storm runoff coefficient 0.2; cropland EPP 50, 0.6.
 * D = 60 days, r = 3.0. Storm rain (mm): 300 300 400 / 300 200 200 / 100 -1 100, -1 nodata. */
static void test_transpiration_flood(void)
{
    epv_ctx *ctx;
    epv_ctx_new(&ctx);
    make_case3();
    static const double SP3[9] = { 300, 300, 400, 300, 200, 200, 100, -1, 100 };
    raster("storm.tif", 3, 3, SP3, X0, Y0, PX, 32648, 1, -1);
    text("bio_tf.csv", "lucode,ecosystem,runoff_coef,usle_c,usle_p,nep_tc_ha,epp_kj_m2_day,storm_runoff_coef\n"
                       "1,forest,0.1,0.01,1,2.0,150,0.2\n"
                       "2,cropland,0.3,0.3,0.5,0.5,50,0.6\n");
    epv_spatial_options o;
    opts3(&o);
    o.biophysical = tp("bio_tf.csv");
    o.storm_precip = tp("storm.tif");
    o.transpiration_days = 60;
    epv_spatial_result *r = NULL;
    EPV_ASSERT_OK(ctx, epv_spatial_run(ctx, &o, &r));
    CU_ASSERT_FATAL(r != NULL);
    const size_t A = 0, B = 1, CROP = 0, FOREST = 1;
    CU_ASSERT(epv_spatial_result_has(r, EPV_SPATIAL_CLIMATE_TRANSPIRATION));
    CU_ASSERT(epv_spatial_result_has(r, EPV_SPATIAL_FLOOD_VEGETATION));
    CU_ASSERT(!epv_spatial_result_has(r, EPV_SPATIAL_LS)); /* never a table column */
    /* Transpiration, one cell of 1 ha: forest 1e4 m2 x 150 x 60 / 10,800 = 8,333.33 kWh, cropland
     * 1e4 x 50 x 60 / 10,800 = 2,777.78 kWh. A forest 3 cells = 25,000 kWh; A cropland 3 cells
     * = 8,333.33 kWh (transpiration needs no rain: the precipitation nodata at (1,1) counts);
     * B cropland 2 cells = 5,555.56 kWh. */
    EPV_ASSERT_CLOSE(value(ctx, r, EPV_SPATIAL_CLIMATE_TRANSPIRATION, A, FOREST), 25000.0, 1e-12);
    EPV_ASSERT_CLOSE(value(ctx, r, EPV_SPATIAL_CLIMATE_TRANSPIRATION, A, CROP), 25000.0 / 3, 1e-12);
    EPV_ASSERT_CLOSE(value(ctx, r, EPV_SPATIAL_CLIMATE_TRANSPIRATION, B, CROP), 50000.0 / 9, 1e-12);
    /* Flood: A forest (0,0), (0,1), (1,0): 3 x (300 - 60) mm x 10 m3/(mm ha) = 7,200 m3.
     * A cropland (1,1) (200 - 120) x 10 = 800, (2,0) (100 - 60) x 10 = 400, (2,1) storm nodata:
     * left out -> 1,200 m3 of 3,000 m3 of storm rain. B cropland (0,2) 160 x 10 + (1,2) 80 x 10
     * = 2,400 m3. */
    EPV_ASSERT_CLOSE(value(ctx, r, EPV_SPATIAL_FLOOD_VEGETATION, A, FOREST), 7200.0, 1e-12);
    EPV_ASSERT_CLOSE(value(ctx, r, EPV_SPATIAL_FLOOD_VEGETATION, A, CROP), 1200.0, 1e-12);
    EPV_ASSERT_CLOSE(value(ctx, r, EPV_SPATIAL_STORM_PRECIP, A, CROP), 3000.0, 1e-12);
    EPV_ASSERT_CLOSE(value(ctx, r, EPV_SPATIAL_FLOOD_VEGETATION, B, CROP), 2400.0, 1e-12);
    /* The account input: the GEP module recomputes both from the written elements
     * (climateTranspiration: 3 ha, EPP 150, 60 days, EER 3; floodVegetation for A cropland:
     * 3 ha, 100 mm of storm rain, 60 mm of runoff) and gets the pixel sums back. */
    EPV_ASSERT_OK(ctx, epv_spatial_result_write_gep_input(ctx, r, 2021, NULL, tp("acc_tf.xml")));
    epv_gep_tree *tree = NULL;
    epv_gep_input *in = NULL;
    EPV_ASSERT_OK(ctx, epv_gep_tree_load_default(ctx, &tree));
    EPV_ASSERT_OK(ctx, epv_gep_input_load_file(ctx, tree, tp("acc_tf.xml"), &in));
    if (in) {
        double q = 0;
        const epv_gep_account *acc = epv_gep_input_account(in);
        EPV_ASSERT_OK(ctx, epv_gep_account_quantity(ctx, acc, "A", "forest", "climate_regulation", 2021, &q));
        EPV_ASSERT_CLOSE(q, 25000.0, 1e-12);
        EPV_ASSERT_OK(ctx, epv_gep_account_quantity(ctx, acc, "B", "cropland", "climate_regulation", 2021, &q));
        EPV_ASSERT_CLOSE(q, 50000.0 / 9, 1e-12);
        EPV_ASSERT_OK(ctx, epv_gep_account_quantity(ctx, acc, "A", "cropland", "flood_regulation", 2021, &q));
        EPV_ASSERT_CLOSE(q, 1200.0, 1e-12);
        EPV_ASSERT_OK(ctx, epv_gep_account_quantity(ctx, acc, "A", "forest", "flood_regulation", 2021, &q));
        EPV_ASSERT_CLOSE(q, 7200.0, 1e-12);
    }
    epv_gep_input_free(in);
    epv_gep_tree_free(tree);
    /* Per-pixel rasters of both services. */
    epv_spatial_col cols[2] = { EPV_SPATIAL_CLIMATE_TRANSPIRATION, EPV_SPATIAL_FLOOD_VEGETATION };
    const char *paths[2] = { tp("tr.tif"), tp("fl.tif") };
    EPV_ASSERT_OK(ctx, epv_spatial_write_rasters(ctx, &o, cols, paths, 2));
    double *tr = read_raster(paths[0], 3, 3), *fl = read_raster(paths[1], 3, 3);
    CU_ASSERT_FATAL(tr && fl);
    EPV_ASSERT_CLOSE(tr[0], 25000.0 / 3, 1e-12);
    EPV_ASSERT_CLOSE(tr[4], 25000.0 / 9, 1e-12);
    CU_ASSERT(isnan(tr[8])); /* land-cover nodata */
    EPV_ASSERT_CLOSE(fl[2], 1600.0, 1e-12);
    CU_ASSERT(isnan(fl[7])); /* storm rain nodata */
    free(tr);
    free(fl);
    epv_spatial_result_free(r);
    r = NULL;
    /* Bad inputs: the table without the column the service needs, days beyond a year, negative
     * storm rain. */
    o.biophysical = tp("bio.csv");
    EPV_ASSERT_STATUS(ctx, epv_spatial_run(ctx, &o, &r), EPV_ENOTFOUND);
    EPV_ASSERT_ERRMSG_HAS(ctx, "epp_kj_m2_day");
    o.biophysical = tp("bio_tf.csv");
    o.transpiration_days = 400;
    EPV_ASSERT_STATUS(ctx, epv_spatial_run(ctx, &o, &r), EPV_ERANGE);
    EPV_ASSERT_ERRMSG_HAS(ctx, "transpiration_days 400");
    o.transpiration_days = 60;
    double neg[9];
    memcpy(neg, SP3, sizeof neg);
    neg[5] = -5;
    raster("storm_neg.tif", 3, 3, neg, X0, Y0, PX, 32648, 1, -1);
    o.storm_precip = tp("storm_neg.tif");
    EPV_ASSERT_STATUS(ctx, epv_spatial_run(ctx, &o, &r), EPV_ERANGE);
    EPV_ASSERT_ERRMSG_HAS(ctx, "storm_precip");
    EPV_ASSERT_ERRMSG_HAS(ctx, "row 1, column 2");
    CU_ASSERT_PTR_NULL(r);
    /* Flood regulation by marshes, with cropland standing in for a marsh: soil depth h 0.5 m, bulk
     * density 1.2 t/m3, saturated water F 0.6, natural water E 0.3, surface depth H 0.2 m:
     * C_m = S (h rho (F - E) + H) = 1e4 m2 x (0.5 x 1.2 x 0.3 + 0.2) = 1e4 x 0.38 = 3,800 m3 per ha.
     * A cropland 3 ha = 11,400 m3, B cropland 2 ha = 7,600 m3; in the account A cropland's flood
     * regulation is vegetation + marsh = 1,200 + 11,400 = 12,600 m3. */
    text("bio_m.csv", "lucode,ecosystem,runoff_coef,usle_c,usle_p,nep_tc_ha,epp_kj_m2_day,storm_runoff_coef,"
                      "marsh_soil_depth_m,marsh_bulk_density_t_m3,marsh_saturated_water,marsh_natural_water,marsh_surface_depth_m\n"
                      "1,forest,0.1,0.01,1,2.0,150,0.2,0,0,0,0,0\n"
                      "2,cropland,0.3,0.3,0.5,0.5,50,0.6,0.5,1.2,0.6,0.3,0.2\n");
    o.storm_precip = tp("storm.tif");
    o.biophysical = tp("bio_m.csv");
    o.marsh_ecosystem = "cropland";
    EPV_ASSERT_OK(ctx, epv_spatial_run(ctx, &o, &r));
    CU_ASSERT_FATAL(r != NULL);
    EPV_ASSERT_CLOSE(value(ctx, r, EPV_SPATIAL_FLOOD_MARSH, A, CROP), 11400.0, 1e-12);
    EPV_ASSERT_CLOSE(value(ctx, r, EPV_SPATIAL_FLOOD_MARSH, B, CROP), 7600.0, 1e-12);
    EPV_ASSERT_NEAR(value(ctx, r, EPV_SPATIAL_FLOOD_MARSH, A, FOREST), 0.0, 0);
    EPV_ASSERT_OK(ctx, epv_spatial_result_write_gep_input(ctx, r, 2021, NULL, tp("acc_m.xml")));
    EPV_ASSERT_OK(ctx, epv_gep_tree_load_default(ctx, &tree));
    EPV_ASSERT_OK(ctx, epv_gep_input_load_file(ctx, tree, tp("acc_m.xml"), &in));
    if (in) {
        double q = 0;
        EPV_ASSERT_OK(ctx, epv_gep_account_quantity(ctx, epv_gep_input_account(in), "A", "cropland",
                                                    "flood_regulation", 2021, &q));
        EPV_ASSERT_CLOSE(q, 12600.0, 1e-12);
    }
    epv_gep_input_free(in);
    epv_gep_tree_free(tree);
    epv_spatial_result_free(r);
    r = NULL;
    /* two classes of the marsh ecosystem with different parameters, a marsh ecosystem unknown */
    text("bio_m2.csv", "lucode,ecosystem,runoff_coef,usle_c,usle_p,nep_tc_ha,epp_kj_m2_day,storm_runoff_coef,"
                       "marsh_soil_depth_m,marsh_bulk_density_t_m3,marsh_saturated_water,marsh_natural_water,marsh_surface_depth_m\n"
                       "1,forest,0.1,0.01,1,2.0,150,0.2,0,0,0,0,0\n"
                       "2,cropland,0.3,0.3,0.5,0.5,50,0.6,0.5,1.2,0.6,0.3,0.2\n"
                       "3,cropland,0.3,0.3,0.5,0.5,50,0.6,0.8,1.2,0.6,0.3,0.2\n");
    o.biophysical = tp("bio_m2.csv");
    EPV_ASSERT_STATUS(ctx, epv_spatial_run(ctx, &o, &r), EPV_EINVAL);
    EPV_ASSERT_ERRMSG_HAS(ctx, "lucode 2 and lucode 3");
    o.biophysical = tp("bio_m.csv");
    o.marsh_ecosystem = "bog";
    EPV_ASSERT_STATUS(ctx, epv_spatial_run(ctx, &o, &r), EPV_ENOTFOUND);
    EPV_ASSERT_ERRMSG_HAS(ctx, "marsh_ecosystem 'bog'");
    o.marsh_ecosystem = NULL;
    o.biophysical = tp("bio_tf.csv");
    /* A version-1 options struct runs without the version-2 services. */
    o.storm_precip = tp("storm.tif");
    o.version = 1;
    EPV_ASSERT_OK(ctx, epv_spatial_run(ctx, &o, &r));
    CU_ASSERT(r && !epv_spatial_result_has(r, EPV_SPATIAL_FLOOD_VEGETATION) &&
              !epv_spatial_result_has(r, EPV_SPATIAL_CLIMATE_TRANSPIRATION));
    epv_spatial_result_free(r);
    epv_ctx_free(ctx);
}

/* Region hierarchy: the 3x3 zones A and B as townships of one county K1 (parent_field). The
 * account input lists K1 first (area 3 + 3 + 2 = 8 ha), then A and B with parent K1; the GEP
 * module takes the tree and sums A and B into K1 (water conservation priced at 1 yuan/m3:
 * K1 = 13,900 + 5,200 + 3,700 = 22,800 yuan). A layer naming a parent field it lacks, or a
 * parent that is also a region, is refused. */
static void test_region_hierarchy(void)
{
    epv_ctx *ctx;
    epv_ctx_new(&ctx);
    make_case3();
    char gj[2048];
    snprintf(gj, sizeof gj,
             "{\"type\":\"FeatureCollection\",\"crs\":{\"type\":\"name\",\"properties\":{\"name\":\"urn:ogc:def:crs:EPSG::32648\"}},"
             "\"features\":["
             "{\"type\":\"Feature\",\"properties\":{\"code\":\"A\",\"name\":\"Zone A\",\"county\":\"%s\",\"cname\":\"County One\"},"
             "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[%.1f,%.1f],[%.1f,%.1f],[%.1f,%.1f],[%.1f,%.1f],[%.1f,%.1f]]]}},"
             "{\"type\":\"Feature\",\"properties\":{\"code\":\"B\",\"name\":\"Zone B\",\"county\":\"K1\",\"cname\":\"County One\"},"
             "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[%.1f,%.1f],[%.1f,%.1f],[%.1f,%.1f],[%.1f,%.1f],[%.1f,%.1f]]]}}]}\n",
             "K1", X0 - 10, Y0 + 10, X0 + 200, Y0 + 10, X0 + 200, Y0 - 310, X0 - 10, Y0 - 310, X0 - 10, Y0 + 10, X0 + 200,
             Y0 + 10, X0 + 310, Y0 + 10, X0 + 310, Y0 - 310, X0 + 200, Y0 - 310, X0 + 200, Y0 + 10);
    text("zones_h.geojson", gj);
    text("price1.xml", "<price indicator=\"water_conservation\" value=\"1\" currency=\"yuan\" per=\"m3\" baseYear=\"2021\" "
                       "method=\"shadow_project\" source=\"test\"/>\n");
    epv_spatial_options o;
    opts3(&o);
    o.zones = tp("zones_h.geojson");
    text("bio_w.csv", "lucode,ecosystem,runoff_coef\n1,forest,0.1\n2,cropland,0.3\n");
    o.biophysical = tp("bio_w.csv"); /* water conservation only: one price needed */
    o.dem = NULL;
    o.parent_field = "county";
    o.parent_name_field = "cname";
    epv_spatial_result *r = NULL;
    EPV_ASSERT_OK(ctx, epv_spatial_run(ctx, &o, &r));
    CU_ASSERT_FATAL(r != NULL);
    CU_ASSERT_STRING_EQUAL(epv_spatial_result_region_parent(r, 0), "K1");
    CU_ASSERT_STRING_EQUAL(epv_spatial_result_region_parent(r, 1), "K1");
    CU_ASSERT_STRING_EQUAL(epv_spatial_result_region_parent(r, 2), "");
    /* the parents survive serialisation (the MPI path) */
    void *buf = NULL;
    size_t len = 0;
    epv_spatial_result *back = NULL;
    EPV_ASSERT_OK(ctx, epv_spatial_result_serialize(ctx, r, &buf, &len));
    EPV_ASSERT_OK(ctx, epv_spatial_result_deserialize(ctx, buf, len, &back));
    CU_ASSERT(back && !strcmp(epv_spatial_result_region_parent(back, 1), "K1"));
    epv_spatial_result_free(back);
    free(buf);
    EPV_ASSERT_OK(ctx, epv_spatial_result_write_gep_input(ctx, r, 2021, tp("price1.xml"), tp("acc_h.xml")));
    epv_gep_tree *tree = NULL;
    epv_gep_input *in = NULL;
    EPV_ASSERT_OK(ctx, epv_gep_tree_load_default(ctx, &tree));
    EPV_ASSERT_OK(ctx, epv_gep_input_load_file(ctx, tree, tp("acc_h.xml"), &in));
    if (in) {
        epv_gep_account *acc = epv_gep_input_account(in);
        CU_ASSERT_EQUAL(epv_gep_account_region_count(acc), 3);
        epv_gep_region g;
        epv_gep_region_init(ctx, &g, EPV_GEP_REGION_VERSION);
        EPV_ASSERT_OK(ctx, epv_gep_account_region_at(ctx, acc, 0, &g));
        CU_ASSERT_STRING_EQUAL(g.code, "K1");
        CU_ASSERT_STRING_EQUAL(g.name, "County One");
        EPV_ASSERT_OK(ctx, epv_gep_account_region_at(ctx, acc, 2, &g));
        CU_ASSERT_STRING_EQUAL(g.parent, "K1");
        double y = 0;
        EPV_ASSERT_OK(ctx, epv_gep_account_value(ctx, acc, epv_gep_input_prices(in), NULL, 2021));
        EPV_ASSERT_OK(ctx, epv_gep_account_total(ctx, acc, "K1", NULL, "water_conservation", 2021, EPV_GEP_CONSTANT, &y));
        EPV_ASSERT_CLOSE(y, 13900.0 + 5200 + 3700, 1e-12);
    }
    epv_gep_input_free(in);
    epv_gep_tree_free(tree);
    epv_spatial_result_free(r);
    r = NULL;
    o.parent_field = "district";
    EPV_ASSERT_STATUS(ctx, epv_spatial_run(ctx, &o, &r), EPV_ENOTFOUND);
    EPV_ASSERT_ERRMSG_HAS(ctx, "no field 'district'");
    o.parent_field = "code";
    EPV_ASSERT_STATUS(ctx, epv_spatial_run(ctx, &o, &r), EPV_EINVAL);
    EPV_ASSERT_ERRMSG_HAS(ctx, "is itself a region");
    CU_ASSERT_PTR_NULL(r);
    epv_ctx_free(ctx);
}

static void test_geographic(void)
{
    epv_ctx *ctx;
    epv_ctx_new(&ctx);
    /* 2 x 2 cells of 0.5 degree over 106-107 E, 30-31 N (WGS84): the four cells add up to the
     * 1 x 1 degree cell, larger in the south row than in the north row. */
    double lc[4] = { 1, 1, 1, 1 }, p[4] = { 1000, 1000, 1000, 1000 }, et[4] = { 400, 400, 400, 400 };
    raster("glc.tif", 2, 2, lc, 106, 31, 0.5, 4326, 0, 0);
    raster("gp.tif", 2, 2, p, 106, 31, 0.5, 4326, 0, 0);
    raster("get.tif", 2, 2, et, 106, 31, 0.5, 4326, 0, 0);
    text("gbio.csv", "lucode,ecosystem,runoff_coef\n1,forest,0\n");
    text("gzones.geojson", "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":"
                           "{\"code\":\"g\",\"name\":\"G\"},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":"
                           "[[[105.9,29.9],[107.1,29.9],[107.1,31.1],[105.9,31.1],[105.9,29.9]]]}}]}\n");
    epv_spatial_options o;
    epv_spatial_options_init(ctx, &o, EPV_SPATIAL_OPTIONS_VERSION);
    o.landcover = tp("glc.tif");
    o.precip = tp("gp.tif");
    o.et = tp("get.tif");
    o.biophysical = tp("gbio.csv");
    o.zones = tp("gzones.geojson");
    epv_spatial_result *r = NULL;
    EPV_ASSERT_OK(ctx, epv_spatial_run(ctx, &o, &r));
    CU_ASSERT_FATAL(r != NULL);
    double cell;
    EPV_ASSERT_OK(ctx, epv_spatial_cell_area_geographic(ctx, 30, 31, 1, 6378137.0, 298.257223563, &cell));
    EPV_ASSERT_CLOSE(value(ctx, r, EPV_SPATIAL_AREA_HA, 0, 0), cell * 1e-4, 1e-12);
    /* water: 600 mm over the whole cell */
    EPV_ASSERT_CLOSE(value(ctx, r, EPV_SPATIAL_WATER_CONSERVATION, 0, 0), 600e-3 * cell, 1e-12);
    CU_ASSERT(!epv_spatial_result_has(r, EPV_SPATIAL_SOIL_RETENTION));
    CU_ASSERT(!epv_spatial_result_has(r, EPV_SPATIAL_CARBON_FIXATION));
    epv_spatial_result_free(r);
    epv_ctx_free(ctx);
}

/* A larger random grid: 157 x 203 cells, tiles of 32 x 40, three zones by column. */
#define BX 203
#define BY 157
static void make_big(void)
{
    double *lc = malloc(sizeof(double) * BX * BY), *p = malloc(sizeof(double) * BX * BY),
           *et = malloc(sizeof(double) * BX * BY), *dem = malloc(sizeof(double) * BX * BY);
    unsigned s = 12345;
    for (int i = 0; i < BX * BY; i++) {
        s = s * 1103515245u + 12345u;
        lc[i] = 1 + (s >> 16) % 3;
        p[i] = 600 + (s >> 8) % 900;
        et[i] = 300 + (s >> 4) % 300;
        dem[i] = 500 + 40 * sin((i % BX) * 0.05) + 30 * cos((i / BX) * 0.07) + (double)((s >> 12) % 7);
    }
    lc[5] = 255; /* nodata */
    raster("blc.tif", BX, BY, lc, X0, Y0, 30, 32648, 1, 255);
    raster("bp.tif", BX, BY, p, X0, Y0, 30, 32648, 0, 0);
    raster("bet.tif", BX, BY, et, X0, Y0, 30, 32648, 0, 0);
    raster("bdem.tif", BX, BY, dem, X0, Y0, 30, 32648, 0, 0);
    for (int i = 0; i < BX * BY; i++) p[i] = 3000 + (i % 17), et[i] = 0.02 + (i % 5) * 0.005;
    raster("br.tif", BX, BY, p, X0, Y0, 30, 32648, 0, 0);
    raster("bk.tif", BX, BY, et, X0, Y0, 30, 32648, 0, 0);
    free(lc);
    free(p);
    free(et);
    free(dem);
    text("bbio.csv", "lucode,ecosystem,runoff_coef,usle_c,usle_p,nep_tc_ha,epp_kj_m2_day,storm_runoff_coef,"
                     "marsh_soil_depth_m,marsh_bulk_density_t_m3,marsh_saturated_water,marsh_natural_water,"
                     "marsh_surface_depth_m\n1,forest,0.1,0.01,1,2.1,150,0.2,0,0,0,0,0\n"
                     "2,cropland,0.3,0.3,0.5,0.4,50,0.6,0,0,0,0,0\n3,grassland,0.2,0.05,1,1.1,90,0.4,0.3,1.3,0.55,0.25,0.1\n");
    char gj[4096];
    size_t len = (size_t)snprintf(gj, sizeof gj, "{\"type\":\"FeatureCollection\",\"crs\":{\"type\":\"name\",\"properties\":"
                                                 "{\"name\":\"urn:ogc:def:crs:EPSG::32648\"}},\"features\":[");
    double xs[4] = { X0 - 1, X0 + 30 * 70, X0 + 30 * 140, X0 + 30 * BX + 1 };
    for (int z = 0; z < 3; z++)
        len += (size_t)snprintf(gj + len, sizeof gj - len,
                                "%s{\"type\":\"Feature\",\"properties\":{\"code\":\"z%d\",\"name\":\"Z%d\"},\"geometry\":"
                                "{\"type\":\"Polygon\",\"coordinates\":[[[%.1f,%.1f],[%.1f,%.1f],[%.1f,%.1f],[%.1f,%.1f],"
                                "[%.1f,%.1f]]]}}",
                                z ? "," : "", z, z, xs[z], Y0 + 1, xs[z + 1], Y0 + 1, xs[z + 1], Y0 - 30 * BY - 1, xs[z],
                                Y0 - 30 * BY - 1, xs[z], Y0 + 1);
    snprintf(gj + len, sizeof gj - len, "]}\n");
    text("bzones.geojson", gj);
}

static void opts_big(epv_spatial_options *o)
{
    epv_spatial_options_init(NULL, o, EPV_SPATIAL_OPTIONS_VERSION);
    o->landcover = tp("blc.tif");
    o->precip = tp("bp.tif");
    o->et = tp("bet.tif");
    o->dem = tp("bdem.tif");
    o->erosivity = tp("br.tif");
    o->erodibility = tp("bk.tif");
    o->biophysical = tp("bbio.csv");
    o->zones = tp("bzones.geojson");
    o->storm_precip = tp("bp.tif"); /* the annual rain stands in for the storm rain */
    o->transpiration_days = 45;
    o->marsh_ecosystem = "grassland";
    o->tile_rows = 32;
    o->tile_cols = 40;
}

static int cancel_at_half(double fraction, const char *msg, void *payload)
{
    (void)msg;
    (*(int *)payload)++;
    return fraction > 0.5;
}

static void test_determinism_and_sums(void)
{
    epv_ctx *ctx;
    epv_ctx_new(&ctx);
    make_big();
    epv_spatial_options o;
    opts_big(&o);
    epv_spatial_result *r1 = NULL, *r3 = NULL, *parts[3] = { NULL, NULL, NULL }, *m = NULL;
    EPV_ASSERT_OK(ctx, epv_spatial_run(ctx, &o, &r1));
    epv_ctx_set_threads(ctx, 3);
    EPV_ASSERT_OK(ctx, epv_spatial_run(ctx, &o, &r3));
    epv_ctx_set_threads(ctx, 2);
    for (int k = 0; k < 3; k++) EPV_ASSERT_OK(ctx, epv_spatial_run_part(ctx, &o, 2 - k, 3, &parts[2 - k]));
    /* serialise one part and read it back, as the MPI driver does */
    void *buf = NULL;
    size_t len = 0;
    EPV_ASSERT_OK(ctx, epv_spatial_result_serialize(ctx, parts[1], &buf, &len));
    epv_spatial_result *p1 = NULL;
    EPV_ASSERT_OK(ctx, epv_spatial_result_deserialize(ctx, buf, len, &p1));
    EPV_ASSERT_STATUS(ctx, epv_spatial_result_deserialize(ctx, buf, len - 3, &m), EPV_EPARSE);
    free(buf);
    epv_spatial_result *pp[3] = { parts[2], p1, parts[0] };
    EPV_ASSERT_OK(ctx, epv_spatial_result_merge(ctx, pp, 3, &m));
    CU_ASSERT_FATAL(r1 && r3 && m);
    for (int c = 0; c < EPV_SPATIAL_NCOLS; c++) {
        const double *a, *b, *d;
        size_t n1 = 0, n3 = 0, nm = 0;
        if (c == EPV_SPATIAL_LS) continue; /* per-pixel only */
        CU_ASSERT(epv_spatial_result_has(r1, c) || c == EPV_SPATIAL_AREA_HA || c == EPV_SPATIAL_PIXELS);
        epv_spatial_result_column(ctx, r1, c, &a, &n1);
        epv_spatial_result_column(ctx, r3, c, &b, &n3);
        epv_spatial_result_column(ctx, m, c, &d, &nm);
        CU_ASSERT(n1 == 9 && n3 == 9 && nm == 9);
        CU_ASSERT(memcmp(a, b, n1 * sizeof *a) == 0); /* 1 thread vs 3: bit for bit */
        CU_ASSERT(memcmp(a, d, n1 * sizeof *a) == 0); /* whole vs 3 merged parts */
    }
    /* Zonal totals equal the sums of their pixels (rasters written by the module itself). */
    epv_spatial_col cols[6] = { EPV_SPATIAL_WATER_CONSERVATION, EPV_SPATIAL_SOIL_RETENTION, EPV_SPATIAL_AREA_HA,
                                EPV_SPATIAL_FLOOD_MARSH, EPV_SPATIAL_CLIMATE_TRANSPIRATION, EPV_SPATIAL_FLOOD_VEGETATION };
    const char *paths[6] = { tp("bwc.tif"), tp("bsr.tif"), tp("barea.tif"), tp("bfm.tif"), tp("btr.tif"), tp("bfv.tif") };
    EPV_ASSERT_OK(ctx, epv_spatial_write_rasters(ctx, &o, cols, paths, 6));
    for (int k = 0; k < 6; k++) {
        double *v = read_raster(paths[k], BX, BY);
        CU_ASSERT_FATAL(v != NULL);
        double zs[3] = { 0, 0, 0 };
        for (int i = 0; i < BX * BY; i++) {
            int x = i % BX, z = x < 70 ? 0 : (x < 140 ? 1 : 2);
            if (!isnan(v[i])) zs[z] += v[i];
        }
        const double *t;
        size_t n;
        epv_spatial_result_column(ctx, r1, cols[k], &t, &n);
        for (int z = 0; z < 3; z++) EPV_ASSERT_CLOSE(t[z * 3] + t[z * 3 + 1] + t[z * 3 + 2], zs[z], 1e-11);
        free(v);
    }
    /* Area: 70 columns x 157 rows x 0.09 ha in zone 0, minus the nodata pixel */
    EPV_ASSERT_CLOSE(value(ctx, r1, EPV_SPATIAL_PIXELS, 0, 0) + value(ctx, r1, EPV_SPATIAL_PIXELS, 0, 1) +
                         value(ctx, r1, EPV_SPATIAL_PIXELS, 0, 2),
                     70 * BY - 1, 0);
    /* Tiles read with a one-cell halo: per-pixel LS and soil retention do not depend on the
     * tile size (32 x 40 above, one 256 x 256 tile here), bit for bit. */
    {
        epv_spatial_options big = o;
        big.tile_rows = big.tile_cols = 256;
        epv_spatial_col c2[2] = { EPV_SPATIAL_LS, EPV_SPATIAL_SOIL_RETENTION };
        const char *pa[2] = { tp("ls_a.tif"), tp("sr_a.tif") }, *pb[2] = { tp("ls_b.tif"), tp("sr_b.tif") };
        EPV_ASSERT_OK(ctx, epv_spatial_write_rasters(ctx, &o, c2, pa, 2));
        EPV_ASSERT_OK(ctx, epv_spatial_write_rasters(ctx, &big, c2, pb, 2));
        for (int k = 0; k < 2; k++) {
            double *va = read_raster(pa[k], BX, BY), *vb = read_raster(pb[k], BX, BY);
            CU_ASSERT_FATAL(va && vb);
            CU_ASSERT(memcmp(va, vb, sizeof(double) * BX * BY) == 0);
            free(va);
            free(vb);
        }
    }
    /* Cancellation: ECANCELLED, no result, no raster left behind. */
    int calls = 0;
    epv_ctx_set_progress(ctx, cancel_at_half, &calls);
    epv_spatial_result *rc = (epv_spatial_result *)1;
    EPV_ASSERT_STATUS(ctx, epv_spatial_run(ctx, &o, &rc), EPV_ECANCELLED);
    CU_ASSERT_PTR_NULL(rc);
    const char *cp[1] = { tp("cancel.tif") };
    EPV_ASSERT_STATUS(ctx, epv_spatial_write_rasters(ctx, &o, cols, cp, 1), EPV_ECANCELLED);
    CU_ASSERT(access(cp[0], F_OK) != 0);
    CU_ASSERT(calls > 2);
    epv_ctx_set_progress(ctx, NULL, NULL);
    epv_spatial_result_free(r1);
    epv_spatial_result_free(r3);
    epv_spatial_result_free(m);
    epv_spatial_result_free(p1);
    for (int k = 0; k < 3; k++) epv_spatial_result_free(parts[k]);
    epv_ctx_free(ctx);
}

/* Run with one input replaced; expect `code` and every needle in the message; no raster written. */
static void expect_bad(epv_ctx *ctx, const epv_spatial_options *o, int code, const char *n1, const char *n2,
                       const char *n3)
{
    epv_spatial_result *r = NULL;
    EPV_ASSERT_STATUS(ctx, epv_spatial_run(ctx, o, &r), code);
    CU_ASSERT_PTR_NULL(r);
    if (n1) EPV_ASSERT_ERRMSG_HAS(ctx, n1);
    if (n2) EPV_ASSERT_ERRMSG_HAS(ctx, n2);
    if (n3) EPV_ASSERT_ERRMSG_HAS(ctx, n3);
    epv_spatial_col col = EPV_SPATIAL_AREA_HA;
    const char *path = tp("never.tif");
    CU_ASSERT(epv_spatial_write_rasters(ctx, o, &col, &path, 1) == code);
    CU_ASSERT(access(path, F_OK) != 0);
}

/* A copy of src as dst in data type `type` ("Byte", "Float32"), tiled in blocks of 48 x 32
 * cells when tiled, else in strips (GTiff's default). */
static void translate(const char *src, const char *dst, const char *type, int tiled)
{
    char *argv[] = { "-q", "-ot", (char *)type, "-co", tiled ? "TILED=YES" : "TILED=NO", "-co", "BLOCKXSIZE=48",
                     "-co", "BLOCKYSIZE=32", NULL };
    GDALTranslateOptions *to = GDALTranslateOptionsNew(argv, NULL);
    GDALDatasetH in = GDALOpen(src, GA_ReadOnly);
    CU_ASSERT_FATAL(to && in);
    GDALDatasetH out = GDALTranslate(dst, in, to, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(out);
    GDALClose(out);
    GDALClose(in);
    GDALTranslateOptionsFree(to);
}

static void big_inputs(epv_spatial_options *o, const char *prefix)
{
    static char paths[2][6][64];
    int t = prefix[0] == 't';
    const char *names[6] = { "blc", "bp", "bet", "bdem", "br", "bk" };
    for (int k = 0; k < 6; k++) snprintf(paths[t][k], sizeof paths[t][k], "%s%s.tif", prefix, names[k]);
    o->landcover = tp(paths[t][0]);
    o->precip = o->storm_precip = tp(paths[t][1]);
    o->et = tp(paths[t][2]);
    o->dem = tp(paths[t][3]);
    o->erosivity = tp(paths[t][4]);
    o->erodibility = tp(paths[t][5]);
}

/* Rasters whose blocks are the tiles are read a block at a time in their own type (Byte land
 * cover, Float32 inputs) and the DEM's through a cache of blocks: the same sums and per-pixel
 * values, bit for bit, as the same rasters read in strips, with 1 and 2 threads; and the
 * same messages for a bad value. */
static void test_block_reads(void)
{
    epv_ctx *ctx;
    epv_ctx_new(&ctx);
    make_big();
    const char *names[6] = { "blc", "bp", "bet", "bdem", "br", "bk" };
    for (int k = 0; k < 6; k++) {
        char a[64], b[64], c[64];
        snprintf(a, sizeof a, "%s.tif", names[k]);
        snprintf(b, sizeof b, "s_%s.tif", names[k]);
        snprintf(c, sizeof c, "t_%s.tif", names[k]);
        translate(tp(a), tp(b), k ? "Float32" : "Byte", 0);
        translate(tp(a), tp(c), k ? "Float32" : "Byte", 1);
    }
    epv_spatial_options os, ot;
    opts_big(&os);
    os.tile_rows = 32;
    os.tile_cols = 48;
    ot = os;
    big_inputs(&os, "s_");
    big_inputs(&ot, "t_");
    epv_spatial_result *rs = NULL, *rt = NULL, *rt2 = NULL;
    EPV_ASSERT_OK(ctx, epv_spatial_run(ctx, &os, &rs));
    EPV_ASSERT_OK(ctx, epv_spatial_run(ctx, &ot, &rt));
    epv_ctx_set_threads(ctx, 2);
    EPV_ASSERT_OK(ctx, epv_spatial_run(ctx, &ot, &rt2));
    CU_ASSERT_FATAL(rs && rt && rt2);
    for (int c = 0; c < EPV_SPATIAL_NCOLS; c++) {
        const double *a, *b, *d;
        size_t na = 0, nb = 0, nd = 0;
        if (c == EPV_SPATIAL_LS) continue;
        epv_spatial_result_column(ctx, rs, c, &a, &na);
        epv_spatial_result_column(ctx, rt, c, &b, &nb);
        epv_spatial_result_column(ctx, rt2, c, &d, &nd);
        CU_ASSERT(na == 9 && nb == 9 && nd == 9);
        CU_ASSERT(memcmp(a, b, na * sizeof *a) == 0);
        CU_ASSERT(memcmp(a, d, na * sizeof *a) == 0);
    }
    CU_ASSERT(value(ctx, rs, EPV_SPATIAL_SOIL_RETENTION, 1, 0) > 0);
    epv_spatial_col c2[3] = { EPV_SPATIAL_LS, EPV_SPATIAL_SOIL_RETENTION, EPV_SPATIAL_WATER_CONSERVATION };
    const char *pa[3] = { tp("s_ls.tif"), tp("s_sr.tif"), tp("s_wc.tif") };
    const char *pb[3] = { tp("t_ls.tif"), tp("t_sr.tif"), tp("t_wc.tif") };
    EPV_ASSERT_OK(ctx, epv_spatial_write_rasters(ctx, &os, c2, pa, 3));
    EPV_ASSERT_OK(ctx, epv_spatial_write_rasters(ctx, &ot, c2, pb, 3));
    for (int k = 0; k < 3; k++) {
        double *va = read_raster(pa[k], BX, BY), *vb = read_raster(pb[k], BX, BY);
        CU_ASSERT_FATAL(va && vb);
        CU_ASSERT(memcmp(va, vb, sizeof(double) * BX * BY) == 0);
        free(va);
        free(vb);
    }
    /* a negative rain value at row 40, column 50 (a tile inside the grid), tiled */
    double *p = read_raster(tp("bp.tif"), BX, BY);
    CU_ASSERT_FATAL(p != NULL);
    p[40 * BX + 50] = -2;
    raster("bp_neg.tif", BX, BY, p, X0, Y0, 30, 32648, 0, 0);
    free(p);
    translate(tp("bp_neg.tif"), tp("t_bp_neg.tif"), "Float32", 1);
    ot.precip = tp("t_bp_neg.tif");
    expect_bad(ctx, &ot, EPV_ERANGE, "t_bp_neg.tif", "precip", "row 40, column 50");
    epv_spatial_result_free(rs);
    epv_spatial_result_free(rt);
    epv_spatial_result_free(rt2);
    epv_ctx_free(ctx);
}


/* Zones in another CRS (WGS84 longitude/latitude) are reprojected onto the UTM grid: the 3x3
 * case with its two zones given in degrees gives the same sums. */
static void test_reprojected_zones(void)
{
    epv_ctx *ctx;
    epv_ctx_new(&ctx);
    make_case3();
    OGRSpatialReferenceH utm = OSRNewSpatialReference(NULL), geo = OSRNewSpatialReference(NULL);
    OSRImportFromEPSG(utm, 32648);
    OSRImportFromEPSG(geo, 4326);
    OSRSetAxisMappingStrategy(utm, OAMS_TRADITIONAL_GIS_ORDER);
    OSRSetAxisMappingStrategy(geo, OAMS_TRADITIONAL_GIS_ORDER);
    OGRCoordinateTransformationH ct = OCTNewCoordinateTransformation(utm, geo);
    double xs[2][5] = { { X0 - 10, X0 + 200, X0 + 200, X0 - 10, X0 - 10 }, { X0 + 200, X0 + 310, X0 + 310, X0 + 200, X0 + 200 } };
    double ys[5] = { Y0 + 10, Y0 + 10, Y0 - 310, Y0 - 310, Y0 + 10 };
    char gj[4096];
    size_t len = (size_t)snprintf(gj, sizeof gj, "{\"type\":\"FeatureCollection\",\"features\":[");
    for (int z = 0; z < 2; z++) {
        double x[5], y[5];
        memcpy(x, xs[z], sizeof x);
        memcpy(y, ys, sizeof y);
        OCTTransform(ct, 5, x, y, NULL);
        len += (size_t)snprintf(gj + len, sizeof gj - len,
                                "%s{\"type\":\"Feature\",\"properties\":{\"code\":\"%s\",\"name\":\"n\"},\"geometry\":"
                                "{\"type\":\"Polygon\",\"coordinates\":[[",
                                z ? "," : "", z ? "B" : "A");
        for (int k = 0; k < 5; k++) len += (size_t)snprintf(gj + len, sizeof gj - len, "%s[%.12f,%.12f]", k ? "," : "", x[k], y[k]);
        len += (size_t)snprintf(gj + len, sizeof gj - len, "]]}}");
    }
    snprintf(gj + len, sizeof gj - len, "]}\n");
    text("zones_geo.geojson", gj);
    OCTDestroyCoordinateTransformation(ct);
    OSRDestroySpatialReference(utm);
    OSRDestroySpatialReference(geo);
    epv_spatial_options o;
    opts3(&o);
    epv_spatial_result *a = NULL, *b = NULL;
    EPV_ASSERT_OK(ctx, epv_spatial_run(ctx, &o, &a));
    o.zones = tp("zones_geo.geojson");
    EPV_ASSERT_OK(ctx, epv_spatial_run(ctx, &o, &b));
    CU_ASSERT_FATAL(a && b);
    for (int c = 0; c < EPV_SPATIAL_NCOLS; c++) {
        const double *va, *vb;
        size_t na, nb;
        epv_spatial_result_column(ctx, a, c, &va, &na);
        epv_spatial_result_column(ctx, b, c, &vb, &nb);
        CU_ASSERT(na == nb && memcmp(va, vb, na * sizeof *va) == 0);
    }
    EPV_ASSERT_CLOSE(value(ctx, b, EPV_SPATIAL_WATER_CONSERVATION, 0, 1), 13900, 1e-12);
    epv_spatial_result_free(b);
    b = NULL;
    /* The same zones as a GeoPackage (any vector format GDAL reads) give the same sums. */
    GDALDatasetH src = GDALOpenEx(tp("zones.geojson"), GDAL_OF_VECTOR, NULL, NULL, NULL);
    char *topts[] = { "-f", "GPKG", NULL };
    GDALVectorTranslateOptions *vto = GDALVectorTranslateOptionsNew(topts, NULL);
    GDALDatasetH gp = GDALVectorTranslate(tp("zones.gpkg"), NULL, 1, &src, vto, NULL);
    GDALVectorTranslateOptionsFree(vto);
    CU_ASSERT_PTR_NOT_NULL_FATAL(gp);
    GDALClose(gp);
    GDALClose(src);
    o.zones = tp("zones.gpkg");
    EPV_ASSERT_OK(ctx, epv_spatial_run(ctx, &o, &b));
    CU_ASSERT_FATAL(b != NULL);
    for (int c = 0; c < EPV_SPATIAL_NCOLS; c++) {
        const double *va, *vb;
        size_t na, nb;
        epv_spatial_result_column(ctx, a, c, &va, &na);
        epv_spatial_result_column(ctx, b, c, &vb, &nb);
        CU_ASSERT(na == nb && memcmp(va, vb, na * sizeof *va) == 0);
    }
    epv_spatial_result_free(a);
    epv_spatial_result_free(b);
    /* A boundary layer without a CRS (a CSV of WKT polygons) is refused, naming the file. */
    text("zones_nocrs.csv", "WKT,code,name\n\"POLYGON((600000 3500000,600300 3500000,600300 3499700,600000 3499700,"
                            "600000 3500000))\",A,a\n");
    o.zones = tp("zones_nocrs.csv");
    a = NULL;
    EPV_ASSERT_STATUS(ctx, epv_spatial_run(ctx, &o, &a), EPV_EINVAL);
    EPV_ASSERT_ERRMSG_HAS(ctx, "zones_nocrs.csv");
    EPV_ASSERT_ERRMSG_HAS(ctx, "no CRS");
    epv_ctx_free(ctx);
}

static void test_bad_inputs(void)
{
    epv_ctx *ctx;
    epv_ctx_new(&ctx);
    make_case3();
    epv_spatial_options o;
    opts3(&o);
    /* misaligned: origin shifted by one cell; other size; other CRS */
    raster("p_shift.tif", 3, 3, P3, X0 + PX, Y0, PX, 32648, 1, -9999);
    o.precip = tp("p_shift.tif");
    expect_bad(ctx, &o, EPV_EINVAL, "p_shift.tif", "lc.tif", "does not match");
    raster("p_size.tif", 2, 3, P3, X0, Y0, PX, 32648, 1, -9999);
    o.precip = tp("p_size.tif");
    expect_bad(ctx, &o, EPV_EINVAL, "p_size.tif", "lc.tif", "2 x 3");
    raster("p_crs.tif", 3, 3, P3, X0, Y0, PX, 32647, 1, -9999);
    o.precip = tp("p_crs.tif");
    expect_bad(ctx, &o, EPV_EINVAL, "CRS of", "p_crs.tif", "lc.tif");
    /* missing CRS */
    raster("p_nocrs.tif", 3, 3, P3, X0, Y0, PX, 0, 1, -9999);
    o.precip = tp("p_nocrs.tif");
    expect_bad(ctx, &o, EPV_EINVAL, "p_nocrs.tif", "no CRS", NULL);
    /* negative rainfall at row 1, column 2 */
    double neg[9];
    memcpy(neg, P3, sizeof neg);
    neg[5] = -3;
    raster("p_neg.tif", 3, 3, neg, X0, Y0, PX, 32648, 1, -9999);
    o.precip = tp("p_neg.tif");
    expect_bad(ctx, &o, EPV_ERANGE, "p_neg.tif", "precip", "row 1, column 2");
    /* NaN rainfall that is not nodata */
    neg[5] = NAN;
    raster("p_nan.tif", 3, 3, neg, X0, Y0, PX, 32648, 1, -9999);
    o.precip = tp("p_nan.tif");
    expect_bad(ctx, &o, EPV_ERANGE, "p_nan.tif", "row 1, column 2", "not a number");
    o.precip = tp("p.tif");
    /* land-cover codes absent from the table, all listed */
    double lc[9] = { 1, 7, 2, 1, 2, 9, 7, 2, 255 };
    raster("lc_unk.tif", 3, 3, lc, X0, Y0, PX, 32648, 1, 255);
    o.landcover = tp("lc_unk.tif");
    o.precip = o.et = o.dem = o.erosivity = o.erodibility = NULL;
    expect_bad(ctx, &o, EPV_ENOTFOUND, "7, 9", "bio.csv", "row 0, column 1");
    opts3(&o);
    /* boundary layer without the named code field */
    o.code_field = "county_code";
    expect_bad(ctx, &o, EPV_ENOTFOUND, "zones.geojson", "county_code", "fields: code, name");
    opts3(&o);
    /* biophysical table: missing column, bad value, duplicate code */
    text("bio_nocol.csv", "lucode,ecosystem,runoff_coef,usle_c,nep_tc_ha\n1,forest,0.1,0.01,2\n2,cropland,0.3,0.3,0.5\n");
    o.biophysical = tp("bio_nocol.csv");
    expect_bad(ctx, &o, EPV_ENOTFOUND, "bio_nocol.csv", "usle_p", NULL);
    text("bio_bad.csv", "lucode,ecosystem,runoff_coef,usle_c,usle_p,nep_tc_ha\n1,forest,0.1,0.01,1,2\n2,cropland,1.3,0.3,0.5,0.5\n");
    o.biophysical = tp("bio_bad.csv");
    expect_bad(ctx, &o, EPV_ERANGE, "bio_bad.csv:3", "runoff_coef", NULL);
    text("bio_dup.csv", "lucode,ecosystem,runoff_coef,usle_c,usle_p,nep_tc_ha\n1,forest,0.1,0.01,1,2\n1,cropland,0.3,0.3,0.5,0.5\n");
    o.biophysical = tp("bio_dup.csv");
    expect_bad(ctx, &o, EPV_EEXISTS, "bio_dup.csv:3", "lucode", NULL);
    opts3(&o);
    /* unversioned options, NULL arguments */
    epv_spatial_options z;
    memset(&z, 0, sizeof z);
    epv_spatial_result *r = NULL;
    EPV_ASSERT_STATUS(ctx, epv_spatial_run(ctx, &z, &r), EPV_EVERSION);
    EPV_ASSERT_STATUS(ctx, epv_spatial_run(ctx, NULL, &r), EPV_EINVAL);
    EPV_ASSERT_STATUS(ctx, epv_spatial_options_init(ctx, &z, 99), EPV_EVERSION);
    /* a part is not a whole result */
    EPV_ASSERT_OK(ctx, epv_spatial_run_part(ctx, &o, 0, 2, &r));
    EPV_ASSERT_STATUS(ctx, epv_spatial_result_write_csv(ctx, r, tp("part.csv")), EPV_ESTATE);
    CU_ASSERT(access(tp("part.csv"), F_OK) != 0);
    epv_spatial_result_free(r);
    epv_ctx_free(ctx);
}

static void cleanup(void)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0) fprintf(stderr, "cannot remove %s\n", dir);
}

int main(void)
{
    GDALAllRegister();
    snprintf(dir, sizeof dir, "%s/epv_spatial_XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    if (!mkdtemp(dir)) return 2;
    CU_TestInfo tests[] = { { "LS: RUSLE (AH703) with Horn's slope, published values", test_ls_published },
                            { "LS: Desmet & Govers with D8 flow accumulation", test_ls_desmet_govers },
                            { "cell areas on the WGS84 ellipsoid", test_cell_area },
                            { "3x3 services worked by hand", test_services_by_hand },
                            { "3x3 transpiration and flood worked by hand", test_transpiration_flood },
                            { "region hierarchy (parent_field)", test_region_hierarchy },
                            { "geographic grid", test_geographic },
                            { "determinism, parts, zonal = pixel sums, cancel", test_determinism_and_sums },
                            { "rasters tiled like the tiles: same bits", test_block_reads },
                            { "zones reprojected onto the grid", test_reprojected_zones },
                            { "bad inputs", test_bad_inputs },
                            CU_TEST_INFO_NULL };
    int rc = epv_test_main("spatial", tests);
    cleanup();
    return rc;
}
