/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Forest inventories into projects (include/epv/compartment.h): sub-compartment records read
 * from CSV or arrays (GDAL vector layers: compartment_vector.c), checked by the one shared
 * record check (epv__comp_check), grouped into sink strata by stated rules, with the link from every
 * stratum back to its records. */
#include "config.h"
#include "csv_int.h"
#include "compartment_int.h"
#include "sink_int.h"
#include "epv/compartment.h"
#include "epv/unit.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define COMP_AGE_MAX 500
#define COMP_VOLUME_MAX 5000.0
#define COMP_SITE_MAX 5

EPV__DEFINE_INIT(epv_compartment, EPV_COMPARTMENT_VERSION, EPV_COMPARTMENT_INIT)
EPV__DEFINE_INIT(epv_compartment_rules, EPV_COMPARTMENT_RULES_VERSION, EPV_COMPARTMENT_RULES_INIT)
EPV__DEFINE_INIT(epv_compartment_curve, EPV_COMPARTMENT_CURVE_VERSION, EPV_COMPARTMENT_CURVE_INIT)

struct map_stratum {
    char id[64];
    size_t *idx;
    size_t n;
};

struct epv_compartment_map {
    epv_ctx *ctx;
    struct map_stratum *s;
    size_t n;
    size_t *all; /* one block holding every stratum's indices */
};

const char *const epv__comp_field_name[EPV__COMP_NFIELDS] = { "id", "species", "origin", "age",
                                                             "area_ha", "volume_m3_ha", "site_class" };

/* "the parameter table knows: code (中文), ..." listing the table's rows. */
static void known_species(const epv_params *params, char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < epv_params_species_count(params) && used + 1 < len; i++) {
        epv_params_species s = EPV_PARAMS_SPECIES_INIT;
        if (epv_params_species_at(NULL, params, i, &s)) continue;
        int w = snprintf(buf + used, len - used, "%s%s (%s)", i ? ", " : "", s.code, s.name_zh);
        if (w < 0 || (size_t)w >= len - used) {
            if (len > 4) memcpy(buf + len - 4, "...", 4);
            return;
        }
        used += (size_t)w;
    }
}

/* Format a check's reason into msg and return code. */
static int why(char *msg, size_t len, epv__comp_field *bad, epv__comp_field f, int code, const char *fmt, ...)
    EPV__PRINTF(6, 7);
static int why(char *msg, size_t len, epv__comp_field *bad, epv__comp_field f, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, len, fmt, ap);
    va_end(ap);
    *bad = f;
    return code;
}

