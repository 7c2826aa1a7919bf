// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * dmacpid: validates the ACPI blobs a device model hands an HVM guest and
 * publishes a verdict in xenstore (see dmacpid(8)).
 *
 * It never forks: under systemd (Type=notify) and anywhere else it runs in
 * the foreground; --foreground is accepted for scripts that pass it.
 */
#include <errno.h>
#include <event2/event.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "daemon.h"
#include "decision-cache.h"
#include "domains.h"
#include "guestmem.h"
#include "log.h"
#include "notify.h"
#include "policy.h"
#include "reload.h"
#include "xc.h"
#include "xs.h"

#define DEFAULT_POLICY POLICY_DIR "/dmacpid.policy"
#define DEFAULT_DROPIN POLICY_DIR "/policy.d"

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: dmacpid [--policy FILE] [--foreground] [--permissive]\n"
		"               [--log-target auto|journal|stderr] [--version] [--help]\n\n"
		"  --policy FILE     policy file (default " DEFAULT_POLICY ");\n"
		"                    FILE's directory's policy.d/*.policy are read too\n"
		"  --foreground      accepted for compatibility: dmacpid never forks\n"
		"  --permissive      log what the rules decide (would-deny, ...), apply none;\n"
		"                    the built-in checks still drop and refuse\n"
		"  --log-target T    journal, stderr, or auto (journal under systemd)\n");
}

static void on_stop(evutil_socket_t sig, short what, void *arg)
{
	struct daemon *dm = arg;
	struct log_facts f = LOG_FACTS(MSGID_STOPPING, LOG_INFO);

	(void)what;
	log_event(&f, "stopping on signal %d", (int)sig);
	notify_stopping();
	event_base_loopbreak(dm->base);
}

/* policy.d next to the policy file. */
static char *dropin_for(const char *policy_file)
{
	const char *slash = strrchr(policy_file, '/');
	char *dir;

	if (!strcmp(policy_file, DEFAULT_POLICY))
		return strdup(DEFAULT_DROPIN);
	if (!slash)
		return strdup("policy.d");
	if (asprintf(&dir, "%.*s/policy.d", (int)(slash - policy_file), policy_file) < 0)
		return NULL;
	return dir;
}

static int parse_args(int argc, char **argv, struct daemon *dm, enum log_target *target)
{
	static const struct option opts[] = {
		{ "policy", required_argument, NULL, 'p' },
		{ "foreground", no_argument, NULL, 'f' },
		{ "permissive", no_argument, NULL, 'P' },
		{ "log-target", required_argument, NULL, 'l' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'p':
			dm->policy_file = optarg;
			break;
		case 'f':
			break;
		case 'P':
			dm->permissive = true;
			break;
		case 'l':
			if (log_parse_target(optarg, target) < 0) {
				fprintf(stderr, "dmacpid: unknown log target '%s'\n", optarg);
				return 2;
			}
			break;
		case 'V':
			printf("dmacpid %s\n", PACKAGE_VERSION);
			return 0;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return 2;
	}
	return -1;
}

/* Decisions kept for reuse: a host's few device-model configurations, the
 * areas a few KiB each. */
#define DECISION_CACHE_ENTRIES 32
#define DECISION_CACHE_BYTES (4u << 20)

static int load_policy(struct daemon *dm)
{
	struct diags diags;
	struct log_facts f = LOG_FACTS(MSGID_POLICY_LOADED, LOG_INFO);

	diags_init(&diags);
	dm->policy = policy_load(dm->policy_file, dm->policy_dir, &diags);
	log_policy_diags(&diags, "not starting");
	diags_free(&diags);
	if (!dm->policy)
		return -1;
	log_event(&f, "policy loaded from %s: %zu rules, mode %s%s", dm->policy_file,
		  policy_rule_count(dm->policy),
		  policy_settings(dm->policy)->mode == MODE_PERMISSIVE ? "permissive" : "enforce",
		  dm->permissive ? " (--permissive)" : "");
	return 0;
}

static int run(struct daemon *dm)
{
	struct event *sigterm, *sigint;
	struct event_config *cfg;
	int rc = 1;

	signal(SIGPIPE, SIG_IGN);
	/* Timers run from the time they are armed, not from when the loop
	 * iteration began: a decision that took long must not shorten the
	 * back-off, timeouts or STATUS= interval armed after it. */
	cfg = event_config_new();
	if (!cfg)
		return 1;
	if (event_config_set_flag(cfg, EVENT_BASE_FLAG_NO_CACHE_TIME) == 0)
		dm->base = event_base_new_with_config(cfg);
	event_config_free(cfg);
	if (!dm->base)
		return 1;
	sigterm = evsignal_new(dm->base, SIGTERM, on_stop, dm);
	sigint = evsignal_new(dm->base, SIGINT, on_stop, dm);
	if (!sigterm || !sigint || event_add(sigterm, NULL) < 0 || event_add(sigint, NULL) < 0 ||
	    reload_init(dm) < 0 || notify_init(dm) < 0)
		goto out;
	/* Identical areas (guests of one configuration) are decided once; a
	 * cache that cannot be had only costs time. */
	dm->decisions = decision_cache_new(DECISION_CACHE_ENTRIES, DECISION_CACHE_BYTES);
	dm->hyp = hyp_open();
	if (!dm->hyp) {
		log_msg(LOG_ERR, "cannot open the hypervisor interface: %s", strerror(errno));
		goto out;
	}
	dm->mem = guestmem_open();
	if (!dm->mem) {
		log_msg(LOG_ERR, "cannot open foreign memory: %s", strerror(errno));
		goto out;
	}
	{
		struct log_facts f = LOG_FACTS(MSGID_STARTED, LOG_INFO);

		log_event(&f, "dmacpid %s started", PACKAGE_VERSION);
	}
	xsconn_start(dm);
	/* The loop ends on SIGTERM or SIGINT (on_stop), or on libevent's error. */
	rc = event_base_dispatch(dm->base) < 0;
out:
	/* Gate references and their records stay: the next instance adopts them. */
	reload_unpublish(dm);
	domains_free_all(dm);
	xsconn_stop(dm);
	reload_fini();
	notify_fini();
	guestmem_close(dm->mem);
	hyp_close(dm->hyp);
	decision_cache_free(dm->decisions);
	if (sigterm)
		event_free(sigterm);
	if (sigint)
		event_free(sigint);
	event_base_free(dm->base);
	return rc;
}

int main(int argc, char **argv)
{
	struct daemon dm = { .policy_file = DEFAULT_POLICY, .xs_hangup_fd = -1,
			     .xs_socket_dup = { -1, -1 } };
	enum log_target target = LOG_TARGET_AUTO;
	char *dropin;
	int rc = parse_args(argc, argv, &dm, &target);

	if (rc >= 0)
		return rc;
	log_setup(target);
	dropin = dropin_for(dm.policy_file);
	dm.policy_dir = dropin;
	if (!dropin || load_policy(&dm) < 0) {
		free(dropin);
		return 1;
	}
	rc = run(&dm);
	policy_free(dm.policy);
	free(dropin);
	return rc;
}
