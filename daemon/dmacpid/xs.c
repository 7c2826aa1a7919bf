// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The xenstore connections.
 *
 * libxenstore reads a connection in a thread of its own once a watch
 * exists on it, and reports events through the pipe behind xs_fileno; each
 * reply then costs that thread's wakeup and a handover to ours.  So the
 * watches have a connection of their own and the requests another, whose
 * replies our thread reads itself: half the wakeups per request, which on
 * a busy dom0 is where a decision waits.
 *
 * When xenstored goes away the reader thread closes its socket without
 * writing to the pipe, so the pipe alone never tells us.  We therefore
 * keep duplicates of both sockets' descriptors and wait, through an epoll
 * set that only asks for hang-ups, for the peer to close either: no
 * wakeups while nothing happens.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <event2/event.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xenstore.h>
#ifdef __linux__
#include <sys/epoll.h>
#endif

#include "domains.h"
#include "gate.h"
#include "log.h"
#include "notify.h"
#include "reload.h"
#include "verdict.h"
#include "xs.h"

#define BACKOFF_FIRST_MS 100
#define BACKOFF_MAX_MS 5000
#define MAX_FDS_SCANNED 4096

static void on_watch(evutil_socket_t fd, short what, void *arg);
static void on_hangup(evutil_socket_t fd, short what, void *arg);
static void on_retry(evutil_socket_t fd, short what, void *arg);

/* Socket descriptors currently open, as a bitmap over the first few thousand. */
static void socket_fds(unsigned char *map)
{
	DIR *dir = opendir("/proc/self/fd");
	struct dirent *e;

	memset(map, 0, MAX_FDS_SCANNED / 8);
	if (!dir)
		return;
	while ((e = readdir(dir))) {
		char *end;
		long fd = strtol(e->d_name, &end, 10);
		struct stat st;

		if (*end || fd < 0 || fd >= MAX_FDS_SCANNED || fd == dirfd(dir))
			continue;
		if (fstat((int)fd, &st) == 0 && S_ISSOCK(st.st_mode))
			map[fd / 8] |= (unsigned char)(1u << (fd % 8));
	}
	closedir(dir);
}

/* An epoll set holding duplicates of the new xenstored sockets (our two
 * connections), asking only for hang-ups; -1 when there is none (e.g.
 * through /dev/xen/xenbus) or on failure, with nothing left open. */
static int hangup_watch(const unsigned char *before, int dups[2])
{
#ifdef __linux__
	unsigned char after[MAX_FDS_SCANNED / 8];
	int ep = epoll_create1(EPOLL_CLOEXEC), n = 0;

	if (ep < 0)
		return -1;
	socket_fds(after);
	for (int fd = 0; fd < MAX_FDS_SCANNED && n < 2; fd++) {
		unsigned char bit = (unsigned char)(1u << (fd % 8));
		struct epoll_event ev = { .events = EPOLLRDHUP };

		if (!(after[fd / 8] & bit) || (before[fd / 8] & bit))
			continue;
		ev.data.fd = dups[n] = fcntl(fd, F_DUPFD_CLOEXEC, 3);
		if (dups[n++] < 0 || epoll_ctl(ep, EPOLL_CTL_ADD, ev.data.fd, &ev) < 0) {
			n = 0;
			break;
		}
	}
	if (n)
		return ep;
	for (int i = 0; i < 2; i++) {
		if (dups[i] >= 0)
			close(dups[i]);
		dups[i] = -1;
	}
	close(ep);
#endif
	(void)before;
	(void)dups;
	return -1;
}

static void hangup_close(struct daemon *dm)
{
	if (dm->xs_hangup)
		event_free(dm->xs_hangup);
	dm->xs_hangup = NULL;
	if (dm->xs_hangup_fd >= 0)
		close(dm->xs_hangup_fd);
	dm->xs_hangup_fd = -1;
	for (int i = 0; i < 2; i++) {
		if (dm->xs_socket_dup[i] >= 0)
			close(dm->xs_socket_dup[i]);
		dm->xs_socket_dup[i] = -1;
	}
}

