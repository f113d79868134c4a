#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs examples/ccer_ledger on the Pingchang project file and a fresh ledger, and checks its
# story adds up: each monitoring period's verified tonnes are the sink estimate floored, 20%
# (rounded up) is withheld into the buffer, conservation holds, the fire loss comes out of the
# buffer, the file verifies and a second run on the same file refuses to start over.
set -eu
dir=$(mktemp -d "${TMPDIR:-/tmp}/ccer_ledger.XXXXXX")
trap 'rm -rf "$dir"' EXIT
out="$dir/out.txt"
"$top_builddir/examples/ccer_ledger" "$top_srcdir/data/examples/pingchang.xml" "$dir/pingchang.db" > "$out"
cat "$out"
fail=0
expect() { grep -q -- "$1" "$out" || { echo "missing: $1"; fail=1; }; }
expect "period 1 (2021-2025): sink estimate"
expect "period 2 (2026-2030): sink estimate"
expect "fire loss of 3000 t: 3000 buffer units cancelled, shortfall 0"
expect "conservation ok"
expect "retire .*serials 1-20000 .*BUYER -> BUYER"
expect "chain and replay ok"
expect "inclusion proof (.* hashes): valid"
expect "anchor: [0-9]* entries signed (Ed25519) in .*; ledger checked against it: ok"
grep -q '^signature [0-9a-f]\{128\}$' "$dir/pingchang.db.anchor" || { echo "anchor file lacks its signature"; fail=1; }
# verified = floor(estimate); buffer = ceil(20% of verified); owner + buffer = verified
awk '/^period [12] / {
       est = $6; ver = $9; owner = $(NF-8); buf = $(NF-4);
       if (ver != int(est)) { print "verified " ver " is not floor(" est ")"; bad = 1 }
       want = int((ver * 20 + 99) / 100);
       if (buf != want) { print "buffer " buf " is not ceil(20% of " ver ") = " want; bad = 1 }
       if (owner + buf != ver) { print "owner + buffer != verified"; bad = 1 }
       n++ }
     END { if (n != 2 || bad) exit 1 }' "$out" || fail=1
if "$top_builddir/examples/ccer_ledger" "$top_srcdir/data/examples/pingchang.xml" "$dir/pingchang.db" > /dev/null 2>&1; then
  echo "second run on an existing ledger should fail"; fail=1
fi
exit $fail
