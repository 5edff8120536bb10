# libvirt check / fix / --qemu-args on real inputs (tests/fixtures/libvirt/real, with provenance in
# its README) and on the forms public write-ups use: every behaviour of issue 15's libvirt part.
. "$TOP/tests/lib.sh"
R="$FIX/libvirt/real"
H="$TMP/host"
ROM=/var/lib/libvirt/vbios/gtx960m.rom

# a host tree: DEV VENDOR DEVICE SUBVENDOR SUBDEVICE CLASS
dev() {
	d="$H/sys/bus/pci/devices/$1"
	mkdir -p "$d"
	printf '0x%s\n' "$2" > "$d/vendor"; printf '0x%s\n' "$3" > "$d/device"
	printf '0x%s\n' "$4" > "$d/subsystem_vendor"; printf '0x%s\n' "$5" > "$d/subsystem_device"
	printf '0x%s\n' "$6" > "$d/class"
}
mkdir -p "$H/var/lib/libvirt/vbios" "$H/var/lib/libvirt/acpi"
dev 0000:06:12.5 10de 139b 1028 06e4 030200   # pci-rom.xml's first hostdev: the NVIDIA card
dev 0000:06:12.6 8086 10fb 8086 0003 020000   # its second: a NIC
dev 0000:06:12.1 10de 139b 1028 06e4 030200   # hostdev-vfio's card
dev 0000:01:00.0 10de 139b 1028 06e4 030200   # the write-up script's card
cp "$FIX/host-laptop$ROM" "$H$ROM"
# the VBIOS of another card (device 1c8d), checksum kept good
python3 - "$H$ROM" "$H/var/lib/libvirt/vbios/gtx1050.rom" <<'PY'
import sys
r = bytearray(open(sys.argv[1], 'rb').read())
r[0x196:0x198] = (0x1c8d).to_bytes(2, 'little')
r[-1] = (r[-1] - sum(r)) % 256
open(sys.argv[2], 'wb').write(r)
PY
lv() { "$OG" --root "$H" libvirt "$@"; }
noformat() { ! grep -E '%[0-9.]*(ll|l)?[xudsc]' "$TMP/out" "$TMP/err"; }

# ---- libvirt's pci-rom.xml: <rom bar='off'/> on the card, SeaBIOS ----
expect_exit 3 "pci-rom.xml: check fails" lv check "$R/pci-rom.xml"
check "rom bar='off' is an error under the nouveau goal" grep -q "^  error    nvidia-rom-bar: the card's ROM BAR is off (<rom bar='off'/>)" "$TMP/out"
check "SeaBIOS: the EFI hand-over cannot happen" grep -q "^  error    efi-rom-handover: no UEFI firmware (SeaBIOS: no <loader> and no firmware='efi'): without EFI the hand-over cannot happen" "$TMP/out"
check "no printf format reaches the output" noformat
expect_exit 3 "pci-rom.xml --goal nvidia" lv check "$R/pci-rom.xml" --goal nvidia
check "goal nvidia: no rom-bar error" sh -c "! grep -q nvidia-rom-bar '$TMP/out'"
check "goal nvidia: the messages speak of the NVIDIA driver" sh -c "grep -q 'the NVIDIA driver' '$TMP/out' && ! grep -q 'nouveau finds' '$TMP/out'"
check "goal nvidia: no hand-over check" sh -c "! grep -q efi-rom-handover '$TMP/out'"
expect_exit 0 "pci-rom.xml: fix" lv fix "$R/pci-rom.xml"
cp "$TMP/out" "$TMP/pci-rom.fixed.xml"; cp "$TMP/err" "$TMP/pci-rom.fix.err"
check "fix says it removed bar='off'" grep -q "fixed: removed bar='off' from the NVIDIA hostdev's <rom>" "$TMP/pci-rom.fix.err"
diff "$R/pci-rom.xml" "$TMP/pci-rom.fixed.xml" | grep '^<' > "$TMP/removed"
printf '%s\n' "< <domain type='qemu'>" "<       <rom bar='off'/>" > "$TMP/removed.want"
same_file "fix removes only the card's bar='off' (and rewrites <domain> for the namespace)" "$TMP/removed.want" "$TMP/removed"
check "the other hostdev's <rom bar='on' file=...> is kept" grep -q "<rom bar='on' file='/etc/fake/bootrom.bin'/>" "$TMP/pci-rom.fixed.xml"
expect_exit 0 "fix of the fixed domain" lv fix "$TMP/pci-rom.fixed.xml"
same_file "fix of the fixed domain changes nothing" "$TMP/pci-rom.fixed.xml" "$TMP/out"
check "and says nothing changed" sh -c "grep -q 'nothing to fix' '$TMP/err' && ! grep -q 'fixed:' '$TMP/err'"
expect_exit 0 "fix --goal nvidia keeps bar='off'" lv fix "$R/pci-rom.xml" --goal nvidia
check "goal nvidia: bar='off' still there" grep -q "<rom bar='off'/>" "$TMP/out"

