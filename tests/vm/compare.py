#!/usr/bin/env python3
"""Comparisons for tests/vm/guest.sh, run on the host on the files a guest recorded: the tool's
snapshot (probe --json) against what the guest's own tools and sysfs said. `compare.py WHAT
ARGS...`; exit 0 when they agree, else 1 with the differences on stdout. Some subcommands
print data instead."""
import contextlib
import io
import json
import os
import re
import runpy
import sys
import traceback

# the DRM driver (libdrm, X's MatchDriver) of a device whose PCI driver is named otherwise
DRM_NAME = {"virtio-pci": "virtio_gpu"}


def load(path):
    with open(path) as f:
        return json.load(f)


def display(d):
    return d["class"].startswith("0x03")


def hexid(d):
    return "%04x:%04x" % (int(d["vendor"], 16), int(d["device"], 16))


def out(bad):
    for b in bad:
        print(b)
    return 1 if bad else 0


def drivers(snap, lspci_nnk):
    """every display device: probe's driver = lspci -nnk's 'Kernel driver in use'"""
    seen, cur = {}, None
    for line in open(lspci_nnk):
        m = re.match(r"^([0-9a-f]{2}:[0-9a-f]{2}\.[0-7]) ", line)
        if m:
            cur = "0000:" + m.group(1)
            seen[cur] = None
        elif cur and "Kernel driver in use:" in line:
            seen[cur] = line.split(":", 1)[1].strip()
    bad = []
    for d in load(snap)["pci"]:
        if display(d) and not d["driver"]:
            bad.append(f"{d['slot']}: no kernel driver bound to a display device")
        if display(d) and seen.get(d["slot"], "absent") != d["driver"]:
            bad.append(f"{d['slot']}: probe says {d['driver']}, lspci -nnk {seen.get(d['slot'], 'absent')}")
    if not any(display(d) for d in load(snap)["pci"]) and any(
            re.search(r"\[03[0-9a-f]{2}\]", l) for l in open(lspci_nnk)):
        bad.append("lspci lists a display device probe does not")
    return out(bad)


def dri(snap, dri_list):
    ours = sorted(n for d in load(snap)["pci"] for n in d["drm_cards"] + d["drm_renders"])
    real = sorted(l.strip() for l in open(dri_list) if l.strip())
    return out([] if ours == real else [f"probe: {ours}", f"/dev/dri: {real}"])


def libdrm(snap, sysfs_drm):
    """libdrm asked (not skipped), one entry per DRM card, each agreeing with sysfs (SYSFS_DRM:
    "cardN slot driver" per card, as the guest read /sys/class/drm/cardN/device)"""
    s = load(snap)
    sysfs = {}
    for l in open(sysfs_drm):
        if l.split():
            card, slot, drv = (l.split() + ["", ""])[:3]
            sysfs[card] = (slot, drv)
    bad = []
    if not s["drm"]["probed"]:
        bad.append("libdrm was not asked")
    cards = sorted(c for d in s["pci"] for c in d["drm_cards"])
    live = sorted(os.path.basename(v["primary"] or "") for v in s["drm"]["list"])
    if cards != live:
        bad.append(f"sysfs cards {cards}, libdrm {live}")
    for v in s["drm"]["list"]:
        if v["error"]:
            bad.append(f"{v['primary']}: {v['error']}")
            continue
        slot, drv = sysfs.get(os.path.basename(v["primary"] or ""), ("absent", "absent"))
        if slot != v["pci_slot"]:
            bad.append(f"{v['primary']}: libdrm says {v['pci_slot']}, sysfs {slot}")
        if DRM_NAME.get(drv, drv) != v["driver"] and drv.replace("-", "_") != v["driver"].replace("-", "_"):
            bad.append(f"{v['primary']}: libdrm driver {v['driver']}, sysfs {drv}")
    return out(bad)


def roms(snap, roms_txt):
    ours = sorted(load(snap)["environment"]["setup_data_pci_roms"])
    real = sorted(l.strip() for l in open(roms_txt) if l.strip())
    return out([] if ours == real else [f"probe: {ours}", f"od:    {real}"])


def rom_ids(roms_txt, lspci_n):
    """each ROM's vendor:device (ROMS_TXT, ids@slot) is its slot's in `lspci -nD` (LSPCI_N)"""
    seen = {l.split()[0]: l.strip() for l in open(lspci_n) if l.split()}
    bad = []
    for l in open(roms_txt):
        if not l.strip():
            continue
        ids, slot = l.strip().split("@")
        r = seen.get(slot, "")
        if f" {ids}" not in r:
            bad.append(f"{l.strip()}: lspci -nD says {r or 'nothing'} for {slot}")
    return out(bad)


def add_nvidia(snap):
    """the real snapshot plus a GVT-g vGPU and a muxless NVIDIA card whose ROM was not handed over"""
    s = load(snap)
    base = {"subsystem_vendor": "0x1028", "subsystem_device": "0x07be", "boot_vga": None, "parent": None,
            "connectors": [], "drm_renders": [], "evidence": ["added by tests/vm"]}
    s["pci"].append(dict(base, slot="0000:00:1e.0", vendor="0x8086", device="0x591b", class_="", revision="0x04",
                         driver="i915", rom=False, sysfs_path="sys/devices/pci0000:00/0000:00:1e.0",
                         drm_cards=["card8"], drm_renders=["renderD136"], role="gvt"))
    s["pci"].append(dict(base, slot="0000:0a:00.0", vendor="0x10de", device="0x139b", class_="", revision="0xa2",
                         driver="nouveau", rom=True, sysfs_path="sys/devices/pci0000:00/0000:0a:00.0",
                         drm_cards=["card9"], drm_renders=["renderD137"], role="nvidia-muxless"))
    s["pci"][-2]["class"] = "0x030000"
    s["pci"][-1]["class"] = "0x030200"
    for d in s["pci"][-2:]:
        del d["class_"]
    json.dump(s, sys.stdout, indent=2)
    return 0


