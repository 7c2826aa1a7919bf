// SPDX-License-Identifier: GPL-2.0-or-later
/* The namespace: set, ACPI name search, loading tables and images. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "namespace.h"
#include "readfile.h"
#include "xenfile.h"

static uint8_t *load(const char *rel, size_t *len)
{
	char path[4096];
	const char *dir = getenv("DMACPI_TESTDATA");
	uint8_t *buf;

	snprintf(path, sizeof(path), "%s/%s", dir ? dir : "tests/data", rel);
	assert_int_equal(read_file(path, 1 << 24, &buf, len), 0);
	return buf;
}

static void test_add_get(void **state)
{
	struct ns *ns = ns_new();
	const struct ns_entry *e;

	(void)state;
	assert_int_equal(ns_add(ns, "\\_SB_.PCI0", AML_OBJ_DEVICE, 0), 1);
	assert_int_equal(ns_add(ns, "\\_SB_.PCI0", AML_OBJ_DEVICE, 0), 0);
	assert_int_equal(ns_add(ns, "\\_SB_.PCI0._DSM", AML_OBJ_METHOD, 4), 1);
	assert_int_equal(ns_add(ns, "\\", AML_OBJ_SCOPE, 0), 1);
	assert_int_equal(ns_add(ns, "_SB_", AML_OBJ_SCOPE, 0), -1);	/* not absolute */
	assert_int_equal(ns_add(ns, "\\_sb_", AML_OBJ_SCOPE, 0), -1);	/* not a NameSeg */
	assert_int_equal(ns_add(ns, "\\ABCDE", AML_OBJ_SCOPE, 0), -1);
	assert_int_equal(ns_count(ns), 3);
	e = ns_get(ns, "\\_SB.PCI0._DSM");	/* display form is accepted */
	assert_non_null(e);
	assert_string_equal(e->path, "\\_SB_.PCI0._DSM");
	assert_int_equal(e->type, AML_OBJ_METHOD);
	assert_int_equal(e->argc, 4);
	assert_null(ns_get(ns, "\\_SB_.PCI1"));
	assert_null(ns_get(ns, "\\_SB_"));
	/* many entries: growth keeps every one findable */
	for (int i = 0; i < 5000; i++) {
		char p[32];

		snprintf(p, sizeof(p), "\\X%03d.Y%03d", i % 1000, i / 1000);
		assert_int_equal(ns_add(ns, p, AML_OBJ_NAME, 0), 1);
	}
	assert_non_null(ns_get(ns, "\\X999.Y004"));
	assert_non_null(ns_get(ns, "\\_SB_.PCI0"));
	assert_int_equal(ns_count(ns), 5003);
	ns_free(ns);
}

/* Truncated to its first entries, a namespace finds them and only them,
 * takes the others again, and is a new namespace for the caches. */
static void test_truncate(void **state)
{
	struct ns *ns = ns_new_pathless(0);
	uint32_t segs[2];
	uint64_t serial;

	(void)state;
	assert_non_null(ns);
	/* enough to grow the table several times after the first 10 */
	for (uint32_t round = 0; round < 3; round++) {
		for (uint32_t i = 0; i < 3000; i++) {
			segs[0] = 0x5f5f5f41 + (i % 26);	/* "A___" ... "Z___" */
			segs[1] = 0x30303041 + i;
			assert_int_equal(ns_add_segs(ns, segs, 2, AML_OBJ_NAME, (uint8_t)(i % 8)),
					 round && i < 10 ? 0 : 1);
		}
		assert_int_equal(ns_count(ns), 3000);
		serial = ns_serial(ns);
		ns_truncate(ns, 10);
		assert_true(ns_serial(ns) != serial);
		assert_int_equal(ns_count(ns), 10);
		for (uint32_t i = 0; i < 3000; i++) {
			const struct ns_entry *e;

			segs[0] = 0x5f5f5f41 + (i % 26);
			segs[1] = 0x30303041 + i;
			e = ns_get_segs(ns, segs, 2);
			if (i < 10) {
				assert_non_null(e);
				assert_int_equal(e->argc, i % 8);
			} else {
				assert_null(e);
			}
		}
	}
	ns_free(ns);
}

