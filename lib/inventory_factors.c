/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Factor tables of the inventory module: fuels and processes, grid factors by region and
 * year, GWP sets. Read through the strict CSV reader; every load is all rows or none. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "inventory_int.h"
#include "csv_int.h"
#include "epv/xml.h"
#include "epv/resource.h"

const char *const epv__inv_sectors[] = { "energy", "indirect", "industrial_processes", "agriculture",
                                          "waste" };
const size_t epv__inv_nsectors = EPV__ARRAY_LEN(epv__inv_sectors);
/* Consuming sectors (subsectors of energy and indirect), after the provincial guideline's
 * energy balance rows. */
const char *const epv__inv_consumers[] = { "energy_industries", "industry", "construction", "transport",
                                            "services", "residential", "agriculture_forestry_fishery" };
const size_t epv__inv_nconsumers = EPV__ARRAY_LEN(epv__inv_consumers);

const char *epv__inv_gas_name(int gas)
{
    switch (gas) {
    case EPV_INVENTORY_CO2: return "CO2";
    case EPV_INVENTORY_CH4: return "CH4";
    case EPV_INVENTORY_N2O: return "N2O";
    default: return "?";
    }
}

static int gas_parse(const char *s)
{
    if (!strcmp(s, "CO2")) return EPV_INVENTORY_CO2;
    if (!strcmp(s, "CH4")) return EPV_INVENTORY_CH4;
    if (!strcmp(s, "N2O")) return EPV_INVENTORY_N2O;
    return 0;
}

static int sector_known(const char *s)
{
    for (size_t i = 0; i < epv__inv_nsectors; i++)
        if (!strcmp(s, epv__inv_sectors[i])) return 1;
    return 0;
}

size_t epv__inv_factor_index(const epv_inventory_factors *f, const char *code)
{
    for (size_t i = 0; i < f->nf; i++)
        if (!strcmp(f->f[i].code, code)) return i;
    return SIZE_MAX;
}

const epv__inv_grid *epv__inv_grid_find(const epv_inventory_factors *f, const char *grid, int year)
{
    for (size_t i = 0; i < f->ng; i++)
        if (f->g[i].year == year && !strcmp(f->g[i].grid, grid)) return &f->g[i];
    return NULL;
}

static void factor_clear(epv_ctx *ctx, epv__inv_factor *x)
{
    epv__free(ctx, x->code);
    epv__free(ctx, x->name);
    epv__free(ctx, x->sector);
    epv__free(ctx, x->subsector);
    epv__free(ctx, x->unit);
    epv__free(ctx, x->source);
}

static void grid_clear(epv_ctx *ctx, epv__inv_grid *x)
{
    epv__free(ctx, x->grid);
    epv__free(ctx, x->source);
}

/* Optional numeric column: empty means `dflt`. */
static int opt_double(epv_ctx *ctx, const epv__csv *c, size_t col, double min, double max, double dflt,
                      double *out)
{
    if (col == SIZE_MAX || !*epv__csv_field(c, col)) {
        *out = dflt;
        return EPV_OK;
    }
    return epv__csv_double(ctx, c, col, min, max, out);
}

