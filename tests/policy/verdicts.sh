#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The verdicts themselves, pinned: `dmacpictl evaluate --json` (output and
# exit status) on the whole test corpus must stay byte for byte what
# verdicts.golden recorded, so that a change to how a decision is computed
# cannot change a decision.  The corpus: every area, AML and table input
# of the fuzz corpus (tests/fuzz/corpus), areas packed from tests/data, and
# 1,500 generated malformed areas (tests/hostile/corpus write), under three
# policies (on-invalid reject, on-invalid drop, renames and set-oem).  The
# golden file holds one line per decision: input, policy, exit status and
# the SHA-256 of the output, with the work paths replaced.
# VERDICTS_UPDATE=1 rewrites verdicts.golden from the binary under test
# (only for a change that is meant to change verdicts).
# VERDICTS_UPDATE=corpus rewrites it after the corpus changed (make
# fuzz-merge), and only when every input in both keeps its verdicts.
# VERDICTS_STRIDE=N decides every Nth of them only (the first, the N+1th,
# ...) against the same lines of the golden file: for runs where a process
# costs many times what it does here (under the sanitizers), which the
# in-process decisions of every input below still cover.
. "$top_srcdir/tests/lib/tap.sh"

ctl="$top_builddir/daemon/dmacpictl/dmacpictl"
mutants="$top_builddir/tests/hostile/corpus"
DATA=$(cd "${DMACPI_TESTDATA:-$top_srcdir/tests/data}" && pwd)
golden="$top_srcdir/tests/policy/verdicts.golden"
stride=${VERDICTS_STRIDE:-1}
tmp=$(mktemp -d /tmp/dmacpi-verdicts.XXXXXX) || exit 1
trap 'rm -rf "$tmp"' EXIT
plan 11

# Inputs, named as in the golden file.
mkdir "$tmp/in"
src=$(cd "$top_srcdir" && pwd)
for d in area evaluate aml table; do
	for f in "$src/tests/fuzz/corpus/$d"/*; do
		ln -s "$f" "$tmp/in/fuzz-$d-${f##*/}"
	done
done
x=$DATA/xen
. "$top_srcdir/tests/lib/seed-areas.sh"
seed_areas "$ctl" "$tmp/in/data-" "" "$tmp/pack.log" &&
	"$ctl" pack --table "$x/DSDT_20920.aml" -o "$tmp/in/data-xen-dsdt" 2>>"$tmp/pack.log" ||
	{ echo "Bail out! dmacpictl pack: $(cat "$tmp/pack.log")"; exit 1; }
mkdir "$tmp/mut"
# shellcheck disable=SC2046
"$mutants" write --seed 20240607 --count 1500 --first 0 --step 1 --dir "$tmp/mut" \
	$(ls "$tmp"/in/data-*) >"$tmp/mut.log" 2>&1 ||
	{ echo "Bail out! corpus write: $(cat "$tmp/mut.log")"; exit 1; }
is "1,500 malformed areas written" "$(ls "$tmp/mut" | grep -c '\.area$')" 1500

# The three policies of tests/hostile/malformed-corpus.sh.
sed "s|^xen-namespace .*|xen-namespace $x/DSDT_20920.aml $x/SSDT_29c40.aml $x/SSDT_2a200.aml|" \
	"$top_srcdir/policy/dmacpid.policy" >"$tmp/reject.policy"
sed "s|^on-invalid .*|on-invalid drop|" "$tmp/reject.policy" >"$tmp/drop.policy"
sed '/^reject any/i rename device NVDR to NVD1 if hid "ACPI0012"\
rename device LNKA to LNKZ\
set-oem table NFIT to "XEN" "XENNFIT"' "$tmp/reject.policy" >"$tmp/rename.policy"

python3 - "$ctl" "$tmp" "$DATA" "$stride" >"$tmp/now" 2>"$tmp/run.err" <<'PY'
import hashlib, os, subprocess, sys
from concurrent.futures import ThreadPoolExecutor
ctl, tmp, data = sys.argv[1:4]
stride = int(sys.argv[4])
policies = ["reject", "drop", "rename"]
jobs = []
for name in sorted(os.listdir(os.path.join(tmp, "in"))):
    for p in policies:
        jobs.append((name, p, os.path.join(tmp, "in", name), None))
