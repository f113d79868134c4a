/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Reader of GEP input files (schema/gep_input.xsd). Everything goes into fresh objects,
 * which are freed on the first error: a bad file changes nothing. */
#include "config.h"
#include "gep_int.h"
#include "xml_int.h"

#include <math.h>
#include <string.h>

#define INPUT_SCHEMA "schema/gep_input.xsd"

struct rd {
    epv_ctx *ctx;
    const char *file;
    const epv_gep_tree *tree;
    epv_gep_input *in;
    /* pollutant capacities, capped at the region's emissions after the whole file is read */
    struct cap { size_t region, eco, ind; int year; double t; xmlNodePtr node; } *caps;
    double *capbuf; /* 2 × ncap scratch for epv_gep_model_emission_cap */
    size_t ncap, capcap;
};

/* Fixed-size string attribute. */
static int sattr(struct rd *d, xmlNodePtr n, const char *a, int req, char *dst, size_t cap)
{
    char *s = NULL;
    dst[0] = '\0';
    int rc = epv__xml_attr_str(d->ctx, d->file, n, a, req, &s);
    if (rc || !s) return rc;
    if (strlen(s) >= cap) rc = epv__xml_error_at(d->ctx, EPV_ERANGE, d->file, n, "attribute '%s' is too long", a);
    else strcpy(dst, s);
    epv__free(d->ctx, s);
    return rc;
}

static int dattr(struct rd *d, xmlNodePtr n, const char *a, double *out)
{
    int rc = epv__xml_attr_double(d->ctx, d->file, n, a, 1, out);
    if (!rc && *out < 0)
        rc = epv__xml_error_at(d->ctx, EPV_ERANGE, d->file, n, "attribute '%s': %g is negative", a, *out);
    return rc;
}

static int iattr(struct rd *d, xmlNodePtr n, const char *a, int req, int *out)
{
    int64_t v = 0;
    int rc = epv__xml_attr_int(d->ctx, d->file, n, a, req, &v);
    if (rc) return rc;
    if (v < -1000000 || v > 1000000) return epv__xml_error_at(d->ctx, EPV_ERANGE, d->file, n, "attribute '%s' out of range", a);
    *out = (int)v;
    return EPV_OK;
}

/* Prefix an error from the API with the element's location. */
static int at(struct rd *d, xmlNodePtr n, int rc)
{
    if (rc) epv__error_prefix(d->ctx, "%s:%ld: <%s>", d->file, (long)xmlGetLineNo(n), (const char *)n->name);
    return rc;
}

struct loc { char region[EPV_GEP_CODE_MAX], eco[EPV_GEP_CODE_MAX]; int year; };

static int loc(struct rd *d, xmlNodePtr n, struct loc *l)
{
    int rc = sattr(d, n, "region", 1, l->region, sizeof l->region);
    if (!rc && epv__xml_has(n, "ecosystem")) rc = sattr(d, n, "ecosystem", 1, l->eco, sizeof l->eco);
    if (!rc) rc = iattr(d, n, "year", 1, &l->year);
    return rc;
}

static int qset(struct rd *d, xmlNodePtr n, const struct loc *l, const char *ind, double v, epv_unit u)
{
    return at(d, n, epv_gep_account_set_quantity(d->ctx, d->in->acc, l->region, l->eco, ind, l->year, v, u));
}

/* Add a model's result to what the cell already holds (transpiration and evaporation, or the
 * flood components, may both fall in one region, ecosystem and year). */
static int qadd(struct rd *d, xmlNodePtr n, const struct loc *l, const char *ind, double v, epv_unit u)
{
    double have = 0;
    int rc = at(d, n, epv_gep_account_quantity(d->ctx, d->in->acc, l->region, l->eco, ind, l->year, &have));
    if (rc) return rc;
    return qset(d, n, l, ind, have + v, u);
}

