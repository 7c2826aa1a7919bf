/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Carve the devices under \_SB out of an SSDT into device blobs, as a device
 * model would hand them over (`dmacpictl pack --devices-from`).
 */
#ifndef DMACPI_CARVE_H
#define DMACPI_CARVE_H

#include <stddef.h>
#include <stdint.h>

#include "findings.h"

struct carved_device {
	char name[5];
	uint8_t *body;		/* malloc'd TermList of the device body */
	size_t len;
};

/*
 * For each Device directly under \_SB (by Scope (\_SB) or an absolute
 * name), emit its body.  Root-level Name objects the device references by a
 * single NameSeg (QEMU's NVDR reads MEMA, a Name at the SSDT's root) are
 * copied to the front of the body so the reference still resolves by the
 * upward search.  Returns the number of devices, -1 on malformed AML.
 */
int carve_devices(const uint8_t *table, size_t len, struct carved_device **out,
		  struct findings *f);
void carve_free(struct carved_device *devs, size_t n);

#endif
