# apply, a second apply, revert, dry run, and the bad trees: run on copies of the fixtures.
. "$TOP/tests/lib.sh"
og() { "$OG" --data-dir "$TOP" "$@"; }
th() { sh "$TOP/tests/treehash.sh" "$1"; }
CONF=etc/X11/xorg.conf.d
STATE=var/lib/optimus-guest

# fresh NAME FIXTURE: copy a fixture to $TMP/NAME, record its tree in $TMP/NAME.before
fresh() {
	rm -rf "$TMP/$1"
	cp -a "$FIX/$2" "$TMP/$1"
	th "$TMP/$1" > "$TMP/$1.before"
}
same_tree() { # NAME: the tree is as recorded by fresh
	th "$TMP/$2" > "$TMP/$2.now"
	if cmp -s "$TMP/$2.before" "$TMP/$2.now"; then pass "$1"; else fail "$1"; diff "$TMP/$2.before" "$TMP/$2.now" | head -20; fi
}

# --- every fixture: dry run, apply, second apply, revert ---
for dir in "$FIX"/*/; do
	f=$(basename "$dir")
	[ -d "$dir/sys" ] || continue
	fresh "$f" "$f"
	R="$TMP/$f"
	og --root "$R" apply --dry-run > "$TMP/$f.diff" 2> "$TMP/$f.dry.err"
	drc=$?
	same_tree "$f: dry run writes nothing" "$f"
	og --root "$R" apply > "$TMP/out" 2> "$TMP/err"
	rc=$?
	if [ $rc -eq 3 ]; then
		[ $drc -eq 3 ] && pass "$f: dry run refused too" || fail "$f: dry run exit $drc, apply 3"
		same_tree "$f: refused apply writes nothing" "$f"
		continue
	fi
	if [ $rc -ne 0 ]; then fail "$f: apply exit $rc"; sed 's/^/    /' "$TMP/err" | head -5; continue; fi
	pass "$f: apply"
	# what apply wrote is what the dry run's diff says (patch -p1 applies it to a fresh copy)
	rm -rf "$TMP/p"; cp -a "$FIX/$f" "$TMP/p"
	if [ -s "$TMP/$f.diff" ]; then
		if (cd "$TMP/p" && patch -s -p1 < "$TMP/$f.diff" > /dev/null 2>&1); then
			if diff -r "$TMP/p/$CONF" "$R/$CONF" > /dev/null 2>&1; then pass "$f: dry-run diff = applied files"
			else fail "$f: dry-run diff differs from what apply wrote"; fi
		else fail "$f: dry-run diff does not apply with patch -p1"; fi
	else
		[ -z "$(ls "$R/$CONF" 2>/dev/null)" ] && pass "$f: empty dry run, nothing written" || fail "$f: empty dry run but files written"
	fi
	bad=0
	for c in "$R/$CONF"/*optimus-guest*.conf; do
		[ -e "$c" ] || continue
		head -3 "$c" | grep -q 'Written by optimus-guest' || bad=1
		[ "$(stat -c %a "$c")" = 644 ] || bad=1
	done
	for d in "$R/etc" "$R/etc/X11" "$R/$CONF" "$R/$STATE"; do
		[ ! -d "$d" ] || [ "$(stat -c %a "$d")" = 755 ] || bad=1
	done
	if ls "$R/$CONF"/*optimus-guest*.conf > /dev/null 2>&1; then [ -f "$R/$STATE/manifest.json" ] || bad=1; fi
	[ $bad -eq 0 ] && pass "$f: header, 0644 files, 0755 dirs, manifest" || fail "$f: header/modes/manifest"
	# the real X server parses what apply wrote
	if ls "$R/$CONF"/*.conf > /dev/null 2>&1; then
		sh "$TOP/tests/xorg-load.sh" "$R/$CONF" > "$TMP/xl" 2>&1; xrc=$?
		case $xrc in 0) pass "$f: Xorg loads the applied directory" ;; 77) skip "$f: Xorg load" "$(head -1 "$TMP/xl")" ;;
		*) fail "$f: Xorg rejects the applied directory"; sed 's/^/    /' "$TMP/xl" | head -5 ;; esac
	fi
	# the second apply changes nothing, not even a time stamp
	th "$R" > "$TMP/$f.applied"
	stat -c '%Y.%y %i' "$R/$STATE/manifest.json" "$R/$CONF"/* > "$TMP/$f.stat1" 2>/dev/null
	sleep 0.01
	og --root "$R" apply > "$TMP/out" 2>&1 || fail "$f: second apply exit $?"
	th "$R" > "$TMP/$f.applied2"
	stat -c '%Y.%y %i' "$R/$STATE/manifest.json" "$R/$CONF"/* > "$TMP/$f.stat2" 2>/dev/null
	if cmp -s "$TMP/$f.applied" "$TMP/$f.applied2" && cmp -s "$TMP/$f.stat1" "$TMP/$f.stat2" && grep -q 'up to date' "$TMP/out"; then
		pass "$f: second apply changes nothing (bytes, mtimes, inodes)"
	else fail "$f: second apply changed something"; diff "$TMP/$f.applied" "$TMP/$f.applied2" | head; fi
	og --root "$R" apply --dry-run > "$TMP/out2" 2>&1
	[ ! -s "$TMP/out2" ] || grep -q 'nothing would change' "$TMP/out2" && pass "$f: dry run after apply: no diff" || fail "$f: dry run after apply shows changes"
	og --root "$R" revert > "$TMP/out" 2> "$TMP/err" || fail "$f: revert exit $?"
	same_tree "$f: revert restores the whole tree" "$f"
	og --root "$R" revert > "$TMP/out" 2> "$TMP/err"
	[ $? -eq 0 ] && grep -q 'nothing to revert' "$TMP/err" && pass "$f: second revert: nothing to do" || fail "$f: second revert"
done

F=gvt-nvidia-acpi
# --- a changed decision replaces our file and removes the one no longer needed ---
fresh chg $F; R="$TMP/chg"
og --root "$R" apply gvt-only > /dev/null 2>&1
og --root "$R" apply gvt-nvidia-offload > "$TMP/out" 2>&1
if [ -f "$R/$CONF/20-optimus-guest-gvt-nvidia-offload.conf" ] && [ ! -e "$R/$CONF/20-optimus-guest-gvt-primary.conf" ] &&
   grep -q '"profile": "gvt-nvidia-offload"' "$R/$STATE/manifest.json" && ! grep -q gvt-primary "$R/$STATE/manifest.json"; then
	pass "changed decision: new file written, old one removed, manifest updated"
else fail "changed decision"; cat "$TMP/out"; fi
og --root "$R" revert > /dev/null 2>&1; same_tree "changed decision: revert restores the tree" chg

# --- a foreign file with our name pattern (no header) is never touched ---
fresh foreign $F; R="$TMP/foreign"
mkdir -p "$R/$CONF"; printf 'Section "Device"\n  Identifier "mine"\nEndSection\n' > "$R/$CONF/50-optimus-guest-mine.conf"
th "$R" > "$TMP/foreign.before"
og --root "$R" apply > "$TMP/out" 2> "$TMP/err"; rc=$?
[ $rc -eq 0 ] && grep -q "50-optimus-guest-mine.conf' matches optimus-guest's file names but was not written by it" "$TMP/err" &&
	cmp -s "$R/$CONF/50-optimus-guest-mine.conf" - <<'X' && pass "foreign file: left untouched, said so" || fail "foreign file (exit $rc)"
Section "Device"
  Identifier "mine"
EndSection
X
og --root "$R" revert > /dev/null 2>&1; same_tree "foreign file: revert keeps it, tree restored" foreign

# --- a foreign file at the very name we write: refuse, change nothing ---
fresh block $F; R="$TMP/block"
mkdir -p "$R/$CONF"; echo '# my own' > "$R/$CONF/20-optimus-guest-gvt-primary.conf"
th "$R" > "$TMP/block.before"
expect_exit 1 "foreign file at our name: apply refuses" og --root "$R" apply
grep -q 'was not written by optimus-guest' "$TMP/err" && grep -q 'nothing was changed' "$TMP/err" && pass "foreign file at our name: message" || fail "foreign at our name: message"
same_tree "foreign file at our name: nothing changed" block

# --- a file of ours edited since: saved, said, replaced; revert refuses without --force ---
fresh edit $F; R="$TMP/edit"
og --root "$R" apply > /dev/null 2>&1
echo '# local tweak' >> "$R/$CONF/20-optimus-guest-gvt-primary.conf"
cp "$R/$CONF/20-optimus-guest-gvt-primary.conf" "$TMP/edited"
th "$R" > "$TMP/edit.mid"
expect_exit 1 "edited file: revert refuses" og --root "$R" revert
grep -q 'was changed since optimus-guest wrote it' "$TMP/err" && th "$R" | cmp -s - "$TMP/edit.mid" && pass "edited file: revert changed nothing, said why" || fail "edited revert"
og --root "$R" apply > "$TMP/out" 2> "$TMP/err"
b=$(ls "$R/$STATE/backups/" 2>/dev/null | head -1)
[ -n "$b" ] && cmp -s "$R/$STATE/backups/$b" "$TMP/edited" && grep -q 'changed copy is saved' "$TMP/err" &&
	! grep -q 'local tweak' "$R/$CONF/20-optimus-guest-gvt-primary.conf" && pass "edited file: backed up, reported, replaced" || fail "edited file on apply"
echo '# again' >> "$R/$CONF/20-optimus-guest-gvt-primary.conf"
og --root "$R" revert --force > "$TMP/out" 2> "$TMP/err"
[ $? -eq 0 ] && [ ! -e "$R/$CONF/20-optimus-guest-gvt-primary.conf" ] && ls "$R/$STATE/backups/" | grep -q edited && pass "edited file: revert --force keeps a copy" || fail "revert --force"

# --- a file with our header but no manifest (earlier install, or a copy): never moved ---
fresh adopt $F; R="$TMP/adopt"
mkdir -p "$R/$CONF"; printf '# Written by optimus-guest (an old version)\nSection "ServerFlags"\nEndSection\n' > "$R/$CONF/10-optimus-guest-old.conf"
chmod 0640 "$R/$CONF/10-optimus-guest-old.conf"; touch -d '2020-01-02 03:04:05' "$R/$CONF/10-optimus-guest-old.conf"
th "$R" > "$TMP/adopt.before"
og --root "$R" apply > "$TMP/out" 2> "$TMP/err"
[ $? -eq 0 ] && [ -e "$R/$CONF/10-optimus-guest-old.conf" ] && grep -q "10-optimus-guest-old.conf' carries optimus-guest's header but the manifest does not list it" "$TMP/err" &&
	pass "unlisted file with our header: left in place and named" || { fail "adopt"; cat "$TMP/err"; }
og --root "$R" revert > /dev/null 2>&1; same_tree "unlisted file with our header: apply then revert leave it as it was" adopt

# --- corrupted and truncated manifests: clear error, no change; --force rebuilds ---
for kind in truncated garbage wrongtype; do
	fresh "m$kind" $F; R="$TMP/m$kind"
	og --root "$R" apply > /dev/null 2>&1
	m="$R/$STATE/manifest.json"
	case $kind in
	truncated) head -c 60 "$m" > "$TMP/m"; cat "$TMP/m" > "$m" ;;
	garbage) printf '\001\002 not json' > "$m" ;;
	wrongtype) sed -i 's/"version": 1/"version": "1"/' "$m" ;;
	esac
	th "$R" > "$TMP/m$kind.mid"
	expect_exit 1 "manifest $kind: apply refuses" og --root "$R" apply gvt-nvidia-offload
	grep -q 'corrupted or truncated' "$TMP/err" && grep -q -- '--force' "$TMP/err" && th "$R" | cmp -s - "$TMP/m$kind.mid" &&
		pass "manifest $kind: says so and what to do, nothing changed" || fail "manifest $kind: message or change"
	expect_exit 1 "manifest $kind: revert refuses" og --root "$R" revert
	# nothing proves the old file is ours any more: --force writes its own and leaves that one, named
	og --root "$R" apply --force gvt-nvidia-offload > "$TMP/m$kind.out" 2>&1
	[ $? -eq 0 ] && [ -f "$R/$CONF/20-optimus-guest-gvt-nvidia-offload.conf" ] && [ -f "$R/$CONF/20-optimus-guest-gvt-primary.conf" ] &&
		grep -q "20-optimus-guest-gvt-primary.conf' carries optimus-guest's header but the manifest does not list it" "$TMP/m$kind.out" &&
		og --root "$R" apply gvt-nvidia-offload 2>&1 | grep -q 'up to date' && pass "manifest $kind: --force rebuilds it, the unproven file is left and named" || { fail "manifest $kind: --force"; cat "$TMP/m$kind.out"; }
done

# --- symlinks: the target directory (out of the root, or inside it), the state directory, a file ---
fresh sl1 $F; R="$TMP/sl1"; mkdir -p "$R/etc/X11" "$TMP/outside"; ln -s "$TMP/outside" "$R/$CONF"; th "$R" > "$TMP/sl1.before"
expect_exit 1 "target dir symlink out of the root: refused" og --root "$R" apply
grep -q 'symbolic link' "$TMP/err" && [ -z "$(ls -A "$TMP/outside")" ] && pass "symlink out of root: message, nothing written outside" || fail "symlink out of root"
same_tree "symlink out of root: tree unchanged" sl1
fresh sl2 $F; R="$TMP/sl2"; mkdir -p "$R/etc/X11real"; ln -s X11real "$R/etc/X11"; th "$R" > "$TMP/sl2.before"
expect_exit 1 "etc/X11 symlink inside the root: refused" og --root "$R" apply
same_tree "symlink inside root: tree unchanged" sl2
fresh sl3 $F; R="$TMP/sl3"; mkdir -p "$R/var/lib" "$TMP/outside3"; ln -s "$TMP/outside3" "$R/$STATE"; th "$R" > "$TMP/sl3.before"
expect_exit 1 "state dir symlink: refused" og --root "$R" apply
[ -z "$(ls -A "$TMP/outside3")" ] && pass "state dir symlink: nothing written outside" || fail "state dir symlink wrote outside"
same_tree "state dir symlink: tree unchanged" sl3
fresh sl4 $F; R="$TMP/sl4"; mkdir -p "$R/$CONF"; echo x > "$TMP/victim"; ln -s "$TMP/victim" "$R/$CONF/20-optimus-guest-gvt-primary.conf"; th "$R" > "$TMP/sl4.before"
expect_exit 1 "our file name is a symlink: refused" og --root "$R" apply
[ "$(cat "$TMP/victim")" = x ] && pass "our file name is a symlink: target untouched" || fail "symlink target written"
same_tree "our file name is a symlink: tree unchanged" sl4
fresh fifo $F; R="$TMP/fifo"; mkdir -p "$R/$CONF"; mkfifo "$R/$CONF/20-optimus-guest-gvt-primary.conf"; th "$R" > "$TMP/fifo.before"
expect_exit 1 "a FIFO at our name: refused without hanging" timeout 10 "$OG" --data-dir "$TOP" --root "$R" apply
same_tree "FIFO: tree unchanged" fifo

# --- a FIFO or a huge file where the manifest should be: a message, no hang, no change ---
fresh mfifo $F; R="$TMP/mfifo"; mkdir -p "$R/$STATE"; mkfifo "$R/$STATE/manifest.json"; th "$R" > "$TMP/mfifo.before"
expect_exit 1 "FIFO manifest: refused without hanging" timeout 10 "$OG" --data-dir "$TOP" --root "$R" apply
grep -q 'not a regular file' "$TMP/err" && pass "FIFO manifest: message" || fail "FIFO manifest: message"
same_tree "FIFO manifest: tree unchanged" mfifo
fresh mbig $F; R="$TMP/mbig"; mkdir -p "$R/$STATE"; truncate -s 64M "$R/$STATE/manifest.json"; th "$R" > "$TMP/mbig.before"
expect_exit 1 "64 MB manifest: refused" timeout 10 "$OG" --data-dir "$TOP" --root "$R" apply
same_tree "64 MB manifest: tree unchanged" mbig
rm -f "$R/$STATE/manifest.json"

# --- read-only target: a read-only bind mount (tests run as root, chmod would not stop us) ---
fresh ro $F; R="$TMP/ro"; mkdir -p "$R/$CONF" "$R/$STATE"; th "$R" > "$TMP/ro.before"
if unshare -m sh -c "mount --bind '$R' '$R' && mount -o remount,bind,ro '$R'" 2>/dev/null; then
	unshare -m sh -c "mount --bind '$R' '$R' && mount -o remount,bind,ro '$R' && exec \"\$@\"" sh "$OG" --data-dir "$TOP" --root "$R" apply > "$TMP/out" 2> "$TMP/err"
	rc=$?
	[ $rc -eq 1 ] && grep -q 'Read-only file system' "$TMP/err" && pass "read-only target: exit 1, says so" || { fail "read-only target (exit $rc)"; cat "$TMP/err"; }
	same_tree "read-only target: tree unchanged" ro
	unshare -m sh -c "mount --bind '$R' '$R' && mount -o remount,bind,ro '$R' && exec \"\$@\"" sh "$OG" --data-dir "$TOP" --root "$R" apply --boot > "$TMP/out" 2> "$TMP/err"
	[ $? -eq 0 ] && grep -q 'boot: ' "$TMP/err" && pass "read-only target with --boot: exit 0, logged" || fail "read-only --boot"
else
	skip "read-only target" "no mount namespace here (unshare -m); the fault-injection test covers EROFS"
fi

# --- --boot: never blocks; optimus-guest=off does nothing ---
fresh boot1 $F; R="$TMP/boot1"; mkdir -p "$R/etc/X11"; ln -s /nonexistent "$R/$CONF"; th "$R" > "$TMP/boot1.before"
expect_exit 0 "--boot with a broken tree exits 0" og --root "$R" apply --boot
grep -q 'symbolic link' "$TMP/err" && pass "--boot logs the problem on stderr" || fail "--boot message"
same_tree "--boot failure changes nothing" boot1
fresh boot2 $F; R="$TMP/boot2"; printf 'BOOT_IMAGE=/vmlinuz ro quiet optimus-guest=off\n' > "$R/proc/cmdline"; th "$R" > "$TMP/boot2.before"
expect_exit 0 "optimus-guest=off: exit 0" og --root "$R" apply --boot
grep -q 'optimus-guest=off' "$TMP/err" && pass "optimus-guest=off: says so" || fail "optimus-guest=off message"
same_tree "optimus-guest=off: nothing written" boot2
fresh boot3 mxm-card; R="$TMP/boot3"
expect_exit 0 "--boot on a refused guest exits 0" og --root "$R" apply --boot
expect_exit 3 "refused guest without --boot exits 3" og --root "$R" apply
same_tree "refused guest: nothing written" boot3

# --- the admin's conflicting file: refused (3) unless --force, never touched ---
fresh conf user-xorg-conf; R="$TMP/conf"
expect_exit 3 "conflicting admin file: apply refuses" og --root "$R" apply
same_tree "conflicting admin file: nothing written" conf
cp "$R/$CONF/20-nvidia.conf" "$TMP/admin.conf"
expect_exit 0 "conflicting admin file: --force applies" og --root "$R" apply --force
cmp -s "$R/$CONF/20-nvidia.conf" "$TMP/admin.conf" && pass "conflicting admin file: left as it was" || fail "admin file changed"
og --root "$R" revert > /dev/null 2>&1; same_tree "conflicting admin file: revert restores the tree" conf

# --- usage ---
expect_exit 2 "apply: unknown option" og --root "$TMP/conf" apply --bogus
expect_exit 2 "apply: two profiles" og --root "$TMP/conf" apply a b
expect_exit 2 "revert: operand" og --root "$TMP/conf" revert x
expect_exit 2 "apply: unknown profile" og --root "$TMP/conf" apply no-such-profile
true
