/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Policy reload on SIGHUP: parse everything anew, swap only when valid.
 * The outcome is published for `dmacpictl reload` as
 * /local/domain/0/dmacpid/reload = "<seq> ok" or "<seq> failed: <error>",
 * next to /local/domain/0/dmacpid/pid and pid-start, the process's start
 * time (/proc/PID/stat), without which a pid left by a dmacpid that died
 * could name another process (all dom0-only).
 */
#ifndef DMACPID_RELOAD_H
#define DMACPID_RELOAD_H

#include "daemon.h"

#define CONTROL_DIR "/local/domain/0/dmacpid"
#define CONTROL_PID CONTROL_DIR "/pid"
#define CONTROL_PID_START CONTROL_DIR "/pid-start"
#define CONTROL_RELOAD CONTROL_DIR "/reload"

int reload_init(struct daemon *dm);
void reload_fini(void);
/* Write pid, its start time and the last outcome (after every connect). */
void reload_publish(struct daemon *dm);
/* Remove pid and its start time (a clean stop). */
void reload_unpublish(struct daemon *dm);
/* Log every diagnostic of a policy: its warnings (the policy loaded or
 * not), then, if it has errors, that it was rejected, and what follows. */
struct diags;
void log_policy_diags(const struct diags *d, const char *context);

#endif
