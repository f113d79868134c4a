/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Writers for valued accounts: XML (SEEA EA-shaped supply and use tables), CSV and an SVG
 * composition chart. Writers only format numbers the account already holds. */
#include "config.h"
#include "gep_int.h"
#include "textout_int.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

static double leaf_value(const epv_gep_account *acc, size_t r, size_t i, int y, long e, epv_gep_basis basis)
{
    double v;
    if (epv_gep_account_total(NULL, acc, acc->regions[r].code, e < 0 ? NULL : acc->eco[e], acc->tree->nodes[i].code,
                              acc->first_year + y, basis, &v))
        return NAN;
    return v;
}

static int has_quantities(const epv_gep_account *acc, size_t i, int y)
{
    return acc->tree->nodes[i].leaf && acc->q[(size_t)y * acc->nind + i] != NULL;
}

static double inflow_sum(const epv_gep_account *acc, size_t x, size_t i, int year)
{
    double s = 0;
    for (size_t k = 0; k < acc->ninflow; k++) {
        const struct gep_inflow *fl = &acc->inflows[k];
        if (fl->ind != i || fl->year != year || !epv__gep_region_within(acc, fl->to, x)) continue;
        if (fl->from >= 0 && epv__gep_region_within(acc, (size_t)fl->from, x)) continue;
        s += fl->yuan;
    }
    return s;
}

static void supply_table(FILE *f, const epv_gep_account *acc, size_t r, int y, epv_gep_basis basis, int physical)
{
    fprintf(f, "  <supplyTable region=\"");
    epv__out_xml_text(f, acc->regions[r].code);
    fprintf(f, "\" year=\"%d\" basis=\"%s\">\n", acc->first_year + y,
            physical ? "physical" : basis == EPV_GEP_CURRENT ? "current" : "constant");
    for (size_t i = 0; i < acc->nind; i++) {
        if (!has_quantities(acc, i, y)) continue;
        const epv_gep_indicator *ind = &acc->tree->nodes[i];
        double tot = 0;
        fprintf(f, "    <row indicator=\"%s\" unit=\"%s\"", ind->code, physical ? epv_unit_symbol(ind->unit) : "yuan");
        double cells[4096];
        for (size_t e = 0; e < acc->neco; e++) {
            double v;
            if (physical) epv_gep_account_quantity(NULL, acc, acc->regions[r].code, acc->eco[e], ind->code, acc->first_year + y, &v);
            else v = leaf_value(acc, r, i, y, (long)e, basis);
            cells[e] = v;
            tot += v;
        }
        fprintf(f, " total=\"%.17g\">\n", tot);
        for (size_t e = 0; e < acc->neco; e++) {
            fprintf(f, "      <cell ecosystem=\"");
            epv__out_xml_text(f, acc->eco[e]);
            fprintf(f, "\" value=\"%.17g\"/>\n", cells[e]);
        }
        fprintf(f, "    </row>\n");
    }
    fprintf(f, "  </supplyTable>\n");
}

