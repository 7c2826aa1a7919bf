// SPDX-License-Identifier: GPL-2.0-or-later
/* The blob area: parser (every structural error, overflow bait) and builder. */
#include "checks-data.h"

#include "area.h"
#include "text.h"

static void put_blob(uint8_t *p, uint32_t type, uint32_t size)
{
	put_le32(p, type);
	put_le32(p + 4, size);
}

static int parse(const uint8_t *buf, size_t len, long long count, size_t max,
		 struct area *a, struct findings *f)
{
	findings_free(f);	/* callers start from a zeroed list */
	return area_parse(buf, len, count, max, a, f);
}

static void test_empty(void **state)
{
	struct area a;
	struct findings f = { 0 };
	uint8_t dummy = 0;

	(void)state;
	assert_int_equal(parse(&dummy, 0, -1, 64, &a, &f), 0);
	assert_int_equal(a.count, 0);
	assert_no_findings(&f);
	area_free(&a);
	assert_int_equal(parse(&dummy, 0, 0, 64, &a, &f), 0);
	assert_no_findings(&f);
	area_free(&a);
	/* Missing blobs: the offset is the area's end. */
	assert_int_equal(parse(&dummy, 0, 1, 64, &a, &f), -1);
	assert_one_finding(&f, "area-count", FINDING_MALFORMED, 0);
	area_free(&a);
	findings_free(&f);
}

static void test_two_blobs(void **state)
{
	uint8_t buf[8 + 40 + 8 + 6];
	struct area a;
	struct findings f = { 0 };

	(void)state;
	memset(buf, 0, sizeof(buf));
	put_blob(buf, BLOB_TABLE, 48);
	memcpy(buf + 8, "NFIT", 4);
	put_blob(buf + 48, BLOB_DEVICE, 14);
	memcpy(buf + 56, "NVDR", 4);
	assert_int_equal(parse(buf, sizeof(buf), 2, 64, &a, &f), 0);
	assert_no_findings(&f);
	assert_int_equal(a.count, 2);
	assert_int_equal(a.blobs[0].type, BLOB_TABLE);
	assert_int_equal(a.blobs[0].offset, 0);
	assert_int_equal(a.blobs[0].size, 48);
	assert_int_equal(a.blobs[0].data_len, 40);
	assert_ptr_equal(a.blobs[0].data, buf + 8);
	assert_string_equal(a.blobs[0].name, "NFIT");
	assert_int_equal(a.blobs[1].type, BLOB_DEVICE);
	assert_int_equal(a.blobs[1].offset, 48);
	assert_int_equal(a.blobs[1].size, 14);
	assert_int_equal(a.blobs[1].data_len, 6);
	assert_string_equal(a.blobs[1].name, "NVDR");
	area_free(&a);

	/* Count mismatches: too few (offset = end), too many (the first extra). */
	assert_int_equal(parse(buf, sizeof(buf), 3, 64, &a, &f), -1);
	assert_one_finding(&f, "area-count", FINDING_MALFORMED, sizeof(buf));
	assert_int_equal(a.count, 2);
	area_free(&a);
	assert_int_equal(parse(buf, sizeof(buf), 1, 64, &a, &f), -1);
	assert_one_finding(&f, "area-count", FINDING_MALFORMED, 48);
	area_free(&a);
	assert_int_equal(parse(buf, sizeof(buf), 0, 64, &a, &f), -1);
	assert_one_finding(&f, "area-count", FINDING_MALFORMED, 0);
	area_free(&a);
	findings_free(&f);
}

static void test_header_only_blob(void **state)
{
	uint8_t buf[8];
	struct area a;
	struct findings f = { 0 };

	(void)state;
	put_blob(buf, BLOB_DEVICE, 8);
	assert_int_equal(parse(buf, sizeof(buf), -1, 64, &a, &f), 0);
	assert_int_equal(a.count, 1);
	assert_int_equal(a.blobs[0].data_len, 0);
	assert_string_equal(a.blobs[0].name, "");
	area_free(&a);
	findings_free(&f);
}

