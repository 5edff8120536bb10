# The firmware walker held against UEFIExtract (Debian uefitool-cli) on Debian's
# OVMF image: the volumes (GUID, size) and FFS files (GUID, size; pad files left
# out) we find must be those UEFIExtract's report lists; section counts must agree.
. "$TOP/tests/lib.sh"
OVMF=
for f in /usr/share/OVMF/OVMF_CODE_4M.fd /usr/share/OVMF/OVMF_CODE.fd; do
	[ -f "$f" ] && OVMF="$OVMF $f"
done
if [ -z "$OVMF" ] || ! command -v UEFIExtract > /dev/null; then
	skip "walker vs UEFIExtract" "needs ovmf and uefitool-cli (UEFIExtract)"
	exit 0
fi
compare() { # NAME FILE
	cp "$2" "$TMP/img"
	( cd "$TMP" && UEFIExtract img report > /dev/null 2>&1 )
	rep="$TMP/img.report.txt"
	[ -s "$rep" ] || { fail "$1: UEFIExtract wrote no report"; return; }
	# report rows: Type | Subtype | Base | Size | CRC32 | --- NAME [| text]
	awk -F'|' '
		{ t = $1; gsub(/ /, "", t); split($6, n, " "); g = n[2] }
		t == "Volume" { s = $4; gsub(/ /, "", s); print "volume", g, s }
		t == "File" && length(g) == 36 && g ~ /^[0-9A-F-]+$/ && $2 !~ /Pad/ { s = $4; gsub(/ /, "", s); print "file", g, s }
	' "$rep" | sort > "$TMP/theirs"
	awk -F'|' '{ t = $1; gsub(/ /, "", t) } t == "Section" { n++ } END { print n + 0 }' "$rep" > "$TMP/their_sections"
	"$OG" vbios extract --list "$2" -o "$TMP/x" > "$TMP/list" 2> "$TMP/err"
	awk '
		function hex8(v) { v = toupper(substr(v, 3)); while (length(v) < 8) v = "0" v; return v }
		$1 == "volume" { print "volume", $2, hex8($4) }
		$1 == "file" && $5 != "(pad)" { print "file", $2, hex8($7) }
	' "$TMP/list" | sort > "$TMP/ours"
	grep -c '^ *section ' "$TMP/list" > "$TMP/our_sections"
	if [ -s "$TMP/theirs" ] && cmp -s "$TMP/theirs" "$TMP/ours"; then
		pass "$1: $(grep -c '^volume' "$TMP/ours") volumes and $(grep -c '^file' "$TMP/ours") files as UEFIExtract"
	else
		fail "$1: volumes/files differ from UEFIExtract (< UEFIExtract, > ours)"
		diff "$TMP/theirs" "$TMP/ours" | head -20; wc -l "$TMP/theirs" "$TMP/ours"
	fi
	same_file "$1: section count as UEFIExtract ($(cat "$TMP/their_sections"))" "$TMP/their_sections" "$TMP/our_sections"
	if grep -qE 'Sanitizer|runtime error' "$TMP/err"; then fail "$1: sanitizer"; else pass "$1: clean run"; fi
}
for f in $OVMF; do
	compare "OVMF $(basename "$f")" "$f"
done
# the script-built image too: UEFIExtract must read what mkroms.py writes
python3 "$TOP/scripts/mkroms.py" roms "$TOP/tests/vbios/roms.spec" "$TMP" &&
	python3 "$TOP/scripts/mkroms.py" fv "$TMP/fw.bin" --rom "$TMP/nv-muxless.rom" --other "$TMP/amd.rom" \
		--efi-rom "$TMP/nv-other-card.rom" --tiano-rom "$TMP/nv-vga.rom" --lzmaf86-rom "$TMP/nv-npde.rom" --raw-fv-rom "$TMP/nv-x86-only.rom" &&
	compare "mkroms.py firmware" "$TMP/fw.bin"
