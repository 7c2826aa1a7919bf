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
ok() { TAP_N=$((TAP_N + 1)); echo "ok $TAP_N - $*"; }
not_ok() { TAP_N=$((TAP_N + 1)); TAP_FAILED=$((TAP_FAILED + 1)); echo "not ok $TAP_N - $*"; }
skip() { TAP_N=$((TAP_N + 1)); echo "ok $TAP_N - $* # SKIP"; }
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
