// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * latency: how long dmacpid takes to decide a domain once its device model
 * has written the inputs.
 *
 *   latency --address A --length L [--count C] [--timeout S] DOMID...
 *
 * One domain at a time: write count, address and length (length last, as
 * a device model does), then wait for the final verdict that answers them.
 * Prints "dom=D state=S us=N" per domain ("state=timeout" when none came
 * within S seconds, default 30).  Exit 0 when every domain got a verdict.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xenstore.h>

#include "hostile.h"

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "address", required_argument, NULL, 'a' },
		{ "length", required_argument, NULL, 'l' },
		{ "count", required_argument, NULL, 'c' },
		{ "timeout", required_argument, NULL, 't' },
		{ NULL, 0, NULL, 0 },
	};
	const char *address = NULL, *length = NULL, *count = NULL;
	double timeout = 30;
	struct xs_handle *xs;
	int c, rc = 0;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'a': address = optarg; break;
		case 'l': length = optarg; break;
		case 'c': count = optarg; break;
		case 't': timeout = atof(optarg); break;
		default: return 2;
		}
	}
	if (!address || !length || optind == argc)
		hx_die("usage: latency --address A --length L [--count C] [--timeout S] DOMID...");
	xs = hx_xs_open();
	if (!xs)
		hx_die("latency: cannot connect to xenstored: %s", strerror(errno));
	for (int i = optind; i < argc; i++) {
		unsigned d = (unsigned)strtoul(argv[i], NULL, 10);
		char input[HX_TEXT_MAX];
		struct hx_verdict v;
		double t0;
		bool in_time;

		snprintf(input, sizeof(input), "%s:%s:%s", address, length, count ? count : "");
		if ((count && hx_put_key(xs, d, "count", count)) ||
		    hx_put_key(xs, d, "address", address) || hx_put_key(xs, d, "length", length))
			hx_die("latency: dom%u: cannot write the inputs: %s", d, strerror(errno));
		t0 = hx_now();
		in_time = hx_wait_verdict(xs, d, input, timeout, &v) == 0;
		printf("dom=%u state=%s us=%.0f\n", d, in_time ? v.state : "timeout",
		       (hx_now() - t0) * 1e6);
		fflush(stdout);
		if (!in_time)
			rc = 1;
	}
	xs_close(xs);
	return rc;
}
