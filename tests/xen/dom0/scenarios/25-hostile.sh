# SPDX-License-Identifier: GPL-2.0-or-later
# Scenario 2: hostile areas through the patched hvmloader.  A smuggled FACP
# and a device named PCI0 next to the NFIT and NVDR: the guest ends up with
# exactly Xen's tables plus what was approved.  A broken chain: the area is
# refused, the guest gets Xen's tables only, and hvmloader says why.
. /usr/local/lib/dmacpid-xentest/lib.sh
require_patched
plan 11

policy_gate pause
base=$(xen_sigs)
d=$(guest_create smug nvdimm patched area="$LIB/areas/smuggled.area")
check "smuggled: a final verdict" wait_verdict "$d"
is "smuggled: FACP and PCI0 dropped, NFIT and NVDR approved" \
	"$(vkey "$d" state)/$(vkey "$d" count)/$(vkey "$d" dropped)" approved/2/2
check "smuggled: hvmloader reaches SeaBIOS" wait_hvmloader "$d"
tables "$d" "$RUN/t-smug"
diag "tables: $(sigs "$RUN/t-smug")"
is "smuggled: Xen's tables plus the NFIT and one SSDT, one FACP" "$(sigs "$RUN/t-smug")" \
	"$(xen_sigs NFIT SSDT)"
check "smuggled: acpiexec loads it all, no second \\_SB.PCI0" oracle_clean "$RUN/t-smug"
like "smuggled: hvmloader loads the two approved blobs" \
	"$(guest_log "$d" | grep 'dm-acpi')" 'dm-acpi: loaded 2 blobs \(1 table, 1 device\)'
guest_destroy smug

d=$(guest_create broken nvdimm patched area="$LIB/areas/broken.area")
check "broken chain: a final verdict" wait_verdict "$d"
is "broken chain: rejected" "$(vkey "$d" state)" rejected
check "broken chain: hvmloader reaches SeaBIOS" wait_hvmloader "$d"
tables "$d" "$RUN/t-broken"
is "broken chain: the guest has Xen's tables only" "$(sigs "$RUN/t-broken")" "$base"
like "broken chain: hvmloader says why it loads nothing" \
	"$(guest_log "$d" | grep 'dm-acpi')" 'dm-acpi: refused: state rejected'
guest_destroy broken
finish
