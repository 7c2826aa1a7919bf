#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Every scenario on the emulated Xen host with oxenstored (Debian's default).
XEN_XENSTORED=oxenstored
. "$top_srcdir/tests/xen/boot.sh"
