// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The verdict's digest text: FIPS 180-2's SHA-256 vectors, the empty area
 * (an approval that dropped every blob), and what digest_text_valid takes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "digest.h"

#define EMPTY "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
#define ABC "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"

static void expect_digest(const void *buf, size_t len, const char *want)
{
	char out[DIGEST_TEXT_SIZE];

	memset(out, 'x', sizeof(out));
	assert_int_equal(digest_text(buf, len, out), 0);
	assert_string_equal(out, want);
	assert_true(digest_text_valid(out));
}

static void test_vectors(void **state)
{
	static const char two_blocks[] = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	uint8_t *million = malloc(1000000);

	(void)state;
	assert_int_equal(DIGEST_TEXT_SIZE, 7 + 64 + 1);
	expect_digest("abc", 3, ABC);
	expect_digest(two_blocks, strlen(two_blocks),
		      "sha256:248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	assert_non_null(million);
	memset(million, 'a', 1000000);
	expect_digest(million, 1000000,
		      "sha256:cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
	free(million);
}

/* Exactly the bytes given: one byte less or more is another digest. */
static void test_length_counts(void **state)
{
	char a[DIGEST_TEXT_SIZE], b[DIGEST_TEXT_SIZE];

	(void)state;
	assert_int_equal(digest_text((const uint8_t *)"abcd", 3, a), 0);
	assert_string_equal(a, ABC);
	assert_int_equal(digest_text((const uint8_t *)"abc\0", 4, b), 0);
	assert_string_not_equal(a, b);
}

static void test_empty(void **state)
{
	(void)state;
	expect_digest(NULL, 0, EMPTY);
	expect_digest("ignored", 0, EMPTY);
}

static void test_valid(void **state)
{
	char s[DIGEST_TEXT_SIZE + 1];

	(void)state;
	assert_true(digest_text_valid(ABC));
	assert_false(digest_text_valid(NULL));
	assert_false(digest_text_valid(""));
	assert_false(digest_text_valid("sha256:"));
	/* upper case, another prefix, one digit short or long, a non-digit */
	snprintf(s, sizeof(s), "%s", ABC);
	s[7] = 'B';
	assert_false(digest_text_valid(s));
	snprintf(s, sizeof(s), "sha512:%s", ABC + 7);
	assert_false(digest_text_valid(s));
	snprintf(s, sizeof(s), "%s", ABC);
	s[DIGEST_TEXT_SIZE - 2] = '\0';
	assert_false(digest_text_valid(s));
	snprintf(s, sizeof(s), "%s0", ABC);
	assert_false(digest_text_valid(s));
	snprintf(s, sizeof(s), "%s", ABC);
	s[20] = 'g';
	assert_false(digest_text_valid(s));
	assert_false(digest_text_valid("0xba7816bf"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vectors),
		cmocka_unit_test(test_length_counts),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_valid),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