/* The specification's models with inputs on one element (one cell: n = 1, area in ha). */
static int do_model(struct rd *d, xmlNodePtr n, int *done)
{
    epv_ctx *ctx = d->ctx;
    struct loc l;
    memset(&l, 0, sizeof l);
    double v[8], out, m2;
    int rc;
    *done = 1;
#define ATTRS(...)                                                                                 \
    do {                                                                                           \
        static const char *const names_[] = { __VA_ARGS__ };                                       \
        if ((rc = loc(d, n, &l))) return rc;                                                       \
        for (size_t k_ = 0; k_ < sizeof names_ / sizeof names_[0]; k_++)                          \
            if ((rc = dattr(d, n, names_[k_], &v[k_]))) return rc;                                 \
    } while (0)
    if (epv__xml_is(n, "climateTranspiration")) {
        ATTRS("areaHa", "eppKjM2Day", "days", "eer");
        m2 = v[0] * 1e4;
        if ((rc = at(d, n, epv_gep_model_climate_transpiration(ctx, 1, &v[1], &m2, &v[2], v[3], &out)))) return rc;
        return qadd(d, n, &l, "climate_regulation", out, EPV_UNIT_KWH);
    }
    if (epv__xml_is(n, "climateEvaporation")) {
        ATTRS("waterAreaHa", "evapMm", "latentHeatKjKg", "eer");
        double y = 0;
        if (epv__xml_has(n, "humidifierKwhM3") && (rc = dattr(d, n, "humidifierKwhM3", &y))) return rc;
        m2 = v[0] * 1e4;
        if ((rc = at(d, n, epv_gep_model_climate_evaporation(ctx, 1, &v[1], &m2, v[2], v[3], y, &out)))) return rc;
        return qadd(d, n, &l, "climate_regulation", out, EPV_UNIT_KWH);
    }
    if (epv__xml_is(n, "floodVegetation")) {
        ATTRS("areaHa", "stormPrecipMm", "stormRunoffMm");
        m2 = v[0] * 1e4;
        if ((rc = at(d, n, epv_gep_model_flood_vegetation(ctx, 1, &v[1], &v[2], &m2, &out)))) return rc;
        return qadd(d, n, &l, "flood_regulation", out, EPV_UNIT_M3);
    }
    if (epv__xml_is(n, "floodReservoir")) {
        ATTRS("capacityM3");
        double share = 0.35; /* the specification's national share of capacity used for floods */
        if (epv__xml_has(n, "floodShare") && (rc = dattr(d, n, "floodShare", &share))) return rc;
        if ((rc = at(d, n, epv_gep_model_flood_reservoir(ctx, 1, &v[0], share, &out)))) return rc;
        return qadd(d, n, &l, "flood_regulation", out, EPV_UNIT_M3);
    }
    if (epv__xml_is(n, "floodMarsh")) {
        ATTRS("areaHa", "soilDepthM", "bulkDensityTM3", "saturatedWater", "naturalWater", "surfaceDepthM");
        m2 = v[0] * 1e4;
        if ((rc = at(d, n, epv_gep_model_flood_marsh(ctx, 1, &m2, &v[1], &v[2], &v[3], &v[4], &v[5], &out)))) return rc;
        return qadd(d, n, &l, "flood_regulation", out, EPV_UNIT_M3);
    }
    if (epv__xml_is(n, "sandFixation")) {
        ATTRS("areaHa", "wf", "ef", "scf", "kRough", "c", "zM");
        m2 = v[0] * 1e4;
        if ((rc = at(d, n, epv_gep_model_sand_fixation(ctx, 1, &v[1], &v[2], &v[3], &v[4], &v[5], v[6], &m2, NULL, NULL, &out))))
            return rc;
        if (out < 0)
            return epv__xml_error_at(ctx, EPV_ERANGE, d->file, n,
                                     "RWEQ gives actual loss above the bare-soil potential (%g t): check c and zM", -out);
        return qadd(d, n, &l, "wind_erosion_control", out, EPV_UNIT_T);
    }
#undef ATTRS
    *done = 0;
    return EPV_OK;
}