mut = os.path.join(tmp, "mut")
for i in range(1500):
    count = open(os.path.join(mut, "%05d.count" % i)).read().strip()
    jobs.append(("mutant-%d" % i, policies[i % 3], os.path.join(mut, "%05d.area" % i),
                 None if count == "-" else count))

def run(job):
    name, p, area, count = job
    args = [ctl, "evaluate", "--policy", os.path.join(tmp, p + ".policy"),
            "--domain-key", "platform/nvdimm=1", "--domain-name", "golden", "--json"]
    if count is not None:
        args += ["--count", count]
    r = subprocess.run(args + [area], capture_output=True, timeout=60)
    out = r.stdout.replace(tmp.encode(), b"TMP").replace(data.encode(), b"DATA")
    return "%s %s %d %s" % (name, p, r.returncode, hashlib.sha256(out).hexdigest()[:16])

with ThreadPoolExecutor(max_workers=2) as ex:
    for line in ex.map(run, jobs[::stride]):
        print(line)
# The same decisions for warm-verdicts, a list per policy.
for p in policies:
    with open(os.path.join(tmp, "list." + p), "w") as f:
        for name, q, area, count in jobs:
            if q == p:
                f.write("%s %s\n" % (area, count or "-"))
PY
is "every decision was made" "$?" 0
[ -s "$tmp/run.err" ] && diag "$(head -5 "$tmp/run.err")"
# Exit 0 approved, 1 rejected, 2 only for an input dmacpictl cannot read.
status=$(cut -d' ' -f3 "$tmp/now" | sort | uniq -c | awk '{ printf "%s%s=%s", s, $2, $1; s = " " }')
diag "exit statuses: $status"
like "approvals and rejections; no input unread" "$status" "^0=[0-9]+ 1=[0-9]+$"

if [ "$stride" != 1 ]; then
	[ "${VERDICTS_UPDATE:-0}" = 0 ] || { echo "Bail out! VERDICTS_UPDATE needs every decision"; exit 1; }
	awk -v k="$stride" 'NR % k == 1 % k' "$golden" >"$tmp/golden"
	golden=$tmp/golden
	diag "every ${stride}th decision: $(wc -l <"$golden") of them"
fi
if [ "${VERDICTS_UPDATE:-0}" = 1 ]; then
	cp "$tmp/now" "$golden"
	diag "rewrote $golden"
elif [ "${VERDICTS_UPDATE:-0}" = corpus ]; then
	# Lines are keyed by input and policy: a kept key must keep its line.
	if awk 'NR == FNR { old[$1 " " $2] = $0; next }
		($1 " " $2) in old && old[$1 " " $2] != $0 { print; n++ }
		END { exit n > 0 }' "$golden" "$tmp/now" >"$tmp/changed"; then
		cp "$tmp/now" "$golden"
		diag "rewrote $golden for the corpus: $(wc -l <"$golden") decisions"
	else
		diag "not rewritten: $(wc -l <"$tmp/changed") decisions of inputs kept changed, e.g."
		diag "$(head -3 "$tmp/changed")"
	fi
fi
is "as many decisions as recorded" "$(wc -l <"$tmp/now")" "$(wc -l <"$golden")"
diff "$golden" "$tmp/now" >"$tmp/diff"
rc=$?
is "every verdict byte for byte as recorded" "$rc" 0
[ "$rc" = 0 ] || diag "$(head -20 "$tmp/diff")"

# The same decisions with the blob checks of earlier areas reused
# (check-cache.h): forwards then backwards through each policy's areas,
# the AML blobs they share are met again at other offsets.
for p in reject drop rename; do
	"$top_builddir/tests/policy/warm-verdicts" "$tmp/$p.policy" "$tmp/list.$p" >"$tmp/warm.$p" 2>&1
	rc=$?
	is "$p: every verdict the same with the check cache" "$rc" 0
	[ "$rc" = 0 ] || diag "$(tail -3 "$tmp/warm.$p")"
	hits=$(sed -n 's/^decisions [0-9]* hits \([0-9]*\) .*/\1/p' "$tmp/warm.$p")
	diag "$p: $(tail -1 "$tmp/warm.$p")"
	check "$p: most AML blobs' checks reused" [ "${hits:-0}" -gt 1000 ]
done
finish