# ---- fix --vbios: the VBIOS must be this card's ----
expect_exit 1 "fix --vbios of another device is refused" lv fix "$R/pci-rom.xml" --vbios /var/lib/libvirt/vbios/gtx1050.rom
check "refusal names both ids and --force" grep -q "VBIOS of device 10de:1c8d, but the card passed through is 10de:139b.*--force" "$TMP/err"
check "refused: nothing printed" test ! -s "$TMP/out"
expect_exit 0 "fix --vbios --force uses it with a warning" lv fix "$R/pci-rom.xml" --vbios /var/lib/libvirt/vbios/gtx1050.rom --force
check "--force: warning" grep -q "not of the card (10de:139b); used anyway (--force)" "$TMP/err"
cp "$TMP/out" "$TMP/wrongrom.xml"
expect_exit 3 "check: a ROM of another device is an error" lv check "$TMP/wrongrom.xml"
check "wrong ROM: the fix names the card's device id, no format" sh -c "grep -q 'use the VBIOS of this card (device 10de:139b)' '$TMP/out' && ! grep -q '%04x' '$TMP/out'"

# ---- the goal words: windows ----
lv fix "$FIX/libvirt/virt-manager-q35.xml" --vbios $ROM -o "$TMP/q35.rom.xml" 2> /dev/null
expect_exit 3 "goal windows" lv check "$TMP/q35.rom.xml" --goal windows
check "goal windows: --battery and the Windows driver" sh -c "grep -q 'the Windows NVIDIA driver' '$TMP/out' && grep -q -- '--root-port 02.5 --battery -o' '$TMP/out'"
lv fix "$R/pci-rom.xml" --vbios $ROM -o "$TMP/pci-rom.rom.xml" 2> /dev/null
expect_exit 3 "pci-rom.xml has no guest address: no acpi-table command is made up" lv check "$TMP/pci-rom.rom.xml" --goal windows
check "it says how to make the place known" sh -c "grep -q 'does not say where the card sits in the guest' '$TMP/out' && ! grep -q 'optimus-guest acpi-table' '$TMP/out'"

# ---- libvirt's own QEMU command line (environment first, JSON -device) ----
expect_exit 3 "libvirt's logged command line" lv check --qemu-args "$R/hostdev-vfio.x86_64-latest.args"
check "args: the JSON vfio-pci card is found behind the environment" grep -q "^  ok       nvidia-muxless: NVIDIA card 0000:06:12.1" "$TMP/out"
check "args: machine pc, SeaBIOS named" sh -c "grep -q 'machine type pc' '$TMP/out' && grep -q 'efi-rom-handover: no UEFI firmware (SeaBIOS: no -bios and no pflash drive)' '$TMP/out'"
check "args: named QEMU command line QEMUGuest2" grep -q "^QEMU command line 'QEMUGuest2'" "$TMP/out"

