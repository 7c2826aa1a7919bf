// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Xen's console ring (what `xl dmesg` shows), hvmloader's "(dN)" lines
 * among it.
 *
 *   xen-console              print the ring once
 *   xen-console -f FILE      follow it: append what Xen writes to FILE,
 *                            checking twice a second, until killed; after
 *                            each check FILE.sync's mtime says when FILE
 *                            last held all of the ring
 *
 * The scenarios grep the file the follower writes: reading a file never
 * blocks, whereas a console-ring hypercall was seen to stay in the kernel,
 * unkillable, for minutes on this emulated host (Debian's `xl dmesg` hung
 * the same way).  The ring is read incrementally, 64 KiB per hypercall, so
 * that each call bounces little memory and copies only what is new.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xenctrl.h>

#define CHUNK (64u << 10)

/* Copy what Xen has written since *index to out; 0 when caught up. */
static int drain(xc_interface *xch, unsigned int *index, FILE *out)
{
	static char buf[CHUNK];

	for (;;) {
		unsigned int n = sizeof(buf);

		if (xc_readconsolering(xch, buf, &n, 0, 1, index)) {
			fprintf(stderr, "xen-console: xc_readconsolering: %s\n", strerror(errno));
			return -1;
		}
		if (n == 0)
			return fflush(out) ? -1 : 0;
		if (fwrite(buf, 1, n, out) != n)
			return -1;
	}
}

int main(int argc, char **argv)
{
	xc_interface *xch = xc_interface_open(NULL, NULL, 0);
	unsigned int index = 0;
	FILE *out = stdout;
	int rc;

	if (!xch) {
		fprintf(stderr, "xen-console: %s\n", strerror(errno));
		return 1;
	}
	if (argc == 3 && !strcmp(argv[1], "-f")) {
		char sync_path[4096];
		int sync_fd;

		snprintf(sync_path, sizeof(sync_path), "%s.sync", argv[2]);
		out = fopen(argv[2], "a");
		sync_fd = open(sync_path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
		if (!out || sync_fd < 0) {
			fprintf(stderr, "xen-console: %s: %s\n", argv[2], strerror(errno));
			return 1;
		}
		while ((rc = drain(xch, &index, out)) == 0) {
			futimens(sync_fd, NULL);
			usleep(500 * 1000);
		}
	} else {
		rc = drain(xch, &index, out);
	}
	xc_interface_close(xch);
	return rc ? 1 : 0;
}
