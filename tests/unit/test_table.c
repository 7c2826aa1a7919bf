// SPDX-License-Identifier: GPL-2.0-or-later
/* ACPI table headers: every real table passes, each mutation fails exactly. */
#include <dirent.h>

#include "checks-data.h"

#include "table.h"
#include "text.h"

#define BASE 0x108u	/* findings are reported at base + field offset */

/* A valid 64-byte table with the given signature. */
static void make_table(uint8_t *t, size_t len, const char *sig)
{
	memset(t, 0, len);
	memcpy(t, sig, 4);
	put_le32(t + 4, (uint32_t)len);
	t[8] = 1;
	memcpy(t + 10, "BOCHS ", 6);
	memcpy(t + 16, "BXPC    ", 8);
	put_le32(t + 24, 1);
	memcpy(t + 28, "BXPC", 4);
	put_le32(t + 32, 1);
	table_fix_checksum(t, len);
}

static void check_one(const uint8_t *t, size_t len, const char *check, enum finding_kind kind,
		      size_t offset)
{
	struct findings f;

	findings_init(&f);
	table_check(t, len, BASE, &f);
	if (check)
		assert_one_finding(&f, check, kind, offset);
	else
		assert_no_findings(&f);
	findings_free(&f);
}

static void check_dir(const char *sub)
{
	const char *top = getenv("DMACPI_TESTDATA");
	char dir[4096];
	DIR *d;
	struct dirent *e;
	unsigned n = 0;

	snprintf(dir, sizeof(dir), "%s/%s", top ? top : "tests/data", sub);
	d = opendir(dir);
	assert_non_null(d);
	while ((e = readdir(d))) {
		char rel[512];
		uint8_t *t;
		size_t len;
		struct findings f;

		if (e->d_name[0] == '.')
			continue;
		snprintf(rel, sizeof(rel), "%s/%s", sub, e->d_name);
		t = load_testdata(rel, &len);
		findings_init(&f);
		table_check(t, len, BASE, &f);
		print_message("# %s: %zu finding(s)\n", rel, findings_total(&f));
		if (table_is_xen_only((const char *)t))
			assert_one_finding(&f, "table-xen-only", FINDING_FORBIDDEN, BASE);
		else
			assert_no_findings(&f);
		findings_free(&f);
		free(t);
		n++;
	}
	closedir(d);
	assert_true(n >= 8);
}

static void test_real_qemu(void **state)
{
	(void)state;
	check_dir("qemu");
}

static void test_real_xen(void **state)
{
	(void)state;
	check_dir("xen");
}

static void test_xen_only_set(void **state)
{
	(void)state;
	assert_true(table_is_xen_only("RSD "));
	assert_true(table_is_xen_only("RSDT"));
	assert_true(table_is_xen_only("XSDT"));
	assert_true(table_is_xen_only("FACS"));
	assert_true(table_is_xen_only("FACP"));
	assert_true(table_is_xen_only("DSDT"));
	assert_false(table_is_xen_only("SSDT"));
	assert_false(table_is_xen_only("NFIT"));
	assert_false(table_is_xen_only("APIC"));
	assert_false(table_is_xen_only("RSD\0"));
	assert_true(table_has_aml("DSDT"));
	assert_true(table_has_aml("SSDT"));
	assert_true(table_has_aml("PSDT"));
	assert_true(table_has_aml("OSDT"));
	assert_true(table_has_aml("OEM1"));
	assert_false(table_has_aml("NFIT"));
	assert_false(table_has_aml("FACS"));
	assert_false(table_has_aml("SSD "));
}

static void test_qemu_nfit_mutations(void **state)
{
	size_t len;
	uint8_t *orig = load_testdata("qemu/NFIT.dimmpxm", &len);
	uint8_t *t = malloc(len);

	(void)state;
	assert_non_null(t);
	/* Header length wrong (longer, shorter): table-length at Length. */
	memcpy(t, orig, len);
	put_le32(t + 4, (uint32_t)len + 1);
	check_one(t, len, "table-length", FINDING_MALFORMED, BASE + 4);
	put_le32(t + 4, (uint32_t)len - 8);
	check_one(t, len, "table-length", FINDING_MALFORMED, BASE + 4);
	put_le32(t + 4, 0xffffffff);
	check_one(t, len, "table-length", FINDING_MALFORMED, BASE + 4);
	/* Bad checksum. */
	memcpy(t, orig, len);
	t[len - 1] ^= 0x40;
	check_one(t, len, "table-checksum", FINDING_MALFORMED, BASE + 9);
	memcpy(t, orig, len);
	t[9]++;
	check_one(t, len, "table-checksum", FINDING_MALFORMED, BASE + 9);
	/* Fixing the checksum makes it pass again. */
	table_fix_checksum(t, len);
	assert_memory_equal(t, orig, len);
	check_one(t, len, NULL, 0, 0);
	free(t);
	free(orig);
}

