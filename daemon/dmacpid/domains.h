/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The table of HVM domains being watched, kept in step with the hypervisor
 * the way xenconsoled does it: @introduceDomain/@releaseDomain trigger a
 * scan with xc_domain_getinfolist (for introductions, of the new domids).
 */
#ifndef DMACPID_DOMAINS_H
#define DMACPID_DOMAINS_H

#include <event2/event.h>
#include <stdint.h>

#include "daemon.h"

struct domain *domains_find(struct daemon *dm, unsigned domid);
/* List every domain: add new HVM domains, re-arm watches lost with a
 * connection, drop gone ones.  Returns 0, -1 when the hypervisor could not
 * list them (nothing changed), 1 when the xenstored connection is lost. */
int domains_scan(struct daemon *dm);
/* After a batch of watch events: `introduced` firings of @introduceDomain,
 * and whether @releaseDomain fired.  Lists only what it must. */
void domains_changed(struct daemon *dm, unsigned introduced, bool released);
/* The connection died: every watch with it. */
void domains_disconnected(struct daemon *dm);
void domains_free_all(struct daemon *dm);
/* /local/domain/D/image/device-model-domid, 0 when absent or malformed
 * (kept up to date by a watch while D is in the table). */
unsigned domain_dm_domid(struct daemon *dm, unsigned domid);
/* Its watch fired: read it again, and tell the gate when it changed. */
void domain_dm_domid_changed(struct daemon *dm, struct domain *d);

/* decide.c: look at the inputs again. */
void domain_inputs_changed(struct daemon *dm, struct domain *d);
/* decide.c: an input's watch fired; true when the inputs are still being
 * written and nothing is to be done before the pending timer's round. */
bool domain_inputs_partial(struct daemon *dm, struct domain *d);
void domain_release(struct domain *d);

/* Start d's one-shot timer *timer (created on first use) to call cb(d)
 * after ms, unless it is already pending. */
void domain_timer_start(struct daemon *dm, struct domain *d, struct event **timer,
			event_callback_fn cb, uint32_t ms);

/* The domain handle as 32 hex digits: per-domain records carry it, so that
 * a record left for a dead domain is never taken for a later one. */
void domain_handle_text(char out[33], const uint8_t handle[16]);
/*
 * The records of a dom0-only directory named by domid (gate, rewrite), in
 * one listing for a reconcile (an absent dir names none; on any other error
 * the list stays unknown and may name every domain).
 */
void records_list(struct daemon *dm, const char *dir, struct record_list *out);
/* Whether l may name domid: false only if listed without it. */
bool records_maybe(const struct record_list *l, unsigned domid);
/* Delete every record in l (listed now if l is unknown) that does not name
 * a domain we track: its domain is gone.  Records written since the listing
 * are for tracked domains. */
void records_sweep(struct daemon *dm, const char *dir, const struct record_list *l);
void records_clear(struct record_list *l);

#endif
