/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Table of GEP indicator uncertainties (U% of quantity and price, distribution shape,
 * correlation across cells, source) and its reader (schema/gep_unc.xsd). The arithmetic
 * is in gep_unc.c. */
#include "config.h"
#include "gep_int.h"
#include "xml_int.h"

#include <math.h>
#include <string.h>

#define UNC_SCHEMA "schema/gep_unc.xsd"

EPV_API int epv_gep_unc_new(epv_ctx *ctx, const epv_gep_tree *tree, epv_gep_unc **out)
{
    if (!out || !tree) return epv__error(ctx, EPV_EINVAL, "gep uncertainty: NULL argument");
    *out = NULL;
    epv_gep_unc *u = epv__calloc(ctx, 1, sizeof *u);
    if (!u) return EPV_ENOMEM;
    u->ctx = ctx;
    u->tree = tree;
    *out = u;
    return EPV_OK;
}

EPV_API void epv_gep_unc_free(epv_gep_unc *unc)
{
    if (!unc) return;
    epv__free(unc->ctx, unc->rows);
    epv__free(unc->ctx, unc);
}

EPV_API size_t epv_gep_unc_count(const epv_gep_unc *unc) { return unc ? unc->n : 0; }

static long find_row(const epv_gep_unc *unc, const char *code)
{
    for (size_t i = 0; i < unc->n; i++)
        if (strcmp(unc->rows[i].indicator, code) == 0) return (long)i;
    return -1;
}

/* One U%: EXACT needs 0, a distribution needs > 0 (a zero or negative spread is a
 * non-positive standard deviation). */
static int check_pct(epv_ctx *ctx, const char *ind, const char *field, double pct, epv_gep_unc_shape shape)
{
    if (shape < EPV_GEP_UNC_EXACT || shape > EPV_GEP_UNC_TRIANGULAR)
        return epv__error(ctx, EPV_EINVAL, "uncertainty '%s': %s: unknown distribution %d", ind, field, (int)shape);
    if (!isfinite(pct)) return epv__error(ctx, EPV_ERANGE, "uncertainty '%s': %s: not a finite number", ind, field);
    if (shape == EPV_GEP_UNC_EXACT && pct != 0)
        return epv__error(ctx, EPV_ERANGE, "uncertainty '%s': %s: %g given with an exact (no) distribution", ind, field, pct);
    if (shape != EPV_GEP_UNC_EXACT && pct <= 0)
        return epv__error(ctx, EPV_ERANGE, "uncertainty '%s': %s: %g is not positive (standard deviation must be > 0)",
                          ind, field, pct);
    return EPV_OK;
}

EPV__DEFINE_INIT(epv_gep_unc_input, EPV_GEP_UNC_INPUT_VERSION, EPV_GEP_UNC_INPUT_INIT)

EPV_API int epv_gep_unc_set(epv_ctx *ctx, epv_gep_unc *unc, const epv_gep_unc_input *in)
{
    EPV__NEED(ctx, unc, "unc");
    EPV__NEED(ctx, in, "in");
    int vrc = epv__check_version(ctx, "epv_gep_unc_input", in, EPV_GEP_UNC_INPUT_VERSION);
    if (vrc) return vrc;
    if (!memchr(in->indicator, '\0', sizeof in->indicator) || !memchr(in->source, '\0', sizeof in->source))
        return epv__error(ctx, EPV_EINVAL, "uncertainty: indicator or source not NUL-terminated");
    long i = epv__gep_tree_index(unc->tree, in->indicator);
    if (i < 0) return epv__error(ctx, EPV_ENOTFOUND, "uncertainty: indicator: unknown code '%.60s'", in->indicator);
    if (!unc->tree->nodes[i].leaf)
        return epv__error(ctx, EPV_EINVAL, "uncertainty: indicator '%s' is a group, not a leaf", in->indicator);
    int rc;
    if ((rc = check_pct(ctx, in->indicator, "quantity_pct", in->quantity_pct, in->quantity_shape)) ||
        (rc = check_pct(ctx, in->indicator, "price_pct", in->price_pct, in->price_shape)))
        return rc;
    if ((in->quantity_corr != EPV_GEP_UNC_INDEPENDENT && in->quantity_corr != EPV_GEP_UNC_FULL) ||
        (in->price_corr != EPV_GEP_UNC_INDEPENDENT && in->price_corr != EPV_GEP_UNC_FULL))
        return epv__error(ctx, EPV_EINVAL, "uncertainty '%s': correlation: must be independent or full", in->indicator);
    if (!in->source[0])
        return epv__error(ctx, EPV_EINVAL, "uncertainty '%s': source: required (a source id, or \"illus\")", in->indicator);
    long k = find_row(unc, in->indicator);
    if (k >= 0) {
        unc->rows[k] = *in;
        return EPV_OK;
    }
    if ((rc = epv__grow(ctx, (void **)&unc->rows, &unc->cap, unc->n + 1, sizeof *unc->rows))) return rc;
    unc->rows[unc->n++] = *in;
    return EPV_OK;
}

