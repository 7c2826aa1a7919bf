// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * corpus-daemon: feed areas written by `corpus write` to dmacpid on the
 * simulated host, as a device model would, and hold every verdict against
 * the evaluator's.
 *
 *   corpus-daemon --policy FILE --dir DIR [--timeout S] [--check CMD] DOMID...
 *
 * The areas DIR/<i>.area (count input in DIR/<i>.count) go to the domains
 * in turn; each domain alternates between two addresses so that every area
 * is a new input.  An area is copied into guest RAM, its inputs written in
 * one transaction, and the final verdict awaited.  It must be:
 *   - rejected with a reason, exactly the evaluator's for those bytes, or
 *   - approved exactly as the evaluator approves them (length, count,
 *     dropped, checksum, digest), with guest RAM holding the approved bytes (and
 *     zeros after them when the area was rewritten).
 * With --check, CMD DOMID STATE runs after each approval and after every
 * tenth rejection (tests/hostile/loader-check.sh: hvmloader and the ACPICA
 * oracle) and must succeed.  Prints a summary; exit 0 when all held.
 */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <xenstore.h>

#include "hostile.h"
#include "policy.h"
#include "readfile.h"

#define MAX_DOMAINS 64
#define MAX_AREAS 100000
#define AREA_MAX (1u << 20)
#define FAILURES_SHOWN 20

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static size_t list_areas(const char *dir, char ***names)
{
	DIR *dp = opendir(dir);
	struct dirent *e;
	size_t n = 0;

	*names = calloc(MAX_AREAS, sizeof(char *));
	if (!dp || !*names)
		hx_die("corpus-daemon: %s: %s", dir, strerror(errno));
	while ((e = readdir(dp)) && n < MAX_AREAS) {
		size_t len = strlen(e->d_name);

		if (len > 5 && !strcmp(e->d_name + len - 5, ".area")) {
			(*names)[n] = strndup(e->d_name, len - 5);
			if (!(*names)[n++])
				hx_die("corpus-daemon: out of memory");
		}
	}
	closedir(dp);
	qsort(*names, n, sizeof(char *), cmp_str);
	return n;
}

static long long read_count(const char *dir, const char *name)
{
	char path[4096], buf[32] = "-";
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s.count", dir, name);
	fp = fopen(path, "r");
	if (fp) {
		if (!fgets(buf, sizeof(buf), fp))
			buf[0] = '-';
		fclose(fp);
	}
	return buf[0] == '-' ? -1 : strtoll(buf, NULL, 10);
}

static int run_check(const char *cmd, unsigned domid, const char *state)
{
	char dom[16];
	pid_t pid;
	int st;

	snprintf(dom, sizeof(dom), "%u", domid);
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		execl("/bin/sh", "sh", cmd, dom, state, (char *)NULL);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &st, 0) < 0)
		return -1;
	return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : -1;
}

