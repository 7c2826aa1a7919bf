#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Scenario 4: hostile inputs each get a verdict with a clear reason, and the
# daemon keeps serving other domains.
. "$top_srcdir/tests/e2e/lib.sh"
e2e_setup
plan 33

# blob TYPE SIZE [PAD]: an 8-byte blob header followed by PAD zero bytes.
blob() { python3 -c 'import sys,struct
sys.stdout.buffer.write(struct.pack("<II", int(sys.argv[1],0), int(sys.argv[2],0)) + bytes(int(sys.argv[3])))' "$@"; }

daemon_start

# expect NAME STATE REASON-REGEX INPUT: the domain's final verdict.
expect() {
	local d=$DOM
	if wait_input "$d" "$4"; then ok "$1: verdict"; else not_ok "$1: verdict"; diag "$(verdict "$d" state) $(verdict "$d" input)"; fi
	is "$1: $2" "$(verdict "$d" state)" "$2"
	like "$1: reason" "$(verdict "$d" reason)" "$3"
}

DOM=$(domain_create --name past-end)
blob 0 0x1000 8 >"$WORK/a"; "$XENSIM" ram "$DOM" --write 0x100000 "$WORK/a"
set_inputs "$DOM" 0x100000 16
expect "size past the end" rejected "blob size 4096 runs [0-9]+ bytes past the end" "0x100000:16:"
check "size past the end: names the check" log_has "^dom$DOM .*builtin:area-overrun"

DOM=$(domain_create --name size0)
blob 0 0 8 >"$WORK/a"; "$XENSIM" ram "$DOM" --write 0x100000 "$WORK/a"
set_inputs "$DOM" 0x100000 16
expect "size 0" rejected "blob size 0 is below the 8-byte header" "0x100000:16:"

DOM=$(domain_create --name wrap)
blob 1 0xfffffff8 8 >"$WORK/a"; "$XENSIM" ram "$DOM" --write 0x100000 "$WORK/a"
set_inputs "$DOM" 0x100000 16
expect "size wrapping 32 bits" rejected "blob size 4294967288 runs [0-9]+ bytes past the end" "0x100000:16:"

DOM=$(domain_create --name huge)
set_inputs "$DOM" 0x100000 0xffffffffffffffff
expect "huge length" error "4 GiB|max-area" "0x100000:0xffffffffffffffff:"

DOM=$(domain_create --name top)
set_inputs "$DOM" 0xffffffff 16
expect "address at 4 GiB - 1" error "below 4 GiB" "0xffffffff:16:"

DOM=$(domain_create --name hole)
"$XENSIM" hole "$DOM" 0x100 1
set_inputs "$DOM" 0x100000 4096
expect "unpopulated frame" error "not guest RAM|cannot map" "0x100000:4096:"

DOM=$(domain_create --name junk)
set_inputs "$DOM" 0x10z000 16
expect "non-numeric address" error "address is not a number" "?0x10z000:16:"

DOM=$(domain_create --name count --key platform/nvdimm=1)
"$XENSIM" qemu "$DOM" --area "$AREA" --count 3
expect "count mismatch" rejected "count says 3 blobs, the area holds 2" "0x100000:$(stat -c %s "$AREA"):3"

DOM=$(domain_create --name many)
python3 -c 'import sys,struct
sys.stdout.buffer.write(b"".join(struct.pack("<II4s", 1, 12, b"DEV_") for _ in range(10000)))' >"$WORK/many"
"$XENSIM" ram "$DOM" --write 0x100000 "$WORK/many"
set_inputs "$DOM" 0x100000 120000 10000
expect "10,000 blobs" rejected "more than 64 blobs" "0x100000:120000:10000"

DOM=$(domain_create --name slow)
"$XENSIM" write "/local/domain/$DOM/hvmloader/dm-acpi/address" 0x100000
check "incomplete inputs: pending" wait_value "/local/domain/$DOM/hvmloader/dm-acpi-verdict/state" pending 3
expect "inputs never completed" error "incomplete" "0x100000::"

# And the daemon still serves a good domain.
DOM=$(domain_create --name good --key platform/nvdimm=1)
"$XENSIM" qemu "$DOM" --area "$AREA"
check "a good domain is still approved" wait_input "$DOM" "0x100000:$(stat -c %s "$AREA"):2"
finish
