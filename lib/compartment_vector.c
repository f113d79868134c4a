/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Sub-compartment records (include/epv/compartment.h) from a GDAL/OGR vector layer: one
 * feature, one record. The attributes are parsed here and checked by the CSV reader's own
 * record check (epv__comp_check in lib/compartment.c); areas may come from the polygons,
 * ellipsoidal by the authalic q of the spatial module (epv__sp_q, lib/spatial_ls.c). */
#include "config.h"
#include "compartment_int.h"
#include "spatial_int.h"
#include "epv/unit.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <cpl_conv.h>
#include <cpl_error.h>
#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

/* GDALAllRegister once per process (lib/spatial.c). */
void epv__sp_gdal_init(void);

EPV__DEFINE_INIT(epv_compartment_fields, EPV_COMPARTMENT_FIELDS_VERSION, EPV_COMPARTMENT_FIELDS_INIT)

#define CV_PI 3.14159265358979323846
/* Edges are densified to this before an ellipsoidal area, so that a straight edge of the
 * layer's map and the straight edge of the equal-area projection differ by far less than a
 * compartment's area can be known (a 1 km edge bends by about L²/8R ≈ 2 cm). */
#define CV_SEG_M 100.0
#define CV_SEG_DEG 0.001
#define CV_TEXT_MAX 256

typedef struct cv_read {
    epv_ctx *ctx;
    const char *path, *layer;
    size_t feat;   /* feature number in reading order, 1-based */
    long long fid; /* OGRNullFID when the driver has none */
    const char *rid; /* record id once read, else NULL */
    /* geometry areas */
    int mode;     /* epv_compartment_area_from of the polygon area wanted, 0: none */
    OGRCoordinateTransformationH ct; /* projected layer -> its geographic CRS (ellipsoidal) */
    double a, e;  /* ellipsoid: semi-major axis m, eccentricity */
    double lin;   /* metres per unit of a projected layer */
    double seg;   /* densification step in layer units */
} cv_read;

/* "path: layer 'L': feature N (FID f, id 'x'): <what>: <message>" */
static int feat_error(cv_read *v, int code, const char *what, const char *fmt, ...) EPV__PRINTF(4, 5);
static int feat_error(cv_read *v, int code, const char *what, const char *fmt, ...)
{
    char msg[EPV__COMP_MSG_MAX], where[160];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    int w = v->fid != OGRNullFID ? snprintf(where, sizeof where, "FID %lld", v->fid) : snprintf(where, sizeof where, "no FID");
    if (v->rid && w > 0 && (size_t)w < sizeof where) snprintf(where + w, sizeof where - (size_t)w, ", id '%.63s'", v->rid);
    return epv__error(v->ctx, code, "%s: layer '%s': feature %zu (%s): %s: %s", v->path, v->layer, v->feat, where, what,
                      msg);
}

/* "field 'name'" for messages. */
static const char *fname(char *buf, size_t len, const char *name)
{
    snprintf(buf, len, "field '%s'", name);
    return buf;
}

/* Text of field i copied to buf (OGR's string of a number is a scratch buffer the next call
 * reuses); NULL when the field is unset or NULL. Longer values are cut, which the record
 * check still refuses (ids and species names are at most 63 bytes). */
static const char *ftext(OGRFeatureH f, int i, char *buf, size_t len)
{
    if (!OGR_F_IsFieldSetAndNotNull(f, i)) return NULL;
    snprintf(buf, len, "%s", OGR_F_GetFieldAsString(f, i));
    return buf;
}

static int field_type_ok(OGRFeatureH f, int i)
{
    OGRFieldType t = OGR_Fld_GetType(OGR_F_GetFieldDefnRef(f, i));
    return t == OFTInteger || t == OFTInteger64 || t == OFTReal || t == OFTString;
}

