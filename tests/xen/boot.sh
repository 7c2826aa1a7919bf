# SPDX-License-Identifier: GPL-2.0-or-later
# A run on the emulated Xen host (tests/xen/README.md), sourced by
# tests/xen/oxenstored.sh and tests/xen/xenstored.sh with XEN_XENSTORED set:
#   1. the cached dom0 root (tests/xen/image.sh), copied;
#   2. the dmacpid .deb of this tree installed into it with dpkg, as an
#      administrator would: its postinst enables the unit;
#   3. what changes every run: the patched hvmloader, the dom0 programs
#      (dm-producer, guest-acpi), the blob areas, the scenarios and their
#      driver unit, and the xenstored to use (/etc/default/xen);
#   4. Xen booted under qemu-system-x86_64 (TCG), the driver run in dom0,
#      its TAP read back from dom0's disk after the power-off (from the
#      serial log, where Xen may have dropped lines, when the disk has no
#      complete copy).
# This script's TAP: the host's steps, then every scenario's results
# renumbered.  A scenario without its plan or short of it, a dom0 or Xen
# crash, a program in dom0 killed by a segfault, no "driver done" line, a
# run over XEN_TIMEOUT seconds or a dom0 still up 120 s after the driver's
# last line fail it.
. "$top_srcdir/tests/lib/tap.sh"

XEN_TIMEOUT=${XEN_TIMEOUT:-1200}
# What this host lacks skips the run, or fails it where DMACPI_REQUIRE_XEN
# says it must happen (CI).
for tool in qemu-system-x86_64 mmdebstrap mkfs.ext4 debugfs e2fsck dpkg-buildpackage flock; do
	command -v $tool >/dev/null 2>&1 ||
		xen_unavailable "no $tool (apt-get install qemu-system-x86 mmdebstrap e2fsprogs dpkg-dev)"
done
[ "$(id -u)" = 0 ] || xen_unavailable "needs root (dpkg into the dom0 root, chroot)"
T0=$(date +%s)
elapsed() { echo $(($(date +%s) - $1)); }

