#!/bin/sh
# make demo: run optimus-guest on the bundled example guest (a recorded GVT-g + muxless
# GTX 960M tree) the way a user would, without touching this machine.
set -eu
cd "$(dirname "$0")/.."
OG=build/optimus-guest
GUEST=tests/fixtures/gvt-nouveau-offload
OUT=${DEMO_OUT:-build}   # where the demo report goes (tests: their temp dir)
# bold only on a terminal, never with NO_COLOR (the same rule as optimus-guest's own colour)
if [ -t 1 ] && [ -z "${NO_COLOR:-}" ]; then b=$(printf '\033[1m') n=$(printf '\033[0m'); else b= n=; fi
step() { printf '\n%s$ %s%s\n' "$b" "$*" "$n"; "$@"; }
step $OG --root $GUEST probe
step $OG --data-dir . --root $GUEST plan
step $OG --data-dir . --root $GUEST apply --dry-run
step $OG --data-dir . --root $GUEST report -o "$OUT/demo-report.md"
printf '\nOn the host: the libvirt domain of that guest as virt-manager made it, checked against\nthe recorded host (exit 3: it needs fixing; "libvirt fix" prints the fixed domain).\n'
step $OG --root tests/fixtures/host-laptop libvirt check tests/fixtures/libvirt/virt-manager-q35.xml || true
printf '\nThe report to attach to a bug is in %s/demo-report.md (Markdown; --format json for JSON).\n'  "$OUT"
