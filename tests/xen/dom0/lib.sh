# SPDX-License-Identifier: GPL-2.0-or-later
# Helpers for the scenarios that run in dom0 of the emulated Xen host
# (tests/xen/README.md): guests through xl, the device model's part through
# dm-wrapper and dm-producer, the verdict from xenstore, the guest's tables
# from its memory, hvmloader's lines from Xen's console ring.
. /usr/local/lib/dmacpid-xentest/tap.sh
LIB=/usr/local/lib/dmacpid-xentest
RUN=/run/dmacpid-xentest
POLICY=/etc/dmacpid/dmacpid.policy
PATCHED=$LIB/hvmloader-dmacpi
export PATH=$LIB:$PATH
mkdir -p "$RUN/dm"
. "$LIB/config"

# wait_for SECONDS COMMAND...: poll until COMMAND succeeds, SECONDS of wall
# time at most (every process start is slow in a dom0 under TCG: time, not
# a count of tries, bounds the wait).
wait_for() {
	local end=$(($(date +%s) + $1))
	shift
	while :; do
		"$@" && return 0
		[ "$(date +%s)" -lt "$end" ] || return 1
		sleep 0.5
	done
}

# guest_create NAME [nvdimm] [patched] [paused] [area=FILE] [late]:
# an HVM guest of 128 MiB with no disk.  nvdimm: the toolstack marks it
# (platform/nvdimm=1); patched: hvmloader-dmacpi is its firmware; paused:
# xl create -p; area: the device model offers FILE; late: it offers only
# the address, the test completes the inputs later.  Prints the domid.
guest_create() {
	local name=$1 cfg fw= p= a
	shift
	rm -f "$RUN/dm/$name".*
	for a; do
		case $a in
		nvdimm) : >"$RUN/dm/$name.nvdimm" ;;
		patched) fw="firmware = \"$PATCHED\"" ;;
		paused) p=-p ;;
		area=*) cp "${a#area=}" "$RUN/dm/$name.area" ;;
		late) : >"$RUN/dm/$name.late" ;;
		esac
	done
	cfg=$RUN/$name.cfg
	cat >"$cfg" <<CFG
name = "$name"
type = "hvm"
memory = 128
vcpus = 1
vnc = 0
sdl = 0
serial = "none"
boot = "c"
on_poweroff = "destroy"
on_crash = "destroy"
# SeaBIOS finds nothing to boot and resets the guest after 60 s: keep
# the domain (and its memory) as it is then.
on_reboot = "preserve"
device_model_version = "qemu-xen"
device_model_override = "$LIB/dm-wrapper"
$fw
CFG
	# libxl gives xenconsoled 10 s (LIBXL_INIT_TIMEOUT) to bring up the
	# console after QEMU runs, which a loaded emulated host may miss: up to
	# three tries then.
	local try=1
	until timeout -k 5 180 xl create $p "$cfg" >"$RUN/$name.create.log" 2>&1; do
		sed "s/^/# xl create $name, try $try: /" "$RUN/$name.create.log" >&2
		{ ps -eo pid,stat,etime,args | grep -E '[x]enconsoled|[q]emu|[x]enstored'
		  tail -n 5 /var/log/xen/xl-"$name".log /var/log/xen/qemu-dm-"$name".log
		} 2>&1 | sed "s/^/# xl create $name, try $try: /" >&2
		[ $try -lt 3 ] || return 1
		# A failed create can leave its domain behind, QEMU running and
		# the name taken (seen with the C xenstored): every later try
		# then fails on the name.
		timeout -k 5 60 xl destroy "$name" >/dev/null 2>&1
		try=$((try + 1))
		sleep 2
	done
	[ $try = 1 ] || echo "# xl create $name: $try tries" >&2
	domid_of "$name"
}

# domid_of NAME: the id of the domain called NAME, from the names the
# toolstack writes in xenstore (`xl domid` was seen to die of a segfault
# here while it listed the domains).
domid_of() {
	local id
	for id in $(timeout -k 5 20 xenstore-list /local/domain); do
		[ "$(timeout -k 5 20 xenstore-read "/local/domain/$id/name" 2>/dev/null)" = "$1" ] &&
			{ echo "$id"; return 0; }
	done
	echo "# no domain is called $1" >&2
	return 1
}

guest_destroy() {
	timeout -k 5 60 xl destroy "$1" >"$RUN/$1.destroy.log" 2>&1 ||
		diag "xl destroy $1: exit $?: $(tr '\n' ' ' <"$RUN/$1.destroy.log")"
}

# vkey D KEY: one key of D's verdict.
vkey() { timeout -k 5 20 xenstore-read "/local/domain/$1/hvmloader/dm-acpi-verdict/$2" 2>/dev/null; }
final_verdict() { case $(vkey "$1" state) in approved|rejected|error) return 0 ;; esac; return 1; }
wait_verdict() { wait_for "${2:-30}" final_verdict "$1"; }

