#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# A device model that keeps flipping bytes of its blob area in guest RAM
# while dmacpid validates it (tests/hostile/flip-check.c says how the
# verdicts are proven).  For every domain: the verdict decides one of the
# byte states memory could have held; `xensim hvmloader` accepts exactly
# when guest memory still matches the verdict's digest; what it accepts
# `dmacpictl evaluate` approves again unchanged; the daemon's log says what
# xenstore says; and the daemon stays up and keeps deciding.
. "$top_srcdir/tests/e2e/lib.sh"
HOSTILE=$top_builddir/tests/hostile
DOMAINS=${HOSTILE_FLIP_DOMAINS:-120}
e2e_setup
plan 10

daemon_start
doms=
for i in $(seq "$DOMAINS"); do
	d=$(domain_create --name "flip$i" --ram 4M --key platform/nvdimm=1) || break
	doms="$doms $d"
done
is "created $DOMAINS domains" "$(echo $doms | wc -w)" "$DOMAINS"

# shellcheck disable=SC2086
"$HOSTILE/flip-check" --policy "$POLICY" --area "$AREA" --seed 20240607 --timeout 30 \
	$doms >"$WORK/flip.out" 2>"$WORK/flip.err"
rc=$?
is "every verdict came in time and decides a state memory held (flip-check exit)" "$rc" 0
[ "$rc" = 0 ] || diag "$(grep -E 'FAIL|^#' "$WORK/flip.out" | head -20)" "$(head -5 "$WORK/flip.err")"
is "one line per domain" "$(grep -c '^dom=' "$WORK/flip.out")" "$DOMAINS"

approved=0 rewritten=0 rejected=0 matched=0 accepted=0 refused=0
bad_loader= bad_eval= bad_log=
while read -r line; do
	dom= state= length= count= checksum= digest= memory= dropped=
	for kv in $line; do
		case $kv in
		dom=*) dom=${kv#dom=} ;; state=*) state=${kv#state=} ;;
		length=*) length=${kv#length=} ;; count=*) count=${kv#count=} ;;
		checksum=*) checksum=${kv#checksum=} ;; memory=*) memory=${kv#memory=} ;;
		digest=*) digest=${kv#digest=} ;;
		dropped=*) dropped=${kv#dropped=} ;;
		esac
	done
	case $state in
	approved) if [ "$dropped" = 0 ]; then approved=$((approved + 1)); else rewritten=$((rewritten + 1)); fi ;;
	rejected) rejected=$((rejected + 1)) ;;
	esac
	want=1
	if [ "$state" = approved ] && [ "$memory" = match ]; then
		want=0
		matched=$((matched + 1))
	fi
	"$XENSIM" hvmloader "$dom" >"$WORK/loader.out" 2>&1
	got=$?
	[ "$got" = 0 ] && accepted=$((accepted + 1)) || refused=$((refused + 1))
	if [ "$got" != "$want" ]; then
		bad_loader="$bad_loader dom$dom($state,$memory:rc=$got:$(head -1 "$WORK/loader.out"))"
	fi
	# What a consumer loads, decided again offline: approved as it is.
	if [ "$want" = 0 ]; then
		"$XENSIM" ram "$dom" --read 0x100000 "$length" >"$WORK/mem.area"
		json=$("$DMACPICTL" evaluate --policy "$POLICY" --domain-key platform/nvdimm=1 \
			--count "$count" --json "$WORK/mem.area")
		case $json in
		*'"verdict":"approved"'*"\"length\":$length,\"count\":$count,\"checksum\":\"$checksum\",\"digest\":\"$digest\""*)
			case $json in
			*'"action":"deny"'*|*'"action":"rename"'*|*'"action":"set-oem"'*)
				bad_eval="$bad_eval dom$dom" ;;
			esac ;;
		*) bad_eval="$bad_eval dom$dom" ;;
		esac
	fi
	# The daemon's own last word on the domain agrees with xenstore.
	last=$(grep -E "^dom$dom \(.*\): (approved|rejected|error)" "$LOG" | tail -1)
	case $state in
	approved) case $last in *": approved, "*"checksum $checksum, digest $digest") ;; *) bad_log="$bad_log dom$dom" ;; esac ;;
	*) case $last in *": $state, "*) ;; *) bad_log="$bad_log dom$dom" ;; esac ;;
	esac
done <<EOF
$(grep '^dom=' "$WORK/flip.out")
EOF
diag "verdicts: $approved approved unchanged, $rewritten approved rewritten, $rejected rejected" \
	"hvmloader: $accepted accepted, $refused refused ($matched approved with memory still matching)"
is "hvmloader accepts exactly when memory matches an approved verdict" "${bad_loader:-none}" none
is "dmacpictl evaluate approves what hvmloader accepts, unchanged" "${bad_eval:-none}" none
is "the daemon's log agrees with every verdict" "${bad_log:-none}" none
# The flips must have reached the decisions, or nothing was tested.
check "some areas were approved unchanged" [ "$approved" -gt 0 ]
check "some areas were approved after a rewrite" [ "$rewritten" -gt 0 ]
check "some areas were rejected" [ "$rejected" -gt 0 ]

# Still alive, still deciding.
DOM=$(domain_create --name after-flips --key platform/nvdimm=1)
"$XENSIM" qemu "$DOM" --area "$AREA"
if kill -0 "$DPID" 2>/dev/null && wait_input "$DOM" "0x100000:$(stat -c %s "$AREA"):2" 20 &&
	[ "$(verdict "$DOM" state)" = approved ] && "$XENSIM" hvmloader "$DOM" >/dev/null; then
	ok "the daemon is alive and approves a good domain afterwards"
else
	not_ok "the daemon is alive and approves a good domain afterwards"
	diag "$(tail -5 "$LOG")"
fi
finish
