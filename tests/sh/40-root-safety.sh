# Reading a hostile --root: nothing outside the root is read, nothing hangs, messages are clear.
. "$TOP/tests/lib.sh"
P="$OG --data-dir $TOP"
base="$FIX/gvt-nouveau-offload"

# a canary outside the root that must never show up in what we read
mkdir -p "$TMP/outside"
echo "CANARY-OUTSIDE-THE-ROOT" > "$TMP/outside/secret"

# symlinks pointing out of the root in sys/ and etc/X11, absolute and relative
cp -a "$base" "$TMP/r1"
rm "$TMP/r1/sys/class/dmi/id/sys_vendor"
ln -s "$TMP/outside/secret" "$TMP/r1/sys/class/dmi/id/sys_vendor"
rm "$TMP/r1/proc/sys/kernel/osrelease"
ln -s ../../../../../../../../../../../../"$TMP/outside/secret" "$TMP/r1/proc/sys/kernel/osrelease"
mkdir -p "$TMP/r1/etc/X11"
ln -s "$TMP/outside" "$TMP/r1/etc/X11/xorg.conf.d"
cp "$TMP/outside/secret" "$TMP/outside/evil.conf"
$P --root "$TMP/r1" probe --json > "$TMP/r1.json" 2> "$TMP/r1.err"; rc=$?
[ $rc -eq 0 ] && pass "symlinks out of the root: probe runs" || { fail "symlinks out of the root: probe runs (exit $rc)"; cat "$TMP/r1.err"; }
grep -q CANARY "$TMP/r1.json" "$TMP/r1.err" && fail "nothing outside the root is read" || pass "nothing outside the root is read"
grep -q '"dmi_sys_vendor": null' "$TMP/r1.json" && pass "escaping link reads as absent" || fail "escaping link reads as absent"
$P --root "$TMP/r1" plan > "$TMP/r1.plan" 2>&1
grep -q CANARY "$TMP/r1.plan" && fail "plan reads nothing outside" || pass "plan reads nothing outside"

# a symlink loop in sys/ and a loop of directories
cp -a "$base" "$TMP/r2"
ln -s . "$TMP/r2/sys/devices/pci0000:00/self"
ln -s ../loop-b "$TMP/r2/sys/loop-a"; ln -s ../loop-a "$TMP/r2/sys/loop-b"
rm -rf "$TMP/r2/sys/module"; ln -s loop-a "$TMP/r2/sys/module"
timeout 20 $P --root "$TMP/r2" probe > /dev/null 2> "$TMP/r2.err"; rc=$?
[ $rc -ne 124 ] && pass "symlink loops do not hang" || fail "symlink loops do not hang"
[ $rc -eq 0 ] || grep -q "symbolic links" "$TMP/r2.err" && pass "symlink loop: clear outcome" || { fail "symlink loop: clear outcome"; cat "$TMP/r2.err"; }

# FIFOs where files are expected: no hang, a message naming the file
for f in proc/cpuinfo sys/class/dmi/id/product_name etc/X11/xorg.conf var/log/Xorg.0.log; do
	cp -a "$base" "$TMP/f"
	mkdir -p "$(dirname "$TMP/f/$f")"; rm -f "$TMP/f/$f"; mkfifo "$TMP/f/$f"
	timeout 20 $P --root "$TMP/f" plan > /dev/null 2> "$TMP/f.err"; rc=$?
	if [ $rc -eq 124 ]; then
		fail "FIFO at $f hangs"
	elif [ $rc -eq 0 ] || grep -q "not a regular file" "$TMP/f.err"; then
		pass "FIFO at $f"
	else
		fail "FIFO at $f (exit $rc)"; cat "$TMP/f.err"
	fi
	rm -rf "$TMP/f"
done

# files of gigabytes where a line is expected: bounded reads, a clear message, quickly
cp -a "$base" "$TMP/big"
rm "$TMP/big/proc/cmdline"; truncate -s 4G "$TMP/big/proc/cmdline"
timeout 30 $P --root "$TMP/big" probe > /dev/null 2> "$TMP/big.err"; rc=$?
[ $rc -eq 1 ] && grep -q "proc/cmdline.*larger than" "$TMP/big.err" && pass "4 GiB cmdline refused" || { fail "4 GiB cmdline refused (exit $rc)"; cat "$TMP/big.err"; }
cp -a "$base" "$TMP/big2"
truncate -s 4G "$TMP/big2/sys/devices/pci0000:00/0000:00:02.0/class"
timeout 30 $P --root "$TMP/big2" probe > /dev/null 2> "$TMP/big2.err"; rc=$?
[ $rc -eq 1 ] && grep -q "class.*larger than" "$TMP/big2.err" && pass "4 GiB attribute refused" || { fail "4 GiB attribute refused (exit $rc)"; cat "$TMP/big2.err"; }
cp -a "$base" "$TMP/big3"
truncate -s 2G "$TMP/big3/var/log/Xorg.0.log"
timeout 30 $P --root "$TMP/big3" probe > /dev/null 2>&1 && pass "huge Xorg log: only its head is read" || fail "huge Xorg log: only its head is read"
rm -rf "$TMP/big" "$TMP/big2" "$TMP/big3"

# a directory where a file is expected
cp -a "$base" "$TMP/d"
rm "$TMP/d/proc/cmdline"; mkdir "$TMP/d/proc/cmdline"
$P --root "$TMP/d" probe > /dev/null 2> "$TMP/d.err"; rc=$?
[ $rc -eq 1 ] && grep -q "proc/cmdline.*not a regular file" "$TMP/d.err" && pass "directory where a file is expected" || { fail "directory where a file is expected (exit $rc)"; cat "$TMP/d.err"; }
