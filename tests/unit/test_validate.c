// SPDX-License-Identifier: GPL-2.0-or-later
/* The per-blob built-in invariants over real tables and hand-built blobs. */
#include "checks-data.h"

#include "area.h"
#include "carve.h"
#include "namespace.h"
#include "table.h"
#include "text.h"
#include "validate.h"

/* The blob under test sits after a 24-byte filler blob, so that offsets
 * are area offsets and not blob offsets. */
#define FILLER 24u
#define DATA (FILLER + BLOB_HEADER_SIZE)

struct one {
	struct area_builder b;
	struct area a;
	struct blob_check c;
};

static void check_blob(struct one *o, uint32_t type, const uint8_t *data, size_t len,
		       const struct ns *xen)
{
	static const uint8_t filler[FILLER - BLOB_HEADER_SIZE - 4] = { 0 };
	struct findings f;

	area_builder_init(&o->b);
	assert_int_equal(area_add_device(&o->b, "FILL", filler, sizeof(filler)), 0);
	assert_int_equal(area_add(&o->b, type, data, len), 0);
	findings_init(&f);
	assert_int_equal(area_parse(o->b.buf, o->b.len, 2, 64, &o->a, &f), 0);
	findings_free(&f);
	assert_int_equal(o->a.blobs[1].offset, FILLER);
	validate_blob(&o->a.blobs[1], xen, &o->c);
	assert_ptr_equal(o->c.blob, &o->a.blobs[1]);
}

static void one_free(struct one *o)
{
	blob_check_free(&o->c);
	area_free(&o->a);
	area_builder_free(&o->b);
}

static void check_file(const char *rel, const struct ns *xen, const char *check,
		       enum finding_kind kind, size_t offset)
{
	size_t len;
	uint8_t *t = load_testdata(rel, &len);
	struct one o;

	check_blob(&o, BLOB_TABLE, t, len, xen);
	if (check)
		assert_one_finding(&o.c.findings, check, kind, offset);
	else
		assert_no_findings(&o.c.findings);
	one_free(&o);
	free(t);
}

static struct ns *xen_ns(const char *rel)
{
	size_t len;
	uint8_t *img = load_testdata(rel, &len);
	struct ns *ns = ns_new();
	struct findings f;

	assert_non_null(ns);
	findings_init(&f);
	assert_true(ns_load_image(ns, img, len, &f) >= 1);
	findings_free(&f);
	free(img);
	return ns;
}

static void test_nfit(void **state)
{
	size_t len;
	uint8_t *t = load_testdata("qemu/NFIT.dimmpxm", &len);
	struct one o;

	(void)state;
	check_blob(&o, BLOB_TABLE, t, len, NULL);
	assert_no_findings(&o.c.findings);
	assert_string_equal(o.c.object, "NFIT");
	assert_true(o.c.has_header);
	assert_false(o.c.has_aml);
	assert_string_equal(o.c.hdr.oem_id, "BOCHS ");
	assert_int_equal(o.c.hdr.length, len);
	one_free(&o);

	/* NFIT findings in area offsets. */
	t[0x6c] = 9;		/* region mapping @0x60: SPA index */
	table_fix_checksum(t, len);
	check_blob(&o, BLOB_TABLE, t, len, NULL);
	assert_one_finding(&o.c.findings, "nfit-spa-index", FINDING_MALFORMED, DATA + 0x60);
	one_free(&o);

	/* A broken header stops before the NFIT walk. */
	t[9]++;
	check_blob(&o, BLOB_TABLE, t, len, NULL);
	assert_one_finding(&o.c.findings, "table-checksum", FINDING_MALFORMED, DATA + 9);
	one_free(&o);
	put_le32(t + 4, (uint32_t)len - 1);
	check_blob(&o, BLOB_TABLE, t, len, NULL);
	assert_one_finding(&o.c.findings, "table-length", FINDING_MALFORMED, DATA + 4);
	one_free(&o);
	free(t);
}

static void test_real_tables(void **state)
{
	(void)state;
	check_file("qemu/APIC", NULL, NULL, 0, 0);
	check_file("qemu/SRAT.dimmpxm", NULL, NULL, 0, 0);
	check_file("qemu/SSDT.dimmpxm", NULL, NULL, 0, 0);
	check_file("xen/SSDT_29c40.aml", NULL, NULL, 0, 0);
	check_file("qemu/FACP", NULL, "table-xen-only", FINDING_FORBIDDEN, DATA);
	check_file("qemu/FACS", NULL, "table-xen-only", FINDING_FORBIDDEN, DATA);
	check_file("qemu/DSDT", NULL, "table-xen-only", FINDING_FORBIDDEN, DATA);
}

