/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Files of Debian's xen-utils-4.17 (oxenstored, hvmloader) for the tests,
 * from the cache that tests/sim/get-oxenstored.sh fills: that script alone
 * knows the cache's layout, so this asks it.
 */
#ifndef DMACPI_TESTS_XENFILE_H
#define DMACPI_TESTS_XENFILE_H

#include <stddef.h>

/* The path of FILE (relative to the package's /usr/lib/xen-4.17, e.g.
 * "boot/hvmloader") in BUF; NULL file means oxenstored, honouring
 * DMACPI_OXENSTORED.  0, or -1 when it cannot be had (the script says why
 * on stderr). */
int xen_file(const char *file, char *buf, size_t len);

#endif
