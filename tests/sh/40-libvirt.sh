# libvirt check / fix on recorded host trees and domains in virt-manager / virt-install form.
. "$TOP/tests/lib.sh"
L="$FIX/libvirt"
H="$FIX/host-laptop"
G="$L/golden"
ROM=/var/lib/libvirt/vbios/gtx960m.rom
AML=/var/lib/libvirt/acpi/vbios-rom.aml
lv() { "$OG" --root "$H" libvirt "$@"; }
have_validate=1
command -v virt-xml-validate > /dev/null || { have_validate=0; skip "virt-xml-validate" "libvirt-clients not installed"; }
validate() { [ $have_validate = 0 ] || virt-xml-validate "$1" > "$TMP/val" 2>&1 || { cat "$TMP/val"; return 1; }; }

for f in virt-manager-q35 aliases commandline-set override i440fx-seabios two-nvidia; do
	check "fixture $f validates" validate "$L/$f.xml"
done

# libvirt's own parser (virsh's test driver, no daemon) takes every fixture
have_virsh=1
command -v virsh > /dev/null || { have_virsh=0; skip "virsh define" "libvirt-clients not installed"; }
define() { [ $have_virsh = 0 ] || virsh -q -c test:///default "define $1; dumpxml --inactive $2" > "$TMP/dumped" 2> "$TMP/virsh.err" || { cat "$TMP/virsh.err"; return 1; }; }
check "libvirt defines virt-manager-q35" define "$L/virt-manager-q35.xml" debian12
check "libvirt defines aliases" define "$L/aliases.xml" fedora-gvt
check "libvirt drops aliases without ua- (aliases.xml)" sh -c "[ $have_virsh = 0 ] || ! grep -q '<alias' '$TMP/dumped'"
check "libvirt defines commandline-set" define "$L/commandline-set.xml" debian12-set
check "libvirt defines override" define "$L/override.xml" debian12-override
check "libvirt defines i440fx-seabios" define "$L/i440fx-seabios.xml" ubuntu18.04
check "libvirt defines two-nvidia" define "$L/two-nvidia.xml" debian12-two

# exit codes of check on the fixtures as they are
expect_exit 3 "check virt-manager-q35: errors" lv check "$L/virt-manager-q35.xml"
expect_exit 0 "check override: clean" lv check "$L/override.xml"
expect_exit 0 "check override --goal nvidia: clean" lv check "$L/override.xml" --goal nvidia
expect_exit 3 "check commandline-set (pc-q35-7.2): the -set form is an error" lv check "$L/commandline-set.xml"
check "check commandline-set: -set form is named with the machine type" grep -q "^  error    qemu-set-form: .*machine type pc-q35-7.2 needs QEMU >= 6.2" "$TMP/out"
for m in q35 pc-q35-6.1 pc-i440fx-5.2 pc-q35-7.2x; do
	sed "s/machine='pc-q35-7.2'/machine='$m'/" "$L/commandline-set.xml" > "$TMP/set-$m.xml"
	expect_exit 0 "check commandline-set with machine $m: only a warning (QEMU may be older)" lv check "$TMP/set-$m.xml"
	check "machine $m: qemu-set-form warning" grep -q "^  warning  qemu-set-form: .*since QEMU 6.2" "$TMP/out"
done
sed "s/machine='pc-q35-7.2'/machine='pc-i440fx-6.2'/" "$L/commandline-set.xml" > "$TMP/set-i440fx.xml"
expect_exit 3 "check commandline-set with machine pc-i440fx-6.2: an error" lv check "$TMP/set-i440fx.xml"
expect_exit 3 "check aliases: errors" lv check "$L/aliases.xml"
expect_exit 3 "check i440fx-seabios: errors" lv check "$L/i440fx-seabios.xml"
check "i440fx: machine-q35 warning" grep -q "^  warning  machine-q35" "$TMP/out"
check "i440fx: firmware-uefi warning" grep -q "^  warning  firmware-uefi" "$TMP/out"
expect_exit 3 "check virt-manager-q35 --goal windows" lv check "$L/virt-manager-q35.xml" --goal windows
check "goal windows: nvidia-vbios-acpi error" grep -q "^  error    nvidia-vbios-acpi" "$TMP/out"

# golden outputs (reviewed by hand); paths relative to the source tree as in the goldens
cd "$TOP"
lv check tests/fixtures/libvirt/virt-manager-q35.xml > "$TMP/q35.txt"
same_file "golden check virt-manager-q35" "$G/check-virt-manager-q35.txt" "$TMP/q35.txt"
"$OG" --root "$H" --json libvirt check tests/fixtures/libvirt/override.xml --goal nvidia > "$TMP/override.json"
same_file "golden check --json override" "$G/check-override.json" "$TMP/override.json"
check "json is valid" python3 -c "import json,sys; d=json.load(open('$TMP/override.json')); assert d['domain']=='debian12-override' and all(set(c)>={'id','severity','message','fix'} for c in d['checks'])"
lv fix "$L/virt-manager-q35.xml" --vbios $ROM --acpi-table $AML > "$TMP/q35-fixed.xml" 2> "$TMP/q35-fix.err"
same_file "golden fix virt-manager-q35" "$G/fix-virt-manager-q35.xml" "$TMP/q35-fixed.xml"
diff "$L/virt-manager-q35.xml" "$TMP/q35-fixed.xml" | grep '^<' > "$TMP/removed"
check "fix changes only the root's start tag" sh -c "[ \$(wc -l < '$TMP/removed') -eq 1 ] && grep -q '^< <domain ' '$TMP/removed'"

# fix, validate, check clean; fixing again changes nothing; the input is untouched
for f in virt-manager-q35 aliases commandline-set i440fx-seabios override; do
	sum=$(md5sum < "$L/$f.xml")
	expect_exit 0 "fix $f" lv fix "$L/$f.xml" --vbios $ROM --acpi-table $AML
	cp "$TMP/out" "$TMP/$f.fixed.xml"
	check "fix $f: output validates" validate "$TMP/$f.fixed.xml"
	name=$(sed -n 's|^  <name>\(.*\)</name>$|\1|p' "$TMP/$f.fixed.xml")
	check "fix $f: libvirt defines it and keeps alias and ROM" sh -c "[ $have_virsh = 0 ] || { virsh -q -c test:///default 'define $TMP/$f.fixed.xml; dumpxml --inactive $name' > '$TMP/d' && grep -q \"<alias name='ua-nvidia'/>\" '$TMP/d' && grep -q \"<rom .*file='$ROM'/>\" '$TMP/d'; }"
	expect_exit 0 "fix $f: then check --goal nvidia has no error" lv check "$TMP/$f.fixed.xml" --goal nvidia
	check "fix $f: no -set left" sh -c "! grep -q 'x-pci-sub-vendor-id=' '$TMP/$f.fixed.xml'"
	lv fix "$TMP/$f.fixed.xml" --vbios $ROM --acpi-table $AML > "$TMP/$f.again.xml" 2> /dev/null
	same_file "fix $f: idempotent" "$TMP/$f.fixed.xml" "$TMP/$f.again.xml"
	check "fix $f: input untouched" sh -c "[ \"\$(md5sum < '$L/$f.xml')\" = '$sum' ]"
done
check "aliases: non-ua alias renamed" grep -q "<alias name='ua-nvidia'/>" "$TMP/aliases.fixed.xml"
check "libosinfo's double quotes kept" grep -q 'xmlns:libosinfo="http' "$TMP/virt-manager-q35.fixed.xml"

# -o writes a new file; never the input
cp "$L/virt-manager-q35.xml" "$TMP/in.xml"
expect_exit 0 "fix -o FILE" lv fix "$TMP/in.xml" -o "$TMP/new.xml"
check "fix -o: file written, stdout empty" sh -c "[ -s '$TMP/new.xml' ] && [ ! -s '$TMP/out' ]"
expect_exit 2 "fix -o INPUT refused" lv fix "$TMP/in.xml" -o "$TMP/in.xml"
check "fix -o INPUT: input untouched" cmp -s "$TMP/in.xml" "$L/virt-manager-q35.xml"

# bad input
expect_exit 1 "malformed XML" lv check "$L/malformed.xml"
check "malformed: file:line:col of the first error" grep -q "malformed.xml:5:13: malformed XML: Opening and ending tag mismatch: hostdev line 4 and devices" "$TMP/err"
expect_exit 1 "malformed XML: fix writes nothing" lv fix "$L/malformed.xml" -o "$TMP/never.xml"
check "malformed: no output file" test ! -e "$TMP/never.xml"
printf '<network><name>default</name></network>\n' > "$TMP/net.xml"
expect_exit 1 "not a domain" lv check "$TMP/net.xml"
printf '' > "$TMP/empty.xml"
expect_exit 1 "empty file" lv check "$TMP/empty.xml"
expect_exit 1 "missing file" lv check "$TMP/nonexistent.xml"
expect_exit 1 "two NVIDIA cards" "$OG" --root "$FIX/host-two-nvidia" libvirt check "$L/two-nvidia.xml"
check "two NVIDIA: both named, --hostdev suggested" sh -c "grep -q '0000:01:00.0' '$TMP/err' && grep -q '0000:02:00.0' '$TMP/err' && grep -q -- '--hostdev' '$TMP/err'"
expect_exit 3 "two NVIDIA with --hostdev" "$OG" --root "$FIX/host-two-nvidia" --json libvirt check "$L/two-nvidia.xml" --hostdev 02:00.0
check "--hostdev picks 0000:02:00.0" grep -q '"host_address": "0000:02:00.0"' "$TMP/out"
expect_exit 1 "--hostdev that matches nothing" lv check "$L/override.xml" --hostdev ua-nope
expect_exit 0 "--hostdev by alias" lv check "$L/override.xml" --hostdev ua-nvidia
sed "s/bus='0x01' slot='0x00' function='0x0'\/>/bus='0x03' slot='0x00' function='0x0'\/>/" "$L/override.xml" > "$TMP/absent.xml"
expect_exit 1 "source absent from host sysfs" lv check "$TMP/absent.xml"
check "absent: names the address" grep -q "0000:03:00.0.*not in the host's sysfs" "$TMP/err"
sed "s#$ROM#/var/lib/libvirt/vbios/missing.rom#" "$L/override.xml" > "$TMP/norom.xml"
expect_exit 3 "ROM path does not exist" lv check "$TMP/norom.xml"
check "missing ROM: nvidia-rom error" grep -q "^  error    nvidia-rom: the ROM file '/var/lib/libvirt/vbios/missing.rom' does not exist" "$TMP/out"
expect_exit 1 "fix --vbios missing" lv fix "$L/virt-manager-q35.xml" --vbios /var/lib/libvirt/vbios/missing.rom
check "fix --vbios missing: nothing printed" test ! -s "$TMP/out"
expect_exit 1 "fix --vbios not NVIDIA" lv fix "$L/virt-manager-q35.xml" --vbios /var/lib/libvirt/vbios/radeon.rom
check "not NVIDIA: says the vendor" grep -q "vendor 1002" "$TMP/err"
expect_exit 1 "fix --vbios full dump" lv fix "$L/virt-manager-q35.xml" --vbios /var/lib/libvirt/vbios/full-dump.bin
check "full dump: offset of the ROM" grep -q "offset 0x600" "$TMP/err"
expect_exit 1 "fix --acpi-table missing" lv fix "$L/virt-manager-q35.xml" --acpi-table /var/lib/libvirt/acpi/none.aml
sed "s/value='1764'/value='1765'/" "$L/override.xml" > "$TMP/wrongids.xml"
expect_exit 3 "wrong subsystem ids" lv check "$TMP/wrongids.xml"
check "wrong ids: expected values named" grep -q "host card's are 1028:06e4" "$TMP/out"
sed "s/alias='ua-nvidia'>/alias='hostdev9'>/" "$L/override.xml" > "$TMP/stray.xml"
expect_exit 3 "override for an alias no device has" lv check "$TMP/stray.xml"
check "stray alias named" grep -q "alias 'hostdev9'" "$TMP/out"
sed "s#<kernel>#<kernel>#; s#$AML#/var/lib/libvirt/acpi/other.aml#" "$L/override.xml" > "$TMP/otheraml.xml"
expect_exit 0 "foreign ACPI table: warning only" lv check "$TMP/otheraml.xml" --goal nvidia
check "foreign ACPI table: named" grep -q "^  warning  nvidia-vbios-acpi" "$TMP/out"

# usage
expect_exit 2 "no sub-command" "$OG" libvirt
expect_exit 2 "unknown sub-command" "$OG" libvirt frob x.xml
expect_exit 2 "check without a file" "$OG" libvirt check
expect_exit 2 "bad --goal" "$OG" libvirt check "$L/override.xml" --goal linux
expect_exit 2 "--vbios on check" "$OG" libvirt check "$L/override.xml" --vbios x
expect_exit 0 "--help" "$OG" libvirt --help

# QEMU command lines
Q="$L/qemu"
expect_exit 3 "qemu args: libvirt's line as ps shows it" lv check --qemu-args "$Q/libvirt-ps.txt"
check "qemu ps: JSON -device read (root port, qxl, mdev)" sh -c "grep -q '^  ok       nvidia-root-port' '$TMP/out' && grep -q \"emulated 'qxl-vga'\" '$TMP/out' && grep -q '^  ok       firmware-uefi' '$TMP/out'"
expect_exit 0 "qemu args: one per line, everything set" lv check --qemu-args "$Q/script.args" --goal nvidia
tr '\n' '\0' < "$Q/script.args" > "$TMP/cmdline"
expect_exit 0 "qemu args: /proc/PID/cmdline form" lv check --qemu-args "$TMP/cmdline" --goal nvidia
printf "qemu-system-x86_64 -device 'vfio-pci,host=01:00.0\n" > "$TMP/badquote"
expect_exit 1 "qemu args: unterminated quote" lv check --qemu-args "$TMP/badquote"
printf 'qemu-system-x86_64 -machine q35 \\\n  -device vfio-pci,host=01:00.0,x-pci-sub-vendor-id=4136,x-pci-sub-device-id=1764\n' > "$TMP/cont"
expect_exit 3 "qemu args: shell script with continuations" lv check --qemu-args "$TMP/cont"
check "continuations: ids read" grep -q '^  ok       nvidia-subsystem-ids' "$TMP/out"

# every vfio-pci property we emit exists in this QEMU
if command -v qemu-system-x86_64 > /dev/null; then
	qemu-system-x86_64 -device vfio-pci,help > "$TMP/vfio-help" 2>&1
	for p in host sysfsdev romfile rombar display x-pci-sub-vendor-id x-pci-sub-device-id; do
		check "qemu vfio-pci has $p" grep -q "^  $p=" "$TMP/vfio-help"
	done
	check "qemu has -acpitable" sh -c "qemu-system-x86_64 -help | grep -q '^-acpitable'"
else
	skip "qemu vfio-pci properties" "qemu-system-x86_64 not installed"
fi
check "aliases: header comment and blank line kept" sh -c "head -7 '$L/aliases.xml' > '$TMP/h1'; head -7 '$TMP/aliases.fixed.xml' > '$TMP/h2'; cmp -s '$TMP/h1' '$TMP/h2'"

# README "Preparing the VM": from the plain virt-manager domain to a clean check
cd "$TMP"
cp "$L/virt-manager-q35.xml" debian12.xml
expect_exit 3 "walkthrough: plain domain has errors" lv check debian12.xml
expect_exit 0 "walkthrough: fix -o" lv fix debian12.xml --vbios $ROM -o debian12-fixed.xml
python3 - <<'PY'
s = open('debian12-fixed.xml').read()
s = s.replace("display='off'", "display='on' ramfb='on'")
s = s.replace("""      <model type='qxl' ram='65536' vram='65536' vgamem='16384' heads='1' primary='yes'/>
      <address type='pci' domain='0x0000' bus='0x00' slot='0x01' function='0x0'/>
""", "      <model type='none'/>\n")
s = s.replace("""    <graphics type='spice' autoport='yes'>
      <listen type='address'/>
      <image compression='off'/>
    </graphics>""", """    <graphics type='spice'>
      <listen type='none'/>
      <gl enable='yes' rendernode='/dev/dri/by-path/pci-0000:00:02.0-render'/>
    </graphics>""")
s = s.replace("    <boot dev='hd'/>\n", "    <kernel>/var/lib/libvirt/boot/vmlinuz-6.1.0-13-amd64</kernel>\n"
              "    <initrd>/var/lib/libvirt/boot/initrd.img-6.1.0-13-amd64</initrd>\n"
              "    <cmdline>root=/dev/vda2 ro quiet</cmdline>\n")
open('debian12-fixed.xml', 'w').write(s)
PY
check "walkthrough: edited domain validates" validate debian12-fixed.xml
check "walkthrough: libvirt defines the edited domain" define debian12-fixed.xml debian12
expect_exit 0 "walkthrough: edited domain checks clean" lv check debian12-fixed.xml
check "walkthrough: no warning left" sh -c "grep -q '0 errors, 0 warnings' '$TMP/out' && ! grep -q '^  warning' '$TMP/out'"
expect_exit 3 "walkthrough: --goal nvidia wants the ACPI table" lv check debian12-fixed.xml --goal nvidia
expect_exit 0 "walkthrough: fix --acpi-table" lv fix debian12-fixed.xml --acpi-table $AML -o debian12-nvidia.xml
expect_exit 0 "walkthrough: --goal nvidia clean" lv check debian12-nvidia.xml --goal nvidia
check "walkthrough: nvidia domain validates" validate debian12-nvidia.xml
cd "$TOP"

# <rom enabled='no'/>; -set against a JSON -device
sed "s#<rom file='$ROM'/>#<rom enabled='no'/>#" "$L/override.xml" > "$TMP/romoff.xml"
expect_exit 3 "rom enabled='no' is an error" lv check "$TMP/romoff.xml"
check "rom enabled='no' named" grep -q "switched off" "$TMP/out"
expect_exit 0 "fix --vbios turns the ROM on" lv fix "$TMP/romoff.xml" --vbios $ROM -o "$TMP/romon.xml"
expect_exit 0 "ROM on again checks clean" lv check "$TMP/romon.xml"
printf '%s\n' qemu-system-x86_64 -machine q35 -device '{"driver":"vfio-pci","host":"0000:01:00.0","id":"gpu"}' -set device.gpu.x-pci-sub-vendor-id=4136 -set device.gpu.x-pci-sub-device-id=1764 > "$TMP/jsonset"
expect_exit 3 "qemu args: -set on a JSON -device" lv check --qemu-args "$TMP/jsonset"
check "JSON -set: named as qemu-set-form" grep -q "^  error    qemu-set-form" "$TMP/out"

# the second card of two gets its own alias when the first already has ua-nvidia
"$OG" --root "$FIX/host-two-nvidia" libvirt fix "$L/two-nvidia.xml" --hostdev 01:00.0 --vbios $ROM -o "$TMP/two1.xml" 2> /dev/null
expect_exit 0 "two cards: fix the second one too" "$OG" --root "$FIX/host-two-nvidia" libvirt fix "$TMP/two1.xml" --hostdev 0000:02:00.0 -o "$TMP/two2.xml"
check "two cards: distinct aliases" sh -c "grep -q \"alias name='ua-nvidia'\" '$TMP/two2.xml' && grep -q \"alias name='ua-nvidia1'\" '$TMP/two2.xml'"
check "two cards: output validates" validate "$TMP/two2.xml"
check "two cards: second override has the second card's ids" grep -q "value='1982'" "$TMP/two2.xml"

# the domain on stdin, as virsh dumpxml pipes it
expect_exit 3 "check - reads stdin" sh -c "\"$OG\" --root '$H' libvirt check - < '$L/virt-manager-q35.xml'"
check "stdin named (stdin)" grep -q "^Domain 'debian12' ((stdin))" "$TMP/out"
expect_exit 0 "fix - reads stdin" sh -c "\"$OG\" --root '$H' libvirt fix - < '$L/virt-manager-q35.xml'"

# the acpi-table command that check prints builds a table that fix and check accept
lv fix "$L/virt-manager-q35.xml" --vbios $ROM -o "$TMP/q35-rom.xml" 2> /dev/null
lv check "$TMP/q35-rom.xml" --goal nvidia > "$TMP/acpi.txt"
check "goal nvidia: acpi-table command with the card's place" grep -q -- "--slot 06:00.0 --root-port 02.5" "$TMP/acpi.txt"
if "$OG" acpi-table --help > /dev/null 2>&1; then
	cp -a "$H" "$TMP/host"
	expect_exit 0 "acpi-table builds the table at that place" "$OG" acpi-table --vbios "$H$ROM" --slot 06:00.0 --root-port 02.5 -o "$TMP/host/var/lib/libvirt/acpi/built.aml"
	expect_exit 0 "fix --acpi-table with the built table" "$OG" --root "$TMP/host" libvirt fix "$L/virt-manager-q35.xml" --vbios $ROM --acpi-table /var/lib/libvirt/acpi/built.aml -o "$TMP/built.xml"
	expect_exit 0 "check --goal nvidia accepts the built table" "$OG" --root "$TMP/host" libvirt check "$TMP/built.xml" --goal nvidia
	check "built table recognised as the _ROM table" grep -q "^  ok       nvidia-vbios-acpi: the _ROM table is passed" "$TMP/out"
else
	skip "acpi-table round trip" "acpi-table command not built"
fi

# a domain without the card: check names the host's card, fix refuses
printf "<domain type='kvm'>\n  <name>bare</name>\n  <memory>1048576</memory>\n  <os>\n    <type arch='x86_64' machine='q35'>hvm</type>\n  </os>\n</domain>\n" > "$TMP/bare.xml"
expect_exit 3 "no NVIDIA hostdev: error" lv check "$TMP/bare.xml"
check "no NVIDIA hostdev: suggests the host's card" grep -q "virt-xml DOMAIN --add-device --hostdev 0000:01:00.0" "$TMP/out"
expect_exit 1 "no NVIDIA hostdev: fix refuses" lv fix "$TMP/bare.xml"
check "no NVIDIA hostdev: nothing printed" test ! -s "$TMP/out"