static void test_short_table(void **state)
{
	static const uint8_t t[3] = { 'N', 'F', 'I' };
	struct one o;

	(void)state;
	check_blob(&o, BLOB_TABLE, t, sizeof(t), NULL);
	assert_one_finding(&o.c.findings, "table-length", FINDING_MALFORMED, DATA);
	assert_false(o.c.has_header);
	assert_string_equal(o.c.object, "NFI");
	one_free(&o);
	check_blob(&o, BLOB_TABLE, t, 0, NULL);
	assert_one_finding(&o.c.findings, "table-length", FINDING_MALFORMED, DATA);
	assert_string_equal(o.c.object, "");
	one_free(&o);
}

static void test_ssdt_aml(void **state)
{
	size_t len;
	uint8_t *t = load_testdata("qemu/SSDT.dimmpxm", &len);
	struct one o;
	char path[AML_PATH_MAX];
	bool found = false;

	(void)state;
	check_blob(&o, BLOB_TABLE, t, len, NULL);
	assert_no_findings(&o.c.findings);
	assert_true(o.c.has_aml);
	for (size_t i = 0; i < o.c.aml.nobjs; i++)
		if (!strcmp(aml_object_path(&o.c.aml.objs[i], path), "\\_SB_.NVDR"))
			found = true;
	assert_true(found);
	one_free(&o);
	free(t);
}

static void test_device_short(void **state)
{
	static const uint8_t name[3] = { 'N', 'V', 'D' };
	struct one o;

	(void)state;
	for (size_t n = 0; n < 4; n++) {
		check_blob(&o, BLOB_DEVICE, name, n, NULL);
		assert_one_finding(&o.c.findings, "area-device-short", FINDING_MALFORMED, FILLER);
		assert_false(o.c.has_aml);
		one_free(&o);
	}
}

static void test_device_nameseg(void **state)
{
	static const uint8_t lower[] = { 'n', 'v', 'd', 'r' };
	static const uint8_t ctrl[] = { 0x01, 'A', 'B', 'C' };
	static const uint8_t digit[] = { '0', 'A', 'B', 'C' };
	struct one o;

	(void)state;
	check_blob(&o, BLOB_DEVICE, lower, sizeof(lower), NULL);
	assert_one_finding(&o.c.findings, "aml-nameseg", FINDING_MALFORMED, DATA);
	assert_string_equal(o.c.object, "nvdr");
	one_free(&o);
	check_blob(&o, BLOB_DEVICE, ctrl, sizeof(ctrl), NULL);
	assert_one_finding(&o.c.findings, "aml-nameseg", FINDING_MALFORMED, DATA);
	assert_string_equal(o.c.object, "\\x01ABC");
	one_free(&o);
	check_blob(&o, BLOB_DEVICE, digit, sizeof(digit), NULL);
	assert_one_finding(&o.c.findings, "aml-nameseg", FINDING_MALFORMED, DATA);
	one_free(&o);
}

/* NAME then Name (_HID, "ACPI0012"). */
static size_t device_blob(uint8_t *out, const char name[4])
{
	static const uint8_t body[] = { 0x08, '_', 'H', 'I', 'D', 0x0d,
					'A', 'C', 'P', 'I', '0', '0', '1', '2', 0x00 };

	memcpy(out, name, 4);
	memcpy(out + 4, body, sizeof(body));
	return 4 + sizeof(body);
}

static void test_device(void **state)
{
	uint8_t d[64];
	size_t n = device_blob(d, "NVX0");
	char t[AML_PATH_MAX];
	struct one o;

	(void)state;
	check_blob(&o, BLOB_DEVICE, d, n, NULL);
	assert_no_findings(&o.c.findings);
	assert_true(o.c.has_aml);
	assert_false(o.c.has_header);
	assert_string_equal(o.c.object, "NVX0");
	assert_string_equal(o.c.aml.hid, "ACPI0012");
	assert_true(o.c.aml.nobjs >= 2);
	assert_string_equal(aml_object_path(&o.c.aml.objs[0], t), "\\_SB_.NVX0");
	one_free(&o);
}

