// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The pause gate.
 *
 * Xen counts pause references without owners, and a hypercall and a
 * xenstore write cannot be one step, so each change of a reference is
 * announced in the record first: "HANDLE pausing", pause, "HANDLE"
 * (held); "HANDLE releasing", unpause, delete.  A successor that finds a
 * record in flight asks the hypervisor whether the domain is paused: not
 * paused settles it; paused is taken as "the step did not happen yet" for
 * a release and "it happened" for a pause.  That is wrong only if the
 * instance died inside the step while another party (the toolstack) also
 * held the domain paused, and then the cost is that party's reference
 * dropped after the verdict, never a second reference that nobody drops.
 * No answer (a failing hypercall on a live domain) is taken as paused for
 * the same reason: at worst a pause that never happened is adopted, and
 * the domain runs before its verdict, which hvmloader still waits for.
 * A clean shutdown keeps references and records: unpausing an undecided
 * domain would let it boot unvalidated, and the next instance adopts them.
 */
#include "config.h"

#include <errno.h>
#include <event2/event.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xenstore.h>

#include "decide.h"
#include "domains.h"
#include "gate.h"
#include "log.h"
#include "policy.h"
#include "xc.h"
#include "xs.h"

#define GATE_DIR "/local/domain/0/dmacpid/gate"

static void record_path(char *buf, size_t len, unsigned domid)
{
	snprintf(buf, len, GATE_DIR "/%u", domid);
}


static void dm_state_path(char *buf, size_t len, unsigned dm_domid, unsigned domid)
{
	snprintf(buf, len, "/local/domain/%u/device-model/%u/state", dm_domid, domid);
}

static bool dm_running(struct daemon *dm, unsigned dm_domid, unsigned domid)
{
	char path[96];
	unsigned len;
	char *s;
	bool running;

	dm_state_path(path, sizeof(path), dm_domid, domid);
	s = xs_read(dm->xs, XBT_NULL, path, &len);
	running = s && !strcmp(s, "running");
	free(s);
	return running;
}

static bool exists(struct daemon *dm, const char *path)
{
	unsigned len;
	char *s = xs_read(dm->xs, XBT_NULL, path, &len);

	free(s);
	return s != NULL;
}

