// SPDX-License-Identifier: GPL-2.0-or-later
/* SHA-256 through libcrypto's EVP interface; only the text is ours. */
#include <openssl/evp.h>
#include <string.h>

#include "digest.h"

_Static_assert(DIGEST_TEXT_SIZE == sizeof(DIGEST_PREFIX) + 2 * 32, "SHA-256 is 32 bytes");

/*
 * SHA-256 fetched from the default provider once (again after a failure):
 * EVP_sha256() makes EVP_DigestInit_ex look the implementation up on every
 * call, which cost more than hashing QEMU's 2 KB area.  Held until exit.
 * No lock: nothing here runs threads.
 */
static EVP_MD *sha256;

int digest_text(const uint8_t *buf, size_t len, char out[DIGEST_TEXT_SIZE])
{
	static const char hex[] = "0123456789abcdef";
	static const uint8_t none;
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	char *p = out + strlen(DIGEST_PREFIX);

	out[0] = '\0';
	if (!sha256 && !(sha256 = EVP_MD_fetch(NULL, "SHA2-256", NULL)))
		return -1;
	if (!EVP_Digest(len ? buf : &none, len, md, &mdlen, sha256, NULL) || mdlen != 32)
		return -1;
	memcpy(out, DIGEST_PREFIX, strlen(DIGEST_PREFIX));
	for (unsigned int i = 0; i < mdlen; i++) {
		*p++ = hex[md[i] >> 4];
		*p++ = hex[md[i] & 0xf];
	}
	*p = '\0';
	return 0;
}

bool digest_text_valid(const char *s)
{
	size_t n = strlen(DIGEST_PREFIX);

	if (!s || strncmp(s, DIGEST_PREFIX, n) || strlen(s) != DIGEST_TEXT_SIZE - 1)
		return false;
	for (s += n; *s; s++)
		if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f')))
			return false;
	return true;
}
