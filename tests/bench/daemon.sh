#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# dmacpid on the simulated host against a floor: a client that does only the
# xenstore work every verdict needs (tests/bench/floor.c).  Measures
#  - approval latency: from the device model's last input write to a final
#    verdict visible to a watcher, one domain at a time (median, p99);
#  - boot storm: every domain's inputs written at once, time until all
#    verdicts;
#  - resident memory with the domains live and decided.
# Each measurement runs on a fresh host with BENCH_DOMAINS (default 200)
# vNVDIMM domains whose area is already in guest RAM, after 3 warm-up
# domains: the first approval after start is reported on its own (the
# daemon loads Xen's namespace then), not mixed into the percentiles.
# Prints a markdown table.  Not a test: build without --enable-sanitizers for real numbers.
# Usage: tests/bench/daemon.sh [BUILDDIR]   (default: $top_builddir or .)
# DOMIDS and WARMIDS are lists of domids, split on purpose.
# shellcheck disable=SC2086
set -eu
here=$(cd "$(dirname "$0")" && pwd)
srcdir=$(cd "$here/../.." && pwd)
builddir=$(cd "${1:-${top_builddir:-.}}" && pwd)
N=${BENCH_DOMAINS:-200}
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

# host NAME: a fresh host with WARM + N vNVDIMM domains, the area in their
# RAM; sets WARMIDS (the first WARM) and DOMIDS (the N measured).
host() {
	"$XENSIM" up "$WORK/$1" >"$WORK/$1.env"
	# shellcheck source=/dev/null
	. "$WORK/$1.env"
	WARMIDS='' DOMIDS=''
	for i in $(seq $((WARM + N))); do
		d=$("$XENSIM" domain create --hvm --name "b$i" --key platform/nvdimm=1)
		"$XENSIM" ram "$d" --write "$ADDR" "$AREA"
		if [ "$i" -le "$WARM" ]; then WARMIDS="$WARMIDS $d"; else DOMIDS="$DOMIDS $d"; fi
	done
}

host_down() {
	"$XENSIM" down "$XENSIM_DIR" >/dev/null 2>&1 || true
}

daemon_start() {
	LD_PRELOAD=$XENSIM_PRELOAD ASAN_OPTIONS=verify_asan_link_order=0 \
		"$DMACPID" --policy "$POLICY" --log-target stderr 2>>"$WORK/dmacpid.log" &
	BGPID=$!
	for _ in $(seq 500); do
		[ "$("$XENSIM" read /local/domain/0/dmacpid/pid 2>/dev/null)" = "$BGPID" ] && return 0
		sleep 0.02
	done
	echo "daemon.sh: dmacpid did not come up" >&2
	exit 1
}

bg_stop() {
	kill -TERM "$BGPID" 2>/dev/null || true
	wait "$BGPID" 2>/dev/null || true
	BGPID=
}

floor_start() {
	rm -f "$WORK/floor.ready"
		"$WORK/floor" "$WORK/floor.ready" $WARMIDS $DOMIDS >"$WORK/floor.out" &
	BGPID=$!
	for _ in $(seq 500); do
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
# the first.
warm_up() {
	set -- $WARMIDS
	drive latency "$1" >"$WORK/cold"
	read -r COLD _ <"$WORK/cold"
	shift
	drive latency "$@" >/dev/null
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

if [ "$approved" != $((WARM + N)) ]; then
	echo "daemon.sh: dmacpid approved $approved of $((WARM + N)) domains; see the log:" >&2
	tail -5 "$WORK/dmacpid.log" >&2
	exit 1
fi

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", (b > 0 ? a / b : 0) }'; }
ms() { awk -v a="$1" 'BEGIN { printf "%.1f", a / 1000 }'; }
echo "| metric ($N domains) | dmacpid | floor | ratio |"
echo "|---|---:|---:|---:|"
echo "| first approval after start (µs) | $d_cold | $f_cold | $(ratio "$d_cold" "$f_cold") |"
echo "| approval latency, median (µs) | $d_med | $f_med | $(ratio "$d_med" "$f_med") |"
echo "| approval latency, p99 (µs) | $d_p99 | $f_p99 | $(ratio "$d_p99" "$f_p99") |"
echo "| boot storm, all verdicts (ms) | $(ms "$d_storm") | $(ms "$f_storm") | $(ratio "$d_storm" "$f_storm") |"
echo "| VmRSS, $((WARM + N)) live domains decided (kB) | $d_rss | $f_rss | $(ratio "$d_rss" "$f_rss") |"
