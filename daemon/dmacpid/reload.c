// SPDX-License-Identifier: GPL-2.0-or-later
/* SIGHUP: transactional policy reload, its outcome in xenstore. */
#include "config.h"

#include <errno.h>
#include <event2/event.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xenstore.h>

#include "decision-cache.h"
#include "log.h"
#include "notify.h"
#include "policy.h"
#include "readfile.h"
#include "reload.h"

static struct event *sighup;
static char outcome[256] = "ok";

static const struct diag *first_error_diag(const struct diags *d)
{
	for (size_t i = 0; i < d->n; i++)
		if (!d->v[i].warning)
			return &d->v[i];
	return NULL;
}

void log_policy_diags(const struct diags *d, const char *context)
{
	for (size_t i = 0; i < d->n; i++) {
		const struct diag *g = &d->v[i];
		struct log_facts f = g->warning ? LOG_FACTS(MSGID_POLICY_WARNING, LOG_WARNING)
						: LOG_FACTS(MSGID_POLICY_REJECTED, LOG_ERR);
		char rule[300];

		snprintf(rule, sizeof(rule), "%s:%u:%u", g->file, g->line, g->col);
		f.rule = rule;
		f.reason = g->message;
		log_event(&f, "%s: %s%s", rule, g->warning ? "warning: " : "", g->message);
	}
	if (d->errors) {
		struct log_facts f = LOG_FACTS(MSGID_POLICY_REJECTED, LOG_ERR);
		const struct diag *g = first_error_diag(d);
		char rule[300], reason[300];

		/* The catalog's text for this id names a rule and a reason:
		 * the first error's place, and the count. */
		if (g) {
			snprintf(rule, sizeof(rule), "%s:%u:%u", g->file, g->line, g->col);
			f.rule = rule;
		}
		snprintf(reason, sizeof(reason), "%zu error%s; %s", d->errors,
			 d->errors == 1 ? "" : "s", context);
		f.reason = reason;
		log_event(&f, "policy rejected with %s", reason);
	}
}

static void write_dom0_only(struct xs_handle *xs, const char *path, const char *value)
{
	struct xs_permissions p = { .id = 0, .perms = XS_PERM_NONE };

	if (!xs_write(xs, XBT_NULL, path, value, (unsigned)strlen(value)) ||
	    !xs_set_permissions(xs, XBT_NULL, path, &p, 1))
		log_msg(LOG_ERR, "cannot write %s: %s", path, strerror(errno));
}

void reload_publish(struct daemon *dm)
{
	struct xs_permissions p = { .id = 0, .perms = XS_PERM_NONE };
	char buf[300];
	uint64_t start;

	if (!dm->xs)
		return;
	xs_mkdir(dm->xs, XBT_NULL, CONTROL_DIR);
	xs_set_permissions(dm->xs, XBT_NULL, CONTROL_DIR, &p, 1);
	snprintf(buf, sizeof(buf), "%ld", (long)getpid());
	write_dom0_only(dm->xs, CONTROL_PID, buf);
	if (proc_start_time((long)getpid(), &start) == 0) {
		snprintf(buf, sizeof(buf), "%" PRIu64, start);
		write_dom0_only(dm->xs, CONTROL_PID_START, buf);
	} else {
		log_msg(LOG_WARNING, "cannot read this process's start time, so `dmacpictl reload` "
			"will not signal it: %s", strerror(errno));
	}
	snprintf(buf, sizeof(buf), "%u %s", dm->reload_seq, outcome);
	write_dom0_only(dm->xs, CONTROL_RELOAD, buf);
}

void reload_unpublish(struct daemon *dm)
{
	if (!dm->xs)
		return;
	xs_rm(dm->xs, XBT_NULL, CONTROL_PID);
	xs_rm(dm->xs, XBT_NULL, CONTROL_PID_START);
}

static void first_error(const struct diags *d, char *buf, size_t len)
{
	const struct diag *g = first_error_diag(d);

	if (g)
		snprintf(buf, len, "%s:%u:%u: %s", g->file, g->line, g->col, g->message);
	else
		snprintf(buf, len, "invalid policy");
}

static void on_sighup(evutil_socket_t fd, short what, void *arg)
{
	struct daemon *dm = arg;
	struct diags diags;
	struct policy *p;

	(void)fd;
	(void)what;
	notify_reloading();
	diags_init(&diags);
	p = policy_load(dm->policy_file, dm->policy_dir, &diags);
	if (p) {
		struct log_facts f = LOG_FACTS(MSGID_POLICY_LOADED, LOG_NOTICE);

		log_policy_diags(&diags, "");	/* warnings only */
		decision_cache_clear(dm->decisions);
		policy_free(dm->policy);
		dm->policy = p;
		snprintf(outcome, sizeof(outcome), "ok");
		log_event(&f, "policy reloaded from %s: %zu rules, mode %s%s", dm->policy_file,
			  policy_rule_count(p),
			  policy_settings(p)->mode == MODE_PERMISSIVE ? "permissive" : "enforce",
			  dm->permissive ? " (--permissive)" : "");
	} else {
		char err[230];

		first_error(&diags, err, sizeof(err));
		snprintf(outcome, sizeof(outcome), "failed: %s", err);
		log_policy_diags(&diags, "keeping the policy in force");
	}
	diags_free(&diags);
	dm->reload_seq++;
	reload_publish(dm);
	/* Before the first reconcile, READY=1 is not ours to send yet. */
	if (dm->ready)
		notify_ready(dm);
	else
		notify_status(dm);
}

int reload_init(struct daemon *dm)
{
	sighup = evsignal_new(dm->base, SIGHUP, on_sighup, dm);
	return sighup && event_add(sighup, NULL) == 0 ? 0 : -1;
}

void reload_fini(void)
{
	if (sighup)
		event_free(sighup);
	sighup = NULL;
}