# ---- a launch script in the form of the write-ups ----
cat > "$TMP/win10.sh" <<'SH'
#!/bin/bash
# Windows VM with the laptop's GTX 960M (see README)
export QEMU_AUDIO_DRV=pa
OVMF=/usr/share/OVMF
ROM="/var/lib/libvirt/vbios/gtx960m.rom"
cp -f $OVMF/OVMF_VARS.fd /tmp/vars.fd &&
taskset 0xFFF0 qemu-system-x86_64 \
  -name win10,debug-threads=on \
  -machine q35,accel=kvm \
  -drive if=pflash,format=raw,readonly=on,file=${OVMF}/OVMF_CODE.fd \
  -drive if=pflash,format=raw,file=/tmp/vars.fd \
  -m 8G -vga none -nodefaults \
  -device ioh3420,bus=pcie.0,addr=1c.0,multifunction=on,port=1,chassis=1,id=root.1 \
  -device vfio-pci,host=01:00.0,bus=root.1,addr=00.0,x-pci-sub-vendor-id=0x1028,x-pci-sub-device-id=0x06e4,romfile=$ROM \
  -drive file=$IMAGE,if=virtio \
  -spice port=5901,disable-ticketing \
;
# -device virtio-net-pci,netdev=net0
SH
expect_exit 3 "launch script" lv check --qemu-args "$TMP/win10.sh" --goal nvidia
check "script: pflash drive is UEFI (no SeaBIOS)" sh -c "grep -q '^  ok       firmware-uefi' '$TMP/out' && ! grep -q SeaBIOS '$TMP/out'"
check "script: variables expanded (the ROM read)" grep -q "^  ok       nvidia-rom: ROM '/var/lib/libvirt/vbios/gtx960m.rom'" "$TMP/out"
check "script: subsystem ids read" grep -q "^  ok       nvidia-subsystem-ids" "$TMP/out"
check "script: the variable it cannot expand is named" grep -q "qemu-args-variables: .*\$IMAGE" "$TMP/out"
check "script: root port at 1c.0 gives the acpi-table place" grep -q -- "--slot 01:00.0 --root-port 1c.0" "$TMP/out"
check "script: the commented-out -device is not read" sh -c "! grep -q virtio-net '$TMP/out'"

# ---- not a QEMU command line ----
expect_exit 1 "README is not a QEMU command line" lv check --qemu-args "$R/README"
check "refusal says so" grep -q "is not a QEMU command line\|no qemu-system" "$TMP/err"
printf '#!/bin/sh\nset -e\nvirsh start win10\nvirsh console win10\n' > "$TMP/virsh.sh"
expect_exit 1 "a script without QEMU is refused" lv check --qemu-args "$TMP/virsh.sh"
check "no qemu-system in it" grep -q "no qemu-system-\* (or qemu-kvm) command in it" "$TMP/err"
printf 'hello world\n' > "$TMP/hello.txt"
expect_exit 1 "one line of prose is refused" lv check --qemu-args "$TMP/hello.txt"
check "not judged as an empty VM" sh -c "grep -q 'not a QEMU command line' '$TMP/err' && ! grep -q 'Checks:' '$TMP/out'"