WORK=$(mktemp -d /tmp/dmacpid-xen.XXXXXX) || exit 1
QPID=
cleanup() {
	[ -n "$QPID" ] && kill "$QPID" 2>/dev/null
	if [ -n "${XEN_KEEP:-}" ]; then echo "# kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

t=$(date +%s)
base=$("$top_srcdir/tests/xen/image.sh" 2>"$WORK/image.log"); rc=$?
[ $rc = 77 ] && xen_unavailable "$(tail -1 "$WORK/image.log")"
[ $rc = 0 ] || { echo "Bail out! dom0 image: $(tail -5 "$WORK/image.log")"; exit 1; }
T_IMAGE=$(elapsed $t)
t=$(date +%s)
deb=$("$top_srcdir/tests/xen/build-deb.sh" "$top_builddir/tests/xen/deb" 2>"$WORK/deb.log") ||
	{ echo "Bail out! dpkg-buildpackage: $(tail -20 "$WORK/deb.log")"; exit 1; }
T_DEB=$(elapsed $t)

# The patched hvmloader: DMACPI_HVMLOADER, or what xen/hvmloader/build makes.
hvmloader=${DMACPI_HVMLOADER:-}
if [ -z "$hvmloader" ] && [ -x "$top_srcdir/xen/hvmloader/build" ]; then
	t=$(date +%s)
	"$top_srcdir/xen/hvmloader/build" >"$WORK/hvmloader.out" 2>"$WORK/hvmloader.log" &&
		hvmloader=$(tail -1 "$WORK/hvmloader.out") && [ -f "$hvmloader" ] ||
		{ echo "Bail out! xen/hvmloader/build: $(tail -20 "$WORK/hvmloader.log")"; exit 1; }
	T_HVMLOADER=$(elapsed $t)
fi
# Without it the patched consumer's scenarios would skip: none of the run.
[ -n "$hvmloader" ] || xen_unavailable "no patched hvmloader (DMACPI_HVMLOADER, xen/hvmloader/build)"

plan_host=5
t=$(date +%s)
ROOT=$WORK/root
cp -a "$base/root" "$ROOT"
L=$ROOT/usr/local/lib/dmacpid-xentest
mkdir -p "$L/areas" "$L/scenarios"
cp "$deb" "$ROOT/tmp/"
rc=0
chroot "$ROOT" dpkg -i "/tmp/$(basename "$deb")" >"$WORK/dpkg.log" 2>&1 || rc=$?
rm -f "$ROOT/tmp/$(basename "$deb")"
# The programs for dom0 and the areas its device model offers.
cp "$top_builddir/tests/xen/dm-producer" "$top_builddir/tests/xen/guest-acpi" \
	"$top_builddir/tests/xen/xen-console" "$L/"
cp "$top_srcdir/tests/lib/tap.sh" "$top_srcdir/tests/xen/dom0/lib.sh" \
	"$top_srcdir/tests/xen/dom0/driver" "$top_srcdir/tests/xen/dom0/dm-wrapper" "$L/"
cp "$top_srcdir"/tests/xen/dom0/scenarios/*.sh "$L/scenarios/"
DATA=$top_srcdir/tests/data
CTL=$top_builddir/daemon/dmacpictl/dmacpictl
"$CTL" pack --table "$DATA/qemu/NFIT.dimmpxm" --devices-from "$DATA/qemu/SSDT.dimmpxm" \
	-o "$L/areas/nvdimm.area" >/dev/null &&
"$CTL" pack --table "$DATA/qemu/NFIT.dimmpxm" -o "$L/areas/nfit.area" >/dev/null &&
printf '\010_HID\014\101\320\012\003' >"$WORK/pci0.body" &&
"$CTL" pack --table "$DATA/qemu/NFIT.dimmpxm" --table "$DATA/qemu/FACP" \
	--devices-from "$DATA/qemu/SSDT.dimmpxm" --device "PCI0=$WORK/pci0.body" \
	-o "$L/areas/smuggled.area" >/dev/null ||
	{ echo "Bail out! dmacpictl pack failed"; exit 1; }
# A broken chain: the approved area with its second blob's size running
# past the end.
cp "$L/areas/nvdimm.area" "$L/areas/broken.area"
nfit=$(od -An -tu4 -j4 -N4 "$L/areas/nvdimm.area" | tr -d ' ')
printf '\377\377\000\000' | dd of="$L/areas/broken.area" bs=1 seek=$((nfit + 4)) conv=notrunc 2>/dev/null
cp "$DATA/qemu/NFIT.dimmpxm" "$L/areas/NFIT"
[ -n "$hvmloader" ] && cp "$hvmloader" "$L/hvmloader-dmacpi"
cat >"$L/config" <<CFG
XENSTORED=$XEN_XENSTORED
CFG
sed -i '/^#*XENSTORED=/d' "$ROOT/etc/default/xen"
echo "XENSTORED=/usr/sbin/$XEN_XENSTORED" >>"$ROOT/etc/default/xen"
cp "$top_srcdir/tests/xen/dom0/dmacpid-xentest.service" "$ROOT/etc/systemd/system/"
ln -sf /etc/systemd/system/dmacpid-xentest.service \
	"$ROOT/etc/systemd/system/multi-user.target.wants/dmacpid-xentest.service"
size=$(( $(du -sm "$ROOT" | cut -f1) + 512 ))
mkfs.ext4 -q -F -L dom0 -d "$ROOT" "$WORK/dom0.img" "${size}M" >"$WORK/mkfs.log" 2>&1 ||
	{ echo "Bail out! mkfs.ext4: $(cat "$WORK/mkfs.log")"; exit 1; }
rm -rf "$ROOT"
T_ROOT=$(elapsed $t)

# Xen via QEMU's multiboot loader; the CPU model is the one a TCG-emulated
# SVM host runs dom0 with, and dom0 gets one vCPU: with two, programs in
# dom0 died of segfaults in every boot seen (tests/xen/README.md).
t=$(date +%s)
nice -n "${XEN_NICE:-10}" qemu-system-x86_64 -accel "${XEN_ACCEL:-tcg,thread=multi}" -machine pc \
	-cpu "${XEN_CPU:-max,-smap,-smep,-pku}" -m 3072 -smp 2 -nographic -no-reboot -monitor none \
	-serial "file:$WORK/serial.log" -display none \
	-kernel "$base/xen" \
	-append "dom0_mem=1024M,max:1024M dom0_max_vcpus=1 ${XEN_ARGS:-} console=com1 com1=115200,8n1 loglvl=all guest_loglvl=all conring_size=4M bootscrub=0" \
	-initrd "$base/vmlinuz root=/dev/vda rw console=hvc0 earlyprintk=xen quiet loglevel=4 systemd.show_status=error,$base/initrd.img" \
	-drive "file=$WORK/dom0.img,format=raw,if=virtio" >"$WORK/qemu.log" 2>&1 &
QPID=$!
# Cut off at XEN_TIMEOUT, or 120 s after the driver's last line if dom0
# has not powered off by then.
timed_out= done_at= no_poweroff=
while kill -0 "$QPID" 2>/dev/null; do
	[ -n "$done_at" ] || ! grep -aq "DMACPI-TAP: # driver done" "$WORK/serial.log" || done_at=$(date +%s)
	if [ "$(elapsed $t)" -ge "$XEN_TIMEOUT" ]; then
		timed_out=1
	elif [ -n "$done_at" ] && [ "$(elapsed "$done_at")" -ge 120 ]; then
		no_poweroff=1
	else
		sleep 2
		continue
	fi
	kill "$QPID"
	break
done
wait "$QPID"
qrc=$?
QPID=
T_BOOT=$(elapsed $t)

TAG="DMACPI-TAP: "
tr -d '\r' <"$WORK/serial.log" | sed -n "s/^.*$TAG//p" >"$WORK/tap.serial"
disk_tap() {
	debugfs -R "cat /var/lib/dmacpid-xentest/tap" "$WORK/dom0.img" >"$WORK/tap.disk" 2>"$WORK/debugfs.log" &&
		grep -qx '# driver done' "$WORK/tap.disk"
}
# debugfs reads no journal: what dom0 wrote last may still be only there
# when its root was not unmounted cleanly; e2fsck replays it.
if disk_tap || { e2fsck -fy "$WORK/dom0.img" >"$WORK/e2fsck.log" 2>&1; disk_tap; }; then
	cp "$WORK/tap.disk" "$WORK/tap"
	lost=$(( $(wc -l <"$WORK/tap.disk") - $(wc -l <"$WORK/tap.serial") ))
	[ "$lost" -le 0 ] || diag "the serial log lost $lost of the driver's lines; they were read from dom0's disk"
else
	diag "dom0's disk holds no complete TAP ($(tail -1 "$WORK/debugfs.log")); read from the serial log"
	cp "$WORK/tap.serial" "$WORK/tap"
fi

is "dpkg -i of the dmacpid .deb into the dom0 root" "$rc" 0
[ $rc = 0 ] || diag "$(tail -20 "$WORK/dpkg.log")"
powered_off() { [ -z "$timed_out" ] && [ -z "$no_poweroff" ] && [ "$qrc" = 0 ]; }
check "dom0 powered off by itself, within ${XEN_TIMEOUT} s (QEMU exit $qrc)" powered_off
[ -z "$no_poweroff" ] || diag "dom0 had not powered off 120 s after the driver's last line"
check "no Xen or dom0 crash on the serial log" \
	sh -c "! grep -Eq 'Panic on CPU|Kernel panic|FATAL TRAP|Unhandled: vec|BUG: ' '$WORK/serial.log'"
check "the driver ran and reported every scenario" grep -qx '# driver done' "$WORK/tap"
# What the driver found in dom0's kernel log: a program that died of a
# segfault, whichever it was, leaves every later result in doubt.
check "no program in dom0 crashed" sh -c "! grep -q '^# crash: ' '$WORK/tap'"

# Every scenario's TAP renumbered into this one; each must carry its plan
# and as many results as it planned.  A scenario that skipped itself (a
# plan of 0) is one result: a skip, failed where DMACPI_REQUIRE_XEN is set.
n=$plan_host
bad=$(awk -v n="$n" -v host="$plan_host" -v req="${DMACPI_REQUIRE_XEN:-0}" '
	function close_scen() {
		if (name == "") return
		if (planned == "") { printf "Bail out! scenario %s printed no plan\n", name; exit }
		if (ran != planned) { n++; printf "not ok %d - %s: %d results for a plan of %d\n", n, name, ran, planned }
		name = ""
	}
	/^# scenario / { close_scen(); name = $3; planned = ""; ran = 0; print; next }
	/^# end / { close_scen(); print; next }
	/^1\.\.0( |$)/ && name != "" {
		why = $0; sub(/^1\.\.0 *(# *)?(SKIP)? */, "", why)
		n++; printf "%sok %d - %s: skipped: %s # SKIP\n", req == "0" || req == "" ? "" : "not ", n, name, why
		planned = 0; next
	}
	/^1\.\.[0-9]+/ { if (name != "") { sub(/^1\.\./, ""); planned = $1 + 0 }; next }
	/^(not )?ok / {
		if (name == "") next
		ran++; n++
		line = $0
		neg = sub(/^not ok [0-9]* *-? */, "", line)
		if (!neg) sub(/^ok [0-9]* *-? */, "", line)
		printf "%s %d - %s: %s\n", neg ? "not ok" : "ok", n, name, line
		next
	}
	/^Bail out!/ { print; exit }
	/^#/ { print; next }
	END { close_scen(); print "1.." n > "/dev/stderr" }
' "$WORK/tap" 2>"$WORK/plan")
printf '%s\n' "$bad"
diag "times: image $T_IMAGE s, deb $T_DEB s, hvmloader ${T_HVMLOADER:-0} s, root $T_ROOT s, boot and scenarios $T_BOOT s, total $(elapsed $T0) s"
if [ -n "$timed_out" ] || ! grep -qx '# driver done' "$WORK/tap"; then
	diag "the serial log ends:" "$(tail -40 "$WORK/serial.log" | tr -d '\r')"
	echo "Bail out! the run did not complete"
	exit 1
fi
cat "$WORK/plan"
finish
