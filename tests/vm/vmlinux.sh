#!/bin/sh
# tests/vm/vmlinux.sh BZIMAGE CACHEDIR: prints the path of BZIMAGE's kernel as an ELF image,
# unpacked once into CACHEDIR (vmlinux-<name>), for QEMU's PVH entry (-kernel with SeaBIOS):
# the bzImage's own decompressor takes about 3 s of a guest's CPU under TCG, this one
# 0.6 s of the host's. The payload is the bzImage's XZ stream (Debian's kernels); the image
# must carry the PVH entry note (Xen note 0x12, CONFIG_PVH). Exit 1 with the reason on stderr
# when it cannot (the caller boots the bzImage instead, or says why).
set -u
kernel=$1 cache=$2
elf="$cache/vmlinux-$(basename "$kernel" | sed 's/^vmlinuz-//')"
mkdir -p "$cache" || exit 1
(
	flock 8
	[ -s "$elf" ] && exit 0
	off=$(LC_ALL=C grep -abo "$(printf '\3757zXZ')" "$kernel" | head -n 1 | cut -d: -f1)
	[ -n "$off" ] || { echo "vmlinux.sh: $kernel holds no XZ stream" >&2; exit 1; }
	tail -c +$((off + 1)) "$kernel" | xz -dc --single-stream > "$elf.tmp" ||
		{ echo "vmlinux.sh: cannot unpack the XZ stream of $kernel" >&2; rm -f "$elf.tmp"; exit 1; }
	readelf -n "$elf.tmp" 2> /dev/null | grep -q 'Xen .*(0x00000012)' ||
		{ echo "vmlinux.sh: the kernel in $kernel has no PVH entry note (CONFIG_PVH)" >&2; rm -f "$elf.tmp"; exit 1; }
	mv "$elf.tmp" "$elf"
) 8> "$cache/vmlinux.lock" || exit 1
echo "$elf"
