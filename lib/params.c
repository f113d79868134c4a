/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Parameter tables: storage, range checks, lookups and single-value overrides.
 * Loading from XML lives in params_xml.c. Tables are small (tens of rows), so lookups are
 * linear scans: simple, and fast enough next to any model that uses the values. */
#include "config.h"
#include "params_int.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

const char *const epv__params_field_names[EPV__F_COUNT] = {
    "wood_density", "bef", "root_shoot", "carbon_fraction", "fang_a", "fang_b",
};

/* Sanity bounds (doc/params.md gives their basis). They catch unit slips (kg/m³ for
 * t/m³, percent for fractions) and typos, not unusual but real species. */
#define DENSITY_MIN 0.1 /* t/m³: balsa, the lightest commercial wood, is about 0.1-0.2 */
#define DENSITY_MAX 1.5 /* t/m³: above the densest known woods (about 1.2-1.4) */
#define BEF_MIN 1.0     /* above-ground biomass includes the stem, so BEF >= 1 */
#define BEF_MAX 4.0
#define R_MIN 0.0
#define R_MAX 1.5       /* IPCC 2006 Table 4.4 ranges reach about 1.16 */
#define CF_MIN 0.3
#define CF_MAX 0.6      /* IPCC 2006 Table 4.3 values lie within 0.43-0.55 */
#define FANG_A_MAX 5.0  /* t/m³; published slopes are about 0.3-1.4 */
#define FANG_B_ABS 200.0
#define GROWTH_MAX 50.0 /* t d.m./ha/yr; IPCC plantation ranges stay well below */

/* ---- table life cycle ------------------------------------------------------------ */

int epv__params_new(epv_ctx *ctx, epv_params **out)
{
    *out = NULL;
    epv_params *p = epv__calloc(ctx, 1, sizeof *p);
    if (!p) return EPV_ENOMEM;
    p->ctx = ctx;
    *out = p;
    return EPV_OK;
}

static void free_sources(epv_params *p)
{
    for (size_t i = 0; i < p->nsources; i++) {
        epv__free(p->ctx, (char *)p->sources[i].id);
        epv__free(p->ctx, (char *)p->sources[i].citation);
    }
    epv__free(p->ctx, p->sources);
}

EPV_API void epv_params_free(epv_params *params)
{
    if (!params) return;
    free_sources(params);
    epv__free(params->ctx, params->species);
    epv__free(params->ctx, params->growth);
    epv__free(params->ctx, params);
}

int epv__params_clone(epv_ctx *ctx, const epv_params *src, epv_params **out)
{
    epv_params *p;
    int rc = epv__params_new(ctx, &p);
    if (rc) return rc;
    if (src->nspecies) {
        if ((rc = epv__grow(ctx, (void **)&p->species, &p->capspecies, src->nspecies, sizeof *p->species)))
            goto fail;
        memcpy(p->species, src->species, src->nspecies * sizeof *p->species);
        p->nspecies = src->nspecies;
    }
    if (src->ngrowth) {
        if ((rc = epv__grow(ctx, (void **)&p->growth, &p->capgrowth, src->ngrowth, sizeof *p->growth)))
            goto fail;
        memcpy(p->growth, src->growth, src->ngrowth * sizeof *p->growth);
        p->ngrowth = src->ngrowth;
    }
    for (size_t i = 0; i < src->nsources; i++)
        if ((rc = epv__params_add_source(ctx, p, src->sources[i].id, src->sources[i].citation))) goto fail;
    *out = p;
    return EPV_OK;
fail:
    epv_params_free(p);
    *out = NULL;
    return rc;
}

void epv__params_swap_free(epv_params *dst, epv_params *src)
{
    epv_params old = *dst;
    *dst = *src;
    dst->ctx = old.ctx;
    *src = old;
    src->ctx = old.ctx;
    epv_params_free(src);
}

/* ---- sources --------------------------------------------------------------------- */

const epv_params_source *epv__params_source(const epv_params *p, const char *id)
{
    for (size_t i = 0; i < p->nsources; i++)
        if (strcmp(p->sources[i].id, id) == 0) return &p->sources[i];
    return NULL;
}

