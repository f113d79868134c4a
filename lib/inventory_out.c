/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Writers of the inventory module: CSV tables and SVG charts through the textout writer
 * (temporary file + rename, C-locale numbers). SVG text names a CJK font list ending in the
 * generic sans-serif and gives ASCII units beside the Chinese ones. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "inventory_int.h"
#include "textout_int.h"
#include "chart_int.h"

#define FONTS EPV__CHART_FONTS /* the one font list of every chart */

static const char *sector_zh(const char *s)
{
    if (!strcmp(s, "energy")) return "能源活动 energy";
    if (!strcmp(s, "indirect")) return "外购电力热力 purchased electricity, heat";
    if (!strcmp(s, "industrial_processes")) return "工业生产过程 industrial processes";
    if (!strcmp(s, "agriculture")) return "农业 agriculture";
    if (!strcmp(s, "waste")) return "废弃物 waste";
    return s;
}

static const char *gwp_name(int g) { return g == 4 ? "AR4" : g == 5 ? "AR5" : g == 6 ? "AR6" : "?"; }

/* Per-year totals of one sector, in record order. */
static void sector_series(const epv_inventory_result *r, const char *sector, double *v)
{
    for (size_t y = 0; y < r->ny; y++) v[y] = 0;
    for (size_t i = 0; i < r->n; i++) {
        if (strcmp(r->inv->r[i].sector, sector)) continue;
        for (size_t y = 0; y < r->ny; y++)
            if (r->years[y] == r->inv->r[i].year) {
                v[y] += r->t_co2e[i];
                break;
            }
    }
}

static void num(FILE *f, double v)
{
    if (isfinite(v))
        fprintf(f, "%.10g", v);
}

EPV_API int epv_inventory_result_write_csv(epv_ctx *ctx, const epv_inventory_result *r, const char *path)
{
    EPV__NEED(ctx, r, "r");
    EPV__NEED(ctx, path, "path");
    double *v = epv__malloc(ctx, (epv__inv_nsectors * r->ny + 1) * sizeof *v);
    if (!v) return EPV_ENOMEM;
    for (size_t s = 0; s < epv__inv_nsectors; s++) sector_series(r, epv__inv_sectors[s], v + s * r->ny);
    epv__out out;
    int rc = epv__out_open(ctx, path, &out);
    if (rc) {
        epv__free(ctx, v);
        return rc;
    }
    FILE *f = out.f;
    fprintf(f, "year");
    for (size_t s = 0; s < epv__inv_nsectors; s++) fprintf(f, ",%s_tco2e", epv__inv_sectors[s]);
    fprintf(f, ",total_tco2e,energy_co2_t,energy_tce,gdp_10k_cny,co2_per_10k_cny,tce_per_10k_cny,gwp\n");
    for (size_t y = 0; y < r->ny; y++) {
        fprintf(f, "%lld", (long long)r->years[y]);
        for (size_t s = 0; s < epv__inv_nsectors; s++) {
            fputc(',', f);
            num(f, v[s * r->ny + y]);
        }
        for (int c = 0; c < 6; c++) {
            fputc(',', f);
            num(f, r->col[c][y]);
        }
        fprintf(f, ",%s\n", gwp_name(r->gwp));
    }
    epv__free(ctx, v);
    return epv__out_close(ctx, &out, EPV_OK);
}

