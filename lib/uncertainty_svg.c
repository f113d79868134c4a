/* SPDX-License-Identifier: GPL-3.0-or-later */
/* SVG histogram of a Monte Carlo output: a plain bar chart with the mean and the 2.5/97.5
 * percentiles marked. Written to a temporary file then renamed, so a failed write never
 * leaves a half chart behind. */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "uncertainty_int.h"
#include "textout_int.h"

/* A number as people read it on a chart: whole numbers above 100 (no exponent), three
 * significant digits below. */
static const char *readable(double v, char buf[32])
{
    if (fabs(v) >= 100 && fabs(v) < 1e15)
        epv__snprintf_c(buf, 32, "%.0f", v);
    else
        epv__snprintf_c(buf, 32, "%.3g", v);
    return buf;
}

int epv_mc_write_histogram_svg(epv_mc *mc, size_t output, size_t nbins, const char *title,
                               const char *unit, const char *path)
{
    if (!mc) return EPV_EINVAL;
    epv_ctx *ctx = mc->ctx;
    if (!path || nbins == 0 || nbins > 10000)
        return epv__error(ctx, EPV_EINVAL, "epv_mc_write_histogram_svg: NULL path or nbins not in 1..10000");
    int rc = epv__mc_check_output(mc, output);
    if (rc) return rc;
    epv_mc_summary s = EPV_MC_SUMMARY_INIT;
    epv__mc_summary(mc, output, &s); /* a chart needs no relative bounds, so a mean of 0 is fine */
    if (rc) return rc;
    epv_i64 *counts = epv__calloc(ctx, nbins, sizeof *counts);
    if (!counts) return EPV_ENOMEM;
    double lo = s.min, hi = s.max > s.min ? s.max : s.min + 1;
    rc = epv_mc_histogram(mc, output, nbins, lo, hi, counts);
    if (rc) {
        epv__free(ctx, counts);
        return rc;
    }
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
    fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
               "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%g\" height=\"%g\" "
               "viewBox=\"0 0 %g %g\" font-family=\"sans-serif\" font-size=\"12\">\n",
            W, H, W, H);
    fprintf(f, "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n");
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
    char b1[32], b2[32], b3[32];
    fprintf(f, "<text x=\"%g\" y=\"%g\" text-anchor=\"start\">%s</text>\n", L, T + ph + 16, readable(lo, b1));
    fprintf(f, "<text x=\"%g\" y=\"%g\" text-anchor=\"end\">%s</text>\n", L + pw, T + ph + 16, readable(hi, b2));
    fprintf(f, "<text x=\"%g\" y=\"%g\" text-anchor=\"middle\">", L + pw / 2, H - 14);
    epv__out_xml_text(f, unit ? unit : "value");
    fprintf(f, " (n = %zu, mean %s, 95%% interval %s to %s)</text>\n", s.n, readable(s.mean, b1), readable(s.p2_5, b2),
            readable(s.p97_5, b3));
    fprintf(f, "<text x=\"14\" y=\"%g\" transform=\"rotate(-90 14 %g)\" text-anchor=\"middle\">"
               "draws per bin</text>\n",
            T + ph / 2, T + ph / 2);
    fprintf(f, "</svg>\n");
    rc = epv__out_close(ctx, &out, EPV_OK);
    epv__free(ctx, counts);
    return rc;
}
