# host check on the recorded host trees (scripts/mkhosttrees.py from tests/fixtures/host-specs).
. "$TOP/tests/lib.sh"
G="$FIX/host-golden"
hc() { "$OG" --root "$1" host check; }
line() { grep -q -- "$1" "$TMP/out"; }

# verdicts
expect_exit 0 "ready laptop: ready" hc "$FIX/host-ready"
check "ready: every error-level check passes" sh -c "! grep -q '^  error' '$TMP/out' && grep -q '^Ready: the host can run the VM (1 warning)' '$TMP/out'"
check "ready: Kaby Lake has GVT-g" line "^  ok       igpu-gvt: 0000:00:02.0 8086:591b is Kaby Lake (Gen 9): GVT-g exists for it"
check "ready: vGPU defined in mdevctl and started at boot" line "^  ok       vgpu: vGPU 4b20d080-1b54-4048-85b3-a6a62d165c01 (i915-GVTg_V5_4) is defined in /etc/mdevctl.d/0000:00:02.0/ and started at boot; it exists now"
check "ready: group holds the card and its root port only" line "^  ok       nvidia-iommu-group: IOMMU group 1: 0000:01:00.0 (the card), 0000:00:01.0 (PCI bridge, pcieport)"
check "ready: no sysfs ROM points at vbios extract" line "^  warning  nvidia-vbios: .*no 'rom' attribute"

expect_exit 3 "unprepared laptop: not ready" hc "$FIX/host-unprepared"
check "unprepared: IOMMU off, intel_iommu=on missing" line "^  error    iommu: no IOMMU: /sys/class/iommu is empty and the kernel command line (/proc/cmdline) lacks intel_iommu=on"
check "unprepared: intel_iommu=on fix names GRUB, systemd-boot and kernelstub" line "fix: enable VT-d .*update-grub.*/boot/loader/entries/.*kernelstub -a intel_iommu=on"
check "unprepared: enable_gvt N with i915.enable_gvt=1 fix" line "^  error    gvt-enabled: GVT-g is off: /sys/module/i915/parameters/enable_gvt is N"
check "unprepared: modules named with the modules-load.d line" line "fix: load them at every boot: put the lines 'kvmgt', 'vfio_pci', 'mdev' in /etc/modules-load.d/optimus-guest.conf"
check "unprepared: no vGPU types, why" line "^  error    vgpu-types: no GVT-g vGPU types: .* it appears once GVT-g is enabled and kvmgt is loaded"
check "unprepared: nouveau on the card is a warning with the vfio-pci lines" line "^  warning  nvidia-vfio: 0000:01:00.0 is bound to nouveau"
check "unprepared: subsystem 0000:0000 and how to get the real ids" line "^  warning  nvidia-subsystem-ids: 0000:01:00.0 reports subsystem 0000:0000"
check "unprepared: no IOMMU group" line "^  error    nvidia-iommu-group: 0000:01:00.0 is in no IOMMU group"
check "unprepared: summary counts" line "^Not ready: 5 errors, 4 warnings"

expect_exit 3 "card sharing its group with its audio function: not ready" hc "$FIX/host-shared-audio"
check "shared audio: the audio function is named with its driver" line "^  error    nvidia-iommu-group: VFIO refuses IOMMU group 1 .*0000:01:00.1 10de:10fa (audio device, class 0x040300) shares IOMMU group 1 with the card and is bound to snd_hda_intel"
check "shared audio: fix detaches it and adds its id to vfio-pci" line "virsh nodedev-detach pci_0000_01_00_1; at every boot: 'options vfio-pci ids=10de:1f95,10de:10fa'"
check "shared audio: Comet Lake has GVT-g" line "^  ok       igpu-gvt: .*Comet Lake (Gen 9)"
check "shared audio: a usable sysfs ROM" line "^  ok       nvidia-vbios: 0000:01:00.0's sysfs ROM holds a usable VBIOS (1024 bytes, 1 image(s))"
check "shared audio: types with free instances" line "^  ok       vgpu-types: i915-GVTg_V5_4 (low_gm_size: 128MB, .*resolution: 1920x1200, weight: 4): 1 available"
check "shared audio: mdevctl commands to create and keep a vGPU" line "mdevctl define --auto -u \$U -p 0000:00:02.0 -t i915-GVTg_V5_4 && mdevctl start -u \$U"

