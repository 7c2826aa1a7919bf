// SPDX-License-Identifier: GPL-2.0-or-later
/* Foreign mappings of a guest's blob area. */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <xenforeignmemory.h>

#include "guestmem.h"

#define GUEST_PAGE_SHIFT 12
#define GUEST_PAGE_SIZE (1u << GUEST_PAGE_SHIFT)

struct guestmem {
	xenforeignmemory_handle *fmem;
};

struct guestmem *guestmem_open(void)
{
	struct guestmem *g = calloc(1, sizeof(*g));

	if (!g)
		return NULL;
	g->fmem = xenforeignmemory_open(NULL, 0);
	if (!g->fmem) {
		free(g);
		return NULL;
	}
	return g;
}

void guestmem_close(struct guestmem *g)
{
	if (!g)
		return;
	xenforeignmemory_close(g->fmem);
	free(g);
}

int guestmem_map(struct guestmem *g, unsigned domid, uint64_t address, size_t length,
		 struct guestmem_area *a, char *why, size_t whylen)
{
	uint64_t first = address >> GUEST_PAGE_SHIFT;
	uint64_t offset = address & (GUEST_PAGE_SIZE - 1);
	size_t pages;
	xen_pfn_t *pfns;
	int *errs;
	void *map;

	memset(a, 0, sizeof(*a));
	/* The caller bounds length by max-area; this only guards the sum. */
	if (length == 0 || length > SIZE_MAX - offset - GUEST_PAGE_SIZE) {
		snprintf(why, whylen, "area length out of range");
		errno = EINVAL;
		return -1;
	}
	pages = (size_t)((offset + length + GUEST_PAGE_SIZE - 1) >> GUEST_PAGE_SHIFT);
	pfns = calloc(pages, sizeof(*pfns));
	errs = calloc(pages, sizeof(*errs));
	if (!pfns || !errs) {
		free(pfns);
		free(errs);
		snprintf(why, whylen, "out of memory");
		errno = ENOMEM;
		return -1;
	}
	for (size_t i = 0; i < pages; i++)
		pfns[i] = (xen_pfn_t)(first + i);
	map = xenforeignmemory_map(g->fmem, domid, PROT_READ | PROT_WRITE, pages, pfns, errs);
	if (!map) {
		int saved = errno;

		snprintf(why, whylen, "cannot map the area at 0x%" PRIx64 ": %s", address,
			 strerror(saved));
		free(pfns);
		free(errs);
		errno = saved;
		return -1;
	}
	for (size_t i = 0; i < pages; i++) {
		if (errs[i]) {
			snprintf(why, whylen, "frame 0x%" PRIx64 " of the area is not guest RAM (%s)",
				 (uint64_t)pfns[i], strerror(-errs[i] > 0 ? -errs[i] : errs[i]));
			xenforeignmemory_unmap(g->fmem, map, pages);
			free(pfns);
			free(errs);
			errno = EFAULT;
			return -1;
		}
	}
	free(pfns);
	free(errs);
	a->mapping = map;
	a->pages = pages;
	a->bytes = (uint8_t *)map + offset;
	a->length = length;
	return 0;
}

void guestmem_unmap(struct guestmem *g, struct guestmem_area *a)
{
	if (a->mapping)
		xenforeignmemory_unmap(g->fmem, a->mapping, a->pages);
	memset(a, 0, sizeof(*a));
}
