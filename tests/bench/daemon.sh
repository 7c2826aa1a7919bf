#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# dmacpid on the simulated host against a floor: a client that does only the
# xenstore work every verdict needs (tests/bench/floor.c).  Measures
#  - approval latency: from the device model's last input write to a final
#    verdict visible to a watcher, one domain at a time (median, p99);
#  - boot storm: every domain's inputs written at once, time until all
#    verdicts;
#  - resident memory with the domains live and decided;
#  - with valgrind installed, instructions per decision: the daemon (and the
#    floor) under callgrind, counting only while BENCH_CALLGRIND_DOMAINS
#    (default 100, 0 to skip) domains are decided one by one after the
#    warm-up, divided by that number; the daemon three times, with the
#    area the warm-up decided (which it decides once: a repeat is a copy of
#    that verdict), with an area new to it in every domain whose AML it has
#    checked before (a new NFIT), and with an area and AML new to it in
#    every domain;
#  - xenstore requests per decision: every request oxenstored's access log
#    shows from the verdict writer's connection (reads logged on that host
#    only) while BENCH_REQUEST_DOMAINS (default 50) domains are decided one
#    by one, divided by that number; and before that, per live domain, the
#    start-up over those domains and the warm-up's, none with inputs yet.
#    The log shows neither a transaction's start nor the watch events sent.
# Each measurement runs on a fresh host with BENCH_DOMAINS (default 200)
# vNVDIMM domains whose area is already in guest RAM, after 3 warm-up
# domains: the first approval after start is reported on its own, not mixed
# into the percentiles.  It is the first warm-up domain's, whose inputs are
# written once the client is connected to xenstore (dmacpid's pid node, the
# floor's ready file) and before its start-up over the live domains.
# Prints a markdown table, or "key value" lines with BENCH_FORMAT=raw (for
# tests/bench/run).  Not a test: build without --enable-sanitizers for real
# numbers.
# Usage: tests/bench/daemon.sh [BUILDDIR]   (default: $top_builddir or .)
# DOMIDS and WARMIDS are lists of domids, split on purpose.
# shellcheck disable=SC2086
set -eu
here=$(cd "$(dirname "$0")" && pwd)
srcdir=$(cd "$here/../.." && pwd)
builddir=$(cd "${1:-${top_builddir:-.}}" && pwd)
N=${BENCH_DOMAINS:-200}
NCG=${BENCH_CALLGRIND_DOMAINS:-100}
NREQ=${BENCH_REQUEST_DOMAINS:-50}
HOST_SET=
XENSIM=$builddir/tests/sim/xensim
DMACPID=$builddir/daemon/dmacpid/dmacpid
DMACPICTL=$builddir/daemon/dmacpictl/dmacpictl
DATA=${DMACPI_TESTDATA:-$srcdir/tests/data}
export XENSIM_XENHYP_PRELOAD="$builddir/tests/sim/xenhyp-preload.so"
ADDR=0x100000

for f in "$XENSIM" "$DMACPID" "$DMACPICTL"; do
	[ -x "$f" ] || { echo "daemon.sh: $f missing; run 'make check TESTS=' in $builddir" >&2; exit 2; }
done
case $N in ''|*[!0-9]*|0) echo "daemon.sh: BENCH_DOMAINS must be a positive number" >&2; exit 2 ;; esac
case $NCG in ''|*[!0-9]*) echo "daemon.sh: BENCH_CALLGRIND_DOMAINS must be a number" >&2; exit 2 ;; esac
case $NREQ in ''|*[!0-9]*|0) echo "daemon.sh: BENCH_REQUEST_DOMAINS must be a positive number" >&2; exit 2 ;; esac
command -v valgrind >/dev/null && command -v callgrind_control >/dev/null || NCG=0

WORK=$(mktemp -d /tmp/dmbench.XXXXXX)
BGPID=
cleanup() {
	[ -n "$BGPID" ] && kill -KILL "$BGPID" 2>/dev/null && wait "$BGPID" 2>/dev/null
	for h in "$WORK"/h*; do [ -d "$h" ] && "$XENSIM" down "$h" >/dev/null 2>&1; done
	[ -z "${BENCH_KEEP:-}" ] && rm -rf "$WORK"
	return 0
}
trap cleanup EXIT
trap 'exit 1' INT TERM

