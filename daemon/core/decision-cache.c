// SPDX-License-Identifier: GPL-2.0-or-later
/* Decisions already made, reused (see decision-cache.h).  A few entries,
 * most recently used first: a scan beats any index at this size. */
#include <stdlib.h>
#include <string.h>

#include "check-cache.h"
#include "decision-cache.h"
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
	size_t cost;			/* bytes held */
};

struct decision_cache {
	struct entry **e;		/* [0] most recently used */
	size_t n, max, bytes, max_bytes;
	struct check_cache *checks;	/* for the questions not asked before */
};

struct decision_cache *decision_cache_new(size_t max_entries, size_t max_bytes)
{
	struct decision_cache *c = calloc(1, sizeof(*c));

	if (!c || !(c->e = calloc(max_entries ? max_entries : 1, sizeof(*c->e))) ||
	    !(c->checks = check_cache_new(max_entries, max_bytes))) {
		if (c)
			free(c->e);
		free(c);
		return NULL;
	}
	c->max = max_entries;
	c->max_bytes = max_bytes;
	return c;
}

static void entry_free(struct entry *e)
{
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

static void drop_last(struct decision_cache *c)
{
	struct entry *e = c->e[--c->n];

	c->bytes -= e->cost;
	entry_free(e);
}

void decision_cache_clear(struct decision_cache *c)
{
	while (c && c->n)
		drop_last(c);
	if (c)
		check_cache_clear(c->checks);
}

void decision_cache_free(struct decision_cache *c)
{
	if (!c)
		return;
	decision_cache_clear(c);
	check_cache_free(c->checks);
	free(c->e);
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

/* An allocation that failed inside the evaluation says nothing about the
 * bytes: such a decision is not kept. */
static bool short_of_memory(const struct verdict *v)
{
	if (strstr(v->reason, "out of memory"))
		return true;
	for (size_t i = 0; i < v->nblobs; i++)
		if (strstr(v->blobs[i].reason, "out of memory"))
			return true;
	return false;
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

	if (!c->max || cost > c->max_bytes / 4 || short_of_memory(v) ||
	    !(e = calloc(1, sizeof(*e))))
		return;
	e->len = len;
	e->count = count;
	e->flags = flags;
	e->cost = cost;
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
	while (c->n && (c->n == c->max || c->bytes + cost > c->max_bytes))
		drop_last(c);
	memmove(c->e + 1, c->e, c->n * sizeof(*c->e));
	c->e[0] = e;
	c->n++;
	c->bytes += cost;
	return;
fail:
	entry_free(e);
}

int evaluate_cached(struct decision_cache *c, const struct policy *p, const uint8_t *buf,
		    size_t len, long long count, const struct domain_facts *d, unsigned flags,
		    struct verdict *v, bool *hit)
{
	*hit = false;
	for (size_t i = 0; c && i < c->n; i++) {
		struct entry *e = c->e[i];

		if (!same_question(e, buf, len, count, d, flags))
			continue;
		if (verdict_copy(v, &e->v, len) < 0)
			return -1;
		memmove(c->e + 1, c->e, i * sizeof(*c->e));
		c->e[0] = e;
		*hit = true;
		return 0;
	}
	if (evaluate_checked(p, buf, len, count, d, flags, c ? c->checks : NULL, v) < 0)
		return -1;
	if (c)
		keep(c, p, buf, len, count, d, flags, v);
	return 0;
}
