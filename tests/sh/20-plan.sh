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
# nothing to set up: a VM with only an emulated display (no GVT-g vGPU, no NVIDIA card) is refused
# by plan and apply alike (exit 3), naming what it has and what it lacks; compute-only needs one of the two
$P --root "$FIX/qxl-boot-vga" probe --json > "$TMP/qxl-all.json"
for emu in qxl:1b36:0100 virtio-gpu:1af4:1050 bochs:1234:1111; do
	role=${emu%%:*}; ids=${emu#*:}
	python3 - "$TMP/qxl-all.json" "$TMP/$role-only.json" "$role" "$ids" <<'PY2'
import json, sys
d = json.load(open(sys.argv[1]))
d["pci"] = [p for p in d["pci"] if p["role"] not in ("gvt", "nvidia-muxless", "bridge")]
for p in d["pci"]:
    if p["role"] == "qxl":
        p["role"] = sys.argv[3]
        p["vendor"], p["device"] = ("0x" + x for x in sys.argv[4].split(":"))
        p["driver"] = {"qxl": "qxl", "virtio-gpu": "virtio-pci", "bochs": "bochs-drm"}[sys.argv[3]]
json.dump(d, open(sys.argv[2], "w"))
PY2
	expect_exit 3 "$role only: plan refuses" $P --snapshot "$TMP/$role-only.json" plan
	grep -q "^Refused: nothing to set up: .* this VM has neither (its display devices: $role 0000:00:01.0)" "$TMP/out" \
		&& pass "$role only: nothing to set up, names what it has" || { fail "$role only: nothing to set up, names what it has"; head -3 "$TMP/out"; }
	grep -q "GVT-g vGPU" "$TMP/out" && grep -q "compute-only (works): match: needs a gvt or nvidia-muxless device; this guest has neither" "$TMP/out" \
		&& pass "$role only: says what the VM lacks" || fail "$role only: says what the VM lacks"
	grep -q "GVT and/or the NVIDIA" "$TMP/out" && fail "$role only: no compute-only summary" || pass "$role only: no compute-only summary"
	expect_exit 3 "$role only: apply --dry-run refuses" $P --snapshot "$TMP/$role-only.json" --root "$TMP/empty-root" apply --dry-run
	grep -q "refused: nothing to set up: " "$TMP/err" && pass "$role only: apply says the same" || { fail "$role only: apply says the same"; tail -2 "$TMP/err"; }
	expect_exit 3 "$role only: compute-only by name refused" $P --snapshot "$TMP/$role-only.json" plan compute-only
	grep -q "needs a gvt or nvidia-muxless device; this guest has neither" "$TMP/out" \
		&& pass "$role only: compute-only says why" || fail "$role only: compute-only says why"
	$P --snapshot "$TMP/$role-only.json" --json plan > "$TMP/j" 2>/dev/null
	python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["refused"] and d["profile"] is None and d["explanation"].startswith("nothing to set up") and d["fix"], d' "$TMP/j" \
		&& pass "$role only: plan --json refused" || fail "$role only: plan --json refused"
done
# the README's example, as written
cp "$TMP/virtio-gpu-only.json" "$TMP/virtio-only.json"
(cd "$TMP" && $P --snapshot virtio-only.json plan) | head -1 > "$TMP/first"
grep -qxF "$(grep -A1 '^    \$ optimus-guest --snapshot virtio-only.json plan$' "$TOP/README.md" | sed -n '2s/^    //p')" "$TMP/first" \
	&& pass "README virtio-only example" || { fail "README virtio-only example"; cat "$TMP/first"; }
grep -q "it has no display device at all" "$FIX/no-display/expected/plan.txt" && pass "no display: nothing to set up" || fail "no display: nothing to set up"
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

# replayed snapshots lacking parts (no host bridge on a q35 machine, no devices, empty strings,
# unknown roles, no roles, no ids, no environment): plan, apply --dry-run and report answer
# (0 or 3) without a crash or a sanitizer report
$P --root "$FIX/gvt-nouveau-offload" probe --json > "$TMP/full.json"
python3 - "$TMP/full.json" "$TMP" <<'PY2'
import copy, json, sys
d = json.load(open(sys.argv[1]))
def save(name, f):
    x = copy.deepcopy(d); f(x); json.dump(x, open(sys.argv[2] + "/absent-" + name + ".json", "w"))
def each_dev(f):
    def g(x):
        for p in x["pci"]: f(p)
    return g
save("host-bridge", lambda x: x.update(pci=[p for p in x["pci"] if p["role"] != "host-bridge"]))
save("devices", lambda x: x.update(pci=[]))
save("roles", each_dev(lambda p: p.update(role=None, evidence=[])))
save("unknown-roles", each_dev(lambda p: p.update(role="frobnicator")))
save("ids", each_dev(lambda p: p.update(vendor="0x0", device="0x0", subsystem_vendor="0x0", subsystem_device="0x0", **{"class": "0x0"})))
save("strings", each_dev(lambda p: p.update(role="", driver="", drm_cards=[""], drm_renders=[""], connectors=[{"name": "", "status": ""}])))
save("environment", lambda x: x["environment"].update({k: None for k, v in x["environment"].items() if isinstance(v, str)}))
save("empty-environment", lambda x: x["environment"].update({k: "" for k, v in x["environment"].items() if isinstance(v, str)}))
def prov(x):
    x["providers"] = {"source": "p.txt", "randr_version": None, "supported": True, "list": [
        {"index": 0, "id": "0x47", "caps": "0x2", "crtcs": 0, "outputs": 0, "associated": 0, "name": None, "pci_slot": "0000:00:02.0", "offload_sink": "0x0", "output_source": "0x0"},
        {"index": 1, "id": "0x48", "caps": "0x0", "crtcs": 0, "outputs": 0, "associated": 0, "name": "", "pci_slot": "0000:09:00.0", "offload_sink": "0x0", "output_source": "0x0"}]}
    for p in x["pci"]: p["role"] = None if p["slot"] == "0000:00:02.0" else p["role"]
save("provider-roles", prov)
PY2
mkdir -p "$TMP/no-root"
for f in "$TMP"/absent-*.json; do
	n=$(basename "$f" .json)
	for cmd in "plan" "--json plan" "plan gvt-nouveau-offload" "plan compute-only" "apply --dry-run" "report --format md" "report --format json" "run --print" "session --dry-run"; do
		# shellcheck disable=SC2086
		$P --snapshot "$f" --root "$TMP/no-root" $cmd > "$TMP/out" 2> "$TMP/err"; rc=$?
		if { [ $rc -eq 0 ] || [ $rc -eq 3 ]; } && ! grep -qE "runtime error|Sanitizer" "$TMP/err"; then
			pass "$n: $cmd"
		else
			fail "$n: $cmd (exit $rc)"; grep -E "runtime error|ERROR" "$TMP/err" | head -2
		fi
	done
done
grep -q "ok       machine-q35: q35 machine (as the snapshot records; it lists no host bridge)" \
	"$($P --snapshot "$TMP/absent-host-bridge.json" plan > "$TMP/hb.txt" 2>&1; echo "$TMP/hb.txt")" \
	&& pass "q35 without a host bridge said so" || fail "q35 without a host bridge said so"

# plan and apply agree: an admin's file that fights the topology makes apply refuse, and plan says
# so with the same words and the same exit status
expect_exit 3 "plan: apply would refuse" $P --root "$FIX/user-xorg-conf" plan
grep "refusing to apply" "$TMP/err" > "$TMP/plan-refusal"
cp -a "$FIX/user-xorg-conf" "$TMP/uxc"
expect_exit 3 "apply refuses" $P --root "$TMP/uxc" apply --dry-run
grep "refusing to apply" "$TMP/err" > "$TMP/apply-refusal"
[ -s "$TMP/plan-refusal" ] && cmp -s "$TMP/plan-refusal" "$TMP/apply-refusal" \
	&& pass "plan and apply refuse in the same words" || { fail "plan and apply refuse in the same words"; cat "$TMP/plan-refusal" "$TMP/apply-refusal"; }
$P --root "$FIX/user-xorg-conf" --json plan > "$TMP/j" 2>/dev/null; rc=$?
[ $rc -eq 3 ] && grep -q '"apply_refused": "/etc/X11/xorg.conf.d/20-nvidia.conf:6: ' "$TMP/j" \
	&& pass "plan --json: apply_refused" || fail "plan --json: apply_refused (exit $rc)"
grep -q '"apply_refused": null' "$FIX/gvt-nouveau-offload/expected/plan.json" && pass "apply_refused null when apply writes" || fail "apply_refused null when apply writes"

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
# every error of a file, in line order, and every bad file of several
printf '[profile]\nname = row\nstatus = fine\nsumary = s\npriority = high\n[match]\nroles = gvt gpu\n' > "$TMP/10-row.ini"
expect_exit 1 "validate: a file with four errors" $P profiles validate "$TMP/10-row.ini" "$TOP/profiles/10-gvt-nouveau-offload.ini" "$TMP/bad.ini"
sed "s|^$TMP/||" "$TMP/err" | grep -v ' profiles have errors$' > "$TMP/err.short"
cat > "$TMP/want" <<'WANT'
10-row.ini:1: [profile] needs 'summary = ...'; see profiles/README
10-row.ini:3: status 'fine' is not one of works, needs-patch, untested, broken, never
10-row.ini:4: unknown key 'sumary' in [profile]; did you mean 'summary'?
10-row.ini:5: priority 'high' is not a number from 0 to 1000
10-row.ini:7: unknown role 'gpu'; roles are gvt, intel-igpu, nvidia-muxless, nvidia-outputs, qxl, virtio-gpu, bochs, cirrus, vmware-svga, unknown
bad.ini:1: [profile] needs 'status = ...'; see profiles/README
bad.ini:1: [profile] needs 'summary = ...'; see profiles/README
bad.ini:1: [profile] needs 'priority = ...'; see profiles/README
bad.ini:1: no [match] section; say which devices the row needs (roles = ...)
WANT
diff "$TMP/want" "$TMP/err.short" > /dev/null && pass "validate: every error of every file, in line order" || { fail "validate: every error of every file, in line order"; diff "$TMP/want" "$TMP/err.short"; }
grep -qx '2 of 3 profiles have errors' "$TMP/err" && pass "validate: how many files are bad" || fail "validate: how many files are bad"

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