# ---- every -set device.* is flagged, and fix leaves none on an old alias ----
cat > "$TMP/sets.xml" <<'XML'
<domain type='kvm' xmlns:qemu="http://libvirt.org/schemas/domain/qemu/1.0">
  <name>win10-sets</name>
  <memory unit='KiB'>8388608</memory>
  <os>
    <type arch='x86_64' machine='pc-q35-6.2'>hvm</type>
    <loader readonly='yes' type='pflash'>/usr/share/OVMF/OVMF_CODE.fd</loader>
  </os>
  <devices>
    <controller type='pci' index='1' model='pcie-root-port'>
      <address type='pci' domain='0x0000' bus='0x00' slot='0x01' function='0x0'/>
    </controller>
    <hostdev mode='subsystem' type='pci' managed='yes'>
      <source>
        <address domain='0x0000' bus='0x01' slot='0x00' function='0x0'/>
      </source>
      <address type='pci' domain='0x0000' bus='0x01' slot='0x00' function='0x0'/>
    </hostdev>
  </devices>
  <qemu:commandline>
    <qemu:arg value="-set"/>
    <qemu:arg value="device.hostdev0.x-pci-sub-vendor-id=0x1028"/>
    <qemu:arg value="-set"/>
    <qemu:arg value="device.hostdev0.x-pci-sub-device-id=0x06e4"/>
    <qemu:arg value="-set"/>
    <qemu:arg value="device.hostdev0.x-vga=on"/>
    <qemu:arg value="-set"/>
    <qemu:arg value="device.hostdev0.romfile=/var/lib/libvirt/vbios/gtx960m.rom"/>
    <qemu:arg value="-set"/>
    <qemu:arg value="device.hostdev7.x-igd-opregion=on"/>
  </qemu:commandline>
  <qemu:override>
    <qemu:device alias="hostdev0">
      <qemu:frontend>
        <qemu:property name="x-pci-vendor-id" type="unsigned" value="4318"/>
      </qemu:frontend>
    </qemu:device>
  </qemu:override>
</domain>
XML
dev 0000:00:01.0 8086 1901 1028 06e4 060400
expect_exit 3 "-set arguments: check" lv check "$TMP/sets.xml"
check "each -set is flagged (5)" sh -c "[ \$(grep -c 'qemu-set-form: .-set device\.' '$TMP/out') -eq 5 ]"
check "x-vga: replaced by a <qemu:override> property" grep -q "x-vga=on' in <qemu:commandline>.*" "$TMP/out"
check "romfile: replaced by <rom file>" grep -q "fix: <rom file='/var/lib/libvirt/vbios/gtx960m.rom'/> in the hostdev" "$TMP/out"
check "the -set on an alias nobody has is an error" grep -q "^  error    qemu-set-form: '-set device.hostdev7.x-igd-opregion=on'.*no device of the domain has that alias" "$TMP/out"
expect_exit 0 "-set arguments: fix" lv fix "$TMP/sets.xml" -o "$TMP/sets.fixed.xml"
check "no -set of the old alias is left" sh -c "! grep -q 'device.hostdev0\.' '$TMP/sets.fixed.xml'"
check "x-vga moved into the override" grep -q "<qemu:property name=\"x-vga\" type=\"bool\" value=\"true\"/>" "$TMP/sets.fixed.xml"
check "the override of hostdev0 follows the new alias" sh -c "grep -q '<qemu:device alias=\"ua-nvidia\">' '$TMP/sets.fixed.xml' && ! grep -q 'alias=\"hostdev0\"' '$TMP/sets.fixed.xml'"
check "its own property is kept" grep -q 'name="x-pci-vendor-id" type="unsigned" value="4318"' "$TMP/sets.fixed.xml"
check "romfile became <rom file>" grep -q "<rom file='/var/lib/libvirt/vbios/gtx960m.rom'/>" "$TMP/sets.fixed.xml"
check "the other device's -set is left alone" grep -q 'device.hostdev7.x-igd-opregion=on' "$TMP/sets.fixed.xml"
check "fix says what it did with each" sh -c "[ \$(grep -c 'fixed: .*-set device.hostdev0' '$TMP/err') -eq 4 ]"
check "fixed domain validates" sh -c "! command -v virt-xml-validate > /dev/null || virt-xml-validate '$TMP/sets.fixed.xml' > /dev/null 2>&1"
expect_exit 0 "fix again" lv fix "$TMP/sets.fixed.xml"
same_file "fix again changes nothing" "$TMP/sets.fixed.xml" "$TMP/out"

