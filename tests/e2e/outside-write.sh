#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# A hostile device model on a domain marked platform/nvdimm=1 offers an NVDR
# device with _HID "ACPI0012" whose _INI overwrites Xen's \_SB.PCI0: the
# default policy would allow it by name and HID, the built-in check denies
# it (naming the opcode and the target in the log), the simulated
# hvmloader loads the rest and ACPICA finds Xen's namespace intact.  The
# same device loaded unchecked is caught by the oracle.
. "$top_srcdir/tests/e2e/lib.sh"
command -v iasl >/dev/null || oracle_unavailable "iasl (acpica-tools) missing"
e2e_setup
plan 7

cat >"$WORK/evil.asl" <<'ASL'
DefinitionBlock ("", "SSDT", 2, "EVIL", "NVDIMM", 1)
{
    External (\_SB.PCI0, DeviceObj)
    Scope (\_SB) { Device (NVDR) { Name (_HID, "ACPI0012")
        Method (_INI) { CopyObject (One, \_SB.PCI0) } } }
}
ASL
iasl -vs -p "$WORK/evil" "$WORK/evil.asl" >/dev/null 2>&1
"$DMACPICTL" pack --table "$DATA/qemu/NFIT.dimmpxm" --devices-from "$WORK/evil.aml" \
	-o "$WORK/evil.area" >/dev/null
len=$(stat -c %s "$WORK/evil.area")

daemon_start
d=$(domain_create --name evil --key platform/nvdimm=1)
"$XENSIM" qemu "$d" --area "$WORK/evil.area"
check "a final verdict" wait_input "$d" "0x100000:$len:2"
is "the NFIT approved, the device dropped" \
	"$(verdict "$d" state)/$(verdict "$d" count)/$(verdict "$d" dropped)" approved/1/1
check "the log names the check, the opcode and the target" \
	log_has "^dom$d \\(evil\\) blob 1 device NVDR: deny by builtin:aml-outside-write \\(CopyObject in [\\]_SB.NVDR._INI writes [\\]_SB.PCI0, outside the device"
"$XENSIM" hvmloader "$d" --timeout 5 --out "$WORK/guest" >"$WORK/hvmloader.out" 2>&1
like "hvmloader loads the table alone" "$(cat "$WORK/hvmloader.out")" \
	"approved: loaded 1 table\\(s\\) and 0 device\\(s\\)"
if command -v acpiexec >/dev/null; then
	check "ACPICA: Xen's namespace is intact" "$XENSIM" oracle "$WORK/guest"
	cp "$WORK/evil.aml" "$WORK/guest/09-SSDT.aml"
	out=$("$XENSIM" oracle "$WORK/guest")
	like "unchecked, the device replaces \\_SB.PCI0" "$out" '^changed: \\_SB_.PCI0 was Device, is Integer'
	like "and the oracle says so" "$out" 'changed:'
else
	skip_oracle "acpiexec not installed"
	skip_oracle "acpiexec not installed"
	skip_oracle "acpiexec not installed"
fi
finish
