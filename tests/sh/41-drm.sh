# libdrm: the live path where a DRM node exists; recorded roots never ask libdrm.
. "$TOP/tests/lib.sh"

"$OG" --root "$FIX/gvt-nouveau-offload" probe --json | python3 -c '
import json, sys
d = json.load(sys.stdin)["drm"]
assert d == {"probed": False, "list": []}, d' && pass "recorded root: libdrm not asked" || fail "recorded root: libdrm not asked"

if [ ! -d /dev/dri ]; then
	skip "live libdrm: no /dev/dri on this machine"
	"$OG" probe --json > "$TMP/p.json" 2> "$TMP/err" && grep -q '"probed": false' "$TMP/p.json" \
		&& pass "live probe without DRM devices" || { fail "live probe without DRM devices"; cat "$TMP/err"; }
	exit 0
fi
"$OG" probe --json > "$TMP/p.json" 2> "$TMP/err" || { fail "live probe"; cat "$TMP/err"; exit 0; }
python3 - "$TMP/p.json" <<'PY' && pass "live libdrm devices" || fail "live libdrm devices"
import json, sys
s = json.load(open(sys.argv[1]))
d = s["drm"]
assert d["probed"] and d["list"], d
for v in d["list"]:
    assert v["primary"] or v["render"], v
    assert v["error"] or v["driver"], v
PY
"$OG" --snapshot "$TMP/p.json" probe --json > "$TMP/q.json"
same_file "live libdrm round trip" "$TMP/p.json" "$TMP/q.json"
