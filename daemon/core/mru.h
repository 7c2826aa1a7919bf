/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A short list of cache entries, most recently used first, bounded in
 * entries and in the bytes they hold.  The caches built on it hold a few
 * dozen entries compared in full: a scan of this list beats any index at
 * that size.  What an entry is and how it is freed is the cache's.
 */
#ifndef DMACPI_MRU_H
#define DMACPI_MRU_H

#include <stdbool.h>
#include <stddef.h>

struct mru {
	void **e;		/* [0] most recently used */
	size_t *cost;		/* bytes each holds */
	size_t n, max, bytes, max_bytes;
	void (*drop)(void *entry);
};

/* At most max_entries entries and max_bytes in all; drop frees an entry
 * the list lets go of.  -1 on allocation failure. */
int mru_init(struct mru *m, size_t max_entries, size_t max_bytes, void (*drop)(void *entry));
void mru_fini(struct mru *m);
void mru_clear(struct mru *m);

/* Whether an entry of this cost may be kept: never one over a quarter of
 * the bytes, which would push out most of the others. */
bool mru_fits(const struct mru *m, size_t cost);
/* Put e first, dropping the least recently used to make room.  The caller
 * has checked mru_fits(). */
void mru_push(struct mru *m, void *e, size_t cost);
/* Entry i was used: move it first. */
void mru_touch(struct mru *m, size_t i);

#endif
