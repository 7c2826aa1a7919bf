#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Scenario 6: inputs rewritten after a verdict are decided again, with the
# next generation; rewriting the same values changes nothing.  Each key is
# also changed and removed on its own.
. "$top_srcdir/tests/e2e/lib.sh"
e2e_setup
plan 16

daemon_start
d=$(domain_create --name again --key platform/nvdimm=1)
len=$(stat -c %s "$AREA")
"$XENSIM" qemu "$d" --area "$AREA"
check "first verdict" wait_input "$d" "0x100000:$len:2"
is "generation 1" "$(verdict "$d" generation)" 1
"$XENSIM" qemu "$d" --area "$AREA" --at 0x200000
check "inputs moved: decided again" wait_input "$d" "0x200000:$len:2"
is "generation 2" "$(verdict "$d" generation)" 2
is "new address" "$(verdict "$d" address)" 0x200000
is "approved" "$(verdict "$d" state)" approved
"$XENSIM" write "/local/domain/$d/hvmloader/dm-acpi/length" "$len"
# dmacpid handles the watch events in order: once the next write is
# decided, the same values have been seen, and must not have been decided.
"$XENSIM" write "/local/domain/$d/hvmloader/dm-acpi/length" 7
wait_input "$d" "0x200000:7:2"
is "same values again: not decided again (the next decision is generation 3)" \
	"$(verdict "$d" generation)" 3
is "a broken rewrite is rejected" "$(verdict "$d" state)" rejected

base=/local/domain/$d/hvmloader/dm-acpi
"$XENSIM" write "$base/length" "$len"
check "length alone rewritten: decided again" wait_input "$d" "0x200000:$len:2"
is "approved again, generation 4" "$(verdict "$d" state) $(verdict "$d" generation)" "approved 4"
"$XENSIM" write "$base/count" 1
check "count alone rewritten: decided again" wait_input "$d" "0x200000:$len:1"
is "generation 5" "$(verdict "$d" generation)" 5
"$XENSIM" rm "$base/count"
check "count removed: decided again" wait_input "$d" "0x200000:$len:"
is "no count to check: approved, generation 6" \
	"$(verdict "$d" state) $(verdict "$d" generation)" "approved 6"
"$XENSIM" rm "$base/address"
check "address removed: pending" wait_value "$base-verdict/input" ":$len:"
is "inputs incomplete" "$(verdict "$d" state)" pending
finish
