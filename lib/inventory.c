/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Activity data of the inventory module: records checked on entry (codes, units, signs,
 * unique ids), economy by year, and the CSV (long or yearbook-shaped) and XML readers. Every
 * reader adds all of a file or nothing. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "inventory_int.h"
#include "csv_int.h"
#include "xml_int.h"


static size_t hash_find(const epv_inventory *inv, const char *id)
{
    if (!inv->hcap) return SIZE_MAX;
    size_t m = inv->hcap - 1;
    for (size_t k = (size_t)epv__hash_str(id) & m;; k = (k + 1) & m) {
        size_t v = inv->hash[k];
        if (!v) return SIZE_MAX;
        if (!strcmp(inv->r[v - 1].id, id)) return v - 1;
    }
}

static void hash_put(epv_inventory *inv, size_t idx)
{
    size_t m = inv->hcap - 1;
    size_t k = (size_t)epv__hash_str(inv->r[idx].id) & m;
    while (inv->hash[k]) k = (k + 1) & m;
    inv->hash[k] = idx + 1;
}

static int hash_rebuild(epv_inventory *inv, size_t need)
{
    size_t cap = 64;
    while (cap < 2 * need + 2) cap <<= 1;
    size_t *h = epv__calloc(inv->ctx, cap, sizeof *h);
    if (!h) return EPV_ENOMEM;
    epv__free(inv->ctx, inv->hash);
    inv->hash = h;
    inv->hcap = cap;
    for (size_t i = 0; i < inv->nr; i++) hash_put(inv, i);
    return EPV_OK;
}

EPV_API int epv_inventory_new(epv_ctx *ctx, const epv_inventory_factors *f, const char *county,
                              epv_inventory **out)
{
    EPV__NEED(ctx, out, "out");
    *out = NULL;
    EPV__NEED(ctx, f, "f");
    epv_inventory *inv = epv__calloc(ctx, 1, sizeof *inv);
    if (!inv) return EPV_ENOMEM;
    inv->ctx = ctx;
    inv->f = f;
    inv->county = epv__strdup(ctx, county ? county : "");
    if (!inv->county) {
        epv__free(ctx, inv);
        return EPV_ENOMEM;
    }
    *out = inv;
    return EPV_OK;
}

static void rec_clear(epv_ctx *ctx, epv__inv_rec *r)
{
    /* All strings of a record live in one block starting at r->id. */
    epv__free(ctx, r->id);
}

static void truncate_to(epv_inventory *inv, size_t nr, size_t ne)
{
    int shrunk = inv->nr > nr;
    while (inv->nr > nr) rec_clear(inv->ctx, &inv->r[--inv->nr]);
    while (inv->ne > ne) epv__free(inv->ctx, inv->e[--inv->ne].document);
    if (shrunk && inv->hcap) {
        memset(inv->hash, 0, inv->hcap * sizeof *inv->hash);
        for (size_t i = 0; i < inv->nr; i++) hash_put(inv, i);
    }
}

EPV_API void epv_inventory_free(epv_inventory *inv)
{
    if (!inv) return;
    truncate_to(inv, 0, 0);
    epv__free(inv->ctx, inv->r);
    epv__free(inv->ctx, inv->e);
    epv__free(inv->ctx, inv->hash);
    epv__free(inv->ctx, inv->county);
    epv__free(inv->ctx, inv);
}

EPV_API size_t epv_inventory_record_count(const epv_inventory *inv) { return inv ? inv->nr : 0; }

EPV__DEFINE_INIT(epv_inventory_record, EPV_INVENTORY_RECORD_VERSION, EPV_INVENTORY_RECORD_INIT)
EPV__DEFINE_INIT(epv_inventory_economy, EPV_INVENTORY_ECONOMY_VERSION, EPV_INVENTORY_ECONOMY_INIT)

static const char *nz(const char *s) { return s ? s : ""; }

static void join(char *buf, size_t size, const char *const *items, size_t n)
{
    size_t used = 0;
    buf[0] = 0;
    for (size_t i = 0; i < n && used + 1 < size; i++) {
        int k = snprintf(buf + used, size - used, "%s%s", i ? ", " : "", items[i]);
        if (k < 0) break;
        used += (size_t)k;
    }
}

