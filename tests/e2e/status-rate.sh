#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# STATUS= on NOTIFY_SOCKET: guests decided one by one change the counts
# every few milliseconds, and systemd (PID 1) reads every message; dmacpid
# tells it at most once a second, and the last change still arrives.
. "$top_srcdir/tests/e2e/lib.sh"
e2e_setup
plan 4

N=25
daemon_start
statuses() { grep -c "^$DPID STATUS=" "$NOTIFY_LOG" || true; }
now() { date +%s.%N; }
before=$(statuses)
t0=$(now)
len=$(stat -c %s "$AREA")
decided=0
for i in $(seq "$N"); do
	d=$(domain_create --name "s$i" --key platform/nvdimm=1)
	"$XENSIM" qemu "$d" --area "$AREA"
	wait_input "$d" "0x100000:$len:2" && [ "$(verdict "$d" state)" = approved ] &&
		decided=$((decided + 1))
done
is "$N domains approved one by one" "$decided" "$N"
check "the last STATUS= counts every approval" _until 0 _last_status ", $N approved, "
t1=$(now)
sent=$(($(statuses) - before))
secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { s = b - a; print (s == int(s)) ? s : int(s) + 1 }')
diag "$sent STATUS= lines in ${secs} s for $N decisions"
# One a second, one for the first change, and READY=1's own if it came late.
check "at most one STATUS= a second" [ "$sent" -le $((secs + 2)) ]
# After a quiet second the first change (the new domain, or its approval
# when both come in one loop iteration) goes out at once, not at the end of
# a second: its STATUS= comes before the RELOADING=1 of a reload asked for
# as soon as the verdict is seen.  Both must be there: without the reload
# the order would prove nothing.
sleep 1.2
mark=$(($(wc -l <"$NOTIFY_LOG") + 1))
d=$(domain_create --name late --key platform/nvdimm=1)
"$XENSIM" qemu "$d" --area "$AREA"
wait_input "$d" "0x100000:$len:2"
kill -HUP "$DPID"
since_mark() { tail -n "+$mark" "$NOTIFY_LOG" | grep "^$DPID " | cut -d' ' -f2-; }
_reloaded() { since_mark | grep -qx READY=1; }
_until 0 _reloaded || diag "no READY=1 after the reload"
order=$(since_mark | grep -E "^(RELOADING=1|STATUS=$((N + 1)) domains watched, )" |
	cut -d= -f1 | uniq | head -2 | tr '\n' ' ')
is "a change after a quiet second is told at once" "$order" "STATUS RELOADING "
finish