expect_exit 3 "iGPU without GVT-g: not ready" hc "$FIX/host-no-gvt"
check "no GVT-g: Tiger Lake named, no GVT-g" line "^  error    igpu-gvt: 0000:00:02.0 8086:9a49 is Tiger Lake (Gen 12): no GVT-g on this iGPU"
check "no GVT-g: what exists instead" line "fix: none on this host: Intel replaced GVT-g with SR-IOV"
check "no GVT-g: enable_gvt reset by i915 is explained" line "^  error    gvt-enabled: the kernel command line asks for i915.enable_gvt=1 but enable_gvt reads N"
check "no GVT-g: no mdevctl advice" sh -c "! grep -q 'mdevctl define' '$TMP/out'"

# goldens (reviewed by hand)
cd "$TOP"
"$OG" --root tests/fixtures/host-unprepared host check > "$TMP/unprepared.txt"
same_file "golden unprepared" "$G/unprepared.txt" "$TMP/unprepared.txt"
"$OG" --root tests/fixtures/host-shared-audio --json host check > "$TMP/shared.json"
same_file "golden --json shared-audio" "$G/shared-audio.json" "$TMP/shared.json"
check "json: one object per check with id, severity, passed, message, fix" python3 -c "
import json; d=json.load(open('$TMP/shared.json'))
assert d['ready'] is False and d['root']=='tests/fixtures/host-shared-audio'
assert [c['id'] for c in d['checks']]==['igpu-gvt','iommu','gvt-enabled','modules','vgpu-types','vgpu','nvidia-card','nvidia-vfio','nvidia-iommu-group','nvidia-subsystem-ids','nvidia-vbios']
assert all(set(c)=={'id','severity','passed','message','fix'} and c['severity'] in ('info','warning','error') for c in d['checks'])
assert all((c['fix'] is None)==c['passed'] for c in d['checks'])"
"$OG" --json --root tests/fixtures/host-ready host check > "$TMP/ready.json"; rc=$?
check "json ready: exit 0 and ready true" sh -c "[ $rc = 0 ] && python3 -c \"import json; assert json.load(open('$TMP/ready.json'))['ready'] is True\""

# the commands README's host section and the man page show, as written
cd "$TOP"
sed -n '/^    \$ optimus-guest --root tests\/fixtures\/host-unprepared host check$/,/^$/p' README.md | sed '1d;/^$/d;s/^    //' > "$TMP/readme-out"
check "README: the host check example is there" sh -c "[ \$(wc -l < '$TMP/readme-out') -ge 10 ]"
expect_exit 3 "README: optimus-guest --root tests/fixtures/host-unprepared host check" "$OG" --root tests/fixtures/host-unprepared host check
bad=$(while IFS= read -r l; do case $l in *...*) grep -qF -- "${l%%...*}" "$TMP/out" || echo "$l" ;; *) grep -qxF -- "$l" "$TMP/out" || echo "$l" ;; esac; done < "$TMP/readme-out")
check "README: every line of the example is what host check prints${bad:+ (not: $bad)}" [ -z "$bad" ]
expect_exit 0 "README: optimus-guest --root tests/fixtures/host-ready --json host check" "$OG" --root tests/fixtures/host-ready --json host check
readme_mdevctl=$(sed -n 's/^    \(U=\$(cat \/proc\/sys\/kernel\/random\/uuid); mdevctl define .*\)$/\1/p' README.md)
hc "$FIX/host-shared-audio" > "$TMP/out"
check "README: its mdevctl line is the vgpu fix host check gives (run below)" grep -qF -- "$readme_mdevctl;" "$TMP/out"
"$OG" host check > "$TMP/out" 2> "$TMP/err"; rc=$?
check "man page: optimus-guest host check on this machine reads / (exit 0 or 3)" sh -c "[ $rc = 0 ] || [ $rc = 3 ]"

# host check lives in the main binary, which never loads libxml2 (the libvirt helper does)
bin=$(dirname "$OG")/optimus-guest
check "the binary with host check does not link libxml2" sh -c "! ldd '$bin' | grep -q libxml2"