/* Arm a one-shot timer for *ms from now, and double *ms for next time. */
static void arm_backoff(struct event *ev, unsigned *ms)
{
	struct timeval tv;

	if (*ms < BACKOFF_FIRST_MS)
		*ms = BACKOFF_FIRST_MS;
	tv.tv_sec = *ms / 1000;
	tv.tv_usec = (suseconds_t)(*ms % 1000) * 1000;
	evtimer_add(ev, &tv);
	*ms = *ms * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS : *ms * 2;
}

static void schedule_retry(struct daemon *dm)
{
	if (!dm->xs_retry)
		dm->xs_retry = evtimer_new(dm->base, on_retry, dm);
	if (dm->xs_retry)
		arm_backoff(dm->xs_retry, &dm->xs_backoff_ms);
}

static int connect_once(struct daemon *dm)
{
	unsigned char before[MAX_FDS_SCANNED / 8];
	int fd;

	socket_fds(before);
	dm->xsw = xs_open(0);
	dm->xs = dm->xsw ? xs_open(0) : NULL;
	if (!dm->xs) {
		if (dm->xsw)
			xs_close(dm->xsw);
		dm->xsw = NULL;
		return -1;
	}
	fd = xs_fileno(dm->xsw);
	if (fd < 0)
		goto fail;
	dm->xs_event = event_new(dm->base, fd, EV_READ | EV_PERSIST, on_watch, dm);
	if (!dm->xs_event || event_add(dm->xs_event, NULL) < 0)
		goto fail;
	dm->xs_hangup_fd = hangup_watch(before, dm->xs_socket_dup);
	if (dm->xs_hangup_fd >= 0) {
		dm->xs_hangup = event_new(dm->base, dm->xs_hangup_fd, EV_READ | EV_PERSIST,
					  on_hangup, dm);
		if (!dm->xs_hangup || event_add(dm->xs_hangup, NULL) < 0)
			goto fail;
	}
	if (!xs_watch(dm->xsw, "@introduceDomain", TOKEN_DOMAINS) ||
	    !xs_watch(dm->xsw, "@releaseDomain", TOKEN_DOMAINS))
		goto fail;
	/* Whatever was noted on the old connection, the scan to come covers. */
	dm->introduced = 0;
	dm->released = false;
	dm->skip_introduce = dm->skip_release = 1;
	return 0;
fail:
	xsconn_lost(dm, NULL);
	return -1;
}

/*
 * Start-up and every reconnect reconcile every live domain.  Which of them
 * have records of ours is one listing per directory, not a read per
 * domain: only dmacpid writes them, and during the scan only for the
 * domain it is tracking, which then knows of its record.  Without a
 * listing of the domains every record would look like a gone domain's:
 * they are kept (a predecessor's pause references with them), READY=1
 * waits, and the whole reconcile is tried again.
 */
void xsconn_reconcile(struct daemon *dm)
{
	int listed;

	dm->reconciling = true;
	gate_list_records(dm);
	intent_list_records(dm);
	listed = domains_scan(dm);
	dm->reconciling = false;
	if (listed == 0) {
		gate_sweep_records(dm);
		intent_sweep_records(dm);
	}
	records_clear(&dm->gate_records);
	records_clear(&dm->intent_records);
	if (!dm->xs)
		return;
	if (listed < 0) {
		xsconn_reconcile_later(dm);
		return;
	}
	dm->reconcile_due = false;
	if (dm->scan_retry)
		evtimer_del(dm->scan_retry);
	dm->scan_backoff_ms = BACKOFF_FIRST_MS;
	if (!dm->ready)
		notify_ready(dm);
	else
		notify_status(dm);
}

