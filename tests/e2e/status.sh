#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# `dmacpictl status` on a host with an approved vNVDIMM domain and a
# rejected one: the table names both with their states, `status D` shows
# one, `--json` carries exactly what xenstore holds, and an unreachable
# xenstored is exit 2.
. "$top_srcdir/tests/e2e/lib.sh"
e2e_setup
plan 15

daemon_start
good=$(domain_create --name nv-good --key platform/nvdimm=1)
bad=$(domain_create --name nv-bad --key platform/nvdimm=1)
len=$(stat -c %s "$AREA")
"$XENSIM" qemu "$good" --area "$AREA"
# One blob more than the area holds: the daemon must reject it.
"$XENSIM" qemu "$bad" --area "$AREA" --count 3
wait_input "$good" "0x100000:$len:2"
is "the good domain is approved" "$(verdict "$good" state)" approved
wait_input "$bad" "0x100000:$len:3"
is "the bad domain is rejected" "$(verdict "$bad" state)" rejected

rc=0
"$DMACPICTL" status >"$WORK/all" 2>"$WORK/all.err" || rc=$?
is "status: exit 0" "$rc" 0
sha=$(digest_of "$AREA")
check "the table lists the approved domain, with its CRC and digest" grep -Eq \
	"^$good +nv-good +approved +1 +0x100000 +$len +2 +0 +$(crc_of "$AREA") +$sha +-\$" "$WORK/all"
check "the table lists the rejected domain, with its reason" grep -Eq \
	"^$bad +nv-bad +rejected +1 .* - +count says 3 blobs" "$WORK/all"
is "a header and one line per domain" "$(wc -l <"$WORK/all")" 3

rc=0
"$DMACPICTL" status "$bad" >"$WORK/one" 2>&1 || rc=$?
is "status D: exit 0" "$rc" 0
is "status D: only that domain" "$(sed 1d "$WORK/one" | awk '{print $1 " " $2 " " $3}')" \
	"$bad nv-bad rejected"

rc=0
"$DMACPICTL" status --json >"$WORK/json" 2>&1 || rc=$?
is "--json: exit 0" "$rc" 0
# state, checksum, digest and reason per domain, "" for a key the JSON
# does not have.
json_fields() {
	python3 -c 'import json,sys
doc=json.load(open(sys.argv[1]))
for d in doc["domains"]:
    print(d["domid"], d["state"], d.get("checksum", ""), d.get("digest", ""), d.get("reason", ""))' "$1"
}
want=$(printf '%s %s %s %s %s\n' \
	"$good" "$(verdict "$good" state)" "$(verdict "$good" checksum)" "$(verdict "$good" digest)" \
	"$(verdict "$good" reason)" \
	"$bad" "$(verdict "$bad" state)" "$(verdict "$bad" checksum)" "$(verdict "$bad" digest)" \
	"$(verdict "$bad" reason)")
is "--json parses and holds xenstore's state, checksum, digest and reason" \
	"$(json_fields "$WORK/json" 2>&1)" "$want"
is "--json checksum is the CRC of the area" \
	"$(python3 -c 'import json,sys
print(json.load(open(sys.argv[1]))["domains"][0]["checksum"])' "$WORK/json" 2>&1)" "$(crc_of "$AREA")"
is "--json digest is sha256sum of the area" \
	"$(python3 -c 'import json,sys
print(json.load(open(sys.argv[1]))["domains"][0]["digest"])' "$WORK/json" 2>&1)" "$sha"

rc=0
"$DMACPICTL" status 4000 >/dev/null 2>&1 || rc=$?
is "status of an unknown domain: exit 1" "$rc" 1

rc=0
XENSTORED_PATH=$WORK/nowhere "$DMACPICTL" status >/dev/null 2>"$WORK/nowhere.err" || rc=$?
is "no xenstored: exit 2" "$rc" 2
like "no xenstored: says so" "$(cat "$WORK/nowhere.err")" "cannot connect to xenstored"
finish
