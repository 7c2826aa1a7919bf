#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# A device model's NVDR device writing Xen's objects (SPEC section 5): every
# opcode that can write, with its target an object of Xen's named directly,
# through RefOf, through Index, and through an Arg holding a reference; and
# the references (RefOf, CondRefOf, Index, a Buffer passed as an argument
# or returned) that reach them; and DerefOf of a String, which names its
# object only at run time, in every place a reference reaches it; and a
# name of Xen's that the device defines too, which the upward search finds
# outside whenever the device's own object does not exist yet; code run at
# load time, Scope reaching out the same way, DataTableRegion, and _HID
# written after the policy read it.  iasl builds each device; dmacpictl
# evaluate (the daemon's own evaluate()) must deny it with the built-in
# check named, with the default policy on a domain marked platform/nvdimm=1;
# and when acpiexec would see a write, the oracle, given the device
# unchecked, must flag the change of Xen's objects it makes.
. "$top_srcdir/tests/lib/tap.sh"
XENSIM=${XENSIM:-$top_builddir/tests/sim/xensim}
CTL=$top_builddir/daemon/dmacpictl/dmacpictl
DATA=${DMACPI_TESTDATA:-$top_srcdir/tests/data}
command -v iasl >/dev/null || oracle_unavailable "iasl (acpica-tools) missing"
command -v acpiexec >/dev/null || oracle_unavailable "acpiexec (acpica-tools) missing"

W=$(mktemp -d "${TMPDIR:-/tmp}/outside.XXXXXX") || exit 1
trap 'rm -rf "$W"' EXIT
DSDT=$(cd "$DATA/xen" && pwd)/DSDT_20920.aml
sed -e "s|^xen-namespace .*|xen-namespace $DSDT|" "$top_srcdir/policy/dmacpid.policy" >"$W/policy"

# Xen's objects written: \PICD (Integer 0) and \_SB.PCI0.HPET._CRS (Buffer).
INT='\PICD'
BUF='\_SB.PCI0.HPET._CRS'

# Every opcode with a Target or a written SuperName; @ is the target, each
# leaves a value other than 0 (PICD's) in it.
OPS='Store (5, @)
CopyObject (5, @)
Add (1, 4, @)
Subtract (9, 4, @)
Multiply (1, 5, @)
Divide (10, 2, Local7, @)
Divide (11, 6, @)
Mod (11, 6, @)
And (7, 5, @)
Or (4, 1, @)
Xor (1, 4, @)
NAnd (2, 1, @)
NOr (0, 0, @)
ShiftLeft (5, 0, @)
ShiftRight (10, 1, @)
Not (0, @)
FindSetLeftBit (16, @)
FindSetRightBit (16, @)
Concatenate ("A", "B", @)
ConcatenateResTemplate (ResourceTemplate () {}, ResourceTemplate () {}, @)
ToBuffer (5, @)
ToDecimalString (5, @)
ToHexString (5, @)
ToInteger ("5", @)
ToString (Buffer () {0x35}, Ones, @)
Mid ("5", 0, 1, @)
FromBCD (5, @)
ToBCD (5, @)
Increment (@)
Decrement (@)
Index (Buffer () {1, 2}, 0, @)
CondRefOf (\_SB.NVDR, @)'

# The target forms: Xen's object by name, through RefOf and Index (the
# daemon names the reference it takes), through an Arg holding one.
FORMS="direct ref index arg"

# device NAME BODY: an SSDT with Device (\_SB.NAME) { _HID; BODY }.
device() {
	printf 'DefinitionBlock ("", "SSDT", 2, "TEST", "OUTSIDE", 1)\n{\n' >"$W/$1.asl"
	printf 'External (%s, IntObj)\nExternal (%s, BuffObj)\nExternal (\\_GL, MutexObj)\n' \
		"$INT" "$BUF" >>"$W/$1.asl"
	printf 'External (\\_SB.PCI0._CRS, MethodObj)\n' >>"$W/$1.asl"
	printf 'Scope (\\_SB) { Device (NVDR) { Name (_HID, "ACPI0012")\n%s\n} }\n}\n' "$2" >>"$W/$1.asl"
	iasl -vs -p "$W/$1" "$W/$1.asl" >"$W/$1.iasl" 2>&1 && [ -s "$W/$1.aml" ]
}