/* A number: integer and real fields as stored, text parsed strictly (no locale, no spaces). */
static int fdouble(cv_read *v, OGRFeatureH f, int i, const char *name, double *out)
{
    char w[96], buf[CV_TEXT_MAX];
    if (!OGR_F_IsFieldSetAndNotNull(f, i)) return feat_error(v, EPV_EPARSE, fname(w, sizeof w, name), "no value (NULL)");
    if (!field_type_ok(f, i))
        return feat_error(v, EPV_EPARSE, fname(w, sizeof w, name), "a %s field cannot hold a number",
                          OGR_GetFieldTypeName(OGR_Fld_GetType(OGR_F_GetFieldDefnRef(f, i))));
    if (OGR_Fld_GetType(OGR_F_GetFieldDefnRef(f, i)) != OFTString) {
        *out = OGR_F_GetFieldAsDouble(f, i); /* NaN stays NaN for the record check */
        return EPV_OK;
    }
    const char *t = ftext(f, i, buf, sizeof buf);
    if (!*t) return feat_error(v, EPV_EPARSE, fname(w, sizeof w, name), "empty, a number was expected");
    if (epv__parse_double(t, out)) return feat_error(v, EPV_EPARSE, fname(w, sizeof w, name), "'%.40s' is not a number", t);
    return EPV_OK;
}

/* A whole number: integer fields, reals with a whole value, text parsed strictly. */
static int fint(cv_read *v, OGRFeatureH f, int i, const char *name, int64_t *out)
{
    char w[96], buf[CV_TEXT_MAX];
    if (!OGR_F_IsFieldSetAndNotNull(f, i)) return feat_error(v, EPV_EPARSE, fname(w, sizeof w, name), "no value (NULL)");
    if (!field_type_ok(f, i))
        return feat_error(v, EPV_EPARSE, fname(w, sizeof w, name), "a %s field cannot hold a whole number",
                          OGR_GetFieldTypeName(OGR_Fld_GetType(OGR_F_GetFieldDefnRef(f, i))));
    OGRFieldType t = OGR_Fld_GetType(OGR_F_GetFieldDefnRef(f, i));
    if (t == OFTInteger || t == OFTInteger64) {
        *out = OGR_F_GetFieldAsInteger64(f, i);
        return EPV_OK;
    }
    if (t == OFTReal) {
        /* Shapefiles often store integers as reals (N 19.11): a whole value is one. */
        double d = OGR_F_GetFieldAsDouble(f, i);
        if (!(d == floor(d)) || fabs(d) > 9.0e15)
            return feat_error(v, EPV_EPARSE, fname(w, sizeof w, name), "%g is not a whole number", d);
        *out = (int64_t)d;
        return EPV_OK;
    }
    const char *s = ftext(f, i, buf, sizeof buf);
    if (!*s) return feat_error(v, EPV_EPARSE, fname(w, sizeof w, name), "empty, an integer was expected");
    if (epv__parse_i64(s, out)) return feat_error(v, EPV_EPARSE, fname(w, sizeof w, name), "'%.40s' is not an integer", s);
    return EPV_OK;
}

/* ---- polygon areas --------------------------------------------------------------------- */

/* Signed area of a ring of (longitude, latitude) degrees on the ellipsoid (a, e), m²: the
 * shoelace rule in the cylindrical equal-area projection x = a·λ, y = a·q(φ)/2 (Snyder 1987
 * eqs. 10-15, 3-12), whose straight edges between vertices along a parallel or a meridian are
 * exactly those lines, so a lat/lon cell gets epv_spatial_cell_area_geographic()'s area. */
