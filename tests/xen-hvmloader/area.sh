#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# hvmloader's walk of the approved area and its SSDT wrapper (from the
# patch series, compiled on the host), with ACPICA as the oracle:
# - QEMU's NVDIMM area (`dmacpictl pack` of its NFIT and NVDR device) gives
#   back the NFIT byte for byte and an SSDT in which acpiexec, over Xen's
#   qemu-xen DSDT, finds \_SB.NVDR with its children;
# - for devices whose PkgLength needs 1, 2 or 3 bytes, on both sides of each
#   boundary, the SSDT's AML is byte for byte what iasl compiles from the
#   same Scope (\_SB) { Device ... } source;
# - malformed areas are refused with the reason hvmloader logs;
# - a verdict's "address:length:count" parses strictly.
set -u
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}" "${top_builddir:=.}"
: "${DMACPI_TESTDATA:=$top_srcdir/tests/data}"
ctl=$top_builddir/daemon/dmacpictl/dmacpictl
dsdt=$DMACPI_TESTDATA/xen/DSDT_20920.aml
total=30
n=0

echo "1..$total"
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
. "$top_srcdir/tests/xen-hvmloader/build-host.sh"
if [ -z "$host" ]; then
	while [ $n -lt $total ]; do
		n=$((n + 1))
		echo "not ok $n - the files from the series do not build"
	done
	sed 's/^/# /' "$tmp/build.log"
	exit 0
fi

# check DESC COMMAND...: ok when COMMAND succeeds.
check() {
	desc=$1
	shift
	n=$((n + 1))
	if "$@" >"$tmp/check.log" 2>&1; then
		echo "ok $n - $desc"
	else
		echo "not ok $n - $desc"
		sed 's/^/# /' "$tmp/check.log" | head -20
	fi
}

# expect AREA COUNT WANT DESC: the walk answers exactly WANT.
expect() {
	n=$((n + 1))
	got=$("$host" walk "$1" "$2" 2>&1)
	if [ "$got" = "$3" ]; then
		echo "ok $n - $4: $3"
	else
		echo "not ok $n - $4: \"$got\", expected \"$3\""
	fi
}

# --- QEMU's NVDIMM area, ACPICA as the oracle --------------------------------
mkdir "$tmp/nv"
"$ctl" pack --table "$DMACPI_TESTDATA/qemu/NFIT.dimmpxm" \
	--devices-from "$DMACPI_TESTDATA/qemu/SSDT.dimmpxm" -o "$tmp/nv.area" >"$tmp/pack.log" 2>&1
check "QEMU's NVDIMM area: 1 table, 1 device" \
	sh -c '"$1" walk "$2" 2 "$3" | grep -qx "tables 1 devices 1 ssdt [0-9]*"' - "$host" "$tmp/nv.area" "$tmp/nv"
check "the NFIT comes out of the walk byte for byte" \
	cmp "$tmp/nv/table-0.aml" "$DMACPI_TESTDATA/qemu/NFIT.dimmpxm"

have_acpica=y
command -v acpiexec >/dev/null 2>&1 && command -v iasl >/dev/null 2>&1 || have_acpica=n
if [ $have_acpica = y ]; then
	acpiexec -b "namespace" "$dsdt" "$tmp/nv/ssdt.aml" </dev/null >"$tmp/acpi.log" 2>&1
	check "acpiexec loads Xen's DSDT and hvmloader's SSDT without error" \
		sh -c 'grep -q "2 ACPI AML tables successfully acquired and loaded" "$1" &&
			! grep -q "Error\|AE_" "$1" &&
			grep -Eq "^Table \[SSDT: DMACPI *\] \(id [0-9]+\) - +[1-9][0-9]* Objects" "$1"' - "$tmp/acpi.log"
	check "acpiexec finds \\_SB.NVDR with MEMA and NV02 under it" \
		sh -c 'grep -Eq "^ +1 +NVDR Device" "$1" && grep -Eq "^ +2 +MEMA Integer" "$1" &&
			grep -Eq "^ +2 +NV02 Device" "$1"' - "$tmp/acpi.log"
else
	for i in 1 2; do n=$((n + 1)); echo "$([ "${DMACPI_REQUIRE_ORACLE:-0}" = 0 ] || echo "not ")ok $n # SKIP acpiexec or iasl not installed"; done
