#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The NVDR device carved from QEMU's NVDIMM SSDT, wrapped back into an SSDT
# as the consumer does, loads in acpiexec over Xen's qemu-xen DSDT; the same
# device named PCI0 collides in acpiexec (AE_ALREADY_EXISTS) and in our
# namespace module alike.
set -u
: "${top_builddir:=.}" "${DMACPI_TESTDATA:=$(dirname "$0")/../data}"
wrap="$top_builddir/tests/oracle/wrap-device"
dsdt="$DMACPI_TESTDATA/xen/DSDT_20920.aml"
ssdt="$DMACPI_TESTDATA/qemu/SSDT.dimmpxm"

echo "1..6"
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

"$wrap" -x "$dsdt" "$ssdt" "$tmp/nvdr.aml" >"$tmp/ours.ok" 2>&1
rc=$?
if [ $rc -eq 0 ] && [ ! -s "$tmp/ours.ok" ]; then
	echo "ok 1 - carved NVDR does not collide with Xen's namespace"
else
	echo "not ok 1 - carved NVDR: wrap-device exit $rc"
	sed 's/^/# /' "$tmp/ours.ok"
fi
"$wrap" -n PCI0 -x "$dsdt" "$ssdt" "$tmp/pci0.aml" >"$tmp/ours.bad" 2>&1
rc=$?
if [ $rc -eq 1 ] && grep -qx 'collision \\_SB_\.PCI0' "$tmp/ours.bad"; then
	echo "ok 2 - the device renamed PCI0 collides in the namespace module"
else
	echo "not ok 2 - renamed PCI0: exit $rc, expected a collision on \\_SB_.PCI0"
	sed 's/^/# /' "$tmp/ours.bad"
fi

if ! command -v acpiexec >/dev/null 2>&1; then
	for i in 3 4 5 6; do echo "$([ "${DMACPI_REQUIRE_ORACLE:-0}" = 0 ] || echo "not ")ok $i # SKIP acpiexec not installed"; done
	exit 0
fi

acpiexec -b "namespace" "$dsdt" "$tmp/nvdr.aml" </dev/null >"$tmp/acpi.ok" 2>&1
if grep -q 'AML tables successfully acquired and loaded' "$tmp/acpi.ok" &&
   ! grep -q 'Error' "$tmp/acpi.ok" &&
   grep -Eq '^Table \[SSDT: WRAPDEV \] \(id [0-9]+\) - +[1-9][0-9]* Objects' "$tmp/acpi.ok"; then
	echo "ok 3 - acpiexec loads the wrapped NVDR over Xen's DSDT without error"
else
	echo "not ok 3 - acpiexec did not load the wrapped NVDR cleanly"
	grep -E 'Error|Table \[|loaded' "$tmp/acpi.ok" | head -10 | sed 's/^/# /'
fi
if grep -Eq '^ +1 +NVDR Device' "$tmp/acpi.ok" && grep -Eq '^ +2 +MEMA ' "$tmp/acpi.ok" &&
   grep -Eq '^ +2 +NV02 Device' "$tmp/acpi.ok"; then
	echo "ok 4 - \\_SB.NVDR with its NV02 and the carried MEMA is in acpiexec's namespace"
else
	echo "not ok 4 - \\_SB.NVDR, NV02 or MEMA missing from acpiexec's namespace"
fi
acpiexec -b "namespace" "$dsdt" "$tmp/pci0.aml" </dev/null >"$tmp/acpi.bad" 2>&1
if grep -q 'Failure creating named object \[\\_SB\.PCI0\], AE_ALREADY_EXISTS' "$tmp/acpi.bad"; then
	echo "ok 5 - acpiexec reports AE_ALREADY_EXISTS for \\_SB.PCI0"
else
	echo "not ok 5 - acpiexec did not report the PCI0 collision"
	grep -E 'Error|Table \[' "$tmp/acpi.bad" | head -5 | sed 's/^/# /'
fi
# Running the carved methods resolves MEMA: _FIT calls NCAL, which reads
# MEMA first.  (acpiexec has no NVDIMM behind the region, so NCAL may stop
# later on the data it reads; what matters is that no name is missing.)
acpiexec -b "execute \\_SB.NVDR._FIT" "$dsdt" "$tmp/nvdr.aml" </dev/null >"$tmp/acpi.run" 2>&1
if grep -q 'NVDR.NCAL' "$tmp/acpi.run" && ! grep -q 'AE_NOT_FOUND' "$tmp/acpi.run"; then
	echo "ok 6 - \\_SB.NVDR._FIT reaches NCAL in acpiexec and no name is missing (MEMA resolves)"
else
	echo "not ok 6 - \\_SB.NVDR._FIT failed in acpiexec"
	grep -E 'Error|AE_|Evaluation' "$tmp/acpi.run" | head -5 | sed 's/^/# /'
fi
