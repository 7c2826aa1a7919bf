# SPDX-License-Identifier: GPL-2.0-or-later
"""Domain lifecycles against a running dmacpid, for tests/soak/lifecycles.sh.

Each lifecycle: create an HVM domain (marked vNVDIMM or not), act as its
device model (an area into guest RAM, then the inputs), wait for the final
verdict, sometimes rewrite the inputs and wait for the next generation,
then destroy the domain (sometimes killed first).  The areas come from a
pool built from a seed: QEMU's vNVDIMM area, the same with smuggled tables,
mutations of both (bit flips, truncations, bad blob sizes, AML opcode and
NameSeg corruption, PkgLength overflows, trailing junk) and random bytes;
some inputs are hostile (wrong count, non-numeric address, too long, past
the end of RAM).  Every verdict is compared with what `dmacpictl evaluate`
decides offline for the same bytes.  Lifecycles run in batches so that
process start-up is the main cost; the daemon's RSS and open descriptors
are sampled after the batch that reaches the mark, and at the end.

Prints one `key value` line per result on stdout; progress and the first
few mismatches on stderr.
"""
import argparse
import json
import os
import random
import subprocess
import sys
import time

FINAL = ("approved", "rejected", "error")
RAM = 4 << 20


def parse_args():
    p = argparse.ArgumentParser()
    p.add_argument("--xensim", required=True)
    p.add_argument("--dmacpictl", required=True)
    p.add_argument("--policy", required=True)
    p.add_argument("--good", required=True, help="QEMU's vNVDIMM area")
    p.add_argument("--smuggled", required=True, help="the same with tables to drop")
    p.add_argument("--work", required=True)
    p.add_argument("--pid", type=int, required=True, help="dmacpid")
    p.add_argument("--domains", type=int, default=10000)
    p.add_argument("--batch", type=int, default=50)
    p.add_argument("--mark", type=int, default=1000)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--deadline", type=float, default=120.0,
                   help="seconds a batch may wait for its verdicts")
    return p.parse_args()


def count_blobs(b):
    """The blob count xensim writes by default; -1 when the chain breaks."""
    off = n = 0
    while off < len(b):
        if len(b) - off < 8:
            return -1
        size = int.from_bytes(b[off + 4:off + 8], "little")
        if size < 8 or size > len(b) - off:
            return -1
        off += size
        n += 1
    return n


def blob_offsets(b):
    offs, off = [], 0
    while off + 8 <= len(b):
        size = int.from_bytes(b[off + 4:off + 8], "little")
        offs.append(off)
        if size < 8:
            break
        off += size
    return offs


def mutate(rng, base):
    """One random corruption of a well-formed area."""
    b = bytearray(base)
    kind = rng.choice(("flip", "truncate", "size", "aml", "nameseg", "pkglength", "extend"))
    if kind == "flip":
        for _ in range(rng.randint(1, 8)):
            b[rng.randrange(len(b))] ^= 1 << rng.randrange(8)
    elif kind == "truncate":
        b = b[:rng.randrange(1, len(b))]
    elif kind == "size":
        off = rng.choice(blob_offsets(b))
        size = int.from_bytes(b[off + 4:off + 8], "little")
        new = rng.choice((0, 7, 8, size - 1, size + 1, 0xffffffff, rng.getrandbits(32)))
        b[off + 4:off + 8] = (new & 0xffffffff).to_bytes(4, "little")
    elif kind == "aml":
        for _ in range(rng.randint(1, 4)):
            b[rng.randrange(44, len(b))] = rng.choice(
                (0x00, 0x08, 0x0a, 0x10, 0x12, 0x14, 0x5b, 0x5c, 0x70, 0xa0, 0xff))
    elif kind == "nameseg":
        segs = [i for i in range(len(b) - 4)
                if all(0x41 <= c <= 0x5a or c == 0x5f for c in b[i:i + 4])]
        i = rng.choice(segs) if segs else rng.randrange(len(b) - 4)
        b[i:i + 4] = rng.choice((b"\0\0\0\0", b"1BAD", b"_SB_", b"PCI0", b"a-z!"))
    elif kind == "pkglength":
        ops = [i for i in range(len(b) - 2)
               if b[i] in (0x10, 0x12, 0x14) or (b[i] == 0x5b and b[i + 1] == 0x82)]
        i = rng.choice(ops) if ops else rng.randrange(len(b) - 2)
        i += 2 if b[i] == 0x5b else 1
        b[i] = rng.choice((0xff, 0xcf, 0x8f, 0x4f))
    else:
        b += rng.randbytes(rng.randint(1, 64))
    return bytes(b), kind


