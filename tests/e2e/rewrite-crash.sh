#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# dmacpid killed between writing a rewritten area into guest memory and
# publishing its verdict: the dom0-only rewrite record lets the restarted
# daemon approve what it had approved (the compacted area, its CRC and
# digest), and a record that no longer matches guest memory or the inputs
# is dropped: the record holds the SHA-256 digest of the rewritten bytes,
# so a device model that restores their CRC-32 after changing them does not
# pass its bytes off as the daemon's rewrite.
# Normal decisions leave no record.  The simulated hypervisor kills the
# daemon when it unmaps the domain's area (xensim crash-at unmap D), which
# it does after the write-back and before the verdict.
. "$top_srcdir/tests/e2e/lib.sh"
e2e_setup
plan 26

RW=/local/domain/0/dmacpid/rewrite
# No rule allows NVD1 itself: the rewrite is finished as recorded, not
# decided again (the renamed device would match no rule).
sed -i -e 's|^allow  *device NVDR .*|rename device NVDR to NVD1 if hid "ACPI0012" and domain-key platform/nvdimm == "1"|' \
	-e 's|^allow  *table NFIT .*|set-oem table NFIT to XEN XENNFIT if domain-key platform/nvdimm == "1"|' "$POLICY"
"$DMACPICTL" pack --table "$DATA/qemu/NFIT.dimmpxm" --table "$DATA/qemu/FACP" \
	--devices-from "$DATA/qemu/SSDT.dimmpxm" -o "$WORK/rw.area" >/dev/null
len=$(stat -c %s "$WORK/rw.area")

# The reference: the same area decided without a crash.
daemon_start
d0=$(domain_create --name ref --key platform/nvdimm=1)
"$XENSIM" qemu "$d0" --area "$WORK/rw.area"
check "reference decision" wait_input "$d0" "0x100000:$len:3"
ref="$(verdict "$d0" state) $(verdict "$d0" length) $(verdict "$d0" count) $(verdict "$d0" dropped) $(verdict "$d0" checksum) $(verdict "$d0" digest)"
alen=$(verdict "$d0" length)
like "it compacts the area" "$ref" "^approved [0-9]+ 2 1 0x[0-9a-f]{8} sha256:[0-9a-f]{64}$"
is "a normal decision leaves no rewrite record" "$("$XENSIM" ls "$RW" 2>/dev/null)" ""
daemon_stop

# crash_on D: arm the crash point, start, give D the area, wait until the daemon
# dies in the window; its exit status is the signal's (a daemon that does
# not die is stopped after 60 s with SIGTERM: 143).
crash_on() {
	local rc=0 dog
	"$XENSIM" crash-at unmap "$1"
	daemon_start
	"$XENSIM" qemu "$1" --area "$WORK/rw.area"
	(sleep 60; kill -TERM "$DPID") >/dev/null 2>&1 &
	dog=$!
	wait "$DPID" || rc=$?
	kill "$dog" 2>/dev/null
	DPID=
	return $rc
}

d1=$(domain_create --name crash --key platform/nvdimm=1)
crash_on "$d1" 2>/dev/null; rc=$?
is "killed between the write-back and the verdict" "$rc" 137
is "no final verdict was written" "$(verdict "$d1" state | sed 's/^pending$//')" ""
"$XENSIM" ram "$d1" --read 0x100000 "$len" >"$WORK/ram1"
is "guest memory already holds the compacted area" \
	"$(crc_of "$WORK/ram1" "$alen") $(ram_digest "$d1" 0x100000 "$alen")" \
	"$(verdict "$d0" checksum) $(verdict "$d0" digest)"
like "the record names the inputs, length, count, dropped and digest" \
	"$(xs_read "$RW/$d1")" "^[0-9a-f]{32} 0x100000:$len:3 $alen 2 1 $(verdict "$d0" digest)$"
is "the record and its directory are dom0's alone" \
	"$("$XENSIM" perms "$RW/$d1") $("$XENSIM" perms "$RW")" "n0 n0"
