/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Rewriting an area (SPEC section 7): the approved blobs moved down over the
 * denied ones, renames and set-oem applied, table checksums recomputed, the
 * freed tail zeroed.
 */
#ifndef DMACPI_REWRITE_H
#define DMACPI_REWRITE_H

#include <stddef.h>
#include <stdint.h>

#include "area.h"
#include "evaluate.h"

/*
 * in[0..len) is the area a was parsed from; dec[i] is the decision for
 * a->blobs[i] (allow, rename and set-oem keep a blob, anything else drops
 * it).  Writes len bytes to out (which must not overlap in): the kept
 * blobs back to back, then zeros.  Returns the approved length and sets
 * *count to the number of blobs kept.
 */
size_t rewrite_area(const uint8_t *in, size_t len, const struct area *a,
		    const struct blob_decision *dec, uint8_t *out, size_t *count);

/* Apply one decision to a copy of a blob's data (data_len bytes). */
void rewrite_blob_data(uint8_t *data, size_t data_len, uint32_t type,
		       const struct blob_decision *dec);

#endif
