# SPDX-License-Identifier: GPL-2.0-or-later
# Shared by the end-to-end scenarios: a simulated Xen host (tests/sim) with
# dmacpid running on it under the hypervisor preload, and waiting helpers.
# Source it after setting nothing; call e2e_setup first.
. "$top_srcdir/tests/lib/tap.sh"

XENSIM=$top_builddir/tests/sim/xensim
DMACPICTL=$top_builddir/daemon/dmacpictl/dmacpictl
DMACPID=$top_builddir/daemon/dmacpid/dmacpid
DATA=${DMACPI_TESTDATA:-$top_srcdir/tests/data}
export XENSIM_XENHYP_PRELOAD="$top_builddir/tests/sim/xenhyp-preload.so"
DPID=
# Every wait below is for an event; its bound only stops a hang, so it is
# never shorter than E2E_WAIT seconds, however busy the machine.
E2E_WAIT=${E2E_WAIT:-60}
NOTIFY_PID=

# A daemon still running at the end is stopped with SIGTERM, not killed, so
# that a sanitizer's or valgrind's leak check runs; a non-zero exit status
# from any daemon_stop then fails the scenario (tap-driver reports the
# script's exit status).
# An unpause of a domain that was not paused fails the scenario too: on Xen
# it would have dropped a reference the toolstack holds, and the domain's
# count, which stays 0 here, cannot show it (the hypervisor preload logs
# each one).
DAEMON_FAILED=
e2e_teardown() {
	main_shell || return 0
	[ -n "$DPID" ] && daemon_stop
	[ -n "$NOTIFY_PID" ] && kill "$NOTIFY_PID" 2>/dev/null
	if [ -n "$DAEMON_FAILED" ]; then
		echo "# dmacpid exited with status$DAEMON_FAILED when stopped; its log ends:"
		tail -40 "$LOG" | sed 's/^/# /'
	fi
	if [ -s "${XENSIM_DIR:-/nonexistent}/unpause-einval.log" ]; then
		echo "# unpaused while not paused (a reference dropped twice), domains:" \
			$(sort -u "$XENSIM_DIR/unpause-einval.log")
		DAEMON_FAILED="$DAEMON_FAILED unpause"
	fi
	[ -n "$WORK" ] && "$XENSIM" down "$WORK/h" >/dev/null 2>&1
	[ -n "$WORK" ] && [ -z "$E2E_KEEP" ] && rm -rf "$WORK"
	[ -z "$DAEMON_FAILED" ] || exit 1
}

# e2e_setup: a host, a test copy of the default policy whose Xen namespace
# is the DSDT of a real hvmloader, and the QEMU vNVDIMM area.  Its
# input-timeout (5 s) is short for the tests of incomplete inputs, and long
# enough that a busy machine neither splits a device model's writes by it
# nor hides the pending state that comes before it.
e2e_setup() {
	WORK=$(mktemp -d /tmp/dmacpid-e2e.XXXXXX) || exit 1
	trap e2e_teardown EXIT
	if ! "$XENSIM" up "$WORK/h" >"$WORK/env" 2>"$WORK/up.log"; then
		if grep -q 'no oxenstored' "$WORK/up.log"; then
			xen_unavailable "no oxenstored (tests/sim/get-oxenstored.sh)"
		fi
		echo "Bail out! xensim up failed: $(cat "$WORK/up.log")"
		exit 1
	fi
	. "$WORK/env"
	POLICY=$WORK/dmacpid.policy
	sed -e "s|^xen-namespace .*|xen-namespace $DATA/xen/DSDT_20920.aml|" \
	    -e "s|^input-timeout .*|input-timeout 5s|" \
	    "$top_srcdir/policy/dmacpid.policy" >"$POLICY"
	AREA=$WORK/nvdimm.area
	"$DMACPICTL" pack --table "$DATA/qemu/NFIT.dimmpxm" \
		--devices-from "$DATA/qemu/SSDT.dimmpxm" -o "$AREA" >/dev/null 2>"$WORK/pack.log" ||
		{ echo "Bail out! dmacpictl pack: $(cat "$WORK/pack.log")"; exit 1; }
	LOG=$WORK/dmacpid.log
}

