// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Speed of the built-in checks: the time to validate QEMU's NVDIMM area
 * (its NFIT plus the NVDR device carved from its SSDT), and the throughput
 * over 1 MiB areas of real blobs (mixed, tables only, AML only) next to a
 * memcpy of the same bytes in the same run.  Prints a markdown table, or
 * with --raw one "workload bytes blobs µs-per-pass validate-MB/s memcpy-MB/s"
 * line per workload (for tests/bench/run).  --profile WORKLOAD N only
 * validates that workload N times, untimed, for valgrind --tool=callgrind.
 * --area FILE adds the workload "file": the area in FILE (tests/bench/run
 * gives it the AML that ACPICA loads next to it).
 *
 * Usage: bench_validate [--area FILE] [--raw | --profile nvdimm|mixed|tables|aml|file N]
 *                       [TESTDATA_DIR]
 *        (TESTDATA_DIR defaults to $DMACPI_TESTDATA)
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "area.h"
#include "carve.h"
#include "readfile.h"
#include "validate.h"

#define AREA_TARGET (1u << 20)
#define ROUNDS 5
#define ROUND_SECONDS 0.2

struct input {
	uint32_t type;
	char name[5];
	uint8_t *data;
	size_t len;
};

static volatile size_t sink;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static uint8_t *load(const char *dir, const char *rel, size_t *len)
{
	char path[4096];
	uint8_t *buf;

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	if (read_file(path, 1 << 24, &buf, len) < 0) {
		fprintf(stderr, "bench_validate: %s: %s\n", path, strerror(errno));
		exit(2);
	}
	return buf;
}

/* One pass of what the daemon does: parse, then check every blob. */
static size_t validate_area(const uint8_t *buf, size_t len)
{
	struct area a;
	struct findings f;
	size_t bad = 0;

	findings_init(&f);
	if (area_parse(buf, len, -1, SIZE_MAX, &a, &f) < 0)
		bad++;
	for (size_t i = 0; i < a.count; i++) {
		struct blob_check c;

		validate_blob(&a.blobs[i], NULL, &c);
		bad += findings_total(&c.findings);
		blob_check_free(&c);
	}
	area_free(&a);
	findings_free(&f);
	return bad;
}

/* Best seconds per pass of fn over ROUNDS rounds of ~ROUND_SECONDS each. */
static double best_time(void (*fn)(const uint8_t *buf, size_t len, uint8_t *scratch),
			const uint8_t *buf, size_t len, uint8_t *scratch)
{
	double best = 1e9;

	for (int r = 0; r < ROUNDS; r++) {
		size_t iters = 0;
		double t0 = now(), t;

		do {
			fn(buf, len, scratch);
			iters++;
			t = now() - t0;
		} while (t < ROUND_SECONDS);
		if (t / (double)iters < best)
			best = t / (double)iters;
	}
	return best;
}

static void run_validate(const uint8_t *buf, size_t len, uint8_t *scratch)
{
	(void)scratch;
	sink += validate_area(buf, len);
}

static void run_memcpy(const uint8_t *buf, size_t len, uint8_t *scratch)
{
	memcpy(scratch, buf, len);
	sink += scratch[len / 2];
	__asm__ __volatile__("" : : "r"(scratch) : "memory");
}

/* Fill an area of up to AREA_TARGET bytes cycling through the inputs. */
static void build(struct area_builder *b, const struct input *in, size_t n)
{
	area_builder_init(b);
	for (size_t i = 0;; i = (i + 1) % n) {
		size_t need = in[i].len + BLOB_HEADER_SIZE + (in[i].type == BLOB_DEVICE ? 4 : 0);
		int r;

		if (b->len + need > AREA_TARGET)
			break;
		if (in[i].type == BLOB_DEVICE)
			r = area_add_device(b, in[i].name, in[i].data, in[i].len);
		else
			r = area_add(b, BLOB_TABLE, in[i].data, in[i].len);
		if (r < 0) {
			fprintf(stderr, "bench_validate: out of memory\n");
			exit(2);
		}
	}
}

enum mode { MODE_TABLE, MODE_RAW, MODE_PROFILE };

struct options {
	enum mode mode;
	const char *profile;	/* the workload's key */
	long iterations;
};

static void row(const struct options *o, const char *key, const char *what, const uint8_t *buf,
		size_t len, size_t count)
{
	uint8_t *scratch;
	double tv, tm;
	size_t bad;

	if (o->mode == MODE_PROFILE) {
		if (!strcmp(o->profile, key))
			for (long i = 0; i < o->iterations; i++)
				sink += validate_area(buf, len);
		return;
	}
	scratch = malloc(len ? len : 1);
	if (!scratch)
		exit(2);
	bad = validate_area(buf, len);
	tv = best_time(run_validate, buf, len, scratch);
	tm = best_time(run_memcpy, buf, len, scratch);
	if (o->mode == MODE_RAW)
		printf("%s %zu %zu %.1f %.0f %.0f%s\n", key, len, count, tv * 1e6,
		       (double)len / tv / 1e6, (double)len / tm / 1e6, bad ? " findings" : "");
	else
		printf("| %s | %zu | %zu | %.1f | %.0f | %.0f |%s\n", what, len, count, tv * 1e6,
		       (double)len / tv / 1e6, (double)len / tm / 1e6,
		       bad ? " (findings!)" : "");
	free(scratch);
}

