#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Scenario 9: oxenstored restarted under the daemon: it reconnects and
# decides domains created afterwards.
. "$top_srcdir/tests/e2e/lib.sh"
e2e_setup
plan 5

len=$(stat -c %s "$AREA")
daemon_start
d1=$(domain_create --name first --key platform/nvdimm=1)
"$XENSIM" qemu "$d1" --area "$AREA"
check "decided before the restart" wait_input "$d1" "0x100000:$len:2"
"$XENSIM" down "$WORK/h" >/dev/null 2>&1
"$XENSIM" up "$WORK/h" >/dev/null 2>&1
check "reconnected" wait_value /local/domain/0/dmacpid/pid "$DPID" 10
check "the loss and the reconnect are logged" \
	sh -c "grep -q 'xenstored connection lost' '$LOG' && grep -q 'connection restored' '$LOG'"
d2=$(domain_create --name second --key platform/nvdimm=1)
"$XENSIM" qemu "$d2" --area "$AREA"
check "a domain created afterwards is decided" wait_input "$d2" "0x100000:$len:2"
is "approved" "$(verdict "$d2" state)" approved
finish