# host_restart [xensim up options]: the host again, empty, e.g. with other
# oxenstored settings (--set KEY=VALUE); before the daemon starts.  The
# tests that restart it read its access log from a line on, so oxenstored
# keeps the whole log rather than rotate it every 13,215 lines.
host_restart() {
	"$XENSIM" down "$WORK/h" >/dev/null 2>&1
	"$XENSIM" up "$WORK/h" --set access-log-nb-lines=1000000000 "$@" \
		>"$WORK/env" 2>"$WORK/up.log" ||
		{ echo "Bail out! xensim up $*: $(cat "$WORK/up.log")"; exit 1; }
	. "$WORK/env"
}

# xs_requests [FROM]: oxenstored's access log from line FROM on (the
# first), as "CONN TX OP PATH [VALUE]": TX "plain" outside a transaction.
# The tests that count requests read the log's layout only from here.
xs_requests() {
	tail -n "+${1:-1}" "$WORK/h/access.log" |
		awk '{ n = split($2, c, "."); $1 = c[1]; $2 = n > 1 ? c[2] : "plain"; print }'
}

# xs_mark: the access log's next line, a FROM for xs_requests.
xs_mark() { echo $(($(wc -l <"$WORK/h/access.log") + 1)); }

# policy_set KEY VALUE: change one setting of the test policy.
policy_set() {
	if grep -q "^$1 " "$POLICY"; then
		sed -i "s|^$1 .*|$1 $2|" "$POLICY"
	else
		sed -i "1i $1 $2" "$POLICY"
	fi
}

# _until SECONDS CMD...: run CMD until it succeeds, for at least E2E_WAIT
# seconds (or SECONDS when longer); false when that time ran out.
_until() {
	local end=$(( $(date +%s) + ($1 > E2E_WAIT ? $1 : E2E_WAIT) ))
	shift
	until "$@"; do
		[ "$(date +%s)" -lt "$end" ] || return 1
		sleep 0.02
	done
}

# _running PID: PID is a live process (not a zombie).
_running() {
	local st
	st=$(sed -n 's/^[0-9]* (.*) \(.\).*/\1/p' "/proc/$1/stat" 2>/dev/null)
	[ -n "$st" ] && [ "$st" != Z ] && [ "$st" != X ]
}

# The READY=1 messages of the instance DPID since it was spawned (the log
# names each sender: a killed instance's late message must not pass for
# its successor's, nor an earlier instance's for a later one given the
# same pid, as a busy suite wraps Debian's pid_max of 32768).
_readies() { tail -n "+$NOTIFY_FROM" "$NOTIFY_LOG" 2>/dev/null | grep -cx "$DPID READY=1"; }
_started() { [ "$(_readies)" -gt 0 ] || ! _running "$DPID"; }
# _last_status PATTERN: the last STATUS= of the instance DPID matches.
_last_status() { grep "^$DPID STATUS=" "$NOTIFY_LOG" | tail -1 | grep -q -- "$1"; }

# daemon_spawn [ARGS]: run dmacpid on the host, its NOTIFY_SOCKET ours,
# and return at once (DPID).
daemon_spawn() {
	if [ -z "$NOTIFY_PID" ]; then
		NOTIFY_SOCK=$WORK/notify.sock NOTIFY_LOG=$WORK/notify.log
		NOTIFY_PID=$(python3 "$top_srcdir/tests/lib/notify-listen" --pid \
			"$NOTIFY_SOCK" "$NOTIFY_LOG" $$) ||
			{ echo "Bail out! cannot listen on $NOTIFY_SOCK"; exit 1; }
	fi
	NOTIFY_FROM=1
	[ ! -f "$NOTIFY_LOG" ] || NOTIFY_FROM=$(( $(wc -l <"$NOTIFY_LOG") + 1 ))
	# An ASan build tolerates the (uninstrumented) hypervisor preload.
	NOTIFY_SOCKET=$NOTIFY_SOCK \
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0 \
	LD_PRELOAD=$XENSIM_PRELOAD $DMACPID_WRAPPER "$DMACPID" --policy "$POLICY" \
		--log-target stderr "$@" 2>>"$LOG" &
	DPID=$!
}

# log_tail: the daemon's last log lines, on one line (for a Bail out!).
log_tail() { tail -5 "$LOG" | tr '\n' ' '; }

