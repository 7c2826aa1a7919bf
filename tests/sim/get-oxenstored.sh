#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Print the path of a file from Debian's xen-utils-4.17 without installing
# the package: `apt-get download` the .deb into a cache folder once and
# `dpkg -x` it there.  This is the one place that knows the cache's layout;
# the tests and xensim ask it for paths.
#
#   get-oxenstored.sh [FILE]
#
# FILE is relative to the package's /usr/lib/xen-4.17 (default
# bin/oxenstored; boot/hvmloader for Xen's hvmloader).
# DMACPI_OXENSTORED=/path overrides the oxenstored path (FILE's default).
# DMACPI_XEN_CACHE chooses the cache folder, and then it is the only one
# used (an empty one is filled: the fetch path); without it the default is
# /var/cache/dmacpid-xen, or ~/.cache/dmacpid-xen when that is not writable.
# Xen files under the system's /usr/lib/xen-4.17 are never used.
# Exits 1 when the file cannot be had.
set -u
file=${1:-bin/oxenstored}
rel=usr/lib/xen-4.17/$file

if [ $# = 0 ] && [ -n "${DMACPI_OXENSTORED:-}" ]; then
	if [ -x "$DMACPI_OXENSTORED" ]; then
		echo "$DMACPI_OXENSTORED"
		exit 0
	fi
	echo "DMACPI_OXENSTORED=$DMACPI_OXENSTORED is not an executable" >&2
	exit 1
fi

. "$(dirname "$0")/../lib/xen-cache.sh"
# Whole extractions only: root/ appears by a rename once complete.
for c in $(xen_cache_folders); do
	if [ -f "$c/root/$rel" ]; then
		echo "$c/root/$rel"
		exit 0
	fi
done

cache=$(xen_cache_folder) || exit 1

# Several tests may get here at once: one extracts, the others wait.
exec 9>"$cache/.lock"
flock 9
if [ ! -d "$cache/root" ]; then
	deb=
	for f in "$cache"/xen-utils-4.17_*.deb; do
		[ -f "$f" ] && deb=$f
	done
	if [ -z "$deb" ]; then
		(cd "$cache" && apt-get download xen-utils-4.17) >&2 || {
			echo "apt-get download xen-utils-4.17 failed" >&2
			exit 1
		}
		for f in "$cache"/xen-utils-4.17_*.deb; do
			[ -f "$f" ] && deb=$f
		done
	fi
	[ -n "$deb" ] || exit 1
	rm -rf "$cache/root.tmp"
	dpkg -x "$deb" "$cache/root.tmp" && [ -x "$cache/root.tmp/usr/lib/xen-4.17/bin/oxenstored" ] &&
		mv "$cache/root.tmp" "$cache/root" || {
		echo "cannot extract $deb" >&2
		exit 1
	}
fi
if [ ! -f "$cache/root/$rel" ]; then
	echo "xen-utils-4.17 has no $rel" >&2
	exit 1
fi
echo "$cache/root/$rel"
