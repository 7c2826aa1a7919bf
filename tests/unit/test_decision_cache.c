// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The decision cache: a repeated question gets the very answer evaluate_ex()
 * gives, and any difference the policy could see (a byte, the count, the
 * flags, a key, the name when a rule tests names) is a new question.  The
 * bounds hold, and a cleared cache knows nothing.
 */
#define _GNU_SOURCE /* memmem */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "decision-cache.h"
#include "policy-areas.h"
#include "policy.h"

/* Approves TEST for platform/nvdimm=1 and renames TEST's OEM ID, so the
 * approved area differs from the input; drops everything else. */
static const char POLICY[] =
	"set-oem table TEST to NEWOEM if domain-key platform/nvdimm == \"1\"\n"
	"allow device NVDR if hid \"ACPI0012\"\n";
static const char POLICY_NAMES[] = "allow any if domain-name \"web-*\"\n";

static struct policy *parse(const char *text)
{
	struct diags d;
	struct policy *p;

	diags_init(&d);
	p = policy_parse_buffer("t.policy", text, strlen(text), &d);
	if (!p)
		diags_print(&d, stderr);
	assert_non_null(p);
	diags_free(&d);
	return p;
}

static void build(struct area_builder *b, const char *oem)
{
	uint8_t t[40];

	make_table(t, sizeof(t), "TEST", oem, "TABLEID", 2);
	area_builder_init(b);
	assert_int_equal(area_add(b, BLOB_TABLE, t, sizeof(t)), 0);
	assert_int_equal(area_add_device(b, "NVDR", BODY_HID, sizeof(BODY_HID)), 0);
}

static struct domain_key keys_on[] = { { "platform/nvdimm", "1" } };
static struct domain_key keys_off[] = { { "platform/nvdimm", "0" } };

static struct domain_facts facts(const char *name, const struct domain_key *k)
{
	struct domain_facts d = { 7, 0, name, k, k ? 1 : 0 };

	return d;
}

static void assert_same_verdict(const struct verdict *a, const struct verdict *b, size_t len)
{
	assert_int_equal(a->approved, b->approved);
	assert_string_equal(a->reason, b->reason);
	assert_string_equal(a->rule, b->rule);
	assert_int_equal(a->nblobs, b->nblobs);
	assert_memory_equal(a->blobs, b->blobs, a->nblobs * sizeof(*a->blobs));
	assert_int_equal(a->length, b->length);
	assert_int_equal(a->count, b->count);
	assert_int_equal(a->dropped, b->dropped);
	assert_int_equal(a->crc, b->crc);
	assert_string_equal(a->digest, b->digest);
	assert_int_equal(a->changed, b->changed);
	assert_int_equal(a->area == NULL, b->area == NULL);
	if (a->area)
		assert_memory_equal(a->area, b->area, len);
}

/* Asks c, checks the answer against a fresh evaluate_ex(); returns hit. */
static bool ask(struct decision_cache *c, const struct policy *p, const struct area_builder *b,
		long long count, const struct domain_facts *d, unsigned flags)
{
	struct verdict got, want;
	bool hit;

	assert_int_equal(evaluate_cached(c, p, b->buf, b->len, count, d, flags, &got, &hit), 0);
	assert_int_equal(evaluate_ex(p, b->buf, b->len, count, d, flags, &want), 0);
	assert_same_verdict(&got, &want, b->len);
	verdict_free(&got);
	verdict_free(&want);
	return hit;
}

static void test_repeat_is_the_same_answer(void **state)
{
	struct policy *p = parse(POLICY);
	struct decision_cache *c = decision_cache_new(8, 1 << 20);
	struct area_builder b;
	struct domain_facts on = facts("a", keys_on);
	struct verdict v;
	size_t asked, reused;
	bool hit;

	(void)state;
	build(&b, "OEMID");
	assert_false(ask(c, p, &b, 2, &on, 0));
	assert_true(ask(c, p, &b, 2, &on, 0));
	/* The copy is the caller's: freeing it leaves the kept answer whole. */
	assert_int_equal(evaluate_cached(c, p, b.buf, b.len, 2, &on, 0, &v, &hit), 0);
	assert_true(hit && v.approved && v.changed && v.count == 2);
	assert_non_null(memmem(v.area, v.length, "NEWOEM", 6));
	verdict_free(&v);
	assert_true(ask(c, p, &b, 2, &on, 0));
	/* The domain's name and id play no part when no rule tests names. */
	{
		struct domain_facts other = facts("b", keys_on);

		other.domid = 9;
		assert_true(ask(c, p, &b, 2, &other, 0));
	}
	/* Counted for STATUS=; a clear forgets the answers, not the counts. */
	decision_cache_counts(c, &asked, &reused);
	assert_int_equal(asked, 5);
	assert_int_equal(reused, 4);
	decision_cache_clear(c);
	assert_false(ask(c, p, &b, 2, &on, 0));
	decision_cache_counts(c, &asked, &reused);
	assert_int_equal(asked, 6);
	assert_int_equal(reused, 4);
	/* Without a cache, the evaluation itself. */
	assert_false(ask(NULL, p, &b, 2, &on, 0));
	decision_cache_counts(NULL, &asked, &reused);
	assert_int_equal(asked + reused, 0);
	/* A cache of no entries keeps nothing and still answers. */
	decision_cache_free(c);
	c = decision_cache_new(0, 1 << 20);
	assert_false(ask(c, p, &b, 2, &on, 0));
	assert_false(ask(c, p, &b, 2, &on, 0));
	area_builder_free(&b);
	decision_cache_free(c);
	policy_free(p);
}

