// SPDX-License-Identifier: GPL-2.0-or-later
/* The domain table: a sorted array of domids, found and dropped by scans. */
#include "config.h"

#include <errno.h>
#include <event2/event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xenstore.h>

#include "domains.h"
#include "gate.h"
#include "log.h"
#include "notify.h"
#include "verdict.h"
#include "xc.h"
#include "xs.h"

/* Index of the first domain with domid >= key. */
static size_t lower_bound(const struct daemon *dm, unsigned key)
{
	size_t lo = 0, hi = dm->ndomains;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (dm->domains[mid]->domid < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

struct domain *domains_find(struct daemon *dm, unsigned domid)
{
	size_t i = lower_bound(dm, domid);

	return i < dm->ndomains && dm->domains[i]->domid == domid ? dm->domains[i] : NULL;
}

static struct domain *domain_insert(struct daemon *dm, const struct hyp_domain *h)
{
	size_t i = lower_bound(dm, h->domid);
	struct domain *d;

	if (dm->ndomains == dm->domains_cap) {
		size_t ncap = dm->domains_cap ? dm->domains_cap * 2 : 16;
		struct domain **nv = realloc(dm->domains, ncap * sizeof(*nv));

		if (!nv)
			return NULL;
		dm->domains = nv;
		dm->domains_cap = ncap;
	}
	d = calloc(1, sizeof(*d));
	if (!d)
		return NULL;
	d->owner = dm;
	d->domid = h->domid;
	memcpy(d->handle, h->handle, sizeof(d->handle));
	memmove(&dm->domains[i + 1], &dm->domains[i], (dm->ndomains - i) * sizeof(*dm->domains));
	dm->domains[i] = d;
	dm->ndomains++;
	return d;
}

static void inputs_path(char *buf, size_t len, unsigned domid)
{
	snprintf(buf, len, "/local/domain/%u/hvmloader/dm-acpi", domid);
}

static bool watch_inputs(struct daemon *dm, struct domain *d)
{
	char path[64], token[16];

	inputs_path(path, sizeof(path), d->domid);
	snprintf(token, sizeof(token), "%c%u", TOKEN_INPUTS, d->domid);
	if (!xs_watch(dm->xs, path, token)) {
		log_msg(LOG_ERR, "dom%u: cannot watch %s: %s", d->domid, path, strerror(errno));
		return false;
	}
	d->watched = true;
	return true;
}

void domain_release(struct domain *d)
{
	if (d->input_timer)
		event_free(d->input_timer);
	if (d->retry_timer)
		event_free(d->retry_timer);
	if (d->gate_timer)
		event_free(d->gate_timer);
	free(d);
}

/* The domain is gone (or its domid now names another domain): forget it. */
static void domain_drop(struct daemon *dm, size_t i)
{
	struct domain *d = dm->domains[i];

	if (dm->xs && d->watched) {
		char path[64], token[16];

		inputs_path(path, sizeof(path), d->domid);
		snprintf(token, sizeof(token), "%c%u", TOKEN_INPUTS, d->domid);
		xs_unwatch(dm->xs, path, token);
	}
	gate_forget(dm, d);
	memmove(&dm->domains[i], &dm->domains[i + 1], (dm->ndomains - i - 1) * sizeof(*dm->domains));
	dm->ndomains--;
	domain_release(d);
}

unsigned domain_dm_domid(struct daemon *dm, unsigned domid)
{
	char path[80];
	unsigned len, v = 0;
	char *s;

	snprintf(path, sizeof(path), "/local/domain/%u/image/device-model-domid", domid);
	s = dm->xs ? xs_read(dm->xs, XBT_NULL, path, &len) : NULL;
	if (s) {
		char *end;
		unsigned long n;

		errno = 0;
		n = strtoul(s, &end, 10);
		if (s[0] >= '0' && s[0] <= '9' && !*end && !errno && n < 0x7ff0)
			v = (unsigned)n;
		free(s);
	}
	return v;
}

void domains_scan(struct daemon *dm)
{
	struct hyp_domain *live = NULL;
	size_t nlive = 0;
	bool changed = false;

	if (!dm->xs)
		return;
	if (hyp_list_hvm(dm->hyp, &live, &nlive) < 0) {
		log_msg(LOG_ERR, "cannot list domains: %s", strerror(errno));
		return;
	}
	for (size_t i = 0; i < dm->ndomains; i++)
		dm->domains[i]->seen = false;
	for (size_t k = 0; k < nlive && dm->xs; k++) {
		struct domain *d = domains_find(dm, live[k].domid);
		bool fresh = false;

		if (d && memcmp(d->handle, live[k].handle, sizeof(d->handle))) {
			/* The domid was reused while we were not looking. */
			domain_drop(dm, lower_bound(dm, d->domid));
			d = NULL;
		}
		if (!d) {
			d = domain_insert(dm, &live[k]);
			if (!d) {
				log_msg(LOG_ERR, "dom%u: out of memory", live[k].domid);
				continue;
			}
			fresh = changed = true;
		}
		d->seen = true;
		if (fresh)
			verdict_adopt(dm, d, domain_dm_domid(dm, d->domid));
		if (!d->gate_settled || (d->gated && !d->dm_watched))
			gate_attach(dm, d);
		if (d->watched || !dm->xs)
			continue;
		/* Decide now rather than on the watch's first firing, so that
		 * READY=1 follows a complete reconcile. */
		if (dm->xs && watch_inputs(dm, d))
			domain_inputs_changed(dm, d);
	}
	free(live);
	if (!dm->xs)
		return;
	for (size_t i = dm->ndomains; i-- > 0;) {
		if (!dm->domains[i]->seen) {
			domain_drop(dm, i);
			changed = true;
		}
	}
	if (changed)
		notify_status(dm);
}

void domains_disconnected(struct daemon *dm)
{
	for (size_t i = 0; i < dm->ndomains; i++) {
		dm->domains[i]->watched = false;
		dm->domains[i]->dm_watched = false;
	}
}

void domains_free_all(struct daemon *dm)
{
	for (size_t i = 0; i < dm->ndomains; i++)
		domain_release(dm->domains[i]);
	free(dm->domains);
	dm->domains = NULL;
	dm->ndomains = dm->domains_cap = 0;
}
