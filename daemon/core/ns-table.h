/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The hash table behind a namespace (namespace.c), here so that the AML
 * parser, which probes it for nearly every name it meets, can have the
 * probe inlined: a call and its frame cost as much as the probe itself.
 * Everything else goes through namespace.h.
 */
#ifndef DMACPI_NS_TABLE_H
#define DMACPI_NS_TABLE_H

#include <string.h>

#include "namespace.h"

#define NS_MAX_SEGS AML_MAX_SEGS
#define NS_BLOCK_SHIFT 10	/* entries per block: stable addresses */
#define NS_BLOCK (1u << NS_BLOCK_SHIFT)

struct ns_item {
	struct ns_entry e;
	uint64_t hash;
	uint32_t segoff;	/* into ns->segs */
	uint8_t nseg;
};

struct ns_chunk;

struct ns {
	struct ns_item **slots;	/* NULL empty: the item itself, one load from a probe */
	size_t cap;		/* power of two */
	unsigned shift;		/* 64 - log2(cap) */
	size_t count;
	struct ns_item **blocks;
	size_t nblocks;
	uint32_t *segs;
	size_t nsegs, segcap;
	struct ns_chunk *chunks;
	bool pathless;
	uint64_t serial;
};

static inline struct ns_item *ns_item_at(const struct ns *ns, uint32_t idx)
{
	return &ns->blocks[idx >> NS_BLOCK_SHIFT][idx & (NS_BLOCK - 1)];
}

/* The hash ends with a multiplication (ns_hash_seg): its top bits are the
 * best mixed. */
static inline size_t ns_slot_index(const struct ns *ns, uint64_t hash)
{
	return (size_t)(hash >> ns->shift);
}

static inline bool ns_item_matches(const struct ns *ns, const struct ns_item *it, uint64_t hash,
				   const uint32_t *a, size_t na, const uint8_t *b, size_t nb)
{
	const uint32_t *segs;

	if (it->hash != hash || it->nseg != na + nb)
		return false;
	segs = ns->segs + it->segoff;
	for (size_t i = 0; i < na; i++)
		if (segs[i] != a[i])
			return false;
	for (size_t i = 0; i < nb; i++) {
		uint32_t x;

		memcpy(&x, b + 4 * i, 4);
		if (segs[na + i] != x)
			return false;
	}
	return true;
}

/* ns_get_parts(), inlined. */
static inline __attribute__((always_inline)) const struct ns_entry *
ns_find(const struct ns *ns, uint64_t hash, const uint32_t *a, size_t na, const uint8_t *b,
	size_t nb)
{
	size_t i = ns_slot_index(ns, hash);

	while (ns->slots[i]) {
		const struct ns_item *it = ns->slots[i];

		if (ns_item_matches(ns, it, hash, a, na, b, nb))
			return &it->e;
		i = (i + 1) & (ns->cap - 1);
	}
	return NULL;
}

#endif
