# SPDX-License-Identifier: GPL-2.0-or-later
# Sourced by the tests here: take hvmloader's new files out of the patch
# series into $tmp/src and compile the host driver as $tmp/host.  Needs
# $tmp and $top_srcdir; leaves $host set, or empty when it failed (with
# the reason in $tmp/build.log).
here_hvm=$top_srcdir/tests/xen-hvmloader
hvm_src=$tmp/src/tools/firmware/hvmloader
host=
if "$here_hvm/extract.sh" "$top_srcdir/xen/hvmloader" "$tmp/src" >"$tmp/build.log" 2>&1 &&
   ${CC:-cc} -std=gnu99 -Wall -Wextra -Werror -O2 -I"$here_hvm/shim" -I"$hvm_src" \
	-o "$tmp/host" "$here_hvm/host.c" "$hvm_src/sha256.c" \
	"$hvm_src/dm_acpi_area.c" >>"$tmp/build.log" 2>&1; then
	host=$tmp/host
fi