static int ring_area(cv_read *v, OGRGeometryH ring, double *out)
{
    int n = OGR_G_GetPointCount(ring);
    double s = 0, x0 = 0, q0 = 0, xp = 0, qp = 0;
    for (int k = 0; k < n; k++) {
        double x = OGR_G_GetX(ring, k), y = OGR_G_GetY(ring, k);
        if (!isfinite(x) || !isfinite(y) || fabs(y) > 90)
            return feat_error(v, EPV_EINVAL, "geometry", "vertex %d at (%g, %g) is not a longitude and latitude", k, x, y);
        double q = epv__sp_q(sin(y * CV_PI / 180), v->e);
        if (k == 0) {
            x0 = x;
            q0 = q;
        } else {
            double dl = remainder(x - xp, 360.0); /* across the antimeridian the short way */
            s += dl * (q + qp) / 2;
        }
        xp = x;
        qp = q;
    }
    if (n > 1) s += remainder(x0 - xp, 360.0) * (q0 + qp) / 2; /* closes an unclosed ring; 0 for a closed one */
    *out = v->a * v->a / 2 * (s * CV_PI / 180);
    return EPV_OK;
}

static int polygon_area(cv_read *v, OGRGeometryH poly, double *out)
{
    double total = 0;
    for (int r = 0; r < OGR_G_GetGeometryCount(poly); r++) {
        double a = 0;
        int rc = ring_area(v, OGR_G_GetGeometryRef(poly, r), &a);
        if (rc) return rc;
        total += r == 0 ? fabs(a) : -fabs(a); /* outer ring less its holes */
    }
    *out = total;
    return EPV_OK;
}

/* Area of the feature's polygon(s), m², planar or ellipsoidal (v->mode). */
static int geom_area(cv_read *v, OGRFeatureH f, double *m2)
{
    OGRGeometryH g0 = OGR_F_GetGeometryRef(f);
    if (!g0 || OGR_G_IsEmpty(g0))
        return feat_error(v, EPV_EINVAL, "geometry", "none; the area is to come from (or be checked against) the polygon");
    OGRGeometryH g = OGR_G_HasCurveGeometry(g0, TRUE) ? OGR_G_GetLinearGeometry(g0, 0, NULL) : OGR_G_Clone(g0);
    if (!g) return EPV_ENOMEM;
    int rc = EPV_OK;
    OGRwkbGeometryType t = wkbFlatten(OGR_G_GetGeometryType(g));
    if (t != wkbPolygon && t != wkbMultiPolygon) {
        rc = feat_error(v, EPV_EINVAL, "geometry", "a %s, not a polygon or multipolygon", OGR_G_GetGeometryName(g));
    } else if (v->mode == EPV_COMPARTMENT_AREA_PLANAR) {
        *m2 = OGR_G_Area(g) * v->lin * v->lin;
    } else {
        OGR_G_Segmentize(g, v->seg);
        if (v->ct && OGR_G_Transform(g, v->ct) != OGRERR_NONE) {
            const char *m = CPLGetLastErrorMsg();
            rc = feat_error(v, EPV_EINVAL, "geometry", "cannot be transformed to the layer's geographic CRS%s%s",
                            m && *m ? ": " : "", m ? m : "");
        } else if (t == wkbPolygon) {
            rc = polygon_area(v, g, m2);
        } else {
            double sum = 0, a = 0;
            for (int k = 0; k < OGR_G_GetGeometryCount(g) && !rc; k++)
                if (!(rc = polygon_area(v, OGR_G_GetGeometryRef(g, k), &a))) sum += a;
            *m2 = sum;
        }
    }
    OGR_G_DestroyGeometry(g);
    return rc;
}

