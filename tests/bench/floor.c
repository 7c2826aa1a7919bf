// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The floor for tests/bench/daemon.sh: the xenstore work no verdict writer
 * can avoid, and nothing else.  For each domain given, watch its inputs;
 * once `length` is there, read address, length and count and write the
 * verdict keys (readable by the domain) in one transaction.  No policy, no
 * guest memory, no checksum or digest computed.  Exits after one verdict per domain.
 *
 * Prints its own VmRSS (kB) when done, for comparison with the daemon's.
 *
 * Usage: floor READY-FILE DOMID...
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xenstore.h>

/* As long as a real digest: the same bytes to xenstored. */
#define ZERO_DIGEST "sha256:" \
	"0000000000000000000000000000000000000000000000000000000000000000"

static char *get(struct xs_handle *xs, xs_transaction_t t, unsigned domid, const char *key)
{
	char path[128];
	unsigned len;

	snprintf(path, sizeof(path), "/local/domain/%u/hvmloader/dm-acpi/%s", domid, key);
	return xs_read(xs, t, path, &len);
}

static bool put(struct xs_handle *xs, xs_transaction_t t, unsigned domid, const char *key,
		const char *value)
{
	char path[128];

	snprintf(path, sizeof(path), "/local/domain/%u/hvmloader/dm-acpi-verdict%s%s", domid,
		 *key ? "/" : "", key);
	return xs_write(xs, t, path, value, (unsigned)strlen(value));
}

/* 1 written, 0 inputs incomplete, -1 failed. */
static int decide(struct xs_handle *xs, unsigned domid)
{
	for (int tries = 0; tries < 16; tries++) {
		xs_transaction_t t = xs_transaction_start(xs);
		char *addr, *len, *count, input[96];
		struct xs_permissions perms[2] = {
			{ .id = 0, .perms = XS_PERM_NONE },
			{ .id = domid, .perms = XS_PERM_READ },
		};
		char path[128];
		bool ok;

		if (t == XBT_NULL)
			return -1;
		addr = get(xs, t, domid, "address");
		len = get(xs, t, domid, "length");
		count = get(xs, t, domid, "count");
		if (!addr || !len || !count) {
			free(addr);
			free(len);
			free(count);
			xs_transaction_end(xs, t, true);
			return 0;
		}
		snprintf(input, sizeof(input), "%s:%s:%s", addr, len, count);
		snprintf(path, sizeof(path), "/local/domain/%u/hvmloader/dm-acpi-verdict", domid);
		/* Keys created below inherit the node's permissions. */
		ok = put(xs, t, domid, "", "") && xs_set_permissions(xs, t, path, perms, 2) &&
		     put(xs, t, domid, "generation", "1") && put(xs, t, domid, "address", addr) &&
		     put(xs, t, domid, "length", len) && put(xs, t, domid, "count", count) &&
		     put(xs, t, domid, "checksum", "0x00000000") &&
		     put(xs, t, domid, "digest", ZERO_DIGEST) &&
		     put(xs, t, domid, "dropped", "0") && put(xs, t, domid, "input", input) &&
		     put(xs, t, domid, "state", "approved");
		free(addr);
		free(len);
		free(count);
		if (!ok) {
			xs_transaction_end(xs, t, true);
			return -1;
		}
		if (xs_transaction_end(xs, t, false))
			return 1;
		if (errno != EAGAIN)
			return -1;
	}
	return -1;
}

static void print_rss(void)
{
	char line[256];
	FILE *f = fopen("/proc/self/status", "r");

	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, "VmRSS:", 6))
			printf("%ld\n", strtol(line + 6, NULL, 10));
	if (f)
		fclose(f);
}

int main(int argc, char **argv)
{
	struct xs_handle *xs;
	unsigned *ids;
	bool *done;
	int left = argc - 2;
	FILE *ready;

	if (argc < 3) {
		fprintf(stderr, "Usage: floor READY-FILE DOMID...\n");
		return 2;
	}
	xs = xs_open(0);
	done = calloc((size_t)argc, sizeof(*done));
	ids = calloc((size_t)argc, sizeof(*ids));
	if (!xs || !done || !ids) {
		perror("floor");
		return 1;
	}
	/* Ready once connected, before any domain's work: where dmacpid
	 * publishes its pid, before its start-up over the live domains, so
	 * that both first approvals count the whole start-up. */
	ready = fopen(argv[1], "w");
	if (!ready)
		return 1;
	fclose(ready);
	for (int i = 2; i < argc; i++) {
		char path[128];

		ids[i] = (unsigned)strtoul(argv[i], NULL, 10);
		snprintf(path, sizeof(path), "/local/domain/%s/hvmloader/dm-acpi/length", argv[i]);
		if (!xs_watch(xs, path, argv[i])) {
			perror("floor: xs_watch");
			return 1;
		}
	}
	while (left > 0) {
		unsigned n;
		char **ev = xs_read_watch(xs, &n);
		unsigned domid;
		int i, r;

		if (!ev) {
			perror("floor: xs_read_watch");
			return 1;
		}
		domid = (unsigned)strtoul(ev[XS_WATCH_TOKEN], NULL, 10);
		for (i = 2; i < argc && ids[i] != domid; i++)
			;
		free(ev);
		if (i == argc || done[i])
			continue;
		r = decide(xs, domid);
		if (r < 0) {
			fprintf(stderr, "floor: dom%u: %s\n", domid, strerror(errno));
			return 1;
		}
		if (r > 0) {
			done[i] = true;
			left--;
		}
	}
	print_rss();
	free(done);
	free(ids);
	xs_close(xs);
	return 0;
}
