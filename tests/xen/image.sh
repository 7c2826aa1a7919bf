#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Build, once, the part of the emulated Xen host that does not change from
# run to run: a Debian 12 dom0 root made by mmdebstrap from this machine's
# own archive, with Xen 4.17, its toolstack and device model, systemd and
# ACPICA, plus the hypervisor, kernel and initrd pulled out of it for QEMU's
# multiboot loader.  Prints the folder that holds them:
#   root/  xen  vmlinuz  initrd.img  packages (dpkg -l of the root)
# The folder's name carries a key made of this script and the candidate
# versions of the packages that go in, so an archive update of any of them
# (or a change here) builds a new root; old ones are removed.
# DMACPI_XEN_CACHE chooses the cache folder (default /var/cache/dmacpid-xen,
# the one tests/sim/get-oxenstored.sh uses).  Nothing outside the cache is
# touched: mmdebstrap reads the machine's apt sources, it does not change them.
set -eu

# What dom0 runs: Xen's toolstack and QEMU as its device model, systemd and
# the journal, acpiexec for the oracle, and what dmacpid links against
# (libxenstore, libxenctrl, libxenforeignmemory come with xen-utils).
PACKAGES="systemd-sysv udev kmod linux-image-amd64 initramfs-tools
xen-hypervisor-4.17-amd64 xen-utils-4.17 xenstore-utils qemu-system-xen
iproute2 procps acpica-tools libevent-core-2.1-7 libsystemd0 zlib1g libssl3"

for tool in mmdebstrap apt-cache mkfs.ext4; do
	command -v $tool >/dev/null 2>&1 || {
		echo "tests/xen/image.sh: no $tool (apt-get install mmdebstrap e2fsprogs)" >&2
		exit 77
	}
done
sources=/etc/apt/sources.list.d/debian.sources
[ -r "$sources" ] || sources=/etc/apt/sources.list
[ -r "$sources" ] || { echo "tests/xen/image.sh: no apt sources" >&2; exit 77; }

. "$(dirname "$0")/../lib/xen-cache.sh"
cache=$(xen_cache_folder) || exit 1

# shellcheck disable=SC2086
versions=$(apt-cache policy $PACKAGES | awk '
	/^[^ ]/ { p = $1 } $1 == "Candidate:" { print p, $2 }')
missing=$(echo "$versions" | awk '$2 == "(none)" { print $1 }')
[ -z "$missing" ] || {
	echo "tests/xen/image.sh: not in the archive (apt-get update?):" $missing >&2
	exit 77
}
key=$( (cat "$0"; echo "$versions") | sha256sum | cut -c1-16)
out=$cache/dom0-$key

exec 9>"$cache/.dom0.lock"
flock 9
if [ ! -f "$out/initrd.img" ]; then
	for old in "$cache"/dom0-*; do
		[ -e "$old" ] && rm -rf "$old"
	done
	tmp=$out.tmp
	mkdir -p "$tmp"
	start=$(date +%s)
	# Recommends left out: grub and the like have no place in a root that
	# QEMU boots directly.  The hooks make it quiet and quick at boot.
	# shellcheck disable=SC2086
	mmdebstrap --variant=minbase --aptopt='APT::Install-Recommends "false"' \
		--include="$(echo $PACKAGES | tr ' ' ',')" \
		--customize-hook='echo dom0 >"$1/etc/hostname"' \
		--customize-hook=': >"$1/etc/fstab"' \
		--customize-hook='chroot "$1" systemctl mask serial-getty@hvc0.service getty@tty1.service apt-daily.timer apt-daily-upgrade.timer e2scrub_reap.service' \
		--customize-hook='chroot "$1" dpkg -l >"$1/../packages"' \
		bookworm "$tmp/root" "$sources" >"$tmp/mmdebstrap.log" 2>&1 || {
		tail -30 "$tmp/mmdebstrap.log" >&2
		echo "tests/xen/image.sh: mmdebstrap failed (log in $tmp)" >&2
		exit 1
	}
	xen=$(ls "$tmp"/root/boot/xen-4.17-amd64.gz)
	zcat "$xen" >"$tmp/xen"
	cp "$(ls "$tmp"/root/boot/vmlinuz-* | tail -1)" "$tmp/vmlinuz"
	cp "$(ls "$tmp"/root/boot/initrd.img-* | tail -1)" "$tmp/initrd.img.part"
	mv "$tmp/initrd.img.part" "$tmp/initrd.img"
	echo "$versions" >"$tmp/versions"
	echo "$(($(date +%s) - start))" >"$tmp/build-seconds"
	mv "$tmp" "$out"
fi
echo "$out"
