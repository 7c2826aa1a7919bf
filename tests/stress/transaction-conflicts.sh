#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Fault: other clients keep writing under the domains' trees while dmacpid
# commits verdicts.
#
# oxenstored replays a transaction whose subtree changed and fails it with
# EAGAIN only when the replay reads something different.  So a toolstack
# writing hvmloader/x next to the verdict makes every verdict transaction
# conflict, but oxenstored absorbs it; a guest writing data/x does not even
# conflict (another subtree).  To make EAGAIN reach dmacpid, writers then
# keep changing hvmloader/'s permissions, which the verdict transaction
# reads; and, since whether an attempt gets through that way depends on
# scheduling, the hypervisor preload then fails 40 commits in a row
# (xensim xs-eagain).  dmacpid must give up after a bounded number of
# attempts, back off, and get through once the conflicts stop, with the
# verdict it decided (also when deciding rewrote guest memory); and so for
# the transaction that reads the inputs.
# Throughout, a reader takes transactional snapshots of the verdicts: each
# must be one complete verdict of one generation, never a mix.
. "$top_srcdir/tests/stress/lib.sh"
stress_setup
plan 24

# A host of its own, whose whole access log (host_restart) shows the
# conflicts and retries.
host_restart
nfit=$DATA/qemu/NFIT.dimmpxm
python3 -c 'import sys; d=bytearray(open(sys.argv[1],"rb").read()); d[9]^=1; open(sys.argv[2],"wb").write(d)' \
	"$nfit" "$WORK/NFIT.bad"
area_make A --table "$nfit" --devices-from "$DATA/qemu/SSDT.dimmpxm"
area_make B --table "$nfit" --table "$DATA/qemu/WAET" --devices-from "$DATA/qemu/SSDT.dimmpxm"
area_make R --table "$WORK/NFIT.bad" --table "$DATA/qemu/HPET" --devices-from "$DATA/qemu/SSDT.dimmpxm"
declare -A EXP IN
for a in A B R; do
	EXP[$a]=$(area_expect $a --domain-key platform/nvdimm=1)
	# No count: only length changes from one round to the next, so each
	# round is exactly one decision.
	IN[$a]=0x100000:$(stat -c %s "$WORK/$a.area"):
done
is "the rounds' areas: approved as is, approved with WAET dropped, rejected" \
	"${EXP[A]%% *}/${EXP[B]%% *}/${EXP[R]}" "approved/approved/rejected"
# Partial inputs stay pending until this test completes them.
policy_set input-timeout 60s
daemon_start

d1=$(domain_create --name toolstack1 --key platform/nvdimm=1)
d2=$(domain_create --name toolstack2 --key platform/nvdimm=1)
d3=$(domain_create --name guestdata --key platform/nvdimm=1)
d4=$(domain_create --name quiet --key platform/nvdimm=1)
doms="$d1 $d2 $d3 $d4"
stress_bg "$XENSIM" hammer "/local/domain/$d1/hvmloader/x" --ready "$WORK/r1" >"$WORK/h1.out"; h1=$BG
stress_bg "$XENSIM" hammer "/local/domain/$d2/hvmloader/x" --ready "$WORK/r2" >"$WORK/h2.out"; h2=$BG
stress_bg "$XENSIM" hammer "/local/domain/$d3/data/x" --as-domain "$d3" --ready "$WORK/r3" >"$WORK/h3.out"; h3=$BG
for f in r1 r2 r3; do
	_until 0 test -e "$WORK/$f" || echo "Bail out! writer $f did not start"
done

# The reader: one transactional snapshot after another, every domain.
snapper() {
	while [ ! -e "$WORK/stop-snapper" ]; do
		for d in $d1 $d2 $d3; do
			echo "@ $d"
			"$XENSIM" snapshot "/local/domain/$d/hvmloader/dm-acpi-verdict" 2>/dev/null
		done
	done >"$WORK/snapshots"
}
stress_bg snapper; snap=$BG

