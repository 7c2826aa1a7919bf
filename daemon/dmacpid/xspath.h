/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * xenstore paths under /local/domain/D, built by copying rather than by
 * printf: a decision makes a score of them.
 */
#ifndef DMACPID_XSPATH_H
#define DMACPID_XSPATH_H

#include <stdbool.h>
#include <stddef.h>

struct xspath {
	char buf[256];
	size_t len;	/* of the base: "/local/domain/D", or longer (xspath_push) */
};

/* The base becomes "/local/domain/D". */
void xspath_domain(struct xspath *p, unsigned domid);
/* The base, then "/" and rel (rel NULL: the base alone); NULL when it does
 * not fit.  Valid until the next call on p. */
const char *xspath_at(struct xspath *p, const char *rel);
/* The base becomes base/rel; false (p unchanged) when it does not fit. */
bool xspath_push(struct xspath *p, const char *rel);

#endif
