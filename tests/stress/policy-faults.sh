#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Fault: the policy file is replaced (by rename) with a broken one,
# truncated mid-rule, made unreadable (a directory in its place, a dangling
# symlink; chmod does not stop root), or deleted, and the daemon is told to
# reload, by SIGHUP and by `dmacpictl reload`.  Each time: the reload is
# refused with the error logged, `dmacpictl reload` exits 1, and the old
# policy keeps deciding, which a rule only the old policy has shows.
. "$top_srcdir/tests/stress/lib.sh"
stress_setup
plan 25

# The old policy's own mark: it rejects domains named marker-*.
sed -i '0,/^reject any/s//reject any if domain-name "marker-*" reason "old policy"\n&/' "$POLICY"
cp "$POLICY" "$WORK/good.policy"
len=$(stat -c %s "$AREA")
exp=$(area_expect nvdimm --domain-key platform/nvdimm=1)
daemon_start

n=0
# decide_marker: a new marker domain's reason, once decided.
decide_marker() {
	local d
	n=$((n + 1))
	d=$(domain_create --name marker-$n --key platform/nvdimm=1)
	"$XENSIM" qemu "$d" --area "$AREA"
	wait_final "$d" 10
	echo "$(verdict "$d" state): $(verdict "$d" reason)"
}
reload_state() { xs_read /local/domain/0/dmacpid/reload; }
# hup: SIGHUP, and the outcome dmacpid publishes for it.
reload_changed() { [ "$(reload_state)" != "$1" ]; }
hup() {
	local before
	before=$(reload_state)
	kill -HUP "$DPID"
	_until 0 reload_changed "$before"
	reload_state | sed 's/^[0-9]* //'
}
restore() { rm -rf "$POLICY"; cp "$WORK/good.policy" "$POLICY"; }

is "the old policy decides marker domains" "$(decide_marker)" "rejected: blob 0 (NFIT): old policy"

# fault NAME EXPECTED-ERROR: reload twice and decide once under the fault.
fault() {
	local name=$1 want=$2 out rc kept
	kept=$(grep -c "keeping the policy in force" "$LOG")
	like "$name: SIGHUP is refused with the error" "$(hup)" "^failed: $want"
	out=$("$DMACPICTL" reload 2>&1); rc=$?
	is "$name: dmacpictl reload exits 1, saying so" "$rc/$(printf '%s' "$out" | grep -c 'reload failed')" "1/1"
	is "$name: both refusals are logged" "$(grep -c "keeping the policy in force" "$LOG")" $((kept + 2))
	is "$name: the old policy still decides" "$(decide_marker)" "rejected: blob 0 (NFIT): old policy"
}

# Replaced by rename with another policy, which has an error.
grep -v 'marker-' "$WORK/good.policy" >"$WORK/new.policy"
echo 'allow table NFIT if size >>> 3' >>"$WORK/new.policy"
mv -f "$WORK/new.policy" "$POLICY"
fault "replaced" "$POLICY:[0-9]+:[0-9]+: "
check "the error is logged as file:line:col" log_has "^error: $POLICY:$(wc -l <"$POLICY"):[0-9]+: "

# Truncated inside a rule, as a writer that died would leave it.
restore
off=$(grep -b -o 'reason "Xen' "$POLICY" | head -1 | cut -d: -f1)
truncate -s $((off + 10)) "$POLICY"
fault "truncated" "$POLICY:[0-9]+:[0-9]+: unterminated string"

# Unreadable: a directory where the file was.
rm -f "$POLICY"
mkdir "$POLICY"
fault "a directory" "$POLICY.*cannot read: Is a directory"

# Unreadable: a dangling symlink.
rmdir "$POLICY"
ln -s "$WORK/no-such.policy" "$POLICY"
fault "a dangling symlink" "$POLICY.*cannot read: No such file or directory"

# Deleted.
rm -f "$POLICY"
fault "deleted" "$POLICY.*cannot read: No such file or directory"

# Control: a valid policy without the mark, by rename, is taken.
grep -v 'marker-' "$WORK/good.policy" >"$WORK/new.policy"
mv -f "$WORK/new.policy" "$POLICY"
"$DMACPICTL" reload >/dev/null
is "a valid replacement is taken (reload exits 0)" "$?" 0
is "and decides from then on" "$(decide_marker)" "approved: "
check "dmacpid ran through it all" daemon_alive
finish
