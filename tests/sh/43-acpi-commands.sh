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
# texts that show acpi-table command lines; one python run reads them all (see below)
mkdir -p "$TMP/texts"
cp README.md "$TMP/texts/README.md"
sed -n '/^# EXAMPLES/,/^# SEE ALSO/p' doc/optimus-guest.8.scd > "$TMP/texts/man-examples"
cat signatures/*.ini > "$TMP/texts/signatures"
# plan, in a guest that lacks the table
"$OG" --data-dir "$TOP" --root "$FIX/gvt-nvidia-no-acpi" plan nvidia-primary-gvt-output > "$TMP/texts/plan.txt" 2>&1
check "plan's fix text has an acpi-table command with the guest's place" grep -q -- "--slot 01:00.0 --root-port 1c.0" "$TMP/texts/plan.txt"
# libvirt check, on every domain fixture once it has a ROM, under both goals that need the table
for f in tests/fixtures/libvirt/*.xml; do
	"$OG" --root "$H" libvirt fix "$f" --vbios $ROM -o "$TMP/withrom.xml" 2> /dev/null || continue
	for goal in nvidia windows; do
		"$OG" --root "$H" libvirt check "$TMP/withrom.xml" --goal $goal > "$TMP/texts/check-$(basename "$f" .xml)-$goal.txt" 2>&1
	done
done
# each command line (the program and its options with their values), once, and where its _ROM
# must go: QEMU's name for the card, S<devfn> of the root port and of the card
python3 - "$TMP/texts" > "$TMP/cmds.u" <<'PY2'
import os, re, sys
seen, docs = [], 0
for name in sorted(os.listdir(sys.argv[1])):
    t = open(os.path.join(sys.argv[1], name)).read().replace("\\*", "*")
    for m in re.finditer(r"optimus-guest acpi-table((?:[ ]+--?[A-Za-z][\w-]*(?:[ ]+(?!-)[^\s'`();]+)?)+)", t):
        c = "optimus-guest acpi-table" + m.group(1)
        if c in seen:
            continue
        seen.append(c)
        want = "-"
        p = re.search(r"--slot ([0-9a-f:.]+) --root-port ([0-9a-f.]+)", c)
        if p:
            d, f = p.group(1).split(":")[-1].split(".")
            pd, pf = p.group(2).split(".")
            want = "\\_SB.PCI0.S%02X.S%02X" % (int(pd, 16) * 8 + int(pf, 16), int(d, 16) * 8 + int(f, 16))
        print(want + "\t" + c)
PY2
total=$(wc -l < "$TMP/cmds.u")
check "README, man page and fix texts show acpi-table commands ($total)" test "$total" -ge 6
for src in README.md man-examples plan.txt; do
	check "  some come from $src" grep -q "optimus-guest acpi-table --" "$TMP/texts/$src"
done
before=$(ls /var/lib/libvirt/acpi 2> /dev/null | wc -l)

# the world the commands expect: the VBIOS where they name it, the output directories
W="$TMP/work"
V="$TMP/varlib"
mkdir -p "$W/roms" "$V/libvirt/vbios" "$V/libvirt/acpi" "$V/libvirt/qemu"
cp "$H$ROM" "$V/libvirt/vbios/gtx960m.rom"
cp "$H$ROM" "$W/vbios.rom"
cp "$H$ROM" "$W/roms/10de-139b-0x1480-0xc.rom"
i=0
tab=$(printf '\t')
while IFS="$tab" read -r want cmd; do
	i=$((i + 1))
	run=$(printf '%s' "$cmd" | sed "s|^optimus-guest |\"\$OG\" |")
	OG="$OG" unshare --mount --propagation private sh -c "mount --bind '$V' /var/lib && cd '$W' && $run" > "$TMP/run.out" 2> "$TMP/run.err"
	rc=$?
	if [ $rc -eq 0 ] && grep -q '^wrote ' "$TMP/run.out"; then
		pass "runs as written: $cmd"
	else
		fail "runs as written: $cmd (exit $rc)"; sed 's/^/    /' "$TMP/run.err" | head -3
	fi
	[ "$want" = "-" ] || check "  _ROM at $want" grep -qF "_ROM at $want " "$TMP/run.out"
done < "$TMP/cmds.u"
check "every command ran ($i)" test "$i" -eq "$total"
check "nothing was written outside the namespace" test "$(ls /var/lib/libvirt/acpi 2> /dev/null | wc -l)" -eq "$before"
