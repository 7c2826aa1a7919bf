/* SPDX-License-Identifier: GPL-2.0-or-later */
/* ACPI system description table headers (ACPI 6.5 section 5.2.6). */
#ifndef DMACPI_TABLE_H
#define DMACPI_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "findings.h"

#define ACPI_HEADER_SIZE 36u

struct acpi_header {
	char signature[5];	/* raw bytes + NUL */
	uint32_t length;
	uint8_t revision;
	uint8_t checksum;
	char oem_id[7];
	char oem_table_id[9];
	uint32_t oem_revision;
	char creator_id[5];
	uint32_t creator_revision;
};

/* Decode the header; returns -1 when len < 36. */
int table_header_read(const uint8_t *p, size_t len, struct acpi_header *h);

/*
 * The header invariants of SPEC section 5 for a table blob's data: length >=
 * 36 and == len (table-length), byte sum 0 mod 256 except FACS
 * (table-checksum), printable signature and ids (table-ids) -- all
 * MALFORMED -- and the signatures only Xen may provide (table-xen-only,
 * FORBIDDEN).  base is added to every offset.  Returns the number of
 * findings added.
 */
int table_check(const uint8_t *p, size_t len, size_t base, struct findings *f);

/* RSDP, RSDT, XSDT, FACS, FACP, DSDT. */
bool table_is_xen_only(const char sig[4]);
/* DSDT, SSDT, PSDT, OSDT, OEMx: the tables that carry AML. */
bool table_has_aml(const char sig[4]);
/* The byte sum mod 256 (SSE2 where the CPU has it). */
uint8_t table_sum(const uint8_t *p, size_t len);
/* The same without SSE2: where it is missing, and for short runs. */
uint8_t table_sum_words(const uint8_t *p, size_t len);
/* Recompute byte 9 so that the table sums to zero. */
void table_fix_checksum(uint8_t *p, size_t len);

#endif
