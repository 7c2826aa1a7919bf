// SPDX-License-Identifier: GPL-2.0-or-later
/* Blob checks already made, reused (see check-cache.h). */
#include <stdlib.h>
#include <string.h>

#include "check-cache.h"
#include "mru.h"
#include "namespace.h"
#include "table.h"

struct entry {
	uint32_t type;
	uint8_t *data;
	size_t len;
	uint64_t xen;			/* ns_serial(), 0 for none */
	struct blob_check check;	/* offsets from the blob's header */
};

struct check_cache {
	struct mru list;		/* of struct entry */
	size_t hits, misses;
};

static void entry_free(void *p)
{
	struct entry *e = p;

	blob_check_free(&e->check);
	free(e->data);
	free(e);
}

struct check_cache *check_cache_new(size_t max_entries, size_t max_bytes)
{
	struct check_cache *c = calloc(1, sizeof(*c));

	if (c && mru_init(&c->list, max_entries, max_bytes, entry_free) < 0) {
		free(c);
		return NULL;
	}
	return c;
}

void check_cache_clear(struct check_cache *c)
{
	if (c)
		mru_clear(&c->list);
}

void check_cache_free(struct check_cache *c)
{
	if (!c)
		return;
	mru_fini(&c->list);
	free(c);
}

void check_cache_counts(const struct check_cache *c, size_t *hits, size_t *misses)
{
	*hits = c ? c->hits : 0;
	*misses = c ? c->misses : 0;
}

/* Parsing AML is what costs; the rest is checked each time. */
static bool worth_keeping(const struct blob *b)
{
	return b->type == BLOB_DEVICE ||
	       (b->type == BLOB_TABLE && b->data_len >= ACPI_HEADER_SIZE &&
		table_has_aml((const char *)b->data));
}

static void *dup_bytes(const void *src, size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p && n)
		memcpy(p, src, n);
	return p;
}

/*
 * A copy of src with every offset moved from `from` to `to` (unsigned
 * arithmetic: exact whichever is larger).  Findings get their own array of
 * FINDINGS_KEEP, as findings_add() expects.  -1 when out of memory (dst is
 * then empty).
 */
static int check_copy(struct blob_check *dst, const struct blob_check *src, size_t from,
		      size_t to)
{
	const struct findings *sf = &src->findings;
	const struct aml_info *si = &src->aml;

	*dst = *src;
	findings_init(&dst->findings);
	aml_info_init(&dst->aml);
	if (sf->n) {
		if (!(dst->findings.v = malloc(FINDINGS_KEEP * sizeof(*sf->v))))
			goto fail;
		memcpy(dst->findings.v, sf->v, sf->n * sizeof(*sf->v));
		for (size_t i = 0; i < sf->n; i++)
			dst->findings.v[i].offset = sf->v[i].offset - from + to;
	}
	dst->findings.n = sf->n;
	dst->findings.lost = sf->lost;
	dst->findings.lost_kinds = sf->lost_kinds;
	dst->findings.no_memory = sf->no_memory;
	memcpy(dst->aml.hid, si->hid, sizeof(si->hid));
	if ((si->nobjs && !(dst->aml.objs = dup_bytes(si->objs, si->nobjs * sizeof(*si->objs)))) ||
	    (si->nrefs && !(dst->aml.refs = dup_bytes(si->refs, si->nrefs * sizeof(*si->refs)))))
		goto fail;
	dst->aml.nobjs = si->nobjs;
	dst->aml.nrefs = si->nrefs;
	for (size_t i = 0; i < si->nobjs; i++)
		dst->aml.objs[i].offset = si->objs[i].offset - from + to;
	for (size_t i = 0; i < si->nrefs; i++)
		dst->aml.refs[i].offset = si->refs[i].offset - from + to;
	return 0;
fail:
	blob_check_free(dst);
	return -1;
}

static void keep(struct check_cache *c, const struct blob *b, const struct ns *xen,
		 const struct blob_check *k)
{
	size_t cost = b->data_len + (k->findings.n ? FINDINGS_KEEP * sizeof(*k->findings.v) : 0) +
		      k->aml.nobjs * sizeof(*k->aml.objs) + k->aml.nrefs * sizeof(*k->aml.refs);
	struct entry *e;

	if (!mru_fits(&c->list, cost) || k->findings.no_memory || !(e = calloc(1, sizeof(*e))))
		return;
	if (!(e->data = dup_bytes(b->data, b->data_len)) ||
	    check_copy(&e->check, k, b->offset, 0) < 0) {
		free(e->data);
		free(e);
		return;
	}
	e->check.blob = NULL;
	e->type = b->type;
	e->len = b->data_len;
	e->xen = xen ? ns_serial(xen) : 0;
	mru_push(&c->list, e, cost);
}

void check_cache_validate(struct check_cache *c, const struct blob *b, const struct ns *xen,
			  struct blob_check *out)
{
	uint64_t serial = xen ? ns_serial(xen) : 0;

	if (!c || !worth_keeping(b)) {
		validate_blob(b, xen, out);
		return;
	}
	for (size_t i = 0; i < c->list.n; i++) {
		struct entry *e = c->list.e[i];

		if (e->type != b->type || e->len != b->data_len || e->xen != serial ||
		    (b->data_len && memcmp(e->data, b->data, b->data_len)))
			continue;
		if (check_copy(out, &e->check, 0, b->offset) < 0)
			break;	/* checked afresh below */
		out->blob = b;
		mru_touch(&c->list, i);
		c->hits++;
		return;
	}
	validate_blob(b, xen, out);
	c->misses++;
	keep(c, b, xen, out);
}
