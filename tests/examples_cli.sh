#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# What a new user meets at the command line of every example program: --help and --version on
# stdout with exit 0 and the plain program name (no libtool path), unknown options refused
# with the valid ones listed, a file of the wrong kind named as what it is, a missing file
# reported once, an unknown species answered with the known ones, swapped project files
# refused, nested output directories created, the data found when run from elsewhere, and
# terminal tables aligned for Chinese text with grouped digits (no %g exponents).
set -u
b=$top_builddir/examples; d=$top_srcdir/data/examples
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail=0
bad() { echo "FAIL: $*"; fail=1; }
progs="pingchang bazhong_gep ccer_ledger county_carbon bazhong_spatial"
[ -x "$b/spatial_mpi" ] && progs="$progs spatial_mpi"
for p in $progs; do
  "$b/$p" --help > "$tmp/out" 2> "$tmp/err" || bad "$p --help exit $?"
  [ -s "$tmp/err" ] && bad "$p --help wrote to stderr"
  head -1 "$tmp/out" | grep -q "^usage: $p \[OPTION\]" || bad "$p --help: $(head -1 "$tmp/out")"
  grep -q -e '\.libs' -e 'lt-' "$tmp/out" && bad "$p --help shows a libtool path"
  "$b/$p" --version > "$tmp/out" 2> "$tmp/err" || bad "$p --version exit $?"
  grep -q "^$p (libepv) [0-9]" "$tmp/out" || bad "$p --version: $(cat "$tmp/out")"
  "$b/$p" --frobnicate x y > "$tmp/out" 2> "$tmp/err"; rc=$?
  [ $rc -eq 2 ] || bad "$p --frobnicate exit $rc (expected 2)"
  grep -q "unknown option '--frobnicate' (valid: .*--help" "$tmp/err" || bad "$p unknown option: $(cat "$tmp/err")"
  grep -q -e '\.libs' -e 'lt-' "$tmp/err" && bad "$p usage shows a libtool path"
done
# A GEP input given as a project says what it is and what was expected.
"$b/pingchang" "$d/bazhong_gep.xml" "$tmp/o" 2> "$tmp/err" && bad "GEP input accepted as a project"
grep -q "this is a GEP input (<gepInput>); a carbon-sink project (<project>) was expected" "$tmp/err" ||
  bad "wrong-kind message: $(cat "$tmp/err")"
"$b/ccer_ledger" "$d/bazhong_gep.xml" "$tmp/l.db" 2> "$tmp/err" && bad "ccer_ledger accepted a GEP input"
grep -q "this is a GEP input" "$tmp/err" || bad "ccer_ledger wrong-kind message: $(cat "$tmp/err")"
# A missing file: its path once, the system's reason, no "input/output error".
"$b/pingchang" "$tmp/nope.xml" "$tmp/o" 2> "$tmp/err" && bad "missing file accepted"
[ "$(grep -o "nope.xml" "$tmp/err" | wc -l)" -eq 1 ] || bad "missing file named more than once: $(cat "$tmp/err")"
grep -q "No such file or directory" "$tmp/err" || bad "missing file reason: $(cat "$tmp/err")"
grep -qi "input/output error" "$tmp/err" && bad "missing file called an I/O error"
# Unknown species: the known ones are listed.
"$b/pingchang" "$top_srcdir/tests/data/sink/unknown_species.xml" "$tmp/o" > /dev/null 2> "$tmp/err" && bad "unknown species accepted"
grep -q "known species (code, name):.*cunninghamia_lanceolata 杉木" "$tmp/err" || bad "species not listed: $(cat "$tmp/err")"
"$b/ccer_ledger" "$top_srcdir/tests/data/sink/unknown_species.xml" "$tmp/u.db" > /dev/null 2> "$tmp/err" && bad "ccer_ledger: unknown species accepted"
grep -q "known species (code, name):.*pinus_massoniana 马尾松" "$tmp/err" || bad "ccer_ledger: species not listed: $(cat "$tmp/err")"
# Swapped project files are refused, nothing written.
"$b/pingchang" "$d/pingchang_management.xml" "$d/pingchang.xml" "$tmp/swap" > /dev/null 2> "$tmp/err" && bad "swapped inputs accepted"
grep -q "is a forest-management project.*first argument must be the afforestation project" "$tmp/err" ||
  bad "swap message: $(cat "$tmp/err")"
