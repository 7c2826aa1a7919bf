// SPDX-License-Identifier: GPL-2.0-or-later
/* text_copy(), text_dec(), text_hex() and text_escape() against printf, which
 * they replace. */
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

/* The escape as printf spells it: printable bytes but the backslash as they
 * are, the rest as \xNN; an escape that does not fit is left out whole. */
static void escape_printf(char *dst, size_t dstlen, const uint8_t *src, size_t n)
{
	size_t o = 0;

	for (size_t i = 0; i < n; i++) {
		char tmp[5];
		int k = src[i] >= 0x20 && src[i] <= 0x7e && src[i] != '\\'
				? snprintf(tmp, sizeof(tmp), "%c", src[i])
				: snprintf(tmp, sizeof(tmp), "\\x%02x", src[i]);

		if (o + (size_t)k >= dstlen)
			break;
		memcpy(dst + o, tmp, (size_t)k);
		o += (size_t)k;
	}
	dst[o] = '\0';
}

static void test_escape(void **state)
{
	uint8_t all[256];

	(void)state;
	for (size_t i = 0; i < sizeof(all); i++)
		all[i] = (uint8_t)i;
	/* Every byte, at every length and every room for it. */
	for (size_t n = 0; n <= 12; n++) {
		for (size_t at = 0; at + n <= sizeof(all); at += 7) {
			for (size_t room = 1; room <= 4 * n + 2; room++) {
				char want[64], got[64];

				memset(got, 'x', sizeof(got));
				escape_printf(want, room, all + at, n);
				text_escape(got, room, all + at, n);
				assert_string_equal(got, want);
				assert_int_equal(got[room], 'x');
			}
		}
	}
	{
		char got[32];

		text_escape(got, sizeof(got), (const uint8_t *)"N\\V\0\x7f", 5);
		assert_string_equal(got, "N\\x5cV\\x00\\x7f");
		got[0] = 'x';
		text_escape(got, 0, (const uint8_t *)"N", 1);
		assert_int_equal(got[0], 'x');
	}
}

/* Bytes on either side of every edge the byte-parallel tests draw. */
static const uint8_t edges[] = { 0x00, 0x01, 0x1f, 0x20, 0x41, 0x5b, 0x5c, 0x5d, 0x7e, 0x7f, 0x80, 0xff };
#define NEDGES (sizeof(edges) / sizeof(edges[0]))

static void test_escape_names(void **state)
{
	/* Four bytes (every blob's name) take a shortcut when plain. */
	(void)state;
	for (size_t k = 0; k < NEDGES * NEDGES * NEDGES * NEDGES; k++) {
		uint8_t name[4] = { edges[k % NEDGES], edges[k / NEDGES % NEDGES],
				    edges[k / NEDGES / NEDGES % NEDGES],
				    edges[k / NEDGES / NEDGES / NEDGES] };

		for (size_t room = 4; room <= 6; room++) {
			char want[32], got[32];

			escape_printf(want, room, name, 4);
			text_escape(got, room, name, 4);
			assert_string_equal(got, want);
		}
	}
}

static bool printable_bytewise(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] < 0x20 || p[i] > 0x7e)
			return false;
	return true;
}

static void test_printable(void **state)
{
	uint8_t buf[24];

	(void)state;
	/* One edge byte at every place of an otherwise printable run, at
	 * every length: the 8-byte steps and the tail. */
	for (size_t n = 0; n <= 20; n++) {
		for (size_t at = 0; at <= n; at++) {
			for (size_t e = 0; e < NEDGES; e++) {
				memset(buf, 'A', sizeof(buf));
				if (at < n)
					buf[at] = edges[e];
				assert_int_equal(text_printable(buf, n), printable_bytewise(buf, n));
			}
		}
	}
}

static void test_proc_stat_start(void **state)
{
	static const char tail[] = " R 13485 13485 3592 0 -1 4194304 97 0 0 0 0 0 0 0 20 0 1 0 "
				   "4481220 3133440 411 18446744073709551615 0\n";
	char buf[256];
	uint64_t v = 0;

	(void)state;
	snprintf(buf, sizeof(buf), "13488 (dmacpid)%s", tail);
	assert_true(proc_stat_start(buf, &v));
	assert_int_equal(v, 4481220);
	/* A command name with spaces and parentheses of its own. */
	v = 0;
	snprintf(buf, sizeof(buf), "7 (a) 1 2 3 (b) x)%s", tail);
	assert_true(proc_stat_start(buf, &v));
	assert_int_equal(v, 4481220);
	/* The start time last on the line. */
	assert_true(proc_stat_start("1 (x) R 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 99\n", &v));
	assert_int_equal(v, 99);
	assert_false(proc_stat_start("1 (x) R 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18\n", &v));
	assert_false(proc_stat_start("1 (x) R 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 -9 0", &v));
	assert_false(proc_stat_start("1 (x) R 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 9x 0", &v));
	assert_false(proc_stat_start("no parenthesis 1 2 3", &v));
	assert_false(proc_stat_start("", &v));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_copy),
		cmocka_unit_test(test_dec),
		cmocka_unit_test(test_hex),
		cmocka_unit_test(test_escape),
		cmocka_unit_test(test_escape_names),
		cmocka_unit_test(test_printable),
		cmocka_unit_test(test_proc_stat_start),
	};

	return cmocka_run_group_tests_name("text", tests, NULL, NULL);
}
