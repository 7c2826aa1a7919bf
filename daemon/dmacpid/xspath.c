// SPDX-License-Identifier: GPL-2.0-or-later
/* xenstore paths under a domain (see xspath.h). */
#include "config.h"

#include <string.h>

#include "text.h"
#include "xspath.h"

void xspath_domain(struct xspath *p, unsigned domid)
{
	static const char prefix[] = "/local/domain/";

	memcpy(p->buf, prefix, sizeof(prefix) - 1);
	p->len = sizeof(prefix) - 1 + text_dec(p->buf + sizeof(prefix) - 1, domid);
}

const char *xspath_at(struct xspath *p, const char *rel)
{
	size_t n;

	if (!rel) {
		p->buf[p->len] = '\0';
		return p->buf;
	}
	n = strlen(rel);
	if (n >= sizeof(p->buf) - p->len - 1)
		return NULL;
	p->buf[p->len] = '/';
	memcpy(p->buf + p->len + 1, rel, n + 1);
	return p->buf;
}

bool xspath_push(struct xspath *p, const char *rel)
{
	if (!xspath_at(p, rel))
		return false;
	p->len += 1 + strlen(rel);
	return true;
}
