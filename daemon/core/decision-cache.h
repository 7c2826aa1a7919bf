/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Decisions already made, reused.  A decision is a pure function of the
 * policy, the area's bytes, its count, the flags and the domain facts the
 * policy tests (its keys; its name only when a rule tests names).  Guests
 * started from one configuration get byte-identical areas from the device
 * model, so a host booting many of them decides the area once: a repeat
 * costs a comparison of the bytes and a copy of the verdict.  Every field
 * of the question is compared in full, never by a hash, so no device model
 * can make its area pass for another's; the cache is bounded in entries
 * and bytes, and an entry's answer is a copy the caller owns.
 */
#ifndef DMACPI_DECISION_CACHE_H
#define DMACPI_DECISION_CACHE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "evaluate.h"

struct decision_cache;

/* At most max_entries decisions and max_bytes of areas (an area larger
 * than a quarter of that is never kept), and as many again of blob checks:
 * a question not asked before still takes the checks of the AML blobs it
 * shares with earlier ones from there (check-cache.h).  NULL on
 * allocation failure. */
struct decision_cache *decision_cache_new(size_t max_entries, size_t max_bytes);
void decision_cache_free(struct decision_cache *c);
/* Forget every decision: the policy they were made under is gone. */
void decision_cache_clear(struct decision_cache *c);

/*
 * evaluate_ex() answered from c when the same question was asked under p
 * since the last clear (*hit true), else evaluated and kept.  c may be
 * NULL (no cache).  The caller clears c whenever the policy changes.
 */
int evaluate_cached(struct decision_cache *c, const struct policy *p, const uint8_t *buf,
		    size_t len, long long count, const struct domain_facts *d, unsigned flags,
		    struct verdict *v, bool *hit);

/* Decisions asked of c since it was made, and how many of them an
 * earlier answer gave (0 and 0 for NULL): a reload clears the answers,
 * not these counts. */
void decision_cache_counts(const struct decision_cache *c, size_t *asked, size_t *reused);

#endif
