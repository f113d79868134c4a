#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The whole ledger suite on the PostgreSQL backend (issue 11 item 2): starts a throwaway
# cluster (tests/pg_cluster.sh: initdb in a temporary directory as an unprivileged user, Unix
# socket only, stopped and removed at the end, also on failure), then runs every ledger test
# program with EPV_TEST_PG=1, so that each ledger they name is a fresh database on that server,
# plus tests/test_ledger_pg (what only a server does) and the ccer_ledger example on it.
# Exit 77 (skip) only when the cluster cannot run at all.
set -u
top=${top_srcdir:-.}
# scripts/check's second pass reruns the test programs under valgrind and the shell tests as
# they are: this suite already ran in the first pass (valgrind on it: see doc/ledger.md).
if [ "${EPV_CHECK_PASS:-}" = valgrind ]; then
  echo "ledger_pg: ran in the first pass"; exit 77
fi
progs="test_ledger test_ledger_model test_ledger_concurrent test_ledger_left test_ledger_checkpoint
       test_ledger_anchor test_ledger_powerloss test_ledger_xml test_ledger_interop test_ledger_risk
       test_ledger_merkle test_ledger_replay test_ledger_livequery test_ledger_pg"
for p in $progs; do
  [ -x "tests/$p" ] || { echo "ledger_pg: tests/$p is not built" >&2; exit 1; }
done
# shellcheck disable=SC2016
EPV_TOP=$(cd "$top" && pwd); export EPV_TOP
exec sh "$top/tests/pg_cluster.sh" sh -c '
  failed=""
  for p in '"$(echo $progs)"'; do
    start=$(date +%s)
    if EPV_TEST_PG=1 "tests/$p" > "tests/$p.pg.log" 2>&1; then r=ok; else r=FAIL; failed="$failed $p"; fi
    echo "ledger_pg: $p on PostgreSQL: $r ($(( $(date +%s) - start )) s)"
    [ "$r" = ok ] || tail -n 30 "tests/$p.pg.log"
  done
  # and on the live layout (tests/ledger_live.sh), on the same server
  for p in '"$(echo $progs)"'; do
    start=$(date +%s)
    if EPV_TEST_PG=1 EPV_TEST_LAYOUT=2 "tests/$p" > "tests/$p.pglive.log" 2>&1; then r=ok; else r=FAIL; failed="$failed $p(live)"; fi
    echo "ledger_pg: $p on PostgreSQL, live layout: $r ($(( $(date +%s) - start )) s)"
    [ "$r" = ok ] || tail -n 30 "tests/$p.pglive.log"
  done
  # the example: issue Pingchang credits into a ledger on the server
  psql -XAtq -c "CREATE DATABASE ccer_example" || failed="$failed createdb"
  if (cd tests && ../examples/ccer_ledger "$EPV_TOP/data/examples/pingchang.xml" "pg:dbname=ccer_example") > tests/ccer_pg.log 2>&1; then
    echo "ledger_pg: examples/ccer_ledger on PostgreSQL: ok"
  else
    echo "ledger_pg: examples/ccer_ledger on PostgreSQL: FAIL"; tail -n 20 tests/ccer_pg.log; failed="$failed ccer_ledger"
  fi
  [ -z "$failed" ] || { echo "ledger_pg: failed:$failed" >&2; exit 1; }
'