[ -e "$tmp/swap" ] && bad "swapped run created its output directory"
# Run from another directory, data found without a DATADIR; nested output directory created.
(cd "$tmp" && "$b/bazhong_gep" deep/er/out > gep.txt 2> gep.err) || bad "bazhong_gep from $tmp: $(cat "$tmp/gep.err")"
[ -s "$tmp/deep/er/out/bazhong_gep.csv" ] || bad "bazhong_gep did not write into a new nested directory"
"$b/ccer_ledger" "$d/pingchang.xml" "$tmp/new/dir/l.db" > /dev/null 2> "$tmp/err" || bad "ccer_ledger into a new directory: $(cat "$tmp/err")"
[ -s "$tmp/new/dir/l.db" ] || bad "ccer_ledger did not create the ledger's directory"
"$b/ccer_ledger" "$d/pingchang.xml" "$tmp/new/dir/l.db" > /dev/null 2> "$tmp/err" && bad "existing ledger accepted"
grep -q "already exists; give the name of a new ledger file" "$tmp/err" || bad "existing ledger message: $(cat "$tmp/err")"
# Bad option values say what was expected.
"$b/pingchang" --threads=many "$d/pingchang.xml" "$tmp/o" 2> "$tmp/err"; rc=$?
[ $rc -eq 2 ] && grep -q "'many' is not a thread count from 0 to 4096" "$tmp/err" || bad "--threads=many: $rc $(cat "$tmp/err")"
# EPV_DATADIR is honoured (and a wrong one lists where it looked).
mkdir "$tmp/empty" "$tmp/dd"
cp "$d"/bazhong_gep* "$d"/shenzhen_2020_published.xml "$tmp/dd/"
(cd / && EPV_DATADIR=$tmp/dd "$b/bazhong_gep" "$tmp/o4" > "$tmp/o4.txt" 2>&1) || bad "EPV_DATADIR: $(cat "$tmp/o4.txt")"
grep -q "\"path\": \"$tmp/dd/bazhong_gep.xml\"" "$tmp/o4/bazhong_gep_run.json" || bad "EPV_DATADIR not used first"
EPV_DATADIR=$tmp/empty "$b/bazhong_gep" "$tmp/o3" "$tmp/empty" > /dev/null 2> "$tmp/err" && bad "empty DATADIR accepted"
grep -q "cannot find the example data file bazhong_gep.xml; looked in:" "$tmp/err" || bad "data search message: $(cat "$tmp/err")"
# Tables: no %g exponents; grouped digits; columns after Chinese names line up by display width.
grep -q 'e+[0-9]' "$tmp/gep.txt" && bad "exponent in bazhong_gep output: $(grep 'e+[0-9]' "$tmp/gep.txt" | head -1)"
grep -q '4,800,000,000 yuan' "$tmp/gep.txt" || bad "quantities not grouped"
python3 - "$tmp/gep.txt" <<'PY' || fail=1
import sys, unicodedata
def width(s): return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
rows = [l for l in lines if " 亿元" in l and l.startswith("  ") and "yuan/ha" not in l and "->" not in l]
ends = {width(l[:l.index(" 亿元")]) for l in rows}
reg = [l for l in lines if l[:1] in "巴平通" and " 202" in l]
regcols = {width(l[:l.index(" 202")]) for l in reg}
if len(rows) < 5 or len(ends) != 1: print("FAIL: indicator table misaligned", ends); sys.exit(1)
if len(reg) < 4 or len(regcols) != 1: print("FAIL: region table misaligned", regcols); sys.exit(1)
PY
# county_carbon, bazhong_spatial, spatial_mpi: a wrong number of arguments is a usage error
# naming the program; a file of the wrong kind or a data directory without the data is an
# error naming the file; run from another directory, they find their data and create nested
# output directories; their tables have grouped digits and line up after Chinese names.
for p in county_carbon bazhong_spatial spatial_mpi; do
  [ -x "$b/$p" ] || continue
  "$b/$p" > /dev/null 2> "$tmp/err"; rc=$?
  [ $rc -eq 2 ] || bad "$p without arguments: exit $rc (expected 2)"
  head -1 "$tmp/err" | grep -q "^$p: expected " || bad "$p usage error: $(cat "$tmp/err")"
  grep -q -e '\.libs' -e 'lt-' "$tmp/err" && bad "$p usage error shows a libtool path"
done
"$b/county_carbon" a b "$tmp/o5" > /dev/null 2> "$tmp/err"; rc=$?
[ $rc -eq 2 ] || bad "county_carbon with three arguments: exit $rc"
"$b/county_carbon" "$d/bazhong_gep.xml" "$d/county_carbon_economy.csv" "$d/county_carbon_grid.csv" "$tmp/o6" \
  > /dev/null 2> "$tmp/err"; rc=$?
