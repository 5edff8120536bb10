# Runs inside a guest booted by tests/vm/boot.sh (sh, as PID 1's child): the tool against
# the guest's own / and a real X server. Prints PASS:/FAIL: lines prefixed with $GUEST.
# Environment (boot.sh --env): TOP (the source tree, read-only in the guest), GUEST (a name),
#   EXPECT_MACHINE q35|i440fx, EXPECT_FIRMWARE uefi|bios, EXPECT_ROM_SLOTS (slots whose ROM
#   the firmware must hand over; "none": no SETUP_PCI entry), EXPECT_PLAN_EXIT, EXPECT_PLAN
#   (text plan must print), EXPECT_X yes|no, EXPECT_PROVIDERS ("name=vendor:device ..." in
#   provider order, X's default configuration), EXPECT_APPLY_ROLE (role the test profile
#   matches; empty: no apply test).
OG="${OG_BIN:-$TOP/build-san/optimus-guest}"
P="$OG --data-dir $TOP"
W=/tmp/og-vm
mkdir -p "$W"
OUT=${OG_VM_OUT:-/og-vm/out}
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0" UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
export NO_COLOR=1
pass() { echo "PASS: $GUEST: $*"; }
fail() { echo "FAIL: $GUEST: $*"; }
check() { n=$1; shift; if "$@"; then pass "$n"; else fail "$n"; fi; }
show() { sed 's/^/    /' "$@" | head -n 30; }
# The compare.py checks are queued in $OUT/later and run on the host after the guest ends
# (tests/sh/90-vm.sh: compare.py batch, in $OUT): a python3 start costs 1-3 s under TCG.
# Their inputs are files in $OUT, named relative to it, that no later step changes; what
# they need of sysfs and lspci is recorded here.
# later NAME WHAT ARGS...: check NAME is compare.py WHAT ARGS (PASS/FAIL by its status);
# later_append FILE WHAT ARGS...: WHAT's output is appended to FILE.
Q="$OUT/later"
: > "$Q"
later() { printf '%s\037' check "$@" >> "$Q"; echo >> "$Q"; }
later_append() { printf '%s\037' append "$@" >> "$Q"; echo >> "$Q"; }

