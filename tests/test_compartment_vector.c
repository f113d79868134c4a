/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Sub-compartment inventories from GDAL vector layers (epv_compartment_read_vector): the
 * illustrative inventory data/examples/pingchang_compartments.csv written here as GeoJSON
 * (its text values copied verbatim, one square polygon per record) and translated with GDAL's
 * ogr2ogr library call to GeoPackage (typed and all-text fields) and Shapefile (10-character
 * field names) must give the CSV reader's records and the same strata; polygon areas against
 * published numbers; every bad input of the issue names the file, layer, feature and field.
 *
 * Published numbers: a degree of latitude at the equator is 110.6 km and a degree of
 * longitude 111.3 km on WGS84 (Wikipedia, "Geographic coordinate system", "Length of a
 * degree"), so the 1° × 1° cell 0–1° N is 12,310 km² to the rounding of those lengths; UTM
 * scales the central meridian by k0 = 0.9996 (Snyder 1987, Map Projections: A Working Manual,
 * USGS PP 1395, p. 57), so a 100 m × 100 m square of UTM coordinates on the central meridian
 * covers 1 / 0.9996² ha = 1.00080032 ha of the ellipsoid, and off it 1/k² ha with the scale
 * factor k of Snyder's eq. 8-11. */
#define _GNU_SOURCE 1
#include <cpl_error.h>
#include <gdal.h>
#include <gdal_utils.h>
#include <ogr_srs_api.h>
#include <stdlib.h>
#include <unistd.h>

#include "epv.h"
#include "test_util.h"

static epv_ctx *ctx;
static epv_params *params;
static char dir[256];

static const char *tp(const char *name)
{
    static char buf[64][512];
    static int n;
    char want[512];
    snprintf(want, sizeof want, "%s/%s", dir, name);
    for (int k = 0; k < n; k++)
        if (!strcmp(buf[k], want)) return buf[k];
    if (n == 64) abort();
    strcpy(buf[n], want);
    return buf[n++];
}

static void write_text(const char *name, const char *text)
{
    FILE *f = fopen(tp(name), "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fputs(text, f);
    fclose(f);
}

#define UTM48N "{\"type\":\"name\",\"properties\":{\"name\":\"urn:ogc:def:crs:EPSG::32648\"}}"

/* The example inventory as GeoJSON (layer "xiaoban", UTM 48N): every CSV field's text copied
 * as it stands (numbers as JSON numbers, an empty site class as null) and a square of the
 * record's area, side √(area·10⁴) m, on the central meridian 105° E. */
static void write_example_geojson(const char *name)
{
    FILE *in = fopen(epv_test_path("data/examples/pingchang_compartments.csv"), "r");
    FILE *out = fopen(tp(name), "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(in);
    CU_ASSERT_PTR_NOT_NULL_FATAL(out);
    fprintf(out, "{\"type\":\"FeatureCollection\",\"name\":\"xiaoban\",\"crs\":" UTM48N ",\"features\":[\n");
    char line[512];
    int header = 0, n = 0;
    while (fgets(line, sizeof line, in)) {
        if (line[0] == '#') continue;
        line[strcspn(line, "\r\n")] = '\0';
        if (!header) {
            CU_ASSERT_STRING_EQUAL(line, "id,species,origin,age,area_ha,volume_m3_ha,site_class");
            header = 1;
            continue;
        }
        char *f[7] = { NULL }, *p = line;
        for (int k = 0; k < 7; k++) f[k] = strsep(&p, ","); /* strsep keeps an empty last field */
        CU_ASSERT_PTR_NOT_NULL_FATAL(f[6]);
        double side = sqrt(atof(f[4]) * 1e4), x0 = 500000 - side / 2, y0 = 3500000 + 2000.0 * n;
        fprintf(out,
                "%s{\"type\":\"Feature\",\"properties\":{\"id\":\"%s\",\"species\":\"%s\",\"origin\":\"%s\",\"age\":%s,"
                "\"area_ha\":%s,\"volume_m3_ha\":%s,\"site_class\":%s},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":"
                "[[[%.17g,%.17g],[%.17g,%.17g],[%.17g,%.17g],[%.17g,%.17g],[%.17g,%.17g]]]}}\n",
                n ? "," : "", f[0], f[1], f[2], f[3], f[4], f[5], f[6][0] ? f[6] : "null", x0, y0, x0 + side, y0,
                x0 + side, y0 + side, x0, y0 + side, x0, y0);
        n++;
    }
    fprintf(out, "]}\n");
    fclose(in);
    fclose(out);
    CU_ASSERT_EQUAL(n, 12);
}

/* ogr2ogr as a library call: src -> dst with the given options (NULL-terminated). */
static void translate(const char *src, const char *dst, char **opts)
{
    GDALDatasetH in = GDALOpenEx(tp(src), GDAL_OF_VECTOR, NULL, NULL, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(in);
    GDALVectorTranslateOptions *o = GDALVectorTranslateOptionsNew(opts, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(o);
    CPLPushErrorHandler(CPLQuietErrorHandler); /* the Shapefile driver's note on cut names */
    GDALDatasetH out = GDALVectorTranslate(tp(dst), NULL, 1, &in, o, NULL);
    CPLPopErrorHandler();
    CU_ASSERT_PTR_NOT_NULL_FATAL(out);
    GDALClose(out);
    GDALVectorTranslateOptionsFree(o);
    GDALClose(in);
}

static void same_records(const epv_compartment_set *a, const epv_compartment_set *b, double area_rtol)
{
    CU_ASSERT_EQUAL_FATAL(epv_compartment_count(a), epv_compartment_count(b));
    for (size_t i = 0; i < epv_compartment_count(a); i++) {
        epv_compartment x = EPV_COMPARTMENT_INIT, y = EPV_COMPARTMENT_INIT;
        EPV_ASSERT_OK(ctx, epv_compartment_at(ctx, a, i, &x));
        EPV_ASSERT_OK(ctx, epv_compartment_at(ctx, b, i, &y));
        CU_ASSERT_STRING_EQUAL(x.id, y.id);
        CU_ASSERT_STRING_EQUAL(x.species, y.species);
        CU_ASSERT_EQUAL(x.origin, y.origin);
        CU_ASSERT_EQUAL(x.age, y.age);
        if (area_rtol == 0) {
            CU_ASSERT_EQUAL(x.area_ha, y.area_ha);
        } else {
            EPV_ASSERT_CLOSE(y.area_ha, x.area_ha, area_rtol);
        }
        CU_ASSERT_EQUAL(x.volume_m3_ha, y.volume_m3_ha);
        CU_ASSERT_EQUAL(x.site_class, y.site_class);
    }
}

static epv_compartment_curve curves[5];

/* Stratify both sets with the default rules: the same strata with the same records. */
static void same_strata(const epv_compartment_set *a, const epv_compartment_set *b)
{
    static const char *const sp[5] = { "柏木", "马尾松", "杉木", "桤木", "栎类" };
    for (int i = 0; i < 5; i++) {
        epv_compartment_curve c = EPV_COMPARTMENT_CURVE_INIT;
        c.species = sp[i];
        c.curve.model = EPV_GROWTH_SCHUMACHER;
        c.curve.a = 300;
        c.curve.b = 20;
        curves[i] = c;
    }
    epv_compartment_rules rules = EPV_COMPARTMENT_RULES_INIT;
    rules.inventory_year = 2020;
    rules.curves = curves;
    rules.ncurves = 5;
    epv_project *pa = NULL, *pb = NULL;
    epv_compartment_map *ma = NULL, *mb = NULL;
    EPV_ASSERT_OK(ctx, epv_project_new(ctx, "csv", EPV_PROJECT_FOREST_MANAGEMENT, 2021, 30, &pa));
    EPV_ASSERT_OK(ctx, epv_project_new(ctx, "vector", EPV_PROJECT_FOREST_MANAGEMENT, 2021, 30, &pb));
    EPV_ASSERT_OK(ctx, epv_compartment_stratify(ctx, a, params, &rules, pa, &ma));
    EPV_ASSERT_OK(ctx, epv_compartment_stratify(ctx, b, params, &rules, pb, &mb));
    CU_ASSERT_EQUAL_FATAL(epv_compartment_map_strata(ma), 10); /* the ten strata of test_compartment.c */
    CU_ASSERT_EQUAL_FATAL(epv_compartment_map_strata(mb), 10);
    for (size_t i = 0; i < 10; i++) {
        const char *id = epv_compartment_map_stratum_id(ma, i);
        CU_ASSERT_STRING_EQUAL(id, epv_compartment_map_stratum_id(mb, i));
        const size_t *ra = NULL, *rb = NULL;
        size_t na = 0, nb = 0;
        EPV_ASSERT_OK(ctx, epv_compartment_map_records(ctx, ma, id, &ra, &na));
        EPV_ASSERT_OK(ctx, epv_compartment_map_records(ctx, mb, id, &rb, &nb));
        CU_ASSERT_EQUAL_FATAL(na, nb);
        for (size_t k = 0; k < na; k++) CU_ASSERT_EQUAL(ra[k], rb[k]);
        epv_project_stratum sa = EPV_PROJECT_STRATUM_INIT, sb = EPV_PROJECT_STRATUM_INIT;
        EPV_ASSERT_OK(ctx, epv_project_stratum_at(ctx, pa, i, &sa));
        EPV_ASSERT_OK(ctx, epv_project_stratum_at(ctx, pb, i, &sb));
        CU_ASSERT_STRING_EQUAL(sa.id, sb.id);
        EPV_ASSERT_CLOSE(sb.area_ha, sa.area_ha, 1e-12);
        CU_ASSERT_EQUAL(sa.planting_year, sb.planting_year);
    }
    epv_compartment_map_free(ma);
    epv_compartment_map_free(mb);
    epv_project_free(pa);
    epv_project_free(pb);
}

static void test_same_as_csv(void)
{
    epv_compartment_set *csv = NULL, *gj = NULL, *gp = NULL, *txt = NULL, *shp = NULL, *geo = NULL;
    EPV_ASSERT_OK(ctx, epv_compartment_read_csv(ctx, epv_test_path("data/examples/pingchang_compartments.csv"), NULL,
                                                params, &csv));
    CU_ASSERT_PTR_NOT_NULL_FATAL(csv);
    write_example_geojson("pc.geojson");
    /* GeoJSON, fields by their default names, the area from the attribute. */
    EPV_ASSERT_OK(ctx, epv_compartment_read_vector(ctx, tp("pc.geojson"), NULL, NULL, params, &gj));
    CU_ASSERT_PTR_NOT_NULL_FATAL(gj);
    same_records(csv, gj, 0);
    /* GeoPackage, typed fields; and all fields turned to text (numbers parsed as in the CSV). */
    char *gpkg[] = { "-f", "GPKG", NULL };
    translate("pc.geojson", "pc.gpkg", gpkg);
    EPV_ASSERT_OK(ctx, epv_compartment_read_vector(ctx, tp("pc.gpkg"), "xiaoban", NULL, params, &gp));
    CU_ASSERT_PTR_NOT_NULL_FATAL(gp);
    same_records(csv, gp, 0);
    char *text[] = { "-f", "GPKG", "-fieldTypeToString", "All", NULL };
    translate("pc.geojson", "pc_text.gpkg", text);
    EPV_ASSERT_OK(ctx, epv_compartment_read_vector(ctx, tp("pc_text.gpkg"), NULL, NULL, params, &txt));
    CU_ASSERT_PTR_NOT_NULL_FATAL(txt);
    same_records(csv, txt, 0);
    /* Shapefile: field names cut to 10 characters, named through the fields struct. */
    char *shpo[] = { "-f", "ESRI Shapefile", "-lco", "ENCODING=UTF-8", NULL };
    translate("pc.geojson", "pc.shp", shpo);
    epv_compartment_fields fl = EPV_COMPARTMENT_FIELDS_INIT;
    EPV_ASSERT_STATUS(ctx, epv_compartment_read_vector(ctx, tp("pc.shp"), NULL, &fl, params, &shp), EPV_ENOTFOUND);
    EPV_ASSERT_ERRMSG_HAS(ctx, "no field 'volume_m3_ha' (fields.volume_m3_ha; the layer has: id, species, origin, age, "
                               "area_ha, volume_m3_, site_class)");
    CU_ASSERT_PTR_NULL(shp);
    fl.volume_m3_ha = "volume_m3_";
    EPV_ASSERT_OK(ctx, epv_compartment_read_vector(ctx, tp("pc.shp"), NULL, &fl, params, &shp));
    CU_ASSERT_PTR_NOT_NULL_FATAL(shp);
    same_records(csv, shp, 0);
    same_strata(csv, gp);
    same_strata(csv, shp);
    /* The area from the polygons: planar in UTM is the attribute; ellipsoidal is larger by
     * 1/k² with k ≈ k0 = 0.9996 on the central meridian (x within 550 m of it: k − k0 < 4e-9),
     * within the 1 % the comparison allows. */
    epv_compartment_fields pl = EPV_COMPARTMENT_FIELDS_INIT;
    pl.area_from = EPV_COMPARTMENT_AREA_PLANAR;
    pl.area_check = 1e-9;
    EPV_ASSERT_OK(ctx, epv_compartment_read_vector(ctx, tp("pc.gpkg"), NULL, &pl, params, &geo));
    CU_ASSERT_PTR_NOT_NULL_FATAL(geo);
    same_records(csv, geo, 1e-12);
    same_strata(csv, geo);
    epv_compartment_set_free(geo);
    geo = NULL;
    pl.area_from = EPV_COMPARTMENT_AREA_ELLIPSOIDAL;
    pl.area_check = 0.01;
    EPV_ASSERT_OK(ctx, epv_compartment_read_vector(ctx, tp("pc.gpkg"), NULL, &pl, params, &geo));
    CU_ASSERT_PTR_NOT_NULL_FATAL(geo);
    for (size_t i = 0; i < epv_compartment_count(csv); i++) {
        epv_compartment x = EPV_COMPARTMENT_INIT, y = EPV_COMPARTMENT_INIT;
        EPV_ASSERT_OK(ctx, epv_compartment_at(ctx, csv, i, &x));
        EPV_ASSERT_OK(ctx, epv_compartment_at(ctx, geo, i, &y));
        EPV_ASSERT_CLOSE(y.area_ha, x.area_ha / (0.9996 * 0.9996), 1e-7);
    }
    /* Stricter than the projection's 0.08 %: refused, naming the first feature's field. */
    pl.area_check = 1e-4;
    epv_compartment_set *none = (epv_compartment_set *)&none;
    EPV_ASSERT_STATUS(ctx, epv_compartment_read_vector(ctx, tp("pc.gpkg"), NULL, &pl, params, &none), EPV_ERANGE);
    EPV_ASSERT_ERRMSG_HAS(ctx, "pc.gpkg: layer 'xiaoban': feature 1 (FID 1, id 'PC-001-01'): field 'area_ha': 120.5 ha "
                               "differs from the polygon's ellipsoidal area");
    CU_ASSERT_PTR_NULL(none);
    epv_compartment_set_free(csv);
    epv_compartment_set_free(gj);
    epv_compartment_set_free(gp);
    epv_compartment_set_free(txt);
    epv_compartment_set_free(shp);
    epv_compartment_set_free(geo);
}

/* One feature with the given geometry (GeoJSON text) and CRS member ("" for none: CRS84). */
static void one_feature(const char *name, const char *crs, const char *props, const char *geom)
{
    char buf[4096];
    snprintf(buf, sizeof buf,
             "{\"type\":\"FeatureCollection\",\"name\":\"g\"%s%s,\"features\":[{\"type\":\"Feature\",\"properties\":"
             "{\"id\":\"G-1\",\"species\":\"杉木\",\"origin\":\"人工\",\"age\":10,\"volume_m3_ha\":50%s},\"geometry\":%s}]}\n",
             *crs ? ",\"crs\":" : "", crs, props, geom);
    write_text(name, buf);
}

static double area_of(const char *name, epv_compartment_area_from from)
{
    epv_compartment_fields fl = EPV_COMPARTMENT_FIELDS_INIT;
    fl.area_from = from;
    epv_compartment_set *s = NULL;
    epv_compartment r = EPV_COMPARTMENT_INIT;
    EPV_ASSERT_OK(ctx, epv_compartment_read_vector(ctx, tp(name), NULL, &fl, params, &s));
    if (!s) return NAN;
    EPV_ASSERT_OK(ctx, epv_compartment_at(ctx, s, 0, &r));
    epv_compartment_set_free(s);
    return r.area_ha;
}

static void test_polygon_areas(void)
{
    /* The 1° × 1° cell 0–1° N on WGS84: exactly epv_spatial_cell_area_geographic()'s area
     * (edges along a parallel and a meridian are straight in the equal-area projection), and
     * the published 110.6 km × 111.3 km. */
    one_feature("cell.geojson", "", "", "{\"type\":\"Polygon\",\"coordinates\":[[[105,0],[106,0],[106,1],[105,1],[105,0]]]}");
    double cell = 0;
    EPV_ASSERT_OK(ctx, epv_spatial_cell_area_geographic(ctx, 0, 1, 1, 6378137.0, 298.257223563, &cell));
    double a = area_of("cell.geojson", EPV_COMPARTMENT_AREA_ELLIPSOIDAL);
    EPV_ASSERT_CLOSE(a, cell * 1e-4, 1e-12);
    EPV_ASSERT_CLOSE(a * 1e4, 110.6e3 * 111.3e3, 1e-3);
    /* A multipolygon of two cells, one ring clockwise: the area does not depend on the winding. */
    one_feature("cells.geojson", "", "",
                "{\"type\":\"MultiPolygon\",\"coordinates\":[[[[105,0],[105,1],[106,1],[106,0],[105,0]]],"
                "[[[107,0],[108,0],[108,1],[107,1],[107,0]]]]}");
    EPV_ASSERT_CLOSE(area_of("cells.geojson", EPV_COMPARTMENT_AREA_ELLIPSOIDAL), 2 * cell * 1e-4, 1e-12);
    /* 100 m × 100 m of UTM 48N on the central meridian at 31.6° N, with a 50 m × 50 m hole:
     * planar 0.75 ha; on the ellipsoid 0.75 / 0.9996² ha (k0 of UTM, Snyder p. 57). */
    one_feature("utm.geojson", UTM48N, "",
                "{\"type\":\"Polygon\",\"coordinates\":[[[499950,3500000],[500050,3500000],[500050,3500100],"
                "[499950,3500100],[499950,3500000]],[[499975,3500025],[499975,3500075],[500025,3500075],"
                "[500025,3500025],[499975,3500025]]]}");
    EPV_ASSERT_CLOSE(area_of("utm.geojson", EPV_COMPARTMENT_AREA_PLANAR), 0.75, 1e-12);
    EPV_ASSERT_CLOSE(area_of("utm.geojson", EPV_COMPARTMENT_AREA_ELLIPSOIDAL), 0.75 / (0.9996 * 0.9996), 1e-7);
    /* Off the central meridian: a 100 m square of UTM 48N around Pingchang (107.1° E, 31.6° N,
     * about 200 km east of 105° E) covers 1 ha / k² of the ellipsoid, with Snyder's (1987)
     * eq. 8-11 scale factor k = k0 [1 + (1 + C) A²/2 + (5 − 4T + 42C + 13C² − 28e'²) A⁴/24 +
     * (61 − 148T + 16T²) A⁶/720], A = Δλ cos φ, T = tan² φ, C = e'² cos² φ (WGS84, Snyder's
     * form of it: e² = 0.00669438, k0 = 0.9996). */
    {
        OGRSpatialReferenceH ll = OSRNewSpatialReference(NULL), utm = OSRNewSpatialReference(NULL);
        OSRImportFromEPSG(ll, 4326);
        OSRImportFromEPSG(utm, 32648);
        OSRSetAxisMappingStrategy(ll, OAMS_TRADITIONAL_GIS_ORDER);
        OSRSetAxisMappingStrategy(utm, OAMS_TRADITIONAL_GIS_ORDER);
        OGRCoordinateTransformationH ct = OCTNewCoordinateTransformation(ll, utm);
        CU_ASSERT_PTR_NOT_NULL_FATAL(ct);
        double x = 107.1, y = 31.6;
        CU_ASSERT_FATAL(OCTTransform(ct, 1, &x, &y, NULL));
        char geom[512];
        snprintf(geom, sizeof geom,
                 "{\"type\":\"Polygon\",\"coordinates\":[[[%.6f,%.6f],[%.6f,%.6f],[%.6f,%.6f],[%.6f,%.6f],[%.6f,%.6f]]]}",
                 x - 50, y - 50, x + 50, y - 50, x + 50, y + 50, x - 50, y + 50, x - 50, y - 50);
        one_feature("off.geojson", UTM48N, "", geom);
        double f = 1 / 298.257223563, e2 = f * (2 - f), ep2 = e2 / (1 - e2), phi = 31.6 * M_PI / 180;
        double A = 2.1 * M_PI / 180 * cos(phi), T = tan(phi) * tan(phi), C = ep2 * cos(phi) * cos(phi);
        double k = 0.9996 * (1 + (1 + C) * A * A / 2 + (5 - 4 * T + 42 * C + 13 * C * C - 28 * ep2) * pow(A, 4) / 24 +
                             (61 - 148 * T + 16 * T * T) * pow(A, 6) / 720);
        CU_ASSERT(k > 1.0000 && k < 1.0002); /* 200 km out, the scale has passed 1 */
        EPV_ASSERT_CLOSE(area_of("off.geojson", EPV_COMPARTMENT_AREA_ELLIPSOIDAL), 1 / (k * k), 1e-9);
        EPV_ASSERT_CLOSE(area_of("off.geojson", EPV_COMPARTMENT_AREA_PLANAR), 1, 1e-9);
        OCTDestroyCoordinateTransformation(ct);
        OSRDestroySpatialReference(ll);
        OSRDestroySpatialReference(utm);
    }
    /* The area attribute compared with the polygon: 0.75 ha is within 0.1 % of 0.7506 ha. */
    one_feature("utm_attr.geojson", UTM48N, ",\"area_mu\":11.25",
                "{\"type\":\"Polygon\",\"coordinates\":[[[499950,3500000],[500050,3500000],[500050,3500100],"
                "[499950,3500100],[499950,3500000]],[[499975,3500025],[499975,3500075],[500025,3500075],"
                "[500025,3500025],[499975,3500025]]]}");
    epv_compartment_fields fl = EPV_COMPARTMENT_FIELDS_INIT;
    fl.area_check = 0.001;
    epv_compartment_set *s = NULL;
    EPV_ASSERT_OK(ctx, epv_compartment_read_vector(ctx, tp("utm_attr.geojson"), NULL, &fl, params, &s));
    epv_compartment r = EPV_COMPARTMENT_INIT;
    EPV_ASSERT_OK(ctx, epv_compartment_at(ctx, s, 0, &r));
    EPV_ASSERT_CLOSE(r.area_ha, 0.75, 1e-15); /* 11.25 mu / 15: the attribute is the record's area */
    epv_compartment_set_free(s);
    s = (epv_compartment_set *)&s;
    fl.area_check = 0.0005;
    EPV_ASSERT_STATUS(ctx, epv_compartment_read_vector(ctx, tp("utm_attr.geojson"), NULL, &fl, params, &s), EPV_ERANGE);
    EPV_ASSERT_ERRMSG_HAS(ctx, "utm_attr.geojson: layer 'g': feature 1 (FID 0, id 'G-1'): field 'area_mu': 0.75 ha differs");
    CU_ASSERT_PTR_NULL(s);
    /* A planar area of a geographic layer, a point, no geometry, no area attribute to compare. */
    fl = (epv_compartment_fields)EPV_COMPARTMENT_FIELDS_INIT;
    fl.area_from = EPV_COMPARTMENT_AREA_PLANAR;
    EPV_ASSERT_STATUS(ctx, epv_compartment_read_vector(ctx, tp("cell.geojson"), NULL, &fl, params, &s), EPV_EINVAL);
    EPV_ASSERT_ERRMSG_HAS(ctx, "cell.geojson: layer 'g': a planar area needs a projected CRS");
    one_feature("point.geojson", "", "", "{\"type\":\"Point\",\"coordinates\":[105,30]}");
    fl.area_from = EPV_COMPARTMENT_AREA_ELLIPSOIDAL;
    EPV_ASSERT_STATUS(ctx, epv_compartment_read_vector(ctx, tp("point.geojson"), NULL, &fl, params, &s), EPV_EINVAL);
    EPV_ASSERT_ERRMSG_HAS(ctx, "point.geojson: layer 'g': feature 1 (FID 0, id 'G-1'): geometry: a POINT, not a polygon");
    one_feature("nogeom.geojson", "", "", "null");
    EPV_ASSERT_STATUS(ctx, epv_compartment_read_vector(ctx, tp("nogeom.geojson"), NULL, &fl, params, &s), EPV_EINVAL);
    EPV_ASSERT_ERRMSG_HAS(ctx, "nogeom.geojson: layer 'g': feature 1 (FID 0, id 'G-1'): geometry: none");
    fl.area_check = 0.01;
    EPV_ASSERT_STATUS(ctx, epv_compartment_read_vector(ctx, tp("cell.geojson"), NULL, &fl, params, &s), EPV_ENOTFOUND);
    EPV_ASSERT_ERRMSG_HAS(ctx, "cell.geojson: layer 'g': no area field 'area_ha' or 'area_mu'");
    CU_ASSERT_PTR_NULL(s);
}

/* A two-feature layer "bad" whose second feature carries `second` (properties JSON). */
static void bad_layer(const char *name, const char *first, const char *second)
{
    char buf[4096];
    snprintf(buf, sizeof buf,
             "{\"type\":\"FeatureCollection\",\"name\":\"bad\",\"features\":[\n"
             "{\"type\":\"Feature\",\"properties\":{%s},\"geometry\":null},\n"
             "{\"type\":\"Feature\",\"properties\":{%s},\"geometry\":null}]}\n",
             first, second);
    write_text(name, buf);
}

#define GOOD "\"id\":\"X-1\",\"species\":\"柏木\",\"origin\":\"人工\",\"age\":18,\"area_ha\":10,\"volume_m3_ha\":50,\"site_class\":2"

static void test_bad_vector(void)
{
    static const struct {
        const char *file, *second;
        int status;
        const char *needle;
    } cases[] = {
        { "unknown_species.geojson",
          "\"id\":\"X-2\",\"species\":\"银杏\",\"origin\":\"人工\",\"age\":18,\"area_ha\":10,\"volume_m3_ha\":50,\"site_class\":2",
          EPV_ENOTFOUND, "unknown_species.geojson: layer 'bad': feature 2 (FID 1, id 'X-2'): field 'species': unknown species '银杏'; "
                         "the parameter table knows: cunninghamia_lanceolata (杉木), " },
        { "negative_area.geojson",
          "\"id\":\"X-2\",\"species\":\"柏木\",\"origin\":\"人工\",\"age\":18,\"area_ha\":-5,\"volume_m3_ha\":50,\"site_class\":2",
          EPV_ERANGE, "negative_area.geojson: layer 'bad': feature 2 (FID 1, id 'X-2'): field 'area_ha': -5 ha: an area must be greater than zero" },
        { "nan_area.geojson",
          "\"id\":\"X-2\",\"species\":\"柏木\",\"origin\":\"人工\",\"age\":18,\"area_ha\":NaN,\"volume_m3_ha\":50,\"site_class\":2",
          EPV_ERANGE, "nan_area.geojson: layer 'bad': feature 2 (FID 1, id 'X-2'): field 'area_ha': nan ha: an area must be greater" },
        { "text_area.geojson",
          "\"id\":\"X-2\",\"species\":\"柏木\",\"origin\":\"人工\",\"age\":18,\"area_ha\":\"10,5\",\"volume_m3_ha\":50,\"site_class\":2",
          EPV_EPARSE, "text_area.geojson: layer 'bad': feature 2 (FID 1, id 'X-2'): field 'area_ha': '10,5' is not a number" },
        { "null_age.geojson",
          "\"id\":\"X-2\",\"species\":\"柏木\",\"origin\":\"人工\",\"age\":null,\"area_ha\":10,\"volume_m3_ha\":50,\"site_class\":2",
          EPV_EPARSE, "null_age.geojson: layer 'bad': feature 2 (FID 1, id 'X-2'): field 'age': no value (NULL)" },
        { "real_age.geojson",
          "\"id\":\"X-2\",\"species\":\"柏木\",\"origin\":\"人工\",\"age\":18.5,\"area_ha\":10,\"volume_m3_ha\":50,\"site_class\":2",
          EPV_EPARSE, "real_age.geojson: layer 'bad': feature 2 (FID 1, id 'X-2'): field 'age': 18.5 is not a whole number" },
        { "old.geojson",
          "\"id\":\"X-2\",\"species\":\"柏木\",\"origin\":\"人工\",\"age\":501,\"area_ha\":10,\"volume_m3_ha\":50,\"site_class\":2",
          EPV_ERANGE, "old.geojson: layer 'bad': feature 2 (FID 1, id 'X-2'): field 'age': 501 is outside [0, 500] years" },
        { "bad_origin.geojson",
          "\"id\":\"X-2\",\"species\":\"柏木\",\"origin\":\"planted\",\"age\":18,\"area_ha\":10,\"volume_m3_ha\":50,\"site_class\":2",
          EPV_EPARSE, "bad_origin.geojson: layer 'bad': feature 2 (FID 1, id 'X-2'): field 'origin': 'planted' is neither" },
        { "site.geojson",
          "\"id\":\"X-2\",\"species\":\"柏木\",\"origin\":\"人工\",\"age\":18,\"area_ha\":10,\"volume_m3_ha\":50,\"site_class\":6",
          EPV_ERANGE, "site.geojson: layer 'bad': feature 2 (FID 1, id 'X-2'): field 'site_class': 6 is outside [0, 5]" },
        { "too_large.geojson",
          "\"id\":\"X-2\",\"species\":\"柏木\",\"origin\":\"人工\",\"age\":18,\"area_ha\":2e8,\"volume_m3_ha\":50,\"site_class\":2",
          EPV_ERANGE, "too_large.geojson: layer 'bad': feature 2 (FID 1, id 'X-2'): field 'area_ha': 2e+08 ha is above" },
        { "null_id.geojson",
          "\"id\":null,\"species\":\"柏木\",\"origin\":\"人工\",\"age\":18,\"area_ha\":10,\"volume_m3_ha\":50,\"site_class\":2",
          EPV_EPARSE, "null_id.geojson: layer 'bad': feature 2 (FID 1): field 'id': no value (NULL)" },
        { "duplicate_id.geojson",
          "\"id\":\"X-1\",\"species\":\"柏木\",\"origin\":\"人工\",\"age\":19,\"area_ha\":10,\"volume_m3_ha\":50,\"site_class\":2",
          EPV_EEXISTS, "duplicate_id.geojson: layer 'bad': feature 2 (FID 1): field 'id': 'X-1' repeats the id of feature 1" },
        /* GeoJSON's schema is the union of the features': the field exists, without a value here. */
        { "no_volume.geojson",
          "\"id\":\"X-2\",\"species\":\"柏木\",\"origin\":\"人工\",\"age\":18,\"area_ha\":10,\"site_class\":2",
          EPV_EPARSE, "no_volume.geojson: layer 'bad': feature 2 (FID 1, id 'X-2'): field 'volume_m3_ha': no value (NULL)" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        bad_layer(cases[i].file, GOOD, cases[i].second);
        epv_compartment_set *set = (epv_compartment_set *)&set;
        EPV_ASSERT_STATUS(ctx, epv_compartment_read_vector(ctx, tp(cases[i].file), NULL, NULL, params, &set),
                          cases[i].status);
        EPV_ASSERT_ERRMSG_HAS(ctx, cases[i].needle);
        CU_ASSERT_PTR_NULL(set);
    }
    /* A field missing from the layer, a missing layer, a file OGR cannot open, two layers and
     * no name, an empty name, a struct never initialised. */
    bad_layer("missing_field.geojson", "\"id\":\"X-1\",\"species\":\"柏木\",\"origin\":\"人工\",\"age\":18,\"area_ha\":10",
              "\"id\":\"X-2\",\"species\":\"柏木\",\"origin\":\"人工\",\"age\":18,\"area_ha\":10");
    epv_compartment_set *set = (epv_compartment_set *)&set;
    EPV_ASSERT_STATUS(ctx, epv_compartment_read_vector(ctx, tp("missing_field.geojson"), NULL, NULL, params, &set),
                      EPV_ENOTFOUND);
    EPV_ASSERT_ERRMSG_HAS(ctx, "missing_field.geojson: layer 'bad': no field 'volume_m3_ha' (fields.volume_m3_ha; the "
                               "layer has: id, species, origin, age, area_ha)");
    CU_ASSERT_PTR_NULL(set);
    bad_layer("no_area.geojson", "\"id\":\"X-1\",\"species\":\"柏木\",\"origin\":\"人工\",\"age\":18,\"volume_m3_ha\":5",
              "\"id\":\"X-2\",\"species\":\"柏木\",\"origin\":\"人工\",\"age\":18,\"volume_m3_ha\":5");
    EPV_ASSERT_STATUS(ctx, epv_compartment_read_vector(ctx, tp("no_area.geojson"), NULL, NULL, params, &set), EPV_ENOTFOUND);
    EPV_ASSERT_ERRMSG_HAS(ctx, "no_area.geojson: layer 'bad': no area field 'area_ha' or 'area_mu'");
    bad_layer("both_areas.geojson", GOOD ",\"area_mu\":150", GOOD ",\"area_mu\":150");
    EPV_ASSERT_STATUS(ctx, epv_compartment_read_vector(ctx, tp("both_areas.geojson"), NULL, NULL, params, &set), EPV_EPARSE);
    EPV_ASSERT_ERRMSG_HAS(ctx, "both_areas.geojson: layer 'bad': give exactly one of the fields 'area_ha' and 'area_mu'");
    bad_layer("good.geojson", GOOD, "\"id\":\"X-2\",\"species\":\"马尾松\",\"origin\":\"天然\",\"age\":30,\"area_ha\":7,"
                                    "\"volume_m3_ha\":80,\"site_class\":\"\"");
    EPV_ASSERT_STATUS(ctx, epv_compartment_read_vector(ctx, tp("good.geojson"), "xiaoban", NULL, params, &set), EPV_ENOTFOUND);
    EPV_ASSERT_ERRMSG_HAS(ctx, "good.geojson: no layer 'xiaoban' (layers: 'bad')");
    CU_ASSERT_PTR_NULL(set);
    EPV_ASSERT_STATUS(ctx, epv_compartment_read_vector(ctx, tp("nope.gpkg"), NULL, NULL, params, &set), EPV_EIO);
    EPV_ASSERT_ERRMSG_HAS(ctx, "nope.gpkg: cannot open as a vector data set");
    char *two[] = { "-f", "GPKG", "-nln", "second", NULL };
    translate("good.geojson", "two.gpkg", two);
    char *append[] = { "-f", "GPKG", "-update", "-nln", "first", NULL };
    translate("good.geojson", "two.gpkg", append);
    EPV_ASSERT_STATUS(ctx, epv_compartment_read_vector(ctx, tp("two.gpkg"), NULL, NULL, params, &set), EPV_EINVAL);
    EPV_ASSERT_ERRMSG_HAS(ctx, "two.gpkg: 2 layers: ");
    EPV_ASSERT_ERRMSG_HAS(ctx, "name the one holding the sub-compartments");
    EPV_ASSERT_OK(ctx, epv_compartment_read_vector(ctx, tp("two.gpkg"), "first", NULL, params, &set));
    CU_ASSERT_EQUAL(epv_compartment_count(set), 2);
    epv_compartment r = EPV_COMPARTMENT_INIT;
    EPV_ASSERT_OK(ctx, epv_compartment_at(ctx, set, 1, &r));
    CU_ASSERT_STRING_EQUAL(r.species, "pinus_massoniana");
    CU_ASSERT_EQUAL(r.origin, EPV_PROJECT_NATURAL);
    CU_ASSERT_EQUAL(r.site_class, 0); /* empty text: unknown, as an empty CSV field */
    epv_compartment_set_free(set);
    epv_compartment_fields fl = EPV_COMPARTMENT_FIELDS_INIT;
    fl.species = "";
    EPV_ASSERT_STATUS(ctx, epv_compartment_read_vector(ctx, tp("good.geojson"), NULL, &fl, params, &set), EPV_EINVAL);
    EPV_ASSERT_ERRMSG_HAS(ctx, "fields.species");
    fl.species = NULL;
    fl.site_class = "dengji";
    EPV_ASSERT_STATUS(ctx, epv_compartment_read_vector(ctx, tp("good.geojson"), NULL, &fl, params, &set), EPV_ENOTFOUND);
    EPV_ASSERT_ERRMSG_HAS(ctx, "no field 'dengji' (fields.site_class");
    fl.site_class = ""; /* not read */
    EPV_ASSERT_OK(ctx, epv_compartment_read_vector(ctx, tp("good.geojson"), NULL, &fl, params, &set));
    EPV_ASSERT_OK(ctx, epv_compartment_at(ctx, set, 0, &r));
    CU_ASSERT_EQUAL(r.site_class, 0);
    epv_compartment_set_free(set);
    fl.version = 0;
    EPV_ASSERT_STATUS(ctx, epv_compartment_read_vector(ctx, tp("good.geojson"), NULL, &fl, params, &set), EPV_EVERSION);
    EPV_ASSERT_OK(ctx, epv_compartment_fields_init(ctx, &fl, EPV_COMPARTMENT_FIELDS_VERSION));
    CU_ASSERT_EQUAL(fl.area_from, EPV_COMPARTMENT_AREA_ATTRIBUTE);
    EPV_ASSERT_STATUS(ctx, epv_compartment_fields_init(ctx, &fl, 99), EPV_EVERSION);
    fl.area_check = -1;
    EPV_ASSERT_STATUS(ctx, epv_compartment_read_vector(ctx, tp("good.geojson"), NULL, &fl, params, &set), EPV_ERANGE);
    EPV_ASSERT_ERRMSG_HAS(ctx, "fields.area_check");
}

static int cancel_cb(double fraction, const char *message, void *payload)
{
    (void)fraction;
    (void)message;
    return ++*(int *)payload >= 1;
}

static void test_cancel(void)
{
    int calls = 0;
    epv_compartment_set *set = (epv_compartment_set *)&set;
    EPV_ASSERT_OK(ctx, epv_ctx_set_progress(ctx, cancel_cb, &calls));
    EPV_ASSERT_STATUS(ctx, epv_compartment_read_vector(ctx, tp("pc.gpkg"), NULL, NULL, params, &set), EPV_ECANCELLED);
    EPV_ASSERT_OK(ctx, epv_ctx_set_progress(ctx, NULL, NULL));
    CU_ASSERT_PTR_NULL(set);
}

static void cleanup(void)
{
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0) fprintf(stderr, "cannot remove %s\n", dir);
}

int main(void)
{
    GDALAllRegister();
    snprintf(dir, sizeof dir, "%s/epv_compvec_XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    if (!mkdtemp(dir)) return 2;
    if (epv_ctx_new(&ctx)) return 2;
    if (epv_params_load_default(ctx, &params)) return 2;
    CU_TestInfo tests[] = {
        { "GeoJSON, GeoPackage, Shapefile = CSV: records and strata", test_same_as_csv },
        { "polygon areas against published numbers", test_polygon_areas },
        { "bad layers, features and fields", test_bad_vector },
        { "cancel", test_cancel },
        CU_TEST_INFO_NULL,
    };
    int rc = epv_test_main("compartment_vector", tests);
    epv_params_free(params);
    epv_ctx_free(ctx);
    cleanup();
    return rc;
}