static void on_scan_retry(evutil_socket_t fd, short what, void *arg)
{
	struct daemon *dm = arg;

	(void)fd;
	(void)what;
	if (dm->xs)	/* else the reconnection reconciles */
		xsconn_reconcile(dm);
}

void xsconn_reconcile_later(struct daemon *dm)
{
	dm->reconcile_due = true;
	if (!dm->scan_retry && !(dm->scan_retry = evtimer_new(dm->base, on_scan_retry, dm))) {
		log_msg(LOG_ERR, "cannot arm the timer to list the domains again");
		return;
	}
	if (!evtimer_pending(dm->scan_retry, NULL))
		arm_backoff(dm->scan_retry, &dm->scan_backoff_ms);
}

static void connected(struct daemon *dm, bool again)
{
	dm->xs_backoff_ms = BACKOFF_FIRST_MS;
	if (again) {
		struct log_facts f = LOG_FACTS(MSGID_XS_RESTORED, LOG_NOTICE);

		log_event(&f, "xenstored connection restored, reconciling");
	}
	reload_publish(dm);
	xsconn_reconcile(dm);
}

void xsconn_start(struct daemon *dm)
{
	dm->xs_hangup_fd = -1;
	dm->xs_socket_dup[0] = dm->xs_socket_dup[1] = -1;
	dm->xs_backoff_ms = BACKOFF_FIRST_MS;
	if (connect_once(dm) == 0) {
		connected(dm, false);
		return;
	}
	log_msg(LOG_WARNING, "cannot connect to xenstored (%s), retrying", strerror(errno));
	if (!dm->xs_retry)
		schedule_retry(dm);
}

static void on_retry(evutil_socket_t fd, short what, void *arg)
{
	struct daemon *dm = arg;

	(void)fd;
	(void)what;
	if (dm->xs)
		return;
	if (connect_once(dm) == 0)
		connected(dm, true);
	else if (!dm->xs && !evtimer_pending(dm->xs_retry, NULL))
		schedule_retry(dm);
}

/* Drop the connection and the events that watch it. */
static void disconnect(struct daemon *dm)
{
	if (dm->xs_event)
		event_free(dm->xs_event);
	dm->xs_event = NULL;
	hangup_close(dm);
	if (dm->xs)
		xs_close(dm->xs);
	if (dm->xsw)
		xs_close(dm->xsw);
	dm->xs = dm->xsw = NULL;
}

void xsconn_lost(struct daemon *dm, const char *why)
{
	if (why) {
		struct log_facts f = LOG_FACTS(MSGID_XS_LOST, LOG_ERR);

		log_event(&f, "xenstored connection lost (%s), reconnecting", why);
	}
	disconnect(dm);
	if (dm->scan_retry)	/* the reconnection reconciles */
		evtimer_del(dm->scan_retry);
	/* Watches died with the connection. */
	domains_disconnected(dm);
	notify_status(dm);
	if (!dm->xs_retry || !evtimer_pending(dm->xs_retry, NULL))
		schedule_retry(dm);
}

void xsconn_stop(struct daemon *dm)
{
	if (dm->xs_retry)
		event_free(dm->xs_retry);
	dm->xs_retry = NULL;
	if (dm->scan_retry)
		event_free(dm->scan_retry);
	dm->scan_retry = NULL;
	disconnect(dm);
	free(dm->dirty);
	dm->dirty = NULL;
	dm->dirty_head = dm->ndirty = dm->dirty_cap = 0;
}

static void on_hangup(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	xsconn_lost(arg, "xenstored closed the connection");
}

static bool token_domid(const char *token, char kind, unsigned *domid)
{
	char *end;
	unsigned long v;

	if (token[0] != kind || token[1] < '0' || token[1] > '9')
		return false;
	errno = 0;
	v = strtoul(token + 1, &end, 10);
	if (*end || errno || v > 0xffff)
		return false;
	*domid = (unsigned)v;
	return true;
}

/* What a domain's watch events ask for; handled once per loop iteration.
 * EV_LENGTH: an input event for another key than count or address, which
 * may have written length (domain_inputs_partial). */
