# libvirt's own QEMU driver: every domain 'libvirt fix' writes becomes QEMU's command line
# through 'virsh domxml-to-native qemu-argv' against a libvirtd this test starts; the ROM,
# the subsystem ids and the ACPI tables must reach QEMU's -device and -acpitable arguments,
# and 'libvirt check' must give the same verdicts on libvirt's command line as on the XML.
#
# The daemon runs in a private mount namespace: /run, /var/lib, /var/cache and /var/log are
# empty tmpfs there, /etc/libvirt is a copy with a qemu.conf of our own, and /etc/passwd and
# /etc/group are copies with the 'libvirt-qemu' user the QEMU driver insists on. Nothing it
# writes reaches the machine's /etc or /var; the daemon is stopped by its pid at the end.
if [ "${OG_LV_NS:-}" != 1 ]; then
	: "${OG:?run through tests/run.sh}"
	for t in libvirtd virsh unshare qemu-system-x86_64; do
		command -v $t > /dev/null || { echo "FAIL: libvirt's QEMU driver: $t not installed (deps.txt lists it)"; exit 1; }
	done
	if ! err=$(unshare -m --propagation private true 2>&1); then
		echo "FAIL: libvirt's QEMU driver: cannot make a private mount namespace (needs root): $err"
		exit 1
	fi
	OG_LV_NS=1 exec unshare -m --propagation private sh "$0"
fi
. "$TOP/tests/lib.sh"
L="$FIX/libvirt"
H="$FIX/host-laptop"
ROM=/var/lib/libvirt/vbios/gtx960m.rom
AML=/var/lib/libvirt/acpi/vbios-rom.aml
lv() { "$OG" --root "$H" libvirt "$@"; }

# the daemon's private world
D="$TMP/lvd"
mkdir -p "$D/etc"
[ -d /etc/libvirt ] || { fail "libvirt's QEMU driver: /etc/libvirt missing (libvirt-clients installs it)"; exit 1; }
cp /etc/libvirt/libvirt.conf "$D/etc/" 2> /dev/null
printf 'user = "root"\ngroup = "root"\n' > "$D/etc/qemu.conf"
cp /etc/passwd "$D/passwd"; cp /etc/group "$D/group"
getent group libvirt-qemu > /dev/null || echo 'libvirt-qemu:x:64055:' >> "$D/group"
getent passwd libvirt-qemu > /dev/null || echo 'libvirt-qemu:x:64055:64055:libvirt qemu:/nonexistent:/usr/sbin/nologin' >> "$D/passwd"
ns_ok=1
mount --bind "$D/etc" /etc/libvirt && mount --bind "$D/passwd" /etc/passwd && mount --bind "$D/group" /etc/group || ns_ok=0
for d in /run /var/lib /var/cache /var/log; do mount -t tmpfs -o mode=755 tmpfs $d || ns_ok=0; done
mkdir -p /run/libvirt /var/log/libvirt
check "libvirtd's private /etc/libvirt, /run and /var set up" [ $ns_ok = 1 ]
[ $ns_ok = 1 ] || exit 1

libvirtd > "$TMP/libvirtd.log" 2>&1 &
LVPID=$!
trap 'kill $LVPID 2> /dev/null; wait $LVPID 2> /dev/null; rm -rf "$TMP"' EXIT
i=0
while [ ! -S /run/libvirt/libvirt-sock ] && [ $i -lt 120 ] && kill -0 $LVPID 2> /dev/null; do sleep 0.25; i=$((i + 1)); done
if [ -S /run/libvirt/libvirt-sock ]; then
	pass "libvirtd started (pid $LVPID)"
else
	fail "libvirtd did not start; its log:"
	grep -v ': info :' "$TMP/libvirtd.log" | tail -8 | sed 's/^/    /'
	exit 1
fi

