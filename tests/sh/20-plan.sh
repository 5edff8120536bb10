# plan on every fixture against reviewed goldens; refusals; preference; determinism; profiles.
. "$TOP/tests/lib.sh"
P="$OG --data-dir $TOP"

for root in "$FIX"/*/; do
	name=$(basename "$root")
	[ -f "$root/expected/plan.json" ] || continue
	$P --root "$root" --json plan > "$TMP/plan.json" 2> "$TMP/err"
	same_file "golden plan.json $name" "$root/expected/plan.json" "$TMP/plan.json"
	$P --root "$root" plan > "$TMP/plan.txt" 2>&1
	same_file "golden plan.txt $name" "$root/expected/plan.txt" "$TMP/plan.txt"
	# deterministic, and a replayed snapshot plans exactly like the tree
	$P --root "$root" --json plan > "$TMP/plan2.json" 2>/dev/null
	same_file "deterministic $name" "$TMP/plan.json" "$TMP/plan2.json"
	$P --root "$root" probe --json > "$TMP/snap.json"
	$P --snapshot "$TMP/snap.json" --json plan > "$TMP/plan3.json" 2>/dev/null
	same_file "snapshot replay plans alike $name" "$TMP/plan.json" "$TMP/plan3.json"
done

chosen() { $P --root "$FIX/$1" --json plan 2>/dev/null | python3 -c 'import json,sys; print(json.load(sys.stdin)["profile"])'; }
[ "$(chosen gvt-nouveau-offload)" = gvt-nouveau-offload ] && pass "prefer gvt-nouveau-offload" || fail "prefer gvt-nouveau-offload"
[ "$(chosen gvt-only)" = gvt-only ] && pass "gvt-only when no NVIDIA" || fail "gvt-only when no NVIDIA"
[ "$(chosen missing-subsys-ids)" = gvt-only ] && pass "gvt-only when nouveau rows fail" || fail "gvt-only when nouveau rows fail"
[ "$(chosen nouveau-only)" = compute-only ] && pass "compute-only without a display" || fail "compute-only without a display"
[ "$(chosen qxl-boot-vga)" = gvt-nouveau-offload ] && pass "qxl boot vga still GVT primary" || fail "qxl boot vga still GVT primary"

expect_exit 3 "no display: nothing works" $P --root "$FIX/no-display" plan
expect_exit 3 "MXM card refused" $P --root "$FIX/mxm-card" plan
grep -q "out of scope" "$TMP/out" && pass "MXM says out of scope" || fail "MXM says out of scope"
expect_exit 0 "gvt-nouveau-offload plans" $P --root "$FIX/gvt-nouveau-offload" plan

# every broken/never row, asked for by name on a guest with its devices: exit 3 and the matrix's words
refuse() {
	expect_exit 3 "refuse $2" $P --root "$FIX/$1" plan "$2"
	grep -qF "$3" "$TMP/out" && pass "explain $2" || { fail "explain $2"; head -3 "$TMP/out"; }
}
refuse qxl-boot-vga qxl-primary "offers only the Sink Output RandR capability"
refuse qxl-boot-vga qxl-reverse-prime "swiotlb buffer is full (sz: 299008 bytes)"
refuse gvt-nouveau-offload nouveau-offload-gvt-secondary "AttachOutputGPU: Assertion 'new->current_master == pScreen' failed."
refuse gvt-nouveau-offload bumblebee "bumblebeed refuses to start"
refuse nouveau-only nvidia-sole "gives X no output, so X does not start"
refuse nouveau-only dummy-primary "xf86-video-dummy has no PRIME support"
expect_exit 3 "named row with unmet checks" $P --root "$FIX/no-efi-handover" plan gvt-nouveau-offload
grep -q "efi-rom-handover" "$TMP/out" && grep -q "mainline GRUB lacks EFI handover" "$TMP/out" \
	&& pass "EFI handover fix named" || fail "EFI handover fix named"
# the firmware handed over other devices' ROMs (QXL, iPXE) but not the NVIDIA card's own
expect_exit 3 "handover without the card's ROM refused" $P --root "$FIX/handover-other-roms" plan gvt-nouveau-offload
grep -qF "efi-rom-handover: the firmware handed PCI option ROMs to the kernel (setup_data type 3: 1b36:0100 (0000:00:01.0), 1af4:1041 (0000:02:00.0)) but not the NVIDIA card's (10de:139b at 0000:01:00.0)" "$TMP/out" \
	&& pass "handover names the ROMs handed over" || { fail "handover names the ROMs handed over"; grep handover "$TMP/out"; }
grep -q "ok.*efi-rom-handover: the kernel received the NVIDIA card's own ROM (10de:139b)" "$FIX/gvt-nouveau-offload/expected/plan.txt" \
	&& pass "handover confirms the card's own ROM" || fail "handover confirms the card's own ROM"
# truncated, oversized and missing setup_data payloads: the ROM is unknown, never the card's
cp -r "$FIX/gvt-nouveau-offload" "$TMP/sd"
d="$TMP/sd/sys/kernel/boot_params/setup_data/1"
for kind in truncated hostile missing; do
	case $kind in
	truncated) head -c 20 "$FIX/gvt-nouveau-offload/sys/kernel/boot_params/setup_data/1/data" > "$d/data" ;;
	hostile) python3 -c 'import sys; sys.stdout.buffer.write(bytes([0xde,0x10,0x9b,0x13]) + b"\xff" * 60)' > "$d/data" ;;
	missing) rm -f "$d/data" ;;
	esac
	$P --root "$TMP/sd" probe --json > "$TMP/sd.json" 2> "$TMP/err"
	rom=$(python3 -c 'import json,sys; print(" ".join(json.load(open(sys.argv[1]))["environment"]["setup_data_pci_roms"]))' "$TMP/sd.json" 2>&1)
	case $kind in
	hostile) want=10de:139b ;;   # ids kept, the impossible address dropped
	*) want=unknown ;;
	esac
	[ "$rom" = "$want" ] && pass "setup_data $kind: $want" || fail "setup_data $kind: got '$rom', wanted '$want'"
done
expect_exit 3 "handover with an unreadable ROM entry refused" $P --root "$TMP/sd" plan gvt-nouveau-offload
expect_exit 3 "binary driver without _ROM table" $P --root "$FIX/gvt-nvidia-no-acpi" plan nvidia-primary-gvt-output
grep -q "nvidia-vbios-acpi" "$TMP/out" && pass "needs-patch requirement named" || fail "needs-patch requirement named"
expect_exit 0 "binary driver with _ROM table" $P --root "$FIX/gvt-nvidia-acpi" plan nvidia-primary-gvt-output
grep -q "row-status" "$TMP/out" && pass "needs-patch row warns" || fail "needs-patch row warns"
expect_exit 2 "unknown profile name" $P --root "$FIX/gvt-only" plan no-such-row
grep -q "no profile named 'no-such-row'" "$TMP/err" && pass "unknown profile message" || fail "unknown profile message"
expect_exit 2 "unknown plan option" $P --root "$FIX/gvt-only" plan --bogus

# the JSON contract
$P --root "$FIX/missing-subsys-ids" --json plan > "$TMP/c.json"
python3 - "$TMP/c.json" <<'PY' && pass "plan --json contract" || fail "plan --json contract"
import json, sys
d = json.load(open(sys.argv[1]))
for k in ("profile", "status", "refused", "checks", "rejected"):
    assert k in d, k
assert all({"id", "severity", "message", "fix"} <= set(c) for c in d["checks"])
r = {x["profile"]: x["reasons"] for x in d["rejected"]}
assert any("nvidia-subsystem-ids" in s for s in r["gvt-nouveau-offload"]), r
PY

# profiles: validate the shipped set, list, show; a broken local override does not stop planning
expect_exit 0 "profiles validate shipped" $P profiles validate
expect_exit 0 "profiles validate files" $P profiles validate "$TOP"/profiles/*.ini
$P profiles list > "$TMP/list"
[ "$(wc -l < "$TMP/list")" -eq 11 ] && pass "11 rows listed" || fail "11 rows listed"
$P profiles show gvt-only | grep -q "^status *works" && pass "profiles show" || fail "profiles show"
$P --root "$FIX/gvt-only" profiles list --verbose | grep -q "chosen on this guest" && pass "list --verbose" || fail "list --verbose"
cp -a "$FIX/gvt-nouveau-offload" "$TMP/local"
mkdir -p "$TMP/local/etc/optimus-guest/profiles.d"
printf '[profile]\nname = gvt-only\nstatus = works\nsumary = typo\n' > "$TMP/local/etc/optimus-guest/profiles.d/40-gvt-only.ini"
expect_exit 0 "broken local override still plans" $P --root "$TMP/local" plan
grep -q "40-gvt-only.ini:4: unknown key 'sumary' in \[profile\]; did you mean 'summary'?" "$TMP/err" \
	&& pass "override error reported with file:line" || { fail "override error reported with file:line"; cat "$TMP/err"; }
cat > "$TMP/local/etc/optimus-guest/profiles.d/10-gvt-nouveau-offload.ini" <<'INI'
[profile]
name = gvt-nouveau-offload
status = works
summary = local override that lowers this row below gvt-only
priority = 1
[match]
roles = gvt nvidia-muxless
INI
$P --root "$TMP/local" --json plan 2>/dev/null | grep -q '"profile": "gvt-only"' && pass "local override wins" || fail "local override wins"
printf '[profile]\nname = x\n' > "$TMP/bad.ini"
expect_exit 1 "validate a bad file" $P profiles validate "$TMP/bad.ini"
grep -q "bad.ini:1: \[profile\] needs 'status" "$TMP/err" && pass "validate message" || { fail "validate message"; cat "$TMP/err"; }

# a local profile that validates but cannot render here (@GVT_SLOT@ on a guest without GVT) is
# skipped with a warning: plan, apply and report go on with the shipped profiles
cp -a "$FIX/nouveau-only" "$TMP/lp"
mkdir -p "$TMP/lp/etc/optimus-guest/profiles.d"
cat > "$TMP/lp/etc/optimus-guest/profiles.d/70-local.ini" <<'INI'
[profile]
name = local
status = works
summary = a local row that writes GVT's file
priority = 999

[match]
render_node = yes

[write]
files = 30-optimus-guest-local.conf:gvt-primary
INI
expect_exit 0 "local profile that fails to render: validate accepts it" $P profiles validate "$TMP/lp/etc/optimus-guest/profiles.d/70-local.ini"
expect_exit 0 "local profile that fails to render: plan goes on" $P --root "$TMP/lp" plan
grep -q '^Profile: compute-only' "$TMP/out" && pass "local profile skipped: shipped row chosen" || fail "local profile skipped: shipped row chosen"
grep -qF "warning: /etc/optimus-guest/profiles.d/70-local.ini: xorg-snippets/gvt-primary.conf.in:1: @GVT_SLOT@ has no value for profile local (unknown name, or the device is absent) (local override skipped; the shipped profiles still apply)" "$TMP/err" \
	&& pass "local profile skipped: warning names file and reason" || { fail "local profile skipped: warning names file and reason"; cat "$TMP/err"; }
expect_exit 0 "local profile that fails to render: apply --dry-run goes on" $P --root "$TMP/lp" apply --dry-run
expect_exit 0 "local profile that fails to render: report goes on" $P --root "$TMP/lp" report
grep -q 'reporting without a decision' "$TMP/err" && fail "report has a decision" || pass "report has a decision"
# an override of a shipped row that fails to render: the shipped row comes back
sed -i 's/^name = local/name = compute-only/' "$TMP/lp/etc/optimus-guest/profiles.d/70-local.ini"
expect_exit 0 "failing override of a shipped row" $P --root "$TMP/lp" plan
grep -q '^Profile: compute-only (works)' "$TMP/out" && grep -q 'ok       render-node' "$TMP/out" \
	&& pass "failing override: the shipped row is back" || fail "failing override: the shipped row is back"
