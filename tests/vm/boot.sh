#!/bin/sh
# tests/vm/boot.sh: boot a real Linux guest under QEMU and run one script inside it.
#
#   tests/vm/boot.sh --out DIR --script FILE [--machine q35|pc] [--firmware ovmf|seabios]
#                    [--entry pvh|bzimage]
#                    [--device ARGS]... [--qemu-extra ARG]... [--append WORDS]
#                    [--env NAME=VALUE]... [--init stage2|systemd] [--timeout SECONDS]
#                    [--memory SIZE] [--smp N] [--name NAME] [--file FILE]... [--overlay DIR]
#                    [--weight SECONDS]
#
# The guest is the machine itself: Debian's kernel (/boot/vmlinuz-*, or $OG_VM_KERNEL), a
# small initramfs (static busybox and the virtio/9p/overlay modules `modprobe --show-depends`
# resolves), the machine's own `/` shared read-only over virtio-9p with a tmpfs overlay on
# top, so nothing reaches the machine's disk except DIR/share, the writable output share.
#
# Inside, the share is mounted at /og-vm and holds:
#   /og-vm/script     a copy of FILE (run with /bin/sh; $OG_VM_OUT=/og-vm/out for files)
#   /og-vm/env        the --env assignments, exported before the script runs
#   /og-vm/files/     copies of the --file FILEs (same base names)
#   /og-vm/overlay/   a copy of the --overlay DIR, copied onto the guest's / before its PID 1
#                     starts (units and their .wants links, configuration files)
#   /og-vm/out/       where the script puts files (host: DIR/share/out/)
#   /og-vm/guest.log  the script's stdout and stderr (PASS:/FAIL: lines)
#   /og-vm/rc         the script's exit status; /og-vm/done once everything was synced
# With --init stage2 (the default) PID 1 is a small shell stage: it starts udev
# (systemd-udevd; trigger of the pci, virtio, drm, graphics and platform devices, whose drivers and
# nodes the tool reads; settle) so drivers load as on a real system, runs the script,
# syncs and powers off. With --init systemd the overlay's PID 1 is the machine's
# /sbin/init; the harness enables a unit og-vm-test.service (After=multi-user.target) that
# runs the same stage (without starting its own udev) and powers off; the caller adds its
# own units with its script or through /og-vm (see og-vm-test.service below).
#
# --device ARGS     one QEMU -device value (repeatable), e.g. --device qxl-vga
# --qemu-extra ARG  one more QEMU argument, passed as is (repeatable, in order)
# --append WORDS    added to the kernel command line
# --firmware ovmf   q35/pc with OVMF (a private copy of OVMF_VARS_4M.fd); seabios: QEMU's
# --entry pvh       (SeaBIOS only, its default) the kernel's own ELF image, unpacked from the
#                   bzImage once per run (tests/vm/vmlinux.sh; $OG_VM_SLOTS, else DIR) and
#                   entered through its PVH note: about 3 s less of a guest's CPU under TCG.
#                   bzimage: the bzImage through its real-mode entry, as a boot loader does.
#                   OVMF always runs the bzImage's EFI stub.
# --timeout N       seconds before the guest is killed (default 300, $OG_VM_TIMEOUT)
# --weight N        about how many seconds the guest runs: of the guests waiting for the
#                   pool (below), the heaviest starts first (default 0)
# The accelerator is KVM when /dev/kvm works with real VMX/SVM, TCG otherwise (a
# paravirtualised KVM, /sys/module/kvm_pvm, cannot run OVMF); $OG_VM_ACCEL=kvm|tcg forces it.
#
# Host side, DIR gets: console.log (serial console and QEMU's messages), qemu.cmd (the
# command line), initrd.cpio.gz, summary (accel, seconds, result), share/ (see above).
# Exit status: 0 the guest ran the script to the end and powered off (the script's own
# status is in DIR/share/rc); 2 bad arguments or missing host files (reason on stderr);
# 3 QEMU could not start (its message on stderr); 4 timeout; 5 the guest stopped without
# finishing (kernel panic, script killed). The reason is printed on stderr in every case.
set -u
here=$(cd "$(dirname "$0")" && pwd)
machine=q35 firmware=ovmf entry= out= script= overlay= append= init=stage2 memory=2G smp=2 name=guest weight=0
timeout=${OG_VM_TIMEOUT:-300}
devs=$(mktemp) extra=$(mktemp) envs=$(mktemp) files=$(mktemp)
me=
trap 'rm -f "$devs" "$extra" "$envs" "$files" ${me:+"$me"}' EXIT
die() { echo "boot.sh: $*" >&2; exit 2; }
while [ $# -gt 0 ]; do
	case $1 in
	--machine) machine=${2:?}; shift 2 ;;
	--firmware) firmware=${2:?}; shift 2 ;;
	--entry) entry=${2:?}; shift 2 ;;
	--device) printf '%s\n' "${2:?}" >> "$devs"; shift 2 ;;
	--qemu-extra) printf '%s\n' "${2:?}" >> "$extra"; shift 2 ;;
	--append) append="$append ${2:?}"; shift 2 ;;
	--env) printf 'export %s\n' "$(printf '%s' "${2:?}" | sed "s/=\(.*\)/='\1'/")" >> "$envs"; shift 2 ;;
	--script) script=${2:?}; shift 2 ;;
	--overlay) overlay=${2:?}; shift 2 ;;
	--file) printf '%s\n' "${2:?}" >> "$files"; shift 2 ;;
	--out) out=${2:?}; shift 2 ;;
	--init) init=${2:?}; shift 2 ;;
	--timeout) timeout=${2:?}; shift 2 ;;
	--memory) memory=${2:?}; shift 2 ;;
	--smp) smp=${2:?}; shift 2 ;;
	--name) name=${2:?}; shift 2 ;;
	--weight) weight=${2:?}; shift 2 ;;
	*) die "unknown argument '$1' (see the top of $0)" ;;
	esac
