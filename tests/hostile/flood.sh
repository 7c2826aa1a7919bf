#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# One device model rewrites its inputs 1,000 times a second for 10 s while
# other domains are created and decided.  They must all get their verdicts
# (latency with and without the flood is measured and reported, with only a
# generous bound), and the flooding domain must end with a verdict that
# answers its last inputs.
#
# Then fairness, counted rather than timed: the daemon is stopped for half a
# second while the flood goes on and another device model writes its
# inputs; once it runs again, the other domain must be decided before the
# flooding domain has been decided more than a few times.  (Longer stops
# are not tried: when a watcher has stopped reading for a second or two
# under a flood, oxenstored 4.17 stops serving the clients whose writes
# fire its watches, and does not serve them again once it reads.)
. "$top_srcdir/tests/e2e/lib.sh"
HOSTILE=$top_builddir/tests/hostile
RATE=${HOSTILE_FLOOD_RATE:-1000}
SECONDS_=${HOSTILE_FLOOD_SECONDS:-10}
BASELINE=${HOSTILE_FLOOD_BASELINE:-40}
# Generous: a daemon that decides every queued event in turn lets a flood
# delay other domains by seconds (see the fairness test below); a starved
# domain would wait for ever, and each wait ends at 30 s anyway.
BOUND_US=20000000
e2e_setup
plan 14

LEN=$(stat -c %s "$AREA")

# new_domains N: create N domains with the area in RAM; prints their ids.
new_domains() {
	local i d
	for i in $(seq "$1"); do
		d=$(domain_create --ram 4M --key platform/nvdimm=1) || return 1
		"$XENSIM" ram "$d" --write 0x100000 "$AREA" || return 1
		echo "$d"
	done
}

# stats FILE: "n median p99 max" of the us= values (p99: nearest rank).
stats() {
	sed -n 's/.* us=\([0-9]*\)$/\1/p' "$1" | sort -n | awk '
		{ v[NR] = $1 }
		END {
			if (!NR) { print "0 0 0 0"; exit }
			p = int((99 * NR + 99) / 100)
			printf "%d %d %d %d\n", NR, v[int((NR + 1) / 2)], v[p], v[NR]
		}'
}

# all_approved FILE: every line says approved, within the bound.
all_approved() {
	[ -s "$1" ] && ! grep -v ' state=approved ' "$1" | grep -q . &&
		[ "$(stats "$1" | cut -d' ' -f4)" -lt "$BOUND_US" ]
}

daemon_start

# Without the flood.
base_doms=$(new_domains "$BASELINE" | tr '\n' ' ')
# shellcheck disable=SC2086
"$HOSTILE/latency" --address 0x100000 --length "$LEN" --count 2 $base_doms >"$WORK/base.lat"
check "without a flood: every domain approved in time" all_approved "$WORK/base.lat"
set -- $(stats "$WORK/base.lat")
base_n=$1 base_med=$2 base_p99=$3

# The flooding domain: the same area at two addresses, the inputs flipping
# between them.
F=$(domain_create --name flood --ram 4M --key platform/nvdimm=1)
"$XENSIM" ram "$F" --write 0x100000 "$AREA"
"$XENSIM" ram "$F" --write 0x200000 "$AREA"
"$HOSTILE/flood" --domid "$F" --rate "$RATE" --seconds "$SECONDS_" --length "$LEN" --count 2 \
	--address 0x100000 --address 0x200000 >"$WORK/flood.out" 2>"$WORK/flood.err" &
FLOOD=$!

# Meanwhile: create domains and decide them, a few at a time.
: >"$WORK/flood.lat"
created=0
while kill -0 "$FLOOD" 2>/dev/null; do
	doms=$(new_domains 3 | tr '\n' ' ') || break
	created=$((created + 3))
	# shellcheck disable=SC2086
	"$HOSTILE/latency" --address 0x100000 --length "$LEN" --count 2 $doms >>"$WORK/flood.lat" ||
		break
