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

# a misspelled command, sub-command or option: did you mean; the same words everywhere
one_line() { [ "$(wc -l < "$TMP/err")" -eq 1 ] && grep -qF -- "$1" "$TMP/err"; }
expect_exit 2 "misspelled command" $P plna
check "misspelled command: did you mean 'plan'" one_line "unknown command 'plna' (did you mean 'plan'?); see 'optimus-guest --help'"
expect_exit 2 "misspelled global option" $P --rot / probe
check "misspelled global option: did you mean '--root'" one_line "unknown option '--rot' (did you mean '--root'?)"
expect_exit 2 "misspelled command option" $P --root "$FIX/gvt-only" report --fromat json
check "misspelled option: did you mean '--format'" one_line "unknown option '--fromat' (did you mean '--format'?); see 'optimus-guest report --help'"
expect_exit 2 "misspelled option with a value" $P apply --dryrun=yes
check "misspelled --opt=value: named without the value" one_line "unknown option '--dryrun' (did you mean '--dry-run'?)"
expect_exit 2 "misspelled sub-command" $P profiles valdate
check "misspelled sub-command: did you mean 'validate'" one_line "unknown sub-command 'valdate' (did you mean 'validate'?)"
expect_exit 2 "misspelled vbios sub-command" $OG vbios extrct x.bin
check "vbios: did you mean 'extract'" one_line "(did you mean 'extract'?)"
expect_exit 2 "misspelled signatures sub-command" $P signatures valdate
check "signatures: did you mean 'validate'" one_line "(did you mean 'validate'?)"
expect_exit 2 "unknown short option" $P report -x
check "unknown short option: no wild guess" one_line "unknown option '-x'; see"
expect_exit 2 "option without its value" $P report -o
check "option without its value: says so" one_line "option '-o' needs a value"
expect_exit 2 "flag given a value" $P apply --dry-run=1
check "flag given a value: says so" one_line "option '--dry-run' takes no value"
# an unknown option is "unknown option" on every command, never "unexpected argument"
for c in probe plan apply revert run session report "profiles list" "vbios inspect" "vbios extract" acpi-table signatures; do
	expect_exit 2 "$c --frobnicate: usage error" $P $c --frobnicate
	grep -q "unknown option '--frobnicate'" "$TMP/err" && ! grep -q unexpected "$TMP/err" \
		&& pass "$c --frobnicate: 'unknown option'" || { fail "$c --frobnicate: 'unknown option'"; cat "$TMP/err"; }
done
expect_exit 2 "probe with an operand" $P probe extra
check "an operand no command takes: 'unexpected operand'" one_line "unexpected operand 'extra'; see 'optimus-guest probe --help'"

# --json: accepted by every command that reports, refused where it means nothing
for args in "acpi-table --vbios x" "run --print" "session --dry-run" "signatures validate" "profiles validate" \
	"libvirt fix $FIX/libvirt/override.xml"; do
	expect_exit 2 "--json $args: refused" $P --root "$FIX/gvt-only" $args --json
	grep -q "has no machine-readable output, so --json means nothing to it" "$TMP/err" \
		&& pass "--json $args: says why" || { fail "--json $args: says why"; cat "$TMP/err"; }