done
[ -n "$out" ] || die "--out DIR is required"
[ -n "$script" ] && [ -f "$script" ] || die "--script FILE is required and must exist ('$script')"
case $machine in q35|pc) ;; *) die "--machine must be q35 or pc, not '$machine'" ;; esac
case $firmware in ovmf|seabios) ;; *) die "--firmware must be ovmf or seabios, not '$firmware'" ;; esac
case $init in stage2|systemd) ;; *) die "--init must be stage2 or systemd, not '$init'" ;; esac
case $weight in *[!0-9]*|'') die "--weight must be a number of seconds, not '$weight'" ;; esac
case $firmware/${entry:=$([ "$firmware" = ovmf ] && echo bzimage || echo pvh)} in
ovmf/bzimage|seabios/pvh|seabios/bzimage) ;;
*) die "--entry $entry with --firmware $firmware: OVMF boots the bzImage only" ;;
esac

# The kernel: $OG_VM_KERNEL, else the running kernel's if installed, else the newest
# /boot/vmlinuz-* that has its modules (a CI machine runs another kernel than it installs).
kernel=${OG_VM_KERNEL:-}
if [ -z "$kernel" ]; then
	[ -f "/boot/vmlinuz-$(uname -r)" ] && [ -d "/lib/modules/$(uname -r)/kernel" ] &&
		kernel=/boot/vmlinuz-$(uname -r)
fi
if [ -z "$kernel" ]; then
	for k in $(ls /boot/vmlinuz-* 2> /dev/null | sort -V -r); do
		[ -d "/lib/modules/${k#/boot/vmlinuz-}/kernel" ] && { kernel=$k; break; }
	done
fi
[ -n "$kernel" ] && [ -r "$kernel" ] ||
	die "no readable /boot/vmlinuz-* with its /lib/modules tree: install linux-image-amd64"
