/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A simulated domain as xc_domain_getinfolist() reports it, for the two
 * preloads that answer that call: the hypervisor's (dmacpid's) and
 * oxenstored's.
 */
#ifndef XENSIM_DOMINFO_H
#define XENSIM_DOMINFO_H

#include <string.h>
#include <xenctrl.h>

#include "domtable.h"

static inline void simdom_info(const struct simdom *d, xc_domaininfo_t *info)
{
	memset(info, 0, sizeof(*info));
	info->domain = (domid_t)d->domid;
	info->flags = (d->flags & SIMDOM_HVM ? XEN_DOMINF_hvm_guest | XEN_DOMINF_hap : 0) |
		      (d->flags & SIMDOM_DYING ? XEN_DOMINF_dying : 0) |
		      (d->flags & SIMDOM_SHUTDOWN ? XEN_DOMINF_shutdown : 0) |
		      (d->pause ? XEN_DOMINF_paused : XEN_DOMINF_running);
	info->tot_pages = d->ram / SIM_PAGE_SIZE;
	info->max_pages = d->ram / SIM_PAGE_SIZE;
	info->nr_online_vcpus = 1;
	info->handle[15] = (uint8_t)d->domid;
}

#endif
