# SPDX-License-Identifier: GPL-2.0-or-later
# Scenario helpers for tests on the simulated Xen host (tests/sim/README.md).
# Source after tap.sh:
#
#	host_require            skip the whole test unless oxenstored can be had
#	host_up                 start a host; sets HOST_DIR, exports XENSIM_DIR,
#	                        XENSTORED_PATH and XENSIM_PRELOAD for it
#	domain_create ARGS...   sets DOM to the new domid
#	qemu_put D ARGS...      play the device model
#	start_bg CMD...         run CMD in the background; sets BG_PID
#	start_daemon CMD...     start_bg with the simulated hypervisor preloaded
#	hvmloader_wait D ARGS.. sets HVMLOADER_RC and HVMLOADER_OUT
#	oracle DIR              sets ORACLE_RC and ORACLE_OUT
#	stop_bg PID             stop one background process now
#	wait_for [-t S] CMD...  until CMD succeeds (at least XENHOST_WAIT s)
#	wait_file FILE [S]      until FILE exists
#
# Everything started here is stopped and reaped on exit, also when a test
# fails half-way (an EXIT trap; INT and TERM exit through it).
# XENHOST_KEEP=1 keeps the host directories for a post-mortem.

XENSIM=${XENSIM:-$top_builddir/tests/sim/xensim}
XENHOST_BG=""
XENHOST_HOSTS=""

# Is pid gone (no process, or only a zombie)?
_xh_gone() {
	local st
	st=$(sed -n 's/^[0-9]* (.*) \(.\).*/\1/p' "/proc/$1/stat" 2>/dev/null)
	[ -z "$st" ] || [ "$st" = Z ] || [ "$st" = X ]
}

# Stop a child of this shell: TERM, a grace period, KILL; then reap it.
stop_bg() {
	local pid=$1 i
	kill -TERM "$pid" 2>/dev/null
	for i in 1 2 3 4 5 6 7 8 9 10; do
		_xh_gone "$pid" && break
		sleep 0.05
	done
	_xh_gone "$pid" || kill -KILL "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	XENHOST_BG=$(printf '%s\n' $XENHOST_BG | grep -vx "$pid" | tr '\n' ' ')
	return 0
}

xenhost_cleanup() {
	local rc=$? pid entry dir
	main_shell || exit $rc
	trap - EXIT INT TERM
	for pid in $XENHOST_BG; do
		stop_bg "$pid"
	done
	for entry in $XENHOST_HOSTS; do
		dir=${entry%%:*}
		pid=${entry#*:}
		"$XENSIM" down "$dir" >/dev/null 2>&1
		_xh_gone "$pid" || kill -KILL "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
		[ -n "${XENHOST_KEEP:-}" ] || rm -rf "$dir"
	done
	XENHOST_HOSTS=""
	exit "$rc"
}
trap xenhost_cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

host_require() {
	local bin
	if ! bin=$("$top_srcdir/tests/sim/get-oxenstored.sh" 2>/dev/null); then
		xen_unavailable "oxenstored (xen-utils-4.17) cannot be obtained"
	fi
	export DMACPI_OXENSTORED="$bin"
}

host_up() {
	local dir pid
	# Short: socket names are limited to 108 bytes.
	dir=$(mktemp -d /tmp/xs.XXXXXX) || return 1
	# In the foreground, oxenstored stays this shell's child and is reaped here.
	"$XENSIM" up "$dir" --foreground </dev/null >/dev/null 2>&1 &
	pid=$!
	XENHOST_HOSTS="$XENHOST_HOSTS $dir:$pid"
	if ! "$XENSIM" ready "$dir" 120; then
		diag "host $dir did not come up:" "$(cat "$dir/oxenstored.out" 2>/dev/null)"
		return 1
	fi
	HOST_DIR=$dir
	HOST_PID=$pid
	export XENSIM_DIR="$dir" XENSTORED_PATH="$dir/socket"
	export XENSIM_PRELOAD="$top_builddir/tests/sim/xenhyp-preload.so"
}

domain_create() {
	DOM=$("$XENSIM" domain create "$@")
}

qemu_put() {
	"$XENSIM" qemu "$@"
}

start_bg() {
	"$@" &
	BG_PID=$!
	XENHOST_BG="$XENHOST_BG $BG_PID"
}

# The preload is not instrumented: a sanitized daemon must not insist on
# its runtime coming first.
start_daemon() {
	start_bg env LD_PRELOAD="$XENSIM_PRELOAD" \
		ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0" "$@"
}

hvmloader_wait() {
	HVMLOADER_OUT=$("$XENSIM" hvmloader "$@" 2>&1)
	HVMLOADER_RC=$?
}

oracle() {
	ORACLE_OUT=$("$XENSIM" oracle "$@" 2>&1)
	ORACLE_RC=$?
}

# Every wait is for an event; its bound only stops a hang, so it is never
# shorter than XENHOST_WAIT seconds, however busy the machine.
XENHOST_WAIT=${XENHOST_WAIT:-60}

# wait_for [-t SECONDS] CMD...: until CMD succeeds; false when the bound
# (at least XENHOST_WAIT) ran out.
wait_for() {
	local s=0 end
	if [ "$1" = -t ]; then s=$2; shift 2; fi
	end=$(( $(date +%s) + (s > XENHOST_WAIT ? s : XENHOST_WAIT) ))
	until "$@"; do
		[ "$(date +%s)" -lt "$end" ] || return 1
		sleep 0.02
	done
}

# wait_file FILE [SECONDS]: until FILE exists.
wait_file() { wait_for -t "${2:-0}" test -e "$1"; }
