// SPDX-License-Identifier: GPL-2.0-or-later
/* Random numbers, time and CRC for the hostile-device-model test programs. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>

#include "hostile.h"

uint64_t hx_rand(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

uint64_t hx_below(uint64_t *state, uint64_t n)
{
	return hx_rand(state) % n;
}

double hx_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

uint32_t hx_crc(const uint8_t *p, size_t len)
{
	return (uint32_t)crc32(crc32(0L, Z_NULL, 0), p, (uInt)len);
}

bool hx_digest_is(const uint8_t *p, size_t len, const char *d)
{
	char have[DIGEST_TEXT_SIZE];

	if (digest_text(p, len, have) < 0)
		hx_die("digest: libcrypto failed");
	return !strcmp(have, d);
}

void hx_die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}
