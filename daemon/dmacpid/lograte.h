/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A domain's verdicts in the log, within the policy's log-limit.  A device
 * model that rewrites its inputs without end gets a verdict for every
 * change, and logging each one would flood the journal until journald
 * drops dmacpid's messages, the other domains' decisions with them.  So a
 * domain logs at most log-limit verdicts in a window; the rest are written
 * to xenstore as always and counted, and the window's end logs how many
 * were left out and the last of them, so that the log ends with every
 * domain's final verdict.
 */
#ifndef DMACPID_LOGRATE_H
#define DMACPID_LOGRATE_H

#include <stdbool.h>

#include "daemon.h"

/* Whether d's verdict of state may be logged now (d->generation is its
 * generation); if not, it is counted.  name: the domain's, for the count's
 * message. */
bool lograte_admit(struct daemon *dm, struct domain *d, const char *name, enum vstate state);
/* Whether another line about d that its device model can repeat at will
 * (a decision its rewrite made stale) may be logged now.  It takes a place
 * in the same window as the verdicts: a device model whose every rewrite
 * lands mid-decision has no verdict to count against it.  Not counted when
 * left out: the count logged at the window's end is of verdicts. */
bool lograte_line(struct daemon *dm, struct domain *d);
/* d is going away: log what was left out, and free what was kept for it. */
void lograte_release(struct domain *d);

#endif
