// SPDX-License-Identifier: GPL-2.0-or-later
/* The policy parser through its API: settings, rules, keys, diagnostics,
 * files and drop-ins, Xen's namespace, printing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <fnmatch.h>

#include "namespace.h"
#include "policy.h"

static struct policy *parse(const char *text, struct diags *d)
{
	diags_init(d);
	return policy_parse_buffer_offline("t.policy", text, strlen(text), d);
}

/* The policy as policy_print() writes it (free it). */
static char *printed(const struct policy *p, size_t *len)
{
	char *a = NULL;
	FILE *fp = open_memstream(&a, len);

	assert_non_null(fp);
	policy_print(p, fp);
	fclose(fp);
	return a;
}

static void test_defaults(void **state)
{
	struct diags d;
	struct policy *p = parse("# nothing\n", &d);
	const struct policy_settings *s;

	(void)state;
	assert_non_null(p);
	s = policy_settings(p);
	assert_int_equal(s->mode, MODE_ENFORCE);
	assert_int_equal(s->max_area, 1024 * 1024);
	assert_int_equal(s->max_blobs, 64);
	assert_int_equal(s->input_timeout_ms, 10000);
	assert_int_equal(s->on_invalid, ON_INVALID_REJECT);
	assert_int_equal(s->gate, GATE_NONE);
	assert_int_equal(s->gate_timeout_ms, 30000);
	assert_int_equal(s->log_limit, 10);
	assert_int_equal(s->log_window_ms, 60000);
	assert_null(policy_xen_namespace(p));
	assert_int_equal(policy_rule_count(p), 0);
	policy_free(p);
	diags_free(&d);
}

static void test_settings(void **state)
{
	struct diags d;
	struct policy *p = parse("mode permissive\nmax-area 256K\nmax-blobs 8\n"
				 "input-timeout 500ms\non-invalid drop\ngate pause\n"
				 "gate-timeout 2s\nlog-limit 250/2s\n", &d);
	const struct policy_settings *s;

	(void)state;
	assert_non_null(p);
	assert_int_equal(d.errors, 0);
	s = policy_settings(p);
	assert_int_equal(s->mode, MODE_PERMISSIVE);
	assert_int_equal(s->max_area, 256 * 1024);
	assert_int_equal(s->max_blobs, 8);
	assert_int_equal(s->input_timeout_ms, 500);
	assert_int_equal(s->on_invalid, ON_INVALID_DROP);
	assert_int_equal(s->gate, GATE_PAUSE);
	assert_int_equal(s->gate_timeout_ms, 2000);
	assert_int_equal(s->log_limit, 250);
	assert_int_equal(s->log_window_ms, 2000);
	policy_free(p);
	diags_free(&d);
	p = parse("max-area 2M\nmax-blobs 4096\ninput-timeout 3600s\n"
		  "log-limit 1000000/3600s\n", &d);
	assert_non_null(p);
	assert_int_equal(policy_settings(p)->max_area, 2 * 1024 * 1024);
	assert_int_equal(policy_settings(p)->max_blobs, 4096);
	assert_int_equal(policy_settings(p)->input_timeout_ms, 3600000);
	assert_int_equal(policy_settings(p)->log_limit, 1000000);
	assert_int_equal(policy_settings(p)->log_window_ms, 3600000);
	policy_free(p);
	diags_free(&d);
	p = parse("log-limit none\n", &d);
	assert_non_null(p);
	assert_int_equal(policy_settings(p)->log_limit, 0);
	policy_free(p);
	diags_free(&d);
	/* Out of range, or not N/TIME: one error each, none taken. */
	p = parse("log-limit 1000001/60s\nlog-limit 10/3601s\nlog-limit 10/999ms\n"
		  "log-limit 10/\nlog-limit /60s\nlog-limit 1x/60s\nlog-limit 10/60s/2\n"
		  "log-limit 12345678901234567890123/60s\n", &d);
	assert_null(p);
	assert_int_equal(d.errors, 8);
	diags_free(&d);
	p = parse("log-limit 5/5s\nlog-limit 6/5s\n", &d);
	assert_null(p);
	assert_int_equal(d.errors, 1);
	assert_non_null(strstr(d.v[0].message, "already set"));
	diags_free(&d);
}