cflags="-std=gnu11 -O2 -Wall -Wextra"
for p in floor dm-driver; do
	# shellcheck disable=SC2046
	cc $cflags -o "$WORK/$p" "$here/$p.c" $(pkg-config --cflags --libs xenstore)
done

POLICY=$WORK/dmacpid.policy
sed -e "s|^xen-namespace .*|xen-namespace $DATA/xen/DSDT_20920.aml|" \
	"$srcdir/policy/dmacpid.policy" >"$POLICY"
AREA=$WORK/nvdimm.area
"$DMACPICTL" pack --table "$DATA/qemu/NFIT.dimmpxm" \
	--devices-from "$DATA/qemu/SSDT.dimmpxm" -o "$AREA" >/dev/null
LEN=$(stat -c %s "$AREA")
COUNT=2
WARM=3

# distinct_areas COUNT [aml]: area.1 ... area.COUNT, QEMU's area with the
# NFIT's OEM revision set to 1 ... COUNT (its checksum fixed): as long, as
# valid, and each one new to the daemon, which decides a repeated area only
# once.  Their AML is QEMU's NVDR device, the same in each, unless aml is
# given: then the size of its NRAM region (0x1000, in _DSM's NCAL) is
# 0x1000 + 1 ... COUNT too, so that each device blob is new as well.
distinct_areas() {
	python3 - "$DATA/qemu/NFIT.dimmpxm" "$DATA/qemu/SSDT.dimmpxm" "$WORK" "$1" \
		"${2:-}" <<-'EOF'
	import struct, sys
	nfit, ssdt, work, n, aml = sys.argv[1:6]
	t = bytearray(open(nfit, "rb").read())
	s = bytearray(open(ssdt, "rb").read())
	at = s.index(b"NRAM\x00\x66\x0b\x00\x10") + 7
	for i in range(1, int(n) + 1):
	    for b, name in ((t, "nfit"), (s, "ssdt")):
	        if b is t:
	            struct.pack_into("<I", b, 24, i)
	        elif aml:
	            struct.pack_into("<H", b, at, 0x1000 + i)
	        b[9] = 0
	        b[9] = -sum(b) & 0xff
	        open("%s/%s.%d" % (work, name, i), "wb").write(b)
	EOF
	for i in $(seq "$1"); do
		"$DMACPICTL" pack --table "$WORK/nfit.$i" \
			--devices-from "$WORK/ssdt.$i" -o "$WORK/area.$i" >/dev/null
	done
}

# new_areas NAME [aml]: new_ir, the instructions per decision of areas each
# new to dmacpid (distinct_areas), on a host of its own, the callgrind
# output in $WORK/callgrind.NAME; checks that dmacpid approved every one.
new_areas() {
	distinct_areas "$NCG" "${2:-}"
	host "h$1" "$NCG" distinct
	from=$(($(wc -l <"$WORK/dmacpid.log") + 1))
	daemon_start $CALLGRIND="$WORK/callgrind.$1"
	warm_up
	counted
	bg_stop
	host_down
	new_approved=$(tail -n "+$from" "$WORK/dmacpid.log" |
		grep -c ": approved, generation 1: 2 blobs, 0 dropped" || true)
	if [ "$new_approved" != $((WARM + NCG)) ]; then
		echo "daemon.sh: dmacpid approved $new_approved of $((WARM + NCG)) distinct areas" >&2
		exit 1
	fi
	new_ir=$(ir_per_decision "$WORK/callgrind.$1")
}

# host NAME [COUNT [distinct]]: a fresh host with WARM + COUNT (default N)
# vNVDIMM domains, the area in their RAM (with distinct: area.1 ... in the
# measured ones); sets WARMIDS (the first WARM) and DOMIDS (the COUNT
# measured).
host() {
	"$XENSIM" up "$WORK/$1" $HOST_SET >"$WORK/$1.env"
	# shellcheck source=/dev/null
	. "$WORK/$1.env"
	WARMIDS='' DOMIDS=''
	for i in $(seq $((WARM + ${2:-$N}))); do
		d=$("$XENSIM" domain create --hvm --name "b$i" --key platform/nvdimm=1)
		a=$AREA
		[ "${3:-}" != distinct ] || [ "$i" -le "$WARM" ] || a=$WORK/area.$((i - WARM))
		"$XENSIM" ram "$d" --write "$ADDR" "$a"
		if [ "$i" -le "$WARM" ]; then WARMIDS="$WARMIDS $d"; else DOMIDS="$DOMIDS $d"; fi
	done
}

