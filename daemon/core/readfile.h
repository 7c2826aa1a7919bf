/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef DMACPI_READFILE_H
#define DMACPI_READFILE_H

#include <stddef.h>
#include <stdint.h>

/*
 * Read a whole regular file of at most max bytes.  Returns 0, or -1 with
 * errno set (EFBIG when larger than max, EINVAL when not a regular file:
 * a FIFO, a device); *buf is malloc'd (never NULL on success, even for an
 * empty file).
 */
int read_file(const char *path, size_t max, uint8_t **buf, size_t *len);
/*
 * The start time of process pid (/proc/PID/stat's field 22): with the pid
 * it names one process, which a pid alone does not once that process is
 * gone.  Returns 0, or -1 with errno set (ESRCH: no such process).
 */
int proc_start_time(long pid, uint64_t *start);
/* strerror() for read_file()'s errno. */
const char *read_file_strerror(int err);

#endif
