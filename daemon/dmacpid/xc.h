/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The hypervisor calls, in the one file that uses libxenctrl (its ABI
 * changes with every Xen release; libxenstore's and libxenforeignmemory's
 * do not).
 */
#ifndef DMACPID_XC_H
#define DMACPID_XC_H

#include <stddef.h>
#include <stdint.h>

struct hyp;

struct hyp_domain {
	unsigned domid;
	uint8_t handle[16];
};

struct hyp *hyp_open(void);
void hyp_close(struct hyp *h);
/* Every live (not dying) HVM domain other than dom0, sorted by domid.
 * *out is malloc'd.  Returns 0, or -1 with errno set. */
int hyp_list_hvm(struct hyp *h, struct hyp_domain **out, size_t *n);
/* 1 when domid is a live HVM domain with this handle, 0 when not, -1 on error. */
int hyp_domain_alive(struct hyp *h, unsigned domid, const uint8_t handle[16]);
int hyp_pause(struct hyp *h, unsigned domid);
int hyp_unpause(struct hyp *h, unsigned domid);

#endif
