// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The domain table: a sorted array of domids, found and dropped by scans.
 *
 * @releaseDomain needs a listing of every domain (which one died is not
 * said).  @introduceDomain does not: xenstored fires it once per domain it
 * introduces, Xen hands out domids in increasing order, and a domain exists
 * before it is introduced.  So a batch of N firings lists only the domains
 * above the highest domid ever listed, and counts the introductions it can
 * see there and among the domains listed before xenstored knew them.  Only
 * when fewer than N turn up (a reused or toolstack-chosen domid, a domain
 * gone already) does it list everything.  An introduction counted early,
 * before its firing was read, can hide another for one loop iteration at
 * most: its firing is already queued and then finds nothing new.
 */
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
#include "lograte.h"
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
	if (!xs_watch(dm->xsw, path, token)) {
		log_msg(LOG_ERR, "dom%u: cannot watch %s: %s", d->domid, path, strerror(errno));
		return false;
	}
	d->watched = true;
	return true;
}

void domain_release(struct domain *d)
{
	lograte_release(d);
	if (d->input_timer)
		event_free(d->input_timer);
	if (d->retry_timer)
		event_free(d->retry_timer);
	if (d->gate_timer)
		event_free(d->gate_timer);
	if (d->pending_timer)
		event_free(d->pending_timer);
	free(d);
}

static void dmid_path(char *buf, size_t len, unsigned domid)
{
	snprintf(buf, len, "/local/domain/%u/image/device-model-domid", domid);
}