EPV_API int epv_inventory_result_write_trace_csv(epv_ctx *ctx, const epv_inventory_result *r,
                                                 const epv_inventory_query *q, const char *path)
{
    EPV__NEED(ctx, r, "r");
    EPV__NEED(ctx, path, "path");
    size_t n;
    int rc = epv_inventory_result_trace(ctx, r, q, NULL, 0, &n);
    if (rc) return rc;
    epv__out out;
    if ((rc = epv__out_open(ctx, path, &out))) return rc;
    FILE *f = out.f;
    fprintf(f, "id,document,origin,year,sector,subsector,code,entity,amount,unit,factor_t_per_unit,gas,t_gas,"
               "t_co2e,gwp,factor_source,provisional\n");
    for (size_t i = 0; i < r->n; i++) {
        if (!epv__inv_match(r, i, q)) continue;
        const epv__inv_rec *x = &r->inv->r[i];
        const char *txt[8] = { x->id, x->document, x->origin, NULL, x->sector, x->subsector, x->code, x->entity };
        for (int k = 0; k < 8; k++) {
            if (k == 3) {
                fprintf(f, "%d,", x->year);
                continue;
            }
            epv__out_csv_field(f, txt[k]);
            fputc(',', f);
        }
        fprintf(f, "%.10g,", x->amount);
        epv__out_csv_field(f, x->unit);
        fprintf(f, ",%.10g,%s,%.10g,%.10g,%s,", r->factor[i], epv__inv_gas_name(r->inv->f->f[x->factor].gas),
                r->t_gas[i], r->t_co2e[i], gwp_name(r->gwp));
        epv__out_csv_field(f, r->fsource[i]);
        fprintf(f, ",%d\n", r->fprov[i]);
    }
    return epv__out_close(ctx, &out, EPV_OK);
}

/* A number as read on a chart axis. */
static const char *axis(double v, char buf[32])
{
    if (fabs(v) >= 100)
        epv__snprintf_c(buf, 32, "%.0f", v);
    else
        epv__snprintf_c(buf, 32, "%.3g", v);
    return buf;
}

static void svg_head(FILE *f, double W, double H, const char *title)
{
    fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
               "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%g\" height=\"%g\" viewBox=\"0 0 %g %g\" "
               "font-family=\"%s\" font-size=\"12\">\n",
            W, H, W, H, FONTS);
    fprintf(f, "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n<text x=\"10\" y=\"22\" font-size=\"14\">");
    epv__out_xml_text(f, title ? title : "");
    fprintf(f, "</text>\n");
}

/* Nice upper bound for an axis. */
static double nice_max(double v)
{
    if (!(v > 0)) return 1;
    double p = pow(10, floor(log10(v)));
    for (double m = 1; m <= 10; m += 0.5)
        if (m * p >= v) return m * p;
    return 10 * p;
}

static void y_axis(FILE *f, double L, double T, double pw, double ph, double lo, double hi, int ndiv, const char *label)
{
    char b[32];
    for (int k = 0; k <= ndiv; k++) {
        double v = lo + (hi - lo) * k / ndiv, y = T + ph - ph * k / ndiv;
        fprintf(f, "<line x1=\"%g\" y1=\"%.2f\" x2=\"%g\" y2=\"%.2f\" stroke=\"#ddd\"/>\n", L, y, L + pw, y);
        fprintf(f, "<text x=\"%g\" y=\"%.2f\" text-anchor=\"end\">%s</text>\n", L - 4, y + 4, axis(v, b));
    }
    fprintf(f, "<text x=\"14\" y=\"%g\" transform=\"rotate(-90 14 %g)\" text-anchor=\"middle\">", T + ph / 2, T + ph / 2);
    epv__out_xml_text(f, label);
    fprintf(f, "</text>\n");
}

static const char *const colours[] = { "#c0392b", "#e67e22", "#7f8c8d", "#27ae60", "#8e44ad" };

