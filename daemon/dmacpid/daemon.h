/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The daemon's state: one event loop, one xenstore connection, the policy
 * in force and the HVM domains being watched.  Every module gets this.
 */
#ifndef DMACPID_DAEMON_H
#define DMACPID_DAEMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct event;
struct event_base;
struct policy;
struct xs_handle;
struct hyp;
struct guestmem;

/* The verdict states of SPEC section 3; NONE: nothing written yet. */
enum vstate { VSTATE_NONE = 0, VSTATE_PENDING, VSTATE_APPROVED, VSTATE_REJECTED, VSTATE_ERROR };

static inline bool vstate_final(enum vstate s)
{
	return s == VSTATE_APPROVED || s == VSTATE_REJECTED || s == VSTATE_ERROR;
}

const char *vstate_name(enum vstate s);

#define INPUT_TEXT_MAX 96
#define NAME_MAX_LEN 64		/* a domain's name as the log shows it */

struct domain {
	struct daemon *owner;
	unsigned domid;
	uint8_t handle[16];		/* Xen's domain handle (UUID), tells a reused domid apart */
	bool watched;			/* hvmloader/dm-acpi watch on the current connection */
	bool skip_fire;			/* decided when that watch was set: ignore its first firing */
	bool seen;			/* found by the scan in progress */
	uint8_t events;			/* watch events waiting in this loop iteration (xs.c) */

	/* The last verdict written (or adopted after a restart). */
	enum vstate state;
	char input[INPUT_TEXT_MAX];	/* the inputs it answers */
	uint64_t generation;
	bool generation_known;		/* generation is the one in xenstore */
	bool verdict_absent;		/* no verdict node when last looked for
					 * (verdict_adopt, verdict_remove_foreign),
					 * and none written since; set with
					 * generation_known (verdict_found_absent) */
	bool verdict_unsure;		/* a commit failed other than by a conflict:
					 * made or not, its lost reply does not say;
					 * look before answering again */

	struct event *input_timer;	/* input-timeout while inputs are incomplete */
	struct event *retry_timer;	/* decide again after a failed verdict write */
	unsigned retry_ms;		/* its backoff; 0 after a successful write */
	bool input_timed_out;		/* incomplete for longer than input-timeout */
	bool intent_maybe;		/* a rewrite record of ours may exist */
	bool verdict_checked;		/* verdict node found absent or ours by
					 * verdict_adopt: the round track() starts
					 * next need not look (track clears it) */
	struct event *pending_timer;	/* publish pending only if still incomplete */
	bool pending_due;		/* that timer fired: publish now */
	bool length_absent;		/* domain_inputs_partial() read no length, and no
					 * event that may have written it came since */

	/* Pause gate (SPEC section 3). */
	bool gate_settled;		/* gated, or found not to need the gate */
	bool gated;			/* a pause reference of ours is held */
	bool dm_watched;		/* device-model state watch registered */
	unsigned gate_dm;		/* device-model domain the state watch is on */
	struct event *gate_timer;

	/* image/device-model-domid, read when watched and at every change. */
	bool dmid_watched;		/* that watch on the current connection */
	bool dmid_skip_fire;		/* read when set: ignore its first firing */
	unsigned dm_domid;		/* its value (0: absent, dom0) while watched */

	/* Verdicts logged in the current log-limit window (lograte.c). */
	uint64_t log_window_ms;		/* its start, CLOCK_MONOTONIC; 0: none yet */
	uint32_t log_count;
	struct log_omitted *log_omitted;	/* those left out; NULL until one is */
};

struct decision_cache;

/* One of our record directories, as listed (domains.c). */
struct record_list {
	char **ents;			/* the entries' names */
	unsigned n;
	uint64_t *bits;			/* the domids among them, one bit each */
	bool known;			/* listed; otherwise any domain may have one */
};

struct daemon {
	struct event_base *base;
	struct policy *policy;
	struct decision_cache *decisions;	/* made under policy; NULL: none */
	const char *policy_file, *policy_dir;
	bool permissive;		/* --permissive: decide and log, change nothing */

	/* Two connections: libxenstore reads a connection with watches in a
	 * thread of its own, which every reply would then go through. */
	struct xs_handle *xs;		/* requests; NULL while disconnected */
	struct xs_handle *xsw;		/* watches; set and cleared with xs */
	struct event *xs_event;		/* watch events */
	struct event *xs_hangup;	/* a xenstored socket closed */
	struct event *xs_retry;		/* reconnect timer */
	int xs_hangup_fd;		/* epoll set waiting for the sockets' hang-up */
	int xs_socket_dup[2];		/* our duplicates of the xenstored sockets */
	unsigned xs_backoff_ms;
	struct event *scan_retry;	/* reconcile again: the domains were not listed */
	unsigned scan_backoff_ms;
	bool reconcile_due;		/* a reconcile did not list them: the next one does */

	struct hyp *hyp;		/* libxenctrl */
	struct guestmem *mem;		/* libxenforeignmemory */

	struct domain **domains;	/* sorted by domid */
	size_t ndomains, domains_cap;

	/* Keeping the table in step without listing every domain each time
	 * one is introduced (domains.c). */
	unsigned list_high;		/* highest domid of any type listed */
	unsigned *unintroduced;		/* domains listed before their @introduceDomain */
	size_t nunintroduced, unintroduced_cap;

	/* Watch events are drained first, then handled once per domain (xs.c). */
	unsigned *dirty;		/* domids with events, in arrival order */
	size_t dirty_head, ndirty, dirty_cap;	/* [dirty_head, ndirty) still to handle */
	unsigned introduced;		/* @introduceDomain firings not yet handled */
	bool released;			/* @releaseDomain fired, not yet handled */
	unsigned skip_introduce, skip_release;	/* firings at registration, to ignore */

	unsigned reload_seq;
	bool ready;			/* READY=1 sent */
	bool reconciling;		/* listing every domain after a (re)connect */
	/* While reconciling: who has a gate or rewrite record, listed once
	 * instead of a read per live domain, and swept after the scan.
	 * Unknown otherwise. */
	struct record_list gate_records, intent_records;
};

#endif
