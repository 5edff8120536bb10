# timeout: 1200 (real guests under QEMU)
# host check against a real kernel's sysfs: a QEMU q35 guest (TCG) with an emulated Intel
# IOMMU (intel_iommu=on), Debian's kernel with i915 enable_gvt=1, kvmgt, vfio-pci and mdev
# loaded from its own modules, and a two-function device behind a PCIe root port bound to
# vfio-pci. optimus-guest runs inside it on / and prints its JSON on the serial console.
# QEMU has no Intel iGPU or NVIDIA card to offer, so those checks must fail; the IOMMU,
# enable_gvt and module checks must pass, read from the kernel itself.
. "$TOP/tests/lib.sh"
if [ "${OG_VM:-1}" = 0 ]; then
	skip "host check in a real guest left out: OG_VM=0 is set (debian/rules does, so a package build boots no VM); make check runs it"
	exit 0
fi
K=$(ls /lib/modules 2> /dev/null | while read -r v; do [ -f "/boot/vmlinuz-$v" ] && [ -f "/lib/modules/$v/kernel/drivers/gpu/drm/i915/kvmgt.ko" ] && echo "$v"; done | sort -V | tail -1)
for c in qemu-system-x86_64 busybox cpio modprobe; do
	command -v $c > /dev/null || { fail "host VM: $c missing (deps.txt lists its package)"; exit 0; }
done
[ -n "$K" ] || { fail "host VM: no /boot/vmlinuz-* with kvmgt.ko (deps.txt lists linux-image-amd64)"; exit 0; }

R="$TMP/initrd"
mkdir -p "$R/bin" "$R/proc" "$R/sys" "$R/dev" "$R/mods" "$R/tmp"
cp "$(command -v busybox)" "$R/bin/busybox"
for a in sh mount insmod echo cat poweroff sleep ls readlink mkdir; do ln -s busybox "$R/bin/$a"; done
n=0
for mod in vfio-pci kvmgt; do modprobe -S "$K" --show-depends $mod; done | awk '$1 == "insmod" {print $2}' | awk '!seen[$0]++' > "$TMP/mods"
while read -r m; do n=$((n + 1)); cp "$m" "$R/mods/$(printf %02d $n)-$(basename "$m")"; done < "$TMP/mods"
# host check runs in the helper binary beside optimus-guest: both, and their libraries
H="$(dirname "$OG")/optimus-guest-libvirt"
for f in "$OG" "$H" $(ldd "$OG" "$H" | awk '/=>/ {print $3} /^\t\/lib/ {print $1}' | sort -u); do
	mkdir -p "$R$(dirname "$f")"; cp -L "$f" "$R$f"
