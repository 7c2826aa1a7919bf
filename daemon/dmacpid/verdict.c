// SPDX-License-Identifier: GPL-2.0-or-later
/* Writing and adopting verdict nodes. */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xenstore.h>

#include "log.h"
#include "verdict.h"

#define TRANSACTION_RETRIES 16

static const char *const state_names[] = {
	[VSTATE_NONE] = "none",
	[VSTATE_PENDING] = "pending",
	[VSTATE_APPROVED] = "approved",
	[VSTATE_REJECTED] = "rejected",
	[VSTATE_ERROR] = "error",
};

const char *vstate_name(enum vstate s)
{
	return state_names[s];
}

static enum vstate vstate_parse(const char *s)
{
	for (size_t i = VSTATE_PENDING; i < sizeof(state_names) / sizeof(state_names[0]); i++)
		if (!strcmp(s, state_names[i]))
			return (enum vstate)i;
	return VSTATE_NONE;
}

/* owner dom0 (no access for others by default), read for D and the DM. */
static unsigned verdict_perms(unsigned domid, unsigned dm_domid, struct xs_permissions p[3])
{
	unsigned n = 0;

	p[n++] = (struct xs_permissions){ .id = 0, .perms = XS_PERM_NONE };
	p[n++] = (struct xs_permissions){ .id = domid, .perms = XS_PERM_READ };
	if (dm_domid != 0 && dm_domid != domid)
		p[n++] = (struct xs_permissions){ .id = dm_domid, .perms = XS_PERM_READ };
	return n;
}

/* True when path carries exactly the permissions dmacpid sets. */
static bool perms_are_ours(struct xs_handle *xs, xs_transaction_t t, const char *path,
			   unsigned domid, unsigned dm_domid)
{
	struct xs_permissions want[3];
	unsigned nwant = verdict_perms(domid, dm_domid, want);
	unsigned n = 0;
	struct xs_permissions *have = xs_get_permissions(xs, t, path, &n);
	bool ok = have && n == nwant;

	for (unsigned i = 0; ok && i < n; i++) {
		bool found = false;

		if (i == 0) {
			ok = have[0].id == 0 && have[0].perms == XS_PERM_NONE;
			continue;
		}
		for (unsigned j = 1; j < nwant; j++)
			found |= have[i].id == want[j].id && have[i].perms == want[j].perms;
		ok = found;
	}
	free(have);
	return ok;
}

static void verdict_path(char *buf, size_t len, unsigned domid, const char *key)
{
	snprintf(buf, len, "/local/domain/%u/hvmloader/dm-acpi-verdict%s%s", domid,
		 key ? "/" : "", key ? key : "");
}

static char *read_key(struct xs_handle *xs, xs_transaction_t t, unsigned domid, const char *key)
{
	char path[128];
	unsigned len;

	verdict_path(path, sizeof(path), domid, key);
	return xs_read(xs, t, path, &len);
}

static bool parse_generation(const char *s, uint64_t *out)
{
	uint64_t v = 0;

	if (!s || !*s)
		return false;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || v > (UINT64_MAX - 9) / 10)
			return false;
		v = v * 10 + (uint64_t)(*s - '0');
	}
	*out = v;
	return true;
}

static bool put(struct xs_handle *xs, xs_transaction_t t, unsigned domid, const char *key,
		const char *value, struct xs_permissions *perms, unsigned nperms)
{
	char path[128];

	verdict_path(path, sizeof(path), domid, key);
	if (value && !xs_write(xs, t, path, value, (unsigned)strlen(value)))
		return false;
	if (!value && !xs_mkdir(xs, t, path))
		return false;
	return xs_set_permissions(xs, t, path, perms, nperms);
}

enum num_style { DEC, HEX, CRC };

static bool put_u64(struct xs_handle *xs, xs_transaction_t t, unsigned domid, const char *key,
		    enum num_style style, uint64_t v, struct xs_permissions *perms, unsigned nperms)
{
	char buf[32];

	if (style == DEC)
		snprintf(buf, sizeof(buf), "%" PRIu64, v);
	else if (style == HEX)
		snprintf(buf, sizeof(buf), "0x%" PRIx64, v);
	else
		snprintf(buf, sizeof(buf), "0x%08" PRIx64, v);
	return put(xs, t, domid, key, buf, perms, nperms);
}

static bool write_keys(struct xs_handle *xs, xs_transaction_t t, unsigned domid,
		       const struct verdict_record *r, uint64_t generation,
		       struct xs_permissions *p, unsigned np)
{
	bool ok = put(xs, t, domid, NULL, NULL, p, np) &&
		  put(xs, t, domid, "state", vstate_name(r->state), p, np) &&
		  put_u64(xs, t, domid, "generation", DEC, generation, p, np) &&
		  put(xs, t, domid, "input", r->input, p, np);

