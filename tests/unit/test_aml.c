// SPDX-License-Identifier: GPL-2.0-or-later
/* The AML parser on hand-built AML and on the real tables in tests/data. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "aml.h"
#include "aml-same.h"
#include "carve.h"
#include "namespace.h"
#include "readfile.h"

#define BASE 1000	/* every offset is reported + base */

struct res {
	int rc;
	struct aml_info info;
	struct findings f;
};

static void res_free(struct res *r)
{
	aml_info_free(&r->info);
	findings_free(&r->f);
}

/* Every parse here is also held to the two passes (aml-same.h); what
 * names the bytes in the message. */
static void check_same(const uint8_t *d, size_t len, const struct ns *known, bool device,
		       const char *what)
{
	char why[512];

	if (aml_same_as_two_passes(d, len, known, device, why, sizeof(why)))
		fail_msg("%s (%zu bytes): one walk and two passes differ: %s", what, len, why);
}

/* Parse a TermList wrapped in a 36-byte SSDT header. */
static void parse_tl(struct res *r, const uint8_t *tl, size_t n, const struct ns *known)
{
	uint8_t *t = calloc(1, 36 + n);

	assert_non_null(t);
	memcpy(t, "SSDT", 4);
	t[4] = (uint8_t)(36 + n);
	memcpy(t + 36, tl, n);
	aml_info_init(&r->info);
	findings_init(&r->f);
	r->rc = aml_parse_table(t, 36 + n, BASE, known, &r->info, &r->f);
	check_same(t, 36 + n, known, false, "table");
	free(t);
}

static void parse_dev(struct res *r, const uint8_t *d, size_t n, const struct ns *known)
{
	aml_info_init(&r->info);
	findings_init(&r->f);
	r->rc = aml_parse_device(d, n, BASE, known, &r->info, &r->f);
	check_same(d, n, known, true, "device blob");
}

#define TL(r, ...) do { const uint8_t b_[] = { __VA_ARGS__ }; parse_tl(r, b_, sizeof(b_), NULL); } while (0)
#define DEV(r, ...) do { const uint8_t b_[] = { __VA_ARGS__ }; parse_dev(r, b_, sizeof(b_), NULL); } while (0)

/* Exactly one finding, of this kind and check, at this TermList offset. */
static void expect_one(const struct res *r, enum finding_kind kind, const char *check, size_t off)
{
	if (findings_total(&r->f) != 1 || strcmp(r->f.v[0].check, check) ||
	    r->f.v[0].offset != off || r->f.v[0].kind != kind) {
		for (size_t i = 0; i < r->f.n; i++)
			print_message("# finding %s @%zu: %s\n", r->f.v[i].check, r->f.v[i].offset,
				      r->f.v[i].message);
		fail_msg("expected exactly %s at %zu", check, off);
	}
	assert_int_equal(r->rc, kind == FINDING_MALFORMED ? -1 : 0);
}

static void expect_clean(const struct res *r)
{
	for (size_t i = 0; i < r->f.n; i++)
		print_message("# finding %s @%zu: %s\n", r->f.v[i].check, r->f.v[i].offset,
			      r->f.v[i].message);
	assert_int_equal(findings_total(&r->f), 0);
	assert_int_equal(r->rc, 0);
}

static bool has_obj(const struct res *r, const char *path, uint8_t type)
{
	char t[AML_PATH_MAX];

	for (size_t i = 0; i < r->info.nobjs; i++)
		if (!strcmp(aml_object_path(&r->info.objs[i], t), path))
			return r->info.objs[i].type == type;
	return false;
}

/* Table offsets: termlist byte i is at BASE + 36 + i. */
#define T(i) (BASE + 36 + (i))

/* ---- PkgLength ---- */

/* Name (BUF0, Buffer (size) {...}) with the PkgLength encoded in nbytes. */
static void buffer_with_pkglength(struct res *r, size_t content, unsigned nbytes, uint8_t lead_or)
{
	size_t v = nbytes + 2 + content;	/* counts itself, 0A xx and the bytes */
	uint8_t *b = calloc(1, 6 + v), *o = b + 6;

	assert_non_null(b);
	b[0] = 0x08;
	memcpy(b + 1, "BUF0", 4);
	b[5] = 0x11;
	if (nbytes == 1) {
		*o++ = (uint8_t)v;
	} else {
		*o++ = (uint8_t)((nbytes - 1) << 6 | (v & 0x0f) | lead_or);
		for (unsigned i = 1; i < nbytes; i++)
			*o++ = (uint8_t)(v >> (4 + 8 * (i - 1)));
	}
	*o++ = 0x0a;
	*o++ = (uint8_t)content;
	parse_tl(r, b, 6 + v, NULL);
	free(b);
}

static void test_pkglength_encodings(void **state)
{
	static const struct { size_t content; unsigned nbytes; } ok[] = {
		{ 0, 1 }, { 60, 1 },		/* 1 byte: value 3 .. 63 */
		{ 61, 2 }, { 0, 2 },		/* 2 bytes, also a non-minimal one */
		{ 4091, 2 },			/* 2 bytes: value 4095, the largest */
		{ 4092, 3 }, { 70000, 3 },	/* 3 bytes */
		{ 1u << 20, 4 },		/* 4 bytes */
	};
	(void)state;
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		struct res r;

		buffer_with_pkglength(&r, ok[i].content, ok[i].nbytes, 0);
		expect_clean(&r);
		assert_true(has_obj(&r, "\\BUF0", AML_OBJ_NAME));
		res_free(&r);
	}
}

static void test_pkglength_reserved_bits(void **state)
{
	(void)state;
	for (uint8_t bits = 0x10; bits <= 0x30; bits += 0x10) {
		struct res r;

		buffer_with_pkglength(&r, 100, 2, bits);
		expect_one(&r, FINDING_MALFORMED, "aml-pkglength", T(6));
		res_free(&r);
	}
}

static void test_pkglength_bounds(void **state)
{
	struct res r;

	(void)state;
	/* Scope (\_SB) whose length runs one byte past the table */
	TL(&r, 0x10, 0x07, '\\', '_', 'S', 'B', '_');
	expect_one(&r, FINDING_MALFORMED, "aml-pkglength", T(1));
	res_free(&r);
	/* a package inside a package that ends earlier */
	TL(&r, 0x10, 0x0a, '\\', '_', 'S', 'B', '_', 0x10, 0x09, '\\', '_', 'S', 'B', '_',
	   0xa3, 0xa3);
	expect_one(&r, FINDING_MALFORMED, "aml-pkglength", T(8));
	res_free(&r);
	/* zero: shorter than its own byte */
	TL(&r, 0x10, 0x00);
	expect_one(&r, FINDING_MALFORMED, "aml-pkglength", T(1));
	res_free(&r);
	/* 2-byte encoding whose value 1 is shorter than its 2 bytes */
	TL(&r, 0xa0, 0x41, 0x00, 0x01);
	expect_one(&r, FINDING_MALFORMED, "aml-pkglength", T(1));
	res_free(&r);
	/* the lead byte promises 3 more bytes that are not there */
	TL(&r, 0x10, 0xc0, 0x00);
	expect_one(&r, FINDING_MALFORMED, "aml-truncated", T(1));
	res_free(&r);
	/* the exact fit is fine: Scope (\_SB) {} */
	TL(&r, 0x10, 0x06, '\\', '_', 'S', 'B', '_');
	expect_clean(&r);
	assert_int_equal(r.info.nobjs, 0);
	res_free(&r);
}

/* ---- NameString ---- */

static void test_namestring_forms(void **state)
{
	struct res r;

	(void)state;
	/* Device (\_SB.DEV0) { Name (^FOO, One)  Name (BAR.BAZ, ...) } with
	 * Dual, Multi, root, parent prefix and a NullName target. */
	TL(&r, 0x5b, 0x82, 0x37, '\\', 0x2e, '_', 'S', 'B', '_', 'D', 'E', 'V', '0',
	   0x08, '^', 'F', 'O', 'O', '_', 0x01,			/* Name (^FOO_, One) */
	   0x5b, 0x82, 0x05, 'B', 'A', 'R', '_',		/* Device (BAR_) */
	   0x08, 0x2e, 'B', 'A', 'R', '_', 'B', 'A', 'Z', '_', 0x00,	/* Name (BAR.BAZ, 0) */
	   0x08, 0x2f, 0x03, '_', 'S', 'B', '_', 'D', 'E', 'V', '0', 'Q', 'U', 'X', '_', 0x01,
	   0x70, 0x01, 0x00);					/* Store (One, NullName) */
	/* the last Name is relative: \_SB.DEV0 + _SB.DEV0.QUX */
	expect_clean(&r);
	assert_true(has_obj(&r, "\\_SB_.DEV0", AML_OBJ_DEVICE));
	assert_true(has_obj(&r, "\\_SB_.FOO_", AML_OBJ_NAME));
	assert_true(has_obj(&r, "\\_SB_.DEV0.BAR_", AML_OBJ_DEVICE));
	assert_true(has_obj(&r, "\\_SB_.DEV0.BAR_.BAZ_", AML_OBJ_NAME));
	assert_true(has_obj(&r, "\\_SB_.DEV0._SB_.DEV0.QUX_", AML_OBJ_NAME));
	res_free(&r);
}

