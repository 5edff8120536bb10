# vbios extract: ROMs raw and inside LZMA sections of script-built firmware volumes,
# --device, Inno Setup detection, hostile firmware files.
. "$TOP/tests/lib.sh"
R="$TMP/roms"; mkdir -p "$R"
python3 "$TOP/scripts/mkroms.py" roms "$TOP/tests/vbios/roms.spec" "$R" || { fail "mkroms roms"; exit 0; }
no_crash() {
	if grep -qE 'Sanitizer|runtime error' "$TMP/err"; then fail "$1 (sanitizer)"; head -5 "$TMP/err"; else pass "$1"; fi
}
has() { if grep -qE -- "$2" "$3"; then pass "$1"; else fail "$1 (no /$2/ in $3)"; sed 's/^/    /' "$3" | head -20; fi; }
count_roms() { find "$1" -name '*.rom' | wc -l | tr -d ' '; }

# --- an NVIDIA ROM inside an LZMA GUID-defined section, an AMD ROM raw, a broken EFI section
python3 "$TOP/scripts/mkroms.py" fv "$TMP/fw.bin" --rom "$R/nv-muxless.rom" --other "$R/amd.rom" --bad-efi
expect_exit 0 "extract from LZMA section" "$OG" vbios extract "$TMP/fw.bin" -o "$TMP/out1"
same_file "LZMA-held ROM byte for byte" "$R/nv-muxless.rom" "$TMP/out1/10de-139b-0x1880-0xc.rom"
check "only the NVIDIA ROM written" test "$(count_roms "$TMP/out1")" = 1
has "where it was found" 'file 9E21FD93-9C72-4C15-8C4B-E77F1DB2D792, LZMA section at 0x1880, at \+0xc in the decompressed data' "$TMP/out"
has "verdict printed" '  Verdict: usable for nouveau' "$TMP/out"
has "broken EFI section reported as not searched" 'not searched: .*EFI/Tiano-compressed section at 0x2598: EFI-compressed header gives 0x[0-9a-f]* compressed bytes, only 0x38 present' "$TMP/out"
has "nested volume counted" '2 volumes, 4 files, 5 sections, 1 section decompressed' "$TMP/out"

"$OG" --json vbios extract "$TMP/fw.bin" -o "$TMP/out1j" > "$TMP/x.json"
check "extract --json" python3 -c '
import json,sys; j=json.load(open(sys.argv[1]))
(r,) = j["roms"]
assert r["vendor"] == "0x10de" and r["device"] == "0x139b" and r["compressed"] and r["length"] == 3072, r
assert r["inspect"]["verdict"]["usable"] and r["path"].endswith("10de-139b-0x1880-0xc.rom"), r
assert any("EFI/Tiano" in s for s in j["skipped"]), j["skipped"]
assert j["inputs"][0]["volumes"] == 2' "$TMP/x.json"

# --- ROMs in an EFI 1.1-compressed section, a Tiano and an LZMA+x86 GUID-defined section
python3 "$TOP/scripts/mkroms.py" fv "$TMP/fw2.bin" --rom "$R/nv-muxless.rom" --efi-rom "$R/nv-other-card.rom" --tiano-rom "$R/nv-vga.rom" --lzmaf86-rom "$R/nv-npde.rom"
expect_exit 0 "extract from EFI and Tiano sections" "$OG" vbios extract "$TMP/fw2.bin" -o "$TMP/out1t"
same_file "EFI-compressed ROM byte for byte" "$R/nv-other-card.rom" $TMP/out1t/10de-1f91-0x*-0x4.rom
same_file "Tiano-compressed ROM byte for byte" "$R/nv-vga.rom" $TMP/out1t/10de-1c8d-0x*-0x4.rom
has "EFI section named" 'file 0A0B0C0D-0001-0002-0003-000000000003, EFI-compressed section at 0x[0-9a-f]+, at \+0x4' "$TMP/out"
has "Tiano section named" 'file 0A0B0C0D-0001-0002-0003-000000000004, Tiano-compressed section at 0x[0-9a-f]+, at \+0x4' "$TMP/out"
same_file "LZMA+x86-compressed ROM byte for byte" "$R/nv-npde.rom" $TMP/out1t/10de-139b-0x*-0x2cc.rom
has "LZMA+x86 section named" 'file 0A0B0C0D-0001-0002-0003-000000000005, LZMA\+x86 section at 0x[0-9a-f]+' "$TMP/out"
has "4 sections decompressed" '4 sections decompressed' "$TMP/out"

