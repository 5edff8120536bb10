# Guest script of 91-vm-boot.sh's systemd guests (run by og-vm-test.service under the
# machine's own systemd, cwd /og-vm/out): waits for the stand-in display manager's X
# server, then keeps what systemd says of optimus-guest.service and display-manager.service.
i=0
while [ $i -lt 240 ]; do
	[ "$(systemctl is-active display-manager.service)" = active ] && [ -S /tmp/.X11-unix/X0 ] && break
	sleep 1
	i=$((i + 1))
done
echo "waited $i s for the display manager's X server" > waited.txt
cat /proc/cmdline > cmdline.txt
cat /proc/1/comm > pid1.txt
echo "$(systemd-detect-virt --container > /dev/null && echo container || echo vm) $(systemd-detect-virt)" > virt.txt
for u in optimus-guest display-manager; do
	systemctl show $u.service > $u.show
	journalctl -b -o short-monotonic --no-pager -u $u.service > $u.journal 2>&1
done
systemctl list-dependencies --no-pager graphical.target > deps.txt 2>&1
cp /var/log/Xorg.0.log Xorg.0.log 2> /dev/null
ls -la /etc/X11/xorg.conf.d/ > xorg.conf.d.txt 2>&1
