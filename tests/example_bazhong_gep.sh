#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs examples/bazhong_gep on the shipped input and checks that its XML, CSV and SVG exist
# and are well formed, the XML validating against the account schema.
set -eu
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
"$top_builddir/examples/bazhong_gep" "$out" "$top_srcdir/data/examples" > "$out/stdout.txt"
grep -q "Integrity checks, Shenzhen" "$out/stdout.txt"
grep -q "price_dated" "$out/stdout.txt"
# Intervals on the totals, Approach 1 beside Approach 2, for the city and a county.
grep -q "95% intervals, bazhong 2021" "$out/stdout.txt"
grep -q "95% intervals, pingchang 2021" "$out/stdout.txt"
[ "$(grep -c '^  GEP  *[0-9.]*  *[0-9.]*% \[' "$out/stdout.txt")" -eq 2 ]
# Monte Carlo is seeded by the context: a second run prints the same figures.
mkdir "$out/again"
"$top_builddir/examples/bazhong_gep" "$out/again" "$top_srcdir/data/examples" > "$out/again/stdout.txt"
sed "s|$out/again|OUT|g" "$out/again/stdout.txt" > "$out/b.txt"
sed "s|$out|OUT|g" "$out/stdout.txt" > "$out/a.txt"
cmp -s "$out/a.txt" "$out/b.txt" || { echo "second run differs"; diff "$out/a.txt" "$out/b.txt"; exit 1; }
xmllint --noout --schema "$top_srcdir/data/schema/gep_unc.xsd" "$top_srcdir/data/examples/bazhong_gep_unc.xml"
for f in bazhong_gep.xml bazhong_gep.csv bazhong_gep_pingchang_2020.svg bazhong_gep_mc_2021.svg; do
  [ -s "$out/$f" ] || { echo "missing $f"; exit 1; }
done
xmllint --noout --schema "$top_srcdir/data/schema/gep_account.xsd" "$out/bazhong_gep.xml"
xmllint --noout "$out/bazhong_gep_pingchang_2020.svg"
xmllint --noout "$out/bazhong_gep_mc_2021.svg"
head -1 "$out/bazhong_gep.csv" | grep -q '^region,ecosystem,indicator,year,quantity,unit,value_current_yuan,value_constant_yuan$'
[ "$(wc -l < "$out/bazhong_gep.csv")" -gt 10 ]
echo "bazhong_gep example: ok"
