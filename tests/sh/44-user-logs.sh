# report reads every user's ~/.local/share/xorg/Xorg.*.log as root: a link out of the user's
# tree is never followed, a file the user does not own is not read, a FIFO or directory is
# skipped; the report still comes out. All inside a copy of a fixture in this test's dir.
. "$TOP/tests/lib.sh"
R="$TMP/r"; cp -a "$FIX/gvt-only" "$R"
mkdir -p "$R/etc" "$R/home/alice/.local/share/xorg" "$R/home/bob/.local/share/xorg" "$R/home/carol/.local/share/xorg"
# a secret of the system, in the words of a failure signature so a read would show as a finding
echo '[    1.0] nouveau 0000:01:00.0: bios: unable to locate usable image SECRET-CANARY' > "$R/etc/secret"
ln -s /etc/secret "$R/home/alice/.local/share/xorg/Xorg.0.log"
ln -s ../../../../../etc/secret "$R/home/alice/.local/share/xorg/Xorg.1.log"
cp "$R/etc/secret" "$R/home/bob/.local/share/xorg/Xorg.0.log"
chown 4242 "$R/home/bob" && chown 4343 "$R/home/bob/.local/share/xorg/Xorg.0.log"   # not bob's file
mkfifo "$R/home/carol/.local/share/xorg/Xorg.0.log"
mkdir "$R/home/carol/.local/share/xorg/Xorg.1.log"
printf '[    1.0] (II) a log of carol\n' > "$R/home/carol/.local/share/xorg/Xorg.2.log"
expect_exit 0 "report on a tree with hostile user logs" timeout 60 "$OG" --data-dir "$TOP" --root "$R" --json report --no-redact
cp "$TMP/out" "$TMP/rep.json"
grep -q SECRET-CANARY "$TMP/rep.json" && fail "nothing outside a user's tree is read" || pass "nothing outside a user's tree is read"
note() { python3 - "$TMP/rep.json" "$1" "$2" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
def walk(x):
    if isinstance(x, dict):
        if (x.get("source") or "").endswith(sys.argv[2]) and sys.argv[3] in (x.get("note") or ""):
            return True
        return any(walk(v) for v in x.values())
    if isinstance(x, list):
        return any(walk(v) for v in x)
    return False
sys.exit(0 if walk(d) else 1)
PY
}
check "absolute link out of the user's tree: skipped and said" note "home/alice/.local/share/xorg/Xorg.0.log" "symbolic link out of the user's directory"
check "relative link out of the user's tree: skipped and said" note "home/alice/.local/share/xorg/Xorg.1.log" "symbolic link out of the user's directory"
check "a file the user does not own: skipped and said" note "home/bob/.local/share/xorg/Xorg.0.log" "not owned by the user"
check "a FIFO: skipped and said" note "home/carol/.local/share/xorg/Xorg.0.log" "not a regular file"
check "a directory: skipped and said" note "home/carol/.local/share/xorg/Xorg.1.log" "not a regular file"
grep -q 'home/carol/.local/share/xorg/Xorg.2.log' "$TMP/rep.json" && pass "the user's own log is still read" || fail "the user's own log is still read"

# a FIFO, a directory and an oversized file among xorg.conf.d/*.conf: reported and skipped, the
# probe goes on, and a replay of its snapshot decides as the live run did
X="$TMP/x"; cp -a "$FIX/gvt-only" "$X"; XC="$X/etc/X11/xorg.conf.d"; mkdir -p "$XC"
mkfifo "$XC/10-fifo.conf"; mkdir "$XC/20-dir.conf"
head -c 2000000 /dev/zero | tr '\0' '#' > "$XC/30-big.conf"
printf 'Section "ServerFlags"\nEndSection\n' > "$XC/40-ok.conf"
expect_exit 0 "probe with a FIFO, a directory and a huge file in xorg.conf.d" timeout 60 "$OG" --data-dir "$TOP" --root "$X" probe --json
cp "$TMP/out" "$TMP/x.json"
for w in "10-fifo.conf: not a regular file" "20-dir.conf: a directory" "30-big.conf: larger than 1 MiB"; do
	grep -q "warning: skipped etc/X11/xorg.conf.d/$w" "$TMP/err" && pass "probe says: $w" || { fail "probe says: $w"; cat "$TMP/err"; }
done
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert len(d["skipped"]) == 3 and [x["path"] for x in d["xorg_config"]] == ["etc/X11/xorg.conf.d/40-ok.conf"], d' "$TMP/x.json" \
	&& pass "snapshot records what was skipped, keeps the good file" || fail "snapshot records what was skipped, keeps the good file"
"$OG" --data-dir "$TOP" --root "$X" plan > "$TMP/live.plan" 2> /dev/null
"$OG" --data-dir "$TOP" --snapshot "$TMP/x.json" plan > "$TMP/replay.plan" 2> "$TMP/replay.err"
same_file "replay of that snapshot plans as the live run" "$TMP/live.plan" "$TMP/replay.plan"
grep -q "skipped etc/X11/xorg.conf.d/10-fifo.conf" "$TMP/replay.err" && pass "replay says what was skipped too" || fail "replay says what was skipped too"
