#!/bin/sh
# Regenerate the golden files beside each fixture (tests/fixtures/<name>/expected/).
# Review the diff before committing: goldens are what the tests hold the tool to.
set -eu
cd "$(dirname "$0")/.."
OG=${OG:-build/optimus-guest}
for root in tests/fixtures/*/; do
	[ -d "$root/sys" ] || continue
	case $(basename "$root") in host-*) continue ;; esac  # host sysfs trees, not guests
	mkdir -p "$root/expected"
	$OG --data-dir . --root "$root" probe --json > "$root/expected/probe.json"
	$OG --data-dir . --root "$root" --json plan > "$root/expected/plan.json" || true
	$OG --data-dir . --root "$root" plan > "$root/expected/plan.txt" 2>&1 || true
done
# the report goldens (fixtures and tests/logs/broken), which embed the plan
OG="$OG" sh scripts/report-goldens.sh
