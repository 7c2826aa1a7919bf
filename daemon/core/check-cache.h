/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The built-in checks of AML blobs already made, reused.  What
 * validate_blob() says of a blob is a function of its type, its bytes and
 * Xen's namespace alone, and where the blob sits in the area moves only
 * the offsets.  Areas that differ elsewhere (another NFIT, another count)
 * or decisions that differ in the domain facts the policy tests (a rule on
 * the domain's name) often carry byte-identical AML, and parsing it is
 * most of a decision's cost: a repeat costs a comparison of the bytes and
 * a copy of the checks.  Only device blobs and AML tables are kept (the
 * rest is cheap to check); bytes are compared in full, never by a hash;
 * the cache is bounded in entries and bytes.
 */
#ifndef DMACPI_CHECK_CACHE_H
#define DMACPI_CHECK_CACHE_H

#include <stddef.h>

#include "validate.h"

struct check_cache;

/* At most max_entries blobs' checks and max_bytes held (a blob whose
 * entry would take more than a quarter of that is never kept).  NULL on
 * allocation failure. */
struct check_cache *check_cache_new(size_t max_entries, size_t max_bytes);
void check_cache_free(struct check_cache *c);
/* Forget everything: Xen's namespace the checks used may be gone. */
void check_cache_clear(struct check_cache *c);

/* validate_blob(), answered from c when it checked the same blob against
 * the same xen (the same namespace, not one made since at its address:
 * ns_serial()) since the last clear, else checked and kept.  c may be
 * NULL.  out is the caller's either way (blob_check_free()). */
void check_cache_validate(struct check_cache *c, const struct blob *b, const struct ns *xen,
			  struct blob_check *out);

/* Answers taken from the cache and checks made, since it was made. */
void check_cache_counts(const struct check_cache *c, size_t *hits, size_t *misses);

#endif
