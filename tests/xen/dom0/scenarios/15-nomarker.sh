# SPDX-License-Identifier: GPL-2.0-or-later
# Scenario 3: a domain the toolstack did not mark (no platform/nvdimm) whose
# device model offers QEMU's NFIT and NVDIMM root device anyway, gate pause:
# dmacpid denies both, nothing device-model-made reaches the guest (with the
# stock hvmloader, and with the patched one when there is one), it boots.
. /usr/local/lib/dmacpid-xentest/lib.sh
plan 14

policy_gate pause
check "gate pause: systemctl reload" [ $? -eq 0 ]
d=$(guest_create plain area="$LIB/areas/nvdimm.area")
check "xl create of an unmarked domain" [ -n "$d" ]
check "a final verdict" wait_verdict "$d"
is "both blobs denied" "$(vkey "$d" state)/$(vkey "$d" count)/$(vkey "$d" dropped)" approved/0/2
check "hvmloader ran to SeaBIOS" wait_hvmloader "$d"
check "the guest's tables read from its memory" tables "$d" "$RUN/t-plain"
diag "tables: $(sigs "$RUN/t-plain")"
check "no NFIT in the guest's tables" sh -c "! grep -q '^NFIT ' '$RUN/t-plain/list'"
check "the oracle loads the guest's tables cleanly, without NVDR" \
	sh -c ". $LIB/lib.sh; oracle_clean '$RUN/t-plain' && ! grep -q 'NVDR' '$RUN/t-plain/acpiexec.out'"
cp "$RUN/t-plain/list" "$RUN/baseline-stock.list"
guest_destroy plain

if [ -x "$PATCHED" ]; then
	d=$(guest_create plainp patched area="$LIB/areas/nvdimm.area")
	check "patched hvmloader: xl create of an unmarked domain" [ -n "$d" ]
	check "patched hvmloader: a final verdict" wait_verdict "$d"
	check "patched hvmloader: ran to SeaBIOS" wait_hvmloader "$d"
	check "patched hvmloader: the guest's tables read from its memory" tables "$d" "$RUN/t-plainp"
	diag "tables: $(sigs "$RUN/t-plainp")"
	# An approval of nothing loads nothing: exactly the stock hvmloader's
	# tables (no NFIT, no extra SSDT), signatures compared as sigs lists them.
	is "patched hvmloader: no NFIT, no extra SSDT: the stock hvmloader's tables" \
		"$(sigs "$RUN/t-plainp")" "$(sorted_sigs <"$RUN/baseline-stock.list")"
	check "patched hvmloader: the oracle loads the guest's tables cleanly, without NVDR" \
		sh -c ". $LIB/lib.sh; oracle_clean '$RUN/t-plainp' && ! grep -q NVDR '$RUN/t-plainp/acpiexec.out'"
	cp "$RUN/t-plainp/list" "$RUN/baseline-patched.list"
	guest_log "$d" | grep -i 'dm-acpi\|acpi' | sed 's/^/# /'
	guest_destroy plainp
else
	for n in 1 2 3 4 5 6; do skip "patched hvmloader: not built"; done
fi
finish
