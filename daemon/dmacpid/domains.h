/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The table of HVM domains being watched, kept in step with the hypervisor
 * the way xenconsoled does it: @introduceDomain/@releaseDomain trigger a
 * scan with xc_domain_getinfolist.
 */
#ifndef DMACPID_DOMAINS_H
#define DMACPID_DOMAINS_H

#include "daemon.h"

struct domain *domains_find(struct daemon *dm, unsigned domid);
/* Add new HVM domains, re-arm watches lost with a connection, drop gone ones. */
void domains_scan(struct daemon *dm);
/* The connection died: every watch with it. */
void domains_disconnected(struct daemon *dm);
void domains_free_all(struct daemon *dm);
/* /local/domain/D/image/device-model-domid, 0 when absent or malformed. */
unsigned domain_dm_domid(struct daemon *dm, unsigned domid);

/* decide.c: look at the inputs again. */
void domain_inputs_changed(struct daemon *dm, struct domain *d);
void domain_release(struct domain *d);

#endif
