#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs the Python binding's tests (python/tests/test_*.py, unittest) against the built
# libepv.so, with the declarations generated into the build tree.
set -eu
[ -f "$top_builddir/.libs/libepv.so" ] || { echo "no shared library built: skipped"; exit 77; }
py=
for p in /usr/bin/python3 python3; do
  if command -v "$p" >/dev/null 2>&1 && "$p" -c 'import cffi, numpy' >/dev/null 2>&1; then py=$p; break; fi
done
[ -n "$py" ] || { echo "no Python 3 with cffi and numpy (Debian: python3-cffi python3-numpy): skipped"; exit 77; }
PYTHONPATH="$top_srcdir/python"
EPV_CDEF="$top_builddir/python/epv/_cdef.h"
EPV_LIBRARY="$top_builddir/.libs/libepv.so"
PYTHONDONTWRITEBYTECODE=1
export PYTHONPATH EPV_CDEF EPV_LIBRARY PYTHONDONTWRITEBYTECODE
cd "$top_srcdir/python/tests"
exec "$py" -m unittest discover -v -s . -p 'test_*.py'
