/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Shared by the hostile-device-model test programs: a deterministic random
 * generator, a clock, the simulated host's guest RAM, and the device
 * model's and consumer's side of the xenstore protocol (SPEC section 3).
 */
#ifndef DMACPI_HOSTILE_H
#define DMACPI_HOSTILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "digest.h"
#include "evaluate.h"

struct xs_handle;
struct policy;

/* ---- hx-common.c ---- */

/* splitmix64: the same sequence everywhere for a given state. */
uint64_t hx_rand(uint64_t *state);
/* A number in [0, n), n > 0. */
uint64_t hx_below(uint64_t *state, uint64_t n);
double hx_now(void);
uint32_t hx_crc(const uint8_t *p, size_t len);
/* True when p[0..len) has the digest text d (see digest.h). */
bool hx_digest_is(const uint8_t *p, size_t len, const char *d);
__attribute__((format(printf, 1, 2), noreturn)) void hx_die(const char *fmt, ...);

/* ---- hx-ram.c: domN.ram of the simulated host, mapped shared ---- */

struct guest_ram {
	uint8_t *bytes;
	size_t size;
};

/* Map $XENSIM_DIR/domN.ram read-write and shared, as the device model sees it. */
int guest_ram_open(unsigned domid, struct guest_ram *r);
void guest_ram_close(struct guest_ram *r);

/* ---- hx-xs.c: xenstore as dom0 ($XENSTORED_PATH) ---- */

#define HX_TEXT_MAX 256

struct hx_verdict {
	char state[16];
	char input[HX_TEXT_MAX];
	char reason[HX_TEXT_MAX];
	uint64_t address, length, count, dropped, generation;
	uint32_t checksum;
	bool has_checksum;
	char digest[DIGEST_TEXT_SIZE];	/* "" when absent or not a digest */
};

struct xs_handle *hx_xs_open(void);
/* Write one domain's inputs in one transaction (count < 0: remove it);
 * input gets the verdict's `input` text they call for. */
int hx_put_inputs(struct xs_handle *xs, unsigned domid, uint64_t address, uint64_t length,
		  long long count, char *input, size_t inputlen);
/* Write one input key alone, as a device model that writes key by key. */
int hx_put_key(struct xs_handle *xs, unsigned domid, const char *key, const char *value);
/* Read the verdict now; -1 when it has no state. */
int hx_read_verdict(struct xs_handle *xs, unsigned domid, struct hx_verdict *v);
/* Wait (watching the verdict's state) until a final verdict answers input;
 * 0, or -1 at the deadline with the last verdict seen in v. */
int hx_wait_verdict(struct xs_handle *xs, unsigned domid, const char *input, double timeout,
		    struct hx_verdict *v);
bool hx_state_final(const char *state);

/* What the daemon knows of a domain when it decides: its name and the
 * domain keys the policy tests, read from xenstore the way it reads them. */
struct hx_facts {
	struct domain_facts facts;
	struct domain_key keys[32];
	char *values[32];
	char *name;
};

int hx_read_facts(struct xs_handle *xs, const struct policy *p, unsigned domid,
		  struct hx_facts *f);
void hx_facts_free(struct hx_facts *f);

#endif
