#!/bin/sh
# treehash.sh ROOT: one line per path under ROOT (type, mode, owner, size, link target,
# file mtime and SHA-256), sorted, so that two states of a tree compare with cmp/diff.
# Directory mtimes are left out: creating and removing an entry changes them.
cd "${1:?usage: treehash.sh ROOT}" || exit 1
{
	find . -mindepth 1 \( -type d -printf 'M %P\td %m %U:%G\n' \) -o \( -type l -printf 'M %P\tl %m %U:%G -> %l\n' \) \
		-o \( -type f -printf 'M %P\tf %m %U:%G %s %T@\n' \) -o -printf 'M %P\t%y %m %U:%G\n'
	find . -mindepth 1 -type f -print0 | xargs -0r sha256sum | sed 's|^\([0-9a-f]*\)  \./|H \1 |'
} | awk '
	/^M / { sub(/^M /, ""); i = index($0, "\t"); p = substr($0, 1, i - 1); meta[p] = substr($0, i + 1); next }
	/^H / { h = $2; p = substr($0, 68); hash[p] = h; next }
	END { for (p in meta) print p " " meta[p] (p in hash ? " " hash[p] : "") }' | LC_ALL=C sort