int epv__comp_check(const epv_params *params, const epv__comp_in *in, epv_compartment *out, epv__comp_field *bad,
                    char *msg, size_t len)
{
    epv_compartment r = EPV_COMPARTMENT_INIT;
    epv_params_species sp = EPV_PARAMS_SPECIES_INIT;
    size_t idlen = in->id ? strlen(in->id) : 0;
    if (idlen == 0) return why(msg, len, bad, EPV__COMP_ID, EPV_EINVAL, "empty; every record needs an id");
    if (idlen >= sizeof r.id)
        return why(msg, len, bad, EPV__COMP_ID, EPV_ERANGE, "'%.40s...' is longer than %zu bytes", in->id, sizeof r.id - 1);
    memcpy(r.id, in->id, idlen + 1);
    const char *spt = in->species ? in->species : "";
    /* A name longer than the record's field cannot be in the table either. */
    if (strlen(spt) >= sizeof r.species || epv_params_species_find(NULL, params, spt, &sp)) {
        char known[1500];
        known_species(params, known, sizeof known);
        return why(msg, len, bad, EPV__COMP_SPECIES, EPV_ENOTFOUND, "unknown species '%.63s'; the parameter table knows: %s",
                   spt, known);
    }
    snprintf(r.species, sizeof r.species, "%s", sp.code);
    if (in->origin_text) {
        const char *t = in->origin_text;
        if (strcmp(t, "plantation") == 0 || strcmp(t, "人工") == 0) r.origin = EPV_PROJECT_PLANTATION;
        else if (strcmp(t, "natural") == 0 || strcmp(t, "天然") == 0) r.origin = EPV_PROJECT_NATURAL;
        else
            return why(msg, len, bad, EPV__COMP_ORIGIN, EPV_EPARSE, "'%.40s' is neither plantation (人工) nor natural (天然)", t);
    } else if (in->origin == EPV_PROJECT_PLANTATION || in->origin == EPV_PROJECT_NATURAL) {
        r.origin = (epv_project_origin)in->origin;
    } else {
        return why(msg, len, bad, EPV__COMP_ORIGIN, EPV_EINVAL, "%d is not a known origin", in->origin);
    }
    if (in->age < 0 || in->age > COMP_AGE_MAX)
        return why(msg, len, bad, EPV__COMP_AGE, EPV_ERANGE, "%lld is outside [0, %d] years", (long long)in->age,
                   COMP_AGE_MAX);
    r.age = (int)in->age;
    /* !(x > 0) and !(x >= 0) refuse NaN too. */
    if (!(in->area_ha > 0))
        return why(msg, len, bad, EPV__COMP_AREA, EPV_ERANGE, "%g ha: an area must be greater than zero", in->area_ha);
    if (in->area_ha > EPV_PROJECT_AREA_MAX_HA)
        return why(msg, len, bad, EPV__COMP_AREA, EPV_ERANGE, "%g ha is above the largest area a record may have, %g ha",
                   in->area_ha, EPV_PROJECT_AREA_MAX_HA);
    r.area_ha = in->area_ha;
    if (!(in->volume_m3_ha >= 0) || in->volume_m3_ha > COMP_VOLUME_MAX)
        return why(msg, len, bad, EPV__COMP_VOLUME, EPV_ERANGE, "%g m³/ha is outside [0, %g]", in->volume_m3_ha,
                   COMP_VOLUME_MAX);
    r.volume_m3_ha = in->volume_m3_ha;
    if (in->site_class < 0 || in->site_class > COMP_SITE_MAX)
        return why(msg, len, bad, EPV__COMP_SITE, EPV_ERANGE, "%lld is outside [0, %d] (0: unknown)",
                   (long long)in->site_class, COMP_SITE_MAX);
    r.site_class = (int)in->site_class;
    *out = r;
    return EPV_OK;
}

int epv__comp_set_new(epv_ctx *ctx, epv_compartment_set **out)
{
    epv_compartment_set *s = epv__calloc(ctx, 1, sizeof *s);
    if (!s) return EPV_ENOMEM;
    s->ctx = ctx;
    *out = s;
    return EPV_OK;
}

int epv__comp_set_push(epv_compartment_set *s, const epv_compartment *r)
{
    int rc = epv__grow(s->ctx, (void **)&s->rec, &s->cap, s->n + 1, sizeof *s->rec);
    if (rc) return rc;
    s->rec[s->n++] = *r;
    return EPV_OK;
}

EPV_API void epv_compartment_set_free(epv_compartment_set *set)
{
    if (!set) return;
    epv__free(set->ctx, set->rec);
    epv__free(set->ctx, set);
}

EPV_API size_t epv_compartment_count(const epv_compartment_set *set) { return set ? set->n : 0; }

EPV_API int epv_compartment_at(epv_ctx *ctx, const epv_compartment_set *set, size_t i, epv_compartment *out)
{
    EPV__NEED(ctx, set, "set");
    EPV__NEED(ctx, out, "out");
    int rc = epv__check_version(ctx, "epv_compartment", out, EPV_COMPARTMENT_VERSION);
    if (rc) return rc;
    if (i >= set->n) return epv__error(ctx, EPV_ERANGE, "compartment index %zu: set has %zu records", i, set->n);
    *out = set->rec[i];
    return EPV_OK;
}

struct idref {
    const char *id;
    size_t i;
};

static int by_id(const void *a, const void *b)
{
    const struct idref *x = a, *y = b;
    int c = strcmp(x->id, y->id);
    return c ? c : (x->i < y->i ? -1 : x->i > y->i);
}

