#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Call the whole public API with NULLs (tests/null_walk.py generates the program): nothing
# may crash, and object functions must return EPV_EINVAL with a message.
set -u
: "${CC:=cc}"
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
python3 "$top_srcdir/tests/null_walk.py" "$top_srcdir"/include/epv/*.h > "$tmp/walk.c" || exit 1
lib="$top_builddir/.libs"
[ -f "$lib/libepv.so" ] || { echo "null_walk: no shared library (static-only build): skipped"; exit 77; }
$CC -std=c11 -w -I"$top_srcdir/include" -I"$top_builddir/include" "$tmp/walk.c" \
  -L"$lib" -Wl,-rpath,"$lib" -lepv -o "$tmp/walk" || { echo "null_walk: generated program did not compile" >&2; exit 1; }
"$tmp/walk"
