# timeout: 2400 (real guests under QEMU)
# guests: boots real guests, so tests/run.sh starts it last (their pool: tests/vm/boot.sh)
# Real guests (tests/vm/boot.sh), part two: the boot service under the machine's own
# systemd, and ACPI in a real firmware. Two guests, side by side:
#
# systemd-on: the unit runs at boot and finishes before the display manager starts X.
# systemd-off: optimus-guest=off on the kernel command line; systemd skips the unit and X
#   still starts. Its boot also carries the ACPI test (acpi: lines): q35 + OVMF with two
#   devices behind PCIe root ports; acpi-table's embedded tables for the first and its
#   fw_cfg carrier for the second, loaded with -acpitable (and -fw_cfg). The guest kernel
#   must load them without an ACPI error, and _ROM evaluated by the real kernel on each
#   device's ACPI handle (tests/vm/romdump, a module built here against linux-headers) must
#   return the VBIOS byte for byte. (A guest of its own cost a boot: about 35 s of CPU.)
#
# A guest that fails keeps its directory (console.log, qemu.cmd, share/) in $OG_VM_KEEP
# (default build-san/vm-logs/NAME). Per-guest timeout: $OG_VM_TIMEOUT (default 600 s).
. "$TOP/tests/lib.sh"
if [ "${OG_VM:-1}" = 0 ]; then
	skip "ACPI and systemd guests left out: OG_VM=0 is set (debian/rules does, so a package build boots no VM); make check runs it"
	exit 0
fi
KEEP=${OG_VM_KEEP:-$TOP/build-san/vm-logs}
TIMEOUT=${OG_VM_TIMEOUT:-600}
VM="$TOP/tests/vm"

# boot NAME ARGS...: run one guest; PASS/FAIL with the reason; the guest's dir is $TMP/NAME
boot() {
	name=$1; shift
	rm -rf "${KEEP:?}/$name"
	sh "$VM/boot.sh" --name "$name" --out "$TMP/$name" --timeout "$TIMEOUT" "$@" 2> "$TMP/$name.err"
	rc=$?
	if [ $rc -eq 0 ]; then
		pass "$name: guest booted and ran its script ($(sed -n 's/^accel: //p' "$TMP/$name/summary"), $(sed -n 's/^seconds: //p' "$TMP/$name/summary") s, after $(sed -n 's/^waited: //p' "$TMP/$name/summary") s for a slot)"
		return 0
	fi
	fail "$name: guest did not finish: $(cat "$TMP/$name.err" | tr '\n' ' ')"
	keep "$name"
	return 1
}
# keep NAME: the guest's files stay for a failing case
keep() {
	mkdir -p "$KEEP" && cp -a "$TMP/$1" "$KEEP/$1" 2> /dev/null &&
		echo "    console and files kept in $KEEP/$1"
	[ -f "$TMP/$1/console.log" ] && tail -n 15 "$TMP/$1/console.log" | sed 's/^/    console| /'
}
# gcheck GUEST NAME CMD...: check, keeping the guest's files when it fails
gcheck() {
	g=$1 n=$2; shift 2
	if "$@"; then pass "$g: $n"; else fail "$g: $n"; keep "$g"; fi
}

for t in qemu-system-x86_64 make; do
	command -v $t > /dev/null || { fail "VM guests: $t not installed (deps.txt lists its package)"; exit 1; }
done
# the guest kernel: the running one, else the newest installed; one whose headers are
# installed (for the test module) first
kver=
for with in build ""; do
	for k in $(uname -r) $(ls /boot/vmlinuz-* 2> /dev/null | sed 's|^/boot/vmlinuz-||' | sort -V -r); do
		[ -f "/boot/vmlinuz-$k" ] && [ -d "/lib/modules/$k/kernel" ] && [ -e "/lib/modules/$k/$with" ] && { kver=$k; break 2; }
	done
done
[ -n "$kver" ] || { fail "VM guests: no /boot/vmlinuz-* with its /lib/modules (deps.txt lists linux-image-amd64)"; exit 1; }
export OG_VM_KERNEL="/boot/vmlinuz-$kver"

# ---- the boot service under the machine's own systemd ----
# The guest's PID 1 is /sbin/init (tests/vm/boot.sh --init systemd). The overlay installs
# the unit as 'make install' does (ExecStart pointed at the built binary, the data from
# the source tree through a drop-in), enabled as 'systemctl enable' does (WantedBy=
# graphical.target), and a stand-in display-manager.service that starts Xorg on :0;
# services of the machine that only slow a TCG boot are masked.
O="$TMP/overlay"
U="$O/etc/systemd/system"
mkdir -p "$U/graphical.target.wants" "$U/optimus-guest.service.d"
# The unit runs the plain build, the binary users install: the hardened unit's sandbox
# (no ptrace, a system call filter) stops LeakSanitizer in the ASan build at exit.
# Binary and data go where 'make install' puts them, inside the guest's overlay: the unit's
# PrivateTmp would hide a source tree under /tmp.
install -D -m 0755 "$TOP/build/optimus-guest" "$O/usr/local/bin/optimus-guest"
for d in profiles xorg-snippets signatures; do
	mkdir -p "$O/usr/local/share/optimus-guest/$d" && cp -R "$TOP/$d/." "$O/usr/local/share/optimus-guest/$d/"
