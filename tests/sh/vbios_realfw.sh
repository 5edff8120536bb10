# vbios extract on a real vendor firmware image that embeds NVIDIA VBIOSes: LG R510's
# InsydeH2O BIOS (tests/vbios/real/README; kept as a skeleton, scripts/fwskel.py),
# held against UEFIExtract: every volume and file it lists is ours, ours has exactly
# the two volumes it does not open (a volume in Insyde's NVRAM area, an NVRAM volume
# inside a raw section), the four NVIDIA ROMs are its raw sections byte for byte,
# each is placed in the file that holds it (as UEFITool's tree shows it), and vbios
# inspect reads each as the real ROM reads (checksum, ids, verdict).
. "$TOP/tests/lib.sh"
H="$(dirname "$OG")/optimus-guest-libvirt"
if ! command -v UEFIExtract > /dev/null; then
	skip "real firmware vs UEFIExtract" "needs uefitool-cli (UEFIExtract)"
	exit 0
fi
python3 "$TOP/scripts/fwskel.py" build "$TOP/tests/vbios/real/lg-r510-insyde.fwskel" "$TMP/fw.bin" ||
	{ fail "fwskel.py builds the LG R510 skeleton"; exit 0; }
check "skeleton is the real image's size (1 MiB)" test "$(wc -c < "$TMP/fw.bin")" -eq 1048576
cp "$TMP/fw.bin" "$TMP/img"
( cd "$TMP" && UEFIExtract img report > /dev/null 2>&1 && UEFIExtract img all > "$TMP/ue.out" 2>&1 )
rep="$TMP/img.report.txt"
[ -s "$rep" ] || { fail "UEFIExtract wrote no report"; exit 0; }
awk -F'|' '
	{ t = $1; gsub(/ /, "", t); split($6, n, " "); g = n[2] }
	t == "Volume" { s = $4; gsub(/ /, "", s); print "volume", g, s }
	t == "File" && length(g) == 36 && g ~ /^[0-9A-F-]+$/ && $2 !~ /Pad/ { s = $4; gsub(/ /, "", s); print "file", g, s }
' "$rep" | sort > "$TMP/theirs"

"$H" vbios extract --list "$TMP/fw.bin" -o "$TMP/x" > "$TMP/list" 2> "$TMP/err"
check "extract --list: exit 0" test $? -eq 0
awk '
	function hex8(v) { v = toupper(substr(v, 3)); while (length(v) < 8) v = "0" v; return v }
	$1 == "volume" { print "volume", $2, hex8($4) }
	$1 == "file" && $5 != "(pad)" { print "file", $2, hex8($7) }
' "$TMP/list" | sort > "$TMP/ours"
# what we open and UEFIExtract does not: the volume at 0xce000, inside Insyde's NVRAM
# area (UEFIExtract: "Padding, Non-empty"; its header checksum is good) with its four
# EFI-compressed files, and the NVRAM volume inside a raw section of the DXE volume
sort > "$TMP/extra" <<'EOF'
file 44532F42-787F-4D2C-9B71-2E531980FDC4 00000445
file 65C88A05-4A70-4DFA-9095-6CDFC857DD7D 00000A01
file 931F00D1-10FE-48BF-AB72-773D389E3FDA 0000047A
file FB6A2435-B957-435B-9221-C99B92E0CAAC 0000096F
volume 7A9354D9-0468-444A-81CE-0BF617D890DF 00003000
volume FFF12B8D-7696-4C8B-A985-2747075B4F50 0001C000
EOF
sort "$TMP/theirs" "$TMP/extra" > "$TMP/want"
if [ "$(wc -l < "$TMP/theirs")" -eq 156 ] && cmp -s "$TMP/want" "$TMP/ours"; then
	pass "UEFIExtract's 156 volumes and files, plus the 6 it does not open, as the real image"
else
	fail "volumes/files differ from UEFIExtract's plus the known 6 (< want, > ours)"
	diff "$TMP/want" "$TMP/ours" | head -20; wc -l "$TMP/theirs" "$TMP/ours"
fi
awk -F'|' '{ t = $1; gsub(/ /, "", t) } t == "Section" { n++ } END { print n + 0 }' "$rep" > "$TMP/their_sections"
check "UEFIExtract reads 618 sections, as in the real image" test "$(cat "$TMP/their_sections")" -eq 618
check "we read 626 sections (UEFIExtract's 618, 8 in the volume it does not open)" \
	test "$(grep -c '^ *section ' "$TMP/list")" -eq 626
if grep -q 'not searched\|could not be opened' "$TMP/list" "$TMP/err"; then
	fail "something left unsearched"; grep 'not searched\|could not be opened' "$TMP/list" "$TMP/err" | head -5
else
	pass "nothing left unsearched"
fi
check "four NVIDIA ROMs listed" test "$(grep -c '^ROM [0-9]*: 10de:' "$TMP/list")" -eq 4
if grep -qE 'Sanitizer|runtime error' "$TMP/err"; then fail "sanitizer"; cat "$TMP/err"; else pass "clean run"; fi

# each ROM is what UEFIExtract unpacks from its file's CRC32 GUID-defined section, and
# inspect reads it as it reads the real ROM: checksum good, usable for nouveau
while read -r guid did len; do
	body=$(find "$TMP/img.dump" -path "*$guid/0 FC1BCDB0-7D31-49AA-936A-A4600D9DD083/0 Raw section/body.bin" | head -1)
	ours=$(ls "$TMP"/x/10de-"$did"-*.rom 2> /dev/null | head -1)
	if [ -z "$body" ] || [ -z "$ours" ]; then
		fail "10de:$did: no UEFIExtract raw section under file $guid or no ROM written"; continue
	fi
	same_file "10de:$did (file $guid): byte for byte as UEFIExtract unpacks it" "$body" "$ours"
	check "10de:$did: its place names the file that holds it, $guid" \
		grep -q "LZMA-compressed section at 0x12060, volume 7A9354D9-0468-444A-81CE-0BF617D890DF, file $guid, at +0x" "$TMP/list"
	check "10de:$did: $len bytes" test "$(wc -c < "$ours")" -eq "$len"
	"$H" --json vbios inspect "$ours" > "$TMP/inspect.json" 2> "$TMP/ierr"
	check "10de:$did: inspect exit 0 (usable)" test $? -eq 0
	check "10de:$did: inspect reads the ids, a good checksum and a well-formed chain" python3 - "$TMP/inspect.json" "$did" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
i = j["images"]
assert j["chain_ok"] and len(i) == 1, j
assert (i[0]["vendor"], i[0]["device"]) == ("0x10de", "0x" + sys.argv[2]), i
assert i[0]["code_type"] == 0 and i[0]["checksum_ok"] is True and i[0]["last"], i
PY
done <<'EOF'
2D673E5A-55DB-43B4-B713-AAECE4AC8194 0648 63488
F5AAD505-3026-433D-B4A6-8A07E517BBF7 06e9 64000
0698413B-D048-442D-8856-3CCCFCBD4B22 06ec 64000
61F4074E-12C4-4B0E-BF13-8C15A0BC2A6A 0652 64512
EOF
# --device picks one card's ROM out of the four
"$H" vbios extract "$TMP/fw.bin" --device 10de:06e9 -o "$TMP/one" > /dev/null 2>&1
check "--device 10de:06e9 writes that ROM alone" test "$(ls "$TMP/one")" = "$(cd "$TMP/x" && ls 10de-06e9-*.rom)"
