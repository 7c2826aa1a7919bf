// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * flood: a device model that rewrites its inputs RATE times a second.
 *
 *   flood --domid D --rate R --seconds S --length L [--count C]
 *         --address A1 --address A2
 *
 * Writes count and length once, then address, alternating A1 and A2, on a
 * fixed schedule (a writer that falls behind skips ahead instead of
 * bursting).  Every write is a new input, so every write asks dmacpid for a
 * new decision.  Prints "writes=N seconds=T rate=R last=A": A is the last
 * address written, the one the final verdict must answer.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <xenstore.h>

#include "hostile.h"

static void sleep_until(double t)
{
	struct timespec ts = { .tv_sec = (time_t)t, .tv_nsec = (long)((t - (double)(time_t)t) * 1e9) };

	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
		;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "domid", required_argument, NULL, 'd' },
		{ "rate", required_argument, NULL, 'r' },
		{ "seconds", required_argument, NULL, 's' },
		{ "length", required_argument, NULL, 'l' },
		{ "count", required_argument, NULL, 'c' },
		{ "address", required_argument, NULL, 'a' },
		{ NULL, 0, NULL, 0 },
	};
	const char *length = NULL, *count = NULL, *addr[2] = { NULL, NULL };
	unsigned domid = 0, naddr = 0;
	double rate = 1000, seconds = 10, period, start, next, end;
	unsigned long writes = 0;
	struct xs_handle *xs;
	int c;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd': domid = (unsigned)strtoul(optarg, NULL, 10); break;
		case 'r': rate = atof(optarg); break;
		case 's': seconds = atof(optarg); break;
		case 'l': length = optarg; break;
		case 'c': count = optarg; break;
		case 'a':
			if (naddr < 2)
				addr[naddr++] = optarg;
			break;
		default: return 2;
		}
	}
	if (!length || naddr != 2 || rate <= 0 || seconds <= 0)
		hx_die("usage: flood --domid D --rate R --seconds S --length L [--count C] "
		       "--address A1 --address A2");
	xs = hx_xs_open();
	if (!xs)
		hx_die("flood: cannot connect to xenstored: %s", strerror(errno));
	if ((count && hx_put_key(xs, domid, "count", count)) ||
	    hx_put_key(xs, domid, "length", length))
		hx_die("flood: dom%u: cannot write the inputs: %s", domid, strerror(errno));
	period = 1.0 / rate;
	start = next = hx_now();
	end = start + seconds;
	while (next < end) {
		double now;

		if (hx_put_key(xs, domid, "address", addr[writes & 1]))
			hx_die("flood: dom%u: write %lu failed: %s", domid, writes, strerror(errno));
		writes++;
		next += period;
		now = hx_now();
		if (now > next + 10 * period)
			next = now;	/* behind: skip ahead, never burst */
		else
			sleep_until(next);
	}
	printf("writes=%lu seconds=%.3f rate=%.0f last=%s\n", writes, hx_now() - start,
	       (double)writes / (hx_now() - start), addr[(writes - 1) & 1]);
	xs_close(xs);
	return 0;
}
