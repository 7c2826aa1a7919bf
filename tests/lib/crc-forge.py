# SPDX-License-Identifier: GPL-2.0-or-later
"""What a hostile device model does to a consumer that trusts a CRC-32.

    python3 crc-forge.py ORIG CHANGED AT OUT [--table OFF --free BYTE]

Writes OUT: CHANGED (as long as ORIG) with its 4 bytes at offset AT
replaced so that zlib's crc32 of OUT equals that of ORIG.  With --table,
the ACPI table at offset OFF (its length from its header) also keeps a
byte sum of zero, by trying values of the two bytes at offset BYTE (in the
table, before AT), so the forged table passes its own checksum too.

CRC-32 is linear: the register after the bytes before AT is known, the
register the bytes after AT need is found by running the CRC backwards
from the target through them, and the 4 bytes are what takes the one to
the other.  Prints the CRC (0x%08x) on success.
"""
import struct
import sys
import zlib

POLY = 0xEDB88320          # reflected IEEE polynomial, as zlib's crc32


def back(r):
    """One bit of the reflected CRC register, run backwards."""
    if r & 0x80000000:
        return (((r ^ POLY) << 1) | 1) & 0xFFFFFFFF
    return (r << 1) & 0xFFFFFFFF


def needed_before(suffix, target):
    """The register that, fed suffix, ends at the register of target."""
    r = target ^ 0xFFFFFFFF
    for b in reversed(suffix):
        for _ in range(8):
            r = back(r)
        r ^= b
    for _ in range(32):         # back through the 4 forged bytes
        r = back(r)
    return r


def forge(data, at, target, need):
    pre = zlib.crc32(bytes(data[:at])) ^ 0xFFFFFFFF
    data[at:at + 4] = struct.pack("<I", need ^ pre)
    assert zlib.crc32(bytes(data)) == target
    return data


def main(argv):
    if len(argv) not in (5, 9) or (len(argv) == 9 and (argv[5], argv[7]) != ("--table", "--free")):
        sys.exit(__doc__)
    orig = open(argv[1], "rb").read()
    data = bytearray(open(argv[2], "rb").read())
    at = int(argv[3], 0)
    if len(data) != len(orig) or at < 0 or at + 4 > len(data):
        sys.exit("crc-forge: CHANGED must be as long as ORIG, AT+4 within it")
    target = zlib.crc32(orig)
    need = needed_before(bytes(data[at + 4:]), target)
    if len(argv) == 5:
        forge(data, at, target, need)
    else:
        off, free = int(argv[6], 0), int(argv[8], 0)
        end = off + struct.unpack_from("<I", data, off + 4)[0]
        if not (off <= free and free + 2 <= at and end <= len(data)):
            sys.exit("crc-forge: the free bytes must lie in the table, before AT")
        for v in range(65536):
            data[free:free + 2] = struct.pack("<H", v)
            forge(data, at, target, need)
            if sum(data[off:end]) % 256 == 0:
                break
        else:
            sys.exit("crc-forge: no value of the free bytes keeps the table's sum")
    open(argv[4], "wb").write(bytes(data))
    print("0x%08x" % target)


if __name__ == "__main__":
    main(sys.argv)