done
cp "$TOP/data/optimus-guest.service" "$U/optimus-guest.service"
# under TCG the unit takes up to about 30 s (udev settles slowly, everything runs
# emulated), so its 30 s start timeout is raised here
printf '[Service]\nEnvironment=OPTIMUS_GUEST_DATA_DIR=/usr/local/share/optimus-guest\nTimeoutStartSec=300\n' > "$U/optimus-guest.service.d/test.conf"
ln -s ../optimus-guest.service "$U/graphical.target.wants/optimus-guest.service"
cat > "$U/display-manager.service" <<'UNIT'
[Unit]
Description=Stand-in display manager (optimus-guest VM test): Xorg on :0
After=systemd-user-sessions.service

[Service]
ExecStart=/usr/bin/Xorg :0 -nolisten tcp -noreset -logfile /var/log/Xorg.0.log vt7
UNIT
# (systemd-timesyncd alone held sysinit.target back by 8 s: Before=time-set.target; a
# console getty, binfmt, utmp, the journal's flush to disk and the API file systems
# nothing here reads cost a second or two of the one vCPU each)
for m in postgresql.service e2scrub_reap.service apt-daily.timer apt-daily-upgrade.timer man-db.timer \
	systemd-timesyncd.service systemd-binfmt.service proc-sys-fs-binfmt_misc.automount \
	systemd-update-utmp.service systemd-journal-flush.service systemd-random-seed.service \
	getty@tty1.service serial-getty@ttyS0.service dev-hugepages.mount dev-mqueue.mount \
	sys-kernel-tracing.mount sys-fs-fuse-connections.mount sys-kernel-config.mount \
	systemd-tmpfiles-clean.timer dpkg-db-backup.timer e2scrub_all.timer fstrim.timer acct.service cron.service; do
	ln -s /dev/null "$U/$m"
done

# boot_mode on|off: one systemd guest; its PASS/FAIL line goes to $TMP/boot-MODE.log
# (systemd-off also carries the ACPI test when its files were made: acpi=1, $A/args)
boot_mode() {
	mode=$1 script="$VM/systemd-guest.sh"
	# systemd-on boots SeaBIOS: it tests no UEFI part, and OVMF costs about 9 s of CPU under
	# TCG; systemd-off boots OVMF, the ACPI test's real firmware. The weights: about their
	# seconds on 2 cores (the pool starts the heaviest waiting guest first)
	fw=seabios w=33
	[ "$mode" = off ] && fw=ovmf w=50
	set -- --weight $w --machine q35 --firmware $fw --smp 1 --init systemd --device qxl-vga --overlay "$O" --append no_timer_check
	if [ "$mode" = off ]; then
		set -- "$@" --append optimus-guest=off
		if [ "${acpi:-0}" = 1 ]; then
			while IFS= read -r a; do set -- "$@" "$a"; done < "$A/args"
			script="$A/guest.sh"
		fi
	fi
	boot "systemd-$mode" "$@" --script "$script" > "$TMP/boot-$mode.log" 2>&1
}
# systemd-on boots while the ACPI tables and module for systemd-off are made
boot_mode on &

# ---- ACPI in a real firmware: the tables and the test module, made here ----
A="$TMP/acpi-files"
mkdir -p "$A/emb" "$A/fw" "$A/mod"
if [ -d "/lib/modules/$kver/build" ]; then
	cp "$VM/romdump/og_romdump.c" "$VM/romdump/Kbuild" "$A/mod/"
	if make -s -C "/lib/modules/$kver/build" M="$A/mod" modules > "$A/mod/build.log" 2>&1 && [ -f "$A/mod/og_romdump.ko" ]; then
		pass "acpi: og_romdump.ko built against the headers of $kver"
	else
		fail "acpi: og_romdump.ko does not build against /lib/modules/$kver/build"
		sed 's/^/    /' "$A/mod/build.log" | tail -n 10
	fi
else
	fail "acpi: no /lib/modules/$kver/build: install linux-headers-amd64 (deps.txt lists it) for the guest kernel $kver"
