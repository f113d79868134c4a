/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Spatial results: access, merge of parts, serialisation, and the writers (GEP input XML,
 * CSV, SVG choropleth). */
#define _GNU_SOURCE 1
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

#include "epv/xml.h"
#include "spatial_int.h"
#include "textout_int.h"
#include "chart_int.h"

void epv__sp_gdal_init(void);

static const char *const col_name[EPV_SPATIAL_NCOLS] = { "area_ha", "water_conservation_m3", "soil_retention_t",
                                                         "soil_potential_t", "carbon_fixation_tco2",
                                                         "oxygen_release_t", "evapotranspiration_m3", "pixels",
                                                         "ls", "climate_transpiration_kwh", "flood_vegetation_m3",
                                                         "storm_precip_m3", "flood_marsh_m3" };

int epv__sp_result_new(epv_ctx *ctx, size_t nreg, char **codes, char **names, size_t neco, char **eco,
                       epv_spatial_result **out)
{
    epv_spatial_result *r = epv__calloc(ctx, 1, sizeof *r);
    if (!r) return EPV_ENOMEM;
    r->ctx = ctx;
    r->nreg = nreg;
    r->neco = neco;
    r->reg_code = epv__calloc(ctx, nreg + 1, sizeof(char *));
    r->reg_name = epv__calloc(ctx, nreg + 1, sizeof(char *));
    r->eco_code = epv__calloc(ctx, neco + 1, sizeof(char *));
    r->total = epv__calloc(ctx, nreg * neco * EPV_SPATIAL_NCOLS + 1, sizeof(double));
    int ok = r->reg_code && r->reg_name && r->eco_code && r->total && epv__sp_result_set_parents(ctx, r, NULL, NULL) == EPV_OK;
    for (size_t i = 0; ok && i < nreg; i++)
        ok = (r->reg_code[i] = epv__strdup(ctx, codes[i])) && (r->reg_name[i] = epv__strdup(ctx, names[i]));
    for (size_t j = 0; ok && j < neco; j++) ok = (r->eco_code[j] = epv__strdup(ctx, eco[j])) != NULL;
    if (!ok) {
        epv_spatial_result_free(r);
        return EPV_ENOMEM;
    }
    *out = r;
    return EPV_OK;
}

int epv__sp_result_set_parents(epv_ctx *ctx, epv_spatial_result *r, char *const *parents, char *const *pnames)
{
    if (!r->reg_parent && !(r->reg_parent = epv__calloc(ctx, r->nreg + 1, sizeof(char *)))) return EPV_ENOMEM;
    if (!r->reg_pname && !(r->reg_pname = epv__calloc(ctx, r->nreg + 1, sizeof(char *)))) return EPV_ENOMEM;
    for (size_t i = 0; i < r->nreg; i++) {
        char *a = epv__strdup(ctx, parents && parents[i] ? parents[i] : "");
        char *b = epv__strdup(ctx, pnames && pnames[i] ? pnames[i] : "");
        if (!a || !b) {
            epv__free(ctx, a);
            epv__free(ctx, b);
            return EPV_ENOMEM;
        }
        epv__free(ctx, r->reg_parent[i]);
        epv__free(ctx, r->reg_pname[i]);
        r->reg_parent[i] = a;
        r->reg_pname[i] = b;
    }
    return EPV_OK;
}

EPV_API const char *epv_spatial_result_region_parent(const epv_spatial_result *r, size_t i)
{
    return r && i < r->nreg && r->reg_parent && r->reg_parent[i] ? r->reg_parent[i] : "";
}

EPV_API const char *epv_spatial_result_region_parent_name(const epv_spatial_result *r, size_t i)
{
    if (!r || i >= r->nreg || !r->reg_parent || !r->reg_parent[i]) return "";
    return r->reg_pname && r->reg_pname[i] && *r->reg_pname[i] ? r->reg_pname[i] : r->reg_parent[i];
}

EPV_API void epv_spatial_result_free(epv_spatial_result *r)
{
    if (!r) return;
    epv_ctx *ctx = r->ctx;
    for (size_t i = 0; r->reg_parent && i < r->nreg; i++) epv__free(ctx, r->reg_parent[i]);
    for (size_t i = 0; r->reg_pname && i < r->nreg; i++) epv__free(ctx, r->reg_pname[i]);
    epv__free(ctx, r->reg_parent);
    epv__free(ctx, r->reg_pname);
    for (size_t i = 0; r->reg_code && i < r->nreg; i++) epv__free(ctx, r->reg_code[i]);
    for (size_t i = 0; r->reg_name && i < r->nreg; i++) epv__free(ctx, r->reg_name[i]);
    for (size_t j = 0; r->eco_code && j < r->neco; j++) epv__free(ctx, r->eco_code[j]);
    epv__free(ctx, r->reg_code);
    epv__free(ctx, r->reg_name);
    epv__free(ctx, r->eco_code);
    epv__free(ctx, r->total);
    epv__free(ctx, r->water_eco);
    epv__free(ctx, r->marsh_eco);
    for (size_t g = 0; g < r->ngroups; g++) {
        epv__free(ctx, r->groups[g].cell);
        epv__free(ctx, r->groups[g].val);
    }
    epv__free(ctx, r->groups);
    epv__free(ctx, r);
}

