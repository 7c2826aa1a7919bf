#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# loader-check.sh DOMID STATE: what the simulated hvmloader makes of the
# verdict dmacpid just wrote for DOMID (run by corpus-daemon for
# tests/hostile/malformed-corpus.sh).  approved: it loads the area and, when
# HOSTILE_ORACLE is set, ACPICA loads what it assembled without any error;
# rejected: it refuses.  Needs XENSIM and the host's environment.  With
# DMACPI_REQUIRE_ORACLE set (CI), an approved load without the oracle fails.
out=$(mktemp -d "${TMPDIR:-/tmp}/hostile-loader.XXXXXX") || exit 2
trap 'rm -rf "$out"' EXIT
"$XENSIM" hvmloader "$1" --timeout 10 --out "$out" >"$out/loader.log" 2>&1
rc=$?
case $2 in
approved)
	if [ -z "$HOSTILE_ORACLE" ] && [ -n "$DMACPI_REQUIRE_ORACLE" ]; then
		echo "# dom$1: no ACPICA oracle (HOSTILE_ORACLE), and DMACPI_REQUIRE_ORACLE is set"
		exit 1
	fi
	if [ "$rc" != 0 ]; then
		echo "# dom$1: hvmloader: $(cat "$out/loader.log")"
		exit 1
	fi
	if [ -n "$HOSTILE_ORACLE" ] && ! "$XENSIM" oracle "$out" >"$out/oracle.log" 2>&1; then
		echo "# dom$1: oracle: $(head -3 "$out/oracle.log" | tr '\n' ' ')"
		exit 1
	fi
	;;
*)
	[ "$rc" = 1 ] || { echo "# dom$1: hvmloader exit $rc: $(cat "$out/loader.log")"; exit 1; }
	;;
esac
exit 0