# usage and unreadable roots
expect_exit 2 "host without a sub-command" "$OG" host
expect_exit 2 "host frob" "$OG" host frob
expect_exit 2 "host check with an operand" "$OG" host check extra
expect_exit 2 "host check with --snapshot" "$OG" --snapshot "$FIX/host-ready/README" host check
expect_exit 0 "host check --help" "$OG" host check --help
check "help lists every check id" sh -c "for id in igpu-gvt iommu gvt-enabled modules vgpu-types vgpu nvidia-card nvidia-vfio nvidia-iommu-group nvidia-subsystem-ids nvidia-vbios; do grep -q \"^  \$id \" '$TMP/out' || exit 1; done"
expect_exit 1 "missing root" "$OG" --root "$TMP/nope" host check
check "missing root is named" grep -q "$TMP/nope" "$TMP/err"

# damaged and hostile trees: a copy of the ready one, changed
fresh() { rm -rf "$TMP/t"; cp -a "$FIX/host-ready" "$TMP/t"; }
D="$TMP/t/sys/devices/pci0000:00"
fresh; echo maybe > "$TMP/t/sys/module/i915/parameters/enable_gvt"
expect_exit 1 "enable_gvt neither Y nor N" hc "$TMP/t"
check "enable_gvt: the file is named" grep -q "'sys/module/i915/parameters/enable_gvt' under root '$TMP/t' holds 'maybe', not Y or N" "$TMP/err"
fresh; echo zz > "$D/0000:00:02.0/vendor"
expect_exit 1 "vendor not hex" hc "$TMP/t"
check "vendor: the file is named" grep -q "sys/bus/pci/devices/0000:00:02.0/vendor' under root .* not a hex number" "$TMP/err"
fresh; echo -3 > "$D/0000:00:02.0/mdev_supported_types/i915-GVTg_V5_4/available_instances"
expect_exit 1 "available_instances negative" hc "$TMP/t"
check "available_instances: the file is named" grep -q "available_instances' under root .* holds '-3', not a count" "$TMP/err"
fresh; ln -s 0000:00:1f.7 "$TMP/t/sys/bus/pci/devices/0000:00:1f.7"; ln -s /sys/devices/pci0000:00/0000:00:00.0 "$TMP/t/sys/bus/pci/devices/0000:00:1f.6"
expect_exit 0 "a device link looping, one pointing out of the root: skipped" hc "$TMP/t"
fresh; rm "$D/0000:00:01.0/0000:01:00.0/iommu_group"; ln -s ../../../../kernel/iommu_groups/x "$D/0000:00:01.0/0000:01:00.0/iommu_group"
expect_exit 3 "iommu_group link to a non-number: no group" hc "$TMP/t"
fresh; head -c 4000 /dev/urandom > "$D/0000:00:02.0/mdev_supported_types/i915-GVTg_V5_4/description"
expect_exit 0 "binary description read as text" hc "$TMP/t"
mkdir -p "$TMP/t/etc/mdevctl.d/$(printf 'a\001b')"
"$OG" --root "$TMP/t" --json host check > "$TMP/bin.json"
check "binary description and names: JSON stays valid, every check in it" python3 -c "import json; assert len(json.load(open('$TMP/bin.json'))['checks']) == 11"
fresh; dd if=/dev/zero of="$D/0000:00:02.0/mdev_supported_types/i915-GVTg_V5_4/description" bs=1k count=8 2> /dev/null
expect_exit 1 "description over 4 KiB refused" hc "$TMP/t"

