# vbios inspect / extract on ROMs and firmware images built by scripts/mkroms.py.
. "$TOP/tests/lib.sh"
R="$TMP/roms"; mkdir -p "$R"
python3 "$TOP/scripts/mkroms.py" roms "$TOP/tests/vbios/roms.spec" "$R" || { fail "mkroms roms"; exit 0; }

# no_crash NAME: the last command's stderr shows no sanitizer report
no_crash() {
	if grep -qE 'Sanitizer|runtime error' "$TMP/err"; then fail "$1 (sanitizer)"; head -5 "$TMP/err"; else pass "$1"; fi
}
# has NAME PATTERN FILE: grep -E
has() { if grep -qE -- "$2" "$3"; then pass "$1"; else fail "$1 (no /$2/ in $3)"; sed 's/^/    /' "$3" | head -20; fi; }

# --- inspect: exit status per ROM (0 usable, 1 unparseable, 3 parsed but not usable)
while read -r name code; do
	expect_exit "$code" "inspect $name exit $code" "$OG" vbios inspect "$R/$name.rom"
	no_crash "inspect $name clean"
done <<'LIST'
nv-muxless 0
nv-x86-only 0
nv-vga 0
nv-other-card 0
nv-npde 0
nv-efibadsig 0
intel-gop 3
amd 3
ethernet 3
nv-efi-only 3
nv-badsum 3
nv-truncated 3
nv-nolast 3
nv-pcir-oob 1
nv-pcir-oob-second 3
nv-loop 3
nv-badpcirsig 1
nv-prefixed 3
LIST

# --- inspect: rom-parser lines and the verdict
"$OG" vbios inspect "$R/nv-muxless.rom" > "$TMP/mux.txt"
has "rom-parser signature line" '^Valid ROM signature found @0h, PCIR offset 40h$' "$TMP/mux.txt"
has "rom-parser PCIR line" '^	PCIR: type 0 \(x86 PC-AT\), vendor: 10de, device: 139b, class: 030200$' "$TMP/mux.txt"
has "rom-parser revision line" '^	PCIR: revision 3, vendor revision: 1$' "$TMP/mux.txt"
has "second image at 800h" '^Valid ROM signature found @800h, PCIR offset 1ch$' "$TMP/mux.txt"
has "EFI line" '^		EFI: Signature Valid, Subsystem: Boot, Machine: X64, Compression: EFI compressed$' "$TMP/mux.txt"
has "last image line" '^	Last image$' "$TMP/mux.txt"
has "checksum OK" 'Length: 0x800 \(4 x 512\), checksum OK' "$TMP/mux.txt"
has "verdict usable" '^Verdict: usable for nouveau' "$TMP/mux.txt"
"$OG" vbios inspect "$R/nv-x86-only.rom" > "$TMP/x86.txt"
has "no-EFI note for a muxless card" 'no EFI image: fine for a card without outputs' "$TMP/x86.txt"
"$OG" vbios inspect "$R/nv-badsum.rom" > "$TMP/bad.txt"
has "bad checksum shown" 'checksum BAD' "$TMP/bad.txt"
has "bad checksum verdict" 'problem: x86 image at 0x0: its 0x[0-9a-f]+ bytes do not sum to 0 \(checksum bad\): the file is damaged' "$TMP/bad.txt"
"$OG" vbios inspect "$R/nv-loop.rom" > "$TMP/loop.txt"
has "loop detected" 'chain loops on itself' "$TMP/loop.txt"
"$OG" vbios inspect "$R/nv-prefixed.rom" > "$TMP/pre.txt"
has "offset not zero reported" 'the ROM starts at 0x600' "$TMP/pre.txt"
has "offset not zero verdict" 'problem: the first image starts at 0x600' "$TMP/pre.txt"
"$OG" vbios inspect "$R/nv-npde.rom" > "$TMP/npde.txt"
has "NPDE length override" 'Length: 0xc00 \(6 x 512\) from NPDE' "$TMP/npde.txt"
has "BB77 signature" 'NVIDIA ROM signature bb77 found @1000h' "$TMP/npde.txt"
"$OG" vbios inspect "$R/nv-pcir-oob.rom" 2> "$TMP/oob.txt"
has "PCIR out of bounds message" 'PCIR pointer 0xfff0 points outside the data \(0x400 bytes\)' "$TMP/oob.txt"
"$OG" vbios inspect "$R/nv-truncated.rom" > "$TMP/trunc.txt"
has "truncated chain message" 'runs past the end of the data \(0x900 bytes\)' "$TMP/trunc.txt"

