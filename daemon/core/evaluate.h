/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Deciding an area: built-in invariants, then the rules, then the checks
 * among the approved blobs, then the rewrite (SPEC sections 5-7).  The
 * daemon and `dmacpictl evaluate` call exactly this.
 */
#ifndef DMACPI_EVALUATE_H
#define DMACPI_EVALUATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "digest.h"

struct policy;

enum action {
	ACTION_ALLOW = 0,
	ACTION_DENY,
	ACTION_REJECT,
	ACTION_RENAME,
	ACTION_SET_OEM,
};

/* The facts about a domain that conditions may test. */
struct domain_key {
	const char *path;	/* relative to /local/domain/D */
	const char *value;
};

struct domain_facts {
	unsigned domid;
	unsigned dm_domid;
	const char *name;		/* "" when unknown */
	const struct domain_key *keys;	/* keys absent from this list do not exist */
	size_t nkeys;
};

#define DECISION_TEXT_MAX 160

struct blob_decision {
	size_t index;
	size_t offset, size;
	uint32_t type;			/* enum blob_type, or the raw type */
	char object[24];		/* printable signature or device name */
	enum action action;
	bool would;			/* permissive mode: decided, not applied */
	char rule[DECISION_TEXT_MAX];	/* "file:line", "implicit", "builtin:<check>" */
	char label[DECISION_TEXT_MAX];
	char reason[DECISION_TEXT_MAX];
	char new_name[5];		/* rename */
	char new_oem_id[7];		/* set-oem */
	char new_oem_table_id[9];
};

struct verdict {
	bool approved;
	char reason[DECISION_TEXT_MAX];	/* one line when rejected */
	char rule[DECISION_TEXT_MAX];	/* the rule or check that rejected */
	struct blob_decision *blobs;
	size_t nblobs;
	uint8_t *area;			/* the approved area, rewritten */
	size_t length, count, dropped;
	uint32_t crc;			/* zlib crc32 of area[0..length) */
	char digest[DIGEST_TEXT_SIZE];	/* SHA-256 of area[0..length) ("" when rejected) */
	bool changed;			/* area differs from the input */
};

const char *action_name(enum action a);

/*
 * Decide buf[0..len) (count < 0: absent) for a domain.  Returns 0 with v
 * filled (approved or rejected), -1 only on allocation failure.
 *
 * When approved, v->area holds len bytes (the input's length): the approved
 * blobs from offset 0, then zeros, so a caller can write all of it back in
 * place; v->length (<= len) is the approved part, and v->crc and v->digest
 * cover exactly area[0..length) (length 0: the empty string's digest).  In
 * permissive mode the area is the input unchanged.
 * When rejected, v->area is NULL, length, count and crc are 0, digest "".
 */
int evaluate(const struct policy *p, const uint8_t *buf, size_t len, long long count,
	     const struct domain_facts *d, struct verdict *v);

/* evaluate() with flags: EVALUATE_PERMISSIVE decides as if the policy said
 * "mode permissive" (dmacpid --permissive). */
#define EVALUATE_PERMISSIVE 0x1u
int evaluate_ex(const struct policy *p, const uint8_t *buf, size_t len, long long count,
		const struct domain_facts *d, unsigned flags, struct verdict *v);
/* evaluate_ex() taking the built-in checks of AML blobs from checks when
 * they were made there before, and keeping them there (check-cache.h);
 * checks may be NULL. */
struct check_cache;
int evaluate_checked(const struct policy *p, const uint8_t *buf, size_t len, long long count,
		     const struct domain_facts *d, unsigned flags, struct check_cache *checks,
		     struct verdict *v);
void verdict_free(struct verdict *v);

#endif
