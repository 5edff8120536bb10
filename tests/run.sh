#!/bin/sh
# Runs every test: the cmocka suites in build-san/tests and the shell tests in
# tests/sh. Prints each result and, last, "N passed, N failed".
cd "$(dirname "$0")/.."
export OG="$PWD/build-san/optimus-guest"
export OG_DATA="$PWD"
export TOP="$PWD"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
export NO_COLOR=1
LOG=build-san/test-logs
rm -rf "$LOG"; mkdir -p "$LOG"
passed=0; failed=0

for t in build-san/tests/test_*; do
	[ -x "$t" ] || continue
	name=$(basename "$t")
	"$t" > "$LOG/$name.log" 2>&1
	rc=$?
	p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test(s)\.$/\1/p' "$LOG/$name.log")
	f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test(s), listed below:$/\1/p' "$LOG/$name.log")
	p=${p:-0}; f=${f:-0}
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1  # crashed or sanitizer abort
	fi
	passed=$((passed + p)); failed=$((failed + f))
	if [ "$f" -ne 0 ]; then
		echo "FAIL: $name ($p passed, $f failed; see $LOG/$name.log)"
		grep -E '^\[  (FAILED|ERROR) ' "$LOG/$name.log" | head -20
		grep -E 'ERROR: (Address|Undefined|Leak)Sanitizer|runtime error' "$LOG/$name.log" | head -5
	else
		echo "ok:   $name ($p)"
	fi
done

for t in tests/sh/*.sh; do
	[ -f "$t" ] || continue
	name=$(basename "$t" .sh)
	sh "$t" > "$LOG/$name.log" 2>&1
	rc=$?
	p=$(grep -c '^PASS: ' "$LOG/$name.log")
	f=$(grep -c '^FAIL: ' "$LOG/$name.log")
	s=$(grep -c '^SKIP: ' "$LOG/$name.log")
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1
		echo "FAIL: $name exited $rc" >> "$LOG/$name.log"
	fi
	passed=$((passed + p)); failed=$((failed + f))
	if [ "$f" -ne 0 ]; then
		echo "FAIL: $name ($p passed, $f failed; see $LOG/$name.log)"
		grep -E '^FAIL: ' "$LOG/$name.log" | head -20
	else
		echo "ok:   $name ($p)"
	fi
	grep '^SKIP: ' "$LOG/$name.log" | sed 's/^/      /'
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
