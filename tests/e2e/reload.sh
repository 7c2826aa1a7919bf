#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Scenario 10: SIGHUP (dmacpictl reload) with a valid policy changes later
# decisions and not earlier verdicts; a broken policy is refused, its errors
# logged as file:line:col, and the old policy stays in force.
. "$top_srcdir/tests/e2e/lib.sh"
e2e_setup
plan 14

len=$(stat -c %s "$AREA")
daemon_start
d1=$(domain_create --name before --key platform/nvdimm=1)
"$XENSIM" qemu "$d1" --area "$AREA"
check "approved under the first policy" wait_input "$d1" "0x100000:$len:2"
is "approved" "$(verdict "$d1" state)" approved

# Valid: deny every NFIT, above all other rules.
sed -i '0,/^reject any/s//deny table NFIT reason "no NFIT today"\n&/' "$POLICY"
out=$("$DMACPICTL" reload 2>&1); rc=$?
is "reload: exit 0" "$rc" 0
like "reload: says so" "$out" "reloaded"
check "policy loaded logged" log_has "policy reloaded from $POLICY"
d2=$(domain_create --name after --key platform/nvdimm=1)
"$XENSIM" qemu "$d2" --area "$AREA"
wait_input "$d2" "0x100000:$len:2"
check "the new rule decides later domains" \
	log_has "^dom$d2 \\(after\\) blob 0 table NFIT: deny by $POLICY:[0-9]+ \\(no NFIT today\\)"
is "earlier verdicts stay" "$(verdict "$d1" state)/$(verdict "$d1" generation)" approved/1

# Broken: two errors; both are logged; the policy in force stays.  Its
# first line would allow the NFIT, so a daemon that took the part that
# parsed would decide otherwise.
cp "$POLICY" "$WORK/good.policy"
sed -i '1i allow table NFIT reason "from a broken file"' "$POLICY"
printf 'frobnicate yes\nallow table NFIT if size >>> 3\n' >>"$POLICY"
out=$("$DMACPICTL" reload 2>&1); rc=$?
is "broken reload: exit 1" "$rc" 1
check "every error logged as file:line:col" \
	sh -c "grep -Ec '^error: $POLICY:[0-9]+:[0-9]+: ' '$LOG' | grep -qx '[2-9]'"
d3=$(domain_create --name later --key platform/nvdimm=1)
"$XENSIM" qemu "$d3" --area "$AREA"
wait_input "$d3" "0x100000:$len:2"
check "the previous policy still decides" \
	log_has "^dom$d3 \\(later\\) blob 0 table NFIT: deny by $POLICY:[0-9]+ \\(no NFIT today\\)"

# The pid a dmacpid that died left behind may name another process by now:
# reload must not signal it (SIGHUP ends most programs).
kill -KILL "$DPID"
wait "$DPID" 2>/dev/null
DPID=
sleep 600 &
other=$!
"$XENSIM" write /local/domain/0/dmacpid/pid "$other"
out=$(MAINPID= "$DMACPICTL" reload 2>&1); rc=$?
is "a pid left behind, now another process's: exit 2, not signalled" \
	"$rc/$(kill -0 "$other" 2>/dev/null && echo alive)" 2/alive
like "and says why" "$out" "not running \(the pid it left is gone or another process's\)"
kill "$other"

cp "$WORK/good.policy" "$POLICY"
daemon_start
daemon_stop
is "a clean stop removes the pid and its start time" \
	"$(xs_read /local/domain/0/dmacpid/pid)$(xs_read /local/domain/0/dmacpid/pid-start)" ""
out=$("$DMACPICTL" reload 2>&1); rc=$?
is "no daemon: exit 2" "$rc" 2
finish
