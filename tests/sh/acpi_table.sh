# acpi-table against its real consumers: ACPICA's acpiexec evaluates _ROM at
# every 4 KiB offset of several ROMs (our encoder's tables and iasl's compile
# of our ASL), iasl compiles our ASL cleanly and produces the same bytes, and
# bad input writes nothing.
. "$TOP/tests/lib.sh"
H="$TOP/tests/sh/acpi_helper.py"
GPU='\_SB.PCI0.S08.S00'
if ! command -v acpiexec >/dev/null || ! command -v iasl >/dev/null; then
	skip "acpi-table acpiexec tests" "acpica-tools not installed"
	exit 0
fi

# DSDTs standing in for QEMU's: GPU node present (hp), root port only, bare PCI0
for m in hp port bare; do
	python3 "$H" dsdt $m "$TMP/$m.asl" && iasl -p "$TMP/$m" "$TMP/$m.asl" > /dev/null || fail "dsdt $m"
done

# run_rom NAME ROM DSDT AML...: acpiexec compares every _ROM reply with ROM
run_rom() {
	n=$1 rom=$2 dsdt=$3; shift 3
	if python3 "$H" run "$rom" "$GPU" "$dsdt" "$@" > "$TMP/run.log" 2>&1; then
		pass "$n ($(tail -1 "$TMP/run.log"))"
	else
		fail "$n"; sed 's/^/    /' "$TMP/run.log" | head -8
	fi
}

# same_body NAME A B: identical AML after the 36-byte header (creator id differs)
same_body() {
	if cmp -s "$2" "$3" 36 36; then pass "$1"; else fail "$1"; cmp "$2" "$3" 36 36 | head -2; fi
}

for size in 4096 10000 65537 200001 262144; do
	rom="$TMP/rom$size.bin"
	python3 "$TOP/tests/sh/acpi_mkrom.py" $size "$rom"
	d="$TMP/e$size"; mkdir -p "$d/ours" "$d/iasl" "$d/dsl"
	base="--vbios $rom --slot 01:00.0 --root-port 01.0"
	expect_exit 0 "embedded $size: generate (own encoder)" $OG acpi-table $base -o "$d/ours/t.aml"
	[ $size = 65537 ] && expect_exit 0 "embedded $size: generate (--iasl)" $OG acpi-table $base --iasl -o "$d/iasl/t.aml"
	expect_exit 0 "embedded $size: generate .dsl" $OG acpi-table $base -o "$d/dsl/t.dsl"
	big=0
	for f in "$d"/ours/*.aml; do
		[ "$(stat -c %s "$f")" -le 65535 ] || { big=1; echo "    $f: $(stat -c %s "$f") bytes"; }
	done
	check "embedded $size: every table <= 65535 bytes ($(ls "$d"/ours | wc -l) tables)" [ $big -eq 0 ]
	clean=1
	for f in "$d"/dsl/*.dsl; do
		(cd "$d/dsl" && iasl "$(basename "$f")") > "$TMP/iasl.log" 2>&1
		grep -q 'Compilation successful. 0 Errors, 0 Warnings, 0 Remarks' "$TMP/iasl.log" || { clean=0; grep -E 'Error|Warning|Remark' "$TMP/iasl.log" | head -3; }
	done
	check "embedded $size: iasl compiles our .dsl with 0 errors, 0 warnings, 0 remarks" [ $clean -eq 1 ]
	run_rom "embedded $size: acpiexec, own encoder" "$rom" "$TMP/hp.aml" "$d"/ours/*.aml
	run_rom "embedded $size: acpiexec, iasl's compile of our .dsl" "$rom" "$TMP/hp.aml" "$d"/dsl/*.aml
	for f in "$d"/ours/*.aml; do
		b=$(basename "$f")
		same_body "embedded $size: $b from our encoder = iasl's compile of our .dsl" "$f" "$d/dsl/$b"
		[ $size = 65537 ] && same_body "embedded $size: $b from --iasl = our encoder" "$f" "$d/iasl/$b"
	done
done

# iasl -d of our AML gives back the definitions iasl itself compiled
d="$TMP/e10000"
cp "$d/ours/t.aml" "$TMP/ours.aml" && cp "$d/dsl/t.aml" "$TMP/theirs.aml"
(cd "$TMP" && iasl -d ours.aml && iasl -d theirs.aml) > /dev/null 2>&1
strip() { sed -e '/^ \*/d' -e '/^\/\*/d' "$1"; }
if [ -s "$TMP/ours.dsl" ] && strip "$TMP/ours.dsl" | cmp -s - "$(strip "$TMP/theirs.dsl" > "$TMP/t.txt"; echo "$TMP/t.txt")"; then
	pass "iasl -d: our AML disassembles to the same definitions as iasl's"
