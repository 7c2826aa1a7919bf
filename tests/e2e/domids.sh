#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Finding domains in proportion: introductions in Xen's domid order (and a
# stub domain's) list only the new domids, never every domain; a domain
# whose domid is below the highest (chosen by the toolstack, or reused
# after wrap-around) is still found, at the cost of one full listing; so is
# the death of one.
. "$top_srcdir/tests/e2e/lib.sh"
e2e_setup
plan 10

len=$(stat -c %s "$AREA")
full() { grep -c '^listing every domain' "$LOG"; }
# approve D: the device model offers the area, the verdict answers it.
approve() {
	"$XENSIM" qemu "$1" --area "$AREA" >/dev/null &&
	wait_input "$1" "0x100000:$len:2" 20 && [ "$(verdict "$1" state)" = approved ]
}

daemon_start
check "the start-up reconcile lists every domain" wait_log '^listing every domain' 10
base=$(full)
ok=yes
for i in 1 2 3 4 5; do
	d=$(domain_create --name "seq$i" --key platform/nvdimm=1)
	approve "$d" || ok=no
done
is "five domains in domid order are decided" "$ok" yes
is "without listing every domain" "$(full)" "$base"

g=$(domain_create --name guest --key platform/nvdimm=1)
"$XENSIM" domain create --name guest-dm --target "$g" >/dev/null
check "a guest with a stub domain is decided" approve "$g"
is "the stub domain's introduction lists no domain twice" "$(full)" "$base"

high=$(domain_create --domid 1000 --name high --key platform/nvdimm=1)
check "a domain far above the others is decided" approve "$high"
low=$(domain_create --domid 500 --name low --key platform/nvdimm=1)
check "a domain below the highest domid is found and decided" approve "$low"
is "at the cost of one full listing" "$(full)" "$((base + 1))"

"$XENSIM" domain kill "$low"
full_is() { [ "$(full)" = "$1" ]; }
_until 0 full_is "$((base + 2))"
is "its death costs one full listing" "$(full)" "$((base + 2))"
if xs_control_find; then
	# seq1..5, guest and high: the two domain lists and two each.
	check "and its watches are gone" wait_watches 16 10
else
	skip_xen "and its watches are gone (no xenstore-control)"
fi
finish
