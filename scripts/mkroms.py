#!/usr/bin/env python3
"""Build test option ROMs and firmware images for the vbios tests.

  mkroms.py roms SPEC OUTDIR          one OUTDIR/NAME.rom per line of SPEC
                                      (format in tests/vbios/roms.spec)
  mkroms.py fv OUT --rom NV.rom [--other OTHER.rom] [--tiano]
      a firmware image: 0x1000 bytes of capsule-like header, then a firmware
      volume holding a freeform file with OTHER.rom in a raw section, and a
      firmware-volume-image file whose LZMA GUID-defined section (EDK2's
      LzmaCompress format) holds NV.rom in a raw section and a nested volume.
      --tiano adds a file with an EFI-compressed section (contents not real).

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


# --- firmware volumes -------------------------------------------------------

FFS2 = uuid.UUID("8C8CE578-8A3D-4F1C-9935-896185C32DD3")
LZMA_GUID = uuid.UUID("EE4E5898-3914-4259-9D6E-DC7BD79403CF")


def align(b, n, fill=b"\x00"):
    return b + fill * ((-len(b)) % n)


def section(stype, body):
    return struct.pack("<I", (len(body) + 4) | stype << 24) + body


def sections(*secs):
    out = b""
    for s in secs:
        out = align(out, 4) + s
    return out


def lzma_section(body):
    """GUID-defined section with EDK2 LzmaCompress data: 13-byte header
    (properties, dictionary size, u64 size) and the LZMA1 stream."""
    filters = [{"id": lzma.FILTER_LZMA1, "dict_size": 1 << 20, "lc": 3, "lp": 0, "pb": 2}]
    stream = lzma.compress(body, format=lzma.FORMAT_RAW, filters=filters)
    data = struct.pack("<BIQ", (2 * 5 + 0) * 9 + 3, 1 << 20, len(body)) + stream
    hdr = LZMA_GUID.bytes_le + struct.pack("<HH", 4 + 16 + 4, 0x01)
    return section(0x02, hdr + data)


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


def cmd_fv(out, rom, other, tiano):
    nv = open(rom, "rb").read()
    inner = volume([ffs_file(uuid.UUID("11111111-2222-3333-4444-555555555555"), 0x01, filler(100, 7))], 0x1000)
    payload = sections(section(0x19, b"\x00" * 8 + nv), section(0x17, inner))
    files = []
    if other:
        files.append(ffs_file(uuid.UUID("0A0B0C0D-0001-0002-0003-000000000001"), 0x02,
                              sections(section(0x19, open(other, "rb").read()))))
    files.append(ffs_file(uuid.UUID("9E21FD93-9C72-4C15-8C4B-E77F1DB2D792"), 0x0B, sections(lzma_section(payload))))
    if tiano:
        comp = struct.pack("<IB", 0x1000, 1) + filler(64, 9)
        files.append(ffs_file(uuid.UUID("0A0B0C0D-0001-0002-0003-000000000002"), 0x07, sections(section(0x01, comp))))
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
        args = argv[2:]
        opt = {}
        while args:
            a = args.pop(0)
            if a == "--tiano":
                opt["tiano"] = True
            else:
                opt[a.lstrip("-")] = args.pop(0)
        cmd_fv(argv[1], opt["rom"], opt.get("other"), opt.get("tiano", False))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
