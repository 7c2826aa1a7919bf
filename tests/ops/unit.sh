# SPDX-License-Identifier: GPL-2.0-or-later
# The systemd unit as an administrator gets it: a build configured with its
# prefix and sysconfdir inside the test tree is installed for real (no
# DESTDIR), so every path compiled into the daemon and written into the unit
# exists.  `systemd-analyze verify` then accepts the unit as is,
# `systemd-analyze security` scores it at most 2.0, and the unit's
# ExecStartPre and ExecStart lines, run exactly as written (default
# arguments), check the default policy and bring the daemon up to READY=1
# and a STATUS= line on NOTIFY_SOCKET on the simulated host.
. "$top_srcdir/tests/lib/tap.sh"

command -v systemd-analyze >/dev/null 2>&1 || plan_skip "no systemd-analyze"
command -v python3 >/dev/null 2>&1 || plan_skip "no python3"
# A source tree configured in place cannot take a second build.
[ -f "$top_srcdir/config.status" ] && plan_skip "the source tree is configured in place"

WORK=$(mktemp -d /tmp/dmacpid-unit.XXXXXX) || exit 1
ROOT=$WORK/root
DPID=
LPID=
HOST_UP=
cleanup() {
	[ -n "$DPID" ] && kill -KILL "$DPID" 2>/dev/null && wait "$DPID" 2>/dev/null
	[ -n "$LPID" ] && kill "$LPID" 2>/dev/null
	[ -n "$HOST_UP" ] && "$top_builddir/tests/sim/xensim" down "$WORK/h" >/dev/null 2>&1
	rm -rf "$WORK"
}
trap cleanup EXIT

plan 18

# The parent make's jobserver is not ours to use.  Only what install needs
# is built: the daemon, dmacpictl and the data files.
mkdir -p "$WORK/build"
if (cd "$WORK/build" && env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL sh -c '
	"$1/configure" -q --prefix="$2/usr" --sysconfdir="$2/etc" \
		--with-systemdunitdir="$2/lib/systemd/system" \
		--with-catalogdir="$2/usr/lib/systemd/catalog" &&
	make -j2 install-exec install-data' sh "$top_srcdir" "$ROOT") >"$WORK/install.log" 2>&1; then
	ok "a build with its prefix in the test tree installs"
else
	not_ok "a build with its prefix in the test tree installs"
	diag "$(tail -20 "$WORK/install.log")"
	exit 0
fi

UNIT=$ROOT/lib/systemd/system/dmacpid.service
check "the unit is installed" test -f "$UNIT"
# verify runs `man` for Documentation=; MANPATH points it at our pages.
rc=0
MANPATH=$ROOT/usr/share/man systemd-analyze verify "$UNIT" >"$WORK/verify.out" 2>&1 || rc=$?
if [ $rc -eq 0 ] && [ ! -s "$WORK/verify.out" ]; then
	ok "systemd-analyze verify: no complaint"
else
	not_ok "systemd-analyze verify: no complaint"
	diag "exit $rc" "$(cat "$WORK/verify.out")"
fi
is "the unit's Exec paths are the installed programs" \
	"$(sed -n '/^ExecCondition=/d; s/^Exec[A-Za-z]*=-\{0,1\}\([^ ]*\).*/\1/p' "$UNIT" |
		sort -u | tr '\n' ' ')" \
	"$ROOT/usr/sbin/dmacpictl $ROOT/usr/sbin/dmacpid "

# ExecCondition, run as written on /proc/xen/capabilities as dom0's, a
# domU's (xenfs mounted, no control_d) and a host without it: 0 runs the
# daemon; 1 to 254 skip the unit, which does not fail (255 would).  It
# must run outside the sandbox ("+"), whose /proc has no xenfs: the
# emulated Xen host's 60-ops.sh shows that under systemd.
exec_cond=$(sed -n 's/^ExecCondition=+//p' "$UNIT")
cond() {
	local rc=0
	rm -f "$WORK/caps"
	[ -z "$1" ] || printf '%s' "$1" >"$WORK/caps"
	# shellcheck disable=SC2086 # split as systemd would
	set -- $(printf '%s\n' "$exec_cond" | sed "s|/proc/xen/capabilities|$WORK/caps|")
	"$@" || rc=$?
	echo $rc
}
is "ExecCondition: dom0 (control_d) runs the daemon" "$(cond 'control_d')" 0
is "ExecCondition: a domU with xenfs skips the unit" "$(cond ' ')" 1
is "ExecCondition: no xenfs skips it too" "$(cond '')" 2

rc=0
systemd-analyze security --offline=true "$UNIT" >"$WORK/security.out" 2>&1 || rc=$?
score=$(sed -n 's/.*Overall exposure level for dmacpid\.service: \([0-9][0-9.]*\).*/\1/p' "$WORK/security.out")
diag "systemd-analyze security: exposure $score"
like "systemd-analyze security prints a score" "$score" '^[0-9]+\.[0-9]+$'
if [ -n "$score" ] && awk -v s="$score" 'BEGIN { exit !(s <= 2.0) }'; then
	ok "exposure level $score <= 2.0"
