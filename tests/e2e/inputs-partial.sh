#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# A device model writes the inputs one key at a time, length last, and each
# write fires dmacpid's watch.  While length is absent nothing can be
# decided: an event for count or address costs no request at all once a
# round of the three inputs (here the new domain's first) has read length
# as absent, and the pending verdict comes from the one round its timer
# runs.  A device model that writes length
# first is decided as soon as address is there, and again when count is.
# oxenstored's access log, with reads, shows every request.
. "$top_srcdir/tests/e2e/lib.sh"
e2e_setup
plan 12

host_restart --set access-log-read-ops=true
# No input timeout between the steps, however slow dmacpid runs (valgrind):
# its error verdict would take the place of a pending one.
policy_set input-timeout 600s
daemon_start
len=$(stat -c %s "$AREA")

d=$(domain_create --name partial --key platform/nvdimm=1)
"$XENSIM" ram "$d" --write 0x100000 "$AREA"
in=/local/domain/$d/hvmloader/dm-acpi
# dmacpid's first round for the new domain (no inputs yet) is over before
# the first write, which would otherwise fall into it (under valgrind).
_read_count() { xs_requests | awk -v p="$in/count" '$3 == "read" && $4 == p { f = 1 } END { exit !f }'; }
check "dmacpid read the new domain's inputs" _until 0 _read_count
from=$(xs_mark)
# One write, then its pending verdict, three times: one event a round.
# _pending_for D INPUT (check's own locals hide the caller's).
_pending_for() { [ "$(verdict "$1" state)" = pending ] && [ "$(verdict "$1" input)" = "$2" ]; }
"$XENSIM" write "$in/count" 2
check "count alone: pending" _until 0 _pending_for "$d" "::2"
"$XENSIM" write "$in/address" 0x100000
check "count and address: pending" _until 0 _pending_for "$d" "0x100000::2"
"$XENSIM" write "$in/count" 1
check "count rewritten: pending" _until 0 _pending_for "$d" "0x100000::1"
upto=$(($(xs_mark) - 1))
"$XENSIM" write "$in/count" 2
"$XENSIM" write "$in/length" "$len"
check "length last: decided" wait_input "$d" "0x100000:$len:2"
is "approved" "$(verdict "$d" state)" approved

# requests OP PATH: dmacpid's requests OP of PATH between the first write
# and the last pending verdict, a line each: "plain" outside a transaction,
# else the transaction's id.  dmacpid's connection writes the verdicts.
requests() {
	xs_requests "$from" | head -n "$((upto - from + 1))" | awk -v op="$1" -v p="$2" \
		-v v="$(vnode "$d")/state" '
		{ conn[NR] = $1; tx[NR] = $2; o[NR] = $3; path[NR] = $4 }
		$3 == "write" && $4 == v { writer = $1 }
		END { for (i = 1; i <= NR; i++)
			if (conn[i] == writer && o[i] == op && path[i] == p) print tx[i] }'
}
is "no read of length outside a round: the rounds found it absent" \
	"$(requests read "$in/length" | grep -c '^plain$')" 0
is "one round of the inputs for each pending verdict (its timer's)" \
	"$(requests read "$in/address" | grep -vc '^plain$')" \
	"$(requests write "$(vnode "$d")/state" | grep -c .)"
is "three pending verdicts" "$(requests write "$(vnode "$d")/state" | grep -c .)" 3
# The first round found no verdict node, and none can appear that dom0 did
# not make: the first verdict removes nothing, each later one its
# predecessor's keys.
is "no removal before the first verdict" "$(requests rm "$(vnode "$d")" | grep -c .)" 2

# Length first: nothing to skip.
d=$(domain_create --name length-first --key platform/nvdimm=1)
"$XENSIM" ram "$d" --write 0x100000 "$AREA"
in=/local/domain/$d/hvmloader/dm-acpi
"$XENSIM" write "$in/length" "$len"
"$XENSIM" write "$in/address" 0x100000
check "length first, then address: decided" wait_input "$d" "0x100000:$len:"
"$XENSIM" write "$in/count" 2
check "then count: decided again" wait_input "$d" "0x100000:$len:2"
finish
