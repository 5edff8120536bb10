#!/usr/bin/env python3
"""Skeletons of real firmware images: the structure a test needs, none of the code.

A vendor's firmware image cannot be redistributed, so tests keep a recipe that
rebuilds its structure at the same offsets: every firmware volume header (also
those found by scanning, anywhere), every FFS file header, every section
header, dependency, UI and version sections (GUIDs, names), runs of 0xff (free space), and every
NVIDIA option ROM as scripts/romskel.py keeps it (headers, PCIR/NPDS, NPDE,
checksum bytes). All other bytes are zero. An LZMA-compressed section is
rebuilt from the skeleton of its decompressed data, recompressed with the
original's properties, and padded with zeros to the original's length, so
nothing after it moves. File checksums (FFS_ATTRIB_CHECKSUM) and CRC32
GUID-defined sections are recomputed over the zeroed data. A section in EFI
1.1 compression (not opened here) becomes one raw section of zeros of the same
decompressed length, compressed the same way (its size field
covering the zero padding, as readers want it exact).

  fwskel.py make REAL.bin > NAME.fwskel    (prints the recipe; add provenance)
  fwskel.py build NAME.fwskel OUT.bin      (writes the skeleton image)

Layouts: PI spec vol. 3 (EFI_FIRMWARE_VOLUME_HEADER, EFI_FFS_FILE_HEADER(2),
EFI_COMMON_SECTION_HEADER(2), EFI_COMPRESSION_SECTION, EFI_GUID_DEFINED_SECTION,
EFI_CRC32_GUIDED_SECTION_EXTRACTION), PCI Firmware spec (PCIR).
"""
import hashlib
import lzma
import os
import struct
import sys
import uuid
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mkroms  # noqa: E402
import romskel  # noqa: E402

NVDATA = uuid.UUID("FFF12B8D-7696-4C8B-A985-2747075B4F50").bytes_le
CRC32_GUID = uuid.UUID("FC1BCDB0-7D31-49AA-936A-A4600D9DD083").bytes_le
LZMA_GUID = uuid.UUID("EE4E5898-3914-4259-9D6E-DC7BD79403CF").bytes_le
FFS_ATTRIB_LARGE_FILE = 0x01
FFS_ATTRIB_CHECKSUM = 0x40
ERASE_POLARITY = 0x800
FF_RUN = 64  # runs of 0xff this long are kept (free space, erased flash)


def u16(b, o):
    return struct.unpack_from("<H", b, o)[0]


def u24(b, o):
    return b[o] | b[o + 1] << 8 | b[o + 2] << 16


def u32(b, o):
    return struct.unpack_from("<I", b, o)[0]


def u64(b, o):
    return struct.unpack_from("<Q", b, o)[0]


