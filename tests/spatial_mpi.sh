#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The MPI driver on 3 ranks gives the same account input and table, byte for byte (numbers
# written with 17 significant digits), as one process without MPI.
set -eu
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
"$top_builddir/examples/spatial_mpi" --serial "$out/serial" "$top_srcdir/data/examples" 16
# Under scripts/sanitize: Open MPI (and its dlopen'ed components) keep allocations until exit by
# design, which LeakSanitizer would report as ours; the ranks' own code is leak-checked through
# the single-process spatial tests.
[ -n "${ASAN_OPTIONS:-}" ] && ASAN_OPTIONS="$ASAN_OPTIONS:detect_leaks=0" && export ASAN_OPTIONS
mpirun --allow-run-as-root --oversubscribe -n 3 "$top_builddir/examples/spatial_mpi" "$out/mpi" \
  "$top_srcdir/data/examples" 16 > "$out/mpi.txt"
grep -q "3 ranks merged" "$out/mpi.txt"
cmp "$out/serial.xml" "$out/mpi.xml"
cmp "$out/serial.csv" "$out/mpi.csv"
[ "$(wc -l < "$out/serial.csv")" -gt 10 ]
# the synthetic townships (hierarchy county -> township), transpiration and flood regulation
d="$top_srcdir/data/examples/bazhong_spatial"
set -- zones="$d/bazhong_townships.geojson" code_field=code parent_field=county parent_name_field=county_name \
  storm_precip="$d/storm_precip.tif" transpiration_days=60
"$top_builddir/examples/spatial_mpi" --serial "$out/st" "$top_srcdir/data/examples" 16 "$@"
mpirun --allow-run-as-root --oversubscribe -n 3 "$top_builddir/examples/spatial_mpi" "$out/mt" \
  "$top_srcdir/data/examples" 16 "$@" > "$out/mt.txt"
cmp "$out/st.xml" "$out/mt.xml"
cmp "$out/st.csv" "$out/mt.csv"
grep -q 'parent="511921"' "$out/mt.xml"
grep -q '<floodVegetation ' "$out/mt.xml"
echo "spatial MPI: 3 ranks = 1 process, bit for bit"
