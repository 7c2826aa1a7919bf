/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Copies to and from a live guest's memory through foreign mappings. */
#ifndef DMACPI_XEN_GMEM_H
#define DMACPI_XEN_GMEM_H

#include <stddef.h>
#include <stdint.h>
#include <xenforeignmemory.h>

/* Copy LEN bytes at guest-physical ADDR of DOMID into BUF (0, or -1 with
 * errno and a message on stderr). */
int gmem_read(xenforeignmemory_handle *fmem, uint32_t domid, uint64_t addr, void *buf,
	      size_t len);
/* Copy LEN bytes from BUF to guest-physical ADDR of DOMID. */
int gmem_write(xenforeignmemory_handle *fmem, uint32_t domid, uint64_t addr,
	       const void *buf, size_t len);

#endif
