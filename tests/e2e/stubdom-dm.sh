#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Scenario 5: a device model in a stub domain, on its own unprivileged
# connection, cannot write, delete or pre-create the verdict; a verdict node
# that dmacpid did not write is replaced.
. "$top_srcdir/tests/e2e/lib.sh"
e2e_setup
plan 10

daemon_start
dm=$(domain_create --name stubdm)
d=$(domain_create --name guest --dm-domid "$dm" --key platform/nvdimm=1)
vnode=/local/domain/$d/hvmloader/dm-acpi-verdict
# Each refusal is xenstore's EACCES (xensim exits 13), not any failure.
"$XENSIM" write "$vnode/state" approved --as-domain "$dm" 2>/dev/null
is "the stub domain cannot pre-create the verdict: EACCES" "$?" 13
is "nothing was created" "$(xs_read "$vnode/state")" ""
len=$(stat -c %s "$AREA")
"$XENSIM" qemu "$d" --area "$AREA" --as-domain "$dm"
check "approved from the stub domain's inputs" wait_input "$d" "0x100000:$len:2"
is "the stub domain may read it" "$("$XENSIM" perms "$vnode")" "n0 r$d r$dm"
"$XENSIM" write "$vnode/state" rejected --as-domain "$dm" 2>/dev/null
is "the stub domain cannot overwrite it: EACCES" "$?" 13
"$XENSIM" rm "$vnode" --as-domain "$dm" 2>/dev/null
is "the stub domain cannot delete it: EACCES" "$?" 13
"$XENSIM" rm "$vnode" --as-domain "$d" 2>/dev/null
is "the guest cannot delete it: EACCES" "$?" 13
is "still approved" "$(verdict "$d" state)" approved

# A verdict node someone else made (dom0 tooling gone wrong, or a leftover
# with loose permissions) is not trusted: dmacpid replaces it.
daemon_stop
d2=$(domain_create --name other --key platform/nvdimm=1)
"$XENSIM" write "/local/domain/$d2/hvmloader/dm-acpi-verdict/state" approved
"$XENSIM" write "/local/domain/$d2/hvmloader/dm-acpi-verdict/input" "0x100000:$len:2"
"$XENSIM" perms "/local/domain/$d2/hvmloader/dm-acpi-verdict" "n$d2"
"$XENSIM" qemu "$d2" --area "$AREA"
daemon_start
check "a foreign verdict is decided again" wait_value "/local/domain/$d2/hvmloader/dm-acpi-verdict/generation" 1
is "and carries our permissions" "$("$XENSIM" perms "/local/domain/$d2/hvmloader/dm-acpi-verdict")" "n0 r$d2"
finish