static int do_price(struct rd *d, xmlNodePtr n)
{
    epv_gep_price p = EPV_GEP_PRICE_INIT;
    char cur[32], per[32], method[32];
    int rc;
    if ((rc = sattr(d, n, "indicator", 1, p.indicator, sizeof p.indicator)) || (rc = sattr(d, n, "currency", 1, cur, sizeof cur)) ||
        (rc = sattr(d, n, "per", 1, per, sizeof per)) || (rc = sattr(d, n, "method", 0, method, sizeof method)) ||
        (rc = sattr(d, n, "source", 1, p.source, sizeof p.source)))
        return rc;
    double v;
    if ((rc = epv__xml_attr_double(d->ctx, d->file, n, "value", 1, &v))) return rc;
    if (!epv__xml_has(n, "baseYear"))
        return epv__xml_error_at(d->ctx, EPV_EINVAL, d->file, n, "attribute 'baseYear' is missing: price of '%s' is undated",
                                 p.indicator);
    if ((rc = iattr(d, n, "baseYear", 1, &p.base_year))) return rc;
    epv_unit cu, pu;
    if (epv_unit_from_symbol(d->ctx, cur, &cu) || epv_unit_dimension_of(cu) != EPV_UNIT_DIM_MONEY)
        return epv__xml_error_at(d->ctx, EPV_EUNITS, d->file, n, "attribute 'currency': '%s' is not a money unit", cur);
    if (epv_unit_from_symbol(d->ctx, per, &pu))
        return epv__xml_error_at(d->ctx, EPV_EUNITS, d->file, n, "attribute 'per': unknown unit '%s'", per);
    double yuan;
    epv_unit_convert(d->ctx, v, cu, EPV_UNIT_YUAN, &yuan);
    p.yuan_per_unit = yuan;
    p.unit = pu;
    p.method = method[0] ? epv__gep_method_parse(method) : EPV_GEP_METHOD_NONE;
    if (method[0] && !p.method)
        return epv__xml_error_at(d->ctx, EPV_EINVAL, d->file, n, "attribute 'method': unknown method '%s'", method);
    return at(d, n, epv_gep_prices_set(d->ctx, d->in->prices, &p));
}

static int do_soil_price(struct rd *d, xmlNodePtr n)
{
    epv_gep_soil_value_params s = EPV_GEP_SOIL_VALUE_PARAMS_INIT;
    epv_gep_price p = EPV_GEP_PRICE_INIT;
    char kind[2][32] = { "treatment", "treatment" };
    static const char *const kattr[2] = { "nPriceKind", "pPriceKind" };
    epv_gep_nutrient_price *kdst[2] = { &s.n_price_kind, &s.p_price_kind };
    int rc;
    /* What each nutrient price is: a fertiliser price or a treatment cost. Files of 0.1 carry
     * treatment costs (N 875, P 2800 yuan/t, references.md) and no kind: treatment. */
    for (int k = 0; k < 2; k++) {
        if ((rc = sattr(d, n, kattr[k], 0, kind[k], sizeof kind[k]))) return rc;
        if (!kind[k][0]) strcpy(kind[k], "treatment");
        if (strcmp(kind[k], "fertiliser") == 0) *kdst[k] = EPV_GEP_NUTRIENT_FERTILISER;
        else if (strcmp(kind[k], "treatment") == 0) *kdst[k] = EPV_GEP_NUTRIENT_TREATMENT;
        else
            return epv__xml_error_at(d->ctx, EPV_EINVAL, d->file, n, "attribute '%s': '%s' is neither 'fertiliser' nor 'treatment'",
                                     kattr[k], kind[k]);
    }
    if ((rc = dattr(d, n, "siltFraction", &s.silt_fraction)) || (rc = dattr(d, n, "densityTM3", &s.soil_density_t_m3)) ||
        (rc = dattr(d, n, "dredgingYuanM3", &s.dredging_yuan_m3)) || (rc = dattr(d, n, "nFraction", &s.n_fraction)) ||
        (rc = dattr(d, n, "pFraction", &s.p_fraction)) || (rc = dattr(d, n, "nPriceYuanT", &s.n_price_yuan_t)) ||
        (rc = dattr(d, n, "pPriceYuanT", &s.p_price_yuan_t)) || (rc = sattr(d, n, "source", 1, p.source, sizeof p.source)))
        return rc;
    if (!epv__xml_has(n, "baseYear"))
        return epv__xml_error_at(d->ctx, EPV_EINVAL, d->file, n, "attribute 'baseYear' is missing: soil price is undated");
    if ((rc = iattr(d, n, "baseYear", 1, &p.base_year))) return rc;
    return at(d, n, epv_gep_prices_set_soil(d->ctx, d->in->prices, &s, p.base_year, p.source));
}