# ---- a card passed in <qemu:commandline>, firmware as a pflash drive there ----
cat > "$TMP/cmdline.xml" <<'XML'
<domain type='kvm' xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'>
  <name>cmdline-card</name>
  <memory unit='KiB'>4194304</memory>
  <os>
    <type arch='x86_64' machine='q35'>hvm</type>
  </os>
  <devices>
    <controller type='pci' index='3' model='pcie-root-port'>
      <address type='pci' domain='0x0000' bus='0x00' slot='0x02' function='0x2'/>
    </controller>
  </devices>
  <qemu:commandline>
    <qemu:arg value='-drive'/>
    <qemu:arg value='if=pflash,format=raw,readonly=on,file=/usr/share/OVMF/OVMF_CODE_4M.fd'/>
    <qemu:arg value='-device'/>
    <qemu:arg value='vfio-pci,host=0000:01:00.0,id=gpu,bus=pci.3,addr=0x0,romfile=/var/lib/libvirt/vbios/gtx960m.rom'/>
  </qemu:commandline>
</domain>
XML
expect_exit 3 "card in <qemu:commandline>: check" lv check "$TMP/cmdline.xml" --goal nvidia
check "the card is found, no advice to add it" sh -c "grep -q '^  ok       nvidia-muxless: NVIDIA card 0000:01:00.0' '$TMP/out' && ! grep -q nvidia-hostdev '$TMP/out'"
check "the pflash drive is UEFI, not SeaBIOS" sh -c "grep -q 'ok       firmware-uefi: UEFI firmware: pflash drive in <qemu:commandline>' '$TMP/out' && ! grep -q SeaBIOS '$TMP/out'"
check "its place (pci.3 = root port 02.2) reaches the acpi-table command" grep -q -- "--slot 03:00.0 --root-port 02.2" "$TMP/out"
expect_exit 0 "card in <qemu:commandline>: fix" lv fix "$TMP/cmdline.xml" -o "$TMP/cmdline.fixed.xml"
check "fix sets the ids on that -device" grep -q "value='vfio-pci,host=0000:01:00.0,id=gpu,bus=pci.3,addr=0x0,romfile=/var/lib/libvirt/vbios/gtx960m.rom,x-pci-sub-vendor-id=4136,x-pci-sub-device-id=1764'" "$TMP/cmdline.fixed.xml"
check "the card is not added a second time" sh -c "! grep -q '<hostdev' '$TMP/cmdline.fixed.xml'"
expect_exit 0 "card in <qemu:commandline>: fix again" lv fix "$TMP/cmdline.fixed.xml"
same_file "fix again changes nothing" "$TMP/cmdline.fixed.xml" "$TMP/out"

# ---- the same card as QEMU's JSON -device (what libvirt writes since QEMU 6.2) ----
sed "s|value='vfio-pci,host=0000:01:00.0,id=gpu,bus=pci.3,addr=0x0,romfile=/var/lib/libvirt/vbios/gtx960m.rom'|value='{\"driver\":\"vfio-pci\",\"host\":\"0000:01:00.0\",\"id\":\"gpu\",\"bus\":\"pci.3\",\"addr\":\"0x0\",\"rombar\":0}'|" \
	"$TMP/cmdline.xml" > "$TMP/cmdjson.xml"