/* The value of image/device-model-domid: 0 when absent or malformed. */
static unsigned read_dm_domid(struct daemon *dm, unsigned domid)
{
	char path[80];
	unsigned len, v = 0;
	char *s;

	dmid_path(path, sizeof(path), domid);
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

/*
 * Every decision names the device-model domain (its verdict is readable
 * there) and the gate follows it, so the key is watched rather than read
 * each time: one read at registration, one per change.
 */
static void watch_dm_domid(struct daemon *dm, struct domain *d)
{
	char path[80], token[16];

	dmid_path(path, sizeof(path), d->domid);
	snprintf(token, sizeof(token), "%c%u", TOKEN_DM_DOMID, d->domid);
	if (!xs_watch(dm->xsw, path, token))
		return;		/* read at every use instead */
	d->dm_domid = read_dm_domid(dm, d->domid);
	d->dmid_watched = d->dmid_skip_fire = true;
}

void domain_dm_domid_changed(struct daemon *dm, struct domain *d)
{
	unsigned now;

	if (!d->dmid_watched)
		return;
	now = read_dm_domid(dm, d->domid);
	if (now == d->dm_domid)
		return;
	d->dm_domid = now;
	gate_dm_domid_changed(dm, d);
}

/* The domain is gone (or its domid now names another domain): forget it. */
static void domain_drop(struct daemon *dm, size_t i)
{
	struct domain *d = dm->domains[i];

	if (dm->xs && d->watched) {
		char path[64], token[16];

		inputs_path(path, sizeof(path), d->domid);
		snprintf(token, sizeof(token), "%c%u", TOKEN_INPUTS, d->domid);
		xs_unwatch(dm->xsw, path, token);
	}
	if (dm->xs && d->dmid_watched) {
		char path[80], token[16];

		dmid_path(path, sizeof(path), d->domid);
		snprintf(token, sizeof(token), "%c%u", TOKEN_DM_DOMID, d->domid);
		xs_unwatch(dm->xsw, path, token);
	}
	gate_forget(dm, d);
	intent_forget(dm, d);
	memmove(&dm->domains[i], &dm->domains[i + 1], (dm->ndomains - i - 1) * sizeof(*dm->domains));
	dm->ndomains--;
	domain_release(d);
}

unsigned domain_dm_domid(struct daemon *dm, unsigned domid)
{
	struct domain *d = domains_find(dm, domid);

	return d && d->dmid_watched ? d->dm_domid : read_dm_domid(dm, domid);
}

/* A live HVM domain from a listing: track it if new (or its domid was
 * reused), re-arm what a lost connection took, decide it when first watched. */
static void track(struct daemon *dm, const struct hyp_domain *h, bool *changed)
{
	struct domain *d = domains_find(dm, h->domid);
	bool fresh = false;

	if (d && memcmp(d->handle, h->handle, sizeof(d->handle))) {
		/* The domid was reused while we were not looking. */
		domain_drop(dm, lower_bound(dm, d->domid));
		d = NULL;
	}
	if (!d) {
		d = domain_insert(dm, h);
		if (!d) {
			log_msg(LOG_ERR, "dom%u: out of memory", h->domid);
			return;
		}
		fresh = *changed = true;
		/* A previous instance may have died mid-rewrite of this one. */
		d->intent_maybe = dm->reconciling && records_maybe(&dm->intent_records, d->domid);
	}
	d->seen = true;
	if (!d->dmid_watched && dm->xs)
		watch_dm_domid(dm, d);
	/* Only a domain found at a (re)connect can have a verdict of ours; one
	 * introduced while we watch starts from generation 0. */
	if (fresh && dm->reconciling)
		verdict_adopt(dm, d, domain_dm_domid(dm, d->domid));
	else if (fresh)
		d->generation_known = true;
	if (!d->gate_settled || (d->gated && !d->dm_watched))
		gate_attach(dm, d);
	/* Decide now rather than on the watch's first firing, so that
	 * READY=1 follows a complete reconcile; that firing is then old news. */
	if (!d->watched && dm->xs && watch_inputs(dm, d)) {
		d->skip_fire = true;
		domain_inputs_changed(dm, d);
	}
	d->verdict_checked = false;	/* what verdict_adopt saw is for that round only */
}

int domains_scan(struct daemon *dm)
{
	struct hyp_domain *live = NULL;
	size_t nlive = 0;
	bool changed = false;

	if (!dm->xs)
		return 1;
	log_msg(LOG_DEBUG, "listing every domain");
	/* Every type, so that list_high covers stub domains too. */
	if (hyp_list_from(dm->hyp, 1, &live, &nlive) < 0) {
		log_msg(LOG_ERR, "cannot list domains: %s; trying again", strerror(errno));
		return -1;
	}
	for (size_t i = 0; i < dm->ndomains; i++)
		dm->domains[i]->seen = false;
	dm->list_high = 0;
	for (size_t k = 0; k < nlive && dm->xs; k++) {
		if (live[k].domid > dm->list_high)
			dm->list_high = live[k].domid;
		if (live[k].hvm) {
			track(dm, &live[k], &changed);
			xsconn_handle_tracked(dm);
		}
	}
	/* Everything listed now counts as known and introduced: an
	 * introduction still to come then finds nothing new and costs one
	 * more full listing, never a missed domain. */
	dm->nunintroduced = 0;
	free(live);
	if (!dm->xs)
		return 1;
	for (size_t i = dm->ndomains; i-- > 0;) {
		if (!dm->domains[i]->seen) {
			domain_drop(dm, i);
			changed = true;
		}
	}
	if (changed)
		notify_status(dm);
	return 0;
}

static void unintroduced_add(struct daemon *dm, unsigned domid)
{
	if (dm->nunintroduced == dm->unintroduced_cap) {
		size_t ncap = dm->unintroduced_cap ? dm->unintroduced_cap * 2 : 16;
		unsigned *nv = realloc(dm->unintroduced, ncap * sizeof(*nv));

		if (!nv)
			return;		/* its introduction will then cost a full scan */
		dm->unintroduced = nv;
		dm->unintroduced_cap = ncap;
	}
	dm->unintroduced[dm->nunintroduced++] = domid;
}

/*
 * The introductions accounted for since the last look: domains above
 * list_high (the only place a domain new to us can be when Xen hands out
 * domids in increasing order) and domains listed earlier that xenstored
 * has introduced since.  Each counts once, when it is first seen introduced.
 * Returns -1 when the hypervisor cannot be asked.
 */
static long introductions_seen(struct daemon *dm, bool *changed)
{
	struct hyp_domain *live = NULL;
	size_t nlive = 0, kept = 0;
	long seen = 0;

	if (hyp_list_from(dm->hyp, dm->list_high + 1, &live, &nlive) < 0)
		return -1;
	for (size_t i = 0; i < dm->nunintroduced && dm->xs; i++) {
		unsigned domid = dm->unintroduced[i];
		struct domain *d;

		if (!xs_is_domain_introduced(dm->xs, domid)) {
			dm->unintroduced[kept++] = domid;
			continue;
		}
		seen++;
		d = domains_find(dm, domid);
		if (d && !d->gate_settled)
			gate_attach(dm, d);	/* it waited for this */
	}
	dm->nunintroduced = kept;
	for (size_t k = 0; k < nlive && dm->xs; k++) {
		if (live[k].domid > dm->list_high)
			dm->list_high = live[k].domid;
		if (xs_is_domain_introduced(dm->xs, live[k].domid))
			seen++;
		else
			unintroduced_add(dm, live[k].domid);
		if (live[k].hvm)
			track(dm, &live[k], changed);
	}
	free(live);
	return seen;
}

void domains_changed(struct daemon *dm, unsigned introduced, bool released)
{
	bool changed = false;

	if (!dm->xs || (!introduced && !released))
		return;
	/* Domains listed outside a reconcile would be taken as new, and what
	 * a predecessor left for them never adopted. */
	if (dm->reconcile_due) {
		xsconn_reconcile(dm);
		return;
	}
	/* Only a listing of every domain tells which ones died.  Fewer
	 * introductions found than @introduceDomain firings: one was below
	 * list_high (a reused or chosen domid), or died already; only a full
	 * listing is sure to find it.  Should the hypervisor list nothing,
	 * the reconcile, tried again, looks at every domain. */
	if (!released && introductions_seen(dm, &changed) >= (long)introduced) {
		if (changed)
			notify_status(dm);
		return;
	}
	if (domains_scan(dm) < 0)
		xsconn_reconcile_later(dm);
}

void domains_disconnected(struct daemon *dm)
{
	for (size_t i = 0; i < dm->ndomains; i++) {
		dm->domains[i]->watched = false;
		dm->domains[i]->skip_fire = false;
		dm->domains[i]->dm_watched = false;
		dm->domains[i]->dmid_watched = false;
		dm->domains[i]->dmid_skip_fire = false;
	}
}

void domains_free_all(struct daemon *dm)
{
	for (size_t i = 0; i < dm->ndomains; i++)
		domain_release(dm->domains[i]);
	free(dm->domains);
	dm->domains = NULL;
	dm->ndomains = dm->domains_cap = 0;
	free(dm->unintroduced);
	dm->unintroduced = NULL;
	dm->nunintroduced = dm->unintroduced_cap = 0;
}

void domain_timer_start(struct daemon *dm, struct domain *d, struct event **timer,
			event_callback_fn cb, uint32_t ms)
{
	struct timeval tv = { .tv_sec = ms / 1000, .tv_usec = (suseconds_t)(ms % 1000) * 1000 };

	if (!*timer)
		*timer = evtimer_new(dm->base, cb, d);
	if (*timer && !evtimer_pending(*timer, NULL))
		evtimer_add(*timer, &tv);
}

void domain_handle_text(char out[33], const uint8_t handle[16])
{
	for (int i = 0; i < 16; i++)
		snprintf(out + 2 * i, 3, "%02x", handle[i]);
}

/* A record's name as a domid, or -1 if it is none. */
static long record_domid(const char *name)
{
	char *end;
	unsigned long domid = strtoul(name, &end, 10);

	return name[0] >= '0' && name[0] <= '9' && !*end && domid <= 0xffff ? (long)domid : -1;
}

void records_list(struct daemon *dm, const char *dir, struct record_list *out)
{
	records_clear(out);
	if (!dm->xs)
		return;
	out->ents = xs_directory(dm->xs, XBT_NULL, dir, &out->n);
	if (!out->ents) {
		out->n = 0;
		out->known = errno == ENOENT;
		return;
	}
	out->bits = out->n ? calloc(0x10000 / 64, sizeof(*out->bits)) : NULL;
	if (out->n && !out->bits)
		return;		/* unknown: every domain is read */
	for (unsigned i = 0; i < out->n; i++) {
		long domid = record_domid(out->ents[i]);

		if (domid >= 0)
			out->bits[domid / 64] |= 1ull << (domid % 64);
	}
	out->known = true;
}

bool records_maybe(const struct record_list *l, unsigned domid)
{
	return !l->known || (l->bits && domid <= 0xffff && (l->bits[domid / 64] >> (domid % 64)) & 1);
}

void records_clear(struct record_list *l)
{
	free(l->ents);
	free(l->bits);
	*l = (struct record_list){ 0 };
}

void records_sweep(struct daemon *dm, const char *dir, const struct record_list *l)
{
	unsigned n = l->n;
	char **ents = l->known ? l->ents : dm->xs ? xs_directory(dm->xs, XBT_NULL, dir, &n) : NULL;

	for (unsigned i = 0; ents && i < n && dm->xs; i++) {
		long domid = record_domid(ents[i]);
		char path[300];

		if (domid >= 0 && domains_find(dm, (unsigned)domid))
			continue;
		/* A domain that is gone, or a name we never write. */
		snprintf(path, sizeof(path), "%s/%s", dir, ents[i]);
		if (!xs_rm(dm->xs, XBT_NULL, path) && errno != ENOENT)
			log_msg(LOG_ERR, "cannot delete %s: %s", path, strerror(errno));
	}
	if (ents != l->ents)
		free(ents);
}
