#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Every SVG the example programs write is rendered by a real renderer (rsvg-convert, Debian's
# librsvg2-bin) without an error or warning, and carries what a reader needs: the CJK font
# fallback list, tick labels with grouped digits on both axes of the Monte Carlo histograms,
# the last year of the data on the time axis, swatches in the legends, the region's name.
set -u
command -v rsvg-convert >/dev/null 2>&1 || { echo "svg_render: rsvg-convert not installed (librsvg2-bin; scripts/install-deps installs it)" >&2; exit 1; }
b=$top_builddir/examples; d=$top_srcdir/data/examples
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail=0
bad() { echo "FAIL: $*"; fail=1; }
"$b/pingchang" "$d/pingchang.xml" "$d/pingchang_management.xml" "$tmp/out" > "$tmp/stdout" || bad "pingchang failed"
"$b/bazhong_gep" "$tmp/out" > /dev/null || bad "bazhong_gep failed"
"$b/county_carbon" "$tmp/out2" > /dev/null || bad "county_carbon failed"
"$b/bazhong_spatial" "$tmp/out2" > /dev/null || bad "bazhong_spatial failed"
# county_carbon's and bazhong_spatial's charts (written by the inventory and spatial modules):
# rendered without a complaint, with a CJK font ahead of the generic family.
n2=0
for f in "$tmp"/out2/*.svg; do
  n2=$((n2 + 1))
  rsvg-convert -o "$tmp/x.png" "$f" 2> "$tmp/err" || bad "$(basename "$f"): rsvg-convert failed"
  [ -s "$tmp/err" ] && bad "$(basename "$f"): renderer said: $(cat "$tmp/err")"
  [ -s "$tmp/x.png" ] || bad "$(basename "$f"): no image"
  grep -q "font-family=\"[^\"]*Noto Sans CJK SC[^\"]*sans-serif\"" "$f" || bad "$(basename "$f"): no CJK font fallback"
done
[ $n2 -eq 6 ] || bad "county_carbon and bazhong_spatial: expected 6 SVG files, found $n2"
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
# Monte Carlo histograms: y ticks (draws per bin), at least three x tick labels, no long
# ungrouped integer anywhere, and the axis on the terminal's basis (pingchang: mean net
# removals in 万 t a year, the mean printed on the terminal).
for f in "$tmp"/out/*_mc*.svg; do
  grep -q 'text-anchor="end">[0-9][0-9,]*</text>' "$f" || bad "$(basename "$f"): no y tick labels"
  [ "$(grep -c 'text-anchor="middle">[0-9][0-9,.]*</text>' "$f")" -ge 3 ] || bad "$(basename "$f"): fewer than 3 x tick labels"
  grep -Eq '>-?[0-9]{4,}(\.[0-9]+)?</text>' "$f" && bad "$(basename "$f"): ungrouped tick label: $(grep -Eo '>-?[0-9]{4,}(\.[0-9]+)?</text>' "$f" | head -1)"
  grep -q 'mean [0-9]\{4,\}' "$f" && bad "$(basename "$f"): ungrouped mean"
done
grep -q '>1,[0-9]\{3\}</text>' "$tmp/out/bazhong_gep_mc_2021.svg" || bad "bazhong_gep_mc_2021.svg: y ticks not grouped"
mean=$(sed -n 's/.*Approach 2 (Monte Carlo.*mean *\([0-9.]*\),.*/\1/p' "$tmp/stdout" | head -1)
grep -q "10^4 t CO2e/yr.*mean $mean," "$tmp/out/pingchang_afforestation_mc.svg" ||
  grep -q "n = [0-9]*, mean $mean," "$tmp/out/pingchang_afforestation_mc.svg" ||
  bad "pingchang_afforestation_mc.svg: mean is not the terminal's $mean (10^4 t CO2e/yr)"
grep -q '10^4 t CO2e/yr' "$tmp/out/pingchang_afforestation_mc.svg" || bad "histogram not in 10^4 t CO2e/yr"
grep -q '10^8 yuan (亿元)' "$tmp/out/bazhong_gep_mc_2021.svg" || bad "GEP histogram not in 亿元"
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
[ $fail -eq 0 ] && echo "svg_render: $((n + n2)) charts rendered"
exit $fail