__attribute__((format(printf, 4, 5)))
static void log_gate(const struct domain *d, int prio, const char *action, const char *fmt, ...)
{
	struct log_facts f = LOG_FACTS(MSGID_GATE, prio);
	char msg[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	f.domid = d->domid;
	f.action = action;
	f.reason = msg;
	log_event(&f, "dom%u: gate: %s", d->domid, msg);
}

static void on_gate_timeout(evutil_socket_t fd, short what, void *arg)
{
	struct domain *d = arg;
	struct daemon *dm = d->owner;
	char why[96];

	(void)fd;
	(void)what;
	if (!d->gated)
		return;
	if (!dm->xs) {
		/* Cannot record anything now; the reconnect re-arms us. */
		return;
	}
	/* A final verdict stands; only the reference is still to be dropped. */
	if (!vstate_final(d->state)) {
		snprintf(why, sizeof(why), "gate-timeout: no final verdict after %" PRIu32 " ms",
			 policy_settings(dm->policy)->gate_timeout_ms);
		decide_error(dm, d, d->input, why);
	}
	if (d->gated)
		gate_release(dm, d, "gate-timeout");
}

static void watch_dm_state(struct daemon *dm, struct domain *d)
{
	char path[96], token[16];

	dm_state_path(path, sizeof(path), d->gate_dm, d->domid);
	snprintf(token, sizeof(token), "%c%u", TOKEN_DM_STATE, d->domid);
	if (xs_watch(dm->xsw, path, token))
		d->dm_watched = true;
}

static void unwatch_dm_state(struct daemon *dm, struct domain *d)
{
	char path[96], token[16];

	if (!d->dm_watched)
		return;
	d->dm_watched = false;
	if (!dm->xs)
		return;
	dm_state_path(path, sizeof(path), d->gate_dm, d->domid);
	snprintf(token, sizeof(token), "%c%u", TOKEN_DM_STATE, d->domid);
	xs_unwatch(dm->xsw, path, token);
}

static void arm_timer(struct daemon *dm, struct domain *d)
{
	domain_timer_start(dm, d, &d->gate_timer, on_gate_timeout,
			   policy_settings(dm->policy)->gate_timeout_ms);
}

/* Should a domain without a record be gated now?  Only an HVM domain that
 * boots through hvmloader (the toolstack has created hvmloader/), that is
 * undecided and whose device model is not running yet. */
static bool wants_gate(struct daemon *dm, struct domain *d, bool *settled)
{
	char path[64];

	*settled = true;
	if (policy_settings(dm->policy)->gate != GATE_PAUSE || vstate_final(d->state))
		return false;
	snprintf(path, sizeof(path), "/local/domain/%u/hvmloader", d->domid);
	if (!exists(dm, path)) {
		/* Not built yet, or no hvmloader (PVH): ask again at introduction. */
		*settled = xs_is_domain_introduced(dm->xs, d->domid);
		return false;
	}
	return !dm_running(dm, domain_dm_domid(dm, d->domid), d->domid);
}

/* Write d's record: its handle, then " pausing"/" releasing" while a
 * step is in flight ("" when held). */
static bool record_write(struct daemon *dm, const struct domain *d, const char *step)
{
	char path[64], text[64];

	record_path(path, sizeof(path), d->domid);
	domain_handle_text(text, d->handle);
	strcat(text, step);
	return xs_write(dm->xs, XBT_NULL, path, text, (unsigned)strlen(text));
}

static void record_delete(struct daemon *dm, const struct domain *d)
{
	char path[64];

	record_path(path, sizeof(path), d->domid);
	xs_rm(dm->xs, XBT_NULL, path);
}

static void take_reference(struct daemon *dm, struct domain *d)
{
	if (!record_write(dm, d, " pausing")) {
		log_gate(d, LOG_ERR, "pause", "cannot record the pause reference, not pausing: %s",
			 strerror(errno));
		return;
	}
	if (hyp_pause(dm->hyp, d->domid) < 0) {
		/* ESRCH: it died since the scan; its release is coming. */
		log_gate(d, errno == ESRCH ? LOG_DEBUG : LOG_ERR, "pause", "cannot pause: %s",
			 strerror(errno));
		record_delete(dm, d);
		return;
	}
	d->gated = true;
	/* If this fails the record stays "pausing", which a successor
	 * resolves the same way. */
	if (!record_write(dm, d, ""))
		log_gate(d, LOG_WARNING, "pause", "cannot complete the record: %s", strerror(errno));
	log_gate(d, LOG_INFO, "pause", "%s", "paused until the verdict");
}

/* A record a previous instance left for d (text rec): adopt, complete or
 * drop the reference it describes. */
static void adopt_record(struct daemon *dm, struct domain *d, const char *rec)
{
	char handle[33];
	size_t n;
	int paused;

	domain_handle_text(handle, d->handle);
	n = strlen(handle);
	if (strncmp(rec, handle, n)) {
		record_delete(dm, d);	/* a domain of that id that is gone */
		return;
	}
	rec += n;
	if (!*rec) {
		d->gated = true;
		log_gate(d, LOG_INFO, "adopt", "%s", "adopted the pause reference of a previous instance");
		return;
	}
	paused = hyp_domain_paused(dm->hyp, d->domid, d->handle);
	if (paused < 0 && errno != ESRCH) {
		/* Taken as paused, for the reason the top gives: the
		 * other answer could leave a reference nobody drops. */
		log_gate(d, LOG_WARNING, "adopt",
			 "cannot tell whether the domain is paused, taken as paused: %s",
			 strerror(errno));
		paused = 1;
	}
	if (!strcmp(rec, " pausing") && paused == 1) {
		d->gated = true;
		record_write(dm, d, "");
		log_gate(d, LOG_NOTICE, "adopt", "%s",
			 "adopted a pause reference a previous instance was taking");
	} else if (!strcmp(rec, " releasing") && paused == 1) {
		if (hyp_unpause(dm->hyp, d->domid) < 0 && errno != ESRCH)
			log_gate(d, LOG_ERR, "unpause", "cannot unpause: %s", strerror(errno));
		else
			log_gate(d, LOG_NOTICE, "unpause", "%s",
				 "completed a release a previous instance began");
		record_delete(dm, d);
		d->gate_settled = true;
	} else {
		/* Not paused: the pause never happened or the release did. */
		record_delete(dm, d);
		d->gate_settled = !strcmp(rec, " releasing");
	}
}

void gate_attach(struct daemon *dm, struct domain *d)
{
	char path[64];
	unsigned len;
	char *rec;

	if (!dm->xs)
		return;
	record_path(path, sizeof(path), d->domid);
	rec = d->gated || !records_maybe(&dm->gate_records, d->domid) ?
		      NULL : xs_read(dm->xs, XBT_NULL, path, &len);
	if (rec)
		adopt_record(dm, d, rec);
	free(rec);
	if (!d->gated && !d->gate_settled) {
		bool settled;

		if (wants_gate(dm, d, &settled))
			take_reference(dm, d);
		d->gate_settled = settled;
	}
	if (d->gated) {
		d->gate_settled = true;
		if (!d->dm_watched) {
			d->gate_dm = domain_dm_domid(dm, d->domid);
			watch_dm_state(dm, d);
		}
		arm_timer(dm, d);
	}
}

void gate_release(struct daemon *dm, struct domain *d, const char *why)
{
	if (!d->gated || !dm->xs)
		return;
	if (!record_write(dm, d, " releasing")) {
		log_gate(d, LOG_ERR, "unpause", "cannot record the release, keeping the domain paused: %s",
			 strerror(errno));
		return;
	}
	d->gated = false;
	unwatch_dm_state(dm, d);
	if (d->gate_timer)
		evtimer_del(d->gate_timer);
	if (hyp_unpause(dm->hyp, d->domid) < 0 && errno != ESRCH)
		log_gate(d, LOG_ERR, "unpause", "cannot unpause: %s", strerror(errno));
	else
		log_gate(d, LOG_INFO, "unpause", "released (%s)", why);
	record_delete(dm, d);
}

void gate_forget(struct daemon *dm, struct domain *d)
{
	unwatch_dm_state(dm, d);
	if (d->gate_timer)
		evtimer_del(d->gate_timer);
	if (dm->xs && d->gated)
		record_delete(dm, d);
	d->gated = false;
}

void gate_dm_state_changed(struct daemon *dm, struct domain *d)
{
	if (d->gated)
		domain_inputs_changed(dm, d);
}

/*
 * Which domain runs the device model is known only once the toolstack has
 * written image/device-model-domid, which for a stub domain comes after the
 * guest is introduced (and paused): move the state watch there.  A watch
 * fires once when set, which looks at the state in its new place.
 */
void gate_dm_domid_changed(struct daemon *dm, struct domain *d)
{
	unsigned now;

	if (!d->gated || !dm->xs)
		return;
	now = domain_dm_domid(dm, d->domid);
	if (d->dm_watched && now == d->gate_dm)
		return;
	log_gate(d, LOG_INFO, "follow", "the device model is now in dom%u", now);
	unwatch_dm_state(dm, d);
	d->gate_dm = now;
	watch_dm_state(dm, d);
}

void gate_no_inputs(struct daemon *dm, struct domain *d)
{
	if (d->gated && dm_running(dm, d->gate_dm, d->domid))
		gate_release(dm, d, "the device model runs without inputs");
}

void gate_list_records(struct daemon *dm)
{
	records_list(dm, GATE_DIR, &dm->gate_records);
}

void gate_sweep_records(struct daemon *dm)
{
	records_sweep(dm, GATE_DIR, &dm->gate_records);
}
