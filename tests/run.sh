#!/bin/sh
# Runs every test: the cmocka suites in build-san/tests and the shell tests in tests/sh,
# in parallel, two per core present (OG_TEST_JOBS to change), each under a timeout (a
# "# timeout: SECONDS" line near the top of a script; 600 s otherwise). The longest
# allowances start first, except the suites that boot real guests ("# guests" near the top),
# which start last: their guests run a pool of one per core (tests/vm/boot.sh), and under
# TCG a guest that shares its core with other suites takes half as much CPU again. Prints
# each result as it ends and, last, "N passed, N failed".
# Two per core because most shell suites wait more than they compute: every ASan process
# ends with LeakSanitizer stopping the world, and X starts, polls and sleeps wait too.
cd "$(dirname "$0")/.."
export OG="$PWD/build-san/optimus-guest"
export OG_DATA="$PWD"
export TOP="$PWD"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
export NO_COLOR=1
# The tests use the Debian python3 that deps.txt installs, as CI does: a pyenv or virtualenv
# shim earlier in PATH runs several shell scripts per python3 start (measured: 2.3 s of wall
# and 0.7 s of CPU per start on a loaded 2-core machine, against 0.2 s and 0.05 s).
# Only names /usr/bin has are affected; everything else is found where it was.
[ -x /usr/bin/python3 ] && export PATH="/usr/bin:$PATH"
export LOG=build-san/test-logs
rm -rf "$LOG"; mkdir -p "$LOG"
jobs=${OG_TEST_JOBS:-$(($(nproc) * 2))}
export OG_VM_SLOTS="$PWD/$LOG/vm-slots" OG_VM_POOL="${OG_VM_POOL:-$(nproc)}"

{
	for t in build-san/tests/test_*; do
		case $t in *.d) continue ;; esac
		[ -x "$t" ] && echo "0 600 $t"
	done
	for t in tests/sh/*.sh; do
		[ -f "$t" ] || continue
		secs=$(sed -n '1,10s/^# timeout: \([0-9]*\).*/\1/p' "$t" | head -n 1)
		last=0
		sed -n '1,10p' "$t" | grep -q '^# guests' && last=1
		echo "$last ${secs:-600} $t"
	done
} | sort -k1,1n -k2,2nr -k3 | cut -d' ' -f2- > "$LOG/.queue"

xargs -P "$jobs" -L 1 sh tests/run-one.sh < "$LOG/.queue"

passed=0; failed=0
while read -r secs t; do
	case $t in *.sh) name=$(basename "$t" .sh) ;; *) name=$(basename "$t") ;; esac
	if [ -f "$LOG/$name.result" ]; then
		read -r p f < "$LOG/$name.result"
	else
		p=0; f=1; echo "FAIL: $name left no result"
	fi
	passed=$((passed + p)); failed=$((failed + f))
done < "$LOG/.queue"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
