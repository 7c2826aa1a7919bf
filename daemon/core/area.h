/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The blob area (SPEC section 4): blobs back to back, each an 8-byte
 * little-endian header {uint32 type, uint32 size} followed by size-8 bytes.
 */
#ifndef DMACPI_AREA_H
#define DMACPI_AREA_H

#include <stddef.h>
#include <stdint.h>

#include "findings.h"

#define BLOB_HEADER_SIZE 8u

enum blob_type {
	BLOB_TABLE = 0,		/* one complete ACPI table */
	BLOB_DEVICE = 1,	/* NameSeg + AML TermList of a Device under \_SB */
};

struct blob {
	uint32_t type;
	size_t offset;		/* of the blob header within the area */
	size_t size;		/* header included */
	const uint8_t *data;	/* size - 8 bytes, points into the parsed buffer */
	size_t data_len;
	char name[5];		/* table signature or device NameSeg, raw bytes; may be unprintable */
};

struct area {
	struct blob *blobs;
	size_t count;
};

/* Area checks, by name: area-size (size < 8), area-overrun (size past the end),
 * area-trailing (bytes after the last blob that do not form one),
 * area-type (unknown type), area-count (count mismatch), area-max-blobs,
 * area-device-short (device blob without a NameSeg). */

/*
 * Parse buf[0..len) as a blob area.  expect_count < 0 means "count absent".
 * A broken chain adds one MALFORMED finding with its offset and returns -1;
 * a->blobs then holds the blobs found before the break (for decode's
 * listing).  Returns 0 when the chain is well formed.  Never reads outside
 * buf, never overflows, allocates at most max_blobs entries.
 */
int area_parse(const uint8_t *buf, size_t len, long long expect_count, size_t max_blobs,
	       struct area *a, struct findings *f);
void area_free(struct area *a);

/* Builder used by `dmacpictl pack`, the rewriter and the tests. */
struct area_builder {
	uint8_t *buf;
	size_t len, cap;
	size_t count;
};

void area_builder_init(struct area_builder *b);
void area_builder_free(struct area_builder *b);
/* Append a blob; returns 0, or -1 on overflow or allocation failure. */
int area_add(struct area_builder *b, uint32_t type, const uint8_t *data, size_t len);
int area_add_device(struct area_builder *b, const char name[4], const uint8_t *body, size_t len);

#endif
