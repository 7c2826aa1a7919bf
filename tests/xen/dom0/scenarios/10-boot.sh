# SPDX-License-Identifier: GPL-2.0-or-later
# Scenario 8: on a stock Debian 12 dom0, the unit the package enabled starts
# dmacpid at boot (its start conditions hold once Debian's xen service has
# mounted xenfs), next to the xenstored the host is configured for.
. /usr/local/lib/dmacpid-xentest/lib.sh
plan 7

is "the package enabled dmacpid.service" "$(systemctl is-enabled dmacpid)" enabled
is "dmacpid is active after boot" "$(systemctl is-active dmacpid)" active
is "its start condition held" "$(systemctl show -p ConditionResult --value dmacpid)" yes
up=$(systemctl show -p ActiveEnterTimestampMonotonic --value dmacpid)
me=$(systemctl show -p InactiveExitTimestampMonotonic --value dmacpid-xentest)
check "it came up in the boot transaction, before this driver" \
	[ "${up:-0}" -gt 0 -a "${up:-0}" -lt "${me:-0}" ]
is "and was never restarted" "$(systemctl show -p NRestarts --value dmacpid)" 0
is "the xenstored running is $XENSTORED" \
	"$(ps -o comm= -C oxenstored,xenstored | sort -u | tr '\n' ' ')" "$XENSTORED "
like "systemctl status shows the daemon's STATUS=" \
	"$(systemctl status --no-pager dmacpid 2>&1)" 'Status: "[0-9]+ domains watched, [0-9]+ approved'
journalctl -b -u dmacpid --no-pager | tail -5 | sed 's/^/# /'
finish
