#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# An absent, an empty and a numeric count are three different inputs: each
# change between them is decided again, and the same inputs get the same
# verdict whatever came before (the verdict's `input` tells them apart).
. "$top_srcdir/tests/e2e/lib.sh"
e2e_setup
plan 11

daemon_start
len=$(stat -c %s "$AREA")
COUNT=hvmloader/dm-acpi/count

d=$(domain_create --name forms --key platform/nvdimm=1)
"$XENSIM" qemu "$d" --area "$AREA" --no-count
check "no count: a final verdict" wait_input "$d" "0x100000:$len:"
is "no count: approved" "$(verdict "$d" state)" approved
g=$(verdict "$d" generation)

"$XENSIM" write "/local/domain/$d/$COUNT" ""
check "an empty count is decided again, input '...:?'" wait_input "$d" "0x100000:$len:?"
is "empty count: an error, as on a fresh domain" \
	"$(verdict "$d" state)/$(verdict "$d" reason)" "error/hvmloader/dm-acpi/count is not a number"
is "empty count: a new generation" "$(verdict "$d" generation)" $((g + 1))

"$XENSIM" rm "/local/domain/$d/$COUNT"
check "count removed: decided again" wait_input "$d" "0x100000:$len:"
is "count removed: approved again, a new generation" \
	"$(verdict "$d" state)/$(verdict "$d" generation)" "approved/$((g + 2))"

# Odd values stay apart: '1-2' and '1+2' are not the same input.
"$XENSIM" write "/local/domain/$d/$COUNT" "1-2"
check "count '1-2': input '...:?1%2D2'" wait_input "$d" "0x100000:$len:?1%2D2"
"$XENSIM" write "/local/domain/$d/$COUNT" "1+2"
check "count '1+2': decided again, input '...:?1%2B2'" wait_input "$d" "0x100000:$len:?1%2B2"

# The same inputs on a fresh domain: the same verdict.
d2=$(domain_create --name fresh --key platform/nvdimm=1)
"$XENSIM" write "/local/domain/$d2/$COUNT" ""
"$XENSIM" qemu "$d2" --area "$AREA" --no-count
check "fresh domain, empty count: a final verdict" wait_input "$d2" "0x100000:$len:?"
is "fresh domain, empty count: the same error" \
	"$(verdict "$d2" state)/$(verdict "$d2" reason)" "error/hvmloader/dm-acpi/count is not a number"
finish