static void test_short(void **state)
{
	uint8_t t[64];

	(void)state;
	make_table(t, sizeof(t), "SSDT");
	check_one(t, 64, NULL, 0, 0);
	check_one(t, 35, "table-length", FINDING_MALFORMED, BASE);
	check_one(t, 4, "table-length", FINDING_MALFORMED, BASE);
	check_one(t, 3, "table-length", FINDING_MALFORMED, BASE);
	check_one(t, 0, "table-length", FINDING_MALFORMED, BASE);
	/* Exactly a header. */
	make_table(t, 36, "WAET");
	check_one(t, 36, NULL, 0, 0);
}

static void test_ids(void **state)
{
	uint8_t t[48];

	(void)state;
	make_table(t, sizeof(t), "NF\x01T");
	check_one(t, sizeof(t), "table-ids", FINDING_MALFORMED, BASE);
	make_table(t, sizeof(t), "NF\x7fT");
	check_one(t, sizeof(t), "table-ids", FINDING_MALFORMED, BASE);
	/* A signature with a NUL is not padding: signatures are 4 characters. */
	make_table(t, sizeof(t), "NFI\0");
	check_one(t, sizeof(t), "table-ids", FINDING_MALFORMED, BASE);

	/* OEM id: trailing NULs and spaces are padding, an embedded NUL or a
	 * control byte is not. */
	make_table(t, sizeof(t), "NFIT");
	memcpy(t + 10, "Xen\0\0\0", 6);
	table_fix_checksum(t, sizeof(t));
	check_one(t, sizeof(t), NULL, 0, 0);
	memcpy(t + 10, "\0\0\0\0\0\0", 6);
	table_fix_checksum(t, sizeof(t));
	check_one(t, sizeof(t), NULL, 0, 0);
	memcpy(t + 10, "Xe\0n\0\0", 6);
	table_fix_checksum(t, sizeof(t));
	check_one(t, sizeof(t), "table-ids", FINDING_MALFORMED, BASE + 10);
	memcpy(t + 10, "BOCHS\n", 6);
	table_fix_checksum(t, sizeof(t));
	check_one(t, sizeof(t), "table-ids", FINDING_MALFORMED, BASE + 10);
	memcpy(t + 10, "BOCH\xc3\xa9", 6);
	table_fix_checksum(t, sizeof(t));
	check_one(t, sizeof(t), "table-ids", FINDING_MALFORMED, BASE + 10);

	make_table(t, sizeof(t), "NFIT");
	memcpy(t + 16, "NVDIMM\0\0", 8);
	table_fix_checksum(t, sizeof(t));
	check_one(t, sizeof(t), NULL, 0, 0);
	memcpy(t + 16, "NVDIMM\0\x01", 8);
	table_fix_checksum(t, sizeof(t));
	check_one(t, sizeof(t), "table-ids", FINDING_MALFORMED, BASE + 16);

	make_table(t, sizeof(t), "NFIT");
	memcpy(t + 28, "\x1b[2J", 4);
	table_fix_checksum(t, sizeof(t));
	check_one(t, sizeof(t), "table-ids", FINDING_MALFORMED, BASE + 28);
}

static void test_xen_only(void **state)
{
	static const char *const sigs[] = { "RSD ", "RSDT", "XSDT", "FACP", "DSDT" };
	uint8_t t[64];
	struct findings f;

	(void)state;
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		make_table(t, sizeof(t), sigs[i]);
		check_one(t, sizeof(t), "table-xen-only", FINDING_FORBIDDEN, BASE);
	}
	/* Both kinds at once: forbidden and malformed. */
	make_table(t, sizeof(t), "DSDT");
	t[9]++;
	findings_init(&f);
	assert_int_equal(table_check(t, sizeof(t), BASE, &f), 2);
	assert_string_equal(f.v[0].check, "table-xen-only");
	assert_string_equal(f.v[1].check, "table-checksum");
	assert_int_equal(f.v[1].offset, BASE + 9);
	findings_free(&f);
}

static void test_facs(void **state)
{
	size_t len;
	uint8_t *orig = load_testdata("qemu/FACS", &len);
	uint8_t t[128];
	struct findings f;

	(void)state;
	assert_int_equal(len, 64);
	/* No checksum: any byte 9 passes. */
	memcpy(t, orig, len);
	t[9] = 0x5a;
	t[10] = 0x01;	/* no OEM id either */
	check_one(t, len, "table-xen-only", FINDING_FORBIDDEN, BASE);

	/* Its length at +4 must match the bytes, and be at least 64. */
	memcpy(t, orig, len);
	put_le32(t + 4, 65);
	findings_init(&f);
	assert_int_equal(table_check(t, len, BASE, &f), 2);
	assert_string_equal(f.v[1].check, "table-length");
	assert_int_equal(f.v[1].offset, BASE + 4);
	findings_clear(&f);
	put_le32(t + 4, 32);
	assert_int_equal(table_check(t, 32, BASE, &f), 2);
	assert_string_equal(f.v[1].check, "table-length");
	findings_clear(&f);
	assert_int_equal(table_check(t, 7, BASE, &f), 2);
	assert_string_equal(f.v[1].check, "table-length");
	assert_int_equal(f.v[1].offset, BASE);
	findings_free(&f);
	free(orig);
}