# mdevctl definitions: malformed, truncated, hostile; the verdict stays usable
M="$TMP/t/etc/mdevctl.d/0000:00:02.0"
U=4b20d080-1b54-4048-85b3-a6a62d165c01
fresh; printf '{"mdev_type": "i915-GVTg_V5_4", "sta' > "$M/5b20d080-1b54-4048-85b3-a6a62d165c01"
expect_exit 0 "truncated definition: a warning, still ready" hc "$TMP/t"
check "truncated definition: FILE:LINE:COLUMN" line "^  warning  vgpu: .*unreadable definition: $TMP/t/etc/mdevctl.d/0000:00:02.0/5b20d080-1b54-4048-85b3-a6a62d165c01:1:36: not an mdevctl definition"
fresh; printf '{"mdev_type": "../../x\\n", "start": "auto", "attrs": []}' > "$M/5b20d080-1b54-4048-85b3-a6a62d165c01"
hc "$TMP/t" > "$TMP/out"
check "hostile type name refused" line "unreadable definition: .*\"mdev_type\" is missing or not a type name"
fresh; head -c 70000 /dev/zero | tr '\0' ' ' > "$M/5b20d080-1b54-4048-85b3-a6a62d165c01"
hc "$TMP/t" > "$TMP/out"
check "definition over 64 KiB refused" line "unreadable definition: .*larger than 65536 bytes"
fresh; echo junk > "$M/notauuid"; mkdir "$M/6b20d080-1b54-4048-85b3-a6a62d165c01"
hc "$TMP/t" > "$TMP/out"
check "file not named by a UUID ignored; a directory is unreadable" sh -c "! grep -q notauuid '$TMP/out' && grep -q 'unreadable definition: .*6b20d080' '$TMP/out'"
fresh; sed -i 's/"auto"/"manual"/' "$M/$U"
expect_exit 0 "manual definition: a warning" hc "$TMP/t"
check "manual definition: fix is mdevctl modify --auto" line "fix: mdevctl modify --auto -u $U$"
fresh; rm -r "$TMP/t/etc/mdevctl.d"
hc "$TMP/t" > "$TMP/out"
check "vGPU without a definition: mdevctl define --auto keeps it" line "fix: keep it across reboots: mdevctl define --auto -u $U$"

# the fix texts' modprobe.d lines parse as kmod reads them
hc "$FIX/host-unprepared" > "$TMP/u.txt"; hc "$FIX/host-shared-audio" > "$TMP/s.txt"
cat "$TMP/u.txt" "$TMP/s.txt" | grep -o "'\(options\|softdep\) [^']*'" | tr -d "'" | sort -u > "$TMP/modprobe.conf"
check "fix texts give options and softdep lines" sh -c "[ \$(wc -l < '$TMP/modprobe.conf') -eq 4 ]"
modprobe -C "$TMP/modprobe.conf" --showconfig > "$TMP/showconfig" 2>&1
check "modprobe reads the vfio-pci ids line" grep -q "^options vfio_pci ids=10de:1f95,10de:10fa$" "$TMP/showconfig"
check "modprobe reads the i915 enable_gvt line" grep -q "^options i915 enable_gvt=1$" "$TMP/showconfig"
check "modprobe reads the softdep line" grep -q "^softdep nouveau pre: vfio-pci$" "$TMP/showconfig"

# real mdevctl, with a recorded /etc/mdevctl.d bound over the real one in a private mount
# namespace (nothing outside this test's temp dir is written): it reads the definitions as
# host check does, and the fix texts' mdevctl commands run as written.
mdevctl_in() {  # DIR CMD...: CMD with DIR as /etc/mdevctl.d
	d=$1; shift
	mkdir -p "$d/scripts.d/callouts" "$d/scripts.d/notifiers"
	unshare -m sh -c 'mount --bind "$0" /etc/mdevctl.d && exec "$@"' "$d" "$@"
}
if ! command -v mdevctl > /dev/null; then
	fail "mdevctl: not installed (deps.txt lists it)"
elif ! [ -d /etc/mdevctl.d ] || ! unshare -m true 2> /dev/null; then
	skip "real mdevctl: needs root and mount namespaces (unshare -m) to bind a recorded /etc/mdevctl.d"
