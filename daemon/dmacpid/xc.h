/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The hypervisor calls, in the one file that uses libxenctrl (its ABI
 * changes with every Xen release; libxenstore's and libxenforeignmemory's
 * do not).
 */
#ifndef DMACPID_XC_H
#define DMACPID_XC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct hyp;

struct hyp_domain {
	unsigned domid;
	uint8_t handle[16];
	bool hvm;		/* XEN_DOMINF_hvm_guest: HVM (or PVH); else PV */
};

struct hyp *hyp_open(void);
void hyp_close(struct hyp *h);
/* Every live (not dying) domain from domid first on, dom0 excepted,
 * sorted by domid; hvm tells HVM guests apart.  *out is malloc'd.
 * Returns 0, or -1 with errno set. */
int hyp_list_from(struct hyp *h, unsigned first, struct hyp_domain **out, size_t *n);
/* 1 when domid is a live HVM domain with this handle, 0 when not, -1 on error. */
int hyp_domain_alive(struct hyp *h, unsigned domid, const uint8_t handle[16]);
/* 1 when that domain is paused (by anyone), 0 when not, -1 with errno
 * ESRCH when it is gone (or another domain has its id), other on error. */
int hyp_domain_paused(struct hyp *h, unsigned domid, const uint8_t handle[16]);
int hyp_pause(struct hyp *h, unsigned domid);
int hyp_unpause(struct hyp *h, unsigned domid);

#endif
