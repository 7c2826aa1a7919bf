#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Print the path of Debian's oxenstored (package xen-utils-4.17) without
# installing the package: `apt-get download` the .deb into a cache folder
# once and `dpkg -x` it there.  DMACPI_OXENSTORED=/path overrides all this;
# DMACPI_XEN_CACHE chooses the cache folder (default /var/cache/dmacpid-xen,
# or ~/.cache/dmacpid-xen when that is not writable).  Exits 1 when no
# oxenstored can be had.
set -u
rel=usr/lib/xen-4.17/bin/oxenstored

if [ -n "${DMACPI_OXENSTORED:-}" ]; then
	if [ -x "$DMACPI_OXENSTORED" ]; then
		echo "$DMACPI_OXENSTORED"
		exit 0
	fi
	echo "DMACPI_OXENSTORED=$DMACPI_OXENSTORED is not an executable" >&2
	exit 1
fi

home_cache=${XDG_CACHE_HOME:-${HOME:-/nonexistent}/.cache}/dmacpid-xen
for c in ${DMACPI_XEN_CACHE:-} /var/cache/dmacpid-xen "$home_cache"; do
	if [ -x "$c/root/$rel" ]; then
		echo "$c/root/$rel"
		exit 0
	fi
done

cache=
for c in ${DMACPI_XEN_CACHE:-} /var/cache/dmacpid-xen "$home_cache"; do
	if mkdir -p "$c" 2>/dev/null && [ -w "$c" ]; then
		cache=$c
		break
	fi
done
[ -n "$cache" ] || { echo "no writable cache folder for xen-utils-4.17" >&2; exit 1; }

# Several tests may get here at once: one extracts, the others wait.
exec 9>"$cache/.lock"
flock 9
if [ ! -x "$cache/root/$rel" ]; then
	deb=
	for c in "$cache" /var/cache/dmacpid-xen; do
		for f in "$c"/xen-utils-4.17_*.deb; do
			[ -f "$f" ] && deb=$f
		done
		[ -n "$deb" ] && break
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
	dpkg -x "$deb" "$cache/root.tmp" && [ -x "$cache/root.tmp/$rel" ] &&
		rm -rf "$cache/root" && mv "$cache/root.tmp" "$cache/root" || {
		echo "cannot extract $deb" >&2
		exit 1
	}
fi
echo "$cache/root/$rel"
