// SPDX-License-Identifier: GPL-2.0-or-later
/* Fuzz the blob area parser and the per-blob built-in checks (no Xen
 * namespace), as the daemon runs them on a device model's area; and hold
 * the AML parser's one walk to its two passes on every AML blob. */
#include <stddef.h>
#include <stdint.h>

#include "../unit/aml-same.h"
#include "area.h"
#include "table.h"
#include "validate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct area a;
	struct findings f;

	findings_init(&f);
	/* The broken-chain case still lists the blobs before the break:
	 * check them too, as decode does. */
	area_parse(data, size, -1, 256, &a, &f);
	for (size_t i = 0; i < a.count; i++) {
		const struct blob *b = &a.blobs[i];
		bool device = b->type == BLOB_DEVICE;
		struct blob_check c;

		validate_blob(b, NULL, &c);
		blob_check_free(&c);
		if (device || (b->data_len >= 4 && table_has_aml((const char *)b->data)))
			aml_assert_same("fuzz_area", b->data, b->data_len, NULL, device);
	}
	area_free(&a);
	findings_free(&f);
	return 0;
}