static void test_namestring_errors(void **state)
{
	struct res r;

	(void)state;
	TL(&r, 0x08, 0x2f, 0x00, 0x01);		/* MultiNamePrefix, 0 segments */
	expect_one(&r, FINDING_MALFORMED, "aml-namestring", T(1));
	res_free(&r);
	TL(&r, 0x08, '1', 'A', 'B', 'C', 0x01);	/* a digit cannot lead */
	expect_one(&r, FINDING_MALFORMED, "aml-namestring", T(1));
	res_free(&r);
	TL(&r, 0x08, 'A', 'b', 'C', 'D', 0x01);	/* lower case */
	expect_one(&r, FINDING_MALFORMED, "aml-nameseg", T(1));
	res_free(&r);
	TL(&r, 0x08, 0x2e, 'A', 'B', 'C', 'D', '1', 'X', 'Y', 'Z', 0x01);
	expect_one(&r, FINDING_MALFORMED, "aml-nameseg", T(6));
	res_free(&r);
	TL(&r, 0x08, '^', 'F', 'O', 'O', '_', 0x01);	/* above the root */
	expect_one(&r, FINDING_MALFORMED, "aml-namestring", T(1));
	res_free(&r);
	TL(&r, 0x08, 0x00, 0x01);			/* defining a NullName */
	expect_one(&r, FINDING_MALFORMED, "aml-namestring", T(1));
	res_free(&r);
	TL(&r, 0x08, 0x2e, 'A', 'B', 'C', 'D', 'E', 'F');	/* segment cut short */
	expect_one(&r, FINDING_MALFORMED, "aml-truncated", T(2));
	res_free(&r);
	assert_true(aml_nameseg_valid((const uint8_t *)"_1__"));
	assert_false(aml_nameseg_valid((const uint8_t *)"_1a_"));
	assert_false(aml_nameseg_valid((const uint8_t *)"A-BC"));
}

/* ---- opcodes, truncation, depth ---- */

static void test_opcodes(void **state)
{
	struct res r;

	(void)state;
	TL(&r, 0xa3, 0x02);			/* Noop, then an undefined opcode */
	expect_one(&r, FINDING_MALFORMED, "aml-opcode", T(1));
	res_free(&r);
	TL(&r, 0x5b, 0x40);			/* undefined extended opcode */
	expect_one(&r, FINDING_MALFORMED, "aml-opcode", T(0));
	res_free(&r);
	TL(&r, 0x08, 'A', 'B', 'C', 'D', 0xa3);	/* Noop cannot be a value */
	expect_one(&r, FINDING_MALFORMED, "aml-opcode", T(5));
	res_free(&r);
	TL(&r, 0x0a, 0x05);			/* a bare constant is no statement */
	expect_one(&r, FINDING_MALFORMED, "aml-opcode", T(0));
	res_free(&r);
	TL(&r, 0x08, 'A', 'B', 'C', 'D', 0x0c, 0x01, 0x02);	/* DWord cut short */
	expect_one(&r, FINDING_MALFORMED, "aml-truncated", T(6));
	res_free(&r);
	TL(&r, 0x08, 'A', 'B', 'C', 'D', 0x0d, 'a', 'b');	/* String without NUL */
	expect_one(&r, FINDING_MALFORMED, "aml-truncated", T(5));
	res_free(&r);
	TL(&r, 0x5b);				/* ExtOpPrefix alone */
	expect_one(&r, FINDING_MALFORMED, "aml-truncated", T(1));
	res_free(&r);
}

static void test_depth(void **state)
{
	uint8_t b[200];
	size_t n = 0;
	struct res r;

	(void)state;
	/* Name (DEEP, LNot (LNot (... (One)))) */
	b[n++] = 0x08;
	memcpy(b + n, "DEEP", 4);
	n += 4;
	for (int i = 0; i < AML_MAX_DEPTH; i++)
		b[n++] = 0x92;
	b[n++] = 0x01;
	parse_tl(&r, b, n, NULL);
	expect_one(&r, FINDING_MALFORMED, "aml-depth", T(5 + AML_MAX_DEPTH - 1));
	res_free(&r);
	/* Name, 46 LNot and One: 48 levels, the most there may be */
	n = 5 + AML_MAX_DEPTH - 2;
	b[n++] = 0x01;
	parse_tl(&r, b, n, NULL);
	expect_clean(&r);
	res_free(&r);
}

static void test_fields_and_objects(void **state)
{
	struct res r;

	(void)state;
	TL(&r,
	   0x5b, 0x80, 'R', 'E', 'G', '0', 0x01, 0x0b, 0x00, 0x10, 0x0a, 0x08,	/* OpRegion */
	   0x5b, 0x81, 0x1a, 'R', 'E', 'G', '0', 0x01,				/* Field */
	   'F', 'L', 'D', '0', 0x08,			/* NamedField 8 bits */
	   0x00, 0x08,					/* ReservedField */
	   0x01, 0x03, 0x00,				/* AccessField */
	   0x03, 0x03, 0x0b, 0x02,			/* ExtendedAccessField */
	   'F', 'L', 'D', '1', 0x48, 0x01,		/* 2-byte bit length */
	   0x5b, 0x01, 'M', 'T', 'X', '0', 0x00,	/* Mutex */
	   0x5b, 0x02, 'E', 'V', 'T', '0',		/* Event */
	   0x08, 'B', 'U', 'F', '0', 0x11, 0x03, 0x0a, 0x04,	/* Name (BUF0, Buffer (4) {}) */
	   0x8a, 'B', 'U', 'F', '0', 0x00, 'D', 'W', 'D', '0',	/* CreateDWordField */
	   0x06, 'B', 'U', 'F', '0', 'A', 'L', 'I', '0',	/* Alias */
	   0x5b, 0x83, 0x0b, 'C', 'P', 'U', '0', 0x00, 0x10, 0xb0, 0x00, 0x00, 0x06,
	   0x5b, 0x84, 0x08, 'P', 'W', 'R', '0', 0x00, 0x00, 0x00,
	   0x5b, 0x85, 0x05, 'T', 'Z', '0', '_',
	   0x14, 0x0c, 'M', 'T', 'H', '0', 0x01,	/* Method (MTH0, 1) { Name (LOC0, 0) } */
	   0x08, 'L', 'O', 'C', '0', 0x00);
	expect_clean(&r);
	assert_true(has_obj(&r, "\\REG0", AML_OBJ_REGION));
	assert_true(has_obj(&r, "\\FLD0", AML_OBJ_FIELD));
	assert_true(has_obj(&r, "\\FLD1", AML_OBJ_FIELD));
	assert_true(has_obj(&r, "\\MTX0", AML_OBJ_MUTEX));
	assert_true(has_obj(&r, "\\EVT0", AML_OBJ_EVENT));
	assert_true(has_obj(&r, "\\DWD0", AML_OBJ_BUFFER_FIELD));
	assert_true(has_obj(&r, "\\ALI0", AML_OBJ_ALIAS));
	assert_true(has_obj(&r, "\\CPU0", AML_OBJ_PROCESSOR));
	assert_true(has_obj(&r, "\\PWR0", AML_OBJ_POWER));
	assert_true(has_obj(&r, "\\TZ0_", AML_OBJ_THERMAL));
	assert_true(has_obj(&r, "\\MTH0", AML_OBJ_METHOD));
	assert_false(has_obj(&r, "\\MTH0.LOC0", AML_OBJ_NAME));	/* only when it runs */
	assert_int_equal(r.info.nobjs, 12);
	assert_int_equal(r.info.objs[0].offset, T(0));
	assert_int_equal(r.info.nrefs, 0);
	res_free(&r);
	/* a bad field element */
	TL(&r, 0x5b, 0x81, 0x0a, 'R', 'E', 'G', '0', 0x01, 'a', 'b', 'c', 'd');
	expect_one(&r, FINDING_MALFORMED, "aml-nameseg", T(8));
	res_free(&r);
}

/* ---- method argument counts ---- */

/* Method (CALL) { MTHA (One, Zero) } then Method (MTHA, argc) {} */
static void call_then_define(struct res *r, uint8_t argc)
{
	TL(r, 0x14, 0x0c, 'C', 'A', 'L', 'L', 0x00, 'M', 'T', 'H', 'A', 0x01, 0x00,
	   0x14, 0x06, 'M', 'T', 'H', 'A', argc);
}

static void test_method_argc_same_aml(void **state)
{
	struct res r;

	(void)state;
	call_then_define(&r, 2);	/* a forward reference, found by pass 1 */
	expect_clean(&r);
	assert_int_equal(r.info.objs[1].argc, 2);
	res_free(&r);
	call_then_define(&r, 1);	/* the Zero left over is no statement */
	expect_one(&r, FINDING_MALFORMED, "aml-opcode", T(12));
	res_free(&r);
}

/*
 * parse() walks the bytes once (method bodies after the load-time code);
 * what it decides must be what the two passes decide.
 */