fi

# The bytes sum to 0 mod 256 and the header's Length is the file's size.
check "the SSDT's checksum and Length are right" \
	sh -c 'od -An -v -tu1 "$1" | awk -v size=$(wc -c <"$1") "
		{ for (i = 1; i <= NF; i++) { s += \$i; if (++k >= 5 && k <= 8) len += \$i * 2 ^ (8 * (k - 5)) } }
		END { exit !(s % 256 == 0 && len == size) }"' - "$tmp/nv/ssdt.aml"

# --- PkgLength encodings against iasl ----------------------------------------
# Devices with a buffer of B bytes: a device's PkgLength goes from 1 to 2
# bytes near B = 50 and from 2 to 3 bytes near B = 4080; the scope's is 3.
if [ $have_acpica = y ]; then
	{
		echo 'DefinitionBlock ("", "SSDT", 2, "Xen", "DMACPI", 0)'
		echo '{'
		echo '    Scope (\_SB)'
		echo '    {'
		for b in $(seq 40 60) $(seq 4070 4090); do
			printf '        Device (B%03d)\n        {\n' $((b % 1000))
			printf '            Name (BUFX, Buffer () {'
			seq -s, 1 "$b" | awk -v RS=, '{ printf "%s0x%02x", (NR > 1 ? "," : ""), $1 % 256 }'
			printf '})\n        }\n'
		done
		echo '    }'
		echo '}'
	} >"$tmp/pkg.asl"
	(cd "$tmp" && iasl -p pkg pkg.asl) >"$tmp/iasl.log" 2>&1
	"$ctl" pack --devices-from "$tmp/pkg.aml" -o "$tmp/pkg.area" >"$tmp/pack2.log" 2>&1
	mkdir "$tmp/pkg"
	check "42 devices across the PkgLength boundaries walk" \
		sh -c '"$1" walk "$2" 42 "$3" | grep -qx "tables 0 devices 42 ssdt [0-9]*"' - "$host" "$tmp/pkg.area" "$tmp/pkg"
	tail -c +37 "$tmp/pkg.aml" >"$tmp/iasl.body"
	tail -c +37 "$tmp/pkg/ssdt.aml" >"$tmp/ours.body" 2>/dev/null
	check "hvmloader's Scope/Device AML is byte for byte iasl's" \
		cmp "$tmp/iasl.body" "$tmp/ours.body"
	check "and the SSDT is as long as iasl's" \
		test "$(wc -c <"$tmp/pkg.aml")" -eq "$(wc -c <"$tmp/pkg/ssdt.aml")"
else
	for i in 1 2 3; do n=$((n + 1)); echo "$([ "${DMACPI_REQUIRE_ORACLE:-0}" = 0 ] || echo "not ")ok $n # SKIP acpiexec or iasl not installed"; done
fi

# --- malformed areas -----------------------------------------------------------
# le32 V: V as 4 little-endian bytes.
le32() {
	printf "$(printf '\\%03o\\%03o\\%03o\\%03o' $(($1 & 255)) $(($1 >> 8 & 255)) \
		$(($1 >> 16 & 255)) $(($1 >> 24 & 255)))"
}
body='\010_HID\015ACPI0012\000'			# Name (_HID, "ACPI0012")
{ le32 1; le32 27; printf 'NVX0'; printf "$body"; } >"$tmp/nvx0"
expect "$tmp/nvx0" 1 "tables 0 devices 1 ssdt 65" "docs/protocol.md's worked example"
expect "$tmp/nvx0" 2 "refused: blob 1: header past the end of the area" "count 2 for 1 blob"
expect "$tmp/nvx0" 0 "refused: blob 0: blobs do not end at the area's length" "count 0 for 1 blob"
{ le32 1; le32 4; printf 'NVX0'; printf "$body"; } >"$tmp/small"
expect "$tmp/small" 1 "refused: blob 0: size below 8" "size 4"
{ le32 1; le32 28; printf 'NVX0'; printf "$body"; } >"$tmp/long"
expect "$tmp/long" 1 "refused: blob 0: size past the end of the area" "size one past the area"
{ le32 1; le32 4294967295; printf 'NVX0'; printf "$body"; } >"$tmp/huge"
expect "$tmp/huge" 1 "refused: blob 0: size past the end of the area" "size 0xffffffff"
{ le32 7; le32 27; printf 'NVX0'; printf "$body"; } >"$tmp/type"
expect "$tmp/type" 1 "refused: blob 0: unknown type" "type 7"
{ le32 1; le32 27; printf 'nvx0'; printf "$body"; } >"$tmp/name"
expect "$tmp/name" 1 "refused: blob 0: device without a valid NameSeg" "a lower-case name"
{ le32 1; le32 27; printf '0VX0'; printf "$body"; } >"$tmp/digit"
expect "$tmp/digit" 1 "refused: blob 0: device without a valid NameSeg" "a name starting with a digit"
{ le32 1; le32 10; printf 'NV'; } >"$tmp/short"
expect "$tmp/short" 1 "refused: blob 0: device without a valid NameSeg" "a device of 2 bytes"

