#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Scenario 2: QEMU's vNVDIMM area plus a DSDT, a FACP, Xen's own SSDT and a
# device blob named PCI0 (a second \_SB.PCI0): those are dropped with builtin
# or rule reasons, the PCI0 device by the namespace collision check, the rest
# is approved, the area compacted in guest RAM, and the oracle stays clean.
. "$top_srcdir/tests/e2e/lib.sh"
e2e_setup
plan 13

# Device(PCI0){ Name(_HID, EisaId("PNP0A03")) }: Xen's DSDT has \_SB.PCI0.
printf '\010_HID\014\101\320\012\003' >"$WORK/pci0.body"
"$DMACPICTL" pack --table "$DATA/qemu/DSDT" --table "$DATA/qemu/NFIT.dimmpxm" \
	--table "$DATA/qemu/FACP" --table "$DATA/xen/SSDT_29be0.aml" \
	--devices-from "$DATA/qemu/SSDT.dimmpxm" --device "PCI0=$WORK/pci0.body" \
	-o "$WORK/smuggled" >/dev/null
daemon_start
d=$(domain_create --name smuggler --key platform/nvdimm=1)
slen=$(stat -c %s "$WORK/smuggled")
len=$(stat -c %s "$AREA")
"$XENSIM" qemu "$d" --area "$WORK/smuggled"
check "a final verdict" wait_input "$d" "0x100000:$slen:6"
is "approved" "$(verdict "$d" state)" approved
is "NFIT and NVDR remain" "$(verdict "$d" count)/$(verdict "$d" dropped)" 2/4
is "compacted length" "$(verdict "$d" length)" "$len"
"$XENSIM" ram "$d" --read 0x100000 "$slen" >"$WORK/ram"
check "guest RAM holds exactly the approved blobs" cmp -s -n "$len" "$WORK/ram" "$AREA"
is "and zeros after them" "$(tail -c +$((len + 1)) "$WORK/ram" | tr -d '\0' | wc -c)" 0
is "checksum" "$(verdict "$d" checksum)" "$(crc_of "$AREA")"
is "digest: sha256sum of guest RAM [address, address+length)" "$(verdict "$d" digest)" \
	"$(ram_digest "$d" "$(verdict "$d" address)" "$(verdict "$d" length)")"
check "DSDT and FACP dropped by built-in checks" \
	sh -c "grep -Eq '^dom$d .*table DSDT: deny by builtin:' '$LOG' && grep -Eq '^dom$d .*table FACP: deny by builtin:' '$LOG'"
check "the SSDT dropped with a reason" log_has "^dom$d .*table SSDT: deny by ($POLICY:[0-9]+|builtin:[a-z-]+)"
check "the PCI0 device dropped as a namespace collision" \
	log_has "^dom$d .*blob 5 device PCI0: deny by builtin:ns-collision"
"$XENSIM" hvmloader "$d" --out "$WORK/guest" >"$WORK/hvmloader.out" 2>&1
like "hvmloader loads only NFIT and NVDR" "$(cat "$WORK/hvmloader.out")" \
	"^approved: loaded 1 table\\(s\\) and 1 device\\(s\\)"
if [ -x "${ACPIEXEC:-/usr/bin/acpiexec}" ]; then
	check "the oracle loads what hvmloader assembled" "$XENSIM" oracle "$WORK/guest"
else
	skip_oracle "acpiexec not installed"
fi
finish