# hvmloader's lines for domain D: guest_loglvl=all puts them on Xen's
# console ring, which the driver's `xen-console -f` copies to $CONSOLE.
CONSOLE=$RUN/console.log
guest_log() { sed -n "s/^(d$1) //p" "$CONSOLE"; }
# console_sync: wait until $CONSOLE holds all that Xen wrote before now.
console_synced() { [ "$(stat -c %Y "$CONSOLE.sync" 2>/dev/null || echo 0)" -gt "$1" ]; }
console_sync() { wait_for 30 console_synced "$(date +%s)"; }
hvmloader_done() { guest_log "$1" | grep -q 'Invoking SeaBIOS'; }
wait_hvmloader() { wait_for "${2:-240}" hvmloader_done "$1"; }

# State and CPU time of D as `xl list` shows them: "--p--- 0.0".
dom_state() { timeout -k 5 120 xl list "$1" 2>>"$RUN/xl-list.err" | awk 'NR == 2 { print $5, $6 }'; }
dom_paused() { case $(dom_state "$1") in *p*) return 0 ;; esac; return 1; }

# tables D DIR: the guest's final ACPI tables out of its memory into DIR;
# the list (SIG ADDRESS LENGTH) in DIR/list.
# A read that finds nothing (seen once in a while on the emulated host: no
# list, its status and error in the trace) is tried again, three times.
tables() {
	local try rc
	for try in 1 2 3; do
		rm -rf "$2"
		mkdir -p "$2"
		timeout -k 5 60 guest-acpi "$1" "$2" >"$2/list" 2>"$2/err"
		rc=$?
		[ "$rc" != 0 ] || ! [ -s "$2/list" ] || return 0
		echo "# guest-acpi $1, try $try: exit $rc, $(wc -l <"$2/list") tables: $(head -c 300 "$2/err")" >&2
		sleep 2
	done
	return 1
}
# sorted_sigs [SIG...] <LIST: the signatures of a list that tables() wrote,
# SIG... added, sorted, on one line; sigs DIR: those tables() found in DIR.
sorted_sigs() { { [ $# = 0 ] || printf '%s\n' "$@"; awk '{ print $1 }'; } | sort | tr '\n' ' '; }
sigs() { sorted_sigs <"$1/list"; }

# oracle DIR: acpiexec loads the DSDT and every SSDT found; prints its output.
oracle() {
	(cd "$1" && timeout -k 5 120 acpiexec -b "namespace" DSDT.dat $(ls SSDT*.dat 2>/dev/null) </dev/null 2>&1)
}
oracle_clean() {
	local out
	out=$(oracle "$1")
	# acpiexec 20200925 was seen to die without a word here once in a
	# while (its buffered output lost): that is no verdict, ask again.
	if [ -z "$out" ]; then
		echo "# acpiexec printed nothing; once more" >&2
		out=$(oracle "$1")
	fi
	printf '%s\n' "$out" >"$1/acpiexec.out"
	printf '%s\n' "$out" | grep -q 'successfully acquired and loaded' &&
		! printf '%s\n' "$out" | grep -Eq 'Error|AE_ALREADY_EXISTS|AE_NOT_FOUND'
}

# journal D [MATCH...]: dmacpid's journal entries for domain D, every field
# shown (-o verbose).  journald stores what it is sent asynchronously: a
# verdict can be in xenstore before its log lines are in the journal, so
# tests wait for what they look for (journal_has).
journal() {
	local d=$1
	shift
	timeout -k 5 60 journalctl -q -u dmacpid --no-pager -o verbose DMACPID_DOMID="$d" "$@"
}
# journal_has D FIELD=REGEX...: D's entries hold every one of these fields.
journal_has() {
	local j f
	j=$(journal "$1")
	shift
	for f; do
		printf '%s\n' "$j" | grep -Eq "^ *$f" || return 1
	done
}

# policy_gate none|pause [INPUT-TIMEOUT]: the administrator's edit, then
# systemctl reload.
policy_gate() {
	sed -i -e "s/^gate .*/gate $1/" -e "s/^input-timeout .*/input-timeout ${2:-10s}/" "$POLICY"
	timeout -k 5 120 systemctl reload dmacpid
}

# policy_log_limit N/TIME|none: the same for log-limit.
policy_log_limit() {
	sed -i "s|^log-limit .*|log-limit $1|" "$POLICY"
	timeout -k 5 120 systemctl reload dmacpid
}

# area_digest D LENGTH [ADDRESS]: sha256 of LENGTH bytes of D's blob area
# (or of those at ADDRESS) as the guest has them.  On failure, why not (so
# that a comparison shows it).
area_digest() {
	if timeout -k 5 60 dm-producer read "$1" "$2" "$RUN/area.$1" ${3:+"$3"} 2>"$RUN/area.$1.err"; then
		echo "sha256:$(sha256sum <"$RUN/area.$1" | cut -c1-64)"
	else
		echo "unreadable: $(tr '\n' ' ' <"$RUN/area.$1.err")"
	fi
}

# The scenarios of the patched hvmloader are skipped without it.
require_patched() { [ -x "$PATCHED" ] || plan_skip "no patched hvmloader (xen/hvmloader/build)"; }
# The sorted signatures of the tables a guest gets from Xen alone through the
# patched hvmloader (15-nomarker records them), with those given added.
xen_sigs() { sorted_sigs "$@" <"$RUN/baseline-patched.list"; }
