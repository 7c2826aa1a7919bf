# SPDX-License-Identifier: GPL-2.0-or-later
# Tiny TAP helpers for shell tests: source it, call plan N (or plan_skip),
# then ok/not_ok/is/check, and finish.
TAP_N=0
TAP_FAILED=0

# main_shell: this is the test's own shell, not a child of it.  A child
# that a signal reaches between its fork and its exec (or before its own
# traps are set) runs the test's traps: a clean-up trap must not tear the
# test down from there (bash runs the EXIT trap after a TERM trap's exit).
main_shell() { [ "$(exec sh -c 'echo "$PPID"')" = "$$" ]; }

plan() { echo "1..$1"; }
plan_skip() { echo "1..0 # SKIP $*"; exit 0; }
# xen_unavailable REASON: Debian's Xen files (tests/sim/get-oxenstored.sh)
# cannot be had: skip the whole test, or fail it when DMACPI_REQUIRE_XEN
# says they must be there (CI).
xen_unavailable() {
	case ${DMACPI_REQUIRE_XEN:-0} in
	''|0) plan_skip "$*" ;;
	*) echo "Bail out! $* (DMACPI_REQUIRE_XEN=$DMACPI_REQUIRE_XEN)"; exit 1 ;;
	esac
}
# oracle_unavailable REASON: the same for ACPICA's acpiexec and iasl, which
# DMACPI_REQUIRE_ORACLE says must be there.
oracle_unavailable() {
	case ${DMACPI_REQUIRE_ORACLE:-0} in
	''|0) plan_skip "$*" ;;
	*) echo "Bail out! $* (DMACPI_REQUIRE_ORACLE=$DMACPI_REQUIRE_ORACLE)"; exit 1 ;;
	esac
}
ok() { TAP_N=$((TAP_N + 1)); echo "ok $TAP_N - $*"; }
not_ok() { TAP_N=$((TAP_N + 1)); TAP_FAILED=$((TAP_FAILED + 1)); echo "not ok $TAP_N - $*"; }
skip() { TAP_N=$((TAP_N + 1)); echo "ok $TAP_N - $* # SKIP"; }
# skip_oracle / skip_xen DESCRIPTION: one check without acpiexec, or without
# a tool of Debian's Xen packages (xenstore-control): skipped, or failed
# where DMACPI_REQUIRE_ORACLE or DMACPI_REQUIRE_XEN says it must run (CI).
skip_oracle() { _skip_unless "${DMACPI_REQUIRE_ORACLE:-0}" DMACPI_REQUIRE_ORACLE "$*"; }
skip_xen() { _skip_unless "${DMACPI_REQUIRE_XEN:-0}" DMACPI_REQUIRE_XEN "$*"; }
_skip_unless() {
	case $1 in
	''|0) skip "$3" ;;
	*) not_ok "$3 ($2 is set)" ;;
	esac
}
diag() { printf '%s\n' "$@" | sed 's/^/# /'; }

# check DESCRIPTION COMMAND...: ok when the command succeeds.  The local
# is named apart: a test's own function that COMMAND calls sees it (dash
# scopes locals dynamically), and would read it for a test's "$d".
check() {
	local _tap_desc=$1; shift
	if "$@"; then ok "$_tap_desc"; else not_ok "$_tap_desc"; fi
}

# is DESCRIPTION GOT WANT: ok when both strings are equal.
is() {
	if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1"; diag "got:  '$2'" "want: '$3'"; fi
}

# like DESCRIPTION TEXT REGEX: ok when TEXT matches the extended regex.
like() {
	if printf '%s' "$2" | grep -Eq -- "$3"; then ok "$1"; else not_ok "$1"; diag "text: '$2'" "does not match: '$3'"; fi
}

finish() { exit 0; }
