/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Reading parameter tables from XML (schema/params.xsd): load a new table, or merge a file
 * over an existing one all or nothing (the merge works on a copy that replaces the table
 * only when the whole file was accepted). Every error names the file, the line, the row
 * and the field. */
#include "config.h"
#include "params_int.h"
#include "xml_int.h"
#include "epv/xml.h"
#include "epv/resource.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PARAMS_SCHEMA "schema/params.xsd"
#define PARAMS_DEFAULT "params/species.xml"
/* Rows per file. Duplicate and replacement checks are linear scans; the cap keeps a hostile
 * file from making them quadratic in tens of megabytes. Real tables hold tens of rows. */
#define MAX_ROWS 20000

struct load {
    epv_ctx *ctx;
    const char *file;
    epv_params *p;
    int merging;      /* rows may replace rows already in p */
    size_t base_src;  /* sources p held before this file */
};

static int is_xml_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

/* Schema types with whiteSpace="collapse" (xs:double, xs:boolean) accept padding. */
static char *trim(char *s)
{
    while (is_xml_space(*s)) s++;
    size_t n = strlen(s);
    while (n && is_xml_space(s[n - 1])) s[--n] = '\0';
    return s;
}

static long line_of(xmlNodePtr n) { return (long)xmlGetLineNo(n); }

static int get_str(struct load *L, xmlNodePtr n, const char *what, const char *key, const char *attr, int required,
                   char out[EPV_PARAMS_NAME_MAX])
{
    xmlChar *v = xmlGetProp(n, BAD_CAST attr);
    if (!v) {
        if (!required) return EPV_OK;
        return epv__error(L->ctx, EPV_ESCHEMA, "%s:%ld: %s '%.40s': %s: missing", L->file, line_of(n), what, key, attr);
    }
    size_t len = strlen((const char *)v);
    int rc = EPV_OK;
    if (len >= EPV_PARAMS_NAME_MAX)
        rc = epv__error(L->ctx, EPV_EINVAL, "%s:%ld: %s '%.40s': %s: longer than %d bytes", L->file, line_of(n), what,
                        key, attr, EPV_PARAMS_NAME_MAX - 1);
    else
        memcpy(out, v, len + 1);
    xmlFree(v);
    return rc;
}

/* Absent optional numbers become NaN. NaN and INF pass xs:double but no parameter may be
 * non-finite: that is a range error naming the field. */
static int get_num(struct load *L, xmlNodePtr n, const char *what, const char *key, const char *attr, int required,
                   double *out)
{
    *out = NAN;
    xmlChar *v = xmlGetProp(n, BAD_CAST attr);
    if (!v) {
        if (!required) return EPV_OK;
        return epv__error(L->ctx, EPV_ESCHEMA, "%s:%ld: %s '%.40s': %s: missing", L->file, line_of(n), what, key, attr);
    }
    char *t = trim((char *)v);
    int rc = EPV_OK;
    if (epv__parse_double(t, out)) {
        int nonfinite = strstr(t, "INF") || strstr(t, "inf") || strstr(t, "NaN") || strstr(t, "nan");
        rc = epv__error(L->ctx, nonfinite ? EPV_ERANGE : EPV_EPARSE, "%s:%ld: %s '%.40s': %s: '%.40s' is not a %s",
                        L->file, line_of(n), what, key, attr, t, nonfinite ? "finite number" : "number");
        *out = NAN;
    }
    xmlFree(v);
    return rc;
}

static int get_bool(xmlNodePtr n, const char *attr, int dflt)
{
    xmlChar *v = xmlGetProp(n, BAD_CAST attr);
    if (!v) return dflt;
    char *t = trim((char *)v);
    int r = strcmp(t, "true") == 0 || strcmp(t, "1") == 0;
    xmlFree(v);
    return r;
}

/* ---- sources ----------------------------------------------------------------------- */

