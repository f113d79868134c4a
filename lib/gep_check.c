/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Integrity checks on any account, computed or published. Each rule is independent and
 * adds findings; an empty list means every applicable rule held. */
#include "config.h"
#include "gep_int.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* Published accounts round every figure to 0.01 亿元 (10^6 yuan): a sum of k rounded parts
 * may differ from its rounded total by up to (k + 1) half-units. */
#define ROUND_HALF_YUAN 0.5e6
#define SUM_TOL(k, total) ((double)((k) + 1) * ROUND_HALF_YUAN + 1e-9 * fabs(total))
#define VALUE_RTOL 5e-3 /* quantity × price against a rounded published value */
#define O2_RTOL 1e-3
#define AREA_RTOL 5e-3

static int add(epv_ctx *ctx, epv_gep_findings *f, epv_gep_severity sev, const char *check, double expected,
               double actual, const char *where, const char *msg)
{
    if (epv__grow(ctx, (void **)&f->items, &f->cap, f->n + 1, sizeof *f->items)) return EPV_ENOMEM;
    epv_gep_finding *x = &f->items[f->n++];
    memset(x, 0, sizeof *x);
    x->severity = sev;
    snprintf(x->check, sizeof x->check, "%s", check);
    snprintf(x->where, sizeof x->where, "%s", where);
    snprintf(x->message, sizeof x->message, "%s", msg);
    x->expected = expected;
    x->actual = actual;
    return EPV_OK;
}

static const char *node_code(const epv_gep_account *acc, size_t node)
{
    return node == acc->nind ? "gep" : acc->tree->nodes[node].code;
}

static long find_rep(const epv_gep_account *acc, size_t region, size_t node, int year)
{
    for (size_t k = 0; k < acc->nrep; k++)
        if (acc->rep[k].region == region && acc->rep[k].node == node && acc->rep[k].year == year) return (long)k;
    return -1;
}

/* Direct children of a node; "gep" (node == nind) has the categories as children. Only
 * final services count towards a parent. */
static int is_child(const epv_gep_account *acc, size_t c, size_t node)
{
    const epv_gep_indicator *ind = &acc->tree->nodes[c];
    if (ind->leaf && !ind->final_service) return 0;
    if (node == acc->nind) return ind->parent[0] == '\0';
    return strcmp(ind->parent, acc->tree->nodes[node].code) == 0;
}

static int check_sums(epv_ctx *ctx, const epv_gep_account *acc, epv_gep_findings *f)
{
    char where[EPV_GEP_TEXT_MAX], msg[256];
    for (size_t k = 0; k < acc->nrep; k++) {
        const struct gep_reported *t = &acc->rep[k];
        if (t->node < acc->nind && acc->tree->nodes[t->node].leaf) continue;
        double sum = 0;
        size_t nch = 0, nrep = 0;
        for (size_t c = 0; c < acc->nind; c++) {
            if (!is_child(acc, c, t->node)) continue;
            nch++;
            long j = find_rep(acc, t->region, c, t->year);
            if (j >= 0) {
                sum += acc->rep[j].yuan;
                nrep++;
            }
        }
        if (nrep == 0) continue;
        snprintf(where, sizeof where, "%s/%s/%d", acc->regions[t->region].code, node_code(acc, t->node), t->year);
        if (nrep == nch && fabs(sum - t->yuan) > SUM_TOL(nrep, t->yuan)) {
            epv__snprintf_c(msg, sizeof msg, "parts sum to %.6g yuan but the total is %.6g yuan", sum, t->yuan);
            if (add(ctx, f, EPV_GEP_ERROR, "sum", t->yuan, sum, where, msg)) return EPV_ENOMEM;
        } else if (nrep < nch && sum > t->yuan + SUM_TOL(nrep, t->yuan)) {
            epv__snprintf_c(msg, sizeof msg, "%zu of %zu parts already sum to %.6g yuan, more than the total %.6g yuan", nrep,
                     nch, sum, t->yuan);
            if (add(ctx, f, EPV_GEP_ERROR, "sum", t->yuan, sum, where, msg)) return EPV_ENOMEM;
        }
    }
    /* Regions: a parent's reported value against its children's. */
    for (size_t k = 0; k < acc->nrep; k++) {
        const struct gep_reported *t = &acc->rep[k];
        double sum = 0;
        size_t nch = 0, nrep = 0;
        for (size_t r = 0; r < acc->nreg; r++) {
            if (acc->parent[r] != (long)t->region) continue;
            nch++;
            long j = find_rep(acc, r, t->node, t->year);
            if (j >= 0) {
                sum += acc->rep[j].yuan;
                nrep++;
            }
        }
        if (nch == 0 || nrep != nch || fabs(sum - t->yuan) <= SUM_TOL(nrep, t->yuan)) continue;
        snprintf(where, sizeof where, "%s/%s/%d", acc->regions[t->region].code, node_code(acc, t->node), t->year);
        epv__snprintf_c(msg, sizeof msg, "sub-regions sum to %.6g yuan but the region reports %.6g yuan", sum, t->yuan);
        if (add(ctx, f, EPV_GEP_ERROR, "sum", t->yuan, sum, where, msg)) return EPV_ENOMEM;
    }
    return EPV_OK;
}