/* Check a record; on failure *field names the offending field and msg says why. */
static int check_record(const epv_inventory *inv, const epv_inventory_record *r, const char **field, char *msg,
                        size_t size, size_t *factor)
{
    char list[400];
    const epv_inventory_factors *f = inv->f;
    if (!r->id || !*r->id) return *field = "id", epv__snprintf_c(msg, size, "record id is empty"), EPV_EINVAL;
    if (!r->document || !*r->document)
        return *field = "document", epv__snprintf_c(msg, size, "document id is empty"), EPV_EINVAL;
    if (r->year < 1900 || r->year > 2200)
        return *field = "year", epv__snprintf_c(msg, size, "year %d not in 1900..2200", r->year), EPV_ERANGE;
    const char *sector = nz(r->sector);
    size_t s;
    for (s = 0; s < epv__inv_nsectors; s++)
        if (!strcmp(sector, epv__inv_sectors[s])) break;
    if (s == epv__inv_nsectors) {
        join(list, sizeof list, epv__inv_sectors, epv__inv_nsectors);
        *field = "sector";
        epv__snprintf_c(msg, size, "unknown sector '%s' (known: %s)", sector, list);
        return EPV_ENOTFOUND;
    }
    size_t fi = epv__inv_factor_index(f, nz(r->code));
    if (fi == SIZE_MAX) {
        *field = "code";
        return epv__inv_unknown_code(inv->ctx, f, nz(r->code), msg, size);
    }
    const epv__inv_factor *x = &f->f[fi];
    if (strcmp(x->sector, sector)) {
        *field = "code";
        epv__snprintf_c(msg, size, "code '%s' belongs to sector '%s', not '%s'", x->code, x->sector, sector);
        return EPV_EINVAL;
    }
    const char *sub = nz(r->subsector);
    if (!strcmp(sector, "energy") || !strcmp(sector, "indirect")) {
        size_t k;
        for (k = 0; k < epv__inv_nconsumers; k++)
            if (!strcmp(sub, epv__inv_consumers[k])) break;
        if (k == epv__inv_nconsumers) {
            join(list, sizeof list, epv__inv_consumers, epv__inv_nconsumers);
            *field = "subsector";
            epv__snprintf_c(msg, size, "unknown subsector '%s' for sector %s (known: %s)", sub, sector, list);
            return EPV_ENOTFOUND;
        }
    } else if (*sub && strcmp(sub, x->subsector)) {
        *field = "subsector";
        epv__snprintf_c(msg, size, "subsector '%s' does not match code '%s' (its subsector is '%s')", sub, x->code,
                 x->subsector);
        return EPV_EINVAL;
    }
    if (strcmp(nz(r->unit), x->unit)) {
        *field = "unit";
        epv__snprintf_c(msg, size, "unit '%s' does not match the factor's unit '%s' for code '%s'", nz(r->unit), x->unit,
                 x->code);
        return EPV_EUNITS;
    }
    if (!isfinite(r->amount) || r->amount < 0) {
        *field = "amount";
        epv__snprintf_c(msg, size, "activity must be finite and >= 0 (got %g)", r->amount);
        return EPV_ERANGE;
    }
    if (!isfinite(r->u_pct) || r->u_pct < 0 || r->u_pct > 1000) {
        *field = "u_pct";
        epv__snprintf_c(msg, size, "U%% must be in 0..1000 (got %g)", r->u_pct);
        return EPV_ERANGE;
    }
    if (x->is_grid && (!r->grid || !*r->grid)) {
        *field = "grid";
        epv__snprintf_c(msg, size, "code '%s' needs a grid region", x->code);
        return EPV_EINVAL;
    }
    if (hash_find(inv, r->id) != SIZE_MAX) {
        *field = "id";
        epv__snprintf_c(msg, size, "record id '%s' given twice", r->id);
        return EPV_EEXISTS;
    }
    *factor = fi;
    return EPV_OK;
}

