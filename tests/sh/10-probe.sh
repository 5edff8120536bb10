# probe on every recorded guest tree: lspci agrees, the JSON round trip holds, bad roots fail cleanly.
. "$TOP/tests/lib.sh"

for root in "$FIX"/*/; do
	name=$(basename "$root")
	[ -d "$root/sys" ] || continue
	if ! "$OG" --root "$root" probe --json > "$TMP/$name.json" 2> "$TMP/err"; then
		fail "probe $name"; cat "$TMP/err"; continue
	fi
	pass "probe $name"
	"$OG" --root "$root" probe > "$TMP/$name.txt" 2>&1 && grep -q '^DEVICE' "$TMP/$name.txt" \
		&& pass "probe table $name" || fail "probe table $name"
	# the JSON round trip is byte-identical
	"$OG" --snapshot "$TMP/$name.json" probe --json > "$TMP/$name.2.json" 2> "$TMP/err"
	same_file "round trip $name" "$TMP/$name.json" "$TMP/$name.2.json"
	# the real lspci reads the same tree and agrees with us
	lspci -vmmnk -D -A linux-sysfs -O "sysfs.path=$root/sys/bus/pci" -O hwdb.disable=1 > "$TMP/$name.lspci" 2> "$TMP/lspci.err"
	if python3 "$TOP/scripts/lspci-compare.py" "$TMP/$name.json" "$TMP/$name.lspci" > "$TMP/cmp"; then
		pass "lspci agrees $name"
	else
		fail "lspci agrees $name"; cat "$TMP/cmp"
	fi
	if [ -f "$root/expected/probe.json" ]; then
		same_file "golden probe $name" "$root/expected/probe.json" "$TMP/$name.json"
	fi
done

# roles the matrix depends on
"$OG" --root "$FIX/gvt-nouveau-offload" probe --json > "$TMP/g.json"
python3 - "$TMP/g.json" <<'PY' && pass "roles gvt + nvidia-muxless" || fail "roles gvt + nvidia-muxless"
import json, sys
s = json.load(open(sys.argv[1]))
roles = {d["slot"]: d["role"] for d in s["pci"]}
assert roles["0000:00:02.0"] == "gvt", roles
assert roles["0000:01:00.0"] == "nvidia-muxless", roles
assert s["environment"]["machine"] == "q35"
assert s["environment"]["efi_pci_rom"] is True
assert s["environment"]["firmware"] == "uefi"
PY
"$OG" --root "$FIX/mxm-card" probe --json | grep -q '"role": "nvidia-outputs"' && pass "role nvidia-outputs" || fail "role nvidia-outputs"
"$OG" --root "$FIX/qxl-boot-vga" probe --json | grep -q '"role": "qxl"' && pass "role qxl" || fail "role qxl"
"$OG" --root "$FIX/i440fx" probe --json | grep -q '"machine": "i440fx"' && pass "machine i440fx" || fail "machine i440fx"
"$OG" --root "$FIX/seabios" probe --json | grep -q '"firmware": "bios"' && pass "firmware bios" || fail "firmware bios"

# bad roots: clear message, exit 1, never a crash
expect_exit 1 "root missing" "$OG" --root "$TMP/nope" probe
grep -q "cannot open root" "$TMP/err" && pass "root missing message" || fail "root missing message"
mkdir -p "$TMP/empty"
expect_exit 1 "root not a sysroot" "$OG" --root "$TMP/empty" probe
grep -q "is --root a sysroot" "$TMP/err" && pass "not a sysroot message" || fail "not a sysroot message"

cp -a "$FIX/gvt-nouveau-offload" "$TMP/bad"
printf 'zz-not-hex\n' > "$TMP/bad/sys/devices/pci0000:00/0000:00:02.0/class"
expect_exit 1 "malformed class" "$OG" --root "$TMP/bad" probe
grep -q "0000:00:02.0/class.*not a hex number" "$TMP/err" && pass "malformed class message" || fail "malformed class message"

cp -a "$FIX/gvt-nouveau-offload" "$TMP/dang"
rm "$TMP/dang/sys/bus/pci/devices/0000:00:02.0"
ln -s ../../../devices/pci0000:00/0000:00:09.0 "$TMP/dang/sys/bus/pci/devices/0000:00:02.0"
expect_exit 1 "dangling device symlink" "$OG" --root "$TMP/dang" probe
grep -q "0000:00:02.0" "$TMP/err" && pass "dangling symlink message" || fail "dangling symlink message"

cp -a "$FIX/gvt-nouveau-offload" "$TMP/esc"
rm -rf "$TMP/esc/proc/cpuinfo"
ln -s /etc/passwd "$TMP/esc/proc/cpuinfo"   # absolute: resolved inside the root
"$OG" --root "$TMP/esc" probe --json > "$TMP/esc.json" 2>&1 && pass "absolute symlink stays in root" || fail "absolute symlink stays in root"
ln -s loop "$TMP/esc/sys/class/dmi/id/loop" ; rm -f "$TMP/esc/sys/class/dmi/id/sys_vendor"
ln -s loop "$TMP/esc/sys/class/dmi/id/sys_vendor"
expect_exit 1 "symlink loop" "$OG" --root "$TMP/esc" probe
grep -q "too many levels of symbolic links" "$TMP/err" && pass "symlink loop message" || fail "symlink loop message"

cp -a "$FIX/gvt-nouveau-offload" "$TMP/fifo"
rm "$TMP/fifo/proc/cmdline"; mkfifo "$TMP/fifo/proc/cmdline"
timeout 10 "$OG" --root "$TMP/fifo" probe > /dev/null 2> "$TMP/err"; rc=$?
[ $rc -eq 1 ] && grep -q "not a regular file" "$TMP/err" && pass "fifo does not hang" || fail "fifo does not hang (rc $rc)"

# malformed snapshots: the JSON error with line and column
printf '{\n  "version": 1,\n  "pci": [ }\n' > "$TMP/bad.json"
expect_exit 1 "malformed snapshot" "$OG" --snapshot "$TMP/bad.json" probe
grep -q "bad.json:3:" "$TMP/err" && pass "snapshot error has line" || fail "snapshot error has line"
sed 's/"vendor": "0x8086"/"vendor": 32902/' "$TMP/g.json" > "$TMP/typed.json"
expect_exit 1 "snapshot wrong type" "$OG" --snapshot "$TMP/typed.json" probe
grep -q 'pci\[0\].vendor: expected a hex string' "$TMP/err" && pass "snapshot field path" || fail "snapshot field path"

# the Xorg version also from a rootless server's log (the places report scans), the newest wins
cp -a "$FIX/gvt-only" "$TMP/rootless"
mkdir -p "$TMP/rootless/home/alice/.local/share/xorg"
sed 's/X.Org X Server 1.21.1.7/X.Org X Server 21.1.13/' "$TMP/rootless/var/log/Xorg.0.log" \
	> "$TMP/rootless/home/alice/.local/share/xorg/Xorg.0.log"
touch -d '2020-01-01' "$TMP/rootless/var/log/Xorg.0.log"
"$OG" --root "$TMP/rootless" probe > "$TMP/rootless.txt" 2>&1
grep -q '^Xorg version: *21.1.13$' "$TMP/rootless.txt" && pass "Xorg version from the newest (rootless) log" \
	|| { fail "Xorg version from the newest (rootless) log"; grep 'Xorg version' "$TMP/rootless.txt"; }
rm "$TMP/rootless/var/log/Xorg.0.log"
mv "$TMP/rootless/home/alice" "$TMP/rootless/root"
"$OG" --root "$TMP/rootless" probe > "$TMP/rootless.txt" 2>&1
grep -q '^Xorg version: *21.1.13$' "$TMP/rootless.txt" && pass "Xorg version from root's rootless log" \
	|| { fail "Xorg version from root's rootless log"; grep 'Xorg version' "$TMP/rootless.txt"; }

# setup_data ROMs in a snapshot: the wrong type is an error naming the field; odd strings and
# an absent key (snapshots written before the field) plan without crashing
for v in '[7]' '["", "10de", "10de:139", "@", "zzzz:zzzz@x"]' 'absent'; do
	python3 - "$TMP/g.json" "$v" > "$TMP/roms.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
if sys.argv[2] == "absent":
    del s["environment"]["setup_data_pci_roms"]
else:
    s["environment"]["setup_data_pci_roms"] = json.loads(sys.argv[2])
json.dump(s, sys.stdout)
PY
	"$OG" --data-dir "$TOP" --snapshot "$TMP/roms.json" plan gvt-nouveau-offload > "$TMP/out" 2> "$TMP/err"; rc=$?
	case $v in
	'[7]') [ $rc -eq 1 ] && grep -q 'setup_data_pci_roms: expected an array of strings' "$TMP/err" \
		&& pass "snapshot setup_data_pci_roms of numbers refused" || { fail "snapshot setup_data_pci_roms of numbers refused (exit $rc)"; cat "$TMP/err"; } ;;
	*) [ $rc -eq 3 ] && grep -q 'efi-rom-handover' "$TMP/out" && pass "snapshot setup_data_pci_roms $v: refused, no crash" \
		|| { fail "snapshot setup_data_pci_roms $v (exit $rc)"; head -5 "$TMP/err"; } ;;
	esac
done

# A device's uevent (what a running kernel always has) gives its ids, class and driver in one
# read: its values are the ones used. One that is malformed, too large, a FIFO or a directory
# is not trusted, and the files are read one by one, as on a recorded tree without uevent.
nv=$(readlink -f "$FIX/gvt-nouveau-offload/sys/bus/pci/devices/0000:01:00.0")
nvrel=${nv#"$(readlink -f "$FIX/gvt-nouveau-offload")"/}
uev() { # NAME: a copy of the tree, its NVIDIA device's uevent written by the caller
	rm -rf "$TMP/uev-$1"; cp -a "$FIX/gvt-nouveau-offload" "$TMP/uev-$1"; echo "$TMP/uev-$1/$nvrel/uevent"; }
nvjson() { # ROOT: "vendor device subsystem_vendor subsystem_device class driver" of 0000:01:00.0
	"$OG" --root "$1" probe --json | python3 -c '
import json, sys
d = [p for p in json.load(sys.stdin)["pci"] if p["slot"] == "0000:01:00.0"][0]
print(d["vendor"], d["device"], d["subsystem_vendor"], d["subsystem_device"], d["class"], d["driver"])'; }
files=$(nvjson "$FIX/gvt-nouveau-offload")
f=$(uev good)
printf 'DRIVER=nvidia\nPCI_CLASS=30200\nPCI_ID=10DE:1C8D\nPCI_SUBSYS_ID=1028:06E4\nPCI_SLOT_NAME=0000:01:00.0\n' > "$f"
got=$(nvjson "$TMP/uev-good")
[ "$got" = "0x10de 0x1c8d 0x1028 0x06e4 0x030200 nvidia" ] && pass "uevent: ids, class and driver from one read" \
	|| fail "uevent: ids, class and driver from one read (got '$got')"
for bad in 'PCI_CLASS=30200\nPCI_ID=10DE1C8D\nPCI_SUBSYS_ID=1028:06E4\n' 'PCI_ID=10DE:1C8D\nPCI_SUBSYS_ID=1028:06E4\n' \
	'garbage' 'PCI_CLASS=30200\nPCI_ID=10DE:1C8D\nPCI_SUBSYS_ID=1028:06E4\nDRIVER=../../evil\n'; do
	f=$(uev bad); printf "$bad" > "$f"
	got=$(nvjson "$TMP/uev-bad")
	[ "$got" = "$files" ] && pass "uevent '$(printf "$bad" | head -1)': not trusted, the files are read" \
		|| fail "uevent '$(printf "$bad" | head -1)': not trusted, the files are read (got '$got', want '$files')"
done
f=$(uev big); { printf 'PCI_CLASS=30200\nPCI_ID=10DE:1C8D\nPCI_SUBSYS_ID=1028:06E4\n'; head -c 4000 /dev/zero | tr '\0' x; } > "$f"
got=$(nvjson "$TMP/uev-big")
[ "$got" = "$files" ] && pass "uevent larger than a kernel's: not trusted" || fail "uevent larger than a kernel's: not trusted (got '$got')"
f=$(uev fifo); mkfifo "$f"
timeout 10 "$OG" --root "$TMP/uev-fifo" probe --json > "$TMP/uev.json" 2> "$TMP/err"; rc=$?
got=$(nvjson "$TMP/uev-fifo" 2> /dev/null)
[ $rc -eq 0 ] && [ "$got" = "$files" ] && pass "uevent as a FIFO: no hang, the files are read" \
	|| { fail "uevent as a FIFO: no hang, the files are read (exit $rc, got '$got')"; head -3 "$TMP/err"; }
f=$(uev dir); mkdir "$f"
got=$(nvjson "$TMP/uev-dir")
[ "$got" = "$files" ] && pass "uevent as a directory: the files are read" || fail "uevent as a directory: the files are read (got '$got')"
