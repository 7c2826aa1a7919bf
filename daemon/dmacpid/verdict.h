/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The verdict node /local/domain/D/hvmloader/dm-acpi-verdict (SPEC
 * section 3): written in one transaction, owned by dom0, readable by D and
 * its device-model domain only.
 *
 * With it, the rewrite intent /local/domain/0/dmacpid/rewrite/D (dom0
 * only): recorded before rewritten bytes go into guest memory, deleted in
 * the transaction that publishes the verdict.  A daemon killed in between
 * leaves guest memory holding the rewritten area under the old inputs; the
 * record lets its successor recognise that area as its own work instead of
 * rejecting it.
 */
#ifndef DMACPID_VERDICT_H
#define DMACPID_VERDICT_H

#include <stdbool.h>
#include <stdint.h>
#include <xenstore.h>

#include "daemon.h"
#include "digest.h"

struct verdict_record {
	enum vstate state;
	uint64_t address, length, count, dropped;
	uint32_t checksum;
	const char *digest;		/* approved: "sha256:..." of the approved area */
	const char *input;		/* "address:length:count" answered */
	const char *reason;		/* rejected, error */
	bool clear_intent;		/* delete D's rewrite intent in the same transaction */
	bool reused;			/* the decision cache's answer (for the log) */
};

/*
 * Write r for d, replacing whatever node is there: a decision as the next
 * generation, pending under the last decision's.  Unless inputs_t is NULL,
 * r answers inputs (r->input, one at least present) and is written only
 * in a transaction that reads them: *inputs_t, when still open, which is
 * then ended either way, and a retry's own.
 * Returns 0; VERDICT_STALE when the inputs have changed (decide again); or
 * -1 with errno set (the connection may be gone; ENOENT: the domain's
 * hvmloader/ is gone).
 */
#define VERDICT_STALE (-2)
int verdict_write(struct daemon *dm, struct domain *d, unsigned dm_domid,
		  const struct verdict_record *r, xs_transaction_t *inputs_t);
/* Take over a verdict a previous instance wrote, when its permissions are
 * exactly ours: its state, input and generation. */
void verdict_adopt(struct daemon *dm, struct domain *d, unsigned dm_domid);
/* Remove d's verdict node when dmacpid did not write it (its permissions
 * are not exactly ours); ours stays. */
void verdict_remove_foreign(struct daemon *dm, struct domain *d, unsigned dm_domid);

/* A rewrite about to be written into guest memory. */
struct rewrite_intent {
	char input[INPUT_TEXT_MAX];	/* the inputs the decision answers */
	uint64_t length, count, dropped;	/* of the rewritten area */
	/* SHA-256 of its length bytes: a CRC-32 would let a device model
	 * pass its own bytes off as our rewrite. */
	char digest[DIGEST_TEXT_SIZE];
};

/* Record ri for d (dom0-only permissions).  Returns 0, or -1 with errno. */
int intent_record(struct daemon *dm, struct domain *d, const struct rewrite_intent *ri);
/*
 * d's recorded intent: 1 with ri filled, 0 when there is none.  A record
 * that does not parse or names another domain of the same id is deleted
 * and reads as none.
 */
int intent_load(struct daemon *dm, struct domain *d, struct rewrite_intent *ri);
/* Delete domid's record: stale, or its domain is gone. */
void intent_forget(struct daemon *dm, struct domain *d);
/* Who has a record, into dm->intent_records (for a reconcile). */
void intent_list_records(struct daemon *dm);
/* Delete the records of domains that are not in the table. */
void intent_sweep_records(struct daemon *dm);

#endif