[ $rc -eq 1 ] || bad "county_carbon with an XML file as activity data: exit $rc (expected 1)"
grep -q "^county_carbon: activity data: .*bazhong_gep.xml" "$tmp/err" || bad "county_carbon wrong file: $(cat "$tmp/err")"
[ -e "$tmp/o6/county_carbon_sectors.csv" ] && bad "county_carbon wrote outputs from a wrong input"
"$b/county_carbon" "$tmp/none.csv" "$d/county_carbon_economy.csv" "$d/county_carbon_grid.csv" "$tmp/o7" 2> "$tmp/err"
grep -q "none.csv: No such file or directory" "$tmp/err" || bad "county_carbon missing file: $(cat "$tmp/err")"
"$b/bazhong_spatial" "$tmp/o8" "$tmp/empty" > /dev/null 2> "$tmp/err" && bad "bazhong_spatial: empty DATADIR accepted"
grep -q "cannot find the example data file bazhong_spatial/landcover.tif; looked in:" "$tmp/err" ||
  bad "bazhong_spatial data message: $(cat "$tmp/err")"
mkdir -p "$tmp/dd2/bazhong_spatial"
cp "$d"/bazhong_spatial/* "$tmp/dd2/bazhong_spatial/"; cp "$d/bazhong_gep_cpi.csv" "$tmp/dd2/"
cp "$d/bazhong_gep.xml" "$tmp/dd2/bazhong_spatial/biophysical.csv"
"$b/bazhong_spatial" "$tmp/o9" "$tmp/dd2" > /dev/null 2> "$tmp/err" && bad "bazhong_spatial: XML as biophysical table accepted"
grep -q "dd2/bazhong_spatial/biophysical.csv" "$tmp/err" || bad "bazhong_spatial wrong file: $(cat "$tmp/err")"
(cd "$tmp" && "$b/county_carbon" cc/a/b > cc.txt 2> cc.err) || bad "county_carbon from $tmp: $(cat "$tmp/cc.err")"
[ -s "$tmp/cc/a/b/county_carbon_balance.csv" ] || bad "county_carbon did not write into a new nested directory"
(cd "$tmp" && "$b/bazhong_spatial" bs/a/b > bs.txt 2> bs.err) || bad "bazhong_spatial from $tmp: $(cat "$tmp/bs.err")"
[ -s "$tmp/bs/a/b/bazhong_spatial.xml" ] || bad "bazhong_spatial did not write into a new nested directory"
if [ -x "$b/spatial_mpi" ]; then
  (cd "$tmp" && "$b/spatial_mpi" --serial mp/a/run > mp.txt 2> mp.err) || bad "spatial_mpi from $tmp: $(cat "$tmp/mp.err")"
  [ -s "$tmp/mp/a/run.xml" ] || bad "spatial_mpi did not write into a new nested directory"
  "$b/spatial_mpi" --serial "$tmp/mp/x" 16 colour=red > /dev/null 2> "$tmp/err"; rc=$?
  [ $rc -eq 2 ] && grep -q "unknown key 'colour' (valid: landcover" "$tmp/err" || bad "spatial_mpi unknown key: $rc $(cat "$tmp/err")"
  "$b/spatial_mpi" --serial "$tmp/mp/y" 0 > /dev/null 2> "$tmp/err"; rc=$?
  [ $rc -eq 2 ] && grep -q "TILE: '0' is not a tile size" "$tmp/err" || bad "spatial_mpi TILE 0: $rc $(cat "$tmp/err")"
  "$b/spatial_mpi" --serial "$tmp/mp/z" "$tmp/dd2" > /dev/null 2> "$tmp/err" && bad "spatial_mpi: XML as biophysical table accepted"
  grep -q "^spatial_mpi (rank 0): run: .*biophysical.csv" "$tmp/err" || bad "spatial_mpi wrong file: $(cat "$tmp/err")"
fi
for t in cc bs; do
  grep -q 'e+[0-9]' "$tmp/$t.txt" && bad "exponent in $t output: $(grep 'e+[0-9]' "$tmp/$t.txt" | head -1)"
done
grep -q 'CH4 [0-9]\{1,3\},[0-9]\{3\} t' "$tmp/cc.txt" || bad "county_carbon: CH4 tonnes not grouped"
grep -q ' 38,634,051,735 ' "$tmp/bs.txt" || bad "bazhong_spatial: transpiration kWh not grouped"
python3 - "$tmp/bs.txt" <<'PY' || fail=1
import sys, unicodedata
def width(s): return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
county = [l for l in lines if l.startswith("  5119") and len(l.split()) == 9]
town = [l for l in lines if " synthetic township " in l]
gep = [l for l in lines if l.startswith("  5119") and len(l.split()) == 3]
for name, rows in (("county table", county), ("township GEP", town), ("county GEP", gep)):
    ends = {width(l) for l in rows}
    if len(rows) < 5 or len(ends) != 1: print("FAIL: bazhong_spatial %s misaligned" % name, ends, len(rows)); sys.exit(1)
PY
[ $fail -eq 0 ] && echo "examples_cli: ok"
exit $fail