rounds="A B R A B R"
k=0 bad=
for a in $rounds; do
	k=$((k + 1))
	for d in $doms; do
		"$XENSIM" qemu "$d" --area "$WORK/$a.area" --no-count
	done
	for d in $doms; do
		wait_input "$d" "${IN[$a]}" 20 || bad="$bad round $k: dom$d undecided;"
		bad="$bad$(verdict_check "$d" "${IN[$a]}" "${EXP[$a]}" $k)"
	done
done
is "six rounds under writers: each exactly one correct decision (generation = round)" "$bad" ""
for h in $h1 $h2 $h3; do
	kill -TERM "$h"
	stress_wait "$h"
done
# dmacpid's connection for requests: the one that writes verdicts.
daemon_conn=$(xs_requests | awk '$3 == "write" && $4 ~ /dm-acpi-verdict\/state$/ { c = $1 } END { print c }')
conflicts() { xs_requests "$1" | awk -v c="$daemon_conn" '$1 == c && $2 != "plain" && $3 == "conflict"' | wc -l; }
replayed=$(conflicts)
diag "dmacpid is connection $daemon_conn; its verdict transactions that conflicted and oxenstored replayed: $replayed"
check "the toolstack writers made dmacpid's transactions conflict" test "$replayed" -ge 1
check "no EAGAIN reached dmacpid while oxenstored could replay" sh -c "! grep -q 'cannot write the verdict' '$LOG'"

# Phase 2: writers changing hvmloader/'s permissions, which the verdict
# transaction reads, so that oxenstored's replay fails and EAGAIN reaches
# dmacpid.  How often depends on scheduling (a writer that is not running
# lets an attempt through), so only what always holds is asserted here.
marker=$(xs_mark)
stress_bg "$XENSIM" hammer "/local/domain/$d1/hvmloader" --perms --ready "$WORK/r4" >"$WORK/h4.out"; h4=$BG
stress_bg "$XENSIM" hammer "/local/domain/$d1/hvmloader" --perms --ready "$WORK/r5" >"$WORK/h5.out"; h5=$BG
for f in r4 r5; do
	_until 0 test -e "$WORK/$f" || echo "Bail out! writer $f did not start"
done
k=7
"$XENSIM" qemu "$d1" --area "$WORK/A.area" --no-count
"$XENSIM" qemu "$d4" --area "$WORK/A.area" --no-count
check "another domain is decided meanwhile" wait_input "$d4" "${IN[A]}" 10
is "correctly" "$(verdict_check "$d4" "${IN[A]}" "${EXP[A]}" $k)" ""
# The writers run for a while (at most 3 s, a duration, not a wait for an
# event: nothing below depends on how many attempts they spoiled).
for i in $(seq 60); do
	[ "$(grep -c "dom$d1: cannot write the verdict" "$LOG")" -ge 3 ] && break
	sleep 0.05
done
for h in $h4 $h5; do
	kill -TERM "$h"
	stress_wait "$h"
done
# (Each writer put back the permissions it found; the second may have
# found the first one's.)
"$XENSIM" perms "/local/domain/$d1/hvmloader" n0 "r$d1"
check "once the writers stop, dom$d1 is decided (backoff at most 5 s)" wait_input "$d1" "${IN[A]}" 15
is "exactly once, correctly" "$(verdict_check "$d1" "${IN[A]}" "${EXP[A]}" $k)" ""
failed=$(grep -c "dom$d1: cannot write the verdict: Resource temporarily unavailable" "$LOG")
attempts=$(conflicts "$marker")
diag "dom$d1: $failed decisions gave up after EAGAIN; $attempts commit attempts failed"
check "no decision made more than 16 attempts" test "$attempts" -le $((16 * failed + 15))

