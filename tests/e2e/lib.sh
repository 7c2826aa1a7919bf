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

# A daemon still running at the end is stopped with SIGTERM, not killed, so
# that a sanitizer's or valgrind's leak check runs; a non-zero exit status
# from any daemon_stop then fails the scenario (tap-driver reports the
# script's exit status).
DAEMON_FAILED=
e2e_teardown() {
	[ -n "$DPID" ] && daemon_stop
	if [ -n "$DAEMON_FAILED" ]; then
		echo "# dmacpid exited with status$DAEMON_FAILED when stopped; its log ends:"
		tail -40 "$LOG" | sed 's/^/# /'
	fi
	[ -n "$WORK" ] && "$XENSIM" down "$WORK/h" >/dev/null 2>&1
	[ -n "$WORK" ] && [ -z "$E2E_KEEP" ] && rm -rf "$WORK"
	[ -z "$DAEMON_FAILED" ] || exit 1
}

# e2e_setup: a host, a test copy of the default policy whose Xen namespace
# is the DSDT of a real hvmloader, and the QEMU vNVDIMM area.
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
	    -e "s|^input-timeout .*|input-timeout 1s|" \
	    "$top_srcdir/policy/dmacpid.policy" >"$POLICY"
	AREA=$WORK/nvdimm.area
	"$DMACPICTL" pack --table "$DATA/qemu/NFIT.dimmpxm" \
		--devices-from "$DATA/qemu/SSDT.dimmpxm" -o "$AREA" >/dev/null 2>"$WORK/pack.log" ||
		{ echo "Bail out! dmacpictl pack: $(cat "$WORK/pack.log")"; exit 1; }
	LOG=$WORK/dmacpid.log
}

# policy_set KEY VALUE: change one setting of the test policy.
policy_set() {
	if grep -q "^$1 " "$POLICY"; then
		sed -i "s|^$1 .*|$1 $2|" "$POLICY"
	else
		sed -i "1i $1 $2" "$POLICY"
	fi
}

# daemon_start [ARGS]: run dmacpid on the host, wait until it is connected.
daemon_start() {
	# An ASan build tolerates the (uninstrumented) hypervisor preload.
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0 \
	LD_PRELOAD=$XENSIM_PRELOAD $DMACPID_WRAPPER "$DMACPID" --policy "$POLICY" \
		--log-target stderr "$@" 2>>"$LOG" &
	DPID=$!
	wait_value /local/domain/0/dmacpid/pid "$DPID" 10 ||
		{ echo "Bail out! dmacpid did not come up: $(tail -5 "$LOG")"; exit 1; }
}

# daemon_stop: SIGTERM and the exit status; one still running after 60 s
# (valgrind's leak check takes seconds) is killed.
daemon_stop() {
	local rc=0 dog
	kill -TERM "$DPID" 2>/dev/null
	(trap - EXIT; sleep 60; kill -KILL "$DPID") >/dev/null 2>&1 &
	dog=$!
	wait "$DPID" || rc=$?
	kill "$dog" 2>/dev/null
	DPID=
	[ $rc = 0 ] || DAEMON_FAILED="$DAEMON_FAILED $rc"
	return $rc
}

xs_read() { "$XENSIM" read "$1" 2>/dev/null; }

# wait_value PATH VALUE [SECONDS]
wait_value() {
	local i n=$(( ${3:-5} * 50 ))
	for i in $(seq "$n"); do
		[ "$(xs_read "$1")" = "$2" ] && return 0
		sleep 0.02
	done
	return 1
}

verdict() { xs_read "/local/domain/$1/hvmloader/dm-acpi-verdict/$2"; }

# wait_final D [SECONDS]: until the state is approved, rejected or error.
wait_final() {
	local i n=$(( ${2:-5} * 50 ))
	for i in $(seq "$n"); do
		case $(verdict "$1" state) in approved|rejected|error) return 0 ;; esac
		sleep 0.02
	done
	return 1
}

# wait_input D INPUT [SECONDS]: until a final verdict answers exactly INPUT.
wait_input() {
	local i n=$(( ${3:-5} * 50 ))
	for i in $(seq "$n"); do
		if [ "$(verdict "$1" input)" = "$2" ]; then
			case $(verdict "$1" state) in approved|rejected|error) return 0 ;; esac
		fi
		sleep 0.02
	done
	return 1
}

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

# wait_pause D COUNT [SECONDS]: until D's pause count is COUNT.
wait_pause() {
	local i n=$(( ${3:-5} * 50 ))
	for i in $(seq "$n"); do
		[ "$("$XENSIM" pause-count "$1" 2>/dev/null)" = "$2" ] && return 0
		sleep 0.02
	done
	return 1
}

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
wait_watches() {
	local i n=$(( ${2:-5} * 50 ))
	for i in $(seq "$n"); do
		[ "$(daemon_watches | wc -l)" = "$1" ] && return 0
		sleep 0.02
	done
	return 1
}

# wait_log REGEX [SECONDS]: until the daemon's log has a line matching REGEX.
wait_log() {
	local i n=$(( ${2:-5} * 50 ))
	for i in $(seq "$n"); do
		log_has "$1" && return 0
		sleep 0.02
	done
	return 1
}
