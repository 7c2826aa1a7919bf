// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The device model's part on a real Xen host, for the tests: QEMU 7.2 as
 * Xen's device model builds no ACPI, so this program does what a device
 * model offering a vNVDIMM would.  It maps the new guest's memory with
 * xenforeignmemory_map as QEMU does, writes a blob area there, and
 * publishes it in xenstore under hvmloader/dm-acpi/ with the permissions
 * the toolstack gives hvmloader/ (owner dom0, read-only for the guest).
 *
 *   dm-producer offer DOMID AREA [COUNT|-]   area into memory, then the keys
 *   dm-producer area DOMID AREA              only the memory (a later rewrite)
 *   dm-producer read DOMID LENGTH OUT [ADDRESS]
 *                                            the area's bytes as the guest has them
 *   dm-producer flip DOMID AREA_A AREA_B SECONDS [PAUSE_MS]
 *                                            A at the address, B 1 MiB above;
 *                                            the keys moved between them
 *   dm-producer address                      print the area's address
 *
 * COUNT defaults to the number of blobs found by walking the chain; "-"
 * leaves the optional count key out.  flip writes the keys of B, then of A,
 * and so on, each move in one transaction, for SECONDS, and prints
 * "MOVES moves, last ADDRESS:LENGTH:COUNT"; with PAUSE_MS, after each move
 * it waits 0 to PAUSE_MS ms (the same pseudo-random sequence every run).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <xenforeignmemory.h>
#include <xenstore.h>

#include "gmem.h"

/*
 * Where the area goes: 16 MiB.  hvmloader 4.17 itself sits at 1 MiB with
 * the firmware module after it, its scratch space is at 64 KiB, its
 * self-tests (perform_tests) clear the first free 4 MiB block above its
 * image (4-8 MiB), and everything it allocates for ACPI, SMBIOS and the
 * like comes from the reserved range at 0xFC000000 (mem_alloc).  SeaBIOS
 * runs below 1 MiB and keeps its tables at the top of low RAM.  So a guest
 * of 64 MiB or more has 16 MiB untouched by its firmware until the guest OS
 * takes it over, which is after hvmloader has copied the blobs.
 */
#define DM_AREA_ADDRESS 0x01000000u
#define MAX_AREA (1u << 20)

static int usage(void)
{
	fprintf(stderr, "usage: dm-producer offer DOMID AREA [COUNT|-]\n"
			"       dm-producer area DOMID AREA\n"
			"       dm-producer read DOMID LENGTH OUT [ADDRESS]\n"
			"       dm-producer flip DOMID AREA_A AREA_B SECONDS [PAUSE_MS]\n"
			"       dm-producer address\n");
	return 2;
}

static int parse_u32(const char *s, uint32_t *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 0);
	if (errno || end == s || *end || v > UINT32_MAX)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

static uint8_t *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = malloc(MAX_AREA + 1);
	size_t n;

	if (!f || !buf) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		if (f)
			fclose(f);
		free(buf);
		return NULL;
	}
	n = fread(buf, 1, MAX_AREA + 1, f);
	fclose(f);
	if (n == 0 || n > MAX_AREA) {
		fprintf(stderr, "%s: empty or larger than %u bytes\n", path, MAX_AREA);
		free(buf);
		return NULL;
	}
	*len = n;
	return buf;
}

/* Blobs in the chain up to the first that does not fit. */
static unsigned count_blobs(const uint8_t *a, size_t len)
{
	size_t off = 0;
	unsigned n = 0;

	while (len - off >= 8) {
		uint32_t size = (uint32_t)a[off + 4] | (uint32_t)a[off + 5] << 8 |
				(uint32_t)a[off + 6] << 16 | (uint32_t)a[off + 7] << 24;

		if (size < 8 || size > len - off)
			break;
		off += size;
		n++;
	}
	return n;
}

/* The three keys in one transaction, each owned by dom0 (the device model's
 * domain here) and readable by the guest, as libxl makes hvmloader/. */
static int publish_on(struct xs_handle *xs, uint32_t domid, uint32_t address, size_t len,
		      const char *count)
{
	struct xs_permissions perms[2] = {
		{ .id = 0, .perms = XS_PERM_NONE },
		{ .id = domid, .perms = XS_PERM_READ },
	};
	char path[128], val[32];
	const char *keys[3] = { "address", "length", "count" };
	int tries = 0;

	for (;;) {
		xs_transaction_t t = xs_transaction_start(xs);
		bool ok = t != XBT_NULL;

		for (int i = 0; ok && i < 3; i++) {
			if (i == 0)
				snprintf(val, sizeof(val), "0x%" PRIx32, address);
			else if (i == 1)
				snprintf(val, sizeof(val), "%zu", len);
			else if (!count)
				break;
			else
				snprintf(val, sizeof(val), "%s", count);
			snprintf(path, sizeof(path), "/local/domain/%" PRIu32 "/hvmloader/dm-acpi/%s",
				 domid, keys[i]);
			ok = xs_write(xs, t, path, val, strlen(val)) &&
			     xs_set_permissions(xs, t, path, perms, 2);
		}
		if (ok && xs_transaction_end(xs, t, false))
			return 0;
		if (!ok && t != XBT_NULL)
			xs_transaction_end(xs, t, true);
		if (errno != EAGAIN || ++tries > 20) {
			fprintf(stderr, "writing hvmloader/dm-acpi of d%" PRIu32 ": %s\n", domid,
				strerror(errno));
			return -1;
		}
	}
}

