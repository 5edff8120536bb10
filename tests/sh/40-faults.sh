# timeout: 1500 (thousands of runs under strace)
# Fault injection into apply and revert: every write, openat, renameat, fsync, mkdirat,
# unlinkat, fchmod, fchown, utimensat and close they make fails in turn (with EIO, ENOSPC
# or EROFS, in rotation from one call to the next), then a SIGKILL arrives at each of them.
# After each run: the configuration on disk is the old one or the new one (each file
# whole), no temporary file is left
# (after a kill: the next run removes it), a failure exits non-zero with a message, and
# a plain re-run reaches the new state.
#
# Runs the non-sanitizer build (build/optimus-guest): ASan's own start-up openat/write
# calls would be counted and failed too, and it is ~5x slower under strace. The guest is
# replayed from a snapshot (--snapshot), so the calls counted are the writer's, the
# snapshot's and the profiles'.
. "$TOP/tests/lib.sh"
command -v strace > /dev/null || { skip "fault injection" "strace not installed"; exit 0; }
BIN="$TOP/build/optimus-guest"
# built by make check; not rebuilt here (other suites run it meanwhile)
[ -x "$BIN" ] || { fail "build/optimus-guest is not built (make check builds it)"; exit 0; }
strace -o /dev/null -e trace=getpid -e inject=getpid:error=EIO:when=1 true 2> /dev/null ||
	{ skip "fault injection" "strace cannot inject here (ptrace not permitted?)"; exit 0; }
SYSCALLS="write openat renameat fsync mkdirat unlinkat fchmod fchown utimensat close"
CONF=etc/X11/xorg.conf.d
export TH_NOTIME=1
th() { sh "$TOP/tests/treehash.sh" "$1" | sed 's/ [0-9]*\.[0-9]* \([0-9a-f]\{64\}\)$/ \1/'; }
conf() { (cd "$1/$CONF" 2>/dev/null && for f in *optimus-guest*.conf; do [ -f "$f" ] && printf '%s %s\n' "$f" "$(sha256sum < "$f" | cut -c1-64)"; done) | sort; }

"$BIN" --root "$FIX/gvt-nvidia-acpi" probe --json > "$TMP/snap.json" || { fail "probe for the snapshot"; exit 0; }
og() { "$BIN" --data-dir "$TOP" --snapshot "$TMP/snap.json" "$@"; }

# The scenarios: OLD tree, command, and the NEW tree a clean run makes.
mkdir -p "$TMP/s1.old/var/lib"                                      # no etc/X11/xorg.conf.d yet
cp -a "$TMP/s1.old" "$TMP/s1.new"; og --root "$TMP/s1.new" apply gvt-only > /dev/null
cp -a "$TMP/s1.new" "$TMP/s2.old"                                   # change of decision, with
echo '# local edit' >> "$TMP/s2.old/$CONF/20-optimus-guest-gvt-primary.conf"   # an edited file of ours
printf '# Written by optimus-guest (old)\n' > "$TMP/s2.old/$CONF/10-optimus-guest-old.conf"  # and an unknown one
cp -a "$TMP/s2.old" "$TMP/s2.new"; og --root "$TMP/s2.new" apply gvt-nvidia-offload > /dev/null 2>&1
cp -a "$TMP/s2.new" "$TMP/s3.old"                                   # revert of all that
cp -a "$TMP/s3.old" "$TMP/s3.new"; og --root "$TMP/s3.new" revert > /dev/null 2>&1
set -- "s1:apply gvt-only" "s2:apply gvt-nvidia-offload" "s3:revert"
for s in 1 2 3; do th "$TMP/s$s.old" > "$TMP/s$s.old.th"; th "$TMP/s$s.new" > "$TMP/s$s.new.th"
	conf "$TMP/s$s.old" > "$TMP/s$s.old.conf"; conf "$TMP/s$s.new" > "$TMP/s$s.new.conf"; done
cmp -s "$TMP/s1.old.th" "$TMP/s1.new.th" && fail "scenario 1 changes nothing"
[ -f "$TMP/s3.new/$CONF/10-optimus-guest-old.conf" ] && pass "scenarios set up" || fail "scenario 3: revert did not restore the old file"

# one scenario's runs and checks (tests/sh/faults_run.py; the loop is there so that a run
# costs three process starts, not thirty): after each injected run, the configuration is
# the old or the new one (each file whole after a kill), no temporary file is left, a
# failure exits 1 with a message and leaves the old or the new tree, and a plain re-run
# reaches the new tree
run_scenario() {
	python3 "$TOP/tests/sh/faults_run.py" "$TMP" "$1" "$2" "$BIN" "$TOP" $SYSCALLS
}
# the three scenarios side by side (two cores keep the suite near a minute)
for sc in "$@"; do
	run_scenario "${sc%%:*}" "${sc#*:}" > "$TMP/log.${sc%%:*}" 2>&1 &
done
wait
runs=0; bad=0
for sc in "$@"; do
	s=${sc%%:*}
	grep -v '^runs ' "$TMP/log.$s"
	set -- $(grep '^runs ' "$TMP/log.$s")
	runs=$((runs + $2)); bad=$((bad + $4))
done
echo "fault runs: $runs, problems: $bad"
[ $runs -gt 100 ] && pass "fault injection: $runs injected runs" || fail "fault injection: only $runs runs"
[ $bad -eq 0 ] && pass "fault injection: every run left the old or the new configuration" || true
