#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The ledger's layers (issue 8 item 9): storage speaks only SQL; the operations sit on it;
# verification beside them; the handle, queries, proofs and XML on top. Checked on the
# sources: who includes which private header, and who calls into which layer.
set -u
cd "${top_srcdir:-.}/lib" || exit 1
bad=0
fail() { echo "ledger_layers: $*" >&2; bad=$((bad + 1)); }
incs() { sed -n 's/^#include "\(ledger[a-z_]*\.h\)".*/\1/p' "$1"; }

# 1. storage: no ledger header, no ledger type, no call upwards
for f in ledger_store.c ledger_store_int.h; do
  for h in $(incs "$f"); do
    [ "$h" = ledger_store_int.h ] || fail "$f includes $h (storage must not see the layers above)"
  done
  grep -nE 'epv__lg_|epv_ledger\b|struct epv__lop|epv__lkinds' "$f" >/dev/null &&
    fail "$f refers to the operations layer: $(grep -nE 'epv__lg_|epv_ledger\b|struct epv__lop' "$f" | head -1)"
done
# 2. operations: on storage only, never on verification
[ "$(incs ledger_int.h)" = ledger_store_int.h ] || fail "ledger_int.h must include only ledger_store_int.h"
for f in ledger_journal.c ledger_apply.c ledger_blocks.c ledger_ops.c ledger_serial.c; do
  for h in $(incs "$f"); do
    [ "$h" = ledger_int.h ] || fail "$f (operations) includes $h"
  done
  grep -nE 'epv__lg_(verify_|digest|check_invariants)' "$f" >/dev/null &&
    fail "$f (operations) calls verification"
done
# queries (and the public calls beside them) answer from the stored tables or, in the live
# layout, from the model in memory: above the operations and the model, never calling verification
for f in ledger_query.c ledger_cadt.c ledger_risk.c; do
  for h in $(incs "$f"); do
    [ "$h" = ledger_int.h ] || [ "$h" = ledger_verify_int.h ] || fail "$f (queries) includes $h"
  done
  grep -nE 'epv__lg_(verify_|digest|check_invariants)' "$f" >/dev/null &&
    fail "$f (queries) calls verification"
done
# 3. verification: beside the operations, above storage
[ "$(incs ledger_verify_int.h)" = ledger_int.h ] || fail "ledger_verify_int.h must include only ledger_int.h"
for f in ledger_verify.c ledger_verify_two.c ledger_replay.c; do
  for h in $(incs "$f"); do
    [ "$h" = ledger_verify_int.h ] || fail "$f includes $h"
  done
  grep -nE 'epv__lg_run\b|epv_ledger_open\b|epv_ledger_batch' "$f" >/dev/null &&
    fail "$f calls the handle layer"
done
# the native replay is a model in memory: no SQL, no storage calls
grep -nE 'epv__l[sq]_|sqlite3_|PQ[a-z]' ledger_replay.c >/dev/null &&
  fail "ledger_replay.c uses storage: $(grep -nE 'epv__l[sq]_|sqlite3_|PQ[a-z]' ledger_replay.c | head -1)"
# 4. no header includes a header that (directly or not) includes it back
for h in ledger_store_int.h ledger_int.h ledger_verify_int.h; do
  seen=" $h "; todo=$(incs "$h")
  while :; do
    set -- $todo; [ $# -eq 0 ] && break
    x=$1; shift; todo=$*
    [ "$x" = "$h" ] && { fail "include cycle through $h"; break; }
    case $seen in *" $x "*) continue ;; esac
    seen="$seen$x "; [ -f "$x" ] && todo="$todo $(incs "$x")"
  done
done
[ "$bad" -eq 0 ] && echo "ledger_layers: storage < operations < verification < handle, no cycles"
exit $((bad > 0))