static int load_sources(struct load *L, xmlNodePtr sources)
{
    for (xmlNodePtr s = epv__xml_child(sources, "source"); s; s = epv__xml_next(s, "source")) {
        char id[EPV_PARAMS_NAME_MAX] = "";
        int rc = get_str(L, s, "source", "?", "id", 1, id);
        if (rc) return rc;
        xmlChar *content = xmlNodeGetContent(s);
        if (!content) return epv__error(L->ctx, EPV_ENOMEM, "%s: out of memory", L->file);
        char *cit = trim((char *)content);
        rc = EPV_OK;
        size_t have = SIZE_MAX;
        for (size_t i = 0; i < L->p->nsources; i++)
            if (strcmp(L->p->sources[i].id, id) == 0) have = i;
        if (*cit == '\0') {
            rc = epv__error(L->ctx, EPV_ESCHEMA, "%s:%ld: source '%s': citation: empty", L->file, line_of(s), id);
        } else if (have != SIZE_MAX && have >= L->base_src) {
            rc = epv__error(L->ctx, EPV_EEXISTS, "%s:%ld: source '%s': id: declared twice in this file", L->file,
                            line_of(s), id);
        } else if (have != SIZE_MAX) {
            /* Merging: a source the table already has may be repeated, but not changed, since
             * rows outside this file cite it. */
            if (strcmp(L->p->sources[have].citation, cit) != 0)
                rc = epv__error(L->ctx, EPV_EEXISTS,
                                "%s:%ld: source '%s': id: already declared with a different citation", L->file,
                                line_of(s), id);
        } else {
            rc = epv__params_add_source(L->ctx, L->p, id, cit);
        }
        xmlFree(content);
        if (rc) return rc;
    }
    return EPV_OK;
}

/* ---- rows -------------------------------------------------------------------------- */

static int read_species(struct load *L, xmlNodePtr n, struct epv__species_row *r)
{
    memset(r, 0, sizeof *r);
    epv_params_species *s = &r->pub;
    int rc;
    if ((rc = get_str(L, n, "species", "?", "code", 1, s->code))) return rc;
    const char *k = s->code;
    if ((rc = get_str(L, n, "species", k, "name_zh", 1, s->name_zh))) return rc;
    if ((rc = get_str(L, n, "species", k, "name_en", 1, s->name_en))) return rc;
    s->conifer = get_bool(n, "conifer", 0);
    s->provisional = get_bool(n, "provisional", 0);
    if ((rc = get_num(L, n, "species", k, "wood_density", 1, &s->wood_density))) return rc;
    if ((rc = get_num(L, n, "species", k, "bef", 1, &s->bef))) return rc;
    if ((rc = get_num(L, n, "species", k, "root_shoot", 1, &s->root_shoot))) return rc;
    if ((rc = get_num(L, n, "species", k, "carbon_fraction", 1, &s->carbon_fraction))) return rc;
    if ((rc = get_num(L, n, "species", k, "fang_a", 0, &s->fang_a))) return rc;
    if ((rc = get_num(L, n, "species", k, "fang_b", 0, &s->fang_b))) return rc;
    if ((rc = get_str(L, n, "species", k, "source", 1, s->source))) return rc;
    if ((rc = get_str(L, n, "species", k, "fang_source", 0, s->fang_source))) return rc;
    /* Per-value sources default to the row's (or, for Fang's pair, fang_source). */
    for (int f = 0; f < EPV__F_COUNT; f++) {
        int fang = f == EPV__F_FANG_A || f == EPV__F_FANG_B;
        memcpy(r->value_source[f], fang ? s->fang_source : s->source, EPV_PARAMS_NAME_MAX);
        if (fang) continue;
        char attr[64];
        snprintf(attr, sizeof attr, "%s_source", epv__params_field_names[f]);
        if ((rc = get_str(L, n, "species", k, attr, 0, r->value_source[f]))) return rc;
    }
    struct epv__where w = { L->file, line_of(n) };
    return epv__params_check_species(L->ctx, L->p, r, w);
}

