#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The installed systemd unit: `systemd-analyze verify` accepts it,
# `systemd-analyze security` scores it at most 2.0, and its ExecStart line
# runs the installed daemon on the simulated host up to READY=1 and a
# STATUS= line on NOTIFY_SOCKET.
. "$top_srcdir/tests/lib/tap.sh"

command -v systemd-analyze >/dev/null 2>&1 || plan_skip "no systemd-analyze"
command -v python3 >/dev/null 2>&1 || plan_skip "no python3"

WORK=$(mktemp -d /tmp/dmacpid-unit.XXXXXX) || exit 1
DEST=$WORK/root
DPID=
LPID=
HOST_UP=
cleanup() {
	[ -n "$DPID" ] && kill -KILL "$DPID" 2>/dev/null && wait "$DPID" 2>/dev/null
	[ -n "$LPID" ] && kill "$LPID" 2>/dev/null && wait "$LPID" 2>/dev/null
	[ -n "$HOST_UP" ] && "$top_builddir/tests/sim/xensim" down "$WORK/h" >/dev/null 2>&1
	rm -rf "$WORK"
}
trap cleanup EXIT

plan 12

# The parent make's jobserver is not ours to use.
if env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -C "$top_builddir" install \
	DESTDIR="$DEST" >"$WORK/install.log" 2>&1; then
	ok "make install DESTDIR"
else
	not_ok "make install DESTDIR"
	diag "$(tail -20 "$WORK/install.log")"
	exit 0
fi

UNIT=$(find "$DEST" -name dmacpid.service -type f | head -1)
check "the unit is installed" test -n "$UNIT"
MANDIR=$(find "$DEST" -type d -name man8 | head -1)
MANDIR=${MANDIR%/man8}

# verify runs `man` for Documentation= and checks that every Exec path is
# executable, both against the real root.  --root=DIR does not help: it then
# also looks for sysinit.target and the rest of systemd's units in DIR.  So
# `man` gets MANPATH pointing into DESTDIR, and a "Command P is not
# executable" message is forgiven only when DESTDIR/P is an executable file,
# i.e. when the path is right once the package is installed for real.
rc=0
MANPATH=$MANDIR systemd-analyze verify "$UNIT" >"$WORK/verify.out" 2>&1 || rc=$?
: >"$WORK/verify.left"
while IFS= read -r line; do
	p=$(printf '%s\n' "$line" | sed -n 's|^dmacpid\.service: Command \(/[^ ]*\) is not executable: No such file or directory$|\1|p')
	if [ -n "$p" ] && [ -x "$DEST$p" ] && [ -f "$DEST$p" ]; then
		continue
	fi
	printf '%s\n' "$line" >>"$WORK/verify.left"
done <"$WORK/verify.out"
if [ ! -s "$WORK/verify.left" ]; then
	ok "systemd-analyze verify: no complaint but Exec paths outside DESTDIR"
else
	not_ok "systemd-analyze verify: no complaint but Exec paths outside DESTDIR"
	diag "exit $rc" "$(cat "$WORK/verify.left")"
fi
# Exec paths forgiven above must be exactly the installed programs.
is "the unit's Exec paths are the installed programs" \
	"$(sed -n 's/^Exec[A-Za-z]*=-\{0,1\}\([^ ]*\).*/\1/p' "$UNIT" | sort -u | tr '\n' ' ')" \
	"$(cd "$DEST" && find . -path '*/sbin/dmacpi*' -type f | sed 's|^\.||' | sort | tr '\n' ' ')"

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

# The ExecStart line, with the installed daemon and policy.
exec_start=$(sed -n 's/^ExecStart=//p' "$UNIT")
exe=${exec_start%% *}
args=
[ "$exe" != "$exec_start" ] && args=${exec_start#* }
is "ExecStart runs the installed dmacpid" "$(basename "$exe")" dmacpid
POLICY_INST=$(find "$DEST" -path '*/dmacpid/dmacpid.policy' -type f | head -1)
check "the default policy is installed" test -n "$POLICY_INST"
# The DESTDIR copy of the default policy, with a Xen namespace that exists here.
POLICY=$WORK/dmacpid.policy
sed -e "s|^xen-namespace .*|xen-namespace $DMACPI_TESTDATA/xen/DSDT_20920.aml|" \
	"$POLICY_INST" >"$POLICY"
rc=0
"$DEST$(sed -n 's/^ExecStartPre=\([^ ]*\).*/\1/p' "$UNIT")" check "$POLICY" \
	>"$WORK/check.out" 2>&1 || rc=$?
is "ExecStartPre (dmacpictl check) accepts the installed policy" "$rc" 0

if ! "$top_builddir/tests/sim/xensim" up "$WORK/h" >"$WORK/env" 2>"$WORK/up.log"; then
	reason="xensim up failed"
	grep -q 'no oxenstored' "$WORK/up.log" && reason="no oxenstored (tests/sim/get-oxenstored.sh)"
	diag "$(cat "$WORK/up.log")"
	skip "READY=1 on NOTIFY_SOCKET: $reason"
	skip "a STATUS= line: $reason"
	skip "STOPPING=1 and exit 0 on SIGTERM: $reason"
	finish
fi
HOST_UP=1
. "$WORK/env"

# A notify socket that records every datagram, one line each, until
# STOPPING=1 or 20 s.
NOTIFY=$WORK/notify.sock
python3 -c '
import socket, sys, time
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
out = open(sys.argv[2], "w")
end = time.monotonic() + 20
while time.monotonic() < end:
    s.settimeout(max(0.01, end - time.monotonic()))
    try:
        data = s.recv(4096)
    except socket.timeout:
        break
    for line in data.decode("utf-8", "replace").split("\n"):
        if line:
            out.write(line + "\n")
            out.flush()
    if b"STOPPING=1" in data:
        break
' "$NOTIFY" "$WORK/notify.log" &
LPID=$!
i=0
while [ ! -S "$NOTIFY" ] && [ $i -lt 250 ]; do sleep 0.02; i=$((i + 1)); done

# $args is the unit's own argument list, split as systemd would (no quoting there).
# shellcheck disable=SC2086
ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0 \
NOTIFY_SOCKET=$NOTIFY LD_PRELOAD=$XENSIM_PRELOAD \
	"$DEST$exe" $args --policy "$POLICY" 2>"$WORK/dmacpid.log" &
DPID=$!

i=0
while ! grep -q '^STATUS=' "$WORK/notify.log" 2>/dev/null && [ $i -lt 500 ]; do
	kill -0 "$DPID" 2>/dev/null || break
	sleep 0.02
	i=$((i + 1))
done
check "READY=1 on NOTIFY_SOCKET" grep -qx 'READY=1' "$WORK/notify.log"
like "a STATUS= line" "$(grep '^STATUS=' "$WORK/notify.log" | head -1)" \
	'^STATUS=[0-9]+ domains watched, [0-9]+ approved'
diag "$(grep '^STATUS=' "$WORK/notify.log" | head -1)"

rc=0
kill -TERM "$DPID" 2>/dev/null && wait "$DPID" || rc=$?
DPID=
wait "$LPID" 2>/dev/null
LPID=
if [ $rc -eq 0 ] && grep -qx 'STOPPING=1' "$WORK/notify.log"; then
	ok "STOPPING=1 and exit 0 on SIGTERM"
else
	not_ok "STOPPING=1 and exit 0 on SIGTERM"
	diag "exit $rc" "$(cat "$WORK/notify.log")" "$(tail -5 "$WORK/dmacpid.log")"
fi
finish