static int do_sand_price(struct rd *d, xmlNodePtr n)
{
    epv_gep_price p = EPV_GEP_PRICE_INIT;
    double rho, h, c;
    int rc;
    if ((rc = dattr(d, n, "densityTM3", &rho)) || (rc = dattr(d, n, "depthM", &h)) || (rc = dattr(d, n, "costYuanM2", &c)) ||
        (rc = sattr(d, n, "source", 1, p.source, sizeof p.source)))
        return rc;
    if (!epv__xml_has(n, "baseYear"))
        return epv__xml_error_at(d->ctx, EPV_EINVAL, d->file, n, "attribute 'baseYear' is missing: sand price is undated");
    if ((rc = iattr(d, n, "baseYear", 1, &p.base_year))) return rc;
    if ((rc = at(d, n, epv_gep_sand_unit_value(d->ctx, rho, h, c, &p.yuan_per_unit)))) return rc;
    strcpy(p.indicator, "wind_erosion_control");
    p.unit = EPV_UNIT_T;
    p.method = EPV_GEP_REPLACEMENT_COST;
    return at(d, n, epv_gep_prices_set(d->ctx, d->in->prices, &p));
}

static int do_element(struct rd *d, xmlNodePtr n)
{
    epv_ctx *ctx = d->ctx;
    epv_gep_account *acc = d->in->acc;
    struct loc l;
    memset(&l, 0, sizeof l);
    char ind[EPV_GEP_CODE_MAX], unit[32], from[EPV_GEP_CODE_MAX];
    double a, b, c, e, f, g;
    int rc, y;
    int model_done;
    if ((rc = do_model(d, n, &model_done)) || model_done) return rc;
    if (epv__xml_is(n, "price")) return do_price(d, n);
    if (epv__xml_is(n, "soilPrice")) return do_soil_price(d, n);
    if (epv__xml_is(n, "sandPrice")) return do_sand_price(d, n);
    if (epv__xml_is(n, "deflator")) {
        if ((rc = iattr(d, n, "year", 1, &y)) || (rc = dattr(d, n, "index", &a))) return rc;
        if (!d->in->deflator && (rc = epv_gep_deflator_new(ctx, &d->in->deflator))) return rc;
        double old;
        if (epv_gep_deflator_get(NULL, d->in->deflator, y, &old) == 0)
            return epv__xml_error_at(ctx, EPV_EEXISTS, d->file, n, "attribute 'year': %d appears twice", y);
        return at(d, n, epv_gep_deflator_set(ctx, d->in->deflator, y, a));
    }
    if (epv__xml_is(n, "ecosystemArea")) {
        if ((rc = loc(d, n, &l)) || (rc = dattr(d, n, "areaHa", &a))) return rc;
        return at(d, n, epv_gep_account_set_ecosystem_area(ctx, acc, l.region, l.eco, l.year, a));
    }
    if (epv__xml_is(n, "gdp")) {
        if ((rc = loc(d, n, &l)) || (rc = dattr(d, n, "yuan", &a))) return rc;
        return at(d, n, epv_gep_account_set_gdp(ctx, acc, l.region, l.year, a));
    }
    if (epv__xml_is(n, "emission")) {
        if ((rc = loc(d, n, &l)) || (rc = sattr(d, n, "indicator", 1, ind, sizeof ind)) || (rc = dattr(d, n, "t", &a))) return rc;
        return at(d, n, epv_gep_account_set_emission(ctx, acc, l.region, ind, l.year, a));
    }
    if (epv__xml_is(n, "quantity")) {
        epv_unit u;
        if ((rc = loc(d, n, &l)) || (rc = sattr(d, n, "indicator", 1, ind, sizeof ind)) ||
            (rc = sattr(d, n, "unit", 1, unit, sizeof unit)) || (rc = epv__xml_attr_double(ctx, d->file, n, "value", 1, &a)))
            return rc;
        if (epv_unit_from_symbol(ctx, unit, &u))
            return epv__xml_error_at(ctx, EPV_EUNITS, d->file, n, "attribute 'unit': unknown unit '%s'", unit);
        return qset(d, n, &l, ind, a, u);
    }
    if (epv__xml_is(n, "waterBalance")) {
        if ((rc = loc(d, n, &l)) || (rc = dattr(d, n, "areaHa", &a)) || (rc = dattr(d, n, "precipMm", &b)) ||
            (rc = dattr(d, n, "runoffMm", &c)) || (rc = dattr(d, n, "etMm", &e)))
            return rc;
        double q, m2 = a * 1e4;
        if ((rc = at(d, n, epv_gep_model_water_conservation(ctx, 1, &b, &c, &e, &m2, &q)))) return rc;
        /* a deficit conserves nothing: recorded as 0, not as negative supply (our choice) */
        return qset(d, n, &l, "water_conservation", q > 0 ? q : 0.0, EPV_UNIT_M3);
    }
    if (epv__xml_is(n, "soilLoss")) {
        double p;
        if ((rc = loc(d, n, &l)) || (rc = dattr(d, n, "areaHa", &a)) || (rc = dattr(d, n, "r", &b)) ||
            (rc = dattr(d, n, "k", &c)) || (rc = dattr(d, n, "ls", &e)) || (rc = dattr(d, n, "c", &f)) || (rc = dattr(d, n, "p", &g)))
            return rc;
        if ((rc = at(d, n, epv_gep_model_soil_retention(ctx, 1, &b, &c, &e, &f, &g, &a, NULL, NULL, &p)))) return rc;
        return qset(d, n, &l, "soil_retention", p, EPV_UNIT_T);
    }
    if (epv__xml_is(n, "nep") || epv__xml_is(n, "co2")) {
        double co2, o2;
        int nep = epv__xml_is(n, "nep");
        if ((rc = loc(d, n, &l)) || (rc = dattr(d, n, nep ? "tC" : "t", &a))) return rc;
        double one_ha = 1.0;
        if (nep && a < 0)
            return epv__xml_error_at(ctx, EPV_ERANGE, d->file, n, "attribute 'tC': %g is negative (a source, not a fixation)", a);
        if (nep) rc = epv_gep_model_carbon_oxygen(ctx, 1, &a, &one_ha, &co2, &o2);
        else {
            co2 = a;
            rc = epv_gep_oxygen_from_co2(ctx, a, &o2);
        }
        if ((rc = at(d, n, rc))) return rc;
        if ((rc = qset(d, n, &l, "carbon_fixation", co2, EPV_UNIT_T_CO2E))) return rc;
        return qset(d, n, &l, "oxygen_release", o2, EPV_UNIT_T);
    }
    if (epv__xml_is(n, "climate")) {
        double kwh;
        if ((rc = loc(d, n, &l)) || (rc = dattr(d, n, "waterM3", &a)) || (rc = dattr(d, n, "latentHeatJPerG", &b)) ||
            (rc = dattr(d, n, "eer", &c)))
            return rc;
        /* the simplified formula of version 0.1 (J/g = kJ/kg), under its own name */
        if ((rc = at(d, n, epv_gep_model_climate_simplified(ctx, 1, &a, b, c, &kwh)))) return rc;
        return qset(d, n, &l, "climate_regulation", kwh, EPV_UNIT_KWH);
    }
    if (epv__xml_is(n, "pollutant")) {
        if ((rc = loc(d, n, &l)) || (rc = sattr(d, n, "indicator", 1, ind, sizeof ind)) || (rc = dattr(d, n, "capacityT", &a)))
            return rc;
        /* record the uncapped capacity now (validates codes), cap after the whole file */
        if ((rc = qset(d, n, &l, ind, a, EPV_UNIT_T))) return rc;
        long ti = epv__gep_tree_index(d->tree, ind);
        if (!d->tree->nodes[ti].capped_by_emission)
            return epv__xml_error_at(ctx, EPV_EINVAL, d->file, n, "attribute 'indicator': '%s' is not a pollutant", ind);
        if (epv__grow(ctx, (void **)&d->caps, &d->capcap, d->ncap + 1, sizeof *d->caps)) return EPV_ENOMEM;
        d->caps[d->ncap++] = (struct cap){ (size_t)epv__gep_region_index(NULL, acc, l.region, 0),
                                           (size_t)epv__gep_eco_index(NULL, acc, l.eco, 0), (size_t)ti, l.year, a, n };
        return EPV_OK;
    }
    if (epv__xml_is(n, "inflow")) {
        if ((rc = loc(d, n, &l)) || (rc = sattr(d, n, "from", 0, from, sizeof from)) ||
            (rc = sattr(d, n, "indicator", 1, ind, sizeof ind)) || (rc = dattr(d, n, "yuan", &a)))
            return rc;
        return at(d, n, epv_gep_account_add_inflow(ctx, acc, l.region, from, ind, l.year, a));
    }
    if (epv__xml_is(n, "reported")) {
        if ((rc = loc(d, n, &l)) || (rc = sattr(d, n, "node", 1, ind, sizeof ind)) || (rc = dattr(d, n, "yuan", &a))) return rc;
        return at(d, n, epv_gep_account_set_reported(ctx, acc, l.region, ind, l.year, a));
    }
    if (epv__xml_is(n, "reportedPrice")) {
        int py = 0;
        if ((rc = sattr(d, n, "indicator", 1, ind, sizeof ind)) || (rc = iattr(d, n, "year", 1, &y)) ||
            (rc = dattr(d, n, "yuanPerUnit", &a)) || (rc = iattr(d, n, "priceYear", 0, &py)))
            return rc;
        return at(d, n, epv_gep_account_set_reported_price(ctx, acc, ind, y, a, py));
    }
    return EPV_OK; /* source, region, ecosystem: handled before */
}