host_down() {
	"$XENSIM" down "$XENSIM_DIR" >/dev/null 2>&1 || true
}

# dmacpid's READY=1 (after its start-up over every live domain) comes to
# NOTIFY_SOCK, logged one message a line in NOTIFY_LOG.
NOTIFY_SOCK=$WORK/notify.sock NOTIFY_LOG=$WORK/notify.log
python3 "$srcdir/tests/lib/notify-listen" "$NOTIFY_SOCK" "$NOTIFY_LOG" $$ >/dev/null ||
	{ echo "daemon.sh: cannot listen on $NOTIFY_SOCK" >&2; exit 1; }
readies() { grep -cx READY=1 "$NOTIFY_LOG" 2>/dev/null || true; }

# daemon_start [WRAPPER...]: dmacpid on the current host; returns once it
# has published its pid, before its start-up over the live domains.
daemon_start() {
	READIES=$(readies)
	NOTIFY_SOCKET=$NOTIFY_SOCK LD_PRELOAD=$XENSIM_PRELOAD ASAN_OPTIONS=verify_asan_link_order=0 \
		"$@" "$DMACPID" --policy "$POLICY" --log-target stderr 2>>"$WORK/dmacpid.log" &
	BGPID=$!
	# Under valgrind the start takes seconds.
	for _ in $(seq 3000); do
		[ "$("$XENSIM" read /local/domain/0/dmacpid/pid 2>/dev/null)" = "$BGPID" ] && return 0
		sleep 0.02
	done
	echo "daemon.sh: dmacpid did not come up" >&2
	exit 1
}

# ready_wait: until dmacpid's start-up is over (it decides domains during
# it, and the measurements after the warm-up must not count it).
ready_wait() {
	for _ in $(seq 30000); do
		[ "$(readies)" -gt "$READIES" ] && return 0
		sleep 0.02
	done
	echo "daemon.sh: no READY=1 from dmacpid" >&2
	exit 1
}

bg_stop() {
	kill -TERM "$BGPID" 2>/dev/null || true
	wait "$BGPID" 2>/dev/null || true
	BGPID=
}

# floor_start [WRAPPER...]: the floor client for every domain of the host.
floor_start() {
	READIES=
	rm -f "$WORK/floor.ready"
	"$@" "$WORK/floor" "$WORK/floor.ready" $WARMIDS $DOMIDS >"$WORK/floor.out" &
	BGPID=$!
	for _ in $(seq 3000); do
		[ -e "$WORK/floor.ready" ] && return 0
		sleep 0.02
	done
	echo "daemon.sh: the floor client did not come up" >&2
	exit 1
}

rss_of() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }

# drive MODE DOMID...: the device model and the watcher.
drive() {
	mode=$1
	shift
	"$WORK/dm-driver" "$mode" "$ADDR" "$LEN" "$COUNT" "$@"
}

# warm_up: decide the warm-up domains one by one; sets COLD, the latency of
# the first.  Then, for dmacpid, wait for the end of its start-up (the
# floor's ends before it handles the first domain's event).
warm_up() {
	set -- $WARMIDS
	drive latency "$1" >"$WORK/cold"
	read -r COLD _ <"$WORK/cold"
	shift
	drive latency "$@" >/dev/null
	[ -z "$READIES" ] || ready_wait
}

# $CALLGRIND=OUTFILE: valgrind's callgrind, counting nothing until told to.
CALLGRIND="valgrind -q --tool=callgrind --instr-atstart=no --callgrind-out-file"

# ir_per_decision OUTFILE: the instructions counted, per measured domain.
ir_per_decision() {
	awk -v n="$NCG" '/^totals:/ { print int($2 / n); exit }' "$1"
}

# sim_ir OUTFILE: of those, the instructions spent in the simulated
# hypervisor (the xenhyp preload's xc_* and xenforeignmemory_* calls, which
# on Xen are hypercalls and ioctls), per measured domain.
sim_ir() {
	callgrind_annotate --auto=no --inclusive=yes --threshold=100 "$1" 2>/dev/null | awk -v n="$NCG" '
		/xenhyp-preload\.c:(xc_|xenforeignmemory_)[a-z_]+ / { gsub(",", "", $1); s += $1 }
		END { print int(s / n) }'
}

