// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Test driver: hvmloader's consumer (dm_acpi.c from the patch series) run
 * on the host against a scripted xenstore and a fake clock.
 *
 *   consume SCRIPT [AREA [OUTDIR]]
 *
 * AREA is mapped at guest-physical 0x30000000 (the address SCRIPT should
 * publish).  SCRIPT holds xenstore keys, relative to the domain, one per
 * line, and changes to them:
 *   KEY=VALUE         present from the start ("KEY=" is an empty value)
 *   @MS KEY=VALUE     set once the fake clock reaches MS milliseconds
 *   #N KEY=VALUE      set right after the N-th xenstore read
 *   !N OFFSET BYTE    write BYTE (decimal) at OFFSET of the area after the
 *                     N-th xenstore read (the device model rewriting it)
 *   %N OFFSET BYTE    the same at the N-th mem_alloc()
 *   perms PATH E...   PATH's permissions (XS_GET_PERMS), e.g. "n5 r0" (also
 *                     after @MS or #N); every other node, a key present or a
 *                     directory holding one, has "n0 r1" (dom0's, as dmacpid
 *                     writes the verdict)
 *   room N            libacpi has room for N more tables (default 16)
 * A VALUE of "-" removes the key.  The consumer's console lines go to
 * stdout, then "extra N added M", "elapsed MS" and "reads N"; with OUTDIR
 * the tables handed to libacpi are written there as extra-K.aml.
 * Exit: 0 done, 2 usage or set-up error.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "util.h"
#include "dm_acpi.h"
#include <acpi2_0.h>
#include <libacpi.h>

#define AREA_GPA        0x30000000ul
#define MAX_KEYS        64
#define MAX_EVENTS      64

struct key {
	char name[128];
	char value[4200];
	int present;
};

struct event {
	char kind;              /* '@' time, '#' read, '!' '%' area write */
	unsigned long when;
	char line[4300];
};

static struct key keys[MAX_KEYS];
static unsigned int nr_keys;
static struct {
	char path[128];
	char entries[128];
} perms[MAX_KEYS];
static unsigned int nr_perms;
static struct event events[MAX_EVENTS];
static unsigned int nr_events;
static uint64_t now_ns;
static unsigned long reads, allocs;
static uint8_t *area;
static size_t area_len;

static void set_key(const char *assignment)
{
	const char *eq = strchr(assignment, '=');
	struct key *k = NULL;
	size_t n;

	if (!eq || (n = eq - assignment) >= sizeof(keys[0].name)) {
		fprintf(stderr, "consume: bad assignment %s\n", assignment);
		exit(2);
	}
	for (unsigned int i = 0; i < nr_keys; i++)
		if (strlen(keys[i].name) == n && !strncmp(keys[i].name, assignment, n))
			k = &keys[i];
	if (!k) {
		if (nr_keys == MAX_KEYS)
			exit(2);
		k = &keys[nr_keys++];
		memcpy(k->name, assignment, n);
		k->name[n] = '\0';
	}
	k->present = strcmp(eq + 1, "-") != 0;
	snprintf(k->value, sizeof(k->value), "%s", eq + 1);
}

/* "PATH ENTRY...": PATH's permissions from now on. */
static void set_perms(const char *spec)
{
	const char *sp = strchr(spec, ' ');
	unsigned int i;

	if (!sp || (size_t)(sp - spec) >= sizeof(perms[0].path)) {
		fprintf(stderr, "consume: bad perms %s\n", spec);
		exit(2);
	}
	for (i = 0; i < nr_perms; i++)
		if (strlen(perms[i].path) == (size_t)(sp - spec) &&
		    !strncmp(perms[i].path, spec, sp - spec))
			break;
	if (i == nr_perms) {
		if (nr_perms == MAX_KEYS)
			exit(2);
		nr_perms++;
	}
	snprintf(perms[i].path, sizeof(perms[i].path), "%.*s", (int)(sp - spec), spec);
	snprintf(perms[i].entries, sizeof(perms[i].entries), "%s", sp + 1);
}

static void apply(const char *line)
{
	if (!strncmp(line, "perms ", 6))
		set_perms(line + 6);
	else
		set_key(line);
}

