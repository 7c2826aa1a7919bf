// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The bounded most-recently-used list under the decision and check
 * caches: order, both bounds, what it lets go of and when.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "mru.h"

static int dropped[16];
static size_t ndropped;

static void drop(void *e)
{
	dropped[ndropped++] = *(int *)e;
}

static int vals[8] = { 0, 1, 2, 3, 4, 5, 6, 7 };

static void order(const struct mru *m, const int *want, size_t n)
{
	assert_int_equal(m->n, n);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(*(int *)m->e[i], want[i]);
}

static void test_entries_bound(void **state)
{
	struct mru m;

	(void)state;
	ndropped = 0;
	assert_int_equal(mru_init(&m, 3, 1000, drop), 0);
	for (int i = 0; i < 4; i++)
		mru_push(&m, &vals[i], 10);
	order(&m, (int[]){ 3, 2, 1 }, 3);
	assert_int_equal(ndropped, 1);
	assert_int_equal(dropped[0], 0);
	assert_int_equal(m.bytes, 30);
	mru_touch(&m, 2);	/* 1 used: first, 2 now the oldest */
	order(&m, (int[]){ 1, 3, 2 }, 3);
	mru_push(&m, &vals[4], 10);
	order(&m, (int[]){ 4, 1, 3 }, 3);
	assert_int_equal(dropped[1], 2);
	mru_fini(&m);
	assert_int_equal(ndropped, 5);
}

static void test_bytes_bound(void **state)
{
	struct mru m;

	(void)state;
	ndropped = 0;
	assert_int_equal(mru_init(&m, 8, 100, drop), 0);
	assert_true(mru_fits(&m, 25));
	assert_false(mru_fits(&m, 26));	/* over a quarter */
	for (int i = 0; i < 4; i++)
		mru_push(&m, &vals[i], 25);
	assert_int_equal(m.bytes, 100);
	assert_int_equal(ndropped, 0);
	mru_push(&m, &vals[4], 20);	/* one must go, the oldest */
	order(&m, (int[]){ 4, 3, 2, 1 }, 4);
	assert_int_equal(m.bytes, 95);
	mru_touch(&m, 3);
	mru_push(&m, &vals[5], 10);	/* bytes kept per entry across moves */
	order(&m, (int[]){ 5, 1, 4, 3 }, 4);
	assert_int_equal(m.bytes, 80);
	mru_clear(&m);
	assert_int_equal(m.n, 0);
	assert_int_equal(m.bytes, 0);
	assert_int_equal(ndropped, 6);
	mru_fini(&m);
}

static void test_none_kept(void **state)
{
	struct mru m;

	(void)state;
	assert_int_equal(mru_init(&m, 0, 100, drop), 0);
	assert_false(mru_fits(&m, 1));
	mru_fini(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_entries_bound),
		cmocka_unit_test(test_bytes_bound),
		cmocka_unit_test(test_none_kept),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