static int read_factors(epv_ctx *ctx, epv_inventory_factors *f, epv__csv *c)
{
    static const char *names[] = { "code", "name_zh", "sector", "subsector", "unit", "gas",
                                   "ncv_gj_per_unit", "carbon_tc_per_tj", "oxidation", "value",
                                   "u_pct", "tce_per_unit", "grid", "source", "provisional" };
    size_t col[EPV__ARRAY_LEN(names)];
    int rc;
    for (size_t k = 0; k < EPV__ARRAY_LEN(names); k++)
        if ((rc = epv__csv_col(ctx, c, names[k], k != 1, &col[k]))) return rc;
    size_t n0 = f->nf;
    while ((rc = epv__csv_next(ctx, c)) == EPV_OK) {
        const char *code, *sector, *unit, *gas, *source;
        if ((rc = epv__csv_text(ctx, c, col[0], &code)) || (rc = epv__csv_text(ctx, c, col[2], &sector)) ||
            (rc = epv__csv_text(ctx, c, col[4], &unit)) || (rc = epv__csv_text(ctx, c, col[5], &gas)) ||
            (rc = epv__csv_text(ctx, c, col[13], &source)))
            break;
        if (!sector_known(sector)) {
            rc = epv__csv_error(ctx, c, col[2], EPV_ENOTFOUND,
                                "unknown sector '%s' (known: energy, indirect, industrial_processes, "
                                "agriculture, waste)", sector);
            break;
        }
        int g = gas_parse(gas);
        if (!g) {
            rc = epv__csv_error(ctx, c, col[5], EPV_ENOTFOUND, "unknown gas '%s' (known: CO2, CH4, N2O)", gas);
            break;
        }
        if (epv__inv_factor_index(f, code) != SIZE_MAX) {
            rc = epv__csv_error(ctx, c, col[0], EPV_EEXISTS, "factor code '%s' given twice", code);
            break;
        }
        double ncv, cc, ox, value, u, tce, grid, prov;
        if ((rc = opt_double(ctx, c, col[6], 0, 1e9, 0, &ncv)) || (rc = opt_double(ctx, c, col[7], 0, 1e3, 0, &cc)) ||
            (rc = opt_double(ctx, c, col[8], 0, 1, 1, &ox)) || (rc = opt_double(ctx, c, col[9], 0, 1e9, NAN, &value)) ||
            (rc = epv__csv_double(ctx, c, col[10], 0, 1000, &u)) ||
            (rc = opt_double(ctx, c, col[11], 0, 1e9, 0, &tce)) || (rc = opt_double(ctx, c, col[12], 0, 1, 0, &grid)) ||
            (rc = epv__csv_double(ctx, c, col[14], 0, 1, &prov)))
            break;
        if (isnan(value)) {
            if (ncv <= 0 || cc <= 0) {
                rc = epv__csv_error(ctx, c, col[9], EPV_EINVAL,
                                    "no value and no ncv_gj_per_unit x carbon_tc_per_tj to derive it from");
                break;
            }
            /* IPCC 2006 Vol. 2 ch. 1: EF = NCV x carbon content x oxidation x 44/12. */
            value = ncv * cc / 1000.0 * ox * 44.0 / 12.0;
        }
        if ((rc = epv__grow(ctx, (void **)&f->f, &f->capf, f->nf + 1, sizeof *f->f))) break;
        epv__inv_factor *x = &f->f[f->nf];
        memset(x, 0, sizeof *x);
        x->code = epv__strdup(ctx, code);
        x->name = epv__strdup(ctx, col[1] == SIZE_MAX ? "" : epv__csv_field(c, col[1]));
        x->sector = epv__strdup(ctx, sector);
        x->subsector = epv__strdup(ctx, epv__csv_field(c, col[3]));
        x->unit = epv__strdup(ctx, unit);
        x->source = epv__strdup(ctx, source);
        x->gas = g;
        x->value = value;
        x->u_pct = u;
        x->ncv = ncv;
        x->tce = tce;
        x->is_grid = grid != 0;
        x->provisional = prov != 0;
        f->nf++;
        if (!x->code || !x->name || !x->sector || !x->subsector || !x->unit || !x->source) {
            rc = EPV_ENOMEM;
            break;
        }
    }
    if (rc == EPV_ITEROVER) return EPV_OK;
    while (f->nf > n0) factor_clear(ctx, &f->f[--f->nf]);
    return rc;
}

static int read_grid(epv_ctx *ctx, epv_inventory_factors *f, epv__csv *c)
{
    static const char *names[] = { "grid", "year", "t_co2_per_mwh", "u_pct", "source", "provisional" };
    size_t col[6];
    int rc;
    for (size_t k = 0; k < 6; k++)
        if ((rc = epv__csv_col(ctx, c, names[k], 1, &col[k]))) return rc;
    size_t n0 = f->ng;
    while ((rc = epv__csv_next(ctx, c)) == EPV_OK) {
        const char *grid, *source;
        int64_t year;
        double v, u, prov;
        if ((rc = epv__csv_text(ctx, c, col[0], &grid)) || (rc = epv__csv_i64(ctx, c, col[1], 1900, 2200, &year)) ||
            (rc = epv__csv_double(ctx, c, col[2], 0, 10, &v)) || (rc = epv__csv_double(ctx, c, col[3], 0, 1000, &u)) ||
            (rc = epv__csv_text(ctx, c, col[4], &source)) || (rc = epv__csv_double(ctx, c, col[5], 0, 1, &prov)))
            break;
        if (epv__inv_grid_find(f, grid, (int)year)) {
            rc = epv__csv_error(ctx, c, col[1], EPV_EEXISTS, "grid '%s' year %d given twice", grid, (int)year);
            break;
        }
        if ((rc = epv__grow(ctx, (void **)&f->g, &f->capg, f->ng + 1, sizeof *f->g))) break;
        epv__inv_grid *x = &f->g[f->ng++];
        x->grid = epv__strdup(ctx, grid);
        x->source = epv__strdup(ctx, source);
        x->year = (int)year;
        x->value = v;
        x->u_pct = u;
        x->provisional = prov != 0;
        if (!x->grid || !x->source) {
            rc = EPV_ENOMEM;
            break;
        }
    }
    if (rc == EPV_ITEROVER) return EPV_OK;
    while (f->ng > n0) grid_clear(ctx, &f->g[--f->ng]);
    return rc;
}

