#!/usr/bin/env python3
"""Write a fake NVIDIA option ROM of SIZE bytes: 55 AA, PCIR (vendor 10de) at
0x190, then deterministic pseudo-random bytes. Usage: acpi_mkrom.py SIZE OUT [SEED]"""
import random, struct, sys

size, out = int(sys.argv[1], 0), sys.argv[2]
seed = int(sys.argv[3]) if len(sys.argv) > 3 else size
r = random.Random(seed)
b = bytearray(r.getrandbits(8) for _ in range(size))
if size >= 0x1B0:
    b[0:3] = b'\x55\xaa' + bytes([min(255, (size + 511) // 512)])
    b[0x18:0x1A] = struct.pack('<H', 0x190)
    b[0x190:0x1A8] = b'PCIR' + struct.pack('<HHHHB', 0x10de, 0x139b, 0, 0x18, 3) + bytes([0, 2, 3]) \
        + struct.pack('<HHBB', (size + 511) // 512, 1, 0, 0x80) + b'\0\0'
open(out, 'wb').write(bytes(b))
