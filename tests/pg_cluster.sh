#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# A throwaway PostgreSQL cluster for tests (issue 11 item 2): `tests/pg_cluster.sh CMD ARGS...`
# runs CMD with PGHOST (a Unix socket in a fresh temporary directory), PGPORT, PGUSER and
# PGDATABASE pointing at a new cluster, then stops it and removes the directory, also when
# CMD fails or the script is interrupted (trap). PostgreSQL refuses to run as root, and CI
# runs as root: as root the cluster runs as the unprivileged user `nobody` (override with
# EPV_PG_USER). No TCP port is opened (listen_addresses=''). Exit status: CMD's; 77 (skip)
# when the PostgreSQL server binaries are not installed.
set -u
restore_root=
bindir=${EPV_PG_BINDIR:-}
if [ -z "$bindir" ]; then
  for d in /usr/lib/postgresql/*/bin; do [ -x "$d/initdb" ] && bindir=$d; done
fi
if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ] || [ ! -x "$bindir/pg_ctl" ]; then
  echo "pg_cluster: PostgreSQL server binaries not found (Debian package postgresql)" >&2
  exit 77
fi
[ $# -ge 1 ] || { echo "usage: pg_cluster.sh CMD [ARGS...]" >&2; exit 2; }

dir=$(mktemp -d "${TMPDIR:-/tmp}/epv_pg_XXXXXX") || exit 1
if [ "$(id -u)" -eq 0 ]; then
  pguser=${EPV_PG_USER:-nobody}
  chown "$pguser" "$dir" || { rmdir "$dir"; exit 1; }
  as_pg() { runuser -u "$pguser" -- "$@"; }
  # The server user must reach the binaries: on an ordinary system it can, but a chroot made
  # from a mode-700 directory (throwaway build roots made with mktemp -d) keeps everyone but
  # root out of /. Then / gets search permission for others (x, not read) while clusters run;
  # the last cluster to stop puts the mode back (EPV_PG_NO_CHMOD=1 skips instead).
  if ! runuser -u "$pguser" -- test -x "$bindir/initdb"; then
    if [ "$(stat -c %a /)" = 700 ] && [ "${EPV_PG_NO_CHMOD:-0}" != 1 ]; then
      echo "pg_cluster: / is mode 700; giving others search permission on / while the cluster runs" >&2
      chmod o+x / && restore_root=1
    fi
    if ! runuser -u "$pguser" -- test -x "$bindir/initdb"; then
      echo "pg_cluster: user $pguser cannot execute $bindir/initdb; no cluster can run here" >&2
      [ -n "${restore_root:-}" ] && chmod o-x /
      rmdir "$dir"
      exit 77
    fi
  fi
else
  pguser=$(id -un)
  as_pg() { "$@"; }
fi
chmod 0755 "$dir"
port=${EPV_PG_PORT:-55432}

cleanup() {
  if [ -f "$dir/data/postmaster.pid" ]; then
    as_pg "$bindir/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1
  fi
  rm -rf "$dir"
  # the mode of / goes back once no other throwaway cluster is left
  if [ -n "${restore_root:-}" ] && ! ls -d "${TMPDIR:-/tmp}"/epv_pg_* >/dev/null 2>&1; then chmod o-x /; fi
}
trap cleanup EXIT
# An interrupted harness stops the command (with everything it started) and the cluster at
# once: the command runs in the background in its own process group (setsid) and the shell
# waits for it, since a shell runs its traps only between commands.
child=
stop_child() { [ -n "$child" ] && { kill -TERM -- "-$child" 2>/dev/null || kill -TERM "$child" 2>/dev/null; }; }
trap 'stop_child; exit 130' INT
trap 'stop_child; exit 143' TERM

as_pg "$bindir/initdb" -D "$dir/data" -U "$pguser" --auth=trust -E UTF8 --locale=C >"$dir/initdb.log" 2>&1 || {
  echo "pg_cluster: initdb failed:" >&2; cat "$dir/initdb.log" >&2; exit 1; }
as_pg "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
  -o "-c listen_addresses='' -k $dir -p $port -c fsync=on" start >/dev/null 2>&1 || {
  echo "pg_cluster: server did not start:" >&2; cat "$dir/server.log" >&2; exit 1; }

PGHOST=$dir PGPORT=$port PGUSER=$pguser PGDATABASE=postgres
export PGHOST PGPORT PGUSER PGDATABASE
setsid -w "$@" &
child=$!
wait "$child"
