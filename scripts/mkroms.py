#!/usr/bin/env python3
"""Build test option ROMs and firmware images for the vbios tests.

  mkroms.py roms SPEC OUTDIR          one OUTDIR/NAME.rom per line of SPEC
                                      (format in tests/vbios/roms.spec)
  mkroms.py fv OUT --rom NV.rom [--other OTHER.rom] [--efi-rom A.rom]
                   [--tiano-rom B.rom] [--lzmaf86-rom C.rom] [--raw-fv-rom D.rom]
                   [--custom-rom E.rom] [--alone-rom F.rom] [--legacy-rom G.rom] [--bad-efi]
      a firmware image: 0x1000 bytes of capsule-like header, then a firmware
      volume holding a freeform file with OTHER.rom in a raw section, and a
      firmware-volume-image file whose LZMA GUID-defined section (EDK2's
      LzmaCompress format) holds NV.rom in a raw section and a nested volume.
      --efi-rom: a driver file whose compression section (type 1, EFI 1.1
      compression) holds A.rom; --tiano-rom: a file whose Tiano GUID-defined
      section holds B.rom; --lzmaf86-rom: an LZMA+x86 (LzmaF86) GUID-defined
      section holds code and C.rom; --raw-fv-rom: a raw file holding a volume whose
      LZMA section holds D.rom; --custom-rom, --alone-rom, --legacy-rom: a
      compression section of type 2 (LZMA) holds E/F/G.rom, with the EDK2
      header, the old .lzma header (size unknown), Intel's legacy form;
      --bad-efi: a compression section of random bytes.
  mkroms.py efi-compress VERSION IN OUT   EFI (1) or Tiano (2) compress a file

Layouts: PI spec vol. 3 (EFI_FIRMWARE_VOLUME_HEADER, EFI_FFS_FILE_HEADER,
EFI_COMMON_SECTION_HEADER), PCI Firmware spec (PCIR), UEFI spec (EFI ROM header).
"""
import lzma
import struct
import sys
import uuid


def filler(n, seed):
    """Deterministic non-zero bytes that never contain 55 aa."""
    out = bytearray()
    x = seed & 0xFFFFFFFF or 1
    while len(out) < n:
        x = (x * 1103515245 + 12345) & 0x7FFFFFFF
        b = (x >> 16) & 0xFF
        out.append(b if b not in (0x55, 0xAA, 0x77, 0x56) else 0x11)
    return bytes(out)


def build_image(kind, vid, did, cls, opts, is_last, seed):
    n512 = int(opts.get("n512", 2))
    size = n512 * 512
    img = bytearray(filler(size, seed))
    sig = int(opts.get("sig", "aa55"), 16)
    struct.pack_into("<H", img, 0, sig)
    code = {"x86": 0, "efi": 3, "nvfw": 0x70}[kind]
    pcir = int(opts.get("pcir", "0x1c" if kind == "efi" else "0x40"), 16)
    if kind == "efi":
        struct.pack_into("<HIHHH", img, 2, n512, 0x0EF1 if "efibadsig" not in opts else 0x1234,
                         0x0B, 0x8664, 1 if "compressed" in opts else 0)
        img[0x0E:0x16] = bytes(8)
        struct.pack_into("<H", img, 0x16, 0x40)
    else:
        img[2] = n512 & 0xFF
        img[3:6] = b"\xeb\x4b\x90"
        img[6:0x0B] = b"VIDEO"
    struct.pack_into("<H", img, 0x18, pcir)
    pcirlen = int(opts.get("pcirlen", n512))
    last = is_last and "nolast" not in opts
    if "len0" in opts:
        pcirlen, last = 0, False
    if pcir + 0x18 <= size:
        c = int(cls, 16)
        sigb = opts.get("pcirsig", "PCIR").encode()
        struct.pack_into("<4sHHHHB3sHHBBH", img, pcir, sigb, vid, did, 0, 0x18, 3,
                         bytes([c & 0xFF, (c >> 8) & 0xFF, c >> 16]),
                         pcirlen, 1, code, 0x80 if last else 0, 0)
        if "npde" in opts:
            npde = (pcir + 0x18 + 0x0F) & ~0x0F
            struct.pack_into("<4sHHHB", img, npde, b"NPDE", 0x0101, 0x10, n512, 0x80 if last else 0)
    if kind == "x86":
        img[-1] = 0
        img[-1] = (-sum(img)) & 0xFF
        if "badsum" in opts:
            img[-1] ^= 0x01
    return bytes(img)