# expect NAME CHECK WHAT: the daemon denies the device with builtin:CHECK,
# naming WHAT; ORACLE=1: the oracle is run on the device loaded unchecked
# (in the background: acpiexec mostly sleeps), for oracle_flags.
ORACLES=
expect() {
	local name=$1 check=$2 what out
	# evaluate's output doubles backslashes
	what=$(printf '%s' "$3" | sed 's/\\/\\\\/g')
	if [ -f "$W/$name.body" ]; then	# as written: carving may refuse it
		"$CTL" pack --device "$(cat "$W/$name.seg")=$W/$name.body" -o "$W/$name.area" >/dev/null 2>&1
	else
		"$CTL" pack --devices-from "$W/$name.aml" -o "$W/$name.area" >/dev/null 2>&1
	fi
	out=$("$CTL" evaluate --policy "$W/policy" --domain-key platform/nvdimm=1 "$W/$name.area" 2>&1)
	case $out in
	*"action=deny rule=builtin:$check reason="*"$what"*) ok "$name: builtin:$check" ;;
	*"action=reject rule=builtin:$check reason="*"$what"*) ok "$name: builtin:$check" ;;
	*) not_ok "$name: builtin:$check"; diag "$(cat "$W/$name.asl")" "$out" ;;
	esac
	[ "$ORACLE" = 1 ] || return 0
	mkdir -p "$W/$name.d"
	cp "$DSDT" "$W/$name.d/00-DSDT.aml"
	cp "$W/$name.aml" "$W/$name.d/01-SSDT.aml"
	"$XENSIM" oracle "$W/$name.d" >"$W/$name.oracle" 2>&1 &
	ORACLES="$ORACLES $name"
	[ $(jobs -p | wc -l) -lt 8 ] || wait
}

# oracle_sign NAME: what acpiexec must print for the device (grep -E): the
# change of Xen's object it makes.  ACPICA refuses a few of these writes
# itself, and must then show that it reached them: Increment and Decrement
# of a reference (its operand resolution), a Reference stored into an
# Integer (no implicit conversion), and copy-string, whose Store ACPICA
# parses as a call of the method CopyObject made YYYY, with Local0 unset.
oracle_sign() {
	local sign='^changed: '
	case $1 in
	op29-[ria]*|op30-[ria]*)
		sign='AE_AML_OPERAND_TYPE, While resolving operands for \[(Inc|Dec)rement\]' ;;
	op31-*|op32-*) sign='(Cannot assign type|Source must be type .*found) \[Reference\]' ;;
	copy-string) sign='AE_AML_UNINITIALIZED_LOCAL, during \\_SB.NVDR._INI execution' ;;
	op*-index) sign='^changed: \\_SB_\.PCI0\.HPET\._CRS was ' ;;
	op*) sign='^changed: \\PICD was ' ;;
	esac
	printf '%s\n' "$sign"
}

# oracle_flags: every device given to the oracle makes the change of Xen's
# objects, or the refusal, that oracle_sign names.
oracle_flags() {
	local name
	wait
	for name in $ORACLES; do
		if grep -Eq "$(oracle_sign "$name")" "$W/$name.oracle"; then
			ok "$name: unchecked, the oracle flags it"
		else
			not_ok "$name: unchecked, the oracle flags it"
			diag "$(oracle_sign "$name")" "$(cat "$W/$name.asl" 2>/dev/null)" \
				"$(cat "$W/$name.oracle")"
		fi
	done
}

