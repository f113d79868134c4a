#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# `make install` into a scratch DESTDIR, then build and run a small program the way a user
# would: `cc prog.c $(pkg-config --cflags --libs epv)`. Checks that headers, library, .pc file
# and data files are installed and that the public API is enough.
set -eu
: "${CC:=cc}"
# A static-only build (e.g. the sanitizer build) has no shared library to install and link.
[ -f "$top_builddir/.libs/libepv.so" ] || { echo "no shared library built: skipped"; exit 77; }
dest=$(mktemp -d)
trap 'rm -rf "$dest"' EXIT
make -s -C "$top_builddir" install DESTDIR="$dest" >/dev/null
prefix=$(sed -n 's/^prefix=//p' "$top_builddir/epv.pc")
root="$dest$prefix"
pcdir=$(dirname "$(find "$dest" -name epv.pc | head -1)")
# (each test on its own line: under set -e a failure inside an && list does not stop the script)
for f in include/epv.h include/epv/sink.h include/epv/version.h share/libepv/schema/project.xsd \
         share/libepv/params/species.xml share/libepv/examples/pingchang.xml share/libepv/examples/bazhong_gep.xml \
         bin/pingchang bin/bazhong_gep bin/ccer_ledger share/man/man1/pingchang.1 share/man/man1/bazhong_gep.1 \
         share/man/man1/ccer_ledger.1 share/doc/libepv/README.md share/doc/libepv/NEWS; do
  [ -f "$root/$f" ] || { echo "install: $f not installed"; exit 1; }
done
[ ! -e "$root/share/libepv/data" ] || { echo "install: data files under share/libepv/data/ (extra data/)"; exit 1; }
ls "$root"/lib*/libepv.so* >/dev/null
# The installed example programs run and answer --version.
LD_LIBRARY_PATH=$(dirname "$(ls "$root"/lib*/libepv.so | head -1)") "$root/bin/pingchang" --version | grep -q '^pingchang (libepv) '
# county_carbon and bazhong_spatial, their man pages and example data installed; run on the
# installed data alone, from another directory.
for f in bin/county_carbon bin/bazhong_spatial share/man/man1/county_carbon.1 share/man/man1/bazhong_spatial.1 \
         share/libepv/examples/county_carbon_activity.csv share/libepv/examples/bazhong_spatial/landcover.tif \
         share/libepv/examples/bazhong_spatial/bazhong_townships.geojson; do
  [ -f "$root/$f" ] || { echo "install: $f not installed"; exit 1; }
done
for p in county_carbon bazhong_spatial; do
  (cd "$dest" && LD_LIBRARY_PATH=$(dirname "$(ls "$root"/lib*/libepv.so | head -1)") \
    "$root/bin/$p" "$dest/run-$p" "$root/share/libepv/examples" > /dev/null) || { echo "install: $p on the installed data failed"; exit 1; }
done
cat > "$dest/prog.c" <<'PROG'
#include <epv.h>
#include <stdio.h>
int main(void)
{
    epv_ctx *ctx;
    epv_params *params;
    epv_params_species s = EPV_PARAMS_SPECIES_INIT;
    if (epv_ctx_new(&ctx) || epv_params_load_default(ctx, &params)) return 1;
    if (epv_params_species_find(ctx, params, "杉木", &s)) return 1;
    printf("libepv %s: %s wood density %.3f t/m3\n", epv_version(), s.name_en, s.wood_density);
    epv_params_free(params);
    epv_ctx_free(ctx);
    return 0;
}
PROG
flags=$(PKG_CONFIG_PATH="$pcdir" pkg-config --define-variable=prefix="$root" --cflags --libs epv)
# shellcheck disable=SC2086
$CC -std=c99 -Wall -Werror -o "$dest/prog" "$dest/prog.c" $flags
LD_LIBRARY_PATH=$(dirname "$(ls "$root"/lib*/libepv.so | head -1)") "$dest/prog"
echo "install: ok"
