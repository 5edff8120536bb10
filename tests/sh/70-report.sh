# report: golden Markdown/JSON for every fixture and for the broken-logs sample, the JSON
# contract, redaction end to end, options, hostile logs (FIFO, 1 MB lines, garbage), -o.
. "$TOP/tests/lib.sh"
P="$OG --data-dir $TOP"
norm() { sed 's/optimus-guest [0-9][0-9.]*[0-9]/optimus-guest VERSION/'; }

for root in "$FIX"/*/; do
	name=$(basename "$root")
	[ -f "$root/expected/report.md" ] || continue
	for fmt in md json; do
		$P --root "$root" report --format $fmt 2> "$TMP/err" | norm > "$TMP/report.$fmt"
		same_file "golden report.$fmt $name" "$root/expected/report.$fmt" "$TMP/report.$fmt"
	done
done

B="$TOP/tests/logs/broken"
# paths relative to the repository, as the goldens show them
cd "$TOP"
for fmt in md json; do
	$P --root "$FIX/gvt-nvidia-no-acpi" report --format $fmt --log tests/logs/broken/kern.log \
		--log tests/logs/broken/Xorg.0.log 2> "$TMP/err" | norm > "$TMP/broken.$fmt"
	same_file "golden broken-logs report.$fmt" "$B/report.$fmt" "$TMP/broken.$fmt"
done

# the JSON contract (DESIGN.md): snapshot, decision, findings with id/severity/message/fix/source/line
python3 - "$TMP/broken.json" <<'PY' && pass "report JSON contract" || fail "report JSON contract"
import json, sys
r = json.load(open(sys.argv[1]))
assert {"snapshot", "decision", "findings"} <= set(r), r.keys()
assert r["decision"]["profile"] and isinstance(r["snapshot"]["pci"], list)
assert len(r["findings"]) >= 10
for f in r["findings"]:
    for k in ("id", "severity", "message", "fix", "source", "line"):
        assert k in f, (k, f)
    assert f["severity"] in ("error", "warning", "info") and isinstance(f["line"], int) and f["line"] > 0
PY
$P --root "$FIX/gvt-only" --json report | python3 -c 'import json,sys; json.load(sys.stdin)' \
	&& pass "--json means --format json" || fail "--json means --format json"

# redaction end to end: host name from syslog lines, user name from a home directory log
mkdir -p "$TMP/tree/home/alice/.local/share/xorg" "$TMP/tree/etc"
cp -R "$FIX/gvt-nvidia-no-acpi/." "$TMP/tree/"
echo vmhost > "$TMP/tree/etc/hostname"
cp "$B/Xorg.0.log" "$TMP/tree/home/alice/.local/share/xorg/Xorg.0.log"
cp "$B/kern.log" "$TMP/tree/var/log/kern.log"
$P --root "$TMP/tree" report > "$TMP/red.md" 2>/dev/null
$P --root "$TMP/tree" report --format json > "$TMP/red.json" 2>/dev/null
if grep -q -e vmhost -e alice "$TMP/red.md" "$TMP/red.json"; then fail "redacted: no host or user name"; else pass "redacted: no host or user name"; fi
grep -q 'home/&lt;user-1&gt;/.local/share/xorg/Xorg.0.log' "$TMP/red.md" && pass "redacted user path" || fail "redacted user path"
grep -q '<host-1> kernel:' "$TMP/red.md" && pass "redacted syslog host" || fail "redacted syslog host"
grep -q '^optimus-guest .*Redacted: 1 host name, 1 user name' "$TMP/red.md" && pass "report says it redacted" || fail "report says it redacted"
python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["redaction"]; assert r["enabled"] and r["host_names"]==1 and r["user_names"]==1' "$TMP/red.json" \
	&& pass "JSON says it redacted" || fail "JSON says it redacted"
$P --root "$TMP/tree" report --no-redact > "$TMP/plain.md" 2>/dev/null
grep -q 'vmhost kernel:' "$TMP/plain.md" && grep -q 'home/alice' "$TMP/plain.md" && grep -q 'Not redacted' "$TMP/plain.md" \
	&& pass "--no-redact keeps them" || fail "--no-redact keeps them"

# options
expect_exit 2 "unknown option" $P --root "$FIX/gvt-only" report --bogus
grep -q "see 'optimus-guest report --help'" "$TMP/err" && pass "usage error names report --help" || fail "usage error names report --help"
expect_exit 2 "bad format" $P --root "$FIX/gvt-only" report --format xml
expect_exit 2 "stray operand" $P --root "$FIX/gvt-only" report extra
expect_exit 0 "report --help" $P report --help
grep -q -- '--no-redact' "$TMP/out" && pass "help lists --no-redact" || fail "help lists --no-redact"
expect_exit 1 "missing --log" $P --root "$FIX/gvt-only" report --log "$TMP/nope.log"
grep -q "cannot open log '$TMP/nope.log': No such file or directory" "$TMP/err" && pass "missing --log message" || fail "missing --log message"
expect_exit 1 "bad data dir" $OG --data-dir "$TMP/nowhere" --root "$FIX/gvt-only" report

# -o writes the same bytes atomically, and nothing else is left in the directory
mkdir "$TMP/out-dir"
$P --root "$FIX/no-efi-handover" report -o "$TMP/out-dir/r.md" 2>/dev/null
$P --root "$FIX/no-efi-handover" report > "$TMP/r-stdout.md" 2>/dev/null
same_file "-o writes the report" "$TMP/r-stdout.md" "$TMP/out-dir/r.md"
[ "$(ls -A "$TMP/out-dir")" = "r.md" ] && pass "-o leaves no temp file" || fail "-o leaves no temp file"
expect_exit 1 "-o into a missing directory" $P --root "$FIX/gvt-only" report -o "$TMP/no/dir/r.md"

# a replayed snapshot reports the same guest (logs only from --log)
$P --root "$FIX/no-efi-handover" probe --json > "$TMP/snap.json"
$P --snapshot "$TMP/snap.json" report --log "$FIX/no-efi-handover/var/log/kern.log" --format json > "$TMP/snap-report.json" 2>/dev/null
python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); assert any(f["id"]=="nouveau-vbios-not-found" for f in r["findings"])' "$TMP/snap-report.json" \
	&& pass "snapshot replay + --log" || fail "snapshot replay + --log"

# hostile logs: a FIFO (as --log and in the tree) must not hang; 1 MB lines, garbage, bad UTF-8
mkfifo "$TMP/fifo"
expect_exit 1 "FIFO as --log refused" timeout 10 $P --root "$FIX/gvt-only" report --log "$TMP/fifo"
grep -q "is not a regular file" "$TMP/err" && pass "FIFO message" || fail "FIFO message"
mkdir -p "$TMP/fifo-tree"
cp -R "$FIX/gvt-only/." "$TMP/fifo-tree/"
rm -f "$TMP/fifo-tree/var/log/kern.log"
mkfifo "$TMP/fifo-tree/var/log/kern.log"
expect_exit 0 "FIFO in the tree skipped" timeout 10 $P --root "$TMP/fifo-tree" report
grep -q 'var/log/kern.log | kernel | 0 | not a regular file, skipped' "$TMP/out" && pass "FIFO noted" || fail "FIFO noted"
python3 - "$TMP/hostile.log" <<'PY'
import random, sys
r = random.Random(7)
with open(sys.argv[1], "wb") as f:
    f.write(b"x" * (1 << 20) + b"\n")
    f.write(bytes(r.getrandbits(8) for _ in range(200000)) + b"\n")
    f.write(b"\xff\xfe bad utf8 \xc3\x28 \xed\xa0\x80\n")
    f.write(b"\x00" * 4096 + b"[  2.690] nouveau 0000:01:00.0: bios: unable to locate usable image\n")
PY
expect_exit 0 "hostile log scanned" timeout 30 $P --root "$FIX/gvt-only" report --format json --log "$TMP/hostile.log"
python3 - "$TMP/out" <<'PY' && pass "hostile log findings and notes" || fail "hostile log findings and notes"
import json, sys
r = json.load(open(sys.argv[1]))
log = [l for l in r["logs"] if l["source"].endswith("hostile.log")][0]
assert log["truncated_lines"] >= 1 and log["binary_lines"] >= 1 and log["nul_bytes"] >= 4096, log
f = [f for f in r["findings"] if f["id"] == "nouveau-vbios-not-found"][0]
assert f["line"] == log["lines"], (f, log)
PY

# the planner hook as the report shows it: a VBIOS failure agrees with a failed efi-rom-handover
# check, and contradicts one that passed
$P --root "$FIX/no-efi-handover" report > "$TMP/ev1.md" 2>/dev/null
grep -q 'nouveau-vbios-not-found confirms efi-rom-handover (var/log/kern.log line 3): agrees with the decision' "$TMP/ev1.md" \
	&& pass "log evidence agrees" || fail "log evidence agrees"
$P --root "$FIX/gvt-nouveau-offload" report --format json --log "$FIX/no-efi-handover/var/log/kern.log" > "$TMP/ev2.json" 2>/dev/null
python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); f=[f for f in r["findings"] if f["id"]=="nouveau-vbios-not-found"][0]; assert f["evidence"]=="contradicts", f' "$TMP/ev2.json" \
	&& pass "log evidence contradicts a passed check" || fail "log evidence contradicts a passed check"

# README "Known failures it names": every row's real line is named by its signature, and every
# signature file (family) has a row
sed -n '/^### Known failures it names/,/^### Sample/p' "$TOP/README.md" | grep '^| [^-f]' > "$TMP/known.rows"
: > "$TMP/families"
while IFS='|' read -r _ fam sig line _; do
	sig=$(echo "$sig" | sed 's/^ *`//; s/` *$//'); line=$(echo "$line" | sed 's/^ `//; s/` $//')
	printf '%s\n' "$line" > "$TMP/one.log"
	$OG --data-dir "$TOP" --root "$FIX/gvt-nouveau-offload" report --format json --no-redact --log "$TMP/one.log" > "$TMP/one.json" 2>/dev/null
	python3 - "$TMP/one.json" "$sig" "$TMP/one.log" <<'PY' && pass "README known failure $sig" || fail "README known failure $sig: $line"
import json, sys
r = json.load(open(sys.argv[1]))
ids = [f["id"] for f in r["findings"] if f["source"].endswith("one.log")]
assert ids == [sys.argv[2]], ids
PY
	grep -l "^\[$sig\]" "$TOP"/signatures/*.ini >> "$TMP/families"
done < "$TMP/known.rows"
for f in "$TOP"/signatures/*.ini; do
	grep -qx "$f" "$TMP/families" && pass "README names family $(basename "$f")" || fail "README names family $(basename "$f")"
done

# redaction everywhere a value can appear: a tree and a log holding host names, user names in
# home paths, MACs, serials, UUIDs and IPv4/IPv6 addresses in many line shapes; the decision
# table's contradiction row quotes a log path and line, and the header's counts are those of
# the placeholders shown. Versions, PCI addresses and time stamps next to them stay.
cp -R "$FIX/gvt-nouveau-offload" "$TMP/red"
mkdir -p "$TMP/red/etc" "$TMP/red/home/alice" "$TMP/red/home/bilbo/logs"
echo frodo-laptop > "$TMP/red/etc/hostname"
# the kernel command line (the snapshot's cmdline, in the environment table and the JSON)
echo 'BOOT_IMAGE=/boot/vmlinuz-6.1.0-13-amd64 ip=192.168.122.57::192.168.122.1:255.255.255.0::enp1s0:none nfsroot=[fd00:1234::5]:/srv ro' > "$TMP/red/proc/cmdline"
# an admin's Xorg file (the report quotes its options) holding addresses and the host name
mkdir -p "$TMP/red/etc/X11/xorg.conf.d"
printf 'Section "ServerFlags"\n    Option "PushedFrom" "172.16.5.4 2001:db8:7::2 frodo-laptop"\nEndSection\n' > "$TMP/red/etc/X11/xorg.conf.d/20-site.conf"
# each line holds a known failure, so the report quotes it
cat > "$TMP/red/home/bilbo/logs/kern.log" <<'LOG'
Nov 30 10:01:02.123456 frodo-laptop kernel: [    2.690] nouveau 0000:01:00.0: bios: unable to locate usable image (via 10.20.30.40)
[    3.100000] samwise-pc kernel: NVRM: GPU at 0000:01:00.0 has fallen off the bus. eth0 52:54:00:12:34:56 inet6 fe80::5054:ff:fe12:3456/64
Nov 30 10:01:03 192.168.122.57 kernel: NVRM: GPU 0000:01:00.0: RmInitAdapter failed! (0x62:0x25:2015) 535.104.05 [2001:db8:42::7]:22
[    3.200000] samwise-pc systemd[1]: /nix/store/0a1b2c3d4e5f6g7h8i9j0k1l2m3n4o5p-nixos-system-gandalf-23.05.20230801.abcdef/init: nouveau 0000:01:00.0: bios ctor failed, -22
merry@pippin-box:~$ primusrun glxgears
primus: fatal: failed to connect to Bumblebee daemon: No such file or directory (merry on pippin-box)
Nov 30 10:01:05 frodo-laptop gdm-password][1234]: pam_unix(gdm-password:session): session opened for user rosie(uid=1000) by (uid=0)
Nov 30 10:01:06 frodo-laptop lightdm[900]: Session pid=1234: Started with service 'lightdm', username 'tom'
Nov 30 10:01:07 frodo-laptop Xorg[901]: (EE) NVIDIA(GPU-0): Failed to acquire modesetting permission. (rosie, tom)
Nov 30 10:01:08 frodo-laptop kernel: NVRM: The NVIDIA probe routine failed for 1 device(s). Serial Number: PF1ABCDE root=UUID=4f1c2d7e-8a7b-4c39-9d61-0f3b2a1c5e77 /home/alice/x
LOG
secrets="frodo-laptop samwise-pc gandalf merry pippin-box rosie tom bilbo alice 52:54:00:12:34:56 PF1ABCDE 4f1c2d7e-8a7b-4c39-9d61-0f3b2a1c5e77
	10.20.30.40 fe80::5054:ff:fe12:3456 192.168.122.57 192.168.122.1 fd00:1234::5 2001:db8:42::7 172.16.5.4 2001:db8:7::2"
for fmt in md json; do
	$P --root "$TMP/red" report --format $fmt --log "$TMP/red/home/bilbo/logs/kern.log" > "$TMP/red.$fmt" 2>/dev/null
	leaked=""
	for v in $secrets; do grep -qw -- "$v" "$TMP/red.$fmt" && leaked="$leaked $v"; done
	[ -z "$leaked" ] && pass "redaction $fmt: nothing leaks" || fail "redaction $fmt: leaked$leaked"
	kept=""
	for v in '0000:01:00.0 has fallen off the bus' '\[    3.100000\]' '535.104.05' '0x62:0x25:2015' '1.21.1.7' '255.255.255.0' '/64'; do
		grep -q -- "$v" "$TMP/red.$fmt" || kept="$kept $v"
	done
	[ -z "$kept" ] && pass "redaction $fmt: versions, PCI addresses, time stamps stay" || fail "redaction $fmt: eaten:$kept"
done
grep -q '| Command line | BOOT\\_IMAGE=/boot/vmlinuz-6.1.0-13-amd64 ip=&lt;ip-[0-9]*&gt;::&lt;ip-[0-9]*&gt;:255.255.255.0::enp1s0:none nfsroot=\\\[&lt;ip-[0-9]*&gt;\\\]:/srv ro |' "$TMP/red.md" \
	&& pass "redaction md: addresses in the kernel command line" || { fail "redaction md: addresses in the kernel command line"; grep -n 'command line' "$TMP/red.md"; }
grep -q '| log-contradiction | warning | check efi-rom-handover passed, but the log says otherwise: nouveau-vbios-not-found at .*/home/&lt;user-[0-9]*&gt;/logs/kern.log line 1: Nov 30 10:01:02.123456 &lt;host-[0-9]*&gt; kernel' "$TMP/red.md" \
	&& pass "redaction md: the contradiction row is redacted" || { fail "redaction md: the contradiction row is redacted"; grep -n "efi-rom-handover" "$TMP/red.md" | head -3; }
