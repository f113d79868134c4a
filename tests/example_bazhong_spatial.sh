#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs examples/bazhong_spatial on the shipped synthetic data set: the account input validates
# against gep_input.xsd, the CSV has its header and one row per county x ecosystem present,
# the GeoTIFFs open in GDAL with the input's grid, the SVG maps are well-formed XML with a
# legend and the 41 synthetic townships / five counties, the account input holds the
# hierarchy county -> township, and a second run prints the same figures.
set -eu
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
"$top_builddir/examples/bazhong_spatial" "$out" "$top_srcdir/data/examples" > "$out/stdout.txt"
grep -q "SYNTHETIC" "$out/stdout.txt"
for c in 511902 511903 511921 511922 511923; do grep -q "^  $c " "$out/stdout.txt"; done
xmllint --noout --schema "$top_srcdir/data/schema/gep_input.xsd" "$out/bazhong_spatial.xml"
head -1 "$out/bazhong_spatial.csv" | grep -q '^region,name,ecosystem,area_ha,pixels,water_conservation_m3,soil_retention_t'
[ "$(wc -l < "$out/bazhong_spatial.csv")" -ge 16 ]
xmllint --noout "$out/bazhong_spatial_gep.svg"
[ "$(grep -c '<path ' "$out/bazhong_spatial_gep.svg")" -eq 41 ]
grep -q 'no data' "$out/bazhong_spatial_gep.svg"
grep -q 'per township' "$out/bazhong_spatial_gep.svg"
xmllint --noout "$out/bazhong_spatial_gep_county.svg"
[ "$(grep -c '<path ' "$out/bazhong_spatial_gep_county.svg")" -eq 5 ]
grep -q 'synthetic township' "$out/stdout.txt"
[ "$(grep -c '<region code="5119[0-9][0-9]" ' "$out/bazhong_spatial.xml")" -eq 5 ]
[ "$(grep -c '<region code="5119[0-9]*" [^>]*parent="5119' "$out/bazhong_spatial.xml")" -eq 41 ]
grep -q '<climateTranspiration ' "$out/bazhong_spatial.xml"
grep -q '<floodVegetation ' "$out/bazhong_spatial.xml"
for t in water_conservation_m3 soil_retention_t carbon_fixation_tco2 oxygen_release_t ls \
         climate_transpiration_kwh flood_vegetation_m3; do
  gdalinfo "$out/$t.tif" | grep -q 'Size is 143, 151'
done
mkdir "$out/again"
"$top_builddir/examples/bazhong_spatial" "$out/again" "$top_srcdir/data/examples" > "$out/again/stdout.txt"
sed "s|$out/again|OUT|g" "$out/again/stdout.txt" > "$out/b.txt"
sed "s|$out|OUT|g" "$out/stdout.txt" > "$out/a.txt"
cmp -s "$out/a.txt" "$out/b.txt"
cmp "$out/bazhong_spatial.xml" "$out/again/bazhong_spatial.xml"
echo "bazhong_spatial example: ok"
