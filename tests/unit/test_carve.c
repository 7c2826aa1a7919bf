// SPDX-License-Identifier: GPL-2.0-or-later
/* Carving devices out of SSDTs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "aml.h"
#include "carve.h"
#include "namespace.h"
#include "readfile.h"

static uint8_t *load(const char *rel, size_t *len)
{
	char path[4096];
	const char *dir = getenv("DMACPI_TESTDATA");
	uint8_t *buf;

	snprintf(path, sizeof(path), "%s/%s", dir ? dir : "tests/data", rel);
	assert_int_equal(read_file(path, 1 << 24, &buf, len), 0);
	return buf;
}

static bool has_obj(const struct aml_info *info, const char *path)
{
	char t[AML_PATH_MAX];

	for (size_t i = 0; i < info->nobjs; i++)
		if (!strcmp(aml_object_path(&info->objs[i], t), path))
			return true;
	return false;
}

static void test_qemu_nvdimm(void **state)
{
	size_t len, xl;
	uint8_t *t = load("qemu/SSDT.dimmpxm", &len);
	uint8_t *x = load("xen/DSDT_20920.aml", &xl);
	struct carved_device *devs;
	struct findings f;
	char path[AML_PATH_MAX];
	struct aml_info info;
	struct ns *xen = ns_new();
	uint8_t *blob;
	int n;

	(void)state;
	findings_init(&f);
	assert_int_equal(ns_load_image(xen, x, xl, &f), 1);
	n = carve_devices(t, len, &devs, &f);
	assert_int_equal(n, 1);
	assert_string_equal(devs[0].name, "NVDR");
	/* MEMA, the root Name NCAL reads, now leads the body */
	assert_true(devs[0].len > 11);
	assert_memory_equal(devs[0].body, "\x08MEMA\x0c\x00\xf0\xff\x07", 10);
	/* the body is a clean device blob; its references all resolve in Xen's */
	blob = malloc(4 + devs[0].len);
	assert_non_null(blob);
	memcpy(blob, devs[0].name, 4);
	memcpy(blob + 4, devs[0].body, devs[0].len);
	aml_info_init(&info);
	assert_int_equal(aml_parse_device(blob, 4 + devs[0].len, 0, xen, &info, &f), 0);
	assert_int_equal(findings_total(&f), 0);
	assert_string_equal(aml_object_path(&info.objs[0], path), "\\_SB_.NVDR");
	assert_string_equal(info.hid, "ACPI0012");
	assert_true(has_obj(&info, "\\_SB_.NVDR.MEMA"));
	assert_true(has_obj(&info, "\\_SB_.NVDR.NV02"));
	for (size_t i = 0; i < info.nrefs; i++) {
		const struct ns *spaces[] = { xen };

		assert_true(ns_resolve(spaces, 1, info.refs[i].scope, info.refs[i].name, NULL));
	}
	for (size_t i = 0; i < info.nobjs; i++) {
		assert_null(ns_get(xen, aml_object_path(&info.objs[i], path)));
		assert_false(info.objs[i].in_known);
	}
	aml_info_free(&info);
	free(blob);
	carve_free(devs, (size_t)n);
	findings_free(&f);
	ns_free(xen);
	free(t);
	free(x);
}

static void test_forms(void **state)
{
	/* Device (\_SB.DEVA) {}  Device (OUT0) {}  Scope (\_SB) { Device (DEVB) { Name (X, ONE) } }
	 * Name (ONE_, One): DEVB reaches ONE_ by a lone NameSeg, DEVA does not. */
	static const uint8_t tl[] = {
		0x5b, 0x82, 0x0b, '\\', 0x2e, '_', 'S', 'B', '_', 'D', 'E', 'V', 'A',
		0x5b, 0x82, 0x05, 'O', 'U', 'T', '0',
		0x10, 0x16, '\\', '_', 'S', 'B', '_',
		0x5b, 0x82, 0x0e, 'D', 'E', 'V', 'B', 0x08, 'X', '_', '_', '_', 'O', 'N', 'E', '_',
		0x08, 'O', 'N', 'E', '_', 0x01,
	};
	uint8_t t[36 + sizeof(tl)];
	struct carved_device *devs;
	struct findings f;
	int n;

	(void)state;
	memset(t, 0, 36);
	memcpy(t, "SSDT", 4);
	t[4] = sizeof(t);
	memcpy(t + 36, tl, sizeof(tl));
	findings_init(&f);
	n = carve_devices(t, sizeof(t), &devs, &f);
	assert_int_equal(n, 2);
	assert_string_equal(devs[0].name, "DEVA");
	assert_int_equal(devs[0].len, 0);
	assert_string_equal(devs[1].name, "DEVB");
	assert_int_equal(devs[1].len, 6 + 9);
	assert_memory_equal(devs[1].body, "\x08ONE_\x01\x08X___ONE_", 15);
	carve_free(devs, (size_t)n);
	/* malformed */
	t[36 + 2] = 0x3f;
	assert_int_equal(carve_devices(t, sizeof(t), &devs, &f), -1);
	assert_string_equal(f.v[0].check, "aml-pkglength");
	findings_free(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_qemu_nvdimm),
		cmocka_unit_test(test_forms),
	};

	return cmocka_run_group_tests_name("carve", tests, NULL, NULL);
}