EPV_API int epv_gep_account_write_xml(epv_ctx *ctx, const epv_gep_account *acc, const char *path)
{
    if (!acc) return epv__error(ctx, EPV_EINVAL, "gep write: NULL account");
    if (!acc->valued) return epv__error(ctx, EPV_ESTATE, "gep account: not valued (call epv_gep_account_value first)");
    if (acc->neco > 4096) return epv__error(ctx, EPV_ERANGE, "gep write: too many ecosystems");
    epv__out out;
    int rc = epv__out_open(ctx, path, &out);
    FILE *f = out.f;
    if (rc) return rc;
    fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<gepAccount version=\"1\" firstYear=\"%d\" years=\"%d\" priceYear=\"%d\">\n",
            acc->first_year, acc->nyears, acc->price_year);
    for (size_t r = 0; r < acc->nreg; r++) {
        const epv_gep_region *g = &acc->regions[r];
        fputs("  <region code=\"", f);
        epv__out_xml_text(f, g->code);
        fputs("\" name=\"", f);
        epv__out_xml_text(f, g->name);
        if (g->parent[0]) {
            fputs("\" parent=\"", f);
            epv__out_xml_text(f, g->parent);
        }
        fprintf(f, "\" areaHa=\"%.17g\"/>\n", g->area_ha);
    }
    for (size_t e = 0; e < acc->neco; e++) {
        fputs("  <ecosystem code=\"", f);
        epv__out_xml_text(f, acc->eco[e]);
        fputs("\"/>\n", f);
    }
    for (size_t i = 0; i < acc->nind; i++) {
        const epv_gep_indicator *ind = &acc->tree->nodes[i];
        fprintf(f, "  <indicator code=\"%s\"", ind->code);
        if (ind->parent[0]) fprintf(f, " parent=\"%s\"", ind->parent);
        fputs(" nameZh=\"", f);
        epv__out_xml_text(f, ind->name_zh);
        fputs("\" nameEn=\"", f);
        epv__out_xml_text(f, ind->name_en);
        fputc('"', f);
        if (ind->leaf) fprintf(f, " unit=\"%s\" method=\"%s\"", epv_unit_symbol(ind->unit), epv__gep_method_name(ind->method));
        fprintf(f, " final=\"%s\"/>\n", ind->final_service ? "true" : "false");
    }
    for (size_t i = 0; i < acc->nind; i++)
        for (int y = 0; y < acc->nyears; y++) {
            double pc = acc->p_cur[i * (size_t)acc->nyears + (size_t)y];
            if (isnan(pc)) continue;
            fprintf(f, "  <price indicator=\"%s\" year=\"%d\" currentYuanPerUnit=\"%.17g\" constantYuanPerUnit=\"%.17g\"/>\n",
                    acc->tree->nodes[i].code, acc->first_year + y, pc, acc->p_const[i * (size_t)acc->nyears + (size_t)y]);
        }
    for (size_t r = 0; r < acc->nreg; r++)
        for (int y = 0; y < acc->nyears; y++) {
            supply_table(f, acc, r, y, EPV_GEP_CURRENT, 1);
            supply_table(f, acc, r, y, EPV_GEP_CURRENT, 0);
            supply_table(f, acc, r, y, EPV_GEP_CONSTANT, 0);
            fputs("  <useTable region=\"", f);
            epv__out_xml_text(f, acc->regions[r].code);
            fprintf(f, "\" year=\"%d\" basis=\"current\">\n", acc->first_year + y);
            for (size_t i = 0; i < acc->nind; i++) {
                if (!has_quantities(acc, i, y)) continue;
                double gross = 0;
                for (size_t e = 0; e < acc->neco; e++) gross += leaf_value(acc, r, i, y, (long)e, EPV_GEP_CURRENT);
                int fin = acc->tree->nodes[i].final_service;
                fprintf(f, "    <row indicator=\"%s\" finalUse=\"%.17g\" intermediateUse=\"%.17g\" supplyFromOutside=\"%.17g\"/>\n",
                        acc->tree->nodes[i].code, fin ? gross : 0.0, fin ? 0.0 : gross,
                        inflow_sum(acc, r, i, acc->first_year + y));
            }
            fputs("  </useTable>\n", f);
        }
    for (size_t r = 0; r < acc->nreg; r++)
        for (int y = 0; y < acc->nyears; y++) {
            double v[5];
            const char *nodes[5] = { "provisioning", "regulating", "cultural", NULL, NULL };
            for (int k = 0; k < 5 && !rc; k++)
                rc = epv_gep_account_total(ctx, acc, acc->regions[r].code, NULL, nodes[k], acc->first_year + y,
                                           k == 4 ? EPV_GEP_CONSTANT : EPV_GEP_CURRENT, &v[k]);
            if (rc) break;
            fputs("  <total region=\"", f);
            epv__out_xml_text(f, acc->regions[r].code);
            fprintf(f, "\" year=\"%d\" provisioningYuan=\"%.17g\" regulatingYuan=\"%.17g\" culturalYuan=\"%.17g\" gepCurrentYuan=\"%.17g\" gepConstantYuan=\"%.17g\"",
                    acc->first_year + y, v[0], v[1], v[2], v[3], v[4]);
            double gdp = acc->gdp[(size_t)y * acc->nreg + r];
            if (!isnan(gdp)) fprintf(f, " gdpYuan=\"%.17g\"", gdp);
            fputs("/>\n", f);
        }
    fputs("</gepAccount>\n", f);
    return epv__out_close(ctx, &out, rc);
}

