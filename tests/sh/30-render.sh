# Every configuration we render is loaded by the real X server (tests/xorg-load.sh).
. "$TOP/tests/lib.sh"
P="$OG --data-dir $TOP"

# render ROOT [PROFILE] -> files in $TMP/out-N
n=0
render() {
	n=$((n + 1))
	out="$TMP/out-$n"; mkdir -p "$out"
	$P --root "$FIX/$1" --json plan $2 > "$TMP/r.json" 2>/dev/null
	python3 - "$TMP/r.json" "$out" <<'PY'
import json, os, sys
d = json.load(open(sys.argv[1]))
for f in d.get("writes", []):
    with open(os.path.join(sys.argv[2], f["path"]), "w") as o:
        o.write(f["content"])
PY
}

cases="gvt-nouveau-offload: gvt-only: qxl-boot-vga: i440fx: gvt-nvidia-acpi:nvidia-primary-gvt-output gvt-nvidia-acpi:gvt-nvidia-offload qxl-boot-vga:gvt-only"
for c in $cases; do
	fx=${c%%:*}; prof=${c#*:}
	render "$fx" "$prof"
	label="$fx${prof:+ $prof}"
	if ! ls "$out"/*.conf > /dev/null 2>&1; then
		fail "render $label wrote nothing"; continue
	fi
	head -1 "$out"/*.conf | grep -q "Written by optimus-guest for profile" && pass "header $label" || fail "header $label"
	grep -q "Put local changes in a file of your own" "$out"/*.conf && pass "local-changes note $label" || fail "local-changes note $label"
	sh "$TOP/tests/xorg-load.sh" "$out" > "$TMP/x.log" 2>&1; rc=$?
	case $rc in
	0) pass "Xorg loads $label" ;;
	77) skip "Xorg loads $label: $(cat "$TMP/x.log")" ;;
	*) fail "Xorg loads $label"; cat "$TMP/x.log" ;;
	esac
done

# BusIDs in Xorg's decimal PCI:bus@domain:device:function form
render gvt-nvidia-acpi nvidia-primary-gvt-output
grep -q 'BusID "PCI:1@0:0:0"' "$out"/*.conf && grep -q 'BusID "PCI:0@0:2:0"' "$out"/*.conf \
	&& pass "decimal BusIDs" || fail "decimal BusIDs"
grep -q 'Inactive "optimus-guest-gvt"' "$out"/*.conf && pass "GVT inactive for PRIME output" || fail "GVT inactive for PRIME output"
# an emulated boot VGA: GVT stays primary and auto-binding is off
render qxl-boot-vga
grep -q '"PrimaryGPU" "yes"' "$out"/*.conf && grep -q '"AutoBindGPU" "false"' "$out"/*.conf \
	&& pass "QXL kept out: PrimaryGPU + AutoBindGPU off" || fail "QXL kept out: PrimaryGPU + AutoBindGPU off"
render gvt-nouveau-offload
grep -q AutoBindGPU "$out"/*.conf && fail "no AutoBindGPU without an emulated display" || pass "no AutoBindGPU without an emulated display"
# a broken snippet must fail the loader: the check can fail
mkdir -p "$TMP/broken"
printf 'Section "OutputClass"\n    Identifer "x"\nEndSection\n' > "$TMP/broken/20-optimus-guest-x.conf"
sh "$TOP/tests/xorg-load.sh" "$TMP/broken" > /dev/null 2>&1; rc=$?
if [ $rc -eq 77 ]; then skip "loader rejects a typo: cannot run Xorg"; elif [ $rc -ne 0 ]; then pass "loader rejects a typo"; else fail "loader rejects a typo"; fi
