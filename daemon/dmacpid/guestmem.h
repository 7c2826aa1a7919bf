/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Guest memory through libxenforeignmemory: map the blob area, copy it out
 * once, write the approved bytes back. */
#ifndef DMACPID_GUESTMEM_H
#define DMACPID_GUESTMEM_H

#include <stddef.h>
#include <stdint.h>

struct guestmem;

struct guestmem_area {
	void *mapping;
	size_t pages;
	uint8_t *bytes;		/* the area inside the mapping */
	size_t length;
};

struct guestmem *guestmem_open(void);
void guestmem_close(struct guestmem *g);
/*
 * Map [address, address + length) of domid read/write.  Every frame must
 * map.  Returns 0, or -1 with a one-line reason in why (errno ESRCH when
 * the domain is gone).
 */
int guestmem_map(struct guestmem *g, unsigned domid, uint64_t address, size_t length,
		 struct guestmem_area *a, char *why, size_t whylen);
void guestmem_unmap(struct guestmem *g, struct guestmem_area *a);

#endif
