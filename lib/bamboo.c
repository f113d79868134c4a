/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Bamboo biomass per culm and per plot (include/epv/bamboo.h, doc/bamboo.md): a table of
 * per-culm equations read from XML (schema/bamboo.xsd), the equations themselves, and the
 * sum over a plot with root:shoot ratio and carbon fraction. */
#include "config.h"
#include "common_int.h"
#include "xml_int.h"
#include "epv/bamboo.h"
#include "epv/xml.h"
#include "epv/resource.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#define BAMBOO_SCHEMA "schema/bamboo.xsd"
#define BAMBOO_DEFAULT "params/bamboo.xml"

/* Sanity bounds, wide enough for every bamboo we know of (doc/bamboo.md). */
#define DBH_LIMIT_CM 40.0   /* the largest bamboos (Dendrocalamus giganteus) reach ~30 cm */
#define AGE_LIMIT_DU 50.0
#define PLOT_MAX_M2 1e6

struct src {
    char *id;
    char *citation;
};

struct epv_bamboo_table {
    epv_ctx *ctx; /* allocator */
    epv_bamboo_species *rows;
    size_t nrows;
    struct src *sources;
    size_t nsources;
};

EPV__DEFINE_INIT(epv_bamboo_species, EPV_BAMBOO_SPECIES_VERSION, EPV_BAMBOO_SPECIES_INIT)
EPV__DEFINE_INIT(epv_bamboo_options, EPV_BAMBOO_OPTIONS_VERSION, EPV_BAMBOO_OPTIONS_INIT)
EPV__DEFINE_INIT(epv_bamboo_plot, EPV_BAMBOO_PLOT_VERSION, EPV_BAMBOO_PLOT_INIT)

EPV_API void epv_bamboo_free(epv_bamboo_table *t)
{
    if (!t) return;
    for (size_t i = 0; i < t->nsources; i++) {
        epv__free(t->ctx, t->sources[i].id);
        epv__free(t->ctx, t->sources[i].citation);
    }
    epv__free(t->ctx, t->sources);
    epv__free(t->ctx, t->rows);
    epv__free(t->ctx, t);
}

static const struct src *find_source(const epv_bamboo_table *t, const char *id)
{
    for (size_t i = 0; i < t->nsources; i++)
        if (strcmp(t->sources[i].id, id) == 0) return &t->sources[i];
    return NULL;
}

/* ---- reading ----------------------------------------------------------------------- */

struct rd {
    epv_ctx *ctx;
    const char *file;
    epv_bamboo_table *t;
};

static long line_of(xmlNodePtr n) { return (long)xmlGetLineNo(n); }

/* Optional or required string attribute into a fixed buffer; "" when absent. */
static int get_id(struct rd *R, xmlNodePtr n, const char *code, const char *attr, int required,
                  char out[EPV_BAMBOO_NAME_MAX])
{
    char *v = NULL;
    out[0] = '\0';
    int rc = epv__xml_attr_str(R->ctx, R->file, n, attr, required, &v);
    if (rc) return rc;
    if (!v) return EPV_OK;
    size_t len = strlen(v);
    if (len >= EPV_BAMBOO_NAME_MAX)
        rc = epv__error(R->ctx, EPV_EINVAL, "%s:%ld: species '%.40s': %s: longer than %d bytes", R->file,
                        line_of(n), code, attr, EPV_BAMBOO_NAME_MAX - 1);
    else
        memcpy(out, v, len + 1);
    epv__free(R->ctx, v);
    return rc;
}

/* Optional or required number; NaN when absent. */
static int get_num(struct rd *R, xmlNodePtr n, const char *attr, int required, double *out)
{
    *out = NAN;
    return epv__xml_attr_double(R->ctx, R->file, n, attr, required, out);
}

/* "file:line: species 'k': field: <message>" as EPV_ERANGE. */
#define BAD(R, n, k, field, ...)                                                                \
    bad_row((R), (n), (k), (field), __VA_ARGS__)
static int bad_row(struct rd *R, xmlNodePtr n, const char *code, const char *field, const char *fmt, ...)
    EPV__PRINTF(5, 6);