grep -q '"driver":"vfio-pci"' "$TMP/cmdjson.xml" && pass "JSON -device domain made" || fail "JSON -device domain made"
expect_exit 3 "JSON -device card: check" lv check "$TMP/cmdjson.xml" --goal nvidia
check "JSON -device card: found, no advice to add it" sh -c "grep -q '^  ok       nvidia-muxless: NVIDIA card 0000:01:00.0' '$TMP/out' && ! grep -q nvidia-hostdev '$TMP/out'"
expect_exit 0 "JSON -device card: fix --vbios" lv fix "$TMP/cmdjson.xml" --vbios /var/lib/libvirt/vbios/gtx960m.rom -o "$TMP/cmdjson.fixed.xml"
check "fix writes the ids, the romfile and drops rombar in the JSON, keeping its order and style" \
	grep -qF "value='{\"driver\":\"vfio-pci\",\"host\":\"0000:01:00.0\",\"id\":\"gpu\",\"bus\":\"pci.3\",\"addr\":\"0x0\",\"x-pci-sub-vendor-id\":4136,\"x-pci-sub-device-id\":1764,\"romfile\":\"/var/lib/libvirt/vbios/gtx960m.rom\"}'" "$TMP/cmdjson.fixed.xml"
check "fix says what it set in the JSON" grep -q 'set "x-pci-sub-vendor-id": 4136, "x-pci-sub-device-id": 1764 (1028:06e4' "$TMP/err"
check "no 'by hand' left for the JSON -device" sh -c "! grep -q 'by hand' '$TMP/err'"
expect_exit 0 "JSON -device card: check after fix passes the ids" lv check "$TMP/cmdjson.fixed.xml" --goal nouveau
check "the ids are seen in the JSON" sh -c "! grep -q 'error    nvidia-subsystem' '$TMP/out'"
expect_exit 0 "JSON -device card: fix again" lv fix "$TMP/cmdjson.fixed.xml" --vbios /var/lib/libvirt/vbios/gtx960m.rom
same_file "JSON -device: fix again changes nothing" "$TMP/cmdjson.fixed.xml" "$TMP/out"
sed "s|\"addr\":\"0x0\",\"rombar\":0}|\"addr\":\"0x0\",|" "$TMP/cmdjson.xml" > "$TMP/cmdjson-bad.xml"
expect_exit 1 "JSON -device that does not parse: no card is seen, fix refuses" lv fix "$TMP/cmdjson-bad.xml" -o "$TMP/cmdjson-bad.fixed.xml"
check "JSON that does not parse: nothing written" sh -c "[ ! -e '$TMP/cmdjson-bad.fixed.xml' ] && grep -q 'nothing was written' '$TMP/err'"

# ---- -global vfio-pci.x-pci-sub-*: the form of a published laptop domain ----
# (github.com/renakoamaori/ASUS-TUF-GAMING-F15-VFIO, xml/win10.xml and README.md at
# 6098d4170693138c2e85b91610938142daf1ac0a: the GPU and its audio function passed through,
# <rom bar='off' file=...>, and the ids as two -global arguments, the device id left as the
# guide's placeholder 0xNNNN). Rebuilt here in its shape with this host's card.
dev 0000:01:00.1 10de 0fbc 1028 06e4 040300
global_domain() {  # $1: the device id value, $2: yes to pass the audio function too
	cat <<XML
<domain type='kvm' xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'>
  <name>win10</name>
  <memory unit='KiB'>12582912</memory>
  <os firmware='efi'>
    <type arch='x86_64' machine='pc-q35-10.1'>hvm</type>
  </os>
  <devices>
    <controller type='pci' index='4' model='pcie-root-port'>
      <model name='pcie-root-port'/>
      <target chassis='4' port='0x13'/>
      <address type='pci' domain='0x0000' bus='0x00' slot='0x02' function='0x3'/>
    </controller>
    <controller type='pci' index='8' model='pcie-root-port'>
      <model name='pcie-root-port'/>
      <target chassis='8' port='0x17'/>
      <address type='pci' domain='0x0000' bus='0x00' slot='0x02' function='0x7'/>
    </controller>
    <hostdev mode='subsystem' type='pci' managed='yes'>
      <source>
        <address domain='0x0000' bus='0x01' slot='0x00' function='0x0'/>
      </source>
      <rom bar='off' file='/var/lib/libvirt/vbios/gtx960m.rom'/>
      <address type='pci' domain='0x0000' bus='0x04' slot='0x00' function='0x0' multifunction='on'/>
    </hostdev>
XML
	[ "$2" = yes ] && cat <<XML
    <hostdev mode='subsystem' type='pci' managed='yes'>
      <source>
        <address domain='0x0000' bus='0x01' slot='0x00' function='0x1'/>
      </source>
      <address type='pci' domain='0x0000' bus='0x08' slot='0x00' function='0x0'/>
    </hostdev>
XML
	cat <<XML
  </devices>
  <qemu:commandline>
    <qemu:arg value='-global'/>
    <qemu:arg value='vfio-pci.x-pci-sub-vendor-id=0x1028'/>
    <qemu:arg value='-global'/>
    <qemu:arg value='vfio-pci.x-pci-sub-device-id=$1'/>
  </qemu:commandline>
</domain>
XML
}
global_domain 0xNNNN yes > "$TMP/global.xml"
expect_exit 3 "-global with the guide's placeholder: check" lv check "$TMP/global.xml" --goal windows
check "  the -global ids are read, the placeholder is named as not a number" \
	grep -q "error    nvidia-subsystem-ids: the subsystem ids are set through -global vfio-pci.\*, but not as numbers" "$TMP/out"