def build_pool(rng, good, smuggled, work):
    """[(path, bytes, what)]: the two well-formed areas first."""
    pool = [(good, "good"), (smuggled, "smuggled")]
    for _ in range(60):
        data, kind = mutate(rng, rng.choice(pool[:2])[0])
        pool.append((data, kind))
    for _ in range(6):
        pool.append((rng.randbytes(rng.randint(8, 4096)), "random"))
    out = []
    os.makedirs(os.path.join(work, "pool"), exist_ok=True)
    for i, (data, what) in enumerate(pool):
        path = os.path.join(work, "pool", "%02d-%s.area" % (i, what))
        with open(path, "wb") as f:
            f.write(data)
        out.append((path, data, what))
    return out


class Expect:
    """dmacpictl evaluate's verdict per (pool entry, vNVDIMM mark)."""

    def __init__(self, args):
        self.args = args
        self.cache = {}

    def get(self, path, marked):
        key = (path, marked)
        if key not in self.cache:
            cmd = [self.args.dmacpictl, "evaluate", "--policy", self.args.policy]
            if marked:
                cmd += ["--domain-key", "platform/nvdimm=1"]
            r = subprocess.run(cmd + [path], capture_output=True, text=True)
            last = r.stdout.strip().splitlines()[-1] if r.stdout.strip() else ""
            fields = dict(f.split("=", 1) for f in last.split() if "=" in f)
            if r.returncode not in (0, 1) or "verdict" not in fields:
                raise SystemExit("dmacpictl evaluate %s: %s" % (path, r.stderr.strip()))
            self.cache[key] = fields
        return self.cache[key]


class Host:
    def __init__(self, args):
        self.x = args.xensim
        self.ctl = args.dmacpictl

    def sim(self, *a):
        r = subprocess.run([self.x] + [str(v) for v in a], capture_output=True, text=True)
        if r.returncode:
            raise SystemExit("xensim %s: %s" % (" ".join(map(str, a)), r.stderr.strip()))
        return r.stdout.strip()

    def status(self):
        r = subprocess.run([self.ctl, "status", "--json"], capture_output=True, text=True)
        if r.returncode:
            raise SystemExit("dmacpictl status: %s" % r.stderr.strip())
        return {d["domid"]: d for d in json.loads(r.stdout)["domains"]}


class Domain:
    def __init__(self, n, marked):
        self.n = n
        self.marked = marked
        self.domid = None
        self.count = None      # the count key as last written, None if absent
        self.input = None      # the verdict must answer exactly this
        self.want = None       # expected state, length, count, dropped, checksum, digest
        self.min_gen = 1


def write_area(host, expect, dom, entry, at, mode):
    """Act as the device model: the area into RAM, then the inputs."""
    path, data, _ = entry
    base = "/local/domain/%d/hvmloader/dm-acpi" % dom.domid
    chain = count_blobs(data)
    args = ["qemu", dom.domid, "--area", path, "--at", hex(at)]
    if mode == "bad" and chain >= 0:
        args += ["--count", chain + 1]
        dom.count = chain + 1
    elif mode == "none" or chain < 0:
        if dom.count is not None:
            host.sim("rm", base + "/count")
            dom.count = None
        args += ["--no-count"]
    else:
        args += ["--count", chain]
        dom.count = chain
    host.sim(*args)
    dom.input = "%s:%d:%s" % (hex(at), len(data), "" if dom.count is None else dom.count)
    ev = expect.get(path, dom.marked)
    if dom.count is not None and dom.count != chain:
        dom.want = {"state": "rejected"}
    else:
        dom.want = {"state": ev["verdict"]}
        if ev["verdict"] == "approved":
            dom.want.update(length=int(ev["length"]), count=int(ev["count"]),
                            dropped=int(ev["dropped"]), checksum=ev["checksum"],
                            digest=ev["digest"])


def write_hostile(host, dom, kind):
    """Inputs no area can satisfy: the verdict must be `error`."""
    base = "/local/domain/%d/hvmloader/dm-acpi" % dom.domid
    address, length = {"nonnumeric": ("0x10z000", "16"),
                       "toolong": ("0x100000", str(2 << 20)),
                       "pastram": (hex(RAM - 0x1000), str(0x2000))}[kind]
    host.sim("write", base + "/address", address)
    host.sim("write", base + "/length", length)
    dom.input = "%s:%s:" % (address, length)
    dom.want = {"state": "error"}


def settled(dom, v):
    return (v is not None and v.get("state") in FINAL and v.get("input") == dom.input
            and v.get("generation", 0) >= dom.min_gen)


