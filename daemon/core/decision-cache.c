// SPDX-License-Identifier: GPL-2.0-or-later
/* Decisions already made, reused (see decision-cache.h). */
#include <stdlib.h>
#include <string.h>

#include "check-cache.h"
#include "decision-cache.h"
#include "mru.h"
#include "policy.h"

struct entry {
	uint8_t *bytes;
	size_t len;
	long long count;
	unsigned flags;
	char *name;			/* NULL: the policy tests no names */
	struct domain_key *keys;
	size_t nkeys;
	struct verdict v;
};

struct decision_cache {
	struct mru list;		/* of struct entry */
	struct check_cache *checks;	/* for the questions not asked before */
	size_t asked, reused;
};

static void entry_free(void *p)
{
	struct entry *e = p;

	for (size_t i = 0; i < e->nkeys; i++) {
		free((char *)e->keys[i].path);
		free((char *)e->keys[i].value);
	}
	free(e->keys);
	free(e->name);
	free(e->bytes);
	verdict_free(&e->v);
	free(e);
}

struct decision_cache *decision_cache_new(size_t max_entries, size_t max_bytes)
{
	struct decision_cache *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	if (mru_init(&c->list, max_entries, max_bytes, entry_free) < 0 ||
	    !(c->checks = check_cache_new(max_entries, max_bytes))) {
		mru_fini(&c->list);
		free(c);
		return NULL;
	}
	return c;
}

void decision_cache_clear(struct decision_cache *c)
{
	if (!c)
		return;
	mru_clear(&c->list);
	check_cache_clear(c->checks);
}

void decision_cache_free(struct decision_cache *c)
{
	if (!c)
		return;
	mru_fini(&c->list);
	check_cache_free(c->checks);
	free(c);
}

static bool same_text(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

static bool same_question(const struct entry *e, const uint8_t *buf, size_t len,
			  long long count, const struct domain_facts *d, unsigned flags)
{
	if (e->len != len || e->count != count || e->flags != flags || e->nkeys != d->nkeys)
		return false;
	if (e->name && !same_text(e->name, d->name ? d->name : ""))
		return false;
	for (size_t i = 0; i < d->nkeys; i++)
		if (!same_text(e->keys[i].path, d->keys[i].path) ||
		    !same_text(e->keys[i].value, d->keys[i].value))
			return false;
	return memcmp(e->bytes, buf, len) == 0;
}

/* A copy of src, whose area (when approved) holds len bytes. */
static int verdict_copy(struct verdict *dst, const struct verdict *src, size_t len)
{
	*dst = *src;
	dst->blobs = NULL;
	dst->area = NULL;
	if (src->nblobs &&
	    !(dst->blobs = malloc(src->nblobs * sizeof(*src->blobs))))
		goto fail;
	if (src->nblobs)
		memcpy(dst->blobs, src->blobs, src->nblobs * sizeof(*src->blobs));
	if (src->area && !(dst->area = malloc(len ? len : 1)))
		goto fail;
	if (src->area)
		memcpy(dst->area, src->area, len);
	return 0;
fail:
	verdict_free(dst);
	return -1;
}

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

static void keep(struct decision_cache *c, const struct policy *p, const uint8_t *buf,
		 size_t len, long long count, const struct domain_facts *d, unsigned flags,
		 const struct verdict *v)
{
	size_t cost = len + (v->area ? len : 0) + v->nblobs * sizeof(*v->blobs);
	struct entry *e;

	if (!mru_fits(&c->list, cost) || !(e = calloc(1, sizeof(*e))))
		return;
	e->len = len;
	e->count = count;
	e->flags = flags;
	if (!(e->bytes = malloc(len ? len : 1)) ||
	    (policy_tests_domain_name(p) && !(e->name = strdup(d->name ? d->name : ""))) ||
	    (d->nkeys && !(e->keys = calloc(d->nkeys, sizeof(*e->keys)))))
		goto fail;
	memcpy(e->bytes, buf, len);
	for (; e->nkeys < d->nkeys; e->nkeys++) {
		const struct domain_key *k = &d->keys[e->nkeys];
		struct domain_key *to = &e->keys[e->nkeys];

		to->path = dup_or_null(k->path);
		to->value = dup_or_null(k->value);
		if ((k->path && !to->path) || (k->value && !to->value)) {
			e->nkeys++;
			goto fail;
		}
	}
	if (verdict_copy(&e->v, v, len) < 0)
		goto fail;
	mru_push(&c->list, e, cost);
	return;
fail:
	entry_free(e);
}

int evaluate_cached(struct decision_cache *c, const struct policy *p, const uint8_t *buf,
		    size_t len, long long count, const struct domain_facts *d, unsigned flags,
		    struct verdict *v, bool *hit)
{
	*hit = false;
	if (c)
		c->asked++;
	for (size_t i = 0; c && i < c->list.n; i++) {
		struct entry *e = c->list.e[i];

		if (!same_question(e, buf, len, count, d, flags))
			continue;
		if (verdict_copy(v, &e->v, len) < 0)
			return -1;
		mru_touch(&c->list, i);
		c->reused++;
		*hit = true;
		return 0;
	}
	if (evaluate_checked(p, buf, len, count, d, flags, c ? c->checks : NULL, v) < 0)
		return -1;
	if (c)
		keep(c, p, buf, len, count, d, flags, v);
	return 0;
}

void decision_cache_counts(const struct decision_cache *c, size_t *asked, size_t *reused)
{
	*asked = c ? c->asked : 0;
	*reused = c ? c->reused : 0;
}