static void test_one_walk(void **state)
{
	struct res r;

	(void)state;
	/* Load-time code using a name defined further on: pass 2 knows \ABCD,
	 * so the Scope opens it, not a new \DEV0.ABCD. */
	TL(&r, 0x5b, 0x82, 0x11, 'D', 'E', 'V', '0',
	   0x10, 0x0b, 'A', 'B', 'C', 'D', 0x08, 'I', 'N', 'N', '0', 0x00,
	   0x08, 'A', 'B', 'C', 'D', 0x00);
	expect_clean(&r);
	assert_true(has_obj(&r, "\\ABCD.INN0", AML_OBJ_NAME));
	assert_false(has_obj(&r, "\\DEV0.ABCD.INN0", AML_OBJ_NAME));
	assert_int_equal(r.info.nrefs, 0);
	res_free(&r);
	/* A method body's finding before a later definition's, in the order
	 * of the bytes: the first one is the one a verdict names. */
	DEV(&r, 'D', 'E', 'V', '0',
	    0x14, 0x0d, 'M', 'T', 'H', '0', 0x00, 0x5b, 0x20, 'A', 'B', 'C', 'D', 0x60,
	    0x08, '^', 'E', 'S', 'C', '0', 0x00);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.f.n, 2);
	assert_string_equal(r.f.v[0].check, "aml-load");
	assert_int_equal(r.f.v[0].offset, BASE + 11);
	assert_string_equal(r.f.v[1].check, "aml-escape");
	assert_int_equal(r.f.v[1].offset, BASE + 19);
	/* the body's reference, then none from the load-time code */
	assert_int_equal(r.info.nrefs, 1);
	assert_string_equal(r.info.refs[0].name, "ABCD");
	res_free(&r);
	/* A data element naming an object defined further on (Xen's battery
	 * SSDT lists BAT0 and BAT1 in _PCL before their Devices): the one
	 * walk keeps it, no reference is left. */
	TL(&r, 0x08, 'P', 'K', 'G', '0', 0x12, 0x06, 0x01, 'D', 'E', 'V', '0',
	   0x5b, 0x82, 0x05, 'D', 'E', 'V', '0');
	expect_clean(&r);
	assert_int_equal(r.info.nrefs, 0);
	res_free(&r);
	/* ... unless it is a method taking arguments, which ACPICA would
	 * parse as a call: defined or declared further on, as before it. */
	TL(&r, 0x08, 'P', 'K', 'G', '0', 0x12, 0x06, 0x01, 'M', 'T', 'H', 'A',
	   0x14, 0x06, 'M', 'T', 'H', 'A', 0x01);
	expect_one(&r, FINDING_MALFORMED, "aml-ambiguous", T(8));
	res_free(&r);
	TL(&r, 0x08, 'P', 'K', 'G', '0', 0x12, 0x06, 0x01, 'M', 'T', 'H', 'B',
	   0x15, 'M', 'T', 'H', 'B', 0x08, 0x02);
	expect_one(&r, FINDING_MALFORMED, "aml-ambiguous", T(8));
	res_free(&r);
}

static void test_method_argc_known(void **state)
{
	const uint8_t tl[] = { 0x14, 0x0d, 'C', 'A', 'L', 'L', 0x00,
			       '\\', 'M', 'T', 'H', 'B', 0x01, 0x00 };
	struct ns *xen = ns_new();
	struct res r;

	(void)state;
	assert_non_null(xen);
	assert_int_equal(ns_add(xen, "\\MTHB", AML_OBJ_METHOD, 2), 1);
	parse_tl(&r, tl, sizeof(tl), xen);
	expect_clean(&r);
	/* resolved elsewhere: a reference for the evaluator */
	assert_int_equal(r.info.nrefs, 1);
	assert_string_equal(r.info.refs[0].name, "\\MTHB");
	assert_string_equal(r.info.refs[0].scope, "\\CALL");
	assert_int_equal(r.info.refs[0].offset, T(7));
	res_free(&r);
	parse_tl(&r, tl, sizeof(tl), NULL);	/* unknown: not a method */
	expect_one(&r, FINDING_MALFORMED, "aml-opcode", T(12));
	res_free(&r);
	ns_free(xen);
}

static void test_method_argc_external(void **state)
{
	struct res r;

	(void)state;
	/* External (MTHC, MethodObj, 2)  Method (CALL) { MTHC (One, Zero) } */
	TL(&r, 0x15, 'M', 'T', 'H', 'C', 0x08, 0x02,
	   0x14, 0x0c, 'C', 'A', 'L', 'L', 0x00, 'M', 'T', 'H', 'C', 0x01, 0x00);
	expect_clean(&r);
	assert_int_equal(r.info.objs[0].type, AML_OBJ_EXTERNAL);
	assert_int_equal(r.info.objs[0].argc, 2);
	assert_int_equal(r.info.nrefs, 1);
	res_free(&r);
	/* the External and the definition disagree */
	TL(&r, 0x15, 'M', 'T', 'H', 'A', 0x08, 0x01,
	   0x14, 0x0c, 'C', 'A', 'L', 'L', 0x00, 'M', 'T', 'H', 'A', 0x01, 0x00,
	   0x14, 0x06, 'M', 'T', 'H', 'A', 0x02);
	expect_one(&r, FINDING_MALFORMED, "aml-ambiguous", T(14));
	res_free(&r);
}

static void test_method_search_upward(void **state)
{
	struct res r;

	(void)state;
	/* Method (\_SB.MTHD, 1) {}
	 * Scope (\_SB) { Device (DEV0) { Method (CALL) { MTHD (One) } } } */
	TL(&r, 0x14, 0x0c, '\\', 0x2e, '_', 'S', 'B', '_', 'M', 'T', 'H', 'D', 0x01,
	   0x10, 0x19, '\\', '_', 'S', 'B', '_',
	   0x5b, 0x82, 0x11, 'D', 'E', 'V', '0',
	   0x14, 0x0b, 'C', 'A', 'L', 'L', 0x00, 'M', 'T', 'H', 'D', 0x01);
	expect_clean(&r);
	assert_true(has_obj(&r, "\\_SB_.DEV0.CALL", AML_OBJ_METHOD));
	assert_int_equal(r.info.nrefs, 0);
	res_free(&r);
}

/* ---- device blobs ---- */

/* Device DEV0 { Method (MTH0) { body } }: the body starts at data offset 11. */
static void parse_in_method(struct res *r, const uint8_t *body, size_t n, const struct ns *known)
{
	uint8_t d[96] = { 'D', 'E', 'V', '0', 0x14, 0, 'M', 'T', 'H', '0', 0x00 };

	assert_true(n <= sizeof(d) - 11 && n + 6 < 64);
	d[5] = (uint8_t)(6 + n);
	memcpy(d + 11, body, n);
	parse_dev(r, d, 11 + n, known);
}

#define METHOD(r, ...) do { const uint8_t b_[] = { __VA_ARGS__ }; \
	parse_in_method(r, b_, sizeof(b_), NULL); } while (0)
#define PCI0 '\\', 0x2e, '_', 'S', 'B', '_', 'P', 'C', 'I', '0'

/*
 * SPEC section 5: a device body writes nothing outside the device and
 * takes no reference to an outside object, through any opcode.
 */
