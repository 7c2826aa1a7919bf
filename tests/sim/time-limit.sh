#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# tests/lib/time-limit, which every test runs under: a test within its limit
# passes through untouched; one that blocks is stopped at the limit, fails
# with a TAP "Bail out!", and leaves nothing behind (no process of its
# hosts, no host directory, no process holding its output open, which
# would keep the harness reading for ever); a child that ignores SIGTERM
# is killed after the grace period.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/xenhost.sh"
host_require
plan 12

LIMIT="$top_srcdir/tests/lib/time-limit"
W=$(mktemp -d /tmp/xtl.XXXXXX)
trap 'rm -rf "$W"' EXIT

# Within the limit: output and exit status as the test's own.
out=$(DMACPI_TEST_TIMEOUT=60 sh "$LIMIT" sh -c 'echo "ok 1 - fine"; exit 3'); rc=$?
is "a test within its limit keeps its exit status" "$rc" 3
is "and its output, with nothing added" "$out" "ok 1 - fine"

# A scenario that brings up a host and a background daemon, then blocks.
cat >"$W/scenario.sh" <<'SCENARIO'
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/xenhost.sh"
echo "1..2"
host_up || exit 2
echo "$HOST_DIR" >"$W/dir"
start_daemon sleep 600
echo "$BG_PID" >"$W/pid"
echo "ok 1 - started"
touch "$W/ready"
start_bg sleep 600
wait "$BG_PID"
SCENARIO
export W top_srcdir top_builddir

# run_limited LIMIT GRACE CMD...: under time-limit, its output through a
# pipe, in the background; sets RUN_PID, the output in $W/out, the status
# in $W/rc.
run_limited() {
	local limit=$1 grace=$2
	shift 2
	rm -f "$W/rc" "$W/out"
	( { DMACPI_TEST_TIMEOUT=$limit DMACPI_TEST_KILL_AFTER=$grace sh "$LIMIT" "$@"
	    echo $? >"$W/rc.tmp"; } |
		cat >"$W/out"; mv "$W/rc.tmp" "$W/rc" ) &
	RUN_PID=$!
}

start=$(date +%s)
run_limited 5 30 sh "$W/scenario.sh"
wait_file "$W/rc" 120
check "a blocked test ends, and its output closes, soon after the limit" [ -e "$W/rc" ]
took=$(($(date +%s) - start))
check "not before the limit ($took s)" [ "$took" -ge 5 ]
is "it fails with timeout's status" "$(cat "$W/rc" 2>/dev/null)" 124
check "with a TAP bail-out naming the limit" \
	grep -q '^Bail out! stopped after 5 s (DMACPI_TEST_TIMEOUT): sh ' "$W/out"
check "after what it printed" grep -q '^ok 1 - started$' "$W/out"
check "its background daemon is gone" [ ! -e "/proc/$(cat "$W/pid")" ]
check "its host directory is gone (its cleanup ran)" [ ! -e "$(cat "$W/dir")" ]
printf '%s\n' "$(cat "$W/dir")" >"$W/pat"
left=$(grep -lzF -f "$W/pat" /proc/[0-9]*/cmdline 2>/dev/null | grep -v "^/proc/$$/")
is "no process of its host is left" "$left" ""

# A child that ignores SIGTERM and holds the output open: killed after
# the grace period, with the rest of its process group.
rm -f "$W/ready"
run_limited 2 2 sh -c 'trap "" TERM; echo "1..1"; touch "$W/ready"; sleep 600'
wait_file "$W/rc" 60
check "one that ignores SIGTERM is killed after the grace period" [ -e "$W/rc" ]
is "with KILL's status" "$(cat "$W/rc" 2>/dev/null)" 137
wait "$RUN_PID" 2>/dev/null
finish
