#!/bin/sh
# Text is bytes: a DMI string, kernel command line, file name and Xorg line that are not
# valid UTF-8 are kept (escaped) in every JSON output, never dropped, and a replay of the
# snapshot decides exactly as the live run did.
. "$TOP/tests/lib.sh"
P="$OG --data-dir $OG_DATA"
G="$TMP/guest"
cp -a "$FIX/gvt-nouveau-offload" "$G"
printf 'Caf\351 Book\n' > "$G/sys/class/dmi/id/product_name"
printf 'quiet x=\377\376 y=a\\b\n' > "$G/proc/cmdline"
mkdir -p "$G/etc/X11/xorg.conf.d"
conf="$G/etc/X11/xorg.conf.d/20-$(printf '\351').conf"
printf 'Section "OutputClass"\n Identifier "d\351v"\n MatchDriver "nouveau"\n Option "PrimaryGPU" "yes"\nEndSection\n' > "$conf"

expect_exit 0 "probe --json on a guest with non-UTF-8 text" $P --root "$G" --json probe
cp "$TMP/out" "$TMP/snap.json"
python3 - "$TMP/snap.json" > "$TMP/py" 2>&1 <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
env = d["environment"]
assert env["dmi_product_name"] == {"escaped": "Caf\\xe9 Book"}, env["dmi_product_name"]
assert env["cmdline"] == {"escaped": "quiet x=\\xff\\xfe y=a\\\\b"}, env["cmdline"]
paths = [f["path"] for f in d["xorg_config"]]
assert {"escaped": "etc/X11/xorg.conf.d/20-\\xe9.conf"} in paths, paths
print("ok")
PY
grep -qx ok "$TMP/py" && pass "probe --json: DMI, cmdline, file name kept escaped" || { fail "probe --json: DMI, cmdline, file name kept escaped"; cat "$TMP/py"; }

expect_exit 0 "probe --snapshot round trip" $P --snapshot "$TMP/snap.json" --json probe
same_file "snapshot round trip is byte-identical" "$TMP/snap.json" "$TMP/out"

# the admin's file fights the topology: its (non-UTF-8) name is in the message, live and replayed
expect_exit 3 "plan --json refuses the conflicting file" $P --root "$G" --json plan
cp "$TMP/out" "$TMP/plan-live.json"
grep -q '"escaped": "/etc/X11/xorg.conf.d/20-\\\\xe9.conf:4: ' "$TMP/plan-live.json" && pass "plan --json: the message names the file" || fail "plan --json: the message names the file"
expect_exit 3 "plan --snapshot --json" $P --snapshot "$TMP/snap.json" --json plan
same_file "replay decides as the live run" "$TMP/plan-live.json" "$TMP/out"

expect_exit 0 "report --json" $P --root "$G" --json report
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["snapshot"]["environment"]["dmi_product_name"]["escaped"] == "Caf\\xe9 Book"; assert any("escaped" in c["message"] for c in d["decision"]["checks"] if isinstance(c["message"], dict))' "$TMP/out" \
	&& pass "report --json keeps the escaped text" || fail "report --json keeps the escaped text"

# a hand-edited snapshot with a bad escape is refused with the key, not misread
sed 's/Caf\\\\xe9/Caf\\\\xZZ/' "$TMP/snap.json" > "$TMP/bad.json"
expect_exit 1 "a bad escape in a snapshot is refused" $P --snapshot "$TMP/bad.json" plan
grep -q 'dmi_product_name' "$TMP/err" && pass "bad escape: the key is named" || { fail "bad escape: the key is named"; cat "$TMP/err"; }
