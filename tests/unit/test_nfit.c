// SPDX-License-Identifier: GPL-2.0-or-later
/* NFIT: QEMU's real NFIT passes; every structural failure is named exactly. */
#include "checks-data.h"

#include "nfit.h"
#include "table.h"
#include "text.h"

#define BASE 0x30u

/* QEMU's vNVDIMM NFIT (tests/data/qemu/NFIT.dimmpxm) subtable offsets. */
#define Q_SPA 0x28u
#define Q_MAP 0x60u
#define Q_DCR 0x90u
#define Q_CAPS 0xe0u

/* A hand-built NFIT. */
struct nfit_buf {
	uint8_t b[8192];
	size_t len;
};

static void nb_init(struct nfit_buf *n)
{
	memset(n, 0, sizeof(*n));
	memcpy(n->b, "NFIT", 4);
	n->len = 40;
}

static uint8_t *nb_add(struct nfit_buf *n, uint16_t type, uint16_t len)
{
	uint8_t *s = n->b + n->len;

	assert_true(n->len + len <= sizeof(n->b));
	s[0] = (uint8_t)type;
	s[1] = (uint8_t)(type >> 8);
	s[2] = (uint8_t)len;
	s[3] = (uint8_t)(len >> 8);
	n->len += len;
	return s;
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static uint8_t *add_spa(struct nfit_buf *n, uint16_t index)
{
	uint8_t *s = nb_add(n, 0, 56);

	put16(s + 4, index);
	put16(s + 6, 2);
	return s;
}

static uint8_t *add_map(struct nfit_buf *n, uint16_t spa, uint16_t dcr)
{
	uint8_t *s = nb_add(n, 1, 48);

	put16(s + 12, spa);
	put16(s + 14, dcr);
	return s;
}

static uint8_t *add_dcr(struct nfit_buf *n, uint16_t index)
{
	uint8_t *s = nb_add(n, 4, 80);

	put16(s + 4, index);
	return s;
}

static void check(const uint8_t *t, size_t len, const char *check, size_t offset)
{
	struct findings f;
	int r;

	findings_init(&f);
	r = nfit_check(t, len, BASE, &f);
	assert_int_equal((size_t)r, findings_total(&f));
	if (check)
		assert_one_finding(&f, check, FINDING_MALFORMED, BASE + offset);
	else
		assert_no_findings(&f);
	findings_free(&f);
}

static void nb_check(const struct nfit_buf *n, const char *name, size_t offset)
{
	check(n->b, n->len, name, offset);
}

static void test_qemu(void **state)
{
	size_t len;
	uint8_t *t = load_testdata("qemu/NFIT.dimmpxm", &len);

	(void)state;
	assert_int_equal(len, 0xf0);
	/* The layout this test's offsets assume. */
	assert_int_equal(le16(t + Q_SPA), 0);
	assert_int_equal(le16(t + Q_MAP), 1);
	assert_int_equal(le16(t + Q_DCR), 4);
	assert_int_equal(le16(t + Q_CAPS), 7);
	check(t, len, NULL, 0);
	free(t);
}

/* Mutate a copy of QEMU's NFIT with fn, expect exactly one finding. */
static void mutate(void (*fn)(uint8_t *t, size_t *len), const char *name, size_t offset)
{
	size_t len;
	uint8_t *orig = load_testdata("qemu/NFIT.dimmpxm", &len);
	uint8_t t[512] = { 0 };

	assert_true(len <= sizeof(t) - 8);
	memcpy(t, orig, len);
	free(orig);
	fn(t, &len);
	table_fix_checksum(t, len);
	check(t, len, name, offset);
}

static void m_header_short(uint8_t *t, size_t *len) { (void)t; *len = 39; }
static void m_header_reserved(uint8_t *t, size_t *len) { (void)len; t[38] = 1; }
static void m_zero_length(uint8_t *t, size_t *len) { (void)len; put16(t + Q_MAP + 2, 0); }
static void m_overrun(uint8_t *t, size_t *len) { (void)len; put16(t + Q_CAPS + 2, 17); }
static void m_truncated(uint8_t *t, size_t *len) { (void)t; *len -= 2; }
static void m_tail(uint8_t *t, size_t *len) { t[*len] = 7; *len += 3; }
static void m_type8(uint8_t *t, size_t *len) { (void)len; put16(t + Q_CAPS, 8); }
static void m_type_ffff(uint8_t *t, size_t *len) { (void)len; put16(t + Q_CAPS, 0xffff); }
static void m_spa_dangling(uint8_t *t, size_t *len) { (void)len; put16(t + Q_MAP + 12, 9); }
static void m_spa_none(uint8_t *t, size_t *len) { (void)len; put16(t + Q_MAP + 12, 0); }
static void m_dcr_dangling(uint8_t *t, size_t *len) { (void)len; put16(t + Q_MAP + 14, 4); }
static void m_dcr_renamed(uint8_t *t, size_t *len) { (void)len; put16(t + Q_DCR + 4, 6); }
static void m_spa_renamed(uint8_t *t, size_t *len) { (void)len; put16(t + Q_SPA + 4, 5); }
static void m_spa_reserved(uint8_t *t, size_t *len) { (void)len; t[Q_SPA + 11] = 0x80; }
static void m_map_reserved(uint8_t *t, size_t *len) { (void)len; t[Q_MAP + 47] = 1; }
static void m_dcr_reserved(uint8_t *t, size_t *len) { (void)len; t[Q_DCR + 22] = 1; }
static void m_dcr_reserved2(uint8_t *t, size_t *len) { (void)len; t[Q_DCR + 79] = 1; }
static void m_caps_reserved(uint8_t *t, size_t *len) { (void)len; t[Q_CAPS + 6] = 1; }
static void m_caps_reserved2(uint8_t *t, size_t *len) { (void)len; t[Q_CAPS + 15] = 1; }
static void m_spa_flags(uint8_t *t, size_t *len) { (void)len; t[Q_SPA + 6] |= 8; }
static void m_spa_cookie(uint8_t *t, size_t *len) { (void)len; t[Q_SPA + 6] |= 4; }
static void m_map_flags(uint8_t *t, size_t *len) { (void)len; t[Q_MAP + 44] = 0x80; }
static void m_map_flags_ok(uint8_t *t, size_t *len) { (void)len; t[Q_MAP + 44] = 0x7f; }
static void m_dcr_valid(uint8_t *t, size_t *len) { (void)len; t[Q_DCR + 18] = 2; }
static void m_dcr_flags(uint8_t *t, size_t *len) { (void)len; t[Q_DCR + 73] = 1; }
static void m_caps_flags(uint8_t *t, size_t *len) { (void)len; t[Q_CAPS + 8] = 0x0b; }
static void m_caps_bit0_only(uint8_t *t, size_t *len) { (void)len; t[Q_CAPS + 8] = 1; }
static void m_caps_mirror(uint8_t *t, size_t *len) { (void)len; t[Q_CAPS + 8] = 6; }
static void m_map_length(uint8_t *t, size_t *len)
{
	/* The region mapping swallows the control region after it. */
	(void)len;
	put16(t + Q_MAP + 2, 48 + 80);
}

static void test_qemu_mutations(void **state)
{
	(void)state;
	mutate(m_header_short, "nfit-header", 0);
	mutate(m_header_reserved, "nfit-reserved", 36);
	mutate(m_zero_length, "nfit-zero-length", Q_MAP);
	mutate(m_overrun, "nfit-overrun", Q_CAPS);
	mutate(m_truncated, "nfit-overrun", Q_CAPS);
	mutate(m_tail, "nfit-overrun", 0xf0);
	mutate(m_type8, "nfit-type", Q_CAPS);
	mutate(m_type_ffff, "nfit-type", Q_CAPS);
	mutate(m_spa_dangling, "nfit-spa-index", Q_MAP);
	mutate(m_spa_none, NULL, 0);
	mutate(m_dcr_dangling, "nfit-dcr-index", Q_MAP);
	mutate(m_dcr_renamed, "nfit-dcr-index", Q_MAP);
	mutate(m_spa_renamed, "nfit-spa-index", Q_MAP);
	mutate(m_spa_reserved, "nfit-reserved", Q_SPA);
	mutate(m_map_reserved, "nfit-reserved", Q_MAP);
	mutate(m_dcr_reserved, "nfit-reserved", Q_DCR);
	mutate(m_dcr_reserved2, "nfit-reserved", Q_DCR);
	mutate(m_caps_reserved, "nfit-reserved", Q_CAPS);
	mutate(m_caps_reserved2, "nfit-reserved", Q_CAPS);
	mutate(m_spa_flags, "nfit-flags", Q_SPA);
	mutate(m_spa_cookie, "nfit-length", Q_SPA);
	mutate(m_map_flags, "nfit-flags", Q_MAP);
	mutate(m_map_flags_ok, NULL, 0);
	mutate(m_dcr_valid, "nfit-flags", Q_DCR);
	mutate(m_dcr_flags, "nfit-flags", Q_DCR);
	mutate(m_caps_flags, "nfit-flags", Q_CAPS);
	mutate(m_caps_bit0_only, "nfit-flags", Q_CAPS);
	mutate(m_caps_mirror, NULL, 0);
	mutate(m_map_length, "nfit-length", Q_MAP);
}

static void test_lengths(void **state)
{
	struct nfit_buf n;
	uint8_t *s;

	(void)state;
	/* SPA: 56, or 64 with the location cookie (flag bit 2). */
	nb_init(&n);
	s = nb_add(&n, 0, 64);
	put16(s + 6, 4);
	nb_check(&n, NULL, 0);
	put16(s + 6, 0);
	nb_check(&n, "nfit-length", 40);
	nb_init(&n);
	nb_add(&n, 0, 60);
	nb_check(&n, "nfit-length", 40);

	/* Region mapping: 48 only. */
	nb_init(&n);
	add_dcr(&n, 1);
	nb_add(&n, 1, 40);
	nb_check(&n, "nfit-length", 120);

	/* Interleave: exactly 16 + 4 * lines (line count u32 @8). */
	nb_init(&n);
	s = nb_add(&n, 2, 24);
	put_le32(s + 8, 2);
	nb_check(&n, NULL, 0);
	put_le32(s + 8, 3);
	nb_check(&n, "nfit-length", 40);
	put_le32(s + 8, 0xffffffff);
	nb_check(&n, "nfit-length", 40);
	nb_init(&n);
	nb_add(&n, 2, 12);
	nb_check(&n, "nfit-length", 40);
	nb_init(&n);
	s = nb_add(&n, 2, 16);
	nb_check(&n, NULL, 0);
	s[6] = 1;
	nb_check(&n, "nfit-reserved", 40);

	/* SMBIOS: at least 8. */
	nb_init(&n);
	nb_add(&n, 3, 8);
	nb_add(&n, 3, 100);
	nb_check(&n, NULL, 0);
	nb_init(&n);
	nb_add(&n, 3, 6);
	nb_check(&n, "nfit-length", 40);
	nb_init(&n);
	s = nb_add(&n, 3, 9);
	s[4] = 1;
	nb_check(&n, "nfit-reserved", 40);

	/* Control region: 80, or 32 without block control windows (u16 @30). */
	nb_init(&n);
	s = nb_add(&n, 4, 32);
	nb_check(&n, NULL, 0);
	put16(s + 30, 1);
	nb_check(&n, "nfit-length", 40);
	nb_init(&n);
	s = nb_add(&n, 4, 80);
	put16(s + 30, 2);
	nb_check(&n, NULL, 0);
	nb_init(&n);
	nb_add(&n, 4, 48);
	nb_check(&n, "nfit-length", 40);

	/* Block data window: 40. */
	nb_init(&n);
	nb_add(&n, 5, 40);
	nb_check(&n, NULL, 0);
	nb_init(&n);
	nb_add(&n, 5, 48);
	nb_check(&n, "nfit-length", 40);

	/* Flush hint: exactly 16 + 8 * hints (u16 @8). */
	nb_init(&n);
	s = nb_add(&n, 6, 32);
	put16(s + 8, 2);
	nb_check(&n, NULL, 0);
	put16(s + 8, 1);
	nb_check(&n, "nfit-length", 40);
	put16(s + 8, 2);
	s[15] = 1;
	nb_check(&n, "nfit-reserved", 40);
	nb_init(&n);
	nb_add(&n, 6, 8);
	nb_check(&n, "nfit-length", 40);

	/* Platform capabilities: 16. */
	nb_init(&n);
	nb_add(&n, 7, 16);
	nb_check(&n, NULL, 0);
	nb_init(&n);
	nb_add(&n, 7, 20);
	nb_check(&n, "nfit-length", 40);

	/* Lengths 1..3 cannot hold the subtable header. */
	for (uint16_t l = 1; l < 4; l++) {
		struct findings f;

		nb_init(&n);
		nb_add(&n, 7, l);
		n.len += 16;
		findings_init(&f);
		assert_true(nfit_check(n.b, n.len, BASE, &f) >= 1);
		assert_string_equal(f.v[0].check, "nfit-length");
		assert_int_equal(f.v[0].offset, BASE + 40);
		findings_free(&f);
	}
	/* Header only: fine. */
	nb_init(&n);
	nb_check(&n, NULL, 0);
}

static void test_indices(void **state)
{
	struct nfit_buf n;
	struct findings f;

	(void)state;
	/* Mappings before the structures they name are fine. */
	nb_init(&n);
	add_map(&n, 3, 7);
	add_dcr(&n, 7);
	add_spa(&n, 3);
	nb_check(&n, NULL, 0);

	/* Duplicates: reported at the second. */
	nb_init(&n);
	add_spa(&n, 3);
	add_spa(&n, 3);
	nb_check(&n, "nfit-duplicate-index", 96);
	nb_init(&n);
	add_dcr(&n, 0);
	add_dcr(&n, 0);
	nb_check(&n, "nfit-duplicate-index", 120);
	/* An SPA and a DCR may share a number. */
	nb_init(&n);
	add_spa(&n, 1);
	add_dcr(&n, 1);
	nb_check(&n, NULL, 0);

	/* A mapping's DCR index 0 must exist too; its SPA index 0 means none. */
	nb_init(&n);
	add_map(&n, 0, 0);
	nb_check(&n, "nfit-dcr-index", 40);
	add_dcr(&n, 0);
	nb_check(&n, NULL, 0);

	/* Both dangling: two findings at the same mapping. */
	nb_init(&n);
	add_map(&n, 1, 2);
	findings_init(&f);
	assert_int_equal(nfit_check(n.b, n.len, 0, &f), 2);
	assert_string_equal(f.v[0].check, "nfit-spa-index");
	assert_string_equal(f.v[1].check, "nfit-dcr-index");
	assert_int_equal(f.v[0].offset, 40);
	assert_int_equal(f.v[1].offset, 40);
	findings_free(&f);

	/* References are not judged after a broken walk. */
	nb_init(&n);
	add_map(&n, 1, 2);
	nb_add(&n, 5, 0);
	n.len += 4;
	nb_check(&n, "nfit-zero-length", 88);
}

static void test_many_indices(void **state)
{
	/* More than fit the small index set: the bitmap takes over. */
	struct nfit_buf n;
	struct findings f;

	(void)state;
	nb_init(&n);
	for (uint16_t i = 0; i < 50; i++)
		add_spa(&n, (uint16_t)(1000 + i * 977));
	for (uint16_t i = 0; i < 40; i++)
		add_map(&n, (uint16_t)(1000 + i * 977), 0xffff);
	add_dcr(&n, 0xffff);
	nb_check(&n, NULL, 0);
	add_spa(&n, 1000 + 49 * 977);
	nb_check(&n, "nfit-duplicate-index", n.len - 56);
	n.len -= 56;
	add_map(&n, 999, 0xffff);
	nb_check(&n, "nfit-spa-index", n.len - 48);

	/* Findings are capped, the count is not. */
	nb_init(&n);
	for (int i = 0; i < 100; i++)
		nb_add(&n, 9, 4);
	findings_init(&f);
	assert_int_equal(nfit_check(n.b, n.len, 0, &f), 100);
	assert_int_equal(f.n, FINDINGS_KEEP);
	assert_int_equal(findings_total(&f), 100);
	findings_free(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_qemu),
		cmocka_unit_test(test_qemu_mutations),
		cmocka_unit_test(test_lengths),
		cmocka_unit_test(test_indices),
		cmocka_unit_test(test_many_indices),
	};

	return cmocka_run_group_tests_name("nfit", tests, NULL, NULL);
}
