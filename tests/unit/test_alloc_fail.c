// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Allocation failure.  Every allocation the policy parser and the evaluator
 * make is failed in turn (that one alone, then it and every one after it),
 * on real QEMU and Xen areas under policies that allow, rename, set-oem,
 * drop and reject.  Each run must give an error (-1, no policy) or exactly
 * the result it gives with memory to spare: never an approval of other
 * bytes, never a refusal that memory caused and bytes did not, and nothing
 * left allocated.
 *
 * The core library's malloc, calloc, realloc, strdup and free are wrapped
 * at link time (-Wl,--wrap, see daemon/core/policy.mk), so only its own
 * allocations fail, not those of libc, OpenSSL or zlib.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "aml.h"
#include "area.h"
#include "carve.h"
#include "check-cache.h"
#include "evaluate.h"
#include "findings.h"
#include "nfit.h"
#include "policy.h"
#include "readfile.h"
#include "table.h"

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t n);
char *__real_strdup(const char *s);
void __real_free(void *p);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t n, size_t size);
void *__wrap_realloc(void *p, size_t n);
char *__wrap_strdup(const char *s);
void __wrap_free(void *p);

/* While armed, allocation number fail_at fails (and, with fail_rest,
 * every one after it); allocations are counted and the live ones noted. */
static bool armed, fail_rest;
static long fail_at = -1, nallocs;

#define LIVE_MAX 65536
static struct {
	void *p;
	long at;	/* the allocation's number, for a report */
} live[LIVE_MAX];
static size_t nlive;

static bool should_fail(void)
{
	long i;

	if (!armed)
		return false;
	i = nallocs++;
	return fail_at >= 0 && (i == fail_at || (fail_rest && i > fail_at));
}

/* A block just allocated (or NULL), noted while armed. */
static void *noted(void *p)
{
	if (armed && p) {
		assert_true(nlive < LIVE_MAX);
		live[nlive].p = p;
		live[nlive++].at = nallocs - 1;
	}
	return p;
}

static bool forget_live(void *p)
{
	for (size_t i = nlive; i-- > 0;)
		if (live[i].p == p) {
			live[i] = live[--nlive];
			return true;
		}
	return false;
}

void *__wrap_malloc(size_t n)
{
	return should_fail() ? NULL : noted(__real_malloc(n));
}

void *__wrap_calloc(size_t n, size_t size)
{
	return should_fail() ? NULL : noted(__real_calloc(n, size));
}

void *__wrap_realloc(void *p, size_t n)
{
	void *q;

	if (should_fail())
		return NULL;
	q = __real_realloc(p, n);
	if (q && (!p || forget_live(p)))
		noted(q);	/* a block noted before stays noted */
	return q;
}

char *__wrap_strdup(const char *s)
{
	return should_fail() ? NULL : noted(__real_strdup(s));
}

void __wrap_free(void *p)
{
	if (p)
		forget_live(p);
	__real_free(p);
}

/* Fails the test when a block allocated while armed is still there, but
 * for the parser that AML parsing keeps for the next parse. */
static void expect_none_left(long at, bool rest)
{
	char firsts[128] = "";
	size_t used = 0;

	aml_release();
	if (!nlive)
		return;
	for (size_t i = 0; i < nlive && i < 8; i++)
		used += (size_t)snprintf(firsts + used, sizeof(firsts) - used, " %ld", live[i].at);
	fail_msg("allocation %ld failed%s: %zu blocks left allocated (allocations%s)", at,
		 rest ? " and all after it" : "", nlive, firsts);
}

/* Each run starts without a parser kept from an earlier one, whose
 * allocations it would not make. */
static void arm(long at, bool rest)
{
	aml_release();
	nallocs = 0;
	nlive = 0;
	fail_at = at;
	fail_rest = rest;
	armed = true;
}

/* Stop failing; returns how many allocations were made while armed. */
static long disarm(void)
{
	armed = false;
	return nallocs;
}

static uint8_t *load(const char *rel, size_t *len)
{
	const char *dir = getenv("DMACPI_TESTDATA");
	char path[4096];
	uint8_t *buf;

	if (!dir)
		skip();
	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	if (read_file(path, 1 << 24, &buf, len) < 0)
		fail_msg("%s: cannot read", path);
	return buf;
}

/* An area as a device model packs it: tables, then the devices carved from
 * the AML tables in devices_from. */
