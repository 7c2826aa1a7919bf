// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Guest RAM of the simulated host (tests/sim/README.md): the file
 * $XENSIM_DIR/domN.ram, guest-physical address = file offset.  Mapped
 * shared, like the daemon's foreign mapping of it, so a write here is seen
 * there at once: what a device model rewriting guest memory does.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hostile.h"

int guest_ram_open(unsigned domid, struct guest_ram *r)
{
	const char *dir = getenv("XENSIM_DIR");
	char path[PATH_MAX];
	struct stat st;
	void *map;
	int fd;

	memset(r, 0, sizeof(*r));
	if (!dir) {
		errno = ENOENT;
		return -1;
	}
	snprintf(path, sizeof(path), "%s/dom%u.ram", dir, domid);
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) || st.st_size <= 0) {
		close(fd);
		errno = EINVAL;
		return -1;
	}
	map = mmap(NULL, (size_t)st.st_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	if (map == MAP_FAILED)
		return -1;
	r->bytes = map;
	r->size = (size_t)st.st_size;
	return 0;
}

void guest_ram_close(struct guest_ram *r)
{
	if (r->bytes)
		munmap(r->bytes, r->size);
	memset(r, 0, sizeof(*r));
}
