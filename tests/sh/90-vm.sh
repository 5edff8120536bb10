# timeout: 2400 (real guests under QEMU)
# guests: boots real guests, so tests/run.sh starts it last (their pool: tests/vm/boot.sh)
# Real guests: boot Debian's kernel under QEMU on the machine's own / (tests/vm/boot.sh) and run
# tests/vm/guest.sh inside each: probe against lspci, /dev/dri, libdrm and setup_data; plan's
# refusals; a real Xorg and its RandR providers; apply/revert with a test-only profile that
# the real X server loads. One boot per guest, in lanes; under tests/run.sh every guest has
# a lane and waits for a slot of the pool shared with 91-vm-boot, which starts the heaviest
# waiting guest first (tests/vm/boot.sh --weight).
# OG_VM=0 leaves the guests out (debian/rules: a package build does not boot VMs);
# OG_VM_JOBS lanes (default: 2, one per guest under the pool); OG_VM_TIMEOUT (default
# 1200) seconds per guest; OG_VM_ONLY="name ..." boots only those guests.
. "$TOP/tests/lib.sh"
if [ "${OG_VM:-1}" = 0 ]; then
	skip "real guests left out: OG_VM=0 is set (debian/rules does, so a package build boots no VM); make check runs them"
	exit 0
fi
jobs=${OG_VM_JOBS:-2}
export OG_VM_TIMEOUT="${OG_VM_TIMEOUT:-1200}"
KEEP="$TOP/build-san/test-logs/vm"
rm -rf "$KEEP"
mkdir -p "$KEEP"
if ! command -v qemu-system-x86_64 > /dev/null; then
	fail "real guests: qemu-system-x86_64 not found (install qemu-system-x86, listed in deps.txt)"
	exit 0
fi
[ -x "$OG" ] || { fail "real guests: $OG is not built"; exit 0; }

# name | machine | firmware | -device values (;-separated) | expectations (NAME=VALUE;...) |
# seconds (about, on 2 cores under TCG: the pool's --weight)
# (longest first: two devices with apply, one with apply, X only, no X). A bare q35 with no
# display device is q35-rootport-rom: its only device behind the root port is a NIC.
GUESTS="q35-qxl-virtio-gpu|q35|ovmf|qxl-vga;virtio-gpu-pci|EXPECT_ROM_SLOTS=0000:00:01.0;EXPECT_X=yes;EXPECT_PROVIDERS=qxl=1b36:0100 modesetting=1af4:1050;EXPECT_APPLY_ROLE=virtio-gpu|31
q35-qxl|q35|ovmf|qxl-vga|EXPECT_ROM_SLOTS=0000:00:01.0;EXPECT_X=yes;EXPECT_PROVIDERS=qxl=1b36:0100;EXPECT_APPLY_ROLE=qxl|30
q35-seabios-virtio-vga-bochs|q35|seabios|virtio-vga;bochs-display|EXPECT_FIRMWARE=bios;EXPECT_ROM_SLOTS=none;EXPECT_X=yes;EXPECT_PROVIDERS=modesetting=1af4:1050 modesetting=1234:1111;EXPECT_APPLY_ROLE=virtio-gpu|24
q35-rootport-rom|q35|ovmf|pcie-root-port,id=rp,bus=pcie.0,addr=1c.0,chassis=2;virtio-net-pci,bus=rp,addr=0.0,romfile=/usr/lib/ipxe/qemu/efi-virtio.rom|EXPECT_ROM_SLOTS=0000:01:00.0;EXPECT_X=no|15
pc-seabios-vga|pc|seabios|VGA|EXPECT_MACHINE=i440fx;EXPECT_FIRMWARE=bios;EXPECT_ROM_SLOTS=none;EXPECT_X=yes;EXPECT_PROVIDERS=modesetting=1234:1111|13"

boot_one() { # the guest's table line
	IFS='|' read -r name machine fw devs expect weight <<EOF
$1
EOF
	o="$TMP/$name"
	mkdir -p "$o"
	set -- --name "$name" --weight "$weight" --machine "$machine" --firmware "$fw" --out "$o" --script "$TOP/tests/vm/guest.sh" \
		--smp 1 --env "TOP=$TOP" --env "GUEST=$name" --env EXPECT_MACHINE=q35 --env EXPECT_FIRMWARE=uefi \
		--env EXPECT_PLAN_EXIT=3 --env "EXPECT_PLAN=Refused: nothing to set up"
	old=$IFS; IFS=';'
	for d in $devs; do set -- "$@" --device "$d"; done
	for e in $expect; do set -- "$@" --env "$e"; done
	IFS=$old
	sh "$TOP/tests/vm/boot.sh" "$@" > "$o/boot.out" 2>&1
	echo $? > "$o/boot.rc"
	# the checks the guest queued on the files it recorded (tests/vm/guest.sh: later)
	[ -f "$o/share/out/later" ] && (cd "$o/share/out" && GUEST=$name python3 "$TOP/tests/vm/compare.py" batch later) >> "$o/share/guest.log" 2>&1
}