# what UEFIExtract decompresses from the EFI and Tiano sections is what we write out
( cd "$TMP" && rm -rf img.dump && UEFIExtract img all > /dev/null 2>&1 )
"$OG" vbios extract "$TMP/fw.bin" -o "$TMP/romsout" > /dev/null 2>&1
efi=$(find "$TMP/img.dump" -path '*EfiRom/0 Compressed section/0 Raw section/body.bin' | head -1)
tiano=$(find "$TMP/img.dump" -path '*A31280AD-481E-41B6-95E8-127F4C984779/0 Raw section/body.bin' | head -1)
f86=$(find "$TMP/img.dump" -path '*D42AE6BD-1352-4BFB-909A-CA72A6EAE889/1 Raw section/body.bin' | head -1)
if [ -n "$efi" ] && [ -n "$tiano" ] && [ -n "$f86" ]; then
	same_file "LZMA+x86-compressed ROM as UEFIExtract unpacks it" "$f86" $TMP/romsout/10de-139b-0x*-0x2cc.rom
	same_file "EFI-compressed ROM as UEFIExtract unpacks it" "$efi" $TMP/romsout/10de-1f91-0x*-0x4.rom
	same_file "Tiano-compressed ROM as UEFIExtract unpacks it" "$tiano" $TMP/romsout/10de-1c8d-0x*-0x4.rom
else
	fail "UEFIExtract dump has no EFI/Tiano/LZMA+x86 raw sections"; find "$TMP/img.dump" | head -30
fi
# compression sections of type 2 (EFI_CUSTOMIZED_COMPRESSION): the EDK2 LZMA header
# and Intel's legacy form open as UEFIExtract opens them; the old .lzma header with
# an unknown size, which this UEFIExtract leaves closed, opens too
python3 "$TOP/scripts/mkroms.py" fv "$TMP/fw2.bin" --rom "$TMP/nv-muxless.rom" --custom-rom "$TMP/nv-other-card.rom" \
	--alone-rom "$TMP/nv-vga.rom" --legacy-rom "$TMP/nv-npde.rom"
cp "$TMP/fw2.bin" "$TMP/img2"
( cd "$TMP" && rm -rf img2.dump && UEFIExtract img2 all > /dev/null 2>&1 )
"$OG" vbios extract "$TMP/fw2.bin" -o "$TMP/romsout2" > "$TMP/out2" 2>&1
custom=$(find "$TMP/img2.dump" -path '*0A0B0C0D-0001-0002-0003-000000000010/0 Compressed section/0 Raw section/body.bin' | head -1)
legacy=$(find "$TMP/img2.dump" -path '*0A0B0C0D-0001-0002-0003-000000000012/0 Compressed section/0 Raw section/body.bin' | head -1)
if [ -n "$custom" ] && [ -n "$legacy" ]; then
	same_file "type 2 (LZMA) ROM as UEFIExtract unpacks it" "$custom" $TMP/romsout2/10de-1f91-0x*-0x4.rom
	same_file "type 2, Intel legacy LZMA ROM as UEFIExtract unpacks it" "$legacy" $TMP/romsout2/10de-139b-0x3*-0x4.rom
else
	fail "UEFIExtract dump has no raw sections under the type 2 compression sections"; find "$TMP/img2.dump" | head -30
fi
same_file "type 2, old .lzma header (size unknown): opened" "$TMP/nv-vga.rom" $TMP/romsout2/10de-1c8d-0x*-0x4.rom
if grep -q 'not searched' "$TMP/out2"; then fail "type 2 sections: something not searched"; grep 'not searched' "$TMP/out2"; else pass "type 2 sections: nothing left unsearched"; fi
# a variable store ($VSS, the NVRAM volume) is not a failure: Debian's OVMF_VARS
for v in /usr/share/OVMF/OVMF_VARS_4M.fd /usr/share/OVMF/OVMF_VARS.fd; do
	[ -f "$v" ] || continue
	"$OG" vbios extract --list "$v" -o "$TMP/vars" > "$TMP/vout" 2> "$TMP/verr"
	if grep -q 'not searched\|could not be opened' "$TMP/vout" "$TMP/verr"; then
		fail "$(basename "$v"): variable store reported as not searched"; cat "$TMP/vout" "$TMP/verr" | head -5
	else
		pass "$(basename "$v"): variable store is not a failure"
	fi
	check "$(basename "$v"): listed as a variable store" grep -q 'variable store (NVRAM)' "$TMP/vout"
done
