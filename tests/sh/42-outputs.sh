# What -o does with an existing path, for every command that writes a file the user names
# (report -o, libvirt fix -o, acpi-table -o, vbios extract -o DIR): a regular file is
# replaced atomically, a new file is created, '-' is standard output; a device node, FIFO,
# symlink (to a victim file), directory or a directory we cannot write is refused and left
# exactly as it was. Everything happens inside this test's temp dir.
. "$TOP/tests/lib.sh"
H="$FIX/host-laptop"
ROM="$H/var/lib/libvirt/vbios/gtx960m.rom"
D="$TMP/d"; mkdir -p "$D"
echo "victim" > "$TMP/victim"
# untouched NAME PATH TYPE: PATH is still of TYPE (find -type letter), the victim intact,
# and no temp file of ours is left beside it
untouched() {
	if [ -n "$(find "$2" -maxdepth 0 -type "$3")" ] && [ "$(cat "$TMP/victim")" = victim ] &&
	   [ -z "$(find "$(dirname "$2")" -maxdepth 1 -name '.*.??????')" ]; then pass "$1"; else fail "$1"; ls -la "$(dirname "$2")"; fi
}
# refused NAME PATH TYPE WORDS CMD...: exit 1, the message names the kind, PATH left as it was
refused() {
	n=$1 p=$2 t=$3 w=$4; shift 4
	expect_exit 1 "$n: refused" "$@"
	grep -q "'$p' is $w" "$TMP/err" && pass "$n: says what is there" || { fail "$n: says what is there"; cat "$TMP/err"; }
	untouched "$n: left alone" "$p" "$t"
}

report() { "$OG" --data-dir "$TOP" --root "$FIX/gvt-only" report -o "$@"; }
fix() { "$OG" --root "$H" libvirt fix "$FIX/libvirt/virt-manager-q35.xml" -o "$@"; }
acpi() { "$OG" acpi-table --vbios "$ROM" --slot 01:00.0 --root-port 1c.0 -o "$@"; }

for cmd in report fix acpi; do
	ext=out; [ $cmd = acpi ] && ext=aml
	mknod "$D/$cmd-chr.$ext" c 1 3        # what /dev/null is
	refused "$cmd -o a device node" "$D/$cmd-chr.$ext" c "a character device" $cmd "$D/$cmd-chr.$ext"
	mkfifo "$D/$cmd-fifo.$ext"
	refused "$cmd -o a FIFO" "$D/$cmd-fifo.$ext" p "a FIFO" $cmd "$D/$cmd-fifo.$ext"
	ln -s "$TMP/victim" "$D/$cmd-link.$ext"
	refused "$cmd -o a symlink to a victim" "$D/$cmd-link.$ext" l "a symbolic link" $cmd "$D/$cmd-link.$ext"
	mkdir "$D/$cmd-dir.$ext"
	refused "$cmd -o a directory" "$D/$cmd-dir.$ext" d "a directory" $cmd "$D/$cmd-dir.$ext"
	# a regular file is replaced (a hard link to it keeps the old bytes: renamed over, not truncated)
	echo old > "$D/$cmd-reg.$ext"; chmod 600 "$D/$cmd-reg.$ext"; ln "$D/$cmd-reg.$ext" "$D/$cmd-hard"
	expect_exit 0 "$cmd -o an existing file: replaced" $cmd "$D/$cmd-reg.$ext"
	[ "$(cat "$D/$cmd-hard")" = old ] && ! grep -qx old "$D/$cmd-reg.$ext" && [ -s "$D/$cmd-reg.$ext" ] \
		&& pass "$cmd -o an existing file: new content by rename" || fail "$cmd -o an existing file: new content by rename"
	[ "$(stat -c %a "$D/$cmd-reg.$ext")" = 600 ] && pass "$cmd -o an existing file: its mode kept" || fail "$cmd -o an existing file: its mode kept"
	expect_exit 0 "$cmd -o a new file" $cmd "$D/$cmd-new.$ext"
	[ "$(stat -c %a "$D/$cmd-new.$ext")" = 644 ] && pass "$cmd -o a new file: 0644" || fail "$cmd -o a new file: 0644"
done

