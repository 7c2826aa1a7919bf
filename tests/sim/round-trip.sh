#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# xensim qemu + xensim hvmloader with verdicts written by hand: an approved
# area loads (and the assembled tables pass the ACPICA oracle); changed
# bytes (a digest mismatch), a stale input, a rejection, a malformed or
# missing digest are refused; a missing or pending verdict times out.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/xenhost.sh"
host_require
plan 29

host_up || { not_ok "host up"; exit 1; }
X=$XENSIM
W=$HOST_DIR/work
mkdir -p "$W"

# A blob area (SPEC section 4): QEMU's NVDIMM SSDT and NFIT as tables, and
# one device NVX0 { Name (_HID, "ACPI0012") }.
python3 - "$DMACPI_TESTDATA/qemu" "$W/area.bin" <<'PY'
import struct, sys
d, out = sys.argv[1], sys.argv[2]
blobs = []
for t in ("SSDT.dimmpxm", "NFIT.dimmpxm"):
    data = open(f"{d}/{t}", "rb").read()
    blobs.append(struct.pack("<II", 0, 8 + len(data)) + data)
dev = b"NVX0" + b"\x08_HID\x0dACPI0012\x00"
blobs.append(struct.pack("<II", 1, 8 + len(dev)) + dev)
open(out, "wb").write(b"".join(blobs))
PY
LEN=$(stat -c %s "$W/area.bin")

