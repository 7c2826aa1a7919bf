// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * One decision: read the inputs, check them, copy the area out of guest
 * memory once, evaluate the copy, write the approved bytes back, publish
 * the verdict.  Everything read here comes from the device model or the
 * guest and is treated as hostile.
 */
#include "config.h"

#include <errno.h>
#include <event2/event.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xenstore.h>
#include <zlib.h>

#include "area.h"
#include "decide.h"
#include "decision-cache.h"
#include "domains.h"
#include "evaluate.h"
#include "gate.h"
#include "guestmem.h"
#include "inputs.h"
#include "log.h"
#include "lograte.h"
#include "notify.h"
#include "policy.h"
#include "text.h"
#include "verdict.h"
#include "xc.h"
#include "xs.h"

#define AREA_LIMIT_4G (UINT64_C(1) << 32)

/* The name as the log shows it: escaped, and cut to fit. */
static void name_for_log(const char *raw, char *name, size_t len)
{
	name[0] = '\0';
	if (raw)
		text_escape(name, len, (const uint8_t *)raw, strlen(raw));
}

static void domain_name(struct daemon *dm, unsigned domid, char *name, size_t len)
{
	char *v = domain_key_read(dm, XBT_NULL, domid, "name");

	name_for_log(v, name, len);
	free(v);
}

static void on_input_timeout(evutil_socket_t fd, short what, void *arg);

static void on_pending_due(evutil_socket_t fd, short what, void *arg)
{
	struct domain *d = arg;

	(void)fd;
	(void)what;
	d->pending_due = true;
	domain_inputs_changed(d->owner, d);
	d->pending_due = false;
}

static void defer_pending(struct daemon *dm, struct domain *d)
{
	domain_timer_start(dm, d, &d->pending_timer, on_pending_due, 20);
}

static void stop_input_timer(struct domain *d)
{
	if (d->input_timer)
		evtimer_del(d->input_timer);
	d->input_timed_out = false;
}

static void arm_input_timer(struct daemon *dm, struct domain *d)
{
	domain_timer_start(dm, d, &d->input_timer, on_input_timeout,
			   policy_settings(dm->policy)->input_timeout_ms);
}

static void on_input_timeout(evutil_socket_t fd, short what, void *arg)
{
	struct domain *d = arg;

	(void)fd;
	(void)what;
	d->input_timed_out = true;
	domain_inputs_changed(d->owner, d);
}

static void log_verdict(const struct domain *d, const char *name, const struct verdict_record *r,
			const char *rule)
{
	struct log_facts f = LOG_FACTS(r->state == VSTATE_ERROR ? MSGID_DOMAIN_ERROR : MSGID_VERDICT,
				       r->state == VSTATE_APPROVED ? LOG_INFO
				       : r->state == VSTATE_PENDING ? LOG_DEBUG
				       : LOG_WARNING);

	f.domid = d->domid;
	f.domain = name;
	f.state = vstate_name(r->state);
	f.reason = r->reason;
	f.rule = rule && *rule ? rule : NULL;
	switch (r->state) {
	case VSTATE_APPROVED:
		log_event(&f, "dom%u (%s): approved, generation %" PRIu64 ": %" PRIu64
			  " blobs, %" PRIu64 " dropped, length %" PRIu64 ", checksum 0x%08" PRIx32
			  ", digest %s",
			  d->domid, name, d->generation, r->count, r->dropped, r->length, r->checksum,
			  r->digest);
		break;
	case VSTATE_REJECTED:
		log_event(&f, "dom%u (%s): rejected, generation %" PRIu64 ", by %s (%s)", d->domid,
			  name, d->generation, rule && *rule ? rule : "implicit", r->reason);
		break;
	case VSTATE_ERROR:
		log_event(&f, "dom%u (%s): error, generation %" PRIu64 " (%s)", d->domid, name,
			  d->generation, r->reason);
		break;
	case VSTATE_PENDING:
		log_event(&f, "dom%u (%s): pending, inputs incomplete (%s)", d->domid, name, r->input);
		break;
	case VSTATE_NONE:
		break;
	}
}

static void on_retry(evutil_socket_t fd, short what, void *arg)
{
	struct domain *d = arg;

	(void)fd;
	(void)what;
	domain_inputs_changed(d->owner, d);
}

/*
 * A verdict that could not be written (transaction conflicts beyond the
 * retries, quota) must not leave the domain without one: decide again
 * later, backing off from 100 ms to 5 s.  A lost connection needs no
 * timer: the reconnect reconciles every domain.
 */