else
	not_ok "exposure level '$score' <= 2.0"
	diag "exit $rc" "$(tail -5 "$WORK/security.out")"
fi

# The unit's own command lines, split as systemd would (no quoting there).
exec_start=$(sed -n 's/^ExecStart=//p' "$UNIT")
exec_pre=$(sed -n 's/^ExecStartPre=//p' "$UNIT")
is "ExecStart runs the installed dmacpid" "${exec_start%% *}" "$ROOT/usr/sbin/dmacpid"
POLICY=$ROOT/etc/dmacpid/dmacpid.policy
check "the default policy is installed" test -f "$POLICY"
# The administrator's one edit: a Xen namespace that exists on this host.
sed -i "s|^xen-namespace .*|xen-namespace $DMACPI_TESTDATA/xen/DSDT_20920.aml|" "$POLICY"
rc=0
# shellcheck disable=SC2086
$exec_pre >"$WORK/check.out" 2>&1 || rc=$?
is "ExecStartPre (dmacpictl check) accepts the default policy" "$rc" 0
[ $rc -eq 0 ] || diag "$(cat "$WORK/check.out")"

if ! "$top_builddir/tests/sim/xensim" up "$WORK/h" >"$WORK/env" 2>"$WORK/up.log"; then
	diag "$(cat "$WORK/up.log")"
	# Only a missing oxenstored is a skip, and not where it is required.
	case ${DMACPI_REQUIRE_XEN:-0} in ''|0) ;; *) : >"$WORK/up.log" ;; esac
	if ! grep -q 'no oxenstored' "$WORK/up.log"; then
		not_ok "the simulated host comes up"
		finish
	fi
	reason="no oxenstored (tests/sim/get-oxenstored.sh)"
	skip "READY=1 on NOTIFY_SOCKET: $reason"
	skip "a STATUS= line: $reason"
	skip "the daemon loaded the default policy: $reason"
	skip "the unit sets WatchdogSec=: $reason"
	skip "the daemon pings the watchdog: $reason"
	skip "STOPPING=1 and exit 0 on SIGTERM: $reason"
	finish
fi
HOST_UP=1
. "$WORK/env"

# A notify socket that records every datagram, one line each (bound once
# the helper returns).  Every wait below is for a line there; its bound
# (WAIT, 60 s) only stops a hang.
NOTIFY=$WORK/notify.sock
WAIT=${E2E_WAIT:-60}
LPID=$(python3 "$top_srcdir/tests/lib/notify-listen" "$NOTIFY" "$WORK/notify.log" $$) ||
	{ echo "Bail out! cannot listen on $NOTIFY"; exit 1; }
# until_notified CMD...: until CMD succeeds or the daemon is gone.
until_notified() {
	local end=$(( $(date +%s) + WAIT ))
	until "$@"; do
		kill -0 "$DPID" 2>/dev/null && [ "$(date +%s)" -lt "$end" ] || return 1
		sleep 0.02
	done
}
has_status() { grep -q '^STATUS=' "$WORK/notify.log"; }
two_pings() { [ "$(grep -cx 'WATCHDOG=1' "$WORK/notify.log")" -ge 2 ]; }

# shellcheck disable=SC2086
ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0 \
WATCHDOG_USEC=400000 NOTIFY_SOCKET=$NOTIFY LD_PRELOAD=$XENSIM_PRELOAD \
	$exec_start 2>"$WORK/dmacpid.log" &
DPID=$!

until_notified has_status
check "READY=1 on NOTIFY_SOCKET" grep -qx 'READY=1' "$WORK/notify.log"
like "a STATUS= line" "$(grep '^STATUS=' "$WORK/notify.log" | head -1)" \
	'^STATUS=[0-9]+ domains watched, [0-9]+ approved'
diag "$(grep '^STATUS=' "$WORK/notify.log" | head -1)"
check "the daemon loaded the default policy" \
	grep -q "policy loaded from $POLICY:" "$WORK/dmacpid.log"

# systemd passes WatchdogSec= as WATCHDOG_USEC; 0.4 s here so that pings
# (every half interval) show up quickly.
like "the unit sets WatchdogSec=" "$(grep '^WatchdogSec=' "$UNIT")" '^WatchdogSec=[1-9]'
until_notified two_pings
check "the daemon pings the watchdog" test "$(grep -cx 'WATCHDOG=1' "$WORK/notify.log")" -ge 2

rc=0
kill -TERM "$DPID" 2>/dev/null && wait "$DPID" || rc=$?
DPID=
# The datagram is queued before the daemon exits; the listener may not have
# written it yet.
stopping() { grep -qx 'STOPPING=1' "$WORK/notify.log"; }
end=$(( $(date +%s) + WAIT ))
until stopping || [ "$(date +%s)" -ge "$end" ]; do sleep 0.02; done
kill "$LPID" 2>/dev/null
LPID=
if [ $rc -eq 0 ] && grep -qx 'STOPPING=1' "$WORK/notify.log"; then
	ok "STOPPING=1 and exit 0 on SIGTERM"
else
	not_ok "STOPPING=1 and exit 0 on SIGTERM"
	diag "exit $rc" "$(cat "$WORK/notify.log")" "$(tail -5 "$WORK/dmacpid.log")"
fi
finish
