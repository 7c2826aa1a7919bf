#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# hvmloader's consumer (dm_acpi.c from the patch series, compiled on the
# host) against a scripted xenstore, a fake clock and QEMU's NVDIMM area
# mapped where the device model published it: it loads exactly what an
# approving verdict for the current inputs and bytes names, refuses
# everything else with one console line, waits for a pending verdict and
# gives up after 20 s.
set -u
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}" "${top_builddir:=.}"
: "${DMACPI_TESTDATA:=$top_srcdir/tests/data}"
ctl=$top_builddir/daemon/dmacpictl/dmacpictl
here=$top_srcdir/tests/xen-hvmloader
total=52
n=0

echo "1..$total"
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

fail_all() {
	while [ $n -lt $total ]; do
		n=$((n + 1))
		echo "not ok $n - $1"
	done
	exit 0
}

src=$tmp/src/tools/firmware/hvmloader
"$here/extract.sh" "$top_srcdir/xen/hvmloader" "$tmp/src" >"$tmp/build.log" 2>&1 &&
	${CC:-cc} -std=gnu99 -Wall -Wextra -Werror -O2 -I"$here/shim" -I"$src" \
		-o "$tmp/consume" "$here/consume.c" "$src/sha256.c" \
		"$src/dm_acpi_area.c" "$src/dm_acpi.c" >>"$tmp/build.log" 2>&1 || {
	sed 's/^/# /' "$tmp/build.log"
	fail_all "dm_acpi.c does not build on the host"
}
n=$((n + 1))
echo "ok $n - dm_acpi.c compiles on the host against the shims"

# The shim's struct acpi_config must be what patch 2 adds to libacpi.h.
n=$((n + 1))
p2=$(sed -n '/^\+\+\+ b\/tools\/libacpi\/libacpi.h/,/^diff/p' "$top_srcdir"/xen/hvmloader/0002-*.patch)
if echo "$p2" | grep -q '^+        const struct acpi_header \*const \*tables;$' &&
   echo "$p2" | grep -q '^+        unsigned int nr;$' &&
   echo "$p2" | grep -q '^+        unsigned int nr_added;$' &&
   [ "$(echo "$p2" | grep -c '^+        ')" -eq 3 ]; then
	echo "ok $n - shim/libacpi.h has the fields patch 2 adds"
else
	echo "not ok $n - patch 2's config->extra differs from shim/libacpi.h"
fi

area=$tmp/nv.area
"$ctl" pack --table "$DMACPI_TESTDATA/qemu/NFIT.dimmpxm" \
	--devices-from "$DMACPI_TESTDATA/qemu/SSDT.dimmpxm" -o "$area" >"$tmp/pack.log" 2>&1 ||
	fail_all "dmacpictl pack failed"
len=$(wc -c <"$area")
dig=sha256:$(sha256sum <"$area" | cut -d' ' -f1)
I=hvmloader/dm-acpi
V=hvmloader/dm-acpi-verdict

# base: the inputs and an approving verdict for them.
base() {
	cat <<-EOF
	$I/count=2
	$I/address=0x30000000
	$I/length=$len
	$V/state=approved
	$V/generation=1
	$V/input=0x30000000:$len:2
	$V/address=0x30000000
	$V/length=$len
	$V/count=2
	$V/digest=$dig
	$V/checksum=0x12345678
	$V/dropped=0
	EOF
}

# run DESC WANT [EXTRA-SCRIPT-LINES]: exactly one dm-acpi line, WANT, but
# for the line that says it waits (waited() checks that one).
run() {
	desc=$1
	want=$2
	n=$((n + 1))
	{ base; printf '%s' "${3:-}"; } >"$tmp/script"
	rm -rf "$tmp/out" && mkdir "$tmp/out"
	"$tmp/consume" "$tmp/script" "$area" "$tmp/out" >"$tmp/log" 2>&1
	got=$(grep '^dm-acpi:' "$tmp/log" | grep -v '^dm-acpi: waiting')
	if [ "$got" = "$want" ]; then
		echo "ok $n - $desc: $want"
	else
		echo "not ok $n - $desc: expected \"$want\""
		sed 's/^/# /' "$tmp/log"
	fi
}
nl='
'
# elapsed MS DESC WRONG: the last run's wait took MS ms of the fake clock.
elapsed() {
	n=$((n + 1))
	if grep -qx "elapsed $1" "$tmp/log"; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $3: $(grep elapsed "$tmp/log")"
	fi
}
# waited yes|no DESC: the last run said, once, that it waits for the verdict.
waited() {
	n=$((n + 1))
	w=$(grep -c '^dm-acpi: waiting' "$tmp/log")
	case $1/$w in
	yes/1)	echo "ok $n - $2" ;;
	no/0)	echo "ok $n - $2" ;;
	*)	echo "not ok $n - $2: $w waiting lines"; grep '^dm-acpi' "$tmp/log" | sed 's/^/# /' ;;
	esac
}
loaded="dm-acpi: loaded 2 blobs (1 table, 1 device), generation 1"

