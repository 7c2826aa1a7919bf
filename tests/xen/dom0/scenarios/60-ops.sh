# SPDX-License-Identifier: GPL-2.0-or-later
# Scenario 6: operating dmacpid through systemd on the real host: the
# journal holds each decision with its fields, a broken policy is refused on
# `systemctl reload` and the old one stays in force (errors and warnings
# under their own message ids), the watchdog is fed,
# `systemctl restart` keeps the verdicts, the daemon runs with no capability
# but CAP_IPC_LOCK, the running unit's exposure is at most 2.0, and
# ExecCondition skips the unit where the capabilities are a domU's.
. /usr/local/lib/dmacpid-xentest/lib.sh
plan 22

policy_gate none
d=$(guest_create ops nvdimm area="$LIB/areas/nvdimm.area")
check "a vNVDIMM domain is decided" wait_verdict "$d"
is "approved" "$(vkey "$d" state)" approved
check "journalctl DMACPID_DOMID=$d: the NFIT's decision with its rule" \
	wait_for 30 journal_has "$d" 'DMACPID_RULE=/etc/dmacpid/dmacpid\.policy:[0-9]+$'
fields="DMACPID_DOMAIN=ops DMACPID_KIND=table DMACPID_OBJECT=NFIT DMACPID_KIND=device
	DMACPID_OBJECT=NVDR DMACPID_ACTION=allow DMACPID_STATE=approved MESSAGE_ID="
# shellcheck disable=SC2086 # one field per word
if wait_for 30 journal_has "$d" $fields; then
	ok "and the fields of each blob and of the verdict"
else
	not_ok "and the fields of each blob and of the verdict"
	journal "$d" | grep -E '^ *(DMACPID_|MESSAGE_ID)' | sed 's/^/# /'
fi
# STATUS= goes out at most once a second: the approval's may come a second late.
status_says() { systemctl status --no-pager dmacpid 2>&1 | grep -Eq "$1"; }
check "systemctl status: STATUS= counts the approval" \
	wait_for 10 status_says 'Status: "[0-9]+ domains watched, [1-9][0-9]* approved'

# A broken policy: reload fails, the daemon keeps running the old one.
gen=$(vkey "$d" generation)
cp "$POLICY" "$RUN/policy.good"
printf 'frobnicate yes\n' >>"$POLICY"
rc=0
systemctl reload dmacpid >"$RUN/reload.out" 2>&1 || rc=$?
check "systemctl reload with a broken policy fails" [ "$rc" -ne 0 ]
is "dmacpid is still active" "$(systemctl is-active dmacpid)" active
check "the error is in the journal as file:line:col" \
	sh -c "journalctl -u dmacpid --no-pager -n 50 | grep -Eq '$POLICY:[0-9]+:[0-9]+: '"
# Message ids: the catalog's "policy rejected" for errors, its "policy
# warning" for a warning, which a policy that loads may have too.
rejected=534bbc3f656c4d869223be48a1537843 warned=7c703168926741b0bdb7fe79f047c7d5
ids() { journalctl -u dmacpid --no-pager -o cat "MESSAGE_ID=$1" 2>/dev/null | grep -c "${2:-.}"; }
rejected_logged() { [ "$(ids $rejected)" -ge 2 ]; }	# the error, then "policy rejected"
check "the error has the policy-rejected MESSAGE_ID" wait_for 30 rejected_logged
# journalctl -x puts a field's name where the catalog's text names a field
# the entry lacks: the summary line sends its rule and reason too.
explained() { journalctl -x -q -u dmacpid --no-pager MESSAGE_ID=$rejected; }
like "journalctl -x explains the rejection with every field it names" \
	"$(explained | grep -c "error at $POLICY:[0-9]*:[0-9]*")/$(explained | grep -c 'DMACPID_')" '^[1-9][0-9]*/0$'
nrej=$(ids $rejected)
cp "$RUN/policy.good" "$POLICY"
printf 'allow device NVDR\n' >>"$POLICY"	# after an unconditional deny of it
rc=0
systemctl reload dmacpid >"$RUN/reload.out" 2>&1 || rc=$?
is "systemctl reload with a rule that never matches succeeds" "$rc" 0
warned_only() { [ "$(ids $warned 'never matches')" -ge 1 ] && [ "$(ids $rejected)" -eq "$nrej" ]; }
check "its warning has the policy-warning MESSAGE_ID, and no rejection is logged" \
	wait_for 30 warned_only
cp "$RUN/policy.good" "$POLICY"
systemctl reload dmacpid
guest_destroy ops
d2=$(guest_create ops2 nvdimm area="$LIB/areas/nvdimm.area")
wait_verdict "$d2"
is "the old policy still approves a vNVDIMM domain" "$(vkey "$d2" state)" approved

# The watchdog: WatchdogSec=30s, pinged at half of it.  The scenarios before
# this one ran long enough to see two pings.
w1=$(systemctl show -p WatchdogTimestampMonotonic --value dmacpid)
is "WatchdogUSec is set" "$(systemctl show -p WatchdogUSec --value dmacpid)" 30s
sleep 16
w2=$(systemctl show -p WatchdogTimestampMonotonic --value dmacpid)
diag "watchdog timestamps $w1 then $w2"
check "WATCHDOG=1 pings move WatchdogTimestamp" [ "${w2:-0}" -gt "${w1:-0}" ]

# Restart: the new process keeps the verdicts it finds.
g2=$(vkey "$d2" generation)
pid1=$(systemctl show -p MainPID --value dmacpid)
systemctl restart dmacpid
pid2=$(systemctl show -p MainPID --value dmacpid)
check "systemctl restart: a new process, active" \
	[ "$pid1" != "$pid2" -a "$(systemctl is-active dmacpid)" = active ]
is "the verdict is kept: same state and generation" \
	"$(vkey "$d2" state)/$(vkey "$d2" generation)" "approved/$g2"

# It decided every domain before this with CAP_IPC_LOCK alone (bit 14).
is "the running daemon's capability bounding set: CAP_IPC_LOCK alone" \
	"$(awk '/^CapBnd:/ { print $2 }' "/proc/$pid2/status")" 0000000000004000
score=$(systemd-analyze security dmacpid 2>/dev/null |
	sed -n 's/.*Overall exposure level for dmacpid\.service: \([0-9][0-9.]*\).*/\1/p')
diag "systemd-analyze security dmacpid: $score"
check "systemd-analyze security on the running host: exposure $score <= 2.0" \
	awk -v s="$score" 'BEGIN { exit !(s != "" && s <= 2.0) }'

# ExecCondition: where /proc/xen/capabilities lacks control_d, as in a domU
# with xenfs, the unit is skipped, not failed; dom0's own file runs it.
trap 'umount /proc/xen/capabilities 2>/dev/null; timeout -k 5 120 systemctl start dmacpid' EXIT
: >"$RUN/caps.domU"
mount --bind "$RUN/caps.domU" /proc/xen/capabilities
timeout -k 5 120 systemctl restart dmacpid
is "a domU's capabilities: the unit is skipped (inactive, not failed)" \
	"$(systemctl is-active dmacpid)/$(systemctl show -p Result --value dmacpid)" \
	inactive/exec-condition
check "and the journal says why" sh -c \
	"journalctl -u dmacpid --no-pager -n 20 | grep -q \"Skipped due to 'exec-condition'\""
umount /proc/xen/capabilities
timeout -k 5 120 systemctl start dmacpid
is "dom0's capabilities again: active" "$(systemctl is-active dmacpid)" active
guest_destroy ops2
finish
