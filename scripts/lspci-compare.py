#!/usr/bin/env python3
"""Hold optimus-guest's PCI view (probe --json on stdin... file argv[1]) against
`lspci -vmmnk` output (argv[2]). Prints differences; exit 1 when they disagree."""
import json
import sys


def lspci_records(text):
    recs, cur = {}, {}
    for line in text.splitlines() + [""]:
        if not line.strip():
            if cur:
                recs[cur["Slot"]] = cur
            cur = {}
            continue
        k, _, v = line.partition(":")
        cur[k.strip()] = v.strip()
    return recs


def main():
    snap = json.load(open(sys.argv[1]))
    lsp = lspci_records(open(sys.argv[2]).read())
    bad = []
    ours = {d["slot"]: d for d in snap["pci"]}
    for slot, d in ours.items():
        r = lsp.get(slot)
        if not r:
            bad.append(f"{slot}: in our view, not in lspci's")
            continue
        cls = int(d["class"], 16)
        pairs = [
            ("Vendor", f"{int(d['vendor'], 16):04x}"),
            ("Device", f"{int(d['device'], 16):04x}"),
            ("SVendor", f"{int(d['subsystem_vendor'], 16):04x}"),
            ("SDevice", f"{int(d['subsystem_device'], 16):04x}"),
            ("Class", f"{cls >> 8:04x}"),
            ("ProgIf", f"{cls & 0xff:02x}"),
            ("Rev", f"{int(d['revision'], 16):02x}"),
            ("Driver", d["driver"]),
        ]
        for key, want in pairs:
            have = r.get(key)
            if key == "Rev" and have is None:
                have = "00"  # lspci omits revision 0
            if key in ("SVendor", "SDevice") and have is None:
                have = "0000"
            if have != want:
                bad.append(f"{slot}: {key} lspci={have} ours={want}")
    for slot, r in lsp.items():
        if r.get("Class", "").startswith("03") and slot not in ours:
            bad.append(f"{slot}: display device lspci lists but we do not")
    for b in bad:
        print(b)
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
