#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Scenario 9: oxenstored restarted under the daemon (stopped, then started
# again from the database it wrote, so the domains outlive it): dmacpid
# reconnects, decides again a domain that existed before the restart when
# its device model changes its inputs, and decides domains created
# afterwards.
. "$top_srcdir/tests/e2e/lib.sh"
e2e_setup
plan 9

len=$(stat -c %s "$AREA")
daemon_start
d1=$(domain_create --name first --key platform/nvdimm=1)
"$XENSIM" qemu "$d1" --area "$AREA"
check "decided before the restart" wait_input "$d1" "0x100000:$len:2"
"$XENSIM" down "$WORK/h" >/dev/null 2>&1
"$XENSIM" up "$WORK/h" --restart >/dev/null 2>"$WORK/restart.log" ||
	echo "Bail out! xensim up --restart: $(cat "$WORK/restart.log")"
check "the loss and the reconnect are logged" wait_log 'xenstored connection restored'
check "the loss came first" log_has 'xenstored connection lost'
is "the domain from before the restart kept its verdict" \
	"$(verdict "$d1" state)/$(verdict "$d1" generation)" approved/1
# Its device model moves the area: a new decision, for the new inputs.
"$XENSIM" qemu "$d1" --area "$AREA" --at 0x200000
check "new inputs of a domain from before the restart are decided" \
	wait_input "$d1" "0x200000:$len:2"
is "as its next generation, approved at the new address" \
	"$(verdict "$d1" state)/$(verdict "$d1" generation)/$(verdict "$d1" address)" approved/2/0x200000
d2=$(domain_create --name second --key platform/nvdimm=1)
"$XENSIM" qemu "$d2" --area "$AREA"
check "a domain created afterwards is decided" wait_input "$d2" "0x100000:$len:2"
is "approved" "$(verdict "$d2" state)" approved
check "dmacpid kept running" kill -0 "$DPID"
finish