fi
# two VBIOS images of odd sizes (the last _ROM chunk is padded): 131073 bytes in three
# embedded tables, 70001 bytes through fw_cfg (past 64 KiB; acpi_table.sh runs 200001 bytes
# and more through acpiexec, where a byte costs nothing)
EMB=131073 FWS=70001
python3 "$TOP/tests/sh/acpi_mkrom.py" $EMB "$A/emb.rom"
python3 "$TOP/tests/sh/acpi_mkrom.py" $FWS "$A/fw.rom"
# the device at 01:00.0 behind the root port at 00:1c.0, the other at 02:00.0 behind 1c.1
expect_exit 0 "acpi: acpi-table writes the embedded tables for 01:00.0 behind root port 1c.0" \
	"$OG" acpi-table --vbios "$A/emb.rom" --slot 01:00.0 --root-port 1c.0 -o "$A/emb/t.aml"
cp "$TMP/out" "$A/emb.out"
expect_exit 0 "acpi: acpi-table writes the fw_cfg table for 02:00.0 behind root port 1c.1" \
	"$OG" acpi-table --vbios "$A/fw.rom" --slot 02:00.0 --root-port 1c.1 --source fw_cfg -o "$A/fw/t.aml"
cp "$TMP/out" "$A/fw.out"
# the QEMU arguments exactly as acpi-table prints them
set --
for a in $(sed -n '/^QEMU arguments:/{n;p}' "$A/emb.out" "$A/fw.out"); do set -- "$@" --qemu-extra "$a"; done
check "acpi: acpi-table printed -acpitable for 4 tables and one -fw_cfg" \
	[ "$(sed -n '/^QEMU arguments:/{n;p}' "$A/emb.out" "$A/fw.out" | grep -o -- '-acpitable\|-fw_cfg' | tr '\n' ' ')" = "-acpitable -acpitable -acpitable -acpitable -fw_cfg " ]
P1=$(sed -n 's/^_ROM at \\\([^ ]*\) .*/\1/p' "$A/emb.out") P2=$(sed -n 's/^_ROM at \\\([^ ]*\) .*/\1/p' "$A/fw.out")
check "acpi: the places are \\_SB.PCI0.SE0.S00 and \\_SB.PCI0.SE1.S00" [ "$P1 $P2" = "_SB.PCI0.SE0.S00 _SB.PCI0.SE1.S00" ]
# the guest's arguments for them (the systemd-off guest below), one per line
acpi=0
if [ -f "$A/mod/og_romdump.ko" ]; then
	acpi=1
	# Linux prints ACPI paths with each segment padded to four characters
	pad() { echo "$1" | sed 's/\([^.]*\)/\1____/g; s/\([^.]\{4\}\)_*/\1/g'; }
	{
		printf '%s\n' --device pcie-root-port,id=rp1,bus=pcie.0,addr=1c.0,chassis=1,multifunction=on \
			--device pcie-root-port,id=rp2,bus=pcie.0,addr=1c.1,chassis=2 \
			--device virtio-rng-pci,bus=rp1,addr=0.0 --device virtio-rng-pci,bus=rp2,addr=0.0
		for a in "$@"; do printf '%s\n' "$a"; done
		printf '%s\n' --file "$A/mod/og_romdump.ko" --env "OG=$OG" \
			--env "OG_ROMS=embedded:$(pad "$P1"):$EMB fw_cfg:$(pad "$P2"):$FWS"
	} > "$A/args"
	# its script: the ACPI part, then the systemd guests' own
	cat "$VM/acpi-guest.sh" "$VM/systemd-guest.sh" > "$A/guest.sh"
fi

boot_mode off &
wait

