#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Scenario 7: domains destroyed or killed mid-decision, and 200 domains
# created and destroyed in a loop: dmacpid (under valgrind when available)
# leaks nothing and keeps deciding.
. "$top_srcdir/tests/e2e/lib.sh"
e2e_setup
plan 5

# A sanitizer build checks leaks itself, and valgrind cannot run it.
if command -v valgrind >/dev/null && [ -z "$DMACPI_NO_VALGRIND" ] &&
   ! ldd "$DMACPID" 2>/dev/null | grep -q libasan; then
	DMACPID_WRAPPER="valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect --error-exitcode=42 --log-file=$WORK/valgrind.log"
fi
len=$(stat -c %s "$AREA")
daemon_start
i=0
while [ $i -lt 200 ]; do
	d=$(domain_create --name "churn$i" --key platform/nvdimm=1)
	case $((i % 4)) in
	0) "$XENSIM" qemu "$d" --area "$AREA"; "$XENSIM" domain destroy "$d" ;;
	1) "$XENSIM" qemu "$d" --area "$AREA"; "$XENSIM" domain kill "$d" ;;
	2) "$XENSIM" qemu "$d" --area "$AREA" --partial; "$XENSIM" domain destroy "$d" ;;
	3) "$XENSIM" domain destroy "$d" ;;
	esac
	i=$((i + 1))
done >/dev/null 2>&1
check "dmacpid survived the churn" kill -0 "$DPID"
d=$(domain_create --name after --key platform/nvdimm=1)
"$XENSIM" qemu "$d" --area "$AREA"
check "and still decides" wait_input "$d" "0x100000:$len:2" 20
is "approved" "$(verdict "$d" state)" approved
check "no error verdict was logged for vanished domains" sh -c "! grep -q '^error: dom' '$LOG'"
daemon_stop; rc=$?
is "clean exit, no leak" "$rc" 0
[ $rc -ne 0 ] && [ -f "$WORK/valgrind.log" ] && diag "$(head -40 "$WORK/valgrind.log")"
finish
