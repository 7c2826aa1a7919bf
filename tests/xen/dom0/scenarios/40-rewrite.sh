# SPDX-License-Identifier: GPL-2.0-or-later
# Scenario 4: the device model rewrites guest memory after the approval.
# The domain is held (xl create -p) past the verdict, the area's bytes are
# replaced (a FACP among them), then xl unpause: the patched hvmloader's
# copy does not match the verdict's digest and it loads nothing.
. /usr/local/lib/dmacpid-xentest/lib.sh
require_patched
plan 7

policy_gate pause
base=$(xen_sigs)
d=$(guest_create late nvdimm patched paused area="$LIB/areas/nvdimm.area")
check "a final verdict while xl holds the domain" wait_verdict "$d"
is "approved" "$(vkey "$d" state)" approved
timeout -k 5 60 dm-producer area "$d" "$LIB/areas/smuggled.area"
now=$(area_digest "$d" "$(vkey "$d" length)")
check "the device model rewrote the area after the verdict ($now)" \
	sh -c 'case $1 in sha256:*) [ "$1" != "$2" ] ;; *) exit 1 ;; esac' sh "$now" "$(vkey "$d" digest)"
xl unpause "$d"
check "hvmloader reaches SeaBIOS" wait_hvmloader "$d"
tables "$d" "$RUN/t-late"
is "the guest has Xen's tables only" "$(sigs "$RUN/t-late")" "$base"
like "hvmloader says the bytes do not match the verdict" \
	"$(guest_log "$d" | grep 'dm-acpi')" 'dm-acpi: refused: digest mismatch'
check "the oracle loads the guest's tables cleanly" oracle_clean "$RUN/t-late"
guest_destroy late
finish
