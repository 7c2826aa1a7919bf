// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "readfile.h"
#include "text.h"

int read_file(const char *path, size_t max, uint8_t **buf, size_t *len)
{
	struct stat st;
	uint8_t *p;
	size_t got = 0;
	int fd, saved;

	/* Not blocking in open(): a FIFO (in policy.d, say) would wait for a
	 * writer, and the daemon's loop with it; it is refused below. */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) < 0)
		goto fail;
	if (!S_ISREG(st.st_mode)) {
		/* A pipe or a device has no size to trust: never read as empty. */
		errno = S_ISDIR(st.st_mode) ? EISDIR : EINVAL;
		goto fail;
	}
	if (st.st_size < 0 || (uint64_t)st.st_size > max) {
		errno = EFBIG;
		goto fail;
	}
	p = malloc((size_t)st.st_size + 1);
	if (!p)
		goto fail;
	while (got < (size_t)st.st_size) {
		ssize_t r = read(fd, p + got, (size_t)st.st_size - got);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			saved = r < 0 ? errno : EIO;
			free(p);
			close(fd);
			errno = saved;
			return -1;
		}
		got += (size_t)r;
	}
	p[got] = 0;	/* convenient for text files; not counted */
	close(fd);
	*buf = p;
	*len = got;
	return 0;
fail:
	saved = errno;
	close(fd);
	errno = saved;
	return -1;
}

int proc_start_time(long pid, uint64_t *start)
{
	char path[40], line[1024];
	FILE *fp;
	bool ok;

	/* /proc's files have no size: read_file() would see them empty. */
	snprintf(path, sizeof(path), "/proc/%ld/stat", pid);
	fp = fopen(path, "re");
	if (!fp) {
		if (errno == ENOENT)
			errno = ESRCH;
		return -1;
	}
	ok = fgets(line, sizeof(line), fp) && proc_stat_start(line, start);
	fclose(fp);
	if (!ok) {
		errno = EIO;
		return -1;
	}
	return 0;
}

const char *read_file_strerror(int err)
{
	return err == EINVAL ? "not a regular file" : strerror(err);
}
