#!/bin/sh
# tests/vm/mkinitrd.sh KVER INIT OUTPUT: the guests' initramfs (see boot.sh): static busybox,
# the modules virtio_pci, 9pnet_virtio, 9p and overlay need (as `modprobe --show-depends`
# resolves them for KVER), and /init from tests/vm/init. INIT is stage2 or systemd.
set -eu
kver=$1 init=$2 output=$3
here=$(cd "$(dirname "$0")" && pwd)
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
mkdir -p "$dir/bin" "$dir/sbin" "$dir/proc" "$dir/sys" "$dir/dev" "$dir/lower" "$dir/upper" \
	"$dir/newroot" "$dir/mods"
cp /bin/busybox "$dir/bin/busybox"
cp "$here/init" "$dir/init"
chmod 755 "$dir/init"
# modprobe takes one module per call (more names are read as its parameters)
: > "$dir/mods/list"
for m in virtio_pci 9pnet_virtio 9p overlay; do
	modprobe -S "$kver" --show-depends "$m" > "$dir/deps" ||
		{ echo "mkinitrd: modprobe cannot resolve $m for $kver" >&2; exit 1; }
	while read -r kind path _; do
		[ "$kind" = insmod ] || continue
		base=$(basename "$path")
		base=${base%.xz}
		grep -qx "$base" "$dir/mods/list" && continue
		case $path in
		*.xz) xz -dc "$path" > "$dir/mods/$base" ;;
		*.ko) cp "$path" "$dir/mods/$base" ;;
		*) echo "mkinitrd: cannot load $path (compression)" >&2; exit 1 ;;
		esac
		echo "$base" >> "$dir/mods/list"
	done < "$dir/deps"
done
rm -f "$dir/deps"
echo "$init" > "$dir/og_init"
(cd "$dir" && find . | cpio -o -H newc --quiet) | gzip -1 > "$output.tmp"
mv "$output.tmp" "$output"
