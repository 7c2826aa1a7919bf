#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# `make install DESTDIR=...` lays out everything an administrator needs,
# never overwrites an edited policy, `make uninstall` removes exactly what
# install put there,
# and the manual pages name the configured paths and render without groff
# warnings.
. "$top_srcdir/tests/lib/tap.sh"

WORK=$(mktemp -d /tmp/dmacpid-install.XXXXXX) || exit 1
DEST=$WORK/root
trap 'rm -rf "$WORK"' EXIT

plan 19

# The parent make's jobserver is not ours to use.
mk() { env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -C "$top_builddir" "$@" DESTDIR="$DEST" >>"$WORK/make.log" 2>&1; }

if mk install; then ok "make install DESTDIR"; else not_ok "make install DESTDIR"; diag "$(tail -20 "$WORK/make.log")"; exit 0; fi

# Configured directories, as make expands them.
mkvar() {
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s -C "$top_builddir" \
		--eval 'ops-print-%: ; @echo $($*)' "ops-print-$1"
}
sbindir=$(mkvar sbindir)
sysconfdir=$(mkvar sysconfdir)
mandir=$(mkvar mandir)
unitdir=$(mkvar SYSTEMD_UNITDIR)
catalogdir=$(mkvar CATALOGDIR)
datadir=$(mkvar datadir)
diag "sbindir=$sbindir sysconfdir=$sysconfdir mandir=$mandir" \
	"unitdir=$unitdir catalogdir=$catalogdir datadir=$datadir"

check "sbin/dmacpid is an executable" test -x "$DEST$sbindir/dmacpid" -a -f "$DEST$sbindir/dmacpid"
check "sbin/dmacpictl is an executable" test -x "$DEST$sbindir/dmacpictl" -a -f "$DEST$sbindir/dmacpictl"
POLICY=$DEST$sysconfdir/dmacpid/dmacpid.policy
check "the default policy is etc/dmacpid/dmacpid.policy" cmp -s "$POLICY" "$top_srcdir/policy/dmacpid.policy"
check "etc/dmacpid/policy.d/ exists" test -d "$DEST$sysconfdir/dmacpid/policy.d"
check "the unit is installed" test -f "$DEST$unitdir/dmacpid.service"
check "the catalog is installed" cmp -s "$DEST$catalogdir/dmacpid.catalog" "$top_srcdir/systemd/dmacpid.catalog"
check "dmacpid.8, dmacpictl.8 and dmacpid.policy.5 are installed" test -f "$DEST$mandir/man8/dmacpid.8" \
	-a -f "$DEST$mandir/man8/dmacpictl.8" -a -f "$DEST$mandir/man5/dmacpid.policy.5"
check "the manual pages name the configured policy ($sysconfdir/dmacpid)" sh -c \
	'for p; do grep -q "$0/dmacpid/dmacpid.policy" "$p" && ! grep -q "@sysconfdir" "$p" || exit 1; done' \
	"$sysconfdir" "$DEST$mandir/man8/dmacpid.8" "$DEST$mandir/man8/dmacpictl.8" \
	"$DEST$mandir/man5/dmacpid.policy.5"
check "the bash completion is installed" test -f "$DEST$datadir/bash-completion/completions/dmacpictl"
is "the installed unit starts the installed daemon" \
	"$(sed -n 's/^ExecStart=\([^ ]*\).*/\1/p' "$DEST$unitdir/dmacpid.service")" "$sbindir/dmacpid"

# An administrator's edit survives a second install.
printf '# local edit\n' >>"$POLICY"
want=$(cksum <"$POLICY")
if mk install; then ok "a second make install"; else not_ok "a second make install"; fi
is "the edited policy is kept" "$(cksum <"$POLICY")" "$want"

# uninstall removes exactly what install put there: the edited policy is
# the administrator's and stays; an unedited one goes with the rest.
if mk uninstall; then ok "make uninstall DESTDIR"; else not_ok "make uninstall DESTDIR"; fi
left=$(cd "$DEST" && find . ! -type d)
is "make uninstall leaves only the edited policy" "$left" ".$sysconfdir/dmacpid/dmacpid.policy"
rm -f "$POLICY"
mk install >/dev/null 2>&1 && mk uninstall >/dev/null 2>&1
left=$(cd "$DEST" && find . ! -type d)
is "install then uninstall of an unedited policy leaves no file" "$left" ""

# groff -ww: every warning category.
for page in man/dmacpid.8 man/dmacpictl.8 man/dmacpid.policy.5; do
	if ! command -v groff >/dev/null 2>&1; then skip "$page renders without warnings: no groff"; continue; fi
	f=$top_builddir/$page
	rc=0
	out=$(groff -man -ww -z "$f" 2>&1) || rc=$?
	if [ $rc -eq 0 ] && [ -z "$out" ]; then
		ok "$page renders without warnings"
	else
		not_ok "$page renders without warnings"
		diag "exit $rc" "$out"
	fi
done
finish