else
	cp -a "$FIX/host-ready/etc/mdevctl.d" "$TMP/md"
	mdevctl_in "$TMP/md" mdevctl list --defined > "$TMP/list" 2> "$TMP/list.err"
	hc "$FIX/host-ready" > "$TMP/out"
	check "mdevctl lists the recorded definition as host check reads it" sh -c "grep -qx '$U 0000:00:02.0 i915-GVTg_V5_4 auto' '$TMP/list' && grep -q 'vGPU $U (i915-GVTg_V5_4) is defined in /etc/mdevctl.d/0000:00:02.0/ and started at boot' '$TMP/out'"

	# the vgpu fix of a host without a vGPU, as written (up to 'mdevctl start', which needs the
	# iGPU in the real sysfs), into an empty mdevctl.d; then host check reads what mdevctl wrote
	fixcmd=$(hc "$FIX/host-shared-audio" | sed -n 's/^ *fix: create one and keep it across reboots (package mdevctl): \(.*\) && mdevctl start -u \$U;.*/\1/p')
	mkdir -p "$TMP/md2"
	check "vgpu fix: mdevctl define as written" mdevctl_in "$TMP/md2" sh -c "$fixcmd"
	mdevctl_in "$TMP/md2" mdevctl list --defined > "$TMP/list2"
	check "vgpu fix: mdevctl keeps one auto-start definition" grep -qE '^[0-9a-f-]{36} 0000:00:02.0 i915-GVTg_V5_4 auto$' "$TMP/list2"
	rm -rf "$TMP/t"; cp -a "$FIX/host-shared-audio" "$TMP/t"; mkdir -p "$TMP/t/etc"; cp -a "$TMP/md2" "$TMP/t/etc/mdevctl.d"
	u2=$(cut -d' ' -f1 "$TMP/list2")
	hc "$TMP/t" > "$TMP/out"
	check "vgpu fix: host check then finds the definition mdevctl wrote" line "^  ok       vgpu: vGPU $u2 (i915-GVTg_V5_4) is defined in /etc/mdevctl.d/0000:00:02.0/ and started at boot; it does not exist now"

	# the manual-start fix, as written
	cp -a "$FIX/host-ready/etc/mdevctl.d" "$TMP/md3"; sed -i 's/"auto"/"manual"/' "$TMP/md3/0000:00:02.0/$U"
	fresh; rm -r "$TMP/t/etc/mdevctl.d"; cp -a "$TMP/md3" "$TMP/t/etc/mdevctl.d"
	fixcmd=$(hc "$TMP/t" | sed -n 's/^ *fix: \(mdevctl modify .*\)$/\1/p')
	check "manual fix: $fixcmd runs" mdevctl_in "$TMP/md3" sh -c "$fixcmd"
	mdevctl_in "$TMP/md3" mdevctl list --defined > "$TMP/list3"
	check "manual fix: mdevctl now starts it at boot" grep -qx "$U 0000:00:02.0 i915-GVTg_V5_4 auto" "$TMP/list3"

	# malformed definitions: host check calls unreadable what mdevctl refuses, and reads what it reads
	P4="$TMP/md4/0000:00:02.0"; mkdir -p "$P4"
	k=0
	for j in '{"mdev_type": "t1", "start": "auto", "attrs": []}' '{"mdev_type": "t1", "start": "manual"}' \
		'{"mdev_type": "t1", "start": 1, "attrs": []}' '{"mdev_type": "t1", "start": "auto", "attrs": [], "mdev_type": "t2"}' \
		'{"mdev_type": "t1", "attrs": []}' '{"start": "auto", "attrs": []}' '{"mdev_type": "t1", "start": "auto", "attrs": 5}' \
		'[1]' '' '{"mdev_type": "t1", "sta'; do
		k=$((k + 1))
		rm -f "$P4/"*; printf '%s' "$j" > "$P4/$U"
		mdevctl_in "$TMP/md4" mdevctl list --defined > "$TMP/l4" 2> /dev/null; mrc=$?
		rm -rf "$TMP/t"; cp -a "$FIX/host-shared-audio" "$TMP/t"; mkdir -p "$TMP/t/etc"; cp -a "$TMP/md4" "$TMP/t/etc/mdevctl.d"
		"$OG" --root "$TMP/t" --json host check > "$TMP/j4"
		ours=$(python3 -c "import json; m=[c['message'] for c in json.load(open('$TMP/j4'))['checks'] if c['id']=='vgpu']; print('bad' if 'unreadable' in str(m) else 'ok')" 2> /dev/null)
		theirs=$([ $mrc = 0 ] && echo ok || echo bad)
		check "definition $k: mdevctl says $theirs, host check agrees" [ "$ours" = "$theirs" ]
	done
fi
