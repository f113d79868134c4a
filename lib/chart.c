/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Pieces shared by the SVG writers (see chart_int.h). */
#include "config.h"
#include "chart_int.h"
#include "common_int.h"
#include "textout_int.h"

#include <math.h>
#include <string.h>

double epv__chart_ticks(double lo, double hi, int want, double *first, double *last)
{
    if (!(hi > lo)) hi = lo + 1;
    if (want < 1) want = 1;
    double raw = (hi - lo) / want, mag = pow(10, floor(log10(raw))), r = raw / mag;
    double step = (r <= 1 ? 1 : r <= 2 ? 2 : r <= 5 ? 5 : 10) * mag;
    /* Rounding the step up can leave only two ticks inside [lo, hi] (0.3..5.9 with step 2):
     * step down through 5, 2, 1 times a power of ten until at least three fall inside. */
    for (int guard = 0; guard < 6; guard++) {
        double inside = floor(hi / step + 1e-9) - ceil(lo / step - 1e-9) + 1;
        if (inside >= 3 || want < 3) break;
        double m = pow(10, floor(log10(step) + 1e-9)), q = step / m;
        step = (q > 4.5 ? 2 : q > 1.5 ? 1 : 0.5) * m;
    }
    /* A tiny tolerance so that 2050 with step 5 stays 2050, not 2055. */
    *first = floor(lo / step + 1e-9) * step;
    *last = ceil(hi / step - 1e-9) * step;
    return step;
}

int epv__chart_decimals(double step)
{
    int d = 0;
    while (d < 9 && fabs(step * pow(10, d) - floor(step * pow(10, d) + 0.5)) > 1e-6 * step * pow(10, d)) d++;
    return d;
}

const char *epv__chart_num(double v, int decimals, char *buf, size_t n)
{
    char raw[64];
    if (!isfinite(v)) {
        snprintf(buf, n, "%s", isnan(v) ? "n/a" : v > 0 ? "inf" : "-inf");
        return buf;
    }
    if (decimals < 0) decimals = fabs(v) >= 100 ? 0 : fabs(v) >= 1 ? 2 : 3;
    epv__snprintf_c(raw, sizeof raw, "%.*f", decimals, v);
    const char *digits = raw + (raw[0] == '-');
    const char *dot = strchr(digits, '.');
    size_t intlen = dot ? (size_t)(dot - digits) : strlen(digits), o = 0;
    char out[96];
    if (raw[0] == '-' && strspn(digits, "0.") != strlen(digits)) out[o++] = '-';
    for (size_t k = 0; k < intlen && o + 2 < sizeof out; k++) {
        if (k && (intlen - k) % 3 == 0) out[o++] = ',';
        out[o++] = digits[k];
    }
    out[o] = 0;
    if (dot && o + strlen(dot) < sizeof out) strcat(out, dot);
    snprintf(buf, n, "%s", out);
    return buf;
}

size_t epv__chart_width(const char *s)
{
    size_t w = 0;
    for (const unsigned char *p = (const unsigned char *)s; p && *p;) {
        if (*p < 0x80) {
            w++;
            p++;
            continue;
        }
        int len = (*p & 0xE0) == 0xC0 ? 2 : (*p & 0xF0) == 0xE0 ? 3 : (*p & 0xF8) == 0xF0 ? 4 : 1;
        unsigned long c = len == 2 ? (*p & 0x1Fu) : len == 3 ? (*p & 0x0Fu) : (*p & 0x07u);
        for (int k = 1; k < len; k++) c = (c << 6) | (p[k] & 0x3Fu);
        /* East Asian Wide/Fullwidth: Hangul Jamo, CJK, Hangul, compatibility, fullwidth forms. */
        int wide = (c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0xA4CF) || (c >= 0xAC00 && c <= 0xD7A3) ||
                   (c >= 0xF900 && c <= 0xFAFF) || (c >= 0xFE30 && c <= 0xFE4F) || (c >= 0xFF00 && c <= 0xFF60) ||
                   (c >= 0xFFE0 && c <= 0xFFE6) || (c >= 0x20000 && c <= 0x3FFFD);
        w += wide ? 2 : 1;
        for (int k = 0; k < len && *p; k++) p++;
    }
    return w;
}

void epv__chart_open(FILE *f, double w, double h, int font_size)
{
    fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
               "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" "
               "font-family=\"%s\" font-size=\"%d\">\n<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n",
            w, h, w, h, EPV__CHART_FONTS, font_size);
}

double epv__chart_legend(FILE *f, double x, double y, const char *colour, int line, int dashed, const char *label)
{
    if (line)
        fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"2.5\"%s/>\n", x,
                y - 4, x + 22, y - 4, colour, dashed ? " stroke-dasharray=\"6 4\"" : "");
    else
        fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"12\" height=\"12\" fill=\"%s\"/>\n", x + 5, y - 10, colour);
    fprintf(f, "<text x=\"%.1f\" y=\"%.1f\">", x + 28, y);
    epv__out_xml_text(f, label);
    fputs("</text>\n", f);
    /* about 6.5 px per narrow character at 12 px, double for wide ones */
    return x + 28 + 6.5 * (double)epv__chart_width(label) + 18;
}