# $jobs lanes; each lane boots the next guest no lane has taken yet (mkdir is atomic), so a
# lane that finishes early starts the next guest at once (the longest guests come first in
# GUESTS); each guest's result is read once all have finished
while IFS= read -r line; do
	name=${line%%|*}
	if [ -n "${OG_VM_ONLY:-}" ] && ! echo " $OG_VM_ONLY " | grep -q " $name "; then continue; fi
	echo "$name" >> "$TMP/booted"
done <<EOF
$GUESTS
EOF
lane() {
	k=0
	while IFS= read -r line; do
		k=$((k + 1))
		grep -qx "${line%%|*}" "$TMP/booted" 2> /dev/null || continue
		mkdir "$TMP/claim.$k" 2> /dev/null || continue
		boot_one "$line"
	done <<EOF
$GUESTS
EOF
}
[ -n "${OG_VM_SLOTS:-}" ] && [ -z "${OG_VM_JOBS:-}" ] && jobs=$(echo "$GUESTS" | wc -l)
i=0
while [ $i -lt "$jobs" ]; do lane & i=$((i + 1)); done
wait

[ -f "$TMP/booted" ] || { fail "real guests: none booted"; exit 0; }
while read -r name; do
	o="$TMP/$name"
	rc=$(cat "$o/boot.rc" 2> /dev/null || echo "?")
	echo "# guest $name: $(sed -n 's/^accel: //p' "$o/summary" 2> /dev/null), $(sed -n 's/^seconds: //p' "$o/summary" 2> /dev/null) s (after $(sed -n 's/^waited: //p' "$o/summary" 2> /dev/null) s for a slot), $(sed -n 's/^result: //p' "$o/summary" 2> /dev/null)"
	ok=1
	if [ "$rc" != 0 ]; then
		fail "$name: the guest ran to the end ($(tail -n 1 "$o/boot.out"))"
		ok=0
	else
		pass "$name: the guest ran to the end"
		grep -E '^(PASS|FAIL): ' "$o/share/guest.log"
		n=$(grep -c '^PASS: ' "$o/share/guest.log")
		[ "$n" -ge 10 ] && pass "$name: $n checks passed inside" || { fail "$name: only $n checks passed inside"; ok=0; }
		grep -q '^FAIL: ' "$o/share/guest.log" && ok=0
		[ "$(cat "$o/share/rc")" = 0 ] || { fail "$name: the guest script exited $(cat "$o/share/rc")"; ok=0; }
		roms="$o/share/out/setup-data-roms.txt"
		if [ -s "$roms" ]; then
			# efi-rom-handover must want the NVIDIA card's own ROM: a GVT-g vGPU and a muxless
			# card are added to the guest's real snapshot, whose handed-over ROMs are not the card's
			python3 "$TOP/tests/vm/compare.py" add-nvidia "$o/share/out/probe.json" > "$o/nv.json"
			"$OG" --data-dir "$TOP" --snapshot "$o/nv.json" --json plan gvt-nouveau-offload > "$o/nv.plan" 2> "$o/nv.err"
			if python3 "$TOP/tests/vm/compare.py" handover-fails "$o/nv.plan" "$roms"; then
				pass "$name: efi-rom-handover fails without the card's own ROM, naming the ROMs handed over"
			else
				fail "$name: efi-rom-handover fails without the card's own ROM, naming the ROMs handed over"; ok=0
			fi
		fi
	fi
	[ -f "$o/share/out/caps.txt" ] && cat "$o/share/out/caps.txt" >> "$KEEP/capabilities.txt"
	if [ $ok = 0 ]; then
		mkdir -p "$KEEP/$name"
		cp -r "$o/console.log" "$o/summary" "$o/qemu.cmd" "$o/boot.out" "$o/share/guest.log" "$o/share/out" "$KEEP/$name/" 2> /dev/null
		echo "    console and guest files kept in $KEEP/$name/"
		tail -n 15 "$o/console.log" 2> /dev/null | sed 's/^/    | /'
	fi
done < "$TMP/booted"

# what the emulated devices really offer, against shared/MATRIX.md's words on QXL
if [ -f "$KEEP/capabilities.txt" ]; then
	echo "# RandR capabilities (guest, X configuration, provider, caps, device, role):"
	sed 's/^/#   /' "$KEEP/capabilities.txt"
	# q35-qxl is the guest that applies modesetting on QXL; OG_VM_ONLY may leave it out
	if grep -qx q35-qxl "$TMP/booted"; then
		c=$(awk '$1 == "q35-qxl" && $2 == "applied" && $3 == "modesetting" { print $4 }' "$KEEP/capabilities.txt")
		[ "$c" = cap=0x2 ] && pass "MATRIX: QXL-backed modesetting offers only Sink Output (cap 0x2)" \
			|| fail "MATRIX: QXL-backed modesetting offers only Sink Output (saw '${c:-nothing}')"
	else
		skip "MATRIX: QXL-backed modesetting: q35-qxl was not booted (OG_VM_ONLY=$OG_VM_ONLY)"
	fi
	c=$(awk '$3 ~ /modesetting|qxl/ { print $4 }' "$KEEP/capabilities.txt" | grep -v -E 'cap=0x[0-3]$')
	[ -z "$c" ] && pass "no emulated device offers Source Offload or Sink Offload (no glamor on llvmpipe)" \
		|| fail "an emulated device offers offload: $c"
fi