int epv__params_add_source(epv_ctx *ctx, epv_params *p, const char *id, const char *citation)
{
    if (epv__grow(ctx, (void **)&p->sources, &p->capsources, p->nsources + 1, sizeof *p->sources))
        return EPV_ENOMEM;
    char *i = epv__strdup(ctx, id), *c = epv__strdup(ctx, citation);
    if (!i || !c) {
        epv__free(ctx, i);
        epv__free(ctx, c);
        return EPV_ENOMEM;
    }
    p->sources[p->nsources].id = i;
    p->sources[p->nsources].citation = c;
    p->nsources++;
    return EPV_OK;
}

/* ---- checks ---------------------------------------------------------------------- */

/* Length of s, looking at no more than max bytes (fixed-size fields may lack a NUL). */
static size_t bounded_len(const char *s, size_t max)
{
    size_t n = 0;
    while (n < max && s[n]) n++;
    return n;
}

static const char *where_prefix(struct epv__where w, char *buf, size_t n)
{
    if (w.file)
        snprintf(buf, n, "%s:%ld: ", w.file, w.line);
    else
        buf[0] = '\0';
    return buf;
}

/* A fixed-size string field must be NUL-terminated within its array. */
static int check_str(epv_ctx *ctx, const char *pre, const char *what, const char *key, const char *field,
                     const char *s, int required)
{
    size_t n = bounded_len(s, EPV_PARAMS_NAME_MAX);
    if (n == EPV_PARAMS_NAME_MAX)
        return epv__error(ctx, EPV_EINVAL, "%s%s '%.40s': %s: longer than %d bytes", pre, what, key, field,
                          EPV_PARAMS_NAME_MAX - 1);
    if (required && n == 0) return epv__error(ctx, EPV_EINVAL, "%s%s '%.40s': %s: empty", pre, what, key, field);
    return EPV_OK;
}

static int check_id(epv_ctx *ctx, const char *pre, const char *what, const char *key, const char *field,
                    const char *s)
{
    int rc = check_str(ctx, pre, what, key, field, s, 1);
    if (rc) return rc;
    for (const char *c = s; *c; c++)
        if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '_' || *c == '.' || *c == '-'))
            return epv__error(ctx, EPV_EINVAL, "%s%s '%.40s': %s: '%.40s' is not an id (a-z, 0-9, _ . -)",
                              pre, what, key, field, s);
    return EPV_OK;
}

static int check_range(epv_ctx *ctx, const char *pre, const char *what, const char *key, const char *field,
                       double v, double lo, double hi, int lo_open, const char *unit)
{
    if (!isfinite(v))
        return epv__error(ctx, EPV_ERANGE, "%s%s '%.40s': %s: value is not a finite number", pre, what, key, field);
    if (v < lo || v > hi || (lo_open && v == lo))
        return epv__error(ctx, EPV_ERANGE, "%s%s '%.40s': %s: %g is outside %c%g, %g] %s", pre, what, key, field,
                          v, lo_open ? '(' : '[', lo, hi, unit);
    return EPV_OK;
}

static int check_source_ref(epv_ctx *ctx, const epv_params *p, const char *pre, const char *what,
                            const char *key, const char *field, const char *id)
{
    int rc = check_id(ctx, pre, what, key, field, id);
    if (rc) return rc;
    if (!epv__params_source(p, id))
        return epv__error(ctx, EPV_ENOTFOUND, "%s%s '%.40s': %s: source '%s' is not declared in <sources>", pre,
                          what, key, field, id);
    return EPV_OK;
}

