#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The built library must stay ABI-compatible with the committed baseline abi/libepv.abi
# (libabigail's abidiff): a removed function, a changed signature, a struct whose members
# moved or changed size, a changed enum value all fail. Added functions are allowed
# (doc/architecture.md, "Never break a published signature").
set -u
lib="$top_builddir/.libs/libepv.so"
base="$top_srcdir/abi/libepv.abi"
if [ ! -f "$lib" ]; then echo "abi: no shared library was built (static-only build): skipped"; exit 77; fi
command -v abidw >/dev/null || { echo "abi: abidw not found (Debian's abigail-tools)" >&2; exit 1; }
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
abidw --no-corpus-path --headers-dir "$top_srcdir/include" --headers-dir "$top_builddir/include" \
  --out-file "$tmp/current.abi" "$lib" || { echo "abi: abidw failed" >&2; exit 1; }
abidiff --no-added-syms --suppressions "$top_srcdir/abi/private-types.suppr" "$base" "$tmp/current.abi" >"$tmp/report" 2>&1
rc=$?
if [ $((rc & 3)) -ne 0 ]; then echo "abi: abidiff failed to run (status $rc)" >&2; cat "$tmp/report" >&2; exit 1; fi
if [ $((rc & 12)) -ne 0 ]; then
  echo "abi: the library's ABI differs from abi/libepv.abi (abidiff status $rc):" >&2
  cat "$tmp/report" >&2
  echo "abi: never change a published signature or struct: add a _v2 function or a new" >&2
  echo "abi: member at the end of a versioned struct (see doc/architecture.md)." >&2
  exit 1
fi
echo "abi: compatible with abi/libepv.abi ($(grep -c '<elf-symbol ' "$base") baseline symbols)"
