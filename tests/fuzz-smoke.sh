#!/bin/sh
# Run every built fuzz target for FUZZ_SECONDS on a scratch copy of its corpus.
# Prints PASS:/FAIL:/SKIP: lines; a crash input is kept in build-fuzz/crashes/.
cd "$(dirname "$0")/.."
secs=${FUZZ_SECONDS:-5}
found=0
for f in build-fuzz/fuzz_*; do
	[ -x "$f" ] || continue
	found=1
	name=${f#build-fuzz/fuzz_}
	work=$(mktemp -d)
	[ -d "tests/corpus/$name" ] && cp -r "tests/corpus/$name/." "$work/" 2>/dev/null
	mkdir -p build-fuzz/crashes
	if "$f" -max_total_time="$secs" -rss_limit_mb=2048 -timeout=10 -artifact_prefix=build-fuzz/crashes/"$name"- \
		"$work" > "build-fuzz/$name.log" 2>&1; then
		runs=$(grep -o 'stat::number_of_executed_units: [0-9]*' "build-fuzz/$name.log" | grep -o '[0-9]*$')
		[ -z "$runs" ] && runs=$(grep -Eo '#[0-9]+' "build-fuzz/$name.log" | tail -1)
		echo "PASS: fuzz $name (${secs}s, $runs runs)"
	else
		echo "FAIL: fuzz $name (see build-fuzz/$name.log)"
		grep -E 'ERROR|SUMMARY|runtime error' "build-fuzz/$name.log" | head -5
	fi
	rm -rf "$work"
done
[ "$found" = 1 ] || echo "SKIP: no fuzz targets built (clang missing?)"