def wait_batch(host, doms, deadline):
    """Until every domain's verdict is final for its inputs; then the status
    read once more: `dmacpictl status` reads a verdict key by key, so a read
    that overlaps a commit can mix two generations, but a read started after
    the last generation became visible cannot."""
    end = time.monotonic() + deadline
    delay = 0.01
    while True:
        st = host.status()
        if all(settled(d, st.get(d.domid)) for d in doms) or time.monotonic() > end:
            return host.status()
        time.sleep(delay)
        delay = min(delay * 2, 0.2)


def mismatch(dom, v):
    """Why v is not the verdict expected for dom, or None."""
    if not settled(dom, v):
        return "no final verdict for %s: %s" % (dom.input, json.dumps(v))
    for k, want in dom.want.items():
        if v.get(k) != want:
            return "%s: %r, expected %r (%s)" % (k, v.get(k), want, json.dumps(v))
    if v["state"] != "approved" and not v.get("reason"):
        return "no reason: %s" % json.dumps(v)
    return None


def proc_sample(pid):
    with open("/proc/%d/status" % pid) as f:
        rss = [int(l.split()[1]) for l in f if l.startswith("VmRSS:")][0]
    return rss, len(os.listdir("/proc/%d/fd" % pid))


def main():
    args = parse_args()
    rng = random.Random(args.seed)
    with open(args.good, "rb") as f:
        good = f.read()
    with open(args.smuggled, "rb") as f:
        smuggled = f.read()
    pool = build_pool(rng, good, smuggled, args.work)
    expect = Expect(args)
    host = Host(args)
    stats = dict(lifecycles=0, final=0, mismatches=0, rewrites=0, approved=0, rejected=0,
                 error=0, n_mark=0, rss_mark=0, rss_end=0, fds_mark=0, fds_end=0)
    t0 = time.monotonic()
    n = 0
    while n < args.domains:
        doms = [Domain(n + i, rng.random() < 0.7)
                for i in range(min(args.batch, args.domains - n))]
        for d in doms:
            name = "soak%d" % d.n
            key = ["--key", "platform/nvdimm=1"] if d.marked else []
            d.domid = int(host.sim("domain", "create", "--hvm", "--ram", "4M",
                                   "--name", name, *key))
        # First inputs: half well-formed areas, the rest corrupt or hostile.
        for d in doms:
            r = rng.random()
            if r < 0.06:
                write_hostile(host, d, rng.choice(("nonnumeric", "toolong", "pastram")))
                continue
            entry = pool[rng.randrange(2)] if r < 0.55 else rng.choice(pool[2:])
            mode = rng.choice(("auto", "auto", "none", "bad") if r < 0.55 else ("auto", "none"))
            write_area(host, expect, d, entry, 0x100000, mode)
        wait_batch(host, doms, args.deadline)
        # One in ten: the device model moves its area (the next generation).
        again = [d for d in doms if d.want["state"] != "error" and rng.random() < 0.1]
        for d in again:
            entry = rng.choice(pool[:2]) if rng.random() < 0.5 else rng.choice(pool)
            write_area(host, expect, d, entry, 0x200000, rng.choice(("auto", "none")))
            d.min_gen = 2
        stats["rewrites"] += len(again)
        st = wait_batch(host, doms, args.deadline)
        for d in doms:
            v = st.get(d.domid)
            why = mismatch(d, v)
            if settled(d, v):
                stats["final"] += 1
                stats[v["state"]] += 1
            if why:
                stats["mismatches"] += 1
                if stats["mismatches"] <= 10:
                    print("# dom%d (lifecycle %d): %s" % (d.domid, d.n, why), file=sys.stderr)
        for d in doms:
            if rng.random() < 0.2:
                host.sim("domain", "kill", d.domid)
            host.sim("domain", "destroy", d.domid)
        n += len(doms)
        stats["lifecycles"] = n
        mark = n >= args.mark and not stats["rss_mark"]
        if mark or n == args.domains:
            # Sample once the verdicts of the batch are gone with their domains.
            end = time.monotonic() + args.deadline
            while host.status() and time.monotonic() < end:
                time.sleep(0.05)
            rss, fds = proc_sample(args.pid)
            if mark:
                stats["rss_mark"], stats["fds_mark"], stats["n_mark"] = rss, fds, n
            if n == args.domains:
                stats["rss_end"], stats["fds_end"] = rss, fds
        if n % 1000 == 0 or n == args.domains:
            print("# %d lifecycles, %.0f s, dmacpid VmRSS %d kB" %
                  (n, time.monotonic() - t0, proc_sample(args.pid)[0]), file=sys.stderr)
    stats["seconds"] = int(time.monotonic() - t0)
    for k, v in stats.items():
        print(k, v)


if __name__ == "__main__":
    main()
