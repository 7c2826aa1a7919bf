// SPDX-License-Identifier: GPL-2.0-or-later
/* `dmacpictl status [DOMID] [--json]`: the verdicts of live domains. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <xenstore.h>

#include "commands.h"
#include "text.h"

static const char *const verdict_keys[] = {
	"state", "generation", "address", "length", "count", "checksum", "digest", "dropped", "input",
	"reason",
};
#define NKEYS (sizeof(verdict_keys) / sizeof(verdict_keys[0]))
enum {
	K_STATE, K_GENERATION, K_ADDRESS, K_LENGTH, K_COUNT, K_CHECKSUM, K_DIGEST, K_DROPPED, K_INPUT,
	K_REASON
};

struct row {
	unsigned long domid;
	char *name;
	char *v[NKEYS];
};

/*
 * Commits that may conflict with the daemon's verdict writes before status
 * gives up on a domain; the pause after each grows by a millisecond.
 */
#define READ_ATTEMPTS 16

static void row_free(struct row *r)
{
	free(r->name);
	r->name = NULL;
	for (size_t k = 0; k < NKEYS; k++) {
		free(r->v[k]);
		r->v[k] = NULL;
	}
}

/* A key under /local/domain/DOMID, NULL when absent; false on an error
 * other than absence (errno set). */
static bool read_rel(struct xs_handle *xs, xs_transaction_t t, unsigned long domid,
		     const char *rel, char **out)
{
	char path[160];
	unsigned len;

	snprintf(path, sizeof(path), "/local/domain/%lu/%s", domid, rel);
	*out = xs_read(xs, t, path, &len);
	return *out || errno == ENOENT;
}

static bool row_read_once(struct xs_handle *xs, xs_transaction_t t, struct row *r)
{
	if (!read_rel(xs, t, r->domid, "name", &r->name))
		return false;
	for (size_t k = 0; k < NKEYS; k++) {
		char rel[80];

		snprintf(rel, sizeof(rel), "hvmloader/dm-acpi-verdict/%s", verdict_keys[k]);
		if (!read_rel(xs, t, r->domid, rel, &r->v[k]))
			return false;
	}
	return true;
}

/*
 * The domain's name and verdict keys in one transaction, so that they are
 * one generation's: the daemon commits each verdict whole, and a read key
 * by key can mix two.  Returns 0, or -1 with errno set (EAGAIN when every
 * attempt conflicted).
 */
static int row_read(struct xs_handle *xs, struct row *r)
{
	for (int attempt = 1;; attempt++) {
		xs_transaction_t t = xs_transaction_start(xs);
		bool read;
		int err;

		if (t == XBT_NULL)
			return -1;
		read = row_read_once(xs, t, r);
		err = errno;
		if (read && xs_transaction_end(xs, t, false))
			return 0;
		if (read)
			err = errno;
		else
			xs_transaction_end(xs, t, true);
		row_free(r);
		if (err != EAGAIN || attempt == READ_ATTEMPTS) {
			errno = err;
			return -1;
		}
		nanosleep(&(struct timespec){ .tv_nsec = attempt * 1000000L }, NULL);
	}
}

