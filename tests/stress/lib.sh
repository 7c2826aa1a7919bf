# SPDX-License-Identifier: GPL-2.0-or-later
# Shared by the stress scenarios (faults injected into the simulated host
# while dmacpid serves it): the end-to-end harness of tests/e2e/lib.sh, plus
# areas with verdicts known in advance, verdict checks against guest memory,
# and clean-up of the helpers a fault needs.  Source it, call stress_setup.
. "$top_srcdir/tests/e2e/lib.sh"

STRESS_PIDS=

# stress_setup: e2e_setup, with a teardown that first undoes the faults
# (a stopped xenstored would hang every clean-up step after it).
stress_setup() {
	e2e_setup
	trap stress_teardown EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
}

stress_teardown() {
	local rc=$? p
	main_shell || exit $rc
	trap - EXIT
	xsd_cont
	for p in $STRESS_PIDS; do
		kill -KILL "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	e2e_teardown
	exit $rc
}

# stress_bg CMD...: run CMD in the background, stopped at exit; sets BG.
stress_bg() {
	"$@" &
	BG=$!
	STRESS_PIDS="$STRESS_PIDS $BG"
}

# stress_wait PID: wait for a helper started with stress_bg.
stress_wait() {
	local rc=0
	wait "$1" || rc=$?
	STRESS_PIDS=$(printf '%s\n' $STRESS_PIDS | grep -vx "$1" | tr '\n' ' ')
	return $rc
}

xsd_pid() { cat "$XENSIM_DIR/pid" 2>/dev/null; }
xsd_stop() { kill -STOP "$(xsd_pid)"; }
xsd_cont() {
	local p
	[ -n "$XENSIM_DIR" ] && p=$(xsd_pid) && [ -n "$p" ] && kill -CONT "$p" 2>/dev/null
	return 0
}

# daemon_alive: the dmacpid we started runs (not a zombie).
daemon_alive() {
	local st
	[ -n "$DPID" ] || return 1
	st=$(sed -n 's/^[0-9]* (.*) \(.\).*/\1/p' "/proc/$DPID/stat" 2>/dev/null)
	[ -n "$st" ] && [ "$st" != Z ] && [ "$st" != X ]
}

# area_make NAME PACK-ARGS...: $WORK/NAME.area from `dmacpictl pack`.
area_make() {
	local name=$1
	shift
	"$DMACPICTL" pack "$@" -o "$WORK/$name.area" >/dev/null 2>"$WORK/pack.log" ||
		{ echo "Bail out! dmacpictl pack $*: $(cat "$WORK/pack.log")"; exit 1; }
}

# area_expect NAME [EVALUATE-ARGS...]: what the daemon must decide for
# $WORK/NAME.area under $POLICY, from `dmacpictl evaluate` (the same core):
# "approved LENGTH COUNT DROPPED CHECKSUM DIGEST" or "rejected".
area_expect() {
	local name=$1 last
	shift
	last=$("$DMACPICTL" evaluate --policy "$POLICY" "$@" "$WORK/$name.area" 2>/dev/null | tail -1)
	case $last in
	verdict=approved*)
		printf '%s\n' "$last" | sed -n \
		 's/^verdict=approved length=\([0-9]*\) count=\([0-9]*\) dropped=\([0-9]*\) checksum=\(0x[0-9a-f]*\) digest=\(sha256:[0-9a-f]*\) .*/approved \1 \2 \3 \4 \5/p' ;;
	verdict=rejected*) echo rejected ;;
	*) echo "Bail out! dmacpictl evaluate $name: $last" >&2; exit 1 ;;
	esac
}

# area_rewritten_crc NAME [EVALUATE-ARGS...]: the CRC-32 of what guest
# memory holds over the whole input area once dmacpid has rewritten it (the
# approved bytes, then zeros), i.e. before its verdict is written.  Prints
# nothing and fails when evaluate writes no area (no approval): the input
# area must not stand in for a rewrite.
area_rewritten_crc() {
	local name=$1
	shift
	rm -f "$WORK/$name.out"
	"$DMACPICTL" evaluate --policy "$POLICY" "$@" --out "$WORK/$name.out" \
		"$WORK/$name.area" >/dev/null 2>&1
	[ -e "$WORK/$name.out" ] ||
		{ echo "area_rewritten_crc $name: evaluate wrote no rewritten area" >&2; return 1; }
	truncate -s "$(stat -c %s "$WORK/$name.area")" "$WORK/$name.out"
	"$XENSIM" crc "$WORK/$name.out"
}

