// SPDX-License-Identifier: GPL-2.0-or-later
/* The rewriter on its own: compaction, zeroed tail, rename, set-oem. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "policy-areas.h"
#include "rewrite.h"

struct three {
	struct area_builder b;
	struct area a;
	struct blob_decision dec[3];
	uint8_t out[512];
};

/* 0 table AAAA (40), 1 device NVDR, 2 table CCCC (44). */
static void build(struct three *t)
{
	uint8_t tbl[44];
	struct findings f;

	memset(t, 0, sizeof(*t));
	area_builder_init(&t->b);
	make_table(tbl, 40, "AAAA", "OEM", "TBL", 1);
	assert_int_equal(area_add(&t->b, BLOB_TABLE, tbl, 40), 0);
	assert_int_equal(area_add_device(&t->b, "NVDR", BODY_HID, sizeof(BODY_HID)), 0);
	make_table(tbl, 44, "CCCC", "OEM", "TBL", 1);
	assert_int_equal(area_add(&t->b, BLOB_TABLE, tbl, 44), 0);
	findings_init(&f);
	assert_int_equal(area_parse(t->b.buf, t->b.len, 3, 64, &t->a, &f), 0);
	findings_free(&f);
	memset(t->out, 0xee, sizeof(t->out));
}

static void done(struct three *t)
{
	area_free(&t->a);
	area_builder_free(&t->b);
}

static void test_keep_all(void **state)
{
	struct three t;
	size_t count;

	(void)state;
	build(&t);
	assert_int_equal(rewrite_area(t.b.buf, t.b.len, &t.a, t.dec, t.out, &count), t.b.len);
	assert_int_equal(count, 3);
	assert_memory_equal(t.out, t.b.buf, t.b.len);
	done(&t);
}

static void test_compaction(void **state)
{
	struct three t;
	size_t count, len, first = 48, second;
	uint8_t zeros[64] = { 0 };
	static const uint8_t all_zeros[sizeof(t.out)];

	(void)state;
	build(&t);
	second = t.a.blobs[1].size;
	t.dec[1].action = ACTION_DENY;
	len = rewrite_area(t.b.buf, t.b.len, &t.a, t.dec, t.out, &count);
	assert_int_equal(count, 2);
	assert_int_equal(len, t.b.len - second);
	/* The third blob moved down over the second, the tail is zeroed and
	 * nothing past the input length is touched. */
	assert_memory_equal(t.out, t.b.buf, first);
	assert_memory_equal(t.out + first, t.b.buf + first + second, 52);
	assert_memory_equal(t.out + len, zeros, second);
	assert_int_equal(t.out[t.b.len], 0xee);
	/* Everything dropped: the whole input length zeroed, nothing past it
	 * touched.  The output is refilled so that no zero left by the call
	 * above passes for one written by this one. */
	t.dec[0].action = ACTION_REJECT;
	t.dec[2].action = ACTION_DENY;
	memset(t.out, 0xee, sizeof(t.out));
	assert_int_equal(rewrite_area(t.b.buf, t.b.len, &t.a, t.dec, t.out, &count), 0);
	assert_int_equal(count, 0);
	assert_true(t.b.len <= sizeof(all_zeros));
	assert_memory_equal(t.out, all_zeros, t.b.len);
	assert_int_equal(t.out[t.b.len], 0xee);
	done(&t);
}

static void test_rename_and_set_oem(void **state)
{
	struct three t;
	size_t count, len;

	(void)state;
	build(&t);
	t.dec[1].action = ACTION_RENAME;
	memcpy(t.dec[1].new_name, "NVD1", 5);
	t.dec[2].action = ACTION_SET_OEM;
	strcpy(t.dec[2].new_oem_id, "XEN");
	strcpy(t.dec[2].new_oem_table_id, "XENTABLE");
	t.dec[0].action = ACTION_SET_OEM;
	strcpy(t.dec[0].new_oem_id, "ABCDEF");
	len = rewrite_area(t.b.buf, t.b.len, &t.a, t.dec, t.out, &count);
	assert_int_equal(len, t.b.len);
	assert_int_equal(count, 3);
	assert_memory_equal(t.out + 8 + 10, "ABCDEFTBL     ", 14);
	assert_int_equal(table_sum(t.out + 8, 40), 0);
	assert_memory_equal(t.out + 48 + 8, "NVD1", 4);
	assert_memory_equal(t.out + 48 + 12, t.b.buf + 48 + 12, t.a.blobs[1].size - 12);
	assert_memory_equal(t.out + t.a.blobs[2].offset + 8 + 10, "XEN   XENTABLE", 14);
	assert_int_equal(table_sum(t.out + t.a.blobs[2].offset + 8, 44), 0);
	done(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keep_all),
		cmocka_unit_test(test_compaction),
		cmocka_unit_test(test_rename_and_set_oem),
	};

	return cmocka_run_group_tests_name("rewrite", tests, NULL, NULL);
}
