// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * flip-check: a device model that keeps rewriting its blob area in guest
 * RAM while dmacpid validates it, and the proof that the verdict is still
 * about bytes that existed.
 *
 *   flip-check --policy FILE --area FILE [--address A] [--timeout S]
 *              [--seed N] DOMID...
 *
 * For each domain: the area is copied into its RAM, a thread starts
 * flipping a few bytes of it in a tight loop, the inputs are written (one
 * transaction), and once the final verdict answers them the thread stops.
 *
 * Every flipped byte only ever holds one of two values, so whatever single
 * copy dmacpid took is one of the 2^K "snapshots" (K flipped bytes).  The
 * verdict is correct only if deciding one of those snapshots with the
 * project's evaluator gives exactly that verdict (state, length, count,
 * dropped, checksum, digest, or the rejection's reason): that is what "the
 * digest is of the bytes dmacpid validated" means when they are no longer in
 * memory.  When guest memory still matches the verdict's digest afterwards,
 * those bytes must be approved again unchanged (they are what a consumer
 * loads).
 *
 * The flips: the first table's checksum and OEM revision together (a valid
 * table either way, torn in between), the first device's _HID "ACPI0012"
 * (its last digit: the rule stops matching, the device is dropped and the
 * area rewritten), the second blob's size (a broken chain) and the first
 * NFIT structure's length (malformed).
 *
 * One line per domain on stdout:
 *   dom=D state=S length=L count=C dropped=N checksum=X digest=H snapshots=M
 *   memory=match|differs reeval=ok|bad|- flips=F
 * where M is how many snapshots decide exactly as the verdict says (0 is a
 * defect).  Exit 0 when every verdict came in time and was proven, 1 if not.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xenstore.h>

#include "area.h"
#include "hostile.h"
#include "policy.h"
#include "readfile.h"
#include "text.h"

#define MAX_FLIPS 8
#define MAX_GROUPS 4
#define AREA_FILE_MAX (1u << 20)

struct flip {
	size_t offset;		/* in the area */
	uint8_t value[2];	/* [0] as packed, [1] flipped */
	unsigned group;
};

struct flipper {
	volatile uint8_t *area;
	struct flip flips[MAX_FLIPS];
	size_t nflips;
	unsigned ngroups;
	unsigned odds[MAX_GROUPS];	/* a group is flipped with probability 1/odds */
	uint64_t rng;
	atomic_bool stop;
	atomic_ullong rounds;
};

static void add_flip(struct flipper *fl, const uint8_t *area, size_t off, uint8_t to,
		     unsigned group)
{
	if (fl->nflips == MAX_FLIPS || area[off] == to)
		return;
	fl->flips[fl->nflips++] = (struct flip){ off, { area[off], to }, group };
	if (group + 1 > fl->ngroups)
		fl->ngroups = group + 1;
}

static const uint8_t *find(const uint8_t *p, size_t n, const char *s)
{
	size_t k = strlen(s);

	for (size_t i = 0; i + k <= n; i++)
		if (!memcmp(p + i, s, k))
			return p + i;
	return NULL;
}

/* Choose the flipped bytes from the packed area (see the comment on top). */
static void plan_flips(struct flipper *fl, const uint8_t *area, size_t len)
{
	struct findings f;
	struct area a = { 0 };
	bool table = false, nfit = false, device = false;

	findings_init(&f);
	if (area_parse(area, len, -1, 4096, &a, &f) == 0) {
		for (size_t i = 0; i < a.count; i++) {
			const struct blob *b = &a.blobs[i];
			size_t base = b->offset + BLOB_HEADER_SIZE;

			if (b->type == BLOB_TABLE && !table && b->data_len >= 36) {
				add_flip(fl, area, base + 9, (uint8_t)(area[base + 9] - 1), 0);
				add_flip(fl, area, base + 24, (uint8_t)(area[base + 24] + 1), 0);
				table = true;
			}
			if (b->type == BLOB_TABLE && !nfit && b->data_len >= 44 &&
			    !memcmp(b->name, "NFIT", 4)) {
				add_flip(fl, area, base + 42, (uint8_t)(area[base + 42] ^ 1), 3);
				nfit = true;
			}
			if (b->type == BLOB_DEVICE && !device) {
				const uint8_t *hid = find(b->data, b->data_len, "ACPI0012");

				if (hid)
					add_flip(fl, area, (size_t)(hid - area) + 7, '3', 1);
				device = true;
			}
			if (i == 1)
				add_flip(fl, area, b->offset + 4, (uint8_t)(area[b->offset + 4] + 1), 2);
		}
	}
	area_free(&a);
	findings_free(&f);
	fl->odds[0] = 2;
	fl->odds[1] = 3;
	fl->odds[2] = 6;
	fl->odds[3] = 6;
}

