/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Pieces shared by the library's SVG writers (sink, Monte Carlo, GEP charts), so that every
 * chart reads the same way: one font fallback list that reaches a CJK font wherever one is
 * installed, "nice" axis ticks (1, 2 or 5 x 10^k), numbers with grouped digits, the display
 * width of mixed Chinese/ASCII text, and legend swatches. */
#ifndef EPV_CHART_INT_H
#define EPV_CHART_INT_H

#include <stddef.h>
#include <stdio.h>

#include "epv/uncertainty.h"

/* font-family attribute value: CJK fonts of Linux, Windows and macOS, then sans-serif. */
#define EPV__CHART_FONTS \
    "Noto Sans CJK SC, Source Han Sans SC, WenQuanYi Micro Hei, Microsoft YaHei, PingFang SC, sans-serif"

/* Axis ticks from lo to hi: a step of 1, 2 or 5 x 10^k giving at most about `want` intervals,
 * first tick <= lo, last tick >= hi. Returns the step; *first and *last get the end ticks. */
double epv__chart_ticks(double lo, double hi, int want, double *first, double *last);
/* v with `decimals` decimals (chosen from the step when decimals < 0) and digits grouped by
 * commas: 23236435750 -> "23,236,435,750". Locale-independent. Returns buf. */
const char *epv__chart_num(double v, int decimals, char *buf, size_t n);
/* Decimals needed to show ticks of this step exactly (0 for steps >= 1). */
int epv__chart_decimals(double step);
/* Width of UTF-8 text in "em/2" units: East Asian wide characters count 2, others 1. */
size_t epv__chart_width(const char *s);
/* The opening <svg ...> element with size, white background and the font list. */
void epv__chart_open(FILE *f, double w, double h, int font_size);
/* One legend entry at (x, y): a swatch (line when dashed >= 0, else a filled square) in
 * `colour` and the escaped label; returns the x where the next entry may start. */
double epv__chart_legend(FILE *f, double x, double y, const char *colour, int line, int dashed, const char *label);


/* The one histogram renderer for Monte Carlo draws (uncertainty_svg.c): nbins bars between
 * the smallest and largest draw, mean and 2.5/97.5 percentile markers, axes in display units
 * (value * scale) with nice ticks and grouped digits. Used by epv_mc_write_histogram_svg and
 * epv_gep_unc_write_histogram_svg. */
int epv__histogram_svg(epv_ctx *ctx, const double *draws, size_t n, size_t nbins, const char *title,
                       const char *unit, double scale, const char *path);

#endif
