# SPDX-License-Identifier: GPL-2.0-or-later
# seed_areas CTL PREFIX SUFFIX LOG: areas of the real tables and devices
# under $DATA (QEMU's and Xen's), packed as a device model would by the
# dmacpictl CTL into PREFIX<name>SUFFIX; pack's errors go to LOG.  The
# seeds of the hostile corpus and part of the pinned verdicts' corpus.
# Fails on the first area that does not pack.
seed_areas() {
	_ctl=$1 _pre=$2 _suf=$3 _log=$4
	_q=$DATA/qemu _x=$DATA/xen
	_pack() { _out=$1; shift; "$_ctl" pack "$@" -o "$_pre$_out$_suf" 2>>"$_log"; }
	_pack nvdimm --table "$_q/NFIT.dimmpxm" --devices-from "$_q/SSDT.dimmpxm" &&
	_pack nfit --table "$_q/NFIT.dimmpxm" &&
	_pack nvdr --devices-from "$_q/SSDT.dimmpxm" &&
	_pack q35-devices --devices-from "$_q/DSDT" &&
	_pack pc-devices --table "$_q/NFIT.dimmpxm" --devices-from "$_q/DSDT.pc.dimmpxm" &&
	_pack tables --table "$_q/HPET" --table "$_q/WAET" --table "$_q/APIC" \
		--table "$_q/SRAT.dimmpxm" --table "$_q/MCFG" --table "$_q/TPM2.tis.tpm2" \
		--table "$_q/TCPA.tis.tpm12" --table "$_q/NFIT.dimmpxm" &&
	_pack aml-tables --table "$_q/SSDT.dimmpxm" --table "$_x/SSDT_29c40.aml" \
		--table "$_x/SSDT_2a200.aml" --table "$_q/NFIT.dimmpxm" \
		--devices-from "$_q/SSDT.dimmpxm" &&
	_pack xen-only --table "$_q/FACS" --table "$_q/FACP" --table "$_q/NFIT.dimmpxm" \
		--devices-from "$_q/SSDT.dimmpxm" &&
	_pack xen-devices --devices-from "$_x/SSDT_29c40.aml" --table "$_q/NFIT.dimmpxm"
}