def handover_fails(plan_json, roms_txt):
    p = load(plan_json)
    c = [c for c in p["checks"] if c["id"] == "efi-rom-handover"]
    if not c:
        return out(["no efi-rom-handover check in the plan"])
    c = c[0]
    bad = []
    if c["passed"]:
        bad.append(f"passed: {c['message']}")
    for l in open(roms_txt):
        ids, slot = l.strip().split("@")
        if f"{ids} ({slot})" not in c["message"]:
            bad.append(f"'{ids} ({slot})' not named: {c['message']}")
    if "10de:139b" not in c["message"]:
        bad.append(f"the card's ids not named: {c['message']}")
    return out(bad)


def xrandr_providers(path):
    v = []
    for l in open(path):
        m = re.match(r"^Provider (\d+): id: (0x[0-9a-f]+) cap: (0x[0-9a-f]+).*? name:(.*)$", l.rstrip("\n"))
        if m:
            v.append((int(m.group(1)), int(m.group(2), 16), int(m.group(3), 16), m.group(4)))
    return v


def providers(live, xrandr_txt):
    s = load(live)
    ours = [(p["index"], int(p["id"], 16), int(p["caps"], 16), p["name"]) for p in s["providers"]["list"]]
    real = xrandr_providers(xrandr_txt)
    bad = []
    if not real:
        bad.append("xrandr lists no providers")
    if ours != real:
        bad.append(f"tool:   {ours}")
        bad.append(f"xrandr: {real}")
    if "live" not in (s["providers"]["source"] or "") and s["providers"]["source"] is not None:
        pass
    return out(bad)


def same_map(a, b):
    m1 = [(p["name"], p["pci_slot"]) for p in load(a)["providers"]["list"]]
    m2 = [(p["name"], p["pci_slot"]) for p in load(b)["providers"]["list"]]
    return out([] if m1 == m2 else [f"live: {m1}", f"text: {m2}"])


def expect_map(live, want):
    s = load(live)
    pci = {d["slot"]: d for d in s["pci"]}
    got = []
    for p in s["providers"]["list"]:
        d = pci.get(p["pci_slot"]) if p["pci_slot"] else None
        got.append(f"{p['name']}={hexid(d) if d else 'unmapped'}")
    return out([] if got == want.split() else [f"got  {' '.join(got)}", f"want {want}"])


def record(guest, tag, live):
    """one line per provider: guest, X configuration, name, caps, device, role"""
    s = load(live)
    pci = {d["slot"]: d for d in s["pci"]}
    for p in s["providers"]["list"]:
        d = pci.get(p["pci_slot"]) if p["pci_slot"] else None
        print(f"{guest} {tag} {p['name']} cap={p['caps']} {hexid(d) if d else '-'} {d['role'] if d else '-'}")
    return 0


def same_json(a, b):
    """two snapshots, key for key (the installed static binary's against the sanitizer build's)"""
    ja, jb = load(a), load(b)
    return out([f"{k}: {json.dumps(ja.get(k))[:300]} != {json.dumps(jb.get(k))[:300]}"
                for k in sorted(set(ja) | set(jb)) if ja.get(k) != jb.get(k)])


CMDS = {"same-json": same_json, "drivers": drivers, "dri": dri, "libdrm": libdrm, "roms": roms, "rom-ids": rom_ids,
        "add-nvidia": add_nvidia, "handover-fails": handover_fails, "providers": providers,
        "same-map": same_map, "expect-map": expect_map, "record": record}

def lspci_compare(snap, lspci_txt):
    """scripts/lspci-compare.py SNAP LSPCI, run in this process"""
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "scripts", "lspci-compare.py")
    argv = sys.argv
    sys.argv = [path, snap, lspci_txt]
    try:
        runpy.run_path(path, run_name="__main__")
    except SystemExit as e:
        return e.code or 0
    finally:
        sys.argv = argv
    return 0


def batch(queue):
    """Runs the queued lines of QUEUE (guest.sh's `later`), in order, in this one process,
    in the guest's output directory (the names are relative to it). A line is fields ended by \037:
    check NAME WHAT ARGS...: prints WHAT's output, then PASS:/FAIL: $GUEST: NAME by its
    status (an exception fails it, with its traceback); append FILE WHAT ARGS...: WHAT's
    output is appended to FILE."""
    guest = os.environ.get("GUEST", "")
    with open(queue) as f:
        entries = [l.rstrip("\n").split("\037")[:-1] for l in f if l.strip()]
    for kind, name, what, *args in entries:
        buf = io.StringIO()
        try:
            with contextlib.redirect_stdout(buf):
                rc = CMDS[what](*args)
        except Exception:
            buf.write(traceback.format_exc())
            rc = 1
        if kind == "append":
            with open(name, "a") as f:
                f.write(buf.getvalue())
            if rc:
                print(f"FAIL: {guest}: {what} {' '.join(args)} exited {rc}")
            continue
        sys.stdout.write(buf.getvalue())
        print(f"{'PASS' if rc == 0 else 'FAIL'}: {guest}: {name}", flush=True)
    return 0


CMDS["lspci-compare"] = lspci_compare

if __name__ == "__main__":
    if sys.argv[1] == "batch":
        sys.exit(batch(sys.argv[2]))
    sys.exit(CMDS[sys.argv[1]](*sys.argv[2:]))