static void test_size_below_header(void **state)
{
	uint8_t buf[32] = { 0 };
	struct area a;
	struct findings f = { 0 };

	(void)state;
	for (uint32_t size = 0; size < 8; size++) {
		put_blob(buf, BLOB_TABLE, 16);
		put_blob(buf + 16, BLOB_TABLE, size);
		assert_int_equal(parse(buf, sizeof(buf), -1, 64, &a, &f), -1);
		assert_one_finding(&f, "area-size", FINDING_MALFORMED, 16);
		/* The blob before the break is still listed. */
		assert_int_equal(a.count, 1);
		area_free(&a);
	}
	findings_free(&f);
}

static void test_overrun(void **state)
{
	static const uint32_t bait[] = { 33, 0x100, 0x7fffffff, 0x80000000, 0xfffffff0,
					 0xfffffff8, 0xffffffff };
	uint8_t buf[32] = { 0 };
	struct area a;
	struct findings f = { 0 };

	(void)state;
	for (size_t i = 0; i < sizeof(bait) / sizeof(bait[0]); i++) {
		put_blob(buf, BLOB_TABLE, bait[i]);
		assert_int_equal(parse(buf, sizeof(buf), -1, 64, &a, &f), -1);
		assert_one_finding(&f, "area-overrun", FINDING_MALFORMED, 0);
		assert_int_equal(a.count, 0);
		area_free(&a);

		/* The same size at offset 16, where offset + size would wrap a
		 * 32-bit sum for the largest values. */
		put_blob(buf, BLOB_TABLE, 16);
		put_blob(buf + 16, BLOB_DEVICE, bait[i]);
		assert_int_equal(parse(buf, sizeof(buf), -1, 64, &a, &f), -1);
		assert_one_finding(&f, "area-overrun", FINDING_MALFORMED, 16);
		assert_int_equal(a.count, 1);
		area_free(&a);
	}
	/* Exactly fitting is fine. */
	put_blob(buf, BLOB_TABLE, 32);
	assert_int_equal(parse(buf, sizeof(buf), 1, 64, &a, &f), 0);
	area_free(&a);
	findings_free(&f);
}

static void test_trailing(void **state)
{
	uint8_t buf[24] = { 0 };
	struct area a;
	struct findings f = { 0 };

	(void)state;
	put_blob(buf, BLOB_TABLE, 16);
	for (size_t extra = 1; extra < 8; extra++) {
		assert_int_equal(parse(buf, 16 + extra, -1, 64, &a, &f), -1);
		assert_one_finding(&f, "area-trailing", FINDING_MALFORMED, 16);
		assert_int_equal(a.count, 1);
		area_free(&a);
	}
	/* A lone fragment. */
	assert_int_equal(parse(buf, 7, -1, 64, &a, &f), -1);
	assert_one_finding(&f, "area-trailing", FINDING_MALFORMED, 0);
	area_free(&a);
	findings_free(&f);
}

static void test_type(void **state)
{
	static const uint32_t bad[] = { 2, 3, 0x100, 0x80000000, 0xffffffff };
	uint8_t buf[24] = { 0 };
	struct area a;
	struct findings f = { 0 };

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		put_blob(buf, BLOB_DEVICE, 12);
		put_blob(buf + 12, bad[i], 12);
		assert_int_equal(parse(buf, sizeof(buf), -1, 64, &a, &f), -1);
		assert_one_finding(&f, "area-type", FINDING_MALFORMED, 12);
		area_free(&a);
	}
	findings_free(&f);
}