int epv__comp_find_repeat(epv_ctx *ctx, const epv_compartment_set *s, size_t *later, size_t *earlier)
{
    *later = *earlier = SIZE_MAX;
    if (s->n < 2) return EPV_OK;
    struct idref *ord = epv__malloc(ctx, s->n * sizeof *ord);
    if (!ord) return EPV_ENOMEM;
    for (size_t i = 0; i < s->n; i++) {
        ord[i].id = s->rec[i].id;
        ord[i].i = i;
    }
    qsort(ord, s->n, sizeof *ord, by_id);
    /* Equal ids sort by index, so ord[i - 1] is the earlier one; report the repeat that
     * comes first in the input, as a reader going down the file would meet it. */
    for (size_t i = 1; i < s->n; i++)
        if (strcmp(ord[i].id, ord[i - 1].id) == 0 && (*later == SIZE_MAX || ord[i].i < *later)) {
            *later = ord[i].i;
            *earlier = ord[i - 1].i;
        }
    epv__free(ctx, ord);
    return EPV_OK;
}

EPV_API int epv_compartment_read_csv(epv_ctx *ctx, const char *path, const char *encoding, const epv_params *params,
                                     epv_compartment_set **out)
{
    EPV__NEED(ctx, path, "path");
    EPV__NEED(ctx, params, "params");
    EPV__NEED(ctx, out, "out");
    *out = NULL;
    epv__csv *c = NULL;
    epv_compartment_set *s = NULL;
    size_t *lines = NULL, cap_lines = 0;
    char msg[EPV__COMP_MSG_MAX];
    int rc = epv__csv_open_file(ctx, path, encoding, &c);
    if (rc) return rc;
    size_t col[EPV__COMP_NFIELDS], c_ha, c_mu;
    const char *const *nm = epv__comp_field_name;
    if ((rc = epv__csv_col(ctx, c, nm[EPV__COMP_ID], 1, &col[EPV__COMP_ID])) ||
        (rc = epv__csv_col(ctx, c, nm[EPV__COMP_SPECIES], 1, &col[EPV__COMP_SPECIES])) ||
        (rc = epv__csv_col(ctx, c, nm[EPV__COMP_ORIGIN], 1, &col[EPV__COMP_ORIGIN])) ||
        (rc = epv__csv_col(ctx, c, nm[EPV__COMP_AGE], 1, &col[EPV__COMP_AGE])) ||
        (rc = epv__csv_col(ctx, c, nm[EPV__COMP_AREA], 0, &c_ha)) ||
        (rc = epv__csv_col(ctx, c, EPV__COMP_AREA_MU_NAME, 0, &c_mu)) ||
        (rc = epv__csv_col(ctx, c, nm[EPV__COMP_VOLUME], 1, &col[EPV__COMP_VOLUME])) ||
        (rc = epv__csv_col(ctx, c, nm[EPV__COMP_SITE], 0, &col[EPV__COMP_SITE])))
        goto done;
    if ((c_ha == SIZE_MAX) == (c_mu == SIZE_MAX)) {
        rc = epv__error(ctx, EPV_EPARSE, "%s: give exactly one of the columns 'area_ha' and 'area_mu'", path);
        goto done;
    }
    col[EPV__COMP_AREA] = c_ha != SIZE_MAX ? c_ha : c_mu;
    if ((rc = epv__comp_set_new(ctx, &s))) goto done;
    size_t nrows = epv__csv_nrows(c), row = 0;
    while ((rc = epv__csv_next(ctx, c)) == EPV_OK) {
        if (row % EPV__COMP_PROGRESS_EVERY == 0 &&
            (rc = epv__progress(ctx, nrows ? (double)row / nrows : 0, "compartment: reading")))
            goto done;
        row++;
        /* Parse every field's syntax here; its range is the shared check's. */
        epv__comp_in in = { NULL, NULL, NULL, 0, 0, 0, 0, 0 };
        double area = 0;
        if ((rc = epv__csv_text(ctx, c, col[EPV__COMP_ID], &in.id)) ||
            (rc = epv__csv_text(ctx, c, col[EPV__COMP_SPECIES], &in.species)) ||
            (rc = epv__csv_text(ctx, c, col[EPV__COMP_ORIGIN], &in.origin_text)) ||
            (rc = epv__csv_i64(ctx, c, col[EPV__COMP_AGE], INT64_MIN, INT64_MAX, &in.age)) ||
            (rc = epv__csv_double(ctx, c, col[EPV__COMP_AREA], -HUGE_VAL, HUGE_VAL, &area)) ||
            (rc = epv__csv_double(ctx, c, col[EPV__COMP_VOLUME], -HUGE_VAL, HUGE_VAL, &in.volume_m3_ha)))
            goto done;
        in.area_ha = c_ha != SIZE_MAX ? area : epv_unit_mu_to_ha(area);
        if (col[EPV__COMP_SITE] != SIZE_MAX && epv__csv_field(c, col[EPV__COMP_SITE])[0] &&
            (rc = epv__csv_i64(ctx, c, col[EPV__COMP_SITE], INT64_MIN, INT64_MAX, &in.site_class)))
            goto done;
        epv_compartment r;
        epv__comp_field bad;
        if ((rc = epv__comp_check(params, &in, &r, &bad, msg, sizeof msg))) {
            if (bad == EPV__COMP_AREA && c_ha == SIZE_MAX)
                rc = epv__csv_error(ctx, c, col[bad], rc, "%g mu = %s", area, msg);
            else
                rc = epv__csv_error(ctx, c, col[bad], rc, "%s", msg);
            goto done;
        }
        if ((rc = epv__comp_set_push(s, &r)) ||
            (rc = epv__grow(ctx, (void **)&lines, &cap_lines, s->n, sizeof *lines)))
            goto done;
        lines[s->n - 1] = epv__csv_line(c);
    }
    if (rc != EPV_ITEROVER) goto done;
    size_t a, b;
    if ((rc = epv__comp_find_repeat(ctx, s, &a, &b))) goto done;
    if (a != SIZE_MAX) {
        rc = epv__error(ctx, EPV_EEXISTS, "%s:%zu: column 'id': '%s' repeats the id of line %zu", path, lines[a],
                        s->rec[a].id, lines[b]);
        goto done;
    }
    rc = epv__progress(ctx, 1.0, "compartment: read");
done:
    epv__csv_free(c);
    epv__free(ctx, lines);
    if (rc) {
        epv_compartment_set_free(s);
        return rc;
    }
    *out = s;
    return EPV_OK;
}