static void run_events(void)
{
	for (unsigned int i = 0; i < nr_events; i++) {
		struct event *e = &events[i];
		unsigned long off, byte;

		if (!e->kind)
			continue;
		if (e->kind == '@' && now_ns < e->when * 1000000ull)
			continue;
		if ((e->kind == '#' || e->kind == '!') && reads < e->when)
			continue;
		if (e->kind == '%' && allocs < e->when)
			continue;
		if (e->kind == '!' || e->kind == '%') {
			if (sscanf(e->line, "%lu %lu", &off, &byte) != 2 || off >= area_len)
				exit(2);
			area[off] = byte;
		} else {
			apply(e->line);
		}
		e->kind = 0;
	}
}

const char *xenstore_read(const char *path, const char *default_resp)
{
	static char answer[4200];
	const char *r = NULL;

	reads++;
	for (unsigned int i = 0; i < nr_keys; i++)
		if (keys[i].present && !strcmp(keys[i].name, path)) {
			snprintf(answer, sizeof(answer), "%s", keys[i].value);
			r = answer;
		}
	/* What the device model or dom0 does next happens after this read. */
	run_events();
	if (default_resp && (!r || !*r))
		r = default_resp;
	return r;
}

/* A node that does not exist has none (ENOENT): NULL. */
const char *xenstore_read_perms(const char *path, uint32_t *len)
{
	static char answer[sizeof(perms[0].entries) + 1];
	const char *entries = "n0 r1";
	size_t n = strlen(path);
	int exists = 0;

	reads++;
	*len = 0;
	for (unsigned int i = 0; i < nr_keys; i++)
		if (keys[i].present && !strncmp(keys[i].name, path, n) &&
		    (!keys[i].name[n] || keys[i].name[n] == '/'))
			exists = 1;
	for (unsigned int i = 0; i < nr_perms; i++)
		if (!strcmp(perms[i].path, path))
			entries = perms[i].entries;
	run_events();
	if (!exists)
		return NULL;
	/* One nul-terminated entry each, as xenstored sends them. */
	n = strlen(entries);
	memcpy(answer, entries, n + 1);
	for (size_t i = 0; i < n; i++)
		if (answer[i] == ' ')
			answer[i] = '\0';
	*len = n + 1;
	return answer;
}

void *mem_alloc(uint32_t size, uint32_t align)
{
	(void)align;
	allocs++;
	run_events();
	return malloc(size ? size : 1);
}

uint64_t get_system_time(void)
{
	return now_ns;
}

void msleep(unsigned int ms)
{
	now_ns += ms * 1000000ull;
	run_events();
}

int main(int argc, char **argv)
{
	static struct acpi_config config;
	unsigned int room = 16;
	char line[4400];
	FILE *f;

	if (argc < 2 || argc > 4 || !(f = fopen(argv[1], "r"))) {
		fprintf(stderr, "usage: consume SCRIPT [AREA [OUTDIR]]\n");
		return 2;
	}
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		if (!line[0])
			continue;
		if (!strncmp(line, "room ", 5)) {
			room = strtoul(line + 5, NULL, 10);
		} else if (strchr("@#!%", line[0])) {
			struct event *e = &events[nr_events];
			char *sp = strchr(line, ' ');

			if (nr_events == MAX_EVENTS || !sp)
				return 2;
			e->kind = line[0];
			e->when = strtoul(line + 1, NULL, 10);
			snprintf(e->line, sizeof(e->line), "%s", sp + 1);
			nr_events++;
		} else {
			apply(line);
		}
	}
	fclose(f);

	if (argc >= 3) {
		FILE *a = fopen(argv[2], "rb");

		area = mmap((void *)AREA_GPA, 1 << 21, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
		if (!a || area != (void *)AREA_GPA) {
			fprintf(stderr, "consume: cannot place the area at 0x%lx\n", AREA_GPA);
			return 2;
		}
		area_len = fread(area, 1, 1 << 21, a);
		fclose(a);
	}

	dm_acpi_prepare(&config);
	/* libacpi's part: all of them when they fit, else none. */
	config.extra.nr_added = config.extra.nr <= room ? config.extra.nr : 0;
	dm_acpi_report(&config);

	printf("extra %u added %u\n", config.extra.nr, config.extra.nr_added);
	printf("elapsed %llu\n", (unsigned long long)(now_ns / 1000000));
	printf("reads %lu\n", reads);
	if (argc == 4)
		for (unsigned int i = 0; i < config.extra.nr; i++) {
			char path[4096];
			FILE *o;

			snprintf(path, sizeof(path), "%s/extra-%u.aml", argv[3], i);
			o = fopen(path, "wb");
			if (!o || fwrite(config.extra.tables[i], 1, config.extra.tables[i]->length, o) !=
				  config.extra.tables[i]->length || fclose(o))
				return 2;
		}
	return 0;
}