static void test_keys_and_rules(void **state)
{
	struct diags d;
	struct policy *p = parse("allow table NFIT if domain-key platform/nvdimm == \"1\"\n"
				 "deny any if domain-key platform/nvdimm or not domain-key a/b\n"
				 "rename device NVDR to NVD1\n", &d);
	const char *const *keys;
	size_t n;

	(void)state;
	assert_non_null(p);
	assert_int_equal(policy_rule_count(p), 3);
	n = policy_domain_keys(p, &keys);
	assert_int_equal(n, 2);
	assert_string_equal(keys[0], "platform/nvdimm");
	assert_string_equal(keys[1], "a/b");
	policy_free(p);
	diags_free(&d);
	/* A quoted method path is the bare one. */
	p = parse("xen-namespace none\nallow-call \"\\\\_OSI\" \\_SB.X\n", &d);
	if (!p)
		diags_print(&d, stderr);
	assert_non_null(p);
	policy_free(p);
	diags_free(&d);
}

/* Every distinct key is a xenstore read in every decision: at most 64. */
static void test_keys_limit(void **state)
{
	size_t cap = 80 * 60, len = 0;
	char *text = malloc(cap);
	struct diags d;
	struct policy *p;

	(void)state;
	assert_non_null(text);
	for (int i = 0; i < 66; i++)
		len += (size_t)snprintf(text + len, cap - len,
					"allow table NFIT if domain-key k/%d or domain-key k/0\n", i);
	p = parse(text, &d);
	assert_null(p);
	assert_int_equal(d.errors, 2);
	assert_int_equal(d.v[0].line, 65);
	assert_int_equal(d.v[0].col, 32);	/* the 65th key, k/64 */
	assert_non_null(strstr(d.v[0].message, "more than 64 domain keys"));
	diags_free(&d);
	free(text);
}

/* The check for rules that never match compares each rule with those
 * before it: bounded, with a warning where it stops; the policy stands. */
static void test_shadow_check_bounded(void **state)
{
	size_t cap = 40 * 8001, len = 0;
	char *text = malloc(cap);
	struct diags d;
	struct policy *p;

	(void)state;
	assert_non_null(text);
	len += (size_t)snprintf(text, cap, "xen-namespace none\n");
	for (int i = 0; i < 8000; i++)
		len += (size_t)snprintf(text + len, cap - len, "deny table %c%c%c%c\n", 'A' + i / 2000,
					'A' + i / 80 % 25, 'A' + i / 4 % 20, 'A' + i % 4);
	p = parse(text, &d);
	assert_non_null(p);
	assert_int_equal(policy_rule_count(p), 8000);
	assert_int_equal(d.errors, 0);
	assert_int_equal(d.warnings, 1);
	assert_non_null(strstr(d.v[0].message, "too many rules"));
	assert_true(d.v[0].line > 1000 && d.v[0].line < 8000);
	policy_free(p);
	diags_free(&d);
	/* Rules with a condition are never compared, and count all the same. */
	len = (size_t)snprintf(text, cap, "xen-namespace none\n");
	for (int i = 0; i < 8000; i++)
		len += (size_t)snprintf(text + len, cap - len, "deny table NFIT if size > %d\n", i);
	p = parse(text, &d);
	assert_non_null(p);
	assert_int_equal(d.warnings, 1);
	assert_non_null(strstr(d.v[0].message, "too many rules"));
	policy_free(p);
	diags_free(&d);
	free(text);
}

/* Bracket expressions read as fnmatch(3) reads them. */
static void test_glob_brackets(void **state)
{
	static const char *const ok[] = {
		"allow table [[:alpha:]]FIT", "allow table []]FIT", "allow device [!a]VDR",
		"allow device [[:upper:]]VDR", "allow device \\NVDR", "allow device N*",
		"allow device *1", "allow device ****", "allow device _[0-9]**",
		/* A token too long to judge is left to fnmatch(3). */
		"allow device [ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMNOPQRSTUVWXYZ_ABCDEFGHIJKL]VDR",
	};
	static const struct {
		const char *text, *message;
	} bad[] = {
		{ "allow table [[:alpha:]]FI", "can never match" },
		{ "allow table [[:alpha:]FIT", "without its closing" },
		{ "allow table [[:alpha]]FIT", "without its closing" },
		{ "allow device \\nVDR", "upper case" },
		{ "allow device NV[!X]r", "upper case" },
		/* No NameSeg: ']', '-' and '.' are none of its characters, and
		 * a digit cannot come first. */
		{ "allow device [\\]]VDR", "A-Z, 0-9 and _" },
		{ "allow device [a]VDR", "A-Z, 0-9 and _" },
		{ "allow device NV-R", "A-Z, 0-9 and _" },
		{ "allow device 1VDR", "A-Z, 0-9 and _" },
		{ "allow device [0-9]*", "A-Z, 0-9 and _" },
		{ "allow device *.", "A-Z, 0-9 and _" },
	};
	struct diags d;
	struct policy *p;
	char text[128];

	(void)state;
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		snprintf(text, sizeof(text), "xen-namespace none\n%s\n", ok[i]);
		p = parse(text, &d);
		if (!p)
			diags_print(&d, stderr);
		assert_non_null(p);
		policy_free(p);
		diags_free(&d);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(text, sizeof(text), "xen-namespace none\n%s\n", bad[i].text);
		p = parse(text, &d);
		assert_null(p);
		assert_int_equal(d.errors, 1);
		assert_non_null(strstr(d.v[0].message, bad[i].message));
		diags_free(&d);
	}
}