static double quantity(const epv_gep_account *acc, size_t region, size_t ind, int y, long eco)
{
    const double *b = acc->q[(size_t)y * acc->nind + ind];
    double s = 0;
    if (!b) return NAN;
    for (size_t r = 0; r < acc->nreg; r++) {
        if (!acc->is_leaf[r] || !epv__gep_region_within(acc, r, region)) continue;
        for (size_t e = 0; e < acc->neco; e++)
            if (eco < 0 || (size_t)eco == e) s += b[r * acc->neco + e];
    }
    return s;
}

static int check_values(epv_ctx *ctx, const epv_gep_account *acc, epv_gep_findings *f)
{
    char where[EPV_GEP_TEXT_MAX], msg[256];
    for (size_t k = 0; k < acc->nrep; k++) {
        const struct gep_reported *t = &acc->rep[k];
        snprintf(where, sizeof where, "%s/%s/%d", acc->regions[t->region].code, node_code(acc, t->node), t->year);
        if (acc->valued) {
            double v;
            if (epv_gep_account_total(NULL, acc, acc->regions[t->region].code, NULL, node_code(acc, t->node), t->year,
                                      EPV_GEP_CURRENT, &v) == 0 &&
                v != 0 && fabs(v - t->yuan) > VALUE_RTOL * fabs(t->yuan)) {
                epv__snprintf_c(msg, sizeof msg, "recomputed %.6g yuan from quantities and prices, reported %.6g yuan", v, t->yuan);
                if (add(ctx, f, EPV_GEP_WARNING, "value", t->yuan, v, where, msg)) return EPV_ENOMEM;
            }
        }
        if (t->node == acc->nind || !acc->tree->nodes[t->node].leaf) continue;
        for (size_t j = 0; j < acc->nrprice; j++) {
            const struct gep_rprice *p = &acc->rprice[j];
            if (p->ind != t->node || p->year != t->year) continue;
            double q = quantity(acc, t->region, t->node, t->year - acc->first_year, -1);
            if (isnan(q)) continue;
            double v = q * p->price;
            if (fabs(v - t->yuan) > VALUE_RTOL * fabs(t->yuan)) {
                epv__snprintf_c(msg, sizeof msg, "quantity %.6g × price %.6g = %.6g yuan, reported %.6g yuan", q, p->price, v,
                         t->yuan);
                if (add(ctx, f, EPV_GEP_ERROR, "value", t->yuan, v, where, msg)) return EPV_ENOMEM;
            }
        }
    }
    return EPV_OK;
}

