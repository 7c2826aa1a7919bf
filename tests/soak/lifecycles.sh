#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Soak (make check-long): SOAK_DOMAINS (10,000) domain lifecycles with a
# seeded random mix of good, corrupt and hostile areas (tests/soak/
# lifecycles.py) on one simulated host and one dmacpid.  Every domain must
# get a final verdict equal to what `dmacpictl evaluate` decides for the same
# bytes, and the daemon's resident memory at the end must be within 10% of
# what it was after the first SOAK_MARK (1,000) lifecycles, and no watch
# may be left behind in oxenstored.
. "$top_srcdir/tests/e2e/lib.sh"
e2e_setup
plan 10

N=${SOAK_DOMAINS:-10000}
MARK=${SOAK_MARK:-1000}
[ "$MARK" -le "$N" ] || MARK=$N
printf '\010_HID\014\101\320\012\003' >"$WORK/pci0.body"
"$DMACPICTL" pack --table "$DATA/qemu/DSDT" --table "$DATA/qemu/NFIT.dimmpxm" \
	--table "$DATA/qemu/FACP" --table "$DATA/xen/SSDT_29be0.aml" \
	--devices-from "$DATA/qemu/SSDT.dimmpxm" --device "PCI0=$WORK/pci0.body" \
	-o "$WORK/smuggled" >/dev/null
# Inputs arrive in several writes; on a loaded machine more than the test
# policy's 1 s may pass between two of them.
policy_set input-timeout 30s
daemon_start
have_control=no
xs_control_find && have_control=yes
baseline=$(daemon_watches 2>/dev/null)
python3 "$top_srcdir/tests/soak/lifecycles.py" --xensim "$XENSIM" --dmacpictl "$DMACPICTL" \
	--policy "$POLICY" --good "$AREA" --smuggled "$WORK/smuggled" --work "$WORK" \
	--pid "$DPID" --domains "$N" --mark "$MARK" --seed "${SOAK_SEED:-1}" \
	>"$WORK/result" 2>"$WORK/progress"
rc=$?
sed 's/^# //; s/^/# /' "$WORK/progress"
r() { awk -v k="$1" '$1 == k { print $2 }' "$WORK/result"; }
is "the driver ran to the end" "$rc/$(r lifecycles)" "0/$N"
is "every domain got a final verdict" "$(r final)" "$N"
is "every verdict is what dmacpictl evaluate decides" "$(r mismatches)" 0
diag "$(r approved) approved, $(r rejected) rejected, $(r error) error;" \
	"$(r rewrites) inputs rewritten; $(r seconds) s"
check "a mix of verdicts" test "$(r approved)" -gt 0 -a "$(r rejected)" -gt 0 -a "$(r error)" -gt 0
rss_mark=$(r rss_mark) rss_end=$(r rss_end)
diag "dmacpid VmRSS after $(r n_mark) lifecycles: $rss_mark kB; after $N: $rss_end kB"
check "VmRSS sampled" test "${rss_mark:-0}" -gt 0 -a "${rss_end:-0}" -gt 0
check "VmRSS at the end within 10% of the mark" \
	test "$((rss_end * 10))" -le "$((rss_mark * 11))" -a "$((rss_end * 10))" -ge "$((rss_mark * 9))"
is "no descriptor leaked" "$(r fds_end)" "$(r fds_mark)"
if [ $have_control = yes ]; then
	# The last releases may still be on their way to the daemon.
	wait_watches "$(echo "$baseline" | grep -c .)" 30
	watches=$(daemon_watches)
	is "no stale watch: the same watches as before the first domain" "$watches" "$baseline"
else
	skip_xen "no stale watch (no xenstore-control)"
fi
check "dmacpid still running" kill -0 "$DPID"
daemon_stop; rc=$?
is "clean exit" "$rc" 0
finish