# adapt DOMAIN.xml to this machine for the conversion: TCG ('qemu' type, CPU model max) since
# KVM may be missing, and <driver name='vfio'/> on PCI hostdevs (libvirt picks vfio from the
# host's IOMMU groups, which a test machine has not). Nothing we check depends on either.
adapt() {
	python3 - "$1" "$2" <<'PY'
import re, sys
s = open(sys.argv[1]).read()
s = s.replace("<domain type='kvm'", "<domain type='qemu'")
s = re.sub(r"<cpu mode='host-(passthrough|model)'[^>]*?(/>|>.*?</cpu>)", "<cpu mode='maximum'/>", s, flags=re.S)
s = re.sub(r"(<hostdev mode='subsystem' type='pci'[^>]*>\n)(\s*)(?!<driver)", r"\1\2<driver name='vfio'/>\n\2", s)
open(sys.argv[2], 'w').write(s)
PY
}
# native NAME XML: libvirt's QEMU command line for XML into $TMP/NAME.argv
native() {
	adapt "$2" "$TMP/$1.native.xml"
	if timeout 120 virsh -q -c qemu:///system domxml-to-native qemu-argv "$TMP/$1.native.xml" > "$TMP/$1.argv" 2> "$TMP/$1.virsh.err"; then
		pass "$1: libvirt's QEMU driver builds the command line"
	else
		fail "$1: libvirt's QEMU driver builds the command line"
		sed 's/^/    /' "$TMP/$1.virsh.err" | head -5
		return 1
	fi
}
# reach NAME ARGV HOST ALIAS ROM SUBVEN SUBDEV TABLE...: the NVIDIA -device and -acpitable args
reach() {
	if python3 - "$@" > "$TMP/reach.out" 2>&1 <<'PY'
import json, shlex, sys
name, argv, host, alias, rom, sv, sd = sys.argv[1:8]
tables = sys.argv[8:]
a = shlex.split(open(argv).read())
a = a[next(i for i, w in enumerate(a) if w.endswith('qemu-system-x86_64')):]
devs, acpi, sets, fwcfg = [], [], [], []
for opt, val in zip(a, a[1:]):
    if opt == '-device':
        devs.append(json.loads(val) if val.startswith('{') else dict(kv.split('=', 1) for kv in val.split(',')[1:]))
    elif opt == '-acpitable':
        acpi.append(val)
    elif opt == '-set':
        sets.append(val)
    elif opt == '-fw_cfg':
        fwcfg.append(val)
nv = [d for d in devs if d.get('driver') == 'vfio-pci' and d.get('host') == host]
bad = []
if len(nv) != 1:
    bad.append('%d vfio-pci -device with host %s' % (len(nv), host))
else:
    d = nv[0]
    want = {'id': alias, 'romfile': rom, 'x-pci-sub-vendor-id': int(sv), 'x-pci-sub-device-id': int(sd)}
    for k, v in want.items():
        if d.get(k) != v:
            bad.append('%s is %r, wanted %r' % (k, d.get(k), v))
if [w for w in sets if 'x-pci-sub' in w]:
    bad.append('-set left: %s' % sets)
want_acpi = ['file=' + t for t in tables if not t.startswith('fw_cfg:')]
if acpi != want_acpi:
    bad.append('-acpitable %s, wanted %s' % (acpi, want_acpi))
want_fw = [t[7:] for t in tables if t.startswith('fw_cfg:')]
if fwcfg != want_fw:
    bad.append('-fw_cfg %s, wanted %s' % (fwcfg, want_fw))
print('; '.join(bad) if bad else json.dumps(nv[0], sort_keys=True))
sys.exit(1 if bad else 0)
PY
	then pass "$1: $(cat "$TMP/reach.out")"
	else fail "$1: $(cat "$TMP/reach.out")"
	fi
}
# verdicts FILE: "id severity passed" per check of 'libvirt check --json' output
verdicts() {
	python3 -c "import json,sys; [print(c['id'], c['severity'], c['passed']) for c in json.load(open(sys.argv[1]))['checks']]" "$1" | sort
}
# agree NAME XML ARGV [ARGS]: check on the domain and on libvirt's line for it say the same
agree() {
	n=$1 x=$2 q=$3; shift 3
	"$OG" --root "$ROOT" --json libvirt check "$x" "$@" > "$TMP/x.json" 2> /dev/null
	"$OG" --root "$ROOT" --json libvirt check --qemu-args "$q" "$@" > "$TMP/q.json" 2> /dev/null
	verdicts "$TMP/x.json" > "$TMP/x.v"; verdicts "$TMP/q.json" > "$TMP/q.v"
	if [ -s "$TMP/x.v" ] && cmp -s "$TMP/x.v" "$TMP/q.v"; then
		pass "$n: 'libvirt check' gives the same verdicts on the domain and on libvirt's QEMU line ($(grep -c False "$TMP/x.v") failed)"
	else
		fail "$n: 'libvirt check' on the domain and on libvirt's QEMU line disagree (< domain, > QEMU line)"
		diff "$TMP/x.v" "$TMP/q.v" | grep '^[<>]' | sed 's/^/    /' | head -10
	fi
}

