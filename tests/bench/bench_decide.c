// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The pure cost of one decision, for tests/bench/run: the policy and Xen's
 * namespace loaded once, then one area evaluated ITERATIONS times for a
 * domain marked vNVDIMM, as dmacpid does once it has copied the area out of
 * guest memory.  Prints the microseconds per evaluation.  Under
 *   valgrind --tool=callgrind --toggle-collect=evaluate_many
 * only evaluate_many is counted: divide the instructions by ITERATIONS.
 * One evaluation before it warms up what a running daemon has already set
 * up once (libcrypto's SHA-256).  With "checked", every evaluation takes
 * the blob checks from a check cache that one did fill (check-cache.h), as
 * dmacpid's does for an area new to it whose AML it has checked before.
 * With "digest", each iteration is only the SHA-256 and CRC-32 of the
 * area that an approval of it computes.  With BENCH_MARKS set in the
 * environment, the iterations are marked for stepcount.c by raise(SIGUSR1)
 * before and after (which kills the program when nothing traces it).
 *
 * Usage: bench_decide POLICY AREA [ITERATIONS [checked|digest]]
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>

#include "check-cache.h"
#include "digest.h"
#include "evaluate.h"
#include "policy.h"
#include "readfile.h"

static volatile size_t sink;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Kept out of line: callgrind counts exactly this function. */
__attribute__((noinline)) static int evaluate_many(const struct policy *p, const uint8_t *buf,
						   size_t len, const struct domain_facts *facts,
						   struct check_cache *c, bool digest_only,
						   long iterations)
{
	for (long i = 0; i < iterations; i++) {
		char text[DIGEST_TEXT_SIZE];
		struct verdict v;

		if (digest_only) {
			if (digest_text(buf, len, text) < 0)
				return -1;
			sink += (size_t)text[7] + crc32(crc32(0L, Z_NULL, 0), buf, (uInt)len);
			continue;
		}
		if (evaluate_checked(p, buf, len, -1, facts, 0, c, &v) < 0)
			return -1;
		sink += v.approved + v.length;
		verdict_free(&v);
	}
	return 0;
}

int main(int argc, char **argv)
{
	static const struct domain_key keys[] = { { "platform/nvdimm", "1" } };
	const struct domain_facts facts = {
		.domid = 1, .dm_domid = 0, .name = "bench", .keys = keys, .nkeys = 1,
	};
	long iterations = argc > 3 ? strtol(argv[3], NULL, 10) : 10000;
	bool digest_only = argc > 4 && !strcmp(argv[4], "digest");
	bool marks = getenv("BENCH_MARKS");
	struct check_cache *c = NULL;
	struct verdict warm;
	struct policy *p;
	struct diags d;
	uint8_t *buf;
	size_t len;
	double t0;

	if (argc < 3 || iterations <= 0 || (argc > 4 && strcmp(argv[4], "checked") && !digest_only)) {
		fprintf(stderr, "Usage: bench_decide POLICY AREA [ITERATIONS [checked|digest]]\n");
		return 2;
	}
	if (argc > 4 && !digest_only && !(c = check_cache_new(32, 4u << 20))) {
		fprintf(stderr, "bench_decide: out of memory\n");
		return 2;
	}
	diags_init(&d);
	p = policy_load(argv[1], NULL, &d);
	diags_print(&d, stderr);
	diags_free(&d);
	if (!p)
		return 2;
	if (read_file(argv[2], 1 << 24, &buf, &len) < 0) {
		fprintf(stderr, "bench_decide: %s: %s\n", argv[2], strerror(errno));
		return 2;
	}
	if (evaluate_checked(p, buf, len, -1, &facts, 0, c, &warm) < 0) {
		fprintf(stderr, "bench_decide: out of memory\n");
		return 2;
	}
	verdict_free(&warm);
	if (marks)
		raise(SIGUSR1);
	t0 = now();
	if (evaluate_many(p, buf, len, &facts, c, digest_only, iterations) < 0) {
		fprintf(stderr, "bench_decide: out of memory\n");
		return 2;
	}
	t0 = now() - t0;
	if (marks)
		raise(SIGUSR1);
	printf("%.2f\n", t0 * 1e6 / (double)iterations);
	free(buf);
	check_cache_free(c);
	policy_free(p);
	return sink == (size_t)-1;
}