run "an approving verdict" "$loaded"
waited no "a verdict there at once: no line about a wait"
n=$((n + 1))
if grep -qx 'extra 2 added 2' "$tmp/log" &&
   cmp -s "$tmp/out/extra-0.aml" "$DMACPI_TESTDATA/qemu/NFIT.dimmpxm" &&
   [ "$(head -c 4 "$tmp/out/extra-1.aml")" = SSDT ]; then
	echo "ok $n - libacpi gets QEMU's NFIT byte for byte and one SSDT"
else
	echo "not ok $n - the tables handed to libacpi are not the NFIT and an SSDT"
fi
if command -v acpiexec >/dev/null 2>&1; then
	n=$((n + 1))
	acpiexec -b "namespace" "$DMACPI_TESTDATA/xen/DSDT_20920.aml" "$tmp/out/extra-1.aml" \
		</dev/null >"$tmp/acpi.log" 2>&1
	if grep -q "2 ACPI AML tables successfully acquired and loaded" "$tmp/acpi.log" &&
	   ! grep -q "Error\|AE_" "$tmp/acpi.log" && grep -Eq "^ +1 +NVDR Device" "$tmp/acpi.log"; then
		echo "ok $n - acpiexec finds \\_SB.NVDR in that SSDT over Xen's DSDT"
	else
		echo "not ok $n - acpiexec does not load that SSDT cleanly"
	fi
else
	n=$((n + 1))
	echo "$([ "${DMACPI_REQUIRE_ORACLE:-0}" = 0 ] || echo "not ")ok $n # SKIP acpiexec not installed"
fi

cp "$tmp/out/extra-1.aml" "$tmp/ssdt.good"
# mem_alloc 1 is the copy, 2 the SSDT: by then only the copy counts.
run "the area rewritten after the copy" "$loaded" "%2 300 255$nl"
n=$((n + 1))
if cmp -s "$tmp/out/extra-1.aml" "$tmp/ssdt.good"; then
	echo "ok $n - the SSDT comes from the copy, not from guest memory"
else
	echo "not ok $n - the SSDT changed with guest memory after the copy"
fi
run "no address: nothing offered" "dm-acpi: none offered" "$I/address=-$nl"
run "inputs compared as numbers" "$loaded" "$I/address=805306368$nl$I/length=0x$(printf %x "$len")$nl"
run "no count on either side" "$loaded" "$I/count=-$nl$V/input=0x30000000:$len:$nl"
run "an address of 16 hex digits, zero-padded, as dmacpid copies it into input" "$loaded" \
	"$I/address=0x0000000030000000$nl$V/input=0x0000000030000000:$len:2$nl"
run "an empty count is not an absent one" "dm-acpi: refused: the verdict answers other inputs" \
	"$I/count=$nl$V/input=0x30000000:$len:$nl"
run "a count the verdict does not answer" "dm-acpi: refused: the verdict answers other inputs" \
	"$V/input=0x30000000:$len:$nl"
run "a length changed since the verdict" "dm-acpi: refused: the verdict answers other inputs" \
	"$I/length=$((len + 1))$nl"
elapsed 20000 "a verdict for other inputs is waited past, to the deadline" "a verdict for other inputs ended the wait"
# The device model's last write (count) landed after dmacpid read the
# others: the verdict for them comes first, the one for all three later.
run "a verdict for earlier inputs, then one for these at 300 ms" \
	"dm-acpi: loaded 2 blobs (1 table, 1 device), generation 2" \
	"$V/input=0x30000000:$len:$nl@300 $V/generation=2$nl@300 $V/input=0x30000000:$len:2$nl"
elapsed 300 "it took the second, at 300 ms" "it did not wait for the second"
# Permissions (XS_GET_PERMS): every node is "n0 r1" (dom0's) unless set.
notd0="dm-acpi: refused: the verdict is not dom0's"
run "a verdict node another domain owns" "$notd0" "perms hvmloader/dm-acpi-verdict n5 r1$nl"
elapsed 20000 "it is waited past, to the deadline" "a verdict node of another domain's ended the wait"
run "a digest another domain may write" "$notd0" "perms $V/digest n0 r1 w5$nl"
run "a state anyone may write" "$notd0" "perms $V/state b0$nl"
run "a count another domain owns" "$notd0" "perms $V/count n7$nl"
run "a malformed permission entry" "$notd0" "perms $V/input n0 r$nl"
run "a rejection without the area's keys, as dmacpid writes one (nothing else to own)" \
	"dm-acpi: refused: state rejected: too big, generation 1" \
	"$V/state=rejected$nl$V/reason=too big$nl$V/address=-$nl$V/length=-$nl$V/count=-$nl$V/digest=-$nl"
run "a verdict anyone may read, dom0 listed as a writer" "$loaded" \
	"perms hvmloader/dm-acpi-verdict r0${nl}perms $V/length n0 w0 r1$nl"
run "a device model's verdict, then dmacpid's at 500 ms" "$loaded" \
	"perms hvmloader/dm-acpi-verdict n5 r1$nl@500 perms hvmloader/dm-acpi-verdict n0 r1$nl"
