// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * `dmacpictl reload`: SIGHUP the daemon and wait for the outcome it
 * publishes in /local/domain/0/dmacpid/reload ("<seq> ok" or
 * "<seq> failed: <first error>").  Fit for ExecReload=: exits 0 when the
 * new policy is in force, 1 when it was refused, 2 when there is no daemon
 * or no answer.
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <time.h>
#include <xenstore.h>

#include "commands.h"
#include "readfile.h"
#include "text.h"

#define CONTROL_PID "/local/domain/0/dmacpid/pid"
#define CONTROL_PID_START "/local/domain/0/dmacpid/pid-start"
#define CONTROL_RELOAD "/local/domain/0/dmacpid/reload"
#define RELOAD_TIMEOUT_MS 10000

static bool parse_ulong(const char *s, unsigned long *v, char **rest)
{
	char *end;

	if (!s || *s < '0' || *s > '9')
		return false;
	errno = 0;
	*v = strtoul(s, &end, 10);
	if (errno)
		return false;
	if (rest)
		*rest = end;
	return rest || !*end;
}

/* "<seq> <outcome>": returns false when malformed. */
static bool read_outcome(struct xs_handle *xs, unsigned long *seq, char **outcome)
{
	unsigned len;
	char *s = xs_read(xs, XBT_NULL, CONTROL_RELOAD, &len);
	char *rest;

	*outcome = NULL;
	if (!s)
		return false;
	if (!parse_ulong(s, seq, &rest) || *rest != ' ') {
		free(s);
		return false;
	}
	*outcome = strdup(rest + 1);
	free(s);
	return *outcome != NULL;
}

/*
 * The pid dmacpid published, when that process still runs: a dmacpid that
 * died leaves its pid behind, which may since name another process, and
 * SIGHUP ends most.  Its start time, published next to it, tells them
 * apart.  (systemd's MAINPID needs none of this.)
 */
static bool published_pid(struct xs_handle *xs, unsigned long *pid)
{
	unsigned len;
	char *s = xs_read(xs, XBT_NULL, CONTROL_PID, &len);
	char *t = xs_read(xs, XBT_NULL, CONTROL_PID_START, &len);
	const char *why = NULL;
	uint64_t want, now;

	if (!parse_ulong(s, pid, NULL))
		why = "no " CONTROL_PID;
	else if (!t || !parse_input_number(t, &want))
		why = "no " CONTROL_PID_START;
	else if (proc_start_time((long)*pid, &now) < 0 || now != want)
		why = "the pid it left is gone or another process's";
	if (why)
		fprintf(stderr, "dmacpictl: dmacpid is not running (%s)\n", why);
	free(s);
	free(t);
	return !why;
}

static long ms_since(const struct timespec *t0)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - t0->tv_sec) * 1000 + (now.tv_nsec - t0->tv_nsec) / 1000000;
}

int cmd_reload(int argc, char **argv)
{
	static const char usage[] = "Usage: dmacpictl reload\n";
	const char *mainpid = getenv("MAINPID");
	unsigned long pid, seq, now_seq;
	struct xs_handle *xs;
	struct timespec t0;
	char *outcome = NULL;
	int rc = EXIT_USAGE;

	if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		fputs(usage, stdout);
		return 0;
	}
	if (argc != 1) {
		fputs(usage, stderr);
		return EXIT_USAGE;
	}
	xs = xs_open(0);
	if (!xs) {
		fprintf(stderr, "dmacpictl: cannot connect to xenstored: %s\n", strerror(errno));
		return EXIT_USAGE;
	}
	if (mainpid && *mainpid) {
		if (!parse_ulong(mainpid, &pid, NULL)) {
			fprintf(stderr, "dmacpictl: bad MAINPID '%s'\n", mainpid);
			goto out;
		}
	} else if (!published_pid(xs, &pid)) {
		goto out;
	}
	if (pid <= 1 || pid > 0x7fffffff || !read_outcome(xs, &seq, &outcome)) {
		fprintf(stderr, "dmacpictl: dmacpid is not running\n");
		goto out;
	}
	free(outcome);
	outcome = NULL;
	/* Watch before signalling, so the answer cannot slip past. */
	if (!xs_watch(xs, CONTROL_RELOAD, "reload")) {
		fprintf(stderr, "dmacpictl: cannot watch %s: %s\n", CONTROL_RELOAD, strerror(errno));
		goto out;
	}
	if (kill((pid_t)pid, SIGHUP) < 0) {
		fprintf(stderr, "dmacpictl: cannot signal dmacpid (pid %lu): %s\n", pid, strerror(errno));
		goto out;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		struct pollfd pfd = { .fd = xs_fileno(xs), .events = POLLIN };
		long left = RELOAD_TIMEOUT_MS - ms_since(&t0);
		char **ev;

		if (read_outcome(xs, &now_seq, &outcome) && now_seq != seq)
			break;
		free(outcome);
		outcome = NULL;
		if (left <= 0 || poll(&pfd, 1, (int)left) < 0) {
			fprintf(stderr, "dmacpictl: no answer from dmacpid within %d s\n",
				RELOAD_TIMEOUT_MS / 1000);
			goto out;
		}
		while ((ev = xs_check_watch(xs)))
			free(ev);
	}
	if (!strcmp(outcome, "ok")) {
		printf("dmacpid: policy reloaded\n");
		rc = 0;
	} else {
		printf("dmacpid: reload %s\n", outcome);
		fprintf(stderr, "dmacpictl: the previous policy stays in force; "
				"every error is in the journal (journalctl -u dmacpid)\n");
		rc = EXIT_NO;
	}
out:
	free(outcome);
	xs_close(xs);
	return rc;
}
