/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The administrator's policy (SPEC section 6): settings and rules, parsed
 * from the main file and the *.policy files in policy.d.  Loading reads the files and the
 * xen-namespace inputs once; evaluation never touches a file.
 */
#ifndef DMACPI_POLICY_H
#define DMACPI_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct ns;

enum policy_mode { MODE_ENFORCE = 0, MODE_PERMISSIVE };
enum on_invalid { ON_INVALID_REJECT = 0, ON_INVALID_DROP };
enum gate_kind { GATE_NONE = 0, GATE_PAUSE };

struct policy_settings {
	enum policy_mode mode;
	uint64_t max_area;		/* bytes */
	uint32_t max_blobs;
	uint32_t input_timeout_ms;
	enum on_invalid on_invalid;
	enum gate_kind gate;
	uint32_t gate_timeout_ms;
	uint32_t log_limit;		/* verdicts a domain logs per log_window_ms; 0: all */
	uint32_t log_window_ms;
};

/* One diagnostic: "file:line:col: message" (or "file:line:col: warning: ..."). */
struct diag {
	char *file;
	unsigned line, col;
	bool warning;
	char *message;
};

struct diags {
	struct diag *v;
	size_t n;
	size_t errors, warnings;
};

void diags_init(struct diags *d);
void diags_free(struct diags *d);
/* Print every diagnostic, one per line. */
void diags_print(const struct diags *d, FILE *out);

struct policy;

/*
 * Parse main_file, then every *.policy in dropin_dir (NULL: none; a missing
 * directory is fine, a missing or unreadable main file is an error) in name
 * order, each on its own.  Reads the xen-namespace inputs.  Returns NULL
 * when any error was found; all errors are in d.
 */
struct policy *policy_load(const char *main_file, const char *dropin_dir, struct diags *d);
/* policy_load() with the main file's text given (standard input). */
struct policy *policy_load_text(const char *name, const char *text, size_t len,
				const char *dropin_dir, struct diags *d);
/* Parse one buffer as if it were the file `name` (tests, fuzzing). */
struct policy *policy_parse_buffer(const char *name, const char *text, size_t len,
				   struct diags *d);
/* Like policy_parse_buffer, but reads no xen-namespace file: the paths are
 * only kept (fuzzing, printing a policy written for another host). */
struct policy *policy_parse_buffer_offline(const char *name, const char *text, size_t len,
					   struct diags *d);
void policy_free(struct policy *p);

const struct policy_settings *policy_settings(const struct policy *p);
/* Xen's namespace, or NULL when no xen-namespace is configured. */
const struct ns *policy_xen_namespace(const struct policy *p);
/* The domain-key paths the rules test, so a caller can read just those. */
size_t policy_domain_keys(const struct policy *p, const char *const **keys);
/* Whether a rule tests the domain's name (else no decision depends on it). */
bool policy_tests_domain_name(const struct policy *p);
size_t policy_rule_count(const struct policy *p);
/* The normalized policy, which parses back to the same policy.  Every rule
 * is preceded by a "# file:line" comment naming where it was written. */
void policy_print(const struct policy *p, FILE *out);

#endif
