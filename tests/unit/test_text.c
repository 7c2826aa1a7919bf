// SPDX-License-Identifier: GPL-2.0-or-later
/* text_copy(), text_dec() and text_hex() against printf, which they replace. */
#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "text.h"

static const uint64_t values[] = {
	0, 1, 9, 10, 99, 100, 0xf, 0x10, 0xfeed, 0xfc000000, 0xffffffff, 0x100000000,
	12345678901234567890u, UINT64_MAX - 1, UINT64_MAX,
};

static void test_dec(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		char want[32], got[32];

		memset(got, 'x', sizeof(got));
		snprintf(want, sizeof(want), "%" PRIu64, values[i]);
		assert_int_equal(text_dec(got, values[i]), strlen(want));
		assert_string_equal(got, want);
	}
}

static void test_hex(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		static const unsigned widths[] = { 0, 1, 8, 16, 20 };

		for (size_t w = 0; w < sizeof(widths) / sizeof(widths[0]); w++) {
			char want[32], got[32];
			int width = widths[w] > 16 ? 16 : (int)widths[w];

			memset(got, 'x', sizeof(got));
			snprintf(want, sizeof(want), "%0*" PRIx64, width, values[i]);
			assert_int_equal(text_hex(got, values[i], widths[w]), strlen(want));
			assert_string_equal(got, want);
		}
	}
}

static void test_copy(void **state)
{
	static const char *const srcs[] = { "", "a", "abcdefg", "abcdefgh", "abcdefghijkl" };

	(void)state;
	for (size_t i = 0; i < sizeof(srcs) / sizeof(srcs[0]); i++) {
		for (size_t size = 1; size <= 12; size++) {
			char want[16], got[16];

			memset(want, 'x', sizeof(want));
			memset(got, 'x', sizeof(got));
			snprintf(want, size, "%s", srcs[i]);
			text_copy(got, size, srcs[i]);
			assert_memory_equal(got, want, sizeof(got));
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_copy),
		cmocka_unit_test(test_dec),
		cmocka_unit_test(test_hex),
	};

	return cmocka_run_group_tests_name("text", tests, NULL, NULL);
}