EPV_API int epv_gep_unc_find(epv_ctx *ctx, const epv_gep_unc *unc, const char *indicator, epv_gep_unc_input *out)
{
    EPV__NEED(ctx, unc, "unc");
    EPV__NEED(ctx, indicator, "indicator");
    EPV__NEED(ctx, out, "out");
    int vrc = epv__check_version(ctx, "epv_gep_unc_input", out, EPV_GEP_UNC_INPUT_VERSION);
    if (vrc) return vrc;
    long k = find_row(unc, indicator);
    if (k < 0) return epv__error(ctx, EPV_ENOTFOUND, "uncertainty: no entry for indicator '%.60s'", indicator);
    *out = unc->rows[k];
    return EPV_OK;
}

/* ---- reader ---------------------------------------------------------------------------- */

static int str_attr(epv_ctx *ctx, const char *file, xmlNodePtr n, const char *a, int req, char *dst, size_t cap)
{
    char *s = NULL;
    int rc = epv__xml_attr_str(ctx, file, n, a, req, &s);
    if (rc || !s) return rc;
    if (strlen(s) >= cap) rc = epv__xml_error_at(ctx, EPV_ERANGE, file, n, "attribute '%s' is too long", a);
    else strcpy(dst, s);
    epv__free(ctx, s);
    return rc;
}

static int shape_attr(epv_ctx *ctx, const char *file, xmlNodePtr n, const char *a, epv_gep_unc_shape *out)
{
    static const char *names[] = { "exact", "normal", "lognormal", "uniform", "triangular" };
    char buf[32] = "";
    int rc = str_attr(ctx, file, n, a, 0, buf, sizeof buf);
    if (rc || !buf[0]) return rc;
    for (size_t i = 0; i < EPV__ARRAY_LEN(names); i++)
        if (strcmp(buf, names[i]) == 0) {
            *out = (epv_gep_unc_shape)i;
            return EPV_OK;
        }
    return epv__xml_error_at(ctx, EPV_EINVAL, file, n, "attribute '%s': unknown distribution '%s'", a, buf);
}

static int corr_attr(epv_ctx *ctx, const char *file, xmlNodePtr n, const char *a, epv_gep_unc_corr *out)
{
    char buf[32] = "";
    int rc = str_attr(ctx, file, n, a, 0, buf, sizeof buf);
    if (rc || !buf[0]) return rc;
    if (strcmp(buf, "independent") == 0) *out = EPV_GEP_UNC_INDEPENDENT;
    else if (strcmp(buf, "full") == 0) *out = EPV_GEP_UNC_FULL;
    else return epv__xml_error_at(ctx, EPV_EINVAL, file, n, "attribute '%s': '%s' is neither independent nor full", a, buf);
    return EPV_OK;
}

