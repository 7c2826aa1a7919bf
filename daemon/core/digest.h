/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The verdict's digest (SPEC sections 2 and 3): "sha256:" and 64 lower-case
 * hex digits of exactly the approved bytes.  Unlike the CRC-32 next to it,
 * a device model cannot append bytes that restore it.
 */
#ifndef DMACPI_DIGEST_H
#define DMACPI_DIGEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DIGEST_PREFIX "sha256:"
/* The text with its NUL: prefix, 64 hex digits. */
#define DIGEST_TEXT_SIZE (sizeof(DIGEST_PREFIX) + 64)

/*
 * The digest of buf[0..len) as text in out.  len 0 is the empty string's
 * digest (buf may then be NULL).  Returns 0, or -1 when libcrypto fails
 * (out of memory); out is then "".
 */
int digest_text(const uint8_t *buf, size_t len, char out[DIGEST_TEXT_SIZE]);

/* True when s is exactly such text: the prefix, 64 lower-case hex digits. */
bool digest_text_valid(const char *s);

#endif
