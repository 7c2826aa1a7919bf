#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Rewriting seen from the guest: a policy that renames QEMU's NVDR to NVD1
# and sets the NFIT's OEM ids, on an area that also carries a FACP to be
# dropped.  The daemon compacts the area in guest RAM, the simulated
# hvmloader loads the rewritten blobs, and ACPICA loads the guest's tables
# over Xen's DSDT with NVD1 in the namespace and no collision.
. "$top_srcdir/tests/e2e/lib.sh"
e2e_setup
plan 13

sed -i -e 's|^allow  *device NVDR .*|rename device NVDR to NVD1 if hid "ACPI0012" and domain-key platform/nvdimm == "1"\nallow device NVD1|' \
	-e 's|^allow  *table NFIT .*|set-oem table NFIT to XEN XENNFIT if domain-key platform/nvdimm == "1"|' "$POLICY"
"$DMACPICTL" check "$POLICY" >/dev/null; is "the rewriting policy is valid" $? 0
"$DMACPICTL" pack --table "$DATA/qemu/NFIT.dimmpxm" --table "$DATA/qemu/FACP" \
	--devices-from "$DATA/qemu/SSDT.dimmpxm" -o "$WORK/rw.area" >/dev/null
len=$(stat -c %s "$WORK/rw.area")

daemon_start
d=$(domain_create --name rw --key platform/nvdimm=1)
"$XENSIM" qemu "$d" --area "$WORK/rw.area"
check "a final verdict" wait_input "$d" "0x100000:$len:3"
is "approved" "$(verdict "$d" state)" approved
is "the FACP is dropped" "$(verdict "$d" count):$(verdict "$d" dropped)" "2:1"
alen=$(verdict "$d" length)
"$XENSIM" ram "$d" --read 0x100000 "$len" >"$WORK/ram"
is "checksum is the CRC of the rewritten bytes in guest RAM" \
	"$(verdict "$d" checksum)" "$(crc_of "$WORK/ram" "$alen")"
is "digest is sha256sum of the rewritten bytes in guest RAM [address, address+length)" \
	"$(verdict "$d" digest)" "$(ram_digest "$d" "$(verdict "$d" address)" "$alen")"
check "and of those only, not of the zeroed tail" \
	[ "$(verdict "$d" digest)" != "$(ram_digest "$d" "$(verdict "$d" address)" "$len")" ]
is "the freed tail is zeroed" \
	"$(python3 -c 'import sys; d=open(sys.argv[1],"rb").read(); print(d[int(sys.argv[2]):].count(0) == len(d) - int(sys.argv[2]))' "$WORK/ram" "$alen")" True
head -c "$alen" "$WORK/ram" >"$WORK/approved"
like "the rewritten area decodes cleanly with NVD1 and the new OEM ids" \
	"$("$DMACPICTL" decode "$WORK/approved" | tr "\n" " ")" 'NFIT.*"XEN".*"XENNFIT".*ok.*NVD1'
check "the rename is logged with its rule" log_has "blob 2 device NVDR: rename by $POLICY:[0-9]+"
"$XENSIM" hvmloader "$d" --out "$WORK/guest" >"$WORK/hvmloader.out" 2>&1
like "hvmloader loads the rewritten table and device" "$(cat "$WORK/hvmloader.out")" \
	"approved: loaded 1 table\\(s\\) and 1 device\\(s\\)"
if [ -x "${ACPIEXEC:-/usr/bin/acpiexec}" ]; then
	"$XENSIM" oracle "$WORK/guest" >"$WORK/oracle.out" 2>&1; is "acpiexec loads Xen's DSDT + the rewritten blobs cleanly" $? 0
	like "acpiexec finds \\_SB.NVD1 with its children" \
		"$(cd "$WORK/guest" && acpiexec -b 'namespace \_SB.NVD1' $(ls) </dev/null 2>&1)" 'NV00 Device'
else
	skip_oracle "acpiexec not installed"
	skip_oracle "acpiexec not installed"
fi
finish
