#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# A generated corpus of malformed blob areas (tests/hostile/mutate.c: real
# areas truncated, their lengths, offsets, AML opcodes, NameSegs, nested
# PkgLengths and counts corrupted), decided three ways:
#   - all of it in process, with the evaluator dmacpid and dmacpictl use,
#     under three policies (on-invalid reject, on-invalid drop, renames);
#   - 10,000 of them through `dmacpictl evaluate --json`, one run each;
#   - a smaller sample through dmacpid on the simulated host, each verdict held
#     against the evaluator, guest memory, hvmloader and the ACPICA oracle.
# No crash, no hang; every verdict rejected with a reason, or an approval
# that holds up.
. "$top_srcdir/tests/e2e/lib.sh"
HOSTILE=$top_builddir/tests/hostile
COUNT=${HOSTILE_CORPUS_COUNT:-30000}
SAMPLE=${HOSTILE_CORPUS_SAMPLE:-300}
CTL_SAMPLE=${HOSTILE_CORPUS_CTL_SAMPLE:-10000}
RUN_SEED=${HOSTILE_CORPUS_SEED:-20240607}
e2e_setup
plan 14

# The seed areas: real tables and devices, packed as a device model would.
S=$WORK/seeds
mkdir "$S"
. "$top_srcdir/tests/lib/seed-areas.sh"
seed_areas "$DMACPICTL" "$S/" .area "$WORK/pack.log" ||
	{ echo "Bail out! dmacpictl pack: $(cat "$WORK/pack.log")"; exit 1; }
