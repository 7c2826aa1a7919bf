// SPDX-License-Identifier: GPL-2.0-or-later
/* Verdicts in the log within the policy's log-limit (see lograte.h). */
#include "config.h"

#include <event2/event.h>
#include <inttypes.h>
#include <stdlib.h>
#include <time.h>

#include "domains.h"
#include "log.h"
#include "lograte.h"
#include "policy.h"
#include "text.h"

/* Kept for a domain only once it has had a verdict left out of the log. */
struct log_omitted {
	uint64_t n;			/* left out since the last count logged */
	uint64_t generation;		/* of the last one left out */
	enum vstate state;
	char name[NAME_MAX_LEN];
	struct event *timer;		/* the window's end: log the count */
};

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void tell_omitted(struct domain *d)
{
	struct log_omitted *o = d->log_omitted;
	struct log_facts f = LOG_FACTS(MSGID_LOG_LIMIT, LOG_WARNING);

	if (!o || !o->n)
		return;
	f.domid = d->domid;
	f.domain = o->name;
	f.state = vstate_name(o->state);
	log_event(&f, "dom%u (%s): %" PRIu64 " verdict%s not logged (log-limit): its inputs "
		  "keep changing; the last: %s, generation %" PRIu64, d->domid, o->name, o->n,
		  o->n == 1 ? "" : "s", vstate_name(o->state), o->generation);
	o->n = 0;
}

static void on_window_end(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	tell_omitted(arg);
}

/* Take one of the window's lines, opening a new window if the last has
 * ended; false when it has none left. */
static bool take(const struct policy_settings *s, struct domain *d, uint64_t now)
{
	if (!d->log_window_ms || now - d->log_window_ms >= s->log_window_ms) {
		tell_omitted(d);	/* the window's timer may not have run yet */
		d->log_window_ms = now;
		d->log_count = 0;
	}
	if (d->log_count >= s->log_limit)
		return false;
	d->log_count++;
	return true;
}

bool lograte_line(struct daemon *dm, struct domain *d)
{
	const struct policy_settings *s = policy_settings(dm->policy);

	return !s->log_limit || take(s, d, now_ms());
}

bool lograte_admit(struct daemon *dm, struct domain *d, const char *name, enum vstate state)
{
	const struct policy_settings *s = policy_settings(dm->policy);
	struct log_omitted *o = d->log_omitted;
	uint64_t now;

	if (!s->log_limit)
		return true;
	now = now_ms();
	if (take(s, d, now))
		return true;
	if (!o) {
		o = calloc(1, sizeof(*o));
		if (!o)
			return true;	/* logged rather than lost */
		d->log_omitted = o;
	}
	o->n++;
	o->generation = d->generation;
	o->state = state;
	text_copy(o->name, sizeof(o->name), name);
	domain_timer_start(dm, d, &o->timer, on_window_end,
			   (uint32_t)(d->log_window_ms + s->log_window_ms - now));
	return false;
}

void lograte_release(struct domain *d)
{
	struct log_omitted *o = d->log_omitted;

	if (!o)
		return;
	tell_omitted(d);
	if (o->timer)
		event_free(o->timer);
	free(o);
	d->log_omitted = NULL;
}