EPV_API size_t epv_spatial_result_region_count(const epv_spatial_result *r) { return r ? r->nreg : 0; }
EPV_API const char *epv_spatial_result_region_code(const epv_spatial_result *r, size_t i)
{
    return r && i < r->nreg ? r->reg_code[i] : "";
}
EPV_API const char *epv_spatial_result_region_name(const epv_spatial_result *r, size_t i)
{
    return r && i < r->nreg ? r->reg_name[i] : "";
}
EPV_API size_t epv_spatial_result_ecosystem_count(const epv_spatial_result *r) { return r ? r->neco : 0; }
EPV_API const char *epv_spatial_result_ecosystem_code(const epv_spatial_result *r, size_t j)
{
    return r && j < r->neco ? r->eco_code[j] : "";
}
EPV_API int epv_spatial_result_has(const epv_spatial_result *r, epv_spatial_col col)
{
    return r && (unsigned)col < EPV_SPATIAL_NCOLS && col != EPV_SPATIAL_LS ? r->has[col] : 0;
}

EPV_API int epv_spatial_result_column(epv_ctx *ctx, const epv_spatial_result *r, epv_spatial_col col,
                                      const double **values, size_t *n)
{
    EPV__NEED(ctx, r, "result");
    EPV__NEED(ctx, values, "values");
    EPV__NEED(ctx, n, "n");
    if ((unsigned)col >= EPV_SPATIAL_NCOLS || col == EPV_SPATIAL_LS)
        return epv__error(ctx, EPV_EINVAL, "epv_spatial_result_column: column %d is not a table column", (int)col);
    if (r->nparts > 0)
        return epv__error(ctx, EPV_ESTATE, "epv_spatial_result_column: part %d of %d: merge the parts first", r->part,
                          r->nparts);
    *values = r->total + (size_t)col * r->nreg * r->neco;
    *n = r->nreg * r->neco;
    return EPV_OK;
}

/* ---------------------------------------------------------------- merge */

static int cmp_group(const void *a, const void *b)
{
    const epv__sp_group *x = *(epv__sp_group *const *)a, *y = *(epv__sp_group *const *)b;
    return (x->id > y->id) - (x->id < y->id);
}

EPV_API int epv_spatial_result_merge(epv_ctx *ctx, epv_spatial_result *const *parts, size_t nparts,
                                     epv_spatial_result **out)
{
    EPV__NEED(ctx, out, "out");
    *out = NULL;
    EPV__NEED(ctx, parts, "parts");
    if (nparts == 0) return epv__error(ctx, EPV_EINVAL, "epv_spatial_result_merge: no parts");
    const epv_spatial_result *p0 = parts[0];
    EPV__NEED(ctx, p0, "parts[0]");
    size_t ng = 0;
    for (size_t k = 0; k < nparts; k++) {
        const epv_spatial_result *p = parts[k];
        EPV__NEED(ctx, p, "parts[k]");
        int same = p->nparts == (int)nparts && p->nreg == p0->nreg && p->neco == p0->neco && p->nrows == p0->nrows &&
                   p->ncols == p0->ncols && p->ngroups_total == p0->ngroups_total;
        for (size_t i = 0; same && i < p->nreg; i++) same = !strcmp(p->reg_code[i], p0->reg_code[i]);
        for (size_t j = 0; same && j < p->neco; j++) same = !strcmp(p->eco_code[j], p0->eco_code[j]);
        for (size_t j = 0; same && j < k; j++) same = parts[j]->part != p->part;
        if (!same)
            return epv__error(ctx, EPV_EINVAL,
                              "epv_spatial_result_merge: part %zu is not one of %zu distinct parts of the same grid, regions and ecosystems",
                              k, nparts);
        ng += p->ngroups;
    }
    epv__sp_group **all = epv__malloc(ctx, (ng + 1) * sizeof *all);
    if (!all) return EPV_ENOMEM;
    size_t m = 0;
    for (size_t k = 0; k < nparts; k++)
        for (size_t g = 0; g < parts[k]->ngroups; g++) all[m++] = &parts[k]->groups[g];
    qsort(all, ng, sizeof *all, cmp_group);
    epv_spatial_result *r = NULL;
    int rc = epv__sp_result_new(ctx, p0->nreg, p0->reg_code, p0->reg_name, p0->neco, p0->eco_code, &r);
    if (rc) {
        epv__free(ctx, all);
        return rc;
    }
    memcpy(r->has, p0->has, sizeof r->has);
    r->latent_heat = p0->latent_heat;
    r->eer = p0->eer;
    r->days = p0->days;
    memcpy(r->marsh, p0->marsh, sizeof r->marsh);
    if ((p0->water_eco && !(r->water_eco = epv__strdup(ctx, p0->water_eco))) ||
        epv__sp_result_set_parents(ctx, r, p0->reg_parent, p0->reg_pname) ||
        (p0->marsh_eco && !(r->marsh_eco = epv__strdup(ctx, p0->marsh_eco)))) {
        epv__free(ctx, all);
        epv_spatial_result_free(r);
        return EPV_ENOMEM;
    }
    r->ngroups_total = p0->ngroups_total;
    r->nrows = p0->nrows;
    r->ncols = p0->ncols;
    size_t ncell = r->nreg * r->neco;
    for (size_t g = 0; g < ng; g++) {
        const epv__sp_group *gr = all[g];
        for (size_t k = 0; k < gr->ncells; k++)
            for (int c = 0; c < EPV_SPATIAL_NCOLS; c++)
                r->total[(size_t)c * ncell + gr->cell[k]] += gr->val[k * EPV_SPATIAL_NCOLS + c];
    }
    epv__free(ctx, all);
    *out = r;
    return EPV_OK;
}

