// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The evaluator: every selector, condition, action and setting on small
 * areas, each case built so that ignoring the construct changes the result.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include <cmocka.h>

#include "check-cache.h"
#include "evaluate.h"
#include "policy-areas.h"
#include "policy.h"

/* Area: 0 table TEST ("OEMID", "TABLEID", revision 2, 40 bytes),
 *       1 device NVDR with _HID "ACPI0012". */
static void build_default(struct area_builder *b)
{
	uint8_t t[40];

	make_table(t, sizeof(t), "TEST", "OEMID", "TABLEID", 2);
	area_builder_init(b);
	assert_int_equal(area_add(b, BLOB_TABLE, t, sizeof(t)), 0);
	assert_int_equal(area_add_device(b, "NVDR", BODY_HID, sizeof(BODY_HID)), 0);
}

static const struct domain_key KEYS[] = { { "platform/nvdimm", "1" }, { "platform/x", "" } };

static struct domain_facts facts(const char *name)
{
	struct domain_facts d = { 5, 0, name, KEYS, 2 };

	return d;
}

/* Decide the area b under policy text; returns the verdict. */
static void decide_with(const char *text, const struct area_builder *b, const char *name,
			unsigned flags, struct verdict *v)
{
	struct diags d;
	struct policy *p;
	struct domain_facts f = facts(name);

	diags_init(&d);
	p = policy_parse_buffer("t.policy", text, strlen(text), &d);
	if (!p)
		diags_print(&d, stderr);
	assert_non_null(p);
	assert_int_equal(evaluate_ex(p, b->buf, b->len, -1, &f, flags, v), 0);
	policy_free(p);
	diags_free(&d);
}

/* The action and rule of blob i, as "action rule". */
static void expect(const char *text, const char *name, size_t i, const char *want)
{
	struct area_builder b;
	struct verdict v;
	char got[256];

	build_default(&b);
	decide_with(text, &b, name, 0, &v);
	assert_true(i < v.nblobs);
	snprintf(got, sizeof(got), "%s %s", action_name(v.blobs[i].action), v.blobs[i].rule);
	assert_string_equal(got, want);
	verdict_free(&v);
	area_builder_free(&b);
}

static void test_selectors(void **state)
{
	(void)state;
	expect("allow table TEST\n", "", 0, "allow t.policy:1");
	expect("allow table TEST\n", "", 1, "deny implicit");
	expect("allow table T?S*\n", "", 0, "allow t.policy:1");
	expect("allow table OTHR NONE\n", "", 0, "deny implicit");
	expect("allow table NVDR\n", "", 1, "deny implicit");	/* a device is not a table */
	expect("allow device NV*\n", "", 1, "allow t.policy:1");
	expect("allow device NV*\n", "", 0, "deny implicit");
	expect("allow device TEST\n", "", 0, "deny implicit");	/* a table is not a device */
	expect("allow any\n", "", 0, "allow t.policy:1");
	expect("allow any\n", "", 1, "allow t.policy:1");
}

static void test_first_match_wins(void **state)
{
	(void)state;
	expect("deny table TEST\nallow table TEST\n", "", 0, "deny t.policy:1");
	expect("allow table TEST if size > 100\ndeny table TEST\n", "", 0, "deny t.policy:2");
}

static void test_conditions(void **state)
{
	(void)state;
	expect("allow any if domain-name \"web-*\"\n", "web-3", 0, "allow t.policy:1");
	expect("allow any if domain-name \"web-*\"\n", "db-3", 0, "deny implicit");
	expect("allow any if domain-key platform/nvdimm\n", "", 0, "allow t.policy:1");
	expect("allow any if domain-key platform/x\n", "", 0, "allow t.policy:1");
	expect("allow any if domain-key platform/y\n", "", 0, "deny implicit");
	expect("allow any if domain-key platform/nvdimm == \"1\"\n", "", 0, "allow t.policy:1");
	expect("allow any if domain-key platform/nvdimm == \"0\"\n", "", 0, "deny implicit");
	/* size includes the 8-byte header: the table blob is 48 bytes */
	expect("allow any if size == 48\n", "", 0, "allow t.policy:1");
	expect("allow any if size != 48\n", "", 0, "deny implicit");
	expect("allow any if size < 48\n", "", 0, "deny implicit");
	expect("allow any if size <= 48\n", "", 0, "allow t.policy:1");
	expect("allow any if size > 47\n", "", 0, "allow t.policy:1");
	expect("allow any if size >= 49\n", "", 0, "deny implicit");
	expect("allow any if oem-id \"OEMID\"\n", "", 0, "allow t.policy:1");
	expect("allow any if oem-id \"OEM*\"\n", "", 0, "allow t.policy:1");
	expect("allow any if oem-id \"BOCHS\"\n", "", 0, "deny implicit");
	expect("allow any if oem-id \"*\"\n", "", 1, "deny implicit");	/* devices have none */
	expect("allow any if oem-table-id \"TABLEID\"\n", "", 0, "allow t.policy:1");
	expect("allow any if oem-table-id \"TABLE\"\n", "", 0, "deny implicit");
	expect("allow any if revision == 2\n", "", 0, "allow t.policy:1");
	expect("allow any if revision > 2\n", "", 0, "deny implicit");
	expect("allow any if hid \"ACPI0012\"\n", "", 1, "allow t.policy:1");
	expect("allow any if hid \"ACPI0012\"\n", "", 0, "deny implicit");
	expect("allow any if hid \"PNP0A03\"\n", "", 1, "deny implicit");
	expect("allow any if not hid \"ACPI0012\"\n", "", 0, "allow t.policy:1");
	expect("allow any if not hid \"ACPI0012\"\n", "", 1, "deny implicit");
	expect("allow any if revision == 2 and size == 1\n", "", 0, "deny implicit");
	expect("allow any if revision == 2 or size == 1\n", "", 0, "allow t.policy:1");
	expect("allow any if (size == 1 or revision == 2) and not domain-key platform/y\n", "", 0,
	       "allow t.policy:1");
}

