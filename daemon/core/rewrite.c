// SPDX-License-Identifier: GPL-2.0-or-later
#include <string.h>

#include "rewrite.h"
#include "table.h"

static void put_padded(uint8_t *dst, const char *s, size_t width)
{
	size_t n = strnlen(s, width);

	/* ACPI pads OEM ids with spaces. */
	memcpy(dst, s, n);
	memset(dst + n, ' ', width - n);
}

void rewrite_blob_data(uint8_t *data, size_t data_len, uint32_t type,
		       const struct blob_decision *dec)
{
	if (dec->action == ACTION_RENAME && type == BLOB_DEVICE && data_len >= 4) {
		memcpy(data, dec->new_name, 4);
	} else if (dec->action == ACTION_SET_OEM && type == BLOB_TABLE &&
		   data_len >= ACPI_HEADER_SIZE) {
		put_padded(data + 10, dec->new_oem_id, 6);
		if (dec->new_oem_table_id[0])
			put_padded(data + 16, dec->new_oem_table_id, 8);
		table_fix_checksum(data, data_len);
	}
}

size_t rewrite_area(const uint8_t *in, size_t len, const struct area *a,
		    const struct blob_decision *dec, uint8_t *out, size_t *count)
{
	size_t at = 0;

	*count = 0;
	for (size_t i = 0; i < a->count; i++) {
		const struct blob *b = &a->blobs[i];

		if (dec[i].action != ACTION_ALLOW && dec[i].action != ACTION_RENAME &&
		    dec[i].action != ACTION_SET_OEM)
			continue;
		/* area_parse proved offset + size <= len; at <= offset always. */
		memcpy(out + at, in + b->offset, b->size);
		rewrite_blob_data(out + at + BLOB_HEADER_SIZE, b->size - BLOB_HEADER_SIZE,
				  b->type, &dec[i]);
		at += b->size;
		(*count)++;
	}
	memset(out + at, 0, len - at);
	return at;
}
