/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The pause gate (SPEC section 3, `gate pause`): a pause reference on a new
 * HVM domain until its verdict is final, its device model runs without
 * inputs, or gate-timeout passes.  References are recorded under
 * /local/domain/0/dmacpid/gate/D so that a restarted daemon adopts them.
 */
#ifndef DMACPID_GATE_H
#define DMACPID_GATE_H

#include "daemon.h"

/* Adopt a recorded reference, or take one when the domain needs it. */
void gate_attach(struct daemon *dm, struct domain *d);
/* Drop our reference (a final verdict, or the device model runs without inputs). */
void gate_release(struct daemon *dm, struct domain *d, const char *why);
/* The domain is gone: its reference went with it; delete the record. */
void gate_forget(struct daemon *dm, struct domain *d);
void gate_dm_state_changed(struct daemon *dm, struct domain *d);
/* image/device-model-domid appeared or changed: follow the device model. */
void gate_dm_domid_changed(struct daemon *dm, struct domain *d);
/* Called when the domain has no inputs at all. */
void gate_no_inputs(struct daemon *dm, struct domain *d);
/* Who has a record, into dm->gate_records (for a reconcile). */
void gate_list_records(struct daemon *dm);
/* Delete records of domains that no longer exist. */
void gate_sweep_records(struct daemon *dm);

#endif
