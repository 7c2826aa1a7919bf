/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The xenstore connection: watch events in the event loop, loss detection,
 * reconnection with backoff and a full reconcile after every (re)connect.
 */
#ifndef DMACPID_XS_H
#define DMACPID_XS_H

#include "daemon.h"

/* Watch tokens: one for the domain list, one per domain and purpose. */
#define TOKEN_DOMAINS "@domains"
#define TOKEN_INPUTS 'a'	/* "a<domid>": hvmloader/dm-acpi */
#define TOKEN_DM_STATE 'g'	/* "g<domid>": the device model's state (gate) */
#define TOKEN_DM_DOMID 'm'	/* "m<domid>": image/device-model-domid */

/* Attempts at a transaction that conflicts before giving up for a while. */
#define TRANSACTION_RETRIES 16

/* Connect now, or keep retrying from the loop until xenstored answers. */
void xsconn_start(struct daemon *dm);
/* The connection is gone: drop it and schedule a reconnect. */
void xsconn_lost(struct daemon *dm, const char *why);
void xsconn_stop(struct daemon *dm);
/* d's inputs are about to be read in a transaction: the events for them
 * queued by now need no further round. */
void xsconn_inputs_current(struct daemon *dm, struct domain *d);
/* During a scan: act on the events of the domains tracked so far. */
void xsconn_handle_tracked(struct daemon *dm);
/* Every live domain looked at, adopting what a predecessor or the last
 * connection left, then the records of gone domains swept and READY=1.
 * Run at every (re)connect; when the hypervisor does not list the
 * domains, xsconn_reconcile_later() has it run again, with a back-off,
 * and until then an event about the domain list runs it (reconcile_due). */
void xsconn_reconcile(struct daemon *dm);
void xsconn_reconcile_later(struct daemon *dm);

#endif
