#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# hvmloader's SHA-256 (from the patch series, compiled on the host) gives
# the digests sha256sum gives, at the padding boundaries, for a large
# buffer in one call and in odd pieces, and for QEMU's NVDIMM area as
# `dmacpictl pack` builds it; and a verdict's "sha256:<hex>" digest is
# accepted exactly when it names the bytes.
set -u
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}" "${top_builddir:=.}"
: "${DMACPI_TESTDATA:=$top_srcdir/tests/data}"
ctl=$top_builddir/daemon/dmacpictl/dmacpictl
n=0

echo "1..22"
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
. "$top_srcdir/tests/xen-hvmloader/build-host.sh"

n=$((n + 1))
if [ -n "$host" ]; then
	echo "ok $n - hvmloader's sha256.c and dm_acpi_area.c compile on the host"
else
	echo "not ok $n - the files from the series do not build"
	sed 's/^/# /' "$tmp/build.log"
	n=$((n + 1))
	while [ $n -le 22 ]; do echo "not ok $n - no host driver"; n=$((n + 1)); done
	exit 0
fi

# same FILE DESC [CHUNK]: hvmloader's digest of FILE equals sha256sum's.
same() {
	n=$((n + 1))
	ours=$("$host" sha256 ${3:-} <"$1")
	theirs=$(sha256sum <"$1" | cut -d' ' -f1)
	if [ -n "$ours" ] && [ "$ours" = "$theirs" ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2: $ours, sha256sum says $theirs"
	fi
}

: >"$tmp/empty"
same "$tmp/empty" "the empty input"
printf abc >"$tmp/abc"
same "$tmp/abc" '"abc"'
n=$((n + 1))
if [ "$("$host" sha256 <"$tmp/abc")" = ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad ]; then
	echo "ok $n - \"abc\" gives FIPS 180-4's published digest"
else
	echo "not ok $n - \"abc\" does not give FIPS 180-4's digest"
fi
head -c 1048576 /dev/urandom >"$tmp/big"
for len in 55 56 63 64 65 119 120; do
	head -c $len "$tmp/big" >"$tmp/b$len"
	same "$tmp/b$len" "$len bytes (a padding boundary)"
done
same "$tmp/big" "1 MiB of random bytes in one call"
same "$tmp/big" "1 MiB in 7-byte updates" 7
same "$tmp/big" "1 MiB in 1000-byte updates" 1000

n=$((n + 1))
area=$tmp/nvdimm.area
if "$ctl" pack --table "$DMACPI_TESTDATA/qemu/NFIT.dimmpxm" \
	--devices-from "$DMACPI_TESTDATA/qemu/SSDT.dimmpxm" -o "$area" >"$tmp/pack.log" 2>&1; then
	echo "ok $n - dmacpictl pack builds QEMU's NVDIMM area"
else
	echo "not ok $n - dmacpictl pack failed"
	sed 's/^/# /' "$tmp/pack.log"
fi
same "$area" "QEMU's NVDIMM area"

# digest AREA VALUE WANT DESC
digest() {
	n=$((n + 1))
	got=$("$host" digest "$1" "$2")
	if [ "$got" = "$3" ]; then
		echo "ok $n - $4: $3"
	else
		echo "not ok $n - $4: $got, expected $3"
	fi
}
hex=$(sha256sum <"$area" | cut -d' ' -f1)
upper=$(echo "$hex" | tr a-f A-F)
flip=$(echo "$hex" | sed 's/^\(.\{20\}\)\(.\)/\1'"$(echo "$hex" | cut -c21 | tr 0-9a-f 1-9a-f0)"'/')
digest "$area" "sha256:$hex" match "the area's own digest"
digest "$area" "sha256:$upper" mismatch "upper-case hex"
digest "$area" "sha256:$flip" mismatch "one hex digit changed"
digest "$area" "sha256:${hex}0" mismatch "a digit too many"
digest "$area" "$hex" mismatch "no sha256: prefix"
digest "$tmp/empty" "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" \
	match "an approved length 0: the digest of the empty input"
