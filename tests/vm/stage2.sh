#!/bin/sh
# Stage two of a guest (tests/vm/boot.sh): runs in the overlay of the machine's own /.
# $1 = stage2 (we are PID 1: start udev, power off at the end) or systemd (run by
# og-vm-test.service under the machine's systemd).
mode=${1:-stage2}
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
S=/og-vm
up() { cut -d' ' -f1 /proc/uptime; }
{
if [ -d /sys/firmware/efi ]; then
	modprobe efivarfs 2> /dev/null
	mount -t efivarfs efivarfs /sys/firmware/efi/efivars 2> /dev/null
fi
if [ "$mode" = stage2 ]; then
	hostname og-vm-guest
	/lib/systemd/systemd-udevd --daemon
	# the devices whose drivers and nodes matter here (no subsystem events: they load no
	# driver and make no node, and every event costs time under TCG)
	udevadm trigger --type=devices --action=add --subsystem-match=pci --subsystem-match=virtio \
		--subsystem-match=drm --subsystem-match=graphics --subsystem-match=platform
	udevadm settle --timeout=180 || echo "og-vm: udevadm settle timed out"
fi
echo "og-vm: udev settled at $(up) s"
} > /dev/console 2>&1
set -a
. $S/env
set +a
export OG_VM_OUT=$S/out
cd $S/out || exit 1
echo "og-vm: script starts at $(up) s" > /dev/console
sh $S/script > $S/guest.log 2>&1 < /dev/null
echo $? > $S/rc
echo "og-vm: script ends at $(up) s, exit $(cat $S/rc)" > /dev/console
sed 's/^/guest| /' $S/guest.log > /dev/console
up > $S/uptime
sync
touch $S/done
sync
cd /
if [ "$mode" = stage2 ]; then
	# a process the script left running (an X server) may still hold a file in the share:
	# its writes are synced above, so detach it lazily instead of printing "target is busy"
	umount $S 2> /dev/null || umount -l $S
	/bin/busybox poweroff -f
	echo o > /proc/sysrq-trigger
	sleep 10
else
	systemctl poweroff --force --no-block
fi
