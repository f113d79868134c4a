#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs the county carbon example on its shipped illustrative data and checks what a person
# would look at: totals, a trace that sums exactly, the targets, the net balance with both
# approaches, and CSV/SVG outputs that parse. Then bad input: a clear error, no outputs.
set -eu
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
d="$top_srcdir/data/examples"
"$top_builddir/examples/county_carbon" "$d/county_carbon_activity.csv" "$d/county_carbon_economy.csv" \
  "$d/county_carbon_grid.csv" "$out" > "$out/stdout.txt"
cat "$out/stdout.txt"
grep -q "ILLUSTRATIVE" "$out/stdout.txt"
grep -q "exactly equal" "$out/stdout.txt"
grep -q "document: ILL-YB-T12-2 livestock" "$out/stdout.txt"
grep -q "CO2 per GDP (t CO2/万元): 2020" "$out/stdout.txt"
grep -q "target .* (-14%)" "$out/stdout.txt"
grep -q "15.84万 t CO2/yr, published" "$out/stdout.txt"
[ "$(grep -c 'mean .* \[' "$out/stdout.txt")" -eq 7 ]
grep -q "2025 total with GWP AR6" "$out/stdout.txt"
[ "$(wc -l < "$out/county_carbon_sectors.csv")" -eq 8 ]
[ "$(wc -l < "$out/county_carbon_trace.csv")" -eq 8 ]
[ "$(wc -l < "$out/county_carbon_balance.csv")" -eq 8 ]
for s in sectors co2_target energy_target balance; do
  xmllint --noout "$out/county_carbon_$s.svg"
  grep -q "sans-serif" "$out/county_carbon_$s.svg"
done
grep -q "10^4 t CO2e" "$out/county_carbon_balance.svg"
# The trace CSV's t_co2e column sums to the figure printed for it (printed with grouped digits).
awk -F, 'NR > 1 { s += $14 } END { printf "%.1f\n", s }' "$out/county_carbon_trace.csv" > "$out/sum.txt"
tr -d , < "$out/stdout.txt" | grep -q "total $(cat "$out/sum.txt") t CO2e"
# Bad input: unknown code, named with file, line and column; non-zero exit; no outputs.
bad=$(mktemp -d)
if "$top_builddir/examples/county_carbon" "$top_srcdir/tests/data/inventory/unknown_code.csv" \
    "$d/county_carbon_economy.csv" "$d/county_carbon_grid.csv" "$bad/out" 2> "$bad/err"; then
  echo "bad input accepted"; exit 1
fi
cat "$bad/err"
grep -q "unknown_code.csv:4: column 'code': unknown code 'dieselx'" "$bad/err"
[ ! -e "$bad/out/county_carbon_sectors.csv" ]
rm -rf "$bad"
echo "example_county_carbon: ok"