static void test_device_outside_writes(void **state)
{
	static const struct {
		uint8_t b[16];
		size_t n, at;
		const char *check;
	} cases[] = {
		/* Store (One, \_SB.PCI0), CopyObject, Increment, Decrement */
		{ { 0x70, 0x01, PCI0 }, 12, 2, "aml-outside-write" },
		{ { 0x9d, 0x01, PCI0 }, 12, 2, "aml-outside-write" },
		{ { 0x75, PCI0 }, 11, 1, "aml-outside-write" },
		{ { 0x76, PCI0 }, 11, 1, "aml-outside-write" },
		/* Add (One, One, \_SB.PCI0); Divide's second target */
		{ { 0x72, 0x01, 0x01, PCI0 }, 13, 3, "aml-outside-write" },
		{ { 0x78, 0x01, 0x01, 0x60, PCI0 }, 14, 4, "aml-outside-write" },
		/* Not, ToBCD, Mid, CondRefOf's target */
		{ { 0x80, 0x01, PCI0 }, 12, 2, "aml-outside-write" },
		{ { 0x5b, 0x29, 0x01, PCI0 }, 13, 3, "aml-outside-write" },
		{ { 0x9e, 0x0d, 'A', 0, 0x00, 0x01, PCI0 }, 16, 6, "aml-outside-write" },
		/* Acquire (\_GL, 0xffff), a predefined object outside the device */
		{ { 0x5b, 0x23, '\\', '_', 'G', 'L', '_', 0xff, 0xff }, 9, 2, "aml-outside-write" },
		/* Store (One, DerefOf (X)): \_SB.PCI0, "X", Local0, DerefOf (Local0);
		 * a String names its object at run time, which the others may hold */
		{ { 0x70, 0x01, 0x83, PCI0 }, 13, 2, "aml-outside-write" },
		{ { 0x70, 0x01, 0x83, 0x0d, 'X', 0 }, 6, 2, "aml-outside-write" },
		{ { 0x70, 0x01, 0x83, 0x60 }, 4, 2, "aml-outside-write" },
		{ { 0x70, 0x01, 0x83, 0x83, 0x60 }, 5, 2, "aml-outside-write" },
		/* Acquire (DerefOf (Local0), 0xffff): the mutex it names */
		{ { 0x5b, 0x23, 0x83, 0x60, 0xff, 0xff }, 6, 2, "aml-outside-write" },
		/* Index (DerefOf (Local0), Zero, Local1), CreateByteField (DerefOf
		 * (Arg0), Zero, BFLD), Return (DerefOf (Local0)), RefOf (DerefOf
		 * (Local0)), CondRefOf (DerefOf (Local0), Local1): a reference into
		 * whatever the String names */
		{ { 0x88, 0x83, 0x60, 0x00, 0x61 }, 5, 1, "aml-outside-ref" },
		{ { 0x8c, 0x83, 0x68, 0x00, 'B', 'F', 'L', 'D' }, 8, 1, "aml-outside-ref" },
		{ { 0xa4, 0x83, 0x60 }, 3, 1, "aml-outside-ref" },
		{ { 0x71, 0x83, 0x60 }, 3, 1, "aml-outside-ref" },
		{ { 0x5b, 0x12, 0x83, 0x60, 0x61 }, 5, 2, "aml-outside-ref" },
		/* RefOf, CondRefOf, Index (\_SB.PCI0, Zero), CreateByteField */
		{ { 0x71, PCI0 }, 11, 1, "aml-outside-ref" },
		{ { 0x5b, 0x12, PCI0, 0x00 }, 13, 2, "aml-outside-ref" },
		{ { 0x88, PCI0, 0x00, 0x00 }, 13, 1, "aml-outside-ref" },
		{ { 0x8c, PCI0, 0x00, 'B', 'F', 'L', 'D' }, 16, 1, "aml-outside-ref" },
	};
	struct res r;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		parse_in_method(&r, cases[i].b, cases[i].n, NULL);
		print_message("# case %zu\n", i);
		expect_one(&r, FINDING_FORBIDDEN, cases[i].check, BASE + 11 + cases[i].at);
		res_free(&r);
	}
	/* Alias (\_SB.PCI0, ALI0), Field over an outside region, Package (\_SB.PCI0) */
	DEV(&r, 'D', 'E', 'V', '0', 0x06, PCI0, 'A', 'L', 'I', '0');
	expect_one(&r, FINDING_FORBIDDEN, "aml-outside-ref", BASE + 5);
	res_free(&r);
	DEV(&r, 'D', 'E', 'V', '0', 0x5b, 0x81, 0x11, PCI0, 0x01, 'F', 'L', 'D', '0', 0x08);
	expect_one(&r, FINDING_FORBIDDEN, "aml-outside-ref", BASE + 7);
	res_free(&r);
	DEV(&r, 'D', 'E', 'V', '0', 0x08, 'P', 'K', 'G', '0', 0x12, 0x0c, 0x01, PCI0);
	expect_one(&r, FINDING_FORBIDDEN, "aml-outside-ref", BASE + 12);
	res_free(&r);
	/* The message names the opcode and the target */
	METHOD(&r, 0x9d, 0x01, PCI0);
	assert_string_equal(r.f.v[0].message,
			    "CopyObject in \\_SB.DEV0.MTH0 writes \\_SB.PCI0, outside the device");
	res_free(&r);
}

/* What stays inside is fine: Locals, Args, Debug, the device's own names. */
static void test_device_inside_writes(void **state)
{
	struct res r;

	(void)state;
	/* Name (VAL0, Zero); Method { Store (One, VAL0); CopyObject (One, Local0);
	 * Increment (Arg0); Store (One, Debug); RefOf (VAL0); Index (VAL0, 0, Local1);
	 * Store (One, Index (VAL0, Zero)); Store (One, \_SB.DEV0.VAL0) } */
	DEV(&r, 'D', 'E', 'V', '0', 0x08, 'V', 'A', 'L', '0', 0x00,
	    0x14, 0x3b, 'M', 'T', 'H', '0', 0x00,
	    0x70, 0x01, 'V', 'A', 'L', '0',
	    0x9d, 0x01, 0x60,
	    0x75, 0x68,
	    0x70, 0x01, 0x5b, 0x31,
	    0x71, 'V', 'A', 'L', '0',
	    0x88, 'V', 'A', 'L', '0', 0x00, 0x61,
	    0x70, 0x01, 0x88, 'V', 'A', 'L', '0', 0x00, 0x00,
	    0x70, 0x01, '\\', 0x2f, 0x03, '_', 'S', 'B', '_', 'D', 'E', 'V', '0', 'V', 'A', 'L', '0');
	expect_clean(&r);
	assert_int_equal(r.info.nrefs, 0);
	res_free(&r);
	/* DerefOf of a reference made right there, and DerefOf only read:
	 * Name (VAL0, Zero); Method (MTH1) { Store (One, DerefOf (RefOf (VAL0)));
	 * Store (DerefOf (Local0), Local1);
	 * Index (DerefOf (Index (Local0, Zero)), Zero, Local2) } */
	DEV(&r, 'D', 'E', 'V', '0', 0x08, 'V', 'A', 'L', '0', 0x00,
	    0x14, 0x1a, 'M', 'T', 'H', '1', 0x00,
	    0x70, 0x01, 0x83, 0x71, 'V', 'A', 'L', '0',
	    0x70, 0x83, 0x60, 0x61,
	    0x88, 0x83, 0x88, 0x60, 0x00, 0x00, 0x00, 0x62);
	expect_clean(&r);
	res_free(&r);
	/* Reading an outside object is no write: left to the evaluator */
	METHOD(&r, 0x70, PCI0, 0x60);
	expect_clean(&r);
	assert_int_equal(r.info.nrefs, 1);
	assert_true(r.info.refs[0].call);
	res_free(&r);
	/* Calling \_OSI, a predefined method outside the device */
	METHOD(&r, 0x70, '_', 'O', 'S', 'I', 0x0d, 'X', 0, 0x60);
	expect_clean(&r);
	assert_int_equal(r.info.nrefs, 1);
	assert_true(r.info.refs[0].call && r.info.refs[0].resolved);
	assert_string_equal(r.info.refs[0].name, "\\_OSI");
	res_free(&r);
	/* A table's AML is not held to a device's rules */
	TL(&r, 0x70, 0x01, PCI0);
	expect_clean(&r);
	res_free(&r);
}

/*
 * A bare name searched for upward finds the device's own object only when
 * it exists at that moment: defined further on, in a branch not taken, or
 * by a method not yet run, it is not there, and the search reaches Xen's
 * object of the same name.  Xen's namespace here: \PICD, \MTHX (a method).
 */