static int read_gwp(epv_ctx *ctx, epv_inventory_factors *f, epv__csv *c)
{
    size_t cs, cg, cv;
    int rc;
    if ((rc = epv__csv_col(ctx, c, "set", 1, &cs)) || (rc = epv__csv_col(ctx, c, "gas", 1, &cg)) ||
        (rc = epv__csv_col(ctx, c, "gwp", 1, &cv)))
        return rc;
    while ((rc = epv__csv_next(ctx, c)) == EPV_OK) {
        const char *set = epv__csv_field(c, cs);
        int s = !strcmp(set, "AR4") ? 0 : !strcmp(set, "AR5") ? 1 : !strcmp(set, "AR6") ? 2 : -1;
        int g = gas_parse(epv__csv_field(c, cg));
        if (s < 0) return epv__csv_error(ctx, c, cs, EPV_ENOTFOUND, "unknown set '%s' (known: AR4, AR5, AR6)", set);
        if (!g) return epv__csv_error(ctx, c, cg, EPV_ENOTFOUND, "unknown gas (known: CO2, CH4, N2O)");
        if ((rc = epv__csv_double(ctx, c, cv, 0, 1e6, &f->gwp[s][g]))) return rc;
    }
    return rc == EPV_ITEROVER ? EPV_OK : rc;
}

static int load_resource(epv_ctx *ctx, epv_inventory_factors *f, const char *name,
                         int (*reader)(epv_ctx *, epv_inventory_factors *, epv__csv *))
{
    size_t len;
    const char *text = epv_resource_get(name, &len);
    if (!text) return epv__error(ctx, EPV_ENOTFOUND, "inventory: shipped table %s missing", name);
    epv__csv *c;
    int rc = epv__csv_open_memory(ctx, text, len, name, NULL, &c);
    if (rc) return rc;
    rc = reader(ctx, f, c);
    epv__csv_free(c);
    return rc;
}

EPV_API int epv_inventory_factors_load_default(epv_ctx *ctx, epv_inventory_factors **out)
{
    EPV__NEED(ctx, out, "out");
    *out = NULL;
    epv_inventory_factors *f = epv__calloc(ctx, 1, sizeof *f);
    if (!f) return EPV_ENOMEM;
    f->ctx = ctx;
    for (int s = 0; s < 3; s++) f->gwp[s][EPV_INVENTORY_CO2] = 1.0;
    int rc = load_resource(ctx, f, "inventory/factors.csv", read_factors);
    if (!rc) rc = load_resource(ctx, f, "inventory/grid.csv", read_grid);
    if (!rc) rc = load_resource(ctx, f, "inventory/gwp.csv", read_gwp);
    if (rc) {
        epv_inventory_factors_free(f);
        return rc;
    }
    *out = f;
    return EPV_OK;
}

static int load_path(epv_ctx *ctx, epv_inventory_factors *f, const char *path,
                     int (*reader)(epv_ctx *, epv_inventory_factors *, epv__csv *))
{
    epv__csv *c;
    int rc = epv__csv_open_file(ctx, path, NULL, &c);
    if (rc) return rc;
    rc = reader(ctx, f, c);
    epv__csv_free(c);
    return rc;
}

EPV_API int epv_inventory_factors_load_csv(epv_ctx *ctx, epv_inventory_factors *f, const char *path)
{
    EPV__NEED(ctx, f, "f");
    EPV__NEED(ctx, path, "path");
    return load_path(ctx, f, path, read_factors);
}

EPV_API int epv_inventory_factors_load_grid_csv(epv_ctx *ctx, epv_inventory_factors *f, const char *path)
{
    EPV__NEED(ctx, f, "f");
    EPV__NEED(ctx, path, "path");
    return load_path(ctx, f, path, read_grid);
}

EPV_API void epv_inventory_factors_free(epv_inventory_factors *f)
{
    if (!f) return;
    epv_ctx *ctx = f->ctx;
    for (size_t i = 0; i < f->nf; i++) factor_clear(ctx, &f->f[i]);
    for (size_t i = 0; i < f->ng; i++) grid_clear(ctx, &f->g[i]);
    epv__free(ctx, f->f);
    epv__free(ctx, f->g);
    epv__free(ctx, f);
}

EPV_API size_t epv_inventory_factors_count(const epv_inventory_factors *f) { return f ? f->nf : 0; }

