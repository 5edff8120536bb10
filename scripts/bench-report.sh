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
# kernel-log-like lines, with a known failure every 100000 lines and a 64 KiB line now and then
python3 - "$LOG" "$MB" <<'PY'
import sys
path, mb = sys.argv[1], int(sys.argv[2])
target = mb * 1024 * 1024
base = [
    "Nov 20 10:01:%02d guest kernel: [ %5d.%06d] i915 0000:00:02.0: [drm] GuC firmware i915/kbl_guc_70.1.1.bin version 70.1",
    "Nov 20 10:01:%02d guest kernel: [ %5d.%06d] audit: type=1400 audit(1700474462.123:42): apparmor=\"STATUS\" operation=\"profile_load\"",
    "Nov 20 10:01:%02d guest kernel: [ %5d.%06d] EXT4-fs (vda2): mounted filesystem with ordered data mode. Quota mode: none.",
    "Nov 20 10:01:%02d guest kernel: [ %5d.%06d] nouveau 0000:01:00.0: DRM: VRAM: 2048 MiB",
]
bad = "Nov 20 10:01:%02d guest kernel: [ %5d.%06d] nouveau 0000:01:00.0: bios: unable to locate usable image"
with open(path, "w") as f:
    n = size = 0
    while size < target:
        n += 1
        if n % 100000 == 0:
            line = bad % (n % 60, n // 1000, n % 1000000)
        elif n % 250000 == 0:
            line = "x" * 65536
        else:
            line = base[n % len(base)] % (n % 60, n // 1000, n % 1000000)
        f.write(line + "\n")
        size += len(line) + 1
PY
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
