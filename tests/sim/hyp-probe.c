// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Calls the libxenctrl and libxenforeignmemory functions dmacpid uses, the
 * way it uses them, and prints what they answer: the tests run it with the
 * simulated hypervisor preloaded.
 *
 *	hyp-probe list
 *	hyp-probe pause D | unpause D
 *	hyp-probe map D PFN...        one mapping, per-frame errors
 *	hyp-probe map-all D PFN...    the same without an error array
 *	hyp-probe poke D PFN OFFSET BYTE
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <xenctrl.h>
#include <xenforeignmemory.h>

#define MAX_FRAMES 64

static int list(xc_interface *xch)
{
	xc_domaininfo_t info[16];
	int n = xc_domain_getinfolist(xch, 0, 16, info), i;

	if (n < 0) {
		printf("error %s\n", strerror(errno));
		return 1;
	}
	for (i = 0; i < n; i++)
		printf("%u%s%s%s pages=%llu\n", info[i].domain,
		       info[i].flags & XEN_DOMINF_hvm_guest ? " hvm" : "",
		       info[i].flags & XEN_DOMINF_dying ? " dying" : "",
		       info[i].flags & XEN_DOMINF_paused ? " paused" : "",
		       (unsigned long long)info[i].tot_pages);
	return 0;
}

static int map(uint32_t dom, int argc, char **argv, int with_err, int poke)
{
	xenforeignmemory_handle *fmem = xenforeignmemory_open(NULL, 0);
	xen_pfn_t pfns[MAX_FRAMES];
	int err[MAX_FRAMES], n = poke ? 1 : argc, i;
	uint8_t *p;

	if (!fmem || n < 1 || n > MAX_FRAMES)
		return 2;
	for (i = 0; i < n; i++)
		pfns[i] = strtoull(argv[i], NULL, 0);
	p = xenforeignmemory_map(fmem, dom, PROT_READ | PROT_WRITE, (size_t)n, pfns,
				 with_err ? err : NULL);
	if (!p) {
		printf("NULL %s\n", strerror(errno));
		xenforeignmemory_close(fmem);
		return 1;
	}
	if (poke) {
		p[strtoul(argv[1], NULL, 0)] = (uint8_t)strtoul(argv[2], NULL, 0);
		printf("poked\n");
	} else {
		for (i = 0; i < n; i++)
			printf("%s%s", i ? " " : "", with_err && err[i] ? strerror(err[i]) : "ok");
		printf("\n");
	}
	xenforeignmemory_unmap(fmem, p, (size_t)n);
	xenforeignmemory_close(fmem);
	return 0;
}

int main(int argc, char **argv)
{
	xc_interface *xch = xc_interface_open(NULL, NULL, 0);
	uint32_t dom;
	int rc;

	if (!xch || argc < 2) {
		fprintf(stderr, "hyp-probe: no xc interface or no command\n");
		return 2;
	}
	dom = argc > 2 ? (uint32_t)strtoul(argv[2], NULL, 0) : 0;
	if (!strcmp(argv[1], "list")) {
		rc = list(xch);
	} else if (!strcmp(argv[1], "pause") || !strcmp(argv[1], "unpause")) {
		rc = argv[1][0] == 'p' ? xc_domain_pause(xch, dom) : xc_domain_unpause(xch, dom);
		printf("%s\n", rc ? strerror(errno) : "ok");
		rc = rc ? 1 : 0;
	} else if (!strcmp(argv[1], "map") && argc > 3) {
		rc = map(dom, argc - 3, argv + 3, 1, 0);
	} else if (!strcmp(argv[1], "map-all") && argc > 3) {
		rc = map(dom, argc - 3, argv + 3, 0, 0);
	} else if (!strcmp(argv[1], "poke") && argc == 6) {
		rc = map(dom, 3, argv + 3, 1, 1);
	} else {
		rc = 2;
	}
	xc_interface_close(xch);
	return rc;
}