static void test_header_read(void **state)
{
	size_t len;
	uint8_t *t = load_testdata("qemu/SSDT.dimmpxm", &len);
	struct acpi_header h;

	(void)state;
	assert_int_equal(table_header_read(t, 35, &h), -1);
	assert_int_equal(table_header_read(t, len, &h), 0);
	assert_string_equal(h.signature, "SSDT");
	assert_int_equal(h.length, len);
	assert_int_equal(h.revision, 1);
	assert_string_equal(h.oem_id, "BOCHS ");
	assert_string_equal(h.oem_table_id, "NVDIMM");
	assert_string_equal(h.creator_id, "BXPC");
	assert_int_equal(table_sum(t, len), 0);
	free(t);
}

static void test_sum_large(void **state)
{
	/* The wide accumulator must not lose carries over long tables. */
	size_t len = 3 * 4096 + 123;
	uint8_t *t = malloc(len);
	unsigned ref = 0;

	(void)state;
	assert_non_null(t);
	for (size_t i = 0; i < len; i++) {
		t[i] = (uint8_t)(0xff - i * 7);
		ref += t[i];
	}
	assert_int_equal(table_sum(t, len), ref & 0xff);
	memset(t, 0xff, len);
	assert_int_equal(table_sum(t, len), (0xffu * len) & 0xff);
	free(t);
}

static unsigned sum_bytewise(const uint8_t *p, size_t len)
{
	unsigned s = 0;

	while (len--)
		s += *p++;
	return s & 0xff;
}

static void test_sum_lengths(void **state)
{
	/* Every length up to a few 16-byte steps, at every alignment: the
	 * wide steps, the portable tail and their sum. */
	uint8_t buf[16 + 300];

	(void)state;
	for (size_t i = 0; i < sizeof(buf); i++)
		buf[i] = (uint8_t)(i * 131 + 17);
	for (size_t at = 0; at < 16; at++) {
		for (size_t len = 0; len + at <= sizeof(buf) && len <= 300; len++) {
			assert_int_equal(table_sum(buf + at, len), sum_bytewise(buf + at, len));
			assert_int_equal(table_sum_words(buf + at, len), sum_bytewise(buf + at, len));
		}
	}
}

/* The id rule, a byte at a time: printable ASCII, then NULs to the end. */
static bool id_ok_bytewise(const uint8_t *p, size_t n)
{
	size_t i = 0;

	while (i < n && p[i] >= 0x20 && p[i] <= 0x7e)
		i++;
	while (i < n && !p[i])
		i++;
	return i == n;
}

static void test_ids_every_class(void **state)
{
	/* Each id field filled with every sequence of bytes from either side
	 * of the edges (NUL, control, space, tilde, DEL, high), the neighbour
	 * fields left valid: the check agrees with the rule a byte at a time. */
	static const uint8_t cls[] = { 0x00, 0x1f, 0x20, 0x7e, 0x7f, 0x80 };
	static const struct { size_t at, n; } fields[] = { { 10, 6 }, { 16, 8 }, { 28, 4 } };
	uint8_t t[48];

	(void)state;
	for (size_t fi = 0; fi < sizeof(fields) / sizeof(fields[0]); fi++) {
		size_t n = fields[fi].n, combos = 1;

		for (size_t i = 0; i < n; i++)
			combos *= sizeof(cls);
		/* 6^8 for the table id is too many: every 97th of them. */
		for (size_t k = 0; k < combos; k += n == 8 ? 97 : 1) {
			size_t v = k;

			make_table(t, sizeof(t), "NFIT");
			for (size_t i = 0; i < n; i++, v /= sizeof(cls))
				t[fields[fi].at + i] = cls[v % sizeof(cls)];
			table_fix_checksum(t, sizeof(t));
			if (id_ok_bytewise(t + fields[fi].at, n))
				check_one(t, sizeof(t), NULL, 0, 0);
			else
				check_one(t, sizeof(t), "table-ids", FINDING_MALFORMED,
					  BASE + fields[fi].at);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_real_qemu),
		cmocka_unit_test(test_real_xen),
		cmocka_unit_test(test_xen_only_set),
		cmocka_unit_test(test_qemu_nfit_mutations),
		cmocka_unit_test(test_short),
		cmocka_unit_test(test_ids),
		cmocka_unit_test(test_xen_only),
		cmocka_unit_test(test_facs),
		cmocka_unit_test(test_header_read),
		cmocka_unit_test(test_sum_large),
		cmocka_unit_test(test_sum_lengths),
		cmocka_unit_test(test_ids_every_class),
	};

	return cmocka_run_group_tests_name("table", tests, NULL, NULL);
}
