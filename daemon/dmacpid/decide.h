/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Deciding a domain's blob area: inputs, facts, guest memory, evaluate(),
 * write-back and the verdict. */
#ifndef DMACPID_DECIDE_H
#define DMACPID_DECIDE_H

#include <stdbool.h>
#include <stdint.h>

#include "daemon.h"

/* Write an error verdict for d (e.g. at gate-timeout) and log it. */
void decide_error(struct daemon *dm, struct domain *d, const char *input, const char *reason);

#endif
