/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A domain's inputs, hvmloader/dm-acpi/{address,length,count} (SPEC
 * section 3): written by the device model, hostile.
 */
#ifndef DMACPID_INPUTS_H
#define DMACPID_INPUTS_H

#include <stdbool.h>
#include <stdint.h>
#include <xenstore.h>

#include "daemon.h"

struct inputs {
	char *address, *length, *count;		/* NULL when absent */
	xs_transaction_t t;			/* read in; XBT_NULL once ended */
};

/* A key of the domain's (rel to /local/domain/D/), read in t, or NULL
 * with errno set (ENOENT: absent). */
char *domain_key_read(struct daemon *dm, xs_transaction_t t, unsigned domid, const char *rel);

/*
 * The three inputs as one state of xenstore held them.  Read one by one, a
 * device model's transaction could commit between two reads, and the
 * round would decide, and rewrite guest memory by, inputs that never stood
 * together.  Reads in one transaction stand together, or its commit fails
 * with EAGAIN: xenstored checks at the commit what it read.  So the
 * transaction is left open (in->t): the verdict that answers them is
 * written in it, and is committed only while they still stand.  Whoever
 * acts on them otherwise (a rewrite of guest memory) commits it first.
 * Returns 0, or -1 with errno set (in holds nothing then).
 */
int inputs_read(struct daemon *dm, struct domain *d, struct inputs *in);
/* End in's transaction, if still open; commit it when asked.  Returns the
 * commit's result (true when there was none to end), errno set if not. */
bool inputs_end(struct daemon *dm, struct inputs *in, bool commit);
/* Abort in's transaction, if open, and free its values. */
void inputs_free(struct daemon *dm, struct inputs *in);

/*
 * The inputs as the verdict's `input` text, injective where they can
 * change a decision (see inputs.c).
 */
void input_text(char *dst, size_t len, const struct inputs *in);
/* Do the inputs read in t have this text?  1 yes, 0 no, -1 with errno. */
int inputs_stand(struct daemon *dm, unsigned domid, xs_transaction_t t, const char *text);

#endif