EPV__DEFINE_INIT(epv_inventory_factor, EPV_INVENTORY_FACTOR_VERSION, EPV_INVENTORY_FACTOR_INIT)

EPV_API int epv_inventory_factors_at(epv_ctx *ctx, const epv_inventory_factors *f, size_t i,
                                     epv_inventory_factor *out)
{
    EPV__NEED(ctx, f, "f");
    EPV__NEED(ctx, out, "out");
    int rc = epv__check_version(ctx, "epv_inventory_factor", out, EPV_INVENTORY_FACTOR_VERSION);
    if (rc) return rc;
    if (i >= f->nf) return epv__error(ctx, EPV_ERANGE, "epv_inventory_factors_at: index %zu of %zu", i, f->nf);
    const epv__inv_factor *x = &f->f[i];
    out->code = x->code;
    out->sector = x->sector;
    out->subsector = x->subsector;
    out->unit = x->unit;
    out->gas = x->gas;
    out->value = x->value;
    out->u_pct = x->u_pct;
    out->ncv_gj = x->ncv;
    out->tce = x->tce;
    out->is_grid = x->is_grid;
    out->provisional = x->provisional;
    out->source = x->source;
    return EPV_OK;
}

/* "a, b, c" of every known code, for messages (truncated to fit). */
static void list_codes(const epv_inventory_factors *f, char *buf, size_t size)
{
    size_t used = 0;
    buf[0] = 0;
    for (size_t i = 0; i < f->nf && used + 1 < size; i++) {
        int k = snprintf(buf + used, size - used, "%s%s", i ? ", " : "", f->f[i].code);
        if (k < 0) break;
        used += (size_t)k;
    }
}


int epv__inv_unknown_code(epv_ctx *ctx, const epv_inventory_factors *f, const char *code, char *msg, size_t size)
{
    char list[400];
    list_codes(f, list, sizeof list);
    epv__snprintf_c(msg, size, "unknown code '%s' (known: %s)", code, list);
    (void)ctx;
    return EPV_ENOTFOUND;
}

EPV_API int epv_inventory_factors_find(epv_ctx *ctx, const epv_inventory_factors *f, const char *code,
                                       epv_inventory_factor *out)
{
    EPV__NEED(ctx, f, "f");
    EPV__NEED(ctx, code, "code");
    EPV__NEED(ctx, out, "out");
    size_t i = epv__inv_factor_index(f, code);
    if (i == SIZE_MAX) {
        char msg[480];
        epv__inv_unknown_code(ctx, f, code, msg, sizeof msg);
        return epv__error(ctx, EPV_ENOTFOUND, "epv_inventory_factors_find: %s", msg);
    }
    return epv_inventory_factors_at(ctx, f, i, out);
}

EPV_API int epv_inventory_factors_grid(epv_ctx *ctx, const epv_inventory_factors *f, const char *grid, int year,
                                       double *t_co2_per_mwh, double *u_pct)
{
    EPV__NEED(ctx, f, "f");
    EPV__NEED(ctx, grid, "grid");
    EPV__NEED(ctx, t_co2_per_mwh, "t_co2_per_mwh");
    const epv__inv_grid *g = epv__inv_grid_find(f, grid, year);
    if (!g) {
        char years[200] = "";
        size_t used = 0;
        for (size_t i = 0; i < f->ng && used + 8 < sizeof years; i++)
            if (!strcmp(f->g[i].grid, grid))
                used += (size_t)snprintf(years + used, sizeof years - used, "%s%d", used ? ", " : "", f->g[i].year);
        return epv__error(ctx, EPV_ENOTFOUND, "no grid factor for grid '%s' in %d (years held: %s)", grid, year,
                          used ? years : "none");
    }
    *t_co2_per_mwh = g->value;
    if (u_pct) *u_pct = g->u_pct;
    return EPV_OK;
}

EPV_API int epv_inventory_factors_gwp(epv_ctx *ctx, const epv_inventory_factors *f, int set, int gas, double *out)
{
    EPV__NEED(ctx, f, "f");
    EPV__NEED(ctx, out, "out");
    if (set < EPV_INVENTORY_GWP_AR4 || set > EPV_INVENTORY_GWP_AR6)
        return epv__error(ctx, EPV_EINVAL, "unknown GWP set %d (known: 4 = AR4, 5 = AR5, 6 = AR6)", set);
    if (gas < EPV_INVENTORY_CO2 || gas > EPV_INVENTORY_N2O)
        return epv__error(ctx, EPV_EINVAL, "unknown gas %d (known: 1 = CO2, 2 = CH4, 3 = N2O)", gas);
    *out = f->gwp[set - EPV_INVENTORY_GWP_AR4][gas];
    return EPV_OK;
}