EPV_API int epv_inventory_result_write_sectors_svg(epv_ctx *ctx, const epv_inventory_result *r, const char *title,
                                                   const char *path)
{
    EPV__NEED(ctx, r, "r");
    EPV__NEED(ctx, path, "path");
    if (!r->ny) return epv__error(ctx, EPV_EINVAL, "epv_inventory_result_write_sectors_svg: no years to draw");
    size_t ns = epv__inv_nsectors;
    double *v = epv__malloc(ctx, (ns * r->ny + 1) * sizeof *v);
    if (!v) return EPV_ENOMEM;
    for (size_t s = 0; s < ns; s++) sector_series(r, epv__inv_sectors[s], v + s * r->ny);
    double top = 0;
    for (size_t y = 0; y < r->ny; y++) {
        double t = 0;
        for (size_t s = 0; s < ns; s++) t += v[s * r->ny + y];
        if (t > top) top = t;
    }
    top = nice_max(top / 1e4);
    epv__out out;
    int rc = epv__out_open(ctx, path, &out);
    if (rc) {
        epv__free(ctx, v);
        return rc;
    }
    FILE *f = out.f;
    const double W = 760, H = 440, L = 70, R = 250, T = 40, B = 40, pw = W - L - R, ph = H - T - B;
    svg_head(f, W, H, title);
    y_axis(f, L, T, pw, ph, 0, top, 4, "万 t CO2e (10^4 t CO2e)");
    double bw = pw / (double)r->ny;
    for (size_t y = 0; y < r->ny; y++) {
        double base = 0;
        for (size_t s = 0; s < ns; s++) {
            double h = ph * v[s * r->ny + y] / 1e4 / top;
            if (h <= 0) continue;
            fprintf(f, "<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" fill=\"%s\"><title>%lld ",
                    L + bw * (double)y + bw * 0.15, T + ph - base - h, bw * 0.7, h, colours[s % 5],
                    (long long)r->years[y]);
            epv__out_xml_text(f, sector_zh(epv__inv_sectors[s]));
            fprintf(f, ": %.1f t CO2e</title></rect>\n", v[s * r->ny + y]);
            base += h;
        }
        fprintf(f, "<text x=\"%.2f\" y=\"%g\" text-anchor=\"middle\">%lld</text>\n", L + bw * ((double)y + 0.5),
                T + ph + 16, (long long)r->years[y]);
    }
    for (size_t s = 0; s < ns; s++) {
        fprintf(f, "<rect x=\"%g\" y=\"%g\" width=\"12\" height=\"12\" fill=\"%s\"/><text x=\"%g\" y=\"%g\">",
                L + pw + 14, T + 20.0 * (double)s, colours[s % 5], L + pw + 32, T + 20.0 * (double)s + 11);
        epv__out_xml_text(f, sector_zh(epv__inv_sectors[s]));
        fprintf(f, "</text>\n");
    }
    fprintf(f, "<text x=\"%g\" y=\"%g\" font-size=\"10\">GWP100: IPCC %s</text>\n</svg>\n", L + pw + 14,
            T + 20.0 * (double)ns + 12, gwp_name(r->gwp));
    epv__free(ctx, v);
    return epv__out_close(ctx, &out, EPV_OK);
}