nfit=$DMACPI_TESTDATA/qemu/NFIT.dimmpxm
nlen=$(wc -c <"$nfit")
{ le32 0; le32 $((nlen + 8)); cat "$nfit"; } >"$tmp/nfit"
expect "$tmp/nfit" 1 "tables 1 devices 0 ssdt 0" "QEMU's NFIT alone"
{ le32 0; le32 $((nlen + 9)); cat "$nfit"; printf '\000'; } >"$tmp/nfitlen"
expect "$tmp/nfitlen" 1 "refused: blob 0: table Length is not the blob's data size" "a blob one byte longer than its table"
{ le32 0; le32 $((nlen + 8)); head -c 40 "$nfit"; printf '\001'; tail -c +42 "$nfit"; } >"$tmp/nfitsum"
expect "$tmp/nfitsum" 1 "refused: blob 0: table checksum" "one byte of the NFIT changed"
{ le32 0; le32 28; head -c 20 "$nfit"; } >"$tmp/nfitshort"
expect "$tmp/nfitshort" 1 "refused: blob 0: table shorter than an ACPI header" "a table of 20 bytes"
{ le32 0; le32 44; printf 'FACP'; le32 36; head -c 28 /dev/zero; } >"$tmp/facp"
expect "$tmp/facp" 1 "refused: blob 0: a table only Xen builds" "a FADT (dom0 refuses it too)"
{ cat "$tmp/nfit"; le32 0; le32 44; printf 'DSDT'; le32 36; head -c 28 /dev/zero; } >"$tmp/dsdt"
expect "$tmp/dsdt" 2 "refused: blob 1: a table only Xen builds" "a DSDT after the NFIT"
{ cat "$tmp/nfit" "$tmp/nvx0"; } >"$tmp/two"
expect "$tmp/two" 2 "tables 1 devices 1 ssdt 65" "a table and a device"
expect "$tmp/two" 1 "refused: blob 1: blobs do not end at the area's length" "count 1 for 2 blobs"
: >"$tmp/empty"
expect "$tmp/empty" 0 "tables 0 devices 0 ssdt 0" "an approved length 0, count 0: nothing to load"
expect "$tmp/empty" 65 "refused: blob 0: too many blobs" "count 65"
head -c 1048577 /dev/zero >"$tmp/mib"
expect "$tmp/mib" 0 "refused: blob 0: area too large" "1 MiB + 1 byte"

# --- the input a verdict answers -------------------------------------------------
# inputs STRING WANT...
n=$((n + 1))
bad=
for pair in "0x100000:27:1=1048576 27 1" "1048576:0x1b:=1048576 27 -" \
	"0xFFFFFFFF:0:0=4294967295 0 0" "0x100000:27=invalid" "0x:1:1=invalid" \
	"4294967296:1:=invalid" "0x100000:27:1:=invalid" " 1:2:3=invalid" \
	"1:2:abc=invalid" "1:-2:3=invalid" "::=invalid" "1:2:0x=invalid"; do
	in=${pair%%=*}
	want=${pair#*=}
	got=$("$host" input "$in")
	[ "$got" = "$want" ] || bad="$bad [$in] gave [$got], not [$want];"
done
if [ -z "$bad" ]; then
	echo "ok $n - verdict inputs parse strictly, as numbers"
else
	echo "not ok $n - verdict inputs:$bad"
fi