static void arm_retry(struct daemon *dm, struct domain *d)
{
	d->retry_ms = d->retry_ms ? (d->retry_ms >= 2500 ? 5000 : d->retry_ms * 2) : 100;
	domain_timer_start(dm, d, &d->retry_timer, on_retry, d->retry_ms);
}

static const char *blob_kind(uint32_t type)
{
	return type == BLOB_TABLE ? "table" : type == BLOB_DEVICE ? "device" : "unknown";
}

static void log_blob(const struct domain *d, const char *name, const struct blob_decision *b)
{
	struct log_facts f = LOG_FACTS(MSGID_BLOB, b->action == ACTION_ALLOW ? LOG_INFO : LOG_NOTICE);
	char action[32] = "would-";

	strcpy(action + (b->would ? 6 : 0), action_name(b->action));	/* short names */
	f.domid = d->domid;
	f.domain = name;
	f.blob = (long)b->index;
	f.kind = blob_kind(b->type);
	f.object = b->object;
	f.action = action;
	f.rule = b->rule;
	f.reason = b->reason;
	log_event(&f, "dom%u (%s) blob %zu %s %s: %s by %s%s%s%s", d->domid, name, b->index,
		  f.kind, b->object, action, b->rule, b->reason[0] ? " (" : "", b->reason,
		  b->reason[0] ? ")" : "");
}

/* Publish r, in the inputs' transaction when in has it open, and log it
 * with the blob decisions of v (NULL: none), once it is written and within
 * the log-limit; a final verdict opens the gate. */
static void publish(struct daemon *dm, struct domain *d, unsigned dm_domid, const char *name,
		    struct inputs *in, const struct verdict_record *r, const struct verdict *v)
{
	int rc = verdict_write(dm, d, dm_domid, r, in ? &in->t : NULL);

	if (rc == VERDICT_STALE) {
		/* The watch fired for the change; the timer is for one it missed. */
		if (lograte_line(dm, d))
			log_msg(LOG_DEBUG, "dom%u: its inputs changed before the verdict: "
				"deciding again", d->domid);
		if (dm->xs)
			arm_retry(dm, d);
		return;
	}
	if (rc < 0) {
		if (errno == ENOENT) {	/* the domain went away mid-decision */
			log_msg(LOG_DEBUG, "dom%u: gone before its verdict", d->domid);
			if (r->clear_intent)
				intent_forget(dm, d);
		} else if (dm->xs) {
			log_msg(LOG_ERR, "dom%u: cannot write the verdict: %s", d->domid,
				strerror(errno));
			arm_retry(dm, d);
		}
		return;
	}
	d->retry_ms = 0;
	if (lograte_admit(dm, d, name, r->state)) {
		if (r->reused)
			log_msg(LOG_DEBUG, "dom%u: the same question as an earlier decision "
				"under this policy: its answer reused", d->domid);
		for (size_t i = 0; v && i < v->nblobs; i++)
			log_blob(d, name, &v->blobs[i]);
		log_verdict(d, name, r, v ? v->rule : NULL);
	}
	if (vstate_final(r->state) && d->gated)
		gate_release(dm, d, vstate_name(r->state));
	notify_status(dm);
}

static void publish_error(struct daemon *dm, struct domain *d, struct inputs *in,
			  const char *input, const char *reason, bool clear_intent)
{
	struct verdict_record r = { .state = VSTATE_ERROR, .input = input, .reason = reason,
				    .clear_intent = clear_intent };
	char name[NAME_MAX_LEN];

	domain_name(dm, d->domid, name, sizeof(name));
	publish(dm, d, domain_dm_domid(dm, d->domid), name, in, &r, NULL);
}

void decide_error(struct daemon *dm, struct domain *d, const char *input, const char *reason)
{
	struct rewrite_intent ri;

	publish_error(dm, d, NULL, input, reason, intent_load(dm, d, &ri) > 0);
}

struct facts_buf {
	struct domain_key *keys;
	char **values;
	size_t n;
	char *name;		/* the domain's name as xenstore holds it */
};

/* The facts conditions test: the real name (fb->name, read by the caller)
 * and values, not the escaped text logs show (xenstore bounds their length). */
static int read_facts(struct daemon *dm, struct domain *d, unsigned dm_domid,
		      struct domain_facts *facts, struct facts_buf *fb)
{
	const char *const *paths;
	size_t n = policy_domain_keys(dm->policy, &paths);

