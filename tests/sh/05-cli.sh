# The command line: help, version, usage errors, output conventions.
. "$TOP/tests/lib.sh"
P="$OG --data-dir $TOP"

expect_exit 0 "--help" $OG --help
grep -q '^Commands:' "$TMP/out" && pass "--help lists commands" || fail "--help lists commands"
expect_exit 0 "--version" $OG --version
grep -qE '^optimus-guest [0-9]+\.[0-9]+\.[0-9]+$' "$TMP/out" && pass "version line" || fail "version line"
for c in $($OG --help | sed -n '/^Commands:/,/^$/p' | awk 'NR>1 && $1 {print $1}'); do
	expect_exit 0 "$c --help" $OG $c --help
	grep -q "Usage: .*$c" "$TMP/out" && pass "$c --help shows its usage" || fail "$c --help shows its usage"
	expect_exit 0 "$c --version" $OG $c --version
done
expect_exit 2 "unknown command" $OG frobnicate
[ "$(wc -l < "$TMP/err")" -eq 1 ] && grep -q "unknown command 'frobnicate'; see 'optimus-guest --help'" "$TMP/err" \
	&& pass "unknown command: one line saying what to type" || fail "unknown command: one line saying what to type"
expect_exit 2 "unknown option" $OG --frobnicate probe
expect_exit 2 "unknown command option" $P plan --frobnicate
[ "$(wc -l < "$TMP/err")" -eq 1 ] && grep -q "see 'optimus-guest plan --help'" "$TMP/err" \
	&& pass "unknown option: one line naming the command's help" || fail "unknown option: one line naming the command's help"
expect_exit 2 "global option without value" $OG probe --root
expect_exit 2 "no command" $OG

# errors on stderr, results on stdout
$P --root "$FIX/gvt-only" plan > "$TMP/o" 2> "$TMP/e"
[ -s "$TMP/o" ] && [ ! -s "$TMP/e" ] && pass "results on stdout" || fail "results on stdout"
$OG --root "$TMP/none" probe > "$TMP/o" 2> "$TMP/e"
[ ! -s "$TMP/o" ] && [ -s "$TMP/e" ] && pass "errors on stderr" || fail "errors on stderr"

# colour only on a terminal, never with NO_COLOR
if command -v script > /dev/null; then
	env -u NO_COLOR script -qec "$P --root $FIX/qxl-boot-vga plan" /dev/null > "$TMP/tty" 2>&1
	grep -q "$(printf '\033')\[" "$TMP/tty" && pass "colour on a terminal" || fail "colour on a terminal"
	NO_COLOR=1 script -qec "$P --root $FIX/qxl-boot-vga plan" /dev/null > "$TMP/tty" 2>&1
	grep -q "$(printf '\033')\[" "$TMP/tty" && fail "NO_COLOR: no colour" || pass "NO_COLOR: no colour"
else
	skip "colour: script(1) missing"
fi
env -u NO_COLOR $P --root "$FIX/qxl-boot-vga" plan > "$TMP/pipe" 2>&1
grep -q "$(printf '\033')\[" "$TMP/pipe" && fail "no colour into a pipe" || pass "no colour into a pipe"

# --json on the commands that report
for args in "probe" "plan" "profiles list" "profiles show gvt-only" "report"; do
	$P --root "$FIX/gvt-only" --json $args > "$TMP/j" 2>/dev/null
	python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$TMP/j" 2>/dev/null && pass "--json $args" || fail "--json $args"
done