static int publish(uint32_t domid, size_t len, const char *count)
{
	struct xs_handle *xs = xs_open(0);
	int rc;

	if (!xs) {
		fprintf(stderr, "xs_open: %s\n", strerror(errno));
		return -1;
	}
	rc = publish_on(xs, domid, DM_AREA_ADDRESS, len, count);
	xs_close(xs);
	return rc;
}

/*
 * A device model that moves its area between two places as fast as
 * xenstored lets it, or pausing up to pause_ms between moves: a verdict
 * writer must decide only inputs that stood together, A's or B's, never
 * the address of one with the length of the other.
 */
static int flip(xenforeignmemory_handle *fmem, uint32_t domid, const char *pa, const char *pb,
		uint32_t seconds, uint32_t pause_ms)
{
	unsigned seed = 1;
	struct {
		uint8_t *bytes;
		size_t len;
		uint32_t address;
		char count[16];
	} side[2] = { { .address = DM_AREA_ADDRESS }, { .address = DM_AREA_ADDRESS + MAX_AREA } };
	struct xs_handle *xs = NULL;
	unsigned long moves = 0;
	int rc = -1;
	time_t end;

	for (int i = 0; i < 2; i++) {
		side[i].bytes = slurp(i ? pb : pa, &side[i].len);
		if (!side[i].bytes ||
		    gmem_write(fmem, domid, side[i].address, side[i].bytes, side[i].len))
			goto out;
		snprintf(side[i].count, sizeof(side[i].count), "%u",
			 count_blobs(side[i].bytes, side[i].len));
	}
	xs = xs_open(0);
	if (!xs) {
		fprintf(stderr, "xs_open: %s\n", strerror(errno));
		goto out;
	}
	end = time(NULL) + seconds;
	do {
		/* B first: the domain was offered A. */
		int i = moves % 2 == 0;

		if (publish_on(xs, domid, side[i].address, side[i].len, side[i].count))
			goto out;
		moves++;
		if (pause_ms) {
			long ns = (long)(rand_r(&seed) % (pause_ms + 1)) * 1000000L;
			struct timespec ts = { .tv_sec = ns / 1000000000L, .tv_nsec = ns % 1000000000L };

			nanosleep(&ts, NULL);
		}
	} while (time(NULL) < end);
	printf("%lu moves, last 0x%" PRIx32 ":%zu:%s\n", moves, side[moves % 2].address,
	       side[moves % 2].len, side[moves % 2].count);
	rc = 0;
out:
	if (xs)
		xs_close(xs);
	free(side[0].bytes);
	free(side[1].bytes);
	return rc;
}

int main(int argc, char **argv)
{
	xenforeignmemory_handle *fmem;
	uint32_t domid;
	uint8_t *area = NULL;
	size_t len = 0;
	int rc = 1;

	if (argc == 2 && !strcmp(argv[1], "address")) {
		printf("0x%x\n", DM_AREA_ADDRESS);
		return 0;
	}
	if (argc < 4 || parse_u32(argv[2], &domid))
		return usage();
	fmem = xenforeignmemory_open(NULL, 0);
	if (!fmem) {
		fprintf(stderr, "xenforeignmemory_open: %s\n", strerror(errno));
		return 1;
	}
	if (!strcmp(argv[1], "read") && (argc == 5 || argc == 6)) {
		uint32_t n, address = DM_AREA_ADDRESS;
		FILE *f;

		if (parse_u32(argv[3], &n) || n == 0 || n > MAX_AREA ||
		    (argc == 6 && parse_u32(argv[5], &address))) {
			rc = usage();
			goto out;
		}
		area = malloc(n);
		if (!area || gmem_read(fmem, domid, address, area, n))
			goto out;
		f = fopen(argv[4], "wb");
		if (!f || fwrite(area, 1, n, f) != n || fclose(f)) {
			fprintf(stderr, "%s: %s\n", argv[4], strerror(errno));
			goto out;
		}
		rc = 0;
	} else if ((!strcmp(argv[1], "offer") && (argc == 4 || argc == 5)) ||
		   (!strcmp(argv[1], "area") && argc == 4)) {
		char count[16];
		const char *c = count;

		area = slurp(argv[3], &len);
		if (!area || gmem_write(fmem, domid, DM_AREA_ADDRESS, area, len))
			goto out;
		if (!strcmp(argv[1], "area")) {
			rc = 0;
			goto out;
		}
		if (argc == 5 && !strcmp(argv[4], "-"))
			c = NULL;
		else if (argc == 5)
			c = argv[4];
		else
			snprintf(count, sizeof(count), "%u", count_blobs(area, len));
		rc = publish(domid, len, c) ? 1 : 0;
	} else if (!strcmp(argv[1], "flip") && (argc == 6 || argc == 7)) {
		uint32_t seconds, pause_ms = 0;

		if (parse_u32(argv[5], &seconds) || seconds == 0 ||
		    (argc == 7 && (parse_u32(argv[6], &pause_ms) || pause_ms > 10000))) {
			rc = usage();
			goto out;
		}
		rc = flip(fmem, domid, argv[3], argv[4], seconds, pause_ms) ? 1 : 0;
	} else {
		rc = usage();
	}
out:
	free(area);
	xenforeignmemory_close(fmem);
	return rc;
}
