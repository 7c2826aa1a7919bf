#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# A guest that boots while dmacpid starts on a busy host is decided when
# its inputs come, not once the start-up has gone over every other live
# domain: between two domains of its scan, dmacpid acts on the events of
# the domains it has tracked so far.  The domain is seen tracked when
# dmacpid removes the foreign verdict node it was given (no inputs, not
# ours: SPEC section 3); its inputs are written then, with hundreds of
# domains still to go, and its final verdict must come before READY=1,
# which follows the scan.
. "$top_srcdir/tests/e2e/lib.sh"
e2e_setup
plan 7

len=$(stat -c %s "$AREA")
# _tracked_or_ready D: D's foreign verdict node is gone, or dmacpid has
# ended its start-up.
_tracked_or_ready() { _gone "$(vnode "$1")" || [ "$(_readies)" -gt 0 ]; }

# Each attempt adds a domain and, after it, FILLERS domains to go over
# (the simulated host holds 1,024).  One is conclusive when the inputs
# were written before READY=1; it passes when the verdict was final before
# it too.  A busy machine can let the scan end before this shell acts, so
# the second attempt has more to go over.
result=inconclusive
for fillers in 300 700; do
	x=$(domain_create --name "early$fillers" --key platform/nvdimm=1)
	"$XENSIM" ram "$x" --write 0x100000 "$AREA"
	"$XENSIM" write "$(vnode "$x")/state" approved
	"$XENSIM" perms "$(vnode "$x")" "n$x"
	for i in $(seq "$fillers"); do
		domain_create --name "f$fillers-$i" >/dev/null
	done
	daemon_spawn
	_until 120 _tracked_or_ready "$x"
	if [ "$(_readies)" = 0 ]; then
		set_inputs "$x" 0x100000 "$len" 2
		if [ "$(_readies)" = 0 ]; then
			wait_final "$x" 120
			result="verdict $(verdict "$x" state) with $(_readies) READY=1 before it"
		fi
	fi
	diag "$fillers domains after dom$x: $result"
	case $result in *" 0 READY=1 "*) break ;; esac
	[ "$fillers" = 700 ] && break
	_until 120 _started
	daemon_stop
done
is "a domain's inputs written during the start-up are decided before its end" \
	"$result" "verdict approved with 0 READY=1 before it"
check "its verdict answers them" wait_input "$x" "0x100000:$len:2"
check "READY=1 follows, once the start-up is over" _until 120 _started
is "... from the running daemon" "$(_readies)" 1
check "the foreign node's removal is logged" log_has "dom$x: removed a verdict node dmacpid did not write"
is "it was decided once" "$(grep -c "^dom$x (early$fillers): approved, generation 1:" "$LOG")" 1
# The next instance adopts that verdict as any other.
daemon_stop
daemon_start
is "a restart keeps it" "$(verdict "$x" state) $(verdict "$x" generation)" "approved 1"
finish