/* Purification never exceeds emissions: where the ecosystems of a region together could
 * absorb more than was emitted, scale each share down so they absorb exactly the emission. */
static int apply_caps(struct rd *d)
{
    epv_gep_account *acc = d->in->acc;
    int rc;
    if (!d->ncap) return EPV_OK;
    d->capbuf = epv__calloc(d->ctx, 2 * d->ncap, sizeof *d->capbuf);
    if (!d->capbuf) return EPV_ENOMEM;
    for (size_t k = 0; k < d->ncap; k++) {
        struct cap *c = &d->caps[k];
        double em = NAN;
        for (size_t j = 0; j < acc->nemis; j++)
            if (acc->emis[j].region == c->region && acc->emis[j].ind == c->ind && acc->emis[j].year == c->year) em = acc->emis[j].t;
        if (isnan(em))
            return epv__xml_error_at(d->ctx, EPV_ENOTFOUND, d->file, c->node,
                                     "no <emission> for '%s' in region '%s' in %d: purification must be capped at emissions",
                                     d->tree->nodes[c->ind].code, acc->regions[c->region].code, c->year);
        /* the cells of this region, pollutant and year, capped together */
        size_t m = 0, self = 0;
        for (size_t j = 0; j < d->ncap; j++)
            if (d->caps[j].region == c->region && d->caps[j].ind == c->ind && d->caps[j].year == c->year) {
                if (j == k) self = m;
                d->capbuf[m++] = d->caps[j].t;
            }
        if ((rc = epv_gep_model_emission_cap(d->ctx, m, d->capbuf, em, d->capbuf + d->ncap))) return rc;
        double share = d->capbuf[d->ncap + self];
        acc->q[(size_t)(c->year - acc->first_year) * acc->nind + c->ind][c->region * acc->neco + c->eco] = share;
    }
    return EPV_OK;
}

