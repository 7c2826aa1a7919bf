/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The verdict node /local/domain/D/hvmloader/dm-acpi-verdict (SPEC
 * section 3): written in one transaction, owned by dom0, readable by D and
 * its device-model domain only.
 */
#ifndef DMACPID_VERDICT_H
#define DMACPID_VERDICT_H

#include <stdbool.h>
#include <stdint.h>

#include "daemon.h"

struct verdict_record {
	enum vstate state;
	uint64_t address, length, count, dropped;
	uint32_t checksum;
	const char *input;		/* "address:length:count" answered */
	const char *reason;		/* rejected, error */
};

/*
 * Write r for d, replacing whatever node is there: a decision as the next
 * generation, pending under the last decision's.
 * Returns 0, or -1 with errno set (the connection may be gone).
 */
int verdict_write(struct daemon *dm, struct domain *d, unsigned dm_domid,
		  const struct verdict_record *r);
/* Take over a verdict a previous instance wrote, when its permissions are
 * exactly ours: its state, input and generation. */
void verdict_adopt(struct daemon *dm, struct domain *d, unsigned dm_domid);

#endif