static void *flip_loop(void *arg)
{
	struct flipper *fl = arg;

	while (!atomic_load_explicit(&fl->stop, memory_order_relaxed)) {
		uint64_t r = hx_rand(&fl->rng);
		unsigned state = 0, spins;
		size_t first = (size_t)(r >> 40) % fl->nflips;

		for (unsigned g = 0; g < fl->ngroups; g++)
			if (hx_below(&fl->rng, fl->odds[g]) == 0)
				state |= 1u << g;
		/* One byte at a time, from a random start: torn states are the point. */
		for (size_t k = 0; k < fl->nflips; k++) {
			const struct flip *x = &fl->flips[(first + k) % fl->nflips];

			fl->area[x->offset] = x->value[(state >> x->group) & 1];
		}
		spins = (unsigned)(r & 4095);
		for (volatile unsigned s = 0; s < spins; s++)
			;
		atomic_fetch_add_explicit(&fl->rounds, 1, memory_order_relaxed);
	}
	return NULL;
}

/* Does deciding buf give exactly the verdict v? */
static bool decides_as(const struct policy *p, const uint8_t *buf, size_t len, long long count,
		       const struct domain_facts *facts, const struct hx_verdict *v)
{
	struct verdict e;
	bool same;

	if (evaluate(p, buf, len, count, facts, &e))
		hx_die("flip-check: out of memory");
	if (!strcmp(v->state, "approved"))
		same = e.approved && e.length == v->length && e.count == v->count &&
		       e.dropped == v->dropped && v->has_checksum && e.crc == v->checksum &&
		       !strcmp(e.digest, v->digest);
	else
		same = !strcmp(v->state, "rejected") && !e.approved && !strcmp(e.reason, v->reason);
	verdict_free(&e);
	return same;
}

/* How many of the 2^K snapshots decide as v did. */
static unsigned matching_snapshots(const struct flipper *fl, const uint8_t *area, size_t len,
				   long long count, const struct policy *p,
				   const struct domain_facts *facts, const struct hx_verdict *v)
{
	uint8_t *buf = malloc(len);
	unsigned n = 0;

	if (!buf)
		hx_die("flip-check: out of memory");
	for (unsigned mask = 0; mask < 1u << fl->nflips; mask++) {
		memcpy(buf, area, len);
		for (size_t k = 0; k < fl->nflips; k++)
			buf[fl->flips[k].offset] = fl->flips[k].value[(mask >> k) & 1];
		n += decides_as(p, buf, len, count, facts, v);
	}
	free(buf);
	return n;
}

/* The approved bytes as guest memory holds them now: approved again, unchanged. */
static bool approved_again(const struct policy *p, const uint8_t *mem, const struct hx_verdict *v,
			   const struct domain_facts *facts)
{
	struct verdict e;
	bool ok;

	if (evaluate(p, mem, v->length, (long long)v->count, facts, &e))
		hx_die("flip-check: out of memory");
	ok = e.approved && !e.changed && e.length == v->length && e.count == v->count &&
	     e.dropped == 0 && e.crc == v->checksum && !strcmp(e.digest, v->digest);
	verdict_free(&e);
	return ok;
}

