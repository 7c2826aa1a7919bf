// SPDX-License-Identifier: GPL-2.0-or-later
/* sd_notify: READY, RELOADING, STATUS, STOPPING and the watchdog. */
#include "config.h"

#include <event2/event.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <systemd/sd-daemon.h>
#include <time.h>

#include "decision-cache.h"
#include "log.h"
#include "notify.h"

static struct event *watchdog;
/* STATUS= at most once a second: a change a second or more after the last
 * STATUS= goes out at once (once the loop has handled what was waiting),
 * a change within that second at its end, with every change made by then.
 * No timer is left armed once told: an idle daemon is not woken. */
static struct event *status_timer;
static struct timespec status_sent;	/* CLOCK_MONOTONIC; zero before the first */

static void watchdog_tick(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	(void)arg;
	sd_notify(0, "WATCHDOG=1");
}

static void status_tick(evutil_socket_t fd, short what, void *arg);

int notify_init(struct daemon *dm)
{
	uint64_t usec = 0;
	struct timeval half;

	/* Outside systemd there is no one to tell: no counting, no formatting. */
	if (getenv("NOTIFY_SOCKET")) {
		status_timer = evtimer_new(dm->base, status_tick, dm);
		if (!status_timer)
			return -1;
	}
	if (sd_watchdog_enabled(0, &usec) <= 0 || usec == 0)
		return 0;
	/* Ping at half the interval, as sd_watchdog_enabled(3) recommends. */
	usec /= 2;
	half.tv_sec = (time_t)(usec / 1000000);
	half.tv_usec = (suseconds_t)(usec % 1000000);
	watchdog = event_new(dm->base, -1, EV_PERSIST, watchdog_tick, NULL);
	if (!watchdog || event_add(watchdog, &half) < 0) {
		log_msg(LOG_ERR, "cannot start the watchdog timer");
		return -1;
	}
	return 0;
}

void notify_fini(void)
{
	if (watchdog)
		event_free(watchdog);
	watchdog = NULL;
	if (status_timer)
		event_free(status_timer);
	status_timer = NULL;
}

void notify_ready(struct daemon *dm)
{
	dm->ready = true;
	sd_notify(0, "READY=1");
	notify_status(dm);
}

void notify_reloading(void)
{
	sd_notify(0, "RELOADING=1");
}

void notify_stopping(void)
{
	sd_notify(0, "STOPPING=1");
}

static void status_now(const struct daemon *dm)
{
	unsigned approved = 0, rejected = 0, errors = 0, pending = 0;
	size_t asked, reused;

	for (size_t i = 0; i < dm->ndomains; i++) {
		switch (dm->domains[i]->state) {
		case VSTATE_APPROVED: approved++; break;
		case VSTATE_REJECTED: rejected++; break;
		case VSTATE_ERROR: errors++; break;
		case VSTATE_PENDING: pending++; break;
		case VSTATE_NONE: break;
		}
	}
	decision_cache_counts(dm->decisions, &asked, &reused);
	sd_notifyf(0, "STATUS=%s%zu domains watched, %u approved, %u rejected, %u errors, %u pending; "
		   "%zu of %zu decisions reused an earlier answer",
		   dm->xs ? "" : "xenstored unreachable; ",
		   dm->ndomains, approved, rejected, errors, pending, reused, asked);
}

static void status_send(const struct daemon *dm)
{
	status_now(dm);
	clock_gettime(CLOCK_MONOTONIC, &status_sent);
}

static void status_tick(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	status_send(arg);
}

/* A boot storm changes the counts a thousand times in a row, and guests
 * booting one by one change them every few milliseconds: count them and
 * tell systemd (PID 1 reads every message) once the loop has handled what
 * was waiting, and at most once a second. */
void notify_status(const struct daemon *dm)
{
	struct timespec now;
	struct timeval wait = { 0, 0 };
	int64_t us;

	if (!dm->ready || !status_timer || evtimer_pending(status_timer, NULL))
		return;		/* the STATUS= due will count this change too */
	clock_gettime(CLOCK_MONOTONIC, &now);
	us = (int64_t)(now.tv_sec - status_sent.tv_sec) * 1000000 +
	     (now.tv_nsec - status_sent.tv_nsec) / 1000;
	if (us < 1000000 && (status_sent.tv_sec || status_sent.tv_nsec)) {
		wait.tv_sec = (1000000 - us) / 1000000;	/* 1 when no time has passed */
		wait.tv_usec = (suseconds_t)((1000000 - us) % 1000000);
	}
	if (evtimer_add(status_timer, &wait) < 0)
		status_send(dm);
}