expect_exit 0 "-global with the placeholder: fix" lv fix "$TMP/global.xml" -o "$TMP/global.fixed.xml"
check "  fix removes both -global arguments (QEMU would refuse 0xNNNN) and says so" \
	sh -c "! grep -q -- '-global' '$TMP/global.fixed.xml' && [ \$(grep -c \"removed '-global vfio-pci.x-pci-sub-\" '$TMP/err') -eq 2 ]"
check "  fix sets the card's own ids in <qemu:override>" grep -q "<qemu:property name='x-pci-sub-device-id' type='unsigned' value='1764'/>" "$TMP/global.fixed.xml"
check "  fixed domain validates" sh -c "! command -v virt-xml-validate > /dev/null || virt-xml-validate '$TMP/global.fixed.xml' > /dev/null 2>&1"
expect_exit 0 "-global: fix again" lv fix "$TMP/global.fixed.xml"
same_file "-global: fix again changes nothing" "$TMP/global.fixed.xml" "$TMP/out"
global_domain 0x06e4 yes > "$TMP/global2.xml"
lv check "$TMP/global2.xml" --goal windows > "$TMP/out" 2>&1
check "-global with the right ids: the ids pass" grep -q "ok       nvidia-subsystem-ids: subsystem ids 1028:06e4 (4136, 1764) set through -global vfio-pci" "$TMP/out"
check "  but they reach the audio function too: a warning" grep -q "warning  nvidia-subsystem-global: -global vfio-pci.x-pci-sub-\* gives every passed-through PCI device (2 here)" "$TMP/out"
global_domain 0x06e4 no > "$TMP/global1.xml"
lv check "$TMP/global1.xml" --goal windows > "$TMP/out" 2>&1
check "-global with one passed-through device: no warning" sh -c "! grep -q nvidia-subsystem-global '$TMP/out'"
lv fix "$TMP/global1.xml" -o "$TMP/global1.fixed.xml" 2> "$TMP/err"
check "  fix leaves the -global arguments and adds no override" sh -c "[ \$(grep -c -- '-global' '$TMP/global1.fixed.xml') -eq 2 ] && ! grep -q 'qemu:override' '$TMP/global1.fixed.xml'"
printf '%s\n' -machine q35 -drive if=pflash,format=raw,readonly=on,file=/usr/share/OVMF/OVMF_CODE_4M.fd \
	-global driver=vfio-pci,property=x-pci-sub-vendor-id,value=4136 -global driver=vfio-pci,property=x-pci-sub-device-id,value=1764 \
	-device vfio-pci,host=0000:01:00.0 > "$TMP/global.args"