static int check_o2(epv_ctx *ctx, const epv_gep_account *acc, epv_gep_findings *f)
{
    long c = epv__gep_tree_index(acc->tree, "carbon_fixation"), o = epv__gep_tree_index(acc->tree, "oxygen_release");
    if (c < 0 || o < 0 || (size_t)c >= acc->nind || (size_t)o >= acc->nind) return EPV_OK;
    char where[EPV_GEP_TEXT_MAX], msg[256];
    for (int y = 0; y < acc->nyears; y++) {
        const double *bc = acc->q[(size_t)y * acc->nind + (size_t)c], *bo = acc->q[(size_t)y * acc->nind + (size_t)o];
        if (!bc && !bo) continue;
        for (size_t r = 0; r < acc->nreg; r++)
            for (size_t e = 0; e < acc->neco; e++) {
                double co2 = bc ? bc[r * acc->neco + e] : 0, o2 = bo ? bo[r * acc->neco + e] : 0;
                double want = co2 * EPV_UNIT_O2_PER_CO2;
                if (fabs(o2 - want) <= O2_RTOL * want) continue;
                snprintf(where, sizeof where, "%s/%s/%d", acc->regions[r].code, acc->eco[e], acc->first_year + y);
                epv__snprintf_c(msg, sizeof msg, "oxygen %.6g t is not 32/44 of the %.6g t CO2 fixed (%.6g t)", o2, co2, want);
                if (add(ctx, f, EPV_GEP_ERROR, "o2_co2", want, o2, where, msg)) return EPV_ENOMEM;
            }
    }
    return EPV_OK;
}

static int check_purification(epv_ctx *ctx, const epv_gep_account *acc, epv_gep_findings *f)
{
    char where[EPV_GEP_TEXT_MAX], msg[256];
    for (size_t k = 0; k < acc->nemis; k++) {
        const struct gep_emission *m = &acc->emis[k];
        double q = quantity(acc, m->region, m->ind, m->year - acc->first_year, -1);
        if (isnan(q) || q <= m->t * (1 + 1e-9)) continue;
        snprintf(where, sizeof where, "%s/%s/%d", acc->regions[m->region].code, acc->tree->nodes[m->ind].code, m->year);
        epv__snprintf_c(msg, sizeof msg, "purification %.6g t exceeds the %.6g t emitted", q, m->t);
        if (add(ctx, f, EPV_GEP_ERROR, "purification", m->t, q, where, msg)) return EPV_ENOMEM;
    }
    return EPV_OK;
}

static int check_prices(epv_ctx *ctx, const epv_gep_account *acc, epv_gep_findings *f)
{
    char where[EPV_GEP_TEXT_MAX], msg[256];
    for (size_t k = 0; k < acc->nrprice; k++) {
        const struct gep_rprice *p = &acc->rprice[k];
        snprintf(where, sizeof where, "%s/%d", acc->tree->nodes[p->ind].code, p->year);
        if (p->price_year == 0) {
            epv__snprintf_c(msg, sizeof msg, "price %.6g yuan per unit has no price year", p->price);
            if (add(ctx, f, EPV_GEP_ERROR, "price_dated", p->year, 0, where, msg)) return EPV_ENOMEM;
        } else if (p->price_year != p->year) {
            epv__snprintf_c(msg, sizeof msg, "a %d price (%.6g yuan per unit) values %d quantities without conversion to %d prices",
                     p->price_year, p->price, p->year, p->year);
            if (add(ctx, f, EPV_GEP_WARNING, "price_dated", p->year, p->price_year, where, msg)) return EPV_ENOMEM;
        }
    }
    return EPV_OK;
}

