#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Only epv_ names may be exported from the shared library (epv__ internals stay hidden).
set -eu
so="$top_builddir/.libs/libepv.so"
[ -f "$so" ] || { echo "no shared library at $so"; exit 77; }
all=$(nm -D --defined-only "$so" | awk '$2 ~ /[TDRB]/ {print $3}')
bad=$(printf '%s\n' "$all" | grep -v '^epv_[a-z0-9]' | grep -v '^_' || true)
count=$(printf '%s\n' "$all" | grep -c '^epv_[a-z0-9]' || true)
echo "exported epv_ symbols: $count"
[ "$count" -gt 10 ] || { echo "too few exported symbols"; exit 1; }
if [ -n "$bad" ]; then echo "unexpected exports:"; echo "$bad"; exit 1; fi
