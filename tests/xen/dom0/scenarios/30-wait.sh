# SPDX-License-Identifier: GPL-2.0-or-later
# Scenario: the patched hvmloader waits for the verdict itself, with no
# gate to hold the domain.  dmacpid is stopped (an upgrade, a restart after
# a crash) while vNVDIMM domains boot: xl runs each at once, hvmloader
# finds the device model's inputs and no verdict, says it waits and polls
# (msleep() on Xen's timer, get_system_time() against its deadline).
#  - A verdict the domain owns appears, approving the device model's very
#    inputs and bytes (what a device model could write were the toolstack
#    to let it write under hvmloader/): hvmloader reads its permissions
#    (XS_GET_PERMS) and goes on waiting.  dmacpid started then replaces it
#    with its own, and hvmloader loads the approved blobs.
#  - With dmacpid stopped for good, hvmloader gives up after its 20 s and
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
in=/local/domain/$d/hvmloader/dm-acpi
V=/local/domain/$d/hvmloader/dm-acpi-verdict
len=$(xenstore-read "$in/length")
forged=$(area_digest "$d" "$len")
# The node is the domain's before there is a state to take: what dom0
# writes is dom0's, and hvmloader must never see a dom0-owned approval.
xenstore-write "$V/generation" 1
xenstore-chmod "$V" "n$d"
for kv in "input=$(xenstore-read "$in/address"):$len:$(xenstore-read "$in/count")" \
	"address=$(xenstore-read "$in/address")" "length=$len" "count=2" "dropped=0" \
	"digest=$forged" "state=approved"; do
	xenstore-write "$V/${kv%%=*}" "${kv#*=}"
done
xenstore-chmod -r "$V" "n$d"
is "a forged approval of these inputs and bytes, owned by the domain" \
	"$(xenstore-ls -p "$V" 2>&1 | grep -c "(n$d)\$")/$(vkey "$d" digest)" "8/$forged"
sleep 2
console_sync
is "2 s on: hvmloader does not take it, still waiting (no decision, not at SeaBIOS)" \
	"$(guest_log "$d" | grep -c '^dm-acpi: \(loaded\|refused\)\|Invoking SeaBIOS')" 0
timeout -k 5 120 systemctl start dmacpid
is "dmacpid started" "$(systemctl is-active dmacpid)" active
# xenstore-ls -p: 'state = "approved"  . . .  (n0,r5,r0)'
dom0s() { xenstore-ls -p "$V" 2>/dev/null | grep -Eq '^state = "approved".*\(n0[,)]'; }
check "it replaces the forged verdict with its own: approved, dom0's" wait_for 30 dom0s
check "hvmloader reaches SeaBIOS" wait_hvmloader "$d"
like "hvmloader's lines: it waited, then loaded the approved blobs" \
	"$(guest_log "$d" | grep '^dm-acpi:' | tr '\n' '|')" \
	"^dm-acpi: waiting up to 20 s for dom0's verdict\\|dm-acpi: loaded 2 blobs \\(1 table, 1 device\\), generation [0-9]+\\|\$"
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
