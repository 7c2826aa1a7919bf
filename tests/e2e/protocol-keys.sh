#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# docs/protocol.md's table of verdict keys says which keys each state has;
# the daemon writes exactly those, for a pending, an approved, a rejected
# and an error verdict.
. "$top_srcdir/tests/e2e/lib.sh"
e2e_setup
plan 5

# doc_keys STATE: the keys the table says a STATE verdict has, sorted.
doc_keys() {
	sed -n 's/^| `\([a-z]*\)` | \([a-z, ]*\) | .*/\1 \2/p' "$top_srcdir/docs/protocol.md" |
		awk -v s="$1" '{ k = $1; $1 = ""; n = split($0, w, /[ ,]+/)
			for (i = 1; i <= n; i++) if (w[i] == s || w[i] == "always") { print k; break } }' |
		sort | tr '\n' ' '
}
# got_keys D: the keys of D's verdict, sorted.
got_keys() { "$XENSIM" ls "/local/domain/$1/hvmloader/dm-acpi-verdict" | sort | tr '\n' ' '; }

check "the table lists the keys of an approved verdict" [ -n "$(doc_keys approved)" ]
daemon_start
len=$(stat -c %s "$AREA")

d=$(domain_create --name approved --key platform/nvdimm=1)
"$XENSIM" qemu "$d" --area "$AREA"
wait_input "$d" "0x100000:$len:2"
is "approved: $(verdict "$d" state)" "$(got_keys "$d")" "$(doc_keys approved)"

d=$(domain_create --name rejected)
python3 -c 'import sys,struct; sys.stdout.buffer.write(struct.pack("<II", 0, 0x1000) + bytes(8))' >"$WORK/a"
"$XENSIM" ram "$d" --write 0x100000 "$WORK/a"
set_inputs "$d" 0x100000 16
wait_input "$d" "0x100000:16:"
is "rejected: $(verdict "$d" state)" "$(got_keys "$d")" "$(doc_keys rejected)"

d=$(domain_create --name error)
set_inputs "$d" 0x10z000 16
wait_input "$d" "?0x10z000:16:"
is "error: $(verdict "$d" state)" "$(got_keys "$d")" "$(doc_keys error)"

d=$(domain_create --name pending)
"$XENSIM" write "/local/domain/$d/hvmloader/dm-acpi/address" 0x100000
wait_value "/local/domain/$d/hvmloader/dm-acpi-verdict/state" pending 5
is "pending: $(verdict "$d" state)" "$(got_keys "$d")" "$(doc_keys pending)"

finish
