# Who may be written and what is ours: revert --force without a manifest deletes nothing it
# cannot prove it wrote; a replayed snapshot never writes this machine's /; apply as a user
# says it needs root; no message is ever empty. Every tree is a copy under this test's dir.
. "$TOP/tests/lib.sh"
og() { "$OG" --data-dir "$TOP" "$@"; }
CONF=etc/X11/xorg.conf.d
R="$TMP/r"; cp -a "$FIX/gvt-only" "$R"

# a user's file that carries our header line (a copy of ours, kept under another name), no manifest
mkdir -p "$R/$CONF"
printf '# Written by optimus-guest. Do not edit: overwritten on update.\nSection "Device"\nEndSection\n' > "$R/$CONF/50-my-optimus-guest-copy.conf"
cp "$R/$CONF/50-my-optimus-guest-copy.conf" "$TMP/copy.before"
expect_exit 0 "revert --force without a manifest" og --root "$R" revert --force
same_file "revert --force without a manifest: the user's header-carrying file is kept" "$TMP/copy.before" "$R/$CONF/50-my-optimus-guest-copy.conf"
grep -q "50-my-optimus-guest-copy.conf' carries optimus-guest's header but no manifest proves optimus-guest wrote it: left in place" "$TMP/out" "$TMP/err" \
	&& pass "revert --force without a manifest: names the file it leaves" || { fail "revert --force without a manifest: names the file it leaves"; cat "$TMP/out" "$TMP/err"; }

# apply: a header is no proof either. The copy under another name survives apply; a
# header-carrying file under the very name apply writes is refused without --force, saved
# and put back by revert with it.
hash_of() { sha256sum "$1" | cut -d' ' -f1; }
expect_exit 0 "apply next to a user's copy of our file" og --root "$R" apply
same_file "apply: the user's header-carrying copy is untouched" "$TMP/copy.before" "$R/$CONF/50-my-optimus-guest-copy.conf"
grep -q "50-my-optimus-guest-copy.conf' carries optimus-guest's header but the manifest does not list it" "$TMP/err" \
	&& pass "apply: names the copy it leaves" || { fail "apply: names the copy it leaves"; cat "$TMP/err"; }
expect_exit 0 "revert after apply next to the copy" og --root "$R" revert
same_file "revert: the copy is still untouched" "$TMP/copy.before" "$R/$CONF/50-my-optimus-guest-copy.conf"
R3="$TMP/r3"; cp -a "$FIX/gvt-only" "$R3"; mkdir -p "$R3/$CONF"
og --root "$R3" apply --dry-run > "$TMP/dry" 2>&1
name=$(sed -n "s|.*would write '$CONF/\([^']*\)'.*|\1|p" "$TMP/dry" | head -1)
[ -n "$name" ] && pass "apply --dry-run names the file it writes ($name)" || { fail "apply --dry-run names the file it writes"; cat "$TMP/dry"; }
printf '# Written by optimus-guest. Do not edit: overwritten on update.\n# my own edits\nSection "ServerFlags"\nEndSection\n' > "$R3/$CONF/$name"
chmod 0600 "$R3/$CONF/$name"; touch -d '2021-02-03 04:05:06' "$R3/$CONF/$name"
cp -p "$R3/$CONF/$name" "$TMP/mine.before"
expect_exit 1 "apply over an unlisted file with our header: refused" og --root "$R3" apply
same_file "refused: the file is untouched" "$TMP/mine.before" "$R3/$CONF/$name"
grep -q "carries optimus-guest's header but the manifest does not list it.*move it aside (mv /$CONF/$name /$CONF/$name.disabled).*--force" "$TMP/err" \
	&& pass "refused: says why and both ways out" || { fail "refused: says why and both ways out"; cat "$TMP/err"; }
expect_exit 0 "apply --force over it" og --root "$R3" apply --force
b=$(ls "$R3/var/lib/optimus-guest/backups/" 2>/dev/null | head -1)
[ -n "$b" ] && [ "$(hash_of "$R3/var/lib/optimus-guest/backups/$b")" = "$(hash_of "$TMP/mine.before")" ] && grep -q "saved as 'var/lib/optimus-guest/backups/$b'" "$TMP/err" \
	&& pass "apply --force: the file is saved first, and the message says where" || { fail "apply --force: saved first"; cat "$TMP/err"; ls -la "$R3/var/lib/optimus-guest/backups/"; }
expect_exit 0 "revert after apply --force" og --root "$R3" revert
same_file "revert: the user's file is back" "$TMP/mine.before" "$R3/$CONF/$name"
[ "$(stat -c '%a %Y' "$R3/$CONF/$name")" = "$(stat -c '%a %Y' "$TMP/mine.before")" ] && pass "revert: its mode and mtime too" || fail "revert: its mode and mtime too"