/* Append a checked record (strings copied into one block). */
static int append(epv_inventory *inv, const epv_inventory_record *r, size_t fi, const char *origin)
{
    epv_ctx *ctx = inv->ctx;
    const epv__inv_factor *x = &inv->f->f[fi];
    const char *sub = r->subsector && *r->subsector ? r->subsector : x->subsector;
    const char *ent = r->entity && *r->entity ? r->entity : "county";
    const char *parts[9] = { r->id, r->document, r->sector, sub, ent, r->code, r->unit, nz(r->grid), origin };
    size_t len = 0;
    for (int k = 0; k < 9; k++) len += strlen(parts[k]) + 1;
    if (epv__grow(ctx, (void **)&inv->r, &inv->capr, inv->nr + 1, sizeof *inv->r)) return EPV_ENOMEM;
    if (2 * (inv->nr + 1) + 2 > inv->hcap && hash_rebuild(inv, inv->nr + 1)) return EPV_ENOMEM;
    char *block = epv__malloc(ctx, len);
    if (!block) return EPV_ENOMEM;
    char *dst[9];
    char *p = block;
    for (int k = 0; k < 9; k++) {
        size_t l = strlen(parts[k]) + 1;
        memcpy(p, parts[k], l);
        dst[k] = p;
        p += l;
    }
    epv__inv_rec *d = &inv->r[inv->nr];
    d->id = dst[0];
    d->document = dst[1];
    d->sector = dst[2];
    d->subsector = dst[3];
    d->entity = dst[4];
    d->code = dst[5];
    d->unit = dst[6];
    d->grid = dst[7];
    d->origin = dst[8];
    d->year = r->year;
    d->factor = fi;
    d->amount = r->amount;
    d->u_pct = r->u_pct;
    hash_put(inv, inv->nr);
    inv->nr++;
    return EPV_OK;
}

EPV_API int epv_inventory_add_record(epv_ctx *ctx, epv_inventory *inv, const epv_inventory_record *rec)
{
    EPV__NEED(ctx, inv, "inv");
    EPV__NEED(ctx, rec, "rec");
    int rc = epv__check_version(ctx, "epv_inventory_record", rec, EPV_INVENTORY_RECORD_VERSION);
    if (rc) return rc;
    const char *field = "";
    char msg[480];
    size_t fi;
    if ((rc = check_record(inv, rec, &field, msg, sizeof msg, &fi)))
        return epv__error(ctx, rc, "epv_inventory_add_record: record '%s': field '%s': %s", nz(rec->id), field, msg);
    return append(inv, rec, fi, "api");
}

static int econ_check(const epv_inventory *inv, const epv_inventory_economy *e, const char **field, char *msg,
                      size_t size)
{
    if (e->year < 1900 || e->year > 2200)
        return *field = "year", epv__snprintf_c(msg, size, "year %d not in 1900..2200", e->year), EPV_ERANGE;
    if (!isfinite(e->gdp) || e->gdp <= 0)
        return *field = "gdp", epv__snprintf_c(msg, size, "GDP must be finite and > 0 (got %g)", e->gdp), EPV_ERANGE;
    if (!isfinite(e->energy_tce))
        return *field = "energy_tce", epv__snprintf_c(msg, size, "energy must be finite"), EPV_ERANGE;
    if (!e->document || !*e->document)
        return *field = "document", epv__snprintf_c(msg, size, "document id is empty"), EPV_EINVAL;
    for (size_t i = 0; i < inv->ne; i++)
        if (inv->e[i].year == e->year)
            return *field = "year", epv__snprintf_c(msg, size, "economy of %d given twice", e->year), EPV_EEXISTS;
    return EPV_OK;
}

static int econ_append(epv_inventory *inv, const epv_inventory_economy *e)
{
    if (epv__grow(inv->ctx, (void **)&inv->e, &inv->cape, inv->ne + 1, sizeof *inv->e)) return EPV_ENOMEM;
    epv__inv_econ *d = &inv->e[inv->ne];
    d->document = epv__strdup(inv->ctx, e->document);
    if (!d->document) return EPV_ENOMEM;
    d->year = e->year;
    d->gdp = e->gdp;
    d->energy_tce = e->energy_tce;
    inv->ne++;
    return EPV_OK;
}