# --- a raw file holding a volume whose LZMA section holds the ROM
python3 "$TOP/scripts/mkroms.py" fv "$TMP/fw3.bin" --rom "$R/nv-x86-only.rom" --raw-fv-rom "$R/nv-other-card.rom"
expect_exit 0 "extract from a volume in a raw file" "$OG" vbios extract "$TMP/fw3.bin" -o "$TMP/out3r" --device 10de:1f91
same_file "ROM from a volume in a raw file byte for byte" "$R/nv-other-card.rom" $TMP/out3r/10de-1f91-0x*-0x4.rom
has "volume in a raw file named" 'file 0A0B0C0D-0001-0002-0003-000000000006, volume 8C8CE578-8A3D-4F1C-9935-896185C32DD3, file 0A0B0C0D-0001-0002-0003-000000000007, LZMA section' "$TMP/out"

# --- raw ROMs at odd offsets in a blob, two cards: --device picks one
{ head -c 1000 /dev/zero; cat "$R/nv-muxless.rom"; head -c 333 /dev/zero; cat "$R/nv-other-card.rom" "$R/ethernet.rom"; head -c 77 /dev/zero; } > "$TMP/blob.bin"
expect_exit 0 "extract raw ROMs" "$OG" vbios extract "$TMP/blob.bin" -o "$TMP/out2"
same_file "raw ROM 1 byte for byte" "$R/nv-muxless.rom" "$TMP/out2/10de-139b-0x3e8.rom"
same_file "raw ROM 2 byte for byte" "$R/nv-other-card.rom" "$TMP/out2/10de-1f91-0x1135.rom"
check "two NVIDIA ROMs written" test "$(count_roms "$TMP/out2")" = 2
has "asks for --device" 'pick your card.s with --device' "$TMP/err"
expect_exit 0 "extract --device" "$OG" vbios extract "$TMP/blob.bin" -o "$TMP/out3" --device 10de:1f91
check "--device writes one ROM" test "$(count_roms "$TMP/out3")" = 1
check "--device wrote the right one" test -f "$TMP/out3/10de-1f91-0x1135.rom"
expect_exit 1 "extract --device matching nothing" "$OG" vbios extract "$TMP/blob.bin" -o "$TMP/out4" --device 10de:ffff
has "--device mismatch message" '2 NVIDIA ROMs .* none for 10de:ffff' "$TMP/err"

# --- a vendor file with data before and after the ROM: extract cuts it out
expect_exit 0 "extract from a prefixed file" "$OG" vbios extract "$R/nv-prefixed.rom" -o "$TMP/outp"
tail -c +1537 "$R/nv-prefixed.rom" | head -c 3072 > "$TMP/cut.rom"
same_file "prefixed ROM cut at 0x600" "$TMP/cut.rom" "$TMP/outp/10de-139b-0x600.rom"
expect_exit 0 "the cut ROM is usable" "$OG" vbios inspect "$TMP/outp/10de-139b-0x600.rom"

# --- the same ROM twice: written once
cat "$R/nv-muxless.rom" "$R/nv-muxless.rom" > "$TMP/twice.bin"
expect_exit 0 "duplicate ROM" "$OG" vbios extract "$TMP/twice.bin" -o "$TMP/out5"
has "duplicate not written again" 'same bytes as .*, not written again' "$TMP/out"

# --- found but not usable; nothing found
expect_exit 3 "only a bad-checksum ROM" "$OG" vbios extract "$R/nv-badsum.rom" -o "$TMP/out6"
expect_exit 1 "no NVIDIA ROM" "$OG" vbios extract "$R/amd.rom" -o "$TMP/out7"
has "no ROM message" "no NVIDIA option ROM found" "$TMP/err"
expect_exit 1 "extract missing file" "$OG" vbios extract "$TMP/nope" -o "$TMP/out8"
: > "$TMP/empty.bin"
expect_exit 1 "extract empty file" "$OG" vbios extract "$TMP/empty.bin" -o "$TMP/out8"
has "empty file message" "is empty" "$TMP/err"
expect_exit 1 "extract a directory" "$OG" vbios extract "$TMP" -o "$TMP/out8"
has "directory message" "is not a regular file" "$TMP/err"

