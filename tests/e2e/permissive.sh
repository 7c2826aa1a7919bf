#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Scenario 11: `mode permissive` decides and logs would-deny, and approves
# the area unchanged.
. "$top_srcdir/tests/e2e/lib.sh"
e2e_setup
plan 8

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
finish
