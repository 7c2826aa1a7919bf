#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Write distinct copies of QEMU's vNVDIMM SSDT that load side by side.

For tests/bench/run's ACPICA row: ACPICA drops a table identical to one it
has and refuses a name that exists, so each copy gets its own device name
(NVDR -> Nxxx), its own root Name (MEMA -> Mxxx), its own OEM table id
and a correct checksum.  Copies are written as DIR/ssdt-NNNN.aml until
the next would pass TOTAL bytes; prints how many and their bytes.

Usage: aml-copies.py SSDT DIR [TOTAL]
"""
import os
import sys


def tag(i):
    digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    return "".join(digits[(i // 36 ** k) % 36] for k in (2, 1, 0)).encode()


def main():
    src, out = sys.argv[1], sys.argv[2]
    total = int(sys.argv[3]) if len(sys.argv) > 3 else 1 << 20
    ssdt = open(src, "rb").read()
    if ssdt.count(b"NVDR") != 1 or ssdt.count(b"MEMA") < 1:
        sys.exit("aml-copies: %s is not QEMU's vNVDIMM SSDT" % src)
    n = size = 0
    while size + len(ssdt) <= total and n < 36 ** 3:
        t = bytearray(ssdt.replace(b"NVDR", b"N" + tag(n)).replace(b"MEMA", b"M" + tag(n)))
        t[16:24] = b"NVD%05d" % n
        t[9] = 0
        t[9] = -sum(t) & 0xFF
        with open(os.path.join(out, "ssdt-%04d.aml" % n), "wb") as f:
            f.write(t)
        n += 1
        size += len(t)
    print(n, size)


if __name__ == "__main__":
    main()