	fb->keys = calloc(n ? n : 1, sizeof(*fb->keys));
	fb->values = calloc(n ? n : 1, sizeof(*fb->values));
	if (!fb->keys || !fb->values)
		return -1;
	for (size_t i = 0; i < n; i++) {
		char *v = domain_key_read(dm, XBT_NULL, d->domid, paths[i]);

		if (!v)
			continue;	/* absent keys are not in the list */
		fb->values[fb->n] = v;
		fb->keys[fb->n].path = paths[i];
		fb->keys[fb->n].value = v;
		fb->n++;
	}
	*facts = (struct domain_facts){
		.domid = d->domid, .dm_domid = dm_domid, .name = fb->name ? fb->name : "",
		.keys = fb->keys, .nkeys = fb->n,
	};
	return 0;
}

static void facts_free(struct facts_buf *fb)
{
	for (size_t i = 0; i < fb->n; i++)
		free(fb->values[i]);
	free(fb->values);
	free(fb->keys);
	free(fb->name);
}

/* The domain may have died while we looked: then say nothing. */
static bool domain_gone(struct daemon *dm, const struct domain *d)
{
	return hyp_domain_alive(dm->hyp, d->domid, d->handle) == 0;
}

/*
 * Is the area in guest memory (copy[0..length)) the rewrite ri recorded:
 * its bytes, then zeros to the end?  Then an instance wrote it back and
 * died before publishing the verdict.
 */
static bool intent_matches(const struct rewrite_intent *ri, const uint8_t *copy, uint64_t length)
{
	char digest[DIGEST_TEXT_SIZE];

	if (ri->length > length || ri->count > INT64_MAX ||
	    digest_text(copy, (size_t)ri->length, digest) < 0 || strcmp(digest, ri->digest))
		return false;
	for (uint64_t i = ri->length; i < length; i++)
		if (copy[i])
			return false;
	return true;
}

/* Record the rewrite in v, then write it into the mapped area of length bytes. */
static int write_back(struct daemon *dm, struct domain *d, const char *input,
		      const struct verdict *v, struct guestmem_area *ga, uint64_t length)
{
	struct rewrite_intent ri = { .length = v->length, .count = v->count, .dropped = v->dropped };

	text_copy(ri.input, sizeof(ri.input), input);
	memcpy(ri.digest, v->digest, sizeof(ri.digest));
	if (intent_record(dm, d, &ri) < 0)
		return -1;
	/* The approved bytes, then zeros to the end of the input area. */
	memcpy(ga->bytes, v->area, v->length);
	memset(ga->bytes + v->length, 0, (size_t)length - v->length);
	return 0;
}

/*
 * intent: the rewrite intent recorded for d, or NULL.  When it answers
 * these very inputs and guest memory holds what it describes, the
 * previous decision is finished: its outcome published as recorded, the
 * CRC-32 taken of the bytes whose digest matched.  Not decided again: a
 * rename or set-oem already applied need not match its rule a second time.
 * Returns true when the inputs did not stand together: decide again.
 */
