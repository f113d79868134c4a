#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Run tests/test_inventory under a comma-decimal locale (de_DE.UTF-8, compiled privately as in
# tests/locale.sh): readers and writers of the inventory module must not depend on LC_NUMERIC.
set -u
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
if ! localedef -i de_DE -f UTF-8 "$tmp/de_DE.UTF-8" >"$tmp/log" 2>&1; then
  echo "inventory_locale: localedef could not build de_DE.UTF-8 (install Debian's locales):" >&2
  cat "$tmp/log" >&2
  exit 1
fi
LOCPATH=$tmp EPV_TEST_LOCALE=de_DE.UTF-8 ${LOG_WRAPPER:-} "$top_builddir/tests/test_inventory"
