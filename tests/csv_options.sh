#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# CSV writing options (epv/csvout.h) through the examples: by default plain UTF-8 without a
# byte order mark and codes only; --csv-bom starts every CSV with EF BB BF; --csv-names adds
# region and indicator names (Chinese and English) beside the codes; the numbers are the same
# either way.
set -u
b=$top_builddir/examples; d=$top_srcdir/data/examples
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail=0
bad() { echo "FAIL: $*"; fail=1; }
bom() { [ "$(head -c 3 "$1" | od -An -tx1 | tr -d ' \n')" = "efbbbf" ]; }
"$b/bazhong_gep" "$tmp/plain" "$d" > /dev/null || bad "bazhong_gep plain"
"$b/bazhong_gep" --csv-bom --csv-names "$tmp/named" "$d" > /dev/null || bad "bazhong_gep --csv-bom --csv-names"
"$b/pingchang" --csv-bom "$d/pingchang.xml" "$tmp/pc" > /dev/null || bad "pingchang --csv-bom"
bom "$tmp/plain/bazhong_gep.csv" && bad "a BOM without --csv-bom"
bom "$tmp/named/bazhong_gep.csv" || bad "no BOM with --csv-bom (bazhong_gep.csv)"
bom "$tmp/pc/pingchang_afforestation.csv" || bad "no BOM with --csv-bom (pingchang_afforestation.csv)"
tail -c +4 "$tmp/named/bazhong_gep.csv" | head -1 | grep -q '^region,region_name,ecosystem,indicator,indicator_name_zh,indicator_name_en,year,' ||
  bad "named header: $(head -1 "$tmp/named/bazhong_gep.csv")"
grep -q '^pingchang,平昌县,[a-z_]*,water_conservation,水源涵养,' "$tmp/named/bazhong_gep.csv" || bad "no 平昌县/水源涵养 row"
# Same numbers: drop the name columns and the BOM, compare with the plain file.
tail -c +4 "$tmp/named/bazhong_gep.csv" | python3 -c '
import csv, sys
for row in csv.reader(sys.stdin):
    del row[5]; del row[4]; del row[1]
    print(",".join(row))' > "$tmp/stripped.csv"
cmp -s "$tmp/stripped.csv" "$tmp/plain/bazhong_gep.csv" || bad "named CSV differs from the plain one beyond the names"
[ $fail -eq 0 ] && echo "csv_options: ok"
exit $fail