else
	fail "iasl -d: our AML disassembles to the same definitions as iasl's"
fi
for w in "Method (_ROM, 2, Serialized)" "External (_SB_.PCI0.S08_.S00_, DeviceObj)" 'Scope (\_SB.PCI0.S08.S00)'; do
	check "iasl -d shows: $w" grep -qF "$w" "$TMP/ours.dsl"
done

# declaring the nodes instead of adding to QEMU's
rom="$TMP/rom10000.bin"
for mode in device:port all:bare; do
	m=${mode%%:*} ds=${mode#*:}
	mkdir -p "$TMP/decl-$m"
	expect_exit 0 "--declare $m: generate" $OG acpi-table --vbios "$rom" --slot 01:00.0 --root-port 01.0 --declare $m -o "$TMP/decl-$m/t.aml"
	run_rom "--declare $m: acpiexec with a DSDT that has no GPU node" "$rom" "$TMP/$ds.aml" "$TMP/decl-$m/t.aml"
	printf 'execute %s._ADR\nquit\n' "$GPU" | acpiexec "$TMP/$ds.aml" "$TMP/decl-$m/t.aml" > "$TMP/adr.log" 2>&1
	check "--declare $m: the GPU node has _ADR 0" grep -q 'Integer.*0000000000000000' "$TMP/adr.log"
done
for m in device all; do
	mkdir -p "$TMP/declb-$m"
	$OG acpi-table --vbios "$rom" --slot 01:00.0 --root-port 01.0 --declare $m --battery -o "$TMP/declb-$m/t.dsl" > /dev/null
	$OG acpi-table --vbios "$rom" --slot 01:00.0 --root-port 01.0 --declare $m --battery -o "$TMP/declb-$m/ours.aml" > /dev/null
	(cd "$TMP/declb-$m" && iasl t.dsl) > "$TMP/iasl.log" 2>&1
	check "--declare $m --battery: iasl compiles our .dsl cleanly" grep -q '0 Errors, 0 Warnings, 0 Remarks' "$TMP/iasl.log"
	same_body "--declare $m --battery: our encoder = iasl" "$TMP/declb-$m/ours.aml" "$TMP/declb-$m/t.aml"
done
check "--declare device onto QEMU's own node is a load error (why the default adds to the scope)" \
	sh -c "printf 'quit\n' | acpiexec '$TMP/hp.aml' '$TMP/decl-device/t.aml' 2>&1 | grep -q AE_ALREADY_EXISTS"

# the fake battery
mkdir -p "$TMP/bat"
expect_exit 0 "--battery: generate" $OG acpi-table --vbios "$rom" --slot 01:00.0 --root-port 01.0 --battery -o "$TMP/bat/t.aml"
printf 'execute \\_SB.OGBT._HID\nexecute \\_SB.OGBT._STA\nexecute \\_SB.OGBT._BIF\nexecute \\_SB.OGBT._BST\nquit\n' |
	acpiexec "$TMP/hp.aml" "$TMP/bat/t.aml" > "$TMP/bat.log" 2>&1
check "--battery: _HID is EisaId PNP0C0A (0x0A0CD041)" grep -q 'Integer.*000000000A0CD041' "$TMP/bat.log"
check "--battery: _STA 0x1F (present, battery present)" grep -q 'Integer.*000000000000001F' "$TMP/bat.log"
check "--battery: _BIF has 13 elements" grep -q 'Contains 13 Elements' "$TMP/bat.log"
check "--battery: _BST has 4 elements" grep -q 'Contains 4 Elements' "$TMP/bat.log"
check "--battery: no predefined-name complaints" sh -c "! grep -qi 'warning\|error' '$TMP/bat.log'"

# fw_cfg: the whole logic (signature, directory walk, name match against a
# decoy, whole-file read, slicing) through the acpiexec stand-in transport
for size in 5000 20000; do
	rom="$TMP/fw$size.bin"
	python3 "$TOP/tests/sh/acpi_mkrom.py" $size "$rom"
	python3 "$H" dsdt hp "$TMP/fwd$size.asl" "$rom" opt/optimus-guest/vbios
	iasl -p "$TMP/fwd$size" "$TMP/fwd$size.asl" > /dev/null
	mkdir -p "$TMP/fw$size/ours" "$TMP/fw$size/iasl"
	a="--vbios $rom --slot 01:00.0 --root-port 01.0 --source fw_cfg --fw-cfg-transport test"
	expect_exit 0 "fw_cfg $size: generate (test transport)" $OG acpi-table $a -o "$TMP/fw$size/ours/t.aml"
	expect_exit 0 "fw_cfg $size: generate (test transport, --iasl)" $OG acpi-table $a --iasl -o "$TMP/fw$size/iasl/t.aml"
	run_rom "fw_cfg $size: acpiexec, own encoder" "$rom" "$TMP/fwd$size.aml" "$TMP/fw$size/ours/t.aml"
	run_rom "fw_cfg $size: acpiexec, iasl" "$rom" "$TMP/fwd$size.aml" "$TMP/fw$size/iasl/t.aml"
	export OG_ROM_ORDER=reverse  # the file is read on as far as each call needs
	run_rom "fw_cfg $size: acpiexec, last offset first" "$rom" "$TMP/fwd$size.aml" "$TMP/fw$size/ours/t.aml"
	unset OG_ROM_ORDER
done
# a name that is not in the directory: zeros, not the decoy
mkdir -p "$TMP/fwmiss"
$OG acpi-table --vbios "$TMP/fw5000.bin" --slot 01:00.0 --root-port 01.0 --source fw_cfg --fw-cfg-transport test \
	--fw-cfg-name opt/other -o "$TMP/fwmiss/t.aml" > /dev/null
printf 'execute %s._ROM 0x0 0x20\nquit\n' "$GPU" | acpiexec "$TMP/fwd5000.aml" "$TMP/fwmiss/t.aml" > "$TMP/miss.log" 2>&1
check "fw_cfg: file not in the directory gives zeros of the asked length" \
	grep -q 'Length 20 = *$' "$TMP/miss.log"
check "fw_cfg: ... all zero" sh -c "! grep -A2 'Length 20' '$TMP/miss.log' | grep -q '0000: [0-9A-F ]*[1-9A-F]'"

# the real transport: ports 0x510/0x511; under acpiexec the I/O space is plain
# memory, so only "loads, finds no QEMU signature, answers zeros" is testable
mkdir -p "$TMP/fwio"
expect_exit 0 "fw_cfg ioport: generate" $OG acpi-table --vbios "$TMP/fw5000.bin" --slot 01:00.0 --root-port 01.0 --source fw_cfg -o "$TMP/fwio/t.aml"
expect_exit 0 "fw_cfg ioport: generate .dsl" $OG acpi-table --vbios "$TMP/fw5000.bin" --slot 01:00.0 --root-port 01.0 --source fw_cfg -o "$TMP/fwio/t.dsl"
(cd "$TMP/fwio" && iasl t.dsl) > "$TMP/iasl.log" 2>&1
check "fw_cfg ioport: iasl compiles our .dsl cleanly" grep -q '0 Errors, 0 Warnings, 0 Remarks' "$TMP/iasl.log"
check "fw_cfg ioport: region is SystemIO 0x510, 2 bytes" grep -q 'OperationRegion (OGFR, SystemIO, 0x0510, 0x02)' "$TMP/fwio/t.dsl"
for fill in 0x00 0xFF; do
	printf 'execute %s._ROM 0x0 0x1000\nexecute %s._ROM 0x1000 0x10\nexecute %s.OGFS\nquit\n' "$GPU" "$GPU" "$GPU" |
		timeout 20 acpiexec -fv $fill "$TMP/hp.aml" "$TMP/fwio/t.aml" > "$TMP/io.log" 2>&1
	check "fw_cfg ioport (port reads $fill, no fw_cfg): _ROM answers zeros of the asked length" \
		sh -c "grep -q 'Length 1000 =' '$TMP/io.log' && grep -q 'Length 10 =' '$TMP/io.log' && ! grep -q 'Error' '$TMP/io.log'"
	check "fw_cfg ioport (fill $fill): selector 0 (signature) was written to port 0x510" \
		grep -q 'Integer.*0000000000000000' "$TMP/io.log"
done

# bad input: clear message, nothing written
bad() { # bad CODE NAME ARGS...: exit CODE, stderr names the problem, no file written
	code=$1 name=$2; shift 2
	rm -rf "$TMP/bad"; mkdir -p "$TMP/bad"
	expect_exit "$code" "$name" $OG acpi-table "$@"
	check "$name: nothing written" [ -z "$(ls -A "$TMP/bad")" ]
	check "$name: says why" [ -s "$TMP/err" ]
}
printf 'not a rom at all' > "$TMP/text.bin"
python3 "$TOP/tests/sh/acpi_mkrom.py" 4096 "$TMP/amd.bin"
printf '\002\020' | dd of="$TMP/amd.bin" bs=1 seek=$((0x194)) conv=notrunc 2> /dev/null
python3 "$TOP/tests/sh/acpi_mkrom.py" 1200000 "$TMP/huge.bin"
r="$TMP/rom10000.bin"
bad 3 "not an option ROM is refused" --vbios "$TMP/text.bin" --slot 01:00.0 --root-port 01.0 -o "$TMP/bad/t.aml"
check "not an option ROM: message names 55 AA" grep -qi '55 AA' "$TMP/err"
bad 3 "a non-NVIDIA ROM is refused" --vbios "$TMP/amd.bin" --slot 01:00.0 --root-port 01.0 -o "$TMP/bad/t.aml"
check "non-NVIDIA ROM: message names the vendor" grep -q '1002' "$TMP/err"
mkdir -p "$TMP/force"
expect_exit 0 "--force takes a non-NVIDIA ROM" $OG acpi-table --vbios "$TMP/amd.bin" --force --slot 01:00.0 --root-port 01.0 -o "$TMP/force/t.aml"
bad 1 "1.2 MB VBIOS is too large for the embedded carrier" --vbios "$TMP/huge.bin" --force --slot 01:00.0 --root-port 01.0 -o "$TMP/bad/t.aml"
check "too large: message points to fw_cfg" grep -q 'fw_cfg' "$TMP/err"
bad 1 "empty VBIOS" --vbios /dev/null --force --slot 01:00.0 --root-port 01.0 -o "$TMP/bad/t.aml"
for p in '\_SB.PCI0.S08.TOOLONG' '\_SB..S00' '\_sb.pci0.s08.s00' '_SB.PCI0.S08.S00' '\_SB.PCI0.S-8.S00' '\_SB.PCI0.S08.' '\' '\_SB'; do
	bad 2 "device path '$p' is refused" --vbios "$r" --device-path "$p" -o "$TMP/bad/t.aml"
done
bad 2 "--slot 1:2 is refused" --vbios "$r" --slot 1:2 -o "$TMP/bad/t.aml"
bad 2 "--slot 01:20.0 (device > 1f) is refused" --vbios "$r" --slot 01:20.0 --root-port 01.0 -o "$TMP/bad/t.aml"
bad 2 "GPU on bus 01 without --root-port is refused" --vbios "$r" --slot 01:00.0 -o "$TMP/bad/t.aml"
check "... and the message says to give --root-port" grep -q -- '--root-port' "$TMP/err"
bad 2 "fw_cfg name without opt/ is refused" --vbios "$r" --slot 01:00.0 --root-port 01.0 --source fw_cfg --fw-cfg-name etc/x -o "$TMP/bad/t.aml"
bad 2 "fw_cfg name with a comma is refused" --vbios "$r" --slot 01:00.0 --root-port 01.0 --source fw_cfg --fw-cfg-name opt/a,b -o "$TMP/bad/t.aml"
bad 2 "-o with another extension is refused" --vbios "$r" --slot 01:00.0 --root-port 01.0 -o "$TMP/bad/t.bin"
bad 2 "--declare all without --root-port is refused" --vbios "$r" --device-path "$GPU" --declare all -o "$TMP/bad/t.aml"
bad 1 "an output directory that does not exist" --vbios "$r" --slot 01:00.0 --root-port 01.0 -o "$TMP/bad/no/such/dir/t.aml"

# the printed loader lines
mkdir -p "$TMP/loader"
$OG acpi-table --vbios "$TMP/rom200001.bin" --slot 02:00.0 --root-port 02.0 --source fw_cfg -o "$TMP/loader/s.aml" > "$TMP/stdout"
check "prints the -acpitable argument with an absolute path" grep -q -- "-acpitable file=$TMP/loader/s.aml" "$TMP/stdout"
check "prints the -fw_cfg argument" grep -q -- "-fw_cfg name=opt/optimus-guest/vbios,file=$TMP/rom200001.bin" "$TMP/stdout"
check "computes \\_SB.PCI0.S10.S00 for 02:00.0 behind root port 02.0" grep -qF '\_SB.PCI0.S10.S00' "$TMP/stdout"
sed -n '/^<domain/,/^<\/domain>/p' "$TMP/stdout" > "$TMP/dom.xml"
check "libvirt XML is well-formed" xmllint --noout "$TMP/dom.xml"
check "libvirt XML carries -acpitable and -fw_cfg" sh -c "grep -q \"value='-acpitable'\" '$TMP/dom.xml' && grep -q \"value='-fw_cfg'\" '$TMP/dom.xml'"
