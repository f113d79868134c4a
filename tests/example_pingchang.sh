#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs the main example on the shipped data and checks what a person would look at:
# the comparison with the county's figures is printed, and the CSV and SVG exist and parse.
set -eu
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
"$top_builddir/examples/pingchang" "$top_srcdir/data/examples/pingchang.xml" \
  "$top_srcdir/data/examples/pingchang_management.xml" "$top_srcdir/data/examples/pingchang_compartments.csv" \
  "$out" > "$out/stdout.txt"
cat "$out/stdout.txt"
grep -q "Published figure: Pingchang county figure for 26.41万亩" "$out/stdout.txt"
grep -q "Published figure: Pingchang county figure for 15万亩" "$out/stdout.txt"
grep -q "12 records -> 10 strata" "$out/stdout.txt"
grep -q "cupressus_funebris/plantation/a2/s2 .* PC-001-01 (120.5 ha) PC-001-02 (86.0 ha)" "$out/stdout.txt"
grep -q "IPCC Tier 1" "$out/stdout.txt"
for f in pingchang_afforestation pingchang_management; do
  [ "$(wc -l < "$out/$f.csv")" -eq 31 ] || { echo "$f.csv: expected 31 lines"; exit 1; }
  xmllint --noout "$out/$f.svg"
done
# Uncertainty: both approaches side by side, the plot numbers, and the Monte Carlo histogram.
[ "$(grep -c 'Approach 1 (IPCC Eq. 3.1/3.2)' "$out/stdout.txt")" -eq 2 ]
[ "$(grep -c 'Approach 2 (Monte Carlo' "$out/stdout.txt")" -eq 2 ]
grep -q "sample plots for ±10% at 90% confidence" "$out/stdout.txt"
grep -q "illustrative" "$out/stdout.txt"
xmllint --noout "$out/pingchang_afforestation_mc.svg"
# Approach 2's percentiles bracket its mean; the afforestation interval of both approaches
# overlaps (near-linear case: they should agree within a few percent).
awk '/Approach 2/ && !done { gsub(/[\[\],]/, " "); for (i = 1; i <= NF; i++) if ($i == "mean") m = $(i+1);
     for (i = 1; i <= NF; i++) if ($i ~ /^2.5-97.5%$/) { lo = $(i+1); hi = $(i+2) }
     if (!(lo < m && m < hi)) { print "bad Monte Carlo interval"; exit 1 } done = 1 }' "$out/stdout.txt"
# The same inventory as a GeoPackage (ogr2ogr from the CSV, comments stripped; every field
# becomes text, which the vector reader parses as strictly as the CSV reader) gives the same
# strata with the same records.
grep -v '^#' "$top_srcdir/data/examples/pingchang_compartments.csv" > "$out/inv.csv"
ogr2ogr -f GPKG "$out/inv.gpkg" "$out/inv.csv" -nln xiaoban
"$top_builddir/examples/pingchang" "$top_srcdir/data/examples/pingchang.xml" \
  "$top_srcdir/data/examples/pingchang_management.xml" "$out/inv.gpkg" "$out/g" > "$out/gpkg.txt"
strata() { sed -n '/^== Sub-compartment inventory/,/^run record/p' "$1" | sed '1d;$d'; }
strata "$out/stdout.txt" > "$out/strata_csv.txt"
strata "$out/gpkg.txt" > "$out/strata_gpkg.txt"
grep -q "12 records -> 10 strata" "$out/strata_gpkg.txt"
diff "$out/strata_csv.txt" "$out/strata_gpkg.txt"
# A layer with its own field names, in a data set with two layers: --layer and --field name
# them; without --layer the program stops and the message lists the layers.
ogr2ogr -f GPKG "$out/renamed.gpkg" "$out/inv.csv" -nln xiaoban -sql \
  "SELECT id AS xb_id, species AS shuzhong, origin, age AS lingji, area_ha AS mianji, volume_m3_ha AS xuji, site_class FROM inv"
ogr2ogr -update -f GPKG "$out/renamed.gpkg" "$out/inv.csv" -nln other
"$top_builddir/examples/pingchang" --layer=xiaoban --field=id=xb_id --field=species=shuzhong --field=age=lingji \
  --field=area_ha=mianji --field=area_mu= --field=volume_m3_ha=xuji "$top_srcdir/data/examples/pingchang.xml" \
  "$top_srcdir/data/examples/pingchang_management.xml" "$out/renamed.gpkg" "$out/r" > "$out/renamed.txt"
strata "$out/renamed.txt" > "$out/strata_renamed.txt"
diff "$out/strata_csv.txt" "$out/strata_renamed.txt"
if "$top_builddir/examples/pingchang" --field=id=xb_id "$top_srcdir/data/examples/pingchang.xml" \
  "$top_srcdir/data/examples/pingchang_management.xml" "$out/renamed.gpkg" "$out/r2" > /dev/null 2> "$out/err"; then
  echo "two layers without --layer accepted"; exit 1
fi
grep -q "xiaoban" "$out/err" && grep -q "other" "$out/err"
# option values that make no sense are usage errors (exit 2), before anything is computed
for opt in --field=height=h --field=id= --area=round --area-check=2 --layer=; do
  rc=0
  "$top_builddir/examples/pingchang" "$opt" "$top_srcdir/data/examples/pingchang.xml" "$out/r3" 2> "$out/err" || rc=$?
  [ "$rc" -eq 2 ] || { echo "$opt: exit $rc, expected 2"; exit 1; }
  [ ! -e "$out/r3" ] || { echo "$opt: output written"; exit 1; }
done
# Bad input: a clear error naming the file, non-zero exit, no output files.
bad=$(mktemp -d)
if "$top_builddir/examples/pingchang" "$top_srcdir/tests/data/sink/unknown_species.xml" "$bad" 2> "$bad/err"; then
  echo "bad input accepted"; exit 1
fi
grep -q "unknown_species.xml:5" "$bad/err"
[ ! -e "$bad/pingchang_afforestation.csv" ]
rm -rf "$bad"
echo "example_pingchang: ok"
