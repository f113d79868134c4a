#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Reference documentation: Doxygen runs on the public headers (the configuration of `make
# doc`) and every public symbol is documented. A symbol Doxygen calls undocumented fails the
# test, by name, unless tests/doc_undocumented.txt (the list of symbols left undocumented when
# this test was written) holds it; those are named too, so the list only shrinks.
set -u
command -v doxygen >/dev/null 2>&1 || { echo "doc_symbols: doxygen not installed (scripts/install-deps installs it)" >&2; exit 1; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
{ cat "$top_builddir/doc/Doxyfile"; echo "OUTPUT_DIRECTORY = $tmp/api"; echo "WARN_LOGFILE = $tmp/warnings"; } |
  (cd "$top_builddir" && doxygen -) > "$tmp/out" 2>&1 || { echo "doxygen failed:"; cat "$tmp/out"; exit 1; }
[ -s "$tmp/api/html/index.html" ] || { echo "doxygen wrote no HTML"; exit 1; }
sed -n 's/.*warning: \(Member\|Compound\) \([A-Za-z0-9_]*\).* is not documented.*/\2/p' "$tmp/warnings" | sort -u > "$tmp/undoc"
grep -v '^#' "$top_srcdir/tests/doc_undocumented.txt" | sort -u > "$tmp/allowed"
new=$(comm -23 "$tmp/undoc" "$tmp/allowed")
old=$(comm -12 "$tmp/undoc" "$tmp/allowed")
fixed=$(comm -13 "$tmp/undoc" "$tmp/allowed")
echo "public symbols undocumented: $(wc -l < "$tmp/undoc") ($(printf '%s' "$old" | grep -c . || true) in the baseline list)"
[ -n "$old" ] && { echo "still undocumented (tests/doc_undocumented.txt):"; echo "$old" | sed 's/^/  /'; }
[ -n "$fixed" ] && { echo "documented now, remove from tests/doc_undocumented.txt:"; echo "$fixed" | sed 's/^/  /'; }
if [ -n "$new" ]; then
  echo "FAIL: public symbols without documentation:"
  for s in $new; do grep -m1 "$s" "$tmp/warnings" | sed 's/^/  /'; done
  exit 1
fi
echo "doc_symbols: ok"
