#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Scenario 3: a domain the toolstack did not mark as having a vNVDIMM gets
# neither the NFIT nor the NVDR device, per the default policy.
. "$top_srcdir/tests/e2e/lib.sh"
e2e_setup
plan 7

daemon_start
d=$(domain_create --name plain)
len=$(stat -c %s "$AREA")
"$XENSIM" qemu "$d" --area "$AREA"
check "a final verdict" wait_input "$d" "0x100000:$len:2"
state=$(verdict "$d" state)
like "nothing approved" "$state/$(verdict "$d" count)" "^(rejected/|approved/0)"
check "NFIT denied by a rule of the policy" \
	log_has "^dom$d \\(plain\\) blob 0 table NFIT: deny by $POLICY:[0-9]+"
check "NVDR denied by a rule of the policy" \
	log_has "^dom$d \\(plain\\) blob 1 device NVDR: deny by ($POLICY:[0-9]+|implicit)"
"$XENSIM" hvmloader "$d" >"$WORK/hvmloader.out" 2>&1
like "hvmloader loads no device-model ACPI" "$(cat "$WORK/hvmloader.out")" \
	"(refused|loaded 0 table\\(s\\) and 0 device\\(s\\))"
# The toolstack's mark is not something the device model can forge.
"$XENSIM" write "/local/domain/$d/platform/nvdimm" 1 --as-domain "$d" 2>/dev/null
is "the guest cannot mark itself" "$(xs_read "/local/domain/$d/platform/nvdimm")" ""
check "dmacpid still running" kill -0 "$DPID"
finish