EPV_API int epv_inventory_add_economy(epv_ctx *ctx, epv_inventory *inv, const epv_inventory_economy *e)
{
    EPV__NEED(ctx, inv, "inv");
    EPV__NEED(ctx, e, "e");
    int rc = epv__check_version(ctx, "epv_inventory_economy", e, EPV_INVENTORY_ECONOMY_VERSION);
    if (rc) return rc;
    const char *field = "";
    char msg[256];
    if ((rc = econ_check(inv, e, &field, msg, sizeof msg)))
        return epv__error(ctx, rc, "epv_inventory_add_economy: field '%s': %s", field, msg);
    return econ_append(inv, e);
}

/* ---- CSV ---------------------------------------------------------------------------- */

static size_t col_of(const epv__csv *c, const char *name)
{
    for (size_t k = 0; k < epv__csv_ncols(c); k++)
        if (!strcmp(epv__csv_header(c, k), name)) return k;
    return SIZE_MAX;
}

/* Field of the current row, "" for an absent column. */
static const char *fld(const epv__csv *c, size_t col) { return col == SIZE_MAX ? "" : epv__csv_field(c, col); }

static int csv_add(epv_ctx *ctx, epv_inventory *inv, const epv__csv *c, epv_inventory_record *r, size_t col_amount,
                   const size_t *colmap)
{
    const char *field = "";
    char msg[480], origin[300];
    size_t fi;
    int rc = check_record(inv, r, &field, msg, sizeof msg, &fi);
    if (rc) {
        size_t col = !strcmp(field, "amount") ? col_amount : col_of(c, field);
        (void)colmap;
        if (col == SIZE_MAX) col = col_amount;
        return epv__csv_error(ctx, c, col, rc, "%s", msg);
    }
    snprintf(origin, sizeof origin, "%s:%zu", epv__csv_name(c), epv__csv_line(c));
    return append(inv, r, fi, origin);
}

static int read_records(epv_ctx *ctx, epv_inventory *inv, epv__csv *c)
{
    size_t cid, cdoc, csec, csub, cent, ccode, cunit, cu, cgrid, cyear, camount;
    int rc;
    if ((rc = epv__csv_col(ctx, c, "id", 1, &cid)) || (rc = epv__csv_col(ctx, c, "document", 1, &cdoc)) ||
        (rc = epv__csv_col(ctx, c, "sector", 1, &csec)) || (rc = epv__csv_col(ctx, c, "subsector", 1, &csub)) ||
        (rc = epv__csv_col(ctx, c, "entity", 1, &cent)) || (rc = epv__csv_col(ctx, c, "code", 1, &ccode)) ||
        (rc = epv__csv_col(ctx, c, "unit", 1, &cunit)) || (rc = epv__csv_col(ctx, c, "u_pct", 0, &cu)) ||
        (rc = epv__csv_col(ctx, c, "grid", 0, &cgrid)) || (rc = epv__csv_col(ctx, c, "year", 0, &cyear)))
        return rc;
    /* Yearbook shape: one column per year. */
    size_t ycols[256], nyc = 0;
    int ycol_year[256];
    if (cyear == SIZE_MAX) {
        for (size_t k = 0; k < epv__csv_ncols(c) && nyc < 256; k++) {
            int64_t y;
            if (epv__parse_i64(epv__csv_header(c, k), &y) == 0 && y >= 1900 && y <= 2200) {
                ycols[nyc] = k;
                ycol_year[nyc++] = (int)y;
            }
        }
        if (!nyc)
            return epv__error(ctx, EPV_ENOTFOUND,
                              "%s: neither a 'year' column (long shape) nor year columns such as '2020' "
                              "(yearbook shape)", epv__csv_name(c));
    } else if ((rc = epv__csv_col(ctx, c, "amount", 1, &camount))) {
        return rc;
    }
    size_t nrows = epv__csv_nrows(c), row = 0;
    while ((rc = epv__csv_next(ctx, c)) == EPV_OK) {
        epv_inventory_record r = EPV_INVENTORY_RECORD_INIT;
        r.document = fld(c, cdoc);
        r.sector = fld(c, csec);
        r.subsector = fld(c, csub);
        r.entity = fld(c, cent);
        r.code = fld(c, ccode);
        r.unit = fld(c, cunit);
        r.grid = fld(c, cgrid);
        if (cu != SIZE_MAX && *fld(c, cu) && (rc = epv__csv_double(ctx, c, cu, 0, 1000, &r.u_pct))) return rc;
        if (cyear != SIZE_MAX) {
            int64_t y;
            if ((rc = epv__csv_i64(ctx, c, cyear, 1900, 2200, &y))) return rc;
            r.year = (int)y;
            r.id = fld(c, cid);
            if ((rc = epv__csv_double(ctx, c, camount, -1e300, 1e300, &r.amount))) return rc;
            if ((rc = csv_add(ctx, inv, c, &r, camount, NULL))) return rc;
        } else {
            for (size_t k = 0; k < nyc; k++) {
                if (!*epv__csv_field(c, ycols[k])) continue;
                char id[300];
                if (!*fld(c, cid)) return epv__csv_error(ctx, c, cid, EPV_EINVAL, "record id is empty");
                snprintf(id, sizeof id, "%s/%d", fld(c, cid), ycol_year[k]);
                r.id = id;
                r.year = ycol_year[k];
                if ((rc = epv__csv_double(ctx, c, ycols[k], -1e300, 1e300, &r.amount))) return rc;
                if ((rc = csv_add(ctx, inv, c, &r, ycols[k], NULL))) return rc;
            }
        }
        if ((++row & 1023) == 0 && (rc = epv__progress(ctx, 0.9 * (double)row / (double)(nrows + 1),
                                                       "inventory: reading")))
            return rc;
    }
    return rc == EPV_ITEROVER ? EPV_OK : rc;
}

