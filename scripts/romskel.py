#!/usr/bin/env python3
"""Skeletons of real option ROMs: the structure a test needs, none of the code.

NVIDIA's VBIOS dumps cannot be redistributed, so tests keep a skeleton: the
ROM's size, every image's header (signature, EFI header, PCIR/NPDS pointer),
its PCIR/NPDS structure and NVIDIA's NPDE block, all other bytes zero, plus one
byte per x86 checksum range set so that the x86 image sums the same as in the
real file over both its NPDE and its PCIR length (so checksum verdicts agree).

  romskel.py make REAL.rom > NAME.skel     (prints the recipe; add provenance)
  romskel.py build NAME.skel OUT.rom       (writes the skeleton ROM)
  romskel.py cut NAME.skel OUT.rom START LEN   (a slice of it, e.g. a sysfs read)
"""
import hashlib
import struct
import sys

SIGS = (b"\x55\xaa", b"\x77\xbb", b"\x56\x4e")


def images(b):
    """(offset, pcir, npde or None, code type, pcir length, npde length) of every image on a 512 boundary."""
    out = []
    for off in range(0, len(b) - 0x1a, 0x200):
        if b[off:off + 2] not in SIGS:
            continue
        ptr = struct.unpack_from("<H", b, off + 0x18)[0]
        pcir = off + ptr
        if not ptr or pcir + 0x18 > len(b) or b[pcir:pcir + 4] not in (b"PCIR", b"NPDS", b"RGIS"):
            continue
        slen = struct.unpack_from("<H", b, pcir + 0x0a)[0]
        npde = (pcir + slen + 15) & ~15
        has = b[npde:npde + 4] == b"NPDE" and b[pcir + 0x14] != 0x70
        ilen = struct.unpack_from("<H", b, pcir + 0x10)[0] * 512
        nlen = struct.unpack_from("<H", b, npde + 8)[0] * 512 if has else None
        out.append((off, pcir, npde if has else None, b[pcir + 0x14], ilen, nlen))
    return out


def skeleton(real):
    """The bytes a skeleton keeps: [(offset, bytes)], headers first, then checksum bytes."""
    sk = bytearray(len(real))
    keep = []
    imgs = images(real)
    for off, pcir, npde, _t, _il, _nl in imgs:
        keep += [(off, 0x1c), (pcir, 0x1c)] + ([(npde, 0x10)] if npde is not None else [])
    for a, n in keep:
        sk[a:a + n] = real[a:a + n]
    kept = set(i for a, n in keep for i in range(a, a + n))
    fixes = []
    for which in (5, 4):  # every NPDE range first, then the PCIR ranges that may span them
        for im in imgs:
            off, _p, _n, t, _il, _nl = im
            length = im[which]
            if t != 0 or not length or off + length > len(real):
                continue
            want = sum(real[off:off + length]) & 0xff
            at = off + length - 1
            while at in kept:
                at -= 1
            sk[at] = (sk[at] + want - sum(sk[off:off + length])) & 0xff
            kept.add(at)
            fixes.append(at)
    return [(a, bytes(sk[a:a + n])) for a, n in sorted(set(keep)) + [(f, 1) for f in sorted(fixes)]]


def make(path):
    real = open(path, "rb").read()
    print("size 0x%x" % len(real))
    print("sha256 %s" % hashlib.sha256(real).hexdigest())
    for a, d in skeleton(real):
        print("at 0x%x %s" % (a, d.hex()))


def build(skel):
    b = None
    for line in open(skel):
        w = line.split()
        if not w or w[0].startswith("#"):
            continue
        if w[0] == "size":
            b = bytearray(int(w[1], 16))
        elif w[0] == "at":
            a = int(w[1], 16)
            d = bytes.fromhex(w[2])
            b[a:a + len(d)] = d
    return b


if __name__ == "__main__":
    if sys.argv[1] == "make":
        make(sys.argv[2])
    elif sys.argv[1] == "build":
        open(sys.argv[3], "wb").write(build(sys.argv[2]))
    elif sys.argv[1] == "cut":
        b = build(sys.argv[2])
        s, n = int(sys.argv[4], 0), int(sys.argv[5], 0)
        open(sys.argv[3], "wb").write(b[s:s + n])
    else:
        sys.exit(__doc__)