/* ---------------------------------------------------------------- serialisation */

typedef struct { unsigned char *p; size_t len, cap; epv_ctx *ctx; int err; } sp_buf;
static void put(sp_buf *b, const void *d, size_t n)
{
    if (b->err) return;
    if (b->len + n > b->cap) {
        size_t nc = (b->cap ? b->cap * 2 : 4096) + n;
        unsigned char *q = realloc(b->p, nc);
        if (!q) { b->err = 1; return; }
        b->p = q, b->cap = nc;
    }
    memcpy(b->p + b->len, d, n);
    b->len += n;
}
static void put_u64(sp_buf *b, uint64_t v) { put(b, &v, sizeof v); }
static void put_str(sp_buf *b, const char *s)
{
    put_u64(b, strlen(s));
    put(b, s, strlen(s));
}

#define SP_MAGIC 0x3176707370766570ull /* "epvpspv1" */

EPV_API int epv_spatial_result_serialize(epv_ctx *ctx, const epv_spatial_result *r, void **buf, size_t *len)
{
    EPV__NEED(ctx, r, "result");
    EPV__NEED(ctx, buf, "buf");
    EPV__NEED(ctx, len, "len");
    sp_buf b = { NULL, 0, 0, ctx, 0 };
    put_u64(&b, SP_MAGIC);
    put_u64(&b, r->nreg);
    put_u64(&b, r->neco);
    put_u64(&b, r->ngroups_total);
    put_u64(&b, r->nrows);
    put_u64(&b, r->ncols);
    put_u64(&b, (uint64_t)(int64_t)r->part);
    put_u64(&b, (uint64_t)(int64_t)r->nparts);
    for (int c = 0; c < EPV_SPATIAL_NCOLS; c++) put_u64(&b, (uint64_t)r->has[c]);
    put_str(&b, r->water_eco ? r->water_eco : "");
    put(&b, &r->latent_heat, sizeof(double));
    put(&b, &r->eer, sizeof(double));
    put(&b, &r->days, sizeof(double));
    put(&b, r->marsh, sizeof r->marsh);
    put_str(&b, r->marsh_eco ? r->marsh_eco : "");
    for (size_t i = 0; i < r->nreg; i++) {
        put_str(&b, r->reg_code[i]), put_str(&b, r->reg_name[i]);
        put_str(&b, r->reg_parent[i]), put_str(&b, r->reg_pname[i]);
    }
    for (size_t j = 0; j < r->neco; j++) put_str(&b, r->eco_code[j]);
    put(&b, r->total, r->nreg * r->neco * EPV_SPATIAL_NCOLS * sizeof(double));
    put_u64(&b, r->ngroups);
    for (size_t g = 0; g < r->ngroups; g++) {
        put_u64(&b, r->groups[g].id);
        put_u64(&b, r->groups[g].ncells);
        put(&b, r->groups[g].cell, r->groups[g].ncells * sizeof(uint32_t));
        put(&b, r->groups[g].val, r->groups[g].ncells * EPV_SPATIAL_NCOLS * sizeof(double));
    }
    if (b.err) {
        free(b.p);
        return epv__error(ctx, EPV_ENOMEM, "epv_spatial_result_serialize: out of memory");
    }
    *buf = b.p;
    *len = b.len;
    return EPV_OK;
}

typedef struct { const unsigned char *p; size_t len, off; int err; } sp_rd;
static void get(sp_rd *d, void *out, size_t n)
{
    if (d->err || n > d->len - d->off) {
        d->err = 1;
        memset(out, 0, n);
        return;
    }
    memcpy(out, d->p + d->off, n);
    d->off += n;
}
static uint64_t get_u64(sp_rd *d)
{
    uint64_t v;
    get(d, &v, sizeof v);
    return v;
}
static char *get_str(epv_ctx *ctx, sp_rd *d)
{
    uint64_t n = get_u64(d);
    if (d->err || n > d->len - d->off) { d->err = 1; return NULL; }
    char *s = epv__malloc(ctx, (size_t)n + 1);
    if (!s) { d->err = 1; return NULL; }
    get(d, s, (size_t)n);
    s[n] = 0;
    return s;
}

