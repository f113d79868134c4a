/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Writers for sink results: CSV for spreadsheets, SVG for people. Writers only format
 * numbers the model computed; files are written to a temporary name and renamed, so a
 * failed write never leaves a half file under the requested name. */
#include "config.h"
#include "sink_int.h"
#include "textout_int.h"
#include "chart_int.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

EPV_API int epv_sink_result_write_csv(epv_ctx *ctx, const epv_sink_result *r, const char *path)
{
    if (!r) return epv__error(ctx, EPV_EINVAL, "write_csv: NULL result");
    epv__out out;
    int rc = epv__out_open(ctx, path, &out);
    if (rc) return rc;
    FILE *f = out.f;
    epv__out_csv_start(ctx, &out);
    fputs("year,stock_tco2,project_removals_tco2,project_emissions_tco2,baseline_removals_tco2,"
          "leakage_tco2,net_removals_tco2,cumulative_net_tco2",
          f);
    if (r->per_stratum)
        for (size_t s = 0; s < r->nstrata; s++) {
            fputs(",net_tco2:", f);
            epv__out_csv_field(f, r->stratum_ids[s]);
        }
    fputc('\n', f);
    double cumulative = 0;
    for (size_t i = 0; i < r->nyears; i++) {
        epv_sink_year y = EPV_SINK_YEAR_INIT;
        epv__sink_fill_year(r, r->total + i * SINK_NCOMP, i, cumulative, &y);
        cumulative = y.cumulative_net_tco2;
        fprintf(f, "%d,%.3f,%.3f,%.3f,%.3f,%.3f,%.3f,%.3f", y.year, y.stock_tco2, y.project_removals_tco2,
                y.project_emissions_tco2, y.baseline_removals_tco2, y.leakage_tco2, y.net_removals_tco2,
                y.cumulative_net_tco2);
        if (r->per_stratum)
            for (size_t s = 0; s < r->nstrata; s++) {
                epv_sink_year sy = EPV_SINK_YEAR_INIT;
                epv__sink_fill_year(r, r->per_stratum + (s * r->nyears + i) * SINK_NCOMP, i, 0, &sy);
                fprintf(f, ",%.3f", sy.net_removals_tco2);
            }
        fputc('\n', f);
    }
    return epv__out_close(ctx, &out, EPV_OK);
}

EPV_API int epv_sink_result_write_svg(epv_ctx *ctx, const epv_sink_result *r, const char *path, const char *title,
                                      double reference_tco2_yr, const char *reference_label)
{
    if (!r) return epv__error(ctx, EPV_EINVAL, "write_svg: NULL result");
    if (!isfinite(reference_tco2_yr) || reference_tco2_yr < 0)
        return epv__error(ctx, EPV_ERANGE, "reference_tco2_yr: %g is negative or not finite", reference_tco2_yr);
    size_t n = r->nyears;
    double *cum = epv__malloc(ctx, n * sizeof *cum);
    if (!cum) return EPV_ENOMEM;
    double c = 0, ymax = 0, ymin = 0;
    for (size_t i = 0; i < n; i++) {
        epv_sink_year y = EPV_SINK_YEAR_INIT;
        epv__sink_fill_year(r, r->total + i * SINK_NCOMP, i, c, &y);
        c = cum[i] = y.cumulative_net_tco2;
        if (c > ymax) ymax = c;
        if (c < ymin) ymin = c;
    }
    double ref_end = reference_tco2_yr * (double)n;
    if (ref_end > ymax) ymax = ref_end;
    /* Plot in 万吨 (10^4 t), the unit county reports use. */
    double scale = 1e4;
    ymax /= scale;
    ymin /= scale;
    if (ymax <= ymin) ymax = ymin + 1;
    double top, bottom;
    double step = epv__chart_ticks(ymin, ymax, 6, &bottom, &top);
    const double W = 760, H = 460, L = 90, R = 30, T = 50, B = 60;
    double pw = W - L - R, ph = H - T - B;
#define XPOS(i) (L + pw * (n > 1 ? (double)(i) / (double)(n - 1) : 0.5))
#define YPOS(v) (T + ph * (1 - ((v) - bottom) / (top - bottom)))
    epv__out out;
    int rc = epv__out_open(ctx, path, &out);
    if (rc) {
        epv__free(ctx, cum);
        return rc;
    }
    FILE *f = out.f;
    epv__chart_open(f, W, H, 12);
    fprintf(f, "<text x=\"%.0f\" y=\"28\" font-size=\"16\" font-weight=\"bold\">", L);
    epv__out_xml_text(f, title ? title : "Cumulative net removals");
    fputs("</text>\n", f);
    for (double v = bottom; v <= top + step / 2; v += step) {
        fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>\n", L, YPOS(v), W - R, YPOS(v));
        char num[48];
        fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%s</text>\n", L - 6, YPOS(v) + 4,
                epv__chart_num(v, epv__chart_decimals(step), num, sizeof num));
    }
    /* Year ticks on round years (every xstep), the first and the last year of the data, and
     * no two ticks closer than half a step. */
    size_t xstep = n > 20 ? 5 : n > 10 ? 2 : 1;
    for (size_t i = 0; i < n; i++) {
        int year = r->start_year + (int)i;
        int ends = i == 0 || i == n - 1;
        if (!ends && (year % (int)xstep != 0 || 2 * i < xstep || 2 * (n - 1 - i) < xstep)) continue;
        fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"black\"/>\n", XPOS(i), T + ph,
                XPOS(i), T + ph + 4);
        fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%d</text>\n", XPOS(i), T + ph + 18, year);
    }
    fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"black\"/>\n", L, T + ph, W - R, T + ph);
    fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"black\"/>\n", L, T, L, T + ph);
    fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">year</text>\n", L + pw / 2, H - 15);
    fprintf(f, "<text transform=\"translate(22 %.1f) rotate(-90)\" text-anchor=\"middle\">"
               "cumulative net removals (10^4 t CO2e = 万 t CO2e)</text>\n",
            T + ph / 2);
    if (reference_tco2_yr > 0) {
        fprintf(f, "<polyline fill=\"none\" stroke=\"#d62728\" stroke-width=\"2\" stroke-dasharray=\"6 4\" points=\"");
        for (size_t i = 0; i < n; i++) fprintf(f, "%.1f,%.1f ", XPOS(i), YPOS(reference_tco2_yr * (double)(i + 1) / scale));
        fputs("\"/>\n", f);
        epv__chart_legend(f, L + 10, T + 34, "#d62728", 1, 1, reference_label ? reference_label : "reference");
    }
    fputs("<polyline fill=\"none\" stroke=\"#1f77b4\" stroke-width=\"2.5\" points=\"", f);
    for (size_t i = 0; i < n; i++) fprintf(f, "%.1f,%.1f ", XPOS(i), YPOS(cum[i] / scale));
    fputs("\"/>\n", f);
    epv__chart_legend(f, L + 10, T + 16, "#1f77b4", 1, 0, "libepv estimate (net of baseline, emissions, leakage)");
    fputs("</svg>\n", f);
#undef XPOS
#undef YPOS
    epv__free(ctx, cum);
    return epv__out_close(ctx, &out, EPV_OK);
}
