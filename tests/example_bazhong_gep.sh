#!/bin/sh
# Runs examples/bazhong_gep on the shipped input and checks that its XML, CSV and SVG exist
# and are well formed, the XML validating against the account schema.
set -eu
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
"$top_builddir/examples/bazhong_gep" "$out" "$top_srcdir/data/examples" > "$out/stdout.txt"
grep -q "Integrity checks, Shenzhen" "$out/stdout.txt"
grep -q "price_dated" "$out/stdout.txt"
for f in bazhong_gep.xml bazhong_gep.csv bazhong_gep_pingchang_2020.svg; do
  [ -s "$out/$f" ] || { echo "missing $f"; exit 1; }
done
xmllint --noout --schema "$top_srcdir/data/schema/gep_account.xsd" "$out/bazhong_gep.xml"
xmllint --noout "$out/bazhong_gep_pingchang_2020.svg"
head -1 "$out/bazhong_gep.csv" | grep -q '^region,ecosystem,indicator,year,quantity,unit,value_current_yuan,value_constant_yuan$'
[ "$(wc -l < "$out/bazhong_gep.csv")" -gt 10 ]
echo "bazhong_gep example: ok"
