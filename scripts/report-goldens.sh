#!/bin/sh
# (Re)write the golden reports tests/fixtures/<name>/expected/report.{md,json} from the
# current build. Review the diff before committing: these files are what users attach.
# The version is normalised to VERSION so a release does not change every golden.
set -e
cd "$(dirname "$0")/.."
OG=${OG:-build/optimus-guest}
for root in tests/fixtures/*/; do
	[ -d "$root/expected" ] || continue
	for fmt in md json; do
		$OG --root "$root" --data-dir . report --format $fmt 2>/dev/null |
			sed 's/optimus-guest [0-9][0-9.]*[0-9]/optimus-guest VERSION/' > "$root/expected/report.$fmt"
	done
done
# the sample with every kind of failure, scanned with --log (paths relative to the repository)
for fmt in md json; do
	$OG --root tests/fixtures/gvt-nvidia-no-acpi --data-dir . report --format $fmt \
		--log tests/logs/broken/kern.log --log tests/logs/broken/Xorg.0.log 2>/dev/null |
		sed 's/optimus-guest [0-9][0-9.]*[0-9]/optimus-guest VERSION/' > tests/logs/broken/report.$fmt
done