static void test_resolve(void **state)
{
	struct ns *a = ns_new(), *b = ns_new();
	const struct ns *spaces[] = { a, b };
	char out[AML_PATH_MAX];

	(void)state;
	ns_add(a, "\\MEMA", AML_OBJ_NAME, 0);
	ns_add(a, "\\_SB_.PCI0", AML_OBJ_DEVICE, 0);
	ns_add(b, "\\_SB_.NVDR.NCAL", AML_OBJ_METHOD, 5);
	ns_add(b, "\\_SB_.NVDR.NV00", AML_OBJ_DEVICE, 0);
	/* a lone NameSeg searches upward, across both spaces */
	assert_true(ns_resolve(spaces, 2, "\\_SB_.NVDR.NV00._DSM", "MEMA", out));
	assert_string_equal(out, "\\MEMA");
	assert_true(ns_resolve(spaces, 2, "\\_SB_.NVDR.NV00._DSM", "NCAL", out));
	assert_string_equal(out, "\\_SB_.NVDR.NCAL");
	assert_true(ns_resolve(spaces, 2, "\\_SB_.NVDR", "PCI0", out));
	assert_string_equal(out, "\\_SB_.PCI0");
	assert_false(ns_resolve(spaces, 1, "\\_SB_.NVDR", "NCAL", NULL));
	/* anything else only at its exact place */
	assert_false(ns_resolve(spaces, 2, "\\_SB_.NVDR.NV00", "NVDR.NCAL", NULL));
	assert_true(ns_resolve(spaces, 2, "\\_SB_", "NVDR.NCAL", out));
	assert_string_equal(out, "\\_SB_.NVDR.NCAL");
	assert_true(ns_resolve(spaces, 2, "\\_SB_.NVDR.NV00", "^NCAL", out));
	assert_false(ns_resolve(spaces, 2, "\\_SB_.NVDR.NV00", "^^NCAL", NULL));
	assert_true(ns_resolve(spaces, 2, "\\_SB_.NVDR.NV00", "\\_SB_.PCI0", out));
	assert_false(ns_resolve(spaces, 2, "\\_SB_", "^^MEMA", NULL));	/* above root */
	assert_true(ns_resolve(spaces, 2, "\\_SB_", "^MEMA", out));
	assert_string_equal(out, "\\MEMA");
	ns_free(a);
	ns_free(b);
}

static void collect(const struct ns_entry *e, void *ctx)
{
	char *prev = ctx;

	assert_true(strcmp(prev, e->path) < 0);
	strcpy(prev, e->path);
}

static void test_load_xen(void **state)
{
	static const char *const files[] = {
		"xen/DSDT_20920.aml", "xen/SSDT_29be0.aml", "xen/SSDT_29c40.aml",
		"xen/SSDT_2a200.aml", "xen/SSDT_2a260.aml", "xen/SSDT_2a2a0.aml",
	};
	struct ns *ns = ns_new();
	char prev[AML_PATH_MAX] = "";
	struct findings f;

	(void)state;
	findings_init(&f);
	for (size_t i = 0; i < 6; i++) {
		size_t len;
		uint8_t *b = load(files[i], &len);

		assert_int_equal(ns_load_image(ns, b, len, &f), 1);
		free(b);
	}
	assert_int_equal(findings_total(&f), 0);
	/* ACPICA: 1473 + 3 + 55 + 3 + 1 + 1 objects */
	assert_int_equal(ns_count(ns), 1536);
	assert_non_null(ns_get(ns, "\\_SB_.PCI0"));
	assert_non_null(ns_get(ns, "\\_S3_"));
	assert_non_null(ns_get(ns, "\\_SB_.PCI0.HP0_"));
	assert_int_equal(ns_get(ns, "\\_SB_.PCI0")->type, AML_OBJ_DEVICE);
	assert_null(ns_get(ns, "\\_SB_.NVDR"));
	ns_foreach_sorted(ns, collect, prev);
	assert_string_equal(prev, "\\_SB_.WPRT");	/* sorted: the largest last */
	ns_free(ns);
	findings_free(&f);
}