static void pack(struct area_builder *b, const char *const *tables,
		 const char *const *devices_from)
{
	area_builder_init(b);
	for (; *tables; tables++) {
		size_t len;
		uint8_t *t = load(*tables, &len);

		assert_int_equal(area_add(b, BLOB_TABLE, t, len), 0);
		free(t);
	}
	for (; *devices_from; devices_from++) {
		struct carved_device *devs;
		struct findings f;
		size_t len;
		uint8_t *t = load(*devices_from, &len);
		int n;

		findings_init(&f);
		n = carve_devices(t, len, &devs, &f);
		assert_true(n > 0);
		for (int i = 0; i < n; i++)
			assert_int_equal(area_add_device(b, devs[i].name, devs[i].body, devs[i].len), 0);
		carve_free(devs, (size_t)n);
		findings_free(&f);
		free(t);
	}
}

static struct policy *parse(const char *text, struct diags *d)
{
	diags_init(d);
	return policy_parse_buffer("t.policy", text, strlen(text), d);
}

static const struct domain_key KEYS[] = { { "platform/nvdimm", "1" } };

static void same_verdict(const struct verdict *a, const struct verdict *b, long at, bool rest)
{
	if (a->approved != b->approved || strcmp(a->rule, b->rule) || strcmp(a->reason, b->reason))
		fail_msg("allocation %ld failed%s: %s (%s: %s), where it is %s (%s: %s)", at,
			 rest ? " and all after it" : "", b->approved ? "approved" : "rejected",
			 b->rule, b->reason, a->approved ? "approved" : "rejected", a->rule,
			 a->reason);
	assert_int_equal(a->nblobs, b->nblobs);
	for (size_t i = 0; i < a->nblobs; i++) {
		if (a->blobs[i].action != b->blobs[i].action ||
		    strcmp(a->blobs[i].rule, b->blobs[i].rule))
			fail_msg("allocation %ld failed%s: blob %zu %s %s, where it is %s %s", at,
				 rest ? " and all after it" : "", i, action_name(b->blobs[i].action),
				 b->blobs[i].rule, action_name(a->blobs[i].action), a->blobs[i].rule);
		assert_string_equal(a->blobs[i].reason, b->blobs[i].reason);
	}
	assert_int_equal(a->length, b->length);
	assert_int_equal(a->count, b->count);
	assert_string_equal(a->digest, b->digest);
	if (a->approved)
		assert_memory_equal(a->area, b->area, a->length);
}

/* With warm, a check cache holding the area's checks; else NULL. */
static struct check_cache *cache_for(const struct policy *p, const struct area_builder *b,
				     const struct domain_facts *dom, bool warm)
{
	struct check_cache *cache;
	struct verdict v;

	if (!warm)
		return NULL;
	cache = check_cache_new(64, 1 << 24);
	assert_non_null(cache);
	assert_int_equal(evaluate_checked(p, b->buf, b->len, -1, dom, 0, cache, &v), 0);
	verdict_free(&v);
	return cache;
}

/*
 * Decide the area under the policy with every allocation failed in turn,
 * cold or, when warm, with a check cache holding its AML's checks (a new
 * one for each run: what a run keeps there is freed with it).
 */
static void decide_failing(const char *policy_text, const struct area_builder *b, bool warm)
{
	struct domain_facts dom = { 7, 0, "guest", KEYS, 1 };
	struct verdict base, v;
	struct diags d;
	struct policy *p = parse(policy_text, &d);
	struct check_cache *cache;
	long total;

	if (!p)
		diags_print(&d, stderr);
	assert_non_null(p);
	cache = cache_for(p, b, &dom, warm);
	arm(-1, false);
	assert_int_equal(evaluate_checked(p, b->buf, b->len, -1, &dom, 0, cache, &base), 0);
	total = disarm();
	check_cache_free(cache);
	assert_true(total > 0);
	print_message("# %s, %s: %ld allocations\n", base.approved ? "approved" : "rejected",
		      warm ? "warm" : "cold", total);
	for (long at = 0; at < total; at++)
		for (int rest = 0; rest < 2; rest++) {
			int rc;

			cache = cache_for(p, b, &dom, warm);
			arm(at, rest);
			rc = evaluate_checked(p, b->buf, b->len, -1, &dom, 0, cache, &v);
			if (rc == 0) {
				same_verdict(&base, &v, at, rest);
				verdict_free(&v);
			} else {
				assert_int_equal(rc, -1);
			}
			check_cache_free(cache);
			disarm();
			expect_none_left(at, rest);
		}
	verdict_free(&base);
	policy_free(p);
	diags_free(&d);
}

static const char *const QEMU_TABLES[] = { "qemu/NFIT.dimmpxm", NULL };
static const char *const QEMU_DEVICES[] = { "qemu/SSDT.dimmpxm", NULL };
static const char *const XEN_DEVICES[] = { "xen/SSDT_29c40.aml", NULL };
static const char *const NONE[] = { NULL };

static const char POLICY_NVDIMM[] =
	"on-invalid reject\n"
	"allow table NFIT if domain-key platform/nvdimm == \"1\"\n"
	"allow device NVDR if hid \"ACPI0012\" and domain-key platform/nvdimm == \"1\"\n"
	"reject any\n";