static bool decide_area(struct daemon *dm, struct domain *d, struct inputs *in,
			const char *input, const struct rewrite_intent *intent)
{
	const struct policy_settings *set = policy_settings(dm->policy);
	unsigned dm_domid = domain_dm_domid(dm, d->domid);
	struct verdict_record r = { .state = VSTATE_ERROR, .input = input,
				    .clear_intent = intent != NULL };
	struct verdict v = { 0 };
	struct guestmem_area ga = { 0 };
	struct domain_facts facts;
	struct facts_buf fb = { 0 };
	char name[NAME_MAX_LEN], why[200];
	uint64_t address, length, count = 0;
	uint8_t *copy = NULL;
	bool cached = false, again = false;

	fb.name = domain_key_read(dm, XBT_NULL, d->domid, "name");
	name_for_log(fb.name, name, sizeof(name));
	r.reason = why;
	if (!parse_input_number(in->address, &address)) {
		snprintf(why, sizeof(why), "hvmloader/dm-acpi/address is not a number");
	} else if (!parse_input_number(in->length, &length)) {
		snprintf(why, sizeof(why), "hvmloader/dm-acpi/length is not a number");
	} else if (in->count && (!parse_input_number(in->count, &count) || count > INT64_MAX)) {
		snprintf(why, sizeof(why), "hvmloader/dm-acpi/count is not a number");
	} else if (length == 0) {
		snprintf(why, sizeof(why), "the area is empty (length 0)");
	} else if (address >= AREA_LIMIT_4G || length > AREA_LIMIT_4G - address) {
		snprintf(why, sizeof(why), "the area 0x%" PRIx64 "+%" PRIu64 " is not below 4 GiB",
			 address, length);
	} else if (length > set->max_area) {
		snprintf(why, sizeof(why), "length %" PRIu64 " exceeds max-area %" PRIu64, length,
			 set->max_area);
	} else if (guestmem_map(dm->mem, d->domid, address, (size_t)length, &ga, why,
				sizeof(why)) < 0) {
		if (domain_gone(dm, d)) {
			if (intent)
				intent_forget(dm, d);
			goto out;
		}
	} else if (!(copy = malloc((size_t)length))) {
		snprintf(why, sizeof(why), "out of memory");
	} else {
		/* The one read of guest memory: everything below uses the copy. */
		memcpy(copy, ga.bytes, (size_t)length);
		if (intent && !strcmp(intent->input, input) &&
		    intent_matches(intent, copy, length)) {
			log_msg(LOG_NOTICE, "dom%u: finishing a rewrite whose verdict was not written",
				d->domid);
			r.state = VSTATE_APPROVED;
			r.address = address;
			r.length = intent->length;
			r.count = intent->count;
			r.dropped = intent->dropped;
			r.checksum = (uint32_t)crc32(crc32(0L, Z_NULL, 0), copy,
						     (uInt)intent->length);
			r.digest = intent->digest;
			why[0] = '\0';
		} else if (read_facts(dm, d, dm_domid, &facts, &fb) < 0 ||
			   evaluate_cached(dm->decisions, dm->policy, copy, (size_t)length,
					   in->count ? (long long)count : -1, &facts,
					   dm->permissive ? EVALUATE_PERMISSIVE : 0, &v,
					   &cached) < 0) {
			snprintf(why, sizeof(why), "out of memory");
		} else if (v.approved && v.changed &&	/* permissive: built-ins only */
			   !inputs_end(dm, in, true)) {
			/* Guest memory is rewritten only by inputs that stood
			 * together. */
			again = errno == EAGAIN;
			if (!again && dm->xs) {
				log_msg(LOG_ERR, "dom%u: cannot read the inputs: %s", d->domid,
					strerror(errno));
				arm_retry(dm, d);
			}
			guestmem_unmap(dm->mem, &ga);
			goto out;
		} else if (v.approved && v.changed &&
			   write_back(dm, d, input, &v, &ga, length) < 0) {
			/* Unrecorded, a rewrite would be stranded by a crash before
			 * its verdict: leave guest memory alone, decide again later. */
			log_msg(LOG_ERR, "dom%u: cannot record the rewrite: %s", d->domid,
				strerror(errno));
			if (dm->xs)
				arm_retry(dm, d);
			guestmem_unmap(dm->mem, &ga);
			goto out;
		} else {
			r.reused = cached;
			r.state = v.approved ? VSTATE_APPROVED : VSTATE_REJECTED;
			r.address = address;
			r.length = v.approved ? v.length : 0;
			r.count = v.count;
			r.dropped = v.dropped;
			r.checksum = v.crc;
			r.digest = v.digest;
			r.reason = v.reason;
			r.clear_intent |= v.approved && v.changed;
		}
	}
	guestmem_unmap(dm->mem, &ga);
	if (!dm->xs)
		goto out;
	if (r.state == VSTATE_ERROR && domain_gone(dm, d)) {
		if (r.clear_intent)
			intent_forget(dm, d);
		goto out;
	}
	publish(dm, d, dm_domid, name, in, &r, r.state == VSTATE_ERROR ? NULL : &v);
out:
	facts_free(&fb);
	verdict_free(&v);
	free(copy);
	return again;
}

/*
 * A device model writes the inputs one by one, length last once the area
 * is complete, and each write fires the watch.  While length is absent
 * nothing can be decided, and a pending verdict waits for its timer, whose
 * round reads every input.  One read of length tells (none when the last
 * round found it absent), where a round costs a transaction of the three
 * inputs, which xenstored pays for each key: a busy dom0 most of all.  Not
 * for a domain with a final verdict, or past its input timeout, whose
 * answer to missing inputs does not wait.
 */