"$XENSIM" read "$RW/$d1" --as-domain "$d1" >/dev/null 2>&1
is "the guest cannot read it: EACCES" "$?" 13

daemon_start
check "the restarted daemon decides" wait_input "$d1" "0x100000:$len:3"
is "approved as before, the compacted length, count, dropped, CRC and digest" \
	"$(verdict "$d1" state) $(verdict "$d1" length) $(verdict "$d1" count) $(verdict "$d1" dropped) $(verdict "$d1" checksum) $(verdict "$d1" digest)" "$ref"
"$XENSIM" ram "$d1" --read 0x100000 "$len" >"$WORK/ram1"
is "the checksum is the CRC of guest memory" "$(verdict "$d1" checksum)" "$(crc_of "$WORK/ram1" "$alen")"
is "the digest is sha256sum of guest memory [address, address+length)" "$(verdict "$d1" digest)" \
	"$(ram_digest "$d1" "$(verdict "$d1" address)" "$(verdict "$d1" length)")"
is "one decision" "$(verdict "$d1" generation)" 1
is "the record is gone" "$(xs_read "$RW/$d1")" ""
check "the finished rewrite is logged" log_has "dom$d1: finishing a rewrite"
"$XENSIM" hvmloader "$d1" >"$WORK/hvmloader.out" 2>&1
like "hvmloader loads the rewritten table and device" "$(cat "$WORK/hvmloader.out")" \
	"approved: loaded 1 table\\(s\\) and 1 device\\(s\\)"
daemon_stop

# Guest memory changed after the crash, its CRC-32 restored (four bytes of
# the NFIT's reserved field): the record does not describe it.
d2=$(domain_create --name tampered --key platform/nvdimm=1)
crash_on "$d2" 2>/dev/null; rc=$?
is "second crash" "$rc" 137
"$XENSIM" ram "$d2" --read 0x100000 "$alen" >"$WORK/ram2"
python3 -c 'import sys; d = bytearray(open(sys.argv[1], "rb").read()); d[0x10] = ord("X")
open(sys.argv[2], "wb").write(d)' "$WORK/ram2" "$WORK/ram2.x"
python3 "$top_srcdir/tests/lib/crc-forge.py" "$WORK/ram2" "$WORK/ram2.x" 44 "$WORK/ram2.forged" >/dev/null
"$XENSIM" ram "$d2" --write 0x100000 "$WORK/ram2.forged"
is "the tampered area has the rewrite's CRC-32, not its digest" \
	"$("$XENSIM" crc --ram "$d2" 0x100000 "$alen") $(ram_digest "$d2" 0x100000 "$alen" | grep -c "$(verdict "$d0" digest)")" \
	"$(verdict "$d0" checksum) 0"
# Inputs changed after the crash: the record answers other inputs.  (The
# daemon started for this crash decides the tampered domain first.)
d3=$(domain_create --name moved --key platform/nvdimm=1)
crash_on "$d3" 2>/dev/null; rc=$?
is "third crash" "$rc" 137
is "the tampered area was decided as a whole, and refused" \
	"$(verdict "$d2" input) $(verdict "$d2" state)" "0x100000:$len:3 rejected"
check "not taken for the daemon's own rewrite" sh -c "! grep -q 'dom$d2: finishing a rewrite' '$LOG'"
is "only the third crash's record is there" "$("$XENSIM" ls "$RW")" "$d3"
"$XENSIM" qemu "$d3" --area "$WORK/rw.area" --at 0x200000

daemon_start
check "the moved area is decided" wait_input "$d3" "0x200000:$len:3"
is "approved from its new inputs" \
	"$(verdict "$d3" state) $(verdict "$d3" length) $(verdict "$d3" count) $(verdict "$d3" dropped) $(verdict "$d3" checksum) $(verdict "$d3" digest)" "$ref"
is "no record is left" "$("$XENSIM" ls "$RW" 2>/dev/null)" ""
finish
