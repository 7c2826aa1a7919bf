// SPDX-License-Identifier: GPL-2.0-or-later
/* Ask tests/sim/get-oxenstored.sh for a file of xen-utils-4.17. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "xenfile.h"

#ifndef DMACPI_GET_XEN
#define DMACPI_GET_XEN "tests/sim/get-oxenstored.sh"
#endif

int xen_file(const char *file, char *buf, size_t len)
{
	int fd[2], status;
	size_t n = 0;
	char chunk[256];
	ssize_t r;
	pid_t pid;

	if (len < 2 || pipe(fd) < 0)
		return -1;
	pid = fork();
	if (pid < 0) {
		close(fd[0]);
		close(fd[1]);
		return -1;
	}
	if (pid == 0) {
		dup2(fd[1], STDOUT_FILENO);
		close(fd[0]);
		close(fd[1]);
		if (file)
			execl("/bin/sh", "sh", DMACPI_GET_XEN, file, (char *)NULL);
		else
			execl("/bin/sh", "sh", DMACPI_GET_XEN, (char *)NULL);
		_exit(127);
	}
	close(fd[1]);
	/* Read to the end, so that the script never blocks on a full pipe. */
	while ((r = read(fd[0], chunk, sizeof(chunk))) != 0) {
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			break;
		if ((size_t)r > len - 1 - n)
			r = (ssize_t)(len - 1 - n);
		memcpy(buf + n, chunk, (size_t)r);
		n += (size_t)r;
	}
	close(fd[0]);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || buf[0] != '/')
		return -1;
	return 0;
}
