# SPDX-License-Identifier: GPL-2.0-or-later
# Scenario 4b: the device model moves its area back and forth, the three
# input keys of each move in one transaction (tests/e2e/inputs-atomic.sh on
# the simulated host; here with each real xenstored, whose transactions
# differ).  Every decision dmacpid makes must be about inputs that stood
# together, area A's or area B's: the address of one with the length or
# count of the other is an area that never existed, and dmacpid would
# rewrite guest memory by its decision.  dmacpid commits a verdict only
# while the inputs it answers stand, so a device model that never paused
# would get no verdict until it stopped (with the C xenstored, which fails
# a transaction when a node it read has changed since); this one pauses
# 0-100 ms after each move, so that moves overtake decisions and gaps let
# others through.  The domain stays paused (xl create -p): hvmloader never
# reads the areas.  Every decision is read from the journal: log-limit none
# for this scenario, until the end, where the same moves under log-limit
# 1/10s leave verdicts out of the journal, counted in one warning that the
# catalog explains.
. /usr/local/lib/dmacpid-xentest/lib.sh
plan 12

policy_gate none
policy_log_limit none
A=$LIB/areas/nvdimm.area
B=$LIB/areas/nfit.area
la=$(stat -c %s "$A")
lb=$(stat -c %s "$B")
da=sha256:$(sha256sum <"$A" | cut -c1-64)
db=sha256:$(sha256sum <"$B" | cut -c1-64)
d=$(guest_create mover nvdimm paused area="$A")
check "a final verdict for area A" wait_verdict "$d"
g0=$(vkey "$d" generation)
out=$(timeout -k 5 120 dm-producer flip "$d" "$A" "$B" 15 100) ||
	diag "dm-producer flip: exit $?"
diag "device model: $out"
last=${out##* last }
decided_last() { [ "$(vkey "$1" input)" = "$last" ] && final_verdict "$1"; }
check "the last inputs committed are decided" wait_for 60 decided_last "$d"
g=$(vkey "$d" generation)
diag "generations $g0 to $g"
check "dmacpid decided again and again while the area moved" [ $((g - g0)) -ge 5 ]
# journald stores what it is sent asynchronously: wait for the last one.
check "the journal holds the last decision" \
	wait_for 30 journal_has "$d" "MESSAGE=.*, generation $g:"
# Each decision's line, its generation and checksum left out:
# "approved: BLOBS blobs, DROPPED dropped, length LENGTH, digest DIGEST".
decisions=$(journal "$d" | sed -n 's/^ *MESSAGE=.*: \([a-z]*\), generation \([0-9]*\)\(.*\)$/\2 \1\3/p' |
	awk -v g0="$g0" '$1 > g0 { $1 = ""; sub(/^ /, ""); print }' |
	sed 's/, checksum 0x[0-9a-f]*//')
diag "$(printf '%s\n' "$decisions" | sort | uniq -c | tr '\n' ';')"
# Without this, a line the pattern above missed would pass the next check.
is "the journal has a decision line for every generation" \
	"$(printf '%s\n' "$decisions" | grep -c .)" "$((g - g0))"
is "every decision is about inputs that stood together" \
	"$(printf '%s\n' "$decisions" | grep -vxF -e "approved: 2 blobs, 0 dropped, length $la, digest $da" \
		-e "approved: 1 blobs, 0 dropped, length $lb, digest $db" | sort | uniq -c)" ""
is "area A in guest memory untouched" "$(area_digest "$d" "$la")" "$da"
b_at=$(printf '0x%x' $(($(dm-producer address) + 0x100000)))
is "area B in guest memory untouched" "$(area_digest "$d" "$lb" "$b_at")" "$db"
is "the final verdict approves the last inputs" "$(vkey "$d" state)" approved

policy_log_limit 1/10s
out=$(timeout -k 5 120 dm-producer flip "$d" "$A" "$B" 15 100) ||
	diag "dm-producer flip: exit $?"
last=${out##* last }
check "log-limit 1/10s: the last inputs committed are decided" wait_for 60 decided_last "$d"
limited=bd02825f5e674e08bcc5841f7650b12d
counted() { journal "$d" MESSAGE_ID=$limited | grep -Eq 'MESSAGE=.* verdicts? not logged \(log-limit\)'; }
check "the verdicts past it are counted in a warning with its MESSAGE_ID" wait_for 30 counted
check "journalctl -x explains that warning from the catalog" \
	sh -c "journalctl -x -q -u dmacpid --no-pager MESSAGE_ID=$limited | grep -q 'left out of the log'"
guest_destroy mover
policy_log_limit 10/60s
finish