SEEDS=$(ls "$S"/*.area)

# Three policies: the test policy (on-invalid reject), on-invalid drop,
# and renames and set-oem before the usual rules.
P_REJECT=$POLICY
P_DROP=$WORK/drop.policy
P_RENAME=$WORK/rename.policy
sed "s|^on-invalid .*|on-invalid drop|" "$POLICY" >"$P_DROP"
sed '/^reject any/i rename device NVDR to NVD1 if hid "ACPI0012"\
rename device LNKA to LNKZ\
set-oem table NFIT to "XEN" "XENNFIT"' "$POLICY" >"$P_RENAME"
FACTS="--key platform/nvdimm=1 --name hostile"

# 1. The whole corpus, in process.
# shellcheck disable=SC2086
"$HOSTILE/corpus" check --seed "$RUN_SEED" --count "$COUNT" --policy "$P_REJECT" \
	--policy "$P_DROP" --policy "$P_RENAME" $FACTS --repro "$WORK" $SEEDS \
	>"$WORK/corpus.out" 2>"$WORK/corpus.err"
rc=$?
summary=$(grep '^corpus:' "$WORK/corpus.out")
diag "$summary"
is "in process: every mutant rejected with a reason or soundly approved" "$rc" 0
[ "$rc" = 0 ] || diag "$(grep -E '^(FAIL|CRASH|HANG|#)' "$WORK/corpus.out" | head -20)"
like "in process: no crash, no hang" "$summary" " crashes=0 hangs=0 "
malformed=$(printf '%s' "$summary" | sed -n 's/.* distinct-malformed=\([0-9]*\) .*/\1/p')
check "in process: at least 10,000 distinct malformed areas (${malformed:-0})" \
	[ "${malformed:-0}" -ge 10000 ]
approved=$(printf '%s' "$summary" | sed -n 's/.* approved=\([0-9]*\) .*/\1/p')
check "in process: some mutants approved, so that approvals were checked (${approved:-0})" \
	[ "${approved:-0}" -gt 0 ]
is "in process: every kind of mutation was made" \
	"$(grep '^kind ' "$WORK/corpus.out" | grep -c ' n=0 ')" 0
diag "$(grep '^kind ' "$WORK/corpus.out")"
diag "most frequent rules: $(grep '^rule ' "$WORK/corpus.out" | head -12 | sed 's/^rule //' | tr '\n' ' ')"

# 2. The harness itself notices a crash and a hang (and goes on after them).
# shellcheck disable=SC2086
"$HOSTILE/corpus" check --seed "$RUN_SEED" --count 30 --policy "$P_REJECT" $FACTS \
	--hang-seconds 1 --inject-crash 5 --inject-hang 20 $SEEDS >"$WORK/inject.out" 2>&1
rc=$?
noticed() {
	[ "$rc" = 1 ] && grep -q '^CRASH mutant=5:' "$WORK/inject.out" &&
		grep -q '^HANG mutant=20:' "$WORK/inject.out" &&
		grep -q '^corpus: mutants=30 .* failures=0 crashes=1 hangs=1 ' "$WORK/inject.out"
}
check "the harness reports an injected crash and hang, and fails" noticed

# 3. A sample, as files.
SAMPLE_DIR=$WORK/sample
mkdir "$SAMPLE_DIR"
step=$((COUNT / SAMPLE))
[ "$step" -ge 1 ] || step=1
"$HOSTILE/corpus" write --seed "$RUN_SEED" --count "$SAMPLE" --first 7 --step "$step" \
	--dir "$SAMPLE_DIR" $SEEDS
is "the sample was written" "$(ls "$SAMPLE_DIR" | grep -c '\.area$')" "$SAMPLE"
CTL_DIR=$WORK/ctl-sample
mkdir "$CTL_DIR"
step=$((COUNT / CTL_SAMPLE))
[ "$step" -ge 1 ] || step=1
"$HOSTILE/corpus" write --seed "$RUN_SEED" --count "$CTL_SAMPLE" --first 0 --step "$step" \
	--dir "$CTL_DIR" $SEEDS

# 4. That sample through dmacpictl evaluate --json, one run per area with a
# time limit, two at a time; mutant i was decided under policy i mod 3 above.
python3 - "$DMACPICTL" "$CTL_DIR" "$P_REJECT" "$P_DROP" "$P_RENAME" >"$WORK/ctl.out" 2>&1 <<'PY'
import hashlib, json, os, subprocess, sys, zlib
from concurrent.futures import ThreadPoolExecutor
ctl, sample, policies = sys.argv[1], sys.argv[2], sys.argv[3:]
stats = {"approved": 0, "rejected": 0, "failures": 0}

def run(policy, area, count, out=None):
    args = [ctl, "evaluate", "--policy", policy, "--domain-key", "platform/nvdimm=1",
            "--domain-name", "hostile", "--json"]
    if count != "-":
        args += ["--count", count]
    if out:
        args += ["--out", out]
    p = subprocess.run(args + [area], capture_output=True, timeout=10)
    return p.returncode, p.stdout.decode("utf-8", "strict")

def check(name):
    i = int(name)
    area = os.path.join(sample, name + ".area")
    count = open(os.path.join(sample, name + ".count")).read().strip()
    policy = policies[i % len(policies)]
    out = os.path.join(sample, name + ".out")
    try:
        rc, text = run(policy, area, count, out)
    except subprocess.TimeoutExpired:
        return "dmacpictl evaluate did not finish within 10 s"
    if rc not in (0, 1):
        return "exit status %d" % rc
    lines = text.splitlines()
    if len(lines) != 1:
        return "not one line of JSON"
    v = json.loads(lines[0])
    if v["verdict"] != ("approved" if rc == 0 else "rejected"):
        return "verdict %s with exit status %d" % (v["verdict"], rc)
    for b in v["blobs"]:
        if not b["rule"]:
            return "blob %d decided without a rule" % b["index"]
        if b["action"] in ("deny", "reject") and not b["reason"]:
            return "blob %d refused without a reason" % b["index"]
    if rc == 1:
        stats["rejected"] += 1
        if not v.get("reason") or not v.get("rule"):
            return "rejected without a rule or a reason"
        if "digest" in v:
            return "rejected, yet it has a digest"
        return None
    stats["approved"] += 1
    data = open(out, "rb").read()
    if len(data) != v["length"] or "0x%08x" % zlib.crc32(data) != v["checksum"] \
            or "sha256:" + hashlib.sha256(data).hexdigest() != v["digest"]:
        return "--out does not hold the approved bytes"
    kept = [b for b in v["blobs"] if b["action"] != "deny"]
    if len(kept) != v["count"]:
        return "count disagrees with the decisions"
    renamed = any(b["action"] in ("rename", "set-oem") for b in kept)
    rc2, text2 = run(policy, out, str(v["count"]))
    again = json.loads(text2)
    if renamed:
        if any(b["rule"].startswith("builtin:") for b in again["blobs"]) or \
           again.get("rule", "").startswith("builtin:"):
            return "renamed bytes fail a built-in check"
    elif rc2 != 0 or again["checksum"] != v["checksum"] or again["digest"] != v["digest"] \
            or again["length"] != v["length"] \
            or any(b["action"] != "allow" for b in again["blobs"]):
        return "approved bytes are not approved unchanged when decided again"
    return None

def checked(name):
    try:
        return name, check(name)
    except Exception as e:      # bad JSON, bad UTF-8, ...
        return name, "%s: %s" % (type(e).__name__, e)

names = sorted(f[:-5] for f in os.listdir(sample) if f.endswith(".area"))
with ThreadPoolExecutor(max_workers=2) as pool:
    results = list(pool.map(checked, names))
for name, why in results:
    if why:
        stats["failures"] += 1
        print("FAIL %s: %s" % (name, why))
stats["areas"] = len(names)
print("dmacpictl: areas=%(areas)d approved=%(approved)d rejected=%(rejected)d failures=%(failures)d" % stats)
sys.exit(1 if stats["failures"] else 0)
PY
rc=$?
diag "$(tail -1 "$WORK/ctl.out")"
is "dmacpictl evaluate --json: every area rejected with a reason or soundly approved" "$rc" 0
[ "$rc" = 0 ] || diag "$(head -10 "$WORK/ctl.out")"
like "dmacpictl evaluate --json: the whole sample was decided" "$(tail -1 "$WORK/ctl.out")" \
	"^dmacpictl: areas=$CTL_SAMPLE "
rm -rf "$CTL_DIR"

# 5. The sample through the daemon: six domains, each area a new input.
daemon_start
doms=
for i in 1 2 3 4 5 6; do
	d=$(domain_create --name "hostile$i" --ram 4M --key platform/nvdimm=1) || break
	doms="$doms $d"
done
is "six domains created" "$(echo $doms | wc -w)" 6
export XENSIM
if [ -x "$(command -v "${ACPIEXEC:-acpiexec}")" ]; then
	export HOSTILE_ORACLE=1
else
	diag "acpiexec not found: approved areas are checked with hvmloader only"
fi
# shellcheck disable=SC2086
"$HOSTILE/corpus-daemon" --policy "$POLICY" --dir "$SAMPLE_DIR" \
	--check "$top_srcdir/tests/hostile/loader-check.sh" $doms >"$WORK/daemon.out" 2>&1
rc=$?
diag "$(tail -1 "$WORK/daemon.out")"
is "through dmacpid: every verdict is the evaluator's, guest memory and hvmloader agree" "$rc" 0
[ "$rc" = 0 ] || diag "$(grep -v '^corpus-daemon:' "$WORK/daemon.out" | head -20)"
like "through dmacpid: the whole sample was decided" "$(tail -1 "$WORK/daemon.out")" \
	"^corpus-daemon: areas=$SAMPLE "
check "through dmacpid: the daemon is still running" kill -0 "$DPID"

# 6. And it still decides a good domain.
DOM=$(domain_create --name after-corpus --key platform/nvdimm=1)
"$XENSIM" qemu "$DOM" --area "$AREA"
if wait_input "$DOM" "0x100000:$(stat -c %s "$AREA"):2" 20 &&
	[ "$(verdict "$DOM" state)" = approved ] && "$XENSIM" hvmloader "$DOM" >/dev/null; then
	ok "a good domain is approved afterwards"
else
	not_ok "a good domain is approved afterwards"
	diag "$(tail -5 "$LOG")"
fi
finish
