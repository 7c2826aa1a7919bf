# SPDX-License-Identifier: GPL-2.0-or-later
# Debug probe (temporary).
. /usr/local/lib/dmacpid-xentest/lib.sh
plan 1
for c in "xenstore-read /local/domain/0/name" "xenstore-read /nonexistent" "xenstore-ls /local/domain/0" "xl list" "xl dmesg" "dmacpictl status" "ls -la /run/xenstored /dev/xen" "cat /proc/xen/capabilities" "pgrep -a xenconsoled" "cat /etc/default/xen"; do
	echo "# \$ $c"
	timeout 10 $c 2>&1 | tail -8 | sed 's/^/# /'
	echo "# rc=$?"
done
echo "ok 1 - probe"