static int bad_row(struct rd *R, xmlNodePtr n, const char *code, const char *field, const char *fmt, ...)
{
    char msg[200];
    va_list ap;
    va_start(ap, fmt);
    void *saved = epv__locale_push();
    vsnprintf(msg, sizeof msg, fmt, ap);
    epv__locale_pop(saved);
    va_end(ap);
    return epv__error(R->ctx, EPV_ERANGE, "%s:%ld: species '%s': %s: %s", R->file, line_of(n), code, field, msg);
}

/* Range checks of one row, and every source it names declared. */
static int check_row(struct rd *R, xmlNodePtr n, const epv_bamboo_species *s)
{
    const char *k = s->code;
    /* zhou2004 uses a-f, power only a and b. */
    const struct {
        const char *field;
        double v;
    } coef[] = { { "a", s->a }, { "b", s->b }, { "c", s->c }, { "d", s->d }, { "e", s->e }, { "f", s->f } };
    size_t ncoef = s->model == EPV_BAMBOO_MODEL_ZHOU2004 ? 6 : 2;
    for (size_t i = 0; i < 6; i++) {
        if (i < ncoef && !isfinite(coef[i].v))
            return epv__error(R->ctx, EPV_ESCHEMA, "%s:%ld: species '%s': %s: missing for model %s", R->file,
                              line_of(n), k, coef[i].field, ncoef == 6 ? "zhou2004" : "power");
        if (i >= ncoef && !isnan(coef[i].v))
            return epv__error(R->ctx, EPV_EINVAL, "%s:%ld: species '%s': %s: model power has no coefficient %s",
                              R->file, line_of(n), k, coef[i].field, coef[i].field);
    }
    if (!(s->a > 0)) return BAD(R, n, k, "a", "%g must be positive", s->a);
    if (!(s->b > 0 && s->b <= 5)) return BAD(R, n, k, "b", "%g is outside (0, 5]", s->b);
    if (s->model == EPV_BAMBOO_MODEL_ZHOU2004) {
        if (!(s->c > 0)) return BAD(R, n, k, "c", "%g must be positive", s->c);
        if (!(s->d >= 0)) return BAD(R, n, k, "d", "%g must not be negative", s->d);
        if (!(fabs(s->e) <= 20)) return BAD(R, n, k, "e", "%g is outside [-20, 20]", s->e);
    }
    if (!(s->dbh_min_cm > 0 && s->dbh_min_cm < s->dbh_max_cm && s->dbh_max_cm <= DBH_LIMIT_CM))
        return BAD(R, n, k, "dbh_min/dbh_max", "range [%g, %g] is empty or outside (0, %g] cm", s->dbh_min_cm,
                   s->dbh_max_cm, DBH_LIMIT_CM);
    if (s->model == EPV_BAMBOO_MODEL_ZHOU2004) {
        if (!(s->age_min >= 1 && s->age_min <= s->age_max && s->age_max <= AGE_LIMIT_DU))
            return BAD(R, n, k, "age_min/age_max", "range [%g, %g] is missing, empty or outside [1, %g] du",
                       s->age_min, s->age_max, AGE_LIMIT_DU);
    } else if (!isnan(s->age_min) || !isnan(s->age_max)) {
        return epv__error(R->ctx, EPV_EINVAL, "%s:%ld: species '%s': age_min: model power has no age term",
                          R->file, line_of(n), k);
    }
    if (!isnan(s->root_shoot) && !(s->root_shoot >= 0 && s->root_shoot <= 1.5))
        return BAD(R, n, k, "root_shoot", "%g is outside [0, 1.5]", s->root_shoot);
    if (!isnan(s->carbon_fraction) && !(s->carbon_fraction >= 0.3 && s->carbon_fraction <= 0.6))
        return BAD(R, n, k, "carbon_fraction", "%g is outside [0.3, 0.6]", s->carbon_fraction);
    /* A value and its source go together. */
    const struct {
        const char *field;
        int has_value;
        const char *src;
    } pairs[] = { { "root_shoot", !isnan(s->root_shoot), s->root_shoot_source },
                  { "carbon_fraction", !isnan(s->carbon_fraction), s->carbon_fraction_source } };
    for (size_t i = 0; i < 2; i++)
        if (pairs[i].has_value != (pairs[i].src[0] != '\0'))
            return epv__error(R->ctx, EPV_EINVAL, "%s:%ld: species '%s': %s_source: %s", R->file, line_of(n), k,
                              pairs[i].field,
                              pairs[i].has_value ? "missing (every value names its source)"
                                                 : "given without a value");
    const char *ids[] = { s->source, s->root_shoot_source, s->carbon_fraction_source, s->range_source };
    const char *attrs[] = { "source", "root_shoot_source", "carbon_fraction_source", "range_source" };
    for (size_t i = 0; i < 4; i++)
        if (ids[i][0] && !find_source(R->t, ids[i]))
            return epv__error(R->ctx, EPV_ENOTFOUND, "%s:%ld: species '%s': %s: '%s' is not declared in <sources>",
                              R->file, line_of(n), k, attrs[i], ids[i]);
    return EPV_OK;
}