EPV_API int epv_compartment_set_from_array(epv_ctx *ctx, const epv_compartment *records, size_t n,
                                           const epv_params *params, epv_compartment_set **out)
{
    EPV__NEED(ctx, params, "params");
    EPV__NEED(ctx, out, "out");
    *out = NULL;
    if (n && !records) return epv__error(ctx, EPV_EINVAL, "%s: records is NULL", __func__);
    epv_compartment_set *s = NULL;
    char msg[EPV__COMP_MSG_MAX];
    int rc = epv__comp_set_new(ctx, &s);
    if (rc) return rc;
    if (n && !(s->rec = epv__malloc(ctx, n * sizeof *s->rec))) {
        epv_compartment_set_free(s);
        return EPV_ENOMEM;
    }
    s->cap = n;
    for (size_t i = 0; i < n && !rc; i++) {
        const epv_compartment *r = &records[i];
        if ((rc = epv__check_version(ctx, "epv_compartment", r, EPV_COMPARTMENT_VERSION))) {
            epv__error_prefix(ctx, "record %zu", i);
            break;
        }
        /* An unterminated char array is a caller's bug, not data: say so before the rules. */
        if (!memchr(r->id, '\0', sizeof r->id)) {
            rc = epv__error(ctx, EPV_EINVAL, "record %zu: id: not NUL-terminated within %zu bytes", i, sizeof r->id);
            break;
        }
        epv__comp_in in = { r->id, memchr(r->species, '\0', sizeof r->species) ? r->species : "?", NULL, (int)r->origin,
                            r->age, r->area_ha, r->volume_m3_ha, r->site_class };
        epv__comp_field bad;
        if ((rc = epv__comp_check(params, &in, &s->rec[i], &bad, msg, sizeof msg))) {
            if (r->id[0])
                rc = epv__error(ctx, rc, "record %zu ('%s'): %s: %s", i, r->id, epv__comp_field_name[bad], msg);
            else
                rc = epv__error(ctx, rc, "record %zu: %s: %s", i, epv__comp_field_name[bad], msg);
            break;
        }
        s->n = i + 1;
    }
    size_t a, b;
    if (!rc && !(rc = epv__comp_find_repeat(ctx, s, &a, &b)) && a != SIZE_MAX)
        rc = epv__error(ctx, EPV_EEXISTS, "record %zu: id: '%s' repeats the id of record %zu", a, s->rec[a].id, b);
    if (rc) {
        epv_compartment_set_free(s);
        return rc;
    }
    *out = s;
    return EPV_OK;
}