# --- inspect --json
"$OG" --json vbios inspect "$R/nv-muxless.rom" > "$TMP/mux.json"
check "inspect --json fields" python3 - "$TMP/mux.json" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
a, b = j["images"]
assert (a["offset"], a["length"], a["vendor"], a["device"], a["class"]) == ("0x0", "0x800", "0x10de", "0x139b", "0x030200"), a
assert a["code_type"] == 0 and a["last"] is False and a["checksum_ok"] is True and a["efi"] is None, a
assert b["code_type"] == 3 and b["last"] is True and b["checksum_ok"] is None, b
e = b["efi"]
assert e["signature_ok"] and e["subsystem"] == 11 and e["machine"] == "0x8664" and e["compressed"], e
assert j["verdict"]["usable"] is True and j["verdict"]["problems"] == [], j["verdict"]
PY
"$OG" vbios inspect --json "$R/nv-badsum.rom" > "$TMP/bad.json"
check "inspect --json verdict problems" python3 -c '
import json,sys; j=json.load(open(sys.argv[1])); v=j["verdict"]
assert v["usable"] is False and any("checksum" in p for p in v["problems"]), v
assert j["images"][0]["checksum_ok"] is False' "$TMP/bad.json"

# --- inspect: bad files and usage
: > "$TMP/empty"
head -c 4096 /dev/urandom > "$TMP/random"
expect_exit 1 "inspect missing file" "$OG" vbios inspect "$TMP/nope"
has "missing file message" "cannot open '.*nope'" "$TMP/err"
expect_exit 1 "inspect empty file" "$OG" vbios inspect "$TMP/empty"
expect_exit 1 "inspect directory" "$OG" vbios inspect "$TMP"
expect_exit 1 "inspect random bytes" "$OG" vbios inspect "$TMP/random"
no_crash "inspect random bytes clean"
expect_exit 2 "vbios without sub-command" "$OG" vbios
expect_exit 2 "vbios unknown sub-command" "$OG" vbios frobnicate
expect_exit 2 "inspect two files" "$OG" vbios inspect a b
expect_exit 2 "inspect unknown option" "$OG" vbios inspect --bogus x
expect_exit 2 "extract without file" "$OG" vbios extract
expect_exit 2 "extract bad --device" "$OG" vbios extract --device 10de "$R/nv-muxless.rom"
expect_exit 0 "vbios --help" "$OG" vbios --help
has "help documents exit codes" '0 usable, 1 unreadable' "$TMP/out"

# --- inspect without FILE: the card's sysfs rom in a recorded tree
mkdev() { # ROOT SLOT VENDOR DEVICE CLASS [ROMFILE]
	d="$1/sys/bus/pci/devices/$2"; mkdir -p "$d"
	echo "$3" > "$d/vendor"; echo "$4" > "$d/device"; echo "$5" > "$d/class"
	[ -n "$6" ] && cp "$6" "$d/rom"
	return 0
}
T1="$TMP/host1"; mkdev "$T1" 0000:00:02.0 0x8086 0x0166 0x030000; mkdev "$T1" 0000:01:00.0 0x10de 0x139b 0x030200 "$R/nv-muxless.rom"
expect_exit 0 "sysfs rom usable" "$OG" --root "$T1" vbios inspect
has "sysfs rom named" '0000:01:00.0 \(10de:139b class 030200\) sysfs rom' "$TMP/out"
T2="$TMP/host2"; mkdev "$T2" 0000:01:00.0 0x10de 0x139b 0x030200
expect_exit 1 "sysfs no rom attribute" "$OG" vbios inspect --root "$T2"
has "muxless explanation" 'normal for a muxless' "$TMP/err"
has "points at extract" 'vbios extract' "$TMP/err"
T3="$TMP/host3"; mkdev "$T3" 0000:01:00.0 0x10de 0x139b 0x030200 "$TMP/empty"
expect_exit 1 "sysfs empty rom" "$OG" vbios inspect --root "$T3"
has "empty rom explained" 'normal for a muxless' "$TMP/err"
T4="$TMP/host4"; mkdev "$T4" 0000:00:02.0 0x8086 0x0166 0x030000
expect_exit 1 "sysfs no NVIDIA device" "$OG" vbios inspect --root "$T4"
has "no NVIDIA device message" 'no NVIDIA display device' "$TMP/err"
