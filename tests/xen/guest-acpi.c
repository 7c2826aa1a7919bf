// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Read a guest's final ACPI tables out of its memory, as its OS would find
 * them: the RSDP in 0xE0000-0xFFFFF, then the XSDT (or the RSDT) to every
 * table, and the FADT to the DSDT and the FACS.  Each table goes to
 * OUTDIR/SIG.dat (SIG-2.dat, ... for a signature seen again) and one line
 * "SIG ADDRESS LENGTH" per table to stdout, for acpiexec and the tests.
 *
 *   guest-acpi DOMID OUTDIR
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xenforeignmemory.h>

#include "gmem.h"

#define BIOS_LOW 0xE0000u
#define BIOS_LEN 0x20000u
#define MAX_TABLE (1u << 20)
#define MAX_TABLES 64

static xenforeignmemory_handle *fmem;
static uint32_t domid;
static const char *outdir;
static char seen[MAX_TABLES][5];
static unsigned nseen;

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t le64(const uint8_t *p)
{
	return (uint64_t)le32(p) | (uint64_t)le32(p + 4) << 32;
}

static int sum8(const uint8_t *p, size_t n)
{
	uint8_t s = 0;

	while (n--)
		s += *p++;
	return s;
}

/* One table at ADDR: copied out whole and written to OUTDIR; returns it. */
static uint8_t *fetch(uint64_t addr, const char *want, uint32_t *len_out)
{
	uint8_t hdr[36], *t;
	char sig[5], path[4096];
	uint32_t len;
	unsigned dup = 1;
	FILE *f;

	if (!addr || addr >= (1ull << 32) ||
	    gmem_read(fmem, domid, addr, hdr, want && !strcmp(want, "FACS") ? 8 : 36))
		return NULL;
	memcpy(sig, hdr, 4);
	sig[4] = 0;
	for (int i = 0; i < 4; i++)
		if (sig[i] < 0x20 || sig[i] > 0x7e)
			sig[i] = '?';
	len = le32(hdr + 4);
	if (len < (want && !strcmp(want, "FACS") ? 64 : 36) || len > MAX_TABLE) {
		fprintf(stderr, "%s at 0x%" PRIx64 ": length %" PRIu32 " out of range\n", sig,
			addr, len);
		return NULL;
	}
	if (want && strcmp(sig, want))
		fprintf(stderr, "0x%" PRIx64 ": %s where %s was expected\n", addr, sig, want);
	t = malloc(len);
	if (!t || gmem_read(fmem, domid, addr, t, len)) {
		free(t);
		return NULL;
	}
	for (unsigned i = 0; i < nseen; i++)
		dup += !strcmp(seen[i], sig);
	if (nseen < MAX_TABLES)
		memcpy(seen[nseen++], sig, 5);
	if (dup == 1)
		snprintf(path, sizeof(path), "%s/%s.dat", outdir, sig);
	else
		snprintf(path, sizeof(path), "%s/%s-%u.dat", outdir, sig, dup);
	f = fopen(path, "wb");
	if (!f || fwrite(t, 1, len, f) != len || fclose(f)) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		free(t);
		return NULL;
	}
	printf("%s 0x%08" PRIx64 " %" PRIu32 "%s\n", sig, addr, len,
	       strcmp(sig, "FACS") && sum8(t, len) ? " bad-checksum" : "");
	*len_out = len;
	return t;
}

static int follow_fadt(const uint8_t *fadt, uint32_t len)
{
	uint64_t dsdt = le32(fadt + 40), facs = le32(fadt + 36);
	uint32_t l;
	uint8_t *t;
	int rc = 0;

	if (len >= 148 && le64(fadt + 140))
		dsdt = le64(fadt + 140);
	if (len >= 140 && le64(fadt + 132))
		facs = le64(fadt + 132);
	t = fetch(dsdt, "DSDT", &l);
	rc |= !t;
	free(t);
	if (facs) {
		t = fetch(facs, "FACS", &l);
		rc |= !t;
		free(t);
	}
	return rc;
}

int main(int argc, char **argv)
{
	uint8_t *low, *rsdp = NULL, *sdt;
	uint64_t sdt_addr;
	uint32_t sdt_len;
	unsigned width;
	int rc = 0;

	if (argc != 3 || sscanf(argv[1], "%" SCNu32, &domid) != 1) {
		fprintf(stderr, "usage: guest-acpi DOMID OUTDIR\n");
		return 2;
	}
	outdir = argv[2];
	/* A line per table as it is written: nothing is lost if this dies. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	fmem = xenforeignmemory_open(NULL, 0);
	low = malloc(BIOS_LEN);
	if (!fmem || !low || gmem_read(fmem, domid, BIOS_LOW, low, BIOS_LEN)) {
		fprintf(stderr, "cannot read d%" PRIu32 "'s BIOS area\n", domid);
		return 1;
	}
	for (uint32_t off = 0; off + 36 <= BIOS_LEN; off += 16) {
		uint8_t *p = low + off;

		if (memcmp(p, "RSD PTR ", 8) || sum8(p, 20))
			continue;
		if (p[15] >= 2 && (le32(p + 20) < 36 || le32(p + 20) > BIOS_LEN - off ||
				   sum8(p, le32(p + 20))))
			continue;
		rsdp = p;
		printf("RSDP 0x%08" PRIx32 " %u\n", BIOS_LOW + off, p[15] >= 2 ? le32(p + 20) : 20);
		break;
	}
	if (!rsdp) {
		fprintf(stderr, "no RSDP in 0xE0000-0xFFFFF\n");
		return 1;
	}
	if (rsdp[15] >= 2 && le64(rsdp + 24)) {
		sdt_addr = le64(rsdp + 24);
		width = 8;
	} else {
		sdt_addr = le32(rsdp + 16);
		width = 4;
	}
	sdt = fetch(sdt_addr, width == 8 ? "XSDT" : "RSDT", &sdt_len);
	if (!sdt)
		return 1;
	for (uint32_t off = 36; off + width <= sdt_len; off += width) {
		uint64_t a = width == 8 ? le64(sdt + off) : le32(sdt + off);
		uint32_t l;
		uint8_t *t = fetch(a, NULL, &l);

		if (!t) {
			rc = 1;
			continue;
		}
		if (!memcmp(t, "FACP", 4))
			rc |= follow_fadt(t, l);
		free(t);
	}
	free(sdt);
	free(low);
	xenforeignmemory_close(fmem);
	return rc;
}
