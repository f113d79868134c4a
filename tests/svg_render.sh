#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Every SVG the example programs write is rendered by a real renderer (rsvg-convert, Debian's
# librsvg2-bin) without an error or warning, and carries what a reader needs: the CJK font
# fallback list, tick labels with grouped digits on both axes of the Monte Carlo histograms,
# the last year of the data on the time axis, swatches in the legends, the region's name.
set -u
command -v rsvg-convert >/dev/null 2>&1 || { echo "rsvg-convert not installed (librsvg2-bin): skipped"; exit 77; }
b=$top_builddir/examples; d=$top_srcdir/data/examples
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail=0
bad() { echo "FAIL: $*"; fail=1; }
"$b/pingchang" "$d/pingchang.xml" "$d/pingchang_management.xml" "$tmp/out" > /dev/null || bad "pingchang failed"
"$b/bazhong_gep" "$tmp/out" > /dev/null || bad "bazhong_gep failed"
n=0
for f in "$tmp"/out/*.svg; do
  n=$((n + 1))
  rsvg-convert -o "$tmp/x.png" "$f" 2> "$tmp/err" || bad "$(basename "$f"): rsvg-convert failed"
  [ -s "$tmp/err" ] && bad "$(basename "$f"): renderer said: $(cat "$tmp/err")"
  [ -s "$tmp/x.png" ] || bad "$(basename "$f"): no image"
  grep -q 'font-family="Noto Sans CJK SC, Source Han Sans SC, WenQuanYi Micro Hei, Microsoft YaHei, PingFang SC, sans-serif"' "$f" ||
    bad "$(basename "$f"): no CJK font fallback list"
done
[ $n -eq 6 ] || bad "expected 6 SVG files, found $n"
# Monte Carlo histograms: y ticks (draws per bin) and x ticks with grouped digits.
for f in "$tmp"/out/*_mc*.svg; do
  grep -q 'text-anchor="end">[0-9][0-9,]*</text>' "$f" || bad "$(basename "$f"): no y tick labels"
  grep -q 'text-anchor="middle">[0-9]\{1,3\}\(,[0-9]\{3\}\)\+</text>' "$f" || bad "$(basename "$f"): no grouped x tick labels"
  grep -q '>[0-9]\{7,\}<' "$f" && bad "$(basename "$f"): raw long integers on an axis"
done
# Sink charts: the crediting period 2021-2050 ends with a 2050 tick; legends have swatches.
for f in "$tmp"/out/pingchang_afforestation.svg "$tmp"/out/pingchang_management.svg; do
  grep -q '>2050</text>' "$f" || bad "$(basename "$f"): last year 2050 has no tick"
  [ "$(grep -c 'stroke-width="2.5" */>' "$f")" -ge 1 ] || bad "$(basename "$f"): no legend swatch"
  grep -q '10^4 t CO2e = 万 t CO2e' "$f" || bad "$(basename "$f"): units"
done
# GEP chart: the region's name, not its code; a legend with three swatches.
g=$tmp/out/bazhong_gep_pingchang_2020.svg
grep -q 'font-size="15">GEP 平昌县 2020' "$g" || bad "GEP chart title does not name the region"
[ "$(grep -c '<rect x="[0-9.]*" y="[0-9.]*" width="12" height="12"' "$g")" -eq 3 ] || bad "GEP legend: expected 3 swatches"
[ $fail -eq 0 ] && echo "svg_render: $n charts rendered"
exit $fail
