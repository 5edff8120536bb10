# Every acpi-table command line we print or document runs as written: README, the man page, the
# log signatures' fixes, plan's fix text and libvirt check's fix texts. The rule they all follow:
# the GPU's place is read from the VM definition (libvirt check) or the guest (plan), never
# guessed. They run in a private mount namespace whose /var/lib is a temporary directory, so
# the absolute paths they name (/var/lib/libvirt/...) are used as written without touching the
# real system.
. "$TOP/tests/lib.sh"
command -v unshare > /dev/null || { skip "documented acpi-table commands" "unshare (util-linux) missing"; exit 0; }
if ! unshare --mount --propagation private true 2> /dev/null; then
	skip "documented acpi-table commands" "cannot make a mount namespace (needs root)"; exit 0
fi
cd "$TOP"
H="$FIX/host-laptop"
ROM=/var/lib/libvirt/vbios/gtx960m.rom
: > "$TMP/cmds"
# acpi-table command lines in a text: the program and its options with their values
extract() {
	python3 -c '
import re, sys
t = open(sys.argv[1]).read().replace("\\*", "*")
for m in re.finditer(r"optimus-guest acpi-table((?:[ ]+--?[A-Za-z][\w-]*(?:[ ]+(?!-)[^\s\x27`();]+)?)+)", t):
    print("optimus-guest acpi-table" + m.group(1))
' "$1" >> "$TMP/cmds"
}
extract README.md
sed -n '/^# EXAMPLES/,/^# SEE ALSO/p' doc/optimus-guest.8.scd > "$TMP/man-examples"
extract "$TMP/man-examples"
for f in signatures/*.ini; do extract "$f"; done
n_docs=$(wc -l < "$TMP/cmds")
check "README and man page show acpi-table commands ($n_docs)" test "$n_docs" -ge 3
# plan, in a guest that lacks the table
"$OG" --data-dir "$TOP" --root "$FIX/gvt-nvidia-no-acpi" plan nvidia-primary-gvt-output > "$TMP/plan.txt" 2>&1
extract "$TMP/plan.txt"
check "plan's fix text has an acpi-table command with the guest's place" grep -q -- "--slot 01:00.0 --root-port 1c.0" "$TMP/plan.txt"
# libvirt check, on every domain fixture once it has a ROM, under both goals that need the table
for f in tests/fixtures/libvirt/*.xml; do
	"$OG" --root "$H" libvirt fix "$f" --vbios $ROM -o "$TMP/withrom.xml" 2> /dev/null || continue
	for goal in nvidia windows; do
		"$OG" --root "$H" libvirt check "$TMP/withrom.xml" --goal $goal > "$TMP/check.txt" 2>&1
		extract "$TMP/check.txt"
	done
done
sort -u "$TMP/cmds" > "$TMP/cmds.u"
total=$(wc -l < "$TMP/cmds.u")
check "libvirt check printed acpi-table commands" test "$total" -gt "$n_docs"
before=$(ls /var/lib/libvirt/acpi 2> /dev/null | wc -l)

# the world the commands expect: the VBIOS where they name it, the output directories
W="$TMP/work"
V="$TMP/varlib"
mkdir -p "$W/roms" "$V/libvirt/vbios" "$V/libvirt/acpi" "$V/libvirt/qemu"
cp "$H$ROM" "$V/libvirt/vbios/gtx960m.rom"
cp "$H$ROM" "$W/vbios.rom"
cp "$H$ROM" "$W/roms/10de-139b-0x1480-0xc.rom"
i=0
while IFS= read -r cmd; do
	i=$((i + 1))
	run=$(printf '%s' "$cmd" | sed "s|^optimus-guest |\"\$OG\" |")
	OG="$OG" unshare --mount --propagation private sh -c "mount --bind '$V' /var/lib && cd '$W' && $run" > "$TMP/run.out" 2> "$TMP/run.err"
	rc=$?
	if [ $rc -eq 0 ] && grep -q '^wrote ' "$TMP/run.out"; then
		pass "runs as written: $cmd"
	else
		fail "runs as written: $cmd (exit $rc)"; sed 's/^/    /' "$TMP/run.err" | head -3
	fi
	# a command with a place puts _ROM where QEMU names the card: S<devfn> of root port and card
	place=$(printf '%s' "$cmd" | sed -n 's/.*--slot \([0-9a-f:.]*\) --root-port \([0-9a-f.]*\).*/\1 \2/p')
	if [ -n "$place" ]; then
		want=$(python3 -c '
import sys
slot, port = sys.argv[1], sys.argv[2]
d, f = slot.split(":")[-1].split("."); pd, pf = port.split(".")
print("\\_SB.PCI0.S%02X.S%02X" % (int(pd, 16) * 8 + int(pf, 16), int(d, 16) * 8 + int(f, 16)))' $place)
		check "  _ROM at $want" grep -qF "_ROM at $want " "$TMP/run.out"
	fi
done < "$TMP/cmds.u"
check "every command ran ($i)" test "$i" -eq "$total"
check "nothing was written outside the namespace" test "$(ls /var/lib/libvirt/acpi 2> /dev/null | wc -l)" -eq "$before"