static int read_doc(struct rd *d, xmlDocPtr doc)
{
    epv_ctx *ctx = d->ctx;
    xmlNodePtr root = xmlDocGetRootElement(doc);
    int first = 0, years = 0, rc;
    if ((rc = iattr(d, root, "firstYear", 1, &first)) || (rc = iattr(d, root, "years", 1, &years)) ||
        (rc = iattr(d, root, "priceYear", 1, &d->in->price_year)))
        return rc;
    size_t nreg = 0, neco = 0;
    for (xmlNodePtr n = epv__xml_child(root, "region"); n; n = epv__xml_next(n, "region")) nreg++;
    for (xmlNodePtr n = epv__xml_child(root, "ecosystem"); n; n = epv__xml_next(n, "ecosystem")) neco++;
    epv_gep_region *regs = epv__calloc(ctx, nreg, sizeof *regs);
    char **ecos = epv__calloc(ctx, neco, sizeof *ecos);
    char (*ecobuf)[EPV_GEP_CODE_MAX] = epv__calloc(ctx, neco, EPV_GEP_CODE_MAX);
    if (!regs || !ecos || !ecobuf) rc = EPV_ENOMEM;
    size_t i = 0;
    for (xmlNodePtr n = epv__xml_child(root, "region"); n && !rc; n = epv__xml_next(n, "region"), i++) {
        epv_gep_region *g = &regs[i];
        *g = (epv_gep_region)EPV_GEP_REGION_INIT;
        if ((rc = sattr(d, n, "code", 1, g->code, sizeof g->code)) || (rc = sattr(d, n, "name", 1, g->name, sizeof g->name)) ||
            (rc = sattr(d, n, "parent", 0, g->parent, sizeof g->parent)))
            break;
        if (epv__xml_has(n, "areaHa")) rc = dattr(d, n, "areaHa", &g->area_ha);
    }
    i = 0;
    for (xmlNodePtr n = epv__xml_child(root, "ecosystem"); n && !rc; n = epv__xml_next(n, "ecosystem"), i++) {
        rc = sattr(d, n, "code", 1, ecobuf[i], EPV_GEP_CODE_MAX);
        ecos[i] = ecobuf[i];
    }
    if (!rc) {
        rc = epv_gep_account_new(ctx, &d->in->acc, d->tree, regs, nreg, (const char *const *)ecos, neco, first, years);
        if (rc) epv__error_prefix(ctx, "%s", d->file);
    }
    epv__free(ctx, regs);
    epv__free(ctx, ecos);
    epv__free(ctx, ecobuf);
    if (!rc) rc = epv_gep_prices_new(ctx, d->tree, &d->in->prices);
    for (xmlNodePtr n = epv__xml_child(root, NULL); n && !rc; n = epv__xml_next(n, NULL)) rc = do_element(d, n);
    if (!rc) rc = apply_caps(d);
    return rc;
}

