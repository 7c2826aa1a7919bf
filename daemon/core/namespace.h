/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A namespace: a set of normalized absolute names (see aml.h) with their
 * object types and method argument counts.  Xen's namespace is built by
 * walking the DSDT/SSDTs embedded in hvmloader (or .aml files); the
 * evaluator builds one per decision from the approved blobs.
 */
#ifndef DMACPI_NAMESPACE_H
#define DMACPI_NAMESPACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "aml.h"
#include "findings.h"

struct ns;

struct ns_entry {
	const char *path;
	uint8_t type;		/* enum aml_obj_type */
	uint8_t argc;
};

struct ns *ns_new(void);
void ns_free(struct ns *ns);
size_t ns_count(const struct ns *ns);
/* A number no other namespace made by this process has had, even one at
 * the same address after this one is freed: for caches of what was
 * decided against it. */
uint64_t ns_serial(const struct ns *ns);

/* Returns 1 when added, 0 when the name already existed, -1 on no memory. */
int ns_add(struct ns *ns, const char *path, uint8_t type, uint8_t argc);
const struct ns_entry *ns_get(const struct ns *ns, const char *path);
/* The same on a path given as NameSegs (see aml_object). */
int ns_add_segs(struct ns *ns, const uint32_t *segs, size_t n, uint8_t type, uint8_t argc);
const struct ns_entry *ns_get_segs(const struct ns *ns, const uint32_t *segs, size_t n);
/* Add every object of info (AML_OBJ_EXTERNAL entries excepted). */
int ns_add_info(struct ns *ns, const struct aml_info *info);

/*
 * ACPI name search (ACPI 6.5 section 5.3): a single bare NameSeg is looked
 * up in scope, then in each parent scope up to the root; any other name
 * ("\" prefix, "^" prefixes, or several segments) only at its exact place.
 * Searches every namespace in spaces[]; writes the absolute path found into
 * out (AML_PATH_MAX bytes) when out is not NULL.
 */
bool ns_resolve(const struct ns *const *spaces, size_t nspaces, const char *scope,
		const char *name, char *out);

/*
 * Load the AML tables found in a file's bytes: a lone DSDT/SSDT (.aml), or
 * an hvmloader image scanned for embedded DSDT and SSDT tables (signature,
 * length within the image, byte sum zero).  DSDTs are walked first, then
 * SSDTs, each with the namespace built so far supplying method argument
 * counts.  Returns the number of tables loaded, or -1 with findings when
 * none is found or one fails to parse.
 */
int ns_load_image(struct ns *ns, const uint8_t *img, size_t len, struct findings *f);

/* Call fn for every entry in sorted order of path. */
void ns_foreach_sorted(const struct ns *ns,
		       void (*fn)(const struct ns_entry *e, void *ctx), void *ctx);

/*
 * Lower-level interface for the AML parser, which looks names up far more
 * often than it adds them.  A path is a sequence of NameSegs, each held as
 * the uint32_t that memcpy() of its 4 bytes gives; the root has none.  The
 * hash is built one segment at a time, so a parser can keep the hashes of
 * its scope's prefixes and look up "prefix + name" without building
 * strings.
 */
#define NS_HASH_ROOT 0x84222325cbf29ce4ULL
static inline uint64_t ns_hash_seg(uint64_t h, uint32_t seg)
{
	return (h ^ seg) * 0x9e3779b97f4a7c15ULL;
}
/* The entry whose path is a[0..na) followed by the nb raw 4-byte segments at b. */
const struct ns_entry *ns_get_parts(const struct ns *ns, uint64_t hash, const uint32_t *a,
				    size_t na, const uint8_t *b, size_t nb);
/* The same entry, writable: for the parser's marks in its own namespace. */
struct ns_entry *ns_get_parts_mut(struct ns *ns, uint64_t hash, const uint32_t *a, size_t na,
				  const uint8_t *b, size_t nb);
/* ns_add() on the same two-part path; returns as ns_add(). */
int ns_add_parts(struct ns *ns, uint64_t hash, const uint32_t *a, size_t na, const uint8_t *b,
		 size_t nb, uint8_t type, uint8_t argc);
/* Drop every entry but the first count (in the order added), to fill a
 * pathless namespace again; its serial changes. */
void ns_truncate(struct ns *ns, size_t count);
/* A namespace whose entries carry no path string (path is NULL): for
 * lookups only, never printed.  Cheaper to fill; expect sizes the table. */
struct ns *ns_new_pathless(size_t expect);

#endif