static int read_growth(struct load *L, xmlNodePtr n, epv_params_ipcc_growth *g)
{
    memset(g, 0, sizeof *g);
    int rc;
    if ((rc = get_str(L, n, "ipcc_growth", "?", "zone", 1, g->zone))) return rc;
    const char *k = g->zone;
    if ((rc = get_str(L, n, "ipcc_growth", k, "region", 1, g->region))) return rc;
    if ((rc = get_str(L, n, "ipcc_growth", k, "forest_type", 1, g->forest_type))) return rc;
    if ((rc = get_num(L, n, "ipcc_growth", k, "growth", 1, &g->growth_t_dm_ha_yr))) return rc;
    if ((rc = get_num(L, n, "ipcc_growth", k, "growth_min", 0, &g->growth_min))) return rc;
    if ((rc = get_num(L, n, "ipcc_growth", k, "growth_max", 0, &g->growth_max))) return rc;
    if ((rc = get_num(L, n, "ipcc_growth", k, "root_shoot", 0, &g->root_shoot))) return rc;
    if ((rc = get_str(L, n, "ipcc_growth", k, "source", 1, g->source))) return rc;
    g->provisional = get_bool(n, "provisional", 0);
    struct epv__where w = { L->file, line_of(n) };
    return epv__params_check_growth(L->ctx, L->p, g, w);
}

/* <uncertainty species= field= u_pct= source=>: attaches to a species row already in the
 * table being built (declared earlier in this file, or in the table a merge goes into). */
static int read_uncertainty(struct load *L, xmlNodePtr n, char key[3 * EPV_PARAMS_NAME_MAX])
{
    char code[EPV_PARAMS_NAME_MAX] = "", field[EPV_PARAMS_NAME_MAX] = "", src[EPV_PARAMS_NAME_MAX] = "";
    double u;
    int rc;
    if ((rc = get_str(L, n, "uncertainty", "?", "species", 1, code))) return rc;
    if ((rc = get_str(L, n, "uncertainty", code, "field", 1, field))) return rc;
    if ((rc = get_num(L, n, "uncertainty", code, "u_pct", 1, &u))) return rc;
    if ((rc = get_str(L, n, "uncertainty", code, "source", 1, src))) return rc;
    struct epv__species_row *r = epv__params_species_row(L->p, code);
    if (!r)
        return epv__error(L->ctx, EPV_ENOTFOUND, "%s:%ld: uncertainty: species: '%s' is not declared before it",
                          L->file, line_of(n), code);
    int f = epv__params_field_index(field);
    if (f < 0)
        return epv__error(L->ctx, EPV_EINVAL, "%s:%ld: uncertainty '%s': field: '%s' is unknown", L->file,
                          line_of(n), code, field);
    snprintf(key, 3 * EPV_PARAMS_NAME_MAX, "%s/%s", code, field);
    struct epv__where w = { L->file, line_of(n) };
    return epv__params_set_u(L->ctx, L->p, r, f, u, src, get_bool(n, "provisional", 0), w);
}

/* Rows of this file seen so far, to refuse the same key twice in one file. */
struct seen {
    char key[3 * EPV_PARAMS_NAME_MAX];
    long line;
};

static int seen_check(struct load *L, struct seen **arr, size_t *n, size_t *cap, const char *what, const char *key,
                      const char *field, long line)
{
    for (size_t i = 0; i < *n; i++)
        if (strcmp((*arr)[i].key, key) == 0)
            return epv__error(L->ctx, EPV_EEXISTS, "%s:%ld: %s '%s': %s: duplicate (first at line %ld)", L->file, line,
                              what, key, field, (*arr)[i].line);
    if (*n >= MAX_ROWS)
        return epv__error(L->ctx, EPV_ERANGE, "%s:%ld: more than %d %s rows in one file", L->file, line, MAX_ROWS, what);
    if (epv__grow(L->ctx, (void **)arr, cap, *n + 1, sizeof **arr)) return EPV_ENOMEM;
    snprintf((*arr)[*n].key, sizeof(*arr)[*n].key, "%s", key);
    (*arr)[*n].line = line;
    (*n)++;
    return EPV_OK;
}

