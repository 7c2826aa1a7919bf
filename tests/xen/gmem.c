// SPDX-License-Identifier: GPL-2.0-or-later
/* Copies to and from a live guest's memory, mapped the way QEMU maps it as
 * Xen's device model: xenforeignmemory_map of the frames that hold the range. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "gmem.h"

#define PAGE_SHIFT 12
#define PAGE_SIZE (1u << PAGE_SHIFT)
#define MAX_COPY (64u << 20)

static void *map_range(xenforeignmemory_handle *fmem, uint32_t domid, uint64_t addr,
		       size_t len, int prot, size_t *pages_out)
{
	uint64_t first = addr >> PAGE_SHIFT;
	size_t off = addr & (PAGE_SIZE - 1), pages;
	xen_pfn_t *pfns;
	int *errs;
	void *map;

	if (len == 0 || len > MAX_COPY || addr > UINT64_MAX - len) {
		errno = EINVAL;
		fprintf(stderr, "guest range 0x%" PRIx64 "+%zu out of bounds\n", addr, len);
		return NULL;
	}
	pages = (off + len + PAGE_SIZE - 1) >> PAGE_SHIFT;
	pfns = calloc(pages, sizeof(*pfns));
	errs = calloc(pages, sizeof(*errs));
	if (!pfns || !errs) {
		free(pfns);
		free(errs);
		return NULL;
	}
	for (size_t i = 0; i < pages; i++)
		pfns[i] = (xen_pfn_t)(first + i);
	map = xenforeignmemory_map(fmem, domid, prot, pages, pfns, errs);
	if (map) {
		for (size_t i = 0; i < pages; i++) {
			if (errs[i]) {
				fprintf(stderr, "d%" PRIu32 ": frame 0x%" PRIx64 " not mapped: %s\n",
					domid, first + i, strerror(-errs[i]));
				xenforeignmemory_unmap(fmem, map, pages);
				map = NULL;
				errno = -errs[i];
				break;
			}
		}
	} else {
		fprintf(stderr, "d%" PRIu32 ": cannot map 0x%" PRIx64 "+%zu: %s\n", domid, addr,
			len, strerror(errno));
	}
	free(pfns);
	free(errs);
	*pages_out = pages;
	return map;
}

int gmem_read(xenforeignmemory_handle *fmem, uint32_t domid, uint64_t addr, void *buf,
	      size_t len)
{
	size_t pages;
	uint8_t *map = map_range(fmem, domid, addr, len, PROT_READ, &pages);

	if (!map)
		return -1;
	memcpy(buf, map + (addr & (PAGE_SIZE - 1)), len);
	xenforeignmemory_unmap(fmem, map, pages);
	return 0;
}

int gmem_write(xenforeignmemory_handle *fmem, uint32_t domid, uint64_t addr,
	       const void *buf, size_t len)
{
	size_t pages;
	uint8_t *map = map_range(fmem, domid, addr, len, PROT_READ | PROT_WRITE, &pages);

	if (!map)
		return -1;
	memcpy(map + (addr & (PAGE_SIZE - 1)), buf, len);
	xenforeignmemory_unmap(fmem, map, pages);
	return 0;
}
