#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Fault: foreign mappings that fail, and domains that die between being
# enumerated and being mapped.  An area dmacpid cannot map is an `error`
# with the reason; a domain that is gone gets no verdict at all (none
# written into a tree the toolstack removed, none resurrecting it); neither
# leaves a pause reference or a gate record behind, and the daemon keeps
# deciding the other domains.  The gate is on, so that every path that
# ends a decision also has to release it.
. "$top_srcdir/tests/stress/lib.sh"
stress_setup
plan 12

RACES=${RACES:-10}
policy_set gate pause
policy_set gate-timeout 120s
len=$(stat -c %s "$AREA")
exp=$(area_expect nvdimm --domain-key platform/nvdimm=1)
daemon_start
gate_records() { "$XENSIM" ls /local/domain/0/dmacpid/gate 2>/dev/null | tr '\n' ' '; }
no_gate_record() { case " $(gate_records)" in *" $1 "*) return 1 ;; esac; }
no_gate_records() { [ "$(gate_records)" = "" ]; }
reason_is() { [ "$(verdict "$1" reason)" = "$2" ] || echo "dom$1: reason '$(verdict "$1" reason)', want '$2'"; }

c1=$(domain_create --name control1 --key platform/nvdimm=1)
# Unpopulated frames in the area (ENOENT per frame).
dh=$(domain_create --name holes --key platform/nvdimm=1)
"$XENSIM" hole "$dh" 0x100 1
"$XENSIM" qemu "$dh" --area "$AREA"
# An area running past the end of the RAM (EFAULT per frame).
db=$(domain_create --name beyond --ram 2M --key platform/nvdimm=1)
set_inputs "$db" 0x1ff000 8192 2
# The mapping call itself failing (EIO), as privcmd can.
de=$(domain_create --name eio --key platform/nvdimm=1)
"$XENSIM" map-fault "$de" EIO
"$XENSIM" qemu "$de" --area "$AREA"
"$XENSIM" qemu "$c1" --area "$AREA"
is "every area that cannot be mapped gets a final verdict" "$(wait_all_final $dh $db $de $c1)" ""
is "unpopulated frames: error, with the frame" \
	"$(verdict_check "$dh" "0x100000:$len:2" error 1)$(reason_is "$dh" "frame 0x100 of the area is not guest RAM (No such file or directory)")" ""
is "past the RAM: error, with the frame" \
	"$(verdict_check "$db" "0x1ff000:8192:2" error 1)$(reason_is "$db" "frame 0x200 of the area is not guest RAM (Bad address)")" ""
is "a failed map: error, with the cause" \
	"$(verdict_check "$de" "0x100000:$len:2" error 1)$(reason_is "$de" "cannot map the area at 0x100000: Input/output error")" ""
is "the others are decided as usual" "$(verdict_check "$c1" "0x100000:$len:2" "$exp" 1)" ""
is "an error releases the gate like any final verdict" "$(wait_unpaused $dh $db $de $c1)" ""

# A domain that dies just as dmacpid maps it.
dd=$(domain_create --name dies --key platform/nvdimm=1)
# Gated first: the record's going is then the daemon's doing, not yet to come.
gated() { ! no_gate_record "$1"; }
_until 0 gated "$dd"
"$XENSIM" map-fault "$dd" die
"$XENSIM" qemu "$dd" --area "$AREA"
_until 0 no_gate_record "$dd"
# (It may have been told pending while its device model wrote the inputs.)
is "a domain that died while being mapped: no final verdict, no gate record, no error logged" \
	"$(verdict "$dd" state | sed 's/^pending$//')/$(gate_records | grep -cw "$dd")/$(grep -c "dom$dd .*error" "$LOG")" "/0/0"
"$XENSIM" domain destroy "$dd"

# Domains destroyed, or killed, right after their inputs are written.
destroyed= killed=
for i in $(seq "$RACES"); do
	d=$(domain_create --name gone$i --key platform/nvdimm=1)
	"$XENSIM" qemu "$d" --area "$AREA"
	"$XENSIM" domain destroy "$d"
	destroyed="$destroyed $d"
	d=$(domain_create --name killed$i --key platform/nvdimm=1)
	"$XENSIM" qemu "$d" --area "$AREA"
	"$XENSIM" domain kill "$d"
	killed="$killed $d"
done
c2=$(domain_create --name control2 --key platform/nvdimm=1)
"$XENSIM" qemu "$c2" --area "$AREA"
is "a domain after the races is decided" "$(wait_all_final $c2)$(verdict_check "$c2" "0x100000:$len:2" "$exp" 1)" ""
# By now dmacpid has seen every release that came before c2's decision.
left=
for d in $destroyed; do
	"$XENSIM" ls "/local/domain/$d" >/dev/null 2>&1 && left="$left $d"
done
is "no destroyed domain's tree is written again" "$left" ""
bad=
for d in $killed; do
	case $(verdict "$d" state) in
	""|pending) ;;
	approved) bad="$bad$(verdict_check "$d" "0x100000:$len:2" "$exp" 1)" ;;
	*) bad="$bad dom$d: $(verdict "$d" state) ($(verdict "$d" reason));" ;;
	esac
	"$XENSIM" domain destroy "$d"
done
is "a killed domain has no final verdict, or a correct one; never an error" "$bad" ""
_until 0 no_gate_records
is "no gate record is left behind, and the survivors run" \
	"$(gate_records)/$(wait_unpaused $c2)" "/"
check "dmacpid is still running" daemon_alive
finish