	if (ok && r->state == VSTATE_APPROVED)
		ok = put_u64(xs, t, domid, "address", HEX, r->address, p, np) &&
		     put_u64(xs, t, domid, "length", DEC, r->length, p, np) &&
		     put_u64(xs, t, domid, "count", DEC, r->count, p, np) &&
		     put_u64(xs, t, domid, "checksum", CRC, r->checksum, p, np) &&
		     put_u64(xs, t, domid, "dropped", DEC, r->dropped, p, np);
	if (ok && (r->state == VSTATE_REJECTED || r->state == VSTATE_ERROR))
		ok = put(xs, t, domid, "reason", r->reason && *r->reason ? r->reason : "unspecified",
			 p, np);
	if (ok && r->state == VSTATE_REJECTED)
		ok = put_u64(xs, t, domid, "dropped", DEC, r->dropped, p, np);
	return ok;
}

static bool hvmloader_dir_present(struct xs_handle *xs, xs_transaction_t t, unsigned domid)
{
	char path[64];
	unsigned n;
	struct xs_permissions *p;

	snprintf(path, sizeof(path), "/local/domain/%u/hvmloader", domid);
	p = xs_get_permissions(xs, t, path, &n);
	free(p);
	return p != NULL;
}

int verdict_write(struct daemon *dm, struct domain *d, unsigned dm_domid,
		  const struct verdict_record *r)
{
	struct xs_permissions perms[3];
	unsigned nperms = verdict_perms(d->domid, dm_domid, perms);
	char node[128];

	if (!dm->xs) {
		errno = ENOTCONN;
		return -1;
	}
	verdict_path(node, sizeof(node), d->domid, NULL);
	for (int attempt = 0; attempt < TRANSACTION_RETRIES; attempt++) {
		xs_transaction_t t = xs_transaction_start(dm->xs);
		uint64_t generation = d->generation;
		int saved;

		if (t == XBT_NULL)
			return -1;
		/* The toolstack removes a dead domain's tree; writing would
		 * recreate it, and leave a verdict for a later domain of that id. */
		if (!hvmloader_dir_present(dm->xs, t, d->domid)) {
			xs_transaction_end(dm->xs, t, true);
			errno = ENOENT;
			return -1;
		}
		/* After a restart, continue the generation we wrote before. */
		if (!d->generation_known && perms_are_ours(dm->xs, t, node, d->domid, dm_domid)) {
			char *g = read_key(dm->xs, t, d->domid, "generation");

			if (!parse_generation(g, &generation))
				generation = 0;
			free(g);
		}
		/* Start from nothing: no stale key, no permissions but ours. */
		if (!xs_rm(dm->xs, t, node) && errno != ENOENT)
			goto abort;
		/* pending is no decision: it keeps the last decision's number. */
		if (r->state != VSTATE_PENDING)
			generation = generation == UINT64_MAX ? 1 : generation + 1;
		if (!write_keys(dm->xs, t, d->domid, r, generation, perms, nperms))
			goto abort;
		if (xs_transaction_end(dm->xs, t, false)) {
			d->generation = generation;
			d->generation_known = true;
			d->state = r->state;
			snprintf(d->input, sizeof(d->input), "%s", r->input ? r->input : "");
			return 0;
		}
		if (errno == EAGAIN)
			continue;
		return -1;
abort:
		saved = errno;
		xs_transaction_end(dm->xs, t, true);
		errno = saved;
		return -1;
	}
	errno = EAGAIN;
	return -1;
}

void verdict_adopt(struct daemon *dm, struct domain *d, unsigned dm_domid)
{
	char node[128];
	char *state, *input, *generation;
	uint64_t g;

	verdict_path(node, sizeof(node), d->domid, NULL);
	if (!dm->xs || !perms_are_ours(dm->xs, XBT_NULL, node, d->domid, dm_domid))
		return;
	state = read_key(dm->xs, XBT_NULL, d->domid, "state");
	input = read_key(dm->xs, XBT_NULL, d->domid, "input");
	generation = read_key(dm->xs, XBT_NULL, d->domid, "generation");
	if (state && input && parse_generation(generation, &g)) {
		d->state = vstate_parse(state);
		snprintf(d->input, sizeof(d->input), "%s", input);
		d->generation = g;
		d->generation_known = true;
	}
	free(state);
	free(input);
	free(generation);
}