EPV_API int epv_inventory_result_write_target_svg(epv_ctx *ctx, const epv_inventory_result *r,
                                                  const epv_inventory_target *t, const char *title, const char *path)
{
    EPV__NEED(ctx, r, "r");
    EPV__NEED(ctx, t, "t");
    EPV__NEED(ctx, path, "path");
    epv_inventory_progress p = EPV_INVENTORY_PROGRESS_INIT;
    int rc = epv_inventory_result_progress(ctx, r, t, &p);
    if (rc) return rc;
    const double *v = r->col[t->col - 1];
    double top = 0;
    for (size_t y = 0; y < r->ny; y++)
        if (isfinite(v[y]) && v[y] > top) top = v[y];
    top = nice_max(top * 1.1);
    epv_i64 y0 = r->years[0] < t->base_year ? r->years[0] : t->base_year;
    epv_i64 y1 = r->years[r->ny - 1] > t->target_year ? r->years[r->ny - 1] : t->target_year;
    if (y1 == y0) y1 = y0 + 1;
    epv__out out;
    if ((rc = epv__out_open(ctx, path, &out))) return rc;
    FILE *f = out.f;
    const double W = 640, H = 400, L = 70, R = 20, T = 40, B = 60, pw = W - L - R, ph = H - T - B;
    svg_head(f, W, H, title);
    y_axis(f, L, T, pw, ph, 0, top, 4,
           t->col == EPV_INVENTORY_COL_CO2_INTENSITY ? "t CO2/万元 (t CO2 per 10^4 CNY)" : "tce/万元 (tce per 10^4 CNY)");
#define XP(yr) (L + pw * (double)((yr) - y0) / (double)(y1 - y0))
#define YP(val) (T + ph - ph * (val) / top)
    fprintf(f, "<line x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\" stroke=\"#27ae60\" stroke-width=\"2\" "
               "stroke-dasharray=\"6 4\"/>\n",
            XP(t->base_year), YP(p.base_intensity), XP(t->target_year), YP(p.target_intensity));
    fprintf(f, "<text x=\"%.2f\" y=\"%.2f\" text-anchor=\"end\" fill=\"#27ae60\">目标 target -%g%%</text>\n",
            XP(t->target_year), YP(p.target_intensity) + 16, t->reduction_pct);
    fprintf(f, "<polyline fill=\"none\" stroke=\"#2c3e50\" stroke-width=\"2\" points=\"");
    for (size_t y = 0; y < r->ny; y++)
        if (isfinite(v[y])) fprintf(f, "%.2f,%.2f ", XP(r->years[y]), YP(v[y]));
    fprintf(f, "\"/>\n");
    for (size_t y = 0; y < r->ny; y++) {
        if (!isfinite(v[y])) continue;
        fprintf(f, "<circle cx=\"%.2f\" cy=\"%.2f\" r=\"3\" fill=\"#2c3e50\"/>\n", XP(r->years[y]), YP(v[y]));
        fprintf(f, "<text x=\"%.2f\" y=\"%g\" text-anchor=\"middle\">%lld</text>\n", XP(r->years[y]), T + ph + 16,
                (long long)r->years[y]);
    }
    if (p.latest_year < t->target_year)
        fprintf(f, "<text x=\"%g\" y=\"%g\">实际 observed; 需年均 required %.2f%%/yr; 已实现 achieved %.2f%%/yr</text>\n",
                L, H - 14, p.required_rate_pct, p.achieved_rate_pct);
    else
        fprintf(f, "<text x=\"%g\" y=\"%g\">实际 observed %d: %+.1f%% (%s); 已实现 achieved %.2f%%/yr</text>\n", L, H - 14,
                p.latest_year, p.change_pct, p.met ? "达标 met" : "未达标 not met", p.achieved_rate_pct);
#undef XP
#undef YP
    fprintf(f, "</svg>\n");
    return epv__out_close(ctx, &out, EPV_OK);
}

EPV_API int epv_inventory_write_balance_svg(epv_ctx *ctx, const epv_i64 *years, const double *emissions,
                                            const double *removals, const epv_unc_interval *net, size_t n,
                                            const char *title, const char *path)
{
    EPV__NEED(ctx, years, "years");
    EPV__NEED(ctx, emissions, "emissions");
    EPV__NEED(ctx, removals, "removals");
    EPV__NEED(ctx, net, "net");
    EPV__NEED(ctx, path, "path");
    if (!n) return epv__error(ctx, EPV_EINVAL, "epv_inventory_write_balance_svg: n is 0");
    double hi = 0, lo = 0;
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(emissions[i]) || !isfinite(removals[i]) || !isfinite(net[i].lower) || !isfinite(net[i].upper))
            return epv__error(ctx, EPV_ERANGE, "epv_inventory_write_balance_svg: value %zu not finite", i);
        hi = fmax(hi, fmax(emissions[i], net[i].upper));
        lo = fmin(lo, fmin(-removals[i], net[i].lower));
    }
    /* ticks every hi/4 above zero, as many below as the removals and intervals need */
    hi = nice_max(hi / 1e4);
    int below = (int)ceil(-lo / 1e4 / (hi / 4));
    if (below < 1) below = 1;
    lo = -below * hi / 4;
    epv__out out;
    int rc = epv__out_open(ctx, path, &out);
    if (rc) return rc;
    FILE *f = out.f;
    const double W = 680, H = 420, L = 70, R = 170, T = 40, B = 40, pw = W - L - R, ph = H - T - B;
    svg_head(f, W, H, title);
    y_axis(f, L, T, pw, ph, lo, hi, 4 + below, "万 t CO2e (10^4 t CO2e)");