nops=$(printf '%s\n' "$OPS" | wc -l)

i=0
nskip=0
printf '%s\n' "$OPS" >"$W/ops"
while IFS= read -r op; do
	i=$((i + 1))
	for form in $FORMS; do
		case $form in
		direct) t=$INT; body="Method (_INI) { ${op%%@*}$t${op#*@} }"
			check=aml-outside-write; what="writes $INT," ;;
		ref) t="RefOf ($INT)"; body="Method (_INI) { ${op%%@*}$t${op#*@} }"
			check=aml-outside-ref; what="RefOf in \_SB.NVDR._INI takes a reference to $INT," ;;
		index) t="Index ($BUF, 0)"; body="Method (_INI) { ${op%%@*}$t${op#*@} }"
			check=aml-outside-ref; what="Index in \_SB.NVDR._INI takes a reference to $BUF," ;;
		arg) body="Method (WRT, 1) { ${op%%@*}Arg0${op#*@} } Method (_INI) { WRT (RefOf ($INT)) }"
			check=aml-outside-ref; what="takes a reference to $INT," ;;
		esac
		name=op$i-$form
		if ! device "$name" "$body"; then
			if grep -q "syntax error" "$W/$name.iasl"; then
				# e.g. CopyObject's target is a SimpleName in ASL
				skip "$name: ASL cannot write this form"
				nskip=$((nskip + 1))
				continue
			fi
			not_ok "$name: iasl builds it"; diag "$body" "$(tail -5 "$W/$name.iasl")"
			continue
		fi
		ORACLE=1 expect "$name" "$check" "$what"
	done
done <"$W/ops"

