// SPDX-License-Identifier: GPL-2.0-or-later
/* Fuzz the ACPI table header checks and the NFIT structure checks. */
#include <stddef.h>
#include <stdint.h>

#include "nfit.h"
#include "table.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct findings f;
	struct acpi_header h;

	findings_init(&f);
	table_check(data, size, 8, &f);
	table_header_read(data, size, &h);
	/* Every input is also walked as an NFIT, whatever its signature, so
	 * the fuzzer need not discover the header first. */
	findings_clear(&f);
	nfit_check(data, size, 8, &f);
	findings_free(&f);
	return 0;
}