static const char POLICY_REWRITE[] =
	"on-invalid drop\n"
	"set-oem table NFIT to \"XEN\" \"XENNFIT\"\n"
	"rename device NVDR to NVD1 if hid \"ACPI0012\"\n"
	"deny any\n";

/* QEMU's vNVDIMM area, cold and warm. */
static void decide_qemu_area(const char *policy_text)
{
	struct area_builder b;

	pack(&b, QEMU_TABLES, QEMU_DEVICES);
	decide_failing(policy_text, &b, false);
	decide_failing(policy_text, &b, true);
	area_builder_free(&b);
}

/* Approved as it is. */
static void test_qemu_nvdimm(void **state)
{
	(void)state;
	decide_qemu_area(POLICY_NVDIMM);
}

/* Rewritten: the NFIT's OEM fields set, NVDR renamed. */
static void test_qemu_rewritten(void **state)
{
	(void)state;
	decide_qemu_area(POLICY_REWRITE);
}

/* Xen's own devices offered by the device model: most collide with the
 * Xen namespace, and the rest are dropped or refused. */
static void test_xen_devices(void **state)
{
	const char *dir = getenv("DMACPI_TESTDATA");
	struct area_builder b;
	char text[4096];

	(void)state;
	if (!dir)
		skip();
	pack(&b, QEMU_TABLES, XEN_DEVICES);
	snprintf(text, sizeof(text), "xen-namespace %s/xen/DSDT_20920.aml\n%s", dir, POLICY_REWRITE);
	decide_failing(text, &b, false);
	area_builder_free(&b);
}

/* A malformed table: its checksum is wrong, which refuses the area. */
static void test_malformed(void **state)
{
	struct area_builder b;
	size_t len;
	uint8_t *t = load("qemu/NFIT.dimmpxm", &len);

	(void)state;
	pack(&b, NONE, QEMU_DEVICES);
	t[9] ^= 0x5a;	/* the checksum */
	assert_int_equal(area_add(&b, BLOB_TABLE, t, len), 0);
	free(t);
	decide_failing(POLICY_NVDIMM, &b, false);
	area_builder_free(&b);
}

/* An NFIT with more SPA ranges than the small index set holds, and a
 * mapping to one that does not exist: without the bitmap that takes over,
 * the dangling reference would go unseen, so a failed allocation must
 * leave no_memory set, or the same findings. */
static void test_nfit_indices(void **state)
{
	size_t len, n = 0;
	uint8_t *q = load("qemu/NFIT.dimmpxm", &len), t[40 + 48 * 56 + 240];
	struct findings base, f;
	long total;

	(void)state;
	assert_true(len == 240 && q[40] == 0 && q[42] == 56 && q[96] == 1 && q[98] == 48);
	memcpy(t, q, len);	/* header, SPA 4, map to SPA 4 and DCR 5, DCR 5, flush hint */
	t[96 + 12] = 0xe7;	/* the map now names SPA 999 (0x3e7) */
	t[96 + 13] = 0x03;
	n = len;
	for (uint16_t i = 0; i < 48; i++, n += 56) {
		memcpy(t + n, q + 40, 56);
		t[n + 4] = (uint8_t)(100 + i);	/* SPA 100 ... 147 */
	}
	free(q);
	t[4] = (uint8_t)n;
	t[5] = (uint8_t)(n >> 8);
	table_fix_checksum(t, n);

	findings_init(&base);
	arm(-1, false);
	assert_true(nfit_check(t, n, 0, &base) > 0);
	total = disarm();
	assert_non_null(findings_first(&base, FINDING_MALFORMED));
	assert_non_null(strstr(base.v[0].message, "SPA range 999"));
	for (long at = 0; at < total; at++)
		for (int rest = 0; rest < 2; rest++) {
			findings_init(&f);
			arm(at, rest);
			nfit_check(t, n, 0, &f);
			disarm();
			if (!f.no_memory) {
				if (f.n != base.n)
					fail_msg("allocation %ld failed%s: %zu findings, where %zu",
						 at, rest ? " and all after it" : "", f.n, base.n);
				for (size_t i = 0; i < f.n; i++)
					assert_string_equal(f.v[i].check, base.v[i].check);
			}
			findings_free(&f);
			expect_none_left(at, rest);
		}
	findings_free(&base);
}

/* A policy from text, or from a main file and its drop-in directory. */
struct policy_source {
	const char *text;
	const char *file, *dropins;
};

static struct policy *make_policy(const struct policy_source *src, struct diags *d)
{
	if (src->text)
		return parse(src->text, d);
	diags_init(d);
	return policy_load(src->file, src->dropins, d);
}

