/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Deciding a domain's blob area: inputs, facts, guest memory, evaluate(),
 * write-back and the verdict. */
#ifndef DMACPID_DECIDE_H
#define DMACPID_DECIDE_H

#include <stdbool.h>
#include <stdint.h>

#include "daemon.h"

/*
 * A key value from the device model as a number: "0x" and 1-16 hex digits,
 * or decimal digits; no sign, no space, no trailing junk, no overflow.
 */
bool parse_input_number(const char *s, uint64_t *out);

/* Write an error verdict for d (e.g. at gate-timeout) and log it. */
void decide_error(struct daemon *dm, struct domain *d, const char *input, const char *reason);

#endif
