#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Decisions on real areas through `dmacpictl evaluate`: the shipped default
# policy (with Xen's namespace from the test data) on QEMU's vNVDIMM NFIT
# and NVDR device, on every table Xen builds smuggled in as a blob, on a
# device named like one of Xen's; then rewriting and permissive mode.
. "$top_srcdir/tests/lib/tap.sh"

ctl="$top_builddir/daemon/dmacpictl/dmacpictl"
Q="$DMACPI_TESTDATA/qemu"
X="$DMACPI_TESTDATA/xen"
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

plan 47

# The default policy, pointed at Xen's tables from the test data.
pol="$tmp/dmacpid.policy"
sed "s|^xen-namespace .*|xen-namespace $X/DSDT_20920.aml $X/SSDT_29c40.aml $X/SSDT_2a200.aml $X/SSDT_2a260.aml $X/SSDT_2a2a0.aml|" \
	"$top_srcdir/policy/dmacpid.policy" >"$pol"
line() { grep -n -- "$1" "$pol" | head -1 | cut -d: -f1; }
R_NFIT=$pol:$(line '^allow table NFIT')
R_NONFIT=$pol:$(line '^deny table NFIT')
R_NVDR=$pol:$(line '^allow device NVDR')
R_XEN=$pol:$(line '^deny table APIC')
R_AML=$pol:$(line '^deny table SSDT')

out=$("$ctl" check "$pol" 2>&1)
is "default policy is valid, without warnings" "$out" "policy OK: 7 rules"

# evaluate AREA ARGS...: stdout in $out, exit status in $rc
ev() { a=$1; shift; out=$("$ctl" evaluate --policy "$pol" "$@" "$a" 2>&1); rc=$?; }
field() { printf '%s\n' "$out" | grep "^blob=$1 " | sed -n "s/.* $2=\([^ ]*\).*/\1/p"; }
verdict() { printf '%s\n' "$out" | grep '^verdict=' ; }
quiet() { "$@" >/dev/null 2>&1; }
crc_of() { gzip -c <"$1" | tail -c 8 | od -An -tx1 -N4 | awk '{print "0x" $4 $3 $2 $1}'; }
sha_of() { echo "sha256:$(sha256sum <"$1" | cut -d' ' -f1)"; }

"$ctl" pack --table "$Q/NFIT.dimmpxm" --devices-from "$Q/SSDT.dimmpxm" -o "$tmp/nvdimm.area" 2>/dev/null
check "pack QEMU's NFIT and NVDR" test -s "$tmp/nvdimm.area"

ev "$tmp/nvdimm.area" --domain-key platform/nvdimm=1
is "vNVDIMM domain: exit 0" "$rc" 0
is "vNVDIMM domain: NFIT allowed by its rule" "$(field 0 action) $(field 0 rule)" "allow $R_NFIT"
is "vNVDIMM domain: NVDR allowed by its rule" "$(field 1 object) $(field 1 action) $(field 1 rule)" "\"NVDR\" allow $R_NVDR"
like "vNVDIMM domain: area approved unchanged" "$(verdict)" "^verdict=approved length=$(wc -c <"$tmp/nvdimm.area" | tr -d ' ') count=2 dropped=0 .* changed=no$"

ev "$tmp/nvdimm.area"
is "no vNVDIMM key: NFIT denied by its rule" "$(field 0 action) $(field 0 rule)" "deny $R_NONFIT"
like "no vNVDIMM key: NVDR denied" "$(field 1 action)" "^deny$"
like "no vNVDIMM key: empty area approved" "$(verdict)" "^verdict=approved length=0 count=0 dropped=2 "
ev "$tmp/nvdimm.area" --domain-key platform/nvdimm=0
is "platform/nvdimm=0 is not a vNVDIMM" "$(field 0 rule)" "$R_NONFIT"