EPV_API int epv_spatial_result_deserialize(epv_ctx *ctx, const void *buf, size_t len, epv_spatial_result **out)
{
    EPV__NEED(ctx, out, "out");
    *out = NULL;
    EPV__NEED(ctx, buf, "buf");
    sp_rd d = { buf, len, 0, 0 };
    if (get_u64(&d) != SP_MAGIC) return epv__error(ctx, EPV_EPARSE, "epv_spatial_result_deserialize: not a spatial result");
    epv_spatial_result *r = epv__calloc(ctx, 1, sizeof *r);
    if (!r) return EPV_ENOMEM;
    r->ctx = ctx;
    uint64_t nreg = get_u64(&d), neco = get_u64(&d);
    r->ngroups_total = get_u64(&d);
    r->nrows = get_u64(&d);
    r->ncols = get_u64(&d);
    r->part = (int)(int64_t)get_u64(&d);
    r->nparts = (int)(int64_t)get_u64(&d);
    for (int c = 0; c < EPV_SPATIAL_NCOLS; c++) r->has[c] = (int)get_u64(&d);
    r->water_eco = get_str(ctx, &d);
    get(&d, &r->latent_heat, sizeof(double));
    get(&d, &r->eer, sizeof(double));
    get(&d, &r->days, sizeof(double));
    get(&d, r->marsh, sizeof r->marsh);
    r->marsh_eco = get_str(ctx, &d);
    if (r->marsh_eco && !*r->marsh_eco) {
        epv__free(ctx, r->marsh_eco);
        r->marsh_eco = NULL;
    }
    if (r->water_eco && !*r->water_eco) {
        epv__free(ctx, r->water_eco);
        r->water_eco = NULL;
    }
    if (d.err || nreg > len || neco > len || (neco && nreg > len / neco)) goto bad;
    r->reg_code = epv__calloc(ctx, nreg + 1, sizeof(char *));
    r->reg_name = epv__calloc(ctx, nreg + 1, sizeof(char *));
    r->eco_code = epv__calloc(ctx, neco + 1, sizeof(char *));
    r->reg_parent = epv__calloc(ctx, nreg + 1, sizeof(char *));
    r->reg_pname = epv__calloc(ctx, nreg + 1, sizeof(char *));
    if (!r->reg_code || !r->reg_name || !r->eco_code || !r->reg_parent || !r->reg_pname) goto bad;
    for (r->nreg = 0; r->nreg < nreg && !d.err; r->nreg++) {
        r->reg_code[r->nreg] = get_str(ctx, &d);
        r->reg_name[r->nreg] = get_str(ctx, &d);
        r->reg_parent[r->nreg] = get_str(ctx, &d);
        r->reg_pname[r->nreg] = get_str(ctx, &d);
    }
    for (r->neco = 0; r->neco < neco && !d.err; r->neco++) r->eco_code[r->neco] = get_str(ctx, &d);
    if (d.err) goto bad;
    size_t nt = (size_t)(nreg * neco * EPV_SPATIAL_NCOLS);
    if (nt > len) goto bad;
    if (!(r->total = epv__malloc(ctx, (nt + 1) * sizeof(double)))) goto bad;
    get(&d, r->total, nt * sizeof(double));
    uint64_t ng = get_u64(&d);
    if (d.err || ng > len) goto bad;
    if (!(r->groups = epv__calloc(ctx, (size_t)ng + 1, sizeof *r->groups))) goto bad;
    for (r->ngroups = 0; r->ngroups < ng && !d.err; r->ngroups++) {
        epv__sp_group *g = &r->groups[r->ngroups];
        g->id = get_u64(&d);
        uint64_t nc = get_u64(&d);
        if (d.err || nc > len || nc > nreg * neco) { d.err = 1; break; }
        g->ncells = (size_t)nc;
        g->cell = epv__malloc(ctx, (g->ncells + 1) * sizeof(uint32_t));
        g->val = epv__malloc(ctx, (g->ncells + 1) * EPV_SPATIAL_NCOLS * sizeof(double));
        if (!g->cell || !g->val) { d.err = 1; break; }
        get(&d, g->cell, g->ncells * sizeof(uint32_t));
        get(&d, g->val, g->ncells * EPV_SPATIAL_NCOLS * sizeof(double));
        for (size_t k = 0; k < g->ncells && !d.err; k++)
            if (g->cell[k] >= nreg * neco) d.err = 1;
    }
    if (d.err || d.off != len) goto bad;
    *out = r;
    return EPV_OK;
bad:
    epv_spatial_result_free(r);
    return epv__error(ctx, EPV_EPARSE, "epv_spatial_result_deserialize: truncated or corrupt buffer");
}

/* ---------------------------------------------------------------- writers */

static const struct { int col; const char *indicator, *unit; } quantities[] = {
    { EPV_SPATIAL_WATER_CONSERVATION, "water_conservation", "m3" },
    { EPV_SPATIAL_SOIL_RETENTION, "soil_retention", "t" },
    { EPV_SPATIAL_CARBON_FIXATION, "carbon_fixation", "tCO2e" },
    { EPV_SPATIAL_OXYGEN_RELEASE, "oxygen_release", "t" },
};