def fv_len(b, s):
    """Length of a firmware volume whose header is at S (header and checksum good), else 0."""
    if s + 0x48 > len(b) or b[s + 0x28:s + 0x2c] != b"_FVH":
        return 0
    n, hl, rev = u64(b, s + 0x20), u16(b, s + 0x30), b[s + 0x37]
    if hl < 0x48 or hl > n or s + hl > len(b) or rev not in (1, 2):
        return 0
    if sum(struct.unpack_from("<%dH" % (hl // 2), b, s)) & 0xFFFF:
        return 0
    return min(n, len(b) - s)


class Skel:
    """The recipe of one buffer (the image, or the decompressed data of a section)."""

    def __init__(self, b, stream=False):
        self.b = b
        self.keep = []       # (offset, length)
        self.blocks = []     # (offset, header line, Skel or None)
        self.fixes = []      # fix lines, innermost first
        self.seen = set()
        self.rom_ranges = []
        self.rom_bytes = []  # (offset, bytes): romskel's, its checksum bytes computed, not copied
        if stream:  # the decompressed data of a section: more sections
            self.sections(0, len(b))
        i = 0
        while True:
            i = b.find(b"_FVH", i)
            if i < 0:
                break
            if i >= 0x28 and i - 0x28 not in self.seen and fv_len(b, i - 0x28):
                self.volume(i - 0x28)
            i += 1

    def volume(self, s):
        b, n = self.b, fv_len(self.b, s)
        self.seen.add(s)
        hl = u16(b, s + 0x30)
        self.keep.append((s, hl))
        start, ext = hl, u16(b, s + 0x34)
        if ext and ext + 20 <= n:
            esize = u32(b, s + ext + 16)
            if esize >= 20 and ext + esize <= n:
                self.keep.append((s + ext, esize))
                start = max(start, ext + esize)
        if b[s + 0x10:s + 0x20] == NVDATA:
            return
        erase = b"\xff" if u32(b, s + 0x2c) & ERASE_POLARITY else b"\x00"
        pos = (start + 7) & ~7
        while pos + 24 <= n:
            f = s + pos
            if b[f:f + 24] == erase * 24:
                break
            size, attrs, ftype, hl = u24(b, f + 20), b[f + 19], b[f + 18], 24
            if attrs & FFS_ATTRIB_LARGE_FILE and size == 0:
                size, hl = u64(b, f + 24), 32
            if size < hl or pos + size > n:
                break
            self.keep.append((f, hl))
            if ftype == 0x01:
                if fv_len(b, f + hl) and f + hl not in self.seen:
                    self.volume(f + hl)
                else:
                    self.roms(f + hl, f + size)
            elif ftype != 0xF0 and ftype < 0xC0:
                self.sections(f + hl, f + size)
            if attrs & FFS_ATTRIB_CHECKSUM:
                self.fixes.append("filesum 0x%x" % f)
            pos = (pos + size + 7) & ~7

    def sections(self, p, end):
        b = self.b
        while p + 4 <= end:
            size, stype, hl = u24(b, p), b[p + 3], 4
            if size == 0xFFFFFF:
                size, hl = u32(b, p + 4), 8
            if size < hl or p + size > end:
                return
            q, e = p + hl, p + size
            if stype == 0x01 and size >= hl + 5:
                self.keep.append((p, hl + 5))
                ctype, usize = b[q + 4], u32(b, q)
                if ctype == 0:
                    self.sections(q + 5, e)
                elif ctype == 2:
                    self.lzma(q + 5, e)
                elif ctype == 1:
                    self.blocks.append((q + 5, "efi 0x%x 0x%x 0x%x" % (q + 5, e - q - 5, usize), None))
            elif stype == 0x02 and size >= hl + 20:
                doff = u16(b, q + 16)
                self.keep.append((p, doff))
                guid, attrs = b[q:q + 16], u16(b, q + 18)
                if guid == CRC32_GUID and doff >= hl + 24:
                    self.sections(p + doff, e)
                    self.fixes.append("crc32 0x%x 0x%x 0x%x" % (q + 20, p + doff, e))
                elif guid == LZMA_GUID:
                    self.lzma(p + doff, e)
                elif not attrs & 0x01:
                    self.sections(p + doff, e)
            elif stype == 0x17:
                self.keep.append((p, hl))
                if fv_len(b, q) and q not in self.seen:
                    self.volume(q)
            elif stype in (0x13, 0x14, 0x15, 0x1B):  # depex, version, UI: GUIDs and names
                self.keep.append((p, size))
            else:
                self.keep.append((p, hl))
                if stype in (0x18, 0x19):
                    self.roms(q, e)
            p = (e + 3) & ~3

    def lzma(self, q, e):
        b = self.b
        d = lzma.LZMADecompressor(format=lzma.FORMAT_ALONE)
        try:
            inner = d.decompress(bytes(b[q:e]))
        except lzma.LZMAError:
            return
        self.blocks.append((q, "lzma 0x%x 0x%x %s" % (q, e - q, b[q:q + 13].hex()), Skel(bytearray(inner), True)))

    def roms(self, q, e):
        """NVIDIA ROMs (vendor 10de in the first PCIR) in Q..E, as romskel keeps them."""
        b = self.b
        s = b.find(b"\x55\xaa", q, e)
        while 0 <= s < e - 0x1a:
            p = s + u16(b, s + 0x18)
            n = 0
            if p + 0x18 <= e and b[p:p + 4] == b"PCIR" and u16(b, p + 4) == 0x10DE:
                off = s
                while off + 0x1a <= e and b[off:off + 2] == b"\x55\xaa":
                    pc = off + u16(b, off + 0x18)
                    if pc + 0x18 > e or b[pc:pc + 4] != b"PCIR" or not u16(b, pc + 0x10):
                        break
                    off += u16(b, pc + 0x10) * 512
                    if b[pc + 0x15] & 0x80:
                        break
                n = min(off, e) - s
            if n:
                self.rom_ranges.append((s, s + n))
                self.rom_bytes += [(s + a, data) for a, data in romskel.skeleton(bytes(b[s:s + n]))]
                s = b.find(b"\x55\xaa", s + n, e)
            else:
                s = b.find(b"\x55\xaa", s + 1, e)

    def lines(self, ind=""):
        b = self.b
        out = [ind + "size 0x%x" % len(b)]
        i = 0
        while True:
            i = b.find(b"\xff" * FF_RUN, i)
            if i < 0:
                break
            j = i
            while j < len(b) and b[j] == 0xFF:
                j += 1
            if not any(i < e and j > s for s, e in self.rom_ranges):
                out.append(ind + "ff 0x%x 0x%x" % (i, j - i))
            i = j
        ranges = sorted(set(self.keep))
        merged = []
        for a, n in ranges:
            if merged and a <= merged[-1][0] + merged[-1][1]:
                m = merged[-1]
                merged[-1] = (m[0], max(m[1], a + n - m[0]))
            else:
                merged.append((a, n))
        for a, n in merged:
            chunk = bytes(b[a:a + n])
            if chunk.strip(b"\x00") and chunk.strip(b"\xff"):
                out.append(ind + "at 0x%x %s" % (a, chunk.hex()))
        out += [ind + "at 0x%x %s" % (a, d.hex()) for a, d in self.rom_bytes]
        for _q, head, sub in sorted(self.blocks, key=lambda x: x[0]):
            if sub is None:
                out.append(ind + head)
            else:
                out.append(ind + head + " {")
                out += sub.lines(ind + "  ")
                out.append(ind + "}")
        out += [ind + f for f in self.fixes]
        return out


def make(path):
    real = open(path, "rb").read()
    print("sha256 %s" % hashlib.sha256(real).hexdigest())
    print("\n".join(Skel(bytearray(real)).lines()))


def lzma_stream(data, hdr):
    props, dsize = hdr[0], u32(hdr, 1)
    lc, rest = props % 9, props // 9
    filters = [{"id": lzma.FILTER_LZMA1, "dict_size": dsize, "lc": lc, "lp": rest % 5, "pb": rest // 5}]
    return bytes(hdr[:5]) + struct.pack("<Q", len(data)) + lzma.compress(bytes(data), format=lzma.FORMAT_RAW,
                                                                          filters=filters)


def place(b, at, room, data, what):
    if len(data) > room:
        sys.exit("fwskel: %s at 0x%x: rebuilt data (0x%x bytes) exceeds the original 0x%x" % (what, at, len(data), room))
    b[at:at + room] = data + bytes(room - len(data))


def build_lines(lines):
    b, fixes = None, []
    while lines:
        w = lines.pop(0).split()
        if not w or w[0].startswith("#") or w[0] == "sha256":
            continue
        if w[0] == "}":
            break
        if w[0] == "size":
            b = bytearray(int(w[1], 16))
        elif w[0] == "ff":
            a, n = int(w[1], 16), int(w[2], 16)
            b[a:a + n] = b"\xff" * n
        elif w[0] == "at":
            a, d = int(w[1], 16), bytes.fromhex(w[2])
            b[a:a + len(d)] = d
        elif w[0] == "lzma":
            inner = build_lines(lines)
            place(b, int(w[1], 16), int(w[2], 16), lzma_stream(inner, bytes.fromhex(w[3])), "LZMA data")
        elif w[0] == "efi":
            usize = int(w[3], 16)
            body = mkroms.section(0x19, bytes(usize - 4)) if usize >= 4 else bytes(usize)
            room = int(w[2], 16)
            data = bytearray(mkroms.efi_compress(body, 1))
            data += bytes(max(0, room - len(data)))
            struct.pack_into("<I", data, 0, len(data) - 8)  # CompSize covers the padding: readers want it exact
            place(b, int(w[1], 16), room, bytes(data), "EFI-compressed data")
        elif w[0] in ("filesum", "crc32"):
            fixes.append(w)
        else:
            sys.exit("fwskel: unknown recipe line: %s" % " ".join(w))
    for w in fixes:
        if w[0] == "filesum":
            f = int(w[1], 16)
            size, hl = u24(b, f + 20), 24
            if b[f + 19] & FFS_ATTRIB_LARGE_FILE and size == 0:
                size, hl = u64(b, f + 24), 32
            b[f + 17] = (-sum(b[f + hl:f + size])) & 0xFF
        else:
            at, s, e = (int(x, 16) for x in w[1:4])
            struct.pack_into("<I", b, at, zlib.crc32(bytes(b[s:e])) & 0xFFFFFFFF)
    return b


def build(path):
    return build_lines(open(path).read().splitlines())


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "make":
        make(sys.argv[2])
    elif len(sys.argv) == 4 and sys.argv[1] == "build":
        open(sys.argv[3], "wb").write(build(sys.argv[2]))
    else:
        sys.exit(__doc__)