/* ---- stratification ------------------------------------------------------------------- */

struct keyed {
    char key[64];
    size_t rec;
    int site; /* site class in the key (0 when by_site_class is off) */
};

static int by_key(const void *a, const void *b)
{
    const struct keyed *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    return c ? c : (x->rec < y->rec ? -1 : x->rec > y->rec);
}

EPV_API void epv_compartment_map_free(epv_compartment_map *map)
{
    if (!map) return;
    epv__free(map->ctx, map->all);
    epv__free(map->ctx, map->s);
    epv__free(map->ctx, map);
}

EPV_API size_t epv_compartment_map_strata(const epv_compartment_map *map) { return map ? map->n : 0; }

EPV_API const char *epv_compartment_map_stratum_id(const epv_compartment_map *map, size_t i)
{
    return map && i < map->n ? map->s[i].id : NULL;
}

EPV_API int epv_compartment_map_records(epv_ctx *ctx, const epv_compartment_map *map, const char *stratum_id,
                                        const size_t **records, size_t *n)
{
    EPV__NEED(ctx, map, "map");
    EPV__NEED(ctx, stratum_id, "stratum_id");
    EPV__NEED(ctx, records, "records");
    EPV__NEED(ctx, n, "n");
    for (size_t i = 0; i < map->n; i++)
        if (strcmp(map->s[i].id, stratum_id) == 0) {
            *records = map->s[i].idx;
            *n = map->s[i].n;
            return EPV_OK;
        }
    return epv__error(ctx, EPV_ENOTFOUND, "compartment map: no stratum '%.63s'", stratum_id);
}

/* Age-class width for a species code. */
static int width_for(epv_ctx *ctx, const epv_params *params, const epv_compartment_rules *r, const char *code,
                     epv_project_origin origin, int *w)
{
    for (size_t i = 0; i < r->n_width_species; i++) {
        epv_params_species sp = EPV_PARAMS_SPECIES_INIT;
        if (!r->width_species[i]) return epv__error(ctx, EPV_EINVAL, "rules.width_species[%zu]: NULL", i);
        int rc = epv_params_species_find(ctx, params, r->width_species[i], &sp);
        if (rc) {
            epv__error_prefix(ctx, "rules.width_species[%zu]", i);
            return rc;
        }
        if (r->width_years[i] <= 0)
            return epv__error(ctx, EPV_ERANGE, "rules.width_years[%zu]: %d must be > 0", i, r->width_years[i]);
        if (strcmp(sp.code, code) == 0) {
            *w = r->width_years[i];
            return EPV_OK;
        }
    }
    *w = origin == EPV_PROJECT_NATURAL ? r->width_natural : r->width_plantation;
    return EPV_OK;
}