#define YP(val) (T + ph - ph * ((val) / 1e4 - lo) / (hi - lo))
    double bw = pw / (double)n;
    fprintf(f, "<line x1=\"%g\" y1=\"%.2f\" x2=\"%g\" y2=\"%.2f\" stroke=\"black\"/>\n", L, YP(0), L + pw, YP(0));
    for (size_t i = 0; i < n; i++) {
        double x = L + bw * (double)i;
        fprintf(f, "<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" fill=\"#e6b0aa\"/>\n", x + bw * 0.15,
                YP(emissions[i]), bw * 0.35, YP(0) - YP(emissions[i]));
        fprintf(f, "<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" fill=\"#a9dfbf\"/>\n", x + bw * 0.5,
                YP(0), bw * 0.35, YP(-removals[i]) - YP(0));
        double cx = x + bw * 0.5;
        fprintf(f, "<line x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\" stroke=\"#1a5276\" stroke-width=\"1.5\"/>\n",
                cx, YP(net[i].lower), cx, YP(net[i].upper));
        fprintf(f, "<circle cx=\"%.2f\" cy=\"%.2f\" r=\"4\" fill=\"#1a5276\"><title>%lld net %.0f t CO2e [%.0f, %.0f]"
                   "</title></circle>\n",
                cx, YP(net[i].estimate), (long long)years[i], net[i].estimate, net[i].lower, net[i].upper);
        fprintf(f, "<text x=\"%.2f\" y=\"%g\" text-anchor=\"middle\">%lld</text>\n", cx, T + ph + 16, (long long)years[i]);
    }
#undef YP
    const char *leg[3] = { "排放 emissions", "汇 removals (sinks)", "净排放 net, 95% interval" };
    const char *col[3] = { "#e6b0aa", "#a9dfbf", "#1a5276" };
    for (int k = 0; k < 3; k++) {
        fprintf(f, "<rect x=\"%g\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"/><text x=\"%g\" y=\"%d\">", L + pw + 12,
                (int)T + 20 * k, col[k], L + pw + 30, (int)T + 20 * k + 11);
        epv__out_xml_text(f, leg[k]);
        fprintf(f, "</text>\n");
    }
    fprintf(f, "</svg>\n");
    return epv__out_close(ctx, &out, EPV_OK);
}

EPV_API int epv_inventory_write_balance_csv(epv_ctx *ctx, const epv_i64 *years, const double *emissions,
                                            const double *removals, const epv_unc_interval *net, size_t n,
                                            const char *path)
{
    EPV__NEED(ctx, years, "years");
    EPV__NEED(ctx, emissions, "emissions");
    EPV__NEED(ctx, removals, "removals");
    EPV__NEED(ctx, net, "net");
    EPV__NEED(ctx, path, "path");
    epv__out out;
    int rc = epv__out_open(ctx, path, &out);
    if (rc) return rc;
    fprintf(out.f, "year,emissions_tco2e,removals_tco2e,net_tco2e,net_lower_tco2e,net_upper_tco2e,method,draws\n");
    for (size_t i = 0; i < n; i++)
        fprintf(out.f, "%lld,%.10g,%.10g,%.10g,%.10g,%.10g,%s,%lld\n", (long long)years[i], emissions[i], removals[i],
                net[i].estimate, net[i].lower, net[i].upper,
                net[i].method == EPV_UNC_APPROACH2 ? "approach2" : "approach1", (long long)net[i].draws);
    return epv__out_close(ctx, &out, EPV_OK);
}
