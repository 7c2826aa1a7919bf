#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Scenario 7: domains destroyed or killed mid-decision, and 200 domains
# created and destroyed in a loop, the second half under `gate pause`:
# dmacpid (under valgrind when available) leaks nothing, keeps deciding and
# leaves no stale watch in oxenstored (counted there with xenstore-control).
. "$top_srcdir/tests/e2e/lib.sh"
e2e_setup
plan 11

# A sanitizer build checks leaks itself, and valgrind cannot run it.
# Without either, the exit status says nothing of leaks: the last check
# then claims only a clean exit.
leakcheck=
if ldd "$DMACPID" 2>/dev/null | grep -q libasan; then
	leakcheck=LeakSanitizer
elif command -v valgrind >/dev/null && [ -z "$DMACPI_NO_VALGRIND" ]; then
	leakcheck=valgrind
	DMACPID_WRAPPER="valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect --error-exitcode=42 --log-file=$WORK/valgrind.log"
fi
len=$(stat -c %s "$AREA")
have_control=no
xs_control_find && have_control=yes
daemon_start
baseline=$(daemon_watches 2>/dev/null)

# churn FIRST LAST: create and destroy domains FIRST..LAST-1 in four ways.
churn() {
	local i=$1 d
	while [ "$i" -lt "$2" ]; do
		d=$(domain_create --name "churn$i" --key platform/nvdimm=1)
		case $((i % 4)) in
		0) "$XENSIM" qemu "$d" --area "$AREA"; "$XENSIM" domain destroy "$d" ;;
		1) "$XENSIM" qemu "$d" --area "$AREA"; "$XENSIM" domain kill "$d" ;;
		2) "$XENSIM" qemu "$d" --area "$AREA" --partial; "$XENSIM" domain destroy "$d" ;;
		3) "$XENSIM" domain destroy "$d" ;;
		esac
		i=$((i + 1))
	done >/dev/null 2>&1
}

churn 0 100
# The second half with the pause gate: its watches must go as well.
policy_set gate pause
kill -HUP "$DPID"
wait_value /local/domain/0/dmacpid/reload "1 ok" 20 ||
	echo "Bail out! the reload with gate pause did not happen"
churn 100 200
# The last one is watched before it is destroyed, and no domain event
# follows: its @releaseDomain alone must drop its watches (it is dying by
# then, as on Xen).
if [ $have_control = yes ]; then
	d=$(domain_create --name watched --key platform/nvdimm=1)
	watched() { daemon_watches | grep -q "^/local/domain/$1/"; }
	_until 0 watched "$d"
	"$XENSIM" domain destroy "$d"
fi
check "dmacpid survived the churn" kill -0 "$DPID"
if [ $have_control = yes ]; then
	is "baseline: the two domain-list watches" "$(echo "$baseline" | awk '{ print $2 }' | tr '\n' ' ')" \
		"@domains @domains "
	# The last releases may still be on their way to the daemon.
	check "no stale watch after 201 domains came and went" wait_watches 2 30
	is "exactly the baseline watches remain" "$(daemon_watches)" "$baseline"
else
	skip_xen "baseline: the two domain-list watches (no xenstore-control)"
	skip_xen "no stale watch after 201 domains came and went (no xenstore-control)"
	skip_xen "exactly the baseline watches remain (no xenstore-control)"
fi
d=$(domain_create --name after --key platform/nvdimm=1)
check "the new domain is gated" wait_pause "$d" 1 20
"$XENSIM" qemu "$d" --area "$AREA"
check "and still decides" wait_input "$d" "0x100000:$len:2" 20
is "approved" "$(verdict "$d" state)" approved
check "and releases the gate" wait_pause "$d" 0 20
if [ $have_control = yes ]; then
	is "one live domain: the baseline and its two watches" "$(daemon_watches)" \
		"$(printf '%s\n%s\n%s\n' "$baseline" "/local/domain/$d/hvmloader/dm-acpi a$d" \
			"/local/domain/$d/image/device-model-domid m$d" | sort)"
else
	skip_xen "one live domain: the baseline and its two watches (no xenstore-control)"
fi
# An error verdict is logged as "domN (NAME): error, generation G (why)", a
# failure to write one as "error: domN: ...": neither for a domain that went.
check "no error verdict, nor error, was logged for vanished domains" \
	sh -c "! grep -Eq '^error: dom|^dom[0-9]+ \([^)]*\): error, generation' '$LOG'"
daemon_stop; rc=$?
if [ -n "$leakcheck" ]; then
	is "clean exit, no leak ($leakcheck)" "$rc" 0
else
	is "clean exit (no leak check: neither valgrind nor a sanitizer build)" "$rc" 0
fi
[ $rc -ne 0 ] && [ -f "$WORK/valgrind.log" ] && diag "$(head -40 "$WORK/valgrind.log")"
finish