static void test_device_name_twins(void **state)
{
	struct ns *xen = ns_new();
	struct res r;

	(void)state;
	assert_int_equal(ns_add(xen, "\\PICD", AML_OBJ_NAME, 0), 1);
	assert_int_equal(ns_add(xen, "\\MTHX", AML_OBJ_METHOD, 0), 1);
	/* Method (MTH0) { Store (One, PICD); Name (PICD, Zero) } */
	{
		const uint8_t b[] = { 0x70, 0x01, 'P', 'I', 'C', 'D', 0x08, 'P', 'I', 'C', 'D', 0x00 };
		parse_in_method(&r, b, sizeof(b), xen);
	}
	expect_one(&r, FINDING_FORBIDDEN, "aml-outside-write", BASE + 11 + 2);
	assert_string_equal(r.f.v[0].message,
			    "Store in \\_SB.DEV0.MTH0 writes PICD, which is \\PICD outside the "
			    "device whenever \\_SB.DEV0.MTH0.PICD does not exist yet");
	res_free(&r);
	/* Load-time code before the definition: Store (One, PICD); Name (PICD,
	 * Zero): code at load time, and a write that reaches \PICD */
	{
		const uint8_t d[] = { 'D', 'E', 'V', '0', 0x70, 0x01, 'P', 'I', 'C', 'D',
				      0x08, 'P', 'I', 'C', 'D', 0x00 };
		parse_dev(&r, d, sizeof(d), xen);
	}
	assert_int_equal(findings_total(&r.f), 2);
	assert_string_equal(r.f.v[0].check, "aml-load-code");
	assert_int_equal(r.f.v[0].offset, BASE + 4);
	assert_string_equal(r.f.v[1].check, "aml-outside-write");
	assert_int_equal(r.f.v[1].offset, BASE + 6);
	res_free(&r);
	/* A conditional definition in a method: Method (MTH0) { If (Zero)
	 * { Name (PICD, Zero) } RefOf (PICD) } */
	{
		const uint8_t b[] = { 0xa0, 0x08, 0x00, 0x08, 'P', 'I', 'C', 'D', 0x00,
				      0x71, 'P', 'I', 'C', 'D' };
		parse_in_method(&r, b, sizeof(b), xen);
	}
	expect_one(&r, FINDING_FORBIDDEN, "aml-outside-ref", BASE + 11 + 10);
	res_free(&r);
	/* Scope (PCI0) opens Xen's \_SB.PCI0 until the device's own exists:
	 * Scope (PCI0) { Name (PMIN, One) } Device (PCI0) {} */
	{
		struct ns *k = ns_new();
		const uint8_t d[] = { 'D', 'E', 'V', '0', 0x10, 0x0b, 'P', 'C', 'I', '0',
				      0x08, 'P', 'M', 'I', 'N', 0x01,
				      0x5b, 0x82, 0x05, 'P', 'C', 'I', '0' };

		assert_int_equal(ns_add(k, "\\_SB_.PCI0", AML_OBJ_DEVICE, 0), 1);
		parse_dev(&r, d, sizeof(d), k);
		expect_one(&r, FINDING_FORBIDDEN, "aml-escape", BASE + 4);
		res_free(&r);
		ns_free(k);
	}
	/* An inner twin: Method (XXXX, 1) { Return (0x66) } Method (MTH0) {
	 * If (Zero) { Name (XXXX, Zero) } Store (XXXX, Local0) }: when the
	 * Name does not exist, XXXX is the method and takes Local0 */
	{
		const uint8_t d[] = { 'D', 'E', 'V', '0', 0x14, 0x09, 'X', 'X', 'X', 'X', 0x01,
				      0xa4, 0x0a, 0x66,
				      0x14, 0x15, 'M', 'T', 'H', '0', 0x00,
				      0xa0, 0x08, 0x00, 0x08, 'X', 'X', 'X', 'X', 0x00,
				      0x70, 'X', 'X', 'X', 'X', 0x60 };
		parse_dev(&r, d, sizeof(d), xen);
	}
	expect_one(&r, FINDING_MALFORMED, "aml-ambiguous", BASE + 31);
	res_free(&r);
	/* Read only: Method (MTH0) { Store (PICD, Local0); Name (PICD, Zero) } */
	{
		const uint8_t b[] = { 0x70, 'P', 'I', 'C', 'D', 0x60, 0x08, 'P', 'I', 'C', 'D', 0x00 };
		parse_in_method(&r, b, sizeof(b), xen);
	}
	expect_clean(&r);
	res_free(&r);
	/* Invoked: Method (MTH0) { If (Zero) { Method (MTHX) {} } MTHX } may
	 * call Xen's \MTHX */
	{
		const uint8_t b[] = { 0xa0, 0x09, 0x00, 0x14, 0x06, 'M', 'T', 'H', 'X', 0x00,
				      'M', 'T', 'H', 'X' };
		parse_in_method(&r, b, sizeof(b), xen);
	}
	expect_one(&r, FINDING_FORBIDDEN, "aml-outside-call", BASE + 11 + 10);
	res_free(&r);
	/* What certainly exists when the code runs is the object found: one the
	 * load created, one the method created before, outside If:
	 * Name (PICD, Zero) Method (MTHX) {} Method (MTH0) { Store (One, PICD)
	 * MTHX Name (ICDP, Zero) Store (One, ICDP) }, with Xen's \ICDP too */
	assert_int_equal(ns_add(xen, "\\ICDP", AML_OBJ_NAME, 0), 1);
	{
		const uint8_t d[] = { 'D', 'E', 'V', '0', 0x08, 'P', 'I', 'C', 'D', 0x00,
				      0x14, 0x06, 'M', 'T', 'H', 'X', 0x00,
				      0x14, 0x1c, 'M', 'T', 'H', '0', 0x00,
				      0x70, 0x01, 'P', 'I', 'C', 'D', 'M', 'T', 'H', 'X',
				      0x08, 'I', 'C', 'D', 'P', 0x00, 0x70, 0x01, 'I', 'C', 'D', 'P' };
		parse_dev(&r, d, sizeof(d), xen);
	}
	expect_clean(&r);
	res_free(&r);
	/* Method (MTH0) { If (Zero) { Method (PICD, 1) {} } PICD (One) }: one
	 * argument, or none when Xen's \PICD is found: the bytes parse two ways */
	{
		const uint8_t b[] = { 0xa0, 0x09, 0x00, 0x14, 0x06, 'P', 'I', 'C', 'D', 0x01,
				      'P', 'I', 'C', 'D', 0x01 };
		parse_in_method(&r, b, sizeof(b), xen);
	}
	expect_one(&r, FINDING_MALFORMED, "aml-ambiguous", BASE + 11 + 10);
	res_free(&r);
	/* No twin the checks know of: another approved blob, or a table of
	 * Xen's the policy leaves out, may still define \_SB.VAL0 or \VAL0 */
	{
		const uint8_t b[] = { 0x70, 0x01, 'V', 'A', 'L', '0', 0x08, 'V', 'A', 'L', '0', 0x00 };
		parse_in_method(&r, b, sizeof(b), xen);
	}
	expect_one(&r, FINDING_FORBIDDEN, "aml-outside-write", BASE + 11 + 2);
	res_free(&r);
	/* Created in an If, used in it (QEMU's NCAL does so): there when used.
	 * Method (MTH0) { If (One) { Name (PICD, Zero) While (One) { Store (One,
	 * PICD) } } }, with Xen's \PICD */
	{
		const uint8_t b[] = { 0xa0, 0x11, 0x01, 0x08, 'P', 'I', 'C', 'D', 0x00,
				      0xa2, 0x08, 0x01, 0x70, 0x01, 'P', 'I', 'C', 'D' };
		parse_in_method(&r, b, sizeof(b), xen);
	}
	expect_clean(&r);
	res_free(&r);
	/* ... but not after the If: Method (MTH0) { If (One) { Name (PICD, Zero) }
	 * Store (One, PICD) } */
	{
		const uint8_t b[] = { 0xa0, 0x08, 0x01, 0x08, 'P', 'I', 'C', 'D', 0x00,
				      0x70, 0x01, 'P', 'I', 'C', 'D' };
		parse_in_method(&r, b, sizeof(b), xen);
	}
	expect_one(&r, FINDING_FORBIDDEN, "aml-outside-write", BASE + 11 + 11);
	res_free(&r);
	ns_free(xen);
}

/* What else a device body could reach outside itself, or hide. */
static void test_device_other_escapes(void **state)
{
	struct ns *xen = ns_new();
	struct res r;

	(void)state;
	assert_int_equal(ns_add(xen, "\\_SB_.PCI0.ZZZZ", AML_OBJ_NAME, 0), 1);
	/* External (\_SB.PCI0.YYYY, IntObj): ACPICA would create it */
	DEV(&r, 'D', 'E', 'V', '0', 0x15, '\\', 0x2f, 0x03, '_', 'S', 'B', '_', 'P', 'C', 'I', '0',
	    'Y', 'Y', 'Y', 'Y', 0x01, 0x00);
	expect_one(&r, FINDING_FORBIDDEN, "aml-escape", BASE + 5);
	res_free(&r);
	/* ... but not when it names an object of Xen's, nor inside the device */
	{
		const uint8_t d[] = { 'D', 'E', 'V', '0', 0x15, '\\', 0x2f, 0x03, '_', 'S', 'B', '_',
				      'P', 'C', 'I', '0', 'Z', 'Z', 'Z', 'Z', 0x01, 0x00,
				      0x15, '\\', 0x2f, 0x03, '_', 'S', 'B', '_', 'D', 'E', 'V', '0',
				      'Y', 'Y', 'Y', 'Y', 0x01, 0x00 };
		parse_dev(&r, d, sizeof(d), xen);
	}
	expect_clean(&r);
	res_free(&r);
	/* DataTableRegion (DTR0, "DSDT", "", ""): another table's bytes */
	DEV(&r, 'D', 'E', 'V', '0', 0x5b, 0x88, 'D', 'T', 'R', '0', 0x0d, 'D', 'S', 'D', 'T', 0,
	    0x0d, 0, 0x0d, 0);
	expect_one(&r, FINDING_FORBIDDEN, "aml-outside-ref", BASE + 4);
	res_free(&r);
	/* Code at load time: If (One) {}, and a method call in an operand:
	 * Method (MTHA) { Return (One) } Name (VAL0, Buffer (MTHA) {}) */
	DEV(&r, 'D', 'E', 'V', '0', 0xa0, 0x02, 0x01);
	expect_one(&r, FINDING_FORBIDDEN, "aml-load-code", BASE + 4);
	assert_string_equal(r.f.v[0].message,
			    "If in \\_SB.DEV0, outside a method, runs while the table loads: a "
			    "device defines objects there and runs nothing");
	res_free(&r);
	DEV(&r, 'D', 'E', 'V', '0', 0x14, 0x08, 'M', 'T', 'H', 'A', 0x00, 0xa4, 0x01,
	    0x08, 'V', 'A', 'L', '0', 0x11, 0x05, 'M', 'T', 'H', 'A');
	expect_one(&r, FINDING_FORBIDDEN, "aml-load-code", BASE + 20);
	res_free(&r);
	/* The same method defined twice with other argument counts */
	DEV(&r, 'D', 'E', 'V', '0', 0x14, 0x06, 'M', 'T', 'H', 'A', 0x01,
	    0x14, 0x06, 'M', 'T', 'H', 'A', 0x02);
	expect_one(&r, FINDING_MALFORMED, "aml-ambiguous", BASE + 13);
	assert_string_equal(r.f.v[0].message,
			    "\\_SB.DEV0.MTHA is defined twice, taking 1 and 2 arguments");
	res_free(&r);
	/* _HID: once, a Name, never written, or the guest may see another */
	DEV(&r, 'D', 'E', 'V', '0', 0x08, '_', 'H', 'I', 'D', 0x0d, 'A', 0,
	    0x08, '_', 'H', 'I', 'D', 0x0d, 'B', 0);
	expect_one(&r, FINDING_FORBIDDEN, "aml-hid", BASE + 0);
	assert_string_equal(r.info.hid, "");
	res_free(&r);
	DEV(&r, 'D', 'E', 'V', '0', 0x08, '_', 'H', 'I', 'D', 0x0d, 'A', 0,
	    0x14, 0x0e, 'M', 'T', 'H', '0', 0x00, 0x70, 0x0d, 'B', 0, '_', 'H', 'I', 'D');
	expect_one(&r, FINDING_FORBIDDEN, "aml-hid", BASE + 0);
	assert_string_equal(r.info.hid, "");
	res_free(&r);
	/* A method's _HID is not known from the bytes: no HID, no finding */
	DEV(&r, 'D', 'E', 'V', '0', 0x14, 0x0a, '_', 'H', 'I', 'D', 0x00, 0xa4, 0x0d, 'A', 0);
	expect_clean(&r);
	assert_string_equal(r.info.hid, "");
	res_free(&r);
	DEV(&r, 'D', 'E', 'V', '0', 0x08, '_', 'H', 'I', 'D', 0x0d, 'A', 0);
	expect_clean(&r);
	assert_string_equal(r.info.hid, "A");
	res_free(&r);
	ns_free(xen);
}

