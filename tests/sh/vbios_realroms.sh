# vbios inspect / extract on real NVIDIA VBIOS dumps (skeletons, see
# tests/vbios/real/README): image for image as rom-parser read the real files,
# whole chains past NVIDIA's type 0x70 image, checksums told damaged from
# modified, internal images kept quiet, what Linux's sysfs rom gives.
. "$TOP/tests/lib.sh"
D="$TOP/tests/vbios/real"
SK="python3 $TOP/scripts/romskel.py"
has() { if grep -qE -- "$2" "$3"; then pass "$1"; else fail "$1 (no /$2/ in $3)"; sed 's/^/    /' "$3" | head -20; fi; }
hasnt() { if grep -qE -- "$2" "$3"; then fail "$1 (/$2/ in $3)"; grep -E -- "$2" "$3" | head -5; else pass "$1"; fi; }

# rom-parser's lines from inspect --json: its images are the 55 aa / PCIR ones,
# up to the one whose PCIR indicator marks it last
cat > "$TMP/as_rom_parser.py" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
start = int(j["start"], 16)
sub = {11: "Boot", 12: "Runtime"}
mach = {"0x014c": "IA-32", "0x0200": "Itanium", "0x0ebc": "EFI Byte Code", "0x8664": "X64", "0x01c2": "ARM", "0xaa64": "ARM 64-bit"}
for i in j["images"]:
    if i["signature"] != "0xaa55" or i["pcir_signature"] != "PCIR":
        continue
    t = i["code_type"]
    print("Valid ROM signature found @%xh, PCIR offset %xh" % (int(i["offset"], 16), int(i["pcir_offset"], 16)))
    cls = int(i["class"], 16)
    print("\tPCIR: type %x%s, vendor: %s, device: %s, class: %06x" % (t, {0: " (x86 PC-AT)", 3: " (EFI)"}.get(t, ""),
          i["vendor"][2:], i["device"][2:], cls))
    print("\tPCIR: revision %x, vendor revision: %x" % (i["pcir_revision"], int(i["code_revision"], 16)))
    if t == 3:
        e = i["efi"]
        if e["signature_ok"]:
            s = sub.get(e["subsystem"], "Unknown (%x)" % e["subsystem"])
            m = mach.get(e["machine"], "Unknown (%x)" % int(e["machine"], 16))
            print("\t\tEFI: Signature Valid, Subsystem: %s, Machine: %s" % (s, m))
        else:
            print("\t\tEFI: Signature NOT Valid")
    if i["pcir_last"]:
        print("\tLast image")
        break
PY

# NAME EXIT CHAIN: inspect's exit status and every image's code type, in order
while read -r name code chain; do
	$SK build "$D/$name.skel" "$TMP/$name.rom" || { fail "$name: skeleton builds"; continue; }
	expect_exit "$code" "$name: inspect exit $code" "$OG" --json vbios inspect "$TMP/$name.rom"
	cp "$TMP/out" "$TMP/$name.json"
	python3 "$TMP/as_rom_parser.py" "$TMP/$name.json" > "$TMP/$name.rp"
	same_file "$name: images as rom-parser read the real file" "$D/$name.rom-parser" "$TMP/$name.rp"
	check "$name: whole chain $chain, chain well formed" python3 -c '
import json, sys
j = json.load(open(sys.argv[1]))
got = "+".join("%x" % i["code_type"] for i in j["images"])
assert j["chain_ok"] and got == sys.argv[2], (got, j["chain_problem"])' "$TMP/$name.json" "$chain"
	hasnt "$name: no note on NVIDIA's own images' ids" 'is for 10de:(0000|1[0-9a-f]80|0ff0|13bf|1c80|1d00)' "$TMP/$name.json"
done <<'LIST'
kepler-gk107 3 0+3+e0+70
maxwell-quadro-m1200-laptop 0 0+e0+70
maxwell-quadro-m2000m-modified 3 0+e0+70+3+3
pascal-mx150-laptop 0 0+e0+e0+70
pascal-gtx1050ti-maxq-laptop 0 0+e0+e0+70
pascal-gtx1050ti-mobile 0 0+e0+e0+70
pascal-gtx1070 3 0+e0+e0+70+3
pascal-quadro-p5000 3 0+e0+e0+70+3
pascal-quadro-p3000m-modified 3 0+e0+e0+70+3
turing-t1000-flash 3 0+3+e0+e0+70
LIST

# --- EFI images after NVIDIA's type 0x70 image: reported, nouveau's end kept apart
"$OG" vbios inspect "$TMP/maxwell-quadro-m2000m-modified.rom" > "$TMP/m2000m.txt" 2>&1
has "m2000m: EFI image after type 0x70 listed" '@1ce00h' "$TMP/m2000m.txt"
has "m2000m: nouveau's end said" 'Last image for nouveau' "$TMP/m2000m.txt"
hasnt "m2000m: no 'no EFI image' note" 'no EFI image' "$TMP/m2000m.txt"
# --- edited ROMs: modified, not damaged; a damaged copy says so
has "m2000m: checksum worded as modified" 'note: x86 image at 0x600: .*the file was modified .*not damaged' "$TMP/m2000m.txt"
hasnt "m2000m: checksum not a problem" 'problem: x86 image' "$TMP/m2000m.txt"
"$OG" vbios inspect "$TMP/pascal-quadro-p3000m-modified.rom" > "$TMP/p3000.txt" 2>&1
has "p3000m: checksum worded as modified" 'the file was modified' "$TMP/p3000.txt"
python3 -c 'import sys; b = bytearray(open(sys.argv[1], "rb").read()); b[0x800] ^= 0x5a; open(sys.argv[2], "wb").write(b)' \
	"$TMP/pascal-mx150-laptop.rom" "$TMP/mx150-damaged.rom"