int epv__params_check_species(epv_ctx *ctx, const epv_params *p, const struct epv__species_row *r,
                              struct epv__where where)
{
    char pre[300];
    where_prefix(where, pre, sizeof pre);
    const epv_params_species *s = &r->pub;
    int rc;
    if ((rc = check_id(ctx, pre, "species", s->code, "code", s->code))) return rc;
    const char *k = s->code;
    if ((rc = check_str(ctx, pre, "species", k, "name_zh", s->name_zh, 1))) return rc;
    if ((rc = check_str(ctx, pre, "species", k, "name_en", s->name_en, 1))) return rc;
    if (s->conifer != 0 && s->conifer != 1)
        return epv__error(ctx, EPV_EINVAL, "%sspecies '%s': conifer: must be 0 or 1", pre, k);
    if (s->provisional != 0 && s->provisional != 1)
        return epv__error(ctx, EPV_EINVAL, "%sspecies '%s': provisional: must be 0 or 1", pre, k);
    if ((rc = check_range(ctx, pre, "species", k, "wood_density", s->wood_density, DENSITY_MIN, DENSITY_MAX, 0,
                          "t/m3")))
        return rc;
    if ((rc = check_range(ctx, pre, "species", k, "bef", s->bef, BEF_MIN, BEF_MAX, 0, "(dimensionless)")))
        return rc;
    if ((rc = check_range(ctx, pre, "species", k, "root_shoot", s->root_shoot, R_MIN, R_MAX, 0, "(dimensionless)")))
        return rc;
    if ((rc = check_range(ctx, pre, "species", k, "carbon_fraction", s->carbon_fraction, CF_MIN, CF_MAX, 0,
                          "t C/t d.m.")))
        return rc;
    if ((rc = check_source_ref(ctx, p, pre, "species", k, "source", s->source))) return rc;
    int has_a = !isnan(s->fang_a), has_b = !isnan(s->fang_b);
    if (has_a != has_b)
        return epv__error(ctx, EPV_EINVAL, "%sspecies '%s': %s: Fang's a and b must be given together", pre, k,
                          has_a ? "fang_b" : "fang_a");
    if (has_a) {
        if ((rc = check_range(ctx, pre, "species", k, "fang_a", s->fang_a, 0.0, FANG_A_MAX, 1, "t/m3"))) return rc;
        if ((rc = check_range(ctx, pre, "species", k, "fang_b", s->fang_b, -FANG_B_ABS, FANG_B_ABS, 0, "t/ha")))
            return rc;
        if (s->fang_source[0] == '\0')
            return epv__error(ctx, EPV_EINVAL, "%sspecies '%s': fang_source: missing (Fang's a and b need a source)",
                              pre, k);
        if ((rc = check_source_ref(ctx, p, pre, "species", k, "fang_source", s->fang_source))) return rc;
    } else if ((rc = check_str(ctx, pre, "species", k, "fang_source", s->fang_source, 0))) {
        return rc;
    }
    for (int f = 0; f < EPV__F_COUNT; f++) {
        if ((f == EPV__F_FANG_A || f == EPV__F_FANG_B) && !has_a) continue;
        char field[64];
        snprintf(field, sizeof field, "%s_source", epv__params_field_names[f]);
        if ((rc = check_source_ref(ctx, p, pre, "species", k, field, r->value_source[f]))) return rc;
    }
    return EPV_OK;
}

int epv__params_check_growth(epv_ctx *ctx, const epv_params *p, const epv_params_ipcc_growth *g, struct epv__where where)
{
    char pre[300], key[3 * EPV_PARAMS_NAME_MAX + 4];
    where_prefix(where, pre, sizeof pre);
    int rc;
    if ((rc = check_id(ctx, pre, "ipcc_growth", g->zone, "zone", g->zone))) return rc;
    if ((rc = check_id(ctx, pre, "ipcc_growth", g->zone, "region", g->region))) return rc;
    if ((rc = check_id(ctx, pre, "ipcc_growth", g->zone, "forest_type", g->forest_type))) return rc;
    snprintf(key, sizeof key, "%s/%s/%s", g->zone, g->region, g->forest_type);
    if (g->provisional != 0 && g->provisional != 1)
        return epv__error(ctx, EPV_EINVAL, "%sipcc_growth '%s': provisional: must be 0 or 1", pre, key);
    if ((rc = check_range(ctx, pre, "ipcc_growth", key, "growth", g->growth_t_dm_ha_yr, 0.0, GROWTH_MAX, 0,
                          "t d.m./ha/yr")))
        return rc;
    if (!isnan(g->growth_min)) {
        if ((rc = check_range(ctx, pre, "ipcc_growth", key, "growth_min", g->growth_min, 0.0, g->growth_t_dm_ha_yr,
                              0, "t d.m./ha/yr (0 to growth)")))
            return rc;
    }
    if (!isnan(g->growth_max)) {
        if ((rc = check_range(ctx, pre, "ipcc_growth", key, "growth_max", g->growth_max, g->growth_t_dm_ha_yr,
                              GROWTH_MAX, 0, "t d.m./ha/yr (growth to 50)")))
            return rc;
    }
    if (!isnan(g->root_shoot)) {
        if ((rc = check_range(ctx, pre, "ipcc_growth", key, "root_shoot", g->root_shoot, R_MIN, R_MAX, 0,
                              "(dimensionless)")))
            return rc;
    }
    return check_source_ref(ctx, p, pre, "ipcc_growth", key, "source", g->source);
}

/* ---- rows ------------------------------------------------------------------------ */

