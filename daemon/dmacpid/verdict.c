// SPDX-License-Identifier: GPL-2.0-or-later
/* Writing and adopting verdict nodes; the rewrite intent that precedes one. */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xenstore.h>

#include "domains.h"
#include "inputs.h"
#include "log.h"
#include "reload.h"
#include "text.h"
#include "verdict.h"
#include "xs.h"
#include "xspath.h"

#define INTENT_DIR CONTROL_DIR "/rewrite"

static void intent_path(char *buf, size_t len, unsigned domid)
{
	snprintf(buf, len, INTENT_DIR "/%u", domid);
}

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

/*
 * True when have[0..n) is exactly the permission list dmacpid writes, entry
 * for entry: a duplicate, an extra or a missing entry, another order or
 * other flags make it someone else's node.
 */
static bool perms_equal_ours(const struct xs_permissions *have, unsigned n, unsigned domid,
			     unsigned dm_domid)
{
	struct xs_permissions want[3];
	unsigned nwant = verdict_perms(domid, dm_domid, want);
	bool ok = n == nwant;

	for (unsigned i = 0; ok && i < n; i++)
		ok = have[i].id == want[i].id && have[i].perms == want[i].perms;
	return ok;
}

/* The domain's hvmloader directory as the base, then the verdict node. */
static void verdict_paths(struct xspath *hvmloader, struct xspath *node, unsigned domid)
{
	xspath_domain(hvmloader, domid);
	xspath_push(hvmloader, "hvmloader");	/* short enough to fit */
	*node = *hvmloader;
	xspath_push(node, "dm-acpi-verdict");
}