EPV_API int epv_gep_account_write_csv(epv_ctx *ctx, const epv_gep_account *acc, const char *path)
{
    if (!acc) return epv__error(ctx, EPV_EINVAL, "gep write: NULL account");
    if (!acc->valued) return epv__error(ctx, EPV_ESTATE, "gep account: not valued (call epv_gep_account_value first)");
    epv__out out;
    int rc = epv__out_open(ctx, path, &out);
    FILE *f = out.f;
    if (rc) return rc;
    fputs("region,ecosystem,indicator,year,quantity,unit,value_current_yuan,value_constant_yuan\n", f);
    for (int y = 0; y < acc->nyears; y++)
        for (size_t i = 0; i < acc->nind; i++) {
            const double *b = acc->q[(size_t)y * acc->nind + i];
            if (!b) continue;
            double pc = acc->p_cur[i * (size_t)acc->nyears + (size_t)y], pk = acc->p_const[i * (size_t)acc->nyears + (size_t)y];
            for (size_t r = 0; r < acc->nreg; r++) {
                if (!acc->is_leaf[r]) continue;
                for (size_t e = 0; e < acc->neco; e++) {
                    double q = b[r * acc->neco + e];
                    if (q == 0) continue;
                    epv__out_csv_field(f, acc->regions[r].code);
                    fputc(',', f);
                    epv__out_csv_field(f, acc->eco[e]);
                    fprintf(f, ",%s,%d,%.17g,%s,%.17g,%.17g\n", acc->tree->nodes[i].code, acc->first_year + y, q,
                            epv_unit_symbol(acc->tree->nodes[i].unit), q * pc, q * pk);
                }
            }
        }
    return epv__out_close(ctx, &out, rc);
}

EPV_API int epv_gep_account_write_svg(epv_ctx *ctx, const epv_gep_account *acc, const char *region, int year,
                                      const char *path)
{
    if (!acc) return epv__error(ctx, EPV_EINVAL, "gep write: NULL account");
    double gep;
    int rc = epv_gep_account_total(ctx, acc, region, NULL, NULL, year, EPV_GEP_CURRENT, &gep);
    if (rc) return rc;
    /* One bar per final leaf with a value, coloured by category, longest bar = largest value. */
    size_t n = 0;
    double maxv = 0;
    for (size_t i = 0; i < acc->nind; i++) {
        const epv_gep_indicator *ind = &acc->tree->nodes[i];
        if (!ind->leaf || !ind->final_service) continue;
        double v;
        if (epv_gep_account_total(NULL, acc, region, NULL, ind->code, year, EPV_GEP_CURRENT, &v) || v <= 0) continue;
        n++;
        if (v > maxv) maxv = v;
    }
    epv__out out;
    if ((rc = epv__out_open(ctx, path, &out))) return rc;
    FILE *f = out.f;
    const int row = 22, top = 50, left = 260, width = 420;
    fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%zu\" font-family=\"sans-serif\" font-size=\"12\">\n",
            left + width + 120, top + n * row + 30);
    fprintf(f, "  <title>GEP composition</title>\n  <text x=\"10\" y=\"20\" font-size=\"15\">GEP ");
    epv__out_xml_text(f, region);
    fprintf(f, " %d: %.2f 亿元 (current prices)</text>\n", year, gep / 1e8);
    static const char *colour[] = { "#999", "#d08c2b", "#2b7bd0", "#3aa655" };
    size_t k = 0;
    for (size_t i = 0; i < acc->nind; i++) {
        const epv_gep_indicator *ind = &acc->tree->nodes[i];
        if (!ind->leaf || !ind->final_service) continue;
        double v;
        if (epv_gep_account_total(NULL, acc, region, NULL, ind->code, year, EPV_GEP_CURRENT, &v) || v <= 0) continue;
        double w = maxv > 0 ? v / maxv * width : 0;
        size_t yy = top + k * row;
        fprintf(f, "  <text x=\"%d\" y=\"%zu\" text-anchor=\"end\">", left - 6, yy + 14);
        epv__out_xml_text(f, ind->name_zh);
        fputs(" ", f);
        epv__out_xml_text(f, ind->name_en);
        fprintf(f, "</text>\n  <rect x=\"%d\" y=\"%zu\" width=\"%.2f\" height=\"%d\" fill=\"%s\"/>\n", left, yy, w, row - 6,
                colour[(unsigned)ind->category < 4 ? ind->category : 0]);
        fprintf(f, "  <text x=\"%.2f\" y=\"%zu\">%.2f 亿元 (%.1f%%)</text>\n", left + w + 4, yy + 14, v / 1e8,
                gep != 0 ? 100.0 * v / gep : 0.0);
        k++;
    }
    fprintf(f, "  <text x=\"10\" y=\"%zu\" fill=\"#555\">provisioning: orange, regulating: blue, cultural: green</text>\n</svg>\n",
            top + n * row + 20);
    return epv__out_close(ctx, &out, rc);
}