static int load_rows(struct load *L, xmlNodePtr root)
{
    struct seen *sp = NULL, *gr = NULL, *un = NULL;
    size_t nsp = 0, capsp = 0, ngr = 0, capgr = 0, nun = 0, capun = 0;
    int rc = EPV_OK;
    for (xmlNodePtr n = epv__xml_child(root, NULL); n && !rc; n = epv__xml_next(n, NULL)) {
        if (epv__xml_is(n, "species")) {
            struct epv__species_row r;
            if ((rc = read_species(L, n, &r))) break;
            if ((rc = seen_check(L, &sp, &nsp, &capsp, "species", r.pub.code, "code", line_of(n)))) break;
            rc = epv__params_put_species(L->ctx, L->p, &r);
        } else if (epv__xml_is(n, "ipcc_growth")) {
            epv_params_ipcc_growth g;
            if ((rc = read_growth(L, n, &g))) break;
            char key[3 * EPV_PARAMS_NAME_MAX];
            snprintf(key, sizeof key, "%s/%s/%s", g.zone, g.region, g.forest_type);
            if ((rc = seen_check(L, &gr, &ngr, &capgr, "ipcc_growth", key, "zone/region/forest_type", line_of(n))))
                break;
            rc = epv__params_put_growth(L->ctx, L->p, &g);
        } else if (epv__xml_is(n, "uncertainty")) {
            char key[3 * EPV_PARAMS_NAME_MAX];
            if ((rc = read_uncertainty(L, n, key))) break;
            rc = seen_check(L, &un, &nun, &capun, "uncertainty", key, "species/field", line_of(n));
        }
    }
    epv__free(L->ctx, sp);
    epv__free(L->ctx, gr);
    epv__free(L->ctx, un);
    return rc;
}

/* Read a validated document into p (fresh, or a copy of the table being merged into). */
static int load_doc(epv_ctx *ctx, xmlDocPtr doc, const char *file, epv_params *p, int merging)
{
    struct load L = { ctx, file, p, merging, p->nsources };
    xmlNodePtr root = xmlDocGetRootElement(doc);
    if (!epv__xml_is(root, "params")) return epv__error(ctx, EPV_ESCHEMA, "%s: root element is not <params>", file);
    xmlNodePtr sources = epv__xml_child(root, "sources");
    int rc = EPV_OK;
    if (sources) rc = load_sources(&L, sources);
    if (!rc) rc = load_rows(&L, root);
    return rc;
}

static int load_from_doc(epv_ctx *ctx, xmlDocPtr doc, const char *file, epv_params **out)
{
    epv_params *p;
    int rc = epv__params_new(ctx, &p);
    if (!rc) rc = load_doc(ctx, doc, file, p, 0);
    xmlFreeDoc(doc);
    if (rc) {
        epv_params_free(p);
        return rc;
    }
    *out = p;
    return EPV_OK;
}

EPV_API int epv_params_load_memory(epv_ctx *ctx, const char *buf, size_t len, const char *name, epv_params **out)
{
    if (!out) return epv__error(ctx, EPV_EINVAL, "params: NULL output");
    *out = NULL;
    if (!name) name = "(buffer)";
    xmlDocPtr doc;
    int rc = epv__xml_load_memory(ctx, buf, len, name, PARAMS_SCHEMA, &doc);
    if (rc) return rc;
    return load_from_doc(ctx, doc, name, out);
}

EPV_API int epv_params_load_file(epv_ctx *ctx, const char *path, epv_params **out)
{
    if (!out) return epv__error(ctx, EPV_EINVAL, "params: NULL output");
    *out = NULL;
    xmlDocPtr doc;
    int rc = epv__xml_load_file(ctx, path, PARAMS_SCHEMA, &doc);
    if (rc) return rc;
    return load_from_doc(ctx, doc, path, out);
}

EPV_API int epv_params_load_default(epv_ctx *ctx, epv_params **out)
{
    size_t len = 0;
    const char *text = epv_resource_get(PARAMS_DEFAULT, &len);
    if (!text) {
        if (out) *out = NULL;
        return epv__error(ctx, EPV_ENOTFOUND, "params: the library carries no resource '%s'", PARAMS_DEFAULT);
    }
    return epv_params_load_memory(ctx, text, len, PARAMS_DEFAULT, out);
}

EPV_API int epv_params_merge_file(epv_ctx *ctx, epv_params *params, const char *path)
{
    if (!params) return epv__error(ctx, EPV_EINVAL, "params: NULL table");
    xmlDocPtr doc;
    int rc = epv__xml_load_file(ctx, path, PARAMS_SCHEMA, &doc);
    if (rc) return rc;
    epv_params *copy;
    rc = epv__params_clone(ctx, params, &copy);
    if (!rc) {
        rc = load_doc(ctx, doc, path, copy, 1);
        if (rc)
            epv_params_free(copy);
        else
            epv__params_swap_free(params, copy);
    }
    xmlFreeDoc(doc);
    return rc;
}