def parse_spec_line(line):
    left, right = line.split(":", 1)
    words = left.split()
    name, romopts = words[0], dict(w.split("=", 1) for w in words[1:])
    images = []
    for part in right.split("|"):
        w = part.split()
        kind, ids, cls = w[0], w[1], w[2]
        vid, did = (int(x, 16) for x in ids.split(":"))
        opts = {}
        for o in w[3:]:
            k, _, v = o.partition("=")
            opts[k] = v if v else True
        images.append((kind, vid, did, cls, opts))
    return name, romopts, images


def build_rom(romopts, images, seed=1):
    out = bytearray(filler(int(romopts.get("prefix", "0"), 0), seed + 100))
    for i, (kind, vid, did, cls, opts) in enumerate(images):
        out += build_image(kind, vid, did, cls, opts, i == len(images) - 1, seed + i)
    out += filler(int(romopts.get("suffix", "0"), 0), seed + 200)
    if "truncate" in romopts:
        out = out[: int(romopts["truncate"], 0)]
    return bytes(out)


def cmd_roms(spec, outdir):
    for n, raw in enumerate(open(spec)):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        name, romopts, images = parse_spec_line(line)
        with open(f"{outdir}/{name}.rom", "wb") as f:
            f.write(build_rom(romopts, images, seed=n + 1))


# --- EFI 1.1 / Tiano compression (UEFI spec "Compression Algorithm") ----------
# A small encoder with fixed codes: C (char and length) gives symbols 0-1 8 bits
# and 2-509 9 bits; P (position) lengths 1..9,9 for 0..9; T (code lengths) two
# 1-bit symbols. Greedy LZ77 over a 512-byte window, matches 3..256 bytes.

class Bits:
    def __init__(self):
        self.v, self.n, self.out = 0, 0, bytearray()

    def put(self, value, n):
        for i in range(n - 1, -1, -1):
            self.v = self.v << 1 | (value >> i) & 1
            self.n += 1
            if self.n == 8:
                self.out.append(self.v)
                self.v, self.n = 0, 0

    def bytes(self):
        if self.n:
            self.out.append(self.v << (8 - self.n))
            self.v, self.n = 0, 0
        return bytes(self.out)


def canonical(lengths):
    """code (value, length) per symbol, as the decoder's canonical tables assign them"""
    start, count = [0] * 18, [0] * 17
    for l in lengths:
        count[l] += 1
    for i in range(1, 17):
        start[i + 1] = start[i] + (count[i] << (16 - i))
    assert start[17] == 1 << 16, "incomplete code"
    codes = {}
    for ch, l in enumerate(lengths):
        if l:
            codes[ch] = (start[l] >> (16 - l), l)
            start[l] += 1 << (16 - l)
    return codes


C_LEN = [8, 8] + [9] * 508
P_LEN = [1, 2, 3, 4, 5, 6, 7, 8, 9, 9]
C_CODE, P_CODE = canonical(C_LEN), canonical(P_LEN)


def put_ptlen(b, v):
    if v < 7:
        b.put(v, 3)
    else:
        b.put(0b111, 3)
        b.put((1 << (v - 7)) - 1, v - 7)
        b.put(0, 1)


def lz77(data):
    pos, last = 0, {}
    while pos < len(data):
        best_len, best_dist = 0, 0
        key = data[pos:pos + 3]
        for cand in reversed(last.get(key, [])[-16:]):
            dist = pos - cand
            if dist > 512:
                continue
            n = 0
            while n < 256 and pos + n < len(data) and data[cand + n] == data[pos + n]:
                n += 1
            if n > best_len:
                best_len, best_dist = n, dist
        if best_len >= 3:
            yield ("m", best_len, best_dist)
            step = best_len
        else:
            yield ("l", data[pos], 0)
            step = 1
        for i in range(pos, pos + step):
            last.setdefault(data[i:i + 3], []).append(i)
        pos += step