static void test_actions(void **state)
{
	struct area_builder b;
	struct verdict v;

	(void)state;
	build_default(&b);
	decide_with("deny table TEST reason \"no\" label \"L\"\nallow any\n", &b, "", 0, &v);
	assert_true(v.approved);
	assert_int_equal(v.blobs[0].action, ACTION_DENY);
	assert_string_equal(v.blobs[0].reason, "no");
	assert_string_equal(v.blobs[0].label, "L");
	assert_int_equal(v.count, 1);
	assert_int_equal(v.dropped, 1);
	assert_int_equal(v.length, b.len - 48);
	assert_true(v.changed);
	/* The digest covers the approved bytes only, not the zeros after them. */
	{
		char want[DIGEST_TEXT_SIZE], whole[DIGEST_TEXT_SIZE];

		assert_int_equal(digest_text(v.area, v.length, want), 0);
		assert_int_equal(digest_text(v.area, b.len, whole), 0);
		assert_string_equal(v.digest, want);
		assert_string_not_equal(v.digest, whole);
	}
	verdict_free(&v);

	decide_with("reject device NVDR reason \"never\"\nallow any\n", &b, "", 0, &v);
	assert_false(v.approved);
	assert_string_equal(v.rule, "t.policy:1");
	assert_non_null(strstr(v.reason, "never"));
	assert_int_equal(v.blobs[1].action, ACTION_REJECT);
	assert_null(v.area);
	assert_string_equal(v.digest, "");
	verdict_free(&v);

	decide_with("rename device NVDR to NVD1\nallow any\n", &b, "", 0, &v);
	assert_true(v.approved);
	assert_int_equal(v.blobs[1].action, ACTION_RENAME);
	assert_string_equal(v.blobs[1].new_name, "NVD1");
	assert_memory_equal(v.area + 48 + 8, "NVD1", 4);
	assert_int_equal(v.count, 2);
	assert_true(v.changed);
	verdict_free(&v);

	decide_with("set-oem table TEST to XEN XENTBL\nallow any\n", &b, "", 0, &v);
	assert_true(v.approved);
	assert_int_equal(v.blobs[0].action, ACTION_SET_OEM);
	assert_memory_equal(v.area + 8 + 10, "XEN   XENTBL  ", 14);
	assert_int_equal(table_sum(v.area + 8, 40), 0);
	assert_int_equal(v.crc, (uint32_t)crc32(0, v.area, (uInt)v.length));
	verdict_free(&v);

	/* set-oem without a table id keeps the old one */
	decide_with("set-oem table TEST to XEN\nallow any\n", &b, "", 0, &v);
	assert_memory_equal(v.area + 8 + 10, "XEN   TABLEID ", 14);
	verdict_free(&v);

	/* nothing changed */
	decide_with("allow any\n", &b, "", 0, &v);
	assert_true(v.approved);
	assert_false(v.changed);
	assert_int_equal(v.length, b.len);
	assert_memory_equal(v.area, b.buf, b.len);
	verdict_free(&v);
	area_builder_free(&b);
}

static void test_permissive(void **state)
{
	struct area_builder b;
	struct verdict v;

	(void)state;
	build_default(&b);
	decide_with("mode permissive\nreject table TEST\nrename device NVDR to NVD1\n", &b, "", 0, &v);
	assert_true(v.approved);
	assert_false(v.changed);
	assert_true(v.blobs[0].would);
	assert_int_equal(v.blobs[0].action, ACTION_REJECT);
	assert_true(v.blobs[1].would);
	assert_int_equal(v.blobs[1].action, ACTION_RENAME);
	assert_int_equal(v.length, b.len);
	assert_int_equal(v.count, 2);
	assert_memory_equal(v.area, b.buf, b.len);
	verdict_free(&v);
	/* The flag does the same as the setting; without either, enforce. */
	decide_with("deny table TEST\nallow any\n", &b, "", EVALUATE_PERMISSIVE, &v);
	assert_true(v.blobs[0].would);
	assert_int_equal(v.count, 2);
	verdict_free(&v);
	decide_with("deny table TEST\nallow any\n", &b, "", 0, &v);
	assert_false(v.blobs[0].would);
	assert_int_equal(v.count, 1);
	verdict_free(&v);
	area_builder_free(&b);
}