# each fixture as fix writes it: ROM, ids from the host's card, the _ROM table
ROOT="$H"
for f in virt-manager-q35 aliases commandline-set i440fx-seabios override; do
	lv fix "$L/$f.xml" --vbios $ROM --acpi-table $AML -o "$TMP/$f.fixed.xml" 2> "$TMP/fix.err" || { fail "fix $f"; cat "$TMP/fix.err"; continue; }
	native "$f" "$TMP/$f.fixed.xml" || continue
	reach "$f fixed: ROM, subsystem ids and table reach QEMU" "$TMP/$f.argv" 0000:01:00.0 ua-nvidia $ROM 4136 1764 $AML
	agree "$f fixed" "$TMP/$f.fixed.xml" "$TMP/$f.argv" --goal nvidia
	expect_exit 0 "$f fixed: 'libvirt check --qemu-args' on libvirt's line has no error" lv check --qemu-args "$TMP/$f.argv" --goal nvidia
done

# the fixtures as they are: the same verdicts either way (the defects are seen in both)
for f in virt-manager-q35 aliases commandline-set i440fx-seabios; do
	native "$f.orig" "$L/$f.xml" && agree "$f unfixed" "$L/$f.xml" "$TMP/$f.orig.argv" --goal nvidia
done
check "commandline-set unfixed: libvirt puts '-set device.' after a JSON -device (what stops QEMU >= 6.2)" \
	sh -c "grep -q -- \"-set device.hostdev0.x-pci-sub-vendor-id\" '$TMP/commandline-set.orig.argv' && grep -q '\"driver\":\"vfio-pci\"' '$TMP/commandline-set.orig.argv'"

# the second of two cards, picked with --hostdev, gets its own alias and ids
ROOT="$FIX/host-two-nvidia"
"$OG" --root "$ROOT" libvirt fix "$L/two-nvidia.xml" --hostdev 01:00.0 --vbios $ROM -o "$TMP/two1.xml" 2> /dev/null
"$OG" --root "$ROOT" libvirt fix "$TMP/two1.xml" --hostdev 0000:02:00.0 --acpi-table $AML -o "$TMP/two2.xml" 2> /dev/null
if native two-nvidia "$TMP/two2.xml"; then
	python3 - "$TMP/two-nvidia.argv" > "$TMP/two.out" <<'PY'
import json, shlex, sys
a = shlex.split(open(sys.argv[1]).read())
for o, v in zip(a, a[1:]):
    if o == '-device' and v.startswith('{'):
        d = json.loads(v)
        if d.get('driver') == 'vfio-pci' and 'host' in d:
            print(d['host'], d.get('id'), d.get('x-pci-sub-vendor-id'), d.get('x-pci-sub-device-id'))
