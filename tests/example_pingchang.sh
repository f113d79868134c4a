#!/bin/sh
# Runs the main example on the shipped data and checks what a person would look at:
# the comparison with the county's figures is printed, and the CSV and SVG exist and parse.
set -eu
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
"$top_builddir/examples/pingchang" "$top_srcdir/data/examples/pingchang.xml" \
  "$top_srcdir/data/examples/pingchang_management.xml" "$out" > "$out/stdout.txt"
cat "$out/stdout.txt"
grep -q "Published figure: Pingchang county figure for 26.41万亩" "$out/stdout.txt"
grep -q "Published figure: Pingchang county figure for 15万亩" "$out/stdout.txt"
grep -q "IPCC Tier 1" "$out/stdout.txt"
for f in pingchang_afforestation pingchang_management; do
  [ "$(wc -l < "$out/$f.csv")" -eq 31 ] || { echo "$f.csv: expected 31 lines"; exit 1; }
  xmllint --noout "$out/$f.svg"
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
