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