PY
	check "two-nvidia: each card's -device has its own alias and the ids set for it" \
		sh -c "grep -q '^0000:01:00.0 ua-nvidia 4136 ' '$TMP/two.out' && grep -q '^0000:02:00.0 ua-nvidia1 [0-9]* 1982$' '$TMP/two.out'"
fi

# tables written by acpi-table, several of them, then the fw_cfg carrier as acpi-table prints it
ROOT="$TMP/host"
cp -a "$H" "$ROOT"
mkdir -p "$ROOT/var/lib/libvirt/acpi/big" "$ROOT/var/lib/libvirt/acpi/fw"
python3 "$TOP/tests/sh/acpi_mkrom.py" 262144 "$ROOT/var/lib/libvirt/vbios/big.rom"
if "$OG" acpi-table --vbios "$ROOT/var/lib/libvirt/vbios/big.rom" --slot 06:00.0 --root-port 02.5 -o "$ROOT/var/lib/libvirt/acpi/big/t.aml" > "$TMP/big.out" 2>&1; then
	set --
	for t in t t-d01 t-d02 t-d03 t-d04; do set -- "$@" --acpi-table /var/lib/libvirt/acpi/big/$t.aml; done
	"$OG" --root "$ROOT" libvirt fix "$L/virt-manager-q35.xml" --vbios $ROM "$@" -o "$TMP/big.xml" 2> /dev/null
	if native big "$TMP/big.xml"; then
		reach "five tables: all reach QEMU as -acpitable, in order" "$TMP/big.argv" 0000:01:00.0 ua-nvidia $ROM 4136 1764 \
			/var/lib/libvirt/acpi/big/t.aml /var/lib/libvirt/acpi/big/t-d01.aml /var/lib/libvirt/acpi/big/t-d02.aml \
			/var/lib/libvirt/acpi/big/t-d03.aml /var/lib/libvirt/acpi/big/t-d04.aml
	fi
else
	fail "acpi-table writes five tables"; cat "$TMP/big.out"
fi
FWROM=/var/lib/libvirt/vbios/big.rom
FWAML=/var/lib/libvirt/acpi/fw/t.aml
"$OG" acpi-table --vbios "$ROOT$FWROM" --slot 06:00.0 --root-port 02.5 --source fw_cfg -o "$ROOT$FWAML" > "$TMP/fw.out" 2>&1
sed -n '/^<domain/,/^<\/domain>/p' "$TMP/fw.out" | sed "s#$ROOT##g" > "$TMP/fw-snippet.xml"
lv fix "$L/virt-manager-q35.xml" --vbios $ROM -o "$TMP/fw-base.xml" 2> /dev/null
python3 - "$TMP/fw-base.xml" "$TMP/fw-snippet.xml" "$TMP/fw.xml" <<'PY'
import re, sys
base, snip = open(sys.argv[1]).read(), open(sys.argv[2]).read()
cl = re.search(r"  <qemu:commandline>.*?</qemu:commandline>\n", snip, re.S).group(0)
open(sys.argv[3], 'w').write(base.replace("</domain>", cl + "</domain>"))
PY
if native fwcfg "$TMP/fw.xml"; then
	reach "fw_cfg carrier: the table and the -fw_cfg file acpi-table prints reach QEMU" "$TMP/fwcfg.argv" 0000:01:00.0 ua-nvidia $ROM 4136 1764 \
		$FWAML "fw_cfg:name=opt/optimus-guest/vbios,file=$FWROM"
	expect_exit 0 "fw_cfg carrier: 'libvirt check --qemu-args' accepts the table" "$OG" --root "$ROOT" libvirt check --qemu-args "$TMP/fwcfg.argv" --goal nvidia
fi

# the daemon is stopped and wrote nothing outside the namespace's tmpfs
kill $LVPID; wait $LVPID 2> /dev/null
check "libvirtd stopped" sh -c "! kill -0 $LVPID 2> /dev/null"
check "libvirtd's log has no error about our domains" sh -c "! grep -E ': error : (qemu|virDomain)' '$TMP/libvirtd.log'"