static int read_row(struct rd *R, xmlNodePtr n, epv_bamboo_species *s)
{
    static const epv_bamboo_species init = EPV_BAMBOO_SPECIES_INIT;
    *s = init;
    int rc;
    if ((rc = get_id(R, n, "?", "code", 1, s->code))) return rc;
    const char *k = s->code;
    if ((rc = get_id(R, n, k, "name_zh", 1, s->name_zh))) return rc;
    if ((rc = get_id(R, n, k, "name_en", 1, s->name_en))) return rc;
    char model[EPV_BAMBOO_NAME_MAX];
    if ((rc = get_id(R, n, k, "model", 1, model))) return rc;
    if (strcmp(model, "zhou2004") == 0)
        s->model = EPV_BAMBOO_MODEL_ZHOU2004;
    else if (strcmp(model, "power") == 0)
        s->model = EPV_BAMBOO_MODEL_POWER;
    else
        return epv__error(R->ctx, EPV_ESCHEMA, "%s:%ld: species '%s': model: '%s' is unknown", R->file,
                          line_of(n), k, model);
    struct {
        const char *attr;
        double *dst;
        int required;
    } nums[] = { { "a", &s->a, 1 },           { "b", &s->b, 1 },
                 { "c", &s->c, 0 },           { "d", &s->d, 0 },
                 { "e", &s->e, 0 },           { "f", &s->f, 0 },
                 { "dbh_min", &s->dbh_min_cm, 1 }, { "dbh_max", &s->dbh_max_cm, 1 },
                 { "age_min", &s->age_min, 0 },  { "age_max", &s->age_max, 0 },
                 { "root_shoot", &s->root_shoot, 0 }, { "carbon_fraction", &s->carbon_fraction, 0 } };
    for (size_t i = 0; i < sizeof nums / sizeof nums[0]; i++)
        if ((rc = get_num(R, n, nums[i].attr, nums[i].required, nums[i].dst))) {
            epv__error_prefix(R->ctx, "species '%s'", k);
            return rc;
        }
    if ((rc = get_id(R, n, k, "source", 1, s->source))) return rc;
    if ((rc = get_id(R, n, k, "root_shoot_source", 0, s->root_shoot_source))) return rc;
    if ((rc = get_id(R, n, k, "carbon_fraction_source", 0, s->carbon_fraction_source))) return rc;
    if ((rc = get_id(R, n, k, "range_source", 0, s->range_source))) return rc;
    xmlChar *pv = xmlGetProp(n, BAD_CAST "provisional");
    if (pv) {
        const char *t = (const char *)pv;
        while (*t == ' ' || *t == '\t' || *t == '\n' || *t == '\r') t++;
        s->provisional = strncmp(t, "true", 4) == 0 || t[0] == '1';
        xmlFree(pv);
    }
    return check_row(R, n, s);
}