# counted: decide the measured domains with the instruction count on.
counted() {
	callgrind_control -i on "$BGPID" >/dev/null 2>&1
	drive latency $DOMIDS >/dev/null
	callgrind_control -i off "$BGPID" >/dev/null 2>&1 || true	# the floor may be gone
}

# dmacpid: latency and memory on one host, the storm on another.
host ha
daemon_start
warm_up
d_cold=$COLD
drive latency $DOMIDS >"$WORK/latency"
read -r d_med d_p99 _ <"$WORK/latency"
d_rss=$(rss_of "$BGPID")
approved=$(grep -c ": approved, generation 1: 2 blobs, 0 dropped" "$WORK/dmacpid.log" || true)
bg_stop
host_down
host hb
daemon_start
warm_up
d_storm=$(drive storm $DOMIDS)
bg_stop
host_down

# The floor, the same way.
host hc
floor_start
warm_up
f_cold=$COLD
drive latency $DOMIDS >"$WORK/latency"
read -r f_med f_p99 _ <"$WORK/latency"
wait "$BGPID"
BGPID=
f_rss=$(cat "$WORK/floor.out")
host_down
host hd
floor_start
warm_up
f_storm=$(drive storm $DOMIDS)
wait "$BGPID"
BGPID=
host_down

# requests_counted: run the warm-up, then decide the measured domains
# one at a time, and print the requests per decision that the access log
# shows from the connection that writes verdicts (the last one may trail
# its verdict with reads: they are waited for).
requests_counted() {
	warm_up
	from=$(($(wc -l <"$XENSIM_DIR/access.log") + 1))
	drive latency $DOMIDS >/dev/null
	sleep 1
	tail -n "+$from" "$XENSIM_DIR/access.log" | awk -v n="$NREQ" '
		# [time] CONNECTION[.TRANSACTION] OPERATION PATH...
		{ split($2, c, "."); op[NR] = $3; conn[NR] = c[1] }
		$3 == "write" && $4 ~ /dm-acpi-verdict\/state$/ { writer = c[1] }
		END {
			for (i = 1; i <= NR; i++)
				if (conn[i] == writer && op[i] !~ /^(error|w|newconn|endconn)$/)
					k++
			printf "%.1f\n", k / n
		}'
}

# quiet: until the access log has not grown for half a second (60 s at most).
quiet() {
	was=-1
	for _ in $(seq 120); do
		now=$(wc -l <"$XENSIM_DIR/access.log")
		[ "$now" = "$was" ] && return 0
		was=$now
		sleep 0.5
	done
}

# startup_requests FROM: the requests per live domain of the client since
# access-log line FROM, once quiet: its start-up over the host's live
# domains, none of which has inputs yet.  The client's connections are the
# busiest one and the one that watches @introduceDomain (dmacpid has one
# for watches and one for requests).
startup_requests() {
	quiet
	tail -n "+$1" "$XENSIM_DIR/access.log" | awk -v n="$((WARM + NREQ))" '
		$3 !~ /^(error|w|newconn|endconn)$/ { split($2, c, "."); k[c[1]]++ }
		$3 == "watch" && $4 == "@introduceDomain" { split($2, c, "."); w = c[1] }
		END {
			for (x in k) if (k[x] > m) { m = k[x]; b = x }
			printf "%.1f\n", (m + (w != "" && w != b ? k[w] : 0)) / n
		}'
}

# xenstore requests per live domain at start-up and per decision, dmacpid
# and the floor, each on its own host with reads in the access log.
HOST_SET="--set access-log-read-ops=true --set access-log-nb-lines=100000000"
host hr "$NREQ"
from=$(($(wc -l <"$XENSIM_DIR/access.log") + 1))
daemon_start
d_start_req=$(startup_requests "$from")
d_req=$(requests_counted)
bg_stop
host_down
host hs "$NREQ"
from=$(($(wc -l <"$XENSIM_DIR/access.log") + 1))
floor_start
f_start_req=$(startup_requests "$from")
f_req=$(requests_counted)
wait "$BGPID"
BGPID=
host_down
HOST_SET=

