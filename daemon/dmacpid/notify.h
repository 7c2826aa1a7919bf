/* SPDX-License-Identifier: GPL-2.0-or-later */
/* systemd notifications (Type=notify): readiness, reloads, status, watchdog.
 * Every call is a no-op outside systemd. */
#ifndef DMACPID_NOTIFY_H
#define DMACPID_NOTIFY_H

#include "daemon.h"

/* Start the watchdog timer when WatchdogSec= is set. */
int notify_init(struct daemon *dm);
void notify_fini(void);
void notify_ready(struct daemon *dm);
void notify_reloading(void);
/* STATUS= with the counts of the domains watched and their verdicts. */
void notify_status(const struct daemon *dm);
void notify_stopping(void);

#endif
