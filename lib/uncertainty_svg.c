/* SPDX-License-Identifier: GPL-3.0-or-later */
/* SVG histogram of a Monte Carlo output: a plain bar chart with the mean and the 2.5/97.5
 * percentiles marked. Written to a temporary file then renamed, so a failed write never
 * leaves a half chart behind. */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "uncertainty_int.h"
#include "textout_int.h"
#include "chart_int.h"

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Linear interpolation between order statistics (NumPy's default, R type 7). */
static double sorted_pct(const double *v, size_t n, double p)
{
    double h = (double)(n - 1) * p / 100.0;
    size_t i = (size_t)h;
    if (i + 1 >= n) return v[n - 1];
    return v[i] + (h - (double)i) * (v[i + 1] - v[i]);
}

/* The one histogram renderer: Monte Carlo draws of any module (mc handles, GEP totals). */
int epv__histogram_svg(epv_ctx *ctx, const double *draws, size_t n, size_t nbins, const char *title,
                       const char *unit, double scale, const char *path)
{
    EPV__NEED(ctx, draws, "draws");
    EPV__NEED(ctx, path, "path");
    if (n < 2) return epv__error(ctx, EPV_EINVAL, "histogram: %zu draws, at least 2 are needed", n);
    if (nbins == 0 || nbins > 10000)
        return epv__error(ctx, EPV_ERANGE, "histogram: nbins %zu is outside 1..10000", nbins);
    if (!(scale > 0) || !isfinite(scale))
        return epv__error(ctx, EPV_EINVAL, "histogram: scale %g is not positive and finite", scale);
    double *sorted = epv__malloc(ctx, n * sizeof *sorted); /* sorted copy, freed before drawing */
    epv_i64 *counts = epv__calloc(ctx, nbins, sizeof *counts);
    if (!sorted || !counts) {
        epv__free(ctx, sorted);
        epv__free(ctx, counts);
        return EPV_ENOMEM;
    }
    double sum = 0;
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(draws[i])) {
            epv__free(ctx, sorted);
            epv__free(ctx, counts);
            return epv__error(ctx, EPV_ERANGE, "histogram: draws[%zu] is not finite", i);
        }
        sorted[i] = draws[i];
        sum += draws[i];
    }
    qsort(sorted, n, sizeof *sorted, cmp_double);
    epv_mc_summary s = EPV_MC_SUMMARY_INIT;
    s.n = n;
    s.mean = sum / (double)n;
    s.min = sorted[0];
    s.max = sorted[n - 1];
    s.p2_5 = sorted_pct(sorted, n, 2.5);
    s.p97_5 = sorted_pct(sorted, n, 97.5);
    double lo = s.min, hi = s.max > s.min ? s.max : s.min + 1;
    for (size_t i = 0; i < n; i++) {
        size_t b = (size_t)((sorted[i] - lo) / (hi - lo) * (double)nbins);
        counts[b >= nbins ? nbins - 1 : b]++;
    }
    epv__free(ctx, sorted);
    int rc;
    epv_i64 cmax = 1;
    for (size_t b = 0; b < nbins; b++)
        if (counts[b] > cmax) cmax = counts[b];

    epv__out out;
    if ((rc = epv__out_open(ctx, path, &out))) {
        epv__free(ctx, counts);
        return rc;
    }
    FILE *f = out.f;
    const double W = 640, H = 400, L = 60, R = 20, T = 40, B = 60;
    const double pw = W - L - R, ph = H - T - B;
    epv__chart_open(f, W, H, 12);
    /* Left-aligned and small enough that long project names fit the width. */
    fprintf(f, "<text x=\"%g\" y=\"24\" text-anchor=\"start\" font-size=\"13\">", 10.0);
    epv__out_xml_text(f, title ? title : "Monte Carlo");
    fprintf(f, "</text>\n");
    double bw = pw / (double)nbins;
    for (size_t b = 0; b < nbins; b++) {
        double h = ph * (double)counts[b] / (double)cmax;
        fprintf(f, "<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" fill=\"#4a7ab5\" "
                   "stroke=\"white\" stroke-width=\"0.5\"/>\n",
                L + bw * (double)b, T + ph - h, bw, h);
    }
    fprintf(f, "<line x1=\"%g\" y1=\"%g\" x2=\"%g\" y2=\"%g\" stroke=\"black\"/>\n", L, T + ph,
            L + pw, T + ph);
    fprintf(f, "<line x1=\"%g\" y1=\"%g\" x2=\"%g\" y2=\"%g\" stroke=\"black\"/>\n", L, T, L, T + ph);
    /* markers: mean (solid), 2.5 and 97.5 percentiles (dashed) */
    double marks[3] = { s.p2_5, s.mean, s.p97_5 };
    const char *labels[3] = { "2.5%", "mean", "97.5%" };
    for (int m = 0; m < 3; m++) {
        double x = L + pw * (marks[m] - lo) / (hi - lo);
        fprintf(f, "<line x1=\"%.2f\" y1=\"%g\" x2=\"%.2f\" y2=\"%g\" stroke=\"#c0392b\"%s/>\n", x,
                T, x, T + ph, m == 1 ? "" : " stroke-dasharray=\"4 3\"");
        fprintf(f, "<text x=\"%.2f\" y=\"%g\" text-anchor=\"middle\" fill=\"#c0392b\">%s</text>\n",
                x, T - 4, labels[m]);
    }
    char b1[48], b2[48], b3[48];
    /* x ticks: nice numbers inside [lo, hi], grouped digits */
    double dlo = lo * scale, dhi = hi * scale; /* axis in display units */
    double t0, t1, xs = epv__chart_ticks(dlo, dhi, 5, &t0, &t1);
    for (double v = t0; v <= t1 + xs / 2; v += xs) {
        if (v < dlo - xs * 1e-9 || v > dhi + xs * 1e-9) continue;
        double x = L + pw * (v - dlo) / (dhi - dlo);
        fprintf(f, "<line x1=\"%.2f\" y1=\"%g\" x2=\"%.2f\" y2=\"%g\" stroke=\"black\"/>\n", x, T + ph, x, T + ph + 4);
        fprintf(f, "<text x=\"%.2f\" y=\"%g\" text-anchor=\"middle\">%s</text>\n", x, T + ph + 16,
                epv__chart_num(v, epv__chart_decimals(xs), b1, sizeof b1));
    }
    /* y ticks: draws per bin */
    double c0, c1, cs = epv__chart_ticks(0, (double)cmax, 5, &c0, &c1);
    for (double v = 0; v <= (double)cmax + cs * 1e-9; v += cs) {
        double y = T + ph - ph * v / (double)cmax;
        fprintf(f, "<line x1=\"%g\" y1=\"%.2f\" x2=\"%g\" y2=\"%.2f\" stroke=\"black\"/>\n", L - 4, y, L, y);
        fprintf(f, "<text x=\"%g\" y=\"%.2f\" text-anchor=\"end\">%s</text>\n", L - 6, y + 4,
                epv__chart_num(v, 0, b1, sizeof b1));
    }
    fprintf(f, "<text x=\"%g\" y=\"%g\" text-anchor=\"middle\">", L + pw / 2, H - 24);
    epv__out_xml_text(f, unit ? unit : "value");
    fprintf(f, "</text>\n<text x=\"%g\" y=\"%g\" text-anchor=\"middle\">n = %zu, mean %s, 95%% interval %s to %s</text>\n",
            L + pw / 2, H - 8, s.n, epv__chart_num(s.mean * scale, -1, b1, sizeof b1),
            epv__chart_num(s.p2_5 * scale, -1, b2, sizeof b2), epv__chart_num(s.p97_5 * scale, -1, b3, sizeof b3));
    fprintf(f, "<text x=\"12\" y=\"%g\" transform=\"rotate(-90 12 %g)\" text-anchor=\"middle\">"
               "draws per bin</text>\n",
            T + ph / 2, T + ph / 2);
    fprintf(f, "</svg>\n");
    rc = epv__out_close(ctx, &out, EPV_OK);
    epv__free(ctx, counts);
    return rc;
}

EPV_API int epv_mc_write_histogram_svg(epv_mc *mc, size_t output, size_t nbins, const char *title,
                                       const char *unit, double scale, const char *path)
{
    if (!mc) return EPV_EINVAL;
    EPV__NEED(mc->ctx, path, "path");
    int rc = epv__mc_check_output(mc, output);
    if (rc) return rc;
    const double *draws;
    size_t n;
    if ((rc = epv_mc_column(mc, output, &draws, &n))) return rc;
    return epv__histogram_svg(mc->ctx, draws, n, nbins, title, unit, scale, path);
}
