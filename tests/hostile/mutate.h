/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Malformed blob areas made from real ones: a deterministic mutator.  Mutant
 * number i of seed s is always the same bytes, so any one of a run can be
 * made again on its own.
 */
#ifndef DMACPI_HOSTILE_MUTATE_H
#define DMACPI_HOSTILE_MUTATE_H

#include <stddef.h>
#include <stdint.h>

enum mutation {
	MUT_TRUNCATE,		/* cut the area, or a blob (chain kept), or a table (lengths kept) */
	MUT_BLOB_SIZE,		/* a blob header's size */
	MUT_BLOB_TYPE,		/* a blob header's type */
	MUT_ACPI_LENGTH,	/* a table header's Length */
	MUT_ACPI_HEADER,	/* signature, ids, checksum, revision */
	MUT_NFIT,		/* an NFIT structure's type, length, indices, reserved bytes */
	MUT_AML_OPCODE,		/* an AML byte becomes another opcode, or two swap */
	MUT_NAMESEG,		/* a NameSeg made invalid, or another (colliding) name */
	MUT_PKGLEN,		/* a PkgLength made too long, too short, or mis-encoded */
	MUT_NESTED_PKGLEN,	/* an inner PkgLength running past its outer one */
	MUT_COUNT,		/* the count input disagrees */
	MUT_BYTES,		/* a few random bytes */
	MUT_SPLICE,		/* blobs duplicated, borrowed from another seed, dropped, swapped */
	MUT_SHIFT,		/* bytes inserted into or removed from a blob */
	MUT_COUNT_OF_KINDS
};

struct seed_area {
	const uint8_t *buf;
	size_t len;
};

struct mutant {
	uint8_t *buf;
	size_t len, cap;
	long long count;	/* the count input, -1 when absent */
	unsigned kinds;		/* 1u << enum mutation, for each applied */
	size_t seed;		/* which seed area it came from */
};

/* Make mutant `index` of run `run_seed`; 0, or -1 when out of memory.  The
 * area is never empty and at most 1 MiB. */
int mutant_make(const struct seed_area *seeds, size_t nseeds, uint64_t run_seed, uint64_t index,
		struct mutant *m);
void mutant_free(struct mutant *m);
const char *mutation_name(enum mutation k);

#endif