/* Parse a device blob written in hex; true when some finding is check
 * (any finding when check is NULL). */
static bool dev_hex_finds(const char *hex, const struct ns *known, const char *check)
{
	size_t n = strlen(hex) / 2;
	uint8_t *d = malloc(n);	/* exactly: a read past the end is the sanitizers' */
	struct res r;
	bool found = false;

	assert_non_null(d);
	for (size_t i = 0; i < n; i++) {
		unsigned v;

		assert_int_equal(sscanf(hex + 2 * i, "%2x", &v), 1);
		d[i] = (uint8_t)v;
	}
	parse_dev(&r, d, n, known);
	for (size_t i = 0; i < r.f.n; i++) {
		print_message("# finding %s @%zu: %s\n", r.f.v[i].check, r.f.v[i].offset,
			      r.f.v[i].message);
		found |= !check || !strcmp(r.f.v[i].check, check);
	}
	res_free(&r);
	free(d);
	return found;
}

/*
 * Device blobs (NVDR, its _HID "ACPI0012" first) that reached Xen's objects
 * through the way ACPICA resolves names, with the bytes that did it.
 */
static void test_device_resolution_escapes(void **state)
{
	struct ns *xen = ns_new();

	(void)state;
	assert_int_equal(ns_add(xen, "\\PICD", AML_OBJ_NAME, 0), 1);
	assert_int_equal(ns_add(xen, "\\_SB_.PCI0", AML_OBJ_DEVICE, 0), 1);
	/* Method (MMMM) { External (^PCI0, DeviceObj) } Scope (PCI0) { Name (PMIN, ...) }:
	 * the External, never run, creates nothing; Scope opens Xen's PCI0 */
	assert_true(dev_hex_finds("4e564452085f4849440d414350493030313200140e4d4d4d4d00155e50"
				  "4349300600100f5043493008504d494e0c00000020", xen, "aml-escape"));
	/* the same External declaring XXXX with no arguments, a method with one:
	 * Store (XXXX, Local0) PICD is Store (XXXX (Local0), PICD) */
	assert_true(dev_hex_finds("4e564452085f4849440d41435049303031320014134d4d4d4d00155e2e5f"
				  "494e4958585858010014095858585801a40a6614135f494e4900700160"
				  "70585858586050494344", xen, "aml-outside-write"));
	/* CopyObject (0x66, ^^): \_SB replaced */
	assert_true(dev_hex_finds("4e564452085f4849440d414350493030313200140c5f494e49009d0a665e"
				  "5e00", xen, "aml-escape"));
	/* Alias (^^, ALRT) Name (ALRT.PICD, Zero) Method (_INI) { Store (0x66, ^ALRT.PICD) } */
	assert_true(dev_hex_finds("4e564452085f4849440d414350493030313200065e5e00414c5254082e41"
				  "4c5254504943440014135f494e4900700a665e2e414c525450494344",
				  xen, "aml-escape"));
	/* Alias (XXXX, ALXX) of a method taking one argument: ALXX Local0 is a call */
	assert_true(dev_hex_finds("4e564452085f4849440d41435049303031320014095858585801a40a6606"
				  "58585858414c585814135f494e490070016070414c58586050494344",
				  xen, "aml-outside-ref"));
	/* CopyObject (Package (1) { XXXX }, Local0) PICD: ACPICA calls XXXX with Local0 */
	assert_true(dev_hex_finds("4e564452085f4849440d41435049303031320014095858585801a40a6614"
				  "165f494e49007001609d120601585858586050494344", xen,
				  "aml-ambiguous"));
	/* Scope (NVD2) { Name (ZZZZ, One) }: another blob's device, found upward */
	assert_true(dev_hex_finds("4e564452100b4e564432085a5a5a5a01", xen, "aml-escape"));
	/* Method (AAAA) { Scope (\_SB.NVDR) { Name (PICD, 0) } } and _INI writes
	 * PICD: a method creates objects in its own scope only */
	assert_true(dev_hex_finds("4e564452085f4849440d4143504930303132001418414141410010115c"
				  "2e5f53425f4e564452085049434400140d5f494e4900700a5550494344",
				  xen, "aml-escape"));
	/* A nested method calls XXXX, a one-argument method defined after it */
	assert_true(dev_hex_finds("4e564452085f4849440d41435049303031320014285f494e4900141342"
				  "424242007001607058585858605049434414095858585801a40a66424242"
				  "42", xen, "aml-ambiguous"));
	/* ... or a While's second pass does, once the first defined it */
	assert_true(dev_hex_finds("4e564452085f4849440d414350493030313200142f5f494e4900700060"
				  "a22595600a02a00e93600170585858586050494344a00e936000140958"
				  "58585801a40a667560", xen, "aml-ambiguous"));
	/* CopyObject (DerefOf (RefOf (XXXX)), YYYY) makes YYYY a method: no
	 * reference to a method, so no expression gives one */
	assert_true(dev_hex_finds("4e564452085f4849440d41435049303031320014095858585801a40a66"
				  "085959595900141e5f494e49009d83715858585859595959700160705959"
				  "59596050494344", xen, "aml-outside-ref"));
	/* If (Zero) { Name (NVD2, 0) } CopyObject (0x55, NVD2): another blob's
	 * \_SB.NVD2 is found when the device's own does not exist */
	assert_true(dev_hex_finds("4e564452085f4849440d41435049303031320014165f494e4900a00800"
				  "084e564432009d0a554e564432", xen, "aml-outside-write"));
	/* CopyObject (Zero, XXXX) makes the method XXXX data: Add (XXXX (0x55),
	 * PICD, Local0) then runs as Add (XXXX, 0x55, PICD) */
	assert_true(dev_hex_finds("4e564452085f4849440d41435049303031320014085858585801a40014"
				  "185f494e49009d005858585872585858580a555049434460", xen,
				  "aml-ambiguous"));
	/* ... or Store (Zero, Arg0) with RefOf (XXXX) passed as Arg0 */
	assert_true(dev_hex_finds("4e564452085f4849440d41435049303031320014085858585801a40014"
				  "094848484801700068141b5f494e490048484848715858585872585858"
				  "580a555049434460", xen, "aml-outside-ref"));
	/* Method (BBBB) { Add (XXXX (0x55), PICD, Local0) } then Method (XXXX, 0)
	 * in _INI, then BBBB (): the call finds _INI's XXXX, taking none */
	assert_true(dev_hex_finds("4e564452085f4849440d41435049303031320014085858585801a40014"
				  "265f494e49001412424242420072585858580a5550494344601408585858"
				  "5800a40042424242", xen, "aml-ambiguous"));
	/* CopyObject (DerefOf ("XXXX"), YYYY): ACPICA's DerefOf of a String
	 * naming a method gives the method's node, which the copy makes YYYY;
	 * Store (YYYY, Local0) \PICD then parses as YYYY (Local0, \PICD) */
	assert_true(dev_hex_finds("4e564452085f4849440d41435049303031320014095858585801a40a66"
				  "085959595900141d5f494e49009d830d585858580059595959705959595960"
				  "5c50494344", xen, "aml-ambiguous"));
	/* Store (DerefOf ("XXXX"), Arg0), Store (Local0, Arg0): through an Arg
	 * holding RefOf (YYYY) the same, without conversion; CopyObject (Local0,
	 * Local1) copies what may be one */
	assert_true(dev_hex_finds("4e564452085f4849440d414350493030313200"
				  "140f4d4d4d4d0170830d585858580068", xen, "aml-ambiguous"));
	assert_true(dev_hex_finds("4e564452085f4849440d414350493030313200"
				  "14094d4d4d4d01706068", xen, "aml-ambiguous"));
	assert_true(dev_hex_finds("4e564452085f4849440d414350493030313200"
				  "14094d4d4d4d019d6061", xen, "aml-ambiguous"));
	/* A Store whose source ends the blob: no destination to look at */
	assert_true(dev_hex_finds("4e564452085f4849440d414350493030313200"
				  "14094d4d4d4d01700a55", xen, NULL));
	/* ... but a literal stored into an Arg, or copied, is fine */
	assert_false(dev_hex_finds("4e564452085f4849440d414350493030313200"
				   "140f4d4d4d4d01700a55689d0d410060", xen, NULL));
	/* An Alias of the device's own data object, defined before it, is fine */
	assert_false(dev_hex_finds("4e5644520856413130000656413130414c5330", xen, NULL));
	ns_free(xen);
}

