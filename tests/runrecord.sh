#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Run records: each example writes one (library version, methods, parameter-table digest,
# SHA-256 of inputs and outputs, seed, threads); rerunning with what the record says (its
# arguments, seed and thread count, into a fresh directory) reproduces every output byte for
# byte, and the record's input digests match the files. A different seed changes the Monte
# Carlo outputs (so the comparison can fail).
set -u
b=$top_builddir/examples; d=$top_srcdir/data/examples
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail=0
"$b/pingchang" --seed=7 --threads=2 "$d/pingchang.xml" "$d/pingchang_management.xml" "$tmp/a" > /dev/null || fail=1
"$b/bazhong_gep" --seed=11 --csv-bom --csv-names "$tmp/g" "$d" > /dev/null || fail=1
"$b/ccer_ledger" --seed=3 "$d/pingchang.xml" "$tmp/l/ledger.db" > /dev/null || fail=1
"$b/county_carbon" --seed=5 --csv-bom "$tmp/c" > /dev/null || fail=1
"$b/bazhong_spatial" --threads=1 "$tmp/s" "$d" > /dev/null || fail=1
# spatial_mpi (when built): its one-process run; identity across ranks is tests/spatial_mpi.sh's.
if [ -x "$b/spatial_mpi" ]; then "$b/spatial_mpi" --serial "$tmp/m/run" "$d" 32 > /dev/null || fail=1; fi
python3 - "$b" "$tmp" <<'PY' || fail=1
import hashlib, json, os, subprocess, sys
bindir, tmp = sys.argv[1], sys.argv[2]
def sha(p): return hashlib.sha256(open(p, "rb").read()).hexdigest()
bad = 0
for rec_path, outarg in ((tmp + "/a/pingchang_run.json", -1), (tmp + "/g/bazhong_gep_run.json", 0),
                         (tmp + "/l/ledger.db.run.json", None), (tmp + "/c/county_carbon_run.json", 0),
                         (tmp + "/s/bazhong_spatial_run.json", 0), (tmp + "/m/run_run.json", "prefix")):
    if not os.path.exists(rec_path) and "spatial_mpi" not in os.listdir(bindir): continue
    rec = json.load(open(rec_path, encoding="utf-8"))
    for k in ("options", "libepv_version", "methods", "parameter_tables_sha256", "inputs", "outputs", "seed", "threads"):
        if k not in rec: print("FAIL: %s: no %s" % (rec_path, k)); bad = 1
    if len(rec["parameter_tables_sha256"]) != 64 or not rec["methods"] or not rec["outputs"]:
        print("FAIL: %s: empty digest, methods or outputs" % rec_path); bad = 1
    for i in rec["inputs"]:
        if sha(i["path"]) != i["sha256"]: print("FAIL: input digest of", i["path"]); bad = 1
    args = list(rec["arguments"])
    new = os.path.join(tmp, "re-" + rec["program"])
    if outarg is None:   # ccer_ledger: the ledger file is the output
        args[-1] = os.path.join(new, os.path.basename(args[-1]))
    elif outarg == "prefix":   # spatial_mpi --serial OUTPREFIX: same file names in a new directory
        args[1] = os.path.join(new, os.path.basename(args[1]))
    else:
        args[outarg] = new
    cmd = [os.path.join(bindir, rec["program"]), "--seed=%d" % rec["seed"], "--threads=%d" % rec["threads"]] + rec["options"] + args
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    for o in rec["outputs"]:
        again = os.path.join(new, os.path.basename(o["path"]))
        if sha(again) != o["sha256"]:
            print("FAIL: %s: %s differs on rerun" % (rec["program"], os.path.basename(o["path"]))); bad = 1
        else:
            print("%s: %s reproduced byte for byte" % (rec["program"], os.path.basename(o["path"])))
# Another seed must change the Monte Carlo histogram, or the check above proves nothing.
subprocess.run([os.path.join(bindir, "pingchang"), "--seed=8", os.path.join(os.environ["top_srcdir"], "data/examples/pingchang.xml"),
                tmp + "/s8"], check=True, stdout=subprocess.DEVNULL)
if sha(tmp + "/s8/pingchang_afforestation_mc.svg") == sha(tmp + "/a/pingchang_afforestation_mc.svg"):
    print("FAIL: a different seed gave the same Monte Carlo output"); bad = 1
# The same for county_carbon's Monte Carlo intervals (Approach 2) in its balance table.
subprocess.run([os.path.join(bindir, "county_carbon"), "--seed=6", "--csv-bom", tmp + "/c6"], check=True, stdout=subprocess.DEVNULL)
if sha(tmp + "/c6/county_carbon_balance.csv") == sha(tmp + "/c/county_carbon_balance.csv"):
    print("FAIL: county_carbon: a different seed gave the same Monte Carlo intervals"); bad = 1
# bazhong_spatial's record names every input (rasters, boundaries, tables) and output.
rec = json.load(open(tmp + "/s/bazhong_spatial_run.json", encoding="utf-8"))
if len(rec["inputs"]) != 12 or len(rec["outputs"]) != 11:
    print("FAIL: bazhong_spatial record: %d inputs, %d outputs" % (len(rec["inputs"]), len(rec["outputs"]))); bad = 1
sys.exit(bad)
PY
exit $fail
