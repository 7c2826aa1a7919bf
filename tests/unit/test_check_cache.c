// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The check cache: a blob met again, at any offset, gets what
 * validate_blob() says of it there; only AML blobs are kept; the bounds
 * hold; a cleared cache, or another Xen namespace, knows nothing.
 * (tests/policy/verdicts.sh compares whole decisions over the corpus.)
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "check-cache.h"
#include "namespace.h"
#include "policy-areas.h"

/* Method (_STA, 0) { Store (One, \_SB.FOO) }: a write outside the device,
 * a FORBIDDEN finding with an offset, and an unresolved reference. */
static const uint8_t BODY_WRITE[] = { 0x14, 0x12, '_', 'S', 'T', 'A', 0x00, 0x70, 0x01,
				      '\\', 0x2e, '_', 'S', 'B', '_', 'F', 'O', 'O', '_' };
/* A Name whose String has no NUL: MALFORMED. */
static const uint8_t BODY_BAD[] = { 0x08, 'A', 'B', 'C', 'D', 0x0d, 'x', 'y' };

struct built {
	struct area_builder b;
	struct area a;
};

/* An area of an optional TEST table (to move what follows), then a
 * device of each body: NVDR with BODY_WRITE, NVDS with the others. */
static void build(struct built *x, bool table, const uint8_t *body0, size_t len0,
		  const uint8_t *body1, size_t len1)
{
	struct findings f;
	uint8_t t[40];

	area_builder_init(&x->b);
	if (table) {
		make_table(t, sizeof(t), "TEST", "OEMID", "TABLEID", 2);
		assert_int_equal(area_add(&x->b, BLOB_TABLE, t, sizeof(t)), 0);
	}
	assert_int_equal(area_add_device(&x->b, body0 == BODY_WRITE ? "NVDR" : "NVDS", body0, len0),
			 0);
	if (body1)
		assert_int_equal(area_add_device(&x->b, body1 == BODY_WRITE ? "NVDR" : "NVDS", body1,
						 len1), 0);
	findings_init(&f);
	assert_int_equal(area_parse(x->b.buf, x->b.len, -1, 64, &x->a, &f), 0);
	findings_free(&f);
}

static void built_free(struct built *x)
{
	area_free(&x->a);
	area_builder_free(&x->b);
}

static void assert_same_check(const struct blob_check *a, const struct blob_check *b)
{
	assert_ptr_equal(a->blob, b->blob);
	assert_int_equal(a->findings.n, b->findings.n);
	assert_int_equal(a->findings.lost, b->findings.lost);
	for (size_t i = 0; i < a->findings.n; i++) {
		assert_int_equal(a->findings.v[i].kind, b->findings.v[i].kind);
		assert_string_equal(a->findings.v[i].check, b->findings.v[i].check);
		assert_int_equal(a->findings.v[i].offset, b->findings.v[i].offset);
		assert_string_equal(a->findings.v[i].message, b->findings.v[i].message);
	}
	assert_int_equal(a->has_header, b->has_header);
	assert_int_equal(a->has_aml, b->has_aml);
	assert_int_equal(a->aml.nobjs, b->aml.nobjs);
	assert_int_equal(a->aml.nrefs, b->aml.nrefs);
	for (size_t i = 0; i < a->aml.nobjs; i++) {
		const struct aml_object *x = &a->aml.objs[i], *y = &b->aml.objs[i];

		assert_int_equal(x->nseg, y->nseg);
		assert_memory_equal(x->seg, y->seg, x->nseg * sizeof(x->seg[0]));
		assert_int_equal(x->type, y->type);
		assert_int_equal(x->argc, y->argc);
		assert_int_equal(x->in_known, y->in_known);
		assert_int_equal(x->offset, y->offset);
	}
	for (size_t i = 0; i < a->aml.nrefs; i++) {
		const struct aml_ref *x = &a->aml.refs[i], *y = &b->aml.refs[i];

		assert_string_equal(x->scope, y->scope);
		assert_string_equal(x->name, y->name);
		assert_int_equal(x->offset, y->offset);
		assert_int_equal(x->call, y->call);
		assert_int_equal(x->resolved, y->resolved);
	}
	assert_string_equal(a->aml.hid, b->aml.hid);
	assert_string_equal(a->object, b->object);
}

/* Checks blob i of x through c against validate_blob(); returns whether
 * c answered (a hit). */
static bool ask(struct check_cache *c, const struct built *x, size_t i, const struct ns *xen)
{
	struct blob_check got, want;
	size_t h0, h1, m;

	check_cache_counts(c, &h0, &m);
	check_cache_validate(c, &x->a.blobs[i], xen, &got);
	validate_blob(&x->a.blobs[i], xen, &want);
	assert_same_check(&got, &want);
	blob_check_free(&got);
	blob_check_free(&want);
	check_cache_counts(c, &h1, &m);
	return h1 > h0;
}

