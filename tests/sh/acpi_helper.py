#!/usr/bin/env python3
"""Helpers for tests/sh/acpi_table.sh.

  dsdt MODE OUT.asl [ROM FWNAME]   a DSDT standing in for QEMU q35's:
        MODE hp: \\_SB.PCI0.S08.S00 exists (QEMU >= 6.1, ACPI PCI hotplug)
        MODE port: only the root port \\_SB.PCI0.S08
        MODE bare: only \\_SB.PCI0
        With ROM and FWNAME it also declares \\OGTD, the fw_cfg stand-in read
        by tables made with --fw-cfg-transport test: [0] signature "QEMU",
        [1] file directory (a decoy file, then FWNAME), [2] decoy, [3] ROM.
  run ROM PATH AML...              evaluate PATH._ROM under acpiexec at every
        4 KiB offset (and a few odd ones) in one acpiexec run; compare each
        reply with the ROM bytes zero-padded to the length asked for.
"""
import os
import re
import struct
import subprocess
import sys


def asl_buffer(data):
    if not data:
        return "Buffer (One) { 0x00 }"
    rows = []
    for i in range(0, len(data), 16):
        rows.append("            " + ", ".join("0x%02X" % b for b in data[i:i + 16]))
    return "Buffer (0x%X)\n        {\n%s\n        }" % (len(data), ",\n".join(rows))


def dsdt(mode, out, rom=None, fwname=None):
    inner = ""
    if mode in ("hp", "port"):
        s00 = "                    Device (S00) { Name (_ADR, Zero) }\n" if mode == "hp" else ""
        inner = ("                Device (S08)\n                {\n"
                 "                    Name (_ADR, 0x00010000)\n%s                }\n" % s00)
    text = ('DefinitionBlock ("", "DSDT", 2, "OGTEST", "Q35", 1)\n{\n'
            "    Scope (\\_SB)\n    {\n        Device (PCI0)\n        {\n"
            '            Name (_HID, EisaId ("PNP0A08"))\n%s        }\n    }\n' % inner)
    if rom:
        data = open(rom, "rb").read()
        decoy_name = fwname[:-1].encode()  # a prefix of the real name: must not match
        decoy = b"decoy file"

        def entry(size, sel, name):
            return struct.pack(">IHH", size, sel, 0) + name.ljust(56, b"\0")
        directory = struct.pack(">I", 2) + entry(len(decoy), 0x20, decoy_name) + \
            entry(len(data), 0x21, fwname.encode())
        text += "    Name (\\OGTD, Package (0x04)\n    {\n        %s,\n        %s,\n        %s,\n        %s\n    })\n" % (
            asl_buffer(b"QEMU"), asl_buffer(directory), asl_buffer(decoy), asl_buffer(data))
    text += "}\n"
    open(out, "w").write(text)


def requests(size):
    req = [(off, 0x1000) for off in range(0, size + 0x1000, 0x1000)]
    req += [(0xFF0, 0x20), (size - 7 if size > 7 else 0, 0x100), (5, 0x2000), (0x12345 % size, 0x333),
            (size, 0x10), (size + 0x100000, 0x1000), (3, 0)]
    return req


def parse(out):
    """Replies in order: bytes, or a string naming the failure."""
    res = []
    cur = None
    for line in out.splitlines():
        if line.startswith("Evaluating "):
            if cur is not None:
                res.append(cur)
            cur = "no result"
            continue
        if cur is None:
            continue
        if "failed with status" in line:
            cur = line.strip()
            continue
        m = re.search(r"\[Buffer\] Length ([0-9A-F]+) =(.*)", line)
        if m:
            cur = bytearray()
            line = m.group(2)
        elif not isinstance(cur, bytearray):
            continue
        line = line.split("//")[0]
        m = re.match(r"\s*([0-9A-F]{4}): ((?:[0-9A-F]{2} ?)+)$", line.rstrip())
        if m:
            cur += bytes(int(x, 16) for x in m.group(2).split())
    if cur is not None:
        res.append(cur)
    return res


def run(rom, path, amls):
    data = open(rom, "rb").read()
    req = requests(len(data))
    if os.environ.get("OG_ROM_ORDER") == "reverse":  # the last offset first
        req.reverse()
    # acpiexec -b takes at most 1023 characters; its debugger prompt reads
    # any number of commands from stdin in the same single run.
    cmds = "".join("execute %s._ROM 0x%X 0x%X\n" % (path, o, n) for o, n in req) + "quit\n"
    p = subprocess.run(["acpiexec"] + amls, input=cmds, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       universal_newlines=True, timeout=120)
    if "Firmware Error" in p.stdout or "ACPI Error" in p.stdout:
        err = [l for l in p.stdout.splitlines() if "Error" in l][:5]
        print("acpiexec reported errors:\n  " + "\n  ".join(err))
        return 1
    got = parse(p.stdout)
    bad = 0
    if len(got) != len(req):
        print("expected %d replies, parsed %d" % (len(req), len(got)))
        return 1
    for (off, n), g in zip(req, got):
        want = data[off:off + min(n, 0x1000)]
        want = want + bytes(min(n, 0x1000) - len(want))
        if g != want:
            bad += 1
            if bad <= 3:
                desc = g if isinstance(g, str) else "%d bytes, first diff at %s" % (
                    len(g), next((i for i in range(min(len(g), len(want))) if g[i] != want[i]), "end"))
                print("_ROM(0x%X, 0x%X): %s (wanted %d bytes)" % (off, n, desc, len(want)))
    print("%d of %d _ROM replies equal the ROM" % (len(req) - bad, len(req)))
    return 1 if bad else 0


if __name__ == "__main__":
    if sys.argv[1] == "dsdt":
        dsdt(sys.argv[2], sys.argv[3], *(sys.argv[4:6]))
        sys.exit(0)
    if sys.argv[1] == "run":
        sys.exit(run(sys.argv[2], sys.argv[3], sys.argv[4:]))
    sys.exit(2)