/* A histogram of Monte Carlo draws: the writer the caller calls after Approach 2 (no model
 * writes a file). Bars between the smallest and largest draw, counts on the y axis. */
EPV_API int epv_gep_unc_write_histogram_svg(epv_ctx *ctx, const double *draws, size_t n, size_t bins,
                                            const char *title, const char *unit, const char *path)
{
    EPV__NEED(ctx, draws, "draws");
    EPV__NEED(ctx, path, "path");
    if (n < 2) return epv__error(ctx, EPV_EINVAL, "n: %zu draws, at least 2 are needed for a histogram", n);
    if (bins < 1 || bins > 10000) return epv__error(ctx, EPV_ERANGE, "bins: %zu outside 1..10000", bins);
    double lo = draws[0], hi = draws[0];
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(draws[i])) return epv__error(ctx, EPV_ERANGE, "draws[%zu] is not finite", i);
        if (draws[i] < lo) lo = draws[i];
        if (draws[i] > hi) hi = draws[i];
    }
    size_t *count = epv__calloc(ctx, bins, sizeof *count);
    if (!count) return EPV_ENOMEM;
    double span = hi > lo ? hi - lo : 1.0;
    size_t maxc = 0;
    for (size_t i = 0; i < n; i++) {
        size_t b = (size_t)((draws[i] - lo) / span * (double)bins);
        if (b >= bins) b = bins - 1;
        if (++count[b] > maxc) maxc = count[b];
    }
    epv__out out;
    int rc = epv__out_open(ctx, path, &out);
    if (rc) {
        epv__free(ctx, count);
        return rc;
    }
    FILE *f = out.f;
    const int left = 60, top = 40, width = 600, height = 300;
    const double bw = (double)width / (double)bins;
    fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
               "font-family=\"sans-serif\" font-size=\"12\">\n  <title>",
            left + width + 20, top + height + 50);
    epv__out_xml_text(f, title ? title : "Monte Carlo draws");
    fputs("</title>\n  <text x=\"10\" y=\"20\" font-size=\"15\">", f);
    epv__out_xml_text(f, title ? title : "Monte Carlo draws");
    fputs("</text>\n", f);
    for (size_t b = 0; b < bins; b++) {
        double h = maxc ? (double)count[b] / (double)maxc * height : 0;
        fprintf(f, "  <rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" fill=\"#2b7bd0\"/>\n", left + b * bw,
                top + height - h, bw > 1 ? bw - 1 : bw, h);
    }
    fprintf(f, "  <line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#333\"/>\n", left, top + height, left + width, top + height);
    fprintf(f, "  <text x=\"%d\" y=\"%d\">%.6g</text>\n  <text x=\"%d\" y=\"%d\" text-anchor=\"end\">%.6g</text>\n", left,
            top + height + 16, lo, left + width, top + height + 16, hi);
    fprintf(f, "  <text x=\"%d\" y=\"%d\" text-anchor=\"middle\">", left + width / 2, top + height + 36);
    epv__out_xml_text(f, unit ? unit : "");
    fprintf(f, " (%zu draws, highest bar %zu)</text>\n</svg>\n", n, maxc);
    epv__free(ctx, count);
    return epv__out_close(ctx, &out, rc);
}