# --- Inno Setup installers
{ printf 'MZ'; head -c 2000 /dev/zero; printf 'Inno Setup Setup Data (5.5.7) (u)'; head -c 500 /dev/zero; } > "$TMP/setup.exe"
mkdir -p "$TMP/emptybin"
expect_exit 1 "Inno Setup without innoextract" env PATH="$TMP/emptybin" "$OG" vbios extract "$TMP/setup.exe" -o "$TMP/out9"
has "says to install innoextract" 'Inno Setup installer.*innoextract, which is not installed.*apt install innoextract' "$TMP/err"
if command -v innoextract > /dev/null; then
	expect_exit 1 "Inno Setup that innoextract rejects" "$OG" vbios extract "$TMP/setup.exe" -o "$TMP/out10"
	has "innoextract failure reported" 'innoextract could not unpack' "$TMP/err"
else
	skip "Inno Setup with innoextract" "innoextract not installed"
fi

# --- hostile firmware: truncated at many points, flipped bytes, random data, huge lengths
n=$(wc -c < "$TMP/fw.bin"); bad=0
for cut in 1 40 72 100 4096 4168 4200 6000 6280 6300 6400 8000 9000 12000; do
	[ "$cut" -lt "$n" ] || continue
	head -c "$cut" "$TMP/fw.bin" > "$TMP/cut.bin"
	"$OG" vbios extract "$TMP/cut.bin" -o "$TMP/outc" > /dev/null 2> "$TMP/err"; rc=$?
	{ [ "$rc" -le 3 ] && ! grep -qE 'Sanitizer|runtime error' "$TMP/err"; } || { bad=1; echo "cut $cut: rc $rc"; head -3 "$TMP/err"; }
done
check "truncated firmware files" test "$bad" = 0
bad=0
python3 - "$TMP/fw.bin" "$TMP/hostile" <<'PY'
import random, struct, sys
data = open(sys.argv[1], "rb").read()
rnd = random.Random(8)
for i in range(40):
    b = bytearray(data)
    for _ in range(rnd.randint(1, 12)):
        b[rnd.randrange(0x1000, len(b))] = rnd.choice([0, 0xff, rnd.randrange(256)])
    open(f"{sys.argv[2]}{i}.bin", "wb").write(b)
b = bytearray(data)
struct.pack_into("<Q", b, 0x1020, 1 << 62)            # volume length
open(f"{sys.argv[2]}huge-fv.bin", "wb").write(b)
b = bytearray(data)
struct.pack_into("<Q", b, 0x1880 + 24 + 5, 1 << 40)   # LZMA uncompressed size
open(f"{sys.argv[2]}huge-lzma.bin", "wb").write(b)
b = bytearray(data)
b[0x1868 + 0x14:0x1868 + 0x17] = b"\xff\xff\xff"      # file size
open(f"{sys.argv[2]}huge-file.bin", "wb").write(b)
open(f"{sys.argv[2]}random.bin", "wb").write(bytes(rnd.randrange(256) for _ in range(65536)))
PY
for f in "$TMP"/hostile*.bin; do
	"$OG" vbios extract "$f" -o "$TMP/outh" > /dev/null 2> "$TMP/err"; rc=$?
	{ [ "$rc" -le 3 ] && ! grep -qE 'Sanitizer|runtime error' "$TMP/err"; } || { bad=1; echo "$f: rc $rc"; head -3 "$TMP/err"; }
done
check "corrupted and hostile firmware files" test "$bad" = 0
"$OG" vbios extract "$TMP/hostilehuge-lzma.bin" -o "$TMP/outh" > "$TMP/out" 2> "$TMP/err"
has "huge LZMA size refused" 'declares 1099511627776 bytes, more than' "$TMP/out"

# --- the extracted ROM is what the ACPI table builder takes
if "$OG" acpi-table --help > /dev/null 2>&1; then
	expect_exit 0 "extracted ROM feeds acpi-table" "$OG" acpi-table --vbios "$TMP/out1/10de-139b-0x1880-0xc.rom" \
		-o "$TMP/ssdt.aml" --device-path '\_SB.PCI0.RP01.GPU0'
	has "acpi-table embedded all of it" 'VBIOS 3072 bytes embedded' "$TMP/out"
else
	skip "extracted ROM feeds acpi-table" "no acpi-table command in this build"
fi
