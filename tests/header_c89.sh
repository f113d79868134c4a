#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The public header must compile as strict C89 and C99 (and C++ when a compiler is there),
# warning-free, so every binding generator and old toolchain can read it.
set -eu
: "${CC:=cc}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf '#include <epv.h>\nint main(void) { return epv_version_number() > 0 ? 0 : 1; }\n' > "$tmp/h.c"
inc="-I$top_srcdir/include -I$top_builddir/include"
for std in c89 c99 c11; do
  $CC -std=$std -pedantic -Werror -Wall -Wextra $inc -c "$tmp/h.c" -o "$tmp/h.o"
  echo "ok: epv.h compiles as $std -pedantic -Werror"
done
if command -v c++ >/dev/null 2>&1; then
  cp "$tmp/h.c" "$tmp/h.cc"
  c++ -std=c++11 -pedantic -Werror -Wall $inc -c "$tmp/h.cc" -o "$tmp/h2.o"
  echo "ok: epv.h compiles as C++11"
fi
