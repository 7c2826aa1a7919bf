#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Build the dmacpid .deb from this source tree (dpkg-buildpackage -b -us -uc
# on a copy, as tests/ops/deb.sh does) into OUTDIR and print its path.
# Reuses OUTDIR's .deb when no file of the source is newer than it; a lock
# lets several boots share one build.
set -eu
out=$1
mkdir -p "$out"
exec 9>"$out/.lock"
flock 9
deb=$(ls "$out"/dmacpid_*.deb 2>/dev/null | head -1 || true)
if [ -n "$deb" ] && [ -z "$(cd "$top_srcdir" && find daemon debian policy systemd man \
	configure.ac Makefile.am -newer "$deb" -type f 2>/dev/null | head -1)" ]; then
	echo "$deb"
	exit 0
fi
rm -rf "$out/src" "$out"/dmacpid_* "$out"/dmacpid-dbgsym_*
mkdir "$out/src"
(cd "$top_srcdir" && tar --exclude=.git --exclude=autom4te.cache --exclude='./build*' \
	--exclude='*.o' --exclude='*.a' -cf - .) | (cd "$out/src" && tar xf -)
# The package's own `make check` is the rest of the suite: skip it here.
(cd "$out/src" && env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL DEB_BUILD_OPTIONS=nocheck \
	dpkg-buildpackage -b -us -uc) >"$out/build.log" 2>&1 || {
	tail -30 "$out/build.log" >&2
	exit 1
}
rm -rf "$out/src"
ls "$out"/dmacpid_*.deb | head -1
