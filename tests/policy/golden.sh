#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Golden files in the OpenBSD style: for every X.policy here (with X.d/ as
# its drop-in directory when it exists), `dmacpictl check -v` prints exactly
# X.ok (errors and exit status included), and a valid policy's printed form
# parses back to the same printed form.
. "$top_srcdir/tests/lib/tap.sh"

ctl="$top_builddir/daemon/dmacpictl/dmacpictl"
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
cd "$top_srcdir/tests/policy" || exit 1
# Relative xen-namespace paths are printed made absolute: from here, as
# the .ok files have them.
here=$(pwd -P)

n=0
for f in *.policy; do n=$((n + 2)); done
plan "$n"

for f in *.policy; do
	x=${f%.policy}
	set -- check -v
	[ -d "$x.d" ] && set -- "$@" --dropin "$x.d"
	# The SPEC sketch names the real hvmloader: its .ok expects it missing.
	if [ "$x" = sketch ] && [ -e /usr/lib/xen-4.17/boot/hvmloader ]; then
		skip "$f: output (hvmloader is installed here)"
		skip "$f: round trip"
		continue
	fi
	{ "$ctl" "$@" "$f" 2>&1; echo "exit $?"; } | sed "s|$here/||g" >"$tmp/$x.out"
	if diff -u "$x.ok" "$tmp/$x.out" >"$tmp/$x.diff"; then
		ok "$f: check -v output"
	else
		not_ok "$f: check -v output"
		diag "$(cat "$tmp/$x.diff")"
	fi
	if ! "$ctl" "$@" "$f" >"$tmp/$x.printed" 2>/dev/null; then
		skip "$f: round trip (not a valid policy)"
		continue
	fi
	# Parse the printed policy again, saved in another directory (its
	# xen-namespace paths must not depend on where it is); rule origin
	# comments differ, everything else must not (warnings may repeat).
	grep -v '^#' "$tmp/$x.printed" >"$tmp/$x.first"
	if "$ctl" check -v "$tmp/$x.printed" >"$tmp/$x.again" 2>"$tmp/$x.err" &&
	   grep -v '^#' "$tmp/$x.again" >"$tmp/$x.second" &&
	   cmp -s "$tmp/$x.first" "$tmp/$x.second"; then
		ok "$f: round trip"
	else
		not_ok "$f: round trip"
		diag "$(cat "$tmp/$x.err")" "$(diff -u "$tmp/$x.first" "$tmp/$x.second")"
	fi
done
finish