bool domain_inputs_partial(struct daemon *dm, struct domain *d)
{
	char *length;

	if (!dm->xs || d->input_timed_out || (d->state != VSTATE_NONE && d->state != VSTATE_PENDING))
		return false;
	/* What this read sees, the events drained now ask for no more; a
	 * write of length after it comes as an event (EV_LENGTH in xs.c),
	 * which clears length_absent.  Were one lost, the timer's round
	 * still reads every input. */
	xsconn_inputs_current(dm, d);
	if (!dm->xs)
		return true;	/* lost in the drain: the reconnection decides it */
	if (!d->length_absent) {
		length = domain_key_read(dm, XBT_NULL, d->domid, "hvmloader/dm-acpi/length");
		if (length || errno != ENOENT) {
			free(length);
			return false;
		}
		d->length_absent = true;
	}
	defer_pending(dm, d);
	return true;
}

/* One round of domain_inputs_changed(): true when it must run again. */
static bool decide_round(struct daemon *dm, struct domain *d)
{
	struct inputs in;
	struct rewrite_intent ri;
	bool have_intent, again = false;
	char input[INPUT_TEXT_MAX];

	d->length_absent = false;
	if (inputs_read(dm, d, &in) < 0) {
		if (dm->xs) {
			log_msg(LOG_ERR, "dom%u: cannot read the inputs: %s", d->domid,
				strerror(errno));
			arm_retry(dm, d);
		}
		return false;
	}
	/* As domain_inputs_partial()'s own read: a later write of length
	 * comes as an event, which clears this. */
	d->length_absent = !in.length;
	/* The last commit may have been made: its verdict, and the removal of
	 * its rewrite's record, are what xenstore holds. */
	if (d->verdict_unsure) {
		verdict_adopt(dm, d, domain_dm_domid(dm, d->domid));
		if (!d->verdict_unsure)
			log_msg(LOG_NOTICE, "dom%u: after a commit whose reply was lost, its "
				"verdict is %s, generation %" PRIu64, d->domid,
				vstate_name(d->state), d->generation);
	}
	have_intent = intent_load(dm, d, &ri) > 0;
	if (!in.address && !in.length && !in.count) {
		stop_input_timer(d);
		/* No inputs, no verdict but one of ours (SPEC section 3). */
		if (!d->verdict_checked)
			verdict_remove_foreign(dm, d, domain_dm_domid(dm, d->domid));
		if (have_intent)
			intent_forget(dm, d);
		gate_no_inputs(dm, d);
		goto out;
	}
	input_text(input, sizeof(input), &in);
	/* Already answered: a reconcile, a repeated watch event, a rewrite of
	 * the same values.  Not while a rewrite is recorded: guest memory may
	 * have changed after that verdict. */
	if (vstate_final(d->state) && !strcmp(d->input, input) && !have_intent) {
		if (d->gated)
			gate_release(dm, d, "verdict already final");
		goto out;
	}
	if (!in.address || !in.length) {
		/* Progress after the timeout's error: wait afresh rather than
		 * answer every further partial write with another error. */
		if (d->input_timed_out && d->state == VSTATE_ERROR && strcmp(d->input, input))
			d->input_timed_out = false;
		/* A recorded rewrite answered complete inputs: stale now. */
		if (d->input_timed_out) {
			char why[96];

			snprintf(why, sizeof(why), "inputs incomplete after %" PRIu32 " ms",
				 policy_settings(dm->policy)->input_timeout_ms);
			publish_error(dm, d, &in, input, why, have_intent);
		} else if ((d->state != VSTATE_PENDING || strcmp(d->input, input)) && !d->pending_due) {
			defer_pending(dm, d);
		} else if (d->state != VSTATE_PENDING || strcmp(d->input, input)) {
			struct verdict_record r = { .state = VSTATE_PENDING, .input = input,
						    .clear_intent = have_intent };
			char name[NAME_MAX_LEN];

			domain_name(dm, d->domid, name, sizeof(name));
			publish(dm, d, domain_dm_domid(dm, d->domid), name, &in, &r, NULL);
		} else if (have_intent) {
			intent_forget(dm, d);
		}
		if (!d->input_timed_out)
			arm_input_timer(dm, d);
		goto out;
	}
	stop_input_timer(d);
	if (d->pending_timer)
		evtimer_del(d->pending_timer);
	again = decide_area(dm, d, &in, input, have_intent ? &ri : NULL);
out:
	inputs_free(dm, &in);
	return again;
}

void domain_inputs_changed(struct daemon *dm, struct domain *d)
{
	for (int round = 1; dm->xs && decide_round(dm, d); round++) {
		if (round == TRANSACTION_RETRIES) {
			log_msg(LOG_ERR, "dom%u: cannot read the inputs: %s", d->domid,
				strerror(EAGAIN));
			arm_retry(dm, d);
			return;
		}
	}
}