def efi_compress(data, version=1):
    pbit = 4 if version == 1 else 5
    syms = list(lz77(data))
    b = Bits()
    for at in range(0, max(len(syms), 1), 0xFFFF):
        block = syms[at:at + 0xFFFF]
        b.put(len(block), 16)
        b.put(12, 5)                      # T: 12 lengths, 10 and 11 one bit each
        for _ in range(3):
            put_ptlen(b, 0)
        b.put(3, 2)                       # after index 2: three more zeros
        for _ in range(4):
            put_ptlen(b, 0)
        put_ptlen(b, 1)
        put_ptlen(b, 1)
        b.put(len(C_LEN), 9)              # C lengths through T: 8 -> "0", 9 -> "1"
        for l in C_LEN:
            b.put(0 if l == 8 else 1, 1)
        b.put(len(P_LEN), pbit)
        for l in P_LEN:
            put_ptlen(b, l)
        for kind, a, dist in block:
            if kind == "l":
                b.put(*C_CODE[a])
                continue
            b.put(*C_CODE[253 + a])
            p = dist - 1
            val = p if p <= 1 else p.bit_length()
            b.put(*P_CODE[val])
            if val > 1:
                b.put(p - (1 << (val - 1)), val - 1)
    stream = b.bytes()
    return struct.pack("<II", len(stream), len(data)) + stream


# --- firmware volumes -------------------------------------------------------

FFS2 = uuid.UUID("8C8CE578-8A3D-4F1C-9935-896185C32DD3")
LZMA_GUID = uuid.UUID("EE4E5898-3914-4259-9D6E-DC7BD79403CF")
LZMAF86_GUID = uuid.UUID("D42AE6BD-1352-4BFB-909A-CA72A6EAE889")
TIANO_GUID = uuid.UUID("A31280AD-481E-41B6-95E8-127F4C984779")


def align(b, n, fill=b"\x00"):
    return b + fill * ((-len(b)) % n)


def section(stype, body):
    return struct.pack("<I", (len(body) + 4) | stype << 24) + body


def sections(*secs):
    out = b""
    for s in secs:
        out = align(out, 4) + s
    return out


def lzma_section(body, x86=False):
    """GUID-defined section with EDK2 LzmaCompress data: 13-byte header
    (properties, dictionary size, u64 size) and the LZMA1 stream; with x86 the
    input first goes through the x86 BCJ filter (EDK2's LzmaF86 sections)."""
    filters = [{"id": lzma.FILTER_LZMA1, "dict_size": 1 << 20, "lc": 3, "lp": 0, "pb": 2}]
    if x86:
        filters.insert(0, {"id": lzma.FILTER_X86})
    stream = lzma.compress(body, format=lzma.FORMAT_RAW, filters=filters)
    data = struct.pack("<BIQ", (2 * 5 + 0) * 9 + 3, 1 << 20, len(body)) + stream
    hdr = (LZMAF86_GUID if x86 else LZMA_GUID).bytes_le + struct.pack("<HH", 4 + 16 + 4, 0x01)
    return section(0x02, hdr + data)


def custom_section(body, form):
    """EFI_COMPRESSION_SECTION of type 2 (EFI_CUSTOMIZED_COMPRESSION: LZMA, as UEFITool
    reads it). FORM "edk2": the 13-byte header with the size; "alone": the old .lzma
    header, size unknown, the stream ends on its end marker; "legacy": Intel's form,
    a 32-bit size before the EDK2 header."""
    if form == "alone":
        data = lzma.compress(body, format=lzma.FORMAT_ALONE)
    else:
        filters = [{"id": lzma.FILTER_LZMA1, "dict_size": 1 << 20, "lc": 3, "lp": 0, "pb": 2}]
        stream = lzma.compress(body, format=lzma.FORMAT_RAW, filters=filters)
        data = struct.pack("<BIQ", (2 * 5 + 0) * 9 + 3, 1 << 20, len(body)) + stream
        if form == "legacy":
            data = struct.pack("<I", len(data)) + data
    return section(0x01, struct.pack("<IB", len(body), 2) + data)


def ffs_file(guid, ftype, body):
    size = 24 + len(body)
    hdr = bytearray(guid.bytes_le + struct.pack("<BBBB", 0, 0, ftype, 0) + struct.pack("<I", size)[:3] + b"\xf8")
    hdr[17] = 0xAA  # IntegrityCheck.File: no file checksum
    s = sum(hdr[:16]) + hdr[18] + hdr[19] + hdr[20] + hdr[21] + hdr[22]
    hdr[16] = (-s) & 0xFF  # IntegrityCheck.Header over the header without State/File checksum
    return bytes(hdr) + body