static void test_collisions(void **state)
{
	struct ns *xen = xen_ns("xen/DSDT_20920.aml");
	uint8_t d[64];
	size_t n;
	struct one o;

	(void)state;
	/* A device named like one of Xen's. */
	n = device_blob(d, "PCI0");
	check_blob(&o, BLOB_DEVICE, d, n, xen);
	assert_true(findings_total(&o.c.findings) >= 1);
	assert_string_equal(o.c.findings.v[0].check, "ns-collision");
	assert_int_equal(o.c.findings.v[0].kind, FINDING_FORBIDDEN);
	assert_int_equal(o.c.findings.v[0].offset, o.c.aml.objs[0].offset);
	assert_true(o.c.findings.v[0].offset >= DATA && o.c.findings.v[0].offset < o.b.len);
	assert_non_null(strstr(o.c.findings.v[0].message, "\\_SB.PCI0 "));
	assert_false(findings_have(&o.c.findings, FINDING_MALFORMED));
	one_free(&o);

	/* Without Xen's namespace there is nothing to collide with. */
	check_blob(&o, BLOB_DEVICE, d, n, NULL);
	assert_no_findings(&o.c.findings);
	one_free(&o);

	/* A fresh name does not collide. */
	n = device_blob(d, "NVX0");
	check_blob(&o, BLOB_DEVICE, d, n, xen);
	assert_no_findings(&o.c.findings);
	one_free(&o);

	/* QEMU's NVDIMM SSDT loads over Xen's qemu-xen DSDT. */
	check_file("qemu/SSDT.dimmpxm", xen, NULL, 0, 0);
	/* A Xen-only table is denied for that alone, not per name. */
	check_file("xen/DSDT_20920.aml", xen, "table-xen-only", FINDING_FORBIDDEN, DATA);
	ns_free(xen);

	/* A second copy of one of Xen's SSDTs collides. */
	xen = xen_ns("xen/SSDT_2a260.aml");
	{
		size_t len;
		uint8_t *t = load_testdata("xen/SSDT_2a260.aml", &len);

		check_blob(&o, BLOB_TABLE, t, len, xen);
		assert_true(findings_total(&o.c.findings) >= 1);
		assert_string_equal(o.c.findings.v[0].check, "ns-collision");
		assert_non_null(strstr(o.c.findings.v[0].message, "\\_S4"));
		assert_true(o.c.findings.v[0].offset >= DATA + ACPI_HEADER_SIZE);
		one_free(&o);
		free(t);
	}
	ns_free(xen);
}

static void test_carved_nvdr(void **state)
{
	size_t len;
	uint8_t *t = load_testdata("qemu/SSDT.dimmpxm", &len);
	struct ns *xen = xen_ns("xen/DSDT_20920.aml");
	struct carved_device *devs = NULL;
	struct findings f;
	uint8_t *d;
	struct one o;
	int n;

	(void)state;
	findings_init(&f);
	n = carve_devices(t, len, &devs, &f);
	assert_int_equal(n, 1);
	assert_string_equal(devs[0].name, "NVDR");
	d = malloc(devs[0].len + 4);
	assert_non_null(d);
	memcpy(d, "NVDR", 4);
	memcpy(d + 4, devs[0].body, devs[0].len);
	check_blob(&o, BLOB_DEVICE, d, devs[0].len + 4, xen);
	assert_no_findings(&o.c.findings);
	assert_true(o.c.has_aml);
	assert_string_equal(o.c.aml.hid, "ACPI0012");
	one_free(&o);
	free(d);
	carve_free(devs, (size_t)n);
	findings_free(&f);
	ns_free(xen);
	free(t);
}

/* However many FORBIDDEN findings came first, a MALFORMED one is kept
 * (the last place is its), and the kinds of those lost still count. */
static void test_findings_cap(void **state)
{
	struct findings f;
	struct findings_mark m;

	(void)state;
	findings_init(&f);
	for (int i = 0; i < 2 * FINDINGS_KEEP; i++)
		findings_add(&f, FINDING_FORBIDDEN, "x", (size_t)i, "forbidden %d", i);
	assert_int_equal(f.n, FINDINGS_KEEP - 1);
	assert_int_equal(f.lost, FINDINGS_KEEP + 1);
	assert_false(findings_have(&f, FINDING_MALFORMED));
	m = findings_mark(&f);
	findings_add(&f, FINDING_MALFORMED, "y", 500, "malformed");
	findings_add(&f, FINDING_MALFORMED, "z", 600, "malformed again");
	assert_int_equal(f.n, FINDINGS_KEEP);
	assert_true(findings_have(&f, FINDING_MALFORMED));
	assert_string_equal(findings_first(&f, FINDING_MALFORMED)->check, "y");
	assert_int_equal(f.lost, FINDINGS_KEEP + 2);
	findings_rewind(&f, m);
	assert_false(findings_have(&f, FINDING_MALFORMED));
	assert_true(findings_have(&f, FINDING_FORBIDDEN));
	findings_clear(&f);
	assert_false(findings_have(&f, FINDING_MALFORMED));
	assert_false(findings_have(&f, FINDING_FORBIDDEN));
	findings_free(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nfit),
		cmocka_unit_test(test_real_tables),
		cmocka_unit_test(test_short_table),
		cmocka_unit_test(test_ssdt_aml),
		cmocka_unit_test(test_device_short),
		cmocka_unit_test(test_device_nameseg),
		cmocka_unit_test(test_device),
		cmocka_unit_test(test_collisions),
		cmocka_unit_test(test_carved_nvdr),
		cmocka_unit_test(test_findings_cap),
	};

	return cmocka_run_group_tests_name("validate", tests, NULL, NULL);
}
