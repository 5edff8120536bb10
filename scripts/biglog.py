#!/usr/bin/env python3
"""biglog.py FILE MB: write a kernel-log-like file of MB MiB for the log-scan benchmarks, with
a known failure line every 100000 lines and a 64 KiB line now and then. Prints nothing."""
import sys


def write(path, mb):
    target = mb * 1024 * 1024
    base = [
        "Nov 20 10:01:%02d guest kernel: [ %5d.%06d] i915 0000:00:02.0: [drm] GuC firmware i915/kbl_guc_70.1.1.bin version 70.1",
        "Nov 20 10:01:%02d guest kernel: [ %5d.%06d] audit: type=1400 audit(1700474462.123:42): apparmor=\"STATUS\" operation=\"profile_load\"",
        "Nov 20 10:01:%02d guest kernel: [ %5d.%06d] EXT4-fs (vda2): mounted filesystem with ordered data mode. Quota mode: none.",
        "Nov 20 10:01:%02d guest kernel: [ %5d.%06d] nouveau 0000:01:00.0: DRM: VRAM: 2048 MiB",
    ]
    bad = "Nov 20 10:01:%02d guest kernel: [ %5d.%06d] nouveau 0000:01:00.0: bios: unable to locate usable image"
    with open(path, "w") as f:
        n = size = 0
        while size < target:
            n += 1
            if n % 100000 == 0:
                line = bad % (n % 60, n // 1000, n % 1000000)
            elif n % 250000 == 0:
                line = "x" * 65536
            else:
                line = base[n % len(base)] % (n % 60, n // 1000, n % 1000000)
            f.write(line + "\n")
            size += len(line) + 1


if __name__ == "__main__":
    write(sys.argv[1], int(sys.argv[2]))