static void test_same_blob_elsewhere(void **state)
{
	struct check_cache *c = check_cache_new(8, 1 << 20);
	struct built x, y;
	size_t hits, misses;

	(void)state;
	build(&x, false, BODY_WRITE, sizeof(BODY_WRITE), BODY_BAD, sizeof(BODY_BAD));
	build(&y, true, BODY_BAD, sizeof(BODY_BAD), BODY_WRITE, sizeof(BODY_WRITE));
	assert_true(x.a.blobs[0].offset != y.a.blobs[2].offset);
	/* Each has findings, with offsets to move: a write outside the
	 * device (and its reference), and a String without its NUL. */
	for (size_t i = 0; i < 2; i++) {
		struct blob_check k;

		validate_blob(&x.a.blobs[i], NULL, &k);
		assert_true(findings_have(&k.findings, i ? FINDING_MALFORMED : FINDING_FORBIDDEN));
		assert_true(i || (k.aml.nobjs && k.aml.nrefs));
		blob_check_free(&k);
	}
	assert_false(ask(c, &x, 0, NULL));
	assert_false(ask(c, &x, 1, NULL));
	/* The same bytes, each at another offset, and the same again. */
	assert_true(ask(c, &y, 2, NULL));
	assert_true(ask(c, &y, 1, NULL));
	assert_true(ask(c, &x, 0, NULL));
	/* The table has no AML: checked each time, never kept. */
	assert_false(ask(c, &y, 0, NULL));
	assert_false(ask(c, &y, 0, NULL));
	check_cache_counts(c, &hits, &misses);
	assert_int_equal(hits, 3);
	assert_int_equal(misses, 2);
	/* Cleared, it knows nothing. */
	check_cache_clear(c);
	assert_false(ask(c, &y, 2, NULL));
	assert_true(ask(c, &x, 0, NULL));
	/* No cache: validate_blob() itself. */
	assert_false(ask(NULL, &x, 0, NULL));
	built_free(&x);
	built_free(&y);
	check_cache_free(c);
}

static void test_other_namespace(void **state)
{
	struct check_cache *c = check_cache_new(8, 1 << 20);
	struct ns *xen = ns_new();
	struct built x;

	(void)state;
	assert_non_null(xen);
	assert_int_equal(ns_add(xen, "\\_SB_.FOO_", AML_OBJ_NAME, 0), 1);
	build(&x, false, BODY_WRITE, sizeof(BODY_WRITE), NULL, 0);
	assert_false(ask(c, &x, 0, NULL));
	assert_false(ask(c, &x, 0, xen));
	assert_true(ask(c, &x, 0, xen));
	assert_true(ask(c, &x, 0, NULL));
	/* A namespace made after xen is gone, perhaps at its address, is
	 * another: what the blob's checks say may differ there. */
	ns_free(xen);
	xen = ns_new();
	assert_non_null(xen);
	assert_false(ask(c, &x, 0, xen));
	assert_true(ask(c, &x, 0, xen));
	built_free(&x);
	ns_free(xen);
	check_cache_free(c);
}

static void test_bounds(void **state)
{
	struct check_cache *c = check_cache_new(0, 1 << 20);
	struct built x, y;

	(void)state;
	build(&x, false, BODY_WRITE, sizeof(BODY_WRITE), BODY_BAD, sizeof(BODY_BAD));
	build(&y, false, BODY_HID, sizeof(BODY_HID), NULL, 0);
	/* No entries: nothing kept. */
	assert_false(ask(c, &x, 0, NULL));
	assert_false(ask(c, &x, 0, NULL));
	check_cache_free(c);
	/* Two entries, three blobs in turn: the least recently used goes. */
	c = check_cache_new(2, 1 << 20);
	assert_false(ask(c, &x, 0, NULL));
	assert_false(ask(c, &x, 1, NULL));
	assert_true(ask(c, &x, 0, NULL));
	assert_false(ask(c, &y, 0, NULL));	/* evicts x's blob 1 */
	assert_true(ask(c, &x, 0, NULL));
	assert_false(ask(c, &x, 1, NULL));
	check_cache_free(c);
	/* Too few bytes for a blob's checks (a quarter of the bound each). */
	c = check_cache_new(8, 64);
	assert_false(ask(c, &x, 0, NULL));
	assert_false(ask(c, &x, 0, NULL));
	check_cache_free(c);
	built_free(&x);
	built_free(&y);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_blob_elsewhere),
		cmocka_unit_test(test_other_namespace),
		cmocka_unit_test(test_bounds),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