static char *read_key(struct xs_handle *xs, xs_transaction_t t, struct xspath *node,
		      const char *key)
{
	unsigned len;

	return xs_read(xs, t, xspath_at(node, key), &len);
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

static bool put(struct xs_handle *xs, xs_transaction_t t, struct xspath *node, const char *key,
		const char *value, struct xs_permissions *perms, unsigned nperms)
{
	const char *path = xspath_at(node, key);

	if (value && !xs_write(xs, t, path, value, (unsigned)strlen(value)))
		return false;
	if (!value && !xs_mkdir(xs, t, path))
		return false;
	/* Keys created under the node inherit its permissions. */
	return value || xs_set_permissions(xs, t, path, perms, nperms);
}

enum num_style { DEC, HEX, CRC };

static bool put_u64(struct xs_handle *xs, xs_transaction_t t, struct xspath *node,
		    const char *key, enum num_style style, uint64_t v,
		    struct xs_permissions *perms, unsigned nperms)
{
	char buf[24] = "0x";

	if (style == DEC)
		text_dec(buf, v);
	else
		text_hex(buf + 2, v, style == CRC ? 8 : 1);
	return put(xs, t, node, key, buf, perms, nperms);
}

static bool write_keys(struct xs_handle *xs, xs_transaction_t t, struct xspath *node,
		       const struct verdict_record *r, uint64_t generation,
		       struct xs_permissions *p, unsigned np)
{
	bool ok = put(xs, t, node, NULL, NULL, p, np) &&
		  put(xs, t, node, "state", vstate_name(r->state), p, np) &&
		  put_u64(xs, t, node, "generation", DEC, generation, p, np) &&
		  put(xs, t, node, "input", r->input, p, np);

	if (ok && r->state == VSTATE_APPROVED)
		ok = put_u64(xs, t, node, "address", HEX, r->address, p, np) &&
		     put_u64(xs, t, node, "length", DEC, r->length, p, np) &&
		     put_u64(xs, t, node, "count", DEC, r->count, p, np) &&
		     put_u64(xs, t, node, "checksum", CRC, r->checksum, p, np) &&
		     put(xs, t, node, "digest", r->digest ? r->digest : "", p, np) &&
		     put_u64(xs, t, node, "dropped", DEC, r->dropped, p, np);
	if (ok && (r->state == VSTATE_REJECTED || r->state == VSTATE_ERROR))
		ok = put(xs, t, node, "reason", r->reason && *r->reason ? r->reason : "unspecified",
			 p, np);
	if (ok && r->state == VSTATE_REJECTED)
		ok = put_u64(xs, t, node, "dropped", DEC, r->dropped, p, np);
	return ok;
}

static bool dir_present(struct xs_handle *xs, xs_transaction_t t, const char *path)
{
	unsigned n;
	struct xs_permissions *p = xs_get_permissions(xs, t, path, &n);

	free(p);
	return p != NULL;
}

int verdict_write(struct daemon *dm, struct domain *d, unsigned dm_domid,
		  const struct verdict_record *r, xs_transaction_t *inputs_t)
{
	struct xs_permissions perms[3];
	unsigned nperms = verdict_perms(d->domid, dm_domid, perms);
	struct xspath hvmloader, node;

	if (!dm->xs) {
		errno = ENOTCONN;
		return -1;
	}
	verdict_paths(&hvmloader, &node, d->domid);
	for (int attempt = 0; attempt < TRANSACTION_RETRIES; attempt++) {
		bool inherited = inputs_t && *inputs_t != XBT_NULL;
		xs_transaction_t t = inherited ? *inputs_t : xs_transaction_start(dm->xs);
		uint64_t generation = d->generation;
		bool absent = d->verdict_absent;	/* no node to remove first */
		int saved, stand;

		if (inherited)
			*inputs_t = XBT_NULL;
		if (t == XBT_NULL)
			return -1;
		/* Written only while the inputs it answers stand: a retry reads
		 * them again. */
		if (inputs_t && !inherited &&
		    (stand = inputs_stand(dm, d->domid, t, r->input)) <= 0) {
			if (stand < 0)
				goto abort;
			xs_transaction_end(dm->xs, t, true);
			return VERDICT_STALE;
		}
		/* The toolstack removes a dead domain's tree; writing would
		 * recreate it, and leave a verdict for a later domain of that id.
		 * With inputs, the input read in t shows that it stands; without
		 * (an error verdict), ask. */
		if (!inputs_t && !dir_present(dm->xs, t, xspath_at(&hvmloader, NULL))) {
			xs_transaction_end(dm->xs, t, true);
			errno = ENOENT;
			return -1;
		}
		/* After a restart, continue the generation we wrote before. */
		if (!d->generation_known) {
			unsigned n = 0;
			struct xs_permissions *have = xs_get_permissions(dm->xs, t,
									 xspath_at(&node, NULL), &n);

			absent = !have && errno == ENOENT;
			if (have && perms_equal_ours(have, n, d->domid, dm_domid)) {
				char *g = read_key(dm->xs, t, &node, "generation");

				if (!parse_generation(g, &generation))
					generation = 0;
				free(g);
			}
			free(have);
		}
		/* Start from nothing: no stale key, no permissions but ours.  A
		 * node absent when we last looked needs no removal: under
		 * hvmloader/ (owner dom0, read-only for D) neither the guest nor
		 * a stub domain can have made one since, and every key below is
		 * written with our permissions in any case. */
		if (!absent && !xs_rm(dm->xs, t, xspath_at(&node, NULL)) && errno != ENOENT)
			goto abort;
		/* The rewrite this verdict publishes is no longer in flight. */
		if (r->clear_intent) {
			char intent[64];

			intent_path(intent, sizeof(intent), d->domid);
			if (!xs_rm(dm->xs, t, intent) && errno != ENOENT)
				goto abort;
		}
		/* pending is no decision: it keeps the last decision's number. */
		if (r->state != VSTATE_PENDING)
			generation = generation == UINT64_MAX ? 1 : generation + 1;
		if (!write_keys(dm->xs, t, &node, r, generation, perms, nperms))
			goto abort;
		/* Once the commit is sent, a lost reply leaves the node unknown. */
		d->verdict_absent = false;
		if (xs_transaction_end(dm->xs, t, false)) {
			d->verdict_unsure = false;
			d->generation = generation;
			d->generation_known = true;
			if (r->clear_intent)
				d->intent_maybe = false;
			d->state = r->state;
			text_copy(d->input, sizeof(d->input), r->input ? r->input : "");
			return 0;
		}
		if (errno == EAGAIN)
			continue;
		d->verdict_unsure = true;
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

/* No verdict node now: none to remove before the next verdict (under
 * hvmloader/ only dom0 can make one), no generation to continue. */
static void verdict_found_absent(struct domain *d)
{
	d->verdict_absent = d->generation_known = true;
}

void verdict_adopt(struct daemon *dm, struct domain *d, unsigned dm_domid)
{
	struct xspath hvmloader, node;
	struct xs_permissions *have;
	char *state, *input, *generation;
	unsigned n = 0;
	uint64_t g;
	bool ours;

	verdict_paths(&hvmloader, &node, d->domid);
	if (!dm->xs)
		return;
	have = xs_get_permissions(dm->xs, XBT_NULL, xspath_at(&node, NULL), &n);
	ours = have && perms_equal_ours(have, n, d->domid, dm_domid);
	if (!have && errno == ENOENT)
		verdict_found_absent(d);
	if (have || errno == ENOENT)
		d->verdict_unsure = false;
	/* What verdict_remove_foreign would ask again in the first round. */
	d->verdict_checked = ours || d->verdict_absent;
	free(have);
	if (!ours)
		return;
	state = read_key(dm->xs, XBT_NULL, &node, "state");
	input = read_key(dm->xs, XBT_NULL, &node, "input");
	generation = read_key(dm->xs, XBT_NULL, &node, "generation");
	if (state && input && parse_generation(generation, &g)) {
		d->state = vstate_parse(state);
		text_copy(d->input, sizeof(d->input), input);
		d->generation = g;
		d->generation_known = true;
	}
	free(state);
	free(input);
	free(generation);
}

void verdict_remove_foreign(struct daemon *dm, struct domain *d, unsigned dm_domid)
{
	struct xs_permissions *have;
	struct xspath hvmloader, node;
	unsigned n = 0;
	bool ours;

	if (!dm->xs)
		return;
	verdict_paths(&hvmloader, &node, d->domid);
	have = xs_get_permissions(dm->xs, XBT_NULL, xspath_at(&node, NULL), &n);
	d->verdict_absent = false;
	if (!have) {
		if (errno == ENOENT)
			verdict_found_absent(d);
		return;
	}
	ours = perms_equal_ours(have, n, d->domid, dm_domid);
	free(have);
	if (ours)
		return;
	if (!xs_rm(dm->xs, XBT_NULL, xspath_at(&node, NULL)) && errno != ENOENT) {
		log_msg(LOG_ERR, "dom%u: cannot remove a verdict node dmacpid did not write: %s",
			d->domid, strerror(errno));
		return;
	}
	log_msg(LOG_NOTICE, "dom%u: removed a verdict node dmacpid did not write", d->domid);
	verdict_found_absent(d);
	d->state = VSTATE_NONE;
	d->input[0] = '\0';
}

/* ---- the rewrite intent --------------------------------------------- */


int intent_record(struct daemon *dm, struct domain *d, const struct rewrite_intent *ri)
{
	struct xs_permissions p = { .id = 0, .perms = XS_PERM_NONE };
	char path[64], handle[33], text[INPUT_TEXT_MAX + 256];

	if (!dm->xs) {
		errno = ENOTCONN;
		return -1;
	}
	intent_path(path, sizeof(path), d->domid);
	domain_handle_text(handle, d->handle);
	d->intent_maybe = true;
	snprintf(text, sizeof(text), "%s %s %" PRIu64 " %" PRIu64 " %" PRIu64 " %s",
		 handle, ri->input, ri->length, ri->count, ri->dropped, ri->digest);
	for (int attempt = 0; attempt < TRANSACTION_RETRIES; attempt++) {
		xs_transaction_t t = xs_transaction_start(dm->xs);
		int saved;

		if (t == XBT_NULL)
			return -1;
		/* Created and restricted in one step: never readable by anyone else. */
		if (!xs_mkdir(dm->xs, t, INTENT_DIR) ||
		    !xs_set_permissions(dm->xs, t, INTENT_DIR, &p, 1) ||
		    !xs_write(dm->xs, t, path, text, (unsigned)strlen(text)) ||
		    !xs_set_permissions(dm->xs, t, path, &p, 1)) {
			saved = errno;
			xs_transaction_end(dm->xs, t, true);
			errno = saved;
			return -1;
		}
		if (xs_transaction_end(dm->xs, t, false))
			return 0;
		if (errno != EAGAIN)
			return -1;
	}
	errno = EAGAIN;
	return -1;
}

/* "HANDLE INPUT LENGTH COUNT DROPPED DIGEST", exactly as intent_record writes it. */
static bool intent_parse(char *text, const char *handle, struct rewrite_intent *ri)
{
	char *field[6], *save = NULL;
	size_t n = 0;

	for (char *tok = strtok_r(text, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
		if (n == 6)
			return false;
		field[n++] = tok;
	}
	if (n != 6 || strcmp(field[0], handle) || strlen(field[1]) >= sizeof(ri->input))
		return false;
	memcpy(ri->input, field[1], strlen(field[1]) + 1);
	if (!digest_text_valid(field[5]))
		return false;
	memcpy(ri->digest, field[5], sizeof(ri->digest));
	return parse_generation(field[2], &ri->length) && parse_generation(field[3], &ri->count) &&
	       parse_generation(field[4], &ri->dropped);
}

int intent_load(struct daemon *dm, struct domain *d, struct rewrite_intent *ri)
{
	char path[64], handle[33];
	unsigned len;
	char *text;
	bool ok;

	/* Only a domain found at a (re)connect, or one we wrote a record
	 * for, can have one: no read on every decision. */
	if (!dm->xs || !d->intent_maybe)
		return 0;
	intent_path(path, sizeof(path), d->domid);
	text = xs_read(dm->xs, XBT_NULL, path, &len);
	if (!text) {
		if (errno == ENOENT)
			d->intent_maybe = false;
		return 0;
	}
	domain_handle_text(handle, d->handle);
	ok = strlen(text) == len && intent_parse(text, handle, ri);
	free(text);
	if (!ok) {
		log_msg(LOG_NOTICE, "dom%u: deleting a stale rewrite record", d->domid);
		intent_forget(dm, d);
		return 0;
	}
	return 1;
}

void intent_forget(struct daemon *dm, struct domain *d)
{
	char path[64];

	if (!dm->xs || !d->intent_maybe)
		return;
	intent_path(path, sizeof(path), d->domid);
	if (xs_rm(dm->xs, XBT_NULL, path) || errno == ENOENT)
		d->intent_maybe = false;
	else
		log_msg(LOG_ERR, "dom%u: cannot delete the rewrite record: %s", d->domid,
			strerror(errno));
}

void intent_list_records(struct daemon *dm)
{
	records_list(dm, INTENT_DIR, &dm->intent_records);
}

void intent_sweep_records(struct daemon *dm)
{
	records_sweep(dm, INTENT_DIR, &dm->intent_records);
}
