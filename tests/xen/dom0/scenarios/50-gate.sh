# SPDX-License-Identifier: GPL-2.0-or-later
# Scenario 5: the stock hvmloader, which cannot wait, with gate pause: the
# device model offers only the area's address before QEMU runs, and the
# rest of its inputs a while later; xl unpauses the domain as soon as QEMU
# runs, but it stays paused, with no CPU time and no hvmloader line, until
# dmacpid's verdict; then it runs.
. /usr/local/lib/dmacpid-xentest/lib.sh
plan 9

# Incomplete inputs wait up to input-timeout: long enough for this test.
policy_gate pause 120s
d=$(guest_create slow nvdimm area="$LIB/areas/nvdimm.area" late)
check "xl create returned (QEMU runs, xl unpaused the domain)" [ -n "$d" ]
sleep 5
st=$(dom_state "$d")
diag "5 s after xl create: state/time '$st', verdict '$(vkey "$d" state)'"
is "the inputs are incomplete: verdict pending" "$(vkey "$d" state)" pending
like "the domain is paused, with no CPU time" "$st" '^[-a-z]*p[-a-z]* 0\.0$'
console_sync
rc=$?
is "Xen's console read, and no hvmloader line on it" "$rc/$(guest_log "$d" | wc -l)" 0/0
off=$(date +%s.%N)
timeout -k 5 60 dm-producer offer "$d" "$LIB/areas/nvdimm.area"
check "the verdict comes once the device model completes its inputs" wait_verdict "$d" 60
is "approved" "$(vkey "$d" state)" approved
check "then the domain runs: hvmloader reaches SeaBIOS" wait_hvmloader "$d"
# When the verdict was logged (journald may store it a moment later).
logged_at() {
	vt=$(journal "$d" -o short-unix DMACPID_STATE=approved | awk '$1 ~ /^[0-9.]+$/ { print $1; exit }')
	[ -n "$vt" ]
}
wait_for 30 logged_at
diag "inputs complete at $off, verdict logged at $vt"
check "the verdict was logged after the inputs were completed" \
	awk -v a="$off" -v b="$vt" 'BEGIN { exit !(a > 0 && b >= a) }'
first=$(guest_log "$d" | head -1)
is "hvmloader's first line is its banner (it started after the verdict)" "$first" "HVM Loader"
guest_destroy slow
policy_gate pause
finish
