#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# dmacpictl's options: --help of every command, numbers read as the daemon
# reads the device model's (decimal, or hex after 0x), and check's
# drop-in directory with a policy from standard input.
. "$top_srcdir/tests/lib/tap.sh"

ctl=$top_builddir/daemon/dmacpictl/dmacpictl
data=${DMACPI_TESTDATA:-$top_srcdir/tests/data}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/options.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

[ -x "$ctl" ] || { echo "Bail out! dmacpictl not built: $ctl"; exit 1; }
plan 16

for c in check evaluate pack decode namespace status reload; do
	out=$("$ctl" "$c" --help 2>"$tmp/err")
	is "$c --help: exit 0, its usage on standard output" \
		"$?|$(printf '%s' "$out" | grep -c "Usage: dmacpictl $c")|$(cat "$tmp/err")" "0|1|"
done

"$ctl" pack --table "$data/qemu/NFIT.dimmpxm" -o "$tmp/nfit.area" || echo "Bail out! pack"
printf 'xen-namespace none\nallow any\n' >"$tmp/any.policy"
verdict() { "$ctl" evaluate --policy "$tmp/any.policy" --count "$1" "$tmp/nfit.area" 2>&1 | tail -1; }
like "evaluate --count 0x1: hex, as the daemon reads count" "$(verdict 0x1)" "^verdict=approved length=248 count=1 "
like "evaluate --count 01: decimal with a leading zero" "$(verdict 01)" "^verdict=approved length=248 count=1 "
like "evaluate --count 010 is ten, not octal eight" "$(verdict 010)" "count says 10 blobs"
bad=
for n in -1 +1 " 1" 1x 0x 0x10000000000000000; do
	"$ctl" evaluate --policy "$tmp/any.policy" --count "$n" "$tmp/nfit.area" >/dev/null 2>&1
	[ $? = 2 ] || bad="$bad '$n'"
done
is "evaluate --count refuses a sign, a space, junk and overflow (exit 2)" "$bad" ""
is "decode --count 0x1 as evaluate does" "$("$ctl" decode --count 0x1 "$tmp/nfit.area" >/dev/null 2>&1; echo $?)" 0
is "evaluate --domid is decimal" \
	"$("$ctl" evaluate --policy "$tmp/any.policy" --domid 0x5 "$tmp/nfit.area" >/dev/null 2>&1; echo $?)" 2

mkdir "$tmp/d"
printf 'deny table NFIT reason "from the drop-in"\n' >"$tmp/d/a.policy"
out=$(printf 'xen-namespace none\n' | "$ctl" check -v --dropin "$tmp/d" - 2>&1)
is "check --dropin DIR -: standard input and the drop-ins" \
	"$?|$(printf '%s\n' "$out" | grep -c -e '^xen-namespace none$' -e '^deny table NFIT reason "from the drop-in"$')" "0|2"
out=$(printf 'xen-namespace none\n' | "$ctl" check --dropin "$tmp/missing" - 2>&1)
is "check --dropin of a missing directory: exit 1, said" "$?|$out" \
	"1|$tmp/missing: cannot read the directory: No such file or directory"
out=$("$ctl" check --dropin "$tmp/any.policy" "$tmp/any.policy" 2>&1)
is "check --dropin of a file: exit 1, said" "$?|$out" \
	"1|$tmp/any.policy: cannot read the directory: Not a directory"
finish
