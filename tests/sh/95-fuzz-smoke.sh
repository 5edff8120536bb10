# timeout: 900 (fifteen targets, two seconds each: started early, with the long suites)
# make fuzz-smoke inside make check: every parser's libFuzzer target for a few seconds.
. "$TOP/tests/lib.sh"
if ! ls "$TOP"/build-fuzz/fuzz_* > /dev/null 2>&1; then
	skip "fuzz smoke: no fuzz targets built (clang not installed)"
	exit 0
fi
FUZZ_SECONDS=${FUZZ_SECONDS:-2} sh "$TOP/tests/fuzz-smoke.sh"
