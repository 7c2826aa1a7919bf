#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# domain-name conditions see the domain's real name, as `dmacpictl evaluate
# --domain-name` does: a name longer than 63 bytes and names with a
# backslash, spaces, quotes or non-ASCII bytes give the daemon and evaluate
# the same decision, and the one the policy means.
. "$top_srcdir/tests/e2e/lib.sh"
e2e_setup
plan 12

# Only the NFIT can stay, and only by name.
{
	grep -E '^(mode|max-area|max-blobs|input-timeout|on-invalid|xen-namespace|gate) ' "$POLICY"
	# fnmatch's a\\b*, written as a policy string: a name starting a\b
	printf '%s\n' 'allow table NFIT if domain-name "*-nvdimm"' \
		'allow table NFIT if domain-name "a\\\\b*"' 'deny any'
} >"$WORK/names.policy"
mv "$WORK/names.policy" "$POLICY"
daemon_start
len=$(stat -c %s "$AREA")

long=$(printf '%077d' 0 | tr 0 x)-nvdimm
# NAME WANT: the daemon keeps WANT blobs for a domain named NAME, and so
# does evaluate.
agree() {
	local d ev
	# xensim names domains tamely; the toolstack may not
	d=$(domain_create --name named)
	"$XENSIM" write "/local/domain/$d/name" "$1"
	"$XENSIM" qemu "$d" --area "$AREA"
	wait_input "$d" "0x100000:$len:2" 10
	ev=$("$DMACPICTL" evaluate --policy "$POLICY" --domain-name "$1" "$AREA" |
		sed -n 's/^verdict=approved .* count=\([0-9]*\) .*/\1/p')
	is "${2}: the daemon keeps $2 blob(s) for a name of ${#1} bytes" \
		"$(verdict "$d" count)" "$2"
	is "${2}: and evaluate agrees" "$ev" "$2"
}
agree "$long" 1
agree 'a\b plain' 1
agree 'a\x5cb-plain' 0
agree "odd 'quoted' \"name\" é-nvdimm" 1
agree "$(printf '%062d' 0 | tr 0 y)-nvdimm" 1
agree "plain" 0
finish
