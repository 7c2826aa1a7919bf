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

/* The device model's inputs under /local/domain/D, in the order
 * domain_inputs_changed() reads them. */
#define INPUTS_DIR "hvmloader/dm-acpi"
enum input_key { INPUT_ADDRESS, INPUT_LENGTH, INPUT_COUNT, INPUT_KEYS };
extern const char *const input_key_name[INPUT_KEYS];

/*
 * Input key k of d has just been read, and the keys before it in that
 * order.  xenstored sends a watch event and a reply in the order it made
 * them, so an event libxenstore holds by now for key k or a later one
 * reports a change that this read, or the read of that later key, sees:
 * it is dropped rather than answered by another round of reads.  May lose
 * the connection (dm->xs NULL).
 */
void xsconn_input_read(struct daemon *dm, struct domain *d, enum input_key k);

/* Connect now, or keep retrying from the loop until xenstored answers. */
void xsconn_start(struct daemon *dm);
/* The connection is gone: drop it and schedule a reconnect. */
void xsconn_lost(struct daemon *dm, const char *why);
void xsconn_stop(struct daemon *dm);

#endif
