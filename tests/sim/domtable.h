/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The simulated host's domain table: the file "domains" in the state
 * directory, one line per domain:
 *
 *	domid flags pause-count ram-bytes dm-domid name
 *
 * flags is "-" or a comma list of hvm, dying, shutdown.  Writers take an
 * exclusive flock on "domains.lock" and replace the file with rename(2), so
 * readers never see a half-written table and need no lock.
 */
#ifndef XENSIM_DOMTABLE_H
#define XENSIM_DOMTABLE_H

#include <stddef.h>
#include <stdint.h>

#define SIMDOM_HVM	0x1u
#define SIMDOM_DYING	0x2u
#define SIMDOM_SHUTDOWN	0x4u

#define SIMDOM_NAME_MAX 64
#define SIMDOM_MAX 1024
#define SIM_PAGE_SIZE 4096u

struct simdom {
	uint32_t domid;
	unsigned int flags;
	unsigned int pause;
	uint64_t ram;
	uint32_t dm;
	char name[SIMDOM_NAME_MAX];
};

struct domtable {
	struct simdom v[SIMDOM_MAX];
	size_t n;
};

/* The state directory named by XENSIM_DIR, or NULL. */
const char *simdir(void);

/* Read the table (no lock).  Returns 0, or -1 with errno set. */
int domtable_load(const char *dir, struct domtable *t);
/*
 * Read-modify-write under the lock: fn edits the table and returns 0 to
 * save it, or -1 (with errno set) to abandon the change.
 */
int domtable_update(const char *dir, int (*fn)(struct domtable *t, void *arg), void *arg);
struct simdom *domtable_find(struct domtable *t, uint32_t domid);
/* For domtable_update, arg a uint32_t *domid: flag it dying (ESRCH when absent). */
int domtable_mark_dying(struct domtable *t, void *arg);
/* Remove the entry for domid; returns 0, or -1 when absent. */
int domtable_remove(struct domtable *t, uint32_t domid);

/*
 * Is guest frame pfn of domid listed in its holes file "domN.holes"
 * (lines "first-pfn count", numbers in C notation)?  1 yes, 0 no.
 */
int simdom_frame_is_hole(const char *dir, uint32_t domid, uint64_t pfn);

#endif
