#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Verdict nodes dmacpid did not write (SPEC section 3): only a node whose
# permission list is exactly ours counts as ours (no duplicate, missing or
# extra entry); a foreign node is removed while the domain has no inputs
# and replaced once it has; a node of ours stays.  The foreign nodes are
# made by dom0 (the device model cannot create one, see stubdom-dm.sh).
# oxenstored's access log shows what the verdict after a removal asks.
. "$top_srcdir/tests/e2e/lib.sh"
e2e_setup
plan 14

# oxenstored's access log, with reads, shows every request.
host_restart --set access-log-read-ops=true

len=$(stat -c %s "$AREA")
# forge D PERMS...: a verdict node approving D's area, generation 41.
forge() {
	local d=$1 v
	v=$(vnode "$d"); shift
	"$XENSIM" write "$v/state" approved
	"$XENSIM" write "$v/input" "0x100000:$len:2"
	"$XENSIM" write "$v/generation" 41
	"$XENSIM" perms "$v" "$@"
}

# One of ours first: decided, then its inputs removed while we are down.
daemon_start
own=$(domain_create --name own --key platform/nvdimm=1)
"$XENSIM" qemu "$own" --area "$AREA"
check "our verdict" wait_input "$own" "0x100000:$len:2"
daemon_stop
for k in address length count; do "$XENSIM" rm "/local/domain/$own/hvmloader/dm-acpi/$k"; done

dm=$(domain_create --name stubdm)
# No inputs, a node owned by the guest.
g1=$(domain_create --name g1 --key platform/nvdimm=1)
forge "$g1" "n$g1"
# No inputs, our entries with the guest's read permission twice instead of
# the device model's: same length as ours, not ours.
g2=$(domain_create --name g2 --dm-domid "$dm" --key platform/nvdimm=1)
forge "$g2" "n0" "r$g2" "r$g2"
is "a duplicate entry is stored as given" "$("$XENSIM" perms "$(vnode "$g2")")" "n0 r$g2 r$g2"
# Inputs present and answered by a node with a duplicate entry.
g3=$(domain_create --name g3 --dm-domid "$dm" --key platform/nvdimm=1)
"$XENSIM" qemu "$g3" --area "$AREA" --as-domain "$dm"
forge "$g3" "n0" "r$dm" "r$dm"
# Inputs present, our entries plus an extra reader.
g4=$(domain_create --name g4 --dm-domid "$dm" --key platform/nvdimm=1)
"$XENSIM" qemu "$g4" --area "$AREA" --as-domain "$dm"
forge "$g4" "n0" "r$g4" "r$dm" "r$g4"
# Inputs present, our entries in another order.
g5=$(domain_create --name g5 --dm-domid "$dm" --key platform/nvdimm=1)
"$XENSIM" qemu "$g5" --area "$AREA" --as-domain "$dm"
forge "$g5" "n0" "r$dm" "r$g5"

daemon_start
check "no inputs: a node owned by the guest is removed" wait_gone "$(vnode "$g1")"
check "no inputs: a node with a duplicate entry is removed" wait_gone "$(vnode "$g2")"
is "our own verdict stays without inputs" "$(verdict "$own" state) $(verdict "$own" generation)" "approved 1"
for g in "$g3" "$g4" "$g5"; do
	check "dom$g: the forged verdict is not adopted but decided" \
		wait_value "$(vnode "$g")/generation" 1
	is "dom$g: with exactly our permissions" "$("$XENSIM" perms "$(vnode "$g")")" "n0 r$g r$dm"
done
check "the removal is logged" log_has "dom$g1: removed a verdict node dmacpid did not write"
# While running: inputs appear and go again; the node meanwhile forged is removed.
"$XENSIM" write "/local/domain/$g1/hvmloader/dm-acpi/address" 0x100000
wait_value "$(vnode "$g1")/state" pending 5
# The removal left no node, and under hvmloader/ only dom0 can make one:
# the verdict neither asks for the permissions of a node to continue its
# generation nor removes one first.
is "after the removal: no getperms or rm in the verdict's transaction" "$(xs_requests | awk -v v="$(vnode "$g1")" '
	{ tx[NR] = $1 "." $2; o[NR] = $3; p[NR] = $4 }
	$3 == "write" && $4 == v "/state" && $2 != "plain" { w[tx[NR]] = 1; t++ }
	END { for (i = 1; i <= NR; i++) if (w[tx[i]] && p[i] == v && (o[i] == "getperms" || o[i] == "rm")) n++
	      print t ? n + 0 : "no verdict transaction" }')" 0
forge "$g1" "n$g1"
"$XENSIM" rm "/local/domain/$g1/hvmloader/dm-acpi/address"
check "inputs gone again: the node forged meanwhile is removed" wait_gone "$(vnode "$g1")"
finish