static bool is_number(const char *s)
{
	if (!s || !*s || strlen(s) > 18)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

static void print_json(FILE *out, const struct row *rows, size_t n)
{
	fprintf(out, "{\"domains\":[");
	for (size_t i = 0; i < n; i++) {
		const struct row *r = &rows[i];

		fprintf(out, "%s{\"domid\":%lu,\"name\":", i ? "," : "", r->domid);
		text_print_json(out, r->name ? r->name : "");
		fprintf(out, ",\"state\":");
		text_print_json(out, r->v[K_STATE] ? r->v[K_STATE] : "none");
		for (size_t k = 1; k < NKEYS; k++) {
			if (!r->v[k])
				continue;
			fprintf(out, ",\"%s\":", verdict_keys[k]);
			if (k != K_ADDRESS && k != K_CHECKSUM && k != K_DIGEST && k != K_INPUT &&
			    k != K_REASON && is_number(r->v[k]))
				fputs(r->v[k], out);
			else
				text_print_json(out, r->v[k]);
		}
		fputc('}', out);
	}
	fprintf(out, "]}\n");
}

static const char *or_dash(const char *s)
{
	return s && *s ? s : "-";
}

static void print_table(FILE *out, const struct row *rows, size_t n)
{
	fprintf(out, "%-6s %-20s %-9s %4s %-12s %8s %5s %7s %-10s %-71s %s\n", "DOMID", "NAME",
		"STATE", "GEN", "ADDRESS", "LENGTH", "COUNT", "DROPPED", "CHECKSUM", "DIGEST", "REASON");
	for (size_t i = 0; i < n; i++) {
		const struct row *r = &rows[i];

		fprintf(out, "%-6lu %-20.20s %-9.9s %4s %-12s %8s %5s %7s %-10s %-71s %s\n", r->domid,
			or_dash(r->name), r->v[K_STATE] ? r->v[K_STATE] : "none",
			or_dash(r->v[K_GENERATION]), or_dash(r->v[K_ADDRESS]), or_dash(r->v[K_LENGTH]),
			or_dash(r->v[K_COUNT]), or_dash(r->v[K_DROPPED]), or_dash(r->v[K_CHECKSUM]),
			or_dash(r->v[K_DIGEST]), or_dash(r->v[K_REASON]));
	}
}

static int cmp_row(const void *a, const void *b)
{
	const struct row *x = a, *y = b;

	return x->domid < y->domid ? -1 : x->domid > y->domid;
}

static int parse_domid(const char *s, unsigned long *out)
{
	unsigned long long v;

	if (!s || cli_uint(s, 0x7fef, &v))
		return -1;
	*out = (unsigned long)v;
	return 0;
}

int cmd_status(int argc, char **argv)
{
	static const char usage[] = "Usage: dmacpictl status [DOMID] [--json]\n";
	bool json = false, one = false;
	unsigned long want = 0;
	struct xs_handle *xs;
	struct row *rows;
	char **ents;
	unsigned n = 0;
	size_t nrows = 0;
	int rc = 0;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			fputs(usage, stdout);
			return 0;
		}
		if (!strcmp(argv[i], "--json"))
			json = true;
		else if (!one && parse_domid(argv[i], &want) == 0)
			one = true;
		else {
			fputs(usage, stderr);
			return EXIT_USAGE;
		}
	}
	xs = xs_open(XS_OPEN_READONLY);
	if (!xs) {
		fprintf(stderr, "dmacpictl: cannot connect to xenstored: %s\n", strerror(errno));
		return EXIT_USAGE;
	}
	ents = xs_directory(xs, XBT_NULL, "/local/domain", &n);
	if (!ents) {
		fprintf(stderr, "dmacpictl: cannot list /local/domain: %s\n", strerror(errno));
		xs_close(xs);
		return EXIT_USAGE;
	}
	rows = calloc(n ? n : 1, sizeof(*rows));
	if (!rows) {
		free(ents);
		xs_close(xs);
		return EXIT_USAGE;
	}
	for (unsigned i = 0; i < n; i++) {
		unsigned long domid;

		if (parse_domid(ents[i], &domid) < 0 || domid == 0 || (one && domid != want))
			continue;
		rows[nrows].domid = domid;
		if (row_read(xs, &rows[nrows]) < 0) {
			fprintf(stderr, "dmacpictl: cannot read the verdict of domain %lu: %s\n", domid,
				strerror(errno));
			rc = EXIT_USAGE;
			break;
		}
		nrows++;
	}
	free(ents);
	xs_close(xs);
	if (rc) {
		for (size_t i = 0; i < nrows; i++)
			row_free(&rows[i]);
		free(rows);
		return rc;
	}
	qsort(rows, nrows, sizeof(*rows), cmp_row);
	if (one && nrows == 0) {
		fprintf(stderr, "dmacpictl: no domain %lu\n", want);
		free(rows);
		return EXIT_NO;
	}
	if (json)
		print_json(stdout, rows, nrows);
	else
		print_table(stdout, rows, nrows);
	for (size_t i = 0; i < nrows; i++)
		row_free(&rows[i]);
	free(rows);
	return 0;
}
