/* SPDX-License-Identifier: GPL-2.0-or-later */
/* xensim: the simulated toolstack, device model and hvmloader. */
#ifndef XENSIM_H
#define XENSIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The default bound of every wait for an event (a verdict, a watch, the
 * host coming up): it only stops a hang, so a busy machine never hits it. */
#define XENSIM_WAIT_SECONDS 60

struct xs_handle;

/* Exit codes of hvmloader (and, where it fits, of the other commands). */
#define XS_EXIT_OK 0
#define XS_EXIT_REFUSED 1
#define XS_EXIT_USAGE 2
#define XS_EXIT_TIMEOUT 3

/* The state directory (XENSIM_DIR or -d). */
extern const char *sim_dir;

/* Connect as dom0 (as_domain < 0) or through domain as_domain's ring. */
struct xs_handle *sim_connect(long as_domain);
/* Read a key; NULL when absent.  The caller frees. */
char *sim_read(struct xs_handle *h, const char *path);
/* Parse a decimal or 0x-hex unsigned number, all of s; -1 when not one. */
int sim_parse_u64(const char *s, uint64_t *out);
/* Read len bytes of domid's RAM at addr into buf. */
int sim_ram_read(uint32_t domid, uint64_t addr, void *buf, size_t len);
/* Read a whole file (at most max bytes); NULL on error.  The caller frees. */
uint8_t *sim_slurp(const char *path, size_t max, size_t *len);
__attribute__((format(printf, 1, 2))) void sim_err(const char *fmt, ...);

int cmd_hvmloader(int argc, char **argv);
int cmd_oracle(int argc, char **argv);

#endif
