#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The MPI driver on 3 ranks gives the same account input and table, byte for byte (numbers
# written with 17 significant digits), as one process without MPI.
set -eu
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
"$top_builddir/examples/spatial_mpi" --serial "$out/serial" "$top_srcdir/data/examples" 16
mpirun --allow-run-as-root --oversubscribe -n 3 "$top_builddir/examples/spatial_mpi" "$out/mpi" \
  "$top_srcdir/data/examples" 16 > "$out/mpi.txt"
grep -q "3 ranks merged" "$out/mpi.txt"
cmp "$out/serial.xml" "$out/mpi.xml"
cmp "$out/serial.csv" "$out/mpi.csv"
[ "$(wc -l < "$out/serial.csv")" -gt 10 ]
echo "spatial MPI: 3 ranks = 1 process, bit for bit"