lv check --qemu-args "$TMP/global.args" --goal windows > "$TMP/out" 2>&1
check "-global driver=,property=,value= on a QEMU command line: read" grep -q "ok       nvidia-subsystem-ids: subsystem ids 1028:06e4 (4136, 1764) set through -global" "$TMP/out"

# ---- a _ROM table set: every table must be loaded ----
python3 "$TOP/tests/sh/acpi_mkrom.py" 204800 "$H/var/lib/libvirt/vbios/big.rom"
"$OG" acpi-table --vbios "$H/var/lib/libvirt/vbios/big.rom" --slot 06:00.0 --root-port 02.5 -o "$H/var/lib/libvirt/acpi/big.aml" > "$TMP/acpi.out"
check "a 200 KB VBIOS needs 4 tables" sh -c "[ \$(grep -c '^wrote ' '$TMP/acpi.out') -eq 4 ]"
cp "$FIX/libvirt/virt-manager-q35.xml" "$TMP/q35.xml"
dev 0000:01:00.0 10de 139b 1028 06e4 030200
"$OG" --root "$H" libvirt fix "$TMP/q35.xml" --vbios /var/lib/libvirt/vbios/big.rom -o "$TMP/q35-big.xml" 2> /dev/null
expect_exit 3 "goal nvidia without tables" lv check "$TMP/q35-big.xml" --goal nvidia
check "the fix text names all four tables" grep -q -- "--acpi-table /var/lib/libvirt/acpi/vbios-rom.aml --acpi-table /var/lib/libvirt/acpi/vbios-rom-d01.aml --acpi-table /var/lib/libvirt/acpi/vbios-rom-d02.aml --acpi-table /var/lib/libvirt/acpi/vbios-rom-d03.aml" "$TMP/out"
sed "s#</devices>#</devices>\n  <qemu:commandline>\n    <qemu:arg value='-acpitable'/>\n    <qemu:arg value='file=/var/lib/libvirt/acpi/big.aml'/>\n    <qemu:arg value='-acpitable'/>\n    <qemu:arg value='file=/var/lib/libvirt/acpi/big-d02.aml'/>\n  </qemu:commandline>#" "$TMP/q35-big.xml" > "$TMP/q35-some.xml"
expect_exit 3 "a domain that loads only some tables" lv check "$TMP/q35-some.xml" --goal nvidia
check "the missing ones are named" grep -q "does not load VBIOSD01 ('/var/lib/libvirt/acpi/big-d01.aml'), VBIOSD03 ('/var/lib/libvirt/acpi/big-d03.aml')" "$TMP/out"
check "the fix names them all" grep -q -- "--acpi-table /var/lib/libvirt/acpi/big.aml --acpi-table /var/lib/libvirt/acpi/big-d01.aml --acpi-table /var/lib/libvirt/acpi/big-d02.aml --acpi-table /var/lib/libvirt/acpi/big-d03.aml" "$TMP/out"
expect_exit 0 "fix --acpi-table with the _ROM table loads its data tables" lv fix "$TMP/q35-big.xml" --acpi-table /var/lib/libvirt/acpi/big.aml -o "$TMP/q35-all.xml"
check "four -acpitable" sh -c "[ \$(grep -c \"value='-acpitable'\" '$TMP/q35-all.xml') -eq 4 ]"
expect_exit 0 "then check --goal nvidia is clean" lv check "$TMP/q35-all.xml" --goal nvidia
check "the set is recognised" grep -q "ok       nvidia-vbios-acpi: the _ROM table '/var/lib/libvirt/acpi/big.aml' and its 3 data table(s)" "$TMP/out"
rm "$H/var/lib/libvirt/acpi/big-d03.aml"
expect_exit 1 "fix refuses a _ROM table whose data table is missing" lv fix "$TMP/q35-big.xml" --acpi-table /var/lib/libvirt/acpi/big.aml
check "it names the missing file" grep -q "data table VBIOSD03, but '/var/lib/libvirt/acpi/big-d03.aml' does not exist under --root" "$TMP/err"