/* Set up v for polygon areas of the layer's CRS. */
static int area_setup(cv_read *v, OGRLayerH lyr)
{
    OGRSpatialReferenceH srs = OGR_L_GetSpatialRef(lyr);
    const char *kind = v->mode == EPV_COMPARTMENT_AREA_PLANAR ? "planar" : "ellipsoidal";
    if (!srs)
        return epv__error(v->ctx, EPV_EINVAL, "%s: layer '%s': no CRS, so no %s polygon area can be computed", v->path,
                          v->layer, kind);
    if (v->mode == EPV_COMPARTMENT_AREA_PLANAR) {
        if (!OSRIsProjected(srs))
            return epv__error(v->ctx, EPV_EINVAL,
                              "%s: layer '%s': a planar area needs a projected CRS, the layer's is geographic (ask for "
                              "the ellipsoidal area)",
                              v->path, v->layer);
        v->lin = OSRGetLinearUnits(srs, NULL);
        return v->lin > 0 ? EPV_OK : epv__error(v->ctx, EPV_EINVAL, "%s: layer '%s': the CRS has no linear unit", v->path, v->layer);
    }
    OGRErr e1 = OGRERR_NONE, e2 = OGRERR_NONE;
    double a = OSRGetSemiMajor(srs, &e1), invf = OSRGetInvFlattening(srs, &e2);
    if (e1 != OGRERR_NONE || e2 != OGRERR_NONE || !(a > 0) || !(invf == 0 || invf > 1))
        return epv__error(v->ctx, EPV_EINVAL, "%s: layer '%s': the CRS has no usable ellipsoid (a %g, 1/f %g)", v->path,
                          v->layer, a, invf);
    double fl = invf > 0 ? 1 / invf : 0;
    v->a = a;
    v->e = sqrt(fl * (2 - fl));
    if (OSRIsGeographic(srs)) {
        double ang = OSRGetAngularUnits(srs, NULL); /* radians per unit */
        if (fabs(ang - CV_PI / 180) > 1e-12)
            return epv__error(v->ctx, EPV_EINVAL, "%s: layer '%s': geographic coordinates in units other than degrees",
                              v->path, v->layer);
        v->seg = CV_SEG_DEG;
        return EPV_OK;
    }
    if (!OSRIsProjected(srs))
        return epv__error(v->ctx, EPV_EINVAL, "%s: layer '%s': the CRS is neither geographic nor projected", v->path,
                          v->layer);
    double lin = OSRGetLinearUnits(srs, NULL);
    v->seg = CV_SEG_M / (lin > 0 ? lin : 1);
    OGRSpatialReferenceH src = OSRClone(srs), dst = OSRCloneGeogCS(srs);
    int rc = EPV_OK;
    if (!src || !dst) {
        rc = EPV_ENOMEM;
    } else {
        /* x = longitude, y = latitude whatever the CRS's declared axis order. */
        OSRSetAxisMappingStrategy(src, OAMS_TRADITIONAL_GIS_ORDER);
        OSRSetAxisMappingStrategy(dst, OAMS_TRADITIONAL_GIS_ORDER);
        if (!(v->ct = OCTNewCoordinateTransformation(src, dst))) {
            const char *m = CPLGetLastErrorMsg();
            rc = epv__error(v->ctx, EPV_EINVAL, "%s: layer '%s': cannot transform to the CRS's geographic coordinates%s%s",
                            v->path, v->layer, m && *m ? ": " : "", m ? m : "");
        }
    }
    if (src) OSRDestroySpatialReference(src);
    if (dst) OSRDestroySpatialReference(dst);
    return rc;
}

/* ---- layer and fields ------------------------------------------------------------------ */

static void list_fields(OGRFeatureDefnH defn, char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = '\0';
    for (int k = 0; k < OGR_FD_GetFieldCount(defn) && used + 1 < len; k++) {
        int w = snprintf(buf + used, len - used, "%s%s", k ? ", " : "", OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, k)));
        if (w < 0 || (size_t)w >= len - used) break;
        used += (size_t)w;
    }
}

static void list_layers(GDALDatasetH ds, char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = '\0';
    for (int k = 0; k < GDALDatasetGetLayerCount(ds) && used + 1 < len; k++) {
        int w = snprintf(buf + used, len - used, "%s'%s'", k ? ", " : "", OGR_L_GetName(GDALDatasetGetLayer(ds, k)));
        if (w < 0 || (size_t)w >= len - used) break;
        used += (size_t)w;
    }
}

