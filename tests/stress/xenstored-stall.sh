#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Fault: oxenstored stalls (SIGSTOP) for several seconds while domains are
# mid-decision, their inputs written, and while device models and the
# toolstack keep trying to write; then it continues (SIGCONT).  dmacpid must
# neither crash nor take the stall for a lost connection, and every domain
# must end with exactly one correct final verdict and no pause reference.
. "$top_srcdir/tests/stress/lib.sh"
stress_setup
plan 10

STALL_SECONDS=${STALL_SECONDS:-4}
policy_set gate pause
policy_set gate-timeout 120s
# Longer than the stall: a device model that xenstored cannot hear is not late.
policy_set input-timeout 30s
area_make nvdimm --table "$DATA/qemu/NFIT.dimmpxm" --devices-from "$DATA/qemu/SSDT.dimmpxm"
area_make waet --table "$DATA/qemu/NFIT.dimmpxm" --table "$DATA/qemu/WAET" \
	--devices-from "$DATA/qemu/SSDT.dimmpxm"
exp_plain=$(area_expect nvdimm --domain-key platform/nvdimm=1)
exp_waet=$(area_expect waet --domain-key platform/nvdimm=1)
len_plain=$(stat -c %s "$WORK/nvdimm.area")
len_waet=$(stat -c %s "$WORK/waet.area")
daemon_start

# Six domains: introduced (and gated) before the stall.
doms=
for i in 1 2 3 4 5 6; do
	doms="$doms $(domain_create --name stall$i --key platform/nvdimm=1)"
done
set -- $doms
d1=$1 d2=$2 d3=$3 d4=$4 d5=$5 d6=$6
WAIT_SECONDS=10
check "every new domain is gated once before the stall" \
	test -z "$(wait_pause_count 1 $doms)"

# Inputs of two domains land, and xenstored stops at once: dmacpid is
# reading them or inside its verdict transaction when it stalls.
"$XENSIM" qemu "$d1" --area "$WORK/nvdimm.area"
"$XENSIM" qemu "$d2" --area "$WORK/waet.area"
xsd_stop
t0=$(date +%s.%N)
# While it is stopped: device models write the inputs of three more, and
# the toolstack creates a domain; all of them block in xenstored's queue.
stress_bg "$XENSIM" qemu "$d3" --area "$WORK/nvdimm.area"; q3=$BG
stress_bg "$XENSIM" qemu "$d4" --area "$WORK/waet.area"; q4=$BG
stress_bg "$XENSIM" qemu "$d5" --area "$WORK/nvdimm.area"; q5=$BG
stress_bg sh -c "'$XENSIM' domain create --hvm --name stall7 --key platform/nvdimm=1 >'$WORK/d7'"; c7=$BG
sleep "$STALL_SECONDS"
check "dmacpid survives a ${STALL_SECONDS}s stall" daemon_alive
xsd_cont
diag "xenstored stopped for $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }') s"

for p in $q3 $q4 $q5 $c7; do stress_wait "$p" || diag "helper $p failed"; done
d7=$(cat "$WORK/d7")
"$XENSIM" qemu "$d7" --area "$WORK/nvdimm.area"
WAIT_SECONDS=30
is "every domain with inputs reaches a final verdict" "$(wait_all_final $d1 $d2 $d3 $d4 $d5 $d7)" ""
bad=
for d in $d1 $d3 $d5 $d7; do
	bad="$bad$(verdict_check "$d" "0x100000:$len_plain:2" "$exp_plain" 1)"
done
for d in $d2 $d4; do
	bad="$bad$(verdict_check "$d" "0x100000:$len_waet:3" "$exp_waet" 1)"
done
is "exactly one correct verdict each (state, length, checksum and digest = guest memory, generation 1)" "$bad" ""
is "every decided domain is unpaused exactly once" "$(wait_unpaused $d1 $d2 $d3 $d4 $d5 $d7)" ""
is "the undecided domain keeps its one reference" "$(pause_counts $d6)" "$d6:1"
is "no gate record is left for the decided ones" \
	"$("$XENSIM" ls /local/domain/0/dmacpid/gate 2>/dev/null | tr '\n' ' ')" "$d6 "
check "a stall is not a lost connection" sh -c "! grep -q 'connection lost' '$LOG'"
# And it keeps serving.
"$XENSIM" qemu "$d6" --area "$WORK/nvdimm.area"
WAIT_SECONDS=10
is "a domain decided after the stall" "$(wait_all_final $d6)$(verdict_check "$d6" "0x100000:$len_plain:2" "$exp_plain" 1)" ""
is "and released" "$(wait_unpaused $d6)" ""
finish
