#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Fault: oxenstored with tight quotas.
#
# What oxenstored 4.17 enforces, and on whom (checked here, not assumed):
# quota-maxwatch, quota-transaction and quota-maxentity bind unprivileged
# (ring) connections only; dmacpid talks as dom0 and is exempt.  A domain
# over quota gets EQUOTA (which libxenstore reports as EINVAL).
# quota-maxsize binds everyone, dom0 too: a value longer than it is E2BIG.
#
# So: dmacpid keeps deciding with more watches and transactions than any
# domain may hold; a stub-domain device model that runs out of entries
# leaves its inputs incomplete, which dmacpid reports as `error` and
# decides again once the device model has freed space and finished; and a
# verdict too long for xenstored is logged, never half-written, retried
# with backoff, and lands once it fits (here: after a policy reload).
. "$top_srcdir/tests/stress/lib.sh"
stress_setup
plan 17

MAXSIZE=100
host_restart --set quota-maxentity=12 --set quota-maxwatch=2 --set quota-transaction=1 \
	--set quota-maxsize=$MAXSIZE
long=$(printf 'a reason longer than this xenstored lets any value be%.0s, ' 1 2)
sed -i "/^reject any/i reject any if domain-name \"long-reason*\" reason \"$long\"" "$POLICY"
len=$(stat -c %s "$AREA")
exp=$(area_expect nvdimm --domain-key platform/nvdimm=1)
daemon_start

xs_error() { xs_requests | awk -v c="$1" -v e="$2" '$1 == c && $2 == "plain" && $3 == "error" && $4 == e' | wc -l; }

# dom0 is exempt from the watch, transaction and entity quotas.
doms=
for i in 1 2 3 4; do
	d=$(domain_create --name plenty$i --key platform/nvdimm=1)
	"$XENSIM" qemu "$d" --area "$WORK/nvdimm.area"
	doms="$doms $d"
done
is "dmacpid decides 4 domains with 6 watches where a domain may hold 3" "$(wait_all_final $doms)" ""
bad=
for d in $doms; do bad="$bad$(verdict_check "$d" "0x100000:$len:2" "$exp" 1)"; done
is "correctly" "$bad" ""
set -- $doms
g=$1
"$XENSIM" watch --as-domain "$g" /local/domain/$g/a /local/domain/$g/b /local/domain/$g/c \
	/local/domain/$g/d --count 0 --timeout 0.1 >/dev/null 2>&1
is "a domain's fourth watch is refused" "$?/$(xs_error "D$g" EQUOTA)" "1/1"
"$XENSIM" transactions 3 --as-domain "$g" >/dev/null 2>&1
is "so is its third transaction" "$?/$(xs_error "D$g" EQUOTA)" "1/2"
is "dom0 is held to neither" \
	"$("$XENSIM" watch /a /b /c /d /e /f --count 0 --timeout 0.1 >/dev/null 2>&1; echo $?)/$("$XENSIM" transactions 20 2>&1)" \
	"0/opened 20"

# A stub-domain device model out of entries.
g5=$(domain_create --name stubbed --key platform/nvdimm=1)
dm=$("$XENSIM" domain create --name dm5 --target "$g5")
n=0
while [ $n -lt 50 ] && "$XENSIM" write --as-domain "$dm" "/local/domain/$dm/data/fill$n" x 2>/dev/null; do
	n=$((n + 1))
done
# Fewer than 50 writes went through, and one was refused with EQUOTA.
is "the device model hits its entry quota" "$([ "$n" -lt 50 ] && echo short)/$(xs_error "D$dm" EQUOTA)" "short/1"
diag "it could create $n entries of its own"
# One entry left: the address lands, the rest of the inputs cannot.
"$XENSIM" rm --as-domain "$dm" "/local/domain/$dm/data/fill0"
"$XENSIM" qemu "$g5" --area "$WORK/nvdimm.area" --as-domain "$dm" 2>/dev/null
is "its inputs are cut short by EQUOTA" "$?/$(xs_error "D$dm" EQUOTA)" "1/2"
check "dmacpid reports incomplete inputs as an error once input-timeout passes" \
	wait_input "$g5" "0x100000::" 10
is "with its reason" "$(verdict_check "$g5" "0x100000::" error 1)$(verdict "$g5" reason)" \
	"inputs incomplete after 5000 ms"
for i in $(seq 1 $((n - 1))); do
	"$XENSIM" rm --as-domain "$dm" "/local/domain/$dm/data/fill$i"
done
"$XENSIM" qemu "$g5" --area "$WORK/nvdimm.area" --as-domain "$dm"
is "once it has freed space and finished, its inputs land" "$?" 0
check "and dmacpid decides again" wait_input "$g5" "0x100000:$len:2" 10
# Written key by key after the timeout, the inputs are waited for afresh
# (pending, which is no decision), not answered with another error: the
# approval is generation 2.
is "correctly, as the next generation" "$(verdict_check "$g5" "0x100000:$len:2" "$exp")$(verdict "$g5" generation | grep -vx '2')" ""
diag "generation $(verdict "$g5" generation)"

# A verdict longer than quota-maxsize: E2BIG for dmacpid itself.
l=$(domain_create --name long-reason1 --key platform/nvdimm=1)
"$XENSIM" qemu "$l" --area "$WORK/nvdimm.area"
retried() { [ "$(grep -c "dom$1: cannot write the verdict: Argument list too long" "$LOG")" -ge 3 ]; }
_until 0 retried "$l"
is "E2BIG is logged, and retried" \
	"$(grep -c "dom$l: cannot write the verdict: Argument list too long" "$LOG" | awk '{ print ($1 >= 3) }')/$(xs_requests | awk '$3 == "error" && $4 == "E2BIG"' | wc -l | awk '{ print ($1 >= 3) }')" "1/1"
# (If dmacpid saw the device model's first key alone, it is pending.)
t=$("$XENSIM" snapshot "/local/domain/$l/hvmloader/dm-acpi-verdict" 2>/dev/null | sed 's/=.*//' | tr '\n' ' ')$(verdict "$l" state)
check "and nothing of it is written: no verdict, or the pending one whole" \
	test "$t" = "" -o "$t" = "generation input state pending"
d=$(domain_create --name meanwhile --key platform/nvdimm=1)
"$XENSIM" qemu "$d" --area "$WORK/nvdimm.area"
is "other domains are decided meanwhile" "$(wait_all_final $d)$(verdict_check "$d" "0x100000:$len:2" "$exp" 1)" ""
# The administrator shortens the reason; the next retry (within 5 s) fits.
sed -i "s/$long/shorter reason/" "$POLICY"
"$DMACPICTL" reload >/dev/null
check "once the verdict fits, it is written by the next retry" wait_final "$l" 12
like "exactly once: rejected, with the new reason, generation 1" \
	"$(verdict_check "$l" "0x100000:$len:2" rejected 1)$(verdict "$l" reason)" "^blob 0 \(NFIT\): shorter reason$"
finish
