# optimus-guest run: the profile's variables reach the program, exit status and signals pass through.
. "$TOP/tests/lib.sh"
N="$OG --data-dir $TOP --root $FIX/gvt-nouveau-offload"

$N run sh -c 'printf %s "$DRI_PRIME"' > "$TMP/out" 2> "$TMP/err"
[ "$(cat "$TMP/out")" = pci-0000_01_00_0 ] && pass "run: DRI_PRIME for nouveau" || { fail "run: DRI_PRIME for nouveau"; cat "$TMP/err"; }
expect_exit 7 "run: exit status passes through" $N run sh -c 'exit 7'
expect_exit 0 "run: exit 0" $N run true
# exec: the shell sees the program killed by SIGTERM (128 + 15)
$N run sh -c 'kill -TERM $$' 2> /dev/null; rc=$?
[ "$rc" -eq 143 ] && pass "run: SIGTERM gives 143" || fail "run: SIGTERM gives 143 (got $rc)"
# after the program's name everything is its own, global options too
[ "$($N run echo --json --root x -- -h)" = "--json --root x -- -h" ] && pass "run: program's options verbatim" || fail "run: program's options verbatim"
[ "$($N run -- echo a)" = "a" ] && pass "run: -- before the program" || fail "run: -- before the program"
# the process is replaced, not forked: the program's parent is this shell
$N run sh -c 'echo $PPID' > "$TMP/ppid"
[ "$(cat "$TMP/ppid")" = "$$" ] && pass "run: exec, no fork" || fail "run: exec, no fork ($(cat "$TMP/ppid") vs $$)"

# --print for eval
$N run --print > "$TMP/p" 2> "$TMP/err"
[ "$(cat "$TMP/p")" = "export DRI_PRIME=pci-0000_01_00_0" ] && pass "run --print nouveau" || { fail "run --print nouveau"; cat "$TMP/p" "$TMP/err"; }
( eval "$(cat "$TMP/p")"; [ "$DRI_PRIME" = pci-0000_01_00_0 ] ) && pass "run --print evals" || fail "run --print evals"
V="$OG --data-dir $TOP --root $FIX/gvt-nvidia-acpi"
$V run --profile gvt-nvidia-offload --print > "$TMP/p" 2> "$TMP/err"
cat > "$TMP/want" <<'W'
export __NV_PRIME_RENDER_OFFLOAD=1
export __GLX_VENDOR_LIBRARY_NAME=nvidia
export __VK_LAYER_NV_optimus=NVIDIA_only
W
same_file "run --print NVIDIA driver" "$TMP/want" "$TMP/p"
$V run --profile gvt-nvidia-offload sh -c 'echo "$__NV_PRIME_RENDER_OFFLOAD $__GLX_VENDOR_LIBRARY_NAME $__VK_LAYER_NV_optimus"' > "$TMP/o"
[ "$(cat "$TMP/o")" = "1 nvidia NVIDIA_only" ] && pass "run NVIDIA driver env" || fail "run NVIDIA driver env"

# nothing offloads: say so, exit 3, run nothing
expect_exit 3 "run on gvt-only: refused" $OG --data-dir "$TOP" --root "$FIX/gvt-only" run touch "$TMP/ran"
[ ! -e "$TMP/ran" ] && pass "run on gvt-only: nothing ran" || fail "run on gvt-only: nothing ran"
grep -q "does not offload rendering" "$TMP/err" && pass "run on gvt-only: message" || fail "run on gvt-only: message"
expect_exit 3 "run --print on gvt-only" $OG --data-dir "$TOP" --root "$FIX/gvt-only" run --print

# errors before the program starts
expect_exit 127 "run: program not found" $N run optimus-guest-no-such-program
grep -q "cannot run 'optimus-guest-no-such-program'" "$TMP/err" && pass "run: not found message" || fail "run: not found message"
expect_exit 126 "run: not executable" $N run "$FIX/providers/none.txt"
expect_exit 2 "run: no program" $N run
expect_exit 2 "run: --print with a program" $N run --print true
expect_exit 2 "run: unknown option" $N run --bogus true
expect_exit 2 "run: unknown profile" $N run --profile nope true