static int load_doc(epv_ctx *ctx, xmlDocPtr doc, const char *file, epv_bamboo_table *t)
{
    struct rd R = { ctx, file, t };
    xmlNodePtr root = xmlDocGetRootElement(doc);
    if (!epv__xml_is(root, "bamboo")) return epv__error(ctx, EPV_ESCHEMA, "%s: root element is not <bamboo>", file);
    size_t cap = 0;
    xmlNodePtr sources = epv__xml_child(root, "sources");
    for (xmlNodePtr s = sources ? epv__xml_child(sources, "source") : NULL; s; s = epv__xml_next(s, "source")) {
        char id[EPV_BAMBOO_NAME_MAX];
        int rc = get_id(&R, s, "?", "id", 1, id);
        if (rc) return rc;
        if (find_source(t, id))
            return epv__error(ctx, EPV_EEXISTS, "%s:%ld: source '%s': id: declared twice", file, line_of(s), id);
        xmlChar *content = xmlNodeGetContent(s);
        if (!content) return epv__error(ctx, EPV_ENOMEM, "%s: out of memory", file);
        if (epv__grow(ctx, (void **)&t->sources, &cap, t->nsources + 1, sizeof *t->sources)) {
            xmlFree(content);
            return EPV_ENOMEM;
        }
        struct src *d = &t->sources[t->nsources];
        d->id = epv__strdup(ctx, id);
        d->citation = epv__strdup(ctx, (const char *)content);
        xmlFree(content);
        t->nsources++; /* counted even when a strdup failed, so free() sees the NULL */
        if (!d->id || !d->citation) return EPV_ENOMEM;
    }
    cap = 0;
    for (xmlNodePtr n = epv__xml_child(root, "species"); n; n = epv__xml_next(n, "species")) {
        epv_bamboo_species row;
        int rc = read_row(&R, n, &row);
        if (rc) return rc;
        for (size_t i = 0; i < t->nrows; i++)
            if (strcmp(t->rows[i].code, row.code) == 0)
                return epv__error(ctx, EPV_EEXISTS, "%s:%ld: species '%s': code: duplicate", file, line_of(n),
                                  row.code);
        if (epv__grow(ctx, (void **)&t->rows, &cap, t->nrows + 1, sizeof *t->rows)) return EPV_ENOMEM;
        t->rows[t->nrows++] = row;
    }
    return EPV_OK;
}

static int load_from_doc(epv_ctx *ctx, xmlDocPtr doc, const char *file, epv_bamboo_table **out)
{
    epv_bamboo_table *t = epv__calloc(ctx, 1, sizeof *t);
    int rc = t ? EPV_OK : EPV_ENOMEM;
    if (t) {
        t->ctx = ctx;
        rc = load_doc(ctx, doc, file, t);
    }
    xmlFreeDoc(doc);
    if (rc) {
        epv_bamboo_free(t);
        return rc;
    }
    *out = t;
    return EPV_OK;
}

EPV_API int epv_bamboo_load_memory(epv_ctx *ctx, const char *buf, size_t len, const char *name,
                                   epv_bamboo_table **out)
{
    EPV__NEED(ctx, out, "out");
    *out = NULL;
    EPV__NEED(ctx, buf, "buf");
    if (!name) name = "(buffer)";
    xmlDocPtr doc;
    int rc = epv__xml_load_memory(ctx, buf, len, name, BAMBOO_SCHEMA, &doc);
    if (rc) return rc;
    return load_from_doc(ctx, doc, name, out);
}

EPV_API int epv_bamboo_load_file(epv_ctx *ctx, const char *path, epv_bamboo_table **out)
{
    EPV__NEED(ctx, out, "out");
    *out = NULL;
    EPV__NEED(ctx, path, "path");
    xmlDocPtr doc;
    int rc = epv__xml_load_file(ctx, path, BAMBOO_SCHEMA, &doc);
    if (rc) return rc;
    return load_from_doc(ctx, doc, path, out);
}

EPV_API int epv_bamboo_load_default(epv_ctx *ctx, epv_bamboo_table **out)
{
    EPV__NEED(ctx, out, "out");
    *out = NULL;
    size_t len = 0;
    const char *text = epv_resource_get(BAMBOO_DEFAULT, &len);
    if (!text) return epv__error(ctx, EPV_ENOTFOUND, "bamboo: the library carries no resource '%s'", BAMBOO_DEFAULT);
    return epv_bamboo_load_memory(ctx, text, len, BAMBOO_DEFAULT, out);
}

/* ---- lookups ----------------------------------------------------------------------- */

EPV_API size_t epv_bamboo_species_count(const epv_bamboo_table *t) { return t ? t->nrows : 0; }

static int copy_row(epv_ctx *ctx, const epv_bamboo_species *row, epv_bamboo_species *out)
{
    int rc = epv__check_version(ctx, "epv_bamboo_species", out, EPV_BAMBOO_SPECIES_VERSION);
    if (rc) return rc;
    unsigned int v = out->version;
    *out = *row;
    out->version = v;
    return EPV_OK;
}

EPV_API int epv_bamboo_species_at(epv_ctx *ctx, const epv_bamboo_table *t, size_t i, epv_bamboo_species *out)
{
    EPV__NEED(ctx, t, "table");
    EPV__NEED(ctx, out, "out");
    if (i >= t->nrows)
        return epv__error(ctx, EPV_ERANGE, "bamboo: row %zu is out of range (table has %zu)", i, t->nrows);
    return copy_row(ctx, &t->rows[i], out);
}

