#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Scenario 1: QEMU's vNVDIMM area (NFIT + NVDR) for a domain the toolstack
# marked as having a vNVDIMM is approved unchanged, with the right CRC,
# SHA-256 digest and permissions; the simulated hvmloader loads it and ACPICA finds no clash.
. "$top_srcdir/tests/e2e/lib.sh"
e2e_setup
plan 17

daemon_start
d=$(domain_create --name nv1 --key platform/nvdimm=1)
len=$(stat -c %s "$AREA")
"$XENSIM" qemu "$d" --area "$AREA"
check "a final verdict" wait_input "$d" "0x100000:$len:2"
is "approved" "$(verdict "$d" state)" approved
is "address" "$(verdict "$d" address)" 0x100000
is "length unchanged" "$(verdict "$d" length)" "$len"
is "count" "$(verdict "$d" count)" 2
is "nothing dropped" "$(verdict "$d" dropped)" 0
is "first decision is generation 1" "$(verdict "$d" generation)" 1
is "checksum is the CRC of the area" "$(verdict "$d" checksum)" "$(crc_of "$AREA")"
is "digest is sha256sum of guest RAM [address, address+length)" "$(verdict "$d" digest)" \
	"$(ram_digest "$d" "$(verdict "$d" address)" "$(verdict "$d" length)")"
is "which is the digest of the area the device model wrote" "$(verdict "$d" digest)" \
	"sha256:$(sha256sum <"$AREA" | cut -d' ' -f1)"
"$XENSIM" ram "$d" --read 0x100000 "$len" >"$WORK/ram"
check "guest RAM unchanged" cmp -s "$WORK/ram" "$AREA"
is "verdict node: dom0 owns, the domain reads" \
	"$("$XENSIM" perms "/local/domain/$d/hvmloader/dm-acpi-verdict")" "n0 r$d"
is "verdict keys: same permissions" \
	"$("$XENSIM" perms "/local/domain/$d/hvmloader/dm-acpi-verdict/checksum")" "n0 r$d"
is "the digest too" \
	"$("$XENSIM" perms "/local/domain/$d/hvmloader/dm-acpi-verdict/digest")" "n0 r$d"
check "the decision names its rule" \
	log_has "^dom$d \\(nv1\\) blob 0 table NFIT: allow by $POLICY:[0-9]+"
"$XENSIM" hvmloader "$d" --out "$WORK/guest" >"$WORK/hvmloader.out" 2>&1
like "hvmloader loads the table and the device" "$(cat "$WORK/hvmloader.out")" \
	"approved: loaded 1 table\\(s\\) and 1 device\\(s\\)"
if [ -x "${ACPIEXEC:-/usr/bin/acpiexec}" ]; then
	check "acpiexec loads Xen's DSDT + NFIT + the NVDR SSDT cleanly" \
		"$XENSIM" oracle "$WORK/guest"
else
	skip "acpiexec not installed"
fi
finish