# start_diag: what a failed start leaves to see, as TAP comments: the
# daemon's state and open files (a log or socket deleted under it shows
# as such), whether the notification listener runs, the work directory.
start_diag() {
	echo "# dmacpid $DPID (the test is $$): $(grep -E '^(State|PPid):' "/proc/$DPID/status" 2>&1 |
		tr '\n\t' '  ') $(tr '\0' ' ' 2>&1 <"/proc/$DPID/cmdline" | cut -c1-120)"
	ls -l "/proc/$DPID/fd" 2>&1 | sed -n 's/^.* \([0-9]* -> .*\)$/# fd \1/p'
	echo "# notify listener $NOTIFY_PID: $(tr '\0' ' ' 2>&1 <"/proc/$NOTIFY_PID/cmdline" | cut -c1-120)"
	ls -la "$WORK" 2>&1 | sed 's/^/# /'
}

# daemon_start [ARGS]: daemon_spawn, and return once dmacpid has told its
# NOTIFY_SOCKET READY=1 (after its first reconcile), as systemd waits for
# it.  A daemon that exits first fails the test at once; the bound
# (DMACPID_START_WAIT, 120 s) only stops a hang, e.g. under valgrind.
daemon_start() {
	daemon_spawn "$@"
	_until "${DMACPID_START_WAIT:-120}" _started
	if ! _running "$DPID"; then
		start_diag
		echo "Bail out! dmacpid exited before READY=1; its log ends: $(log_tail)"
		exit 1
	fi
	if [ "$(_readies)" = 0 ]; then
		start_diag
		echo "Bail out! no READY=1 from dmacpid in ${DMACPID_START_WAIT:-120} s; its log ends: $(log_tail)"
		exit 1
	fi
	# Written before READY=1; a read that fails on a busy host is retried.
	# The last read's error, if any, is part of the message.
	wait_value /local/domain/0/dmacpid/pid "$DPID" ||
		{ start_diag; echo "Bail out! READY=1, but /local/domain/0/dmacpid/pid reads" \
			"'$("$XENSIM" read /local/domain/0/dmacpid/pid 2>&1 | tr '\n' ' ')'," \
			"not $DPID; its log ends: $(log_tail)"
		  exit 1; }
}

# daemon_stop: SIGTERM and the exit status; one still running after 60 s
# (valgrind's leak check takes seconds) is killed.  Waited for here, not by
# a watchdog subshell: a subshell killed as it starts runs the test's traps.
_exited() { ! _running "$1"; }
daemon_stop() {
	local rc=0
	kill -TERM "$DPID" 2>/dev/null
	_until 60 _exited "$DPID" || kill -KILL "$DPID" 2>/dev/null
	wait "$DPID" || rc=$?
	DPID=
	[ $rc = 0 ] || DAEMON_FAILED="$DAEMON_FAILED $rc"
	return $rc
}

xs_read() { "$XENSIM" read "$1" 2>/dev/null; }

# wait_value PATH VALUE [SECONDS]: until PATH holds VALUE.
_value_is() { [ "$(xs_read "$1")" = "$2" ]; }
wait_value() { _until "${3:-0}" _value_is "$1" "$2"; }

# vnode D: the path of D's verdict node.
vnode() { echo "/local/domain/$1/hvmloader/dm-acpi-verdict"; }
verdict() { xs_read "$(vnode "$1")/$2"; }

# wait_gone PATH [SECONDS]: until PATH does not exist.
_gone() { ! "$XENSIM" perms "$1" >/dev/null 2>&1; }
wait_gone() { _until "${2:-0}" _gone "$1"; }

# wait_final D [SECONDS]: until the state is approved, rejected or error.
_is_final() { case $(verdict "$1" state) in approved|rejected|error) return 0 ;; esac; return 1; }
wait_final() { _until "${2:-0}" _is_final "$1"; }

# wait_input D INPUT [SECONDS]: until a final verdict answers exactly INPUT.
_answers() { [ "$(verdict "$1" input)" = "$2" ] && _is_final "$1"; }
wait_input() { _until "${3:-0}" _answers "$1" "$2"; }

# domain_create [xensim domain create options]: prints the new domid.
domain_create() { "$XENSIM" domain create --hvm "$@"; }

