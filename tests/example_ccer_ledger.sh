#!/bin/sh
# Runs examples/ccer_ledger on a fresh file and checks its story adds up: 2 x 316,800 t issued
# (15.84万 t CO2/yr claimed for Pingchang, two 2-year periods), 20% withheld into the buffer
# (ceil(316800 * 0.2) = 63,360 per period), conservation holds, the file verifies.
set -eu
dir=$(mktemp -d "${TMPDIR:-/tmp}/ccer_ledger.XXXXXX")
trap 'rm -rf "$dir"' EXIT
out="$dir/out.txt"
"$top_builddir/examples/ccer_ledger" "$dir/pingchang.db" > "$out"
cat "$out"
fail=0
expect() { grep -q -- "$1" "$out" || { echo "missing: $1"; fail=1; }; }
expect "316800 t verified, serials 1-316800, vintage 2022, 253440 to the owner, 63360 withheld"
expect "316800 t verified, serials 316801-633600, vintage 2024, 253440 to the owner, 63360 withheld"
expect "fire loss of 3000 t: 3000 buffer units cancelled, shortfall 0"
expect "totals: issued 633600 = held 486880 + buffer 123720 + retired 20000 + cancelled 3000: conservation ok"
expect "balances: PINGCHANG_FOREST holds 456880, BUYER holds 30000"
expect "retire .*serials 1-20000 .*BUYER -> BUYER"
expect "chain and replay ok"
expect "inclusion proof (.* hashes): valid"
# a second run on the same file refuses to start over
if "$top_builddir/examples/ccer_ledger" "$dir/pingchang.db" > /dev/null 2>&1; then
  echo "second run on an existing ledger should fail"; fail=1
fi
exit $fail