static int whole(epv_ctx *ctx, const epv_spatial_result *r, const char *fn)
{
    if (r->nparts > 0)
        return epv__error(ctx, EPV_ESTATE, "%s: part %d of %d: merge the parts first", fn, r->part, r->nparts);
    return EPV_OK;
}

static char *read_all(epv_ctx *ctx, const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        epv__error(ctx, EPV_EIO, "%s: cannot open", path);
        return NULL;
    }
    size_t cap = 4096, n = 0;
    char *b = epv__malloc(ctx, cap);
    while (b) {
        size_t k = fread(b + n, 1, cap - n - 1, f);
        n += k;
        if (k == 0) break;
        if (n + 1 == cap) {
            char *nb = epv__realloc(ctx, b, cap * 2);
            if (!nb) { epv__free(ctx, b); b = NULL; break; }
            b = nb, cap *= 2;
        }
    }
    int err = ferror(f);
    fclose(f);
    if (b && err) {
        epv__free(ctx, b);
        epv__error(ctx, EPV_EIO, "%s: read error", path);
        return NULL;
    }
    if (b) b[n] = 0, *len = n;
    return b;
}

EPV_API int epv_spatial_result_write_gep_input(epv_ctx *ctx, const epv_spatial_result *r, int year,
                                               const char *extra_xml, const char *path)
{
    EPV__NEED(ctx, r, "result");
    EPV__NEED(ctx, path, "path");
    int rc = whole(ctx, r, "epv_spatial_result_write_gep_input");
    if (rc) return rc;
    if (year < 1 || year > 9999) return epv__error(ctx, EPV_ERANGE, "epv_spatial_result_write_gep_input: year %d", year);
    size_t elen = 0;
    char *extra = NULL;
    if (extra_xml && !(extra = read_all(ctx, extra_xml, &elen))) return epv_ctx_errcode(ctx);
    char *doc = NULL;
    size_t dlen = 0;
    FILE *f = open_memstream(&doc, &dlen);
    if (!f) {
        epv__free(ctx, extra);
        return epv__error(ctx, EPV_ENOMEM, "epv_spatial_result_write_gep_input: out of memory");
    }
    void *loc = epv__locale_push();
    size_t ncell = r->nreg * r->neco;
    const double *area = r->total + (size_t)EPV_SPATIAL_AREA_HA * ncell;
    fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
               "<!-- Written by libepv %s (epv_spatial): physical quantities summed from rasters by region and "
               "ecosystem. -->\n<gepInput version=\"1\" firstYear=\"%d\" years=\"1\" priceYear=\"%d\">\n",
            epv_version(), year, year);
    fprintf(f, "  <source id=\"epv_spatial\">Summed per pixel by libepv's spatial module from rasters, a biophysical "
               "table and region boundaries</source>\n");
    /* parents first (first-seen order), their area the sum of their children's */
    for (size_t i = 0; i < r->nreg; i++) {
        const char *pc = r->reg_parent[i];
        if (!*pc) continue;
        size_t i0;
        for (i0 = 0; i0 < i; i0++)
            if (!strcmp(r->reg_parent[i0], pc)) break;
        if (i0 < i) continue;
        double a = 0;
        for (size_t k = i; k < r->nreg; k++)
            if (!strcmp(r->reg_parent[k], pc))
                for (size_t j = 0; j < r->neco; j++) a += area[k * r->neco + j];
        fprintf(f, "  <region code=\"");
        epv__out_xml_text(f, pc);
        fprintf(f, "\" name=\"");
        epv__out_xml_text(f, *r->reg_pname[i] ? r->reg_pname[i] : pc);
        fprintf(f, "\" areaHa=\"%.17g\" source=\"epv_spatial\"/>\n", a);
    }
    for (size_t i = 0; i < r->nreg; i++) {
        double a = 0;
        for (size_t j = 0; j < r->neco; j++) a += area[i * r->neco + j];
        fprintf(f, "  <region code=\"");
        epv__out_xml_text(f, r->reg_code[i]);
        fprintf(f, "\" name=\"");
        epv__out_xml_text(f, r->reg_name[i]);
        if (*r->reg_parent[i]) {
            fprintf(f, "\" parent=\"");
            epv__out_xml_text(f, r->reg_parent[i]);
        }
        fprintf(f, "\" areaHa=\"%.17g\" source=\"epv_spatial\"/>\n", a);
    }
    for (size_t j = 0; j < r->neco; j++) {
        fprintf(f, "  <ecosystem code=\"");
        epv__out_xml_text(f, r->eco_code[j]);
        fprintf(f, "\"/>\n");
    }
    if (extra) fwrite(extra, 1, elen, f);
    for (size_t i = 0; i < r->nreg; i++)
        for (size_t j = 0; j < r->neco; j++) {
            size_t cell = i * r->neco + j;
            if (r->total[(size_t)EPV_SPATIAL_PIXELS * ncell + cell] == 0) continue;
            fprintf(f, "  <ecosystemArea region=\"");
            epv__out_xml_text(f, r->reg_code[i]);
            fprintf(f, "\" ecosystem=\"");
            epv__out_xml_text(f, r->eco_code[j]);
            fprintf(f, "\" year=\"%d\" areaHa=\"%.17g\" source=\"epv_spatial\"/>\n", year, area[cell]);
            for (size_t q = 0; q < EPV__ARRAY_LEN(quantities); q++) {
                if (!r->has[quantities[q].col]) continue;
                fprintf(f, "  <quantity region=\"");
                epv__out_xml_text(f, r->reg_code[i]);
                fprintf(f, "\" ecosystem=\"");
                epv__out_xml_text(f, r->eco_code[j]);
                fprintf(f, "\" indicator=\"%s\" year=\"%d\" value=\"%.17g\" unit=\"%s\" source=\"epv_spatial\"/>\n",
                        quantities[q].indicator, year, r->total[(size_t)quantities[q].col * ncell + cell],
                        quantities[q].unit);
            }
            double kwh = r->total[(size_t)EPV_SPATIAL_CLIMATE_TRANSPIRATION * ncell + cell];
            if (r->has[EPV_SPATIAL_CLIMATE_TRANSPIRATION] && kwh > 0 && area[cell] > 0) {
                /* E = EPP x S x D / (3600 r) with one D: the area-weighted EPP gives back the sum */
                double epp = kwh * 3600.0 * r->eer / (area[cell] * 1e4 * r->days);
                fprintf(f, "  <climateTranspiration region=\"");
                epv__out_xml_text(f, r->reg_code[i]);
                fprintf(f, "\" ecosystem=\"");
                epv__out_xml_text(f, r->eco_code[j]);
                fprintf(f, "\" year=\"%d\" areaHa=\"%.17g\" eppKjM2Day=\"%.17g\" days=\"%.17g\" eer=\"%.17g\" "
                           "source=\"epv_spatial\"/>\n",
                        year, area[cell], epp, r->days, r->eer);
            }
            double fm3 = r->total[(size_t)EPV_SPATIAL_FLOOD_VEGETATION * ncell + cell];
            if (r->has[EPV_SPATIAL_FLOOD_VEGETATION] && fm3 > 0 && area[cell] > 0) {
                /* C = (P - R) x A x 1e-3: storm rain and runoff in mm over the ecosystem's area */
                double pmm = r->total[(size_t)EPV_SPATIAL_STORM_PRECIP * ncell + cell] / (area[cell] * 10.0);
                double rmm = pmm - fm3 / (area[cell] * 10.0);
                if (rmm < 0) rmm = 0; /* rounding only: the model keeps R <= P per pixel */
                fprintf(f, "  <floodVegetation region=\"");
                epv__out_xml_text(f, r->reg_code[i]);
                fprintf(f, "\" ecosystem=\"");
                epv__out_xml_text(f, r->eco_code[j]);
                fprintf(f, "\" year=\"%d\" areaHa=\"%.17g\" stormPrecipMm=\"%.17g\" stormRunoffMm=\"%.17g\" "
                           "source=\"epv_spatial\"/>\n",
                        year, area[cell], pmm, rmm);
            }
            if (r->marsh_eco && !strcmp(r->marsh_eco, r->eco_code[j]) && area[cell] > 0) {
                /* every pixel of the marsh ecosystem is marsh: its area and the shared parameters */
                fprintf(f, "  <floodMarsh region=\"");
                epv__out_xml_text(f, r->reg_code[i]);
                fprintf(f, "\" ecosystem=\"");
                epv__out_xml_text(f, r->eco_code[j]);
                fprintf(f, "\" year=\"%d\" areaHa=\"%.17g\" soilDepthM=\"%.17g\" bulkDensityTM3=\"%.17g\" "
                           "saturatedWater=\"%.17g\" naturalWater=\"%.17g\" surfaceDepthM=\"%.17g\" source=\"epv_spatial\"/>\n",
                        year, area[cell], r->marsh[0], r->marsh[1], r->marsh[2], r->marsh[3], r->marsh[4]);
            }
            if (r->water_eco && !strcmp(r->water_eco, r->eco_code[j]) && area[cell] > 0) {
                /* area-weighted ET of the water surfaces, mm = m3 / (ha x 10) */
                double mm = r->total[(size_t)EPV_SPATIAL_EVAPOTRANSPIRATION * ncell + cell] / (area[cell] * 10.0);
                fprintf(f, "  <climateEvaporation region=\"");
                epv__out_xml_text(f, r->reg_code[i]);
                fprintf(f, "\" ecosystem=\"");
                epv__out_xml_text(f, r->eco_code[j]);
                fprintf(f, "\" year=\"%d\" waterAreaHa=\"%.17g\" evapMm=\"%.17g\" latentHeatKjKg=\"%.17g\" eer=\"%.17g\" "
                           "source=\"epv_spatial\"/>\n",
                        year, area[cell], mm, r->latent_heat, r->eer);
            }
        }
    fprintf(f, "</gepInput>\n");
    epv__locale_pop(loc);
    int ferr = ferror(f);
    fclose(f);
    epv__free(ctx, extra);
    if (ferr || !doc) {
        free(doc);
        return epv__error(ctx, EPV_ENOMEM, "epv_spatial_result_write_gep_input: out of memory");
    }
    rc = epv_xml_validate_memory(ctx, doc, dlen, path, "schema/gep_input.xsd");
    if (rc == EPV_OK) {
        epv__out o;
        if ((rc = epv__out_open(ctx, path, &o)) == EPV_OK) {
            fwrite(doc, 1, dlen, o.f);
            rc = epv__out_close(ctx, &o, EPV_OK);
        }
    } else {
        epv__error_prefix(ctx, "epv_spatial_result_write_gep_input: the document does not validate (nothing written)");
    }
    free(doc);
    return rc;
}

