// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * warm-verdicts POLICY LIST: every area of LIST decided twice under
 * POLICY, by evaluate_ex() alone and with a check cache kept over the
 * whole list (check-cache.h), which must give the same verdict byte for
 * byte.  LIST holds one "PATH COUNT" per line (COUNT "-": absent).  The
 * list is gone through forwards, then backwards, so blobs are met again
 * at other offsets and in other areas.  The domain is the one
 * tests/policy/verdicts.sh gives dmacpictl evaluate.  Prints the
 * decisions compared and the cache's hits and misses; exits 1 on the
 * first difference, 2 on a usage or input error.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check-cache.h"
#include "evaluate.h"
#include "policy.h"
#include "readfile.h"

struct input {
	char *path;
	long long count;
};

static int differ(const char *path, const char *what)
{
	printf("%s: %s differs with the check cache\n", path, what);
	return 1;
}

static int compare(const char *path, const struct verdict *a, const struct verdict *b,
		   size_t len)
{
	if (a->approved != b->approved || strcmp(a->reason, b->reason) || strcmp(a->rule, b->rule))
		return differ(path, "the verdict");
	if (a->nblobs != b->nblobs ||
	    (a->nblobs && memcmp(a->blobs, b->blobs, a->nblobs * sizeof(*a->blobs))))
		return differ(path, "a blob's decision");
	if (a->length != b->length || a->count != b->count || a->dropped != b->dropped ||
	    a->crc != b->crc || strcmp(a->digest, b->digest) || a->changed != b->changed ||
	    (a->area == NULL) != (b->area == NULL) || (a->area && memcmp(a->area, b->area, len)))
		return differ(path, "the approved area");
	return 0;
}

static int decide(const struct policy *p, struct check_cache *c, const struct input *in)
{
	static const struct domain_key key = { "platform/nvdimm", "1" };
	const struct domain_facts dom = { 1, 0, "golden", &key, 1 };
	struct verdict cold, warm;
	uint8_t *buf;
	size_t len;
	int rc;

	if (read_file(in->path, 1u << 24, &buf, &len)) {
		perror(in->path);
		return 2;
	}
	if (evaluate_ex(p, buf, len, in->count, &dom, 0, &cold) ||
	    evaluate_checked(p, buf, len, in->count, &dom, 0, c, &warm)) {
		fprintf(stderr, "%s: out of memory\n", in->path);
		free(buf);
		return 2;
	}
	rc = compare(in->path, &cold, &warm, len);
	verdict_free(&cold);
	verdict_free(&warm);
	free(buf);
	return rc;
}

int main(int argc, char **argv)
{
	struct input *in = NULL;
	size_t n = 0, i, hits, misses;
	struct check_cache *c;
	struct policy *p;
	struct diags d;
	char path[4096], count[32];
	FILE *list;
	int rc = 0;

	if (argc != 3 || !(list = fopen(argv[2], "r"))) {
		fprintf(stderr, "usage: warm-verdicts POLICY LIST\n");
		return 2;
	}
	while (fscanf(list, "%4095s %31s", path, count) == 2) {
		if (!(in = realloc(in, (n + 1) * sizeof(*in))) || !(in[n].path = strdup(path)))
			return 2;
		in[n++].count = strcmp(count, "-") ? atoll(count) : -1;
	}
	fclose(list);
	diags_init(&d);
	p = policy_load(argv[1], NULL, &d);
	if (!p) {
		diags_print(&d, stderr);
		return 2;
	}
	diags_free(&d);
	/* The daemon's bounds (daemon/dmacpid/main.c), so entries are evicted. */
	c = check_cache_new(32, 4u << 20);
	if (!c)
		return 2;
	for (i = 0; i < 2 * n && !rc; i++)
		rc = decide(p, c, &in[i < n ? i : 2 * n - 1 - i]);
	check_cache_counts(c, &hits, &misses);
	printf("decisions %zu hits %zu misses %zu\n", i, hits, misses);
	check_cache_free(c);
	policy_free(p);
	for (i = 0; i < n; i++)
		free(in[i].path);
	free(in);
	return rc;
}