# verdict D STATE [ADDRESS LENGTH COUNT CHECKSUM DIGEST INPUT]: the keys,
# state last; DIGEST "-" writes none.
verdict() {
	local v=/local/domain/$1/hvmloader/dm-acpi-verdict
	if [ $# -gt 2 ]; then
		"$X" rm $v/digest 2>/dev/null
		"$X" write $v/address "$3" && "$X" write $v/length "$4" &&
		"$X" write $v/count "$5" && "$X" write $v/checksum "$6" &&
		{ [ "$7" = - ] || "$X" write $v/digest "$7"; } &&
		"$X" write $v/input "$8" || return 1
	fi
	"$X" write $v/reason "by hand" && "$X" write $v/state "$2"
}
inputs() {
	local i=/local/domain/$1/hvmloader/dm-acpi
	echo "$("$X" read $i/address):$("$X" read $i/length):$("$X" read $i/count)"
}

domain_create --hvm; D=$DOM
qemu_put "$D" --area "$W/area.bin" --at 0x200000
is "qemu writes the address" "$("$X" read /local/domain/$D/hvmloader/dm-acpi/address)" 0x200000
is "qemu writes the length" "$("$X" read /local/domain/$D/hvmloader/dm-acpi/length)" "$LEN"
is "qemu counts the blobs" "$("$X" read /local/domain/$D/hvmloader/dm-acpi/count)" 3
"$X" ram "$D" --read 0x200000 "$LEN" >"$W/back.bin"
check "the area is in guest RAM" cmp -s "$W/area.bin" "$W/back.bin"
CRC=$("$X" crc "$W/area.bin")
is "crc of the file and of guest RAM agree" "$("$X" crc --ram "$D" 0x200000 "$LEN")" "$CRC"
like "crc matches zlib's" "$CRC" "^0x$(python3 -c "import zlib,sys; print('%08x' % zlib.crc32(open(sys.argv[1],'rb').read()))" "$W/area.bin")\$"
SHA=sha256:$(sha256sum "$W/area.bin" | cut -d' ' -f1)

verdict "$D" approved 0x200000 "$LEN" 3 "$CRC" "$SHA" "$(inputs "$D")"
hvmloader_wait "$D" --out "$W/tables"
is "approved area loads" "$HVMLOADER_RC" 0
like "hvmloader says what it loaded" "$HVMLOADER_OUT" "approved: loaded 2 table\(s\) and 1 device"
is "assembled tables" "$(cd "$W/tables" && echo *.aml)" "00-DSDT.aml 01-SSDT.aml 02-NFIT.aml 03-SSDT.aml"
check "Xen's DSDT comes first" cmp -s "$W/tables/00-DSDT.aml" "$DMACPI_TESTDATA/xen/DSDT_20920.aml"
if command -v acpiexec >/dev/null; then
	oracle "$W/tables"
	is "the oracle loads what hvmloader assembled" "$ORACLE_RC" 0
	acpiexec -b "namespace \\_SB.NVX0" "$W/tables/00-DSDT.aml" "$W/tables/03-SSDT.aml" </dev/null >"$W/ns.txt" 2>&1
	check "the device SSDT puts NVX0 under \\_SB with its _HID" grep -q '_HID String .*"ACPI0012"' "$W/ns.txt"
else
	skip_oracle "oracle: acpiexec (acpica-tools) missing"
	skip_oracle "device SSDT: acpiexec (acpica-tools) missing"
fi

# A device model that flips a byte after the verdict.
printf '\377' >"$W/ff"
"$X" ram "$D" --write 0x200010 "$W/ff"
hvmloader_wait "$D"
is "a changed byte is refused" "$HVMLOADER_RC" 1
like "as a digest mismatch" "$HVMLOADER_OUT" "digest mismatch: the copy of guest RAM has sha256:[0-9a-f]{64}, verdict says $SHA"
hvmloader_wait "$D" --crc-only
is "a consumer on CRC-32 alone refuses it too" "$HVMLOADER_RC" 1
like "as a CRC mismatch" "$HVMLOADER_OUT" "CRC mismatch"
"$X" ram "$D" --write 0x200000 "$W/area.bin"
hvmloader_wait "$D"
is "restored bytes load again" "$HVMLOADER_RC" 0

# New inputs after the verdict: the verdict answers old ones.
"$X" write /local/domain/$D/hvmloader/dm-acpi/length 8
hvmloader_wait "$D"
is "stale input is refused" "$HVMLOADER_RC" 1
like "and says so" "$HVMLOADER_OUT" "stale verdict"

verdict "$D" rejected
hvmloader_wait "$D"
is "a rejection loads nothing" "$HVMLOADER_RC" 1

qemu_put "$D" --area "$W/area.bin" --at 0x200000
verdict "$D" approved 0x200000 "$LEN" 3 "nonsense" "$SHA" "$(inputs "$D")"
hvmloader_wait "$D"
is "the digest decides, not a malformed checksum" "$HVMLOADER_RC" 0
hvmloader_wait "$D" --crc-only
is "a malformed checksum is refused on CRC-32 alone" "$HVMLOADER_RC" 1
verdict "$D" approved 0x200000 "$LEN" 3 "$CRC" "$(echo "$SHA" | tr a-f A-F)" "$(inputs "$D")"
hvmloader_wait "$D"
is "a malformed digest (upper case) is refused" "$HVMLOADER_RC" 1
verdict "$D" approved 0x200000 "$LEN" 3 "$CRC" - "$(inputs "$D")"
hvmloader_wait "$D"
is "a verdict without a digest is refused" "$HVMLOADER_RC" 1
like "as malformed" "$HVMLOADER_OUT" "malformed verdict .*digest ''"

# Nothing decided: hvmloader waits, then fails closed.
domain_create --hvm; E=$DOM
qemu_put "$E" --area "$W/area.bin" --partial
is "--partial writes only the address" "$("$X" ls /local/domain/$E/hvmloader/dm-acpi | tr '\n' ' ')" "address "
hvmloader_wait "$E" --timeout 0.3
is "missing verdict times out" "$HVMLOADER_RC" 3
"$X" write /local/domain/$E/hvmloader/dm-acpi-verdict/state pending
hvmloader_wait "$E" --timeout 0.3
is "a pending verdict times out" "$HVMLOADER_RC" 3

# The verdict arrives while hvmloader waits.
start_bg "$X" hvmloader "$E" --ready "$W/late.ready" >"$W/late.out"
wait_file "$W/late.ready"
qemu_put "$E" --area "$W/area.bin"
verdict "$E" approved 0x100000 "$LEN" 3 "$CRC" "$SHA" "$(inputs "$E")"
wait "$BG_PID"
is "a verdict arriving during the wait is taken" "$?" 0
finish
