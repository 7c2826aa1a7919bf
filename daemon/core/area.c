// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The blob area (SPEC section 4).  The area comes from a device model we do
 * not trust: every size is checked against what is left before anything is
 * added to an offset, so no sum can wrap.
 *
 * Structural errors, each MALFORMED with the offset of the offending blob
 * header (or of the area's end):
 *   area-trailing   1..7 bytes after the last blob: too few for a header
 *   area-max-blobs  a blob header beyond the max_blobs-th blob
 *   area-size       a blob size below 8
 *   area-overrun    a blob size running past the end of the area
 *   area-type       a blob type other than 0 or 1
 *   area-count      the blob count differs from expect_count (offset of the
 *                   first extra blob, or the area's end when blobs are missing)
 *   area-nomem      the blob list could not be allocated (with no_memory set:
 *                   no finding on the bytes)
 * An empty area (length 0) is well formed and has no blobs.
 */
#include <stdlib.h>
#include <string.h>

#include "area.h"
#include "text.h"

static int grow(struct area *a, size_t *cap, size_t want_max)
{
	size_t ncap = *cap ? *cap * 2 : 16;
	struct blob *nb;

	if (ncap > want_max || ncap < *cap)
		ncap = want_max;
	nb = realloc(a->blobs, ncap * sizeof(*nb));
	if (!nb)
		return -1;
	a->blobs = nb;
	*cap = ncap;
	return 0;
}

int area_parse(const uint8_t *buf, size_t len, long long expect_count, size_t max_blobs,
	       struct area *a, struct findings *f)
{
	size_t off = 0, cap = 0;
	/* Every blob takes at least 8 bytes: never allocate more entries
	 * than the area could describe, nor more than max_blobs. */
	size_t limit = len / BLOB_HEADER_SIZE < max_blobs ? len / BLOB_HEADER_SIZE : max_blobs;

	a->blobs = NULL;
	a->count = 0;
	while (off < len) {
		size_t left = len - off;
		uint32_t type, size32;
		struct blob *b;

		if (left < BLOB_HEADER_SIZE) {
			findings_add(f, FINDING_MALFORMED, "area-trailing", off,
				     "%zu trailing byte%s cannot hold a blob header",
				     left, left == 1 ? "" : "s");
			return -1;
		}
		if (a->count >= max_blobs) {
			findings_add(f, FINDING_MALFORMED, "area-max-blobs", off,
				     "more than %zu blob%s", max_blobs,
				     max_blobs == 1 ? "" : "s");
			return -1;
		}
		type = le32(buf + off);
		size32 = le32(buf + off + 4);
		if (size32 < BLOB_HEADER_SIZE) {
			findings_add(f, FINDING_MALFORMED, "area-size", off,
				     "blob size %u is below the 8-byte header", size32);
			return -1;
		}
		if ((size_t)size32 > left) {
			findings_add(f, FINDING_MALFORMED, "area-overrun", off,
				     "blob size %u runs %zu bytes past the end of the area",
				     size32, (size_t)size32 - left);
			return -1;
		}
		if (type != BLOB_TABLE && type != BLOB_DEVICE) {
			findings_add(f, FINDING_MALFORMED, "area-type", off,
				     "unknown blob type %u", type);
			return -1;
		}
		if (a->count == cap && grow(a, &cap, limit) < 0) {
			findings_no_memory(f, "area-nomem", off);
			return -1;
		}
		b = &a->blobs[a->count++];
		b->type = type;
		b->offset = off;
		b->size = size32;
		b->data = buf + off + BLOB_HEADER_SIZE;
		b->data_len = (size_t)size32 - BLOB_HEADER_SIZE;
		memset(b->name, 0, sizeof(b->name));
		if (b->data_len >= 4)
			memcpy(b->name, b->data, 4);	/* a constant size: no call */
		else
			memcpy(b->name, b->data, b->data_len);
		off += size32;
	}
	if (expect_count >= 0 && (unsigned long long)expect_count != a->count) {
		size_t at = (unsigned long long)expect_count < a->count ?
			a->blobs[expect_count].offset : len;

		findings_add(f, FINDING_MALFORMED, "area-count", at,
			     "count says %lld blob%s, the area holds %zu", expect_count,
			     expect_count == 1 ? "" : "s", a->count);
		return -1;
	}
	return 0;
}

void area_free(struct area *a)
{
	free(a->blobs);
	a->blobs = NULL;
	a->count = 0;
}

void area_builder_init(struct area_builder *b)
{
	b->buf = NULL;
	b->len = 0;
	b->cap = 0;
	b->count = 0;
}

void area_builder_free(struct area_builder *b)
{
	free(b->buf);
	area_builder_init(b);
}

/* Reserve room for one blob of total bytes and write its header. */
static uint8_t *blob_reserve(struct area_builder *b, uint32_t type, size_t data_len)
{
	size_t total;
	uint8_t *p;

	if (data_len > UINT32_MAX - BLOB_HEADER_SIZE)
		return NULL;
	total = data_len + BLOB_HEADER_SIZE;
	if (total > SIZE_MAX - b->len)
		return NULL;
	if (b->len + total > b->cap) {
		size_t ncap = b->cap ? b->cap : 256;
		uint8_t *nb;

		while (ncap < b->len + total)
			ncap = ncap > SIZE_MAX / 2 ? b->len + total : ncap * 2;
		nb = realloc(b->buf, ncap);
		if (!nb)
			return NULL;
		b->buf = nb;
		b->cap = ncap;
	}
	p = b->buf + b->len;
	put_le32(p, type);
	put_le32(p + 4, (uint32_t)total);
	b->len += total;
	b->count++;
	return p + BLOB_HEADER_SIZE;
}

int area_add(struct area_builder *b, uint32_t type, const uint8_t *data, size_t len)
{
	uint8_t *p = blob_reserve(b, type, len);

	if (!p)
		return -1;
	if (len)
		memcpy(p, data, len);
	return 0;
}

int area_add_device(struct area_builder *b, const char name[4], const uint8_t *body, size_t len)
{
	uint8_t *p;

	if (len > SIZE_MAX - 4)
		return -1;
	p = blob_reserve(b, BLOB_DEVICE, len + 4);
	if (!p)
		return -1;
	memcpy(p, name, 4);
	if (len)
		memcpy(p + 4, body, len);
	return 0;
}