/* Index of the field `name`; required and absent: EPV_ENOTFOUND listing the fields. */
static int find_field(cv_read *v, OGRFeatureDefnH defn, const char *name, const char *member, int required, int *idx)
{
    *idx = OGR_FD_GetFieldIndex(defn, name);
    if (*idx >= 0 || !required) return EPV_OK;
    char have[1024];
    list_fields(defn, have, sizeof have);
    return epv__error(v->ctx, EPV_ENOTFOUND, "%s: layer '%s': no field '%s' (fields.%s; the layer has: %s)", v->path,
                      v->layer, name, member, have[0] ? have : "none");
}

/* A field name from the caller's struct: NULL the default, "" refused for a required one. */
static int name_of(cv_read *v, const char *given, const char *dflt, const char *member, const char **out)
{
    if (given && !*given) return epv__error(v->ctx, EPV_EINVAL, "fields.%s: an empty name; NULL means '%s'", member, dflt);
    *out = given ? given : dflt;
    return EPV_OK;
}

struct where {
    size_t feat;
    long long fid;
};

EPV_API int epv_compartment_read_vector(epv_ctx *ctx, const char *path, const char *layer,
                                        const epv_compartment_fields *fields, const epv_params *params,
                                        epv_compartment_set **out)
{
    EPV__NEED(ctx, path, "path");
    EPV__NEED(ctx, params, "params");
    EPV__NEED(ctx, out, "out");
    *out = NULL;
    epv_compartment_fields dflt = EPV_COMPARTMENT_FIELDS_INIT;
    if (!fields) fields = &dflt;
    int rc = epv__check_version(ctx, "epv_compartment_fields", fields, EPV_COMPARTMENT_FIELDS_VERSION);
    if (rc) return rc;
    if (fields->area_from != EPV_COMPARTMENT_AREA_ATTRIBUTE && fields->area_from != EPV_COMPARTMENT_AREA_ELLIPSOIDAL &&
        fields->area_from != EPV_COMPARTMENT_AREA_PLANAR)
        return epv__error(ctx, EPV_EINVAL, "fields.area_from: %d is not an epv_compartment_area_from", (int)fields->area_from);
    if (!(fields->area_check >= 0) || !isfinite(fields->area_check))
        return epv__error(ctx, EPV_ERANGE, "fields.area_check: %g must be 0 (no comparison) or a relative tolerance > 0",
                          fields->area_check);

    cv_read v = { ctx, path, layer ? layer : "", 0, OGRNullFID, NULL, 0, NULL, 0, 0, 1, 0 };
    const char *nm[EPV__COMP_NFIELDS] = { NULL };
    static const char *const member[EPV__COMP_NFIELDS] = { "id", "species", "origin", "age", "area_ha", "volume_m3_ha",
                                                           "site_class" };
    if ((rc = name_of(&v, fields->id, epv__comp_field_name[EPV__COMP_ID], "id", &nm[EPV__COMP_ID])) ||
        (rc = name_of(&v, fields->species, epv__comp_field_name[EPV__COMP_SPECIES], "species", &nm[EPV__COMP_SPECIES])) ||
        (rc = name_of(&v, fields->origin, epv__comp_field_name[EPV__COMP_ORIGIN], "origin", &nm[EPV__COMP_ORIGIN])) ||
        (rc = name_of(&v, fields->age, epv__comp_field_name[EPV__COMP_AGE], "age", &nm[EPV__COMP_AGE])) ||
        (rc = name_of(&v, fields->volume_m3_ha, epv__comp_field_name[EPV__COMP_VOLUME], "volume_m3_ha",
                      &nm[EPV__COMP_VOLUME])))
        return rc;

    epv__sp_gdal_init();
    /* Errors go into the context's message, not to stderr (the handler stack is per thread). */
    CPLPushErrorHandler(CPLQuietErrorHandler);
    CPLErrorReset();
    GDALDatasetH ds = GDALOpenEx(path, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, NULL, NULL);
    OGRLayerH lyr = NULL;
    epv_compartment_set *s = NULL;
    struct where *at = NULL;
    size_t cap_at = 0;
    char msg[EPV__COMP_MSG_MAX], lbuf[1024];
    if (!ds) {
        const char *m = CPLGetLastErrorMsg();
        rc = epv__error(ctx, EPV_EIO, "%s: cannot open as a vector data set%s%s", path, m && *m ? ": " : "", m ? m : "");
        goto done;
    }
    if (layer) {
        lyr = GDALDatasetGetLayerByName(ds, layer);
    } else if (GDALDatasetGetLayerCount(ds) == 1) {
        lyr = GDALDatasetGetLayer(ds, 0);
    } else {
        list_layers(ds, lbuf, sizeof lbuf);
        rc = epv__error(ctx, GDALDatasetGetLayerCount(ds) ? EPV_EINVAL : EPV_ENOTFOUND,
                        "%s: %d layers%s%s; name the one holding the sub-compartments", path,
                        GDALDatasetGetLayerCount(ds), lbuf[0] ? ": " : "", lbuf);
        goto done;
    }
    if (!lyr) {
        list_layers(ds, lbuf, sizeof lbuf);
        rc = epv__error(ctx, EPV_ENOTFOUND, "%s: no layer '%s' (layers: %s)", path, layer, lbuf[0] ? lbuf : "none");
        goto done;
    }
    v.layer = OGR_L_GetName(lyr);
    OGRFeatureDefnH defn = OGR_L_GetLayerDefn(lyr);
    int fi[EPV__COMP_NFIELDS];
    for (int k = 0; k < EPV__COMP_NFIELDS; k++) fi[k] = -1;
    for (int k = EPV__COMP_ID; k <= EPV__COMP_VOLUME; k++)
        if (k != EPV__COMP_AREA && (rc = find_field(&v, defn, nm[k], member[k], 1, &fi[k]))) goto done;
    if (!fields->site_class)
        fi[EPV__COMP_SITE] = OGR_FD_GetFieldIndex(defn, epv__comp_field_name[EPV__COMP_SITE]);
    else if (*fields->site_class && (rc = find_field(&v, defn, fields->site_class, "site_class", 1, &fi[EPV__COMP_SITE])))
        goto done;
    nm[EPV__COMP_SITE] = fields->site_class ? fields->site_class : epv__comp_field_name[EPV__COMP_SITE];

    /* Areas: the attribute when it is the source or is compared; the polygon when it is. */
    int use_geom = fields->area_from != EPV_COMPARTMENT_AREA_ATTRIBUTE || fields->area_check > 0;
    int use_attr = fields->area_from == EPV_COMPARTMENT_AREA_ATTRIBUTE || fields->area_check > 0;
    int i_ha = -1, i_mu = -1;
    const char *n_ha = fields->area_ha, *n_mu = fields->area_mu;
    if (use_attr) {
        if (!n_ha && !n_mu) {
            n_ha = epv__comp_field_name[EPV__COMP_AREA];
            n_mu = EPV__COMP_AREA_MU_NAME;
            i_ha = OGR_FD_GetFieldIndex(defn, n_ha);
            i_mu = OGR_FD_GetFieldIndex(defn, n_mu);
        } else if ((n_ha && *n_ha && (rc = find_field(&v, defn, n_ha, "area_ha", 1, &i_ha))) ||
                   (n_mu && *n_mu && (rc = find_field(&v, defn, n_mu, "area_mu", 1, &i_mu)))) {
            goto done;
        }
        if (i_ha >= 0 && i_mu >= 0) {
            rc = epv__error(ctx, EPV_EPARSE, "%s: layer '%s': give exactly one of the fields '%s' and '%s'", path, v.layer,
                            n_ha, n_mu);
            goto done;
        }
        if (i_ha < 0 && i_mu < 0) {
            list_fields(defn, lbuf, sizeof lbuf);
            rc = epv__error(ctx, EPV_ENOTFOUND, "%s: layer '%s': no area field '%s' or '%s'%s (the layer has: %s)", path,
                            v.layer, n_ha && *n_ha ? n_ha : "area_ha", n_mu && *n_mu ? n_mu : "area_mu",
                            fields->area_check > 0 ? "; fields.area_check compares it with the polygon" : "",
                            lbuf[0] ? lbuf : "none");
            goto done;
        }
        fi[EPV__COMP_AREA] = i_ha >= 0 ? i_ha : i_mu;
        nm[EPV__COMP_AREA] = i_ha >= 0 ? n_ha : n_mu;
    }
    if (use_geom) {
        v.mode = fields->area_from == EPV_COMPARTMENT_AREA_PLANAR ? EPV_COMPARTMENT_AREA_PLANAR
                                                                   : EPV_COMPARTMENT_AREA_ELLIPSOIDAL;
        if ((rc = area_setup(&v, lyr))) goto done;
    }
    const char *geom_what = v.mode == EPV_COMPARTMENT_AREA_PLANAR ? "geometry (planar area)" : "geometry (ellipsoidal area)";

    if ((rc = epv__comp_set_new(ctx, &s))) goto done;
    GIntBig nfeat = OGR_L_GetFeatureCount(lyr, FALSE); /* -1 when counting would need a scan */
    OGR_L_ResetReading(lyr);
    CPLErrorReset(); /* what the drivers said while probing the file is not a read error */
    OGRFeatureH f;
    while ((f = OGR_L_GetNextFeature(lyr)) != NULL) {
        if (v.feat % EPV__COMP_PROGRESS_EVERY == 0 &&
            (rc = epv__progress(ctx, nfeat > 0 ? (double)v.feat / (double)nfeat : 0, "compartment: reading"))) {
            OGR_F_Destroy(f);
            goto done;
        }
        v.feat++;
        v.fid = (long long)OGR_F_GetFID(f);
        v.rid = NULL;
        char t_id[CV_TEXT_MAX], t_sp[CV_TEXT_MAX], t_or[CV_TEXT_MAX], w[96];
        epv__comp_in in = { NULL, NULL, NULL, 0, 0, 0, 0, 0 };
        double attr = NAN, poly_m2 = NAN;
        in.id = ftext(f, fi[EPV__COMP_ID], t_id, sizeof t_id);
        in.species = ftext(f, fi[EPV__COMP_SPECIES], t_sp, sizeof t_sp);
        in.origin_text = ftext(f, fi[EPV__COMP_ORIGIN], t_or, sizeof t_or);
        /* A NULL text is "no value"; an empty one is left to the record check's rules. */
        v.rid = in.id; /* messages name the record from here on */
        if (!in.id) rc = feat_error(&v, EPV_EPARSE, fname(w, sizeof w, nm[EPV__COMP_ID]), "no value (NULL)");
        else if (!in.species)
            rc = feat_error(&v, EPV_EPARSE, fname(w, sizeof w, nm[EPV__COMP_SPECIES]), "no value (NULL)");
        else if (!in.origin_text)
            rc = feat_error(&v, EPV_EPARSE, fname(w, sizeof w, nm[EPV__COMP_ORIGIN]), "no value (NULL)");
        if (rc || (rc = fint(&v, f, fi[EPV__COMP_AGE], nm[EPV__COMP_AGE], &in.age)) ||
            (use_attr && (rc = fdouble(&v, f, fi[EPV__COMP_AREA], nm[EPV__COMP_AREA], &attr))) ||
            (rc = fdouble(&v, f, fi[EPV__COMP_VOLUME], nm[EPV__COMP_VOLUME], &in.volume_m3_ha))) {
            OGR_F_Destroy(f);
            goto done;
        }
        if (fi[EPV__COMP_SITE] >= 0 && OGR_F_IsFieldSetAndNotNull(f, fi[EPV__COMP_SITE])) {
            char buf[CV_TEXT_MAX];
            int empty_text = OGR_Fld_GetType(OGR_F_GetFieldDefnRef(f, fi[EPV__COMP_SITE])) == OFTString &&
                             !*ftext(f, fi[EPV__COMP_SITE], buf, sizeof buf);
            if (!empty_text && (rc = fint(&v, f, fi[EPV__COMP_SITE], nm[EPV__COMP_SITE], &in.site_class))) {
                OGR_F_Destroy(f);
                goto done;
            }
        }
        if (use_attr && i_mu >= 0) attr = epv_unit_mu_to_ha(attr);
        if (use_geom && (rc = geom_area(&v, f, &poly_m2))) {
            OGR_F_Destroy(f);
            goto done;
        }
        in.area_ha = fields->area_from == EPV_COMPARTMENT_AREA_ATTRIBUTE ? attr : poly_m2 * 1e-4;
        epv_compartment r;
        epv__comp_field bad;
        if ((rc = epv__comp_check(params, &in, &r, &bad, msg, sizeof msg))) {
            if (bad == EPV__COMP_AREA && fields->area_from != EPV_COMPARTMENT_AREA_ATTRIBUTE)
                rc = feat_error(&v, rc, geom_what, "%s", msg);
            else if (bad == EPV__COMP_AREA && i_mu >= 0)
                rc = feat_error(&v, rc, fname(w, sizeof w, nm[bad]), "%g mu = %s", epv_unit_ha_to_mu(attr), msg);
            else
                rc = feat_error(&v, rc, fname(w, sizeof w, nm[bad]), "%s", msg);
            OGR_F_Destroy(f);
            goto done;
        }
        if (fields->area_check > 0) {
            /* !(x <= tol) refuses a NaN or negative attribute too. */
            double ph = poly_m2 * 1e-4, rel = fabs(attr - ph) / ph;
            if (!(rel <= fields->area_check)) {
                rc = feat_error(&v, EPV_ERANGE, fname(w, sizeof w, nm[EPV__COMP_AREA]),
                                "%g ha differs from the polygon's %s area %.6g ha by %.3g %% (fields.area_check allows "
                                "%.3g %%)",
                                attr, v.mode == EPV_COMPARTMENT_AREA_PLANAR ? "planar" : "ellipsoidal", ph, 100 * rel,
                                100 * fields->area_check);
                OGR_F_Destroy(f);
                goto done;
            }
        }
        OGR_F_Destroy(f);
        if ((rc = epv__comp_set_push(s, &r)) || (rc = epv__grow(ctx, (void **)&at, &cap_at, s->n, sizeof *at))) goto done;
        at[s->n - 1].feat = v.feat;
        at[s->n - 1].fid = v.fid;
    }
    /* GDAL reports a read failure mid-layer only through its error state. */
    if (CPLGetLastErrorType() >= CE_Failure) {
        rc = epv__error(ctx, EPV_EIO, "%s: layer '%s': reading after feature %zu failed: %s", path, v.layer, v.feat,
                        CPLGetLastErrorMsg());
        goto done;
    }
    size_t a, b;
    if ((rc = epv__comp_find_repeat(ctx, s, &a, &b))) goto done;
    if (a != SIZE_MAX) {
        v.feat = at[a].feat;
        v.fid = at[a].fid;
        v.rid = NULL;
        rc = feat_error(&v, EPV_EEXISTS, fname(lbuf, sizeof lbuf, nm[EPV__COMP_ID]), "'%s' repeats the id of feature %zu",
                        s->rec[a].id, at[b].feat);
        goto done;
    }
    rc = epv__progress(ctx, 1.0, "compartment: read");
done:
    if (v.ct) OCTDestroyCoordinateTransformation(v.ct);
    if (ds) GDALClose(ds);
    CPLPopErrorHandler();
    epv__free(ctx, at);
    if (rc) {
        epv_compartment_set_free(s);
        return rc;
    }
    *out = s;
    return EPV_OK;
}