static void test_every_difference_is_a_new_question(void **state)
{
	struct policy *p = parse(POLICY);
	struct decision_cache *c = decision_cache_new(32, 1 << 20);
	struct area_builder b, b2;
	struct domain_facts on = facts("a", keys_on), off = facts("a", keys_off);
	struct domain_facts none = facts("a", NULL);
	struct domain_key nullval[] = { { "platform/nvdimm", NULL } };
	struct domain_facts absent = facts("a", nullval);

	(void)state;
	build(&b, "OEMID");
	build(&b2, "OEMID");
	assert_false(ask(c, p, &b, 2, &on, 0));
	/* The last byte. */
	b2.buf[b2.len - 1] ^= 1;
	assert_false(ask(c, p, &b2, 2, &on, 0));
	/* The first byte. */
	b2.buf[b2.len - 1] ^= 1;
	b2.buf[0] ^= 0x20;
	assert_false(ask(c, p, &b2, 2, &on, 0));
	assert_false(ask(c, p, &b, 1, &on, 0));
	assert_false(ask(c, p, &b, -1, &on, 0));
	assert_false(ask(c, p, &b, 2, &on, EVALUATE_PERMISSIVE));
	assert_false(ask(c, p, &b, 2, &off, 0));
	assert_false(ask(c, p, &b, 2, &none, 0));
	assert_false(ask(c, p, &b, 2, &absent, 0));
	/* A shorter area with the same first bytes. */
	b2.buf[0] ^= 0x20;
	b2.len--;
	assert_false(ask(c, p, &b2, 2, &on, 0));
	/* Each of them is now known. */
	assert_true(ask(c, p, &b2, 2, &on, 0));
	assert_true(ask(c, p, &b, 2, &absent, 0));
	assert_true(ask(c, p, &b, -1, &on, 0));
	assert_true(ask(c, p, &b, 2, &on, EVALUATE_PERMISSIVE));
	area_builder_free(&b);
	area_builder_free(&b2);
	decision_cache_free(c);
	policy_free(p);
}

static void test_names_when_tested(void **state)
{
	struct policy *p = parse(POLICY_NAMES);
	struct decision_cache *c = decision_cache_new(8, 1 << 20);
	struct area_builder b;
	struct domain_facts web1 = facts("web-1", NULL), web2 = facts("web-2", NULL);
	struct domain_facts db = facts("db-1", NULL), unnamed = facts(NULL, NULL);
	struct domain_facts empty = facts("", NULL);

	(void)state;
	build(&b, "OEMID");
	assert_false(ask(c, p, &b, -1, &web1, 0));
	assert_false(ask(c, p, &b, -1, &db, 0));
	assert_false(ask(c, p, &b, -1, &web2, 0));
	assert_true(ask(c, p, &b, -1, &web1, 0));
	assert_true(ask(c, p, &b, -1, &db, 0));
	/* An unknown name is "", as evaluate_ex() tests it. */
	assert_false(ask(c, p, &b, -1, &unnamed, 0));
	assert_true(ask(c, p, &b, -1, &empty, 0));
	area_builder_free(&b);
	decision_cache_free(c);
	policy_free(p);
}

static void test_bounds_and_clear(void **state)
{
	struct policy *p = parse(POLICY);
	struct decision_cache *c = decision_cache_new(2, 8192);
	struct area_builder a, b, d, big;
	struct domain_facts on = facts("a", keys_on);
	uint8_t t[1100];

	(void)state;
	build(&a, "A");
	build(&b, "B");
	build(&d, "D");
	assert_false(ask(c, p, &a, 2, &on, 0));
	assert_false(ask(c, p, &b, 2, &on, 0));
	/* a used last: d's entry pushes b out, not a. */
	assert_true(ask(c, p, &a, 2, &on, 0));
	assert_false(ask(c, p, &d, 2, &on, 0));
	assert_true(ask(c, p, &a, 2, &on, 0));
	assert_true(ask(c, p, &d, 2, &on, 0));
	assert_false(ask(c, p, &b, 2, &on, 0));
	/* More than a quarter of the bytes: decided, never kept. */
	make_table(t, sizeof(t), "TEST", "BIG", "TABLEID", 2);
	area_builder_init(&big);
	assert_int_equal(area_add(&big, BLOB_TABLE, t, sizeof(t)), 0);
	assert_false(ask(c, p, &big, 1, &on, 0));
	assert_false(ask(c, p, &big, 1, &on, 0));
	assert_true(ask(c, p, &b, 2, &on, 0));
	decision_cache_clear(c);
	assert_false(ask(c, p, &b, 2, &on, 0));
	assert_true(ask(c, p, &b, 2, &on, 0));
	area_builder_free(&a);
	area_builder_free(&b);
	area_builder_free(&d);
	area_builder_free(&big);
	decision_cache_free(c);
	policy_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_repeat_is_the_same_answer),
		cmocka_unit_test(test_every_difference_is_a_new_question),
		cmocka_unit_test(test_names_when_tested),
		cmocka_unit_test(test_bounds_and_clear),
	};

	return cmocka_run_group_tests_name("decision-cache", tests, NULL, NULL);
}