# Phase 3: the same, deterministically: the next 40 commits fail with
# EAGAIN (the hypervisor preload's xs-eagain), for one decision of d2.
"$XENSIM" ram "$d2" --write 0x100000 "$WORK/A.area"
"$XENSIM" xs-eagain 40
before=$(grep -c "dom$d2: cannot write the verdict" "$LOG")
"$XENSIM" write "/local/domain/$d2/hvmloader/dm-acpi/length" "$(echo "${IN[A]}" | cut -d: -f2)"
check "after 40 failed commits dom$d2 is decided" wait_input "$d2" "${IN[A]}" 15
is "exactly once, correctly" "$(verdict_check "$d2" "${IN[A]}" "${EXP[A]}" $k)" ""
is "it gave up twice, after 16 attempts each, and got through on the 9th of the third" \
	"$(( $(grep -c "dom$d2: cannot write the verdict: Resource temporarily unavailable" "$LOG") - before ))/$(wc -l <"$WORK/h/xs-eagain.log")/$(tr -d ' ' <"$WORK/h/xs-eagain")" "2/40/0"
gaps=$(awk 'NR == 17 || NR == 33 { printf "%d ", ($1 - t) * 1000 } { t = $1 }' "$WORK/h/xs-eagain.log")
diag "pauses before the 2nd and 3rd decision (ms): $gaps"
is "and backed off 100 ms, then 200 ms, instead of spinning" \
	"$(echo "$gaps" | awk '{ if ($1 < 90 || $2 < 180) print "too short" }')" ""
touch "$WORK/stop-snapper"
stress_wait "$snap"

# Phase 4: the same for the transaction that reads the inputs: the next 40
# commits of transactions that only read fail with EAGAIN.
"$XENSIM" ram "$d2" --write 0x100000 "$WORK/B.area"
"$XENSIM" xs-eagain 40 --read
before=$(grep -c "dom$d2: cannot read the inputs" "$LOG")
"$XENSIM" write "/local/domain/$d2/hvmloader/dm-acpi/length" "$(echo "${IN[B]}" | cut -d: -f2)"
check "after 40 failed reads of the inputs dom$d2 is decided" wait_input "$d2" "${IN[B]}" 15
is "exactly once, correctly" "$(verdict_check "$d2" "${IN[B]}" "${EXP[B]}" $((k + 1)))" ""
is "it gave up twice, after 16 attempts each, and got through on the 9th of the third" \
	"$(( $(grep -c "dom$d2: cannot read the inputs: Resource temporarily unavailable" "$LOG") - before ))/$(wc -l <"$WORK/h/xs-eagain-read.log")/$(tr -d ' ' <"$WORK/h/xs-eagain-read")" "2/40/0"

# A decision that rewrote guest memory and then could not publish its
# verdict is retried: the retry must not re-validate the rewritten bytes.
d5=$(domain_create --name rewritten --key platform/nvdimm=1)
"$XENSIM" qemu "$d5" --area "$WORK/B.area" --no-count --partial
wait_value "/local/domain/$d5/hvmloader/dm-acpi-verdict/state" pending 10
"$XENSIM" xs-eagain 16
"$XENSIM" write "/local/domain/$d5/hvmloader/dm-acpi/length" "$(echo "${IN[B]}" | cut -d: -f2)"
wait_input "$d5" "${IN[B]}" 15
is "a verdict retried after the area was rewritten is still the approval" \
	"$(verdict_check "$d5" "${IN[B]}" "${EXP[B]}" 1)" ""

# The same when the commit was made and its reply lost (the preload's
# xs-eagain --lost answers EIO): the verdict written stands, neither
# decided again over the rewritten bytes nor given its generation twice.
d7=$(domain_create --name lost-reply --key platform/nvdimm=1)
"$XENSIM" qemu "$d7" --area "$WORK/B.area" --no-count --partial
wait_value "/local/domain/$d7/hvmloader/dm-acpi-verdict/state" pending 10
"$XENSIM" xs-eagain 1 --lost
"$XENSIM" write "/local/domain/$d7/hvmloader/dm-acpi/length" "$(echo "${IN[B]}" | cut -d: -f2)"
check "the lost reply is logged, and the verdict looked at again" \
	_until 0 log_has "dom$d7: after a commit whose reply was lost, its verdict is approved, generation 1"