/* policy_print()'s text of p, malloc'd (by libc: not counted). */
static char *printed(const struct policy *p)
{
	char *text = NULL;
	size_t len;
	FILE *f = open_memstream(&text, &len);

	assert_non_null(f);
	policy_print(p, f);
	fclose(f);
	return text;
}

/* Each failure gives no policy and an error, or the policy it gives with
 * memory to spare: a reload never puts a partial policy in force. */
static void policy_failing(const struct policy_source *src)
{
	char *want, *got;
	struct diags d;
	struct policy *p;
	long total;

	arm(-1, false);
	p = make_policy(src, &d);
	total = disarm();
	if (!p)
		diags_print(&d, stderr);
	assert_non_null(p);
	want = printed(p);
	policy_free(p);
	diags_free(&d);
	print_message("# policy: %ld allocations\n", total);
	for (long at = 0; at < total; at++)
		for (int rest = 0; rest < 2; rest++) {
			arm(at, rest);
			p = make_policy(src, &d);
			disarm();
			if (p) {
				got = printed(p);
				assert_string_equal(got, want);
				free(got);
				policy_free(p);
			} else {
				assert_true(d.errors > 0);
			}
			diags_free(&d);
			expect_none_left(at, rest);
		}
	free(want);
}

/* Carving devices out of an AML table (dmacpictl pack): an error, or the
 * same devices with the same bodies, the root Names they reach included. */
static void carve_failing(const char *table)
{
	struct carved_device *base, *devs;
	struct findings f;
	uint8_t *t;
	size_t len;
	long total;
	int nbase, n;

	t = load(table, &len);
	findings_init(&f);
	arm(-1, false);
	nbase = carve_devices(t, len, &base, &f);
	total = disarm();
	findings_free(&f);
	assert_true(nbase > 0);
	print_message("# %s: %d devices, %ld allocations\n", table, nbase, total);
	for (long at = 0; at < total; at++)
		for (int rest = 0; rest < 2; rest++) {
			findings_init(&f);
			arm(at, rest);
			n = carve_devices(t, len, &devs, &f);
			disarm();
			if (n < 0) {
				assert_true(findings_have(&f, FINDING_MALFORMED));
			} else {
				if (n != nbase)
					fail_msg("allocation %ld failed%s: %d devices, where there are %d",
						 at, rest ? " and all after it" : "", n, nbase);
				for (int i = 0; i < n; i++)
					if (strcmp(devs[i].name, base[i].name) || devs[i].len != base[i].len ||
					    memcmp(devs[i].body, base[i].body, base[i].len))
						fail_msg("allocation %ld failed%s: device %s carved as %zu "
							 "bytes, where it is %s of %zu bytes", at,
							 rest ? " and all after it" : "", devs[i].name,
							 devs[i].len, base[i].name, base[i].len);
				carve_free(devs, (size_t)n);
			}
			findings_free(&f);
			expect_none_left(at, rest);
		}
	carve_free(base, (size_t)nbase);
	free(t);
}

static void test_carve(void **state)
{
	(void)state;
	carve_failing("qemu/SSDT.dimmpxm");
	carve_failing("xen/SSDT_29c40.aml");
}

/* Every kind of line, and Xen's namespace read from its file. */
static void test_policy_parse(void **state)
{
	const char *dir = getenv("DMACPI_TESTDATA");
	char text[8192];
	struct policy_source src = { text, NULL, NULL };

	(void)state;
	if (!dir)
		skip();
	snprintf(text, sizeof(text),
		 "mode enforce\nmax-area 1M\nmax-blobs 64\ninput-timeout 10s\n"
		 "xen-namespace %s/xen/DSDT_20920.aml\ngate none\n"
		 "allow-call \\_SB.PCI0._CRS\n"
		 "reject any if size > 256K reason \"oversized blob\" label \"big\"\n"
		 "deny table APIC HPET WAET reason \"Xen builds this table\"\n"
		 "allow device NV?? if hid \"ACPI0012\" or domain-name \"g*\"\n%s",
		 dir, POLICY_NVDIMM);
	policy_failing(&src);
}

/* A main file and its drop-in directory (tests/policy/dropin.*). */
static void test_policy_load(void **state)
{
	const char *dir = getenv("DMACPI_TESTDATA");
	char file[4096], dropins[4096];
	struct policy_source src = { NULL, file, dropins };

	(void)state;
	if (!dir)
		skip();
	snprintf(file, sizeof(file), "%s/../policy/dropin.policy", dir);
	snprintf(dropins, sizeof(dropins), "%s/../policy/dropin.d", dir);
	policy_failing(&src);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_qemu_nvdimm),
		cmocka_unit_test(test_qemu_rewritten),
		cmocka_unit_test(test_xen_devices),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_nfit_indices),
		cmocka_unit_test(test_carve),
		cmocka_unit_test(test_policy_parse),
		cmocka_unit_test(test_policy_load),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
