#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# A device model that moves its area back and forth, the three input keys
# of each move in one transaction, as fast as xenstored lets it.  Every
# decision dmacpid starts must be about inputs that stood together in
# xenstore: one area or the other, never the address of one with the
# length or count of the other.  Such a mix, decided, would rewrite guest
# memory by a decision about an area that never existed.  oxenstored's
# access log holds every verdict dmacpid wrote, committed or not.
. "$top_srcdir/tests/e2e/lib.sh"
e2e_setup
plan 7

# oxenstored queues at most quota-maxwatchevents (1024) events for one
# connection; beyond that it holds the writer's further events back and
# reads no more of the writer's requests until they are flushed.  With
# dmacpid under valgrind reading slower than this device model writes,
# nothing flushed them once dmacpid had read its queue, and the writer
# waited for ever.  So this host queues them all.
host_restart --set quota-maxwatchevents=1000000

B=$WORK/nfit.area
"$DMACPICTL" pack --table "$DATA/qemu/NFIT.dimmpxm" -o "$B" >/dev/null ||
	{ echo "Bail out! dmacpictl pack failed"; exit 1; }
daemon_start
d=$(domain_create --name mover --key platform/nvdimm=1)
"$XENSIM" ram "$d" --write 0x100000 "$AREA"
"$XENSIM" ram "$d" --write 0x200000 "$B"
IA=0x100000:$(stat -c %s "$AREA"):2
IB=0x200000:$(stat -c %s "$B"):1
# What guest memory must keep holding: the bytes written there, digested
# apart from guest memory (a RAM that cannot be read digests to nothing).
from=$(xs_mark)

base=/local/domain/$d/hvmloader/dm-acpi-verdict
written() {
	xs_requests "$from" | awk -v p="$base/$1" '$3 == "write" && $4 == p { print $5 }'
}
# The area moves, a second at a time, until dmacpid has written 5
# verdicts meanwhile (60 s at most).  How many a second it gets through
# depends on how fast it is next to the device model: a read of the inputs
# that a move overtakes is tried again, and after 16 in a row backs off.
# Each second is bounded: a writer that xenstored stops serving fails the
# test, not the run.
end=$(($(date +%s) + 60))
while :; do
	out=$(timeout 60 "$XENSIM" flip "$d" "$IA" "$IB" --seconds 1) ||
		{ echo "Bail out! xensim flip: exit $? ($out)"; exit 1; }
	n=$(written input | grep -c .)
	[ "$n" -lt 5 ] && [ "$(date +%s)" -lt "$end" ] || break
done
diag "device model, last second: $out"
diag "$n verdicts written while the area moved"
check "dmacpid decided again and again while the area moved" test "$n" -ge 5
last=${out##* last }
check "the last inputs committed are decided" wait_input "$d" "$last" 20
inputs=$(written input)
is "every verdict is about inputs that stood together" \
	"$(echo "$inputs" | grep -vxF -e "$IA" -e "$IB" | sort | uniq -c)" ""
is "every one an approval" "$(written state | grep -vx approved | sort | uniq -c)" ""
is "area A in guest memory untouched" "$(ram_digest "$d" 0x100000 "$(stat -c %s "$AREA")")" "$(digest_of "$AREA")"
is "area B in guest memory untouched" "$(ram_digest "$d" 0x200000 "$(stat -c %s "$B")")" "$(digest_of "$B")"
is "the final verdict approves the last inputs" "$(verdict "$d" state)" approved
finish