struct epv__species_row *epv__params_species_row(const epv_params *p, const char *code)
{
    for (size_t i = 0; i < p->nspecies; i++)
        if (strcmp(p->species[i].pub.code, code) == 0) return &p->species[i];
    return NULL;
}

epv_params_ipcc_growth *epv__params_growth_row(const epv_params *p, const char *zone, const char *region, const char *type)
{
    for (size_t i = 0; i < p->ngrowth; i++) {
        epv_params_ipcc_growth *g = &p->growth[i];
        if (strcmp(g->zone, zone) == 0 && strcmp(g->region, region) == 0 && strcmp(g->forest_type, type) == 0)
            return g;
    }
    return NULL;
}

int epv__params_put_species(epv_ctx *ctx, epv_params *p, const struct epv__species_row *r)
{
    struct epv__species_row *old = epv__params_species_row(p, r->pub.code);
    if (old) {
        *old = *r;
        return EPV_OK;
    }
    if (epv__grow(ctx, (void **)&p->species, &p->capspecies, p->nspecies + 1, sizeof *p->species))
        return EPV_ENOMEM;
    p->species[p->nspecies++] = *r;
    return EPV_OK;
}

int epv__params_put_growth(epv_ctx *ctx, epv_params *p, const epv_params_ipcc_growth *g)
{
    epv_params_ipcc_growth *old = epv__params_growth_row(p, g->zone, g->region, g->forest_type);
    if (old) {
        *old = *g;
        return EPV_OK;
    }
    if (epv__grow(ctx, (void **)&p->growth, &p->capgrowth, p->ngrowth + 1, sizeof *p->growth)) return EPV_ENOMEM;
    p->growth[p->ngrowth++] = *g;
    return EPV_OK;
}

/* ---- public API: species ---------------------------------------------------------- */

EPV_API size_t epv_params_species_count(const epv_params *params) { return params ? params->nspecies : 0; }

EPV_API int epv_params_species_at(epv_ctx *ctx, const epv_params *params, size_t i, epv_params_species *out)
{
    if (!params || !out) return epv__error(ctx, EPV_EINVAL, "species_at: NULL argument");
    { int rcv = epv__check_version(ctx, "epv_params_species", out, EPV_PARAMS_SPECIES_VERSION); if (rcv) return rcv; }
    if (i >= params->nspecies)
        return epv__error(ctx, EPV_ERANGE, "species_at: index %zu is out of range (%zu rows)", i, params->nspecies);
    *out = params->species[i].pub;
    out->version = EPV_PARAMS_SPECIES_VERSION;
    return EPV_OK;
}

/* ASCII case-insensitive comparison (English and Latin names are matched regardless of case;
 * codes and Chinese names exactly). */
static int ascii_casecmp(const char *a, const char *b)
{
    for (;; a++, b++) {
        int ca = (unsigned char)*a, cb = (unsigned char)*b;
        if (ca >= 'A' && ca <= 'Z') ca += 'a' - 'A';
        if (cb >= 'A' && cb <= 'Z') cb += 'a' - 'A';
        if (ca != cb || !ca) return ca - cb;
    }
}

static struct epv__species_row *find_species(const epv_params *p, const char *key)
{
    struct epv__species_row *r = epv__params_species_row(p, key);
    if (r) return r;
    for (size_t i = 0; i < p->nspecies; i++)
        if (strcmp(p->species[i].pub.name_zh, key) == 0) return &p->species[i];
    for (size_t i = 0; i < p->nspecies; i++)
        if (ascii_casecmp(p->species[i].pub.name_en, key) == 0) return &p->species[i];
    return NULL;
}

EPV_API int epv_params_species_find(epv_ctx *ctx, const epv_params *params, const char *key, epv_params_species *out)
{
    if (!params || !key || !out) return epv__error(ctx, EPV_EINVAL, "species: NULL argument");
    { int rcv = epv__check_version(ctx, "epv_params_species", out, EPV_PARAMS_SPECIES_VERSION); if (rcv) return rcv; }
    const struct epv__species_row *r = find_species(params, key);
    if (!r) return epv__error(ctx, EPV_ENOTFOUND, "species: unknown '%.80s'", key);
    *out = r->pub;
    out->version = EPV_PARAMS_SPECIES_VERSION;
    return EPV_OK;
}

