#!/bin/sh
# Multi-line fix texts ('|' lines in a profile or signature) keep their lines and their
# indentation in every printer: plan, profiles show, run, report (Markdown and JSON).
. "$TOP/tests/lib.sh"
P="$OG --data-dir $OG_DATA"
Q="$FIX/qxl-boot-vga"

# the shipped qxl-primary fix puts the command on its own line
expect_exit 3 "plan qxl-primary: refused" $P --root "$Q" plan qxl-primary
cat > "$TMP/want" <<'WANT'
Fix:
  make GVT the primary GPU (use a remote display) and drop QXL from the X layout, or from the VM.
  The former, in the guest:
      optimus-guest apply
  The latter, in the VM's libvirt domain (virsh edit VM):
      <video><model type='none'/></video>
WANT
sed -n '/^Fix:$/,/^Checks:$/p' "$TMP/out" | grep -v '^Checks:$' > "$TMP/got"
same_file "plan: the fix keeps its lines and indentation" "$TMP/want" "$TMP/got"

expect_exit 0 "profiles show qxl-primary" $P profiles show qxl-primary
grep -q "^              The former, in the guest:$" "$TMP/out" && grep -q "^                  optimus-guest apply$" "$TMP/out" \
	&& pass "profiles show: continuation lines under the value" || { fail "profiles show: continuation lines under the value"; cat "$TMP/out"; }

expect_exit 3 "run --profile qxl-primary: refused" $P --root "$Q" run --profile qxl-primary true
grep -q "^    The former, in the guest:$" "$TMP/err" && grep -q "^        optimus-guest apply$" "$TMP/err" \
	&& pass "run: the fix's lines stay under the message" || { fail "run: the fix's lines stay under the message"; cat "$TMP/err"; }

expect_exit 3 "plan --json qxl-primary" $P --root "$Q" --json plan qxl-primary
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["fix"].split("\n")[2] == "    optimus-guest apply", d["fix"]' "$TMP/out" \
	&& pass "plan --json: the fix holds its line breaks" || fail "plan --json: the fix holds its line breaks"

# the fix's command, as written, on that guest (under its root, never this machine's /)
cp -a "$Q" "$TMP/q"
expect_exit 0 "the fix's command: optimus-guest apply" $P --root "$TMP/q" apply
grep -q "wrote 'etc/X11/xorg.conf.d/20-optimus-guest-gvt-primary.conf'" "$TMP/out" "$TMP/err" && pass "the fix's command makes GVT primary" || { fail "the fix's command makes GVT primary"; cat "$TMP/out" "$TMP/err"; }

# a signature whose fix has a command on its own line: report Markdown and JSON
mkdir -p "$TMP/data"
cp -r "$OG_DATA/profiles" "$OG_DATA/xorg-snippets" "$OG_DATA/signatures" "$TMP/data/"
cat > "$TMP/data/signatures/90-test.ini" <<'SIG'
[test-multiline]
log = any
pattern = zz-multiline-marker
severity = warning
diagnosis = a test line
fix = do this first,
  | then run:
  |   optimus-guest plan
SIG
printf '[    1.000000] zz-multiline-marker here\n' > "$TMP/k.log"
expect_exit 0 "signatures validate with a '|' fix" $OG --data-dir "$TMP/data" signatures validate "$TMP/data/signatures/90-test.ini"
expect_exit 0 "report --log (Markdown)" $OG --data-dir "$TMP/data" --root "$FIX/gvt-only" report --log "$TMP/k.log"
grep -qF '**Fix:** do this first,<br>then run:<br>&nbsp;&nbsp;optimus-guest plan' "$TMP/out" \
	&& pass "report Markdown: <br> and the indentation as non-breaking spaces" || { fail "report Markdown: line breaks"; grep -n 'Fix' "$TMP/out"; }
expect_exit 0 "report --log --format json" $OG --data-dir "$TMP/data" --root "$FIX/gvt-only" report --format json --log "$TMP/k.log"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); f=[x for x in d["findings"] if x["id"]=="test-multiline"][0]; assert f["fix"] == "do this first,\nthen run:\n  optimus-guest plan", f["fix"]' "$TMP/out" \
	&& pass "report JSON: the fix holds its line breaks" || fail "report JSON: the fix holds its line breaks"

# '|' is for texts only: a list value refuses it, with the line
printf '[profile]\nname = row\nstatus = works\nsummary = s\npriority = 1\n[match]\nroles = gvt\n  | qxl\n' > "$TMP/10-row.ini"
expect_exit 1 "a '|' line outside [explain]: refused" $P profiles validate "$TMP/10-row.ini"
grep -q "10-row.ini:8: a '|' line (a line break kept in the text) is allowed only in \[explain\] reason and fix" "$TMP/err" \
	&& pass "a '|' line outside [explain]: file, line and why" || { fail "a '|' line outside [explain]: file, line and why"; cat "$TMP/err"; }