EPV_API int epv_inventory_load_csv(epv_ctx *ctx, epv_inventory *inv, const char *path)
{
    EPV__NEED(ctx, inv, "inv");
    EPV__NEED(ctx, path, "path");
    epv__csv *c;
    int rc = epv__csv_open_file(ctx, path, NULL, &c);
    if (rc) return rc;
    size_t nr = inv->nr, ne = inv->ne;
    rc = read_records(ctx, inv, c);
    epv__csv_free(c);
    if (!rc) rc = epv__progress(ctx, 1.0, "inventory: read");
    if (rc) truncate_to(inv, nr, ne);
    return rc;
}

EPV_API int epv_inventory_load_economy_csv(epv_ctx *ctx, epv_inventory *inv, const char *path)
{
    EPV__NEED(ctx, inv, "inv");
    EPV__NEED(ctx, path, "path");
    epv__csv *c;
    int rc = epv__csv_open_file(ctx, path, NULL, &c);
    if (rc) return rc;
    size_t cy, cg, cd, ce;
    size_t nr = inv->nr, ne = inv->ne;
    if (!(rc = epv__csv_col(ctx, c, "year", 1, &cy)) && !(rc = epv__csv_col(ctx, c, "gdp", 1, &cg)) &&
        !(rc = epv__csv_col(ctx, c, "document", 1, &cd)) && !(rc = epv__csv_col(ctx, c, "energy_tce", 0, &ce))) {
        while ((rc = epv__csv_next(ctx, c)) == EPV_OK) {
            epv_inventory_economy e = EPV_INVENTORY_ECONOMY_INIT;
            int64_t y;
            if ((rc = epv__csv_i64(ctx, c, cy, 1900, 2200, &y)) || (rc = epv__csv_double(ctx, c, cg, 0, 1e300, &e.gdp)))
                break;
            if (ce != SIZE_MAX && *fld(c, ce) && (rc = epv__csv_double(ctx, c, ce, 0, 1e300, &e.energy_tce))) break;
            e.year = (int)y;
            e.document = fld(c, cd);
            const char *field = "";
            char msg[256];
            if ((rc = econ_check(inv, &e, &field, msg, sizeof msg))) {
                rc = epv__csv_error(ctx, c, col_of(c, field) == SIZE_MAX ? cy : col_of(c, field), rc, "%s", msg);
                break;
            }
            if ((rc = econ_append(inv, &e))) break;
        }
        if (rc == EPV_ITEROVER) rc = EPV_OK;
    }
    epv__csv_free(c);
    if (rc) truncate_to(inv, nr, ne);
    return rc;
}

/* ---- XML ---------------------------------------------------------------------------- */

