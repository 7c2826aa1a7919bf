#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Scenario 1: QEMU's vNVDIMM area (NFIT + NVDR) for a domain the toolstack
# marked as having a vNVDIMM is approved unchanged, with the right CRC,
# SHA-256 digest and permissions; the simulated hvmloader loads it and ACPICA finds no clash.
# The same question again (the same bytes and facts) reuses the answer; the
# same bytes with other facts are a new question.
. "$top_srcdir/tests/e2e/lib.sh"
e2e_setup
plan 24

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
	"$(digest_of "$AREA")"
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
	skip_oracle "acpiexec not installed"
fi

# A guest of the same configuration: the answer reused, the same verdict.
reused() { log_has "^dom$1: the same question as an earlier decision .* answer reused"; }
d2=$(domain_create --name nv2 --key platform/nvdimm=1)
"$XENSIM" qemu "$d2" --area "$AREA"
wait_input "$d2" "0x100000:$len:2"
is "the same area and facts: the same verdict" \
	"$(verdict "$d2" state) $(verdict "$d2" digest)" "approved $(verdict "$d" digest)"
check "the answer was reused" reused "$d2"
# Without the key the policy tests: a new question, NFIT denied and dropped.
d3=$(domain_create --name nv3)
"$XENSIM" qemu "$d3" --area "$AREA"
wait_input "$d3" "0x100000:$len:2"
check "other facts: decided anew" \
	log_has "^dom$d3 \\(nv3\\) blob 0 table NFIT: deny by $POLICY:[0-9]+"
check "not reused" sh -c "! grep -Eq '^dom$d3: the same question' '$LOG'"
# Its twin gets the rewritten area written back from the reused answer.
d4=$(domain_create --name nv4)
"$XENSIM" qemu "$d4" --area "$AREA"
wait_input "$d4" "0x100000:$len:2"
check "the twin's answer was reused" reused "$d4"
# Both blobs dropped: each area is zeros now, a CRC known without the daemon.
head -c "$len" /dev/zero >"$WORK/zeros"
zeros=$(crc_of "$WORK/zeros")
is "and its guest memory rewritten the same way (both blobs dropped: zeros)" \
	"$(verdict "$d4" state) $(verdict "$d4" count) $("$XENSIM" crc --ram "$d4" 0x100000 "$len") $("$XENSIM" crc --ram "$d3" 0x100000 "$len")" \
	"approved 0 $zeros $zeros"
# systemd's status line counts them: four decisions, two of them reused.
check "STATUS= says how many decisions reused an earlier answer" \
	_until 0 _last_status "; 2 of 4 decisions reused an earlier answer\$"
finish