is "the approval stands, generation 1" "$(verdict_check "$d7" "${IN[B]}" "${EXP[B]}" 1)" ""
is "the commit was made once, answered EIO" \
	"$(wc -l <"$WORK/h/xs-lost.log")/$(grep -c "dom$d7: cannot write the verdict: Input/output error" "$LOG")" "1/1"

# The device model moves its area while dmacpid decides it (address,
# written as dmacpid maps the area): the verdict for the inputs that no
# longer stand must be neither committed nor logged, only the one for
# those that do.
d6=$(domain_create --name moved --key platform/nvdimm=1)
in6=/local/domain/$d6/hvmloader/dm-acpi
len=$(stat -c %s "$WORK/A.area")
"$XENSIM" ram "$d6" --write 0x100000 "$WORK/A.area"
"$XENSIM" ram "$d6" --write 0x200000 "$WORK/A.area"
"$XENSIM" map-write "$d6" "$in6/address" 0x200000
"$XENSIM" write "$in6/count" 2
"$XENSIM" write "$in6/address" 0x100000
"$XENSIM" write "$in6/length" "$len"
check "inputs changed as they were decided: decided" wait_input "$d6" "0x200000:$len:2" 15
is "one decision, for the inputs that stand, logged once" \
	"$(verdict "$d6" generation) $(verdict "$d6" state) $(test -e "$WORK/h/dom$d6.mapwrite" || echo moved) $(grep -c "dom$d6 (moved) blob 0 " "$LOG")" \
	"1 approved moved 1"

# Every snapshot: generation k with round k's complete verdict (or the
# first round's pending, generation 0).
set -- $rounds A
k=0 want=
for a; do
	k=$((k + 1))
	want="$want $k=${IN[$a]}=$(echo ${EXP[$a]} | tr ' ' /)"
done
bad=$(awk -v want="$want" '
	function flush() {
		if (dom == "" || n == 0) return
		total++
		keys = ""
		for (i = 0; i < n; i++) keys = keys " " name[i]
		g = v["generation"]; st = v["state"]
		if (st == "pending") {
			ok = (keys == " generation input state" && g == "0" && v["input"] == "0x100000::")
		} else if (!(g in ex)) {
			ok = 0
		} else {
			split(ex[g], e, "/")
			if (st != e[1] || v["input"] != inp[g]) ok = 0
			else if (st == "approved")
				ok = (keys == " address checksum count digest dropped generation input length state" &&
				      v["length"] == e[2] && v["count"] == e[3] && v["dropped"] == e[4] &&
				      v["checksum"] == e[5] && v["digest"] == e[6] && v["address"] == "0x100000")
			else
				ok = (keys == " dropped generation input reason state" && v["reason"] != "")
		}
		if (!ok) { printf "dom%s:", dom; for (i = 0; i < n; i++) printf " %s=%s", name[i], v[name[i]]; print ""; }
		n = 0; delete v
	}
	BEGIN { n = 0; c = split(want, w, " "); for (i = 1; i <= c; i++) { split(w[i], p, "="); inp[p[1]] = p[2]; ex[p[1]] = p[3] } }
	/^@ / { flush(); dom = $2; next }
	{ eq = index($0, "="); name[n] = substr($0, 1, eq - 1); v[name[n]] = substr($0, eq + 1); n++ }
	END { flush(); print "total " total > "/dev/stderr" }' "$WORK/snapshots" 2>"$WORK/snapcount")
diag "$(cat "$WORK/snapcount") verdict snapshots read"
is "no snapshot shows a partial or mixed verdict" "$bad" ""
check "and there were enough of them to tell" test "$(awk '{ print $2 }' "$WORK/snapcount")" -ge 30
finish
