// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Fuzz the AML parser, the namespace loader and the carver.  Inputs that
 * start with a table signature are parsed as tables (and carved, and loaded
 * as an image); anything else is also parsed as a device blob.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "aml.h"
#include "../unit/aml-same.h"
#include "carve.h"
#include "namespace.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ns *known = ns_new();
	struct aml_info info;
	struct findings f;
	struct carved_device *devs;
	int n;

	if (!known)
		return 0;
	/* A few of Xen's names, a method among them, for argument counts. */
	ns_add(known, "\\_SB_.PCI0", AML_OBJ_DEVICE, 0);
	ns_add(known, "\\_SB_.PCI0._DSM", AML_OBJ_METHOD, 4);
	ns_add(known, "\\_SB_.WPRT", AML_OBJ_METHOD, 2);
	aml_info_init(&info);
	findings_init(&f);

	aml_parse_device(data, size, 0, known, &info, &f);
	aml_info_free(&info);
	aml_assert_same("fuzz_aml", data, size, known, true);
	findings_clear(&f);
	if (size >= 36 && (!memcmp(data, "SSDT", 4) || !memcmp(data, "DSDT", 4))) {
		aml_parse_table(data, size, 0, known, &info, &f);
		aml_info_free(&info);
		aml_assert_same("fuzz_aml", data, size, known, false);
		findings_clear(&f);
		n = carve_devices(data, size, &devs, &f);
		if (n > 0) {
			for (int i = 0; i < n; i++) {
				uint8_t *blob = malloc(4 + devs[i].len);

				if (!blob)
					break;
				memcpy(blob, devs[i].name, 4);
				memcpy(blob + 4, devs[i].body, devs[i].len);
				aml_parse_device(blob, 4 + devs[i].len, 0, known, &info, &f);
				aml_info_free(&info);
				aml_assert_same("fuzz_aml", blob, 4 + devs[i].len, known, true);
				free(blob);
			}
			carve_free(devs, (size_t)n);
		}
		findings_clear(&f);
	}
	ns_load_image(known, data, size, &f);
	findings_free(&f);
	ns_free(known);
	return 0;
}
