// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The device model and the watcher for tests/bench/daemon.sh, as dom0.
 *
 *   dm-driver latency ADDRESS LENGTH COUNT DOMID...
 *	one domain at a time: watch its verdict, write count, address and
 *	length (length last, as a device model does), t0 after that write,
 *	t1 when the watcher sees a final state answering exactly these
 *	inputs.  Prints "median_us p99_us max_us".
 *   dm-driver storm ADDRESS LENGTH COUNT DOMID...
 *	watch every verdict, t0, write every domain's inputs back to back,
 *	t1 when all are final.  Prints "total_us".
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <xenstore.h>

static const char *address, *length, *count;
static char input[96];

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static void die(const char *what)
{
	fprintf(stderr, "dm-driver: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void put_inputs(struct xs_handle *xs, const char *domid)
{
	static const char *const keys[] = { "count", "address", "length" };
	const char *values[] = { count, address, length };
	char path[128];

	for (int k = 0; k < 3; k++) {
		snprintf(path, sizeof(path), "/local/domain/%s/hvmloader/dm-acpi/%s", domid,
			 keys[k]);
		if (!xs_write(xs, XBT_NULL, path, values[k], (unsigned)strlen(values[k])))
			die(path);
	}
}

static void watch_verdict(struct xs_handle *xs, const char *domid)
{
	char path[128];

	snprintf(path, sizeof(path), "/local/domain/%s/hvmloader/dm-acpi-verdict/state", domid);
	if (!xs_watch(xs, path, domid))
		die(path);
}

static void unwatch_verdict(struct xs_handle *xs, const char *domid)
{
	char path[128];

	snprintf(path, sizeof(path), "/local/domain/%s/hvmloader/dm-acpi-verdict/state", domid);
	if (!xs_unwatch(xs, path, domid))
		die(path);
}

static char *get(struct xs_handle *xs, const char *domid, const char *key)
{
	char path[128];
	unsigned n;

	snprintf(path, sizeof(path), "/local/domain/%s/hvmloader/dm-acpi-verdict/%s", domid, key);
	return xs_read(xs, XBT_NULL, path, &n);
}

/* The verdict of domid is final and answers this run's inputs. */
static bool final(struct xs_handle *xs, const char *domid)
{
	char *state = get(xs, domid, "state"), *in;
	bool done = false;

	if (state && (!strcmp(state, "approved") || !strcmp(state, "rejected") ||
		      !strcmp(state, "error"))) {
		in = get(xs, domid, "input");
		done = in && !strcmp(in, input);
		free(in);
	}
	free(state);
	return done;
}

/* Block for the next watch event; its token (a domid) in tok. */
static void next_event(struct xs_handle *xs, char *tok, size_t size)
{
	unsigned n;
	char **ev = xs_read_watch(xs, &n);

	if (!ev)
		die("xs_read_watch");
	snprintf(tok, size, "%s", ev[XS_WATCH_TOKEN]);
	free(ev);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static int latency(struct xs_handle *xs, int n, char **domids)
{
	double *lat = calloc((size_t)n, sizeof(*lat));

	if (!lat)
		die("calloc");
	for (int i = 0; i < n; i++) {
		char tok[16];
		double t0;

		watch_verdict(xs, domids[i]);
		put_inputs(xs, domids[i]);
		t0 = now_us();
		do
			next_event(xs, tok, sizeof(tok));
		while (strcmp(tok, domids[i]) || !final(xs, domids[i]));
		lat[i] = now_us() - t0;
		unwatch_verdict(xs, domids[i]);
	}
	qsort(lat, (size_t)n, sizeof(*lat), cmp_double);
	/* Nearest rank: the smallest sample with at least p of them at or below. */
	printf("%.0f %.0f %.0f\n", lat[(n - 1) / 2], lat[(99 * n + 99) / 100 - 1], lat[n - 1]);
	free(lat);
	return 0;
}

static int storm(struct xs_handle *xs, int n, char **domids)
{
	bool *done = calloc((size_t)n, sizeof(*done));
	int left = n;
	double t0;

	if (!done)
		die("calloc");
	for (int i = 0; i < n; i++)
		watch_verdict(xs, domids[i]);
	t0 = now_us();
	for (int i = 0; i < n; i++)
		put_inputs(xs, domids[i]);
	/* Catch verdicts that landed while we were still writing. */
	for (int i = 0; i < n; i++)
		if (final(xs, domids[i])) {
			done[i] = true;
			left--;
		}
	while (left > 0) {
		char tok[16];
		int i;

		next_event(xs, tok, sizeof(tok));
		for (i = 0; i < n && strcmp(tok, domids[i]); i++)
			;
		if (i < n && !done[i] && final(xs, domids[i])) {
			done[i] = true;
			left--;
		}
	}
	printf("%.0f\n", now_us() - t0);
	free(done);
	return 0;
}

int main(int argc, char **argv)
{
	struct xs_handle *xs;

	if (argc < 6) {
		fprintf(stderr, "Usage: dm-driver latency|storm ADDRESS LENGTH COUNT DOMID...\n");
		return 2;
	}
	address = argv[2];
	length = argv[3];
	count = argv[4];
	snprintf(input, sizeof(input), "%s:%s:%s", address, length, count);
	xs = xs_open(0);
	if (!xs)
		die("xs_open");
	if (!strcmp(argv[1], "latency"))
		return latency(xs, argc - 5, argv + 5);
	if (!strcmp(argv[1], "storm"))
		return storm(xs, argc - 5, argv + 5);
	fprintf(stderr, "dm-driver: unknown mode %s\n", argv[1]);
	return 2;
}