static int load(epv_ctx *ctx, const epv_gep_tree *tree, xmlDocPtr doc, const char *name, epv_gep_input **out)
{
    epv_gep_input *in = epv__calloc(ctx, 1, sizeof *in);
    if (!in) return EPV_ENOMEM;
    in->ctx = ctx;
    struct rd d = { ctx, name, tree, in, NULL, NULL, 0, 0 };
    int rc = read_doc(&d, doc);
    epv__free(ctx, d.caps);
    epv__free(ctx, d.capbuf);
    if (rc) {
        epv_gep_input_free(in);
        return rc;
    }
    *out = in;
    return EPV_OK;
}

EPV_API int epv_gep_input_load_file(epv_ctx *ctx, const epv_gep_tree *tree, const char *path, epv_gep_input **out)
{
    EPV__NEED(ctx, out, "out");
    EPV__NEED(ctx, tree, "tree");
    EPV__NEED(ctx, path, "path");
    *out = NULL;
    xmlDocPtr doc;
    int rc = epv__xml_load_file(ctx, path, INPUT_SCHEMA, &doc);
    if (rc) return rc;
    rc = load(ctx, tree, doc, path, out);
    xmlFreeDoc(doc);
    return rc;
}

EPV_API int epv_gep_input_load_memory(epv_ctx *ctx, const epv_gep_tree *tree, const char *buf, size_t len,
                                      const char *name, epv_gep_input **out)
{
    EPV__NEED(ctx, out, "out");
    EPV__NEED(ctx, tree, "tree");
    *out = NULL;
    if (!name) name = "(buffer)";
    xmlDocPtr doc;
    int rc = epv__xml_load_memory(ctx, buf, len, name, INPUT_SCHEMA, &doc);
    if (rc) return rc;
    rc = load(ctx, tree, doc, name, out);
    xmlFreeDoc(doc);
    return rc;
}

EPV_API void epv_gep_input_free(epv_gep_input *in)
{
    if (!in) return;
    epv_gep_account_free(in->acc);
    epv_gep_prices_free(in->prices);
    epv_gep_deflator_free(in->deflator);
    epv__free(in->ctx, in);
}

EPV_API epv_gep_account *epv_gep_input_account(epv_gep_input *in) { return in ? in->acc : NULL; }
EPV_API const epv_gep_prices *epv_gep_input_prices(const epv_gep_input *in) { return in ? in->prices : NULL; }
EPV_API const epv_gep_deflator *epv_gep_input_deflator(const epv_gep_input *in) { return in ? in->deflator : NULL; }
EPV_API int epv_gep_input_price_year(const epv_gep_input *in) { return in ? in->price_year : 0; }
