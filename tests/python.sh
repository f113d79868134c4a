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
[ -n "$py" ] || { echo "python: no Python 3 with cffi and numpy (Debian: python3-cffi python3-numpy; scripts/install-deps installs them)" >&2; exit 1; }
PYTHONPATH="$top_srcdir/python"
EPV_CDEF="$top_builddir/python/epv/_cdef.h"
EPV_LIBRARY="$top_builddir/.libs/libepv.so"
PYTHONDONTWRITEBYTECODE=1
export PYTHONPATH EPV_CDEF EPV_LIBRARY PYTHONDONTWRITEBYTECODE
(cd "$top_srcdir/python/tests" && "$py" -m unittest discover -v -s . -p 'test_*.py')

# The installed package: `make install` into a scratch DESTDIR, then import it with only its
# directory on PYTHONPATH (its own _cdef.h; _config.py names $libdir/libepv.so, which under
# DESTDIR is found through EPV_LIBRARY).
dest=$(mktemp -d)
trap 'rm -rf "$dest"' EXIT
make -s -C "$top_builddir" install DESTDIR="$dest" >/dev/null
prefix=$(sed -n 's/^prefix=//p' "$top_builddir/epv.pc")
pkgpy=$(find "$dest" -path '*/libepv/python/epv/__init__.py' | head -1)
[ -n "$pkgpy" ] || { echo "install: the Python package was not installed"; exit 1; }
for f in _cdef.h _config.py _core.py sink.py gep.py inventory.py ledger.py mc.py params.py; do
  [ -f "$(dirname "$pkgpy")/$f" ] || { echo "install: python/epv/$f not installed"; exit 1; }
done
unset EPV_CDEF
PYTHONPATH=$(dirname "$(dirname "$pkgpy")") EPV_LIBRARY=$(ls "$dest$prefix"/lib*/libepv.so | head -1) \
  "$py" -c '
import os, sys, epv
from epv import _config
assert os.path.dirname(epv.__file__).startswith(sys.argv[1]), epv.__file__
assert _config.LIBRARY.endswith("/libepv.so") and not _config.LIBRARY.startswith(sys.argv[1]), _config.LIBRARY
assert len(epv.Params.default(epv.Context())) > 0
print("installed package: ok,", epv.__file__)
' "$dest"
