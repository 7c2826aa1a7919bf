# SPDX-License-Identifier: GPL-2.0-or-later
# Scenario 5: the stock hvmloader, which cannot wait, with gate pause: the
# device model offers the area's address at once and the rest 8 s later;
# xl unpauses the domain as soon as QEMU runs, but it stays paused, with no
# CPU time and no hvmloader line, until dmacpid's verdict; then it runs.
. /usr/local/lib/dmacpid-xentest/lib.sh
plan 8

policy_gate pause
d=$(guest_create slow nvdimm area="$LIB/areas/nvdimm.area" late=8)
check "xl create returned (QEMU runs, xl unpaused the domain)" [ -n "$d" ]
sleep 3
st=$(dom_state "$d")
diag "3 s after xl create: state/time '$st', verdict '$(vkey "$d" state)'"
check "no final verdict yet" sh -c ". $LIB/lib.sh; ! final_verdict $d"
like "the domain is paused, with no CPU time" "$st" '^[-a-z]*p[-a-z]* 0\.0$'
is "hvmloader has not printed a line" "$(guest_log "$d" | wc -l)" 0
check "the verdict comes once the inputs are complete" wait_verdict "$d" 40
is "approved" "$(vkey "$d" state)" approved
check "then the domain runs: hvmloader reaches SeaBIOS" wait_hvmloader "$d"
# Ordering on one clock: the first hvmloader line came after the verdict.
off=$(cat "$RUN/dm/slow.offer-at" 2>/dev/null)
vt=$(journalctl -u dmacpid -o short-unix --no-pager DMACPID_DOMID="$d" DMACPID_STATE=approved | awk 'NR == 1 { print $1 }')
diag "inputs complete at $off, verdict logged at $vt"
check "the verdict was logged after the inputs were completed" \
	awk -v a="$off" -v b="$vt" 'BEGIN { exit !(a > 0 && b >= a) }'
guest_destroy slow
finish