/* SPEC section 6: in permissive mode the built-in invariants stay in force. */
static void test_permissive_builtins(void **state)
{
	/* Method (_INI) { CopyObject (One, \_SB.PCI0) } */
	static const uint8_t over[] = { 0x14, 0x12, '_', 'I', 'N', 'I', 0x00, 0x9d, 0x01, '\\',
					0x2e, '_', 'S', 'B', '_', 'P', 'C', 'I', '0' };
	struct area_builder b;
	struct verdict v;
	uint8_t t[40], dsdt[ACPI_HEADER_SIZE];

	(void)state;
	/* TEST (a rule rejects it), a Xen-only DSDT, NVDR, a device writing \_SB.PCI0 */
	area_builder_init(&b);
	make_table(t, sizeof(t), "TEST", "OEMID", "TABLEID", 2);
	assert_int_equal(area_add(&b, BLOB_TABLE, t, sizeof(t)), 0);
	make_table(dsdt, sizeof(dsdt), "DSDT", "OEMID", "TABLEID", 2);
	assert_int_equal(area_add(&b, BLOB_TABLE, dsdt, sizeof(dsdt)), 0);
	assert_int_equal(area_add_device(&b, "NVDR", BODY_HID, sizeof(BODY_HID)), 0);
	assert_int_equal(area_add_device(&b, "EVIL", over, sizeof(over)), 0);
	decide_with("mode permissive\nreject table TEST\nrename device NVDR to NVD1\nallow any\n",
		    &b, "", 0, &v);
	assert_true(v.approved);
	assert_true(v.changed);
	assert_int_equal(v.count, 2);
	assert_int_equal(v.dropped, 2);
	/* the rules' decisions are only logged... */
	assert_true(v.blobs[0].would);
	assert_int_equal(v.blobs[0].action, ACTION_REJECT);
	assert_true(v.blobs[2].would);
	assert_int_equal(v.blobs[2].action, ACTION_RENAME);
	/* ...the built-in checks' are applied */
	assert_false(v.blobs[1].would);
	assert_string_equal(v.blobs[1].rule, "builtin:table-xen-only");
	assert_false(v.blobs[3].would);
	assert_string_equal(v.blobs[3].rule, "builtin:aml-outside-write");
	/* what stays is TEST and NVDR, unchanged and unrenamed */
	assert_memory_equal(v.area, b.buf, 8 + sizeof(t));
	assert_memory_equal(v.area + 8 + sizeof(t) + 8, "NVDR", 4);
	verdict_free(&v);
	area_builder_free(&b);

	/* A malformed blob still refuses the area (on-invalid reject), even
	 * after a rule's reject, which only would have. */
	area_builder_init(&b);
	make_table(t, sizeof(t), "TEST", "OEMID", "TABLEID", 2);
	assert_int_equal(area_add(&b, BLOB_TABLE, t, sizeof(t)), 0);
	t[9] ^= 0x55;
	assert_int_equal(area_add(&b, BLOB_TABLE, t, sizeof(t)), 0);
	decide_with("reject table TEST\n", &b, "", EVALUATE_PERMISSIVE, &v);
	assert_false(v.approved);
	assert_string_equal(v.rule, "builtin:table-checksum");
	verdict_free(&v);
	area_builder_free(&b);
}

/* Blob i of b is malformed by rule: the area refused, or with on-invalid
 * drop only that blob denied, blob keep (if any) still approved. */
static void expect_malformed(const struct area_builder *b, size_t i, const char *rule,
			     size_t keep)
{
	struct verdict v;

	decide_with("allow any\n", b, "", 0, &v);
	assert_false(v.approved);
	assert_string_equal(v.rule, rule);
	verdict_free(&v);
	decide_with("on-invalid drop\nallow any\n", b, "", 0, &v);
	assert_true(v.approved);
	assert_int_equal(v.blobs[i].action, ACTION_DENY);
	assert_string_equal(v.blobs[i].rule, rule);
	assert_int_equal(v.blobs[keep].action, ACTION_ALLOW);
	assert_int_equal(v.count, 1);
	verdict_free(&v);
}