/*
 * A device rule never matches when an earlier one's glob matches every
 * device name its own does.  The answer is held to every name: each glob
 * here names only A, B, 0 and _, so each of the other letters matches
 * whatever Z does and each other digit whatever 5 does, and the names of
 * those six characters (the first not a digit) stand for all of them.
 */
static void test_glob_shadow(void **state)
{
	static const char *const globs[] = {
		"*", "????", "A*", "*A", "A???", "?A??", "[AB]*", "[!A]*", "A[!0]*", "*0",
		"*[0_]", "_*", "AB*", "A*B", "A??B", "[AB]?[AB]?", "*A*", "A[0_]??", "[_A]*0",
		"??[!B]?", "[!0-9]???", "???[!0-9]", "*A*B*", "[AB]???", "B*",
	};
	static const char chars[] = "ABZ05_";
	const size_t n = sizeof(globs) / sizeof(globs[0]);
	size_t warned = 0;

	(void)state;
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < n; j++) {
			bool covers = true;
			char text[128], name[5] = "";
			struct diags d;
			struct policy *p;

			for (int k = 0; k < 6 * 6 * 6 * 6 && covers; k++) {
				for (int c = 0, v = k; c < 4; c++, v /= 6)
					name[c] = chars[v % 6];
				if (name[0] != '0' && name[0] != '5' && !fnmatch(globs[j], name, 0))
					covers = !fnmatch(globs[i], name, 0);
			}
			snprintf(text, sizeof(text), "xen-namespace none\nallow device %s\n"
				 "deny device %s\n", globs[i], globs[j]);
			p = parse(text, &d);
			assert_non_null(p);
			if (covers != (d.warnings == 1))
				fail_msg("'%s' then '%s': %s", globs[i], globs[j],
					 covers ? "no warning, where the first takes every name"
						: d.v[0].message);
			if (covers)
				assert_non_null(strstr(d.v[0].message, "never matches"));
			warned += covers;
			policy_free(p);
			diags_free(&d);
		}
	/* Neither answer is rare: the check tells them apart. */
	print_message("# %zu of %zu pairs: never matches\n", warned, n * n);
	assert_true(warned > n && warned < n * n / 2);
}

static void test_errors_all_reported(void **state)
{
	struct diags d;
	struct policy *p = parse("alow table NFIT\nmode enforce\nmax-area 1X\n"
				 "allow table NFIT reason \"open\n", &d);
	char *buf = NULL;
	size_t len = 0;
	FILE *fp;

	(void)state;
	assert_null(p);
	assert_int_equal(d.errors, 3);
	assert_int_equal(d.n, 3);
	assert_int_equal(d.v[0].line, 1);
	assert_int_equal(d.v[0].col, 1);
	assert_int_equal(d.v[1].line, 3);
	assert_int_equal(d.v[1].col, 10);
	assert_int_equal(d.v[2].line, 4);
	assert_int_equal(d.v[2].col, 25);
	fp = open_memstream(&buf, &len);
	diags_print(&d, fp);
	fclose(fp);
	assert_non_null(strstr(buf, "t.policy:1:1: unknown keyword 'alow'"));
	assert_non_null(strstr(buf, "t.policy:4:25: unterminated string"));
	free(buf);
	diags_free(&d);
}

static void test_warning_keeps_policy(void **state)
{
	struct diags d;
	struct policy *p = parse("xen-namespace none\ndeny table APIC\nallow table APIC\n", &d);

	(void)state;
	assert_non_null(p);
	assert_int_equal(d.errors, 0);
	assert_int_equal(d.warnings, 1);
	assert_true(d.v[0].warning);
	assert_int_equal(d.v[0].line, 3);
	policy_free(p);
	diags_free(&d);
	/* A condition on the earlier rule: no warning. */
	p = parse("xen-namespace none\ndeny table APIC if size > 1\nallow table APIC\n", &d);
	assert_non_null(p);
	assert_int_equal(d.warnings, 0);
	policy_free(p);
	diags_free(&d);
}

