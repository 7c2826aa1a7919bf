// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Test driver: hvmloader's SHA-256, number parsing and blob walk, taken out
 * of the patch series and compiled on the host.
 *
 *   host sha256 [CHUNK] <FILE         digest in hex (in CHUNK-byte updates)
 *   host digest FILE DIGEST            "match" or "mismatch"
 *   host input STRING                  "ADDRESS LENGTH COUNT|-" or "invalid"
 *   host walk AREA COUNT [OUTDIR]      "tables T devices D ssdt N" or
 *                                      "refused: blob I: WHY"; with OUTDIR,
 *                                      writes table-K.aml and ssdt.aml there
 * Exit: 0 done (whatever the answer), 2 usage or I/O error.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sha256.h"
#include "dm_acpi.h"

static uint8_t *slurp(FILE *f, size_t *len)
{
	size_t cap = 1 << 16, n = 0, r;
	uint8_t *buf = malloc(cap);

	while (buf && (r = fread(buf + n, 1, cap - n, f)) > 0) {
		n += r;
		if (n == cap)
			buf = realloc(buf, cap *= 2);
	}
	if (!buf || ferror(f)) {
		fprintf(stderr, "host: read error\n");
		exit(2);
	}
	*len = n;
	return buf;
}

static uint8_t *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf;

	if (!f) {
		perror(path);
		exit(2);
	}
	buf = slurp(f, len);
	fclose(f);
	return buf;
}

static void write_file(const char *dir, const char *name, const void *p, size_t len)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f || fwrite(p, 1, len, f) != len || fclose(f)) {
		perror(path);
		exit(2);
	}
}

static uint32_t le32(const uint8_t *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

int main(int argc, char **argv)
{
	size_t len;
	uint8_t *buf;

	if (argc >= 2 && !strcmp(argv[1], "sha256") && argc <= 3) {
		size_t chunk = argc == 3 ? strtoul(argv[2], NULL, 0) : 0;
		uint8_t md[SHA256_DIGEST_SIZE];
		struct sha256_state s;

		buf = slurp(stdin, &len);
		if (chunk) {
			sha256_init(&s);
			for (size_t o = 0; o < len; o += chunk)
				sha256_update(&s, buf + o, len - o < chunk ? len - o : chunk);
			sha256_final(&s, md);
		} else {
			sha256(buf, len, md);
		}
		for (int i = 0; i < SHA256_DIGEST_SIZE; i++)
			printf("%02x", md[i]);
		printf("\n");
		return 0;
	}
	if (argc == 4 && !strcmp(argv[1], "digest")) {
		buf = read_file(argv[2], &len);
		puts(dm_acpi_digest_matches(buf, len, argv[3]) ? "match" : "mismatch");
		return 0;
	}
	if (argc == 3 && !strcmp(argv[1], "input")) {
		uint32_t a, l, c;
		int has;

		if (dm_acpi_parse_input(argv[2], &a, &l, &c, &has))
			puts("invalid");
		else if (has)
			printf("%u %u %u\n", a, l, c);
		else
			printf("%u %u -\n", a, l);
		return 0;
	}
	if ((argc == 4 || argc == 5) && !strcmp(argv[1], "walk")) {
		static struct dm_acpi_blobs b;
		const char *why;
		uint32_t count;

		buf = read_file(argv[2], &len);
		if (dm_acpi_parse_u32(argv[3], &count) || len > UINT32_MAX) {
			fprintf(stderr, "host: bad count or area\n");
			return 2;
		}
		why = dm_acpi_walk(buf, len, count, &b);
		if (why) {
			printf("refused: blob %u: %s\n", b.bad_blob, why);
			return 0;
		}
		printf("tables %u devices %u ssdt %u\n", b.nr_tables, b.nr_devices,
		       b.ssdt_length);
		if (argc == 5) {
			for (unsigned int i = 0; i < b.nr_tables; i++) {
				char name[32];

				snprintf(name, sizeof(name), "table-%u.aml", i);
				write_file(argv[4], name, b.table[i], le32(b.table[i] + 4));
			}
			if (b.nr_devices) {
				uint8_t *ssdt = malloc(b.ssdt_length);

				dm_acpi_build_ssdt(&b, ssdt);
				write_file(argv[4], "ssdt.aml", ssdt, b.ssdt_length);
				free(ssdt);
			}
		}
		return 0;
	}
	fprintf(stderr, "usage: host sha256 [CHUNK] | digest FILE DIGEST | input STRING | walk AREA COUNT [OUTDIR]\n");
	return 2;
}
