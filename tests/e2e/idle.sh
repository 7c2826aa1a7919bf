#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Zero wakeups when nothing happens: with domains decided (approved,
# rejected, gated and released, and one without a device model yet), dmacpid
# sleeps until the next event.  Counted as the context switches of all its
# threads (libxenstore's reader included) over 5 s, and in the second after
# a change has been told.
. "$top_srcdir/tests/e2e/lib.sh"
case ${DMACPID_WRAPPER:-} in
*valgrind*) plan_skip "valgrind's scheduler wakes the process itself" ;;
esac
e2e_setup
plan 8

# switches PID: voluntary plus involuntary context switches of every thread.
switches() {
	cat /proc/"$1"/task/*/status 2>/dev/null |
		awk '/^(non)?voluntary_ctxt_switches:/ { n += $2 } END { print n + 0 }'
}

len=$(stat -c %s "$AREA")
policy_set gate pause
# Far enough that the gated domain's one timer cannot fire in the window.
policy_set gate-timeout 600s
daemon_start
d1=$(domain_create --name marked --key platform/nvdimm=1)
d2=$(domain_create --name unmarked)
"$XENSIM" qemu "$d1" --area "$AREA"
"$XENSIM" qemu "$d2" --area "$AREA"
check "a marked domain is approved" wait_input "$d1" "0x100000:$len:2" 20
check "an unmarked one is rejected" wait_input "$d2" "0x100000:$len:2" 20
# The gate is released after the verdict is written: wait for it.
both_released() { wait_pause "$d1" 0 && wait_pause "$d2" 0; }
check "both gates are released" both_released
# A domain whose device model has not started holds its gate (one timer,
# gate-timeout away) and no input timer.
d3=$(domain_create --name waiting)
check "a domain without inputs is gated" wait_pause "$d3" 1 20

# Settle: the last events may still be in flight, and the last STATUS=
# goes out up to a second after the change it counts.
prev=$(switches "$DPID") i=0
while [ $i -lt 20 ]; do
	sleep 1.5
	now=$(switches "$DPID")
	[ "$now" = "$prev" ] && break
	prev=$now i=$((i + 1))
done
before=$(switches "$DPID")
sleep 5
after=$(switches "$DPID")
is "no context switch in 5 s of idleness" "$((after - before))" 0
# A change is told at once, and nothing is left to wake dmacpid a second
# later: between half a second and two after that STATUS=, no wakeup.
d4=$(domain_create --name late)
check "a new domain is told at once" _until 0 _last_status "STATUS=4 domains watched, "
sleep 0.5
before=$(switches "$DPID")
sleep 1.5
after=$(switches "$DPID")
is "no wakeup in the second after a STATUS=" "$((after - before))" 0
check "still running" kill -0 "$DPID"
finish
