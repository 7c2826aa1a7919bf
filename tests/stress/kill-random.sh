#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Fault: dmacpid SIGKILLed at random points while domains are being created
# and their device models write inputs, KILL_ITERATIONS times (half without
# the gate, half with `gate pause`), sometimes again while the successor
# reconciles.  After each restart: no domain is stuck (each has exactly one
# final verdict, generation 1), every verdict is the one the area deserves,
# no approved area differs from what was validated (guest memory's CRC-32
# equals the verdict's checksum), and no domain is paused twice or left
# paused.
#
# crash-windows.sh kills the daemon deterministically inside the windows
# where its state is split between guest memory, the hypervisor and
# xenstore; random kills land in them now and then.
# STRESS_SEED repeats the test's own choices (not the scheduler's).
. "$top_srcdir/tests/stress/lib.sh"
stress_setup
plan 7

ITER=${KILL_ITERATIONS:-100}
RANDOM=${STRESS_SEED:=$$}
diag "STRESS_SEED=$STRESS_SEED KILL_ITERATIONS=$ITER"
# Keep the shell's notices of killed jobs out of the TAP stream's log.
exec 2>>"$WORK/shell.err"

policy_set input-timeout 60s
area_make A --table "$DATA/qemu/NFIT.dimmpxm" --devices-from "$DATA/qemu/SSDT.dimmpxm"
area_make B --table "$DATA/qemu/NFIT.dimmpxm" --table "$DATA/qemu/WAET" \
	--devices-from "$DATA/qemu/SSDT.dimmpxm"
declare -A EXP IN KEY RW
# A: approved as it is; B: approved with WAET dropped (rewritten in
# place); N: A for a domain without a vNVDIMM, every blob dropped.
EXP[A]=$(area_expect A --domain-key platform/nvdimm=1)
EXP[B]=$(area_expect B --domain-key platform/nvdimm=1)
EXP[N]=$(area_expect A)
RW[B]=$(area_rewritten_crc B --domain-key platform/nvdimm=1) &&
RW[N]=$(area_rewritten_crc A) ||
	{ echo "Bail out! no rewritten area to expect for B or N"; exit 1; }
RW[A]=
IN[A]=0x100000:$(stat -c %s "$WORK/A.area"):2
IN[B]=0x100000:$(stat -c %s "$WORK/B.area"):3
IN[N]=${IN[A]}
KEY[A]="--key platform/nvdimm=1" KEY[B]="--key platform/nvdimm=1" KEY[N]=
FILE_A=A FILE_B=B FILE_N=A
cp "$POLICY" "$WORK/nogate.policy"
policy_set gate pause
policy_set gate-timeout 300s
cp "$POLICY" "$WORK/gate.policy"

# start: dmacpid again, each instance with a log of its own, up to READY=1.
starts=0
start() {
	starts=$((starts + 1))
	LOG=$WORK/dmacpid.$starts.log
	daemon_start
}
# start_connected: only until it is connected (its pid key), so that a kill
# may land in its first reconcile.
start_connected() {
	starts=$((starts + 1))
	LOG=$WORK/dmacpid.$starts.log
	daemon_spawn
	wait_value /local/domain/0/dmacpid/pid "$DPID" ||
		{ echo "Bail out! dmacpid did not connect; its log ends: $(log_tail)"; exit 1; }
}

# A daemon that died on its own before the kill (a crash its successor
# would hide) exits with another status than SIGKILL's 137.
kill_daemon() {
	local rc=0
	kill -KILL "$DPID" 2>/dev/null
	wait "$DPID" 2>/dev/null || rc=$?
	[ "$rc" = 137 ] || notkilled="$notkilled dmacpid.$starts.log: exit status $rc;"
	DPID=
	kills=$((kills + 1))
}
ms() { sleep "$(printf '0.%03d' "$1")"; }

