#!/bin/sh
# treehash.sh ROOT: one line per path under ROOT (type, mode, owner, size, link target,
# file mtime and SHA-256), sorted, so that two states of a tree compare with cmp/diff.
# Directory mtimes are left out: creating and removing an entry changes them.
cd "${1:?usage: treehash.sh ROOT}" || exit 1
find . -mindepth 1 \( -type d -printf '%P d %m %U:%G\n' \) -o \( -type l -printf '%P l %m %U:%G -> %l\n' \) \
	-o \( -type f -printf '%P f %m %U:%G %s %T@ ' -exec sh -c 'sha256sum < "$1" | cut -c1-64' _ {} \; \) \
	-o -printf '%P %y %m %U:%G\n' | LC_ALL=C sort
