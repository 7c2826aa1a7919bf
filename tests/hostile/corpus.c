// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * corpus: the malformed-area corpus, generated (tests/hostile/mutate.c) and
 * decided with the evaluator the daemon and `dmacpictl evaluate` use.
 *
 *   corpus check --seed S --count N --policy FILE [--policy FILE]...
 *                [--key PATH=VALUE]... [--name NAME] [--repro DIR]
 *                [--hang-seconds S] AREA...
 *	Decide mutants 0..N-1 of the seed areas AREA... (mutant i under the
 *	(i mod #policies)th policy) in child processes, each mutant with an
 *	alarm of S seconds (default 10).  Every verdict must be rejected with a rule and a reason,
 *	or an approval that holds up (see check_approval).  A crash or a hang
 *	is reported with the mutant's number, and its bytes are written to
 *	DIR/crash-<i>.area.  Prints a summary; exit 0 only when all held.
 *	--inject-crash I / --inject-hang I make mutant I crash or hang, to
 *	show that the harness notices.
 *
 *   corpus write --seed S --count N --first I --step K --dir DIR AREA...
 *	Write mutants I, I+K, ... as DIR/<i>.area with DIR/<i>.count (the
 *	count input, "-" when absent), for the daemon and dmacpictl.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "area.h"
#include "hostile.h"
#include "mutate.h"
#include "policy.h"
#include "readfile.h"
#include "table.h"
#include "text.h"

#define MAX_SEEDS 32
#define MAX_POLICIES 4
#define MAX_KEYS 16
#define MAX_RULES 96
#define CHUNK 1000
#define FAILURES_SHOWN 20

struct kind_stats {
	uint64_t n, approved, rejected;
};

struct rule_count {
	char rule[64];
	uint64_t n;
};

/* Shared between the parent and the child deciding a chunk. */
struct shared {
	uint64_t current;		/* the mutant being decided */
	uint64_t approved, rejected, failures;
	struct kind_stats kinds[MUT_COUNT_OF_KINDS];
	struct rule_count rules[MAX_RULES];
	uint64_t inject_crash, inject_hang;	/* mutant numbers + 1; 0: none */
	unsigned hang_seconds;
	uint64_t hashes[];		/* two per mutant: every one, the malformed ones */
};

struct run {
	struct seed_area seeds[MAX_SEEDS];
	size_t nseeds;
	struct policy *policies[MAX_POLICIES];
	size_t npolicies;
	struct domain_facts facts;
	uint64_t seed, count;
	struct shared *sh;
};

static void count_rule(struct shared *sh, const char *rule)
{
	size_t i;

	for (i = 0; i < MAX_RULES && sh->rules[i].rule[0]; i++)
		if (!strncmp(sh->rules[i].rule, rule, sizeof(sh->rules[i].rule) - 1))
			break;
	if (i == MAX_RULES)
		return;
	if (!sh->rules[i].rule[0])
		snprintf(sh->rules[i].rule, sizeof(sh->rules[i].rule), "%s", rule);
	sh->rules[i].n++;
}

static bool nameseg_ok(const uint8_t *p)
{
	for (int i = 0; i < 4; i++) {
		uint8_t ch = p[i];
		bool ok = (ch >= 'A' && ch <= 'Z') || ch == '_' || (i && ch >= '0' && ch <= '9');

		if (!ok)
			return false;
	}
	return true;
}

/* Printable ASCII, then NUL padding to the field's end (as real tables pad). */
static bool id_printable(const uint8_t *p, size_t n)
{
	size_t k = 0;

	while (k < n && p[k])
		k++;
	for (size_t i = k; i < n; i++)
		if (p[i])
			return false;
	return text_printable(p, k);
}

/* An NFIT's structures, by SPEC section 5's lengths. */
static const char *nfit_ok(const uint8_t *t, size_t len)
{
	size_t p = 40;

	if (len < 40)
		return "NFIT shorter than its header";
	while (p < len) {
		uint16_t type, slen;

		if (len - p < 4)
			return "NFIT structure header cut short";
		type = le16(t + p);
		slen = le16(t + p + 2);
		if (slen < 4 || slen > len - p)
			return "NFIT structure length out of bounds";
		switch (type) {
		case 0:
			if (slen != 56 && !(slen == 64 && (le16(t + p + 6) & 4)))
				return "NFIT SPA range of a wrong length";
			break;
		case 1: if (slen != 48) return "NFIT region mapping of a wrong length"; break;
		case 2:
			if (slen < 16 || slen != 16 + 4 * (uint64_t)le32(t + p + 8))
				return "NFIT interleave of a wrong length";
			break;
		case 3: if (slen < 8) return "NFIT SMBIOS structure too short"; break;
		case 4: if (slen != 80 && slen != 32) return "NFIT control region of a wrong length"; break;
		case 5: if (slen != 40) return "NFIT block data window of a wrong length"; break;
		case 6:
			if (slen < 16 || slen != 16 + 8 * (uint64_t)le16(t + p + 8))
				return "NFIT flush hint of a wrong length";
			break;
		case 7: if (slen != 16) return "NFIT platform capabilities of a wrong length"; break;
		default: return "NFIT structure of an unknown type";
		}
		p += slen;
	}
	return NULL;
}

/* What an approved area must be, checked without the project's parsers. */
static const char *structure_ok(const uint8_t *a, size_t len)
{
	static const char *const xen_only[] = { "RSD ", "RSDT", "XSDT", "FACS", "FACP", "DSDT" };
	size_t off = 0;

	while (off < len) {
		uint32_t type, size;

		if (len - off < 8)
			return "bytes after the last blob";
		type = le32(a + off);
		size = le32(a + off + 4);
		if (size < 8 || size > len - off)
			return "blob size out of bounds";
		if (type == 1) {
			if (size < 12 || !nameseg_ok(a + off + 8))
				return "device without a valid NameSeg";
		} else if (type == 0) {
			const uint8_t *t = a + off + 8;
			size_t tl = size - 8;

			if (tl < ACPI_HEADER_SIZE || le32(t + 4) != tl)
				return "table length disagrees with its blob";
			if (table_sum(t, tl) != 0)
				return "table checksum wrong";
			if (!text_printable(t, 4) || !id_printable(t + 10, 6) ||
			    !id_printable(t + 16, 8) || !id_printable(t + 28, 4))
				return "table ids not printable";
			for (size_t i = 0; i < sizeof(xen_only) / sizeof(xen_only[0]); i++)
				if (!memcmp(t, xen_only[i], 4))
					return "a table only Xen may provide";
			if (!memcmp(t, "NFIT", 4)) {
				const char *why = nfit_ok(t, tl);

				if (why)
					return why;
			}
		} else {
			return "blob of an unknown type";
		}
		off += size;
	}
	return NULL;
}

static bool all_zero(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

/*
 * An approval holds up when: the CRC and the digest are of exactly the
 * approved bytes; the rest of the area is zeros; the approved bytes are the
 * kept blobs in order (allowed ones byte for byte, renamed ones with their
 * new names); they parse as a chain of the approved count and pass the
 * structural checks above; deciding them again approves them unchanged
 * (after a rename or set-oem, when the rules no longer match the new names:
 * passes every built-in check); and counts and decisions agree.
 */
static const char *check_approval(const struct policy *p, const uint8_t *in, size_t len,
				  const struct domain_facts *facts, const struct verdict *v)
{
	struct findings f;
	struct area a = { 0 };
	struct verdict again;
	const char *why = NULL;
	bool renamed = false;
	size_t kept = 0;

	if (!v->area || v->length > len)
		return "approved without an area";
	if (hx_crc(v->area, v->length) != v->crc)
		return "checksum is not of the approved bytes";
	if (!hx_digest_is(v->area, v->length, v->digest))
		return "digest is not of the approved bytes";
	if (!all_zero(v->area + v->length, len - v->length))
		return "area not zeroed after the approved bytes";
	if (!v->changed && (v->length != len || memcmp(v->area, in, len)))
		return "unchanged, yet the bytes differ";
	for (size_t i = 0; i < v->nblobs; i++) {
		enum action act = v->blobs[i].action;

		if (!v->blobs[i].rule[0])
			return "a blob decision without a rule";
		if (act == ACTION_REJECT)
			return "approved with a blob decision to reject";
		kept += act != ACTION_DENY;
		renamed |= act == ACTION_RENAME || act == ACTION_SET_OEM;
		if (act == ACTION_DENY && !v->blobs[i].reason[0])
			return "a blob denied without a reason";
	}
	if (kept != v->count || v->count + v->dropped != v->nblobs)
		return "count and dropped disagree with the decisions";
	/* The rewrite: the kept blobs in order, an allowed one byte for byte. */
	for (size_t i = 0, pos = 0; i <= v->nblobs; i++) {
		const struct blob_decision *d = &v->blobs[i];

		if (i == v->nblobs) {
			if (pos != v->length)
				return "approved bytes are more than the kept blobs";
			break;
		}
		if (d->action == ACTION_DENY)
			continue;
		if (d->offset > len || d->size > len - d->offset || d->size > v->length - pos ||
		    le32(v->area + pos + 4) != d->size)
			return "a kept blob is not where the rewrite should have put it";
		if (d->action == ACTION_ALLOW && memcmp(v->area + pos, in + d->offset, d->size))
			return "an allowed blob was changed";
		if (d->action == ACTION_RENAME &&
		    (d->size < 12 || memcmp(v->area + pos + 8, d->new_name, 4)))
			return "a renamed device does not carry its new name";
		if (d->action == ACTION_SET_OEM) {
			char oem[7];

			snprintf(oem, sizeof(oem), "%-6s", d->new_oem_id);
			if (d->size < 8 + ACPI_HEADER_SIZE || memcmp(v->area + pos + 8 + 10, oem, 6))
				return "a table does not carry its new OEM id";
		}
		pos += d->size;
	}
	findings_init(&f);
	if (area_parse(v->area, v->length, (long long)v->count, 4096, &a, &f) || a.count != v->count)
		why = "approved bytes do not parse as a chain of the approved count";
	area_free(&a);
	findings_free(&f);
	if (why)
		return why;
	why = structure_ok(v->area, v->length);
	if (why)
		return why;
	if (evaluate(p, v->area, v->length, (long long)v->count, facts, &again))
		return "out of memory";
	if (renamed) {
		/* The rules matched the old names: only the built-in checks must hold. */
		if (!strncmp(again.rule, "builtin:", 8))
			why = "renamed bytes are refused by a built-in check";
		for (size_t i = 0; i < again.nblobs && !why; i++)
			if (!strncmp(again.blobs[i].rule, "builtin:", 8))
				why = "a renamed blob fails a built-in check";
	} else if (!again.approved) {
		why = "approved bytes are rejected when decided again";
	} else if (again.changed || again.length != v->length || again.count != v->count ||
		   again.crc != v->crc || strcmp(again.digest, v->digest) || again.dropped) {
		why = "approved bytes change when decided again";
	}
	verdict_free(&again);
	return why;
}

/* A built-in check of the malformed kind (SPEC section 5), not a forbidden one. */
static bool malformed_rule(const char *rule)
{
	static const char *const forbidden[] = { "table-xen-only", "ns-collision", "aml-escape",
						 "aml-load", "aml-unresolved", "aml-outside-write",
						 "aml-outside-ref", "aml-outside-call" };

	if (strncmp(rule, "builtin:", 8))
		return false;
	for (size_t i = 0; i < sizeof(forbidden) / sizeof(forbidden[0]); i++)
		if (!strcmp(rule + 8, forbidden[i]))
			return false;
	return true;
}

static const char *check_one(const struct run *r, uint64_t i, const struct mutant *mu,
			     bool *malformed)
{
	const struct policy *p = r->policies[i % r->npolicies];
	struct shared *sh = r->sh;
	const char *why = NULL;
	struct verdict v;

	*malformed = false;
	if (evaluate(p, mu->buf, mu->len, mu->count, &r->facts, &v))
		return "out of memory";
	*malformed = malformed_rule(v.rule);
	for (size_t b = 0; b < v.nblobs; b++) {
		*malformed |= malformed_rule(v.blobs[b].rule);
		if (!strncmp(v.blobs[b].rule, "builtin:", 8))
			count_rule(sh, v.blobs[b].rule);
	}
	if (v.approved) {
		sh->approved++;
		why = check_approval(p, mu->buf, mu->len, &r->facts, &v);
	} else {
		sh->rejected++;
		count_rule(sh, v.rule[0] ? v.rule : "(none)");
		if (!v.reason[0] || !v.rule[0])
			why = "rejected without a rule or a reason";
		else if (v.area || v.length || v.count || v.crc || v.digest[0])
			why = "rejected, yet it carries an area";
	}
	for (unsigned k = 0; k < MUT_COUNT_OF_KINDS; k++) {
		if (!(mu->kinds & 1u << k))
			continue;
		sh->kinds[k].n++;
		if (v.approved)
			sh->kinds[k].approved++;
		else
			sh->kinds[k].rejected++;
	}
	verdict_free(&v);
	return why;
}

static void print_kinds(FILE *out, unsigned kinds)
{
	const char *sep = "";

	for (unsigned k = 0; k < MUT_COUNT_OF_KINDS; k++)
		if (kinds & 1u << k) {
			fprintf(out, "%s%s", sep, mutation_name(k));
			sep = ",";
		}
}

static uint64_t mutant_hash(const struct mutant *m)
{
	return (uint64_t)hx_crc(m->buf, m->len) << 32 ^ (uint64_t)m->len << 8 ^
	       (uint64_t)(m->count + 1);
}

static void decide_chunk(struct run *r, uint64_t first, uint64_t end)
{
	for (uint64_t i = first; i < end; i++) {
		struct mutant mu;
		const char *why;
		bool malformed;

		r->sh->current = i;
		if (mutant_make(r->seeds, r->nseeds, r->seed, i, &mu))
			hx_die("corpus: out of memory");
		r->sh->hashes[i] = mutant_hash(&mu);
		alarm(r->sh->hang_seconds);
		/* The harness proves it notices (corpus.sh checks these). */
		if (r->sh->inject_crash == i + 1)
			raise(SIGSEGV);
		if (r->sh->inject_hang == i + 1)
			for (;;)
				pause();
		why = check_one(r, i, &mu, &malformed);
		alarm(0);
		if (malformed)
			r->sh->hashes[r->count + i] = r->sh->hashes[i];
		if (why) {
			if (r->sh->failures++ < FAILURES_SHOWN) {
				printf("FAIL mutant=%" PRIu64 " seed-area=%zu kinds=", i, mu.seed);
				print_kinds(stdout, mu.kinds);
				printf(" count=%lld length=%zu: %s\n", mu.count, mu.len, why);
				fflush(stdout);
			}
		}
		mutant_free(&mu);
	}
}

static void write_repro(const struct run *r, const char *dir, uint64_t i)
{
	char path[4096];
	struct mutant mu;
	FILE *fp;

	if (!dir || mutant_make(r->seeds, r->nseeds, r->seed, i, &mu))
		return;
	snprintf(path, sizeof(path), "%s/crash-%" PRIu64 ".area", dir, i);
	fp = fopen(path, "wb");
	if (fp) {
		fwrite(mu.buf, 1, mu.len, fp);
		fclose(fp);
		printf("# its bytes: %s (count %lld)\n", path, mu.count);
	}
	mutant_free(&mu);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static int cmp_rules(const void *a, const void *b)
{
	const struct rule_count *x = a, *y = b;

	return x->n < y->n ? 1 : x->n > y->n ? -1 : strcmp(x->rule, y->rule);
}

static uint64_t count_distinct(uint64_t *h, uint64_t n)
{
	uint64_t distinct = 0;

	qsort(h, n, sizeof(uint64_t), cmp_u64);
	for (uint64_t i = 0; i < n; i++)
		distinct += h[i] && (i == 0 || h[i] != h[i - 1]);
	return distinct;
}

static int do_check(struct run *r, const char *repro, unsigned hang_seconds,
		    uint64_t inject_crash, uint64_t inject_hang)
{
	size_t shsize = sizeof(struct shared) + 2 * r->count * sizeof(uint64_t);
	uint64_t next = 0, crashes = 0, hangs = 0, distinct, malformed;
	double t0 = hx_now();
	struct shared *sh;

	sh = mmap(NULL, shsize, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED)
		hx_die("corpus: mmap: %s", strerror(errno));
	r->sh = sh;
	sh->hang_seconds = hang_seconds;
	sh->inject_crash = inject_crash;
	sh->inject_hang = inject_hang;
	while (next < r->count) {
		uint64_t end = next + CHUNK < r->count ? next + CHUNK : r->count;
		pid_t pid;
		int st;

		fflush(stdout);
		pid = fork();
		if (pid < 0)
			hx_die("corpus: fork: %s", strerror(errno));
		if (pid == 0) {
			decide_chunk(r, next, end);
			fflush(stdout);
			_exit(0);
		}
		if (waitpid(pid, &st, 0) < 0)
			hx_die("corpus: waitpid: %s", strerror(errno));
		if (WIFSIGNALED(st) || (WIFEXITED(st) && WEXITSTATUS(st))) {
			bool hang = WIFSIGNALED(st) && WTERMSIG(st) == SIGALRM;

			hangs += hang;
			crashes += !hang;
			printf("%s mutant=%" PRIu64 ": %s %d\n", hang ? "HANG" : "CRASH", sh->current,
			       WIFSIGNALED(st) ? "signal" : "exit status",
			       WIFSIGNALED(st) ? WTERMSIG(st) : WEXITSTATUS(st));
			write_repro(r, repro, sh->current);
			next = sh->current + 1;	/* go on after the culprit */
		} else {
			next = end;
		}
	}
	distinct = count_distinct(sh->hashes, r->count);
	malformed = count_distinct(sh->hashes + r->count, r->count);
	printf("corpus: mutants=%" PRIu64 " distinct=%" PRIu64 " distinct-malformed=%" PRIu64
	       " approved=%" PRIu64 " rejected=%" PRIu64 " failures=%" PRIu64 " crashes=%" PRIu64
	       " hangs=%" PRIu64 " seconds=%.1f\n",
	       r->count, distinct, malformed, sh->approved, sh->rejected, sh->failures, crashes,
	       hangs, hx_now() - t0);
	for (unsigned k = 0; k < MUT_COUNT_OF_KINDS; k++)
		printf("kind %s: n=%" PRIu64 " approved=%" PRIu64 " rejected=%" PRIu64 "\n",
		       mutation_name(k), sh->kinds[k].n, sh->kinds[k].approved, sh->kinds[k].rejected);
	qsort(sh->rules, MAX_RULES, sizeof(sh->rules[0]), cmp_rules);
	for (size_t i = 0; i < MAX_RULES && sh->rules[i].n; i++)
		printf("rule %s: %" PRIu64 "\n", sh->rules[i].rule, sh->rules[i].n);
	return sh->failures || crashes || hangs ? 1 : 0;
}

static int do_write(struct run *r, const char *dir, uint64_t first, uint64_t step)
{
	for (uint64_t j = 0; j < r->count; j++) {
		uint64_t i = first + j * step;
		char path[4096];
		struct mutant mu;
		FILE *fp;

		if (mutant_make(r->seeds, r->nseeds, r->seed, i, &mu))
			hx_die("corpus: out of memory");
		snprintf(path, sizeof(path), "%s/%05" PRIu64 ".area", dir, i);
		fp = fopen(path, "wb");
		if (!fp || fwrite(mu.buf, 1, mu.len, fp) != mu.len || fclose(fp))
			hx_die("corpus: %s: %s", path, strerror(errno));
		snprintf(path, sizeof(path), "%s/%05" PRIu64 ".count", dir, i);
		fp = fopen(path, "w");
		if (!fp)
			hx_die("corpus: %s: %s", path, strerror(errno));
		if (mu.count < 0)
			fprintf(fp, "-\n");
		else
			fprintf(fp, "%lld\n", mu.count);
		if (fclose(fp))
			hx_die("corpus: %s: %s", path, strerror(errno));
		mutant_free(&mu);
	}
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "seed", required_argument, NULL, 's' },
		{ "count", required_argument, NULL, 'n' },
		{ "policy", required_argument, NULL, 'p' },
		{ "key", required_argument, NULL, 'k' },
		{ "name", required_argument, NULL, 'N' },
		{ "repro", required_argument, NULL, 'r' },
		{ "first", required_argument, NULL, 'f' },
		{ "step", required_argument, NULL, 'S' },
		{ "dir", required_argument, NULL, 'd' },
		{ "hang-seconds", required_argument, NULL, 'T' },
		{ "inject-crash", required_argument, NULL, 'C' },
		{ "inject-hang", required_argument, NULL, 'H' },
		{ NULL, 0, NULL, 0 },
	};
	static struct domain_key keys[MAX_KEYS];
	struct run r = { .seed = 1, .count = 10000, .facts = { .name = "" } };
	const char *repro = NULL, *dir = NULL, *mode;
	uint64_t first = 0, step = 1, inject_crash = 0, inject_hang = 0;
	unsigned hang_seconds = 10;
	int c, rc;

	if (argc < 2)
		hx_die("usage: corpus check|write [OPTIONS] AREA...");
	mode = argv[1];
	optind = 2;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 's': r.seed = strtoull(optarg, NULL, 0); break;
		case 'n': r.count = strtoull(optarg, NULL, 0); break;
		case 'p': {
			struct diags d;

			if (r.npolicies == MAX_POLICIES)
				hx_die("corpus: at most %d policies", MAX_POLICIES);
			diags_init(&d);
			r.policies[r.npolicies] = policy_load(optarg, NULL, &d);
			diags_print(&d, stderr);
			diags_free(&d);
			if (!r.policies[r.npolicies++])
				return 2;
			break;
		}
		case 'k': {
			char *eq = strchr(optarg, '=');

			if (!eq || r.facts.nkeys == MAX_KEYS)
				hx_die("corpus: --key PATH=VALUE");
			*eq = '\0';
			keys[r.facts.nkeys].path = optarg;
			keys[r.facts.nkeys++].value = eq + 1;
			break;
		}
		case 'N': r.facts.name = optarg; break;
		case 'r': repro = optarg; break;
		case 'f': first = strtoull(optarg, NULL, 0); break;
		case 'S': step = strtoull(optarg, NULL, 0); break;
		case 'd': dir = optarg; break;
		case 'T': hang_seconds = (unsigned)strtoul(optarg, NULL, 0); break;
		case 'C': inject_crash = strtoull(optarg, NULL, 0) + 1; break;
		case 'H': inject_hang = strtoull(optarg, NULL, 0) + 1; break;
		default: return 2;
		}
	}
	r.facts.keys = keys;
	for (int i = optind; i < argc; i++) {
		uint8_t *buf;
		size_t len;

		if (r.nseeds == MAX_SEEDS)
			hx_die("corpus: at most %d seed areas", MAX_SEEDS);
		if (read_file(argv[i], 1u << 20, &buf, &len) || !len)
			hx_die("corpus: %s: %s", argv[i], len ? strerror(errno) : "empty");
		r.seeds[r.nseeds++] = (struct seed_area){ buf, len };
	}
	if (!r.nseeds || !r.count)
		hx_die("corpus: no seed areas or no mutants");
	if (!strcmp(mode, "check")) {
		if (!r.npolicies)
			hx_die("corpus check: needs --policy");
		rc = do_check(&r, repro, hang_seconds ? hang_seconds : 1, inject_crash, inject_hang);
	} else if (!strcmp(mode, "write")) {
		if (!dir || !step)
			hx_die("corpus write: needs --dir and a non-zero --step");
		rc = do_write(&r, dir, first, step);
	} else {
		hx_die("corpus: unknown mode '%s'", mode);
	}
	for (size_t i = 0; i < r.nseeds; i++)
		free((void *)r.seeds[i].buf);
	for (size_t i = 0; i < r.npolicies; i++)
		policy_free(r.policies[i]);
	return rc;
}
