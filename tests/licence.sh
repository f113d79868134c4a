#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Every source file the project ships carries an SPDX licence line, and COPYING holds the
# licence it names (GPL-3.0-or-later, compatible with GSL, which the library links).
set -u
cd "${top_srcdir:-.}" || exit 1
bad=0
for f in $(find lib include examples tests bench scripts mk python -type f \
             \( -name '*.c' -o -name '*.h' -o -name '*.in' -o -name '*.sh' -o -name '*.am' \
                -o -name '*.py' \) 2>/dev/null) configure.ac Makefile.am .ci/run epv.pc.in; do
  case $f in tests/fuzz/corpus/*) continue ;; esac
  if ! head -n 3 "$f" | grep -q 'SPDX-License-Identifier: GPL-3.0-or-later'; then
    echo "licence: $f has no SPDX line in its first 3 lines" >&2; bad=$((bad + 1))
  fi
done
grep -q 'GNU GENERAL PUBLIC LICENSE' COPYING && grep -q 'Version 3' COPYING || {
  echo "licence: COPYING is not the GPL version 3" >&2; bad=$((bad + 1)); }
[ "$bad" -eq 0 ] && echo "licence: every source file has its SPDX line" 
exit $((bad > 0))
