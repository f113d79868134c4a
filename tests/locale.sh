#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Run tests/test_locale under a comma-decimal locale. The locale is compiled with localedef
# into a private directory (LOCPATH), so the test needs no system-wide locale set-up, only
# the locale sources of Debian's `locales` package (installed by scripts/install-deps).
set -u
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
if ! localedef -i de_DE -f UTF-8 "$tmp/de_DE.UTF-8" >"$tmp/log" 2>&1; then
  echo "locale: localedef could not build de_DE.UTF-8 (install Debian's locales):" >&2
  cat "$tmp/log" >&2
  exit 1
fi
cd "$tmp" || exit 1
LOCPATH=$tmp EPV_TEST_LOCALE=de_DE.UTF-8 ${LOG_WRAPPER:-} "$top_builddir/tests/test_locale"
