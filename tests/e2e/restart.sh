#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Scenario 8: dmacpid SIGKILLed with domains pending and restarted: every
# domain gets exactly one final verdict; with `gate pause`, pause references
# are adopted, never doubled and never leaked, also when the hypervisor
# does not list the domains at first.
. "$top_srcdir/tests/e2e/lib.sh"
e2e_setup
plan 29

len=$(stat -c %s "$AREA")
policy_set gate pause
policy_set gate-timeout 20s
# Partial inputs must stay pending across the restart, however long it takes.
policy_set input-timeout 60s
daemon_start
d1=$(domain_create --name gated --key platform/nvdimm=1)
# The record reads "HANDLE pausing" until the pause is taken, then HANDLE.
held() { xs_read "/local/domain/0/dmacpid/gate/$1" | grep -qx '[0-9a-f]\{32\}'; }
_until 0 held "$d1"
is "a new domain is paused once" "$("$XENSIM" pause-count "$d1")" 1
d2=$(domain_create --name pending --key platform/nvdimm=1)
"$XENSIM" qemu "$d2" --area "$AREA" --partial
check "partial inputs: pending" wait_value "/local/domain/$d2/hvmloader/dm-acpi-verdict/state" pending 3

kill -KILL "$DPID"; wait "$DPID" 2>/dev/null; DPID=
d3=$(domain_create --name while-down --key platform/nvdimm=1)
"$XENSIM" qemu "$d3" --area "$AREA"
# Records for domains that are gone, and a name dmacpid never writes.
# Written and read back, or the sweep below would pass on records never there.
stale=
for r in gate/4000 rewrite/4001 gate/junk; do
	"$XENSIM" write "/local/domain/0/dmacpid/$r" stale &&
		stale="$stale $(xs_read "/local/domain/0/dmacpid/$r")"
done
is "the stale records are in place" "$stale" " stale stale stale"
# READY=1 follows the reconcile that adopts (or would double) the reference
# and sweeps the records of gone domains.
daemon_start
is "the reference is adopted, not doubled" "$("$XENSIM" pause-count "$d1")" 1
check "its record stays" held "$d1"
is "the start-up swept the other records" \
	"$(for r in gate/4000 rewrite/4001 gate/junk; do _gone "/local/domain/0/dmacpid/$r" || echo "$r"; done)" ""
"$XENSIM" qemu "$d1" --area "$AREA"
check "the gated domain is decided" wait_input "$d1" "0x100000:$len:2"
wait_pause "$d1" 0
is "and unpaused exactly once" "$("$XENSIM" pause-count "$d1")" 0
# The record goes after the unpause: wait for it.
check "its record is gone" wait_gone "/local/domain/0/dmacpid/gate/$d1"
"$XENSIM" write "/local/domain/$d2/hvmloader/dm-acpi/length" "$len"
check "the pending domain is decided" wait_input "$d2" "0x100000:$len:"
is "exactly one decision" "$(verdict "$d2" generation)" 1
check "the domain created while down is decided" wait_input "$d3" "0x100000:$len:2"
is "once" "$(verdict "$d3" generation)" 1

# A device model that runs without offering ACPI releases the gate.
d4=$(domain_create --name no-acpi)
wait_pause "$d4" 1
is "paused on introduction" "$("$XENSIM" pause-count "$d4")" 1
"$XENSIM" qemu "$d4" --state running
wait_pause "$d4" 0
is "released when the device model runs without inputs" "$("$XENSIM" pause-count "$d4")" 0
# A clean stop keeps references: an undecided guest must not boot.
d5=$(domain_create --name kept)
wait_pause "$d5" 1
daemon_stop
is "SIGTERM keeps the reference" "$("$XENSIM" pause-count "$d5")/$(xs_read "/local/domain/0/dmacpid/gate/$d5" | wc -c)" "1/33"
# The hypervisor lists no domains at the next start, twice: every record
# would look like a gone domain's.  They are kept, READY=1 waits for a
# listing, and the reference is adopted.
echo 2 >"$XENSIM_DIR/list-fail"
daemon_start
is "two listings failed before READY=1" "$(wc -l <"$XENSIM_DIR/list-fail.log")" 2
is "the reference survived them, adopted" "$("$XENSIM" pause-count "$d5")/$(xs_read "/local/domain/0/dmacpid/gate/$d5" | wc -c)" "1/33"
"$XENSIM" qemu "$d5" --area "$AREA"
check "that domain is decided" wait_input "$d5" "0x100000:$len:2"
wait_pause "$d5" 0
is "and unpaused" "$("$XENSIM" pause-count "$d5")" 0
# And while running: a domain introduced as both listings that would find
# it fail is found by the listing tried again.
echo 2 >"$XENSIM_DIR/list-fail"
d6=$(domain_create --name listed-late --key platform/nvdimm=1)
"$XENSIM" qemu "$d6" --area "$AREA"
check "a domain introduced while the listings fail is decided" wait_input "$d6" "0x100000:$len:2"
is "after them" "$(wc -l <"$XENSIM_DIR/list-fail.log")" 4
# A domain introduced while the start-up's reconcile waits to be tried
# again: its event runs the reconcile then, which adopts what the last
# instance left (reconcile_due).  A plain listing would take every domain
# for a new one: d6, decided and running, would be paused and decided
# again, and its verdict written again as generation 1.  Six failed
# listings leave 3.2 s before the seventh try, in which the introduction
# comes.
_acts() { grep -cE "^dom$d6( \(listed-late\): approved|: gate: paused)" "$LOG"; }
acts=$(_acts)
daemon_stop
echo 6 >"$XENSIM_DIR/list-fail"
daemon_spawn
_failed() { [ "$(wc -l <"$XENSIM_DIR/list-fail.log")" -ge "$1" ]; }
check "six listings failed at the start" _until 0 _failed 10
d7=$(domain_create --name during-backoff --key platform/nvdimm=1)
"$XENSIM" qemu "$d7" --area "$AREA"
check "READY=1 after the introduction" _until 0 _started
check "the domain introduced then is decided" wait_input "$d7" "0x100000:$len:2"
is "no listing failed after the introduction" "$(wc -l <"$XENSIM_DIR/list-fail.log")" 10
is "a domain decided before is adopted: neither paused nor decided again" "$(_acts)" "$acts"
"$XENSIM" qemu "$d6" --area "$AREA" --at 0x200000
check "a domain decided before the restart is decided again" wait_input "$d6" "0x200000:$len:2"
is "its generation continues from the last instance's" "$(verdict "$d6" generation)" 2
finish
