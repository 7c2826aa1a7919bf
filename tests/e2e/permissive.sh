#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Scenario 11: `mode permissive` decides and logs would-deny, and approves
# the area unchanged.
. "$top_srcdir/tests/e2e/lib.sh"
e2e_setup
plan 11

policy_set mode permissive
daemon_start
d=$(domain_create --name trial)
len=$(stat -c %s "$AREA")
"$XENSIM" qemu "$d" --area "$AREA"
check "a final verdict" wait_input "$d" "0x100000:$len:2"
is "approved" "$(verdict "$d" state)" approved
is "unchanged length" "$(verdict "$d" length)/$(verdict "$d" count)/$(verdict "$d" dropped)" "$len/2/0"
is "checksum of the input" "$(verdict "$d" checksum)" "$(crc_of "$AREA")"
is "digest of the input, as guest RAM holds it" "$(verdict "$d" digest)" \
	"$(ram_digest "$d" "$(verdict "$d" address)" "$len")"
"$XENSIM" ram "$d" --read 0x100000 "$len" >"$WORK/ram"
check "guest RAM unchanged" cmp -s "$WORK/ram" "$AREA"
check "would-deny logged with its rule" \
	log_has "^dom$d \\(trial\\) blob 0 table NFIT: would-deny by $POLICY:[0-9]+"
daemon_stop
policy_set mode enforce
: >"$LOG"
daemon_start --permissive
d2=$(domain_create --name trial2)
"$XENSIM" qemu "$d2" --area "$AREA"
wait_input "$d2" "0x100000:$len:2"
is "--permissive over an enforcing policy" \
	"$(verdict "$d2" state)/$(verdict "$d2" count)/$(grep -c "^dom$d2 .*would-deny" "$LOG")" approved/2/2
daemon_stop

# The built-in checks stay in force: a Xen-only DSDT is dropped, the rest
# goes through unchanged (no rule's decision applied).
: >"$LOG"
daemon_start --permissive
"$DMACPICTL" pack --table "$DATA/qemu/NFIT.dimmpxm" --table "$DATA/xen/DSDT_20920.aml" \
	--devices-from "$DATA/qemu/SSDT.dimmpxm" -o "$WORK/xen-only.area" >/dev/null
len3=$(stat -c %s "$WORK/xen-only.area")
d3=$(domain_create --name trial3)
"$XENSIM" qemu "$d3" --area "$WORK/xen-only.area"
check "Xen-only table: a final verdict" wait_input "$d3" "0x100000:$len3:3"
is "the DSDT dropped, the rest kept" "$(verdict "$d3" state)/$(verdict "$d3" count)/$(verdict "$d3" dropped)" \
	approved/2/1
check "dropped by the built-in check, not would-" \
	log_has "^dom$d3 \\(trial3\\) blob 1 table DSDT: deny by builtin:table-xen-only"
finish