# verdict_check D INPUT EXPECT [GENERATION]: prints nothing when D's verdict,
# read in one transaction, is exactly EXPECT (as area_expect prints it, or
# "error") for INPUT, with no key missing or extra, and, when approved,
# guest memory at [address, +length) has the verdict's CRC-32 and digest;
# else one line per difference.
verdict_check() {
	local d=$1 input=$2 gen=$4 snap keys want state len count dropped crc digest mem
	set -- $3
	state=$1 len=$2 count=$3 dropped=$4 crc=$5 digest=$6
	snap=$("$XENSIM" snapshot "/local/domain/$d/hvmloader/dm-acpi-verdict" 2>/dev/null) ||
		{ echo "dom$d: no verdict"; return 0; }
	vget() { printf '%s\n' "$snap" | sed -n "s/^$1=//p"; }
	keys=$(printf '%s\n' "$snap" | cut -d= -f1 | tr '\n' ' ')
	case $state in
	approved) want="address checksum count digest dropped generation input length state " ;;
	rejected) want="dropped generation input reason state " ;;
	*) want="generation input reason state " ;;
	esac
	[ "$keys" = "$want" ] || echo "dom$d: keys '$keys', want '$want'"
	[ "$(vget state)" = "$state" ] || echo "dom$d: state '$(vget state)', want '$state'"
	[ "$(vget input)" = "$input" ] || echo "dom$d: input '$(vget input)', want '$input'"
	[ -z "$gen" ] || [ "$(vget generation)" = "$gen" ] ||
		echo "dom$d: generation '$(vget generation)', want '$gen'"
	case $state in
	approved)
		[ "$(vget length)/$(vget count)/$(vget dropped)/$(vget checksum)/$(vget digest)" = "$len/$count/$dropped/$crc/$digest" ] ||
			echo "dom$d: length/count/dropped/checksum/digest $(vget length)/$(vget count)/$(vget dropped)/$(vget checksum)/$(vget digest), want $len/$count/$dropped/$crc/$digest"
		mem=$("$XENSIM" crc --ram "$d" "$(vget address)" "$(vget length)" 2>&1)
		[ "$mem" = "$(vget checksum)" ] ||
			echo "dom$d: guest memory has CRC $mem, the verdict says $(vget checksum)"
		mem=$(ram_digest "$d" "$(vget address)" "$(vget length)" 2>&1)
		[ "$mem" = "$(vget digest)" ] ||
			echo "dom$d: guest memory has digest $mem, the verdict says $(vget digest)"
		;;
	*)
		[ -n "$(vget reason)" ] || echo "dom$d: no reason"
		;;
	esac
	return 0
}

# _deadline: the end of a wait, WAIT_SECONDS from now but never less than
# E2E_WAIT (the bound only stops a hang).
_deadline() {
	local w=${WAIT_SECONDS:-0}
	echo $(( $(date +%s) + (w > E2E_WAIT ? w : E2E_WAIT) ))
}

# wait_all_final D...: until every domain's state is final; prints the
# domains that are not.
wait_all_final() {
	local d left=$* end
	end=$(_deadline)
	while [ -n "$left" ]; do
		set -- $left
		left=
		for d; do
			case $(verdict "$d" state) in
			approved|rejected|error) ;;
			*) left="$left $d" ;;
			esac
		done
		[ -n "$left" ] && [ "$(date +%s)" -lt "$end" ] || break
		sleep 0.05
	done
	printf '%s' "$left" | sed 's/^ //'
}

# pause_counts D...: "D:count" for each, from the domain table.
pause_counts() {
	local d out=
	for d; do
		out="$out $d:$(awk -v d="$d" '$1 == d { print $3 }' "$XENSIM_DIR/domains")"
	done
	printf '%s' "$out" | sed 's/^ //'
}

# wait_pause_count N D...: until every domain's pause count is N; prints
# "D:count" for those that are not.
wait_pause_count() {
	local want=$1 bad end
	shift
	end=$(_deadline)
	while :; do
		bad=$(pause_counts "$@" | tr ' ' '\n' | grep -v ":$want\$" | tr '\n' ' ' | sed 's/ $//')
		[ -z "$bad" ] || [ "$(date +%s)" -ge "$end" ] && break
		sleep 0.05
	done
	printf '%s' "$bad"
}

wait_unpaused() { wait_pause_count 0 "$@"; }