# prop FILE NAME: one property of 'systemctl show'
prop() { sed -n "s/^$2=//p" "$1"; }
for mode in on off; do
	name=systemd-$mode
	cat "$TMP/boot-$mode.log"
	grep -q '^PASS: ' "$TMP/boot-$mode.log" || continue
	G="$TMP/$name/share/out"
	gcheck $name "PID 1 is systemd ($(cat "$G/pid1.txt"))" [ "$(cat "$G/pid1.txt")" = systemd ]
	gcheck $name "the stand-in display manager started Xorg ($(cat "$G/waited.txt"))" \
		sh -c "[ '$(prop "$G/display-manager.show" ActiveState)' = active ] && grep -q 'Log file: \"/var/log/Xorg.0.log\"' '$G/Xorg.0.log'"
	gcheck $name "systemd sees a VM, not a container ($(cat "$G/virt.txt"))" grep -qx 'vm [a-z]*' "$G/virt.txt"
	if [ $mode = off ]; then
		gcheck $name "optimus-guest=off: systemd skipped the unit (ConditionResult=$(prop "$G/optimus-guest.show" ConditionResult))" \
			sh -c "[ '$(prop "$G/optimus-guest.show" ConditionResult)' = no ] && [ '$(prop "$G/optimus-guest.show" ExecMainStartTimestampMonotonic)' = 0 ] &&
				grep -q 'skipped because of an unmet condition check (ConditionKernelCommandLine=!optimus-guest=off)' '$G/optimus-guest.journal'"
		gcheck $name "optimus-guest=off: nothing written to /etc/X11/xorg.conf.d" sh -c "! grep -q optimus-guest '$G/xorg.conf.d.txt'"
		continue
	fi
	og_start=$(prop "$G/optimus-guest.show" ExecMainStartTimestampMonotonic)
	og_end=$(prop "$G/optimus-guest.show" ExecMainExitTimestampMonotonic)
	og_in=$(prop "$G/optimus-guest.show" InactiveExitTimestampMonotonic)
	og_fin=$(prop "$G/optimus-guest.show" InactiveEnterTimestampMonotonic)
	dm_start=$(prop "$G/display-manager.show" ExecMainStartTimestampMonotonic)
	gcheck $name "optimus-guest.service ran and succeeded (Result=$(prop "$G/optimus-guest.show" Result), status $(prop "$G/optimus-guest.show" ExecMainStatus))" \
		sh -c "[ '$(prop "$G/optimus-guest.show" Result)' = success ] && [ '$(prop "$G/optimus-guest.show" ExecMainStatus)' = 0 ] && [ '${og_end:-0}' -gt 0 ]"
	gcheck $name "it finished before the display manager started (at $og_end us, Xorg at $dm_start us since boot)" \
		[ "${og_end:-0}" -gt 0 -a "${dm_start:-0}" -ge "${og_end:-0}" ]
	# systemd-analyze blame refuses while the boot is not finished, and the harness's own
	# test unit is part of the boot: the same figures come from systemctl show and the journal
	echo "    $name: optimus-guest.service took $(( (${og_fin:-0} - ${og_in:-0}) / 1000 )) ms from start to finish, apply --boot $(( (${og_end:-0} - ${og_start:-0}) / 1000 )) ms of it (TCG)"
	gcheck $name "the journal shows the unit started and finished" \
		sh -c "grep -q 'Starting optimus-guest.service' '$G/optimus-guest.journal' && grep -q 'Finished optimus-guest.service' '$G/optimus-guest.journal'"
	gcheck $name "apply --boot logged its decision to the journal" grep -q 'optimus-guest\[[0-9]*\]: ' "$G/optimus-guest.journal"
	grep 'systemd\[1\]: \(Starting\|Finished\) optimus-guest\|optimus-guest\[[0-9]*\]: ' "$G/optimus-guest.journal" | sed 's/ - Xorg configuration.*//; s/^/    journal| /'
done

# ---- ACPI: what the systemd-off guest's kernel made of the tables ----
# acheck NAME CMD...: an ACPI check; a failure keeps the systemd-off guest's files
acheck() {
	n=$1; shift
	if "$@"; then pass "acpi: $n"; else fail "acpi: $n"; keep systemd-off; fi
}
rom_ok() { expr "$1" : 'ok: .* replies 4096\.\.4096 bytes' > /dev/null; }
if [ $acpi = 1 ] && grep -q '^PASS: ' "$TMP/boot-off.log"; then
	G="$TMP/systemd-off/share/out"
	n=$(grep -c 'ACPI: SSDT .*OPTGST VBIOS' "$G/dmesg.txt")
	acheck "the kernel loaded our 4 SSDTs (dmesg: $n)" [ "$n" -eq 4 ]
	acheck "no ACPI error or warning while loading them" sh -c "! grep -iE 'ACPI (BIOS )?(Error|Warning)|AE_[A-Z_]+' '$G/dmesg-after.txt'"
	grep -iE 'ACPI (BIOS )?(Error|Warning)|AE_[A-Z_]+' "$G/dmesg-after.txt" | head -n 5 | sed 's/^/    /'
	acheck "probe lists SSDT(VBIOSROM)" grep -q 'SSDT[0-9]*(VBIOSROM)' "$G/probe.txt"
	for c in embedded:emb fw_cfg:fw; do
		carrier=${c%%:*} rom="$A/${c#*:}.rom"
		st=$(cat "$G/status-$carrier.txt" 2> /dev/null)
		acheck "$carrier: the kernel's _ROM on the device's ACPI handle: $st" rom_ok "$st"
		acheck "$carrier: _ROM returned the VBIOS byte for byte ($(stat -c %s "$rom") bytes)" cmp "$rom" "$G/rom-$carrier.bin"
		t=$(awk '{ printf "%.1f", $2 - $1 }' "$G/time-$carrier.txt" 2> /dev/null)
		echo "    $carrier: read in $t s (TCG)"
	done
elif [ $acpi = 1 ]; then
	fail "acpi: the systemd-off guest, which carries the ACPI test, did not finish"
fi