/* An image: tables embedded among other bytes, SSDT before DSDT. */
static void test_load_image(void **state)
{
	size_t dl, sl, n = 0;
	uint8_t *d = load("xen/DSDT_17e80.aml", &dl);
	uint8_t *s = load("qemu/SSDT.dimmpxm", &sl);
	uint8_t *img = calloc(1, dl + sl + 300);
	struct ns *ns = ns_new();
	struct findings f;

	(void)state;
	findings_init(&f);
	memcpy(img + n, "junkDSDT\x10\x00\x00\x00", 12);	/* too short a length */
	n += 40;
	memcpy(img + n, s, sl);
	n += sl + 17;
	memcpy(img + n, "SSDT", 4);	/* a signature that does not sum to zero */
	img[n + 4] = 40;
	n += 50;
	memcpy(img + n, d, dl);
	n += dl + 100;
	assert_int_equal(ns_load_image(ns, img, n, &f), 2);
	assert_int_equal(findings_total(&f), 0);
	assert_non_null(ns_get(ns, "\\_SB_.NVDR.NV02"));
	assert_non_null(ns_get(ns, "\\_SB_.PCI0"));
	ns_free(ns);
	/* nothing to find */
	ns = ns_new();
	assert_int_equal(ns_load_image(ns, img, 36, &f), -1);
	assert_string_equal(f.v[0].check, "ns-no-tables");
	findings_clear(&f);
	/* a lone table with a bad checksum */
	d[9]++;
	assert_int_equal(ns_load_image(ns, d, dl, &f), -1);
	assert_string_equal(f.v[0].check, "table-checksum");
	assert_int_equal(ns_count(ns), 0);
	ns_free(ns);
	findings_free(&f);
	free(img);
	free(d);
	free(s);
}

/* Debian's hvmloader (xen-utils-4.17), from the tests' cache of the package,
 * never from the system's /usr/lib/xen-4.17.  Skipped when the package
 * cannot be fetched, unless DMACPI_REQUIRE_XEN says it must be. */
static void test_hvmloader(void **state)
{
	const char *required = getenv("DMACPI_REQUIRE_XEN");
	char path[4096];
	struct findings f;
	struct ns *ns;
	uint8_t *b;
	size_t len;

	(void)state;
	if (xen_file("boot/hvmloader", path, sizeof(path)) < 0) {
		if (required && *required && strcmp(required, "0") != 0)
			fail_msg("no hvmloader from xen-utils-4.17 and DMACPI_REQUIRE_XEN=%s", required);
		skip();
	}
	assert_int_equal(read_file(path, 1 << 24, &b, &len), 0);
	ns = ns_new();
	findings_init(&f);
	assert_int_equal(ns_load_image(ns, b, len, &f), 8);	/* 3 DSDTs, 5 SSDTs */
	assert_int_equal(findings_total(&f), 0);
	assert_non_null(ns_get(ns, "\\_SB_.PCI0"));
	assert_non_null(ns_get(ns, "\\CONV"));
	ns_free(ns);
	findings_free(&f);
	free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_add_get),
		cmocka_unit_test(test_truncate),
		cmocka_unit_test(test_resolve),
		cmocka_unit_test(test_load_xen),
		cmocka_unit_test(test_load_image),
		cmocka_unit_test(test_hvmloader),
	};

	return cmocka_run_group_tests_name("namespace", tests, NULL, NULL);
}