# Instructions per decision, dmacpid and the floor, each on its own host:
# dmacpid on areas it decided before (the warm-up's: guests of one
# configuration) and on areas each new to it.
d_ir=n/a f_ir=n/a d_sim=n/a d_new_ir=n/a d_cold_ir=n/a
if [ "$NCG" -gt 0 ]; then
	host he "$NCG"
	daemon_start $CALLGRIND="$WORK/callgrind.dmacpid"
	warm_up
	counted
	bg_stop
	host_down
	new_areas new
	d_new_ir=$new_ir
	new_areas cold aml
	d_cold_ir=$new_ir
	host hf "$NCG"
	floor_start $CALLGRIND="$WORK/callgrind.floor"
	warm_up
	counted
	wait "$BGPID" || true
	BGPID=
	host_down
	d_ir=$(ir_per_decision "$WORK/callgrind.dmacpid")
	d_sim=$(sim_ir "$WORK/callgrind.dmacpid")
	f_ir=$(ir_per_decision "$WORK/callgrind.floor")
	[ -n "${BENCH_CALLGRIND_KEEP:-}" ] && cp "$WORK/callgrind.dmacpid" "$WORK/callgrind.new" \
		"$WORK/callgrind.cold" "$WORK/callgrind.floor" "$BENCH_CALLGRIND_KEEP/"
fi

if [ "$approved" != $((WARM + N)) ]; then
	echo "daemon.sh: dmacpid approved $approved of $((WARM + N)) domains; see the log:" >&2
	tail -5 "$WORK/dmacpid.log" >&2
	exit 1
fi

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", (b > 0 ? a / b : 0) }'; }
ms() { awk -v a="$1" 'BEGIN { printf "%.1f", a / 1000 }'; }
if [ "${BENCH_FORMAT:-}" = raw ]; then
	echo "domains $N"
	echo "cold $d_cold $f_cold"
	echo "median $d_med $f_med"
	echo "p99 $d_p99 $f_p99"
	echo "storm $d_storm $f_storm"
	echo "rss $d_rss $f_rss"
	echo "callgrind_domains $NCG"
	echo "ir $d_ir $f_ir"
	echo "ir_new $d_new_ir $f_ir"
	echo "ir_cold $d_cold_ir $f_ir"
	echo "ir_sim $d_sim"
	echo "requests $d_req $f_req $NREQ"
	echo "start_requests $d_start_req $f_start_req $((WARM + NREQ))"
	exit 0
fi
echo "| metric ($N domains) | dmacpid | floor | ratio |"
echo "|---|---:|---:|---:|"
echo "| first approval after start (µs) | $d_cold | $f_cold | $(ratio "$d_cold" "$f_cold") |"
echo "| approval latency, median (µs) | $d_med | $f_med | $(ratio "$d_med" "$f_med") |"
echo "| approval latency, p99 (µs) | $d_p99 | $f_p99 | $(ratio "$d_p99" "$f_p99") |"
echo "| boot storm, all verdicts (ms) | $(ms "$d_storm") | $(ms "$f_storm") | $(ratio "$d_storm" "$f_storm") |"
echo "| VmRSS, $((WARM + N)) live domains decided (kB) | $d_rss | $f_rss | $(ratio "$d_rss" "$f_rss") |"
echo "| xenstore requests per decision ($NREQ domains) | $d_req | $f_req | $(ratio "$d_req" "$f_req") |"
echo "| xenstore requests per live domain at start-up ($((WARM + NREQ)) domains) | $d_start_req | $f_start_req | $(ratio "$d_start_req" "$f_start_req") |"
[ "$NCG" -gt 0 ] &&
	echo "| instructions per decision ($NCG domains, callgrind), an area decided before | $d_ir | $f_ir | $(ratio "$d_ir" "$f_ir") |" &&
	echo "| the same, each area new to dmacpid, its AML not | $d_new_ir | $f_ir | $(ratio "$d_new_ir" "$f_ir") |" &&
	echo "| the same, each area and its AML new to dmacpid | $d_cold_ir | $f_ir | $(ratio "$d_cold_ir" "$f_ir") |" &&
	echo "| of which in the simulated hypervisor | $d_sim | 0 | |"
exit 0
