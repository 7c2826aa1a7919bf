#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Materialise, without Xen's source, the files the hvmloader series
# creates, as they stand after the whole series: every patch in `series`
# order, restricted to the files some patch creates, applied with patch(1).
#
#   extract.sh SERIES-DIR DEST-DIR
set -eu
[ $# -eq 2 ] || { echo "usage: $0 SERIES-DIR DEST-DIR" >&2; exit 2; }
dir=$1
dest=$2
mkdir -p "$dest"

patches=$(sed -e '/^#/d' -e '/^$/d' "$dir/series")
[ -n "$patches" ] || { echo "$dir/series is empty" >&2; exit 1; }

# The paths created ("new file mode" right after their diff --git line).
new=$(for p in $patches; do
	awk '/^diff --git / { path = substr($4, 3); next }
	     /^new file mode/ { print path }' "$dir/$p"
done | sort -u)

for p in $patches; do
	awk -v new="$new" '
		BEGIN { n = split(new, a, "\n"); for (i = 1; i <= n; i++) keep[a[i]] = 1 }
		/^diff --git / { on = (substr($4, 3) in keep) }
		on' "$dir/$p" >"$dest/.part"
	if [ -s "$dest/.part" ]; then
		patch -s -d "$dest" -p1 -F0 --no-backup-if-mismatch <"$dest/.part"
	fi
done
rm -f "$dest/.part"