/* The daemon's verdict against the evaluator's; NULL when they agree. */
static const char *compare(const struct hx_verdict *got, const struct verdict *want,
			   const struct guest_ram *ram, uint64_t address, size_t len)
{
	if (!strcmp(got->state, "rejected")) {
		if (want->approved)
			return "rejected, the evaluator approves";
		if (!got->reason[0])
			return "rejected without a reason";
		if (strcmp(got->reason, want->reason))
			return "rejected for another reason than the evaluator's";
		return NULL;
	}
	if (strcmp(got->state, "approved"))
		return "neither approved nor rejected";
	if (!want->approved)
		return "approved, the evaluator rejects";
	if (got->address != address || got->length != want->length || got->count != want->count ||
	    got->dropped != want->dropped || !got->has_checksum || got->checksum != want->crc ||
	    strcmp(got->digest, want->digest))
		return "approved otherwise than the evaluator approves";
	if (hx_crc(ram->bytes + address, got->length) != got->checksum)
		return "guest memory does not match the approved checksum";
	if (!hx_digest_is(ram->bytes + address, got->length, got->digest))
		return "guest memory does not match the approved digest";
	if (want->changed && memcmp(ram->bytes + address, want->area, len))
		return "guest memory is not the rewritten area";
	return NULL;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "policy", required_argument, NULL, 'p' },
		{ "dir", required_argument, NULL, 'd' },
		{ "timeout", required_argument, NULL, 't' },
		{ "check", required_argument, NULL, 'c' },
		{ NULL, 0, NULL, 0 },
	};
	const char *policy_file = NULL, *dir = NULL, *check = NULL;
	unsigned domids[MAX_DOMAINS], turn[MAX_DOMAINS] = { 0 };
	size_t ndomains = 0, nareas, approved = 0, rejected = 0, failures = 0, checked = 0;
	double timeout = 20;
	struct xs_handle *xs;
	struct policy *p;
	struct diags d;
	char **names;
	int c;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'p': policy_file = optarg; break;
		case 'd': dir = optarg; break;
		case 't': timeout = atof(optarg); break;
		case 'c': check = optarg; break;
		default: return 2;
		}
	}
	for (int i = optind; i < argc && ndomains < MAX_DOMAINS; i++)
		domids[ndomains++] = (unsigned)strtoul(argv[i], NULL, 10);
	if (!policy_file || !dir || !ndomains)
		hx_die("usage: corpus-daemon --policy FILE --dir DIR [--timeout S] [--check CMD] "
		       "DOMID...");
	diags_init(&d);
	p = policy_load(policy_file, NULL, &d);
	diags_free(&d);
	if (!p)
		hx_die("corpus-daemon: %s does not load", policy_file);
	xs = hx_xs_open();
	if (!xs)
		hx_die("corpus-daemon: cannot connect to xenstored: %s", strerror(errno));
	nareas = list_areas(dir, &names);

	for (size_t i = 0; i < nareas; i++) {
		size_t k = i % ndomains;
		unsigned domid = domids[k];
		uint64_t address = 0x100000 + (uint64_t)(turn[k]++ & 1) * 0x100000;
		char path[4096], input[HX_TEXT_MAX];
		struct hx_verdict got;
		struct hx_facts facts;
		struct guest_ram ram;
		struct verdict want;
		const char *why = NULL;
		long long count = read_count(dir, names[i]);
		uint8_t *area;
		size_t len;

		snprintf(path, sizeof(path), "%s/%s.area", dir, names[i]);
		if (read_file(path, AREA_MAX, &area, &len) || !len)
			hx_die("corpus-daemon: %s: %s", path, strerror(errno));
		if (guest_ram_open(domid, &ram) || len > ram.size - address)
			hx_die("corpus-daemon: dom%u: cannot map its RAM", domid);
		memcpy(ram.bytes + address, area, len);
		if (hx_read_facts(xs, p, domid, &facts) ||
		    evaluate(p, area, len, count, &facts.facts, &want))
			hx_die("corpus-daemon: dom%u: cannot decide %s", domid, path);
		memset(&got, 0, sizeof(got));
		if (hx_put_inputs(xs, domid, address, len, count, input, sizeof(input)))
			hx_die("corpus-daemon: dom%u: cannot write the inputs: %s", domid,
			       strerror(errno));
		if (hx_wait_verdict(xs, domid, input, timeout, &got))
			why = "no final verdict in time";
		else
			why = compare(&got, &want, &ram, address, len);
		if (!why && !strcmp(got.state, "approved")) {
			approved++;
			if (check) {
				checked++;
				if (run_check(check, domid, "approved"))
					why = "the consumer or the oracle refuses the approved area";
			}
		} else if (!why) {
			rejected++;
			if (check && rejected % 10 == 1) {
				checked++;
				if (run_check(check, domid, "rejected"))
					why = "the consumer does not refuse the rejected area";
			}
		}
		if (why && failures++ < FAILURES_SHOWN)
			printf("FAIL %s (dom%u, input %s): %s; daemon: %s \"%s\"; evaluator: %s \"%s\"\n",
			       path, domid, input, why, got.state, got.reason,
			       want.approved ? "approved" : "rejected", want.reason);
		verdict_free(&want);
		hx_facts_free(&facts);
		guest_ram_close(&ram);
		free(area);
	}
	printf("corpus-daemon: areas=%zu approved=%zu rejected=%zu consumer-checks=%zu failures=%zu\n",
	       nareas, approved, rejected, checked, failures);
	for (size_t i = 0; i < nareas; i++)
		free(names[i]);
	free(names);
	xs_close(xs);
	policy_free(p);
	return failures ? 1 : 0;
}