/* A policy without xen-namespace is used, loudly; "none" says it is meant. */
static void test_no_xen_namespace(void **state)
{
	struct diags d;
	struct policy *p = parse("allow any\n", &d);

	(void)state;
	assert_non_null(p);
	assert_int_equal(d.errors, 0);
	assert_int_equal(d.warnings, 1);
	assert_non_null(strstr(d.v[0].message, "collisions with Xen's own ACPI namespace are NOT checked"));
	policy_free(p);
	diags_free(&d);
	p = parse("xen-namespace none\nallow any\n", &d);
	assert_non_null(p);
	assert_int_equal(d.n, 0);
	assert_null(policy_xen_namespace(p));
	policy_free(p);
	diags_free(&d);
	p = parse("xen-namespace none\nxen-namespace x.aml\nallow any\n", &d);
	assert_null(p);
	assert_non_null(strstr(d.v[0].message, "contradict"));
	diags_free(&d);
}

static void write_text(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");

	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
}

static void test_files_and_dropins(void **state)
{
	char dir[] = "/tmp/test_policy.XXXXXX", path[512], dropin[256];
	struct diags d;
	struct policy *p;
	char *buf;
	size_t len;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/main.policy", dir);
	snprintf(dropin, sizeof(dropin), "%s/policy.d", dir);
	diags_init(&d);
	/* A missing main file is an error, never an empty policy. */
	assert_null(policy_load(path, dropin, &d));
	assert_int_equal(d.errors, 1);
	assert_int_equal(d.v[0].line, 0);
	assert_non_null(strstr(d.v[0].message, "No such file"));
	diags_free(&d);

	write_text(path, "xen-namespace none\ndeny table APIC\n");
	assert_int_equal(mkdir(dropin, 0700), 0);
	snprintf(path, sizeof(path), "%s/b.policy", dropin);
	write_text(path, "deny table BBBB\n");
	snprintf(path, sizeof(path), "%s/a.policy", dropin);
	write_text(path, "allow table AAAA");	/* no final newline */
	snprintf(path, sizeof(path), "%s/c.txt", dropin);
	write_text(path, "this is not a policy\n");
	snprintf(path, sizeof(path), "%s/main.policy", dir);
	diags_init(&d);
	p = policy_load(path, dropin, &d);
	assert_non_null(p);
	assert_int_equal(d.n, 0);
	assert_int_equal(policy_rule_count(p), 3);
	buf = printed(p, &len);
	/* Name order, and the file without a final newline stays on its own. */
	assert_non_null(strstr(buf, "deny table APIC\n# "));
	assert_non_null(strstr(buf, "a.policy:1\nallow table AAAA\n# "));
	assert_non_null(strstr(buf, "b.policy:1\ndeny table BBBB\n"));
	free(buf);
	policy_free(p);
	diags_free(&d);

	/* Without the drop-in directory, only the main file. */
	diags_init(&d);
	p = policy_load(path, NULL, &d);
	assert_non_null(p);
	assert_int_equal(policy_rule_count(p), 1);
	policy_free(p);
	diags_free(&d);

	/* A FIFO among the drop-ins: refused at once, not waited on (open()
	 * would block for a writer) nor read as an empty file. */
	snprintf(path, sizeof(path), "%s/d.policy", dropin);
	assert_int_equal(mkfifo(path, 0600), 0);
	snprintf(path, sizeof(path), "%s/main.policy", dir);
	diags_init(&d);
	assert_null(policy_load(path, dropin, &d));
	assert_int_equal(d.errors, 1);
	assert_non_null(strstr(d.v[0].file, "d.policy"));
	assert_non_null(strstr(d.v[0].message, "not a regular file"));
	diags_free(&d);
	snprintf(path, sizeof(path), "%s/d.policy", dropin);
	unlink(path);
	snprintf(path, sizeof(path), "%s/main.policy", dir);

	snprintf(path, sizeof(path), "%s/a.policy", dropin);
	unlink(path);
	snprintf(path, sizeof(path), "%s/b.policy", dropin);
	unlink(path);
	snprintf(path, sizeof(path), "%s/c.txt", dropin);
	unlink(path);
	rmdir(dropin);
	snprintf(path, sizeof(path), "%s/main.policy", dir);
	unlink(path);
	rmdir(dir);
}