# The rest of the references and writes, each denied; those acpiexec acts
# on are flagged by the oracle too.
# NAME ORACLE CHECK WHAT BODY
CASES=$(cat <<'EOF'
buffer-arg|1|aml-outside-ref|A method argument in \_SB.NVDR._INI takes a reference to \_SB.PCI0.HPET._CRS,|Method (WRT, 1) { Store (0x55, Index (Arg0, 0)) } Method (_INI) { WRT (\_SB.PCI0.HPET._CRS) }
buffer-return|1|aml-outside-ref|Return in \_SB.NVDR.GET takes a reference to \_SB.PCI0.HPET._CRS,|Method (GET) { Return (\_SB.PCI0.HPET._CRS) } Method (_INI) { Store (0x55, Index (GET (), 0)) }
refof-local|0|aml-outside-ref|RefOf in \_SB.NVDR._INI takes a reference to \PICD,|Method (_INI) { Store (RefOf (\PICD), Local0) Store (5, DerefOf (Local0)) }
condrefof|0|aml-outside-ref|CondRefOf in \_SB.NVDR._INI takes a reference to \PICD,|Method (_INI) { CondRefOf (\PICD, Local1) Store (5, DerefOf (Local1)) }
index-local|0|aml-outside-ref|Index in \_SB.NVDR._INI takes a reference to \_SB.PCI0.HPET._CRS,|Method (_INI) { Index (\_SB.PCI0.HPET._CRS, 0, Local2) Store (0x55, Local2) }
createfield|0|aml-outside-ref|CreateByteField in \_SB.NVDR._INI takes a reference to \_SB.PCI0.HPET._CRS,|Method (_INI) { CreateByteField (\_SB.PCI0.HPET._CRS, 0, BFLD) Store (0x55, BFLD) }
acquire|0|aml-outside-write|Acquire in \_SB.NVDR._INI writes \_GL,|Method (_INI) { Acquire (\_GL, 0xFFFF) }
alias|0|aml-outside-ref|Alias in \_SB.NVDR takes a reference to \PICD,|Alias (\PICD, ALI0) Method (_INI) { Store (5, ALI0) }
deref-index|1|aml-outside-ref|Index in \_SB.NVDR._INI takes a reference through DerefOf of a Local or an Arg,|Method (_INI) { Store ("\\_SB.PCI0.HPET._CRS", Local0) Store (0x55, Index (DerefOf (Local0), 0)) }
deref-concat|1|aml-outside-ref|Index in \_SB.NVDR._INI takes a reference through DerefOf of a Local or an Arg,|Method (_INI) { Concatenate ("\\_SB.PCI0.", "HPET._CRS", Local0) Store (0x55, Index (DerefOf (Local0), 0)) }
deref-field|1|aml-outside-ref|CreateByteField in \_SB.NVDR._INI takes a reference through DerefOf of a name,|Name (PTH, "\\_SB.PCI0.HPET._CRS") Method (_INI) { CreateByteField (DerefOf (PTH), 0, BFLD) Store (0x55, BFLD) }
deref-arg|1|aml-outside-ref|A method argument in \_SB.NVDR._INI takes a reference through DerefOf of a Local or an Arg,|Method (WRT, 1) { Store (0x55, Index (Arg0, 0)) } Method (_INI) { Store ("\\_SB.PCI0.HPET._CRS", Local0) WRT (DerefOf (Local0)) }
deref-return|1|aml-outside-ref|Return in \_SB.NVDR.GET takes a reference through DerefOf of a Local or an Arg,|Method (GET) { Store ("\\_SB.PCI0.HPET._CRS", Local0) Return (DerefOf (Local0)) } Method (_INI) { Store (0x55, Index (GET (), 0)) }
deref-store|0|aml-outside-write|Store in \_SB.NVDR._INI writes through DerefOf of a Local or an Arg,|Method (_INI) { Store ("\\PICD", Local0) Store (5, DerefOf (Local0)) }
twin-later|1|aml-outside-write|Store in \_SB.NVDR._INI writes PICD, which is \PICD outside the device whenever \_SB.NVDR._INI.PICD does not exist yet|Method (_INI) { Store (5, PICD) Name (PICD, 0) }
twin-branch|1|aml-outside-write|Store in \_SB.NVDR._INI writes PICD, which is \PICD outside the device whenever \_SB.NVDR._INI.PICD does not exist yet|Method (_INI) { If (LEqual (Timer, 0)) { Name (PICD, 0) } Store (5, PICD) }
load-store|1|aml-load-code|Store in \_SB.NVDR, outside a method, runs while the table loads|Store (5, PICD) Name (PICD, 0)
load-if|1|aml-load-code|If in \_SB.NVDR, outside a method, runs while the table loads|If (LEqual (Timer, 0)) { Name (PICD, 0) } Method (_INI) { Store (5, PICD) }
scope-branch|1|aml-escape|Scope (\_SB_.NVDR._INI.PCI0) in a method: a method of a device creates objects only in its own scope|Method (_INI) { If (LEqual (Timer, 0)) { Device (PCI0) { Name (_UID, Zero) } } Scope (PCI0) { Name (ZZZZ, 0x5B) Store (0x5C, _UID) } }
table-region|0|aml-outside-ref|DataTableRegion in \_SB.NVDR maps the bytes of a table, outside the device|DataTableRegion (DTR0, "DSDT", "", "") Field (DTR0, ByteAcc, NoLock, Preserve) { Offset (0x72A), PTGT, 32 } Method (_INI) { Store (0x42435041, PTGT) }
hid-written|0|aml-hid|the device's _HID is written or referenced: the HID the guest sees cannot be known|Method (_INI) { Store ("PNP0A08", _HID) }
EOF
)
while IFS='|' read -r name oracle check what body; do
	[ -n "$name" ] || continue
	if ! device "$name" "$body"; then
		not_ok "$name: iasl builds it"; diag "$body" "$(tail -5 "$W/$name.iasl")"
		[ "$oracle" = 1 ] && nskip=$((nskip + 1))
		continue
	fi
	ORACLE=$oracle expect "$name" "$check" "$what"
done <<EOF
$CASES
EOF

