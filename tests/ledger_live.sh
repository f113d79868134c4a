#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The whole ledger suite on the live layout (EPV_LEDGER_LIVE, doc/ledger.md "Live state"):
# every ledger test program again with EPV_TEST_LAYOUT=2, so that each ledger it creates keeps
# its state in memory and writes only the journal. Tests of what only the derived tables do
# return early there (TL_TABLES_ONLY). tests/ledger_pg.sh does the same on PostgreSQL.
set -u
if [ "${EPV_CHECK_PASS:-}" = valgrind ]; then
  echo "ledger_live: ran in the first pass"; exit 77
fi
progs="test_ledger test_ledger_model test_ledger_concurrent test_ledger_left test_ledger_checkpoint
       test_ledger_anchor test_ledger_powerloss test_ledger_xml test_ledger_interop test_ledger_risk
       test_ledger_merkle test_ledger_replay test_ledger_livequery"
failed=""
for p in $progs; do
  [ -x "tests/$p" ] || { echo "ledger_live: tests/$p is not built" >&2; exit 1; }
  start=$(date +%s)
  if EPV_TEST_LAYOUT=2 "tests/$p" > "tests/$p.live.log" 2>&1; then r=ok; else r=FAIL; failed="$failed $p"; fi
  echo "ledger_live: $p on the live layout: $r ($(( $(date +%s) - start )) s)"
  [ "$r" = ok ] || tail -n 30 "tests/$p.live.log"
done
[ -z "$failed" ] || { echo "ledger_live: failed:$failed" >&2; exit 1; }
