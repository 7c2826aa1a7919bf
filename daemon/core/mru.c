// SPDX-License-Identifier: GPL-2.0-or-later
/* A bounded most-recently-used list (see mru.h). */
#include <stdlib.h>
#include <string.h>

#include "mru.h"

int mru_init(struct mru *m, size_t max_entries, size_t max_bytes, void (*drop)(void *entry))
{
	size_t slots = max_entries ? max_entries : 1;

	memset(m, 0, sizeof(*m));
	m->e = calloc(slots, sizeof(*m->e));
	m->cost = calloc(slots, sizeof(*m->cost));
	if (!m->e || !m->cost) {
		mru_fini(m);
		return -1;
	}
	m->max = max_entries;
	m->max_bytes = max_bytes;
	m->drop = drop;
	return 0;
}

static void drop_last(struct mru *m)
{
	m->n--;
	m->bytes -= m->cost[m->n];
	m->drop(m->e[m->n]);
}

void mru_clear(struct mru *m)
{
	while (m->n)
		drop_last(m);
}

void mru_fini(struct mru *m)
{
	mru_clear(m);
	free(m->e);
	free(m->cost);
	m->e = NULL;
	m->cost = NULL;
}

bool mru_fits(const struct mru *m, size_t cost)
{
	return m->max && cost <= m->max_bytes / 4;
}

void mru_push(struct mru *m, void *e, size_t cost)
{
	while (m->n && (m->n == m->max || m->bytes + cost > m->max_bytes))
		drop_last(m);
	memmove(m->e + 1, m->e, m->n * sizeof(*m->e));
	memmove(m->cost + 1, m->cost, m->n * sizeof(*m->cost));
	m->e[0] = e;
	m->cost[0] = cost;
	m->n++;
	m->bytes += cost;
}

void mru_touch(struct mru *m, size_t i)
{
	void *e = m->e[i];
	size_t cost = m->cost[i];

	memmove(m->e + 1, m->e, i * sizeof(*m->e));
	memmove(m->cost + 1, m->cost, i * sizeof(*m->cost));
	m->e[0] = e;
	m->cost[0] = cost;
}
