#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The simulated hypervisor services (xenhyp-preload.so) as dmacpid sees
# them through the real libxenctrl/libxenforeignmemory API: domain flags,
# pause counts, foreign mappings that write guest RAM, holes and frames
# beyond the RAM failing as Xen's do.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/xenhost.sh"
host_require
plan 20

host_up || { not_ok "host up"; exit 1; }
X=$XENSIM
probe() {
	env LD_PRELOAD="$XENSIM_PRELOAD" \
		ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0" \
		"$top_builddir/tests/sim/hyp-probe" "$@"
}

domain_create --hvm --ram 16M; D=$DOM
domain_create --name pv; P=$DOM
is "domains with their flags" "$(probe list | tr '\n' ';')" "0 pages=0;$D hvm pages=4096;$P pages=8192;"

is "pause" "$(probe pause $D)" ok
is "pause again" "$(probe pause $D)" ok
is "the pause count is readable" "$("$X" pause-count $D)" 2
like "a paused domain is flagged" "$(probe list)" "$D hvm paused"
probe unpause $D >/dev/null; probe unpause $D >/dev/null
is "unpause twice brings it back to 0" "$("$X" pause-count $D)" 0
is "unpausing a running domain: EINVAL" "$(probe unpause $D)" "Invalid argument"
is "pausing an unknown domain: ESRCH" "$(probe pause 999)" "No such process"

is "frames inside the RAM map" "$(probe map $D 0 1 0xfff)" "ok ok ok"
is "a frame beyond the RAM: EFAULT" "$(probe map $D 0 0x1000)" "ok Bad address"
"$X" hole $D 0x10 2
is "frames in a hole: ENOENT" "$(probe map $D 0xf 0x10 0x11 0x12)" \
	"ok No such file or directory No such file or directory ok"
is "without an error array the whole map fails" "$(probe map-all $D 0 0x10)" \
	"NULL No such file or directory"
is "mapping an unknown domain: ESRCH" "$(probe map-all 999 0)" "NULL No such process"

probe poke $D 0x100 0x7 0xab >/dev/null
is "writes through a mapping land in guest RAM" "$("$X" ram $D --read 0x100007 1 | od -An -tx1 | tr -d ' ')" ab

"$X" domain kill $D
like "a killed domain is dying" "$(probe list)" "$D hvm dying"

# Faults for the stress tests.
domain_create --hvm --ram 16M; F=$DOM
"$X" map-fault $F EIO
is "map-fault: the whole mapping fails with that errno" "$(probe map $F 0)" "NULL Input/output error"
"$X" map-fault $F off
is "map-fault off" "$(probe map $F 0)" "ok"
"$X" crash-at map $F
probe map $F 0 >/dev/null 2>&1
is "crash-at: SIGKILL at the point, once" "$?/$(test -e "$HOST_DIR/crash-at" && echo armed)/$(probe map $F 0)" "137//ok"
"$X" map-fault $F die
is "map-fault die: ESRCH" "$(probe map $F 0)" "NULL No such process"
like "and the domain is dying" "$(probe list)" "$F hvm dying"
finish