static void test_limits_and_invalid(void **state)
{
	struct area_builder b;
	struct verdict v;
	uint8_t t[40];

	(void)state;
	build_default(&b);
	decide_with("max-area 64\nallow any\n", &b, "", 0, &v);
	assert_false(v.approved);
	assert_string_equal(v.rule, "builtin:area-max-area");
	verdict_free(&v);
	decide_with("max-blobs 1\nallow any\n", &b, "", 0, &v);
	assert_false(v.approved);
	assert_string_equal(v.rule, "builtin:area-max-blobs");
	verdict_free(&v);
	area_builder_free(&b);

	/* A table with a bad checksum, then a good one. */
	make_table(t, sizeof(t), "TEST", "OEMID", "TABLEID", 2);
	t[9] ^= 0x55;
	area_builder_init(&b);
	assert_int_equal(area_add(&b, BLOB_TABLE, t, sizeof(t)), 0);
	make_table(t, sizeof(t), "GOOD", "OEMID", "TABLEID", 2);
	assert_int_equal(area_add(&b, BLOB_TABLE, t, sizeof(t)), 0);
	expect_malformed(&b, 0, "builtin:table-checksum", 1);
	area_builder_free(&b);

	/* A device whose AML does not parse, after more forbidden constructs
	 * (Noops at load time) than the findings keep: still malformed, the
	 * area refused; and on-invalid drop denies it for that. */
	{
		uint8_t body[2 * FINDINGS_KEEP + 1];

		memset(body, 0xa3, sizeof(body) - 1);
		body[sizeof(body) - 1] = 0x02;	/* no opcode */
		area_builder_init(&b);
		assert_int_equal(area_add(&b, BLOB_TABLE, t, sizeof(t)), 0);
		assert_int_equal(area_add_device(&b, "NVDR", body, sizeof(body)), 0);
		expect_malformed(&b, 1, "builtin:aml-opcode", 0);
		area_builder_free(&b);
	}

	/* A Xen-only table is denied whatever the rules say. */
	make_table(t, ACPI_HEADER_SIZE, "DSDT", "OEMID", "TABLEID", 2);
	area_builder_init(&b);
	assert_int_equal(area_add(&b, BLOB_TABLE, t, ACPI_HEADER_SIZE), 0);
	decide_with("allow any\n", &b, "", 0, &v);
	if (!v.approved)
		fprintf(stderr, "# %s: %s\n", v.rule, v.reason);
	assert_true(v.approved);
	assert_string_equal(v.blobs[0].rule, "builtin:table-xen-only");
	assert_int_equal(v.count, 0);
	/* Nothing approved: the digest of zero bytes. */
	assert_int_equal(v.length, 0);
	assert_string_equal(v.digest,
			    "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	verdict_free(&v);
	area_builder_free(&b);
}

static void test_namespace_among_blobs(void **state)
{
	struct area_builder b;
	struct verdict v;

	(void)state;
	/* Two devices with the same name: the second collides with the first. */
	area_builder_init(&b);
	assert_int_equal(area_add_device(&b, "NVDR", BODY_HID, sizeof(BODY_HID)), 0);
	assert_int_equal(area_add_device(&b, "NVDR", BODY_HID, sizeof(BODY_HID)), 0);
	decide_with("allow any\n", &b, "", 0, &v);
	assert_int_equal(v.blobs[0].action, ACTION_ALLOW);
	assert_string_equal(v.blobs[1].rule, "builtin:ns-collision");
	assert_non_null(strstr(v.blobs[1].reason, "blob 0"));
	verdict_free(&v);
	/* Renaming the second one resolves it; renaming into the first refuses. */
	decide_with("rename device NVDR to NVD1 if size > 1000\nallow any\n", &b, "", 0, &v);
	assert_string_equal(v.blobs[1].rule, "builtin:ns-collision");
	verdict_free(&v);
	area_builder_free(&b);

	/* A reference to a sibling device resolves while that one is approved. */
	area_builder_init(&b);
	assert_int_equal(area_add_device(&b, "USER", BODY_REF_FOOD, sizeof(BODY_REF_FOOD)), 0);
	assert_int_equal(area_add_device(&b, "FOOD", BODY_HID, sizeof(BODY_HID)), 0);
	decide_with("allow any\n", &b, "", 0, &v);
	assert_int_equal(v.blobs[0].action, ACTION_ALLOW);
	assert_int_equal(v.count, 2);
	verdict_free(&v);
	decide_with("deny device FOOD\nallow any\n", &b, "", 0, &v);
	assert_int_equal(v.blobs[0].action, ACTION_DENY);
	assert_string_equal(v.blobs[0].rule, "builtin:aml-unresolved");
	assert_non_null(strstr(v.blobs[0].reason, "FOOD"));
	assert_int_equal(v.count, 0);
	verdict_free(&v);
	/* Renaming FOOD away unresolves the reference too. */
	decide_with("rename device FOOD to FOO2\nallow any\n", &b, "", 0, &v);
	assert_string_equal(v.blobs[0].rule, "builtin:aml-unresolved");
	assert_int_equal(v.blobs[1].action, ACTION_RENAME);
	verdict_free(&v);
	area_builder_free(&b);
}

static void test_xen_collision_and_rename(void **state)
{
	const char *data = getenv("DMACPI_TESTDATA");
	struct area_builder b;
	struct verdict v;
	char text[512];

	(void)state;
	if (!data)
		skip();
	area_builder_init(&b);
	assert_int_equal(area_add_device(&b, "PCI0", BODY_HID, sizeof(BODY_HID)), 0);
	snprintf(text, sizeof(text), "xen-namespace %s/xen/DSDT_20920.aml\nallow any\n", data);
	decide_with(text, &b, "", 0, &v);
	assert_string_equal(v.blobs[0].rule, "builtin:ns-collision");
	verdict_free(&v);
	snprintf(text, sizeof(text),
		 "xen-namespace %s/xen/DSDT_20920.aml\nrename device PCI0 to PCI9\n", data);
	decide_with(text, &b, "", 0, &v);
	assert_int_equal(v.blobs[0].action, ACTION_RENAME);
	assert_int_equal(v.count, 1);
	verdict_free(&v);
	area_builder_free(&b);
	/* Renamed into Xen's namespace: step 4 refuses the rename (the renamed
	 * device's own collision is not a finding of its second check). */
	area_builder_init(&b);
	assert_int_equal(area_add_device(&b, "NVDR", BODY_HID, sizeof(BODY_HID)), 0);
	snprintf(text, sizeof(text),
		 "xen-namespace %s/xen/DSDT_20920.aml\nrename device NVDR to PCI0\n", data);
	decide_with(text, &b, "", 0, &v);
	assert_int_equal(v.blobs[0].action, ACTION_DENY);
	assert_string_equal(v.blobs[0].rule, "builtin:ns-collision");
	assert_non_null(strstr(v.blobs[0].reason, "rename to PCI0 refused: \\_SB.PCI0 already exists"));
	assert_int_equal(v.count, 0);
	verdict_free(&v);
	area_builder_free(&b);
}

/*
 * Two devices of one name, the first with a reference to nothing: the
 * second is denied for colliding with the first only while the first is
 * approved.  Once the references deny the first, the second collides with
 * no approved blob and is approved (SPEC section 5).
 */
static void test_collision_with_a_denied_blob(void **state)
{
	/* Method (_STA) { Notify (ZZZZ, 0x80) }: ZZZZ is defined nowhere. */
	static const uint8_t unresolved[] = { 0x14, 0x0d, '_', 'S', 'T', 'A', 0x00,
					      0x86, 'Z', 'Z', 'Z', 'Z', 0x0a, 0x80 };
	struct area_builder b;
	struct verdict v;

	(void)state;
	area_builder_init(&b);
	assert_int_equal(area_add_device(&b, "FOOD", unresolved, sizeof(unresolved)), 0);
	assert_int_equal(area_add_device(&b, "FOOD", BODY_HID, sizeof(BODY_HID)), 0);
	decide_with("xen-namespace none\nallow any\n", &b, "", 0, &v);
	assert_true(v.approved);
	assert_string_equal(v.blobs[0].rule, "builtin:aml-unresolved");
	assert_int_equal(v.blobs[1].action, ACTION_ALLOW);
	assert_int_equal(v.count, 1);
	assert_int_equal(v.dropped, 1);
	verdict_free(&v);
	/* The other way round, the first approved denies the second, which
	 * the references need not look at. */
	area_builder_free(&b);
	area_builder_init(&b);
	assert_int_equal(area_add_device(&b, "FOOD", BODY_HID, sizeof(BODY_HID)), 0);
	assert_int_equal(area_add_device(&b, "FOOD", unresolved, sizeof(unresolved)), 0);
	decide_with("xen-namespace none\nallow any\n", &b, "", 0, &v);
	assert_int_equal(v.blobs[0].action, ACTION_ALLOW);
	assert_string_equal(v.blobs[1].rule, "builtin:ns-collision");
	assert_int_equal(v.count, 1);
	verdict_free(&v);
	area_builder_free(&b);
}

/* A device calling a method of Xen's: denied unless allow-call names it. */
static void test_outside_call(void **state)
{
	/* Method (_INI) { Store (\_SB.PCI0._CRS, Local0) } */
	static const uint8_t body[] = { 0x14, 0x17, '_', 'I', 'N', 'I', 0x00, 0x70, '\\', 0x2f, 0x03,
					'_', 'S', 'B', '_', 'P', 'C', 'I', '0', '_', 'C', 'R', 'S',
					0x60 };
	const char *data = getenv("DMACPI_TESTDATA");
	struct area_builder b;
	struct verdict v;
	char text[512];

	(void)state;
	if (!data)
		skip();
	area_builder_init(&b);
	assert_int_equal(area_add_device(&b, "NVD9", body, sizeof(body)), 0);
	snprintf(text, sizeof(text), "xen-namespace %s/xen/DSDT_20920.aml\nallow any\n", data);
	decide_with(text, &b, "", 0, &v);
	assert_string_equal(v.blobs[0].rule, "builtin:aml-outside-call");
	assert_non_null(strstr(v.blobs[0].reason, "calls \\_SB.PCI0._CRS"));
	verdict_free(&v);
	/* allowed by name, in either spelling; another name does not do */
	snprintf(text, sizeof(text),
		 "xen-namespace %s/xen/DSDT_20920.aml\nallow-call \\_SB_.PCI0._CRS\nallow any\n", data);
	decide_with(text, &b, "", 0, &v);
	assert_int_equal(v.blobs[0].action, ACTION_ALLOW);
	verdict_free(&v);
	snprintf(text, sizeof(text),
		 "xen-namespace %s/xen/DSDT_20920.aml\nallow-call \\_SB.PCI0._CR \\_SB.PCI0\nallow any\n", data);
	decide_with(text, &b, "", 0, &v);
	assert_string_equal(v.blobs[0].rule, "builtin:aml-outside-call");
	verdict_free(&v);
	area_builder_free(&b);
}

/* Name (VAL0, Zero)  Method (_INI) { Store (One, \_SB.NVDR.VAL0) }: fine
 * as NVDR, a write outside the device under any other name. */
static const uint8_t BODY_NVDR_WRITE[] = { 0x08, 'V', 'A', 'L', '0', 0x00, 0x14, 0x17, '_', 'I',
					   'N', 'I', 0x00, 0x70, 0x01, '\\', 0x2f, 0x03, '_', 'S',
					   'B', '_', 'N', 'V', 'D', 'R', 'V', 'A', 'L', '0' };

/* A renamed device is checked again under its new name. */
static void test_rename_checked_again(void **state)
{
	struct area_builder b;
	struct verdict v;

	(void)state;
	area_builder_init(&b);
	assert_int_equal(area_add_device(&b, "NVDR", BODY_NVDR_WRITE, sizeof(BODY_NVDR_WRITE)), 0);
	decide_with("allow any\n", &b, "", 0, &v);
	assert_int_equal(v.blobs[0].action, ACTION_ALLOW);
	verdict_free(&v);
	/* as NVD1, \_SB.NVDR.VAL0 is outside the device */
	decide_with("rename device NVDR to NVD1\n", &b, "", 0, &v);
	assert_string_equal(v.blobs[0].rule, "builtin:aml-outside-write");
	assert_int_equal(v.count, 0);
	verdict_free(&v);
	area_builder_free(&b);
}

/* A rename's second check goes through the check cache like any blob's:
 * a repeat answers both from it, and decides alike. */
static void test_rename_cached(void **state)
{
	static const char *const text[] = { "rename device NVDR to NVD1\n",
					    "rename device NVDS to NVD2\nallow any\n" };
	struct domain_facts f = facts("");
	struct check_cache *c = check_cache_new(8, 1 << 20);
	size_t hits, misses;
	struct area_builder b;

	(void)state;
	assert_non_null(c);
	area_builder_init(&b);
	assert_int_equal(area_add_device(&b, "NVDR", BODY_NVDR_WRITE, sizeof(BODY_NVDR_WRITE)), 0);
	assert_int_equal(area_add_device(&b, "NVDS", BODY_HID, sizeof(BODY_HID)), 0);
	for (size_t k = 0; k < 2; k++) {
		struct diags d;
		struct policy *p;
		struct verdict cold, warm[2];

		diags_init(&d);
		p = policy_parse_buffer("t.policy", text[k], strlen(text[k]), &d);
		assert_non_null(p);
		check_cache_clear(c);
		assert_int_equal(evaluate_ex(p, b.buf, b.len, -1, &f, 0, &cold), 0);
		for (size_t r = 0; r < 2; r++)
			assert_int_equal(evaluate_checked(p, b.buf, b.len, -1, &f, 0, c, &warm[r]), 0);
		/* Two blobs and one renamed: three checks, then three answers. */
		check_cache_counts(c, &hits, &misses);
		assert_int_equal(misses, 3 * (k + 1));
		assert_int_equal(hits, 3 * (k + 1));
		for (size_t r = 0; r < 2; r++) {
			assert_int_equal(warm[r].approved, cold.approved);
			assert_int_equal(warm[r].count, cold.count);
			for (size_t i = 0; i < cold.nblobs; i++) {
				assert_int_equal(warm[r].blobs[i].action, cold.blobs[i].action);
				assert_string_equal(warm[r].blobs[i].rule, cold.blobs[i].rule);
				assert_string_equal(warm[r].blobs[i].reason, cold.blobs[i].reason);
			}
			verdict_free(&warm[r]);
		}
		/* NVDR renamed writes outside itself; NVDS renamed is fine. */
		assert_string_equal(cold.blobs[0].rule, k ? "t.policy:2" : "builtin:aml-outside-write");
		assert_int_equal(cold.blobs[1].action, k ? ACTION_RENAME : ACTION_DENY);
		verdict_free(&cold);
		policy_free(p);
		diags_free(&d);
	}
	area_builder_free(&b);
	check_cache_free(c);
}

/* ---- step 4 at scale: collisions and references to a fixed point ---- */

/* "C" and three base-36 digits: the name of chain link k. */
static void link_name(char out[5], size_t k)
{
	static const char digits[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";

	out[0] = 'C';
	out[1] = digits[k / 1296 % 36];
	out[2] = digits[k / 36 % 36];
	out[3] = digits[k % 36];
	out[4] = '\0';
}

/* Device body: Method (_STA, 0) { Notify (target, 0x80) } */
static void add_notifier(struct area_builder *b, const char name[4], const char target[4])
{
	uint8_t body[] = { 0x14, 0x0d, '_', 'S', 'T', 'A', 0x00, 0x86, 0, 0, 0, 0, 0x0a, 0x80 };

	memcpy(body + 8, target, 4);
	assert_int_equal(area_add_device(b, name, body, sizeof(body)), 0);
}

/* A policy allowing everything, with room for n blobs. */
static struct policy *allow_all(size_t n)
{
	char text[64];
	struct diags d;
	struct policy *p;

	snprintf(text, sizeof(text), "max-blobs %zu\nallow any\n", n);
	diags_init(&d);
	p = policy_parse_buffer("t.policy", text, strlen(text), &d);
	diags_free(&d);
	assert_non_null(p);
	return p;
}

/*
 * A chain of devices, each notifying the next, the last a name nobody
 * defines: one link falls per round, from the end, each naming the link
 * it lost; and the same chain the other way round.
 */
static void test_reference_chains(void **state)
{
	const size_t n = 600;
	struct domain_facts f = facts("");
	struct policy *p = allow_all(n);

	(void)state;
	for (int reverse = 0; reverse <= 1; reverse++) {
		struct area_builder b;
		struct verdict v;

		area_builder_init(&b);
		for (size_t k = 0; k < n; k++) {
			char name[5], target[5];

			link_name(name, k);
			if ((reverse && k == 0) || (!reverse && k + 1 == n))
				memcpy(target, "ZZZZ", 5);
			else
				link_name(target, reverse ? k - 1 : k + 1);
			add_notifier(&b, name, target);
		}
		assert_int_equal(evaluate(p, b.buf, b.len, -1, &f, &v), 0);
		assert_true(v.approved);
		assert_int_equal(v.count, 0);
		assert_int_equal(v.dropped, n);
		for (size_t k = 0; k < n; k++) {
			char name[5], want[96];

			if ((reverse && k == 0) || (!reverse && k + 1 == n))
				memcpy(name, "ZZZZ", 5);
			else
				link_name(name, reverse ? k - 1 : k + 1);
			snprintf(want, sizeof(want), "%s (used in \\_SB.%s._STA) is defined nowhere", name,
				 v.blobs[k].object);
			assert_string_equal(v.blobs[k].rule, "builtin:aml-unresolved");
			assert_non_null(strstr(v.blobs[k].reason, want));
		}
		verdict_free(&v);
		area_builder_free(&b);
	}
	policy_free(p);
}

/* Many devices of one name after many distinct ones: each copy collides
 * with the first of that name, and is named after it. */
static void test_collisions_name_first_definer(void **state)
{
	const size_t distinct = 300, copies = 300;
	struct domain_facts f = facts("");
	struct policy *p = allow_all(distinct + copies);
	struct area_builder b;
	struct verdict v;
	char want[64];

	(void)state;
	area_builder_init(&b);
	for (size_t k = 0; k < distinct + copies; k++) {
		char name[5];

		link_name(name, k < distinct ? k : distinct - 1);
		assert_int_equal(area_add_device(&b, name, BODY_HID, sizeof(BODY_HID)), 0);
	}
	assert_int_equal(evaluate(p, b.buf, b.len, -1, &f, &v), 0);
	assert_true(v.approved);
	assert_int_equal(v.count, distinct);
	snprintf(want, sizeof(want), "already exists in blob %zu", distinct - 1);
	for (size_t k = distinct; k < distinct + copies; k++) {
		assert_string_equal(v.blobs[k].rule, "builtin:ns-collision");
		assert_non_null(strstr(v.blobs[k].reason, want));
	}
	verdict_free(&v);
	area_builder_free(&b);
	policy_free(p);
}

/* An SSDT blob of AML bytes. */
static void add_ssdt(struct area_builder *b, const uint8_t *aml, size_t len)
{
	uint8_t t[128];

	assert_true(ACPI_HEADER_SIZE + len <= sizeof(t));
	make_table(t, ACPI_HEADER_SIZE + len, "SSDT", "OEMID", "TABLEID", 2);
	memcpy(t + ACPI_HEADER_SIZE, aml, len);
	table_fix_checksum(t, ACPI_HEADER_SIZE + len);
	assert_int_equal(area_add(b, BLOB_TABLE, t, ACPI_HEADER_SIZE + len), 0);
}

/*
 * A bare NameSeg found in a nearer scope whose definer falls in a later
 * round searches on upwards: AAAA's VAL0 first resolves to
 * \_SB.AAAA.VAL0 (an SSDT that itself falls for ZZZZ), then to \VAL0
 * when another SSDT defines it, and fails without it.
 */
static void test_reference_searches_up(void **state)
{
	/* Scope (\_SB.AAAA) { Name (VAL0, 1) }  Scope (\_SB) { Method (MMMM) { Notify (ZZZZ, 0x80) } } */
	static const uint8_t scoped[] = {
		0x10, 0x12, 0x5c, 0x2e, '_', 'S', 'B', '_', 'A', 'A', 'A', 'A',
		0x08, 'V', 'A', 'L', '0', 0x0a, 0x01,
		0x10, 0x14, 0x5c, '_', 'S', 'B', '_',
		0x14, 0x0d, 'M', 'M', 'M', 'M', 0x00, 0x86, 'Z', 'Z', 'Z', 'Z', 0x0a, 0x80,
	};
	/* Name (\VAL0, 1) */
	static const uint8_t rooted[] = { 0x08, 0x5c, 'V', 'A', 'L', '0', 0x0a, 0x01 };
	struct domain_facts f = facts("");
	struct policy *p = allow_all(8);

	(void)state;
	for (int with_root = 0; with_root <= 1; with_root++) {
		struct area_builder b;
		struct verdict v;

		area_builder_init(&b);
		add_notifier(&b, "AAAA", "VAL0");
		add_ssdt(&b, scoped, sizeof(scoped));
		if (with_root)
			add_ssdt(&b, rooted, sizeof(rooted));
		assert_int_equal(evaluate(p, b.buf, b.len, -1, &f, &v), 0);
		assert_true(v.approved);
		assert_string_equal(v.blobs[1].rule, "builtin:aml-unresolved");
		assert_non_null(strstr(v.blobs[1].reason, "ZZZZ"));
		if (with_root) {
			assert_int_equal(v.blobs[0].action, ACTION_ALLOW);
			assert_int_equal(v.count, 2);
		} else {
			assert_string_equal(v.blobs[0].rule, "builtin:aml-unresolved");
			assert_non_null(strstr(v.blobs[0].reason, "VAL0 (used in \\_SB.AAAA._STA)"));
			assert_int_equal(v.count, 0);
		}
		verdict_free(&v);
		area_builder_free(&b);
	}
	policy_free(p);
}

/* A renamed device that falls takes its new name with it: USER, which
 * notifies FOO2 (FOOD renamed), falls in the next round. */
static void test_fallen_rename_releases_new_name(void **state)
{
	struct area_builder b;
	struct verdict v;

	(void)state;
	area_builder_init(&b);
	add_notifier(&b, "USER", "FOO2");
	add_notifier(&b, "FOOD", "ZZZZ");
	decide_with("rename device FOOD to FOO2\nallow any\n", &b, "", 0, &v);
	assert_true(v.approved);
	assert_string_equal(v.blobs[1].rule, "builtin:aml-unresolved");
	assert_non_null(strstr(v.blobs[1].reason, "ZZZZ"));
	assert_string_equal(v.blobs[0].rule, "builtin:aml-unresolved");
	assert_non_null(strstr(v.blobs[0].reason, "FOO2"));
	assert_int_equal(v.count, 0);
	verdict_free(&v);
	area_builder_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_selectors),
		cmocka_unit_test(test_first_match_wins),
		cmocka_unit_test(test_conditions),
		cmocka_unit_test(test_actions),
		cmocka_unit_test(test_permissive),
		cmocka_unit_test(test_permissive_builtins),
		cmocka_unit_test(test_limits_and_invalid),
		cmocka_unit_test(test_namespace_among_blobs),
		cmocka_unit_test(test_xen_collision_and_rename),
		cmocka_unit_test(test_collision_with_a_denied_blob),
		cmocka_unit_test(test_outside_call),
		cmocka_unit_test(test_rename_checked_again),
		cmocka_unit_test(test_rename_cached),
		cmocka_unit_test(test_reference_chains),
		cmocka_unit_test(test_collisions_name_first_definer),
		cmocka_unit_test(test_reference_searches_up),
		cmocka_unit_test(test_fallen_rename_releases_new_name),
	};

	return cmocka_run_group_tests_name("evaluate", tests, NULL, NULL);
}
