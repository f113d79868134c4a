#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The user-facing scripts, run against stand-ins for configure, make, apt-get and dpkg-query
# so that nothing is really configured or installed:
#  - scripts/build configures once, keeps the options, and reconfigures when given others
#    (`scripts/build --prefix=/x` after a first build must not be ignored);
#  - scripts/timed-test (scripts/check's test wrapper) keeps the test's exit status and prints
#    one line with result, time and name on fd 9;
#  - scripts/install-deps keeps apt's progress out of the terminal and shows it on failure;
#  - scripts/check does not hide make check's output.
set -u
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail=0
bad() { echo "FAIL: $*"; fail=1; }
src=$top_srcdir/scripts

# --- scripts/build
t=$tmp/tree; mkdir -p "$t/scripts" "$tmp/bin"
cp "$src/build" "$t/scripts/build"
touch -d '2020-01-01' "$t/configure.ac" "$t/Makefile.am" "$t/Makefile.in"
cat > "$t/configure" <<'STUB'
#!/bin/sh
printf '[%s]' "$@" >> ../configure.calls; echo >> ../configure.calls
echo "all:" > Makefile
STUB
chmod +x "$t/configure"
printf '#!/bin/sh\nexit 0\n' > "$tmp/bin/make"; chmod +x "$tmp/bin/make"
calls() { wc -l < "$t/configure.calls" 2>/dev/null || echo 0; }
PATH=$tmp/bin:$PATH "$t/scripts/build" --prefix=/a > /dev/null || bad "build --prefix=/a failed"
[ "$(calls)" -eq 1 ] && grep -qx -- '\[-q\]\[--prefix=/a\]' "$t/configure.calls" || bad "first build did not configure with --prefix=/a"
PATH=$tmp/bin:$PATH "$t/scripts/build" > /dev/null || bad "build failed"
[ "$(calls)" -eq 1 ] || bad "build without options reconfigured"
PATH=$tmp/bin:$PATH "$t/scripts/build" --prefix=/b > "$tmp/out" || bad "build --prefix=/b failed"
[ "$(calls)" -eq 2 ] && tail -1 "$t/configure.calls" | grep -qx -- '\[-q\]\[--prefix=/b\]' || bad "build --prefix=/b ignored once _build exists"
grep -q "reconfiguring" "$tmp/out" || bad "build did not say it reconfigures"
PATH=$tmp/bin:$PATH "$t/scripts/build" --prefix=/b > /dev/null
[ "$(calls)" -eq 2 ] || bad "same options reconfigured again"
# Options with spaces and quotes survive a reconfigure triggered by a newer configure.
PATH=$tmp/bin:$PATH "$t/scripts/build" "CFLAGS=-O2 -g" "X=it's" > /dev/null
tail -1 "$t/configure.calls" | grep -qx -- "\[-q\]\[CFLAGS=-O2 -g\]\[X=it's\]" || bad "options with spaces: $(tail -1 "$t/configure.calls")"
sleep 1; touch "$t/configure"
PATH=$tmp/bin:$PATH "$t/scripts/build" > /dev/null
[ "$(calls)" -eq 4 ] && tail -1 "$t/configure.calls" | grep -qx -- "\[-q\]\[CFLAGS=-O2 -g\]\[X=it's\]" ||
  bad "reconfigure after configure changed lost the options: $(tail -1 "$t/configure.calls")"

# --- scripts/timed-test
EPV_CHECK_PASS= sh "$src/timed-test" sh -c 'exit 3' tests/thing 9> "$tmp/fd9"; rc=$?
[ $rc -eq 3 ] || bad "timed-test changed the exit status 3 to $rc"
grep -q '^FAIL *[0-9.]*s  tests/thing$' "$tmp/fd9" || bad "timed-test line: $(cat "$tmp/fd9")"
EPV_CHECK_PASS=valgrind sh "$src/timed-test" true tests/ok 9> "$tmp/fd9" || bad "timed-test: true failed"
grep -q '^PASS *[0-9.]*s  valgrind: tests/ok$' "$tmp/fd9" || bad "timed-test pass line: $(cat "$tmp/fd9")"

# --- scripts/install-deps: quiet apt, its log shown on failure
b=$tmp/apt; mkdir -p "$b"
printf '#!/bin/sh\nexit 1\n' > "$b/dpkg-query"
printf '#!/bin/sh\necho 0\n' > "$b/id"
printf '#!/bin/sh\ni=0; while [ $i -lt 300 ]; do echo "Unpacking package $i ..."; i=$((i+1)); done\nexit ${APT_RC:-0}\n' > "$b/apt-get"
chmod +x "$b"/*
TMPDIR=$tmp PATH=$b:$PATH sh "$src/install-deps" > "$tmp/out" 2>&1 || bad "install-deps failed with a working apt"
[ "$(wc -l < "$tmp/out")" -le 3 ] || bad "install-deps printed $(wc -l < "$tmp/out") lines (apt progress not kept quiet)"
if TMPDIR=$tmp PATH=$b:$PATH APT_RC=100 sh "$src/install-deps" > "$tmp/out" 2>&1; then bad "install-deps ignored apt's failure"; fi
grep -q "Unpacking package 299" "$tmp/out" || bad "install-deps did not show the end of apt's log on failure"

# --- scripts/check does not throw away make check's output
grep -q 'make -s -j"$jobs" check >/dev/null' "$src/check" && bad "scripts/check silences make check"
grep -q 'LOG_COMPILER="$top/scripts/timed-test"' "$src/check" || bad "scripts/check does not time each test"
[ $fail -eq 0 ] && echo "scripts: ok"
exit $fail
