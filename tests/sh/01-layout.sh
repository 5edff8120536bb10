#!/bin/sh
# The source tree's layering (src/README): each folder includes only the folders it may,
# each header is named after its source, nothing below cli/ prints, and no file reaches
# 600 lines.
. "$(dirname "$0")/../lib.sh"
cd "$TOP"

allowed() {
	case $1 in
	util) echo "" ;;
	model) echo "util" ;;
	probe) echo "model util" ;;
	plan) echo "model util" ;;
	apply) echo "plan probe model util" ;;
	report) echo "plan model util" ;;
	vbios) echo "util" ;;
	acpi) echo "vbios util" ;;
	host) echo "model vbios util" ;;
	libvirt) echo "host acpi vbios util model" ;;
	cli) echo "util model probe plan apply report vbios acpi host libvirt" ;;
	*) echo "?" ;;
	esac
}

bad=""
for f in src/*/*.c src/*/*.h; do
	dir=${f#src/}; dir=${dir%%/*}
	ok=$(allowed "$dir")
	[ "$ok" = "?" ] && { bad="$bad\n$f: folder '$dir' is not in src/README"; continue; }
	for inc in $(sed -n 's|^#include "\([a-z_]*\)/.*|\1|p' "$f" | sort -u); do
		[ "$inc" = "$dir" ] && continue
		case " $ok " in *" $inc "*) ;; *) bad="$bad\n$f includes $inc/ ($dir/ may include: ${ok:-nothing})" ;; esac
	done
done
if [ -z "$bad" ]; then pass "every include follows src/README's direction"; else fail "includes against the direction:$(printf "$bad")"; fi

stray=$(ls src/*.c src/*.h 2>/dev/null)
if [ -z "$stray" ]; then pass "no source file outside a stage folder"; else fail "outside a folder: $stray"; fi

# A header shares its source's name, or is the folder's family header (probe.h for probe_*.c).
orphan=""
for h in src/*/*.h; do
	b=${h%.h}
	found=""
	for c in "$b".c "$b"_*.c; do [ -e "$c" ] && found=1; done
	[ -n "$found" ] && continue
	case $h in src/util/array.h|src/util/cleanup.h|src/util/unaligned.h|src/*/*_int.h|src/*/*_ops.h|src/cli/cli.h) continue ;; esac
	orphan="$orphan $h"
done
if [ -z "$orphan" ]; then pass "every header matches a source file"; else fail "headers without a source of their name:$orphan"; fi

printers=$(grep -lE '\b(printf|puts|putchar|perror|vprintf)[[:space:]]*\(|\bstd(out|err)\b' \
	$(ls src/*/*.c | grep -v '^src/cli/') 2>/dev/null)
if [ -z "$printers" ]; then pass "nothing below cli/ prints"; else fail "printing outside cli/: $printers"; fi

# Files stay small, one topic each: a source or header of 600 lines or more is to be split.
long=$(find src -name '*.[ch]' -exec wc -l {} + | awk '$2 != "total" && $1 >= 600 { printf " %s (%d lines)", $2, $1 }')
if [ -z "$long" ]; then pass "every source file under 600 lines"; else fail "files of 600 lines or more, split them along a topic:$long"; fi