# --- probe against lspci, /dev/dri and sysfs ------------------------------------------------
# no system Xorg log: the version must come from the rootless log X writes below
rm -f /var/log/Xorg.0.log /var/log/Xorg.0.log.old
$P probe > "$W/probe.txt" 2> "$W/probe.err"
rc=$?
[ $rc -eq 0 ] && pass "probe runs" || { fail "probe runs (exit $rc)"; show "$W/probe.err"; }
$P probe --json > "$W/probe.json" 2> /dev/null
cp "$W/probe.txt" "$W/probe.json" "$OUT/"
# the installed binary (static: libdrm linked in) reads this guest as the sanitizer build does
REL="$TOP/build/optimus-guest --data-dir $TOP"
$REL probe --json > "$OUT/probe-rel.json" 2> /dev/null
later "the static binary's snapshot is the sanitizer build's" same-json probe-rel.json probe.json
lspci -vmmnk -D > "$OUT/lspci.txt"
lspci -nnk > "$OUT/lspci-nnk.txt"
lspci -nD > "$OUT/lspci-n.txt"
later "probe agrees with lspci -vmmnk" lspci-compare probe.json lspci.txt
later "every display device has a driver, probe's is lspci -nnk's" drivers probe.json lspci-nnk.txt
ls /dev/dri 2> /dev/null | grep -E '^(card|renderD)[0-9]+$' | sort > "$OUT/dri.txt"
later "probe's DRM nodes are /dev/dri's" dri probe.json dri.txt
# each DRM card's device and driver as sysfs links them: card, PCI slot, driver
for c in /sys/class/drm/card*; do
	case ${c##*/} in *-*) continue ;; esac
	[ -e "$c/device" ] || continue
	dev=$(readlink -f "$c/device")
	echo "${c##*/} ${dev##*/} $(basename "$(readlink -f "$dev/driver")")"
done > "$OUT/sysfs-drm.txt"
if [ -s "$OUT/dri.txt" ]; then
	later "libdrm path ran for every DRM card and agrees with sysfs" libdrm probe.json sysfs-drm.txt
	grep -q '^libdrm:' "$W/probe.txt" && ! grep -qi 'skip' "$W/probe.txt" && pass "libdrm lines, no SKIP" || { fail "libdrm lines, no SKIP"; show "$W/probe.txt"; }
else
	! grep -q '^libdrm:' "$W/probe.txt" && pass "no DRM device: no libdrm line" || { fail "no DRM device: no libdrm line"; show "$W/probe.txt"; }
fi
grep -Ei 'libdrm reports|disagree' "$W/probe.err" > "$W/x" && { fail "libdrm cross-check is quiet"; show "$W/x"; } || pass "libdrm cross-check is quiet"
grep -q "^machine type: *$EXPECT_MACHINE " "$W/probe.txt" && pass "machine type $EXPECT_MACHINE" || { fail "machine type $EXPECT_MACHINE"; grep '^machine' "$W/probe.txt"; }
grep -q "^firmware: *$EXPECT_FIRMWARE" "$W/probe.txt" && pass "firmware $EXPECT_FIRMWARE" || { fail "firmware $EXPECT_FIRMWARE"; grep '^firmware' "$W/probe.txt"; }

# --- EFI ROM hand-over: our reading of setup_data against od's ------------------------------
: > "$W/roms.txt"
for d in /sys/kernel/boot_params/setup_data/*; do
	[ -f "$d/type" ] || continue
	[ $(($(cat "$d/type"))) -eq 3 ] || continue
	od -A n -t u2 -N 4 "$d/data" > "$W/ids"
	od -A n -t u8 -j 16 -N 32 "$d/data" | tr '\n' ' ' > "$W/addr"
	read -r v dv < "$W/ids"
	read -r seg bus dev fn < "$W/addr"
	printf '%04x:%04x@%04x:%02x:%02x.%x\n' "$v" "$dv" "$seg" "$bus" "$dev" "$fn" >> "$W/roms.txt"
done
cp "$W/roms.txt" "$OUT/setup-data-roms.txt"
later "probe's setup_data ROMs are od's" roms probe.json setup-data-roms.txt
later "each handed-over ROM's ids are its device's (lspci -n)" rom-ids setup-data-roms.txt lspci-n.txt
if [ "$EXPECT_ROM_SLOTS" = none ]; then
	[ ! -s "$W/roms.txt" ] && grep -q '^EFI ROM handover: no' "$W/probe.txt" && pass "no EFI ROM hand-over" || fail "no EFI ROM hand-over"
else
	for s in $EXPECT_ROM_SLOTS; do
		grep -q "@$s\$" "$W/roms.txt" && grep -q "^EFI ROM handover: yes.*@$s" "$W/probe.txt" \
			&& pass "ROM of $s handed over and shown" || { fail "ROM of $s handed over and shown"; show "$W/roms.txt"; }
	done
fi
# (tests/sh/90-vm.sh runs plan on this snapshot with a muxless card added: the ROMs this
# firmware handed over are not the card's, and efi-rom-handover must say so)

# --- plan -----------------------------------------------------------------------------------
$P plan > "$W/plan.txt" 2>&1
rc=$?
cp "$W/plan.txt" "$OUT/"
[ "$rc" -eq "$EXPECT_PLAN_EXIT" ] && pass "plan exits $EXPECT_PLAN_EXIT" || { fail "plan exits $EXPECT_PLAN_EXIT (got $rc)"; show "$W/plan.txt"; }
grep -qF "$EXPECT_PLAN" "$W/plan.txt" && pass "plan says '$EXPECT_PLAN'" || { fail "plan says '$EXPECT_PLAN'"; show "$W/plan.txt"; }
if grep -q '"role": "qxl"' "$W/probe.json"; then
	$P plan qxl-primary > "$W/q.txt" 2>&1
	rc=$?
	[ $rc -eq 3 ] && grep -q 'offers only the Sink Output RandR capability' "$W/q.txt" && pass "qxl-primary refused (exit 3)" \
		|| { fail "qxl-primary refused (exit 3, got $rc)"; show "$W/q.txt"; }
fi
$P apply --dry-run > "$W/dry.txt" 2>&1
rc=$?
[ "$rc" -eq "$EXPECT_PLAN_EXIT" ] && pass "apply --dry-run exits like plan ($rc)" || { fail "apply --dry-run exits like plan (got $rc)"; show "$W/dry.txt"; }

[ "$EXPECT_X" = yes ] || exit 0

# --- a real X server on the guest's DRM devices ---------------------------------------------
XPID=
x_start() { # $1 = log file, then extra Xorg arguments
	log=$1; shift
	rm -f "$log" "$W/xready"
	mkfifo "$W/xready"
	# X writes its display number to -displayfd once it accepts clients, then closes it
	# (EOF at once if X dies): one wait of up to 120 s instead of an xrandr and a sleep
	# every 0.2 s, process starts that competed with X's own start under TCG
	Xorg :0 -displayfd 3 -logfile "$log" -noreset -nolisten tcp "$@" 3> "$W/xready" > "$W/xorg.out" 2>&1 &
	XPID=$!
	d=$(timeout 120 cat "$W/xready")
	if [ "$d" != 0 ] || ! xrandr -d :0 --version > /dev/null 2>&1; then
		fail "Xorg starts ($*)"; show "$W/xorg.out"; grep -E '\(EE\)' "$log" | head -n 10
		kill $XPID 2> /dev/null; XPID=; return 1
	fi
	pass "Xorg starts ${*:-with its default configuration}"
}
x_stop() { [ -n "$XPID" ] && kill $XPID && wait $XPID 2> /dev/null; XPID=; }
# RandR as the tool sees it, with freed memory poisoned so a length field libXrandr leaves
# unset shows (glibc: perturb; ASan: zero-filled allocations)
live_compare() { # $1 = tag
	xrandr -d :0 --listproviders > "$W/xrandr-$1.txt" 2>&1
	cp "$W/xrandr-$1.txt" "$OUT/"
	GLIBC_TUNABLES=glibc.malloc.tcache_count=0:glibc.malloc.perturb=255 \
	ASAN_OPTIONS="$ASAN_OPTIONS:malloc_fill_byte=0:max_malloc_fill_size=1048576" \
		$P --display :0 probe --json > "$W/live-$1.json" 2> "$W/live.err" || { fail "live probe ($1)"; show "$W/live.err"; }
	cp "$W/live-$1.json" "$OUT/"
	later "live RandR names, ids, capabilities = xrandr --listproviders ($1)" providers "live-$1.json" "xrandr-$1.txt"
	$P --providers "$W/xrandr-$1.txt" probe --json > "$OUT/text-$1.json" 2> /dev/null
	later "live provider-to-PCI mapping = the recorded listing's ($1)" same-map "live-$1.json" "text-$1.json"
	$REL --display :0 probe --json > "$OUT/live-rel-$1.json" 2> /dev/null
	later "the static binary's live snapshot is the sanitizer build's ($1)" same-json "live-rel-$1.json" "live-$1.json"
	later_append caps.txt record "$GUEST" "$1" "live-$1.json"
}

mkdir -p /root/.local/share/xorg "$W/xc"
echo '# empty: X autoconfigures' > "$W/xc/00-empty.conf"
if x_start /root/.local/share/xorg/Xorg.0.log -configdir "$W/xc"; then
	cp /root/.local/share/xorg/Xorg.0.log "$OUT/Xorg-default.log"
	live_compare default
	later "providers map to $EXPECT_PROVIDERS" expect-map live-default.json "$EXPECT_PROVIDERS"
	$P probe > "$W/probe2.txt" 2>&1
	v=$(sed -n 's/^X.Org X Server \([0-9.]*\).*/\1/p' /root/.local/share/xorg/Xorg.0.log | head -n 1)
	grep -q "^Xorg version: *$v\$" "$W/probe2.txt" && [ -n "$v" ] && pass "Xorg version $v from the rootless log" \
		|| { fail "Xorg version '$v' from the rootless log"; grep 'Xorg version' "$W/probe2.txt"; }
	x_stop
fi

[ -n "$EXPECT_APPLY_ROLE" ] || exit 0

# --- apply with a test-only local profile; the real X server loads what it wrote -----------
D="$W/data"
mkdir -p "$D"
cp -r "$TOP/profiles" "$TOP/xorg-snippets" "$TOP/signatures" "$D/"
# the DRM driver of the device with that role, from probe's table and its libdrm lines (a
# python3 start costs 1-2 s under TCG)
drv=$(awk -v r="$EXPECT_APPLY_ROLE" '$1 ~ /^[0-9a-f]+:[0-9a-f]+:/ && $6 == r { s[$1] = 1 }
	$1 == "libdrm:" && ($2 in s) { print $3; exit }' "$W/probe.txt")
if [ "$EXPECT_APPLY_ROLE" = virtio-gpu ]; then
	# the name X's MatchDriver sees is the DRM driver's, not sysfs' PCI driver
	[ "$drv" = virtio_gpu ] && grep -q '"driver": "virtio-pci"' "$W/probe.json" \
		&& pass "virtio-gpu: DRM driver virtio_gpu, PCI driver virtio-pci" || fail "virtio-gpu: DRM driver '$drv'"
fi
cat > "$D/xorg-snippets/vm-test.conf.in" <<EOF
# tests/vm: the $EXPECT_APPLY_ROLE device through modesetting, matched by its DRM driver name
Section "OutputClass"
    Identifier "optimus-guest-vm-test"
    MatchDriver "$drv"
    Driver "modesetting"
EndSection
EOF
mkdir -p /etc/optimus-guest/profiles.d
# a local profile validate accepts but that cannot render here (no GVT-g): skipped with a warning
cat > /etc/optimus-guest/profiles.d/81-vm-broken.ini <<EOF
[profile]
name = vm-broken
status = works
summary = tests/vm: writes GVT's file on a guest without GVT-g
priority = 999

[match]
roles = $EXPECT_APPLY_ROLE

[write]
files = 30-optimus-guest-vm-broken.conf:gvt-primary
EOF
$OG --data-dir "$D" profiles validate /etc/optimus-guest/profiles.d/81-vm-broken.ini > "$W/val.txt" 2>&1 || { fail "validate accepts the GVT-only local profile"; show "$W/val.txt"; }
$OG --data-dir "$D" plan > "$W/broken.txt" 2> "$W/broken.err"
rc=$?
[ $rc -eq "$EXPECT_PLAN_EXIT" ] && grep -q '81-vm-broken.ini: .*@GVT_SLOT@ has no value.*(local override skipped' "$W/broken.err" \
	&& pass "a local profile that cannot render here is skipped with a warning (plan exit $rc)" \
	|| { fail "a local profile that cannot render here is skipped with a warning (plan exit $rc)"; show "$W/broken.err"; }
rm /etc/optimus-guest/profiles.d/81-vm-broken.ini
cat > /etc/optimus-guest/profiles.d/80-vm-test.ini <<EOF
[profile]
name = vm-test
status = works
summary = tests/vm: modesetting on the $EXPECT_APPLY_ROLE device
priority = 1000

[match]
roles = $EXPECT_APPLY_ROLE

[write]
files = 30-optimus-guest-vm-test.conf:vm-test
EOF
AP="$OG --data-dir $D"
mkdir -p /etc/X11/xorg.conf.d
sh "$TOP/tests/treehash.sh" /etc/X11 > "$W/before.hash"
$AP apply vm-test > "$W/apply.txt" 2>&1
rc=$?
[ $rc -eq 0 ] && pass "apply vm-test" || { fail "apply vm-test (exit $rc)"; show "$W/apply.txt"; }
F=/etc/X11/xorg.conf.d/30-optimus-guest-vm-test.conf
grep -q "MatchDriver \"$drv\"" "$F" 2> /dev/null && pass "apply wrote $F" || fail "apply wrote $F"
cp "$F" "$OUT/" 2> /dev/null
if x_start /tmp/xorg-applied.log; then
	cp /tmp/xorg-applied.log "$OUT/Xorg-applied.log"
	grep -q 'Applying OutputClass "optimus-guest-vm-test"' /tmp/xorg-applied.log \
		&& pass "X applied our OutputClass (MatchDriver \"$drv\")" \
		|| { fail "X applied our OutputClass (MatchDriver \"$drv\")"; grep -i outputclass /tmp/xorg-applied.log | head; }
	live_compare applied
	x_stop
fi
sh "$TOP/tests/treehash.sh" /etc/X11 > "$W/applied.hash"
$AP apply vm-test > "$W/apply2.txt" 2>&1
rc=$?
sh "$TOP/tests/treehash.sh" /etc/X11 > "$W/applied2.hash"
[ $rc -eq 0 ] && cmp -s "$W/applied.hash" "$W/applied2.hash" && pass "second apply changes nothing" \
	|| { fail "second apply changes nothing (exit $rc)"; diff "$W/applied.hash" "$W/applied2.hash" | head; }
$AP revert > "$W/revert.txt" 2>&1
rc=$?
sh "$TOP/tests/treehash.sh" /etc/X11 > "$W/reverted.hash"
[ $rc -eq 0 ] && cmp -s "$W/before.hash" "$W/reverted.hash" && pass "revert restores /etc/X11" \
	|| { fail "revert restores /etc/X11 (exit $rc)"; diff "$W/before.hash" "$W/reverted.hash" | head; show "$W/revert.txt"; }
exit 0