# Bytes iasl will not write, as a device model can write them: the blob (its
# NameSeg, then its body) in hex, wrapped in an SSDT as hvmloader wraps it,
# Scope (\_SB) { Device (NAME) { body } }, and packed as the blob itself
# (not carved from that SSDT).  Each made ACPICA reach Xen's
# objects through how it resolves names while the checks saw something else.
hexdevice() {
	python3 - "$W/$1" "$2" <<'EOF'
import sys
out, blob = sys.argv[1], bytes.fromhex(sys.argv[2])
open(out + ".seg", "w").write(blob[:4].decode())
open(out + ".body", "wb").write(blob[4:])
out += ".aml"
def pkg(op, content):
    n = len(content)
    for k in range(1, 5):
        v = n + k
        if k == 1 and v <= 63:
            return op + bytes([v]) + content
        if k > 1 and v < 1 << (4 + 8 * (k - 1)):
            enc = [((k - 1) << 6) | (v & 0xf)]
            v >>= 4
            for _ in range(k - 1):
                enc.append(v & 0xff)
                v >>= 8
            return op + bytes(enc) + content
    raise SystemExit("too long")
aml = pkg(b"\x10", b"\\_SB_" + pkg(b"\x5b\x82", blob))
t = bytearray(b"SSDT" + (36 + len(aml)).to_bytes(4, "little") + b"\x02\x00TEST  OUTSIDE "
              + (1).to_bytes(4, "little") + b"INTL" + (0x20200925).to_bytes(4, "little") + aml)
t[9] = (-sum(t)) & 0xff
open(out, "wb").write(t)
EOF
}
# NAME|ORACLE|CHECK|WHAT|HEX
HEXCASES='ext-scope|0|aml-escape|Scope (\_SB_.PCI0) leaves the device|4e564452085f4849440d414350493030313200140e4d4d4d4d00155e504349300600100f5043493008504d494e0c00000020
ext-desync|1|aml-outside-write|Store in \_SB.NVDR._INI writes PICD, outside the device|4e564452085f4849440d41435049303031320014134d4d4d4d00155e2e5f494e4958585858010014095858585801a40a6614135f494e490070016070585858586050494344
copy-sb|1|aml-escape|a name of '"'^'"' prefixes alone names a scope the device is in|4e564452085f4849440d414350493030313200140c5f494e49009d0a665e5e00
alias-root|1|aml-escape|a name of '"'^'"' prefixes alone names a scope the device is in|4e564452085f4849440d414350493030313200065e5e00414c5254082e414c5254504943440014135f494e4900700a665e2e414c525450494344
alias-hid|0|aml-escape|a name of '"'^'"' prefixes alone names a scope the device is in|4e564452065e00414c5342082f03414c53424e5644525f4849440d504e503041303800085f4849440d414350493030313200
alias-method|1|aml-outside-ref|Alias in \_SB.NVDR: a device body may alias only a data object of its own|4e564452085f4849440d41435049303031320014095858585801a40a660658585858414c585814135f494e490070016070414c58586050494344
package-call|1|aml-ambiguous|a method taking 1 arguments named as a data element|4e564452085f4849440d41435049303031320014095858585801a40a6614165f494e49007001609d120601585858586050494344
other-method|1|aml-escape|Scope (\_SB_.NVDR) in a method|4e564452085f4849440d4143504930303132001418414141410010115c2e5f53425f4e564452085049434400140d5f494e4900700a5550494344
nested-later|1|aml-ambiguous|\_SB.NVDR._INI.XXXX, defined after this use, takes 1 arguments|4e564452085f4849440d41435049303031320014285f494e4900141342424242007001607058585858605049434414095858585801a40a6642424242
while-later|1|aml-ambiguous|\_SB.NVDR._INI.XXXX, defined after this use, takes 1 arguments|4e564452085f4849440d414350493030313200142f5f494e4900700060a22595600a02a00e93600170585858586050494344a00e93600014095858585801a40a667560
copy-method|1|aml-ambiguous|CopyObject of anything but a literal|4e564452085f4849440d41435049303031320014095858585801a40a66085959595900141e5f494e49009d8371585858585959595970016070595959596050494344
store-method|0|aml-outside-ref|RefOf of a method|4e564452085f4849440d41435049303031320014095858585801a40a66085959595900141e5f494e4900708371585858585959595970016070595959596050494344
copy-data|1|aml-ambiguous|CopyObject into a method taking arguments|4e564452085f4849440d41435049303031320014085858585801a40014185f494e49009d005858585872585858580a555049434460
arg-data|1|aml-outside-ref|RefOf of a method|4e564452085f4849440d41435049303031320014085858585801a40014094848484801700068141b5f494e490048484848715858585872585858580a555049434460
copy-arg|1|aml-ambiguous|CopyObject of anything but a literal|4e564452085f4849440d41435049303031320014095858585801a40a66085959595900140e48484848019d83715858585868141c5f494e490048484848715959595970016070595959596050494344
copy-index|1|aml-ambiguous|CopyObject of anything but a literal|4e564452085f4849440d41435049303031320014095858585801a40a6608595959590008504b475812030100142f5f494e490070715959595988504b475800009d8371585858588388504b4758000070016070595959596050494344
copy-string|1|aml-ambiguous|CopyObject of anything but a literal|4e564452085f4849440d41435049303031320014095858585801a40a66085959595900141d5f494e49009d830d5858585800595959597059595959605c50494344
copy-hid|0|aml-ambiguous|CopyObject into a method taking arguments|4e564452085f4849440d41435049303031320014085858585801a40014205f494e49009d0d504e5030005858585873585858580d413033005f48494460
nested-shadow|1|aml-ambiguous|XXXX is called with 1 arguments, but a method creates|4e564452085f4849440d41435049303031320014085858585801a40014265f494e49001412424242420072585858580a55504943446014085858585800a40042424242
recursive-shadow|1|aml-ambiguous|XXXX is called with 1 arguments, but a method creates|4e564452085f4849440d41435049303031320014085858585801a40014274141414101a00e6872585858580a55504943446014085858585800a400a00892684141414101140b5f494e49004141414100'
while IFS='|' read -r name oracle check what hex; do
	[ -n "$name" ] || continue
	hexdevice "$name" "$hex" || { not_ok "$name: the SSDT is written"; continue; }
	ORACLE=$oracle expect "$name" "$check" "$what"
