#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# dmacpid killed (SIGKILL) at exactly the points where its state is split
# between guest memory, the hypervisor and xenstore, then restarted: after
# validating and before writing back, after writing the rewritten area back
# and before its verdict, after taking a pause reference and before
# recording it as held (and once more with the successor's question to the
# hypervisor failing), after recording a release and before dropping the
# reference.  The hypervisor preload kills it there (xensim crash-at).
# After the restart every domain must have exactly one correct verdict and
# no pause reference.  kill-random.sh hits these windows only by chance.
. "$top_srcdir/tests/stress/lib.sh"
stress_setup
plan 13

policy_set input-timeout 30s
area_make A --table "$DATA/qemu/NFIT.dimmpxm" --devices-from "$DATA/qemu/SSDT.dimmpxm"
area_make B --table "$DATA/qemu/NFIT.dimmpxm" --table "$DATA/qemu/WAET" \
	--devices-from "$DATA/qemu/SSDT.dimmpxm"
expA=$(area_expect A --domain-key platform/nvdimm=1)
expB=$(area_expect B --domain-key platform/nvdimm=1)
inA=0x100000:$(stat -c %s "$WORK/A.area"):2
inB=0x100000:$(stat -c %s "$WORK/B.area"):3
# What guest memory holds once B is rewritten (WAET dropped): not B itself,
# or "rewritten" below would hold of an untouched area too.
rwB=$(area_rewritten_crc B --domain-key platform/nvdimm=1) &&
	[ "$rwB" != "$("$XENSIM" crc "$WORK/B.area")" ] ||
	{ echo "Bail out! no rewrite of B to expect ('$rwB')"; exit 1; }
cp "$POLICY" "$WORK/nogate.policy"
policy_set gate pause
policy_set gate-timeout 120s
cp "$POLICY" "$WORK/gate.policy"

# crashed POINT: wait until the armed crash point has killed dmacpid (the
# preload removes crash-at as it fires), then reap it.
crash_fired() { [ ! -e "$XENSIM_DIR/crash-at" ]; }
crashed() {
	if ! _until 0 crash_fired; then
		echo "Bail out! dmacpid never reached crash point $1"
		exit 1
	fi
	{ wait "$DPID"; } 2>/dev/null
	DPID=
}

cp "$WORK/nogate.policy" "$POLICY"
daemon_start
# Killed while it holds the validated copy, before writing anything back.
d=$(domain_create --name at-map --key platform/nvdimm=1)
"$XENSIM" crash-at map "$d"
"$XENSIM" qemu "$d" --area "$WORK/B.area"
crashed map
daemon_start
wait_final "$d" 10
is "killed after mapping: decided once, correctly, after the restart" "$(verdict_check "$d" "$inB" "$expB" 1)" ""

# Killed after writing the rewritten area back, before the verdict: the
# successor finds guest memory already rewritten under the same inputs.
d=$(domain_create --name at-unmap --key platform/nvdimm=1)
"$XENSIM" crash-at unmap "$d"
"$XENSIM" qemu "$d" --area "$WORK/B.area"
crashed unmap
is "the area was rewritten when it died" \
	"$("$XENSIM" crc --ram "$d" 0x100000 "$(stat -c %s "$WORK/B.area")")" "$rwB"
daemon_start
wait_final "$d" 10
is "killed between rewriting and its verdict: approved once, correctly" \
	"$(verdict_check "$d" "$inB" "$expB" 1)" ""
daemon_stop

cp "$WORK/gate.policy" "$POLICY"
daemon_start
# Killed right after taking the pause reference, before recording it as
# held.  The second time the successor cannot ask the hypervisor whether
# the domain is paused either (xensim's info-fail): taken as paused, the
# reference is adopted, not taken a second time that nobody drops.
for infofail in 0 1; do
	"$XENSIM" crash-at pause
	d=$(domain_create --name "at-pause-$infofail" --key platform/nvdimm=1)
	crashed pause
	like "it died holding a reference recorded as being taken ($infofail)" \
		"$(pause_counts "$d")/$("$XENSIM" read "/local/domain/0/dmacpid/gate/$d" 2>/dev/null)" \
		"^$d:1/[0-9a-f]{32} pausing\$"
	echo "$infofail" >"$XENSIM_DIR/info-fail"
	daemon_start
	peak=$(pause_counts "$d")
	"$XENSIM" qemu "$d" --area "$WORK/A.area"
	wait_final "$d" 10
	is "decided once, correctly ($infofail)" "$(verdict_check "$d" "$inA" "$expA" 1)" ""
	is "and neither paused twice nor left paused ($infofail)" \
		"$peak/$(wait_unpaused "$d")" "$d:1/"
done
is "the successor's question failed once, and it said so" \
	"$(wc -l <"$XENSIM_DIR/info-fail.log")/$(log_has "cannot tell whether the domain is paused" && echo logged)" \
	"1/logged"

# Killed after recording the release, before dropping the reference.
d=$(domain_create --name at-unpause --key platform/nvdimm=1)
is "gated" "$(wait_pause_count 1 "$d")" ""
"$XENSIM" crash-at unpause "$d"
"$XENSIM" qemu "$d" --area "$WORK/A.area"
crashed unpause
daemon_start
is "killed between the record and the unpause: decided once, correctly" \
	"$(verdict_check "$d" "$inA" "$expA" 1)" ""
is "and not left paused" \
	"$(wait_unpaused "$d")" ""
finish
