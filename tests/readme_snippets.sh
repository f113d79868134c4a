#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Every ```c block of README.md compiles as written against the just-built library (strict
# C99, warnings are errors), links, and runs in a directory holding the shipped example
# inputs, exiting 0.
set -u
: "${CC:=cc}"
[ -f "$top_builddir/.libs/libepv.so" ] || { echo "no shared library built: skipped"; exit 77; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
awk -v dir="$tmp" '
  /^```c[ \t]*$/ { n++; file = sprintf("%s/snippet%d.c", dir, n); inblock = 1; next }
  /^```/ && inblock { inblock = 0; close(file); next }
  inblock { print > file }
  END { print n + 0 > (dir "/count") }' "$top_srcdir/README.md"
n=$(cat "$tmp/count")
[ "$n" -ge 1 ] || { echo "README.md has no C snippet"; exit 1; }
cp "$top_srcdir"/data/examples/* "$tmp/"
fail=0
i=1
while [ $i -le "$n" ]; do
  src=$tmp/snippet$i.c
  if ! $CC -std=c99 -Wall -Wextra -Werror -I"$top_srcdir/include" -I"$top_builddir/include" -o "$tmp/snippet$i" "$src" \
        -L"$top_builddir/.libs" -Wl,-rpath,"$top_builddir/.libs" -lepv 2> "$tmp/err"; then
    echo "FAIL: README.md C snippet $i does not compile:"; cat "$tmp/err"; fail=1
  elif ! (cd "$tmp" && "./snippet$i" > "out$i" 2>&1); then
    echo "FAIL: README.md C snippet $i compiled but exited non-zero:"; cat "$tmp/out$i"; fail=1
  else
    echo "README.md C snippet $i: compiled and ran: $(head -1 "$tmp/out$i")"
  fi
  i=$((i + 1))
done
exit $fail
