#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The names `dmacpictl namespace` prints for Xen's tables (and QEMU's NVDIMM
# SSDT over Xen's qemu-xen DSDT) equal the static namespace ACPICA's
# acpiexec builds from the same tables.  Both sides are computed here; the
# objects acpiexec predefines are what it reports for an empty SSDT.
set -u
: "${top_builddir:=.}" "${DMACPI_TESTDATA:=$(dirname "$0")/../data}"
ctl="$top_builddir/daemon/dmacpictl/dmacpictl"
xen="$DMACPI_TESTDATA/xen"
qemu="$DMACPI_TESTDATA/qemu"
n=0

echo "1..5"
if ! command -v acpiexec >/dev/null 2>&1 || ! command -v iasl >/dev/null 2>&1; then
	for i in 1 2 3 4 5; do echo "$([ "${DMACPI_REQUIRE_ORACLE:-0}" = 0 ] || echo "not ")ok $i # SKIP acpiexec or iasl not installed"; done
	exit 0
fi

tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

# acpiexec's namespace dump ("<level>  <NAME> <Type> ...", indented by
# level) as absolute names in display form, sorted.
acpi_names() {
	acpiexec -b "namespace" "$@" </dev/null 2>&1 | awk '
		/^ACPI Namespace \(from Namespace Root\)/ { on = 1; next }
		/^Namespace node count/ { on = 0 }
		on && $1 ~ /^[0-9]+$/ && $2 ~ /^[A-Z_][A-Z0-9_][A-Z0-9_][A-Z0-9_]$/ {
			lvl = $1 + 0; seg = $2
			sub(/_+$/, "", seg); if (seg == "") seg = $2
			path[lvl] = seg
			s = "\\" path[0]
			for (i = 1; i <= lvl; i++) s = s "." path[i]
			print s
		}' | LC_ALL=C sort -u
}

printf 'DefinitionBlock ("", "SSDT", 2, "DMACPI", "EMPTY", 1)\n{\n}\n' >"$tmp/empty.asl"
(cd "$tmp" && iasl -p empty empty.asl >/dev/null 2>&1)
acpi_names "$tmp/empty.aml" >"$tmp/baseline"

check() {
	desc=$1
	shift
	n=$((n + 1))
	acpi_names "$@" >"$tmp/acpi.all"
	LC_ALL=C comm -23 "$tmp/acpi.all" "$tmp/baseline" >"$tmp/acpi"
	if ! "$ctl" namespace "$@" >"$tmp/ours.raw" 2>"$tmp/err"; then
		echo "not ok $n - $desc: dmacpictl namespace failed"
		sed 's/^/# /' "$tmp/err"
		return
	fi
	LC_ALL=C sort -u "$tmp/ours.raw" >"$tmp/ours"
	if [ ! -s "$tmp/acpi" ] || [ ! -s "$tmp/baseline" ]; then
		echo "not ok $n - $desc: acpiexec reported no namespace"
	elif cmp -s "$tmp/ours" "$tmp/acpi" && cmp -s "$tmp/ours" "$tmp/ours.raw"; then
		echo "ok $n - $desc: $(wc -l <"$tmp/ours") names equal acpiexec's"
	else
		echo "not ok $n - $desc: names differ from acpiexec's (< dmacpictl, > acpiexec)"
		diff "$tmp/ours" "$tmp/acpi" | head -20 | sed 's/^/# /'
	fi
}

ssdts="$xen/SSDT_29be0.aml $xen/SSDT_29c40.aml $xen/SSDT_2a200.aml $xen/SSDT_2a260.aml $xen/SSDT_2a2a0.aml"
for d in DSDT_94c0 DSDT_17e80 DSDT_20920; do
	# shellcheck disable=SC2086
	check "Xen $d + SSDTs" "$xen/$d.aml" $ssdts
done
check "QEMU NVDIMM SSDT over Xen DSDT_20920" "$xen/DSDT_20920.aml" "$qemu/SSDT.dimmpxm"

# The hvmloader-style image: the same tables embedded at offsets in one file.
n=$((n + 1))
{
	head -c 100 /dev/zero
	cat "$xen/DSDT_20920.aml"
	printf 'SSDTxxxx'
	cat "$xen/SSDT_29c40.aml"
} >"$tmp/image"
"$ctl" namespace "$tmp/image" >"$tmp/img" 2>&1
"$ctl" namespace "$xen/DSDT_20920.aml" "$xen/SSDT_29c40.aml" >"$tmp/files" 2>&1
if cmp -s "$tmp/img" "$tmp/files" && [ -s "$tmp/img" ]; then
	echo "ok $n - tables embedded in an image give the same names as the files"
else
	echo "not ok $n - tables embedded in an image give different names"
fi