python3 - "$TMP/red.json" <<'PY' && pass "redaction json: decision redacted, counts true" || fail "redaction json: decision redacted, counts true"
import json, re, sys
text = open(sys.argv[1]).read()
r = json.loads(text)
c = [c for c in r["decision"]["checks"] if c["id"] == "log-contradiction"][0]
assert "but the log says otherwise" in c["message"] and "<user-" in c["message"] and "<host-" in c["message"], c
body = json.dumps({k: v for k, v in r.items() if k != "redaction"})
for kind, key in (("host", "host_names"), ("user", "user_names"), ("mac", "mac_addresses"), ("serial", "serial_numbers"), ("uuid", "uuids"), ("ip", "ip_addresses")):
    shown = set(re.findall(r"<%s-([0-9]+)>" % kind, body))
    assert len(shown) == r["redaction"][key], (kind, shown, r["redaction"])
assert r["redaction"]["host_names"] >= 4 and r["redaction"]["user_names"] >= 5, r["redaction"]
assert r["redaction"]["ip_addresses"] == 8, r["redaction"]
PY
python3 - "$TMP/red.md" <<'PY' && pass "redaction md: header counts true" || fail "redaction md: header counts true"
import re, sys
t = open(sys.argv[1]).read()
head = re.search(r"Redacted: ([^.]*)\.", t).group(1)
body = t.split("Redacted:", 1)[1].split("\n", 1)[1]
for kind, word in (("host", "host name"), ("user", "user name"), ("mac", "MAC address"), ("serial", "serial number"), ("uuid", "UUID"), ("ip", "IP address")):
    shown = len(set(re.findall(r"(?:&lt;|<)%s-([0-9]+)(?:&gt;|>)" % kind, body)))
    m = re.search(r"(\d+) %s" % re.escape(word), head)
    said = int(m.group(1)) if m else 0
    assert said == shown, (kind, said, shown, head)
PY