static const epv_compartment_curve *curve_for(const epv_params *params, const epv_compartment_rules *r,
                                              const char *code, int site)
{
    const epv_compartment_curve *any = NULL;
    for (size_t i = 0; i < r->ncurves; i++) {
        epv_params_species sp = EPV_PARAMS_SPECIES_INIT;
        if (!r->curves[i].species || epv_params_species_find(NULL, params, r->curves[i].species, &sp)) continue;
        if (strcmp(sp.code, code) != 0) continue;
        if (site && r->curves[i].site_class == site) return &r->curves[i];
        if (r->curves[i].site_class == 0 && !any) any = &r->curves[i];
    }
    return any;
}

EPV_API int epv_compartment_stratify(epv_ctx *ctx, const epv_compartment_set *set, const epv_params *params,
                                     const epv_compartment_rules *r, epv_project *p, epv_compartment_map **out)
{
    EPV__NEED(ctx, set, "set");
    EPV__NEED(ctx, params, "params");
    EPV__NEED(ctx, r, "rules");
    EPV__NEED(ctx, p, "project");
    EPV__NEED(ctx, out, "out");
    *out = NULL;
    int rc = epv__check_version(ctx, "epv_compartment_rules", r, EPV_COMPARTMENT_RULES_VERSION);
    if (rc) return rc;
    if (r->width_plantation <= 0 || r->width_natural <= 0)
        return epv__error(ctx, EPV_ERANGE, "rules: age-class widths %d (plantation) and %d (natural) must be > 0",
                          r->width_plantation, r->width_natural);
    if (r->n_width_species && (!r->width_species || !r->width_years))
        return epv__error(ctx, EPV_EINVAL, "rules: n_width_species is %zu but width_species or width_years is NULL",
                          r->n_width_species);
    if (r->ncurves && !r->curves) return epv__error(ctx, EPV_EINVAL, "rules: ncurves is %zu but curves is NULL", r->ncurves);
    for (size_t i = 0; i < r->ncurves; i++)
        if ((rc = epv__check_version(ctx, "epv_compartment_curve", &r->curves[i], EPV_COMPARTMENT_CURVE_VERSION))) {
            epv__error_prefix(ctx, "rules.curves[%zu]", i);
            return rc;
        }
    if (r->inventory_year < 1800 || r->inventory_year > 2300)
        return epv__error(ctx, EPV_ERANGE, "rules.inventory_year: %d is outside 1800-2300 (the year whose end the ages describe)",
                          r->inventory_year);
    if (set->n == 0) return epv__error(ctx, EPV_ESTATE, "compartment set: no records");
    struct keyed *k = epv__malloc(ctx, set->n * sizeof *k);
    epv_compartment_map *m = epv__calloc(ctx, 1, sizeof *m);
    epv_project_stratum *made = NULL;
    double *vol = NULL;
    size_t before = p->nstrata;
    if (!k || !m) {
        rc = EPV_ENOMEM;
        goto fail;
    }
    m->ctx = ctx;
    /* 1. The key of every record. */
    for (size_t i = 0; i < set->n; i++) {
        if (i % EPV__COMP_PROGRESS_EVERY == 0 && (rc = epv__progress(ctx, 0.5 * (double)i / set->n, "compartment: grouping")))
            goto fail;
        const epv_compartment *x = &set->rec[i];
        int w = 0;
        if ((rc = width_for(ctx, params, r, x->species, x->origin, &w))) goto fail;
        int cls = x->age <= 0 ? 1 : (x->age - 1) / w + 1;
        char buf[160];
        int len = snprintf(buf, sizeof buf, "%s", x->species);
        if (r->by_origin) len += snprintf(buf + len, sizeof buf - (size_t)len, "/%s", x->origin == EPV_PROJECT_NATURAL ? "natural" : "plantation");
        if (r->by_age_class) len += snprintf(buf + len, sizeof buf - (size_t)len, "/a%d", cls);
        if (r->by_site_class) len += snprintf(buf + len, sizeof buf - (size_t)len, "/s%d", x->site_class);
        if (len > 63) {
            rc = epv__error(ctx, EPV_ERANGE, "record '%s': stratum id '%s' is longer than 63 bytes", x->id, buf);
            goto fail;
        }
        memcpy(k[i].key, buf, (size_t)len + 1);
        k[i].rec = i;
        k[i].site = r->by_site_class ? x->site_class : 0;
    }
    qsort(k, set->n, sizeof *k, by_key);
    /* 2. One stratum per key. */
    size_t ngroups = 0;
    for (size_t i = 0; i < set->n; i++)
        if (i == 0 || strcmp(k[i].key, k[i - 1].key) != 0) ngroups++;
    m->s = epv__calloc(ctx, ngroups, sizeof *m->s);
    m->all = epv__malloc(ctx, set->n * sizeof *m->all);
    made = epv__calloc(ctx, ngroups, sizeof *made);
    vol = epv__calloc(ctx, ngroups, sizeof *vol);
    if (!m->s || !m->all || !made || !vol) {
        rc = EPV_ENOMEM;
        goto fail;
    }
    size_t g = 0;
    for (size_t i = 0; i < set->n; g++) {
        size_t j = i;
        double area = 0, age = 0, v = 0;
        struct map_stratum *ms = &m->s[g];
        memcpy(ms->id, k[i].key, sizeof ms->id);
        ms->idx = m->all + i;
        for (; j < set->n && strcmp(k[j].key, k[i].key) == 0; j++) {
            const epv_compartment *x = &set->rec[k[j].rec];
            m->all[j] = k[j].rec;
            area += x->area_ha;
            age += x->area_ha * x->age;
            v += x->area_ha * x->volume_m3_ha;
        }
        ms->n = j - i;
        const epv_compartment *first = &set->rec[k[i].rec];
        const epv_compartment_curve *cv = curve_for(params, r, first->species, k[i].site);
        if (!cv) {
            rc = epv__error(ctx, EPV_ENOTFOUND, "stratum '%s': no growth curve for species '%s'%s%d (give one in rules.curves, "
                            "site_class 0 for any)", ms->id, first->species, " and site class ", k[i].site);
            goto fail;
        }
        epv_project_stratum *st = &made[g];
        epv_project_stratum init = EPV_PROJECT_STRATUM_INIT;
        *st = init;
        memcpy(st->id, ms->id, sizeof st->id);
        snprintf(st->species, sizeof st->species, "%s", first->species);
        st->area_ha = area;
        st->planting_year = r->inventory_year - (int)lround(age / area) + 1;
        st->curve = cv->curve;
        st->has_baseline_curve = cv->has_baseline_curve != 0;
        if (st->has_baseline_curve) st->baseline_curve = cv->baseline_curve;
        vol[g] = v / area;
        i = j;
    }
    m->n = ngroups;
    /* 3. Add them all, or none. */
    for (g = 0; g < ngroups; g++) {
        if (g % 256 == 0 && (rc = epv__progress(ctx, 0.5 + 0.5 * (double)g / ngroups, "compartment: adding strata")))
            goto fail;
        const epv_compartment *first = &set->rec[m->s[g].idx[0]];
        if ((rc = epv_project_add_stratum(ctx, p, params, &made[g])) ||
            (r->by_origin && (rc = epv_project_set_stratum_origin(ctx, p, made[g].id, first->origin))) ||
            (r->set_start_volume && (rc = epv_project_set_start_volume(ctx, p, made[g].id, vol[g])))) {
            epv__error_prefix(ctx, "stratum '%s' (%zu records)", made[g].id, m->s[g].n);
            goto fail;
        }
    }
    if ((rc = epv__progress(ctx, 1.0, "compartment: done"))) goto fail;
    epv__free(ctx, k);
    epv__free(ctx, made);
    epv__free(ctx, vol);
    *out = m;
    return EPV_OK;
fail:
    epv__sink_truncate(p, before);
    epv__free(ctx, k);
    epv__free(ctx, made);
    epv__free(ctx, vol);
    epv_compartment_map_free(m);
    return rc;
}