static const epv_bamboo_species *find_row(const epv_bamboo_table *t, const char *key)
{
    for (size_t i = 0; i < t->nrows; i++)
        if (strcmp(t->rows[i].code, key) == 0) return &t->rows[i];
    for (size_t i = 0; i < t->nrows; i++)
        if (strcmp(t->rows[i].name_zh, key) == 0) return &t->rows[i];
    for (size_t i = 0; i < t->nrows; i++)
        if (strcasecmp(t->rows[i].name_en, key) == 0) return &t->rows[i];
    return NULL;
}

EPV_API int epv_bamboo_species_find(epv_ctx *ctx, const epv_bamboo_table *t, const char *key,
                                    epv_bamboo_species *out)
{
    EPV__NEED(ctx, t, "table");
    EPV__NEED(ctx, key, "key");
    EPV__NEED(ctx, out, "out");
    const epv_bamboo_species *row = find_row(t, key);
    if (!row) return epv__error(ctx, EPV_ENOTFOUND, "bamboo: species: unknown '%.60s'", key);
    return copy_row(ctx, row, out);
}

EPV_API int epv_bamboo_source_citation(epv_ctx *ctx, const epv_bamboo_table *t, const char *id,
                                       const char **citation)
{
    EPV__NEED(ctx, t, "table");
    EPV__NEED(ctx, id, "id");
    EPV__NEED(ctx, citation, "citation");
    const struct src *s = find_source(t, id);
    if (!s) return epv__error(ctx, EPV_ENOTFOUND, "bamboo: source: unknown '%.60s'", id);
    *citation = s->citation;
    return EPV_OK;
}

/* ---- models ------------------------------------------------------------------------ */

EPV_API int epv_bamboo_age_class(epv_ctx *ctx, const int *age_years, size_t n, int *du)
{
    EPV__NEED(ctx, age_years, "age_years");
    EPV__NEED(ctx, du, "du");
    for (size_t i = 0; i < n; i++)
        if (age_years[i] < 1 || age_years[i] > 100)
            return epv__error(ctx, EPV_ERANGE, "bamboo: culm %zu: age_years: %d is outside [1, 100]", i,
                              age_years[i]);
    for (size_t i = 0; i < n; i++) du[i] = (age_years[i] + 1) / 2;
    return EPV_OK;
}

static double culm_kg(const epv_bamboo_species *s, double d, double a)
{
    double m = s->a * pow(d, s->b);
    if (s->model == EPV_BAMBOO_MODEL_ZHOU2004) m = m * pow(s->c * a / (s->d + a), s->e) + s->f;
    return m;
}

/* Check every culm, then compute into out; nothing written on error. */
static int culms(epv_ctx *ctx, const epv_bamboo_species *s, const double *dbh, const double *age, size_t n,
                 double *out, double *sum)
{
    int need_age = s->model == EPV_BAMBOO_MODEL_ZHOU2004;
    if (need_age && !age && n > 0)
        return epv__error(ctx, EPV_EINVAL, "bamboo: species '%s': age_du: NULL, but model zhou2004 needs the age class",
                          s->code);
    for (size_t i = 0; i < n; i++) {
        if (!(dbh[i] >= s->dbh_min_cm && dbh[i] <= s->dbh_max_cm)) {
            char msg[128];
            epv__snprintf_c(msg, sizeof msg, "%g is outside the equation's range [%g, %g] cm", dbh[i], s->dbh_min_cm,
                            s->dbh_max_cm);
            return epv__error(ctx, EPV_ERANGE, "bamboo: species '%s': culm %zu: dbh_cm: %s", s->code, i, msg);
        }
        if (need_age && !(age[i] >= s->age_min && age[i] <= s->age_max)) {
            char msg[128];
            epv__snprintf_c(msg, sizeof msg, "%g is outside the equation's range [%g, %g] du", age[i], s->age_min,
                            s->age_max);
            return epv__error(ctx, EPV_ERANGE, "bamboo: species '%s': culm %zu: age_du: %s", s->code, i, msg);
        }
        double m = culm_kg(s, dbh[i], need_age ? age[i] : 0);
        if (!(isfinite(m) && m > 0))
            return epv__error(ctx, EPV_EDOMAIN, "bamboo: species '%s': culm %zu: biomass is not a positive number",
                              s->code, i);
    }
    double acc = 0;
    for (size_t i = 0; i < n; i++) {
        double m = culm_kg(s, dbh[i], need_age ? age[i] : 0);
        if (out) out[i] = m;
        acc += m;
    }
    if (sum) *sum = acc;
    return EPV_OK;
}