kver=${kernel#*/vmlinuz-}
[ -d "/lib/modules/$kver" ] || die "$kernel has no /lib/modules/$kver: install its modules"
command -v qemu-system-x86_64 > /dev/null || die "qemu-system-x86_64 not found: install qemu-system-x86"
[ -x /bin/busybox ] && ldd /bin/busybox 2>&1 | grep -q 'not a dynamic' ||
	die "/bin/busybox is missing or not static: install busybox-static"
ovmf_code=/usr/share/OVMF/OVMF_CODE_4M.fd ovmf_vars=/usr/share/OVMF/OVMF_VARS_4M.fd
if [ "$firmware" = ovmf ]; then
	[ -r "$ovmf_code" ] && [ -r "$ovmf_vars" ] || die "$ovmf_code missing: install ovmf"
fi

# in the pool's queue (slot_take below) before the preparations, so that guests started
# together are all seen there when the first slot is given
if [ -n "${OG_VM_SLOTS:-}" ]; then
	mkdir -p "$OG_VM_SLOTS" || die "cannot create $OG_VM_SLOTS"
	me="$OG_VM_SLOTS/wait.$(printf %05d "$weight").$$"
	: > "$me"
fi
t0=$(date +%s)

rm -rf "$out/share"
mkdir -p "$out/share/out" || die "cannot create $out/share"
out=$(cd "$out" && pwd)
cp "$script" "$out/share/script"
cp "$envs" "$out/share/env"
cp "$here/stage2.sh" "$out/share/stage2.sh"
# the source tree, which the guest mounts back when its /tmp, /run or /dev/shm would hide it
(cd "$here/../.." && pwd) > "$out/share/top"
mkdir -p "$out/share/files"
if [ -n "$overlay" ]; then
	mkdir -p "$out/share/overlay" && cp -a "$overlay/." "$out/share/overlay/" || die "cannot copy --overlay $overlay"
fi
while IFS= read -r f; do cp "$f" "$out/share/files/" || die "cannot copy --file $f"; done < "$files"
rm -f "$out/console.log" "$out/summary"

# --entry pvh: the kernel's ELF image, unpacked once per run
if [ "$entry" = pvh ]; then
	kernel=$(sh "$here/vmlinux.sh" "$kernel" "${OG_VM_SLOTS:-$out}") || die "cannot boot $kernel through PVH: use --entry bzimage"
fi

# initramfs: busybox, the modules, /init; rebuilt each boot (about a second).
"$here/mkinitrd.sh" "$kver" "$init" "$out/initrd.cpio.gz" || die "cannot build the initramfs"

# Accelerator.
accel=${OG_VM_ACCEL:-}
if [ -z "$accel" ]; then
	accel=tcg
	if [ -w /dev/kvm ] && [ ! -d /sys/module/kvm_pvm ] && grep -qwE 'vmx|svm' /proc/cpuinfo; then
		accel=kvm
	fi
fi
why_accel="TCG"
[ -d /sys/module/kvm_pvm ] && why_accel="TCG (/dev/kvm is a paravirtualised KVM, kvm_pvm, which cannot run OVMF)"
[ -e /dev/kvm ] || why_accel="TCG (no /dev/kvm)"

set --
if [ "$firmware" = ovmf ]; then
	cp "$ovmf_vars" "$out/vars.fd"
	set -- -drive "if=pflash,format=raw,readonly=on,file=$ovmf_code" \
		-drive "if=pflash,format=raw,file=$out/vars.fd"
fi
while IFS= read -r d; do set -- "$@" -device "$d"; done < "$devs"
while IFS= read -r d; do set -- "$@" "$d"; done < "$extra"

# A pool of guest slots shared by every suite that boots guests: tests/run.sh sets OG_VM_SLOTS
# (a directory) and OG_VM_POOL (the cores present). Under TCG, more guests than cores slow
# each other down by more than they gain. A slot is a lock on a file, so a guest killed by
# its timeout frees it. A waiting guest is a file wait.WEIGHT.PID; only the heaviest one
# (a file whose process is gone is stale) takes a free slot, so the longest guests start
# first and the last to end is a short one.
slot_take() {
	waited=0
	[ -n "$me" ] || return 0
	[ -f "$me" ] || : > "$me"
	while :; do
		first=
		for w in $(ls -r "$OG_VM_SLOTS" | grep '^wait\.'); do
			kill -0 "${w##*.}" 2> /dev/null && { first=$OG_VM_SLOTS/$w; break; }
			rm -f "$OG_VM_SLOTS/$w"
		done
		if [ "$first" = "$me" ]; then
			i=0
			while [ $i -lt "${OG_VM_POOL:-2}" ]; do
				exec 9> "$OG_VM_SLOTS/slot.$i"
				flock -n 9 && { rm -f "$me"; waited=$(($(date +%s) - t0)); t0=$(date +%s); return 0; }
				i=$((i + 1))
			done
			exec 9>&-
		fi
		sleep 0.5
	done
}
run_qemu() { # $1 = accel, then the machine-specific arguments
	case $1 in
	kvm) acc="-accel kvm -cpu host" ;;
	*) acc="-accel tcg,thread=multi -cpu max" ;;
	esac
	shift
	# shellcheck disable=SC2086
	printf '%s ' qemu-system-x86_64 -machine "$machine" $acc -m "$memory" -smp "$smp" "$@" > "$out/qemu.cmd"
	echo >> "$out/qemu.cmd"
	slot_take
	start=$(date +%s)
	# shellcheck disable=SC2086
	timeout -k 5 "$timeout" qemu-system-x86_64 -machine "$machine" $acc -m "$memory" -smp "$smp" \
		-nodefaults -no-user-config -nographic -serial stdio -monitor none -no-reboot \
		-vga none "$@" \
		-fsdev local,id=fsroot,path=/,security_model=none,readonly=on,multidevs=remap \
		-device virtio-9p-pci,fsdev=fsroot,mount_tag=hostroot \
		-fsdev "local,id=fsio,path=$out/share,security_model=none" \
		-device virtio-9p-pci,fsdev=fsio,mount_tag=io \
		-kernel "$kernel" -initrd "$out/initrd.cpio.gz" \
		-append "console=ttyS0 panic=-1 quiet loglevel=4 og_init=$init$append" \
		< /dev/null > "$out/console.log" 2>&1
	qrc=$?
	secs=$(($(date +%s) - start))
	exec 9>&-
}
run_qemu "$accel" "$@"
if [ "$accel" = kvm ] && [ ! -f "$out/share/done" ] && [ "$qrc" -ne 124 ]; then
	echo "boot.sh: KVM boot failed (exit $qrc), retrying with TCG" >> "$out/console.log"
	cp "$out/console.log" "$out/console-kvm.log"
	accel=tcg why_accel="TCG (KVM failed: see console-kvm.log)"
	[ "$firmware" = ovmf ] && cp "$ovmf_vars" "$out/vars.fd"
	run_qemu tcg "$@"
