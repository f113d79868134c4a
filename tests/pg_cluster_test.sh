#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The throwaway cluster harness works: a command runs against a live server through the
# Unix socket; the directory is gone afterwards, after success and after a failing command.
set -u
h="${top_srcdir:-.}/tests/pg_cluster.sh"
out=$(sh "$h" sh -c 'psql -XAtq -c "SELECT 40 + 2" && echo "dir=$PGHOST"')
rc=$?
[ "$rc" -eq 77 ] && exit 77
[ "$rc" -eq 0 ] || { echo "pg_cluster_test: harness failed ($rc): $out" >&2; exit 1; }
echo "$out" | grep -qx 42 || { echo "pg_cluster_test: query gave: $out" >&2; exit 1; }
d=$(echo "$out" | sed -n 's/^dir=//p')
[ -n "$d" ] && [ ! -e "$d" ] || { echo "pg_cluster_test: $d left behind" >&2; exit 1; }
# a failing command: its status comes back and the cluster is removed all the same
out=$(sh "$h" sh -c 'echo "dir=$PGHOST"; exit 3')
rc=$?
[ "$rc" -eq 3 ] || { echo "pg_cluster_test: status $rc, expected 3" >&2; exit 1; }
d=$(echo "$out" | sed -n 's/^dir=//p')
[ -n "$d" ] && [ ! -e "$d" ] || { echo "pg_cluster_test: $d left behind after a failure" >&2; exit 1; }
# an interrupted harness stops its command and the cluster at once, not when the command ends
out=$(mktemp) || exit 1
sh "$h" sh -c 'echo "pid=$$"; echo "dir=$PGHOST"; exec sleep 60' > "$out" &
hp=$!
i=0
while ! grep -q '^dir=' "$out" && [ $i -lt 600 ]; do sleep 0.1; i=$((i + 1)); done
d=$(sed -n 's/^dir=//p' "$out")
cpid=$(sed -n 's/^pid=//p' "$out")
kill -TERM "$hp"
i=0
while [ -e "$d" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
wait "$hp"
rc=$?
rm -f "$out"
[ "$rc" -eq 143 ] || { echo "pg_cluster_test: interrupted harness exited $rc, expected 143" >&2; exit 1; }
[ -n "$d" ] && [ ! -e "$d" ] || { echo "pg_cluster_test: $d left behind after an interruption" >&2; exit 1; }
[ -n "$cpid" ] && ! kill -0 "$cpid" 2>/dev/null || { echo "pg_cluster_test: the command ($cpid) outlived the harness" >&2; exit 1; }
echo "pg_cluster_test: throwaway cluster started, queried, stopped and removed (also when interrupted)"