static void test_device_escape(void **state)
{
	char t[AML_PATH_MAX];
	struct res r;

	(void)state;
	DEV(&r, 'D', 'E', 'V', '0', 0x08, '\\', 'F', 'O', 'O', '_', 0x01);
	expect_one(&r, FINDING_FORBIDDEN, "aml-escape", BASE + 5);
	assert_true(has_obj(&r, "\\FOO_", AML_OBJ_NAME));
	res_free(&r);
	DEV(&r, 'D', 'E', 'V', '0', 0x08, '^', 'F', 'O', 'O', '_', 0x01);
	expect_one(&r, FINDING_FORBIDDEN, "aml-escape", BASE + 5);
	res_free(&r);
	/* Scope (\_SB) {} and Scope (_SB) {}, found by the upward search */
	DEV(&r, 'D', 'E', 'V', '0', 0x10, 0x06, '\\', '_', 'S', 'B', '_');
	expect_one(&r, FINDING_FORBIDDEN, "aml-escape", BASE + 4);
	res_free(&r);
	DEV(&r, 'D', 'E', 'V', '0', 0x10, 0x05, '_', 'S', 'B', '_');
	expect_one(&r, FINDING_FORBIDDEN, "aml-escape", BASE + 4);
	res_free(&r);
	/* inside a method body too */
	DEV(&r, 'D', 'E', 'V', '0', 0x14, 0x0d, 'M', 'T', 'H', '0', 0x00,
	    0x08, '\\', 'B', 'A', 'R', '_', 0x01);
	expect_one(&r, FINDING_FORBIDDEN, "aml-escape", BASE + 12);
	res_free(&r);
	/* Scope into itself, and relative names, stay inside */
	DEV(&r, 'D', 'E', 'V', '0', 0x10, 0x11, '\\', 0x2e, '_', 'S', 'B', '_', 'D', 'E', 'V',
	    '0', 0x08, 'I', 'N', 'N', '0', 0x01);
	expect_clean(&r);
	assert_string_equal(aml_object_path(&r.info.objs[0], t), "\\_SB_.DEV0");
	assert_int_equal(r.info.objs[0].type, AML_OBJ_DEVICE);
	assert_true(has_obj(&r, "\\_SB_.DEV0.INN0", AML_OBJ_NAME));
	res_free(&r);
	/* the name itself */
	DEV(&r, 'd', 'E', 'V', '0');
	expect_one(&r, FINDING_MALFORMED, "aml-nameseg", BASE);
	res_free(&r);
	DEV(&r, 'D', 'E', 'V');
	expect_one(&r, FINDING_MALFORMED, "aml-truncated", BASE);
	res_free(&r);
}

static void test_load_family(void **state)
{
	struct res r;

	(void)state;
	/* Method (MTH0) { Load (TBL0, Local0) } in a device */
	DEV(&r, 'D', 'E', 'V', '0', 0x14, 0x0d, 'M', 'T', 'H', '0', 0x00,
	    0x5b, 0x20, 'T', 'B', 'L', '0', 0x60);
	expect_one(&r, FINDING_FORBIDDEN, "aml-load", BASE + 11);
	res_free(&r);
	/* Unload (Local0) in a table */
	TL(&r, 0x14, 0x09, 'M', 'T', 'H', '0', 0x00, 0x5b, 0x2a, 0x60);
	expect_one(&r, FINDING_FORBIDDEN, "aml-load", T(7));
	res_free(&r);
	/* Store (LoadTable ("", "", "", "", "", Zero), Local0) */
	TL(&r, 0x14, 0x15, 'M', 'T', 'H', '0', 0x00, 0x70, 0x5b, 0x1f,
	   0x0d, 0x00, 0x0d, 0x00, 0x0d, 0x00, 0x0d, 0x00, 0x0d, 0x00, 0x00, 0x60);
	expect_one(&r, FINDING_FORBIDDEN, "aml-load", T(8));
	res_free(&r);
}

static void test_hid(void **state)
{
	struct res r;

	(void)state;
	DEV(&r, 'N', 'V', 'D', 'R', 0x08, '_', 'H', 'I', 'D', 0x0d,
	    'A', 'C', 'P', 'I', '0', '0', '1', '2', 0x00);
	expect_clean(&r);
	assert_string_equal(r.info.hid, "ACPI0012");
	res_free(&r);
	DEV(&r, 'P', 'C', 'I', '9', 0x08, '_', 'H', 'I', 'D', 0x0c, 0x41, 0xd0, 0x0a, 0x03);
	expect_clean(&r);
	assert_string_equal(r.info.hid, "PNP0A03");
	res_free(&r);
	DEV(&r, 'T', 'P', 'M', '_', 0x08, '_', 'H', 'I', 'D', 0x0c, 0x41, 0xd0, 0x0c, 0x31);
	assert_string_equal(r.info.hid, "PNP0C31");
	res_free(&r);
	/* a child device's _HID is not the device's */
	DEV(&r, 'N', 'V', 'D', 'R', 0x5b, 0x82, 0x0f, 'C', 'H', 'L', '0',
	    0x08, '_', 'H', 'I', 'D', 0x0d, 'X', 'Y', 'Z', 0x00);
	expect_clean(&r);
	assert_string_equal(r.info.hid, "");
	res_free(&r);
}

static void test_refs(void **state)
{
	struct res r;

	(void)state;
	/* Method (MTH0) { Name (LOC0, 0)  Store (LOC0, Local0)
	 *                 Notify (\_SB.PCI0, One)  Store (CondRefOf (^NONE), Local1) }:
	 * CondRefOf's name need not exist (a device's must be its own) */
	DEV(&r, 'D', 'E', 'V', '0', 0x14, 0x28, 'M', 'T', 'H', '0', 0x00,
	    0x08, 'L', 'O', 'C', '0', 0x00,
	    0x70, 'L', 'O', 'C', '0', 0x60,
	    0x86, '\\', 0x2e, '_', 'S', 'B', '_', 'P', 'C', 'I', '0', 0x01,
	    0x70, 0x5b, 0x12, '^', 'N', 'O', 'N', 'E', 0x00, 0x61);
	expect_clean(&r);
	assert_int_equal(r.info.nobjs, 2);
	assert_int_equal(r.info.nrefs, 1);
	assert_string_equal(r.info.refs[0].name, "\\_SB_.PCI0");
	assert_string_equal(r.info.refs[0].scope, "\\_SB_.DEV0.MTH0");
	assert_int_equal(r.info.refs[0].offset, BASE + 24);
	res_free(&r);
}

static void test_path_display(void **state)
{
	char out[AML_PATH_MAX];

	(void)state;
	aml_path_display("\\_SB_.PCI0.S00_", out, sizeof(out));
	assert_string_equal(out, "\\_SB.PCI0.S00");
	aml_path_display("\\_GPE._E02", out, sizeof(out));
	assert_string_equal(out, "\\_GPE._E02");
	aml_path_display("\\A___.B_C_", out, sizeof(out));
	assert_string_equal(out, "\\A.B_C");
	aml_path_display("\\", out, sizeof(out));
	assert_string_equal(out, "\\");
}

/* ---- real tables ---- */

static void parse_file(struct res *r, const char *rel)
{
	char path[4096];
	const char *dir = getenv("DMACPI_TESTDATA");
	uint8_t *buf;
	size_t len;

	snprintf(path, sizeof(path), "%s/%s", dir ? dir : "tests/data", rel);
	assert_int_equal(read_file(path, 1 << 24, &buf, &len), 0);
	aml_info_init(&r->info);
	findings_init(&r->f);
	r->rc = aml_parse_table(buf, len, 0, NULL, &r->info, &r->f);
	free(buf);
}

static void test_real_tables(void **state)
{
	static const char *const files[] = {
		"xen/DSDT_94c0.aml", "xen/DSDT_17e80.aml", "xen/DSDT_20920.aml",
		"xen/SSDT_29be0.aml", "xen/SSDT_29c40.aml", "xen/SSDT_2a200.aml",
		"xen/SSDT_2a260.aml", "xen/SSDT_2a2a0.aml",
		"qemu/SSDT.dimmpxm", "qemu/DSDT", "qemu/DSDT.pc.dimmpxm",
	};
	(void)state;
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		struct res r;

		parse_file(&r, files[i]);
		print_message("# %s: %zu objects\n", files[i], r.info.nobjs);
		expect_clean(&r);
		assert_true(r.info.nobjs > 0);
		res_free(&r);
	}
}

