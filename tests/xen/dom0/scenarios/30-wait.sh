# SPDX-License-Identifier: GPL-2.0-or-later
# Scenario: the patched hvmloader waits for the verdict itself, with no
# gate to hold the domain.  dmacpid is stopped (an upgrade, a restart after
# a crash) while vNVDIMM domains boot: xl runs each at once, hvmloader
# finds the device model's inputs and no verdict, says it waits and polls
# (msleep() on Xen's timer, get_system_time() against its deadline).
#  - dmacpid started a few seconds later decides the running domain, and
#    hvmloader loads the approved blobs;
#  - with dmacpid stopped for good, hvmloader gives up after its 20 s and
#    the guest boots with Xen's tables alone.
. /usr/local/lib/dmacpid-xentest/lib.sh
require_patched
plan 13

# Whatever happens below, the scenarios after this one need dmacpid.
trap 'timeout -k 5 120 systemctl start dmacpid' EXIT
waiting() { guest_log "$1" | grep -q "^dm-acpi: waiting up to 20 s for dom0's verdict$"; }
decided() { guest_log "$1" | grep -q '^dm-acpi: \(loaded\|refused\)'; }

policy_gate none
base=$(xen_sigs)
timeout -k 5 120 systemctl stop dmacpid
is "dmacpid stopped" "$(systemctl is-active dmacpid)" inactive

d=$(guest_create wait nvdimm patched area="$LIB/areas/nvdimm.area")
check "xl create of a vNVDIMM domain while no dmacpid runs" [ -n "$d" ]
check "hvmloader says it waits for dom0's verdict" wait_for 120 waiting "$d"
sleep 2
console_sync
is "2 s on: no verdict, hvmloader still waiting (no decision, not at SeaBIOS)" \
	"$(vkey "$d" state)/$(guest_log "$d" | grep -c '^dm-acpi: \(loaded\|refused\)\|Invoking SeaBIOS')" /0
timeout -k 5 120 systemctl start dmacpid
is "dmacpid started" "$(systemctl is-active dmacpid)" active
check "it decides the running domain" wait_verdict "$d"
is "approved" "$(vkey "$d" state)" approved
check "hvmloader reaches SeaBIOS" wait_hvmloader "$d"
is "hvmloader's lines: it waited, then loaded the approved blobs" \
	"$(guest_log "$d" | grep '^dm-acpi:')" \
	"dm-acpi: waiting up to 20 s for dom0's verdict
dm-acpi: loaded 2 blobs (1 table, 1 device), generation 1"
tables "$d" "$RUN/t-wait"
is "the guest has Xen's tables plus the NFIT and one SSDT" "$(sigs "$RUN/t-wait")" \
	"$(xen_sigs NFIT SSDT)"
guest_destroy wait

timeout -k 5 120 systemctl stop dmacpid
d=$(guest_create giveup nvdimm patched area="$LIB/areas/nvdimm.area")
wait_for 120 waiting "$d"
t0=$(date +%s)
wait_for 90 decided "$d"
t1=$(date +%s)
diag "hvmloader's wait seen from $t0 to $t1"
is "with no dmacpid, hvmloader gives up: verdict timeout" \
	"$(guest_log "$d" | grep '^dm-acpi: \(loaded\|refused\)')" "dm-acpi: refused: verdict timeout"
check "after its 20 s on Xen's clock ($((t1 - t0)) s seen from dom0)" \
	[ $((t1 - t0)) -ge 15 -a $((t1 - t0)) -le 45 ]
wait_hvmloader "$d"
tables "$d" "$RUN/t-giveup"
is "the guest boots with Xen's tables alone" "$(sigs "$RUN/t-giveup")" "$base"
guest_destroy giveup
timeout -k 5 120 systemctl start dmacpid
policy_gate pause
finish
