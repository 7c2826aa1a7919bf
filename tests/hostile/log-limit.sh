#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# A device model rewriting its inputs without end cannot flood the log and
# have journald drop the other domains' decisions: its domain logs at most
# log-limit verdicts a window, every verdict is still decided and written,
# the window's end logs how many were left out with the last of them, so
# that the log ends with the final verdict, and the other domains' verdicts
# are all logged.  With log-limit none, every verdict is logged.
. "$top_srcdir/tests/e2e/lib.sh"
HOSTILE=$top_builddir/tests/hostile
e2e_setup
plan 14

LEN=$(stat -c %s "$AREA")
LIMIT=5 WINDOW=3
policy_set log-limit "$LIMIT/${WINDOW}s"
daemon_start

F=$(domain_create --name flood --ram 4M --key platform/nvdimm=1)
"$XENSIM" ram "$F" --write 0x100000 "$AREA"
"$XENSIM" ram "$F" --write 0x200000 "$AREA"
t0=$(date +%s%N)
"$HOSTILE/flood" --domid "$F" --rate 200 --seconds 2 --length "$LEN" --count 2 \
	--address 0x100000 --address 0x200000 >"$WORK/flood.out" 2>"$WORK/flood.err" &
FLOOD=$!
others=
for i in 1 2 3; do
	d=$(domain_create --name "other$i" --key platform/nvdimm=1)
	"$XENSIM" qemu "$d" --area "$AREA"
	others="$others $d"
done
wait "$FLOOD"
is "the flood ran" "$?" 0
last=$(sed 's/.* last=//' "$WORK/flood.out")
check "the flooding domain's final verdict answers its last inputs" \
	wait_input "$F" "$last:$LEN:2"
t1=$(date +%s%N)
gen=$(verdict "$F" generation)
is "the flooding domain is approved" "$(verdict "$F" state)" approved
check "it was decided more often than the limit allows to log (generation $gen)" \
	[ "${gen:-0}" -gt $((2 * LIMIT)) ]

# Its verdict lines: at most LIMIT in each window that can have begun
# between the flood's start and its final verdict.
logged() { grep -cE "^dom$F \\(flood\\): (approved|rejected|error), generation " "$LOG"; }
windows=$(( (t1 - t0) / (WINDOW * 1000000000) + 1 ))
n=$(logged)
check "at most $LIMIT verdicts logged per ${WINDOW} s window: $n in $windows window(s)" \
	[ "$n" -le $((LIMIT * windows)) ]
final_logged() {
	log_has "^dom$F \\(flood\\): approved, generation $gen: " ||
		log_has "^dom$F \\(flood\\): [0-9]+ verdicts? not logged \\(log-limit\\): its inputs keep changing; the last: approved, generation $gen$"
}
check "the final verdict (generation $gen) is in the log, itself or as the last one left out" \
	_until $((2 * WINDOW)) final_logged
omitted() {
	sed -n "s/^dom$F (flood): \\([0-9]*\\) verdicts\\{0,1\\} not logged (log-limit).*/\\1/p" "$LOG" |
		awk '{ s += $1 } END { print s + 0 }'
}
check "verdicts were left out of the log ($(omitted))" [ "$(omitted)" -gt 0 ]
is "every verdict is logged or counted: logged + left out = generation" \
	"$(( $(logged) + $(omitted) ))" "$gen"

ok=0
for d in $others; do
	wait_final "$d" && log_has "^dom$d \\(other[0-9]\\): approved, generation 1: " && ok=$((ok + 1))
done
is "the other domains' verdicts are all logged" "$ok" 3

# A device model whose every rewrite lands while its area is decided (it
# moves the area as dmacpid maps it): each decision made stale logs a line,
# and those share the window's lines with the verdicts, or a device model
# that never lets a verdict through would log without end.
M=$(domain_create --name moving --ram 4M --key platform/nvdimm=1)
addr="0x100000 0x200000 0x300000"
for a in $addr; do
	"$XENSIM" ram "$M" --write "$a" "$AREA"
done
set_inputs "$M" 0x100000 "$LEN" 2
wait_input "$M" "0x100000:$LEN:2"
ROUNDS=$((4 * LIMIT))
t0=$(date +%s%N)
cur=0
for i in $(seq "$ROUNDS"); do
	# The decision for the next address finds the one after it written.
	z=$(echo "$addr" | cut -d' ' -f$(( (cur + 1) % 3 + 1 )))
	y=$(echo "$addr" | cut -d' ' -f$(( (cur + 2) % 3 + 1 )))
	"$XENSIM" map-write "$M" "/local/domain/$M/hvmloader/dm-acpi/address" "$y"
	"$XENSIM" write "/local/domain/$M/hvmloader/dm-acpi/address" "$z"
	wait_input "$M" "$y:$LEN:2" || break
	cur=$(( (cur + 2) % 3 ))
done
t1=$(date +%s%N)
is "every round decided once its area stood" "$i $(verdict "$M" input)" "$ROUNDS $y:$LEN:2"
stale=$(grep -c "^dom$M: its inputs changed before the verdict" "$LOG")
mlogged=$(grep -cE "^dom$M \\(moving\\): (approved|rejected|error), generation " "$LOG")
# The windows that can have begun from its first verdict, just before t0.
windows=$(( (t1 - t0) / (WINDOW * 1000000000) + 2 ))
within() { [ "$stale" -ge 1 ] && [ $((stale + mlogged)) -le $((LIMIT * windows)) ]; }
check "decisions made stale, logged with its verdicts: at most $LIMIT lines a window ($stale + $mlogged in $windows window(s))" \
	within

# None: every verdict logged, however many.
policy_set log-limit none
"$DMACPICTL" reload >/dev/null 2>&1
is "reload with log-limit none" "$?" 0
before=$(logged)
other=0x100000
[ "$last" = 0x100000 ] && other=0x200000
for i in 1 2 3 4 5 6 7 8; do
	"$XENSIM" write "/local/domain/$F/hvmloader/dm-acpi/address" \
		"$([ $((i % 2)) = 1 ] && echo "$other" || echo "$last")"
	wait_value "$(vnode "$F")/generation" $((gen + i)) || break
done
g2=$(verdict "$F" generation)
is "8 more decisions" "$g2" $((gen + 8))
check "log-limit none: each of them logged" _until 5 eval '[ "$(logged)" -eq $((before + 8)) ]'
finish
