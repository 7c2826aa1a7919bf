#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The README's first command, tests/demo, in this build (what it installs
# is there: --no-install): it ends with status 0, dmacpid approves the
# vNVDIMM blobs and drops the smuggled FACP and the PCI0 that collides with
# Xen's, the verdict shows its digest, and the patched hvmloader's tables
# load cleanly in ACPICA.
. "$top_srcdir/tests/lib/tap.sh"

command -v "${ACPIEXEC:-acpiexec}" >/dev/null || oracle_unavailable "no acpiexec (acpica-tools)"
WORK=$(mktemp -d /tmp/dmacpid-demo.XXXXXX) || exit 1
trap 'rm -rf "$WORK"' EXIT
plan 6

# The parent make's jobserver is not ours to use.
env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL BUILDDIR="$top_builddir" \
	sh "$top_srcdir/tests/demo" --no-install >"$WORK/out" 2>&1
rc=$?
grep -q '^cannot run the demo: ' "$WORK/out" &&
	xen_unavailable "$(grep '^cannot run the demo: ' "$WORK/out")"
is "tests/demo ends with status 0" "$rc" 0
[ "$rc" = 0 ] || diag "$(tail -20 "$WORK/out")"
out=$(cat "$WORK/out")
like "the vNVDIMM blobs approved, two dropped" "$out" \
	'dom[0-9]+ \(demo-guest\): approved, generation 1: 2 blobs, 2 dropped, length 2023, '
like "the smuggled FACP denied" "$out" 'blob 2 table FACP: deny by builtin:table-xen-only'
like "the PCI0 that collides with Xen's denied" "$out" 'blob 3 device PCI0: deny by builtin:ns-collision'
like "the verdict's digest shown" "$out" '  digest     sha256:[0-9a-f]{64}'
like "ACPICA loads the guest's tables cleanly" "$out" 'clean: 3 tables'
finish
