/* SPDX-License-Identifier: GPL-2.0-or-later */
/* NVDIMM Firmware Interface Table (ACPI 6.5 section 5.2.26). */
#ifndef DMACPI_NFIT_H
#define DMACPI_NFIT_H

#include <stddef.h>
#include <stdint.h>

#include "findings.h"

/*
 * Check a whole NFIT (header included; table_check has passed).  Every
 * violation is a MALFORMED finding with the subtable's offset (+ base) and
 * its own check name: nfit-header, nfit-zero-length, nfit-overrun,
 * nfit-length (wrong length for the type), nfit-type (type > 7),
 * nfit-spa-index / nfit-dcr-index (dangling Region Mapping reference),
 * nfit-reserved (non-zero reserved field), nfit-flags, nfit-duplicate-index;
 * and nfit-nomem when the index sets those two need could not be allocated
 * (findings.no_memory set: the list then says nothing of the table).
 * Returns the number of findings added.
 */
int nfit_check(const uint8_t *p, size_t len, size_t base, struct findings *f);

#endif
