# README's "Preparing the VM (libvirt)" section, run as written: every '$ ' line of its code
# blocks is run in order in one shell, and the output shown under it must match (a line '...'
# stands for any lines, '...' inside a line for any text). The commands run in a private mount
# namespace where /sys is a copy of the recorded laptop host (tests/fixtures/host-laptop) and
# /var/lib a temporary directory holding the VBIOS the README names, so paths are used as
# written. virsh and virt-xml talk to libvirtd, which a test cannot use: stand-ins in PATH print
# the fixture domain for 'virsh dumpxml', hand 'virsh define' to libvirt's test driver, and make
# 'virt-xml --add-device --hostdev' a no-op (the fixture has the card already). The hand edits
# of step 6 are applied where the README says to make them.
. "$TOP/tests/lib.sh"
command -v unshare > /dev/null && unshare --mount --propagation private true 2> /dev/null \
	|| { skip "README libvirt section" "cannot make a mount namespace (needs root and util-linux)"; exit 0; }
S="$TMP/sys" V="$TMP/varlib" W="$TMP/work" B="$TMP/bin"
cp -a "$FIX/host-laptop/sys" "$S"
mkdir -p "$V/libvirt/vbios" "$V/libvirt/acpi" "$V/libvirt/boot" "$W" "$B"
cp "$FIX/host-laptop/var/lib/libvirt/vbios/gtx960m.rom" "$V/libvirt/vbios/"
ln -s "$OG" "$B/optimus-guest"
cat > "$B/virsh" <<SH
#!/bin/sh
case "\$1" in
dumpxml) cat "$FIX/libvirt/virt-manager-q35.xml" ;;
define) exec $(command -v virsh || echo false) -q -c test:///default define "\$2" ;;
*) echo "virsh stand-in: \$*" >&2; exit 1 ;;
esac
SH
printf '#!/bin/sh\nexit 0\n' > "$B/virt-xml"
chmod +x "$B/virsh" "$B/virt-xml"
# step 6, by hand in the README: display on, no emulated display, SPICE with GL, direct kernel boot
cat > "$B/step6" <<'PY'
#!/usr/bin/env python3
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
chmod +x "$B/step6"

# the commands and their shown output
python3 - "$TOP/README.md" "$TMP" <<'PY'
import os, re, sys
text = open(sys.argv[1]).read()
sec = text[text.index("## Preparing the VM (libvirt)"):text.index("## How we test")]
cmds = []
for block in re.findall(r"^( *)```[a-z]*\n(.*?)^\1```", sec, re.S | re.M):
    ind, body = block
    lines = [l[len(ind):] if l.startswith(ind) else l for l in body.split("\n")[:-1]]
    for l in lines:
        if l.startswith("$ "):
            cmds.append([l[2:], []])
        elif cmds:
            cmds[-1][1].append(l)
with open(os.path.join(sys.argv[2], "script"), "w") as f:
    for i, (c, out) in enumerate(cmds):
        c = re.sub(r"\s+# .*$", "", c)            # a trailing comment
        c = re.sub(r"^sudo ", "", c)
        c = c.replace("| sudo tee", "| tee")
        if c.startswith("optimus-guest libvirt check debian12-fixed.xml") and "step6" not in open(f.name).read():
            f.write("step6\n")
        f.write("( %s ) > out.%d 2>&1; echo $? > rc.%d\n" % (c, i, i))
        open(os.path.join(sys.argv[2], "want.%d" % i), "w").write("\n".join(out).rstrip("\n") + ("\n" if out and any(x.strip() for x in out) else ""))
        open(os.path.join(sys.argv[2], "cmd.%d" % i), "w").write(c)

PY
total=$(ls "$TMP"/cmd.* | wc -l)
check "the section shows commands ($total)" test "$total" -ge 8
# the QEMU of the /proc/PID/cmdline example: a process with QEMU's arguments
python3 -c 'import time; time.sleep(300)' -name guest=debian12,debug-threads=on -machine pc-q35-7.2,accel=kvm \
	-device vfio-pci,host=0000:01:00.0,id=hostdev0,bus=pci.6,addr=0x0 &
fake=$!
( cd "$W" && PATH="$B:$PATH" unshare --mount --propagation private bash -c "mount --bind '$S' /sys && mount --bind '$V' /var/lib && cd '$W' && . '$TMP/script'" )
kill $fake 2> /dev/null
i=0
while [ $i -lt "$total" ]; do
	c=$(tr '\\' '|' < "$TMP/cmd.$i")   # shown without backslashes: echo would expand them
	rc=$(cat "$W/rc.$i")
	case "$c" in
	*"libvirt check"*) ok="0 3" ;;   # check exits 3 when it reports an error: that is its result
	diff*) ok="0 1" ;;                # diff exits 1 when the files differ
	*) ok="0" ;;
	esac
	case " $ok " in *" $rc "*) pass "runs: $c" ;; *) fail "runs: $c (exit $rc)"; sed 's/^/    /' "$W/out.$i" | head -5 ;; esac
	[ -n "$README_ACTUAL" ] && cp "$W/out.$i" "$README_ACTUAL/out.$i"
	i=$((i + 1))
done
# the output shown under each command (one python run for all)
python3 - "$TMP" "$W" "$total" <<'PY'
import difflib, os, sys
tmp, work, total = sys.argv[1], sys.argv[2], int(sys.argv[3])
def line_ok(w, h):
    parts = w.split("...")
    if len(parts) == 1:
        return w == h
    if not h.startswith(parts[0]) or not h.endswith(parts[-1]):
        return False
    pos = len(parts[0])
    for p in parts[1:-1]:
        k = h.find(p, pos)
        if k < 0:
            return False
        pos = k + len(p)
    return pos <= len(h) - len(parts[-1])
for i in range(total):
    wf = os.path.join(tmp, "want.%d" % i)
    if not os.path.getsize(wf):
        continue
    want = open(wf).read().rstrip("\n").split("\n")
    have = open(os.path.join(work, "out.%d" % i), errors="replace").read().rstrip("\n").split("\n")
    memo = {}
    def match(wi, hi):
        if (wi, hi) in memo:
            return memo[(wi, hi)]
        if wi == len(want):
            r = hi == len(have)
        elif want[wi].strip() == "...":
            r = any(match(wi + 1, k) for k in range(hi, len(have) + 1))
        else:
            r = hi < len(have) and line_ok(want[wi], have[hi]) and match(wi + 1, hi + 1)
        memo[(wi, hi)] = r
        return r
    cmd = open(os.path.join(tmp, "cmd.%d" % i)).read().replace("\\", "|")
    if match(0, 0):
        print("PASS: output as README shows it: " + cmd)
    else:
        print("FAIL: output as README shows it: " + cmd)
        for l in list(difflib.unified_diff(want, have, lineterm=""))[:20]:
            print("    " + l)
PY
