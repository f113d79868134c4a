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
echo "pg_cluster_test: throwaway cluster started, queried, stopped and removed"
