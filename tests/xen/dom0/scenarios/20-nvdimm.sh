# SPDX-License-Identifier: GPL-2.0-or-later
# Scenario 1: a vNVDIMM domain (platform/nvdimm=1), gate pause, the patched
# hvmloader: dmacpid holds the domain, the device model offers QEMU's NFIT
# and NVDIMM root device, the verdict approves both with the digest of the
# bytes in guest memory, the domain runs, hvmloader loads them, and the
# guest's tables, read from its memory, hold the NFIT and \_SB.NVDR and
# load in acpiexec without an error.
. /usr/local/lib/dmacpid-xentest/lib.sh
require_patched
plan 12

policy_gate pause
d=$(guest_create nvd nvdimm patched area="$LIB/areas/nvdimm.area")
check "xl create of a vNVDIMM domain" [ -n "$d" ]
check "a final verdict" wait_verdict "$d"
is "approved: both blobs, none dropped" \
	"$(vkey "$d" state)/$(vkey "$d" count)/$(vkey "$d" dropped)" approved/2/0
len=$(vkey "$d" length)
is "the approved length is the area's" "$len" "$(stat -c %s "$LIB/areas/nvdimm.area")"
is "the digest is the SHA-256 of the bytes in guest memory" \
	"$(vkey "$d" digest)" "$(area_digest "$d" "$len")"
check "the domain runs: hvmloader reaches SeaBIOS" wait_hvmloader "$d"
like "hvmloader's log says it loaded the device model's blobs" \
	"$(guest_log "$d" | grep 'dm-acpi')" 'dm-acpi: loaded 2 blobs \(1 table, 1 device\)'
tables "$d" "$RUN/t-nvd"
diag "tables: $(sigs "$RUN/t-nvd")"
check "the guest's NFIT is QEMU's, byte for byte" cmp -s "$RUN/t-nvd/NFIT.dat" "$LIB/areas/NFIT"
is "the guest has Xen's tables plus the NFIT and one SSDT" "$(sigs "$RUN/t-nvd")" \
	"$(xen_sigs NFIT SSDT)"
check "acpiexec loads the guest's DSDT and SSDTs without an error" oracle_clean "$RUN/t-nvd"
like "and \\_SB.NVDR is in its namespace" "$(cat "$RUN/t-nvd/acpiexec.out")" 'NVDR.*Device'
(cd "$RUN/t-nvd" && iasl -d NFIT.dat >/dev/null 2>&1)
check "iasl disassembles the guest's NFIT without complaint" sh -c \
	"[ -s '$RUN/t-nvd/NFIT.dsl' ] && ! grep -Eq 'Unknown NFIT subtable|Invalid zero length|terminates early' '$RUN/t-nvd/NFIT.dsl'"
guest_destroy nvd
finish
