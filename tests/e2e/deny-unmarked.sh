#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Scenario 3: a domain the toolstack did not mark as having a vNVDIMM gets
# neither the NFIT nor the NVDR device, per the default policy.  Its rules
# for them are `deny` (the blob is dropped, the rest continue), not
# `reject`: the area is approved, emptied, with both blobs dropped.
. "$top_srcdir/tests/e2e/lib.sh"
e2e_setup
plan 9

daemon_start
d=$(domain_create --name plain)
len=$(stat -c %s "$AREA")
"$XENSIM" qemu "$d" --area "$AREA"
check "a final verdict" wait_input "$d" "0x100000:$len:2"
is "approved, empty: state/length/count/dropped/checksum" \
	"$(verdict "$d" state)/$(verdict "$d" length)/$(verdict "$d" count)/$(verdict "$d" dropped)/$(verdict "$d" checksum)" \
	"approved/0/0/2/0x00000000"
# An approval of nothing carries the digest of nothing.
is "its digest is the SHA-256 of zero bytes" "$(verdict "$d" digest)" \
	"sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
# Dropped blobs are removed and the tail zeroed: the whole area the device
# model wrote is zeros now.
is "the dropped blobs are zeroed in guest RAM [0x100000, +$len)" \
	"$(ram_digest "$d" 0x100000 "$len")" \
	"$(head -c "$len" /dev/zero | digest_of)"
nfit_rule=$(grep -n '^deny table NFIT ' "$POLICY" | cut -d: -f1)
nvdr_rule=$(grep -n '^deny device NVDR ' "$POLICY" | cut -d: -f1)
check "NFIT denied by the policy's rule for it (line $nfit_rule)" \
	log_has "^dom$d \\(plain\\) blob 0 table NFIT: deny by $POLICY:$nfit_rule "
check "NVDR denied by the policy's rule for it (line $nvdr_rule)" \
	log_has "^dom$d \\(plain\\) blob 1 device NVDR: deny by $POLICY:$nvdr_rule "
"$XENSIM" hvmloader "$d" >"$WORK/hvmloader.out" 2>&1
like "hvmloader loads the approved, empty area: no device-model ACPI" \
	"$(cat "$WORK/hvmloader.out")" "loaded 0 table\\(s\\) and 0 device\\(s\\)"
# The toolstack's mark is not something the device model can forge.
"$XENSIM" write "/local/domain/$d/platform/nvdimm" 1 --as-domain "$d" 2>/dev/null; rc=$?
is "the guest cannot mark itself: EACCES, nothing written" \
	"$rc/$(xs_read "/local/domain/$d/platform/nvdimm")" "13/"
check "dmacpid still running" kill -0 "$DPID"
finish