static void test_max_blobs(void **state)
{
	const size_t n = 10000;
	uint8_t *buf = calloc(n, 8);
	struct area a;
	struct findings f = { 0 };

	(void)state;
	assert_non_null(buf);
	for (size_t i = 0; i < n; i++)
		put_blob(buf + 8 * i, (uint32_t)(i & 1), 8);
	assert_int_equal(parse(buf, n * 8, (long long)n, n, &a, &f), 0);
	assert_no_findings(&f);
	assert_int_equal(a.count, n);
	assert_int_equal(a.blobs[n - 1].offset, (n - 1) * 8);
	area_free(&a);

	assert_int_equal(parse(buf, n * 8, -1, 64, &a, &f), -1);
	assert_one_finding(&f, "area-max-blobs", FINDING_MALFORMED, 64 * 8);
	assert_int_equal(a.count, 64);
	area_free(&a);

	assert_int_equal(parse(buf, n * 8, (long long)n, n - 1, &a, &f), -1);
	assert_one_finding(&f, "area-max-blobs", FINDING_MALFORMED, (n - 1) * 8);
	area_free(&a);

	assert_int_equal(parse(buf, n * 8, -1, 0, &a, &f), -1);
	assert_one_finding(&f, "area-max-blobs", FINDING_MALFORMED, 0);
	assert_int_equal(a.count, 0);
	area_free(&a);

	/* A count mismatch on a large area. */
	assert_int_equal(parse(buf, n * 8, (long long)n + 1, n, &a, &f), -1);
	assert_one_finding(&f, "area-count", FINDING_MALFORMED, n * 8);
	area_free(&a);
	findings_free(&f);
	free(buf);
}

static void test_builder(void **state)
{
	static const uint8_t table[40] = { 'N', 'F', 'I', 'T', 40 };
	static const uint8_t body[] = { 0x08, '_', 'U', 'I', 'D', 0x00 };
	struct area_builder b;
	struct area a;
	struct findings f = { 0 };

	(void)state;
	area_builder_init(&b);
	assert_int_equal(area_add(&b, BLOB_TABLE, table, sizeof(table)), 0);
	assert_int_equal(area_add_device(&b, "NVDR", body, sizeof(body)), 0);
	assert_int_equal(area_add_device(&b, "EMPT", NULL, 0), 0);
	assert_int_equal(b.count, 3);
	assert_int_equal(b.len, 48 + 18 + 12);
	assert_int_equal(le32(b.buf), 0);
	assert_int_equal(le32(b.buf + 4), 48);
	assert_memory_equal(b.buf + 8, table, sizeof(table));
	assert_int_equal(le32(b.buf + 48), 1);
	assert_int_equal(le32(b.buf + 52), 18);
	assert_memory_equal(b.buf + 56, "NVDR", 4);
	assert_memory_equal(b.buf + 60, body, sizeof(body));

	assert_int_equal(parse(b.buf, b.len, 3, 64, &a, &f), 0);
	assert_int_equal(a.count, 3);
	assert_string_equal(a.blobs[1].name, "NVDR");
	assert_string_equal(a.blobs[2].name, "EMPT");
	assert_int_equal(a.blobs[2].data_len, 4);
	area_free(&a);
	findings_free(&f);

	/* Sizes that do not fit the 32-bit size field are refused before any
	 * byte is read (the data pointer is never touched). */
	if (SIZE_MAX > UINT32_MAX) {
		assert_int_equal(area_add(&b, BLOB_TABLE, table, (size_t)UINT32_MAX - 7), -1);
		assert_int_equal(area_add_device(&b, "NVDR", body, (size_t)UINT32_MAX - 11), -1);
		assert_int_equal(area_add(&b, BLOB_TABLE, table, SIZE_MAX), -1);
		assert_int_equal(area_add_device(&b, "NVDR", body, SIZE_MAX), -1);
	}
	assert_int_equal(b.count, 3);
	assert_int_equal(b.len, 78);
	area_builder_free(&b);
	assert_null(b.buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_two_blobs),
		cmocka_unit_test(test_header_only_blob),
		cmocka_unit_test(test_size_below_header),
		cmocka_unit_test(test_overrun),
		cmocka_unit_test(test_trailing),
		cmocka_unit_test(test_type),
		cmocka_unit_test(test_max_blobs),
		cmocka_unit_test(test_builder),
	};

	return cmocka_run_group_tests_name("area", tests, NULL, NULL);
}
