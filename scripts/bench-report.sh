#!/bin/sh
# Time 'optimus-guest report' scanning a generated 100 MB log (--log) and print the wall
# time and the peak RSS. Usage: scripts/bench-report.sh [SIZE_MB] (default 100).
# Needs GNU time (/usr/bin/time, Debian package 'time').
set -e
cd "$(dirname "$0")/.."
MB=${1:-100}
OG=${OG:-build/optimus-guest}
[ -x "$OG" ] || make -s build/optimus-guest
[ -x /usr/bin/time ] || { echo "bench-report: /usr/bin/time missing; apt-get install time" >&2; exit 1; }
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
LOG="$TMP/big.log"
python3 scripts/biglog.py "$LOG" "$MB"
bytes=$(wc -c < "$LOG")
lines=$(wc -l < "$LOG")
# a recorded snapshot, so only the --log file is scanned (no live logs of this machine)
"$OG" --root tests/fixtures/gvt-nouveau-offload probe --json > "$TMP/snap.json"
/usr/bin/time -v "$OG" --data-dir . --snapshot "$TMP/snap.json" report --log "$LOG" --format json \
	> "$TMP/out.json" 2> "$TMP/time.txt"
wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$TMP/time.txt")
rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$TMP/time.txt")
found=$(python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print(sum(f["count"] for f in r["findings"] if f["id"]=="nouveau-vbios-not-found"))' "$TMP/out.json")
echo "report scan: $((bytes / 1048576)) MB, $lines lines: wall $wall, peak RSS ${rss} KiB, $found matching lines counted"