# a directory we may not write into (as root DAC does not apply: run as nobody)
if [ "$(id -u)" = 0 ] && command -v setpriv > /dev/null; then
	chmod 755 "$TMP"; mkdir "$TMP/ro"; echo keep > "$TMP/ro/r.out"; chmod 555 "$TMP/ro"
	# data and guest tree where nobody can read them (a checkout may sit in a 0700 directory)
	mkdir "$TMP/pub"; cp -R "$TOP/profiles" "$TOP/xorg-snippets" "$TOP/signatures" "$TMP/pub/"
	cp -R "$FIX/gvt-only" "$TMP/pub/guest"
	# and the binaries: report runs in the helper beside optimus-guest, which nobody must reach
	mkdir "$TMP/pub/bin"; cp "$OG" "$(dirname "$OG")/optimus-guest-libvirt" "$TMP/pub/bin/"; chmod -R a+rX "$TMP/pub"
	expect_exit 1 "report -o in a read-only directory: refused" setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$TMP/pub/bin/optimus-guest" --data-dir "$TMP/pub" --root "$TMP/pub/guest" report -o "$TMP/ro/r.out"
	grep -q "cannot write '$TMP/ro/r.out'.*Permission denied" "$TMP/err" && pass "read-only directory: says why" || fail "read-only directory: says why"
	[ "$(cat "$TMP/ro/r.out")" = keep ] && [ "$(ls -A "$TMP/ro")" = r.out ] \
		&& pass "read-only directory: file kept, no temp file" || fail "read-only directory: file kept, no temp file"
	chmod 755 "$TMP/ro"
elif [ "$(id -u)" != 0 ]; then
	mkdir "$TMP/ro"; echo keep > "$TMP/ro/r.out"; chmod 555 "$TMP/ro"
	expect_exit 1 "report -o in a read-only directory: refused" report "$TMP/ro/r.out"
	[ "$(cat "$TMP/ro/r.out")" = keep ] && pass "read-only directory: file kept" || fail "read-only directory: file kept"
	chmod 755 "$TMP/ro"
else
	skip "read-only directory: setpriv (util-linux) missing"
fi

# -o - is standard output
expect_exit 0 "report -o -: standard output" report -
grep -q '^## optimus-guest report' "$TMP/out" && [ ! -e ./- ] && pass "report -o -: the report on stdout" || fail "report -o -: the report on stdout"
expect_exit 0 "libvirt fix -o -: standard output" fix -
grep -q '<domain' "$TMP/out" && [ ! -e ./- ] && pass "fix -o -: the domain on stdout" || fail "fix -o -: the domain on stdout"
expect_exit 2 "acpi-table -o -: refused (the tables are files)" acpi -

# vbios extract -o DIR: the predictable ROM names are never followed or truncated
R="$TMP/roms"; mkdir -p "$R"
python3 "$TOP/scripts/mkroms.py" roms "$TOP/tests/vbios/roms.spec" "$R" > /dev/null
python3 "$TOP/scripts/mkroms.py" fv "$TMP/fw.bin" --rom "$R/nv-muxless.rom" > /dev/null
"$OG" vbios extract "$TMP/fw.bin" -o "$TMP/probe" > /dev/null 2>&1
name=$(ls "$TMP/probe" | head -1)
if [ -z "$name" ]; then
	fail "vbios extract: a ROM to plant names for"
else
	for kind in link fifo dir chr; do
		X="$TMP/x-$kind"; mkdir "$X"
		case $kind in
		link) ln -s "$TMP/victim" "$X/$name"; t=l w="a symbolic link" ;;
		fifo) mkfifo "$X/$name"; t=p w="a FIFO" ;;
		dir) mkdir "$X/$name"; t=d w="a directory" ;;
		chr) mknod "$X/$name" c 1 3; t=c w="a character device" ;;
		esac
		refused "vbios extract -o DIR with a planted $kind" "$X/$name" $t "$w" "$OG" vbios extract "$TMP/fw.bin" -o "$X"
	done
	echo old > "$TMP/probe/$name"
	expect_exit 0 "vbios extract -o DIR: an existing ROM file is replaced" "$OG" vbios extract "$TMP/fw.bin" -o "$TMP/probe"
	same_file "vbios extract: replaced with the ROM" "$TMP/probe/$name" "$R/nv-muxless.rom"
	echo f > "$TMP/notdir"
	expect_exit 1 "vbios extract -o a file: refused" "$OG" vbios extract "$TMP/fw.bin" -o "$TMP/notdir"
	expect_exit 2 "vbios extract -o -: refused" "$OG" vbios extract "$TMP/fw.bin" -o -
fi