EPV_API int epv_spatial_result_write_csv(epv_ctx *ctx, const epv_spatial_result *r, const char *path)
{
    EPV__NEED(ctx, r, "result");
    EPV__NEED(ctx, path, "path");
    int rc = whole(ctx, r, "epv_spatial_result_write_csv");
    if (rc) return rc;
    epv__out o;
    if ((rc = epv__out_open(ctx, path, &o))) return rc;
    FILE *f = o.f;
    size_t ncell = r->nreg * r->neco;
    fprintf(f, "region,name,ecosystem,area_ha,pixels");
    for (int c = 1; c < EPV_SPATIAL_NCOLS; c++)
        if (r->has[c] && c != EPV_SPATIAL_PIXELS && c != EPV_SPATIAL_LS) fprintf(f, ",%s", col_name[c]);
    fprintf(f, "\n");
    for (size_t i = 0; i < r->nreg; i++)
        for (size_t j = 0; j < r->neco; j++) {
            size_t cell = i * r->neco + j;
            if (r->total[(size_t)EPV_SPATIAL_PIXELS * ncell + cell] == 0) continue;
            epv__out_csv_field(f, r->reg_code[i]);
            fputc(',', f);
            epv__out_csv_field(f, r->reg_name[i]);
            fputc(',', f);
            epv__out_csv_field(f, r->eco_code[j]);
            fprintf(f, ",%.17g,%.17g", r->total[cell], r->total[(size_t)EPV_SPATIAL_PIXELS * ncell + cell]);
            for (int c = 1; c < EPV_SPATIAL_NCOLS; c++)
                if (r->has[c] && c != EPV_SPATIAL_PIXELS && c != EPV_SPATIAL_LS)
                    fprintf(f, ",%.17g", r->total[(size_t)c * ncell + cell]);
            fprintf(f, "\n");
        }
    return epv__out_close(ctx, &o, EPV_OK);
}