fi
[ "$accel" = kvm ] && why_accel="KVM"
{
	echo "guest: $name"
	echo "accel: $why_accel"
	echo "kernel: $kernel ($entry)"
	echo "seconds: $secs"
	echo "waited: $waited"
} > "$out/summary"
if [ -f "$out/share/done" ]; then
	echo "result: finished (script exit $(cat "$out/share/rc" 2> /dev/null))" >> "$out/summary"
	exit 0
fi
if [ "$qrc" -eq 124 ] || [ "$qrc" -eq 137 ]; then
	echo "result: timeout after ${timeout}s" >> "$out/summary"
	echo "boot.sh: $name: timeout after ${timeout}s (console: $out/console.log)" >&2
	exit 4
fi
if [ ! -f "$out/share/started" ] && grep -q '^qemu-system-x86_64: ' "$out/console.log"; then
	echo "result: QEMU could not start (exit $qrc)" >> "$out/summary"
	echo "boot.sh: $name: QEMU could not start (exit $qrc): $(grep '^qemu-system-x86_64: ' "$out/console.log" | head -n 3 | tr '\n' ' ')" >&2
	exit 3
fi
echo "result: guest stopped without finishing (QEMU exit $qrc)" >> "$out/summary"
echo "boot.sh: $name: the guest stopped before its script finished (QEMU exit $qrc); console: $out/console.log" >&2
exit 5
