#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# dmacpictl pack and decode: QEMU's NVDIMM area (NFIT + the NVDR device
# carved from QEMU's SSDT), byte-exact packing, the exit codes, JSON.
. "$top_srcdir/tests/lib/tap.sh"

ctl=$top_builddir/daemon/dmacpictl/dmacpictl
data=${DMACPI_TESTDATA:-$top_srcdir/tests/data}
nfit=$data/qemu/NFIT.dimmpxm
ssdt=$data/qemu/SSDT.dimmpxm
tmp=$(mktemp -d "${TMPDIR:-/tmp}/decode-pack.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

[ -x "$ctl" ] || { echo "Bail out! dmacpictl not built: $ctl"; exit 1; }
plan 40

# run NAME CMD...: exit code in $rc, stdout in $tmp/NAME.out and $out,
# stderr in $tmp/NAME.err and $err, the first finding's line in $found
run() {
	n=$1; shift
	"$@" >"$tmp/$n.out" 2>"$tmp/$n.err"
	rc=$?
	out=$(cat "$tmp/$n.out")
	err=$(cat "$tmp/$n.err")
	found=$(grep -m1 'builtin:' "$tmp/$n.out")
}

# u32le N: the 4 little-endian bytes of N, as printf escapes
u32le() {
	printf '\\%03o\\%03o\\%03o\\%03o' $(($1 & 255)) $(($1 >> 8 & 255)) \
		$(($1 >> 16 & 255)) $(($1 >> 24 & 255))
}
u32at() { od -An -tu4 -j "$2" -N4 "$1" | tr -d ' '; }
size() { wc -c <"$1" | tr -d ' '; }

# --- pack and decode QEMU's NVDIMM area ---
run pack "$ctl" pack --table "$nfit" --devices-from "$ssdt" -o "$tmp/nv.area"
is "pack NFIT + carved NVDR exits 0" "$rc" 0
is "pack prints nothing" "$out$err" ""
run decode "$ctl" decode "$tmp/nv.area"
is "decode exits 0" "$rc" 0
is "decode lists two blobs" "$(grep -c '^[0-9]' "$tmp/decode.out")" 2
like "blob 0 is the NFIT table" "$(sed -n 1p "$tmp/decode.out")" \
	'^0 0x00000000 table +NFIT +248 "BOCHS" "BXPC" ok$'
like "blob 1 is the NVDR device" "$(sed -n 2p "$tmp/decode.out")" \
	'^1 0x000000f8 device NVDR +[0-9]+ - - ok$'
like "decode summary" "$(tail -n 1 "$tmp/decode.out")" '^area: [0-9]+ bytes, 2 blobs: ok$'
run count "$ctl" decode --count 2 "$tmp/nv.area"
is "decode --count 2 exits 0" "$rc" 0

# --- JSON ---
run json "$ctl" decode --json "$tmp/nv.area"
is "decode --json exits 0" "$rc" 0
check "decode --json is one JSON document" \
	python3 -c 'import json,sys; json.load(sys.stdin)' <"$tmp/json.out"
is "JSON content" "$(python3 -c '
import json, sys
d = json.load(sys.stdin)
b = d["blobs"]
print(d["verdict"], d["count"], d["length"], d["well_formed"],
      b[0]["kind"], b[0]["object"], b[0]["offset"], b[0]["size"], b[0]["oem_id"],
      b[0]["oem_table_id"], b[0]["verdict"], len(b[0]["findings"]),
      b[1]["kind"], b[1]["object"], b[1]["offset"], b[1]["hid"], b[1]["verdict"])
' <"$tmp/json.out")" "ok 2 $(size "$tmp/nv.area") True table NFIT 0 248 BOCHS BXPC ok 0 device NVDR 248 ACPI0012 ok"

# --- the packed bytes equal an independent construction ---
nfit_len=$(size "$nfit")
area_len=$(size "$tmp/nv.area")
{ printf "$(u32le 0)$(u32le $((nfit_len + 8)))"; cat "$nfit"; } >"$tmp/nfit.expect"
head -c $((nfit_len + 8)) "$tmp/nv.area" >"$tmp/nfit.got"
check "NFIT blob = type 0, size 248, then the table's bytes" cmp -s "$tmp/nfit.expect" "$tmp/nfit.got"
is "device blob type is 1" "$(u32at "$tmp/nv.area" 248)" 1
is "device blob size runs to the end of the area" "$(u32at "$tmp/nv.area" 252)" $((area_len - 248))
is "device blob name is NVDR" "$(dd if="$tmp/nv.area" bs=1 skip=256 count=4 2>/dev/null)" NVDR
tail -c +261 "$tmp/nv.area" >"$tmp/nvdr.body"
body_len=$(size "$tmp/nvdr.body")
{ cat "$tmp/nfit.expect"; printf "$(u32le 1)$(u32le $((body_len + 12)))NVDR"; cat "$tmp/nvdr.body"; } \
	>"$tmp/nv.expect"
check "whole area = independent construction" cmp -s "$tmp/nv.expect" "$tmp/nv.area"
run repack "$ctl" pack --table "$nfit" --device "NVDR=$tmp/nvdr.body" -o "$tmp/nv2.area"
check "pack --device with the carved body gives the same bytes" cmp -s "$tmp/nv.area" "$tmp/nv2.area"
run order "$ctl" pack --device "NVDR=$tmp/nvdr.body" --table "$nfit" -o "$tmp/order.area"
is "blobs follow the argument order" "$(u32at "$tmp/order.area" 0)" 1

# --- structural errors: exit 1 with the check and its offset ---
head -c $((area_len - 5)) "$tmp/nv.area" >"$tmp/trunc.area"
run trunc "$ctl" decode "$tmp/trunc.area"
is "truncated area exits 1" "$rc" 1
like "truncated area: area-overrun at the device blob" "$out" 'builtin:area-overrun @0xf8:'
run truncjson "$ctl" decode --json "$tmp/trunc.area"
is "truncated area in JSON" "$(python3 -c '
import json, sys
d = json.load(sys.stdin)
print(d["verdict"], d["well_formed"], d["findings"][0]["check"], d["findings"][0]["offset"], len(d["blobs"]))
' <"$tmp/truncjson.out")" "invalid False builtin:area-overrun 248 1"
{ cat "$tmp/nv.area"; printf 'abc'; } >"$tmp/trail.area"
run trail "$ctl" decode "$tmp/trail.area"
like "3 trailing bytes: area-trailing" "$rc $found" "^1 .*builtin:area-trailing @0x$(printf %x "$area_len"):"
run count3 "$ctl" decode --count 3 "$tmp/nv.area"
like "count mismatch: area-count at the area's end" "$rc $found" "^1 .*builtin:area-count @0x$(printf %x "$area_len"):"
run max1 "$ctl" decode --max-blobs 1 "$tmp/nv.area"
like "more than --max-blobs: area-max-blobs at the second blob" "$rc $found" \
	'^1 .*builtin:area-max-blobs @0xf8:'

# --- per-blob findings ---
# Region mapping (NFIT offset 0x60) names SPA range 9; byte 9 compensates
# the +5 so only the dangling index is wrong.
cp "$tmp/nv.area" "$tmp/spa.area"
printf '\011' | dd of="$tmp/spa.area" bs=1 seek=$((8 + 0x6c)) conv=notrunc 2>/dev/null
printf '\320' | dd of="$tmp/spa.area" bs=1 seek=$((8 + 9)) conv=notrunc 2>/dev/null
run spa "$ctl" decode "$tmp/spa.area"
like "dangling SPA index: exit 1, nfit-spa-index at the mapping" "$rc $(sed -n 1p "$tmp/spa.out")" \
	'^1 0 .* builtin:nfit-spa-index @0x68: '
run facp "$ctl" pack --table "$data/qemu/FACP" -o "$tmp/facp.area"
run facpdec "$ctl" decode "$tmp/facp.area"
like "FACP: table-xen-only" "$rc $found" '^1 .*builtin:table-xen-only @0x8: '
printf '\010_HID\015ACPI0012\000' >"$tmp/hid.body"
run pci0 "$ctl" pack --device "PCI0=$tmp/hid.body" -o "$tmp/pci0.area"
run pci0dec "$ctl" decode --xen-namespace "$data/xen/DSDT_20920.aml" "$tmp/pci0.area"
like "a device named like Xen's PCI0: ns-collision" "$rc $found" '^1 .*builtin:ns-collision @0x[0-9a-f]+: .*\\_SB\.PCI0'
run nvxen "$ctl" decode --xen-namespace "$data/xen/DSDT_20920.aml" "$tmp/nv.area"
is "NVDIMM area over Xen's qemu-xen DSDT exits 0" "$rc" 0

run quote "$ctl" pack --device "a\"\\b=$tmp/hid.body" -o "$tmp/quote.area"
run quotedec "$ctl" decode --json "$tmp/quote.area"
is "hostile names are escaped in JSON" "$rc $(python3 -c '
import json, sys
b = json.load(sys.stdin)["blobs"][0]
print(b["object"], b["findings"][0]["check"], b["findings"][0]["offset"])
' <"$tmp/quotedec.out")" '1 a"\x5cb builtin:aml-nameseg 8'

# --- an empty area is well formed ---
run empty "$ctl" pack -o "$tmp/empty.area"
is "pack with no blobs writes an empty area" "$rc $(size "$tmp/empty.area")" "0 0"
run emptydec "$ctl" decode "$tmp/empty.area"
like "decode of the empty area exits 0" "$rc $out" '^0 area: 0 bytes, 0 blobs: ok$'

# --- usage and I/O errors: exit 2, a message, nothing written ---
echo keep >"$tmp/keep.area"
run e1 "$ctl" pack --table "$tmp/missing" -o "$tmp/keep.area"
is "pack of a missing file exits 2 and leaves the output alone" "$rc $(cat "$tmp/keep.area")" "2 keep"
run e2 "$ctl" pack --table "$nfit" --device NVDR -o "$tmp/e2.area"
like "pack --device without =FILE exits 2, writes nothing" "$rc $(ls "$tmp" | grep -c '^e2\.area')" '^2 0$'
run e3 "$ctl" pack --table "$nfit"
is "pack without -o exits 2" "$rc" 2
run e4 "$ctl" pack --bogus -o "$tmp/e4.area"
like "pack with an unknown option exits 2, writes nothing" "$rc $(ls "$tmp" | grep -c '^e4\.area')" '^2 0$'
run e5 "$ctl" decode "$tmp/missing"
is "decode of a missing file exits 2, nothing on stdout" "$rc|$out|$([ -n "$err" ] && echo msg)" "2||msg"
run e6 "$ctl" decode
is "decode without AREA exits 2" "$rc|$out" "2|"
run e7 "$ctl" decode --count x "$tmp/nv.area"
is "decode --count x exits 2" "$rc|$out" "2|"
run e8 "$ctl" decode --xen-namespace "$tmp/keep.area" "$tmp/nv.area"
is "decode with an unusable Xen namespace exits 2" "$rc|$out" "2|"
is "no temporary files left behind" "$(ls "$tmp" | grep -c '\.area\.')" 0

finish