done
cat > "$R/init" << 'EOI'
#!/bin/sh
mount -t proc proc /proc; mount -t sysfs sys /sys; mount -t devtmpfs dev /dev
for m in /mods/*.ko; do
	case $m in *-i915.ko) insmod "$m" enable_gvt=1 ;; *) insmod "$m" ;; esac 2>&1 | grep -v "File exists"
done
for d in 0000:01:00.0 0000:01:00.1; do
	echo vfio-pci > /sys/bus/pci/devices/$d/driver_override
	echo $d > /sys/bus/pci/drivers_probe
done
echo; echo "==BEGIN-JSON=="; OG_BIN --json host check; echo "==END-JSON== rc=$?"
echo "==BEGIN-LINKS=="
for d in /sys/bus/pci/devices/*; do echo "$(basename $d) $(readlink $d) $(readlink $d/iommu_group) $(readlink $d/driver)"; done
ls /sys/class/iommu /sys/kernel/iommu_groups; cat /sys/module/i915/parameters/enable_gvt
echo "==END-LINKS=="
poweroff -f
EOI
sed -i "s|OG_BIN|ASAN_OPTIONS=detect_leaks=0 $OG|" "$R/init"
chmod +x "$R/init"
(cd "$R" && find . | cpio -o -H newc 2> /dev/null) > "$TMP/initrd.cpio"

# the kernel's ELF image through its PVH entry: the bzImage's decompressor costs seconds under TCG
kernel=$(sh "$TOP/tests/vm/vmlinux.sh" "/boot/vmlinuz-$K" "${OG_VM_SLOTS:-$TMP}") || kernel=/boot/vmlinuz-$K
timeout 300 qemu-system-x86_64 -machine q35,kernel-irqchip=split -accel tcg -cpu max -m 1G -smp 1 \
	-nodefaults -no-user-config -nographic -serial mon:stdio -no-reboot \
	-device intel-iommu,intremap=on \
	-device pcie-root-port,id=rp,bus=pcie.0,addr=1c.0,chassis=2 \
	-device ich9-intel-hda,bus=rp,addr=0.0,multifunction=on -device qemu-xhci,bus=rp,addr=0.1 \
	-kernel "$kernel" -initrd "$TMP/initrd.cpio" \
	-append "console=ttyS0 panic=-1 intel_iommu=on quiet" < /dev/null > "$TMP/console" 2>&1
rc=$?
check "host VM: booted and powered off (qemu exit $rc)" [ $rc = 0 ]
tr -d '\r' < "$TMP/console" | sed -n '/==BEGIN-JSON==$/,/^==END-JSON==/p' | sed '1d;$d' > "$TMP/vm.json"
tr -d '\r' < "$TMP/console" | sed -n '/^==BEGIN-LINKS==$/,/^==END-LINKS==$/p' > "$TMP/links"
check "host VM: host check exits 3 (no iGPU, no NVIDIA card in QEMU)" grep -q "^==END-JSON== rc=3" "$TMP/console"
python3 - "$TMP/vm.json" > "$TMP/verdicts" 2>&1 << 'EOP'
import json, sys
d = json.load(open(sys.argv[1]))
for c in d["checks"]:
    print(c["id"], "passed" if c["passed"] else "failed", c["message"])
EOP
v() { grep -q "^$1 $2" "$TMP/verdicts"; }
check "host VM: JSON parses" [ -s "$TMP/verdicts" ]
check "host VM: iommu passes on the kernel's own DMAR unit and groups" v iommu "passed IOMMU on: 1 unit(s) in /sys/class/iommu"
check "host VM: gvt-enabled reads i915's real enable_gvt (Y)" v gvt-enabled "passed GVT-g is enabled"
check "host VM: modules sees kvmgt, vfio_pci and mdev in the real /sys/module" v modules "passed kvmgt, vfio_pci and mdev are loaded"
check "host VM: igpu-gvt names the missing iGPU" v igpu-gvt "failed no Intel display device"
check "host VM: nvidia-card names the missing card" v nvidia-card "failed no NVIDIA display device"
check "host VM: the device behind the root port is bound to vfio-pci in its group" grep -q "^0000:01:00.0 ../../../devices/pci0000:00/0000:00:1c.0/0000:01:00.0 ../../../../kernel/iommu_groups/[0-9]* ../../../../bus/pci/drivers/vfio-pci$" "$TMP/links"
# the recorded trees use the same link forms as this kernel
fl=$(cd "$FIX/host-ready/sys/bus/pci/devices" && readlink 0000:01:00.0/iommu_group)
check "host VM: fixtures' iommu_group links have the kernel's form ($fl)" sh -c "case '$fl' in ../../../../kernel/iommu_groups/[0-9]*) true ;; *) false ;; esac"
g1=$(awk '$1 == "0000:01:00.0" {print $3}' "$TMP/links"); g2=$(awk '$1 == "0000:01:00.1" {print $3}' "$TMP/links")
check "host VM: two functions of one device share their IOMMU group, as host-shared-audio records" sh -c "[ -n '$g1' ] && [ '$g1' = '$g2' ]"
[ -s "$TMP/vm.json" ] || { echo "console (last 30 lines):"; tr -d '\r' < "$TMP/console" | tail -30; }