enum { EV_INPUTS = 1, EV_DM_STATE = 2, EV_DM_DOMID = 4, EV_LENGTH = 8 };

static void handle(struct daemon *dm, struct domain *d, unsigned ev)
{
	if (ev & EV_DM_DOMID)
		domain_dm_domid_changed(dm, d);
	if ((ev & EV_INPUTS) && ((ev & EV_LENGTH) || !domain_inputs_partial(dm, d)))
		domain_inputs_changed(dm, d);
	else if (ev & EV_DM_STATE)
		gate_dm_state_changed(dm, d);
}

static void mark(struct daemon *dm, unsigned domid, unsigned ev)
{
	struct domain *d = domains_find(dm, domid);

	if (!d)
		return;		/* not ours (yet): a scan decides new domains itself */
	/* The first firing of a watch whose subject was read when it was set. */
	if ((ev & EV_INPUTS) && d->skip_fire) {
		d->skip_fire = false;
		return;
	}
	if (ev == EV_DM_DOMID && d->dmid_skip_fire) {
		d->dmid_skip_fire = false;
		return;
	}
	if (ev & EV_LENGTH)
		d->length_absent = false;
	if (!d->events) {
		if (dm->ndirty == dm->dirty_cap) {
			size_t ncap = dm->dirty_cap ? dm->dirty_cap * 2 : 16;
			unsigned *nv = realloc(dm->dirty, ncap * sizeof(*nv));

			if (!nv) {
				handle(dm, d, ev);	/* no room to wait: now */
				return;
			}
			dm->dirty = nv;
			dm->dirty_cap = ncap;
		}
		dm->dirty[dm->ndirty++] = domid;
	}
	d->events |= (uint8_t)ev;
}

static void note(struct daemon *dm, const char *path, const char *token)
{
	unsigned domid;

	if (!strcmp(token, TOKEN_DOMAINS)) {
		/* Each watch fires once when set; the scan at connection saw that. */
		if (!strcmp(path, "@introduceDomain")) {
			if (dm->skip_introduce)
				dm->skip_introduce--;
			else
				dm->introduced++;
		} else if (dm->skip_release) {
			dm->skip_release--;
		} else {
			dm->released = true;
		}
	} else if (token_domid(token, TOKEN_INPUTS, &domid)) {
		const char *key = strrchr(path, '/');

		mark(dm, domid, key && (!strcmp(key, "/count") || !strcmp(key, "/address"))
					? EV_INPUTS : EV_INPUTS | EV_LENGTH);
	} else if (token_domid(token, TOKEN_DM_STATE, &domid)) {
		mark(dm, domid, EV_DM_STATE);
	} else if (token_domid(token, TOKEN_DM_DOMID, &domid)) {
		mark(dm, domid, EV_DM_DOMID);
	}
}

/* Note every event libxenstore has queued. */
static void drain(struct daemon *dm)
{
	while (dm->xs) {
		char **ev = xs_check_watch(dm->xsw);

		if (!ev) {
			if (errno != EAGAIN)
				xsconn_lost(dm, strerror(errno));
			return;
		}
		note(dm, ev[XS_WATCH_PATH], ev[XS_WATCH_TOKEN]);
		free(ev);
	}
}

/* Act on the events noted for d, which are then no longer noted. */
static void handle_noted(struct daemon *dm, struct domain *d)
{
	unsigned ev = d->events;

	d->events = 0;
	handle(dm, d, ev);
}

/* Events are noted that on_watch has still to act on: have it run, even
 * though a drain emptied libxenstore's pipe. */
static void wake_if_noted(struct daemon *dm)
{
	if (dm->xs && (dm->introduced || dm->released || dm->dirty_head < dm->ndirty))
		event_active(dm->xs_event, EV_READ, 0);
}

