// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The device model's and the consumer's side of the xenstore protocol, as
 * dom0 over $XENSTORED_PATH: write inputs, wait for and read verdicts.
 */
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xenstore.h>

#include "hostile.h"
#include "policy.h"
#include "text.h"

#define HX_TXN_TRIES 100

struct xs_handle *hx_xs_open(void)
{
	return xs_open(0);
}

int hx_put_inputs(struct xs_handle *xs, unsigned domid, uint64_t address, uint64_t length,
		  long long count, char *input, size_t inputlen)
{
	char base[96], path[128], a[32], l[32], c[32] = "";

	snprintf(base, sizeof(base), "/local/domain/%u/hvmloader/dm-acpi", domid);
	snprintf(a, sizeof(a), "0x%" PRIx64, address);
	snprintf(l, sizeof(l), "%" PRIu64, length);
	if (count >= 0)
		snprintf(c, sizeof(c), "%lld", count);
	snprintf(input, inputlen, "%s:%s:%s", a, l, c);
	for (int tries = 0; tries < HX_TXN_TRIES; tries++) {
		xs_transaction_t t = xs_transaction_start(xs);
		bool ok;

		if (t == XBT_NULL)
			return -1;
		snprintf(path, sizeof(path), "%s/address", base);
		ok = xs_write(xs, t, path, a, (unsigned)strlen(a));
		snprintf(path, sizeof(path), "%s/length", base);
		ok = ok && xs_write(xs, t, path, l, (unsigned)strlen(l));
		snprintf(path, sizeof(path), "%s/count", base);
		if (count >= 0)
			ok = ok && xs_write(xs, t, path, c, (unsigned)strlen(c));
		else
			ok = ok && (xs_rm(xs, t, path) || errno == ENOENT);
		if (!ok) {
			xs_transaction_end(xs, t, true);
			return -1;
		}
		if (xs_transaction_end(xs, t, false))
			return 0;
		if (errno != EAGAIN)
			return -1;
	}
	errno = EAGAIN;
	return -1;
}

int hx_put_key(struct xs_handle *xs, unsigned domid, const char *key, const char *value)
{
	char path[128];

	snprintf(path, sizeof(path), "/local/domain/%u/hvmloader/dm-acpi/%s", domid, key);
	return xs_write(xs, XBT_NULL, path, value, (unsigned)strlen(value)) ? 0 : -1;
}

static bool read_text(struct xs_handle *xs, xs_transaction_t t, unsigned domid, const char *key,
		      char *out, size_t outlen)
{
	char path[128];
	unsigned n;
	char *v;

	snprintf(path, sizeof(path), "/local/domain/%u/hvmloader/dm-acpi-verdict/%s", domid, key);
	v = xs_read(xs, t, path, &n);
	out[0] = '\0';
	if (!v)
		return false;
	snprintf(out, outlen, "%s", v);
	free(v);
	return true;
}

static uint64_t read_number(struct xs_handle *xs, xs_transaction_t t, unsigned domid,
			    const char *key, bool *present)
{
	char buf[64], *end;
	uint64_t v;

	*present = read_text(xs, t, domid, key, buf, sizeof(buf));
	if (!*present)
		return 0;
	v = strtoull(buf, &end, 0);
	if (end == buf || *end)
		*present = false;
	return v;
}

int hx_read_verdict(struct xs_handle *xs, unsigned domid, struct hx_verdict *v)
{
	for (int tries = 0; tries < HX_TXN_TRIES; tries++) {
		xs_transaction_t t = xs_transaction_start(xs);
		char digest[HX_TEXT_MAX];
		bool have, has;

		if (t == XBT_NULL)
			return -1;
		memset(v, 0, sizeof(*v));
		have = read_text(xs, t, domid, "state", v->state, sizeof(v->state));
		read_text(xs, t, domid, "input", v->input, sizeof(v->input));
		read_text(xs, t, domid, "reason", v->reason, sizeof(v->reason));
		v->address = read_number(xs, t, domid, "address", &has);
		v->length = read_number(xs, t, domid, "length", &has);
		v->count = read_number(xs, t, domid, "count", &has);
		v->dropped = read_number(xs, t, domid, "dropped", &has);
		v->generation = read_number(xs, t, domid, "generation", &has);
		v->checksum = (uint32_t)read_number(xs, t, domid, "checksum", &v->has_checksum);
		/* Read whole, so that a longer value is no digest rather than cut to one. */
		if (read_text(xs, t, domid, "digest", digest, sizeof(digest)) &&
		    digest_text_valid(digest))
			memcpy(v->digest, digest, sizeof(v->digest));
		if (xs_transaction_end(xs, t, false))
			return have ? 0 : -1;
		if (errno != EAGAIN)
			return -1;
	}
	return -1;
}

bool hx_state_final(const char *state)
{
	return !strcmp(state, "approved") || !strcmp(state, "rejected") || !strcmp(state, "error");
}

int hx_wait_verdict(struct xs_handle *xs, unsigned domid, const char *input, double timeout,
		    struct hx_verdict *v)
{
	char path[128], token[32];
	double end = hx_now() + timeout;
	int rc = -1;

	snprintf(path, sizeof(path), "/local/domain/%u/hvmloader/dm-acpi-verdict/state", domid);
	snprintf(token, sizeof(token), "hx%u", domid);
	if (!xs_watch(xs, path, token))
		return -1;
	for (;;) {
		struct pollfd p = { .fd = xs_fileno(xs), .events = POLLIN };
		double left;
		char **ev;

		if (hx_read_verdict(xs, domid, v) == 0 && hx_state_final(v->state) &&
		    !strcmp(v->input, input)) {
			rc = 0;
			break;
		}
		left = end - hx_now();
		if (left <= 0)
			break;
		/* Wake at least every 50 ms: a missed event costs time, not a verdict. */
		if (poll(&p, 1, left > 0.05 ? 50 : (int)(left * 1000) + 1) > 0)
			while ((ev = xs_check_watch(xs)))
				free(ev);
	}
	xs_unwatch(xs, path, token);
	return rc;
}

int hx_read_facts(struct xs_handle *xs, const struct policy *p, unsigned domid,
		  struct hx_facts *f)
{
	const char *const *paths;
	size_t n = policy_domain_keys(p, &paths);
	char path[256], name[128];
	unsigned len;
	char *v;

	memset(f, 0, sizeof(*f));
	if (n > sizeof(f->keys) / sizeof(f->keys[0]))
		return -1;
	snprintf(path, sizeof(path), "/local/domain/%u/name", domid);
	v = xs_read(xs, XBT_NULL, path, &len);
	name[0] = '\0';
	if (v)
		text_escape(name, sizeof(name), (const uint8_t *)v, strlen(v));
	free(v);
	f->name = strdup(name);
	if (!f->name)
		return -1;
	for (size_t i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "/local/domain/%u/%s", domid, paths[i]);
		v = xs_read(xs, XBT_NULL, path, &len);
		if (!v)
			continue;
		f->values[f->facts.nkeys] = v;
		f->keys[f->facts.nkeys].path = paths[i];
		f->keys[f->facts.nkeys].value = v;
		f->facts.nkeys++;
	}
	f->facts.domid = domid;
	f->facts.name = f->name;
	f->facts.keys = f->keys;
	return 0;
}

void hx_facts_free(struct hx_facts *f)
{
	for (size_t i = 0; i < f->facts.nkeys; i++)
		free(f->values[i]);
	free(f->name);
	memset(f, 0, sizeof(*f));
}
