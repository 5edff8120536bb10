# vbios inspect on real option ROMs nobody here wrote: Debian's seabios VGA BIOSes
# and ipxe-qemu's EFI network ROMs. Ids as REFERENCE.md section 4 lists them
# (QEMU's devices); chains, checksums and EFI headers must read clean.
. "$TOP/tests/lib.sh"
found=0
while read -r file ids images; do
	[ -f "$file" ] || continue
	found=1
	base=$(basename "$file")
	expect_exit 3 "$base: parsed, not NVIDIA (exit 3)" "$OG" --json vbios inspect "$file"
	check "$base: $ids, $images, chain and checksums good" python3 - "$TMP/out" "$ids" "$images" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
vid, did = sys.argv[2].split(":")
kinds = sys.argv[3].split("+")
imgs = j["images"]
assert j["chain_ok"] and j["start"] == "0x0", j
assert [{0: "x86", 3: "efi"}[i["code_type"]] for i in imgs] == kinds, imgs
for i in imgs:
    assert (i["vendor"], i["device"]) == ("0x" + vid, "0x" + did), i
    assert i["checksum_ok"] in (True, None), i
    if i["code_type"] == 3:
        assert i["efi"]["signature_ok"] and i["efi"]["machine"] == "0x8664", i
assert imgs[-1]["last"]
assert any("not NVIDIA" in p for p in j["verdict"]["problems"])
PY
done <<'LIST'
/usr/share/seabios/vgabios-stdvga.bin 1234:1111 x86
/usr/share/seabios/vgabios-bochs-display.bin 1234:1111 x86
/usr/share/seabios/vgabios-cirrus.bin 1013:00b8 x86
/usr/share/seabios/vgabios-qxl.bin 1b36:0100 x86
/usr/share/seabios/vgabios-vmware.bin 15ad:0405 x86
/usr/share/seabios/vgabios-virtio.bin 1af4:1050 x86
/usr/lib/ipxe/qemu/efi-virtio.rom 1af4:1041 x86+efi
/usr/lib/ipxe/qemu/efi-e1000e.rom 8086:10d3 x86+efi
LIST
[ "$found" = 1 ] || skip "real option ROMs" "needs Debian's seabios or ipxe-qemu"

# extract finds only the NVIDIA ROM among real ones laid end to end
if [ -f /usr/lib/ipxe/qemu/efi-virtio.rom ] && [ -f /usr/share/seabios/vgabios-stdvga.bin ]; then
	python3 "$TOP/scripts/mkroms.py" roms "$TOP/tests/vbios/roms.spec" "$TMP"
	cat /usr/lib/ipxe/qemu/efi-virtio.rom "$TMP/nv-muxless.rom" /usr/share/seabios/vgabios-stdvga.bin > "$TMP/mix.bin"
	expect_exit 0 "extract among real ROMs" "$OG" vbios extract "$TMP/mix.bin" -o "$TMP/x"
	size=$(wc -c < /usr/lib/ipxe/qemu/efi-virtio.rom)
	same_file "the NVIDIA ROM after a real one, byte for byte" "$TMP/nv-muxless.rom" "$TMP/x/10de-139b-$(printf '0x%x' "$size").rom"
	check "nothing else written" test "$(ls "$TMP/x" | wc -l)" = 1
fi