done <<EOF
$HEXCASES
EOF
ncases=$(printf '%s\n%s\n' "$CASES" "$HEXCASES" | grep -c .)
noracle=$(printf '%s\n%s\n' "$CASES" "$HEXCASES" | grep -c '^[^|]*|1|')

# The rest of SPEC section 5's cases: a call is denied, and QEMU's own
# NVDIMM device, which reads \MEMA and writes only its own names, passes.
device call 'Method (_INI) { Store (\_SB.PCI0._CRS (), Local0) }' || not_ok "call: iasl builds it"
ORACLE=0 expect call aml-outside-call 'calls \_SB.PCI0._CRS, outside the device'
"$CTL" pack --devices-from "$DATA/qemu/SSDT.dimmpxm" -o "$W/qemu.area" >/dev/null 2>&1
out=$("$CTL" evaluate --policy "$W/policy" --domain-key platform/nvdimm=1 "$W/qemu.area")
like "QEMU's NVDIMM device is still approved" "$out" 'object="NVDR".* action=allow '
oracle_flags
# One oracle check per device given to it: none may go missing.
is "every device built reached the oracle" "$(echo $ORACLES | wc -w)" $((nops * 4 + noracle - nskip))
# The plan comes last: a form ASL cannot write is one skip, not two.
plan $((nops * 4 * 2 + ncases + noracle + 3 - nskip))
finish