# One device model and toolstack: create COUNT domains, each of a random
# kind, and write their inputs; "domid kind" lines into FILE.
creator() {
	local file=$1 count=$2 j kind d
	RANDOM=$3
	for j in $(seq "$count"); do
		kind=$(echo A B N | cut -d' ' -f$((RANDOM % 3 + 1)))
		d=$("$XENSIM" domain create --hvm --name "k$j" ${KEY[$kind]}) || continue
		echo "$d $kind" >>"$file"
		ms $((RANDOM % 30))
		eval "area=\$WORK/\$FILE_$kind.area"
		"$XENSIM" qemu "$d" --area "$area"
	done
}

kills=0 notkilled= stuck= wrong= doubled= leftpaused= domains=0
for i in $(seq "$ITER"); do
	if [ "$i" -le $((ITER / 2)) ]; then gate=no; else gate=yes; fi
	if [ "$i" = 1 ] || [ "$i" = $((ITER / 2 + 1)) ]; then
		[ -n "$DPID" ] && kill_daemon
		cp "$WORK/$([ $gate = yes ] && echo gate || echo nogate).policy" "$POLICY"
	fi
	[ -n "$DPID" ] || start
	: >"$WORK/iter"
	creator "$WORK/iter" $((RANDOM % 3 + 1)) $RANDOM &
	cpid=$!
	ms $((RANDOM % 200))
	kill_daemon
	wait "$cpid"
	# Sometimes again while the successor reconciles.
	if [ $((RANDOM % 4)) = 0 ]; then
		start_connected
		ms $((RANDOM % 40))
		kill_daemon
	fi
	doms=$(cut -d' ' -f1 "$WORK/iter" | tr '\n' ' ')
	domains=$((domains + $(wc -l <"$WORK/iter")))
	peak=$(pause_counts $doms)
	start
	peak="$peak $(pause_counts $doms)"
	WAIT_SECONDS=20
	left=$(wait_all_final $doms)
	[ -z "$left" ] || stuck="$stuck iteration $i: $left;"
	peak="$peak $(pause_counts $doms)"
	while read -r d kind; do
		bad=$(verdict_check "$d" "${IN[$kind]}" "${EXP[$kind]}" 1)
		[ -z "$bad" ] && continue
		wrong="$wrong iteration $i ($kind): $bad;"
		# Killed after rewriting, before the verdict (crash-windows.sh)?
		[ -n "${RW[$kind]}" ] &&
		   [ "$("$XENSIM" crc --ram "$d" 0x100000 "$(echo "${IN[$kind]}" | cut -d: -f2)")" = "${RW[$kind]}" ] &&
			diag "iteration $i: dom$d ($kind) was decided after its area had been rewritten"
	done <"$WORK/iter"
	if [ $gate = yes ]; then
		WAIT_SECONDS=5
		still=$(wait_unpaused $doms)
	else
		still=$(pause_counts $doms | tr ' ' '\n' | grep -v ':0$' | tr '\n' ' ')
	fi
	problems=$({ printf '%s\n' $peak | grep -v ':[01]$'; printf '%s\n' $still; } | cut -d: -f1 | sort -u)
	for d in $problems; do
		now=$(pause_counts "$d")
		top=$(printf '%s\n' $peak | sed -n "s/^$d://p" | sort -n | tail -1)
		if [ "$top" -ge 2 ]; then
			doubled="$doubled iteration $i: dom$d peaked at $top;"
		else
			leftpaused="$leftpaused iteration $i: $now;"
		fi
	done
	for d in $doms; do "$XENSIM" domain destroy "$d"; done
done
diag "$kills kills, $domains domains"
exec 2>&1

is "no domain is stuck: every one has a final verdict after the restart" "$stuck" ""
is "each has exactly one, the correct one; approved areas match guest memory" "$wrong" ""
is "no domain is paused twice" "$doubled" ""
is "none is left paused" "$leftpaused" ""
is "every kill found dmacpid running and ended it" "$notkilled" ""
check "dmacpid still runs" daemon_alive
is "no gate record outlives its domain" "$("$XENSIM" ls /local/domain/0/dmacpid/gate 2>/dev/null)" ""
finish