static int check_domain(struct xs_handle *xs, const struct policy *p, unsigned domid,
			const uint8_t *area, size_t len, uint64_t address, double timeout,
			uint64_t seed)
{
	struct flipper fl = { .rng = seed ^ (0x5851f42d4c957f2dull * (domid + 1)) };
	struct guest_ram ram;
	struct hx_facts facts;
	struct hx_verdict v;
	struct findings f;
	struct area a = { 0 };
	char input[HX_TEXT_MAX];
	pthread_t thread;
	long long count;
	unsigned snapshots = 0;
	bool in_time, memory_match = false, final;
	const char *reeval = "-";
	int failed = 0;

	if (guest_ram_open(domid, &ram) || address > ram.size || len > ram.size - address)
		hx_die("flip-check: dom%u: cannot map its RAM: %s", domid, strerror(errno));
	memcpy(ram.bytes + address, area, len);
	findings_init(&f);
	count = area_parse(area, len, -1, 4096, &a, &f) == 0 ? (long long)a.count : -1;
	area_free(&a);
	findings_free(&f);
	plan_flips(&fl, area, len);
	if (!fl.nflips)
		hx_die("flip-check: nothing to flip in this area");
	if (hx_read_facts(xs, p, domid, &facts))
		hx_die("flip-check: dom%u: cannot read its facts", domid);

	fl.area = ram.bytes + address;
	atomic_init(&fl.stop, false);
	atomic_init(&fl.rounds, 0);
	if (pthread_create(&thread, NULL, flip_loop, &fl))
		hx_die("flip-check: cannot start the flipper");
	while (atomic_load(&fl.rounds) < 1000)
		;
	if (hx_put_inputs(xs, domid, address, len, count, input, sizeof(input)))
		hx_die("flip-check: dom%u: cannot write the inputs: %s", domid, strerror(errno));
	in_time = hx_wait_verdict(xs, domid, input, timeout, &v) == 0;
	atomic_store(&fl.stop, true);
	pthread_join(thread, NULL);

	final = in_time && (!strcmp(v.state, "approved") || !strcmp(v.state, "rejected"));
	if (final && !strcmp(v.state, "approved") && v.address != address)
		final = false;
	if (final)
		snapshots = matching_snapshots(&fl, area, len, count, p, &facts.facts, &v);
	if (final && !strcmp(v.state, "approved") && v.length <= len) {
		memory_match = hx_digest_is(ram.bytes + address, v.length, v.digest);
		if (memory_match)
			reeval = approved_again(p, ram.bytes + address, &v, &facts.facts) ? "ok"
											  : "bad";
	}
	if (!final || !snapshots || !strcmp(reeval, "bad"))
		failed = 1;
	printf("dom=%u state=%s length=%" PRIu64 " count=%" PRIu64 " dropped=%" PRIu64
	       " checksum=0x%08" PRIx32 " digest=%s snapshots=%u memory=%s reeval=%s flips=%llu%s\n",
	       domid, in_time ? v.state : "timeout", v.length, v.count, v.dropped, v.checksum,
	       v.digest[0] ? v.digest : "-",
	       snapshots, memory_match ? "match" : "differs", reeval,
	       (unsigned long long)atomic_load(&fl.rounds), failed ? " FAIL" : "");
	if (failed && v.reason[0])
		printf("# dom%u reason: %s\n", domid, v.reason);
	fflush(stdout);
	hx_facts_free(&facts);
	guest_ram_close(&ram);
	return failed;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "policy", required_argument, NULL, 'p' },
		{ "area", required_argument, NULL, 'a' },
		{ "address", required_argument, NULL, 'A' },
		{ "timeout", required_argument, NULL, 't' },
		{ "seed", required_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 },
	};
	const char *policy_file = NULL, *area_file = NULL;
	uint64_t address = 0x100000, seed = 1;
	double timeout = 30;
	struct xs_handle *xs;
	struct policy *p;
	struct diags d;
	uint8_t *area;
	size_t len;
	int c, failed = 0;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'p': policy_file = optarg; break;
		case 'a': area_file = optarg; break;
		case 'A': address = strtoull(optarg, NULL, 0); break;
		case 't': timeout = atof(optarg); break;
		case 's': seed = strtoull(optarg, NULL, 0); break;
		default: return 2;
		}
	}
	if (!policy_file || !area_file || optind == argc)
		hx_die("usage: flip-check --policy FILE --area FILE [--address A] [--timeout S] "
		       "[--seed N] DOMID...");
	diags_init(&d);
	p = policy_load(policy_file, NULL, &d);
	diags_print(&d, stderr);
	diags_free(&d);
	if (!p)
		return 2;
	if (read_file(area_file, AREA_FILE_MAX, &area, &len) || !len)
		hx_die("flip-check: %s: %s", area_file, strerror(errno));
	xs = hx_xs_open();
	if (!xs)
		hx_die("flip-check: cannot connect to xenstored: %s", strerror(errno));
	for (int i = optind; i < argc; i++)
		failed |= check_domain(xs, p, (unsigned)strtoul(argv[i], NULL, 10), area, len,
				       address, timeout, seed);
	xs_close(xs);
	free(area);
	policy_free(p);
	return failed;
}