done
wait "$FLOOD"
flood_rc=$?
is "the flood ran" "$flood_rc" 0
set -- $(sed 's/[a-z]*=//g' "$WORK/flood.out")
writes=${1:-0} flood_secs=${2:-0} flood_rate=${3:-0} last=${4:-none}
# Generous: a busy host may not keep the pace exactly.
check "the device model rewrote its inputs at least half as often as asked ($writes in ${flood_secs}s)" \
	[ "$writes" -ge $((RATE * SECONDS_ / 2)) ]

check "during the flood: domains were created and decided ($created)" [ "$created" -ge 6 ]
check "during the flood: every other domain approved in time" all_approved "$WORK/flood.lat"
is "during the flood: one verdict per domain created" "$(grep -c . "$WORK/flood.lat")" "$created"
set -- $(stats "$WORK/flood.lat")
flood_n=$1 flood_med=$2 flood_p99=$3 flood_max=$4

# The flooding domain ends with the verdict for its last inputs.
check "the flooding domain's final verdict answers its last inputs" \
	wait_input "$F" "$last:$LEN:2" 30
is "the flooding domain is approved" "$(verdict "$F" state)" approved
hvmloader_rc=0
"$XENSIM" hvmloader "$F" >"$WORK/loader.out" 2>&1 || hvmloader_rc=$?
is "hvmloader loads the flooding domain's area" "$hvmloader_rc" 0
gen=$(verdict "$F" generation)
check "the flooding domain was decided more than once (generation $gen)" [ "${gen:-0}" -ge 2 ]

diag "flood: $writes input rewrites in ${flood_secs}s (${flood_rate}/s); the flooding domain's final generation: $gen" \
	"approval latency without the flood: n=$base_n median=${base_med}us p99=${base_p99}us" \
	"approval latency during the flood:  n=$flood_n median=${flood_med}us p99=${flood_p99}us max=${flood_max}us"

# Still deciding after the flood.
set -- $(new_domains 1)
"$HOSTILE/latency" --address 0x100000 --length "$LEN" --count 2 "$1" >"$WORK/after.lat"
check "after the flood: a new domain is approved" all_approved "$WORK/after.lat"

# Fairness after a backlog: the daemon paused (SIGSTOP) for 0.5 s while the
# flood goes on; meanwhile domain B's device model writes its inputs.
B=$(new_domains 1)
"$HOSTILE/flood" --domid "$F" --rate "$RATE" --seconds 3 --length "$LEN" --count 2 \
	--address 0x100000 --address 0x200000 >"$WORK/flood2.out" 2>&1 &
FLOOD=$!
# (Durations, not waits for events: the flood builds up for 1 s, the
# daemon stays stopped for 0.4 s more.)
sleep 1
kill -STOP "$DPID"
sleep 0.4
"$HOSTILE/latency" --address 0x100000 --length "$LEN" --count 2 "$B" >"$WORK/burst.lat" &
LAT=$!
# B's inputs are all written (length is the last key) before it runs again.
wait_value "/local/domain/$B/hvmloader/dm-acpi/length" "$LEN" ||
	diag "B's inputs did not land while the daemon was stopped"
mark=$(wc -l <"$LOG")
kill -CONT "$DPID"
wait "$LAT"
wait "$FLOOD"
# The flooding domain's decisions logged before B's verdict.
before=$(tail -n +"$((mark + 1))" "$LOG" | awk -v f="^dom$F " -v b="^dom$B .*: (approved|rejected|error)" '
	$0 ~ b { found = 1; exit }
	$0 ~ f && /: approved, generation/ { n++ }
	END { print found ? n + 0 : "never" }')
check "after a backlog: the other domain is approved" all_approved "$WORK/burst.lat"
diag "after a 0.5 s backlog the flooding domain was decided $before times before the other domain ($(sed 's/.*us=/us=/' "$WORK/burst.lat"))"
# A daemon that decides each queued event in arrival order decides every
# queued rewrite of the flood first (dozens to hundreds of decisions); one
# that coalesces events per domain decides the flooding domain about once.
few_before() { [ "$before" != never ] && [ "$before" -le 10 ]; }
check "after a backlog: the other domain waits for at most 10 of the flooding domain's decisions" \
	few_before
check "the daemon is still running" kill -0 "$DPID"
finish