# set_inputs D ADDRESS LENGTH [COUNT]: write the inputs as a device model
# would, count first, length last (the area is complete when length lands).
set_inputs() {
	local base=/local/domain/$1/hvmloader/dm-acpi
	[ -n "$4" ] && "$XENSIM" write "$base/count" "$4"
	"$XENSIM" write "$base/address" "$2"
	"$XENSIM" write "$base/length" "$3"
}

# log_has REGEX: the daemon's log has a line matching REGEX.
log_has() { grep -Eq -- "$1" "$LOG"; }

# crc_of FILE [LENGTH]: 0x%08x of the first LENGTH bytes (default: all).
crc_of() {
	python3 -c 'import sys,zlib
d=open(sys.argv[1],"rb").read()
n=int(sys.argv[2]) if len(sys.argv)>2 else len(d)
print("0x%08x" % zlib.crc32(d[:n]))' "$@"
}

# digest_of [FILE]: "sha256:" and sha256sum's digest of FILE (or stdin), as
# a verdict's digest reads.
digest_of() {
	local sum
	sum=$(sha256sum ${1:+"$1"}) || return 1
	echo "sha256:${sum%% *}"
}

# ram_digest D ADDRESS LENGTH: "sha256:" and sha256sum's digest of D's guest
# RAM [ADDRESS, ADDRESS+LENGTH), read straight from its RAM file (the
# simulated host's domN.ram: guest-physical address = file offset).
# Prints nothing and fails when that range is not all there: a missing
# file or a short read would otherwise hash fewer bytes than asked (the
# pipeline's status is sha256sum's alone).
ram_digest() {
	local ram=$XENSIM_DIR/dom$1.ram size sum
	case $2 in ''|*[!0-9a-fA-Fx]*) echo "ram_digest: bad address '$2'" >&2; return 1 ;; esac
	case $3 in ''|*[!0-9a-fA-Fx]*) echo "ram_digest: bad length '$3'" >&2; return 1 ;; esac
	size=$(stat -c %s "$ram" 2>/dev/null) ||
		{ echo "ram_digest: no RAM file $ram" >&2; return 1; }
	[ $(($2 + $3)) -le "$size" ] ||
		{ echo "ram_digest: [$2, +$3) lies beyond dom$1's $size bytes" >&2; return 1; }
	sum=$(tail -c +$(($2 + 1)) "$ram" | head -c "$3" | sha256sum) || return 1
	echo "sha256:${sum%% *}"
}

# wait_pause D COUNT [SECONDS]: until D's pause count is COUNT.
_pause_is() { [ "$("$XENSIM" pause-count "$1" 2>/dev/null)" = "$2" ]; }
wait_pause() { _until "${3:-0}" _pause_is "$1" "$2"; }

# xs_control_find: set XS_CONTROL to oxenstored's xenstore-control (from the
# same package, next to it); false when there is none.
xs_control_find() {
	local oxd
	oxd=$(sh "$top_srcdir/tests/sim/get-oxenstored.sh" 2>/dev/null) || return 1
	XS_CONTROL=$(dirname "$oxd")/xenstore-control
	[ -x "$XS_CONTROL" ] && "$XS_CONTROL" watches >/dev/null 2>&1
}

# daemon_watches: the watches oxenstored holds for dmacpid's connection
# (the one watching @introduceDomain with dmacpid's token), as
# "PATH TOKEN" lines, sorted.  Needs xs_control_find first.
daemon_watches() {
	"$XS_CONTROL" watches | tr -d '\0' | awk '
		$1 == "watch" { conn[NR] = $2; line[NR] = $3 " " $4 }
		$1 == "watch" && $3 == "@introduceDomain" && $4 == "@domains" { me = $2 }
		END { for (i in line) if (conn[i] == me) print line[i] }' | sort
}

# wait_watches COUNT [SECONDS]: until dmacpid holds exactly COUNT watches.
_watches_are() { [ "$(daemon_watches | wc -l)" = "$1" ]; }
wait_watches() { _until "${2:-0}" _watches_are "$1"; }

# wait_log REGEX [SECONDS]: until the daemon's log has a line matching REGEX.
wait_log() { _until "${2:-0}" log_has "$1"; }