static int xml_str(epv_ctx *ctx, const char *file, xmlNodePtr n, const char *attr, char **out)
{
    *out = NULL;
    if (!epv__xml_has(n, attr)) return EPV_OK;
    return epv__xml_attr_str(ctx, file, n, attr, 0, out);
}

static int xml_record(epv_ctx *ctx, epv_inventory *inv, const char *file, xmlNodePtr n)
{
    char *s[9] = { 0 };
    static const char *names[9] = { "id", "document", "sector", "subsector", "entity", "code", "unit", "grid", "" };
    int rc = EPV_OK;
    for (int k = 0; k < 8 && !rc; k++) rc = xml_str(ctx, file, n, names[k], &s[k]);
    epv_inventory_record r = EPV_INVENTORY_RECORD_INIT;
    int64_t y = 0;
    if (!rc) rc = epv__xml_attr_int(ctx, file, n, "year", 1, &y);
    if (!rc) rc = epv__xml_attr_double(ctx, file, n, "amount", 1, &r.amount);
    if (!rc && epv__xml_has(n, "u_pct")) rc = epv__xml_attr_double(ctx, file, n, "u_pct", 0, &r.u_pct);
    if (!rc) {
        r.id = s[0];
        r.document = s[1];
        r.sector = s[2];
        r.subsector = s[3];
        r.entity = s[4];
        r.code = s[5];
        r.unit = s[6];
        r.grid = s[7];
        r.year = (int)y;
        const char *field = "";
        char msg[480], origin[300];
        size_t fi;
        if ((rc = check_record(inv, &r, &field, msg, sizeof msg, &fi))) {
            rc = epv__xml_error_at(ctx, rc, file, n, "attribute '%s': %s", field, msg);
        } else {
            snprintf(origin, sizeof origin, "%s:%ld", file, (long)xmlGetLineNo(n));
            rc = append(inv, &r, fi, origin);
        }
    }
    for (int k = 0; k < 8; k++) epv__free(ctx, s[k]);
    return rc;
}

static int xml_economy(epv_ctx *ctx, epv_inventory *inv, const char *file, xmlNodePtr n)
{
    epv_inventory_economy e = EPV_INVENTORY_ECONOMY_INIT;
    int64_t y = 0;
    char *doc = NULL;
    int rc = epv__xml_attr_int(ctx, file, n, "year", 1, &y);
    if (!rc) rc = epv__xml_attr_double(ctx, file, n, "gdp", 1, &e.gdp);
    if (!rc && epv__xml_has(n, "energy_tce")) rc = epv__xml_attr_double(ctx, file, n, "energy_tce", 0, &e.energy_tce);
    if (!rc) rc = epv__xml_attr_str(ctx, file, n, "document", 1, &doc);
    if (!rc) {
        e.year = (int)y;
        e.document = doc;
        const char *field = "";
        char msg[256];
        if ((rc = econ_check(inv, &e, &field, msg, sizeof msg)))
            rc = epv__xml_error_at(ctx, rc, file, n, "attribute '%s': %s", field, msg);
        else
            rc = econ_append(inv, &e);
    }
    epv__free(ctx, doc);
    return rc;
}

EPV_API int epv_inventory_load_xml(epv_ctx *ctx, epv_inventory *inv, const char *path)
{
    EPV__NEED(ctx, inv, "inv");
    EPV__NEED(ctx, path, "path");
    xmlDocPtr doc;
    int rc = epv__xml_load_file(ctx, path, "schema/inventory.xsd", &doc);
    if (rc) return rc;
    size_t nr = inv->nr, ne = inv->ne;
    xmlNodePtr root = xmlDocGetRootElement(doc);
    for (xmlNodePtr n = epv__xml_child(root, NULL); n && !rc; n = epv__xml_next(n, NULL)) {
        if (epv__xml_is(n, "record"))
            rc = xml_record(ctx, inv, path, n);
        else if (epv__xml_is(n, "economy"))
            rc = xml_economy(ctx, inv, path, n);
    }
    xmlFreeDoc(doc);
    if (!rc) rc = epv__progress(ctx, 1.0, "inventory: read");
    if (rc) truncate_to(inv, nr, ne);
    return rc;
}
