# Guest script of 91-vm-boot.sh's ACPI test (cwd /og-vm/out), run in the systemd-off guest
# before systemd-guest.sh.
# For each CARRIER:PATH:SIZE in $OG_ROMS (PATH without its leading backslash): find the PCI device whose ACPI node is PATH, load
# og_romdump.ko on it (it evaluates _ROM in 4 KiB chunks, as the NVIDIA driver does) and keep
# the bytes in rom-CARRIER.bin and its status in status-CARRIER.txt. Also keeps dmesg, the
# ACPI table list, each device's ACPI path and the tool's probe.
dmesg > dmesg.txt
ls /sys/firmware/acpi/tables > tables.txt
for d in /sys/bus/pci/devices/*; do
	[ -r "$d/firmware_node/path" ] && echo "${d##*/} $(cat "$d/firmware_node/path")"
done > paths.txt
"$OG" --root / probe > probe.txt 2> probe.err
mount -t debugfs debugfs /sys/kernel/debug 2> /dev/null
for r in $OG_ROMS; do
	carrier=${r%%:*} rest=${r#*:}
	path=${rest%%:*} size=${rest#*:}
	bdf=$(awk -v p="$path" 'substr($2, 2) == p { print $1 }' paths.txt)
	if [ -z "$bdf" ]; then
		echo "error: no PCI device has the ACPI path \\$path" > "status-$carrier.txt"
		continue
	fi
	start=$(cut -d' ' -f1 /proc/uptime)
	if insmod /og-vm/files/og_romdump.ko bdf="$bdf" size="$size" 2> "insmod-$carrier.err"; then
		cat /sys/kernel/debug/og_romdump/status > "status-$carrier.txt"
		cat /sys/kernel/debug/og_romdump/rom > "rom-$carrier.bin"
		rmmod og_romdump
	else
		echo "error: insmod failed: $(cat "insmod-$carrier.err")" > "status-$carrier.txt"
	fi
	echo "$start $(cut -d' ' -f1 /proc/uptime)" > "time-$carrier.txt"
done
dmesg > dmesg-after.txt
