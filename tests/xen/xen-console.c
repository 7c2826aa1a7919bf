// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Print Xen's console ring (what `xl dmesg` shows), hvmloader's "(dN)"
 * lines among it.  The tests read the ring with one xc_readconsolering()
 * into a buffer as large as the ring instead of running `xl dmesg`, whose
 * line reader in Debian's libxl 4.17 was seen to hang on this host.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xenctrl.h>

#define RING_MAX (16u << 20)

int main(void)
{
	xc_interface *xch = xc_interface_open(NULL, NULL, 0);
	unsigned int n = RING_MAX;
	char *buf = malloc(RING_MAX);

	if (!xch || !buf) {
		fprintf(stderr, "xen-console: %s\n", strerror(errno));
		return 1;
	}
	if (xc_readconsolering(xch, buf, &n, 0, 0, NULL)) {
		fprintf(stderr, "xc_readconsolering: %s\n", strerror(errno));
		return 1;
	}
	if (n > RING_MAX)
		n = RING_MAX;
	fwrite(buf, 1, n, stdout);
	free(buf);
	xc_interface_close(xch);
	return ferror(stdout) ? 1 : 0;
}