elapsed 500 "it took dmacpid's, at 500 ms" "it did not wait for dom0's verdict"
# Reads 1-15: the input address, the state, the verdict's keys, the
# inputs; dmacpid replaces a forged node (another digest) right after them,
# before its owners are read: the keys read before are not taken.
run "a forged verdict replaced by dmacpid's between the reads and the owners" "$loaded" \
	"perms hvmloader/dm-acpi-verdict n5 r1$nl$V/digest=sha256:$(printf '%064d' 0)$nl#15 perms hvmloader/dm-acpi-verdict n0 r1$nl#15 $V/digest=$dig$nl"
elapsed 100 "its keys read again, it polled once more" "it took what it read before the owners"
run "the area rewritten after the verdict" "dm-acpi: refused: digest mismatch" "!1 100 255$nl"
run "rejected" "dm-acpi: refused: state rejected: device NVDR denied by rule 3, generation 1" \
	"$V/state=rejected$nl$V/reason=device NVDR denied by rule 3$nl"
long=$(printf '%0300d' 0)
run "a reason of 300 characters, cut" \
	"dm-acpi: refused: state rejected: $(printf '%0127d' 0), generation 1" \
	"$V/state=rejected$nl$V/reason=$long$nl"
run "error, no reason" "dm-acpi: refused: state error: no reason given, generation 1" "$V/state=error$nl"
run "pending, approved at 1.5 s" "$loaded" \
	"$V/state=pending$nl$V/generation=0$nl@1500 $V/generation=1$nl@1500 $V/state=approved$nl"
elapsed 1500 "it polled until the verdict arrived, 1500 ms" "it did not wait for the verdict"
waited yes "and said once that it waits: dm-acpi: waiting up to 20 s for dom0's verdict"
run "no verdict yet, then one" "$loaded" \
	"$V/state=-$nl@300 $V/state=approved$nl"
run "pending for ever" "dm-acpi: refused: verdict timeout" "$V/state=pending$nl"
elapsed 20000 "it gave up after 20000 ms" "the wait was not 20 s"
waited yes "200 polls, one line about the wait"
# Reads 1-3: the input address, the state, the generation; a new verdict
# arrives during the read of the keys: the consumer reads them again and
# uses the new one.
run "a new verdict during the read" "dm-acpi: refused: digest mismatch" \
	"#4 $V/digest=sha256:$(printf '%064d' 0)$nl#4 $V/generation=2$nl"
# A pending verdict (the inputs rewritten) between the read of the state
# and that of the keys: it keeps the generation and removes the approved
# keys; the consumer sees the state change, waits, and takes the next.
pend="#4 $V/state=pending$nl#4 $V/address=-$nl#4 $V/length=-$nl#4 $V/count=-$nl#4 $V/digest=-$nl"
again="@2000 $V/address=0x30000000$nl@2000 $V/length=$len$nl@2000 $V/count=2$nl"
again="$again@2000 $V/digest=$dig$nl@2000 $V/generation=2$nl@2000 $V/state=approved$nl"
run "a pending verdict during the read" "dm-acpi: loaded 2 blobs (1 table, 1 device), generation 2" \
	"$pend$again"
# The node removed right after the state was polled (dmacpid replaces a
# verdict node it did not write), and written again at 500 ms.
gone=
for k in state generation input address length count digest checksum dropped; do
	gone="$gone#2 $V/$k=-$nl"
done
run "the verdict gone while read, then a new one" \
	"dm-acpi: loaded 2 blobs (1 table, 1 device), generation 2" \
	"$gone$(base | sed -n "s|^$V/|@500 $V/|p" | sed 's|generation=1|generation=2|')$nl"
run "an approved area above 4 GiB" "dm-acpi: refused: approved area not below 4 GiB" \
	"$I/address=0xfffffc00$nl$V/input=0xfffffc00:$len:2$nl$V/address=0xfffffc00$nl"
run "an approved area over 1 MiB" "dm-acpi: refused: approved area too large" \
	"$I/length=1048577$nl$V/input=0x30000000:1048577:2$nl$V/length=1048577$nl"
run "a count the area does not hold" "dm-acpi: refused: blob 2: header past the end of the area" \
	"$V/count=3$nl"
run "a verdict without a digest (CRC-32 only)" "dm-acpi: refused: the verdict has no digest" \
	"$V/digest=-$nl"
run "a malformed length" "dm-acpi: refused: malformed verdict" "$V/length=${len}x$nl"
run "a non-numeric generation" "dm-acpi: refused: malformed verdict" "$V/generation=one$nl"
run "no room in the RSDT" "dm-acpi: refused: no room for 2 more ACPI tables, generation 1" "room 1$nl"
e3b0=sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
run "everything denied: length 0" "dm-acpi: loaded 0 blobs (0 tables, 0 devices), generation 1" \
	"$V/length=0$nl$V/count=0$nl$V/digest=$e3b0$nl"