/* ---------------------------------------------------------------- SVG choropleth */

static void svg_ring(FILE *f, OGRGeometryH ring, double x0, double y1, double sc, double kx)
{
    int n = OGR_G_GetPointCount(ring);
    for (int k = 0; k < n; k++)
        fprintf(f, "%s%.2f %.2f", k ? " L" : "M", (OGR_G_GetX(ring, k) - x0) * sc * kx, (y1 - OGR_G_GetY(ring, k)) * sc);
    fprintf(f, " Z ");
}
static void svg_geom(FILE *f, OGRGeometryH g, double x0, double y1, double sc, double kx)
{
    OGRwkbGeometryType t = wkbFlatten(OGR_G_GetGeometryType(g));
    if (t == wkbPolygon)
        for (int k = 0; k < OGR_G_GetGeometryCount(g); k++) svg_ring(f, OGR_G_GetGeometryRef(g, k), x0, y1, sc, kx);
    else if (t == wkbMultiPolygon || t == wkbGeometryCollection)
        for (int k = 0; k < OGR_G_GetGeometryCount(g); k++) svg_geom(f, OGR_G_GetGeometryRef(g, k), x0, y1, sc, kx);
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

EPV_API int epv_spatial_write_choropleth_svg(epv_ctx *ctx, const char *zones, const char *layer,
                                             const char *code_field, const char *const *codes,
                                             const double *values, size_t n, const char *title,
                                             const char *unit, const char *path)
{
    EPV__NEED(ctx, zones, "zones");
    EPV__NEED(ctx, path, "path");
    if (n) {
        EPV__NEED(ctx, codes, "codes");
        EPV__NEED(ctx, values, "values");
    }
    for (size_t i = 0; i < n; i++) {
        EPV__NEED(ctx, codes[i], "codes[i]");
        if (!isfinite(values[i]))
            return epv__error(ctx, EPV_EINVAL, "epv_spatial_write_choropleth_svg: value of region %s is not finite",
                              codes[i]);
    }
    const char *cf = code_field ? code_field : "code";
    epv__sp_gdal_init();
    GDALDatasetH ds = GDALOpenEx(zones, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, NULL, NULL);
    if (!ds) return epv__error(ctx, EPV_EIO, "%s: cannot open vector data set", zones);
    OGRLayerH lyr = layer ? GDALDatasetGetLayerByName(ds, layer) : GDALDatasetGetLayer(ds, 0);
    int rc = EPV_OK, icode = -1;
    if (!lyr) rc = epv__error(ctx, EPV_ENOTFOUND, "%s: no layer %s", zones, layer ? layer : "");
    else if ((icode = OGR_FD_GetFieldIndex(OGR_L_GetLayerDefn(lyr), cf)) < 0)
        rc = epv__error(ctx, EPV_ENOTFOUND, "%s: layer %s has no field '%s'", zones, OGR_L_GetName(lyr), cf);
    OGREnvelope env;
    if (rc == EPV_OK && OGR_L_GetExtent(lyr, &env, 1) != OGRERR_NONE)
        rc = epv__error(ctx, EPV_EINVAL, "%s: layer has no extent", zones);
    if (rc) {
        GDALClose(ds);
        return rc;
    }
    /* five quantile classes */
    static const char *const pal[5] = { "#edf8e9", "#bae4b3", "#74c476", "#31a354", "#006d2c" };
    double br[6] = { 0, 0, 0, 0, 0, 0 };
    if (n) {
        double *s = epv__malloc(ctx, n * sizeof *s);
        if (!s) {
            GDALClose(ds);
            return EPV_ENOMEM;
        }
        memcpy(s, values, n * sizeof *s);
        qsort(s, n, sizeof *s, cmp_d);
        for (int k = 0; k <= 5; k++) br[k] = s[(n - 1) * (size_t)k / 5];
        epv__free(ctx, s);
    }
    /* longitude/latitude: shrink x by cos(mid latitude) so the map is not stretched */
    OGRSpatialReferenceH lsrs = OGR_L_GetSpatialRef(lyr);
    double kx = 1;
    if (lsrs && OSRIsGeographic(lsrs)) kx = cos((env.MinY + env.MaxY) / 2 * 3.14159265358979323846 / 180);
    double wpx = 640, sc = wpx / ((env.MaxX - env.MinX) * kx > 0 ? (env.MaxX - env.MinX) * kx : 1);
    double hpx = (env.MaxY - env.MinY) * sc;
    epv__out o;
    if ((rc = epv__out_open(ctx, path, &o))) {
        GDALClose(ds);
        return rc;
    }
    FILE *f = o.f;
    fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" "
               "height=\"%.0f\" viewBox=\"-10 -40 %.0f %.0f\" font-family=\"%s\">\n",
            wpx + 230, hpx + 60, wpx + 230, hpx + 60, EPV__CHART_FONTS);
    fprintf(f, "<text x=\"0\" y=\"-15\" font-size=\"16\">");
    epv__out_xml_text(f, title ? title : "");
    fprintf(f, "</text>\n<g stroke=\"#333\" stroke-width=\"0.8\" fill-rule=\"evenodd\">\n");
    OGR_L_ResetReading(lyr);
    OGRFeatureH ft;
    while ((ft = OGR_L_GetNextFeature(lyr)) != NULL) {
        const char *code = OGR_F_GetFieldAsString(ft, icode);
        OGRGeometryH g = OGR_F_GetGeometryRef(ft);
        const char *fill = "#cccccc";
        size_t i;
        for (i = 0; i < n; i++)
            if (!strcmp(codes[i], code)) break;
        if (i < n) {
            int k = 0;
            while (k < 4 && values[i] > br[k + 1]) k++;
            fill = pal[k];
        }
        if (g) {
            fprintf(f, "<path fill=\"%s\" d=\"", fill);
            svg_geom(f, g, env.MinX, env.MaxY, sc, kx);
            fprintf(f, "\"><title>");
            epv__out_xml_text(f, code);
            if (i < n) fprintf(f, ": %.6g %s", values[i], unit ? unit : "");
            fprintf(f, "</title></path>\n");
        }
        OGR_F_Destroy(ft);
    }
    fprintf(f, "</g>\n<g font-size=\"12\">\n<text x=\"%.0f\" y=\"10\">", wpx + 20);
    epv__out_xml_text(f, unit ? unit : "");
    fprintf(f, "</text>\n");
    for (int k = 0; k < 5 && n; k++) {
        fprintf(f, "<rect x=\"%.0f\" y=\"%d\" width=\"18\" height=\"14\" fill=\"%s\" stroke=\"#333\"/>", wpx + 20,
                20 + 20 * k, pal[k]);
        fprintf(f, "<text x=\"%.0f\" y=\"%d\">%.4g – %.4g</text>\n", wpx + 44, 32 + 20 * k, br[k], br[k + 1]);
    }
    fprintf(f, "<rect x=\"%.0f\" y=\"%d\" width=\"18\" height=\"14\" fill=\"#cccccc\" stroke=\"#333\"/>"
               "<text x=\"%.0f\" y=\"%d\">no data</text>\n</g>\n</svg>\n",
            wpx + 20, 20 + 20 * 5, wpx + 44, 32 + 20 * 5);
    GDALClose(ds);
    return epv__out_close(ctx, &o, EPV_OK);
}