/* One <uncertainty>: a missing U% means exact; a given U% without a shape is normal. */
static int read_row(epv_ctx *ctx, const char *file, xmlNodePtr n, epv_gep_unc_input *r)
{
    *r = (epv_gep_unc_input)EPV_GEP_UNC_INPUT_INIT;
    r->quantity_corr = EPV_GEP_UNC_INDEPENDENT;
    r->price_corr = EPV_GEP_UNC_FULL;
    int rc;
    if ((rc = str_attr(ctx, file, n, "indicator", 1, r->indicator, sizeof r->indicator)) ||
        (rc = str_attr(ctx, file, n, "source", 1, r->source, sizeof r->source)))
        return rc;
    if (epv__xml_has(n, "quantityPct")) {
        if ((rc = epv__xml_attr_double(ctx, file, n, "quantityPct", 1, &r->quantity_pct))) return rc;
        r->quantity_shape = EPV_GEP_UNC_NORMAL;
    }
    if (epv__xml_has(n, "pricePct")) {
        if ((rc = epv__xml_attr_double(ctx, file, n, "pricePct", 1, &r->price_pct))) return rc;
        r->price_shape = EPV_GEP_UNC_NORMAL;
    }
    if ((rc = shape_attr(ctx, file, n, "quantityShape", &r->quantity_shape)) ||
        (rc = shape_attr(ctx, file, n, "priceShape", &r->price_shape)) ||
        (rc = corr_attr(ctx, file, n, "quantityCorrelation", &r->quantity_corr)) ||
        (rc = corr_attr(ctx, file, n, "priceCorrelation", &r->price_corr)))
        return rc;
    return EPV_OK;
}

static int load(epv_ctx *ctx, const epv_gep_tree *tree, xmlDocPtr doc, const char *file, epv_gep_unc **out)
{
    epv_gep_unc *u;
    int rc = epv_gep_unc_new(ctx, tree, &u);
    if (rc) return rc;
    xmlNodePtr root = xmlDocGetRootElement(doc);
    for (xmlNodePtr n = epv__xml_child(root, "uncertainty"); n && !rc; n = epv__xml_next(n, "uncertainty")) {
        epv_gep_unc_input r;
        if ((rc = read_row(ctx, file, n, &r))) break;
        if (find_row(u, r.indicator) >= 0) {
            rc = epv__xml_error_at(ctx, EPV_EEXISTS, file, n, "attribute 'indicator': '%s' given twice", r.indicator);
            break;
        }
        if ((rc = epv_gep_unc_set(ctx, u, &r)))
            epv__error_prefix(ctx, "%s:%ld: <uncertainty>", file, (long)xmlGetLineNo(n));
    }
    if (rc) {
        epv_gep_unc_free(u);
        return rc;
    }
    *out = u;
    return EPV_OK;
}

EPV_API int epv_gep_unc_load_file(epv_ctx *ctx, const epv_gep_tree *tree, const char *path, epv_gep_unc **out)
{
    if (!out || !tree || !path) return epv__error(ctx, EPV_EINVAL, "gep uncertainty: NULL argument");
    *out = NULL;
    xmlDocPtr doc;
    int rc = epv__xml_load_file(ctx, path, UNC_SCHEMA, &doc);
    if (rc) return rc;
    rc = load(ctx, tree, doc, path, out);
    xmlFreeDoc(doc);
    return rc;
}

EPV_API int epv_gep_unc_load_memory(epv_ctx *ctx, const epv_gep_tree *tree, const char *buf, size_t len,
                                    const char *name, epv_gep_unc **out)
{
    if (!out || !tree || !buf) return epv__error(ctx, EPV_EINVAL, "gep uncertainty: NULL argument");
    *out = NULL;
    if (!name) name = "(buffer)";
    xmlDocPtr doc;
    int rc = epv__xml_load_memory(ctx, buf, len, name, UNC_SCHEMA, &doc);
    if (rc) return rc;
    rc = load(ctx, tree, doc, name, out);
    xmlFreeDoc(doc);
    return rc;
}