expect_exit 3 "mx150 with one byte changed: not usable" "$OG" vbios inspect "$TMP/mx150-damaged.rom"
has "damaged copy worded as damaged" 'problem: x86 image at 0x0: its bytes sum to 0 neither .* the file is damaged' "$TMP/out"

# --- extract writes one whole ROM: all five images, cut from the flash header
expect_exit 0 "m2000m: extract" "$OG" vbios extract "$TMP/maxwell-quadro-m2000m-modified.rom" -o "$TMP/xm"
check "m2000m: one file written" test "$(ls "$TMP/xm" | wc -l)" = 1
python3 -c 'import sys; b = open(sys.argv[1], "rb").read(); open(sys.argv[2], "wb").write(b[0x600:0x2f400])' \
	"$TMP/maxwell-quadro-m2000m-modified.rom" "$TMP/m2000m-whole.rom"
same_file "m2000m: the ROM written is the whole chain" "$TMP/m2000m-whole.rom" "$TMP/xm/10de-13b0-0x600.rom"
"$OG" vbios inspect "$TMP/xm/10de-13b0-0x600.rom" > "$TMP/xm.txt"; rc=$?
check "m2000m extracted: usable for nouveau (exit 0)" test "$rc" = 0
has "m2000m extracted: 5 images" 'usable for nouveau .*5 images' "$TMP/xm.txt"

# --- a whole flash with two copies and a stray internal image: one ROM, no --device question
expect_exit 0 "t1000 flash: extract" "$OG" vbios extract "$TMP/turing-t1000-flash.rom" -o "$TMP/xt"
cp "$TMP/out" "$TMP/xt.txt"
check "t1000 flash: one file written" test "$(ls "$TMP/xt")" = 10de-1fb9-0x4600.rom
has "t1000 flash: the second copy is the same bytes" 'same bytes as' "$TMP/xt.txt"
has "t1000 flash: the stray type 0x70 image is not a ROM" 'not a ROM: at 0xf9e00: 10de:0000 class 000000' "$TMP/xt.txt"
hasnt "t1000 flash: no --device question for one card" 'device' "$TMP/err"

# --- what Linux's sysfs rom gives: the chain to PCIR's last bit
"$OG" --json vbios inspect "$TMP/kepler-gk107.rom" > "$TMP/gk.json"
len=$(python3 -c 'import json, sys; print(int(json.load(open(sys.argv[1]))["pcir_chain_length"], 16))' "$TMP/gk.json")
check "gk107: PCIR chain ends after the EFI image (0x21000)" test "$len" = $((0x21000))
$SK cut "$D/kepler-gk107.skel" "$TMP/gk107-sysfs.rom" 0x400 "$len"
expect_exit 0 "gk107 as sysfs reads it: usable, not refused" "$OG" vbios inspect "$TMP/gk107-sysfs.rom"
has "gk107 sysfs: says what it is" "what Linux's sysfs rom file gives" "$TMP/out"
has "gk107 sysfs: says what is missing" "NVIDIA's own images \(code types 0xe0 and 0x70\) are missing" "$TMP/out"
has "gk107 sysfs: says who can use it" "nouveau .* can use this file on cards up to Maxwell GM10x.*binary driver expects the whole ROM" "$TMP/out"
hasnt "gk107 sysfs: not called truncated" 'truncated|cut short' "$TMP/out"
$SK cut "$D/kepler-gk107.skel" "$TMP/gk107-short.rom" 0x400 0x20000
expect_exit 3 "gk107 cut inside the EFI image: not usable" "$OG" vbios inspect "$TMP/gk107-short.rom"
has "gk107 cut inside an image: cut short" 'the ROM is cut short' "$TMP/out"

# --- a laptop ROM: image 0's PCIR length covers NVIDIA's images, sysfs gives it all
"$OG" --json vbios inspect "$TMP/pascal-mx150-laptop.rom" > "$TMP/mx.json"
check "mx150: PCIR chain covers the whole ROM" python3 -c '
import json, sys
j = json.load(open(sys.argv[1]))
assert j["pcir_chain_length"] == j["length"] == "0x2c800" and j["pcir_chain_images"] == 1 and not j["sysfs_cut"], j' "$TMP/mx.json"

# --- the same bytes read through a recorded sysfs tree (inspect without FILE)
S="$TMP/root/sys/bus/pci/devices/0000:01:00.0"; mkdir -p "$S"
printf '0x10de\n' > "$S/vendor"; printf '0x0fc6\n' > "$S/device"; printf '0x030000\n' > "$S/class"
cp "$TMP/gk107-sysfs.rom" "$S/rom"
expect_exit 0 "gk107 sysfs tree: inspect reads it, usable" "$OG" --root "$TMP/root" vbios inspect
has "gk107 sysfs tree: what it lacks" "0000:01:00.0 .*sysfs rom" "$TMP/out"
has "gk107 sysfs tree: described, not refused" "what Linux's sysfs rom file gives" "$TMP/out"

# --- inspect on a firmware image points at extract
mkdir -p "$TMP/r"; python3 "$TOP/scripts/mkroms.py" roms "$TOP/tests/vbios/roms.spec" "$TMP/r" >/dev/null
python3 "$TOP/scripts/mkroms.py" fv "$TMP/fw.bin" --rom "$TMP/r/nv-muxless.rom"
expect_exit 1 "inspect on a firmware image: refused" "$OG" vbios inspect "$TMP/fw.bin"
has "inspect on a firmware image: points at extract" "is a firmware image .*not an option ROM; get the ROMs out of it with: optimus-guest vbios extract .*fw.bin -o DIR" "$TMP/err"
