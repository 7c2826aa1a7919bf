#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# xensim oracle (ACPICA's acpiexec) passes a clean set and flags the
# problems it is given: a namespace collision, a missing scope, a bad
# checksum, a device whose _INI changes an object of Xen's.
. "$top_srcdir/tests/lib/tap.sh"
XENSIM=${XENSIM:-$top_builddir/tests/sim/xensim}
command -v acpiexec >/dev/null || oracle_unavailable "acpiexec (acpica-tools) missing"
command -v iasl >/dev/null || oracle_unavailable "iasl (acpica-tools) missing"
plan 16

W=$(mktemp -d /tmp/xo.XXXXXX)
trap 'rm -rf "$W"' EXIT
DSDT=$DMACPI_TESTDATA/xen/DSDT_20920.aml

# set NAME FILE...: a directory of tables for the oracle.
set_of() {
	local d=$W/$1
	shift
	mkdir -p "$d"
	cp "$@" "$d/"
	echo "$d"
}
# asl NAME BODY: compile an SSDT around BODY.
asl() {
	printf 'DefinitionBlock ("", "SSDT", 2, "TEST", "%s", 1)\n{\n%s\n}\n' "$1" "$2" >"$W/$1.asl"
	iasl -vs -p "$W/$1" "$W/$1.asl" >/dev/null 2>&1
}

d=$(set_of clean "$DSDT" "$DMACPI_TESTDATA/qemu/SSDT.dimmpxm")
mv "$d/SSDT.dimmpxm" "$d/SSDT.aml"
out=$("$XENSIM" oracle "$d"); rc=$?
is "Xen's DSDT + QEMU's NVDIMM SSDT is clean" "$rc" 0
like "and says so" "$out" "^clean: 2 tables"

asl COLL 'Scope (\_SB) { Device (PCI0) { Name (_HID, "ACPI0012") } }'
check "iasl builds the colliding SSDT" [ -s "$W/COLL.aml" ]
d=$(set_of coll "$W/COLL.aml" "$DSDT")
out=$("$XENSIM" oracle "$d"); rc=$?
is "an SSDT redefining \\_SB.PCI0 is flagged" "$rc" 1
like "as a collision" "$out" 'collision: .*\[\\_SB.PCI0\], AE_ALREADY_EXISTS'

asl MISS 'External (\_SB.PCI9, DeviceObj) Scope (\_SB.PCI9) { Name (XXXX, One) }'
d=$(set_of miss "$DSDT" "$W/MISS.aml")
out=$("$XENSIM" oracle "$d"); rc=$?
is "a scope that does not exist is flagged" "$rc" 1
like "as not found" "$out" "not-found: .*AE_NOT_FOUND"

asl GOOD 'Scope (\_SB) { Device (NVX0) { Name (_HID, "ACPI0012") } }'
python3 -c 'import sys; b = bytearray(open(sys.argv[1], "rb").read()); b[9] ^= 0x55; open(sys.argv[2], "wb").write(b)' \
	"$W/GOOD.aml" "$W/BAD.aml"
d=$(set_of csum "$DSDT" "$W/BAD.aml")
out=$("$XENSIM" oracle "$d"); rc=$?
is "a bad checksum is flagged" "$rc" 1
like "as a checksum error" "$out" "checksum: "

d=$(set_of good "$DSDT" "$W/GOOD.aml")
"$XENSIM" oracle "$d" >/dev/null
is "a well-formed extra device is clean" "$?" 0

# Xen's part of the namespace must be the same after the device's _INI.
asl OVER 'External (\_SB.PCI0, DeviceObj)
Scope (\_SB) { Device (NVDR) { Name (_HID, "ACPI0012")
Method (_INI) { CopyObject (One, \_SB.PCI0) } } }'
d=$(set_of over "$DSDT" "$W/OVER.aml")
out=$("$XENSIM" oracle "$d"); rc=$?
is "a device whose _INI overwrites \\_SB.PCI0 is flagged" "$rc" 1
like "as a change of its type" "$out" '^changed: \\_SB_.PCI0 was Device, is Integer = 0*1 '

asl VAL 'External (\PICD, IntObj)
Scope (\_SB) { Device (NVDR) { Name (_HID, "ACPI0012")
Method (_INI) { Store (5, \PICD) } } }'
d=$(set_of val "$DSDT" "$W/VAL.aml")
out=$("$XENSIM" oracle "$d"); rc=$?
is "a device whose _INI stores into \\PICD is flagged" "$rc" 1
like "as a change of its value" "$out" '^changed: \\PICD was Integer = 0*, is Integer = 0*5 '

# The same device writing only its own objects changes nothing of Xen's.
asl OWN 'Scope (\_SB) { Device (NVDR) { Name (_HID, "ACPI0012") Name (VAL0, Zero)
Method (_INI) { Store (5, VAL0) CopyObject (One, VAL0) } } }'
d=$(set_of own "$DSDT" "$W/OWN.aml")
out=$("$XENSIM" oracle "$d"); rc=$?
is "a device writing only its own objects is clean" "$rc" 0
like "and says so" "$out" "^clean: 2 tables"
finish