EPV_API int epv_bamboo_culm_biomass(epv_ctx *ctx, const epv_bamboo_table *t, const char *species,
                                    const double *dbh_cm, const double *age_du, size_t n, double *agb_kg)
{
    EPV__NEED(ctx, t, "table");
    EPV__NEED(ctx, species, "species");
    EPV__NEED(ctx, dbh_cm, "dbh_cm");
    EPV__NEED(ctx, agb_kg, "agb_kg");
    const epv_bamboo_species *s = find_row(t, species);
    if (!s) return epv__error(ctx, EPV_ENOTFOUND, "bamboo: species: unknown '%.60s'", species);
    return culms(ctx, s, dbh_cm, age_du, n, agb_kg, NULL);
}

EPV_API int epv_bamboo_plot_estimate(epv_ctx *ctx, const epv_bamboo_table *t, const char *species,
                                     const double *dbh_cm, const double *age_du, size_t n, double plot_area_m2,
                                     const epv_bamboo_options *opts, epv_bamboo_plot *out)
{
    EPV__NEED(ctx, t, "table");
    EPV__NEED(ctx, species, "species");
    EPV__NEED(ctx, dbh_cm, "dbh_cm");
    EPV__NEED(ctx, out, "out");
    int rc = epv__check_version(ctx, "epv_bamboo_plot", out, EPV_BAMBOO_PLOT_VERSION);
    if (rc) return rc;
    epv_bamboo_options o = EPV_BAMBOO_OPTIONS_INIT;
    if (opts) {
        if ((rc = epv__check_version(ctx, "epv_bamboo_options", opts, EPV_BAMBOO_OPTIONS_VERSION))) return rc;
        o = *opts;
    }
    const epv_bamboo_species *s = find_row(t, species);
    if (!s) return epv__error(ctx, EPV_ENOTFOUND, "bamboo: species: unknown '%.60s'", species);
    if (!(plot_area_m2 > 0 && plot_area_m2 <= PLOT_MAX_M2))
        return epv__error(ctx, EPV_ERANGE, "bamboo: plot_area_m2: %g is outside (0, %g]", plot_area_m2, PLOT_MAX_M2);
    double r = o.root_shoot >= 0 ? o.root_shoot : s->root_shoot;
    double cf = o.carbon_fraction >= 0 ? o.carbon_fraction : s->carbon_fraction;
    if (isnan(r))
        return epv__error(ctx, EPV_EINVAL,
                          "bamboo: species '%s': root_shoot: the table gives none; set epv_bamboo_options.root_shoot",
                          s->code);
    if (isnan(cf))
        return epv__error(ctx, EPV_EINVAL,
                          "bamboo: species '%s': carbon_fraction: the table gives none; set "
                          "epv_bamboo_options.carbon_fraction",
                          s->code);
    if (!(r <= 1.5)) return epv__error(ctx, EPV_ERANGE, "bamboo: options: root_shoot: %g is outside [0, 1.5]", r);
    if (!(cf >= 0.3 && cf <= 0.6))
        return epv__error(ctx, EPV_ERANGE, "bamboo: options: carbon_fraction: %g is outside [0.3, 0.6]", cf);
    double kg = 0;
    if ((rc = culms(ctx, s, dbh_cm, age_du, n, NULL, &kg))) return rc;
    double per_ha = 10000.0 / plot_area_m2;
    epv_bamboo_plot p = EPV_BAMBOO_PLOT_INIT;
    p.culms_ha = (double)n * per_ha;
    p.agb_t_ha = kg / 1000.0 * per_ha;
    p.bgb_t_ha = p.agb_t_ha * r;
    p.biomass_t_ha = p.agb_t_ha + p.bgb_t_ha;
    p.carbon_t_ha = p.biomass_t_ha * cf;
    p.co2_t_ha = p.carbon_t_ha * 44.0 / 12.0;
    p.root_shoot = r;
    p.carbon_fraction = cf;
    p.version = out->version;
    *out = p;
    return EPV_OK;
}
