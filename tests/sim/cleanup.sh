#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# A scenario that fails half-way (or is killed) leaves nothing behind: no
# oxenstored (even one that ignores SIGTERM because a target is set), no
# background watcher or daemon, no host directory.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/xenhost.sh"
host_require
plan 10

W=$(mktemp -d /tmp/xc.XXXXXX)
trap 'rm -rf "$W"' EXIT
cat >"$W/scenario.sh" <<'SCENARIO'
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/xenhost.sh"
host_up || exit 2
echo "$HOST_DIR" >>"$W/dirs"
domain_create --hvm; G=$DOM
domain_create --target "$G"
start_bg "$XENSIM" watch /local/domain --count 1000 --timeout 600 >/dev/null
start_daemon sleep 600
echo "$BG_PID" >>"$W/pids"
host_up || exit 2
echo "$HOST_DIR" >>"$W/dirs"
touch "$W/ready"
# A shell runs its traps only between commands: wait is interruptible.
[ -n "$HANG" ] && { start_bg sleep 600; wait "$BG_PID"; }
false || exit 1
echo "not reached"
SCENARIO

# leftovers DIR: processes that still belong to the host in DIR (the
# patterns sit in files so that grep's own command line does not match).
leftovers() {
	printf '%s\n' "$1" >"$W/pat.cmd"
	printf 'XENSIM_DIR=%s\n' "$1" >"$W/pat.env"
	{
		grep -lzF -f "$W/pat.cmd" /proc/[0-9]*/cmdline
		grep -lzxF -f "$W/pat.env" /proc/[0-9]*/environ
	} 2>/dev/null | grep -v "^/proc/$$/" | sort -u
}
export W top_srcdir top_builddir
out=$(HANG= sh "$W/scenario.sh" 2>&1); rc=$?
is "the scenario fails half-way" "$rc" 1
is "it brought up two hosts" "$(wc -l <"$W/dirs")" 2
left=""
for d in $(cat "$W/dirs"); do left="$left$(leftovers "$d")"; done
is "no process of either host is left" "$left" ""
check "the host directories are gone" [ ! -e "$(head -1 "$W/dirs")" -a ! -e "$(tail -1 "$W/dirs")" ]
check "the background daemon is gone" [ ! -e "/proc/$(cat "$W/pids")" ]

# Killed from outside while it runs.
rm -f "$W/dirs" "$W/pids" "$W/ready"
HANG=1 sh "$W/scenario.sh" >"$W/second.log" 2>&1 &
S=$!
wait_file "$W/ready" 10
check "the second scenario is running" [ -e "$W/ready" ] || diag "$(cat "$W/second.log")"
running=""
for d in $(cat "$W/dirs"); do running="$running$(leftovers "$d")"; done
check "while it runs, its processes are found" [ -n "$running" ]
kill -TERM "$S"
wait "$S"
is "SIGTERM ends it through its cleanup" "$?" 143
left=""
for d in $(cat "$W/dirs"); do left="$left$(leftovers "$d")"; done
is "no process of either host is left" "$left" ""
check "the host directories are gone" [ ! -e "$(head -1 "$W/dirs")" -a ! -e "$(tail -1 "$W/dirs")" ]
finish
