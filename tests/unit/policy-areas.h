/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Small tables, device bodies and areas for the evaluator and rewriter tests. */
#ifndef POLICY_AREAS_H
#define POLICY_AREAS_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "area.h"
#include "table.h"

/* A table of len bytes (>= 36) with a correct checksum. */
static inline void make_table(uint8_t *t, size_t len, const char sig[4], const char *oem_id,
			      const char *oem_table_id, uint8_t revision)
{
	memset(t, 0, len);
	memcpy(t, sig, 4);
	t[4] = (uint8_t)len;
	t[5] = (uint8_t)(len >> 8);
	t[6] = (uint8_t)(len >> 16);
	t[7] = (uint8_t)(len >> 24);
	t[8] = revision;
	memset(t + 10, ' ', 6);
	memcpy(t + 10, oem_id, strnlen(oem_id, 6));
	memset(t + 16, ' ', 8);
	memcpy(t + 16, oem_table_id, strnlen(oem_table_id, 8));
	memcpy(t + 28, "TEST", 4);
	t[24] = 1;
	t[32] = 1;
	table_fix_checksum(t, len);
}

/* Device bodies. */
/* Name (_HID, "ACPI0012") */
static const uint8_t BODY_HID[] = { 0x08, '_', 'H', 'I', 'D', 0x0d,
				    'A', 'C', 'P', 'I', '0', '0', '1', '2', 0 };
/* Method (_STA, 0) { Notify (FOOD, 0x80) }: refers to a sibling device. */
static const uint8_t BODY_REF_FOOD[] = { 0x14, 0x0d, '_', 'S', 'T', 'A', 0x00,
					 0x86, 'F', 'O', 'O', 'D', 0x0a, 0x80 };

#endif