static int check_areas(epv_ctx *ctx, const epv_gep_account *acc, epv_gep_findings *f)
{
    char where[EPV_GEP_TEXT_MAX], msg[256];
    for (int y = 0; y < acc->nyears; y++)
        for (size_t r = 0; r < acc->nreg; r++) {
            if (!acc->is_leaf[r] || acc->regions[r].area_ha <= 0) continue;
            double s = 0;
            int any = 0;
            for (size_t e = 0; e < acc->neco; e++) {
                double a = acc->eco_area[((size_t)y * acc->nreg + r) * acc->neco + e];
                if (!isnan(a)) {
                    s += a;
                    any = 1;
                }
            }
            if (!any || fabs(s - acc->regions[r].area_ha) <= AREA_RTOL * acc->regions[r].area_ha) continue;
            snprintf(where, sizeof where, "%s/%d", acc->regions[r].code, acc->first_year + y);
            epv__snprintf_c(msg, sizeof msg, "ecosystem areas add up to %.6g ha, the region has %.6g ha", s, acc->regions[r].area_ha);
            if (add(ctx, f, EPV_GEP_WARNING, "area", acc->regions[r].area_ha, s, where, msg)) return EPV_ENOMEM;
        }
    for (size_t r = 0; r < acc->nreg; r++) {
        if (acc->is_leaf[r] || acc->regions[r].area_ha <= 0) continue;
        double s = 0;
        int all = 1;
        for (size_t c = 0; c < acc->nreg; c++)
            if (acc->parent[c] == (long)r) {
                if (acc->regions[c].area_ha <= 0) all = 0;
                s += acc->regions[c].area_ha;
            }
        if (!all || fabs(s - acc->regions[r].area_ha) <= AREA_RTOL * acc->regions[r].area_ha) continue;
        epv__snprintf_c(msg, sizeof msg, "sub-region areas add up to %.6g ha, the region has %.6g ha", s, acc->regions[r].area_ha);
        if (add(ctx, f, EPV_GEP_WARNING, "area", acc->regions[r].area_ha, s, acc->regions[r].code, msg)) return EPV_ENOMEM;
    }
    return EPV_OK;
}

EPV_API int epv_gep_check(epv_ctx *ctx, const epv_gep_account *acc, epv_gep_findings **out)
{
    EPV__NEED(ctx, acc, "acc");
    EPV__NEED(ctx, out, "out");
    *out = NULL;
    epv_gep_findings *f = epv__calloc(ctx, 1, sizeof *f);
    if (!f) return EPV_ENOMEM;
    f->ctx = ctx;
    int rc = check_sums(ctx, acc, f);
    if (!rc) rc = check_values(ctx, acc, f);
    if (!rc) rc = check_o2(ctx, acc, f);
    if (!rc) rc = check_purification(ctx, acc, f);
    if (!rc) rc = check_prices(ctx, acc, f);
    if (!rc) rc = check_areas(ctx, acc, f);
    if (rc) {
        epv_gep_findings_free(f);
        return rc;
    }
    *out = f;
    return EPV_OK;
}

EPV_API size_t epv_gep_findings_count(const epv_gep_findings *f) { return f ? f->n : 0; }

EPV__DEFINE_INIT(epv_gep_finding, EPV_GEP_FINDING_VERSION, EPV_GEP_FINDING_INIT)

EPV_API int epv_gep_findings_at(epv_ctx *ctx, const epv_gep_findings *f, size_t i, epv_gep_finding *out)
{
    EPV__NEED(ctx, f, "findings");
    EPV__NEED(ctx, out, "out");
    int rc = epv__check_version(ctx, "epv_gep_finding", out, EPV_GEP_FINDING_VERSION);
    if (rc) return rc;
    if (i >= f->n) return epv__error(ctx, EPV_ERANGE, "findings: index %zu out of range", i);
    *out = f->items[i];
    out->version = EPV_GEP_FINDING_VERSION;
    return EPV_OK;
}

EPV_API void epv_gep_findings_free(epv_gep_findings *f)
{
    if (!f) return;
    epv__free(f->ctx, f->items);
    epv__free(f->ctx, f);
}