# Every table Xen builds, smuggled in after the NFIT.
for t in APIC HPET WAET SRAT.dimmpxm TCPA.tis.tpm12 TPM2.tis.tpm2; do
	"$ctl" pack --table "$Q/NFIT.dimmpxm" --table "$Q/$t" -o "$tmp/smuggle.area"
	ev "$tmp/smuggle.area" --domain-key platform/nvdimm=1
	is "$t smuggled in: denied by the Xen-tables rule, NFIT kept" \
		"$(field 1 action) $(field 1 rule) $(field 0 action) $rc" "deny $R_XEN allow 0"
done
"$ctl" pack --table "$Q/SSDT.dimmpxm" -o "$tmp/ssdt.area"
ev "$tmp/ssdt.area" --domain-key platform/nvdimm=1
is "SSDT as a table: denied by the AML-tables rule" "$(field 0 action) $(field 0 rule)" "deny $R_AML"
for t in FACP FACS DSDT; do
	"$ctl" pack --table "$Q/NFIT.dimmpxm" --table "$Q/$t" -o "$tmp/xenonly.area"
	ev "$tmp/xenonly.area" --domain-key platform/nvdimm=1
	is "$t: builtin:table-xen-only" "$(field 1 action) $(field 1 rule)" "deny builtin:table-xen-only"
done
"$ctl" pack --table "$Q/MCFG" -o "$tmp/mcfg.area"
ev "$tmp/mcfg.area" --domain-key platform/nvdimm=1
is "a table no rule names: implicit" "$(field 0 action) $(field 0 rule)" "deny implicit"

# A device named like one of Xen's.
printf '\010_HID\015ACPI0012\000' >"$tmp/hid.body"
"$ctl" pack --device PCI0="$tmp/hid.body" --table "$Q/NFIT.dimmpxm" -o "$tmp/pci0.area"
ev "$tmp/pci0.area" --domain-key platform/nvdimm=1
is "device PCI0: builtin:ns-collision" "$(field 0 action) $(field 0 rule)" "deny builtin:ns-collision"

# Rewriting: compaction.
"$ctl" pack --table "$Q/APIC" --table "$Q/NFIT.dimmpxm" --table "$Q/HPET" \
	--devices-from "$Q/SSDT.dimmpxm" -o "$tmp/mixed.area"
ev "$tmp/mixed.area" --domain-key platform/nvdimm=1 --out "$tmp/mixed.out"
like "compaction: two blobs dropped" "$(verdict)" "^verdict=approved .* count=2 dropped=2 .* changed=yes$"
check "compaction: output decodes cleanly" quiet "$ctl" decode "$tmp/mixed.out"
len=$(verdict | sed 's/.* length=\([0-9]*\).*/\1/')
is "compaction: --out writes the approved length" "$(wc -c <"$tmp/mixed.out" | tr -d ' ')" "$len"
is "compaction: CRC-32 of the output matches the verdict" \
	"$(crc_of "$tmp/mixed.out")" "$(verdict | sed 's/.* checksum=\(0x[0-9a-f]*\).*/\1/')"
is "compaction: the digest is sha256sum of the output" \
	"$(sha_of "$tmp/mixed.out")" "$(verdict | sed 's/.* digest=\(sha256:[0-9a-f]*\) .*/\1/')"
dec=$("$ctl" decode "$tmp/mixed.out")
like "compaction: NFIT then NVDR remain" "$(printf '%s\n' "$dec" | awk '/^[0-9]/ {printf "%s ", $4}')" "^NFIT NVDR $"

# Rewriting: rename and set-oem, in a policy of their own.
cat >"$tmp/rw.policy" <<EOP
xen-namespace $X/DSDT_20920.aml
set-oem table NFIT to XEN XENNFIT
rename device NVDR to NVD1 if domain-name "legacy-*"
rename device PCI0 to PCI9
allow device NVDR
EOP
"$ctl" pack --table "$Q/NFIT.dimmpxm" --devices-from "$Q/SSDT.dimmpxm" --device PCI0="$tmp/hid.body" -o "$tmp/rw.area"
out=$("$ctl" evaluate --policy "$tmp/rw.policy" --domain-name legacy-7 --out "$tmp/rw.out" "$tmp/rw.area"); rc=$?
is "rename: exit 0" "$rc" 0
is "rename: NVDR renamed to NVD1" "$(field 1 action) $(field 1 to)" "rename \"NVD1\""
like "set-oem: NFIT gets the new ids" "$(printf '%s\n' "$out" | grep '^blob=0 ')" ' action=set-oem to="XEN XENNFIT" '

