// SPDX-License-Identifier: GPL-2.0-or-later
/* libxenctrl: list domains, take and drop pause references. */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <xenctrl.h>

#include "xc.h"

#define LIST_BATCH 256

struct hyp {
	xc_interface *xch;
};

struct hyp *hyp_open(void)
{
	struct hyp *h = calloc(1, sizeof(*h));

	if (!h)
		return NULL;
	h->xch = xc_interface_open(NULL, NULL, 0);
	if (!h->xch) {
		free(h);
		return NULL;
	}
	return h;
}

void hyp_close(struct hyp *h)
{
	if (!h)
		return;
	xc_interface_close(h->xch);
	free(h);
}

static bool live_hvm(const xc_domaininfo_t *info)
{
	return (info->flags & XEN_DOMINF_hvm_guest) && !(info->flags & XEN_DOMINF_dying);
}

int hyp_list_from(struct hyp *h, unsigned first, struct hyp_domain **out, size_t *n)
{
	xc_domaininfo_t *info = calloc(LIST_BATCH, sizeof(*info));
	struct hyp_domain *list = NULL;
	size_t count = 0, cap = 0;
	unsigned next = first ? first : 1;	/* dom0 is never a guest of ours */

	if (!info)
		return -1;
	while (next < DOMID_FIRST_RESERVED) {
		int got = xc_domain_getinfolist(h->xch, next, LIST_BATCH, info);

		if (got < 0) {
			int saved = errno;

			free(info);
			free(list);
			errno = saved;
			return -1;
		}
		for (int i = 0; i < got; i++) {
			if ((info[i].flags & XEN_DOMINF_dying) || info[i].domain == 0)
				continue;
			if (count == cap) {
				size_t ncap = cap ? cap * 2 : 64;
				struct hyp_domain *nl = realloc(list, ncap * sizeof(*nl));

				if (!nl) {
					free(info);
					free(list);
					errno = ENOMEM;
					return -1;
				}
				list = nl;
				cap = ncap;
			}
			list[count].domid = info[i].domain;
			memcpy(list[count].handle, info[i].handle, sizeof(list[count].handle));
			list[count].hvm = live_hvm(&info[i]);
			count++;
		}
		if (got < LIST_BATCH)
			break;
		next = (unsigned)info[got - 1].domain + 1;
	}
	free(info);
	*out = list;
	*n = count;
	return 0;
}

int hyp_domain_alive(struct hyp *h, unsigned domid, const uint8_t handle[16])
{
	xc_domaininfo_t info;
	int got = xc_domain_getinfolist(h->xch, domid, 1, &info);

	if (got < 0)
		return -1;
	if (got == 0 || info.domain != domid || !live_hvm(&info))
		return 0;
	return memcmp(info.handle, handle, sizeof(info.handle)) == 0;
}

int hyp_domain_paused(struct hyp *h, unsigned domid, const uint8_t handle[16])
{
	xc_domaininfo_t info;
	int got = xc_domain_getinfolist(h->xch, domid, 1, &info);

	if (got < 0)
		return -1;
	if (got == 0 || info.domain != domid || memcmp(info.handle, handle, sizeof(info.handle))) {
		errno = ESRCH;
		return -1;
	}
	return (info.flags & XEN_DOMINF_paused) != 0;
}

int hyp_pause(struct hyp *h, unsigned domid)
{
	return xc_domain_pause(h->xch, domid);
}

int hyp_unpause(struct hyp *h, unsigned domid)
{
	return xc_domain_unpause(h->xch, domid);
}