EPV_API int epv_params_species_set(epv_ctx *ctx, epv_params *params, const epv_params_species *row)
{
    if (!params || !row) return epv__error(ctx, EPV_EINVAL, "species_set: NULL argument");
    { int rcv = epv__check_version(ctx, "epv_params_species", row, EPV_PARAMS_SPECIES_VERSION); if (rcv) return rcv; }
    struct epv__species_row r;
    memset(&r, 0, sizeof r);
    r.pub = *row;
    /* Values set together share the row's sources. */
    for (int f = 0; f < EPV__F_COUNT; f++) {
        const char *src = (f == EPV__F_FANG_A || f == EPV__F_FANG_B) ? row->fang_source : row->source;
        memcpy(r.value_source[f], src, EPV_PARAMS_NAME_MAX);
    }
    struct epv__where w = { NULL, 0 };
    int rc = epv__params_check_species(ctx, params, &r, w);
    if (rc) return rc;
    return epv__params_put_species(ctx, params, &r);
}

int epv__params_field_index(const char *field)
{
    for (int f = 0; f < EPV__F_COUNT; f++)
        if (strcmp(field, epv__params_field_names[f]) == 0) return f;
    return -1;
}

EPV_API int epv_params_species_override(epv_ctx *ctx, epv_params *params, const char *species, const char *field,
                                        double value, const char *source)
{
    if (!params || !species || !field || !source)
        return epv__error(ctx, EPV_EINVAL, "species_override: NULL argument");
    struct epv__species_row *r = find_species(params, species);
    if (!r) return epv__error(ctx, EPV_ENOTFOUND, "species: unknown '%.80s'", species);
    int f = epv__params_field_index(field);
    if (f < 0)
        return epv__error(ctx, EPV_EINVAL,
                          "species '%s': field '%.40s' is unknown (wood_density, bef, root_shoot, carbon_fraction, "
                          "fang_a, fang_b)",
                          r->pub.code, field);
    if (bounded_len(source, EPV_PARAMS_NAME_MAX) == EPV_PARAMS_NAME_MAX)
        return epv__error(ctx, EPV_EINVAL, "species '%s': %s: source id longer than %d bytes", r->pub.code, field,
                          EPV_PARAMS_NAME_MAX - 1);
    /* Check on a copy: on any error the table is unchanged. */
    struct epv__species_row c = *r;
    double *slot[EPV__F_COUNT] = { &c.pub.wood_density, &c.pub.bef,    &c.pub.root_shoot,
                                   &c.pub.carbon_fraction, &c.pub.fang_a, &c.pub.fang_b };
    *slot[f] = value;
    snprintf(c.value_source[f], EPV_PARAMS_NAME_MAX, "%s", source);
    /* The recorded uncertainty belonged to the old value and its source: drop it. */
    c.has_u[f] = 0;
    /* A row without Fang coefficients cannot gain one of the pair here (a and b go
     * together): the check below refuses it; use epv_params_species_set() instead. */
    struct epv__where w = { NULL, 0 };
    int rc = epv__params_check_species(ctx, params, &c, w);
    if (rc) return rc;
    *r = c;
    return EPV_OK;
}

EPV_API int epv_params_species_value_source(epv_ctx *ctx, const epv_params *params, const char *species,
                                            const char *field, const char **source_out)
{
    if (!params || !species || !field || !source_out)
        return epv__error(ctx, EPV_EINVAL, "species_value_source: NULL argument");
    const struct epv__species_row *r = find_species(params, species);
    if (!r) return epv__error(ctx, EPV_ENOTFOUND, "species: unknown '%.80s'", species);
    int f = epv__params_field_index(field);
    if (f < 0) return epv__error(ctx, EPV_EINVAL, "species '%s': field '%.40s' is unknown", r->pub.code, field);
    *source_out = r->value_source[f];
    return EPV_OK;
}

/* ---- public API: IPCC growth and sources ------------------------------------------ */

EPV_API size_t epv_params_ipcc_growth_count(const epv_params *params) { return params ? params->ngrowth : 0; }

EPV_API int epv_params_ipcc_growth_at(epv_ctx *ctx, const epv_params *params, size_t i, epv_params_ipcc_growth *out)
{
    if (!params || !out) return epv__error(ctx, EPV_EINVAL, "ipcc_growth_at: NULL argument");
    { int rcv = epv__check_version(ctx, "epv_params_ipcc_growth", out, EPV_PARAMS_IPCC_GROWTH_VERSION); if (rcv) return rcv; }
    if (i >= params->ngrowth)
        return epv__error(ctx, EPV_ERANGE, "ipcc_growth_at: index %zu is out of range (%zu rows)", i, params->ngrowth);
    *out = params->growth[i];
    out->version = EPV_PARAMS_IPCC_GROWTH_VERSION;
    return EPV_OK;
}

