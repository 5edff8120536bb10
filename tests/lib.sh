# Helpers for shell tests: each check prints PASS:/FAIL:/SKIP: and a name.
: "${OG:?run through tests/run.sh}"
FIX="$TOP/tests/fixtures"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
pass() { echo "PASS: $*"; }
fail() { echo "FAIL: $*"; }
skip() { echo "SKIP: $*"; }
# check NAME CMD...: pass when CMD succeeds
check() { n=$1; shift; if "$@"; then pass "$n"; else fail "$n"; fi; }
# expect_exit CODE NAME CMD...: run CMD, compare its exit status
expect_exit() {
	code=$1; n=$2; shift 2
	"$@" > "$TMP/out" 2> "$TMP/err"; rc=$?
	if [ "$rc" -eq "$code" ]; then pass "$n"; else fail "$n (exit $rc, wanted $code)"; sed 's/^/    /' "$TMP/err" | head -5; fi
}
# same_file NAME EXPECTED ACTUAL: byte-identical, with a diff on failure
same_file() {
	if cmp -s "$2" "$3"; then pass "$1"; else fail "$1"; diff -u "$2" "$3" | head -40; fi
}