int main(int argc, char **argv)
{
	struct options o = { .mode = MODE_TABLE };
	const char *dir;
	static const char *const tables[] = {
		"qemu/NFIT.dimmpxm", "qemu/APIC", "qemu/HPET", "qemu/MCFG", "qemu/SRAT.dimmpxm",
		"qemu/WAET", "qemu/TPM2.tis.tpm2", "qemu/TCPA.tis.tpm12",
	};
	static const char *const aml[] = {
		"qemu/SSDT.dimmpxm", "xen/SSDT_29be0.aml", "xen/SSDT_29c40.aml",
		"xen/SSDT_2a200.aml", "xen/SSDT_2a260.aml", "xen/SSDT_2a2a0.aml",
	};
	enum { NT = sizeof(tables) / sizeof(tables[0]), NA = sizeof(aml) / sizeof(aml[0]) };
	struct input in[NT + NA + 8];
	struct carved_device *devs = NULL;
	struct findings f;
	struct area_builder nv, mixed, tab, code;
	size_t ssdt_len, nin = 0, ndev;
	uint8_t *ssdt;
	int n;

	const char *area_file = NULL;
	uint8_t *file = NULL;
	size_t file_len = 0;

	argv++;
	argc--;
	if (argc >= 2 && !strcmp(argv[0], "--area")) {
		area_file = argv[1];
		argv += 2;
		argc -= 2;
	}
	if (argc && !strcmp(argv[0], "--raw")) {
		o.mode = MODE_RAW;
		argv++;
		argc--;
	} else if (argc >= 3 && !strcmp(argv[0], "--profile")) {
		o.mode = MODE_PROFILE;
		o.profile = argv[1];
		o.iterations = strtol(argv[2], NULL, 10);
		argv += 3;
		argc -= 3;
	}
	dir = argc ? argv[0] : getenv("DMACPI_TESTDATA");
	if (!dir || argc > 1 || (o.mode == MODE_PROFILE && o.iterations <= 0)) {
		fprintf(stderr, "usage: bench_validate [--area FILE] [--raw | --profile "
				"nvdimm|mixed|tables|aml|file N] [TESTDATA_DIR] (or set DMACPI_TESTDATA)\n");
		return 2;
	}
	if (area_file && read_file(area_file, 1u << 26, &file, &file_len) < 0) {
		fprintf(stderr, "bench_validate: %s: %s\n", area_file, strerror(errno));
		return 2;
	}
	ssdt = load(dir, "qemu/SSDT.dimmpxm", &ssdt_len);
	findings_init(&f);
	n = carve_devices(ssdt, ssdt_len, &devs, &f);
	if (n < 1) {
		fprintf(stderr, "bench_validate: cannot carve the NVDIMM SSDT\n");
		return 2;
	}
	ndev = (size_t)n < 8 ? (size_t)n : 8;

	/* QEMU's NVDIMM area. */
	for (size_t i = 0; i < NT; i++) {
		in[nin].type = BLOB_TABLE;
		in[nin].data = load(dir, tables[i], &in[nin].len);
		nin++;
	}
	area_builder_init(&nv);
	if (area_add(&nv, BLOB_TABLE, in[0].data, in[0].len) < 0)
		return 2;
	for (size_t i = 0; i < ndev; i++)
		if (area_add_device(&nv, devs[i].name, devs[i].body, devs[i].len) < 0)
			return 2;
	for (size_t i = 0; i < NA; i++) {
		in[nin].type = BLOB_TABLE;
		in[nin].data = load(dir, aml[i], &in[nin].len);
		nin++;
	}
	for (size_t i = 0; i < ndev; i++) {
		in[nin].type = BLOB_DEVICE;
		memcpy(in[nin].name, devs[i].name, 4);
		in[nin].data = devs[i].body;
		in[nin].len = devs[i].len;
		nin++;
	}
	build(&mixed, in, nin);
	build(&tab, in, NT);
	build(&code, in + NT, nin - NT);

	if (o.mode == MODE_TABLE) {
		printf("| workload | bytes | blobs | µs per pass | validate MB/s | memcpy MB/s |\n");
		printf("|---|---:|---:|---:|---:|---:|\n");
	}
	row(&o, "nvdimm", "QEMU NVDIMM area (NFIT + NVDR)", nv.buf, nv.len, nv.count);
	row(&o, "mixed", "1 MiB mixed (tables + AML)", mixed.buf, mixed.len, mixed.count);
	row(&o, "tables", "1 MiB tables only", tab.buf, tab.len, tab.count);
	row(&o, "aml", "1 MiB AML only (SSDTs + NVDR)", code.buf, code.len, code.count);
	if (file)
		row(&o, "file", area_file, file, file_len, 0);
	free(file);

	area_builder_free(&nv);
	area_builder_free(&mixed);
	area_builder_free(&tab);
	area_builder_free(&code);
	for (size_t i = 0; i < NT + NA; i++)
		free(in[i].data);
	carve_free(devs, (size_t)n);
	findings_free(&f);
	free(ssdt);
	return sink == (size_t)-1;
}
