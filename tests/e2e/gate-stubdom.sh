#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The pause gate with a stub-domain device model: the toolstack writes
# image/device-model-domid only after the guest is introduced (and gated),
# so the gate must follow the device model to its stub domain, release the
# reference exactly once when the stub's device model runs without inputs,
# and leave no watch behind.
. "$top_srcdir/tests/e2e/lib.sh"
e2e_setup
plan 15

policy_set gate pause
policy_set gate-timeout 60s
daemon_start
have_control=no
xs_control_find && have_control=yes

g=$(domain_create --name guest)
check "the guest is paused once on introduction" wait_pause "$g" 1
# libxl's order: the stub domain comes after the guest, then
# device-model-domid and device-model/G appear.
dm=$("$XENSIM" domain create --name guest-dm --target "$g")
check "the gate follows the device model to dom$dm" \
	wait_log "dom$g: gate: the device model is now in dom$dm" 10

# The old place no longer counts.  A second guest introduced afterwards is a
# barrier: once it is paused, the write below has been seen, and the stub
# domain's introduction before it.
"$XENSIM" qemu "$g" --state running
g2=$(domain_create --name guest2)
check "barrier: the second guest is paused" wait_pause "$g2" 1
is "running at dom0's place does not release it" "$("$XENSIM" pause-count "$g")" 1
is "the stub domain is not gated" "$("$XENSIM" pause-count "$dm")" 0

"$XENSIM" qemu "$g" --state running --as-domain "$dm"
check "running in the stub domain without inputs releases it" wait_pause "$g" 0 10
# The record goes after the unpause: wait for it.
check "its record is gone" wait_gone "/local/domain/0/dmacpid/gate/$g"
is "released exactly once" \
	"$(grep -c "dom$g: gate: released (the device model runs without inputs)" "$LOG")" 1

# device-model-domid appears when the stub's device model already runs:
# the watch at the new place fires on registration and sees it.
dm2=$("$XENSIM" domain create --name guest2-dm)
"$XENSIM" write "/local/domain/$dm2/device-model/$g2/state" running
# A barrier again: a third guest, paused once the write has been seen.
g3=$(domain_create --name guest3)
check "barrier: a third guest is paused" wait_pause "$g3" 1
is "not released by another domain's device model" "$("$XENSIM" pause-count "$g2")" 1
"$XENSIM" write "/local/domain/$g2/image/device-model-domid" "$dm2"
check "released once device-model-domid names the running stub" wait_pause "$g2" 0 10
is "released exactly once" \
	"$(grep -c "dom$g2: gate: released (the device model runs without inputs)" "$LOG")" 1
"$XENSIM" qemu "$g3" --state running
wait_pause "$g3" 0 10
check "no unpause failed" sh -c "! grep -q 'cannot unpause' '$LOG'"

# Only the domain watches remain: the gate's are gone with the references.
if [ $have_control = yes ]; then
	tokens=$(daemon_watches | awk '{ print $2 }' | sort | tr '\n' ' ')
	is "no gate watch is left" "$(echo "$tokens" | grep -Ec '(^| )g[0-9]')" 0
	is "watches: the domain lists, inputs and device-model-domid per guest" "$tokens" \
		"$(printf '%s\n' @domains @domains "a$g" "a$g2" "a$g3" "m$g" "m$g2" "m$g3" | sort | tr '\n' ' ')"
else
	skip_xen "no gate watch is left (no xenstore-control)"
	skip_xen "watches: the domain lists, inputs and device-model-domid per guest (no xenstore-control)"
fi
finish