/*
 * Each event libxenstore holds now is for a write xenstored made before
 * the transaction about to start, whose reads see it: d's input events
 * among them ask for no further round.  (Not so for events that come
 * after the start: oxenstored reads from the store as it was then, and a
 * key created since, read as absent, does not fail the commit.  An event
 * still on its way on the watch connection, for a write the transaction
 * sees, costs one round more.)  The others are noted for on_watch.
 */
void xsconn_inputs_current(struct daemon *dm, struct domain *d)
{
	drain(dm);
	d->events &= (uint8_t)~(EV_INPUTS | EV_LENGTH);
	wake_if_noted(dm);
}

/*
 * Between the domains of a scan: a domain this scan has tracked whose
 * inputs change (a guest booting as dmacpid starts) is decided now, not
 * once the scan has gone over every other live domain.  Only the domains
 * marked before this call, so that a device model rewriting its inputs
 * cannot hold the scan.  The others wait for its end (on_watch): the
 * domain list's own events, and the domains it has not listed yet, which
 * may be gone or their domid reused.
 */
void xsconn_handle_tracked(struct daemon *dm)
{
	size_t i, keep, stop;

	drain(dm);
	keep = i = dm->dirty_head;
	stop = dm->ndirty;
	for (; i < stop && dm->xs; i++) {
		unsigned domid = dm->dirty[i];
		struct domain *d = domains_find(dm, domid);

		if (!d || !d->events)
			continue;	/* dropped, or its domid reused since */
		if (!d->seen) {
			dm->dirty[keep++] = domid;
			continue;
		}
		handle_noted(dm, d);
	}
	/* Then what was not looked at and what the handling marked. */
	if (keep < i) {
		memmove(dm->dirty + keep, dm->dirty + i, (dm->ndirty - i) * sizeof(*dm->dirty));
		dm->ndirty -= i - keep;
	}
	if (dm->dirty_head == dm->ndirty)
		dm->dirty_head = dm->ndirty = 0;
	wake_if_noted(dm);
}

/* Domains handled per call, so that signals and timers get their turn. */
#define HANDLE_BUDGET 64

/*
 * Drain the events, then act: the domain list first (a domain gone needs
 * no decision), then each domain once however many of its keys changed (a
 * device model writes address, count and length back to back).  Before a
 * domain is handled the queue is drained again: whatever libxenstore holds
 * by then happened before the reads that follow, so it is handled too.
 */
static void on_watch(evutil_socket_t fd, short what, void *arg)
{
	struct daemon *dm = arg;
	unsigned budget = HANDLE_BUDGET;

	(void)fd;
	(void)what;
	drain(dm);
	while (dm->xs) {
		struct domain *d;

		if (dm->introduced || dm->released) {
			unsigned introduced = dm->introduced;
			bool released = dm->released;

			dm->introduced = 0;
			dm->released = false;
			domains_changed(dm, introduced, released);
			continue;
		}
		if (dm->dirty_head == dm->ndirty)
			break;
		if (!budget--) {
			/* The rest next time round, at the front of the list. */
			dm->ndirty -= dm->dirty_head;
			memmove(dm->dirty, dm->dirty + dm->dirty_head, dm->ndirty * sizeof(*dm->dirty));
			dm->dirty_head = 0;
			event_active(dm->xs_event, EV_READ, 0);
			return;
		}
		d = domains_find(dm, dm->dirty[dm->dirty_head++]);
		if (!d || !d->events)
			continue;	/* dropped, or its domid reused since */
		drain(dm);
		if (!dm->xs || dm->introduced || dm->released) {
			dm->dirty_head--;	/* after the domain list */
			continue;
		}
		handle_noted(dm, d);
	}
	/* Without a connection, the reconnect reconciles everything. */
	for (size_t i = dm->dirty_head; i < dm->ndirty; i++) {
		struct domain *d = domains_find(dm, dm->dirty[i]);

		if (d)
			d->events = 0;
	}
	dm->dirty_head = dm->ndirty = 0;
}