static void test_qemu_nvdimm_ssdt(void **state)
{
	char t[AML_PATH_MAX];
	struct res r;

	(void)state;
	parse_file(&r, "qemu/SSDT.dimmpxm");
	expect_clean(&r);
	assert_true(has_obj(&r, "\\_SB_.NVDR", AML_OBJ_DEVICE));
	assert_true(has_obj(&r, "\\_SB_.NVDR.NV00", AML_OBJ_DEVICE));
	assert_true(has_obj(&r, "\\_SB_.NVDR.NV01", AML_OBJ_DEVICE));
	assert_true(has_obj(&r, "\\_SB_.NVDR.NV02", AML_OBJ_DEVICE));
	assert_true(has_obj(&r, "\\_SB_.NVDR.NV02._DSM", AML_OBJ_METHOD));
	assert_true(has_obj(&r, "\\MEMA", AML_OBJ_NAME));
	assert_false(has_obj(&r, "\\_SB_.NVDR.NCAL.NTFI", AML_OBJ_FIELD));
	for (size_t i = 0; i < r.info.nobjs; i++)
		if (!strcmp(aml_object_path(&r.info.objs[i], t), "\\_SB_.NVDR.NCAL"))
			assert_int_equal(r.info.objs[i].argc, 5);
	assert_int_equal(r.info.nobjs, 26);
	assert_int_equal(r.info.nrefs, 0);
	res_free(&r);
	/* Xen's qemu-xen DSDT: ACPICA counts 1473 objects in it */
	parse_file(&r, "xen/DSDT_20920.aml");
	assert_int_equal(r.info.nobjs, 1473);
	res_free(&r);
}

/* Truncating a real table anywhere never crashes and never passes silently
 * unless the cut falls between terms. */
static void test_real_truncated(void **state)
{
	char path[4096];
	const char *dir = getenv("DMACPI_TESTDATA");
	uint8_t *buf;
	size_t len, bad = 0;

	(void)state;
	snprintf(path, sizeof(path), "%s/qemu/SSDT.dimmpxm", dir ? dir : "tests/data");
	assert_int_equal(read_file(path, 1 << 24, &buf, &len), 0);
	for (size_t cut = 36; cut < len; cut++) {
		struct aml_info info;
		struct findings f;

		aml_info_init(&info);
		findings_init(&f);
		if (aml_parse_table(buf, cut, 0, NULL, &info, &f))
			bad++;
		assert_int_equal(findings_total(&f) > 0, aml_parse_table(buf, cut, 0, NULL, &info, &f) != 0);
		aml_info_free(&info);
		findings_free(&f);
	}
	/* Scope (\_SB) spans almost the whole table: every cut inside it fails */
	assert_true(bad >= len - 36 - 20);
	free(buf);
}

/*
 * The parser of one parse is kept for the next (aml.c, parser_give()):
 * nothing of a blob shows in the next one's result, whether the kept
 * parser's namespace and arrays were emptied (a small blob) or dropped
 * (more than 4,096 names, more than 256 method bodies and references).
 */
static void test_parser_reuse(void **state)
{
	enum { NAMES = 5000, METHODS = 300 };
	/* Method (USE0) { Store (NAA0, Local0) }: NAA0 is the big table's */
	const uint8_t small[] = { 0x14, 0x0c, 'U', 'S', 'E', '0', 0x00,
				  0x70, 'N', 'A', 'A', '0', 0x60 };
	size_t len = 6 * NAMES + 13 * METHODS;
	uint8_t *big = malloc(len), *o = big;
	struct res r;

	(void)state;
	assert_non_null(big);
	for (int i = 0; i < NAMES; i++) {	/* Name (Nxyz, Zero), all distinct */
		const uint8_t n[6] = { 0x08, 'N', (uint8_t)('A' + i / 260),
				       (uint8_t)('A' + i / 10 % 26), (uint8_t)('0' + i % 10), 0x00 };

		memcpy(o, n, 6);
		o += 6;
	}
	for (int i = 0; i < METHODS; i++) {	/* Method (Mxyz) { Store (Xxyz, Local0) } */
		const uint8_t d[3] = { (uint8_t)('0' + i / 100), (uint8_t)('0' + i / 10 % 10),
				       (uint8_t)('0' + i % 10) };
		const uint8_t m[13] = { 0x14, 0x0c, 'M', d[0], d[1], d[2], 0x00,
					0x70, 'X', d[0], d[1], d[2], 0x60 };

		memcpy(o, m, 13);
		o += 13;
	}
	for (int round = 0; round < 2; round++) {
		/* kept and emptied: a small table defines NAA0 ... */
		TL(&r, 0x08, 'N', 'A', 'A', '0', 0x00);
		expect_clean(&r);
		res_free(&r);
		parse_tl(&r, small, sizeof(small), NULL);
		expect_clean(&r);
		assert_int_equal(r.info.nrefs, 1);	/* ... that the next one does not see */
		res_free(&r);
		/* dropped: too many names, bodies and references to keep */
		parse_tl(&r, big, len, NULL);
		expect_clean(&r);
		assert_int_equal(r.info.nobjs, NAMES + METHODS);
		assert_int_equal(r.info.nrefs, METHODS);
		res_free(&r);
		parse_tl(&r, small, sizeof(small), NULL);
		expect_clean(&r);
		assert_int_equal(r.info.nobjs, 1);
		assert_int_equal(r.info.nrefs, 1);
		assert_string_equal(r.info.refs[0].name, "NAA0");
		res_free(&r);
	}
	free(big);
}

/*
 * The one walk decides what the two passes decide (aml.c) on every real
 * table, with Xen's namespace known and without, on each device carved
 * from them, and on every truncation of the two that use names before
 * defining them (Xen's battery SSDT lists BAT0 and BAT1 in a Package
 * before their Devices; QEMU's NVDIMM SSDT calls a method before it).
 */
static void test_one_walk_real(void **state)
{
	static const char *const files[] = {
		"qemu/DSDT", "qemu/DSDT.pc.dimmpxm", "qemu/SSDT.dimmpxm",
		"xen/DSDT_17e80.aml", "xen/DSDT_20920.aml", "xen/DSDT_94c0.aml",
		"xen/SSDT_29be0.aml", "xen/SSDT_29c40.aml", "xen/SSDT_2a200.aml",
		"xen/SSDT_2a260.aml", "xen/SSDT_2a2a0.aml",
	};
	const char *dir = getenv("DMACPI_TESTDATA");
	struct ns *xen = ns_new();
	struct findings f;
	char path[4096];
	uint8_t *buf;
	size_t len;

	(void)state;
	findings_init(&f);
	snprintf(path, sizeof(path), "%s/xen/DSDT_20920.aml", dir ? dir : "tests/data");
	assert_int_equal(read_file(path, 1 << 24, &buf, &len), 0);
	assert_int_equal(ns_load_image(xen, buf, len, &f), 1);
	free(buf);
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		struct carved_device *devs;
		int n;

		snprintf(path, sizeof(path), "%s/%s", dir ? dir : "tests/data", files[i]);
		assert_int_equal(read_file(path, 1 << 24, &buf, &len), 0);
		check_same(buf, len, NULL, false, files[i]);
		check_same(buf, len, xen, false, files[i]);
		if (strstr(files[i], "SSDT.dimmpxm") || strstr(files[i], "SSDT_29c40"))
			for (size_t cut = 36; cut < len; cut++)
				check_same(buf, cut, xen, false, files[i]);
		n = carve_devices(buf, len, &devs, &f);
		for (int k = 0; k < n; k++) {
			uint8_t *blob = malloc(4 + devs[k].len);

			assert_non_null(blob);
			memcpy(blob, devs[k].name, 4);
			memcpy(blob + 4, devs[k].body, devs[k].len);
			check_same(blob, 4 + devs[k].len, NULL, true, devs[k].name);
			check_same(blob, 4 + devs[k].len, xen, true, devs[k].name);
			free(blob);
		}
		if (n > 0)
			carve_free(devs, (size_t)n);
		free(buf);
	}
	findings_free(&f);
	ns_free(xen);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pkglength_encodings),
		cmocka_unit_test(test_pkglength_reserved_bits),
		cmocka_unit_test(test_pkglength_bounds),
		cmocka_unit_test(test_namestring_forms),
		cmocka_unit_test(test_namestring_errors),
		cmocka_unit_test(test_opcodes),
		cmocka_unit_test(test_depth),
		cmocka_unit_test(test_fields_and_objects),
		cmocka_unit_test(test_method_argc_same_aml),
		cmocka_unit_test(test_one_walk),
		cmocka_unit_test(test_method_argc_known),
		cmocka_unit_test(test_method_argc_external),
		cmocka_unit_test(test_method_search_upward),
		cmocka_unit_test(test_device_escape),
		cmocka_unit_test(test_device_outside_writes),
		cmocka_unit_test(test_device_inside_writes),
		cmocka_unit_test(test_device_name_twins),
		cmocka_unit_test(test_device_other_escapes),
		cmocka_unit_test(test_device_resolution_escapes),
		cmocka_unit_test(test_load_family),
		cmocka_unit_test(test_hid),
		cmocka_unit_test(test_refs),
		cmocka_unit_test(test_path_display),
		cmocka_unit_test(test_real_tables),
		cmocka_unit_test(test_qemu_nvdimm_ssdt),
		cmocka_unit_test(test_real_truncated),
		cmocka_unit_test(test_one_walk_real),
		cmocka_unit_test(test_parser_reuse),
	};

	return cmocka_run_group_tests_name("aml", tests, NULL, NULL);
}
