#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Every scenario on the emulated Xen host with the C xenstored.
XEN_XENSTORED=xenstored
. "$top_srcdir/tests/xen/boot.sh"