EPV_API int epv_params_ipcc_growth_set(epv_ctx *ctx, epv_params *params, const epv_params_ipcc_growth *row)
{
    EPV__NEED(ctx, params, "params");
    EPV__NEED(ctx, row, "row");
    { int rcv = epv__check_version(ctx, "epv_params_ipcc_growth", row, EPV_PARAMS_IPCC_GROWTH_VERSION); if (rcv) return rcv; }
    epv_params_ipcc_growth g = *row;
    g.version = EPV_PARAMS_IPCC_GROWTH_VERSION;
    struct epv__where w = { NULL, 0 };
    int rc = epv__params_check_growth(ctx, params, &g, w);
    if (rc) return rc;
    return epv__params_put_growth(ctx, params, &g);
}

EPV_API int epv_params_ipcc_growth_find(epv_ctx *ctx, const epv_params *params, const char *zone, const char *region,
                                        const char *forest_type, epv_params_ipcc_growth *out)
{
    if (!params || !zone || !region || !forest_type || !out)
        return epv__error(ctx, EPV_EINVAL, "ipcc_growth: NULL argument");
    { int rcv = epv__check_version(ctx, "epv_params_ipcc_growth", out, EPV_PARAMS_IPCC_GROWTH_VERSION); if (rcv) return rcv; }
    const epv_params_ipcc_growth *g = epv__params_growth_row(params, zone, region, forest_type);
    if (!g)
        return epv__error(ctx, EPV_ENOTFOUND, "ipcc_growth: no row for zone '%.60s', region '%.60s', forest_type '%.60s'",
                          zone, region, forest_type);
    *out = *g;
    out->version = EPV_PARAMS_IPCC_GROWTH_VERSION;
    return EPV_OK;
}

EPV_API size_t epv_params_source_count(const epv_params *params) { return params ? params->nsources : 0; }

EPV_API int epv_params_source_at(epv_ctx *ctx, const epv_params *params, size_t i, epv_params_source *out)
{
    if (!params || !out) return epv__error(ctx, EPV_EINVAL, "source_at: NULL argument");
    { int rcv = epv__check_version(ctx, "epv_params_source", out, EPV_PARAMS_SOURCE_VERSION); if (rcv) return rcv; }
    if (i >= params->nsources)
        return epv__error(ctx, EPV_ERANGE, "source_at: index %zu is out of range (%zu sources)", i, params->nsources);
    *out = params->sources[i];
    out->version = EPV_PARAMS_SOURCE_VERSION;
    return EPV_OK;
}

EPV_API int epv_params_source_find(epv_ctx *ctx, const epv_params *params, const char *id, epv_params_source *out)
{
    if (!params || !id || !out) return epv__error(ctx, EPV_EINVAL, "source: NULL argument");
    { int rcv = epv__check_version(ctx, "epv_params_source", out, EPV_PARAMS_SOURCE_VERSION); if (rcv) return rcv; }
    const epv_params_source *s = epv__params_source(params, id);
    if (!s) return epv__error(ctx, EPV_ENOTFOUND, "source: unknown '%.80s'", id);
    *out = *s;
    out->version = EPV_PARAMS_SOURCE_VERSION;
    return EPV_OK;
}

/* ---- uncertainties of values ---------------------------------------------------------- */

/* Upper bound for a value's U%: IPCC ranges reach about ±100% for some factors; 200 leaves
 * room for lognormal-type ranges and still catches a slip such as a fraction for a percent
 * the other way (5.3 vs 0.053 is not catchable, 530 is). */
#define U_PCT_MAX 200.0

