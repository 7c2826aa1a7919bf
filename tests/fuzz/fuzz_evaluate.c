// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A whole decision on an arbitrary area, as the daemon makes it: built-in
 * checks, rules, renames and OEM rewrites, collisions and unresolved
 * references among approved blobs, compaction.  Two policies: one that
 * drops what fails and rewrites, one that rejects the area on any failure.
 * With top_srcdir set (make check), Xen's DSDT from tests/data is the
 * namespace the blobs must fit into.  Every approval must be consistent:
 * its length and count describe the bytes it hands back.  The decision
 * cache must give the very same answer, and answer a repeat from itself;
 * the blob checks it keeps from every earlier input (check-cache.h) and
 * from earlier blobs of this one play their part in the first answer.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "area.h"
#include "decision-cache.h"
#include "evaluate.h"
#include "policy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char rules[] =
	"deny table APIC HPET WAET SRAT SLIT FACP DSDT reason \"Xen builds this table\"\n"
	"reject any if size > 64K reason \"oversized blob\"\n"
	"rename device NVDR to NVD1 if domain-key platform/nvdimm == \"1\"\n"
	"set-oem table NFIT to XENVM XENNFIT\n"
	"allow table NFIT SSDT if domain-key platform/nvdimm == \"1\"\n"
	"allow device *\n";

static struct policy *make_policy(const char *settings)
{
	const char *top = getenv("top_srcdir");
	char ns[4096] = "", *text;
	struct policy *p;
	struct diags d;
	size_t len;

	if (top)
		snprintf(ns, sizeof(ns), "xen-namespace %s/tests/data/xen/DSDT_20920.aml\n", top);
	len = strlen(settings) + strlen(ns) + sizeof(rules);
	text = malloc(len);
	if (!text)
		abort();
	snprintf(text, len, "%s%s%s", settings, ns, rules);
	diags_init(&d);
	p = policy_parse_buffer("fuzz.policy", text, strlen(text), &d);
	if (!p) {
		diags_print(&d, stderr);
		abort();
	}
	diags_free(&d);
	free(text);
	return p;
}

static bool same_verdict(const struct verdict *a, const struct verdict *b, size_t len)
{
	return a->approved == b->approved && !strcmp(a->reason, b->reason) &&
	       !strcmp(a->rule, b->rule) && a->nblobs == b->nblobs &&
	       (!a->nblobs || !memcmp(a->blobs, b->blobs, a->nblobs * sizeof(*a->blobs))) &&
	       a->length == b->length && a->count == b->count && a->dropped == b->dropped &&
	       a->crc == b->crc && !strcmp(a->digest, b->digest) && a->changed == b->changed &&
	       !a->area == !b->area && (!a->area || !memcmp(a->area, b->area, len));
}

/* Asked twice, c answers as v did, the second time from itself. */
static void ask_cache(struct decision_cache *c, const struct policy *p, const uint8_t *data,
		      size_t size, long long count, const struct domain_facts *dom,
		      const struct verdict *v)
{
	for (int i = 0; i < 2; i++) {
		struct verdict w;
		bool hit;

		if (evaluate_cached(c, p, data, size, count, dom, 0, &w, &hit) < 0)
			return;
		if (!same_verdict(v, &w, size) || (i == 1 && !hit))
			abort();
		verdict_free(&w);
	}
}

static void decide(const struct policy *p, struct decision_cache *c, const uint8_t *data,
		   size_t size, long long count)
{
	static const struct domain_key keys[] = { { "platform/nvdimm", "1" } };
	const struct domain_facts dom = { 5, 0, "guest-5", keys, 1 };
	struct verdict v;

	if (evaluate(p, data, size, count, &dom, &v) < 0)
		return;
	ask_cache(c, p, data, size, count, &dom, &v);
	if (v.approved) {
		struct area again;
		struct findings f;
		char digest[DIGEST_TEXT_SIZE];

		/* The approved area is what it claims to be. */
		if (v.length > size || (v.length && !v.area) ||
		    (v.length && crc32(0, v.area, (uInt)v.length) != v.crc))
			abort();
		if (digest_text(v.area, v.length, digest) < 0 || strcmp(digest, v.digest))
			abort();
		findings_init(&f);
		if (area_parse(v.area, v.length, (long long)v.count, 4096, &again, &f) < 0 ||
		    again.count != v.count)
			abort();
		area_free(&again);
		findings_free(&f);
	}
	verdict_free(&v);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct policy *drop, *reject;
	static struct decision_cache *drop_cache, *reject_cache;

	if (!drop) {
		drop = make_policy("on-invalid drop\nmax-blobs 256\n");
		reject = make_policy("on-invalid reject\nmax-blobs 256\n");
		drop_cache = decision_cache_new(4, 64u << 20);
		reject_cache = decision_cache_new(4, 64u << 20);
		if (!drop_cache || !reject_cache)
			abort();
	}
	decide(drop, drop_cache, data, size, -1);
	decide(reject, reject_cache, data, size, -1);
	return 0;
}