static void test_xen_namespace(void **state)
{
	const char *data = getenv("DMACPI_TESTDATA");
	char text[512];
	struct diags d;
	struct policy *p;

	(void)state;
	if (!data)
		skip();
	snprintf(text, sizeof(text), "xen-namespace %s/xen/DSDT_20920.aml\n"
		 "xen-namespace %s/xen/SSDT_2a260.aml %s/xen/SSDT_2a2a0.aml\n", data, data, data);
	diags_init(&d);
	p = policy_parse_buffer("ns.policy", text, strlen(text), &d);
	assert_non_null(p);
	assert_non_null(policy_xen_namespace(p));
	assert_non_null(ns_get(policy_xen_namespace(p), "\\_SB_.PCI0"));
	assert_non_null(ns_get(policy_xen_namespace(p), "\\_S3_"));
	assert_non_null(ns_get(policy_xen_namespace(p), "\\_S4_"));
	policy_free(p);
	diags_free(&d);

	snprintf(text, sizeof(text), "xen-namespace %s/none.aml\n", data);
	diags_init(&d);
	assert_null(policy_parse_buffer("ns.policy", text, strlen(text), &d));
	assert_int_equal(d.errors, 1);
	assert_int_equal(d.v[0].col, 15);
	assert_non_null(strstr(d.v[0].message, "cannot read"));
	diags_free(&d);
}

/* Rule origin comments name lines of the text parsed; drop them. */
static void strip_comments(char *s)
{
	char *o = s;

	for (char *l = s; *l;) {
		char *nl = strchr(l, '\n');
		size_t k = nl ? (size_t)(nl - l) + 1 : strlen(l);

		if (l[0] != '#') {
			memmove(o, l, k);
			o += k;
		}
		l += k;
	}
	*o = '\0';
}

static void test_print_round_trip(void **state)
{
	const char *text = "mode permissive\nmax-area 4100\n"
			   "set-oem table N* to \"A\\\"B\" T if not (oem-id X or revision >= 3) and hid \"H\"\n"
			   "allow any if size <= 4K and (domain-name \"g*\" or not domain-key a/b) label \"l\"\n";
	struct diags d;
	struct policy *p = parse(text, &d), *q;
	char *a, *b;
	size_t la, lb;

	(void)state;
	assert_non_null(p);
	a = printed(p, &la);
	assert_non_null(strstr(a, "max-area 4100\n"));
	assert_non_null(strstr(a, "set-oem table N* to \"A\\\"B\" \"T\" if not (oem-id \"X\" or revision >= 3) and hid \"H\"\n"));
	assert_non_null(strstr(a, "allow any if size <= 4K and (domain-name \"g*\" or not domain-key a/b) label \"l\"\n"));
	diags_free(&d);
	diags_init(&d);
	q = policy_parse_buffer_offline("t.policy", a, la, &d);
	assert_non_null(q);
	b = printed(q, &lb);
	strip_comments(a);
	strip_comments(b);
	assert_string_equal(a, b);
	free(a);
	free(b);
	policy_free(q);
	policy_free(p);
	diags_free(&d);
}

/* A file named "none" among others is printed so that it parses back. */
static void test_print_namespace_named_none(void **state)
{
	struct diags d;
	struct policy *p = parse("xen-namespace a.aml none\nallow any\n", &d), *q;
	char *a;
	size_t la;

	(void)state;
	assert_non_null(p);
	a = printed(p, &la);
	/* Made absolute (or, were it left relative, quoted): not the keyword. */
	assert_non_null(strstr(a, "/none\n"));
	assert_null(strstr(a, "xen-namespace none\n"));
	diags_free(&d);
	diags_init(&d);
	q = policy_parse_buffer_offline("t.policy", a, la, &d);
	assert_non_null(q);
	assert_int_equal(d.errors, 0);
	free(a);
	policy_free(q);
	policy_free(p);
	diags_free(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_print_namespace_named_none),
		cmocka_unit_test(test_settings),
		cmocka_unit_test(test_keys_and_rules),
		cmocka_unit_test(test_keys_limit),
		cmocka_unit_test(test_glob_brackets),
		cmocka_unit_test(test_shadow_check_bounded),
		cmocka_unit_test(test_glob_shadow),
		cmocka_unit_test(test_errors_all_reported),
		cmocka_unit_test(test_warning_keeps_policy),
		cmocka_unit_test(test_no_xen_namespace),
		cmocka_unit_test(test_files_and_dropins),
		cmocka_unit_test(test_xen_namespace),
		cmocka_unit_test(test_print_round_trip),
	};

	return cmocka_run_group_tests_name("policy", tests, NULL, NULL);
}