def volume(files, size, guid=FFS2):
    hdr = bytearray(bytes(16) + guid.bytes_le + struct.pack("<Q4sIHHHBB", size, b"_FVH", 0x0004FEFF, 0x48, 0, 0, 0, 2)
                    + struct.pack("<IIII", size // 0x1000, 0x1000, 0, 0))
    csum = (-sum(struct.unpack("<36H", hdr))) & 0xFFFF
    struct.pack_into("<H", hdr, 0x32, csum)
    body = bytes(hdr)
    for f in files:
        body = align(body, 8, b"\xff") + f
    if len(body) > size:
        raise SystemExit(f"volume contents 0x{len(body):x} exceed size 0x{size:x}")
    return body + b"\xff" * (size - len(body))


def cmd_fv(out, rom, other=None, efi_rom=None, tiano_rom=None, lzmaf86_rom=None, raw_fv_rom=None, bad_efi=False,
           custom_rom=None, alone_rom=None, legacy_rom=None):
    nv = open(rom, "rb").read()
    inner = volume([ffs_file(uuid.UUID("11111111-2222-3333-4444-555555555555"), 0x01, filler(100, 7))], 0x1000)
    payload = sections(section(0x19, b"\x00" * 8 + nv), section(0x17, inner))
    files = []
    if other:
        files.append(ffs_file(uuid.UUID("0A0B0C0D-0001-0002-0003-000000000001"), 0x02,
                              sections(section(0x19, open(other, "rb").read()))))
    files.append(ffs_file(uuid.UUID("9E21FD93-9C72-4C15-8C4B-E77F1DB2D792"), 0x0B, sections(lzma_section(payload))))
    if bad_efi:
        comp = struct.pack("<IB", 0x1000, 1) + filler(64, 9)
        files.append(ffs_file(uuid.UUID("0A0B0C0D-0001-0002-0003-000000000002"), 0x07, sections(section(0x01, comp))))
    if efi_rom:
        body = sections(section(0x19, open(efi_rom, "rb").read()), section(0x15, "EfiRom".encode("utf-16-le") + b"\0\0"))
        comp = struct.pack("<IB", len(body), 1) + efi_compress(body, 1)
        files.append(ffs_file(uuid.UUID("0A0B0C0D-0001-0002-0003-000000000003"), 0x07, sections(section(0x01, comp))))
    if tiano_rom:
        body = sections(section(0x19, open(tiano_rom, "rb").read()))
        hdr = TIANO_GUID.bytes_le + struct.pack("<HH", 4 + 16 + 4, 0x01)
        files.append(ffs_file(uuid.UUID("0A0B0C0D-0001-0002-0003-000000000004"), 0x02,
                              sections(section(0x02, hdr + efi_compress(body, 2)))))
    if lzmaf86_rom:
        code = b"\x55\x48\x89\xe5" + b"\xe8\x10\x00\x00\x00\x90\xe9\xf0\xff\xff\xff" * 64
        body = sections(section(0x10, code), section(0x19, open(lzmaf86_rom, "rb").read()))
        files.append(ffs_file(uuid.UUID("0A0B0C0D-0001-0002-0003-000000000005"), 0x07, sections(lzma_section(body, True))))
    if raw_fv_rom:
        inner_files = [ffs_file(uuid.UUID("0A0B0C0D-0001-0002-0003-000000000007"), 0x02,
                                sections(lzma_section(sections(section(0x19, open(raw_fv_rom, "rb").read())))))]
        inner_fv = volume(inner_files, 0x1000 * (1 + len(inner_files[0]) // 0x1000))
        files.append(ffs_file(uuid.UUID("0A0B0C0D-0001-0002-0003-000000000006"), 0x01, inner_fv))
    for n, (form, r) in enumerate((("edk2", custom_rom), ("alone", alone_rom), ("legacy", legacy_rom))):
        if r:
            body = sections(section(0x19, open(r, "rb").read()))
            files.append(ffs_file(uuid.UUID("0A0B0C0D-0001-0002-0003-00000000001%d" % n), 0x02,
                                  sections(custom_section(body, form))))
    size = 0x1000
    while True:
        try:
            fv = volume(files, size)
            break
        except SystemExit:
            size += 0x1000
    with open(out, "wb") as f:
        f.write(filler(0x1000, 3) + fv + b"\xff" * 0x800)


def main(argv):
    if len(argv) >= 3 and argv[0] == "roms":
        cmd_roms(argv[1], argv[2])
    elif len(argv) >= 2 and argv[0] == "fv":
        args, opt = argv[2:], {}
        while args:
            a = args.pop(0).lstrip("-").replace("-", "_")
            opt[a] = True if a == "bad_efi" else args.pop(0)
        cmd_fv(argv[1], **opt)
    elif len(argv) == 4 and argv[0] == "efi-compress":
        open(argv[3], "wb").write(efi_compress(open(argv[2], "rb").read(), int(argv[1])))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
