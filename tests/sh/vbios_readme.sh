# README "Getting your VBIOS": every vbios command shown runs as written, on the
# real ROMs it names (skeletons of them, tests/vbios/real), and prints what the
# README shows ("..." stands for any lines).
. "$TOP/tests/lib.sh"
D="$TOP/tests/vbios/real"
W="$TMP/work"; mkdir -p "$W" "$TMP/bin"
python3 "$TOP/scripts/romskel.py" build "$D/maxwell-quadro-m1200-laptop.skel" "$W/vbios.rom"
python3 "$TOP/scripts/romskel.py" build "$D/maxwell-quadro-m2000m-modified.skel" "$W/m2000m-nvflash.rom"
mkdir -p "$TMP/roms"; python3 "$TOP/scripts/mkroms.py" roms "$TOP/tests/vbios/roms.spec" "$TMP/roms" >/dev/null
python3 "$TOP/scripts/mkroms.py" fv "$W/bios-update.bin" --rom "$TMP/roms/nv-muxless.rom"
ln -s "$OG" "$TMP/bin/optimus-guest"

# the README's blocks: command after "$ ", then the expected output
python3 - "$TOP/README.md" "$TMP/blocks" <<'PY'
import os, sys
text = open(sys.argv[1]).read()
sec = text[text.index("### Getting your VBIOS"):text.index("### When it fails")]
os.makedirs(sys.argv[2])
n = 0
lines = sec.split("\n")
i = 0
while i < len(lines):
    l = lines[i].strip()
    if l.startswith("$ optimus-guest vbios") and "sudo" not in l:
        j = i + 1
        out = []
        while lines[j].strip() != "```":
            out.append(lines[j][3:] if lines[j].startswith("   ") else lines[j])
            j += 1
        n += 1
        open(os.path.join(sys.argv[2], "%d.cmd" % n), "w").write(l[2:] + "\n")
        open(os.path.join(sys.argv[2], "%d.out" % n), "w").write("\n".join(out) + ("\n" if out else ""))
        i = j
    i += 1
PY
count=$(ls "$TMP/blocks"/*.cmd 2>/dev/null | wc -l)
check "README shows vbios commands to run ($count)" test "$count" -ge 3
for c in "$TMP/blocks"/*.cmd; do
	cmd=$(cat "$c")
	(cd "$W" && PATH="$TMP/bin:$PATH" sh -c "$cmd") > "$TMP/got" 2> "$TMP/err"; rc=$?
	check "README '$cmd' exits 0" test "$rc" = 0
	check "README '$cmd' prints what the README shows" python3 - "${c%.cmd}.out" "$TMP/got" <<'PY'
import sys
want = open(sys.argv[1]).read().splitlines()
got = open(sys.argv[2]).read().splitlines()
def match(w, g):
    if not w:
        return True  # a block with no output shown: anything
    if w[0] == "...":
        return any(match(w[1:], g[k:]) for k in range(len(g) + 1)) if len(w) > 1 else True
    return bool(g) and w[0] == g[0] and match(w[1:], g[1:])
if not match(want, got):
    print("wanted:\n" + "\n".join(want) + "\ngot:\n" + "\n".join(got))
    sys.exit(1)
PY
done
