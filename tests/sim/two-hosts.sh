#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Two simulated hosts side by side, with separate state; @introduceDomain
# and @releaseDomain fire for create, destroy and kill.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/xenhost.sh"
host_require
plan 16

host_up || { not_ok "host A up"; exit 1; }
A=$HOST_DIR; APID=$HOST_PID
host_up || { not_ok "host B up"; exit 1; }
B=$HOST_DIR; BPID=$HOST_PID
ok "two hosts up"
check "each host has its own oxenstored" [ "$APID" != "$BPID" -a -S "$A/socket" -a -S "$B/socket" ]

# watch_for DIR PATH N: a watcher expecting N events (the first is the one
# every watch gets when it is registered).
watch_for() {
	rm -f "$1/w.ready"
	start_bg "$XENSIM" -d "$1" watch "$2" --count "$3" --ready "$1/w.ready" >/dev/null
	W=$BG_PID
	wait_file "$1/w.ready"
}

watch_for "$A" @introduceDomain 2
DA=$("$XENSIM" -d "$A" domain create --hvm --name alpha)
wait "$W"; is "@introduceDomain fires on create" "$?" 0
is "first domain on A is 1" "$DA" 1
DB=$("$XENSIM" -d "$B" domain create --hvm --name beta)
DB2=$("$XENSIM" -d "$B" domain create --hvm --name gamma)
is "B counts its own domids" "$DB $DB2" "1 2"
is "A's dom1 is alpha" "$("$XENSIM" -d "$A" read /local/domain/1/name)" alpha
is "B's dom1 is beta" "$("$XENSIM" -d "$B" read /local/domain/1/name)" beta
"$XENSIM" -d "$A" read /local/domain/2/name >/dev/null 2>&1
is "A has no dom2" "$?" 1
check "ring socket of a domain exists only on its host" [ -S "$B/dom2.sock" -a ! -e "$A/dom2.sock" ]

watch_for "$B" @releaseDomain 2
"$XENSIM" -d "$B" domain destroy "$DB"
wait "$W"; is "@releaseDomain fires on destroy" "$?" 0
"$XENSIM" -d "$B" read /local/domain/1/name >/dev/null 2>&1
is "destroy removes /local/domain/D" "$?" 1

watch_for "$B" @releaseDomain 2
"$XENSIM" -d "$B" domain kill "$DB2"
wait "$W"; is "@releaseDomain fires when a domain dies without release" "$?" 0
like "the killed domain is dying in the table" "$(grep '^2 ' "$B/domains")" '^2 hvm,dying '
wait_for test ! -e "$B/dom2.sock"
check "the dead domain's ring socket goes away" [ ! -e "$B/dom2.sock" ]
"$XENSIM" -d "$B" domain destroy "$DB2"
is "destroying a killed domain succeeds" "$?" 0

"$XENSIM" -d "$A" watch @releaseDomain --count 2 --timeout 0.5 >/dev/null
is "no @releaseDomain on A for B's domains" "$?" 3
finish
