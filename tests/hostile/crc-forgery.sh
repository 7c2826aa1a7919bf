#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# A device model that forges the CRC-32.  After dmacpid approved QEMU's
# vNVDIMM area, it moves the NVDIMM's system-physical-address range in the
# NFIT in guest RAM, keeps the table's own checksum valid, and patches four
# bytes of the table (its reserved field) so that the area's CRC-32 is the
# verdict's `checksum` again (tests/lib/crc-forge.py: CRC-32 is linear).  A
# consumer that trusts the CRC loads the forged table; `xensim hvmloader`,
# which copies the area and checks the verdict's SHA-256 `digest` on its
# copy, refuses it.
. "$top_srcdir/tests/e2e/lib.sh"
e2e_setup
plan 17

daemon_start
d=$(domain_create --name forger --key platform/nvdimm=1)
len=$(stat -c %s "$AREA")
"$XENSIM" qemu "$d" --area "$AREA"
check "a final verdict" wait_input "$d" "0x100000:$len:2"
is "approved" "$(verdict "$d" state)" approved
addr=$(verdict "$d" address)
alen=$(verdict "$d" length)
sum=$(verdict "$d" checksum)
digest=$(verdict "$d" digest)
"$XENSIM" ram "$d" --read "$addr" "$alen" >"$WORK/approved"
"$XENSIM" hvmloader "$d" --timeout 5 >"$WORK/before.out" 2>&1
is "the consumer loads the approved area" "$?" 0

# The area starts with the NFIT blob: 8 bytes of blob header, the 36-byte
# ACPI header, 4 reserved bytes, then the first structure, an SPA range
# (type 0) whose base address is at +32.  The forger moves it by 1 GiB,
# lets crc-forge patch the reserved field (area offset 44), and varies the
# OEM revision (area offset 32) until the table's bytes sum to 0 again.
python3 - "$WORK/approved" "$WORK/changed" <<'PY'
import struct, sys
d = bytearray(open(sys.argv[1], "rb").read())
assert d[8:12] == b"NFIT" and struct.unpack_from("<H", d, 48)[0] == 0, "NFIT with an SPA range first"
base = struct.unpack_from("<Q", d, 48 + 32)[0]
struct.pack_into("<Q", d, 48 + 32, base + (1 << 30))
open(sys.argv[2], "wb").write(d)
PY
forged_crc=$(python3 "$top_srcdir/tests/lib/crc-forge.py" "$WORK/approved" "$WORK/changed" 44 \
	"$WORK/forged" --table 8 --free 32)
is "the forger restores the verdict's CRC-32" "$forged_crc" "$sum"
check "with other bytes" sh -c "! cmp -s '$WORK/approved' '$WORK/forged'"
is "the forged NFIT moves the SPA range and keeps a valid table checksum" \
	"$(python3 -c 'import struct, sys
a, f = (open(p, "rb").read() for p in sys.argv[1:3])
n = struct.unpack_from("<I", f, 12)[0]
moved = struct.unpack_from("<Q", f, 80)[0] - struct.unpack_from("<Q", a, 80)[0]
print(hex(moved), sum(f[8:8 + n]) % 256)' "$WORK/approved" "$WORK/forged")" "0x40000000 0"

"$XENSIM" ram "$d" --write "$addr" "$WORK/forged"
is "guest RAM [address, address+length) has the verdict's CRC-32" \
	"$("$XENSIM" crc --ram "$d" "$addr" "$alen")" "$sum"
is "and the forged bytes" "$(ram_digest "$d" "$addr" "$alen")" \
	"$(digest_of "$WORK/forged")"
check "but not the verdict's digest" [ "$(ram_digest "$d" "$addr" "$alen")" != "$digest" ]

# A consumer that checks the CRC-32 alone would load the forgery.
rc=0
"$XENSIM" hvmloader "$d" --timeout 5 --crc-only --out "$WORK/crc-only" >"$WORK/crc-only.out" 2>&1 ||
	rc=$?
is "on CRC-32 alone the forged area is accepted" "$rc" 0
like "and loaded" "$(cat "$WORK/crc-only.out")" "approved: loaded 1 table\\(s\\) and 1 device\\(s\\)"
check "the NFIT it loads is the forger's" \
	sh -c "tail -c +9 '$WORK/forged' | head -c \$(stat -c %s '$WORK/crc-only/01-NFIT.aml') | cmp -s - '$WORK/crc-only/01-NFIT.aml'"

# The consumer of the protocol checks the digest on its copy.
rc=0
"$XENSIM" hvmloader "$d" --timeout 5 --out "$WORK/guest" >"$WORK/digest.out" 2>&1 || rc=$?
is "the digest refuses the forged area" "$rc" 1
like "and says why" "$(cat "$WORK/digest.out")" \
	"^refused: digest mismatch: the copy of guest RAM has $(ram_digest "$d" "$addr" "$alen"), verdict says $digest"
is "and loads nothing" "$(ls "$WORK/guest" 2>/dev/null | wc -l)" 0

"$XENSIM" ram "$d" --write "$addr" "$WORK/approved"
"$XENSIM" hvmloader "$d" --timeout 5 >/dev/null 2>&1
is "the approved bytes put back load again" "$?" 0
check "dmacpid still running" kill -0 "$DPID"
finish
