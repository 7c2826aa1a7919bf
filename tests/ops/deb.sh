#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The Debian package: `dpkg-buildpackage -b -us -uc` on a copy of the source
# builds a dmacpid .deb holding the expected files, the policy as a conffile,
# the unit enabled by its maintainer scripts, and lintian finds no error.
. "$top_srcdir/tests/lib/tap.sh"

for tool in dpkg-buildpackage dpkg-checkbuilddeps dh lintian; do
	command -v $tool >/dev/null 2>&1 || plan_skip "no $tool (apt-get install debhelper lintian devscripts)"
done
[ -f "$top_srcdir/debian/control" ] || plan_skip "no debian/ in the source"
missing=$(cd "$top_srcdir" && dpkg-checkbuilddeps -B 2>&1) ||
	plan_skip "build dependencies missing: $missing"

WORK=$(mktemp -d /tmp/dmacpid-deb.XXXXXX) || exit 1
trap 'rm -rf "$WORK"' EXIT
SRC=$WORK/dmacpid

plan 12

# A copy, so the build's autoreconf and in-tree objects never touch the
# source tree; the package's own `make check` is this suite, so skip it.
mkdir "$SRC" && (cd "$top_srcdir" && tar --exclude=.git --exclude=autom4te.cache \
	--exclude='*.o' --exclude='*.a' -cf - .) | (cd "$SRC" && tar xf -)
rc=0
(cd "$SRC" && env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL DEB_BUILD_OPTIONS=nocheck \
	dpkg-buildpackage -b -us -uc) >"$WORK/build.log" 2>&1 || rc=$?
deb=$(ls "$WORK"/dmacpid_*.deb 2>/dev/null | head -1)
if [ $rc -eq 0 ] && [ -n "$deb" ]; then
	ok "dpkg-buildpackage -b -us -uc builds the .deb"
else
	not_ok "dpkg-buildpackage -b -us -uc builds the .deb"
	diag "exit $rc" "$(tail -20 "$WORK/build.log")"
	exit 0
fi

dpkg -c "$deb" | awk '{ print $6 }' | sed 's|^\./|/|' >"$WORK/contents"
want="/usr/sbin/dmacpid /usr/sbin/dmacpictl /etc/dmacpid/dmacpid.policy /etc/dmacpid/policy.d/
/lib/systemd/system/dmacpid.service /usr/lib/systemd/catalog/dmacpid.catalog
/usr/share/man/man8/dmacpid.8.gz /usr/share/man/man8/dmacpictl.8.gz /usr/share/man/man5/dmacpid.policy.5.gz
/usr/share/bash-completion/completions/dmacpictl"
absent=
for f in $want; do grep -qx "$f" "$WORK/contents" || absent="$absent $f"; done
is "dpkg -c: every file is in the package" "$absent" ""

mkdir "$WORK/ctl"
dpkg-deb -e "$deb" "$WORK/ctl"
is "the policy is the one conffile" "$(cat "$WORK/ctl/conffiles")" /etc/dmacpid/dmacpid.policy
check "postinst enables the unit" grep -q "deb-systemd-helper enable 'dmacpid.service'" "$WORK/ctl/postinst"
like "Depends: libxenstore" "$(dpkg-deb -f "$deb" Depends)" 'libxenstore[0-9]'
like "Depends: libsystemd0 and libevent" "$(dpkg-deb -f "$deb" Depends)" 'libevent-core.*libsystemd0|libsystemd0.*libevent-core'
like "Depends: libssl3 (libcrypto, the verdict's SHA-256)" "$(dpkg-deb -f "$deb" Depends)" 'libssl3'
like "Depends: xen-utils-4.17 (the hvmloader the default policy reads Xen's namespace from)" \
	"$(dpkg-deb -f "$deb" Depends)" '(^|, )xen-utils-4\.17(,|$)'
like "the README and the protocol are in /usr/share/doc/dmacpid" \
	"$(grep -Ec '^/usr/share/doc/dmacpid/(README|protocol)\.md(\.gz)?$' "$WORK/contents")" '^2$'

dpkg-deb -x "$deb" "$WORK/x"
is "the unit starts /usr/sbin/dmacpid" \
	"$(sed -n 's/^ExecStart=//p' "$WORK/x/lib/systemd/system/dmacpid.service")" /usr/sbin/dmacpid
check "the packaged policy is the default one" cmp -s "$WORK/x/etc/dmacpid/dmacpid.policy" \
	"$top_srcdir/policy/dmacpid.policy"

rc=0
lintian --fail-on error "$WORK"/dmacpid_*.changes >"$WORK/lintian.log" 2>&1 || rc=$?
if [ $rc -eq 0 ]; then
	ok "lintian: no errors"
else
	not_ok "lintian: no errors"
	diag "$(grep -v 'root privileges' "$WORK/lintian.log")"
fi
[ -s "$WORK/lintian.log" ] && diag "$(grep -v 'root privileges' "$WORK/lintian.log")"
finish