int epv__params_set_u(epv_ctx *ctx, const epv_params *p, struct epv__species_row *r, int f, double u_pct,
                      const char *source, int provisional, struct epv__where where)
{
    char pre[300];
    where_prefix(where, pre, sizeof pre);
    const char *k = r->pub.code, *field = epv__params_field_names[f];
    char what[80];
    snprintf(what, sizeof what, "%s u_pct", field);
    int rc = check_range(ctx, pre, "species", k, what, u_pct, 0.0, U_PCT_MAX, 1, "percent");
    if (rc) return rc;
    if ((f == EPV__F_FANG_A || f == EPV__F_FANG_B) && isnan(r->pub.fang_a))
        return epv__error(ctx, EPV_EINVAL, "%sspecies '%s': %s: no Fang coefficients to attach an uncertainty to", pre,
                          k, field);
    snprintf(what, sizeof what, "%s uncertainty source", field);
    if ((rc = check_source_ref(ctx, p, pre, "species", k, what, source))) return rc;
    r->has_u[f] = 1;
    r->u_pct[f] = u_pct;
    r->u_provisional[f] = provisional != 0;
    snprintf(r->u_source[f], EPV_PARAMS_NAME_MAX, "%s", source);
    return EPV_OK;
}

EPV_API int epv_params_species_uncertainty(epv_ctx *ctx, const epv_params *params, const char *species,
                                           const char *field, epv_params_value_uncertainty *out)
{
    if (!params || !species || !field || !out)
        return epv__error(ctx, EPV_EINVAL, "species_uncertainty: NULL argument");
    { int rcv = epv__check_version(ctx, "epv_params_value_uncertainty", out, EPV_PARAMS_VALUE_UNCERTAINTY_VERSION); if (rcv) return rcv; }
    const struct epv__species_row *r = find_species(params, species);
    if (!r) return epv__error(ctx, EPV_ENOTFOUND, "species: unknown '%.80s'", species);
    int f = epv__params_field_index(field);
    if (f < 0) return epv__error(ctx, EPV_EINVAL, "species '%s': field '%.40s' is unknown", r->pub.code, field);
    if (!r->has_u[f])
        return epv__error(ctx, EPV_ENOTFOUND, "species '%s': %s: no uncertainty recorded", r->pub.code, field);
    out->u_pct = r->u_pct[f];
    out->source = r->u_source[f];
    out->provisional = r->u_provisional[f];
    return EPV_OK;
}

EPV_API int epv_params_species_set_uncertainty(epv_ctx *ctx, epv_params *params, const char *species,
                                               const char *field, double u_pct, const char *source, int provisional)
{
    if (!params || !species || !field || !source)
        return epv__error(ctx, EPV_EINVAL, "species_set_uncertainty: NULL argument");
    struct epv__species_row *r = find_species(params, species);
    if (!r) return epv__error(ctx, EPV_ENOTFOUND, "species: unknown '%.80s'", species);
    int f = epv__params_field_index(field);
    if (f < 0) return epv__error(ctx, EPV_EINVAL, "species '%s': field '%.40s' is unknown", r->pub.code, field);
    if (bounded_len(source, EPV_PARAMS_NAME_MAX) == EPV_PARAMS_NAME_MAX)
        return epv__error(ctx, EPV_EINVAL, "species '%s': %s uncertainty source: longer than %d bytes", r->pub.code,
                          field, EPV_PARAMS_NAME_MAX - 1);
    struct epv__species_row c = *r;
    struct epv__where w = { NULL, 0 };
    int rc = epv__params_set_u(ctx, params, &c, f, u_pct, source, provisional, w);
    if (rc) return rc;
    *r = c;
    return EPV_OK;
}

/* ---- versioned structs ------------------------------------------------------------------ */

EPV__DEFINE_INIT(epv_params_ipcc_growth, EPV_PARAMS_IPCC_GROWTH_VERSION, EPV_PARAMS_IPCC_GROWTH_INIT)
EPV__DEFINE_INIT(epv_params_source, EPV_PARAMS_SOURCE_VERSION, EPV_PARAMS_SOURCE_INIT)
EPV__DEFINE_INIT(epv_params_value_uncertainty, EPV_PARAMS_VALUE_UNCERTAINTY_VERSION,
                 EPV_PARAMS_VALUE_UNCERTAINTY_INIT)

/* The species initialiser also marks the Fang coefficients absent (NaN), which the C89
 * macro cannot express. */
EPV_API int epv_params_species_init(epv_ctx *ctx, epv_params_species *x, unsigned int version)
{
    static const epv_params_species init_value = EPV_PARAMS_SPECIES_INIT;
    int rc = epv__struct_init(ctx, "epv_params_species", x, &init_value, sizeof init_value, version,
                              EPV_PARAMS_SPECIES_VERSION);
    if (rc) return rc;
    x->fang_a = NAN;
    x->fang_b = NAN;
    return EPV_OK;
}
