/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The parsed policy as the parser, the printer and the evaluator see it.
 * Everything else uses policy.h.
 */
#ifndef DMACPI_POLICY_INT_H
#define DMACPI_POLICY_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "evaluate.h"
#include "policy.h"

#define POLICY_TEXT_MAX 150	/* reason and label, fits DECISION_TEXT_MAX */
#define POLICY_COND_DEPTH 32	/* nesting of "not" and parentheses */
#define POLICY_MAX_AREA_LIMIT (256u * 1024 * 1024)
#define POLICY_MAX_BLOBS_LIMIT 4096u
#define POLICY_LOG_LIMIT_MAX 1000000u
#define POLICY_FILE_MAX (4u * 1024 * 1024)
#define POLICY_NS_FILE_MAX (64u * 1024 * 1024)
#define POLICY_KEYS_MAX 64	/* distinct domain-key paths: a read each per decision */
/* Comparisons the check for rules that never match may make: it
 * compares every rule with those before it, which a policy of many
 * thousand rules would make take seconds, in the daemon's reload. */
#define POLICY_SHADOW_BUDGET (16u * 1000 * 1000)

enum selector { SEL_ANY = 0, SEL_TABLE, SEL_DEVICE };

enum cmp_op { CMP_EQ = 0, CMP_NE, CMP_LT, CMP_LE, CMP_GT, CMP_GE };

enum cond_kind {
	COND_AND = 0,
	COND_OR,
	COND_NOT,
	COND_DOMAIN_NAME,	/* str: glob */
	COND_DOMAIN_KEY,	/* str: path; value: exact, or NULL for "present" */
	COND_SIZE,		/* op num */
	COND_OEM_ID,		/* str: glob */
	COND_OEM_TABLE_ID,	/* str: glob */
	COND_REVISION,		/* op num */
	COND_HID,		/* str: exact */
};

struct cond {
	enum cond_kind kind;
	enum cmp_op op;
	uint64_t num;
	char *str;
	char *value;
	struct cond **kids;	/* and/or: two or more; not: one */
	size_t nkids;
	unsigned col;		/* domain-key: of the key, for errors found later */
};

struct rule {
	const char *file;	/* owned by the policy's file list */
	unsigned line, col;
	enum action action;
	enum selector sel;
	char **pats;		/* table signature or device name globs */
	struct seg_glob *globs;	/* device: each of pats compiled */
	size_t npats;
	char new_name[5];	/* rename */
	char oem_id[7];		/* set-oem, as written (padded when applied) */
	char oem_table_id[9];
	bool has_oem_table_id;
	struct cond *cond;	/* NULL: always */
	char *reason, *label;	/* NULL when absent */
};

struct ns_path {
	char *path;		/* resolved against the naming file's directory, absolute */
	const char *file;
	unsigned line, col;
};

struct policy {
	struct policy_settings settings;
	struct rule *rules;
	size_t nrules;
	struct ns_path *ns_paths;
	size_t nns_paths;
	bool ns_none;		/* "xen-namespace none": no collision check, on purpose */
	char **calls;		/* allow-call: normalized absolute method paths */
	size_t ncalls;
	char **files;		/* names of the files parsed, for rule origins */
	size_t nfiles;
	char **keys;		/* distinct domain-key paths the rules test */
	size_t nkeys;
	size_t shadow_checks;	/* rules and patterns compared, to POLICY_SHADOW_BUDGET;
				 * SIZE_MAX once it was reached */
	bool tests_name;	/* some rule has a domain-name condition */
	struct ns *xen;		/* NULL until loaded, or when none configured */
	/* where each setting was set, for "already set" errors */
	unsigned set_line[8];
	const char *set_file[8];
};

/* Parse one file's text into p, appending rules; diagnostics go to d. */
void policy_parse_into(struct policy *p, const char *name, const char *text, size_t len,
		       struct diags *d);
struct policy *policy_new(void);
void policy_rule_free(struct rule *r);
void policy_cond_free(struct cond *c);
__attribute__((format(printf, 6, 7)))
void diags_add(struct diags *d, const char *file, unsigned line, unsigned col, bool warning,
	       const char *fmt, ...);

/*
 * The ']' that closes the bracket expression opened at q[-1], as
 * fnmatch(3) reads it: a ']' first is a member, and so is any inside a
 * class, an equivalence class or a collating symbol ("[:alpha:]", "[=a=]",
 * "[.a.]"); a backslash quotes the next character.  NULL when unclosed.
 */
const char *policy_bracket_end(const char *q);

/*
 * A device name glob as an automaton over the NameSeg alphabet
 * (policy-glob.c): each token (a character, a '?', a bracket expression
 * or a run of '*') as the set of characters it matches.
 */
#define SEG_GLOB_TOKENS 16
struct seg_glob {
	uint64_t tok[SEG_GLOB_TOKENS];	/* bit k: the alphabet's k-th; bit 63: a star */
	uint8_t n;
	bool exact;			/* false: too long to compile, nothing is judged */
};
/* Compile pat; false (exact false) when a token is too long to judge. */
bool seg_glob_compile(const char *pat, struct seg_glob *g);
/* Whether some NameSeg matches; true when not judged. */
bool seg_glob_matches_some(const struct seg_glob *g);
/* Whether some table signature (4 printable ASCII characters) matches a
 * glob whose length fits; true when not judged. */
bool sig_glob_matches_some(const char *pat);
/* Whether e matches every NameSeg q matches; false when not judged. */
bool seg_glob_covers(const struct seg_glob *e, const struct seg_glob *q);

/* Evaluation helpers shared by the parser's shadow check and the evaluator. */
bool policy_glob_is_literal(const char *pat);
const char *cmp_op_name(enum cmp_op op);
void policy_print_size(char *out, size_t outlen, uint64_t bytes);
void policy_print_time(char *out, size_t outlen, uint32_t ms);

#endif