# revert keeps a user's own file put in place of ours: the backup of what was there before
# apply is kept too, and the message says where
expect_exit 0 "apply --force again" og --root "$R3" apply --force
b=$(ls "$R3/var/lib/optimus-guest/backups/" | head -1)
printf 'Section "ServerFlags"\n# the user wrote this one\nEndSection\n' > "$R3/$CONF/$name"
cp "$R3/$CONF/$name" "$TMP/users.conf"
expect_exit 0 "revert with the user's file in place of ours" og --root "$R3" revert
same_file "revert: the user's file stays" "$TMP/users.conf" "$R3/$CONF/$name"
[ -f "$R3/var/lib/optimus-guest/backups/$b" ] && [ "$(hash_of "$R3/var/lib/optimus-guest/backups/$b")" = "$(hash_of "$TMP/mine.before")" ] \
	&& pass "revert: the pre-apply backup is kept" || { fail "revert: the pre-apply backup is kept"; ls -la "$R3/var/lib/optimus-guest/backups/"; }
grep -q "the file that was there before apply is kept as 'var/lib/optimus-guest/backups/$b'" "$TMP/out" "$TMP/err" \
	&& pass "revert: says where the backup is" || { fail "revert: says where the backup is"; cat "$TMP/out" "$TMP/err"; }
expect_exit 0 "revert again: nothing to do" og --root "$R3" revert
[ -f "$R3/var/lib/optimus-guest/backups/$b" ] && pass "a second revert keeps the backup" || fail "a second revert keeps the backup"

# --snapshot with apply needs an explicit --root (the replayed guest is not this machine)
og --root "$FIX/gvt-only" probe --json > "$TMP/snap.json"
expect_exit 2 "apply --snapshot without --root: refused" og --snapshot "$TMP/snap.json" apply
grep -q "name the tree to write with --root DIR" "$TMP/err" && pass "apply --snapshot: says to give --root" || { fail "apply --snapshot: says to give --root"; cat "$TMP/err"; }
expect_exit 2 "revert --snapshot without --root: refused" og --snapshot "$TMP/snap.json" revert
expect_exit 0 "apply --snapshot --dry-run: fine without --root" og --snapshot "$TMP/snap.json" apply --dry-run
R2="$TMP/r2"; cp -a "$FIX/gvt-only" "$R2"
expect_exit 0 "apply --snapshot --root DIR: writes DIR" og --snapshot "$TMP/snap.json" --root "$R2" apply
[ -n "$(ls "$R2/$CONF/" 2>/dev/null | grep optimus-guest)" ] && pass "apply --snapshot --root: the files are under DIR" || fail "apply --snapshot --root: the files are under DIR"

# apply as a user on this machine's /: it needs root, and says so before doing anything
if [ "$(id -u)" = 0 ] && command -v setpriv > /dev/null; then
	as_nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
	chmod 755 "$TMP"
	expect_exit 1 "apply as a user: refused" as_nobody "$OG" --data-dir "$TOP" apply
	grep -q "needs root: run 'sudo optimus-guest apply'" "$TMP/err" && pass "apply as a user: says it needs root" || { fail "apply as a user: says it needs root"; cat "$TMP/err"; }
	expect_exit 1 "revert as a user: refused" as_nobody "$OG" --data-dir "$TOP" revert
	grep -q "needs root" "$TMP/err" && pass "revert as a user: says it needs root" || fail "revert as a user: says it needs root"
elif [ "$(id -u)" != 0 ]; then
	expect_exit 1 "apply as a user: refused" "$OG" --data-dir "$TOP" apply
	grep -q "needs root" "$TMP/err" && pass "apply as a user: says it needs root" || fail "apply as a user: says it needs root"
else
	skip "apply as a user: setpriv (util-linux) missing"
fi

# the manifest cannot steer deletions: a created_dirs entry outside etc/X11/xorg.conf.d and
# var/lib/optimus-guest (and the directories on the way to them) is refused, nothing removed
for bad in "etc/ssh" "home/user" "etc/X11/xorg.conf.d/../../ssh" "etc/X11x" "var/lib/optimus-guest-other"; do
	R3="$TMP/m"; rm -rf "$R3"; cp -a "$FIX/gvt-only" "$R3"
	og --root "$R3" apply > /dev/null 2>&1
	mkdir -p "$R3/etc/ssh" "$R3/home/user" "$R3/etc/X11x" "$R3/var/lib/optimus-guest-other"
	python3 - "$R3/var/lib/optimus-guest/manifest.json" "$bad" <<'PY'
import json, sys
m = json.load(open(sys.argv[1])); m["created_dirs"].append(sys.argv[2]); json.dump(m, open(sys.argv[1], "w"))
PY
	th() { sh "$TOP/tests/treehash.sh" "$1"; }
	th "$R3" > "$TMP/m.before"
	expect_exit 1 "manifest naming '$bad' in created_dirs: revert refuses" og --root "$R3" revert
	grep -q "not a directory apply creates\|not a relative directory path" "$TMP/err" && pass "manifest '$bad': says which entry" || { fail "manifest '$bad': says which entry"; cat "$TMP/err"; }
	th "$R3" > "$TMP/m.after"
	cmp -s "$TMP/m.before" "$TMP/m.after" && pass "manifest '$bad': nothing changed" || fail "manifest '$bad': nothing changed"
done