is "rename out of a collision with Xen: PCI0 to PCI9" "$(field 2 action) $(field 2 to)" "rename \"PCI9\""
dec=$("$ctl" decode "$tmp/rw.out"); drc=$?
is "rename/set-oem: output decodes cleanly" "$drc" 0
like "rename/set-oem: NVD1 and XEN/XENNFIT in the output, checksums fine" \
	"$(printf '%s\n' "$dec" | grep -c ' ok$') $(printf '%s\n' "$dec" | grep -c 'NVD1') $(printf '%s\n' "$dec" | grep -c '"XEN" "XENNFIT"')" "^4 1 1$"
is "rename/set-oem: CRC-32 matches" "$(crc_of "$tmp/rw.out")" "$(verdict | sed 's/.* checksum=\(0x[0-9a-f]*\).*/\1/')"
is "rename/set-oem: digest matches" "$(sha_of "$tmp/rw.out")" "$(verdict | sed 's/.* digest=\(sha256:[0-9a-f]*\) .*/\1/')"
cat >"$tmp/clash.policy" <<EOP
xen-namespace $X/DSDT_20920.aml
rename device NVDR to PCI0
EOP
out=$("$ctl" evaluate --policy "$tmp/clash.policy" "$tmp/nvdimm.area"); rc=$?
like "a rename into Xen's namespace is refused, saying so" \
	"$(printf '%s\n' "$out" | grep '^blob=1 ')" "action=deny rule=builtin:ns-collision reason=\"rename to PCI0 refused: .*PCI0 already exists in Xen's namespace\""

# Permissive: every decision as would-*, the area unchanged.
ev "$tmp/mixed.area" --permissive --out "$tmp/perm.out"
like "--permissive: would-deny reported" "$(field 0 action)" "^would-deny$"
like "--permissive: verdict approved, unchanged" "$(verdict)" "^verdict=approved .* count=4 dropped=0 .* changed=no$"
check "--permissive: output identical to the input" cmp -s "$tmp/mixed.area" "$tmp/perm.out"
sed 's/^mode enforce/mode permissive/' "$pol" >"$tmp/perm.policy"
out=$("$ctl" evaluate --policy "$tmp/perm.policy" --json "$tmp/mixed.area"); rc=$?
like "mode permissive, JSON: would-deny of APIC" "$out" '^\{"verdict":"approved","blobs":\[\{"index":0,"kind":"table","object":"APIC","offset":0,"size":[0-9]+,"action":"deny","would":true,"rule":"[^"]*:[0-9]+","reason":"Xen builds this table"\}'
is "mode permissive, JSON: the digest of the unchanged area follows the checksum" \
	"$(printf '%s\n' "$out" | sed -n 's/.*,"checksum":"0x[0-9a-f]\{8\}","digest":"\(sha256:[0-9a-f]\{64\}\)"}$/\1/p')" \
	"$(sha_of "$tmp/mixed.area")"
out=$("$ctl" evaluate --policy "$pol" --json --count 3 "$tmp/nvdimm.area")
like "JSON: a rejection has no digest" "$out" '"checksum":"0x00000000","rule":"builtin:area-count"'

# Exit codes.
printf '\000\000\000\000\100\000\000\000' >"$tmp/broken.area"
ev "$tmp/broken.area"
is "broken chain: rejected, exit 1" "$rc $(verdict | cut -d' ' -f1-2)" "1 verdict=rejected rule=builtin:area-overrun"
ev "$tmp/nvdimm.area" --count 3
is "count mismatch: rejected" "$rc $(verdict | cut -d' ' -f2)" "1 rule=builtin:area-count"
"$ctl" evaluate "$tmp/nvdimm.area" >/dev/null 2>&1
is "no --policy: exit 2" "$?" 2
"$ctl" evaluate --policy "$pol" "$tmp/missing.area" >/dev/null 2>&1
is "missing area: exit 2" "$?" 2
finish