done
for args in "gvt-only plan" "gvt-only apply --dry-run" "gvt-only revert --dry-run" "host-laptop libvirt check $FIX/libvirt/override.xml"; do
	$P --root "$FIX/${args%% *}" ${args#* } --json > "$TMP/j" 2> "$TMP/err"
	python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$TMP/j" 2>/dev/null && pass "$args --json (after the command)" \
		|| { fail "$args --json (after the command)"; head -3 "$TMP/err"; }
done

# global options after the command, as --help says: run --profile X --root R prog
expect_exit 0 "run --profile X --root R --print" $P run --profile gvt-nouveau-offload --root "$FIX/gvt-nouveau-offload" --print
grep -q '^export DRI_PRIME=' "$TMP/out" && pass "run: --root after --profile is global" || fail "run: --root after --profile is global"
expect_exit 0 "run --profile X --root R prog" $P run --profile gvt-nouveau-offload --root "$FIX/gvt-nouveau-offload" sh -c 'echo "$DRI_PRIME" --root'
grep -q '^pci-0000_01_00_0 --root$' "$TMP/out" && pass "run: the program's arguments stay its own" || { fail "run: the program's arguments stay its own"; cat "$TMP/out" "$TMP/err"; }

# signatures validate: the shipped files (part of make check), and a bad file named with its line
expect_exit 0 "signatures validate (shipped)" $P signatures validate
grep -qE '^[0-9]+ signatures valid$' "$TMP/out" && pass "signatures validate: count" || fail "signatures validate: count"
expect_exit 0 "signatures validate FILE..." $P signatures validate "$TOP"/signatures/*.ini
printf '[ok]\nlog = kernel\npattern = fine\nseverity = info\ndiagnosis = d\nfix = f\n\n[bad]\nlog = xorg\npattern = x(a+)+y\nseverity = error\ndiagnosis = d\nfix = f\n' > "$TMP/sig.ini"
expect_exit 1 "signatures validate: nested repetition refused" $P signatures validate "$TMP/sig.ini"
grep -q "sig.ini:10: pattern of \[bad\] repeats a repetition" "$TMP/err" && pass "nested repetition: file and line" || { fail "nested repetition: file and line"; cat "$TMP/err"; }
printf '[s]\nlog = kernel\npattern = ((((a{200}){200}){200}){200})\nseverity = error\ndiagnosis = d\nfix = f\n' > "$TMP/boom.ini"
expect_exit 1 "signatures validate: exploding repetition refused" $P signatures validate "$TMP/boom.ini"
grep -q "boom.ini:3: pattern of \[s\] is too complex" "$TMP/err" && pass "exploding repetition: file and line" || fail "exploding repetition: file and line"
printf '[one]\nlog = nope\npattern = abc\nseverity = error\ndiagnosis = d\nfix = f\n[two]\nlog = kernel\ncolour = red\npattern = abc\nseverity = bad\ndiagnosis = d\nfix = f\n' > "$TMP/many.ini"
expect_exit 1 "signatures validate: a file with three errors" $P signatures validate "$TMP/many.ini" "$TMP/sig.ini" "$TOP/signatures/10-nouveau.ini"
n=$(grep -c -e 'many.ini:2: log .nope. in \[one\]' -e 'many.ini:9: unknown key .colour.' -e 'many.ini:11: severity .bad. in \[two\]' -e 'sig.ini:10: pattern of \[bad\]' "$TMP/err")
[ "$n" = 4 ] && pass "signatures validate: every error of every file" || { fail "signatures validate: every error of every file"; cat "$TMP/err"; }
grep -qx '2 of 3 files have errors' "$TMP/err" && pass "signatures validate: how many files are bad" || fail "signatures validate: how many files are bad"
mkdir -p "$TMP/data/signatures"; cp "$TMP/sig.ini" "$TMP/data/signatures/10-x.ini"
expect_exit 1 "report refuses a data dir with a bad signature" $OG --data-dir "$TMP/data" --root "$FIX/gvt-only" report
grep -q "10-x.ini:10: " "$TMP/err" && pass "report: the signature's file and line" || { fail "report: the signature's file and line"; cat "$TMP/err"; }

# from the source tree the binary finds profiles/ and xorg-snippets/ beside it, from any directory
(cd "$TMP" && env -u OPTIMUS_GUEST_DATA_DIR "$OG" --root "$FIX/gvt-only" plan > "$TMP/tree.out" 2> "$TMP/tree.err")
grep -q '^Profile: gvt-only' "$TMP/tree.out" && pass "source tree: data found without --data-dir" || { fail "source tree: data found without --data-dir"; cat "$TMP/tree.err"; }
# a binary that is not in a source tree keeps its compiled-in paths
mkdir -p "$TMP/elsewhere/build"; cp "$OG" "$TMP/elsewhere/build/optimus-guest"
env -u OPTIMUS_GUEST_DATA_DIR strace -f -e trace=openat,open -o "$TMP/else.trace" "$TMP/elsewhere/build/optimus-guest" --root "$FIX/gvt-only" plan > /dev/null 2> "$TMP/else.err"
# the compiled-in profiles are read, or named as missing (an installed package may hold them)
{ grep -q "share/optimus-guest/profiles" "$TMP/else.trace" || grep -q "share/optimus-guest" "$TMP/else.err"; } && ! grep -q "$TOP/profiles" "$TMP/else.trace" \
	&& pass "outside a source tree: the compiled-in data directory" \
	|| { fail "outside a source tree: the compiled-in data directory"; cat "$TMP/else.err"; }

# words: plurals, and no "nothing was written" from a command that never writes
printf '[    1.0] nouveau 0000:01:00.0: bios: unable to locate usable image on 52:54:00:12:34:56 and 52:54:00:ab:cd:ef\n' > "$TMP/k.log"
$P --root "$FIX/gvt-only" report --log "$TMP/k.log" > "$TMP/rep.md" 2> /dev/null
grep -q '^### Log findings (1 error, 0 warnings, 0 info)$' "$TMP/rep.md" && pass "plural: 1 error" || fail "plural: 1 error"
grep -q 'logs: 1 error, 0 warnings' "$TMP/rep.md" && pass "plural: summary 1 error" || fail "plural: summary 1 error"
grep -q 'Redacted: 2 MAC addresses, 1 UUID,' "$TMP/rep.md" && pass "plural: 2 MAC addresses, 1 UUID" || { fail "plural: 2 MAC addresses, 1 UUID"; grep Redacted "$TMP/rep.md"; }
printf '<domain><name>x</name' > "$TMP/bad.xml"
expect_exit 1 "libvirt check on malformed XML" $OG libvirt check "$TMP/bad.xml"
grep -q "malformed XML" "$TMP/err" && ! grep -q "nothing was written" "$TMP/err" && pass "check never says 'nothing was written'" || { fail "check never says 'nothing was written'"; cat "$TMP/err"; }
expect_exit 1 "libvirt fix on malformed XML" $OG libvirt fix "$TMP/bad.xml"
grep -q "malformed XML.*; nothing was written" "$TMP/err" && pass "fix says nothing was written" || fail "fix says nothing was written"

# make demo: colour escapes only on a terminal (its own bold too), never into a pipe or with NO_COLOR
if [ -x "$TOP/build/optimus-guest" ]; then
	env -u NO_COLOR DEMO_OUT="$TMP" sh "$TOP/scripts/demo.sh" > "$TMP/demo.pipe" 2>&1
	[ -s "$TMP/demo.pipe" ] && ! grep -q "$(printf '\033')" "$TMP/demo.pipe" && pass "demo: no escapes into a pipe" || fail "demo: no escapes into a pipe"
	if command -v script > /dev/null; then
		NO_COLOR=1 script -qec "DEMO_OUT='$TMP' sh '$TOP/scripts/demo.sh'" /dev/null > "$TMP/demo.tty" 2>&1
		grep -q "$(printf '\033')" "$TMP/demo.tty" && fail "demo: NO_COLOR on a terminal, no escapes" || pass "demo: NO_COLOR on a terminal, no escapes"
		env -u NO_COLOR script -qec "DEMO_OUT='$TMP' sh '$TOP/scripts/demo.sh'" /dev/null > "$TMP/demo.tty" 2>&1
		grep -q "$(printf '\033')\[1m" "$TMP/demo.tty" && pass "demo: bold on a terminal" || fail "demo: bold on a terminal"
	else
		skip "demo on a terminal: script(1) missing"
	fi
	[ -s "$TMP/demo-report.md" ] && pass "demo: its report where DEMO_OUT says" || fail "demo: its report where DEMO_OUT says"
else
	fail "demo: build/optimus-guest not built (make check builds it)"
fi
