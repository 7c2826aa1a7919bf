#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Acting as a domain through its ring (domN.sock): oxenstored's own
# permission checks apply, and a stub-domain device model with its target
# set can write what its guest can write and nothing dom0 owns.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/xenhost.sh"
host_require
plan 17

host_up || { not_ok "host up"; exit 1; }
X=$XENSIM
domain_create --hvm --name guest; G=$DOM
domain_create --hvm --name other; O=$DOM

is "the domain reads its own name through its ring" "$("$X" read /local/domain/$G/name --as-domain $G)" guest
is "libxl's permissions on /local/domain/D" "$("$X" perms /local/domain/$G)" "n0 r$G"
is "hvmloader/ is dom0's, read-only for D" "$("$X" perms /local/domain/$G/hvmloader)" "n0 r$G"
"$X" write /local/domain/$G/hvmloader/dm-acpi-verdict/state approved --as-domain $G 2>/dev/null
is "D writing a dom0-owned key: EACCES" "$?" 13
"$X" rm /local/domain/$G/hvmloader --as-domain $G 2>/dev/null
is "D removing hvmloader/: EACCES" "$?" 13
"$X" write /local/domain/$G/data/x 1 --as-domain $G
is "D writes its own data/" "$?" 0
"$X" read /local/domain/$O/name --as-domain $G >/dev/null 2>&1
is "D cannot read another domain's keys" "$?" 13

big=$(head -c 2000 /dev/zero | tr '\0' x)
"$X" write /local/domain/$G/data/big "$big" --as-domain $G
is "a request larger than the 1 KiB ring (2000-byte value)" "$?" 0
is "and its reply" "$("$X" read /local/domain/$G/data/big --as-domain $G | wc -c)" 2001

# A client that leaves with a watch registered: the next one starts clean.
"$X" watch /local/domain/$G/data --count 1 --as-domain $G >/dev/null
"$X" write /local/domain/$G/data/y 1 --as-domain $G
is "the ring serves the next client after one leaves" "$?" 0

domain_create --name stubdm --target $G; DM=$DOM
is "the guest names its device-model domain" "$("$X" read /local/domain/$G/image/device-model-domid)" "$DM"
"$X" write /local/domain/$G/data/from-dm 1 --as-domain $DM
is "stub DM with target writes what its guest can" "$?" 0
"$X" write /local/domain/$G/hvmloader/dm-acpi-verdict/state approved --as-domain $DM 2>/dev/null
is "stub DM cannot write a dom0-owned key" "$?" 13
"$X" write /local/domain/$O/data/x 1 --as-domain $DM 2>/dev/null
is "stub DM cannot write another guest's keys" "$?" 13
"$X" write /local/domain/$G/hvmloader/dm-acpi/address 0x100000 --as-domain $DM
is "stub DM writes the dm-acpi inputs" "$?" 0
"$X" write /local/domain/$G/hvmloader/dm-acpi/address 0x100000 --as-domain $G 2>/dev/null
is "the guest cannot write the dm-acpi inputs" "$?" 13
"$X" write /local/domain/$DM/device-model/$G/state running --as-domain $DM
is "stub DM reports its state" "$?" 0
finish
